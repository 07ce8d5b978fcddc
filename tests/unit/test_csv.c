/* SPDX-License-Identifier: ISC */
/*
 * test_csv: RFC 4180 records through base/csv.h: quoting, doubled quotes,
 * commas and line ends inside quotes, LF and CR LF, blanks, the errors and
 * how reading goes on after them, and both limits at their edge.  Texts
 * are read from exact-size heap copies, so the sanitizer build catches a
 * read past the end.  Expected values are written out by hand.
 */
#include <stdlib.h>

#include "base/csv.h"
#include "tests/unit/unit.h"

/*
 * Every record of text as "line:field|field|...;" and every error as
 * "line:!reason;".
 */
static const char *
records(const char *text, size_t len, size_t max_record, size_t max_fields)
{
	static struct buf out = BUF_INIT;
	struct buf	 err = BUF_INIT;
	struct csv	 c;
	const char	*f;
	char		*copy;
	size_t		 i, n, guard = 0;
	int		 rc;

	buf_reset(&out);
	if ((copy = malloc(len ? len : 1)) == NULL)
		exit(2);
	memcpy(copy, text, len);
	if (!csv_init(&c, copy, len, max_record, max_fields))
		exit(2);
	while ((rc = csv_next(&c, &err)) != 0 && guard++ < 100) {
		buf_printf(&out, "%lu:", csv_line(&c));
		if (rc < 0) {
			buf_printf(&out, "!%s;", buf_cstr(&err));
			buf_reset(&err);
			continue;
		}
		for (i = 0; i < csv_nfields(&c); i++) {
			f = csv_field(&c, i, &n);
			buf_printf(&out, "%s", i > 0 ? "|" : "");
			buf_append(&out, f, n);
		}
		buf_puts(&out, csv_blank(&c) ? "(blank);" : ";");
	}
	csv_free(&c);
	free(copy);
	buf_free(&err);
	return buf_cstr(&out);
}

static const char *
rec(const char *text)
{
	return records(text, strlen(text), 4096, 16);
}

static void
test_rfc4180(void)
{
	CHECK_STR("csv/plain", rec("a,b,c\nd,e,f\n"), "1:a|b|c;2:d|e|f;");
	CHECK_STR("csv/crlf", rec("a,b\r\nc,d\r\n"), "1:a|b;2:c|d;");
	CHECK_STR("csv/no-last-line-end", rec("a,b\nc,d"), "1:a|b;2:c|d;");
	CHECK_STR("csv/quoted", rec("\"a\",\"b c\"\n"), "1:a|b c;");
	CHECK_STR("csv/embedded-comma", rec("\"1,000\",x\n"), "1:1,000|x;");
	CHECK_STR("csv/doubled-quote", rec("\"say \"\"hi\"\"\",\"\"\"\"\n"),
	    "1:say \"hi\"|\";");
	CHECK_STR("csv/quoted-newline-lines",
	    rec("\"two\nlines\",x\r\nnext,y\n"), "1:two\nlines|x;3:next|y;");
	CHECK_STR("csv/quoted-crlf-kept", rec("\"a\r\nb\"\r\n"),
	    "1:a\r\nb;");
	CHECK_STR("csv/empty-fields", rec(",,\n\"\",x\n"), "1:||;2:|x;");
	CHECK_STR("csv/blank-lines", rec("\n  \r\na\n"),
	    "1:(blank);2:(blank);3:a;");
	CHECK_STR("csv/blanks-trimmed", rec(" a , \"b \" ,c\t\n"),
	    "1:a|b |c;");
	CHECK_STR("csv/lone-cr-is-data", rec("a\rb,c\n"), "1:a\rb|c;");
	CHECK_STR("csv/cr-at-end", rec("a,b\r"), "1:a|b;");
	CHECK_STR("csv/empty-text", rec(""), "");
	CHECK_STR("csv/quoted-empty-not-blank", rec("\"\"\n"), "1:;");
}

static void
test_errors(void)
{
	CHECK_STR("csv/quote-in-plain-field", rec("a\"b,c\nd,e\n"),
	    "1:!a quote inside an unquoted field (quote the whole field, "
	    "doubling the quote);2:d|e;");
	CHECK_STR("csv/text-after-quote", rec("\"a\"b,c\nd\n"),
	    "1:!text after a closing quote;2:d;");
	CHECK_STR("csv/not-closed", rec("x\n\"open,\nstill\n"),
	    "1:x;2:!a quote opened on line 2 is not closed;");
	CHECK_STR("csv/not-closed-quote-last", rec("\"a\"\"\n"),
	    "1:!a quote opened on line 1 is not closed;");
}

static void
test_limits(void)
{
	char	 line[64];

	/* 10 bytes a record: exactly 10 passes, 11 does not */
	CHECK_STR("csv/record-at-limit", records("0123456789\nx\n", 13, 10,
	    16), "1:0123456789;2:x;");
	CHECK_STR("csv/record-over-limit", records("0123456789A\nx\n", 14,
	    10, 16), "1:!a record longer than 10 bytes;2:x;");
	CHECK_STR("csv/quoted-record-over-limit",
	    records("\"01234\n56789\"\nx\n", 16, 10, 16),
	    "1:!a record longer than 10 bytes;3:x;");
	CHECK_STR("csv/line-end-not-counted", records("012345678\r\n", 11,
	    9, 16), "1:012345678;");
	/* 3 fields a record */
	snprintf(line, sizeof(line), "a,b,c\na,b,c,d\nz\n");
	CHECK_STR("csv/fields-limit", records(line, strlen(line), 100, 3),
	    "1:a|b|c;2:!more than 3 fields;3:z;");
	CHECK_STR("csv/trailing-comma-is-a-field", records("a,b,c,\n", 7,
	    100, 3), "1:!more than 3 fields;");
}

int
main(void)
{
	test_rfc4180();
	test_errors();
	test_limits();
	return UNIT_DONE();
}
