#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/run.sh: the DKIM verification benchmark behind `make bench`.
#
# Generates (once, cached in build/bench/) a realistic set of signed
# messages, then measures in the same run, pinned to one core: fblscope
# verify, libopendkim, dkimpy and Mail::DKIM, and this machine's ceiling for
# the same work (OpenSSL EVP).  Prints figures and ratios; it is never a
# pass/fail test.  See tests/bench/README.md and docs/bench.md.
#
# Environment:
#   BENCH_MESSAGES       set size (default 20000)
#   BENCH_SLOW_MESSAGES  subset for dkimpy and Mail::DKIM (default 2000)
#   BENCH_CPU            core for single-core runs (default 0)
#   BENCH_CPUS2          cores for the --jobs 2 run (default 0,1)
#   BENCH_BATCH          files per fblscope process (default 2000)
#   BENCH_RUNS           runs of the fast verifiers, best kept (default 2)
#   BENCH_SKIP           space-separated rows to skip: fblscope opendkim
#                        opendkim-file dkimpy maildkim rss ingest report
#                        hostile
#   BENCH_INGEST_N, BENCH_INGEST_SIZES, BENCH_INGEST_SEED: the ingest rows
#                        (tests/bench/ingest.sh)
#   BENCH_REPORT_SIZES, BENCH_REPORT_RUNS: the report rows
#                        (tests/bench/report.sh)
#   BENCH_FBLSCOPE       the binary to measure (default ./fblscope)
#   CC                   compiler for the harnesses (default cc)

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

N=${BENCH_MESSAGES:-20000}
SLOW=${BENCH_SLOW_MESSAGES:-2000}
CPU=${BENCH_CPU:-0}
CPUS2=${BENCH_CPUS2:-0,1}
BATCH=${BENCH_BATCH:-2000}
RUNS=${BENCH_RUNS:-2}
SKIP=" ${BENCH_SKIP:-} "
CC=${CC:-cc}
PY=/usr/bin/python3
FBL=${BENCH_FBLSCOPE:-$root/fblscope}

B=$root/build/bench
BIN=$B/bin
OUT=$B/out
GENV=$(sed -n 's/^#define[ 	]*GEN_VERSION[ 	]*\([0-9]*\).*/\1/p' "$here/gen.h")

say() { printf '%s\n' "$*"; }
warn() { printf 'bench: %s\n' "$*" >&2; }
skipped() { case $SKIP in *" $1 "*) return 0;; esac; return 1; }

case $N in ''|*[!0-9]*) warn "BENCH_MESSAGES must be a number"; exit 2;; esac
case $SLOW in ''|*[!0-9]*) warn "BENCH_SLOW_MESSAGES must be a number"; exit 2;; esac
[ "$N" -ge 100 ] || { warn "BENCH_MESSAGES must be at least 100"; exit 2; }
[ "$SLOW" -le "$N" ] || SLOW=$N

if [ ! -x /usr/bin/time ]; then
	warn "/usr/bin/time is missing: apt-get install time"
	exit 2
fi
if command -v taskset >/dev/null 2>&1; then
	PIN1="taskset -c $CPU"
	PIN2="taskset -c $CPUS2"
else
	warn "taskset missing (util-linux): runs are not pinned"
	PIN1=""
	PIN2=""
fi

mkdir -p "$BIN" "$OUT" || exit 2

# ---- build the harnesses ------------------------------------------------
CFLAGS_B="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O2 -g \
 -Wall -Wextra -Werror -Wshadow -Wpointer-arith -Wstrict-prototypes \
 -Wmissing-prototypes -Wvla -Wformat=2"

