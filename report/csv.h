/* SPDX-License-Identifier: ISC */
/*
 * csv: what the parts of the CSV report share (csv.c writes the report and
 * holds these; csv_views.c writes the sections of views.h).  A row is its
 * section's name, then fields each written with its leading comma.
 */
#ifndef FBL_REPORT_CSV_H
#define FBL_REPORT_CSV_H

#include <stdint.h>

#include "base/buf.h"
#include "report/model.h"

/* ",s": quoted when needed, an apostrophe before a formula-like cell. */
void	 report_csv_field(struct buf *, const char *s);
void	 report_csv_num(struct buf *, int64_t n);
/* ",rate", or "," when unknown (< 0). */
void	 report_csv_rate(struct buf *, double rate);

/* The sections of views.h (csv_views.c). */
void	 report_csv_views(struct buf *, const struct report_model *);

#endif
