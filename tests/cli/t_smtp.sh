# Outgoing mail against real servers on loopback (tests/cli/smtpd.sh):
# messages built by message.c and sent by smtp.c through OpenSMTPD into
# Dovecot mailboxes, read back and decoded by Python's email package.
# tests/tools/smtp_send stands in for the commands that will send.

# shellcheck source=tests/cli/dovecot.sh
. "$(dirname "${BASH_SOURCE[0]}")/dovecot.sh"
# shellcheck source=tests/cli/smtpd.sh
. "$(dirname "${BASH_SOURCE[0]}")/smtpd.sh"

SMTP_SEND=${SMTP_SEND:-$here/build/tests/smtp_send}
SMTP_FROM='Liên hiệp các hội KH&KT tỉnh Bắc Giang <khaosat@example.test>'
SMTP_SUBJECT='Phiếu khảo sát gửi Liên hiệp các hội Khoa học và Kỹ thuật tỉnh Sơn La'
SMTP_HANOI=lienhiephoi.hanoi@example.test
SMTP_SONLA=lienhiephoi.sonla@example.test
SMTP_ATTACHMENT='Phiếu khảo sát - Hà Nội.xlsx'

smtp_setup() {
	smtpd_start "$SMTP_HANOI" "$SMTP_SONLA" khaosat@example.test || return 1
	printf 'Kính gửi: Liên hiệp hội,\n\nĐề nghị Quý cơ quan điền phiếu.\n.\nDòng bắt đầu bằng dấu chấm.\n' > "$T/body.txt"
	cp "$FIX/01-openpyxl.xlsx" "$T/$SMTP_ATTACHMENT"
}

smtp_send_() {	# smtp_send_ COUNT RCPT...: the tool, to this test's smtpd
	"$SMTP_SEND" "smtp://127.0.0.1:$SMTPD_PORT" "$SMTP_FROM" "$SMTP_SUBJECT" \
	    "$T/body.txt" "$T/$SMTP_ATTACHMENT" "$@"
}

