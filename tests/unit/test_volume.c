/* SPDX-License-Identifier: ISC */
/*
 * test_volume: the CSV of `fblscope volume import` (fbl/volume.h): the
 * header (columns in any order, missing ones named), quoted fields, each
 * column's checks and their FILE:LINE messages, the limits, unknown ISPs
 * and customers, duplicates, and that a bad file yields no rows to store.  Texts are parsed from
 * exact-size heap copies so that the sanitizer build catches a read past
 * the end.  Expected values are written out by hand.
 */
#include <stdlib.h>

#include "base/date.h"
#include "fbl/config.h"
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
		{ "2026-11-01,a\"example,*,1,", "v.csv:2: a quote inside an "
		    "unquoted field" },
		{ "2026-11-01,\"a.example\"x,*,1,", "text after a closing "
		    "quote" },
		{ "2026-11-01,\"a\nb\",*,1,", "v.csv:2: token \"a\\nb\" holds "
		    "a blank" },
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
	    has("v.csv:1: unknown column \"reporter\"") &&
	    has("v.csv:1: the header lacks the column isp (") &&
	    set.nerrors == 2);
	CHECK_TRUE("volume/missing-columns-named", !parse("token,day\n") &&
	    has("v.csv:1: the header lacks the columns isp, sent (want day, "
	    "token, isp, sent and, optionally, delivered, in any order)"));
	CHECK_TRUE("volume/column-twice", !parse("day,token,isp,sent,Day\n") &&
	    has("v.csv:1: column \"day\" given twice"));
	CHECK_TRUE("volume/data-first", !parse("2026-11-01,a.example,*,1\n") &&
	    has("v.csv:1: no header: the first line must name the columns") &&
	    set.nerrors == 1);
	CHECK_TRUE("volume/header-not-closed", !parse("day,\"token\n"
	    "2026-11-01,a.example,*,1\n") && has("v.csv:1: a quote opened on "
	    "line 1 is not closed") && set.n == 0);
	CHECK_TRUE("volume/nul", !parse("day,token,isp,sent\n\0") ||
	    set.n == 0);
}

/* RFC 4180 as spreadsheets export it: quoted, any order, CR LF. */
static void
test_quoted(void)
{
	CHECK_TRUE("volume/quoted", parse("\"ISP\",\"Sent\",\"Token\",\"Day\"\r\n"
	    "\"yahoo\",\"1000\",\"Customer01.Example\",\"2026-11-01\"\r\n"
	    "\r\n"
	    "*, 7 ,\"cust-01\",2026-11-02\r\n"));
	CHECK_INT("volume/quoted-rows", set.n, 2);
	CHECK_STR("volume/quoted-token", set.n > 0 ? set.v[0].token : "",
	    "customer01.example");
	CHECK_STR("volume/quoted-isp", set.n > 0 ? set.v[0].isp : "", "yahoo");
	CHECK_INT("volume/quoted-sent", set.n > 0 ? set.v[0].sent : 0, 1000);
	CHECK_STR("volume/any-order-day", set.n > 1 ? set.v[1].day : "",
	    "2026-11-02");
	CHECK_INT("volume/any-order-line", set.n > 1 ? set.v[1].line : 0, 4);
	CHECK_INT("volume/no-delivered-column", set.n > 1 ?
	    set.v[1].delivered : 0, -1);
	/* a quoted line end moves the lines that follow */
	CHECK_TRUE("volume/quoted-line-end", !parse("day,token,isp,sent\n"
	    "2026-11-01,a.example,*,\"1,000\"\n"
	    "2026-11-01,b.example,*,\"1\n2\"\n"
	    "2026-11-01,c.example,*,x\n") &&
	    has("v.csv:2: sent \"1,000\" is not a whole number") &&
	    has("v.csv:3: sent \"1\\n2\" is not a whole number") &&
	    has("v.csv:5: sent \"x\""));
}

