#!/bin/sh
# SPDX-License-Identifier: ISC
# reattribute.sh: stored complaints follow the configuration in force.  The
# generated mailbox (samples/gen_mailbox.c, 300 messages, seed 5) is
# ingested with a configuration that lacks customer cust-02
# (customer02.example); `fblscope reattribute` with the full configuration
# then moves exactly cust-02's complaints and counts (the figures below are
# worked out from the manifest), a second run changes nothing, two runs at
# once end where one does, and taking the customer out again moves them
# back.  Every daily table is compared with a recount from the rows
# (tests/lib/daily_recount.sh) and with an ingest made under the
# configuration in force from the start.
. "$(dirname "$0")/../lib/common.sh"
. "$FBL_ROOT/tests/lib/daily_recount.sh"

T=$FBL_TMP
if ! need_cmd psql pg_dump; then
	skip reattribute/all "psql or pg_dump missing"
	exit 0
fi
# the figures below are those of this mailbox: 300 messages, seed 5
if ! sh "$FBL_ROOT/samples/mailbox.sh" "$T/mb" 300 5 > "$T/gen.log" 2>&1; then
	not_ok reattribute/generate "$(tail -3 "$T/gen.log")"
	exit 1
fi
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok reattribute/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB0=$(cat "$T/conninfo")
MB=$T/mb
FULL=$MB/fblscope.conf
LESS=$T/less.conf
grep -v '^customer[[:space:]]*cust-02[[:space:]]' "$FULL" > "$LESS"
check_eq reattribute/less-lacks-one-line \
    "$(($(wc -l < "$FULL") - $(wc -l < "$LESS")))" 1

newdb() {	# name -> conninfo of a fresh, migrated database
	psql "$DB0" -Atqc "CREATE DATABASE $1" > /dev/null
	d=$(printf '%s' "$DB0" | sed "s/dbname=[^ ]*/dbname=$1/")
	"$FBL_BIN" db migrate --db "$d" > /dev/null
	printf '%s' "$d"
}
ingest() {	# conninfo config
	"$FBL_BIN" ingest --db "$1" --zone "$MB/keys.zone" --config "$2" \
	    --keep "$MB/Maildir" > /dev/null 2> "$T/ingest.err"
	[ $? -le 1 ] || not_ok reattribute/ingest "$(tail -2 "$T/ingest.err")"
}
reattribute() {	# conninfo config [options]: the summary in $T/ra.err
	_db=$1 _cf=$2
	shift 2
	"$FBL_BIN" reattribute --db "$_db" --config "$_cf" "$@" 2> "$T/ra.err"
}
summary() {	# the kinds of change of the last run's summary
	sed -n 's/.* reports examined, \(.*\); [0-9]* changed meanwhile.*/\1/p' "$T/ra.err"
}
q() { psql "$1" -Atc "$2"; }
# everything reattribute may change, in a stable order
state() {	# conninfo
	for t in daily_report daily_signature daily_verification daily_key \
	    daily_complaint daily_customer; do
		echo "$t"
		psql "$1" -AtF '	' -c "SELECT * FROM $t" | LC_ALL=C sort
	done
	psql "$1" -AtF '	' -c "SELECT msg_day, encode(fingerprint, 'hex'),
	    customer_id, customer_token, source_ip_in_esp, esp_state,
	    customer_state, authenticity FROM report ORDER BY 1, 2"
	psql "$1" -AtF '	' -c "SELECT msg_day, encode(fingerprint, 'hex'), idx,
	    role, customer_id FROM signature ORDER BY 1, 2, 3"
}
# the daily tables as PostgreSQL stores them, row order and all
dump() {	# conninfo
	pg_dump -d "$1" --data-only -t 'daily_*' -t 'report_*' -t 'signature_*' |
	    grep -v '^\\\(un\)*restrict'
}
recount() {	# name conninfo
	daily_recount "$2" > "$T/recount"
	check_eq "reattribute/$1-daily-equals-rows" \
	    "$(awk '$2 != 0' "$T/recount")" "" "tables that differ from a recount"
}
# cust-02's figures: reports, abuse complaints, of them carried an ESP
# signature and verified under it, attributed (in a rate), auth-failure
cust02() {	# conninfo
	q "$1" "SELECT (SELECT count(*) FROM report WHERE customer_id = 'cust-02'
	    AND customer_token = 'customer02.example') || ' ' ||
	    (SELECT count(*) FROM signature WHERE customer_id = 'cust-02'
	    AND role = 'customer') || ' ' ||
	    coalesce(sum(complaints), 0) || ' ' || coalesce(sum(carried), 0) ||
	    ' ' || coalesce(sum(esp_verified), 0) || ' ' ||
	    coalesce(sum(attributed), 0) || ' ' || coalesce(sum(auth_failure), 0)
	    FROM daily_customer WHERE customer_id = 'cust-02'"
}
unattributed() {	# conninfo: abuse complaints without a customer
	q "$1" "SELECT coalesce(sum(complaints), 0) || ' ' ||
	    coalesce(sum(carried), 0) || ' ' || coalesce(sum(esp_verified), 0)
	    FROM daily_customer WHERE customer_id = ''"
}
# the report of 2026-11-30 (its 30 days hold every message): the long
# window's unattributed complaints and their reasons, and cust-02's
# complaints, from the JSON; the text's unattributed line
report() {	# conninfo config
	"$FBL_BIN" report --db "$1" --config "$2" --date 2026-11-30 \
	    --format json > "$T/report.json" 2> "$T/report.err" &&
	"$FBL_BIN" report --db "$1" --config "$2" --date 2026-11-30 \
	    > "$T/report.txt" 2>> "$T/report.err" || {
		echo "report failed: $(cat "$T/report.err")"
		return
	}
	"$PYTHON" -c 'import json, sys
d = json.load(open(sys.argv[1]))
u = d["unattributed"]
c = [x["windows"]["long"]["complaints"] for x in d["customers"] if x["id"] == "cust-02"]
print(u["complaints"]["long"], *[u["reasons"][r]["long"] for r in
    ("esp_verified", "esp_not_verified", "no_esp_signature")],
    c[0] if c else "-")' "$T/report.json"
	sed -n 's/^  long *\([0-9]*: [0-9 /]*\)$/\1/p' "$T/report.txt" | tail -1
}
others() {	# conninfo: the counts of every other customer
	psql "$1" -AtF '	' -c "SELECT * FROM daily_customer
	    WHERE customer_id NOT IN ('', 'cust-02')" | LC_ALL=C sort
}