# A harness is NAME.c, with its parts NAME_*.c and NAME.h when it is split
# over several files (the caller names the parts among the extra sources).
build() {	# name, extra sources and flags...
	name=$1
	shift
	if [ ! -x "$BIN/$name" ] ||
	    [ -n "$(find "$here" -maxdepth 1 \( -name "$name.[ch]" -o \
	    -name "${name}_*.c" \) -newer "$BIN/$name")" ] ||
	    [ -n "$(find "$root/samples/genlib.c" "$root/samples/genlib.h" \
	    -newer "$BIN/$name")" ]; then
		# shellcheck disable=SC2086
		$CC $CFLAGS_B -o "$BIN/$name" "$here/$name.c" "$@" ||
		    return 1
	fi
	return 0
}

# gen shares its PRNG, buffers and key making with samples/gen_mailbox.c
build gen "$here/gen_keys.c" "$here/gen_body.c" "$here/gen_sign.c" \
    -I"$root/samples" "$root/samples/genlib.c" -lcrypto ||
    { warn "cannot build gen (libssl-dev?)"; exit 2; }
build ceiling -lcrypto || { warn "cannot build ceiling"; exit 2; }
have_odkim=0
if pkg-config --exists opendkim 2>/dev/null; then
	# shellcheck disable=SC2046
	build opendkim_bench $(pkg-config --cflags --libs opendkim) &&
	    have_odkim=1
fi

# ---- the message set ----------------------------------------------------
KEYS=$B/keys-v$GENV
SET=
for d in "$B"/set-v"$GENV"-n*; do
	[ -f "$d/.done" ] || continue
	m=${d##*-n}
	case $m in ''|*[!0-9]*) continue;; esac
	if [ "$m" -ge "$N" ]; then
		SET=$d
		break
	fi
done
if [ -z "$SET" ]; then
	SET=$B/set-v$GENV-n$N
	say "generating $N messages into $SET (once; cached) ..."
	rm -rf "$SET.tmp" "$SET"
	t0=$(date +%s)
	if ! nice "$BIN/gen" -k "$KEYS" -o "$SET.tmp" -n "$N"; then
		warn "generation failed"
		exit 2
	fi
	touch "$SET.tmp/.done"
	mv "$SET.tmp" "$SET" || exit 2
	say "generated in $(( $(date +%s) - t0 )) s"
	# smaller sets are prefixes of this one; other versions are stale
	for d in "$B"/set-v*-n* "$B"/keys-v*; do
		case $d in
		"$SET"|"$KEYS"|*"*"*) ;;
		*) rm -rf "$d" ;;
		esac
	done
fi
cd "$SET" || exit 2
head -n "$N" list.txt >"$OUT/list"
head -n "$SLOW" list.txt >"$OUT/list-slow"
ZONE=$SET/keys.zone

# warm the page cache so that no verifier pays for the disk
xargs cat <"$OUT/list" >/dev/null

# ---- helpers --------------------------------------------------------------
# /usr/bin/time -f '%e %U %S %M' lines (GNU time adds "Command exited..."
# lines for a non-zero status: skipped) -> "wall cpu maxrss_kb" summed.
sum_times() {
	awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { w += $1; c += $2 + $3;
	    if ($4 > m) m = $4 } END { printf "%.3f %.3f %d\n", w, c, m }' "$1"
}
field() {	# file key: the word after key on the harness's line
	awk -v k="$2" '{ for (i = 1; i < NF; i++) if ($i == k) { print $(i+1);
	    exit } }' "$1"
}
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t;
	else printf "0" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b;
	else printf "-" }'; }
pct() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.1f %%",
	100 * a / b; else printf "-" }'; }
passed() {	# passed expected [unsupported]: "P/E", flagged when short
	if [ "$(( ${1:-0} + ${3:-0} ))" -ne "$2" ]; then
		printf '%s/%s !!!' "${1:-0}" "$2"
	else
		printf '%s/%s' "${1:-0}" "$2"
	fi
}
MISMATCH=""
check() {	# name passed expected [unsupported]
	u=${4:-0}
	if [ "$(( $2 + u ))" -ne "$3" ]; then
		MISMATCH="$MISMATCH
!!! $1 passed $2 of $3 signatures: it did NOT do the same work as the
!!! others; its figure is not comparable (see $OUT)"
	fi
}

