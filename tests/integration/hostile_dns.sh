#!/bin/sh
# hostile_dns.sh: DNS answers written by whoever owns a signing domain
# (issue 11, items 2 and 3), served by tests/lib/hostile_dns.py, the
# attacker's own server, on loopback.
#
# Shapes no key record needs are refused before ldns parses them: one TXT
# answer of 60,000 empty strings cost ~700 MB and 5 s; now a temperror
# dns-malformed with a peak RSS under 64 MB.  (Bounds: docs/security.md.)
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
if [ ! -x /usr/bin/time ]; then
	skip hdns/all "/usr/bin/time (GNU time) missing"
	exit 0
fi
PORT=$(free_port 127.0.0.1)
"$PYTHON" "$FBL_ROOT/tests/lib/hostile_dns.py" 127.0.0.1 "$PORT" "$T/queries.log" \
    2> "$T/server.err" &
SERVER=$!
at_exit "kill $SERVER 2>/dev/null"
if ! wait_port 127.0.0.1 "$PORT" 10; then
	not_ok hdns/server "hostile_dns.py did not start: $(cat "$T/server.err")"
	exit 1
fi
ok hdns/server

msg() {	# selector file: a message signed (in name) by s=selector
	printf 'DKIM-Signature: v=1; a=rsa-sha256; d=hostile.example; s=%s; h=from;\r\n bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA\r\nFrom: a@hostile.example\r\n\r\nbody\r\n' "$1" > "$2"
}
verdict() {	# json file: "result reason" of the first signature
	"$PYTHON" -c 'import json,sys
s = json.loads(open(sys.argv[1]).readline())["signatures"][0]
print(s["result"], s["reason"])' "$1"
}

for bin in release:$FBL_BIN asan:$FBL_ASAN_BIN; do
	tag=${bin%%:*}
	b=${bin#*:}
	[ -x "$b" ] || { skip "hdns/$tag" "no binary $b"; continue; }
	for c in empty60k manyrr; do
		msg "$c" "$T/$c.eml"
		/usr/bin/time -f %M -o "$T/$tag-$c.rss" "$b" verify --format json \
		    --resolver "127.0.0.1@$PORT" "$T/$c.eml" > "$T/$tag-$c.json" \
		    2> "$T/$tag-$c.err"
		check_eq "hdns/$tag/$c-verdict" "$(verdict "$T/$tag-$c.json")" \
		    "temperror dns-malformed"
		if grep -q 'Sanitizer\|runtime error' "$T/$tag-$c.err"; then
			not_ok "hdns/$tag/$c-sanitizer" "$(head -c 300 "$T/$tag-$c.err")"
		else
			ok "hdns/$tag/$c-sanitizer"
		fi
	done
	if [ "$tag" = release ]; then
		rss=$(tail -n 1 "$T/$tag-empty60k.rss")
		[ "$rss" -lt 65536 ] && ok "hdns/empty60k-peak-rss: $rss KiB < 64 MiB" ||
		    not_ok hdns/empty60k-peak-rss "$rss KiB"
		grep -q 'more than 512 TXT strings' "$T/$tag-empty60k.json" &&
		    ok hdns/empty60k-says-why ||
		    not_ok hdns/empty60k-says-why "$(head -c 400 "$T/$tag-empty60k.json")"
		grep -q 'answer of 150 records' "$T/$tag-manyrr.json" &&
		    ok hdns/manyrr-says-why ||
		    not_ok hdns/manyrr-says-why "$(head -c 400 "$T/$tag-manyrr.json")"
	fi
done

fbl_done
exit $?
