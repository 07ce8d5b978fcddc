/* SPDX-License-Identifier: ISC */
/* mime: header blocks, Content-Type, multipart, base64 and QP; see mime.h. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/ascii.h"
#include "verifier/mime.h"
#include "base/hex.h"
#include "verifier/message.h"

#define MIME_MAX_COMMENT	16	/* nested comment levels skipped */

/* --- header blocks ------------------------------------------------------ */

void
mime_hdr_init(struct mime_hdr_iter *it, const char *p, size_t len)
{
	it->p = p;
	it->end = len > 0 ? p + len : p;
	it->done = len == 0;
}

/* The name of a field line: up to the colon, WSP before it cut. */
static size_t
field_name(const char *line, size_t len)
{
	const char	*colon;
	size_t		 n, i;

	if ((colon = memchr(line, ':', len)) == NULL)
		return 0;
	n = (size_t)(colon - line);
	while (n > 0 && ascii_is_wsp(line[n - 1]))
		n--;
	for (i = 0; i < n; i++)
		if ((unsigned char)line[i] <= ' ' ||
		    (unsigned char)line[i] >= 127)
			return 0;
	return n;
}

bool
mime_hdr_next(struct mime_hdr_iter *it, struct mime_field *f)
{
	struct line_iter li;
	const char	*line, *vend;
	size_t		 len, n;
	bool		 eol;

	if (it->done)
		return false;
	line_iter_init(&li, it->p, (size_t)(it->end - it->p));
	if (!line_iter_next(&li, &line, &len, &eol) || (len == 0 && eol)) {
		it->done = true;
		return false;
	}
	memset(f, 0, sizeof(*f));
	n = ascii_is_wsp(line[0]) ? 0 : field_name(line, len);
	f->name = line;
	f->name_len = n;
	if (n > 0) {
		f->value = (const char *)memchr(line, ':', len) + 1;
		vend = line + len;
	} else {
		f->value = line;
		vend = line + len;
	}
	it->p = li.p;
	while (eol && it->p < it->end && ascii_is_wsp(*it->p)) {
		if (!line_iter_next(&li, &line, &len, &eol))
			break;
		vend = line + len;
		it->p = li.p;
	}
	f->value_len = (size_t)(vend - f->value);
	if (it->p >= it->end)
		it->done = true;
	return true;
}

bool
mime_field_is(const struct mime_field *f, const char *name)
{
	size_t	 n = strlen(name);

	return f->name_len == n && strncasecmp(f->name, name, n) == 0;
}

bool
mime_hdr_find(const char *p, size_t len, const char *name,
    struct mime_field *out)
{
	struct mime_hdr_iter it;

	mime_hdr_init(&it, p, len);
	while (mime_hdr_next(&it, out))
		if (mime_field_is(out, name))
			return true;
	return false;
}

void
mime_unfold(struct buf *b, const char *v, size_t n)
{
	size_t	 i, start = b->len;

	while (n > 0 && (ascii_is_wsp(*v) || *v == '\r' || *v == '\n')) {
		v++;
		n--;
	}
	for (i = 0; i < n; i++) {
		if (v[i] == '\r' || v[i] == '\n' || v[i] == '\0')
			continue;
		buf_putc(b, v[i]);
	}
	while (b->len > start && b->data != NULL &&
	    ascii_is_wsp(b->data[b->len - 1]))
		b->data[--b->len] = '\0';
}

bool
mime_split_header(const char *p, size_t len, size_t *hdr_len,
    size_t *body_off)
{
	struct line_iter it;
	const char	*line;
	size_t		 n;
	bool		 eol;

	line_iter_init(&it, p, len);
	while (line_iter_next(&it, &line, &n, &eol)) {
		if (n == 0 && eol) {
			*hdr_len = (size_t)(line - p);
			*body_off = (size_t)(it.p - p);
			return true;
		}
	}
	*hdr_len = len;
	*body_off = len;
	return false;
}

/* --- Content-Type --------------------------------------------------------- */

static bool
is_tspecial(int c)
{
	return c != '\0' && strchr("()<>@,;:\\\"/[]?=", c) != NULL;
}

