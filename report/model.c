/* model: the nightly report as data, from the views; see model.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "fbl/classify.h"
#include "fbl/store/store.h"
#include "report/model.h"

#define OID_INT4	23
#define OID_TEXT	25
#define OID_DATE	1082

/* ---- the pure rules ---- */

static const char *const class_names[FC_N] = {
	"complaint", "opt-out", "not-spam", "auth-failure", "other"
};
static const char *const auth_names[AU_N] = {
	"authentic", "replayed", "forged", "rotated", "redacted", "damaged",
	"pending", "unknown"
};
static const char *const level_names[] = { "ok", "flagged", "alarmed" };
static const char *const window_names[RW_N] = { "day", "short", "long" };

const char *
report_class_name(enum report_class c)
{
	return class_names[c];
}

const char *
report_auth_name(enum report_auth a)
{
	return auth_names[a];
}

const char *
report_level_name(enum report_level l)
{
	return level_names[l];
}

const char *
report_window_name(enum report_window w)
{
	return window_names[w];
}

double
report_rate(int64_t complaints, int64_t volume, bool known)
{
	if (!known || volume <= 0)
		return -1;
	return (double)complaints / (double)volume;
}

double
report_fig_rate(const struct report_fig *f, bool prev)
{
	if (prev)
		return report_rate(f->prev_rated, f->prev_volume,
		    f->prev_has_volume);
	return report_rate(f->rated, f->volume, f->has_volume);
}

int
report_recovery_days(const double *rate, size_t n, double alarm, int need)
{
	size_t	 i, below = 0;
	bool	 above = false;

	for (i = n; i > 0 && below < (size_t)need; i--) {
		if (rate[i - 1] >= 0 && rate[i - 1] >= alarm) {
			above = true;
			break;
		}
		below++;
	}
	if (!above)
		return 0;
	return need - (int)below;
}

enum report_level
report_level_of(double day_rate, int recover_days, double flag)
{
	if (recover_days > 0)
		return LEVEL_ALARMED;
	if (day_rate >= 0 && day_rate >= flag)
		return LEVEL_FLAGGED;
	return LEVEL_OK;
}

int
report_age_months(int sel_year, int sel_month, const char *day)
{
	int	 y, m;

	if (sel_year <= 0 || sscanf(day, "%4d-%2d", &y, &m) != 2)
		return -1;
	return (y * 12 + m) - (sel_year * 12 + sel_month);
}

/* ---- loading ---- */

struct loader {
	struct report_model	*m;
	PGconn			*conn;
	const struct fbl_config	*cfg;
	struct buf		*err;
	char			 lookback[12];	/* days before the report day */
	char			 longback[12];	/* the long window's first */
};

static bool
oom(struct loader *ld)
{
	buf_puts(ld->err, "out of memory");
	return false;
}

/*
 * Room for element n of an array of n: capacities are 16, 32, 64..., so
 * they follow from n and need no field of their own.  New room is zeroed.
 */
static bool
grow(void **p, size_t n, size_t size)
{
	void	*np;
	size_t	 cap;

	if (n != 0 && (n < 16 || (n & (n - 1)) != 0))
		return true;
	cap = n == 0 ? 16 : n * 2;
	if ((np = realloc(*p, cap * size)) == NULL)
		return false;
	memset((char *)np + n * size, 0, (cap - n) * size);
	*p = np;
	return true;
}

static char *
dup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

/* Run a view query with $1 the report day, $2 days back, $3 customer. */
static PGresult *
query(struct loader *ld, const char *what, const char *sql, const char *back)
{
	static const Oid	 types[3] = { OID_DATE, OID_INT4, OID_TEXT };
	const char		*p[3];
	PGresult		*res;

	p[0] = ld->m->p.day;
	p[1] = back;
	p[2] = ld->m->p.customer;
	res = PQexecParams(ld->conn, sql, 3, types, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_printf(ld->err, "report query (%s): ", what);
		store_error(ld->err, ld->conn, res);
		PQclear(res);
		return NULL;
	}
	return res;
}

static int64_t
num(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 :
	    strtoll(PQgetvalue(res, row, col), NULL, 10);
}

static const char *
val(const PGresult *res, int row, int col)
{
	return PQgetvalue(res, row, col);
}

