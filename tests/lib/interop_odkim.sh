# SPDX-License-Identifier: ISC
# interop_odkim.sh: build tests/interop/odkim.c (the libopendkim driver) and
# pick loopback ports for the interop and tamper tests.  Source it.
#
#   odkim=$(interop_odkim_build) || skip ...
#	builds (when missing or older than its source) and prints the path of
#	the odkim binary, $FBL_ROOT/tests/out/odkim/odkim by default (ODKIM_OUT);
#	fails, with the reason on stderr, when libopendkim-dev or ldns is
#	missing or the build fails.  Uses $CC (default cc).
#
#   port=$(interop_pick_port ADDR FIRST LAST)
#	prints the first port in FIRST..LAST free for both UDP and TCP on ADDR.

interop_odkim_build() {
	_src=$FBL_ROOT/tests/interop/odkim.c
	_out=${ODKIM_OUT:-$FBL_ROOT/tests/out/odkim/odkim}
	if [ -x "$_out" ] && [ -z "$(find "$_src" -newer "$_out")" ]; then
		printf '%s\n' "$_out"
		return 0
	fi
	if ! pkg-config --exists opendkim ldns 2>/dev/null; then
		echo "interop_odkim_build: pkg-config finds no opendkim or" \
		    "ldns (libopendkim-dev, libldns-dev)" >&2
		return 1
	fi
	mkdir -p "$(dirname "$_out")" || return 1
	# shellcheck disable=SC2046
	if ! ${CC:-cc} -std=c11 -D_DEFAULT_SOURCE -O2 -Wall -Wextra -Werror \
	    -o "$_out.tmp.$$" "$_src" \
	    $(pkg-config --cflags --libs opendkim ldns) -lcrypto >&2; then
		rm -f "$_out.tmp.$$"
		echo "interop_odkim_build: cannot build $_src" >&2
		return 1
	fi
	mv "$_out.tmp.$$" "$_out" && printf '%s\n' "$_out"
}

interop_pick_port() {
	"${PYTHON:-/usr/bin/python3}" - "$1" "$2" "$3" <<'EOF'
import socket, sys
addr, first, last = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
for port in range(first, last + 1):
    socks = []
    try:
        for kind in (socket.SOCK_DGRAM, socket.SOCK_STREAM):
            s = socket.socket(socket.AF_INET, kind)
            socks.append(s)
            s.bind((addr, port))
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(port)
    sys.exit(0)
sys.exit("interop_pick_port: no free port in %d-%d on %s" % (first, last, addr))
EOF
}
