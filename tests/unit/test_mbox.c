/* SPDX-License-Identifier: ISC */
/*
 * test_mbox: the streaming mbox splitter (fbl/source/mbox.h).
 *
 * Every input is fed through a reader that hands out at most `chunk` bytes
 * per call, and most cases run with several chunk sizes and the smallest
 * window, so window refills land everywhere.  Offsets and lengths below are
 * counted by hand from the literal pieces (noted beside them).
 */
#include <errno.h>
#include <stdlib.h>

#include "fbl/source/mbox.h"
#include "tests/unit/unit.h"

struct mem_reader {
	const char	*p;
	size_t		 len;
	size_t		 pos;
	size_t		 chunk;
	size_t		 fail_at;	/* EIO from here on (0: never) */
};

static ssize_t
mem_read(void *ctx, void *dst, size_t len)
{
	struct mem_reader *r = ctx;
	size_t		 n = r->len - r->pos;

	if (r->fail_at > 0 && r->pos >= r->fail_at) {
		errno = EIO;
		return -1;
	}
	if (n > len)
		n = len;
	if (n > r->chunk)
		n = r->chunk;
	if (r->fail_at > 0 && n > r->fail_at - r->pos)
		n = r->fail_at - r->pos;
	memcpy(dst, r->p + r->pos, n);
	r->pos += n;
	return (ssize_t)n;
}

#define MAXMSG	16

/* What a split gave: return codes, messages, errors. */
struct split {
	int		 rc[MAXMSG];
	struct mbox_msg	 msg[MAXMSG];
	char		 err[MAXMSG][256];
	size_t		 n;		/* results before the final 0 */
};

static void
split_free(struct split *s)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		mbox_msg_free(&s->msg[i]);
	memset(s, 0, sizeof(*s));
}

