#!/usr/bin/python3
"""make_mailbox.py — a Maildir of N reply messages for bench/mail.sh.

    /usr/bin/python3 bench/make_mailbox.py MAILDIR N [--base DIR]
        [--form forms/form-a] [--roster rosters/sample-63.csv]
        [--xlsx-size 20480] [--jobs 2]

Message i (0 <= i < N) is the reply of roster code i mod 63: the filled
form tests/fixtures/make_replies.py writes for that code (variant good,
made once into --base), with one answer changed (th_so_luot_nguoi, the
number of course participants, set to 1000 + i, within its constraint) by
rewriting the sheet XML inside the zip, so every attachment's sha256
differs.  The workbook is padded to about --xlsx-size bytes with a stored
docProps/thumbnail.jpeg of incompressible bytes, as Excel and LibreOffice
save one (make_replies.py's files are 11 KiB; the issue asks for ~20 KB).

Each message is what a mail client sends: From the respondent's first
roster address with an RFC 2047 display name, an RFC 2047 subject,
multipart/mixed with a text/plain cover note and the .xlsx in base64 under
an RFC 2231 Vietnamese filename, its own Message-ID.  Files are written
straight into MAILDIR/cur as "<time>.M<i>P0.bench,S=<size>:2," (no flags),
mtime = the message's Date, so Dovecot's INTERNALDATE is today.  Writing
10,000 this way takes seconds; doveadm save would take ten minutes.
"""
import argparse
import base64
import csv
import email.header
import hashlib
import io
import json
import os
import random
import subprocess
import sys
import time
import urllib.parse
import zipfile
from multiprocessing import Pool

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIELD = "th_so_luot_nguoi"	# integer, 0..200000: 1000 + i stays valid
THUMB = "docProps/thumbnail.jpeg"

BASES = {}	# code -> (members [(ZipInfo, bytes)], sheet name, cell, row)
G = {}		# what each worker needs


def roster(path):
    with open(path, encoding="utf-8") as f:
        return [r for r in csv.DictReader(f)]


def make_bases(base, form, roster_path):
    """The 63 filled replies, made once by make_replies.py."""
    done = os.path.join(base, ".done")
    if os.path.exists(done):
        return
    os.makedirs(base, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "tests", "fixtures",
                    "make_replies.py"), base, "--variant", "good", "--form",
                    form, "--roster", roster_path, "--seed", "bench-mail"],
                   check=True, stdout=subprocess.DEVNULL)
    open(done, "w").close()


def load_base(base, code):
    xlsx = json_path = None
    for name in os.listdir(base):
        if name.startswith(code + "-") and name.endswith(".xlsx"):
            xlsx = os.path.join(base, name)
            json_path = xlsx[:-5] + ".expected.json"
    with open(json_path, encoding="utf-8") as f:
        exp = json.load(f)
    cell = exp["cells"][FIELD].split("!")[1].replace("$", "")
    old = exp["values"][FIELD]
    members = []
    with zipfile.ZipFile(xlsx) as z:
        for info in z.infolist():
            members.append((info, z.read(info)))
    # The answer sheet is the workbook's first: xl/worksheets/sheet1.xml.
    needle = ('<c r="%s" s="' % cell).encode()
    for info, data in members:
        if info.filename == "xl/worksheets/sheet1.xml":
            at = data.find(needle)
            v = data.find(b"<v>", at)
            if at < 0 or data[v + 3:data.find(b"</v>", v)] != old.encode():
                sys.exit("make_mailbox: %s: %s is not %s in %s" %
                         (xlsx, cell, old, info.filename))
    return members, cell


def xlsx_bytes(code, i, size):
    members, cell = BASES[code]
    out = io.BytesIO()
    needle = ('<c r="%s" s="' % cell).encode()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info, data in members:
            if info.filename == "xl/worksheets/sheet1.xml":
                at = data.find(needle)
                v = data.find(b"<v>", at) + 3
                data = data[:v] + b"%d" % (1000 + i) + data[data.find(b"</v>", v):]
            z.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
        have = out.tell() + 200
        if size > have:
            rnd = random.Random("thumb-%s" % code)
            thumb = zipfile.ZipInfo(THUMB, date_time=(2023, 5, 10, 8, 0, 0))
            z.writestr(thumb, rnd.randbytes(size - have),
                       compress_type=zipfile.ZIP_STORED)
    return out.getvalue()


def q_encode(s):
    return email.header.Header(s, "utf-8").encode()


