#!/bin/sh
# SPDX-License-Identifier: ISC
# keys_audit.sh: `fblscope keys audit` (the contract: issue 6, spec-keys.md)
# against real DNS on loopback: NSD authoritative servers and an Unbound
# recursive resolver, all on one high port P.
#
#   127.0.0.30  Unbound, the "public DNS" (--resolver 127.0.0.30@P); stub-zones
#               (tests/lib/unbound.sh says why) for ., example., myesp.example.
#               and every zone that dkim1/dkim2 serve and a parent delegates
#               (with dkim1 + dkim2 as servers, whatever the delegation says:
#               the resolver's own path is not what a scenario is about)
#   127.0.0.31  NSD "public": a root zone (so that nothing goes to the
#               Internet), zones example. (ns.example, the customer names,
#               the delegations myesp._domainkey.<customer>.example NS ...,
#               the customers' CNAMEs) and myesp.example. (dkim1/2/3 and
#               dead A records; _domainkey.fbl.myesp.example and
#               dkimhack.myesp.example delegated to dkim1 + dkim2)
#   127.0.0.32  NSD dkim1.myesp.example  } the configured nameservers: every
#   127.0.0.33  NSD dkim2.myesp.example  } delegated zone, zone files differ
#                                          where a scenario needs it
#   127.0.0.34  NSD dkim3.myesp.example: serves an unrelated zone only (lame)
#   127.0.0.35  dead.myesp.example: a black hole (tests/lib/hostile_dns.py
#               silent: takes every question, never answers)
#   127.0.0.36  tests/lib/hostile_dns.py servfail: SERVFAIL to everything
#   127.0.0.37  nothing listens there (UDP: ICMP port unreachable)
#
# Every key is made here by `fblscope keygen`.  The expectations below are
# written by hand from the contract, one scenario per customer domain, as of
# --date 2026-11-23 (rotation-months 3, rotation-grace-days 30): for each
# domain the exact set of rows that are not OK, the mode, the domain status,
# the published selectors and a few rows that must be OK (or absent).  They
# are never taken from the program's output.
#
#   domain                 mode       status  rows that are not OK
#   fbl.myesp.example      esp        OK      -
#   good.example           delegated  OK      -
#   nodeleg.example        none       FAIL    delegation Z FAIL missing
#   lacksel.example        delegated  FAIL    record nov2026.myesp @dkim2 FAIL missing
#   diffkey.example        delegated  FAIL    consistency nov2026.myesp FAIL differs
#   lagging.example        delegated  WARN    serial Z WARN lagging
#   cnameok.example        cname      OK      -
#   cnamenowhere.example   cname      FAIL    cname nov2026.myesp FAIL dangling
#   small.example          delegated  WARN    key nov2026.myesp WARN small
#   testing.example        delegated  WARN    key nov2026.myesp WARN testing
#   badpriv.example        delegated  FAIL    private nov2026.myesp FAIL mismatch
#   unpub.example          delegated  FAIL    private dec2026.myesp FAIL unpublished
#   oldsel.example         delegated  WARN    grace aug2026.myesp WARN past-grace
#   partial.example        delegated  WARN    delegation Z WARN partial
#   lame.example           delegated  FAIL    delegation Z WARN extra,
#                                             lame Z @dkim3 FAIL lame
#   dead.example           delegated  TEMP    delegation Z WARN extra,
#                                             lame Z @dead TEMP timeout
#   (Z = myesp._domainkey.<domain>)
# plus: exit statuses (1 for all, 0 for good + fbl, 2 without a config), the
# text format's summary line, a domain the config does not know, and dkim2
# stopped (TEMP rows, a bounded run).
#
# Questions that could not be asked or answered (issue 13, item 7) are TEMP,
# never FAIL, with the cause as the reason, and exit 75 when nothing FAILs:
#   resolver where nothing listens   TEMP connection-refused
#   --port where nothing listens     TEMP connection-refused (the servers)
#   resolver that never answers      TEMP timeout
#   resolver that says SERVFAIL      TEMP servfail
#   a configured server that says SERVFAIL, the other one answering:
#                                    record TEMP servfail; private TEMP
#                                    servfail where the other has no key
# and with --db they are stored as TEMP, shown by the report as TEMP, and a
# run with TEMP rows does not close the domain's open problems.
#
# Readings of the contract where it leaves room (say so in the issue if the
# implementation reads it otherwise):
# - grace: an older selector is superseded on the first day of the CURRENT
#   selector's month, so on 2026-11-23 with nov2026 current every older
#   selector is still in grace (until 2026-12-01).  oldsel therefore publishes
#   oct2026 (current, 1 month old) and aug2026 (superseded 2026-10-01, grace
#   over on 2026-10-31): past-grace under every reading.
# - dead: the delegation lists dkim1, dkim2 AND dead.myesp.example, so the
#   delegation row is WARN extra (all configured listed plus others), not OK.
# - a domain's status is the worst of its rows with TEMP above WARN; no domain
#   here has both FAIL and TEMP (their order is not fixed).
# - serial in mode cname: the zone holding the key names is the zone of the
#   cname-target names, dkimhack.myesp.example.
# - current with nothing published (stranger.example): the subject is the
#   selector of --date's month, nov2026.myesp.
# - nameservers[].status names why a configured server never answered
#   during the run: "connection-refused" for dkim2 stopped (nothing listens).
# - text format: header "DOMAIN (ID) MODE STATUS" with "(-)" for no customer
#   id; check lines matched with any run of blanks between the fields.
#
# Run: make && sh tests/integration/keys_audit.sh (or sh tests/run.sh);
# FBL_BIN=path/to/fblscope to test another build.  About 20-40 s, most of it
# RSA key generation.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
PATH=$PATH:/usr/sbin:/sbin
case $FBL_BIN in /*) ;; *) FBL_BIN=$(pwd)/$FBL_BIN ;; esac
if [ ! -x "$FBL_BIN" ] && [ -x "$FBL_ROOT/build/release/fblscope" ]; then
	FBL_BIN=$FBL_ROOT/build/release/fblscope
fi
NSD_SH=$FBL_ROOT/tests/lib/nsd.sh
UNBOUND_SH=$FBL_ROOT/tests/lib/unbound.sh

if ! need_cmd nsd nsd-checkzone unbound unbound-checkconf drill openssl; then
	skip keys-audit/all "nsd, unbound, drill or openssl missing (sh tests/lib/deps.sh)"
	exit 0
fi
if [ ! -x "$FBL_BIN" ]; then
	not_ok keys-audit/binary "$FBL_BIN is not built (make)"
	exit 1
fi

DATE=2026-11-23
RES=127.0.0.30 PUB=127.0.0.31 D1=127.0.0.32 D2=127.0.0.33 D3=127.0.0.34 DEAD=127.0.0.35
SERVFAIL=127.0.0.36 NOBODY=127.0.0.37

# One port, free for TCP and UDP on every address we use (the dead one too:
# nothing may answer there); and a second one where nothing listens on any.
P=$(free_port $RES $PUB $D1 $D2 $D3 $DEAD $SERVFAIL $NOBODY) || { not_ok keys-audit/free-port "no port free on 127.0.0.30-37"; exit 1; }
Q=$(free_port $RES $PUB $D1 $D2 $D3 $DEAD $SERVFAIL $NOBODY) || { not_ok keys-audit/free-port "no second port free on 127.0.0.30-37"; exit 1; }
[ "$Q" != "$P" ] || { not_ok keys-audit/free-port "the same port twice: $P"; exit 1; }

T0=$(date +%s)
phase() {	# chatter on stderr: where the time goes
	echo "keys_audit.sh: $(($(date +%s) - T0)) s: $*" >&2
}

cd "$T" || exit 1
mkdir kg priv zones zones/pub zones/dkim1 zones/dkim2 zones/dkim3 || exit 1

# ---------------------------------------------------------------- keys
# kg NAME DOMAIN SELECTOR [keygen options]: kg/NAME.pem and kg/NAME.zone,
# two at a time (RSA key generation is most of this script's time)
KG_NAMES='' KG_N=0
kg() {
	_n=$1 _d=$2 _s=$3
	shift 3
	KG_NAMES="$KG_NAMES $_n"
	"$FBL_BIN" keygen --domain "$_d" --selector "$_s" --ttl 300 \
	    --out "kg/$_n" "$@" > /dev/null 2> "kg/$_n.err" &
	KG_N=$((KG_N + 1))
	[ $((KG_N % 2)) -ne 0 ] || wait
}
# rdata NAME: the TXT RDATA keygen wrote, "( "..." "..." )"
rdata() {
	sed -n 's/^[^ ]* [0-9]* IN TXT //p' "kg/$1.zone"
}

# nov2026 (current): a key of each domain's own.  oct2026 (the previous one,
# still published): one key for all, copied to each name after keygen (fewer
# RSA keys to make; no check compares keys across domains).
kg oct2026.myesp.shared shared.example oct2026.myesp
for d in good nodeleg lacksel diffkey lagging badpriv unpub partial lame dead; do
	kg "nov2026.myesp.$d.example" "$d.example" nov2026.myesp
done
kg nov2026.myesp.diffkey.example-other diffkey.example nov2026.myesp
kg nov2026.myesp.badpriv.example-other badpriv.example nov2026.myesp
kg dec2026.myesp.unpub.example unpub.example dec2026.myesp
kg nov2026.myesp.cnameok.example cnameok.example nov2026.myesp
kg nov2026.myesp.small.example small.example nov2026.myesp --bits 1024
kg nov2026.myesp.testing.example testing.example nov2026.myesp --testing
kg aug2026.myesp.oldsel.example oldsel.example aug2026.myesp
kg nov2026.myesp.fbl.myesp.example fbl.myesp.example nov2026.myesp
wait
KG_FAILED=
for n in $KG_NAMES; do
	[ -s "kg/$n.pem" ] && [ -s "kg/$n.zone" ] || KG_FAILED="$KG_FAILED $n"
done
for d in good nodeleg lacksel diffkey lagging badpriv unpub partial lame dead \
    cnameok cnamenowhere small testing oldsel fbl.myesp; do
	cp kg/oct2026.myesp.shared.pem "kg/oct2026.myesp.$d.example.pem" &&
	    cp kg/oct2026.myesp.shared.zone "kg/oct2026.myesp.$d.example.zone" ||
	    KG_FAILED="$KG_FAILED oct2026.myesp.$d.example"
done
if [ -n "$KG_FAILED" ]; then
	not_ok keys-audit/keygen "failed for$KG_FAILED: $(cat kg/*.err | head -c 300)"
	exit 1
fi
ok keys-audit/keygen

# The private key directory (SELECTOR.DOMAIN.pem): good, unpub and the ESP
# token hold their published nov2026 key (match); badpriv holds another key
# than the published one (mismatch); unpub also holds dec2026, published
# nowhere (unpublished).
cp kg/nov2026.myesp.good.example.pem kg/nov2026.myesp.unpub.example.pem \
    kg/dec2026.myesp.unpub.example.pem kg/nov2026.myesp.fbl.myesp.example.pem priv/ &&
    cp kg/nov2026.myesp.badpriv.example-other.pem priv/nov2026.myesp.badpriv.example.pem ||
    { not_ok keys-audit/private-dir "cannot fill priv/"; exit 1; }

# ---------------------------------------------------------------- zones
phase "zones"
# zhead ORIGIN SERIAL: the SOA and NS of a zone served by dkim1 + dkim2
# shellcheck disable=SC2016
zhead() {
	printf '$ORIGIN %s.\n$TTL 300\n' "$1"
	printf '@ IN SOA dkim1.myesp.example. hostmaster.myesp.example. %s 3600 600 86400 300\n' "$2"
	printf '@ IN NS dkim1.myesp.example.\n@ IN NS dkim2.myesp.example.\n'
}
DKIM1_ZONES='' DKIM2_ZONES='' STUBS=''
# zone N ORIGIN SERIAL OWNER=KEYNAME...: zones/dkimN/ORIGIN.zone
zone() {
	_s=$1 _o=$2 _serial=$3
	shift 3
	_f=$T/zones/dkim$_s/$_o.zone
	{
		zhead "$_o" "$_serial"
		for _r in "$@"; do
			printf '%s 300 IN TXT %s\n' "${_r%%=*}" "$(rdata "${_r#*=}")"
		done
	} > "$_f"
	if [ "$_s" = 1 ]; then
		DKIM1_ZONES="$DKIM1_ZONES $_o=$_f"
	else
		DKIM2_ZONES="$DKIM2_ZONES $_o=$_f"
	fi
}
S=2026112301	# the serial, unless a scenario says otherwise
# both DOMAIN OWNER=KEYNAME...: the same zone myesp._domainkey.DOMAIN on both
both() {
	_d=$1
	shift
	zone 1 "myesp._domainkey.$_d" $S "$@"
	zone 2 "myesp._domainkey.$_d" $S "$@"
}
# std DOMAIN: nov2026 (current) and oct2026 (in grace), same on both servers
std() {
	both "$1" "nov2026=nov2026.myesp.$1" "oct2026=oct2026.myesp.$1"
}

std good.example
std nodeleg.example		# keys ready on the servers, delegation forgotten
zone 1 myesp._domainkey.lacksel.example $S nov2026=nov2026.myesp.lacksel.example \
    oct2026=oct2026.myesp.lacksel.example
zone 2 myesp._domainkey.lacksel.example $S oct2026=oct2026.myesp.lacksel.example
zone 1 myesp._domainkey.diffkey.example $S nov2026=nov2026.myesp.diffkey.example \
    oct2026=oct2026.myesp.diffkey.example
zone 2 myesp._domainkey.diffkey.example $S nov2026=nov2026.myesp.diffkey.example-other \
    oct2026=oct2026.myesp.diffkey.example
zone 1 myesp._domainkey.lagging.example 2026112301 nov2026=nov2026.myesp.lagging.example \
    oct2026=oct2026.myesp.lagging.example
zone 2 myesp._domainkey.lagging.example 2026112200 nov2026=nov2026.myesp.lagging.example \
    oct2026=oct2026.myesp.lagging.example
std small.example
std testing.example
std badpriv.example
std unpub.example
both oldsel.example oct2026=oct2026.myesp.oldsel.example aug2026=aug2026.myesp.oldsel.example
std partial.example
std lame.example
std dead.example
# weak.example (not in the config, audited alone): the current key revoked,
# the previous one restricted to h=sha1 (both keys as written here)
for n in 1 2; do
	{
		zhead myesp._domainkey.weak.example $S
		printf 'nov2026 300 IN TXT "v=DKIM1; k=rsa; p="\n'
		printf 'oct2026 300 IN TXT "v=DKIM1; k=rsa; h=sha1; " %s\n' \
		    "$(rdata oct2026.myesp.shared | sed 's/^( *"v=DKIM1; k=rsa; /"/; s/ *)$//')"
	} > "$T/zones/dkim$n/myesp._domainkey.weak.example.zone"
	eval "DKIM${n}_ZONES=\"\$DKIM${n}_ZONES myesp._domainkey.weak.example=$T/zones/dkim$n/myesp._domainkey.weak.example.zone\""
done
# the ESP token's zone (the zone cut below fbl.myesp.example), and the zone
# of the CNAME targets
for n in 1 2; do
	zone $n _domainkey.fbl.myesp.example $S \
	    nov2026.myesp=nov2026.myesp.fbl.myesp.example \
	    oct2026.myesp=oct2026.myesp.fbl.myesp.example
	# the CNAME targets: cnamenowhere's nov2026 target is missing (dangling)
	zone $n dkimhack.myesp.example $S \
	    nov2026.myesp.cnameok.example=nov2026.myesp.cnameok.example \
	    oct2026.myesp.cnameok.example=oct2026.myesp.cnameok.example \
	    oct2026.myesp.cnamenowhere.example=oct2026.myesp.cnamenowhere.example
done
# the resolver reaches every zone the parents delegate (not nodeleg's)
for z in good lacksel diffkey lagging small testing badpriv unpub oldsel partial lame dead weak; do
	STUBS="$STUBS myesp._domainkey.$z.example=$D1@$P,$D2@$P"
done
STUBS="$STUBS _domainkey.fbl.myesp.example=$D1@$P,$D2@$P dkimhack.myesp.example=$D1@$P,$D2@$P"

cat > zones/dkim3/elsewhere.example.zone <<'EOF'
$ORIGIN elsewhere.example.
$TTL 300
@ IN SOA dkim3.myesp.example. hostmaster.myesp.example. 1 3600 600 86400 300
@ IN NS dkim3.myesp.example.
@ IN TXT "dkim3 serves this zone only"
EOF

{
	cat <<'EOF'
$ORIGIN example.
$TTL 300
@ IN SOA ns.example. hostmaster.example. 2026112301 3600 600 86400 300
@ IN NS ns.example.
ns IN A 127.0.0.31
myesp IN NS ns.example.
stranger IN A 192.0.2.99
EOF
	for d in good nodeleg lacksel diffkey lagging cnameok cnamenowhere small testing \
	    badpriv unpub oldsel partial lame dead; do
		printf '%s IN A 192.0.2.1\n' "$d"
	done
	for d in good lacksel diffkey lagging small testing badpriv unpub oldsel weak; do
		printf 'myesp._domainkey.%s IN NS dkim1.myesp.example.\n' "$d"
		printf 'myesp._domainkey.%s IN NS dkim2.myesp.example.\n' "$d"
	done
	cat <<'EOF'
myesp._domainkey.partial IN NS dkim1.myesp.example.
myesp._domainkey.lame IN NS dkim1.myesp.example.
myesp._domainkey.lame IN NS dkim2.myesp.example.
myesp._domainkey.lame IN NS dkim3.myesp.example.
myesp._domainkey.dead IN NS dkim1.myesp.example.
myesp._domainkey.dead IN NS dkim2.myesp.example.
myesp._domainkey.dead IN NS dead.myesp.example.
nov2026.myesp._domainkey.cnameok IN CNAME nov2026.myesp.cnameok.example.dkimhack.myesp.example.
oct2026.myesp._domainkey.cnameok IN CNAME oct2026.myesp.cnameok.example.dkimhack.myesp.example.
nov2026.myesp._domainkey.cnamenowhere IN CNAME nov2026.myesp.cnamenowhere.example.dkimhack.myesp.example.
oct2026.myesp._domainkey.cnamenowhere IN CNAME oct2026.myesp.cnamenowhere.example.dkimhack.myesp.example.
EOF
} > zones/pub/example.zone
# a root zone too, so that no query of the resolver ever goes to the
# Internet's root servers (an answer at once instead of a time-out)
cat > zones/pub/root.zone <<'EOF'
. 300 IN SOA ns.example. hostmaster.example. 2026112301 3600 600 86400 300
. 300 IN NS ns.example.
example. 300 IN NS ns.example.
ns.example. 300 IN A 127.0.0.31
EOF
cat > zones/pub/myesp.example.zone <<'EOF'
$ORIGIN myesp.example.
$TTL 300
@ IN SOA ns.example. hostmaster.myesp.example. 2026112301 3600 600 86400 300
@ IN NS ns.example.
dkim1 IN A 127.0.0.32
dkim2 IN A 127.0.0.33
dkim3 IN A 127.0.0.34
dead IN A 127.0.0.35
_domainkey.fbl IN NS dkim1
_domainkey.fbl IN NS dkim2
dkimhack IN NS dkim1
dkimhack IN NS dkim2
EOF

# ---------------------------------------------------------------- config
CONF=$T/fblscope.conf
cat > "$CONF" <<'EOF'
# keys_audit.sh
esp-id			myesp
esp-domain		fbl.myesp.example
nameserver		dkim1.myesp.example dkim2.myesp.example
selector-pattern	'^(?<mon>[a-z]{3})(?<year>\d{4})\.myesp$'
cname-target		{selector}.{domain}.dkimhack.myesp.example
rotation-grace-days	30
rotation-months		3
customer		cust-good good.example
customer		cust-nodeleg nodeleg.example
customer		cust-lacksel lacksel.example
customer		cust-diffkey diffkey.example
customer		cust-lagging lagging.example
customer		cust-cnameok cnameok.example
customer		cust-cnamenowhere cnamenowhere.example
customer		cust-small small.example
customer		cust-testing testing.example
customer		cust-badpriv badpriv.example
customer		cust-unpub unpub.example
customer		cust-oldsel oldsel.example
customer		cust-partial partial.example
customer		cust-lame lame.example
customer		cust-dead dead.example
EOF
# the configuration loader (already there) accepts it: an audit failure is
# not a fixture mistake
printf 'From: a@good.example\n\nhello\n' > msg.eml
if "$FBL_BIN" arf --config "$CONF" msg.eml > /dev/null 2> conf.err; then
	ok keys-audit/fixture/config-loads
else
	not_ok keys-audit/fixture/config-loads "$(head -c 300 conf.err)"
fi

# ---------------------------------------------------------------- servers
phase "servers"
# stopped all at once (each stop waits until its server is gone)
at_exit "sh '$UNBOUND_SH' stop '$T/unbound' & for s in pub dkim1 dkim2 dkim3; do sh '$NSD_SH' stop '$T/nsd-'\$s & done; wait"
start_failed=
# shellcheck disable=SC2086
{
	sh "$NSD_SH" start nsd-pub $PUB "$P" example=zones/pub/example.zone \
	    myesp.example=zones/pub/myesp.example.zone .=zones/pub/root.zone 2> start.err &&
	sh "$NSD_SH" start nsd-dkim1 $D1 "$P" $DKIM1_ZONES 2>> start.err &&
	sh "$NSD_SH" start nsd-dkim2 $D2 "$P" $DKIM2_ZONES 2>> start.err &&
	sh "$NSD_SH" start nsd-dkim3 $D3 "$P" elsewhere.example=zones/dkim3/elsewhere.example.zone 2>> start.err &&
	sh "$UNBOUND_SH" start unbound $RES "$P" .=$PUB@$P example.=$PUB@$P \
	    myesp.example.=$PUB@$P $STUBS 2>> start.err
} || start_failed=1
if [ -n "$start_failed" ]; then
	not_ok keys-audit/fixture-start "$(tr '\n' ' ' < start.err | head -c 600)"
	exit 1
fi
ok keys-audit/fixture-start

# ---------------------------------------------------------------- the fixture itself
phase "fixture checks"
# dq ADDR NAME TYPE [norec]: one line, the sorted facts of the answer:
#   "aa aa|noaa;ans TYPE=RDATA;...;auth TYPE=RDATA;...;rc RCODE;"
# (SOA RDATA reduced to the serial, ";" in RDATA made ","; additional section
# left out; EDNS, since a key behind a CNAME does not fit 512 bytes)
dq() {
	if [ "${4:-}" = norec ]; then
		_o="-o rd"
	else
		_o=
	fi
	# shellcheck disable=SC2086
	timeout 10 drill $_o -b 4096 -p "$P" "@$1" "$2" "$3" 2>&1 | awk '
		/rcode:/ { rc = $0; sub(/.*rcode: /, "", rc); sub(/,.*/, "", rc) }
		/^;; flags:/ { aa = ($0 ~ / aa /) ? "aa" : "noaa" }
		/^;; ANSWER SECTION/ { sec = "ans"; next }
		/^;; AUTHORITY SECTION/ { sec = "auth"; next }
		/^;;/ { sec = ""; next }
		/^$/ { sec = ""; next }
		sec != "" && NF >= 5 {
			rd = $5
			for (i = 6; i <= NF; i++) rd = rd " " $i
			if ($4 == "SOA") rd = $7
			gsub(/;/, ",", rd)
			print sec " " $4 "=" rd
		}
		END { print "rc " rc; print "aa " aa }' | LC_ALL=C sort | tr '\n' ';'
}
fx() {	# fx NAME GOT WANT
	check_eq "keys-audit/fixture/$1" "$2" "$3"
}
NS12="auth NS=dkim1.myesp.example.;auth NS=dkim2.myesp.example.;"
REF12="aa noaa;${NS12}rc NOERROR;"
fx public-refers-good "$(dq $PUB myesp._domainkey.good.example NS norec)" "$REF12"
fx public-refers-partial-to-dkim1-only "$(dq $PUB myesp._domainkey.partial.example NS norec)" \
    "aa noaa;auth NS=dkim1.myesp.example.;rc NOERROR;"
