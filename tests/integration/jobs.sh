#!/bin/sh
# SPDX-License-Identifier: ISC
# jobs.sh: `verify --jobs N` and `arf --jobs N` give exactly the output and
# exit status of --jobs 1, in input order, whatever the number of workers.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
Z=$FBL_ROOT/samples/zones/demo.zone
set --
i=0
while [ $i -lt 40 ]; do
	for f in "$FBL_ROOT"/samples/mail/*.eml; do
		set -- "$@" "$f"
	done
	set -- "$@" "$T/missing-$i.eml"	# an unreadable one now and then
	i=$((i + 1))
done
for fmt in text json ar; do
	"$FBL_BIN" verify --zone "$Z" --at 2026-11-21T12:00:00Z --format $fmt \
	    "$@" > "$T/j1.$fmt" 2> "$T/j1.$fmt.err"
	rc1=$?
	for j in 2 3 8; do
		"$FBL_BIN" verify --jobs $j --zone "$Z" --at 2026-11-21T12:00:00Z \
		    --format $fmt "$@" > "$T/j$j.$fmt" 2> "$T/j$j.$fmt.err"
		rc=$?
		if cmp -s "$T/j1.$fmt" "$T/j$j.$fmt"; then
			ok "jobs/$fmt/jobs-$j-same-output ($(wc -l < "$T/j1.$fmt") lines)"
		else
			not_ok "jobs/$fmt/jobs-$j-same-output" "$(diff "$T/j1.$fmt" "$T/j$j.$fmt" | head -5)"
		fi
		check_eq "jobs/$fmt/jobs-$j-same-errors" \
		    "$(sort "$T/j$j.$fmt.err" | cksum)" "$(sort "$T/j1.$fmt.err" | cksum)"
		check_eq "jobs/$fmt/jobs-$j-exit" "$rc" "$rc1"
	done
done
# the sanitizer build, three workers: same output, no report
if [ -x "$FBL_ASAN_BIN" ]; then
	"$FBL_ASAN_BIN" verify --jobs 3 --zone "$Z" --at 2026-11-21T12:00:00Z \
	    --format json "$@" > "$T/asan.json" 2> "$T/asan.err"
	cmp -s "$T/j1.json" "$T/asan.json" && ok jobs/asan-jobs-3-same-output ||
	    not_ok jobs/asan-jobs-3-same-output "$(head -c 300 "$T/asan.err")"
	grep -q 'Sanitizer\|runtime error' "$T/asan.err" &&
	    not_ok jobs/asan-clean "$(grep -m3 'Sanitizer\|runtime error' "$T/asan.err")" ||
	    ok jobs/asan-clean
else
	skip jobs/asan "no $FBL_ASAN_BIN"
fi
# an unreadable file makes the status 2 whatever the verdicts
check_eq jobs/exit-with-missing-file "$rc1" 2
check_eq jobs/errors-counted "$(wc -l < "$T/j1.text.err" | tr -d ' ')" 40

# arf (issue 13, item 9): feedback reports of the corpus and the samples,
# an unreadable file now and then
set --
i=0
while [ $i -lt 8 ]; do
	for f in "$FBL_ROOT"/samples/mail/*.eml "$FBL_CORPUS"/arf/*.eml; do
		[ -f "$f" ] && set -- "$@" "$f"
	done
	set -- "$@" "$T/missing-$i.eml"
	i=$((i + 1))
done
ARF="--zone $Z --at 2026-11-21T12:00:00Z"
for fmt in text json; do
	"$FBL_BIN" arf $ARF --format $fmt "$@" > "$T/a1.$fmt" 2> "$T/a1.$fmt.err"
	rc1=$?
	for j in 3 8; do
		"$FBL_BIN" arf $ARF --jobs $j --format $fmt "$@" > "$T/a$j.$fmt" 2> "$T/a$j.$fmt.err"
		rc=$?
		if cmp -s "$T/a1.$fmt" "$T/a$j.$fmt"; then
			ok "jobs/arf-$fmt/jobs-$j-same-output ($(wc -l < "$T/a1.$fmt") lines)"
		else
			not_ok "jobs/arf-$fmt/jobs-$j-same-output" "$(diff "$T/a1.$fmt" "$T/a$j.$fmt" | head -5)"
		fi
		check_eq "jobs/arf-$fmt/jobs-$j-same-errors" "$(cat "$T/a$j.$fmt.err")" "$(cat "$T/a1.$fmt.err")"
		check_eq "jobs/arf-$fmt/jobs-$j-exit" "$rc" "$rc1"
	done
done
check_eq jobs/arf-exit-with-missing-file "$rc1" 2
check_eq jobs/arf-errors-counted "$(wc -l < "$T/a1.text.err" | tr -d ' ')" 8
if [ -x "$FBL_ASAN_BIN" ]; then
	"$FBL_ASAN_BIN" arf $ARF --jobs 4 --format json "$@" > "$T/asan-arf.json" 2> "$T/asan-arf.err"
	cmp -s "$T/a1.json" "$T/asan-arf.json" && ok jobs/asan-arf-jobs-4-same-output ||
	    not_ok jobs/asan-arf-jobs-4-same-output "$(head -c 300 "$T/asan-arf.err")"
	grep -q 'Sanitizer\|runtime error' "$T/asan-arf.err" &&
	    not_ok jobs/asan-arf-clean "$(grep -m3 'Sanitizer\|runtime error' "$T/asan-arf.err")" ||
	    ok jobs/asan-arf-clean
fi

fbl_done
exit $?
