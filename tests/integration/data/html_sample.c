/* SPDX-License-Identifier: ISC */
/*
 * html_sample: writes a sample nightly-report page (report/html_page.h,
 * report/svg.h) to the file named by argv[1], for
 * tests/integration/html_charts.sh.  Seven charts, titled as that script
 * expects, one of them empty, two small ones side by side (one with days
 * of unknown rate: gaps); a customer name that tries to inject markup; a
 * table of eleven columns, as wide as the report's widest, that a phone's
 * screen cannot hold.
 */
#include <stdio.h>
#include <string.h>

#include "report/html_page.h"
#include "report/svg.h"

#define NDAYS	14

static const char *const days[NDAYS] = {
	"11-01", "11-02", "11-03", "11-04", "11-05", "11-06", "11-07",
	"11-08", "11-09", "11-10", "11-11", "11-12", "11-13", "11-14",
};
static const double c1[NDAYS] = { 12, 15, 11, 19, 25, 22, 18, 30, 41, 38,
	29, 24, 27, 33 };
static const double c2[NDAYS] = { 5, 7, 6, 6, 9, 12, 8, 7, 5, 6, 9, 11, 10,
	8 };
static const double c3[NDAYS] = { 0, 1, 3, 2, 0, 4, 6, 9, 7, 3, 2, 1, 0, 2 };
static const double c4[NDAYS] = { 20, 18, 17, 16, 14, 15, 13, 12, 12, 10, 9,
	9, 8, 7 };
static const double c5[NDAYS] = { 2, 2, 3, 2, 2, 3, 2, 2, 3, 2, 2, 3, 2, 2 };
static const double rate[NDAYS] = { 0.05, 0.06, 0.04, 0.08, 0.11, 0.09,
	0.07, 0.14, 0.22, 0.31, 0.26, 0.18, 0.12, 0.09 };
/* Days without volume: no rate, gaps. */
static const double gappy[NDAYS] = { SVG_UNKNOWN, SVG_UNKNOWN, 0.12, 0.15,
	0.21, SVG_UNKNOWN, 0.33, 0.35, 0.29, SVG_UNKNOWN, SVG_UNKNOWN, 0.4,
	0.38, 0.36 };

static void
charts(struct buf *b)
{
	static const struct svg_series s[] = {
		{ "shop.example", c1, NDAYS },
		{ "news.example", c2, NDAYS },
		{ "<script>alert(\"x\")</script> & Co", c3, NDAYS },
		{ "travel.example", c4, NDAYS },
		{ "bank.example", c5, NDAYS },
	};
	static const struct svg_series r[] = { { "shop.example", rate, NDAYS } };
	static const struct svg_threshold t[] = {
		{ "flag 0.100%", 0.1 }, { "alarm 0.300%", 0.3 },
	};
	static const struct svg_series g[] = {
		{ "news.example", gappy, NDAYS },
	};
	static const struct svg_part mix[] = {
		{ "pass", 8123, 3 }, { "fail", 412, 6 }, { "neutral", 230, 5 },
		{ "temperror", 97, 2 }, { "permerror", 61, 4 },
	};
	static const struct svg_part isp[] = {
		{ "yahoo.com", 4210, 0 }, { "outlook.com", 2875, 0 },
		{ "aol.com", 911, 0 }, { "comcast.net", 402, 0 },
		{ "mail.ru", 77, 0 },
	};
	struct svg_chart c = { .title = "Complaints per day, top customers",
	    .x_title = "day (UTC)", .y_title = "complaints" };

	html_section_begin(b, "trend", "Complaints");
	svg_line_chart(b, &c, days, NDAYS, s, 5, NULL, 0);
	c.title = "Complaint rate, shop.example";
	c.unit = "%";
	c.y_title = "complaint rate";
	svg_line_chart(b, &c, days, NDAYS, r, 1, t, 2);
	c.small = true;
	html_multiples_begin(b);
	c.title = "shop.example (alarmed)";
	svg_line_chart(b, &c, days, NDAYS, r, 1, t, 2);
	c.title = "news.example (alarmed)";
	svg_line_chart(b, &c, days, NDAYS, g, 1, t, 2);
	html_multiples_end(b);
	c = (struct svg_chart){ .title = NULL };
	html_section_end(b);
	html_section_begin(b, "health", "Verification health");
	c.title = "Verification results";
	c.unit = NULL;
	svg_stacked_bar(b, &c, mix, 5);
	c.title = "Complaints by ISP";
	svg_bar_chart(b, &c, isp, 5);
	c.title = "Forged complaints";
	svg_bar_chart(b, &c, NULL, 0);
	html_section_end(b);
}

int
main(int argc, char **argv)
{
	static const char *const head[] = { "customer", "complaints", "rate" };
	static const char *const rows[][3] = {
		{ "shop.example", "334", "0.31 %" },
		{ "<script>alert(\"x\")</script> & Co", "40", "" },
	};
	static const char *const wide_head[] = { "customer", "level", "day",
	    "rate", "7 days", "rate", "change", "long", "rate", "change",
	    "why they failed" };
	static const char *const wide[][11] = {
		{ "shop.example", "alarmed", "33", "0.310%", "214", "0.290%",
		    "+120", "1,204", "0.275%", "+311", "redacted 76, "
		    "key-rotated 13, forged 5, not-signing-key 1" },
		{ "news.example", "flagged", "8", "0.120%", "61", "0.110%",
		    "-4", "402", "0.105%", "+17", "forged 3" },
	};
	struct buf	 b = BUF_INIT;
	FILE		*f;
	size_t		 i;

	if (argc != 2) {
		fprintf(stderr, "usage: html_sample out.html\n");
		return 2;
	}
	html_page_begin(&b, "fblscope nightly report, 2026-11-14 (sample)");
	html_note(&b, "Sample data for the rendering test.");
	charts(&b);
	html_section_begin(&b, "customers", "Top customers");
	html_table_begin(&b, "Complaints, 14 days", head, 3, "lrr");
	for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		html_table_row(&b, rows[i], 3, "lrr");
	html_table_end(&b);
	html_table_begin(&b, "Complaints and complaint rates per window, "
	    "against the period before", wide_head, 11, "llrrrrrrrrr");
	for (i = 0; i < sizeof(wide) / sizeof(wide[0]); i++)
		html_table_row(&b, wide[i], 11, "llrrrrrrrrr");
	html_table_end(&b);
	html_section_end(&b);
	html_page_end(&b);
	if (!buf_ok(&b) || (f = fopen(argv[1], "w")) == NULL) {
		fprintf(stderr, "html_sample: cannot write %s\n", argv[1]);
		return 1;
	}
	if (fwrite(b.data, 1, b.len, f) != b.len || fclose(f) != 0) {
		fprintf(stderr, "html_sample: write error on %s\n", argv[1]);
		return 1;
	}
	buf_free(&b);
	return 0;
}