fx public-refers-lame-to-dkim3-too "$(dq $PUB myesp._domainkey.lame.example NS norec)" \
    "aa noaa;auth NS=dkim1.myesp.example.;auth NS=dkim2.myesp.example.;auth NS=dkim3.myesp.example.;rc NOERROR;"
fx public-refers-dead-to-dead-too "$(dq $PUB myesp._domainkey.dead.example NS norec)" \
    "aa noaa;auth NS=dead.myesp.example.;auth NS=dkim1.myesp.example.;auth NS=dkim2.myesp.example.;rc NOERROR;"
fx public-nodeleg-not-delegated "$(dq $PUB myesp._domainkey.nodeleg.example NS norec)" \
    "aa aa;auth SOA=2026112301;rc NXDOMAIN;"
fx public-refers-esp-token "$(dq $PUB _domainkey.fbl.myesp.example NS norec)" "$REF12"
fx public-refers-dkimhack "$(dq $PUB dkimhack.myesp.example NS norec)" "$REF12"
fx public-cname-cnameok "$(dq $PUB nov2026.myesp._domainkey.cnameok.example CNAME norec)" \
    "aa aa;ans CNAME=nov2026.myesp.cnameok.example.dkimhack.myesp.example.;auth NS=ns.example.;rc NOERROR;"
