/* SPDX-License-Identifier: ISC */
/*
 * ingest: source -> parse -> verify -> record -> batch -> store.  Parsing
 * and verifying are the step `fblscope arf` takes too (complaint.h).
 *
 * The main thread reads messages (and, with jobs <= 1, turns them into
 * records); with jobs > 1, worker threads do that.  A storer thread does
 * the database work of each batch (keys archived, judged, COPY, merge,
 * COMMIT).  Two batches are in play: the one being filled (and worked on
 * as its messages arrive) and the one before it, handed to the storer,
 * which stores it as soon as its last record is made.  So reading,
 * verifying and storing overlap, whatever the jobs.
 *
 * Every call on a source (next, commit, settle, quarantine, close) stays on
 * the main thread (mailsource.h: an IMAP source is one connection): the
 * storer only says whether the batch went in, and the main thread, before
 * it hands the next batch (or at the end), moves the stored batch's items
 * and counts them.  So a message moves only after its batch's COMMIT, a
 * batch after a failed one is never handed, and only the main thread
 * writes the run's stats.  What the storer reads or writes of a batch is
 * handed over under mu, as is the store while a batch is handed: the main
 * thread's own statements (claims) wait for the storer first.
 */
#include <pthread.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbl/store/archive.h"
#include "fbl/feedback/complaint.h"
#include "fbl/store/ingest.h"
#include "fbl/source/mailsource.h"
#include "fbl/store/record.h"
#include "fbl/store/store_batch.h"

/*
 * The messages of one batch, with their records and sources.  A batch may
 * span sources; a source that has ended is closed once the batch holding
 * its last items is stored (done[]).  Under the pool's lock: n (items
 * published), claimed, made.
 */
struct batch {
	struct mail_item	*items;
	struct mail_source	**src;
	struct mail_source	**done;
	size_t			 ndone;
	struct record		*recs;
	struct record		**rp;
	bool			*inserted;
	bool			*failed;	/* out of memory making it */
	size_t			 n;
	size_t			 claimed;
	size_t			 made;
	size_t			 cap;
	uint64_t		 seq;		/* order of filling */
	bool			 stored;	/* by the storer: COMMITted */
	double			 storing;	/* by the storer: seconds */
};

/* The state of one run. */
struct run {
	struct store		*st;
	const struct ingest_opts *o;
	struct ingest_stats	*s;
	struct buf		*err;
	struct batch		 b[2];
	struct batch		*fill;		/* being filled */
	struct batch		*prev;		/* handed to the storer, its
						   items not yet moved */
	uint64_t		 seq;
	pthread_t		*workers;
	size_t			 nworkers;
	pthread_mutex_t		 mu;
	pthread_cond_t		 work;		/* an item to claim, or stop */
	pthread_cond_t		 made;		/* a record was made */
	bool			 stop;
	/* the storer, under mu */
	pthread_t		 storer;
	bool			 storer_up;
	pthread_cond_t		 handed;	/* tostore set, or storer_stop */
	pthread_cond_t		 done;		/* tostore done with */
	struct batch		*tostore;	/* handed, not yet stored */
	bool			 storer_stop;
	struct buf		 serr;		/* why the batch failed */
	struct timespec		 started;
	struct timespec		 last_progress;
	struct mail_source	*reading;	/* for progress */
	struct archive_cache	*archive;	/* archived keys, by name */
	struct diag_pool	 diag;		/* opts->diagnose_budget */
};