# The figures, from manifest.tsv (column 8 the customer, 5 the feedback
# type, 17 the ESP signature's result): cust-02 has 17 reports, each with
# one customer02.example signature: 16 abuse (12 verified complaints, 1
# headers-only copy, 2 redacted whose ESP signature fails, 1 forgery with
# a customer signature only) and 1 auth-failure.  So 16 complaints, 15
# carried the ESP token's signature, 13 verified under it (headers-only
# counts), all 16 in a rate (the forgery came through Yahoo, which
# forwards only mail that verified: damaged, not forged).
check_eq reattribute/manifest-figures "$(awk -F'\t' '$8 == "cust-02" {
	n++; if ($5 == "abuse") { a++; if ($17 != "none") c++;
	if ($17 == "pass" || $17 == "neutral") v++ }
	if ($5 == "auth-failure") f++ } END { print n, a, c, v, f }' "$MB/manifest.tsv")" \
    "17 16 15 13 1"
check_eq reattribute/customer02-in-mail \
    "$(grep -l 'd=customer02\.example;' "$MB"/Maildir/new/* | wc -l)" 17

# ---- ingested without cust-02 ---------------------------------------------
DB=$(newdb less)
ingest "$DB" "$LESS"
check_eq reattribute/without-customer "$(cust02 "$DB")" "0 0 0 0 0 0 0"
check_eq reattribute/without-customer-third-party \
    "$(q "$DB" "SELECT role || ' ' || count(*) FROM signature WHERE d = 'customer02.example' GROUP BY role")" \
    "third-party 17"
check_eq reattribute/without-customer-unattributed "$(unattributed "$DB")" "16 15 13"
recount less "$DB"
# the report says: 16 complaints without a customer, 13 of them the ESP's
# own verified mail; no cust-02
check_eq reattribute/without-customer-report "$(report "$DB" "$LESS")" \
    "16 13 2 1 -
16: 13 / 2 / 1"
others "$DB" > "$T/others.before"
state "$DB" > "$T/state.less"

