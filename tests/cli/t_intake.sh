# Command-line tests of intake: import, status, assign, revalidate, backup,
# check-config (install is in t_service.sh).  Sourced by run.sh, which
# provides the helpers.

test_check_config() {
	expect_rc 0 s check-config
	expect_in "$T/out" "survey a: form lhh_phoi_hop_a version 2023.1, 29 indicators, 63 respondents"
	cat >> "$T/surveyd.conf" <<EOF
closes=someday
reminders=-7d,-3
send-window=Mon-Fri 17:00-08:00
holidays=2024-02-08..2024-02-14,30/4
send-forms=sometimes
colour=blue
[survey b]
roster=/nonexistent/roster.csv
[imap]
timeout=0
[smtp]
timeout=soon
EOF
	expect_rc 2 s check-config
	expect_in "$T/err" "config: [imap] timeout: '0' is not a duration (e.g. 60, 5m)"
	expect_in "$T/err" "config: [smtp] timeout: 'soon' is not a duration (e.g. 60, 5m)"
	expect_in "$T/err" "config: [survey a] closes: 'someday' is not a date"
	expect_in "$T/err" "config: [survey a] reminders: '-3' is not a step such as -3d or +2d"
	expect_in "$T/err" "config: [survey a] send-window: 'Mon-Fri 17:00-08:00' is not a window"
	expect_in "$T/err" "config: [survey a] holidays: '30/4' is not a date or a range"
	expect_in "$T/err" "config: [survey a] send-forms: 'sometimes' must be manual or auto"
	expect_in "$T/err" "warning: config: [survey a] unknown key 'colour' is ignored"
	expect_in "$T/err" "config: [survey b] definition: missing"
	expect_in "$T/err" "/nonexistent/roster.csv: No such file or directory"
	# Every command refuses a broken config the same way.
	expect_rc 2 s status
}

test_import_office_files() {
	expect_rc 0 s import "${NOW[@]}" "$FIX/01-openpyxl.xlsx" "$FIX/14-libreoffice.xlsx" \
	    "$FIX/24-libreoffice.xls" "$FIX/79-libreoffice.ods" "$FIX/02-invalid.ods" \
	    "$FIX/04-incomplete.xlsx"
	expect_json "r['01']['state'], r['14']['state'], r['24']['state'], r['79']['state']" \
	    "('accepted', 'accepted', 'accepted', 'accepted')"
	expect_json "r['02']['state'], r['04']['state'], r['02']['answer'], r['06']['state']" \
	    "('invalid', 'incomplete', None, 'pending')"
	expect_json "r['01']['answer'], r['01']['submissions'], r['01']['flags'], r['01']['last_reply']" \
	    "(1, 1, [], '2023-06-20T10:00:00+07:00')"
	expect_answers 1 "$FIX/01.expected.json"
	expect_answers 2 "$FIX/14.expected.json"
	expect_answers 3 "$FIX/24.expected.json"
	expect_answers 4 "$FIX/79.expected.json"
	expect_json "sorted(i['field'] for i in r['02']['issues'])" \
	    "['dg_chu_dong', 'nl_kiem_nhiem', 'th_so_luot_nguoi']"
	expect_json "[i['cell'] for i in r['04']['issues']]" "['E33', 'E36']"
	expect_json "len(s['respondents']), s['unmatched']" "(63, [])"
	# The same files again: recognised, not stored twice, exit 0.
	expect_rc 0 s import "${NOW[@]}" "$FIX/01-openpyxl.xlsx" "$FIX/14-zipped.zip"
	expect_in "$T/out" "01-openpyxl.xlsx: duplicate of submission 1"
	expect_json "r['01']['submissions'], r['14']['submissions']" "(1, 2)"
	expect_rc 0 s status
	expect_in "$T/out" "a: 63 respondents, 4 answered, 0 unmatched or unreadable"
}

test_not_a_form_is_kept() {
	printf '%%PDF-1.4 công văn\n' > "$T/phieu.xlsx"
	: > "$T/empty.csv"
	expect_rc 3 s import "${NOW[@]}" "$T/phieu.xlsx" "$T/empty.csv" "$FIX/01-openpyxl.xlsx"
	expect_in "$T/err" "phieu.xlsx: Tệp “phieu.xlsx” không đọc được như một phiếu trả lời: not a spreadsheet: the file is a PDF document"
	expect_in "$T/err" "empty.csv: Tệp “empty.csv” không đọc được như một phiếu trả lời: empty file"
	# Not a form even when its sender is known: 24 stays pending.
	expect_rc 0 s import "${NOW[@]}" --respondent 24 "$T/phieu.xlsx"
	expect_in "$T/out" "duplicate of submission 1"
	printf 'GIF89a' > "$T/anh.xlsx"
	expect_rc 3 s import "${NOW[@]}" --respondent 24 "$T/anh.xlsx"
	expect_json "r['24']['state'], r['24']['submissions']" "('pending', 0)"
	expect_rc 3 s assign 1 24
	expect_in "$T/err" "assign: submission 1 is not a form (phieu.xlsx); it cannot be anyone's answer"
	# The good file after them went in all the same.
	expect_json "r['01']['state']" "accepted"
	expect_json "[(u['file'], u['state']) for u in s['unmatched']]" \
	    "[('anh.xlsx', 'not-a-form'), ('empty.csv', 'not-a-form'), ('phieu.xlsx', 'not-a-form')]"
	local sha
	sha=$(sha256sum "$T/phieu.xlsx" | cut -d' ' -f1)
	cmp -s "$T/phieu.xlsx" "$T/archive/${sha:0:2}/$sha" || fail "the PDF is not in the archive"
}

