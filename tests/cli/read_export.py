#!/usr/bin/python3
"""read_export.py — reads a workbook `surveyd export` wrote, with openpyxl (an
independent XLSX reader), and checks it against what was imported.

    /usr/bin/python3 tests/cli/read_export.py WORKBOOK [--read-only]
        [--definition DIR] [--roster CSV] [--expected FILE.expected.json]...
        EXPR WANT [EXPR WANT ...]

Every EXPR is a Python expression over `x` (below), `wb` (the openpyxl
workbook) and `datetime`; its value (a string as it is, anything else by
repr) must equal WANT.  Each mismatch is printed on a line; the exit status
is 1 if there was any.  Each sheet is read when an expression first asks.

    x.table(S)    sheet S as a list of {header: cell}, header in row 1
    x.data        Dữ liệu (or --data): {code: {header: cell}}
    x.track       Theo dõi: {code: {header: value}}
    x.unmatched   Chưa xác định: a list of {header: value}
    x.summary     Tổng hợp's measures: {label: value}
    x.regions     Tổng hợp's regions: {region: (respondents, answered, rate)}
    x.numbers     Thống kê's numeric table: {field: {header: value}}
    x.choices     Thống kê's choice table:
                  {(field, option label): (n, count, share)}
    x.fields      the definition's answerable fields, in order: [dict]
    x.expected    {code: values} from the --expected files

and the checks, each a list of what differs (empty when all is well):

    x.data_mismatches()     every expected value in Dữ liệu, typed as it
                            should be: numbers, real dates, choice labels
    x.numbers_mismatches()  Thống kê's figures against Python's statistics
                            module over the expected values
    x.choices_mismatches()  counts and shares of every option, likewise
    x.regions_mismatches()  respondents and answers per region, from the
                            roster and the respondents with an answer

The figures are worked out here from the fixtures' expected.json files, not
from anything surveyd wrote, so a wrong sum in C cannot hide behind the
same wrong sum in the test.
"""

import argparse
import csv
import datetime
import json
import math
import os
import statistics
import sys
from functools import cached_property

import openpyxl

NUMERIC = ("integer", "decimal")
SELECT = ("select_one", "select_multiple")


def read_definition(folder):
    """Fields (not notes) and choice labels of a definition folder, Vietnamese."""
    with open(os.path.join(folder, "choices.csv"), newline="", encoding="utf-8") as f:
        labels = {}
        for r in csv.DictReader(f):
            labels.setdefault(r["list_name"], {})[r["name"]] = r["label::vi"]
    fields = []
    with open(os.path.join(folder, "survey.csv"), newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            kind, _, lst = r["type"].partition(" ")
            if kind == "note":
                continue
            fields.append({"name": r["name"], "type": kind,
                           "label": r["label::vi"],
                           "choices": labels.get(lst, {})})
    return fields


def header_table(ws, header_row=1):
    rows = list(ws.iter_rows(min_row=header_row))
    if not rows:
        return []
    head = [c.value for c in rows[0]]
    return [{h: c for h, c in zip(head, row) if h is not None}
            for row in rows[1:]]


def blocks(ws):
    """A sheet's non-empty rows in blocks separated by empty rows."""
    out, cur = [], []
    for row in ws.iter_rows(values_only=True):
        if all(v is None for v in row):
            if cur:
                out.append(cur)
            cur = []
        else:
            cur.append(row)
    if cur:
        out.append(cur)
    return out


def close(a, b):
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-9)


