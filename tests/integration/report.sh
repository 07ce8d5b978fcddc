#!/bin/sh
# SPDX-License-Identifier: ISC
# report.sh: `fblscope volume import` and `fblscope report` over the
# generated feedback-loop mailbox (samples/gen_mailbox.c), compared with
# figures computed independently from the generator's manifest.tsv and
# volumes.csv (tests/lib/report_check.py); never from fblscope's output.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
N=${FBL_REPORT_N:-3000}
DAY=2026-11-21		# the generator's last sending day
if ! sh "$FBL_ROOT/samples/mailbox.sh" "$T/mb" "$N" 7 > "$T/gen.log" 2>&1; then
	not_ok report/generate "$(tail -3 "$T/gen.log")"
	exit 1
fi
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok report/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB=$(cat "$T/conninfo")
"$FBL_BIN" db migrate --db "$DB" > /dev/null || { not_ok report/migrate "failed"; exit 1; }

# the archive first, so that mail signed with rotated-away keys is 'rotated'
"$FBL_BIN" keys import --db "$DB" "$T/mb/archived-keys.zone" > /dev/null 2>&1
check_eq report/keys-import "$?" 0
"$FBL_BIN" ingest --db "$DB" --zone "$T/mb/keys.zone" --no-progress \
    --config "$T/mb/fblscope.conf" --keep "$T/mb/Maildir" > /dev/null 2> "$T/ingest.err"
check_eq report/ingest-exit "$?" 1 "$(tail -2 "$T/ingest.err")"
# every daily table equals its recount from the rows (tests/lib/daily_recount.sh),
# daily_verification with the diagnosis classes ingest stored
. "$FBL_ROOT/tests/lib/daily_recount.sh"
check_eq report/daily-equals-rows "$(daily_recount "$DB" | awk '$2 != 0' | tr '\n' ' ')" ""

# ---- volume import ----
vol() { "$FBL_BIN" volume import --db "$DB" --config "$T/mb/fblscope.conf" "$@" > "$T/vol.out" 2> "$T/vol.err"; }
nrows=$(($(wc -l < "$T/mb/volumes.csv") - 1))
vol "$T/mb/volumes.csv"
check_eq report/volume-import-exit "$?" 0 "$(head -3 "$T/vol.err")"
check_eq report/volume-import-rows "$(psql "$DB" -Atc 'SELECT count(*) FROM volume')" "$nrows"
vol "$T/mb/volumes.csv"
check_eq report/volume-import-again-upserts "$?|$(psql "$DB" -Atc 'SELECT count(*) FROM volume')" "0|$nrows"

printf 'day,token,isp,sent,delivered\n2026-11-01,a.example,*,10,\n2026-02-30,a.example,*,10,\n2026-11-02,a.example,yahoo,-5,\n2026-11-03,a.example,yahoo,x,\n2026-11-04,a.example,yahoo,5,9\n2026-11-05,a.example\n2026-11-01,A.EXAMPLE.,*,3,\n' > "$T/bad.csv"
vol "$T/bad.csv"
check_eq report/volume-bad-exit "$?" 2
for want in "bad.csv:3: day \"2026-02-30\"" "bad.csv:4: sent \"-5\" is negative" \
    "bad.csv:5: sent \"x\" is not a whole number" "bad.csv:6: delivered 9 exceeds sent 5" \
    "bad.csv:7: missing column"; do
	if grep -qF "$want" "$T/vol.err"; then ok "report/volume-error $want"
	else not_ok "report/volume-error $want" "$(head -8 "$T/vol.err")"; fi
done
check_eq report/volume-bad-nothing-stored \
    "$(psql "$DB" -Atc "SELECT count(*) FROM volume WHERE token = 'a.example'")" 0
