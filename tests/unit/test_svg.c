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
	{ "flagged", 0.1 }, { "alarmed", 0.3 },
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
	struct svg_chart	 c = { "Complaints per day", NULL, NULL };
	struct svg_chart	 h = { "</title><script>x</script>&", NULL, "%" };
	struct svg_series	 s[2] = {
		{ "shop.example", va, 7 },
		{ "<b>\"evil\" & 'co'</b>\xff", vb, 7 },
	};
	struct svg_series	 many[SVG_MAX_SERIES + 1];
	double			 bad[3] = { 1, NAN, 2 }, zero[3] = { 0, 0, 0 };
	double			 one = 42, huge[2] = { 1e300, 1.7e308 };
	size_t			 i, before;

	CHECK_TRUE("line-ok", svg_line_chart(&b, &c, days, 7, s, 2, NULL, 0));
	check_chart("line", &b);
	CHECK_INT("line-polylines", count(buf_cstr(&b), "<polyline"), 2);
	CHECK_INT("line-markers", count(buf_cstr(&b), "<circle"), 14);
	/* 0..13 in 6 intervals of counts: step 5, up to 15. */
	CHECK_TRUE("line-axis-top", strstr(buf_cstr(&b), ">15</text>") != NULL);
	CHECK_TRUE("line-hostile-name", strstr(buf_cstr(&b),
	    "&lt;b&gt;&quot;evil&quot; &amp; &#39;co&#39;&lt;/b&gt;") != NULL);

	buf_reset(&b);
	s[0].v = vb;
	CHECK_TRUE("rate-ok", svg_line_chart(&b, &h, days, 7, s, 1, thr, 2));
	check_chart("rate", &b);
	CHECK_TRUE("rate-threshold-label", strstr(buf_cstr(&b),
	    ">alarmed 0.30 %</text>") != NULL);
	CHECK_TRUE("rate-hostile-title", strstr(buf_cstr(&b),
	    "<title>&lt;/title&gt;&lt;script&gt;x&lt;/script&gt;&amp;</title>")
	    != NULL);

	buf_reset(&b);
	CHECK_TRUE("empty-ok", svg_line_chart(&b, &c, NULL, 0, NULL, 0, thr,
	    2));
	check_chart("empty", &b);
	CHECK_TRUE("empty-says", strstr(buf_cstr(&b), ">No data<") != NULL);

	buf_reset(&b);
	s[0].v = &one;
	s[0].n = 1;
	CHECK_TRUE("one-point-ok", svg_line_chart(&b, &c, days, 1, s, 1, NULL,
	    0));
	check_chart("one-point", &b);
	CHECK_INT("one-point-marker", count(buf_cstr(&b), "<circle"), 1);
	CHECK_TRUE("one-point-centred", strstr(buf_cstr(&b),
	    "cx=\"384.0\"") != NULL);

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
	CHECK_TRUE("nan-refused", !svg_line_chart(&b, &c, days, 3, s, 1, NULL,
	    0));
	bad[1] = INFINITY;
	CHECK_TRUE("inf-refused", !svg_line_chart(&b, &c, days, 3, s, 1, NULL,
	    0));
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
	CHECK_INT("twelve-dashed", count(buf_cstr(&b), "stroke-dasharray"),
	    2 * (SVG_MAX_SERIES - SVG_PALETTE_N));
	CHECK_TRUE("thirteen-refused", !svg_line_chart(&b, &c, days, 7, many,
	    SVG_MAX_SERIES + 1, NULL, 0));
	buf_free(&b);
}

static void
test_stacked(void)
{
	struct buf		 b = BUF_INIT;
	struct svg_chart	 c = { "Verification results", NULL, NULL };
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
	struct svg_chart	 c = { "Complaints by ISP", NULL, NULL };
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
	struct svg_chart	 c = { "Complaints by ISP", NULL, NULL };
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
	test_stacked();
	test_bar();
	test_page();
	return UNIT_DONE();
}
