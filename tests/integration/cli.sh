#!/bin/sh
# SPDX-License-Identifier: ISC
# cli.sh: one command-line language (issue 13, item 9; fblscope(1),
# Conventions).  The commands come from the dispatch tables of the source
# (fblscope.c, fbl/keys/cmd_keys.c), never from a list written here, so a
# command added later is held to the same rules:
#   - `fblscope --help` lists every command, `keys --help` every subcommand;
#   - a usage error is one line "fblscope CMD: PROBLEM (see fblscope CMD
#     --help)" on standard error, nothing on standard output, exit 2, and an
#     unknown option is said once ("unrecognized" once, not getopt's own
#     message too);
#   - --timeout has one default, --jobs one range, wherever they are taken;
#   - --at and its deprecated alias --date give the same output;
#   - verify --format ar names each file; arf prints its clock in ISO 8601;
#   - keys import and keys list print one fingerprint form, --abbrev its
#     first 16 digits.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
S=$FBL_ROOT/samples
Z=$S/zones/demo.zone

# --- the commands, from the tables of the source
COMMANDS=$(sed -n '/^static const struct command commands\[\] = {/,/^};/s/^	{ "\([a-z]*\)", cmd_.*/\1/p' \
    "$FBL_ROOT/fblscope.c")
KEYS_SUBS=$(sed -n '/keys_subs\[\] = {/,/^};/s/^	{ "\([a-z]*\)", .*/\1/p' \
    "$FBL_ROOT/fbl/keys/cmd_keys.c")
check_eq cli/commands-found "$(echo $COMMANDS | wc -w | tr -d ' ')" \
    "$(grep -c '^	{ "[a-z]*", cmd_' "$FBL_ROOT/fblscope.c")"
check_eq cli/keys-subcommands-found "$(echo $KEYS_SUBS | tr ' ' '\n' | sort | tr '\n' ' ')" \
    "audit import list zone "

"$FBL_BIN" --help > "$T/help" 2> "$T/help.err"
check_eq cli/help-exit "$?" 0
for c in $COMMANDS; do
	grep -q "^  $c  *[a-z]" "$T/help" && ok "cli/help-lists/$c" ||
	    not_ok "cli/help-lists/$c" "not in fblscope --help"
done
check_eq cli/help-lists-only-them "$(grep -c '^  [a-z]' "$T/help")" "$(echo $COMMANDS | wc -w | tr -d ' ')"
"$FBL_BIN" keys --help > "$T/keyshelp"
for c in $KEYS_SUBS; do
	grep -q "^  $c  *[a-z]" "$T/keyshelp" && ok "cli/keys-help-lists/$c" ||
	    not_ok "cli/keys-help-lists/$c" "not in fblscope keys --help"
done

# --- usage errors: one line, exit 2, said once
# usage NAME WANT CMD...: stderr is exactly WANT, stdout empty, exit 2
usage() {
	_n=$1 _w=$2
	shift 2
	"$FBL_BIN" "$@" > "$T/u.out" 2> "$T/u.err"
	check_eq "cli/usage/$_n" "$?:$(wc -l < "$T/u.err" | tr -d ' '):$(wc -c < "$T/u.out" | tr -d ' '):$(cat "$T/u.err")" \
	    "2:1:0:$_w"
}
# the words that name each command: volume and keys have subcommands
words() {
	case $1 in
	keys)	for s in $KEYS_SUBS; do echo "keys $s"; done ;;
	volume)	echo "volume import" ;;
	*)	echo "$1" ;;
	esac
}
for c in $COMMANDS; do
	words "$c" > "$T/words"
	while read -r w; do
		n=$(echo "$w" | tr ' ' -)
		# shellcheck disable=SC2086
		usage "$n/unknown-option" \
		    "fblscope $w: unrecognized option \"--no-such-option\" (see fblscope $w --help)" \
		    $w --no-such-option
		grep -o unrecognized "$T/u.err" | wc -l | tr -d ' ' > "$T/n"
		check_eq "cli/usage/$n/said-once" "$(cat "$T/n")" 1
		# shellcheck disable=SC2086
		usage "$n/help-takes-no-value" \
		    "fblscope $w: option \"--help\" takes no value (see fblscope $w --help)" \
		    $w --help=yes
		# shellcheck disable=SC2086
		"$FBL_BIN" $w --help > "$T/h.out" 2> "$T/h.err"
		check_eq "cli/help/$n" "$?:$(wc -c < "$T/h.err" | tr -d ' '):$(head -c 16 "$T/h.out")" \
		    "0:0:usage: fblscope "
		# shellcheck disable=SC2086
		"$FBL_BIN" $w --help | grep -o -- '--timeout MS  *[^(]*(default [0-9]*' |
		    sed 's/.*default //' >> "$T/timeouts"
		# shellcheck disable=SC2086
		if "$FBL_BIN" $w --help | grep -q -- '^  --jobs N'; then
			echo "$w" >> "$T/jobs"
			usage "$n/jobs-range" \
			    "fblscope $w: --jobs: want 1 to 64 (see fblscope $w --help)" \
			    $w --jobs 65 x
		fi
	done < "$T/words"
