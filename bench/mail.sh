#!/usr/bin/env bash
# bench/mail.sh — mail intake against the targets in issue 4:
#
#   * 10,000 reply messages (each with a ~20 KB .xlsx, every one different)
#     in a loopback Dovecot, taken in end to end by `surveyd poll --once`
#     (fetch, parse, validate, store, flag) in under 60 s on this machine;
#   * at least 5x faster than bench/peer_imap.py (imaplib, email, openpyxl
#     read-only, sqlite3) doing the same in the same run;
#   * mbsync (Debian's isync) only downloading the same mailbox, for scale;
#   * surveyd's peak RSS flat from 1,000 to 10,000 messages.
#
# Usage: bash bench/mail.sh, as root (Dovecot runs as user mail), from
# anywhere.  Needs dovecot-imapd, isync (mbsync) and python3-openpyxl.
# Environment: N (messages, default 10000), SMALL (the memory run's
# smaller mailbox, default 1000), RUNS (surveyd and mbsync runs per size,
# median, default 3), PYRUNS (peer runs, default 1), B (build folder,
# default build), CC.
#
# The mailbox is made once into bench/.data/mailbox-N/ (gitignored) by
# bench/make_mailbox.py, Maildir files written directly.  This script
# starts its own Dovecot as `mail` in a temporary folder on a free
# loopback port; before every run the user's Maildir is laid anew (hard
# links to the made files, the first SMALL or all N) and Dovecot indexes
# it (doveadm), as it would have on delivery, so each contender meets the
# same unread, unflagged, indexed mailbox.  bench/rusage.c times each run
# (wall, CPU, peak RSS of the process and the children it reaped; the
# Dovecot processes serving it are not counted).  Dovecot is stopped by
# its pid.  Prints a markdown report and writes it to bench/RESULTS-mail.md.
set -euo pipefail

cd "$(dirname "$0")/.."
ROOT=$PWD
N=${N:-10000}
SMALL=${SMALL:-1000}
RUNS=${RUNS:-3}
PYRUNS=${PYRUNS:-1}
B=${B:-build}
CC=${CC:-cc}
PY=/usr/bin/python3
DATA=bench/.data
BOX=$DATA/mailbox-$N
FORM=$ROOT/forms/form-a
ROSTER=$ROOT/rosters/sample-63.csv
DOVECOT=/usr/sbin/dovecot
USER_=bench@example.test
PASS=bench-password-1
WARN=(-std=c11 -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes
    -Wmissing-prototypes -Wpointer-arith -Wformat=2)

# The targets.
T_WALL=60	# seconds for N messages
T_VS_PY=5	# peer's wall over surveyd's
T_RSS=1.10	# peak RSS for N messages over that for SMALL, at most

# shellcheck source=bench/lib.sh
. bench/lib.sh

# --- what it needs ---------------------------------------------------------------

missing=()
[ -x "$DOVECOT" ] && command -v doveadm >/dev/null || missing+=(dovecot-imapd)
command -v mbsync >/dev/null || missing+=(isync)
"$PY" -c 'import openpyxl' 2>/dev/null || missing+=(python3-openpyxl)
if [ "${#missing[@]}" -gt 0 ]; then
	say "bench/mail.sh needs: apt-get install ${missing[*]}"
	exit 1
fi
if [ "$(id -u)" -ne 0 ]; then
	say "bench/mail.sh runs as root: Dovecot is started as user mail"
	exit 1
fi

make -s B="$B" all >&2
mkdir -p "$DATA"
"$CC" "${WARN[@]}" -D_GNU_SOURCE -O2 -o "$DATA/rusage" bench/rusage.c

# --- the mailbox, once ----------------------------------------------------------------

if [ ! -e "$BOX/.done" ]; then
	say "writing $N messages into $BOX (once)"
	rm -rf "$BOX" "$BOX.tmp"
	mkdir -p "$BOX.tmp"
	"$PY" bench/make_mailbox.py "$BOX.tmp" "$N" | tee "$BOX.tmp/.made" >&2
	touch "$BOX.tmp/.done"
	mv "$BOX.tmp" "$BOX"
fi
mapfile -t MAILS < <(find "$BOX/cur" -type f -printf '%f\n' | sort -t. -k1,1n)
[ "${#MAILS[@]}" -eq "$N" ] || { say "$BOX holds ${#MAILS[@]} messages, not $N: remove it"; exit 1; }
mail_kib=$(( $(du -sk "$BOX/cur" | cut -f1) ))

# --- Dovecot --------------------------------------------------------------------------

