# SMTP AUTH over STARTTLS against real servers on loopback: Dovecot's
# submission service (STARTTLS with a self-signed certificate for
# 127.0.0.1, AUTH PLAIN against its passwd-file) relaying to the test's
# OpenSMTPD, which delivers into Dovecot's mailboxes (tests/cli/smtpd.sh).
# `surveyd send-forms` sends with [smtp] username=, password-file= and
# ca-file=; the forms are read back from the respondents' mailboxes.
# Without ca-file the certificate is refused and the mail stays queued; a
# wrong password is an error naming the url and the username, never the
# password.

# shellcheck source=tests/cli/dovecot.sh
. "$(dirname "${BASH_SOURCE[0]}")/dovecot.sh"
# shellcheck source=tests/cli/smtpd.sh
. "$(dirname "${BASH_SOURCE[0]}")/smtpd.sh"

SA_FROM='Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Bắc Giang <khaosat@example.test>'
SA_HANOI=lienhiephoi.hanoi@example.test
SA_SONLA=lienhiephoi.sonla@example.test
SA_NOW=(--now '2023-06-01 09:00')

# sa_setup [CA-FILE-LINE] [PASSWORD]: a two-province roster; Dovecot,
# OpenSMTPD and Dovecot's submission up; [smtp] pointing at the
# submission port as $DOVE_USER with PASSWORD (default the right one).
sa_setup() {
	{ head -1 "$here/rosters/sample-63.csv"
	  grep -E '^(01|14),' "$here/rosters/sample-63.csv" | sed 's/;vanphong[^,]*//'; } > "$T/roster.csv"
	sed -i "s|^roster=.*|roster=$T/roster.csv|" "$T/surveyd.conf"
	printf 'templates=%s\n' "$here/templates/vi" >> "$T/surveyd.conf"
	dove_cert || return 1
	sa_smtpd_free
	smtpd_start "$SA_HANOI" "$SA_SONLA" "$DOVE_USER" || return 1
	dove_submission_start "$SMTPD_PORT" "$T/cert.pem" "$T/key.pem" || return 1
	printf '%s\n' "${2-$DOVE_PASSWORD}" > "$T/smtp-password"
	cat >> "$T/surveyd.conf" <<EOF2
[smtp]
url=smtp://127.0.0.1:$DOVE_SUBMISSION_PORT
from=$SA_FROM
username=$DOVE_USER
password-file=smtp-password
rate-per-minute=0
${1-ca-file=cert.pem}
EOF2
}

# sa_smtpd_free: Debian's OpenSMTPD is one per machine; while another's
# (another checkout's test or demo) answers on the control socket, wait
# for it, two minutes at most, rather than fail on "already listening".
sa_smtpd_free() {
	local i
	for i in $(seq 240); do
		smtpctl show status >/dev/null 2>&1 || return 0
		sleep 0.5
	done
}

# sa_read USER UID: subject, attachment name and Message-ID, one a line;
# the attachment saved as $T/att.xlsx.
sa_read() {
	dove_fetch "$1" text uid "$2" > "$T/fetched"
	$PY - "$T/fetched" "$T/att.xlsx" <<'PYEOF'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read().split(b'\n', 1)[1], policy=email.policy.default)
print(m['Subject'])
parts = list(m.iter_attachments())
print(parts[0].get_filename() if parts else '-')
print(m['Message-ID'])
if parts:
    open(sys.argv[2], 'wb').write(parts[0].get_content())
PYEOF
}

# sa_no_secret PASSWORD: it is nowhere in what surveyd wrote.
sa_no_secret() {
	local f
	for f in "$T/out" "$T/err"; do
		grep -qF -- "$1" "$f" && fail "the password is in $(basename "$f")"
	done
	sqlite3 "$T/db/surveyd.db" .dump | grep -qF -- "$1" &&
	    fail "the password is in the store"
	return 0
}

