#!/bin/sh
# make demo: verify the bundled sample mailbox against the bundled zone, and
# show the explain view of two failures.  (Later issues grow this into the
# whole pipeline: ingest into PostgreSQL and the nightly report.)
set -eu
cd "$(dirname "$0")/.."
FBL=./fblscope
[ -f samples/zones/demo.zone ] || sh samples/generate.sh "$FBL"

echo "== fblscope verify: the sample mailbox (samples/mail) against samples/zones/demo.zone"
"$FBL" verify --zone samples/zones/demo.zone --at 2026-11-21T12:00:00Z samples/mail/*.eml || true
echo
echo "== fblscope verify --format ar samples/mail/01-good.eml"
"$FBL" verify --zone samples/zones/demo.zone --format ar --authserv-id mx.isp.example \
    --at 2026-11-21T12:00:00Z samples/mail/01-good.eml
echo
echo "== why did 04-crcrlf.eml fail?  fblscope verify --explain (diagnosis only)"
"$FBL" verify --zone samples/zones/demo.zone --explain --at 2026-11-21T12:00:00Z \
    samples/mail/04-crcrlf.eml | sed -n '/^-- signature 1/,/^-- signature 2/p' | sed -n '/verdict/,$p' | sed '$d' || true
echo "== and 06-subject-changed.eml?"
"$FBL" verify --zone samples/zones/demo.zone --explain --at 2026-11-21T12:00:00Z \
    samples/mail/06-subject-changed.eml | sed -n '/^-- signature 1/,/^-- signature 2/p' | sed -n '/verdict/,$p' | sed '$d' || true
