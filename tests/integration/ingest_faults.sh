#!/bin/sh
# SPDX-License-Identifier: ISC
# ingest_faults.sh: the fault behaviour promised for `fblscope ingest`
# (exactly-once storage, fbl/store/ingest.h, fbl/source/mailsource.h, fbl/store/store_batch.h)
# against a private PostgreSQL (tests/lib/pg.sh), with the generated
# feedback-loop mailbox (samples/mailbox.sh) in its Maildir and mbox forms.
#
# The expected values come from an uninterrupted reference run of the same
# mailbox into a separate database of the same cluster ("ref" for the
# Maildir, "refm" for the mbox) and from SQL over the rows:
#   reference/*   the reference runs; the aggregates equal the rows
#   twice/*       the same mailbox again (cur/ read with --include-cur):
#                 nothing new, all duplicates
#   kill-maildir/*, kill-mbox/*
#                 the server killed (immediate shutdown) in the middle of a
#                 run: exit 2, whole batches stored, Maildir files in cur/
#                 stored and files in new/ not, then restart and a second
#                 run give exactly the reference
#   concurrent/*  two ingests of one Maildir at once give exactly the
#                 reference, and their stored counts add up to its count
#   durable/*     the kill again, in a database left at the cluster's
#                 synchronous_commit = off: every file moved to cur/ is
#                 still stored after the restart (issue 11, item 12: a
#                 batch commits durably whatever the server's setting)
#   sigterm/*     SIGTERM in the middle of a run: exit 3, the batch in
#                 flight finished and committed, its files in cur/, the
#                 rest in new/; a second run gives exactly the reference
#
# Files that can never be stored (empty ones; garbage, stored as
# unparseable) leave the Maildir for its .quarantine/cur/; the rest ends in
# cur/ with the S flag.
#
# Knobs: FBL_FAULTS_N (messages, default 3000), FBL_FAULTS_BATCH (default 50).
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
N=${FBL_FAULTS_N:-3000}
BATCH=${FBL_FAULTS_BATCH:-50}
PGSH=$FBL_ROOT/tests/lib/pg.sh

