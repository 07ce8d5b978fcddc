/*
 * model_dns: the report's "DNS and keys" section, from the stored key audits
 * (sql/009_key_audit.sql, `fblscope keys audit --db`); see model.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "fbl/store/store.h"
#include "report/model.h"

#define DNS_MAX_ROWS	100000	/* problems read: a bound, not a limit */

static const char dns_domain_sql[] =
    "SELECT domain, customer_id, role, mode, as_of::text, status, warn,"
    "       fail, temp"
    "  FROM report_key_audit_domain($1::date)"
    " WHERE $2::text IS NULL OR customer_id = $2::text"
    " ORDER BY CASE status WHEN 'FAIL' THEN 0 WHEN 'TEMP' THEN 1"
    "          WHEN 'WARN' THEN 2 ELSE 3 END, domain"
    " LIMIT $3::integer";

static const char dns_problem_sql[] =
    "SELECT domain, customer_id, check_name, subject, server, status,"
    "       reason, detail, first_seen::text, days_open"
    "  FROM report_key_audit_problem($1::date)"
    " WHERE $2::text IS NULL OR customer_id = $2::text"
    " ORDER BY CASE status WHEN 'FAIL' THEN 0 WHEN 'TEMP' THEN 1"
    "          ELSE 2 END, days_open DESC, domain, check_name, subject,"
    "          server"
    " LIMIT $3::integer";

static PGresult *
dns_query(PGconn *conn, const struct report_model *m, const char *sql,
    const char *what, struct buf *err)
{
	const char	*p[3];
	char		 lim[16];
	PGresult	*res;

	snprintf(lim, sizeof(lim), "%d", DNS_MAX_ROWS);
	p[0] = m->p.day;
	p[1] = m->p.customer;
	p[2] = lim;
	res = PQexecParams(conn, sql, 3, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		buf_printf(err, "report query (%s): ", what);
		store_error(err, conn, res);
		PQclear(res);
		return NULL;
	}
	return res;
}

static char *
col(const PGresult *res, int row, int c, bool *oom)
{
	char	*s = strdup(PQgetvalue(res, row, c));

	if (s == NULL)
		*oom = true;
	return s;
}

static void
day_col(char out[11], const PGresult *res, int row, int c)
{
	snprintf(out, 11, "%s", PQgetvalue(res, row, c));
}

static bool
load_domains(struct report_model *m, PGconn *conn, struct buf *err)
{
	struct report_dns_domain	*d;
	PGresult			*res;
	bool				 oom = false;
	int				 i, n;

	if ((res = dns_query(conn, m, dns_domain_sql, "key audit domains",
	    err)) == NULL)
		return false;
	n = PQntuples(res);
	if (n > 0 && (m->dns = calloc((size_t)n, sizeof(*m->dns))) == NULL)
		oom = true;
	for (i = 0; i < n && !oom; i++) {
		d = &m->dns[m->ndns++];
		d->domain = col(res, i, 0, &oom);
		d->customer_id = col(res, i, 1, &oom);
		d->role = col(res, i, 2, &oom);
		d->mode = col(res, i, 3, &oom);
		day_col(d->as_of, res, i, 4);
		d->status = col(res, i, 5, &oom);
		d->warn = strtoll(PQgetvalue(res, i, 6), NULL, 10);
		d->fail = strtoll(PQgetvalue(res, i, 7), NULL, 10);
		d->temp = strtoll(PQgetvalue(res, i, 8), NULL, 10);
	}
	PQclear(res);
	if (oom)
		buf_puts(err, "out of memory");
	return !oom;
}

static bool
load_problems(struct report_model *m, PGconn *conn, struct buf *err)
{
	struct report_dns_problem	*p;
	PGresult			*res;
	bool				 oom = false;
	int				 i, n;

	if ((res = dns_query(conn, m, dns_problem_sql, "key audit problems",
	    err)) == NULL)
		return false;
	n = PQntuples(res);
	if (n > 0 && (m->dns_problems = calloc((size_t)n,
	    sizeof(*m->dns_problems))) == NULL)
		oom = true;
	for (i = 0; i < n && !oom; i++) {
		p = &m->dns_problems[m->ndns_problems++];
		p->domain = col(res, i, 0, &oom);
		p->customer_id = col(res, i, 1, &oom);
		p->check = col(res, i, 2, &oom);
		p->subject = col(res, i, 3, &oom);
		p->server = col(res, i, 4, &oom);
		p->status = col(res, i, 5, &oom);
		p->reason = col(res, i, 6, &oom);
		p->detail = col(res, i, 7, &oom);
		day_col(p->first_seen, res, i, 8);
		p->days_open = atoi(PQgetvalue(res, i, 9));
	}
	PQclear(res);
	if (oom)
		buf_puts(err, "out of memory");
	return !oom;
}

bool
report_model_dns_load(struct report_model *m, PGconn *conn, struct buf *err)
{
	return load_domains(m, conn, err) && load_problems(m, conn, err);
}

void
report_model_dns_free(struct report_model *m)
{
	size_t	 i;

	for (i = 0; i < m->ndns; i++) {
		free(m->dns[i].domain);
		free(m->dns[i].customer_id);
		free(m->dns[i].role);
		free(m->dns[i].mode);
		free(m->dns[i].status);
	}
	free(m->dns);
	for (i = 0; i < m->ndns_problems; i++) {
		free(m->dns_problems[i].domain);
		free(m->dns_problems[i].customer_id);
		free(m->dns_problems[i].check);
		free(m->dns_problems[i].subject);
		free(m->dns_problems[i].server);
		free(m->dns_problems[i].status);
		free(m->dns_problems[i].reason);
		free(m->dns_problems[i].detail);
	}
	free(m->dns_problems);
	m->dns = NULL;
	m->dns_problems = NULL;
	m->ndns = m->ndns_problems = 0;
}
