# Command-line tests of mail intake through `surveyd import FILE.eml`: the
# message archived and recorded whole, its attachments through the same
# pipeline as files, the sender and subject identifying the respondent.
# Sourced by run.sh, which provides the helpers; mails are built by
# tests/fixtures/make_mail.py, as clients build them.

MAILFIX=$here/tests/fixtures/mail

# mail_make OUT.eml [make_mail.py one options] FILE...
mail_make() {
	local out=$1
	shift
	$PY "$here/tests/fixtures/make_mail.py" one -o "$out" "$@" || fail "make_mail.py failed"
}

# A reply with no token and no name in it: only the mail says who sent it.
mail_csv() {
	printf 'name,value\nct_so_chuong_trinh,5\nnl_so_hoi,25\n' > "$T/khong-ten.csv"
}

sql() {
	sqlite3 "$T/db/surveyd.db" "$1"
}

expect_sql() {	# expect_sql QUERY WANT
	local got
	got=$(sql "$1")
	[ "$got" = "$2" ] || fail "$1 = '$got', wanted '$2'"
}

# The message's bytes are in the archive and in the raw table.
expect_archived() {	# expect_archived FILE
	local sha
	sha=$(sha256sum "$1" | cut -d' ' -f1)
	cmp -s "$1" "$T/archive/${sha:0:2}/$sha" || fail "$(basename "$1") is not in the archive"
	expect_sql "select size from raw where sha256 = '$sha'" "$(stat -c %s "$1")"
}

test_mail_sender_identifies() {
	mail_csv
	mail_make "$T/sonla.eml" --from 'Sơn La <LienHiepHoi.SonLa@example.test>' \
	    --subject 'Gửi phiếu' --message-id '<sonla-1@example.test>' "$T/khong-ten.csv"
	expect_rc 0 s import "${NOW[@]}" "$T/sonla.eml"
	expect_in "$T/out" "sonla.eml (attachment khong-ten.csv): stored as submission 1: incomplete (14 Sơn La)"
	expect_sql "select respondent, identified_by, source, filename, sender, subject, message_id from submission" \
	    "14|sender|mail|khong-ten.csv|lienhiephoi.sonla@example.test|Gửi phiếu|sonla-1@example.test"
	expect_json "r['14']['state'], r['14']['submissions'], r['14']['flags']" "('incomplete', 1, [])"
	expect_archived "$T/sonla.eml"
	expect_archived "$T/khong-ten.csv"
}

test_mail_subject_code() {
	mail_csv
	mail_make "$T/m.eml" --from 'canbo.ca.nhan@example.test' \
	    --subject '[24] phiếu khảo sát' "$T/khong-ten.csv"
	expect_rc 0 s import "${NOW[@]}" "$T/m.eml"
	expect_sql "select respondent, identified_by from submission" "24|subject"
	expect_json "r['24']['state']" "incomplete"
}

# A form's token from another province's address: the token wins, flagged.
test_mail_token_mismatch() {
	mkdir -p "$T/forms"
	expect_rc 0 s form --respondent 24 -o "$T/forms"
	form_expect 24
	form_fill 24-bacgiang
	mail_make "$T/m.eml" --from 'lienhiephoi.sonla@example.test' \
	    --subject 'Phiếu khảo sát' "$T/filled/24-bacgiang.xlsx"
	expect_rc 0 s import "${NOW[@]}" "$T/m.eml"
	expect_in "$T/out" "m.eml (attachment 24-bacgiang.xlsx): stored as submission 1: accepted (24 Bắc Giang) [mismatch]"
	expect_sql "select respondent, identified_by, flags from submission" "24|token|mismatch"
	expect_json "r['24']['state'], r['24']['flags'], r['14']['state']" "('accepted', ['mismatch'], 'pending')"
	expect_answers 1 "$T/exp/24-bacgiang.expected.json"
}