static void
split(struct split *s, const char *in, size_t len, size_t chunk,
    size_t window, size_t max, size_t fail_at)
{
	struct mem_reader r = { in, len, 0, chunk, fail_at };
	struct buf	 err = BUF_INIT;
	struct mbox	*m;
	int		 rc;

	memset(s, 0, sizeof(*s));
	if ((m = mbox_new(mem_read, &r, "box", max, window)) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	while (s->n < MAXMSG) {
		buf_reset(&err);
		if ((rc = mbox_next(m, &s->msg[s->n], &err)) == 0)
			break;
		s->rc[s->n] = rc;
		snprintf(s->err[s->n], sizeof(s->err[0]), "%s", buf_cstr(&err));
		s->n++;
	}
	/* the end stays the end */
	CHECK_INT("mbox: end repeats", mbox_next(m, &s->msg[MAXMSG - 1], &err),
	    0);
	mbox_free(m);
	buf_free(&err);
}

static void
split_str(struct split *s, const char *in, size_t chunk)
{
	split(s, in, strlen(in), chunk, 0, 1 << 20, 0);
}

static const char *
data(const struct split *s, size_t i)
{
	return i < s->n && s->msg[i].data.data ? s->msg[i].data.data : "";
}

static const char three[] =
	"From alice@example.com Mon Jan  1 00:00:00 2024\n"	/* 48 */
	"Subject: one\n"					/* 13 */
	"\n"							/* 1 */
	"body one\n"						/* 9 */
	">From the start\n"					/* 16 */
	"\n"			/* 1: separator; message 2 at 88 */
	"From bob@example.com Tue Jan  2 10:11:12 2024\n"	/* 46 */
	"Subject: two\n"					/* 13 */
	"\n"							/* 1 */
	"From what I saw, no date: not a separator\n"		/* 42 */
	"From x Mon Jan  1 00:00:00 2024 but no blank before\n"	/* 52 */
	"\n"			/* 1: separator; message 3 at 243 */
	"From carol@example.com Wed Jan  3 23:59:59 2024\n"	/* 48 */
	"Subject: three\n"					/* 15 */
	"\n"							/* 1 */
	">>From quoted twice\n"					/* 20 */
	"\n";			/* 1: the last separator; total 328 */

static void
test_three(void)
{
	static const size_t chunks[] = { 1, 2, 3, 7, 64, 4096 };
	struct split	 s;
	size_t		 c;
	char		 name[64];

	for (c = 0; c < sizeof(chunks) / sizeof(chunks[0]); c++) {
		split(&s, three, strlen(three), chunks[c], MBOX_WINDOW_MIN,
		    1 << 20, 0);
		snprintf(name, sizeof(name), "mbox: three/chunk %zu",
		    chunks[c]);
		CHECK_INT(name, s.n, 3);
		CHECK_INT(name, s.rc[0], 1);
		CHECK_INT(name, s.rc[1], 1);
		CHECK_INT(name, s.rc[2], 1);
		CHECK_STR(name, data(&s, 0),
		    "Subject: one\n\nbody one\nFrom the start\n");
		CHECK_STR(name, data(&s, 1),
		    "Subject: two\n\n"
		    "From what I saw, no date: not a separator\n"
		    "From x Mon Jan  1 00:00:00 2024 but no blank before\n");
		CHECK_STR(name, data(&s, 2),
		    "Subject: three\n\n>From quoted twice\n");
		CHECK_INT(name, s.msg[0].offset, 0);
		CHECK_INT(name, s.msg[0].length, 88);
		CHECK_INT(name, s.msg[1].offset, 88);
		CHECK_INT(name, s.msg[1].length, 155);
		CHECK_INT(name, s.msg[2].offset, 243);
		CHECK_INT(name, s.msg[2].length, 85);
		CHECK_INT(name, s.msg[0].number, 1);
		CHECK_INT(name, s.msg[2].number, 3);
		CHECK_INT(name, s.msg[0].unquoted, 1);
		CHECK_INT(name, s.msg[1].unquoted, 0);
		CHECK_INT(name, s.msg[2].unquoted, 1);
		CHECK_STR(name, s.msg[0].envelope_from, "alice@example.com");
		CHECK_STR(name, s.msg[0].envelope_date,
		    "Mon Jan  1 00:00:00 2024");
		CHECK_STR(name, s.msg[2].envelope_from, "carol@example.com");
		split_free(&s);
	}
}

static void
test_mboxrd(void)
{
	struct split	 s;

	split_str(&s,
	    "From a@b Sat Feb  3 04:05:06 2024\n"
	    "X: 1\n"
	    "\n"
	    ">From one\n"
	    ">>From two\n"
	    ">>>From three\n"
	    "> From a reply, not quoting\n"
	    ">Fromage\n"
	    ">From\n"
	    " >From indented\n"
	    "\n", 5);
	CHECK_INT("mbox: mboxrd count", s.n, 1);
	CHECK_STR("mbox: mboxrd one level undone", data(&s, 0),
	    "X: 1\n\nFrom one\n>From two\n>>From three\n"
	    "> From a reply, not quoting\n>Fromage\n>From\n"
	    " >From indented\n");
	CHECK_INT("mbox: mboxrd unquoted", s.msg[0].unquoted, 3);
	split_free(&s);
}

static void
test_crlf(void)
{
	struct split	 s;

	split_str(&s,
	    "From a@b Mon Jan  1 00:00:00 2024\r\n"		/* 35 */
	    "Subject: x\r\n"					/* 12 */
	    "\r\n"						/* 2 */
	    "body\r\n"						/* 6 */
	    "\r\n"						/* 2: 57 */
	    "From c@d Tue Jan  2 00:00:00 2024\r\n"
	    "Subject: y\r\n"
	    "\r\n"
	    ">From z\r\n"
	    "\r\n", 3);
	CHECK_INT("mbox: crlf count", s.n, 2);
	CHECK_STR("mbox: crlf message 1", data(&s, 0),
	    "Subject: x\r\n\r\nbody\r\n");
	CHECK_STR("mbox: crlf message 2", data(&s, 1),
	    "Subject: y\r\n\r\nFrom z\r\n");
	CHECK_INT("mbox: crlf offset 2", s.msg[1].offset, 57);
	CHECK_STR("mbox: crlf envelope date has no CR",
	    s.msg[0].envelope_date, "Mon Jan  1 00:00:00 2024");
	CHECK_STR("mbox: crlf envelope from", s.msg[1].envelope_from, "c@d");
	split_free(&s);
}

static void
test_no_from(void)
{
	struct split	 s;

	/* no From_ line at all: one message, bytes untouched, blank kept */
	split_str(&s, "Subject: a\n\nbody\n>From kept? no: undone\n\n", 4);
	CHECK_INT("mbox: no From_ count", s.n, 1);
	CHECK_STR("mbox: no From_ bytes", data(&s, 0),
	    "Subject: a\n\nbody\nFrom kept? no: undone\n\n");
	CHECK_TRUE("mbox: no From_ no envelope", s.msg[0].envelope_from ==
	    NULL && s.msg[0].envelope_date == NULL);
	split_free(&s);

	/* ... and a separator later on */
	split_str(&s, "Subject: a\n\nx\n\nFrom q@r Mon Jan  1 00:00:00 2024\n"
	    "Subject: b\n", 4);
	CHECK_INT("mbox: leading message count", s.n, 2);
	CHECK_STR("mbox: leading message", data(&s, 0), "Subject: a\n\nx\n");
	CHECK_STR("mbox: after it", data(&s, 1), "Subject: b\n");
	CHECK_INT("mbox: after it offset", s.msg[1].offset, 15);
	split_free(&s);
}

static void
test_empty(void)
{
	struct split	 s;

	split_str(&s, "", 1);
	CHECK_INT("mbox: empty input", s.n, 0);
	split_free(&s);

	split_str(&s,
	    "From a Mon Jan  1 00:00:00 2024\n"		/* 32 */
	    "\n"					/* 1 */
	    "From b Mon Jan  1 00:00:01 2024\n"
	    "X: y\n", 8);
	CHECK_INT("mbox: empty message count", s.n, 2);
	CHECK_INT("mbox: empty message is an error", s.rc[0], -1);
	CHECK_TRUE("mbox: empty message says so",
	    strstr(s.err[0], "box: message 1 at offset 0: empty") != NULL);
	CHECK_INT("mbox: empty message has no data", s.msg[0].data.len, 0);
	CHECK_STR("mbox: empty message keeps its envelope",
	    s.msg[0].envelope_from, "a");
	CHECK_INT("mbox: next one ok", s.rc[1], 1);
	CHECK_STR("mbox: next one", data(&s, 1), "X: y\n");
	CHECK_INT("mbox: next one number", s.msg[1].number, 2);
	CHECK_INT("mbox: next one offset", s.msg[1].offset, 33);
	split_free(&s);

	split_str(&s, "From only Mon Jan  1 00:00:00 2024\n", 8);
	CHECK_INT("mbox: From_ line only", s.n, 1);
	CHECK_INT("mbox: From_ line only is an error", s.rc[0], -1);
	split_free(&s);
}

static void
test_oversize(void)
{
	struct split	 s;
	char		 in[1024];

	snprintf(in, sizeof(in), "%s%s%s%s%s",
	    "From big Mon Jan  1 00:00:00 2024\n",		/* 34 */
	    "Subject: big\n\n",					/* 14 */
	    "0123456789012345678901234567890123456789\n",	/* 41 */
	    "\n",						/* 1: 90 */
	    "From small Mon Jan  1 00:00:00 2024\nX: y\n\n");
	split(&s, in, strlen(in), 5, 0, 54, 0);
	CHECK_INT("mbox: oversize count", s.n, 2);
	CHECK_INT("mbox: oversize is an error", s.rc[0], -1);
	CHECK_TRUE("mbox: oversize says so", strstr(s.err[0],
	    "box: message 1 at offset 0: too large (over 54 bytes), "
	    "skipped") != NULL);
	CHECK_INT("mbox: oversize length", s.msg[0].length, 90);
	CHECK_INT("mbox: after oversize ok", s.rc[1], 1);
	CHECK_STR("mbox: after oversize", data(&s, 1), "X: y\n");
	CHECK_INT("mbox: after oversize number", s.msg[1].number, 2);
	CHECK_INT("mbox: after oversize offset", s.msg[1].offset, 90);
	split_free(&s);

	/* exactly at the limit: 14 + 41 bytes kept (the blank is stripped) */
	split(&s, in, strlen(in), 5, 0, 55, 0);
	CHECK_INT("mbox: at the limit ok", s.rc[0], 1);
	CHECK_INT("mbox: at the limit length", s.msg[0].data.len, 55);
	split_free(&s);
}

static void
test_long_lines(void)
{
	struct split	 s;
	char		*in, *want;
	size_t		 n = 0, i;

	/* a From_ line of 3000 bytes, a body line of 5000, tiny chunks */
	in = malloc(16384);
	want = malloc(16384);
	if (in == NULL || want == NULL)
		exit(2);
	memcpy(in, "From ", 5);
	n = 5;
	for (i = 0; i < 3000; i++)
		in[n++] = 'x';
	memcpy(in + n, " Mon Jan  1 00:00:00 2024\nX: y\n\n", 32);
	n += 32;
	for (i = 0; i < 5000; i++)
		in[n++] = i % 2 ? 'a' : 'b';
	memcpy(in + n, "\n\n", 2);
	n += 2;
	split(&s, in, n, 7, MBOX_WINDOW_MIN, 1 << 20, 0);
	CHECK_INT("mbox: long lines count", s.n, 1);
	CHECK_INT("mbox: long lines ok", s.rc[0], 1);
	memcpy(want, "X: y\n\n", 6);
	for (i = 0; i < 5000; i++)
		want[6 + i] = i % 2 ? 'a' : 'b';
	want[5006] = '\n';
	CHECK_MEM("mbox: long body line intact", s.msg[0].data.data,
	    s.msg[0].data.len, want, 5007);
	CHECK_INT("mbox: envelope cut", s.msg[0].envelope_from != NULL ?
	    strlen(s.msg[0].envelope_from) : 0, MBOX_ENVELOPE_MAX);
	CHECK_STR("mbox: date beyond the cut is lost",
	    s.msg[0].envelope_date, "");
	split_free(&s);
	free(in);
	free(want);
}

static void
test_odd_bytes(void)
{
	static const char in[] =
	    "From a\x01z Mon Jan  1 00:00:00 2024\n"
	    "X: \0nul\n"
	    "\n"
	    "last line without LF";
	struct split	 s;

	split(&s, in, sizeof(in) - 1, 3, 0, 1 << 20, 0);
	CHECK_INT("mbox: odd bytes count", s.n, 1);
	CHECK_MEM("mbox: NUL kept, no final LF", s.msg[0].data.data,
	    s.msg[0].data.len, "X: \0nul\n\nlast line without LF", 29);
	CHECK_STR("mbox: control in envelope shown", s.msg[0].envelope_from,
	    "a?z");
	split_free(&s);
}

static void
test_read_error(void)
{
	struct split	 s;

	/* message 2 (at 88) is being read when the reader fails at 200 */
	split(&s, three, strlen(three), 10, 0, 1 << 20, 200);
	CHECK_INT("mbox: read error count", s.n, 2);
	CHECK_INT("mbox: before the error ok", s.rc[0], 1);
	CHECK_STR("mbox: before the error", data(&s, 0),
	    "Subject: one\n\nbody one\nFrom the start\n");
	CHECK_INT("mbox: error item", s.rc[1], -1);
	CHECK_INT("mbox: error item number", s.msg[1].number, 2);
	CHECK_INT("mbox: error item offset", s.msg[1].offset, 88);
	CHECK_TRUE("mbox: error names offset", strstr(s.err[1],
	    "box: read error at offset 200") != NULL);
	split_free(&s);
}

static void
test_envelope_ok(void)
{
	static const struct {
		const char	*line;
		bool		 ok;
	} t[] = {
		{ "From a Mon Jan  1 00:00:00 2024", true },
		{ "From MAILER-DAEMON Fri Jul  8 12:08:34 2011", true },
		{ "From - Thu Apr 02 08:29:20 +0000 2020", true },
		{ "From 1682345@xxx Thu Apr 02 08:29:20 +0000 2020", true },
		{ "From \"a b\"@c Sun Dec 31 23:59 1999 remote from x", true },
		{ "From u@h Wed, 3 Jan 2024 10:00:00 +0000", true },
		{ "From what I saw", false },
		{ "From x Monday Jan 1 10:00", false },
		{ "From a Jan Mon 1 00:00", false },
		{ "From a Mon Jan 1", false },
		{ "From a Mon Jan 1 0:0", false },
		{ "From Mon Jan  1 00:00:00 2024", false },
		{ "from a Mon Jan  1 00:00:00 2024", false },
		{ ">From a Mon Jan  1 00:00:00 2024", false },
		{ "From", false },
	};
	size_t	 i;
	char	 name[128];

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "mbox: envelope_ok \"%s\"",
		    t[i].line);
		CHECK_INT(name, mbox_envelope_ok(t[i].line, strlen(t[i].line)),
		    t[i].ok);
	}
}

