#!/bin/sh
# SPDX-License-Identifier: ISC
# db.sh: `fblscope db migrate|status` against a private PostgreSQL.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok db/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB=$(cat "$T/conninfo")

# the migrations are compiled in: run from a directory without sql/
cd "$T"
"$FBL_BIN" db status --db "$DB" > status0.out
check_eq db/status-pending-exit "$?" 1
check_eq db/status-pending "$(cat status0.out)" "$(printf '001_init\tpending\n002_judgements\tpending\n003_standing\tpending\n004_report_views\tpending\n005_report_window\tpending\n006_customer_token\tpending\n007_window_once\tpending\n008_daily_customer\tpending\n009_key_audit\tpending\n010_key_audit_latest\tpending\n011_reverify_backoff\tpending\n012_source_ip_derived\tpending\n013_key_archive_bits\tpending\n014_signature_diagnosis\tpending\n015_derived_daily\tpending\n016_daily_views\tpending')"

# two migrations at once on the empty database: each applied exactly once
"$FBL_BIN" db migrate --db "$DB" > m1.out 2> m1.err &
p1=$!
"$FBL_BIN" db migrate --db "$DB" > m2.out 2> m2.err &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
check_eq db/concurrent-migrate-exit "$r1$r2" 00
check_eq db/concurrent-migrate-applied-once \
    "$(cat m1.out m2.out | grep -c '^applied 001_init')" 1
check_eq db/schema-version-rows \
    "$(psql "$DB" -Atc 'SELECT count(*) FROM schema_version')" 16

"$FBL_BIN" db migrate --db "$DB" > m3.out
check_eq db/migrate-again-exit "$?" 0
check_eq db/migrate-again-nothing "$(cat m3.out)" "0 migrations applied"
"$FBL_BIN" db status --db "$DB" > status1.out
check_eq db/status-applied-exit "$?" 0
check_eq db/status-applied "$(cat status1.out)" "$(printf '001_init\tapplied\n002_judgements\tapplied\n003_standing\tapplied\n004_report_views\tapplied\n005_report_window\tapplied\n006_customer_token\tapplied\n007_window_once\tapplied\n008_daily_customer\tapplied\n009_key_audit\tapplied\n010_key_audit_latest\tapplied\n011_reverify_backoff\tapplied\n012_source_ip_derived\tapplied\n013_key_archive_bits\tapplied\n014_signature_diagnosis\tapplied\n015_derived_daily\tapplied\n016_daily_views\tapplied')"

# month partitions on demand, idempotent
psql "$DB" -Atqc "SELECT fbl_ensure_month('2026-11-21'); SELECT fbl_ensure_month('2026-11-02'); SELECT fbl_ensure_month('2026-12-01')" > /dev/null
check_eq db/partitions \
    "$(psql "$DB" -Atc "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r'")" \
    "report_2026_11 report_2026_12 signature_2026_11 signature_2026_12 signature_facts_2026_11 signature_facts_2026_12"
# a re-ingested message (same day, same fingerprint) cannot be stored twice
psql "$DB" -Atqc "INSERT INTO report (msg_day, fingerprint, kind, complaint, source) VALUES ('2026-11-21', sha256('x'), 'arf', true, 't')" > /dev/null
psql "$DB" -Atqc "INSERT INTO report (msg_day, fingerprint, kind, complaint, source) VALUES ('2026-11-21', sha256('x'), 'arf', true, 't') ON CONFLICT DO NOTHING" > /dev/null
check_eq db/fingerprint-unique "$(psql "$DB" -Atc 'SELECT count(*) FROM report')" 1