fx public-dkim2-address "$(dq $PUB dkim2.myesp.example A norec)" "aa aa;ans A=127.0.0.33;auth NS=ns.example.;rc NOERROR;"
fx dkim1-authoritative-good "$(dq $D1 myesp._domainkey.good.example SOA norec)" \
    "aa aa;ans SOA=2026112301;${NS12}rc NOERROR;"
fx dkim2-authoritative-good "$(dq $D2 myesp._domainkey.good.example SOA norec)" \
    "aa aa;ans SOA=2026112301;${NS12}rc NOERROR;"
fx dkim1-serial-lagging "$(dq $D1 myesp._domainkey.lagging.example SOA norec)" \
    "aa aa;ans SOA=2026112301;${NS12}rc NOERROR;"
fx dkim2-serial-lagging-behind "$(dq $D2 myesp._domainkey.lagging.example SOA norec)" \
    "aa aa;ans SOA=2026112200;${NS12}rc NOERROR;"
fx dkim1-has-lacksel-nov2026 "$(dq $D1 nov2026.myesp._domainkey.lacksel.example TXT norec | sed 's/ans TXT=[^;]*;/ans TXT;/')" \
    "aa aa;ans TXT;${NS12}rc NOERROR;"
fx dkim2-serves-nodeleg-keys "$(dq $D2 nov2026.myesp._domainkey.nodeleg.example TXT norec | sed 's/ans TXT=[^;]*;/ans TXT;/')" \
    "aa aa;ans TXT;${NS12}rc NOERROR;"
fx dkim2-lacks-lacksel-nov2026 "$(dq $D2 nov2026.myesp._domainkey.lacksel.example TXT norec)" \
    "aa aa;auth SOA=2026112301;rc NXDOMAIN;"
