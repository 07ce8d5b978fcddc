#!/bin/sh
# SPDX-License-Identifier: ISC
# imap.sh: `fblscope ingest imaps://...` against a real Dovecot on loopback
# (tests/lib/dovecot.sh: its own CA, user and Maildir) and a private
# PostgreSQL (tests/lib/pg.sh).  The IMAP source is fbl/source/imap.c; its
# promises are in fbl/source/mailsource.h.
#
#   imap/imaps/*        the sample messages read over implicit TLS with the
#                       test CA: stored, moved to the processed folder
#   imap/rerun/*        nothing new; the same messages delivered again:
#                       duplicates, counted once, moved
#   imap/refused/*      another CA, the system CAs, a wrong password, a
#                       password in the URL: exit 2, a clear reason,
#                       nothing moved
#   imap/starttls/*     imap:// (STARTTLS required) on the other port
#   imap/pg-down/*      PostgreSQL stopped before the run, then during a
#                       watch: exit 2, nothing moved; after a restart the
#                       messages are stored once
#   imap/uidvalidity/*  the folder re-created (another UIDVALIDITY): read
#                       anew, duplicates counted once
#   imap/watch/*        --watch picks up a message delivered after its
#                       start, and ends on SIGTERM with 3
#   imap/big/*          10,000 generated feedback messages (samples/mailbox.sh):
#                       counts equal an ingest of the same Maildir and the
#                       generator's manifest, every message moved once, peak
#                       RSS under BIG_RSS_KB, the rate on a '# ' line; then
#                       AGAIN_N of them again behind a gap of UIDs
#   imap/restart/*      Dovecot stopped while a run reads RESTART_N of them
#                       and kept down until the run ends: exit 2 naming the
#                       folder; started again, the next run stores the
#                       rest, every message once, and moves each once
#   imap/bounce/*       Dovecot stopped and started at once while a run
#                       reads: the run either goes on over a new connection
#                       (libcurl reconnects between commands) or ends with
#                       2 saying why; after a second run every message is
#                       stored once and moved once
#   imap/two-runs/*     two ingests of one folder at once: one reads it, the
#                       other leaves it (a PostgreSQL advisory lock): every
#                       message stored once and moved once
. "$(dirname "$0")/../lib/common.sh"
. "$FBL_ROOT/tests/lib/mailbox_rows.sh"

T=$FBL_TMP
DOVE=$FBL_ROOT/tests/lib/dovecot.sh
PGSH=$FBL_ROOT/tests/lib/pg.sh
S=$FBL_ROOT/samples
BIG_N=${FBL_IMAP_BIG_N:-10000}
# the messages read again behind a gap of UIDs, and those read when
# Dovecot is restarted mid-run
AGAIN_N=1000
RESTART_N=${FBL_IMAP_RESTART_N:-3000}
# one message at a time and two batches of 100 held: far below this
BIG_RSS_KB=65536

if ! need_cmd psql openssl || ! [ -x /usr/sbin/dovecot ]; then
	skip imap/all "dovecot (dovecot-imapd), psql or openssl missing"
	exit 0
fi
if ! [ -x /usr/bin/time ]; then
	skip imap/all "GNU time (/usr/bin/time) missing"
	exit 0
fi

if ! sh "$PGSH" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok imap/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$PGSH' stop '$T/pg'"
DB=$(cat "$T/conninfo")
conn() { printf '%s' "$DB" | sed "s/dbname=[^ ]*/dbname=$1/"; }
q() { psql "$DB" -X -Atqc "$1"; }
"$FBL_BIN" db migrate --db "$DB" > /dev/null
check_eq imap/migrate "$?" 0

ADDR=127.0.0.$((20 + $$ % 200))
P143=$(free_port "$ADDR")
P993=$(free_port "$ADDR")
while [ "$P993" = "$P143" ]; do P993=$(free_port "$ADDR"); done
D=$T/dovecot
if ! sh "$DOVE" start "$D" "$ADDR" "$P143" "$P993" 2> "$T/dove.err"; then
	not_ok imap/start-dovecot "$(cat "$T/dove.err")"
	exit 1
