#!/bin/sh
# SPDX-License-Identifier: ISC
# html_charts.sh: the self-contained HTML report page (report/html_page.h,
# report/svg.h) as a browser sees it, with no network.
#
# A sample page (tests/integration/data/html_sample.c, compiled here against
# build/release/libfblscope.a) is
#   - checked as text: each <svg> parses as XML (python's minidom), no
#     http:// or https:// anywhere, no <script>; the small chart with days
#     of unknown rate draws a line broken at them (a subpath per run of
#     known days, no vertex at the others); each line has its direct
#     label, each threshold its label;
#   - rendered in headless Chromium (tests/lib/chromium.sh) behind a trap
#     proxy: a 1280x2000 PNG screenshot that is not blank, and the DOM after
#     load holding the seven charts with their titles and the injected
#     customer name as text, not markup;
#   - laid out at a desktop's 1400x900 and a phone's 390x844 (chromium_layout,
#     tests/lib/page_layout.py): no horizontal overflow (the sample's
#     eleven-column table scrolls in its own box, its rows one line high
#     on the phone), every chart titled, labelled and in view; the
#     first section and what follows its heading in the first screen;
#     screenshots of both first screens are kept as
#     build/html-sample-1400x900.png and build/html-sample-390x844.png;
#   - and the trap must have seen no connection.
# Controls, so that a silent trap cannot pass the test:
#   - negative: a page with an external image (198.51.100.1, TEST-NET-2)
#     must show up in the trap;
#   - CSP: the same image injected into the sample page must NOT show up:
#     the page's Content-Security-Policy forbids loading it;
#   - layout: the sample spoilt (a block too wide and too tall before its
#     first section, the phone's one-line rows undone, a chart's <title>
#     and the lines' direct labels taken out, a label moved out of its
#     chart) must fail each layout check.
# Skips when no C compiler or no usable Chromium is there.

. "$(dirname "$0")/../lib/common.sh"
. "$FBL_ROOT/tests/lib/chromium.sh"

LIB=$FBL_ROOT/build/release/libfblscope.a
SAMPLE=$FBL_TMP/sample.html
TITLES='Complaints per day, top customers
Complaint rate, shop.example
shop.example (alarmed)
news.example (alarmed)
Verification results
Complaints by ISP
Forged complaints'

if ! need_cmd cc; then
	skip html-sample "no C compiler"
	exit 0
fi
if [ ! -f "$LIB" ]; then
	not_ok html-sample "$LIB missing (make)"
	exit 1
fi
if cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Werror \
    -I"$FBL_ROOT" -o "$FBL_TMP/html_sample" \
    "$FBL_ROOT/tests/integration/data/html_sample.c" "$LIB" \
    2>"$FBL_TMP/cc.err" && "$FBL_TMP/html_sample" "$SAMPLE"; then
	ok html-sample
else
	not_ok html-sample "$(head -n 3 "$FBL_TMP/cc.err")"
	exit 1
fi

# ---- the page as text ----------------------------------------------------

