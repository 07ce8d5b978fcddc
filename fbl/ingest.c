/* ingest: source -> parse -> verify -> record -> batch -> store. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/arf.h"
#include "fbl/ingest.h"
#include "fbl/mailsource.h"
#include "fbl/record.h"
#include "fbl/store_batch.h"

/*
 * The messages of one batch, with their records and sources.  A batch may
 * span sources; a source that has ended is closed once the batch holding
 * its last items is stored (done[]).
 */
struct batch {
	struct mail_item	*items;
	struct mail_source	**src;
	struct mail_source	**done;
	size_t			 ndone;
	struct record		*recs;
	struct record		**rp;
	bool			*inserted;
	size_t			 n;
	size_t			 cap;
};

static void log_line(struct ingest_stats *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

static void
log_line(struct ingest_stats *s, const char *fmt, ...)
{
	va_list	 ap;

	if (s->log.len >= INGEST_MAX_LOG)
		return;
	va_start(ap, fmt);
	buf_vprintf(&s->log, fmt, ap);
	va_end(ap);
	buf_putc(&s->log, '\n');
}

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
	return b->items != NULL && b->recs != NULL && b->rp != NULL &&
	    b->inserted != NULL && b->src != NULL && b->done != NULL;
}

static void
batch_clear(struct batch *b)
{
	size_t	 i;

	for (i = 0; i < b->n; i++) {
		mail_item_free(&b->items[i]);
		record_free(&b->recs[i]);
	}
	b->n = 0;
	for (i = 0; i < b->ndone; i++)
		mail_source_close(b->done[i]);
	b->ndone = 0;
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
}

/* Verify what the report gives of the original, as of its arrival. */
static bool
verify_original(const struct ingest_opts *o, const struct arf_report *r,
    const struct message *orig, struct verify_result *vr)
{
	struct verify_opts	 vo = o->vo;
	const char		*from;
	int64_t			 t;

	if (r->original == NULL || r->original_len == 0 ||
	    r->kind == ARF_KIND_NOT_ARF || r->kind == ARF_KIND_UNPARSEABLE)
		return false;
	if (record_clock(r, orig, &t, &from))
		vo.now = t;
	memset(vr, 0, sizeof(*vr));
	if (dkim_verify(&vo, r->original, r->original_len, vr))
		return true;
	verify_result_free(vr);
	return false;
}

/* Parse, verify and build the record of one item; false: out of memory. */
static bool
make_record(const struct ingest_opts *o, const struct mail_item *it,
    struct record *rec)
{
	struct arf_report	 r;
	struct message		 m;
	struct verify_result	 vr;
	struct record_input	 in;
	bool			 have_m = false, have_vr, ok;

	memset(&r, 0, sizeof(r));
	memset(&m, 0, sizeof(m));
	if (!arf_parse(&r, it->data, it->len)) {
		arf_report_free(&r);
		return false;
	}
	if (r.original != NULL && r.original_len > 0)
		have_m = message_parse(&m, r.original, r.original_len) ==
		    MESSAGE_OK;
	have_vr = verify_original(o, &r, have_m ? &m : NULL, &vr);
	memset(&in, 0, sizeof(in));
	in.raw = it->data;
	in.len = it->len;
	in.source = it->origin;
	in.report = &r;
	in.original = have_m ? &m : NULL;
	in.vr = have_vr ? &vr : NULL;
	in.config = o->config;
	in.secret = o->secret;
	ok = record_build(rec, &in);
	if (have_vr)
		verify_result_free(&vr);
	message_free(&m);
	arf_report_free(&r);
	return ok;
}

static void
count_stored(struct ingest_stats *s, const struct record *r)
{
	enum token_role	 role;
	int		 res;
	size_t		 i;

	s->stored++;
	if (r->complaint)
		s->complaints++;
	else if (strcmp(r->kind, "sample") == 0)
		s->samples++;
	else if (strcmp(r->kind, "not-arf") == 0)
		s->not_arf++;
	for (i = 0; i < r->nsigs; i++) {
		res = dkim_result_from_name(r->sigs[i].result);
		if (token_role_parse(r->sigs[i].role, &role) && res >= 0 &&
		    res < INGEST_NRESULTS && (int)role < INGEST_NROLES)
			s->sigs[role][res]++;
	}
}

