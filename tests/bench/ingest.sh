#!/bin/sh
# SPDX-License-Identifier: ISC
# tests/bench/ingest.sh: the ingest rows of `make bench` (also runnable alone).
#
# Measures `fblscope ingest` END TO END on the generated feedback-loop
# mailbox (samples/gen_mailbox.c): parse, verify with keys from a real NSD on
# loopback (tests/lib/nsd.sh), classify (the mailbox's fblscope.conf), store
# into a private PostgreSQL (tests/lib/pg.sh; a fresh, migrated database for
# every measured run).  Beside it, in the same run, `fblscope arf` over the
# same messages: the same parse + verify + classify, no database.  Then the
# peak RSS of one ingest process at several mailbox sizes.  Prints figures
# and ratios, never pass/fail.  See tests/bench/README.md and docs/bench.md.
#
# Environment:
#   BENCH_INGEST_N       mailbox for the rate rows (default 10000)
#   BENCH_INGEST_SIZES   mailboxes for the RSS rows (default
#                        "10000 100000 1000000")
#   BENCH_INGEST_SEED    generator seed (default 1)
#   BENCH_CPU            core for --jobs 1 (default 0)
#   BENCH_CPUS2          cores for --jobs 2 (default 0,1)
#   BENCH_RUNS           runs of each rate row, fastest kept (default 2)
#   BENCH_FBLSCOPE       the binary to measure (default ./fblscope)
#   BENCH_VERIFY_RATE    set by run.sh: its "fblscope verify" msgs/s, cited
#   BENCH_INGEST_NO_TABLE  set by run.sh: write the table to
#                        build/bench/out/ingest.txt only

set -u

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)

N=${BENCH_INGEST_N:-10000}
SIZES=${BENCH_INGEST_SIZES:-10000 100000 1000000}
SEED=${BENCH_INGEST_SEED:-1}
CPU=${BENCH_CPU:-0}
CPUS2=${BENCH_CPUS2:-0,1}
RUNS=${BENCH_RUNS:-2}
FBL=${BENCH_FBLSCOPE:-$root/fblscope}
PY=/usr/bin/python3
ARF_BATCH=2000		# files per `fblscope arf` process

B=$root/build/bench/ingest
OUT=$root/build/bench/out
RUN=$B/run		# the servers' state; removed at the end

say() { printf '%s\n' "$*"; }
warn() { printf 'bench ingest: %s\n' "$*" >&2; }

for v in "$N" "$SEED" "$RUNS" $SIZES; do
	case $v in ''|*[!0-9]*) warn "not a number: '$v'"; exit 2;; esac
done
[ "$N" -ge 100 ] || { warn "BENCH_INGEST_N must be at least 100"; exit 2; }
[ "$RUNS" -ge 1 ] || RUNS=1
[ -x /usr/bin/time ] || { warn "/usr/bin/time is missing"; exit 2; }
[ -x "$FBL" ] || { warn "$FBL is missing (make)"; exit 2; }
PATH=$PATH:/usr/sbin:/sbin
if ! command -v nsd >/dev/null 2>&1 || ! command -v drill >/dev/null 2>&1; then
	warn "NSD or drill missing (apt-get install nsd ldnsutils): ingest rows skipped"
	exit 0
fi
# shellcheck disable=SC2012
PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if [ ! -x "$PGBIN/pg_ctl" ]; then
	warn "no PostgreSQL server (apt-get install postgresql): ingest rows skipped"
	exit 0
fi
if command -v taskset >/dev/null 2>&1; then
	PIN1="taskset -c $CPU"
	PIN2="taskset -c $CPUS2"
else
	warn "taskset missing (util-linux): runs are not pinned"
	PIN1=""
	PIN2=""
fi
mkdir -p "$B" "$OUT" || exit 2

