#!/bin/sh
# SPDX-License-Identifier: ISC
# mta_pipe.sh: `fblscope ingest --pipe`, delivery from the MTA (issue 16,
# item 2; docs/sources.md).
#
# 1. The command line alone ("pipe/..."): the exit statuses of
#    sysexits.h the MTA acts on.  0 only after the COMMIT, and for a report
#    delivered twice (counted once); 0 too for what can never be stored
#    (not mail, empty, over 64 MiB: kind unparseable, the big one by the
#    SHA-256 of all its bytes); a DNS failure is a stored temperror, 0;
#    75 with the database down or standard input unreadable, nothing
#    stored; 78 without a configuration; 64 for the command line.
# 2. A real Postfix ("postfix/..."), a private instance on 127.0.0.1 with
#    its own configuration and queue under this test's folder, whose
#    master.cf holds the pipe(8) service of docs/sources.md (taken from
#    there, with the test's paths): dkimpy-signed ARF reports sent to it
#    by SMTP are stored once, their signatures pass; a delivery that
#    exits 75 after its COMMIT (a timeout's retry) is counted once; with
#    PostgreSQL stopped, mail stays deferred in Postfix's queue (status 75
#    in its log) and is stored once when the database is back and
#    `postqueue -f` runs; 20 reports at once (parallel pipe processes)
#    are 20 rows.  Skipped when Postfix is not installed or the test does
#    not run as root.
# 3. The generated sample mailbox ("postfix/sample/..."; samples/mailbox.sh,
#    SAMPLE_N messages) sent to the same Postfix, PostgreSQL stopped after
#    the first part is delivered and started again before the last:
#    Postfix keeps the middle part queued, `postqueue -f` delivers it, and
#    the rows then match the generator's manifest message by message
#    (tests/lib/mailbox_check.py, over the bytes pipe(8) handed over,
#    which a wrapper keeps), each message delivered and counted once.
. "$(dirname "$0")/../lib/common.sh"
. "$FBL_ROOT/tests/lib/keys.sh"
. "$FBL_ROOT/tests/lib/mailbox_rows.sh"

T=$FBL_TMP
SEND=$FBL_ROOT/tests/lib/mta_send.py
SAMPLE_N=${FBL_PIPE_SAMPLE_N:-1000}
if ! need_cmd psql openssl; then
	skip pipe/all "psql or openssl missing"
	exit 0
fi
# the pipe command runs as nobody: the test's files must be readable
chmod 0755 "$T"
PORT=$(free_port)
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$PORT" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok pipe/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB=$(cat "$T/conninfo")
q() { psql "$DB" -Atc "$1"; }
"$FBL_BIN" db migrate --db "$DB" > /dev/null
check_eq pipe/migrate "$?" 0

# a customer's message signed by dkimpy, its key in a zone file
P=$T/pub
mkdir -p "$P"
key=$(keys_gen rsa 2048 mta-pipe) || { not_ok pipe/keygen "keygen failed"; exit 1; }
keys_zoneline s1._domainkey.shop.example. "$(keys_record "$key")" > "$P/keys.zone"
printf '%s\n' 'esp-domain fbl.myesp.example' 'customer cust-002 shop.example' \
    'sending-network 192.0.2.0/24' > "$P/fblscope.conf"
printf '%s\r\n' 'From: Shop <news@shop.example>' 'To: reader@isp.example' \
    'Subject: Winter catalogue' 'Date: Sat, 21 Nov 2026 09:00:00 +0000' \
    'Message-ID: <mta-orig@shop.example>' 'MIME-Version: 1.0' \
    'Content-Type: text/plain; charset=utf-8' '' \
    'Dear reader, the winter catalogue is out.' > "$T/plain.eml"
"$PYTHON" "$FBL_ROOT/tests/interop/dkimpy_tool.py" sign --domain shop.example \
    --selector s1 --key "$key" --headers from:to:subject:date:message-id \
    --timestamp 1795251600 "$T/plain.eml" > "$P/signed.eml" 2> "$T/sign.err" ||
	{ not_ok pipe/dkimpy-sign "$(cat "$T/sign.err")"; exit 1; }
