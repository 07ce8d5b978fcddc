/* SPDX-License-Identifier: ISC */
/*
 * test_cli: time parsing for --at, bounded decimals, the shared key-source
 * options and reading a message file.
 *
 * Expected epoch values were computed independently with GNU date, e.g.
 *   date -u -d "2026-11-22 10:11:12+02:00" +%s
 */
#include <limits.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/file.h"
#include "tests/unit/unit.h"
#include "base/date.h"
#include "verifier/cli.h"

static void
check_time(const char *tname, const char *in, int64_t want)
{
	int64_t	 got = -424242;
	char	 n[160];

	snprintf(n, sizeof(n), "%s-ok", tname);
	CHECK_TRUE(n, date_parse_time(in, &got));
	CHECK_INT(tname, got, want);
}

static void
check_time_bad(const char *tname, const char *in)
{
	int64_t	 got = 0;

	CHECK_TRUE(tname, !date_parse_time(in, &got));
}

static void
test_time(void)
{
	check_time("cli/time-epoch-0", "0", 0);
	check_time("cli/time-epoch", "1700000000", 1700000000);
	check_time("cli/time-epoch-max", "253402300799", 253402300799LL);

	check_time("cli/time-date", "2026-11-22", 1795305600);
	check_time("cli/time-iso-z", "2026-11-22T10:11:12Z", 1795342272);
	check_time("cli/time-iso-no-zone", "2026-11-22T10:11:12", 1795342272);
	check_time("cli/time-iso-plus", "2026-11-22T10:11:12+02:00",
	    1795335072);
	check_time("cli/time-iso-minus-half", "2026-11-22T10:11:12-05:30",
	    1795362072);
	check_time("cli/time-iso-no-seconds", "2026-11-22T10:11Z", 1795342260);
	check_time("cli/time-iso-offset-day-back", "2026-01-01T00:30:00+01:00",
	    1767223800);
	check_time("cli/time-leap-day", "2024-02-29T12:00:00Z", 1709208000);
	check_time("cli/time-2000-03-01", "2000-03-01", 951868800);
	check_time("cli/time-epoch-date", "1970-01-01T00:00:00Z", 0);

	/* RFC 5322 date-time (section 3.3) */
	check_time("cli/time-rfc5322", "Tue, 1 Jul 2003 10:52:37 +0200",
	    1057049557);
	check_time("cli/time-rfc5322-no-dow", "1 Jul 2003 10:52:37 +0200",
	    1057049557);
	check_time("cli/time-rfc5322-no-seconds", "Tue, 1 Jul 2003 10:52 +0200",
	    1057049520);
	check_time("cli/time-rfc5322-two-digit-day",
	    "Sun, 22 Nov 2026 10:11:12 +0000", 1795342272);
	check_time("cli/time-rfc5322-minus-zero",
	    "Sun, 22 Nov 2026 10:11:12 -0000", 1795342272);
	check_time("cli/time-rfc5322-gmt", "Sun, 22 Nov 2026 10:11:12 GMT",
	    1795342272);
	check_time("cli/time-rfc5322-lower-month",
	    "22 nov 2026 10:11:12 +0000", 1795342272);

	check_time_bad("cli/time-bad-empty", "");
	check_time_bad("cli/time-bad-word", "yesterday");
	check_time_bad("cli/time-bad-trailing", "12abc");
	check_time_bad("cli/time-bad-negative", "-5");
	check_time_bad("cli/time-bad-epoch-too-big", "253402300800");
	check_time_bad("cli/time-bad-month-13", "2026-13-01");
	check_time_bad("cli/time-bad-month-0", "2026-00-10");
	check_time_bad("cli/time-bad-day-32", "2026-01-32");
	check_time_bad("cli/time-bad-hour-25", "2026-11-22T25:00:00Z");
	check_time_bad("cli/time-bad-minute-60", "2026-11-22T10:60:00Z");
	check_time_bad("cli/time-bad-zone-junk", "2026-11-22T10:11:12+02:00x");
	check_time_bad("cli/time-bad-zone-word", "2026-11-22T10:11:12 PST8");
	check_time_bad("cli/time-bad-offset-hour", "2026-11-22T10:11:12+24:00");
	check_time_bad("cli/time-bad-suffix", "2026-11-22X");
	check_time_bad("cli/time-bad-month-name",
	    "Tue, 1 Foo 2003 10:52:37 +0200");
	check_time_bad("cli/time-bad-rfc5322-zone",
	    "Tue, 1 Jul 2003 10:52:37 +2");
	/* a calendar date that does not exist */
	check_time_bad("cli/time-bad-feb-30", "2026-02-30");
	check_time_bad("cli/time-bad-apr-31", "2026-04-31T00:00:00Z");
}

