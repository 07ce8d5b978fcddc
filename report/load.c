/* SPDX-License-Identifier: ISC */
/*
 * load: the report's queries of the views, each row handed to the model
 * (model.h) as it is read; see load.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "fbl/store/db.h"
#include "report/load.h"
#include "report/rules.h"

struct loader {
	struct report_model		*m;
	struct db			*db;
	const struct report_config	*cfg;
	struct buf			*err;
	char				 lookback[12];	/* days before the
							   report day */
	char				 longback[12];	/* the long window's
							   first */
	char				 from[11];	/* the first day read */
	const struct report_params	*p;
};

static bool
oom(struct loader *ld)
{
	buf_puts(ld->err, "out of memory");
	return false;
}

/* Run a view query with $1 the report day, $2 days back, $3 customer. */
static struct db_rows *
query(struct loader *ld, const char *what, const char *sql, const char *back)
{
	static const enum db_type types[3] = { DB_DATE, DB_INT4, DB_TEXT };
	const char		*p[3];
	struct db_rows		*res;

	p[0] = ld->m->p.day;
	p[1] = back;
	p[2] = ld->m->p.customer;
	if ((res = db_query_typed(ld->db, sql, 3, types, p, ld->err)) == NULL)
		buf_printf(ld->err, " (report query: %s)", what);
	return res;
}

int64_t
load_num(const struct db_rows *res, size_t row, int col)
{
	return db_null(res, row, col) ? 0 :
	    strtoll((char *)db_get(res, row, col), NULL, 10);
}

char *
load_text(const struct db_rows *res, size_t row, int col)
{
	return (char *)db_get(res, row, col);
}

void
load_texts(const struct db_rows *res, size_t row, int first,
    char **const *fields, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		*fields[i] = load_text(res, row, first + (int)i);
}

/* A column that may be NULL: false for NULL, else true with its value. */
static bool
opt_num(const struct db_rows *res, size_t row, int col, int64_t *v)
{
	if (db_null(res, row, col)) {
		*v = 0;
		return false;
	}
	*v = strtoll((char *)db_get(res, row, col), NULL, 10);
	return true;
}

static bool
flag(const struct db_rows *res, size_t row, int col)
{
	return load_text(res, row, col)[0] == 't';
}

/* The result's rows to fn, until one fails; the result is cleared. */
static bool
rows(struct loader *ld, struct db_rows *res,
    bool (*fn)(struct loader *, const struct db_rows *, size_t))
{
	size_t	 r, n = db_nrows(res);
	bool	 ok = true;

	for (r = 0; r < n && ok; r++)
		ok = fn(ld, res, r);
	db_rows_free(res);
	return ok;
}

static const char customer_sql[] =
    "SELECT day - $1::date, customer_id, reporter, complaints, opt_out, "
    "not_spam, auth_failure, other, denominator "
    "FROM report_customer_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR customer_id = $3) "
    "ORDER BY customer_id COLLATE \"C\", reporter, day";

static bool
customer_row(struct loader *ld, const struct db_rows *res, size_t r)
{
	struct report_day_row	 d;
	int			 k;

	d.off = atoi(load_text(res, r, 0));
	d.reporter = load_text(res, r, 2);
	for (k = 0; k < FC_N; k++)
		d.cls[k] = load_num(res, r, 3 + k);
	d.has_volume = opt_num(res, r, 8, &d.volume);
	d.total = d.carried = d.verified = 0;
	return report_model_customer_day(ld->m, load_text(res, r, 1), &d) ||
	    oom(ld);
}

/*
 * The token and authenticity sections read daily_customer (schema 8), whose
 * size is set by customers and days, not daily_complaint, which grows with
 * the complaints.
 */
static const char token_sql[] =
    "SELECT customer_id, token, day - $1::date, complaints "
    "FROM report_customer_token_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR customer_id = $3) "
    "ORDER BY customer_id COLLATE \"C\", token";

static bool
token_row(struct loader *ld, const struct db_rows *res, size_t r)
{
	return report_model_token_day(ld->m, load_text(res, r, 0),
	    load_text(res, r, 1), atoi(load_text(res, r, 2)),
	    load_num(res, r, 3)) || oom(ld);
}

