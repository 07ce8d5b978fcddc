/* SPDX-License-Identifier: ISC */
/* canon: RFC 6376 section 3.4 canonicalization; see canon.h. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif

#include "base/ascii.h"
#include "verifier/canon.h"
#include "verifier/crypto.h"
#include "verifier/message.h"

/* Copy a header span turning LF and CRLF line breaks into CRLF. */
static void
put_crlf_span(struct buf *out, const char *p, size_t len)
{
	const char	*lf;

	while (len > 0 && (lf = memchr(p, '\n', len)) != NULL) {
		size_t n = (size_t)(lf - p);

		if (n > 0 && p[n - 1] == '\r')
			n--;
		buf_append(out, p, n);
		buf_append(out, "\r\n", 2);
		len -= (size_t)(lf + 1 - p);
		p = lf + 1;
	}
	buf_append(out, p, len);
}

/*
 * relaxed (section 3.4.2): lower-case name, unfold, WSP runs to one SP,
 * no WSP at the end of the value nor around the colon.
 */
static void
relaxed_header(struct buf *out, const char *raw, size_t len)
{
	const char	*colon = memchr(raw, ':', len);
	size_t		 i, nlen;
	bool		 space = false, started = false;
	char		*o;

	if (colon == NULL)	/* not a field: keep it as data */
		colon = raw + len;
	nlen = (size_t)(colon - raw);
	while (nlen > 0 && ascii_is_wsp(raw[nlen - 1]))
		nlen--;
	if (!buf_reserve(out, len + 3))
		return;
	o = out->data + out->len;	/* the output is never longer */
	for (i = 0; i < nlen; i++)
		*o++ = (char)tolower((unsigned char)raw[i]);
	if (colon != raw + len) {
		*o++ = ':';
		for (i = (size_t)(colon - raw) + 1; i < len; i++) {
			char c = raw[i];

			if (c == '\n' || (c == '\r' && i + 1 < len &&
			    raw[i + 1] == '\n'))
				continue;	/* unfold */
			if (ascii_is_wsp(c)) {
				space = true;
				continue;
			}
			if (space && started)
				*o++ = ' ';
			space = false;
			started = true;
			*o++ = c;
		}
	}
	*o++ = '\r';
	*o++ = '\n';
	out->len = (size_t)(o - out->data);
	out->data[out->len] = '\0';
}

void
canon_header(struct buf *out, enum dkim_canon c, const char *raw, size_t len)
{
	if (c == DKIM_CANON_RELAXED) {
		relaxed_header(out, raw, len);
		return;
	}
	put_crlf_span(out, raw, len);
	buf_append(out, "\r\n", 2);
}

void
canon_sig_header(struct buf *out, enum dkim_canon c, const char *raw,
    size_t len, size_t b_off, size_t b_end)
{
	struct buf	 tmp = BUF_INIT;

	if (b_off > b_end || b_end > len)
		b_off = b_end = len;
	buf_append(&tmp, raw, b_off);
	buf_append(&tmp, raw + b_end, len - b_end);
	if (!buf_ok(&tmp)) {
		out->oom = true;
		return;
	}
	canon_header(out, c, tmp.data, tmp.len);
	if (out->len >= 2 && buf_ok(out)) {
		out->len -= 2;	/* no CRLF after the signature field */
		out->data[out->len] = '\0';
	}
	buf_free(&tmp);
}

bool
canon_signed_fields(struct buf *out, const struct message *m,
    const struct dkim_hname *h, size_t nh, enum dkim_canon c, long skip)
{
	unsigned char	*used;
	size_t		 i;
	long		 j;

	if ((used = calloc(m->nfields ? m->nfields : 1, 1)) == NULL) {
		out->oom = true;
		return false;
	}
	if (skip >= 0 && (size_t)skip < m->nfields)
		used[skip] = 1;
	for (i = 0; i < nh; i++) {
		for (j = (long)m->nfields - 1; j >= 0; j--) {
			if (used[j] || !header_name_is(&m->fields[j],
			    h[i].name, h[i].len))
				continue;
			used[j] = 1;
			canon_header(out, c, m->fields[j].raw,
			    m->fields[j].raw_len);
			break;
		}
	}
	free(used);
	return buf_ok(out);
}

