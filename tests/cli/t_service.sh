# Command-line tests of running surveyd as a service: make install and
# uninstall, the systemd unit (verify, security review), the sysusers and
# tmpfiles entries, --help for every command and the man pages.  Sourced by
# run.sh, which provides the helpers.

# Every file make install puts, relative to DESTDIR with PREFIX=/usr.
service_files() {
	printf '%s\n' usr/bin/surveyd \
	    usr/share/surveyd/forms/form-a/survey.csv \
	    usr/share/surveyd/forms/form-b/choices.csv \
	    usr/share/surveyd/rosters/provinces-63.csv \
	    usr/lib/systemd/system/surveyd.service \
	    usr/lib/sysusers.d/surveyd.conf usr/lib/tmpfiles.d/surveyd.conf \
	    usr/share/man/man8/surveyd.8 usr/share/man/man5/surveyd.conf.5 \
	    etc/surveyd/surveyd.conf.example
	[ -d "$here/templates" ] && printf '%s\n' usr/share/surveyd/templates/vi/form.txt
}

# The build folder of the binary under test, so make installs that one.
service_make() {
	make -s -C "$here" B="$(dirname "$SURVEYD")" "$@" DESTDIR="$T/root" \
	    PREFIX=/usr >/dev/null
}

service_install() {
	service_make install || fail "make install"
}

# The commands of DESIGN's command-line contract, and the web page's passwd.
SERVICE_COMMANDS="run poll import form send-forms remind status export assign
revalidate backup purge check-config passwd"

test_install() {
	local f
	service_install
	for f in $(service_files) etc/surveyd/surveyd.conf; do
		[ -f "$T/root/$f" ] || fail "make install did not put $f in place"
	done
	[ -d "$T/root/etc/surveyd/credentials" ] || fail "no credentials folder"
	# The installed unit names the installed binary, not a placeholder.
	f=$T/root/usr/lib/systemd/system/surveyd.service
	expect_in "$f" "ExecStartPre=/usr/bin/surveyd check-config"
	expect_in "$f" "ExecStart=/usr/bin/surveyd run"
	expect_in "$f" "Environment=SURVEYD_CONFIG=/etc/surveyd/surveyd.conf"
	grep -qE '@[A-Z]+@' "$f" && fail "surveyd.service keeps a placeholder"
	# A second install leaves the administrator's config alone.
	echo "# mine" > "$T/root/etc/surveyd/surveyd.conf"
	service_install
	[ "$(cat "$T/root/etc/surveyd/surveyd.conf")" = "# mine" ] ||
	    fail "make install overwrote surveyd.conf"
	service_make uninstall || fail "make uninstall"
	for f in $(service_files); do
		[ ! -e "$T/root/$f" ] || fail "make uninstall left $f"
	done
	[ ! -e "$T/root/usr/share/surveyd" ] || fail "make uninstall left the data"
	# The administrator's config survives an uninstall.
	[ -f "$T/root/etc/surveyd/surveyd.conf" ] || fail "make uninstall removed the config"
}

# The installed unit with its binary moved under $T/root, so systemd-analyze
# on this machine finds what ExecStart= names.
service_unit() {
	service_install
	mkdir -p "$T/unit"
	sed "s|/usr/bin/surveyd|$T/root/usr/bin/surveyd|g" \
	    "$T/root/usr/lib/systemd/system/surveyd.service" > "$T/unit/surveyd.service"
}

test_service_verify() {
	service_unit
	# MANPATH lets verify find the installed man pages Documentation= names.
	MANPATH=$T/root/usr/share/man expect_rc 0 systemd-analyze verify \
	    "$T/unit/surveyd.service"
	[ -s "$T/err" ] && fail "systemd-analyze verify: $(head -3 "$T/err")"
	expect_in "$T/unit/surveyd.service" "Type=notify"
	expect_in "$T/unit/surveyd.service" "WatchdogSec="
	expect_in "$T/unit/surveyd.service" "LoadCredential=imap-password:/etc/surveyd/credentials/imap-password"
	expect_in "$T/unit/surveyd.service" "LoadCredential=smtp-password:/etc/surveyd/credentials/smtp-password"
}

