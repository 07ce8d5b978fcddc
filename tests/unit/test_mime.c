/* SPDX-License-Identifier: ISC */
/*
 * test_mime: the MIME layer of the report parser (verifier/mime.h): header
 * blocks, Content-Type with RFC 2231 parameters, transfer decodings, and the
 * multipart tree with its tolerated breakages.
 *
 * Inputs are copied to exact-size heap buffers so that the sanitizer build
 * catches any read past the end.
 */
#include <stdlib.h>

#include "verifier/mime.h"
#include "tests/unit/unit.h"

static char	*cur;

static const char *
heap(const char *s, size_t n)
{
	free(cur);
	if ((cur = malloc(n ? n : 1)) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memcpy(cur, s, n);
	return cur;
}

static const char *
span(const char *p, size_t n)
{
	static char	 b[4][512];
	static int	 k;

	k = (k + 1) % 4;
	if (n >= sizeof(b[k]))
		n = sizeof(b[k]) - 1;
	if (n > 0)
		memcpy(b[k], p, n);
	b[k][n] = '\0';
	return b[k];
}

/* --- header blocks ------------------------------------------------------ */

static void
test_hdr_iter(void)
{
	const char	 src[] = "From x Mon Jan  1 00:00:00 2024\n"
	    "Subject: a\r\n\tb\n"
	    "X-Empty:\n"
	    "Name With Space: v\n"
	    "To : c\n"
	    "\n"
	    "Body: no\n";
	const char	*p = heap(src, sizeof(src) - 1);
	struct mime_hdr_iter it;
	struct mime_field f;
	int		 n = 0;

	mime_hdr_init(&it, p, sizeof(src) - 1);
	CHECK_TRUE("hdr/mbox-line", mime_hdr_next(&it, &f) &&
	    f.name_len == 0);
	CHECK_TRUE("hdr/folded", mime_hdr_next(&it, &f) &&
	    mime_field_is(&f, "subject"));
	CHECK_STR("hdr/folded-value", span(f.value, f.value_len),
	    " a\r\n\tb");
	CHECK_TRUE("hdr/empty", mime_hdr_next(&it, &f) &&
	    mime_field_is(&f, "X-Empty") && f.value_len == 0);
	CHECK_TRUE("hdr/space-in-name", mime_hdr_next(&it, &f) &&
	    f.name_len == 0);
	CHECK_TRUE("hdr/wsp-before-colon", mime_hdr_next(&it, &f) &&
	    mime_field_is(&f, "To"));
	CHECK_TRUE("hdr/stops-at-blank", !mime_hdr_next(&it, &f));
	CHECK_TRUE("hdr/stays-stopped", !mime_hdr_next(&it, &f));

	/* no final line end, a continuation first */
	p = heap(" lead\nA: 1\nB: 2", 15);
	mime_hdr_init(&it, p, 15);
	while (mime_hdr_next(&it, &f))
		n++;
	CHECK_INT("hdr/no-final-eol-count", n, 3);
	CHECK_TRUE("hdr/find-last", mime_hdr_find(p, 15, "b", &f) &&
	    f.value_len == 2);
	CHECK_TRUE("hdr/find-none", !mime_hdr_find(p, 15, "C", &f));
	mime_hdr_init(&it, p, 0);
	CHECK_TRUE("hdr/empty-block", !mime_hdr_next(&it, &f));
}

static void
test_unfold(void)
{
	struct buf	 b = BUF_INIT;
	const char	 v[] = "  a\r\n b\n\tc \0d  \r\n";

	mime_unfold(&b, v, sizeof(v) - 1);
	CHECK_STR("unfold/trim-join-nul", buf_cstr(&b), "a b\tc d");
	buf_reset(&b);
	mime_unfold(&b, " \t ", 3);
	CHECK_STR("unfold/blank", buf_cstr(&b), "");
	buf_free(&b);
}

static void
test_split_header(void)
{
	size_t	 h, o;
	const char *p;

	p = heap("A: 1\r\nB: 2\r\n\r\nbody", 19);
	CHECK_TRUE("split/crlf", mime_split_header(p, 19, &h, &o) &&
	    h == 12 && o == 14);
	p = heap("\nbody", 5);
	CHECK_TRUE("split/no-header", mime_split_header(p, 5, &h, &o) &&
	    h == 0 && o == 1);
	p = heap("A: 1\nB: 2\n", 10);
	CHECK_TRUE("split/no-blank", !mime_split_header(p, 10, &h, &o) &&
	    h == 10 && o == 10);
}

/* --- Content-Type --------------------------------------------------------- */

static const char *
param(const struct mime_ct *ct, const char *name)
{
	static char	 v[MIME_MAX_VALUE];

	if (!mime_ct_param(ct, name, v, sizeof(v), NULL))
		return NULL;
	return v;
}

static void
ct(struct mime_ct *c, const char *s)
{
	mime_ct_parse(c, heap(s, strlen(s)), strlen(s));
}

static void
test_ct_basic(void)
{
	struct mime_ct	 c;
	char		 v[MIME_MAX_VALUE];
	bool		 q;

	ct(&c, "Multipart/Report; report-type=feedback-report;\r\n"
	    "\tboundary=\"part1_13d.2e68ed54_boundary\"");
	CHECK_TRUE("ct/type", mime_ct_is(&c, "multipart", "report"));
	CHECK_STR("ct/type-lower", c.type, "multipart");
	CHECK_STR("ct/report-type", param(&c, "report-type"),
	    "feedback-report");
	CHECK_TRUE("ct/boundary-quoted", mime_ct_param(&c, "boundary", v,
	    sizeof(v), &q) && q);
	CHECK_STR("ct/boundary", v, "part1_13d.2e68ed54_boundary");
	CHECK_STR("ct/absent", param(&c, "charset"), NULL);

	ct(&c, "multipart/report;boundary=47ddcc38f0; report-type="
	    "\"feedback-report\"");
	CHECK_TRUE("ct/unquoted", mime_ct_param(&c, "boundary", v,
	    sizeof(v), &q) && !q);
	CHECK_STR("ct/unquoted-value", v, "47ddcc38f0");
	CHECK_STR("ct/quoted-after", param(&c, "report-type"),
	    "feedback-report");

	ct(&c, "text/plain (comment) ; charset = \"UTF-8\" ; ; name=x;");
	CHECK_TRUE("ct/comment", mime_ct_is(&c, "text", "plain"));
	CHECK_STR("ct/blanks-around-equals", param(&c, "charset"), "UTF-8");
	CHECK_STR("ct/trailing-semicolon", param(&c, "name"), "x");

	ct(&c, "text/plain; a=\"q\\\"uo\\\\te\" b=2");
	CHECK_STR("ct/escapes", param(&c, "a"), "q\"uo\\te");
	CHECK_STR("ct/missing-semicolon", param(&c, "b"), "2");

	ct(&c, "multipart/mixed; boundary=\"unterminated");
	CHECK_STR("ct/unterminated-quote", param(&c, "boundary"),
	    "unterminated");
}

static void
test_ct_bad(void)
{
	struct mime_ct	 c;
	char		 big[600];
	size_t		 i;

	ct(&c, "text");
	CHECK_TRUE("ct/no-subtype", (c.flags & MIME_CT_BAD) &&
	    c.type[0] == '\0');
	ct(&c, "/plain");
	CHECK_TRUE("ct/no-type", c.flags & MIME_CT_BAD);
	ct(&c, "");
	CHECK_TRUE("ct/empty", c.flags & MIME_CT_BAD);
	ct(&c, "text/plain; =x; \"junk\"; ok=1");
	CHECK_STR("ct/junk-resync", param(&c, "ok"), "1");

	memcpy(big, "a/b; boundary=", 14);
	for (i = 14; i < sizeof(big) - 1; i++)
		big[i] = 'x';
	big[sizeof(big) - 1] = '\0';
	ct(&c, big);
	CHECK_TRUE("ct/long-value-flagged", c.flags & MIME_CT_TRUNCATED);
	CHECK_STR("ct/long-value-refused", param(&c, "boundary"), NULL);

	ct(&c, "a/b; p1=1; p2=2; p3=3; p4=4; p5=5; p6=6; p7=7; p8=8; p9=9; "
	    "p10=10; p11=11; p12=12; p13=13; p14=14; p15=15; p16=16; "
	    "p17=17");
	CHECK_TRUE("ct/too-many", (c.flags & MIME_CT_TOO_MANY) &&
	    c.nparams == MIME_MAX_PARAMS);
	CHECK_STR("ct/too-many-kept", param(&c, "p16"), "16");
}

static void
test_ct_2231(void)
{
	struct mime_ct	 c;
	char		 v[8];

	ct(&c, "multipart/mixed; boundary*0=\"abc\"; boundary*1=def;"
	    " boundary*2=\"-ghi\"");
	CHECK_STR("2231/continuation", param(&c, "boundary"), "abcdef-ghi");
	ct(&c, "application/x; name*=utf-8'en'%41%42c%zz");
	CHECK_STR("2231/extended", param(&c, "name"), "ABc%zz");
	ct(&c, "application/x; name*0*=utf-8''%41; name*1*=%42; name*2=%43");
	CHECK_STR("2231/extended-sections", param(&c, "name"), "AB%43");
	ct(&c, "application/x; name*1=late");
	CHECK_STR("2231/no-section-0", param(&c, "name"), NULL);
	ct(&c, "application/x; name=\"0123456789\"");
	CHECK_TRUE("2231/cut-to-outlen", !mime_ct_param(&c, "name", v,
	    sizeof(v), NULL));
}

/* --- transfer encodings --------------------------------------------------- */

static void
test_cte(void)
{
	CHECK_INT("cte/base64", mime_cte_parse(" Base64 ", 8),
	    MIME_CTE_BASE64);
	CHECK_INT("cte/qp", mime_cte_parse("quoted-printable", 16),
	    MIME_CTE_QP);
	CHECK_INT("cte/7bit-comment", mime_cte_parse("(x) 7bit", 8),
	    MIME_CTE_7BIT);
	CHECK_INT("cte/binary", mime_cte_parse("binary", 6),
	    MIME_CTE_BINARY);
	CHECK_INT("cte/other", mime_cte_parse("x-uuencode", 10),
	    MIME_CTE_OTHER);
	CHECK_INT("cte/empty", mime_cte_parse("", 0), MIME_CTE_NONE);
	CHECK_STR("cte/name", mime_cte_name(MIME_CTE_QP), "quoted-printable");
}

static void
test_b64(void)
{
	struct buf	 b = BUF_INIT;
	const char	*p;

	p = heap("RmVl\r\nZGJh\n Y2s=\n", 17);
	mime_b64_decode(&b, p, 17);
	CHECK_STR("b64/lines", buf_cstr(&b), "Feedback");
	buf_reset(&b);
	p = heap("Rm*Vl!ZA", 8);
	mime_b64_decode(&b, p, 8);
	CHECK_STR("b64/junk-skipped", buf_cstr(&b), "Feed");
	buf_reset(&b);
	p = heap("YQ==YWJj", 8);
	mime_b64_decode(&b, p, 8);
	CHECK_STR("b64/stops-at-pad", buf_cstr(&b), "a");
	buf_reset(&b);
	p = heap("YWJ", 3);
	mime_b64_decode(&b, p, 3);
	CHECK_STR("b64/no-padding", buf_cstr(&b), "ab");
	buf_free(&b);
}

static void
test_qp(void)
{
	struct buf	 b = BUF_INIT;
	const char	*p;
	const char	 in[] = "a=3D=41b=\r\nc=  \nd = e=ZZ f  \r\ng\t\n=";

	p = heap(in, sizeof(in) - 1);
	mime_qp_decode(&b, p, sizeof(in) - 1);
	CHECK_STR("qp/decode", buf_cstr(&b), "a=Abcd = e=ZZ f\r\ng\n");
	buf_reset(&b);
	p = heap("x=4", 3);
	mime_qp_decode(&b, p, 3);
	CHECK_STR("qp/cut-escape", buf_cstr(&b), "x=4");
	buf_reset(&b);
	mime_decode(&b, MIME_CTE_8BIT, "\xff\x00z", 3);
	CHECK_MEM("decode/identity", b.data, b.len, "\xff\x00z", 3);
	buf_free(&b);
}

/* --- the tree ------------------------------------------------------------- */

static struct mime_tree tree;

/* Parse a whole message given as a string. */
static void
parse_msg(const char *s)
{
	size_t		 n = strlen(s), h, o;
	const char	*p = heap(s, n);
	bool		 body = mime_split_header(p, n, &h, &o);

	mime_parse(&tree, p, h, body ? p + o : NULL, body ? n - o : 0);
}

static const char *
body_of(size_t i)
{
	return i < tree.nparts ? span(tree.parts[i].body,
	    tree.parts[i].body_len) : "(none)";
}

static void
test_tree_basic(void)
{
	parse_msg("Content-Type: multipart/report; report-type=feedback-report;"
	    " boundary=\"b1\"\n\npreamble\n--b1\nContent-Type: text/plain\n\n"
	    "hello\n--b1\r\nContent-Type: message/feedback-report\n"
	    "Content-Transfer-Encoding: base64\n\nRmVlZA==\n"
	    "--b1  \nContent-Type: message/rfc822\n\nFrom: a\n\nbody\n"
	    "--b1--\nepilogue\n--b1\nnot a part\n");
	CHECK_INT("tree/nparts", tree.nparts, 4);
	CHECK_TRUE("tree/top", mime_part_is(&tree.parts[0], "multipart",
	    "report") && tree.parts[0].nchildren == 3 &&
	    tree.parts[0].flags == 0);
	CHECK_STR("tree/part1-body", body_of(1), "hello");
	CHECK_INT("tree/part2-cte", tree.parts[2].cte, MIME_CTE_BASE64);
	CHECK_TRUE("tree/part2-type", mime_part_is(&tree.parts[2], "message",
	    "feedback-report") && tree.parts[2].parent == 0 &&
	    tree.parts[2].depth == 1);
	CHECK_STR("tree/delimiter-padding", body_of(3), "From: a\n\nbody");
}

static void
test_tree_broken(void)
{
	parse_msg("Content-Type: multipart/mixed; boundary=x\n\n--x\n\nA\n"
	    "--x\nContent-Type: text/plain\n\ntail without close\n");
	CHECK_TRUE("tree/no-close", (tree.parts[0].flags & MIME_F_NO_CLOSE)
	    && (tree.parts[0].flags & MIME_F_UNQUOTED_BOUNDARY) &&
	    tree.nparts == 3);
	CHECK_STR("tree/no-close-last", body_of(2), "tail without close\n");
	CHECK_TRUE("tree/no-header", tree.parts[1].flags & MIME_F_NO_HEADER);

	parse_msg("Content-Type: multipart/mixed; boundary=\"x\"\n\n--x\n"
	    "Content-Type: text/plain\n\nA\n--x\n\n");
	CHECK_TRUE("tree/open-at-end", (tree.parts[0].flags &
	    MIME_F_OPEN_AT_END) && tree.nparts == 2);

	parse_msg("Content-Type: multipart/report\n\n\n--guess\n"
	    "Content-Type: text/plain\n\nA\n--guess--\n");
	CHECK_TRUE("tree/guessed-boundary", (tree.parts[0].flags &
	    MIME_F_NO_BOUNDARY) && tree.nparts == 2);
	CHECK_STR("tree/guessed-body", body_of(1), "A");

	parse_msg("Content-Type: multipart/mixed; boundary=\"x\"\n\nno "
	    "delimiter here\n--xy\n");
	CHECK_TRUE("tree/no-delimiter", (tree.parts[0].flags &
	    MIME_F_NO_DELIMITER) && tree.nparts == 1);

	parse_msg("Content-Type: multipart/mixed; boundary=\"x\"\n\n--x\n"
	    "Content-Type: message/feedback-report\nFeedback-Type: abuse\n"
	    "--x--\n");
	CHECK_TRUE("tree/no-blank", (tree.parts[1].flags & MIME_F_NO_BLANK) &&
	    mime_part_is(&tree.parts[1], "message", "feedback-report"));
	CHECK_STR("tree/no-blank-body", body_of(1), "Feedback-Type: abuse");

	parse_msg("Content-Type: text\n\nx");
	CHECK_TRUE("tree/bad-ct", (tree.parts[0].flags & MIME_F_CT_BAD) &&
	    tree.parts[0].type[0] == '\0');
	parse_msg("Subject: none\n");
	CHECK_TRUE("tree/no-body", tree.nparts == 1 &&
	    tree.parts[0].body_len == 0);
}

static void
test_tree_nested(void)
{
	char	 msg[4096], *p = msg;
	int	 i;

	parse_msg("Content-Type: multipart/mixed; boundary=\"o\"\n\n--o\n"
	    "Content-Type: multipart/alternative; boundary=\"o-in\"\n\n"
	    "--o-in\nContent-Type: text/plain\n\ninner\n--o\n"
	    "Content-Type: message/rfc822\n\nContent-Type: multipart/mixed;"
	    " boundary=z\n\n--z\n\nnot entered\n--z--\n--o--\n");
	CHECK_INT("nested/nparts", tree.nparts, 4);
	CHECK_TRUE("nested/inner-unclosed", tree.parts[2].parent == 1 &&
	    tree.parts[2].depth == 2 && (tree.parts[1].flags &
	    MIME_F_NO_CLOSE));
	CHECK_STR("nested/inner-ends-at-outer", body_of(2), "inner");
	CHECK_TRUE("nested/rfc822-not-entered", tree.parts[3].nchildren == 0);

	/* nesting deeper than MIME_MAX_DEPTH is not followed */
	for (i = 0; i < 12; i++)
		p += sprintf(p, "Content-Type: multipart/mixed; "
		    "boundary=\"d%d\"\n\n--d%d\n", i, i);
	strcpy(p, "\nleaf\n");
	parse_msg(msg);
	CHECK_INT("nested/depth-limit", tree.nparts, MIME_MAX_DEPTH + 1);
	CHECK_TRUE("nested/too-deep-flag",
	    tree.parts[MIME_MAX_DEPTH].flags & MIME_F_TOO_DEEP);

	/* more parts than MIME_MAX_PARTS */
	p = msg + sprintf(msg, "Content-Type: multipart/mixed; "
	    "boundary=\"m\"\n\n");
	for (i = 0; i < MIME_MAX_PARTS + 5; i++)
		p += sprintf(p, "--m\n\n%d\n", i);
	strcpy(p, "--m--\n");
	parse_msg(msg);
	CHECK_TRUE("nested/parts-limit", tree.nparts == MIME_MAX_PARTS &&
	    tree.truncated);
}

static void
test_tree_hostile(void)
{
	const char	 nul[] = "Content-Type: multipart/mixed; boundary="
	    "\"a\"\n\n--a\n\n\0x\n--a--\n";
	const char	 nulct[] = "a/b; boundary=\"a\0b\"";
	struct mime_ct	 c;
	size_t		 h, o, n = sizeof(nul) - 1;
	const char	*p = heap(nul, n);
	bool		 body = mime_split_header(p, n, &h, &o);

	mime_parse(&tree, p, h, body ? p + o : NULL, body ? n - o : 0);
	CHECK_TRUE("hostile/nul-in-part", tree.nparts == 2 &&
	    tree.parts[1].body_len == 2);
	mime_ct_parse(&c, heap(nulct, sizeof(nulct) - 1), sizeof(nulct) - 1);
	CHECK_STR("hostile/nul-in-param", param(&c, "boundary"), "ab");
	mime_parse(&tree, NULL, 0, NULL, 0);
	CHECK_TRUE("hostile/nothing", tree.nparts == 1 &&
	    tree.parts[0].type[0] == '\0');
	parse_msg("Content-Type: multipart/mixed; boundary=\"x\"\n\n--x");
	CHECK_TRUE("hostile/delimiter-at-eof", tree.nparts == 1 &&
	    (tree.parts[0].flags & MIME_F_OPEN_AT_END));
}

int
main(void)
{
	test_hdr_iter();
	test_unfold();
	test_split_header();
	test_ct_basic();
	test_ct_bad();
	test_ct_2231();
	test_cte();
	test_b64();
	test_qp();
	test_tree_basic();
	test_tree_broken();
	test_tree_nested();
	test_tree_hostile();
	free(cur);
	return UNIT_DONE();
}
