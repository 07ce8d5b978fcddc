/* SPDX-License-Identifier: ISC */
/*
 * archive: a signature judged again under the keys archived for its name
 * (keyarchive.h), when the live verdict may be a key that has since been
 * rotated away or replaced (record_archive_applies()).  The live result
 * stays as DNS says; this is a second verdict (record.h):
 *   ARCHIVED_PASS  an archived key of that name verifies the signature
 *                  (from the facts kept at ingest,
 *                  verify_facts_under_key()): rotated away, but signed by
 *                  whoever held the key then;
 *   ARCHIVED_FAIL  keys are archived for the name, none verifies it;
 *   ARCHIVED_NONE  nothing archived for the name: no second opinion.
 *
 * Also here: the keys a batch met, archived once per run.
 *
 * The cache holds, per key name, the archived keys parsed once; one run
 * (an ingest, a reverify) uses one cache from one thread.
 */
#ifndef FBL_ARCHIVE_H
#define FBL_ARCHIVE_H

#include <stdbool.h>
#include <stddef.h>

#include "fbl/store/record.h"
#include "fbl/store/store.h"
#include "base/buf.h"
#include "verifier/verify.h"

struct archive_cache;

struct archive_cache	*archive_cache_new(void);
void			 archive_cache_free(struct archive_cache *);

/* The facts of rs in the verifier's form; false when none were kept. */
bool	 archive_sig_facts(const struct record_sig *rs, struct sig_facts *);

/*
 * Set rs->archived (and archived_key) when its verdict is one the archive
 * can reverse and its facts were kept; else ARCHIVED_NONE.  False
 * only when the database could not be read (err).
 */
bool	 archive_judge(struct archive_cache *, struct store *,
	    struct record_sig *rs, struct buf *err);

/*
 * Archive the key records of recs[0..n) not archived yet in this run: 'dns'
 * for keys from DNS, 'import' for keys from zone files (--zone: the ESP's
 * own zones).  Records the archive refuses (revoked, unparseable) are
 * skipped.  Its own transaction.  False with err on a database error.
 */
bool	 archive_keys_seen(struct archive_cache *, struct store *,
	    struct record *const *recs, size_t n, struct buf *err);

#endif
