#!/usr/bin/python3
"""openpyxl_write.py — the yardstick for `surveyd export`: python3-openpyxl's
write-only mode writing the same table.

    /usr/bin/python3 bench/openpyxl_write.py DEFINITION_DIR EXPORT.csv OUT.xlsx

The table is the one surveyd's `Dữ liệu` sheet holds, read from the CSV that
surveyd exported in the same run: a header, then a row per respondent with
its code, name and state and one cell per field, numbers as numbers and
dates as dates (types from the definition's survey.csv).  It is built in
memory before the clock starts; only Workbook(write_only=True), append()
and save() are timed.  That favours openpyxl: surveyd's time also covers
reading the store and four more sheets (tracking, statistics, totals).

Prints one line of key=value pairs for bench/export.sh.
"""

import csv
import datetime
import os
import sys
import time

import openpyxl


def field_types(definition):
    with open(os.path.join(definition, "survey.csv"), newline="") as f:
        return {r["name"]: r["type"].split()[0] for r in csv.DictReader(f)}


def converter(kind):
    if kind == "integer":
        return int
    if kind == "decimal":
        return float
    if kind == "date":
        return datetime.date.fromisoformat
    return str


def table(definition, export_csv):
    types = field_types(definition)
    with open(export_csv, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header = rows[0]
    conv = [converter(types.get(name, "text")) for name in header]
    body = [[c(v) if v != "" else None for c, v in zip(conv, r)]
            for r in rows[1:]]
    return header, body


def main():
    definition, export_csv, out = sys.argv[1:4]
    header, body = table(definition, export_csv)
    c0 = time.process_time()
    t0 = time.perf_counter()
    wb = openpyxl.Workbook(write_only=True)
    ws = wb.create_sheet("Dữ liệu")
    ws.append(header)
    for r in body:
        ws.append(r)
    wb.save(out)
    wall = time.perf_counter() - t0
    cpu = time.process_time() - c0
    print(f"rows={len(body)} columns={len(header)} wall_s={wall:.4f} "
          f"cpu_s={cpu:.4f} bytes={os.path.getsize(out)}")


if __name__ == "__main__":
    main()
