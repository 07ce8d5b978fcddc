#!/bin/sh
# SPDX-License-Identifier: ISC
# maildir_hygiene.sh: what `fblscope ingest` does with a Maildir file that
# can never be stored (issue 13, item 6): an empty, an unreadable and a
# not-mail file leave new/ once, into the quarantine folder with their
# reason in their name, and are counted once; the next run reports nothing
# and exits 0.  The default run reads new/ only (counted in "messages
# read"); --include-cur reads cur/ too; --new-only is still accepted.  A
# database that cannot take the batch quarantines nothing; links are left
# alone; quarantine-dir (configuration) and --quarantine-dir (command line)
# name the folder.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
S=$FBL_ROOT/samples
if ! need_cmd psql; then
	skip maildir-hygiene/all "psql missing"
	exit 0
fi
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok maildir-hygiene/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB=$(cat "$T/conninfo")
q() { psql "$DB" -Atc "$1"; }
"$FBL_BIN" db migrate --db "$DB" > /dev/null || { not_ok maildir-hygiene/migrate failed; exit 1; }
ZONE="--zone $S/zones/demo.zone"

# Root reads a file whatever its mode: for the unreadable file, the ingest
# runs without the capabilities that let it (setpriv), or the case is
# skipped, visibly.
RUN=
UNREADABLE=yes
if [ "$(id -u)" = 0 ]; then
	if need_cmd setpriv && setpriv --bounding-set=-dac_override,-dac_read_search true 2> /dev/null; then
		RUN="setpriv --bounding-set=-dac_override,-dac_read_search"
	else
		UNREADABLE=
		skip maildir-hygiene/unreadable "run as root without setpriv: chmod 000 does not stop root"
	fi
fi
ingest() {	# out-prefix args... ; status in $rc
	_o=$1
	shift
	$RUN "$FBL_BIN" ingest --db "$DB" $ZONE "$@" > "$_o.out" 2> "$_o.err"
	rc=$?
}
# "N messages read, N stored (...), N unparseable, N duplicates skipped,
# N unreadable, N quarantined, N batches" -> "read stored unparseable
# duplicates unreadable quarantined"
counts() {
	sed -n 's/^fblscope ingest: \([0-9]*\) messages read, \([0-9]*\) stored ([^)]*), \([0-9]*\) unparseable, \([0-9]*\) duplicates skipped, \([0-9]*\) unreadable, \([0-9]*\) quarantined, .*/\1 \2 \3 \4 \5 \6/p' "$1"
}
# problem lines: everything on stderr but the summary
problems() {
	grep -v -e '^fblscope ingest: [0-9]* messages read' -e '^  ' \
	    -e '^fblscope ingest: summary ' "$1" | wc -l
}
msg() {	# sample-file tag -> the sample with a header of its own on top
	printf 'X-Hygiene: %s\n' "$2"
	cat "$S/mail/$1.eml"
}

MD=$T/Maildir
mkdir -p "$MD/new" "$MD/cur" "$MD/tmp"
msg 01-good n1 > "$MD/new/1700000001.M1P1.test"
msg 02-good-ed25519 n2 > "$MD/new/1700000002.M1P1.test"
: > "$MD/new/1700000003.M1P1.empty"
printf 'just some words, no header at all\nand a second line\n' > "$MD/new/1700000004.M1P1.words"
nq=2
if [ -n "$UNREADABLE" ]; then
	msg 03-body-changed n5 > "$MD/new/1700000005.M1P1.locked"
	chmod 000 "$MD/new/1700000005.M1P1.locked"
	nq=3
fi
# cur/: read by a mail client, never by fblscope
msg 04-crcrlf c1 > "$MD/cur/1600000001.M1P1.test:2,S"
msg 05-whitespace-stripped c2 > "$MD/cur/1600000002.M1P1.test:2,S"
msg 06-subject-changed c3 > "$MD/cur/1600000003.M1P1.test:2,RS"

