#!/bin/sh
# SPDX-License-Identifier: ISC
# nsd.sh: run a real NSD on loopback for the tests (POSIX sh).
#
#   sh tests/lib/nsd.sh start STATEDIR ADDR[,ADDR...] PORT ORIGIN=ZONEFILE...
#   sh tests/lib/nsd.sh stop STATEDIR
#
# start writes STATEDIR/nsd.conf, checks every zone with nsd-checkzone,
# starts nsd and waits (at most NSD_WAIT seconds, default 10) until every
# address answers a SOA query for the first origin.  Silent on success; on
# failure it says why on stderr (with the end of STATEDIR/nsd.log when nsd
# itself complained) and exits non-zero, leaving no nsd behind.
# ORIGIN may be "." for a root zone holding absolute names (the zone file
# must carry the SOA and NS).  ADDR may be IPv6 (::1).
#
# stop kills the nsd whose pid is in STATEDIR/nsd.pid and waits until it is
# gone.  It is quiet and succeeds when nothing runs there.

set -u

prog=nsd.sh
usage="start STATEDIR ADDR[,ADDR...] PORT ORIGIN=ZONEFILE... | stop STATEDIR"
# nsd lives in /usr/sbin, which an unprivileged user's PATH may lack
PATH=$PATH:/usr/sbin:/sbin

die() {
	echo "$prog: $*" >&2
	exit 1
}

# shellcheck source=tests/lib/daemon.sh
. "$(dirname "$0")/daemon.sh"

abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

# The pid in STATEDIR/nsd.pid when that process is alive and is nsd.
running_pid() {
	daemon_pid "$1/nsd.pid" nsd
}

answers_soa() {
	# drill exits 0 on REFUSED too, so read the rcode and the answer
	out=$(drill -p "$3" "@$1" "$2" SOA 2>&1) || return 1
	printf '%s\n' "$out" | grep -q 'rcode: NOERROR' || return 1
	printf '%s\n' "$out" | grep -q 'IN[[:space:]]*SOA' || return 1
}

do_stop() {
	daemon_stop "$1/nsd.pid" nsd
}

write_conf() {
	state=$1 addrs=$2 port=$3
	shift 3
	{
		echo "# written by tests/lib/nsd.sh"
		echo "server:"
		old_ifs=$IFS
		IFS=,
		for a in $addrs; do
			echo "	ip-address: $a@$port"
		done
		IFS=$old_ifs
		echo "	port: $port"
		echo "	username: \"\""
		echo "	chroot: \"\""
		echo "	zonesdir: \"$state\""
		echo "	pidfile: \"$state/nsd.pid\""
		echo "	database: \"\""
		echo "	zonelistfile: \"$state/zone.list\""
		echo "	xfrdfile: \"$state/xfrd.state\""
		echo "	xfrdir: \"$state\""
		echo "	logfile: \"$state/nsd.log\""
		echo "	verbosity: 1"
		echo "	server-count: 1"
		echo "	hide-version: yes"
		echo "	zonefiles-write: 0"
		echo "remote-control:"
		echo "	control-enable: no"
		for z in "$@"; do
			echo "zone:"
			echo "	name: \"${z%%=*}\""
			echo "	zonefile: \"$(abspath "${z#*=}")\""
		done
	} >"$state/nsd.conf"
}

do_start() {
	[ $# -ge 4 ] || die "usage: $usage"
	state=$1 addrs=$2 port=$3
	shift 3
	daemon_need "nsd, ldnsutils" nsd nsd-checkzone drill
	daemon_port "$port"
	[ -n "$addrs" ] || die "no address given"
	state=$(daemon_state "$state" nsd) || exit 1
	first=
	for z in "$@"; do
		case $z in
		*=*) ;;
		*) die "zone '$z' is not ORIGIN=ZONEFILE" ;;
		esac
		origin=${z%%=*} file=${z#*=}
		[ -n "$origin" ] || die "empty origin in '$z'"
		[ -r "$file" ] ||
			die "zone file $file (origin $origin) is not readable"
		msg=$(nsd-checkzone "$origin" "$file" 2>&1) ||
			die "zone $origin in $file: $msg"
		[ -n "$first" ] || first=$origin
	done
	write_conf "$state" "$addrs" "$port" "$@"
	rm -f "$state/nsd.pid" "$state/nsd.log"
	if ! msg=$(nsd -c "$state/nsd.conf" 2>&1); then
		log=$(tail -n 5 "$state/nsd.log" 2>/dev/null)
		die "nsd did not start: $msg $log"
	fi
	wait_s=${NSD_WAIT:-10}
	i=0
	old_ifs=$IFS
	while :; do
		ready=yes
		IFS=,
		for a in $addrs; do
			IFS=$old_ifs
			if ! answers_soa "$a" "$first" "$port"; then
				ready=no
				break
			fi
		done
		IFS=$old_ifs
		[ "$ready" = yes ] && return 0
		i=$((i + 1))
		[ "$i" -le $((wait_s * 5)) ] || break
		running_pid "$state" >/dev/null || break
		nap
	done
	log=$(tail -n 5 "$state/nsd.log" 2>/dev/null)
	do_stop "$state" 2>/dev/null
	die "nsd in $state does not answer SOA $first on $addrs" \
	    "port $port: $log"
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
