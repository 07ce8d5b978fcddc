/* SPDX-License-Identifier: ISC */
/*
 * test_svg: the SVG charts and the HTML page of the nightly report.
 * Every output is run through a small XML well-formedness checker (tags
 * balanced, attributes quoted, only the five entities and numeric
 * references, no raw '<' or '&' in text); axis scaling is checked against
 * numbers worked out by hand from the 1-2-5 rule.
 */
#include <math.h>
#include <stdlib.h>

#include "report/html_page.h"
#include "report/svg.h"
#include "tests/unit/unit.h"

/* ---- a tiny XML checker --------------------------------------------- */

#define DEPTH	64

/* An entity reference at s: its length, or 0 when it is not one we write. */
static size_t
entity_len(const char *s, const char *end)
{
	static const char *const ok[] = {
		"&amp;", "&lt;", "&gt;", "&quot;", "&#39;",
	};
	size_t	 i, n;

	for (i = 0; i < sizeof(ok) / sizeof(ok[0]); i++) {
		n = strlen(ok[i]);
		if ((size_t)(end - s) >= n && memcmp(s, ok[i], n) == 0)
			return n;
	}
	return 0;
}

/* Text up to '<': no raw '&' outside an entity. */
static const char *
xml_text(const char *p, const char *end)
{
	size_t	 n;

	while (p < end && *p != '<') {
		if (*p == '&') {
			if ((n = entity_len(p, end)) == 0)
				return NULL;
			p += n;
		} else
			p++;
	}
	return p;
}

static bool
name_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == ':' || c == '_';
}

/* Attributes name="value" up to '>' or "/>"; p after the element name. */
static const char *
xml_attrs(const char *p, const char *end)
{
	const char	*q;

	for (;;) {
		while (p < end && *p == ' ')
			p++;
		if (p >= end)
			return NULL;
		if (*p == '>' || *p == '/')
			return p;
		for (q = p; q < end && name_char(*q); q++)
			;
		if (q == p || q + 1 >= end || q[0] != '=' || q[1] != '"')
			return NULL;
		for (p = q + 2; p < end && *p != '"'; ) {
			if (*p == '<')
				return NULL;
			if (*p == '&') {
				if ((q = p + entity_len(p, end)) == p)
					return NULL;
				p = q;
			} else
				p++;
		}
		if (p >= end)
			return NULL;
		p++;
	}
}

/*
 * True when s is one well-formed element (after an optional HTML doctype;
 * html true also allows the HTML void elements meta/br unclosed).
 */
static bool
xml_ok(const char *s, size_t len, bool html)
{
	const char	*p = s, *end = s + len, *name;
	const char	*stack[DEPTH];
	size_t		 nlen[DEPTH], depth = 0, n, roots = 0;

	if (html && len > 15 && memcmp(s, "<!DOCTYPE html>", 15) == 0)
		p += 15;
	while (p < end) {
		if ((p = xml_text(p, end)) == NULL)
			return false;
		if (p == end)
			break;
		if (depth == 0 && (roots++ > 0))
			return false;
		if (p + 1 < end && p[1] == '/') {
			for (name = p += 2; p < end && name_char(*p); p++)
				;
			n = (size_t)(p - name);
			if (depth == 0 || p >= end || *p != '>' ||
			    n != nlen[depth - 1] ||
			    memcmp(name, stack[depth - 1], n) != 0)
				return false;
			depth--;
			p++;
			continue;
		}
		for (name = ++p; p < end && name_char(*p); p++)
			;
		n = (size_t)(p - name);
		if (n == 0 || (p = xml_attrs(p, end)) == NULL)
			return false;
		if (*p == '/') {
			if (p + 1 >= end || p[1] != '>')
				return false;
			p += 2;
		} else {
			p++;
			if (html && ((n == 4 && memcmp(name, "meta", 4) == 0) ||
			    (n == 2 && memcmp(name, "br", 2) == 0)))
				continue;
			if (depth == DEPTH)
				return false;
			stack[depth] = name;
			nlen[depth++] = n;
		}
		if (depth == 0)
			roots--;	/* a self-closed root is still one */
	}
	return depth == 0 && roots == 1;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t		 n = 0;
	const char	*p = hay;

	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += strlen(needle);
	}
	return n;
}

