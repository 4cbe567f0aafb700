# Command-line tests of `surveyd form`: the blank personalised forms, their
# hidden clues, and the round trip — forms filled by another program
# (openpyxl, by defined name; LibreOffice for .xls and .ods), imported and
# compared value by value.  Sourced by run.sh, which provides the helpers.

FORM_DIR=$here/forms/form-a
FORM_SHEET='Phiếu khảo sát'

# form_expect CODES: what make_replies.py would answer for those codes, in
# $T/exp/<code>-<slug>.expected.json ({"values": ...}, canonical).
form_expect() {
	$PY "$here/tests/fixtures/make_replies.py" "$T/exp" --codes "$1" \
	    --form "$FORM_DIR" --roster "$here/rosters/sample-63.csv" >/dev/null ||
	    fail "make_replies.py failed"
}

# form_fill BASE [LANG]: fills $T/forms/BASE.xlsx with BASE's expected values
# into $T/filled/BASE.xlsx.
form_fill() {
	mkdir -p "$T/filled"
	$PY "$here/tests/cli/fill_form.py" "$T/forms/$1.xlsx" "$FORM_DIR" \
	    "$T/exp/$1.expected.json" "$T/filled/$1.xlsx" --lang "${2:-vi}" ||
	    fail "fill_form.py $1 failed"
}

# form_py EXPR FILE: a Python expression over the workbook FILE loaded by
# openpyxl as `wb` (ws: the form sheet, names: defined name -> reference).
form_py() {
	$PY - "$2" "$1" <<'EOF'
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
ws = wb.worksheets[0]
try:
    names = {d.name: d.attr_text for d in wb.defined_names.definedName}
except AttributeError:
    names = {n: d.attr_text for n, d in wb.defined_names.items()}
def dv(cell):
    """The data validation covering a cell: (type, operator, formula1, formula2)."""
    for v in ws.data_validations.dataValidation:
        if cell in v.sqref:
            return (v.type, v.operator, v.formula1, v.formula2)
def meta(key):
    return {r[0]: r[1] for r in wb["_surveyd"].iter_rows(values_only=True)}.get(key)
v = eval(sys.argv[2])
print(v if isinstance(v, str) else repr(v))
EOF
}

expect_form() {	# expect_form FILE EXPR WANT
	local got
	got=$(form_py "$2" "$1")
	[ "$got" = "$3" ] || fail "$(basename "$1"): $2 = '$got', wanted '$3'"
}

# form_convert FORMAT OUTDIR FILE...: LibreOffice headless, its profile in $T.
form_convert() {
	local fmt=$1 out=$2
	shift 2
	soffice -env:UserInstallation="file://$T/lo-profile" --headless \
	    --convert-to "$fmt" --outdir "$out" "$@" >/dev/null 2>&1 ||
	    fail "LibreOffice could not convert $* to $fmt"
}

test_form_all_folder() {
	expect_rc 0 s form --all -o "$T/forms"
	[ "$(wc -l < "$T/out")" = 63 ] || fail "form --all printed $(wc -l < "$T/out") paths, not 63"
	expect_in "$T/out" "$T/forms/01-hanoi.xlsx"
	expect_in "$T/out" "$T/forms/79-thanhphohochiminh.xlsx"
	expect_in "$T/out" "$T/forms/77-bariavungtau.xlsx"
	[ "$(ls "$T/forms" | wc -l)" = 63 ] || fail "the folder does not hold 63 forms"
	# One respondent, to a file or into an existing folder.
	expect_rc 0 s form --respondent 14 -o "$T/sonla.xlsx"
	expect_in "$T/out" "$T/sonla.xlsx"
	expect_rc 0 s form --survey a --respondent 14 -o "$T/forms"
	expect_in "$T/out" "$T/forms/14-sonla.xlsx"
}

