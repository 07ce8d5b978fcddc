/*
 * keyaudit_store: key audit runs in PostgreSQL; see keyaudit_store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpq-fe.h>

#include "fbl/keys/keyaudit_store.h"
#include "fbl/store/store.h"
#include "base/json.h"

#define SIGNING_MAX	100000	/* (token, selector) pairs read */

struct keyaudit_db {
	struct store		*st;
	char			 date[11];
	PGresult		*signing_res;	/* owns the strings below */
	struct audit_signing	*signing;
	size_t			 nsigning;
};

/* Per token and selector: signatures in complaints within the grace. */
static const char signing_sql[] =
    "SELECT token, selector, sum(count)::bigint, max(day)::text"
    "  FROM daily_key"
    " WHERE day > $1::date - $2::integer AND day <= $1::date"
    "   AND role IN ('customer', 'esp') AND count > 0"
    " GROUP BY token, selector ORDER BY token, selector LIMIT $3";

static const char run_sql[] =
    "INSERT INTO key_audit_run (as_of, domains) VALUES ($1::date,"
    " $2::integer) RETURNING run_id";

static const char rows_sql[] =
    "INSERT INTO key_audit_check (run_id, domain, customer_id, role, mode,"
    "  check_name, subject, server, status, reason, detail)"
    " SELECT $1::bigint, x.domain, x.customer_id, x.role, x.mode,"
    "  x.check_name, x.subject, x.server, x.status, x.reason, x.detail"
    "   FROM json_to_recordset($2::json) AS x(domain text,"
    "  customer_id text, role text, mode text, check_name text,"
    "  subject text, server text, status text, reason text, detail text)";

static const char close_sql[] = "SELECT fbl_key_audit_close($1::bigint)";

static bool
exec_ok(PGconn *c, PGresult *res, ExecStatusType want, struct buf *err)
{
	if (PQresultStatus(res) == want)
		return true;
	store_error(err, c, res);
	return false;
}

static bool
read_signing(struct keyaudit_db *db, unsigned grace, struct buf *err)
{
	PGconn		*c = store_conn(db->st);
	const char	*p[3];
	char		 g[16], lim[16];
	size_t		 i, n;

	snprintf(g, sizeof(g), "%u", grace);
	snprintf(lim, sizeof(lim), "%d", SIGNING_MAX);
	p[0] = db->date;
	p[1] = g;
	p[2] = lim;
	db->signing_res = PQexecParams(c, signing_sql, 3, NULL, p, NULL, NULL,
	    0);
	if (!exec_ok(c, db->signing_res, PGRES_TUPLES_OK, err))
		return false;
	n = (size_t)PQntuples(db->signing_res);
	if (n == 0)
		return true;
	if ((db->signing = calloc(n, sizeof(*db->signing))) == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	for (i = 0; i < n; i++) {
		db->signing[i].domain = PQgetvalue(db->signing_res, (int)i, 0);
		db->signing[i].selector = PQgetvalue(db->signing_res, (int)i,
		    1);
		db->signing[i].count = strtoll(PQgetvalue(db->signing_res,
		    (int)i, 2), NULL, 10);
		snprintf(db->signing[i].last, sizeof(db->signing[i].last),
		    "%s", PQgetvalue(db->signing_res, (int)i, 3));
	}
	db->nsigning = n;
	return true;
}

struct keyaudit_db *
keyaudit_db_open(const char *conninfo, const struct fbl_config *cfg,
    const char *date, struct buf *err)
{
	struct keyaudit_db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL) {
		buf_puts(err, "out of memory");
		return NULL;
	}
	snprintf(db->date, sizeof(db->date), "%s", date);
	if ((db->st = store_open(conninfo, err)) == NULL ||
	    !read_signing(db, cfg->rotation_grace_days, err)) {
		keyaudit_db_close(db);
		return NULL;
	}
	return db;
}

void
keyaudit_db_close(struct keyaudit_db *db)
{
	if (db == NULL)
		return;
	PQclear(db->signing_res);
	free(db->signing);
	store_close(db->st);
	free(db);
}

void
keyaudit_db_signing(struct keyaudit_db *db, const struct audit_signing **v,
    size_t *n)
{
	*v = db->signing;
	*n = db->nsigning;
}

/* Every row as one JSON array, the shape json_to_recordset() reads. */
static void
rows_json(struct buf *b, const struct audit_domain *d, size_t n)
{
	const struct audit_row	*r;
	size_t			 i, j;
	bool			 f, any = false;

	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		for (j = 0; j < d[i].nrows; j++) {
			r = &d[i].rows[j];
			buf_puts(b, any ? ",{" : "{");
			any = true;
			f = true;
			json_kv_str(b, "domain", d[i].domain, &f);
			json_kv_str(b, "customer_id", d[i].customer_id !=
			    NULL ? d[i].customer_id : "", &f);
			json_kv_str(b, "role", d[i].esp ? "esp" : "customer",
			    &f);
			json_kv_str(b, "mode", audit_mode_name(d[i].mode), &f);
			json_kv_str(b, "check_name",
			    audit_check_name(r->check), &f);
			json_kv_str(b, "subject", r->subject != NULL ?
			    r->subject : "", &f);
			json_kv_str(b, "server", r->server != NULL ?
			    r->server : "", &f);
			json_kv_str(b, "status", audit_status_name(r->status),
			    &f);
			json_kv_str(b, "reason", r->reason, &f);
			json_kv_str(b, "detail", r->detail, &f);
			buf_putc(b, '}');
		}
	}
	buf_putc(b, ']');
}

static bool
store_run(PGconn *c, const char *date, size_t n, const struct buf *rows,
    struct buf *err)
{
	PGresult	*res;
	const char	*p[2];
	char		 nd[24], run[24];
	bool		 ok;

	snprintf(nd, sizeof(nd), "%zu", n);
	p[0] = date;
	p[1] = nd;
	res = PQexecParams(c, run_sql, 2, NULL, p, NULL, NULL, 0);
	if (!exec_ok(c, res, PGRES_TUPLES_OK, err)) {
		PQclear(res);
		return false;
	}
	snprintf(run, sizeof(run), "%s", PQgetvalue(res, 0, 0));
	PQclear(res);
	p[0] = run;
	p[1] = buf_cstr(rows);
	res = PQexecParams(c, rows_sql, 2, NULL, p, NULL, NULL, 0);
	ok = exec_ok(c, res, PGRES_COMMAND_OK, err);
	PQclear(res);
	if (!ok)
		return false;
	res = PQexecParams(c, close_sql, 1, NULL, p, NULL, NULL, 0);
	ok = exec_ok(c, res, PGRES_TUPLES_OK, err);
	PQclear(res);
	return ok;
}

bool
keyaudit_db_store(struct keyaudit_db *db, const struct audit_domain *d,
    size_t n, struct buf *err)
{
	PGconn		*c = store_conn(db->st);
	PGresult	*res;
	struct buf	 rows = BUF_INIT;
	bool		 ok;

	rows_json(&rows, d, n);
	if (!buf_ok(&rows)) {
		buf_puts(err, "out of memory");
		buf_free(&rows);
		return false;
	}
	res = PQexec(c, "BEGIN");
	ok = exec_ok(c, res, PGRES_COMMAND_OK, err);
	PQclear(res);
	if (ok)
		ok = store_run(c, db->date, n, &rows, err);
	res = PQexec(c, ok ? "COMMIT" : "ROLLBACK");
	if (ok)
		ok = exec_ok(c, res, PGRES_COMMAND_OK, err);
	PQclear(res);
	buf_free(&rows);
	return ok;
}
