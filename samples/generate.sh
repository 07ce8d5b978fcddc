#!/bin/sh
# SPDX-License-Identifier: ISC
# Generate the bundled demo set: throwaway keys, the zone that publishes them,
# and a small mailbox of messages signed the "DKIM Core" way (one signature
# for the customer's domain, one for the ESP's feedback-loop token), plus
# copies damaged the way real mail gets damaged.  Everything here is made by
# this script with `fblscope keygen` and `fblscope sign`; rerun it to refresh.
#
#   sh samples/generate.sh [FBLSCOPE]     (from the repository root)
set -eu

FBL=${1:-./fblscope}
S=samples
ESP=myesp
SEL=nov2026.$ESP
TS=1795251600		# 2026-11-21 09:00 UTC, fixed so the output is reproducible

rm -rf "$S/keys" "$S/zones" "$S/mail"
mkdir -p "$S/keys" "$S/zones" "$S/mail"

key() {	# domain selector type
	"$FBL" keygen --domain "$1" --selector "$2" --type "$3" --ttl 300 \
	    --out "$S/keys/$2.$1"
}
key customer.example "$SEL" rsa
key fbl.myesp.example "$SEL" rsa
key shop.example "$SEL" ed25519
key fbl.myesp.example oct2026.$ESP rsa

{
	printf '$ORIGIN .\n$TTL 300\n'
	printf '. 300 IN SOA ns.invalid. hostmaster.invalid. 1 3600 600 86400 300\n'
	printf '. 300 IN NS ns.invalid.\n'
	cat "$S"/keys/*.zone
	# October's ESP key was rotated away and revoked: p= is empty
	printf 'oct2026.myesp._domainkey.fbl.myesp.example. 300 IN TXT "v=DKIM1; k=rsa; p="\n'
} > "$S/zones/demo.zone"
# the revoked selector must not be served with its old key too
grep -v '^oct2026.myesp._domainkey.fbl.myesp.example. 300 IN TXT ( ' \
    "$S/zones/demo.zone" > "$S/zones/demo.zone.tmp"
mv "$S/zones/demo.zone.tmp" "$S/zones/demo.zone"

msg() {	# from-domain subject body-text
	printf 'From: News <news@%s>\r\nTo: reader@isp.example\r\n' "$1"
	printf 'Subject: %s\r\nDate: Sat, 21 Nov 2026 09:00:00 +0000\r\n' "$2"
	printf 'Message-ID: <%s.%s@%s>\r\nMIME-Version: 1.0\r\n' "$TS" "$(printf %s "$2" | cksum | cut -d' ' -f1)" "$1"
	printf 'Content-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n'
	printf '%s\r\n\r\nThis offer ends soon; read the whole story \r\n' "$3"
	printf 'on our web site.\r\n\r\n-- \r\nThe %s team\r\n' "$1"
}
sign2() {	# customer-domain selector in out
	"$FBL" sign --domain "$1" --selector "$2" --canon relaxed/simple \
	    --timestamp $TS --key "$S/keys/$2.$1.pem" "$3" > "$4.tmp"
	"$FBL" sign --domain fbl.myesp.example --selector "$SEL" \
	    --canon relaxed/relaxed --timestamp $TS \
	    --key "$S/keys/$SEL.fbl.myesp.example.pem" "$4.tmp" > "$4"
	rm -f "$4.tmp"
}

M=$S/mail
msg customer.example "November offers" "Dear reader, our November offers are here." > "$M/plain.tmp"
sign2 customer.example "$SEL" "$M/plain.tmp" "$M/01-good.eml"
msg shop.example "Your basket" "You left something in your basket." > "$M/plain2.tmp"
sign2 shop.example "$SEL" "$M/plain2.tmp" "$M/02-good-ed25519.eml"
# a word changed in the body
sed 's/November offers are/December offers are/' "$M/01-good.eml" > "$M/03-body-changed.eml"
# a gateway rewrote line ends to CR CR LF in the body
awk 'BEGIN{b=0} { if (b) sub(/\r$/, "\r\r"); if ($0 == "\r") b=1; print }' \
    "$M/01-good.eml" > "$M/04-crcrlf.eml"
# a gateway stripped trailing whitespace
sed 's/ \r$/\r/' "$M/01-good.eml" > "$M/05-whitespace-stripped.eml"
# the subject was changed after signing
sed 's/^Subject: November offers/Subject: November offers!!!/' \
    "$M/01-good.eml" > "$M/06-subject-changed.eml"
# a list appended a footer
{ cat "$M/01-good.eml"; printf 'You are subscribed to news@customer.example\r\n'; } \
    > "$M/07-footer-added.eml"
# the report carries only the headers
awk '{ print } $0 == "\r" { exit }' "$M/01-good.eml" | sed '$d' > "$M/08-headers-only.eml"
# signed by the ESP with October's key, since revoked
msg customer.example "October news" "October news." > "$M/plain3.tmp"
"$FBL" sign --domain fbl.myesp.example --selector oct2026.$ESP --timestamp $TS \
    --key "$S/keys/oct2026.$ESP.fbl.myesp.example.pem" "$M/plain3.tmp" > "$M/09-rotated-key.eml"
# a forgery: claims customer.example, signed with a key nobody published
"$FBL" keygen --domain customer.example --selector "$SEL" --out "$M/forger" >/dev/null
"$FBL" sign --domain customer.example --selector "$SEL" --timestamp $TS \
    --key "$M/forger.pem" "$M/plain.tmp" > "$M/10-forged.eml"
rm -f "$M"/*.tmp "$M"/forger.*
echo "samples: $(ls "$M" | wc -l) messages, $(ls "$S/keys"/*.pem | wc -l) keys, zone $S/zones/demo.zone"