static void
test_uint(void)
{
	unsigned long	 v = 77;

	CHECK_TRUE("cli/uint-ok", cli_parse_uint("5", 0, 10, &v) && v == 5);
	CHECK_TRUE("cli/uint-min-inclusive", cli_parse_uint("1", 1, 10, &v) &&
	    v == 1);
	CHECK_TRUE("cli/uint-max-inclusive", cli_parse_uint("10", 0, 10, &v) &&
	    v == 10);
	CHECK_TRUE("cli/uint-zero", cli_parse_uint("0", 0, 10, &v) && v == 0);
	CHECK_TRUE("cli/uint-leading-zeros",
	    cli_parse_uint("007", 0, 10, &v) && v == 7);
	CHECK_TRUE("cli/uint-above-max", !cli_parse_uint("11", 0, 10, &v));
	CHECK_TRUE("cli/uint-below-min", !cli_parse_uint("0", 1, 10, &v));
	CHECK_TRUE("cli/uint-negative", !cli_parse_uint("-1", 0, ULONG_MAX,
	    &v));
	CHECK_TRUE("cli/uint-plus", !cli_parse_uint("+1", 0, 10, &v));
	CHECK_TRUE("cli/uint-leading-space", !cli_parse_uint(" 1", 0, 10, &v));
	CHECK_TRUE("cli/uint-trailing-space", !cli_parse_uint("1 ", 0, 10,
	    &v));
	CHECK_TRUE("cli/uint-empty", !cli_parse_uint("", 0, 10, &v));
	CHECK_TRUE("cli/uint-null", !cli_parse_uint(NULL, 0, 10, &v));
	CHECK_TRUE("cli/uint-hex", !cli_parse_uint("0x10", 0, 100, &v));
	CHECK_TRUE("cli/uint-alpha", !cli_parse_uint("ten", 0, 100, &v));
	CHECK_TRUE("cli/uint-ulong-max",
	    cli_parse_uint("18446744073709551615", 0, ULONG_MAX, &v) &&
	    v == ULONG_MAX);
	CHECK_TRUE("cli/uint-overflow",
	    !cli_parse_uint("18446744073709551616", 0, ULONG_MAX, &v));
	CHECK_TRUE("cli/uint-huge",
	    !cli_parse_uint("99999999999999999999999999", 0, ULONG_MAX, &v));
}

static void
test_keys_option(void)
{
	struct cli_keys	 k;
	struct buf	 err = BUF_INIT;
	size_t		 i;
	bool		 ok = true;

	memset(&k, 0, sizeof(k));
	CHECK_TRUE("cli/opt-timeout-ok",
	    cli_keys_option(&k, CLI_OPT_TIMEOUT, "2500", &err) &&
	    k.timeout_ms == 2500 && err.len == 0);
	CHECK_TRUE("cli/opt-timeout-zero",
	    !cli_keys_option(&k, CLI_OPT_TIMEOUT, "0", &err) && err.len > 0);
	buf_reset(&err);
	CHECK_TRUE("cli/opt-timeout-junk",
	    !cli_keys_option(&k, CLI_OPT_TIMEOUT, "5s", &err) && err.len > 0);
	buf_reset(&err);
	CHECK_TRUE("cli/opt-retries-ok",
	    cli_keys_option(&k, CLI_OPT_RETRIES, "0", &err) && k.retries == 0);
	CHECK_TRUE("cli/opt-retries-too-many",
	    !cli_keys_option(&k, CLI_OPT_RETRIES, "11", &err));
	buf_reset(&err);
	for (i = 0; i < CLI_MAX_LIST; i++)
		if (!cli_keys_option(&k, CLI_OPT_RESOLVER, "127.0.0.1", &err))
			ok = false;
	CHECK_TRUE("cli/opt-resolver-list", ok &&
	    k.nresolvers == CLI_MAX_LIST);
	CHECK_TRUE("cli/opt-resolver-overflow",
	    !cli_keys_option(&k, CLI_OPT_RESOLVER, "127.0.0.2", &err) &&
	    k.nresolvers == CLI_MAX_LIST && err.len > 0);
	buf_reset(&err);
	CHECK_TRUE("cli/opt-zone", cli_keys_option(&k, CLI_OPT_ZONE, "z.zone",
	    &err) && k.nzones == 1 && strcmp(k.zones[0], "z.zone") == 0);
	CHECK_TRUE("cli/opt-unknown-ignored",
	    cli_keys_option(&k, CLI_OPT_FIRST_FREE + 7, "x", &err) &&
	    err.len == 0);
	buf_free(&err);
}