chmod -R a+rX "$P"

ARGS="--config $P/fblscope.conf --zone $P/keys.zone"
pipe_in() {	# tag file [options...]: fblscope ingest --pipe < file
	_t=$1 _f=$2
	shift 2
	"$FBL_BIN" ingest --pipe "$@" < "$_f" > "$T/$_t.out" 2> "$T/$_t.err"
	echo $? > "$T/$_t.rc"
}
rc() { cat "$T/$1.rc"; }
rows() { q "SELECT count(*) FROM report"; }

# --- 1. the command line -------------------------------------------------
"$PYTHON" "$SEND" report "$P/signed.eml" 1 "$P/report1.eml"
pipe_in r1 "$P/report1.eml" --db "$DB" $ARGS
check_eq pipe/report-exit "$(rc r1)" 0 "$(head -c 300 "$T/r1.err")"
check_eq pipe/report-stored \
    "$(q "SELECT kind || ' ' || source || ' ' || source_ip_in_esp::text FROM report")" 'arf - true'
check_eq pipe/report-verified \
    "$(q "SELECT d || ' ' || result || ' ' || role FROM signature")" 'shop.example pass customer'
pipe_in r1again "$P/report1.eml" --db "$DB" $ARGS
check_eq pipe/twice-exit "$(rc r1again)" 0
check_eq pipe/twice-counted-once \
    "$(rows) $(q "SELECT sum(count) FROM daily_report")" '1 1'
grep -q ' duplicates=1 ' "$T/r1again.err" && ok pipe/twice-summary ||
    not_ok pipe/twice-summary "$(tail -n 1 "$T/r1again.err")"

printf 'no header here, only words\n' > "$T/notmail.eml"
: > "$T/empty.eml"
printf 'From isp@isp.test Sun Nov 22 10:00:00 2026\n' > "$T/fromonly.eml"
for c in notmail empty fromonly; do
	pipe_in "$c" "$T/$c.eml" --db "$DB" $ARGS
	check_eq "pipe/$c-accepted" "$(rc "$c")" 0 "$(head -n 2 "$T/$c.err")"
done
check_eq pipe/unparseable-stored \
    "$(q "SELECT string_agg(decided, ' | ' ORDER BY decided) FROM report WHERE kind = 'unparseable'")" \
    'not a message: empty message | not a message: no header field of a mail message (From, Date, Received ...)'
# over 64 MiB: read to the end, stored by the SHA-256 of every byte
big=$((64 * 1024 * 1024 + 4096))
{ printf 'Subject: huge\n\n'; head -c "$big" /dev/zero | tr '\0' 'x'; } > "$T/big.eml"
want=$(sha256sum "$T/big.eml" | cut -d' ' -f1)
cat "$T/big.eml" | { "$FBL_BIN" ingest --pipe --db "$DB" $ARGS 2> "$T/big.err"; echo $? > "$T/big.rc"; }
check_eq pipe/oversize-accepted "$(rc big)" 0 "$(head -n 2 "$T/big.err")"
check_eq pipe/oversize-stored \
    "$(q "SELECT kind || ' ' || encode(fingerprint, 'hex') || ' ' || (decided LIKE 'not a message: too large to keep ($((big + 15)) bytes%') FROM report WHERE decided LIKE '%too large%'")" \
    "unparseable $want true"
rm -f "$T/big.eml"

# a DNS server that never answers: a temperror, stored (reverify's
# business), never a deferral
"$PYTHON" "$SEND" report "$P/signed.eml" dns "$P/report-dns.eml"
pipe_in dns "$P/report-dns.eml" --db "$DB" --config "$P/fblscope.conf" \
    --resolver "127.0.0.1@$(free_port)" --timeout 200 --retries 0 --dns-budget 500
