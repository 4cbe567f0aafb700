# Crash safety of the daemon as a whole: a mailbox of 300 replies taken in
# while `surveyd run` is killed with SIGKILL at random moments and started
# again, the acknowledgements going out through the real OpenSMTPD; and
# the disk filling up under the archive.  At the end nothing is lost,
# nothing is stored or sent twice, and the database is sound.  Sourced by
# run.sh after t_outbox.sh and t_run.sh, whose helpers it uses.

CRASH_KILLS=30

# crash_mailbox N: N replies from the roster's addresses, each carrying a
# different file (the same form, its zip comment numbered), in the Maildir.
crash_mailbox() {
	local dir=$DOVE/mail/$DOVE_USER
	as_mail mkdir -p "$dir/cur" "$dir/new" "$dir/tmp"
	$PY - "$1" "$FIX/01-openpyxl.xlsx" "$here/rosters/sample-63.csv" "$dir/new" <<'PYEOF' || fail "writing the mailbox failed"
import base64, csv, io, os, sys, zipfile
n, form, roster, new = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
senders = [r["emails"].split(";")[0] for r in csv.DictReader(open(roster, encoding="utf-8"))]
src = zipfile.ZipFile(form)
for i in range(n):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for item in src.infolist():
            z.writestr(item, src.read(item.filename))
        z.comment = b"reply %d" % i
    b64 = base64.encodebytes(out.getvalue()).replace(b"\n", b"\r\n")
    msg = (b"From: <%s>\r\nTo: <khaosat@example.test>\r\nSubject: Phieu khao sat %d\r\n"
           b"Message-ID: <crash-%d@example.test>\r\nMIME-Version: 1.0\r\n"
           b"Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\n"
           b"Content-Type: text/plain\r\n\r\nGui phieu.\r\n--b\r\n"
           b"Content-Type: application/vnd.openxmlformats-officedocument.spreadsheetml.sheet\r\n"
           b"Content-Disposition: attachment; filename=\"phieu-%d.xlsx\"\r\n"
           b"Content-Transfer-Encoding: base64\r\n\r\n%s--b--\r\n"
           % (senders[i % len(senders)].encode(), i, i, i, b64))
    open(os.path.join(new, "1700000000.M%dP1.crash" % i), "wb").write(msg)
PYEOF
	chown -R mail:mail "$dir"
}

# Each sent acknowledgement is in its addressee's mailbox; a Message-ID
# found twice is the one resend DESIGN allows (killed after the server
# took the mail, before the outbox said so): at most one per kill.
crash_check_outgoing() {
	$PY - "$DOVE/mail" "$T/db/surveyd.db" "$1" <<'PYEOF' || fail "the acknowledgements were lost or doubled"
import collections, glob, os, re, sqlite3, sys
root, db, kills = sys.argv[1], sys.argv[2], int(sys.argv[3])
seen = collections.Counter()
for f in glob.glob(os.path.join(root, "*", "new", "*")) + glob.glob(os.path.join(root, "*", "cur", "*")):
    m = re.search(rb"(?im)^Message-ID: *<(surveyd\.[^>]*)>", open(f, "rb").read())
    if m:
        seen[m.group(1).decode()] += 1
rows = sqlite3.connect(db).execute("select message_id, state from outbox where kind = 'ack'").fetchall()
sent = [mid for mid, st in rows if st == "sent"]
lost = [mid for mid in sent if seen[mid] == 0]
stray = [mid for mid in seen if mid not in sent]
doubled = sum(n - 1 for n in seen.values())
print(f"    {len(rows)} acknowledgements planned, {len(sent)} sent, {doubled} resent, {len(lost)} lost")
sys.exit(1 if lost or stray or doubled > kills or any(st == "queued" for _, st in rows) else 0)
PYEOF
}

