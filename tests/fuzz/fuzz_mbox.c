/* SPDX-License-Identifier: ISC */
/*
 * fuzz_mbox: the streaming mbox splitter (fbl/source/mbox.h) on hostile bytes.
 *
 * The last four bytes of the input choose the mode and the parameters (so
 * seeds that are real mailboxes start as mailboxes):
 * - hostile mode: the bytes are split twice, once through a reader that
 *   hands out a few bytes at a time into the smallest window (maybe failing
 *   part way), once in one piece into the default window; both must agree
 *   (the result never depends on chunking), and every message is checked
 *   against the rules of mbox.h computed plainly over the whole input:
 *   messages tile the input, each starts at a separator, none holds one,
 *   and its bytes are its region with the From_ line, one '>' of quoted
 *   lines and the separating blank line taken out.
 * - round-trip mode: the bytes, cut at 0xff, are messages; they are written
 *   as an mboxrd file (envelope, quoting, blank line) and split again: the
 *   messages must come back byte for byte.
 *
 * Any broken invariant is reported on stderr and abort()s.
 *
 * FUZZ_MAX_LEN: 65536
 * FUZZ_SOURCES: fbl/source/mbox.c
 * FUZZ_SEEDS: arf
 * FUZZ_DICT: "From "
 * FUZZ_DICT: ">From "
 * FUZZ_DICT: ">>From "
 * FUZZ_DICT: "\x0a\x0aFrom a Mon Jan  1 00:00:00 2024\x0a"
 * FUZZ_DICT: "\x0d\x0a\x0d\x0aFrom b Tue Feb  2 10:11:12 2021\x0d\x0a"
 * FUZZ_DICT: " Thu Apr 02 08:29:20 +0000 2020"
 * FUZZ_DICT: "\x0d\x0a"
 * FUZZ_DICT: "\x0a\x0a"
 * FUZZ_DICT: "\xff"
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/source/mbox.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_mbox: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

#define MAXRES	4096

struct reader {
	const char	*p;
	size_t		 len;
	size_t		 pos;
	size_t		 chunk;
	size_t		 fail_at;	/* 0: never */
};