class Export:
    def __init__(self, args):
        self.wb = openpyxl.load_workbook(args.workbook, read_only=args.read_only)
        self.fields = read_definition(args.definition) if args.definition else []
        self.roster = []
        if args.roster:
            with open(args.roster, newline="", encoding="utf-8") as f:
                self.roster = list(csv.DictReader(f))
        self.expected = {}
        for p in args.expected or []:
            with open(p, encoding="utf-8") as f:
                e = json.load(f)
            self.expected[e["respondent"]] = e["values"]
        self.data_sheet = args.data

    # --- the sheets ---------------------------------------------------------

    def table(self, name):
        return header_table(self.wb[name])

    @cached_property
    def data(self):
        return {r["Mã"].value: r for r in header_table(self.wb[self.data_sheet])}

    @cached_property
    def track(self):
        return {r["Mã"].value: {k: c.value for k, c in r.items()}
                for r in self.table("Theo dõi")}

    @cached_property
    def unmatched(self):
        return [{k: c.value for k, c in r.items()}
                for r in self.table("Chưa xác định")]

    @cached_property
    def summary_blocks(self):
        return blocks(self.wb["Tổng hợp"])

    @cached_property
    def summary(self):
        b = next(b for b in self.summary_blocks if b[0][0] == "Chỉ số")
        return {r[0]: r[1] for r in b[1:]}

    @cached_property
    def regions(self):
        b = next(b for b in self.summary_blocks
                 if len(b) > 1 and b[1][0] == "Vùng")
        return {r[0]: tuple(r[1:4]) for r in b[2:]}

    def stats_block(self, title):
        b = next(b for b in blocks(self.wb["Thống kê"]) if b[0][0] == title)
        head = b[1]
        return [dict(zip(head, r)) for r in b[2:]]

    @cached_property
    def numbers(self):
        return {r["Mã chỉ tiêu"]: r
                for r in self.stats_block("Chỉ tiêu định lượng")}

    @cached_property
    def choices(self):
        return {(r["Mã chỉ tiêu"], r["Phương án"]):
                (r["Số trả lời (n)"], r["Số lượng"], r["Tỷ lệ"])
                for r in self.stats_block("Chỉ tiêu lựa chọn")}

    # --- what the expected values look like in the workbook -------------------

    @staticmethod
    def shown(field, value):
        """(value, kind) as Dữ liệu should hold a stored value."""
        t = field["type"]
        if t in NUMERIC:
            return float(value), "n"
        if t == "date":
            return datetime.datetime.fromisoformat(value), "d"
        if t == "select_one":
            return field["choices"][value], "s"
        if t == "select_multiple":
            return "; ".join(field["choices"][v] for v in value.split()), "s"
        return value, "s"

    def data_mismatches(self):
        bad = []
        for code, values in self.expected.items():
            row = self.data[code]
            for f in self.fields:
                cell = row[f["name"]]
                v = values.get(f["name"], "")
                if v == "":
                    if cell.value is not None:
                        bad.append(f"{code} {f['name']}: {cell.value!r}, wanted empty")
                    continue
                want, kind = self.shown(f, v)
                got_kind = "d" if cell.is_date else cell.data_type
                same = (close(cell.value, want) if kind == "n" and
                        isinstance(cell.value, (int, float)) else cell.value == want)
                if got_kind != kind or not same:
                    bad.append(f"{code} {f['name']}: {cell.value!r} ({got_kind}), "
                               f"wanted {want!r} ({kind})")
        return bad

    def answers(self, field):
        return [v[field["name"]] for v in self.expected.values()
                if v.get(field["name"], "") != ""]

    def numbers_mismatches(self):
        bad = []
        for f in self.fields:
            if f["type"] not in NUMERIC:
                continue
            xs = [float(v) for v in self.answers(f)]
            want = {"Số trả lời (n)": len(xs), "Tổng": math.fsum(xs)}
            if xs:
                want.update({"Trung bình": statistics.mean(xs),
                             "Trung vị": statistics.median(xs),
                             "Nhỏ nhất": min(xs), "Lớn nhất": max(xs)})
            if len(xs) >= 2:
                want["Độ lệch chuẩn"] = statistics.stdev(xs)
            got = self.numbers.get(f["name"])
            if got is None:
                bad.append(f"{f['name']}: no row")
                continue
            for k in ("Số trả lời (n)", "Tổng", "Trung bình", "Trung vị",
                      "Nhỏ nhất", "Lớn nhất", "Độ lệch chuẩn"):
                if not close(got.get(k), want.get(k)):
                    bad.append(f"{f['name']} {k}: {got.get(k)!r}, wanted {want.get(k)!r}")
        return bad

    def choices_mismatches(self):
        bad = []
        for f in self.fields:
            if f["type"] not in SELECT:
                continue
            picked = [v.split() for v in self.answers(f)]
            n = len(picked)
            for name, label in f["choices"].items():
                count = sum(name in p for p in picked)
                want = (n, count, count / n if n else None)
                got = self.choices.get((f["name"], label))
                if got is None or got[:2] != want[:2] or not close(got[2], want[2]):
                    bad.append(f"{f['name']} {name}: {got!r}, wanted {want!r}")
        return bad

    def regions_mismatches(self):
        want = {}
        for r in self.roster:
            units, answered = want.get(r["region"], (0, 0))
            want[r["region"]] = (units + 1, answered + (r["code"] in self.expected))
        bad = []
        for region, (units, answered) in want.items():
            got = self.regions.get(region)
            if got is None or got[:2] != (units, answered) or \
                    not close(got[2], answered / units):
                bad.append(f"{region}: {got!r}, wanted {(units, answered)!r}")
        return bad


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("workbook")
    ap.add_argument("--read-only", action="store_true")
    ap.add_argument("--definition")
    ap.add_argument("--roster")
    ap.add_argument("--expected", action="append")
    ap.add_argument("--data", default="Dữ liệu")
    ap.add_argument("checks", nargs="*")
    args = ap.parse_intermixed_args()
    if len(args.checks) % 2:
        ap.error("EXPR WANT pairs")
    x = Export(args)
    names = {"x": x, "wb": x.wb, "datetime": datetime}
    failed = 0
    for expr, want in zip(args.checks[::2], args.checks[1::2]):
        try:
            v = eval(expr, names)
            got = v if isinstance(v, str) else repr(v)
        except Exception as e:  # a check that cannot run is a failure
            got = f"{type(e).__name__}: {e}"
        if got != want:
            print(f"{expr} = {got!r}, wanted {want!r}")
            failed = 1
    sys.exit(failed)


if __name__ == "__main__":
    main()
