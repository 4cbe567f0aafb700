#!/usr/bin/env bash
# Command-line tests: the real surveyd binary, real office files, a real
# SQLite store, checked through `status --json` and the exit codes DESIGN
# names.  Each test gets a fresh folder; nothing outside it is touched.
set -uo pipefail

here=$(cd "$(dirname "$0")/../.." && pwd)
SURVEYD=${SURVEYD:-$here/build/surveyd}
PY=/usr/bin/python3
FIX=$here/tests/fixtures/replies
failures=0
passed=0
T=

fail() {
	echo "  FAIL: $*"
	failures=$((failures + 1))
}

# expect_rc WANT CMD...: runs CMD, keeps its stdout/stderr in $T/out, $T/err.
expect_rc() {
	local want=$1 rc
	shift
	"$@" >"$T/out" 2>"$T/err"
	rc=$?
	if [ "$rc" != "$want" ]; then
		fail "'$*' exited $rc, wanted $want"
		sed 's/^/    | /' "$T/err" | head -5
	fi
}

expect_in() {	# expect_in FILE TEXT
	grep -qF -- "$2" "$1" || fail "$(basename "$1") lacks: $2"
}

# json EXPR: evaluates a Python expression over the status JSON as `s`.
json() {
	"$SURVEYD" -c "$T/surveyd.conf" status --json > "$T/status.json" || fail "status --json failed"
	$PY -c "import json,sys; s=json.load(open('$T/status.json')); r={x['code']: x for x in s['respondents']}; v=($1); print(v if isinstance(v, str) else repr(v))"
}

expect_json() {	# expect_json EXPR WANT
	local got
	got=$(json "$1")
	[ "$got" = "$2" ] || fail "$1 = '$got', wanted '$2'"
}

# The stored answers of a submission equal what the filler wrote.
expect_answers() {	# expect_answers SUBMISSION EXPECTED_JSON
	$PY - "$T/db/surveyd.db" "$1" "$2" <<'EOF' || fail "answers of submission $1 differ from $2"
import json, sqlite3, sys
db, sub, exp = sys.argv[1], int(sys.argv[2]), json.load(open(sys.argv[3]))["values"]
got = dict(sqlite3.connect(db).execute("select field, value from answer where submission=?", (sub,)))
want = {k: v for k, v in exp.items() if v != ""}
if got != want:
    for k in sorted(set(got) | set(want)):
        if got.get(k) != want.get(k):
            print(f"    {k}: got {got.get(k)!r}, wrote {want.get(k)!r}")
    sys.exit(1)
EOF
}

setup() {
	T=$(mktemp -d)
	cat > "$T/surveyd.conf" <<EOF
[store]
database=db/surveyd.db
archive=archive
[survey a]
definition=$here/forms/form-a
roster=$here/rosters/sample-63.csv
deadline=2023-06-30
timezone=Asia/Ho_Chi_Minh
EOF
}

teardown() {
	rm -rf "$T"
}

s() {	# s ARGS...: surveyd with the test's config
	"$SURVEYD" -c "$T/surveyd.conf" "$@"
}

NOW=(--now '2023-06-20 10:00')

# The tests themselves: every t_*.sh beside this file defines test_*
# functions, each run in a fresh folder.
for f in "$(dirname "$0")"/t_*.sh; do
	# shellcheck source=/dev/null
	. "$f"
done

tests=$(declare -F | awk '/ test_/ {print $3}')
# CLI_ONLY=REGEX runs only the tests whose names match, while working on them.
[ -n "${CLI_ONLY:-}" ] && tests=$(printf '%s\n' $tests | grep -E -- "$CLI_ONLY")
for t in $tests; do
	echo "== $t"
	setup
	before=$failures
	$t
	[ $failures = "$before" ] && passed=$((passed + 1))
	teardown
done
echo "cli: $passed passed, $failures failures"
[ $failures = 0 ]