done
usage no-command "fblscope: no command given (see fblscope --help)"
usage unknown-command "fblscope: unknown command \"frob\" (see fblscope --help)" frob
usage keys-no-subcommand "fblscope keys: no subcommand given (see fblscope keys --help)" keys
usage keys-unknown-subcommand \
    "fblscope keys: unknown subcommand \"frob\" (see fblscope keys --help)" keys frob
usage ambiguous "fblscope verify: ambiguous option \"--dns\" (see fblscope verify --help)" \
    verify --dns 5 x
usage needs-value "fblscope verify: option \"--at\" needs a value (see fblscope verify --help)" \
    verify --at
usage bad-value "fblscope report: --at: want YYYY-MM-DD, today or yesterday (see fblscope report --help)" \
    report --at 2026-02-31
usage bad-value-alias "fblscope report: --at: want YYYY-MM-DD, today or yesterday (see fblscope report --help)" \
    report --date 2026-02-31
usage audit-port "fblscope keys audit: --port \"0\": want 1 to 65535 (see fblscope keys audit --help)" \
    keys audit --port 0
usage db-what "fblscope db: say migrate or status (see fblscope db --help)" db frobnicate

# --- one timeout default, --jobs wherever work is parallel
check_eq cli/timeout-default-one "$(sort -u "$T/timeouts" | tr '\n' ' ')" "3000 "
check_eq cli/timeout-default-everywhere "$(wc -l < "$T/timeouts" | tr -d ' ')" 5
check_eq cli/jobs-commands "$(sort "$T/jobs" | tr '\n' ' ')" "arf ingest reverify verify "

# --- verify --format ar: each field names its file
M1=$S/mail/01-good.eml
M2=$S/mail/03-body-changed.eml
"$FBL_BIN" verify --zone "$Z" --at 2026-11-21T12:00:00Z --format ar \
    --authserv-id mx.example "$M1" "$M2" > "$T/ar.out" 2> "$T/ar.err"
check_eq cli/ar-exit "$?" 1 "$(cat "$T/ar.err")"
check_eq cli/ar-names-files "$(grep '^Authentication-Results:' "$T/ar.out")" \
    "Authentication-Results: mx.example ($M1);
Authentication-Results: mx.example ($M2);"
# the rest of each field is folded: every other line starts with a TAB
check_eq cli/ar-fields-folded "$(grep -vc '^Authentication-Results: \|^	dkim=' "$T/ar.out")" 0
# a name a comment cannot hold as it is: parentheses and backslash quoted
cp "$M1" "$T/a(b)\\c.eml"
"$FBL_BIN" verify --zone "$Z" --at 2026-11-21T12:00:00Z --format ar \
    --authserv-id mx.example "$T/a(b)\\c.eml" > "$T/ar2.out" 2>&1
check_eq cli/ar-comment-quoted "$(head -n 1 "$T/ar2.out")" \
    "Authentication-Results: mx.example ($T/a\\(b\\)\\\\c.eml);"

# --- arf: the clock in ISO 8601
"$FBL_BIN" arf --zone "$Z" --at 2026-11-21T12:00:00Z "$M1" > "$T/arf.out" 2> "$T/arf.err"
check_eq cli/arf-exit "$?" 0 "$(cat "$T/arf.err")"
check_eq cli/arf-iso-8601 "$(grep 'verified as of' "$T/arf.out")" \
    "  verified as of 2026-11-21T12:00:00Z (option)"
"$FBL_BIN" arf --zone "$Z" "$M1" > "$T/arf2.out" 2>&1
grep -Eq '^  verified as of [0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}Z \([a-z-]+\)$' "$T/arf2.out" &&
    ok cli/arf-iso-8601-own-clock || not_ok cli/arf-iso-8601-own-clock "$(grep 'verified' "$T/arf2.out")"

