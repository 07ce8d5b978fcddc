/* SPDX-License-Identifier: ISC */
/*
 * db: the one place fblscope speaks to PostgreSQL (libpq).
 *
 * Statements.  Values travel as parameters ($1, $2, ...: text, NULL for
 * SQL NULL) or as COPY data, never inside the SQL text.  Without
 * parameters a text may hold several statements (a migration).
 *
 * Errors.  A failure appends one line to the caller's err: libpq's
 * message, first line only; the caller adds where it happened.  The
 * SQLSTATE of the first failure in a transaction stays with the
 * connection, for db_tx() to decide on a retry.
 *
 * Transactions.  db_tx() runs BEGIN, the caller's function, COMMIT, and
 * ROLLBACK when anything failed; a write transaction's COMMIT is durable
 * (synchronous_commit on, whatever the server's default) when it returns.  A transaction ended by a deadlock or a
 * serialization failure (SQLSTATE 40P01, 40001) is run again, whole, up to
 * DB_TX_TRIES times in all, after a short pause: the function must start
 * from scratch on every call (reset what it fills in).  The error of the
 * last attempt is the one reported; "BEGIN: " or "COMMIT: " before it
 * when those failed (a COMMIT whose answer was lost may have committed).
 *
 * One connection, one thread.  Library code: nothing here prints.
 */
#ifndef FBL_DB_H
#define FBL_DB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>


#include "base/buf.h"

#define DB_TX_TRIES	5	/* attempts at a transaction in all */

struct db;
struct db_rows;

enum db_tx_mode {
	DB_TX_WRITE,		/* READ COMMITTED, read-write */
	DB_TX_SNAPSHOT,		/* REPEATABLE READ READ ONLY: one snapshot */
};

enum db_state {
	DB_IDLE,		/* no transaction open */
	DB_IN_TX,		/* inside one */
	DB_IN_FAILED_TX,	/* inside one that failed: only ROLLBACK */
	DB_BROKEN,		/* lost, or busy with a statement */
};

/* The type a parameter is sent as (db_query_typed); text otherwise. */
enum db_type {
	DB_TEXT,
	DB_BOOL,
	DB_INT4,
	DB_INT8,
	DB_DATE,
};

/* A conninfo string or URI; NULL: the PG* variables, the service file. */
struct db	*db_open(const char *conninfo, struct buf *err);
void		 db_close(struct db *);

/* A statement whose rows, if any, are not wanted. */
bool		 db_exec(struct db *, const char *sql, int n,
		    const char *const *params, struct buf *err);
/* A statement's rows; NULL on failure.  Free with db_rows_free(). */
struct db_rows	*db_query(struct db *, const char *sql, int n,
		    const char *const *params, struct buf *err);
struct db_rows	*db_query_typed(struct db *, const char *sql, int n,
		    const enum db_type *types, const char *const *params,
		    struct buf *err);

/*
 * A statement prepared once per connection under name (again: nothing
 * done), then run with its parameters.  Prepared statements outlive a
 * rolled back transaction.
 */
bool		 db_prepare(struct db *, const char *name, const char *sql,
		    int n, struct buf *err);
bool		 db_exec_prepared(struct db *, const char *name, int n,
		    const char *const *params, struct buf *err);

size_t		 db_nrows(const struct db_rows *);
size_t		 db_ncols(const struct db_rows *);
/* A value as text; "" for NULL (tell them apart with db_null()). */
const char	*db_get(const struct db_rows *, size_t row, size_t col);
bool		 db_null(const struct db_rows *, size_t row, size_t col);
bool		 db_bool(const struct db_rows *, size_t row, size_t col);
void		 db_rows_free(struct db_rows *);

typedef bool	(*db_tx_fn)(struct db *, void *arg, struct buf *err);
bool		 db_tx(struct db *, enum db_tx_mode, db_tx_fn, void *arg,
		    struct buf *err);
/* Where the connection stands (db_tx's function runs DB_IN_TX). */
enum db_state	 db_state(struct db *);
/* The SQLSTATEs db_tx() tries again after. */
bool		 db_retryable(const char *sqlstate);

/*
 * COPY ... FROM STDIN in text format.  fill appends rows to b (use the
 * db_copy_* writers) and returns true while rows remain; b is sent and
 * emptied whenever it grows past a megabyte, and at the end.  A failure
 * ends the COPY and leaves the reason in err.
 */
typedef bool	(*db_copy_fn)(struct buf *b, void *arg);
bool		 db_copy(struct db *, const char *sql, db_copy_fn fill,
		    void *arg, struct buf *err);

/*
 * One value of a COPY row, then its separator: a tab, or the newline when
 * last.  Texts hold no NUL; bytea goes in hex form; tri is a tri-state
 * boolean (-1 NULL, 0 false, 1 true); present false writes NULL.
 */
void		 db_copy_null(struct buf *, bool last);
void		 db_copy_text(struct buf *, const char *s, bool last);
void		 db_copy_bytea(struct buf *, const unsigned char *p,
		    size_t len, bool last);
void		 db_copy_bool(struct buf *, bool v, bool last);
void		 db_copy_tri(struct buf *, int v, bool last);
void		 db_copy_int(struct buf *, int64_t v, bool present,
		    bool last);
void		 db_copy_uint(struct buf *, uint64_t v, bool present,
		    bool last);

#endif
