/* SPDX-License-Identifier: ISC */
/*
 * hypo_body: what intermediaries do to the parts of a MIME body, undone and
 * checked against bh= (diagnose.h, "MIME body hypotheses").  A guess is an
 * edit of the body bytes: one part's span replaced by what it was before
 * (a part taken away, text cut, a part decoded or encoded again, its
 * charset converted back) or the preamble restored; one edit, then two in
 * different parts.  Every rebuilt body is canonicalized and hashed as bh=.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/b64.h"
#include "verifier/diagnose_local.h"
#include "verifier/mime.h"

#define TEXT_CUTS	48	/* line ends tried, from a part's end */
#define HTML_BACK	2048	/* bytes searched before </body> */

struct edit {
	size_t		 off, end;	/* the body bytes replaced */
	struct buf	 rep;
	enum diag_xform	 xform;
};

struct bsearch {
	const struct message *m;
	const struct dkim_sig *sig;
	struct diag_budget *bg;
	struct mime_tree t;
	struct edit	*e[MIME_MAX_PARTS];	/* guesses, per part */
	size_t		 ne[MIME_MAX_PARTS];
	struct buf	 body;
	size_t		 tried;
	bool		 cut;
	const char	*eol;		/* "\r\n", or "\n" for LF mail */
};

static size_t
off_of(const struct bsearch *s, const char *p)
{
	return (size_t)(p - s->m->body);
}

static struct edit *
new_edit(struct bsearch *s, size_t idx, size_t off, size_t end,
    enum diag_xform x)
{
	struct edit	*e;

	if (s->ne[idx] >= DIAG_MAX_FIELD_HYPOTHESES)
		return NULL;
	e = &s->e[idx][s->ne[idx]++];
	memset(e, 0, sizeof(*e));
	e->off = off;
	e->end = end;
	e->xform = x;
	return e;
}

/* The body with edits a (and b, after it) applied: does it hash to bh=? */
static bool
body_try(struct bsearch *s, const struct edit *a, const struct edit *b)
{
	const char	*p = s->m->body;
	size_t		 n = s->m->body_len;

	if (s->tried >= DIAG_MAX_HYPOTHESES) {
		s->cut = true;
		return false;
	}
	s->tried++;
	buf_reset(&s->body);
	buf_append(&s->body, p, a->off);
	buf_append(&s->body, a->rep.data, a->rep.len);
	if (b != NULL) {
		buf_append(&s->body, p + a->end, b->off - a->end);
		buf_append(&s->body, b->rep.data, b->rep.len);
		buf_append(&s->body, p + b->end, n - b->end);
	} else
		buf_append(&s->body, p + a->end, n - a->end);
	if (!buf_ok(&s->body))
		return false;
	return diag_body_matches(s->bg, s->sig, s->sig->bcanon, true,
	    s->body.data, s->body.len);
}

/* Where the delimiter line before a part starts. */
static size_t
delimiter_start(const struct bsearch *s, const struct mime_part *pt)
{
	size_t	 k = off_of(s, pt->hdr);

	if (k > 0)
		k--;		/* the LF that ends the delimiter line */
	while (k > 0 && s->m->body[k - 1] != '\n')
		k--;
	return k;
}

/* The line end after a part's content (it belongs to the delimiter). */
static size_t
part_end_eol(const struct bsearch *s, const struct mime_part *pt)
{
	size_t	 k = off_of(s, pt->body) + pt->body_len;

	if (k < s->m->body_len && s->m->body[k] == '\r')
		k++;
	if (k < s->m->body_len && s->m->body[k] == '\n')
		k++;
	return k;
}

static void
guess_removed(struct bsearch *s, size_t idx)
{
	const struct mime_part *pt = &s->t.parts[idx];

	new_edit(s, idx, delimiter_start(s, pt), part_end_eol(s, pt),
	    DX_PART_ADDED);
}

/* Text appended: cut at each of the last line ends. */
static void
guess_appended(struct bsearch *s, size_t idx)
{
	const struct mime_part *pt = &s->t.parts[idx];
	size_t	 start = off_of(s, pt->body), end = start + pt->body_len, k;
	size_t	 cuts = 0;

	for (k = end; k > start && cuts < TEXT_CUTS; k--) {
		if (s->m->body[k - 1] != '\n')
			continue;
		cuts++;
		/* the original ended before this line end */
		new_edit(s, idx, k - 1 > start && s->m->body[k - 2] == '\r' ?
		    k - 2 : k - 1, end, DX_TEXT_APPENDED);
	}
}

