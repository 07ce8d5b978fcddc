/* SPDX-License-Identifier: ISC */
/*
 * store: fblscope's database (db.h) and its schema.
 *
 * The connection follows libpq conventions: a conninfo string or URI from
 * --db, else the PG* environment variables and the service file; passwords
 * belong in ~/.pgpass or PGPASSFILE, never on a command line.
 *
 * The schema is the files of sql/ compiled into the binary (migrations.h).
 * store_migrate() runs in one transaction, under a lock on schema_version
 * so that two processes migrating at once apply each migration exactly
 * once: the definitions' functions (when a migration is pending), the
 * missing numbered migrations in version order, each with its
 * schema_version row, then sql/definitions.sql, every view and function,
 * whether anything was pending or not.
 */
#ifndef FBL_STORE_H
#define FBL_STORE_H

#include <stdbool.h>

#include "base/buf.h"
#include "fbl/store/db.h"

struct store;

struct store	*store_open(const char *conninfo, struct buf *err);
void		 store_close(struct store *);
struct db	*store_db(struct store *);

/* Apply what is missing; *applied counts them; a line per migration in log. */
bool		 store_migrate(struct store *, int *applied, struct buf *log,
		    struct buf *err);
/* Versions known to the binary and to the database, one line each. */
bool		 store_status(struct store *, struct buf *out, int *pending,
		    struct buf *err);

/*
 * One reader per mail source, whatever the machine: a session advisory lock
 * on key (pg_try_advisory_lock of its 64-bit text hash).  *got is false
 * when another session holds it.  store_release_sources() lets go of every
 * lock this session took (at the end of a pass; a closed connection lets
 * go of them too).  false with err when the database failed.
 */
bool		 store_claim_source(struct store *, const char *key, bool *got,
		    struct buf *err);
bool		 store_release_sources(struct store *, struct buf *err);

#endif
