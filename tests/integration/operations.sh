#!/bin/sh
# SPDX-License-Identifier: ISC
# operations.sh: docs/operations.md, executed.  `make install` into a
# scratch root, every shell block of the page in page order (rewritten by
# tests/lib/operations_blocks.py: /etc, /var and /usr/local under the root,
# the database host a private PostgreSQL, systemctl and journalctl
# recorded), the roles of its set-up block, then the installed nightly run
# on the generated mailbox, each step under its role; the report's figures
# are checked against the generator's manifest (tests/lib/report_check.py).
# Also: the installed units pass `systemd-analyze verify`, and `make
# uninstall` removes what install put there.
#
# The page's first block makes the system user fblscope with adduser, as
# an operator would: this test runs only as root, and removes the user
# again at exit when it made it.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
R=$T/root
DAY=2026-11-21
if [ "$(id -u)" != 0 ]; then
	skip operations/all "not root: the page's blocks make a system user"
	exit 0
fi
if ! need_cmd psql make adduser; then
	skip operations/all "psql, make or adduser missing"
	exit 0
fi
if ! sh "$FBL_ROOT/samples/mailbox.sh" "$T/mb" 3000 7 > "$T/gen.log" 2>&1; then
	not_ok operations/generate "$(tail -3 "$T/gen.log")"
	exit 1
fi
PORT=$(free_port)
if ! sh "$FBL_ROOT/tests/lib/pg.sh" start "$T/pg" "$PORT" > "$T/conninfo" 2> "$T/pg.err"; then
	not_ok operations/start-postgresql "$(cat "$T/pg.err")"
	exit 1
fi
at_exit "sh '$FBL_ROOT/tests/lib/pg.sh' stop '$T/pg'"
SU=$(cat "$T/conninfo")
if ! getent passwd fblscope > /dev/null; then
	at_exit "deluser --system fblscope > /dev/null 2>&1; delgroup --system fblscope > /dev/null 2>&1"
fi

# what the operator writes: the configuration (the mailbox's customers)
# and the key directory
mkdir -p "$R/etc/fblscope/keys"
{ cat "$T/mb/fblscope.conf"; echo 'nameserver ns1.myesp.example'
    echo 'rotation-months 1'; } > "$R/etc/fblscope.conf"
cp "$T/mb/archived-keys.zone" "$R/etc/fblscope/keys/published.zone"
mkdir -p "$T/shim"
for c in systemctl journalctl; do
	printf '#!/bin/sh\necho "%s $*" >> "%s/shim.log"\n' "$c" "$T" > "$T/shim/$c"
	chmod 0755 "$T/shim/$c"
done
PATH=$T/shim:$R/usr/local/bin:$PATH
FBLSCOPE_CONFIG=$R/etc/fblscope.conf
export PATH FBLSCOPE_CONFIG

# ---- the page's blocks, in order ----
"$PYTHON" "$FBL_ROOT/tests/lib/operations_blocks.py" \
    "$FBL_ROOT/docs/operations.md" "$T/blocks" "$R" "$PORT" "$FBL_ROOT" \
    > "$T/blocks.list"
check_eq operations/blocks-found "$(grep -c ' sh$' "$T/blocks.list") $(grep -c ' sql$' "$T/blocks.list")" "9 1"
while read -r n kind why; do
	case $kind in
	skip)	skip "operations/block-$n" "$why" ;;
	sql)	psql "$SU" -X -q -v ON_ERROR_STOP=1 -f "$T/blocks/$n.sql" \
		    > "$T/blocks/$n.out" 2>&1
		check_eq "operations/block-$n" "$?" 0 "$(head -5 "$T/blocks/$n.out")" ;;
	sh)	(cd "$T" && sh -e "$T/blocks/$n.sh") < /dev/null \
		    > "$T/blocks/$n.out" 2>&1
		check_eq "operations/block-$n" "$?" 0 \
		    "$(head -c 400 "$T/blocks/$n.sh") => $(head -5 "$T/blocks/$n.out")" ;;
	esac
done < "$T/blocks.list"
check_eq operations/secret-mode "$(stat -c %a "$R/etc/fblscope/hmac.key")" 600
check_eq operations/systemctl-named-units \
    "$(grep -o 'fblscope-[a-z-]*\.timer' "$T/shim.log" | sort -u | tr '\n' ' ')" \
    "fblscope-keys-audit.timer fblscope-nightly.timer "
for u in $(grep -o 'fblscope-[a-z-]*\.timer' "$T/shim.log" | sort -u); do
	[ -f "$R/usr/local/lib/systemd/system/$u" ] &&
	    [ -f "$R/usr/local/lib/systemd/system/${u%.timer}.service" ] ||
	    not_ok "operations/unit-installed-$u" "not in $R/usr/local/lib/systemd/system"
done