fi
at_exit "sh '$DOVE' stop '$D'"
ok imap/start-dovecot

IMAPS="imaps://fbl@$ADDR:$P993/Feedback"
# the demo configuration, with the IMAP keys (the password by file only)
{ cat "$S/fblscope.conf"
  printf 'imap-password-file %s\n' "$D/password"
  printf 'imap-ca-file %s\n' "$D/ca.pem"
  printf 'imap-processed-folder Done\n'
} > "$T/imap.conf"
CFG="--config $T/imap.conf --zone $S/zones/demo.zone"
count() { sh "$DOVE" count "$D" "$1"; }
seed() { sh "$DOVE" seed "$D" "$@"; }
# the numbers of the key=value summary line
field() {	# err-file key
	sed -n "s/^fblscope ingest: summary.* $2=\([0-9]*\).*/\1/p" "$1" | tail -n 1
}
# at exit, a watch still running (and only it: the pid may be reused)
stop_watch() {	# pid
	grep -q fblscope "/proc/$1/cmdline" 2>/dev/null && kill "$1" 2>/dev/null
}
run() {	# out-prefix args...; status in $rc
	_o=$1
	shift
	"$FBL_BIN" ingest --db "$DB" --no-progress "$@" > "$_o.out" 2> "$_o.err"
	rc=$?
}

