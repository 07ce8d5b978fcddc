/* SPDX-License-Identifier: ISC */
/*
 * hypo_header: what intermediaries do to signed header fields, undone and
 * checked exactly against what the signer hashed (diagnose.h, "Header
 * hypotheses").  Each hypothesis is the whole canonical header block with
 * one field (or two) replaced by a guess at the original; for RSA its
 * digest is compared with the one recovered from b=, for Ed25519 the
 * signature is verified over it.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/b64.h"
#include "base/date.h"
#include "base/hex.h"
#include "verifier/canon.h"
#include "verifier/diagnose_local.h"

struct cand {
	enum diag_xform	 xform;
	struct buf	 raw;		/* the whole field as guessed */
	struct buf	 canon;		/* its canonical form */
};

struct hsearch {
	const struct verify_result *vr;
	const struct sig_result *sr;
	struct diag_budget *bg;
	struct diag_header *o;
	long		*sel;		/* field of each h= entry, or -1 */
	struct buf	*piece;		/* its canonical form */
	size_t		 nh;
	struct buf	 sigf;		/* the signature field, b= empty */
	struct buf	 blk;
	size_t		 tried;
	bool		 cut;
};

/* The fields h= selects: bottom-up, each instance taken once (5.4.2). */
static bool
select_fields(struct hsearch *s, long skip)
{
	const struct message *m = &s->vr->msg;
	const struct dkim_sig *sig = &s->sr->sig;
	unsigned char	*used;
	size_t		 i;
	long		 k;

	if ((used = calloc(m->nfields + 1, 1)) == NULL)
		return false;
	used[sig->field_index] = 1;
	if (skip >= 0)
		used[skip] = 1;
	for (i = 0; i < s->nh; i++) {
		s->sel[i] = -1;
		for (k = (long)m->nfields - 1; k >= 0; k--)
			if (!used[k] && header_name_is(&m->fields[k],
			    sig->h[i].name, sig->h[i].len)) {
				used[k] = 1;
				s->sel[i] = k;
				break;
			}
		buf_reset(&s->piece[i]);
		if (s->sel[i] >= 0)
			canon_header(&s->piece[i], sig->hcanon,
			    m->fields[s->sel[i]].raw,
			    m->fields[s->sel[i]].raw_len);
	}
	free(used);
	return true;
}

/* Does this block hash to what the signer signed? */
static bool
block_matches(struct hsearch *s)
{
	const struct dkim_sig *sig = &s->sr->sig;
	const struct diag_header *o = s->o;
	unsigned char	 d[EVP_MAX_MD_SIZE];
	unsigned int	 dl;

	if (s->tried >= DIAG_MAX_HYPOTHESES || !buf_ok(&s->blk) ||
	    !diag_spend(s->bg, s->blk.len)) {
		s->cut = true;
		return false;
	}
	s->tried++;
	if (!crypto_digest(sig->hash, s->blk.data, s->blk.len, d, &dl))
		return false;
	if (o->ed25519)
		return crypto_verify(s->sr->key->key.pkey, sig->alg, d, dl,
		    (const unsigned char *)sig->b.data, sig->b.len) ==
		    CRYPTO_GOOD;
	return dl == o->digest_len && memcmp(d, o->digest, dl) == 0;
}

/* The block with entries i and j (or SIZE_MAX) replaced by a and b. */
static bool
try_block(struct hsearch *s, size_t i, const struct buf *a, size_t j,
    const struct buf *b)
{
	size_t	 k;

	buf_reset(&s->blk);
	for (k = 0; k < s->nh; k++) {
		const struct buf *p = k == i ? a : k == j ? b : &s->piece[k];

		buf_append(&s->blk, p->data, p->len);
	}
	buf_append(&s->blk, s->sigf.data, s->sigf.len);
	return block_matches(s);
}

/* --- guesses ----------------------------------------------------------- */

