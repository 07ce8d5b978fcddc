#!/bin/sh
# SPDX-License-Identifier: ISC
# tamper.sh: fblscope's verdict (RFC 8601 result word and reason code) on
# signed messages altered the ways feedback reports and forgers alter them,
# and on signatures whose key or tags are wrong.
#
# The originals are signed by dkimpy (independent of fblscope); each altered
# copy is made here with sed/printf, and dkimpy is asked first whether the
# originals verify and the altered copies do not (so that a wrong verdict
# below is fblscope's).  Every case is checked twice: through a real DNS
# server (NSD on loopback, --resolver, one fblscope run per message, exit
# status checked too) and through --zone (one run over all messages).
#
# Expected verdicts, written from RFC 6376 / 8301 / 8463 and the project's
# result model (DESIGN.md section 4), not from fblscope's output:
#
#   case                           result     reason               header
#   original                       pass       ok                   true
#   ed25519 original               pass       ok                   true
#   body changed                   fail       body-hash-mismatch
#   body appended, no l=           fail       body-hash-mismatch
#   body appended, l= signed       pass       ok
#   signed Subject changed         fail       signature-mismatch
#   From added above, h= From once policy     from-duplicated
#   From added above, From oversigned fail    signature-mismatch
#   headers only (body and blank line gone)
#                                  neutral    headers-only         true
#   headers only, Subject changed  neutral    headers-only         false
#   key record with empty p=       permerror  key-revoked
#   no key record                  permerror  key-not-found
#   512-bit RSA key                permerror  key-too-small
#   a=rsa-sha1                     permerror  algorithm-forbidden
#   x= in the past                 permerror  expired
#     ... with --at before x=      pass       ok                   true
#   duplicate d= tag               permerror  tag-syntax
#   "bh" without "="               permerror  tag-syntax
#   key record in 40-byte strings  pass       ok
#   DNS server stopped             temperror  dns-timeout (never fail)
#
# Environment: FBL_BIN, FBL_ROOT, FBL_TMP (tests/lib/common.sh); FBL_NSD_SH
# overrides tests/lib/nsd.sh; FBL_KEYDIR the key cache.  NSD listens on
# 127.0.0.42 at a port in 5450-5459.

set -u

: "${FBL_ROOT:=$(cd "$(dirname "$0")/../.." && pwd)}"
. "$FBL_ROOT/tests/lib/common.sh"
: "${FBL_BIN:=$FBL_ROOT/fblscope}"
PY=${PYTHON:-/usr/bin/python3}
TOOL=$FBL_ROOT/tests/interop/dkimpy_tool.py
SIGS=$FBL_ROOT/tests/lib/interop_sigs.py
NSD_SH=${FBL_NSD_SH:-$FBL_ROOT/tests/lib/nsd.sh}
. "$FBL_ROOT/tests/lib/keys.sh"
. "$FBL_ROOT/tests/lib/interop_odkim.sh"

W=$FBL_TMP/tamper
M=$W/msg
mkdir -p "$M" || exit 2
ORIGIN=example.test
NSADDR=127.0.0.42
NOW=$(date +%s)

if ! [ -x "$FBL_BIN" ]; then
	not_ok fblscope-binary "$FBL_BIN is not an executable (build it first)"
	fbl_done
	exit $?
fi
if ! "$PY" -c 'import dkim, nacl.signing, dns.zone' 2>"$W/py.err"; then
	not_ok dkimpy-available "$PY cannot import dkim, nacl, dns:" \
	    "$(head -1 "$W/py.err")"
	fbl_done
	exit $?
fi

# --- keys and zone -------------------------------------------------------------

for k in rsa512 rsa2048 ed25519; do
	case $k in
	rsa*)	keys_gen rsa "${k#rsa}" "$k" >/dev/null ;;
	*)	keys_gen ed25519 256 "$k" >/dev/null ;;
	esac || { not_ok "keygen-$k" "openssl could not make the key"; exit 1; }
done
KD=$(keys_dir)
{
	keys_zone "$ORIGIN." rsa2048="$KD/rsa2048.pem" \
	    ed25519="$KD/ed25519.pem" rsa512="$KD/rsa512.pem"
	# Revoked: the record is there, its p= is empty (RFC 6376 3.6.1).
	keys_zoneline revoked._domainkey "v=DKIM1; k=rsa; p="
	# The rsa2048 record again, cut into many 40-byte strings.
	keys_zoneline split._domainkey "$(keys_record "$KD/rsa2048.pem")" 40
	# nokey._domainkey is deliberately absent.
} >"$W/zone" || exit 1
check_eq zone-split-strings \
    "$(grep -c '^split._domainkey .*" "' "$W/zone")" 1 \
    "the split record is there with several strings"

