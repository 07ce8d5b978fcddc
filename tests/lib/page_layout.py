#!/usr/bin/python3
# SPDX-License-Identifier: ISC
"""page_layout.py: the HTML report page's layout as Chromium lays it out.

  page_layout.py wrap PAGE.html OUT.html WIDTH HEIGHT
  page_layout.py check PREFIX DOM WIDTH HEIGHT [FIRST-SECTION-ID]

The page itself must stay script-free (its Content-Security-Policy forbids
scripts), so it is measured from outside: `wrap` writes a page that holds
PAGE.html, unchanged, in an <iframe srcdoc> of WIDTH x HEIGHT CSS pixels
(the viewport the page sees: its media queries, its 100 % widths) and a
script of its own that, once the frame has loaded, reads the frame's
layout (a srcdoc frame has its parent's origin) and writes it as JSON into
a <pre id="layout">.  Chromium renders OUT.html with --dump-dom; headless
Chromium keeps its window at least 500 px wide, which is why a frame sets
the viewport rather than --window-size.

`check` reads that JSON from the dumped DOM and prints test lines:
  PREFIX/no-overflow    the document is no wider than the viewport (the
                        page needs no horizontal scrolling); the elements
                        that stick out are named when it fails;
  PREFIX/first-panel    (when FIRST-SECTION-ID is given) that section is
                        the page's first, and its heading and what follows
                        it (of a table, the first row) lie within the
                        first screen, neither below it nor beyond its
                        right edge;
  PREFIX/rows-one-line  (WIDTH at most 480, the page's phone layout) the
                        rows of a table without long names (no 'w' column)
                        stay one line high: the table scrolls sideways in
                        its box instead of squeezing its text columns;
  PREFIX/charts-titled  every <svg class="chart"> has a <title> as first
                        child and shows it (or its clipped start) as text;
  PREFIX/charts-labelled every chart with axes (a line or bar chart) has
                        tick labels on them, a line chart its day labels
                        and both axis titles; every line, bar and part is
                        named by a direct label or a legend entry;
  PREFIX/charts-in-view every chart lies within the page's width and every
                        label within its chart (none cut off).
Figures (the viewport, the document's width, the first panel's bottom, the
smallest chart text in CSS pixels) go to stderr.
"""
import html
import json
import re
import sys

SCRIPT = r"""
function box(e) {
  if (e === null) return null;
  var r = e.getBoundingClientRect();
  return [r.left, r.top, r.right, r.bottom];
}
function name(e) {
  var s = e.tagName.toLowerCase();
  if (e.id) s += "#" + e.id;
  if (e.className && typeof e.className === "string")
    s += "." + e.className.split(" ").join(".");
  var c = e.querySelector("caption, title");
  if (c !== null) s += " [" + c.textContent.slice(0, 50) + "]";
  return s;
}
/* Elements sticking out right whose own parent does not: the culprits. */
function wide(d, w, cw) {
  var out = [], all = d.body.querySelectorAll("*");
  for (var i = 0; i < all.length && out.length < 10; i++) {
    var e = all[i], p = e.parentElement, clipped = false;
    if (e.getBoundingClientRect().right <= cw + 0.5) continue;
    if (p.getBoundingClientRect().right > cw + 0.5 && p !== d.body) continue;
    for (var a = p; a !== null; a = a.parentElement)
      if (w.getComputedStyle(a).overflowX !== "visible") clipped = true;
    if (!clipped) out.push(name(e));
  }
  return out;
}
function chart(w, s) {
  var vb = s.viewBox.baseVal, r = s.getBoundingClientRect();
  var first = s.firstElementChild, c = { box: box(s),
    scale: vb && vb.width > 0 ? r.width / vb.width : 0,
    title: first && first.tagName === "title" ? first.textContent : null,
    texts: [], marks: [] };
  var t = s.querySelectorAll("text");
  for (var i = 0; i < t.length; i++) {
    var fs = parseFloat(w.getComputedStyle(t[i]).fontSize);
    c.texts.push({ text: t[i].textContent, cls: t[i].getAttribute("class"),
      bold: t[i].getAttribute("font-weight") === "bold",
      px: fs * c.scale, box: box(t[i]),
      group: t[i].parentElement.tagName === "g" ?
        (t[i].parentElement.querySelector("title") || {}).textContent :
        null });
  }
  /* the marks a reader must tell apart: a line's group, a bar or part */
  var m = s.querySelectorAll("g > title, rect > title");
  for (i = 0; i < m.length; i++)
    c.marks.push({ kind: m[i].parentElement.tagName,
      name: m[i].textContent });
  return c;
}
function measure() {
  var f = document.getElementById("page"), d = f.contentDocument,
      w = f.contentWindow, cw = d.documentElement.clientWidth;
  var out = { inner: [w.innerWidth, w.innerHeight], client: cw,
    scroll: d.documentElement.scrollWidth, wide: wide(d, w, cw),
    sections: [], charts: [] };
  var secs = d.querySelectorAll("section");
  for (var i = 0; i < secs.length; i++) {
    var s = secs[i];
    /* what follows the heading; of a table, its first row */
    out.sections.push({ id: s.id, heading: box(s.querySelector("h2")),
      first: box(s.querySelector("tbody tr") ||
        s.querySelector("h2 + *")) });
  }
  out.tables = [];
  var tabs = d.querySelectorAll("table");
  for (i = 0; i < tabs.length; i++) {
    var rows = tabs[i].querySelectorAll("tbody tr"), h = [];
    for (var j = 0; j < rows.length; j++)
      h.push(rows[j].getBoundingClientRect().height);
    out.tables.push({ caption: name(tabs[i]), rows: h,
      names: tabs[i].querySelector("td.w") !== null });
  }
  var svgs = d.querySelectorAll("svg.chart");
  for (i = 0; i < svgs.length; i++)
    out.charts.push(chart(w, svgs[i]));
  var pre = document.createElement("pre");
  pre.id = "layout";
  pre.textContent = JSON.stringify(out);
  document.body.appendChild(pre);
}
window.addEventListener("load", measure);
"""


