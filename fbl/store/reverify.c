/* SPDX-License-Identifier: ISC */
/* reverify: open verdicts judged again from their facts; see reverify.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/jobs.h"
#include "fbl/store/archive.h"
#include "fbl/store/record.h"
#include "fbl/store/reverify.h"
#include "base/hex.h"
#include "verifier/verify.h"

/*
 * Rows after the key ($1, $2, $3), from day $4 on, at most $5, whose
 * verdict may still change: result $7 (temperror) of a message stored in
 * the last $8 days whose next try is due (or any, $9), or a reason of $6
 * (the archive's,
 * record_archive_applies()) without a second verdict yet.
 */
static const char select_sql[] =
    "SELECT to_char(s.msg_day, 'YYYY-MM-DD'), encode(s.fingerprint, 'hex'),"
    " s.idx, s.d, s.s, s.l, s.result, s.reason, s.archived_verdict,"
    " encode(f.field, 'hex'), encode(f.header_digest, 'hex'), f.has_body,"
    " f.body_verified, f.l_exceeds, f.canon_len, f.n_from, f.redacted,"
    " f.verified_at, f.skew, coalesce(s.key_bits, -1),"
    " coalesce(s.key_testing, false), s.header_verified, s.diagnosis,"
    " s.diagnosis_field, s.diagnosis_detail,"
    " coalesce(r.reporter_verified_dkim, false)"
    " FROM signature s JOIN signature_facts f"
    " USING (msg_day, fingerprint, idx)"
    " JOIN report r USING (msg_day, fingerprint)"
    " WHERE (s.msg_day, s.fingerprint, s.idx) >"
    " ($1::date, decode($2, 'hex'), $3::smallint)"
    " AND s.msg_day >= $4::date"
    " AND ((s.result = $7"
    " AND r.ingested_at >= now() - make_interval(days => $8::integer)"
    " AND ($9::boolean OR f.next_try IS NULL OR f.next_try <= now()))"
    " OR (s.archived_verdict IS NULL AND s.reason = ANY ($6::text[])))"
    " ORDER BY s.msg_day, s.fingerprint, s.idx LIMIT $5::integer";

/*
 * One row's new verdict, written and its counts moved by
 * fbl_signature_verdict(); then its report's standing and counts by
 * fbl_report_standing() (sql/definitions.sql).
 */
static const char verdict_sql[] = "SELECT fbl_signature_verdict($1, $2, $3,"
    " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)";
static const char standing_sql[] = "SELECT fbl_report_standing($1, $2)";

/*
 * A temperror that stayed one: its next try in 15 minutes, doubling with
 * every try up to a day.
 */
static const char backoff_sql[] =
    "UPDATE signature_facts SET tries = least(tries + 1, 1000),"
    " next_try = now() + least(interval '15 minutes' * power(2, least(tries,"
    " 10)), interval '1 day')"
    " WHERE msg_day = $1::date AND fingerprint = decode($2, 'hex')"
    " AND idx = $3::smallint";

/* The temperrors left out of this run: too old, and not due yet. */
static const char left_sql[] =
    "SELECT count(*) FILTER (WHERE r.ingested_at <"
    " now() - make_interval(days => $1::integer)),"
    " count(*) FILTER (WHERE r.ingested_at >="
    " now() - make_interval(days => $1::integer)"
    " AND f.next_try > now() AND NOT $4::boolean)"
    " FROM signature s JOIN signature_facts f"
    " USING (msg_day, fingerprint, idx)"
    " JOIN report r USING (msg_day, fingerprint)"
    " WHERE s.result = $2 AND s.msg_day >= $3::date";

enum col {
	C_DAY, C_FP, C_IDX, C_D, C_S, C_L, C_RESULT, C_REASON, C_ARCHIVED,
	C_FIELD, C_DIGEST, C_HAS_BODY, C_BODY_OK, C_L_EXCEEDS, C_CANON_LEN,
	C_N_FROM, C_REDACTED, C_VERIFIED_AT, C_SKEW, C_KEY_BITS,
	C_KEY_TESTING, C_HEADER_VERIFIED, C_DIAGNOSIS, C_DIAG_FIELD,
	C_DIAG_DETAIL, C_REPORTER_VERIFIED, C__COUNT
};

/*
 * One row read, judged again: the verdict read, and in rs the new one.  A
 * result or reason this binary does not know (a newer one wrote it) is
 * left alone.
 */
