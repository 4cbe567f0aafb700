#!/usr/bin/env bash
# The demo: one whole survey round of the 63 provincial unions with form A,
# by e-mail, on a simulated clock (June-July 2023), in a few minutes.
#
#   * a Dovecot (IMAP + LMTP) and an OpenSMTPD on loopback ports, in a
#     temporary folder, with a mailbox for the union (khaosat@example.test,
#     the one surveyd polls), the secretary, and every address of the
#     roster; the servers come from the tests' harness (tests/cli/dovecot.sh,
#     tests/cli/smtpd.sh) and are stopped by their pids when the demo ends;
#   * `surveyd send-forms` mails each province its personalised form;
#   * the provinces (scripts/demo_provinces.py) take the form out of their
#     own mailbox, fill it with another program (tests/cli/fill_form.py),
#     some save it again with LibreOffice as .xls or .ods, zip it, forward
#     it, send it from a personal address, send it incomplete or wrong and
#     correct it later, or late; they mail it back through OpenSMTPD;
#   * each simulated day `surveyd remind` sends the reminders due and
#     `surveyd poll --once` takes the replies in and acknowledges them;
#     one province's mailbox does not exist, so its form bounces back;
#   * `surveyd run` sends the secretary the daily digest, and `surveyd
#     export` writes the consolidated workbook.
#
# Environment: DEMO_DIR=FOLDER runs in FOLDER (made if missing) instead of
# a new /tmp/surveyd-demo.*; either way the folder is kept.  DEMO_PROVINCES=N
# plays the round with N provinces of the roster, for a quicker look.
# SURVEYD=path runs another binary.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
SURVEYD=${SURVEYD:-$here/build/surveyd}
PY=/usr/bin/python3
PROVINCES=${DEMO_PROVINCES:-63}
OPENS=2023-06-05 DEADLINE=2023-06-30 LAST=2023-07-07
UNION=khaosat@example.test SECRETARY=thuky@example.test
started=$(date +%s)

# OpenSMTPD runs as root, and Dovecot is started as user mail by root.
if [ "$(id -u)" != 0 ]; then
	if command -v sudo >/dev/null; then
		echo "demo: the mail servers need root: going on through sudo"
		exec sudo DEMO_DIR="${DEMO_DIR:-}" DEMO_PROVINCES="$PROVINCES" SURVEYD="$SURVEYD" \
		    bash "$0"
	fi
	echo "demo: the mail servers need root: run it as root" >&2
	exit 1
fi
if [ -n "${DEMO_DIR:-}" ]; then
	mkdir -p "$DEMO_DIR"
	demo=$(cd "$DEMO_DIR" && pwd)
else
	demo=$(mktemp -d /tmp/surveyd-demo.XXXXXX)
fi
say() { printf '%s\n' "$*"; }
fail() { echo "demo: $*" >&2; }

# The tests' mail servers: they want $T (their folder), $PY and fail().
T=$demo
# shellcheck source=tests/cli/dovecot.sh
. "$here/tests/cli/dovecot.sh"
# shellcheck source=tests/cli/smtpd.sh
. "$here/tests/cli/smtpd.sh"
# One province's address has no mailbox.  OpenSMTPD 6.8 takes LMTP's 550
# for a temporary failure, so that address is delivered instead by a
# command that exits EX_NOUSER (67): OpenSMTPD then sends the union a real
# bounce (a delivery status notification), as a remote server would.
# The harness's config, plus that.
eval "harness_$(declare -f smtpd_config)"
smtpd_config() {
	harness_smtpd_config
	awk -v to="$bounce" '/^match / && !done {
		print "action \"gone\" mda \"/bin/sh -c \x27echo 550 5.1.1 no such mailbox; exit 67\x27\" virtual <users>"
		printf "match from any for rcpt-to \"%s\" action \"gone\"\n", to
		done = 1
	} 1' "$T/smtpd/smtpd.conf" > "$T/smtpd/smtpd.conf.new"
	mv "$T/smtpd/smtpd.conf.new" "$T/smtpd/smtpd.conf"
}
RUN_PID=
cleanup() {
	set +e
	if [ -n "$RUN_PID" ]; then
		kill "$RUN_PID" 2>/dev/null
		wait "$RUN_PID" 2>/dev/null
	fi
	# An smtpd of ours that never started must not have smtpd_stop's
	# smtpctl empty the queue of another one (smtpctl talks to whichever runs).
	if [ -n "$SMTPD_PID" ] && ! kill -0 "$SMTPD_PID" 2>/dev/null; then
		SMTPD_PID=
	fi
	smtpd_stop
	# What the servers left running, for tests/cli/t_demo.sh to check.
	printf '%s\n' "${PIDS[@]}" > "$demo/pids"
}
PIDS=()
trap cleanup EXIT