/* Text inserted before </body> of an HTML part (altermime's way). */
static void
guess_inserted(struct bsearch *s, size_t idx)
{
	const struct mime_part *pt = &s->t.parts[idx];
	const char	*b = pt->body, *hit = NULL, *p;
	size_t		 n = pt->body_len, k;

	for (k = 0; k + 7 <= n; k++)
		if (strncasecmp(b + k, "</body>", 7) == 0)
			hit = b + k;
	if (hit == NULL)
		return;
	for (p = hit - 1; p >= b && hit - p <= HTML_BACK; p--)
		if (*p == '<' || *p == '\n' || *p == '\r')
			new_edit(s, idx, off_of(s, p), off_of(s, hit),
			    DX_TEXT_INSERTED);
}

/*
 * Quoted-printable as Python's quopri and email libraries write it (their
 * binascii.b2a_qp, text mode): an escape never split, a soft break "=" when
 * the next escape would reach 76 columns or the next plain byte would and
 * is not the last of its line, a blank before a line end escaped, a blank
 * ending the data escaped, a lone "." at the start of a line escaped.  A
 * line end of the data (LF or CR LF) is written as eol.
 */
#define QP_MAXLINE	76

static bool
qp_must_escape(const unsigned char *d, size_t len, size_t i, size_t linelen)
{
	unsigned char	 c = d[i];

	if (c > 126 || c == '=')
		return true;
	if (c == '.' && linelen == 0 && (i + 1 == len || d[i + 1] == '\n' ||
	    d[i + 1] == '\r' || d[i + 1] == 0))
		return true;
	if ((c == '\t' || c == ' ') && i + 1 == len)
		return true;
	return c < 33 && c != '\r' && c != '\n' && c != '\t' && c != ' ';
}

static void
qp_encode(struct buf *out, const struct buf *in, const char *eol)
{
	const unsigned char *d = (const unsigned char *)(in->data ?
			    in->data : "");
	size_t		 len = in->len, i = 0, linelen = 0;
	unsigned char	 ch;

	while (i < len) {
		if (qp_must_escape(d, len, i, linelen)) {
			if (linelen + 3 >= QP_MAXLINE) {
				buf_putc(out, '=');
				buf_puts(out, eol);
				linelen = 0;
			}
			buf_printf(out, "=%02X", d[i++]);
			linelen += 3;
		} else if (d[i] == '\n' || (d[i] == '\r' && i + 1 < len &&
		    d[i + 1] == '\n')) {
			linelen = 0;
			/* a blank before a line end is escaped */
			if (out->len > 0 && (out->data[out->len - 1] == ' ' ||
			    out->data[out->len - 1] == '\t')) {
				ch = (unsigned char)out->data[out->len - 1];
				out->len--;
				buf_printf(out, "=%02X", ch);
			}
			buf_puts(out, eol);
			i += d[i] == '\r' ? 2 : 1;
		} else {
			if (i + 1 != len && d[i + 1] != '\n' &&
			    linelen + 1 >= QP_MAXLINE) {
				buf_putc(out, '=');
				buf_puts(out, eol);
				linelen = 0;
			}
			linelen++;
			buf_putc(out, (char)d[i++]);
		}
	}
}

static void
b64_lines(struct buf *out, const struct buf *in, size_t width,
    const char *eol)
{
	struct buf	 b = BUF_INIT;
	size_t		 k;

	b64_encode(&b, in->data ? in->data : "", in->len);
	for (k = 0; k < b.len; k += width) {
		if (k > 0)
			buf_puts(out, eol);
		buf_append(out, b.data + k, b.len - k < width ? b.len - k :
		    width);
	}
	buf_free(&b);
}

/* The part's header with its Content-Transfer-Encoding value replaced. */
static bool
header_with_cte(struct buf *out, const struct bsearch *s,
    const struct mime_part *pt, const char *cte)
{
	const char	*h = pt->hdr, *end = pt->hdr + pt->hdr_len, *p, *v, *nl;
	size_t		 k = strlen("Content-Transfer-Encoding:");

	for (p = h; p < end; p = nl + 1) {
		if ((nl = memchr(p, '\n', (size_t)(end - p))) == NULL)
			return false;
		if ((size_t)(end - p) <= k || strncasecmp(p,
		    "Content-Transfer-Encoding:", k) != 0)
			continue;
		v = p + k;
		buf_append(out, h, (size_t)(v - h));
		buf_putc(out, ' ');
		buf_puts(out, cte);
		buf_puts(out, s->eol);
		buf_append(out, nl + 1, (size_t)(pt->body - (nl + 1)));
		return true;
	}
	return false;
}

