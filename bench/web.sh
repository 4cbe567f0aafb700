#!/usr/bin/env bash
# bench/web.sh — the secretary's page against the targets in issue 7:
#
#   * the table page of a survey of 10,000 respondents in under 200 ms,
#   * 100 concurrent requests on loopback (ab) without an error while the
#     daemon keeps running its loop.
#
# Usage: bash bench/web.sh, from anywhere.  Environment: N (respondents,
# default 10000), RUNS (table pages timed, default 20), B (build folder),
# WEB_DAEMON (the binary `-c CONF run` starts; default $B/surveyd).
#
# bench/export_data.py makes the survey (a 40-field form, N respondents,
# each with an accepted answer); a few lines of Python below then make the
# mix a real survey has: a tenth invalid with issues, a tenth incomplete,
# three tenths with nothing yet and two reminders sent, some failed mail.
# Prints a markdown section and appends it to bench/RESULTS-web.md.
set -euo pipefail

cd "$(dirname "$0")/.."
N=${N:-10000}
RUNS=${RUNS:-20}
B=${B:-build}
WEB_DAEMON=${WEB_DAEMON:-$B/surveyd}
PY=/usr/bin/python3
DATA=bench/.data
SURVEY=$DATA/web-$N
USER_NAME=bench
PASSWORD=bench-password

T_PAGE=200	# ms
CONCURRENCY=100

# shellcheck source=bench/lib.sh
. bench/lib.sh

command -v ab >/dev/null || { say "ab is missing: apt-get install apache2-utils"; exit 1; }
make -s B="$B" all >&2
mkdir -p "$DATA"

if [ ! -e "$SURVEY/.done" ]; then
	say "making a survey of $N respondents in $SURVEY (once)"
	rm -rf "$SURVEY"
	"$PY" bench/export_data.py "$SURVEY" --respondents "$N"
	"$B/surveyd" -q -c "$SURVEY/surveyd.conf" status >/dev/null
	"$PY" bench/export_data.py "$SURVEY" --respondents "$N" --fill
	"$PY" - "$SURVEY/surveyd.db" <<'EOF_PY'
import sqlite3, sys
con = sqlite3.connect(sys.argv[1])
with con:
    for (sub, code) in con.execute("SELECT id, respondent FROM submission").fetchall():
        k = int(code) % 10
        if k == 0:
            con.execute("UPDATE submission SET state = 'invalid' WHERE id = ?", (sub,))
            con.executemany("INSERT INTO issue (submission, seq, code, field, cell, message)"
                            " VALUES (?, ?, 'constraint', ?, ?, ?)",
                            [(sub, i, f"cs_0{i + 1}", f"E{i + 6}",
                              f"Chỉ tiêu {i + 1} (ô E{i + 6}): giá trị “-{i}” không hợp lệ")
                             for i in range(2)])
        elif k == 1:
            con.execute("UPDATE submission SET state = 'incomplete' WHERE id = ?", (sub,))
            con.execute("INSERT INTO issue (submission, seq, code, field, cell, message)"
                        " VALUES (?, 0, 'required', 'cs_03', 'E8',"
                        " 'Chỉ tiêu 3 (ô E8) bắt buộc nhưng chưa được điền.')", (sub,))
        elif k in (2, 3, 4):
            con.execute("DELETE FROM submission WHERE id = ?", (sub,))
            for step in ("-7d", "-3d"):
                con.execute("INSERT INTO outbox (survey, respondent, kind, step, message_id,"
                            " state, created, sent, error) VALUES ('b', ?, 'reminder', ?, ?,"
                            " ?, 1687000000, 1687000000, ?)",
                            (code, step, f"<{code}.{step}@bench>",
                             "failed" if k == 4 and step == "-3d" else "sent",
                             "550 mailbox unavailable" if k == 4 and step == "-3d" else None))
EOF_PY
	touch "$SURVEY/.done"
fi

TMP=$(mktemp -d "${TMPDIR:-/tmp}/surveyd-bench-web.XXXXXX")
PID=
trap '[ -n "$PID" ] && kill "$PID" 2>/dev/null; rm -rf "$TMP"' EXIT
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
URL=http://127.0.0.1:$PORT
# The bench's config lives beside the survey's, so its paths resolve there.
CONF=$SURVEY/web.conf
cat "$SURVEY/surveyd.conf" - >"$CONF" <<EOF
[intake]
spool = $TMP/spool
[web]
listen = 127.0.0.1:$PORT
users = $TMP/users
EOF
printf '%s\n' "$PASSWORD" | "$B/surveyd" -q -c "$CONF" passwd "$USER_NAME" >/dev/null
"$WEB_DAEMON" -q -c "$CONF" run >"$TMP/run.log" 2>&1 &
PID=$!
for _ in $(seq 100); do curl -s -o /dev/null "$URL/login" && break; sleep 0.1; done