# an upgrade: a database at schema 1 with a month made (as schema 1's
# fbl_ensure_month made it), then migrate: the month gets its
# signature_facts partition and nothing else changes; the data changes of
# 002, 003 and 008 call functions of sql/definitions.sql, applied first
psql "$DB" -Atqc "CREATE DATABASE v1" > /dev/null
DB1=$(printf '%s' "$DB" | sed 's/dbname=[^ ]*/dbname=v1/')
psql "$DB1" -Atq -v ON_ERROR_STOP=1 -f "$FBL_ROOT/sql/001_init.sql" > /dev/null 2> up.err &&
psql "$DB1" -Atq -v ON_ERROR_STOP=1 -c "CREATE TABLE schema_version (version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now()); INSERT INTO schema_version (version, name) VALUES (1, 'init'); CREATE TABLE report_2025_03 PARTITION OF report FOR VALUES FROM ('2025-03-01') TO ('2025-04-01'); CREATE TABLE signature_2025_03 PARTITION OF signature FOR VALUES FROM ('2025-03-01') TO ('2025-04-01')" > /dev/null 2>> up.err
check_eq db/upgrade-setup "$?" 0 "$(cat up.err)"
# a complaint stored under schema 1: an ESP signature that passed and a
# customer one that failed; and one with only a forged customer signature;
# and their daily_signature counts, as schema 1's ingest kept them
psql "$DB1" -Atq -v ON_ERROR_STOP=1 -c "
INSERT INTO report (msg_day, fingerprint, kind, complaint, source, reporter, feedback_type, source_ip, source_ip_in_esp, feedback_id)
VALUES ('2025-03-09', sha256('a'), 'arf', true, 't', 'gmx', 'abuse', ' [192.0.2.77]', true, 'spring:shop'),
       ('2025-03-09', sha256('b'), 'arf', true, 't', 'gmx', 'abuse', '198.51.100.9', false, 'x:shop');
INSERT INTO signature (msg_day, fingerprint, idx, d, s, a, result, reason, role, customer_id, key_bits)
VALUES ('2025-03-09', sha256('a'), 1, 'fbl.myesp.example', 'mar2025.myesp', 'rsa-sha256', 'pass', 'ok', 'esp', NULL, 2048),
       ('2025-03-09', sha256('a'), 2, 'Shop.Example', 'mar2025.myesp', 'rsa-sha256', 'fail', 'body-hash-mismatch', 'customer', 'shop', 2048),
       ('2025-03-09', sha256('b'), 1, 'shop.example', 'x1', 'rsa-sha256', 'fail', 'signature-mismatch', 'customer', 'shop', 1024);
INSERT INTO daily_signature (day, kind, token, role, customer_id, selector, reporter, feedback_type, result, reason, count)
VALUES ('2025-03-09', 'arf', 'fbl.myesp.example', 'esp', '', 'mar2025.myesp', 'gmx', 'abuse', 'pass', 'ok', 1),
       ('2025-03-09', 'arf', 'shop.example', 'customer', 'shop', 'mar2025.myesp', 'gmx', 'abuse', 'fail', 'body-hash-mismatch', 1),
       ('2025-03-09', 'arf', 'shop.example', 'customer', 'shop', 'x1', 'gmx', 'abuse', 'fail', 'signature-mismatch', 1)" > /dev/null 2>> up.err
