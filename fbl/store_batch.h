/*
 * store_batch: write the records of one batch (record.h) in one
 * transaction.
 *
 * BEGIN; fbl_ensure_month() for every month of the batch; then per record
 * one statement that inserts the report row (ON CONFLICT DO NOTHING: the
 * primary key (msg_day, fingerprint) makes a message count once) and, only
 * when the row was inserted, adds one to its daily_report count; the
 * signature rows of an inserted report likewise, each with its
 * daily_signature count; COMMIT.  The aggregates are thus written in the
 * same transaction as the rows they count, and count only rows actually
 * inserted.  Every value goes as a query parameter.
 *
 * On any failure the transaction is rolled back (when the connection still
 * stands): nothing of the batch is stored.
 */
#ifndef FBL_STORE_BATCH_H
#define FBL_STORE_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "fbl/record.h"
#include "fbl/store.h"
#include "verifier/buf.h"

/*
 * Store recs[0..n).  inserted[i] says whether recs[i] was new (false: a
 * duplicate, already stored).  False with the reason in err.
 */
bool	 store_write_batch(struct store *, struct record *const *recs,
	    size_t n, bool *inserted, struct buf *err);

#endif