struct guess {
	const char	*name;		/* the field as it is now */
	size_t		 name_len;
	const char	*sep;		/* blanks after the colon */
	size_t		 sep_len;
	const char	*val;		/* the rest, folds included */
	size_t		 val_len;
	enum dkim_canon	 canon;
	struct cand	*c;
	size_t		 nc;
	const struct buf *now;		/* the canonical field now */
};

static void
push_raw(struct guess *g, enum diag_xform x, const struct buf *raw)
{
	struct cand	*c;
	size_t		 i;

	if (g->nc >= DIAG_MAX_FIELD_HYPOTHESES || !buf_ok(raw))
		return;
	c = &g->c[g->nc];
	memset(c, 0, sizeof(*c));
	canon_header(&c->canon, g->canon, raw->data, raw->len);
	if (c->canon.len == g->now->len && memcmp(c->canon.data,
	    g->now->data, c->canon.len) == 0)
		goto same;
	for (i = 0; i < g->nc; i++)
		if (g->c[i].canon.len == c->canon.len && memcmp(
		    g->c[i].canon.data, c->canon.data, c->canon.len) == 0)
			goto same;
	buf_append(&c->raw, raw->data, raw->len);
	c->xform = x;
	g->nc++;
	return;
same:
	buf_free(&c->canon);
}

/* A guess that keeps the name and separator: "Name:" sep value. */
static void
push_value(struct guess *g, enum diag_xform x, const char *v, size_t n)
{
	struct buf	 raw = BUF_INIT;

	buf_append(&raw, g->name, g->name_len);
	buf_putc(&raw, ':');
	buf_append(&raw, g->sep, g->sep_len);
	buf_append(&raw, v, n);
	push_raw(g, x, &raw);
	buf_free(&raw);
}

static void
push_buf(struct guess *g, enum diag_xform x, const struct buf *v)
{
	push_value(g, x, v->data ? v->data : "", v->len);
}

static bool
name_is(const struct guess *g, const char *n)
{
	return g->name_len == strlen(n) && strncasecmp(g->name, n,
	    g->name_len) == 0;
}

/* An unfolded, trimmed copy of another field's value (Reply-To, ...). */
static bool
other_field(const struct message *m, const char *name, size_t nth,
    struct buf *out)
{
	size_t	 i, seen = 0, k;

	for (i = 0; i < m->nfields; i++) {
		const struct header_field *f = &m->fields[i];

		if (!header_name_is(f, name, strlen(name)) || seen++ != nth)
			continue;
		buf_reset(out);
		for (k = 0; k < f->value_len; k++)
			if (f->value[k] != '\r' && f->value[k] != '\n')
				buf_putc(out, f->value[k]);
		while (out->len > 0 && (out->data[0] == ' ' ||
		    out->data[0] == '\t')) {
			memmove(out->data, out->data + 1, out->len - 1);
			out->len--;
		}
		while (out->len > 0 && (out->data[out->len - 1] == ' ' ||
		    out->data[out->len - 1] == '\t'))
			out->len--;
		return true;
	}
	return false;
}

/* Whitespace, folding and the name's case: visible under simple only. */
static void
guess_layout(struct guess *g)
{
	struct buf	 v = BUF_INIT, raw = BUF_INIT;
	size_t		 i;

	if (g->canon != DKIM_CANON_SIMPLE)
		return;
	for (i = 0; i < g->val_len; i++)
		if (g->val[i] != '\r' && g->val[i] != '\n')
			buf_putc(&v, g->val[i]);
	push_buf(g, DX_REFOLDED, &v);
	/* the name: Title-Case, lower case */
	for (i = 0; i < 2; i++) {
		size_t k;

		buf_reset(&raw);
		for (k = 0; k < g->name_len; k++) {
			char c = g->name[k];
			bool up = i == 0 && (k == 0 || g->name[k - 1] == '-');

			if (c >= 'A' && c <= 'Z')
				c += 32;
			if (up && c >= 'a' && c <= 'z')
				c -= 32;
			buf_putc(&raw, c);
		}
		buf_putc(&raw, ':');
		buf_append(&raw, g->sep, g->sep_len);
		buf_append(&raw, g->val, g->val_len);
		push_raw(g, DX_NAME_CASE, &raw);
	}
	/* blanks after the colon and at the end */
	static const char *const seps[] = { "", " ", "\t", "  " };
	for (i = 0; i < sizeof(seps) / sizeof(seps[0]); i++) {
		buf_reset(&raw);
		buf_append(&raw, g->name, g->name_len);
		buf_putc(&raw, ':');
		buf_puts(&raw, seps[i]);
		buf_append(&raw, g->val, g->val_len);
		push_raw(g, DX_WHITESPACE, &raw);
	}
	buf_reset(&v);
	buf_append(&v, g->val, g->val_len);
	buf_putc(&v, ' ');
	push_buf(g, DX_WHITESPACE, &v);
	buf_free(&v);
	buf_free(&raw);
}

