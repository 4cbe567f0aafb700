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
