#!/bin/sh
# SPDX-License-Identifier: ISC
# corpus_dkim.sh: fblscope verify over the DKIM corpus of other implementations'
# test suites ($FBL_CORPUS/dkim, see its README.md), judged against the
# expected.tsv column "strict" (RFC 6376 + RFC 8301 + RFC 8463 as of now).
#
# 1. zone files: each case verified once with --zone <its zone file>;
#    one line per signature row, "corpus/dkim/CASE#SIG"; rows whose strict
#    verdict is "?" are skipped (shown with what fblscope said).
#    The ASan+UBSan build runs every case too: "corpus/dkim-asan/CASE" (no
#    sanitizer report, same verdicts as the release build).
# 2. real DNS: each zone file made a root zone (SOA + NS prepended) and served
#    by its own NSD on 127.0.0.1 (the three files overlap), cases verified with
#    --resolver: "corpus/dkim-dns/CASE#SIG".  The two Mail::DKIM cases whose
#    key lookup the source makes fail (keys.zone's X-DNS-FAILURE comments) are
#    verified against a server that never answers (TIMEOUT) and one that
#    answers SERVFAIL, and must be temperror.  fblscope asks --resolver
#    directly (it follows no delegation), so these stand-ins replace the
#    delegations of blackhole{,2}.messiah.edu.
#
# Environment: see tests/lib/common.sh (FBL_BIN, FBL_ASAN_BIN, FBL_CORPUS,
# FBL_TMP, FBL_ROOT; FBL_NSD_SH overrides tests/lib/nsd.sh).  Needs nsd.sh and nsd for part 2, which is
# skipped (one "skip" line) without them.

. "$(dirname "$0")/../lib/common.sh"

HELPER=$FBL_ROOT/tests/lib/corpus_dkim.py
DKIM=$FBL_CORPUS/dkim
rc=0

if ! have_corpus dkim || [ ! -f "$DKIM/expected.tsv" ]; then
	skip corpus/dkim "no corpus"
	exit 0
fi

# --- 1. zone files ---------------------------------------------------------
"$PYTHON" "$HELPER" zone --corpus "$DKIM" --bin "$FBL_BIN" \
    --asan-bin "$FBL_ASAN_BIN" || rc=1

# --- 2. real DNS -----------------------------------------------------------
NSD_SH=${FBL_NSD_SH:-$FBL_ROOT/tests/lib/nsd.sh}
if [ ! -f "$NSD_SH" ]; then
	skip corpus/dkim-dns "tests/lib/nsd.sh is missing"
	exit $rc
fi
if ! need_cmd nsd && [ ! -x /usr/sbin/nsd ]; then
	skip corpus/dkim-dns "nsd is not installed"
	exit $rc
fi

ZDIR=$FBL_TMP/zones
zones=$("$PYTHON" "$HELPER" mkzones --corpus "$DKIM" "$ZDIR") || {
	not_ok corpus/dkim-dns/zones "could not build the root zones from $DKIM"
	exit 1
}

# Stand-ins for the broken servers of X-DNS-FAILURE (they exit by themselves
# after 600 s; stopped at exit by pid).
start_fake() { # MODE -> sets fake_addr
	_pf=$FBL_TMP/fake-$1.port
	"$PYTHON" "$HELPER" fakedns 127.0.0.1 "$1" "$_pf" 600 \
	    >"$FBL_TMP/fake-$1.log" 2>&1 &
	at_exit "kill $! 2>/dev/null"
	_i=0
	while [ ! -s "$_pf" ] && [ $_i -lt 50 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	if [ -s "$_pf" ]; then
		fake_addr=127.0.0.1@$(cat "$_pf")
	else
		fake_addr=
		not_ok "corpus/dkim-dns/fake-$1" "the $1 stand-in server did not start: $(tail -n 3 "$FBL_TMP/fake-$1.log" 2>/dev/null)"
		rc=1
	fi
}
start_fake blackhole
timeout_srv=$fake_addr
start_fake servfail
servfail_srv=$fake_addr

# One NSD per zone file, each serving it as "."; a port taken meanwhile by
# someone else gets another try on a new port.
set --
n=0
for z in $zones; do
	n=$((n + 1))
	state=$FBL_TMP/nsd$n
	started=
	for _ in 1 2 3; do
		port=$(free_port 127.0.0.1) || break
		rm -rf "$state"
		if sh "$NSD_SH" start "$state" 127.0.0.1 "$port" ".=$ZDIR/$z" \
		    >"$FBL_TMP/nsd$n.start.log" 2>&1; then
			started=1
			break
		fi
		sh "$NSD_SH" stop "$state" >/dev/null 2>&1 || true
	done
	if [ -n "$started" ]; then
		at_exit "sh '$NSD_SH' stop '$state' >/dev/null 2>&1"
		set -- "$@" --server "$z=127.0.0.1@$port"
	else
		not_ok "corpus/dkim-dns/nsd-$z" "tests/lib/nsd.sh start failed (its cases are skipped): $(tail -n 5 "$FBL_TMP/nsd$n.start.log" 2>/dev/null)"
		rc=1
	fi
done

"$PYTHON" "$HELPER" dns --corpus "$DKIM" --bin "$FBL_BIN" \
    ${timeout_srv:+--timeout-server "$timeout_srv"} \
    ${servfail_srv:+--servfail-server "$servfail_srv"} "$@" || rc=1

exit $rc