static bool
is_prefix_ci(const char *p, size_t n, const char *pre)
{
	size_t	 k = strlen(pre);

	return n >= k && strncasecmp(p, pre, k) == 0;
}

/* Subject: list tags, Re:/Fwd: prefixes. */
static void
guess_subject(struct guess *g, const struct message *m)
{
	static const char *const pre[] = { "Re: ", "RE: ", "re: ", "Fwd: ",
	    "FWD: ", "Fw: ", "FW: ", "AW: ", "WG: " };
	const char	*v = g->val, *rb;
	size_t		 n = g->val_len, i, k, skip;
	struct buf	 b = BUF_INIT, lid = BUF_INIT;

	/* a leading "[tag] ", maybe after one reply prefix */
	for (skip = 0; skip < 2; skip++) {
		k = 0;
		if (skip == 1) {
			for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++)
				if (is_prefix_ci(v, n, pre[i]))
					k = strlen(pre[i]);
			if (k == 0)
				break;
		}
		if (k < n && v[k] == '[' && (rb = memchr(v + k, ']',
		    n - k)) != NULL) {
			size_t e = (size_t)(rb - v) + 1;

			while (e < n && v[e] == ' ')
				e++;
			buf_reset(&b);
			buf_append(&b, v, k);
			buf_append(&b, v + e, n - e);
			push_buf(g, DX_TAG_ADDED, &b);
		}
	}
	/* a tag removed: the list's name from List-Id <name.domain> */
	if (other_field(m, "list-id", 0, &lid) && buf_ok(&lid)) {
		const char *lt = memchr(lid.data, '<', lid.len);

		if (lt != NULL) {
			size_t s = (size_t)(lt - lid.data) + 1, e = s;

			while (e < lid.len && lid.data[e] != '.' &&
			    lid.data[e] != '>')
				e++;
			buf_reset(&b);
			buf_putc(&b, '[');
			buf_append(&b, lid.data + s, e - s);
			buf_puts(&b, "] ");
			buf_append(&b, v, n);
			push_buf(g, DX_TAG_REMOVED, &b);
		}
	}
	/* one reply or forward prefix added, or its spelling changed */
	for (i = 0; i < sizeof(pre) / sizeof(pre[0]); i++) {
		if (!is_prefix_ci(v, n, pre[i]))
			continue;
		k = strlen(pre[i]);
		push_value(g, DX_SUBJECT_PREFIX, v + k, n - k);
		for (skip = 0; skip < sizeof(pre) / sizeof(pre[0]); skip++) {
			if (strncasecmp(pre[skip], pre[i], 2) != 0 &&
			    !(pre[skip][0] == 'F' && (v[0] | 32) == 'f'))
				continue;
			buf_reset(&b);
			buf_puts(&b, pre[skip]);
			buf_append(&b, v + k, n - k);
			push_buf(g, DX_SUBJECT_PREFIX, &b);
		}
	}
	buf_free(&b);
	buf_free(&lid);
}