test_form_layout() {
	expect_rc 0 s form --respondent 01 -o "$T/f.xlsx"
	local f=$T/f.xlsx
	expect_form "$f" "wb.sheetnames, [wb[n].sheet_state for n in wb.sheetnames]" \
	    "(['$FORM_SHEET', '_surveyd', '_lists'], ['visible', 'hidden', 'hidden'])"
	expect_form "$f" "ws['B2'].value, ws['B4'].value, ws['E4'].value, ws['A4'].value" \
	    "('Đơn vị: Hà Nội', 'STT', 'Trả lời', 'field')"
	expect_form "$f" "ws['B1'].value.startswith('Phiếu khảo sát thực trạng phối hợp')" "True"
	form_py "ws['B3'].value" "$f" > "$T/guide"
	expect_in "$T/guide" "Hạn gửi: 30/06/2023."
	# Rows: a note, a numbered field, a select_multiple and its choices.
	expect_form "$f" "[ws.cell(r, 1).value for r in range(5, 9)]" \
	    "['sec_chuong_trinh', 'ct_so_chuong_trinh', 'ct_doi_tac', 'ct_doi_tac__so_khcn']"
	expect_form "$f" "ws['B6'].value, ws['D6'].value, ws['C8'].value" \
	    "(1, 'chương trình', 'Sở Khoa học và Công nghệ')"
	# Protected with no password; only the answer cells unlocked.
	expect_form "$f" "ws.protection.sheet, ws.protection.password" "(True, None)"
	expect_form "$f" "ws['E6'].protection.locked, ws['E8'].protection.locked, ws['C6'].protection.locked, ws['E7'].protection.locked" \
	    "(False, False, True, True)"
	expect_form "$f" "ws.column_dimensions['A'].hidden" "True"
	# Validation: whole numbers in the constraint's range, a decimal, a
	# dropdown through a name into _lists, the x of a choice row, a date.
	expect_form "$f" "dv('E6')" "('whole', None, '0', '200')"
	expect_form "$f" "dv('E39')" "('decimal', None, '0', '100000')"
	expect_form "$f" "dv('E8')" "('list', None, '\"x\"', None)"
	expect_form "$f" "dv('E58')[:2], ws['E58'].number_format" "(('date', 'greaterThanOrEqual'), 'dd/mm/yyyy')"
	expect_form "$f" "dv('E20')[0], names[dv('E20')[2]]" "('list', \"'_lists'!\$B\$2:\$B\$3\")"
	expect_form "$f" "[wb['_lists'].cell(r, 2).value for r in (1, 2, 3)]" "['co_khong', 'Có', 'Không']"
	expect_form "$f" "dv('E55'), ws['E55'].number_format, ws['E57'].number_format" "(None, '@', '@')"
	# Names and the _surveyd map agree, for every field and choice row.
	expect_form "$f" "names['q_ct_so_chuong_trinh'], names['q_ct_doi_tac__mttq']" \
	    "(\"'$FORM_SHEET'!\$E\$6\", \"'$FORM_SHEET'!\$E\$10\")"
	expect_form "$f" "sorted(k[2:] for k in names if k.startswith('q_')) == sorted(k[6:] for k in {r[0] for r in wb['_surveyd'].iter_rows(values_only=True)} if k.startswith('field:'))" "True"
	expect_form "$f" "len([k for k in names if k.startswith('q_')])" "47"
	expect_form "$f" "all(meta('field:' + k[2:]) == names[k] for k in names if k.startswith('q_'))" "True"
	expect_form "$f" "all(ws.cell(r, 1).value == k[2:] for k in names if k.startswith('q_') for r in [int(names[k].split('\$')[-1])])" "True"
	expect_form "$f" "meta('form_id'), meta('version'), meta('respondent')" "('lhh_phoi_hop_a', '2023.1', '01')"
	# A4 portrait, one page wide, the headings on every page.
	expect_form "$f" "ws.page_setup.paperSize, ws.page_setup.orientation, ws.page_setup.fitToHeight, ws.sheet_properties.pageSetUpPr.fitToPage, ws.print_title_rows" \
	    "(9, 'portrait', 0, True, '\$4:\$4')"
}

