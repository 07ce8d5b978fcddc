/* SPDX-License-Identifier: ISC */
/*
 * fuzz_canon: the canonicalizations of canon.h against a plain reference
 * written from RFC 6376 section 3.4 and the line rule of message.h.
 *
 * Input: two selector bytes, then a message.
 * - Body: body_hash_compute() over the whole message bytes with three
 *   hashes at once (the selected one, kept; the other canonicalization; a
 *   relaxed one with l=), each compared with the reference: canonical body,
 *   canon_len, hashed, digest.
 * - Headers: message_parse() of the same bytes; canon_header() of every named
 *   field in both canonicalizations, canon_sig_header() with a b= span cut,
 *   canon_signed_fields() with an h= list built from the selector.
 * Any difference abort()s with both forms shown.
 *
 * FUZZ_MAX_LEN: 16384
 * FUZZ_DICT: "\x0d\x0a"
 * FUZZ_DICT: "\x0d\x0a\x0d\x0a"
 * FUZZ_DICT: " \x09 \x0d\x0a"
 * FUZZ_DICT: "\x0d\x0d\x0a"
 * FUZZ_DICT: "\x0a\x09"
 * FUZZ_DICT: "From:"
 * FUZZ_DICT: "Subject :"
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>

#include "base/buf.h"
#include "verifier/canon.h"
#include "verifier/dkim_sig.h"
#include "verifier/message.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_canon: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

static bool
is_wsp(char c)
{
	return c == ' ' || c == '\t';
}

static void
differ(const char *what, const struct buf *got, const struct buf *want)
{
	struct buf	 g = BUF_INIT, w = BUF_INIT;

	buf_put_visible(&g, got->data != NULL ? got->data : "", got->len);
	buf_put_visible(&w, want->data != NULL ? want->data : "", want->len);
	fprintf(stderr, "fuzz_canon: %s differs\n  got:  \"%s\"\n  want: "
	    "\"%s\"\n", what, buf_cstr(&g), buf_cstr(&w));
	abort();
}

static void
same(const char *what, const struct buf *got, const struct buf *want)
{
	REQUIRE(buf_ok(got) && buf_ok(want));
	if (got->len != want->len || (got->len > 0 &&
	    memcmp(got->data, want->data, got->len) != 0))
		differ(what, got, want);
}

/*
 * Reference body canonicalization.  Lines end at LF (a CR just before it is
 * part of the terminator); a last line without LF is a line too.
 */
static void
ref_body(struct buf *out, enum dkim_canon c, const char *p, size_t len)
{
	size_t	 i = 0, start, end, next, j, empties = 0, before;
	bool	 space;

	while (i < len) {
		start = i;
		while (i < len && p[i] != '\n')
			i++;
		end = i;
		next = i < len ? i + 1 : i;
		if (i < len && end > start && p[end - 1] == '\r')
			end--;
		i = next;
		before = out->len;
		if (c == DKIM_CANON_RELAXED) {
			/* drop WSP at the end, WSP runs become one SP */
			while (end > start && is_wsp(p[end - 1]))
				end--;
			space = false;
			for (j = start; j < end; j++) {
				if (is_wsp(p[j])) {
					space = true;
					continue;
				}
				if (space)
					buf_putc(out, ' ');
				space = false;
				buf_putc(out, p[j]);
			}
		} else
			buf_append(out, p + start, end - start);
		if (out->len == before) {
			/* an empty line: kept only if something follows */
			empties++;
			continue;
		}
		/* put back the held empty lines before this one */
		if (empties > 0) {
			struct buf	 line = BUF_INIT;

			buf_append(&line, out->data + before,
			    out->len - before);
			out->len = before;
			for (; empties > 0; empties--)
				buf_append(out, "\r\n", 2);
			buf_append(out, line.data, line.len);
			buf_free(&line);
		}
		buf_append(out, "\r\n", 2);
	}
	if (c == DKIM_CANON_SIMPLE && out->len == 0)
		buf_append(out, "\r\n", 2);
}

