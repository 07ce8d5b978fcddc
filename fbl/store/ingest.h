/* SPDX-License-Identifier: ISC */
/*
 * ingest: the pipeline of `fblscope ingest`: source -> parse and verify
 * (complaint.h: arf.h, verify.h, as of the message's own arrival time) ->
 * classify -> record -> batch -> store (store_batch.h).
 *
 * Sources are read in the order given, one message at a time, by the
 * calling thread.  With jobs > 1, that many worker threads turn messages
 * into records (parse, verify, classify) while the caller goes on reading;
 * with jobs <= 1 the caller does that too.  The key source must then be
 * safe for threads (keyfetch.h is).  A storer thread does the database
 * work of each batch while the next one is read and verified, whatever the
 * jobs: the store is its own while it has a batch.  Every call on a source
 * (read, commit, settle, quarantine, close) is the calling thread's, as
 * mailsource.h asks: it moves a batch's items once the storer says it went
 * in, before handing it the next.
 *
 * A batch holds at most opts->batch messages and is stored in one
 * transaction, batches in the order they were read.  Only after its COMMIT
 * are its Maildir items committed (moved from new/ to cur/,
 * mailsource.h).  A failed batch stops the run: nothing of it is stored and
 * its messages stay where they were; the batches before it stay stored, and
 * what was read after it is dropped unstored (still in new/).
 *
 * Unparseable messages are stored too (kind 'unparseable').  Items a source
 * could not read at all (mail_source_next() returning -1) have no bytes and
 * are only counted and logged, except under store_never (below).
 *
 * A source whose items are moved after their batch in one go (IMAP:
 * mailsource.h) is settled once the batch's items are committed; a failed
 * move is logged and counted with the failed renames (commit_errors).
 *
 * One reader per folder: a source that names a claim key (IMAP,
 * mailsource.h) is read only under a PostgreSQL advisory lock on it
 * (store_claim_source()); a run that finds it taken leaves that source to
 * the other and logs so.  The lock is held to the end of the run, or of
 * the watch pass.
 *
 * Watch (opts->watch > 0): when every source has been read, what was read
 * is stored and moved, the pass_end callback is called, and after
 * opts->watch seconds (or at once when asked to stop) the sources are
 * opened and read again, until stop() says so.  A source that cannot be
 * opened, or fails while read (item->failed), ends the watch after that
 * pass: the run's status says so, and a supervisor starts it again.
 *
 * Quarantine: what can never be stored leaves the Maildir once, into its
 * quarantine folder (mailsource.h), and is not met again: an error item
 * whose reason is permanent (item->never: empty, unreadable, too large) as
 * soon as it is read; an unparseable message ("not-mail") in place of the
 * move to cur/, after its batch committed, so a failed batch (the database
 * down) quarantines nothing.  Library code: nothing is printed; the log
 * (at most INGEST_MAX_LOG bytes) says what went wrong per item, and the
 * progress callback, when set, is called from the calling thread.  A
 * source that broke off (an IMAP server gone mid-run) is said in broke_off,
 * not among the per-item problems, so that it is never lost among them.
 */
#ifndef FBL_INGEST_H
#define FBL_INGEST_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/classify.h"
#include "fbl/source/mailsource.h"
#include "fbl/config.h"
#include "fbl/store/store.h"
#include "base/buf.h"
#include "base/jobs.h"
#include "verifier/result.h"
#include "verifier/verify.h"

#define INGEST_DEFAULT_BATCH	500
#define INGEST_MAX_BATCH	10000
/*
 * The diagnoses of one run (one pass of a watch) hash at most this much:
 * 4 GiB is some seconds of SHA-256, and every failure of a night's
 * mailbox of real reports (a few KB to hash per trial).
 */
#define INGEST_DEFAULT_DIAGNOSE_MIB	4096
#define INGEST_MAX_DIAGNOSE_MIB		1048576
#define INGEST_MAX_LOG		(64 * 1024)
#define INGEST_MAX_JOBS		JOBS_MAX
#define INGEST_MAX_WHY		8	/* reasons of unparseable counted */
#define INGEST_NROLES		4	/* enum token_role */
#define INGEST_NRESULTS		7	/* enum dkim_result */

struct ingest_progress;
struct ingest_stats;

