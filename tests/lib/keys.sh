# SPDX-License-Identifier: ISC
# keys.sh: throwaway DKIM keys for the tests, and their DNS key records.
#
# Source it (". tests/lib/keys.sh") for the functions, or run it:
#
#   sh tests/lib/keys.sh gen TYPE BITS NAME    -> prints the path of NAME.pem
#   sh tests/lib/keys.sh record PEM [TAGS]     -> "v=DKIM1; k=...; [TAGS; ]p=..."
#   sh tests/lib/keys.sh zoneline OWNER TEXT   -> OWNER 300 IN TXT "..." "..."
#   sh tests/lib/keys.sh zone ORIGIN SEL=PEM...-> a whole zone (SOA, NS, keys)
#
# TYPE is rsa or ed25519 (BITS is ignored for ed25519).  Keys are PKCS#8 PEM
# files made by "openssl genpkey" and cached in $FBL_KEYDIR (default
# tests/out/keys under $FBL_ROOT, or under the current directory), so that a
# rerun does not wait for a 4096-bit key again.  OpenSSL 3's genpkey still
# makes 512-bit RSA keys (the tests need one to be refused).
#
# Key records (RFC 6376 section 3.6.1, RFC 8463 section 4.2): for RSA, p= is
# the base64 of the DER SubjectPublicKeyInfo; for Ed25519, p= is the base64
# of the raw 32-byte public key, with k=ed25519.  A TXT record's
# character-strings hold at most 255 bytes each (RFC 1035 section 3.3), so
# zoneline splits longer text into several strings, which a verifier joins
# without a separator (RFC 6376 section 3.6.2.2).

keys_dir() {
	if [ -n "${FBL_KEYDIR:-}" ]; then
		printf '%s\n' "$FBL_KEYDIR"
	else
		printf '%s/tests/out/keys\n' "${FBL_ROOT:-.}"
	fi
}

# keys_gen TYPE BITS NAME: make (or reuse) KEYDIR/NAME.pem, print its path.
keys_gen() {
	_kt=$1 _kb=$2 _kn=$3
	_kd=$(keys_dir)
	mkdir -p "$_kd" || return 1
	_kf=$_kd/$_kn.pem
	if [ -s "$_kf" ] && openssl pkey -in "$_kf" -noout 2>/dev/null; then
		printf '%s\n' "$_kf"
		return 0
	fi
	_ktmp=$_kf.tmp.$$
	if ! keys_genpkey "$_kt" "$_kb" "$_ktmp" || ! [ -s "$_ktmp" ]; then
		rm -f "$_ktmp"
		echo "keys_gen: openssl genpkey $_kt $_kb failed" >&2
		return 1
	fi
	chmod 600 "$_ktmp"
	mv "$_ktmp" "$_kf" || return 1
	printf '%s\n' "$_kf"
}

# keys_genpkey TYPE BITS OUT: a new private key in OUT (PKCS#8 PEM).
keys_genpkey() {
	case $1 in
	rsa)
		openssl genpkey -algorithm RSA -pkeyopt "rsa_keygen_bits:$2" \
		    -out "$3" 2>/dev/null
		;;
	ed25519)
		openssl genpkey -algorithm ED25519 -out "$3" 2>/dev/null
		;;
	*)
		echo "keys_gen: unknown key type $1" >&2
		return 1
		;;
	esac
}

# keys_type PEM: rsa or ed25519.
keys_type() {
	case $(openssl pkey -in "$1" -noout -text 2>/dev/null | sed -n 1p) in
	ED25519*)	echo ed25519 ;;
	*Private-Key:*)	echo rsa ;;
	*)		echo "keys_type: cannot read $1" >&2; return 1 ;;
	esac
}

# keys_bits PEM: the key size in bits (256 for ed25519).
keys_bits() {
	if [ "$(keys_type "$1")" = ed25519 ]; then
		echo 256
		return 0
	fi
	openssl pkey -in "$1" -noout -text 2>/dev/null |
	    sed -n '1s/.*(\([0-9][0-9]*\) bit.*/\1/p'
}