/* Reference header canonicalization of one named field. */
static void
ref_header(struct buf *out, enum dkim_canon c, const char *raw, size_t len)
{
	const char	*colon;
	size_t		 i, nlen;
	bool		 space = false, started = false;

	if (c == DKIM_CANON_SIMPLE) {
		for (i = 0; i < len; i++) {
			if (raw[i] == '\n') {
				if (out->len > 0 && i > 0 && raw[i - 1] == '\r')
					out->len--;	/* the CR of a CRLF */
				buf_append(out, "\r\n", 2);
			} else
				buf_putc(out, raw[i]);
		}
		buf_append(out, "\r\n", 2);
		return;
	}
	colon = memchr(raw, ':', len);
	REQUIRE(colon != NULL);
	nlen = (size_t)(colon - raw);
	while (nlen > 0 && is_wsp(raw[nlen - 1]))
		nlen--;
	for (i = 0; i < nlen; i++) {
		char	 ch = raw[i];

		buf_putc(out, ch >= 'A' && ch <= 'Z' ? ch - 'A' + 'a' : ch);
	}
	buf_putc(out, ':');
	for (i = (size_t)(colon - raw) + 1; i < len; i++) {
		/* unfold: drop the line breaks (LF, CR LF) */
		if (raw[i] == '\n')
			continue;
		if (raw[i] == '\r' && i + 1 < len && raw[i + 1] == '\n')
			continue;
		if (is_wsp(raw[i])) {
			space = true;
			continue;
		}
		if (space && started)
			buf_putc(out, ' ');
		space = false;
		started = true;
		buf_putc(out, raw[i]);
	}
	buf_append(out, "\r\n", 2);
}

static void
check_body(const char *p, size_t len, unsigned sel)
{
	struct body_hash	*hs;
	struct buf		 keep = BUF_INIT, ref = BUF_INIT;
	unsigned char		 md[EVP_MAX_MD_SIZE];
	unsigned int		 mdlen;
	size_t			 i, n = 3;
	uint64_t		 want_hashed;

	if ((hs = calloc(n, sizeof(*hs))) == NULL)
		return;
	hs[0].canon = (sel & 1) ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
	hs[0].hash = (sel & 2) ? DKIM_HASH_SHA1 : DKIM_HASH_SHA256;
	hs[0].has_l = (sel & 4) != 0;
	hs[0].l = (sel >> 3) & 0x1f;
	hs[1].canon = hs[0].canon == DKIM_CANON_RELAXED ? DKIM_CANON_SIMPLE :
	    DKIM_CANON_RELAXED;
	hs[1].hash = DKIM_HASH_SHA256;
	hs[2].canon = DKIM_CANON_RELAXED;
	hs[2].hash = DKIM_HASH_SHA256;
	hs[2].has_l = true;
	hs[2].l = len / 2;

	buf_puts(&keep, "kept:");
	REQUIRE(body_hash_compute(hs, n, p, len, &keep));
	REQUIRE(buf_ok(&keep));
	REQUIRE(memcmp(keep.data, "kept:", 5) == 0);

	for (i = 0; i < n; i++) {
		buf_reset(&ref);
		ref_body(&ref, hs[i].canon, p, len);
		REQUIRE(buf_ok(&ref));
		if (i == 0) {
			struct buf got = { keep.data + 5, keep.len - 5, 0,
			    false };

			same("kept canonical body", &got, &ref);
		}
		REQUIRE(hs[i].ok);
		REQUIRE(hs[i].ctx == NULL);
		REQUIRE(hs[i].canon_len == ref.len);
		want_hashed = ref.len;
		if (hs[i].has_l && hs[i].l < want_hashed)
			want_hashed = hs[i].l;
		REQUIRE(hs[i].hashed == want_hashed);
		REQUIRE(EVP_Digest(ref.data, (size_t)want_hashed, md, &mdlen,
		    hs[i].hash == DKIM_HASH_SHA1 ? EVP_sha1() : EVP_sha256(),
		    NULL) == 1);
		REQUIRE(hs[i].digest_len == mdlen);
		if (memcmp(hs[i].digest, md, mdlen) != 0) {
			fprintf(stderr, "fuzz_canon: body hash %zu (%s, l=%s"
			    "%llu) differs from the reference\n", i,
			    dkim_canon_name(hs[i].canon), hs[i].has_l ? "" :
			    "none ", (unsigned long long)hs[i].l);
			abort();
		}
	}
	buf_free(&keep);
	buf_free(&ref);
	free(hs);
}

