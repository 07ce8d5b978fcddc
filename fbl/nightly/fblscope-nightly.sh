#!/bin/sh
# SPDX-License-Identifier: ISC
# shellcheck disable=SC2317  # the steps are called as "$s"
# fblscope-nightly: the nightly run of docs/operations.md, section 3.
#
#   fblscope-nightly [STEP...]
#
# STEP is ingest, volumes, reverify, reattribute, audit or report (default:
# all six, in that order; the key audit timer runs "audit" alone).  Settings are shell
# assignments read from $FBLSCOPE_NIGHTLY_CONF, default
# @SYSCONFDIR@/fblscope/nightly.conf (see nightly.conf.example beside it).
#
# Each step runs under its own database role and prints one line on
# standard output, which cron mails and the journal keeps:
#   fblscope-nightly: step=ingest status=ok exit=0 seconds=12 read=840 ...
# status is ok, warn (the command did its work and found something to look
# at: an unparseable message, a signature still temperror, a FAIL in the key
# audit) or fail (it could not do its work).  After a failed step the later
# ones still run: the report of what is stored is still worth having, and
# says itself which days are incomplete.  Exit status: 0 every step ok or
# warn; 1 some step failed; 2 the settings are wrong (nothing ran).
set -u

conf=${FBLSCOPE_NIGHTLY_CONF:-@SYSCONFDIR@/fblscope/nightly.conf}
FBLSCOPE=${FBLSCOPE:-@BINDIR@/fblscope}
FBL_DB=
FBL_INGEST_ROLE=fbl_ingest
FBL_AUDIT_ROLE=fbl_audit
FBL_REPORT_ROLE=fbl_report
FBL_SOURCES=
FBL_INGEST_OPTIONS=
FBL_AUDIT_OPTIONS=
FBL_VOLUMES_DIR=
FBL_REVERIFY_DAYS=30
FBL_REPORT_DIR=
FBL_REPORT_FORMATS="text html"
FBL_DELIVER=
FBL_DAY=

die() {
	printf 'fblscope-nightly: %s\n' "$*" >&2
	exit 2
}

[ -r "$conf" ] || die "$conf: cannot read the settings"
# shellcheck disable=SC1090
. "$conf" || die "$conf: cannot read the settings"
[ -n "$FBL_REPORT_DIR" ] || die "$conf: FBL_REPORT_DIR is not set"
[ -d "$FBL_REPORT_DIR" ] || die "$FBL_REPORT_DIR: not a directory"
case $FBL_REVERIFY_DAYS in
''|*[!0-9]*) die "$conf: FBL_REVERIFY_DAYS is not a number" ;;
esac
if [ -z "$FBL_DAY" ]; then
	# the report day: yesterday, in the report-timezone of fblscope.conf
	# if the settings give TZ
	FBL_DAY=$(date -d yesterday +%F) || die "cannot compute yesterday"
fi
db() { printf '%s user=%s' "$FBL_DB" "$1"; }

tmp=$(mktemp -d "${TMPDIR:-/tmp}/fblscope-nightly.XXXXXX") ||
    die "cannot make a temporary directory"
trap 'rm -rf "$tmp"' EXIT
trap 'exit 3' INT TERM
failed=0

# step NAME "WARN_STATUS..." COMMAND...: run it, its standard error passed on
# (its standard output, such as the key audit's rows, is not: the report
# shows what matters of it), and print the step's line with the command's
# own "summary" figures.
step() {
	name=$1 warn=$2
	shift 2
	t0=$(date +%s)
	"$@" > "$tmp/$name.out" 2> "$tmp/$name.err"
	st=$?
	t1=$(date +%s)
	grep -v '^fblscope [a-z ]*: summary ' "$tmp/$name.err" >&2
	figures=$(sed -n 's/^fblscope [a-z ]*: summary //p' "$tmp/$name.err" |
	    tail -n 1)
	if [ "$st" -eq 0 ]; then
		status=ok
	elif case " $warn " in *" $st "*) true ;; *) false ;; esac; then
		status=warn
	else
		status=fail
		failed=1
	fi
	printf 'fblscope-nightly: step=%s status=%s exit=%d seconds=%d%s\n' \
	    "$name" "$status" "$st" "$((t1 - t0))" "${figures:+ $figures}"
}

ingest() {
	[ -n "$FBL_SOURCES" ] || return 0
	# shellcheck disable=SC2086
	step ingest 1 "$FBLSCOPE" ingest --db "$(db "$FBL_INGEST_ROLE")" \
	    --no-progress $FBL_INGEST_OPTIONS $FBL_SOURCES
}

# Each CSV file of FBL_VOLUMES_DIR once: imported, then moved to done/.
volumes() {
	[ -n "$FBL_VOLUMES_DIR" ] || return 0
	set -- "$FBL_VOLUMES_DIR"/*.csv
	[ -e "$1" ] || return 0
	step volumes -1 "$FBLSCOPE" volume import \
	    --db "$(db "$FBL_INGEST_ROLE")" "$@"
	if [ "$status" != fail ]; then
		mkdir -p "$FBL_VOLUMES_DIR/done" &&
		    mv -f "$@" "$FBL_VOLUMES_DIR/done/" || failed=1
	fi
}

reverify() {
	step reverify 1 "$FBLSCOPE" reverify --db "$(db "$FBL_INGEST_ROLE")" \
	    --since "$(date -d "$FBL_REVERIFY_DAYS days ago" +%F)"
}

# The same days attributed again under today's configuration: a customer
# added yesterday gets the complaints that arrived before it was.
reattribute() {
	step reattribute -1 "$FBLSCOPE" reattribute \
	    --db "$(db "$FBL_INGEST_ROLE")" \
	    --since "$(date -d "$FBL_REVERIFY_DAYS days ago" +%F)"
}

audit() {
	# shellcheck disable=SC2086
	# 1: some FAIL; 75 (EX_TEMPFAIL): some TEMP, no FAIL
	step audit "1 75" "$FBLSCOPE" keys audit --db "$(db "$FBL_AUDIT_ROLE")" \
	    $FBL_AUDIT_OPTIONS
}

# Every format to a temporary name first, then renamed, so that a reader
# never sees half a report; the text report this run made is what
# FBL_DELIVER gets (never an older one left in the directory).
report() {
	made_text=no
	for f in $FBL_REPORT_FORMATS; do
		out=$FBL_REPORT_DIR/fblscope-$FBL_DAY.$f
		step "report-$f" -1 "$FBLSCOPE" report \
		    --db "$(db "$FBL_REPORT_ROLE")" --at "$FBL_DAY" \
		    --format "$f" --out "$out.tmp"
		if [ "$status" = ok ] && mv -f "$out.tmp" "$out"; then
			[ "$f" = text ] && made_text=yes
		else
			failed=1
			rm -f "$out.tmp"
		fi
	done
	txt=$FBL_REPORT_DIR/fblscope-$FBL_DAY.text
	if [ -n "$FBL_DELIVER" ]; then
		if [ "$made_text" = yes ]; then
			step deliver -1 sh -c "$FBL_DELIVER" < "$txt"
		else
			printf 'fblscope-nightly: step=deliver status=fail exit=-1 seconds=0 why=no-text-report\n'
			failed=1
		fi
	fi
}

[ $# -gt 0 ] || set -- ingest volumes reverify reattribute audit report
for s in "$@"; do
	case $s in
	ingest|volumes|reverify|reattribute|audit|report) "$s" ;;
	*) die "unknown step \"$s\" (ingest, volumes, reverify, reattribute, audit, report)" ;;
	esac
done
exit "$failed"
