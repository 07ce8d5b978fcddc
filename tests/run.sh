#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/run.sh: run every fblscope test and print one closing line
#
#     N passed, N failed, N skipped
#
# alone on the last line.  Exit 0 only when nothing failed and at least one
# test passed.  `make test` installs the packages (tests/lib/deps.sh), builds
# the release tree (build/release, ./fblscope) and the ASan+UBSan tree
# (build/asan) with their unit tests, then runs this; it can also be run alone
# after those builds: sh tests/run.sh
#
# Layout
#   tests/unit/test_*.c        unit tests (one program each, tests/unit/unit.h);
#                              run from build/release/tests/ (lines prefixed
#                              "release/") and build/asan/tests/ ("asan/")
#   tests/integration/*.sh     integration scripts, run in name order, each
#                              with its own scratch dir; shared shell helpers
#                              in tests/lib/common.sh (ok/not_ok/skip, at_exit
#                              cleanup, free ports), servers started through
#                              tests/lib/*.sh (NSD, Unbound, PostgreSQL)
#   tests/fuzz/run.sh          short libFuzzer run (15 s per target) if present
#   tests/lib/                 helpers; deps.sh is the package installer
#   tests/out/                 logs of the last run: NAME.out (stdout, the test
#                              lines) and NAME.err (stderr, sanitizer reports),
#                              failures and skips (those lines, collected);
#                              subdirectories are caches of test helpers
#
# Line protocol: every test program or script prints, on stdout, one line per
# check:
#   ok NAME
#   not ok NAME: what differed
#   skip NAME: why
# Other stdout lines are ignored.  A program or script that exits non-zero
# without printing a "not ok" line (a crash, a sanitizer abort, a syntax error)
# counts as one failure named after it; so does one that prints no test line
# at all, one that runs over its time limit, and one whose stderr holds a
# sanitizer report.
#
# Environment given to integration scripts (and to unit programs):
#   FBL_ROOT      repo root (absolute)
#   FBL_BIN       fblscope under test (default ./fblscope, made absolute)
#   FBL_ASAN_BIN  the sanitizer build (default build/asan/fblscope)
#   FBL_CORPUS    read-only corpus (default ../shared/corpus)
#   FBL_TMP       a fresh temp dir per script, removed afterwards
#                 (KEEP_TMP=1 keeps them)
# Knobs: FBL_TEST_TIMEOUT (s per script/program, default 900),
# FBL_FUZZ_SECONDS (default 15), VERBOSE=1 (echo every test line),
# ASAN_OPTIONS / UBSAN_OPTIONS (defaults below when unset).

set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2