/* --- bodies --- */

/*
 * Hashing is deferred so that canonical bytes which stand contiguously in the
 * message (every unchanged line with its CRLF) reach EVP_DigestUpdate as one
 * span, without a copy.  Bytes that exist only in canonical form (a relaxed
 * line rewritten, a CRLF for a bare LF) go through the stage buffer.  At most
 * one of the two holds data at a time, which keeps the order.
 */
static bool
pend_flush(struct body_hash *h)
{
	if (h->span_len > 0) {
		if (EVP_DigestUpdate(h->ctx, h->span, h->span_len) != 1)
			return false;
		h->span_len = 0;
	}
	if (h->nstage > 0) {
		if (EVP_DigestUpdate(h->ctx, h->stage, h->nstage) != 1)
			return false;
		h->nstage = 0;
	}
	return true;
}

static bool
hash_bytes(struct body_hash *h, const char *p, size_t len, bool in_message)
{
	size_t	 n;

	if (len == 0)
		return true;
	if (in_message) {
		if (h->span_len > 0 && h->span + h->span_len == p) {
			h->span_len += len;
			return true;
		}
		if (!pend_flush(h))
			return false;
		h->span = p;
		h->span_len = len;
		return true;
	}
	if (h->span_len > 0 && !pend_flush(h))
		return false;
	while (len > 0) {
		if (h->nstage == sizeof(h->stage) && !pend_flush(h))
			return false;
		n = sizeof(h->stage) - h->nstage;
		if (n > len)
			n = len;
		memcpy(h->stage + h->nstage, p, n);
		h->nstage += n;
		p += n;
		len -= n;
	}
	return true;
}

/*
 * Feed canonical bytes: counted in full, hashed up to l=.  in_message says
 * that p points into the message (it stays valid until the end of the pass).
 */
static bool
body_emit(struct body_hash *h, const char *p, size_t len, bool in_message,
    struct buf *keep)
{
	uint64_t room;

	h->canon_len += len;
	if (keep != NULL)
		buf_append(keep, p, len);
	if (h->has_l) {
		room = h->l > h->hashed ? h->l - h->hashed : 0;
		if ((uint64_t)len > room)
			len = (size_t)room;
	}
	h->hashed += len;
	return hash_bytes(h, p, len, in_message);
}

static bool
emit_pending(struct body_hash *h, struct buf *keep)
{
	for (; h->pending_empty > 0; h->pending_empty--)
		if (!body_emit(h, "\r\n", 2, false, keep))
			return false;
	return true;
}

/* relaxed body line (section 3.4.4): WSP runs to one SP, none at the end */
static size_t
relax_line(char *dst, const char *src, size_t len)
{
	size_t	 i, n = 0;
	bool	 space = false;

	while (len > 0 && ascii_is_wsp(src[len - 1]))
		len--;
	for (i = 0; i < len; i++) {
		if (ascii_is_wsp(src[i])) {
			space = true;
			continue;
		}
		if (space)
			dst[n++] = ' ';
		space = false;
		dst[n++] = src[i];
	}
	return n;
}

/*
 * Is the line already in relaxed form: no tab, no SP followed by WSP, no WSP
 * at the end?  Most lines are.  The check runs in blocks of 16 bytes with a
 * fixed trip count and no early exit inside, which compilers turn into
 * vector compares at -O2; the tail goes byte by byte.
 */
static bool
relaxed_clean(const char *p, size_t len)
{
	size_t		 i = 0, k;
	unsigned char	 a, b, bad;

	if (len == 0)
		return true;
	if (ascii_is_wsp(p[len - 1]))
		return false;
	for (; i + 17 <= len; i += 16) {
		bad = 0;
		for (k = 0; k < 16; k++) {
			a = (unsigned char)p[i + k];
			b = (unsigned char)p[i + k + 1];
			bad |= (unsigned char)((a == '\t') |
			    ((a == ' ') & ((b == ' ') | (b == '\t'))));
		}
		if (bad)
			return false;
	}
	for (; i < len; i++) {
		if (p[i] == '\t' || (p[i] == ' ' && i + 1 < len &&
		    ascii_is_wsp(p[i + 1])))
			return false;
	}
	return true;
}