a=$(dq $D1 nov2026.myesp._domainkey.diffkey.example TXT norec)
b=$(dq $D2 nov2026.myesp._domainkey.diffkey.example TXT norec)
case $a in *"ans TXT="*"p="*) ;; *) a="no key: $a" ;; esac
case $b in *"ans TXT="*"p="*) ;; *) b="no key: $b" ;; esac
if [ "$a" != "$b" ] && [ "${a#no key}" = "$a" ] && [ "${b#no key}" = "$b" ]; then
	ok keys-audit/fixture/diffkey-servers-differ
else
	not_ok keys-audit/fixture/diffkey-servers-differ "dkim1 '$a', dkim2 '$b'"
fi
fx dkim3-refuses-customer-zone "$(dq $D3 myesp._domainkey.lame.example SOA norec)" "aa noaa;rc REFUSED;"
fx dkim1-esp-zone "$(dq $D1 _domainkey.fbl.myesp.example SOA norec)" "aa aa;ans SOA=2026112301;${NS12}rc NOERROR;"
fx dkim2-no-nowhere-target "$(dq $D2 nov2026.myesp.cnamenowhere.example.dkimhack.myesp.example TXT norec)" \
    "aa aa;auth SOA=2026112301;rc NXDOMAIN;"
# silent ADDR: nothing answers a DNS query on ADDR port P within 0.5 s
silent() {
	"$PYTHON" - "$1" "$P" <<'EOF'
import socket, sys
q = bytes.fromhex("abcd0000000100000000000003646b696d0000060001")  # dkim. SOA
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.settimeout(0.5)
try:
    s.connect((sys.argv[1], int(sys.argv[2])))
    s.send(q)
    s.recv(512)
except (socket.timeout, ConnectionRefusedError):
    sys.exit(0)
sys.exit(1)
EOF
}
if silent $DEAD; then
	ok keys-audit/fixture/dead-is-silent
else
	not_ok keys-audit/fixture/dead-is-silent "something answers on $DEAD port $P"
fi
# through the resolver (recursion on)
fx resolver-key-good "$(dq $RES nov2026.myesp._domainkey.good.example TXT | sed 's/ans TXT=[^;]*;/ans TXT;/')" \
    "aa noaa;ans TXT;rc NOERROR;"
fx resolver-esp-key "$(dq $RES oct2026.myesp._domainkey.fbl.myesp.example TXT | sed 's/ans TXT=[^;]*;/ans TXT;/')" \
    "aa noaa;ans TXT;rc NOERROR;"
fx resolver-cnameok-follows "$(dq $RES nov2026.myesp._domainkey.cnameok.example TXT | sed 's/ans TXT=[^;]*;/ans TXT;/')" \
    "aa noaa;ans CNAME=nov2026.myesp.cnameok.example.dkimhack.myesp.example.;ans TXT;rc NOERROR;"
fx resolver-cnamenowhere-dangles "$(dq $RES nov2026.myesp._domainkey.cnamenowhere.example TXT | sed 's/auth SOA=[^;]*;//')" \
    "aa noaa;ans CNAME=nov2026.myesp.cnamenowhere.example.dkimhack.myesp.example.;rc NXDOMAIN;"
fx resolver-nodeleg-invisible "$(dq $RES nov2026.myesp._domainkey.nodeleg.example TXT | sed 's/auth SOA=[^;]*;//')" \
    "aa noaa;rc NXDOMAIN;"
fx resolver-dead-address "$(dq $RES dead.myesp.example A)" "aa noaa;ans A=127.0.0.35;rc NOERROR;"
fx resolver-parent-ns "$(dq $RES example NS)" "aa noaa;ans NS=ns.example.;rc NOERROR;"
fx resolver-root-is-ours "$(dq $RES www.nosuchtld A | sed 's/auth SOA=[^;]*;//')" "aa noaa;rc NXDOMAIN;"
fx resolver-zone-cut-esp "$(dq $RES _domainkey.fbl.myesp.example SOA)" "aa noaa;ans SOA=2026112301;rc NOERROR;"
# the keys are what the scenarios say
case $(rdata nov2026.myesp.testing.example) in
*"t=y"*) ok keys-audit/fixture/testing-key-has-t-y ;;
*) not_ok keys-audit/fixture/testing-key-has-t-y "$(rdata nov2026.myesp.testing.example)" ;;
esac
bits() { openssl pkey -in "kg/$1.pem" -noout -text 2>/dev/null | sed -n 's/.*Private-Key: (\([0-9]*\) bit.*/\1/p'; }
fx small-key-1024 "$(bits nov2026.myesp.small.example)" 1024
fx good-key-2048 "$(bits nov2026.myesp.good.example)" 2048
# p= of a published record, and the public key of a private key file, base64
pub_of_record() { rdata "$1" | tr -d '"() \t' | sed 's/.*p=//; s/;.*//'; }
pub_of_pem() { openssl pkey -in "$1" -pubout -outform DER 2>/dev/null | openssl base64 -A; }
fx private-good-matches "$(pub_of_pem priv/nov2026.myesp.good.example.pem)" \
    "$(pub_of_record nov2026.myesp.good.example)"
if [ "$(pub_of_pem priv/nov2026.myesp.badpriv.example.pem)" != "$(pub_of_record nov2026.myesp.badpriv.example)" ]; then
	ok keys-audit/fixture/private-badpriv-differs
else
	not_ok keys-audit/fixture/private-badpriv-differs "the private key is the published one"
fi

# A black hole at dead.myesp.example: a socket that takes every datagram and
# TCP connection and never answers (no ICMP "port unreachable" either), so
# the audit meets a real timeout there, not a quick refusal.  And a server
# that answers SERVFAIL to every question.
HDNS=$FBL_ROOT/tests/lib/hostile_dns.py
"$PYTHON" "$HDNS" "$DEAD" "$P" "$T/blackhole.log" silent 2> blackhole.err &
at_exit "kill $! 2>/dev/null"
"$PYTHON" "$HDNS" "$SERVFAIL" "$P" "$T/servfail.log" servfail 2> servfail.err &
at_exit "kill $! 2>/dev/null"
if wait_port "$DEAD" "$P" 10 && silent $DEAD; then
	ok keys-audit/fixture/black-hole
else
	not_ok keys-audit/fixture/black-hole "something answers on $DEAD port $P, or nothing listens: $(head -c 200 blackhole.err)"
fi
wait_port "$SERVFAIL" "$P" 10 || not_ok keys-audit/fixture/servfail-start "$(head -c 200 servfail.err)"
fx servfail-server "$(dq $SERVFAIL x.example TXT)" "aa aa;rc SERVFAIL;"
if silent $NOBODY; then
	ok keys-audit/fixture/nobody-listens
else
	not_ok keys-audit/fixture/nobody-listens "something answers on $NOBODY port $P"
fi

# ---------------------------------------------------------------- running the audit
phase "audits"
# audit NAME [options and domains]: run NAME.out NAME.err NAME.rc NAME.secs,
# asking the resolver AUDIT_RES (IP@PORT, default Unbound)
AUDIT_RES=$RES@$P
audit() {
	_n=$1
	shift
	_t0=$(date +%s)
	timeout 60 "$FBL_BIN" keys audit --config "$CONF" --date $DATE \
	    --resolver "$AUDIT_RES" --port "$P" --timeout 500 --private-keys "$T/priv" \
	    "$@" > "$_n.out" 2> "$_n.err"
	echo $? > "$_n.rc"
	echo $(($(date +%s) - _t0)) > "$_n.secs"
	echo "keys_audit.sh: run $_n: exit $(cat "$_n.rc"), $(cat "$_n.secs") s: $*" >&2
}

# parse NAME: NAME.out (JSON) into NAME.d/: top (top-level facts) and, per
# domain, DOMAIN.meta, DOMAIN.rows ("check subject server status reason",
# server "-" when null, in output order) and DOMAIN.detail
# ("check subject server<TAB>detail").  Fails (NAME.d/error) when the JSON
# does not parse or lacks its shape.
parse() {
	rm -rf "$1.d"
	mkdir "$1.d"
	"$PYTHON" - "$1.out" "$1.d" <<'EOF'
import json, os, sys
src, out = sys.argv[1], sys.argv[2]
def w(name, lines):
    with open(os.path.join(out, name), "w") as f:
        for l in lines:
            f.write(l + "\n")
def s(v):
    return "null" if v is None else str(v)
try:
    with open(src) as f:
        doc = json.load(f)
    top = ["version %s" % s(doc.get("version")), "date %s" % s(doc.get("date")),
           "esp_id %s" % s(doc.get("esp_id"))]
    for ns in doc.get("nameservers") or []:
        top.append("nameserver %s %s %s" % (s(ns.get("name")),
                   ",".join(ns.get("addresses") or []), s(ns.get("status"))))
    sm = doc.get("summary") or {}
    top.append("summary %s %s %s %s %s" % tuple(s(sm.get(k)) for k in
               ("domains", "OK", "WARN", "FAIL", "TEMP")))
    top.append("rows %s %s %s" % tuple(s((sm.get("rows") or {}).get(k))
               for k in ("WARN", "FAIL", "TEMP")))
    top.append("order " + " ".join(d["domain"] for d in doc["domains"]))
    w("top", top)
    for d in doc["domains"]:
        dom = d["domain"]
        w(dom + ".meta", ["customer_id %s" % s(d.get("customer_id")),
                          "role %s" % s(d.get("role")), "mode %s" % s(d.get("mode")),
                          "status %s" % s(d.get("status")),
                          "selectors %s" % ",".join(d.get("selectors") or [])])
        rows, det = [], []
        for c in d["checks"]:
            key = "%s %s %s" % (s(c.get("check")), s(c.get("subject")),
                                "-" if c.get("server") is None else c["server"])
            rows.append("%s %s %s" % (key, s(c.get("status")), s(c.get("reason"))))
            det.append("%s\t%s" % (key, s(c.get("detail")).replace("\n", " ")))
        w(dom + ".rows", rows)
        w(dom + ".detail", det)
except Exception as e:
    w("error", ["%s: %s" % (type(e).__name__, str(e)[:200])])
    sys.exit(1)
EOF
}

