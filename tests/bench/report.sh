#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/report.sh: the report rows of `make bench` (also runnable alone).
#
# Fills a private PostgreSQL (tests/lib/pg.sh) with N complaints over 30
# days for 200 customers, made in SQL (tests/bench/report_gen.sql: report
# and signature rows, and the daily aggregates counted from those rows as
# ingest counts them), plus sending volumes; then times `fblscope report`
# for the last day (text, json, html; best of 3, wall clock).  Then adds rows
# up to the next size and times it again.  The report reads the daily
# aggregates only, so its time should hardly move.  Prints figures, never
# pass/fail.  See tests/bench/README.md and docs/bench.md.
#
# Environment:
#   BENCH_REPORT_SIZES   complaints at each measured size, increasing
#                        (default "1000000 10000000")
#   BENCH_REPORT_RUNS    runs of each format, fastest kept (default 3)
#   BENCH_CPU            core the report process is pinned to (default 0)
#   BENCH_FBLSCOPE       the binary to measure (default ./fblscope)
#   BENCH_REPORT_NO_TABLE  set by run.sh: write the table to
#                        build/bench/out/report.txt only

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

SIZES=${BENCH_REPORT_SIZES:-1000000 10000000}
RUNS=${BENCH_REPORT_RUNS:-3}
CPU=${BENCH_CPU:-0}
FBL=${BENCH_FBLSCOPE:-$root/fblscope}
PY=/usr/bin/python3
DAY0=2026-10-23		# the 30 days: DAY0 .. DAY0 + 29
LAST=2026-11-21		# the report day, the last of them

B=$root/build/bench/report
OUT=$root/build/bench/out
RUN=$B/run		# the server's state; removed at the end

say() { printf '%s\n' "$*"; }
warn() { printf 'bench report: %s\n' "$*" >&2; }

prev=0
for v in "$RUNS" $SIZES; do
	case $v in ''|*[!0-9]*) warn "not a number: '$v'"; exit 2;; esac
done
for v in $SIZES; do
	[ "$v" -gt "$prev" ] || { warn "BENCH_REPORT_SIZES must increase"; exit 2; }
	prev=$v
done
[ "$RUNS" -ge 1 ] || RUNS=1
[ -x /usr/bin/time ] || { warn "/usr/bin/time is missing"; exit 2; }
[ -x "$FBL" ] || { warn "$FBL is missing (make)"; exit 2; }
# shellcheck disable=SC2012
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ ! -x "$PGBIN/pg_ctl" ]; then
	warn "no PostgreSQL server (apt-get install postgresql): report rows skipped"
	exit 0
fi
if command -v taskset >/dev/null 2>&1; then
	PIN1="taskset -c $CPU"
else
	warn "taskset missing (util-linux): the report is not pinned"
	PIN1=""
fi
mkdir -p "$B" "$OUT" || exit 2

# ---- the server, stopped on any exit ---------------------------------------
PG_UP=0
# shellcheck disable=SC2317
cleanup() {
	[ "$PG_UP" = 1 ] && sh "$root/tests/lib/pg.sh" stop "$RUN/pg"
	PG_UP=0
	rm -rf "$RUN"
}
trap 'cleanup' EXIT
trap 'cleanup; trap - EXIT; exit 130' INT
trap 'cleanup; trap - EXIT; exit 143' TERM
trap 'cleanup; trap - EXIT; exit 129' HUP

free_port() {	# addr
	"$PY" - "$1" <<'PYEOF'
import random, socket, sys
for _ in range(200):
    port = random.randint(20000, 59999)
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        s.bind((sys.argv[1], port))
    except OSError:
        continue
    finally:
        s.close()
    print(port)
    sys.exit(0)
sys.exit("free_port: no free port on %s" % sys.argv[1])
PYEOF
}
psql_q() {	# sql: one value per line
	"$PGBIN/psql" -X -h 127.0.0.1 -p "$PGPORT" -U fblscope -d fblscope \
	    -v ON_ERROR_STOP=1 -Atqc "$1"
}
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b;
	else printf "-" }'; }
now() { awk '{ print $1 }' /proc/uptime; }	# seconds, 0.01 s resolution
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.0f", b - a }'; }

# gen from count: complaints from+1 .. from+count, one statement per day
gen() {
	{
		d=0
		while [ "$d" -lt 30 ]; do
			say "\\set d $d"
			say "\\i $here/report_gen.sql"
			d=$((d + 1))
		done
	} | "$PGBIN/psql" -X -h 127.0.0.1 -p "$PGPORT" -U fblscope \
	    -d fblscope -v ON_ERROR_STOP=1 -Atq -v day0="$DAY0" \
	    -v lo="$(( $1 + 1 ))" -v hi="$(( $1 + $2 ))" >"$OUT/report-gen.out"
}

