#!/bin/sh
# SPDX-License-Identifier: ISC
# explain.sh: `fblscope verify --explain` names the failing step and the cause.
#
# The originals are signed by dkimpy (independent of fblscope), then damaged
# the way gateways and reporters damage mail.  Each expectation is a phrase the
# diagnosis must contain, chosen from what the damage is, not from the output.
. "$(dirname "$0")/../lib/common.sh"
. "$FBL_ROOT/tests/lib/keys.sh"

T=$FBL_TMP
DKIMPY="$PYTHON $FBL_ROOT/tests/interop/dkimpy_tool.py"

key_a=$(keys_gen rsa 2048 explain-a) || { not_ok explain/keys "keygen failed"; exit 1; }
key_b=$(keys_gen rsa 2048 explain-b) || { not_ok explain/keys "keygen failed"; exit 1; }
key_e=$(keys_gen ed25519 0 explain-e) || { not_ok explain/keys "keygen failed"; exit 1; }
{
	keys_zoneline s1._domainkey.example.test. "$(keys_record "$key_a")"
	keys_zoneline e1._domainkey.example.test. "$(keys_record "$key_e")"
} > "$T/good.zone"
# the selector now serves another key: the signing key was rotated away
keys_zoneline s1._domainkey.example.test. "$(keys_record "$key_b")" > "$T/rotated.zone"

# A format=flowed text: soft breaks end in a space, and a "-- " separator.
printf '%s\r\n' \
    'From: Shop <news@example.test>' \
    'To: reader@isp.test' \
    'Subject: Winter catalogue' \
    'Date: Sat, 21 Nov 2026 09:00:00 +0000' \
    'Message-ID: <explain-1@example.test>' \
    'MIME-Version: 1.0' \
    'Content-Type: text/plain; charset=utf-8; format=flowed' \
    'Content-Transfer-Encoding: 8bit' \
    '' \
    'Dear reader, the winter catalogue is out and this paragraph is long ' \
    'enough that the mail client wrapped it with soft line breaks, each ' \
    'ending in a space.' \
    '' \
    'Prices in euro: 12 € and 15 €.' \
    '-- ' \
    'The shop' > "$T/plain.eml"

$DKIMPY sign --domain example.test --selector s1 --key "$key_a" \
    --canon relaxed/simple --headers from:to:subject:date:message-id \
    "$T/plain.eml" > "$T/signed.eml" 2>"$T/sign.err" ||
	{ not_ok explain/sign "dkimpy sign failed: $(cat "$T/sign.err")"; exit 1; }
$DKIMPY sign --domain example.test --selector e1 --key "$key_e" \
    --algorithm ed25519-sha256 --canon relaxed/relaxed \
    --headers from:to:subject:date:message-id \
    "$T/plain.eml" > "$T/signed-ed.eml" 2>>"$T/sign.err" ||
	{ not_ok explain/sign "dkimpy ed25519 sign failed"; exit 1; }

damage() {	# name python-expression-on-bytes(m) [source]
	$PYTHON - "$T/${3:-signed}.eml" "$T/$1.eml" "$2" <<'PY'
import sys, quopri
m = open(sys.argv[1], 'rb').read()
h, b = m.split(b'\r\n\r\n', 1)
out = eval(sys.argv[3])
open(sys.argv[2], 'wb').write(out)
PY
}
damage word-changed "h + b'\r\n\r\n' + b.replace(b'winter catalogue is out', b'winter catalogue is OUT')"
damage crcrlf "h + b'\r\n\r\n' + b.replace(b'\r\n', b'\r\r\n')"
damage ws-stripped "h + b'\r\n\r\n' + b.replace(b' \r\n', b'\r\n')"
damage subject-changed "h.replace(b'Subject: Winter catalogue', b'Subject: Winter catalogue -50%') + b'\r\n\r\n' + b"
damage footer "h + b'\r\n\r\n' + b + b'--\r\nYou receive this because you subscribed.\r\n'"
damage qp "h.replace(b'Transfer-Encoding: 8bit', b'Transfer-Encoding: quoted-printable') + b'\r\n\r\n' + quopri.encodestring(b.replace(b'\r\n', b'\n')).replace(b'\n', b'\r\n')"
damage ed-subject "h.replace(b'Subject: Winter catalogue', b'Subject: Summer') + b'\r\n\r\n' + b" signed-ed

explain() {	# case zone -> output in $T/case.out
	"$FBL_BIN" verify --zone "$T/$2.zone" --explain "$T/$1.eml" \
	    > "$T/$1.$2.out" 2>&1
}

expect() {	# name case zone phrase...
	_name=$1 _case=$2 _zone=$3
	shift 3
	explain "$_case" "$_zone"
	for _p in "$@"; do
		if grep -qF -- "$_p" "$T/$_case.$_zone.out"; then
			ok "explain/$_name: $_p"
		else
			not_ok "explain/$_name" "missing \"$_p\" in: $(grep -A12 'diagnosis' "$T/$_case.$_zone.out" | tr '\n' '|')"
		fi
	done
}

# the original passes, and the trace shows each step
expect original signed good "verdict: pass (ok)" \
    "key query: s1._domainkey.example.test TXT" \
    "key: rsa, 2048 bits" "MATCH" "signature over it: VERIFIES" \
    "| from:Shop <news@example.test>\r\n" "| dkim-signature:v=1;"
expect word-changed word-changed good "verdict: fail (body-hash-mismatch)" \
    "failing step: body hash" "cause: body modified after signing" \
    "the header signature verifies, so key and headers are right"
expect crcrlf crcrlf good "failing step: body hash" \
    "cause: line endings rewritten" "CR CR LF"
expect ws-stripped ws-stripped good "failing step: body hash" \
    "cause: trailing whitespace stripped"
expect subject-changed subject-changed good \
    "verdict: fail (signature-mismatch)" \
    "failing step: header signature" "well-formed DigestInfo" \
    "the key IS the one that signed" "cause: headers changed"
expect rotated signed rotated "verdict: fail (signature-mismatch)" \
    "bad padding" "cause: not the signing key"
expect footer footer good "cause: content appended after signing" \
    "starting at a MIME boundary"
expect qp qp good "cause: body re-encoded as quoted-printable"
expect ed25519-subject ed-subject good "failing step: header signature" \
    "ed25519 signature cannot tell"

# --explain keeps the exit status of a plain verify
"$FBL_BIN" verify --zone "$T/good.zone" --explain "$T/signed.eml" >/dev/null
check_eq explain/exit-pass "$?" 0
"$FBL_BIN" verify --zone "$T/good.zone" --explain "$T/crcrlf.eml" >/dev/null
check_eq explain/exit-fail "$?" 1

fbl_done
exit $?