# Assertions on one parsed run (R=NAME.d) and one domain.
R=
have_domain() {	# have_domain TESTNAME DOMAIN: ok when the domain is there
	if [ -f "$R/$2.rows" ]; then
		return 0
	fi
	if [ -f "$R/error" ]; then
		not_ok "$1/$2" "no JSON to judge: $(cat "$R/error")"
	else
		not_ok "$1/$2" "domain absent from the JSON output"
	fi
	return 1
}
meta() {
	while read -r _k _v; do
		[ "$_k" = "$2" ] && { printf '%s\n' "$_v"; return; }
	done < "$R/$1.meta"
}
joined() { LC_ALL=C sort | sed '/^$/d' | tr '\n' ';' | sed 's/;$//; s/;/; /g'; }
# expect_nonok TEST DOMAIN <<EOF (the rows that are not OK, one a line)
expect_nonok() {
	_want=$(joined)
	_got=$(awk '$4 != "OK"' "$R/$2.rows" | joined)
	check_eq "$1/$2/not-ok-rows" "$_got" "$_want"
}
# expect_rows TEST DOMAIN <<EOF (rows that must be there, any order)
expect_rows() {
	_miss=$(sed '/^$/d' | grep -Fxv -f "$R/$2.rows" | sed 's/.*/[&]/' | tr '\n' ' ')
	if [ -z "$_miss" ]; then
		ok "$1/$2/ok-rows"
	else
		not_ok "$1/$2/ok-rows" "missing: $_miss"
	fi
}
# expect_absent TEST DOMAIN <<EOF ("check subject server" with no row at all;
# "check subject *" for any server; "check * *" for any row of that check)
expect_absent() {
	_t=$1 _d=$2
	_there=
	while IFS= read -r _l; do
		[ -n "$_l" ] || continue
		set -f
		# shellcheck disable=SC2086
		set -- $_l
		set +f
		_hit=$(awk -v c="$1" -v s="$2" -v v="$3" \
		    '$1 == c && (s == "*" || $2 == s) && (v == "*" || $3 == v)' "$R/$_d.rows" | head -n 1)
		[ -z "$_hit" ] || _there="${_there}[$_hit] "
	done
	if [ -z "$_there" ]; then
		ok "$_t/$_d/absent-rows"
	else
		not_ok "$_t/$_d/absent-rows" "should not be there: $_there"
	fi
}
# expect_meta TEST DOMAIN CUSTOMER-ID ROLE MODE STATUS SELECTORS
expect_meta() {
	check_eq "$1/$2/meta" \
	    "$(meta "$2" customer_id) $(meta "$2" role) $(meta "$2" mode) $(meta "$2" status) $(meta "$2" selectors)" \
	    "$3 $4 $5 $6 $7"
}
# expect_detail TEST DOMAIN "check subject server" WORD...: the detail names each WORD
expect_detail() {
	_t=$1 _d=$2 _k=$3
	shift 3
	_det=$(awk -F '\t' -v k="$_k" '$1 == k { print $2; exit }' "$R/$_d.detail")
	_lack=
	for _w in "$@"; do
		case $_det in *"$_w"*) ;; *) _lack="$_lack $_w" ;; esac
	done
	if [ -z "$_lack" ]; then
		ok "$_t/$_d/detail"
	else
		not_ok "$_t/$_d/detail" "detail of [$_k] is '$_det', lacks:$_lack"
	fi
}

# ---------------------------------------------------------------- every domain of the config
audit all --format json
check_eq keys-audit/all/exit "$(cat all.rc)" 1
# 16 domains, the black hole costs 2 x 500 ms once, then is skipped
secs=$(cat all.secs)
if [ "$secs" -lt 30 ]; then
	ok keys-audit/all/bounded-time
else
	not_ok keys-audit/all/bounded-time "took $secs s (--timeout 500)"
fi
if parse all; then
	ok keys-audit/all/json-parses
else
	not_ok keys-audit/all/json-parses "$(cat all.d/error 2>/dev/null); stdout: $(head -c 200 all.out | tr '\n' ' '); stderr: $(head -c 300 all.err | tr '\n' ' ')"
fi
R=$T/all.d
TST=keys-audit/all
if [ -f "$R/top" ]; then
	check_eq $TST/header "$(sed -n '1,3p' "$R/top" | tr '\n' ' ')" "version 1 date 2026-11-23 esp_id myesp "
	check_eq $TST/nameservers "$(grep '^nameserver ' "$R/top" | tr '\n' ';')" \
	    "nameserver dkim1.myesp.example 127.0.0.32 ok;nameserver dkim2.myesp.example 127.0.0.33 ok;"
	# esp-domains first, then customers sorted by domain
	check_eq $TST/domain-order "$(sed -n 's/^order //p' "$R/top")" \
	    "fbl.myesp.example badpriv.example cnamenowhere.example cnameok.example dead.example diffkey.example good.example lacksel.example lagging.example lame.example nodeleg.example oldsel.example partial.example small.example testing.example unpub.example"
	#                                         domains OK WARN FAIL TEMP
	check_eq $TST/summary "$(sed -n 's/^summary //p' "$R/top")" "16 3 5 7 1"
	# rows: the WARN, FAIL and TEMP rows of the table above
	check_eq $TST/summary-rows "$(sed -n 's/^rows //p' "$R/top")" "7 7 1"
fi

Z=myesp._domainkey
DOM=fbl.myesp.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM null esp esp OK nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM < /dev/null
	expect_rows $TST $DOM <<EOF
delegation _domainkey.fbl.myesp.example - OK ok
serial _domainkey.fbl.myesp.example - OK same
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
record oct2026.myesp dkim1.myesp.example OK present
record oct2026.myesp dkim2.myesp.example OK present
consistency nov2026.myesp - OK identical
key nov2026.myesp - OK ok
private nov2026.myesp - OK match
current nov2026.myesp - OK published
grace oct2026.myesp - OK in-grace
EOF
fi

DOM=good.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-good customer delegated OK nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM < /dev/null
	# every row the contract gives this domain, in the contract's order
	# (table order, then subject, then server)
	check_eq $TST/$DOM/all-rows-in-order "$(tr '\n' ';' < "$R/$DOM.rows")" "$(tr '\n' ';' <<EOF
delegation $Z.good.example - OK ok
lame $Z.good.example dkim1.myesp.example OK authoritative
lame $Z.good.example dkim2.myesp.example OK authoritative
serial $Z.good.example - OK same
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
record oct2026.myesp dkim1.myesp.example OK present
record oct2026.myesp dkim2.myesp.example OK present
consistency nov2026.myesp - OK identical
consistency oct2026.myesp - OK identical
key nov2026.myesp - OK ok
key oct2026.myesp - OK ok
private nov2026.myesp - OK match
current nov2026.myesp - OK published
grace oct2026.myesp - OK in-grace
EOF
)"
fi

DOM=nodeleg.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-nodeleg customer none FAIL nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
delegation $Z.nodeleg.example - FAIL missing
EOF
	# keys ready on the configured servers: visible although not delegated
	expect_rows $TST $DOM <<EOF
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
key nov2026.myesp - OK ok
current nov2026.myesp - OK published
EOF
	expect_absent $TST $DOM <<EOF
lame * *
cname * *
EOF
fi

DOM=lacksel.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-lacksel customer delegated FAIL nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
record nov2026.myesp dkim2.myesp.example FAIL missing
EOF
	expect_rows $TST $DOM <<EOF
record nov2026.myesp dkim1.myesp.example OK present
record oct2026.myesp dkim1.myesp.example OK present
record oct2026.myesp dkim2.myesp.example OK present
consistency oct2026.myesp - OK identical
key nov2026.myesp - OK ok
current nov2026.myesp - OK published
serial $Z.lacksel.example - OK same
EOF
	# served by one server only: nothing to compare
	expect_absent $TST $DOM <<EOF
consistency nov2026.myesp *
EOF
fi

DOM=diffkey.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-diffkey customer delegated FAIL nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
consistency nov2026.myesp - FAIL differs
EOF
	expect_rows $TST $DOM <<EOF
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
consistency oct2026.myesp - OK identical
key nov2026.myesp - OK ok
EOF
	expect_detail $TST $DOM "consistency nov2026.myesp -" dkim1.myesp.example dkim2.myesp.example
fi

