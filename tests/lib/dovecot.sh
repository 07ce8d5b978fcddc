#!/bin/sh
# SPDX-License-Identifier: ISC
# dovecot.sh: run a real Dovecot IMAP server on loopback for the tests
# (POSIX sh).  No system service is used or touched.
#
#   sh tests/lib/dovecot.sh start STATEDIR ADDR IMAP_PORT IMAPS_PORT
#   sh tests/lib/dovecot.sh seed STATEDIR FOLDER FILE...
#   sh tests/lib/dovecot.sh count STATEDIR FOLDER
#   sh tests/lib/dovecot.sh uidvalidity STATEDIR FOLDER
#   sh tests/lib/dovecot.sh stop STATEDIR
#
# start makes, in STATEDIR: a test CA (ca.pem) and a server certificate
# for ADDR signed by it, a second CA that signed nothing (other-ca.pem), a
# passwd-file with the user "fbl" whose password is in password (mode
# 0600), dovecot.conf, then starts dovecot (IMAP with STARTTLS on
# IMAP_PORT, implicit TLS on IMAPS_PORT; no login without TLS) and waits
# (at most 10 s) until both ports accept.  The mail is Maildir++ under
# STATEDIR/home/fbl/Maildir (folder F is .F/).  Silent on success; on
# failure it says why on stderr (with the end of dovecot.log) and exits
# non-zero, leaving no dovecot behind.
#
# seed copies each FILE into FOLDER's new/ (made when missing) under a
# unique Maildir name, as a delivery would; dovecot sees it at the next
# command.  count prints the messages in FOLDER (new/ and cur/; 0 when it
# does not exist).  uidvalidity prints the folder's UIDVALIDITY as dovecot
# keeps it (dovecot-uidlist), empty before dovecot has indexed it.
#
# stop kills the dovecot whose pid is in STATEDIR/run/master.pid and waits
# until it is gone, then the processes it had started (an imap process
# serving a client outlives its master): SIGTERM, as a service manager's
# restart sends, and SIGKILL after 2 s to what is left.  Every connection
# is dropped.  Quiet and successful when nothing runs there.
#
# Dovecot refuses to run its login processes as root: as root they run as
# Debian's dovenull, and the mail as the dovecot user (seed hands the
# files over); as another user, everything runs as that user.

set -u

prog=dovecot.sh
PATH=$PATH:/usr/sbin:/sbin

die() {
	echo "$prog: $*" >&2
	exit 1
}

# shellcheck source=tests/lib/daemon.sh
. "$(dirname "$0")/daemon.sh"

if [ "$(id -u)" = 0 ]; then
	LOGIN_USER=dovenull MAIL_USER=dovecot MAIL_GROUP=dovecot
else
	LOGIN_USER=$(id -un) MAIL_USER=$(id -un) MAIL_GROUP=$(id -gn)
fi

make_certs() {	# state addr
	s=$1
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$s/ca.key" \
	    -out "$s/ca.pem" -days 2 -subj "/CN=fblscope test CA" \
	    -addext basicConstraints=critical,CA:TRUE > "$s/openssl.log" 2>&1 &&
	openssl req -x509 -newkey rsa:2048 -nodes -keyout "$s/other-ca.key" \
	    -out "$s/other-ca.pem" -days 2 -subj "/CN=fblscope other CA" \
	    -addext basicConstraints=critical,CA:TRUE >> "$s/openssl.log" 2>&1 &&
	openssl req -newkey rsa:2048 -nodes -keyout "$s/server.key" \
	    -out "$s/server.csr" -subj "/CN=$2" >> "$s/openssl.log" 2>&1 &&
	printf 'subjectAltName=IP:%s\n' "$2" > "$s/server.ext" &&
	openssl x509 -req -in "$s/server.csr" -CA "$s/ca.pem" \
	    -CAkey "$s/ca.key" -CAcreateserial -out "$s/server.pem" -days 2 \
	    -extfile "$s/server.ext" >> "$s/openssl.log" 2>&1 ||
	    die "openssl could not make the certificates: $(tail -3 "$s/openssl.log")"
}

write_conf() {	# state addr imap-port imaps-port
	s=$1
	cat > "$s/dovecot.conf" <<EOF
# written by tests/lib/dovecot.sh
base_dir = $s/run
state_dir = $s/state
log_path = $s/dovecot.log
instance_name = fblscope-test-$4
protocols = imap
listen = $2
default_internal_user = $MAIL_USER
default_internal_group = $MAIL_GROUP
default_login_user = $LOGIN_USER
first_valid_uid = 0
first_valid_gid = 0
ssl = required
ssl_cert = <$s/server.pem
ssl_key = <$s/server.key
ssl_min_protocol = TLSv1.2
disable_plaintext_auth = yes
auth_mechanisms = plain login
passdb {
  driver = passwd-file
  args = scheme=PLAIN $s/users
}
userdb {
  driver = static
  args = uid=$MAIL_USER gid=$MAIL_GROUP home=$s/home/%u
}
mail_location = maildir:~/Maildir
namespace inbox {
  inbox = yes
  separator = /
}
service imap-login {
  inet_listener imap {
    address = $2
    port = $3
  }
  inet_listener imaps {
    address = $2
    port = $4
    ssl = yes
  }
  chroot =
}
service anvil {
  chroot =
}
EOF
}

# the pid of the dovecot master running in STATEDIR
running_pid() {
	daemon_pid "$1/run/master.pid" dovecot
}