/* Does the chart in b hold s? */
static bool
has(const struct buf *b, const char *s)
{
	return strstr(buf_cstr(b), s) != NULL;
}

static bool
near(double a, double b)
{
	double	 d = a - b;

	return (d < 0 ? -d : d) <= 1e-9 * (b < 0 ? -b : b > 1 ? b : 1);
}

/* ---- tests ----------------------------------------------------------- */

static void
check_checker(void)
{
	static const char good[] = "<a x=\"1&amp;\"><b/>t&lt;</a>";

	CHECK_TRUE("xmlcheck-good", xml_ok(good, strlen(good), false));
	CHECK_TRUE("xmlcheck-unbalanced", !xml_ok("<a><b></a>", 10, false));
	CHECK_TRUE("xmlcheck-raw-amp", !xml_ok("<a>&</a>", 8, false));
	CHECK_TRUE("xmlcheck-raw-lt-attr", !xml_ok("<a x=\"<\"/>", 10,
	    false));
	CHECK_TRUE("xmlcheck-two-roots", !xml_ok("<a/><a/>", 8, false));
}

static void
check_axis(const char *name, double lo, double hi, unsigned maxi,
    bool integral, double wlo, double whi, double wstep, unsigned wint,
    int wdec)
{
	struct svg_axis	 ax;
	char		 n[96];

	snprintf(n, sizeof(n), "axis-%s", name);
	if (!svg_axis_scale(lo, hi, maxi, integral, &ax)) {
		UNIT_REPORT(false, n, "refused");
		return;
	}
	UNIT_REPORT(near(ax.lo, wlo) && near(ax.hi, whi) &&
	    near(ax.step, wstep) && ax.intervals == wint && ax.decimals == wdec,
	    n, "got %g..%g step %g (%u, %d decimals), want %g..%g step %g "
	    "(%u, %d decimals)", ax.lo, ax.hi, ax.step, ax.intervals,
	    ax.decimals, wlo, whi, wstep, wint, wdec);
}

static void
test_axis(void)
{
	struct svg_axis	 ax;

	check_axis("0-37", 0, 37, 5, true, 0, 40, 10, 4, 0);
	check_axis("0-1234", 0, 1234, 5, true, 0, 1500, 500, 3, 0);
	check_axis("rate-0.34", 0, 0.34, 6, false, 0, 0.4, 0.1, 4, 1);
	check_axis("rate-0.3", 0, 0.3, 5, false, 0, 0.3, 0.1, 3, 1);
	check_axis("rate-0.012", 0, 0.012, 5, false, 0, 0.015, 0.005, 3, 3);
	check_axis("zeros-count", 0, 0, 5, true, 0, 1, 1, 1, 0);
	check_axis("zeros-real", 0, 0, 5, false, 0, 1, 0.2, 5, 1);
	check_axis("one", 0, 1, 5, true, 0, 1, 1, 1, 0);
	check_axis("seven-counts", 0, 7, 5, true, 0, 8, 2, 4, 0);
	check_axis("negative", -3, 7, 5, true, -5, 10, 5, 3, 0);
	check_axis("lo-above-zero", 50, 90, 5, true, 0, 100, 20, 5, 0);
	check_axis("1e12", 0, 1e12, 5, true, 0, 1e12, 2e11, 5, 0);
	check_axis("huge", 0, 1.7e308, 5, false, 0, 1.7e308, 1.7e308 / 5, 5, 0);
	CHECK_TRUE("axis-nan", !svg_axis_scale(0, NAN, 5, false, &ax));
	CHECK_TRUE("axis-inf", !svg_axis_scale(0, INFINITY, 5, false, &ax));
}

