/* SPDX-License-Identifier: ISC */
/*
 * test_tagvalue: the tag=value list of RFC 6376 section 3.2.
 *
 * Every input is parsed from an exact-size heap copy (no NUL after it), so
 * the sanitizer build catches a read past the end.  Expected offsets are
 * counted by hand from the literals (index comments beside them).
 */
#include <stdlib.h>

#include "tests/unit/unit.h"
#include "verifier/tagvalue.h"

static struct tag_list	 tl;
static char		*cur;	/* heap copy of the last input */

static enum tag_status
parse_n(const char *s, size_t len, size_t *off)
{
	free(cur);
	if ((cur = malloc(len ? len : 1)) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memcpy(cur, s, len);
	*off = 12345;
	return tag_list_parse(&tl, cur, len, off);
}

static enum tag_status
parse(const char *s, size_t *off)
{
	return parse_n(s, strlen(s), off);
}

/* value of tag i as a C string (static buffer) */
static const char *
val(size_t i)
{
	static char	 b[256];
	size_t		 n;

	if (i >= tl.ntags)
		return "(no such tag)";
	n = tl.tags[i].value_len < sizeof(b) - 1 ? tl.tags[i].value_len :
	    sizeof(b) - 1;
	memcpy(b, tl.tags[i].value, n);
	b[n] = '\0';
	return b;
}

static const char *
name(size_t i)
{
	static char	 b[256];
	size_t		 n;

	if (i >= tl.ntags)
		return "(no such tag)";
	n = tl.tags[i].name_len < sizeof(b) - 1 ? tl.tags[i].name_len :
	    sizeof(b) - 1;
	memcpy(b, tl.tags[i].name, n);
	b[n] = '\0';
	return b;
}

static void
test_basic(void)
{
	size_t	 off;

	CHECK_INT("tagvalue/basic-status", parse("v=1; a=rsa-sha256", &off),
	    TAG_OK);
	CHECK_INT("tagvalue/basic-ntags", tl.ntags, 2);
	CHECK_STR("tagvalue/basic-name0", name(0), "v");
	CHECK_STR("tagvalue/basic-value0", val(0), "1");
	CHECK_STR("tagvalue/basic-name1", name(1), "a");
	CHECK_STR("tagvalue/basic-value1", val(1), "rsa-sha256");
	/*
	 * "v=1; a=rsa-sha256": '=' at 1 and 6, ';' at 3, end at 17.
	 */
	CHECK_INT("tagvalue/basic-raw-off0", tl.tags[0].raw_value_off, 2);
	CHECK_INT("tagvalue/basic-raw-end0", tl.tags[0].raw_value_end, 3);
	CHECK_INT("tagvalue/basic-raw-off1", tl.tags[1].raw_value_off, 7);
	CHECK_INT("tagvalue/basic-raw-end1", tl.tags[1].raw_value_end, 17);
	CHECK_TRUE("tagvalue/basic-get-a", tag_list_get(&tl, "a") ==
	    &tl.tags[1]);
	CHECK_TRUE("tagvalue/basic-get-missing", tag_list_get(&tl, "b") ==
	    NULL);
}

static void
test_fws(void)
{
	/*
	 *  0 ' '  1 ' '  2 v  3 \t  4 =  5 \t  6 1  7 ' '  8 ;  9 \r 10 \n
	 * 11 ' ' 12 a 13 ' ' 14 = 15 \r 16 \n 17 \t 18 f 19 o 20 o 21 ' '
	 * 22 b 23 a 24 r 25 \r 26 \n 27 ' ' 28 ; 29 \n 30 ' ' 31 b 32 \n
	 * 33 \t 34 = 35 \n 36 ' ' 37 ' ' 38 b 39 a 40 z     (length 41)
	 */
	const char	*s =
	    "  v\t=\t1 ;\r\n a =\r\n\tfoo bar\r\n ;\n b\n\t=\n  baz";
	size_t		 off;

	CHECK_INT("tagvalue/fws-len", strlen(s), 41);
	CHECK_INT("tagvalue/fws-status", parse(s, &off), TAG_OK);
	CHECK_INT("tagvalue/fws-ntags", tl.ntags, 3);
	CHECK_STR("tagvalue/fws-name0", name(0), "v");
	CHECK_STR("tagvalue/fws-value0", val(0), "1");
	CHECK_STR("tagvalue/fws-name1", name(1), "a");
	CHECK_STR("tagvalue/fws-value1-inner-space-kept", val(1), "foo bar");
	CHECK_STR("tagvalue/fws-name2-lf-fold", name(2), "b");
	CHECK_STR("tagvalue/fws-value2-lf-fold", val(2), "baz");
	CHECK_INT("tagvalue/fws-name-ptr0", tl.tags[0].name - cur, 2);
	CHECK_INT("tagvalue/fws-name-ptr1", tl.tags[1].name - cur, 12);
	CHECK_INT("tagvalue/fws-name-ptr2", tl.tags[2].name - cur, 31);
	CHECK_INT("tagvalue/fws-value-ptr0", tl.tags[0].value - cur, 6);
	CHECK_INT("tagvalue/fws-value-ptr1", tl.tags[1].value - cur, 18);
	CHECK_INT("tagvalue/fws-value-ptr2", tl.tags[2].value - cur, 38);
	CHECK_INT("tagvalue/fws-raw-off0", tl.tags[0].raw_value_off, 5);
	CHECK_INT("tagvalue/fws-raw-end0", tl.tags[0].raw_value_end, 8);
	CHECK_INT("tagvalue/fws-raw-off1", tl.tags[1].raw_value_off, 15);
	CHECK_INT("tagvalue/fws-raw-end1", tl.tags[1].raw_value_end, 28);
	CHECK_INT("tagvalue/fws-raw-off2", tl.tags[2].raw_value_off, 35);
	CHECK_INT("tagvalue/fws-raw-end2", tl.tags[2].raw_value_end, 41);

	/* a folded value keeps its inner FWS (b= values are folded) */
	CHECK_INT("tagvalue/folded-value-status",
	    parse("b=ab\r\n cd; x=1", &off), TAG_OK);
	CHECK_INT("tagvalue/folded-value-len", tl.tags[0].value_len, 7);
	CHECK_MEM("tagvalue/folded-value-bytes", tl.tags[0].value,
	    tl.tags[0].value_len, "ab\r\n cd", 7);
	CHECK_INT("tagvalue/folded-value-raw-end", tl.tags[0].raw_value_end,
	    9);

	/* trailing WSP at the very end of the input is trimmed */
	CHECK_INT("tagvalue/trailing-wsp-status", parse("a=1 \t", &off),
	    TAG_OK);
	CHECK_STR("tagvalue/trailing-wsp-value", val(0), "1");
	CHECK_INT("tagvalue/trailing-wsp-raw-end", tl.tags[0].raw_value_end,
	    5);
}

static void
test_line_breaks(void)
{
	size_t	 off;

	/* a line break not followed by WSP is not FWS */
	CHECK_INT("tagvalue/crlf-no-wsp-syntax",
	    parse("a=1\r\nb=2", &off), TAG_SYNTAX);
	CHECK_INT("tagvalue/crlf-no-wsp-off", off, 3);
	CHECK_INT("tagvalue/lf-no-wsp-syntax", parse("a=1\nb=2", &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/lf-no-wsp-off", off, 3);
	/* a bare CR is no line break at all */
	CHECK_INT("tagvalue/bare-cr-syntax", parse("a=1\r b=2", &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/bare-cr-off", off, 3);
	/* FWS holds at most one line break (RFC 5322 FWS) */
	CHECK_INT("tagvalue/double-fold-syntax",
	    parse("a=1\r\n\r\n b=2", &off), TAG_SYNTAX);
	CHECK_INT("tagvalue/double-fold-off", off, 3);
	/* a fold between two tag-specs, after the ';' */
	CHECK_INT("tagvalue/fold-after-semicolon",
	    parse("a=1;\r\n\tb=2", &off), TAG_OK);
	CHECK_INT("tagvalue/fold-after-semicolon-ntags", tl.ntags, 2);
}

static void
test_semicolons(void)
{
	size_t	 off;

	CHECK_INT("tagvalue/trailing-semicolon", parse("a=1;", &off), TAG_OK);
	CHECK_INT("tagvalue/trailing-semicolon-ntags", tl.ntags, 1);
	CHECK_INT("tagvalue/trailing-semicolon-raw-end",
	    tl.tags[0].raw_value_end, 3);
	CHECK_INT("tagvalue/trailing-semicolon-fws",
	    parse("a=1; \r\n ", &off), TAG_OK);
	CHECK_INT("tagvalue/trailing-semicolon-fws-ntags", tl.ntags, 1);

	CHECK_INT("tagvalue/empty-list", parse("", &off), TAG_OK);
	CHECK_INT("tagvalue/empty-list-ntags", tl.ntags, 0);

	CHECK_INT("tagvalue/lone-semicolon", parse(";", &off), TAG_SYNTAX);
	CHECK_INT("tagvalue/lone-semicolon-off", off, 0);
	CHECK_INT("tagvalue/double-semicolon", parse("a=1;;b=2", &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/double-semicolon-off", off, 4);
	CHECK_INT("tagvalue/semicolon-space-semicolon",
	    parse("a=1; ;", &off), TAG_SYNTAX);
	CHECK_INT("tagvalue/semicolon-space-semicolon-off", off, 5);
	CHECK_INT("tagvalue/trailing-double-semicolon",
	    parse("a=1;;", &off), TAG_SYNTAX);

	/* ';' ends a value: "a=x;y=z" is two tags */
	CHECK_INT("tagvalue/semicolon-boundary", parse("a=x;y=z", &off),
	    TAG_OK);
	CHECK_INT("tagvalue/semicolon-boundary-ntags", tl.ntags, 2);
	CHECK_STR("tagvalue/semicolon-boundary-value0", val(0), "x");
	CHECK_STR("tagvalue/semicolon-boundary-value1", val(1), "z");
	CHECK_INT("tagvalue/semicolon-boundary-raw-end",
	    tl.tags[0].raw_value_end, 3);

	/* '=' is a VALCHAR: base64 padding stays in the value */
	CHECK_INT("tagvalue/equals-in-value", parse("b=abc==; c=d", &off),
	    TAG_OK);
	CHECK_STR("tagvalue/equals-in-value-b", val(0), "abc==");

	/* empty values */
	CHECK_INT("tagvalue/empty-values", parse("a=; b=", &off), TAG_OK);
	CHECK_INT("tagvalue/empty-values-ntags", tl.ntags, 2);
	CHECK_INT("tagvalue/empty-value-a-len", tl.tags[0].value_len, 0);
	CHECK_INT("tagvalue/empty-value-b-len", tl.tags[1].value_len, 0);
	CHECK_INT("tagvalue/empty-value-a-off", tl.tags[0].raw_value_off, 2);
	CHECK_INT("tagvalue/empty-value-a-end", tl.tags[0].raw_value_end, 2);
	CHECK_INT("tagvalue/empty-value-b-off", tl.tags[1].raw_value_off, 6);
	CHECK_INT("tagvalue/empty-value-b-end", tl.tags[1].raw_value_end, 6);
}

static void
test_names(void)
{
	size_t	 off;

	CHECK_INT("tagvalue/name-digit-first", parse("1a=x", &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/name-digit-first-off", off, 0);
	CHECK_INT("tagvalue/name-underscore-first", parse("_a=x", &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/name-alnum-underscore", parse("a1_b=x", &off),
	    TAG_OK);
	CHECK_STR("tagvalue/name-alnum-underscore-name", name(0), "a1_b");
	CHECK_INT("tagvalue/name-hyphen", parse("a-b=1", &off), TAG_SYNTAX);
	CHECK_INT("tagvalue/name-hyphen-off", off, 1);
	CHECK_INT("tagvalue/name-no-equals", parse("a", &off), TAG_SYNTAX);
	CHECK_INT("tagvalue/name-no-equals-off", off, 1);
	CHECK_INT("tagvalue/name-two-words", parse("a b=1", &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/name-two-words-off", off, 2);
	CHECK_INT("tagvalue/name-8bit", parse("\xc3\xa9=1", &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/name-8bit-off", off, 0);
	CHECK_INT("tagvalue/missing-name", parse("=1", &off), TAG_SYNTAX);

	/* names are case-sensitive: "a" and "A" are two tags */
	CHECK_INT("tagvalue/case-sensitive-status", parse("a=1; A=2", &off),
	    TAG_OK);
	CHECK_INT("tagvalue/case-sensitive-ntags", tl.ntags, 2);
	CHECK_TRUE("tagvalue/case-sensitive-get-a",
	    tag_list_get(&tl, "a") == &tl.tags[0]);
	CHECK_TRUE("tagvalue/case-sensitive-get-A",
	    tag_list_get(&tl, "A") == &tl.tags[1]);
	CHECK_INT("tagvalue/upper-v", parse("V=1", &off), TAG_OK);
	CHECK_TRUE("tagvalue/upper-v-not-v", tag_list_get(&tl, "v") == NULL);
	/* a longer name sharing a prefix is not the tag */
	CHECK_INT("tagvalue/prefix-name", parse("bh=x", &off), TAG_OK);
	CHECK_TRUE("tagvalue/prefix-name-b", tag_list_get(&tl, "b") == NULL);
}

static void
test_duplicate(void)
{
	size_t	 off;

	/* "a=1; b=2; a=3": the second "a" is at offset 10 */
	CHECK_INT("tagvalue/duplicate", parse("a=1; b=2; a=3", &off),
	    TAG_DUPLICATE);
	CHECK_INT("tagvalue/duplicate-off", off, 10);
	CHECK_INT("tagvalue/duplicate-empty-values", parse("x=;x=", &off),
	    TAG_DUPLICATE);
	CHECK_INT("tagvalue/duplicate-empty-values-off", off, 3);
}

static void
test_values(void)
{
	const char	 nul[] = "a=x\0y";
	size_t		 off;

	CHECK_INT("tagvalue/value-8bit", parse("a=caf\xc3\xa9", &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/value-8bit-off", off, 5);
	CHECK_INT("tagvalue/value-control", parse("a=x\x01y", &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/value-control-off", off, 3);
	CHECK_INT("tagvalue/value-nul", parse_n(nul, sizeof(nul) - 1, &off),
	    TAG_SYNTAX);
	CHECK_INT("tagvalue/value-nul-off", off, 3);
	CHECK_INT("tagvalue/value-del", parse("a=x\x7fy", &off), TAG_SYNTAX);
	/* every VALCHAR %x21-3A / %x3C-7E is accepted */
	CHECK_INT("tagvalue/value-all-valchars",
	    parse("a=!\"#$%&'()*+,-./0123456789:<=>?@AZ[\\]^_`az{|}~", &off),
	    TAG_OK);
	CHECK_INT("tagvalue/value-all-valchars-len", tl.tags[0].value_len,
	    45);

	/* the length bounds the parse: nothing past len is read */
	CHECK_INT("tagvalue/length-bound", parse_n("a=1;b=2", 3, &off),
	    TAG_OK);
	CHECK_INT("tagvalue/length-bound-ntags", tl.ntags, 1);
	CHECK_STR("tagvalue/length-bound-value", val(0), "1");

	CHECK_INT("tagvalue/value-is-status", parse("k=RSA", &off), TAG_OK);
	CHECK_TRUE("tagvalue/value-is-caseless",
	    tag_value_is(&tl.tags[0], "rsa"));
	CHECK_TRUE("tagvalue/value-is-prefix-no",
	    !tag_value_is(&tl.tags[0], "rs"));
	CHECK_TRUE("tagvalue/value-is-longer-no",
	    !tag_value_is(&tl.tags[0], "rsax"));
}

/* raw_value_off/raw_value_end let a caller blank b= (section 3.7). */
static void
test_blank_b(void)
{
	/*
	 * 0 v 1 = 2 1 3 ; 4 ' ' 5 b 6 = 7 ' ' 8 a 9 b 10 c 11 ' ' 12 ;
	 * 13 ' ' 14 d 15 = 16 x
	 */
	const char	*s = "v=1; b= abc ; d=x";
	const struct tag *b;
	char		 out[64];
	size_t		 off, n;

	CHECK_INT("tagvalue/blank-b-status", parse(s, &off), TAG_OK);
	b = tag_list_get(&tl, "b");
	CHECK_TRUE("tagvalue/blank-b-found", b != NULL);
	if (b == NULL)
		return;
	CHECK_INT("tagvalue/blank-b-raw-off", b->raw_value_off, 7);
	CHECK_INT("tagvalue/blank-b-raw-end", b->raw_value_end, 12);
	CHECK_STR("tagvalue/blank-b-value", val(1), "abc");
	n = 0;
	memcpy(out, s, b->raw_value_off);
	n += b->raw_value_off;
	memcpy(out + n, s + b->raw_value_end, strlen(s) - b->raw_value_end);
	n += strlen(s) - b->raw_value_end;
	out[n] = '\0';
	CHECK_STR("tagvalue/blank-b-result", out, "v=1; b=; d=x");
}

static void
test_too_many(void)
{
	char	 s[TAG_LIST_MAX * 8 + 16];
	size_t	 n = 0, i, off, extra;

	for (i = 0; i < TAG_LIST_MAX; i++)
		n += (size_t)snprintf(s + n, sizeof(s) - n, "t%zu=%zu;", i, i);
	CHECK_INT("tagvalue/max-tags-ok", parse_n(s, n, &off), TAG_OK);
	CHECK_INT("tagvalue/max-tags-ntags", tl.ntags, TAG_LIST_MAX);
	CHECK_STR("tagvalue/max-tags-last-name", name(TAG_LIST_MAX - 1), "t63");
	/* the 65th tag-spec starts where the 64 above end */
	extra = n;
	n += (size_t)snprintf(s + n, sizeof(s) - n, "u=1");
	CHECK_INT("tagvalue/too-many-tags", parse_n(s, n, &off),
	    TAG_TOO_MANY);
	CHECK_INT("tagvalue/too-many-tags-off", off, extra);
}

static void
test_status_str(void)
{
	CHECK_TRUE("tagvalue/status-str-ok", tag_status_str(TAG_OK) != NULL);
	CHECK_TRUE("tagvalue/status-str-distinct",
	    strcmp(tag_status_str(TAG_SYNTAX),
	    tag_status_str(TAG_DUPLICATE)) != 0 &&
	    strcmp(tag_status_str(TAG_DUPLICATE),
	    tag_status_str(TAG_TOO_MANY)) != 0);
}

/* The copy ends at the value, which in the input runs on to the next ';'. */
static void
test_value_dup(void)
{
	size_t	 off;
	char	*v;

	CHECK_INT("tagvalue/dup-parse", parse("k=rsa; n= a b ;p=", &off),
	    TAG_OK);
	v = tag_value_dup(&tl.tags[1]);
	CHECK_STR("tagvalue/dup-value", v, "a b");
	free(v);
	v = tag_value_dup(&tl.tags[2]);
	CHECK_STR("tagvalue/dup-empty", v, "");
	free(v);
}

/* Each item as "[item]" into the buffer; stops at "stop". */
static bool
gather(const char *item, size_t len, void *arg)
{
	char	*out = arg;
	size_t	 n = strlen(out);

	snprintf(out + n, 128 - n, "[%.*s]", (int)len, item);
	return !(len == 4 && memcmp(item, "stop", 4) == 0);
}

static void
test_value_items(void)
{
	char	 out[128];
	size_t	 off;

	CHECK_INT("tagvalue/items-parse", parse("h= From : to\r\n\t:x::;"
	    "e=;s=a:stop:b", &off), TAG_OK);
	out[0] = '\0';
	CHECK_TRUE("tagvalue/items-all", tag_value_items(&tl.tags[0], gather,
	    out));
	CHECK_STR("tagvalue/items-trimmed", out, "[From][to][x][][]");
	out[0] = '\0';
	CHECK_TRUE("tagvalue/items-empty-value", tag_value_items(&tl.tags[1],
	    gather, out));
	CHECK_STR("tagvalue/items-empty-one", out, "[]");
	out[0] = '\0';
	CHECK_TRUE("tagvalue/items-stopped", !tag_value_items(&tl.tags[2],
	    gather, out));
	CHECK_STR("tagvalue/items-stopped-at", out, "[a][stop]");
}

int
main(void)
{
	test_basic();
	test_fws();
	test_line_breaks();
	test_semicolons();
	test_names();
	test_duplicate();
	test_values();
	test_blank_b();
	test_too_many();
	test_status_str();
	test_value_dup();
	test_value_items();
	free(cur);
	return UNIT_DONE();
}