/* "Name" <a>, Name <a>, <a>, a: display names added, removed, quoted. */
static void
guess_display_name(struct guess *g)
{
	const char	*v = g->val, *lt, *gt;
	size_t		 n = g->val_len, s, e;
	struct buf	 b = BUF_INIT;

	/* one address: a comma may only stand in a quoted name */
	if ((lt = memchr(v, '<', n)) == NULL || (gt = memchr(lt, '>',
	    n - (size_t)(lt - v))) == NULL || memchr(gt, ',',
	    n - (size_t)(gt - v)) != NULL)
		return;
	push_value(g, DX_DISPLAY_NAME_ADDED, lt + 1, (size_t)(gt - lt - 1));
	push_value(g, DX_DISPLAY_NAME_ADDED, lt, (size_t)(gt - lt + 1));
	s = 0;
	e = (size_t)(lt - v);
	while (e > s && (v[e - 1] == ' ' || v[e - 1] == '\t'))
		e--;
	if (e == s)
		goto out;
	if (e - s >= 2 && v[s] == '"' && v[e - 1] == '"') {
		buf_append(&b, v + s + 1, e - s - 2);
	} else {
		buf_putc(&b, '"');
		buf_append(&b, v + s, e - s);
		buf_putc(&b, '"');
	}
	buf_append(&b, v + e, n - e);
	push_buf(g, DX_DISPLAY_NAME_QUOTED, &b);
out:
	buf_free(&b);
}

/* From munged by a list: the original from the fields that keep it. */
static void
guess_from(struct guess *g, const struct message *m)
{
	static const char *const keep[] = { "reply-to", "x-original-from",
	    "cc", "x-original-sender", "sender" };
	struct buf	 v = BUF_INIT;
	size_t		 i, nth;

	for (i = 0; i < sizeof(keep) / sizeof(keep[0]); i++)
		for (nth = 0; nth < 4 && other_field(m, keep[i], nth, &v);
		    nth++) {
			char *comma;

			/* the first address of a list */
			if (buf_ok(&v) && (comma = memchr(v.data, ',',
			    v.len)) != NULL)
				v.len = (size_t)(comma - v.data);
			push_buf(g, DX_FROM_MUNGED, &v);
		}
	buf_free(&v);
}

static const char *const wdays[] = { "Thu", "Fri", "Sat", "Sun", "Mon",
    "Tue", "Wed" };
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May",
    "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };

struct rdate {
	int		 y, mon, d;
	char		 hms[9];	/* "09:00:00" or "09:00" */
	char		 zone[6];	/* "+0000" */
};

/* [Day,] d Mon yyyy hh:mm[:ss] zone [comment]: the parts kept. */
static bool
date_parts(const char *v, size_t n, struct rdate *r)
{
	char		 buf[128], mon[4], tm[9], zone[8];
	const char	*p;
	int		 i;

	if (n >= sizeof(buf))
		return false;
	memcpy(buf, v, n);
	buf[n] = '\0';
	p = strchr(buf, ',') ? strchr(buf, ',') + 1 : buf;
	if (sscanf(p, "%d %3s %d %8s %7s", &r->d, mon, &r->y, tm, zone) != 5)
		return false;
	for (r->mon = 0, i = 0; i < 12; i++)
		if (strcasecmp(mon, months[i]) == 0)
			r->mon = i + 1;
	if (r->mon == 0 || !date_valid(r->y, r->mon, r->d))
		return false;
	snprintf(r->hms, sizeof(r->hms), "%s", tm);
	if (zone[0] == '+' || zone[0] == '-')
		snprintf(r->zone, sizeof(r->zone), "%.5s", zone);
	else if (strcasecmp(zone, "GMT") == 0 || strcasecmp(zone, "UT") == 0 ||
	    strcasecmp(zone, "UTC") == 0 || strcasecmp(zone, "Z") == 0)
		snprintf(r->zone, sizeof(r->zone), "+0000");
	else
		return false;
	return true;
}

