/* SPDX-License-Identifier: ISC */
/* reattribute: stored reports attributed again; see reattribute.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/classify.h"
#include "fbl/store/reattribute.h"
#include "fbl/store/record.h"

/*
 * The reports after the key ($1, $2), from day $3 on, at most $4, each with
 * its signatures in header order (one row each; one row of NULLs for none):
 * what record_attribute() reads, and the attribution stored.
 */
static const char select_sql[] =
    "WITH r AS (SELECT msg_day, fingerprint, customer_id, customer_token,"
    " source_ip, source_ip_in_esp, original_from_domain FROM report"
    " WHERE (msg_day, fingerprint) > ($1::date, decode($2, 'hex'))"
    " AND msg_day >= $3::date"
    " ORDER BY msg_day, fingerprint LIMIT $4::integer)"
    " SELECT to_char(r.msg_day, 'YYYY-MM-DD'), encode(r.fingerprint, 'hex'),"
    " r.customer_id, r.customer_token, r.source_ip, r.source_ip_in_esp,"
    " r.original_from_domain, s.idx, s.d, s.role, s.customer_id"
    " FROM r LEFT JOIN signature s USING (msg_day, fingerprint)"
    " ORDER BY r.msg_day, r.fingerprint, s.idx";

static const char reattribute_sql[] = "SELECT fbl_reattribute($1, $2, $3,"
    " $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";

/* The complaints left without a customer (reattribute.h). */
static const char unattributed_sql[] =
    "SELECT coalesce(sum(complaints), 0), coalesce(sum(carried), 0),"
    " coalesce(sum(esp_verified), 0) FROM daily_customer"
    " WHERE customer_id = '' AND day >= $1::date";

enum col {
	C_DAY, C_FP, C_CUSTOMER, C_TOKEN, C_SOURCE_IP, C_IN_ESP, C_FROM,
	C_IDX, C_D, C_ROLE, C_SIG_CUSTOMER
};

/* What was stored of a signature, beside its record_sig. */
struct old_sig {
	char		 idx[8];
	enum token_role	 role;
	char		*customer_id;
};

/*
 * One report read: its attribution as stored (old_*), and in rec the one
 * record_attribute() gives now.
 */
struct stored {
	char		 day[11];
	char		 fp[2 * RECORD_FP_LEN + 1];
	bool		 known;		/* every stored role a known word */
	char		*old_customer;
	char		*old_token;
	int		 old_in_esp;	/* tri-state */
	struct old_sig	*old;		/* rec.nsigs of them */
	struct record	 rec;
};

static void
stored_free(struct stored *s)
{
	size_t	 i;

	for (i = 0; s->old != NULL && i < s->rec.nsigs; i++)
		free(s->old[i].customer_id);
	free(s->old);
	free(s->old_customer);
	free(s->old_token);
	record_free(&s->rec);
	memset(s, 0, sizeof(*s));
}

static char *
dup_value(const struct db_rows *res, size_t row, size_t col, bool *ok)
{
	char	*v;

	if (db_null(res, row, col))
		return NULL;
	if ((v = strdup(db_get(res, row, col))) == NULL)
		*ok = false;
	return v;
}

static int
tri_value(const struct db_rows *res, size_t row, size_t col)
{
	return db_null(res, row, col) ? -1 : db_bool(res, row, col);
}

static bool
same_report(const struct db_rows *res, size_t a, size_t b)
{
	return strcmp(db_get(res, a, C_DAY), db_get(res, b, C_DAY)) == 0 &&
	    strcmp(db_get(res, a, C_FP), db_get(res, b, C_FP)) == 0;
}

/* One signature of rows' row into slot i of s. */
static void
read_sig(const struct db_rows *res, size_t row, struct stored *s, size_t i,
    bool *ok)
{
	struct record_sig	*rs = &s->rec.sigs[i];
	struct old_sig		*o = &s->old[i];

	rs->idx = atoi(db_get(res, row, C_IDX));
	snprintf(o->idx, sizeof(o->idx), "%s", db_get(res, row, C_IDX));
	rs->d = dup_value(res, row, C_D, ok);
	if (!token_role_parse(db_get(res, row, C_ROLE), &o->role))
		s->known = false;
	o->customer_id = dup_value(res, row, C_SIG_CUSTOMER, ok);
}

/*
 * The report whose rows start at *row, its signatures up to the next
 * report; *row moves past them.  false: out of memory.
 */