# keys_p PEM: the p= value.
keys_p() {
	case $(keys_type "$1") in
	rsa)
		openssl pkey -in "$1" -pubout -outform DER 2>/dev/null |
		    base64 | tr -d '\n'
		;;
	ed25519)
		# An Ed25519 SubjectPublicKeyInfo is a fixed 12-byte prefix
		# followed by the 32-byte key (RFC 8410 section 4).
		openssl pkey -in "$1" -pubout -outform DER 2>/dev/null |
		    tail -c 32 | base64 | tr -d '\n'
		;;
	*)
		return 1
		;;
	esac
	echo
}

# keys_ed25519_seed PEM: base64 of the raw 32-byte Ed25519 private key (the
# form dkimpy wants).  The PKCS#8 DER is a fixed 16-byte prefix followed by
# the 32-byte seed (RFC 8410 section 7).
keys_ed25519_seed() {
	openssl pkey -in "$1" -outform DER 2>/dev/null | tail -c 32 |
	    base64 | tr -d '\n'
	echo
}

# keys_record PEM [TAGS]: the TXT record text for the key.
keys_record() {
	_kt=$(keys_type "$1") || return 1
	_kp=$(keys_p "$1") || return 1
	if [ -n "${2:-}" ]; then
		printf 'v=DKIM1; k=%s; %s; p=%s\n' "$_kt" "$2" "$_kp"
	else
		printf 'v=DKIM1; k=%s; p=%s\n' "$_kt" "$_kp"
	fi
}

# keys_zoneline OWNER TEXT [CHUNK]: a TXT record in master format, TEXT cut
# into character-strings of at most CHUNK (default 255) bytes.  TEXT must not
# hold '"' or '\' (key records never do).
keys_zoneline() {
	printf '%s\n' "$2" | awk -v owner="$1" -v n="${3:-255}" '{
		s = $0; out = ""
		while (length(s) > n) {
			out = out " \"" substr(s, 1, n) "\""
			s = substr(s, n + 1)
		}
		out = out " \"" s "\""
		printf "%s 300 IN TXT%s\n", owner, out
	}'
}

# keys_zone_head ORIGIN: $ORIGIN, $TTL, SOA and NS for a test zone.
keys_zone_head() {
	# shellcheck disable=SC2016
	printf '%s %s\n%s 300\n' '$ORIGIN' "$1" '$TTL'
	printf '@ 300 IN SOA ns1.%s hostmaster.%s 1 3600 600 86400 60\n' \
	    "$1" "$1"
	printf '@ 300 IN NS ns1.%s\nns1 300 IN A 127.0.0.1\n' "$1"
}

# keys_zone ORIGIN SEL=PEM...: a complete zone with one key per selector.
keys_zone() {
	_ko=$1
	shift
	keys_zone_head "$_ko"
	for _ka in "$@"; do
		_ks=${_ka%%=*}
		_kf=${_ka#*=}
		keys_zoneline "$_ks._domainkey" "$(keys_record "$_kf")" ||
		    return 1
	done
}

# Run as a command (not when sourced): the file name ends in keys.sh.
case ${0##*/} in
keys.sh)
	set -e
	cmd=${1:-}
	[ $# -gt 0 ] && shift
	case $cmd in
	gen)		keys_gen "$@" ;;
	type)		keys_type "$@" ;;
	bits)		keys_bits "$@" ;;
	p)		keys_p "$@" ;;
	seed)		keys_ed25519_seed "$@" ;;
	record)		keys_record "$@" ;;
	zoneline)	keys_zoneline "$@" ;;
	zone)		keys_zone "$@" ;;
	*)
		echo "usage: keys.sh gen|type|bits|p|seed|record|zoneline|zone ..." >&2
		exit 2
		;;
	esac
	;;
esac