PGBIN=${PGBIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
if ! need_cmd psql sha256sum || [ ! -x "${PGBIN:-/nonexistent}/pg_ctl" ]; then
	skip ingest-faults/all "psql, sha256sum or the PostgreSQL server binaries missing"
	exit 0
fi

if ! sh "$FBL_ROOT/samples/mailbox.sh" "$T/mb" "$N" 11 > "$T/gen.log" 2>&1; then
	not_ok ingest-faults/generate "$(tail -3 "$T/gen.log")"
	exit 1
fi
if ! sh "$PGSH" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok ingest-faults/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$PGSH' stop '$T/pg'"
BASE=$(cat "$T/conninfo")
ADMIN="$BASE"
conn() { printf '%s' "$BASE" | sed "s/dbname=[^ ]*/dbname=$1/"; }
q() {	# db sql
	psql "$(conn "$1")" -X -Atqc "$2"
}

for d in ref refm fault faultm conc durable term; do
	psql "$ADMIN" -X -qc "CREATE DATABASE $d" > /dev/null 2>> "$T/setup.err" &&
	    "$FBL_BIN" db migrate --db "$(conn "$d")" > /dev/null 2>> "$T/setup.err" ||
	    { not_ok ingest-faults/setup "database $d: $(tail -2 "$T/setup.err")"; exit 1; }
done
# pg.sh runs the cluster with synchronous_commit=off, for speed: a crash
# would then lose the last transactions the server had already confirmed,
# which no client can make up for.  The fault databases get the durable
# default back, so that what the ingest was told is committed survives the
# kill (fsync=off is harmless: the machine does not crash, only the server).
for d in fault faultm; do
	psql "$ADMIN" -X -qc "ALTER DATABASE $d SET synchronous_commit = on" > /dev/null
done

MB=$T/mb
ING="--zone $MB/keys.zone --config $MB/fblscope.conf --batch $BATCH"
ingest() {	# db out-prefix source... ; status in $rc
	_db=$1 _o=$2
	shift 2
	"$FBL_BIN" ingest --db "$(conn "$_db")" $ING "$@" > "$_o.out" 2> "$_o.err"
	rc=$?
}
# the numbers of a summary line (fbl/store/cmd_ingest.c: summary())
summary_field() {	# err-file word: "read" "stored" "duplicates"
	sed -n 's/^fblscope ingest: \([0-9]*\) messages read, \([0-9]*\) stored .* \([0-9]*\) duplicates skipped.*/\1 \2 \3/p' "$1" |
	    tail -n 1 | awk -v w="$2" '{ print w == "read" ? $1 : w == "stored" ? $2 : $3 }'
}

# What a database holds, as sorted text: counts; daily_report; daily_signature;
# the report rows; the signature rows (all but ingested_at and source, which
# name the run and its copy of the mailbox).
dump() {	# db prefix
	q "$1" "SELECT (SELECT count(*) FROM report) || ' reports, ' ||
	    (SELECT count(*) FROM signature) || ' signatures, daily_report ' ||
	    (SELECT coalesce(sum(count), 0) FROM daily_report) ||
	    ', daily_signature ' ||
	    (SELECT coalesce(sum(count), 0) FROM daily_signature)" > "$2.counts"
	q "$1" "SELECT day, kind, reporter, feedback_type, count
	    FROM daily_report ORDER BY 1, 2, 3, 4" > "$2.dr"
	q "$1" "SELECT * FROM daily_signature ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10" > "$2.ds"
	q "$1" "SELECT encode(fingerprint, 'hex'), msg_day, kind, complaint,
	    coalesce(reporter, ''), coalesce(feedback_type, ''),
	    coalesce(source_ip, ''), coalesce(original_from_domain, ''),
	    coalesce(array_to_string(deviations, ','), '')
	    FROM report ORDER BY 1" > "$2.rep"
	q "$1" "SELECT encode(fingerprint, 'hex'), idx, msg_day, coalesce(d, ''),
	    coalesce(s, ''), result, reason, role, coalesce(customer_id, ''),
	    coalesce(header_verified::text, ''), coalesce(body_verified::text, '')
	    FROM signature ORDER BY 1, 2" > "$2.sig"
}
# every part of a dump equals the reference's
check_dump() {	# name got-prefix want-prefix
	_bad=
	for _p in counts dr ds rep sig; do
		if ! cmp -s "$2.$_p" "$3.$_p"; then
			_n=$(diff "$2.$_p" "$3.$_p" | grep -c '^[<>]')
			_bad="$_bad $_p($_n lines differ, first: $(diff "$2.$_p" "$3.$_p" | grep -m1 '^[<>]'))"
		fi
	done
	if [ -z "$_bad" ]; then
		ok "$1"
	else
		not_ok "$1" "differs from the reference:$_bad; counts '$(cat "$2.counts")', want '$(cat "$3.counts")'"
	fi
}
# the aggregates equal the rows grouped the same way (both directions)
REP="SELECT msg_day, kind, coalesce(reporter, ''), coalesce(feedback_type, ''), count(*) FROM report GROUP BY 1, 2, 3, 4"
DR="SELECT day, kind, reporter, feedback_type, count FROM daily_report"
SIG="SELECT s.msg_day, r.kind, lower(coalesce(s.d, '')), s.role, coalesce(s.customer_id, ''), coalesce(s.s, ''), coalesce(r.reporter, ''), coalesce(r.feedback_type, ''), s.result, s.reason, count(*) FROM signature s JOIN report r USING (msg_day, fingerprint) GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
DS="SELECT day, kind, token, role, customer_id, selector, reporter, feedback_type, result, reason, count FROM daily_signature"
check_aggregates() {	# name db
	check_eq "$1" "$(q "$2" "SELECT (SELECT count(*) FROM (($REP EXCEPT $DR) UNION ALL ($DR EXCEPT $REP)) x) || ' ' || (SELECT count(*) FROM (($SIG EXCEPT $DS) UNION ALL ($DS EXCEPT $SIG)) x)")" "0 0" \
	    "daily_report / daily_signature rows that differ from the rows they count"
}
# fingerprints (hex SHA-256 of the raw bytes) of the non-empty files in dir
file_fps() {	# dir
	find "$1" -type f -size +0c -exec sha256sum {} + | awk '{ print $1 }' | LC_ALL=C sort -u
}
nonempty=$(find "$MB/Maildir/new" -type f -size +0c | wc -l)
# where a Maildir's files are: "new/ cur/-with-S quarantine"
where() {	# maildir
	echo "$(find "$1/new" -type f | wc -l) $(find "$1/cur" -type f -name '*:2,S' | wc -l) $(find "$1/.quarantine/cur" -type f 2> /dev/null | wc -l)"
}
# the exit status of a run over what is left in new/: 1 when some file
# there is empty or garbage (quarantined by that run), else 0
exit_for_rest() {	# maildir
	_j=$(( $(find "$1/new" -type f -size 0 | wc -l) + $(file_fps "$1/new" | LC_ALL=C comm -12 - "$T/ref.junk-fps" | wc -l) ))
	[ "$_j" -gt 0 ] && echo 1 || echo 0
}
# a summary's quarantined count
quarantined() {	# err-file
	sed -n 's/^fblscope ingest: .* \([0-9]*\) quarantined, .*/\1/p' "$1" | tail -n 1
}

# ---- a. the references -----------------------------------------------------
cp -a "$MB/Maildir" "$T/md-ref"
ingest ref "$T/ref" "$T/md-ref"
ref_rc=$rc
case $ref_rc in
0|1) ok ingest-faults/reference/maildir-exit ;;
*) not_ok ingest-faults/reference/maildir-exit "exit $ref_rc: $(tail -n 2 "$T/ref.err")" ;;
esac
dump ref "$T/ref"
check_eq ingest-faults/reference/maildir-report-rows \
    "$(q ref 'SELECT count(*) FROM report')" "$nonempty" "one row per non-empty file"
