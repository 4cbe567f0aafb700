# Command-line tests of the secretary's page: `surveyd run` with [web]
# listen on a loopback port the test picks, driven with curl (login, every
# page, every button, what must be refused) and by headless Chromium
# (tests/cli/browser.mjs).  Sourced by run.sh, which provides the helpers.
# shellcheck shell=bash disable=SC2154	# run.sh sets $here, $T, $FIX

WEB_USER=thu-ky
WEB_PASSWORD='mật khẩu 2023'
# The daemon to start: surveyd itself unless a test harness is named.
WEB_DAEMON=${WEB_DAEMON:-$SURVEYD}

# web_replies: 01 and 14 accepted, 02 invalid, 04 incomplete, one reply
# nobody sent (submission 5) and one file that is not a form (6).
web_replies() {
	expect_rc 0 s import "${NOW[@]}" "$FIX/01-openpyxl.xlsx" \
	    "$FIX/14-libreoffice.xlsx" "$FIX/02-invalid.ods" "$FIX/04-incomplete.xlsx"
	printf 'name,value\nct_so_chuong_trinh,5\n' > "$T/khong-ten.csv"
	printf '%%PDF-1.4 công văn\n' > "$T/phieu.xlsx"
	expect_rc 3 s import "${NOW[@]}" "$T/khong-ten.csv" "$T/phieu.xlsx"
}