test_crash_sigkill_during_intake() {
	local i kills=0
	trap 'run_teardown; smtpd_stop' RETURN
	mapfile -t users < <(cut -d, -f4 "$here/rosters/sample-63.csv" | tail -n +2 | cut -d';' -f1)
	smtpd_start "${users[@]}" khaosat@example.test || return
	dove_imap_config
	cat >> "$T/surveyd.conf" <<EOF2
poll-interval=1
[smtp]
url=smtp://127.0.0.1:$SMTPD_PORT
from=Khảo sát <khaosat@example.test>
rate-per-minute=0
EOF2
	sed -i "s|^timezone=.*|&\ntemplates=$here/templates/vi|" "$T/surveyd.conf"
	crash_mailbox 300
	RANDOM=8
	for i in $(seq "$CRASH_KILLS"); do
		"$SURVEYD" -c "$T/surveyd.conf" run "${NOW[@]}" >>"$T/run.out" 2>>"$T/run.err" &
		RUN_PID=$!
		sleep "0.$((RANDOM % 9 + 1))"
		kill -KILL "$RUN_PID" 2>/dev/null && kills=$((kills + 1))
		wait "$RUN_PID" 2>/dev/null
		RUN_PID=
	done
	[ "$kills" = "$CRASH_KILLS" ] || fail "only $kills of $CRASH_KILLS kills hit a running daemon"
	# Once more, left to finish.  The kills may have left nothing to do:
	# the SIGTERM below must then still find the daemon past its start,
	# with its handlers in place (the exit 143 seen twice in CI).
	run_start
	wait_for 10 grep -q "running:" "$T/run.err" || return
	wait_for 120 sql_is "select count(*) from mailbox_message" 300 || return
	wait_for 60 sql_is "select count(*) from outbox where state = 'queued'" 0
	run_stop 0
	expect_sql "select count(*), count(distinct uid) from mailbox_message" "300|300"
	expect_sql "select count(*), count(distinct sha256) from submission" "300|300"
	expect_sql "pragma integrity_check" "ok"
	[ "$(dove_flags | grep -c 'Seen.*\$surveyd\|\$surveyd.*Seen')" = 300 ] ||
	    fail "not all 300 messages are marked done: $(dove_flags | grep -vc surveyd) unmarked"
	crash_check_outgoing "$kills"
}

# The archive's disk fills up: the replies are refused for now (a clear
# error, nothing stored, nothing marked), and taken once there is room.
test_crash_disk_full() {
	trap 'umount "$T/small" 2>/dev/null; dove_stop' RETURN
	poll_setup || return
	mkdir -p "$T/small"
	mount -t tmpfs -o size=2M tmpfs "$T/small" || { fail "cannot mount a 2 MB tmpfs (run as root)"; return; }
	sed -i "s|^database=.*|database=$T/small/db/surveyd.db|; s|^archive=.*|archive=$T/small/archive|" "$T/surveyd.conf"
	expect_rc 0 s status
	head -c $((2048 * 1024)) /dev/zero > "$T/small/filler" 2>/dev/null
	dove_deliver "${POLL_REPLIES[@]}"
	expect_rc 1 s poll --once "${NOW[@]}"
	expect_in "$T/err" "no space left on the device"
	# Room for the database but not for the mail: the archive refuses.
	rm -f "$T/small/filler"
	$PY -c 'import os, sys; s = os.statvfs(sys.argv[1]); open(sys.argv[1] + "/filler", "wb").write(b"\0" * (s.f_bavail * s.f_frsize - 160 * 1024))' "$T/small"
	expect_rc 1 s poll --once "${NOW[@]}"
	grep -qiE 'no space left|disk is full' "$T/err" || fail "no clear disk-full error: $(head -2 "$T/err")"
	[ "$(dove_flags | grep -c surveyd)" = 0 ] || fail "a message was marked done though not stored"
	rm -f "$T/small/filler"
	expect_rc 0 s poll --once "${NOW[@]}"
	sql() { sqlite3 "$T/small/db/surveyd.db" "$1"; }
	expect_sql "select count(*) from submission" 3
	expect_sql "select count(*) from mailbox_message" 3
	expect_sql "pragma integrity_check" "ok"
	unset -f sql
	sql() { sqlite3 "$T/db/surveyd.db" "$1"; }
	[ "$(dove_flags | grep -c surveyd)" = 3 ] || fail "the messages are not marked done after the retry"
}