static bool
is_token(int c)
{
	return c > ' ' && c < 127 && !is_tspecial(c);
}

/* Skip blanks, line ends and (nested) comments. */
static const char *
skip_cfws(const char *p, const char *end)
{
	int	 depth;

	while (p < end) {
		if (ascii_is_wsp(*p) || *p == '\r' || *p == '\n') {
			p++;
			continue;
		}
		if (*p != '(')
			break;
		depth = 0;
		while (p < end) {
			if (*p == '\\' && p + 1 < end)
				p++;
			else if (*p == '(' && depth < MIME_MAX_COMMENT)
				depth++;
			else if (*p == ')' && --depth == 0) {
				p++;
				break;
			}
			p++;
		}
	}
	return p;
}

/* Copy a token, lower-cased, into out; returns the end of the token. */
static const char *
take_token(const char *p, const char *end, char *out, size_t outlen,
    bool *cut)
{
	size_t	 n = 0;

	while (p < end && is_token((unsigned char)*p)) {
		if (n + 1 < outlen)
			out[n++] = (char)ascii_lower((unsigned char)*p);
		else
			*cut = true;
		p++;
	}
	out[n] = '\0';
	return p;
}

/* One more byte of a parameter's value; what does not fit is cut. */
static void
param_putc(struct mime_param *pr, size_t *n, char c)
{
	if (*n + 1 < sizeof(pr->value))
		pr->value[(*n)++] = c;
	else
		pr->truncated = true;
}

static const char *
take_quoted(const char *p, const char *end, struct mime_param *pr)
{
	size_t	 n = 0;

	p++;			/* the opening quote */
	while (p < end && *p != '"') {
		if (*p == '\\' && p + 1 < end)
			p++;
		if (*p != '\r' && *p != '\n' && *p != '\0')
			param_putc(pr, &n, *p);
		p++;
	}
	pr->value[n] = '\0';
	pr->quoted = true;
	return p < end ? p + 1 : p;
}

/* An unquoted value: leniently, up to ";" or a blank. */
static const char *
take_bare(const char *p, const char *end, struct mime_param *pr)
{
	size_t	 n = 0;

	while (p < end && *p != ';' && !ascii_is_wsp(*p) && *p != '\r' &&
	    *p != '\n') {
		if (*p != '\0')
			param_putc(pr, &n, *p);
		p++;
	}
	pr->value[n] = '\0';
	return p;
}

/* One "name=value"; returns where it stopped (always past p when p<end). */
static const char *
take_param(struct mime_ct *ct, const char *p, const char *end)
{
	struct mime_param	 tmp, *pr;
	bool			 cut = false;
	const char		*start = p;

	memset(&tmp, 0, sizeof(tmp));
	p = take_token(p, end, tmp.name, sizeof(tmp.name), &cut);
	p = skip_cfws(p, end);
	if (tmp.name[0] == '\0' || p >= end || *p != '=') {
		/* junk: resynchronise on the next ";" */
		while (p < end && *p != ';')
			p++;
		return p > start ? p : p + 1;
	}
	p = skip_cfws(p + 1, end);
	if (p < end && *p == '"')
		p = take_quoted(p, end, &tmp);
	else
		p = take_bare(p, end, &tmp);
	if (cut)
		tmp.truncated = true;
	if (tmp.truncated)
		ct->flags |= MIME_CT_TRUNCATED;
	if (ct->nparams == MIME_MAX_PARAMS) {
		ct->flags |= MIME_CT_TOO_MANY;
		return p;
	}
	pr = &ct->params[ct->nparams++];
	*pr = tmp;
	return p;
}