s() { "$SURVEYD" -c "$demo/surveyd.conf" "$@"; }
provinces() { "$PY" "$here/scripts/demo_provinces.py" "$@"; }

# OpenSMTPD keeps its queue and control socket at fixed paths: one at a time.
if smtpctl show status >/dev/null 2>&1; then
	echo "demo: an OpenSMTPD is running already (a test?); try again when it is done" >&2
	exit 1
fi

# --- the roster and who will do what ------------------------------------
roster=$here/rosters/sample-63.csv
if [ "$PROVINCES" -lt 63 ]; then
	# N provinces spread over the roster, so every region is in.
	awk -F, -v n="$PROVINCES" 'NR == 1 || (NR - 2) % int(63 / n) == 0 && c++ < n' \
	    "$roster" > "$demo/roster.csv"
	roster=$demo/roster.csv
fi
mapfile -t addresses < <(provinces plan "$demo" "$roster" "$OPENS" "$DEADLINE")
bounce=$("$PY" -c 'import json,sys; print(json.load(open(sys.argv[1]))["bounce_address"])' "$demo/plan.json")

say "== Mail servers on loopback: Dovecot (IMAP, LMTP) and OpenSMTPD, in $demo"
smtpd_start "$UNION" "$SECRETARY" "${addresses[@]}" || exit 1
PIDS=("$DOVE_PID" "$SMTPD_PID")
# The bounce's address goes (see smtpd_config), and the union's, which
# dovecot.sh wrote first, is not kept twice.
awk -v gone="$bounce:" 'index($0, gone) != 1 && !seen[$0]++' "$DOVE/passwd" > "$DOVE/passwd.new"
mv "$DOVE/passwd.new" "$DOVE/passwd"
chown mail:mail "$DOVE/passwd"
say "   IMAP 127.0.0.1:$DOVE_PORT, SMTP 127.0.0.1:$SMTPD_PORT, $((${#addresses[@]} + 2)) mailboxes" \
    "($bounce has none: mail to it will bounce)"

cat > "$demo/surveyd.conf" <<CONF
# The demo's config: see surveyd.conf.example and surveyd.conf(5).
[store]
database=surveyd.db
archive=archive

[intake]
spool=spool

[smtp]
url=smtp://127.0.0.1:$SMTPD_PORT
from=Liên hiệp các hội Khoa học và Kỹ thuật - Ban khảo sát <$UNION>
rate-per-minute=0

[survey khaosat2023]
definition=$here/forms/form-a
roster=$roster
opens=$OPENS
deadline=$DEADLINE
closes=2023-07-31
reminders=-7d,-2d,+3d
max-reminders=3
send-window=Mon-Fri 08:00-17:00
timezone=Asia/Ho_Chi_Minh
language=vi
acknowledge=yes
digest-to=$SECRETARY
digest-at=17:00
templates=$here/templates/vi
CONF
dove_imap_config
mkdir -p "$demo/spool"
say "== surveyd check-config"
s check-config

# --- opening day -----------------------------------------------------------
say "== $OPENS: surveyd send-forms: each province its own form"
s send-forms --now "$OPENS 08:30" 2> "$demo/send-forms.log" >/dev/null || {
	cat "$demo/send-forms.log" >&2; exit 1; }
say "   $(tail -n 1 "$demo/send-forms.log")"
# The bounce is in the union's mailbox before the first poll, however fast
# the simulated days then go.
smtpd_wait_delivered "$UNION" 1 || exit 1
say "== The provinces fill in their forms (fill_form.py, LibreOffice for .xls/.ods)"
prepared=$(provinces prepare "$demo" "$DOVE_PORT")
say "   replies ready to go: $prepared"

