# Command-line tests of outgoing mail: send-forms, remind, acknowledgements
# and bounces through the real OpenSMTPD into the real Dovecot
# (tests/cli/smtpd.sh), read back from the respondents' mailboxes.  The
# schedule is driven by --now.  Sourced by run.sh after t_smtp.sh.

OB_FROM='Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh Bắc Giang <khaosat@example.test>'
OB_USERS=(lienhiephoi.hanoi@example.test lienhiephoi.sonla@example.test
    lienhiephoi.thanhphohochiminh@example.test ubnd.thanhphohochiminh@example.test khaosat@example.test)

# outbox_setup [ROSTER-CODES]: a three-province roster, smtpd and Dovecot
# up, the config pointing at both.
outbox_setup() {
	{ head -1 "$here/rosters/sample-63.csv"
	  grep -E '^(01|14|79),' "$here/rosters/sample-63.csv" | sed 's/;vanphong[^,]*//'; } > "$T/roster.csv"
	sed -i "s|^roster=.*|roster=$T/roster.csv|" "$T/surveyd.conf"
	cat >> "$T/surveyd.conf" <<EOF2
deadline=2023-06-15
reminders=-7d,-3d,+2d
max-reminders=2
send-window=Mon-Fri 08:00-17:00
templates=$here/templates/vi
EOF2
	smtpd_start "${OB_USERS[@]}" || return 1
	dove_imap_config
	cat >> "$T/surveyd.conf" <<EOF2
[smtp]
url=smtp://127.0.0.1:$SMTPD_PORT
from=$OB_FROM
EOF2
}

ob_count() {	# ob_count USER: messages in USER's INBOX
	dove_fetch "$1" uid 2>/dev/null | grep -c '^uid:'
}

expect_count() {	# expect_count USER N
	local n
	smtpd_wait_delivered "$1" "$2" >/dev/null 2>&1
	sleep 0.3
	n=$(ob_count "$1")
	[ "$n" = "$2" ] || fail "$1 holds $n mails, wanted $2"
}

# ob_read USER UID: subject, attachment name and Auto-Submitted of the
# mail, one per line; its attachment saved as $T/att.xlsx.
ob_read() {
	dove_fetch "$1" text uid "$2" > "$T/fetched"
	$PY - "$T/fetched" "$T/att.xlsx" <<'PYEOF'
import email, email.policy, sys
m = email.message_from_bytes(open(sys.argv[1], 'rb').read().split(b'\n', 1)[1], policy=email.policy.default)
print(m['Subject'])
parts = list(m.iter_attachments())
print(parts[0].get_filename() if parts else '-')
print(m['Auto-Submitted'])
print(m['Message-ID'])
print(m['In-Reply-To'])
print(m.get_body(('plain',)).get_content())
if parts:
    open(sys.argv[2], 'wb').write(parts[0].get_content())
PYEOF
}

test_outbox_send_forms() {
	trap smtpd_stop RETURN
	outbox_setup || return
	expect_rc 0 s send-forms --dry-run --now '2023-06-01 09:00'
	expect_in "$T/out" "01 Hà Nội: form to lienhiephoi.hanoi@example.test"
	expect_sql "select count(*) from outbox" 0
	expect_rc 0 s send-forms --now '2023-06-01 09:00'
	expect_in "$T/err" "3 mail(s) queued; 3 sent, 0 to be tried again, 0 failed"
	expect_count lienhiephoi.hanoi@example.test 1
	expect_count lienhiephoi.sonla@example.test 1
	ob_read lienhiephoi.sonla@example.test 1 > "$T/mail"
	expect_in "$T/mail" "Phiếu khảo sát - Sơn La.xlsx"
	expect_in "$T/mail" "auto-generated"
	expect_in "$T/mail" "Kính gửi"
	grep -qF "<$(sql "select message_id from outbox where respondent = '14'")>" "$T/mail" ||
	    fail "the Message-ID is not the outbox's"
	# The attachment is Sơn La's own form: imported, it is Sơn La's.
	expect_rc 0 s import "${NOW[@]}" "$T/att.xlsx"
	expect_json "r['14']['submissions']" "1"
	# Planned again: nothing new goes.
	expect_rc 0 s send-forms --now '2023-06-01 10:00'
	expect_in "$T/err" "0 mail(s) queued; 0 sent"
	expect_count lienhiephoi.hanoi@example.test 1
	expect_json "r['01']['mails'][0]['state']" "sent"
}