check_eq pipe/dns-temperror-exit "$(rc dns)" 0 "$(head -n 2 "$T/dns.err")"
check_eq pipe/dns-temperror-stored \
    "$(q "SELECT s.result FROM signature s JOIN report r USING (msg_day, fingerprint) WHERE r.decided LIKE 'multipart/report%' AND s.result <> 'pass'")" temperror

n0=$(rows)
pipe_in down "$P/report1.eml" --db "host=127.0.0.1 port=$(free_port) dbname=x connect_timeout=3" $ARGS
check_eq pipe/database-down-exit "$(rc down)" 75
grep -q '^fblscope ingest: .*exit 75 (EX_TEMPFAIL)' "$T/down.err" &&
    ok pipe/database-down-says-why || not_ok pipe/database-down-says-why "$(head -n 1 "$T/down.err")"
pipe_in unreadable / --db "$DB" $ARGS
check_eq pipe/unreadable-exit "$(rc unreadable)" 75
pipe_in noconfig "$P/report1.eml" --db "$DB" --config "$T/nonexistent.conf"
check_eq pipe/no-configuration-exit "$(rc noconfig)" 78
pipe_in usage1 "$P/report1.eml" --db "$DB" $ARGS "$P/report1.eml"
check_eq pipe/source-given-exit "$(rc usage1)" 64
pipe_in usage2 "$P/report1.eml" --batch 0 --db "$DB" $ARGS
check_eq pipe/bad-option-exit "$(rc usage2)" 64
check_eq pipe/nothing-stored-when-not-0 "$(rows)" "$n0"

# --- 2. a real Postfix ---------------------------------------------------
if ! need_cmd postfix postqueue || [ ! -x /usr/lib/postfix/sbin/master ]; then
	skip postfix/all "Postfix is not installed (tests/lib/deps.sh installs it)"
	fbl_done
	exit $?
fi
if [ "$(id -u)" != 0 ]; then
	skip postfix/all "a private Postfix instance needs root"
	fbl_done
	exit $?
fi
PF=$T/postfix
mkdir -p "$PF/etc" "$PF/queue" "$PF/data" "$P/state"
chown postfix "$PF/data"
chmod 0777 "$P/state"
SMTP_PORT=$(free_port)
LOG=$PF/maillog
cat > "$PF/etc/main.cf" <<EOF
compatibility_level = 3.6
config_directory = $PF/etc
queue_directory = $PF/queue
data_directory = $PF/data
meta_directory = /etc/postfix
maillog_file = $LOG
maillog_file_prefixes = $PF
mail_owner = postfix
setgid_group = postdrop
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
myhostname = mx.fbl.test
mydomain = fbl.test
myorigin = fbl.test
mydestination =
local_recipient_maps =
alias_maps =
alias_database =
relay_domains = fbl.test
mynetworks = 127.0.0.0/8
smtpd_recipient_restrictions = permit_mynetworks, reject
transport_maps = inline:{ fbl@fbl.test=fblscope: twice@fbl.test=fbltwice:
    sample@fbl.test=fblkeep: }
fblscope_destination_recipient_limit = 1
fbltwice_destination_recipient_limit = 1
fblkeep_destination_recipient_limit = 1
# hand the messages over as they were sent, as far as Postfix can: its own
# Received line off, no header added or dropped, long lines unsplit
header_checks = regexp:$PF/etc/header_checks
local_header_rewrite_clients =
message_drop_headers =
line_length_limit = 1000000
smtputf8_enable = no
biff = no
EOF
# the service lines of docs/sources.md, with this test's paths
svc=$(awk '/^# master.cf$/ { on = 1; next } on && /^```/ { exit } on' \
    "$FBL_ROOT/docs/sources.md")