# web_up: the daemon with the page on a free port; URL and WEB_PID set.
web_up() {
	local port i
	port=$($PY -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
	printf '[intake]\nspool=spool\n[web]\nlisten=127.0.0.1:%s\n' "$port" >> "$T/surveyd.conf"
	printf '%s\n' "$WEB_PASSWORD" | s passwd "$WEB_USER" >/dev/null || fail "passwd failed"
	URL=http://127.0.0.1:$port
	"$WEB_DAEMON" -c "$T/surveyd.conf" run >"$T/run.log" 2>&1 &
	WEB_PID=$!
	for i in $(seq 100); do
		curl -s -o /dev/null "$URL/login" && return 0
		sleep 0.1
	done
	fail "the page did not come up at $URL"
	sed 's/^/    | /' "$T/run.log" | head -5
}

web_down() {
	kill "$WEB_PID" 2>/dev/null
	wait "$WEB_PID" 2>/dev/null
}

# get PATH [curl options]: GET with the test's cookie jar; the status in
# $T/code, the headers in $T/headers, the body in $T/body.
get() {
	local path=$1
	shift
	curl -s -b "$T/jar" -c "$T/jar" -D "$T/headers" -o "$T/body" \
	    -w '%{http_code}' "$@" "$URL$path" > "$T/code"
}

expect_code() {	# expect_code WANT WHAT
	[ "$(cat "$T/code")" = "$1" ] || fail "$2: HTTP $(cat "$T/code"), wanted $1"
}

csrf() {	# the CSRF token of the last page fetched
	grep -o 'name="csrf" value="[0-9a-f]*"' "$T/body" | head -1 | cut -d'"' -f4
}

# login [PASSWORD]: fetches the form, posts it; $T/code says how it went.
login() {
	get /login
	get /login --data-urlencode "csrf=$(csrf)" --data-urlencode "user=$WEB_USER" \
	    --data-urlencode "password=${1:-$WEB_PASSWORD}"
}

sql() {
	sqlite3 "$T/db/surveyd.db" "$1"
}

# The web tests need curl to talk to the daemon.
web_ready() {
	command -v curl >/dev/null || { fail "curl is not installed"; return 1; }
}

test_web_anonymous_refused() {
	web_ready || return 0
	web_replies
	web_up
	for p in / /s/a /s/a/r/01 /s/a/unmatched /s/a/workbook.xlsx /sub/1/file; do
		get "$p"
		expect_code 303 "anonymous GET $p"
		grep -qi '^location: /login' "$T/headers" || fail "anonymous GET $p is not sent to /login"
	done
	for p in /s/a/review /s/a/assign /logout; do
		get "$p" --data "csrf=x&submission=1&state=approved&respondent=06"
		expect_code 403 "anonymous POST $p"
	done
	[ "$(sql "select count(*) from review")" = 0 ] || fail "an anonymous review was recorded"
	# A forged session cookie is nobody's.
	get / -H "Cookie: surveyd_session=$(printf '%064d' 0)"
	expect_code 303 "GET / with a made-up session"
	web_down
}

test_web_login_and_pages() {
	web_ready || return 0
	web_replies
	web_up
	login 'wrong password'
	expect_code 403 "a wrong password"
	expect_in "$T/body" "Sai tên đăng nhập hoặc mật khẩu."
	login
	expect_code 303 "login"
	grep -i '^set-cookie: surveyd_session=[0-9a-f]\{64\}; Path=/; HttpOnly; SameSite=Strict' \
	    "$T/headers" >/dev/null || fail "the session cookie lacks HttpOnly or SameSite=Strict"
	get /
	expect_code 200 "the survey list"
	expect_in "$T/body" 'href="/s/a"'
	expect_in "$T/body" "2 / 63 (3%)"
	get /s/a
	expect_code 200 "the survey page"
	[ "$(grep -c '^<tr><td>' "$T/body")" = 63 ] || fail "the table has $(grep -c '^<tr><td>' "$T/body") rows, not 63"
	expect_in "$T/body" '<span class="st st-accepted">Đã nộp hợp lệ</span>'
	expect_in "$T/body" '<span class="st st-invalid">Sai</span>'
	expect_in "$T/body" '<span class="st st-incomplete">Thiếu</span>'
	expect_in "$T/body" '<span class="st st-pending">Chưa nộp</span>'
	expect_in "$T/body" "<svg"
	expect_in "$T/body" "“nhiều” không phải là một con số"
	expect_in "$T/body" 'href="/s/a/workbook.xlsx"'
	expect_in "$T/body" "Phiếu chưa xác định đơn vị gửi (2)"
	get '/s/a?state=invalid'
	[ "$(grep -c '^<tr><td>' "$T/body")" = 1 ] || fail "state=invalid shows $(grep -c '^<tr><td>' "$T/body") rows"
	expect_in "$T/body" '<tr><td>02</td>'
	get '/s/a?region=T%C3%A2y%20Nguy%C3%AAn'
	[ "$(grep -c '^<tr><td>' "$T/body")" = 5 ] || fail "region=Tây Nguyên shows $(grep -c '^<tr><td>' "$T/body") rows"
	get '/s/a?lang=en'
	expect_in "$T/body" '<html lang="en">'
	expect_in "$T/body" "Response rate"
	get /s/a	# the choice is remembered
	expect_in "$T/body" '<html lang="en">'
	get '/s/a?lang=vi'
	get /s/a/r/02
	expect_code 200 "a respondent's page"
	expect_in "$T/body" "02 · Hà Giang"
	expect_in "$T/body" "02-invalid.ods"
	expect_in "$T/body" 'href="/sub/3/file"'
	expect_in "$T/body" "giá trị “80” không hợp lệ"
	expect_in "$T/body" "Chưa gửi thư nào."
	get /s/a/r/08
	expect_in "$T/body" "Chưa nhận được phiếu nào."
	get /s/a/r/99
	expect_code 404 "an unknown respondent"
	get /s/a/unmatched
	expect_code 200 "the unmatched replies"
	expect_in "$T/body" "khong-ten.csv"
	expect_in "$T/body" "phieu.xlsx"
	[ "$(grep -c 'action="/s/a/assign"' "$T/body")" = 1 ] || fail "not exactly one assign form (a non-form cannot be assigned)"
	get /sub/1/file
	expect_code 200 "the original file"
	cmp -s "$T/body" "$FIX/01-openpyxl.xlsx" || fail "the downloaded file differs from what was sent"
	grep -qi "^content-disposition: attachment; .*filename\*=UTF-8''01-openpyxl.xlsx" "$T/headers" ||
	    fail "the file is not offered as an attachment under its name"
	get /s/a/workbook.xlsx
	expect_code 200 "the workbook"
	mv "$T/body" "$T/workbook.xlsx"
	$PY - "$T/workbook.xlsx" <<'EOF_PY' || fail "the workbook download is not the consolidated workbook"
import sys, zipfile, openpyxl
assert zipfile.ZipFile(sys.argv[1]).testzip() is None
wb = openpyxl.load_workbook(sys.argv[1], read_only=True)
assert wb.sheetnames == ['Tổng hợp', 'Dữ liệu', 'Thống kê', 'Theo dõi', 'Chưa xác định'], wb.sheetnames
assert wb['Dữ liệu'].max_row == 64
EOF_PY
	[ "$(sql "select actor from event where kind = 'workbook'")" = "web:$WEB_USER" ] ||
	    fail "the workbook download is not in the event log"
	web_down
}

test_web_buttons() {
	web_ready || return 0
	web_replies
	web_up
	login
	get /s/a/r/02
	tok=$(csrf)	# the session's, on every form
	get /s/a/review --data-urlencode "csrf=$tok" --data "submission=3&state=rejected" \
	    --data-urlencode "note=Sai ô E27 & E38 <gọi lại>"
	expect_code 303 "rejecting a submission"
	grep -qi '^location: /s/a/r/02?done=1#sub-3' "$T/headers" || fail "the review does not lead back to the respondent"
	[ "$(sql "select state, note, actor from review where submission = 3")" = \
	    "rejected|Sai ô E27 & E38 <gọi lại>|web:$WEB_USER" ] || fail "the review is not stored"
	[ "$(sql "select actor, detail from event where kind = 'review'")" = \
	    "web:$WEB_USER|rejected: Sai ô E27 & E38 <gọi lại>" ] || fail "the review is not in the event log"
	get '/s/a/r/02?done=1'
	expect_in "$T/body" "Đã ghi nhận."
	expect_in "$T/body" '<span class="st st-rejected">Bị từ chối</span>'
	expect_in "$T/body" "Sai ô E27 &amp; E38 &lt;gọi lại&gt;"
	get /s/a/review --data-urlencode "csrf=$tok" --data "submission=1&state=approved"
	expect_code 303 "approving a submission"
	[ "$(sql "select state from review where submission = 1")" = approved ] || fail "the approval is not stored"
	get /s/a/review --data-urlencode "csrf=$tok" --data "submission=1&state=deleted"
	expect_code 400 "an unknown review state"
	get /s/a/unmatched
	[ "$(csrf)" = "$tok" ] || fail "the unmatched page's forms carry another token"
	get /s/a/assign --data-urlencode "csrf=$tok" --data "submission=5&respondent=06"
	expect_code 303 "assigning a reply"
	[ "$(sql "select respondent from submission where id = 5")" = 06 ] || fail "the reply is not 06's"
	[ "$(sql "select actor, detail from event where kind = 'assign'")" = \
	    "web:$WEB_USER|to 06: incomplete" ] || fail "the assignment is not in the event log"
	get /s/a/assign --data-urlencode "csrf=$tok" --data "submission=6&respondent=07"
	expect_code 400 "assigning a file that is not a form"
	# Without the token, or with another, nothing happens.
	get /s/a/review --data "submission=4&state=approved"
	expect_code 403 "a review without the CSRF token"
	get /s/a/review --data "csrf=$(printf '%064d' 0)&submission=4&state=approved"
	expect_code 403 "a review with a wrong CSRF token"
	get /s/a/assign --data "submission=6&respondent=07"
	expect_code 403 "an assignment without the CSRF token"
	[ "$(sql "select count(*) from review where submission = 4")" = 0 ] || fail "a forged review was stored"
	get /logout --data "csrf=$tok"
	expect_code 303 "logout"
	get /
	expect_code 303 "a page after logout"
	[ "$(sql "select group_concat(kind, ' ') from event where actor = 'web:$WEB_USER'")" = \
	    "login review review assign logout" ] || fail "events: $(sql "select group_concat(kind, ' ') from event")"
	web_down
}

test_web_traversal_refused() {
	web_ready || return 0
	web_replies
	web_up
	login
	for p in '/sub/1/../../../../../etc/passwd' '/sub/..%2F..%2F..%2Fetc%2Fpasswd/file' \
	    '/sub/1%2F..%2F..%2F..%2Fetc%2Fpasswd/file' '/s/a/r/..%2F..%2F..%2Fetc%2Fpasswd' \
	    '/../../../../etc/passwd' '/sub/-1/file' '/sub/1e3/file' '/sub/99/file' \
	    '/s/..%2F..%2Fetc/unmatched' '/sub/1/file/../../../etc/passwd'; do
		get "$p" --path-as-is
		case $(cat "$T/code") in
		404) ;;
		*) fail "GET $p: HTTP $(cat "$T/code"), wanted 404" ;;
		esac
		grep -q 'root:' "$T/body" && fail "GET $p served /etc/passwd"
	done
	# A body over the limit is refused before it is read.
	head -c 100000 /dev/zero | tr '\0' a > "$T/big"
	get /s/a/review --data-binary "@$T/big"
	expect_code 413 "a 100 kB form"
	web_down
}