/* Store the batch, then commit its Maildir items.  False: batch failed. */
static bool
flush(struct store *st, struct batch *b, struct ingest_stats *s,
    struct buf *err)
{
	struct buf	 cerr = BUF_INIT;
	size_t		 i;

	if (b->n == 0) {
		batch_clear(b);
		return true;
	}
	for (i = 0; i < b->n; i++)
		b->rp[i] = &b->recs[i];
	if (!store_write_batch(st, b->rp, b->n, b->inserted, err)) {
		batch_clear(b);
		return false;
	}
	s->batches++;
	for (i = 0; i < b->n; i++) {
		if (b->inserted[i])
			count_stored(s, &b->recs[i]);
		else
			s->duplicates++;
		buf_reset(&cerr);
		if (!mail_source_commit(b->src[i], &b->items[i], &cerr)) {
			s->commit_errors++;
			log_line(s, "%s", buf_cstr(&cerr));
		}
	}
	buf_free(&cerr);
	batch_clear(b);
	return true;
}

/* Read one item into the batch; 1 added, 0 end, -1 out of memory. */
static int
next_item(const struct ingest_opts *o, struct mail_source *src,
    struct batch *b, struct ingest_stats *s)
{
	struct mail_item	*it = &b->items[b->n];
	struct buf		 err = BUF_INIT;
	int			 rc;

	for (;;) {
		memset(it, 0, sizeof(*it));
		buf_reset(&err);
		if ((rc = mail_source_next(src, it, &err)) >= 0)
			break;
		s->read_errors++;
		if (it->vanished)
			s->vanished++;
		log_line(s, "%s", buf_cstr(&err));
		mail_item_free(it);
	}
	buf_free(&err);
	if (rc == 0)
		return 0;
	s->seen++;
	b->src[b->n] = src;
	if (!make_record(o, it, &b->recs[b->n])) {
		mail_item_free(it);
		return -1;
	}
	if (strcmp(b->recs[b->n].kind, "unparseable") == 0)
		s->unparseable++;
	free(it->data);		/* the record has what is stored */
	it->data = NULL;
	it->len = 0;
	b->n++;
	return 1;
}

/* Read src to its end; it is closed with the batch of its last items. */
static bool
ingest_source(struct store *st, const struct ingest_opts *o,
    struct mail_source *src, struct batch *b, struct ingest_stats *s,
    struct buf *err)
{
	int	 rc;

	while ((rc = next_item(o, src, b, s)) > 0)
		if (b->n == b->cap && !flush(st, b, s, err))
			break;
	b->done[b->ndone++] = src;
	if (rc < 0) {
		buf_puts(err, "out of memory");
		batch_clear(b);
		return false;
	}
	if (rc > 0)
		return false;	/* flush failed and cleared the batch */
	if (b->ndone == b->cap)
		return flush(st, b, s, err);
	return true;
}

bool
ingest_run(struct store *st, const struct ingest_opts *o,
    char *const *specs, size_t n, struct ingest_stats *s, struct buf *err)
{
	struct mail_source	*src;
	struct batch		 b;
	struct buf		 oerr = BUF_INIT;
	size_t			 i;
	bool			 ok = true;

	if (!batch_init(&b, o->batch > 0 && o->batch <= INGEST_MAX_BATCH ?
	    o->batch : INGEST_DEFAULT_BATCH)) {
		batch_free(&b);
		buf_puts(err, "out of memory");
		return false;
	}
	for (i = 0; ok && i < n; i++) {
		buf_reset(&oerr);
		if ((src = mail_source_open(specs[i], o->source_flags,
		    &oerr)) == NULL) {
			s->source_errors++;
			log_line(s, "%s", buf_cstr(&oerr));
			continue;
		}
		ok = ingest_source(st, o, src, &b, s, err);
	}
	if (ok)
		ok = flush(st, &b, s, err);
	buf_free(&oerr);
	batch_free(&b);
	return ok;
}

void
ingest_stats_free(struct ingest_stats *s)
{
	buf_free(&s->log);
}
