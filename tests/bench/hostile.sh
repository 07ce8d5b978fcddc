#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/hostile.sh: the hostile-input rows of `make bench` (issue 11):
# for each class of attacker-made input, fblscope's CPU time and peak RSS
# beside the same command on an ordinary input, in one run, pinned to one
# core.  Figures, never pass/fail (tests/integration/hostile_*.sh assert
# the bounds).  Writes build/bench/out/hostile.txt; run.sh prints it.
#
# Environment: BENCH_CPU (default 0), BENCH_FBLSCOPE (default ./fblscope),
# BENCH_HOSTILE_MB (the big header field, default 50).
set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
FBL=${BENCH_FBLSCOPE:-$root/fblscope}
CPU=${BENCH_CPU:-0}
MB=${BENCH_HOSTILE_MB:-50}
PY=/usr/bin/python3
B=$root/build/bench/hostile
OUT=$root/build/bench/out
mkdir -p "$B" "$OUT" || exit 2
PIN=""
command -v taskset >/dev/null 2>&1 && PIN="taskset -c $CPU"
warn() { printf 'bench/hostile: %s\n' "$*" >&2; }
[ -x /usr/bin/time ] || { warn "/usr/bin/time missing"; exit 2; }

# ---- inputs (made once) --------------------------------------------------
if [ ! -f "$B/.done" ]; then
	rm -rf "$B"/*
	"$FBL" keygen --domain example.com --selector sel --out "$B/k" >/dev/null &&
	    "$PY" "$root/tests/lib/hostile_keys.py" "$B" &&
	    cat "$B/k.zone" >> "$B/keys.zone" &&
	    mkdir -p "$B/mail" &&
	    "$PY" "$root/tests/lib/hostile_mail.py" "$B/mail" "$MB" &&
	    "$PY" - "$B" <<'PY' || { warn "cannot make the inputs"; exit 2; }
import sys
b = sys.argv[1]
# a plain failing message (30 KB) and one with a short z=
body = b'A line of an ordinary newsletter, nothing more.\r\n' * 600
sig = (b'DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed; d=example.com; '
       b's=sel; h=from:subject; bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; ')
bv = b'b=' + b'QUFB' * 86 + b'\r\n'
open(b + '/plain.eml', 'wb').write(sig + bv + b'From: a@example.com\r\n'
    b'Subject: news\r\n\r\n' + body)
open(b + '/plain32.eml', 'wb').write((sig + bv) * 32 + b'From: a@example.com\r\n'
    b'Subject: news\r\n\r\n' + body)
z = b'|'.join(b'X-F%d:=20v' % i for i in range(10))
open(b + '/zsmall.eml', 'wb').write(sig + b'z=' + z + b'; ' + bv +
    b''.join(b'X-F%d: w\r\n' % i for i in range(10)) +
    b'From: a@example.com\r\nSubject: news\r\n\r\n' + body)
# mbox: 20 MB of "From x Mon Mon ..." lines, and 20 MB of plain messages
open(b + '/hostile.mbox', 'wb').write((b'From x ' + b'Mon ' * 250 + b'\n\n') * 20000)
open(b + '/plain.mbox', 'wb').write((b'From a@b Mon Jan  1 00:00:00 2024\n'
    b'Subject: x\n\n' + b'body line of text here\n' * 40 + b'\n') * 20000)
PY
	touch "$B/.done"
fi
msg() {	# selector domain file
	printf 'DKIM-Signature: v=1; a=rsa-sha256; d=%s; s=%s; h=from;\r\n bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA\r\nFrom: a@%s\r\n\r\nbody\r\n' "$2" "$1" "$2" > "$3"
}
msg empty60k hostile.example "$B/dns-hostile.eml"
msg plain hostile.example "$B/dns-plain.eml"
# 32 signatures whose keys sit behind a server that never answers
: > "$B/silent32.eml"
k=0
while [ "$k" -lt 32 ]; do
	printf 'DKIM-Signature: v=1; a=rsa-sha256; d=d%d.hostile.example; s=silent%d; h=from;\r\n bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA\r\n' "$k" "$k" >> "$B/silent32.eml"
	k=$((k + 1))
done
printf 'From: a@hostile.example\r\n\r\nbody\r\n' >> "$B/silent32.eml"

CFLAGS_B="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2"
cc $CFLAGS_B -I"$root" -o "$B/mbox_scan" "$here/mbox_scan.c" \
    "$root/fbl/source/mbox.c" "$root/base/buf.c" || { warn "mbox_scan"; exit 2; }

# ---- the attacker's DNS server -------------------------------------------
PORT=$("$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
"$PY" "$root/tests/lib/hostile_dns.py" 127.0.0.1 "$PORT" "$B/queries.log" 2>/dev/null &
SERVER=$!
trap 'kill $SERVER 2>/dev/null' EXIT
sleep 1

# measure NAME COMMAND...: "cpu_s rss_mb" of one pinned run
measure() {
	_n=$1
	shift
	/usr/bin/time -f '%U %S %M %e' -o "$B/$_n.time" $PIN "$@" \
	    >"$B/$_n.out" 2>"$B/$_n.err"
	tail -n 1 "$B/$_n.time" | awk '{ printf "%.2f %.0f", $1 + $2, $3 / 1024 }'
}
wall() { tail -n 1 "$B/$1.time" | awk '{ printf "%.1f", $4 }'; }
row() {	# class, hostile input, its figures, plain input, its figures
	printf '  %-8s %-38s %6s s %5s MB   %-26s %6s s %5s MB\n' "$1" "$2" \
	    "${3% *}" "${3#* }" "$4" "${5% *}" "${5#* }"
}

Z="--zone $B/keys.zone"
K1=$(measure key-h "$FBL" verify --explain $Z "$B/huge16384e1.eml")
K0=$(measure key-p "$FBL" verify --explain $Z "$B/plain.eml")
K2=$(measure key-e "$FBL" verify --explain $Z "$B/e3071bits.eml")
D1=$(measure dns-h "$FBL" verify --resolver "127.0.0.1@$PORT" "$B/dns-hostile.eml")
D0=$(measure dns-p "$FBL" verify --resolver "127.0.0.1@$PORT" "$B/dns-plain.eml")
S1=$(measure dns-s "$FBL" verify --resolver "127.0.0.1@$PORT" "$B/silent32.eml")
E1=$(measure exp-h "$FBL" verify --explain $Z "$B/mail/bigfield.eml")
E0=$(measure exp-p "$FBL" verify --explain $Z "$B/plain32.eml")
E2=$(measure exp-n "$FBL" verify $Z "$B/mail/bigfield.eml")
Z1=$(measure z-h "$FBL" verify --explain $Z "$B/mail/zmillion.eml")
Z0=$(measure z-p "$FBL" verify --explain $Z "$B/zsmall.eml")
M1=$(measure mbox-h "$B/mbox_scan" "$B/hostile.mbox")
M0=$(measure mbox-p "$B/mbox_scan" "$B/plain.mbox")
{
	echo ""
	echo "  hostile inputs (tests/bench/hostile.sh; CPU time and peak RSS, one core):"
	printf '  %-8s %-38s %15s   %-26s %15s\n' class "hostile input" "" "ordinary input" ""
	row key "16,384-bit key, e=1, --explain" "$K1" "2,048-bit key, --explain" "$K0"
	row key "3,071-bit exponent, --explain" "$K2" "2,048-bit key, --explain" "$K0"
	row dns "TXT of 60,000 empty strings" "$D1" "one ordinary TXT" "$D0"
	row dns "32 sigs, server never answers" "$S1" "one ordinary TXT" "$D0"
	echo "           (the 32 silent signatures: $(wall dns-s) s of wall-clock time; the"
	echo "            message's DNS budget is 5 s: docs/security.md)"
	row explain "${MB} MiB field x 32 sigs, --explain" "$E1" "30 KB x 32 sigs, --explain" "$E0"
	row explain "${MB} MiB field x 32 sigs, no --explain" "$E2" "30 KB x 32 sigs, --explain" "$E0"
	row z "z= of 1,000,000 entries, --explain" "$Z1" "z= of 10 entries" "$Z0"
	row mbox "20 MB of \"From x Mon Mon ...\"" "$M1" "20 MB of plain messages" "$M0"
	echo "  (bounds and what they replace: docs/security.md)"
} > "$OUT/hostile.txt"
[ "${BENCH_HOSTILE_NO_TABLE:-}" = 1 ] || cat "$OUT/hostile.txt"
exit 0