do_start() {	# state addr imap-port imaps-port
	[ $# -eq 4 ] || die "usage: start STATEDIR ADDR IMAP_PORT IMAPS_PORT"
	daemon_need dovecot-imapd dovecot openssl
	daemon_port "$3"
	daemon_port "$4"
	mkdir -p "$1" || die "cannot create $1"
	s=$(cd "$1" && pwd) || die "cannot enter $1"
	if pid=$(running_pid "$s"); then
		die "dovecot already runs in $s (pid $pid)"
	fi
	mkdir -p "$s/run" "$s/state" "$s/home/fbl" || die "cannot create $s/*"
	[ -s "$s/ca.pem" ] || make_certs "$s" "$2"
	[ -s "$s/password" ] ||
	    (umask 077; openssl rand -hex 12 > "$s/password") ||
	    die "cannot make a password"
	printf 'fbl:{PLAIN}%s\n' "$(cat "$s/password")" > "$s/users"
	write_conf "$s" "$2" "$3" "$4"
	if [ "$(id -u)" = 0 ]; then
		# the mail user and the login user walk down to STATEDIR
		chown -R "$MAIL_USER:$MAIL_GROUP" "$s/home"
		chmod 0644 "$s/users"
		p=$s
		while [ "$p" != / ] && [ -n "$p" ]; do
			chmod o+x "$p" 2>/dev/null || true
			p=$(dirname "$p")
		done
	fi
	dovecot -c "$s/dovecot.conf" 2> "$s/start.err" ||
	    die "dovecot did not start: $(cat "$s/start.err") $(tail -3 "$s/dovecot.log" 2>/dev/null)"
	i=0
	until port_open "$2" "$3" && port_open "$2" "$4"; do
		i=$((i + 1))
		if [ "$i" -gt 50 ]; then
			do_stop "$s"
			die "dovecot does not accept on $2 ports $3 and $4: $(tail -3 "$s/dovecot.log" 2>/dev/null)"
		fi
		nap
	done
}

port_open() {	# addr port
	/usr/bin/python3 -c 'import socket, sys
s = socket.create_connection((sys.argv[1], int(sys.argv[2])), 1)
s.close()' "$1" "$2" 2>/dev/null
}

do_stop() {
	[ -d "$1/run" ] || return 0
	kids=
	if pid=$(running_pid "$1"); then
		kids=$(ps -o pid= --ppid "$pid" 2>/dev/null)
	fi
	daemon_stop "$1/run/master.pid" dovecot
	for sig in TERM KILL; do
		left=
		for k in $kids; do
			# the pid may have been reused: only a process of dovecot's
			case $(tr '\0' ' ' 2>/dev/null < "/proc/$k/cmdline") in
			dovecot-fblscope-test-*|dovecot/*)
				kill -s "$sig" "$k" 2>/dev/null && left="$left $k" ;;
			esac
		done
		kids=$left
		i=0
		while [ -n "$kids" ] && [ "$sig" = TERM ] && [ $i -lt 10 ]; do
			nap
			i=$((i + 1))
			left=
			for k in $kids; do
				kill -0 "$k" 2>/dev/null && left="$left $k"
			done
			kids=$left
		done
	done
}

maildir() {	# state folder
	printf '%s/home/fbl/Maildir/.%s\n' "$1" "$2"
}

do_seed() {	# state folder file...
	[ $# -ge 3 ] || die "usage: seed STATEDIR FOLDER FILE..."
	d=$(maildir "$1" "$2")
	shift 2
	mkdir -p "$d/tmp" "$d/new" "$d/cur" || die "cannot create $d"
	# one time and random part per call: two forks a file, not six,
	# for the folders of 10,000 messages
	pre="$(date +%s).M$$R$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')"
	n=0
	for f in "$@"; do
		n=$((n + 1))
		u="$pre.P$n.seed"
		cp "$f" "$d/tmp/$u" && mv "$d/tmp/$u" "$d/new/$u" ||
		    die "cannot seed $f"
	done
	if [ "$(id -u)" = 0 ]; then
		chown -R "$MAIL_USER:$MAIL_GROUP" "$(dirname "$d")"
	fi
}

do_count() {	# state folder
	d=$(maildir "$1" "$2")
	if [ -d "$d" ]; then
		find "$d/new" "$d/cur" -type f | wc -l | tr -d ' '
	else
		echo 0
	fi
}

do_uidvalidity() {	# state folder
	f=$(maildir "$1" "$2")/dovecot-uidlist
	[ -r "$f" ] && head -n 1 "$f" | tr ' ' '\n' | sed -n 's/^V//p'
}

cmd=${1:-}
[ $# -ge 1 ] && shift
case $cmd in
start) do_start "$@" ;;
stop) [ $# -eq 1 ] || die "usage: stop STATEDIR"; do_stop "$1" ;;
seed) do_seed "$@" ;;
count) [ $# -eq 2 ] || die "usage: count STATEDIR FOLDER"; do_count "$1" "$2" ;;
uidvalidity) [ $# -eq 2 ] || die "usage: uidvalidity STATEDIR FOLDER"
	do_uidvalidity "$1" "$2" ;;
*) die "usage: start STATEDIR ADDR IMAP_PORT IMAPS_PORT | seed STATEDIR FOLDER FILE... | count STATEDIR FOLDER | uidvalidity STATEDIR FOLDER | stop STATEDIR" ;;
esac