# ---- the nightly run, installed, on the mailbox ----
# as the user fblscope, as the units run it: it owns the Maildir, the
# volume and report directories; the path down to them is searchable
p=$T
while [ "$p" != / ]; do chmod o+x "$p"; p=$(dirname "$p"); done
mkdir -p "$R/var/lib/fblscope/volumes" "$T/out"
cp "$T/mb/volumes.csv" "$R/var/lib/fblscope/volumes/"
chown -R fblscope:fblscope "$R/var/lib/fblscope/volumes" "$T/mb/Maildir" "$T/out"
chmod o+r "$T/mb/keys.zone"
cat >> "$R/etc/fblscope/nightly.conf" <<CONF
FBL_DB='host=127.0.0.1 port=$PORT dbname=fbl'
FBL_SOURCES='$T/mb/Maildir'
FBL_INGEST_OPTIONS='--zone $T/mb/keys.zone'
FBL_AUDIT_OPTIONS='--resolver 127.0.0.1@$(free_port) --timeout 200 --at $DAY'
FBL_VOLUMES_DIR=$R/var/lib/fblscope/volumes
FBL_REPORT_DIR=$R/var/lib/fblscope/reports
FBL_REPORT_FORMATS='text csv json html'
FBL_DELIVER='cat > $T/out/delivered.txt'
FBL_DAY=$DAY
CONF
run_nightly() {
	runuser -u fblscope -- env FBLSCOPE_CONFIG="$FBLSCOPE_CONFIG" \
	    FBLSCOPE_NIGHTLY_CONF="$R/etc/fblscope/nightly.conf" \
	    FBLSCOPE="$R/usr/local/bin/fblscope" \
	    "$R/usr/local/libexec/fblscope/nightly" "$@"
}
run_nightly > "$T/nightly.out" 2> "$T/nightly.err"
check_eq operations/nightly-exit "$?" 0 "$(cat "$T/nightly.out") $(tail -5 "$T/nightly.err")"
steps=$(sed -n 's/^fblscope-nightly: step=\([a-z-]*\) status=\([a-z]*\) .*/\1=\2/p' "$T/nightly.out" | tr '\n' ' ')
# the mailbox holds garbage on purpose (ingest: warn); nobody answers the
# key audit's questions (TEMP: warn)
check_eq operations/nightly-steps "$steps" \
    "ingest=warn volumes=ok reverify=ok reattribute=ok audit=warn report-text=ok report-csv=ok report-json=ok report-html=ok deliver=ok "
check_eq operations/nightly-ingest-figures \
    "$(grep -c '^fblscope-nightly: step=ingest .* read=[0-9]* stored=[0-9]* complaints=' "$T/nightly.out")" 1
# nobody answers: every domain of the configuration (its exact customer
# domains and the ESP token) is TEMP, none FAIL
ndom=$(( $(grep -c '^customer[[:space:]]' "$R/etc/fblscope.conf") + $(grep -c '^esp-domain[[:space:]]' "$R/etc/fblscope.conf") ))
check_eq operations/nightly-audit-figures \
    "$(sed -n 's/^fblscope-nightly: step=audit status=warn exit=75 seconds=[0-9]* \(domains=[0-9]* ok=[0-9]* warn=[0-9]* fail=[0-9]* temp=[0-9]*\) .*/\1/p' "$T/nightly.out")" \
    "domains=$ndom ok=0 warn=0 fail=0 temp=$ndom"
check_eq operations/volumes-moved "$(ls "$R/var/lib/fblscope/volumes/done")" volumes.csv
rd=$R/var/lib/fblscope/reports
check_eq operations/delivered-is-text-report \
    "$(cmp -s "$T/out/delivered.txt" "$rd/fblscope-$DAY.text" && echo same)" same
"$PYTHON" "$FBL_ROOT/tests/lib/report_check.py" "$T/mb" $DAY 30 1 \
    "$rd/fblscope-$DAY.json" "$rd/fblscope-$DAY.csv" "$rd/fblscope-$DAY.text" |
    sed 's|report/|operations/nightly-report/|'
# a step that fails makes the run fail, and the others still run
sed -i 's/^FBL_REPORT_ROLE=.*//; $a FBL_REPORT_ROLE=fbl_nobody' "$R/etc/fblscope/nightly.conf"
run_nightly volumes report > "$T/nightly2.out" 2> "$T/nightly2.err"
check_eq operations/nightly-failed-step "$?:$(sed -n 's/^fblscope-nightly: step=\([a-z-]*\) status=\([a-z]*\) .*/\1=\2/p' "$T/nightly2.out" | tr '\n' ' ')" \
    "1:report-text=fail report-csv=fail report-json=fail report-html=fail deliver=fail "

# ---- the installed bash completion, from the program's own --help ----
if need_cmd bash; then
	comp() {	# words...: what completing the last word offers
		PATH=$R/usr/local/bin:$PATH bash -c '
		    . "$1"; shift
		    COMP_WORDS=("$@"); COMP_CWORD=$(($# - 1))
		    _fblscope; printf "%s\n" "${COMPREPLY[@]}"' comp \
		    "$R/usr/local/share/bash-completion/completions/fblscope" "$@" |
		    sort | tr '\n' ' '
	}
	check_eq operations/completion-commands "$(comp fblscope re)" \
	    "reattribute report reverify "
	check_eq operations/completion-subcommands "$(comp fblscope keys a)" "audit "
	check_eq operations/completion-options "$(comp fblscope ingest --con)" "--config "
	check_eq operations/completion-sub-options "$(comp fblscope keys audit --pri)" \
	    "--private-keys "
else
	skip operations/completion "bash missing"
fi

# ---- the units, as installed under a prefix of their own ----
if need_cmd systemd-analyze; then
	make -s -C "$FBL_ROOT" install PREFIX="$T/v/usr" > "$T/v.out" 2>&1
	systemd-analyze verify --man=no "$T/v/usr/lib/systemd/system/"fblscope-* \
	    > "$T/verify.out" 2>&1
	check_eq operations/units-verify "$?:$(cat "$T/verify.out")" "0:"
else
	skip operations/units-verify "systemd-analyze missing"
fi

# ---- uninstall: what install put there, and only that ----
make -s -C "$FBL_ROOT" uninstall DESTDIR="$R" > "$T/un.out" 2>&1
check_eq operations/uninstall "$?" 0 "$(cat "$T/un.out")"
check_eq operations/uninstall-left "$(cd "$R" && find . -type f | grep -v '^./var/lib/fblscope/' | sort | tr '\n' ' ')" \
    "./etc/fblscope.conf ./etc/fblscope/hmac.key ./etc/fblscope/keys/published.zone ./etc/fblscope/nightly.conf "

fbl_done
exit $?