test_form_english() {
	sed -i 's/^timezone=.*/&\nlanguage=en/' "$T/surveyd.conf"
	expect_rc 0 s form --respondent 24 -o "$T/f.xlsx"
	expect_form "$T/f.xlsx" "wb.sheetnames[0], ws['B2'].value, ws['E4'].value, ws['C6'].value, wb['_lists'].cell(2, 2).value" \
	    "('Questionnaire', 'Respondent: Bắc Giang', 'Answer', 'Number of coordination programmes the union signed with provincial departments, agencies, mass organisations and localities in 2020-2022', 'Yes')"
	# Picked from the English dropdowns, read back the same.
	mkdir -p "$T/forms"
	mv "$T/f.xlsx" "$T/forms/24-bacgiang.xlsx"
	form_expect 24
	form_fill 24-bacgiang en
	expect_rc 0 s import "${NOW[@]}" "$T/filled/24-bacgiang.xlsx"
	expect_json "r['24']['state']" "accepted"
	expect_answers 1 "$T/exp/24-bacgiang.expected.json"
}

test_form_token_stable() {
	expect_rc 0 s form --respondent 01 -o "$T/first.xlsx"
	local token
	token=$(sqlite3 "$T/db/surveyd.db" "select token from respondent where survey='a' and code='01'")
	[ ${#token} -ge 16 ] || fail "no token in the store for 01"
	expect_form "$T/first.xlsx" "meta('token')" "$token"
	# Regenerated: the same token; another respondent: another token.
	expect_rc 0 s form --respondent 01 -o "$T/again.xlsx"
	expect_form "$T/again.xlsx" "meta('token')" "$token"
	expect_rc 0 s form --respondent 14 -o "$T/other.xlsx"
	[ "$(form_py "meta('token')" "$T/other.xlsx")" != "$token" ] || fail "01 and 14 share a token"
}

# Filled by openpyxl, finding the cells only by their names: every value
# comes back as written.
test_form_round_trip_xlsx() {
	expect_rc 0 s form --all -o "$T/forms"
	form_expect 01,14
	form_fill 01-hanoi
	form_fill 14-sonla
	expect_rc 0 s import "${NOW[@]}" "$T/filled/01-hanoi.xlsx" "$T/filled/14-sonla.xlsx"
	expect_json "r['01']['state'], r['14']['state'], r['01']['issues'], r['14']['issues']" \
	    "('accepted', 'accepted', [], [])"
	expect_answers 1 "$T/exp/01-hanoi.expected.json"
	expect_answers 2 "$T/exp/14-sonla.expected.json"
	# The phone number kept its leading zero: the cell is text.
	grep -q '"nd_dien_thoai": "0' "$T/exp/14-sonla.expected.json" "$T/exp/01-hanoi.expected.json" ||
	    fail "no phone number starting with 0 was tried"
}

# Saved again by LibreOffice as .xls and .ods, where defined names may be
# lost: the hidden column and `_surveyd` still map every value.
test_form_round_trip_xls_ods() {
	expect_rc 0 s form --all -o "$T/forms"
	form_expect 24,79
	form_fill 24-bacgiang
	form_fill 79-thanhphohochiminh
	form_convert 'xls:MS Excel 97' "$T/lo" "$T/filled/24-bacgiang.xlsx" "$T/filled/79-thanhphohochiminh.xlsx"
	form_convert ods "$T/lo" "$T/filled/24-bacgiang.xlsx" "$T/filled/79-thanhphohochiminh.xlsx"
	expect_rc 0 s import "${NOW[@]}" "$T/lo/24-bacgiang.xls" "$T/lo/79-thanhphohochiminh.ods" \
	    "$T/lo/79-thanhphohochiminh.xls" "$T/lo/24-bacgiang.ods"
	expect_json "r['24']['state'], r['79']['state'], r['24']['submissions'], r['79']['submissions']" \
	    "('accepted', 'accepted', 2, 2)"
	expect_answers 1 "$T/exp/24-bacgiang.expected.json"
	expect_answers 2 "$T/exp/79-thanhphohochiminh.expected.json"
	expect_answers 3 "$T/exp/79-thanhphohochiminh.expected.json"
	expect_answers 4 "$T/exp/24-bacgiang.expected.json"
	[ "$(sqlite3 "$T/db/surveyd.db" "select group_concat(identified_by) from submission")" = token,token,token,token ] ||
	    fail "not every converted form was identified by its token"
}

# A form of province 14 with its name and code wiped, under a neutral file
# name: the token alone says whose it is.
test_form_token_identifies() {
	expect_rc 0 s form --all -o "$T/forms"
	form_expect 14
	form_fill 14-sonla
	$PY - "$T/filled/14-sonla.xlsx" "$T/phieu.xlsx" <<'EOF' || fail "could not wipe the clues"
import sys, openpyxl
wb = openpyxl.load_workbook(sys.argv[1])
wb.worksheets[0]["B2"].value = None
for row in wb["_surveyd"].iter_rows():
    if row[0].value == "respondent":
        row[1].value = None
wb.save(sys.argv[2])
EOF
	expect_rc 0 s import "${NOW[@]}" "$T/phieu.xlsx"
	expect_in "$T/out" "accepted (14 Sơn La)"
	[ "$(sqlite3 "$T/db/surveyd.db" "select respondent, identified_by from submission")" = "14|token" ] ||
	    fail "the form was not attributed to 14 by its token"
	expect_answers 1 "$T/exp/14-sonla.expected.json"
}

test_form_blank_back() {
	expect_rc 0 s form --respondent 06 -o "$T/06.xlsx"
	expect_rc 0 s import "${NOW[@]}" "$T/06.xlsx"
	expect_json "r['06']['state'], r['06']['answer'], s['unmatched']" "('incomplete', None, [])"
	[ "$(sqlite3 "$T/db/surveyd.db" "select flags, identified_by from submission")" = "blank|token" ] ||
	    fail "the blank form was not recorded blank, by token"
}

test_form_unwritable() {
	: > "$T/plain"
	expect_rc 1 s form --respondent 01 -o "$T/plain/01.xlsx"
	expect_in "$T/err" "cannot write $T/plain/01.xlsx: Not a directory"
	expect_rc 1 s form --respondent 01 -o "$T/no/such/folder/01.xlsx"
	expect_in "$T/err" "cannot write $T/no/such/folder/01.xlsx: No such file or directory"
	expect_rc 1 s form --all -o "$T/plain"
	expect_in "$T/err" "cannot create the folder $T/plain"
	[ -z "$(find "$T" -name '*.tmp.*' -o -name '*.xlsx')" ] || fail "a file was left behind"
	if [ "$(id -u)" != 0 ]; then	# root writes anywhere
		mkdir "$T/ro" && chmod 555 "$T/ro"
		expect_rc 1 s form --respondent 01 -o "$T/ro/01.xlsx"
		expect_in "$T/err" "cannot write $T/ro/01.xlsx: Permission denied"
		[ -z "$(ls -A "$T/ro")" ] || fail "a file was left in the read-only folder"
	fi
}

test_form_usage() {
	expect_rc 2 s form --respondent 01
	expect_in "$T/err" "usage: surveyd form"
	expect_rc 2 s form --all --respondent 01 -o "$T/x"
	expect_rc 2 s form -o "$T/x"
	expect_rc 2 s form --respondent 99 -o "$T/x.xlsx"
	expect_in "$T/err" "--respondent '99': no such code"
	expect_rc 2 s form --survey nope --all -o "$T/x"
	expect_in "$T/err" "no survey 'nope'"
	[ ! -e "$T/x" ] && [ ! -e "$T/x.xlsx" ] || fail "a refused command wrote something"
}