# --- the weeks of the survey ------------------------------------------------
# report DAYFOLDER: what a day's remind, replies and poll did, briefly.
report() {
	local n
	n=$(grep -c ': sent' "$1/remind.err")
	grep -h ': sent' "$1/remind.err" | sed 's/^surveyd: /   remind: /' | head -n 3
	[ "$n" -le 3 ] || echo "   remind: ... $n reminders in all"
	cat "$1/replies"
	sed 's/^imap:[^ ]* /   poll: /' "$1/poll.out"
	grep -h 'UID\|: sent' "$1/poll.err" | sed 's/^surveyd: imap:[^ ]* /   poll: /; s/^surveyd: /   /'
	return 0
}
weekday=(Chủ\ nhật Thứ\ Hai Thứ\ Ba Thứ\ Tư Thứ\ Năm Thứ\ Sáu Thứ\ Bảy Chủ\ nhật)
d=$OPENS
while [[ ! "$d" > "$LAST" ]]; do
	out=$demo/days/$d
	mkdir -p "$out"
	# Morning: the reminders due (none at weekends: send-window).
	s remind --now "$d 08:30" >"$out/remind.out" 2>"$out/remind.err" || {
		cat "$out/remind.err" >&2; exit 1; }
	provinces send "$demo" "$SMTPD_PORT" "$DOVE_PORT" "$d" > "$out/replies"
	# Afternoon: take in what came, acknowledge it.
	rc=0
	s poll --once --now "$d 16:00" >"$out/poll.out" 2>"$out/poll.err" || rc=$?
	if [ "$rc" = 1 ] || [ "$rc" = 2 ]; then cat "$out/poll.err" >&2; exit 1; fi
	if [ -s "$out/replies" ] || [ -s "$out/poll.out" ] ||
	    grep -q ': sent\|UID' "$out/remind.err" "$out/poll.err"; then
		say "== $d ${weekday[$(date -d "$d" +%u)]}"
		report "$out" || true   # (greps that find nothing are no error)
	fi
	d=$(date -d "$d + 1 day" +%F)
done

# --- the secretary's digest, from the daemon ---------------------------------
say "== $LAST 17:00: surveyd run sends the secretary the day's digest"
"$SURVEYD" -c "$demo/surveyd.conf" run --now "$LAST 17:00" >"$demo/run.out" 2>"$demo/run.err" &
RUN_PID=$!
PIDS+=("$RUN_PID")
smtpd_wait_delivered "$SECRETARY" 1 || exit 1
kill "$RUN_PID"
wait "$RUN_PID" || { cat "$demo/run.err" >&2; exit 1; }
RUN_PID=
grep 'mail digest' "$demo/run.err" | sed 's/^[0-9: -]*/   /'

# --- the result ------------------------------------------------------------
s export -o "$demo/tong-hop.xlsx" --csv "$demo/tong-hop.csv" >/dev/null
s status --json > "$demo/status.json"
s status > "$demo/status.txt"
# The summary, from `surveyd status --json` (the digest from the store).
"$PY" - "$demo" "$(( $(date +%s) - started ))" <<'PYEOF'
import collections, json, sqlite3, sys
demo, secs = sys.argv[1], sys.argv[2]
s = json.load(open(f"{demo}/status.json", encoding="utf-8"))
r = s["respondents"]
state = collections.Counter(x["state"] for x in r)
mails = collections.Counter((m["kind"], m["state"]) for x in r for m in x["mails"])
sent = lambda kind: mails[(kind, "sent")] + mails[(kind, "bounced")]
failing = [f"{x['code']} {x['name']}" for x in r if "address-failing" in x["flags"]]
late = sum("late" in x["flags"] for x in r)
digests = sqlite3.connect(f"{demo}/surveyd.db").execute(
    "select count(*) from outbox where kind = 'digest' and state = 'sent'").fetchone()[0]
print(f"""
== Summary ({secs} s)
   {len(r)} provinces: {sum(1 for x in r if x['answer'])} accepted ({late} late), {state['pending']} pending, {state['incomplete']} incomplete, {state['invalid']} invalid
   forms sent:             {sent('form')}
   replies taken in:       {sum(x['submissions'] for x in r)}
   reminders sent:         {sum(x['reminders_sent'] for x in r)}
   acknowledgements sent:  {sent('ack')}
   digests sent:           {digests}
   addresses failing:      {len(failing)} {'(' + ', '.join(failing) + ')' if failing else ''}
   unmatched replies:      {len(s['unmatched'])}""")
PYEOF
echo
echo "The secretary's workbook: $demo/tong-hop.xlsx"
echo "The demo's folder: $demo (config, database, archive, mailboxes, the days' logs)"
echo "Try: $SURVEYD -c $demo/surveyd.conf status"