/*
 * The relaxed form of a line: the line itself when already relaxed (no
 * copy), else a copy in scratch.
 */
static bool
relax(struct buf *scratch, const char *line, size_t len, const char **out,
    size_t *outlen)
{
	if (relaxed_clean(line, len)) {
		*out = line;
		*outlen = len;
		return true;
	}
	buf_reset(scratch);
	if (!buf_reserve(scratch, len))
		return false;
	*outlen = relax_line(scratch->data, line, len);
	*out = scratch->data;
	return true;
}

/*
 * One canonical line.  When it stands in the message followed by CRLF, line
 * and CRLF go out as one span of the message.
 */
static bool
feed_line(struct body_hash *h, const char *line, size_t len, bool in_message,
    const char *msg_end, struct buf *keep)
{
	if (len == 0) {
		h->pending_empty++;
		return true;
	}
	if (!emit_pending(h, keep))
		return false;
	if (in_message && (size_t)(msg_end - (line + len)) >= 2 &&
	    line[len] == '\r' && line[len + 1] == '\n')
		return body_emit(h, line, len + 2, true, keep);
	return body_emit(h, line, len, in_message, keep) &&
	    body_emit(h, "\r\n", 2, false, keep);
}

/*
 * Where a line may differ from its canonical form.  In p[0..n), p at the
 * start of a line, the offset of the first byte that is:
 *   - an LF not after a CR (a bare LF becomes CRLF),
 *   - a CR not before an LF (a stray CR: left to the line-by-line path),
 *   - for relaxed, a tab, or an SP before WSP, CR or LF (a WSP run or
 *     trailing WSP);
 * n when there is none.  Every line before that offset ends with CRLF and
 * is already canonical.  16 bytes at a time with SSE2 where there is SSE2.
 */
static bool
dirty_at(bool relaxed, const char *p, size_t n, size_t i)
{
	unsigned char	 a, b, prev;

	a = (unsigned char)p[i];
	prev = i > 0 ? (unsigned char)p[i - 1] : 0;
	b = i + 1 < n ? (unsigned char)p[i + 1] : 0;
	if ((a == '\n' && prev != '\r') || (a == '\r' && b != '\n'))
		return true;
	return relaxed && (a == '\t' || (a == ' ' && (b == ' ' ||
	    b == '\t' || b == '\r' || b == '\n')));
}

static size_t
first_dirty(enum dkim_canon c, const char *p, size_t n)
{
	const bool	 relaxed = c == DKIM_CANON_RELAXED;
	size_t		 i = 1;

	if (n == 0 || dirty_at(relaxed, p, n, 0))
		return 0;
#ifdef __SSE2__
	{
		const __m128i	 lf = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
		const __m128i	 sp = _mm_set1_epi8(' '), tab = _mm_set1_epi8('\t');
		__m128i		 va, vb, vp, bad, wsp_next;
		unsigned	 mask;

		for (; i + 17 <= n; i += 16) {
			va = _mm_loadu_si128((const __m128i *)(p + i));
			vb = _mm_loadu_si128((const __m128i *)(p + i + 1));
			vp = _mm_loadu_si128((const __m128i *)(p + i - 1));
			bad = _mm_or_si128(
			    _mm_andnot_si128(_mm_cmpeq_epi8(vp, cr),
			    _mm_cmpeq_epi8(va, lf)),
			    _mm_andnot_si128(_mm_cmpeq_epi8(vb, lf),
			    _mm_cmpeq_epi8(va, cr)));
			if (relaxed) {
				wsp_next = _mm_or_si128(
				    _mm_or_si128(_mm_cmpeq_epi8(vb, sp),
				    _mm_cmpeq_epi8(vb, tab)),
				    _mm_or_si128(_mm_cmpeq_epi8(vb, cr),
				    _mm_cmpeq_epi8(vb, lf)));
				bad = _mm_or_si128(bad, _mm_or_si128(
				    _mm_cmpeq_epi8(va, tab),
				    _mm_and_si128(_mm_cmpeq_epi8(va, sp),
				    wsp_next)));
			}
			if ((mask = (unsigned)_mm_movemask_epi8(bad)) != 0)
				return i + (size_t)__builtin_ctz(mask);
		}
	}
#endif
	for (; i < n; i++)
		if (dirty_at(relaxed, p, n, i))
			return i;
	return n;
}