def wrap(page, out, width, height):
    src = open(page, encoding="utf-8").read()
    with open(out, "w", encoding="utf-8") as f:
        f.write('<!DOCTYPE html>\n<html><head><meta charset="utf-8">'
                '<title>layout</title><style>body{margin:0}iframe{border:0;'
                'display:block}</style></head><body>\n'
                '<iframe id="page" width="%d" height="%d" srcdoc="%s">'
                '</iframe>\n<script>%s</script>\n</body></html>\n'
                % (width, height, html.escape(src, quote=True), SCRIPT))


NARROW = 480    # CSS px: report/html_page.c's phone layout, 30rem
NUMBER = re.compile(r'^-?[0-9][0-9,]*(\.[0-9]+)?( ?%)?$')
DAY = re.compile(r'^[0-9]{2}-[0-9]{2}$')


def inside(b, outer, slack=1.0):
    return (b[0] >= outer[0] - slack and b[1] >= outer[1] - slack and
            b[2] <= outer[2] + slack and b[3] <= outer[3] + slack)


def shown(name, text):
    """A label shows name, or its start when clipped (with an ellipsis)."""
    text = text.rstrip('\u2026')
    return text != '' and name.startswith(text)


def chart_labels(c):
    """What a chart lacks of its axis labels, direct labels or legend."""
    texts = [t['text'] for t in c['texts']]
    lines = [m['name'] for m in c['marks'] if m['kind'] == 'g']
    bars = [m['name'] for m in c['marks'] if m['kind'] == 'rect']
    numbers = [t for t in texts if NUMBER.match(t)]
    lack = []
    if lines:
        days = [t for t in texts if DAY.match(t)]
        if len(numbers) < 2:
            lack.append('value ticks')
        if len(days) < 2:
            lack.append('day labels')
        if 'day (UTC)' not in texts:
            lack.append('x axis title')
        others = [t for t in c['texts'] if not t['bold'] and
                  t['group'] is None and not NUMBER.match(t['text']) and
                  not DAY.match(t['text']) and t['text'] != 'day (UTC)' and
                  not t['text'].startswith(('flag ', 'alarm '))]
        if not others:
            lack.append('y axis title')
        for n in lines:
            if not any(t['group'] == n and t['cls'] == 'series' and
                       shown(n, t['text']) for t in c['texts']):
                lack.append('direct label of ' + n)
    for m in bars:
        # "yahoo: 723" (a bar) or "pass: 2,950 (59.8 %)" (a part)
        n = m.rsplit(': ', 1)[0]
        if not any(shown(n, t) or t.startswith(n + ' ') for t in texts):
            lack.append('label of ' + n)
    is_bar = bars and not any(re.search(r'\(.*%\)$', m) for m in bars)
    if is_bar and len(numbers) < 2 + len(bars):
        lack.append('value ticks')
    if not lines and not bars and 'No data' not in texts:
        lack.append('any mark')
    return lack


