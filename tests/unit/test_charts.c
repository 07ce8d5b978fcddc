/* SPDX-License-Identifier: ISC */
/*
 * test_charts: which customers the HTML page charts (report/charts.h) and
 * the page that shows them: every alarmed and flagged customer up to the
 * cap, in the table's order, the rest counted and said; calm customers
 * fill a quiet night; unknown day rates stay unknown (never 0 %).
 */
#include <math.h>
#include <stdlib.h>

#include "report/charts.h"
#include "report/render.h"
#include "tests/unit/unit.h"

#define NCUST	60

static char	 ids[NCUST][8];

/* A model of report day 2026-11-21, 30 days, volume known, n customers of
 * the given levels (in that order: the model's), no complaints yet. */
static struct report_customer *
model_of(struct report_model *m, const enum report_level *level, size_t n)
{
	struct report_customer	*c;
	size_t			 i, k;

	memset(m, 0, sizeof(*m));
	snprintf(m->p.day, sizeof(m->p.day), "2026-11-21");
	snprintf(m->start[RW_LONG], sizeof(m->start[RW_LONG]), "2026-10-23");
	m->p.days = m->len[RW_LONG] = 30;
	m->len[RW_SHORT] = 7;
	m->len[RW_DAY] = 1;
	m->p.flag_rate = 0.001;
	m->p.alarm_rate = 0.003;
	m->volume_known = true;
	if ((c = calloc(NCUST, sizeof(*c))) == NULL)
		abort();
	for (i = 0; i < n; i++) {
		snprintf(ids[i], sizeof(ids[i]), "c-%02zu", i);
		c[i].id = ids[i];
		c[i].level = level[i];
		c[i].w[RW_LONG].has_volume = true;
		for (k = 0; k < 30; k++)
			c[i].day_rates[k] = k < 10 ? -1 : 0.002;
	}
	m->customers = c;
	m->ncustomers = n;
	return c;
}

static size_t
count(const char *hay, const char *needle)
{
	size_t	 n = 0;

	while ((hay = strstr(hay, needle)) != NULL) {
		n++;
		hay += strlen(needle);
	}
	return n;
}

static void
test_capped(void)
{
	enum report_level	 lv[NCUST];
	struct report_model	 m;
	struct report_charted	 ch;
	struct report_customer	*c;
	struct buf		 b = BUF_INIT;
	char			 t[64];
	size_t			 i, missing = 0, inorder = 0;

	for (i = 0; i < NCUST; i++)
		lv[i] = i < 50 ? LEVEL_ALARMED : i < 55 ? LEVEL_FLAGGED :
		    LEVEL_OK;
	c = model_of(&m, lv, NCUST);
	c[59].w[RW_LONG].complaints = 1000;	/* calm: no chart for it */
	report_charted_customers(&m, &ch);
	CHECK_INT("capped/n", ch.n, REPORT_CHARTS_MAX);
	CHECK_INT("capped/problems", ch.problems, 55);
	CHECK_INT("capped/more", ch.more, 55 - REPORT_CHARTS_MAX);
	for (i = 0; i < ch.n; i++)
		inorder += ch.idx[i] == i;
	CHECK_INT("capped/table-order", inorder, REPORT_CHARTS_MAX);

	CHECK_TRUE("capped/html", report_render_html(&b, &m));
	for (i = 0; i < REPORT_CHARTS_MAX; i++) {
		snprintf(t, sizeof(t), "<title>c-%02zu (%s)</title>", i,
		    i < 50 ? "alarmed" : "flagged");
		missing += strstr(buf_cstr(&b), t) == NULL;
	}
	CHECK_INT("capped/html-every-charted", missing, 0);
	CHECK_TRUE("capped/html-not-past-cap", strstr(buf_cstr(&b),
	    "<title>c-48 (flagged)</title>") == NULL);
	CHECK_TRUE("capped/html-and-more", strstr(buf_cstr(&b),
	    "And 7 more alarmed or flagged customers, not charted (at most "
	    "48 charts)") != NULL);
	/* The small charts, the complaints, the results, the ISPs. */
	CHECK_INT("capped/html-charts", count(buf_cstr(&b), "<svg "),
	    REPORT_CHARTS_MAX + 3);
	CHECK_TRUE("capped/html-thresholds", strstr(buf_cstr(&b),
	    ">flag 0.100%</text>") != NULL && strstr(buf_cstr(&b),
	    ">alarm 0.300%</text>") != NULL);
	CHECK_TRUE("capped/html-gaps", strstr(buf_cstr(&b),
	    "10 values not known, gaps in the lines") != NULL);
	buf_free(&b);
	free(c);
}

static void
test_quiet(void)
{
	static const enum report_level lv[6] = { LEVEL_FLAGGED, LEVEL_OK,
	    LEVEL_OK, LEVEL_OK, LEVEL_OK, LEVEL_OK };
	struct report_model	 m;
	struct report_charted	 ch;
	struct report_customer	*c;
	struct buf		 b = BUF_INIT;

	c = model_of(&m, lv, 6);
	c[1].w[RW_LONG].complaints = 5;
	c[2].w[RW_LONG].complaints = 9;
	c[3].w[RW_LONG].complaints = 2;
	c[4].w[RW_LONG].complaints = 9;
	c[5].w[RW_LONG].complaints = 100;
	c[5].w[RW_LONG].has_volume = false;	/* no rate to chart */
	report_charted_customers(&m, &ch);
	CHECK_INT("quiet/n", ch.n, REPORT_CHARTS_QUIET);
	CHECK_INT("quiet/problems", ch.problems, 1);
	CHECK_INT("quiet/more", ch.more, 0);
	CHECK_TRUE("quiet/order", ch.idx[0] == 0 && ch.idx[1] == 2 &&
	    ch.idx[2] == 4);

	c[0].level = LEVEL_OK;
	report_charted_customers(&m, &ch);
	CHECK_TRUE("calm/most-complaints", ch.n == 3 && ch.problems == 0 &&
	    ch.idx[0] == 2 && ch.idx[1] == 4 && ch.idx[2] == 1);
	CHECK_TRUE("calm/html", report_render_html(&b, &m));
	CHECK_TRUE("calm/html-says", strstr(buf_cstr(&b), "No customer is "
	    "alarmed or flagged. The complaint rate per day of the 3 with the "
	    "most complaints") != NULL);
	CHECK_TRUE("calm/html-charts", strstr(buf_cstr(&b),
	    "<title>c-02 (ok)</title>") != NULL);

	m.ncustomers = 0;
	report_charted_customers(&m, &ch);
	CHECK_INT("none/n", ch.n, 0);
	free(c);
	buf_free(&b);
}

static void
test_rates(void)
{
	struct report_customer	*c;
	double			 pct[3];

	if ((c = calloc(1, sizeof(*c))) == NULL)
		abort();
	c->day_rates[0] = -1;
	c->day_rates[1] = 0;
	c->day_rates[2] = 0.0025;
	report_chart_rates(c, 3, pct);
	CHECK_TRUE("rates/unknown-not-zero", isnan(pct[0]));
	CHECK_TRUE("rates/zero", pct[1] == 0);
	CHECK_TRUE("rates/percent", fabs(pct[2] - 0.25) < 1e-12);
	free(c);
}

int
main(void)
{
	test_capped();
	test_quiet();
	test_rates();
	return UNIT_DONE();
}