# ---- servers, stopped on any exit ------------------------------------------
NSD_UP=0
PG_UP=0
# shellcheck disable=SC2317
cleanup() {
	[ "$NSD_UP" = 1 ] && sh "$root/tests/lib/nsd.sh" stop "$RUN/nsd"
	[ "$PG_UP" = 1 ] && sh "$root/tests/lib/pg.sh" stop "$RUN/pg"
	NSD_UP=0
	PG_UP=0
	rm -rf "$RUN"
}
trap 'cleanup' EXIT
trap 'cleanup; trap - EXIT; exit 130' INT
trap 'cleanup; trap - EXIT; exit 143' TERM
trap 'cleanup; trap - EXIT; exit 129' HUP

free_port() {	# addr
	"$PY" - "$1" <<'EOF'
import random, socket, sys
for _ in range(200):
    port = random.randint(20000, 59999)
    socks = []
    try:
        for kind in (socket.SOCK_STREAM, socket.SOCK_DGRAM):
            s = socket.socket(socket.AF_INET, kind)
            socks.append(s)
            s.bind((sys.argv[1], port))
    except OSError:
        continue
    finally:
        for s in socks:
            s.close()
    print(port)
    sys.exit(0)
sys.exit("free_port: no free port on %s" % sys.argv[1])
EOF
}

# ---- the mailboxes, generated once per count and seed -----------------------
# build/bench/ingest/mb-nCOUNT-sSEED: samples/mailbox.sh's output; the Maildir
# is kept up to 100,000 messages (the arf row reads its files), removed above
# (the ingest runs read the mbox; 1,000,000 files would cost 4 GB and inodes).
mailbox() {	# count: prints the directory
	d=$B/mb-n$1-s$SEED
	if [ -f "$d/.done" ]; then
		printf '%s\n' "$d"
		return 0
	fi
	say "generating the $1-message mailbox (seed $SEED) into $d (once; cached) ..." >&2
	rm -rf "$d.tmp" "$d"
	t0=$(date +%s)
	nice sh "$root/samples/mailbox.sh" "$d.tmp" "$1" "$SEED" >&2 || {
		warn "mailbox generation failed"
		rm -rf "$d.tmp"
		return 1
	}
	[ "$1" -le 100000 ] || rm -rf "$d.tmp/Maildir"
	echo "$(( $(date +%s) - t0 ))" >"$d.tmp/.gen_seconds"
	touch "$d.tmp/.done"
	mv "$d.tmp" "$d" || return 1
	say "generated in $(cat "$d/.gen_seconds") s" >&2
	printf '%s\n' "$d"
}

# ---- helpers --------------------------------------------------------------
HZ=$(getconf CLK_TCK 2>/dev/null || echo 100)
busy_now() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9; exit }' \
	/proc/stat; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { if (t > 0) printf "%.0f", n / t;
	else printf "-" }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b;
	else printf "-" }'; }
psql_admin() {	# sql
	"$PGBIN/psql" -X -h 127.0.0.1 -p "$PGPORT" -U fblscope -d postgres \
	    -Atqc "$1" >/dev/null
}
fresh_db() {
	psql_admin "DROP DATABASE IF EXISTS fblscope" &&
	    psql_admin "CREATE DATABASE fblscope" &&
	    "$FBL" db migrate --db "$CONNINFO" >/dev/null
}
nsd_serve() {	# mailbox dir: NSD serving its keys.zone
	if [ "$NSD_UP" = 1 ]; then
		cmp -s "$1/keys.zone" "$RUN/served.zone" && return 0
		sh "$root/tests/lib/nsd.sh" stop "$RUN/nsd"
		NSD_UP=0
	fi
	cp "$1/keys.zone" "$RUN/served.zone" || return 1
	NSD_PORT=$(free_port "$NSD_ADDR") || return 1
	sh "$root/tests/lib/nsd.sh" start "$RUN/nsd" "$NSD_ADDR" "$NSD_PORT" \
	    ".=$RUN/served.zone" || return 1
	NSD_UP=1
}