# --- DNS server ----------------------------------------------------------------

have_dns=
NSDIR=$W/nsd
if ! [ -f "$NSD_SH" ]; then
	skip nsd-start "$NSD_SH not found"
elif ! PORT=$(interop_pick_port $NSADDR 5450 5459); then
	skip nsd-start "no free port in 5450-5459 on $NSADDR"
elif sh "$NSD_SH" start "$NSDIR" $NSADDR "$PORT" "$ORIGIN.=$W/zone" \
    >"$W/nsd.out" 2>&1; then
	at_exit "sh '$NSD_SH' stop '$NSDIR' >/dev/null 2>&1"
	have_dns=1
	RESOLVER=$NSADDR@$PORT
	ok nsd-start
else
	at_exit "sh '$NSD_SH' stop '$NSDIR' >/dev/null 2>&1"
	not_ok nsd-start "$(tail -3 "$W/nsd.out" | tr '\n' ' ')"
fi

# --- originals, signed by dkimpy ----------------------------------------------

sh "$FBL_ROOT/tests/lib/interop_message.sh" "$ORIGIN" >"$W/unsigned.eml"
H=from:to:subject:date:message-id

# shq WORD: WORD quoted for the shell (and for dkimpy_tool.py batch).
shq() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# dsign OUT SELECTOR KEY [dkimpy sign options]: queue the signing of the
# unsigned message; dkimpy runs all the jobs in one process below.
: >"$W/sign.jobs"
: >"$W/sign.list"
dsign() {
	_o=$1 _s=$2 _k=$3
	shift 3
	printf 'sign --domain %s --selector %s --key %s --canon relaxed/relaxed' \
	    "$ORIGIN" "$_s" "$(shq "$KD/$_k.pem")" >>"$W/sign.jobs"
	printf ' %s' "$@" --out "$(shq "$M/$_o.eml")" \
	    "$(shq "$W/unsigned.eml")" >>"$W/sign.jobs"
	echo >>"$W/sign.jobs"
	echo "$_o" >>"$W/sign.list"
}
dsign original rsa2048 rsa2048 --headers "$H"
dsign original-l rsa2048 rsa2048 --headers "$H" --length
dsign original-oversigned rsa2048 rsa2048 --headers "from:$H"
dsign ed25519 ed25519 ed25519 --algorithm ed25519-sha256 --headers "$H"
dsign key-revoked revoked rsa2048 --headers "$H"
dsign key-not-found nokey rsa2048 --headers "$H"
dsign key-too-small rsa512 rsa512 --headers "$H"
dsign rsa-sha1 rsa2048 rsa2048 --algorithm rsa-sha1 --headers "$H"
dsign expired rsa2048 rsa2048 --headers "$H" \
    --timestamp $((NOW - 172800)) --expire $((NOW - 86400))
dsign split-record split rsa2048 --headers "$H"
"$PY" "$TOOL" batch <"$W/sign.jobs" >"$W/sign.out" 2>"$W/sign.err"
while read -r o; do
	if ! [ -s "$M/$o.eml" ]; then
		not_ok "sign-$o" "dkimpy: $(grep -F "$o.eml" "$W/sign.err" |
		    head -1) $(tail -1 "$W/sign.err")"
		rm -f "$M/$o.eml"
	fi
done <"$W/sign.list"

# --- altered copies ---------------------------------------------------------------

FROM2='From: Mallory <mallory@evil.example>\r\n'
FOOTER='\r\n-- \r\nThis line was appended by a mailing list.\r\n'

# The header block (up to, not including, the empty line).
head_of() { sed -n '/^\r*$/q;p' "$1"; }

if [ -f "$M/original.eml" ]; then
	sed 's/^Kind regards,/Kind regards!/' "$M/original.eml" \
	    >"$M/body-changed.eml"
	{ cat "$M/original.eml"; printf '%b' "$FOOTER"; } >"$M/body-appended.eml"
	sed 's/^Subject: Your February/Subject: Your March/' \
	    "$M/original.eml" >"$M/subject-changed.eml"
	{ printf '%b' "$FROM2"; cat "$M/original.eml"; } >"$M/from-added.eml"
	head_of "$M/original.eml" >"$M/headers-only.eml"
	head_of "$M/subject-changed.eml" >"$M/headers-only-changed.eml"
	# A tag list with d= twice (RFC 6376 3.2: the whole list is invalid).
	awk '!done && sub(/d=example\.test;/, "d=example.test; d=example.test;") {
		done = 1 } { print }' "$M/original.eml" >"$M/tag-duplicate-d.eml"
	# "bh" followed by its value but no "=".
	sed 's/^\([ \t]*\)bh=/\1bh /; s/; bh=/; bh /' "$M/original.eml" \
	    >"$M/tag-bh-no-equals.eml"
	cp "$M/original.eml" "$M/dns-stopped.eml"