# Sending volumes, remade from the complaints: per customer, day and ISP,
# and '*'; the ESP token's per day and ISP, and '*'.  Complaint rates about
# 0.05 % to 0.3 % (Yahoo's delivered: 90 % of sent).  As many rows at any size.
VOLUME_SQL="BEGIN; DELETE FROM volume;
WITH c AS (SELECT day, customer_id, reporter,
                  sum(complaints + opt_out + not_spam + auth_failure + other) AS n
             FROM daily_customer WHERE customer_id <> ''
            GROUP BY 1, 2, 3),
v AS (SELECT day, customer_id, reporter,
             n * (300 + abs(hashtext(customer_id)) % 1700) AS sent FROM c)
INSERT INTO volume (day, token, reporter, sent, delivered)
SELECT day, customer_id, reporter, sent,
       CASE WHEN reporter = 'yahoo' THEN sent * 9 / 10 END FROM v
UNION ALL
SELECT day, customer_id, '*', sum(sent), NULL FROM v GROUP BY 1, 2
UNION ALL
SELECT day, 'fbl.myesp.example', coalesce(reporter, '*'), sum(sent),
       CASE WHEN reporter = 'yahoo' THEN sum(sent) * 9 / 10 END
  FROM v GROUP BY GROUPING SETS ((day, reporter), (day));
COMMIT;
ANALYZE daily_report; ANALYZE daily_key; ANALYZE daily_customer; ANALYZE daily_verification;
ANALYZE daily_ip; ANALYZE daily_campaign; ANALYZE volume;"

# EXPLAIN (ANALYZE, BUFFERS) of each query of report/model.c, for day $1
plans() {
	"$PGBIN/psql" -X -h 127.0.0.1 -p "$PGPORT" -U fblscope -d fblscope \
	    -v ON_ERROR_STOP=1 -Aq -v day="$1" <<'SQL'
BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;
SET LOCAL jit = off; SET LOCAL work_mem = '64MB';
SELECT set_config('fblscope.window_from', (:'day'::date - 59)::text, true),
       set_config('fblscope.window_to', :'day', true) \g /dev/null
EXPLAIN (ANALYZE, BUFFERS) SELECT day - :'day'::date, customer_id, reporter,
    complaints, opt_out, not_spam, auth_failure, other, denominator
    FROM report_customer_day WHERE day BETWEEN :'day'::date - 59 AND :'day'
    ORDER BY customer_id COLLATE "C", reporter, day;
EXPLAIN (ANALYZE, BUFFERS) SELECT customer_id, token, day - :'day'::date,
    complaints FROM report_customer_token_day
    WHERE day BETWEEN :'day'::date - 29 AND :'day'
    ORDER BY customer_id COLLATE "C", token;
EXPLAIN (ANALYZE, BUFFERS) SELECT customer_id, authenticity,
    day - :'day'::date, complaints FROM report_customer_authenticity_day
    WHERE day BETWEEN :'day'::date - 29 AND :'day';
EXPLAIN (ANALYZE, BUFFERS) SELECT day - :'day'::date, reporter, attributed,
    complaints, carried, verified, denominator FROM report_esp_day
    WHERE day BETWEEN :'day'::date - 59 AND :'day' ORDER BY reporter, day;
EXPLAIN (ANALYZE, BUFFERS) SELECT use, token, role, customer_id, result,
    reason, sum(signatures) AS n, bool_or(verified), bool_or(headers_only)
    FROM report_verification_day WHERE use IN ('complaint', 'sample')
    AND day BETWEEN :'day'::date - 29 AND :'day'
    GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, n DESC, 5, 6;
EXPLAIN (ANALYZE, BUFFERS) SELECT token, role, customer_id, selector,
    algorithm, key_bits, key_testing, sum(signatures), min(day), max(day)
    FROM report_key_day WHERE role IN ('customer', 'esp')
    AND day BETWEEN :'day'::date - 29 AND :'day'
    GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7;
EXPLAIN (ANALYZE, BUFFERS) SELECT token, role, sum(signatures) AS n,
    sum(verified), max(day) FROM report_unknown_token_day
    WHERE day BETWEEN :'day'::date - 29 AND :'day'
    GROUP BY 1, 2 ORDER BY n DESC, 1, 2;
COMMIT;
SQL
}