OUT=tests/out
mkdir -p "$OUT"
# Only this runner's own logs go; subdirectories are caches of other helpers
# (tests/out/keys, tests/out/odkim) that a rerun reuses.
rm -f "$OUT"/*.out "$OUT"/*.err "$OUT/.status"
: > "$OUT/failures"
: > "$OUT/skips"

: "${FBL_CORPUS:=$ROOT/../shared/corpus}"
FBL_BIN=${FBL_BIN:-$ROOT/fblscope}
FBL_ASAN_BIN=${FBL_ASAN_BIN:-$ROOT/build/asan/fblscope}
case $FBL_BIN in /*) ;; *) FBL_BIN=$ROOT/$FBL_BIN ;; esac
case $FBL_ASAN_BIN in /*) ;; *) FBL_ASAN_BIN=$ROOT/$FBL_ASAN_BIN ;; esac
case $FBL_CORPUS in /*) ;; *) FBL_CORPUS=$ROOT/$FBL_CORPUS ;; esac
FBL_ROOT=$ROOT
export FBL_ROOT FBL_BIN FBL_ASAN_BIN FBL_CORPUS

# Sanitizers: stop at the first error with a distinctive exit status, report
# leaks, symbolize when llvm-symbolizer is there.
: "${ASAN_OPTIONS:=halt_on_error=1:abort_on_error=0:exitcode=23:detect_leaks=1:print_summary=1}"
: "${UBSAN_OPTIONS:=halt_on_error=1:print_stacktrace=1:exitcode=23}"
: "${LSAN_OPTIONS:=exitcode=23}"
export ASAN_OPTIONS UBSAN_OPTIONS LSAN_OPTIONS
if [ -z "${ASAN_SYMBOLIZER_PATH:-}" ] && command -v llvm-symbolizer >/dev/null 2>&1; then
	ASAN_SYMBOLIZER_PATH=$(command -v llvm-symbolizer)
	export ASAN_SYMBOLIZER_PATH
fi

LIMIT=${FBL_TEST_TIMEOUT:-900}
FUZZ_SECONDS=${FBL_FUZZ_SECONDS:-15}
SAN_RE='ERROR: AddressSanitizer|ERROR: LeakSanitizer|runtime error:|SUMMARY: UndefinedBehaviorSanitizer'

PASSED=0
FAILED=0
SKIPPED=0
BAD_LABELS=

# run_one LABEL PREFIX COMMAND...
# Runs COMMAND with a time limit, stdout to $OUT/LABEL.out (test lines, names
# prefixed with PREFIX), stderr to $OUT/LABEL.err, and adds up its lines.
run_one() {
	label=$1
	prefix=$2
	shift 2
	file=$(printf '%s' "$label" | tr '/ ' '__')
	out=$OUT/$file.out
	err=$OUT/$file.err
	t0=$(date +%s)
	rm -f "$OUT/.status"
	{
		timeout -k 10 "$LIMIT" "$@" </dev/null 2>"$err"
		echo $? >"$OUT/.status"
	} | awk -v p="$prefix" '
		/^ok / { sub(/^ok /, "ok " p) }
		/^not ok / { sub(/^not ok /, "not ok " p) }
		/^skip / { sub(/^skip /, "skip " p) }
		{ print; fflush() }' >"$out"
	# The pipeline's status is awk's; the command's own is in .status.
	st=$(cat "$OUT/.status" 2>/dev/null || echo 255)
	rm -f "$OUT/.status"
	t1=$(date +%s)

	p=$(grep -c '^ok ' "$out")
	f=$(grep -c '^not ok ' "$out")
	s=$(grep -c '^skip ' "$out")
	grep '^not ok ' "$out" >>"$OUT/failures"
	grep '^skip ' "$out" >>"$OUT/skips"
	san=
	if grep -Eq "$SAN_RE" "$err"; then
		san=$(grep -E -m1 "$SAN_RE" "$err" | cut -c1-200)
	fi
	extra=
	if [ "$st" -eq 124 ] || [ "$st" -eq 137 ]; then
		extra="ran over the ${LIMIT} s time limit (status $st)"
	elif [ -n "$san" ]; then
		extra="sanitizer report on stderr (status $st): $san"
	elif [ "$st" -gt 128 ] && [ "$f" -eq 0 ]; then
		extra="killed by signal $((st - 128))"
	elif [ "$st" -ne 0 ] && [ "$f" -eq 0 ]; then
		extra="exited with status $st without a \"not ok\" line"
	elif [ "$st" -eq 0 ] && [ $((p + f + s)) -eq 0 ]; then
		extra="printed no test line"
	fi
	if [ -n "$extra" ]; then
		f=$((f + 1))
		echo "not ok $label: $extra (see $out, $err)" >>"$OUT/failures"
	fi
	PASSED=$((PASSED + p))
	FAILED=$((FAILED + f))
	SKIPPED=$((SKIPPED + s))
	[ "$f" -gt 0 ] && BAD_LABELS="$BAD_LABELS $label"
	if [ "${VERBOSE:-0}" = 1 ]; then
		grep -E '^(ok|not ok|skip) ' "$out"
	fi
	echo "[$label] $p ok, $f not ok, $s skip ($((t1 - t0)) s)"
}

# An interrupted run leaves no scratch directory behind.
trap 'if [ -n "${FBL_TMP:-}" ]; then rm -rf "$FBL_TMP"; fi; exit 130' INT
trap 'if [ -n "${FBL_TMP:-}" ]; then rm -rf "$FBL_TMP"; fi; exit 143' TERM
unset FBL_TMP

echo "fblscope tests: logs in $OUT/"

for build in release asan; do
	for bin in build/$build/tests/test_*; do
		[ -f "$bin" ] && [ -x "$bin" ] || continue
		case ${bin##*/} in *.*) continue ;; esac
		run_one "$build/${bin##*/}" "$build/" "$bin"
	done
done

for script in $(ls tests/integration/*.sh 2>/dev/null | LC_ALL=C sort); do
	name=${script##*/}
	name=integration/${name%.sh}
	FBL_TMP=$(mktemp -d "${TMPDIR:-/tmp}/fbl-${name##*/}.XXXXXX")
	export FBL_TMP
	run_one "$name" "" sh "$script"
	if [ "${KEEP_TMP:-0}" != 1 ]; then
		rm -rf "$FBL_TMP"
	fi
	unset FBL_TMP
done

if [ -f tests/fuzz/run.sh ]; then
	run_one fuzz "" sh tests/fuzz/run.sh "$FUZZ_SECONDS"
fi

if [ -s "$OUT/skips" ]; then
	echo
	echo "==== skipped"
	cat "$OUT/skips"
fi

if [ -s "$OUT/failures" ]; then
	echo
	echo "==== failures"
	cat "$OUT/failures"
	for label in $BAD_LABELS; do
		file=$(printf '%s' "$label" | tr '/ ' '__')
		if [ -s "$OUT/$file.err" ]; then
			echo
			echo "==== $label: last lines of $OUT/$file.err"
			tail -n 25 "$OUT/$file.err"
		fi
	done
	echo
fi

echo "$PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" -eq 0 ] && [ "$PASSED" -gt 0 ]
