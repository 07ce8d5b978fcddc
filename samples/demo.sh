#!/bin/sh
# make demo: the whole pipeline on the bundled samples, on this machine only.
#
#   1. verify the sample messages (samples/mail) against samples/zones/demo.zone;
#   2. generate the sample feedback mailbox (samples/mailbox.sh: 3,000 ARF
#      reports about mail of 50 customers and the ESP token, seed 7);
#   3. start a private PostgreSQL (127.0.0.1) and NSD (127.0.0.53) on free
#      high ports, serving the mailbox's keys;
#   4. migrate, import the rotated-away keys, ingest the mailbox (--jobs 2),
#      import the sending volumes, reverify;
#   5. print the text report for 2026-11-21 and write the HTML report to
#      build/demo/report.html; stop the servers.
# The database stays in build/demo/pg, so a second run ingests the same
# mailbox again: every message is a duplicate and the report is the same.
set -eu
cd "$(dirname "$0")/.."
ROOT=$(pwd)
FBL=$ROOT/fblscope
OUT=$ROOT/build/demo
DAY=2026-11-21
FBL_ROOT=$ROOT
export FBL_ROOT
. "$ROOT/tests/lib/common.sh"
mkdir -p "$OUT"
[ -f samples/zones/demo.zone ] || sh samples/generate.sh "$FBL"

echo "== 1. fblscope verify: samples/mail against samples/zones/demo.zone"
"$FBL" verify --zone samples/zones/demo.zone --at 2026-11-21T12:00:00Z samples/mail/*.eml || true
echo
echo "== why did 06-subject-changed.eml fail?  fblscope verify --explain (the verdict)"
"$FBL" verify --zone samples/zones/demo.zone --explain --at 2026-11-21T12:00:00Z \
    samples/mail/06-subject-changed.eml | sed -n '/^-- signature 1/,/^-- signature 2/p' |
    sed -n '/verdict/,$p' | sed '$d' || true

echo
echo "== 2. the sample feedback mailbox (samples/mailbox.sh, 3000 reports, seed 7)"
sh samples/mailbox.sh "$OUT/mailbox" 3000 7 > "$OUT/mailbox.log" 2>&1 ||
    { cat "$OUT/mailbox.log"; exit 1; }
MB=$OUT/mailbox
echo "   $MB/mailbox.mbox, keys.zone, archived-keys.zone, volumes.csv, manifest.tsv"

echo "== 3. a private PostgreSQL and NSD on loopback"
PGPORT=$(free_port)
sh tests/lib/pg.sh start "$OUT/pg" "$PGPORT" > "$OUT/conninfo"
at_exit "sh '$ROOT/tests/lib/pg.sh' stop '$OUT/pg'"
DB=$(cat "$OUT/conninfo")
NSADDR=127.0.0.53
NSPORT=$(free_port "$NSADDR")
sh tests/lib/nsd.sh start "$OUT/nsd" "$NSADDR" "$NSPORT" ".=$MB/keys.zone"
at_exit "sh '$ROOT/tests/lib/nsd.sh' stop '$OUT/nsd'"
echo "   PostgreSQL: $DB"
echo "   NSD: $NSADDR port $NSPORT, serving keys.zone"

echo "== 4. migrate, keys, ingest, volumes, reverify"
"$FBL" db migrate --db "$DB"
"$FBL" keys import --db "$DB" "$MB/archived-keys.zone" | tail -n 1
"$FBL" ingest --db "$DB" --config "$MB/fblscope.conf" --resolver "$NSADDR@$NSPORT" \
    --jobs 2 --no-progress "$MB/mailbox.mbox" || [ $? -eq 1 ]
"$FBL" volume import --db "$DB" "$MB/volumes.csv"
"$FBL" reverify --db "$DB" --resolver "$NSADDR@$NSPORT"

echo
echo "== 5. fblscope report --date $DAY (text; the HTML page is $OUT/report.html)"
"$FBL" report --db "$DB" --config "$MB/fblscope.conf" --date "$DAY" --format html \
    --out "$OUT/report.html"
"$FBL" report --db "$DB" --config "$MB/fblscope.conf" --date "$DAY" --format text