static ssize_t
rd(void *ctx, void *dst, size_t len)
{
	struct reader	*r = ctx;
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

struct result {
	int		 rc[MAXRES];
	struct mbox_msg	 msg[MAXRES];
	size_t		 n;
};

static void
results_free(struct result *res)
{
	size_t	 i;

	for (i = 0; i < res->n; i++)
		mbox_msg_free(&res->msg[i]);
	res->n = 0;
}

/* Split; false when there were more than MAXRES results (not checked). */
static bool
run(struct result *res, const char *p, size_t len, size_t chunk,
    size_t window, size_t max, size_t fail_at)
{
	struct reader	 r = { p, len, 0, chunk, fail_at };
	struct buf	 err = BUF_INIT;
	struct mbox	*m;
	int		 rc;

	res->n = 0;
	if ((m = mbox_new(rd, &r, "fuzz", max, window)) == NULL)
		return false;
	for (;;) {
		if (res->n == MAXRES) {
			mbox_free(m);
			buf_free(&err);
			return false;
		}
		memset(&res->msg[res->n], 0, sizeof(res->msg[0]));
		buf_reset(&err);
		rc = mbox_next(m, &res->msg[res->n], &err);
		REQUIRE(rc == 1 || rc == 0 || rc == -1);
		if (rc == 0) {
			REQUIRE(err.len == 0);
			REQUIRE(res->msg[res->n].data.len == 0);
			break;
		}
		/* errors name the input and say what happened */
		REQUIRE(rc == 1 ? err.len == 0 :
		    strncmp(buf_cstr(&err), "fuzz: ", 6) == 0);
		res->rc[res->n++] = rc;
	}
	/* the end stays the end */
	REQUIRE(mbox_next(m, &res->msg[res->n], &err) == 0);
	mbox_msg_free(&res->msg[res->n]);
	mbox_free(m);
	buf_free(&err);
	return true;
}

static bool
same_str(const char *a, const char *b)
{
	return (a == NULL || b == NULL) ? a == b : strcmp(a, b) == 0;
}

static void
same_msg(const struct result *a, size_t i, const struct result *b, size_t j)
{
	const struct mbox_msg *x = &a->msg[i], *y = &b->msg[j];

	REQUIRE(a->rc[i] == b->rc[j]);
	REQUIRE(x->offset == y->offset);
	REQUIRE(x->length == y->length);
	REQUIRE(x->number == y->number);
	REQUIRE(x->unquoted == y->unquoted);
	REQUIRE(x->data.len == y->data.len);
	REQUIRE(x->data.len == 0 ||
	    memcmp(x->data.data, y->data.data, x->data.len) == 0);
	REQUIRE(same_str(x->envelope_from, y->envelope_from));
	REQUIRE(same_str(x->envelope_date, y->envelope_date));
}

/* --- the rules, plainly ------------------------------------------------ */

/* End of the line starting at i (after its LF, or len). */
static size_t
line_end(const char *p, size_t len, size_t i)
{
	const char	*lf = memchr(p + i, '\n', len - i);

	return lf != NULL ? (size_t)(lf - p) + 1 : len;
}

static bool
is_blank(const char *p, size_t n)
{
	return (n == 1 && p[0] == '\n') ||
	    (n == 2 && p[0] == '\r' && p[1] == '\n');
}

static bool
quoted(const char *p, size_t n)
{
	size_t	 k;

	if (n > MBOX_HEAD)
		n = MBOX_HEAD;
	for (k = 0; k < n && p[k] == '>'; k++)
		continue;
	return k > 0 && n - k >= 5 && memcmp(p + k, "From ", 5) == 0;
}

/* Is the line that ends at off (after its LF) blank? */
static bool
prev_line_blank(const char *p, size_t off)
{
	size_t	 s;

	if (off == 0 || p[off - 1] != '\n')
		return false;
	for (s = off - 1; s > 0 && p[s - 1] != '\n'; s--)
		continue;
	return is_blank(p + s, off - s);
}

/*
 * Check message i of res against input p[0..len): where it starts, that no
 * separator hides inside it, and its bytes.
 */
static void
check_msg(const struct result *res, size_t i, const char *p, size_t len,
    size_t max)
{
	const struct mbox_msg *m = &res->msg[i];
	const char	*r = p + m->offset;
	size_t		 rlen = (size_t)m->length, a, e, out = 0, last = 0;
	size_t		 unq = 0;
	bool		 env, prev_blank = false, final = i + 1 == res->n;
	char		*want;

	REQUIRE(m->offset <= len && m->length <= len - m->offset);
	REQUIRE(m->number == i + 1);
	/* a separator: first line of the input, or From_ after a blank */
	env = mbox_starts_with_from(r, rlen);
	if (m->offset > 0) {
		REQUIRE(env);
		REQUIRE(mbox_envelope_ok(r, line_end(r, rlen, 0)));
		REQUIRE(prev_line_blank(p, (size_t)m->offset));
	}
	REQUIRE((m->envelope_from != NULL) == env);
	REQUIRE((m->envelope_date != NULL) == env);
	if ((want = malloc(rlen + 1)) == NULL)
		abort();
	a = env ? line_end(r, rlen, 0) : 0;
	for (; a < rlen; a = e) {
		e = line_end(r, rlen, a);
		/* no separator inside a message */
		REQUIRE(!(prev_blank && mbox_envelope_ok(r + a, e - a)));
		last = out;
		if (quoted(r + a, e - a)) {
			memcpy(want + out, r + a + 1, e - a - 1);
			out += e - a - 1;
			unq++;
		} else {
			memcpy(want + out, r + a, e - a);
			out += e - a;
		}
		prev_blank = is_blank(r + a, e - a);
	}
	/* the blank line before a separator, or the last of a From_ input */
	if (prev_blank && (!final || env))
		out = last;
	REQUIRE(m->unquoted == unq);
	if (res->rc[i] == 1) {
		REQUIRE(out > 0 && out <= max);
		REQUIRE(m->data.len == out);
		REQUIRE(memcmp(m->data.data, want, out) == 0);
		REQUIRE(m->data.data[out] == '\0');
	} else {
		REQUIRE(m->data.len == 0);
		REQUIRE(out == 0 || out > max);
	}
	free(want);
}

static void
hostile(const char *p, size_t len, const uint8_t *param)
{
	static struct result a, b;
	size_t		 chunk, window, max, fail_at = 0, i, end = 0;

	if (len == 0)
		p = "";
	chunk = 1 + param[0] % 64;
	window = MBOX_WINDOW_MIN + (size_t)param[1] * 16;
	max = param[2] == 255 ? (size_t)1 << 20 : 1 + (size_t)param[2] * 64;
	if ((param[3] & 0x80) && len > 1)
		fail_at = 1 + ((size_t)(param[3] & 0x7f) * 257) % (len - 1);

	if (!run(&b, p, len, SIZE_MAX, 0, max, 0)) {
		results_free(&b);
		return;
	}
	/* b: the plain reading, checked against the rules */
	for (i = 0; i < b.n; i++) {
		REQUIRE(b.msg[i].offset == end);
		end += (size_t)b.msg[i].length;
		check_msg(&b, i, p, len, max);
	}
	REQUIRE(end == len);
	REQUIRE(b.n > 0 || len == 0);

	/* a: the same in small pieces, maybe with a read error */
	if (run(&a, p, len, chunk, window, max, fail_at)) {
		if (fail_at == 0) {
			REQUIRE(a.n == b.n);
			for (i = 0; i < a.n; i++)
				same_msg(&a, i, &b, i);
		} else {
			REQUIRE(a.n >= 1 && a.n <= b.n + 1);
			REQUIRE(a.rc[a.n - 1] == -1);
			for (i = 0; i + 1 < a.n; i++)
				same_msg(&a, i, &b, i);
		}
	}
	results_free(&a);
	results_free(&b);
}

/* --- round trip ---------------------------------------------------------- */

/* Append one message as an mboxrd writer does; false if not writable. */
static bool
write_msg(struct buf *out, const char *m, size_t n, const char *eol)
{
	size_t	 a, e, k;

	buf_puts(out, "From fuzz@example.org Mon Jan  1 00:00:00 2024");
	buf_puts(out, eol);
	for (a = 0; a < n; a = e) {
		e = line_end(m, n, a);
		for (k = a; k < e && m[k] == '>'; k++)
			continue;
		if (e - k >= 5 && memcmp(m + k, "From ", 5) == 0) {
			/* the quoted line must still be seen as one */
			if (k - a + 6 > MBOX_HEAD)
				return false;
			buf_putc(out, '>');
		}
		buf_append(out, m + a, e - a);
	}
	if (n == 0 || m[n - 1] != '\n')
		buf_putc(out, '\n');
	buf_puts(out, eol);
	return buf_ok(out);
}

static void
round_trip(const char *p, size_t len, const uint8_t *param)
{
	static struct result res;
	struct buf	 mbox = BUF_INIT;
	const char	*eol = (param[1] & 1) ? "\r\n" : "\n", *m, *ff;
	size_t		 starts[MAXRES], lens[MAXRES], n = 0, i, want;
	size_t		 max = param[2] == 255 ? (size_t)1 << 20 :
			    1 + (size_t)param[2] * 64;

	if (len == 0)
		p = "";
	for (m = p; n < MAXRES / 2; m = ff + 1) {
		ff = memchr(m, 0xff, (size_t)(p + len - m));
		starts[n] = (size_t)(m - p);
		lens[n] = ff != NULL ? (size_t)(ff - m) : (size_t)(p + len - m);
		if (!write_msg(&mbox, m, lens[n], eol)) {
			buf_free(&mbox);
			return;
		}
		n++;
		if (ff == NULL)
			break;
	}
	if (!run(&res, mbox.data, mbox.len, 1 + param[0] % 64, 0, max, 0))
		abort();
	REQUIRE(res.n == n);
	for (i = 0; i < n; i++) {
		m = p + starts[i];
		want = lens[i] + (lens[i] == 0 || m[lens[i] - 1] != '\n');
		REQUIRE(res.msg[i].number == i + 1);
		REQUIRE(same_str(res.msg[i].envelope_from, "fuzz@example.org"));
		if (want > max) {
			REQUIRE(res.rc[i] == -1);
			continue;
		}
		REQUIRE(res.rc[i] == 1);
		REQUIRE(res.msg[i].data.len == want);
		REQUIRE(memcmp(res.msg[i].data.data, m, lens[i]) == 0);
		if (want > lens[i])
			REQUIRE(res.msg[i].data.data[lens[i]] == '\n');
	}
	results_free(&res);
	buf_free(&mbox);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const uint8_t zero[4];
	const uint8_t	*param = zero;
	size_t		 len = size;

	if (size >= 4) {
		param = data + size - 4;
		len = size - 4;
	}
	if (param[3] & 1)
		round_trip((const char *)data, len, param);
	else
		hostile((const char *)data, len, param);
	return 0;
}