static bool
read_report(const struct db_rows *res, size_t *row, struct stored *s)
{
	size_t	 n = db_nrows(res), first = *row, end, i;
	bool	 ok = true;

	for (end = first + 1; end < n && same_report(res, first, end); end++)
		;
	*row = end;
	snprintf(s->day, sizeof(s->day), "%s", db_get(res, first, C_DAY));
	snprintf(s->fp, sizeof(s->fp), "%s", db_get(res, first, C_FP));
	s->known = true;
	s->old_customer = dup_value(res, first, C_CUSTOMER, &ok);
	s->old_token = dup_value(res, first, C_TOKEN, &ok);
	s->old_in_esp = tri_value(res, first, C_IN_ESP);
	s->rec.source_ip = dup_value(res, first, C_SOURCE_IP, &ok);
	s->rec.original_from_domain = dup_value(res, first, C_FROM, &ok);
	if (db_null(res, first, C_IDX))
		return ok;
	s->rec.sigs = calloc(end - first, sizeof(*s->rec.sigs));
	s->old = calloc(end - first, sizeof(*s->old));
	if (s->rec.sigs == NULL || s->old == NULL)
		return false;
	s->rec.nsigs = end - first;
	for (i = 0; i < s->rec.nsigs; i++)
		read_sig(res, first + i, s, i, &ok);
	return ok;
}

static bool
differ(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a != b;
	return strcmp(a, b) != 0;
}

/* What changed, into add; false when nothing did. */
static bool
compare(const struct stored *s, struct reattribute_stats *add)
{
	const struct record	*r = &s->rec;
	bool			 roles = false, any;
	size_t			 i;

	for (i = 0; i < r->nsigs; i++)
		if (r->sigs[i].role != s->old[i].role ||
		    differ(r->sigs[i].customer_id, s->old[i].customer_id))
			roles = true;
	if (s->old_customer == NULL && r->customer_id != NULL)
		add->added++;
	else if (s->old_customer != NULL && r->customer_id == NULL)
		add->removed++;
	else if (differ(s->old_customer, r->customer_id) ||
	    differ(s->old_token, r->customer_token))
		add->moved++;
	if (roles)
		add->roles++;
	if (s->old_in_esp != r->source_ip_in_esp)
		add->networks++;
	any = roles || s->old_in_esp != r->source_ip_in_esp ||
	    differ(s->old_customer, r->customer_id) ||
	    differ(s->old_token, r->customer_token);
	if (any)
		add->changed++;
	return any;
}

static const char *
tri_text(int v)
{
	return v < 0 ? NULL : v ? "true" : "false";
}

/*
 * The signatures' columns as array literals: idx, the old role and
 * customer, the new ones ("" for none).  false: out of memory.
 */
static bool
sig_arrays(const struct stored *s, struct buf a[5])
{
	const char	**v;
	size_t		 i, n = s->rec.nsigs, k;

	if ((v = calloc(5 * n + 1, sizeof(*v))) == NULL)
		return false;
	for (i = 0; i < n; i++) {
		v[i] = s->old[i].idx;
		v[n + i] = token_role_name(s->old[i].role);
		v[2 * n + i] = s->old[i].customer_id != NULL ?
		    s->old[i].customer_id : "";
		v[3 * n + i] = token_role_name(s->rec.sigs[i].role);
		v[4 * n + i] = s->rec.sigs[i].customer_id != NULL ?
		    s->rec.sigs[i].customer_id : "";
	}
	for (k = 0; k < 5; k++)
		record_array(&a[k], v + k * n, n);
	free(v);
	return true;
}

/* One report written; *applied false when its rows had changed since. */
static bool
write_report(struct db *db, const struct stored *s, bool *applied,
    struct buf *err)
{
	struct buf	 a[5] = { BUF_INIT, BUF_INIT, BUF_INIT, BUF_INIT,
			    BUF_INIT };
	struct db_rows	*res;
	const char	*p[13];
	size_t		 k;
	bool		 ok = true;

	ok = sig_arrays(s, a);
	for (k = 0; k < 5; k++)
		ok = ok && buf_ok(&a[k]);
	p[0] = s->day;
	p[1] = s->fp;
	p[2] = s->old_customer;
	p[3] = s->old_token;
	p[4] = tri_text(s->old_in_esp);
	p[5] = s->rec.customer_id;
	p[6] = s->rec.customer_token;
	p[7] = tri_text(s->rec.source_ip_in_esp);
	p[8] = buf_cstr(&a[0]);
	p[9] = buf_cstr(&a[1]);
	p[10] = buf_cstr(&a[2]);
	p[11] = buf_cstr(&a[3]);
	p[12] = buf_cstr(&a[4]);
	if (!ok)
		buf_puts(err, "out of memory");
	else if ((res = db_query(db, reattribute_sql, 13, p, err)) == NULL)
		ok = false;
	else {
		*applied = db_nrows(res) == 1 && db_bool(res, 0, 0);
		db_rows_free(res);
	}
	for (k = 0; k < 5; k++)
		buf_free(&a[k]);
	return ok;
}

/* The reports of one page, and the counts their writing adds. */
struct page {
	struct stored			*v;
	bool				*change;
	size_t				 n;
	struct reattribute_stats	 add;	/* of the last attempt */
};