# The schedule, step by step, on simulated dates (deadline Thu 2023-06-15:
# -7d is Thu 06-08, -3d Mon 06-12, +2d Sat 06-17 so Mon 06-19).
test_outbox_reminder_schedule() {
	trap smtpd_stop RETURN
	outbox_setup || return
	expect_rc 0 s send-forms --now '2023-06-01 09:00'
	expect_rc 0 s remind --now '2023-06-08 07:59'
	expect_in "$T/err" "0 mail(s) queued"
	expect_rc 0 s remind --dry-run --now '2023-06-08 08:00'
	expect_in "$T/out" "01 Hà Nội: reminder: "
	# Hà Nội answers; the others get the -7d reminder, once.
	expect_rc 0 s import --now '2023-06-07 10:00' "$FIX/01-openpyxl.xlsx"
	expect_rc 0 s remind --now '2023-06-08 08:00'
	expect_in "$T/err" "2 mail(s) queued; 2 sent"
	expect_rc 0 s remind --now '2023-06-08 15:00'
	expect_in "$T/err" "0 mail(s) queued"
	expect_rc 0 s remind --now '2023-06-10 10:00'
	expect_in "$T/err" "0 mail(s) queued"
	expect_rc 0 s remind --now '2023-06-12 08:30'
	expect_in "$T/err" "2 mail(s) queued; 2 sent"
	# max-reminders=2: the +2d step sends nothing.
	expect_rc 0 s remind --dry-run --now '2023-06-19 09:00'
	expect_in "$T/out" "14 Sơn La: nothing: max-reminders reached (2)"
	expect_rc 0 s remind --now '2023-06-19 09:00'
	expect_in "$T/err" "0 mail(s) queued"
	expect_count lienhiephoi.hanoi@example.test 1
	expect_count lienhiephoi.sonla@example.test 3
	expect_count lienhiephoi.thanhphohochiminh@example.test 3
	expect_json "r['14']['reminders_sent']" "2"
	expect_json "r['01']['reminders_sent']" "0"
	ob_read lienhiephoi.sonla@example.test 2 > "$T/mail"
	expect_in "$T/mail" "Nhắc gửi phiếu khảo sát"
}

# After the deadline the reminder is the late one, cc'd to the roster's cc.
test_outbox_escalates_after_deadline() {
	trap smtpd_stop RETURN
	outbox_setup || return
	expect_rc 0 s send-forms --now '2023-06-16 09:00'
	expect_rc 0 s remind --now '2023-06-19 09:00'
	expect_in "$T/err" "3 mail(s) queued; 3 sent"
	expect_count ubnd.thanhphohochiminh@example.test 1
	expect_sql "select step, state from outbox where kind = 'reminder' and respondent = '79' order by id" \
	    "$(printf -- '-7d|skipped\n-3d|skipped\n+2d|sent')"
}

# SMTP down: the mails wait in the outbox and go, once, when it is back.
test_outbox_smtp_down_then_back() {
	trap smtpd_stop RETURN
	outbox_setup || return
	local port=$SMTPD_PORT
	smtpd_down
	expect_rc 1 s send-forms --now '2023-06-01 09:00'
	expect_in "$T/err" "3 mail(s) queued; 0 sent, 3 to be tried again"
	expect_sql "select count(*) from outbox where state = 'queued'" 3
	SMTPD_PORT=$port smtpd_restart || return
	expect_rc 0 s send-forms --now '2023-06-01 09:04'
	expect_in "$T/err" "0 mail(s) queued; 0 sent"
	expect_rc 0 s send-forms --now '2023-06-01 09:06'
	expect_in "$T/err" "0 mail(s) queued; 3 sent"
	expect_count lienhiephoi.hanoi@example.test 1
	expect_rc 0 s send-forms --now '2023-06-01 12:00'
	expect_count lienhiephoi.hanoi@example.test 1
}