TMP=$(mktemp -d "${TMPDIR:-/tmp}/surveyd-mail.XXXXXX")
DOVE=$TMP/dovecot
DOVE_PID=
cleanup() {
	if [ -n "$DOVE_PID" ]; then
		kill "$DOVE_PID" 2>/dev/null || true
		wait "$DOVE_PID" 2>/dev/null || true
	fi
	rm -rf "$TMP"
}
trap cleanup EXIT
# mail must reach the folder: mktemp -d made it root's alone.
chmod 0711 "$TMP"
PORT=$("$PY" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$DOVE/run" "$DOVE/state" "$DOVE/mail" "$DOVE/home"
cat >"$DOVE/dovecot.conf" <<EOF
base_dir = $DOVE/run
state_dir = $DOVE/state
log_path = $DOVE/log
protocols = imap
listen = 127.0.0.1
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
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
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
EOF
printf '%s:{PLAIN}%s::::::\n' "$USER_" "$PASS" >"$DOVE/passwd"
chown -R mail:mail "$DOVE"
# stderr to a file: a $(...) around the start would wait on it.  $! must
# be Dovecot's master itself, to stop it by pid.
setpriv --reuid=mail --regid=mail --init-groups -- \
    "$DOVECOT" -F -c "$DOVE/dovecot.conf" >"$DOVE/stderr" 2>&1 &
DOVE_PID=$!
for _ in $(seq 100); do
	(exec 3<>"/dev/tcp/127.0.0.1/$PORT") 2>/dev/null && break
	kill -0 "$DOVE_PID" 2>/dev/null || { cat "$DOVE/stderr" >&2; exit 1; }
	sleep 0.1
done
dove() { setpriv --reuid=mail --regid=mail --init-groups -- \
    doveadm -c "$DOVE/dovecot.conf" "$@"; }
printf '%s\n' "$PASS" >"$TMP/password"
say "dovecot (pid $DOVE_PID) on 127.0.0.1:$PORT"

# box_reset COUNT: the user's INBOX anew, the first COUNT messages, unread,
# unflagged and indexed.
box_reset() {
	local dir=$DOVE/mail/$USER_
	rm -rf "$dir" "$DOVE/home/${USER_:?}"
	mkdir -p "$dir/cur" "$dir/new" "$dir/tmp"
	printf "$ROOT/$BOX/cur/%s\n" "${MAILS[@]:0:$1}" |
	    xargs -d '\n' cp -l -t "$dir/cur"
	chown -R mail:mail "$dir" "$DOVE/home"
	dove fetch -u "$USER_" 'uid flags date.received size.physical' \
	    mailbox INBOX ALL >/dev/null
	# shellcheck disable=SC2016	# $surveyd is the keyword, not a variable
	[ "$(dove search -u "$USER_" mailbox INBOX UNKEYWORD '$surveyd' UNSEEN |
	    wc -l)" -eq "$1" ] || { say "the mailbox did not reset"; exit 1; }
}

# done_count: messages of INBOX flagged \Seen and $surveyd.
# shellcheck disable=SC2016	# the keyword
done_count() { dove search -u "$USER_" mailbox INBOX KEYWORD '$surveyd' SEEN | wc -l; }

# timed NAME COUNT CMD...: one run; "wall user sys maxrss_kib" in $TMP/NAME/time.
timed() {
	local dir=$TMP/$1
	shift 2
	if ! "$DATA/rusage" -r "$dir/time" -o "$dir/stdout" "$@" 2>"$dir/stderr"; then
		say "$* failed:"
		tail -n 20 "$dir/stderr" >&2
		exit 1
	fi
}

# stored_count DB SQL: the submissions in DB, when SQL counts as many.
stored_count() {
	"$PY" - "$@" <<-'EOF'
	import sqlite3, sys
	db = sqlite3.connect(sys.argv[1])
	subs = db.execute("select count(*) from submission").fetchone()[0]
	rows = db.execute(sys.argv[2]).fetchone()[0]
	print(subs if subs == rows else -1)
	EOF
}

run_surveyd() {	# run_surveyd NAME COUNT
	local dir=$TMP/$1 n=$2 stored
	rm -rf "$dir"
	mkdir -p "$dir"
	cat >"$dir/surveyd.conf" <<-EOF
	[store]
	database = $dir/surveyd.db
	archive = $dir/archive

	[survey a]
	definition = $FORM
	roster = $ROSTER

	[imap]
	url = imap://127.0.0.1:$PORT/INBOX
	username = $USER_
	password-file = $TMP/password
	EOF
	# One `poll --once` takes them all; cycles are still run until one
	# finds nothing new, all timed together, and their number reported, so
	# a regression that leaves mail for a later cycle shows.
	# shellcheck disable=SC2016	# expanded by the inner bash
	timed "$1" "$n" bash -c 'for i in $(seq 50); do
	    "$1" -c "$2" poll --once >>"$3/poll.out" 2>"$3/poll.err" || exit
	    cat "$3/poll.err" >&2
	    if grep -q ": 0 new message(s)" "$3/poll.err"; then
	        echo "$i" >"$3/cycles"; exit 0; fi
	done; exit 1' sh "$B/surveyd" "$dir/surveyd.conf" "$dir"
	CYCLES[$n]=$(( $(cat "$dir/cycles") - 1 ))
	stored=$(stored_count "$dir/surveyd.db" "select count(*) from mailbox_message where state = 'stored'")
	check "$1" "$n" "$stored"
}

run_peer() {	# run_peer NAME COUNT
	local dir=$TMP/$1 n=$2 stored
	rm -rf "$dir"
	mkdir -p "$dir"
	timed "$1" "$n" "$PY" bench/peer_imap.py --port "$PORT" --user "$USER_" \
	    --password-file "$TMP/password" --form "$FORM" --roster "$ROSTER" \
	    --db "$dir/peer.db" --archive "$dir/archive"
	stored=$(stored_count "$dir/peer.db" "select count(*) from mailbox_message where state = 'stored'")
	check "$1" "$n" "$stored"
}

run_mbsync() {	# run_mbsync NAME COUNT
	local dir=$TMP/$1 n=$2 got
	rm -rf "$dir"
	mkdir -p "$dir/local"
	cat >"$dir/mbsyncrc" <<-EOF
	IMAPAccount bench
	Host 127.0.0.1
	Port $PORT
	User $USER_
	PassCmd "cat $TMP/password"
	SSLType None
	AuthMechs LOGIN

	IMAPStore remote
	Account bench

	MaildirStore local
	Path $dir/local/
	Inbox $dir/local/INBOX

	Channel bench
	Far :remote:
	Near :local:
	Patterns INBOX
	Sync Pull
	Create Near
	Expunge None
	SyncState *
	EOF
	timed "$1" "$n" mbsync -q -c "$dir/mbsyncrc" bench
	got=$(find "$dir/local/INBOX/cur" "$dir/local/INBOX/new" -type f | wc -l)
	[ "$got" -eq "$n" ] || { say "$1: mbsync downloaded $got of $n"; exit 1; }
}

# check NAME COUNT STORED: every message stored and flagged done.
check() {
	local flagged
	flagged=$(done_count)
	if [ "$3" -ne "$2" ] || [ "$flagged" -ne "$2" ]; then
		say "$1: $3 of $2 replies stored as accepted, $flagged flagged done"
		tail -n 5 "$TMP/$1/stderr" >&2
		exit 1
	fi
}

# --- measurements ---------------------------------------------------------------------

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
declare -A WALL CPU RSS CYCLES
# measure WHO COUNT RUNS: the median wall and CPU, the largest peak RSS.
measure() {
	local who=$1 n=$2 runs=$3 i walls=() cpus=() rss=0 wall user sys r
	for ((i = 1; i <= runs; i++)); do
		box_reset "$n"
		say "$who: $n messages, run $i of $runs"
		"run_$who" "$who-$n-$i" "$n"
		read -r wall user sys r <"$TMP/$who-$n-$i/time"
		say "  wall ${wall}s user ${user}s sys ${sys}s peak ${r} KiB"
		walls+=("$wall")
		cpus+=("$(calc "$user + $sys" 2)")
		rss=$((r > rss ? r : rss))
	done
	WALL[$who-$n]=$(median "${walls[@]}")
	CPU[$who-$n]=$(median "${cpus[@]}")
	RSS[$who-$n]=$rss
}

for n in "$SMALL" "$N"; do
	measure surveyd "$n" "$RUNS"
	measure peer "$n" "$PYRUNS"
	measure mbsync "$n" "$RUNS"
done

load_after=$(cut -d' ' -f1-3 /proc/loadavg)

# --- report ---------------------------------------------------------------------------

row() {	# row WHO LABEL
	local n out=""
	for n in "$SMALL" "$N"; do
		out+=" | ${WALL[$1-$n]} | $(calc "$n / ${WALL[$1-$n]}" 0) | ${CPU[$1-$n]} | $(calc "${RSS[$1-$n]} / 1024" 1)"
	done
	printf '| %s%s |\n' "$2" "$out"
}

s_wall=${WALL[surveyd-$N]}
vs_py=$(calc "${WALL[peer-$N]} / $s_wall" 1)
vs_py_cpu=$(calc "${CPU[peer-$N]} / ${CPU[surveyd-$N]}" 1)
vs_mb=$(calc "$s_wall / ${WALL[mbsync-$N]}" 2)
rss_ratio=$(calc "${RSS[surveyd-$N]} / ${RSS[surveyd-$SMALL]}" 3)
cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
git diff --quiet HEAD -- parsers daemon 2>/dev/null ||
    commit="$commit, with uncommitted changes in parsers/ or daemon/"
xlsx_avg=$(sed -n 's/.*xlsx_avg=\([0-9]*\).*/\1/p' "$BOX/.made")

# The analysis written by hand below the figures is kept.
notes=$(sed -n '/^## Where the time goes/,$p' bench/RESULTS-mail.md 2>/dev/null || true)
{
	cat <<-EOF
	# surveyd mail-intake benchmark

	- Date: $(date -u '+%Y-%m-%d %H:%M UTC')
	- Machine: $(nproc) CPUs, $cpu_model; $(uname -sr); $(free -g | awk '/^Mem:/ {print $2}') GiB;
	  load average ${load_before} before, ${load_after} after
	- Build: $commit; the Makefile's flags. $("$DOVECOT" --version | sed 's/^/Dovecot /;s/ (.*//'),
	  $(mbsync --version), $("$PY" -V), openpyxl $("$PY" -c 'import openpyxl; print(openpyxl.__version__)')
	- Mailbox: $N messages ($(calc "$mail_kib / 1024" 0) MiB) made by bench/make_mailbox.py: form-A
	  replies from the 63 roster provinces (sender = the province's roster
	  address), one answer changed per message so every .xlsx differs,
	  ${xlsx_avg} bytes on average, base64 under an RFC 2231 name; the memory
	  run takes the first $SMALL.
	- Method: a private Dovecot on 127.0.0.1 (plain IMAP, as user mail);
	  before every run the INBOX is laid anew (unread, unflagged) and indexed
	  by doveadm, page cache warm. Each contender takes every message in:
	  surveyd \`poll --once\` (fetch by UID, MIME, xlsx, validate, store,
	  UID STORE \\\\Seen \$surveyd per batch), bench/peer_imap.py the same in
	  Python, mbsync only downloads INBOX into a local Maildir. Every run is
	  checked: all $N replies stored as accepted and flagged done (mbsync: all
	  downloaded). Wall from fork to exit, median of $RUNS runs ($PYRUNS for
	  the peer); CPU is the contender's own (user + sys, children included),
	  Dovecot's is not counted; peak RSS by wait4() (bench/rusage.c).

	| Contender | $SMALL msgs: s | msg/s | CPU s | peak RSS MiB | $N msgs: s | msg/s | CPU s | peak RSS MiB |
	|---|---|---|---|---|---|---|---|---|
	$(row surveyd "surveyd poll --once (${CYCLES[$SMALL]} cycle(s) at $SMALL, ${CYCLES[$N]} at $N)")
	$(row peer 'Python peer (imaplib + email + openpyxl + sqlite3)')
	$(row mbsync 'mbsync, download only')

	| Target | Measured | Met |
	|---|---|---|
	| $N messages end to end < ${T_WALL} s | ${s_wall} s | $(meets "$s_wall" "$T_WALL" le) |
	| ≥ ${T_VS_PY}× the Python peer | ${vs_py}× (${WALL[peer-$N]} s against ${s_wall} s) | $(meets "$vs_py" "$T_VS_PY") |
	| … per CPU second (the contenders' own CPU, which other load moves less) | ${vs_py_cpu}× (${CPU[peer-$N]} s against ${CPU[surveyd-$N]} s) | |
	| Peak RSS flat, $SMALL → $N messages (≤ ${T_RSS}×) | $(calc "${RSS[surveyd-$SMALL]} / 1024" 1) → $(calc "${RSS[surveyd-$N]} / 1024" 1) MiB (${rss_ratio}×) | $(meets "$rss_ratio" "$T_RSS" le) |
	| against mbsync only downloading | ${vs_mb}× mbsync's time | |

	surveyd's figures cover every \`poll --once\` until one found nothing new
	(that last, empty one included); one takes the whole mailbox since
	imap.c searches a window of UIDs at a time (libcurl clipped a UID SEARCH
	answer longer than its 16 KiB buffer, so a cycle once saw only ~3,000).

	Reproduce: \`bash bench/mail.sh\` as root (needs dovecot-imapd, isync,
	python3-openpyxl); N, SMALL, RUNS, PYRUNS as in its header.
	EOF
	[ -z "$notes" ] || printf '\n%s\n' "$notes"
} >"$TMP/report"
cp "$TMP/report" bench/RESULTS-mail.md
cat "$TMP/report"