fi
[ -f "$M/expired.eml" ] && cp "$M/expired.eml" "$M/expired-at.eml"
[ -f "$M/original-l.eml" ] &&
    { cat "$M/original-l.eml"; printf '%b' "$FOOTER"; } >"$M/body-appended-l.eml"
[ -f "$M/original-oversigned.eml" ] &&
    { printf '%b' "$FROM2"; cat "$M/original-oversigned.eml"; } \
    >"$M/from-added-oversigned.eml"

# Each alteration must have changed what it meant to change.
altered() {
	if ! [ -f "$M/$2.eml" ]; then
		not_ok "made-$2" "no original to alter"
	elif cmp -s "$M/$1.eml" "$M/$2.eml"; then
		not_ok "made-$2" "the copy equals $1.eml: the edit did nothing"
	elif [ -n "${3:-}" ] && ! grep -q -- "$3" "$M/$2.eml"; then
		not_ok "made-$2" "the copy lacks '$3'"
	else
		ok "made-$2"
	fi
}
altered original body-changed 'Kind regards!'
altered original subject-changed 'Subject: Your March'
altered original tag-duplicate-d 'd=example.test; d=example.test;'
altered original tag-bh-no-equals 'bh [A-Za-z0-9+/]'
altered original headers-only
if [ -f "$M/headers-only.eml" ]; then
	# Nothing after the header block: no empty line, no body.
	check_eq made-headers-only-no-body \
	    "$(grep -c '^\r*$' "$M/headers-only.eml")/$(tail -c 2 \
	    "$M/headers-only.eml" | od -An -c | tr -d ' ')" '0/\r\n' \
	    "empty lines / last two bytes"
fi
if [ -f "$M/from-added.eml" ]; then
	check_eq made-from-added \
	    "$(head_of "$M/from-added.eml" | grep -ci '^from:')" 2 "From fields"
fi

# Independent evidence: dkimpy passes the originals, fails the altered ones
# (one dkimpy run over all of them).
EV_PASS="original original-l original-oversigned ed25519 split-record
body-appended-l"
EV_FAIL="body-changed body-appended subject-changed from-added-oversigned
key-revoked key-not-found"
set --
for c in $EV_PASS $EV_FAIL; do
	[ -f "$M/$c.eml" ] && set -- "$@" "$M/$c.eml"
done
"$PY" "$TOOL" verify --zone "$W/zone" "$@" >"$W/ev.out" 2>&1 </dev/null
for want in pass fail; do
	if [ $want = pass ]; then list=$EV_PASS; else list=$EV_FAIL; fi
	for c in $list; do
		[ -f "$M/$c.eml" ] || continue
		# One signature each: its line says pass or fail.
		line=$(grep -F "$M/$c.eml: " "$W/ev.out" | head -1)
		got=$(printf '%s\n' "$line" |
		    sed -n 's/^.*\.eml: \([a-z]*\).*/\1/p')
		check_eq "dkimpy-says-$want/$c" "$got" "$want" "$line"
	done
done

# --- fblscope's verdicts ----------------------------------------------------------

# CASE RESULT REASON [HEADER_VERIFIED] [EXTRA VERIFY OPTIONS...]
CASES="original pass ok true
ed25519 pass ok true
body-changed fail body-hash-mismatch
body-appended fail body-hash-mismatch
body-appended-l pass ok true
subject-changed fail signature-mismatch
from-added policy from-duplicated
from-added-oversigned fail signature-mismatch
headers-only neutral headers-only true
headers-only-changed neutral headers-only false
key-revoked permerror key-revoked
key-not-found permerror key-not-found
key-too-small permerror key-too-small
rsa-sha1 permerror algorithm-forbidden
expired permerror expired
expired-at pass ok true --at $((NOW - 129600))
tag-duplicate-d permerror tag-syntax
tag-bh-no-equals permerror tag-syntax
split-record pass ok true"
printf '%s\n' "$CASES" >"$W/cases"

# verdict TSV FILE: "RESULT REASON HEADER_VERIFIED" of the only signature.
verdict() {
	_n=$(awk -F '\t' -v f="$2" '$1 == "sig" && $2 == f' "$1" | wc -l)
	if [ "$_n" -ne 1 ]; then
		echo "($_n signatures reported)"
		return
	fi
	awk -F '\t' -v f="$2" '$1 == "sig" && $2 == f { print $4, $5, $6 }' "$1"
}

