#!/bin/sh
# SPDX-License-Identifier: ISC
# deps.sh: install the Debian 12 packages that building, testing, fuzzing and
# benchmarking fblscope need, and nothing when they are all there.
#
#   sh tests/lib/deps.sh          (make deps / make test / make demo run it;
#                                  NO_DEPS=1 make ... skips it)
#
# Idempotent: asks dpkg which packages are installed (one dpkg-query call, well
# under a second) and runs apt-get update + install only for the missing ones.
# apt-get runs as root, or through "sudo -n" (never prompts); with neither the
# script stops with the list of what is missing.
#
# System services: the postgresql, nsd and unbound packages would start their
# system daemons (ports 5432 and 53) on installation.  The tests run servers of
# their own on 127.0.0.x high ports and never use or touch those, so while
# installing we keep Debian from starting any service (a temporary policy-rc.d
# that says "101: action forbidden", removed afterwards; an existing one is left
# alone).
# We never start or stop a system service.
set -eu

# Build: compiler, pkg-config, OpenSSL, ldns, PCRE2, libpq, libcurl (the
# IMAP source, OpenSSL flavour: the TLS library fblscope already links).
# Fuzz/sanitizers: clang with its runtime (libFuzzer, ASan, UBSan), llvm for
# llvm-symbolizer.  Tests: openssl CLI (keys), ldnsutils (drill, ldns-*), NSD,
# Unbound (the recursive resolver of tests/integration/keys_audit.sh),
# PostgreSQL server, python3 + dkimpy + nacl + jsonschema (the report's JSON
# Schema), OpenDKIM and Mail::DKIM (interop), valgrind (bench instruction
# counts), chromium + python3-pil (the HTML report rendered headless, its
# screenshot inspected: tests/integration/html_charts.sh), GNU time (peak
# RSS of the hostile-input tests and the benchmark), Dovecot (the IMAP
# server of tests/integration/imap.sh).  Postfix: a private
# instance delivers to `fblscope ingest --pipe` through pipe(8)
# (tests/integration/mta_pipe.sh); installed with debconf's "No
# configuration", so the package writes no main.cf and starts nothing.
# altermime and mlmmj: the real intermediaries of the damage set
# (tests/lib/damage_gen.py): a disclaimer tool and a mailing-list manager.
PKGS="build-essential pkg-config clang libclang-rt-14-dev llvm
libssl-dev openssl libldns-dev ldnsutils libpcre2-dev libpq-dev
libcurl4-openssl-dev
postgresql postgresql-contrib nsd unbound dovecot-imapd
python3 python3-dkim python3-nacl python3-dnspython python3-jsonschema
opendkim-tools libopendkim-dev libmail-dkim-perl valgrind
chromium python3-pil time postfix altermime mlmmj"

die() {
	echo "deps.sh: $*" >&2
	exit 1
}

command -v dpkg-query >/dev/null 2>&1 ||
	die "dpkg-query not found: this installer is for Debian 12 (install the packages by hand: $(echo $PKGS))"

# Packages whose status is not "install ok installed" (absent ones included).
missing_pkgs() {
	# shellcheck disable=SC2086
	dpkg-query -W -f='${Package} ${Status}\n' $PKGS 2>/dev/null |
	    awk -v want="$(echo $PKGS)" '
		$2 == "install" && $3 == "ok" && $4 == "installed" { have[$1] = 1 }
		END {
			n = split(want, w, " ")
			for (i = 1; i <= n; i++)
				if (!(w[i] in have))
					printf "%s ", w[i]
		}'
}

missing=$(missing_pkgs)
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ]; then
	SUDO=
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	SUDO="sudo -n"
else
	die "missing packages: $missing
deps.sh: cannot install them: not root and no passwordless sudo.
deps.sh: install them as root (apt-get install $missing), or run make with NO_DEPS=1 if you provide them another way."
fi

echo "deps.sh: installing: $missing"

POLICY=/usr/sbin/policy-rc.d
made_policy=
cleanup() {
	if [ -n "$made_policy" ]; then
		$SUDO rm -f "$POLICY" || true
	fi
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
if [ ! -e "$POLICY" ]; then
	# Keep postinst scripts from starting nsd / unbound / postgresql /
	# postfix / dovecot system services.
	printf '#!/bin/sh\n# temporary, from fblscope tests/lib/deps.sh\nexit 101\n' |
	    $SUDO tee "$POLICY" >/dev/null
	$SUDO chmod 0755 "$POLICY"
	made_policy=1
fi

case " $missing " in
*" postfix "*)
	echo 'postfix postfix/main_mailer_type select No configuration' |
	    $SUDO debconf-set-selections ;;
esac
APT="$SUDO env DEBIAN_FRONTEND=noninteractive apt-get -q -o DPkg::Lock::Timeout=300"
# shellcheck disable=SC2086
$APT update || die "apt-get update failed"
# shellcheck disable=SC2086
$APT install -y --no-install-recommends $missing </dev/null ||
	die "apt-get install failed for: $missing"

still=$(missing_pkgs)
[ -z "$still" ] || die "still missing after apt-get install: $still"
echo "deps.sh: done"