# ---- start -----------------------------------------------------------------
T_START=$(now)
rm -rf "$RUN"
mkdir -p "$RUN" || exit 2
PGPORT=$(free_port 127.0.0.1) || exit 2
CONNINFO=$(sh "$root/tests/lib/pg.sh" start "$RUN/pg" "$PGPORT") || {
	warn "PostgreSQL did not start"
	exit 2
}
PG_UP=1
PGVER=$("$PGBIN/postgres" --version | sed 's/^[^0-9]*\([0-9][0-9.]*\).*/\1/')
"$FBL" db migrate --db "$CONNINFO" >/dev/null || { warn "db migrate failed"; exit 2; }
psql_q "SELECT fbl_ensure_month('$DAY0'); SELECT fbl_ensure_month('$LAST')" \
    >/dev/null || exit 2
cat >"$RUN/fblscope.conf" <<CONF
esp-id			myesp
esp-domain		fbl.myesp.example
selector-pattern	'^(?<mon>[a-z]{3})(?<year>\\d{4})\\.myesp\$'
sending-network		192.0.2.0/24
CONF

FMTS="text json html"
LINES=
done_n=0
FIRST_BEST=
for n in $SIZES; do
	add=$(( n - done_n ))
	say "report: generating $add complaints ($done_n -> $n) ..."
	t0=$(now)
	gen "$done_n" "$add" || { warn "generation failed (see above)"; exit 2; }
	psql_q "$VOLUME_SQL" >/dev/null || { warn "volume failed"; exit 2; }
	gen_s=$(since "$t0")
	done_n=$n
	# consistency, and the sizes
	# shellcheck disable=SC2046
	# daily_customer: every complaint in one class column and in one
	# authenticity column
	set -- $(psql_q "SELECT (SELECT sum(count) FROM daily_report),
	    (SELECT count(*) FROM report WHERE complaint),
	    (SELECT sum(count) FROM daily_key),
	    (SELECT count(*) FROM signature),
	    (SELECT sum(complaints + opt_out + not_spam + auth_failure + other)
	        FROM daily_customer),
	    (SELECT sum(authentic + replayed + forged + rotated + redacted +
	        damaged + pending + unknown) FROM daily_customer),
	    (SELECT sum(count) FROM daily_verification),
	    pg_size_pretty(pg_database_size('fblscope'))" | tr '|' ' ')
	DR_SUM=$1 R_N=$2 DK_SUM=$3 S_N=$4 DU_CLS=$5 DU_AUTH=$6 DV_SUM=$7
	DBSIZE="$8 $9"
	if [ "$DR_SUM" = "$R_N" ] && [ "$DK_SUM" = "$S_N" ] &&
	    [ "$DU_CLS" = "$R_N" ] && [ "$DU_AUTH" = "$R_N" ] &&
	    [ "$DV_SUM" = "$S_N" ]; then
		cons="consistent: sum(daily_report.count) = sum of daily_customer's class columns = of its authenticity columns = $R_N = complaint reports;
               sum(daily_key.count) = sum(daily_verification.count) = $S_N = signature rows"
	else
		cons="!! INCONSISTENT: $R_N complaint reports: sum(daily_report.count) $DR_SUM, daily_customer classes $DU_CLS, authenticities $DU_AUTH; $S_N signatures: daily_key $DK_SUM, daily_verification $DV_SUM"
	fi
	ROWS=$(psql_q "SELECT 'daily_report ' || (SELECT count(*) FROM daily_report)
	    || ', daily_customer ' || (SELECT count(*) FROM daily_customer)
	    || ', daily_verification ' || (SELECT count(*) FROM daily_verification)
	    || ', daily_key ' || (SELECT count(*) FROM daily_key)
	    || ', daily_ip ' || (SELECT count(*) FROM daily_ip)
	    || ', daily_campaign ' || (SELECT count(*) FROM daily_campaign)
	    || ', volume ' || (SELECT count(*) FROM volume)")
	# time the report, formats alternating, fastest kept
	best_text='' best_json='' best_html='' cpu_text='' cpu_json='' cpu_html=''
	r=1
	while [ "$r" -le "$RUNS" ]; do
		for f in $FMTS; do
			# shellcheck disable=SC2086
			/usr/bin/time -o "$OUT/report-$n-$f.time" -f '%e %U %S %M' \
			    $PIN1 "$FBL" report --db "$CONNINFO" \
			    --config "$RUN/fblscope.conf" --date "$LAST" \
			    --format "$f" >"$OUT/report-$n.$f" \
			    2>"$OUT/report-$n-$f.err" ||
			    warn "report --format $f failed at $n: see $OUT/report-$n-$f.err"
			w=$(awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { print $1 }' \
			    "$OUT/report-$n-$f.time")
			eval "b=\$best_$f"
			if [ -z "$b" ] || awk -v a="$w" -v b="$b" \
			    'BEGIN { exit !(a < b) }'; then
				eval "best_$f=$w"
				eval "cpu_$f=\$(awk 'NF == 4 { printf \"%.2f\", \$2 + \$3 }' \"\$OUT/report-\$n-\$f.time\")"
			fi
		done
		r=$((r + 1))
	done
	# diagnostic, not a figure of the row: the same text report with
	# PostgreSQL's JIT compilation off (PGOPTIONS), fastest of $RUNS
	nojit=
	r=1
	while [ "$r" -le "$RUNS" ]; do
		# shellcheck disable=SC2086
		PGOPTIONS="-c jit=off" /usr/bin/time -o "$OUT/report-$n-nojit.time" \
		    -f '%e %U %S %M' $PIN1 "$FBL" report --db "$CONNINFO" \
		    --config "$RUN/fblscope.conf" --date "$LAST" --format text \
		    >/dev/null 2>"$OUT/report-$n-nojit.err"
		w=$(awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { print $1 }' \
		    "$OUT/report-$n-nojit.time")
		if [ -z "$nojit" ] || awk -v a="$w" -v b="$nojit" \
		    'BEGIN { exit !(a < b) }'; then
			nojit=$w
		fi
		r=$((r + 1))
	done
	# each query's time, from the server's log (one text run)
	: >"$RUN/pg/server.log" 2>/dev/null
	PGOPTIONS="-c log_min_duration_statement=0" "$FBL" report \
	    --db "$CONNINFO" --config "$RUN/fblscope.conf" --date "$LAST" \
	    --format text >/dev/null 2>&1
	sed -n 's/.*duration: \([0-9.]*\) ms  execute [^:]*: .*FROM \([a-z_]*\).*/\1 ms \2/p' \
	    "$RUN/pg/server.log" >"$OUT/report-$n-queries.txt" 2>/dev/null
	QUERIES=$(awk '{ printf "%s%s %.0f", (NR > 1 ? ", " : ""), $3, $1 }' \
	    "$OUT/report-$n-queries.txt")
	line=$(printf '  %-11s %9s %9s %9s   %s' "$n" "$best_text" \
	    "$best_json" "$best_html" \
	    "$gen_s s to generate, database $DBSIZE")
	LINES="$LINES
$line
               (CPU of fblscope: text $cpu_text s, json $cpu_json s, html $cpu_html s;
               diagnostic: text with PGOPTIONS='-c jit=off' $nojit s)
               ms per query (text, one run): $QUERIES
               $ROWS
               $cons"
	if [ -z "$FIRST_BEST" ]; then
		FIRST_N=$n
		FIRST_BEST="$best_text $best_json $best_html"
	fi
	LAST_N=$n
	LAST_BEST="$best_text $best_json $best_html"
	# keep the plans of the report's queries, for the record: as
	# report/model.c runs them (its transaction's settings and window,
	# the default 30 days: 59 days back for the rates, 29 for the rest)
	plans "$LAST" >"$OUT/report-$n-plan.txt" 2>&1
done

# ---- the table -------------------------------------------------------------
{
say ""
say "report: \`fblscope report --date $LAST\` (30 days of complaints, $DAY0 to $LAST, 200 customers,"
say "10 ISPs, 2 signatures each, volumes per customer, day and ISP) from PostgreSQL $PGVER on 127.0.0.1"
say "(fsync off, UNPINNED). fblscope pinned to cpu $CPU. Wall-clock seconds, fastest of $RUNS runs."
say ""
printf '  %-11s %9s %9s %9s\n' "complaints" "text s" "json s" "html s"
say "$LINES"
if [ "$FIRST_N" != "$LAST_N" ]; then
	# shellcheck disable=SC2086
	set -- $FIRST_BEST $LAST_BEST
	say ""
	say "  $LAST_N / $FIRST_N complaints: text $(ratio "$4" "$1") x, json $(ratio "$5" "$2") x, html $(ratio "$6" "$3") x (target: under 2 s, about 1.00 x)"
fi
say "  this part took $(since "$T_START") s. Raw outputs: $OUT/report-*"
} >"$OUT/report.txt"
[ -n "${BENCH_REPORT_NO_TABLE:-}" ] || cat "$OUT/report.txt"
exit 0