# ---- the first run: each such file quarantined once, with its reason --------
ingest "$T/r1" "$MD"
check_eq maildir-hygiene/first-exit "$rc" 1 "$(tail -n 3 "$T/r1.err")"
# 3 messages read from new/ (cur/ not read): 2 samples, 1 not mail
check_eq maildir-hygiene/first-counts "$(counts "$T/r1.err")" "3 3 1 0 0 $nq"
check_eq maildir-hygiene/first-new-empty "$(ls -A "$MD/new" | wc -l)" 0
QC=$MD/.quarantine/cur
check_eq maildir-hygiene/quarantined-empty \
    "$(ls "$QC" | grep -c '^1700000003\.M1P1\.empty,why=empty:2,$')" 1
check_eq maildir-hygiene/quarantined-not-mail \
    "$(ls "$QC" | grep -c '^1700000004\.M1P1\.words,why=not-mail:2,$')" 1
if [ -n "$UNREADABLE" ]; then
	check_eq maildir-hygiene/quarantined-unreadable \
	    "$(ls "$QC" | grep -c '^1700000005\.M1P1\.locked,why=unreadable:2,$')" 1
fi
check_eq maildir-hygiene/quarantine-files "$(ls "$QC" | wc -l)" "$nq"
check_eq maildir-hygiene/quarantine-is-a-maildir \
    "$(cd "$MD/.quarantine" && ls -d cur new tmp | tr '\n' ' ')" "cur new tmp "
check_eq maildir-hygiene/quarantine-mode "$(stat -c %a "$MD/.quarantine")" 700
check_eq maildir-hygiene/not-mail-bytes-kept \
    "$(cat "$QC/1700000004.M1P1.words,why=not-mail:2,")" \
    "$(printf 'just some words, no header at all\nand a second line')"
check_eq maildir-hygiene/first-problem-lines "$(problems "$T/r1.err")" "$nq"
check_eq maildir-hygiene/first-lines-say-where \
    "$(grep -c '; quarantined as .*/\.quarantine/cur/' "$T/r1.err")" "$nq"
grep -q '1700000004.M1P1.words: not mail (not a message: .*), stored as unparseable; quarantined as' "$T/r1.err" &&
    ok maildir-hygiene/not-mail-line || not_ok maildir-hygiene/not-mail-line "$(grep words "$T/r1.err")"
check_eq maildir-hygiene/good-to-cur \
    "$(ls "$MD/cur" | grep -c '^170000000[12]\.M1P1\.test:2,S$')" 2
check_eq maildir-hygiene/first-rows \
    "$(q "SELECT count(*), count(*) FILTER (WHERE kind = 'unparseable') FROM report")" "3|1"

# ---- the second run: nothing to say, exit 0 ----------------------------------
ingest "$T/r2" "$MD"
check_eq maildir-hygiene/second-exit "$rc" 0 "$(tail -n 3 "$T/r2.err")"
check_eq maildir-hygiene/second-counts "$(counts "$T/r2.err")" "0 0 0 0 0 0"
check_eq maildir-hygiene/second-no-problem-lines "$(problems "$T/r2.err")" 0
check_eq maildir-hygiene/second-quarantine-unchanged "$(ls "$QC" | wc -l)" "$nq"
ingest "$T/r3" --new-only "$MD"
check_eq maildir-hygiene/new-only-still-accepted "$rc $(counts "$T/r3.err")" "0 0 0 0 0 0 0"

# ---- --include-cur: cur/ read again (3 never stored, 2 moved by run 1) ------
ingest "$T/r4" --include-cur "$MD"
check_eq maildir-hygiene/include-cur-exit "$rc" 0 "$(tail -n 3 "$T/r4.err")"
check_eq maildir-hygiene/include-cur-counts "$(counts "$T/r4.err")" "5 3 0 2 0 0"
check_eq maildir-hygiene/include-cur-cur-unchanged "$(ls "$MD/cur" | wc -l)" 5
check_eq maildir-hygiene/rows "$(q 'SELECT count(*) FROM report')" 6