# CPU clock ticks PostgreSQL has used: the postmaster's own and its reaped
# children's (a backend that has exited), plus its live children's.
pg_ticks() {
	_pm=$(head -n 1 "$RUN/pg/data/postmaster.pid" 2>/dev/null)
	[ -n "$_pm" ] && [ -r "/proc/$_pm/stat" ] || { echo 0; return; }
	{
		sed 's/.*) //' "/proc/$_pm/stat" | awk '{ print $12 + $13 + $14 + $15 }'
		for _c in $(cat "/proc/$_pm/task/$_pm/children" 2>/dev/null); do
			sed 's/.*) //' "/proc/$_c/stat" 2>/dev/null |
			    awk '{ print $12 + $13 }'
		done
	} | awk '{ t += $1 } END { print t + 0 }'
}

# ingest_run tag mbox-dir jobs pin: one measured run on a fresh database.
# Leaves $OUT/ingest-TAG.{time,err} and sets I_WALL I_CPU I_RSS I_READ
# I_STORED I_STORE_S I_ELAPSED I_SHARE I_WAIT I_OTHERS I_FBL_US I_PG_US.
ingest_run() {
	tag=$1 mb=$2 jobs=$3
	shift 3
	fresh_db || { warn "cannot make the database"; return 1; }
	sleep 0.3	# the migrating backend reaped
	p0=$(pg_ticks)
	b0=$(busy_now)
	# shellcheck disable=SC2086
	/usr/bin/time -o "$OUT/ingest-$tag.time" -f '%e %U %S %M' \
	    "$@" "$FBL" ingest --db "$CONNINFO" --jobs "$jobs" \
	    --resolver "$NSD_ADDR@$NSD_PORT" --config "$mb/fblscope.conf" \
	    --no-progress "$mb/mailbox.mbox" 2>"$OUT/ingest-$tag.err"
	b1=$(busy_now)
	sleep 0.3	# ingest's backend reaped
	p1=$(pg_ticks)
	# shellcheck disable=SC2046
	set -- $(awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { print $1, $2 + $3, $4 }' \
	    "$OUT/ingest-$tag.time")
	I_WALL=${1:-0} I_CPU=${2:-0} I_RSS=${3:-0}
	I_READ=$(sed -n 's/^fblscope ingest: \([0-9]*\) messages read.*/\1/p' \
	    "$OUT/ingest-$tag.err")
	I_STORED=$(sed -n 's/^fblscope ingest: .* read, \([0-9]*\) stored.*/\1/p' \
	    "$OUT/ingest-$tag.err")
	# shellcheck disable=SC2046
	set -- $(sed -n 's/^  \([0-9.]*\) s, of which \([0-9.]*\) s storing[^,]*\(, \([0-9.]*\) s waited\)*.*/\1 \2 \4/p' \
	    "$OUT/ingest-$tag.err")
	I_ELAPSED=${1:-0} I_STORE_S=${2:-0} I_WAIT=${3:--}
	I_SHARE=$(awk -v s="$I_STORE_S" -v e="$I_ELAPSED" 'BEGIN {
	    if (e > 0) printf "%.0f %%", 100 * s / e; else printf "-" }')
	# CPU per message read: fblscope's, PostgreSQL's (all its processes)
	I_FBL_US=$(awk -v c="$I_CPU" -v n="${I_READ:-0}" 'BEGIN {
	    if (n > 0) printf "%.0f", 1e6 * c / n; else printf "-" }')
	I_PG_US=$(awk -v t="$(( p1 - p0 ))" -v hz="$HZ" -v n="${I_READ:-0}" \
	    'BEGIN { if (n > 0) printf "%.0f", 1e6 * t / hz / n; else printf "-" }')
	# cores kept busy by everything but fblscope (PostgreSQL, NSD, others)
	I_OTHERS=$(awk -v b="$(( b1 - b0 ))" -v hz="$HZ" -v c="$I_CPU" \
	    -v w="$I_WALL" 'BEGIN { if (w > 0) { o = (b / hz - c) / w;
	    if (o < 0) o = 0; printf "%.2f", o } else printf "-" }')
	if [ -z "$I_READ" ]; then
		warn "ingest ($tag) printed no summary; see $OUT/ingest-$tag.err"
		I_READ=0
		I_STORED=0
		return 1
	fi
	return 0
}

