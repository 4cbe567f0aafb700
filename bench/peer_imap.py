#!/usr/bin/python3
"""peer_imap.py — the Python peer of `surveyd poll --once`, for bench/mail.sh.

    /usr/bin/python3 bench/peer_imap.py --port PORT --user USER
        --password-file FILE --form forms/form-a --roster ROSTER
        --db STORE.db --archive DIR [--host 127.0.0.1] [--batch 64]

What surveyd does with a mailbox of replies, written the ordinary way with
the standard library and python3-openpyxl, as a careful Python programmer
would:

  * imaplib: log in, SELECT INBOX, UID SEARCH UNKEYWORD $surveyd, then one
    UID FETCH n (BODY.PEEK[]) per message, on the one connection;
  * the raw message's sha256; a message seen before (same bytes) is not
    taken twice; the raw message and each attachment are archived under
    their sha256, as surveyd keeps them (written, not fsync'd one by one);
  * email (policy.default): every attachment whose name ends in .xlsx;
  * openpyxl in read-only mode: the answer sheet's rows (column A the
    field name, E the answer, as the generated form lays them out) and
    the hidden _surveyd sheet's respondent code;
  * the values checked against the definition (forms/<form>/survey.csv and
    choices.csv): required answered, integer/decimal/date types, a
    select_one label in its list; the respondent found by the sender's
    address in the roster, else by the form's code;
  * sqlite3 (WAL, synchronous=NORMAL as surveyd): the submission and its
    answers and the message's row, one transaction per --batch messages;
  * after each commit, one UID STORE +FLAGS.SILENT (\\Seen $surveyd) for the
    batch's UIDs.

Prints "messages=N stored=N rejected=N duplicates=N seconds=S" at the end.
"""
import argparse
import csv
import datetime
import email
import email.policy
import email.utils
import hashlib
import imaplib
import io
import os
import sqlite3
import sys
import time

import openpyxl

KEYWORD = "$surveyd"
SCHEMA = """
CREATE TABLE IF NOT EXISTS raw (sha256 TEXT PRIMARY KEY, size INTEGER NOT NULL,
    path TEXT NOT NULL, created INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS submission (id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE, respondent TEXT, state TEXT NOT NULL,
    filename TEXT, sender TEXT, subject TEXT, message_id TEXT,
    received INTEGER NOT NULL);
CREATE TABLE IF NOT EXISTS answer (submission INTEGER NOT NULL
    REFERENCES submission(id), field TEXT NOT NULL, value TEXT NOT NULL,
    PRIMARY KEY (submission, field));
CREATE TABLE IF NOT EXISTS issue (submission INTEGER NOT NULL, field TEXT,
    message TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS mailbox_message (uidvalidity INTEGER NOT NULL,
    uid INTEGER NOT NULL, message_id TEXT, sha256 TEXT NOT NULL,
    state TEXT NOT NULL, time INTEGER NOT NULL, UNIQUE (uidvalidity, uid));
CREATE INDEX IF NOT EXISTS mailbox_message_sha256 ON mailbox_message (sha256);
"""


def load_definition(folder):
    with open(os.path.join(folder, "survey.csv"), encoding="utf-8") as f:
        fields = [r for r in csv.DictReader(f) if r["type"] != "note"]
    labels = {}
    with open(os.path.join(folder, "choices.csv"), encoding="utf-8") as f:
        for r in csv.DictReader(f):
            labels.setdefault(r["list_name"], {})[r["label::vi"]] = r["name"]
    for fd in fields:
        kind, _, lst = fd["type"].partition(" ")
        fd["kind"], fd["list"] = kind, labels.get(lst, {})
        fd["required"] = fd.get("required", "").strip().lower() in ("yes", "true", "1")
    return fields


def load_roster(path):
    by_address, codes = {}, set()
    with open(path, encoding="utf-8") as f:
        for r in csv.DictReader(f):
            codes.add(r["code"])
            for a in (r.get("emails") or "").split(";"):
                if a.strip():
                    by_address[a.strip().lower()] = r["code"]
    return by_address, codes