check_eq db/upgrade-rows "$?" 0 "$(cat up.err)"
"$FBL_BIN" db migrate --db "$DB1" > up.out
check_eq db/upgrade-exit "$?" 0
check_eq db/upgrade-applied "$(cat up.out)" "$(printf 'applied 002_judgements\napplied 003_standing\napplied 004_report_views\napplied 005_report_window\napplied 006_customer_token\napplied 007_window_once\napplied 008_daily_customer\napplied 009_key_audit\napplied 010_key_audit_latest\napplied 011_reverify_backoff\napplied 012_source_ip_derived\napplied 013_key_archive_bits\napplied 014_signature_diagnosis\napplied 015_derived_daily\napplied 016_daily_views\n15 migrations applied')"
check_eq db/upgrade-partitions \
    "$(psql "$DB1" -Atc "SELECT string_agg(c.relname, ' ' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE c.relkind = 'r'")" \
    "report_2025_03 signature_2025_03 signature_facts_2025_03"
check_eq db/upgrade-standing \
    "$(psql "$DB1" -Atc "SELECT string_agg(concat_ws(' ', customer_id, customer_token, esp_state, customer_state, authenticity), ', ' ORDER BY fingerprint) FROM report")" \
    "shop shop.example none fail forged, shop shop.example pass fail authentic"
check_eq db/upgrade-daily-complaint \
    "$(psql "$DB1" -Atc "SELECT string_agg(concat_ws(' ', day, token, esp_state, authenticity, count), ', ' ORDER BY authenticity) FROM daily_complaint")" \
    "2025-03-09 shop.example pass authentic 1, 2025-03-09 shop.example none forged 1"
# schema 8 counts the same complaints per customer, token and reporter, the
# standing in columns: one complaint attributed (authentic), one forged
check_eq db/upgrade-daily-customer \
    "$(psql "$DB1" -Atc "SELECT string_agg(concat_ws(' ', day, customer_id, token, reporter, complaints, attributed, carried, esp_verified, unsigned, authentic, forged), ', ') FROM daily_customer")" \
    "2025-03-09 shop shop.example gmx 2 1 1 1 0 1 1"
check_eq db/upgrade-daily-verification \
    "$(psql "$DB1" -Atc "SELECT string_agg(concat_ws(' ', token, role, result, reason, count), ', ' ORDER BY token, reason) FROM daily_verification")" \
    "fbl.myesp.example esp pass ok 1, shop.example customer fail body-hash-mismatch 1, shop.example customer fail signature-mismatch 1"
check_eq db/upgrade-daily-key \
    "$(psql "$DB1" -Atc "SELECT string_agg(concat_ws(' ', token, selector, key_bits, count), ', ' ORDER BY token, selector) FROM daily_key")" \
    "fbl.myesp.example mar2025.myesp 2048 1, shop.example mar2025.myesp 2048 1, shop.example x1 1024 1"
# schema 15: daily_complaint and daily_signature are views counting the
# rows, no longer tables; the counts schema 1 kept come back from the rows
check_eq db/daily-derived \
    "$(psql "$DB1" -Atc "SELECT string_agg(relname || ' ' || relkind::text, ', ' ORDER BY relname) FROM pg_class WHERE relname IN ('daily_complaint', 'daily_signature') AND relnamespace = 'public'::regnamespace")" \
    "daily_complaint v, daily_signature v"
check_eq db/upgrade-daily-signature \
    "$(psql "$DB1" -Atc "SELECT string_agg(concat_ws(' ', day, token, role, customer_id, selector, reporter, result, reason, count), ', ' ORDER BY token, selector) FROM daily_signature")" \
    "2025-03-09 fbl.myesp.example esp  mar2025.myesp gmx pass ok 1, 2025-03-09 shop.example customer shop mar2025.myesp gmx fail body-hash-mismatch 1, 2025-03-09 shop.example customer shop x1 gmx fail signature-mismatch 1"

# schema 16: the stored Source-IPs get their /24, as ingest writes it
# (blanks and brackets as the C parser takes them); complaints counted by
# network (inside the sending networks, else outside) and the authentic
# one's Feedback-ID by campaign (stored before schema 16: the ESP token's
# signature verified), the forged one's not
check_eq db/upgrade-source-prefix \
    "$(psql "$DB1" -Atc "SELECT string_agg(concat_ws(' ', source_prefix, feedback_id_verified), ', ' ORDER BY fingerprint) FROM report")" \
    "198.51.100.0/24, 192.0.2.0/24"
check_eq db/upgrade-daily-ip \
    "$(psql "$DB1" -Atc "SELECT string_agg(concat_ws(' ', day, customer_id, network, complaints, attributed), ', ' ORDER BY network) FROM daily_ip")" \
    "2025-03-09 shop 192.0.2.0/24 1 1, 2025-03-09 shop outside 1 0"
check_eq db/upgrade-daily-campaign \
    "$(psql "$DB1" -Atc "SELECT string_agg(concat_ws(' ', day, customer_id, source, campaign, complaints), ', ') FROM daily_campaign")" \
    "2025-03-09 shop feedback-id spring:shop 1"

# ---- sql/definitions.sql: every view and function, one definition each
# The views and functions of a database, each with a digest of its
# definition (and of a view's comment).
objects() {
	psql "$1" -Atc "SELECT 'function ' || p.oid::regprocedure || ' ' ||
	    md5(pg_get_functiondef(p.oid)) FROM pg_proc p
	    WHERE p.pronamespace = 'public'::regnamespace
	    UNION ALL SELECT 'view ' || c.relname || ' ' || md5(pg_get_viewdef(c.oid)
	    || coalesce(obj_description(c.oid, 'pg_class'), ''))
	    FROM pg_class c WHERE c.relnamespace = 'public'::regnamespace
	    AND c.relkind = 'v' ORDER BY 1"
}
objects "$DB" > fresh.obj
# the numbered migrations define none; the database holds exactly those of
# the file
check_eq db/definitions-only-in-file \
    "$(grep -il 'CREATE.*\(VIEW\|FUNCTION\)' "$FBL_ROOT"/sql/[0-9]*.sql | wc -l)" 0
sed -n 's/^CREATE OR REPLACE \(FUNCTION\|VIEW\) \([a-z_0-9]*\).*/\1 \2/p' \
    "$FBL_ROOT/sql/definitions.sql" | tr 'A-Z' 'a-z' | LC_ALL=C sort > file.names
sed 's/^\([a-z]*\) \([a-z_0-9]*\).*/\1 \2/' fresh.obj | LC_ALL=C sort > db.names
check_eq db/definitions-all-live "$(LC_ALL=C comm -3 file.names db.names | tr '\t' ' ')" "" \
    "defined in the file but not in the database, or the other way round"
check_eq db/definitions-each-once "$(uniq -d file.names)" ""
# the upgrade from schema 1 ends with the same views and functions
check_eq db/upgrade-definitions "$(objects "$DB1")" "$(cat fresh.obj)"
# a database as the ten migrations left it before sql/definitions.sql
# (their views and functions defined in them): no migration to apply, and
# the same schema as a fresh one, tables and all
psql "$DB" -Atqc "CREATE DATABASE v10" > /dev/null
DB10=$(printf '%s' "$DB" | sed 's/dbname=[^ ]*/dbname=v10/')
psql "$DB10" -Atq -v ON_ERROR_STOP=1 -f "$FBL_ROOT/tests/integration/data/schema-010.sql" > /dev/null 2> v10.err
check_eq db/upgrade-010-setup "$?" 0 "$(cat v10.err)"
"$FBL_BIN" db migrate --db "$DB10" > v10.out 2>> v10.err
check_eq db/upgrade-010-migrate "$?:$(cat v10.out)" "0:applied 011_reverify_backoff
applied 012_source_ip_derived
applied 013_key_archive_bits
applied 014_signature_diagnosis
applied 015_derived_daily
applied 016_daily_views
6 migrations applied" "$(cat v10.err)"
check_eq db/upgrade-010-definitions "$(objects "$DB10")" "$(cat fresh.obj)"
if need_cmd pg_dump; then
	psql "$DB" -Atqc "CREATE DATABASE fresh" > /dev/null
	DBF=$(printf '%s' "$DB" | sed 's/dbname=[^ ]*/dbname=fresh/')
	"$FBL_BIN" db migrate --db "$DBF" > /dev/null 2>> v10.err
	schema() { pg_dump -d "$1" --schema-only --no-owner --no-privileges | grep -v '^\\\(un\)*restrict'; }
	schema "$DBF" > fresh.schema
	schema "$DB10" > v10.schema
	check_eq db/upgrade-010-schema "$(diff fresh.schema v10.schema | head -20)" ""
else
	skip db/upgrade-010-schema "pg_dump is missing"
fi
# a database as schema 13 left it, with the views and functions of its
# own sql/definitions.sql (some read the tables schema 15 takes away):
# the upgrade applies 14 and 15 and ends with the fresh schema
psql "$DB" -Atqc "CREATE DATABASE v13" > /dev/null
DB13=$(printf '%s' "$DB" | sed 's/dbname=[^ ]*/dbname=v13/')
psql "$DB13" -Atq -v ON_ERROR_STOP=1 -f "$FBL_ROOT/tests/integration/data/schema-013.sql" > /dev/null 2> v13.err
check_eq db/upgrade-013-setup "$?" 0 "$(cat v13.err)"
"$FBL_BIN" db migrate --db "$DB13" > v13.out 2>> v13.err
check_eq db/upgrade-013-migrate "$?:$(cat v13.out)" "0:applied 014_signature_diagnosis
applied 015_derived_daily
applied 016_daily_views
3 migrations applied" "$(cat v13.err)"
check_eq db/upgrade-013-definitions "$(objects "$DB13")" "$(cat fresh.obj)"
if need_cmd pg_dump; then
	schema "$DB13" > v13.schema
	check_eq db/upgrade-013-schema "$(diff fresh.schema v13.schema | head -20)" ""
else
	skip db/upgrade-013-schema "pg_dump is missing"
fi
# a definition changed by hand (or by an older binary) is put back by the
# next migrate, which applies nothing else
psql "$DB10" -Atq -v ON_ERROR_STOP=1 -c "CREATE OR REPLACE FUNCTION fbl_window_to() RETURNS date LANGUAGE sql STABLE AS 'SELECT current_date'; CREATE OR REPLACE VIEW report_unknown_token_day AS SELECT day, token, role, 0::bigint AS signatures, 0::bigint AS verified FROM daily_verification; COMMENT ON VIEW report_esp_day IS 'x'" > /dev/null 2>> v10.err
check_eq db/definitions-drift "$?:$(objects "$DB10" | diff - fresh.obj | grep -c '^>')" 0:3 "$(cat v10.err)"
"$FBL_BIN" db migrate --db "$DB10" > v10.out 2>> v10.err
check_eq db/definitions-restored "$(cat v10.out) $(objects "$DB10" | cmp -s - fresh.obj && echo same)" \
    "0 migrations applied same" "$(cat v10.err)"

# the transaction runner (fbl/store/db.h): a transaction ended by a
# deadlock or a serialization failure is run again, whole, up to 5 times in
# all; any other failure ends it at once.  A trigger fails the first
# attempts with the SQLSTATE given in test_flaky.fail; a sequence, which
# no rollback resets, counts the attempts.
psql "$DB" -Atq -v ON_ERROR_STOP=1 -c "
CREATE TABLE test_flaky (fail text, times integer);
CREATE SEQUENCE test_attempts;
CREATE FUNCTION test_flaky() RETURNS trigger LANGUAGE plpgsql AS \$\$
DECLARE f test_flaky;
BEGIN
    SELECT * INTO f FROM test_flaky;
    IF nextval('test_attempts') <= f.times THEN
        RAISE EXCEPTION 'test: attempt refused' USING ERRCODE = f.fail;
    END IF;
    RETURN NULL;
END \$\$;
CREATE TRIGGER test_flaky AFTER INSERT ON volume
    FOR EACH STATEMENT EXECUTE FUNCTION test_flaky()" > /dev/null 2> flaky.err
check_eq db/retry-setup "$?" 0 "$(cat flaky.err)"
printf 'day,token,isp,sent\n2026-11-21,shop.example,*,1000\n' > vol.csv
flaky() {	# sqlstate times: import vol.csv, print exit status and attempts
	psql "$DB" -Atq -c "TRUNCATE volume, test_flaky; INSERT INTO test_flaky VALUES ('$1', $2); SELECT setval('test_attempts', 1, false)" > /dev/null
	"$FBL_BIN" volume import --db "$DB" --config "$FBL_ROOT/samples/fblscope.conf" vol.csv > /dev/null 2> flaky.err
	printf '%s %s %s' "$?" "$(psql "$DB" -Atc "SELECT last_value - 1 + (CASE WHEN is_called THEN 1 ELSE 0 END) FROM test_attempts")" \
	    "$(psql "$DB" -Atc "SELECT count(*) FROM volume")"
}
check_eq db/retry-deadlock "$(flaky 40P01 2)" "0 3 1" "$(cat flaky.err)"
check_eq db/retry-serialization "$(flaky 40001 4)" "0 5 1" "$(cat flaky.err)"
check_eq db/retry-gives-up "$(flaky 40P01 9)" "2 5 0" "$(cat flaky.err)"
grep -q 'test: attempt refused' flaky.err && ok db/retry-gives-up-says-why ||
    not_ok db/retry-gives-up-says-why "$(cat flaky.err)"
check_eq db/no-retry-other-errors "$(flaky 23514 9)" "2 1 0" "$(cat flaky.err)"
psql "$DB" -Atq -c "DROP TRIGGER test_flaky ON volume" > /dev/null

# an unreachable server: exit 2, and the error says why
"$FBL_BIN" db status --db "host=127.0.0.1 port=1 user=x dbname=x connect_timeout=2" 2> bad.err > /dev/null
check_eq db/unreachable-exit "$?" 2
grep -q 'cannot connect to PostgreSQL' bad.err && ok db/unreachable-message ||
    not_ok db/unreachable-message "$(cat bad.err)"
"$FBL_BIN" db frobnicate 2> /dev/null
check_eq db/usage-exit "$?" 2

fbl_done
exit $?
