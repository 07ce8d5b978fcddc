# SPDX-License-Identifier: ISC
# chromium.sh: render a local HTML file in headless Chromium with no network
# (POSIX sh; source it after tests/lib/common.sh).
#
#   . "$FBL_ROOT/tests/lib/chromium.sh"
#   chromium_usable || { skip NAME "$CHROMIUM_WHY"; ... }
#   trap_start                     # every connection is logged, none served
#   chromium_shot  FILE.html OUT.png   # screenshot, 1280x2000
#   chromium_dom   FILE.html OUT.html  # the DOM after load (--dump-dom)
#   chromium_shot_at FILE.html OUT.png W H   # screenshot of a WxH viewport
#   chromium_layout FILE.html W H PREFIX [SECTION]  # layout test lines
#   trap_count                     # connections the trap has seen
#
# No network: every request Chromium makes goes to a trap proxy on loopback
# (--proxy-server, and '<-loopback>' so that even loopback is not bypassed).
# The trap is a small python listener that records each connection (and the
# first line of the request) in $CHROMIUM_TRAP_LOG and answers 403, so a page
# that reaches out is seen instead of silently failing or, worse, succeeding.
# Host names are not resolved either (--host-resolver-rules), so DNS leaks
# nothing.
#
# Chromium itself talks to Google even when told not to: with every
# --disable-* switch below, Chromium 156 still asked for the network time
# (clients2.google.com), an on-demand component manifest
# (update.googleapis.com) and the signed-in accounts (accounts.google.com
# ListAccounts) at each start, and the trap saw them.  So: the Debian wrapper
# /usr/bin/chromium is bypassed (it sources /etc/chromium.d, which adds
# Google API keys and --enable-remote-extensions), network time is a
# disabled feature, the component updater's URL is a file: URL it cannot
# fetch, and the sign-in service points at gaia.invalid (RFC 6761: never
# resolves).  That request still reaches the trap, which logs it; trap_count
# counts every connection except those to *.invalid names, which cannot
# leave the machine whatever asks for them.
#
# Chromium keeps its profile, cache and crash dumps under
# $FBL_TMP/chromium (HOME and the XDG directories point there), and runs
# with --no-sandbox (the tests may run as root, where the sandbox refuses to
# start).  Each run is limited to CHROMIUM_TIMEOUT seconds (default 60).
#
# Variables: CHROMIUM (the binary; found on PATH when unset),
# CHROMIUM_WHY (why chromium_usable said no), CHROMIUM_TRAP_PORT,
# CHROMIUM_TRAP_LOG.

: "${CHROMIUM_TIMEOUT:=60}"
CHROMIUM_HOME=$FBL_TMP/chromium
CHROMIUM_TRAP_LOG=$CHROMIUM_HOME/trap.log
CHROMIUM_TRAP_PORT=
CHROMIUM_WHY=
# One list: with --disable-features given twice, the last one wins.
CHROMIUM_NO_FEATURES=NetworkTimeServiceQuerying,Translate,MediaRouter,OptimizationHints,OptimizationGuideModelDownloading,OptimizationGuideOnDeviceModel,AutofillServerCommunication,CertificateTransparencyComponentUpdater

# Run chromium with the isolating options and whatever else is given.
chromium_run() {
	mkdir -p "$CHROMIUM_HOME/home" "$CHROMIUM_HOME/profile" \
	    "$CHROMIUM_HOME/crash" "$CHROMIUM_HOME/tmp"
	HOME=$CHROMIUM_HOME/home \
	XDG_CONFIG_HOME=$CHROMIUM_HOME/home/.config \
	XDG_CACHE_HOME=$CHROMIUM_HOME/home/.cache \
	XDG_DATA_HOME=$CHROMIUM_HOME/home/.local/share \
	XDG_RUNTIME_DIR=$CHROMIUM_HOME/tmp \
	TMPDIR=$CHROMIUM_HOME/tmp \
	timeout -k 5 "$CHROMIUM_TIMEOUT" "$CHROMIUM" \
	    --headless --no-sandbox --disable-gpu --hide-scrollbars \
	    --user-data-dir="$CHROMIUM_HOME/profile" \
	    --crash-dumps-dir="$CHROMIUM_HOME/crash" \
	    --proxy-server="http://127.0.0.1:${CHROMIUM_TRAP_PORT:-9}" \
	    --proxy-bypass-list='<-loopback>' \
	    --host-resolver-rules='MAP * ~NOTFOUND, EXCLUDE 127.0.0.1' \
	    --disable-background-networking --disable-component-update \
	    --disable-sync --disable-extensions --disable-default-apps \
	    --disable-domain-reliability --disable-breakpad \
	    --disable-client-side-phishing-detection \
	    --disable-features="$CHROMIUM_NO_FEATURES" \
	    --component-updater=url-source=file:///nonexistent/ \
	    --gaia-url=https://gaia.invalid/ \
	    --no-first-run --no-default-browser-check --no-pings \
	    --metrics-recording-only --safebrowsing-disable-auto-update \
	    --password-store=basic --use-mock-keychain \
	    "$@"
}