reattribute "$DB" "$FULL" --dry-run
check_eq reattribute/dry-run "$?:$(summary)" \
    "0:17 would be reattributed (customer added 17, removed 0, changed 0; signature roles 17; sending networks 0)" \
    "$(cat "$T/ra.err")"
state "$DB" > "$T/state.dry"
check_eq reattribute/dry-run-changes-nothing "$(cmp -s "$T/state.less" "$T/state.dry" && echo same)" same

# ---- the customer added ---------------------------------------------------
reattribute "$DB" "$FULL" --batch 40
check_eq reattribute/added "$?:$(summary)" \
    "0:17 reattributed (customer added 17, removed 0, changed 0; signature roles 17; sending networks 0)" \
    "$(cat "$T/ra.err")"
check_eq reattribute/added-summary-unattributed \
    "$(sed -n 's/.*: \([0-9]*\) complaints unattributed.*/\1/p' "$T/ra.err")" 0
check_eq reattribute/added-customer "$(cust02 "$DB")" "17 17 16 15 13 16 1"
check_eq reattribute/added-unattributed "$(unattributed "$DB")" "0 0 0"
check_eq reattribute/added-report "$(report "$DB" "$FULL")" "0 0 0 0 16
0: 0 / 0 / 0"
check_eq reattribute/added-forgery-damaged \
    "$(q "$DB" "SELECT string_agg(authenticity, ',' ORDER BY authenticity) FROM report WHERE customer_id = 'cust-02' AND authenticity <> 'authentic'")" \
    "damaged,redacted,redacted"
others "$DB" > "$T/others.after"
check_eq reattribute/added-others-unchanged \
    "$(diff "$T/others.before" "$T/others.after" | head -3)" ""
recount added "$DB"
# the same rows and counts as an ingest under the full configuration
DBF=$(newdb fullconf)
ingest "$DBF" "$FULL"
state "$DBF" > "$T/state.full"
state "$DB" > "$T/state.added"
check_eq reattribute/added-as-ingest "$(diff "$T/state.full" "$T/state.added" | head -5)" ""

# ---- again: nothing more --------------------------------------------------
dump "$DB" > "$T/dump.1"
reattribute "$DB" "$FULL"
check_eq reattribute/again "$?:$(summary)" \
    "0:0 reattributed (customer added 0, removed 0, changed 0; signature roles 0; sending networks 0)" \
    "$(cat "$T/ra.err")"
dump "$DB" > "$T/dump.2"
check_eq reattribute/again-byte-identical "$(cmp "$T/dump.1" "$T/dump.2" && echo same)" same

# ---- the customer removed again: back where the ingest left it -----------
reattribute "$DB" "$LESS" --batch 7
check_eq reattribute/removed "$?:$(summary)" \
    "0:17 reattributed (customer added 0, removed 17, changed 0; signature roles 17; sending networks 0)" \
    "$(cat "$T/ra.err")"
state "$DB" > "$T/state.removed"
check_eq reattribute/removed-as-ingest "$(diff "$T/state.less" "$T/state.removed" | head -5)" ""
recount removed "$DB"