# --- keys audit: --at and --date, --resolver IP@PORT (nothing listens
# there: every question TEMP, exit 75), --port still taken
NOBODY=127.0.0.1@$(free_port)
for o in --at --date; do
	"$FBL_BIN" keys audit --config "$S/fblscope.conf" --resolver "$NOBODY" \
	    --timeout 200 $o 2026-11-21 --format json customer.example > "$T/audit$o.out" 2> "$T/audit$o.err"
	echo $? > "$T/audit$o.rc"
done
check_eq cli/audit-at-exit "$(cat "$T/audit--at.rc")" 75 "$(tail -n 2 "$T/audit--at.err")"
check_eq cli/audit-date-alias-same-output "$(cksum < "$T/audit--date.out"):$(cat "$T/audit--date.rc")" \
    "$(cksum < "$T/audit--at.out"):75"
grep -q '"date":"2026-11-21"' "$T/audit--at.out" && ok cli/audit-at-day ||
    not_ok cli/audit-at-day "$(head -c 200 "$T/audit--at.out")"
"$FBL_BIN" keys audit --config "$S/fblscope.conf" --resolver "$NOBODY" --port 53 \
    --timeout 200 --at 2026-11-21 customer.example > /dev/null 2> "$T/audit-port.err"
check_eq cli/audit-port-taken "$?" 75 "$(tail -n 2 "$T/audit-port.err")"

# --- with PostgreSQL: report --at and --date, one fingerprint form
if ! need_cmd psql; then
	skip cli/database "psql missing"
	fbl_done
	exit $?
fi
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$(free_port)" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok cli/start-postgresql "$(cat "$T/pg.err")"
	fbl_done
	exit $?
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
DB=$(cat "$T/conninfo")
"$FBL_BIN" db migrate --db "$DB" > /dev/null 2> "$T/migrate.err" ||
    not_ok cli/migrate "$(cat "$T/migrate.err")"
"$FBL_BIN" ingest --db "$DB" --config "$S/fblscope.conf" --zone "$Z" --no-progress \
    "$S/mail" > /dev/null 2> "$T/ingest.err"
for f in text json; do
	"$FBL_BIN" report --db "$DB" --config "$S/fblscope.conf" --at 2026-11-21 --format $f > "$T/rep-at.$f" 2>&1
	st=$?
	"$FBL_BIN" report --db "$DB" --config "$S/fblscope.conf" --date 2026-11-21 --format $f > "$T/rep-date.$f" 2>&1
	check_eq "cli/report-date-alias-same/$f" "$?:$(cksum < "$T/rep-date.$f")" "$st:$(cksum < "$T/rep-at.$f")"
	check_eq "cli/report-at-exit/$f" "$st" 0 "$(tail -n 2 "$T/rep-at.$f")"
done

"$FBL_BIN" keys import --db "$DB" "$Z" > "$T/imp.out" 2> "$T/imp.err"
"$FBL_BIN" keys list --db "$DB" > "$T/list.out" 2> "$T/list.err"
check_eq cli/keys-list-exit "$?" 0 "$(cat "$T/list.err")"
cut -f1,3 "$T/imp.out" | sort > "$T/imp.fp"
cut -f1,3 "$T/list.out" | sort > "$T/list.fp"
check_eq cli/fingerprint-import-is-list "$(cat "$T/imp.fp")" "$(cat "$T/list.fp")"
check_eq cli/fingerprint-64-hex "$(cut -f2 "$T/list.fp" | grep -cvE '^[0-9a-f]{64}$')" 0
check_eq cli/fingerprint-some "$(wc -l < "$T/list.fp" | tr -d ' ')" 3
"$FBL_BIN" keys list --db "$DB" --abbrev > "$T/lista.out"
"$FBL_BIN" keys import --db "$DB" --abbrev "$Z" > "$T/impa.out" 2> /dev/null
check_eq cli/fingerprint-abbrev-list "$(cut -f1,3 "$T/lista.out" | sort)" \
    "$(sed 's/^\([^	]*\)	\(................\).*/\1	\2/' "$T/list.fp")"
check_eq cli/fingerprint-abbrev-import "$(cut -f1,3 "$T/impa.out" | sort)" \
    "$(cut -f1,3 "$T/lista.out" | sort)"

fbl_done
exit $?
