#!/bin/sh
# SPDX-License-Identifier: ISC
# ingest.sh: `fblscope ingest` into a private PostgreSQL: counts checked by
# SQL over the rows and by hand counts of the inputs, idempotence, Maildir
# moves only after COMMIT, a stopped server (exit 2, nothing moved), the
# report shapes of issue 16 (an original behind an mbox envelope, a JMRP
# source IP derived), and no recipient in clear anywhere in the database.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
if ! need_cmd psql pg_dump openssl; then
	skip ingest/all "psql, pg_dump or openssl missing"
	exit 0
fi
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok ingest/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB=$(cat "$T/conninfo")
S=$FBL_ROOT/samples
q() { psql "$DB" -Atc "$1"; }

"$FBL_BIN" db migrate --db "$DB" > /dev/null
check_eq ingest/migrate "$?" 0

# a site secret, and the demo configuration with it
KEY=$(openssl rand -hex 32)
(umask 077; printf '%s\n' "$KEY" > "$T/hmac.key")
{ cat "$S/fblscope.conf"; printf 'hmac-secret-file %s\n' "$T/hmac.key"; } > "$T/secret.conf"

# a hand-made report with recipients whose local parts appear nowhere else
mkdir -p "$T/hand"
cat > "$T/hand/handmade.eml" <<'EOF'
From: feedback@fbl.isp.example
To: fbl@myesp.example
Date: Sat, 21 Nov 2026 10:00:00 +0000
Subject: FW: complaint
Message-ID: <hand-1@isp.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="BB"

--BB
Content-Type: text/plain

This is an abuse report.

--BB
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: HandMade/1.0
Version: 1
Original-Mail-From: <bounce@myesp.example>
Original-Rcpt-To: <Qzxwvinjected1@recipient.example>
Original-Rcpt-To: qzxwvinjected2@recipient.example
Arrival-Date: Fri, 20 Nov 2026 09:00:00 +0000
Source-IP: 192.0.2.10

--BB
Content-Type: message/rfc822

From: shop@customer.example
To: qzxwvinjected1@recipient.example
Subject: hello
Date: Fri, 20 Nov 2026 08:59:00 +0000

hello
--BB--
EOF

