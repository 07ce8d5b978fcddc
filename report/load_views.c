/* SPDX-License-Identifier: ISC */
/*
 * load_views: the report's views by sending network, by campaign and of
 * token health over time (views.h), from report_ip_day,
 * report_campaign_day and report_verification_day; see load.h.  Each
 * list is ranked and cut to its cap here, in SQL, so that no more rows
 * than the caps allow ever reach the model, however many networks or
 * campaigns the window holds.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/store/db.h"
#include "report/load.h"
#include "report/views.h"

/*
 * $1 the report day, $2 days back (the long window), $3 --customer or
 * NULL, $4 the cap, $5 and $6 the days of the day and short windows
 * (model.h: a window holds the days after the report day less its
 * length).  Each network or campaign is one row, its counts per window
 * summed here.  (The ranks are read last, "FROM ip_rank r": the query's
 * name in the server's log, tests/bench/report.sh.)
 *
 * Per customer: its networks ranked by complaints of the long window, then
 * by name.
 */
#define WINDOW_SUMS(col) \
	"sum(" col ") FILTER (WHERE day > $1::date - $5::int), " \
	"sum(" col ") FILTER (WHERE day > $1::date - $6::int), sum(" col ")"

static const char networks_sql[] =
    "WITH ip_rank AS (SELECT customer_id, network, "
    WINDOW_SUMS("complaints") ", " WINDOW_SUMS("attributed") ", "
    "row_number() OVER (PARTITION BY customer_id ORDER BY "
    "sum(complaints) DESC, network COLLATE \"C\") AS rk, "
    "count(*) OVER (PARTITION BY customer_id) AS total "
    "FROM report_ip_day WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "AND customer_id <> '' AND ($3::text IS NULL OR customer_id = $3) "
    "GROUP BY 1, 2) "
    "SELECT * FROM ip_rank r WHERE r.rk <= $4::int "
    "ORDER BY r.customer_id COLLATE \"C\", r.rk";

/* The ESP's: every customer's, and those of no customer. */
static const char esp_networks_sql[] =
    "WITH esp_ip_rank AS (SELECT NULL, network, "
    WINDOW_SUMS("complaints") ", " WINDOW_SUMS("attributed") ", "
    "row_number() OVER (ORDER BY sum(complaints) DESC, "
    "network COLLATE \"C\") AS rk, count(*) OVER () AS total "
    "FROM report_ip_day WHERE day BETWEEN $1::date - $2::int AND $1::date "
    "GROUP BY 2) "
    "SELECT * FROM esp_ip_rank r WHERE r.rk <= $4::int ORDER BY r.rk";

/*
 * The campaigns of every customer in one pass, ranked twice: within their
 * customer (cr, of cn) and among all (er, of en).  A row is in a
 * customer's list, in the ESP's, or in both; --customer keeps the ESP's
 * whole, as the report's other ESP figures.
 */
static const char campaigns_sql[] =
    "WITH campaign_rank AS (SELECT customer_id, source, campaign, "
    WINDOW_SUMS("complaints") ", "
    "row_number() OVER (PARTITION BY customer_id ORDER BY "
    "sum(complaints) DESC, source COLLATE \"C\", campaign COLLATE \"C\") "
    "AS cr, count(*) OVER (PARTITION BY customer_id) AS cn, "
    "row_number() OVER (ORDER BY sum(complaints) DESC, "
    "customer_id COLLATE \"C\", source COLLATE \"C\", "
    "campaign COLLATE \"C\") AS er, count(*) OVER () AS en "
    "FROM report_campaign_day "
    "WHERE day BETWEEN $1::date - $2::int AND $1::date GROUP BY 1, 2, 3) "
    "SELECT * FROM campaign_rank r WHERE (r.cr <= $4::int "
    "AND ($3::text IS NULL OR r.customer_id = $3)) OR r.er <= $4::int "
    "ORDER BY r.customer_id COLLATE \"C\", r.cr";

/*
 * The complaint signatures of the customer and ESP tokens per day: the
 * ESP's tokens first, then the lowest share of the long window, the most
 * signatures (views.h).
 */
static const char health_sql[] =
    "WITH w AS (SELECT token, role, customer_id, day - $1::date AS off, "
    "sum(signatures) AS n, "
    "coalesce(sum(signatures) FILTER (WHERE verified), 0) AS v "
    "FROM report_verification_day WHERE use = 'complaint' "
    "AND role IN ('customer', 'esp') "
    "AND day BETWEEN $1::date - $2::int AND $1::date "
    "AND ($3::text IS NULL OR role <> 'customer' OR customer_id = $3) "
    "GROUP BY 1, 2, 3, 4), "
    "health_rank AS (SELECT token, role, customer_id, row_number() OVER "
    "(ORDER BY role = 'esp' DESC, sum(v)::numeric / sum(n), "
    "sum(n) DESC, token COLLATE \"C\", customer_id COLLATE \"C\") AS rk, "
    "count(*) OVER () AS total FROM w GROUP BY 1, 2, 3 "
    "HAVING sum(n) > 0) "
    "SELECT r.token, r.role, r.customer_id, r.total, w.off, w.n, w.v "
    "FROM health_rank r JOIN w USING (token, role, customer_id) "
    "WHERE r.rk <= $4::int ORDER BY r.rk, w.off";

struct vloader {
	struct report_model		*m;
	const struct report_config	*cfg;
	struct buf			 sending;	/* of network */
	char				*network;	/* last labelled */
	bool				 oom;
};

static size_t
count_of(const struct db_rows *res, size_t r, int col)
{
	int64_t	 n = load_num(res, r, col);

	return n > 0 ? (size_t)n : 0;
}