static void log_to(struct buf *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
log_to(struct buf *log, const char *fmt, ...)
{
	va_list	 ap;

	if (log->len >= INGEST_MAX_LOG)
		return;
	va_start(ap, fmt);
	buf_vprintf(log, fmt, ap);
	va_end(ap);
	buf_putc(log, '\n');
}

#define log_line(s, ...)	log_to(&(s)->log, __VA_ARGS__)

static bool
batch_init(struct batch *b, size_t cap)
{
	memset(b, 0, sizeof(*b));
	b->cap = cap;
	b->items = calloc(cap, sizeof(*b->items));
	b->src = calloc(cap, sizeof(*b->src));
	b->done = calloc(cap, sizeof(*b->done));
	b->recs = calloc(cap, sizeof(*b->recs));
	b->rp = calloc(cap, sizeof(*b->rp));
	b->inserted = calloc(cap, sizeof(*b->inserted));
	b->failed = calloc(cap, sizeof(*b->failed));
	return b->items != NULL && b->recs != NULL && b->rp != NULL &&
	    b->inserted != NULL && b->src != NULL && b->done != NULL &&
	    b->failed != NULL;
}

/*
 * Free what b holds; only when no worker can hold one of its items.  The
 * counts stay: reset_batch() clears them under the lock.
 */
static void
batch_clear(struct batch *b)
{
	size_t	 i;

	for (i = 0; i < b->n; i++) {
		mail_item_free(&b->items[i]);
		record_free(&b->recs[i]);
		b->failed[i] = false;
	}
	for (i = 0; i < b->ndone; i++)
		mail_source_close(b->done[i]);
	b->ndone = 0;
}

static void
reset_batch(struct run *r, struct batch *b)
{
	batch_clear(b);
	pthread_mutex_lock(&r->mu);
	b->n = b->claimed = b->made = 0;
	pthread_mutex_unlock(&r->mu);
}

static void
batch_free(struct batch *b)
{
	batch_clear(b);
	free(b->items);
	free(b->src);
	free(b->done);
	free(b->recs);
	free(b->rp);
	free(b->inserted);
	free(b->failed);
}

/*
 * Parse, verify, diagnose what failed (within the run's budget) and build
 * the record of one item; false: out of memory.
 */
static bool
make_record(struct run *r, const struct mail_item *it, struct record *rec)
{
	const struct ingest_opts *o = r->o;
	struct complaint	 c;
	struct record_input	 in;
	struct diagnosis	 dg;
	char			 why[128];
	bool			 ok, ran = false;

	if (!complaint_make(&c, &o->vo, false, it->data, it->len))
		return false;
	memset(&in, 0, sizeof(in));
	if (c.verified && diag_pool_wanted(&c.vr)) {
		if (!diag_pool_diagnose(&r->diag, &dg, &c.vr, &ran)) {
			diagnosis_free(&dg);
			complaint_free(&c);
			return false;
		}
		in.diag = ran ? &dg : NULL;
	}
	if (it->has_digest) {	/* store_never: too large to keep */
		in.fingerprint = it->digest;
		snprintf(why, sizeof(why), "not a message: too large to keep "
		    "(%llu bytes, over %zu); stored by its SHA-256 only",
		    (unsigned long long)it->stream_len,
		    (size_t)MAIL_SOURCE_MAX_MESSAGE);
		in.decided = why;
	}
	in.raw = it->data;
	in.len = it->len;
	in.source = it->origin;
	in.report = &c.report;
	in.original = c.have_original ? &c.original : NULL;
	in.vr = c.verified ? &c.vr : NULL;
	in.config = o->config;
	in.secret = o->secret;
	ok = record_build(rec, &in);
	if (ran)
		diagnosis_free(&dg);
	complaint_free(&c);
	return ok;
}

/* Make the record of item i of b; the message bytes are freed after. */
static void
make_item(struct run *r, struct batch *b, size_t i)
{
	struct mail_item *it = &b->items[i];

	b->failed[i] = !make_record(r, it, &b->recs[i]);
	free(it->data);		/* the record has what is stored */
	it->data = NULL;
	it->len = 0;
}

/* --- the worker pool --- */

/* The oldest batch with an item to claim, or NULL. */
static struct batch *
claimable(struct run *r)
{
	struct batch	*a = &r->b[0], *b = &r->b[1], *t;

	if (a->seq > b->seq) {
		t = a;
		a = b;
		b = t;
	}
	if (a->claimed < a->n)
		return a;
	if (b->claimed < b->n)
		return b;
	return NULL;
}

static void *
worker(void *arg)
{
	struct run	*r = arg;
	struct batch	*b;
	size_t		 i;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (!r->stop && (b = claimable(r)) == NULL)
			pthread_cond_wait(&r->work, &r->mu);
		if (r->stop)
			break;
		i = b->claimed++;
		pthread_mutex_unlock(&r->mu);
		make_item(r, b, i);
		pthread_mutex_lock(&r->mu);
		b->made++;
		pthread_cond_signal(&r->made);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

static bool
pool_start(struct run *r, unsigned jobs)
{
	size_t	 i;

	if (jobs <= 1)
		return true;
	if ((r->workers = calloc(jobs, sizeof(*r->workers))) == NULL)
		return false;
	for (i = 0; i < jobs; i++) {
		if (pthread_create(&r->workers[i], NULL, worker, r) != 0)
			break;
		r->nworkers++;
	}
	return r->nworkers > 0;
}

static void
pool_stop(struct run *r)
{
	size_t	 i;

	pthread_mutex_lock(&r->mu);
	r->stop = true;
	pthread_cond_broadcast(&r->work);
	pthread_mutex_unlock(&r->mu);
	for (i = 0; i < r->nworkers; i++)
		pthread_join(r->workers[i], NULL);
	free(r->workers);
	r->workers = NULL;
	r->nworkers = 0;
}

/* Item b->n has been read: hand it to the workers, or make it here. */
static void
publish(struct run *r, struct batch *b)
{
	size_t	 i;

	if (r->nworkers == 0) {
		i = b->n++;
		b->claimed++;
		make_item(r, b, i);
		b->made++;
		return;
	}
	pthread_mutex_lock(&r->mu);
	b->n++;
	pthread_cond_signal(&r->work);
	pthread_mutex_unlock(&r->mu);
}

/* Wait until every published item of b has its record. */
static void
wait_made(struct run *r, struct batch *b)
{
	if (r->nworkers == 0)
		return;
	pthread_mutex_lock(&r->mu);
	while (b->made < b->n)
		pthread_cond_wait(&r->made, &r->mu);
	pthread_mutex_unlock(&r->mu);
}

/* --- storing --- */

static void
count_stored(struct ingest_stats *s, const struct record *r)
{
	const struct record_sig *g;
	size_t		 i;

	s->stored++;
	if (r->complaint)
		s->complaints++;
	else if (r->kind == ARF_KIND_SAMPLE)
		s->samples++;
	else if (r->kind == ARF_KIND_NOT_ARF)
		s->not_arf++;
	for (i = 0; i < r->nsigs; i++) {
		g = &r->sigs[i];
		if ((int)g->result < INGEST_NRESULTS &&
		    (int)g->role < INGEST_NROLES)
			s->sigs[g->role][g->result]++;
		if (!diag_class_applies(g->result))
			continue;
		if (diag_class_final(&g->diag, g->archived == ARCHIVED_PASS) !=
		    DC_NONE)
			s->classified++;
		else
			s->unclassified++;
	}
}

static double
seconds_since(const struct timespec *t0)
{
	struct timespec	 now;

	clock_gettime(CLOCK_MONOTONIC, &now);
	return (double)(now.tv_sec - t0->tv_sec) +
	    (double)(now.tv_nsec - t0->tv_nsec) / 1e9;
}

static void
progress(struct run *r, bool force)
{
	const struct ingest_opts *o = r->o;
	struct ingest_progress	 p;
	struct timespec		 now;
	double			 since;

	if (o->progress == NULL)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	since = (double)(now.tv_sec - r->last_progress.tv_sec) +
	    (double)(now.tv_nsec - r->last_progress.tv_nsec) / 1e9;
	if (!force && since < 0.25)
		return;
	r->last_progress = now;
	memset(&p, 0, sizeof(p));
	p.stats = r->s;
	p.elapsed = (double)(now.tv_sec - r->started.tv_sec) +
	    (double)(now.tv_nsec - r->started.tv_nsec) / 1e9;
	if (r->reading != NULL)
		mail_source_progress(r->reading, &p.done, &p.total);
	p.final = force;
	o->progress(&p, o->progress_arg);
}

/* One more unparseable message, counted under its reason. */
static void
count_unparseable(struct ingest_stats *s, const char *why)
{
	size_t	 i;

	s->unparseable++;
	if (why == NULL)
		why = "unknown";
	for (i = 0; i < s->nwhy; i++)
		if (strncmp(s->unparseable_why[i].text, why,
		    sizeof(s->unparseable_why[i].text) - 1) == 0)
			break;
	if (i == s->nwhy) {
		if (s->nwhy == INGEST_MAX_WHY - 1) {
			i = s->nwhy;
			snprintf(s->unparseable_why[i].text,
			    sizeof(s->unparseable_why[i].text), "other reasons");
		} else
			snprintf(s->unparseable_why[s->nwhy++].text,
			    sizeof(s->unparseable_why[i].text), "%s", why);
	}
	s->unparseable_why[i].n++;
}

/* The second verdicts, under archived keys, of the batch's signatures. */
static bool
judge_archived(struct run *r, struct batch *b)
{
	size_t	 i, j;

	for (i = 0; i < b->n; i++)
		for (j = 0; j < b->recs[i].nsigs; j++)
			if (!archive_judge(r->archive, r->st,
			    &b->recs[i].sigs[j], &r->serr))
				return false;
	return true;
}

/*
 * The storer's part of b, once all its records are made: its database work
 * alone, no source touched.  False with the reason in serr.
 */
static bool
store_batch(struct run *r, struct batch *b)
{
	struct timespec	 t0;
	size_t		 i;
	bool		 ok;

	wait_made(r, b);
	for (i = 0; i < b->n; i++) {
		if (b->failed[i]) {
			buf_puts(&r->serr, "out of memory");
			return false;
		}
		b->rp[i] = &b->recs[i];
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	/* keys first: a key met in this batch is archived when judging it */
	ok = b->n == 0 || (archive_keys_seen(r->archive, r->st, b->rp, b->n,
	    &r->serr) && judge_archived(r, b) && store_write_batch(r->st,
	    b->rp, b->n, b->inserted, &r->serr));
	b->storing = seconds_since(&t0);
	return ok;
}

/* The storer: the batches handed to it, one at a time, until told to stop. */
static void *
storer(void *arg)
{
	struct run	*r = arg;
	struct batch	*b;
	bool		 ok;

	pthread_mutex_lock(&r->mu);
	for (;;) {
		while (r->tostore == NULL && !r->storer_stop)
			pthread_cond_wait(&r->handed, &r->mu);
		if ((b = r->tostore) == NULL)
			break;
		pthread_mutex_unlock(&r->mu);
		ok = store_batch(r, b);
		pthread_mutex_lock(&r->mu);
		b->stored = ok;
		r->tostore = NULL;
		pthread_cond_signal(&r->done);
	}
	pthread_mutex_unlock(&r->mu);
	return NULL;
}

static bool
storer_start(struct run *r)
{
	if (pthread_create(&r->storer, NULL, storer, r) != 0)
		return false;
	r->storer_up = true;
	return true;
}

/* Wait until the storer is done with what was handed to it, if anything. */
static void
storer_wait(struct run *r)
{
	struct timespec	 t0;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_lock(&r->mu);
	while (r->tostore != NULL)
		pthread_cond_wait(&r->done, &r->mu);
	pthread_mutex_unlock(&r->mu);
	r->s->waiting += seconds_since(&t0);
}

static void
storer_stop(struct run *r)
{
	if (!r->storer_up)
		return;
	storer_wait(r);
	pthread_mutex_lock(&r->mu);
	r->storer_stop = true;
	pthread_cond_signal(&r->handed);
	pthread_mutex_unlock(&r->mu);
	pthread_join(r->storer, NULL);
	r->storer_up = false;
}

/*
 * A stored item leaves new/: to cur/, or to the quarantine when it is no
 * message at all (stored as unparseable, it would be that again each time
 * it is read).
 */
static void
settle(struct ingest_stats *s, struct mail_source *src,
    struct mail_item *it, const struct record *rec, struct buf *err)
{
	int		 q = 0;

	buf_reset(err);
	if (rec->kind == ARF_KIND_UNPARSEABLE)
		q = mail_source_quarantine(src, it, "not-mail", err);
	if (q == 1) {
		s->quarantined++;
		log_line(s, "%s: not mail (%s), stored as unparseable; "
		    "quarantined as %s", it->origin, rec->decided != NULL ? rec->decided : "?",
		    it->path);
	} else if (q == -1 || !mail_source_commit(src, it, err)) {
		s->commit_errors++;
		log_line(s, "%s", buf_cstr(err));
	}
}

/* What the commits of src's items noted is carried out (IMAP moves). */
static void
settle_source(struct ingest_stats *s, struct mail_source *src,
    struct buf *err)
{
	buf_reset(err);
	if (!mail_source_settle(src, err)) {
		s->commit_errors++;
		log_line(s, "%s", buf_cstr(err));
	}
}

/* The items of b, stored, counted and moved (the main thread's part). */
static void
settle_batch(struct run *r, struct batch *b)
{
	struct ingest_stats *s = r->s;
	struct buf	 cerr = BUF_INIT;
	size_t		 i;

	s->storing += b->storing;
	if (b->n > 0)
		s->batches++;
	for (i = 0; i < b->n; i++) {
		if (b->recs[i].kind == ARF_KIND_UNPARSEABLE)
			count_unparseable(s, b->recs[i].decided);
		if (b->inserted[i])
			count_stored(s, &b->recs[i]);
		else
			s->duplicates++;
		settle(s, b->src[i], &b->items[i], &b->recs[i], &cerr);
		/* a source's items are together: settled after its last */
		if (i + 1 == b->n || b->src[i + 1] != b->src[i])
			settle_source(s, b->src[i], &cerr);
	}
	buf_free(&cerr);
}

/*
 * Once the storer is done with the batch handed before (prev), its items
 * are moved and it is emptied (its ended sources closed).  False when it
 * failed (the reason in err, unless one is there): its items stay where
 * they were, and nothing more may be handed.
 */
static bool
settle_prev(struct run *r)
{
	struct batch	*b = r->prev;

	if (b == NULL)
		return true;
	storer_wait(r);
	r->prev = NULL;
	if (!b->stored) {
		if (r->err->len == 0)
			buf_append(r->err, r->serr.data, r->serr.len);
		reset_batch(r, b);
		return false;
	}
	settle_batch(r, b);
	reset_batch(r, b);
	progress(r, false);
	return true;
}

/*
 * The batch being filled is full (or the sources ended): once the one
 * before it is stored and settled, hand it to the storer and fill the
 * other.
 */
static bool
rotate(struct run *r)
{
	struct batch	*t = r->fill == &r->b[0] ? &r->b[1] : &r->b[0];

	if (!settle_prev(r))
		return false;
	pthread_mutex_lock(&r->mu);
	t->seq = ++r->seq;
	r->fill->stored = false;
	r->tostore = r->fill;
	pthread_cond_signal(&r->handed);
	pthread_mutex_unlock(&r->mu);
	r->prev = r->fill;
	r->fill = t;
	return true;
}

/* Everything read so far stored and moved; nothing handed after. */
static bool
drain(struct run *r)
{
	return rotate(r) && settle_prev(r);
}

/* --- reading --- */

/*
 * An item the source could not read: counted and logged, and quarantined
 * when no later run could read it either.
 */
static void
read_error(struct ingest_stats *s, struct mail_source *src,
    struct mail_item *it, const struct buf *err)
{
	struct buf	 qerr = BUF_INIT;
	int		 q = 0;

	if (it->never != NULL)
		q = mail_source_quarantine(src, it, it->never, &qerr);
	if (q == 1) {
		s->quarantined++;
		log_line(s, "%s; quarantined as %s", buf_cstr(err),
		    it->path);
	} else {
		s->read_errors++;
		if (it->vanished)
			s->vanished++;
		if (it->failed)		/* the source broke off */
			s->source_errors++;
		if (q == -1)
			s->commit_errors++;
		log_to(it->failed ? &s->broke_off : &s->log, "%s%s%s",
		    buf_cstr(err), q == -1 ? "; not quarantined: " : "",
		    buf_cstr(&qerr));
	}
	buf_free(&qerr);
}

/*
 * Under store_never, an item that can never be stored becomes an empty
 * message, stored as unparseable (a too-large one by its digest,
 * make_record()).  false when it is not such an item.
 */
static bool
never_as_message(struct ingest_stats *s, struct mail_item *it,
    const struct buf *err)
{
	if (it->never == NULL || (strcmp(it->never, "too-large") == 0 &&
	    !it->has_digest) || (it->data = calloc(1, 1)) == NULL)
		return false;
	it->len = 0;
	log_line(s, "%.*s; stored as unparseable",
	    (int)(err->len > 9 && strcmp(buf_cstr(err) + err->len - 9,
	    ", skipped") == 0 ? err->len - 9 : err->len), buf_cstr(err));
	return true;
}

/* Read one item into the batch being filled; 1 added, 0 end of src. */
static int
next_item(struct run *r, struct mail_source *src)
{
	struct batch		*b = r->fill;
	struct mail_item	*it = &b->items[b->n];
	struct ingest_stats	*s = r->s;
	struct buf		 err = BUF_INIT;
	int			 rc;

	for (;;) {
		memset(it, 0, sizeof(*it));
		buf_reset(&err);
		if ((rc = mail_source_next(src, it, &err)) >= 0)
			break;
		if (r->o->store_never && never_as_message(s, it, &err)) {
			rc = 1;
			break;
		}
		read_error(s, src, it, &err);
		mail_item_free(it);
	}
	buf_free(&err);
	if (rc == 0)
		return 0;
	s->seen++;
	b->src[b->n] = src;
	publish(r, b);
	return 1;
}

/* Is the run asked to stop?  Said once, and remembered. */
static bool
stopping(struct run *r)
{
	if (!r->s->interrupted && r->o->stop != NULL && r->o->stop())
		r->s->interrupted = true;
	return r->s->interrupted;
}

/*
 * Read src to its end (or until the run is asked to stop); it is closed
 * with the batch of its last items.
 */
static bool
ingest_source(struct run *r, struct mail_source *src)
{
	r->reading = src;
	while (!stopping(r) && next_item(r, src) > 0) {
		progress(r, false);
		if (r->fill->n == r->fill->cap && !rotate(r)) {
			mail_source_close(src);
			r->reading = NULL;
			return false;
		}
	}
	r->fill->done[r->fill->ndone++] = src;
	r->reading = NULL;
	if (r->fill->ndone == r->fill->cap)
		return rotate(r);
	return true;
}

static bool
run_init(struct run *r, struct store *st, const struct ingest_opts *o,
    struct ingest_stats *s, struct buf *err)
{
	size_t	 cap = o->batch > 0 && o->batch <= INGEST_MAX_BATCH ?
		    o->batch : INGEST_DEFAULT_BATCH;

	memset(r, 0, sizeof(*r));
	r->st = st;
	r->o = o;
	r->s = s;
	r->err = err;
	diag_pool_init(&r->diag, o->diagnose_budget);
	r->fill = &r->b[0];
	r->b[0].seq = ++r->seq;
	clock_gettime(CLOCK_MONOTONIC, &r->started);
	r->last_progress = r->started;
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->work, NULL);
	pthread_cond_init(&r->made, NULL);
	pthread_cond_init(&r->handed, NULL);
	pthread_cond_init(&r->done, NULL);
	if (!batch_init(&r->b[0], cap) || !batch_init(&r->b[1], cap) ||
	    (r->archive = archive_cache_new()) == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	if (!pool_start(r, o->jobs > INGEST_MAX_JOBS ? INGEST_MAX_JOBS :
	    o->jobs)) {
		buf_puts(err, "cannot start worker threads");
		return false;
	}
	if (!storer_start(r)) {
		buf_puts(err, "cannot start the storer thread");
		return false;
	}
	return true;
}

static void
run_free(struct run *r)
{
	storer_stop(r);
	pool_stop(r);
	batch_free(&r->b[0]);
	batch_free(&r->b[1]);
	archive_cache_free(r->archive);
	buf_free(&r->serr);
	pthread_cond_destroy(&r->done);
	pthread_cond_destroy(&r->handed);
	pthread_cond_destroy(&r->made);
	pthread_cond_destroy(&r->work);
	pthread_mutex_destroy(&r->mu);
}

/*
 * Store and move everything read so far (a watch pass ends); the sources
 * claimed are free for other readers again.
 */
static bool
flush_all(struct run *r)
{
	return drain(r) && store_release_sources(r->st, r->err);
}

/*
 * One reader per folder (mailsource.h): true to read spec, false to leave
 * it to the reader that has it (logged) or when the database failed
 * (*failed set, the reason in r->err).
 */
static bool
claim(struct run *r, const char *spec, bool *failed)
{
	struct buf	 key = BUF_INIT;
	bool		 got = true;

	*failed = false;
	if (!mail_source_claim_key(spec, &key)) {
		buf_free(&key);
		return true;
	}
	storer_wait(r);		/* the store is the storer's meanwhile */
	if (!buf_ok(&key) || !store_claim_source(r->st, buf_cstr(&key), &got,
	    r->err)) {
		if (!buf_ok(&key))
			buf_puts(r->err, "out of memory");
		*failed = true;
		got = false;
	} else if (!got)
		log_line(r->s, "%s: another ingest is reading it; left to that "
		    "one", buf_cstr(&key));
	buf_free(&key);
	return got;
}

/* Wait opts->watch seconds; false when asked to stop meanwhile. */
static bool
watch_wait(struct run *r)
{
	struct timespec	 nap = { 0, 100 * 1000 * 1000 };
	unsigned	 i;

	for (i = 0; i < r->o->watch * 10u && !stopping(r); i++) {
		(void)nanosleep(&nap, NULL);
		progress(r, false);
	}
	return !stopping(r);
}

/* One pass over the sources; false when a batch failed. */
static bool
ingest_pass(struct run *r, char *const *specs, size_t n, struct buf *oerr)
{
	const struct ingest_opts *o = r->o;
	struct ingest_stats	*s = r->s;
	struct mail_source	*src;
	size_t			 i;
	bool			 ok = true, failed;

	for (i = 0; ok && i < n && !stopping(r); i++) {
		buf_reset(oerr);
		if (!claim(r, specs[i], &failed)) {
			if (failed)
				return false;
			continue;
		}
		if ((src = mail_source_open_net(specs[i], o->source_flags,
		    o->net, oerr)) == NULL) {
			s->source_errors++;
			log_line(s, "%s", buf_cstr(oerr));
			continue;
		}
		if (!mail_source_set_quarantine(src, o->quarantine)) {
			mail_source_close(src);
			buf_puts(r->err, "out of memory");
			return false;
		}
		ok = ingest_source(r, src);
	}
	return ok;
}

bool
ingest_run(struct store *st, const struct ingest_opts *o,
    char *const *specs, size_t n, struct ingest_stats *s, struct buf *err)
{
	struct run		 r;
	struct buf		 oerr = BUF_INIT;
	bool			 ok;

	ok = run_init(&r, st, o, s, err);
	while (ok && (ok = ingest_pass(&r, specs, n, &oerr)) && o->watch > 0 &&
	    (ok = flush_all(&r))) {
		s->passes++;
		if (o->pass_end != NULL)
			o->pass_end(s, o->pass_arg);
		if (s->source_errors > 0 || !watch_wait(&r))
			break;
		/* the budget is a pass's: a watch runs for months */
		diag_pool_init(&r.diag, o->diagnose_budget);
	}
	/*
	 * After a failure, what was read after it is dropped; a batch stored
	 * before it (the failure was not its own) is moved all the same.
	 */
	if (ok)
		ok = drain(&r);
	else
		(void)settle_prev(&r);
	progress(&r, true);
	s->elapsed = seconds_since(&r.started);
	buf_free(&oerr);
	run_free(&r);
	return ok;
}

void
ingest_stats_free(struct ingest_stats *s)
{
	buf_free(&s->log);
	buf_free(&s->broke_off);
}
