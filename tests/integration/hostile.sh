#!/bin/sh
# SPDX-License-Identifier: ISC
# hostile.sh: hostile input to `fblscope verify`, on the release and the
# ASan+UBSan binaries: no crash, no sanitizer report, bounded work, and text
# output that a header value cannot forge (one line per signature).
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
: > "$T/empty.zone"

# i= decodes (dkim-quoted-printable) to CR LF and a fake result line
printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from;\r\n i=@example.com=0D=0Amsg.eml:=20signature=201=20d=3Dbank.com=20pass;\r\n bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA\r\nFrom: a@example.com\r\n\r\nbody\r\n' > "$T/forged-line.eml"
# d= folded across two lines
printf 'DKIM-Signature: v=1; a=rsa-sha256; d=exa\r\n\tmple.com; s=sel; h=from;\r\n bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA\r\nFrom: a@example.com\r\n\r\nbody\r\n' > "$T/folded-d.eml"
# NUL, 8-bit and bare CR in header values and body
printf 'DKIM-Signature: v=1; a=rsa-sha256; d=ex\000ample.com; s=s\351l; h=from;\r\n bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA\r\nFrom: \000\377@\r\r\n\r\nb\000o\rdy\r\n' > "$T/nul.eml"
# a 2 MiB Subject, and 5,000 DKIM-Signature fields
$PYTHON - "$T" <<'PY'
import sys
t = sys.argv[1]
sig = (b'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from; '
       b'bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA\r\n')
open(t + '/huge-header.eml', 'wb').write(
    sig + b'Subject: ' + b'x' * (2 << 20) + b'\r\nFrom: a@example.com\r\n\r\nb\r\n')
open(t + '/many-sigs.eml', 'wb').write(
    sig * 5000 + b'From: a@example.com\r\n\r\nb\r\n')
open(t + '/no-colon.eml', 'wb').write(
    b'From x@y Mon Jan  1 00:00:00 2024\nThis is not a header\n' + sig.replace(b'\r\n', b'\n') +
    b'From: a@example.com\n\nb\n')
open(t + '/only-cr.eml', 'wb').write(sig.replace(b'\r\n', b'\r') + b'From: a@x\r\rbody\r')
PY
: > "$T/empty.eml"
# a signed body removed after signing, under a key that is present
"$FBL_BIN" keygen --domain example.com --selector sel --out "$T/k" >/dev/null
printf 'From: a@example.com\r\n\r\nsigned body\r\n' > "$T/eb.plain"
"$FBL_BIN" sign --domain example.com --selector sel --key "$T/k.pem" "$T/eb.plain" |
    sed '/^signed body/d' > "$T/empty-body.eml"
cat "$T/k.zone" >> "$T/empty.zone"

run() {	# name binary file -> output in $T/name.out, status in $T/name.rc
	"$2" verify --zone "$T/empty.zone" "$3" > "$T/$1.out" 2> "$T/$1.err"
	echo $? > "$T/$1.rc"
}

for bin in release:$FBL_BIN asan:$FBL_ASAN_BIN; do
	tag=${bin%%:*}
	b=${bin#*:}
	if [ ! -x "$b" ]; then
		skip "hostile/$tag" "no binary $b"
		continue
	fi
	for f in forged-line folded-d nul huge-header many-sigs no-colon only-cr empty; do
		run "$tag-$f" "$b" "$T/$f.eml"
		rc=$(cat "$T/$tag-$f.rc")
		if [ "$rc" -gt 2 ] || grep -q 'Sanitizer\|runtime error' "$T/$tag-$f.err"; then
			not_ok "hostile/$tag/$f" "exit $rc: $(head -c 400 "$T/$tag-$f.err")"
		else
			ok "hostile/$tag/$f: exit $rc, no sanitizer report"
		fi
	done
	# one line per signature, and nothing that looks like a pass
	check_eq "hostile/$tag/forged-line-one-line" \
	    "$(wc -l < "$T/$tag-forged-line.out" | tr -d ' ')" 1
	if grep -q ': pass' "$T/$tag-forged-line.out"; then
		not_ok "hostile/$tag/forged-line-no-pass" "$(cat "$T/$tag-forged-line.out")"
	else
		ok "hostile/$tag/forged-line-no-pass"
	fi
	check_eq "hostile/$tag/folded-d-one-line" \
	    "$(wc -l < "$T/$tag-folded-d.out" | tr -d ' ')" 1
	# 32 verified, then one line saying the rest were not
	check_eq "hostile/$tag/many-sigs-lines" \
	    "$(wc -l < "$T/$tag-many-sigs.out" | tr -d ' ')" 33
	grep -q '4968 more signatures not verified' "$T/$tag-many-sigs.out" &&
	    ok "hostile/$tag/many-sigs-says-limit" ||
	    not_ok "hostile/$tag/many-sigs-says-limit" "$(tail -1 "$T/$tag-many-sigs.out")"
	check_eq "hostile/$tag/empty-exit" "$(cat "$T/$tag-empty.rc")" 1
	# --explain on a body emptied after signing: the diagnosis tries body
	# variants on zero bytes (a UBSan finding of fuzz_verify)
	"$b" verify --explain --zone "$T/empty.zone" "$T/empty-body.eml" \
	    > "$T/$tag-eb.out" 2> "$T/$tag-eb.err"
	if grep -q 'runtime error\|Sanitizer' "$T/$tag-eb.err"; then
		not_ok "hostile/$tag/explain-empty-body" "$(head -c 300 "$T/$tag-eb.err")"
	else
		ok "hostile/$tag/explain-empty-body"
	fi
done

# l= with 19 digits is above INT64_MAX: JSON must still say it as written
printf 'DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; h=from; l=9999999999999999999;\r\n bh=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=; b=AAAA\r\nFrom: a@example.com\r\n\r\nbody\r\n' > "$T/big-l.eml"
"$FBL_BIN" verify --zone "$T/empty.zone" --format json "$T/big-l.eml" > "$T/big-l.json"
got=$($PYTHON -c 'import json,sys; print(json.load(open(sys.argv[1]))["signatures"][0]["l"])' "$T/big-l.json" 2>&1)
check_eq hostile/json-big-l "$got" 9999999999999999999

# errors name the file and exit 2
"$FBL_BIN" verify --zone "$T/empty.zone" "$T/does-not-exist.eml" 2> "$T/nofile.err" >/dev/null
check_eq hostile/missing-file-exit "$?" 2
grep -q "does-not-exist.eml: No such file" "$T/nofile.err" &&
    ok hostile/missing-file-named || not_ok hostile/missing-file-named "$(cat "$T/nofile.err")"
"$FBL_BIN" verify --zone "$T/empty.zone" "$T" 2> "$T/dir.err" >/dev/null
check_eq hostile/directory-exit "$?" 2
grep -q "is a directory" "$T/dir.err" && ok hostile/directory-named ||
    not_ok hostile/directory-named "$(cat "$T/dir.err")"
"$FBL_BIN" verify --zone "$T/nonexistent.zone" "$T/empty.eml" 2> "$T/zone.err" >/dev/null
check_eq hostile/bad-zone-exit "$?" 2
grep -q "nonexistent.zone" "$T/zone.err" && ok hostile/bad-zone-named ||
    not_ok hostile/bad-zone-named "$(cat "$T/zone.err")"
"$FBL_BIN" verify --jobs 0 x 2>/dev/null
check_eq hostile/bad-jobs-exit "$?" 2

fbl_done
exit $?