# ---- imaps, with the test CA ------------------------------------------------
nsamples=$(ls "$S"/mail/*.eml | wc -l)
seed Feedback "$S"/mail/*.eml
run "$T/i1" $CFG "$IMAPS"
check_eq imap/imaps/exit "$rc" 0 "$(tail -n 3 "$T/i1.err")"
check_eq imap/imaps/read "$(field "$T/i1.err" read)" "$nsamples"
check_eq imap/imaps/rows "$(q "SELECT count(*) FROM report WHERE kind = 'sample'")" "$nsamples"
check_eq imap/imaps/moved "$(count Feedback) $(count Done)" "0 $nsamples"
check_eq imap/imaps/origin \
    "$(q "SELECT count(*) FROM report WHERE source LIKE 'imaps://fbl@$ADDR:$P993/Feedback;UID=%'")" "$nsamples" \
    "report.source names the folder and the UID, never a password"
# the verdicts are those of the same files read from disk (IMAP hands them
# over with CRLF line ends: other bytes, other fingerprints, same results)
psql "$DB" -X -qc "CREATE DATABASE files" > /dev/null &&
    "$FBL_BIN" db migrate --db "$(conn files)" > /dev/null &&
    "$FBL_BIN" ingest --db "$(conn files)" --no-progress $CFG "$S"/mail/*.eml 2> /dev/null
SIGQ="SELECT s.result || ' ' || s.reason || ' ' || s.role FROM signature s ORDER BY 1"
check_eq imap/imaps/verdicts-as-files "$(q "$SIGQ" | md5sum)" \
    "$(psql "$(conn files)" -X -Atqc "$SIGQ" | md5sum)"

# ---- again: nothing new; the same messages again: counted once --------------
run "$T/i2" $CFG "$IMAPS"
check_eq imap/rerun/exit "$rc" 0
check_eq imap/rerun/nothing-read "$(field "$T/i2.err" read)" 0
seed Feedback "$S"/mail/*.eml
run "$T/i3" $CFG "$IMAPS"
check_eq imap/rerun/redelivered "$rc $(field "$T/i3.err" stored) $(field "$T/i3.err" duplicates)" \
    "0 0 $nsamples" "exit, stored, duplicates"
check_eq imap/rerun/rows "$(q "SELECT count(*) FROM report")" "$nsamples"
check_eq imap/rerun/moved "$(count Feedback) $(count Done)" "0 $((2 * nsamples))"

# ---- refused: each exits 2 and moves nothing ---------------------------------
seed Feedback "$S/mail/01-good.eml"
run "$T/ca" $CFG --imap-ca-file "$D/other-ca.pem" "$IMAPS"
check_eq imap/refused/other-ca "$rc" 2
if grep -q "certificate" "$T/ca.err"; then
	ok imap/refused/other-ca-said
else
	not_ok imap/refused/other-ca-said "$(head -n 2 "$T/ca.err")"
fi
grep -v '^imap-ca-file' "$T/imap.conf" > "$T/noca.conf"
run "$T/sysca" --config "$T/noca.conf" --zone "$S/zones/demo.zone" "$IMAPS"
check_eq imap/refused/system-cas "$rc $(grep -c certificate "$T/sysca.err")" "2 1"
(umask 077; echo not-the-password > "$T/wrong.pw")
secret=$(cat "$D/password")
rows_before=$(q "SELECT count(*) FROM report")
run "$T/pw" $CFG --imap-password-file "$T/wrong.pw" "$IMAPS"
check_eq imap/refused/wrong-password "$rc $(grep -c 'Login denied' "$T/pw.err")" "2 1" \
    "$(head -n 1 "$T/pw.err")"
check_eq imap/refused/wrong-password-names-server \
    "$(grep -c "^imaps://fbl@$ADDR:$P993/Feedback: cannot connect or log in: " "$T/pw.err")" 1 \
    "$(head -n 1 "$T/pw.err")"
check_eq imap/refused/wrong-password-not-printed \
    "$(cat "$T/pw.out" "$T/pw.err" | grep -c -e not-the-password -e "$secret")" 0
check_eq imap/refused/wrong-password-nothing-stored \
    "$(q "SELECT count(*) FROM report") $(field "$T/pw.err" read)" "$rows_before 0"
run "$T/url" $CFG "imaps://fbl:$secret@$ADDR:$P993/Feedback"
check_eq imap/refused/password-in-url "$rc $(grep -c 'password in the URL' "$T/url.err")" "2 1"
check_eq imap/refused/password-not-repeated "$(grep -c "$secret" "$T/url.err")" 0
chmod 0644 "$D/password"
run "$T/mode" $CFG "$IMAPS"
check_eq imap/refused/password-file-mode "$rc $(grep -c 'imap-password-file has mode' "$T/mode.err")" "2 1"
chmod 0600 "$D/password"
check_eq imap/refused/nothing-moved "$(count Feedback) $(count Done)" "1 $((2 * nsamples))"

# ---- STARTTLS -----------------------------------------------------------------
run "$T/st" $CFG "imap://fbl@$ADDR:$P143/Feedback"
check_eq imap/starttls/exit "$rc $(field "$T/st.err" read)" "0 1" "$(head -n 2 "$T/st.err")"
check_eq imap/starttls/moved "$(count Feedback)" 0
# Dovecot refuses a login in clear (disable_plaintext_auth): it was TLS
if tail -n 5 "$D/dovecot.log" | grep 'Login: user=<fbl>' | tail -n 1 | grep -q TLS; then
	ok imap/starttls/tls
else
	not_ok imap/starttls/tls "$(grep 'Login:' "$D/dovecot.log" | tail -n 1)"
fi

# ---- PostgreSQL down ----------------------------------------------------------
# three messages no run has seen: a sample with another Message-ID each
mkdir -p "$T/new"
for i in 1 2 3 4 5; do
	sed "s/^Message-ID: <\(.*\)>/Message-ID: <pgdown$i.\1>/I" "$S/mail/01-good.eml" > "$T/new/$i.eml"
done
seed Feedback "$T/new/1.eml" "$T/new/2.eml" "$T/new/3.eml"
sh "$PGSH" stop "$T/pg"
run "$T/down" $CFG "$IMAPS"
check_eq imap/pg-down/before-exit "$rc" 2
check_eq imap/pg-down/before-nothing-moved "$(count Feedback)" 3
sh "$PGSH" restart "$T/pg"
run "$T/up" $CFG "$IMAPS"
check_eq imap/pg-down/after "$rc $(field "$T/up.err" stored) $(field "$T/up.err" duplicates)" "0 3 0"
check_eq imap/pg-down/after-moved "$(count Feedback)" 0

# in the middle of a watch: the pass that cannot store ends the run
"$FBL_BIN" ingest --db "$DB" --no-progress $CFG --watch=1 "$IMAPS" \
    > "$T/w1.out" 2> "$T/w1.err" &
wpid=$!
at_exit "stop_watch $wpid"
seed Feedback "$T/new/4.eml"
i=0
while [ "$(count Feedback)" != 0 ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq imap/pg-down/watch-first-stored "$(count Feedback) $(q "SELECT count(*) FROM report")" \
    "0 $((nsamples + 4))"
sh "$PGSH" stop "$T/pg"
seed Feedback "$T/new/5.eml"
i=0
while kill -0 $wpid 2>/dev/null && [ $i -lt 150 ]; do
	sleep 0.1
	i=$((i + 1))
done
wait $wpid
check_eq imap/pg-down/watch-exit "$?" 2 "$(tail -n 2 "$T/w1.err")"
check_eq imap/pg-down/watch-nothing-moved "$(count Feedback)" 1
sh "$PGSH" restart "$T/pg"
run "$T/up2" $CFG "$IMAPS"
check_eq imap/pg-down/watch-after "$rc $(field "$T/up2.err" stored) $(field "$T/up2.err" duplicates)" "0 1 0"
check_eq imap/pg-down/rows-once "$(q "SELECT count(*) FROM report")" "$((nsamples + 5))"

# ---- UIDVALIDITY: the folder deleted and made again ----------------------------
v1=$(sh "$DOVE" uidvalidity "$D" Feedback)
rm -rf "$D/home/fbl/Maildir/.Feedback"
sleep 1		# Dovecot's UIDVALIDITY is a time in seconds
sed "s/^Message-ID: <\(.*\)>/Message-ID: <uidv.\1>/I" "$S/mail/01-good.eml" > "$T/new/uidv.eml"
seed Feedback "$S"/mail/*.eml "$T/new/uidv.eml"
run "$T/uv" $CFG "$IMAPS"
v2=$(sh "$DOVE" uidvalidity "$D" Feedback)
if [ -n "$v1" ] && [ -n "$v2" ] && [ "$v1" != "$v2" ]; then
	ok imap/uidvalidity/changed
else
	not_ok imap/uidvalidity/changed "UIDVALIDITY '$v1' then '$v2'"
fi
check_eq imap/uidvalidity/read-anew \
    "$rc $(field "$T/uv.err" read) $(field "$T/uv.err" stored) $(field "$T/uv.err" duplicates)" \
    "0 $((nsamples + 1)) 1 $nsamples" "exit, read, stored, duplicates"
check_eq imap/uidvalidity/moved "$(count Feedback)" 0

# ---- watch --------------------------------------------------------------------
before=$(count Done)
"$FBL_BIN" ingest --db "$DB" --no-progress $CFG --watch=1 "$IMAPS" \
    > "$T/w2.out" 2> "$T/w2.err" &
wpid=$!
at_exit "stop_watch $wpid"
sleep 1.5
sed "s/^Message-ID: <\(.*\)>/Message-ID: <watch.\1>/I" "$S/mail/01-good.eml" > "$T/new/watch.eml"
seed Feedback "$T/new/watch.eml"
i=0
while [ "$(count Done)" = "$before" ] && [ $i -lt 100 ]; do
	sleep 0.1
	i=$((i + 1))
done
check_eq imap/watch/picked-up "$(count Feedback) $(count Done)" "0 $((before + 1))"
check_eq imap/watch/running "$(kill -0 $wpid 2>/dev/null && echo yes)" yes
kill -TERM $wpid
wait $wpid
check_eq imap/watch/sigterm-exit "$?" 3 "$(tail -n 2 "$T/w2.err")"
check_eq imap/watch/said-pass "$(grep -c '^fblscope ingest: pass .* read=1 stored=1' "$T/w2.err")" 1
check_eq imap/watch/stored "$(q "SELECT count(*) FROM report")" "$((nsamples + 7))"

# ---- a big folder ---------------------------------------------------------------
if ! sh "$S/mailbox.sh" "$T/mb" "$BIG_N" 7 > "$T/gen.log" 2>&1; then
	not_ok imap/big/generate "$(tail -n 3 "$T/gen.log")"
	exit 1
fi
for d in ref big; do
	psql "$DB" -X -qc "CREATE DATABASE $d" > /dev/null &&
	    "$FBL_BIN" db migrate --db "$(conn $d)" > /dev/null
done
{ cat "$T/mb/fblscope.conf"
  printf 'imap-password-file %s\n' "$D/password"
  printf 'imap-ca-file %s\n' "$D/ca.pem"
} > "$T/big.conf"
BCFG="--config $T/big.conf --zone $T/mb/keys.zone --batch 100"
"$FBL_BIN" ingest --db "$(conn ref)" --no-progress $BCFG --keep "$T/mb/Maildir" 2> "$T/ref.err"
seed Big "$T"/mb/Maildir/new/*
/usr/bin/time -f 'rss_kb=%M seconds=%e' -o "$T/big.time" \
    "$FBL_BIN" ingest --db "$(conn big)" --no-progress $BCFG "imaps://fbl@$ADDR:$P993/Big" \
    > "$T/big.out" 2> "$T/big.err"
rc=$?
rss=$(sed -n 's/^rss_kb=\([0-9]*\) .*/\1/p' "$T/big.time")
secs=$(sed -n 's/.* seconds=//p' "$T/big.time")
echo "big: $BIG_N messages over IMAP: peak RSS $rss KB; $(grep '^fblscope ingest: summary' "$T/big.err")" >&2
awk -v n="$BIG_N" -v s="$secs" -v r="$rss" 'BEGIN { if (s > 0)
    printf "# imap: %d generated messages read over IMAPS, stored and moved in %.2f s: %.0f messages/s, peak RSS %d KB\n", n, s, n / s, r }'
