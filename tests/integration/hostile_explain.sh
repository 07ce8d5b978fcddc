#!/bin/sh
# SPDX-License-Identifier: ISC
# hostile_explain.sh: `verify --explain` on messages made to cost it time,
# memory and output (issue 11, item 4; bounds in docs/security.md).
#
# - one 50 MiB header field signed 32 times (release; 5 MiB under ASan):
#   before, 44 s, 3.2 GB of memory and 1.6 GB printed.  Now the trace keeps
#   64 KiB of each header block, prints 16 KiB of it (512 bytes a line),
#   and the diagnosis of the message stops at its 256 MiB work bound and
#   says so.  Asserted: the output size and the peak RSS, which do not
#   depend on the machine's speed.
# - a z= of a million entries: at most 1,024 compared, through an index
#   (before, every entry scanned every field: 32 s for 3 MB).
# - h= naming one field 255 times over 9,000 fields of that name.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
if [ ! -x /usr/bin/time ]; then
	skip hexplain/all "/usr/bin/time (GNU time) missing"
	exit 0
fi
"$FBL_BIN" keygen --domain example.com --selector sel --out "$T/k" > /dev/null &&
    cp "$T/k.zone" "$T/keys.zone" || { not_ok hexplain/keygen "failed"; exit 1; }

# run TAG BIN FILE [OPTION...]: explain output size, peak RSS (KiB) and
# exit status
run() {
	_tag=$1 _bin=$2 _file=$3
	shift 3
	/usr/bin/time -f '%M' -o "$T/$_tag.rss" "$_bin" verify --explain \
	    --zone "$T/keys.zone" "$@" "$_file" > "$T/$_tag.out" 2> "$T/$_tag.err"
	echo $? > "$T/$_tag.rc"
	tail -n 1 "$T/$_tag.rss" > "$T/$_tag.kb"
}
bytes() { wc -c < "$1" | tr -d ' '; }
# jsummary FILE: of the one JSON line: signatures, diagnosis_cut, whether
# a header block was cut, z= differences listed (first signature)
jsummary() {
	"$PYTHON" - "$1" <<'PY' 2>&1 | tail -n 1
import json, sys
lines = open(sys.argv[1], encoding='utf-8').read().splitlines()
j = json.loads(lines[0])
s = j['signatures']
d = s[0]['diagnosis']
print(len(s), j['diagnosis_cut'],
      any(x['trace']['signed_header_lines_cut'] for x in s),
      len(d['header']['z_differences']) if d and d['header'] else 0)
PY
}
le() {	# name got max [unit]
	if [ "$2" -le "$3" ]; then
		ok "$1: $2 <= $3${4:+ $4}"
	else
		not_ok "$1" "$2 > $3${4:+ $4}"
	fi
}

for bin in release:$FBL_BIN:50 asan:$FBL_ASAN_BIN:5; do
	tag=${bin%%:*}
	rest=${bin#*:}
	b=${rest%:*}
	mb=${rest##*:}
	if [ ! -x "$b" ]; then
		skip "hexplain/$tag" "no binary $b"
		continue
	fi
	mkdir -p "$T/$tag"
	"$PYTHON" "$FBL_ROOT/tests/lib/hostile_mail.py" "$T/$tag" "$mb" ||
	    { not_ok "hexplain/$tag/generate" "hostile_mail.py failed"; continue; }

	run "$tag-big" "$b" "$T/$tag/bigfield.eml"
	check_eq "hexplain/$tag/bigfield-exit" "$(cat "$T/$tag-big.rc")" 1
	if grep -q 'Sanitizer\|runtime error' "$T/$tag-big.err"; then
		not_ok "hexplain/$tag/bigfield-sanitizer" "$(head -c 400 "$T/$tag-big.err")"
	else
		ok "hexplain/$tag/bigfield-sanitizer"
	fi
	# 32 signatures x (16 KiB of block + the diagnosis): well under 1 MiB
	le "hexplain/$tag/bigfield-output-bytes" "$(bytes "$T/$tag-big.out")" 1048576
	check_eq "hexplain/$tag/bigfield-signatures-shown" \
	    "$(grep -c '^-- signature' "$T/$tag-big.out")" 32
	grep -q "bytes more on this line" "$T/$tag-big.out" &&
	    ok "hexplain/$tag/bigfield-line-cut-said" ||
	    not_ok "hexplain/$tag/bigfield-line-cut-said" "no marker"
	grep -q "bytes more of the block, not shown" "$T/$tag-big.out" &&
	    ok "hexplain/$tag/bigfield-block-cut-said" ||
	    not_ok "hexplain/$tag/bigfield-block-cut-said" "no marker"
	if [ "$tag" = release ]; then
		# the work bound is reached (2 trials of 50 MiB per signature)
		grep -q "stopped at its work bound (256 MiB hashed" "$T/$tag-big.out" &&
		    ok "hexplain/$tag/bigfield-work-bound-said" ||
		    not_ok "hexplain/$tag/bigfield-work-bound-said" "$(tail -n 3 "$T/$tag-big.out")"
		# the message (50 MiB) and one header block (50 MiB) at a time,
		# not 32 blocks: 3.2 GB before
		le "hexplain/$tag/bigfield-peak-rss" "$(cat "$T/$tag-big.kb")" 262144 KiB
	fi

	run "$tag-z" "$b" "$T/$tag/zmillion.eml"
	check_eq "hexplain/$tag/zmillion-exit" "$(cat "$T/$tag-z.rc")" 1
	check_eq "hexplain/$tag/zmillion-compared" \
	    "$(grep -c 'evidence: z= says the signer saw' "$T/$tag-z.out")" 1024
	grep -q "z= holds more entries; the first 1024 were compared" "$T/$tag-z.out" &&
	    ok "hexplain/$tag/zmillion-cut-said" ||
	    not_ok "hexplain/$tag/zmillion-cut-said" "no note"
	le "hexplain/$tag/zmillion-output-bytes" "$(bytes "$T/$tag-z.out")" 524288

	# the same bounds hold for the diagnosis in JSON (valid, one line)
	run "$tag-bigj" "$b" "$T/$tag/bigfield.eml" --format json
	le "hexplain/$tag/bigfield-json-bytes" "$(bytes "$T/$tag-bigj.out")" 1048576
	# 2 trials of the field per signature pass 256 MiB at 5 MiB too
	check_eq "hexplain/$tag/bigfield-json" "$(jsummary "$T/$tag-bigj.out")" \
	    "32 True True 0"
	run "$tag-zj" "$b" "$T/$tag/zmillion.eml" --format json
	le "hexplain/$tag/zmillion-json-bytes" "$(bytes "$T/$tag-zj.out")" 524288
	check_eq "hexplain/$tag/zmillion-json" "$(jsummary "$T/$tag-zj.out")" \
	    "1 False True 1024"

	run "$tag-hdup" "$b" "$T/$tag/hdup.eml"
	check_eq "hexplain/$tag/hdup-exit" "$(cat "$T/$tag-hdup.rc")" 1
	grep -q 'verdict: fail' "$T/$tag-hdup.out" && ok "hexplain/$tag/hdup-verdict" ||
	    not_ok "hexplain/$tag/hdup-verdict" "$(grep verdict: "$T/$tag-hdup.out")"
	for k in z hdup; do
		if grep -q 'Sanitizer\|runtime error' "$T/$tag-$k.err"; then
			not_ok "hexplain/$tag/$k-sanitizer" "$(head -c 400 "$T/$tag-$k.err")"
		else
			ok "hexplain/$tag/$k-sanitizer"
		fi
	done
done

fbl_done
exit $?
