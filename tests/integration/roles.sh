#!/bin/sh
# SPDX-License-Identifier: ISC
# roles.sh: least privilege as docs/operations.md sets it up.  The set-up
# SQL is taken from the page itself (tests/lib/operations_blocks.py: the
# block after "operations-test: roles-setup"), `db migrate` as the owner grants the
# rest, then each command runs under its own role, and each role is
# refused what it must not do.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
S=$FBL_ROOT/samples
if ! need_cmd psql; then
	skip roles/all "psql missing"
	exit 0
fi
PORT=$(free_port)
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$PORT" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok roles/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
SU=$(cat "$T/conninfo")
as() { printf 'host=127.0.0.1 port=%s user=fbl_%s dbname=fbl' "$PORT" "$1"; }
q() {	# role sql: psql's answer, or its error's first line
	psql "$(as "$1")" -XAtc "$2" 2>&1 | head -n 1 | sed 's/^psql:[^E]*//'
}
FBLSCOPE_CONFIG=$S/fblscope.conf
export FBLSCOPE_CONFIG

# the set-up block of the page, as the superuser
"$PYTHON" "$FBL_ROOT/tests/lib/operations_blocks.py" \
    "$FBL_ROOT/docs/operations.md" "$T/blocks" "$T/root" "$PORT" "$FBL_ROOT" \
    > /dev/null
cat "$T"/blocks/*.sql > "$T/setup.sql" 2> /dev/null
check_eq roles/setup-found "$(grep -c 'CREATE ROLE' "$T/setup.sql")" 4
psql "$SU" -X -q -v ON_ERROR_STOP=1 -f "$T/setup.sql" > "$T/setup.out" 2>&1
check_eq roles/setup "$?" 0 "$(cat "$T/setup.out")"

"$FBL_BIN" db migrate --db "$(as owner)" > "$T/m.out" 2>&1
check_eq roles/migrate-as-owner "$?" 0 "$(cat "$T/m.out")"
"$FBL_BIN" db migrate --db "$(as owner)" > "$T/m2.out" 2>&1
check_eq roles/migrate-twice "$?" 0 "$(cat "$T/m2.out")"

# each command under its role
"$FBL_BIN" ingest --db "$(as ingest)" --zone "$S/zones/demo.zone" \
    --no-progress "$S/mail" > "$T/i.out" 2> "$T/i.err"
st=$?
check_eq roles/ingest "$st:$(q owner "SELECT count(*) > 0 FROM report")" \
    "0:t" "$(tail -n 5 "$T/i.err")"
check_eq roles/partitions-owned-by-owner "$(q owner "SELECT DISTINCT
    tableowner FROM pg_tables WHERE schemaname = 'fblscope'
    AND tablename LIKE 'report\_2%'")" fbl_owner
"$FBL_BIN" reverify --db "$(as ingest)" > "$T/r.out" 2> "$T/r.err"
check_eq roles/reverify "$?" 0 "$(tail -n 3 "$T/r.err")"
"$FBL_BIN" keys import --db "$(as ingest)" "$S/keys" > "$T/k.out" 2> "$T/k.err"
check_eq roles/keys-import "$?" 0 "$(tail -n 3 "$T/k.err")"
printf 'day,token,isp,sent\n2026-11-21,cust-001,*,100000\n' > "$T/vol.csv"
"$FBL_BIN" volume import --db "$(as ingest)" "$T/vol.csv" > "$T/v.out" 2> "$T/v.err"
check_eq roles/volume-import "$?:$(q owner "SELECT sum(sent) FROM volume")" \
    "0:100000" "$(tail -n 3 "$T/v.err")"
# nobody answers on this port: every DNS question is TEMP, stored as such
"$FBL_BIN" keys audit --db "$(as audit)" --resolver "127.0.0.1@$(free_port)" \
    --timeout 200 --date 2026-11-21 customer.example > "$T/a.out" 2> "$T/a.err"
st=$?
check_eq roles/keys-audit-db "$(q owner "SELECT count(*) FROM key_audit_run")" \
    1 "exit $st: $(tail -n 3 "$T/a.err")"
"$FBL_BIN" report --db "$(as report)" --date 2026-11-21 > "$T/rep.out" 2> "$T/rep.err"
st=$?
check_eq roles/report "$st:$(grep -c '^cust-001' "$T/rep.out")" "0:1" \
    "$(tail -n 3 "$T/rep.err")"

# and what each role may not do
denied() {	# name role sql
	case $(q "$2" "$3") in
	*"permission denied"*|*"must be owner"*) ok "roles/denied/$1" ;;
	*) not_ok "roles/denied/$1" "fbl_$2 could: $3: $(q "$2" "$3")" ;;
	esac
}
denied report-reads-report report "SELECT count(*) FROM report"
denied report-reads-signature report "SELECT count(*) FROM signature"
denied report-reads-keys report "SELECT count(*) FROM key_archive"
denied report-writes-volume report "DELETE FROM volume"
denied report-makes-month report "SELECT fbl_ensure_month('2030-01-01')"
denied ingest-creates-table ingest "CREATE TABLE x (i int)"
denied ingest-drops-partition ingest "DROP TABLE report_2026_11"
denied ingest-deletes-report ingest "DELETE FROM report"
denied ingest-writes-audit ingest "DELETE FROM key_audit_check"
denied audit-reads-report audit "SELECT count(*) FROM report"
denied audit-writes-daily audit "DELETE FROM daily_customer"

fbl_done
exit $?
