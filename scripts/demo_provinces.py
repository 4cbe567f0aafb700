#!/usr/bin/python3
"""demo_provinces.py — the provincial unions of `make demo` (scripts/demo.sh).

Plays the other side of the survey: each province takes the form surveyd
mailed it out of its own mailbox (IMAP), has it filled by another program
(tests/cli/fill_form.py, openpyxl, with make_replies.py's realistic
Vietnamese answers), sometimes saved again by LibreOffice as .xls or .ods,
and mails it back to the union the way mail clients do (smtplib, base64,
RFC 2231 file names), on a day of the simulated calendar.

    demo_provinces.py plan    DEMO ROSTER OPENS DEADLINE   -> DEMO/plan.json; prints the addresses
    demo_provinces.py prepare DEMO IMAP_PORT               -> DEMO/post/<date>/*.eml
    demo_provinces.py send    DEMO SMTP_PORT IMAP_PORT DATE -> mails that day's replies, waits
                                                             for them in the union's INBOX

Run with Debian's interpreter (python3-openpyxl).  Deterministic: the
same roster and dates give the same plan and the same answers.
"""

import csv
import datetime
import email
import email.message
import email.policy
import email.utils
import imaplib
import importlib.util
import io
import json
import os
import random
import shutil
import smtplib
import subprocess
import sys
import time
import unicodedata
import zipfile

sys.dont_write_bytecode = True     # no __pycache__ in the checkout
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORM = os.path.join(ROOT, "forms", "form-a")
UNION = "khaosat@example.test"
PASSWORD = "mật-khẩu-thử"          # tests/cli/dovecot.sh's DOVE_PASSWORD
PERSONAL = ("Nguyễn Thị Thu Hương", "huong.nguyenthithu82@example.test")
SEED = "demo-2023"