static void
test_shared_option(void)
{
	struct cli_keys	 k;
	struct buf	 err = BUF_INIT;
	int64_t		 now = 7;

	cli_keys_init(&k);
	CHECK_TRUE("cli/shared-at", cli_shared_option(&k, &now, CLI_OPT_AT,
	    "2026-11-21T08:00Z", &err) && now == 1795248000 && err.len == 0);
	CHECK_TRUE("cli/shared-at-bad", !cli_shared_option(&k, &now,
	    CLI_OPT_AT, "soon", &err) && strcmp(buf_cstr(&err),
	    "--at: unrecognised time") == 0 && now == 1795248000);
	buf_reset(&err);
	CHECK_TRUE("cli/shared-unknown", !cli_shared_option(&k, &now, '?',
	    NULL, &err) && strcmp(buf_cstr(&err), "unknown option") == 0);
	buf_reset(&err);
	CHECK_TRUE("cli/shared-keys", cli_shared_option(&k, &now,
	    CLI_OPT_ZONE, "z.zone", &err) && k.nzones == 1);
	buf_free(&err);
}

/* What cli_getopt says of the first option of argv it refuses. */
static const char *
refused(int argc, char **argv)
{
	static const struct option lo[] = {
		{ "db", required_argument, NULL, CLI_OPT_DB },
		{ "days", required_argument, NULL, CLI_OPT_FIRST_FREE },
		CLI_AT_LONGOPT,
		CLI_AT_DATE_ALIAS_LONGOPT,
		{ "keep", no_argument, NULL, CLI_OPT_FIRST_FREE + 1 },
		CLI_HELP_LONGOPT_END,
	};
	int	 ch;

	optind = 1;
	while ((ch = cli_getopt(argc, argv, lo)) != -1)
		if (ch == '?')
			return cli_bad_option();
	return "accepted";
}

static void
test_getopt(void)
{
	char	 cmd[] = "cmd", a[] = "--nope", b[] = "--d", c[] = "--at",
		 d[] = "--keep=1", e[] = "-x", f[] = "--da", g[] = "2026-11-21",
		 h[] = "--keep", i[] = "--nope=3", j[] = "--dat";
	char	*v1[] = { cmd, a, NULL }, *v2[] = { cmd, b, g, NULL },
		*v3[] = { cmd, c, NULL }, *v4[] = { cmd, d, NULL },
		*v5[] = { cmd, h, e, NULL }, *v6[] = { cmd, f, g, NULL },
		*v7[] = { cmd, i, NULL }, *v8[] = { cmd, j, g, NULL };
	struct buf	 jerr = BUF_INIT;
	unsigned	 jobs = 0;

	CHECK_STR("cli/getopt-unknown", refused(2, v1),
	    "unrecognized option \"--nope\"");
	CHECK_STR("cli/getopt-ambiguous", refused(3, v2),
	    "ambiguous option \"--d\"");
	CHECK_STR("cli/getopt-needs-value", refused(2, v3),
	    "option \"--at\" needs a value");
	CHECK_STR("cli/getopt-takes-no-value", refused(2, v4),
	    "option \"--keep\" takes no value");
	CHECK_STR("cli/getopt-short", refused(3, v5),
	    "unrecognized option \"-x\"");
	/* --da: --date or --days, two options */
	CHECK_STR("cli/getopt-ambiguous-alias", refused(3, v6),
	    "ambiguous option \"--da\"");
	CHECK_STR("cli/getopt-unknown-value", refused(2, v7),
	    "unrecognized option \"--nope\"");
	/* --dat: only --date, the alias of --at */
	CHECK_STR("cli/getopt-alias-prefix", refused(3, v8), "accepted");
	CHECK_TRUE("cli/jobs-ok", cli_jobs_option("64", &jobs, &jerr) &&
	    jobs == 64);
	CHECK_TRUE("cli/jobs-zero", !cli_jobs_option("0", &jobs, &jerr) &&
	    strcmp(buf_cstr(&jerr), "--jobs: want 1 to 64") == 0);
	buf_reset(&jerr);
	CHECK_TRUE("cli/jobs-over", !cli_jobs_option("65", &jobs, &jerr) &&
	    jobs == 64);
	buf_free(&jerr);
}

