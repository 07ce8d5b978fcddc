#!/bin/sh
# SPDX-License-Identifier: ISC
# explain_formats.sh: what `fblscope verify` finds, said alike in every
# format (issue 14, items 3-5).
#
# - l= warnings: a signature with l= that passes while content follows the
#   signed length says how many canonical body bytes are unsigned, in the
#   text line, the JSON field l_unsigned_bytes, an Authentication-Results
#   comment and --explain.
# - the diagnosis in JSON and in an Authentication-Results comment: with
#   --explain, --format json gives each failed signature a "diagnosis"
#   object (docs/verify-json.md) and --format ar a comment with the same
#   conclusion the text shows.
# - ARF reports verified directly: `verify` on a feedback report verifies
#   the original it carries and says so (--no-arf turns that off); `arf
#   --explain` explains the original's signatures.
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

zone=good
verify() {	# out case [options...]: stdout to $T/out, status to $T/out.rc
	_o=$1 _c=$2
	shift 2
	"$FBL_BIN" verify --zone "$T/$zone.zone" "$@" "$T/$_c.eml" \
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

# --- the diagnosis in JSON and A-R --------------------------------------------

# 46 bytes appended after the signed body, starting at a boundary line:
# "--" CRLF, 40 bytes of text, CRLF.  The signed canonical body is 55 bytes.
{ cat "$T/signed.eml"; printf -- '--\r\nYou receive this because you subscribed.\r\n'; } \
    > "$T/footer.eml"
sed 's/^Subject: Winter catalogue/Subject: [list] Winter catalogue/' \
    "$T/signed.eml" > "$T/subject.eml"

D="j['signatures'][0]['diagnosis']"
verify ft-json footer --explain --format json
check_eq fmt/diag/json-exit "$(cat "$T/ft-json.rc")" 1
json fmt/diag/json-lines "$T/ft-json" "len(open(sys.argv[1]).read().splitlines())" 1
# the fields of plain --format json are all still there
json fmt/diag/json-fields "$T/ft-json" \
    "(j['result'], j['has_body'], j['signature_count'], j['signatures'][0]['reason'], j['signatures'][0]['body_verified'])" \
    "('fail', True, 1, 'body-hash-mismatch', False)"
json fmt/diag/json-steps "$T/ft-json" "$D['steps']" "['body_hash']"
json fmt/diag/json-cause "$T/ft-json" "($D['cause'], $D['body']['cause'])" \
    "('appended-content', 'appended-content')"
json fmt/diag/json-bytes "$T/ft-json" \
    "($D['body']['signed_bytes'], $D['body']['appended_bytes'], $D['body']['at_mime_boundary'])" \
    "(55, 46, True)"
json fmt/diag/json-header-fine "$T/ft-json" "$D['header']" None
json fmt/diag/json-conclusion "$T/ft-json" \
    "$D['conclusion'].startswith('content appended after signing: the first 55 canonical bytes')" True
json fmt/diag/json-cut "$T/ft-json" "j['diagnosis_cut']" False
# the text says the same sentence and names the same cause
verify ft-text footer --explain
_concl=$($PYTHON -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())['signatures'][0]['diagnosis']['conclusion'])" "$T/ft-json")
has fmt/diag/text-same-sentence "$T/ft-text" "    cause: $_concl"
has fmt/diag/text-conclusion "$T/ft-text" "    conclusion: appended-content"
# the A-R comment carries it too (a comment: parentheses and backslashes
# quoted), after the result word
verify ft-ar footer --explain --format ar
_ar=$($PYTHON - "$T/ft-ar" <<'PY'
import re, sys
a = open(sys.argv[1]).read().replace('\n\t', ' ')
m = re.search(r'dkim=fail \(diagnosis: ([a-z-]+): ((?:[^()\\]|\\.)*)\) reason=', a)
print(m.group(1) + ': ' + re.sub(r'\\(.)', r'\1', m.group(2)) if m else 'no comment in: ' + a)
PY
)
check_eq fmt/diag/ar-comment "$_ar" "appended-content: $_concl"
# without --explain nothing is diagnosed (the cost is the failures')
verify ft-ar0 footer --format ar
hasnt fmt/diag/ar-plain "$T/ft-ar0" "diagnosis"
verify ft-json0 footer --format json
json fmt/diag/json-plain "$T/ft-json0" "'diagnosis' in j['signatures'][0] or 'diagnosis_cut' in j" False

