#!/bin/sh
# SPDX-License-Identifier: ISC
# config_rule.sh: every command finds fblscope.conf(5) by one rule:
# --config, else $FBLSCOPE_CONFIG, else /etc/fblscope.conf when it exists;
# the commands that need one (ingest, keys audit, keys zone) exit 2 with a
# clear message without; ingest names the file it used.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
S=$FBL_ROOT/samples
ETC=/etc/fblscope.conf
NOCONF="no configuration: give --config FILE, set FBLSCOPE_CONFIG, or create $ETC (see fblscope.conf(5))"
ARF="arf --zone $S/zones/demo.zone $S/mail/01-good.eml"
role2() { sed -n 's/^  signature 2: .*; role //p' "$1"; }

# a run with nothing: no option, no variable, no /etc file
if [ -e "$ETC" ]; then
	skip config/none "$ETC exists on this machine"
else
	for c in "ingest:ingest --db dbname=none $S/mail" \
	    "keys audit:keys audit" "keys zone:keys zone"; do
		n=${c%%:*}
		# shellcheck disable=SC2086
		env -u FBLSCOPE_CONFIG "$FBL_BIN" ${c#*:} > "$T/out" 2> "$T/err"
		check_eq "config/none/$(echo "$n" | tr ' ' -)" \
		    "$?:$(cat "$T/err")" "2:fblscope $n: $NOCONF"
	done
	# shellcheck disable=SC2086
	env -u FBLSCOPE_CONFIG "$FBL_BIN" $ARF > "$T/out" 2> "$T/err"
	check_eq config/none/arf-runs "$?:$(role2 "$T/out")" "0:unknown"
	env FBLSCOPE_CONFIG= "$FBL_BIN" keys zone > /dev/null 2> "$T/err"
	check_eq config/none/empty-variable "$?:$(cat "$T/err")" \
	    "2:fblscope keys zone: $NOCONF"
fi

# the variable: used, and --config wins over it
# shellcheck disable=SC2086
FBLSCOPE_CONFIG=$S/fblscope.conf "$FBL_BIN" $ARF > "$T/out" 2> "$T/err"
check_eq config/variable/used "$?:$(role2 "$T/out")" "0:customer (cust-001)"
# shellcheck disable=SC2086
FBLSCOPE_CONFIG=$S/fblscope.conf "$FBL_BIN" arf \
    --config "$FBL_ROOT/tests/integration/data/empty.conf" \
    --zone "$S/zones/demo.zone" "$S/mail/01-good.eml" > "$T/out" 2> "$T/err"
check_eq config/option-wins "$?:$(role2 "$T/out")" "0:unknown"
# a file the variable names must exist, even for a command that could do
# without one
FBLSCOPE_CONFIG=$T/missing.conf "$FBL_BIN" arf "$S/mail/01-good.eml" \
    > /dev/null 2> "$T/err"
check_eq config/variable/missing "$?:$(cat "$T/err")" \
    "2:fblscope arf: $T/missing.conf: No such file or directory"
FBLSCOPE_CONFIG=$T/missing.conf "$FBL_BIN" report --db dbname=none \
    > /dev/null 2> "$T/err"
check_eq config/variable/missing-report "$?:$(cat "$T/err")" \
    "2:fblscope report: $T/missing.conf: No such file or directory"
printf 'esp-domian fbl.example\n' > "$T/bad.conf"
FBLSCOPE_CONFIG=$T/bad.conf "$FBL_BIN" keys zone > /dev/null 2> "$T/err"
check_eq config/variable/bad "$?:$(cat "$T/err")" \
    "2:fblscope keys zone: $T/bad.conf:1: unknown key \"esp-domian\""

# /etc/fblscope.conf when neither names one: written for the run only, as
# root, and only where the machine has none of its own
if [ -e "$ETC" ]; then
	skip config/etc "$ETC exists on this machine: not replaced"
elif [ "$(id -u)" != 0 ]; then
	skip config/etc "not root: cannot write $ETC"
else
	at_exit "rm -f '$ETC'"
	cp "$S/fblscope.conf" "$ETC"
	# shellcheck disable=SC2086
	env -u FBLSCOPE_CONFIG "$FBL_BIN" $ARF > "$T/out" 2> "$T/err"
	check_eq config/etc/used "$?:$(role2 "$T/out")" "0:customer (cust-001)"
	rm -f "$ETC"
fi

# ingest says which file it used, and warns when it names no one
if ! need_cmd psql; then
	skip config/ingest "psql missing"
elif ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" \
    > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok config/ingest/start-postgresql "$(cat "$T/pg.err")"
else
	at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
	DB=$(cat "$T/conninfo")
	"$FBL_BIN" db migrate --db "$DB" > /dev/null
	FBLSCOPE_CONFIG=$S/fblscope.conf "$FBL_BIN" ingest --db "$DB" \
	    --zone "$S/zones/demo.zone" --no-progress "$S/mail/01-good.eml" \
	    > /dev/null 2> "$T/err"
	check_eq config/ingest/exit "$?" 0
	check_eq config/ingest/names-file \
	    "$(grep '^  configuration ' "$T/err")" \
	    "  configuration $S/fblscope.conf"
	check_eq config/ingest/role "$(psql "$DB" -Atc \
	    "SELECT string_agg(role || ':' || coalesce(customer_id, '-'), ' '
	     ORDER BY role) FROM signature")" "customer:cust-001 esp:-"
	"$FBL_BIN" ingest --db "$DB" --zone "$S/zones/demo.zone" \
	    --no-progress "$S/mail/02-good-ed25519.eml" > /dev/null 2> "$T/err"
	check_eq config/ingest/empty-warns \
	    "$(grep '^  configuration ' "$T/err")" \
	    "  configuration $FBLSCOPE_CONFIG (names no customer and no ESP token: every signature stored with role unknown)"
fi

fbl_done
exit $?