check_eq imap/big/exit "$rc" 1 "the mailbox holds unparseable and empty messages"
if [ -n "$rss" ] && [ "$rss" -lt "$BIG_RSS_KB" ]; then
	ok imap/big/rss
else
	not_ok imap/big/rss "peak RSS '$rss' KB, ceiling $BIG_RSS_KB KB"
fi
KQ="SELECT kind || ' ' || complaint || ' ' || count(*) FROM report GROUP BY kind, complaint ORDER BY 1"
check_eq imap/big/kinds-as-maildir "$(psql "$(conn big)" -X -Atqc "$KQ" | tr '\n' ' ')" \
    "$(psql "$(conn ref)" -X -Atqc "$KQ" | tr '\n' ' ')"
SQ="SELECT result || ' ' || reason || ' ' || role || ' ' || count(*) FROM signature GROUP BY result, reason, role ORDER BY 1"
check_eq imap/big/verdicts-as-maildir "$(psql "$(conn big)" -X -Atqc "$SQ" | md5sum)" \
    "$(psql "$(conn ref)" -X -Atqc "$SQ" | md5sum)"
quarantined=$(sed -n 's/^fblscope ingest: .* \([0-9]*\) quarantined,.*/\1/p' "$T/big.err")
check_eq imap/big/every-message-moved-once \
    "$(count Big) $(($(count Processed) + $(count Quarantine))) $(count Quarantine)" \
    "0 $BIG_N $quarantined" "left, moved, quarantined"