# expect_delivered USER MESSAGE-ID: USER's message decodes to what was sent.
expect_delivered() {
	dove_fetch "$1" text > "$T/fetched" || fail "doveadm fetch $1 failed"
	$PY - "$T/fetched" "$2" "$SMTP_SUBJECT" "$T/body.txt" "$T/$SMTP_ATTACHMENT" <<'PYEOF' || fail "$1's mail differs from what was sent"
import email, email.policy, sys
raw, mid, subject, body, att = sys.argv[1:]
text = open(raw, 'rb').read().split(b'\n', 1)[1]	# "text:" line
m = email.message_from_bytes(text, policy=email.policy.default)
def check(what, got, want):
    if got != want:
        print(f"    {what}: got {got!r}, wanted {want!r}")
        sys.exit(1)
check('Subject', str(m['Subject']), subject)
check('Message-ID', str(m['Message-ID']), f'<{mid}>')
check('Auto-Submitted', str(m['Auto-Submitted']), 'auto-generated')
# smtp.c says EHLO with the domain of From, not libcurl's "localhost".
check('EHLO', any('from example.test ' in r for r in m.get_all('Received')), True)
check('body', m.get_body(('plain',)).get_content().replace('\r\n', '\n'),
      open(body, encoding='utf-8').read())
parts = list(m.iter_attachments())
check('attachments', len(parts), 1)
check('filename', parts[0].get_filename(), att.rsplit('/', 1)[1])
check('type', parts[0].get_content_type(),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
check('bytes', parts[0].get_content(), open(att, 'rb').read())
PYEOF
}

test_smtp_delivers_and_refuses() {
	local id
	trap smtpd_stop RETURN
	smtp_setup || return
	expect_rc 0 smtp_send_ 1 "$SMTP_HANOI" "$SMTP_SONLA" nobody@example.test
	id=$(awk '$2 == "id" {print $3}' "$T/out")
	[ -n "$id" ] || { fail "no Message-ID printed"; return; }
	expect_in "$T/out" "1 $SMTP_HANOI sent 250"
	expect_in "$T/out" "1 $SMTP_SONLA sent 250"
	expect_in "$T/out" "1 nobody@example.test permanent 5"
	smtpd_wait_delivered "$SMTP_HANOI" 1 || return
	smtpd_wait_delivered "$SMTP_SONLA" 1 || return
	expect_delivered "$SMTP_HANOI" "$id"
	expect_delivered "$SMTP_SONLA" "$id"
}

# OpenSMTPD answers the 101st MAIL of a session "452 4.5.3 Too many
# messages": smtp.c reconnects and sends it again, nothing lost or doubled.
test_smtp_session_quota() {
	trap smtpd_stop RETURN
	smtp_setup || return
	"$SMTP_SEND" "smtp://127.0.0.1:$SMTPD_PORT" "$SMTP_FROM" "$SMTP_SUBJECT" \
	    "$T/body.txt" - 120 "$SMTP_HANOI" >"$T/out" 2>"$T/err" ||
	    fail "smtp_send failed: $(head -3 "$T/err")"
	[ "$(grep -c " $SMTP_HANOI sent 250 " "$T/out")" = 120 ] ||
	    fail "not 120 sent: $(grep -v ' sent 250 ' "$T/out" | grep -v ' id ' | head -3)"
	grep -q 'Too many messages' "$T/smtpd/log" ||
	    fail "smtpd never refused a 101st message: the quota was not met"
	[ "$(grep -c 'smtp connected' "$T/smtpd/log")" -ge 2 ] ||
	    fail "one session only: no reconnect"
	smtpd_wait_delivered "$SMTP_HANOI" 120 || return
	[ "$(dove_fetch "$SMTP_HANOI" hdr.message-id | grep -ci '^hdr.message-id:')" = 120 ] ||
	    fail "not 120 messages in the mailbox"
	[ "$(dove_fetch "$SMTP_HANOI" hdr.message-id | sort -u | grep -ci '^hdr.message-id:')" = 120 ] ||
	    fail "a Message-ID was delivered twice"
}

# [smtp] and templates= in the config: every template of the survey is
# checked at load, so check-config names a broken one by FILE:LINE.
test_smtp_config_templates() {
	cat >> "$T/surveyd.conf" <<EOF2
[smtp]
url=smtp://127.0.0.1:2525
from=Liên hiệp các hội KH&KT tỉnh Bắc Giang <khaosat@example.test>
rate-per-minute=60
EOF2
	sed -i "s|^\[survey a\]|&\ntemplates=$here/templates/vi|" "$T/surveyd.conf"
	expect_rc 0 s check-config
	cp -R "$here/templates/vi" "$T/tpl"
	printf 'Subject: {survey_title}\n\nKính gửi: {respondent}\n{ketqua}\n' > "$T/tpl/reminder.txt"
	sed -i "s|^templates=.*|templates=tpl|" "$T/surveyd.conf"
	expect_rc 2 s check-config
	expect_in "$T/err" "$T/tpl/reminder.txt:4: unknown placeholder {ketqua}"
	sed -i "s|^templates=.*|templates=$here/templates/en|; s|^from=.*|from=Khảo sát|" "$T/surveyd.conf"
	expect_rc 2 s check-config
	expect_in "$T/err" "[smtp] from: 'Khảo sát' is not an address"
}

test_smtp_server_down() {
	local port
	port=$(dove_port)
	printf 'x\n' > "$T/body.txt"
	expect_rc 1 "$SMTP_SEND" "smtp://127.0.0.1:$port" khaosat@example.test \
	    'Nhắc gửi phiếu' "$T/body.txt" - 1 "$SMTP_HANOI"
	expect_in "$T/out" "1 $SMTP_HANOI temporary 0"
	expect_in "$T/err" "message 1 temporary: smtp://127.0.0.1:$port: Couldn't connect to server"
}

# A scripted server for what OpenSMTPD will not do on demand: one
# recipient deferred (450), and the connection dropped once the data went,
# when only the caller can decide (resend with the same Message-ID).  What
# it does to each new connection is the word in $T/fake.mode, read then:
# "mute" (the default: the deferral, and no answer after the data),
# "refuse" (421 at the greeting), "silent" (no greeting at all), or
# "drop" (the connection closed after three lines of the data).
SMTP_FAKE_PID=
smtp_fake_start() {	# smtp_fake_start PORT
	local i
	$PY - "$1" "$T/fake.mode" >"$T/fake.log" 2>&1 <<'PYEOF' &
import socket, sys
srv = socket.socket()
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", int(sys.argv[1])))
srv.listen(1)
def mode():
    try:
        return open(sys.argv[2]).read().strip()
    except OSError:
        return "mute"
def session(c, how):
    if how == "silent":
        while c.recv(4096):
            pass
        return
    if how == "refuse":
        c.sendall(b"421 4.3.2 Service not available, closing channel\r\n")
        return
    f = c.makefile("rb")
    c.sendall(b"220 fake ESMTP\r\n")
    for line in f:
        cmd = line.strip().upper()
        if cmd.startswith(b"EHLO"):
            c.sendall(b"250-fake\r\n250 8BITMIME\r\n")
        elif cmd.startswith(b"RCPT") and b"DEFERRED" in cmd:
            c.sendall(b"450 4.2.1 Mailbox busy, try later\r\n")
        elif cmd.startswith(b"MAIL") or cmd.startswith(b"RCPT"):
            c.sendall(b"250 2.1.0 Ok\r\n")
        elif cmd == b"DATA":
            c.sendall(b"354 go ahead\r\n")
            for n, body in enumerate(f):
                if body == b".\r\n" or (how == "drop" and n == 2):
                    break
            return	# the data went, or was cut short; no answer comes
def serve():
    conn = srv.accept()[0]
    try:
        session(conn, mode())
    except OSError:
        pass
    conn.close()
while True:	# the first connection is smtp_fake_start's probe
    serve()
PYEOF
	SMTP_FAKE_PID=$!
	for i in $(seq 50); do
		(exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0
		sleep 0.1
	done
	fail "the scripted server did not start: $(tail -3 "$T/fake.log")"
	return 1
}

smtp_fake_stop() {
	trap - RETURN
	kill "$SMTP_FAKE_PID" 2>/dev/null
	wait "$SMTP_FAKE_PID" 2>/dev/null
}

test_smtp_deferred_and_dropped() {
	local port
	trap smtp_fake_stop RETURN
	port=$(dove_port)
	smtp_fake_start "$port" || return
	printf 'x\n' > "$T/body.txt"
	expect_rc 1 "$SMTP_SEND" "smtp://127.0.0.1:$port" khaosat@example.test \
	    'Nhắc gửi phiếu' "$T/body.txt" - 1 deferred@example.test "$SMTP_HANOI"
	expect_in "$T/out" "1 deferred@example.test temporary 450 450 4.2.1 Mailbox busy, try later"
	expect_in "$T/out" "1 $SMTP_HANOI unknown 250"
	expect_in "$T/err" "message 1 unknown"
}

# rate-per-minute=120: three mails take two half-second waits.
test_smtp_paced() {
	local start end
	trap smtpd_stop RETURN
	smtp_setup || return
	start=$(date +%s%N)
	SMTP_SEND_RATE=120 expect_rc 0 smtp_send_ 3 "$SMTP_HANOI"
	end=$(date +%s%N)
	[ $(((end - start) / 1000000)) -ge 1000 ] ||
	    fail "3 mails at 120 a minute took $(((end - start) / 1000000)) ms"
	[ $(((end - start) / 1000000)) -lt 3000 ] ||
	    fail "3 mails at 120 a minute took $(((end - start) / 1000000)) ms"
	smtpd_wait_delivered "$SMTP_HANOI" 3
}
