/* SPDX-License-Identifier: ISC */
/*
 * reverify: the stored signatures whose verdict may still change, judged
 * again from their facts (signature_facts, sql/002_judgements.sql), without
 * the messages, which are not stored:
 *   - a temperror (the DNS failed at ingest) is verified again through the
 *     key source, as of the clock of the first verification
 *     (verify_replay()); a new verdict replaces it in the signature row and
 *     moves its count in daily_verification from the old (result, reason)
 *     to the new one, in the same transaction;
 *   - a verdict the key archive can reverse (key gone or replaced) gets its
 *     second verdict (archive.h) when it has none yet, e.g. after
 *     `fblscope keys import`.
 * A temperror is not retried for ever: one that stays one waits 15 minutes
 * for its next try, doubling up to a day (signature_facts.next_try, schema
 * 11), and one of a message stored more than REVERIFY_MAX_AGE_DAYS ago is
 * no longer retried; the stats count both.
 * A row is updated only if it still holds the verdict that was read, so two
 * runs at once, or a run beside an ingest, change each row and count once.
 * With jobs > 1 the temperrors of a page are verified again by that many
 * threads at once (the DNS waits overlap); the page is then judged under
 * the archive, written and counted in row order in one transaction, as
 * with one.
 * The rows and their counts are written by SQL functions
 * (fbl_signature_verdict, fbl_report_standing, sql/definitions.sql).  One
 * transaction per batch of rows; a failed batch is rolled back whole, and
 * tried again after a deadlock (db_tx(), db.h).
 */
#ifndef FBL_REVERIFY_H
#define FBL_REVERIFY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/store/store.h"
#include "base/buf.h"
#include "verifier/keyfetch.h"

#define REVERIFY_DEFAULT_BATCH	500
#define REVERIFY_MAX_BATCH	10000
#define REVERIFY_MAX_AGE_DAYS	14	/* temperrors retried this long */

struct reverify_opts {
	struct key_source	*keys;
	unsigned		 dns_budget_ms;	/* per signature; 0: default */
	unsigned		 max_age_days;	/* 0: REVERIFY_MAX_AGE_DAYS */
	bool			 retry_all;	/* ignore the backoff */
	bool			(*stop)(void);	/* asked between pages */
	const char		*since;		/* YYYY-MM-DD, or NULL: all */
	size_t			 batch;
	unsigned		 jobs;		/* threads verifying; 0: 1 */
};

struct reverify_stats {
	uint64_t	 examined;	/* rows read */
	uint64_t	 temperror;	/* of those: temperror, verified again */
	uint64_t	 resolved;	/* ... with another verdict now */
	uint64_t	 pass;		/* ... of which pass */
	uint64_t	 still;		/* ... still temperror */
	uint64_t	 archived_pass;	/* second verdicts given */
	uint64_t	 archived_fail;
	uint64_t	 skipped;	/* changed meanwhile by another run */
	uint64_t	 too_old;	/* temperrors past the age: not retried */
	uint64_t	 waiting;	/* temperrors whose next try is later */
	bool		 interrupted;	/* opts->stop said so */
	uint64_t	 batches;
};

bool	 reverify_run(struct store *, const struct reverify_opts *,
	    struct reverify_stats *, struct buf *err);

#endif
