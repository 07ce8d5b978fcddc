#!/bin/sh
# SPDX-License-Identifier: ISC
# pg.sh: a private PostgreSQL cluster for tests, on loopback, stopped by the
# test that started it.  No system service is touched.
#
#   sh tests/lib/pg.sh start DIR PORT   initdb in DIR/data (once), start on
#                                       127.0.0.1:PORT, create role and
#                                       database "fblscope"; prints the
#                                       libpq connection string
#   sh tests/lib/pg.sh stop DIR         fast shutdown, waits until gone
#   sh tests/lib/pg.sh kill DIR         immediate shutdown (a crash, for the
#                                       fault tests), waits until gone
#   sh tests/lib/pg.sh restart DIR      start again after stop/kill
#
# PostgreSQL refuses to run as root: as root the cluster belongs to the
# "postgres" user (from Debian's postgresql package) and DIR is handed to it.
set -eu

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
[ -x "$PGBIN/pg_ctl" ] || { echo "pg.sh: no PostgreSQL server binaries (install postgresql)" >&2; exit 1; }

as_owner() {
	if [ "$(id -u)" = 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

pg_start() {	# dir port
	dir=$1 port=$2
	mkdir -p "$dir"
	dir=$(cd "$dir" && pwd)
	if [ "$(id -u)" = 0 ]; then
		chown postgres "$dir"
		# the path down to dir must be searchable by postgres
		p=$dir
		while [ "$p" != / ] && [ -n "$p" ]; do
			chmod o+x "$p" 2>/dev/null || true
			p=$(dirname "$p")
		done
	fi
	if [ ! -f "$dir/data/PG_VERSION" ]; then
		as_owner "$PGBIN/initdb" -D "$dir/data" -U fblscope -A trust \
		    --no-sync -E UTF8 --locale=C > "$dir/initdb.log" 2>&1 ||
		    { echo "pg.sh: initdb failed, see $dir/initdb.log" >&2; exit 1; }
	fi
	echo "$port" > "$dir/port"
	[ "$(id -u)" = 0 ] && chown postgres "$dir/port"
	pg_up "$dir"
	as_owner "$PGBIN/psql" -h 127.0.0.1 -p "$port" -U fblscope -d postgres \
	    -Atqc "SELECT 1 FROM pg_database WHERE datname = 'fblscope'" |
	    grep -q 1 || as_owner "$PGBIN/createdb" -h 127.0.0.1 -p "$port" \
	    -U fblscope fblscope
	echo "host=127.0.0.1 port=$port user=fblscope dbname=fblscope"
}

pg_up() {	# dir
	dir=$1
	port=$(cat "$dir/port")
	as_owner "$PGBIN/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
	    -o "-c listen_addresses=127.0.0.1 -c port=$port \
	    -c unix_socket_directories='$dir' -c fsync=off \
	    -c synchronous_commit=off -c full_page_writes=off \
	    -c max_connections=40" start > /dev/null ||
	    { echo "pg.sh: server did not start, see $dir/server.log" >&2; exit 1; }
}

pg_down() {	# dir mode
	[ -f "$1/data/postmaster.pid" ] || return 0
	as_owner "$PGBIN/pg_ctl" -D "$1/data" -m "$2" -w -t 30 stop > /dev/null
}

cmd=${1:-}
case $cmd in
start)	[ $# -eq 3 ] || { echo "usage: pg.sh start DIR PORT" >&2; exit 2; }
	pg_start "$2" "$3" ;;
stop)	pg_down "$2" fast ;;
kill)	pg_down "$2" immediate ;;
restart) pg_up "$2" ;;
*)	echo "usage: pg.sh start DIR PORT | stop DIR | kill DIR | restart DIR" >&2
	exit 2 ;;
esac