check_eq ingest-faults/reference/maildir-fingerprints \
    "$(q ref "SELECT encode(fingerprint, 'hex') FROM report ORDER BY 1" | cksum)" \
    "$(file_fps "$T/md-ref" | cksum)" "stored fingerprints = sha256sum of the files"
check_aggregates ingest-faults/reference/maildir-aggregates ref
check_eq ingest-faults/reference/maildir-stored \
    "$(summary_field "$T/ref.err" stored)" "$nonempty" "summary: stored"
q ref "SELECT encode(fingerprint, 'hex') FROM report WHERE kind = 'unparseable'" |
    LC_ALL=C sort -u > "$T/ref.junk-fps"
mail=$((nonempty - $(wc -l < "$T/ref.junk-fps")))
junk=$((N - mail))
[ "$junk" -gt "$((N - nonempty))" ] && ok ingest-faults/reference/some-garbage ||
    not_ok ingest-faults/reference/some-garbage "no unparseable message in the mailbox"
check_eq ingest-faults/reference/maildir-all-moved "$(where "$T/md-ref")" \
    "0 $mail $junk" "files in new/, in cur/ with S, in the quarantine"
check_eq ingest-faults/reference/maildir-quarantined "$(quarantined "$T/ref.err")" "$junk"

cp "$MB/mailbox.mbox" "$T/ref.mbox"
ingest refm "$T/refm" "$T/ref.mbox"
refm_rc=$rc
case $refm_rc in
0|1) ok ingest-faults/reference/mbox-exit ;;
*) not_ok ingest-faults/reference/mbox-exit "exit $refm_rc: $(tail -n 2 "$T/refm.err")" ;;
esac
dump refm "$T/refm"
check_eq ingest-faults/reference/mbox-report-rows \
    "$(q refm 'SELECT count(*) FROM report')" "$nonempty" "one row per non-empty message"
