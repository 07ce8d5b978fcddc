/* store: connection and schema; see store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/store/migrations.h"
#include "fbl/store/store.h"

struct store {
	struct db	*db;
};

/* One migration's transaction (db_tx may run it again). */
struct migrate {
	const struct migration	*m;
	bool			 applied;
};

struct store *
store_open(const char *conninfo, struct buf *err)
{
	struct store	*st;

	if ((st = calloc(1, sizeof(*st))) == NULL) {
		buf_puts(err, "out of memory");
		return NULL;
	}
	if ((st->db = db_open(conninfo, err)) == NULL) {
		free(st);
		return NULL;
	}
	return st;
}

void
store_close(struct store *st)
{
	if (st == NULL)
		return;
	db_close(st->db);
	free(st);
}

struct db *
store_db(struct store *st)
{
	return st->db;
}

PGconn *
store_conn(struct store *st)
{
	return db_pgconn(st->db);
}

void
store_error(struct buf *err, PGconn *conn, const PGresult *res)
{
	db_pgerror(err, conn, res);
}

static const char create_version_sql[] =
    "CREATE TABLE IF NOT EXISTS schema_version ("
    " version integer PRIMARY KEY,"
    " name text NOT NULL,"
    " applied_at timestamptz NOT NULL DEFAULT now())";

/* Is version applied?  -1 on error. */
static int
version_applied(struct db *db, int version, struct buf *err)
{
	char		 v[16];
	const char	*p[1] = { v };
	struct db_rows	*r;
	int		 n;

	snprintf(v, sizeof(v), "%d", version);
	if ((r = db_query(db, "SELECT 1 FROM schema_version WHERE version = $1",
	    1, p, err)) == NULL)
		return -1;
	n = db_nrows(r) > 0;
	db_rows_free(r);
	return n;
}

static bool
record_version(struct db *db, const struct migration *m, struct buf *err)
{
	char		 v[16];
	const char	*p[2] = { v, m->name };

	snprintf(v, sizeof(v), "%d", m->version);
	return db_exec(db, "INSERT INTO schema_version (version, name) "
	    "VALUES ($1, $2)", 2, p, err);
}

/* One migration in one transaction; the lock makes concurrent runs wait. */
static bool
apply_one(struct db *db, void *arg, struct buf *err)
{
	struct migrate	*mg = arg;
	int		 have;

	mg->applied = false;
	if (!db_exec(db, "LOCK TABLE schema_version IN EXCLUSIVE MODE", 0,
	    NULL, err) || (have = version_applied(db, mg->m->version,
	    err)) < 0)
		return false;
	if (have)
		return true;
	if (!db_exec(db, mg->m->sql, 0, NULL, err)) {
		buf_printf(err, " (migration %03d_%s)", mg->m->version,
		    mg->m->name);
		return false;
	}
	if (!record_version(db, mg->m, err))
		return false;
	mg->applied = true;
	return true;
}

bool
store_migrate(struct store *st, int *applied, struct buf *log,
    struct buf *err)
{
	struct migrate	 mg;
	struct buf	 ignore = BUF_INIT;
	size_t		 i;
	bool		 ok;

	*applied = 0;
	/*
	 * Two processes creating schema_version at once race in the catalog
	 * (duplicate pg_type row): a session advisory lock serialises them.
	 */
	if (!db_exec(st->db, "SET client_min_messages = warning", 0, NULL,
	    err) || !db_exec(st->db, "SELECT pg_advisory_lock(hashtext("
	    "'fblscope.migrate'))", 0, NULL, err))
		return false;
	ok = db_exec(st->db, create_version_sql, 0, NULL, err);
	for (i = 0; ok && i < migrations_count; i++) {
		mg.m = &migrations[i];
		if (!(ok = db_tx(st->db, DB_TX_WRITE, apply_one, &mg, err)))
			break;
		if (mg.applied) {
			buf_printf(log, "applied %03d_%s\n", mg.m->version,
			    mg.m->name);
			(*applied)++;
		}
	}
	if (!db_exec(st->db, "SELECT pg_advisory_unlock_all()", 0, NULL,
	    ok ? err : &ignore))
		ok = false;
	buf_free(&ignore);
	return ok;
}

bool
store_status(struct store *st, struct buf *out, int *pending,
    struct buf *err)
{
	struct db_rows	*r;
	size_t		 i;
	int		 have;
	bool		 table;

	if ((r = db_query(st->db, "SELECT to_regclass('schema_version') "
	    "IS NOT NULL", 0, NULL, err)) == NULL)
		return false;
	table = db_bool(r, 0, 0);
	db_rows_free(r);
	*pending = 0;
	for (i = 0; i < migrations_count; i++) {
		have = table ? version_applied(st->db, migrations[i].version,
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
