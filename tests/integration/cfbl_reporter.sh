#!/bin/sh
# SPDX-License-Identifier: ISC
# cfbl_reporter.sh: what the sender's marks and the reporter add to the
# verdicts, through `fblscope arf --format json` (and the text view):
#   - RFC 9477: a CFBL-Feedback-ID counts only under a valid signature that
#     covers it, with d= aligned to the CFBL-Address domain;
#   - Yahoo forwards only mail whose DKIM verified on arrival, so a failure
#     there is a rotated key or damage, never a forgery.
# Originals are signed here with `fblscope sign` and the samples' keys.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
S=$FBL_ROOT/samples
ZONE="--zone $S/zones/demo.zone"

original() {	# with-cfbl(yes|no) > message
	printf 'From: news@customer.example\r\nTo: someone@recipient.example\r\n'
	printf 'Subject: news\r\nDate: Sat, 21 Nov 2026 10:00:00 +0000\r\n'
	printf 'Message-ID: <cfbl-%s@customer.example>\r\n' "$1"
	if [ "$1" = yes ]; then
		printf 'CFBL-Address: fbl@fbl.myesp.example; report=arf\r\n'
		printf 'CFBL-Feedback-ID: 4711:campaign-9\r\n'
	fi
	printf '\r\nhello\r\n'
}
sign() {	# domain headers < message
	"$FBL_BIN" sign --domain "$1" --selector nov2026.myesp --timestamp 1795000000 \
	    --key "$S/keys/nov2026.myesp.$1.pem" --headers "$2" -
}
report() {	# from-domain user-agent < original
	printf 'From: fbl@%s\r\nTo: abuse@myesp.example\r\n' "$1"
	printf 'Date: Sun, 22 Nov 2026 10:00:00 +0000\r\nSubject: complaint\r\n'
	printf 'MIME-Version: 1.0\r\nContent-Type: multipart/report; report-type=feedback-report; boundary="b"\r\n\r\n'
	printf -- '--b\r\nContent-Type: text/plain\r\n\r\ncomplaint\r\n'
	printf -- '--b\r\nContent-Type: message/feedback-report\r\n\r\n'
	printf 'Feedback-Type: abuse\r\nUser-Agent: %s\r\nVersion: 1\r\n' "$2"
	printf 'Arrival-Date: Sat, 21 Nov 2026 10:01:00 +0000\r\n\r\n'
	printf -- '--b\r\nContent-Type: message/rfc822\r\n\r\n'
	cat
	printf -- '\r\n--b--\r\n'
}
field() {	# file key: the JSON value of key
	"$FBL_BIN" arf --format json $ZONE "$1" 2> /dev/null |
	    $PYTHON -c 'import json, sys; v = json.load(sys.stdin)[sys.argv[1]]; print(json.dumps(v))' "$2"
}

H=from:to:subject:date:message-id:cfbl-address:cfbl-feedback-id
original yes | sign fbl.myesp.example "$H" | report yahoo.com Yahoo!-Mail-Feedback/2.0 > "$T/covered.eml"
original yes | sign fbl.myesp.example from:to:subject:date | report yahoo.com Yahoo!-Mail-Feedback/2.0 > "$T/not-covered.eml"
original yes | sign customer.example "$H" | report gmx.net GMX-FBL/1.0 > "$T/not-aligned.eml"
original no | sign customer.example from:to:subject:date | report gmx.net GMX-FBL/1.0 > "$T/no-cfbl.eml"
# covered, but the signature no longer verifies (body changed)
sed 's/^hello/hellO/' "$T/covered.eml" > "$T/covered-broken.eml"

check_eq cfbl/covered "$(field "$T/covered.eml" cfbl_signed)" true
check_eq cfbl/not-covered "$(field "$T/not-covered.eml" cfbl_signed)" false
check_eq cfbl/not-aligned "$(field "$T/not-aligned.eml" cfbl_signed)" false
check_eq cfbl/absent "$(field "$T/no-cfbl.eml" cfbl_signed)" null
check_eq cfbl/covered-but-failing "$(field "$T/covered-broken.eml" cfbl_signed)" false

check_eq reporter/yahoo "$(field "$T/covered.eml" reporter)" '"yahoo"'
check_eq reporter/yahoo-verified-dkim "$(field "$T/covered.eml" reporter_verified_dkim)" true
check_eq reporter/gmx-not "$(field "$T/no-cfbl.eml" reporter_verified_dkim)" false
"$FBL_BIN" arf $ZONE "$T/covered-broken.eml" > "$T/broken.txt" 2>&1
grep -q 'note: this reporter forwards only mail whose DKIM verified on arrival' "$T/broken.txt" &&
    ok reporter/yahoo-failure-note || not_ok reporter/yahoo-failure-note "$(cat "$T/broken.txt")"
"$FBL_BIN" arf $ZONE "$T/covered.eml" > "$T/good.txt" 2>&1
grep -q 'note: this reporter' "$T/good.txt" &&
    not_ok reporter/no-note-when-passing "$(cat "$T/good.txt")" || ok reporter/no-note-when-passing

fbl_done
exit $?