# ---- ceiling: measured before and after the fast verifiers, best kept ---
ceiling_run() {
	# shellcheck disable=SC2086
	$PIN1 "$BIN/ceiling" manifest.tsv "$N" "$SLOW" >"$OUT/ceiling-$1.txt" ||
	    { warn "ceiling failed"; exit 2; }
}
ceil_fields() {	# the figures of $OUT/ceiling.txt
	C_RSA=$(field "$OUT/ceiling.txt" rsa2048_verify_per_s)
	C_ED=$(field "$OUT/ceiling.txt" ed25519_verify_per_s)
	C_SHA=$(field "$OUT/ceiling.txt" sha256_bytes_per_s)
	C_RSAW=$(field "$OUT/ceiling.txt" rsa2048_verify_per_wall_s)
	C_EDW=$(field "$OUT/ceiling.txt" ed25519_verify_per_wall_s)
	C_SHAW=$(field "$OUT/ceiling.txt" sha256_bytes_per_wall_s)
	grep "^set $N " "$OUT/ceiling.txt" >"$OUT/ceil-n"
	grep "^set $SLOW " "$OUT/ceiling.txt" | head -n 1 >"$OUT/ceil-slow"
	CEIL=$(field "$OUT/ceil-n" ceiling_msgs_per_s)
	CEIL_S=$(field "$OUT/ceil-slow" ceiling_msgs_per_s)
	CEIL_SH=$(field "$OUT/ceil-n" ceiling_shared_msgs_per_s)
	CEIL_ST=$(field "$OUT/ceil-n" ceiling_strict_msgs_per_s)
	CEIL_STW=$(field "$OUT/ceil-n" ceiling_strict_wall_msgs_per_s)
	CEIL_ST_S=$(field "$OUT/ceil-slow" ceiling_strict_msgs_per_s)
	AVG=$(field "$OUT/ceil-n" avg_bytes)
	NRSA=$(field "$OUT/ceil-n" rsa_sigs)
	NED=$(field "$OUT/ceil-n" ed25519_sigs)
	EXP=$(( NRSA + NED ))
	NRSA_S=$(field "$OUT/ceil-slow" rsa_sigs)
	NED_S=$(field "$OUT/ceil-slow" ed25519_sigs)
	EXP_S=$(( NRSA_S + NED_S ))
}
ceil_of() {	# file count: the strict ceiling for the first count messages
	awk -v n="$2" '$1 == "set" && $2 == n { for (i = 3; i < NF; i++)
	    if ($i == "ceiling_strict_msgs_per_s") { print $(i+1); exit } }' \
	    "$1"
}
say "measuring the ceiling ..."
ceiling_run 1
cp "$OUT/ceiling-1.txt" "$OUT/ceiling.txt"
ceil_fields

# ---- fblscope and libopendkim, interleaved runs --------------------------
fbl_ok=0
if skipped fblscope; then
	:
elif [ -x "$FBL" ] && "$FBL" verify --help >/dev/null 2>&1; then
	fbl_ok=1
fi
od_mem=0
od_file=0
if [ "$have_odkim" = 1 ]; then
	skipped opendkim || od_mem=1
	skipped opendkim-file || od_file=1
fi

# busy jiffies of all cores (user nice system irq softirq steal), to see
# how much of the machine other processes took during a run
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
busy_now() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' \
	/proc/stat; }
# other processes' load during the runs of a tag: cores they kept busy
others() {
	awk '{ w += $1; c += $2; b += $4 } END { if (w > 0) {
	    o = (b - c) / w; if (o < 0) o = 0; printf "%.2f", o } }' "$1"
}