check_aggregates ingest-faults/reference/mbox-aggregates refm
refm_stored=$(q refm 'SELECT count(*) FROM report')
ref_stored=$(q ref 'SELECT count(*) FROM report')
echo "reference: $(cat "$T/ref.counts") (Maildir, exit $ref_rc); $(cat "$T/refm.counts") (mbox, exit $refm_rc)" >&2

# ---- d. the same mailbox twice -----------------------------------------------
# The reference Maildir again (its files are in cur/ now, read with
# --include-cur; the garbage is in the quarantine: exit 0), and a fresh copy
# of it with --keep, and the mbox again: nothing new is stored.
ingest ref "$T/ref2" --include-cur "$T/md-ref"
check_eq ingest-faults/twice/maildir-exit "$rc" 0 "$(tail -n 2 "$T/ref2.err")"
dump ref "$T/ref2"
check_dump ingest-faults/twice/maildir-unchanged "$T/ref2" "$T/ref"
check_eq ingest-faults/twice/maildir-all-duplicates \
    "$(summary_field "$T/ref2.err" read) $(summary_field "$T/ref2.err" stored) $(summary_field "$T/ref2.err" duplicates)" \
    "$mail 0 $mail" "messages read, stored, duplicates"
cp -a "$MB/Maildir" "$T/md-keep"
ingest ref "$T/ref3" --keep "$T/md-keep"
check_eq ingest-faults/twice/maildir-keep-exit "$rc" "$ref_rc"
dump ref "$T/ref3"
check_dump ingest-faults/twice/maildir-keep-unchanged "$T/ref3" "$T/ref"
check_eq ingest-faults/twice/maildir-keep-all-duplicates \
    "$(summary_field "$T/ref3.err" stored) $(summary_field "$T/ref3.err" duplicates) $(summary_field "$T/ref3.err" read)" \
    "0 $nonempty $nonempty" "stored, duplicates, messages read"
check_eq ingest-faults/twice/maildir-keep-nothing-moved \
    "$(find "$T/md-keep/new" -type f | wc -l) $(find "$T/md-keep/cur" -type f | wc -l)" "$N 0"
ingest refm "$T/refm2" "$T/ref.mbox"
check_eq ingest-faults/twice/mbox-exit "$rc" "$refm_rc"
dump refm "$T/refm2"
check_dump ingest-faults/twice/mbox-unchanged "$T/refm2" "$T/refm"
check_eq ingest-faults/twice/mbox-all-duplicates \
    "$(summary_field "$T/refm2.err" stored) $(summary_field "$T/refm2.err" duplicates) $(summary_field "$T/refm2.err" read)" \
    "0 $nonempty $nonempty" "stored, duplicates, messages read"

# ---- b. the server killed in the middle of a run -----------------------------
# Start the ingest, wait until some batch has committed, kill the server
# (immediate shutdown: a crash), and see what the ingest and the database
# make of it.  The result is the number of rows seen before the kill, in
# $killed_at ('' when the run ended first).
kill_mid_run() {	# db out-prefix source
	"$FBL_BIN" ingest --db "$(conn "$1") connect_timeout=5" $ING "$3" > "$2.out" 2> "$2.err" &
	_pid=$!
	killed_at=
	_i=0
	while [ $_i -lt 3000 ]; do
		_n=$(q "$1" 'SELECT count(*) FROM report' 2> /dev/null)
		if [ -n "$_n" ] && [ "$_n" -gt 0 ]; then
			killed_at=$_n
			sh "$PGSH" kill "$T/pg"
			break
		fi
		kill -0 $_pid 2> /dev/null || break
		_i=$((_i + 1))
	done
	wait $_pid
	rc=$?
	if [ -z "$killed_at" ]; then
		sh "$PGSH" kill "$T/pg"
	fi
	sh "$PGSH" restart "$T/pg" ||
	    { not_ok ingest-faults/restart "$(tail -3 "$T/pg/server.log")"; exit 1; }
}

