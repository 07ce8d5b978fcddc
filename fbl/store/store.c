/* SPDX-License-Identifier: ISC */
/* store: connection and schema; see store.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/store/migrations.h"
#include "fbl/store/store.h"

struct store {
	struct db	*db;
};

/* What one run of the migration transaction did (db_tx may run it again). */
struct migrate {
	bool		 pending[64];	/* of migrations[] */
	int		 applied;
	struct buf	 log;
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

/* Which migrations are missing; false on a database error. */
static bool
find_pending(struct db *db, struct migrate *mg, bool *any, struct buf *err)
{
	size_t	 i;
	int	 have;

	*any = false;
	for (i = 0; i < migrations_count; i++) {
		if ((have = version_applied(db, migrations[i].version,
		    err)) < 0)
			return false;
		mg->pending[i] = !have;
		*any |= !have;
	}
	return true;
}

/*
 * The functions before the migrations, their bodies unchecked: the tables
 * they read may come with a pending migration.
 */
static bool
functions_first(struct db *db, struct buf *err)
{
	if (!db_exec(db, "SET LOCAL check_function_bodies = off", 0, NULL,
	    err))
		return false;
	if (!db_exec(db, definitions_functions, 0, NULL, err)) {
		buf_puts(err, " (sql/definitions.sql, its functions)");
		return false;
	}
	return db_exec(db, "RESET check_function_bodies", 0, NULL, err);
}

static bool
apply_one(struct db *db, const struct migration *m, struct migrate *mg,
    struct buf *err)
{
	if (!db_exec(db, m->sql, 0, NULL, err)) {
		buf_printf(err, " (migration %03d_%s)", m->version, m->name);
		return false;
	}
	if (!record_version(db, m, err))
		return false;
	buf_printf(&mg->log, "applied %03d_%s\n", m->version, m->name);
	mg->applied++;
	return true;
}

/* The migration transaction; the lock makes concurrent runs wait. */
static bool
migrate_tx(struct db *db, void *arg, struct buf *err)
{
	struct migrate	*mg = arg;
	size_t		 i;
	bool		 any;

	mg->applied = 0;
	buf_reset(&mg->log);
	if (!db_exec(db, "LOCK TABLE schema_version IN EXCLUSIVE MODE", 0,
	    NULL, err) || !find_pending(db, mg, &any, err))
		return false;
	if (any && !functions_first(db, err))
		return false;
	for (i = 0; i < migrations_count; i++)
		if (mg->pending[i] && !apply_one(db, &migrations[i], mg, err))
			return false;
	if (!db_exec(db, definitions_sql, 0, NULL, err)) {
		buf_puts(err, " (sql/definitions.sql)");
		return false;
	}
	return true;
}

bool
store_migrate(struct store *st, int *applied, struct buf *log,
    struct buf *err)
{
	struct migrate	 mg;
	struct buf	 ignore = BUF_INIT;
	bool		 ok;

	*applied = 0;
	memset(&mg, 0, sizeof(mg));
	if (migrations_count > sizeof(mg.pending) / sizeof(mg.pending[0])) {
		buf_puts(err, "too many migrations");
		return false;
	}
	/*
	 * Two processes creating schema_version at once race in the catalog
	 * (duplicate pg_type row): a session advisory lock serialises them.
	 */
	if (!db_exec(st->db, "SET client_min_messages = warning", 0, NULL,
	    err) || !db_exec(st->db, "SELECT pg_advisory_lock(hashtext("
	    "'fblscope.migrate'))", 0, NULL, err))
		return false;
	ok = db_exec(st->db, create_version_sql, 0, NULL, err) &&
	    db_tx(st->db, DB_TX_WRITE, migrate_tx, &mg, err);
	if (ok) {
		buf_append(log, mg.log.data, mg.log.len);
		*applied = mg.applied;
	}
	buf_free(&mg.log);
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

bool
store_claim_source(struct store *st, const char *key, bool *got,
    struct buf *err)
{
	const char	*params[1] = { key };
	struct db_rows	*r;

	*got = false;
	if ((r = db_query(st->db, "SELECT pg_try_advisory_lock("
	    "hashtextextended('fblscope.source ' || $1, 0))", 1, params,
	    err)) == NULL)
		return false;
	*got = db_nrows(r) == 1 && db_bool(r, 0, 0);
	db_rows_free(r);
	return true;
}

bool
store_release_sources(struct store *st, struct buf *err)
{
	return db_exec(st->db, "SELECT pg_advisory_unlock_all()", 0, NULL,
	    err);
}