/* Date re-rendered: day name, leading zero, zone spelling, comment. */
static void
guess_date(struct guess *g)
{
	static const char *const utc[] = { NULL, "-0000", "GMT", "UT", "UTC" };
	static const char *const comments[] = { "", " (UTC)", " (GMT)" };
	struct rdate	 r;
	struct buf	 b = BUF_INIT;
	int64_t		 days;
	size_t		 dn, z, c, zmax;
	int		 wd;

	if (!date_parts(g->val, g->val_len, &r))
		return;
	days = date_days_from_civil(r.y, r.mon, r.d);
	wd = (int)(((days % 7) + 7) % 7);
	zmax = strcmp(r.zone, "+0000") == 0 ? 5 : 1;
	for (dn = 0; dn < 4; dn++)
		for (z = 0; z < zmax; z++)
			for (c = 0; c < 3; c++) {
				buf_reset(&b);
				if (dn & 1)
					buf_printf(&b, "%s, ", wdays[wd]);
				buf_printf(&b, dn & 2 ? "%d" : "%02d", r.d);
				buf_printf(&b, " %s %d %s %s%s",
				    months[r.mon - 1], r.y, r.hms,
				    utc[z] ? utc[z] : r.zone, comments[c]);
				push_buf(g, DX_DATE, &b);
			}
	buf_free(&b);
}

/* Content-Type: parameters reordered, quoted or unquoted. */
static void
guess_content_type(struct guess *g)
{
	enum { NP = 4 };
	struct { const char *p; size_t n; } par[NP + 1];
	static const unsigned char perms[24][4] = {
	    {0,1,2,3},{0,1,3,2},{0,2,1,3},{0,2,3,1},{0,3,1,2},{0,3,2,1},
	    {1,0,2,3},{1,0,3,2},{1,2,0,3},{1,2,3,0},{1,3,0,2},{1,3,2,0},
	    {2,0,1,3},{2,0,3,1},{2,1,0,3},{2,1,3,0},{2,3,0,1},{2,3,1,0},
	    {3,0,1,2},{3,0,2,1},{3,1,0,2},{3,1,2,0},{3,2,0,1},{3,2,1,0} };
	const char	*v = g->val, *end = g->val + g->val_len, *p;
	struct buf	 b = BUF_INIT;
	size_t		 np = 0, i, k, q;
	bool		 inq = false;

	for (p = v; p <= end && np <= NP; p++)
		if (p == end || (*p == ';' && !inq)) {
			const char *s = v;

			while (s < p && (*s == ' ' || *s == '\t' ||
			    *s == '\r' || *s == '\n'))
				s++;
			par[np].p = s;
			par[np++].n = (size_t)(p - s);
			v = p + 1;
		} else if (*p == '"')
			inq = !inq;
	if (np < 2 || np > NP + 1)
		return;
	for (i = 0; i < 24; i++) {
		bool skip = false;

		for (k = 0; k < NP; k++)
			if (perms[i][k] >= np - 1 && k < np - 1)
				skip = true;
		if (skip)
			continue;
		for (q = 0; q < 3; q++) {
			buf_reset(&b);
			buf_append(&b, par[0].p, par[0].n);
			for (k = 0; k < np - 1; k++) {
				const char *a = par[1 + perms[i][k]].p;
				size_t an = par[1 + perms[i][k]].n, e;
				const char *eq = memchr(a, '=', an);

				buf_puts(&b, "; ");
				if (eq == NULL || q == 0) {
					buf_append(&b, a, an);
					continue;
				}
				e = (size_t)(eq - a) + 1;
				buf_append(&b, a, e);
				if (an - e >= 2 && a[e] == '"') {
					if (q == 2)	/* unquoted */
						buf_append(&b, a + e + 1,
						    an - e - 2);
					else
						buf_append(&b, a + e, an - e);
				} else {
					if (q == 1)	/* quoted */
						buf_putc(&b, '"');
					buf_append(&b, a + e, an - e);
					if (q == 1)
						buf_putc(&b, '"');
				}
			}
			push_buf(g, DX_CT_PARAMS, &b);
		}
	}
	buf_free(&b);
}

