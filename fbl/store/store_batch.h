/* SPDX-License-Identifier: ISC */
/*
 * store_batch: write the records of one batch (record.h) in one
 * transaction.
 *
 * fbl_stage_open() makes the session's staging tables; the report,
 * signature and signature_facts rows are COPYed into them (encode.h); one
 * statement, fbl_stage_merge(), makes the batch's month partitions and
 * inserts the report rows (ON CONFLICT DO NOTHING: the primary key
 * (msg_day, fingerprint) makes a message count once) and, for the rows
 * actually inserted only, their signature rows, their facts and their
 * daily counts (sql/definitions.sql); then COMMIT.  The aggregates are
 * thus written in the same transaction as the rows they count and count
 * only rows inserted.  A message twice in one batch is staged once.  Rows
 * are taken in key order, so two ingests storing overlapping batches lock
 * in the same order; a batch ended by a deadlock or a serialization
 * failure all the same is rolled back and tried again (db_tx(), db.h).
 * Every value travels as COPY data, never as SQL.
 *
 * On any other failure the transaction is rolled back (when the connection
 * still stands): nothing of the batch is stored.
 */
#ifndef FBL_STORE_BATCH_H
#define FBL_STORE_BATCH_H

#include <stdbool.h>
#include <stddef.h>

#include "fbl/store/record.h"
#include "fbl/store/store.h"
#include "base/buf.h"

/*
 * Store recs[0..n).  inserted[i] says whether recs[i] was new (false: a
 * duplicate, already stored).  False with the reason in err.
 */
bool	 store_write_batch(struct store *, struct record *const *recs,
	    size_t n, bool *inserted, struct buf *err);

#endif
