#!/usr/bin/env bash
# bench/smtp.sh — outgoing mail against the targets in issue 5:
#
#   * 1,000 mails, each with the respondent's personalised form attached,
#     sent by surveyd through the loopback OpenSMTPD at least as fast as
#     bench/peer_smtp.py (Python's smtplib) sending the same prebuilt mails
#     over one connection, in the same run; connections reused (OpenSMTPD
#     takes 100 mails a session, then "452 4.5.3 Too many messages");
#   * the scheduler's decision for 10,000 respondents under 100 ms
#     (build/bench_remind).
#
# Usage: bash bench/smtp.sh, as root (OpenSMTPD runs as root, Dovecot as
# user mail), from anywhere.  Needs opensmtpd and dovecot-lmtpd.
# Environment: N (respondents, default 1000), RUNS (runs of each sender,
# median, default 3), B (build folder, default build), CC.
#
# The path timed is `surveyd send-forms`: the same as `remind` (plan, build
# each mail with its form, queue it in the outbox, send it), with
# rate-per-minute=0.  Its two halves are timed apart: queueing (forms and
# mails built, archived, queued) with the SMTP server down, so the one
# delivery attempt fails at once; then sending, the server up and the
# clock moved past the retry delay, `send-forms` run again until nothing
# is queued (outbox.c sends at most 100 mails a run).  End to end is
# `send-forms` into a fresh store with the server up, run until nothing is
# queued.  The peer sends surveyd's own archived mails (the same bytes),
# read into memory before its clock starts.
#
# OpenSMTPD delivers every recipient to a private Dovecot's LMTP socket
# (1,000 Maildirs), as the test suite does: the senders are timed until
# the server has accepted every mail; delivery runs behind, and each run
# waits for it to finish (the time is reported) before the next starts.
# Debian's OpenSMTPD is one per machine (fixed control socket): when
# another is running, this script waits for it (10 minutes at most).
# Prints a markdown report and writes it to bench/RESULTS-smtp.md.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-1000}
RUNS=${RUNS:-3}
B=${B:-build}
CC=${CC:-cc}
PY=/usr/bin/python3
DATA=bench/.data
SMTPD=/usr/sbin/smtpd
DOVECOT=/usr/sbin/dovecot
FROM_ADDR=khaosat@example.test
WARN=(-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wpointer-arith -Wformat=2)

# The targets.
T_VS_PY=1	# peer's sending time over surveyd's, at least
T_DECIDE=100	# ms for the scheduler's decision over 10,000 respondents

# shellcheck source=bench/lib.sh
. bench/lib.sh

# --- what it needs -------------------------------------------------------------

missing=()
[ -x "$SMTPD" ] || missing+=(opensmtpd)
[ -x /usr/lib/dovecot/lmtp ] || missing+=(dovecot-lmtpd)
if [ "${#missing[@]}" -gt 0 ]; then
	say "bench/smtp.sh needs: apt-get install ${missing[*]}"
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	say "bench/smtp.sh runs as root: OpenSMTPD must"
	exit 1
fi

make -s B="$B" all "$B/bench_remind" >&2
mkdir -p "$DATA"
"$CC" "${WARN[@]}" -D_GNU_SOURCE -O2 -o "$DATA/rusage" bench/rusage.c