struct open_sig {
	char		 day[11];
	char		 fp[2 * RECORD_FP_LEN + 1];
	char		 idx[8];
	bool		 known;
	enum dkim_result old_result;
	enum dkim_reason old_reason;
	enum record_archived old_archived;
	struct record_sig rs;		/* what is judged and written */
	int		 old_bits, old_testing, old_header;	/* -1: NULL */
	bool		 replayed;	/* a temperror verified again */
	bool		 reporter_verified;	/* report.reporter_verified_dkim */
	struct sig_class new_diag;	/* replayed: the new verdict's class */
};

/* Hex text into a new buffer of *len bytes; NULL on bad input or memory. */
static unsigned char *
unhex(const char *s, size_t *len)
{
	size_t		 n = strlen(s), i;
	unsigned char	*p;
	int		 hi, lo;

	if (n % 2 != 0 || (p = malloc(n / 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < n / 2; i++) {
		if ((hi = hex_digit(s[2 * i])) < 0 ||
		    (lo = hex_digit(s[2 * i + 1])) < 0) {
			free(p);
			return NULL;
		}
		p[i] = (unsigned char)(hi << 4 | lo);
	}
	*len = n / 2;
	return p;
}

static const char *
value_or_null(const struct db_rows *res, size_t row, size_t col)
{
	return db_null(res, row, col) ? NULL : db_get(res, row, col);
}

static char *
dup_value(const struct db_rows *res, size_t row, size_t col)
{
	const char	*v = value_or_null(res, row, col);

	return v != NULL ? strdup(v) : NULL;
}

static void
open_sig_free(struct open_sig *o)
{
	free(o->rs.d);
	free(o->rs.s);
	free(o->rs.facts.field);
	memset(o, 0, sizeof(*o));
}

/* The facts of one row; false when the row is unusable or memory ran out. */
static bool
read_facts(const struct db_rows *res, size_t row, struct record_facts *f)
{
	unsigned char	*digest;
	size_t		 dlen;

	if ((f->field = (char *)unhex(db_get(res, row, C_FIELD),
	    &f->field_len)) == NULL)
		return false;
	if ((digest = unhex(db_get(res, row, C_DIGEST), &dlen)) == NULL ||
	    dlen > sizeof(f->digest)) {
		free(digest);
		return false;
	}
	memcpy(f->digest, digest, dlen);
	f->digest_len = dlen;
	free(digest);
	f->has_body = db_bool(res, row, C_HAS_BODY);
	f->body_verified = db_bool(res, row, C_BODY_OK);
	f->l_exceeds = db_bool(res, row, C_L_EXCEEDS);
	f->canon_len = strtoull(db_get(res, row, C_CANON_LEN), NULL, 10);
	f->n_from = (unsigned)strtoul(db_get(res, row, C_N_FROM), NULL,
	    10);
	f->redacted = db_bool(res, row, C_REDACTED);
	f->verified_at = strtoll(db_get(res, row, C_VERIFIED_AT), NULL, 10);
	f->skew = strtoll(db_get(res, row, C_SKEW), NULL, 10);
	f->present = true;
	return true;
}

static enum record_archived
archived_read(const struct db_rows *res, size_t row)
{
	if (db_null(res, row, C_ARCHIVED))
		return ARCHIVED_NONE;
	return strcmp(db_get(res, row, C_ARCHIVED),
	    record_archived_name(ARCHIVED_PASS)) == 0 ? ARCHIVED_PASS :
	    ARCHIVED_FAIL;
}

/* The verdict read, as enums; false when a name is unknown here. */
static bool
verdict_read(const struct db_rows *res, size_t row, struct open_sig *o)
{
	int	 result = dkim_result_from_name(db_get(res, row, C_RESULT));
	int	 reason = dkim_reason_from_name(db_get(res, row, C_REASON));

	if (result < 0 || reason < 0)
		return false;
	o->old_result = (enum dkim_result)result;
	o->old_reason = (enum dkim_reason)reason;
	return true;
}

static bool
read_row(const struct db_rows *res, size_t row, struct open_sig *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->day, sizeof(o->day), "%s", db_get(res, row, C_DAY));
	snprintf(o->fp, sizeof(o->fp), "%s", db_get(res, row, C_FP));
	snprintf(o->idx, sizeof(o->idx), "%s", db_get(res, row, C_IDX));
	o->known = verdict_read(res, row, o);
	o->old_archived = archived_read(res, row);
	o->rs.d = dup_value(res, row, C_D);
	o->rs.s = dup_value(res, row, C_S);
	o->rs.has_l = !db_null(res, row, C_L);
	o->rs.l = o->rs.has_l ? strtoull(db_get(res, row, C_L), NULL, 10) :
	    0;
	if (!read_facts(res, row, &o->rs.facts))
		return false;
	o->old_bits = atoi(db_get(res, row, C_KEY_BITS));
	o->old_testing = db_bool(res, row, C_KEY_TESTING);
	o->old_header = db_null(res, row, C_HEADER_VERIFIED) ? -1 :
	    db_bool(res, row, C_HEADER_VERIFIED);
	o->rs.key_bits = o->old_bits;
	o->rs.key_testing = o->old_testing;
	o->rs.header_verified = o->old_header;
	o->rs.result = o->old_result;
	o->rs.reason = o->old_reason;
	o->reporter_verified = db_bool(res, row, C_REPORTER_VERIFIED);
	diag_class_read(&o->rs.diag, value_or_null(res, row, C_DIAGNOSIS),
	    value_or_null(res, row, C_DIAG_FIELD),
	    value_or_null(res, row, C_DIAG_DETAIL));
	return true;
}

/* The rows of one page, and the counts their writing adds. */
struct page {
	const struct reverify_opts *ro;
	struct open_sig		*v;
	size_t			 n;
	struct reverify_stats	 add;	/* of the last attempt */
};

/*
 * A temperror verified again, as of the clock of its first verification.
 * Rows of a page are replayed concurrently (--jobs): this touches its own
 * row and the key source only.
 */
static void
replay(const struct reverify_opts *ro, struct open_sig *o)
{
	struct verify_opts	 vo;
	struct sig_facts	 f;
	struct sig_result	 sr;

	if (!o->known || o->old_result != DKIM_RESULT_TEMPERROR ||
	    !archive_sig_facts(&o->rs, &f))
		return;
	o->replayed = true;
	memset(&vo, 0, sizeof(vo));
	vo.keys = ro->keys;
	vo.dns_budget_ms = ro->dns_budget_ms;
	vo.now = f.now;
	vo.skew = f.skew;
	memset(&sr, 0, sizeof(sr));
	if (verify_replay(&vo, &f, &sr)) {
		o->rs.result = sr.result;
		o->rs.reason = sr.reason;
		if (sr.key != NULL && sr.key->parse == REASON_OK) {
			o->rs.key_bits = (int)sr.key->key.bits;
			o->rs.key_testing = sr.key->key.testing;
		}
		o->rs.header_verified = sr.header_checked ?
		    sr.header_verified : -1;
		diag_class_replayed(&o->new_diag, &sr, o->reporter_verified);
	}
	sig_result_free(&sr);
}

static void
replay_work(void *arg, size_t idx, size_t slot, unsigned worker)
{
	struct page	*pg = arg;

	(void)slot;
	(void)worker;
	replay(pg->ro, &pg->v[idx]);
}

/*
 * The DNS waits of a page's temperrors, --jobs at a time; what is written
 * and counted is then done in row order, as with one job.
 */
static void
replay_page(struct page *pg)
{
	struct jobs	 j;

	if (pg->n == 0)
		return;
	memset(&j, 0, sizeof(j));
	j.n = pg->n;
	j.threads = pg->ro->jobs > 1 ? pg->ro->jobs : 1;
	j.window = pg->n;
	j.arg = pg;
	j.work = replay_work;
	jobs_run(&j);
}

static bool
write_row(struct db *db, struct open_sig *o, bool *applied, struct buf *err)
{
	char		 key[2 * sizeof(o->rs.archived_key) + 1] = "";
	struct buf	 hex = BUF_INIT;
	struct db_rows	*res;
	struct sig_class_row cr;
	const char	*p[18];
	char		 nbits[16], obits[16];

	if (o->rs.archived == ARCHIVED_PASS) {
		hex_put(&hex, o->rs.archived_key, sizeof(o->rs.archived_key));
		snprintf(key, sizeof(key), "%s", buf_cstr(&hex));
	}
	buf_free(&hex);
	snprintf(nbits, sizeof(nbits), "%d", o->rs.key_bits);
	snprintf(obits, sizeof(obits), "%d", o->old_bits);
	p[0] = o->day;
	p[1] = o->fp;
	p[2] = o->idx;
	p[3] = dkim_result_name(o->old_result);
	p[4] = dkim_reason_name(o->old_reason);
	p[5] = record_archived_name(o->old_archived);
	p[6] = dkim_result_name(o->rs.result);
	p[7] = dkim_reason_name(o->rs.reason);
	p[8] = record_archived_name(o->rs.archived);
	p[9] = key[0] != '\0' ? key : NULL;
	p[10] = o->rs.header_verified < 0 ? NULL :
	    o->rs.header_verified ? "true" : "false";
	p[11] = nbits;
	p[12] = o->rs.key_testing > 0 ? "true" : "false";
	p[13] = obits;
	p[14] = o->old_testing ? "true" : "false";
	/* a new verdict's class is its own; else the one found at ingest */
	if (o->rs.result != o->old_result || o->rs.reason != o->old_reason) {
		if (o->replayed)
			o->rs.diag = o->new_diag;
		else
			diag_class_of_verdict(&o->rs.diag, o->rs.result,
			    o->rs.reason);
	}
	diag_class_row(&o->rs.diag, o->rs.archived == ARCHIVED_PASS, &cr);
	p[15] = cr.diagnosis;
	p[16] = cr.field;
	p[17] = cr.detail;
	if ((res = db_query(db, verdict_sql, 18, p, err)) == NULL)
		return false;
	*applied = db_nrows(res) == 1 && db_bool(res, 0, 0);
	db_rows_free(res);
	return !*applied || db_exec(db, standing_sql, 2, p, err);
}

static void
count_row(const struct open_sig *o, struct reverify_stats *st)
{
	if (o->old_result == DKIM_RESULT_TEMPERROR &&
	    o->rs.result != DKIM_RESULT_TEMPERROR) {
		st->resolved++;
		if (o->rs.result == DKIM_RESULT_PASS)
			st->pass++;
	}
	if (o->rs.archived != ARCHIVED_NONE &&
	    o->old_archived == ARCHIVED_NONE) {
		if (o->rs.archived == ARCHIVED_PASS)
			st->archived_pass++;
		else
			st->archived_fail++;
	}
}

/* Write the rows of one page (db_tx may run it again). */
static bool
write_page(struct db *db, void *arg, struct buf *err)
{
	struct page	*pg = arg;
	struct open_sig	*v = pg->v;
	bool		 applied;
	size_t		 i;

	memset(&pg->add, 0, sizeof(pg->add));
	for (i = 0; i < pg->n; i++) {
		if (v[i].known && v[i].old_result == DKIM_RESULT_TEMPERROR &&
		    v[i].rs.result == DKIM_RESULT_TEMPERROR) {
			const char *p[3] = { v[i].day, v[i].fp, v[i].idx };

			if (!db_exec(db, backoff_sql, 3, p, err))
				return false;
		}
		if (!v[i].known || (v[i].rs.result == v[i].old_result &&
		    v[i].rs.reason == v[i].old_reason &&
		    (v[i].rs.archived == ARCHIVED_NONE ||
		    v[i].old_archived != ARCHIVED_NONE)))
			continue;	/* nothing new */
		if (!write_row(db, &v[i], &applied, err))
			return false;
		if (applied)
			count_row(&v[i], &pg->add);
		else
			pg->add.skipped++;
	}
	return db_exec(db, "SELECT fbl_daily_prune()", 0, NULL, err);
}

static void
add_stats(struct reverify_stats *st, const struct reverify_stats *a)
{
	st->resolved += a->resolved;
	st->pass += a->pass;
	st->archived_pass += a->archived_pass;
	st->archived_fail += a->archived_fail;
	st->skipped += a->skipped;
	st->batches++;
}

static unsigned
reverify_max_age(const struct reverify_opts *ro)
{
	return ro->max_age_days != 0 ? ro->max_age_days :
	    REVERIFY_MAX_AGE_DAYS;
}

/* How many temperrors this run leaves alone, and why. */
static bool
left_out(struct db *db, const struct reverify_opts *ro,
    struct reverify_stats *st, struct buf *err)
{
	struct db_rows	*res;
	char		 age[24];
	const char	*p[4];

	snprintf(age, sizeof(age), "%u", reverify_max_age(ro));
	p[0] = age;
	p[1] = dkim_result_name(DKIM_RESULT_TEMPERROR);
	p[2] = ro->since != NULL ? ro->since : "1970-01-01";
	p[3] = ro->retry_all ? "true" : "false";
	if ((res = db_query(db, left_sql, 4, p, err)) == NULL)
		return false;
	st->too_old = strtoull(db_get(res, 0, 0), NULL, 10);
	st->waiting = strtoull(db_get(res, 0, 1), NULL, 10);
	db_rows_free(res);
	return true;
}

/* Read, judge and write one page; *n rows read (0: done). */
static bool
page(struct store *s, const struct reverify_opts *ro,
    struct archive_cache *ac, const char *reasons, char last[3][80],
    int *nread, struct reverify_stats *st, struct buf *err)
{
	struct db	*db = store_db(s);
	struct page	 pg;
	struct db_rows	*res;
	char		 lim[24], age[24];
	const char	*p[9];
	size_t		 i, n;
	bool		 ok = true;

	snprintf(lim, sizeof(lim), "%zu", ro->batch);
	snprintf(age, sizeof(age), "%u", reverify_max_age(ro));
	p[0] = last[0];
	p[1] = last[1];
	p[2] = last[2];
	p[3] = ro->since != NULL ? ro->since : "1970-01-01";
	p[4] = lim;
	p[5] = reasons;
	p[6] = dkim_result_name(DKIM_RESULT_TEMPERROR);
	p[7] = age;
	p[8] = ro->retry_all ? "true" : "false";
	if ((res = db_query(db, select_sql, 9, p, err)) == NULL)
		return false;
	memset(&pg, 0, sizeof(pg));
	pg.ro = ro;
	n = db_nrows(res);
	if (n > 0 && (pg.v = calloc(n, sizeof(*pg.v))) == NULL) {
		buf_puts(err, "out of memory");
		ok = false;
	}
	for (i = 0; ok && i < n; i++) {
		st->examined++;
		if (!read_row(res, i, &pg.v[i])) {
			buf_printf(err, "signature %s/%s/%s: unreadable facts",
			    pg.v[i].day, pg.v[i].fp, pg.v[i].idx);
			ok = false;
		}
	}
	pg.n = ok ? n : 0;
	replay_page(&pg);
	for (i = 0; ok && i < n; i++) {
		if (pg.v[i].replayed) {
			st->temperror++;
			if (pg.v[i].rs.result == DKIM_RESULT_TEMPERROR)
				st->still++;
		}
		if (pg.v[i].known)
			ok = archive_judge(ac, s, &pg.v[i].rs, err);
	}
	if (n > 0) {
		snprintf(last[0], 80, "%s", db_get(res, n - 1, C_DAY));
		snprintf(last[1], 80, "%s", db_get(res, n - 1, C_FP));
		snprintf(last[2], 80, "%s", db_get(res, n - 1, C_IDX));
	}
	db_rows_free(res);
	pg.n = n;
	if (ok && n > 0 && (ok = db_tx(db, DB_TX_WRITE, write_page, &pg,
	    err)))
		add_stats(st, &pg.add);
	for (i = 0; pg.v != NULL && i < n; i++)
		open_sig_free(&pg.v[i]);
	free(pg.v);
	*nread = (int)n;
	return ok;
}

/* The reasons the archive can reverse, as an array literal for select_sql. */
static void
open_reasons(struct buf *b)
{
	const char	*v[REASON__COUNT];
	size_t		 n = 0;
	int		 r;

	for (r = 0; r < REASON__COUNT; r++)
		if (record_archive_applies((enum dkim_reason)r))
			v[n++] = dkim_reason_name((enum dkim_reason)r);
	record_array(b, v, n);
}

bool
reverify_run(struct store *s, const struct reverify_opts *ro,
    struct reverify_stats *st, struct buf *err)
{
	struct archive_cache	*ac;
	struct buf		 reasons = BUF_INIT;
	char			 last[3][80] = { "0001-01-01", "", "0" };
	int			 n;
	bool			 ok;

	open_reasons(&reasons);
	if (!left_out(store_db(s), ro, st, err)) {
		buf_free(&reasons);
		return false;
	}
	if ((ac = archive_cache_new()) == NULL || !buf_ok(&reasons)) {
		archive_cache_free(ac);
		buf_free(&reasons);
		buf_puts(err, "out of memory");
		return false;
	}
	do {
		if (ro->stop != NULL && ro->stop()) {
			st->interrupted = true;
			break;
		}
		ok = page(s, ro, ac, buf_cstr(&reasons), last, &n, st, err);
	} while (ok && n > 0);
	archive_cache_free(ac);
	buf_free(&reasons);
	return ok;
}