cp -a "$MB/Maildir" "$T/md-fault"
kill_mid_run fault "$T/fault" "$T/md-fault"
check_eq ingest-faults/kill-maildir/exit "$rc" 2 "$(tail -n 1 "$T/fault.err")"
rows=$(q fault 'SELECT count(*) FROM report')
echo "kill-maildir: $killed_at rows seen before the kill, $rows after restart" >&2
if [ -n "$killed_at" ] && [ "$rows" -gt 0 ] && [ "$rows" -lt "$ref_stored" ]; then
	ok ingest-faults/kill-maildir/mid-run
else
	not_ok ingest-faults/kill-maildir/mid-run "the kill did not fall inside the run: $rows rows of $ref_stored after it (seen before: '${killed_at:-none}')"
fi
# batches are atomic: the first pass over new/ stores every item of a batch
check_eq ingest-faults/kill-maildir/whole-batches "$((rows % BATCH))" 0 "$rows rows"
check_aggregates ingest-faults/kill-maildir/aggregates-after-kill fault
q fault "SELECT encode(fingerprint, 'hex') FROM report" | LC_ALL=C sort -u > "$T/fault.db-fps"
file_fps "$T/md-fault/new" > "$T/fault.new-fps"
file_fps "$T/md-fault/cur" > "$T/fault.cur-fps"
file_fps "$T/md-fault/.quarantine/cur" 2> /dev/null > "$T/fault.q-fps"
check_eq ingest-faults/kill-maildir/no-file-lost \
    "$(find "$T/md-fault" -type f | wc -l) $(cd "$T/md-fault" && find . -path '*/tmp/*' -type f | wc -l)" "$N 0"
n_cur=$(wc -l < "$T/fault.cur-fps")
n_new=$(wc -l < "$T/fault.new-fps")
if [ "$n_cur" -gt 0 ] && [ "$n_new" -gt 0 ]; then
	ok ingest-faults/kill-maildir/files-in-new-and-cur
else
	not_ok ingest-faults/kill-maildir/files-in-new-and-cur "$n_new non-empty files in new/, $n_cur in cur/"
fi
# moved to cur/ means stored; so does garbage in the quarantine
check_eq ingest-faults/kill-maildir/cur-all-stored \
    "$(LC_ALL=C comm -23 "$T/fault.cur-fps" "$T/fault.db-fps" | wc -l)" 0 "files in cur/ not in report"
check_eq ingest-faults/kill-maildir/quarantined-garbage-stored \
    "$(LC_ALL=C comm -23 "$T/fault.q-fps" "$T/fault.db-fps" | wc -l)" 0 "non-empty files in the quarantine not in report"
n_q=$(wc -l < "$T/fault.q-fps")
# still in new/ means not stored -- except, at most, the one batch whose
# COMMIT went through while the reply was lost with the server: the
# contract (mailsource.h) then leaves it in new/ for the next run
in_doubt=$(LC_ALL=C comm -12 "$T/fault.new-fps" "$T/fault.db-fps" | wc -l)
if [ "$in_doubt" -eq 0 ]; then
	ok ingest-faults/kill-maildir/new-none-stored
elif [ "$in_doubt" -le "$BATCH" ] && grep -q 'COMMIT' "$T/fault.err"; then
	ok "ingest-faults/kill-maildir/new-none-stored ($in_doubt in-doubt at COMMIT)"
else
	not_ok ingest-faults/kill-maildir/new-none-stored "$in_doubt files in new/ are stored"
fi
check_eq ingest-faults/kill-maildir/rows-are-cur "$rows" "$((n_cur + n_q + in_doubt))" "report rows = files in cur/ and garbage in the quarantine"
# the same ingest again, to its end: exactly the reference
want_rc=$(exit_for_rest "$T/md-fault")
ingest fault "$T/fault2" "$T/md-fault"
check_eq ingest-faults/kill-maildir/rerun-exit "$rc" "$want_rc" "$(tail -n 1 "$T/fault2.err")"
dump fault "$T/fault2"
check_dump ingest-faults/kill-maildir/rerun-equals-reference "$T/fault2" "$T/ref"
check_eq ingest-faults/kill-maildir/rerun-stored \
    "$(summary_field "$T/fault2.err" stored)" "$((ref_stored - rows))" "stored by the second run = reference - rows before"