# fbl_run tag jobs pin: batches of $BATCH files, one process each
fbl_run() {
	rm -f "$OUT/fbl-$1.json" "$OUT/fbl-$1.time" "$OUT/fbl-$1.err" \
	    "$OUT"/batch.*
	split -l "$BATCH" "$OUT/list" "$OUT/batch."
	b0=$(busy_now)
	for b in "$OUT"/batch.*; do
		# shellcheck disable=SC2046,SC2086
		/usr/bin/time -a -o "$OUT/fbl-$1.time" -f '%e %U %S %M' \
		    $3 "$FBL" verify --zone "$ZONE" --format json \
		    --jobs "$2" $(cat "$b") >>"$OUT/fbl-$1.json" \
		    2>>"$OUT/fbl-$1.err"
	done
	rm -f "$OUT"/batch.*
	b1=$(busy_now)
	# "wall cpu maxrss busy": busy = CPU seconds the whole machine spent
	echo "$(sum_times "$OUT/fbl-$1.time") $(awk -v a="$b0" -v b="$b1" \
	    -v hz="$HZ" 'BEGIN { printf "%.2f", (b - a) / hz }')" \
	    >>"$OUT/fbl-$1.runs"
}
# od_run tag: libopendkim over the set, -q tag (mem or file)
od_run() {
	# shellcheck disable=SC2086
	/usr/bin/time -o "$OUT/od-$1.time" -f '%e %U %S %M' \
	    $PIN1 "$BIN/opendkim_bench" -q "$1" "$ZONE" "$OUT/list" \
	    >"$OUT/od-$1.txt" 2>"$OUT/od-$1.err"
	sum_times "$OUT/od-$1.time" >>"$OUT/od-$1.runs"
}
best_col() {	# file column: the lowest value of that column
	sort -n -k"$2" "$1" | head -n 1 | cut -d' ' -f"$2"
}

: >"$OUT/fbl-j1.runs"
: >"$OUT/fbl-j2.runs"
: >"$OUT/od-mem.runs"
: >"$OUT/od-file.runs"
r=0
while [ "$r" -lt "$RUNS" ]; do
	r=$(( r + 1 ))
	if [ "$fbl_ok" = 1 ]; then
		say "fblscope verify, one core (run $r of $RUNS) ..."
		fbl_run j1 1 "$PIN1"
	fi
	if [ "$od_mem" = 1 ]; then
		say "libopendkim (run $r of $RUNS) ..."
		od_run mem
	fi
	if [ "$od_file" = 1 ]; then
		say "libopendkim, DKIM_QUERY_FILE (run $r of $RUNS) ..."
		od_run file
	fi
