# Command-line tests of the faults surveyd must live through, each with a
# plain error naming the server, a retry, and in the end every reply
# stored once and every mail sent once: an SMTP server that refuses, goes
# silent, or cuts the connection in the middle of DATA; a mail server's
# name that does not resolve; the database held by another process for
# longer than the store's busy timeout.  Sourced by run.sh with
# t_outbox.sh, t_poll.sh, t_run.sh and t_smtp.sh, whose servers and
# helpers it uses.

# hosts_setup: $T/hosts (localhost alone) and an nsswitch.conf that looks
# names up in it and nowhere else.  HOSTS_EXEC runs a command with them as
# /etc/hosts and /etc/nsswitch.conf, in a mount namespace of its own: a
# name the test has not written fails at once, no DNS server is asked,
# and what the test appends to $T/hosts resolves from then on.
HOSTS_EXEC=()
hosts_setup() {
	printf '127.0.0.1 localhost\n' > "$T/hosts"
	printf 'hosts: files\n' > "$T/nsswitch.conf"
	# shellcheck disable=SC2016
	HOSTS_EXEC=(unshare --mount -- sh -c 'mount --bind "$1" /etc/hosts &&
	    mount --bind "$2" /etc/nsswitch.conf && shift 2 && exec "$@"'
	    sh "$T/hosts" "$T/nsswitch.conf")
	"${HOSTS_EXEC[@]}" true ||
	    { fail "no private mount namespace (unshare --mount)"; return 1; }
}

# The forms of outbox_setup's three provinces meet, in turn, a server
# name that does not resolve, a server that refuses (421), one that never
# greets, one that cuts the data short, and at last OpenSMTPD: each
# failure is named, every form waits for its retry, and each province
# gets its form exactly once.
test_faults_smtp() {
	local port start
	trap 'smtp_fake_stop; smtpd_stop' RETURN
	outbox_setup || return
	hosts_setup || return
	port=$SMTPD_PORT
	smtpd_down
	printf 'timeout=2\n' >> "$T/surveyd.conf"
	sed -i "s|^url=smtp://127.0.0.1:|url=smtp://$DOVE_HOST:|" "$T/surveyd.conf"
	expect_rc 1 "${HOSTS_EXEC[@]}" "$SURVEYD" -c "$T/surveyd.conf" \
	    send-forms --now '2023-06-01 09:00'
	expect_in "$T/err" "smtp://$DOVE_HOST:$port: Couldn't resolve host name"
	expect_in "$T/err" "3 mail(s) queued; 0 sent, 3 to be tried again"
	sed -i "s|^url=smtp://$DOVE_HOST:|url=smtp://127.0.0.1:|" "$T/surveyd.conf"

	printf 'refuse\n' > "$T/fake.mode"
	smtp_fake_start "$port" || return
	expect_rc 1 s send-forms --now '2023-06-01 09:06'
	expect_in "$T/err" "421 4.3.2 Service not available"
	expect_in "$T/err" "0 mail(s) queued; 0 sent, 3 to be tried again"

	printf 'silent\n' > "$T/fake.mode"
	start=$(date +%s)
	expect_rc 1 s send-forms --now '2023-06-01 09:22'
	[ $(($(date +%s) - start)) -lt 30 ] ||
	    fail "a silent server held send-forms $(($(date +%s) - start)) s (timeout=2)"
	expect_in "$T/err" "smtp://127.0.0.1:$port: Timeout was reached"
	expect_in "$T/err" "0 sent, 3 to be tried again"

	printf 'drop\n' > "$T/fake.mode"
	expect_rc 1 s send-forms --now '2023-06-01 10:08'
	expect_in "$T/err" "0 sent, 3 to be tried again"
	expect_sql "select count(*) from outbox where state = 'queued'" 3
	smtp_fake_stop

	SMTPD_PORT=$port smtpd_restart || return
	expect_rc 0 s send-forms --now '2023-06-01 12:30'
	expect_in "$T/err" "0 mail(s) queued; 3 sent, 0 to be tried again, 0 failed"
	expect_rc 0 s send-forms --now '2023-06-02 12:30'
	expect_in "$T/err" "0 mail(s) queued; 0 sent"
	expect_count lienhiephoi.hanoi@example.test 1
	expect_count lienhiephoi.sonla@example.test 1
	expect_count lienhiephoi.thanhphohochiminh@example.test 1
	expect_sql "select count(*), count(distinct message_id) from outbox where state = 'sent'" "3|3"
}