check_eq ingest-faults/kill-maildir/rerun-all-moved "$(where "$T/md-fault")" \
    "0 $mail $junk" "files in new/, in cur/ with S, in the quarantine"

cp "$MB/mailbox.mbox" "$T/fault.mbox"
kill_mid_run faultm "$T/faultm" "$T/fault.mbox"
check_eq ingest-faults/kill-mbox/exit "$rc" 2 "$(tail -n 1 "$T/faultm.err")"
rows=$(q faultm 'SELECT count(*) FROM report')
echo "kill-mbox: $killed_at rows seen before the kill, $rows after restart" >&2
if [ -n "$killed_at" ] && [ "$rows" -gt 0 ] && [ "$rows" -lt "$refm_stored" ]; then
	ok ingest-faults/kill-mbox/mid-run
else
	not_ok ingest-faults/kill-mbox/mid-run "the kill did not fall inside the run: $rows rows of $refm_stored after it (seen before: '${killed_at:-none}')"
fi
check_eq ingest-faults/kill-mbox/whole-batches "$((rows % BATCH))" 0 "$rows rows"
check_aggregates ingest-faults/kill-mbox/aggregates-after-kill faultm
check_eq ingest-faults/kill-mbox/file-unchanged "$(cksum < "$T/fault.mbox")" "$(cksum < "$MB/mailbox.mbox")"
ingest faultm "$T/faultm2" "$T/fault.mbox"
check_eq ingest-faults/kill-mbox/rerun-exit "$rc" "$refm_rc" "$(tail -n 1 "$T/faultm2.err")"
dump faultm "$T/faultm2"
check_dump ingest-faults/kill-mbox/rerun-equals-reference "$T/faultm2" "$T/refm"
check_eq ingest-faults/kill-mbox/rerun-split \
    "$(summary_field "$T/faultm2.err" stored) $(summary_field "$T/faultm2.err" duplicates)" \
    "$((refm_stored - rows)) $rows" "stored, duplicates of the second run"

# ---- c. two ingests of one Maildir at once -------------------------------------
cp -a "$MB/Maildir" "$T/md-conc"
"$FBL_BIN" ingest --db "$(conn conc)" $ING "$T/md-conc" > "$T/conc1.out" 2> "$T/conc1.err" &
p1=$!
"$FBL_BIN" ingest --db "$(conn conc)" $ING "$T/md-conc" > "$T/conc2.out" 2> "$T/conc2.err" &
p2=$!
wait $p1
rc1=$?
wait $p2
rc2=$?
# each run exits 1 only if it met garbage itself
case "$rc1 $rc2" in
"0 1"|"1 0"|"1 1") ok ingest-faults/concurrent/exit ;;
*) not_ok ingest-faults/concurrent/exit "exits $rc1 $rc2: $(grep -h 'run stopped' "$T/conc1.err" "$T/conc2.err" | cut -c1-300)" ;;
esac
dump conc "$T/conc"
check_dump ingest-faults/concurrent/equals-reference "$T/conc" "$T/ref"
check_aggregates ingest-faults/concurrent/aggregates conc
check_eq ingest-faults/concurrent/all-moved \
    "$(where "$T/md-conc") $(find "$T/md-conc" -type f | wc -l)" \
    "0 $mail $junk $N" "files in new/, in cur/ with S, in the quarantine, in all"
check_eq ingest-faults/concurrent/quarantined-once \
    "$(( $(quarantined "$T/conc1.err") + $(quarantined "$T/conc2.err") ))" "$junk"
