#!/bin/sh
# explain_formats.sh: what `fblscope verify` finds, said alike in every
# format (issue 14, items 3-5).
#
# - l= warnings: a signature with l= that passes while content follows the
#   signed length says how many canonical body bytes are unsigned, in the
#   text line, the JSON field l_unsigned_bytes, an Authentication-Results
#   comment and --explain.
#
# The mail is signed by dkimpy (independent of fblscope).  Every expected
# value is written from the damage done, not from fblscope's output.
. "$(dirname "$0")/../lib/common.sh"
. "$FBL_ROOT/tests/lib/keys.sh"

T=$FBL_TMP
# good.zone publishes the signing key a; in rotated.zone the selector
# serves key b: the signing key was rotated away
for k in a:good b:rotated; do
	key=$(keys_gen rsa 2048 "fmt-${k%:*}") ||
	    { not_ok fmt/keys "keygen failed"; exit 1; }
	keys_zoneline s1._domainkey.example.test. "$(keys_record "$key")" \
	    > "$T/${k#*:}.zone"
	[ "${k%:*}" = a ] && key_a=$key
done

printf '%s\r\n' \
    'From: Shop <news@example.test>' \
    'To: reader@isp.test' \
    'Subject: Winter catalogue' \
    'Date: Sat, 21 Nov 2026 09:00:00 +0000' \
    'Message-ID: <fmt-1@example.test>' \
    'MIME-Version: 1.0' \
    'Content-Type: text/plain; charset=utf-8' \
    '' \
    'Dear reader, the winter catalogue is out.' \
    '' \
    'The shop' > "$T/plain.eml"

sign() {	# out [dkimpy options]
	_out=$1
	shift
	"$PYTHON" "$FBL_ROOT/tests/interop/dkimpy_tool.py" sign --domain example.test --selector s1 --key "$key_a" \
	    --headers from:to:subject:date:message-id "$@" "$T/plain.eml" \
	    > "$T/$_out.eml" 2>"$T/$_out.err" ||
		{ not_ok "fmt/sign-$_out" "dkimpy: $(cat "$T/$_out.err")"; exit 1; }
}
sign signed --canon relaxed/relaxed
sign signed-l --canon relaxed/relaxed --length

# 15 bytes appended after the signed length: one line "Appended line"
# and its CRLF, canonical under relaxed as they are.
{ cat "$T/signed-l.eml"; printf 'Appended line\r\n'; } > "$T/l-appended.eml"

verify() {	# out case [options...]: stdout to $T/out, status to $T/out.rc
	_o=$1 _c=$2
	shift 2
	"$FBL_BIN" verify --zone "$T/good.zone" "$@" "$T/$_c.eml" \
	    > "$T/$_o" 2> "$T/$_o.err"
	echo $? > "$T/$_o.rc"
}

has() {		# name file phrase: the file holds the phrase
	if grep -qF -- "$3" "$2"; then
		ok "$1"
	else
		not_ok "$1" "missing \"$3\" in: $(head -c 600 "$2" | tr '\n' '|')"
	fi
}

hasnt() {	# name file phrase
	if grep -qF -- "$3" "$2"; then
		not_ok "$1" "unexpected \"$3\" in: $(head -c 600 "$2" | tr '\n' '|')"
	else
		ok "$1"
	fi
}

# json name file python-expression want: the expression over j (the first
# JSON line of file) prints want
json() {
	_got=$($PYTHON - "$2" "$3" <<'PY' 2>&1
import json, sys
j = json.loads(open(sys.argv[1], encoding='utf-8').readline())
print(eval(sys.argv[2]))
PY
)
	check_eq "$1" "$_got" "$4"
}

# --- l= ----------------------------------------------------------------------

WARN='warning: l= leaves 15 bytes of the body unsigned'
verify l-text l-appended
check_eq fmt/l/text-exit "$(cat "$T/l-text.rc")" 0
has fmt/l/text-pass "$T/l-text" ": pass (ok)"
has fmt/l/text-warning "$T/l-text" "$WARN"
verify l-json l-appended --format json
json fmt/l/json-count "$T/l-json" "j['signatures'][0]['l_unsigned_bytes']" 15
json fmt/l/json-result "$T/l-json" "j['signatures'][0]['result']" pass
verify l-ar l-appended --format ar
has fmt/l/ar-comment "$T/l-ar" "dkim=pass (l= leaves 15 bytes of the body unsigned)"
verify l-explain l-appended --explain
has fmt/l/explain "$T/l-explain" "$WARN"
has fmt/l/explain-pass "$T/l-explain" "verdict: pass (ok)"

# l= covering the whole body: 0 unsigned bytes, no warning anywhere
verify l0-text signed-l
hasnt fmt/l/whole-text "$T/l0-text" "unsigned"
verify l0-json signed-l --format json
json fmt/l/whole-json "$T/l0-json" "j['signatures'][0]['l_unsigned_bytes']" 0
verify l0-ar signed-l --format ar
hasnt fmt/l/whole-ar "$T/l0-ar" "unsigned"
# no l=: the field is null
verify nol-json signed --format json
json fmt/l/none-json "$T/nol-json" "j['signatures'][0]['l_unsigned_bytes']" None

fbl_done
exit $?