# The mailbox's name does not resolve while the daemon runs: it says so,
# backs off, and takes the reply once the name resolves, over STARTTLS
# with the certificate checked against that name.
test_faults_dns() {
	trap run_teardown RETURN
	dove_cert || return
	hosts_setup || return
	DOVE_SSL=required
	DOVE_EXTRA="ssl_cert = <$T/cert.pem
ssl_key = <$T/key.pem"
	poll_setup || return
	sed -i "s|^url=imap://127.0.0.1:|url=imap://$DOVE_HOST:|" "$T/surveyd.conf"
	printf 'ca-file=cert.pem\npoll-interval=1\n' >> "$T/surveyd.conf"
	dove_deliver "$MAILFIX/reply-2231.eml"
	# A simple command, so $! is the daemon (unshare and sh exec it).
	"${HOSTS_EXEC[@]}" "$SURVEYD" -c "$T/surveyd.conf" run "${NOW[@]}" \
	    >"$T/run.out" 2>"$T/run.err" &
	RUN_PID=$!
	wait_for 30 grep -q "cycle failed; next try in 5 s" "$T/run.err" || return
	expect_in "$T/run.err" "imap://$DOVE_HOST:$DOVE_PORT/INBOX: Couldn't resolve host name"
	expect_sql "select count(*) from submission" 0
	printf '127.0.0.1 %s\n' "$DOVE_HOST" >> "$T/hosts"
	wait_for 40 sql_is "select count(*) from submission where state = 'accepted'" 1 || return
	wait_for 10 grep -q "polling again after" "$T/run.err"
	wait_for 10 test "$(dove_flags | grep -c 'surveyd')" = 1
	expect_sql "select count(*) from mailbox_message" 1
}

# Another process holds the database's write lock for longer than the
# store waits (busy_timeout, 10 s) while replies arrive: the daemon says
# the database is locked, leaves the messages unflagged, backs off, and
# takes each once when the lock is let go; the other writer loses nothing.
test_faults_database_locked() {
	local holder=
	trap 'run_teardown; [ -n "$holder" ] && kill "$holder" 2>/dev/null; wait $holder 2>/dev/null' RETURN
	poll_setup || return
	printf 'poll-interval=1\n' >> "$T/surveyd.conf"
	run_start
	wait_for 10 grep -q "running:" "$T/run.err" || return
	# The lock is held until the test lets go ($T/release), not for a time.
	$PY - "$T/db/surveyd.db" "$T/locked" "$T/release" <<'PYEOF' &
import os, sqlite3, sys, time
db = sqlite3.connect(sys.argv[1], isolation_level=None)
db.execute("BEGIN IMMEDIATE")
db.execute("INSERT INTO event (time, kind, actor) VALUES (1, 'test', 'other')")
open(sys.argv[2], "w").close()
while not os.path.exists(sys.argv[3]):
    time.sleep(0.1)
db.execute("COMMIT")
PYEOF
	holder=$!
	wait_for 10 test -e "$T/locked" || return
	dove_deliver "${POLL_REPLIES[@]}"
	wait_for 40 grep -q "cycle failed; next try in 5 s" "$T/run.err" || return
	expect_in "$T/run.err" "cannot store: database is locked"
	expect_in "$T/run.err" "UID 1 (attachment Phiếu khảo sát - Hà Nội.xlsx): not stored (store failed)"
	[ "$(dove_flags | grep -c surveyd)" = 0 ] || fail "messages flagged that were not stored"
	touch "$T/release"
	wait "$holder" || fail "the other writer failed"
	holder=
	wait_for 60 sql_is "select count(*) from submission" 3 || return
	expect_sql "select count(*), count(distinct uid) from mailbox_message" "3|3"
	expect_sql "select count(*) from event where actor = 'other'" 1
	wait_for 10 test "$(dove_flags | grep -c surveyd)" = 3
	wait_for 10 grep -q "polling again after" "$T/run.err"
	# The default spool folder is missing here: said once in 25 s of scans.
	[ "$(grep -c 'spool: .*: no such folder' "$T/run.err")" = 1 ] ||
	    fail "the missing spool folder was not reported once: $(grep -c spool "$T/run.err") lines"
}