/* Decode the encoded-words of a value (RFC 2047) to its bytes. */
static bool
ew_decode(struct buf *out, const char *v, size_t n)
{
	size_t	 i = 0, k;
	bool	 any = false, last_ew = false;

	while (i < n) {
		const char *q1, *q2, *end;

		if (i + 2 < n && v[i] == '=' && v[i + 1] == '?' &&
		    (q1 = memchr(v + i + 2, '?', n - i - 2)) != NULL &&
		    (size_t)(q1 - v) + 3 < n && q1[2] == '?' &&
		    (end = mem_find(q1 + 3, n - (size_t)(q1 + 3 - v), "?=",
		    2)) != NULL) {
			q2 = q1 + 3;
			if ((q1[1] | 32) == 'b')
				b64_decode(out, q2, (size_t)(end - q2));
			else
				for (k = 0; q2 + k < end; k++) {
					if (q2[k] == '_')
						buf_putc(out, ' ');
					else if (q2[k] == '=' && q2 + k + 2 <
					    end + 1 && hex_digit(q2[k + 1]) >= 0
					    && hex_digit(q2[k + 2]) >= 0) {
						buf_putc(out, hex_digit(q2[k + 1])
						    * 16 + hex_digit(q2[k + 2]));
						k += 2;
					} else
						buf_putc(out, q2[k]);
				}
			i = (size_t)(end - v) + 2;
			any = last_ew = true;
			continue;
		}
		/* blanks between two encoded-words are not text */
		if (last_ew && (v[i] == ' ' || v[i] == '\t' || v[i] == '\r' ||
		    v[i] == '\n')) {
			k = i;
			while (k < n && (v[k] == ' ' || v[k] == '\t' ||
			    v[k] == '\r' || v[k] == '\n'))
				k++;
			if (k + 1 < n && v[k] == '=' && v[k + 1] == '?') {
				i = k;
				continue;
			}
		}
		last_ew = false;
		buf_putc(out, v[i++]);
	}
	return any;
}

static bool
has_8bit(const char *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] >= 0x80)
			return true;
	return false;
}

/* Encoded-words made again: Q or B, charset spelled two ways, or none. */
static void
guess_encoded_words(struct guess *g)
{
	static const char *const cs[] = { "UTF-8", "utf-8" };
	struct buf	 text = BUF_INIT, b = BUF_INIT;
	size_t		 i, k;
	bool		 decoded;

	decoded = ew_decode(&text, g->val, g->val_len);
	if (!decoded && !has_8bit(g->val, g->val_len))
		goto out;
	if (!buf_ok(&text))
		goto out;
	if (decoded)
		push_buf(g, DX_ENCODED_WORD, &text);
	for (i = 0; i < 2; i++) {
		buf_reset(&b);
		buf_printf(&b, "=?%s?Q?", cs[i]);
		for (k = 0; k < text.len; k++) {
			unsigned char c = (unsigned char)text.data[k];

			if (c == ' ')
				buf_putc(&b, '_');
			else if (c < 33 || c > 126 || c == '=' || c == '?' ||
			    c == '_')
				buf_printf(&b, "=%02X", c);
			else
				buf_putc(&b, c);
		}
		buf_puts(&b, "?=");
		push_buf(g, DX_ENCODED_WORD, &b);
		buf_reset(&b);
		buf_printf(&b, "=?%s?B?", cs[i]);
		b64_encode(&b, text.data, text.len);
		buf_puts(&b, "?=");
		push_buf(g, DX_ENCODED_WORD, &b);
	}
out:
	buf_free(&text);
	buf_free(&b);
}

