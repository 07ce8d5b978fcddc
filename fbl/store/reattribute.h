/* SPDX-License-Identifier: ISC */
/*
 * reattribute: the stored reports attributed again under the configuration
 * in force, after a customer, a customer domain, the ESP token or a sending
 * network was added, changed or removed.
 *
 * Every stored report (or those of --since and later) is read back with the
 * values ingest attributed it from (each signature's d=, the From domain,
 * the Source-IP) and attributed again in C by record_attribute(), the
 * function ingest itself calls: each signature's role and customer, the
 * customer the report claims and its token, and whether its Source-IP is
 * inside the sending networks.  A report whose attribution differs from
 * the stored one is written by one SQL function (fbl_reattribute,
 * sql/definitions.sql): only if its rows still hold the attribution that
 * was read, its counts are taken away from every daily table, its rows
 * changed, its standing computed again, and its counts added back.  So a
 * second run changes nothing, and two runs at once, or a run beside
 * reverify or ingest, move each report once.
 *
 * One transaction per page of reports (opts->batch); a failed page is
 * rolled back whole, and tried again after a deadlock (db_tx(), db.h).
 * opts->stop is asked between pages.
 */
#ifndef FBL_REATTRIBUTE_H
#define FBL_REATTRIBUTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "fbl/config.h"
#include "fbl/store/store.h"

#define REATTRIBUTE_DEFAULT_BATCH	1000
#define REATTRIBUTE_MAX_BATCH		10000

struct reattribute_opts {
	const struct fbl_config	*config;
	const char		*since;		/* YYYY-MM-DD, or NULL: all */
	size_t			 batch;		/* reports per page */
	bool			 dry_run;	/* count, write nothing */
	bool			(*stop)(void);	/* asked between pages */
};

/*
 * A report counts once in changed and in each kind of change it has (a
 * customer added may change a signature's role too).
 */
struct reattribute_stats {
	uint64_t	 examined;	/* reports read */
	uint64_t	 changed;	/* attributed again (dry run: would be) */
	uint64_t	 added;		/* claimed no customer, claims one now */
	uint64_t	 removed;	/* claimed one, claims none now */
	uint64_t	 moved;		/* another customer or token */
	uint64_t	 roles;		/* a signature's role or customer */
	uint64_t	 networks;	/* Source-IP in or out of the networks */
	uint64_t	 skipped;	/* changed meanwhile by another run */
	uint64_t	 batches;	/* pages written */
	bool		 interrupted;	/* opts->stop said so */
	/*
	 * After the run, from daily_customer (the report's source): the
	 * complaints (feedback class complaint) of --since and later that
	 * claim no customer; of them, those that carried an ESP-token
	 * signature, and those whose ESP-token signature verified.
	 */
	uint64_t	 unattributed;
	uint64_t	 unattributed_esp;
	uint64_t	 unattributed_esp_verified;
};

bool	 reattribute_run(struct store *, const struct reattribute_opts *,
	    struct reattribute_stats *, struct buf *err);

#endif