DOM=lagging.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-lagging customer delegated WARN nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
serial $Z.lagging.example - WARN lagging
EOF
	expect_rows $TST $DOM <<EOF
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
consistency nov2026.myesp - OK identical
EOF
	expect_detail $TST $DOM "serial $Z.lagging.example -" dkim2.myesp.example 2026112200 2026112301
fi

DOM=cnameok.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-cnameok customer cname OK nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM < /dev/null
	expect_rows $TST $DOM <<EOF
delegation $Z.cnameok.example - OK cname
serial dkimhack.myesp.example - OK same
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
cname nov2026.myesp - OK ok
cname oct2026.myesp - OK ok
key nov2026.myesp - OK ok
current nov2026.myesp - OK published
grace oct2026.myesp - OK in-grace
EOF
	expect_absent $TST $DOM <<EOF
lame * *
EOF
fi

DOM=cnamenowhere.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-cnamenowhere customer cname FAIL oct2026.myesp
	expect_nonok $TST $DOM <<EOF
cname nov2026.myesp - FAIL dangling
EOF
	expect_rows $TST $DOM <<EOF
delegation $Z.cnamenowhere.example - OK cname
cname oct2026.myesp - OK ok
record oct2026.myesp dkim1.myesp.example OK present
record oct2026.myesp dkim2.myesp.example OK present
current oct2026.myesp - OK published
EOF
	# nov2026's target is published nowhere: not a published selector
	expect_absent $TST $DOM <<EOF
record nov2026.myesp *
key nov2026.myesp *
EOF
fi

DOM=small.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-small customer delegated WARN nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
key nov2026.myesp - WARN small
EOF
	expect_rows $TST $DOM <<EOF
key oct2026.myesp - OK ok
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
EOF
	expect_detail $TST $DOM "key nov2026.myesp -" 1024
fi

DOM=testing.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-testing customer delegated WARN nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
key nov2026.myesp - WARN testing
EOF
	expect_rows $TST $DOM <<EOF
key oct2026.myesp - OK ok
current nov2026.myesp - OK published
EOF
	expect_detail $TST $DOM "key nov2026.myesp -" "t=y"
fi

DOM=badpriv.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-badpriv customer delegated FAIL nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
private nov2026.myesp - FAIL mismatch
EOF
	expect_rows $TST $DOM <<EOF
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
key nov2026.myesp - OK ok
EOF
fi

DOM=unpub.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-unpub customer delegated FAIL nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
private dec2026.myesp - FAIL unpublished
EOF
	expect_rows $TST $DOM <<EOF
private nov2026.myesp - OK match
current nov2026.myesp - OK published
EOF
	expect_absent $TST $DOM <<EOF
record dec2026.myesp *
key dec2026.myesp *
EOF
fi

DOM=oldsel.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-oldsel customer delegated WARN oct2026.myesp,aug2026.myesp
	expect_nonok $TST $DOM <<EOF
grace aug2026.myesp - WARN past-grace
EOF
	expect_rows $TST $DOM <<EOF
current oct2026.myesp - OK published
record aug2026.myesp dkim1.myesp.example OK present
record aug2026.myesp dkim2.myesp.example OK present
key aug2026.myesp - OK ok
EOF
fi

DOM=partial.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-partial customer delegated WARN nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
delegation $Z.partial.example - WARN partial
EOF
	expect_rows $TST $DOM <<EOF
lame $Z.partial.example dkim1.myesp.example OK authoritative
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
EOF
	# lame rows are for the hosts the delegation lists
	expect_absent $TST $DOM <<EOF
lame * dkim2.myesp.example
EOF
fi

DOM=lame.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-lame customer delegated FAIL nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
delegation $Z.lame.example - WARN extra
lame $Z.lame.example dkim3.myesp.example FAIL lame
EOF
	expect_rows $TST $DOM <<EOF
lame $Z.lame.example dkim1.myesp.example OK authoritative
lame $Z.lame.example dkim2.myesp.example OK authoritative
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
EOF
	# dkim3 is not a configured nameserver: asked for SOA only
	expect_absent $TST $DOM <<EOF
record * dkim3.myesp.example
EOF
fi

DOM=dead.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-dead customer delegated TEMP nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
delegation $Z.dead.example - WARN extra
lame $Z.dead.example dead.myesp.example TEMP timeout
EOF
	# the dead host costs its rows only
	expect_rows $TST $DOM <<EOF
lame $Z.dead.example dkim1.myesp.example OK authoritative
lame $Z.dead.example dkim2.myesp.example OK authoritative
serial $Z.dead.example - OK same
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
record oct2026.myesp dkim1.myesp.example OK present
record oct2026.myesp dkim2.myesp.example OK present
consistency nov2026.myesp - OK identical
consistency oct2026.myesp - OK identical
key nov2026.myesp - OK ok
key oct2026.myesp - OK ok
current nov2026.myesp - OK published
grace oct2026.myesp - OK in-grace
EOF
fi

# ---------------------------------------------------------------- the text format
audit text
check_eq keys-audit/text/exit "$(cat text.rc)" 1
check_eq keys-audit/text/summary-line "$(tail -n 1 text.out)" "16 domains: 3 OK, 5 WARN, 7 FAIL, 1 TEMP; rows: 7 WARN, 7 FAIL, 1 TEMP"
for h in "good.example (cust-good) delegated OK" "fbl.myesp.example (-) esp OK" \
    "nodeleg.example (cust-nodeleg) none FAIL" "cnameok.example (cust-cnameok) cname OK" \
    "dead.example (cust-dead) delegated TEMP"; do
	grep -Fxq "$h" text.out && ok "keys-audit/text/header ${h%% *}" ||
	    not_ok "keys-audit/text/header ${h%% *}" "no line '$h'"
done
grep -Eq '^ +FAIL +record +nov2026\.myesp +@dkim2\.myesp\.example +missing' text.out &&
    ok keys-audit/text/check-line || not_ok keys-audit/text/check-line \
    "no line '  FAIL  record  nov2026.myesp  @dkim2.myesp.example  missing...'"

# ---------------------------------------------------------------- good + the ESP token alone: exit 0
audit two --format json good.example fbl.myesp.example
check_eq keys-audit/two/exit "$(cat two.rc)" 0
if parse two; then
	check_eq keys-audit/two/order-given "$(sed -n 's/^order //p' two.d/top)" "good.example fbl.myesp.example"
	check_eq keys-audit/two/summary "$(sed -n 's/^summary //p' two.d/top)" "2 2 0 0 0"
else
	not_ok keys-audit/two/json-parses "$(cat two.d/error)"
fi

# one language (issue 13, item 9): without --port the servers asked directly
# are asked on the port the --resolver names, as every server here listens
# on P; --at and its deprecated alias --date; the same output as above
timeout 60 "$FBL_BIN" keys audit --config "$CONF" --at $DATE --resolver "$RES@$P" \
    --timeout 500 --private-keys "$T/priv" --format json good.example fbl.myesp.example \
    > noport.out 2> noport.err
check_eq keys-audit/resolver-port/exit "$?" 0 "$(tail -n 2 noport.err)"
check_eq keys-audit/resolver-port/same-output "$(cksum < noport.out)" "$(cksum < two.out)"
# and --port still says otherwise: a port where nothing listens makes
# every direct question TEMP
timeout 60 "$FBL_BIN" keys audit --config "$CONF" --at $DATE --resolver "$RES@$P" \
    --port "$Q" --timeout 500 --private-keys "$T/priv" --format json good.example \
    > portq.out 2> portq.err
check_eq keys-audit/resolver-port/port-overrides "$?" 75 "$(tail -n 2 portq.err)"

# ---------------------------------------------------------------- a domain the config does not know
audit stranger --format json stranger.example
check_eq keys-audit/stranger/exit "$(cat stranger.rc)" 1
parse stranger
R=$T/stranger.d TST=keys-audit/stranger DOM=stranger.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM null customer none FAIL ""
	# nothing published: the current row names the selector expected today
	expect_nonok $TST $DOM <<EOF
delegation $Z.stranger.example - FAIL missing
current nov2026.myesp - FAIL missing
EOF
fi

# ---------------------------------------------------------------- revoked current key, h=sha1
audit weak --format json weak.example
check_eq keys-audit/weak/exit "$(cat weak.rc)" 1
parse weak
R=$T/weak.d TST=keys-audit/weak DOM=weak.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM null customer delegated FAIL nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
key nov2026.myesp - FAIL revoked
key oct2026.myesp - FAIL sha1-only
EOF
	expect_rows $TST $DOM <<EOF
record nov2026.myesp dkim1.myesp.example OK present
record nov2026.myesp dkim2.myesp.example OK present
consistency oct2026.myesp - OK identical
current nov2026.myesp - OK published
grace oct2026.myesp - OK in-grace
EOF
fi