/* Every guess at the original of one signed field, in a fixed order. */
static void
guess_field(struct guess *g, const struct message *m,
    const struct header_field *f)
{
	size_t	 s = 0;

	g->name = f->name;
	g->name_len = f->name_len;
	while (s < f->value_len && (f->value[s] == ' ' || f->value[s] == '\t'))
		s++;
	g->sep = f->value;
	g->sep_len = s;
	g->val = f->value + s;
	g->val_len = f->value_len - s;
	while (g->val_len > 0 && (g->val[g->val_len - 1] == ' ' ||
	    g->val[g->val_len - 1] == '\t') && g->canon != DKIM_CANON_SIMPLE)
		g->val_len--;
	if (name_is(g, "subject"))
		guess_subject(g, m);
	if (name_is(g, "from"))
		guess_from(g, m);
	if (name_is(g, "from") || name_is(g, "to") || name_is(g, "cc") ||
	    name_is(g, "reply-to") || name_is(g, "sender"))
		guess_display_name(g);
	if (name_is(g, "date"))
		guess_date(g);
	if (name_is(g, "content-type"))
		guess_content_type(g);
	guess_encoded_words(g);
	guess_layout(g);
}

/* --- the search -------------------------------------------------------- */

static void
note_rewrite(struct hsearch *s, size_t i, const struct cand *c)
{
	const struct header_field *f = &s->vr->msg.fields[s->sel[i]];
	struct diag_rewrite *rw = &s->o->rw[s->o->nrw++];
	struct buf	 now = BUF_INIT;

	memset(rw, 0, sizeof(*rw));
	snprintf(rw->field, sizeof(rw->field), "%.*s", (int)f->name_len,
	    f->name);
	rw->xform = c->xform;
	diag_keep(&rw->was, &rw->was_len, &c->raw);
	buf_append(&now, f->raw, f->raw_len);
	diag_keep(&rw->now, &rw->now_len, &now);
	buf_free(&now);
}

static void
free_cands(struct cand *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		buf_free(&c[i].raw);
		buf_free(&c[i].canon);
	}
}

/* A field added above the signed instances: each one taken away. */
static bool
try_added(struct hsearch *s)
{
	const struct message *m = &s->vr->msg;
	size_t	 i;
	long	 k;
	bool	 found = false;

	for (i = 0; i < s->nh && !found && !s->cut; i++) {
		if (s->sel[i] < 0)
			continue;
		k = s->sel[i];
		if (!select_fields(s, k))
			break;
		found = try_block(s, SIZE_MAX, NULL, SIZE_MAX, NULL);
		if (found) {
			struct diag_rewrite *rw = &s->o->rw[s->o->nrw++];
			struct buf raw = BUF_INIT;

			memset(rw, 0, sizeof(*rw));
			snprintf(rw->field, sizeof(rw->field), "%.*s",
			    (int)m->fields[k].name_len, m->fields[k].name);
			rw->xform = DX_FIELD_ADDED;
			rw->was_absent = true;
			buf_append(&raw, m->fields[k].raw, m->fields[k].raw_len);
			diag_keep(&rw->now, &rw->now_len, &raw);
			buf_free(&raw);
		}
	}
	select_fields(s, -1);
	return found;
}

static bool
search(struct hsearch *s, struct cand **cs, size_t *ncs)
{
	const struct message *m = &s->vr->msg;
	struct guess	 g;
	size_t		 i, j, a, b;

	for (i = 0; i < s->nh && !s->cut; i++) {
		if (s->sel[i] < 0 || (i > 0 && s->sel[i] == s->sel[i - 1]))
			continue;
		memset(&g, 0, sizeof(g));
		g.canon = s->sr->sig.hcanon;
		g.c = cs[i];
		g.now = &s->piece[i];
		guess_field(&g, m, &m->fields[s->sel[i]]);
		ncs[i] = g.nc;
		for (a = 0; a < g.nc; a++)
			if (try_block(s, i, &g.c[a].canon, SIZE_MAX, NULL)) {
				note_rewrite(s, i, &g.c[a]);
				return true;
			}
	}
	if (try_added(s))
		return true;
	/* two fields at once: what a list does to From and Subject */
	for (i = 0; i < s->nh && !s->cut; i++)
		for (j = i + 1; j < s->nh && !s->cut; j++)
			for (a = 0; a < ncs[i] && !s->cut; a++)
				for (b = 0; b < ncs[j] && !s->cut; b++)
					if (try_block(s, i, &cs[i][a].canon, j,
					    &cs[j][b].canon)) {
						note_rewrite(s, i, &cs[i][a]);
						note_rewrite(s, j, &cs[j][b]);
						return true;
					}
	return false;
}