test_service_security() {
	local level
	service_unit
	expect_rc 0 systemd-analyze security --offline=yes "$T/unit/surveyd.service"
	level=$(sed -n 's/.*Overall exposure level for surveyd.service: \([0-9.]*\).*/\1/p' "$T/out")
	[ -n "$level" ] || { fail "no exposure level in systemd-analyze security"; return; }
	awk -v l="$level" 'BEGIN { exit !(l <= 2.0) }' ||
	    fail "systemd-analyze security: exposure $level, wanted 2.0 or lower"
}

# sysusers makes the user, tmpfiles the spool it owns (root only: chown).
test_service_sysusers_tmpfiles() {
	[ "$(id -u)" = 0 ] || { echo "  (skipped: not root)"; return; }
	service_install
	expect_rc 0 systemd-sysusers --root="$T/root"
	grep -q '^surveyd:' "$T/root/etc/passwd" || fail "sysusers made no surveyd user"
	expect_rc 0 systemd-tmpfiles --root="$T/root" --create \
	    "$T/root/usr/lib/tmpfiles.d/surveyd.conf"
	local d
	for d in incoming incoming/done incoming/rejected; do
		[ -d "$T/root/var/spool/surveyd/$d" ] || fail "tmpfiles made no $d"
	done
	[ "$(stat -c %u "$T/root/var/spool/surveyd/incoming")" = \
	    "$(awk -F: '$1 == "surveyd" { print $3 }' "$T/root/etc/passwd")" ] ||
	    fail "the spool does not belong to surveyd"
}

# The man page as plain text, one long line per paragraph tag.
service_man_text() {
	groff -man -Tascii -P-cbou -rLL=300n "$here/man/$1"
}

test_help() {
	local c synopsis listed
	expect_rc 0 "$SURVEYD" --help
	expect_in "$T/out" "usage: surveyd [-c CONFIG] [-v | -q] COMMAND [OPTIONS]"
	listed=$(sed -n '/^commands:/,$ s/^  \([a-z-]*\) .*/\1/p' "$T/out")
	[ -n "$listed" ] || fail "--help lists no commands"
	service_man_text surveyd.8 > "$T/man8.txt"
	for c in $SERVICE_COMMANDS $listed; do
		expect_rc 0 "$SURVEYD" "$c" --help
		synopsis=$(sed -n '1s/^usage: surveyd \[-c CONFIG\] //p' "$T/out")
		[ -n "$synopsis" ] || { fail "$c --help: no synopsis"; continue; }
		[ "$(wc -l < "$T/out")" -ge 2 ] || fail "$c --help: no description"
		grep -qF -- "$synopsis" "$T/man8.txt" ||
		    fail "surveyd.8 lacks the synopsis: $synopsis"
		expect_rc 0 "$SURVEYD" help "$c"
		expect_in "$T/out" "usage: surveyd [-c CONFIG] $synopsis"
	done
	expect_rc 0 "$SURVEYD" -h
	expect_rc 2 "$SURVEYD" help no-such-command
	expect_rc 2 "$SURVEYD" no-such-command --help
}

test_man_pages() {
	local page key
	for page in surveyd.8 surveyd.conf.5; do
		groff -man -Tutf8 -ww -z "$here/man/$page" 2> "$T/err" ||
		    fail "groff failed on $page"
		[ -s "$T/err" ] && fail "$page: $(head -3 "$T/err")"
		LC_ALL=C.UTF-8 MANWIDTH=80 man --warnings -l "$here/man/$page" \
		    > /dev/null 2> "$T/err" || fail "man -l failed on $page"
		[ -s "$T/err" ] && fail "man -l $page: $(head -3 "$T/err")"
	done
	# Every key config.c knows is documented.
	service_man_text surveyd.conf.5 > "$T/man5.txt"
	for key in $(sed -n '/^static const struct key_spec known_keys/,/^};/p' \
	    "$here/daemon/config.c" | grep -o '"[a-z0-9-]*"' | tr -d '"' |
	    grep -vx -e store -e imap -e smtp -e intake -e web -e survey); do
		grep -qF -- "$key=" "$T/man5.txt" || fail "surveyd.conf.5 lacks $key="
	done
}