void
mime_ct_parse(struct mime_ct *ct, const char *v, size_t n)
{
	const char	*p, *end;
	bool		 cut = false;

	memset(ct, 0, sizeof(*ct));
	if (v == NULL || n == 0) {
		ct->flags |= MIME_CT_BAD;
		return;
	}
	p = v;
	end = v + n;
	p = skip_cfws(p, end);
	p = take_token(p, end, ct->type, sizeof(ct->type), &cut);
	p = skip_cfws(p, end);
	if (ct->type[0] == '\0' || p >= end || *p != '/') {
		ct->flags |= MIME_CT_BAD;
		ct->type[0] = '\0';
	} else {
		p = skip_cfws(p + 1, end);
		p = take_token(p, end, ct->subtype, sizeof(ct->subtype),
		    &cut);
		if (ct->subtype[0] == '\0') {
			ct->flags |= MIME_CT_BAD;
			ct->type[0] = '\0';
		}
	}
	if (cut)
		ct->flags |= MIME_CT_TRUNCATED;
	while (p < end) {
		p = skip_cfws(p, end);
		if (p >= end)
			break;
		if (*p == ';') {
			p++;
			continue;
		}
		p = take_param(ct, p, end);
	}
}

bool
mime_ct_is(const struct mime_ct *ct, const char *type, const char *subtype)
{
	return strcasecmp(ct->type, type) == 0 &&
	    strcasecmp(ct->subtype, subtype) == 0;
}

/* Append s to out[*n..], %XX-decoded when ext; false when cut. */
static bool
append_value(char *out, size_t outlen, size_t *n, const char *s, bool ext)
{
	int	 hi, lo;

	for (; *s != '\0'; s++) {
		char	 c = *s;

		if (ext && c == '%' &&
		    (hi = hex_digit((unsigned char)s[1])) >= 0 &&
		    (lo = hex_digit((unsigned char)s[2])) >= 0) {
			c = (char)(hi * 16 + lo);
			s += 2;
		}
		if (c == '\0')
			continue;
		if (*n + 1 >= outlen)
			return false;
		out[(*n)++] = c;
	}
	return true;
}

/* The RFC 2231 charset'language' prefix of an extended first section. */
static const char *
skip_charset(const char *v)
{
	const char	*q1, *q2;

	if ((q1 = strchr(v, '\'')) == NULL ||
	    (q2 = strchr(q1 + 1, '\'')) == NULL)
		return v;
	return q2 + 1;
}

static const struct mime_param *
find_param(const struct mime_ct *ct, const char *name)
{
	size_t	 i;

	for (i = 0; i < ct->nparams; i++)
		if (strcmp(ct->params[i].name, name) == 0)
			return &ct->params[i];
	return NULL;
}

/* Join name*0, name*1 ... (each maybe extended "name*k*"). */
static bool
join_sections(const struct mime_ct *ct, const char *name, char *out,
    size_t outlen, bool *quoted)
{
	const struct mime_param *pr;
	char		 key[MIME_MAX_NAME + 8];
	size_t		 n = 0, k;
	bool		 ext, ok = true, any = false;

	out[0] = '\0';
	for (k = 0; k < MIME_MAX_PARAMS; k++) {
		ext = false;
		(void)snprintf(key, sizeof(key), "%s*%zu", name, k);
		if ((pr = find_param(ct, key)) == NULL) {
			(void)snprintf(key, sizeof(key), "%s*%zu*", name, k);
			if ((pr = find_param(ct, key)) == NULL)
				break;
			ext = true;
		}
		if (k == 0 && quoted != NULL)
			*quoted = pr->quoted;
		any = true;
		if (pr->truncated || !append_value(out, outlen, &n,
		    ext && k == 0 ? skip_charset(pr->value) : pr->value, ext))
			ok = false;
	}
	out[n] = '\0';
	return any && ok;
}

bool
mime_ct_param(const struct mime_ct *ct, const char *name, char *out,
    size_t outlen, bool *quoted)
{
	const struct mime_param *pr;
	char		 key[MIME_MAX_NAME + 2];
	size_t		 n = 0;

	if (outlen == 0)
		return false;
	out[0] = '\0';
	if (quoted != NULL)
		*quoted = false;
	if ((pr = find_param(ct, name)) != NULL) {
		if (quoted != NULL)
			*quoted = pr->quoted;
		if (!append_value(out, outlen, &n, pr->value, false) ||
		    pr->truncated)
			return false;
		out[n] = '\0';
		return true;
	}
	(void)snprintf(key, sizeof(key), "%s*", name);
	if ((pr = find_param(ct, key)) != NULL) {
		if (quoted != NULL)
			*quoted = pr->quoted;
		if (!append_value(out, outlen, &n, skip_charset(pr->value),
		    true) || pr->truncated)
			return false;
		out[n] = '\0';
		return true;
	}
	return join_sections(ct, name, out, outlen, quoted);
}

