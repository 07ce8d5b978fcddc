/* SPDX-License-Identifier: ISC */
/*
 * json: what the parts of the JSON report share (json.c writes the report
 * and holds these; json_views.c writes the keys of views.h).
 */
#ifndef FBL_REPORT_JSON_H
#define FBL_REPORT_JSON_H

#include <stdbool.h>

#include "base/buf.h"
#include "report/model.h"

/* "key": rate, or null when unknown (< 0); never NaN. */
void	 report_json_rate(struct buf *, const char *key, double rate,
	    bool *first);
/* "key": {"day": v[0], "short": v[1], "long": v[2]} */
void	 report_json_counts(struct buf *, const char *key, const int64_t *v,
	    bool *first);

/* The keys of views.h (json_views.c), after the report's others. */
void	 report_json_views(struct buf *, const struct report_model *,
	    bool *first);

#endif
