#!/bin/sh
# SPDX-License-Identifier: ISC
# run.sh: build every libFuzzer target tests/fuzz/fuzz_*.c and run each in
# turn for SECONDS (default 60).  Used by "make fuzz" (FUZZ_SECONDS) and, with
# a short time, by tests/run.sh.
#
#   sh tests/fuzz/run.sh [SECONDS]
#   FUZZ_TARGETS="fuzz_b64 fuzz_message" sh tests/fuzz/run.sh 120
#
# Prints one line per target on stdout:
#   ok fuzz/NAME: N execs in S s
#   not ok fuzz/NAME: crash, see build/fuzz/artifacts/NAME-crash-...
#   skip fuzz/NAME: why
# (lines starting with "#" are details), and exits 1 when any target found
# something or did not build, else 0.
#
# Adding a target is adding a file tests/fuzz/fuzz_NAME.c (and, optionally,
# seeds in tests/fuzz/corpus-seeds/fuzz_NAME/).  Lines of its leading comment
# may say:
#   FUZZ_MAX_LEN: N          -max_len (default 4096)
#   FUZZ_SEEDS: WHAT...      extra seeds from the shared corpus, copied into
#                            the build corpus: dkim-cases (dkim/cases/*.eml),
#                            dkim-zones (TXT records of dkim/*.zone),
#                            dkim-zonefiles (dkim/*.zone), arf (arf/* and
#                            not-arf/*)
#   FUZZ_SOURCES: FILE...    sources to add to the library (e.g. fbl/feedback/arf.c);
#                            base/*.c and verifier/*.c are always there
#   FUZZ_PKGS: PKG...        pkg-config packages beyond ldns and libcrypto
#   FUZZ_DICT: "TOKEN"       one libFuzzer dictionary entry per line
#
# Everything is written under build/fuzz/: the binaries, obj/ (library objects
# built with coverage and ASan+UBSan), corpus/NAME/ (kept between runs, so
# each run starts where the last one stopped), artifacts/ (crash inputs),
# logs/NAME.log (libFuzzer's output).  The repository and the shared corpus
# are only read.
#
# Environment: FUZZ_CC (default clang), FUZZ_TARGETS (names to run, default
# all), FBL_CORPUS (shared corpus, default ../shared/corpus, then
# /work/shared/corpus), FUZZ_ARGS (more libFuzzer flags).

set -u

secs=${1:-}
[ -n "$secs" ] || secs=60
case $secs in
''|*[!0-9]*)
	echo "usage: sh tests/fuzz/run.sh [SECONDS]" >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd) || exit 2
cd "$root" || exit 2

CC=${FUZZ_CC:-clang}
out=build/fuzz
objdir=$out/obj
logdir=$out/logs
artdir=$out/artifacts
PKGS_BASE="ldns libcrypto"

# Same dialect as the Makefile; sanitizers as the brief of "make fuzz" says.
STD="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE"
SAN="-fsanitize=address,undefined -fno-sanitize-recover=all \
-fno-omit-frame-pointer"
OPT="-g -O1"
WARN="-Wall -Wextra -Wshadow -Wpointer-arith -Wstrict-prototypes \
-Wmissing-prototypes -Wvla -Wformat=2"

status=0
failed_srcs=

# All targets (names without .c), filtered by FUZZ_TARGETS.
targets=
for f in tests/fuzz/fuzz_*.c; do
	[ -f "$f" ] || continue
	t=$(basename "$f" .c)
	if [ -n "${FUZZ_TARGETS:-}" ]; then
		case " $FUZZ_TARGETS " in
		*" $t "*) ;;
		*) continue ;;
		esac
	fi
	targets="$targets $t"
done
if [ -z "$targets" ]; then
	echo "skip fuzz: no target in tests/fuzz/fuzz_*.c${FUZZ_TARGETS:+ matching $FUZZ_TARGETS}"
	exit 0
fi

skip_all() {
	for t in $targets; do
		echo "skip fuzz/$t: $*"
	done
	exit 0
}

# The value(s) of "NAME: ..." lines in a target's source.
directive() {
	sed -n "s/^[[:space:]/*]*$2:[[:space:]]*//p" "$1"
}

