#!/bin/sh
# SPDX-License-Identifier: ISC
# keygen.sh: `fblscope keygen` never replaces a key by accident (issue 11,
# item 7): an existing PREFIX.pem or PREFIX.zone is left as it was (exit 2)
# unless --force; the private key is mode 0600 whatever was there; a planted
# symbolic link is never followed; no temporary file is left behind.
. "$(dirname "$0")/../lib/common.sh"

T=$FBL_TMP
cd "$T" || exit 1
case $FBL_BIN in /*) ;; *) FBL_BIN=$FBL_ROOT/$FBL_BIN ;; esac
umask 022

gen() {	# prefix [--force]: keygen's exit status, stderr in $T/err
	"$FBL_BIN" keygen --domain example.com --selector sel --type ed25519 \
	    --out "$@" > /dev/null 2> "$T/err"
}
mode() { stat -c %a "$1"; }
sum() { sha256sum "$1" | cut -d' ' -f1; }

gen k
check_eq keygen/new-exit "$?" 0
check_eq keygen/new-pem-mode "$(mode k.pem)" 600
check_eq keygen/new-zone-mode "$(mode k.zone)" 644
grep -q 'BEGIN PRIVATE KEY' k.pem && ok keygen/new-pem-is-a-key ||
    not_ok keygen/new-pem-is-a-key "$(head -c 100 k.pem)"

# again without --force: refused, both files exactly as they were
p0=$(sum k.pem) z0=$(sum k.zone)
gen k
check_eq keygen/again-exit "$?" 2
check_eq keygen/again-says "$(cat "$T/err")" \
    "fblscope keygen: k.pem exists: not replaced (--force replaces it)"
check_eq keygen/again-pem-kept "$(sum k.pem)" "$p0"
check_eq keygen/again-zone-kept "$(sum k.zone)" "$z0"

# only the .zone exists: refused, and no .pem made
echo 'old zone' > z.zone
gen z
check_eq keygen/zone-exists-exit "$?" 2
[ ! -e z.pem ] && ok keygen/zone-exists-no-pem || not_ok keygen/zone-exists-no-pem "z.pem made"
check_eq keygen/zone-exists-kept "$(cat z.zone)" "old zone"

# --force over a world-readable file: a new key, mode 0600
chmod 644 k.pem
gen k --force
check_eq keygen/force-exit "$?" 0
[ "$(sum k.pem)" != "$p0" ] && ok keygen/force-new-key || not_ok keygen/force-new-key "same key"
check_eq keygen/force-pem-mode "$(mode k.pem)" 600

# a planted symbolic link: never followed, with or without --force
ln -s "$T/victim" l.pem
gen l
check_eq keygen/link-exit "$?" 2
[ ! -e "$T/victim" ] && ok keygen/link-not-followed || not_ok keygen/link-not-followed "victim created"
gen l --force
check_eq keygen/link-force-exit "$?" 0
[ ! -e "$T/victim" ] && [ ! -L l.pem ] && [ -f l.pem ] &&
    ok keygen/link-force-replaced-link || not_ok keygen/link-force-replaced-link "$(ls -l l.pem "$T/victim" 2>&1)"

# no temporary files (PREFIX.pem.XXXXXX) anywhere
check_eq keygen/no-temporaries "$(ls | grep -c '\.[A-Za-z0-9]\{6\}$')" 0

fbl_done
exit $?
