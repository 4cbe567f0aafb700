# Command-line tests of `surveyd export`: the consolidated workbook read
# back with openpyxl (tests/cli/read_export.py) and checked against the
# values imported and statistics worked out independently in Python; the
# CSV byte for byte.  Sourced by run.sh, which provides the helpers.
# shellcheck shell=bash disable=SC2154,SC1111	# run.sh sets $here; “” are text

EXPORT_FORM=$here/forms/form-a
EXPORT_ROSTER=$here/rosters/sample-63.csv

# export_replies: the store every export test starts from.  Accepted: 01,
# 14 (twice, the second time late), 24, 79, and 06 from a CSV typed by hand
# whose answers begin with "=" and "-"; 02 invalid, 04 incomplete; one
# reply nobody sent and one file that is not a form.  $T/06.expected.json
# holds what 06 sent, as the fixtures' expected.json files do; ANSWERED
# names the five for read_export.py.
export_replies() {
	ANSWERED=(--expected "$FIX/01.expected.json" --expected "$FIX/14.expected.json"
	    --expected "$FIX/24.expected.json" --expected "$FIX/79.expected.json"
	    --expected "$T/06.expected.json")
	expect_rc 0 s import "${NOW[@]}" "$FIX/01-openpyxl.xlsx" \
	    "$FIX/14-libreoffice.xlsx" "$FIX/24-libreoffice.xls" \
	    "$FIX/79-libreoffice.ods" "$FIX/02-invalid.ods" "$FIX/04-incomplete.xlsx"
	$PY - "$FIX/01.expected.json" "$T" <<'EOF' || fail "cannot write 06's reply"
import csv, json, sys
e = json.load(open(sys.argv[1]))
v = dict(e["values"], kn_lhh_vn="=SUM(A1)", kn_ubnd_tinh='- ý kiến, "trích dẫn"')
with open(f"{sys.argv[2]}/06.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["name", "value"])
    w.writerows(v.items())
e.update(respondent="06", name="Bắc Kạn", values=v)
json.dump(e, open(f"{sys.argv[2]}/06.expected.json", "w"), ensure_ascii=False)
EOF
	expect_rc 0 s import --now '2023-06-21 09:30' --respondent 06 "$T/06.csv"
	expect_rc 0 s import --now '2023-07-02 09:00' "$FIX/14-zipped.zip"
	printf 'name,value\nct_so_chuong_trinh,5\n' > "$T/khong-ten.csv"
	printf '%%PDF-1.4 công văn\n' > "$T/phieu.xlsx"
	expect_rc 3 s import "${NOW[@]}" "$T/khong-ten.csv" "$T/phieu.xlsx"
}

# export_expect WORKBOOK [read_export.py options] EXPR WANT...: every EXPR
# over the workbook equals its WANT (see read_export.py).
export_expect() {
	local wb=$1 out
	shift
	out=$($PY "$here/tests/cli/read_export.py" "$wb" \
	    --definition "$EXPORT_FORM" --roster "$EXPORT_ROSTER" "$@" 2>&1) ||
	    fail "$(basename "$wb"): $out"
}

test_export_workbook() {
	export_replies
	expect_rc 0 s export -o "$T/out.xlsx"
	expect_in "$T/out" "$T/out.xlsx"
	export_expect "$T/out.xlsx" "${ANSWERED[@]}" \
	    "wb.sheetnames" "['Tổng hợp', 'Dữ liệu', 'Thống kê', 'Theo dõi', 'Chưa xác định']" \
	    "wb['Dữ liệu'].max_row, wb['Dữ liệu'].freeze_panes, wb['Dữ liệu'].auto_filter.ref" \
	    "(64, 'C2', 'A1:AG64')" \
	    "[c.value for c in wb['Dữ liệu'][1]] == ['Mã', 'Đơn vị', 'Vùng', 'Trạng thái'] + [f['name'] for f in x.fields]" \
	    "True" \
	    "x.data_mismatches()" "[]" \
	    "x.data['06']['kn_lhh_vn'].data_type, x.data['06']['kn_lhh_vn'].value" \
	    "('s', '=SUM(A1)')" \
	    "x.data['06']['kn_ubnd_tinh'].data_type, x.data['06']['kn_ubnd_tinh'].value" \
	    "('s', '- ý kiến, \"trích dẫn\"')" \
	    "x.data['01']['ct_so_chuong_trinh'].number_format, x.data['01']['nl_kinh_phi'].number_format, x.data['01']['nd_ngay'].number_format" \
	    "('#,##0', '#,##0.0##', 'dd/mm/yyyy')" \
	    "{k: c.value for k, c in x.data['08'].items() if c.value is not None}" \
	    "{'Mã': '08', 'Đơn vị': 'Tuyên Quang', 'Vùng': 'Trung du và miền núi phía Bắc', 'Trạng thái': 'Chưa trả lời'}" \
	    "{k: c.value for k, c in x.data['02'].items() if c.value is not None}" \
	    "{'Mã': '02', 'Đơn vị': 'Hà Giang', 'Vùng': 'Trung du và miền núi phía Bắc', 'Trạng thái': 'Có lỗi'}" \
	    "x.data['04']['Trạng thái'].value" "Thiếu thông tin" \
	    "x.numbers_mismatches()" "[]" \
	    "x.choices_mismatches()" "[]" \
	    "len(x.numbers), len(x.choices)" "(16, 33)" \
	    "x.regions_mismatches()" "[]" \
	    "{k: round(v, 9) for k, v in x.summary.items()}" \
	    "{'Số đơn vị được khảo sát': 63, 'Hợp lệ': 5, 'Thiếu thông tin': 1, 'Có lỗi': 1, 'Chưa trả lời': 56, 'Số đơn vị đã có phiếu được ghi nhận': 5, 'Tỷ lệ trả lời': $(awk 'BEGIN { printf "%.9f", 5 / 63 }'), 'Phiếu chưa xác định được đơn vị gửi': 1, 'Tệp không đọc được như phiếu trả lời': 1}" \
	    "[x.track['01'][k] for k in ('Trạng thái', 'Số phiếu đã nhận', 'Phiếu được dùng', 'Trả lời lần đầu', 'Trả lời lần cuối', 'Số lần nhắc', 'Tệp', 'Vấn đề')]" \
	    "['Hợp lệ', 1, 1, datetime.datetime(2023, 6, 20, 10, 0), datetime.datetime(2023, 6, 20, 10, 0), 0, '01-openpyxl.xlsx', None]" \
	    "[x.track['14'][k] for k in ('Số phiếu đã nhận', 'Trả lời lần cuối', 'Ghi chú', 'Tệp')]" \
	    "[2, datetime.datetime(2023, 7, 2, 9, 0), 'trả lời sau hạn', '14-zipped.zip']" \
	    "x.track['02']['Trạng thái'], x.track['02']['Phiếu được dùng']" "('Có lỗi', None)" \
	    "x.track['02']['Vấn đề'].split(chr(10))[0]" \
	    "Chỉ tiêu “Số lượt người tham dự các lớp tập huấn” (ô E27): “nhiều” không phải là một con số." \
	    "x.track['08']['Trạng thái'], x.track['08']['Số phiếu đã nhận'], x.track['08']['Trả lời lần đầu']" \
	    "('Chưa trả lời', 0, None)" \
	    "[(u['Tệp'], u['Trạng thái'], u['Thời điểm nhận']) for u in x.unmatched]" \
	    "[('phieu.xlsx', 'Không phải phiếu', datetime.datetime(2023, 6, 20, 10, 0)), ('khong-ten.csv', 'Chưa xác định đơn vị', datetime.datetime(2023, 6, 20, 10, 0))]" \
	    "x.unmatched[1]['Vấn đề'].split(chr(10))[-1]" \
	    "Không xác định được đơn vị gửi phiếu."
}

# A field nobody answered: n = 0, and no figure divides by it.
test_export_statistics_without_answers() {
	expect_rc 0 s export -o "$T/empty.xlsx"
	export_expect "$T/empty.xlsx" \
	    "x.numbers['nl_kinh_phi']" \
	    "{'Mã chỉ tiêu': 'nl_kinh_phi', 'Chỉ tiêu': 'Kinh phí hoạt động bình quân một năm của Liên hiệp Hội (giai đoạn 2020-2022)', 'Số trả lời (n)': 0, 'Tổng': 0, 'Trung bình': None, 'Trung vị': None, 'Nhỏ nhất': None, 'Lớn nhất': None, 'Độ lệch chuẩn': None}" \
	    "x.choices[('ct_quy_che', 'Có')]" "(0, 0, None)" \
	    "x.summary['Tỷ lệ trả lời'], x.regions['Tây Nguyên']" "(0, (5, 0, 0))" \
	    "wb['Dữ liệu'].max_row, wb['Chưa xác định'].max_row" "(64, 1)"
}

test_export_csv() {
	export_replies
	expect_rc 0 s export -o "$T/out.xlsx" --csv "$T/out.csv"
	expect_in "$T/out" "$T/out.csv"
	$PY - "$T/out.csv" "$FIX" "$T" <<'EOF' || fail "the CSV differs"
import csv, io, json, sys
raw = open(sys.argv[1], "rb").read()
lines = raw.decode("utf-8").split("\r\n")
want = {
    0: "respondent_code,respondent_name,state,ct_so_chuong_trinh,ct_doi_tac,"
       "ct_so_danh_gia,ct_quy_che,tv_so_nhiem_vu,tv_so_dat_hang,tv_quy_dinh,"
       "th_so_lop,th_so_luot_nguoi,pb_so_hoat_dong,st_so_hoi_thi,"
       "st_giai_thuong,tt_so_ton_vinh,hts_so_hoi_thao,nc_so_de_tai,nl_so_hoi,"
       "nl_bien_che,nl_kiem_nhiem,nl_kinh_phi,nl_ty_le_ns,dg_hieu_qua,"
       "dg_chu_dong,dg_kho_khan,kn_lhh_vn,kn_ubnd_tinh,nd_ho_ten,nd_chuc_vu,"
       "nd_dien_thoai,nd_ngay",
}
bad = []
if raw.startswith(b"\xef\xbb\xbf"):
    bad.append("a BOM")
if not raw.endswith(b"\r\n"):
    bad.append("no CRLF at the end")
if lines[0] != want[0]:
    bad.append(f"header {lines[0]!r}")
exact = {
    "06": '06,Bắc Kạn,accepted,12,so_khcn mttq ldld ban_tuyen_giao dai_hoc,8,'
          'khong,31,30,co,29,1160,107,1,dinh_ky,97,8,1,27,11,5,2179.9,81,muc_3,'
          'lhh,co_che kinh_phi so_ket,=SUM(A1),"- ý kiến, ""trích dẫn""",'
          'Ngô Kim Nga,Trưởng ban Khoa học - Công nghệ,0917 741 628,2023-06-12',
    "08": "08,Tuyên Quang,pending" + "," * 29,
    "02": "02,Hà Giang,invalid" + "," * 29,
}
for code, line in exact.items():
    if line not in lines:
        bad.append(f"no line {line!r}")
rows = list(csv.reader(io.StringIO(raw.decode("utf-8"), newline="")))
head = rows[0]
if len(rows) != 64 or any(len(r) != 32 for r in rows):
    bad.append(f"{len(rows)} records of {sorted(set(map(len, rows)))} fields")
got = {r[0]: dict(zip(head, r)) for r in rows[1:]}
files = [f"{sys.argv[2]}/{c}.expected.json" for c in ("01", "14", "24", "79")]
for f in files + [f"{sys.argv[3]}/06.expected.json"]:
    e = json.load(open(f))
    row = got[e["respondent"]]
    if row["state"] != "accepted" or row["respondent_name"] != e["name"]:
        bad.append(f"{e['respondent']}: {row['state']} {row['respondent_name']}")
    for k, v in e["values"].items():
        if row[k] != v:
            bad.append(f"{e['respondent']} {k}: {row[k]!r}, wanted {v!r}")
for b in bad:
    print("   ", b)
sys.exit(1 if bad else 0)
EOF
}

test_export_options() {
	export_replies
	expect_rc 0 s export -o "$T/label.xlsx" --headings label
	export_expect "$T/label.xlsx" \
	    "[c.value for c in wb['Dữ liệu'][1]][4:] == [f['label'] for f in x.fields]" "True" \
	    "wb['Dữ liệu']['E1'].value, wb['Dữ liệu']['E2'].value" \
	    "('Số chương trình phối hợp Liên hiệp Hội đã ký kết với các sở, ban, ngành, đoàn thể, địa phương giai đoạn 2020-2022', 12)"
	# The respondents without an answer show their latest submission.
	expect_rc 0 s export -o "$T/all.xlsx" --csv "$T/all.csv" --include-unaccepted
	export_expect "$T/all.xlsx" \
	    "x.data['02']['Trạng thái'].value, x.data['02']['ct_so_chuong_trinh'].value, x.data['02']['nl_kiem_nhiem'].value, x.data['02']['th_so_luot_nguoi'].value" \
	    "('Có lỗi', 4, 80, None)" \
	    "x.data['04']['th_so_luot_nguoi'].value, x.data['04']['hts_so_hoi_thao'].value" "(840, None)" \
	    "x.data['08']['ct_so_chuong_trinh'].value" "None" \
	    "x.numbers['ct_so_chuong_trinh']['Số trả lời (n)']" "7" \
	    "x.summary['Số đơn vị đã có phiếu được ghi nhận']" "5"
	expect_in "$T/all.csv" "02,Hà Giang,invalid,4,"
	# English headers when the survey speaks English.
	echo "language=en" >> "$T/surveyd.conf"
	expect_rc 0 s export -o "$T/en.xlsx"
	export_expect "$T/en.xlsx" \
	    "wb.sheetnames" "['Summary', 'Data', 'Statistics', 'Tracking', 'Unidentified']" \
	    "[c.value for c in wb['Data'][1]][:5]" "['Code', 'Respondent', 'Region', 'State', 'ct_so_chuong_trinh']" \
	    "wb['Data']['D2'].value, wb['Data']['H2'].value, wb['Data']['C5'].value" \
	    "('Accepted', 'No', 'Trung du và miền núi phía Bắc')" \
	    "[c.value for c in wb['Statistics'][2]][:3]" "['Field', 'Indicator', 'n']"
}

# Nothing half-written is ever left: the file appears whole or not at all.
test_export_unwritable() {
	expect_rc 1 s export -o "$T/khong-co/out.xlsx"
	expect_in "$T/err" "export: cannot write $T/khong-co/out.xlsx: No such file or directory"
	[ -e "$T/khong-co" ] && fail "a folder was made"
	mkdir "$T/thu-muc"
	expect_rc 1 s export -o "$T/thu-muc"
	expect_in "$T/err" "export: cannot write $T/thu-muc: Is a directory"
	expect_rc 1 s export -o "$T/ok.xlsx" --csv "$T/khong-co/out.csv"
	expect_in "$T/err" "export: cannot write $T/khong-co/out.csv: No such file or directory"
	[ -e "$T/ok.xlsx" ] && fail "the workbook was kept though the CSV failed"
	compgen -G "$T/*.tmp.*" >/dev/null && fail "temporary files left: $(ls "$T")"
	[ "$(ls -A "$T/thu-muc")" = "" ] || fail "something was written into the folder"
	expect_rc 2 s export
	expect_rc 2 s export -o "$T/x.xlsx" --headings both
	expect_in "$T/err" "--headings 'both': expected 'code' or 'label'"
	expect_rc 2 s export -o "$T/x.xlsx" --survey b
	expect_in "$T/err" "no survey 'b'"
}

# 10,000 respondents, a 300-character label, and an old accepted answer
# that the changed definition no longer takes (text in an integer field).
test_export_large() {
	local label="open('$T/label.txt', encoding='utf-8').read()" t0
	$PY - "$T" "$EXPORT_FORM" <<'EOF' || fail "cannot make the large survey"
import csv, shutil, sys
t, form = sys.argv[1:3]
regions = ["Đồng bằng sông Hồng", "Tây Nguyên", "Đông Nam Bộ"]
with open(f"{t}/roster.csv", "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["code", "name", "region", "emails"])
    for i in range(1, 10001):
        w.writerow([f"{i:05d}", f"Đơn vị số {i}", regions[i % 3], f"dv{i}@example.test"])
shutil.copytree(form, f"{t}/form")
rows = list(csv.reader(open(f"{form}/survey.csv", encoding="utf-8")))
label = ("Số chương trình phối hợp đã ký kết " * 9)[:300]
open(f"{t}/label.txt", "w", encoding="utf-8").write(label)
for r in rows:
    if r[1] == "ct_so_chuong_trinh":
        r[2] = label
    if r[1] == "nd_chuc_vu":
        r[0] = "integer"
with open(f"{t}/survey-new.csv", "w", newline="", encoding="utf-8") as f:
    csv.writer(f).writerows(rows)
EOF
	sed -i "s|^roster=.*|roster=$T/roster.csv|; s|^definition=.*|definition=$T/form|" "$T/surveyd.conf"
	expect_rc 0 s import "${NOW[@]}" --respondent 00001 "$FIX/01-openpyxl.xlsx"
	# The definition changes after the answer was accepted.
	cp "$T/survey-new.csv" "$T/form/survey.csv"
	t0=$SECONDS
	expect_rc 0 s export -o "$T/big.xlsx" --headings label
	echo "  (export of 10,000 respondents: $((SECONDS - t0)) s)"
	$PY -c "import zipfile, sys; sys.exit(b'inlineStr' not in zipfile.ZipFile('$T/big.xlsx').read('xl/worksheets/sheet2.xml'))" ||
	    fail "a large export is not written in constant_memory mode"
	export_expect "$T/big.xlsx" --read-only \
	    "len($label), wb['Dữ liệu'].max_row" "(300, 10001)" \
	    "[c.value for c in next(wb['Dữ liệu'].iter_rows(max_row=1))][4] == $label" "True" \
	    "[c.value for c in next(wb['Dữ liệu'].iter_rows(min_row=2, max_row=2))][:5]" \
	    "['00001', 'Đơn vị số 1', 'Tây Nguyên', 'Hợp lệ', 12]" \
	    "[(c.value, c.data_type) for c in next(wb['Dữ liệu'].iter_rows(min_row=2, max_row=2))][30]" \
	    "('Trưởng ban Khoa học - Công nghệ', 's')" \
	    "[c.value for c in next(wb['Dữ liệu'].iter_rows(min_row=10001, max_row=10001))][:4]" \
	    "['10000', 'Đơn vị số 10000', 'Tây Nguyên', 'Chưa trả lời']" \
	    "x.numbers['ct_so_chuong_trinh']['Chỉ tiêu'] == $label" "True" \
	    "[x.numbers['ct_so_chuong_trinh'][k] for k in ('Số trả lời (n)', 'Tổng', 'Độ lệch chuẩn')]" "[1, 12, None]" \
	    "[x.numbers['nd_chuc_vu'][k] for k in ('Số trả lời (n)', 'Tổng', 'Trung bình')]" "[0, 0, None]" \
	    "x.summary['Số đơn vị được khảo sát'], x.summary['Hợp lệ']" "(10000, 1)"
}