struct ingest_opts {
	struct verify_opts	 vo;	/* keys, skew; now: the fallback */
	const struct fbl_config	*config;	/* NULL: roles unknown */
	const struct buf	*secret;	/* NULL: no recipients */
	size_t			 batch;
	unsigned		 jobs;		/* worker threads; <= 1: none */
	unsigned		 source_flags;	/* MAIL_SOURCE_* */
	const char		*quarantine;	/* NULL: each Maildir's own */
	/*
	 * Pipe delivery (one message from an MTA, which must neither retry
	 * nor bounce what can never be stored): an item that can never be
	 * stored (empty, too large: item->never) is stored as kind
	 * unparseable instead of only counted; a too-large one by the
	 * SHA-256 the source took of all its bytes (MAIL_SOURCE_PIPE).
	 */
	bool			 store_never;
	/*
	 * Bytes the diagnoses of failed signatures may hash in this run
	 * (diag_class.h); 0: no diagnosis, only the classes a verdict gives.
	 */
	uint64_t		 diagnose_budget;
	const struct mail_source_net *net;	/* IMAP settings, or NULL */
	unsigned		 watch;		/* seconds between passes; 0:
						   one pass */
	/* Watch: after each pass, its items stored (NULL: nothing). */
	void			(*pass_end)(struct ingest_stats *, void *arg);
	void			*pass_arg;
	/* At most 4 times a second, after a batch, and once at the end. */
	void			(*progress)(const struct ingest_progress *,
				    void *arg);
	void			*progress_arg;
	/*
	 * Asked between messages (NULL: never): true stops reading; what was
	 * read is verified, stored and committed as usual, and the run ends
	 * with stats->interrupted set.
	 */
	bool			(*stop)(void);
};

/* Counts of what was stored in this run (duplicates apart). */
struct ingest_stats {
	uint64_t	 seen;		/* messages read */
	uint64_t	 stored;
	uint64_t	 complaints;	/* stored, complaint = true */
	uint64_t	 samples;
	uint64_t	 not_arf;
	uint64_t	 unparseable;	/* seen (stored or not) */
	uint64_t	 duplicates;	/* already in the database */
	uint64_t	 read_errors;	/* items without bytes, left where
					   they were */
	uint64_t	 vanished;	/* of those: moved away meanwhile */
	uint64_t	 quarantined;	/* moved to a quarantine folder */
	uint64_t	 source_errors;	/* sources that could not be opened */
	uint64_t	 commit_errors;	/* Maildir renames that failed (to
					   cur/ or to the quarantine) */
	uint64_t	 batches;	/* committed */
	uint64_t	 classified;	/* failed signatures stored with a
					   diagnosis class */
	uint64_t	 unclassified;	/* ... and without: the budget spent
					   (or a verdict a class needs a
					   diagnosis for, and 0 budget) */
	uint64_t	 passes;	/* watch: passes done */
	bool		 interrupted;	/* opts->stop said so */
	double		 elapsed;	/* seconds, the whole run */
	double		 storing;	/* seconds storing, by the storer */
	double		 waiting;	/* seconds reading waited for the
					   storer: storing not overlapped */
	uint64_t	 sigs[INGEST_NROLES][INGEST_NRESULTS];	/* stored */
	struct ingest_why {
		char		 text[96];	/* record.decided */
		uint64_t	 n;
	}		 unparseable_why[INGEST_MAX_WHY];	/* the last: other */
	size_t		 nwhy;
	struct buf	 log;		/* one line per problem */
	struct buf	 broke_off;	/* one line per source that broke
					   off: why the run failed */
};

/* Where a run is, for a progress line. */
struct ingest_progress {
	const struct ingest_stats *stats;
	double		 elapsed;	/* seconds since the start */
	uint64_t	 done;		/* of the source being read: */
	uint64_t	 total;		/* mail_source_progress() */
	bool		 final;		/* the last call */
};

/*
 * Ingest specs[0..n) into st.  True when every batch was stored (per-item
 * and per-source problems are in stats); false when a batch failed (the
 * reason in err) and the run stopped.
 */
bool	 ingest_run(struct store *, const struct ingest_opts *,
	    char *const *specs, size_t n, struct ingest_stats *,
	    struct buf *err);
void	 ingest_stats_free(struct ingest_stats *);

#endif