/* Add one day's figures (offset off <= 0) to the windows of fig. */
static void
fig_add(const struct report_model *m, struct report_fig *w, int off,
    const int64_t cls[FC_N], bool has_denom, int64_t denom)
{
	int	 k, c;

	for (k = 0; k < RW_N; k++) {
		if (off > -m->len[k]) {
			w[k].complaints += cls[FC_COMPLAINT];
			for (c = 0; c < FC_N; c++)
				w[k].cls[c] += cls[c];
			if (has_denom) {
				w[k].rated += cls[FC_COMPLAINT];
				w[k].volume += denom;
				w[k].has_volume = true;
			}
		} else if (off > -2 * m->len[k]) {
			w[k].prev += cls[FC_COMPLAINT];
			if (has_denom) {
				w[k].prev_rated += cls[FC_COMPLAINT];
				w[k].prev_volume += denom;
				w[k].prev_has_volume = true;
			}
		}
	}
}

static struct report_isp *
isp_get(struct report_isp **v, size_t *n, const char *reporter)
{
	struct report_isp	*x;
	size_t			 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].reporter, reporter) == 0)
			return &(*v)[i];
	if (!grow((void **)v, *n, sizeof(**v)))
		return NULL;
	x = &(*v)[*n];
	memset(x, 0, sizeof(*x));
	if ((x->reporter = dup(reporter)) == NULL)
		return NULL;
	(*n)++;
	return x;
}

static const char customer_sql[] =
    "SELECT day - $1::date, customer_id, reporter, complaints, opt_out, "
    "not_spam, auth_failure, other, denominator "
    "FROM report_customer_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR customer_id = $3) "
    "ORDER BY customer_id COLLATE \"C\", reporter, day";

/* A day of the long window into the customer's daily series. */
static void
series_add(const struct report_model *m, struct report_customer *c, int off,
    int64_t complaints, int64_t denom, bool has)
{
	int	 i = m->len[RW_LONG] - 1 + off;

	if (off > 0 || i < 0 || i >= REPORT_MAX_DAYS)
		return;
	c->day_complaints[i] = complaints;
	c->day_rates[i] = report_rate(complaints, denom, has);
}

/* One row of customer_sql into customer c. */
static bool
customer_row(struct loader *ld, struct report_customer *c,
    const PGresult *res, int r, double *rates)
{
	struct report_isp	*isp;
	struct report_fig	*w = c->w;
	int64_t			 cls[FC_N], denom = num(res, r, 8);
	int			 off = atoi(val(res, r, 0)), k;
	bool			 has = !PQgetisnull(res, r, 8);

	for (k = 0; k < FC_N; k++)
		cls[k] = num(res, r, 3 + k);
	if (strcmp(val(res, r, 2), "*") != 0) {
		if ((isp = isp_get(&c->isps, &c->nisps, val(res, r, 2))) ==
		    NULL)
			return oom(ld);
		w = isp->w;
	} else {
		if (off > -REPORT_RECOVERY_DAYS)
			rates[REPORT_RECOVERY_DAYS - 1 + off] =
			    report_rate(cls[FC_COMPLAINT], denom, has);
		series_add(ld->m, c, off, cls[FC_COMPLAINT], denom, has);
	}
	fig_add(ld->m, w, off, cls, has, denom);
	return true;
}

static void
customer_finish(struct report_model *m, struct report_customer *c,
    const double *rates)
{
	c->day_rate = rates[REPORT_RECOVERY_DAYS - 1];
	c->recover_days = report_recovery_days(rates, REPORT_RECOVERY_DAYS,
	    m->p.alarm_rate, REPORT_RECOVERY_DAYS);
	c->level = report_level_of(c->day_rate, c->recover_days,
	    m->p.flag_rate);
	if (c->w[RW_LONG].has_volume || c->w[RW_SHORT].has_volume)
		m->volume_known = true;
}

static bool
load_customers(struct loader *ld)
{
	struct report_model	*m = ld->m;
	struct report_customer	*c = NULL;
	PGresult		*res;
	double			 rates[REPORT_RECOVERY_DAYS];
	int			 r, k;

	if ((res = query(ld, "customers", customer_sql, ld->lookback)) == NULL)
		return false;
	for (r = 0; r < PQntuples(res); r++) {
		if (c == NULL || strcmp(c->id, val(res, r, 1)) != 0) {
			if (c != NULL)
				customer_finish(m, c, rates);
			if (!grow((void **)&m->customers, m->ncustomers,
			    sizeof(*c))) {
				PQclear(res);
				return oom(ld);
			}
			c = &m->customers[m->ncustomers++];
			if ((c->id = dup(val(res, r, 1))) == NULL) {
				PQclear(res);
				return oom(ld);
			}
			for (k = 0; k < REPORT_RECOVERY_DAYS; k++)
				rates[k] = -1;
			for (k = 0; k < REPORT_MAX_DAYS; k++)
				c->day_rates[k] = -1;
		}
		if (!customer_row(ld, c, res, r, rates)) {
			PQclear(res);
			return false;
		}
	}
	if (c != NULL)
		customer_finish(m, c, rates);
	PQclear(res);
	return true;
}