printf 'day,token,isp,sent\n2026-11-01,a.example,*,10\n2026-11-01,A.Example.,*,3\n' > "$T/dup.csv"
vol "$T/dup.csv"
check_eq report/volume-duplicate "$?|$(grep -c 'dup.csv:3: .*already given at .*dup.csv:2' "$T/vol.err")" "2|1"
printf 'day,token,sent\n' > "$T/hdr.csv"
vol "$T/hdr.csv"
check_eq report/volume-bad-header "$?|$(grep -c 'hdr.csv:1: ' "$T/vol.err")" "2|1"
vol
check_eq report/volume-usage "$?" 2
"$FBL_BIN" volume import --db "host=127.0.0.1 port=1 dbname=none connect_timeout=2" "$T/mb/volumes.csv" > /dev/null 2>&1
check_eq report/volume-no-database "$?" 2

# ---- the report ----
cp "$T/mb/fblscope.conf" "$T/report.conf"
printf '\nrotation-months 1\nreport-timezone Europe/Paris\n' >> "$T/report.conf"
# --detail: every row of the text, for the checks of every figure
rep() { "$FBL_BIN" report --db "$DB" --config "$T/report.conf" --date $DAY --detail "$@"; }
for f in json csv text; do
	rep --format $f --out "$T/report.$f" 2> "$T/report.$f.err"
	check_eq "report/format-$f-exit" "$?" 0 "$(head -2 "$T/report.$f.err")"
done
$PYTHON "$FBL_ROOT/tests/lib/report_check.py" "$T/mb" $DAY 30 1 \
    "$T/report.json" "$T/report.csv" "$T/report.text" "$FBL_ROOT/docs/report.schema.json"

# without --detail the text fits a morning: under 200 lines for the 50
# customers, each on one line; the tokens with real mismatches or
# suspected forgeries first, the keys with a flag first, at most 8 each
"$FBL_BIN" report --db "$DB" --config "$T/report.conf" --date $DAY > "$T/brief.text"
check_eq report/brief-exit "$?" 0
"$PYTHON" - "$T/brief.text" "$T/report.json" <<'PY'
import json, re, sys
text = open(sys.argv[1]).read().split("\n")
rep = json.load(open(sys.argv[2]))
def line(ok, name, why=""):
    print(("ok " if ok else "not ok ") + name + ("" if ok else ": " + why))
line(len(text) < 200 and len(rep["customers"]) == 50, "report/brief-under-200-lines",
     "%d lines, %d customers" % (len(text), len(rep["customers"])))
cust = text[text.index(next(l for l in text if l.startswith("CUSTOMERS:"))):]
cust = cust[:cust.index(next(l for l in cust if l.startswith("ESP TOKEN")))]
ids = [l.split()[0] for l in cust if re.match(r"^cust-\d+ ", l)]
line(ids == [c["id"] for c in rep["customers"]], "report/brief-every-customer-once",
     "%d of %d" % (len(ids), len(rep["customers"])))
sec = text[text.index(next(l for l in text if l.startswith("VERIFICATION HEALTH"))):]
rows = [l.split()[0] for l in sec[3:] if re.match(r"^[a-z0-9.-]+\.example ", l)][:8]
bad = [v["token"] for v in rep["verification"]
       if v["health"]["mismatch"] + v["health"]["suspected-forgery"] > 0]
want = (bad + [v["token"] for v in rep["verification"] if v["token"] not in bad])[:8]
line(rows == want, "report/brief-problem-tokens-first", "%s, want %s" % (rows[:4], want[:4]))
more = [l for l in text if re.match(r"^\((\d+) more (tokens|keys): --detail\)$", l)]
line(sorted(more) == sorted(["(%d more tokens: --detail)" % (len(rep["verification"]) - 8),
                             "(%d more keys: --detail)" % (len(rep["keys"]) - 8)]),
     "report/brief-says-what-it-left-out", "; ".join(more))
PY

# the same report from the sanitizer build, when there is one
if [ -x "$FBL_ASAN_BIN" ] && [ "$FBL_ASAN_BIN" != "$FBL_BIN" ]; then
	"$FBL_ASAN_BIN" report --db "$DB" --config "$T/report.conf" --date $DAY \
	    --format json > "$T/asan.json" 2> "$T/asan.err"
	check_eq report/asan-same-json "$?|$(cmp -s "$T/asan.json" "$T/report.json" && echo same)" "0|same" "$(head -3 "$T/asan.err")"
