/* SPDX-License-Identifier: ISC */
/* db: statements, transactions and COPY through libpq; see db.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libpq-fe.h>

#include "base/hex.h"
#include "fbl/store/db.h"

#define COPY_CHUNK	(1u << 20)	/* bytes sent per PQputCopyData */
#define RETRY_PAUSE_NS	20000000L	/* times the attempt number */

struct db {
	PGconn	*c;
	char	 state[6];	/* SQLSTATE of the first failure, or "" */
	char	**prepared;	/* names prepared on this connection */
	size_t	 nprepared;
};

struct db_rows {
	PGresult	*res;
};

/* libpq messages end with a newline and may span lines: keep one line. */
static void
db_pgerror(struct buf *err, PGconn *c, const PGresult *res)
{
	const char	*msg = res != NULL ? PQresultErrorMessage(res) : "";

	if (msg == NULL || *msg == '\0')
		msg = c != NULL ? PQerrorMessage(c) : "no connection";
	buf_append(err, msg, strcspn(msg, "\n"));
}

/* A failed statement: its SQLSTATE kept (the first one), its reason told. */
static void
fail(struct db *db, const PGresult *res, const char *what, struct buf *err)
{
	const char	*st;

	st = res != NULL ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	if (db->state[0] == '\0' && st != NULL)
		snprintf(db->state, sizeof(db->state), "%s", st);
	if (what != NULL)
		buf_printf(err, "%s: ", what);
	db_pgerror(err, db->c, res);
}

struct db *
db_open(const char *conninfo, struct buf *err)
{
	struct db	*db;

	if ((db = calloc(1, sizeof(*db))) == NULL) {
		buf_puts(err, "out of memory");
		return NULL;
	}
	db->c = PQconnectdb(conninfo != NULL ? conninfo : "");
	if (db->c == NULL || PQstatus(db->c) != CONNECTION_OK) {
		buf_puts(err, "cannot connect to PostgreSQL: ");
		db_pgerror(err, db->c, NULL);
		db_close(db);
		return NULL;
	}
	return db;
}

void
db_close(struct db *db)
{
	size_t	 i;

	if (db == NULL)
		return;
	if (db->c != NULL)
		PQfinish(db->c);
	for (i = 0; i < db->nprepared; i++)
		free(db->prepared[i]);
	free(db->prepared);
	free(db);
}

static bool
status_ok(const PGresult *res, bool rows)
{
	switch (PQresultStatus(res)) {
	case PGRES_TUPLES_OK:
		return true;
	case PGRES_COMMAND_OK:
	case PGRES_EMPTY_QUERY:
		return !rows;
	default:
		return false;
	}
}

/* Send one statement; its result, or NULL (and err) on failure. */
static PGresult *
run(struct db *db, const char *sql, int n, const Oid *types,
    const char *const *params, bool rows, const char *what,
    struct buf *err)
{
	PGresult	*res;

	if (n == 0 && types == NULL)
		res = PQexec(db->c, sql);
	else
		res = PQexecParams(db->c, sql, n, types, params, NULL, NULL,
		    0);
	if (!status_ok(res, rows)) {
		fail(db, res, what, err);
		PQclear(res);
		return NULL;
	}
	return res;
}

static bool
exec_what(struct db *db, const char *sql, const char *what, struct buf *err)
{
	PGresult	*res = run(db, sql, 0, NULL, NULL, false, what, err);

	PQclear(res);
	return res != NULL;
}

bool
db_exec(struct db *db, const char *sql, int n, const char *const *params,
    struct buf *err)
{
	PGresult	*res = run(db, sql, n, NULL, params, false, NULL, err);

	PQclear(res);
	return res != NULL;
}

static struct db_rows *
rows_of(PGresult *res, struct buf *err)
{
	struct db_rows	*r;

	if (res == NULL)
		return NULL;
	if ((r = malloc(sizeof(*r))) == NULL) {
		PQclear(res);
		buf_puts(err, "out of memory");
		return NULL;
	}
	r->res = res;
	return r;
}

struct db_rows *
db_query(struct db *db, const char *sql, int n, const char *const *params,
    struct buf *err)
{
	return rows_of(run(db, sql, n, NULL, params, true, NULL, err), err);
}

