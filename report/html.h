/* SPDX-License-Identifier: ISC */
/*
 * html: what the parts of the HTML report share (html.c writes the page
 * and holds these; html_views.c writes the sections of views.h).
 */
#ifndef FBL_REPORT_HTML_H
#define FBL_REPORT_HTML_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "report/model.h"

/* The charts' day axis: UTC days, as the heading says. */
#define REPORT_HTML_DAY_AXIS	"day (UTC)"

/* The x labels of the long window's n days: "MM-DD" each, into lab, p. */
bool	 report_html_day_labels(const struct report_model *, char (*lab)[6],
	    const char **p, size_t n);

/* The sections of views.h (html_views.c). */
void	 report_html_networks(struct buf *, const struct report_model *);
void	 report_html_health(struct buf *, const struct report_model *);

#endif