static const char auth_sql[] =
    "SELECT customer_id, authenticity, day - $1::date, complaints "
    "FROM report_customer_authenticity_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR customer_id = $3)";

static bool
auth_row(struct loader *ld, const struct db_rows *res, size_t r)
{
	report_model_auth_day(ld->m, load_text(res, r, 0),
	    report_auth_of(load_text(res, r, 1)), atoi(load_text(res, r, 2)),
	    load_num(res, r, 3));
	return true;
}

static const char esp_sql[] =
    "SELECT day - $1::date, reporter, attributed, complaints, carried, "
    "verified, denominator, unattributed, unattributed_carried, "
    "unattributed_verified FROM report_esp_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "ORDER BY reporter, day";

static bool
esp_row(struct loader *ld, const struct db_rows *res, size_t r)
{
	struct report_day_row	 d;

	memset(&d, 0, sizeof(d));
	d.off = atoi(load_text(res, r, 0));
	d.reporter = load_text(res, r, 1);
	d.cls[FC_COMPLAINT] = load_num(res, r, 2);
	d.total = load_num(res, r, 3);
	d.carried = load_num(res, r, 4);
	d.verified = load_num(res, r, 5);
	d.has_volume = opt_num(res, r, 6, &d.volume);
	d.unattributed = load_num(res, r, 7);
	d.unattributed_carried = load_num(res, r, 8);
	d.unattributed_verified = load_num(res, r, 9);
	return report_model_esp_day(ld->m, &d) || oom(ld);
}

static const char verif_sql[] =
    "SELECT use, token, role, customer_id, result, reason, "
    "sum(signatures) AS n, bool_or(verified), bool_or(headers_only) "
    "FROM report_verification_day "
    "WHERE use IN ('complaint', 'sample') "
    "AND day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR role <> 'customer' OR customer_id = $3) "
    "GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, n DESC, 5, 6";

/* The first columns of verif_sql and cause_sql: use, token, role, customer. */
static bool
verif_key(const struct db_rows *res, size_t r, const char **token,
    const char **role, const char **customer_id)
{
	*token = load_text(res, r, 1);
	*role = load_text(res, r, 2);
	*customer_id = load_text(res, r, 3);
	return strcmp(load_text(res, r, 0), "sample") == 0;
}

static bool
verif_row(struct loader *ld, const struct db_rows *res, size_t r)
{
	struct report_verif_row	 v;

	v.sample = verif_key(res, r, &v.token, &v.role, &v.customer_id);
	v.result = load_text(res, r, 4);
	v.reason = load_text(res, r, 5);
	v.n = load_num(res, r, 6);
	v.verified = flag(res, r, 7);
	v.headers_only = flag(res, r, 8);
	return report_model_verif_row(ld->m, &v) || oom(ld);
}

/* In the order of verif_sql: the model finds each row's entry so. */
static const char cause_sql[] =
    "SELECT use, token, role, customer_id, diagnosis, diagnosis_field, "
    "sum(signatures) AS n "
    "FROM report_diagnosis_day "
    "WHERE use IN ('complaint', 'sample') "
    "AND day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR role <> 'customer' OR customer_id = $3) "
    "GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, n DESC, 5, 6";

static bool
cause_row(struct loader *ld, const struct db_rows *res, size_t r)
{
	struct report_cause_row	 c;

	c.sample = verif_key(res, r, &c.token, &c.role, &c.customer_id);
	c.diagnosis = load_text(res, r, 4);
	c.field = load_text(res, r, 5);
	c.n = load_num(res, r, 6);
	return report_model_cause_row(ld->m, &c) || oom(ld);
}

