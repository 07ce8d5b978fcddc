/* SPDX-License-Identifier: ISC */
/*
 * charts: what the HTML page (html.c) charts of the model's customers: who
 * gets a chart of their complaint rate per day, and those rates as chart
 * values (svg.h).  Pure functions of the model, so a test can check the
 * choice without reading a page.
 *
 * The customers to look at are the alarmed and the flagged ones: each gets
 * a small chart of its own, in the order of the customer table (alarmed,
 * then flagged, each by the day's rate, then complaints:
 * report_customer_cmp), up to REPORT_CHARTS_MAX; those past it are counted
 * for the page to say so.  On a night with fewer than REPORT_CHARTS_QUIET
 * of them, the other customers with the most complaints in the long window
 * (and a volume to rate them by) fill up to that many, so the page still
 * shows where the complaints are.
 */
#ifndef FBL_REPORT_CHARTS_H
#define FBL_REPORT_CHARTS_H

#include <stddef.h>

#include "report/model.h"

/*
 * 16 rows of three small charts: a page a reader still scrolls through.
 * The customer table under the charts lists every customer.
 */
#define REPORT_CHARTS_MAX	48
#define REPORT_CHARTS_QUIET	3

struct report_charted {
	size_t		 idx[REPORT_CHARTS_MAX];	/* m->customers[], in
							   chart order */
	size_t		 n;
	size_t		 problems;	/* alarmed and flagged customers */
	size_t		 more;		/* of them, not charted (the cap) */
};

void	 report_charted_customers(const struct report_model *,
	    struct report_charted *);

/*
 * The rates of c's first n days of the long window (n at most
 * REPORT_MAX_DAYS), in per cent, into pct: SVG_UNKNOWN where the model's
 * is unknown (a day without volume), never 0.
 */
void	 report_chart_rates(const struct report_customer *, size_t n,
	    double *pct);

#endif