test_web_lockout() {
	web_ready || return 0
	web_up
	for i in 1 2 3 4; do
		login "wrong $i"
		expect_code 403 "failed login $i"
	done
	login "wrong 5"
	expect_code 429 "the fifth failed login"
	expect_in "$T/body" "xin thử lại sau 15 phút"
	login
	expect_code 429 "the right password while locked out"
	[ "$(sql "select count(*) from event where kind = 'login-failed' and actor = 'web:$WEB_USER'")" = 5 ] ||
	    fail "the failed logins are not in the event log"
	# Another user is not locked out by them.
	printf 'other-password\n' | s passwd admin >/dev/null
	get /login
	get /login --data-urlencode "csrf=$(csrf)" --data "user=admin&password=other-password"
	expect_code 303 "another user's login"
	web_down
}

test_web_passwd() {
	printf 'short\n' | expect_rc 2 s passwd thu-ky
	expect_in "$T/err" "at least 8 characters"
	printf 'long enough\n' | expect_rc 2 s passwd 'thư ký'
	printf 'long enough\n' | expect_rc 0 s passwd thu-ky
	printf 'another one\n' | expect_rc 0 s passwd admin
	printf 'changed pass\n' | expect_rc 0 s passwd thu-ky
	[ "$(stat -c %a "$T/db/users")" = 600 ] || fail "the users file is mode $(stat -c %a "$T/db/users")"
	[ "$(cut -d: -f1 "$T/db/users" | sort | tr '\n' ' ')" = "admin thu-ky " ] || fail "users: $(cut -d: -f1 "$T/db/users")"
	grep -q '^thu-ky:\$y\$' "$T/db/users" || fail "the hash is not yescrypt"
}