# ---------------------------------------------------------------- could not ask: TEMP, never FAIL
# unpub.example holds two private keys (nov2026, published; dec2026,
# published nowhere: FAIL unpublished in the run of all domains, where
# every server answered).  When the questions cannot be asked, no row may
# say FAIL: nothing is published as far as the audit can tell, but that is
# not known; each reason names the cause; the exit status is 75.
phase "could not ask"
# cant NAME REASON: the rows of a run that learnt nothing
cant() {
	parse "$1"
	R=$T/$1.d TST=keys-audit/$1 DOM=unpub.example
	have_domain $TST $DOM || return
	expect_meta $TST $DOM cust-unpub customer unknown TEMP ""
	expect_nonok $TST $DOM <<EOF
delegation $Z.unpub.example - TEMP $2
private dec2026.myesp - TEMP $2
private nov2026.myesp - TEMP $2
current nov2026.myesp - TEMP $2
EOF
	check_eq $TST/summary "$(sed -n 's/^summary //p;s/^rows //p' "$R/top" | tr '\n' ';')" "1 0 0 0 1;0 0 4;"
}
# (1) the resolver's port: nothing listens (ICMP port unreachable)
AUDIT_RES=$NOBODY@$P
audit resrefused --format json unpub.example
check_eq keys-audit/resrefused/exit "$(cat resrefused.rc)" 75
cant resrefused connection-refused
check_eq keys-audit/resrefused/nameservers "$(grep '^nameserver ' "$R/top" | tr '\n' ';')" \
    "nameserver dkim1.myesp.example  connection-refused;nameserver dkim2.myesp.example  connection-refused;"
expect_detail $TST $DOM "delegation $Z.unpub.example -" "$NOBODY@$P" "Connection refused"
audit resrefused-text unpub.example
check_eq keys-audit/resrefused/text-exit "$(cat resrefused-text.rc)" 75
check_eq keys-audit/resrefused/text-summary "$(tail -n 1 resrefused-text.out)" \
    "1 domain: 0 OK, 0 WARN, 0 FAIL, 1 TEMP; rows: 0 WARN, 0 FAIL, 4 TEMP"
grep -Eq '^ +TEMP +private +dec2026\.myesp +connection-refused: ' resrefused-text.out &&
    ok keys-audit/resrefused/text-line || not_ok keys-audit/resrefused/text-line \
    "no line '  TEMP  private  dec2026.myesp  connection-refused: ...': $(grep private resrefused-text.out)"
# (1b) the servers' port: nothing listens there on any server (the parent
# zone's and the configured ones), the resolver answers
AUDIT_RES=$RES@$P
audit portrefused --format json --port "$Q" unpub.example
check_eq keys-audit/portrefused/exit "$(cat portrefused.rc)" 75
cant portrefused connection-refused
check_eq keys-audit/portrefused/nameservers "$(grep '^nameserver ' "$R/top" | tr '\n' ';')" \
    "nameserver dkim1.myesp.example 127.0.0.32 connection-refused;nameserver dkim2.myesp.example 127.0.0.33 connection-refused;"
# (2) a resolver that never answers: one timeout (2 tries of 500 ms), then
# it is silent for the run
AUDIT_RES=$DEAD@$P
audit restimeout --format json unpub.example
check_eq keys-audit/restimeout/exit "$(cat restimeout.rc)" 75
cant restimeout timeout
secs=$(cat restimeout.secs)
if [ "$secs" -lt 8 ]; then
	ok keys-audit/restimeout/bounded-time
else
	not_ok keys-audit/restimeout/bounded-time "took $secs s with the resolver silent (--timeout 500)"
fi
# (3) a resolver that answers SERVFAIL
AUDIT_RES=$SERVFAIL@$P
audit resservfail --format json unpub.example
check_eq keys-audit/resservfail/exit "$(cat resservfail.rc)" 75
cant resservfail servfail
AUDIT_RES=$RES@$P
# (3b) a configured nameserver that answers SERVFAIL, beside dkim1 that
# answers: its records are TEMP servfail, and dec2026, which dkim1 does not
# serve, is not known to be unpublished (TEMP, not FAIL)
sed "s/^nameserver.*/nameserver		dkim1.myesp.example $SERVFAIL/" "$CONF" > servfail.conf
audit nsservfail --format json --config "$T/servfail.conf" unpub.example
check_eq keys-audit/nsservfail/exit "$(cat nsservfail.rc)" 75
parse nsservfail
R=$T/nsservfail.d TST=keys-audit/nsservfail DOM=unpub.example
if have_domain $TST $DOM; then
	expect_meta $TST $DOM cust-unpub customer delegated TEMP nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
delegation $Z.unpub.example - WARN partial
record nov2026.myesp $SERVFAIL TEMP servfail
record oct2026.myesp $SERVFAIL TEMP servfail
private dec2026.myesp - TEMP servfail
EOF
	expect_rows $TST $DOM <<EOF
record nov2026.myesp dkim1.myesp.example OK present
private nov2026.myesp - OK match
current nov2026.myesp - OK published
EOF
	expect_detail $TST $DOM "record nov2026.myesp $SERVFAIL" "SERVFAIL from $SERVFAIL@$P"
fi
# (4) a key genuinely missing, every server answering: still FAIL (the
# run of all domains: unpub's dec2026 and lacksel's record), exit 1
audit missing --format json unpub.example
check_eq keys-audit/missing/exit "$(cat missing.rc)" 1
parse missing
R=$T/missing.d TST=keys-audit/missing DOM=unpub.example
if have_domain $TST $DOM; then
	expect_nonok $TST $DOM <<EOF
private dec2026.myesp - FAIL unpublished
EOF
fi

# ---------------------------------------------------------------- exit 2: no config
phase "no config"
"$FBL_BIN" keys audit --config "$T/no-such.conf" --date $DATE --resolver "$RES@$P" \
    --port "$P" --timeout 500 good.example > noconf.out 2> noconf.err
check_eq keys-audit/no-config/exit "$?" 2

# ---------------------------------------------------------------- --db: stored runs, open problems, the report
# Two runs, 2026-11-21 and 2026-11-23, of every domain.  Between them the
# store learns (daily_key, the table ingest keeps) that oldsel.example still
# signed with aug2026.myesp on 2026-11-22: the second run adds "signing" to
# oldsel's problems.  Every other problem was first seen on 2026-11-21.
phase "database"
if ! need_cmd psql; then
	skip keys-audit/db "psql missing"
elif ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok keys-audit/db/start-postgresql "$(cat "$T/pg.err")"
else
	at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
	DB=$(cat "$T/conninfo")
	"$FBL_BIN" db migrate --db "$DB" > migrate.out 2>&1
	check_eq keys-audit/db/migrate "$?" 0 "$(cat migrate.out)"
	"$FBL_BIN" keys audit --config "$CONF" --date 2026-11-21 --resolver "$RES@$P" \
	    --port "$P" --timeout 500 --private-keys "$T/priv" --db "$DB" > db1.out 2> db1.err
	check_eq keys-audit/db/first-exit "$?" 1 "$(head -c 300 db1.err)"
	psql "$DB" -qAtc "INSERT INTO daily_key (day, kind, token, role, customer_id,
	    selector, algorithm, key_bits, key_testing, count)
	    VALUES ('2026-11-22', 'arf', 'oldsel.example', 'customer', 'cust-oldsel',
	            'aug2026.myesp', 'rsa-sha256', 2048, false, 4),
	           ('2026-10-01', 'arf', 'good.example', 'customer', 'cust-good',
	            'aug2026.myesp', 'rsa-sha256', 2048, false, 9),
	           ('2026-10-30', 'arf', 'lagging.example', 'customer', 'cust-lagging',
	            'aug2026.myesp', 'rsa-sha256', 2048, false, 2)" > /dev/null
	"$FBL_BIN" keys audit --config "$CONF" --date 2026-11-23 --resolver "$RES@$P" \
	    --port "$P" --timeout 500 --private-keys "$T/priv" --db "$DB" \
	    --format json > db2.out 2> db2.err
	check_eq keys-audit/db/second-exit "$?" 1 "$(head -c 300 db2.err)"
	cp db2.out dbjson.out
	parse dbjson
	R=$T/dbjson.d TST=keys-audit/db DOM=oldsel.example
	if have_domain $TST $DOM; then
		# good.example's aug2026 signatures are older than the grace
		# window read (30 days before 2026-11-23): no row for them
		expect_nonok $TST $DOM <<EOF
grace aug2026.myesp - WARN past-grace
signing aug2026.myesp - WARN still-signing
EOF
		expect_detail $TST $DOM "signing aug2026.myesp -" "4 signatures" "2026-11-22" "oct2026.myesp"
	fi
	# lagging.example signed with aug2026 on 2026-10-30: inside the 30 days
	# read, but before aug2026's grace ended (oct2026 took over on
	# 2026-10-01, grace to 2026-10-31): mail of its time, no row
	DOM=lagging.example
	if have_domain $TST $DOM; then
		expect_nonok $TST $DOM <<EOF
serial $Z.lagging.example - WARN lagging
EOF
	fi
	check_eq keys-audit/db/runs "$(psql "$DB" -Atc "SELECT string_agg(as_of || ':' || domains, ' ' ORDER BY run_id) FROM key_audit_run")" \
	    "2026-11-21:16 2026-11-23:16"
	# 15 problems of the expectations above, and oldsel's signing
	check_eq keys-audit/db/open-problems "$(psql "$DB" -Atc "SELECT count(*) FROM key_audit_problem")" 16
	check_eq keys-audit/db/problem-since "$(psql "$DB" -Atc "SELECT first_seen || ' ' || last_seen || ' ' || status FROM key_audit_problem WHERE domain = 'lacksel.example' AND check_name = 'record'")" \
	    "2026-11-21 2026-11-23 FAIL"
	# the report of 2026-11-23 shows them, with the days each has been open
	"$FBL_BIN" report --db "$DB" --config "$CONF" --date 2026-11-23 --format json > rep.json 2> rep.err
	check_eq keys-audit/db/report-exit "$?" 0 "$(head -c 300 rep.err)"
	"$PYTHON" - rep.json > rep.facts <<'EOF'