/* --- transfer encodings --------------------------------------------------- */

enum mime_cte
mime_cte_parse(const char *v, size_t n)
{
	static const struct {
		const char	*name;
		enum mime_cte	 cte;
	} names[] = {
		{ "7bit", MIME_CTE_7BIT }, { "8bit", MIME_CTE_8BIT },
		{ "binary", MIME_CTE_BINARY }, { "base64", MIME_CTE_BASE64 },
		{ "quoted-printable", MIME_CTE_QP },
	};
	const char	*end;
	size_t		 i, len;

	if (v == NULL || n == 0)
		return MIME_CTE_NONE;
	end = v + n;
	v = skip_cfws(v, end);
	for (len = 0; v + len < end && is_token((unsigned char)v[len]); len++)
		;
	if (len == 0)
		return MIME_CTE_NONE;
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (strlen(names[i].name) == len &&
		    strncasecmp(v, names[i].name, len) == 0)
			return names[i].cte;
	return MIME_CTE_OTHER;
}

const char *
mime_cte_name(enum mime_cte c)
{
	switch (c) {
	case MIME_CTE_NONE:
		return "none";
	case MIME_CTE_7BIT:
		return "7bit";
	case MIME_CTE_8BIT:
		return "8bit";
	case MIME_CTE_BINARY:
		return "binary";
	case MIME_CTE_BASE64:
		return "base64";
	case MIME_CTE_QP:
		return "quoted-printable";
	case MIME_CTE_OTHER:
		break;
	}
	return "other";
}

static int
b64val(int c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

bool
mime_b64_decode(struct buf *out, const char *s, size_t n)
{
	unsigned	 acc = 0, nbits = 0;
	unsigned char	*o;
	size_t		 i, k = 0;
	int		 v;

	if (!buf_reserve(out, n / 4 * 3 + 4))
		return false;
	o = (unsigned char *)out->data + out->len;
	for (i = 0; i < n; i++) {
		if (s[i] == '=')
			break;
		if ((v = b64val((unsigned char)s[i])) < 0)
			continue;
		acc = (acc << 6) | (unsigned)v;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			o[k++] = (unsigned char)(acc >> nbits);
			acc &= (1u << nbits) - 1;
		}
	}
	out->len += k;
	out->data[out->len] = '\0';
	return true;
}

/* Length of the blanks that end a line at s[i..] (before CR? LF), or 0. */
static size_t
trailing_blanks(const char *s, size_t i, size_t n)
{
	size_t	 j = i;

	while (j < n && ascii_is_wsp(s[j]))
		j++;
	if (j == n || s[j] == '\n' || (s[j] == '\r' && j + 1 < n &&
	    s[j + 1] == '\n'))
		return j - i;
	return 0;
}

/* "=" at s[i]: the bytes it stands for; returns how many input it used. */
static size_t
qp_escape(struct buf *out, const char *s, size_t i, size_t n)
{
	int	 hi, lo;
	size_t	 j;

	if (i + 2 < n && (hi = hex_digit((unsigned char)s[i + 1])) >= 0 &&
	    (lo = hex_digit((unsigned char)s[i + 2])) >= 0) {
		buf_putc(out, hi * 16 + lo);
		return 3;
	}
	/* soft line break: "=" [blanks] line end */
	j = i + 1;
	while (j < n && ascii_is_wsp(s[j]))
		j++;
	if (j == n)
		return j - i;
	if (s[j] == '\n')
		return j + 1 - i;
	if (s[j] == '\r' && j + 1 < n && s[j + 1] == '\n')
		return j + 2 - i;
	buf_putc(out, '=');
	return 1;
}