CFG="--config $S/fblscope.conf --zone $S/zones/demo.zone"
SCFG="--config $T/secret.conf --zone $S/zones/demo.zone"
nsamples=$(ls "$S"/mail/*.eml | wc -l)
"$FBL_BIN" ingest --db "$DB" $CFG "$S"/mail/*.eml 2> "$T/i1.err"
check_eq ingest/samples-exit "$?" 0
check_eq ingest/samples-kind \
    "$(q "SELECT count(*) FROM report WHERE kind = 'sample' AND NOT complaint")" "$nsamples"

"$FBL_BIN" ingest --db "$DB" $SCFG "$T/hand" 2> "$T/i2.err"
check_eq ingest/handmade-exit "$?" 0
want1=$(printf '%s' 'qzxwvinjected1@recipient.example' | openssl dgst -sha256 -hmac "$KEY" | sed 's/.*= *//')
want2=$(printf '%s' 'qzxwvinjected2@recipient.example' | openssl dgst -sha256 -hmac "$KEY" | sed 's/.*= *//')
check_eq ingest/recipient-hmac \
    "$(q "SELECT encode(recipient_hmac[1], 'hex') || ' ' || encode(recipient_hmac[2], 'hex') FROM report WHERE source LIKE '%handmade.eml'")" \
    "$want1 $want2"
check_eq ingest/handmade-day \
    "$(q "SELECT msg_day || ' ' || kind || ' ' || complaint FROM report WHERE source LIKE '%handmade.eml'")" \
    "2026-11-20 arf true"

# privacy (issue 11, item 11): a VERP envelope sender keeps only its domain
# and a keyed hash of its local part; a z= that copies a recipient never
# reaches the database (the signature's facts are kept: key-not-found is
# an open verdict)
mkdir -p "$T/hand2"
cat > "$T/hand2/verp.eml" <<'EOF'
From: feedback@fbl.isp.example
To: fbl@myesp.example
Date: Sat, 21 Nov 2026 10:00:00 +0000
Subject: FW: complaint
Message-ID: <hand-2@isp.example>
MIME-Version: 1.0
Content-Type: multipart/report; report-type=feedback-report; boundary="BB"

--BB
Content-Type: text/plain

This is an abuse report.

--BB
Content-Type: message/feedback-report

Feedback-Type: abuse
User-Agent: HandMade/1.0
Version: 1
Original-Mail-From: <bounce-123-qzxwvverp=recipient.example@esp.example>
Arrival-Date: Fri, 20 Nov 2026 09:00:00 +0000

--BB
Content-Type: message/rfc822

DKIM-Signature: v=1; a=rsa-sha256; d=nokey.example; s=x; h=from:to;
 z=To:=20qzxwvzcopy@recipient.example|From:=20shop@nokey.example;
 bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA
From: shop@nokey.example
To: qzxwvzcopy@recipient.example
Subject: hello
Date: Fri, 20 Nov 2026 08:59:00 +0000

hello
--BB--
EOF
"$FBL_BIN" ingest --db "$DB" $SCFG "$T/hand2" 2> "$T/i2b.err"
check_eq ingest/privacy-exit "$?" 0 "$(cat "$T/i2b.err")"
wantv=$(printf '%s' 'bounce-123-qzxwvverp=recipient.example' | openssl dgst -sha256 -hmac "$KEY" | sed 's/.*= *//')
check_eq ingest/privacy-verp-hashed \
    "$(q "SELECT original_mail_from FROM report WHERE source LIKE '%verp.eml'")" "$wantv@esp.example"
check_eq ingest/privacy-facts-kept \
    "$(q "SELECT count(*) FROM signature_facts f JOIN report r USING (msg_day, fingerprint) WHERE r.source LIKE '%verp.eml'")" 1
check_eq ingest/privacy-z-not-stored \
    "$(q "SELECT position('z=' in convert_from(f.field, 'UTF8')) FROM signature_facts f JOIN report r USING (msg_day, fingerprint) WHERE r.source LIKE '%verp.eml'")" 0
# bytea is dumped in hex: look for both forms
pg_dump "$DB" > "$T/privacy.dump" 2>/dev/null
hexz=$(printf qzxwvzcopy | od -An -tx1 | tr -d ' \n')
hexv=$(printf qzxwvverp | od -An -tx1 | tr -d ' \n')
if grep -qi "qzxwvzcopy\|qzxwvverp\|$hexz\|$hexv" "$T/privacy.dump"; then
	not_ok ingest/privacy-nowhere "$(grep -o '.\{30\}qzxwv[a-z]*.\{10\}' "$T/privacy.dump" | head -3)"
else
	ok ingest/privacy-nowhere
fi

nfiles=$((nsamples + 2))
ncomplaints=2
if have_corpus arf && have_corpus not-arf; then
	narf=$(ls "$FBL_CORPUS"/arf/*.eml | wc -l)
	nnot=$(ls "$FBL_CORPUS"/not-arf/*.eml | wc -l)
	nfiles=$((nfiles + narf + nnot))
	ncomplaints=$((ncomplaints + $(awk -F'\t' 'NR > 1 && $2 == "yes"' "$FBL_CORPUS/expected.tsv" | wc -l)))
	"$FBL_BIN" ingest --db "$DB" $SCFG "$FBL_CORPUS/arf" "$FBL_CORPUS/not-arf" 2> "$T/i3.err"
	r=$?
	[ "$r" -le 1 ] && ok ingest/corpus-exit || not_ok ingest/corpus-exit "exit $r: $(tail -n 2 "$T/i3.err")"
	check_eq ingest/not-arf-never-complaint \
	    "$(q "SELECT count(*) FROM report WHERE complaint AND (kind = 'not-arf' OR source LIKE '%/not-arf/%')")" 0
else
	skip ingest/corpus "no corpus at $FBL_CORPUS"
fi
check_eq ingest/report-rows "$(q 'SELECT count(*) FROM report')" "$nfiles"
check_eq ingest/complaints "$(q 'SELECT count(*) FROM report WHERE complaint')" "$ncomplaints"

# the aggregates equal the rows grouped the same way (both directions)
REP="SELECT msg_day, kind, coalesce(reporter, ''), coalesce(feedback_type, ''), count(*) FROM report GROUP BY 1, 2, 3, 4"
DR="SELECT day, kind, reporter, feedback_type, count FROM daily_report"
SIG="SELECT s.msg_day, r.kind, lower(coalesce(s.d, '')), s.role, coalesce(s.customer_id, ''), coalesce(s.s, ''), coalesce(r.reporter, ''), coalesce(r.feedback_type, ''), s.result, s.reason, count(*) FROM signature s JOIN report r USING (msg_day, fingerprint) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
DS="SELECT day, kind, token, role, customer_id, selector, reporter, feedback_type, result, reason, count FROM daily_signature"
check_aggregates() {	# tag
	check_eq "ingest/daily-report-$1" \
	    "$(q "SELECT count(*) FROM (($REP EXCEPT $DR) UNION ALL ($DR EXCEPT $REP)) x")" 0
	check_eq "ingest/daily-signature-$1" \
	    "$(q "SELECT count(*) FROM (($SIG EXCEPT $DS) UNION ALL ($DS EXCEPT $SIG)) x")" 0
}
check_aggregates first
check_eq ingest/some-signatures "$(q 'SELECT count(*) > 0 FROM signature')" t

SNAP="SELECT (SELECT count(*) FROM report) || ' ' || (SELECT count(*) FROM signature) || ' ' || (SELECT coalesce(sum(count), 0) FROM daily_report) || ' ' || (SELECT coalesce(sum(count), 0) FROM daily_signature) || ' ' || (SELECT md5(coalesce(string_agg(d::text, ',' ORDER BY d::text), '')) FROM daily_signature d)"
before=$(q "$SNAP")
# everything again: nothing counts twice
"$FBL_BIN" ingest --db "$DB" $CFG "$S"/mail/*.eml 2> /dev/null
"$FBL_BIN" ingest --db "$DB" $SCFG "$T/hand" 2> /dev/null
if have_corpus arf && have_corpus not-arf; then
	"$FBL_BIN" ingest --db "$DB" $SCFG --batch 7 "$FBL_CORPUS/arf" "$FBL_CORPUS/not-arf" 2> /dev/null
fi
check_eq ingest/again-unchanged "$(q "$SNAP")" "$before"

# a Maildir of messages not stored yet (an unsigned header added on top)
MD=$T/Maildir
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
n=0
for f in "$S"/mail/01-good.eml "$S"/mail/02-good-ed25519.eml "$S"/mail/03-body-changed.eml; do
	n=$((n + 1))
	{ printf 'X-Maildir-Test: %s\n' "$n"; cat "$f"; } > "$MD/new/170000000$n.M1P1.test"
done
# the server stopped: exit 2, nothing moved
sh "$FBL_ROOT/tests/lib/pg.sh" stop "$T/pg"
"$FBL_BIN" ingest --db "$DB connect_timeout=3" $CFG "$MD" 2> "$T/i4.err"
check_eq ingest/server-down-exit "$?" 2
check_eq ingest/server-down-stays-in-new "$(ls "$MD/new" | wc -l) $(ls "$MD/cur" | wc -l)" "3 0"
sh "$FBL_ROOT/tests/lib/pg.sh" restart "$T/pg"
# --keep: stored, not moved
"$FBL_BIN" ingest --db "$DB" $CFG --keep --batch 2 "$MD" 2> "$T/i5.err"
check_eq ingest/keep-exit "$?" 0
check_eq ingest/keep-stays-in-new "$(ls "$MD/new" | wc -l) $(ls "$MD/cur" | wc -l)" "3 0"
"$FBL_BIN" ingest --db "$DB" $CFG --batch 2 "$MD" 2> "$T/i6.err"
check_eq ingest/maildir-exit "$?" 0
check_eq ingest/maildir-moved "$(ls "$MD/new" | wc -l) $(ls "$MD/cur" | grep -c ':2,S$')" "0 3"
nfiles=$((nfiles + 3))
check_eq ingest/report-rows-after-maildir "$(q 'SELECT count(*) FROM report')" "$nfiles"
check_eq ingest/maildir-rows \
    "$(q "SELECT count(*) FROM report WHERE kind = 'sample' AND source LIKE '%Maildir/%'")" 3
check_aggregates after-restart

# a batch failing in its middle (a trigger refuses one message): that batch
# is rolled back whole and its messages stay in new/; the batch before it
# is stored and moved
M2=$T/Maildir2
mkdir -p "$M2/new" "$M2/cur" "$M2/tmp"
n=0
for f in 04-crcrlf 05-whitespace-stripped 06-subject-changed 07-footer-added; do
	n=$((n + 1))
	name=170000010$n.M1P1.test
	[ $n = 4 ] && name=170000010$n.M1P1.poison
	{ printf 'X-Maildir-Test: 2-%s\n' "$n"; cat "$S/mail/$f.eml"; } > "$M2/new/$name"
done
q "CREATE FUNCTION test_poison() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN IF NEW.source LIKE '%poison%' THEN RAISE EXCEPTION 'poisoned'; END IF; RETURN NEW; END \$\$; CREATE TRIGGER poison BEFORE INSERT ON report FOR EACH ROW EXECUTE FUNCTION test_poison()" > /dev/null
"$FBL_BIN" ingest --db "$DB" $CFG --batch 2 "$M2" 2> "$T/i7.err"
check_eq ingest/failed-batch-exit "$?" 2
check_eq ingest/failed-batch-stays-in-new "$(ls "$M2/new" | wc -l) $(ls "$M2/cur" | wc -l)" "2 2"
check_eq ingest/failed-batch-rows "$(q "SELECT count(*) FROM report WHERE source LIKE '%Maildir2/%'")" 2
check_aggregates failed-batch
q "DROP TRIGGER poison ON report" > /dev/null
"$FBL_BIN" ingest --db "$DB" $CFG --batch 2 "$M2" 2> "$T/i8.err"
check_eq ingest/after-failed-batch-exit "$?" 0
check_eq ingest/after-failed-batch-moved "$(ls "$M2/new" | wc -l) $(ls "$M2/cur" | grep -c ':2,S$')" "0 4"
nfiles=$((nfiles + 4))
check_eq ingest/report-rows-after-failed-batch "$(q 'SELECT count(*) FROM report')" "$nfiles"
check_aggregates after-failed-batch

# a batch ended by a deadlock is run again, whole (fbl/store/db.h): the
# first attempt is refused after the rows went in, the second stores them
# once, their counts once
M3=$T/Maildir3
mkdir -p "$M3/new" "$M3/cur" "$M3/tmp"
for f in 01-good 02-good-ed25519; do
	{ printf 'X-Maildir-Test: 3-%s\n' "$f"; cat "$S/mail/$f.eml"; } > "$M3/new/1700000200.$f.test"
done
q "CREATE SEQUENCE test_attempts; CREATE FUNCTION test_deadlock() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN IF nextval('test_attempts') = 1 THEN RAISE EXCEPTION 'test: deadlock' USING ERRCODE = '40P01'; END IF; RETURN NULL; END \$\$; CREATE TRIGGER test_deadlock AFTER INSERT ON daily_report FOR EACH STATEMENT EXECUTE FUNCTION test_deadlock()" > /dev/null
"$FBL_BIN" ingest --db "$DB" $CFG "$M3" 2> "$T/i9.err"
check_eq ingest/deadlock-retried "$? $(q 'SELECT last_value FROM test_attempts')" "0 2" "$(tail -n 2 "$T/i9.err")"
q "DROP TRIGGER test_deadlock ON daily_report" > /dev/null
nfiles=$((nfiles + 2))
check_eq ingest/deadlock-rows-once "$(q 'SELECT count(*) FROM report')" "$nfiles"
check_aggregates after-deadlock

# COPY escaping: a backslash, a tab and a quote survive as they were; one
# message twice in one batch is stored once and counted as a duplicate
mkdir -p "$T/esc"
sed -e 's/^User-Agent: .*/User-Agent: Back\\slash	tab "q" {x}/' \
    -e 's/^Message-ID: .*/Message-ID: <esc-1@isp.example>/' \
    "$T/hand/handmade.eml" > "$T/esc/a.eml"
cp "$T/esc/a.eml" "$T/esc/b.eml"
"$FBL_BIN" ingest --db "$DB" $CFG "$T/esc" 2> "$T/i9.err"
check_eq ingest/escape-exit "$?" 0
check_eq ingest/escape-user-agent \
    "$(q "SELECT user_agent FROM report WHERE source LIKE '%/esc/%'")" \
    "$(printf 'Back\\slash\ttab "q" {x}')"
check_eq ingest/same-message-twice-in-batch \
    "$(q "SELECT count(*) FROM report WHERE source LIKE '%/esc/%'")" 1
grep -q ' 1 duplicates skipped' "$T/i9.err" && ok ingest/same-message-twice-summary ||
    not_ok ingest/same-message-twice-summary "$(tail -n 3 "$T/i9.err")"
nfiles=$((nfiles + 1))
check_aggregates escape

# issue 16, item 3: an original behind blank lines and an mbox From_ line
# (complaints forwarded through Amazon SES) is verified, not taken for a
# redacted copy; a Microsoft JMRP complaint's source IP is derived from its
# Subject, else from Microsoft's own Received field of the original, and
# stored marked as derived
mkdir -p "$T/shapes"
good=$(tr -d '\r' < "$S/mail/01-good.eml")
{
	printf '%s\n' 'From: complaints@email-abuse.amazonses.com' \
	    'Date: Sun, 22 Nov 2026 11:00:00 +0000' 'Subject: FW: offers' \
	    'Message-ID: <ses-fwd-1@amazonses.example>' 'MIME-Version: 1.0' \
	    'Content-Type: multipart/report; report-type=feedback-report; boundary="R"' \
	    '' '--R' 'Content-Type: text/plain' '' 'An abuse report.' \
	    '--R' 'Content-Type: message/feedback-report' '' \
	    'Feedback-Type: abuse' 'User-Agent: Yahoo!-Mail-Feedback/2.0' \
	    'Version: 1' 'Arrival-Date: Sun, 22 Nov 2026 10:00:00 +0000' \
	    'Source-IP: 192.0.2.10' '' '--R' 'Content-Type: message/rfc822' '' \
	    '' '' 'From bounce@fbl.myesp.example Sun Nov 22 10:00:00 2026'
	printf '%s\n' "$good" '--R--'
} > "$T/shapes/ses-forward.eml"
jmrp() {	# file subject received-line
	{
		printf '%s\n' 'From: staff@hotmail.com' \
		    'Date: Sun, 22 Nov 2026 11:00:00 +0000' "Subject: $2" \
		    "Message-ID: <$1@hotmail.example>" 'MIME-Version: 1.0' \
		    'Content-Type: multipart/mixed; boundary="J"' '' '--J' \
		    'Content-Type: message/rfc822' '' \
		    'X-HmXmrOriginalRecipient: reader@hotmail.example' "$3"
		printf '%s\n' "$good" '--J--'
	} > "$T/shapes/$1.eml"
}
jmrp jmrp-subject 'complaint about message from 192.0.2.44' \
    'Received: from mail.customer.example ([198.51.100.8]) by mx1.hotmail.com'
jmrp jmrp-received 'complaint about message from 192.0.2.xxx' \
    'Received: from mail.customer.example ([198.51.100.8]) by mx1.hotmail.com'
"$FBL_BIN" ingest --db "$DB" $CFG "$T/shapes" 2> "$T/i10.err"
check_eq ingest/shapes-exit "$?" 0 "$(tail -n 2 "$T/i10.err")"
check_eq ingest/ses-forward-original \
    "$(q "SELECT original_form || ' ' || coalesce(array_to_string(deviations, ','), '') FROM report WHERE source LIKE '%ses-forward.eml'")" \
    'rfc822 original-mbox-from-line,original-leading-blank-lines'
check_eq ingest/ses-forward-verified \
    "$(q "SELECT string_agg(s.d || '=' || s.result, ' ' ORDER BY s.idx) FROM signature s JOIN report r USING (msg_day, fingerprint) WHERE r.source LIKE '%ses-forward.eml'")" \
    'fbl.myesp.example=pass customer.example=pass'
check_eq ingest/jmrp-derived \
    "$(q "SELECT string_agg(substring(source from '[a-z-]*[.]eml\$') || ' ' || source_ip || ' ' || source_ip_derived, ', ' ORDER BY source) FROM report WHERE reporter = 'microsoft' AND source LIKE '%/shapes/%'")" \
    'jmrp-received.eml 198.51.100.8 received, jmrp-subject.eml 192.0.2.44 subject'
check_eq ingest/field-not-derived \
    "$(q "SELECT source_ip || ' ' || coalesce(source_ip_derived, 'null') FROM report WHERE source LIKE '%ses-forward.eml'")" \
    '192.0.2.10 null'
nfiles=$((nfiles + 3))
check_eq ingest/report-rows-after-shapes "$(q 'SELECT count(*) FROM report')" "$nfiles"

# no recipient in clear anywhere in the database
pg_dump "$DB" > "$T/dump.sql" 2> "$T/dump.err"
check_eq ingest/pg-dump "$?" 0
if grep -qi 'qzxwvinjected' "$T/dump.sql"; then
	not_ok ingest/no-recipient-in-clear "a hand-made recipient is in the dump"
else
	ok ingest/no-recipient-in-clear
fi
if have_corpus arf; then
	leaked=
	for a in $(grep -rhi '^Original-Rcpt-To:' "$FBL_CORPUS/arf" "$FBL_CORPUS/not-arf" |
	    sed 's/^[^:]*: *//; s/.*<//; s/>.*//' | tr -d '\r' | sort -u); do
		grep -qiF "$a" "$T/dump.sql" && leaked="$leaked $a"
	done
	check_eq ingest/no-corpus-recipient-in-clear "$leaked" ""
fi

"$FBL_BIN" ingest 2> /dev/null
check_eq ingest/usage-exit "$?" 2

fbl_done
exit $?