test_unmatched_then_assign() {
	printf 'name,value\nct_so_chuong_trinh,5\nnl_so_hoi,25\n' > "$T/khong-ten.csv"
	expect_rc 3 s import "${NOW[@]}" "$T/khong-ten.csv"
	expect_json "[(u['submission'], u['state']) for u in s['unmatched']]" "[(1, 'unmatched')]"
	expect_json "s['unmatched'][0]['issues'][-1]['message']" "Không xác định được đơn vị gửi phiếu."
	expect_rc 0 s assign 1 14
	expect_in "$T/out" "submission 1: 14's, incomplete"
	expect_json "s['unmatched'], r['14']['state'], r['14']['submissions']" "([], 'incomplete', 1)"
	expect_rc 2 s assign 1 99
	expect_in "$T/err" "'99' is not a respondent of survey a"
	expect_rc 2 s assign 42 14
	expect_in "$T/err" "there is no submission 42"
}

test_respondent_override_and_late() {
	printf 'name;value\nct_so_chuong_trinh;5\n' > "$T/tay.csv"
	expect_rc 0 s import --now '2023-07-02 09:00' --respondent 24 "$T/tay.csv"
	expect_json "r['24']['state'], r['24']['flags']" "('incomplete', ['late'])"
	expect_rc 2 s import --respondent 99 "$T/tay.csv"
	expect_in "$T/err" "--respondent '99': no such code"
}

test_revalidate() {
	expect_rc 0 s import "${NOW[@]}" "$FIX/01-openpyxl.xlsx"
	cp -r "$here/forms/form-a" "$T/form"
	# The designer tightens a constraint: 01's member associations now break it.
	sed -i 's/^integer,nl_so_hoi,\(.*\),\. >= 0 and \. <= [0-9]*,/integer,nl_so_hoi,\1,. >= 0 and . <= 5,/' "$T/form/survey.csv"
	grep -q '^integer,nl_so_hoi,.*<= 5,' "$T/form/survey.csv" || fail "could not edit the constraint"
	sed -i "s|^definition=.*|definition=$T/form|" "$T/surveyd.conf"
	expect_rc 0 s revalidate
	expect_in "$T/out" "submission 1: accepted -> invalid"
	expect_json "r['01']['state'], r['01']['answer'], r['01']['issues'][0]['field']" \
	    "('invalid', None, 'nl_so_hoi')"
}

test_backup() {
	expect_rc 0 s import "${NOW[@]}" "$FIX/01-openpyxl.xlsx" "$FIX/24-libreoffice.xls"
	expect_rc 0 s backup -o "$T/copy.db"
	[ "$(sqlite3 "$T/copy.db" 'PRAGMA integrity_check')" = ok ] || fail "backup integrity"
	[ "$(sqlite3 "$T/copy.db" 'select count(*) from submission')" = 2 ] || fail "backup lacks submissions"
	expect_rc 2 s backup -o "$T/copy.db"
	expect_in "$T/err" "exists; choose a new file"
}

test_concurrent_writer() {
	expect_rc 0 s status
	# Another process holds the write lock for two seconds.
	sqlite3 "$T/db/surveyd.db" "BEGIN IMMEDIATE; INSERT INTO event (time, kind, actor) VALUES (1, 'test', 'other'); SELECT 1 FROM (WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x+1 FROM c WHERE x < 3000000) SELECT count(*) FROM c); COMMIT;" >/dev/null &
	local other=$!
	sleep 0.2
	expect_rc 0 s import "${NOW[@]}" "$FIX/01-openpyxl.xlsx"
	wait $other || fail "the other writer failed"
	[ "$(sqlite3 "$T/db/surveyd.db" "select count(*) from event where actor='other'")" = 1 ] || fail "the other write is lost"
	expect_json "r['01']['state']" "accepted"
}

test_usage() {
	expect_rc 2 s frobnicate
	expect_in "$T/err" "unknown command 'frobnicate'"
	expect_rc 2 s import
	expect_in "$T/err" "import: no file given"
	expect_rc 2 s status --survey nope
	expect_in "$T/err" "no survey 'nope'"
	expect_rc 2 s import --now 'tomorrow' "$FIX/01-openpyxl.xlsx"
	expect_in "$T/err" "--now 'tomorrow': expected 'YYYY-MM-DD HH:MM'"
	cat >> "$T/surveyd.conf" <<EOF
[survey b]
definition=$here/forms/form-b
roster=$here/rosters/sample-b.csv
EOF
	expect_rc 2 s status
	expect_in "$T/err" "the config has 2 surveys: say which with --survey"
	expect_rc 0 s status --survey b --json
	SURVEYD_CONFIG=$T/surveyd.conf expect_rc 0 "$SURVEYD" check-config
	expect_rc 2 s -c /nonexistent/surveyd.conf status
	expect_in "$T/err" "config: /nonexistent/surveyd.conf: No such file or directory"
}

test_hostile_files() {
	local f any=0
	for f in "$here"/tests/fixtures/hostile/*; do
		[ -f "$f" ] || continue
		any=1
		expect_rc 3 s import "${NOW[@]}" "$f" "$FIX/01-openpyxl.xlsx"
		grep -q "không đọc được như một phiếu trả lời: ." "$T/err" || fail "$(basename "$f"): no reason given"
	done
	[ $any = 1 ] || fail "no hostile fixtures found"
	expect_json "r['01']['state']" "accepted"
}