# judge NAME GOT RESULT REASON [HV]: compare, the header_verified flag only
# when the case states one.
judge() {
	_name=$1 _got=$2 _r=$3 _why=$4 _hv=${5:-}
	if [ -z "$_hv" ]; then
		_got=${_got% *}
		check_eq "$_name" "$_got" "$_r $_why" "result reason"
	else
		check_eq "$_name" "$_got" "$_r $_why $_hv" \
		    "result reason header_verified"
	fi
}

if [ -n "$have_dns" ]; then
	# One fblscope run per message (its exit status is checked), one
	# flattening of all their JSON.  Loops read files, not pipes: check
	# results must not be counted in a subshell.
	: >"$W/res.json"
	: >"$W/res.rc"
	while read -r c r why hv extra; do
		[ -f "$M/$c.eml" ] || continue
		# shellcheck disable=SC2086
		"$FBL_BIN" verify --resolver "$RESOLVER" --format json $extra \
		    "$M/$c.eml" >>"$W/res.json" 2>>"$W/res.err" </dev/null
		echo "$c $?" >>"$W/res.rc"
	done <"$W/cases"
	"$PY" "$SIGS" <"$W/res.json" >"$W/res.tsv"
	while read -r c r why hv extra; do
		if ! [ -f "$M/$c.eml" ]; then
			not_ok "resolver/$c" "no message"
			continue
		fi
		judge "resolver/$c" "$(verdict "$W/res.tsv" "$c.eml")" "$r" \
		    "$why" "$hv"
		if [ "$r" = pass ]; then want=0; else want=1; fi
		check_eq "resolver/$c-exit" \
		    "$(awk -v c="$c" '$1 == c { print $2 }' "$W/res.rc")" \
		    "$want" "stderr: $(head -c 200 "$W/res.err")"
	done <"$W/cases"
else
	skip resolver-cases "no DNS server"
fi

# The same through --zone, all messages in one run (the --at case apart).
set --
for c in $(awk 'NF < 5 { print $1 }' "$W/cases"); do
	[ -f "$M/$c.eml" ] && set -- "$@" "$M/$c.eml"
done
"$FBL_BIN" verify --zone "$W/zone" --format json "$@" >"$W/zone.json" \
    2>"$W/zone.err" </dev/null
check_eq zone-batch-exit "$?" 1 "some signature does not pass"
"$PY" "$SIGS" <"$W/zone.json" >"$W/zone.tsv"
while read -r c r why hv extra; do
	[ -n "$extra" ] && continue
	judge "zone/$c" "$(verdict "$W/zone.tsv" "$c.eml")" "$r" "$why" "$hv"
done <"$W/cases"
while read -r c r why hv extra; do
	[ -n "$extra" ] || continue
	# shellcheck disable=SC2086
	"$FBL_BIN" verify --zone "$W/zone" --format json $extra "$M/$c.eml" \
	    >"$W/at.json" 2>/dev/null </dev/null
	"$PY" "$SIGS" <"$W/at.json" >"$W/at.tsv"
	judge "zone/$c" "$(verdict "$W/at.tsv" "$c.eml")" "$r" "$why" "$hv"
done <"$W/cases"

# --- DNS server stopped: temperror, never fail -----------------------------------

if [ -n "$have_dns" ] && [ -f "$M/dns-stopped.eml" ]; then
	"$FBL_BIN" verify --resolver "$RESOLVER" --format json \
	    "$M/dns-stopped.eml" >"$W/up.json" 2>&1 </dev/null
	"$PY" "$SIGS" <"$W/up.json" >"$W/up.tsv"
	judge dns-up-then-stopped/before "$(verdict "$W/up.tsv" \
	    dns-stopped.eml)" pass ok true
	sh "$NSD_SH" stop "$NSDIR" >"$W/nsd-stop.out" 2>&1
	t0=$(date +%s)
	"$FBL_BIN" verify --resolver "$RESOLVER" --timeout 300 --retries 0 \
	    --format json "$M/dns-stopped.eml" >"$W/down.json" \
	    2>"$W/down.err" </dev/null
	rc=$?
	t1=$(date +%s)
	"$PY" "$SIGS" <"$W/down.json" >"$W/down.tsv"
	judge dns-up-then-stopped/after "$(verdict "$W/down.tsv" \
	    dns-stopped.eml)" temperror dns-timeout
	check_eq dns-up-then-stopped/exit "$rc" 1 "$(head -c 200 "$W/down.err")"
	# One query, 300 ms, no retry: it must not hang.
	if [ $((t1 - t0)) -le 10 ]; then
		ok dns-up-then-stopped/quick
	else
		not_ok dns-up-then-stopped/quick "took $((t1 - t0)) s"
	fi
else
	skip dns-up-then-stopped "no DNS server"
fi

fbl_done
exit $?