static Oid
type_oid(enum db_type t)
{
	switch (t) {
	case DB_BOOL:
		return 16;
	case DB_INT4:
		return 23;
	case DB_INT8:
		return 20;
	case DB_DATE:
		return 1082;
	case DB_TEXT:
	default:
		return 25;
	}
}

#define DB_MAX_TYPED	16	/* parameters of db_query_typed */

struct db_rows *
db_query_typed(struct db *db, const char *sql, int n,
    const enum db_type *types, const char *const *params, struct buf *err)
{
	Oid	 oids[DB_MAX_TYPED];
	int	 i;

	if (n < 0 || n > DB_MAX_TYPED) {
		buf_puts(err, "too many typed parameters");
		return NULL;
	}
	for (i = 0; i < n; i++)
		oids[i] = type_oid(types[i]);
	return rows_of(run(db, sql, n, oids, params, true, NULL, err), err);
}

static bool
is_prepared(const struct db *db, const char *name)
{
	size_t	 i;

	for (i = 0; i < db->nprepared; i++)
		if (strcmp(db->prepared[i], name) == 0)
			return true;
	return false;
}

bool
db_prepare(struct db *db, const char *name, const char *sql, int n,
    struct buf *err)
{
	PGresult	*res;
	char		**v;

	if (is_prepared(db, name))
		return true;
	v = realloc(db->prepared, (db->nprepared + 1) * sizeof(*v));
	if (v == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	db->prepared = v;
	if ((v[db->nprepared] = strdup(name)) == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	res = PQprepare(db->c, name, sql, n, NULL);
	if (!status_ok(res, false)) {
		fail(db, res, NULL, err);
		PQclear(res);
		free(v[db->nprepared]);
		return false;
	}
	PQclear(res);
	db->nprepared++;
	return true;
}

bool
db_exec_prepared(struct db *db, const char *name, int n,
    const char *const *params, struct buf *err)
{
	PGresult	*res;
	bool		 ok;

	res = PQexecPrepared(db->c, name, n, params, NULL, NULL, 0);
	if (!(ok = status_ok(res, false)))
		fail(db, res, NULL, err);
	PQclear(res);
	return ok;
}

size_t
db_nrows(const struct db_rows *r)
{
	return (size_t)PQntuples(r->res);
}

size_t
db_ncols(const struct db_rows *r)
{
	return (size_t)PQnfields(r->res);
}

const char *
db_get(const struct db_rows *r, size_t row, size_t col)
{
	return PQgetvalue(r->res, (int)row, (int)col);
}

bool
db_null(const struct db_rows *r, size_t row, size_t col)
{
	return PQgetisnull(r->res, (int)row, (int)col);
}

bool
db_bool(const struct db_rows *r, size_t row, size_t col)
{
	return strcmp(db_get(r, row, col), "t") == 0;
}

void
db_rows_free(struct db_rows *r)
{
	if (r == NULL)
		return;
	PQclear(r->res);
	free(r);
}

/* --- transactions --- */

bool
db_retryable(const char *sqlstate)
{
	return strcmp(sqlstate, "40P01") == 0 ||	/* deadlock */
	    strcmp(sqlstate, "40001") == 0;		/* serialization */
}

enum db_state
db_state(struct db *db)
{
	switch (PQtransactionStatus(db->c)) {
	case PQTRANS_IDLE:
		return DB_IDLE;
	case PQTRANS_INTRANS:
		return DB_IN_TX;
	case PQTRANS_INERROR:
		return DB_IN_FAILED_TX;
	default:
		return DB_BROKEN;
	}
}

static bool
attempt(struct db *db, enum db_tx_mode mode, db_tx_fn fn, void *arg,
    struct buf *err)
{
	/*
	 * A write's COMMIT returns only once it is on disk, whatever the
	 * server's synchronous_commit: the caller acts on it at once (a
	 * Maildir message moves to cur/), and with the setting off a crash of
	 * the server just after lost 100-200 committed messages for good.
	 */
	const char	*begin = mode == DB_TX_SNAPSHOT ?
	    "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY" :
	    "BEGIN; SET LOCAL synchronous_commit = on";

	db->state[0] = '\0';
	return exec_what(db, begin, "BEGIN", err) && fn(db, arg, err) &&
	    exec_what(db, "COMMIT", "COMMIT", err);
}

bool
db_tx(struct db *db, enum db_tx_mode mode, db_tx_fn fn, void *arg,
    struct buf *err)
{
	struct buf	 why = BUF_INIT, ignore = BUF_INIT;
	struct timespec	 pause;
	int		 tries;
	bool		 ok = false;

	for (tries = 1; tries <= DB_TX_TRIES; tries++) {
		buf_reset(&why);
		if ((ok = attempt(db, mode, fn, arg, &why)))
			break;
		if (PQstatus(db->c) == CONNECTION_OK &&
		    db_state(db) != DB_IDLE)
			exec_what(db, "ROLLBACK", NULL, &ignore);
		if (!db_retryable(db->state) || tries == DB_TX_TRIES)
			break;
		pause.tv_sec = 0;
		pause.tv_nsec = RETRY_PAUSE_NS * tries;
		nanosleep(&pause, NULL);
	}
	if (!ok)
		buf_append(err, why.data, why.len);
	buf_free(&why);
	buf_free(&ignore);
	return ok;
}

/* --- COPY --- */

static bool
copy_send(struct db *db, struct buf *b, bool end, struct buf *err)
{
	if (!buf_ok(b)) {
		buf_puts(err, "out of memory");
		return false;
	}
	if (b->len > 0 && PQputCopyData(db->c, b->data, (int)b->len) != 1) {
		fail(db, NULL, "COPY", err);
		return false;
	}
	buf_reset(b);
	if (end && PQputCopyEnd(db->c, NULL) != 1) {
		fail(db, NULL, "COPY", err);
		return false;
	}
	return true;
}

bool
db_copy(struct db *db, const char *sql, db_copy_fn fill, void *arg,
    struct buf *err)
{
	struct buf	 b = BUF_INIT;
	PGresult	*res;
	bool		 more = true, ok = true;

	res = PQexec(db->c, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		fail(db, res, sql, err);
		PQclear(res);
		return false;
	}
	PQclear(res);
	while (ok && more) {
		more = fill(&b, arg);
		if (b.len >= COPY_CHUNK || !more)
			ok = copy_send(db, &b, !more, err);
	}
	if (!ok)
		PQputCopyEnd(db->c, "fblscope: COPY abandoned");
	buf_free(&b);
	while ((res = PQgetResult(db->c)) != NULL) {
		if (ok && PQresultStatus(res) != PGRES_COMMAND_OK) {
			fail(db, res, sql, err);
			ok = false;
		}
		PQclear(res);
	}
	return ok;
}

static void
copy_sep(struct buf *b, bool last)
{
	buf_putc(b, last ? '\n' : '\t');
}

void
db_copy_null(struct buf *b, bool last)
{
	buf_puts(b, "\\N");
	copy_sep(b, last);
}

/* Backslash, tab, LF and CR escaped; NULL is SQL NULL. */
void
db_copy_text(struct buf *b, const char *s, bool last)
{
	const char	*p;

	if (s == NULL) {
		db_copy_null(b, last);
		return;
	}
	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		default:
			buf_putc(b, *p);
		}
	}
	copy_sep(b, last);
}

/* bytea in hex form: "\x..." with its backslash escaped. */
void
db_copy_bytea(struct buf *b, const unsigned char *p, size_t len, bool last)
{
	buf_puts(b, "\\\\x");
	hex_put(b, p, len);
	copy_sep(b, last);
}

void
db_copy_bool(struct buf *b, bool v, bool last)
{
	buf_putc(b, v ? 't' : 'f');
	copy_sep(b, last);
}

void
db_copy_tri(struct buf *b, int v, bool last)
{
	if (v < 0)
		db_copy_null(b, last);
	else
		db_copy_bool(b, v != 0, last);
}

void
db_copy_int(struct buf *b, int64_t v, bool present, bool last)
{
	if (!present) {
		db_copy_null(b, last);
		return;
	}
	buf_printf(b, "%" PRId64, v);
	copy_sep(b, last);
}

void
db_copy_uint(struct buf *b, uint64_t v, bool present, bool last)
{
	if (!present) {
		db_copy_null(b, last);
		return;
	}
	buf_printf(b, "%" PRIu64, v);
	copy_sep(b, last);
}