case $svc in
*"argv=/usr/local/bin/fblscope ingest --pipe"*) ok postfix/documented-line ;;
*) not_ok postfix/documented-line "no pipe(8) service in docs/sources.md: $svc" ;;
esac
svc=$(printf '%s\n' "$svc" | sed -e "s|user=fblscope|user=nobody|" \
    -e "s|/usr/local/bin/fblscope|$FBL_BIN|" \
    -e "s|--config /etc/fblscope.conf|--config $P/fblscope.conf --zone $P/keys.zone|" \
    -e "s|{dbname=fblscope host=/run/postgresql}|{$DB}|")
# a delivery that times out after its COMMIT: the first run of this
# wrapper stores the message and then says 75 anyway
cat > "$P/twice.sh" <<EOF
#!/bin/sh
$FBL_BIN ingest --pipe --config $P/fblscope.conf --zone $P/keys.zone --db "$DB"
st=\$?
if [ ! -e $P/state/once ]; then
	: > $P/state/once
	exit 75
fi
exit \$st
EOF
chmod 0755 "$P/twice.sh"
printf '%s\n' '/^Received: from .*by mx\.fbl\.test \(Postfix\)/ IGNORE' > "$PF/etc/header_checks"
# the sample mailbox, and the bytes its messages reach fblscope as
MB=$P/mb
if ! sh "$FBL_ROOT/samples/mailbox.sh" "$MB" "$SAMPLE_N" 7 > "$T/gen.log" 2>&1; then
	not_ok postfix/sample/generate "$(tail -n 3 "$T/gen.log")"
	fbl_done
	exit $?
fi
mkdir -p "$P/kept"
chmod 0777 "$P/kept"
chmod -R a+rX "$MB"
psql "$DB" -X -qc "CREATE DATABASE sample" > /dev/null
SDB=$(printf '%s' "$DB" | sed 's/dbname=[^ ]*/dbname=sample/')
"$FBL_BIN" db migrate --db "$SDB" > /dev/null
cat > "$P/keep.sh" <<EOF
#!/bin/sh
# the bytes Postfix hands over, kept under the queue id for the check
tee "$P/kept/\$1" | $FBL_BIN ingest --pipe --config $MB/fblscope.conf --zone $MB/keys.zone --db "$SDB"
EOF
chmod 0755 "$P/keep.sh"
{
	printf '%s\n' \
	    "127.0.0.1:$SMTP_PORT inet n - n - - smtpd" \
	    'pickup unix n - n 60 1 pickup' 'cleanup unix n - n - 0 cleanup' \
	    'qmgr unix n - n 300 1 qmgr' 'rewrite unix - - n - - trivial-rewrite' \
	    'bounce unix - - n - 0 bounce' 'defer unix - - n - 0 bounce' \
	    'trace unix - - n - 0 bounce' 'verify unix - - n - 1 verify' \
	    'flush unix n - n 1000? 0 flush' 'proxymap unix - - n - - proxymap' \
	    'smtp unix - - n - - smtp' 'relay unix - - n - - smtp' \
	    'showq unix n - n - - showq' 'error unix - - n - - error' \
	    'retry unix - - n - - error' 'discard unix - - n - - discard' \
	    'anvil unix - - n - 1 anvil' 'scache unix - - n - 1 scache' \
	    'postlog unix-dgram n - n - 1 postlogd'
	printf '%s\n' "$svc"
	printf '%s\n' 'fbltwice unix - n n - - pipe' \
	    "  flags=F user=nobody argv=$P/twice.sh"
	printf '%s\n' 'fblkeep unix - n n - - pipe' \
	    "  flags=F user=nobody argv=$P/keep.sh \${queue_id}"
} > "$PF/etc/master.cf"
postfix -c "$PF/etc" start > "$T/pf-start.out" 2>&1
if ! wait_port 127.0.0.1 "$SMTP_PORT" 20; then
	not_ok postfix/start "$(cat "$T/pf-start.out"; tail -n 5 "$LOG" 2>/dev/null)"
	fbl_done
	exit $?
fi
at_exit "postfix -c '$PF/etc' stop > /dev/null 2>&1"
ok postfix/start