test_smtp_auth_starttls_delivers() {
	trap smtpd_stop RETURN
	sa_setup || return
	expect_rc 0 s check-config
	grep -q "unknown key 'ca-file'" "$T/err" && fail "[smtp] ca-file is unknown"
	expect_rc 0 s send-forms "${SA_NOW[@]}"
	expect_in "$T/err" "2 mail(s) queued; 2 sent, 0 to be tried again, 0 failed"
	sa_no_secret "$DOVE_PASSWORD"
	# Dovecot took one login, over TLS, as that user, with PLAIN: both
	# mails went over the one connection.
	grep -q "submission-login: Info: Login: user=<$DOVE_USER>, method=PLAIN, .*, TLS, " "$DOVE/log" ||
	    { fail "no AUTH PLAIN over TLS in Dovecot's log"; grep 'submission' "$DOVE/log" | tail -3 | sed 's/^/    | /'; }
	[ "$(grep -c 'submission-login: Info: Login: ' "$DOVE/log")" = 1 ] ||
	    fail "not one login for the two mails"
	smtpd_wait_delivered "$SA_HANOI" 1 || return
	smtpd_wait_delivered "$SA_SONLA" 1 || return
	sa_read "$SA_SONLA" 1 > "$T/mail"
	expect_in "$T/mail" "Phiếu khảo sát - Sơn La.xlsx"
	grep -qF "<$(sql "select message_id from outbox where respondent = '14'")>" "$T/mail" ||
	    fail "the Message-ID is not the outbox's"
	# The attachment is Sơn La's own form: imported, it is Sơn La's.
	expect_rc 0 s import "${NOW[@]}" "$T/att.xlsx"
	expect_json "r['14']['submissions']" "1"
	expect_json "r['01']['submissions']" "0"
	expect_sql "select count(*) from outbox where state = 'sent'" 2
}

# Without ca-file the self-signed certificate is not trusted: nothing is
# sent, the password never leaves, the mails wait; with it they go once.
test_smtp_auth_untrusted_certificate() {
	trap smtpd_stop RETURN
	sa_setup '' || return
	expect_rc 1 s send-forms "${SA_NOW[@]}"
	expect_in "$T/err" "2 mail(s) queued; 0 sent, 2 to be tried again, 0 failed"
	expect_in "$T/err" "smtp://127.0.0.1:$DOVE_SUBMISSION_PORT: "
	grep -qi 'certificate' "$T/err" || fail "err does not say 'certificate'"
	sed 's/^/    | /' "$T/err" | grep -i 'certificate' | head -1
	expect_sql "select count(*) from outbox where state = 'queued'" 2
	# The first mail met the certificate; the second was not tried.
	expect_sql "select count(*) from outbox where error like '%certificate%'" 1
	grep -q "submission-login: Info: Login: " "$DOVE/log" &&
	    fail "a login happened over an untrusted connection"
	sa_no_secret "$DOVE_PASSWORD"
	[ "$(ob_count_ "$SA_HANOI")" = 0 ] || fail "a mail went without TLS"
	printf 'ca-file=cert.pem\n' >> "$T/surveyd.conf"
	expect_rc 0 s send-forms --now '2023-06-01 09:06'
	expect_in "$T/err" "0 mail(s) queued; 2 sent"
	smtpd_wait_delivered "$SA_HANOI" 1 || return
	smtpd_wait_delivered "$SA_SONLA" 1
}

# A wrong password: AUTH refused, an error that names the url and the
# username and says where to look, the password nowhere; mails wait.
test_smtp_auth_wrong_password() {
	local wrong='sai-mật-khẩu-42'
	trap smtpd_stop RETURN
	sa_setup 'ca-file=cert.pem' "$wrong" || return
	expect_rc 1 s send-forms "${SA_NOW[@]}"
	expect_in "$T/err" "2 mail(s) queued; 0 sent, 2 to be tried again, 0 failed"
	expect_in "$T/err" "smtp://127.0.0.1:$DOVE_SUBMISSION_PORT: Login denied"
	expect_in "$T/err" "as '$DOVE_USER': check [smtp] username and password-file"
	sed 's/^/    | /' "$T/err" | grep 'Login denied' | head -1
	sa_no_secret "$wrong"
	grep -qF -- "$wrong" "$DOVE/log" && fail "the password is in Dovecot's log"
	expect_sql "select count(*) from outbox where state = 'queued'" 2
	[ "$(ob_count_ "$SA_HANOI")" = 0 ] || fail "a mail went with a wrong password"
}

ob_count_() {	# ob_count_ USER: messages in USER's INBOX
	dove_fetch "$1" uid 2>/dev/null | grep -c '^uid:'
}