# a changed Subject: the digest recovered from b= is the one the signer
# hashed, the digest of the undamaged header block
verify ok-json signed --explain --format json
json fmt/diag/pass-none "$T/ok-json" "$D" None
json fmt/diag/pass-bh "$T/ok-json" \
    "j['signatures'][0]['trace']['body_hash_computed'] == j['signatures'][0]['trace']['body_hash_declared']" True
json fmt/diag/pass-block "$T/ok-json" \
    "j['signatures'][0]['trace']['signed_header_lines'][0]" "from:Shop <news@example.test>"
_hh=$($PYTHON -c "import json,sys; print(json.loads(open(sys.argv[1]).readline())['signatures'][0]['trace']['header_hash'])" "$T/ok-json")
verify sj-json subject --explain --format json
json fmt/diag/subject-steps "$T/sj-json" "$D['steps']" "['header_signature']"
json fmt/diag/subject-recovered "$T/sj-json" \
    "($D['header']['recovered'], $D['header']['recovered_hash'], $D['header']['signing_key'])" \
    "('digest', 'sha256', True)"
json fmt/diag/subject-digest "$T/sj-json" "$D['header']['recovered_digest']" "$_hh"
json fmt/diag/subject-differs "$T/sj-json" \
    "j['signatures'][0]['trace']['header_hash'] != '$_hh'" True
json fmt/diag/subject-cause "$T/sj-json" "$D['cause']" header-field-rewritten
json fmt/diag/subject-rewritten "$T/sj-json" \
    "[(r['field'], r['transform'], r['signed']) for r in $D['header']['rewritten']]" \
    "[('Subject', 'subject-list-tag-added', 'Subject: Winter catalogue')]"
json fmt/diag/subject-hypotheses "$T/sj-json" \
    "$D['header']['hypotheses'] > 0 and not $D['header']['hypotheses_cut']" True

# the key rotated away: the signature does not open to a digest
zone=rotated
verify rot-json signed --explain --format json
json fmt/diag/rotated "$T/rot-json" \
    "($D['header']['recovered'], $D['header']['signing_key'], $D['cause'])" \
    "('bad-padding', False, 'not-signing-key')"
# no key at all
: > "$T/empty.zone"
zone=empty
verify nokey-json signed --explain --format json
json fmt/diag/no-key "$T/nokey-json" "($D['steps'], $D['cause'])" \
    "(['key_lookup'], 'key-not-found')"
verify nokey-ar signed --explain --format ar
zone=good
has fmt/diag/no-key-ar "$T/nokey-ar" "dkim=permerror (diagnosis: key-not-found: key rotated away"

# --- ARF reports verified directly ------------------------------------------

# dated now: arf verifies as of the report's date, and dkimpy signed now
now=$(LC_ALL=C date -u '+%a, %d %b %Y %H:%M:%S +0000')
mkarf() {	# out case: an RFC 5965 report carrying $T/case.eml
	{
		printf '%s\r\n' \
		    'From: Feedback Loop <fbl@isp.test>' \
		    'To: abuse@example.test' \
		    'Subject: complaint about message from example.test' \
		    "Date: $now" \
		    'Message-ID: <report-1@isp.test>' \
		    'MIME-Version: 1.0' \
		    'Content-Type: multipart/report; report-type=feedback-report; boundary="rep"' \
		    '' '--rep' 'Content-Type: text/plain' '' \
		    'A user of isp.test complained about the attached message.' \
		    '' '--rep' 'Content-Type: message/feedback-report' '' \
		    'Feedback-Type: abuse' 'User-Agent: isp-fbl/1.0' 'Version: 1' \
		    'Original-Mail-From: <news@example.test>' \
		    'Reported-Domain: example.test' \
		    '' '--rep' 'Content-Type: message/rfc822' ''
		cat "$T/$2.eml"
		printf '\r\n--rep--\r\n'
	} > "$T/$1.eml"
}
mkarf report signed
mkarf report-footer footer

verify arf-text report
check_eq fmt/arf/text-exit "$(cat "$T/arf-text.rc")" 0
has fmt/arf/text-said "$T/arf-text" "original of a feedback report (ARF)"
has fmt/arf/text-pass "$T/arf-text" "signature 1 d=example.test s=s1 a=rsa-sha256: pass (ok)"
verify arf-json report --format json
json fmt/arf/json "$T/arf-json" \
    "(j['arf_original'], j['result'], j['signatures'][0]['result'])" \
    "('rfc822', 'pass', 'pass')"
