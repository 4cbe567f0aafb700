# Command-line tests of `surveyd run`, the daemon loop: the mailbox and the
# spool taken in while it runs, SIGHUP and SIGTERM, a server that comes
# back, one daemon per state folder.  Sourced by run.sh after t_poll.sh,
# whose Dovecot helpers it uses.  Every daemon is stopped by its pid.

RUN_PID=

# run_start: the daemon in the background, its stderr in $T/run.err.
run_start() {
	"$SURVEYD" -c "$T/surveyd.conf" run "${NOW[@]}" >"$T/run.out" 2>"$T/run.err" &
	RUN_PID=$!
}

# run_stop [WANT]: SIGTERM, then the exit code must be WANT (0).
run_stop() {
	local rc
	[ -n "$RUN_PID" ] || return 0
	kill -TERM "$RUN_PID" 2>/dev/null
	wait "$RUN_PID"
	rc=$?
	RUN_PID=
	[ "$rc" = "${1:-0}" ] || fail "run exited $rc after SIGTERM, wanted ${1:-0}"
}

run_teardown() {
	run_stop
	dove_stop
}

# wait_for SECONDS CMD...: polls CMD every 0.2 s; fails the test on timeout.
wait_for() {
	local i n=$(($1 * 5))
	shift
	for i in $(seq "$n"); do
		"$@" && return 0
		sleep 0.2
	done
	fail "timed out waiting for: $*"
	sed 's/^/    | /' "$T/run.err" | tail -5
	return 1
}

sql_is() {	# sql_is QUERY WANT
	[ "$(sql "$1" 2>/dev/null)" = "$2" ]
}

test_run_mailbox_spool_and_signals() {
	trap run_teardown RETURN
	poll_setup || return
	mkdir -p "$T/spool"
	printf 'poll-interval=1\n[intake]\nspool=spool\n' >> "$T/surveyd.conf"
	run_start
	dove_deliver "$MAILFIX/reply-2231.eml"
	cp "$FIX/79-libreoffice.ods" "$T/spool/tphcm.ods"
	cp "$MAILFIX/zipped.eml" "$T/spool/mail.eml"
	head -c 3000 /dev/urandom > "$T/spool/rac.xlsx"
	printf 'half written' > "$T/spool/dang-ghi.part"
	wait_for 30 sql_is "select count(*) from submission where state = 'accepted'" 3 || return
	wait_for 10 test -e "$T/spool/rejected/rac.xlsx.why" || return
	[ -e "$T/spool/done/tphcm.ods" ] && [ -e "$T/spool/done/mail.eml" ] ||
	    fail "done/ lacks the stored files: $(ls "$T/spool/done")"
	grep -q 'rac.xlsx' "$T/spool/rejected/rac.xlsx.why" || fail "the .why does not name the file"
	[ -e "$T/spool/dang-ghi.part" ] || fail "a file still being written was taken"
	expect_sql "select state from mailbox_message" "stored"
	# A broken config is refused, the running one stays; a good one is taken.
	cp "$T/surveyd.conf" "$T/good.conf"
	printf '[survey b]\ndefinition=nowhere\n' >> "$T/surveyd.conf"
	kill -HUP "$RUN_PID"
	wait_for 10 grep -q 'the running config stays in force' "$T/run.err"
	cp "$T/good.conf" "$T/surveyd.conf"
	kill -HUP "$RUN_PID"
	wait_for 10 grep -q 'surveyd.conf: reloaded' "$T/run.err"
	dove_deliver "$MAILFIX/forwarded.eml"
	wait_for 30 sql_is "select count(*) from mailbox_message" 2
	run_stop 0
	expect_in "$T/run.err" "stopped"
}

# SIGTERM while 500 messages are being taken: the batch in hand is
# finished, stored and flagged; a later poll takes the rest, none twice.
test_run_sigterm_mid_poll() {
	trap run_teardown RETURN
	poll_setup || return
	dove_maildir_many 500 "$MAILFIX/reply-2231.eml"
	run_start
	wait_for 60 sql_is "select count(*) > 0 from mailbox_message" 1 || return
	run_stop 0
	local taken
	taken=$(sql "select count(*) from mailbox_message")
	[ "$(dove_flags | grep -c 'surveyd')" = "$taken" ] ||
	    fail "$taken messages recorded but $(dove_flags | grep -c surveyd) flagged"
	expect_rc 0 s poll --once "${NOW[@]}"
	expect_sql "select count(*) from mailbox_message" 500
	expect_sql "select count(*) from submission" 1
}