/* The sending network of a network, looked up when it changes. */
static const char *
sending_of(struct vloader *vl, const char *network)
{
	const struct report_config	*cfg = vl->cfg;

	if (vl->network != NULL && strcmp(vl->network, network) == 0)
		return buf_cstr(&vl->sending);
	free(vl->network);
	if ((vl->network = strdup(network)) == NULL)
		vl->oom = true;
	buf_reset(&vl->sending);
	if (cfg != NULL && cfg->sending_network != NULL &&
	    !cfg->sending_network(cfg->arg, network, &vl->sending))
		buf_reset(&vl->sending);
	if (!buf_ok(&vl->sending))
		vl->oom = true;
	return buf_cstr(&vl->sending);
}

/* n counts per window from column first on. */
static void
window_counts(const struct db_rows *res, size_t r, int first, int64_t *v)
{
	int	 k;

	for (k = 0; k < RW_N; k++)
		v[k] = load_num(res, r, first + k);
}

static bool
network_row(struct vloader *vl, const struct db_rows *res, size_t r)
{
	struct report_network_row	 n;

	n.customer_id = db_null(res, r, 0) ? NULL : load_text(res, r, 0);
	n.network = load_text(res, r, 1);
	n.sending = sending_of(vl, n.network);
	window_counts(res, r, 2, n.complaints);
	window_counts(res, r, 2 + RW_N, n.attributed);
	n.total = count_of(res, r, 3 + 2 * RW_N);
	return !vl->oom && report_views_network_row(vl->m, &n);
}

/* A campaign, into its customer's list, the ESP's, or both. */
static bool
campaign_row(struct vloader *vl, const struct db_rows *res, size_t r)
{
	struct report_campaign_row	 c;
	const char			*want = vl->m->p.customer;
	bool				 ok = true;

	c.owner = load_text(res, r, 0);
	c.source = load_text(res, r, 1);
	c.campaign = load_text(res, r, 2);
	window_counts(res, r, 3, c.complaints);
	if (count_of(res, r, 3 + RW_N) <= REPORT_CAMPAIGNS_MAX &&
	    (want == NULL || strcmp(want, c.owner) == 0)) {
		c.customer_id = c.owner;
		c.total = count_of(res, r, 4 + RW_N);
		ok = report_views_campaign_row(vl->m, &c);
	}
	if (ok && count_of(res, r, 5 + RW_N) <= REPORT_CAMPAIGNS_MAX) {
		c.customer_id = NULL;
		c.total = count_of(res, r, 6 + RW_N);
		ok = report_views_campaign_row(vl->m, &c);
	}
	return ok;
}

static bool
health_row(struct vloader *vl, const struct db_rows *res, size_t r)
{
	struct report_health_row	 h;

	h.token = load_text(res, r, 0);
	h.role = load_text(res, r, 1);
	h.customer_id = load_text(res, r, 2);
	h.total = count_of(res, r, 3);
	h.off = atoi(load_text(res, r, 4));
	h.signatures = load_num(res, r, 5);
	h.verified = load_num(res, r, 6);
	return report_views_health_row(vl->m, &h);
}

static const struct vquery {
	const char	*what;
	const char	*sql;
	int		 cap;
	bool		(*row)(struct vloader *, const struct db_rows *,
			    size_t);
} vqueries[] = {
	{ "sending networks", networks_sql, REPORT_NETWORKS_MAX, network_row },
	{ "the ESP's sending networks", esp_networks_sql,
	    REPORT_NETWORKS_MAX, network_row },
	{ "campaigns", campaigns_sql, REPORT_CAMPAIGNS_MAX, campaign_row },
	{ "token health", health_sql, REPORT_HEALTH_MAX, health_row },
};

static bool
vquery_run(struct vloader *vl, struct db *db, const struct vquery *q,
    struct buf *err)
{
	static const enum db_type types[6] = { DB_DATE, DB_INT4, DB_TEXT,
	    DB_INT4, DB_INT4, DB_INT4 };
	const char		*p[6];
	char			 back[12], cap[12], day[12], shrt[12];
	struct db_rows		*res;
	size_t			 r, n;
	bool			 ok = true;

	snprintf(back, sizeof(back), "%d", vl->m->len[RW_LONG] - 1);
	snprintf(cap, sizeof(cap), "%d", q->cap);
	snprintf(day, sizeof(day), "%d", vl->m->len[RW_DAY]);
	snprintf(shrt, sizeof(shrt), "%d", vl->m->len[RW_SHORT]);
	p[0] = vl->m->p.day;
	p[1] = back;
	p[2] = vl->m->p.customer;
	p[3] = cap;
	p[4] = day;
	p[5] = shrt;
	if ((res = db_query_typed(db, q->sql, 6, types, p, err)) == NULL) {
		buf_printf(err, " (report query: %s)", q->what);
		return false;
	}
	for (r = 0, n = db_nrows(res); r < n && ok; r++)
		ok = q->row(vl, res, r);
	db_rows_free(res);
	if (!ok)
		buf_puts(err, "out of memory");
	return ok;
}

bool
report_load_views(struct report_model *m, struct db *db,
    const struct report_config *cfg, struct buf *err)
{
	struct vloader	 vl;
	size_t		 i;
	bool		 ok = true;

	memset(&vl, 0, sizeof(vl));
	vl.m = m;
	vl.cfg = cfg;
	for (i = 0; i < sizeof(vqueries) / sizeof(vqueries[0]) && ok; i++)
		ok = vquery_run(&vl, db, &vqueries[i], err);
	free(vl.network);
	buf_free(&vl.sending);
	return ok;
}
