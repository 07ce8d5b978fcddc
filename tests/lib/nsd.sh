#!/bin/sh
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

# Fractional sleeps are not POSIX; fall back to whole seconds.
nap() {
	sleep 0.2 2>/dev/null || sleep 1
}

abspath() {
	case $1 in
	/*) printf '%s\n' "$1" ;;
	*) printf '%s/%s\n' "$(pwd)" "$1" ;;
	esac
}

# The pid in STATEDIR/nsd.pid when that process is alive and is nsd.
running_pid() {
	pidfile=$1/nsd.pid
	[ -s "$pidfile" ] || return 1
	pid=$(head -n 1 "$pidfile" | tr -cd 0-9)
	[ -n "$pid" ] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	# nsd renames its processes ("nsd: xfrd"), so match the prefix only
	if [ -r "/proc/$pid/comm" ]; then
		case $(cat "/proc/$pid/comm") in
		nsd*) ;;
		*) return 1 ;;
		esac
	fi
	printf '%s\n' "$pid"
}

answers_soa() {
	# drill exits 0 on REFUSED too, so read the rcode and the answer
	out=$(drill -p "$3" "@$1" "$2" SOA 2>&1) || return 1
	printf '%s\n' "$out" | grep -q 'rcode: NOERROR' || return 1
	printf '%s\n' "$out" | grep -q 'IN[[:space:]]*SOA' || return 1
}

do_stop() {
	state=$1
	pid=$(running_pid "$state") || {
		rm -f "$state/nsd.pid"
		return 0
	}
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -eq 50 ]; then
			kill -9 "$pid" 2>/dev/null
		elif [ "$i" -gt 75 ]; then
			die "nsd (pid $pid) in $state does not go away"
		fi
		nap
	done
	rm -f "$state/nsd.pid"
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
	for c in nsd nsd-checkzone drill; do
		command -v "$c" >/dev/null 2>&1 ||
			die "$c is not installed (packages nsd, ldnsutils)"
	done
	case $port in
	'' | *[!0-9]*) die "bad port '$port'" ;;
	esac
	if [ "$port" -lt 1 ] || [ "$port" -gt 65535 ]; then
		die "bad port '$port'"
	fi
	[ -n "$addrs" ] || die "no address given"
	mkdir -p "$state" || die "cannot create $state"
	state=$(cd "$state" && pwd) || die "cannot enter $state"
	if pid=$(running_pid "$state"); then
		die "nsd already runs in $state (pid $pid)"
	fi
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
