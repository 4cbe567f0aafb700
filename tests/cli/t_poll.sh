# Command-line tests of `surveyd poll --once` against a real Dovecot on
# loopback (tests/cli/dovecot.sh): replies polled, stored, marked done on
# the server, never taken twice, fetched by UID.  Sourced by run.sh, after
# t_mail.sh, whose sql helpers it uses.

# shellcheck source=tests/cli/dovecot.sh
. "$(dirname "${BASH_SOURCE[0]}")/dovecot.sh"

# poll_setup [PASSWORD]: Dovecot up, the config pointing at it.  1 when
# Dovecot would not start.  Each test traps RETURN to stop it by pid
# however the test ends (a trap set here would fire as this returns).
poll_setup() {
	dove_start || return 1
	dove_imap_config "$@"
}

# The three replies a province sends: RFC 2231 name, forwarded, zipped.
POLL_REPLIES=("$MAILFIX/reply-2231.eml" "$MAILFIX/forwarded.eml" "$MAILFIX/zipped.eml")

test_poll_stores_and_marks() {
	trap dove_stop RETURN
	poll_setup || return
	dove_deliver "${POLL_REPLIES[@]}"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/out" "UID 1 (attachment Phiếu khảo sát - Hà Nội.xlsx): stored as submission 1: accepted (01 Hà Nội)"
	expect_in "$T/out" "UID 2 (attachment phieu-son-la.xlsx): stored as submission 2: accepted (14 Sơn La)"
	expect_in "$T/out" "UID 3 (attachment phieu.zip): stored as submission 3: accepted (14 Sơn La)"
	expect_sql "select count(*) from submission" 3
	expect_sql "select uid, state, message_id is not null from mailbox_message order by uid" \
	    "$(printf '1|stored|1\n2|stored|1\n3|stored|1')"
	expect_archived "$MAILFIX/reply-2231.eml"
	expect_answers 1 "$FIX/01.expected.json"
	dove_flags > "$T/flags"
	[ "$(grep -c 'Seen.*\$surveyd\|\$surveyd.*Seen' "$T/flags")" = 3 ] ||
	    fail "not all 3 messages carry \\Seen and \$surveyd: $(tr '\n' ';' < "$T/flags")"
	# A second cycle finds nothing new.
	expect_rc 0 s poll --once "${NOW[@]}"
	[ -s "$T/out" ] && fail "the second poll reported: $(head -1 "$T/out")"
	expect_sql "select count(*) from submission" 3
	expect_sql "select count(*) from mailbox_message" 3
}

test_poll_wrong_password() {
	trap dove_stop RETURN
	poll_setup 'not-the-password' || return
	dove_deliver "$MAILFIX/reply-2231.eml"
	expect_rc 1 s poll --once "${NOW[@]}"
	expect_in "$T/err" "imap://127.0.0.1:$DOVE_PORT/INBOX"
	expect_in "$T/err" "Login denied"
	grep -qF 'not-the-password' "$T/err" "$T/out" && fail "the password was printed"
	[ "$(wc -l < "$T/err")" = 1 ] || fail "not one line: $(cat "$T/err")"
	expect_sql "select count(*) from submission" 0
}

test_poll_server_down() {
	local port
	port=$(dove_port)
	printf 'x\n' > "$T/imap-password"
	printf '[imap]\nurl=imap://127.0.0.1:%s/INBOX\nusername=u\npassword-file=imap-password\n' \
	    "$port" >> "$T/surveyd.conf"
	expect_rc 1 s poll --once "${NOW[@]}"
	expect_in "$T/err" "imap://127.0.0.1:$port/INBOX: Couldn't connect to server"
}

# UIDs, not sequence numbers: with 1-3 expunged, UID 4 is message 1.
test_poll_fetches_by_uid() {
	local i
	trap dove_stop RETURN
	poll_setup || return
	for i in 1 2 3 4 5; do
		sed "s/^Message-ID: .*/Message-ID: <uid-test-$i@example.test>/I" \
		    "$MAILFIX/cover-letter.eml" > "$T/m$i.eml"
		grep -q "uid-test-$i" "$T/m$i.eml" || fail "m$i.eml has no Message-ID to change"
	done
	cp "$MAILFIX/reply-2231.eml" "$T/m4.eml"
	cp "$MAILFIX/forwarded.eml" "$T/m5.eml"
	dove_deliver "$T"/m[1-5].eml
	doveadm_ expunge -u "$DOVE_USER" mailbox INBOX uid 1:3 || fail "expunge failed"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/out" "UID 4 (attachment Phiếu khảo sát - Hà Nội.xlsx): stored as submission 1: accepted (01 Hà Nội)"
	expect_in "$T/out" "UID 5 (attachment phieu-son-la.xlsx): stored as submission 2: accepted (14 Sơn La)"
	expect_sql "select uid from mailbox_message order by uid" "$(printf '4\n5')"
	expect_sql "select count(*) from submission" 2
}