def canonical(fd, v):
    """(value as text, problem or None) for one answer cell."""
    kind = fd["kind"]
    if kind == "integer":
        if isinstance(v, bool) or not isinstance(v, (int, float)) or v != int(v):
            return str(v), "not a whole number"
        return str(int(v)), None
    if kind == "decimal":
        if isinstance(v, bool) or not isinstance(v, (int, float)):
            return str(v), "not a number"
        return ("%.15g" % v), None
    if kind == "date":
        if isinstance(v, datetime.datetime):
            return v.date().isoformat(), None
        if isinstance(v, datetime.date):
            return v.isoformat(), None
        return str(v), "not a date"
    if kind == "select_one":
        name = fd["list"].get(str(v).strip())
        return (name, None) if name else (str(v), "not in the list")
    return str(v).strip(), None


def read_reply(data, fields):
    """(respondent code or None, {field: value}, [problems])."""
    wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True,
                                data_only=True)
    try:
        cells = {}
        for row in wb.worksheets[0].iter_rows(min_col=1, max_col=5,
                                              values_only=True):
            if row and isinstance(row[0], str) and row[0]:
                cells[row[0]] = row[4] if len(row) > 4 else None
        code = None
        if "_surveyd" in wb.sheetnames:
            for row in wb["_surveyd"].iter_rows(min_col=1, max_col=2,
                                                values_only=True):
                if row[0] == "respondent":
                    code = str(row[1])
                    break
    finally:
        wb.close()
    values, problems = {}, []
    for fd in fields:
        name = fd["name"]
        if fd["kind"] == "select_multiple":
            chosen = [c for c in fd["list"].values()
                      if str(cells.get(name + "__" + c) or "").strip().lower() == "x"]
            v = " ".join(chosen)
        else:
            raw = cells.get(name)
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                v = ""
            else:
                v, bad = canonical(fd, raw)
                if bad:
                    problems.append((name, "%s: %s" % (name, bad)))
        if v == "" and fd["required"]:
            problems.append((name, "%s: required" % name))
        values[name] = v
    return code, values, problems


def archive(folder, sha, data):
    sub = os.path.join(folder, sha[:2])
    path = os.path.join(sub, sha)
    if not os.path.exists(path):
        os.makedirs(sub, exist_ok=True)
        tmp = path + ".tmp"
        with open(tmp, "wb") as f:
            f.write(data)
        os.rename(tmp, path)
    return path


def uid_set(uids):
    """'3:5,9' from sorted UIDs."""
    out, i = [], 0
    while i < len(uids):
        j = i
        while j + 1 < len(uids) and uids[j + 1] == uids[j] + 1:
            j += 1
        out.append(str(uids[i]) if i == j else "%d:%d" % (uids[i], uids[j]))
        i = j + 1
    return ",".join(out)


