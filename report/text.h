/* SPDX-License-Identifier: ISC */
/*
 * text: what the parts of the text report share (text.c writes the report
 * and holds these; text_views.c writes its views by sending network, by
 * campaign and of token health over time).  Every name from the database
 * goes through report_text_cut: controls and non-ASCII bytes as '?'.
 */
#ifndef FBL_REPORT_TEXT_H
#define FBL_REPORT_TEXT_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "report/model.h"

/* A wrapped list of items, as text.c's lists. */
struct text_list {
	size_t	 col;		/* where the line stands */
	bool	 first;
};

/* s cut to at most w columns, padded to w when pad. */
void	 report_text_cut(struct buf *, const char *s, size_t w, bool pad);
/* " " and n right-aligned in 6 columns, in k or M when it is wider. */
void	 report_text_count(struct buf *, long long n, bool sign);
/* A rate (report_put_rate) right-aligned in w columns. */
void	 report_text_rate(struct buf *, double rate, int w);
/* The next item of l, wrapped at the width with an indent of 6. */
void	 report_text_item(struct buf *, struct text_list *, const char *text);

/* The views of views.h (text_views.c). */
void	 report_text_views(struct buf *, const struct report_model *);

#endif