def line(prefix, test, bad):
    if bad:
        print('not ok %s/%s: %s' % (prefix, test, '; '.join(bad[:4])))
    else:
        print('ok %s/%s' % (prefix, test))


def check(prefix, dom, width, height, first):
    text = open(dom, encoding="utf-8", errors="replace").read()
    m = re.search(r'<pre id="layout">(.*?)</pre>', text, re.S)
    if m is None:
        print('not ok %s/measured: no layout in the dumped DOM' % prefix)
        return
    lay = json.loads(html.unescape(m.group(1)))
    iw, ih = lay['inner']
    print('%s: viewport %dx%d, document %d px wide, %d charts' %
          (prefix, iw, ih, lay['scroll'], len(lay['charts'])),
          file=sys.stderr)
    if [iw, ih] != [width, height]:
        print('not ok %s/measured: viewport %dx%d, want %dx%d' %
              (prefix, iw, ih, width, height))
        return
    cw = lay['client']
    line(prefix, 'no-overflow',
         [] if lay['scroll'] <= cw else
         ['document %d px wide in %d: %s' %
          (lay['scroll'], cw, ', '.join(lay['wide'][:5]))])
    if first is not None:
        bad = []
        secs = lay['sections']
        if not secs or secs[0]['id'] != first:
            bad.append('first section %r, want %r' %
                       (secs[0]['id'] if secs else None, first))
        else:
            s = secs[0]
            row = s['first']
            for what, b in (('heading', s['heading']), ('first item', row)):
                if b is None:
                    bad.append('no ' + what)
                elif b[3] > ih or b[2] > cw or b[0] < 0:
                    bad.append('%s at %s, outside %dx%d' %
                               (what, [round(v) for v in b], cw, ih))
            if row is not None:
                print('%s: first panel\'s first item ends %d px down of %d' %
                      (prefix, row[3], ih), file=sys.stderr)
        line(prefix, 'first-panel', bad)
    if width <= NARROW:
        tall = ['%s: rows %.0f to %.0f px high' %
                (t['caption'], min(t['rows']), max(t['rows']))
                for t in lay['tables'] if not t['names'] and t['rows'] and
                max(t['rows']) > min(t['rows']) + 2]
        line(prefix, 'rows-one-line', tall)
    titled, labelled, in_view = [], [], []
    for i, c in enumerate(lay['charts']):
        title = c['title'] or ''
        who = title or 'chart %d' % (i + 1)
        if not title.strip():
            titled.append('chart %d has no <title>' % (i + 1))
        elif not any(t['bold'] and shown(title, t['text'])
                     for t in c['texts']):
            titled.append('%s: title not shown' % who)
        labelled += ['%s: no %s' % (who, x) for x in chart_labels(c)]
        if c['box'][2] > cw + 0.5:
            in_view.append('%s reaches %d px of %d' %
                           (who, c['box'][2], cw))
        for t in c['texts']:
            if not inside(t['box'], c['box']):
                in_view.append('%s: "%s" cut off' % (who, t['text']))
    if not lay['charts']:
        titled.append('no chart')
    line(prefix, 'charts-titled', titled)
    line(prefix, 'charts-labelled', labelled)
    line(prefix, 'charts-in-view', in_view)
    px = [t['px'] for c in lay['charts'] for t in c['texts']]
    if px:
        print('%s: chart text %.1f to %.1f CSS px' %
              (prefix, min(px), max(px)), file=sys.stderr)


def main():
    if len(sys.argv) == 6 and sys.argv[1] == 'wrap':
        wrap(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]))
    elif len(sys.argv) in (6, 7) and sys.argv[1] == 'check':
        check(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]),
              sys.argv[6] if len(sys.argv) == 7 else None)
    else:
        sys.exit('usage: page_layout.py wrap PAGE OUT W H | '
                 'check PREFIX DOM W H [FIRST-SECTION-ID]')


main()