static void
test_escape(void)
{
	struct buf	 b = BUF_INIT;
	static const char in[] = "<a href='x'>&\"\x01\xff\xc0\x80 \xc3\xa9\t|";
	static const char want[] = "&lt;a href=&#39;x&#39;&gt;&amp;&quot;"
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd \xc3\xa9 |";

	svg_escape(&b, in, sizeof(in) - 1);
	CHECK_STR("escape", buf_cstr(&b), want);
	buf_reset(&b);
	/* A surrogate (ED A0 80) and U+FFFE are not XML characters. */
	svg_escape(&b, "\xed\xa0\x80\xef\xbf\xbe", 6);
	CHECK_STR("escape-surrogate-fffe", buf_cstr(&b),
	    "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	buf_reset(&b);
	svg_escape(&b, "a\0b", 3);
	CHECK_STR("escape-nul", buf_cstr(&b), "a\xef\xbf\xbd" "b");
	buf_free(&b);
}

static const char *const days[] = {
	"2026-11-01", "2026-11-02", "2026-11-03", "2026-11-04",
	"2026-11-05", "2026-11-06", "2026-11-07",
};
static const double va[] = { 3, 5, 2, 8, 13, 7, 4 };
static const double vb[] = { 0, 1, 1, 2, 0, 3, 1 };
static const struct svg_threshold thr[] = {
	{ "flag 0.100%", 0.1 }, { "alarm 0.300%", 0.3 },
};

/* Well-formed, one <svg> with role, title and desc; no NaN or inf. */
static void
check_chart(const char *name, const struct buf *b)
{
	char	 n[96];
	const char *s = buf_cstr(b);

	snprintf(n, sizeof(n), "%s-wellformed", name);
	CHECK_TRUE(n, xml_ok(s, b->len, false));
	snprintf(n, sizeof(n), "%s-one-svg", name);
	CHECK_INT(n, count(s, "<svg "), 1);
	snprintf(n, sizeof(n), "%s-accessible", name);
	CHECK_TRUE(n, strstr(s, "role=\"img\"") != NULL &&
	    strstr(s, "<title>") != NULL && strstr(s, "<desc>") != NULL);
	snprintf(n, sizeof(n), "%s-numbers", name);
	CHECK_TRUE(n, strstr(s, "nan") == NULL && strstr(s, "inf") == NULL &&
	    strstr(s, "NaN") == NULL);
	snprintf(n, sizeof(n), "%s-no-url", name);
	CHECK_TRUE(n, strstr(s, "http") == NULL && strstr(s, "url(") == NULL &&
	    strstr(s, "<script") == NULL);
}

static void
test_line(void)
{
	struct buf		 b = BUF_INIT;
	struct svg_chart	 c = { .title = "Complaints per day" };
	struct svg_chart	 h = { .title = "</title><script>x</script>&",
	    .unit = "%" };
	struct svg_series	 s[2] = {
		{ "shop.example", va, 7 },
		{ "<b>\"evil\" & 'co'</b>\xff", vb, 7 },
	};
	struct svg_series	 many[SVG_MAX_SERIES + 1];
	double			 bad[3] = { 1, INFINITY, 2 };
	double			 zero[3] = { 0, 0, 0 };
	double			 unknown[3] = { SVG_UNKNOWN, SVG_UNKNOWN,
	    SVG_UNKNOWN };
	double			 one = 42, huge[2] = { 1e300, 1.7e308 };
	size_t			 i, before;

	CHECK_TRUE("line-ok", svg_line_chart(&b, &c, days, 7, s, 2, NULL, 0));
	check_chart("line", &b);
	CHECK_INT("line-paths", count(buf_cstr(&b), "<path"), 2);
	CHECK_INT("line-markers", count(buf_cstr(&b), "<circle"), 14);
	/* 0..13 in 6 intervals of counts: step 5, up to 15. */
	CHECK_TRUE("line-axis-top", strstr(buf_cstr(&b), ">15</text>") != NULL);
	CHECK_TRUE("line-hostile-name", strstr(buf_cstr(&b),
	    "&lt;b&gt;&quot;evil&quot; &amp; &#39;co&#39;&lt;/b&gt;") != NULL);

	buf_reset(&b);
	s[0].v = vb;
	CHECK_TRUE("rate-ok", svg_line_chart(&b, &h, days, 7, s, 1, thr, 2));
	check_chart("rate", &b);
	CHECK_TRUE("rate-threshold-label", has(&b, ">alarm 0.300%</text>") &&
	    has(&b, ">flag 0.100%</text>"));
	CHECK_TRUE("rate-hostile-title", strstr(buf_cstr(&b),
	    "<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;&amp;</title>")
	    != NULL);

	buf_reset(&b);
	CHECK_TRUE("empty-ok", svg_line_chart(&b, &c, NULL, 0, NULL, 0, thr,
	    2));
	check_chart("empty", &b);
	CHECK_TRUE("empty-says", strstr(buf_cstr(&b), ">No data<") != NULL);

	/* Nothing known: no data, not a line at 0. */
	buf_reset(&b);
	s[0].v = unknown;
	s[0].n = 3;
	CHECK_TRUE("all-unknown-ok", svg_line_chart(&b, &c, days, 3, s, 1, thr,
	    2));
	CHECK_TRUE("all-unknown-no-data", has(&b, ">No data<") &&
	    !has(&b, "<path"));

	buf_reset(&b);
	s[0].v = &one;
	s[0].n = 1;
	CHECK_TRUE("one-point-ok", svg_line_chart(&b, &c, days, 1, s, 1, NULL,
	    0));
	check_chart("one-point", &b);
	CHECK_INT("one-point-marker", count(buf_cstr(&b), "<circle"), 1);
	/* 72 to 600: 720 - 12 - 108 for the label of 12 characters. */
	CHECK_TRUE("one-point-centred", strstr(buf_cstr(&b),
	    "cx=\"336.0\"") != NULL);

	buf_reset(&b);
	s[0].v = zero;
	s[0].n = 3;
	CHECK_TRUE("zeros-ok", svg_line_chart(&b, &c, days, 3, s, 1, NULL, 0));
	check_chart("zeros", &b);
	CHECK_TRUE("zeros-axis", strstr(buf_cstr(&b), ">0</text>") != NULL &&
	    strstr(buf_cstr(&b), ">1</text>") != NULL);

	buf_reset(&b);
	s[0].v = huge;
	s[0].n = 2;
	CHECK_TRUE("huge-ok", svg_line_chart(&b, &c, days, 2, s, 1, NULL, 0));
	check_chart("huge", &b);

	buf_reset(&b);
	buf_puts(&b, "kept");
	before = b.len;
	s[0].v = bad;
	s[0].n = 3;
	CHECK_TRUE("inf-refused", !svg_line_chart(&b, &c, days, 3, s, 1, NULL,
	    0));
	bad[1] = -INFINITY;
	CHECK_TRUE("minus-inf-refused", !svg_line_chart(&b, &c, days, 3, s, 1,
	    NULL, 0));
	CHECK_INT("refused-untouched", b.len, before);

	for (i = 0; i < SVG_MAX_SERIES + 1; i++) {
		many[i].name = "s";
		many[i].v = va;
		many[i].n = 7;
	}
	buf_reset(&b);
	CHECK_TRUE("twelve-ok", svg_line_chart(&b, &c, days, 7, many,
	    SVG_MAX_SERIES, NULL, 0));
	check_chart("twelve", &b);
	/* Past the palette: the line and its label's swatch dashed. */
	CHECK_INT("twelve-dashed", count(buf_cstr(&b),
	    "stroke-dasharray=\"5 3\""), 2 * (SVG_MAX_SERIES - SVG_PALETTE_N));
	CHECK_INT("twelve-direct-labels", count(buf_cstr(&b),
	    "class=\"series\">s</text>"), SVG_MAX_SERIES);
	CHECK_TRUE("thirteen-refused", !svg_line_chart(&b, &c, days, 7, many,
	    SVG_MAX_SERIES + 1, NULL, 0));
	buf_free(&b);
}

/* The d attribute of the first <path> of s, into d (size n); "" if none. */
static void
path_d(const char *s, char *d, size_t n)
{
	const char	*p, *e;

	d[0] = '\0';
	if ((p = strstr(s, "<path ")) == NULL ||
	    (p = strstr(p, " d=\"")) == NULL ||
	    (e = strchr(p + 4, '"')) == NULL)
		return;
	p += 4;
	snprintf(d, n, "%.*s", (int)(e - p), p);
}

/* The baseline (y) of the direct label naming name, or -1. */
static double
label_y(const char *s, const char *name)
{
	char		 want[64];
	const char	*p, *y;

	snprintf(want, sizeof(want), "class=\"series\">%s</text>", name);
	if ((p = strstr(s, want)) == NULL)
		return -1;
	for (y = p; y > s && strncmp(y, " y=\"", 4) != 0; y--)
		;
	return y > s ? atof(y + 4) : -1;
}

/*
 * Unknown values (SVG_UNKNOWN: a day without volume) are gaps: the path
 * breaks into one subpath per run of known values, and no point, no
 * marker, no vertex is drawn for them (least of all at 0).
 */
static void
test_line_gaps(void)
{
	struct buf		 b = BUF_INIT;
	struct svg_chart	 c = { .title = "Rate", .unit = "%" };
	double			 v[7] = { 1, 2, SVG_UNKNOWN,
	    SVG_UNKNOWN, 3, SVG_UNKNOWN, 4 };
	struct svg_series	 s = { "gappy", v, 7 };
	char			 d[256];

	CHECK_TRUE("gaps-ok", svg_line_chart(&b, &c, days, 7, &s, 1, NULL,
	    0));
	check_chart("gaps", &b);
	/*
	 * Plot 72 to 649 (720 - 12 - 24 - 5 * 7 for the label "gappy"), 96.17
	 * a day; values 0 to 4 over 240 from y 56.  Runs: days 0-1, 4, 6.
	 */
	path_d(buf_cstr(&b), d, sizeof(d));
	CHECK_STR("gaps-path", d,
	    "M72.0,236.0 L168.2,176.0 M456.7,116.0 M649.0,56.0");
	CHECK_INT("gaps-segments", count(d, "M"), 3);
	CHECK_INT("gaps-markers", count(buf_cstr(&b), "<circle"), 4);
	CHECK_TRUE("gaps-no-point-day-2", !has(&b, "cx=\"264.3\"") &&
	    strstr(d, "264.3") == NULL);
	CHECK_TRUE("gaps-never-zero", strstr(d, ",296.0") == NULL);
	CHECK_TRUE("gaps-desc", has(&b,
	    "3 values not known, gaps in the lines"));
	/* The label at the last known value (day 6, 4: y 56, baseline 60). */
	CHECK_TRUE("gaps-direct-label", label_y(buf_cstr(&b), "gappy") ==
	    60.0);
	buf_free(&b);
}

/* Small: markers too close, but a point alone between gaps has one. */
static void
test_small_gaps(void)
{
	struct buf		 b = BUF_INIT;
	struct svg_chart	 c = { .title = "Rate", .unit = "%",
	    .small = true };
	double			 w[30];
	struct svg_series	 s = { "gappy", w, 30 };
	char			 d[1024], lab[30][4];
	const char		*xl[30];
	size_t			 i;

	for (i = 0; i < 30; i++) {
		w[i] = i < 10 || i >= 20 ? 0.2 : i == 15 ? 0.4 : SVG_UNKNOWN;
		snprintf(lab[i], sizeof(lab[i]), "d%02zu", i);
		xl[i] = lab[i];
	}
	CHECK_TRUE("small-gaps-ok", svg_line_chart(&b, &c, xl, 30, &s, 1,
	    thr, 2));
	check_chart("small-gaps", &b);
	/* Four day labels, every 8th counted back from the last. */
	CHECK_TRUE("small-day-labels", has(&b, ">d29</text>") &&
	    has(&b, ">d21</text>") && has(&b, ">d05</text>") &&
	    !has(&b, ">d00</text>") &&
	    count(buf_cstr(&b), ">d") == 4);
	path_d(buf_cstr(&b), d, sizeof(d));
	CHECK_INT("small-gaps-segments", count(d, "M"), 3);
	CHECK_INT("small-gaps-vertices", count(d, ","), 21);
	CHECK_INT("small-gaps-lone-marker", count(buf_cstr(&b), "<circle"), 1);
	CHECK_TRUE("small-width", has(&b, "viewBox=\"0 0 300 "));
	buf_free(&b);
}

/* Thresholds labelled on their line; direct labels told apart. */
static void
test_line_labels(void)
{
	struct buf		 b = BUF_INIT;
	struct svg_chart	 c = { .title = "Rates", .unit = "%",
	    .x_title = "day (UTC)", .y_title = "complaint rate" };
	static const double	 flat[7] = { 1, 1, 1, 1, 1, 1, 100 };
	static const double	 same1[7] = { 1, 2, 3, 4, 5, 6, 50 };
	static const double	 same2[7] = { 6, 5, 4, 3, 2, 1, 50 };
	struct svg_threshold	 t[SVG_MAX_THRESHOLDS + 1] = {
		{ "a", 5 }, { "b", 5.1 }, { "c", 1 }, { "d", 2 }, { "e", 3 },
	};
	struct svg_series	 s[3] = {
		{ "flat", flat, 7 }, { "one", same1, 7 }, { "two", same2, 7 },
	};
	double			 y1, y2;

	CHECK_TRUE("labels-ok", svg_line_chart(&b, &c, days, 7, s, 3, t, 2));
	check_chart("labels", &b);
	CHECK_TRUE("labels-axis-titles", has(&b, ">day (UTC)</text>") &&
	    has(&b, ">complaint rate</text>"));
	/*
	 * Axis 0 to 100 over 240 from y 56: 5.1 at 283.8, its label above at
	 * 278.8; 5 at 284.0 would be 279.0, too close: under its line, 298.0.
	 */
	CHECK_TRUE("labels-threshold-above", has(&b, "y=\"278.8\" "
	    "fill=\"#B00\" stroke=\"#fff\" stroke-width=\"3\" "
	    "paint-order=\"stroke\">b</text>"));
	CHECK_TRUE("labels-threshold-below", has(&b, "y=\"298.0\" "
	    "fill=\"#B00\" stroke=\"#fff\" stroke-width=\"3\" "
	    "paint-order=\"stroke\">a</text>"));
	CHECK_INT("labels-direct", count(buf_cstr(&b), "class=\"series\""), 3);
	CHECK_TRUE("labels-no-legend", !has(&b, "<rect x=\"24\""));
	/* Both end at 50 (y 176, baseline 180): pushed 13 apart. */
	y1 = label_y(buf_cstr(&b), "one");
	y2 = label_y(buf_cstr(&b), "two");
	UNIT_REPORT((y1 == 180 && y2 == 193) || (y1 == 193 && y2 == 180),
	    "labels-apart", "got %g and %g, want 180 and 193", y1, y2);
	CHECK_TRUE("labels-top", label_y(buf_cstr(&b), "flat") == 60);
	buf_reset(&b);
	CHECK_TRUE("labels-four-thresholds", svg_line_chart(&b, &c, days, 7,
	    s, 1, t, SVG_MAX_THRESHOLDS));
	buf_reset(&b);
	CHECK_TRUE("labels-five-refused", !svg_line_chart(&b, &c, days, 7, s,
	    1, t, SVG_MAX_THRESHOLDS + 1) && b.len == 0);
	buf_free(&b);
}

static void
test_stacked(void)
{
	struct buf		 b = BUF_INIT;
	struct svg_chart	 c = { .title = "Verification results" };
	struct svg_part		 p[3] = {
		{ "pass", 300, 3 }, { "fail", 100, 6 }, { "temperror", 0, 2 },
	};
	struct svg_part		 neg = { "x", -1, 0 };

	CHECK_TRUE("stacked-ok", svg_stacked_bar(&b, &c, p, 3));
	check_chart("stacked", &b);
	CHECK_TRUE("stacked-pass", strstr(buf_cstr(&b),
	    ">pass 300 (75.0 %)</text>") != NULL);
	CHECK_TRUE("stacked-fail", strstr(buf_cstr(&b),
	    ">fail 100 (25.0 %)</text>") != NULL);
	CHECK_TRUE("stacked-colour", strstr(buf_cstr(&b),
	    "fill=\"#009E73\"") != NULL);
	buf_reset(&b);
	p[0].value = p[1].value = 0;
	CHECK_TRUE("stacked-zero-ok", svg_stacked_bar(&b, &c, p, 3));
	check_chart("stacked-zero", &b);
	CHECK_TRUE("stacked-zero-says", strstr(buf_cstr(&b), ">No data<") !=
	    NULL);
	buf_reset(&b);
	CHECK_TRUE("stacked-negative-refused", !svg_stacked_bar(&b, &c, &neg,
	    1));
	CHECK_INT("stacked-refused-untouched", b.len, 0);
	buf_free(&b);
}

static void
test_bar(void)
{
	struct buf		 b = BUF_INIT;
	struct svg_chart	 c = { .title = "Complaints by ISP" };
	struct svg_part		 p[3] = {
		{ "yahoo.com", 1234, 0 }, { "outlook.com", 56, 0 },
		{ "a-very-long-reporting-domain-name.example.net", 7, 0 },
	};
	struct svg_part		 huge[2] = { { "a", 1e300, 0 },
		{ "b", 1.7e308, 0 } };

	CHECK_TRUE("bar-ok", svg_bar_chart(&b, &c, p, 3));
	check_chart("bar", &b);
	CHECK_TRUE("bar-value", strstr(buf_cstr(&b), ">1,234</text>") !=
	    NULL);
	CHECK_TRUE("bar-axis-top", strstr(buf_cstr(&b), ">1,500</text>") !=
	    NULL);
	CHECK_TRUE("bar-clipped", strstr(buf_cstr(&b),
	    ">a-very-long-reporting-domain\xe2\x80\xa6</text>") != NULL);
	buf_reset(&b);
	CHECK_TRUE("bar-empty-ok", svg_bar_chart(&b, &c, NULL, 0));
	check_chart("bar-empty", &b);
	buf_reset(&b);
	CHECK_TRUE("bar-huge-ok", svg_bar_chart(&b, &c, huge, 2));
	check_chart("bar-huge", &b);
	buf_free(&b);
}

static void
test_page(void)
{
	struct buf		 b = BUF_INIT;
	struct svg_chart	 c = { .title = "Complaints by ISP" };
	struct svg_part		 p = { "x", 1, 0 };
	static const char *const head[] = { "customer", "complaints" };
	static const char *const row[] = { "<Acme & \"Co\">", "12" };

	html_page_begin(&b, "Report <2026-11-07>");
	html_section_begin(&b, "isp\"><x", "By ISP & type");
	html_para(&b, "Text with <tags> & 'quotes'.");
	svg_bar_chart(&b, &c, &p, 1);
	html_table_begin(&b, "Top customers", head, 2, "lr");
	html_table_row(&b, row, 2, "lr");
	html_table_row(&b, NULL, 2, NULL);
	html_table_end(&b);
	html_section_end(&b);
	html_page_end(&b);
	CHECK_TRUE("page-ok", buf_ok(&b));
	CHECK_TRUE("page-wellformed", xml_ok(buf_cstr(&b), b.len, true));
	CHECK_TRUE("page-title", strstr(buf_cstr(&b),
	    "<title>Report &lt;2026-11-07&gt;</title>") != NULL);
	CHECK_TRUE("page-id-filtered", strstr(buf_cstr(&b),
	    "<section id=\"ispx\">") != NULL);
	CHECK_TRUE("page-cell", strstr(buf_cstr(&b),
	    "<td>&lt;Acme &amp; &quot;Co&quot;&gt;</td><td class=\"r\">12</td>")
	    != NULL);
	CHECK_TRUE("page-csp", strstr(buf_cstr(&b),
	    "Content-Security-Policy") != NULL);
	CHECK_TRUE("page-no-url", strstr(buf_cstr(&b), "http:") == NULL &&
	    strstr(buf_cstr(&b), "https:") == NULL);
	buf_free(&b);
}

int
main(void)
{
	check_checker();
	test_axis();
	test_escape();
	test_line();
	test_line_gaps();
	test_small_gaps();
	test_line_labels();
	test_stacked();
	test_bar();
	test_page();
	return UNIT_DONE();
}