done
if [ "$fbl_ok" = 1 ]; then
	r=0
	while [ "$r" -lt "$RUNS" ]; do
		r=$(( r + 1 ))
		say "fblscope verify --jobs 2 (run $r of $RUNS) ..."
		fbl_run j2 2 "$PIN2"
	done

	F1_WALL=$(best_col "$OUT/fbl-j1.runs" 1)
	F1_CPU=$(best_col "$OUT/fbl-j1.runs" 2)
	# share of the wall-clock time the pinned process had its core
	F1_AVAIL=$(awk '$1 > 0 { a = $2 / $1; if (a > m) m = a }
	    END { printf "%.0f", 100 * m }' "$OUT/fbl-j1.runs")
	"$PY" "$here/count_pass.py" "$OUT/fbl-j1.json" >"$OUT/fbl-j1.count" \
	    2>>"$OUT/fbl-j1.err"
	F1_PASS=$(field "$OUT/fbl-j1.count" passed)
	F1_MSGS=$(field "$OUT/fbl-j1.count" messages)
	check "fblscope verify" "${F1_PASS:-0}" "$EXP"
	[ "${F1_MSGS:-0}" -eq "$N" ] || MISMATCH="$MISMATCH
!!! fblscope verify reported ${F1_MSGS:-0} of $N messages (see $OUT/fbl-j1.err)"

	F2_WALL=$(best_col "$OUT/fbl-j2.runs" 1)
	F2_CORES=$(sort -n -k1 "$OUT/fbl-j2.runs" | head -n 1 |
	    awk '$1 > 0 { printf "%.2f", $2 / $1 }')
	"$PY" "$here/count_pass.py" "$OUT/fbl-j2.json" >"$OUT/fbl-j2.count" \
	    2>>"$OUT/fbl-j2.err"
	F2_PASS=$(field "$OUT/fbl-j2.count" passed)
	check "fblscope verify --jobs 2" "${F2_PASS:-0}" "$EXP"
fi
if [ "$od_mem" = 1 ]; then
	OD_CPU=$(best_col "$OUT/od-mem.runs" 2)
	OD_PASS=$(field "$OUT/od-mem.txt" passed)
	check "libopendkim" "${OD_PASS:-0}" "$EXP"
fi
if [ "$od_file" = 1 ]; then
	ODF_CPU=$(best_col "$OUT/od-file.runs" 2)
	ODF_PASS=$(field "$OUT/od-file.txt" passed)
	check "libopendkim (DKIM_QUERY_FILE)" "${ODF_PASS:-0}" "$EXP"
fi

say "measuring the ceiling again ..."
ceiling_run 2
c1=$(ceil_of "$OUT/ceiling-1.txt" "$N")
c2=$(ceil_of "$OUT/ceiling-2.txt" "$N")
if awk -v a="$c1" -v b="$c2" 'BEGIN { exit !(b > a) }'; then
	cp "$OUT/ceiling-2.txt" "$OUT/ceiling.txt"
else
	cp "$OUT/ceiling-1.txt" "$OUT/ceiling.txt"
fi
ceil_fields

# ---- dkimpy and Mail::DKIM, on the first $SLOW messages -----------------
PY_OK=0
if ! skipped dkimpy && "$PY" -c 'import dkim, nacl' 2>/dev/null; then
	say "dkimpy ($SLOW messages) ..."
	# shellcheck disable=SC2086
	/usr/bin/time -o "$OUT/dkimpy.time" -f '%e %U %S %M' \
	    $PIN1 "$PY" "$here/dkimpy_bench.py" "$ZONE" "$OUT/list-slow" \
	    >"$OUT/dkimpy.txt" 2>"$OUT/dkimpy.err"
	PY_CPU=$(sum_times "$OUT/dkimpy.time" | cut -d' ' -f2)
	PY_PASS=$(field "$OUT/dkimpy.txt" passed)
	check "dkimpy" "${PY_PASS:-0}" "$EXP_S"
	PY_OK=1
fi
PL_OK=0
if ! skipped maildkim && perl -MMail::DKIM::Verifier -e 1 2>/dev/null; then
	say "Mail::DKIM ($SLOW messages) ..."
	# shellcheck disable=SC2086
	/usr/bin/time -o "$OUT/maildkim.time" -f '%e %U %S %M' \
	    $PIN1 perl "$here/maildkim_bench.pl" "$ZONE" "$OUT/list-slow" \
	    >"$OUT/maildkim.txt" 2>"$OUT/maildkim.err"
	PL_CPU=$(sum_times "$OUT/maildkim.time" | cut -d' ' -f2)
	PL_PASS=$(field "$OUT/maildkim.txt" passed)
	PL_UNS=$(field "$OUT/maildkim.txt" unsupported)
	check "Mail::DKIM" "${PL_PASS:-0}" "$EXP_S" "${PL_UNS:-0}"
	PL_OK=1
fi

# ---- peak RSS: one fblscope process over N/4 and N messages -------------
RSS_OK=0
if [ "$fbl_ok" = 1 ] && ! skipped rss; then
	big=$N
	maxargs=$(( $(getconf ARG_MAX) / 2 / 16 ))
	[ "$big" -le "$maxargs" ] || big=$maxargs
	small=$(( big / 4 ))
	say "fblscope peak RSS, one process over $small and $big messages ..."
	for k in $small $big; do
		# shellcheck disable=SC2046,SC2086
		/usr/bin/time -v -o "$OUT/rss-$k.time" $PIN1 "$FBL" verify \
		    --zone "$ZONE" --format json --jobs 1 \
		    $(head -n "$k" "$OUT/list") >/dev/null 2>"$OUT/rss-$k.err"
	done
	RSS_S=$(awk -F: '/Maximum resident set size/ { printf "%.1f",
	    $2 / 1024 }' "$OUT/rss-$small.time")
	RSS_B=$(awk -F: '/Maximum resident set size/ { printf "%.1f",
	    $2 / 1024 }' "$OUT/rss-$big.time")
	RSS_OK=1
fi

# ---- ingest: tests/bench/ingest.sh (NSD + PostgreSQL on loopback) ---------
ING_OK=0
if ! skipped ingest; then
	say "ingest rows (tests/bench/ingest.sh) ..."
	rm -f "$OUT/ingest.txt"
	vr=""
	[ "$fbl_ok" = 1 ] && vr=$(rate "$N" "$F1_CPU")
	BENCH_CPU=$CPU BENCH_CPUS2=$CPUS2 BENCH_RUNS=$RUNS \
	    BENCH_FBLSCOPE=$FBL BENCH_VERIFY_RATE=$vr BENCH_INGEST_NO_TABLE=1 \
	    sh "$here/ingest.sh"
	[ -s "$OUT/ingest.txt" ] && ING_OK=1
fi

# ---- report: tests/bench/report.sh (PostgreSQL on loopback) ----------------
REP_OK=0
if ! skipped report; then
	say "report rows (tests/bench/report.sh) ..."
	rm -f "$OUT/report.txt"
	BENCH_CPU=$CPU BENCH_FBLSCOPE=$FBL BENCH_REPORT_NO_TABLE=1 \
	    sh "$here/report.sh"
	[ -s "$OUT/report.txt" ] && REP_OK=1
fi

# ---- hostile inputs: tests/bench/hostile.sh -------------------------------
HOS_OK=0
if ! skipped hostile; then
	say "hostile-input rows (tests/bench/hostile.sh) ..."
	rm -f "$OUT/hostile.txt"
	BENCH_CPU=$CPU BENCH_FBLSCOPE=$FBL BENCH_HOSTILE_NO_TABLE=1 \
	    sh "$here/hostile.sh"
	[ -s "$OUT/hostile.txt" ] && HOS_OK=1
fi

# ---- the table ------------------------------------------------------------
# The CPU as lscpu names it (model, cores, threads per core, hypervisor),
# whether it has the SHA extensions (they set the SHA-256 rate), and the load.
machine() {
	m=$(LC_ALL=C lscpu 2>/dev/null | awk -F: '
	    function v(s) { sub(/^[ \t]+/, "", s); return s }
	    $1 == "Model name" { name = v($2) }
	    $1 == "Thread(s) per core" { tpc = v($2) }
	    $1 == "Hypervisor vendor" { hv = v($2) }
	    END { if (name != "") printf "%s, %s thread(s) per core%s", name,
	        tpc, hv != "" ? ", " hv " guest" : "" }')
	[ -n "$m" ] || m=$(sed -n 's/^model name[^:]*: //p' /proc/cpuinfo |
	    head -n 1)
	sha="without"
	grep -qw sha_ni /proc/cpuinfo 2>/dev/null && sha="with"
	printf '%s cores, %s, %s SHA extensions, load average %s' "$(nproc)" \
	    "$m" "$sha" "$(cut -d' ' -f1-3 /proc/loadavg)"
}
row() {	# name msgs/s of-strict of-old compared passed
	printf '  %-32s %9s  %-10s %-9s %-24s %s\n' "$1" "$2" "$3" "$4" \
	    "$5" "$6" | sed 's/[[:space:]]*$//'
}
{
say ""
say "fblscope benchmark (generator v$GENV, $(date -u '+%Y-%m-%d %H:%M UTC'))"
say "machine: $(machine)"
awk -v n="$N" -v a="$AVG" -v r="$NRSA" -v e="$NED" 'BEGIN { printf \
    "messages: %d (avg %.1f KB, %d rsa-sha256 + %d ed25519-sha256 signatures, 402 RSA-2048 + 20 Ed25519 keys)\n",
    n, a / 1024, r, e }'
awk -v c="$CPU" -v r="$C_RSA" -v e="$C_ED" -v s="$C_SHA" -v rw="$C_RSAW" \
    -v ew="$C_EDW" -v sw="$C_SHAW" -v st="$CEIL_ST" -v stw="$CEIL_STW" \
    -v m="$CEIL" -v sh="$CEIL_SH" 'BEGIN {
    printf "OpenSSL EVP on cpu %s: RSA-2048 verify %.0f/s, Ed25519 verify %.0f/s, SHA-256 %.0f MB/s per CPU s\n",
    c, r, e, s / 1e6
    printf "  (per wall-clock s: %.0f/s, %.0f/s, %.0f MB/s)\n", rw, ew, sw / 1e6
    printf "strict ceiling: the signatures'"'"' public-key operations + one SHA-256 pass over the\n"
    printf "  message bytes -> %.0f msgs per CPU s, %.0f msgs per wall-clock s\n", st, stw
    printf "old ceiling (one SHA-256 of canonical body and headers per signature): %.0f msgs/s\n", m
    printf "  (%.0f msgs/s if a body hash is shared by the signatures with the same body canonicalization)\n", sh }'
say "rates are messages per CPU second (user+sys, whole processes, pinned to cpu $CPU), best of $RUNS runs;"
say "the wall-clock row is the same runs per wall-clock second, over the wall-clock strict ceiling;"
say "the --jobs 2 row is per wall-clock second on cpus $CPUS2."
say ""
row "" "msgs/s" "of strict" "of old" "compared" "signatures passed"
row "strict ceiling" "$(printf '%.0f' "$CEIL_ST")" "100 %" \
    "$(pct "$CEIL_ST" "$CEIL")" "" ""
row "old ceiling" "$(printf '%.0f' "$CEIL")" "$(pct "$CEIL" "$CEIL_ST")" \
    "100 %" "" ""
if [ "$fbl_ok" = 1 ]; then
	F1=$(rate "$N" "$F1_CPU")
	row "fblscope verify" "$F1" "$(pct "$F1" "$CEIL_ST")" \
	    "$(pct "$F1" "$CEIL")" "" "$(passed "$F1_PASS" "$EXP")"
	F1W=$(rate "$N" "$F1_WALL")
	F2W=$(rate "$N" "$F2_WALL")
	row "fblscope verify, wall clock" "$F1W" "$(pct "$F1W" "$CEIL_STW")" \
	    "" "" ""
	row "fblscope verify --jobs 2" "$F2W" "" "" \
	    "$(ratio "$F2W" "$F1W") x one core (wall)" \
	    "$(passed "$F2_PASS" "$EXP")"
elif skipped fblscope; then
	say "  fblscope: skipped (BENCH_SKIP)"
else
	say "  fblscope: not available ($FBL verify does not run yet)"
fi
adj() {	# fblscope vs a reference: fbl_rate/ceil over ref_rate/ceil_ref
	if [ "$fbl_ok" = 1 ]; then
		awk -v f="$F1" -v c="$CEIL_ST" -v r="$1" -v cr="$2" 'BEGIN {
		    if (r > 0 && cr > 0) printf "fblscope is %.2f x", (f / c) / (r / cr);
		    else printf "-" }'
	fi
}
if [ -n "${OD_CPU:-}" ]; then
	OD=$(rate "$N" "$OD_CPU")
	row "libopendkim" "$OD" "$(pct "$OD" "$CEIL_ST")" "$(pct "$OD" "$CEIL")" \
	    "$(adj "$OD" "$CEIL_ST")" "$(passed "$OD_PASS" "$EXP")"