def load(name, path):
    spec = importlib.util.spec_from_file_location(name, path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def read_roster(path):
    with open(path, encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for r in rows:
        r["addresses"] = [a for a in r["emails"].split(";") if a]
        r["cc_list"] = [a for a in (r.get("cc") or "").split(";") if a]
    return rows


def day(s):
    return datetime.date.fromisoformat(s)


def weekdays(a, b):
    out, d = [], a
    while d <= b:
        if d.weekday() < 5:
            out.append(d)
        d += datetime.timedelta(days=1)
    return out


# ------------------------------------------------------------------ plan

def cmd_plan(demo, roster_path, opens, deadline):
    """Who does what when: plan.json, and every mailbox the servers need."""
    roster = read_roster(roster_path)
    opens, deadline = day(opens), day(deadline)
    rnd = random.Random(SEED)
    codes = [r["code"] for r in roster]
    order = codes[:]
    rnd.shuffle(order)
    n = len(codes)
    bounce = order.pop(0)
    quiet = max(2, round(n * 0.16))           # never answer
    silent, repliers = order[:quiet], order[quiet:]
    r = len(repliers)
    k = max(1, r // 17)
    roles = (["xls"] * k + ["ods"] * k + ["forwarded"] * k + ["zipped"] * k +
             ["personal"] + ["incomplete-fixed"] * max(1, r // 26) +
             ["invalid-fixed"] * max(1, r // 26) + ["late"] * k)
    if r >= 20:
        roles += ["incomplete"] + ["twice"]
    roles = roles[:r] + ["xlsx"] * max(0, r - len(roles))
    rnd.shuffle(roles)
    # Replies come in waves: many the first fortnight, a few more after the
    # first reminder (deadline - 7 days), the late ones the week after.
    days = weekdays(opens, deadline)
    weights = [3 if d < opens + datetime.timedelta(days=7) else
               2 if d < opens + datetime.timedelta(days=14) else
               1 if d < deadline - datetime.timedelta(days=7) else 2.5 for d in days]
    late_days = weekdays(deadline + datetime.timedelta(days=1),
                         deadline + datetime.timedelta(days=7))
    events = []
    for code, role in zip(repliers, roles):
        if role == "late":
            events.append({"date": rnd.choice(late_days).isoformat(), "code": code,
                           "kind": "xlsx", "variant": "good", "note": "late"})
            continue
        if role.endswith("-fixed"):
            first = rnd.choice([d for d in days if d < deadline - datetime.timedelta(days=9)])
            fix = rnd.choice([d for d in days if first + datetime.timedelta(days=2) <= d
                              <= first + datetime.timedelta(days=8)])
            bad = role.split("-")[0]
            events.append({"date": first.isoformat(), "code": code, "kind": "xlsx",
                           "variant": bad, "note": bad})
            events.append({"date": fix.isoformat(), "code": code, "kind": "xlsx",
                           "variant": "good", "note": "corrected"})
            continue
        when = rnd.choices(days, weights=weights, k=1)[0]
        if role == "incomplete":
            events.append({"date": when.isoformat(), "code": code, "kind": "xlsx",
                           "variant": "incomplete", "note": "incomplete, never corrected"})
            continue
        if role == "twice":
            events.append({"date": when.isoformat(), "code": code, "kind": "xlsx",
                           "variant": "good", "note": ""})
            events.append({"date": (when + datetime.timedelta(days=1 if when.weekday() < 4 else 3)).isoformat(),
                           "code": code, "kind": "xlsx", "variant": "good", "note": "the same file again",
                           "same_as": True})
            continue
        events.append({"date": when.isoformat(), "code": code, "kind": role, "variant": "good",
                       "note": ""})
    # One province's out-of-office answer to the form, on opening day.
    events.append({"date": opens.isoformat(), "code": silent[0], "kind": "auto-reply",
                   "variant": None, "note": "out-of-office auto-reply"})
    events.sort(key=lambda e: (e["date"], e["code"]))
    for i, e in enumerate(events):
        e["id"] = i
        if e.get("same_as"):    # the id of the province's first reply
            e["same_as"] = next(x["id"] for x in events if x["code"] == e["code"])
    by = {r["code"]: r for r in roster}
    plan = {"roster": os.path.abspath(roster_path), "opens": opens.isoformat(),
            "deadline": deadline.isoformat(), "bounce": bounce,
            "bounce_address": by[bounce]["addresses"][0], "silent": silent,
            "personal": PERSONAL[1], "events": events}
    with open(os.path.join(demo, "plan.json"), "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=False, indent=1)
    addresses = []
    for row in roster:
        addresses += row["addresses"] + row["cc_list"]
    addresses += [PERSONAL[1]]
    print("\n".join(addresses))


# ------------------------------------------------------------------ IMAP

def imap_login(port, user):
    m = imaplib.IMAP4("127.0.0.1", port)
    # AUTHENTICATE PLAIN: the password is not ASCII, which LOGIN's quoting refuses.
    m.authenticate("PLAIN", lambda _: b"\0" + user.encode() + b"\0" + PASSWORD.encode())
    m.select("INBOX")
    return m


def fetch_form(port, address):
    """The form mail in ADDRESS's INBOX: (message, attachment name, bytes),
    waiting a while for OpenSMTPD to deliver it."""
    m = imap_login(port, address)
    try:
        for _ in range(200):
            typ, data = m.search(None, "ALL")
            for num in data[0].split():
                typ, msg = m.fetch(num, "(RFC822)")
                mail = email.message_from_bytes(msg[0][1], policy=email.policy.default)
                for part in mail.iter_attachments():
                    name = part.get_filename() or ""
                    if name.lower().endswith(".xlsx"):
                        return mail, name, part.get_content()
            time.sleep(0.1)
            m.noop()
    finally:
        m.logout()
    return None, None, None


# ------------------------------------------------------------------ filling

def answers(mr, settings, fields, who, variant, rnd):
    """field -> canonical value (fill_form.py's VALUES.json)."""
    good = mr.good_values(SEED, settings, fields, who)
    by = {f["name"]: f for f in fields}
    values = {n: mr.canonical(by[n], v) for n, v in good.items()}
    if variant == "incomplete":
        required = [f["name"] for f in fields if f["type"] != "note" and f["required"]]
        for n in rnd.sample(required, 2):
            values[n] = ""
    elif variant == "invalid":
        values["nl_bien_che"] = str(rnd.randint(70, 90))      # the constraint says <= 60
        values["nd_dien_thoai"] = "chưa có số máy bàn"        # not a phone number
    return values


def fill(ff, form_path, values_path, out_path):
    """tests/cli/fill_form.py, run in this process (openpyxl loads once)."""
    argv = sys.argv
    sys.argv = ["fill_form.py", form_path, FORM, values_path, out_path]
    try:
        ff.main()
    finally:
        sys.argv = argv


def soffice(fmt, files, outdir, work):
    """LibreOffice headless saves FILES as FMT ("xls", "ods") into OUTDIR."""
    if not files:
        return None
    filt = {"xls": "xls:MS Excel 97", "ods": "ods"}[fmt]
    profile = os.path.join(work, "lo-" + fmt)
    return subprocess.Popen(["soffice", "-env:UserInstallation=file://" + profile,
                             "--headless", "--convert-to", filt, "--outdir", outdir] + files,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def ascii_name(s):
    s = unicodedata.normalize("NFD", s).replace("đ", "d").replace("Đ", "D")
    return "".join(c for c in s if not unicodedata.combining(c))


def cmd_prepare(demo, imap_port):
    with open(os.path.join(demo, "plan.json"), encoding="utf-8") as f:
        plan = json.load(f)
    mr = load("make_replies", os.path.join(ROOT, "tests", "fixtures", "make_replies.py"))
    ff = load("fill_form", os.path.join(ROOT, "tests", "cli", "fill_form.py"))
    settings, fields = mr.load_form(FORM)
    roster = {r["code"]: r for r in read_roster(plan["roster"])}
    work = os.path.join(demo, "provinces")
    os.makedirs(work, exist_ok=True)
    forms = {}
    for e in plan["events"]:
        code = e["code"]
        if code not in forms:
            forms[code] = fetch_form(imap_port, roster[code]["addresses"][0])
            if forms[code][0] is None:
                sys.exit(f"demo_provinces.py: no form in {roster[code]['addresses'][0]}'s mailbox")
    # Fill: one file per reply, by fill_form.py.
    convert = {"xls": [], "ods": []}
    for e in plan["events"]:
        if e["variant"] is None or "same_as" in e:
            continue
        code, who = e["code"], roster[e["code"]]
        rnd = random.Random(f"{SEED}:{e['id']}")
        mail, name, data = forms[code]
        form_path = os.path.join(work, f"{code}-form.xlsx")
        if not os.path.exists(form_path):
            with open(form_path, "wb") as f:
                f.write(data)
        values = answers(mr, settings, fields, who, e["variant"], rnd)
        vpath = os.path.join(work, f"{e['id']:03d}-{code}.json")
        with open(vpath, "w", encoding="utf-8") as f:
            json.dump({"values": values}, f, ensure_ascii=False)
        out = os.path.join(work, f"{e['id']:03d}-{code}.xlsx")
        fill(ff, form_path, vpath, out)
        e["file"] = out
        e["values"] = vpath
        if e["kind"] in convert:
            convert[e["kind"]].append(out)
    # LibreOffice: the .xls and .ods savers, both at once (two profiles).
    lo = os.path.join(work, "lo")
    os.makedirs(lo, exist_ok=True)
    procs = [soffice(fmt, files, lo, work) for fmt, files in convert.items()]
    for p in procs:
        if p is not None and p.wait() != 0:
            sys.exit("demo_provinces.py: LibreOffice failed to convert")
    for fmt in convert:
        shutil.rmtree(os.path.join(work, "lo-" + fmt), ignore_errors=True)
    for e in plan["events"]:
        if e["kind"] in convert:
            e["file"] = os.path.join(lo, os.path.basename(e["file"])[:-5] + "." + e["kind"])
            if not os.path.exists(e["file"]):
                sys.exit(f"demo_provinces.py: LibreOffice did not write {e['file']}")
    # Mails, one .eml per reply under post/<date>/.
    for e in plan["events"]:
        who = roster[e["code"]]
        mail = forms[e["code"]][0]
        if "same_as" in e:
            e["file"] = plan["events"][e["same_as"]]["file"]
        msg = build_mail(e, who, mail, forms[e["code"]][1], random.Random(f"{SEED}:mail:{e['id']}"))
        folder = os.path.join(demo, "post", e["date"])
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, f"{e['id']:03d}-{e['code']}-{e['kind']}.eml")
        with open(path, "wb") as f:
            f.write(msg.as_bytes(policy=email.policy.SMTP))
        e["eml"] = path
        e["message_id"] = msg["Message-ID"]
        e["from"] = email.utils.parseaddr(msg["From"])[1]
    with open(os.path.join(demo, "plan.json"), "w", encoding="utf-8") as f:
        json.dump(plan, f, ensure_ascii=False, indent=1)
    kinds = {}
    for e in plan["events"]:
        kinds[e["kind"]] = kinds.get(e["kind"], 0) + 1
    print(", ".join(f"{n} {k}" for k, n in sorted(kinds.items(), key=lambda x: -x[1])))


# ------------------------------------------------------------------ mails

STAFF = ["Nguyễn Văn Hùng", "Trần Thị Lan", "Lê Minh Tuấn", "Phạm Thu Hà", "Hoàng Đức Thắng",
         "Vũ Thị Hạnh", "Đặng Quang Long", "Bùi Thanh Huyền", "Đỗ Mạnh Cường", "Ngô Kim Oanh"]
BODIES = [
    "Kính gửi Ban tổ chức khảo sát,\n\nLiên hiệp Hội {name} gửi lại phiếu khảo sát đã điền "
    "đầy đủ thông tin (tệp đính kèm).\n\nTrân trọng,\n{staff}\nVăn phòng Liên hiệp Hội {name}\n",
    "Kính gửi Quý Liên hiệp Hội,\n\nThực hiện đề nghị của Quý cơ quan, Liên hiệp các Hội "
    "Khoa học và Kỹ thuật {name} xin gửi phiếu khảo sát kèm theo thư này.\n\n"
    "Trân trọng cảm ơn.\n{staff}\n",
    "Dạ em gửi phiếu khảo sát của LHH {name} ạ.\nEm cảm ơn!\n\n{staff}\n",
]


def ascii_file(name):
    return ascii_name(name).replace(" ", "_")


def build_mail(e, who, form_mail, form_name, rnd):
    name = who["name"]
    staff = rnd.choice(STAFF)
    subject = form_mail["Subject"]
    date = datetime.datetime.fromisoformat(e["date"]).replace(
        hour=rnd.randint(8, 15), minute=rnd.randint(0, 59),
        tzinfo=datetime.timezone(datetime.timedelta(hours=7)))
    msg = email.message.EmailMessage(policy=email.policy.SMTP)
    msg["From"] = email.utils.formataddr((f"LHH {name}", who["addresses"][0]))
    msg["To"] = UNION
    msg["Date"] = email.utils.format_datetime(date)
    msg["Message-ID"] = email.utils.make_msgid("demo-%03d" % e["id"], "mail.example.test")
    msg["Subject"] = "Re: " + subject
    msg["In-Reply-To"] = form_mail["Message-ID"]
    msg["References"] = form_mail["Message-ID"]
    if e["kind"] == "auto-reply":
        msg.replace_header("Subject", "Trả lời tự động: " + subject)
        msg["Auto-Submitted"] = "auto-replied"
        msg.set_content(f"Tôi đang đi công tác đến hết ngày {e['date']}, "
                        "sẽ trả lời thư khi trở về.\n")
        return msg
    body = rnd.choice(BODIES).format(name=name, staff=staff)
    if e["note"] == "corrected":
        body = (f"Kính gửi Ban tổ chức,\n\nLiên hiệp Hội {name} gửi lại phiếu đã bổ sung, "
                f"chỉnh sửa theo đề nghị.\n\nTrân trọng,\n{staff}\n")
        msg.replace_header("Subject", "Re: Đề nghị bổ sung phiếu khảo sát của " + name)
    data = open(e["file"], "rb").read()
    ext = os.path.splitext(e["file"])[1]
    if e["kind"] in ("xlsx", "personal", "forwarded") and rnd.random() < 0.5:
        fname = form_name                                  # the name it came with
    else:
        fname = rnd.choice([f"Phiếu khảo sát LHH {name} (đã điền).xlsx",
                            f"PKS_{ascii_file(name)}.xlsx",
                            f"phieu khao sat {ascii_name(name)}.xlsx"])
    fname = fname[:-5] + ext
    mime = {".xlsx": ("application", "vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
            ".xls": ("application", "vnd.ms-excel"),
            ".ods": ("application", "vnd.oasis.opendocument.spreadsheet")}[ext]
    if e["kind"] == "zipped":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
            z.writestr(fname, data)
        data, fname, mime = buf.getvalue(), f"Phieu khao sat - {ascii_name(name)}.zip", ("application", "zip")
    if e["kind"] == "personal":
        msg.replace_header("From", email.utils.formataddr(PERSONAL))
        body = (f"Chào anh chị,\nEm là {PERSONAL[0]}, Văn phòng LHH {name}; hộp thư cơ quan đang "
                "lỗi nên em gửi phiếu từ hộp thư cá nhân ạ.\n\nEm cảm ơn.\n")
    if e["kind"] == "forwarded":
        # Filled at the chairman's office, forwarded as an attachment
        # (message/rfc822) from the office address, as Outlook does.
        inner = email.message.EmailMessage(policy=email.policy.SMTP)
        inner["From"] = email.utils.formataddr((staff, who["addresses"][0]))
        inner["To"] = who["addresses"][1] if len(who["addresses"]) > 1 else UNION
        inner["Date"] = email.utils.format_datetime(date - datetime.timedelta(hours=2))
        inner["Message-ID"] = email.utils.make_msgid("demo-inner-%03d" % e["id"], "mail.example.test")
        inner["Subject"] = "Phiếu khảo sát đã điền"
        inner.set_content("Gửi văn phòng phiếu đã điền để chuyển Ban tổ chức.\n")
        inner.add_attachment(data, maintype=mime[0], subtype=mime[1], filename=fname)
        sender = who["addresses"][1] if len(who["addresses"]) > 1 else who["addresses"][0]
        msg.replace_header("From", email.utils.formataddr((f"Văn phòng LHH {name}", sender)))
        msg.replace_header("Subject", "Fw: Phiếu khảo sát đã điền")
        del msg["In-Reply-To"]
        del msg["References"]
        msg.set_content(f"Văn phòng Liên hiệp Hội {name} chuyển tiếp phiếu khảo sát.\n")
        msg.add_attachment(inner)
        return msg
    msg.set_content(body)
    if rnd.random() < 0.4:  # Outlook and Gmail send an HTML copy too
        html = "<html><body>" + "".join(f"<p>{line}</p>" for line in body.splitlines() if line) + \
               "</body></html>"
        msg.add_alternative(html, subtype="html")
    msg.add_attachment(data, maintype=mime[0], subtype=mime[1], filename=fname)
    return msg


# ------------------------------------------------------------------ sending

def cmd_send(demo, smtp_port, imap_port, date):
    with open(os.path.join(demo, "plan.json"), encoding="utf-8") as f:
        plan = json.load(f)
    todays = [e for e in plan["events"] if e["date"] == date]
    if not todays:
        return 0
    roster = {r["code"]: r for r in read_roster(plan["roster"])}
    with smtplib.SMTP("127.0.0.1", smtp_port) as s:
        for e in todays:
            raw = open(e["eml"], "rb").read()
            s.sendmail(e["from"], [UNION], raw)
            what = {"xlsx": ".xlsx", "xls": ".xls (LibreOffice)", "ods": ".ods (LibreOffice)",
                    "zipped": ".zip", "forwarded": "forwarded (message/rfc822)",
                    "personal": f"from a personal address, {e['from']}",
                    "auto-reply": "an out-of-office auto-reply"}[e["kind"]]
            note = f", {e['note']}" if e["note"] and e["kind"] != "auto-reply" else ""
            print(f"   -> {e['code']} {roster[e['code']]['name']}: {what}{note}")
    # Wait until the union's mailbox holds every one of them.
    m = imap_login(imap_port, UNION)
    try:
        for _ in range(300):
            missing = 0
            for e in todays:
                typ, data = m.search(None, "HEADER", "Message-ID", e["message_id"])
                missing += not data[0].split()
            if not missing:
                return 0
            time.sleep(0.1)
            m.noop()
    finally:
        m.logout()
    sys.exit(f"demo_provinces.py: {missing} mail(s) of {date} never reached {UNION}")


def main():
    a = sys.argv[1:]
    if a[:1] == ["plan"] and len(a) == 5:
        return cmd_plan(*a[1:])
    if a[:1] == ["prepare"] and len(a) == 3:
        return cmd_prepare(a[1], int(a[2]))
    if a[:1] == ["send"] and len(a) == 5:
        return cmd_send(a[1], int(a[2]), int(a[3]), a[4])
    sys.exit(__doc__.split("\n\n")[1])


if __name__ == "__main__":
    sys.exit(main())