fi

# data from 2026-11-01: the 30 days before the long window are not known,
# so its change is "-" (not the window's whole count), the 7-day one is not
check_eq report/text-change-unknown \
    "$(awk '$1 == "cust-01" && $2 == "ALARMED" {print $4, $7, $10}' "$T/report.text")" "-1 +14 -"
rep --format json --customer cust-01 > "$T/one.json"
check_eq report/customer-filter \
    "$($PYTHON -c 'import json,sys; print(",".join(c["id"] for c in json.load(open(sys.argv[1]))["customers"]))' "$T/one.json")" cust-01
# an id neither the configuration nor the data knows: exit 2, the close
# ids named (one or two edits away, then by name), never an empty report
rep --customer cust-999 > "$T/unknown.out" 2> "$T/unknown.err"
check_eq report/customer-unknown "$?|$(cat "$T/unknown.out")|$(cat "$T/unknown.err")" \
    '2||fblscope report: --customer "cust-999": no customer of that id in the configuration or the stored data; close: cust-09, cust-19, cust-29, cust-39, cust-49'
rep --customer cust-0 --format json > /dev/null 2> "$T/unknown.err"
check_eq report/customer-prefix "$?|$(sed 's/.*; close: //' "$T/unknown.err")" \
    "2|cust-01, cust-02, cust-03, cust-04, cust-05"
rep --customer 'no such one' > /dev/null 2> "$T/unknown.err"
check_eq report/customer-nothing-close "$?|$(sed 's/.*stored data//' "$T/unknown.err")" "2|"
# a known customer's report says its volumes are known
rep --customer cust-01 > "$T/one.text"
check_eq report/customer-volume-known \
    "$?|$(grep -c 'no sending volumes known' "$T/one.text")|$($PYTHON -c 'import json,sys; print(json.load(open(sys.argv[1]))["volume_known"])' "$T/one.json")" \
    "0|0|True"
rep --format json --days 10 > "$T/d10.json"
check_eq report/days-window \
    "$($PYTHON -c 'import json,sys; w=json.load(open(sys.argv[1]))["windows"]["long"]; print(w["days"], w["start"])' "$T/d10.json")" "10 2026-11-12"
$PYTHON "$FBL_ROOT/tests/lib/report_check.py" "$T/mb" $DAY 10 1 \
    "$T/d10.json" "$T/report.csv" "$T/report.text" 2>&1 | grep -E 'customer-figures|alarmed-set|flagged-set|key-selectors|esp-token' | sed 's|report/|report/days10-|'

# HTML: one self-contained page; the customers and charts the JSON report
# has; rendered in headless Chromium behind a trap proxy: no request at all
rep --format html --out "$T/report.html" 2> "$T/html.err"
check_eq report/html-exit "$?" 0 "$(cat "$T/html.err")"
# --only: the alarmed and flagged customers of the full report, the rest
# counted; the four formats agree on it too
for f in json csv text html; do
	rep --only alarmed,flagged --format $f --out "$T/only.$f" 2> "$T/only.err"
	check_eq "report/only-$f-exit" "$?" 0 "$(cat "$T/only.err")"
done
check_eq report/only-customers "$($PYTHON -c '
import json, sys
full, only = (json.load(open(p)) for p in sys.argv[1:3])
want = [c["id"] for c in full["customers"] if c["level"] in ("alarmed", "flagged")]
print(len(want), len(full["customers"]) - len(want),
      [c["id"] for c in only["customers"]] == want, only["only"], only["customers_hidden"])
' "$T/report.json" "$T/only.json")" \
    "$($PYTHON -c '
import json, sys
full = json.load(open(sys.argv[1]))
n = sum(c["level"] in ("alarmed", "flagged") for c in full["customers"])
print(n, len(full["customers"]) - n, True, ["alarmed", "flagged"], len(full["customers"]) - n)
' "$T/report.json")"
"$PYTHON" "$FBL_ROOT/tests/lib/report_formats.py" report/only-formats \
    "$T/only.text" "$T/only.csv" "$T/only.json" "$T/only.html"
