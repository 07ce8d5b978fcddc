#!/bin/sh
# SPDX-License-Identifier: ISC
# interop.sh: fblscope against two independent DKIM implementations.
#
#   1. Messages signed at test time by dkimpy (python3-dkim) and by OpenDKIM
#      (libopendkim, through tests/interop/odkim.c), with RSA 1024/2048/4096
#      and Ed25519 keys, in the four canonicalization pairs, with and without
#      l=, must verify in fblscope ("pass", reason "ok") -- through a real DNS
#      server (NSD on loopback, --resolver) and through --zone, which must
#      agree.  Each signer's messages are first checked by the other
#      implementation, so that a failure points at fblscope, not at the
#      harness.
#   2. Messages signed by "fblscope sign" (RSA and Ed25519, each pair, with
#      and without --length), and keys made by "fblscope keygen", must verify
#      in dkimpy and in OpenDKIM.
#   3. RFC 8463 Appendix A: the A.2 message (one ed25519-sha256 and one
#      rsa-sha256 signature) with the A.3 key records (data/): both pass.
#   4. Controls: a copy whose body was altered must not pass anywhere (the
#      checks above can fail).
#
# Environment: FBL_BIN, FBL_ROOT, FBL_TMP (see tests/lib/common.sh);
# FBL_NSD_SH overrides tests/lib/nsd.sh; FBL_KEYDIR the key cache.
# NSD listens on 127.0.0.41 at a port in 5440-5449.

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

W=$FBL_TMP/interop
mkdir -p "$W/msg" "$W/fbl" || exit 2
ORIGIN=example.test
NSADDR=127.0.0.41
DATA=$FBL_ROOT/tests/integration/data

# --- tools -------------------------------------------------------------------

have_dkimpy=1
if ! "$PY" -c 'import dkim, nacl.signing, dns.zone' 2>"$W/py.err"; then
	have_dkimpy=
	skip dkimpy-available "$PY cannot import dkim, nacl, dns: $(head -1 "$W/py.err")"
fi
have_odkim=1
if ! ODKIM=$(interop_odkim_build 2>"$W/odkim.err"); then
	have_odkim=
	skip odkim-build "$(tail -1 "$W/odkim.err")"
else
	ok odkim-build
fi
odkim_ed25519=
if [ -n "$have_odkim" ] && "$ODKIM" features | grep -qx 'ed25519 yes'; then
	odkim_ed25519=1
fi
have_fbl=1
if ! [ -x "$FBL_BIN" ]; then
	have_fbl=
	not_ok fblscope-binary "$FBL_BIN is not an executable (build it first)"
fi

# --- helpers -------------------------------------------------------------------

# shq WORD: WORD quoted for the shell (and for dkimpy_tool.py batch).
shq() {
	printf "'%s'" "$(printf '%s' "$1" | sed "s/'/'\\\\''/g")"
}