static void
push_reencoded(struct bsearch *s, size_t idx, const char *cte,
    const struct buf *content, enum diag_xform x)
{
	const struct mime_part *pt = &s->t.parts[idx];
	struct edit	*e;

	if ((e = new_edit(s, idx, off_of(s, pt->hdr), off_of(s, pt->body) +
	    pt->body_len, x)) == NULL)
		return;
	if (!header_with_cte(&e->rep, s, pt, cte)) {
		buf_free(&e->rep);
		s->ne[idx]--;
		return;
	}
	buf_append(&e->rep, content->data, content->len);
}

/* One part re-encoded: its content as it was before. */
static void
guess_reencoded(struct bsearch *s, size_t idx)
{
	static const size_t widths[] = { 76, 72, 64, 60 };
	const struct mime_part *pt = &s->t.parts[idx];
	struct buf	 d = BUF_INIT, v = BUF_INIT;
	size_t		 w;
	enum diag_xform	 x = pt->cte == MIME_CTE_QP ? DX_QP : DX_BASE64;

	if (pt->cte == MIME_CTE_QP || pt->cte == MIME_CTE_BASE64) {
		if (!mime_decode(&d, pt->cte, pt->body, pt->body_len))
			goto out;
		/* the line end before the delimiter was encoded too */
		if (d.len >= 2 && memcmp(d.data + d.len - 2, "\r\n", 2) == 0)
			d.len -= 2;
		else if (d.len >= 1 && d.data[d.len - 1] == '\n')
			d.len--;
		push_reencoded(s, idx, "8bit", &d, x);
		push_reencoded(s, idx, "7bit", &d, x);
		if (pt->cte == MIME_CTE_BASE64) {
			mime_decode(&v, pt->cte, pt->body, pt->body_len);
			buf_reset(&d);
			for (w = 0; w < sizeof(widths) / sizeof(widths[0]);
			    w++) {
				buf_reset(&d);
				b64_lines(&d, &v, widths[w], s->eol);
				push_reencoded(s, idx, "base64", &d,
				    DX_BASE64_LINES);
			}
		}
	} else if (strcasecmp(pt->type, "text") == 0 || pt->type[0] == '\0') {
		buf_append(&v, pt->body, pt->body_len);
		qp_encode(&d, &v, s->eol);
		push_reencoded(s, idx, "quoted-printable", &d, DX_8BIT);
		buf_reset(&d);
		b64_lines(&d, &v, 76, s->eol);
		push_reencoded(s, idx, "base64", &d, DX_8BIT);
	}
out:
	buf_free(&d);
	buf_free(&v);
}

/* UTF-8 to ISO-8859-1; false when a character does not fit. */
static bool
utf8_to_latin1(struct buf *out, const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c < 0x80)
			buf_putc(out, c);
		else if ((c == 0xc2 || c == 0xc3) && i + 1 < n &&
		    ((unsigned char)p[i + 1] & 0xc0) == 0x80) {
			buf_putc(out, ((c & 0x03) << 6) |
			    ((unsigned char)p[i + 1] & 0x3f));
			i++;
		} else
			return false;
	}
	return true;
}

/* The part's header fields, CTE moved last or not, charset respelled. */
static void
push_charset(struct bsearch *s, size_t idx, const struct buf *content)
{
	static const char *const names[] = { "iso-8859-1", "ISO-8859-1",
	    "windows-1252" };
	const struct mime_part *pt = &s->t.parts[idx];
	const char	*h = pt->hdr, *cs;
	size_t		 hn = pt->hdr_len, i, q, order, k, cl;
	struct edit	*e;
	struct buf	 hdr = BUF_INIT;

	for (order = 0; order < 2; order++) {
		buf_reset(&hdr);
		/* order 1: Content-Type before Content-Transfer-Encoding */
		if (order == 1) {
			const char *ct = NULL, *te = NULL, *nl;

			if (strncasecmp(h, "Content-Transfer-Encoding:",
			    26) != 0 || (nl = memchr(h, '\n', hn)) == NULL)
				break;
			te = h;
			ct = nl + 1;
			buf_append(&hdr, ct, hn - (size_t)(ct - h));
			buf_append(&hdr, te, (size_t)(ct - te));
		} else
			buf_append(&hdr, h, hn);
		if (!buf_ok(&hdr) || (cs = mem_find(hdr.data, hdr.len,
		    "charset=", 8)) == NULL)
			continue;
		k = (size_t)(cs - hdr.data) + 8;
		for (cl = k; cl < hdr.len && hdr.data[cl] != ';' &&
		    hdr.data[cl] != '\r' && hdr.data[cl] != '\n'; cl++)
			;
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
			for (q = 0; q < 2; q++) {
				if ((e = new_edit(s, idx, off_of(s, h),
				    off_of(s, pt->body) + pt->body_len,
				    DX_CHARSET)) == NULL)
					goto out;
				buf_append(&e->rep, hdr.data, k);
				buf_printf(&e->rep, q ? "\"%s\"" : "%s",
				    names[i]);
				buf_append(&e->rep, hdr.data + cl, hdr.len - cl);
				buf_append(&e->rep, h + hn, (size_t)(pt->body -
				    (h + hn)));
				buf_append(&e->rep, content->data, content->len);
			}
	}
out:
	buf_free(&hdr);
}

