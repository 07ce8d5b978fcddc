#!/bin/sh
# SPDX-License-Identifier: ISC
# dns_keyfetch.sh: tests/lib/nsd.sh, which every DNS test stands on.
# (The key fetching itself is tested by tests/unit/test_keyfetch.c, which
# starts NSD through the same script.)
. "$(dirname "$0")/../lib/common.sh"

NSD_SH=$FBL_ROOT/tests/lib/nsd.sh
PATH=$PATH:/usr/sbin:/sbin
if ! need_cmd nsd nsd-checkzone drill; then
	skip "nsd.sh" "nsd or drill not installed"
	exit 0
fi

ED_P=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=
cat >"$FBL_TMP/ex.zone" <<EOF
\$ORIGIN ex.test.
\$TTL 300
@ IN SOA ns host 1 3600 600 86400 120
@ IN NS ns
ns IN A 127.0.0.2
sel._domainkey IN TXT "v=DKIM1; k=ed25519; " "p=$ED_P"
EOF
cat >"$FBL_TMP/root.zone" <<EOF
. 300 IN SOA ns.root.test. host.root.test. 1 3600 600 86400 60
. 300 IN NS ns.root.test.
ns.root.test. 300 IN A 127.0.0.4
key.root.test. 300 IN TXT "v=DKIM1; k=ed25519; p=$ED_P"
EOF
printf 'x.ex.test. 300 IN TXT "no SOA here"\n' >"$FBL_TMP/nosoa.zone"

S1=$FBL_TMP/nsd1
S2=$FBL_TMP/nsd2
S3=$FBL_TMP/nsd3
at_exit "sh '$NSD_SH' stop '$S1'; sh '$NSD_SH' stop '$S2'; sh '$NSD_SH' stop '$S3'"

# The rcode and the answer of one query, on one line: "NOERROR <rdata>".
ask() {
	drill -p "$2" "@$1" "$3" "$4" 2>&1 | awk -v t="$4" '
		/rcode:/ { sub(/.*rcode: /, ""); sub(/,.*/, ""); rc = $0 }
		/^;; ANSWER SECTION/ { inans = 1; next }
		/^;;/ { inans = 0 }
		inans && $4 == t { $1 = $2 = $3 = $4 = ""; sub(/^ +/, ""); ans = $0 }
		END { print rc " " ans }'
}

port=$(free_port 127.0.0.2) || { not_ok "free port" "none"; exit 1; }

out=$(sh "$NSD_SH" start "$S1" 127.0.0.2,127.0.0.3 "$port" \
    ex.test="$FBL_TMP/ex.zone" 2>&1)
check_eq "start two addresses" "$?:$out" "0:"
check_eq "first address serves the zone" \
    "$(ask 127.0.0.2 "$port" sel._domainkey.ex.test TXT)" \
    "NOERROR \"v=DKIM1; k=ed25519; \" \"p=$ED_P\""
check_eq "second address serves the zone" \
    "$(ask 127.0.0.3 "$port" sel._domainkey.ex.test TXT)" \
    "NOERROR \"v=DKIM1; k=ed25519; \" \"p=$ED_P\""
check_eq "unserved zone refused" \
    "$(ask 127.0.0.2 "$port" x.other.test TXT)" "REFUSED "

out=$(sh "$NSD_SH" start "$S1" 127.0.0.2 "$port" \
    ex.test="$FBL_TMP/ex.zone" 2>&1)
rc=$?
case $rc:$out in
0:*) not_ok "second start refused" "exit 0" ;;
*"already runs"*) ok "second start refused" ;;
*) not_ok "second start refused" "message: $out" ;;
esac

# a root zone on a second server, on a port another nsd already holds
out=$(sh "$NSD_SH" start "$S3" 127.0.0.2 "$port" .="$FBL_TMP/root.zone" 2>&1)
rc=$?
if [ "$rc" -ne 0 ] && [ -n "$out" ]; then
	ok "taken port reported"
else
	not_ok "taken port reported" "exit $rc, message '$out'"
fi
check_eq "taken port leaves no nsd" \
    "$(ls "$S3"/nsd.pid 2>/dev/null)" ""

port2=$(free_port 127.0.0.4) || { not_ok "free port" "none"; exit 1; }
out=$(sh "$NSD_SH" start "$S2" 127.0.0.4 "$port2" .="$FBL_TMP/root.zone" 2>&1)
check_eq "start root zone" "$?:$out" "0:"
check_eq "root zone serves absolute names" \
    "$(ask 127.0.0.4 "$port2" key.root.test TXT)" \
    "NOERROR \"v=DKIM1; k=ed25519; p=$ED_P\""
check_eq "root zone nxdomain" \
    "$(ask 127.0.0.4 "$port2" nothing.root.test TXT)" "NXDOMAIN "

pid=$(cat "$S1/nsd.pid" 2>/dev/null)
out=$(sh "$NSD_SH" stop "$S1" 2>&1)
check_eq "stop" "$?:$out" "0:"
if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
	not_ok "stopped nsd is gone" "pid $pid still runs"
else
	ok "stopped nsd is gone"
fi
check_eq "stop removes the pid file" "$(ls "$S1"/nsd.pid 2>/dev/null)" ""
out=$(sh "$NSD_SH" stop "$S1" 2>&1)
check_eq "second stop is quiet" "$?:$out" "0:"
out=$(sh "$NSD_SH" stop "$S2" 2>&1)
check_eq "stop root zone server" "$?:$out" "0:"

expect_fail() {
	name=$1 want=$2
	shift 2
	out=$(sh "$NSD_SH" "$@" 2>&1)
	rc=$?
	case $rc:$out in
	0:*) not_ok "$name" "exit 0" ;;
	*"$want"*) ok "$name" ;;
	*) not_ok "$name" "message '$out' lacks '$want'" ;;
	esac
}

expect_fail "zone without SOA refused" "nosoa.zone" \
    start "$S3" 127.0.0.2 "$port" ex.test="$FBL_TMP/nosoa.zone"
expect_fail "missing zone file named" "absent.zone" \
    start "$S3" 127.0.0.2 "$port" ex.test="$FBL_TMP/absent.zone"
expect_fail "bad port" "bad port" \
    start "$S3" 127.0.0.2 53x ex.test="$FBL_TMP/ex.zone"
expect_fail "zone without origin" "ORIGIN=ZONEFILE" \
    start "$S3" 127.0.0.2 "$port" "$FBL_TMP/ex.zone"
expect_fail "no arguments" "usage" start
expect_fail "unknown command" "usage" restart "$S3"
check_eq "failed starts leave no nsd" "$(ls "$S3"/nsd.pid 2>/dev/null)" ""

fbl_done
