/* SPDX-License-Identifier: ISC */
/*
 * changes: the report's first panel, what changed that calls for action
 * this morning, from the model's figures alone (model.h, struct
 * report_change), most severe first:
 *
 *   alarmed, flagged, recovered: a customer's level on the report day
 *     against the level the same daily rules give for the day before (its
 *     rate that day and those of the 7 days before it): newly alarmed
 *     (alarm), newly flagged from ok (warn), no longer alarmed (info);
 *   forgery spike (alarm): a customer's suspected forgeries (forged and
 *     replayed) of the report day are at least REPORT_SPIKE_MIN and at
 *     least REPORT_SPIKE_FACTOR times their daily mean over the 7 days
 *     before;
 *   DNS and key problems: each problem of the latest keys audit, new when
 *     first seen on its audit's day, else still open with its age; alarm
 *     for FAIL, warn for WARN and TEMP;
 *   ISP silent (warn): an ISP that sent no complaint (abuse, fraud,
 *     virus; any authenticity) on the last silent_days days
 *     (--silent-days, default 3, at most 14) and at least
 *     REPORT_SILENT_MIN in the REPORT_SILENT_BEFORE days before: a feedback
 *     loop subscription or mailbox that died, which would make the week
 *     look perfect;
 *   incomplete (info): the days of the short window less than
 *     REPORT_LATE_DAYS before the last day of stored complaints: ISPs send
 *     a day's reports over the days after it, so its figures still grow.
 *
 * Bounded: at most REPORT_MAX_CHANGES entries; changes_left counts the
 * rest.  The sentence of each (report_change_text()) is written once, for
 * the text and the page; CSV and JSON carry its fields.
 */
#ifndef FBL_REPORT_CHANGES_H
#define FBL_REPORT_CHANGES_H

#include <stdbool.h>

#include "base/buf.h"
#include "report/model.h"

#define REPORT_SPIKE_MIN		3
#define REPORT_SPIKE_FACTOR		3
#define REPORT_SILENT_BEFORE		14
#define REPORT_SILENT_MIN		7
#define REPORT_DEFAULT_SILENT_DAYS	3
#define REPORT_MAX_SILENT_DAYS		14
#define REPORT_LATE_DAYS		3
#define REPORT_MAX_CHANGES		200

/* The panel of m (after the levels are known); false: out of memory. */
bool	 report_changes_make(struct report_model *);
/* "cust-04 is newly alarmed (0.600% on 2026-11-21)", ... */
void	 report_change_text(struct buf *, const struct report_model *,
	    const struct report_change *);
void	 report_changes_free(struct report_model *);

#endif
