/* SPDX-License-Identifier: ISC */
/* charts: the customers the HTML page charts, see charts.h. */
#include <string.h>

#include "report/charts.h"
#include "report/svg.h"

static bool
problem(const struct report_customer *c)
{
	return c->level == LEVEL_ALARMED || c->level == LEVEL_FLAGGED;
}

/*
 * Up to max of the customers that are no problem and have a volume in the
 * long window, most complaints first (ties: the table's order), after the
 * p->n already chosen.
 */
static void
quiet_fill(const struct report_model *m, struct report_charted *p, size_t max)
{
	const struct report_customer *c;
	size_t		 i, j, first = p->n;

	for (i = 0; i < m->ncustomers; i++) {
		c = &m->customers[i];
		if (problem(c) || !c->w[RW_LONG].has_volume ||
		    c->w[RW_LONG].complaints <= 0)
			continue;
		for (j = p->n; j > first && m->customers[p->idx[j - 1]].
		    w[RW_LONG].complaints < c->w[RW_LONG].complaints; j--)
			if (j < max)
				p->idx[j] = p->idx[j - 1];
		if (j < max) {
			p->idx[j] = i;
			if (p->n < max)
				p->n++;
		}
	}
}

void
report_charted_customers(const struct report_model *m,
    struct report_charted *p)
{
	size_t	 i;

	memset(p, 0, sizeof(*p));
	for (i = 0; i < m->ncustomers; i++) {
		if (!problem(&m->customers[i]))
			continue;
		p->problems++;
		if (p->n < REPORT_CHARTS_MAX)
			p->idx[p->n++] = i;
		else
			p->more++;
	}
	if (p->n < REPORT_CHARTS_QUIET)
		quiet_fill(m, p, REPORT_CHARTS_QUIET);
}

void
report_chart_rates(const struct report_customer *c, size_t n, double *pct)
{
	size_t	 i;

	for (i = 0; i < n && i < REPORT_MAX_DAYS; i++)
		pct[i] = c->day_rates[i] < 0 ? SVG_UNKNOWN :
		    c->day_rates[i] * 100;
}