# A recipient the server refuses is recorded, and status says so.
test_outbox_rejected_recipient() {
	trap smtpd_stop RETURN
	outbox_setup || return
	sed -i 's/lienhiephoi.sonla@example.test/khong-co-ai@example.test/' "$T/roster.csv"
	expect_rc 1 s send-forms --now '2023-06-01 09:00'
	expect_in "$T/err" "2 sent, 0 to be tried again, 1 failed"
	expect_json "r['14']['mails'][0]['state']" "failed"
	expect_json "'address-failing' in r['14']['flags']" "True"
	expect_json "'address-failing' in r['01']['flags']" "False"
}

# A bounce for one of our mails, polled from the survey's mailbox, marks
# the mail bounced and the address failing; no one answers the bounce.
test_outbox_bounce_marks_address() {
	local mid
	trap smtpd_stop RETURN
	outbox_setup || return
	expect_rc 0 s send-forms --now '2023-06-01 09:00'
	mid=$(sql "select message_id from outbox where respondent = '79'")
	printf 'From: MAILER-DAEMON@mx.example.test\r\nTo: khaosat@example.test\r\nSubject: Undelivered Mail Returned to Sender\r\nMessage-ID: <bounce-1@mx.example.test>\r\nAuto-Submitted: auto-replied\r\nMIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=delivery-status; boundary="b"\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nThe mail could not be delivered.\r\n--b\r\nContent-Type: message/delivery-status\r\n\r\nReporting-MTA: dns; mx.example.test\r\n\r\nFinal-Recipient: rfc822; lienhiephoi.thanhphohochiminh@example.test\r\nAction: failed\r\nStatus: 5.1.1\r\nDiagnostic-Code: smtp; 550 5.1.1 mailbox unavailable\r\n--b\r\nContent-Type: text/rfc822-headers\r\n\r\nMessage-ID: <%s>\r\nSubject: x\r\n--b--\r\n' "$mid" > "$T/bounce.eml"
	dove_deliver "$T/bounce.eml"
	expect_rc 0 s poll --once --now '2023-06-02 09:00'
	expect_sql "select state from outbox where respondent = '79'" "bounced"
	expect_sql "select state from mailbox_message" "bounce"
	expect_json "'address-failing' in r['79']['flags']" "True"
	expect_sql "select count(*) from submission" 0
}

# A header injection through a roster name, a from that is no address, a
# template with an unknown placeholder: check-config says so, nothing goes.
test_outbox_bad_config() {
	trap smtpd_stop RETURN
	outbox_setup || return
	mkdir -p "$T/tpl"
	cp "$here"/templates/vi/*.txt "$T/tpl/"
	sed -i '1,/^Subject/s/^Subject: .*/Subject: Nhắc {respondant}/' "$T/tpl/reminder.txt"
	sed -i "s|^templates=.*|templates=tpl|" "$T/surveyd.conf"
	sed -i 's/^from=.*/from=khong phai dia chi/' "$T/surveyd.conf"
	expect_rc 2 s check-config
	expect_in "$T/err" "reminder.txt:"
	expect_in "$T/err" "respondant"
	expect_in "$T/err" "[smtp] from"
	expect_rc 2 s send-forms --now '2023-06-01 09:00'
	[ -e "$T/db/surveyd.db" ] && fail "a store was opened with a broken config"
	# A name that would add a header, an address that is none.
	printf '99,"Sơn La\r\nBcc: ke-xau@example.org",Tây Bắc,khong-phai-dia-chi,,vi,\n' >> "$T/roster.csv"
	expect_rc 2 s check-config
	expect_in "$T/err" "roster.csv: row 5: the name holds a line break"
	expect_in "$T/err" "'khong-phai-dia-chi' is not an e-mail address"
}

