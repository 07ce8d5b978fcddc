/* SPDX-License-Identifier: ISC */
/*
 * load_dns: the report's "DNS and keys" section, from the stored key audits
 * (sql/009_key_audit.sql, `fblscope keys audit --db`); see load.h.
 */
#include <stdio.h>
#include <stdlib.h>


#include "fbl/store/db.h"
#include "report/load.h"

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

static void
day_col(char out[11], const struct db_rows *res, size_t row, int c)
{
	snprintf(out, 11, "%s", (char *)db_get(res, row, c));
}

static bool
domain_row(struct report_model *m, const struct db_rows *res, size_t i)
{
	struct report_dns_domain	 d;
	char **const			 names[] = { &d.domain,
					    &d.customer_id, &d.role, &d.mode };

	load_texts(res, i, 0, names, sizeof(names) / sizeof(names[0]));
	day_col(d.as_of, res, i, 4);
	d.status = load_text(res, i, 5);
	d.warn = load_num(res, i, 6);
	d.fail = load_num(res, i, 7);
	d.temp = load_num(res, i, 8);
	return report_model_dns_add(m, &d);
}

static bool
problem_row(struct report_model *m, const struct db_rows *res, size_t i)
{
	struct report_dns_problem	 p;
	char **const			 names[] = { &p.domain,
					    &p.customer_id, &p.check, &p.subject,
					    &p.server, &p.status, &p.reason,
					    &p.detail };

	load_texts(res, i, 0, names, sizeof(names) / sizeof(names[0]));
	day_col(p.first_seen, res, i, 8);
	p.days_open = atoi(load_text(res, i, 9));
	return report_model_dns_problem_add(m, &p);
}

/* One query ($1 the day, $2 the customer, $3 the bound), its rows to fn. */
static bool
dns_load(struct report_model *m, struct db *db, const char *sql,
    const char *what, bool (*fn)(struct report_model *,
    const struct db_rows *, size_t), struct buf *err)
{
	const char	*p[3];
	char		 lim[16];
	struct db_rows	*res;
	size_t		 i, n;
	bool		 ok = true;

	snprintf(lim, sizeof(lim), "%d", DNS_MAX_ROWS);
	p[0] = m->p.day;
	p[1] = m->p.customer;
	p[2] = lim;
	if ((res = db_query(db, sql, 3, p, err)) == NULL) {
		buf_printf(err, " (report query: %s)", what);
		return false;
	}
	n = db_nrows(res);
	for (i = 0; i < n && ok; i++)
		ok = fn(m, res, i);
	db_rows_free(res);
	if (!ok)
		buf_puts(err, "out of memory");
	return ok;
}

bool
report_load_dns(struct report_model *m, struct db *db, struct buf *err)
{
	return dns_load(m, db, dns_domain_sql, "key audit domains",
	    domain_row, err) && dns_load(m, db, dns_problem_sql,
	    "key audit problems", problem_row, err);
}
