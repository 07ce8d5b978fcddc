#!/bin/sh
# SPDX-License-Identifier: ISC
# keys_zone.sh: `fblscope keys zone`, the records the ESP's DKIM nameservers
# serve for its private keys, end to end.
#
# Keys made by `fblscope keygen` (RSA 2048 and Ed25519) for a customer that
# delegates (customer.example), one that cannot (shop.example: its
# selectors are not under myesp, so only the CNAME targets serve them) and
# the ESP's token (fbl.myesp.example).  `keys zone --split` writes the zone
# files; nsd-checkzone must accept each, and a real NSD serves them:
#
#   NSD A (the ESP's nameservers, delegated form): the split zone files as
#     they are: myesp._domainkey.customer.example, _domainkey.fbl.myesp.example
#     and dkimhack.myesp.example.
#   NSD B (the CNAME form): the customers' own zones, written here by hand,
#     holding the CNAMEs a customer that cannot delegate publishes
#     (SEL._domainkey.DOMAIN CNAME SEL.DOMAIN.dkimhack.myesp.example.), and
#     the split dkimhack.myesp.example zone file.  NSD answers such a name
#     with the CNAME alone (the target is in another zone), so both
#     verifiers ask again for the target: fblscope's keyfetch does, and
#     dkimpy's dnsfunc here (tests/interop/dkimpy_tool.py, dnspython) does.
#     B serves no _domainkey.customer.example zone: a key found there was
#     found through the CNAME.
#
# Messages signed with `fblscope sign` and with dkimpy (python3-dkim) under
# each key pass `fblscope verify --resolver` and dkimpy through NSD.  The
# standard-output form is checked against values written here: the number of
# TXT records, the NS and CNAME lines, the 255-octet split of an RSA 2048
# record (18 + 392 = 410 octets: 255 + 155), the record text against the
# key's public half from openssl(1); and the exit status for bad key files.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
case $FBL_BIN in /*) ;; *) FBL_BIN=$(pwd)/$FBL_BIN ;; esac
NSD_SH=$FBL_ROOT/tests/lib/nsd.sh
DKIMPY="$PYTHON $FBL_ROOT/tests/interop/dkimpy_tool.py"
PATH=$PATH:/usr/sbin:/sbin
if ! need_cmd nsd nsd-checkzone drill openssl base64; then
	skip keys-zone/all "nsd, drill, openssl or base64 missing"
	exit 0
fi
if ! "$PYTHON" -c 'import dkim, dns.resolver' 2>/dev/null; then
	skip keys-zone/all "python3-dkim or python3-dnspython missing"
	exit 0
fi
cd "$T" || exit 1

cat > fbl.conf <<'EOF'
esp-id            myesp
esp-domain        fbl.myesp.example
nameserver        dkim1.myesp.example dkim2.myesp.example 192.0.2.53
selector-pattern  '^(?<mon>[a-z]{3})(?<year>\d{4})\.myesp$'
cname-target      {selector}.{domain}.dkimhack.myesp.example
customer          cust-001 customer.example
customer          cust-002 shop.example
EOF

# KEYS: domain selector type, one a line
KEYS='customer.example nov2026.myesp rsa
customer.example dec2026.myesp ed25519
fbl.myesp.example nov2026.myesp rsa
fbl.myesp.example dec2026.myesp ed25519
shop.example s1 rsa
shop.example s2 ed25519'

mkdir keys
fails=0
while read -r d s t; do
	"$FBL_BIN" keygen --domain "$d" --selector "$s" --type "$t" \
	    --out "keys/$s.$d" 2>> keygen.err || fails=$((fails + 1))
done <<EOF
$KEYS
EOF
check_eq keys-zone/keygen "$fails" 0 "$(cat keygen.err)"

# ---- the standard-output form -------------------------------------------

"$FBL_BIN" keys zone --config fbl.conf --private-keys keys > z.out 2> z.err
check_eq keys-zone/exit "$?" 0 "$(cat z.err)"
# 2 customer.example keys (delegated zone + CNAME target), 2 token keys,
# 2 shop.example keys (CNAME target only)
check_eq keys-zone/txt-count "$(grep -c '^[^;].* IN TXT (' z.out)" 8
check_eq keys-zone/txt-owners "$(grep '^[^;].* IN TXT (' z.out | cut -d' ' -f1 | tr '\n' ' ')" \
    "dec2026.myesp._domainkey.customer.example. nov2026.myesp._domainkey.customer.example. dec2026.myesp._domainkey.fbl.myesp.example. nov2026.myesp._domainkey.fbl.myesp.example. dec2026.myesp.customer.example.dkimhack.myesp.example. nov2026.myesp.customer.example.dkimhack.myesp.example. s1.shop.example.dkimhack.myesp.example. s2.shop.example.dkimhack.myesp.example. "
check_eq keys-zone/zone-comments "$(grep '^; zone ' z.out | cut -d' ' -f3-5)" \
    "myesp._domainkey.customer.example. (customer cust-001,
_domainkey.fbl.myesp.example. (the ESP's
dkimhack.myesp.example. (the CNAME"
check_eq keys-zone/ns-lines "$(grep 'IN NS' z.out)" \
    ";   myesp._domainkey.customer.example. IN NS dkim1.myesp.example.
;   myesp._domainkey.customer.example. IN NS dkim2.myesp.example.
;   _domainkey.fbl.myesp.example. IN NS dkim1.myesp.example.
;   _domainkey.fbl.myesp.example. IN NS dkim2.myesp.example.
;   dkimhack.myesp.example. IN NS dkim1.myesp.example.
;   dkimhack.myesp.example. IN NS dkim2.myesp.example."
check_eq keys-zone/cname-lines "$(grep 'IN CNAME' z.out)" \
    ";   dec2026.myesp._domainkey.customer.example. IN CNAME dec2026.myesp.customer.example.dkimhack.myesp.example.
;   nov2026.myesp._domainkey.customer.example. IN CNAME nov2026.myesp.customer.example.dkimhack.myesp.example.
;   s1._domainkey.shop.example. IN CNAME s1.shop.example.dkimhack.myesp.example.
;   s2._domainkey.shop.example. IN CNAME s2.shop.example.dkimhack.myesp.example."
# the character-strings of a record: their lengths (no '"' inside a key
# record, so every other field between quotes is one string)
strlens() {
	grep "^$1 " z.out |
	    awk -F'"' '{ for (i = 2; i <= NF; i += 2) printf "%d ", length($i) }'
}
check_eq keys-zone/txt-split-rsa "$(strlens nov2026.myesp._domainkey.customer.example.)" "255 155 "
check_eq keys-zone/txt-split-ed25519 "$(strlens dec2026.myesp._domainkey.customer.example.)" "66 "
# the text, strings joined, against the key's public half
P=$(openssl pkey -in keys/nov2026.myesp.customer.example.pem -pubout -outform DER | base64 -w0)
check_eq keys-zone/txt-record-rsa \
    "$(grep '^nov2026.myesp._domainkey.customer.example. ' z.out | sed 's/^[^"]*"//; s/" *)$//; s/" "//g')" \
    "v=DKIM1; k=rsa; p=$P"
P=$(openssl pkey -in keys/s2.shop.example.pem -pubout -outform DER | tail -c 32 | base64 -w0)
check_eq keys-zone/txt-record-ed25519-cname \
    "$(grep '^s2.shop.example.dkimhack.myesp.example. ' z.out | sed 's/^[^"]*"//; s/" *)$//; s/" "//g')" \
    "v=DKIM1; k=ed25519; p=$P"
check_eq keys-zone/txt-ttl "$(grep -c '^[^;]* 3600 IN TXT' z.out)" 8
grep -q 'nameserver 192.0.2.53: an address' z.err && ok keys-zone/address-ns-noted ||
    not_ok keys-zone/address-ns-noted "$(cat z.err)"
check_eq keys-zone/outside-noted \
    "$(grep -c '^keys/s[12].shop.example.pem: selector s[12] is outside myesp._domainkey.shop.example.*CNAME target only' z.err)" 2
check_eq keys-zone/summary "$(tail -n 1 z.err)" \
    "fblscope keys zone: 6 keys, 3 zones; 0 skipped, 6 files ignored"

"$FBL_BIN" keys zone --config fbl.conf --private-keys keys --ttl 600 > t.out 2> /dev/null
check_eq keys-zone/ttl "$(grep -c '^[^;]* 600 IN TXT' t.out)" 8

# ---- bad key files: named, skipped, exit 1 -------------------------------

cp -r keys badkeys
printf 'not a key\n' > badkeys/junk.customer.example.pem
openssl genpkey -algorithm ed25519 -aes256 -pass pass:secret \
    -out badkeys/enc.customer.example.pem 2> /dev/null
"$FBL_BIN" keys zone --config fbl.conf --private-keys badkeys > b.out 2> b.err
check_eq keys-zone/bad-exit "$?" 1
check_eq keys-zone/bad-named "$(grep -c '^badkeys/\(junk\|enc\).customer.example.pem: skipped: ' b.err)" 2
check_eq keys-zone/bad-others-kept "$(grep -c '^[^;].* IN TXT (' b.out)" 8
# without a cname-target, a selector outside the delegated zone is skipped
grep -v cname-target fbl.conf > nocname.conf
"$FBL_BIN" keys zone --config nocname.conf --private-keys keys > n.out 2> n.err
check_eq keys-zone/no-cname-exit "$?" 1
check_eq keys-zone/no-cname-skipped "$(grep -c '^keys/s[12].shop.example.pem: .*no cname-target.*skipped' n.err)" 2
check_eq keys-zone/no-cname-txt "$(grep -c '^[^;].* IN TXT (' n.out)" 4

# ---- could not run: exit 2 -----------------------------------------------

"$FBL_BIN" keys zone --config fbl.conf --private-keys nosuch > /dev/null 2> m.err
check_eq keys-zone/missing-dir-exit "$?" 2
grep -q 'nosuch: No such file' m.err && ok keys-zone/missing-dir-named ||
    not_ok keys-zone/missing-dir-named "$(cat m.err)"
grep -v esp-id fbl.conf > noid.conf
"$FBL_BIN" keys zone --config noid.conf --private-keys keys > /dev/null 2> m.err
check_eq keys-zone/no-esp-id-exit "$?" 2
grep -q 'noid.conf: no esp-id' m.err && ok keys-zone/no-esp-id-named ||
    not_ok keys-zone/no-esp-id-named "$(cat m.err)"
"$FBL_BIN" keys zone --config fbl.conf --private-keys keys --frob > /dev/null 2>&1
check_eq keys-zone/usage-exit "$?" 2
"$FBL_BIN" keys zone --config fbl.conf --private-keys keys extra > /dev/null 2>&1
check_eq keys-zone/usage-argument-exit "$?" 2
"$FBL_BIN" keys zone --help | grep -q -- '--split OUTDIR' && ok keys-zone/help ||
    not_ok keys-zone/help "no --split in keys zone --help"
"$FBL_BIN" keys --help | grep -q '^  zone ' && ok keys-zone/keys-usage-lists-zone ||
    not_ok keys-zone/keys-usage-lists-zone "no zone in keys --help"

# ---- --split: the zone files --------------------------------------------

TODAY=$(date -u +%Y%m%d)
"$FBL_BIN" keys zone --config fbl.conf --private-keys keys --split zones > s.out 2> s.err
check_eq keys-zone/split-exit "$?" 0 "$(cat s.err)"
check_eq keys-zone/split-files "$(cd zones && ls | LC_ALL=C sort | tr '\n' ' ')" \
    "_domainkey.fbl.myesp.example.zone dkimhack.myesp.example.zone myesp._domainkey.customer.example.zone "
check_eq keys-zone/split-report "$(grep -c "^zones/.*\.zone: zone .*, serial ${TODAY}00, written$" s.out)" 3
grep -q '^;   myesp._domainkey.customer.example. IN NS dkim1.myesp.example.$' s.out &&
    ok keys-zone/split-delegations || not_ok keys-zone/split-delegations "$(cat s.out)"
for z in _domainkey.fbl.myesp.example dkimhack.myesp.example myesp._domainkey.customer.example; do
	msg=$(nsd-checkzone "$z" "zones/$z.zone" 2>&1)
	check_eq "keys-zone/nsd-checkzone-$z" "$?" 0 "$msg"
done
check_eq keys-zone/split-origin "$(grep '^\$ORIGIN\|^\$TTL' zones/dkimhack.myesp.example.zone | tr '\n' ' ')" \
    "\$ORIGIN dkimhack.myesp.example. \$TTL 3600 "

# again: nothing changed, nothing written
"$FBL_BIN" keys zone --config fbl.conf --private-keys keys --split zones > s2.out 2> /dev/null
check_eq keys-zone/split-again-unchanged "$(grep -c ", serial ${TODAY}00, unchanged$" s2.out)" 3
# a new key: its zone (and the cname zone) get the next serial, the other not
mkdir keys2 && cp keys/*.pem keys2/
"$FBL_BIN" keys zone --config fbl.conf --private-keys keys2 --split zones > /dev/null 2>&1
cp -r zones zones2
"$FBL_BIN" keygen --domain customer.example --selector jan2027.myesp --type ed25519 \
    --out keys2/jan2027.myesp.customer.example
"$FBL_BIN" keys zone --config fbl.conf --private-keys keys2 --split zones2 > s3.out 2> /dev/null
check_eq keys-zone/split-new-key-serials "$(sed 's/^zones2\/\([^:]*\).zone: .*serial \([0-9]*\), \(.*\)/\1 \2 \3/' s3.out | grep -v '^;' | grep .)" \
    "myesp._domainkey.customer.example ${TODAY}01 written
_domainkey.fbl.myesp.example ${TODAY}00 unchanged
dkimhack.myesp.example ${TODAY}01 written"

# ---- served by NSD, verified by fblscope and dkimpy ----------------------

cat > customer.zone <<'EOF'
; the customer's own zone, the CNAME form (written by hand)
$ORIGIN customer.example.
$TTL 300
@ IN SOA ns hostmaster 1 3600 600 86400 60
@ IN NS ns
ns IN A 192.0.2.1
nov2026.myesp._domainkey IN CNAME nov2026.myesp.customer.example.dkimhack.myesp.example.
dec2026.myesp._domainkey IN CNAME dec2026.myesp.customer.example.dkimhack.myesp.example.
EOF
cat > shop.zone <<'EOF'
$ORIGIN shop.example.
$TTL 300
@ IN SOA ns hostmaster 1 3600 600 86400 60
@ IN NS ns
ns IN A 192.0.2.2
s1._domainkey IN CNAME s1.shop.example.dkimhack.myesp.example.
s2._domainkey IN CNAME s2.shop.example.dkimhack.myesp.example.
EOF

A=127.0.0.21
B=127.0.0.22
at_exit "sh '$NSD_SH' stop '$T/nsdA'; sh '$NSD_SH' stop '$T/nsdB'"
PA=$(free_port $A) && PB=$(free_port $B) || { not_ok keys-zone/ports "no free port"; exit 1; }
out=$(sh "$NSD_SH" start "$T/nsdA" "$A" "$PA" \
    myesp._domainkey.customer.example=zones/myesp._domainkey.customer.example.zone \
    _domainkey.fbl.myesp.example=zones/_domainkey.fbl.myesp.example.zone \
    dkimhack.myesp.example=zones/dkimhack.myesp.example.zone 2>&1)
check_eq keys-zone/nsd-a-start "$?" 0 "$out"
out=$(sh "$NSD_SH" start "$T/nsdB" "$B" "$PB" customer.example=customer.zone \
    shop.example=shop.zone dkimhack.myesp.example=zones/dkimhack.myesp.example.zone 2>&1)
check_eq keys-zone/nsd-b-start "$?" 0 "$out"

soa=$(drill -p "$PA" "@$A" myesp._domainkey.customer.example SOA |
    awk '$4 == "SOA" && !/^;/ { print $5, $6, $7 }')
check_eq keys-zone/nsd-soa "$soa" "dkim1.myesp.example. hostmaster.myesp.example. ${TODAY}00"
ns=$(drill -p "$PA" "@$A" _domainkey.fbl.myesp.example NS |
    awk '$4 == "NS" && !/^;/ { print $5 }' | sort | tr '\n' ' ')
check_eq keys-zone/nsd-ns "$ns" "dkim1.myesp.example. dkim2.myesp.example. "

cat > msg.eml <<'EOF'
From: Sender <news@customer.example>
To: someone@receiver.example
Subject: keys zone test
Date: Mon, 23 Nov 2026 08:00:00 +0000
Message-ID: <keys-zone-test@customer.example>

Hello,

a message signed under a key the zone files publish.
EOF

# verify_all FILE DOMAIN SELECTOR SERVER...: both verifiers through each
verify_all() {
	f=$1 d=$2 s=$3
	shift 3
	for srv in "$@"; do
		case $srv in A) ip=$A port=$PA ;; *) ip=$B port=$PB ;; esac
		r=$("$FBL_BIN" verify --resolver "$ip@$port" "$f" 2>&1)
		check_eq "keys-zone/fblscope-verify-$f-$srv" "$?:$(printf '%s' "$r" | grep -c ": pass (ok)")" "0:1" "$r"
		r=$($DKIMPY verify --resolver "$ip@$port" "$f" 2>&1)
		check_eq "keys-zone/dkimpy-verify-$f-$srv" "$?:$r" "0:pass d=$d s=$s"
	done
}
while read -r d s t; do
	k=keys/$s.$d.pem
	case $t in rsa) alg=rsa-sha256 ;; *) alg=ed25519-sha256 ;; esac
	case $d in
	customer.example) servers="A B" ;;
	fbl.myesp.example) servers=A ;;
	*) servers=B ;;
	esac
	"$FBL_BIN" sign --domain "$d" --selector "$s" --key "$k" msg.eml > "f-$s.$d.eml" 2> sign.err
	check_eq "keys-zone/fblscope-sign-$s.$d" "$?" 0 "$(cat sign.err)"
	$DKIMPY sign --domain "$d" --selector "$s" --key "$k" --algorithm "$alg" \
	    msg.eml > "p-$s.$d.eml" 2> sign.err
	check_eq "keys-zone/dkimpy-sign-$s.$d" "$?" 0 "$(cat sign.err)"
	# shellcheck disable=SC2086
	verify_all "f-$s.$d.eml" "$d" "$s" $servers
	# shellcheck disable=SC2086
	verify_all "p-$s.$d.eml" "$d" "$s" $servers
done <<EOF
$KEYS
EOF

# the servers are what answers: A serves no shop.example, B no token zone
"$FBL_BIN" verify --resolver "$A@$PA" f-s1.shop.example.eml > /dev/null 2>&1
check_eq keys-zone/control-shop-not-on-a "$?" 1
"$FBL_BIN" verify --resolver "$B@$PB" f-nov2026.myesp.fbl.myesp.example.eml > /dev/null 2>&1
check_eq keys-zone/control-token-not-on-b "$?" 1

fbl_done
