# SPDX-License-Identifier: ISC
# daemon.sh: what nsd.sh and unbound.sh share (POSIX sh, sourced): a server
# started in the background with a pid file, and stopped for sure.
#
#   daemon_pid PIDFILE NAME    the pid in PIDFILE when that process is alive
#                              and its command starts with NAME
#   daemon_stop PIDFILE NAME   TERM, then KILL after 10 s; fails (die) after
#                              15 s; removes PIDFILE
# The caller defines die().

# Fractional sleeps are not POSIX; fall back to whole seconds.
nap() {
	sleep 0.2 2>/dev/null || sleep 1
}

daemon_pid() {
	[ -s "$1" ] || return 1
	pid=$(head -n 1 "$1" | tr -cd 0-9)
	[ -n "$pid" ] || return 1
	kill -0 "$pid" 2>/dev/null || return 1
	# daemons rename their processes ("nsd: xfrd"): match the prefix only
	if [ -r "/proc/$pid/comm" ]; then
		case $(cat "/proc/$pid/comm") in
		"$2"*) ;;
		*) return 1 ;;
		esac
	fi
	printf '%s\n' "$pid"
}

daemon_stop() {
	pid=$(daemon_pid "$1" "$2") || {
		rm -f "$1"
		return 0
	}
	kill "$pid" 2>/dev/null
	i=0
	while kill -0 "$pid" 2>/dev/null; do
		i=$((i + 1))
		if [ "$i" -eq 50 ]; then
			kill -9 "$pid" 2>/dev/null
		elif [ "$i" -gt 75 ]; then
			die "$2 (pid $pid, $1) does not go away"
		fi
		nap
	done
	rm -f "$1"
}

# daemon_need PACKAGES CMD...: die unless every CMD is installed.
daemon_need() {
	_pkgs=$1
	shift
	for c in "$@"; do
		command -v "$c" >/dev/null 2>&1 ||
			die "$c is not installed (packages $_pkgs)"
	done
}

# daemon_port PORT: die unless PORT is 1 to 65535.
daemon_port() {
	case $1 in
	'' | *[!0-9]*) die "bad port '$1'" ;;
	esac
	if [ "$1" -lt 1 ] || [ "$1" -gt 65535 ]; then
		die "bad port '$1'"
	fi
}

# daemon_state STATEDIR NAME: make STATEDIR, print its absolute path; die
# when a NAME already runs there.
daemon_state() {
	mkdir -p "$1" || die "cannot create $1"
	_abs=$(cd "$1" && pwd) || die "cannot enter $1"
	if pid=$(daemon_pid "$_abs/$2.pid" "$2"); then
		die "$2 already runs in $_abs (pid $pid)"
	fi
	printf '%s\n' "$_abs"
}
