#!/bin/sh
# SPDX-License-Identifier: ISC
# source_rules.sh: the rules of CONTRIBUTING.md that a machine can check,
# so that a new file cannot quietly break them: every source file carries
# its SPDX-License-Identifier line; no C file is over 1,000 lines; fbl/
# keeps at most 8 C files at its top level (the rest in its rooms); no
# file of verifier/ or base/ includes a header from a layer above it.
. "$(dirname "$0")/../lib/common.sh"

cd "$FBL_ROOT" || exit 1
if [ -d .git ] && need_cmd git; then
	files=$(git ls-files)
else
	files=$(find . -path ./build -prune -o -type f -print | sed 's|^\./||')
fi

missing=
for f in $files; do
	case $f in
	tests/fuzz/corpus-seeds/*) continue ;;
	*.c|*.h|*.sh|*.py|*.pl|*.sql|*.bash|*.service|*.timer|Makefile|.ci/run|docs/*.[15]) ;;
	*) continue ;;
	esac
	head -n 3 "$f" | grep -q 'SPDX-License-Identifier: ISC' || missing="$missing $f"
done
check_eq source/spdx-line "$missing" ""

long=
for f in $files; do
	case $f in *.c|*.h) ;; *) continue ;; esac
	n=$(wc -l < "$f")
	[ "$n" -le 1000 ] || long="$long $f:$n"
done
check_eq source/no-c-file-over-1000-lines "$long" ""

n=$(printf '%s\n' $files | grep -c '^fbl/[^/]*\.c$')
[ "$n" -le 8 ] && ok "source/fbl-top-at-most-8-c-files: $n" ||
    not_ok source/fbl-top-at-most-8-c-files "$n"

up=$(printf '%s\n' $files | grep -E '^(base|verifier)/.*\.[ch]$' |
    xargs grep -l -E '#include "(fbl|report)/' 2>/dev/null | tr '\n' ' ')
check_eq source/no-include-upward "$up" ""
up=$(printf '%s\n' $files | grep -E '^base/.*\.[ch]$' |
    xargs grep -l -E '#include "verifier/' 2>/dev/null | tr '\n' ' ')
check_eq source/base-includes-only-base "$up" ""

fbl_done
exit $?