static struct report_customer *
customer_find(struct report_model *m, const char *id)
{
	size_t	 lo = 0, hi = m->ncustomers, mid;
	int	 c;

	/* still in id order: sorted by level only after loading */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(m->customers[mid].id, id)) == 0)
			return &m->customers[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static void
window_add(const struct report_model *m, int64_t *v, int off, int64_t n)
{
	int	 k;

	for (k = 0; k < RW_N; k++)
		if (off > -m->len[k])
			v[k] += n;
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
load_tokens(struct loader *ld)
{
	struct report_customer	*c;
	struct report_token_count *t;
	PGresult		*res;
	int			 r;

	if ((res = query(ld, "tokens", token_sql, ld->longback)) == NULL)
		return false;
	for (r = 0; r < PQntuples(res); r++) {
		if ((c = customer_find(ld->m, val(res, r, 0))) == NULL)
			continue;
		t = c->ntokens > 0 ? &c->tokens[c->ntokens - 1] : NULL;
		if (t == NULL || strcmp(t->token, val(res, r, 1)) != 0) {
			if (!grow((void **)&c->tokens, c->ntokens,
			    sizeof(*t)) ||
			    (c->tokens[c->ntokens].token =
			    dup(val(res, r, 1))) == NULL) {
				PQclear(res);
				return oom(ld);
			}
			t = &c->tokens[c->ntokens++];
		}
		window_add(ld->m, t->complaints, atoi(val(res, r, 2)),
		    num(res, r, 3));
	}
	PQclear(res);
	return true;
}

static int
auth_index(const char *s)
{
	int	 a;

	for (a = 0; a < AU_N; a++)
		if (strcmp(s, auth_names[a]) == 0)
			return a;
	return AU_UNKNOWN;
}

static const char auth_sql[] =
    "SELECT customer_id, authenticity, day - $1::date, complaints "
    "FROM report_customer_authenticity_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR customer_id = $3)";

static bool
load_auth(struct loader *ld)
{
	struct report_customer	*c;
	PGresult		*res;
	int			 r, a, off, k;

	if ((res = query(ld, "authenticity", auth_sql, ld->longback)) == NULL)
		return false;
	for (r = 0; r < PQntuples(res); r++) {
		if ((c = customer_find(ld->m, val(res, r, 0))) == NULL)
			continue;
		a = auth_index(val(res, r, 1));
		off = atoi(val(res, r, 2));
		for (k = 0; k < RW_N; k++)
			if (off > -ld->m->len[k])
				c->auth[k][a] += num(res, r, 3);
	}
	PQclear(res);
	return true;
}

static const char esp_sql[] =
    "SELECT day - $1::date, reporter, attributed, complaints, carried, "
    "verified, denominator FROM report_esp_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "ORDER BY reporter, day";

static bool
load_esp(struct loader *ld)
{
	struct report_esp	*e = &ld->m->esp;
	struct report_isp	*isp;
	struct report_fig	*w;
	PGresult		*res;
	int64_t			 cls[FC_N];
	int			 r, off;

	if ((res = query(ld, "ESP token", esp_sql, ld->lookback)) == NULL)
		return false;
	memset(cls, 0, sizeof(cls));
	for (r = 0; r < PQntuples(res); r++) {
		off = atoi(val(res, r, 0));
		cls[FC_COMPLAINT] = num(res, r, 2);
		w = e->w;
		if (strcmp(val(res, r, 1), "*") != 0) {
			if ((isp = isp_get(&e->isps, &e->nisps,
			    val(res, r, 1))) == NULL) {
				PQclear(res);
				return oom(ld);
			}
			w = isp->w;
		} else {
			window_add(ld->m, e->total, off, num(res, r, 3));
			window_add(ld->m, e->carried, off, num(res, r, 4));
			window_add(ld->m, e->verified, off, num(res, r, 5));
		}
		fig_add(ld->m, w, off, cls, !PQgetisnull(res, r, 6),
		    num(res, r, 6));
	}
	PQclear(res);
	return true;
}

static const char verif_sql[] =
    "SELECT use, token, role, customer_id, result, reason, "
    "sum(signatures) AS n, bool_or(verified), bool_or(headers_only) "
    "FROM report_verification_day "
    "WHERE use IN ('complaint', 'sample') "
    "AND day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR role <> 'customer' OR customer_id = $3) "
    "GROUP BY 1, 2, 3, 4, 5, 6 ORDER BY 1, 2, 3, 4, n DESC, 5, 6";

static struct report_verif *
verif_next(struct report_verif **v, size_t *n, const PGresult *res, int r)
{
	struct report_verif	*x = *n > 0 ? &(*v)[*n - 1] : NULL;

	if (x != NULL && strcmp(x->token, val(res, r, 1)) == 0 &&
	    strcmp(x->role, val(res, r, 2)) == 0 &&
	    strcmp(x->customer_id, val(res, r, 3)) == 0)
		return x;
	if (!grow((void **)v, *n, sizeof(**v)))
		return NULL;
	x = &(*v)[(*n)++];
	memset(x, 0, sizeof(*x));
	if ((x->token = dup(val(res, r, 1))) == NULL ||
	    (x->role = dup(val(res, r, 2))) == NULL ||
	    (x->customer_id = dup(val(res, r, 3))) == NULL)
		return NULL;
	return x;
}

static bool
verif_row(struct report_verif *x, const PGresult *res, int r)
{
	struct report_reason	*rr;
	int64_t			 n = num(res, r, 6);

	x->signatures += n;
	if (val(res, r, 7)[0] == 't') {
		x->verified += n;
		return true;
	}
	if (val(res, r, 8)[0] == 't')
		x->headers_only += n;
	if (!grow((void **)&x->reasons, x->nreasons, sizeof(*rr)))
		return false;
	rr = &x->reasons[x->nreasons++];
	rr->n = n;
	return (rr->result = dup(val(res, r, 4))) != NULL &&
	    (rr->reason = dup(val(res, r, 5))) != NULL;
}

static bool
load_verification(struct loader *ld)
{
	struct report_model	*m = ld->m;
	struct report_verif	*x;
	PGresult		*res;
	int			 r;
	bool			 sample;

	if ((res = query(ld, "verification", verif_sql, ld->longback)) ==
	    NULL)
		return false;
	for (r = 0; r < PQntuples(res); r++) {
		sample = strcmp(val(res, r, 0), "sample") == 0;
		x = sample ? verif_next(&m->samples, &m->nsamples, res, r) :
		    verif_next(&m->verif, &m->nverif, res, r);
		if (x == NULL || !verif_row(x, res, r)) {
			PQclear(res);
			return oom(ld);
		}
	}
	PQclear(res);
	return true;
}

static const char key_sql[] =
    "SELECT token, role, customer_id, selector, algorithm, key_bits, "
    "key_testing, sum(signatures), min(day) - $1::date, "
    "max(day) - $1::date, bool_or(sha1), bool_or(small_key) "
    "FROM report_key_day "
    "WHERE role IN ('customer', 'esp') "
    "AND day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR role <> 'customer' OR customer_id = $3) "
    "GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7";

static bool
key_row(struct loader *ld, struct report_key *k, const PGresult *res, int r)
{
	if ((k->token = dup(val(res, r, 0))) == NULL ||
	    (k->role = dup(val(res, r, 1))) == NULL ||
	    (k->customer_id = dup(val(res, r, 2))) == NULL ||
	    (k->selector = dup(val(res, r, 3))) == NULL ||
	    (k->algorithm = dup(val(res, r, 4))) == NULL)
		return oom(ld);
	k->key_bits = atoi(val(res, r, 5));
	k->testing = val(res, r, 6)[0] == 't';
	k->signatures = num(res, r, 7);
	k->first_day = atoi(val(res, r, 8));
	k->last_day = atoi(val(res, r, 9));
	k->sha1 = val(res, r, 10)[0] == 't';
	k->small_key = val(res, r, 11)[0] == 't';
	k->age_months = -1;
	if (classify_selector(ld->cfg, k->selector, &k->sel_year,
	    &k->sel_month))
		k->age_months = report_age_months(k->sel_year, k->sel_month,
		    ld->m->p.day);
	else
		k->sel_year = k->sel_month = 0;
	k->past_rotation = k->age_months > (int)ld->m->p.rotation_months;
	return true;
}

static bool
load_keys(struct loader *ld)
{
	struct report_model	*m = ld->m;
	PGresult		*res;
	int			 r;

	if ((res = query(ld, "key hygiene", key_sql, ld->longback)) == NULL)
		return false;
	for (r = 0; r < PQntuples(res); r++) {
		if (!grow((void **)&m->keys, m->nkeys, sizeof(*m->keys))) {
			PQclear(res);
			return oom(ld);
		}
		if (!key_row(ld, &m->keys[m->nkeys++], res, r)) {
			PQclear(res);
			return false;
		}
	}
	PQclear(res);
	return true;
}

static const char unknown_sql[] =
    "SELECT token, role, sum(signatures) AS n, sum(verified), "
    "max(day) - $1::date FROM report_unknown_token_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "GROUP BY 1, 2 ORDER BY n DESC, 1, 2";

static bool
load_unknown(struct loader *ld)
{
	struct report_model	*m = ld->m;
	struct report_unknown	*u;
	PGresult		*res;
	int			 r;

	if ((res = query(ld, "unknown tokens", unknown_sql, ld->longback)) ==
	    NULL)
		return false;
	for (r = 0; r < PQntuples(res); r++) {
		if (!grow((void **)&m->unknown, m->nunknown,
		    sizeof(*u))) {
			PQclear(res);
			return oom(ld);
		}
		u = &m->unknown[m->nunknown++];
		if ((u->token = dup(val(res, r, 0))) == NULL ||
		    (u->role = dup(val(res, r, 1))) == NULL) {
			PQclear(res);
			return oom(ld);
		}
		u->signatures = num(res, r, 2);
		u->verified = num(res, r, 3);
		u->last_day = atoi(val(res, r, 4));
	}
	PQclear(res);
	return true;
}

static int
customer_cmp(const void *a, const void *b)
{
	const struct report_customer	*x = a, *y = b;

	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if (x->day_rate != y->day_rate)
		return x->day_rate > y->day_rate ? -1 : 1;
	if (x->w[RW_LONG].complaints != y->w[RW_LONG].complaints)
		return x->w[RW_LONG].complaints > y->w[RW_LONG].complaints ?
		    -1 : 1;
	return strcmp(x->id, y->id);
}

static bool
windows(struct report_model *m, struct buf *err)
{
	int	 k;

	m->len[RW_DAY] = 1;
	m->len[RW_SHORT] = REPORT_SHORT_DAYS;
	m->len[RW_LONG] = m->p.days;
	for (k = 0; k < RW_N; k++)
		if (!date_day_add(m->p.day, 1 - m->len[k], m->start[k]) ||
		    !date_day_add(m->p.day, 1 - 2 * m->len[k],
		    m->prev_start[k])) {
			buf_printf(err, "report day %s: not a day from 1970 "
			    "to 9999", m->p.day);
			return false;
		}
	return true;
}

static bool
esp_tokens(struct loader *ld)
{
	struct report_esp	*e = &ld->m->esp;
	size_t			 i, n;

	if (ld->cfg == NULL || (n = ld->cfg->esp_domains.n) == 0)
		return true;
	if ((e->tokens = calloc(n, sizeof(*e->tokens))) == NULL)
		return oom(ld);
	for (i = 0; i < n; i++, e->ntokens++)
		if ((e->tokens[i] = dup(ld->cfg->esp_domains.v[i])) == NULL)
			return oom(ld);
	return true;
}

/*
 * One read-only snapshot for every query, so the sections agree even while
 * an ingest or a reverify commits.  JIT off: the planner's estimates for
 * the volume views are far too high, and compiling the plans cost about a
 * second at every size for queries that then run in milliseconds
 * (docs/bench.md, the report rows); work_mem so the sorts of the daily
 * rows stay in memory.
 */
static bool
session_begin(struct loader *ld, const char *from)
{
	const char	*p[2];
	PGresult	*res;
	bool		 ok;

	res = PQexec(ld->conn, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY;"
	    "SET LOCAL jit = off; SET LOCAL work_mem = '64MB'");
	if ((ok = PQresultStatus(res) == PGRES_COMMAND_OK)) {
		PQclear(res);
		/* the days the views read (sql/005_report_window.sql) */
		p[0] = from;
		p[1] = ld->m->p.day;
		res = PQexecParams(ld->conn, "SELECT set_config("
		    "'fblscope.window_from', $1, true), set_config("
		    "'fblscope.window_to', $2, true)", 2, NULL, p, NULL, NULL,
		    0);
		ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	}
	if (!ok) {
		buf_puts(ld->err, "starting the report's transaction: ");
		store_error(ld->err, ld->conn, res);
	}
	PQclear(res);
	return ok;
}

static bool
session_end(struct loader *ld, bool ok)
{
	PGresult	*res;

	res = PQexec(ld->conn, ok ? "COMMIT" : "ROLLBACK");
	if (ok && PQresultStatus(res) != PGRES_COMMAND_OK) {
		buf_puts(ld->err, "ending the report's transaction: ");
		store_error(ld->err, ld->conn, res);
		ok = false;
	}
	PQclear(res);
	return ok;
}

bool
report_model_load(struct report_model *m, PGconn *conn,
    const struct report_params *p, const struct fbl_config *cfg,
    struct buf *err)
{
	struct loader	 ld;
	char		 from[11];
	int		 back;

	memset(m, 0, sizeof(*m));
	m->p = *p;
	if (m->p.days < 1 || m->p.days > REPORT_MAX_DAYS) {
		buf_printf(err, "window of %d days: want 1 to %d", m->p.days,
		    REPORT_MAX_DAYS);
		return false;
	}
	if (!windows(m, err))
		return false;
	memset(&ld, 0, sizeof(ld));
	ld.m = m;
	ld.conn = conn;
	ld.cfg = cfg;
	ld.err = err;
	back = 2 * m->p.days > 2 * REPORT_SHORT_DAYS ? 2 * m->p.days :
	    2 * REPORT_SHORT_DAYS;
	snprintf(ld.lookback, sizeof(ld.lookback), "%d", back - 1);
	snprintf(ld.longback, sizeof(ld.longback), "%d", m->p.days - 1);
	if (!date_day_add(m->p.day, -(back - 1), from)) {
		buf_printf(err, "%s: not a day", m->p.day);
		return false;
	}
	if (!session_begin(&ld, from))
		return false;
	if (!esp_tokens(&ld) || !load_customers(&ld) || !load_tokens(&ld) ||
	    !load_auth(&ld) || !load_esp(&ld) || !load_verification(&ld) ||
	    !load_keys(&ld) || !load_unknown(&ld) ||
	    !report_model_dns_load(m, conn, err)) {
		session_end(&ld, false);
		return false;
	}
	if (!session_end(&ld, true))
		return false;
	if (m->ncustomers > 1)
		qsort(m->customers, m->ncustomers, sizeof(*m->customers),
		    customer_cmp);
	return true;
}

static void
isps_free(struct report_isp *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].reporter);
	free(v);
}

