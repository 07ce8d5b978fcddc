/* SPDX-License-Identifier: ISC */
/*
 * render: the report model (model.h) as text (a mail body, at most 100
 * columns), CSV (sections, docs/fblscope.1), JSON (one document,
 * docs/report-json.md, docs/report.schema.json) and HTML (one page).
 *
 * Each appends to out and returns true.  false: nothing usable was made;
 * out then holds only the reason, one line (out of memory, or a format this
 * build cannot make).
 */
#ifndef FBL_REPORT_RENDER_H
#define FBL_REPORT_RENDER_H

#include <stdbool.h>

#include "report/model.h"
#include "report/rules.h"
#include "base/buf.h"

#define REPORT_TEXT_WIDTH	100

bool	 report_render_text(struct buf *, const struct report_model *);
bool	 report_render_csv(struct buf *, const struct report_model *);
bool	 report_render_json(struct buf *, const struct report_model *);
bool	 report_render_html(struct buf *, const struct report_model *);

/*
 * The last step of each renderer: true when out is whole; else out holds
 * only the reason, as said above, and false.
 */
bool	 report_render_end(struct buf *);
/* "0.512%" (3 decimals) or "-" for an unknown rate, into out. */
void	 report_put_rate(struct buf *, double rate);

#endif