rep --only bogus > /dev/null 2> "$T/only.err"
check_eq report/only-bad "$?:$(cat "$T/only.err")" \
    "2:fblscope report: --only: a list of alarmed, flagged, ok (see fblscope report --help)"

# one report, four renderings, one set of numbers (tests/lib/report_formats.py)
"$PYTHON" "$FBL_ROOT/tests/lib/report_formats.py" report/formats \
    "$T/report.text" "$T/report.csv" "$T/report.json" "$T/report.html"
# every alarmed and flagged customer of the JSON report has its rate chart,
# titled "id (level)", in the table's order, up to the cap of
# report/charts.h and the rest said; then 3 charts (complaints per day,
# verification results, ISPs), and the tokens' verified share per day
nsvg=$(grep -o '<svg' "$T/report.html" | wc -l | tr -d ' ')
$PYTHON - "$T/report.json" "$T/report.html" "$FBL_ROOT/report/charts.h" "$nsvg" <<'PY'
import html, json, re, sys
doc = json.load(open(sys.argv[1]))
page = open(sys.argv[2], encoding='utf-8').read()
cap = int(re.search(r'#define REPORT_CHARTS_MAX\s+(\d+)', open(sys.argv[3]).read()).group(1))
want = [(html.escape(c['id']), c['level']) for c in doc['customers']
        if c['level'] in ('alarmed', 'flagged')]
got = re.findall(r'<svg [^>]*>\n<title>(.*) \((alarmed|flagged|ok)\)</title>', page)
more = len(want) - cap
said = 'And %d more alarmed or flagged customer' % more
bad = []
if not want:
    bad.append('no alarmed or flagged customer: the test database should have some')
if got != want[:cap]:
    bad.append('charted %r, want %r' % (got[:3], want[:3]))
if (more > 0) != (said in page):
    bad.append('"and N more" %s' % ('missing' if more > 0 else 'where none are left out'))
if int(sys.argv[4]) != len(got) + 4:
    bad.append('%s charts, want %d' % (sys.argv[4], len(got) + 4))
print(('ok' if not bad else 'not ok') + ' report/html-charts-every-problem' +
      ('' if not bad else ': ' + '; '.join(bad)))
print('report/html-charts: %d alarmed or flagged, %d charted' % (len(want), len(got)), file=sys.stderr)
PY
check_eq report/html-no-url "$(grep -Eci 'https?:|<script|src=' "$T/report.html")" 0
$PYTHON - "$T/report.json" "$T/report.html" <<'PY'
import html, json, sys
doc = json.load(open(sys.argv[1]))
page = open(sys.argv[2], encoding='utf-8').read()
missing = [c['id'] for c in doc['customers'] if '>' + html.escape(c['id']) + '<' not in page]
print(('ok' if not missing else 'not ok') + ' report/html-every-customer' +
      ('' if not missing else ': missing ' + ', '.join(missing[:5])))
levels = sum(1 for c in doc['customers'] if c['level'] == 'alarmed')
print(('ok' if page.count('>alarmed<') == levels else 'not ok') + ' report/html-alarmed-rows' +
      ('' if page.count('>alarmed<') == levels else ': %d cells, %d alarmed' % (page.count('>alarmed<'), levels)))
PY
. "$FBL_ROOT/tests/lib/chromium.sh"
if ! chromium_usable; then
	skip report/html-chromium "$CHROMIUM_WHY"
elif ! trap_start; then
	not_ok report/html-chromium "the trap proxy did not start"