# dkimpy_batch NAME DKIMPY-OPTION... -- FILE...: one dkimpy run over the
# files, then one check line per file (every signature passed).
dkimpy_batch() {
	_name=$1
	shift
	_opts=
	while [ $# -gt 0 ] && [ "$1" != -- ]; do
		_opts="$_opts $1"
		shift
	done
	shift
	# shellcheck disable=SC2086
	"$PY" "$TOOL" verify $_opts "$@" >"$W/$_name.out" 2>&1
	for _m in "$@"; do
		_f=${_m##*/}
		if [ $# -eq 1 ]; then _p=; else _p="$_m: "; fi
		if grep -qF -- "${_p}pass " "$W/$_name.out" &&
		    ! grep -qF -- "${_p}fail" "$W/$_name.out" &&
		    ! grep -qF -- "${_p}none" "$W/$_name.out"; then
			ok "$_name/${_f%.eml}"
		else
			not_ok "$_name/${_f%.eml}" "$(grep -F -- "$_p" \
			    "$W/$_name.out" | grep -v ' pass ' | head -1)"
		fi
	done
}

# sig_taglist FILE: the tag list of the first DKIM-Signature field of FILE,
# unfolded, all whitespace removed ("v=1;a=rsa-sha256;...").
sig_taglist() {
	sed -n '1,/^\r*$/p' "$1" | tr -d '\r' |
	    awk '/^[Dd][Kk][Ii][Mm]-[Ss][Ii][Gg][Nn][Aa][Tt][Uu][Rr][Ee]:/ {
		if (done) exit
		on = 1; done = 1; sub(/^[^:]*:/, ""); print; next }
	    on && /^[ \t]/ { print; next }
	    { on = 0 }' | tr -d ' \t\n'
}

# fbl_verify_batch MODE OUT FILE...: run fblscope verify over FILEs through
# MODE (resolver or zone), JSON flattened into OUT.tsv, exit status in OUT.rc.
fbl_verify_batch() {
	_mode=$1 _out=$2
	shift 2
	if [ "$_mode" = resolver ]; then
		set -- --resolver "$RESOLVER" "$@"
	else
		set -- --zone "$W/zone" --zone "$DATA/rfc8463-a3.zone" "$@"
	fi
	"$FBL_BIN" verify --format json "$@" >"$_out.json" 2>"$_out.err"
	echo $? >"$_out.rc"
	"$PY" "$SIGS" <"$_out.json" >"$_out.tsv"
}

# check_pass NAME TSV FILE ALG CANON SELECTOR BITS: the message has exactly
# one signature, and it passed with these tags.
check_pass() {
	_name=$1 _tsv=$2 _f=$3
	_want="pass ok true true $4 $5 $ORIGIN $6 $7"
	_n=$(awk -F '\t' -v f="$_f" '$1 == "sig" && $2 == f' "$_tsv" | wc -l)
	_got=$(awk -F '\t' -v f="$_f" -v bits="$7" '$1 == "sig" && $2 == f {
		# key_bits: checked for RSA; an Ed25519 key may say 256 or null.
		kb = $12; if (bits == 256 && kb == "-") kb = 256
		print $4, $5, $6, $7, $8, $9, $10, $11, kb }' "$_tsv")
	_msg=$(awk -F '\t' -v f="$_f" '$1 == "msg" && $2 == f { print $3 }' \
	    "$_tsv")
	if [ "$_n" -ne 1 ]; then
		not_ok "$_name" "want 1 signature reported, got $_n" \
		    "(message result '$_msg')"
	elif [ "$_got" != "$_want" ] || [ "$_msg" != pass ]; then
		not_ok "$_name" "got '$_got' (message '$_msg')," \
		    "want '$_want' (result reason header body a c d s bits)"
	else
		ok "$_name"
	fi
}

# --- keys and zone -------------------------------------------------------------

KEYS="rsa1024 rsa2048 rsa4096 ed25519"
for k in $KEYS; do
	case $k in
	rsa*)	keys_gen rsa "${k#rsa}" "$k" >/dev/null ;;
	*)	keys_gen ed25519 256 "$k" >/dev/null ;;
	esac || { not_ok "keygen-$k" "openssl could not make the key"; exit 1; }
done
KD=$(keys_dir)
zone_args=
for k in $KEYS; do
	zone_args="$zone_args $k=$KD/$k.pem"
done
# shellcheck disable=SC2086
keys_zone "$ORIGIN." $zone_args >"$W/zone" || exit 1