# ---- start ------------------------------------------------------------------
T_START=$(date +%s)
MB=$(mailbox "$N") || exit 2
rm -rf "$RUN"
mkdir -p "$RUN" || exit 2
PGPORT=$(free_port 127.0.0.1) || exit 2
CONNINFO=$(sh "$root/tests/lib/pg.sh" start "$RUN/pg" "$PGPORT") || {
	warn "PostgreSQL did not start"
	exit 2
}
PG_UP=1
PGVER=$("$PGBIN/postgres" --version | sed 's/^[^0-9]*\([0-9][0-9.]*\).*/\1/')
NSD_ADDR=127.0.0.$(( $$ % 200 + 30 ))
nsd_serve "$MB" || { warn "NSD did not start"; exit 2; }
NKEYS=$(grep -c 'IN[[:space:]]*TXT' "$MB/keys.zone")

# the Maildir files, in mbox order, for the arf row
HAVE_ARF=0
if [ -d "$MB/Maildir/new" ]; then
	ls "$MB/Maildir/new" | sed "s|^|$MB/Maildir/new/|" >"$OUT/ingest-files"
	xargs cat <"$OUT/ingest-files" >/dev/null
	HAVE_ARF=1
fi
# warm the page cache
cat "$MB/mailbox.mbox" >/dev/null