s1=$(summary_field "$T/conc1.err" stored)
s2=$(summary_field "$T/conc2.err" stored)
echo "concurrent: run 1 stored ${s1:-?} duplicates $(summary_field "$T/conc1.err" duplicates); run 2 stored ${s2:-?} duplicates $(summary_field "$T/conc2.err" duplicates)" >&2
check_eq ingest-faults/concurrent/stored-adds-up "$(( ${s1:-0} + ${s2:-0} ))" "$ref_stored" "run 1 stored ${s1:-?}, run 2 ${s2:-?}"

# ---- e. the kill, with the server's synchronous_commit left off -------------
cp -a "$MB/Maildir" "$T/md-dur"
kill_mid_run durable "$T/dur" "$T/md-dur"
q durable "SELECT encode(fingerprint, 'hex') FROM report" | LC_ALL=C sort -u > "$T/dur.db-fps"
file_fps "$T/md-dur/cur" > "$T/dur.cur-fps"
check_eq ingest-faults/durable/sync-commit-off-here \
    "$(q durable 'SHOW synchronous_commit')" off
check_eq ingest-faults/durable/cur-all-stored \
    "$(LC_ALL=C comm -23 "$T/dur.cur-fps" "$T/dur.db-fps" | wc -l)" 0 \
    "files in cur/ not in report after the crash"
[ "$(wc -l < "$T/dur.cur-fps")" -gt 0 ] && ok ingest-faults/durable/some-moved ||
    not_ok ingest-faults/durable/some-moved "the kill fell before any batch"

# ---- f. SIGTERM in the middle of a run --------------------------------------
cp -a "$MB/Maildir" "$T/md-term"
"$FBL_BIN" ingest --db "$(conn term)" $ING "$T/md-term" > "$T/term.out" 2> "$T/term.err" &
tpid=$!
_i=0
while [ $_i -lt 3000 ]; do
	_n=$(q term 'SELECT count(*) FROM report' 2> /dev/null)
	[ -n "$_n" ] && [ "$_n" -gt 0 ] && { kill -TERM $tpid; break; }
	kill -0 $tpid 2> /dev/null || break
	_i=$((_i + 1))
done
wait $tpid
rc=$?
check_eq ingest-faults/sigterm/exit "$rc" 3 "$(tail -n 2 "$T/term.err")"
grep -q 'stopped by signal 15 after [0-9]* messages: every batch read is stored' "$T/term.err" &&
    ok ingest-faults/sigterm/says-so || not_ok ingest-faults/sigterm/says-so "$(tail -n 2 "$T/term.err")"
rows=$(q term 'SELECT count(*) FROM report')
if [ "$rows" -gt 0 ] && [ "$rows" -lt "$ref_stored" ]; then
	ok "ingest-faults/sigterm/mid-run: $rows of $ref_stored"
else
	not_ok ingest-faults/sigterm/mid-run "$rows rows of $ref_stored"
fi
q term "SELECT encode(fingerprint, 'hex') FROM report" | LC_ALL=C sort -u > "$T/term.db-fps"
file_fps "$T/md-term/cur" > "$T/term.cur-fps"
file_fps "$T/md-term/new" > "$T/term.new-fps"
check_eq ingest-faults/sigterm/cur-all-stored \
    "$(LC_ALL=C comm -23 "$T/term.cur-fps" "$T/term.db-fps" | wc -l)" 0
check_eq ingest-faults/sigterm/new-none-stored \
    "$(LC_ALL=C comm -12 "$T/term.new-fps" "$T/term.db-fps" | wc -l)" 0
check_aggregates ingest-faults/sigterm/aggregates term
want_rc=$(exit_for_rest "$T/md-term")
ingest term "$T/term2" "$T/md-term"
check_eq ingest-faults/sigterm/rerun-exit "$rc" "$want_rc" "$(tail -n 1 "$T/term2.err")"
dump term "$T/term2"
check_dump ingest-faults/sigterm/rerun-equals-reference "$T/term2" "$T/ref"

fbl_done
exit $?