# Is file $1 newer than file $2 (which exists)?  (test -nt is not POSIX)
newer() {
	[ -n "$(find "$1" -prune -newer "$2" 2>/dev/null)" ]
}

# Must object $1 be rebuilt?  Yes when it or its dependency list (from -MMD)
# is missing, or when a file it was built from is newer.
stale() {
	[ -f "$1" ] && [ -f "$1.d" ] || return 0
	# shellcheck disable=SC2013
	for _d in $(sed 's/\\$//; s/^[^:]*://' "$1.d"); do
		[ -f "$_d" ] || return 0
		newer "$_d" "$1" && return 0
	done
	return 1
}

# Does a source define main()?  (KNF: "int\nmain(...)"; also "int main(")
defines_main() {
	grep -Eq '^(int[[:space:]]+)?main[[:space:]]*\(' "$1"
}

# --- tools ------------------------------------------------------------------

command -v "$CC" >/dev/null 2>&1 || skip_all "$CC not found"
command -v pkg-config >/dev/null 2>&1 || skip_all "pkg-config not found"
mkdir -p "$out" "$objdir" "$logdir" "$artdir" "$out/corpus" || exit 2

# One run at a time in build/fuzz (and one fuzzer process on the machine).
lock=$out/lock
if ! mkdir "$lock" 2>/dev/null; then
	pid=$(cat "$lock/pid" 2>/dev/null)
	if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
		skip_all "another tests/fuzz/run.sh (pid $pid) is using $out"
	fi
	# left over by a run that died
	rm -rf "$lock"
	mkdir "$lock" 2>/dev/null ||
	    skip_all "another tests/fuzz/run.sh is using $out"
fi
echo $$ >"$lock/pid"
trap 'rm -rf "$lock"' EXIT
trap 'rm -rf "$lock"; exit 129' HUP
trap 'rm -rf "$lock"; exit 130' INT
trap 'rm -rf "$lock"; exit 141' PIPE
trap 'rm -rf "$lock"; exit 143' TERM

probe=$out/probe
cat >"$probe.c" <<'EOF'
#include <stddef.h>
#include <stdint.h>
int LLVMFuzzerTestOneInput(const uint8_t *, size_t);
int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) { (void)d; (void)n; return 0; }
EOF
if ! "$CC" -fsanitize=fuzzer,address,undefined -o "$probe" "$probe.c" \
    >"$logdir/probe.log" 2>&1; then
	rm -f "$probe" "$probe.c"
	skip_all "$CC cannot build a libFuzzer binary (clang and libclang-rt-14-dev needed), see $logdir/probe.log"
fi
rm -f "$probe" "$probe.c"

# --- the library ------------------------------------------------------------