static void
verifs_free(struct report_verif *v, size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i++) {
		free(v[i].token);
		free(v[i].role);
		free(v[i].customer_id);
		for (k = 0; k < v[i].nreasons; k++) {
			free(v[i].reasons[k].result);
			free(v[i].reasons[k].reason);
		}
		free(v[i].reasons);
	}
	free(v);
}

static void
customer_free(struct report_customer *c)
{
	size_t	 i;

	free(c->id);
	isps_free(c->isps, c->nisps);
	for (i = 0; i < c->ntokens; i++)
		free(c->tokens[i].token);
	free(c->tokens);
}

void
report_model_free(struct report_model *m)
{
	size_t	 i;

	for (i = 0; i < m->ncustomers; i++)
		customer_free(&m->customers[i]);
	free(m->customers);
	for (i = 0; i < m->esp.ntokens; i++)
		free(m->esp.tokens[i]);
	free(m->esp.tokens);
	isps_free(m->esp.isps, m->esp.nisps);
	verifs_free(m->verif, m->nverif);
	verifs_free(m->samples, m->nsamples);
	for (i = 0; i < m->nkeys; i++) {
		free(m->keys[i].token);
		free(m->keys[i].role);
		free(m->keys[i].customer_id);
		free(m->keys[i].selector);
		free(m->keys[i].algorithm);
	}
	free(m->keys);
	for (i = 0; i < m->nunknown; i++) {
		free(m->unknown[i].token);
		free(m->unknown[i].role);
	}
	free(m->unknown);
	report_model_dns_free(m);
	memset(m, 0, sizeof(*m));
}