# A message with nothing to store is recorded and marked, not retried.
test_poll_rejected() {
	trap dove_stop RETURN
	poll_setup || return
	dove_deliver "$MAILFIX/cover-letter.eml" "$MAILFIX/reply-2231.eml"
	expect_rc 3 s poll --once "${NOW[@]}"
	expect_in "$T/err" "INBOX UID 1: the message has no spreadsheet (it has: Công văn 123.pdf, image001.png)"
	expect_in "$T/out" "UID 2 (attachment Phiếu khảo sát - Hà Nội.xlsx): stored as submission 1: accepted (01 Hà Nội)"
	expect_sql "select uid, state from mailbox_message order by uid" "$(printf '1|rejected\n2|stored')"
	[ "$(dove_flags | grep -c 'surveyd')" = 2 ] || fail "not both messages are marked done"
	expect_rc 0 s poll --once "${NOW[@]}"
}

# dove_maildir_many N FILE: N copies of FILE, each with its own
# Message-ID, written straight into the Maildir (doveadm save takes 60 ms
# a message).
dove_maildir_many() {
	local n=$1 file=$2 dir=$DOVE/mail/$DOVE_USER
	as_mail mkdir -p "$dir/cur" "$dir/new" "$dir/tmp"
	$PY - "$n" "$file" "$dir/new" <<'PYEOF' || fail "writing $n messages failed"
import os, re, sys
n, src, new = int(sys.argv[1]), open(sys.argv[2], "rb").read(), sys.argv[3]
for i in range(n):
    m = re.sub(rb"(?im)^Message-ID: .*$", b"Message-ID: <many-%d@example.test>" % i, src, count=1)
    with open(os.path.join(new, "1700000000.M%dP1.test" % i), "wb") as f:
        f.write(m)
PYEOF
	chown -R mail:mail "$dir"
}

test_poll_empty_mailbox() {
	trap dove_stop RETURN
	poll_setup || return
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/err" "INBOX: 0 new message(s), 0 taken, 0 left in place"
	expect_sql "select count(*) from mailbox_message" 0
}

# 500 messages (their own Message-IDs, one attachment) in batches of
# MAILBOX_BATCH: every one recorded and flagged, the spreadsheet stored once.
test_poll_500_messages() {
	trap dove_stop RETURN
	poll_setup || return
	dove_maildir_many 500 "$MAILFIX/reply-2231.eml"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/err" "INBOX: 500 new message(s), 500 taken, 0 left in place"
	expect_sql "select count(*) from submission" 1
	expect_sql "select state, count(*) from mailbox_message group by state" "stored|500"
	[ "$(dove_flags | grep -c 'Seen.*\$surveyd\|\$surveyd.*Seen')" = 500 ] ||
	    fail "not all 500 messages are marked done"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/err" "INBOX: 0 new message(s)"
}

# The same message delivered twice is one submission, both copies done.
test_poll_same_message_twice() {
	trap dove_stop RETURN
	poll_setup || return
	dove_deliver "$MAILFIX/reply-2231.eml" "$MAILFIX/reply-2231.eml"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_sql "select uid, state from mailbox_message order by uid" "$(printf '1|stored\n2|duplicate')"
	expect_sql "select count(*) from submission" 1
	[ "$(dove_flags | grep -c 'surveyd')" = 2 ] || fail "not both copies are marked done"
}

