/* SPDX-License-Identifier: ISC */
/*
 * test_db: the parts of the database boundary (fbl/store/db.h) that need
 * no server: which SQLSTATEs make db_tx() try a transaction again, and
 * the COPY text format its writers produce (PostgreSQL's COPY documentation,
 * "Text Format": backslash escapes, \N for NULL, tab between columns,
 * newline after the last).  A refused connection gives its reason.  The
 * retry itself, against a server, is in tests/integration/db.sh.
 */
#include <stdlib.h>

#include "fbl/store/db.h"
#include "tests/unit/unit.h"

static void
test_retryable(void)
{
	CHECK_TRUE("db/retry-deadlock", db_retryable("40P01"));
	CHECK_TRUE("db/retry-serialization", db_retryable("40001"));
	CHECK_TRUE("db/no-retry-unique", !db_retryable("23505"));
	CHECK_TRUE("db/no-retry-check", !db_retryable("23514"));
	CHECK_TRUE("db/no-retry-lock-timeout", !db_retryable("55P03"));
	CHECK_TRUE("db/no-retry-none", !db_retryable(""));
}

static void
test_copy_text(void)
{
	struct buf	 b = BUF_INIT;

	db_copy_text(&b, "plain", false);
	db_copy_text(&b, "back\\slash\ttab\nlf\rcr", false);
	db_copy_text(&b, NULL, false);
	db_copy_text(&b, "", true);
	CHECK_STR("db/copy-text", buf_cstr(&b),
	    "plain\tback\\\\slash\\ttab\\nlf\\rcr\t\\N\t\n");
	buf_free(&b);
}

static void
test_copy_values(void)
{
	struct buf		 b = BUF_INIT;
	const unsigned char	 bytes[3] = { 0x00, 0xab, 0xff };

	db_copy_bytea(&b, bytes, sizeof(bytes), false);
	db_copy_bool(&b, true, false);
	db_copy_bool(&b, false, false);
	db_copy_tri(&b, -1, false);
	db_copy_tri(&b, 1, false);
	db_copy_int(&b, -42, true, false);
	db_copy_int(&b, 7, false, false);
	db_copy_uint(&b, 18446744073709551615u, true, false);
	db_copy_null(&b, true);
	CHECK_STR("db/copy-values", buf_cstr(&b),
	    "\\\\x00abff\tt\tf\t\\N\tt\t-42\t\\N\t18446744073709551615\t\\N\n");
	buf_free(&b);
}

static void
test_refused(void)
{
	struct buf	 err = BUF_INIT;
	struct db	*db;

	db = db_open("host=127.0.0.1 port=1 user=x dbname=x "
	    "connect_timeout=2", &err);
	CHECK_TRUE("db/open-refused", db == NULL && strncmp(buf_cstr(&err),
	    "cannot connect to PostgreSQL: ", 30) == 0 &&
	    strchr(buf_cstr(&err), '\n') == NULL);
	db_close(db);
	buf_free(&err);
}

int
main(void)
{
	test_retryable();
	test_copy_text();
	test_copy_values();
	test_refused();
	return UNIT_DONE();
}
