#!/bin/sh
# SPDX-License-Identifier: ISC
# unbound.sh: run a real Unbound recursive resolver on loopback for the tests
# (POSIX sh), in the manner of tests/lib/nsd.sh.
#
#   sh tests/lib/unbound.sh start STATEDIR ADDR PORT ZONE=IP@PORT[,IP@PORT...]...
#   sh tests/lib/unbound.sh stop STATEDIR
#
# start writes STATEDIR/unbound.conf (listening on ADDR@PORT only, no chroot,
# no user switch, no remote control, module-config "iterator": no DNSSEC
# validation, so no trust anchor), checks it with unbound-checkconf,
# starts unbound and waits (at most UNBOUND_WAIT seconds, default 10) until it
# answers.  Silent on success; on failure it says why on stderr (with the end
# of STATEDIR/unbound.log) and exits non-zero, leaving no unbound behind.
#
# Why one stub-zone per zone: a resolver learns where a zone lives from NS
# records, and an NS record names a host, never a port.  Unbound therefore
# follows every referral to port 53, where nothing of ours listens (the test
# servers run on high ports).  So each zone that the resolver must reach on a
# high port is given to it here as a stub-zone with its own server list
# (stub-addr IP@PORT): the parent zone AND every delegated child zone, since
# the referral from the parent to the child would lead to port 53 too.  A zone
# delegated in the test data but not listed here stays unreachable, as a
# zone whose servers are down would be.  Names outside every stub-zone go to
# the root servers on the Internet: do not expect an answer for them (or give
# a stub-zone for "." too, served by one of your servers; no root priming
# from the Internet is needed then).
#
# Each ZONE gets "stub-zone: name: ZONE" with one stub-addr per IP@PORT, and
# the top-level domain of each ZONE loses Unbound's built-in local answers
# (without that, a zone under test. or invalid. would be NXDOMAIN).
# ADDR may be IPv6 (::1).  Queries are allowed from 127.0.0.0/8 and ::1.
# The cache is kept: a test that changes zone data under a running resolver
# must take that into account (or restart it).
#
# stop kills the unbound whose pid is in STATEDIR/unbound.pid and waits until
# it is gone.  It is quiet and succeeds when nothing runs there.

set -u

prog=unbound.sh
usage="start STATEDIR ADDR PORT ZONE=IP@PORT[,IP@PORT...]... | stop STATEDIR"
# unbound lives in /usr/sbin, which an unprivileged user's PATH may lack
PATH=$PATH:/usr/sbin:/sbin

die() {
	echo "$prog: $*" >&2
	exit 1
}

# shellcheck source=tests/lib/daemon.sh
. "$(dirname "$0")/daemon.sh"

# The pid in STATEDIR/unbound.pid when that process is alive and is unbound.
running_pid() {
	daemon_pid "$1/unbound.pid" unbound
}

# Unbound answers "localhost. A" itself (a built-in local-zone), without
# asking any other server: a NOERROR with 127.0.0.1 means it is up.
answers() {
	if command -v timeout >/dev/null 2>&1; then
		out=$(timeout 5 drill -p "$2" "@$1" localhost. A 2>&1) || return 1
	else
		out=$(drill -p "$2" "@$1" localhost. A 2>&1) || return 1
	fi
	printf '%s\n' "$out" | grep -q 'rcode: NOERROR' || return 1
	printf '%s\n' "$out" | grep -q 'IN[[:space:]]*A[[:space:]]*127\.0\.0\.1' || return 1
}

do_stop() {
	daemon_stop "$1/unbound.pid" unbound
}

write_conf() {
	state=$1 addr=$2 port=$3
	shift 3
	{
		echo "# written by tests/lib/unbound.sh"
		echo "server:"
		echo "	interface: $addr@$port"
		echo "	port: $port"
		echo "	chroot: \"\""
		echo "	username: \"\""
		echo "	directory: \"$state\""
		echo "	pidfile: \"$state/unbound.pid\""
		echo "	logfile: \"$state/unbound.log\""
		echo "	use-syslog: no"
		echo "	verbosity: 1"
		echo "	do-daemonize: yes"
		echo "	num-threads: 1"
		echo "	outgoing-range: 64"
		echo "	num-queries-per-thread: 32"
		echo "	so-reuseport: no"
		echo "	do-not-query-localhost: no"
		echo "	access-control: 127.0.0.0/8 allow"
		echo "	access-control: ::1 allow"
		echo "	module-config: \"iterator\""
		echo "	hide-identity: yes"
		echo "	hide-version: yes"
		# Unbound answers some special-use names itself (test., invalid.,
		# onion., ... are NXDOMAIN): no default for the top-level label of
		# any stub zone.
		tlds=
		for z in "$@"; do
			n=${z%%=*}
			n=${n%.}
			tld=${n##*.}
			[ -n "$tld" ] || continue
			case " $tlds " in
			*" $tld "*) continue ;;
			esac
			tlds="$tlds $tld"
			echo "	local-zone: \"$tld.\" nodefault"
		done
		echo "remote-control:"
		echo "	control-enable: no"
		for z in "$@"; do
			echo "stub-zone:"
			echo "	name: \"${z%%=*}\""
			old_ifs=$IFS
			IFS=,
			for a in ${z#*=}; do
				echo "	stub-addr: $a"
			done
			IFS=$old_ifs
		done
	} >"$state/unbound.conf"
}

do_start() {
	[ $# -ge 4 ] || die "usage: $usage"
	state=$1 addr=$2 port=$3
	shift 3
	daemon_need "unbound, ldnsutils" unbound unbound-checkconf drill
	daemon_port "$port"
	case $addr in
	'' | *,* | *@*) die "bad address '$addr' (one address, no port)" ;;
	esac
	state=$(daemon_state "$state" unbound) || exit 1
	for z in "$@"; do
		case $z in
		?*=?*) ;;
		*) die "zone '$z' is not ZONE=IP@PORT[,IP@PORT...]" ;;
		esac
		old_ifs=$IFS
		IFS=,
		for a in ${z#*=}; do
			case $a in
			?*@[0-9]*) ;;
			*) IFS=$old_ifs
			   die "stub address '$a' of zone ${z%%=*} is not IP@PORT" ;;
			esac
		done
		IFS=$old_ifs
	done
	write_conf "$state" "$addr" "$port" "$@"
	msg=$(unbound-checkconf "$state/unbound.conf" 2>&1) ||
		die "unbound-checkconf $state/unbound.conf: $msg"
	rm -f "$state/unbound.pid" "$state/unbound.log"
	if ! msg=$(unbound -c "$state/unbound.conf" 2>&1); then
		log=$(tail -n 5 "$state/unbound.log" 2>/dev/null)
		die "unbound did not start: $msg $log"
	fi
	wait_s=${UNBOUND_WAIT:-10}
	i=0
	while :; do
		answers "$addr" "$port" && return 0
		i=$((i + 1))
		[ "$i" -le $((wait_s * 5)) ] || break
		running_pid "$state" >/dev/null || break
		nap
	done
	log=$(tail -n 5 "$state/unbound.log" 2>/dev/null)
	do_stop "$state" 2>/dev/null
	die "unbound in $state does not answer on $addr port $port: $log"
}

case ${1:-} in
start)
	shift
	do_start "$@"
	;;
stop)
	[ $# -eq 2 ] || die "usage: stop STATEDIR"
	[ -d "$2" ] || exit 0
	do_stop "$2"
	;;
*)
	die "usage: $usage"
	;;
esac
