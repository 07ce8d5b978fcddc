#!/bin/sh
# SPDX-License-Identifier: ISC
# make demo: the whole pipeline on the bundled samples, on this machine only.
#
#   1. verify the sample messages (samples/mail) against samples/zones/demo.zone;
#   2. generate the sample feedback mailbox (samples/mailbox.sh: 3,000 ARF
#      reports about mail of 50 customers and the ESP token, seed 7);
#   3. start a private PostgreSQL (127.0.0.1) and NSD (127.0.0.53) on free
#      high ports, serving the mailbox's keys;
#   4. migrate, import the rotated-away keys, ingest the mailbox (--jobs 2),
#      import the sending volumes, reverify;
#   5. audit the ESP's DKIM nameservers for the keys of samples/keys (two
#      NSD as dkim1/dkim2 serving `keys zone --split` output, one NSD with
#      the delegations, Unbound as the public DNS), results stored;
#   6. print the text report for 2026-11-21 and write the HTML report to
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
"$FBL" volume import --db "$DB" --config "$MB/fblscope.conf" "$MB/volumes.csv"
"$FBL" reverify --db "$DB" --resolver "$NSADDR@$NSPORT"

echo
echo "== 5. fblscope keys audit: the ESP's DKIM nameservers, as of $DAY"
# dkim1 and dkim2 serve the zones `fblscope keys zone --split` writes for
# samples/keys; a public server holds example. with the delegations; Unbound
# plays the public DNS.  dkim2 missed the last push of shop.example's zone
# (older serial, no key): the mistake the audit is there to catch.
KZ=$OUT/keyzones
rm -rf "$KZ"
mkdir -p "$KZ/dkim1" "$KZ/dkim2"
"$FBL" keys zone --config samples/fblscope.conf --split "$KZ/dkim1" > "$KZ/zone.log"
# fixed serials, so that the demo's output does not move with the date
for f in "$KZ"/dkim1/*.zone; do
	sed 's/^\t[0-9]\{10\}\t; serial/\t2026112100\t; serial/' "$f" > "$f.tmp" &&
	    mv "$f.tmp" "$f"
	cp "$f" "$KZ/dkim2/"
done
sed -e 's/^\t2026112100\t; serial/\t2026111900\t; serial/' -e '/ TXT /d' \
    "$KZ/dkim1/myesp._domainkey.shop.example.zone" > "$KZ/dkim2/myesp._domainkey.shop.example.zone"
PUBA=127.0.0.56 D1A=127.0.0.54 D2A=127.0.0.55 RESA=127.0.0.57
KPORT=$(free_port $PUBA $D1A $D2A $RESA)
cat > "$KZ/example.zone" <<ZONE
\$ORIGIN example.
\$TTL 3600
@ IN SOA ns.example. hostmaster.example. 2026112100 3600 900 1209600 300
@ IN NS ns.example.
ns IN A $PUBA
dkim1.myesp IN A $D1A
dkim2.myesp IN A $D2A
myesp._domainkey.customer IN NS dkim1.myesp.example.
myesp._domainkey.customer IN NS dkim2.myesp.example.
myesp._domainkey.shop IN NS dkim1.myesp.example.
myesp._domainkey.shop IN NS dkim2.myesp.example.
_domainkey.fbl.myesp IN NS dkim1.myesp.example.
_domainkey.fbl.myesp IN NS dkim2.myesp.example.
dkimhack.myesp IN NS dkim1.myesp.example.
dkimhack.myesp IN NS dkim2.myesp.example.
ZONE
zones=
for f in "$KZ"/dkim1/*.zone; do
	z=$(basename "$f" .zone)
	zones="$zones $z"
done
for n in 1 2; do
	eval "addr=\$D${n}A"
	args=
	for z in $zones; do
		args="$args $z=$KZ/dkim$n/$z.zone"
	done
	# shellcheck disable=SC2086
	sh tests/lib/nsd.sh start "$OUT/nsd-dkim$n" "$addr" "$KPORT" $args
	at_exit "sh '$ROOT/tests/lib/nsd.sh' stop '$OUT/nsd-dkim$n'"
done
sh tests/lib/nsd.sh start "$OUT/nsd-pub" "$PUBA" "$KPORT" "example=$KZ/example.zone"
at_exit "sh '$ROOT/tests/lib/nsd.sh' stop '$OUT/nsd-pub'"
stubs="example.=$PUBA@$KPORT"
for z in $zones; do
	stubs="$stubs $z.=$D1A@$KPORT,$D2A@$KPORT"
done
# shellcheck disable=SC2086
sh tests/lib/unbound.sh start "$OUT/unbound" "$RESA" "$KPORT" $stubs
at_exit "sh '$ROOT/tests/lib/unbound.sh' stop '$OUT/unbound'"
"$FBL" keys audit --config samples/fblscope.conf --resolver "$RESA@$KPORT" \
    --at "$DAY" --db "$DB" shop.example || [ $? -eq 1 ]
"$FBL" keys audit --config samples/fblscope.conf --resolver "$RESA@$KPORT" \
    --at "$DAY" --db "$DB" > "$OUT/keys-audit.txt" || [ $? -eq 1 ]
echo "   every domain of samples/fblscope.conf: $(tail -n 1 "$OUT/keys-audit.txt") (all rows: $OUT/keys-audit.txt)"

echo
echo "== 6. fblscope report --at $DAY (text; the HTML page is $OUT/report.html)"
"$FBL" report --db "$DB" --config "$MB/fblscope.conf" --at "$DAY" --format html \
    --out "$OUT/report.html"
"$FBL" report --db "$DB" --config "$MB/fblscope.conf" --at "$DAY" --format text