/* Fields worth a look when no guess reproduces the digest, and why. */
static void
candidates(struct hsearch *s)
{
	const struct message *m = &s->vr->msg;
	struct diag_header *o = s->o;
	size_t		 i;

	for (i = 0; i < s->nh && o->ncand < DIAG_MAX_CANDIDATES; i++) {
		const struct header_field *f;
		enum diag_why why = DW_NONE;

		if (s->sel[i] < 0)
			continue;
		f = &m->fields[s->sel[i]];
		if (message_count_fields(m, "list-id", 7) > 0 &&
		    (header_name_is(f, "subject", 7) ||
		    header_name_is(f, "from", 4) ||
		    header_name_is(f, "reply-to", 8)))
			why = DW_LIST;
		else if (mem_find(f->value, f->value_len, "=?", 2) != NULL ||
		    has_8bit(f->value, f->value_len))
			why = DW_NON_ASCII;
		else if (header_name_is(f, "subject", 7) ||
		    header_name_is(f, "from", 4) ||
		    header_name_is(f, "to", 2) || header_name_is(f, "cc", 2) ||
		    header_name_is(f, "date", 4) ||
		    header_name_is(f, "content-type", 12) ||
		    header_name_is(f, "content-transfer-encoding", 25))
			why = DW_REWRITTEN_OFTEN;
		else if (message_count_fields(m, s->sr->sig.h[i].name,
		    s->sr->sig.h[i].len) > 1)
			why = DW_REPEATED;
		if (why == DW_NONE)
			continue;
		snprintf(o->cand[o->ncand].field, sizeof(o->cand[0].field),
		    "%.*s", (int)f->name_len, f->name);
		o->cand[o->ncand++].why = why;
	}
}

void
diag_header_hypotheses(struct diag_header *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	struct hsearch	 s;
	struct cand	**cs = NULL;
	size_t		*ncs = NULL, i;
	bool		 rsa = o->recovered == RECOVER_DIGEST &&
	    o->rec_hash == sr->sig.hash;

	if (!o->ed25519 && !rsa)
		return;		/* nothing to check a guess against */
	memset(&s, 0, sizeof(s));
	s.vr = vr;
	s.sr = sr;
	s.bg = bg;
	s.o = o;
	s.nh = sr->sig.nh > DIAG_MAX_HFIELDS ? DIAG_MAX_HFIELDS : sr->sig.nh;
	s.sel = calloc(s.nh + 1, sizeof(*s.sel));
	s.piece = calloc(s.nh + 1, sizeof(*s.piece));
	cs = calloc(s.nh + 1, sizeof(*cs));
	ncs = calloc(s.nh + 1, sizeof(*ncs));
	if (s.sel == NULL || s.piece == NULL || cs == NULL || ncs == NULL)
		goto out;
	for (i = 0; i < s.nh; i++)
		if ((cs[i] = calloc(DIAG_MAX_FIELD_HYPOTHESES,
		    sizeof(**cs))) == NULL)
			goto out;
	canon_sig_header(&s.sigf, sr->sig.hcanon, sr->sig.field->raw,
	    sr->sig.field->raw_len, sr->sig.b_value_off, sr->sig.b_value_end);
	o->hypotheses_run = true;
	if (select_fields(&s, -1) && search(&s, cs, ncs))
		o->variant_cause = DIAG_HDR_REWRITTEN;
	else
		candidates(&s);
	o->hypotheses = s.tried;
	o->hypotheses_cut = s.cut;
out:
	for (i = 0; cs != NULL && i < s.nh; i++) {
		if (cs[i] != NULL)
			free_cands(cs[i], ncs[i]);
		free(cs[i]);
	}
	for (i = 0; s.piece != NULL && i < s.nh; i++)
		buf_free(&s.piece[i]);
	free(cs);
	free(ncs);
	free(s.sel);
	free(s.piece);
	buf_free(&s.sigf);
	buf_free(&s.blk);
}
