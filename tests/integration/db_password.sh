#!/bin/sh
# SPDX-License-Identifier: ISC
# db_password.sh: a password inside --db draws one warning that points at
# ~/.pgpass / PGPASSFILE (issue 11, item 13), for every command that takes
# --db, in both conninfo forms; none without a password.  No server is
# needed: port 1 refuses at once, and the warning comes before connecting.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
W="fblscope: warning: the --db connection string holds a password, which every user of this machine can read (ps); put it in ~/.pgpass or in the file PGPASSFILE names instead"
KV='host=127.0.0.1 port=1 connect_timeout=2 password=hunter2'
URI='postgresql://fbl:hunter2@127.0.0.1:1/fblscope?connect_timeout=2'
PLAIN='host=127.0.0.1 port=1 connect_timeout=2'

warned() {	# name expect(1|0) args...: the warning said exactly once or not at all
	_n=$1 _want=$2
	shift 2
	"$FBL_BIN" "$@" > /dev/null 2> "$T/err" < /dev/null
	check_eq "$_n" "$(grep -cxF "$W" "$T/err")" "$_want"
}

warned dbpw/db-kv 1 db --db "$KV" migrate
warned dbpw/db-uri 1 db --db "$URI" migrate
warned dbpw/db-equals 1 db --db="$URI" migrate
warned dbpw/report 1 report --db "$KV" --date 2026-11-21
warned dbpw/reverify 1 reverify --db "$KV"
warned dbpw/keys-list 1 keys list --db "$KV"
warned dbpw/volume 1 volume import --db "$URI" /dev/null
warned dbpw/plain 0 db --db "$PLAIN" migrate
warned dbpw/empty-password 0 db --db "$PLAIN password=" migrate
# the warning is not the error: the command still says why it failed
"$FBL_BIN" db --db "$KV" migrate > /dev/null 2> "$T/err"
check_eq dbpw/still-fails "$?" 2
grep -q 'cannot connect to PostgreSQL' "$T/err" && ok dbpw/error-said ||
    not_ok dbpw/error-said "$(cat "$T/err")"
# and the password itself is never echoed back
if grep -q hunter2 "$T/err"; then
	not_ok dbpw/password-not-printed "$(cat "$T/err")"
else
	ok dbpw/password-not-printed
fi

fbl_done
exit $?
