#!/bin/sh
# SPDX-License-Identifier: ISC
# ingest_mailbox.sh: ingest the generated feedback-loop mailbox
# (samples/gen_mailbox.c) and compare what PostgreSQL holds, message by
# message, with the generator's own manifest: the independent truth.
. "$(dirname "$0")/../lib/common.sh"
. "$FBL_ROOT/tests/lib/mailbox_rows.sh"

T=$FBL_TMP
N=${FBL_MAILBOX_N:-10000}
if ! sh "$FBL_ROOT/samples/mailbox.sh" "$T/mb" "$N" 7 > "$T/gen.log" 2>&1; then
	not_ok ingest-mailbox/generate "$(tail -3 "$T/gen.log")"
	exit 1
fi
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok ingest-mailbox/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB=$(cat "$T/conninfo")
"$FBL_BIN" db migrate --db "$DB" > /dev/null || { not_ok ingest-mailbox/migrate "failed"; exit 1; }

"$FBL_BIN" ingest --db "$DB" --zone "$T/mb/keys.zone" \
    --config "$T/mb/fblscope.conf" --keep "$T/mb/Maildir" > "$T/ingest.out" 2> "$T/ingest.err"
rc=$?
# garbage is in the mailbox on purpose: exit 1 says some message was unparseable
check_eq ingest-mailbox/exit "$rc" 1 "$(tail -2 "$T/ingest.err")"

mailbox_rows "$DB" "$T/rows.tsv" "$T/daily.tsv"

$PYTHON "$FBL_ROOT/tests/lib/mailbox_check.py" "$T/mb" "$T/rows.tsv" "$T/daily.tsv" ingest-mailbox --standing

# unparseable messages are stored with their reason, and the summary
# counts them by reason
nunp=$(psql "$DB" -Atc "SELECT count(*) FROM report WHERE kind = 'unparseable'")
check_eq ingest-mailbox/unparseable-reasons-stored \
    "$(psql "$DB" -Atc "SELECT count(*) FROM report WHERE kind = 'unparseable' AND decided LIKE 'not a message: %'")" "$nunp"
check_eq ingest-mailbox/unparseable-summary-by-reason \
    "$(sed -n 's/^  unparseable: \([0-9]*\) .*/\1/p' "$T/ingest.err" | awk '{ n += $1 } END { print n + 0 }')" "$nunp"
[ "$nunp" -gt 0 ] && ok ingest-mailbox/some-unparseable || not_ok ingest-mailbox/some-unparseable "the mailbox has garbage: none found"

# Yahoo's reports are marked: it forwards only mail whose DKIM verified
nyahoo=$(awk -F'\t' 'NR > 1 && $6 == "yahoo" && $4 == "arf"' "$T/mb/manifest.tsv" | wc -l)
check_eq ingest-mailbox/yahoo-verified-dkim \
    "$(psql "$DB" -Atc "SELECT count(*) FILTER (WHERE reporter_verified_dkim), count(*) FILTER (WHERE reporter_verified_dkim IS NOT NULL) - count(*) FILTER (WHERE complaint) FROM report")" \
    "$nyahoo|0"

# the same mailbox again: nothing is counted twice (--keep: the run below
# reads it again from new/)
before=$(psql "$DB" -Atc "SELECT count(*), sum(count) FROM daily_signature")
rows_before=$(psql "$DB" -Atc "SELECT count(*) FROM report")
"$FBL_BIN" ingest --db "$DB" --zone "$T/mb/keys.zone" \
    --config "$T/mb/fblscope.conf" --keep "$T/mb/Maildir" > /dev/null 2>&1
check_eq ingest-mailbox/again-rows "$(psql "$DB" -Atc "SELECT count(*) FROM report")" "$rows_before"
check_eq ingest-mailbox/again-daily "$(psql "$DB" -Atc "SELECT count(*), sum(count) FROM daily_signature")" "$before"

# --jobs 2 into a second database: exactly the rows and counts of one
# thread (aggregates and signature verdicts, compared in full)
psql "$DB" -Atqc "CREATE DATABASE jobs2" > /dev/null
DB2=$(printf '%s' "$DB" | sed 's/dbname=[^ ]*/dbname=jobs2/')
"$FBL_BIN" db migrate --db "$DB2" > /dev/null
"$FBL_BIN" ingest --db "$DB2" --zone "$T/mb/keys.zone" --jobs 2 --batch 37 \
    --config "$T/mb/fblscope.conf" --keep "$T/mb/Maildir" > /dev/null 2> "$T/jobs2.err"
check_eq ingest-mailbox/jobs2-exit "$?" 1 "$(tail -2 "$T/jobs2.err")"
DUMP="SELECT encode(fingerprint, 'hex'), msg_day, kind, coalesce(feedback_type, ''), coalesce(reporter, '') FROM report ORDER BY 1;
SELECT encode(fingerprint, 'hex'), idx, coalesce(d, ''), role, result, reason, coalesce(customer_id, ''), coalesce(diagnosis, ''), coalesce(diagnosis_field, ''), coalesce(diagnosis_detail, '') FROM signature ORDER BY 1, 2;
SELECT * FROM daily_report ORDER BY 1, 2, 3, 4;
SELECT * FROM daily_signature ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
SELECT * FROM daily_customer ORDER BY 1, 2, 3, 4;
SELECT * FROM daily_verification ORDER BY 1, 2, 3, 4, 5, 6, 7, 9, 10"
psql "$DB" -Atc "$DUMP" > "$T/dump1"
psql "$DB2" -Atc "$DUMP" > "$T/dump2"
if cmp -s "$T/dump1" "$T/dump2" && [ -s "$T/dump1" ]; then
	ok ingest-mailbox/jobs2-same-as-one-thread
else
	not_ok ingest-mailbox/jobs2-same-as-one-thread "$(diff "$T/dump1" "$T/dump2" | head -5)"
fi

fbl_done
exit $?