# Killed after the commit, before the flags reached the server: the flags
# are taken off by hand here, which leaves the server exactly as that crash
# would.  The next cycle only flags them; nothing is stored twice.
test_poll_flags_lost_after_commit() {
	trap dove_stop RETURN
	poll_setup || return
	dove_deliver "${POLL_REPLIES[@]}"
	expect_rc 0 s poll --once "${NOW[@]}"
	doveadm_ flags remove -u "$DOVE_USER" '\Seen $surveyd' mailbox INBOX ALL || fail "doveadm flags failed"
	[ "$(dove_flags | grep -c 'surveyd')" = 0 ] || fail "the flags are still there"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/err" "INBOX: 3 new message(s), 3 taken"
	[ -s "$T/out" ] && fail "the messages were taken in again: $(head -1 "$T/out")"
	expect_sql "select count(*) from submission" 3
	expect_sql "select count(*) from mailbox_message" 3
	[ "$(dove_flags | grep -c 'Seen.*\$surveyd\|\$surveyd.*Seen')" = 3 ] || fail "the flags were not put back"
}

# A personal mail in a shared mailbox: recorded, left unread, not marked.
test_poll_ignores_other_mail() {
	trap dove_stop RETURN
	poll_setup || return
	printf 'From: ban.be@example.org\r\nTo: khaosat@example.test\r\nSubject: =?utf-8?b?SOG6uW4gxINuIHRyxrBh?=\r\nMessage-ID: <lunch@example.org>\r\nContent-Type: text/html; charset=utf-8\r\n\r\n<p>Hen an trua?</p>\r\n' > "$T/personal.eml"
	dove_deliver "$T/personal.eml" "$MAILFIX/reply-2231.eml"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/err" "INBOX: 2 new message(s), 1 taken, 1 left in place"
	expect_sql "select uid, state from mailbox_message order by uid" "$(printf '1|ignored\n2|stored')"
	dove_flags > "$T/flags"
	grep -q '^1 *$' "$T/flags" || fail "the personal mail is not left unread and unmarked: $(head -1 "$T/flags")"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/err" "INBOX: 1 new message(s), 0 taken, 0 left in place"
	grep -q '^1 *$' "$T/flags" || fail "the second cycle touched the personal mail"
}

# RFC822.SIZE says too big: not fetched, recorded, marked with the keyword
# only (left unread for a person to see), and the next message is taken.
test_poll_message_too_big() {
	trap dove_stop RETURN
	poll_setup || return
	printf '[intake]\nmax-message-size=20K\n' >> "$T/surveyd.conf"
	$PY - "$MAILFIX/reply-2231.eml" "$T/big.eml" <<'PYEOF'
import sys
src = open(sys.argv[1], "rb").read().replace(b"<reply-2231@", b"<big@")
open(sys.argv[2], "wb").write(b"X-Padding: " + b"x" * 30000 + b"\r\n" + src)
PYEOF
	dove_deliver "$T/big.eml" "$MAILFIX/forwarded.eml"
	expect_rc 3 s poll --once "${NOW[@]}"
	expect_in "$T/err" "INBOX UID 1: the server says the message is over max-message-size (20480 bytes): not fetched"
	expect_sql "select uid, state from mailbox_message order by uid" "$(printf '1|too-big\n2|stored')"
	dove_flags > "$T/flags"
	grep -q '^1 \$surveyd$' "$T/flags" || fail "the big message is not marked with the keyword alone: $(head -1 "$T/flags")"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/err" "INBOX: 0 new message(s)"
}

