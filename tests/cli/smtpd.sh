# The test's OpenSMTPD (Debian's smtpd 6.8) in front of the test's Dovecot
# (tests/cli/dovecot.sh): on a free 127.0.0.1 port, without TLS, taking
# mail for the addresses of $SMTPD_USERS only (any other is refused at
# RCPT) and delivering each recipient to Dovecot's LMTP socket.  smtpd
# runs as root and keeps its queue and control socket at fixed system
# paths, so one runs at a time: each test starts and stops its own by pid.
# Sourced by the t_*.sh that need it, after dovecot.sh.

SMTPD=/usr/sbin/smtpd
SMTPD_PID=
SMTPD_PORT=
SMTPD_USERS=()

smtpd_config() {
	local u
	: > "$T/smtpd/virtual"
	for u in "${SMTPD_USERS[@]}"; do
		printf '%s mail\n' "$u" >> "$T/smtpd/virtual"
	done
	cat > "$T/smtpd/smtpd.conf" <<EOF2
table users file:$T/smtpd/virtual
listen on 127.0.0.1 port $SMTPD_PORT
action "dovecot" lmtp "$DOVE_LMTP" rcpt-to virtual <users>
match from any for domain "example.test" action "dovecot"
EOF2
}

# smtpd_start USER...: Dovecot with LMTP, then smtpd for those addresses.
smtpd_start() {
	local i
	SMTPD_USERS=("$@")
	dove_start || return 1
	dove_lmtp_start || return 1
	# Dovecot's static userdb takes only the users its passdb knows.
	for i in "$@"; do
		printf '%s:{PLAIN}%s::::::\n' "$i" "$DOVE_PASSWORD" >> "$DOVE/passwd"
	done
	SMTPD_PORT=$(dove_port)
	smtpd_restart
}

# smtpd_restart: smtpd (again) on $SMTPD_PORT, Dovecot left as it is.
smtpd_restart() {
	local i
	mkdir -p "$T/smtpd"
	smtpd_config
	if ! "$SMTPD" -n -f "$T/smtpd/smtpd.conf" >"$T/smtpd/check" 2>&1; then
		fail "smtpd.conf refused: $(tail -3 "$T/smtpd/check")"
		return 1
	fi
	"$SMTPD" -d -f "$T/smtpd/smtpd.conf" >"$T/smtpd/log" 2>&1 &
	SMTPD_PID=$!
	for i in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$SMTPD_PORT") 2>/dev/null; then
			return 0
		fi
		kill -0 "$SMTPD_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "smtpd did not start on port $SMTPD_PORT"
	sed 's/^/    | /' "$T/smtpd/log" | tail -10
	# Not ours any more: smtpd_stop must not empty another smtpd's queue.
	kill "$SMTPD_PID" 2>/dev/null
	wait "$SMTPD_PID" 2>/dev/null
	SMTPD_PID=
	return 1
}

# smtpd_down: smtpd alone stopped, its queue emptied; Dovecot and
# $SMTPD_PORT stay for smtpd_restart.
smtpd_down() {
	smtpctl remove all >/dev/null 2>&1
	kill "$SMTPD_PID"
	wait "$SMTPD_PID" 2>/dev/null
	SMTPD_PID=
}

# smtpd_stop: smtpd, then Dovecot, each by its pid.  The queue outlives
# smtpd and the next test's smtpd would deliver what is left into its own
# Dovecot: deliveries under way are waited for (5 s at most), the rest
# removed.
smtpd_stop() {
	local i
	trap - RETURN
	if [ -n "$SMTPD_PID" ]; then
		for i in $(seq 50); do
			[ -z "$(smtpctl show queue 2>/dev/null)" ] && break
			sleep 0.1
		done
		smtpctl remove all >/dev/null 2>&1
		kill "$SMTPD_PID" 2>/dev/null
		wait "$SMTPD_PID" 2>/dev/null
		SMTPD_PID=
	fi
	dove_stop
}

# smtpd_wait_delivered USER N: waits until USER's INBOX holds N messages.
smtpd_wait_delivered() {
	local i n
	for i in $(seq 300); do
		n=$(dove_fetch "$1" uid 2>/dev/null | grep -c '^uid:')
		[ "$n" -ge "$2" ] && return 0
		sleep 0.1
	done
	fail "$1 holds $n messages, wanted $2"
	return 1
}
