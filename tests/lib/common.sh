# SPDX-License-Identifier: ISC
# common.sh: shared helpers for tests/integration/*.sh (POSIX sh; source it).
#
#   . "$(dirname "$0")/../lib/common.sh"
#
# Line protocol (tests/run.sh counts these lines on standard output):
#   ok NAME
#   not ok NAME: what differed
#   skip NAME: why
# Anything else on stdout is ignored by the counter; put chatter on stderr.
#
# Environment, set by tests/run.sh and given defaults here so that a script can
# also be run by hand from anywhere (sh tests/integration/x.sh):
#   FBL_ROOT      repo root (absolute)
#   FBL_BIN       the fblscope binary to test (default $FBL_ROOT/fblscope)
#   FBL_ASAN_BIN  the ASan+UBSan build (default $FBL_ROOT/build/asan/fblscope)
#   FBL_CORPUS    read-only corpus (default $FBL_ROOT/../shared/corpus)
#   FBL_TMP       a scratch directory of this script's own (made here when
#                 unset, and then removed at exit)
#   PYTHON        /usr/bin/python3 (never a python3 found on PATH)
#
# Functions:
#   ok NAME / not_ok NAME WHY... / skip NAME WHY...   print one line, count it
#   check_eq NAME GOT WANT [NOTE]   ok when GOT = WANT, else not ok with both
#   at_exit 'COMMAND'               run COMMAND at exit (also on INT/TERM),
#                                   last registered first
#   need_cmd CMD...                 true when every CMD is on PATH
#   have_corpus [SUBDIR]            true when $FBL_CORPUS[/SUBDIR] exists
#   free_port [ADDR]                print a TCP+UDP port free on ADDR (default
#                                   127.0.0.1), from 20000-59999
#   wait_port ADDR PORT [SECONDS]   wait until something accepts TCP there
#   fbl_done                        exit status: 1 if any not_ok, else 0
#                                   (end a script with: fbl_done; exit $?
#                                    or just: exit $(fbl_status))

if [ -z "${FBL_ROOT:-}" ]; then
	FBL_ROOT=$(cd "$(dirname "$0")/../.." && pwd)
fi
case $FBL_ROOT in /*) ;; *) FBL_ROOT=$(cd "$FBL_ROOT" && pwd) ;; esac
: "${FBL_BIN:=$FBL_ROOT/fblscope}"
: "${FBL_ASAN_BIN:=$FBL_ROOT/build/asan/fblscope}"
: "${FBL_CORPUS:=$FBL_ROOT/../shared/corpus}"
: "${PYTHON:=/usr/bin/python3}"
export FBL_ROOT FBL_BIN FBL_ASAN_BIN FBL_CORPUS PYTHON

# fblscope finds its configuration by --config, else $FBLSCOPE_CONFIG, else
# /etc/fblscope.conf.  A test that gives no --config gets an empty one (no
# customers, no ESP token), never the machine's or the caller's own file;
# tests/integration/config_rule.sh unsets it on purpose.
FBLSCOPE_CONFIG=$FBL_ROOT/tests/integration/data/empty.conf
export FBLSCOPE_CONFIG

FBL_N_OK=0
FBL_N_FAIL=0
FBL_N_SKIP=0
FBL_AT_EXIT=

ok() {
	FBL_N_OK=$((FBL_N_OK + 1))
	printf 'ok %s\n' "$1"
}

not_ok() {
	_n=$1
	shift
	FBL_N_FAIL=$((FBL_N_FAIL + 1))
	printf 'not ok %s: %s\n' "$_n" "$*"
}

skip() {
	_n=$1
	shift
	FBL_N_SKIP=$((FBL_N_SKIP + 1))
	printf 'skip %s: %s\n' "$_n" "$*"
}

check_eq() {
	if [ "$2" = "$3" ]; then
		ok "$1"
	else
		not_ok "$1" "got '$2', want '$3'${4:+ ($4)}"
	fi
}

at_exit() {
	FBL_AT_EXIT="$1
$FBL_AT_EXIT"
}

fbl_run_at_exit() {
	_cmds=$FBL_AT_EXIT
	FBL_AT_EXIT=
	[ -n "$_cmds" ] || return 0
	# One command per line, newest first; a failing one does not stop the rest.
	printf '%s\n' "$_cmds" | while IFS= read -r _c; do
		[ -n "$_c" ] && (eval "$_c") || true
	done
}

trap 'fbl_run_at_exit' EXIT
trap 'fbl_run_at_exit; trap - EXIT; exit 130' INT
trap 'fbl_run_at_exit; trap - EXIT; exit 143' TERM
trap 'fbl_run_at_exit; trap - EXIT; exit 129' HUP
trap 'fbl_run_at_exit; trap - EXIT; exit 141' PIPE

if [ -z "${FBL_TMP:-}" ]; then
	FBL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/fbl-test.XXXXXX")
	at_exit "rm -rf '$FBL_TMP'"
fi
mkdir -p "$FBL_TMP"
export FBL_TMP

need_cmd() {
	for _c in "$@"; do
		command -v "$_c" >/dev/null 2>&1 || return 1
	done
	return 0
}

have_corpus() {
	[ -d "$FBL_CORPUS${1:+/$1}" ]
}

# free_port [ADDR...]: a port free for TCP and UDP on every ADDR (default
# 127.0.0.1), for servers that share one port on several addresses.
free_port() {
	[ $# -gt 0 ] || set -- 127.0.0.1
	"$PYTHON" - "$@" <<'EOF'
import random, socket, sys
for _ in range(200):
    port = random.randint(20000, 59999)
    socks = []
    try:
        for addr in sys.argv[1:]:
            for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
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
sys.exit("free_port: no port free on all of %s" % " ".join(sys.argv[1:]))
EOF
}

wait_port() {
	"$PYTHON" - "$1" "$2" "${3:-10}" <<'EOF'
import socket, sys, time
addr, port, limit = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
end = time.time() + limit
while time.time() < end:
    try:
        socket.create_connection((addr, port), timeout=0.5).close()
        sys.exit(0)
    except OSError:
        time.sleep(0.1)
sys.exit(1)
EOF
}

fbl_status() {
	if [ "$FBL_N_FAIL" -gt 0 ]; then echo 1; else echo 0; fi
}

fbl_done() {
	[ "$FBL_N_FAIL" -eq 0 ]
}