static void
test_envelope_words(void)
{
	char	*from, *date;

	CHECK_TRUE("mbox: words ok",
	    mbox_envelope_words("  a@b   Mon Jan 1  \r\nX", 21, &from, &date));
	CHECK_STR("mbox: words from", from, "a@b");
	CHECK_STR("mbox: words date", date, "Mon Jan 1");
	free(from);
	free(date);
	CHECK_TRUE("mbox: words empty", mbox_envelope_words("\n", 1, &from,
	    &date));
	CHECK_STR("mbox: words empty from", from, "");
	CHECK_STR("mbox: words empty date", date, "");
	free(from);
	free(date);
}

/*
 * The envelope check against its definition, written here the slow, plain
 * way: some weekday standing alone at 6 or later, a month after it, a time
 * H:MM after that, within the first MBOX_HEAD bytes.  Lines are made of
 * the pieces that matter (issue 11: "From x Mon Mon Mon ..." lines made
 * the old check scan once per weekday).
 */
static bool
word_ref(const char *p, size_t len, size_t i, const char *const *w, size_t n)
{
	size_t	 k;

	if (i + 3 > len || (i > 0 && ((p[i - 1] | 0x20) >= 'a' &&
	    (p[i - 1] | 0x20) <= 'z')) || (i + 3 < len && ((p[i + 3] | 0x20) >=
	    'a' && (p[i + 3] | 0x20) <= 'z')))
		return false;
	for (k = 0; k < n; k++)
		if (memcmp(p + i, w[k], 3) == 0)
			return true;
	return false;
}

