/* SPDX-License-Identifier: ISC */
/* message: split raw bytes into header fields and body; see message.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/ascii.h"
#include "verifier/message.h"

void
line_iter_init(struct line_iter *it, const char *p, size_t len)
{
	/* an empty range may come as (NULL, 0): NULL + 0 is undefined in C */
	it->p = p;
	it->end = len > 0 ? p + len : p;
}

bool
line_iter_next(struct line_iter *it, const char **line, size_t *line_len,
    bool *has_eol)
{
	const char	*lf;
	size_t		 n;

	if (it->p >= it->end)
		return false;
	lf = memchr(it->p, '\n', (size_t)(it->end - it->p));
	*line = it->p;
	if (lf == NULL) {
		*line_len = (size_t)(it->end - it->p);
		*has_eol = false;
		it->p = it->end;
		return true;
	}
	n = (size_t)(lf - it->p);
	if (n > 0 && lf[-1] == '\r')
		n--;
	*line_len = n;
	*has_eol = true;
	it->p = lf + 1;
	return true;
}

/*
 * One pass, eight bytes at a time (this runs on every message): the high
 * bits OR-ed together say 8-bit; the carry trick (w - 0x01..) & ~w finds a
 * NUL; CRs are counted by an exact per-byte compare and a popcount.  LFs are
 * then walked with libc's vectorised memchr to tell CRLF from bare LF, and a
 * CR that is not part of a CRLF is a stray CR.
 */
#define ONES	0x0101010101010101ULL
#define LOW7	0x7f7f7f7f7f7f7f7fULL
#define HIGHS	0x8080808080808080ULL

/* The sum of the eight byte lanes of x. */
static size_t
lane_sum(uint64_t x)
{
	x = (x & 0x00ff00ff00ff00ffULL) + ((x >> 8) & 0x00ff00ff00ff00ffULL);
	return (size_t)((x * 0x0001000100010001ULL) >> 48);
}

static unsigned
scan_flags(const char *p, size_t len)
{
	const char	*q, *end = p + len;
	uint64_t	 w, x, high = 0, zero = 0, lanes = 0;
	size_t		 i = 0, ncr = 0, ncrlf = 0, nword = 0;
	unsigned	 f = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, p + i, 8);
		high |= w;
		zero |= (w - ONES) & ~w;
		/* one per CR byte, summed per byte lane; lanes hold 255 */
		x = w ^ (ONES * '\r');
		lanes += (~(((x & LOW7) + LOW7) | x) & HIGHS) >> 7;
		if (++nword == 255) {
			ncr += lane_sum(lanes);
			lanes = 0;
			nword = 0;
		}
	}
	ncr += lane_sum(lanes);
	for (; i < len; i++) {
		high |= (unsigned char)p[i];
		zero |= p[i] == 0 ? HIGHS : 0;
		ncr += p[i] == '\r';
	}
	for (q = p; q < end && (q = memchr(q, '\n', (size_t)(end - q))); q++) {
		if (q > p && q[-1] == '\r') {
			f |= MSG_F_CRLF;
			ncrlf++;
		} else
			f |= MSG_F_BARE_LF;
	}
	if (ncr > ncrlf)
		f |= MSG_F_STRAY_CR;
	if (high & HIGHS)
		f |= MSG_F_8BIT;
	if (zero & HIGHS)
		f |= MSG_F_NUL;
	return f;
}

/* A CR-terminated file: copy with every CR turned into CRLF. */
static char *
cr_to_crlf(const char *p, size_t len, size_t *outlen)
{
	size_t	 i, n, ncr = 0;
	char	*q;

	for (i = 0; i < len; i++)
		if (p[i] == '\r')
			ncr++;
	if (ncr > ((size_t)-1 - len - 1))
		return NULL;
	if ((q = malloc(len + ncr + 1)) == NULL)
		return NULL;
	for (i = 0, n = 0; i < len; i++) {
		q[n++] = p[i];
		if (p[i] == '\r')
			q[n++] = '\n';
	}
	q[n] = '\0';
	*outlen = n;
	return q;
}

/* Field name: printable US-ASCII except colon and space (RFC 5322 ftext). */
static bool
valid_name(const char *p, size_t len)
{
	size_t	 i;

	if (len == 0)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c <= 32 || c >= 127 || c == ':')
			return false;
	}
	return true;
}

static void
field_split(struct header_field *f, unsigned *flags)
{
	const char	*colon;
	size_t		 nlen;

	colon = memchr(f->raw, ':', f->raw_len);
	if (colon != NULL) {
		nlen = (size_t)(colon - f->raw);
		while (nlen > 0 && ascii_is_wsp(f->raw[nlen - 1]))
			nlen--;
		if (valid_name(f->raw, nlen)) {
			f->name = f->raw;
			f->name_len = nlen;
			f->value = colon + 1;
			f->value_len = f->raw_len - (size_t)(colon + 1 - f->raw);
			return;
		}
	}
	*flags |= MSG_F_NO_COLON;
	f->name = f->raw;
	f->name_len = 0;
	f->value = f->raw;
	f->value_len = f->raw_len;
}

