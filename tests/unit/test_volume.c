/*
 * test_volume: the CSV of `fblscope volume import` (fbl/volume.h): the
 * header, each column's checks and their FILE:LINE messages, duplicates,
 * and that a bad file yields no rows to store.  Texts are parsed from
 * exact-size heap copies so that the sanitizer build catches a read past
 * the end.  Expected values are written out by hand.
 */
#include <stdlib.h>

#include "base/date.h"
#include "fbl/volume.h"
#include "tests/unit/unit.h"

static struct volume_set	 set;
static struct buf		 err = BUF_INIT;

static bool
parse(const char *text)
{
	size_t	 len = strlen(text);
	char	*copy;
	bool	 ok;

	volume_set_free(&set);
	buf_reset(&err);
	if ((copy = malloc(len ? len : 1)) == NULL)
		exit(2);
	memcpy(copy, text, len);
	ok = volume_parse(&set, "v.csv", copy, len, &err);
	free(copy);
	return ok;
}

static bool
has(const char *needle)
{
	return strstr(buf_cstr(&err), needle) != NULL;
}

static void
test_good(void)
{
	CHECK_TRUE("volume/good", parse("day,token,isp,sent,delivered\r\n"
	    "2026-11-01,Customer01.Example.,*,1000,\r\n"
	    "\n"
	    " 2024-02-29 , cust-01 , Yahoo , 30 , 25 \n"
	    "2026-11-02,fbl.myesp.example,gmx,0,0"));
	CHECK_INT("volume/good-rows", set.n, 3);
	CHECK_STR("volume/domain-folded", set.v[0].token, "customer01.example");
	CHECK_INT("volume/delivered-unknown", set.v[0].delivered, -1);
	CHECK_STR("volume/customer-id-kept", set.v[1].token, "cust-01");
	CHECK_STR("volume/isp-lower", set.v[1].isp, "yahoo");
	CHECK_STR("volume/leap-day", set.v[1].day, "2024-02-29");
	CHECK_INT("volume/delivered", set.v[1].delivered, 25);
	CHECK_INT("volume/line", set.v[1].line, 4);
	CHECK_INT("volume/no-last-newline", set.v[2].sent, 0);
	CHECK_TRUE("volume/four-columns", parse("DAY,Token,ISP,Sent\n"
	    "2026-11-01,a.example,*,5\n") && set.n == 1 &&
	    set.v[0].delivered == -1);
}

static void
test_bad(void)
{
	static const struct {
		const char	*row;
		const char	*msg;
	} cases[] = {
		{ "2026-02-29,a.example,*,1,", "v.csv:2: day \"2026-02-29\" "
		    "is not a date YYYY-MM-DD" },
		{ "2026-11-1,a.example,*,1,", "v.csv:2: day \"2026-11-1\"" },
		{ "2026-11-01,a.example,*,-1,", "v.csv:2: sent \"-1\" is "
		    "negative" },
		{ "2026-11-01,a.example,*,1.5,", "v.csv:2: sent \"1.5\" is "
		    "not a whole number" },
		{ "2026-11-01,a.example,*,,", "v.csv:2: sent \"\" is empty" },
		{ "2026-11-01,a.example,*,9999999999999999,", "is too large" },
		{ "2026-11-01,a.example,*,5,6", "v.csv:2: delivered 6 exceeds "
		    "sent 5" },
		{ "2026-11-01,a.example,*,5,-1", "delivered \"-1\" is "
		    "negative" },
		{ "2026-11-01,a.example,*", "v.csv:2: missing column" },
		{ "2026-11-01,a.example,*,1,2,3", "more columns" },
		{ "2026-11-01,,*,1,", "token \"\" is empty" },
		{ "2026-11-01,a b,*,1,", "holds a blank" },
		{ "2026-11-01,a.example,ya hoo,1,", "isp \"ya hoo\" is not" },
		{ "2026-11-01,\"a.example\",*,1,", "quoted fields" },
	};
	char	 name[64], text[256];
	size_t	 i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(text, sizeof(text), "day,token,isp,sent,delivered\n"
		    "%s\n", cases[i].row);
		snprintf(name, sizeof(name), "volume/bad-%zu", i);
		CHECK_TRUE(name, !parse(text) && has(cases[i].msg) &&
		    set.nerrors == 1 && set.n == 0);
		if (!has(cases[i].msg))
			printf("# %s", buf_cstr(&err));
	}
	CHECK_TRUE("volume/no-header", !parse("") && has("v.csv:1: no "
	    "header"));
	CHECK_TRUE("volume/wrong-header", !parse("day,token,reporter,sent\n") &&
	    has("v.csv:1: header column 3 must be \"isp\""));
	CHECK_TRUE("volume/nul", !parse("day,token,isp,sent\n\0") ||
	    set.n == 0);
}

static void
test_many_errors(void)
{
	struct buf	 t = BUF_INIT;
	int		 i;

	buf_puts(&t, "day,token,isp,sent\n");
	for (i = 0; i < 50; i++)
		buf_puts(&t, "x,a.example,*,1\n");
	buf_puts(&t, "2026-11-01,a.example,*,1\n");
	CHECK_TRUE("volume/many-errors", !parse(buf_cstr(&t)));
	CHECK_INT("volume/many-errors-counted", set.nerrors, 50);
	CHECK_INT("volume/many-errors-shown", (intmax_t)(strchr(buf_cstr(&err),
	    '\0') - buf_cstr(&err)) > 0, 1);
	buf_free(&t);
}

static void
test_duplicates(void)
{
	parse("day,token,isp,sent\n2026-11-01,a.example,*,1\n"
	    "2026-11-01,b.example,*,1\n2026-11-01,A.EXAMPLE,*,2\n");
	buf_reset(&err);
	CHECK_TRUE("volume/duplicate", !volume_check_duplicates(&set, &err) &&
	    has("v.csv:4: 2026-11-01 a.example * is already given at "
	    "v.csv:2"));
	parse("day,token,isp,sent\n2026-11-01,a.example,*,1\n"
	    "2026-11-01,a.example,yahoo,1\n2026-11-02,a.example,*,2\n");
	CHECK_TRUE("volume/no-duplicate", volume_check_duplicates(&set, &err));
}

static void
test_days(void)
{
	CHECK_TRUE("volume/day-ok", date_parse_day("2000-02-29", 10, NULL, NULL, NULL, NULL));
	CHECK_TRUE("volume/day-1900", !date_parse_day("2100-02-29", 10, NULL, NULL, NULL, NULL));
	CHECK_TRUE("volume/day-month", !date_parse_day("2026-00-10", 10, NULL, NULL, NULL, NULL));
	CHECK_TRUE("volume/day-april", !date_parse_day("2026-04-31", 10, NULL, NULL, NULL, NULL));
	CHECK_TRUE("volume/day-length", !date_parse_day("2026-04-301", 11, NULL, NULL, NULL, NULL));
}

int
main(void)
{
	test_good();
	test_bad();
	test_many_errors();
	test_duplicates();
	test_days();
	volume_set_free(&set);
	buf_free(&err);
	return UNIT_DONE();
}