# ---- the database refuses the batch: nothing quarantined ---------------------
M2=$T/Maildir2
mkdir -p "$M2/new" "$M2/cur" "$M2/tmp"
printf 'words again, not mail\n' > "$M2/new/1700000101.M1P1.words"
q "CREATE FUNCTION test_refuse() RETURNS trigger LANGUAGE plpgsql AS \$\$ BEGIN RAISE EXCEPTION 'refused'; END \$\$; CREATE TRIGGER refuse BEFORE INSERT ON report FOR EACH ROW EXECUTE FUNCTION test_refuse()" > /dev/null
ingest "$T/r5" "$M2"
check_eq maildir-hygiene/batch-refused-exit "$rc" 2
check_eq maildir-hygiene/batch-refused-nothing-moved \
    "$(ls "$M2/new" | wc -l) $(ls -A "$M2/cur" | wc -l) $(ls -d "$M2/.quarantine" 2> /dev/null | wc -l)" "1 0 0"
q "DROP TRIGGER refuse ON report" > /dev/null
: > "$M2/new/1700000102.M1P1.empty"
sh "$FBL_ROOT/tests/lib/pg.sh" stop "$T/pg"
ingest "$T/r6" --db "$DB connect_timeout=3" "$M2"
check_eq maildir-hygiene/server-down-exit "$rc" 2
check_eq maildir-hygiene/server-down-nothing-moved \
    "$(ls "$M2/new" | wc -l) $(ls -d "$M2/.quarantine" 2> /dev/null | wc -l)" "2 0"
sh "$FBL_ROOT/tests/lib/pg.sh" restart "$T/pg"
ingest "$T/r7" "$M2"
check_eq maildir-hygiene/after-restart "$rc $(counts "$T/r7.err") $(ls "$M2/new" | wc -l) $(ls "$M2/.quarantine/cur" | wc -l)" \
    "1 1 1 1 0 0 2 0 2"

# ---- a link is reported and left alone, as before ----------------------------
M3=$T/Maildir3
mkdir -p "$M3/new" "$M3/cur" "$M3/tmp"
ln -s "$S/mail/01-good.eml" "$M3/new/1700000201.M1P1.link"
ingest "$T/r8" "$M3"
check_eq maildir-hygiene/link-left-alone \
    "$rc $(counts "$T/r8.err") $(ls "$M3/new" | wc -l) $(ls -d "$M3/.quarantine" 2> /dev/null | wc -l)" \
    "1 0 0 0 0 1 0 1 0"
grep -q '1700000201.M1P1.link: a symbolic link, not followed, left alone' "$T/r8.err" &&
    ok maildir-hygiene/link-reported || not_ok maildir-hygiene/link-reported "$(cat "$T/r8.err")"

# ---- the folder: --keep, quarantine-dir, --quarantine-dir --------------------
M4=$T/Maildir4
mkdir -p "$M4/new" "$M4/cur" "$M4/tmp" "$T/conf"
: > "$M4/new/1700000301.M1P1.empty"
ingest "$T/r9" --keep "$M4"
check_eq maildir-hygiene/keep-quarantines-nothing \
    "$rc $(counts "$T/r9.err") $(ls "$M4/new" | wc -l)" "1 0 0 0 0 1 0 1"
printf 'quarantine-dir ../held\n' > "$T/conf/fblscope.conf"
ingest "$T/r10" --config "$T/conf/fblscope.conf" "$M4"
check_eq maildir-hygiene/config-quarantine-dir \
    "$rc $(ls "$T/held/cur")" "1 1700000301.M1P1.empty,why=empty:2,"
: > "$M4/new/1700000302.M1P1.empty"
ingest "$T/r11" --config "$T/conf/fblscope.conf" --quarantine-dir "$T/cli-held" "$M4"
check_eq maildir-hygiene/option-overrides-config \
    "$rc $(ls "$T/cli-held/cur") $(ls "$T/held/cur" | wc -l)" "1 1700000302.M1P1.empty,why=empty:2, 1"

fbl_done
exit $?