def rfc2231(name):
    """filename*0*=...; filename*1*=... lines of at most ~70 characters."""
    enc = urllib.parse.quote(name.encode("utf-8"), safe="")
    parts = [enc[k:k + 48] for k in range(0, len(enc), 48)]
    # A %XX escape must not be cut in two.
    fixed, carry = [], ""
    for p in parts:
        p = carry + p
        cut = p.rfind("%", len(p) - 2)
        carry = p[cut:] if cut >= 0 else ""
        fixed.append(p[:cut] if cut >= 0 else p)
    if carry:
        fixed.append(carry)
    return ";\r\n".join(" filename*%d*=%s%s" % (k, "utf-8''" if k == 0 else "", p)
                        for k, p in enumerate(fixed))


def message(i):
    rows, size, stamp = G["rows"], G["size"], G["stamp"]
    r = rows[i % len(rows)]
    code, name = r["code"], r["name"]
    sender = r["emails"].split(";")[0]
    xlsx = xlsx_bytes(code, i, size)
    b64 = base64.encodebytes(xlsx).decode().replace("\n", "\r\n")
    boundary = "=_bench_%d_=" % i
    when = time.strftime("%a, %d %b %Y %H:%M:%S +0000", time.gmtime(stamp + i))
    filename = "Phiếu khảo sát - %s.xlsx" % name
    head = (
        "From: %s <%s>\r\n"
        "To: =?utf-8?q?Kh=E1=BA=A3o_s=C3=A1t?= <khaosat@example.test>\r\n"
        "Subject: %s\r\n"
        "Date: %s\r\n"
        "Message-ID: <bench-mail-%d@example.test>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: multipart/mixed; boundary=\"%s\"\r\n"
        "\r\n"
        "--%s\r\n"
        "Content-Type: text/plain; charset=\"utf-8\"\r\n"
        "Content-Transfer-Encoding: 8bit\r\n"
        "\r\n"
        "Kính gửi Liên hiệp hội,\r\nXin gửi phiếu khảo sát của %s (lần %d).\r\n"
        "\r\n"
        "--%s\r\n"
        "Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
        "Content-Transfer-Encoding: base64\r\n"
        "Content-Disposition: attachment;\r\n%s\r\n"
        "\r\n" % (q_encode("Văn phòng " + name), sender,
                  q_encode("Phiếu khảo sát - " + name), when, i, boundary,
                  boundary, name, i // len(rows) + 1, boundary,
                  rfc2231(filename)))
    data = head.encode() + b64.encode() + ("\r\n--%s--\r\n" % boundary).encode()
    return i, data, hashlib.sha256(xlsx).hexdigest(), len(xlsx)


def write(args):
    i, data, digest, xlen = message(args)
    path = os.path.join(G["cur"], "%d.M%dP0.bench,S=%d:2," %
                        (G["stamp"] + i, i, len(data)))
    with open(path, "wb") as f:
        f.write(data)
    t = G["stamp"] + i
    os.utime(path, (t, t))
    return digest, xlen, len(data)


def init(g):
    G.update(g)
    for r in G["rows"]:
        BASES[r["code"]] = load_base(G["base"], r["code"])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("maildir")
    ap.add_argument("n", type=int)
    ap.add_argument("--base", default=os.path.join(ROOT, "bench", ".data",
                                                   "mail-base"))
    ap.add_argument("--form", default=os.path.join(ROOT, "forms", "form-a"))
    ap.add_argument("--roster", default=os.path.join(ROOT, "rosters",
                                                     "sample-63.csv"))
    ap.add_argument("--xlsx-size", type=int, default=20480)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()

    make_bases(a.base, a.form, a.roster)
    for sub in ("cur", "new", "tmp"):
        os.makedirs(os.path.join(a.maildir, sub), exist_ok=True)
    # Today, an hour ago and on: inside any survey's lookback.
    g = {"rows": roster(a.roster), "size": a.xlsx_size, "base": a.base,
         "cur": os.path.join(a.maildir, "cur"),
         "stamp": int(time.time()) - 3600 - a.n}
    with Pool(a.jobs, initializer=init, initargs=(g,)) as pool:
        out = pool.map(write, range(a.n), chunksize=64)
    digests = {d for d, _, _ in out}
    if len(digests) != a.n:
        sys.exit("make_mailbox: only %d of %d attachments differ" %
                 (len(digests), a.n))
    print("messages=%d xlsx_avg=%d mail_avg=%d distinct=%d" % (
        a.n, sum(x for _, x, _ in out) // a.n,
        sum(m for _, _, m in out) // a.n, len(digests)))


if __name__ == "__main__":
    main()