# True when a browser is there and renders a trivial page.
chromium_usable() {
	if [ -z "${CHROMIUM:-}" ]; then
		for _b in /usr/lib/chromium/chromium chromium chromium-browser; do
			if command -v "$_b" >/dev/null 2>&1; then
				CHROMIUM=$(command -v "$_b")
				break
			fi
		done
	fi
	if [ -z "${CHROMIUM:-}" ]; then
		CHROMIUM_WHY="no chromium on PATH (Debian package chromium, tests/lib/deps.sh)"
		return 1
	fi
	mkdir -p "$CHROMIUM_HOME"
	printf '<!DOCTYPE html><title>t</title><p>probe-ok</p>\n' \
	    >"$CHROMIUM_HOME/probe.html"
	if ! chromium_run --dump-dom "file://$CHROMIUM_HOME/probe.html" \
	    >"$CHROMIUM_HOME/probe.out" 2>"$CHROMIUM_HOME/probe.err" ||
	    ! grep -q probe-ok "$CHROMIUM_HOME/probe.out"; then
		CHROMIUM_WHY="$CHROMIUM does not run headless here: $(tail -n 1 "$CHROMIUM_HOME/probe.err" | cut -c1-160)"
		return 1
	fi
	return 0
}

# Start the trap proxy on a port of its own choosing (no race for a free
# port); stopped at exit.
trap_start() {
	mkdir -p "$CHROMIUM_HOME"
	: >"$CHROMIUM_TRAP_LOG"
	rm -f "$CHROMIUM_HOME/trap.port"
	"$PYTHON" - "$CHROMIUM_TRAP_LOG" "$CHROMIUM_HOME/trap.port" \
	    2>"$CHROMIUM_HOME/trap.err" <<'PYEOF' &
import os, socket, sys
log = open(sys.argv[1], "a", buffering=1)
srv = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
srv.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
srv.bind(("127.0.0.1", 0))
srv.listen(64)
tmp = sys.argv[2] + ".tmp"
with open(tmp, "w") as f:
    f.write("%d\n" % srv.getsockname()[1])
os.rename(tmp, sys.argv[2])
while True:
    conn, peer = srv.accept()
    # Count the connection before reading: one that sends nothing counts.
    log.write("connection from %s:%d\n" % peer)
    conn.settimeout(2)
    try:
        first = conn.recv(4096).split(b"\r\n", 1)[0]
        log.write("  request: %s\n" % first.decode("latin-1")[:200])
        conn.sendall(b"HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n"
                     b"Connection: close\r\n\r\n")
    except OSError:
        pass
    conn.close()
PYEOF
	CHROMIUM_TRAP_PID=$!
	at_exit "kill $CHROMIUM_TRAP_PID 2>/dev/null"
	_i=0
	while [ ! -s "$CHROMIUM_HOME/trap.port" ] && [ $_i -lt 100 ]; do
		sleep 0.1
		_i=$((_i + 1))
	done
	[ -s "$CHROMIUM_HOME/trap.port" ] || return 1
	CHROMIUM_TRAP_PORT=$(cat "$CHROMIUM_HOME/trap.port")
}

# Connections seen, except those to *.invalid (see above); trap_total
# counts all of them.
trap_count() {
	"$PYTHON" - "$CHROMIUM_TRAP_LOG" <<'PYEOF'
import re, sys
n = 0
for line in open(sys.argv[1], encoding="latin-1"):
    if line.startswith("connection from"):
        n += 1
    m = re.match(r"  request: \S+ (?:[a-z]+://)?([^/:\s]+)", line)
    if m and m.group(1).lower().endswith(".invalid"):
        n -= 1
print(n)
PYEOF
}

trap_total() {
	grep -c '^connection from' "$CHROMIUM_TRAP_LOG" 2>/dev/null || true
}

# chromium_shot FILE OUT.png: a 1280x2000 screenshot of the file.
chromium_shot() {
	chromium_run --window-size=1280,2000 --screenshot="$2" \
	    "file://$1" >/dev/null 2>>"$CHROMIUM_HOME/chromium.err"
}

# chromium_dom FILE OUT: the serialized DOM after the page loaded.
chromium_dom() {
	chromium_run --dump-dom "file://$1" >"$2" \
	    2>>"$CHROMIUM_HOME/chromium.err"
}

# chromium_shot_at FILE OUT.png W H: a screenshot of the first W x H
# pixels of the page, as a screen of that size shows it.
chromium_shot_at() {
	chromium_run --window-size="$3,$4" --screenshot="$2" \
	    "file://$1" >/dev/null 2>>"$CHROMIUM_HOME/chromium.err"
}

# chromium_layout FILE W H PREFIX [SECTION]: the page laid out in a W x H
# viewport, checked by tests/lib/page_layout.py (no horizontal overflow,
# SECTION first and in the first screen, charts titled and labelled): its
# test lines on stdout.  The page is measured unchanged, inside a frame of
# a page with a script (page_layout.py explains why); that page and the
# DOM it dumps stay in $CHROMIUM_HOME/layout-WxH.*.
chromium_layout() {
	_l=$CHROMIUM_HOME/layout-$2x$3
	"$PYTHON" "$FBL_ROOT/tests/lib/page_layout.py" wrap "$1" "$_l.html" \
	    "$2" "$3" &&
	    chromium_run --window-size="$2,$3" --virtual-time-budget=5000 \
	    --dump-dom "file://$_l.html" >"$_l.dom" \
	    2>>"$CHROMIUM_HOME/chromium.err"
	"$PYTHON" "$FBL_ROOT/tests/lib/page_layout.py" check "$4" "$_l.dom" \
	    "$2" "$3" ${5:+"$5"}
}
