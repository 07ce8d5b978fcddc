#!/bin/sh
# SPDX-License-Identifier: ISC
# keys_import.sh: `fblscope keys import` and `keys list` against a private
# PostgreSQL: the demo zone (counted by hand), idempotence (nothing new,
# last_seen moves), a key directory made by `fblscope keygen` against the
# zone lines keygen wrote (same rows, same fingerprints), bad records (exit
# 1, reported), unreadable files (exit 2, nothing stored), no private key
# material anywhere, and two imports at once.
#
# Expected fingerprints are written here as literals, computed by hand from
# the p= text of samples/zones/demo.zone (base64 -d | sha256sum), or computed
# from the private keys with openssl(1), never from fblscope's output.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
# this script works in $T: a relative FBL_BIN (FBL_BIN=build/asan/fblscope)
# is relative to where it was started
case $FBL_BIN in /*) ;; *) FBL_BIN=$(pwd)/$FBL_BIN ;; esac
if ! need_cmd psql pg_dump openssl sha256sum; then
	skip keys/all "psql, pg_dump, openssl or sha256sum missing"
	exit 0
fi
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok keys/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB=$(cat "$T/conninfo")
S=$FBL_ROOT/samples
q() { psql "$DB" -Atc "$1"; }
fp_of() {	# name: the fingerprints archived for it, hex, sorted
	q "SELECT string_agg(encode(fingerprint, 'hex'), ' ' ORDER BY fingerprint) FROM key_archive WHERE name = '$1'"
}
cd "$T" || exit 1

"$FBL_BIN" db migrate --db "$DB" > /dev/null
check_eq keys/migrate "$?" 0

# --- samples/zones/demo.zone: 4 TXT records under _domainkey labels, 3 with
# a key (2 RSA, 1 Ed25519), 1 revoked (oct2026...fbl.myesp.example, p=)
FP_CUST=050865c74add054f62dfd6bb2e54c650f48047d13d1f3ede4a9e6857e2ea7b47
FP_FBL=8173383aeec4ddf1fc06fa767c2f5a76d5dc36ec57828130bc73ff258915061e
FP_SHOP=1d1f7b9ecd7401140082ac1ac79f259aeb15a18450a27f32c586a48075f46e49
FP_OCT=e68394a468b60262568c0d0ef2c5a7f38280218917406d4ac6af2e498dcd96f3
FP_RFC8463=21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9

"$FBL_BIN" keys import --db "$DB" "$S/zones/demo.zone" > z1.out 2> z1.err
check_eq keys/demo-exit-revoked-skipped "$?" 1
check_eq keys/demo-rows "$(q 'SELECT count(*) FROM key_archive')" 3
check_eq keys/demo-lines "$(wc -l < z1.out | tr -d ' ')" 3
check_eq keys/demo-all-new "$(cut -f4 z1.out | sort -u)" new
check_eq keys/demo-types "$(cut -f2 z1.out | sort | tr '\n' ' ')" "ed25519/256 rsa/2048 rsa/2048 "
# one fingerprint form (issue 13): import shows what list shows, whole
check_eq keys/demo-fp-printed \
    "$(grep '^nov2026.myesp._domainkey.shop.example	' z1.out | cut -f3)" "$FP_SHOP"
check_eq keys/demo-fp-customer "$(fp_of nov2026.myesp._domainkey.customer.example)" "$FP_CUST"
check_eq keys/demo-fp-fbl "$(fp_of nov2026.myesp._domainkey.fbl.myesp.example)" "$FP_FBL"
check_eq keys/demo-fp-shop "$(fp_of nov2026.myesp._domainkey.shop.example)" "$FP_SHOP"
check_eq keys/demo-revoked-not-archived \
    "$(q "SELECT count(*) FROM key_archive WHERE name LIKE 'oct2026%'")" 0
grep -q 'demo.zone:[0-9]*: oct2026.myesp._domainkey.fbl.myesp.example.*revoked' z1.err &&
    ok keys/demo-revoked-reported || not_ok keys/demo-revoked-reported "$(cat z1.err)"
check_eq keys/demo-origin "$(q 'SELECT DISTINCT origin FROM key_archive')" import
check_eq keys/demo-names-folded \
    "$(q "SELECT count(*) FROM key_archive WHERE name <> lower(name) OR name LIKE '%.'")" 0
# each key's size beside it, for the report's key hygiene (schema 13)
check_eq keys/demo-key-bits \
    "$(q "SELECT string_agg(key_bits::text, ' ' ORDER BY name) FROM key_archive")" "2048 2048 256"

# --- again: nothing new, last_seen moves, first_seen does not
q "CREATE TABLE before AS SELECT name, fingerprint, first_seen, last_seen FROM key_archive" > /dev/null
# (and a row archived before schema 13, without a size, gets one)
q "UPDATE key_archive SET key_bits = NULL WHERE name = 'nov2026.myesp._domainkey.shop.example'" > /dev/null
"$FBL_BIN" keys import --db "$DB" "$S/zones/demo.zone" > z2.out 2> z2.err
check_eq keys/again-exit "$?" 1
check_eq keys/again-all-known "$(cut -f4 z2.out | sort | uniq -c | tr -s ' ')" " 3 known"
check_eq keys/again-rows "$(q 'SELECT count(*) FROM key_archive')" 3
check_eq keys/again-last-seen-moved \
    "$(q 'SELECT count(*) FROM key_archive k JOIN before b USING (name, fingerprint) WHERE k.last_seen > b.last_seen AND k.first_seen = b.first_seen')" 3
check_eq keys/again-key-bits-filled \
    "$(q "SELECT key_bits FROM key_archive WHERE name = 'nov2026.myesp._domainkey.shop.example'")" 256

# --- a key directory made by keygen, against keygen's own zone lines
mkdir kd
"$FBL_BIN" keygen --domain keys.example --selector sel1 --out kd/sel1.keys.example &&
    "$FBL_BIN" keygen --domain keys.example --selector sel2 --type ed25519 --out kd/sel2.keys.example
check_eq keys/keygen "$?" 0
printf 'not a key\n' > kd/README
WANT1=$(openssl pkey -in kd/sel1.keys.example.pem -pubout -outform DER | sha256sum | cut -d' ' -f1)
# Ed25519: p= is the raw key, the last 32 bytes of the SubjectPublicKeyInfo
WANT2=$(openssl pkey -in kd/sel2.keys.example.pem -pubout -outform DER | tail -c 32 | sha256sum | cut -d' ' -f1)
"$FBL_BIN" keys import --db "$DB" kd > d1.out 2> d1.err
check_eq keys/dir-exit "$?" 0
check_eq keys/dir-lines "$(cut -f1,2,4 d1.out | tr '\t\n' ' ;')" \
    "sel1._domainkey.keys.example rsa/2048 new;sel2._domainkey.keys.example ed25519/256 new;"
check_eq keys/dir-fp-rsa "$(fp_of sel1._domainkey.keys.example)" "$WANT1"
check_eq keys/dir-fp-ed25519 "$(fp_of sel2._domainkey.keys.example)" "$WANT2"
grep -q 'kd/README: ignored' d1.err && ok keys/dir-other-file-noted ||
    not_ok keys/dir-other-file-noted "$(cat d1.err)"
# keygen's .zone beside each .pem is left out without a note, and counted
check_eq keys/dir-companions-quiet "$(grep -c '\.zone: ignored' d1.err)" 0
grep -q '3 files ignored' d1.err && ok keys/dir-ignored-count ||
    not_ok keys/dir-ignored-count "$(tail -n 1 d1.err)"
# the record is exactly the one keygen published (its strings joined)
for s in sel1 sel2; do
	want=$(sed 's/^[^"]*"//; s/" *)$//; s/" "//g' "kd/$s.keys.example.zone")
	check_eq "keys/dir-record-$s" \
	    "$(q "SELECT record FROM key_archive WHERE name = '$s._domainkey.keys.example'")" "$want"
done
cat kd/*.zone > kz.zone
"$FBL_BIN" keys import --db "$DB" kz.zone > d2.out 2> d2.err
check_eq keys/keygen-zone-exit "$?" 0
check_eq keys/keygen-zone-same-keys "$(cut -f1,4 d2.out | tr '\t\n' ' ;')" \
    "sel1._domainkey.keys.example known;sel2._domainkey.keys.example known;"
check_eq keys/keygen-zone-one-row-each \
    "$(q "SELECT count(*) FROM key_archive WHERE name LIKE '%.keys.example'")" 2
# the records stored parse: list shows type and size from them
"$FBL_BIN" keys list --db "$DB" sel1._domainkey.keys.example SEL2._domainkey.keys.example. > l1.out
check_eq keys/list-exit "$?" 0
check_eq keys/list-lines "$(cut -f1-4 l1.out | tr '\t\n' ' ;')" \
    "sel1._domainkey.keys.example rsa/2048 $WANT1 import;sel2._domainkey.keys.example ed25519/256 $WANT2 import;"
# --abbrev: the first 16 hex digits, a prefix of the whole, in list and import
"$FBL_BIN" keys list --db "$DB" --abbrev sel1._domainkey.keys.example > l1a.out
check_eq keys/list-abbrev "$(cut -f3 l1a.out)" "$(printf '%s' "$WANT1" | cut -c1-16)"
"$FBL_BIN" keys import --db "$DB" --abbrev "$S/zones/demo.zone" > z1a.out 2> /dev/null
check_eq keys/import-abbrev \
    "$(grep '^nov2026.myesp._domainkey.shop.example	' z1a.out | cut -f3,4)" \
    "$(printf '%s' "$FP_SHOP" | cut -c1-16)	known"

# no private key material anywhere
pg_dump "$DB" > dump.sql 2> dump.err
check_eq keys/pg-dump "$?" 0
secret=$(sed -n 2p kd/sel1.keys.example.pem)
if grep -q 'PRIVATE' dump.sql d1.out d1.err || grep -qF "$secret" dump.sql d1.out d1.err; then
	not_ok keys/no-private-material "private key text in the database or the output"
else
	ok keys/no-private-material
fi

# the ESP's dotted selectors: the configuration's selector-pattern splits
# samples/keys/nov2026.myesp.customer.example.pem as nov2026.myesp + domain
"$FBL_BIN" keys import --db "$DB" --config "$S/fblscope.conf" "$S/keys" > k1.out 2> k1.err
check_eq keys/samples-keys-exit "$?" 0
check_eq keys/samples-keys-lines "$(cut -f1,4 k1.out | tr '\t\n' ' ;')" \
    "nov2026.myesp._domainkey.customer.example known;nov2026.myesp._domainkey.fbl.myesp.example known;nov2026.myesp._domainkey.shop.example known;oct2026.myesp._domainkey.fbl.myesp.example new;"
check_eq keys/samples-keys-rotated-fp "$(fp_of oct2026.myesp._domainkey.fbl.myesp.example)" "$FP_OCT"

# --- bad records: reported and skipped, the good one kept; exit 1
cat > bad.zone <<'EOF'
$ORIGIN bad.example.
$TTL 300
old._domainkey IN TXT "v=DKIM1; k=rsa; p="
junk._domainkey IN TXT "this is not a key"
www IN TXT "not a candidate"
good._domainkey IN TXT ( "v=DKIM1; k=ed25519; "
	"p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=" )
EOF
"$FBL_BIN" keys import --db "$DB" bad.zone > b1.out 2> b1.err
check_eq keys/bad-exit "$?" 1
check_eq keys/bad-good-kept "$(cut -f1,2,4 b1.out | tr '\t' ' ')" "good._domainkey.bad.example ed25519/256 new"
check_eq keys/bad-good-fp "$(fp_of good._domainkey.bad.example)" "$FP_RFC8463"
check_eq keys/bad-reported "$(grep -c '^bad.zone:[0-9]*: .*._domainkey.bad.example.: skipped: ' b1.err)" 2
grep -q 'bad.zone:3: old._domainkey.bad.example.: skipped: revoked' b1.err &&
    ok keys/bad-revoked-line || not_ok keys/bad-revoked-line "$(cat b1.err)"
grep -q 'junk._domainkey.bad.example.: skipped:' b1.err &&
    ok keys/bad-garbage-reported || not_ok keys/bad-garbage-reported "$(cat b1.err)"
check_eq keys/bad-not-archived \
    "$(q "SELECT count(*) FROM key_archive WHERE name IN ('old._domainkey.bad.example', 'junk._domainkey.bad.example')")" 0
# only bad ones: nothing to store, exit 1
head -n 4 bad.zone > worse.zone
"$FBL_BIN" keys import --db "$DB" worse.zone > /dev/null 2> b2.err
check_eq keys/only-bad-exit "$?" 1

# --- could not run: exit 2, the file named, nothing stored
n0=$(q 'SELECT count(*) FROM key_archive')
cp "$S/zones/demo.zone" fresh.zone
sed -i 's/nov2026/dec2026/' fresh.zone
"$FBL_BIN" keys import --db "$DB" fresh.zone "$T/no-such.zone" > /dev/null 2> m1.err
check_eq keys/missing-exit "$?" 2
grep -q 'no-such.zone: No such file' m1.err && ok keys/missing-named ||
    not_ok keys/missing-named "$(cat m1.err)"
check_eq keys/missing-nothing-stored "$(q 'SELECT count(*) FROM key_archive')" "$n0"
# not a zone file at all (no record can be read): exit 2, first error named
printf 'this is not a zone file at all\nneither is this line\n' > notzone.txt
"$FBL_BIN" keys import --db "$DB" notzone.txt > /dev/null 2> m2.err
check_eq keys/unreadable-exit "$?" 2
grep -q '^fblscope keys import: notzone.txt:1: Syntax error' m2.err && ok keys/unreadable-named ||
    not_ok keys/unreadable-named "$(cat m2.err)"
"$FBL_BIN" keys import --db "host=127.0.0.1 port=1 user=x dbname=x connect_timeout=2" fresh.zone > /dev/null 2> m3.err
check_eq keys/unreachable-exit "$?" 2
check_eq keys/unreachable-nothing-stored "$(q 'SELECT count(*) FROM key_archive')" "$n0"

# --- two imports at once, overlapping sets in opposite orders: no deadlock
"$FBL_BIN" keys import --db "$DB" fresh.zone kz.zone "$S/zones/demo.zone" > /dev/null 2> c1.err &
p1=$!
"$FBL_BIN" keys import --db "$DB" "$S/zones/demo.zone" kz.zone fresh.zone > /dev/null 2> c2.err &
p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
check_eq keys/concurrent-exit "$r1$r2" 11
check_eq keys/concurrent-rows "$(q "SELECT count(*) FROM key_archive WHERE name LIKE 'dec2026%'")" 3

# --- list
"$FBL_BIN" keys list --db "$DB" > l2.out
check_eq keys/list-all-exit "$?" 0
check_eq keys/list-all-lines "$(wc -l < l2.out | tr -d ' ')" "$(q 'SELECT count(*) FROM key_archive')"
check_eq keys/list-all-count "$(wc -l < l2.out | tr -d ' ')" 10
line=$(grep '^nov2026.myesp._domainkey.customer.example	' l2.out)
check_eq keys/list-one "$(printf '%s' "$line" | cut -f1-4 | tr '\t' ' ')" \
    "nov2026.myesp._domainkey.customer.example rsa/2048 $FP_CUST import"
check_eq keys/list-one-first-seen "$(printf '%s' "$line" | cut -f5)" \
    "$(q "SELECT to_char(first_seen AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"') FROM key_archive WHERE name = 'nov2026.myesp._domainkey.customer.example'")"
"$FBL_BIN" keys list --db "$DB" nosuch._domainkey.example.com > /dev/null 2> l3.err
check_eq keys/list-unknown-exit "$?" 1
grep -q 'nosuch._domainkey.example.com: no archived key' l3.err && ok keys/list-unknown-said ||
    not_ok keys/list-unknown-said "$(cat l3.err)"

# --- usage
"$FBL_BIN" keys > /dev/null 2>&1
check_eq keys/usage-no-subcommand "$?" 2
"$FBL_BIN" keys frobnicate > /dev/null 2>&1
check_eq keys/usage-unknown-subcommand "$?" 2
"$FBL_BIN" keys import --db "$DB" > /dev/null 2>&1
check_eq keys/usage-import-nothing "$?" 2
"$FBL_BIN" keys --help | grep -q '^  import' && ok keys/usage-lists-import ||
    not_ok keys/usage-lists-import "no import in keys --help"

fbl_done
exit $?