/* A key not found in DNS: the archive's keys of its name, if any. */
static const char key_sql[] =
    "SELECT k.*, a.name IS NOT NULL, a.key_bits FROM ("
    "SELECT token, role, customer_id, selector, algorithm, key_bits, "
    "key_testing, sum(signatures) AS n, min(day) - $1::date AS first, "
    "max(day) - $1::date AS last, bool_or(sha1) AS sha1 "
    "FROM report_key_day "
    "WHERE role IN ('customer', 'esp') "
    "AND day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR role <> 'customer' OR customer_id = $3) "
    "GROUP BY 1, 2, 3, 4, 5, 6, 7) k "
    "LEFT JOIN report_archived_key a ON k.key_bits < 0 "
    "AND a.name = lower(k.selector) || '._domainkey.' || k.token "
    "ORDER BY 1, 2, 3, 4, 5, 6, 7";

static bool
key_row(struct loader *ld, const struct db_rows *res, size_t r)
{
	const struct report_config	*cfg = ld->cfg;
	struct report_key		 k;
	char **const			 names[] = { &k.token, &k.role,
					    &k.customer_id, &k.selector,
					    &k.algorithm };

	memset(&k, 0, sizeof(k));
	load_texts(res, r, 0, names, sizeof(names) / sizeof(names[0]));
	k.key_bits = atoi(load_text(res, r, 5));
	k.source = k.key_bits >= 0 ? KS_DNS : flag(res, r, 11) ? KS_ARCHIVE :
	    KS_NONE;
	if (k.source == KS_ARCHIVE)
		k.key_bits = db_null(res, r, 12) ? -1 :
		    atoi(load_text(res, r, 12));
	k.testing = flag(res, r, 6);
	k.signatures = load_num(res, r, 7);
	report_day_of(ld->m, atoi(load_text(res, r, 8)), k.first_day);
	report_day_of(ld->m, atoi(load_text(res, r, 9)), k.last_day);
	k.sha1 = flag(res, r, 10);
	if (cfg == NULL || cfg->date_selector == NULL ||
	    !cfg->date_selector(cfg->arg, k.selector, &k.sel_year,
	    &k.sel_month))
		k.sel_year = k.sel_month = 0;
	return report_model_key_add(ld->m, &k) || oom(ld);
}

static const char unknown_sql[] =
    "SELECT token, role, sum(signatures) AS n, sum(verified), "
    "max(day) - $1::date FROM report_unknown_token_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "GROUP BY 1, 2 ORDER BY n DESC, 1, 2";

static bool
unknown_row(struct loader *ld, const struct db_rows *res, size_t r)
{
	struct report_unknown	 u;

	memset(&u, 0, sizeof(u));
	u.token = load_text(res, r, 0);
	u.role = load_text(res, r, 1);
	u.signatures = load_num(res, r, 2);
	u.verified = load_num(res, r, 3);
	report_day_of(ld->m, atoi(load_text(res, r, 4)), u.last_day);
	return report_model_unknown_add(ld->m, &u) || oom(ld);
}

/* The queries in the order the model takes them: the customers first. */
static const struct view {
	const char	*what;
	const char	*sql;
	bool		 rates;	/* reads the periods before the windows */
	bool		(*row)(struct loader *, const struct db_rows *, size_t);
} views[] = {
	{ "customers", customer_sql, true, customer_row },
	{ "tokens", token_sql, false, token_row },
	{ "authenticity", auth_sql, false, auth_row },
	{ "ESP token", esp_sql, true, esp_row },
	{ "verification", verif_sql, false, verif_row },
	{ "failure causes", cause_sql, false, cause_row },
	{ "key hygiene", key_sql, false, key_row },
	{ "unknown tokens", unknown_sql, false, unknown_row },
};

static const char data_start_sql[] =
    "SELECT to_char(s.day, 'YYYY-MM-DD'), to_char(e.day, 'YYYY-MM-DD') "
    "FROM report_data_start s, report_data_end e";

/*
 * The first day of stored data (which periods before are known) and the
 * last day of stored complaints (which days are still incomplete).
 */
static bool
data_start(struct loader *ld)
{
	struct db_rows	*res;
	bool		 one;

	if ((res = db_query(ld->db, data_start_sql, 0, NULL, ld->err)) ==
	    NULL) {
		buf_puts(ld->err, " (report query: first and last day of data)");
		return false;
	}
	one = db_nrows(res) == 1;
	report_model_data_start(ld->m, one && !db_null(res, 0, 0) ?
	    load_text(res, 0, 0) : NULL);
	report_model_data_end(ld->m, one && !db_null(res, 0, 1) ?
	    load_text(res, 0, 1) : NULL);
	db_rows_free(res);
	return true;
}

