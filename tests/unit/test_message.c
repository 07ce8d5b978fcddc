/* SPDX-License-Identifier: ISC */
/*
 * test_message: splitting raw bytes into header fields and body (message.h),
 * and the line rule shared by the verifier (line_iter).
 *
 * Each message is parsed from an exact-size heap copy so that the sanitizer
 * build catches any read past the end.
 */
#include <stdlib.h>

#include "tests/unit/unit.h"
#include "verifier/message.h"

static struct message	 m;
static char		*cur;

static enum message_status
parse_n(const char *s, size_t len)
{
	enum message_status st;

	message_free(&m);
	free(cur);
	if ((cur = malloc(len ? len : 1)) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memcpy(cur, s, len);
	st = message_parse(&m, cur, len);
	/* the byte classes are computed on demand; tests look at all flags */
	m.flags |= message_byte_flags(&m);
	return st;
}

static enum message_status
parse(const char *s)
{
	return parse_n(s, strlen(s));
}

/* field i's name / value / raw as C strings (for CHECK_STR) */
static const char *
span(const char *p, size_t n)
{
	static char	 b[4][512];
	static int	 k;

	k = (k + 1) % 4;
	if (n >= sizeof(b[k]))
		n = sizeof(b[k]) - 1;
	memcpy(b[k], p, n);
	b[k][n] = '\0';
	return b[k];
}

static const char *
fname(size_t i)
{
	return i < m.nfields ? span(m.fields[i].name, m.fields[i].name_len) :
	    "(no field)";
}

static const char *
fvalue(size_t i)
{
	return i < m.nfields ? span(m.fields[i].value, m.fields[i].value_len) :
	    "(no field)";
}

static const char *
fraw(size_t i)
{
	return i < m.nfields ? span(m.fields[i].raw, m.fields[i].raw_len) :
	    "(no field)";
}

static const char *
body(void)
{
	return m.body ? span(m.body, m.body_len) : "(no body)";
}

static void
test_crlf(void)
{
	CHECK_INT("message/crlf-status",
	    parse("From: a@b\r\nSubject: hi\r\n\r\nbody\r\n"), MESSAGE_OK);
	CHECK_INT("message/crlf-nfields", m.nfields, 2);
	CHECK_STR("message/crlf-name0", fname(0), "From");
	CHECK_STR("message/crlf-value0", fvalue(0), " a@b");
	CHECK_STR("message/crlf-raw0", fraw(0), "From: a@b");
	CHECK_INT("message/crlf-raw-len0", m.fields[0].raw_len, 9);
	CHECK_STR("message/crlf-name1", fname(1), "Subject");
	CHECK_STR("message/crlf-value1", fvalue(1), " hi");
	CHECK_TRUE("message/crlf-has-body", m.has_body);
	CHECK_STR("message/crlf-body", body(), "body\r\n");
	CHECK_INT("message/crlf-body-len", m.body_len, 6);
	CHECK_TRUE("message/crlf-flag", (m.flags & MSG_F_CRLF) != 0);
	CHECK_TRUE("message/crlf-no-bare-lf", (m.flags & MSG_F_BARE_LF) == 0);
	CHECK_TRUE("message/crlf-no-stray-cr",
	    (m.flags & MSG_F_STRAY_CR) == 0);
	CHECK_TRUE("message/crlf-final-eol",
	    (m.flags & MSG_F_NO_FINAL_EOL) == 0);
	CHECK_TRUE("message/crlf-not-owned", m.owned == NULL);
	CHECK_TRUE("message/crlf-raw-is-input", m.raw == cur);
	CHECK_INT("message/crlf-raw-len", m.raw_len, 32);
	CHECK_TRUE("message/crlf-points-into-input", m.fields[0].raw == cur &&
	    m.body == cur + 26);
}

static void
test_bare_lf(void)
{
	CHECK_INT("message/lf-status", parse("From: a\nSubject: x\n\nbody\n"),
	    MESSAGE_OK);
	CHECK_INT("message/lf-nfields", m.nfields, 2);
	CHECK_STR("message/lf-raw0", fraw(0), "From: a");
	CHECK_STR("message/lf-raw1", fraw(1), "Subject: x");
	CHECK_STR("message/lf-body", body(), "body\n");
	CHECK_TRUE("message/lf-flag", (m.flags & MSG_F_BARE_LF) != 0);
	CHECK_TRUE("message/lf-no-crlf-flag", (m.flags & MSG_F_CRLF) == 0);
}

static void
test_mixed(void)
{
	CHECK_INT("message/mixed-status",
	    parse("A: 1\r\nB: 2\nC: 3\r\n\r\nx\n"), MESSAGE_OK);
	CHECK_INT("message/mixed-nfields", m.nfields, 3);
	CHECK_STR("message/mixed-raw1", fraw(1), "B: 2");
	CHECK_STR("message/mixed-raw2", fraw(2), "C: 3");
	CHECK_STR("message/mixed-body", body(), "x\n");
	CHECK_TRUE("message/mixed-flags", (m.flags & MSG_F_CRLF) &&
	    (m.flags & MSG_F_BARE_LF));

	/* the blank line may be a bare LF after CRLF lines */
	CHECK_INT("message/mixed-blank-lf", parse("A: 1\r\n\nbody"),
	    MESSAGE_OK);
	CHECK_STR("message/mixed-blank-lf-body", body(), "body");
}

static void
test_folding(void)
{
	CHECK_INT("message/fold-status",
	    parse("Subject: a\r\n b\r\n\tc\r\nFrom: x\r\n\r\n"), MESSAGE_OK);
	CHECK_INT("message/fold-nfields", m.nfields, 2);
	CHECK_STR("message/fold-raw0", fraw(0), "Subject: a\r\n b\r\n\tc");
	CHECK_STR("message/fold-value0", fvalue(0), " a\r\n b\r\n\tc");
	CHECK_STR("message/fold-name1", fname(1), "From");

	CHECK_INT("message/fold-lf-status",
	    parse("Subject: a\n b\nFrom: x\n\n"), MESSAGE_OK);
	CHECK_STR("message/fold-lf-raw0", fraw(0), "Subject: a\n b");
}

static void
test_cr_only(void)
{
	const char	*in = "From: a\rSubject: b\r\rbody\r";

	CHECK_INT("message/cr-only-status", parse(in), MESSAGE_OK);
	CHECK_TRUE("message/cr-only-flag", (m.flags & MSG_F_CR_ONLY) != 0);
	CHECK_TRUE("message/cr-only-owned", m.owned != NULL);
	CHECK_TRUE("message/cr-only-copy", m.raw != cur);
	CHECK_MEM("message/cr-only-raw", m.raw, m.raw_len,
	    "From: a\r\nSubject: b\r\n\r\nbody\r\n", 29);
	CHECK_INT("message/cr-only-nfields", m.nfields, 2);
	CHECK_STR("message/cr-only-raw0", fraw(0), "From: a");
	CHECK_STR("message/cr-only-name1", fname(1), "Subject");
	CHECK_STR("message/cr-only-body", body(), "body\r\n");
	CHECK_TRUE("message/cr-only-fields-in-copy",
	    m.nfields > 0 && m.fields[0].raw >= m.raw &&
	    m.fields[0].raw < m.raw + m.raw_len);
	CHECK_TRUE("message/cr-only-no-stray-cr-after-copy",
	    (m.flags & MSG_F_STRAY_CR) == 0);
	CHECK_TRUE("message/cr-only-input-untouched",
	    memcmp(cur, in, strlen(in)) == 0);

	/* a stray CR in an LF file is data, not a CR-only file */
	CHECK_INT("message/stray-cr-status", parse("A: x\ry\r\n\r\nb\rc\r\n"),
	    MESSAGE_OK);
	CHECK_TRUE("message/stray-cr-flag", (m.flags & MSG_F_STRAY_CR) != 0);
	CHECK_TRUE("message/stray-cr-not-cr-only",
	    (m.flags & MSG_F_CR_ONLY) == 0);
	CHECK_TRUE("message/stray-cr-not-owned", m.owned == NULL);
	CHECK_STR("message/stray-cr-raw0", fraw(0), "A: x\ry");
	CHECK_STR("message/stray-cr-body", body(), "b\rc\r\n");
	/* CR CR LF: the first CR is data at the end of the line */
	CHECK_INT("message/cr-cr-lf", parse("A: x\r\r\n\r\n"), MESSAGE_OK);
	CHECK_STR("message/cr-cr-lf-raw0", fraw(0), "A: x\r");
	CHECK_TRUE("message/cr-cr-lf-has-body", m.has_body);
}

static void
test_nul_8bit(void)
{
	const char	 in[] = "A: x\0y\r\n\r\nb\0c";

	CHECK_INT("message/nul-status", parse_n(in, sizeof(in) - 1),
	    MESSAGE_OK);
	CHECK_TRUE("message/nul-flag", (m.flags & MSG_F_NUL) != 0);
	CHECK_INT("message/nul-nfields", m.nfields, 1);
	CHECK_MEM("message/nul-in-value", m.fields[0].value,
	    m.fields[0].value_len, " x\0y", 4);
	CHECK_MEM("message/nul-in-body", m.body, m.body_len, "b\0c", 3);
	CHECK_TRUE("message/nul-no-final-eol",
	    (m.flags & MSG_F_NO_FINAL_EOL) != 0);

	CHECK_INT("message/8bit-status",
	    parse("Subject: caf\xc3\xa9\r\n\r\n\xff\r\n"), MESSAGE_OK);
	CHECK_TRUE("message/8bit-flag", (m.flags & MSG_F_8BIT) != 0);
	CHECK_STR("message/8bit-value", fvalue(0), " caf\xc3\xa9");
	CHECK_STR("message/8bit-body", body(), "\xff\r\n");

	CHECK_INT("message/ascii-status", parse("A: b\r\n\r\nc\r\n"),
	    MESSAGE_OK);
	CHECK_TRUE("message/ascii-no-8bit-nul",
	    (m.flags & (MSG_F_8BIT | MSG_F_NUL)) == 0);
}

static void
test_nameless(void)
{
	/* an mbox envelope line: no field name (its colons are in the time) */
	CHECK_INT("message/mbox-from-status",
	    parse("From sender@example.com Mon Jan  1 00:00:00 2024\n"
	    "From: a@b\n\nx\n"), MESSAGE_OK);
	CHECK_INT("message/mbox-from-nfields", m.nfields, 2);
	CHECK_INT("message/mbox-from-nameless", m.fields[0].name_len, 0);
	CHECK_STR("message/mbox-from-raw-kept", fraw(0),
	    "From sender@example.com Mon Jan  1 00:00:00 2024");
	CHECK_STR("message/mbox-from-field1", fname(1), "From");
	CHECK_TRUE("message/mbox-from-flag", (m.flags & MSG_F_NO_COLON) != 0);
	CHECK_INT("message/mbox-from-find", message_find_field(&m, "from"), 1);
	CHECK_INT("message/mbox-from-count", message_count_fields(&m, "From", 4),
	    1);
	CHECK_STR("message/mbox-from-body", body(), "x\n");

	CHECK_INT("message/no-colon-status",
	    parse("Garbage line\r\nA: b\r\n\r\n"), MESSAGE_OK);
	CHECK_INT("message/no-colon-nfields", m.nfields, 2);
	CHECK_INT("message/no-colon-nameless", m.fields[0].name_len, 0);
	CHECK_TRUE("message/no-colon-flag", (m.flags & MSG_F_NO_COLON) != 0);
	CHECK_TRUE("message/no-colon-never-matches",
	    !header_name_is(&m.fields[0], "", 0));

	CHECK_INT("message/space-in-name", parse("Bad Name: x\r\n\r\n"),
	    MESSAGE_OK);
	CHECK_INT("message/space-in-name-nameless", m.fields[0].name_len, 0);
	CHECK_INT("message/colon-first", parse(": x\r\n\r\n"), MESSAGE_OK);
	CHECK_INT("message/colon-first-nameless", m.fields[0].name_len, 0);
	CHECK_INT("message/8bit-name", parse("N\xc3\xa4me: x\r\n\r\n"),
	    MESSAGE_OK);
	CHECK_INT("message/8bit-name-nameless", m.fields[0].name_len, 0);

	CHECK_INT("message/well-formed-no-flag", parse("A: b\r\n\r\n"),
	    MESSAGE_OK);
	CHECK_TRUE("message/well-formed-no-no-colon",
	    (m.flags & (MSG_F_NO_COLON | MSG_F_LEADING_WSP)) == 0);

	/* a continuation before any field */
	CHECK_INT("message/leading-wsp-status",
	    parse(" leading\r\nA: b\r\n\r\n"), MESSAGE_OK);
	CHECK_INT("message/leading-wsp-nfields", m.nfields, 2);
	CHECK_INT("message/leading-wsp-nameless", m.fields[0].name_len, 0);
	CHECK_STR("message/leading-wsp-raw", fraw(0), " leading");
	CHECK_STR("message/leading-wsp-next", fname(1), "A");
	CHECK_TRUE("message/leading-wsp-flag",
	    (m.flags & MSG_F_LEADING_WSP) != 0);
	/* ... even when it looks like a field */
	CHECK_INT("message/leading-wsp-field-like",
	    parse("\tFrom: x\r\nTo: y\r\n\r\n"), MESSAGE_OK);
	CHECK_INT("message/leading-wsp-field-like-nameless",
	    m.fields[0].name_len, 0);
	CHECK_INT("message/leading-wsp-field-like-find",
	    message_find_field(&m, "From"), -1);
}

static void
test_body_presence(void)
{
	CHECK_INT("message/no-blank-status", parse("A: 1\r\nB: 2\r\n"),
	    MESSAGE_OK);
	CHECK_INT("message/no-blank-nfields", m.nfields, 2);
	CHECK_TRUE("message/no-blank-has-body", !m.has_body);
	CHECK_INT("message/no-blank-body-len", m.body_len, 0);

	CHECK_INT("message/no-blank-no-eol-status", parse("A: 1\r\nB: 2"),
	    MESSAGE_OK);
	CHECK_TRUE("message/no-blank-no-eol-has-body", !m.has_body);
	CHECK_STR("message/no-blank-no-eol-raw1", fraw(1), "B: 2");
	CHECK_TRUE("message/no-blank-no-eol-flag",
	    (m.flags & MSG_F_NO_FINAL_EOL) != 0);

	/* one line, no terminator at all */
	CHECK_INT("message/single-line-status", parse("From: a"), MESSAGE_OK);
	CHECK_INT("message/single-line-nfields", m.nfields, 1);
	CHECK_STR("message/single-line-raw", fraw(0), "From: a");
	CHECK_TRUE("message/single-line-no-body", !m.has_body);
	CHECK_TRUE("message/single-line-flags",
	    (m.flags & MSG_F_NO_FINAL_EOL) &&
	    !(m.flags & (MSG_F_CR_ONLY | MSG_F_CRLF | MSG_F_BARE_LF)));

	CHECK_INT("message/empty-body-status", parse("A: 1\r\n\r\n"),
	    MESSAGE_OK);
	CHECK_TRUE("message/empty-body-has-body", m.has_body);
	CHECK_INT("message/empty-body-len", m.body_len, 0);
	CHECK_TRUE("message/empty-body-final-eol",
	    (m.flags & MSG_F_NO_FINAL_EOL) == 0);
	CHECK_INT("message/empty-body-lf-status", parse("A: 1\n\n"),
	    MESSAGE_OK);
	CHECK_TRUE("message/empty-body-lf-has-body", m.has_body);
	CHECK_INT("message/empty-body-lf-len", m.body_len, 0);

	CHECK_INT("message/no-final-eol-status", parse("A: 1\r\n\r\nabc"),
	    MESSAGE_OK);
	CHECK_STR("message/no-final-eol-body", body(), "abc");
	CHECK_TRUE("message/no-final-eol-flag",
	    (m.flags & MSG_F_NO_FINAL_EOL) != 0);

	/* the body keeps its own empty lines and "headers" untouched */
	CHECK_INT("message/body-verbatim-status",
	    parse("A: 1\r\n\r\n\r\nB: 2\r\n\r\n"), MESSAGE_OK);
	CHECK_INT("message/body-verbatim-nfields", m.nfields, 1);
	CHECK_STR("message/body-verbatim", body(), "\r\nB: 2\r\n\r\n");

	/* a message that starts with the blank line: no fields, a body */
	CHECK_INT("message/body-only-status", parse("\r\nbody"), MESSAGE_OK);
	CHECK_INT("message/body-only-nfields", m.nfields, 0);
	CHECK_TRUE("message/body-only-has-body", m.has_body);
	CHECK_STR("message/body-only-body", body(), "body");

	/* a line of WSP is a continuation, not the blank line */
	CHECK_INT("message/wsp-line-status", parse("A: 1\r\n \r\nB: 2\r\n\r\n"),
	    MESSAGE_OK);
	CHECK_INT("message/wsp-line-nfields", m.nfields, 2);
	CHECK_STR("message/wsp-line-raw0", fraw(0), "A: 1\r\n ");
}

static void
test_bom_and_names(void)
{
	CHECK_INT("message/bom-status",
	    parse("\xef\xbb\xbf" "From: a\r\n\r\nb"), MESSAGE_OK);
	CHECK_TRUE("message/bom-flag", (m.flags & MSG_F_BOM) != 0);
	CHECK_INT("message/bom-nfields", m.nfields, 1);
	CHECK_STR("message/bom-name", fname(0), "From");
	CHECK_INT("message/bom-find", message_find_field(&m, "From"), 0);
	CHECK_STR("message/bom-body", body(), "b");

	CHECK_INT("message/wsp-before-colon-status",
	    parse("Subject  : x\r\nTo\t: y\r\n\r\n"), MESSAGE_OK);
	CHECK_STR("message/wsp-before-colon-name", fname(0), "Subject");
	CHECK_INT("message/wsp-before-colon-name-len", m.fields[0].name_len, 7);
	CHECK_STR("message/wsp-before-colon-value", fvalue(0), " x");
	CHECK_STR("message/wsp-before-colon-raw", fraw(0), "Subject  : x");
	CHECK_STR("message/tab-before-colon-name", fname(1), "To");
	CHECK_TRUE("message/wsp-before-colon-matches",
	    header_name_is(&m.fields[0], "subject", 7));

	CHECK_INT("message/empty-value", parse("A:\r\n\r\n"), MESSAGE_OK);
	CHECK_STR("message/empty-value-name", fname(0), "A");
	CHECK_INT("message/empty-value-len", m.fields[0].value_len, 0);

	/* the value starts after the first colon; later colons are data */
	CHECK_INT("message/two-colons", parse("X-A: b: c\r\n\r\n"),
	    MESSAGE_OK);
	CHECK_STR("message/two-colons-name", fname(0), "X-A");
	CHECK_STR("message/two-colons-value", fvalue(0), " b: c");
}

static void
test_lookup(void)
{
	CHECK_INT("message/lookup-status",
	    parse("Received: 1\r\nFrom: a\r\nfrom: b\r\nFROM: c\r\nTo: d\r\n"
	    "\r\n"), MESSAGE_OK);
	CHECK_INT("message/lookup-count", message_count_fields(&m, "From", 4), 3);
	/* the name by its length: an h= entry is not NUL-terminated */
	CHECK_INT("message/lookup-count-by-length",
	    message_count_fields(&m, "Fromage", 4), 3);
	CHECK_INT("message/lookup-count-none",
	    message_count_fields(&m, "Cc", 2), 0);
	CHECK_INT("message/lookup-find-first", message_find_field(&m, "fRoM"),
	    1);
	CHECK_INT("message/lookup-find-none", message_find_field(&m, "Cc"),
	    -1);
	CHECK_INT("message/lookup-no-prefix", message_find_field(&m, "Fro"),
	    -1);
	CHECK_INT("message/lookup-no-longer",
	    message_find_field(&m, "Received-SPF"), -1);
	CHECK_TRUE("message/name-is-len",
	    !header_name_is(&m.fields[1], "From", 3));
}

static void
test_limits(void)
{
	size_t	 n = MESSAGE_MAX_FIELDS + 1, i;
	char	*s, *p;

	CHECK_INT("message/empty-input", parse(""), MESSAGE_EMPTY);
	CHECK_INT("message/empty-input-nfields", m.nfields, 0);

	if ((s = malloc(n * 5 + 2)) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	for (i = 0, p = s; i < MESSAGE_MAX_FIELDS; i++, p += 5)
		memcpy(p, "X: y\n", 5);
	memcpy(p, "\n", 1);
	CHECK_INT("message/max-fields-ok",
	    parse_n(s, MESSAGE_MAX_FIELDS * 5 + 1), MESSAGE_OK);
	CHECK_INT("message/max-fields-nfields", m.nfields, MESSAGE_MAX_FIELDS);
	CHECK_TRUE("message/max-fields-has-body", m.has_body);
	memcpy(p, "X: y\n\n", 6);
	CHECK_INT("message/too-many-fields",
	    parse_n(s, MESSAGE_MAX_FIELDS * 5 + 6), MESSAGE_TOO_MANY_FIELDS);
	/* without the blank line: the last field is pushed at the end */
	CHECK_INT("message/too-many-fields-no-body",
	    parse_n(s, MESSAGE_MAX_FIELDS * 5 + 5), MESSAGE_TOO_MANY_FIELDS);
	free(s);

	CHECK_TRUE("message/status-str",
	    message_status_str(MESSAGE_OK) != NULL &&
	    strcmp(message_status_str(MESSAGE_EMPTY),
	    message_status_str(MESSAGE_TOO_MANY_FIELDS)) != 0);
}

struct want_line {
	const char	*text;
	size_t		 len;
	bool		 eol;
};

static void
check_lines(const char *tname, const char *in, size_t len,
    const struct want_line *want, size_t nwant)
{
	struct line_iter it;
	const char	*line;
	size_t		 line_len, n = 0;
	bool		 eol, ok = true;
	char		*copy;
	char		 msg[128];

	if ((copy = malloc(len ? len : 1)) == NULL)
		exit(2);
	memcpy(copy, in, len);
	line_iter_init(&it, copy, len);
	while (line_iter_next(&it, &line, &line_len, &eol)) {
		if (n >= nwant || line_len != want[n].len ||
		    memcmp(line, want[n].text, line_len) != 0 ||
		    eol != want[n].eol) {
			ok = false;
			break;
		}
		n++;
	}
	snprintf(msg, sizeof(msg), "line %zu of %zu", n, nwant);
	UNIT_REPORT(ok && n == nwant, tname, "%s differs", msg);
	free(copy);
}

static void
test_line_iter(void)
{
	static const struct want_line w1[] = {
		{ "a", 1, true }, { "b", 1, true }, { "c", 1, false },
	};
	static const struct want_line w2[] = {
		{ "x\r", 2, true },
	};
	static const struct want_line w3[] = {
		{ "", 0, true }, { "", 0, true },
	};
	static const struct want_line w4[] = {
		{ "a", 1, true },
	};
	static const struct want_line w5[] = {
		{ "\r", 1, false },
	};
	static const struct want_line w6[] = {
		{ "a\rb", 3, true }, { "", 0, true }, { "c", 1, true },
	};

	check_lines("message/line-iter-mixed", "a\r\nb\nc", 6, w1, 3);
	check_lines("message/line-iter-cr-cr-lf", "x\r\r\n", 4, w2, 1);
	check_lines("message/line-iter-empty-lines", "\n\r\n", 3, w3, 2);
	check_lines("message/line-iter-no-phantom-line", "a\n", 2, w4, 1);
	check_lines("message/line-iter-lone-cr", "\r", 1, w5, 1);
	check_lines("message/line-iter-cr-inside", "a\rb\r\n\nc\r\n", 9, w6, 3);
	check_lines("message/line-iter-empty", "", 0, NULL, 0);
}

/*
 * The byte classes are found eight bytes at a time: put each line-end
 * pattern at every offset across three words, so that a CR and its LF fall
 * on both sides of a word boundary.  Expected flags follow from the pattern.
 */
static void
test_flags_offsets(void)
{
	static const struct {
		const char	*pat;
		unsigned	 want;
	} pats[] = {
		{ "\r\n", MSG_F_CRLF },
		{ "\n", MSG_F_BARE_LF },
		/* a CR alone would make a CR-only file: keep an LF too */
		{ "\rz\n", MSG_F_STRAY_CR | MSG_F_BARE_LF },
		{ "\r\r\n", MSG_F_CRLF | MSG_F_STRAY_CR },
		{ "\n\r", MSG_F_BARE_LF | MSG_F_STRAY_CR },
		{ "\r\n\n", MSG_F_CRLF | MSG_F_BARE_LF },
	};
	const unsigned	 mask = MSG_F_CRLF | MSG_F_BARE_LF | MSG_F_STRAY_CR;
	struct message	 msg;
	char		 raw[64], name[64];
	size_t		 k, n, p, tail;

	for (p = 0; p < sizeof(pats) / sizeof(pats[0]); p++) {
		for (k = 0; k <= 17; k++) {
			for (tail = 0; tail <= 9; tail += 9) {
				/* "x{k} PAT y{tail}": no other CR or LF */
				memset(raw, 'x', k);
				n = k;
				memcpy(raw + n, pats[p].pat, strlen(pats[p].pat));
				n += strlen(pats[p].pat);
				memset(raw + n, 'y', tail);
				n += tail;
				message_parse(&msg, raw, n);
				msg.flags |= message_byte_flags(&msg);
				snprintf(name, sizeof(name),
				    "message/flags-pat%zu-at-%zu-tail%zu", p, k,
				    tail);
				CHECK_INT(name, msg.flags & mask, pats[p].want);
				message_free(&msg);
			}
		}
	}
}

int
main(void)
{
	test_crlf();
	test_bare_lf();
	test_mixed();
	test_folding();
	test_cr_only();
	test_nul_8bit();
	test_nameless();
	test_body_presence();
	test_bom_and_names();
	test_lookup();
	test_limits();
	test_line_iter();
	message_free(&m);
	free(cur);
	test_flags_offsets();
	return UNIT_DONE();
}