# fblscope keygen: its key file must be PKCS#8 PEM and its record line must
# publish the public half of that key (derived here with openssl).
for kt in rsa ed25519; do
	name=keygen-$kt
	sel=fblkg-$kt
	if [ -z "$have_fbl" ]; then
		skip "$name" "no fblscope binary"
		continue
	fi
	if [ $kt = rsa ]; then bits="--bits 2048"; else bits=; fi
	# shellcheck disable=SC2086
	if ! "$FBL_BIN" keygen --type $kt $bits --domain "$ORIGIN" \
	    --selector "$sel" --out "$W/fbl/$sel" >"$W/fbl/$sel.out" 2>&1; then
		not_ok "$name" "fblscope keygen failed: $(tail -1 "$W/fbl/$sel.out")"
		continue
	fi
	if ! [ -s "$W/fbl/$sel.pem" ] || ! [ -s "$W/fbl/$sel.zone" ]; then
		not_ok "$name" "no $sel.pem or $sel.zone written"
		continue
	fi
	if ! grep -q -- '-----BEGIN PRIVATE KEY-----' "$W/fbl/$sel.pem" ||
	    [ "$(keys_type "$W/fbl/$sel.pem")" != $kt ]; then
		not_ok "$name" "$sel.pem is not a PKCS#8 $kt private key"
		continue
	fi
	# The record line, in a zone of its own (owner absolute or relative).
	{ keys_zone_head "$ORIGIN."; cat "$W/fbl/$sel.zone"; } >"$W/fbl/$sel.z"
	rec=$("$PY" "$TOOL" txt --zone "$W/fbl/$sel.z" \
	    "$sel._domainkey.$ORIGIN" 2>&1)
	want_p=$(keys_p "$W/fbl/$sel.pem")
	got_p=$(printf '%s\n' "$rec" | tr -d ' \t' | tr ';' '\n' |
	    sed -n 's/^p=//p')
	got_k=$(printf '%s\n' "$rec" | tr -d ' \t' | tr ';' '\n' |
	    sed -n 's/^k=//p')
	if [ "$got_p" != "$want_p" ]; then
		not_ok "$name" "record p= is not the key's public half: '$rec'"
	elif [ $kt = ed25519 ] && [ "$got_k" != ed25519 ]; then
		not_ok "$name" "ed25519 record without k=ed25519: '$rec'"
	elif ! awk '{ n = split($0, a, "\""); for (i = 2; i <= n; i += 2)
	    if (length(a[i]) > 255) exit 1 }' "$W/fbl/$sel.zone"; then
		not_ok "$name" "a character-string longer than 255 bytes"
	else
		ok "$name"
		# Publish it with the others.
		grep -v '^\$' "$W/fbl/$sel.zone" >>"$W/zone"
		echo "$sel" >>"$W/keygen-ok"
	fi
done

# --- DNS server ----------------------------------------------------------------

have_dns=
NSDIR=$W/nsd
if ! [ -f "$NSD_SH" ]; then
	skip nsd-start "$NSD_SH not found"
elif ! PORT=$(interop_pick_port $NSADDR 5440 5449); then
	skip nsd-start "no free port in 5440-5449 on $NSADDR"
elif sh "$NSD_SH" start "$NSDIR" $NSADDR "$PORT" \
    "$ORIGIN.=$W/zone" "football.example.com.=$DATA/rfc8463-a3.zone" \
    >"$W/nsd.out" 2>&1; then
	at_exit "sh '$NSD_SH' stop '$NSDIR' >/dev/null 2>&1"
	have_dns=1
	RESOLVER=$NSADDR@$PORT
	ok nsd-start
else
	at_exit "sh '$NSD_SH' stop '$NSDIR' >/dev/null 2>&1"
	not_ok nsd-start "$(tail -3 "$W/nsd.out" | tr '\n' ' ')"
fi

# --- messages signed by dkimpy and OpenDKIM ------------------------------------