jar=$TMP/jar
token=$(curl -s -c "$jar" -b "$jar" "$URL/login" | sed -n 's/.*name="csrf" value="\([0-9a-f]*\)".*/\1/p')
curl -s -c "$jar" -b "$jar" --data-urlencode "csrf=$token" --data-urlencode "user=$USER_NAME" \
    --data-urlencode "password=$PASSWORD" -o /dev/null "$URL/login"
COOKIE="surveyd_session=$(awk '$6 == "surveyd_session" { print $7 }' "$jar")"

# page_times PATH: the milliseconds of RUNS fetches, after a warm-up.
page_times() {
	curl -s -b "$jar" -o "$TMP/page" "$URL$1"
	for ((i = 1; i <= RUNS; i++)); do
		curl -s -b "$jar" -o /dev/null -w '%{time_total}\n' "$URL$1"
	done | awk '{ printf "%.1f\n", $1 * 1000 }'
}

mapfile -t table < <(page_times /s/b)
TABLE=$(median "${table[@]}")
TABLE_BEST=$(printf '%s\n' "${table[@]}" | sort -g | head -n 1)
TABLE_WORST=$(printf '%s\n' "${table[@]}" | sort -g | tail -n 1)
ROWS=$(grep -c '^<tr><td>' "$TMP/page")
BYTES=$(stat -c %s "$TMP/page")
say "table page: median $TABLE ms (best $TABLE_BEST, worst $TABLE_WORST), $ROWS rows, $BYTES bytes"
mapfile -t filtered < <(page_times '/s/b?state=invalid')
FILTERED=$(median "${filtered[@]}")
mapfile -t person < <(page_times /s/b/r/00011)
PERSON=$(median "${person[@]}")

# ab_run NAME REQUESTS PATH: CONCURRENCY at a time; ab's report in $TMP/NAME.
ab_run() {
	ab -q -n "$2" -c "$CONCURRENCY" -C "$COOKIE" "$URL$3" >"$TMP/$1" 2>&1 || {
		say "ab failed:"; cat "$TMP/$1" >&2; exit 1; }
	say "ab $3: $(grep -E '^(Complete|Failed|Non-2xx|Requests per)' "$TMP/$1" | tr -s ' ' | tr '\n' ';')"
}
ab_field() {	# ab_field NAME 'Failed requests': the number, 0 when absent
	local v
	v=$(sed -n "s/^$2: *\([0-9.]*\).*/\1/p" "$TMP/$1" | head -n 1)
	echo "${v:-0}"
}
ab_ok() {	# ab_ok NAME: yes when nothing failed
	[ "$(ab_field "$1" 'Failed requests')$(ab_field "$1" 'Non-2xx responses')" = 00 ] &&
	    echo yes || echo '**no**'
}
ab_run person 2000 /s/b/r/00011
ab_run table 200 /s/b
kill -0 "$PID" || { say "the daemon died under load"; exit 1; }

cpu_model=$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)
commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
[ -z "$(git status --porcelain -- daemon 2>/dev/null)" ] ||
    commit="$commit, with uncommitted changes in daemon/"
[ -e bench/RESULTS-web.md ] || printf '%s\n' "# surveyd web page benchmark" "" \
    "bench/web.sh appends a section per run; the newest is last." \
    >bench/RESULTS-web.md
{
	cat <<-EOF

	## Web page, $(date -u '+%Y-%m-%d %H:%M UTC')

	- Machine: $(nproc) CPUs, $cpu_model; $(uname -sr); load average
	  $(cut -d' ' -f1-3 /proc/loadavg) after the run
	- Build: $commit; the Makefile's flags (-O2 -g); libmicrohttpd
	  $(pkg-config --modversion libmicrohttpd); served by \`$(basename "$WEB_DAEMON") run\`
	- Survey: $N respondents x 40 fields: half valid, a tenth invalid (2
	  issues each), a tenth incomplete, three tenths with nothing yet (2
	  reminders each, a tenth of all with a failed one); made by
	  bench/export_data.py and bench/web.sh in $SURVEY
	- Page times: curl's time_total on loopback, logged in, median of $RUNS
	  after a warm-up.  ab: $CONCURRENCY requests at a time, no keep-alive.

	| Measure | Result | Target | Met |
	|---|---|---|---|
	| table page, $ROWS rows ($(calc "$BYTES / 1048576" 1) MiB of HTML) | ${TABLE} ms (best ${TABLE_BEST}, worst ${TABLE_WORST}) | < ${T_PAGE} ms | $(meets "$TABLE" "$T_PAGE" le) |
	| the same, filtered to the invalid | ${FILTERED} ms | | |
	| a respondent's page | ${PERSON} ms | | |
	| ab -n 2000 -c $CONCURRENCY, respondent page | $(ab_field person 'Requests per second') req/s, $(ab_field person 'Failed requests') failed, $(ab_field person 'Non-2xx responses') non-2xx | no error | $(ab_ok person) |
	| ab -n 200 -c $CONCURRENCY, table page | $(ab_field table 'Requests per second') req/s, $(ab_field table 'Failed requests') failed, $(ab_field table 'Non-2xx responses') non-2xx | no error | $(ab_ok table) |
	EOF
} | tee -a bench/RESULTS-web.md