# ---- SIGTERM in the middle: the page in flight is stored, exit 3 -----------
# cust-02's first report is held locked by another session, so the run waits
# in its page (one report a page) while the signal arrives
first=$(q "$DB" "SELECT msg_day || ' ' || encode(fingerprint, 'hex') FROM report r
    WHERE EXISTS (SELECT 1 FROM signature s WHERE s.msg_day = r.msg_day
    AND s.fingerprint = r.fingerprint AND s.d = 'customer02.example')
    ORDER BY msg_day, fingerprint LIMIT 1")
psql "$DB" -Atq -c "BEGIN" -c "SELECT 1 FROM report WHERE msg_day = '${first% *}'
    AND fingerprint = decode('${first#* }', 'hex') FOR UPDATE" \
    -c "SELECT pg_sleep(60)" -c "COMMIT" > /dev/null 2>&1 &
locker=$!
waiting() {	# a backend waits for a lock in what QUERY names
	q "$DB" "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'
	    AND query LIKE '%$1%' AND pid <> pg_backend_pid()"
}
i=0
while [ "$(q "$DB" "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()")" = 0 ] && [ $i -lt 100 ]; do
	sleep 0.2; i=$((i + 1))
done
"$FBL_BIN" reattribute --db "$DB" --config "$FULL" --batch 1 2> "$T/ra.err" &
pid=$!
i=0
while [ "$(waiting fbl_reattribute)" = 0 ] && [ $i -lt 100 ]; do
	sleep 0.2; i=$((i + 1))
done
kill -TERM $pid
q "$DB" "SELECT pg_terminate_backend(pid) FROM pg_stat_activity
    WHERE query LIKE '%pg_sleep(60)%' AND pid <> pg_backend_pid()" > /dev/null
wait $pid
check_eq reattribute/sigterm-exit "$?" 3 "$(cat "$T/ra.err")"
wait $locker 2> /dev/null
grep -q 'stopped by signal 15: every batch written is stored' "$T/ra.err" &&
    ok reattribute/sigterm-says-so || not_ok reattribute/sigterm-says-so "$(cat "$T/ra.err")"
check_eq reattribute/sigterm-page-stored "$(summary)" \
    "1 reattributed (customer added 1, removed 0, changed 0; signature roles 1; sending networks 0)"
recount sigterm "$DB"
reattribute "$DB" "$FULL"
check_eq reattribute/sigterm-rest "$?:$(summary)" \
    "0:16 reattributed (customer added 16, removed 0, changed 0; signature roles 16; sending networks 0)" \
    "$(cat "$T/ra.err")"
state "$DB" > "$T/state.sigterm"
check_eq reattribute/sigterm-rerun-as-one "$(diff "$T/state.added" "$T/state.sigterm" | head -5)" ""
reattribute "$DB" "$LESS"

# ---- two runs at once: each report moved once ------------------------------
"$FBL_BIN" reattribute --db "$DB" --config "$FULL" --batch 3 2> "$T/ra.err" &
pid=$!
"$FBL_BIN" reattribute --db "$DB" --config "$FULL" --batch 3 2> "$T/ra2.err"
rc2=$?
wait $pid
rc1=$?
check_eq reattribute/concurrent-exit "$rc1 $rc2" "0 0" "$(cat "$T/ra.err" "$T/ra2.err")"
moved=$(sed -n 's/.*examined, \([0-9]*\) reattributed.*/\1/p' "$T/ra.err" "$T/ra2.err" |
    awk '{ n += $1 } END { print n }')
check_eq reattribute/concurrent-moved-once "$moved" 17 "$(cat "$T/ra.err" "$T/ra2.err")"
state "$DB" > "$T/state.concurrent"
check_eq reattribute/concurrent-as-one "$(diff "$T/state.added" "$T/state.concurrent" | head -5)" ""
recount concurrent "$DB"

# ---- a sending network taken away: the standing follows -------------------
grep -v '^sending-network' "$FULL" > "$T/nonet.conf"
innet=$(q "$DB" "SELECT count(*) FROM report WHERE source_ip_in_esp IS NOT NULL")
reattribute "$DB" "$T/nonet.conf"
check_eq reattribute/networks "$?:$(summary)" \
    "0:$innet reattributed (customer added 0, removed 0, changed 0; signature roles 0; sending networks $innet)" \
    "$(cat "$T/ra.err")"
check_eq reattribute/networks-no-replayed \
    "$(q "$DB" "SELECT count(*) FROM report WHERE authenticity = 'replayed' OR source_ip_in_esp IS NOT NULL")" 0
recount networks "$DB"
reattribute "$DB" "$FULL"
state "$DB" > "$T/state.back"
check_eq reattribute/networks-back "$(diff "$T/state.added" "$T/state.back" | head -5)" ""

# ---- no configuration: refused -------------------------------------------
FBLSCOPE_CONFIG=$T/missing.conf "$FBL_BIN" reattribute --db "$DB" > /dev/null 2> "$T/noconf.err"
check_eq reattribute/no-configuration "$?" 2 "$(cat "$T/noconf.err")"
# one that names no customer and no ESP token would strip every report
"$FBL_BIN" reattribute --db "$DB" --config "$FBL_ROOT/tests/integration/data/empty.conf" \
    > /dev/null 2> "$T/empty.err"
check_eq reattribute/empty-configuration-refused "$?:$(q "$DB" "SELECT count(customer_id) FROM report")" \
    "2:$(q "$DBF" "SELECT count(customer_id) FROM report")" "$(cat "$T/empty.err")"

exit "$(fbl_status)"
