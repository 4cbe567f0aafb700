# The demo (scripts/demo.sh, what `make demo` runs): the whole round of
# the 63 provinces, through the real servers (dovecot.sh, smtpd.sh): forms
# mailed, replies filled by fill_form.py and LibreOffice and mailed back,
# poll, remind, a bounce, the digest, export.  It runs in a folder it
# keeps; the summary it prints is checked against its store, and every
# server it started must be gone.  The suite plays a dozen provinces by
# the same code path, to keep within CI's ten minutes;
# DEMO_TEST_PROVINCES=63 plays the whole round.  Sourced by run.sh.

DEMO_N=${DEMO_TEST_PROVINCES:-12}

# demo_sql QUERY: one query on the demo's store.
demo_sql() {
	sqlite3 "$T/demo/surveyd.db" "$1"
}

# demo_summary LABEL: the number the summary prints after "LABEL:".
demo_summary() {
	sed -n "s/^ *$1: *\([0-9]*\).*/\1/p" "$T/demo.out" | head -1
}

demo_expect() {	# demo_expect WHAT GOT WANT
	[ "$2" = "$3" ] || fail "$1: $2, wanted $3"
}

test_demo_round() {
	local d=$T/demo rc=0 pid line accepted pending n
	if smtpctl show status >/dev/null 2>&1; then
		fail "an OpenSMTPD is already running: the demo cannot start its own"
		return
	fi
	chmod 0711 "$T"	# Dovecot runs as mail: it must reach $T/demo
	DEMO_DIR=$d DEMO_PROVINCES=$DEMO_N SURVEYD=$SURVEYD \
	    bash "$here/scripts/demo.sh" >"$T/demo.out" 2>"$T/demo.err" || rc=$?
	if [ "$rc" != 0 ]; then
		fail "scripts/demo.sh exited $rc"
		sed 's/^/    | /' "$T/demo.err" | tail -8
	fi

	# Every server it started is stopped, by the pids it recorded.
	[ -s "$d/pids" ] || fail "the demo recorded no pids"
	for pid in $(cat "$d/pids" 2>/dev/null); do
		kill -0 "$pid" 2>/dev/null && fail "process $pid ($(ps -o comm= -p "$pid")) still runs"
	done
	pgrep -f "$d/" >/dev/null && fail "processes of the demo's folder remain: $(pgrep -af "$d/" | head -3)"
	smtpctl show status >/dev/null 2>&1 && fail "OpenSMTPD still answers"
	[ -f "$d/surveyd.db" ] || { fail "no store"; return; }

	# The summary line: "12 provinces: N accepted, M pending, ..."
	line=$(grep -E '^ *[0-9]+ provinces: ' "$T/demo.out")
	accepted=$(sed -E 's/.*: ([0-9]+) accepted.*/\1/' <<<"$line")
	pending=$(sed -E 's/.* ([0-9]+) pending.*/\1/' <<<"$line")
	demo_expect "provinces" "$(sed -E 's/^ *([0-9]+) .*/\1/' <<<"$line")" "$DEMO_N"
	demo_expect "accepted (summary against store)" "$accepted" \
	    "$(demo_sql "select count(distinct respondent) from submission where state = 'accepted'")"
	# At least 45 of 63, in proportion.
	[ "${accepted:-0}" -ge $(( (45 * DEMO_N + 62) / 63 )) ] || fail "only $accepted accepted"
	demo_expect "pending (summary against store)" "$pending" \
	    "$(( DEMO_N - $(demo_sql "select count(distinct respondent) from submission where respondent is not null") ))"

	# One form to each province; the one with no mailbox bounced.
	demo_expect "forms" "$(demo_summary 'forms sent')" "$DEMO_N"
	demo_expect "forms in the store" "$(demo_sql "select count(*) from outbox where kind = 'form' and step = '0' and state in ('sent', 'bounced')")" "$DEMO_N"
	demo_expect "forms bounced" "$(demo_sql "select count(*) from outbox where kind = 'form' and state = 'bounced'")" 1
	demo_expect "addresses failing" "$(demo_summary 'addresses failing')" 1
	"$SURVEYD" -c "$d/surveyd.conf" status --json > "$T/status.json" || fail "status --json failed"
	demo_expect "address-failing flags" "$($PY -c "import json,sys; s=json.load(open(sys.argv[1])); print(sum('address-failing' in r['flags'] for r in s['respondents']))" "$T/status.json")" 1

	# Reminders: the count printed is the store's; none went to a province
	# that had an accepted reply when it went, or before its form; every
	# province still without an answer got max-reminders (3).
	demo_expect "reminders" "$(demo_summary 'reminders sent')" \
	    "$(demo_sql "select count(*) from outbox where kind = 'reminder' and state in ('sent', 'bounced')")"
	[ "$(demo_summary 'reminders sent')" -gt 0 ] || fail "no reminder was sent"
	demo_expect "reminders to provinces that had answered" "$(demo_sql "
	    select count(*) from outbox o where kind = 'reminder' and state != 'skipped' and exists (
	        select 1 from submission s where s.respondent = o.respondent and s.state = 'accepted'
	        and s.received <= o.created)")" 0
	demo_expect "reminders before the form" "$(demo_sql "
	    select count(*) from outbox o where kind = 'reminder' and state != 'skipped' and o.created < (
	        select f.sent from outbox f where f.respondent = o.respondent and f.kind = 'form')")" 0
	demo_expect "provinces never answering, not reminded 3 times" "$(demo_sql "
	    select count(*) from (select respondent as code from outbox o where kind = 'form' and not exists (
	        select 1 from submission s where s.respondent = o.respondent and s.state = 'accepted'))
	    where (select count(*) from outbox r where r.kind = 'reminder' and r.state != 'skipped'
	        and r.respondent = code) != 3")" 0

	# Acknowledgements: the count printed is the store's, one per reply a
	# person sent, each delivered once.
	n=$(demo_sql "select count(*) from outbox where kind = 'ack' and state = 'sent'")
	demo_expect "acknowledgements" "$(demo_summary 'acknowledgements sent')" "$n"
	demo_expect "replies without exactly one acknowledgement" "$(demo_sql "
	    select count(*) from submission s where s.respondent is not null and
	        (select count(*) from outbox o where o.kind = 'ack' and o.step = s.id) != 1")" 0
	demo_sql "select message_id from outbox where kind in ('ack', 'form', 'digest') and state = 'sent'" > "$T/sent-ids"
	$PY - "$d/dovecot/mail" "$T/sent-ids" <<'PYEOF' || fail "the mailboxes do not hold each mail once"
import collections, glob, os, re, sys
want = set(open(sys.argv[2]).read().split())
seen = collections.Counter()
for f in glob.glob(os.path.join(sys.argv[1], "*", "cur", "*")) + \
         glob.glob(os.path.join(sys.argv[1], "*", "new", "*")):
    m = re.search(rb"(?im)^Message-ID: *<([^>]*)>", open(f, "rb").read())
    if m and m.group(1).decode() in want:
        seen[m.group(1).decode()] += 1
missing = want - set(seen)
twice = [k for k, n in seen.items() if n > 1]
for k in sorted(missing)[:3]:
    print(f"    not delivered: {k}")
for k in twice[:3]:
    print(f"    delivered {seen[k]} times: {k}")
sys.exit(1 if missing or twice else 0)
PYEOF

	# What surveyd stored of each complete reply is what fill_form.py
	# wrote into it, whatever the way it came (.xls, .ods, zip, forwarded).
	$PY - "$d" <<'PYEOF' || fail "stored answers differ from what the provinces filled in"
import json, sqlite3, sys
demo = sys.argv[1]
plan = json.load(open(f"{demo}/plan.json", encoding="utf-8"))
db = sqlite3.connect(f"{demo}/surveyd.db")
bad = n = 0
for e in plan["events"]:
    if e.get("variant") != "good" or "values" not in e or "same_as" in e:
        continue
    row = db.execute("select id from submission where message_id = ?",
                     (e["message_id"].strip("<>"),)).fetchone()
    if row is None:
        print(f"    no submission for {e['code']} ({e['kind']}) {e['message_id']}")
        bad += 1
        continue
    got = dict(db.execute("select field, value from answer where submission = ?", row))
    want = {k: v for k, v in json.load(open(e["values"], encoding="utf-8"))["values"].items() if v != ""}
    n += 1
    if got != want:
        bad += 1
        diff = {k: (got.get(k), want.get(k)) for k in set(got) | set(want) if got.get(k) != want.get(k)}
        print(f"    {e['code']} ({e['kind']}): stored, written: {diff}")
sys.exit(1 if bad or n == 0 else 0)
PYEOF

	# The replies came every way the demo promises.
	for kind in .xls .ods .zip forwarded 'personal address' incomplete invalid corrected late bounced; do
		grep -q -- "$kind" "$T/demo.out" || fail "the demo's output shows no $kind"
	done
	demo_expect "late flags" "$(demo_sql "select count(*) from submission where flags like '%late%'")" \
	    "$(grep -c ', late$' "$T/demo.out")"
	demo_expect "digests" "$(demo_sql "select count(*) from outbox where kind = 'digest' and state = 'sent'")" 1
	[ -s "$d/tong-hop.xlsx" ] || fail "no workbook"
	grep -q "The secretary's workbook: $d/tong-hop.xlsx" "$T/demo.out" || fail "the workbook's path is not printed"
}