/*
 * --customer with no row in the windows: the ids the stored data knows,
 * for the command to tell an id never seen (and the close ones).
 */
static bool
stored_ids(struct loader *ld)
{
	struct db_rows	*res;
	size_t		 r, n;
	bool		 ok = true;

	if (ld->m->p.customer == NULL || ld->m->ncustomers > 0)
		return true;
	if ((res = db_query(ld->db, "SELECT customer_id FROM "
	    "report_customer_id ORDER BY 1", 0, NULL, ld->err)) == NULL) {
		buf_puts(ld->err, " (report query: customer ids)");
		return false;
	}
	for (r = 0, n = db_nrows(res); r < n && ok; r++)
		ok = report_model_stored_id(ld->m, load_text(res, r, 0)) ||
		    oom(ld);
	db_rows_free(res);
	return ok;
}

static bool
esp_tokens(struct loader *ld)
{
	const struct report_config	*cfg = ld->cfg;

	if (cfg == NULL || report_model_esp_tokens(ld->m, cfg->esp_domains,
	    cfg->nesp_domains))
		return true;
	return oom(ld);
}

static bool
load_views(struct loader *ld)
{
	struct db_rows	*res;
	size_t		 i;

	for (i = 0; i < sizeof(views) / sizeof(views[0]); i++) {
		res = query(ld, views[i].what, views[i].sql, views[i].rates ?
		    ld->lookback : ld->longback);
		if (res == NULL || !rows(ld, res, views[i].row))
			return false;
	}
	return true;
}

/*
 * One read-only snapshot for every query (db_tx, DB_TX_SNAPSHOT), so the
 * sections agree even while an ingest or a reverify commits.  JIT off: the
 * planner's estimates for the volume views are far too high, and compiling
 * the plans cost about a second at every size for queries that then run in
 * milliseconds (docs/bench.md, the report rows); work_mem so the sorts of
 * the daily rows stay in memory.  Run again whole after a serialization
 * failure: the model starts afresh each time.
 */
static bool
snapshot(struct db *db, void *arg, struct buf *err)
{
	struct loader	*ld = arg;
	const char	*p[2];

	report_model_free(ld->m);
	if (!report_model_begin(ld->m, ld->p, err))
		return false;
	/* the days the views read (sql/definitions.sql) */
	p[0] = ld->from;
	p[1] = ld->m->p.day;
	if (!db_exec(db, "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'",
	    0, NULL, err) || !db_exec(db, "SELECT set_config("
	    "'fblscope.window_from', $1, true), set_config("
	    "'fblscope.window_to', $2, true)", 2, p, err)) {
		buf_puts(err, " (starting the report's transaction)");
		return false;
	}
	return data_start(ld) && esp_tokens(ld) && load_views(ld) &&
	    stored_ids(ld) && report_load_dns(ld->m, db, err) &&
	    report_load_views(ld->m, db, ld->cfg, err);
}

bool
report_model_load(struct report_model *m, struct db *db,
    const struct report_params *p, const struct report_config *cfg,
    struct buf *err)
{
	struct loader	 ld;

	if (!report_model_begin(m, p, err))
		return false;
	memset(&ld, 0, sizeof(ld));
	ld.m = m;
	ld.p = p;
	ld.db = db;
	ld.cfg = cfg;
	ld.err = err;
	snprintf(ld.lookback, sizeof(ld.lookback), "%d", report_lookback(m));
	snprintf(ld.longback, sizeof(ld.longback), "%d", m->p.days - 1);
	if (!report_day_of(m, -report_lookback(m), ld.from)) {
		buf_printf(err, "%s: not a day", m->p.day);
		return false;
	}
	if (!db_tx(db, DB_TX_SNAPSHOT, snapshot, &ld, err))
		return false;
	report_model_finish(m);
	if (m->oom) {
		buf_puts(err, "out of memory");
		return false;
	}
	return true;
}