fi
if [ -n "${ODF_CPU:-}" ]; then
	ODF=$(rate "$N" "$ODF_CPU")
	row "libopendkim, DKIM_QUERY_FILE" "$ODF" "$(pct "$ODF" "$CEIL_ST")" \
	    "$(pct "$ODF" "$CEIL")" "$(adj "$ODF" "$CEIL_ST")" \
	    "$(passed "$ODF_PASS" "$EXP")"
fi
[ "$have_odkim" = 1 ] || say "  libopendkim: not available (apt-get install libopendkim-dev pkg-config)"
if [ "$PY_OK" = 1 ]; then
	PYR=$(rate "$SLOW" "$PY_CPU")
	row "dkimpy ($SLOW msgs)" "$PYR" "$(pct "$PYR" "$CEIL_ST_S")" \
	    "$(pct "$PYR" "$CEIL_S")" "$(adj "$PYR" "$CEIL_ST_S")" \
	    "$(passed "$PY_PASS" "$EXP_S")"
else
	skipped dkimpy || say "  dkimpy: not available (apt-get install python3-dkim python3-nacl)"
fi
if [ "$PL_OK" = 1 ]; then
	PLR=$(rate "$SLOW" "$PL_CPU")
	uns=""
	[ "${PL_UNS:-0}" -eq 0 ] || uns=" + $PL_UNS ed25519 unsupported"
	row "Mail::DKIM ($SLOW msgs)" "$PLR" "$(pct "$PLR" "$CEIL_ST_S")" \
	    "$(pct "$PLR" "$CEIL_S")" "$(adj "$PLR" "$CEIL_ST_S")" \
	    "$(passed "$PL_PASS" "$EXP_S" "${PL_UNS:-0}")$uns"
