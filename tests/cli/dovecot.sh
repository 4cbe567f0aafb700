# A Dovecot of the test's own for the IMAP tests: run as user mail (it
# refuses root) on a free 127.0.0.1 port, with its base_dir, Maildirs, log
# and passwd-file all in $T/dovecot, stopped by its pid.  Sourced by the
# t_*.sh that need it.

DOVECOT=/usr/sbin/dovecot
DOVE_USER=khaosat@example.test
DOVE_PASSWORD='mật-khẩu-thử'
DOVE=
DOVE_PID=
DOVE_PORT=
DOVE_EXTRA=	# more dovecot.conf lines for one test

# as_mail CMD...: runs CMD as user mail, as Dovecot and its files need.
as_mail() {
	setpriv --reuid=mail --regid=mail --init-groups -- "$@"
}

dove_port() {
	$PY -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# dove_cert: $T/cert.pem and $T/key.pem, a certificate for 127.0.0.1 and
# for $DOVE_HOST (the name tests give it in a hosts file of their own) that
# no system store trusts, readable by Dovecot (user mail).
DOVE_HOST=mail.surveyd.test
dove_cert() {
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 \
	    -nodes -days 2 -subj '/CN=127.0.0.1' \
	    -addext "subjectAltName=IP:127.0.0.1,DNS:$DOVE_HOST" \
	    -keyout "$T/key.pem" -out "$T/cert.pem" >/dev/null 2>&1 ||
	    { fail "openssl could not make a certificate"; return 1; }
	chmod 0644 "$T/key.pem"
}

dove_config() {
	cat > "$DOVE/dovecot.conf" <<EOF2
base_dir = $DOVE/run
state_dir = $DOVE/state
log_path = $DOVE/log
protocols = imap
listen = 127.0.0.1
ssl = ${DOVE_SSL:-no}
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
    port = $DOVE_PORT
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = ${DOVE_IMAPS_PORT:-0}
  }
}
service anvil {
  chroot =
}
$DOVE_EXTRA
EOF2
	printf '%s:{PLAIN}%s::::::\n' "$DOVE_USER" "$DOVE_PASSWORD" > "$DOVE/passwd"
}

# dove_start: Dovecot listening on $DOVE_PORT, or a failed test.
dove_start() {
	local i
	DOVE=$T/dovecot
	# A test may have named the port first, to start the server late.
	DOVE_PORT=${DOVE_PORT:-$(dove_port)}
	# mail must reach the folder: mktemp -d made $T root's alone.
	chmod 0711 "$T"
	mkdir -p "$DOVE/run" "$DOVE/state" "$DOVE/mail" "$DOVE/home"
	dove_config
	chown -R mail:mail "$DOVE"
	# stderr to a file: a $(...) around the start would wait on it.  No
	# function around setpriv: $! must be Dovecot's master itself.
	setpriv --reuid=mail --regid=mail --init-groups -- \
	    "$DOVECOT" -F -c "$DOVE/dovecot.conf" >"$DOVE/stderr" 2>&1 &
	DOVE_PID=$!
	for i in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$DOVE_PORT") 2>/dev/null; then
			return 0
		fi
		kill -0 "$DOVE_PID" 2>/dev/null || break
		sleep 0.1
	done
	fail "dovecot did not start on port $DOVE_PORT"
	cat "$DOVE/stderr" "$DOVE/log" 2>/dev/null | sed 's/^/    | /' | tail -10
	return 1
}

# dove_stop: by pid, never by name; waits so the next test's port is free.
dove_stop() {
	trap - RETURN
	DOVE_PORT=
	DOVE_EXTRA=
	DOVE_SSL=
	DOVE_IMAPS_PORT=
	[ -n "$DOVE_PID" ] || return 0
	kill "$DOVE_PID" 2>/dev/null
	wait "$DOVE_PID" 2>/dev/null
	DOVE_PID=
}

doveadm_() {	# doveadm_ ARGS...: doveadm on the test's Dovecot
	as_mail doveadm -c "$DOVE/dovecot.conf" "$@"
}

