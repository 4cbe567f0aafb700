#!/usr/bin/env bash
# Installs the Debian packages surveyd's build, tests and demo need, when any
# is missing.  Runs apt-get as root (directly, or through sudo).
set -euo pipefail

packages=(
	build-essential pkg-config
	libzip-dev libexpat1-dev libfreexl-dev libsqlite3-dev libglib2.0-dev libssl-dev libxlsxwriter-dev libgmime-3.0-dev libcurl4-openssl-dev
	check valgrind sqlite3 zip unzip clang libclang-rt-14-dev
	dovecot-imapd dovecot-lmtpd dovecot-submissiond opensmtpd
	python3 python3-openpyxl libreoffice-calc-nogui
	libmicrohttpd-dev libcrypt-dev curl apache2-utils chromium
	libsystemd-dev systemd groff-base man-db
)

missing=()
for p in "${packages[@]}"; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
		missing+=("$p")
	fi
done
[ ${#missing[@]} -eq 0 ] && exit 0

echo "deps: installing ${missing[*]}"
sudo=
[ "$(id -u)" -eq 0 ] || sudo=sudo
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update
# The tests start their own Dovecot on loopback: a policy-rc.d that answers
# 101 keeps apt from starting the system one.  Ours is removed afterwards; an
# existing one (a container's) is left alone.
policy=/usr/sbin/policy-rc.d
if [ ! -e "$policy" ]; then
	printf '#!/bin/sh\nexit 101\n' | $sudo tee "$policy" >/dev/null
	$sudo chmod 0755 "$policy"
	trap '$sudo rm -f "$policy"' EXIT
fi
$sudo apt-get install -y --no-install-recommends "${missing[@]}"