sh "$FBL_ROOT/tests/lib/interop_message.sh" "$ORIGIN" >"$W/orig.eml"
CANONS="simple/simple simple/relaxed relaxed/simple relaxed/relaxed"
# manifest: FILE SIGNER ALG CANON SELECTOR BITS
: >"$W/manifest"
# dkimpy signs in one process (a Python start costs more than a signature):
# its jobs are queued in dkimpy.jobs; odkim signs at once.
: >"$W/dkimpy.jobs"
: >"$W/dkimpy.pending"
for signer in dkimpy odkim; do
	if [ "$signer" = dkimpy ] && [ -z "$have_dkimpy" ]; then
		continue
	fi
	if [ "$signer" = odkim ] && [ -z "$have_odkim" ]; then
		continue
	fi
	for k in $KEYS; do
		case $k in
		ed25519) alg=ed25519-sha256 bits=256 ;;
		*)	 alg=rsa-sha256 bits=${k#rsa} ;;
		esac
		if [ "$signer" = odkim ] && [ "$k" = ed25519 ] &&
		    [ -z "$odkim_ed25519" ]; then
			skip "sign-odkim-ed25519" "this libopendkim has no" \
			    "ed25519: ed25519 is signed by dkimpy only"
			continue
		fi
		for c in $CANONS; do
			for len in all l; do
				f=$signer-$k-${c%/*}-${c#*/}-$len.eml
				entry="$f $signer $alg $c $k $bits"
				if [ "$signer" = dkimpy ]; then
					printf 'sign --domain %s --selector %s --key %s --algorithm %s --canon %s --headers %s %s --out %s %s\n' \
					    "$ORIGIN" "$k" "$(shq "$KD/$k.pem")" \
					    "$alg" "$c" \
					    from:to:subject:date:message-id:mime-version:content-type:list-unsubscribe \
					    "$([ $len = l ] && echo --length)" \
					    "$(shq "$W/msg/$f")" \
					    "$(shq "$W/orig.eml")" >>"$W/dkimpy.jobs"
					echo "$entry" >>"$W/dkimpy.pending"
					continue
				fi
				set -- -d "$ORIGIN" -s "$k" -k "$KD/$k.pem" \
				    -a "$alg" -c "$c"
				[ $len = l ] && set -- "$@" -l
				if "$ODKIM" sign "$@" "$W/orig.eml" \
				    >"$W/msg/$f" 2>"$W/sign.err"; then
					echo "$entry" >>"$W/manifest"
				else
					not_ok "sign/${f%.eml}" \
					    "odkim: $(tail -1 "$W/sign.err")"
				fi
			done
		done
	done
done
if [ -s "$W/dkimpy.jobs" ]; then
	"$PY" "$TOOL" batch <"$W/dkimpy.jobs" >"$W/dkimpy.sign.out" \
	    2>"$W/dkimpy.sign.err"
	while read -r f rest; do
		if [ -s "$W/msg/$f" ]; then
			echo "$f $rest" >>"$W/manifest"
		else
			not_ok "sign/${f%.eml}" \
			    "dkimpy: $(tail -1 "$W/dkimpy.sign.err")"
		fi
	done <"$W/dkimpy.pending"
fi
nsigned=$(wc -l <"$W/manifest")
if [ "$nsigned" -gt 0 ]; then
	ok "signed-$nsigned-messages"
fi

# Negative control: the body altered after signing.
ctl=dkimpy-rsa2048-relaxed-relaxed-all.eml
[ -f "$W/msg/$ctl" ] || ctl=odkim-rsa2048-relaxed-relaxed-all.eml
if [ -f "$W/msg/$ctl" ]; then
	sed 's/Kind regards/Kind  regards!/' "$W/msg/$ctl" >"$W/control.eml"
	cmp -s "$W/msg/$ctl" "$W/control.eml" &&
	    not_ok control-made "the control message is unaltered"
fi

# Cross-check the harness: what dkimpy signed, OpenDKIM verifies and the other
# way round, so that a failure below is fblscope's.
if [ -n "$have_dkimpy" ] && [ -n "$have_odkim" ]; then
	while read -r f signer alg c k bits; do
		[ "$signer" = dkimpy ] || continue
		if out=$("$ODKIM" verify -z "$W/zone" "$W/msg/$f" 2>&1); then
			ok "harness-odkim-verifies/${f%.eml}"
		else
			not_ok "harness-odkim-verifies/${f%.eml}" "$out"
		fi
	done <"$W/manifest"
	set --
	while read -r f signer alg c k bits; do
		[ "$signer" = odkim ] && set -- "$@" "$W/msg/$f"
	done <"$W/manifest"
	[ $# -gt 0 ] && dkimpy_batch harness-dkimpy-verifies --zone "$W/zone" \
	    -- "$@"
	if [ -f "$W/control.eml" ]; then
		if "$ODKIM" verify -z "$W/zone" "$W/control.eml" >/dev/null 2>&1
		then
			not_ok harness-control-odkim "OpenDKIM passed an altered body"
		else
			ok harness-control-odkim
		fi
		if "$PY" "$TOOL" verify --zone "$W/zone" "$W/control.eml" \
		    >/dev/null 2>&1; then
			not_ok harness-control-dkimpy "dkimpy passed an altered body"
		else
			ok harness-control-dkimpy
		fi
	fi
fi

# --- fblscope verifies what dkimpy and OpenDKIM signed --------------------------

if [ -n "$have_fbl" ] && [ "$nsigned" -gt 0 ]; then
	set --
	while read -r f signer alg c k bits; do
		set -- "$@" "$W/msg/$f"
	done <"$W/manifest"
	for mode in resolver zone; do
		if [ $mode = resolver ] && [ -z "$have_dns" ]; then
			skip "fbl-verify-resolver" "no DNS server"
			continue
		fi
		fbl_verify_batch $mode "$W/fbl-$mode" "$@"
		check_eq "fbl-verify-$mode-exit" "$(cat "$W/fbl-$mode.rc")" 0 \
		    "all signatures pass; stderr: $(head -c 200 "$W/fbl-$mode.err")"
		while read -r f signer alg c k bits; do
			check_pass "fbl-verify-$mode/${f%.eml}" \
			    "$W/fbl-$mode.tsv" "$f" "$alg" "$c" "$k" "$bits"
		done <"$W/manifest"
	done
	if [ -n "$have_dns" ]; then
		# Both key paths must give the same verdicts, field for field.
		if cmp -s "$W/fbl-resolver.tsv" "$W/fbl-zone.tsv"; then
			ok fbl-zone-and-resolver-agree
		else
			not_ok fbl-zone-and-resolver-agree "$(diff \
			    "$W/fbl-resolver.tsv" "$W/fbl-zone.tsv" | head -4 |
			    tr '\n' ' ')"
		fi
	fi
	if [ -f "$W/control.eml" ]; then
		fbl_verify_batch zone "$W/fbl-control" "$W/control.eml"
		got=$(awk -F '\t' '$1 == "sig" { print $4 "/" $5 }' \
		    "$W/fbl-control.tsv")
		check_eq fbl-control-altered-body "$got/$(cat "$W/fbl-control.rc")" \
		    "fail/body-hash-mismatch/1" "result/reason/exit"
	fi
elif [ -z "$have_fbl" ]; then
	skip fbl-verify "no fblscope binary"
fi

# --- RFC 8463 Appendix A ---------------------------------------------------------

rfc_check() {
	_mode=$1
	fbl_verify_batch "$_mode" "$W/rfc-$_mode" "$DATA/rfc8463-a2.eml"
	_got=$(awk -F '\t' '$1 == "sig" { printf "%s %s %s %s %s %s;", \
	    $3, $4, $5, $8, $11, $12 }' "$W/rfc-$_mode.tsv")
	# The key_bits of the Ed25519 key is not judged here.
	_got=$(printf '%s' "$_got" | sed 's/ed25519-sha256 brisbane [^;]*;/ed25519-sha256 brisbane;/')
	check_eq "rfc8463-a2-$_mode" "$_got/$(cat "$W/rfc-$_mode.rc")" \
	    "1 pass ok ed25519-sha256 brisbane;2 pass ok rsa-sha256 test 1024;/0" \
	    "index result reason a s bits; .../exit"
}
if [ -n "$have_dkimpy" ]; then
	if out=$("$PY" "$TOOL" verify --zone "$DATA/rfc8463-a3.zone" \
	    "$DATA/rfc8463-a2.eml" 2>&1); then
		ok harness-rfc8463-dkimpy
	else
		not_ok harness-rfc8463-dkimpy "$out"
	fi
fi
if [ -n "$have_odkim" ] && [ -n "$odkim_ed25519" ]; then
	if out=$("$ODKIM" verify -z "$DATA/rfc8463-a3.zone" \
	    "$DATA/rfc8463-a2.eml" 2>&1); then
		ok harness-rfc8463-odkim
	else
		not_ok harness-rfc8463-odkim "$out"
	fi
fi
if [ -n "$have_fbl" ]; then
	rfc_check zone
	if [ -n "$have_dns" ]; then
		rfc_check resolver
	else
		skip rfc8463-a2-resolver "no DNS server"
	fi
fi

# --- dkimpy and OpenDKIM verify what fblscope signed -----------------------------

if [ -n "$have_fbl" ]; then
	: >"$W/fbl-manifest"
	for k in rsa2048 ed25519 fblkg-rsa fblkg-ed25519; do
		case $k in
		fblkg-*)
			pem=$W/fbl/$k.pem
			# keygen keys: one pair, both lengths, to show they work.
			canons="relaxed/simple"
			if ! grep -qx "$k" "$W/keygen-ok" 2>/dev/null; then
				skip "fbl-sign-$k" "no usable keygen output"
				continue
			fi
			;;
		*)
			pem=$KD/$k.pem
			canons=$CANONS
			;;
		esac
		for c in $canons; do
			for len in all l; do
				f=fbl-$k-${c%/*}-${c#*/}-$len.eml
				set -- sign --domain "$ORIGIN" --selector "$k" \
				    --key "$pem" --canon "$c"
				[ $len = l ] && set -- "$@" --length
				if "$FBL_BIN" "$@" "$W/orig.eml" >"$W/msg/$f" \
				    2>"$W/sign.err" && [ -s "$W/msg/$f" ]; then
					echo "$f" >>"$W/fbl-manifest"
				else
					not_ok "fbl-sign/${f%.eml}" \
					    "$(tail -1 "$W/sign.err")"
				fi
			done
		done
	done
	# Two more: --headers with --oversign, and --timestamp with --expire.
	T0=$(($(date +%s) - 60))
	for x in oversign times; do
		f=fbl-rsa2048-$x.eml
		if [ $x = oversign ]; then
			set -- --headers from:to:subject --oversign
		else
			set -- --timestamp $T0 --expire 86400
		fi
		if "$FBL_BIN" sign --domain "$ORIGIN" --selector rsa2048 \
		    --key "$KD/rsa2048.pem" "$@" "$W/orig.eml" >"$W/msg/$f" \
		    2>"$W/sign.err" && [ -s "$W/msg/$f" ]; then
			echo "$f" >>"$W/fbl-manifest"
		else
			not_ok "fbl-sign/${f%.eml}" "$(tail -1 "$W/sign.err")"
		fi
	done
	if [ -s "$W/msg/fbl-rsa2048-oversign.eml" ]; then
		got=$(sig_taglist "$W/msg/fbl-rsa2048-oversign.eml" |
		    tr ';' '\n' | sed -n 's/^h=//p' | tr ':' '\n' |
		    tr '[:upper:]' '[:lower:]' | sort | uniq -c | tr -s ' ' | tr '\n' ',')
		check_eq fbl-sign-oversign-h "$got" " 2 from, 2 subject, 2 to," \
		    "each of from:to:subject listed twice in h="
	fi
	if [ -s "$W/msg/fbl-rsa2048-times.eml" ]; then
		tl=$(sig_taglist "$W/msg/fbl-rsa2048-times.eml" | tr ';' '\n')
		check_eq fbl-sign-t-and-x \
		    "$(printf '%s\n' "$tl" | sed -n 's/^t=//p')/$(printf '%s\n' \
		    "$tl" | sed -n 's/^x=//p')" "$T0/$((T0 + 86400))" "t=/x="
	fi
	# A signature made with --length must carry l=, one without must not.
	while read -r f; do
		case $f in
		*-l.eml)   want=yes ;;
		*)         want=no ;;
		esac
		case ";$(sig_taglist "$W/msg/$f")" in
		*";l="*)   got=yes ;;
		*)         got=no ;;
		esac
		check_eq "fbl-sign-l-tag/${f%.eml}" "$got" "$want" "l= present"
	done <"$W/fbl-manifest"
	if [ -n "$have_dkimpy" ] && [ -s "$W/fbl-manifest" ]; then
		set --
		while read -r f; do set -- "$@" "$W/msg/$f"; done \
		    <"$W/fbl-manifest"
		if [ -n "$have_dns" ]; then
			dkimpy_batch dkimpy-verifies-fbl \
			    --resolver "$RESOLVER" -- "$@"
		else
			dkimpy_batch dkimpy-verifies-fbl --zone "$W/zone" -- "$@"
		fi
	fi
	if [ -n "$have_odkim" ] && [ -s "$W/fbl-manifest" ]; then
		while read -r f; do
			case $f in
			*ed25519*)
				if [ -z "$odkim_ed25519" ]; then
					skip "odkim-verifies-fbl/${f%.eml}" \
					    "libopendkim without ed25519"
					continue
				fi
				;;
			esac
			if out=$("$ODKIM" verify -z "$W/zone" "$W/msg/$f" 2>&1)
			then
				ok "odkim-verifies-fbl/${f%.eml}"
			else
				not_ok "odkim-verifies-fbl/${f%.eml}" "$out"
			fi
		done <"$W/fbl-manifest"
	fi
fi

fbl_done
exit $?