TMP=$(mktemp -d "${TMPDIR:-/tmp}/surveyd-bench-smtp.XXXXXX")
chmod 0711 "$TMP"
# Copies: a make elsewhere in the checkout must not swap them mid-run.
cp "$B/surveyd" "$TMP/surveyd"
cp "$B/bench_remind" "$TMP/bench_remind"
SURVEYD=$TMP/surveyd
DOVE=$TMP/dovecot
DOVE_PID=
SMTPD_PID=
cleanup() {
	if [ -n "$SMTPD_PID" ]; then
		smtpctl remove all >/dev/null 2>&1 || true
		kill "$SMTPD_PID" 2>/dev/null || true
		wait "$SMTPD_PID" 2>/dev/null || true
	fi
	if [ -n "$DOVE_PID" ]; then
		kill "$DOVE_PID" 2>/dev/null || true
		wait "$DOVE_PID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT

free_port() {
	"$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}
PORT=$(free_port)

# --- roster, config ------------------------------------------------------------

"$PY" - "$TMP/roster.csv" "$N" <<'PYEOF'
import csv, sys
with open(sys.argv[1], "w", newline="", encoding="utf-8") as f:
    w = csv.writer(f)
    w.writerow(["code", "name", "region", "emails"])
    for i in range(1, int(sys.argv[2]) + 1):
        w.writerow([f"R{i:04d}", f"Hội thành viên số {i}", "Vùng thử",
                    f"r{i:04d}@example.test"])
PYEOF

# store_conf DIR: a config whose store is in DIR, sending to $PORT.
store_conf() {
	rm -rf "$1"
	mkdir -p "$1"
	cat >"$1/surveyd.conf" <<-EOF
	[store]
	database = $1/surveyd.db
	archive = $1/archive
	[survey a]
	definition = $ROOT/forms/form-a
	roster = $TMP/roster.csv
	deadline = 2023-06-15
	timezone = Asia/Ho_Chi_Minh
	templates = $ROOT/templates/vi
	[smtp]
	url = smtp://127.0.0.1:$PORT
	from = Liên hiệp các hội KH&KT tỉnh Bắc Giang <$FROM_ADDR>
	rate-per-minute = 0
	EOF
}

queued() { sqlite3 "$1/surveyd.db" "select count(*) from outbox where state = 'queued'"; }

# --- servers -------------------------------------------------------------------

mkdir -p "$DOVE/run" "$DOVE/state" "$DOVE/mail" "$DOVE/home" "$TMP/smtpd"
: >"$DOVE/passwd"
: >"$TMP/smtpd/virtual"
for ((i = 1; i <= N; i++)); do
	u=$(printf 'r%04d@example.test' "$i")
	printf '%s:{PLAIN}x::::::\n' "$u" >>"$DOVE/passwd"
	printf '%s mail\n' "$u" >>"$TMP/smtpd/virtual"
done
cat >"$DOVE/dovecot.conf" <<EOF
base_dir = $DOVE/run
state_dir = $DOVE/state
log_path = $DOVE/log
protocols = lmtp
ssl = no
default_internal_user = mail
default_internal_group = mail
default_login_user = mail
first_valid_uid = 1
mail_location = maildir:$DOVE/mail/%u
passdb {
  driver = passwd-file
  args = scheme=PLAIN $DOVE/passwd
}
userdb {
  driver = static
  args = uid=mail gid=mail home=$DOVE/home/%u
}
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
service anvil {
  chroot =
}
EOF
chown -R mail:mail "$DOVE"
setpriv --reuid=mail --regid=mail --init-groups -- \
    "$DOVECOT" -F -c "$DOVE/dovecot.conf" >"$DOVE/stderr" 2>&1 &
DOVE_PID=$!
for ((i = 0; i < 100; i++)); do
	[ -S "$DOVE/run/lmtp" ] && break
	sleep 0.1
done
[ -S "$DOVE/run/lmtp" ] || { say "dovecot did not start:"; cat "$DOVE/stderr" "$DOVE/log" >&2; exit 1; }

cat >"$TMP/smtpd/smtpd.conf" <<EOF
table users file:$TMP/smtpd/virtual
listen on 127.0.0.1 port $PORT
action "dovecot" lmtp "$DOVE/run/lmtp" rcpt-to virtual <users>
match from any for domain "example.test" action "dovecot"
EOF
"$SMTPD" -n -f "$TMP/smtpd/smtpd.conf" >/dev/null

# smtpd_up: OpenSMTPD on $PORT; waits while another instance holds the
# machine's control socket.
smtpd_up() {
	local i t
	for ((t = 0; t < 60; t++)); do
		"$SMTPD" -d -f "$TMP/smtpd/smtpd.conf" >>"$TMP/smtpd/log" 2>&1 &
		SMTPD_PID=$!
		for ((i = 0; i < 100; i++)); do
			(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && return 0
			kill -0 "$SMTPD_PID" 2>/dev/null || break
			sleep 0.1
		done
		wait "$SMTPD_PID" 2>/dev/null || true
		SMTPD_PID=
		if tail -3 "$TMP/smtpd/log" | grep -q 'control socket already listening'; then
			[ "$t" = 0 ] && say "another OpenSMTPD is running: waiting for it"
			sleep 10
			continue
		fi
		say "smtpd did not start:"
		tail -5 "$TMP/smtpd/log" >&2
		exit 1
	done
	say "another OpenSMTPD ran for 10 minutes: giving up"
	exit 1
}

smtpd_down() {
	[ -n "$SMTPD_PID" ] || return 0
	kill "$SMTPD_PID" 2>/dev/null || true
	wait "$SMTPD_PID" 2>/dev/null || true
	SMTPD_PID=
}

# delivered: messages in the Maildirs.
delivered() { find "$DOVE/mail" -type f -path '*/new/*' | wc -l; }

# wait_delivered COUNT: until the Maildirs hold COUNT; the seconds taken.
wait_delivered() {
	local start=$SECONDS n
	while n=$(delivered) && [ "$n" -lt "$1" ]; do
		if [ $((SECONDS - start)) -gt 600 ]; then
			say "only $n of $1 mails delivered after 10 minutes"
			exit 1
		fi
		sleep 0.2
	done
	echo $((SECONDS - start))
}

connections() { grep -c 'smtp connected' "$TMP/smtpd/log" || true; }

# timed NAME CMD...: CMD under bench/rusage.c; "wall user sys rss" in
# $TMP/NAME.time, its exit status returned.
timed() {
	local name=$1
	shift
	"$DATA/rusage" -r "$TMP/$name.time" -o "$TMP/$name.out" "$@" \
	    2>"$TMP/$name.err"
}

# send_all DIR NOW NAME: send-forms until nothing is queued; the totals of
# its runs ("wall cpu runs") in $TMP/NAME.sum.
send_all() {
	local dir=$1 now=$2 name=$3 runs=0 wall=0 cpu=0 w u s r
	while :; do
		runs=$((runs + 1))
		timed "$name.$runs" "$SURVEYD" -c "$dir/surveyd.conf" \
		    send-forms --now "$now" || {
			say "send-forms failed:"; tail -3 "$TMP/$name.$runs.err" >&2; exit 1; }
		read -r w u s r <"$TMP/$name.$runs.time"
		wall=$(calc "$wall + $w" 3)
		cpu=$(calc "$cpu + $u + $s" 3)
		[ "$(queued "$dir")" = 0 ] && break
		[ "$runs" -lt $((N / 50 + 5)) ] || { say "send-forms does not empty the outbox"; exit 1; }
	done
	echo "$wall $cpu $runs" >"$TMP/$name.sum"
}

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
T0='2023-06-01 09:00'
T1='2023-06-01 09:06'	# past the first retry delay (5 min)
total=0
q_walls=() q_cpus=() s_walls=() s_cpus=() s_runs=() s_conns=()
e_walls=() e_cpus=() p_walls=() p_cpus=() p_conns=() d_secs=()

for ((run = 1; run <= RUNS; run++)); do
	# surveyd, queueing: the server down.
	smtpd_down
	say "run $run of $RUNS: surveyd send-forms, $N respondents, server down (queueing)"
	store_conf "$TMP/q$run"
	if timed "queue$run" "$SURVEYD" -c "$TMP/q$run/surveyd.conf" \
	    send-forms --now "$T0"; then
		say "send-forms succeeded with the server down"; exit 1
	fi
	[ "$(queued "$TMP/q$run")" = "$N" ] || { say "not $N queued:"; tail -3 "$TMP/queue$run.err" >&2; exit 1; }
	read -r w u s r <"$TMP/queue$run.time"
	q_walls+=("$w"); q_cpus+=("$(calc "$u + $s" 3)")
	say "  ${w} s, CPU $(calc "$u + $s" 2) s"

	# surveyd, sending what it queued.
	smtpd_up
	sleep 1		# smtpd has logged the probe's connection
	c0=$(connections)
	say "run $run: surveyd send-forms, server up (sending)"
	send_all "$TMP/q$run" "$T1" "send$run"
	read -r w c r <"$TMP/send$run.sum"
	s_walls+=("$w"); s_cpus+=("$c"); s_runs+=("$r")
	s_conns+=($(($(connections) - c0)))
	total=$((total + N))
	d=$(wait_delivered "$total")
	d_secs+=("$d")
	say "  ${w} s in $r runs, CPU $c s, $((${s_conns[-1]})) connections; delivered ${d} s later"

	# The peer: surveyd's archived mails, the same bytes.
	sqlite3 -separator $'\t' "$TMP/q$run/surveyd.db" \
	    "select o.recipients, r.path from outbox o join raw r using (sha256) order by o.id" \
	    >"$TMP/list"
	c0=$(connections)
	say "run $run: bench/peer_smtp.py, the same $N mails"
	timed "peer$run" "$PY" bench/peer_smtp.py 127.0.0.1 "$PORT" "$FROM_ADDR" "$TMP/list" ||
	    { say "the peer failed:"; tail -3 "$TMP/peer$run.err" >&2; exit 1; }
	read -r w u s r <"$TMP/peer$run.time"
	pw=$(tr ' ' '\n' <"$TMP/peer$run.out" | sed -n 's/^wall_s=//p')
	p_walls+=("$pw"); p_cpus+=("$(calc "$u + $s" 3)")
	p_conns+=($(($(connections) - c0)))
	total=$((total + N))
	say "  $(cat "$TMP/peer$run.out"); process ${w} s"
	wait_delivered "$total" >/dev/null

	# surveyd end to end: a fresh store, the server up.
	say "run $run: surveyd send-forms end to end, server up"
	store_conf "$TMP/e$run"
	send_all "$TMP/e$run" "$T0" "e2e$run"
	read -r w c r <"$TMP/e2e$run.sum"
	e_walls+=("$w"); e_cpus+=("$c")
	total=$((total + N))
	say "  ${w} s in $r runs, CPU $c s"
	wait_delivered "$total" >/dev/null
done

say "bench_remind: the scheduler's decision, 10000 respondents"
REMIND=$("$TMP/bench_remind" -n 10000 -r 5)
say "  $REMIND"

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- figures ---------------------------------------------------------------------

Q=$(median "${q_walls[@]}"); QC=$(median "${q_cpus[@]}")
S=$(median "${s_walls[@]}"); SC=$(median "${s_cpus[@]}")
E=$(median "${e_walls[@]}"); EC=$(median "${e_cpus[@]}")
P=$(median "${p_walls[@]}"); PC=$(median "${p_cpus[@]}")
SRUNS=$(median "${s_runs[@]}"); SCONN=$(median "${s_conns[@]}")
PCONN=$(median "${p_conns[@]}"); DEL=$(median "${d_secs[@]}")
field() { tr ' ' '\n' | sed -n "s/^$1=//p"; }
decide_ms=$(field plan_ms_median <<<"$REMIND")
next_ms=$(field next_due_ms <<<"$REMIND")
size_kib=$(calc "$(sqlite3 "$TMP/q1/surveyd.db" 'select sum(size) from raw') / $N / 1024" 1)

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- daemon 2>/dev/null ||
    commit="$commit, with uncommitted changes in daemon/"
smtpd_ver=$(dpkg-query -W -f='${Version}' opensmtpd 2>/dev/null || echo '?')
dove_ver=$("$DOVECOT" --version | cut -d' ' -f1)
list() { local IFS=';' s; s="$*"; echo "${s//;/; }"; }
# The hand-written notes at the end of the results are kept.
notes=
[ -f bench/RESULTS-smtp.md ] &&
    notes=$(sed -n '/^## Notes (by hand/,$p' bench/RESULTS-smtp.md)

{
	cat <<-EOF
	# surveyd outgoing-mail benchmark

	- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
	- Machine: $(nproc) CPUs, $cpu_model; $(uname -sr);
	  load average ${load_before} before, ${load_after} after (other work shares the host)
	- Build: $commit; the Makefile's flags. OpenSMTPD $smtpd_ver, Dovecot $dove_ver,
	  $("$PY" -V 2>&1)
	- Mails: $N respondents (a generated roster, one address each), \`send-forms\`
	  with form A: each mail a Vietnamese text part and the respondent's
	  personalised blank form (.xlsx, base64, RFC 2231 name), ${size_kib} KiB on average.
	  rate-per-minute=0.
	- Server: Debian's OpenSMTPD on 127.0.0.1 (no TLS, no AUTH), delivering
	  each recipient to a private Dovecot's LMTP socket (Maildirs). The
	  senders are timed until OpenSMTPD has taken every mail (it queues,
	  then delivers); delivery finished ${DEL} s after surveyd's last run
	  (median), and each contender starts once the previous one's mails
	  are all in the Maildirs.
	- Method: wall from fork to exit by bench/rusage.c (surveyd: the sum of
	  its runs), CPU = user + sys of the sender, children included; the
	  servers' CPU is not counted. The peer's wall is its own clock around
	  connecting and sending (mails read into memory first). Median of $RUNS runs.
	  Command: \`bash bench/smtp.sh\` (N=$N RUNS=$RUNS).

	| Contender | Wall s | mails/min | CPU s | SMTP sessions | Runs of surveyd |
	|---|---|---|---|---|---|
	| surveyd send-forms, queueing only (server down: build forms and mails, archive, queue) | $Q | | $QC | 0 | 1 |
	| surveyd send-forms, sending only (the queued mails, server up) | $S | $(calc "$N / $S * 60" 0) | $SC | $SCONN | $SRUNS |
	| surveyd send-forms end to end (fresh store, server up) | $E | $(calc "$N / $E * 60" 0) | $EC | | |
	| bench/peer_smtp.py (smtplib, the same prebuilt mails, one connection + reconnect on 452) | $P | $(calc "$N / $P * 60" 0) | $PC | $PCONN | |

	Runs: queueing $(list "${q_walls[@]}") s; sending $(list "${s_walls[@]}") s;
	end to end $(list "${e_walls[@]}") s; peer $(list "${p_walls[@]}") s.

	| Target | Measured | Met |
	|---|---|---|
	| Sending $N mails at least as fast as the smtplib peer | surveyd $S s, peer $P s ($(calc "$P / $S" 2)×) | $(meets "$(calc "$P / $S" 3)" "$T_VS_PY") |
	| Connections reused (OpenSMTPD: 100 mails a session) | surveyd $SCONN sessions, peer $PCONN, for $N mails | $(meets "$(( (N + 99) / 100 + 1 ))" "$SCONN") |
	| Scheduler's decision, 10,000 respondents | remind_plan() ${decide_ms} ms (median of 5; remind_next_due() for each, as status does, ${next_ms} ms) | $(meets "$decide_ms" "$T_DECIDE" le) |

	bench_remind: \`$REMIND\`
	EOF
	[ -z "$notes" ] || printf '\n%s\n' "$notes"
} | tee "$TMP/results.md"
cp "$TMP/results.md" bench/RESULTS-smtp.md