else
	chromium_shot "$T/report.html" "$T/report.png"
	chromium_dom "$T/report.html" "$T/report.dom"
	check_eq report/html-screenshot "$(file -b "$T/report.png" | cut -d, -f1-2)" "PNG image data, 1280 x 2000"
	check_eq report/html-dom-charts "$(grep -o '<svg' "$T/report.dom" | wc -l | tr -d ' ')" "$nsvg"
	for title in 'Complaints per day, top customers' 'cust-01 (alarmed)' \
	    'Verification results of complaint signatures' 'Complaints by ISP'; do
		grep -q "<title>$title" "$T/report.dom" && ok "report/html-chart-$(echo "$title" | cut -d' ' -f1-3 | tr ' ,' '--')" ||
		    not_ok "report/html-chart-$(echo "$title" | cut -d' ' -f1-3 | tr ' ,' '--')" "no chart titled '$title'"
	done
	# A desktop's and a phone's screen: no horizontal scrolling, "What
	# changed" in the first screen, every chart titled and labelled
	# (tests/lib/page_layout.py); the first screens kept in build/.
	for size in 1400x900 390x844; do
		chromium_layout "$T/report.html" "${size%x*}" "${size#*x}" \
		    "report/html-layout-$size" changes
		chromium_shot_at "$T/report.html" \
		    "$FBL_ROOT/build/report-$size.png" "${size%x*}" "${size#*x}"
	done
	check_eq report/html-no-request "$(trap_count)" 0 "$(cat "$CHROMIUM_TRAP_LOG" 2>/dev/null | head -3)"
	cp "$T/report.png" "$FBL_ROOT/build/report-screenshot.png" 2>/dev/null || true
fi
rep --format pdf > /dev/null 2>&1
check_eq report/usage-format "$?" 2
rep --date 2026-13-01 > /dev/null 2>&1
check_eq report/usage-date "$?" 2
"$FBL_BIN" report --db "host=127.0.0.1 port=1 dbname=none connect_timeout=2" --date $DAY > /dev/null 2> "$T/nodb.err"
check_eq report/no-database "$?" 2
"$FBL_BIN" report --db "$DB" --format json > "$T/yday.json" 2>/dev/null
check_eq report/default-yesterday \
    "$($PYTHON -c 'import json,sys,datetime; print(json.load(open(sys.argv[1]))["day"] == str(datetime.datetime.utcnow().date() - datetime.timedelta(days=1)))' "$T/yday.json")" True

# key hygiene from the archive (report_archived_key): the demo's
# sep2026 keys are archived (above: key-source-dns-or-archive); one taken
# out of the archive is "no key", one archived before schema 13 has no size
psql "$DB" -Atqc "DELETE FROM key_archive WHERE name = 'sep2026.myesp._domainkey.customer01.example'; UPDATE key_archive SET key_bits = NULL WHERE name = 'sep2026.myesp._domainkey.customer02.example'" > /dev/null
for f in json csv text html; do
	rep --format $f --out "$T/arch.$f" 2> "$T/arch.err"
done
check_eq report/key-archive-sources "$($PYTHON -c '
import json, sys
for k in json.load(open(sys.argv[1]))["keys"]:
    if k["selector"] == "sep2026.myesp" and k["token"] in ("customer01.example", "customer02.example", "customer03.example"):
        print(k["token"], k["key_source"], k["key_bits"], k["small_key"])' "$T/arch.json")" \
    "customer01.example none -1 False
customer02.example archive -1 False
customer03.example archive 1024 True"
check_eq report/key-archive-text \
    "$(grep -E '^customer0[123]\.example +sep2026' "$T/arch.text" | awk '{print $1, $4, $NF}')" \
    "customer01.example none nokey
customer02.example ? archived
customer03.example 1024 archived"
"$PYTHON" "$FBL_ROOT/tests/lib/report_formats.py" report/formats-archive \
    "$T/arch.text" "$T/arch.csv" "$T/arch.json" "$T/arch.html" | grep keys

# the views answer for a dashboard, from the daily aggregates alone
check_eq report/view-customer-day \
    "$(psql "$DB" -Atc "SELECT count(*) > 0 FROM report_customer_day WHERE day = '$DAY' AND reporter = '*' AND rate IS NOT NULL")" t
check_eq report/views-commented \
    "$(psql "$DB" -Atc "SELECT count(*) FROM pg_class WHERE relkind = 'v' AND relname LIKE 'report_%' AND obj_description(oid, 'pg_class') IS NULL")" 0

fbl_done
exit $?
