#!/usr/bin/python3
"""export_data.py — the survey bench/export.sh exports: a 40-field definition,
a roster of N respondents and a store where every one of them has an
accepted submission.

    /usr/bin/python3 bench/export_data.py DIR [--respondents N] [--seed S]

Writes DIR/form/{survey,choices,settings}.csv, DIR/roster.csv and
DIR/surveyd.conf; bench/export.sh then lets surveyd create DIR/surveyd.db
(schema and respondents) and calls this again with --fill, which adds the
submissions and answers with plain INSERTs in one transaction.  Going
through `surveyd import` would give the same rows: the export reads only
the submission and answer tables, and importing 10,000 files takes longer
than the export this measures.  The values have the shapes intake stores:
canonical numbers, ISO dates, choice names, Vietnamese text.
"""

import argparse
import csv
import hashlib
import os
import random
import sqlite3

REGIONS = [
    "Đồng bằng sông Hồng", "Trung du và miền núi phía Bắc",
    "Bắc Trung Bộ và Duyên hải miền Trung", "Tây Nguyên", "Đông Nam Bộ",
    "Đồng bằng sông Cửu Long",
]
# 40 fields: what a form-B-sized questionnaire holds.
TYPES = (["integer"] * 22 + ["decimal"] * 6 + ["date"] * 2 +
         ["select_one muc"] * 4 + ["select_multiple kho_khan"] * 2 +
         ["text"] * 4)
CHOICES = {
    "muc": ["Rất hiệu quả", "Hiệu quả", "Tương đối hiệu quả", "Ít hiệu quả",
            "Không hiệu quả"],
    "kho_khan": ["Thiếu cơ chế, chính sách phối hợp",
                 "Kinh phí thực hiện phối hợp hạn hẹp",
                 "Cán bộ ít, chủ yếu kiêm nhiệm",
                 "Sở, ban, ngành chưa chủ động phối hợp",
                 "Chưa sơ kết, tổng kết, đánh giá", "Khó khăn khác"],
}
WORDS = ("phối hợp tổ chức hội thảo khoa học tư vấn phản biện giám định xã "
         "hội tập huấn kỹ thuật chuyển giao tiến bộ đề xuất kiến nghị tỉnh "
         "huyện liên hiệp hội").split()


def field_name(i):
    return f"cs_{i + 1:02d}"


def write_definition(folder):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "survey.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["type", "name", "label::vi", "label::en", "required"])
        w.writerow(["note", "sec_1", "I. Các chỉ tiêu", "I. Indicators", ""])
        for i, t in enumerate(TYPES):
            w.writerow([t, field_name(i),
                        f"Chỉ tiêu {i + 1}: số liệu về hoạt động phối hợp "
                        f"của Liên hiệp Hội giai đoạn 2020-2022",
                        f"Indicator {i + 1}", "yes"])
    with open(os.path.join(folder, "choices.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["list_name", "name", "label::vi"])
        for lst, labels in CHOICES.items():
            for k, label in enumerate(labels):
                w.writerow([lst, f"{lst}_{k + 1}", label])
    with open(os.path.join(folder, "settings.csv"), "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["form_id", "form_title::vi", "version"])
        w.writerow(["bench_40", "Phiếu khảo sát 40 chỉ tiêu (bench)", "1"])


def write_roster(path, n):
    with open(path, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["code", "name", "region", "emails"])
        for i in range(n):
            w.writerow([f"{i + 1:05d}", f"Đơn vị số {i + 1}",
                        REGIONS[i % len(REGIONS)],
                        f"donvi{i + 1}@example.test"])


def value(rng, t):
    if t == "integer":
        return str(rng.randint(0, 5000))
    if t == "decimal":
        return f"{rng.randint(0, 999999) / 10:g}"
    if t == "date":
        return f"2023-{rng.randint(1, 6):02d}-{rng.randint(1, 28):02d}"
    if t.startswith("select_one"):
        lst = t.split()[1]
        return f"{lst}_{rng.randint(1, len(CHOICES[lst]))}"
    if t.startswith("select_multiple"):
        lst = t.split()[1]
        picked = sorted(rng.sample(range(1, len(CHOICES[lst]) + 1),
                                   rng.randint(1, 3)))
        return " ".join(f"{lst}_{k}" for k in picked)
    return " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 12)))


def fill(db, n, seed):
    rng = random.Random(seed)
    con = sqlite3.connect(db)
    with con:
        for i in range(n):
            code = f"{i + 1:05d}"
            cur = con.execute(
                "INSERT INTO submission (survey, sha256, respondent, state,"
                " source, filename, sender, received, form_id, form_version,"
                " identified_by) VALUES ('b', ?, ?, 'accepted', 'file', ?, ?,"
                " ?, 'bench_40', '1', 'sender')",
                (hashlib.sha256(code.encode()).hexdigest(), code,
                 f"phieu-{code}.xlsx", f"donvi{i + 1}@example.test",
                 1687230000 + i))
            sub = cur.lastrowid
            con.executemany(
                "INSERT INTO answer (submission, field, value, cell)"
                " VALUES (?, ?, ?, ?)",
                [(sub, field_name(k), value(rng, t), f"E{k + 6}")
                 for k, t in enumerate(TYPES)])
    con.close()


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("dir")
    ap.add_argument("--respondents", type=int, default=10000)
    ap.add_argument("--seed", default="bench-export")
    ap.add_argument("--fill", action="store_true",
                    help="add the submissions to DIR/surveyd.db")
    a = ap.parse_args()
    if a.fill:
        fill(os.path.join(a.dir, "surveyd.db"), a.respondents, a.seed)
        return
    os.makedirs(a.dir, exist_ok=True)
    write_definition(os.path.join(a.dir, "form"))
    write_roster(os.path.join(a.dir, "roster.csv"), a.respondents)
    with open(os.path.join(a.dir, "surveyd.conf"), "w") as f:
        f.write("[store]\ndatabase = surveyd.db\narchive = archive\n\n"
                "[survey b]\ndefinition = form\nroster = roster.csv\n"
                "timezone = Asia/Ho_Chi_Minh\n")


if __name__ == "__main__":
    main()