test_web_config_warning() {
	printf '[web]\nlisten=0.0.0.0:8080\n' >> "$T/surveyd.conf"
	expect_rc 0 s check-config
	expect_in "$T/err" "[web] listen: 0.0.0.0:8080 is reachable from other machines"
	printf 'behind-proxy=yes\n' >> "$T/surveyd.conf"
	expect_rc 0 s check-config
	grep -q 'reachable from other' "$T/err" && fail "a warning despite behind-proxy=yes"
	printf 'listen=8080\n' >> "$T/surveyd.conf"
	sed -i 's/^listen=0.0.0.0:8080$//' "$T/surveyd.conf"
	expect_rc 2 s check-config
}

test_web_browser() {
	web_ready || return 0
	command -v chromium >/dev/null || { fail "chromium is not installed"; return; }
	web_replies
	web_up
	node --experimental-websocket "$here/tests/cli/browser.mjs" "$URL" "$WEB_USER" \
	    "$WEB_PASSWORD" "$T/browser" ${WEB_SCREENSHOTS:+"$WEB_SCREENSHOTS"} \
	    >"$T/browser.log" 2>&1 || { fail "the browser run failed"; sed 's/^/    | /' "$T/browser.log" | tail -8; }
	if [ -f "$T/browser/workbook.xlsx" ]; then
		$PY -c "import sys, zipfile; z = zipfile.ZipFile(sys.argv[1]); assert z.testzip() is None and 'xl/workbook.xml' in z.namelist()" \
		    "$T/browser/workbook.xlsx" || fail "the browser's download is not a valid XLSX"
	else
		fail "the browser downloaded no workbook"
	fi
	web_down
}

test_web_reload_and_stop() {
	web_ready || return 0
	web_up
	login
	expect_code 303 "login"
	# SIGHUP re-reads the config: the page comes back on the new one (and
	# its sessions start afresh).
	kill -HUP "$WEB_PID"
	sleep 1
	get /
	expect_code 303 "a page after the reload, with the old session"
	login
	expect_code 303 "a login after the reload"
	get /s/a
	expect_code 200 "the survey page after the reload"
	# SIGTERM reaches the loop, not a web thread: the daemon ends at once.
	local start=$SECONDS
	kill "$WEB_PID"
	wait "$WEB_PID"
	[ $((SECONDS - start)) -le 3 ] || fail "SIGTERM took $((SECONDS - start)) s to stop the daemon"
	grep -q 'stopped' "$T/run.log" || fail "the daemon did not stop cleanly"
}

# "Resend the form" and "send a reminder now": queued for the daemon,
# under the schedule's rules, each in the event log with who asked.
test_web_mail_buttons() {
	web_ready || return 0
	sed -i "s|^timezone=.*|&\ntemplates=$here/templates/vi|" "$T/surveyd.conf"
	printf '[smtp]\nurl=smtp://127.0.0.1:1\nfrom=Khảo sát <khaosat@example.test>\n' >> "$T/surveyd.conf"
	web_up
	login
	get /s/a/r/14
	tok=$(csrf)
	expect_in "$T/body" "Gửi lại phiếu"
	get /s/a/r/14/resend --data-urlencode "csrf=$tok"
	expect_code 303 "resending the form"
	[ "$(sql "select kind, step, recipients from outbox where respondent = '14'")" = \
	    "form|resend-1|lienhiephoi.sonla@example.test" ] || fail "the resend is not queued: $(sql 'select * from outbox')"
	get /s/a/r/14/remind --data-urlencode "csrf=$tok"
	expect_code 303 "a reminder now"
	[ "$(sql "select actor, detail from event where kind = 'resend-form'")" = "web:$WEB_USER|queued" ] ||
	    fail "the resend is not in the event log"
	# The form never went (the server is not there): no reminder yet.
	sql "select detail from event where kind = 'remind'" | grep -q '^not due' || fail "the refused reminder is not logged"
	get /s/a/r/14/remind --data "x=1"
	expect_code 403 "a reminder without the CSRF token"
	get /s/a/r/99/resend --data-urlencode "csrf=$tok"
	expect_code 404 "a respondent not in the roster"
	web_down
}
