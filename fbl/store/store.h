/*
 * store: the PostgreSQL side of fblscope (libpq).
 *
 * The connection follows libpq conventions: a conninfo string or URI from
 * --db, else the PG* environment variables and the service file; passwords
 * belong in ~/.pgpass or PGPASSFILE, never on a command line.
 *
 * Migrations are the numbered files of sql/ compiled into the binary
 * (migrations.h).  store_migrate() applies the missing ones in version
 * order, each in its own transaction together with its schema_version row,
 * under a lock on schema_version so that two processes migrating at once
 * apply each migration exactly once.
 */
#ifndef FBL_STORE_H
#define FBL_STORE_H

#include <stdbool.h>

#include <libpq-fe.h>

#include "base/buf.h"

struct store;

struct store	*store_open(const char *conninfo, struct buf *err);
void		 store_close(struct store *);
PGconn		*store_conn(struct store *);

/* Apply what is missing; *applied counts them; a line per migration in log. */
bool		 store_migrate(struct store *, int *applied, struct buf *log,
		    struct buf *err);
/* Versions known to the binary and to the database, one line each. */
bool		 store_status(struct store *, struct buf *out, int *pending,
		    struct buf *err);

/* The error text of a failed result or connection, one line. */
void		 store_error(struct buf *, PGconn *, const PGresult *);

#endif