static bool
envelope_ref(const char *p, size_t len)
{
	static const char *const wd[] = { "Mon", "Tue", "Wed", "Thu", "Fri",
	    "Sat", "Sun" };
	static const char *const mo[] = { "Jan", "Feb", "Mar", "Apr", "May",
	    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	size_t	 i, j, k;

	if (len < 5 || memcmp(p, "From ", 5) != 0)
		return false;
	if (len > MBOX_HEAD)
		len = MBOX_HEAD;
	for (i = 6; i < len; i++) {
		if (!word_ref(p, len, i, wd, 7))
			continue;
		for (j = i + 3; j < len; j++) {
			if (!word_ref(p, len, j, mo, 12))
				continue;
			for (k = j + 3; k + 3 < len; k++)
				if (p[k] >= '0' && p[k] <= '9' &&
				    p[k + 1] == ':' && p[k + 2] >= '0' &&
				    p[k + 2] <= '9' && p[k + 3] >= '0' &&
				    p[k + 3] <= '9')
					return true;
		}
	}
	return false;
}

static void
test_envelope_linear(void)
{
	static const char *const piece[] = { "Mon", "Jan", " ", "1:23", "x",
	    "Monday", "Janx", "12:3", "From", "Sun", ":", "9", "Dec" };
	char		 line[600];
	unsigned	 seed = 12345, i, mismatches = 0, yes = 0;
	size_t		 n, k;

	for (i = 0; i < 20000; i++) {
		memcpy(line, "From ", 5);
		n = 5;
		while (n < 560) {
			seed = seed * 1103515245 + 12345;
			k = (seed >> 16) % (sizeof(piece) / sizeof(piece[0]));
			if ((seed >> 8) % 7 == 0)
				break;
			memcpy(line + n, piece[k], strlen(piece[k]));
			n += strlen(piece[k]);
		}
		if (mbox_envelope_ok(line, n) != envelope_ref(line, n))
			mismatches++;
		yes += envelope_ref(line, n);
	}
	CHECK_INT("mbox: envelope check as defined (20000 lines)", mismatches,
	    0);
	CHECK_TRUE("mbox: envelope lines of both kinds", yes > 100 &&
	    yes < 19900);
}

int
main(void)
{
	test_three();
	test_mboxrd();
	test_crlf();
	test_no_from();
	test_empty();
	test_oversize();
	test_long_lines();
	test_odd_bytes();
	test_read_error();
	test_envelope_ok();
	test_envelope_words();
	test_envelope_linear();
	return UNIT_DONE();
}