# dove_deliver FILE...: each message into the user's INBOX, in order.
dove_deliver() {
	local f
	for f in "$@"; do
		doveadm_ save -u "$DOVE_USER" < "$f" || fail "doveadm save $f failed"
	done
}

# dove_flags: "UID FLAGS" per message of INBOX, one a line.
dove_flags() {
	doveadm_ fetch -u "$DOVE_USER" 'uid flags' mailbox INBOX ALL |
	    awk '/^uid: / {u=$2} /^flags:/ {sub(/^flags: ?/, ""); print u " " $0}'
}

# dove_imap_config [PASSWORD]: the [imap] group pointing at this Dovecot.
dove_imap_config() {
	printf '%s\n' "${1-$DOVE_PASSWORD}" > "$T/imap-password"
	cat >> "$T/surveyd.conf" <<EOF2
[imap]
url=imap://127.0.0.1:$DOVE_PORT/INBOX
username=$DOVE_USER
password-file=imap-password
EOF2
}

# dove_lmtp_start: LMTP as well, on the unix socket $DOVE_LMTP that any
# local user (OpenSMTPD's delivery agent) may use.  dove_start's config is
# extended and the running master reloaded (SIGHUP) to listen there too.
DOVE_LMTP=
dove_lmtp_start() {
	local i
	DOVE_LMTP=$DOVE/run/lmtp
	cat >> "$DOVE/dovecot.conf" <<EOF2
protocols = imap lmtp
service lmtp {
  unix_listener lmtp {
    mode = 0666
  }
}
EOF2
	kill -HUP "$DOVE_PID"
	for i in $(seq 100); do
		[ -S "$DOVE_LMTP" ] && return 0
		sleep 0.1
	done
	fail "dovecot did not listen on $DOVE_LMTP"
	return 1
}

# dove_fetch USER FIELDS [SEARCH...]: doveadm fetch from USER's INBOX
dove_fetch() {
	local user=$1 fields=$2
	shift 2
	doveadm_ fetch -u "$user" "$fields" mailbox INBOX "${@:-ALL}"
}

# dove_submission_start RELAY_PORT CERT KEY: Dovecot's submission service
# as well, on 127.0.0.1:$DOVE_SUBMISSION_PORT, with STARTTLS (the
# certificate and key given, copied where user mail reads them) and AUTH
# against the passwd-file, relaying what it takes to 127.0.0.1:RELAY_PORT
# (the test's OpenSMTPD) without TLS.  The running master is reloaded, as
# for LMTP.  The login log line ("submission-login: Login: ... TLS") is in
# $DOVE/log.
DOVE_SUBMISSION_PORT=
dove_submission_start() {
	local i
	DOVE_SUBMISSION_PORT=$(dove_port)
	cp "$2" "$DOVE/ssl-cert.pem"
	cp "$3" "$DOVE/ssl-key.pem"
	chown mail:mail "$DOVE/ssl-cert.pem" "$DOVE/ssl-key.pem"
	chmod 0600 "$DOVE/ssl-key.pem"
	cat >> "$DOVE/dovecot.conf" <<EOF2
protocols = imap lmtp submission
ssl = yes
ssl_cert = <$DOVE/ssl-cert.pem
ssl_key = <$DOVE/ssl-key.pem
hostname = submission.example.test
submission_relay_host = 127.0.0.1
submission_relay_port = $1
submission_relay_ssl = no
submission_relay_trusted = no
service submission-login {
  chroot =
  inet_listener submission {
    address = 127.0.0.1
    port = $DOVE_SUBMISSION_PORT
  }
}
EOF2
	kill -HUP "$DOVE_PID"
	for i in $(seq 100); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$DOVE_SUBMISSION_PORT") 2>/dev/null; then
			return 0
		fi
		sleep 0.1
	done
	fail "dovecot's submission did not listen on $DOVE_SUBMISSION_PORT"
	tail -5 "$DOVE/log" 2>/dev/null | sed 's/^/    | /'
	return 1
}