static void
guess_charset(struct bsearch *s, size_t idx)
{
	const struct mime_part *pt = &s->t.parts[idx];
	struct buf	 l = BUF_INIT;

	if (pt->cte == MIME_CTE_QP || pt->cte == MIME_CTE_BASE64 ||
	    mem_find(pt->hdr, pt->hdr_len, "utf-8", 5) == NULL)
		return;
	if (utf8_to_latin1(&l, pt->body, pt->body_len) && buf_ok(&l) &&
	    (l.len != pt->body_len))
		push_charset(s, idx, &l);
	buf_free(&l);
}

/* --- the search --------------------------------------------------------- */

static void
part_path(const struct mime_tree *t, size_t idx, char *out, size_t outlen)
{
	size_t	 chain[MIME_MAX_DEPTH + 2], n = 0, i, k, ord;
	int	 p;
	size_t	 used = 0;

	out[0] = '\0';
	for (i = idx; i != 0 && n < sizeof(chain) / sizeof(chain[0]);
	    i = (size_t)t->parts[i].parent)
		chain[n++] = i;
	while (n-- > 0) {
		i = chain[n];
		p = t->parts[i].parent;
		for (ord = 0, k = (size_t)p + 1; k <= i; k++)
			if (t->parts[k].parent == p)
				ord++;
		used += (size_t)snprintf(out + used, outlen - used, "%s%zu",
		    used ? "." : "", ord);
		if (used >= outlen)
			break;
	}
}

static enum diag_cause
xform_cause(enum diag_xform x)
{
	switch (x) {
	case DX_PART_ADDED:
		return DIAG_BODY_MIME_PART_ADDED;
	case DX_TEXT_APPENDED:
	case DX_TEXT_INSERTED:
		return DIAG_BODY_MIME_TEXT_APPENDED;
	case DX_CHARSET:
		return DIAG_BODY_MIME_CHARSET;
	default:
		return DIAG_BODY_MIME_REENCODED;
	}
}

static void
note_part(struct diag_body *o, const struct bsearch *s, size_t idx,
    const struct edit *e)
{
	const struct mime_part *pt = &s->t.parts[idx];
	struct diag_part *dp;

	if (e->xform == DX_EPILOGUE) {
		o->nested_epilogue = true;
		return;
	}
	dp = &o->parts[o->nparts++];
	part_path(&s->t, idx, dp->path, sizeof(dp->path));
	snprintf(dp->type, sizeof(dp->type), "%s/%s", pt->type[0] ?
	    pt->type : "text", pt->type[0] ? pt->subtype : "plain");
	dp->xform = e->xform;
	if (o->nparts == 1 || o->cause == DIAG_NONE)
		o->cause = xform_cause(e->xform);
}

/* The preamble restored: the common texts of MIME libraries, or none. */
static bool
try_preamble(struct diag_body *o, struct bsearch *s)
{
	static const char *const pre[] = {
	    "This is a multi-part message in MIME format.",
	    "This is a multipart message in MIME format.",
	    "This is a MIME-formatted message.",
	};
	struct edit	 e;
	size_t		 i, k, first = 0;
	bool		 found = false;

	for (k = 1; k < s->t.nparts; k++)
		if (s->t.parts[k].parent == 0) {
			first = delimiter_start(s, &s->t.parts[k]);
			break;
		}
	if (k == s->t.nparts)
		return false;
	memset(&e, 0, sizeof(e));
	e.off = 0;
	e.end = first;
	for (i = 0; i < 2 * (sizeof(pre) / sizeof(pre[0])) + 1 && !found;
	    i++) {
		buf_reset(&e.rep);
		if (i > 0) {
			buf_puts(&e.rep, pre[(i - 1) / 2]);
			buf_puts(&e.rep, s->eol);
			if (i % 2 == 0)
				buf_puts(&e.rep, s->eol);
		}
		found = body_try(s, &e, NULL);
	}
	buf_free(&e.rep);
	if (found)
		o->cause = DIAG_BODY_MIME_PREAMBLE;
	return found;
}