# Sources: base/*.c, verifier/*.c (minus cmd_* and programs) and what targets ask for.
lib_srcs=
add_src() {
	case " $lib_srcs " in *" $1 "*) return ;; esac
	[ -f "$1" ] || return
	case $(basename "$1") in cmd_*) return ;; esac
	defines_main "$1" && return
	lib_srcs="$lib_srcs $1"
}
for s in base/*.c verifier/*.c; do
	add_src "$s"
done
pkgs=$PKGS_BASE
for t in $targets; do
	for s in $(directive "tests/fuzz/$t.c" FUZZ_SOURCES); do
		add_src "$s"
	done
	for p in $(directive "tests/fuzz/$t.c" FUZZ_PKGS); do
		case " $pkgs " in *" $p "*) ;; *) pkgs="$pkgs $p" ;; esac
	done
done

# shellcheck disable=SC2086
if ! pkg_cflags=$(pkg-config --cflags $pkgs 2>"$logdir/pkg-config.log") ||
    ! pkg_libs=$(pkg-config --libs $pkgs 2>>"$logdir/pkg-config.log"); then
	skip_all "pkg-config does not know $pkgs (see $logdir/pkg-config.log)"
fi

LIBFLAGS="$STD $OPT $SAN -fsanitize=fuzzer-no-link $WARN -I. $pkg_cflags"
# Rebuild everything when the flags change.
if [ "$(cat "$objdir/flags" 2>/dev/null)" != "$CC $LIBFLAGS" ]; then
	rm -rf "$objdir"
	mkdir -p "$objdir"
	printf '%s\n' "$CC $LIBFLAGS" >"$objdir/flags"
fi

echo "# fuzz: building the library with $CC" >&2
objs=
for s in $lib_srcs; do
	o=$objdir/$(echo "$s" | sed 's/\.c$//; s/\//_/g').o
	if stale "$o"; then
		rm -f "$o" "$o.d"
		# shellcheck disable=SC2086
		if ! "$CC" $LIBFLAGS -MMD -MF "$o.d" -c -o "$o" "$s" \
		    >"$logdir/build-$(basename "$o" .o).log" 2>&1; then
			echo "# fuzz: $s does not compile, see $logdir/build-$(basename "$o" .o).log" >&2
			failed_srcs="$failed_srcs $s"
			continue
		fi
	fi
	objs="$objs $o"
done
lib=$out/libfuzz.a
# the archive holds exactly $objs: rebuild it when that list or an object
# changed
if [ "$(cat "$lib.list" 2>/dev/null)" != "$objs" ] || [ ! -f "$lib" ] ||
    [ -n "$(find "$objdir" -name '*.o' -newer "$lib" | head -n 1)" ]; then
	rm -f "$lib" "$lib.list"
	# shellcheck disable=SC2086
	if [ -n "$objs" ] && ! ar rcs "$lib" $objs >"$logdir/ar.log" 2>&1; then
		for t in $targets; do
			echo "not ok fuzz/$t: cannot build the library archive, see $logdir/ar.log"
		done
		exit 1
	fi
	printf '%s\n' "$objs" >"$lib.list"
fi

# --- shared corpus ----------------------------------------------------------

corpus_root=
for c in "${FBL_CORPUS:-}" "$root/../shared/corpus" /work/shared/corpus; do
	if [ -n "$c" ] && [ -d "$c" ]; then
		corpus_root=$c
		break
	fi
done

# The joined character-strings of every TXT record of a zone file, one file
# per record, into directory $2.
zone_txt_seeds() {
	awk -v dir="$2" '
	/^[[:space:]]*;/ { next }
	/[[:space:]]TXT[[:space:]]/ {
		match($0, /[[:space:]]TXT[[:space:]]/)
		s = substr($0, RSTART + RLENGTH)
		rec = ""; inq = 0
		for (i = 1; i <= length(s); i++) {
			c = substr(s, i, 1)
			if (inq && c == "\\") { i++; rec = rec substr(s, i, 1); continue }
			if (c == "\"") { inq = !inq; continue }
			if (inq) rec = rec c
			else if (c == ";") break
		}
		n++
		f = sprintf("%s/zone-%s-%03d", dir, FILENAME, n)
		gsub(/[^A-Za-z0-9_.\/-]/, "_", f)
		printf "%s", rec > f
		close(f)
	}' "$1"
}

# Copy the extra seeds a target asks for into its corpus directory.
shared_seeds() {
	_t=$1
	_dir=$2
	[ -n "$corpus_root" ] || return 0
	for what in $(directive "tests/fuzz/$_t.c" FUZZ_SEEDS); do
		case $what in
		dkim-cases)
			for f in "$corpus_root"/dkim/cases/*.eml; do
				[ -f "$f" ] && cp "$f" "$_dir/shared-$(basename "$f")"
			done
			;;
		dkim-zones)
			for f in "$corpus_root"/dkim/*.zone; do
				[ -f "$f" ] || continue
				(cd "$(dirname "$f")" &&
				    zone_txt_seeds "$(basename "$f")" "$root/$_dir")
			done
			;;
		dkim-zonefiles)
			for f in "$corpus_root"/dkim/*.zone; do
				[ -f "$f" ] && cp "$f" "$_dir/shared-$(basename "$f")"
			done
			;;
		arf)
			for f in "$corpus_root"/arf/* "$corpus_root"/not-arf/*; do
				[ -f "$f" ] && cp "$f" "$_dir/shared-$(basename "$f")"
			done
			;;
		*)
			echo "# fuzz: $_t: unknown FUZZ_SEEDS $what" >&2
			;;
		esac
	done
	return 0
}

# --- build and run each target ----------------------------------------------

for t in $targets; do
	src=tests/fuzz/$t.c
	bin=$out/$t
	log=$logdir/$t.log
	blog=$logdir/build-$t.log
	corpus=$out/corpus/$t

	# relink when the target, the library or a header is newer
	link=yes
	if [ -f "$bin" ] && [ -f "$lib" ] && newer "$bin" "$src" &&
	    newer "$bin" "$lib" &&
	    ! stale "$bin"; then
		link=no
	fi
	# shellcheck disable=SC2086
	if [ $link = yes ] && ! "$CC" $STD $OPT $SAN -fsanitize=fuzzer $WARN \
	    -Werror -I. $pkg_cflags -MMD -MF "$bin.d" -o "$bin" "$src" \
	    ${objs:+"$lib"} $pkg_libs -lpthread >"$blog" 2>&1; then
		rm -f "$bin" "$bin.d"
		why="does not build, see $blog"
		[ -n "$failed_srcs" ] &&
		    why="$why (did not compile:$failed_srcs)"
		echo "not ok fuzz/$t: $why"
		sed -n '1,15s/^/#   /p' "$blog"
		status=1
		continue
	fi

	mkdir -p "$corpus"
	if [ -d "tests/fuzz/corpus-seeds/$t" ]; then
		for f in "tests/fuzz/corpus-seeds/$t"/*; do
			[ -f "$f" ] && cp "$f" "$corpus/seed-$(basename "$f")"
		done
	fi
	shared_seeds "$t" "$corpus"

	maxlen=$(directive "$src" FUZZ_MAX_LEN | head -n 1)
	case $maxlen in ''|*[!0-9]*) maxlen=4096 ;; esac
	dictarg=
	directive "$src" FUZZ_DICT >"$out/$t.dict"
	[ -s "$out/$t.dict" ] && dictarg=-dict=$out/$t.dict

	echo "# fuzz: running $t for $secs s" >&2
	# shellcheck disable=SC2086
	ASAN_OPTIONS=${ASAN_OPTIONS:-abort_on_error=0:detect_leaks=1} \
	UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1} \
	    "$bin" -max_total_time="$secs" -max_len="$maxlen" \
	    -rss_limit_mb=2048 -timeout=10 -print_final_stats=1 \
	    -artifact_prefix="$artdir/$t-" $dictarg ${FUZZ_ARGS:-} \
	    "$corpus" >"$log" 2>&1
	rc=$?

	art=$(sed -n 's/.*Test unit written to \([^ ]*\).*/\1/p' "$log" |
	    tail -n 1)
	if [ $rc -ne 0 ] || [ -n "$art" ]; then
		status=1
		if [ -n "$art" ]; then
			kind=$(basename "$art" | sed "s/^$t-//; s/-.*//")
			[ -n "$kind" ] || kind=crash
			echo "not ok fuzz/$t: $kind, see $art (log $log)"
		else
			echo "not ok fuzz/$t: libFuzzer exited $rc, see $log"
		fi
		# the error, the target's own message, our frames of the stack
		grep -E '^==[0-9]+==ERROR|^SUMMARY|^fuzz_|^  (got|want):|runtime error|^    #[0-9]+ .* in .*(verifier|fbl|report|tests/fuzz)/' \
		    "$log" | head -n 16 | sed 's/^/#   /'
		[ -n "$art" ] && echo "#   reproduce: UBSAN_OPTIONS=print_stacktrace=1 $bin $art"
		continue
	fi

	runs=$(sed -n 's/^stat::number_of_executed_units:[[:space:]]*//p' "$log" |
	    tail -n 1)
	done_line=$(grep -E '^Done [0-9]+ runs in [0-9]+ second' "$log" |
	    tail -n 1)
	[ -n "$runs" ] || runs=$(echo "$done_line" |
	    sed -n 's/^Done \([0-9]*\) runs.*/\1/p')
	[ -n "$runs" ] || runs=$(sed -n 's/^#\([0-9]*\)[[:space:]]*DONE.*/\1/p' \
	    "$log" | tail -n 1)
	took=$(echo "$done_line" | sed -n 's/.* in \([0-9]*\) second.*/\1/p')
	[ -n "$took" ] || took=$secs
	if [ -z "$runs" ]; then
		echo "not ok fuzz/$t: no exec count in $log"
		status=1
		continue
	fi
	echo "ok fuzz/$t: $runs execs in $took s"
done

exit $status