static void
test_read_file(void)
{
	char	 path[] = "/tmp/test_cli.XXXXXX";
	struct buf out = BUF_INIT, err = BUF_INIT;
	const char content[] = "From: a\r\n\r\nb\0c";
	size_t	 clen = sizeof(content) - 1;
	int	 fd;

	if ((fd = mkstemp(path)) == -1 ||
	    write(fd, content, clen) != (ssize_t)clen || close(fd) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
	CHECK_TRUE("cli/read-ok", file_read(path, 1000, &out, &err));
	CHECK_MEM("cli/read-bytes", buf_cstr(&out), out.len, content, clen);
	CHECK_INT("cli/read-no-err", err.len, 0);
	/* exactly max bytes is fine, one over is not */
	CHECK_TRUE("cli/read-at-max", file_read(path, clen, &out, &err));
	CHECK_TRUE("cli/read-over-max",
	    !file_read(path, clen - 1, &out, &err));
	CHECK_TRUE("cli/read-over-max-names-file",
	    strstr(buf_cstr(&err), path) != NULL);
	buf_reset(&err);
	unlink(path);
	CHECK_TRUE("cli/read-missing", !file_read(path, 1000, &out, &err));
	CHECK_TRUE("cli/read-missing-names-file",
	    strstr(buf_cstr(&err), path) != NULL);
	buf_free(&out);
	buf_free(&err);
}

/* RFC 5322 section 4.3 obsolete forms seen in ISP reports */
static void
test_obsolete_dates(void)
{
	int64_t	 t;

	/* PST is -0800: 2013-04-30 07:45:50 UTC */
	CHECK_TRUE("cli/time-obs-pst", date_parse_time(
	    "Thu, 29 Apr 2013 23:45:50 PST", &t) && t == 1367307950);
	/* EDT is -0400: 2005-03-08 21:40:36 UTC */
	CHECK_TRUE("cli/time-obs-edt", date_parse_time(
	    "Tue, 8 Mar 2005 17:40:36 EDT", &t) && t == 1110318036);
	/* a two-digit year below 50 is 20yy: 2010-12-30 18:37:16 UTC */
	CHECK_TRUE("cli/time-obs-2digit-year", date_parse_time(
	    "Thu, 30 Dec 10 10:37:16 -0800", &t) && t == 1293734236);
	/* military zones count as -0000 */
	CHECK_TRUE("cli/time-obs-military", date_parse_time(
	    "30 Dec 2010 18:37:16 Z", &t) && t == 1293734236);
	CHECK_TRUE("cli/time-obs-ut", date_parse_time(
	    "30 Dec 2010 18:37:16 UT", &t) && t == 1293734236);
	/* fractions of a second (Amazon SES): 2016-11-25 01:49:01 UTC */
	CHECK_TRUE("cli/time-iso-fraction", date_parse_time(
	    "2016-11-25T01:49:01.000Z", &t) && t == 1480038541);
	CHECK_TRUE("cli/time-iso-dot-alone", !date_parse_time(
	    "2016-11-25T01:49:01.Z", &t));
}

int
main(void)
{
	test_time();
	test_uint();
	test_keys_option();
	test_shared_option();
	test_getopt();
	test_read_file();
	test_obsolete_dates();
	return UNIT_DONE();
}
