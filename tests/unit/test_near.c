/* SPDX-License-Identifier: ISC */
/*
 * test_near: edit distances and close names (base/near.h), worked out by
 * hand.
 */
#include "base/near.h"
#include "tests/unit/unit.h"

static void
test_distance(void)
{
	char	 longname[NEAR_MAX_LEN + 2];

	CHECK_INT("near/same", near_distance("cust-01", "cust-01"), 0);
	CHECK_INT("near/substitute", near_distance("cust-01", "cust-02"), 1);
	CHECK_INT("near/insert", near_distance("cust-1", "cust-01"), 1);
	CHECK_INT("near/delete", near_distance("cust-001", "cust-01"), 1);
	/* cust-999 -> cust-99 -> cust-09 */
	CHECK_INT("near/two", near_distance("cust-999", "cust-09"), 2);
	CHECK_INT("near/empty", near_distance("", "abc"), 3);
	CHECK_INT("near/kitten", near_distance("kitten", "sitting"), 3);
	memset(longname, 'a', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	CHECK_INT("near/too-long", near_distance(longname, "a"),
	    NEAR_MAX_LEN + 1);
}

static void
test_close(void)
{
	size_t	 rank;

	CHECK_TRUE("near/close-two", near_close("cust-999", "cust-09", &rank) &&
	    rank == 2);
	CHECK_TRUE("near/close-prefix", near_close("cust-0", "cust-07",
	    &rank) && rank == 0);
	CHECK_TRUE("near/not-itself", !near_close("cust-01", "cust-01",
	    &rank));
	CHECK_TRUE("near/far", !near_close("cust-999", "cust-1", &rank) &&
	    rank == 3);
	/* short names: one edit only */
	CHECK_TRUE("near/short-one", near_close("ab", "ac", &rank));
	CHECK_TRUE("near/short-two", !near_close("ab", "ba", &rank));
	CHECK_TRUE("near/empty-prefix", !near_close("", "abcd", &rank));
}

int
main(void)
{
	test_distance();
	test_close();
	return UNIT_DONE();
}