verify arf-ar report --format ar
has fmt/arf/ar "$T/arf-ar" "original of a feedback report (ARF)"
has fmt/arf/ar-pass "$T/arf-ar" "dkim=pass header.d=example.test"
# the flag turns the detection off: the report itself has no signature
verify arf-off report --no-arf
check_eq fmt/arf/off-exit "$(cat "$T/arf-off.rc")" 1
has fmt/arf/off-none "$T/arf-off" ": none: no DKIM-Signature"
hasnt fmt/arf/off-unsaid "$T/arf-off" "feedback report"
verify arf-off-json report --no-arf --format json
json fmt/arf/off-json "$T/arf-off-json" "(j['arf_original'], j['result'])" "(None, 'none')"
# plain mail is not a report
json fmt/arf/plain-json "$T/ok-json" "j['arf_original']" None
# the explanation of a damaged original, through verify and through arf
verify arf-explain report-footer --explain
has fmt/arf/explain-said "$T/arf-explain" "original of a feedback report (ARF)"
has fmt/arf/explain-cause "$T/arf-explain" "cause: content appended after signing"
"$FBL_BIN" arf --zone "$T/good.zone" --explain "$T/report-footer.eml" \
    > "$T/arf-cmd" 2> "$T/arf-cmd.err"
check_eq fmt/arf/cmd-exit "$?" 0
has fmt/arf/cmd-kind "$T/arf-cmd" "arf (complaint)"
has fmt/arf/cmd-key "$T/arf-cmd" "key query: s1._domainkey.example.test TXT"
has fmt/arf/cmd-verdict "$T/arf-cmd" "verdict: fail (body-hash-mismatch)"
has fmt/arf/cmd-cause "$T/arf-cmd" "cause: content appended after signing"
has fmt/arf/cmd-conclusion "$T/arf-cmd" "conclusion: appended-content"
"$FBL_BIN" arf --zone "$T/good.zone" --explain --format json \
    "$T/report-footer.eml" > "$T/arf-cmd-json" 2> "$T/arf-cmd.err"
json fmt/arf/cmd-json "$T/arf-cmd-json" \
    "(j['kind'], $D['cause'], $D['body']['appended_bytes'])" \
    "('arf', 'appended-content', 46)"
"$FBL_BIN" arf --zone "$T/good.zone" --format json "$T/report-footer.eml" \
    > "$T/arf-cmd-json0" 2> "$T/arf-cmd.err"
json fmt/arf/cmd-json-plain "$T/arf-cmd-json0" \
    "'diagnosis' in j['signatures'][0]" False

# the corpus, read in place: every report that carries an original is
# verified through it; one whose original is signed never says "none"
if have_corpus arf; then
	$PYTHON - "$FBL_CORPUS" > "$T/corpus.list" <<'PY'
import csv, sys
with open(sys.argv[1] + '/expected.tsv', newline='') as f:
    for r in csv.DictReader(f, delimiter='\t'):
        if r['complaint'] == 'yes' and r['original'] not in ('none', 'inline'):
            print(r['file'], r['original_has_dkim'])
PY
	n=0
	while read -r f dk; do
		n=$((n + 1))
		"$FBL_BIN" verify --zone /dev/null "$FBL_CORPUS/$f" \
		    > "$T/c.out" 2>&1
		name=fmt/arf/corpus/$(basename "$f" .eml)
		if ! grep -qF "original of a feedback report (" "$T/c.out"; then
			not_ok "$name" "not verified as a report: $(head -c 300 "$T/c.out")"
		elif [ "$dk" = yes ] && grep -qF "no DKIM-Signature" "$T/c.out"; then
			not_ok "$name" "signed original said none: $(head -c 300 "$T/c.out")"
		else
			ok "$name"
		fi
	done < "$T/corpus.list"
	[ "$n" -gt 40 ] && ok "fmt/arf/corpus-count: $n" ||
	    not_ok fmt/arf/corpus-count "only $n reports listed"
else
	skip fmt/arf/corpus "no corpus at $FBL_CORPUS/arf"
fi

fbl_done
exit $?