# Hostile mails among good ones: each refused with its reason, recorded,
# archived, marked; the good one after them is taken.
test_poll_hostile_then_good() {
	trap dove_stop RETURN
	poll_setup || return
	$PY - "$T" <<'PYEOF'
import sys
t = sys.argv[1]
head = b"From: lienhiephoi.sonla@example.test\r\nMIME-Version: 1.0\r\n"
def put(name, data):
    open(t + "/" + name, "wb").write(data)
put("parts.eml", head + b"Message-ID: <parts@x>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n"
    + b"--b\r\nContent-Type: text/csv\r\n\r\nx,1\r\n" * 10000 + b"--b--\r\n")
nest = b"".join(b"--b%d\r\nContent-Type: multipart/mixed; boundary=b%d\r\n\r\n" % (i, i + 1) for i in range(12))
put("deep.eml", head + b"Message-ID: <deep@x>\r\nContent-Type: multipart/mixed; boundary=b0\r\n\r\n" + nest)
put("header.eml", head + b"Message-ID: <header@x>\r\nSubject: " + b"a" * (1 << 20) + b"\r\n\r\nbody\r\n")
put("open.eml", head + b"Message-ID: <open@x>\r\nContent-Type: multipart/mixed; boundary=never\r\n\r\n--never\r\nContent-Type: application/octet-stream; name=\"a.xlsx\"\r\n\r\nPK\x03\x04 not closed\r\n")
put("names.eml", head + b"Message-ID: <names@x>\r\nContent-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/csv\r\nContent-Disposition: attachment; filename=\"../../etc/pa\\x00sswd.csv\"\r\n\r\nnot,a,form\r\n--b\r\nContent-Type: application/vnd.ms-excel; name=\"x.xls\"\r\nContent-Transfer-Encoding: base64\r\n\r\n!!! not base64 ???\r\n--b--\r\n")
PYEOF
	dove_deliver "$T/parts.eml" "$T/deep.eml" "$T/header.eml" "$T/open.eml" "$T/names.eml" "$MAILFIX/reply-2231.eml"
	expect_rc 3 s poll --once "${NOW[@]}"
	expect_in "$T/err" "UID 1: the message has more than 500 MIME parts"
	expect_in "$T/err" "UID 2: "
	expect_in "$T/err" "UID 3: "
	expect_in "$T/err" "UID 4"
	expect_in "$T/err" "UID 5 (attachment x.xls): it is declared base64 but is not"
	expect_in "$T/out" "UID 6 (attachment Phiếu khảo sát - Hà Nội.xlsx): stored as submission"
	grep -q '\.\./' "$T/out" "$T/err" && fail "a path with ../ reached the report"
	expect_sql "select count(*) from mailbox_message where state in ('rejected', 'stored')" 6
	expect_archived "$T/parts.eml"
	expect_archived "$T/header.eml"
	[ "$(dove_flags | grep -c 'surveyd')" = 6 ] || fail "not all six are marked done"
	ls "$T/archive"/*/* | grep -q passwd && fail "an archive file is named after the attachment"
	expect_json "r['01']['state']" "accepted"
}

# Recreated folder (new UIDVALIDITY) with the old mail put back, one copy
# re-encoded (other bytes, same Message-ID), and one new reply: the old
# ones are known, the new one taken.
test_poll_uidvalidity_changed() {
	trap dove_stop RETURN
	poll_setup || return
	sed -i 's|/INBOX$|/Replies|' "$T/surveyd.conf"
	doveadm_ mailbox create -u "$DOVE_USER" Replies
	doveadm_ save -u "$DOVE_USER" -m Replies < "$MAILFIX/reply-2231.eml"
	doveadm_ save -u "$DOVE_USER" -m Replies < "$MAILFIX/forwarded.eml"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_sql "select count(*) from submission" 2
	doveadm_ mailbox delete -u "$DOVE_USER" Replies || fail "delete failed"
	doveadm_ mailbox create -u "$DOVE_USER" Replies
	doveadm_ save -u "$DOVE_USER" -m Replies < "$MAILFIX/reply-2231.eml"
	{ printf 'X-Restored: yes\r\n'; cat "$MAILFIX/forwarded.eml"; } | doveadm_ save -u "$DOVE_USER" -m Replies
	doveadm_ save -u "$DOVE_USER" -m Replies < "$MAILFIX/zipped.eml"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_in "$T/err" "UIDVALIDITY changed from"
	expect_sql "select count(*) from submission" 3
	expect_sql "select state from mailbox_message where uidvalidity = (select max(uidvalidity) from mailbox_message) order by uid" \
	    "$(printf 'duplicate\nduplicate\nstored')"
}

# processed-folder: the messages taken move there (created when missing,
# its Vietnamese name in modified UTF-7);
# the same with a server that does not offer MOVE (COPY + EXPUNGE).
poll_processed() {
	trap dove_stop RETURN
	poll_setup || return
	printf 'processed-folder=Đã xử lý\n' >> "$T/surveyd.conf"
	printf 'From: ban.be@example.org\r\nSubject: hi\r\n\r\nhi\r\n' > "$T/personal.eml"
	dove_deliver "$T/personal.eml" "${POLL_REPLIES[@]}"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_sql "select count(*) from submission" 3
	[ "$(doveadm_ search -u "$DOVE_USER" mailbox INBOX ALL | wc -l)" = 1 ] || fail "INBOX does not hold the personal mail alone"
	[ "$(doveadm_ search -u "$DOVE_USER" mailbox 'Đã xử lý' KEYWORD '$surveyd' | wc -l)" = 3 ] ||
	    fail "'Đã xử lý' does not hold the 3 replies marked done"
}

test_poll_processed_folder_move() {
	poll_processed
}

test_poll_processed_folder_copy() {
	DOVE_EXTRA='imap_capability = IMAP4rev1 SASL-IR LOGIN-REFERRALS ID ENABLE IDLE LITERAL+ UIDPLUS NAMESPACE'
	poll_processed
}

# poll_tls SSL [imaps]: Dovecot with ssl=SSL and a self-signed
# certificate, polled over STARTTLS (or imaps on its own port); the poll
# is refused, with the reason and nothing stored, until [imap] ca-file
# names the certificate.
poll_tls() {
	[ "${2-}" = imaps ] && DOVE_IMAPS_PORT=$(dove_port)
	dove_cert || return
	DOVE_SSL=$1
	DOVE_EXTRA="ssl_cert = <$T/cert.pem
ssl_key = <$T/key.pem"
	poll_setup || return
	[ "${2-}" = imaps ] &&
	    sed -i "s|^url=.*|url=imaps://127.0.0.1:$DOVE_IMAPS_PORT/INBOX|" "$T/surveyd.conf"
	dove_deliver "$MAILFIX/reply-2231.eml"
	expect_rc 1 s poll --once "${NOW[@]}"
	grep -qi 'certificate' "$T/err" || fail "no certificate error: $(head -1 "$T/err")"
	expect_sql "select count(*) from submission" 0
	printf 'ca-file=cert.pem\n' >> "$T/surveyd.conf"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_sql "select count(*) from submission" 1
}

# imaps with a self-signed certificate.
test_poll_tls_self_signed() {
	trap dove_stop RETURN
	poll_tls yes imaps
}

# imap:// to a server that offers STARTTLS: taken, the certificate
# verified.  ssl=required makes Dovecot refuse a login outside TLS, so the
# poll that stores went through STARTTLS.
test_poll_starttls() {
	trap dove_stop RETURN
	poll_tls required
}

# auth=xoauth2: the password file holds a bearer token, sent with
# AUTHENTICATE XOAUTH2 and checked by Dovecot against a token service of
# the test's own (the passwd-file password is another, so only XOAUTH2 logs in).
test_poll_xoauth2() {
	local port pid
	trap 'dove_stop; kill $pid 2>/dev/null; wait $pid 2>/dev/null' RETURN
	port=$(dove_port)
	$PY - "$port" <<'PYEOF' &
import http.server, json, sys
class H(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        ok = self.path.endswith("=ma-thong-hanh-dung")
        out = json.dumps({"active": ok, "email": "khaosat@example.test"} if ok else {"active": False}).encode()
        self.send_response(200 if ok else 401)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(out)))
        self.end_headers()
        self.wfile.write(out)
    def log_message(self, *a): pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PYEOF
	pid=$!
	DOVE_EXTRA="auth_mechanisms = plain login xoauth2
passdb {
  driver = oauth2
  mechanisms = xoauth2
  args = $T/dovecot/oauth2.conf
}"
	mkdir -p "$T/dovecot"
	printf 'tokeninfo_url = http://127.0.0.1:%s/tokeninfo?access_token=\nusername_attribute = email\n' "$port" > "$T/dovecot/oauth2.conf"
	poll_setup 'ma-thong-hanh-dung' || return
	printf 'auth=xoauth2\n' >> "$T/surveyd.conf"
	dove_deliver "$MAILFIX/reply-2231.eml"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_sql "select count(*) from submission" 1
	printf 'ma-het-han\n' > "$T/imap-password"
	expect_rc 1 s poll --once "${NOW[@]}"
	expect_in "$T/err" "Login denied"
}

# UIDs far apart are searched a window at a time (an answer line must
# stay within libcurl's buffer): every message is found in one cycle.
test_poll_uid_windows() {
	trap dove_stop RETURN
	poll_setup || return
	dove_deliver "$MAILFIX/reply-2231.eml"
	doveadm_ mailbox update -u "$DOVE_USER" --min-next-uid 30000 INBOX || fail "mailbox update failed"
	dove_deliver "$MAILFIX/forwarded.eml"
	doveadm_ mailbox update -u "$DOVE_USER" --min-next-uid 45000 INBOX
	dove_deliver "$MAILFIX/zipped.eml"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_sql "select group_concat(uid, ' ') from mailbox_message" "1 30000 45000"
	expect_sql "select count(*) from submission" 3
}