/* Write the changed reports of one page (db_tx may run it again). */
static bool
write_page(struct db *db, void *arg, struct buf *err)
{
	struct page	*pg = arg;
	struct reattribute_stats *add = &pg->add;
	bool		 applied = false;
	size_t		 i;

	memset(add, 0, sizeof(*add));
	for (i = 0; i < pg->n; i++) {
		if (!pg->change[i])
			continue;
		if (!write_report(db, &pg->v[i], &applied, err))
			return false;
		if (applied)
			compare(&pg->v[i], add);
		else
			add->skipped++;
	}
	if (add->changed == 0)
		return true;
	return db_exec(db, "SELECT fbl_daily_prune()", 0, NULL, err);
}

static void
add_stats(struct reattribute_stats *st, const struct reattribute_stats *a)
{
	st->changed += a->changed;
	st->added += a->added;
	st->removed += a->removed;
	st->moved += a->moved;
	st->roles += a->roles;
	st->networks += a->networks;
	st->skipped += a->skipped;
}

/* Read the page's reports and attribute each again. */
static bool
read_page(const struct reattribute_opts *ro, const struct db_rows *res,
    struct page *pg, struct reattribute_stats *st, struct buf *err)
{
	struct reattribute_stats dry;
	size_t		 rows = db_nrows(res), row = 0, n = 0;

	for (row = 0; row < rows; n++)
		while (++row < rows && same_report(res, row - 1, row))
			;
	if (n == 0)
		return true;
	if ((pg->v = calloc(n, sizeof(*pg->v))) == NULL ||
	    (pg->change = calloc(n, sizeof(*pg->change))) == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	memset(&dry, 0, sizeof(dry));
	for (row = 0; pg->n < n; pg->n++) {
		struct stored *s = &pg->v[pg->n];

		if (!read_report(res, &row, s) ||
		    !record_attribute(&s->rec, ro->config)) {
			pg->n++;
			buf_puts(err, "out of memory");
			return false;
		}
		st->examined++;
		pg->change[pg->n] = s->known && compare(s, &dry);
	}
	if (ro->dry_run)
		add_stats(st, &dry);
	return true;
}

/* Read, attribute and write one page; *n reports read (0: done). */
static bool
page(struct store *store, const struct reattribute_opts *ro, char last[2][80],
    size_t *n, struct reattribute_stats *st, struct buf *err)
{
	struct db	*db = store_db(store);
	struct page	 pg;
	struct db_rows	*res;
	char		 lim[24];
	const char	*p[4];
	size_t		 i, changed = 0;
	bool		 ok;

	snprintf(lim, sizeof(lim), "%zu", ro->batch);
	p[0] = last[0];
	p[1] = last[1];
	p[2] = ro->since != NULL ? ro->since : "0001-01-01";
	p[3] = lim;
	if ((res = db_query(db, select_sql, 4, p, err)) == NULL)
		return false;
	memset(&pg, 0, sizeof(pg));
	ok = read_page(ro, res, &pg, st, err);
	*n = pg.n;
	if (pg.n > 0) {
		snprintf(last[0], 80, "%s", pg.v[pg.n - 1].day);
		snprintf(last[1], 80, "%s", pg.v[pg.n - 1].fp);
	}
	db_rows_free(res);
	for (i = 0; i < pg.n; i++)
		changed += pg.change[i];
	if (ok && changed > 0 && !ro->dry_run &&
	    (ok = db_tx(db, DB_TX_WRITE, write_page, &pg, err))) {
		add_stats(st, &pg.add);
		st->batches++;
	}
	for (i = 0; i < pg.n; i++)
		stored_free(&pg.v[i]);
	free(pg.v);
	free(pg.change);
	return ok;
}

static bool
unattributed(struct db *db, const struct reattribute_opts *ro,
    struct reattribute_stats *st, struct buf *err)
{
	struct db_rows	*res;
	const char	*p[1];

	p[0] = ro->since != NULL ? ro->since : "0001-01-01";
	if ((res = db_query(db, unattributed_sql, 1, p, err)) == NULL)
		return false;
	st->unattributed = strtoull(db_get(res, 0, 0), NULL, 10);
	st->unattributed_esp = strtoull(db_get(res, 0, 1), NULL, 10);
	st->unattributed_esp_verified = strtoull(db_get(res, 0, 2), NULL,
	    10);
	db_rows_free(res);
	return true;
}

bool
reattribute_run(struct store *s, const struct reattribute_opts *ro,
    struct reattribute_stats *st, struct buf *err)
{
	char	 last[2][80] = { "0001-01-01", "" };
	size_t	 n;
	bool	 ok;

	do {
		if (ro->stop != NULL && ro->stop()) {
			st->interrupted = true;
			break;
		}
		ok = page(s, ro, last, &n, st, err);
	} while (ok && n > 0);
	return ok && unattributed(store_db(s), ro, st, err);
}