arf_run() {	# tag: `fblscope arf` over the Maildir files, batches
	rm -f "$OUT/arf-$1.time" "$OUT"/arfbatch.*
	split -l "$ARF_BATCH" "$OUT/ingest-files" "$OUT/arfbatch."
	for f in "$OUT"/arfbatch.*; do
		# shellcheck disable=SC2046,SC2086
		/usr/bin/time -a -o "$OUT/arf-$1.time" -f '%e %U %S %M' \
		    $PIN1 "$FBL" arf --format json --config "$MB/fblscope.conf" \
		    --resolver "$NSD_ADDR@$NSD_PORT" $(cat "$f") \
		    >>"$OUT/arf-$1.json" 2>>"$OUT/arf-$1.err"
	done
	rm -f "$OUT"/arfbatch.*
	A_MSGS=$(wc -l <"$OUT/arf-$1.json" | tr -d ' ')
	# shellcheck disable=SC2046
	set -- $(awk 'NF == 4 && $1 ~ /^[0-9.]+$/ { w += $1; c += $2 + $3 }
	    END { printf "%.3f %.3f\n", w, c }' "$OUT/arf-$1.time")
	A_WALL=$1 A_CPU=$2
}

# the machine's load before the runs, servers idle: 2 s of /proc/stat
b0=$(busy_now)
sleep 2
IDLE_OTHERS=$(awk -v b="$(( $(busy_now) - b0 ))" -v hz="$HZ" \
    'BEGIN { printf "%.2f", b / hz / 2 }')

# rate rows: --jobs 1, --jobs 2 and arf alternate, the fastest of each kept
say "ingest: $RUNS runs of ingest --jobs 1, --jobs 2 and arf over $N messages ..."
J1_WALL=
J2_WALL=
AR_CPU=
r=1
while [ "$r" -le "$RUNS" ]; do
	# shellcheck disable=SC2086
	if ingest_run "j1-$r" "$MB" 1 $PIN1 &&
	    { [ -z "$J1_WALL" ] || awk -v a="$I_WALL" -v b="$J1_WALL" \
	    'BEGIN { exit !(a < b) }'; }; then
		J1_WALL=$I_WALL J1_CPU=$I_CPU J1_READ=$I_READ
		J1_STORED=$I_STORED J1_SHARE=$I_SHARE J1_OTHERS=$I_OTHERS
		J1_WAIT=$I_WAIT J1_FBL_US=$I_FBL_US J1_PG_US=$I_PG_US
		J1_ELAPSED=$I_ELAPSED J1_STORE_S=$I_STORE_S
	fi
	# shellcheck disable=SC2086
	if ingest_run "j2-$r" "$MB" 2 $PIN2 &&
	    { [ -z "$J2_WALL" ] || awk -v a="$I_WALL" -v b="$J2_WALL" \
	    'BEGIN { exit !(a < b) }'; }; then
		J2_WALL=$I_WALL J2_CPU=$I_CPU J2_READ=$I_READ
		J2_STORED=$I_STORED J2_SHARE=$I_SHARE J2_OTHERS=$I_OTHERS
		J2_FBL_US=$I_FBL_US J2_PG_US=$I_PG_US
	fi
	rm -f "$OUT/arf-$r.json" "$OUT/arf-$r.err"
	[ "$HAVE_ARF" = 1 ] && arf_run "$r"
	if [ "$HAVE_ARF" = 0 ]; then
		:
	elif [ -z "$AR_CPU" ] || awk -v a="$A_CPU" -v b="$AR_CPU" \
	    'BEGIN { exit !(a < b) }'; then
		AR_CPU=$A_CPU AR_WALL=$A_WALL AR_MSGS=$A_MSGS
	fi
	r=$((r + 1))
done

# RSS rows: one ingest --jobs 1 per size
RSS_LINES=
RSS_MIN=
RSS_MAX=
RSS_MIN_N=
RSS_MAX_N=
GEN_NOTE=
for k in $SIZES; do
	mb=$(mailbox "$k") || continue
	GEN_NOTE="$GEN_NOTE $k:$(cat "$mb/.gen_seconds" 2>/dev/null || echo '?')s"
	nsd_serve "$mb" || { warn "NSD did not start"; exit 2; }
	cat "$mb/mailbox.mbox" >/dev/null
	say "ingest: peak RSS over $k messages ..."
	t0=$(date +%s)
	# shellcheck disable=SC2086
	ingest_run "rss-$k" "$mb" 1 $PIN1 || continue
	mbsize=$(du -m "$mb/mailbox.mbox" | cut -f1)
	rss=$(awk -v k="$I_RSS" 'BEGIN { printf "%.1f", k / 1024 }')
	line=$(printf '  %-32s %9s %11s  %-9s %-26s %s' \
	    "ingest --jobs 1, $k msgs" "$(rate "$I_READ" "$I_WALL")" \
	    "$(rate "$I_READ" "$I_CPU")" "$I_SHARE" "peak RSS $rss MB" \
	    "$I_READ read, $I_STORED stored ($mbsize MB mbox, $(( $(date +%s) - t0 )) s)")
	RSS_LINES="$RSS_LINES
$line"
	if [ -z "$RSS_MIN" ]; then
		RSS_MIN=$rss RSS_MIN_N=$k
	fi
	RSS_MAX=$rss RSS_MAX_N=$k
done

# ---- the table ------------------------------------------------------------
row() {	# name wall-rate cpu-rate storing compared messages
	printf '  %-32s %9s %11s  %-9s %-26s %s\n' "$1" "$2" "$3" "$4" "$5" "$6" |
	    sed 's/[[:space:]]*$//'
}
{
say ""
say "ingest: \`fblscope ingest\` END TO END on the generated feedback-loop mailbox (seed $SEED, the mbox):"
say "parse; verify, keys from NSD on $NSD_ADDR ($NKEYS TXT records of keys.zone; the key cache is warm"
say "after each key's first message, which is what any run does); classify (--config); store into"
say "PostgreSQL $PGVER on 127.0.0.1 (fresh migrated database per run, fsync off, UNPINNED: it runs on"
say "whichever core is free). fblscope pinned: --jobs 1 on cpu $CPU, --jobs 2 on cpus $CPUS2. Fastest of $RUNS runs."
say "msgs/s: messages read per wall-clock s; CPU msgs/s: per s of fblscope's user+sys (PostgreSQL's"
say "CPU not included); storing: the summary's \"Y s storing\" over its elapsed X s."
say ""
row "" "msgs/s" "CPU msgs/s" "storing" "compared" "messages"
row "ingest --jobs 1 ($N msgs)" "$(rate "$J1_READ" "$J1_WALL")" \
    "$(rate "$J1_READ" "$J1_CPU")" "$J1_SHARE" "" \
    "$J1_READ read, $J1_STORED stored"
J1W=$(rate "$J1_READ" "$J1_WALL")
J2W=$(rate "$J2_READ" "$J2_WALL")
row "ingest --jobs 2" "$J2W" "$(rate "$J2_READ" "$J2_CPU")" "$J2_SHARE" \
    "$(ratio "$J2W" "$J1W") x --jobs 1 (wall)" \
    "$J2_READ read, $J2_STORED stored"
if [ "$HAVE_ARF" = 1 ]; then
	ARW=$(rate "$AR_MSGS" "$AR_WALL")
	ARC=$(rate "$AR_MSGS" "$AR_CPU")
	row "arf: same, no database" "$ARW" "$ARC" "" \
	    "ingest is $(ratio "$J1W" "$ARW") x (wall)" "$AR_MSGS messages"
else
	say "  arf: no Maildir kept above 100000 messages (BENCH_INGEST_N)"
	AR_MSGS=0
fi
if [ -n "$RSS_LINES" ]; then
	say "$RSS_LINES"
fi
say ""
say "  storing, --jobs 1: $J1_STORE_S s of $J1_ELAPSED s ($J1_SHARE), in a storer thread beside reading and"
say "  verifying; reading waited $J1_WAIT s of it (storing not overlapped)."
say "  CPU per message read, --jobs 1: fblscope $J1_FBL_US us, PostgreSQL $J1_PG_US us; --jobs 2: fblscope"
say "  $J2_FBL_US us, PostgreSQL $J2_PG_US us (all its processes, from /proc). With PostgreSQL on the same"
say "  $(nproc 2>/dev/null || echo '?') cores, --jobs 2 cannot pass cores / (fblscope + PostgreSQL) = $(awk -v f="$J2_FBL_US" \
    -v p="$J2_PG_US" -v c="$(nproc 2>/dev/null || echo 2)" 'BEGIN { if (f + p > 0) printf "%.0f", c * 1e6 / (f + p); else printf "-" }') msgs/s, while --jobs 1,"
say "  storing on the other core, is bounded by the larger of the two: $(awk -v f="$J1_FBL_US" -v p="$J1_PG_US" \
    'BEGIN { m = f > p ? f : p; if (m > 0) printf "%.0f", 1e6 / m; else printf "-" }') msgs/s."
say "  PostgreSQL (and other processes) kept $J1_OTHERS cores busy during --jobs 1, $J2_OTHERS during --jobs 2;"
say "  just before the runs, servers idle, other processes kept $IDLE_OTHERS cores busy (0.00 on a quiet machine)."
if awk -v o="$IDLE_OTHERS" 'BEGIN { exit !(o > 0.2) }'; then
	say "  !! other processes shared the cores: the wall-clock figures (all the msgs/s, the"
	say "  !! --jobs 2 ratio) are unreliable in this run."
fi
if [ -n "$RSS_MAX" ]; then
	say "  peak RSS $RSS_MAX_N / $RSS_MIN_N messages: $RSS_MAX MB / $RSS_MIN MB = $(ratio "$RSS_MAX" "$RSS_MIN") x"
fi
say "  arf row: \`fblscope arf --format json --config --resolver\` over the same messages (Maildir files,"
say "  $ARF_BATCH per process): the same parse + verify + classify without the database, hence the reference."
say "  It counts the $(( AR_MSGS - J1_READ )) empty files that ingest skips in the mbox."
if [ -n "${BENCH_VERIFY_RATE:-}" ]; then
	say "  fblscope verify (row above, the verify set: 32 KB messages, RSA-2048): $BENCH_VERIFY_RATE msgs/CPU s."
fi
say "  mailbox generation (once, cached in build/bench/ingest/):$GEN_NOTE; this part took $(( $(date +%s) - T_START )) s."
say "  Raw outputs: $OUT/ingest-* and arf-*"
} >"$OUT/ingest.txt"
# run.sh prints it inside its own table
[ -n "${BENCH_INGEST_NO_TABLE:-}" ] || cat "$OUT/ingest.txt"
exit 0