bool
mime_qp_decode(struct buf *out, const char *s, size_t n)
{
	size_t	 i = 0, t;

	if (!buf_reserve(out, n + 1))
		return false;
	while (i < n) {
		if (s[i] == '=') {
			i += qp_escape(out, s, i, n);
			continue;
		}
		if (ascii_is_wsp(s[i]) && (t = trailing_blanks(s, i, n)) > 0) {
			i += t;		/* transport padding at a line end */
			continue;
		}
		buf_putc(out, s[i]);
		i++;
	}
	return buf_ok(out);
}

bool
mime_decode(struct buf *out, enum mime_cte cte, const char *s, size_t n)
{
	if (cte == MIME_CTE_BASE64)
		return mime_b64_decode(out, s, n);
	if (cte == MIME_CTE_QP)
		return mime_qp_decode(out, s, n);
	buf_append(out, s, n);
	return buf_ok(out);
}

/* --- the entity tree ------------------------------------------------------ */

struct span {
	const char	*p;
	size_t		 n;
};

static void	 process(struct mime_tree *, size_t idx);

void
mime_part_ct(const struct mime_part *part, struct mime_ct *ct)
{
	struct mime_field f;

	if (mime_hdr_find(part->hdr, part->hdr_len, "Content-Type", &f))
		mime_ct_parse(ct, f.value, f.value_len);
	else
		mime_ct_parse(ct, NULL, 0);
}

bool
mime_part_is(const struct mime_part *part, const char *type,
    const char *subtype)
{
	return strcasecmp(part->type, type) == 0 &&
	    strcasecmp(part->subtype, subtype) == 0;
}

/* Is line a delimiter of boundary b?  *close when it is the closing one. */
static bool
is_delimiter(const char *line, size_t len, const char *b, size_t blen,
    bool *close)
{
	size_t	 i;

	if (len < blen + 2 || line[0] != '-' || line[1] != '-' ||
	    memcmp(line + 2, b, blen) != 0)
		return false;
	i = blen + 2;
	*close = len - i >= 2 && line[i] == '-' && line[i + 1] == '-';
	if (*close)
		return true;
	for (; i < len; i++)
		if (!ascii_is_wsp(line[i]))
			return false;
	return true;
}

/* The first "--xxx" line of a body, as a boundary guess. */
static bool
guess_boundary(const char *p, size_t n, char *out, size_t outlen)
{
	struct line_iter it;
	const char	*line;
	size_t		 len, i;
	bool		 eol;

	line_iter_init(&it, p, n);
	while (line_iter_next(&it, &line, &len, &eol)) {
		while (len > 0 && ascii_is_wsp(line[len - 1]))
			len--;
		if (len < 3 || line[0] != '-' || line[1] != '-')
			continue;
		for (i = 2; i < len; i++)
			if ((unsigned char)line[i] <= ' ')
				break;
		if (i < len || len - 2 >= outlen)
			continue;
		memcpy(out, line + 2, len - 2);
		out[len - 2] = '\0';
		return true;
	}
	return false;
}

static bool
blank_only(const char *p, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		if (!ascii_is_wsp(p[i]) && p[i] != '\r' && p[i] != '\n')
			return false;
	return true;
}

/* Length of the leading Content-* and MIME-Version fields of p. */
static size_t
mime_fields_len(const char *p, size_t n)
{
	struct mime_hdr_iter it;
	struct mime_field f;

	mime_hdr_init(&it, p, n);
	while (mime_hdr_next(&it, &f)) {
		if (!(f.name_len > 8 && strncasecmp(f.name, "Content-", 8) == 0)
		    && !mime_field_is(&f, "MIME-Version"))
			return (size_t)(f.name - p);
	}
	return (size_t)(it.p - p);
}

/* Add an entity for raw part content c, child of parent. */
static void
add_part(struct mime_tree *t, size_t parent, struct span c)
{
	struct mime_part *pp = &t->parts[parent], *part;
	size_t		 hlen, boff;

	if (t->nparts == MIME_MAX_PARTS) {
		t->truncated = true;
		return;
	}
	part = &t->parts[t->nparts];
	memset(part, 0, sizeof(*part));
	part->parent = (int)parent;
	part->depth = pp->depth + 1;
	pp->nchildren++;
	if (mime_split_header(c.p, c.n, &hlen, &boff)) {
		if (hlen == 0)
			part->flags |= MIME_F_NO_HEADER;
	} else {
		/* no blank line: the leading MIME fields are the header */
		part->flags |= MIME_F_NO_BLANK;
		hlen = boff = mime_fields_len(c.p, c.n);
		if (hlen == 0)
			part->flags |= MIME_F_NO_HEADER;
	}
	part->hdr = c.p;
	part->hdr_len = hlen;
	part->body = c.p + boff;
	part->body_len = c.n - boff;
	process(t, t->nparts++);
}

