#!/usr/bin/python3
"""fill_form.py — fills a blank form made by `surveyd form` the way a person
does, but with another program (openpyxl, an independent XLSX writer), and
finding every answer cell by its defined name alone.

    /usr/bin/python3 tests/cli/fill_form.py FORM.xlsx DEFINITION VALUES.json OUT.xlsx [--lang en]

DEFINITION is the questionnaire's folder (survey.csv, choices.csv), read for
each field's type and its choices' labels.  VALUES.json holds
{"values": {field: canonical value}}, as make_replies.py's .expected.json
does and as the CLI tests' expect_answers compares: integers and decimals
are written as numbers, dates as real dates, a select_one as its choice's
label (what the dropdown offers, in --lang), a select_multiple as "x" in
the cell of each chosen choice, text as it is.  Empty values stay empty.
"""

import argparse
import csv
import datetime
import json
import os
import sys

try:
    import openpyxl
except ImportError:  # pragma: no cover
    sys.exit("fill_form.py: openpyxl is missing; run it with /usr/bin/python3")


def read_csv(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


def label(row, lang):
    return row.get("label::" + lang) or row.get("label::vi") or row.get("label", "")


def load_definition(folder, lang):
    """field -> type, and (list, choice) -> label."""
    types = {}
    for r in read_csv(os.path.join(folder, "survey.csv")):
        t = r["type"].split()
        types[r["name"]] = (t[0], t[1] if len(t) > 1 else None)
    labels = {(c["list_name"], c["name"]): label(c, lang)
              for c in read_csv(os.path.join(folder, "choices.csv"))}
    return types, labels


def answer_cells(wb):
    """Defined name -> (sheet, cell), whichever openpyxl API is installed."""
    try:
        items = [(d.name, d) for d in wb.defined_names.definedName]  # < 3.1
    except AttributeError:
        items = list(wb.defined_names.items())                       # >= 3.1
    cells = {}
    for name, d in items:
        for sheet, ref in d.destinations:
            cells[name] = (sheet, ref.replace("$", ""))
    return cells


def typed(kind, lst, value, labels):
    if kind == "integer":
        return int(value)
    if kind == "decimal":
        f = float(value)
        return int(f) if f.is_integer() else f
    if kind == "date":
        return datetime.datetime.strptime(value, "%Y-%m-%d")
    if kind == "select_one":
        return labels[(lst, value)]
    return value


def main():
    ap = argparse.ArgumentParser(description="Fill a surveyd form by defined name.")
    ap.add_argument("form")
    ap.add_argument("definition")
    ap.add_argument("values")
    ap.add_argument("out")
    ap.add_argument("--lang", default="vi", choices=["vi", "en"])
    a = ap.parse_args()

    types, labels = load_definition(a.definition, a.lang)
    with open(a.values, encoding="utf-8") as f:
        values = json.load(f)["values"]
    wb = openpyxl.load_workbook(a.form)
    cells = answer_cells(wb)

    def put(name, value):
        if name not in cells:
            sys.exit(f"fill_form.py: {a.form} has no defined name {name}")
        sheet, ref = cells[name]
        wb[sheet][ref].value = value

    for field, value in values.items():
        if value == "":
            continue
        kind, lst = types[field]
        if kind == "select_multiple":
            for choice in value.split():
                put(f"q_{field}__{choice}", "x")
        else:
            put(f"q_{field}", typed(kind, lst, value, labels))
    wb.save(a.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