out=$("$PYTHON" - "$SAMPLE" <<'PYEOF'
import re, sys, xml.dom.minidom
page = open(sys.argv[1], encoding="utf-8").read()
svgs = re.findall(r"<svg .*?</svg>", page, re.S)
gaps = labels = thresholds = "none"
for s in svgs:
    doc = xml.dom.minidom.parseString(s)
    title = doc.getElementsByTagName("title")[0].firstChild.data
    texts = [t.firstChild.data for t in doc.getElementsByTagName("text")
             if t.firstChild is not None]
    if title == "news.example (alarmed)":
        # known on days 2-4, 6-8 and 11-13 of 14
        d = doc.getElementsByTagName("path")[0].getAttribute("d")
        gaps = "%d runs, %d points" % (d.count("M"), d.count(","))
        thresholds = " ".join(sorted(t for t in texts
                                     if t.startswith(("flag ", "alarm "))))
    if title == "Complaints per day, top customers":
        labels = sum(t.getAttribute("class") == "series"
                     for t in doc.getElementsByTagName("text"))
print(len(svgs), "|", gaps, "|", labels, "|", thresholds)
PYEOF
) 2>"$FBL_TMP/xml.err"
check_eq page-svg-xml "${out%%|*}" "7 " "$(head -c 200 "$FBL_TMP/xml.err")"
out=${out#*| }
check_eq page-gaps "${out%% |*}" "3 runs, 9 points"
out=${out#*| }
check_eq page-direct-labels "${out%% |*}" 5
check_eq page-threshold-labels "${out#*| }" "alarm 0.300% flag 0.100%"
check_eq page-no-url "$(grep -c -i -E 'https?://' "$SAMPLE")" 0
check_eq page-no-script "$(grep -c -i '<script' "$SAMPLE")" 0

# ---- the page in a browser -----------------------------------------------

if ! trap_start; then
	not_ok trap-start "the trap proxy did not start: $(cat "$CHROMIUM_HOME/trap.err")"
	exit 1
fi
if ! chromium_usable; then
	for t in render-png render-not-blank dom-charts dom-titles \
	    dom-escaped layout-1400x900 layout-390x844 screen-1400x900 \
	    screen-390x844 trap-silent trap-negative-control csp-blocks \
	    layout-controls; do
		skip "$t" "$CHROMIUM_WHY"
	done
	exit 0
fi
: >"$CHROMIUM_TRAP_LOG"	# the probe run of chromium_usable is not the page

PNG=$FBL_TMP/sample.png
DOM=$FBL_TMP/sample.dom
chromium_shot "$SAMPLE" "$PNG"
chromium_dom "$SAMPLE" "$DOM"

# Width, height and distinct colours: PIL when there, else the PNG header
# and a byte count of the decompressed image data (a blank page compresses
# to almost nothing and has next to no distinct bytes).
png=$("$PYTHON" - "$PNG" <<'PYEOF'
import struct, sys, zlib
data = open(sys.argv[1], "rb").read()
if data[:8] != b"\x89PNG\r\n\x1a\n" or data[12:16] != b"IHDR":
    print("not-png 0 0 0"); sys.exit(0)
w, h = struct.unpack(">II", data[16:24])
try:
    from PIL import Image
    colours = len(Image.open(sys.argv[1]).convert("RGB").getcolors(1 << 24))
except ImportError:
    idat, pos = b"", 8
    while pos < len(data):
        n, kind = struct.unpack(">I4s", data[pos:pos + 8])
        if kind == b"IDAT":
            idat += data[pos + 8:pos + 8 + n]
        pos += 12 + n
    colours = len(set(zlib.decompress(idat)))
print("png", w, h, colours)
PYEOF
)
set -- $png
check_eq render-png "${1:-none} ${2:-0}x${3:-0}" "png 1280x2000"
if [ "${4:-0}" -ge 16 ]; then
	ok render-not-blank
else
	not_ok render-not-blank "only ${4:-0} distinct colours"
fi

check_eq dom-charts "$(grep -o '<svg ' "$DOM" | wc -l | tr -d ' ')" 7
missing=
while IFS= read -r t; do
	grep -F -q "<title>$t</title>" "$DOM" || missing="$missing [$t]"
done <<EOT
$TITLES
EOT
check_eq dom-titles "$missing" ""
# The customer named '<script>alert("x")</script> & Co' is text in the DOM.
if grep -q -i '<script' "$DOM" ||
    ! grep -F -q '&lt;script&gt;alert("x")&lt;/script&gt; &amp; Co' "$DOM"; then
	not_ok dom-escaped "the injected name is markup, or missing"
else
	ok dom-escaped
fi

# ---- the layout at a desktop's and a phone's width -------------------------

for size in 1400x900 390x844; do
	w=${size%x*}
	h=${size#*x}
	chromium_layout "$SAMPLE" "$w" "$h" "layout-$size" trend
	shot=$FBL_ROOT/build/html-sample-$size.png
	rm -f "$shot"
	chromium_shot_at "$SAMPLE" "$shot" "$w" "$h"
	check_eq "screen-$size" "$(file -b "$shot" 2>/dev/null | cut -d, -f1-2)" \
	    "PNG image data, $w x $h"
done

check_eq trap-silent "$(trap_count)" 0 \
    "$(grep request "$CHROMIUM_TRAP_LOG" | head -n 3 | tr '\n' ' ')"
echo "html_charts: trap saw $(trap_total) connection(s) in all, to *.invalid only" >&2

# ---- controls ------------------------------------------------------------

NEG=$FBL_TMP/negative.html
printf '<!DOCTYPE html>\n<title>negative</title>\n<img src="http://198.51.100.1/x.png" alt="x">\n' >"$NEG"
: >"$CHROMIUM_TRAP_LOG"
chromium_dom "$NEG" "$FBL_TMP/negative.dom"
if grep -q 'request: GET http://198.51.100.1/x.png' "$CHROMIUM_TRAP_LOG"; then
	ok trap-negative-control
else
	not_ok trap-negative-control "the external image was not seen by the trap ($(trap_total) connections)"
fi

CSP=$FBL_TMP/csp.html
sed 's|</h1>|</h1><img src="http://198.51.100.1/x.png" alt="x">|' \
    "$SAMPLE" >"$CSP"
: >"$CHROMIUM_TRAP_LOG"
chromium_dom "$CSP" "$FBL_TMP/csp.dom"
if ! grep -q '198.51.100.1' "$CSP"; then
	not_ok csp-blocks "could not inject the image"
else
	check_eq csp-blocks "$(trap_count)" 0 "the page's CSP let an image through"
fi

# Each layout check fails on a page spoilt for it: it can fail.
SPOILT=$FBL_TMP/spoilt.html
"$PYTHON" - "$SAMPLE" "$SPOILT" <<'PYEOF'
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
page = page.replace("</h1>", '</h1><div style="width:1000px;height:900px">'
                    'wide and tall</div>', 1)
page = page.replace("{white-space:nowrap}", "{}")
page = re.sub(r"(<svg [^>]*>\n)<title>[^<]*</title>", r"\1", page, count=1)
page = re.sub(r'<text [^>]*class="series">[^<]*</text>', "", page)
page = page.replace("</svg>", '<text x="5000" y="10">far</text></svg>', 1)
open(sys.argv[2], "w", encoding="utf-8").write(page)
PYEOF
check_eq layout-controls "$(chromium_layout "$SPOILT" 390 844 spoilt trend \
    2>/dev/null | cut -d: -f1)" "not ok spoilt/no-overflow
not ok spoilt/first-panel
not ok spoilt/rows-one-line
not ok spoilt/charts-titled
not ok spoilt/charts-labelled
not ok spoilt/charts-in-view"

exit "$(fbl_status)"