/* Two edits in body order; overlapping ones are no guess. */
static bool
try_pair(struct diag_body *o, struct bsearch *s, size_t i,
    const struct edit *a, size_t j, const struct edit *b)
{
	const struct edit *first = a->off <= b->off ? a : b;
	const struct edit *second = first == a ? b : a;

	if (first->end > second->off || !body_try(s, first, second))
		return false;
	note_part(o, s, first == a ? i : j, first);
	note_part(o, s, first == a ? j : i, second);
	if (o->nparts == 0)
		o->cause = DIAG_BODY_MIME_REENCODED;
	return true;
}

static bool
search(struct diag_body *o, struct bsearch *s)
{
	size_t	 i, j, a, b;

	for (i = 1; i < s->t.nparts && !s->cut; i++)
		for (a = 0; a < s->ne[i] && !s->cut; a++)
			if (body_try(s, &s->e[i][a], NULL)) {
				note_part(o, s, i, &s->e[i][a]);
				return true;
			}
	if (try_preamble(o, s))
		return true;
	for (i = 1; i < s->t.nparts && !s->cut; i++)
		for (j = i + 1; j < s->t.nparts && !s->cut; j++)
			for (a = 0; a < s->ne[i] && !s->cut; a++)
				for (b = 0; b < s->ne[j] && !s->cut; b++)
					if (try_pair(o, s, i, &s->e[i][a], j,
					    &s->e[j][b]))
						return true;
	return false;
}

/*
 * A nested multipart's epilogue: a MIME library (Python's email) writes a
 * line end after the closing delimiter; with it gone, the edits of its
 * children are tried again in pairs.
 */
static void
guess_epilogue(struct bsearch *s, size_t idx)
{
	const struct mime_part *pt = &s->t.parts[idx];
	size_t	 end = off_of(s, pt->body) + pt->body_len, k = end;

	while (k > off_of(s, pt->body) && (s->m->body[k - 1] == '\n' ||
	    s->m->body[k - 1] == '\r'))
		k--;
	if (k < end && k >= 2 && s->m->body[k - 1] == '-' &&
	    s->m->body[k - 2] == '-')
		new_edit(s, idx, k, end, DX_EPILOGUE);
}

static void
guess_part(struct bsearch *s, size_t idx)
{
	const struct mime_part *pt = &s->t.parts[idx];
	bool	 text = strcasecmp(pt->type, "text") == 0 ||
	    pt->type[0] == '\0';
	bool	 plain8 = pt->cte != MIME_CTE_QP && pt->cte != MIME_CTE_BASE64;

	if (idx != 0 && s->t.parts[pt->parent].nchildren > 1)
		guess_removed(s, idx);
	if (strcasecmp(pt->type, "multipart") == 0) {
		guess_epilogue(s, idx);
		return;
	}
	if (text && plain8) {
		if (strcasecmp(pt->subtype, "html") == 0)
			guess_inserted(s, idx);
		guess_appended(s, idx);
		guess_charset(s, idx);
	}
	guess_reencoded(s, idx);
}

bool
diag_body_hypotheses(struct diag_body *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	struct bsearch	*s;
	size_t		 i, a;
	bool		 found = false;

	if (!vr->msg.has_body || vr->msg.body < vr->msg.raw)
		return false;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return false;
	s->m = &vr->msg;
	s->sig = &sr->sig;
	s->bg = bg;
	s->eol = mem_find(vr->msg.body, vr->msg.body_len, "\r\n", 2) ?
	    "\r\n" : "\n";
	mime_parse(&s->t, vr->msg.raw, (size_t)(vr->msg.body - vr->msg.raw),
	    vr->msg.body, vr->msg.body_len);
	if (strcmp(s->t.parts[0].type, "multipart") != 0 || s->t.nparts < 2)
		goto out;
	for (i = 1; i < s->t.nparts; i++) {
		if ((s->e[i] = calloc(DIAG_MAX_FIELD_HYPOTHESES,
		    sizeof(struct edit))) == NULL)
			goto out;
		guess_part(s, i);
	}
	o->hypotheses_run = true;
	found = search(o, s);
	o->hypotheses = s->tried;
	o->hypotheses_cut = s->cut;
out:
	for (i = 0; i < MIME_MAX_PARTS; i++) {
		for (a = 0; a < s->ne[i]; a++)
			buf_free(&s->e[i][a].rep);
		free(s->e[i]);
	}
	buf_free(&s->body);
	free(s);
	return found;
}