class Peer:
    def __init__(self, a):
        self.a = a
        self.fields = load_definition(a.form)
        self.by_address, self.codes = load_roster(a.roster)
        os.makedirs(a.archive, exist_ok=True)
        self.db = sqlite3.connect(a.db, isolation_level=None)
        self.db.execute("PRAGMA journal_mode=WAL")
        self.db.execute("PRAGMA synchronous=NORMAL")
        self.db.executescript(SCHEMA)
        self.now = int(time.time())
        self.rows = []		# (uid, message_id, sha256, state) of the batch
        self.subs = []		# (sha, code, state, filename, ..., values, problems)
        self.seen = set(r[0] for r in self.db.execute(
            "SELECT sha256 FROM mailbox_message"))
        self.count = {"stored": 0, "rejected": 0, "duplicate": 0}

    def take(self, uid, raw):
        sha = hashlib.sha256(raw).hexdigest()
        if sha in self.seen:
            self.rows.append((uid, None, sha, "duplicate"))
            return
        self.seen.add(sha)
        archive(self.a.archive, sha, raw)
        msg = email.message_from_bytes(raw, policy=email.policy.default)
        sender = email.utils.parseaddr(str(msg.get("From", "")))[1].lower()
        subject = str(msg.get("Subject", ""))
        message_id = str(msg.get("Message-ID", "")) or None
        state = "rejected"
        for part in msg.iter_attachments():
            name = part.get_filename() or ""
            if not name.lower().endswith(".xlsx"):
                continue
            data = part.get_content()
            fsha = hashlib.sha256(data).hexdigest()
            archive(self.a.archive, fsha, data)
            try:
                code, values, problems = read_reply(data, self.fields)
            except Exception as e:	# not a workbook: refused, next one
                print("UID %d (%s): %s" % (uid, name, e), file=sys.stderr)
                continue
            who = self.by_address.get(sender) or (code if code in self.codes else None)
            sub_state = "invalid" if problems else "accepted"
            self.subs.append((fsha, len(data), who, sub_state, name, sender,
                              subject, message_id, values, problems))
            state = "stored"
        self.rows.append((uid, message_id, sha, state))

    def flush(self, imap, uidvalidity):
        if not self.rows:
            return
        db = self.db
        db.execute("BEGIN")
        for (fsha, size, who, state, name, sender, subject, mid, values,
             problems) in self.subs:
            db.execute("INSERT OR IGNORE INTO raw VALUES (?, ?, ?, ?)",
                       (fsha, size, os.path.join(self.a.archive, fsha[:2], fsha),
                        self.now))
            cur = db.execute(
                "INSERT OR IGNORE INTO submission (sha256, respondent, state,"
                " filename, sender, subject, message_id, received)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                (fsha, who, state, name, sender, subject, mid, self.now))
            if cur.rowcount != 1:
                continue
            sid = cur.lastrowid
            db.executemany("INSERT INTO answer VALUES (?, ?, ?)",
                           [(sid, k, v) for k, v in values.items()])
            db.executemany("INSERT INTO issue VALUES (?, ?, ?)",
                           [(sid, f, m) for f, m in problems])
        db.executemany("INSERT INTO mailbox_message VALUES (?, ?, ?, ?, ?, ?)",
                       [(uidvalidity, uid, mid, sha, state, self.now)
                        for uid, mid, sha, state in self.rows])
        db.execute("COMMIT")
        for _, _, _, state in self.rows:
            self.count[state] += 1
        # Committed: now the server may be told, in one command.
        uids = sorted(r[0] for r in self.rows)
        typ, data = imap.uid("STORE", uid_set(uids), "+FLAGS.SILENT",
                             "(\\Seen %s)" % KEYWORD)
        if typ != "OK":
            raise SystemExit("UID STORE failed: %r" % data)
        self.rows, self.subs = [], []


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, required=True)
    ap.add_argument("--user", required=True)
    ap.add_argument("--password-file", required=True)
    ap.add_argument("--form", required=True)
    ap.add_argument("--roster", required=True)
    ap.add_argument("--db", required=True)
    ap.add_argument("--archive", required=True)
    ap.add_argument("--batch", type=int, default=64)
    a = ap.parse_args()

    start = time.monotonic()
    peer = Peer(a)
    with open(a.password_file, encoding="utf-8") as f:
        password = f.read().rstrip("\n")
    imap = imaplib.IMAP4(a.host, a.port)
    imap.login(a.user, password)
    typ, data = imap.select("INBOX")
    if typ != "OK":
        raise SystemExit("SELECT INBOX failed: %r" % data)
    uidvalidity = int(imap.response("UIDVALIDITY")[1][0])
    typ, data = imap.uid("SEARCH", "UNKEYWORD", KEYWORD)
    uids = [int(u) for u in data[0].split()]
    for uid in uids:
        typ, data = imap.uid("FETCH", str(uid), "(BODY.PEEK[])")
        if typ != "OK" or not data or not isinstance(data[0], tuple):
            print("UID %d: fetch failed: %r" % (uid, data), file=sys.stderr)
            continue
        peer.take(uid, data[0][1])
        if len(peer.rows) >= a.batch:
            peer.flush(imap, uidvalidity)
    peer.flush(imap, uidvalidity)
    imap.logout()
    c = peer.count
    print("messages=%d stored=%d rejected=%d duplicates=%d seconds=%.3f" % (
        len(uids), c["stored"], c["rejected"], c["duplicate"],
        time.monotonic() - start))


if __name__ == "__main__":
    main()