else
	skipped maildkim || say "  Mail::DKIM: not available (apt-get install libmail-dkim-perl)"
fi
if [ "$fbl_ok" = 1 ]; then
	say ""
	O1=$(others "$OUT/fbl-j1.runs")
	O2=$(others "$OUT/fbl-j2.runs")
	say "  one core: fblscope had cpu $CPU for $F1_AVAIL % of the wall-clock time;"
	say "  other processes kept $O1 cores busy meanwhile (0.00 on a quiet machine)."
	say "  --jobs 2: fblscope kept $F2_CORES cores busy (2.00 is ideal), other"
	say "  processes $O2."
	if [ "$F1_AVAIL" -lt 90 ] ||
	    awk -v o="$O2" 'BEGIN { exit !(o > 0.2) }'; then
		say "  !! other processes shared the cores: wall-clock figures (the --jobs 2"
		say "  !! row) are unreliable in this run; the CPU-time rates hold up better."
	fi
fi
if [ "$RSS_OK" = 1 ]; then
	say ""
	say "  peak RSS of one fblscope verify process over $small / $big messages: $RSS_S MB / $RSS_B MB"
fi
if [ "$ING_OK" = 1 ]; then
	cat "$OUT/ingest.txt"
elif skipped ingest; then
	say ""
	say "  ingest: skipped (BENCH_SKIP)"
else
	say ""
	say "  ingest: not measured (see the messages of tests/bench/ingest.sh above)"
fi
if [ "$REP_OK" = 1 ]; then
	cat "$OUT/report.txt"
elif skipped report; then
	say ""
	say "  report: skipped (BENCH_SKIP)"
else
	say ""
	say "  report: not measured (see the messages of tests/bench/report.sh above)"
fi
if [ "$HOS_OK" = 1 ]; then
	cat "$OUT/hostile.txt"
elif skipped hostile; then
	say ""
	say "  hostile inputs: skipped (BENCH_SKIP)"
fi
say ""
say "  of strict, of old: the verifier's rate over the strict and the old ceiling"
say "  for the same messages (the $SLOW-message subset's: $(printf '%.0f' "$CEIL_ST_S") and"
say "  $(printf '%.0f' "$CEIL_S") msgs/s)."
say "  fblscope is N x: fblscope's share of its strict ceiling over the other's share"
say "  of its own (the same as the plain rate ratio for the full set)."
say "  Raw outputs: $OUT"
if [ -n "$MISMATCH" ]; then
	say "$MISMATCH"
fi
} | tee "$OUT/summary.txt"
exit 0