static enum message_status
push_field(struct message *m, size_t *cap, const char *start, size_t len)
{
	struct header_field	*nf;
	size_t			 ncap;

	if (m->nfields >= MESSAGE_MAX_FIELDS)
		return MESSAGE_TOO_MANY_FIELDS;
	if (m->nfields == *cap) {
		ncap = *cap ? *cap * 2 : 32;
		if (ncap > MESSAGE_MAX_FIELDS)
			ncap = MESSAGE_MAX_FIELDS;
		nf = realloc(m->fields, ncap * sizeof(*nf));
		if (nf == NULL)
			return MESSAGE_NOMEM;
		m->fields = nf;
		*cap = ncap;
	}
	nf = &m->fields[m->nfields++];
	memset(nf, 0, sizeof(*nf));
	nf->raw = start;
	nf->raw_len = len;
	field_split(nf, &m->flags);
	return MESSAGE_OK;
}

enum message_status
message_parse(struct message *m, const char *raw, size_t len)
{
	struct line_iter	 it;
	const char		*line, *fstart = NULL, *fend = NULL;
	size_t			 line_len, cap = 0;
	bool			 eol;
	enum message_status	 st;

	memset(m, 0, sizeof(*m));
	if (memchr(raw, '\n', len) == NULL && memchr(raw, '\r', len) != NULL) {
		if ((m->owned = cr_to_crlf(raw, len, &len)) == NULL)
			return MESSAGE_NOMEM;
		raw = m->owned;
		m->flags = MSG_F_CR_ONLY;
	}
	m->raw = raw;
	m->raw_len = len;
	if (len >= 3 && memcmp(raw, "\xef\xbb\xbf", 3) == 0) {
		m->flags |= MSG_F_BOM;
		raw += 3;
		len -= 3;
	}
	if (len == 0)
		return MESSAGE_EMPTY;

	line_iter_init(&it, raw, len);
	while (line_iter_next(&it, &line, &line_len, &eol)) {
		if (line_len == 0 && eol) {
			/* the blank line: body follows, possibly empty */
			m->has_body = true;
			m->body = it.p;
			m->body_len = (size_t)(it.end - it.p);
			break;
		}
		if (ascii_is_wsp(line[0]) && fstart != NULL) {
			fend = line + line_len;	/* continuation */
			goto next;
		}
		if (fstart != NULL) {
			st = push_field(m, &cap, fstart, (size_t)(fend - fstart));
			if (st != MESSAGE_OK)
				return st;
		}
		if (ascii_is_wsp(line[0]))
			m->flags |= MSG_F_LEADING_WSP;
		fstart = line;
		fend = line + line_len;
next:
		if (!eol)
			m->flags |= MSG_F_NO_FINAL_EOL;
	}
	if (fstart != NULL) {
		st = push_field(m, &cap, fstart, (size_t)(fend - fstart));
		if (st != MESSAGE_OK)
			return st;
	}
	if (m->has_body && m->body_len > 0 &&
	    m->body[m->body_len - 1] != '\n')
		m->flags |= MSG_F_NO_FINAL_EOL;
	return MESSAGE_OK;
}

unsigned
message_byte_flags(const struct message *m)
{
	return scan_flags(m->raw, m->raw_len);
}

void
message_free(struct message *m)
{
	free(m->fields);
	free(m->owned);
	memset(m, 0, sizeof(*m));
}

const char *
message_status_str(enum message_status st)
{
	switch (st) {
	case MESSAGE_OK:
		return "ok";
	case MESSAGE_NOMEM:
		return "out of memory";
	case MESSAGE_TOO_MANY_FIELDS:
		return "too many header fields";
	case MESSAGE_EMPTY:
		return "empty message";
	}
	return "unknown";
}

bool
header_name_is(const struct header_field *f, const char *name,
    size_t name_len)
{
	return f->name_len == name_len && name_len > 0 &&
	    strncasecmp(f->name, name, name_len) == 0;
}

size_t
message_count_fields(const struct message *m, const char *name,
    size_t name_len)
{
	size_t	 i, n = 0;

	for (i = 0; i < m->nfields; i++)
		if (header_name_is(&m->fields[i], name, name_len))
			n++;
	return n;
}

long
message_find_field(const struct message *m, const char *name)
{
	size_t	 i, nl = strlen(name);

	for (i = 0; i < m->nfields; i++)
		if (header_name_is(&m->fields[i], name, nl))
			return (long)i;
	return -1;
}

/* Field names case-insensitively, then header order. */
static int
ref_cmp(const void *a, const void *b)
{
	const struct field_ref *x = a, *y = b;
	size_t	 n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int	 c = strncasecmp(x->name, y->name, n);

	if (c != 0)
		return c;
	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	return x->pos < y->pos ? -1 : x->pos > y->pos;
}

bool
field_index_build(struct field_index *ix, const struct message *m)
{
	size_t	 i;

	ix->n = 0;
	if (m->nfields == 0) {
		ix->v = NULL;
		return true;
	}
	if ((ix->v = calloc(m->nfields, sizeof(*ix->v))) == NULL)
		return false;
	for (i = 0; i < m->nfields; i++) {
		ix->v[i].name = m->fields[i].name;
		ix->v[i].name_len = m->fields[i].name_len;
		ix->v[i].pos = i;
	}
	ix->n = m->nfields;
	qsort(ix->v, ix->n, sizeof(*ix->v), ref_cmp);
	return true;
}

long
field_index_find(const struct field_index *ix, const char *name, size_t len)
{
	struct field_ref key = { name, len, 0 };
	size_t	 lo = 0, hi = ix->n, mid;

	/* the first entry not below (name, position 0) */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (ref_cmp(&ix->v[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ix->n && ix->v[lo].name_len == len && len > 0 &&
	    strncasecmp(ix->v[lo].name, name, len) == 0)
		return (long)lo;
	return -1;
}

void
field_index_free(struct field_index *ix)
{
	free(ix->v);
	ix->v = NULL;
	ix->n = 0;
}