# The server is down when the daemon starts, then comes up: it retries
# with backoff and takes the mail once the server is there.
test_run_server_down_then_back() {
	trap run_teardown RETURN
	DOVE_PORT=$(dove_port)
	dove_imap_config
	sed -i 's|^url=.*|url=imap://127.0.0.1:'"$DOVE_PORT"'/INBOX|' "$T/surveyd.conf"
	run_start
	wait_for 20 grep -q "cycle failed; next try in 5 s" "$T/run.err" || return
	expect_in "$T/run.err" "Couldn't connect to server"
	dove_start || return
	dove_deliver "$MAILFIX/reply-2231.eml"
	wait_for 40 sql_is "select count(*) from submission" 1
	wait_for 10 grep -q "polling again after" "$T/run.err"
}

test_run_one_daemon_per_state_folder() {
	trap run_teardown RETURN
	run_start
	wait_for 10 grep -q "running:" "$T/run.err" || return
	expect_rc 1 s run "${NOW[@]}"
	expect_in "$T/err" "surveyd.lock: another 'surveyd run' holds it"
}

# sd_notify against a real datagram socket: READY, STATUS, WATCHDOG,
# RELOADING on SIGHUP (a broken config keeps the old one, READY again),
# STOPPING on SIGTERM, in that order.
test_run_notify_protocol() {
	local listener
	trap 'run_teardown; kill "$listener" 2>/dev/null; wait "$listener" 2>/dev/null' RETURN
	$PY - "$T/notify.sock" "$T/notify.log" <<'PYEOF' &
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(sys.argv[1])
with open(sys.argv[2], "a", buffering=1) as log:
    while True:
        log.write(s.recv(4096).decode().replace("\n", "|") + "\n")
PYEOF
	listener=$!
	wait_for 10 test -S "$T/notify.sock" || return
	NOTIFY_SOCKET=$T/notify.sock "$SURVEYD" -c "$T/surveyd.conf" run "${NOW[@]}" >"$T/run.out" 2>"$T/run.err" &
	RUN_PID=$!
	wait_for 10 grep -q '^WATCHDOG=1' "$T/notify.log" || return
	printf '[survey b]\ndefinition=nowhere\n' >> "$T/surveyd.conf"
	kill -HUP "$RUN_PID"
	wait_for 10 grep -q 'the running config stays in force' "$T/run.err"
	run_stop 0
	wait_for 10 grep -q '^STOPPING=1' "$T/notify.log" || return
	awk -F= '{print $1}' "$T/notify.log" | uniq | tr '\n' ' ' > "$T/order"
	grep -qE '^READY STATUS WATCHDOG (.* )?RELOADING READY (.* )?STOPPING $' "$T/order" ||
	    fail "notify order: $(cat "$T/order")"
	grep -q '^STATUS=a: 63 respondents, 0 answered' "$T/notify.log" ||
	    fail "no status line: $(grep STATUS "$T/notify.log" | head -1)"
}

# The mailbox password changed under the daemon: a clear error, backoff,
# and the mail taken once the password file says the new one.
test_run_password_changed() {
	trap run_teardown RETURN
	poll_setup 'mật-khẩu-cũ' || return
	printf 'poll-interval=1\n' >> "$T/surveyd.conf"
	dove_deliver "$MAILFIX/reply-2231.eml"
	run_start
	wait_for 20 grep -q "Login denied as 'khaosat@example.test'" "$T/run.err" || return
	grep -q 'mật-khẩu' "$T/run.err" && fail "a password reached the log"
	printf '%s\n' "$DOVE_PASSWORD" > "$T/imap-password"
	wait_for 40 sql_is "select count(*) from submission" 1
}

# Dovecot stopped while 500 messages are being taken, then started again:
# the daemon logs it, backs off, and ends with each message taken once.
test_run_imap_stopped_mid_fetch() {
	local port
	trap run_teardown RETURN
	poll_setup || return
	printf 'poll-interval=1\n' >> "$T/surveyd.conf"
	dove_maildir_many 500 "$MAILFIX/reply-2231.eml"
	run_start
	wait_for 60 sql_is "select count(*) > 0 from mailbox_message" 1 || return
	port=$DOVE_PORT
	kill "$DOVE_PID"; wait "$DOVE_PID" 2>/dev/null; DOVE_PID=
	wait_for 30 grep -q "cycle failed; next try in" "$T/run.err" || return
	DOVE_PORT=$port
	dove_start || return
	wait_for 120 sql_is "select count(*) from mailbox_message" 500 || return
	expect_sql "select count(*), count(distinct uid) from mailbox_message" "500|500"
	expect_sql "select count(*) from submission" 1
	wait_for 20 test "$(dove_flags | grep -c 'surveyd')" = 500
}