send() {	# rcpt file...: queue ids
	_r=$1
	shift
	"$PYTHON" "$SEND" send 127.0.0.1 "$SMTP_PORT" "$_r" "$@"
}
waitfor() {	# tag status id...
	_t=$1
	shift
	if "$PYTHON" "$SEND" wait "$LOG" 60 "$@" > "$T/$_t.wait"; then
		ok "postfix/$_t"
	else
		not_ok "postfix/$_t" "$(tail -n 3 "$T/$_t.wait"; tail -n 5 "$LOG")"
	fi
}
pfq() { postqueue -c "$PF/etc" -p 2>/dev/null | grep -c '^[0-9A-F]'; }

n0=$(rows)
"$PYTHON" "$SEND" report "$P/signed.eml" pf-1 "$P/pf1.eml"
id=$(send fbl@fbl.test "$P/pf1.eml")
waitfor delivered sent "$id"
check_eq postfix/stored \
    "$(q "SELECT r.kind || ' ' || s.d || ' ' || s.result FROM report r JOIN signature s USING (msg_day, fingerprint) ORDER BY r.ingested_at DESC LIMIT 1")" \
    'arf shop.example pass'
check_eq postfix/one-row "$(rows)" $((n0 + 1))

# exit 75 after the COMMIT: Postfix retries, the retry is a duplicate
"$PYTHON" "$SEND" report "$P/signed.eml" pf-twice "$P/pf2.eml"
id=$(send twice@fbl.test "$P/pf2.eml")
waitfor timeout-deferred deferred "$id"
check_eq postfix/timeout-stored-once "$(rows)" $((n0 + 2))
postqueue -c "$PF/etc" -f
waitfor retry-delivered sent "$id"
check_eq postfix/retry-counted-once \
    "$(rows) $(q "SELECT sum(count) FROM daily_report")" "$((n0 + 2)) $((n0 + 2))"

# the database down: deferred, kept in the queue, stored once it is back
sh "$FBL_ROOT/tests/lib/pg.sh" stop "$T/pg"
"$PYTHON" "$SEND" report "$P/signed.eml" pf-down "$P/pf3.eml"
id=$(send fbl@fbl.test "$P/pf3.eml")
waitfor db-down-deferred deferred "$id"
grep -q "$id: .*status=deferred.*EX_TEMPFAIL" "$LOG" && ok postfix/db-down-reason ||
    not_ok postfix/db-down-reason "$(grep "$id" "$LOG" | tail -n 1)"
check_eq postfix/db-down-queued "$(pfq)" 1
sh "$FBL_ROOT/tests/lib/pg.sh" restart "$T/pg"
postqueue -c "$PF/etc" -f
waitfor db-back-delivered sent "$id"
check_eq postfix/db-back-queue-empty "$(pfq)" 0
check_eq postfix/db-back-stored-once \
    "$(rows) $(q "SELECT sum(count) FROM daily_report")" "$((n0 + 3)) $((n0 + 3))"

# 20 reports at once: Postfix runs pipe processes side by side
i=0
files=
while [ $i -lt 20 ]; do
	i=$((i + 1))
	"$PYTHON" "$SEND" report "$P/signed.eml" "burst-$i" "$P/burst$i.eml"
	files="$files $P/burst$i.eml"
done
t0=$(date +%s.%N)
# shellcheck disable=SC2086
ids=$(send fbl@fbl.test $files)
# shellcheck disable=SC2086
waitfor burst-delivered sent $ids
t1=$(date +%s.%N)
check_eq postfix/burst-rows "$(rows)" $((n0 + 23))
# every report passes but the one of the DNS case
check_eq postfix/burst-passes \
    "$(q "SELECT count(*) FROM signature WHERE result = 'pass'")" 24
awk -v a="$t0" -v b="$t1" 'BEGIN { printf "postfix: 20 reports by SMTP to the database in %.2f s (%.1f per second)\n", b - a, 20 / (b - a) }' >&2