check_eq imap/big/empty-quarantined "$quarantined" \
    "$(($(field "$T/ref.err" unreadable) + $(field "$T/ref.err" unparseable)))" \
    "the Maildir run's unreadable (empty) and unparseable"

# every message as the generator's manifest says (IMAP's CRLF line ends)
mailbox_rows "$(conn big)" "$T/big.rows" "$T/big.daily"
$PYTHON "$FBL_ROOT/tests/lib/mailbox_check.py" "$T/mb" "$T/big.rows" "$T/big.daily" \
    imap/big --standing --crlf

# some of the same messages again, their UIDs now behind a gap of BIG_N
ls "$T"/mb/Maildir/new/* | head -n "$AGAIN_N" > "$T/again.list"
anonempty=$(while read -r f; do [ -s "$f" ] && echo; done < "$T/again.list" | wc -l)
# shellcheck disable=SC2046
seed Big $(cat "$T/again.list")
"$FBL_BIN" ingest --db "$(conn big)" --no-progress $BCFG "imaps://fbl@$ADDR:$P993/Big" \
    > "$T/big2.out" 2> "$T/big2.err"
rc=$?
check_eq imap/big/again-stored-nothing "$(field "$T/big2.err" read) $(field "$T/big2.err" stored)" \
    "$anonempty 0" "read, stored"
check_eq imap/big/again-moved "$(count Big) $(($(count Processed) + $(count Quarantine)))" \
    "0 $((BIG_N + AGAIN_N))"

# ---- Dovecot gone mid-run ------------------------------------------------------------
# The run loses its connection and cannot make another: it ends with exit 2
# and says why, having moved only what it committed; the next run stores
# the rest, each message once, and moves every one once.  The run is held
# (SIGSTOP) while the server stops, so that it cannot finish first, and
# the server stays down until the run has ended: stopped and started at
# once, a stop between two commands is not seen at all (libcurl connects
# again), which imap/bounce/* tests.
# A run of FOLDER into a new database DBNAME, started in the background
# and held (SIGSTOP) once it has moved 300 messages, so that a run faster
# than the server's stop cannot end before it; its pid in $run_pid,
# its output in $T/DBNAME1.{out,err}.  moved_before: what was moved before.
run_held() {	# dbname folder
	psql "$DB" -X -qc "CREATE DATABASE $1" > /dev/null &&
	    "$FBL_BIN" db migrate --db "$(conn "$1")" > /dev/null
	moved_before=$(($(count Processed) + $(count Quarantine)))
	# shellcheck disable=SC2046
	seed "$2" $(cat "$T/restart.list")
	"$FBL_BIN" ingest --db "$(conn "$1")" --no-progress $BCFG \
	    "imaps://fbl@$ADDR:$P993/$2" > "$T/${1}1.out" 2> "$T/${1}1.err" &
	run_pid=$!
	at_exit "stop_watch $run_pid"
	_i=0
	while [ $(($(count Processed) + $(count Quarantine) - moved_before)) -lt 300 ] &&
	    [ $_i -lt 300 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	kill -STOP $run_pid 2>/dev/null
}
ls "$T"/mb/Maildir/new/* | head -n "$RESTART_N" > "$T/restart.list"
rnonempty=$(while read -r f; do [ -s "$f" ] && echo; done < "$T/restart.list" | wc -l)
RURL="imaps://fbl@$ADDR:$P993/Restart"
run_held restart Restart
rpid=$run_pid
midrun=$(kill -0 $rpid 2>/dev/null && echo yes)
sh "$DOVE" stop "$D"
kill -CONT $rpid 2>/dev/null
wait $rpid
rc=$?
if ! sh "$DOVE" start "$D" "$ADDR" "$P143" "$P993" 2> "$T/dove2.err"; then
	not_ok imap/restart/start-again "$(cat "$T/dove2.err")"
	exit 1
fi
check_eq imap/restart/mid-run "$midrun" yes "the run ended before the server stopped"
check_eq imap/restart/exit "$rc" 2 "$(tail -n 3 "$T/restart1.err")"
if grep -q "^$RURL: " "$T/restart1.err"; then
	ok imap/restart/said-why
else
	not_ok imap/restart/said-why "$(grep -v '^  ' "$T/restart1.err" | head -n 3)"
fi
left=$(count Restart)
moved1=$(($(count Processed) + $(count Quarantine) - moved_before))
check_eq imap/restart/moved-only-committed \
    "$((left + moved1)) $([ "$left" -gt 0 ] && echo some-left)" "$RESTART_N some-left" \
    "left plus moved, then whether the run stopped short"
rs2_db=$(conn restart)
"$FBL_BIN" ingest --db "$rs2_db" --no-progress $BCFG "$RURL" > "$T/rs2.out" 2> "$T/rs2.err"
rc=$?
# 1 when what was left holds an unparseable or empty message
case $rc in
0|1) ok imap/restart/rerun-exit ;;
*) not_ok imap/restart/rerun-exit "exit $rc: $(grep -v '^  ' "$T/rs2.err" | head -n 2)" ;;
esac
check_eq imap/restart/stored-once \
    "$(psql "$rs2_db" -X -Atqc "SELECT (SELECT count(*) FROM report), (SELECT sum(count) FROM daily_report)" | tr '|' ' ')" \
    "$rnonempty $rnonempty" "report rows, reports counted in daily_report"
check_eq imap/restart/moved-once \
    "$(count Restart) $(($(count Processed) + $(count Quarantine) - moved_before))" "0 $RESTART_N"

# ---- Dovecot stopped and started at once mid-run -----------------------------------
BURL="imaps://fbl@$ADDR:$P993/Bounce"
run_held bounce Bounce
bpid=$run_pid
bn_db=$(conn bounce)
sh "$DOVE" stop "$D"
if ! sh "$DOVE" start "$D" "$ADDR" "$P143" "$P993" 2> "$T/dove3.err"; then
	not_ok imap/bounce/start-again "$(cat "$T/dove3.err")"
	exit 1
fi
kill -CONT $bpid 2>/dev/null
wait $bpid
rc=$?
# 1: the folder holds empty and unparseable messages (quarantined)
case $rc in
1) ok imap/bounce/first-run ;;
2)	if grep -q "^$BURL: " "$T/bounce1.err"; then
		ok imap/bounce/first-run
	else
		not_ok imap/bounce/first-run "exit 2 without the folder's reason: $(grep -v '^  ' "$T/bounce1.err" | head -n 2)"
	fi ;;
*) not_ok imap/bounce/first-run "exit $rc: $(tail -n 2 "$T/bounce1.err")" ;;
esac
"$FBL_BIN" ingest --db "$bn_db" --no-progress $BCFG "$BURL" > "$T/bn2.out" 2> "$T/bn2.err"
rc=$?
case $rc in
0|1) ok imap/bounce/second-run ;;
*) not_ok imap/bounce/second-run "exit $rc: $(grep -v '^  ' "$T/bn2.err" | head -n 2)" ;;
esac
check_eq imap/bounce/stored-once \
    "$(psql "$bn_db" -X -Atqc "SELECT (SELECT count(*) FROM report), (SELECT sum(count) FROM daily_report)" | tr '|' ' ')" \
    "$rnonempty $rnonempty" "report rows, reports counted in daily_report"
check_eq imap/bounce/moved-once \
    "$(count Bounce) $(($(count Processed) + $(count Quarantine) - moved_before))" "0 $RESTART_N"

# ---- two runs at once over one folder ---------------------------------------------
psql "$DB" -X -qc "CREATE DATABASE two" > /dev/null &&
    "$FBL_BIN" db migrate --db "$(conn two)" > /dev/null
ls "$T"/mb/Maildir/new/* | head -n 300 > "$T/two.list"
nonempty=$(while read -r f; do [ -s "$f" ] && echo; done < "$T/two.list" | wc -l)
moved_before=$(($(count Processed) + $(count Quarantine)))
# shellcheck disable=SC2046
seed Two $(cat "$T/two.list")
for r in a b; do
	"$FBL_BIN" ingest --db "$(conn two)" --no-progress $BCFG \
	    "imaps://fbl@$ADDR:$P993/Two" > "$T/two-$r.out" 2> "$T/two-$r.err" &
	eval "pid_$r=\$!"
done
wait "$pid_a"
rc_a=$?
wait "$pid_b"
rc_b=$?
# one run has the folder (exit 1: unparseable and empty messages), the
# other finds it taken, or empty once the first is done (exit 0)
check_eq imap/two-runs/exits "$(printf '%s\n' "$rc_a" "$rc_b" | sort | tr '\n' ' ')" "0 1 " \
    "$(grep -hv '^  ' "$T/two-a.err" "$T/two-b.err" | grep -v 'fblscope ingest' | head -n 3)"
check_eq imap/two-runs/stored-once \
    "$(psql "$(conn two)" -X -Atqc "SELECT count(*) FROM report") $(($(field "$T/two-a.err" stored) + $(field "$T/two-b.err" stored)))" \
    "$nonempty $nonempty" "rows, stored by the two runs together"
check_eq imap/two-runs/moved-once "$(count Two) $(($(count Processed) + $(count Quarantine) - moved_before))" \
    "0 300"

fbl_done
exit $?
