#!/bin/sh
# SPDX-License-Identifier: ISC
# Build samples/gen_mailbox.c and generate the feedback-loop mailbox: keys,
# zone files, a config fragment, a Maildir, the same messages as one mbox, and
# the manifest (see samples/README.md).  Deterministic: the same COUNT and
# SEED give the same bytes on every machine.  Keys are cached under OUT.
#
#   sh samples/mailbox.sh [OUT [COUNT [SEED]]]     (from the repository root)
#
# OUT defaults to build/samples/mailbox, COUNT to 10000, SEED to 1.
# CC, CFLAGS and PKG_CONFIG are honoured.
set -eu

ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${1:-$ROOT/build/samples/mailbox}
COUNT=${2:-10000}
SEED=${3:-1}
CC=${CC:-cc}
PKG_CONFIG=${PKG_CONFIG:-pkg-config}
BIN=$ROOT/build/samples/gen_mailbox
SAMPLES=$ROOT/samples
# the generator's parts (gen_mailbox.h says which does what), then genlib
set -- "$SAMPLES/gen_mailbox.c" "$SAMPLES/gen_mailbox_keys.c" \
    "$SAMPLES/gen_mailbox_sign.c" "$SAMPLES/gen_mailbox_volumes.c" \
    "$SAMPLES/genlib.c"

mkdir -p "$ROOT/build/samples"
if [ ! -x "$BIN" ] ||
    [ -n "$(find "$@" "$SAMPLES/gen_mailbox.h" "$SAMPLES/genlib.h" \
    -newer "$BIN")" ]; then
	# shellcheck disable=SC2046,SC2086
	$CC -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	    -Wall -Wextra -Werror -O2 ${CFLAGS:-} \
	    $($PKG_CONFIG --cflags libcrypto) -I"$SAMPLES" -o "$BIN.tmp" \
	    "$@" \
	    $($PKG_CONFIG --libs libcrypto)
	mv -f "$BIN.tmp" "$BIN"
fi

# Start from a clean output (but keep the key cache: making keys is the slow
# part), so that a smaller COUNT does not leave old messages behind.
mkdir -p "$OUT"
rm -rf "$OUT/Maildir" "$OUT/mailbox.mbox" "$OUT/manifest.tsv" \
    "$OUT/keys.zone" "$OUT/archived-keys.zone" "$OUT/fblscope.conf" \
    "$OUT/volumes.csv"
"$BIN" -o "$OUT" -n "$COUNT" -s "$SEED"