/*
 * Lines p[0..n) that are already canonical, each ending with CRLF: one
 * span of the message.  Empty lines at its end are held back (they count
 * only if a line with content follows).
 */
static bool
feed_clean_lines(struct body_hash *h, const char *p, size_t n,
    struct buf *keep)
{
	uint64_t	 empty = 0;

	while (n >= 2 && p[n - 2] == '\r' && (n == 2 || p[n - 3] == '\n')) {
		n -= 2;
		empty++;
	}
	if (n > 0 && (!emit_pending(h, keep) ||
	    !body_emit(h, p, n, true, keep)))
		return false;
	h->pending_empty += empty;
	return true;
}

/* One line the general way; returns the bytes it took, 0 on failure. */
static size_t
feed_one_line(struct body_hash *h, const char *p, size_t n,
    const char *msg_end, struct buf *scratch, struct buf *keep)
{
	struct line_iter it;
	const char	*line, *rline;
	size_t		 line_len, rlen;
	bool		 eol;

	line_iter_init(&it, p, n);
	if (!line_iter_next(&it, &line, &line_len, &eol))
		return 0;
	if (h->canon == DKIM_CANON_SIMPLE) {
		if (!feed_line(h, line, line_len, true, msg_end, keep))
			return 0;
	} else if (!relax(scratch, line, line_len, &rline, &rlen) ||
	    !feed_line(h, rline, rlen, rline == line, msg_end, keep))
		return 0;
	return (size_t)(it.p - p);
}

/*
 * One body hash over the whole body: the canonical lines up to the next
 * line that may need rewriting go out as one span, that line the general
 * way, and so on.
 */
static bool
body_pass(struct body_hash *h, const char *body, size_t len,
    struct buf *scratch, struct buf *keep)
{
	size_t	 pos = 0, dirty, ls, took;

	while (pos < len) {
		dirty = pos + first_dirty(h->canon, body + pos, len - pos);
		for (ls = dirty; ls > pos && body[ls - 1] != '\n'; ls--)
			;
		if (ls > pos && !feed_clean_lines(h, body + pos, ls - pos,
		    keep))
			return false;
		if (ls == len)
			break;
		if ((took = feed_one_line(h, body + ls, len - ls, body + len,
		    scratch, keep)) == 0)
			return false;
		pos = ls + took;
	}
	return true;
}

static bool
body_finish(struct body_hash *h, struct buf *keep)
{
	/* simple: an empty body is one CRLF (section 3.4.3) */
	if (h->canon == DKIM_CANON_SIMPLE && h->canon_len == 0 &&
	    !body_emit(h, "\r\n", 2, false, keep))
		return false;
	if (!pend_flush(h))
		return false;
	if (EVP_DigestFinal_ex(h->ctx, h->digest, &h->digest_len) != 1)
		return false;
	h->ok = true;
	return true;
}

static bool
body_start(struct body_hash *h)
{
	h->canon_len = h->hashed = h->pending_empty = 0;
	h->nstage = h->span_len = 0;
	h->ok = false;
	h->digest_len = 0;
	if ((h->ctx = EVP_MD_CTX_new()) == NULL)
		return false;
	return EVP_DigestInit_ex(h->ctx, crypto_md(h->hash), NULL) == 1;
}

bool
body_hash_compute(struct body_hash *hs, size_t n, const char *body,
    size_t len, struct buf *keep)
{
	struct buf	 relaxed = BUF_INIT;	/* a rewritten line */
	size_t		 i;
	bool		 ok = true;

	for (i = 0; i < n; i++)
		if (!body_start(&hs[i]))
			ok = false;
	for (i = 0; ok && i < n; i++)
		ok = body_pass(&hs[i], body, len, &relaxed,
		    i == 0 ? keep : NULL);
	for (i = 0; i < n; i++) {
		if (ok && !body_finish(&hs[i], i == 0 ? keep : NULL))
			ok = false;
		EVP_MD_CTX_free(hs[i].ctx);
		hs[i].ctx = NULL;
	}
	buf_free(&relaxed);
	return ok;
}