# --- 3. the sample mailbox, PostgreSQL down for its middle part ----------
sendpart() {	# part: send the files named in $T/PART, add "name id" to the map
	sed "s|^|$MB/Maildir/new/|" "$T/$1" | xargs "$PYTHON" "$SEND" send 127.0.0.1 \
	    "$SMTP_PORT" sample@fbl.test > "$T/$1.ids"
	paste -d ' ' "$T/$1" "$T/$1.ids" >> "$T/sample.map"
}
waitall() {	# tag status seconds part...
	_t=$1 _s=$2 _w=$3
	shift 3
	# shellcheck disable=SC2046
	if "$PYTHON" "$SEND" wait "$LOG" "$_w" "$_s" $(for _p; do cat "$T/$_p.ids"; done) \
	    > "$T/$_t.wait"; then
		ok "postfix/sample/$_t"
	else
		not_ok "postfix/sample/$_t" "$(tail -n 1 "$T/$_t.wait" | cut -c 1-200; tail -n 3 "$LOG")"
	fi
}
# an empty file cannot go by SMTP (Postfix would hand over a blank line):
# it stays out, and the check finds it empty, never stored
(cd "$MB/Maildir/new" && find . -type f -size +0 | sed 's|^\./||') |
    LC_ALL=C sort > "$T/names"
nsend=$(wc -l < "$T/names")
third=$((nsend * 3 / 10))
head -n "$third" "$T/names" > "$T/part1"
sed -n "$((third + 1)),$((nsend - third))p" "$T/names" > "$T/part2"
tail -n "+$((nsend - third + 1))" "$T/names" > "$T/part3"
: > "$T/sample.map"
t0=$(date +%s.%N)
sendpart part1
waitall up-delivered sent 120 part1
t1=$(date +%s.%N)
sh "$FBL_ROOT/tests/lib/pg.sh" stop "$T/pg"
sendpart part2
waitall down-deferred deferred 120 part2
check_eq postfix/sample/down-queued "$(pfq)" "$(wc -l < "$T/part2")"
sh "$FBL_ROOT/tests/lib/pg.sh" restart "$T/pg"
sendpart part3
postqueue -c "$PF/etc" -f
waitall all-delivered sent 180 part1 part2 part3
t2=$(date +%s.%N)
check_eq postfix/sample/queue-empty "$(pfq)" 0
# delivered once: one status=sent line for each message
check_eq postfix/sample/sent-once \
    "$(grep -c 'status=sent (delivered via fblkeep service' "$LOG") $(sort -u "$T/sample.map" | wc -l)" \
    "$nsend $nsend"
mkdir -p "$T/mbp/Maildir/new"
cp "$MB/manifest.tsv" "$T/mbp/"
find "$MB/Maildir/new" -type f -empty -exec cp {} "$T/mbp/Maildir/new/" \;
if "$PYTHON" "$SEND" delivered "$P/kept" "$T/sample.map" "$T/mbp/Maildir/new" > "$T/delivered.out"; then
	ok postfix/sample/handed-over
	mailbox_rows "$SDB" "$T/sample.rows" "$T/sample.daily"
	$PYTHON "$FBL_ROOT/tests/lib/mailbox_check.py" "$T/mbp" "$T/sample.rows" \
	    "$T/sample.daily" postfix/sample --standing
else
	not_ok postfix/sample/handed-over "$(cat "$T/delivered.out")"
fi
check_eq postfix/sample/counted-once \
    "$(psql "$SDB" -X -Atqc "SELECT (SELECT count(*) FROM report) - (SELECT sum(count) FROM daily_report)")" 0
awk -v n="$nsend" -v u="$third" -v a="$t0" -v b="$t1" -v c="$t2" 'BEGIN {
    printf "# pipe: %d generated messages by SMTP through Postfix to fblscope ingest --pipe in %.1f s (%.1f messages/s), PostgreSQL down for %d of them; the first %d, database up: %.1f messages/s\n",
	n, c - a, n / (c - a), n - 2 * u, u, u / (b - a) }'

fbl_done
exit $?