import json, sys
d = json.load(open(sys.argv[1]))["dns"]
print("domains %d" % len(d["domains"]))
print("statuses " + " ".join("%s=%d" % (s, sum(1 for x in d["domains"] if x["status"] == s)) for s in ("OK", "WARN", "FAIL", "TEMP")))
print("problems %d" % len(d["problems"]))
print("first " + d["problems"][0]["status"])
for p in d["problems"]:
    if (p["domain"], p["check"]) in (("lacksel.example", "record"), ("oldsel.example", "signing")):
        print("%s %s %s %s %d" % (p["domain"], p["check"], p["server"] or "-", p["first_seen"], p["days_open"]))
EOF
	check_eq keys-audit/db/report-dns "$(tr '\n' ';' < rep.facts)" \
	    "domains 16;statuses OK=3 WARN=5 FAIL=7 TEMP=1;problems 16;first FAIL;lacksel.example record dkim2.myesp.example 2026-11-21 2;oldsel.example signing - 2026-11-23 0;"
	"$FBL_BIN" report --db "$DB" --config "$CONF" --date 2026-11-23 > rep.txt 2>&1
	grep -q '^16 domains audited (latest 2026-11-23): 3 OK, 5 WARN, 7 FAIL, 1 TEMP$' rep.txt &&
	    grep -q '^rows checked: 8 WARN, 7 FAIL, 1 TEMP$' rep.txt &&
	    ok keys-audit/db/report-text || not_ok keys-audit/db/report-text "$(grep -A2 'DNS AND KEYS' rep.txt | tr '\n' ' ')"
	grep -q '^      missing, 2 days: nov2026.myesp._domainkey.lacksel.example: NXDOMAIN' rep.txt &&
	    ok keys-audit/db/report-text-days || not_ok keys-audit/db/report-text-days "no 'missing, 2 days' line for lacksel"
	# the report of an earlier day sees the first run only
	"$FBL_BIN" report --db "$DB" --config "$CONF" --date 2026-11-22 --format json > rep22.json 2>&1
	check_eq keys-audit/db/report-earlier "$("$PYTHON" -c 'import json,sys; d=json.load(open(sys.argv[1]))["dns"]; print(len(d["problems"]), {x["audited"] for x in d["domains"]} == {"2026-11-21"})' rep22.json)" \
	    "15 True"
	# a run of one domain closes that domain's problems only: oldsel with
	# its signing rows gone keeps its grace problem, loses signing
	psql "$DB" -qAtc "DELETE FROM daily_key WHERE token = 'oldsel.example'" > /dev/null
	"$FBL_BIN" keys audit --config "$CONF" --date 2026-11-23 --resolver "$RES@$P" \
	    --port "$P" --timeout 500 --private-keys "$T/priv" --db "$DB" oldsel.example > db3.out 2> db3.err
	check_eq keys-audit/db/one-domain-exit "$?" 0 "$(head -c 300 db3.err)"
	check_eq keys-audit/db/one-domain-closed "$(psql "$DB" -Atc "SELECT count(*), count(*) FILTER (WHERE domain = 'oldsel.example') FROM key_audit_problem")" \
	    "15|1"
	# the resolver down: unpub and lacksel audited again, every row TEMP,
	# stored as TEMP; their problems stay open (a run that could not look
	# is no repair); the report shows them under TEMP
	"$FBL_BIN" keys audit --config "$CONF" --date 2026-11-23 --resolver "$NOBODY@$P" \
	    --port "$P" --timeout 500 --private-keys "$T/priv" --db "$DB" \
	    unpub.example lacksel.example > db4.out 2> db4.err
	check_eq keys-audit/db/temp-exit "$?" 75 "$(head -c 300 db4.err)"
	check_eq keys-audit/db/temp-stored "$(psql "$DB" -Atc "SELECT string_agg(domain || ' ' || check_name || ' ' || subject || ' ' || status || ' ' || reason, ';' ORDER BY domain, check_name, subject) FROM key_audit_check WHERE run_id = (SELECT max(run_id) FROM key_audit_run)")" \
	    "lacksel.example current nov2026.myesp TEMP connection-refused;lacksel.example delegation myesp._domainkey.lacksel.example TEMP connection-refused;unpub.example current nov2026.myesp TEMP connection-refused;unpub.example delegation myesp._domainkey.unpub.example TEMP connection-refused;unpub.example private dec2026.myesp TEMP connection-refused;unpub.example private nov2026.myesp TEMP connection-refused"
	check_eq keys-audit/db/temp-problems "$(psql "$DB" -Atc "SELECT string_agg(domain || ' ' || check_name || ' ' || subject || ' ' || status || ' ' || first_seen, ';' ORDER BY domain, check_name, subject) FROM key_audit_problem WHERE domain IN ('unpub.example', 'lacksel.example')")" \
	    "lacksel.example current nov2026.myesp TEMP 2026-11-23;lacksel.example delegation myesp._domainkey.lacksel.example TEMP 2026-11-23;lacksel.example record nov2026.myesp FAIL 2026-11-21;unpub.example current nov2026.myesp TEMP 2026-11-23;unpub.example delegation myesp._domainkey.unpub.example TEMP 2026-11-23;unpub.example private dec2026.myesp TEMP 2026-11-21;unpub.example private nov2026.myesp TEMP 2026-11-23"
	"$FBL_BIN" report --db "$DB" --config "$CONF" --date 2026-11-23 > rep4.txt 2>&1
	# unpub and lacksel move from FAIL to TEMP; rows: lacksel 2 TEMP,
	# unpub 4 TEMP, dead 1 TEMP; oldsel has its grace WARN only now
	grep -q '^16 domains audited (latest 2026-11-23): 3 OK, 5 WARN, 5 FAIL, 3 TEMP$' rep4.txt &&
	    grep -q '^rows checked: 7 WARN, 5 FAIL, 7 TEMP$' rep4.txt &&
	    ok keys-audit/db/report-temp-summary || not_ok keys-audit/db/report-temp-summary "$(grep 'domains audited' rep4.txt)"
	grep -A1 -E '^TEMP +unpub\.example +private +dec2026\.myesp' rep4.txt | grep -q '^      connection-refused, 2 days: ' &&
	    ok keys-audit/db/report-temp-row || not_ok keys-audit/db/report-temp-row "$(grep -A1 'unpub.example' rep4.txt | head -c 600)"
	if grep -Eq '^FAIL +(unpub|lacksel)\.example' rep4.txt; then
		not_ok keys-audit/db/report-no-false-fail "$(grep -E '^FAIL +(unpub|lacksel)' rep4.txt)"
	else
		ok keys-audit/db/report-no-false-fail
	fi
fi

# ---------------------------------------------------------------- dkim2 stopped: TEMP, and no hang
phase "dkim2 stopped"
sh "$NSD_SH" stop nsd-dkim2
if silent $D2; then
	ok keys-audit/fixture/dkim2-stopped
else
	not_ok keys-audit/fixture/dkim2-stopped "dkim2 still answers"
fi
audit down --format json good.example
# TEMP rows and no FAIL
check_eq keys-audit/down/exit "$(cat down.rc)" 75
# nothing listens at dkim2 any more: refused at once (a silent server would
# cost 2 x 500 ms), and dead for the run: 10 s is a wide margin
secs=$(cat down.secs)
if [ "$secs" -lt 10 ]; then
	ok keys-audit/down/bounded-time
else
	not_ok keys-audit/down/bounded-time "took $secs s with dkim2 down (--timeout 500)"
fi
parse down
R=$T/down.d TST=keys-audit/down DOM=good.example
if have_domain $TST $DOM; then
	check_eq $TST/nameservers "$(grep '^nameserver ' "$R/top" | tr '\n' ';')" \
	    "nameserver dkim1.myesp.example 127.0.0.32 ok;nameserver dkim2.myesp.example 127.0.0.33 connection-refused;"
	expect_meta $TST $DOM cust-good customer delegated TEMP nov2026.myesp,oct2026.myesp
	expect_nonok $TST $DOM <<EOF
lame $Z.good.example dkim2.myesp.example TEMP connection-refused
record nov2026.myesp dkim2.myesp.example TEMP connection-refused
record oct2026.myesp dkim2.myesp.example TEMP connection-refused
EOF
	expect_rows $TST $DOM <<EOF
delegation $Z.good.example - OK ok
lame $Z.good.example dkim1.myesp.example OK authoritative
record nov2026.myesp dkim1.myesp.example OK present
record oct2026.myesp dkim1.myesp.example OK present
key nov2026.myesp - OK ok
key oct2026.myesp - OK ok
private nov2026.myesp - OK match
current nov2026.myesp - OK published
grace oct2026.myesp - OK in-grace
EOF
	# one server answered: no serial, nothing to compare
	expect_absent $TST $DOM <<EOF
serial * *
consistency * *
EOF
fi

phase finished
fbl_done
exit $?