static void
check_headers(const char *p, size_t len, unsigned sel)
{
	static const char *const names[] = {
		"from", "to", "subject", "dkim-signature", "x", "date",
		"message-id", "nosuch",
	};
	struct message		 m;
	struct buf		 got = BUF_INIT, want = BUF_INIT,
				 cut = BUF_INIT;
	struct dkim_hname	 h[16];
	const struct header_field *f;
	enum dkim_canon		 c;
	unsigned char		*used = NULL;
	size_t			 i, nh, b_off, b_end;
	long			 j, skip;
	int			 k;

	if (message_parse(&m, p, len) != MESSAGE_OK)
		goto out;
	for (i = 0; i < m.nfields; i++) {
		f = &m.fields[i];
		if (f->name_len == 0)
			continue;
		for (k = 0; k < 2; k++) {
			c = k ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
			buf_reset(&got);
			buf_reset(&want);
			buf_puts(&got, "x");
			buf_puts(&want, "x");
			canon_header(&got, c, f->raw, f->raw_len);
			ref_header(&want, c, f->raw, f->raw_len);
			same(k ? "relaxed header" : "simple header", &got,
			    &want);
		}
	}

	/* canon_sig_header: the field with a b= span cut, without CRLF */
	if (m.nfields > 0) {
		f = &m.fields[sel % m.nfields];
		b_off = f->raw_len ? (sel * 7) % (f->raw_len + 1) : 0;
		b_end = b_off + (f->raw_len - b_off) / 2;
		c = (sel & 1) ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
		if (f->name_len > 0 && memchr(f->raw, ':', b_off) != NULL) {
			buf_reset(&got);
			buf_reset(&want);
			buf_reset(&cut);
			canon_sig_header(&got, c, f->raw, f->raw_len, b_off,
			    b_end);
			buf_append(&cut, f->raw, b_off);
			buf_append(&cut, f->raw + b_end, f->raw_len - b_end);
			ref_header(&want, c, cut.data, cut.len);
			REQUIRE(want.len >= 2);
			want.len -= 2;
			same("signature header", &got, &want);
		}
	}

	/* canon_signed_fields: bottom-up, each field taken once */
	nh = (sel >> 4) % 16 + 1;
	for (i = 0; i < nh; i++) {
		const char *nm = names[(sel + i * 3) % (sizeof(names) /
		    sizeof(names[0]))];

		h[i].name = nm;
		h[i].len = strlen(nm);
	}
	skip = m.nfields > 0 ? (long)(sel % (m.nfields + 1)) - 1 : -1;
	c = (sel & 2) ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
	buf_reset(&got);
	buf_reset(&want);
	REQUIRE(canon_signed_fields(&got, &m, h, nh, c, skip));
	if ((used = calloc(m.nfields + 1, 1)) == NULL)
		goto out;
	if (skip >= 0)
		used[skip] = 1;
	for (i = 0; i < nh; i++)
		for (j = (long)m.nfields - 1; j >= 0; j--) {
			if (used[j] || !header_name_is(&m.fields[j],
			    h[i].name, h[i].len))
				continue;
			used[j] = 1;
			ref_header(&want, c, m.fields[j].raw,
			    m.fields[j].raw_len);
			break;
		}
	same("signed fields", &got, &want);
out:
	free(used);
	message_free(&m);
	buf_free(&got);
	buf_free(&want);
	buf_free(&cut);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	unsigned	 sel;

	if (size < 2)
		return 0;
	sel = (unsigned)data[0] | (unsigned)data[1] << 8;
	check_body((const char *)data + 2, size - 2, sel);
	check_headers((const char *)data + 2, size - 2, sel);
	ERR_clear_error();
	return 0;
}