test_mail_forwarded_and_zipped() {
	expect_rc 0 s import "${NOW[@]}" "$MAILFIX/forwarded.eml" "$MAILFIX/zipped.eml"
	expect_in "$T/out" "forwarded.eml (attachment phieu-son-la.xlsx): stored as submission 1: accepted (14 Sơn La)"
	expect_in "$T/out" "zipped.eml (attachment phieu.zip): stored as submission 2: accepted (14 Sơn La)"
	expect_json "r['14']['state'], r['14']['answer'], r['14']['submissions']" "('accepted', 2, 2)"
	expect_answers 1 "$FIX/14.expected.json"
	# A zipped reply built here, forwarded: a ZIP inside a message inside a message.
	mail_make "$T/fz.eml" --from 'lienhiephoi.bacgiang@example.test' --forward --zip \
	    "$FIX/24-libreoffice.xls"
	expect_rc 0 s import "${NOW[@]}" "$T/fz.eml"
	expect_in "$T/out" "fz.eml (attachment phieu.zip): stored as submission 3: accepted (24 Bắc Giang)"
}

test_mail_twice_is_duplicate() {
	expect_rc 0 s import "${NOW[@]}" "$MAILFIX/reply-2231.eml"
	expect_in "$T/out" "reply-2231.eml (attachment Phiếu khảo sát - Hà Nội.xlsx): stored as submission 1: accepted (01 Hà Nội)"
	expect_rc 0 s import "${NOW[@]}" "$MAILFIX/reply-2231.eml"
	expect_in "$T/out" "reply-2231.eml (attachment Phiếu khảo sát - Hà Nội.xlsx): duplicate of submission 1"
	expect_sql "select count(*) from submission" 1
	expect_sql "select count(*) from raw" 2
	expect_archived "$MAILFIX/reply-2231.eml"
	expect_answers 1 "$FIX/01.expected.json"
}

test_mail_without_spreadsheet() {
	expect_rc 3 s import "${NOW[@]}" "$MAILFIX/cover-letter.eml"
	expect_in "$T/err" "cover-letter.eml: the message has no spreadsheet (it has: Công văn 123.pdf, image001.png)"
	expect_archived "$MAILFIX/cover-letter.eml"
	expect_sql "select count(*) from submission" 0
	expect_rc 3 s import "${NOW[@]}" "$MAILFIX/auto-reply.eml"
	expect_in "$T/err" "auto-reply.eml: the message has no spreadsheet (it has no attachment)"
}

test_mail_unmatched_shows_sender() {
	mail_csv
	mail_make "$T/m.eml" --from 'Người Lạ <nguoi.la@example.test>' \
	    --subject 'Phiếu khảo sát' "$T/khong-ten.csv"
	expect_rc 3 s import "${NOW[@]}" "$T/m.eml"
	expect_json "[(u['from'], u['subject'], u['file'], u['state']) for u in s['unmatched']]" \
	    "[('nguoi.la@example.test', 'Phiếu khảo sát', 'khong-ten.csv', 'unmatched')]"
}

# A hostile message is refused whole, named, kept; the next file goes in.
test_mail_hostile() {
	$PY - "$T/parts.eml" <<'EOF'
import sys
with open(sys.argv[1], "wb") as f:
    f.write(b"From: a@example.test\r\nMIME-Version: 1.0\r\n"
            b"Content-Type: multipart/mixed; boundary=b\r\n\r\n")
    f.write(b"--b\r\nContent-Type: text/csv\r\n\r\nx,1\r\n" * 10000 + b"--b--\r\n")
EOF
	printf 'From: a@example.test\r\nMIME-Version: 1.0\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: application/vnd.ms-excel; name="../../h.xls"\r\nContent-Transfer-Encoding: base64\r\n\r\n!!! not base64 ???\r\n--b--\r\n' > "$T/b64.eml"
	expect_rc 3 s import "${NOW[@]}" "$T/parts.eml" "$T/b64.eml" "$FIX/01-openpyxl.xlsx"
	expect_in "$T/err" "parts.eml: the message has more than 500 MIME parts"
	expect_in "$T/err" "b64.eml (attachment h.xls): it is declared base64 but is not: unreadable"
	expect_archived "$T/parts.eml"
	expect_archived "$T/b64.eml"
	expect_json "r['01']['state']" "accepted"
}
