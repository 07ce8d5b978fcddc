#!/bin/sh
# SPDX-License-Identifier: ISC
# hostile_keys.sh: RSA keys an attacker can publish (issue 11, items 1 and 5).
#
# tests/lib/hostile_keys.py writes keys of 8,192 to 16,384 bits and public
# exponents of 1, even, 33, 34 and 3,071 bits, each with a message whose b=
# fills the modulus with a PKCS#1 block (with e = 1 the recovered block is
# the attacker's choice: what overflowed the diagnosis's stack buffer).
# Expected reasons are the table in the generator, written from the bounds
# documented in docs/security.md: over 8,192 bits is key-too-large; e even,
# 1, or over 33 bits is key-bad-exponent; anything within the bounds is an
# ordinary key whose (random) signature does not verify.
#
# Every case runs on the release and the ASan+UBSan binaries, with and
# without --explain, keys from a zone file and through a real NSD (answers
# over TCP: the 16,384-bit records do not fit a UDP answer), then through
# `keys import` into the archive and from a key directory.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
if ! "$PYTHON" "$FBL_ROOT/tests/lib/hostile_keys.py" "$T"; then
	not_ok hkeys/generate "hostile_keys.py failed"
	exit 1
fi
ok hkeys/generate

# verdict_of FILE: "result reason" of the first signature of JSON output
verdict_of() {
	"$PYTHON" -c 'import json,sys
s = json.loads(open(sys.argv[1]).readline())["signatures"][0]
print(s["result"], s["reason"])' "$1" 2>/dev/null
}

want_verdict() {	# reason -> "result reason"
	case $1 in
	key-*) echo "permerror $1" ;;
	*) echo "fail $1" ;;
	esac
}

for bin in release:$FBL_BIN asan:$FBL_ASAN_BIN; do
	tag=${bin%%:*}
	b=${bin#*:}
	if [ ! -x "$b" ]; then
		skip "hkeys/$tag" "no binary $b"
		continue
	fi
	while IFS='	' read -r c bits ebits reason; do
		n=hkeys/$tag/$c
		"$b" verify --format json --zone "$T/keys.zone" "$T/$c.eml" \
		    > "$T/$tag-$c.json" 2> "$T/$tag-$c.err"
		check_eq "$n/exit" "$?" 1
		check_eq "$n/verdict" "$(verdict_of "$T/$tag-$c.json")" \
		    "$(want_verdict "$reason")" "e of $ebits bits"
		"$b" verify --explain --zone "$T/keys.zone" "$T/$c.eml" \
		    > "$T/$tag-$c.explain" 2> "$T/$tag-$c.xerr"
		rc=$?
		if [ "$rc" -ne 1 ] || grep -q 'Sanitizer\|runtime error' \
		    "$T/$tag-$c.err" "$T/$tag-$c.xerr"; then
			not_ok "$n/explain" "exit $rc: $(head -c 600 "$T/$tag-$c.xerr")"
		else
			ok "$n/explain: exit 1, no sanitizer report"
		fi
		grep -q "verdict: .*($reason)" "$T/$tag-$c.explain" &&
		    ok "$n/explain-verdict" ||
		    not_ok "$n/explain-verdict" "$(grep verdict: "$T/$tag-$c.explain")"
		case $reason in
		key-*)
			grep -q 'failing step: key record' "$T/$tag-$c.explain" &&
			    ok "$n/explain-names-key" ||
			    not_ok "$n/explain-names-key" "$(sed -n '/diagnosis:/,$p' "$T/$tag-$c.explain")" ;;
		esac
	done < "$T/cases.tsv"
done

# the detail names the bound that was crossed
grep -q 'RSA key of 16384 bits; fblscope refuses keys over 8192 bits' \
    "$T/release-huge16384e1.explain" && ok hkeys/detail-too-large ||
    not_ok hkeys/detail-too-large "$(grep verdict: "$T/release-huge16384e1.explain")"
grep -q 'RSA public exponent of 3071 bits' "$T/release-e3071bits.explain" &&
    ok hkeys/detail-exponent ||
    not_ok hkeys/detail-exponent "$(grep verdict: "$T/release-e3071bits.explain")"

# --- the same keys through DNS: a real NSD on loopback, TCP for the big ones
if need_cmd nsd nsd-checkzone || [ -x /usr/sbin/nsd ]; then
	port=$(free_port 127.0.0.1)
	if sh "$FBL_ROOT/tests/lib/nsd.sh" start "$T/nsd" 127.0.0.1 "$port" \
	    .="$T/keys.zone" 2> "$T/nsd.err"; then
		at_exit "sh '$FBL_ROOT/tests/lib/nsd.sh' stop '$T/nsd'"
		while IFS='	' read -r c bits ebits reason; do
			"$FBL_BIN" verify --format json --resolver "127.0.0.1@$port" \
			    "$T/$c.eml" > "$T/dns-$c.json" 2> "$T/dns-$c.err"
			check_eq "hkeys/dns/$c" "$(verdict_of "$T/dns-$c.json")" \
			    "$(want_verdict "$reason")"
		done < "$T/cases.tsv"
	else
		not_ok hkeys/dns/start-nsd "$(cat "$T/nsd.err")"
	fi
else
	skip hkeys/dns "nsd not installed"
fi

# --- the archive: keys import refuses what verify refuses
if need_cmd psql openssl; then
	if sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" \
	    > "$T/conninfo" 2> "$T/pg.err"; then
		at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
		DB=$(cat "$T/conninfo")
		"$FBL_BIN" db migrate --db "$DB" > /dev/null
		"$FBL_BIN" keys import --db "$DB" "$T/keys.zone" > "$T/imp.out" 2> "$T/imp.err"
		check_eq hkeys/import-exit "$?" 1
		# the three keys within the bounds are archived, nothing else
		check_eq hkeys/import-archived "$(psql "$DB" -Atc \
		    "SELECT string_agg(split_part(name, '.', 1), ' ' ORDER BY name COLLATE \"C\") FROM key_archive")" \
		    "e3 e33bits max8192"
		check_eq hkeys/import-refusals "$(grep -c 'refuses keys over 8192 bits\|fblscope wants an odd e' "$T/imp.err")" 7
		# a key directory: a signing key with a 34-bit exponent is refused
		mkdir "$T/kd"
		openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:1024 \
		    -pkeyopt rsa_keygen_pubexp:8589934593 \
		    -out "$T/kd/sel.hostile.example.pem" 2> /dev/null
		"$FBL_BIN" keys import --db "$DB" "$T/kd" > "$T/kd.out" 2> "$T/kd.err"
		check_eq hkeys/keydir-exit "$?" 1
		grep -q 'sel.hostile.example.pem: skipped: RSA public exponent of 34 bits' "$T/kd.err" &&
		    ok hkeys/keydir-refused || not_ok hkeys/keydir-refused "$(cat "$T/kd.err")"
		"$FBL_BIN" sign --domain hostile.example --selector sel \
		    --key "$T/kd/sel.hostile.example.pem" "$T/e3.eml" > /dev/null 2> "$T/sign.err"
		check_eq hkeys/sign-refuses-exit "$?" 2
		grep -q 'exponent of 34 bits' "$T/sign.err" && ok hkeys/sign-refuses-says-why ||
		    not_ok hkeys/sign-refuses-says-why "$(cat "$T/sign.err")"
	else
		not_ok hkeys/start-postgresql "$(cat "$T/pg.err")"
	fi
else
	skip hkeys/import "psql or openssl missing"
fi

fbl_done
exit $?