/* Content of the part that ends where the delimiter line starts. */
static struct span
part_span(const char *start, const char *delim)
{
	struct span	 s;
	const char	*end = delim;

	if (end > start && end[-1] == '\n')
		end--;
	if (end > start && end[-1] == '\r')
		end--;
	s.p = start;
	s.n = (size_t)(end - start);
	return s;
}

static void
split(struct mime_tree *t, size_t idx, const char *b, size_t blen)
{
	struct line_iter it;
	const char	*line, *start = NULL;
	const char	*body = t->parts[idx].body;
	size_t		 len;
	bool		 eol, close, seen = false;
	struct span	 s;

	line_iter_init(&it, body, t->parts[idx].body_len);
	while (line_iter_next(&it, &line, &len, &eol)) {
		if (!is_delimiter(line, len, b, blen, &close))
			continue;
		if (start != NULL)
			add_part(t, idx, part_span(start, line));
		seen = true;
		if (close)
			return;
		start = it.p;
	}
	if (!seen) {
		t->parts[idx].flags |= MIME_F_NO_DELIMITER;
		return;
	}
	t->parts[idx].flags |= MIME_F_NO_CLOSE;
	s.p = start;
	s.n = (size_t)(it.end - start);
	if (blank_only(s.p, s.n))
		t->parts[idx].flags |= MIME_F_OPEN_AT_END;
	else
		add_part(t, idx, s);
}

static void
multipart(struct mime_tree *t, size_t idx, const struct mime_ct *ct)
{
	struct mime_part *part = &t->parts[idx];
	char		 b[MIME_MAX_VALUE];
	bool		 quoted;

	if (part->depth >= MIME_MAX_DEPTH) {
		part->flags |= MIME_F_TOO_DEEP;
		return;
	}
	if (!mime_ct_param(ct, "boundary", b, sizeof(b), &quoted) ||
	    b[0] == '\0') {
		part->flags |= MIME_F_NO_BOUNDARY;
		if (!guess_boundary(part->body, part->body_len, b, sizeof(b))) {
			part->flags |= MIME_F_NO_DELIMITER;
			return;
		}
	} else if (!quoted)
		part->flags |= MIME_F_UNQUOTED_BOUNDARY;
	split(t, idx, b, strlen(b));
}

static void
process(struct mime_tree *t, size_t idx)
{
	struct mime_part *part = &t->parts[idx];
	struct mime_field f;
	struct mime_ct	 ct;

	if (mime_hdr_find(part->hdr, part->hdr_len, "Content-Transfer-Encoding",
	    &f))
		part->cte = mime_cte_parse(f.value, f.value_len);
	if (!mime_hdr_find(part->hdr, part->hdr_len, "Content-Type", &f))
		return;
	mime_ct_parse(&ct, f.value, f.value_len);
	if (ct.flags & MIME_CT_BAD) {
		part->flags |= MIME_F_CT_BAD;
		return;
	}
	memcpy(part->type, ct.type, sizeof(part->type));
	memcpy(part->subtype, ct.subtype, sizeof(part->subtype));
	if (strcmp(ct.type, "multipart") == 0)
		multipart(t, idx, &ct);
}

void
mime_parse(struct mime_tree *t, const char *hdr, size_t hdr_len,
    const char *body, size_t body_len)
{
	struct mime_part *top = &t->parts[0];

	t->nparts = 1;
	t->truncated = false;
	memset(top, 0, sizeof(*top));
	top->hdr = hdr;
	top->hdr_len = hdr != NULL ? hdr_len : 0;
	top->body = body;
	top->body_len = body != NULL ? body_len : 0;
	top->parent = -1;
	process(t, 0);
}
