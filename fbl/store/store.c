/* store: connection and migrations; see store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/store/migrations.h"
#include "fbl/store/store.h"

struct store {
	PGconn	*conn;
};

/* libpq messages end with a newline and may span lines: keep one line. */
void
store_error(struct buf *err, PGconn *conn, const PGresult *res)
{
	const char	*msg = res != NULL ? PQresultErrorMessage(res) : "";
	size_t		 n;

	if (msg == NULL || *msg == '\0')
		msg = conn != NULL ? PQerrorMessage(conn) : "no connection";
	n = strcspn(msg, "\n");
	buf_append(err, msg, n);
}

struct store *
store_open(const char *conninfo, struct buf *err)
{
	struct store	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		buf_puts(err, "out of memory");
		return NULL;
	}
	st->conn = PQconnectdb(conninfo != NULL ? conninfo : "");
	if (st->conn == NULL || PQstatus(st->conn) != CONNECTION_OK) {
		buf_puts(err, "cannot connect to PostgreSQL: ");
		store_error(err, st->conn, NULL);
		store_close(st);
		return NULL;
	}
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	if (st->conn != NULL)
		PQfinish(st->conn);
	free(st);
}

PGconn *
store_conn(struct store *st)
{
	return st->conn;
}

static bool
exec_ok(PGconn *c, const char *sql, struct buf *err)
{
	PGresult	*r = PQexec(c, sql);
	bool		 ok = PQresultStatus(r) == PGRES_COMMAND_OK ||
			    PQresultStatus(r) == PGRES_TUPLES_OK;

	if (!ok)
		store_error(err, c, r);
	PQclear(r);
	return ok;
}

static const char create_version_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

/* Is version applied?  -1 on error. */
static int
version_applied(PGconn *c, int version, struct buf *err)
{
	char		 v[16];
	const char	*params[1] = { v };
	PGresult	*r;
	int		 n;

	snprintf(v, sizeof(v), "%d", version);
	r = PQexecParams(c, "SELECT 1 FROM schema_version WHERE version = $1",
	    1, NULL, params, NULL, NULL, 0);
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		store_error(err, c, r);
		PQclear(r);
		return -1;
	}
	n = PQntuples(r);
	PQclear(r);
	return n > 0;
}

static bool
record_version(PGconn *c, const struct migration *m, struct buf *err)
{
	char		 v[16];
	const char	*params[2] = { v, m->name };
	PGresult	*r;
	bool		 ok;

	snprintf(v, sizeof(v), "%d", m->version);
	r = PQexecParams(c, "INSERT INTO schema_version (version, name) "
	    "VALUES ($1, $2)", 2, NULL, params, NULL, NULL, 0);
	ok = PQresultStatus(r) == PGRES_COMMAND_OK;
	if (!ok)
		store_error(err, c, r);
	PQclear(r);
	return ok;
}

/* One migration in one transaction; the lock makes concurrent runs wait. */
static int
apply_one(PGconn *c, const struct migration *m, struct buf *err)
{
	int	 have;

	if (!exec_ok(c, "BEGIN", err))
		return -1;
	if (!exec_ok(c, "LOCK TABLE schema_version IN EXCLUSIVE MODE", err) ||
	    (have = version_applied(c, m->version, err)) < 0)
		goto fail;
	if (have) {
		exec_ok(c, "ROLLBACK", err);
		return 0;
	}
	if (!exec_ok(c, m->sql, err)) {
		buf_printf(err, " (migration %03d_%s)", m->version, m->name);
		goto fail;
	}
	if (!record_version(c, m, err) || !exec_ok(c, "COMMIT", err))
		goto fail;
	return 1;
fail:
	exec_ok(c, "ROLLBACK", err);
	return -1;
}

bool
store_migrate(struct store *st, int *applied, struct buf *log,
    struct buf *err)
{
	size_t	 i;
	int	 rc;

	*applied = 0;
	/*
	 * Two processes creating schema_version at once race in the catalog
	 * (duplicate pg_type row): a session advisory lock serialises them.
	 */
	if (!exec_ok(st->conn, "SET client_min_messages = warning", err) ||
	    !exec_ok(st->conn, "SELECT pg_advisory_lock(hashtext("
	    "'fblscope.migrate'))", err))
		return false;
	if (!exec_ok(st->conn, create_version_sql, err)) {
		exec_ok(st->conn, "SELECT pg_advisory_unlock_all()", err);
		return false;
	}
	for (i = 0; i < migrations_count; i++) {
		rc = apply_one(st->conn, &migrations[i], err);
		if (rc < 0) {
			exec_ok(st->conn, "SELECT pg_advisory_unlock_all()", err);
			return false;
		}
		if (rc > 0) {
			buf_printf(log, "applied %03d_%s\n", migrations[i].version,
			    migrations[i].name);
			(*applied)++;
		}
	}
	return exec_ok(st->conn, "SELECT pg_advisory_unlock_all()", err);
}

bool
store_status(struct store *st, struct buf *out, int *pending,
    struct buf *err)
{
	PGresult	*r;
	size_t		 i;
	int		 have;
	bool		 table;

	r = PQexec(st->conn, "SELECT to_regclass('schema_version') IS NOT NULL");
	if (PQresultStatus(r) != PGRES_TUPLES_OK) {
		store_error(err, st->conn, r);
		PQclear(r);
		return false;
	}
	table = strcmp(PQgetvalue(r, 0, 0), "t") == 0;
	PQclear(r);
	*pending = 0;
	for (i = 0; i < migrations_count; i++) {
		have = table ? version_applied(st->conn, migrations[i].version,
		    err) : 0;
		if (have < 0)
			return false;
		if (!have)
			(*pending)++;
		buf_printf(out, "%03d_%s\t%s\n", migrations[i].version,
		    migrations[i].name, have ? "applied" : "pending");
	}
	return true;
}