/* Each limit at its edge: VOLUME_MAX_LINE, VOLUME_MAX_FIELDS. */
static void
test_limits(void)
{
	struct buf	 t = BUF_INIT;
	size_t		 pad;

	/* a row of exactly VOLUME_MAX_LINE bytes (blanks are trimmed) */
	buf_puts(&t, "day,token,isp,sent\n2026-11-01,a.example,*,1");
	for (pad = t.len - 19; pad < VOLUME_MAX_LINE; pad++)
		buf_putc(&t, ' ');
	buf_putc(&t, '\n');
	CHECK_TRUE("volume/line-at-limit", parse(buf_cstr(&t)) && set.n == 1);
	buf_reset(&t);
	buf_puts(&t, "day,token,isp,sent\n2026-11-01,a.example,*,1");
	for (pad = t.len - 19; pad <= VOLUME_MAX_LINE; pad++)
		buf_putc(&t, ' ');
	buf_puts(&t, "\n2026-11-02,a.example,*,1\n");
	CHECK_TRUE("volume/line-over-limit", !parse(buf_cstr(&t)) &&
	    has("v.csv:2: a record longer than 4096 bytes") &&
	    set.nerrors == 1 && set.n == 1);
	buf_reset(&t);
	buf_puts(&t, "day,token,isp,sent\n2026-11-01,a.example,*,1");
	for (pad = 4; pad < VOLUME_MAX_FIELDS; pad++)
		buf_putc(&t, ',');
	buf_putc(&t, '\n');
	CHECK_TRUE("volume/fields-at-limit", !parse(buf_cstr(&t)) &&
	    has("v.csv:2: more columns than the header has: 16 fields"));
	buf_reset(&t);
	buf_puts(&t, "day,token,isp,sent\n2026-11-01,a.example,*,1");
	for (pad = 4; pad <= VOLUME_MAX_FIELDS; pad++)
		buf_putc(&t, ',');
	buf_putc(&t, '\n');
	CHECK_TRUE("volume/fields-over-limit", !parse(buf_cstr(&t)) &&
	    has("v.csv:2: more than 16 fields"));
	buf_free(&t);
}

static const char names_conf[] =
    "esp-domain fbl.myesp.example\n"
    "customer cust-001 customer.example\n"
    "customer-regex cust-003 '(?:[a-z0-9-]+\\.)+brand\\.example'\n";

/* Unknown ISPs and customers: problems, or warnings when allowed. */
static void
test_names(void)
{
	struct fbl_config	*cfg;
	struct buf		 cerr = BUF_INIT;
	static const char	 rows[] = "day,token,isp,sent\n"
	    "2026-11-01,customer.example,yahoo,1\n"		/* 2 */
	    "2026-11-01,cust-001,*,1\n"
	    "2026-11-01,shop.brand.example,aol,1\n"
	    "2026-11-01,fbl.myesp.example,microsoft,1\n"
	    "2026-11-01,mx.fbl.myesp.example,foo.com,1\n"
	    "2026-11-01,customer.example,hotmail,1\n"		/* 7 */
	    "2026-11-01,cust-99,usa.net,1\n"			/* 8 */
	    "2026-11-01,other.example,web.de,1\n"		/* 9 */
	    "2026-11-01,cust-003,hotmail.co.uk,1\n"		/* 10 */
	    "2026-11-01,cust-001,mail.foo.com,1\n"		/* 11 */
	    "2026-11-01,cust-001,example.com,1\n";		/* 12 */

	cfg = config_load_mem("n.conf", names_conf, sizeof(names_conf) - 1,
	    &cerr);
	CHECK_TRUE("volume/names-config", cfg != NULL);
	if (cfg == NULL) {
		printf("# %s\n", buf_cstr(&cerr));
		buf_free(&cerr);
		return;
	}
	CHECK_TRUE("volume/names-parse", parse(rows) && set.n == 11);
	CHECK_TRUE("volume/names-unknown", !volume_check_names(&set, cfg,
	    false, &err));
	CHECK_INT("volume/names-count", set.nerrors, 6);
	CHECK_TRUE("volume/isp-hint", has("v.csv:7: isp \"hotmail\" is no "
	    "reporter fblscope knows (did you mean microsoft?)\n"));
	CHECK_TRUE("volume/customer-id", has("v.csv:8: token \"cust-99\" is "
	    "no customer id of n.conf\n"));
	CHECK_TRUE("volume/customer-domain", has("v.csv:9: token "
	    "\"other.example\" is no customer or ESP domain of n.conf\n"));
	CHECK_TRUE("volume/isp-domain-hint", has("v.csv:10: isp "
	    "\"hotmail.co.uk\" is no reporter fblscope knows (did you mean "
	    "microsoft?)\n"));
	CHECK_TRUE("volume/isp-not-registrable", has("v.csv:11: isp "
	    "\"mail.foo.com\" is no reporter fblscope knows\n"));
	CHECK_TRUE("volume/isp-placeholder", has("v.csv:12: isp "
	    "\"example.com\""));

	parse(rows);
	CHECK_TRUE("volume/names-allowed", volume_check_names(&set, cfg, true,
	    &err) && set.nerrors == 0 && set.nwarnings == 6 &&
	    has("v.csv:8: warning: token \"cust-99\""));
	parse(rows);
	CHECK_TRUE("volume/names-no-config", !volume_check_names(&set, NULL,
	    false, &err) && set.nerrors == 4 && !has("cust-99"));
	config_free(cfg);
	buf_free(&cerr);
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
	test_quoted();
	test_limits();
	test_names();
	test_many_errors();
	test_duplicates();
	test_days();
	volume_set_free(&set);
	buf_free(&err);
	return UNIT_DONE();
}
