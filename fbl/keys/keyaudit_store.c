/* SPDX-License-Identifier: ISC */
/*
 * keyaudit_store: key audit runs in PostgreSQL; see keyaudit_store.h.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/keys/keyaudit_store.h"
#include "fbl/store/store.h"
#include "base/json.h"

#define SIGNING_MAX	100000	/* (token, selector) pairs read */

struct keyaudit_db {
	struct store		*st;
	char			 date[11];
	struct db_rows		*signing_rows;	/* owns the strings below */
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
read_signing(struct keyaudit_db *db, unsigned grace, struct buf *err)
{
	struct db_rows	*r;
	const char	*p[3];
	char		 g[16], lim[16];
	size_t		 i, n;

	snprintf(g, sizeof(g), "%u", grace);
	snprintf(lim, sizeof(lim), "%d", SIGNING_MAX);
	p[0] = db->date;
	p[1] = g;
	p[2] = lim;
	if ((r = db->signing_rows = db_query(store_db(db->st), signing_sql, 3,
	    p, err)) == NULL)
		return false;
	if ((n = db_nrows(r)) == 0)
		return true;
	if ((db->signing = calloc(n, sizeof(*db->signing))) == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	for (i = 0; i < n; i++) {
		db->signing[i].domain = db_get(r, i, 0);
		db->signing[i].selector = db_get(r, i, 1);
		db->signing[i].count = strtoll(db_get(r, i, 2), NULL, 10);
		snprintf(db->signing[i].last, sizeof(db->signing[i].last),
		    "%s", db_get(r, i, 3));
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
	db_rows_free(db->signing_rows);
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

/* One run and its rows, in the caller's transaction. */
struct run {
	const char		*date;
	size_t			 n;
	const struct buf	*rows;
};

static bool
store_run(struct db *db, void *arg, struct buf *err)
{
	const struct run *run = arg;
	struct db_rows	*r;
	const char	*p[2];
	char		 nd[24], id[24];

	snprintf(nd, sizeof(nd), "%zu", run->n);
	p[0] = run->date;
	p[1] = nd;
	if ((r = db_query(db, run_sql, 2, p, err)) == NULL)
		return false;
	snprintf(id, sizeof(id), "%s", db_nrows(r) > 0 ? db_get(r, 0, 0) :
	    "");
	db_rows_free(r);
	p[0] = id;
	p[1] = buf_cstr(run->rows);
	return db_exec(db, rows_sql, 2, p, err) &&
	    db_exec(db, close_sql, 1, p, err);
}

bool
keyaudit_db_store(struct keyaudit_db *db, const struct audit_domain *d,
    size_t n, struct buf *err)
{
	struct buf	 rows = BUF_INIT;
	struct run	 run = { db->date, n, &rows };
	bool		 ok;

	rows_json(&rows, d, n);
	if (!buf_ok(&rows)) {
		buf_puts(err, "out of memory");
		buf_free(&rows);
		return false;
	}
	ok = db_tx(store_db(db->st), DB_TX_WRITE, store_run, &run, err);
	buf_free(&rows);
	return ok;
}