# `run` acknowledges replies: thanks for an accepted one, what to fix (with
# the form again) for an incomplete one, nothing to an auto-reply.
test_outbox_run_acknowledges() {
	trap 'run_teardown; smtpd_stop' RETURN
	outbox_setup || return
	sed -i 's/^url=imap.*/&\npoll-interval=1/' "$T/surveyd.conf"
	dove_deliver "$MAILFIX/reply-2231.eml" "$MAILFIX/auto-reply.eml"
	"$SURVEYD" -c "$T/surveyd.conf" run --now '2023-06-10 10:00' >"$T/run.out" 2>"$T/run.err" &
	RUN_PID=$!
	smtpd_wait_delivered lienhiephoi.hanoi@example.test 1 || { sed 's/^/    | /' "$T/run.err" | tail; return; }
	ob_read lienhiephoi.hanoi@example.test 1 > "$T/mail"
	expect_in "$T/mail" "reply-2231@example.test"
	run_stop 0
	expect_sql "select count(*) from outbox where kind = 'ack' and state = 'sent'" 1
}

# Killed (SIGKILL) in the middle of sending 63 forms, then run again: each
# province has its form, none twice, save at most the one mail in flight,
# which carries the same Message-ID.
test_outbox_killed_mid_batch() {
	local users pid
	trap smtpd_stop RETURN
	mapfile -t users < <(cut -d, -f4 "$here/rosters/sample-63.csv" | tail -n +2 | cut -d';' -f1)
	smtpd_start "${users[@]}" || return
	cat >> "$T/surveyd.conf" <<EOF2
templates=$here/templates/vi
[smtp]
url=smtp://127.0.0.1:$SMTPD_PORT
from=$OB_FROM
rate-per-minute=600
EOF2
	"$SURVEYD" -c "$T/surveyd.conf" send-forms --now '2023-06-01 09:00' >"$T/out" 2>"$T/err" &
	pid=$!
	wait_for 30 grep -q ': sent' "$T/err" || return
	sleep 1
	kill -KILL "$pid"
	wait "$pid" 2>/dev/null
	local before
	before=$(sql "select count(*) from outbox where state = 'sent'")
	[ "$before" -gt 0 ] && [ "$before" -lt 63 ] || fail "$before sent before the kill, wanted some but not all"
	expect_rc 0 s send-forms --now '2023-06-01 09:00'
	expect_sql "select count(*) from outbox where state = 'sent'" 63
	sleep 2
	$PY - "$DOVE/mail" <<'PYEOF' || fail "the mailboxes do not hold each form once"
import collections, glob, os, re, sys
ids = collections.Counter()
boxes = 0
for box in glob.glob(os.path.join(sys.argv[1], "*")):
    files = glob.glob(os.path.join(box, "new", "*")) + glob.glob(os.path.join(box, "cur", "*"))
    if files:
        boxes += 1
    for f in files:
        m = re.search(rb"(?im)^Message-ID: *<([^>]*)>", open(f, "rb").read())
        ids[m.group(1)] += 1
extra = sum(n - 1 for n in ids.values())
print(f"    {boxes} mailboxes, {len(ids)} distinct mails, {extra} resent")
sys.exit(0 if boxes == 63 and len(ids) == 63 and extra <= 1 else 1)
PYEOF
}

# While the daemon runs it is the only sender: send-forms only queues,
# and the daemon's next round sends each form once.
test_outbox_daemon_sends_what_commands_queue() {
	trap 'run_teardown; smtpd_stop' RETURN
	outbox_setup || return
	"$SURVEYD" -c "$T/surveyd.conf" run --now '2023-06-01 08:00' >"$T/run.out" 2>"$T/run.err" &
	RUN_PID=$!
	wait_for 10 grep -q "running:" "$T/run.err" || return
	expect_rc 0 s send-forms --now '2023-06-01 08:00'
	expect_in "$T/err" "3 mail(s) queued: the running daemon sends them"
	grep -q ': sent' "$T/err" && fail "the command sent mail while the daemon runs"
	kill -HUP "$RUN_PID"	# a signal ends the daemon's sleep: its round comes now
	wait_for 30 sql_is "select count(*) from outbox where state = 'sent'" 3 || return
	expect_count lienhiephoi.sonla@example.test 1
	run_stop 0
	expect_in "$T/run.err" "mail form 0 to 14"
}
