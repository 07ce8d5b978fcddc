/* SPDX-License-Identifier: ISC */
/* dkim_sig: parse and check one DKIM-Signature field; see dkim_sig.h. */
#include <ctype.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/b64.h"
#include "verifier/dkim_sig.h"
#include "base/hex.h"

#define DOMAIN_MAX	253

const char *
dkim_alg_name(enum dkim_alg a)
{
	switch (a) {
	case DKIM_ALG_RSA_SHA256:
		return "rsa-sha256";
	case DKIM_ALG_RSA_SHA1:
		return "rsa-sha1";
	case DKIM_ALG_ED25519_SHA256:
		return "ed25519-sha256";
	case DKIM_ALG_UNKNOWN:
		break;
	}
	return "unknown";
}

const char *
dkim_canon_name(enum dkim_canon c)
{
	return c == DKIM_CANON_RELAXED ? "relaxed" : "simple";
}

/* Record the first error only: later problems are consequences. */
static void
sig_error(struct dkim_sig *sig, enum dkim_reason r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void
sig_error(struct dkim_sig *sig, enum dkim_reason r, const char *fmt, ...)
{
	va_list	 ap;

	if (sig->err != REASON_OK)
		return;
	sig->err = r;
	va_start(ap, fmt);
	buf_vprintf(&sig->err_detail, fmt, ap);
	va_end(ap);
}

/* A value with FWS removed (h=, d=, s= may be folded). */
static char *
tag_strdup_nofws(const struct tag *t)
{
	char	*s;
	size_t	 i, n = 0;

	if ((s = malloc(t->value_len + 1)) == NULL)
		return NULL;
	for (i = 0; i < t->value_len; i++)
		if (strchr(" \t\r\n", t->value[i]) == NULL)
			s[n++] = t->value[i];
	s[n] = '\0';
	return s;
}

/* sub-domain labels: letters, digits, '-' and (in the wild) '_' */
static bool
valid_domain(const char *s, bool allow_underscore)
{
	size_t	 len = strlen(s), label = 0, i;

	if (len == 0 || len > DOMAIN_MAX)
		return false;
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!isalnum(c) && c != '-' && !(allow_underscore && c == '_'))
			return false;
		/* RFC 5321 sub-domain: no '-' at either end of a label */
		if (c == '-' && (label == 0 || i + 1 == len || s[i + 1] == '.'))
			return false;
		if (++label > 63)
			return false;
	}
	return label > 0;
}

/*
 * 1*maxdigits DIGIT.  A value beyond 64 bits saturates at UINT64_MAX: l= may
 * legally have 76 digits, and any l= that large exceeds every body anyway.
 */
static bool
parse_uint(const struct tag *t, size_t maxdigits, uint64_t *out)
{
	uint64_t v = 0, d;
	size_t	 i;

	if (t->value_len == 0 || t->value_len > maxdigits)
		return false;
	for (i = 0; i < t->value_len; i++) {
		if (t->value[i] < '0' || t->value[i] > '9')
			return false;
		d = (uint64_t)(t->value[i] - '0');
		v = v > (UINT64_MAX - d) / 10 ? UINT64_MAX : v * 10 + d;
	}
	*out = v;
	return true;
}

/* dkim-quoted-printable (section 2.11): "=XX" escapes, FWS dropped. */
static char *
qp_decode(const struct tag *t, bool *ok)
{
	char	*s;
	size_t	 i, n = 0;
	int	 hi, lo;

	*ok = true;
	if ((s = malloc(t->value_len + 1)) == NULL)
		return NULL;
	for (i = 0; i < t->value_len; i++) {
		char c = t->value[i];

		if (strchr(" \t\r\n", c) != NULL)
			continue;
		if (c == '=') {
			if (i + 2 >= t->value_len) {
				*ok = false;
				break;
			}
			hi = hex_digit((unsigned char)t->value[i + 1]);
			lo = hex_digit((unsigned char)t->value[i + 2]);
			if (hi < 0 || lo < 0) {
				*ok = false;
				break;
			}
			c = (char)(hi * 16 + lo);
			i += 2;
			/* a NUL would cut the identity short; controls are junk */
			if ((unsigned char)c < 0x21 || c == 0x7f) {
				*ok = false;
				break;
			}
		}
		s[n++] = c;
	}
	s[n] = '\0';
	return s;
}

static void
parse_alg(struct dkim_sig *sig)
{
	if (strcasecmp(sig->a, "rsa-sha256") == 0) {
		sig->alg = DKIM_ALG_RSA_SHA256;
		sig->hash = DKIM_HASH_SHA256;
	} else if (strcasecmp(sig->a, "ed25519-sha256") == 0) {
		sig->alg = DKIM_ALG_ED25519_SHA256;
		sig->hash = DKIM_HASH_SHA256;
	} else if (strcasecmp(sig->a, "rsa-sha1") == 0) {
		sig->alg = DKIM_ALG_RSA_SHA1;
		sig->hash = DKIM_HASH_SHA1;
	} else {
		sig->alg = DKIM_ALG_UNKNOWN;
		sig_error(sig, REASON_ALGORITHM_UNKNOWN, "unknown algorithm a=%s",
		    sig->a);
	}
}

static bool
canon_word(const char *p, size_t n, enum dkim_canon *out)
{
	if (n == 6 && strncasecmp(p, "simple", 6) == 0)
		*out = DKIM_CANON_SIMPLE;
	else if (n == 7 && strncasecmp(p, "relaxed", 7) == 0)
		*out = DKIM_CANON_RELAXED;
	else
		return false;
	return true;
}

static void
parse_canon(struct dkim_sig *sig)
{
	const char	*slash;
	size_t		 n = strlen(sig->c);

	sig->hcanon = sig->bcanon = DKIM_CANON_SIMPLE;
	slash = strchr(sig->c, '/');
	if (slash == NULL) {
		if (canon_word(sig->c, n, &sig->hcanon))
			return;
	} else if (canon_word(sig->c, (size_t)(slash - sig->c), &sig->hcanon) &&
	    canon_word(slash + 1, n - (size_t)(slash + 1 - sig->c),
	    &sig->bcanon))
		return;
	sig_error(sig, REASON_CANON_UNKNOWN, "unknown canonicalization c=%s",
	    sig->c);
}

static bool
hname_valid(const char *p, size_t n)
{
	size_t	 i;

	if (n == 0)
		return false;
	for (i = 0; i < n; i++)
		if ((unsigned char)p[i] <= 32 || (unsigned char)p[i] >= 127 ||
		    p[i] == ':')
			return false;
	return true;
}

/* One name of h=; false, with the reason, to stop at a bad one. */
static bool
h_item(const char *p, size_t n, void *arg)
{
	struct dkim_sig	*sig = arg;

	if (!hname_valid(p, n)) {
		sig_error(sig, REASON_TAG_SYNTAX,
		    "h= holds an empty or invalid field name");
		return false;
	}
	if (sig->nh == DKIM_SIG_MAX_H) {
		sig_error(sig, REASON_TAG_SYNTAX,
		    "h= names more than %d fields", DKIM_SIG_MAX_H);
		return false;
	}
	sig->h[sig->nh].name = p;
	sig->h[sig->nh].len = n;
	sig->nh++;
	return true;
}

/* h=: colon-separated names, FWS allowed around each. */
static void
parse_h(struct dkim_sig *sig, const struct tag *t)
{
	if (t->value_len == 0) {
		sig_error(sig, REASON_TAG_SYNTAX, "h= is empty");
		return;
	}
	tag_value_items(t, h_item, sig);
}

static bool
q_method(const char *p, size_t n, void *unused)
{
	(void)unused;
	return (n == 7 && strncasecmp(p, "dns/txt", 7) == 0) ||
	    (n == 3 && strncasecmp(p, "dns", 3) == 0);
}

static bool
list_any(const char *s, bool (*match)(const char *, size_t, void *))
{
	const char	*p = s, *q;

	for (;;) {
		q = strchr(p, ':');
		if (match(p, q ? (size_t)(q - p) : strlen(p), NULL))
			return true;
		if (q == NULL)
			return false;
		p = q + 1;
	}
}

/* i= must be in d= or a subdomain of it (section 3.5, i= tag). */
static void
check_identity(struct dkim_sig *sig)
{
	const char	*at, *dom;
	size_t		 dl, il;

	if ((at = strrchr(sig->i, '@')) == NULL) {
		sig_error(sig, REASON_TAG_SYNTAX, "i= has no '@'");
		return;
	}
	dom = at + 1;
	il = strlen(dom);
	dl = strlen(sig->d);
	if (il == dl && strcasecmp(dom, sig->d) == 0)
		return;
	if (il > dl && dom[il - dl - 1] == '.' &&
	    strcasecmp(dom + il - dl, sig->d) == 0)
		return;
	sig_error(sig, REASON_IDENTITY_MISMATCH,
	    "i= domain %s is not d=%s or a subdomain of it", dom, sig->d);
}

static bool
dup_tag(struct dkim_sig *sig, const char *name, char **out, bool nofws)
{
	const struct tag *t = tag_list_get(&sig->tags, name);

	if (t == NULL)
		return true;
	*out = nofws ? tag_strdup_nofws(t) : tag_value_dup(t);
	return *out != NULL;
}

static void
parse_b(struct dkim_sig *sig, const struct tag *t, size_t value_base)
{
	sig->b_value_off = value_base + t->raw_value_off;
	sig->b_value_end = value_base + t->raw_value_end;
	if (t->value_len == 0)
		sig_error(sig, REASON_TAG_SYNTAX, "b= is empty");
	else if (!b64_decode(&sig->b, t->value, t->value_len))
		sig_error(sig, REASON_TAG_SYNTAX, "b= is not valid base64");
}

static void
parse_bh(struct dkim_sig *sig, const struct tag *t)
{
	size_t	 want = sig->hash == DKIM_HASH_SHA1 ? 20 : 32;

	if (t->value_len == 0)
		sig_error(sig, REASON_TAG_SYNTAX, "bh= is empty");
	else if (!b64_decode(&sig->bh, t->value, t->value_len))
		sig_error(sig, REASON_TAG_SYNTAX, "bh= is not valid base64");
	else if (sig->alg != DKIM_ALG_UNKNOWN && sig->bh.len != want)
		sig_error(sig, REASON_TAG_SYNTAX,
		    "bh= holds %zu bytes, %s needs %zu", sig->bh.len,
		    dkim_alg_name(sig->alg), want);
}

static void
parse_numbers(struct dkim_sig *sig)
{
	const struct tag *t;

	if ((t = tag_list_get(&sig->tags, "l")) != NULL) {
		if (!parse_uint(t, 76, &sig->l))
			sig_error(sig, REASON_TAG_SYNTAX,
			    "l= is not a decimal length");
		else
			sig->has_l = true;
	}
	if ((t = tag_list_get(&sig->tags, "t")) != NULL) {
		if (!parse_uint(t, 12, &sig->t))
			sig_error(sig, REASON_TAG_SYNTAX,
			    "t= is not a decimal timestamp");
		else
			sig->has_t = true;
	}
	if ((t = tag_list_get(&sig->tags, "x")) != NULL) {
		if (!parse_uint(t, 12, &sig->x))
			sig_error(sig, REASON_TAG_SYNTAX,
			    "x= is not a decimal timestamp");
		else
			sig->has_x = true;
	}
	/* section 3.5: "x= MUST be greater than t=" */
	if (sig->has_t && sig->has_x && sig->x <= sig->t)
		sig_error(sig, REASON_TAG_SYNTAX,
		    "x= (%llu) is not later than t= (%llu)",
		    (unsigned long long)sig->x, (unsigned long long)sig->t);
}

static bool
copy_tags(struct dkim_sig *sig)
{
	/* section 3.5: no FWS inside these values, only around q= colons */
	return dup_tag(sig, "v", &sig->v, false) &&
	    dup_tag(sig, "a", &sig->a, false) &&
	    dup_tag(sig, "c", &sig->c, false) &&
	    dup_tag(sig, "d", &sig->d, false) &&
	    dup_tag(sig, "s", &sig->s, false) &&
	    dup_tag(sig, "q", &sig->q, true) &&
	    dup_tag(sig, "z", &sig->z, false);
}

static void
check_required(struct dkim_sig *sig)
{
	static const char *const req[] = { "a", "b", "bh", "d", "h", "s" };
	size_t	 i;

	if (sig->v == NULL)
		sig_error(sig, REASON_VERSION, "v= is missing");
	else if (strcmp(sig->v, "1") != 0)
		sig_error(sig, REASON_VERSION, "v=%s is not 1", sig->v);
	for (i = 0; i < sizeof(req) / sizeof(req[0]); i++)
		if (tag_list_get(&sig->tags, req[i]) == NULL)
			sig_error(sig, REASON_TAG_MISSING, "%s= is missing",
			    req[i]);
}

static void
parse_tags(struct dkim_sig *sig, size_t value_base)
{
	const struct tag *t;
	bool		 ok;

	if (!copy_tags(sig)) {
		sig_error(sig, REASON_INTERNAL, "out of memory");
		return;
	}
	check_required(sig);
	if (sig->a != NULL)
		parse_alg(sig);
	if (sig->c != NULL)
		parse_canon(sig);
	if (sig->q != NULL && !list_any(sig->q, q_method))
		sig_error(sig, REASON_QUERY_METHOD,
		    "q=%s names no supported method (dns/txt)", sig->q);
	if (sig->d != NULL && !valid_domain(sig->d, true))
		sig_error(sig, REASON_TAG_SYNTAX, "d= is not a domain name");
	if (sig->s != NULL && !valid_domain(sig->s, true))
		sig_error(sig, REASON_TAG_SYNTAX, "s= is not a valid selector");
	if ((t = tag_list_get(&sig->tags, "h")) != NULL)
		parse_h(sig, t);
	if ((t = tag_list_get(&sig->tags, "b")) != NULL)
		parse_b(sig, t, value_base);
	if ((t = tag_list_get(&sig->tags, "bh")) != NULL)
		parse_bh(sig, t);
	parse_numbers(sig);
	if ((t = tag_list_get(&sig->tags, "i")) != NULL) {
		sig->i = qp_decode(t, &ok);
		if (sig->i == NULL)
			sig_error(sig, REASON_INTERNAL, "out of memory");
		else if (!ok)
			sig_error(sig, REASON_TAG_SYNTAX,
			    "i= has a bad quoted-printable escape");
		else if (sig->d != NULL)
			check_identity(sig);
	}
	if (sig->nh > 0 && dkim_sig_signs(sig, "from") == 0)
		sig_error(sig, REASON_FROM_NOT_SIGNED,
		    "h= does not include From");
	if (sig->alg == DKIM_ALG_RSA_SHA1)
		sig_error(sig, REASON_ALGORITHM_FORBIDDEN,
		    "rsa-sha1 must not be accepted (RFC 8301)");
}

void
dkim_sig_parse(struct dkim_sig *sig, const struct message *m,
    size_t field_index)
{
	const struct header_field *f = &m->fields[field_index];
	enum tag_status	 ts;
	size_t		 off;

	memset(sig, 0, sizeof(*sig));
	sig->field_index = field_index;
	sig->field = f;
	ts = tag_list_parse(&sig->tags, f->value, f->value_len, &off);
	if (ts != TAG_OK) {
		sig_error(sig, REASON_TAG_SYNTAX, "%s at offset %zu of the "
		    "field value", tag_status_str(ts), off);
		return;
	}
	sig->tags_ok = true;
	parse_tags(sig, (size_t)(f->value - f->raw));
}

void
dkim_sig_free(struct dkim_sig *sig)
{
	free(sig->v);
	free(sig->a);
	free(sig->c);
	free(sig->d);
	free(sig->s);
	free(sig->i);
	free(sig->q);
	free(sig->z);
	buf_free(&sig->b);
	buf_free(&sig->bh);
	buf_free(&sig->err_detail);
	memset(sig, 0, sizeof(*sig));
}

enum dkim_reason
dkim_sig_check_time(const struct dkim_sig *sig, int64_t now, int64_t skew,
    struct buf *why)
{
	if (sig->has_x && (uint64_t)now > sig->x) {
		buf_printf(why, "signature expired: x=%llu is %lld s before "
		    "the verification time", (unsigned long long)sig->x,
		    (long long)((uint64_t)now - sig->x));
		return REASON_EXPIRED;
	}
	if (sig->has_t && now >= 0 && sig->t > (uint64_t)now + (uint64_t)skew) {
		buf_printf(why, "t=%llu is %llu s after the verification time",
		    (unsigned long long)sig->t,
		    (unsigned long long)(sig->t - (uint64_t)now));
		return REASON_FUTURE_TIMESTAMP;
	}
	return REASON_OK;
}

size_t
dkim_sig_signs(const struct dkim_sig *sig, const char *name)
{
	size_t	 i, n = 0, nl = strlen(name);

	for (i = 0; i < sig->nh; i++)
		if (sig->h[i].len == nl &&
		    strncasecmp(sig->h[i].name, name, nl) == 0)
			n++;
	return n;
}

bool
dkim_field_without_z(const char *raw, size_t len, struct buf *out)
{
	const char	*colon = memchr(raw, ':', len), *v;
	struct tag_list	 tl;
	const struct tag *z;
	size_t		 vlen, off, from, to;

	if (colon == NULL)
		goto whole;
	v = colon + 1;
	vlen = len - (size_t)(v - raw);
	if (tag_list_parse(&tl, v, vlen, &off) != TAG_OK ||
	    (z = tag_list_get(&tl, "z")) == NULL)
		goto whole;
	/* from the tag's name through its ';', or from the ';' before it */
	from = (size_t)(z->name - raw);
	to = (size_t)(v - raw) + z->raw_value_end;
	if (to < len && raw[to] == ';') {
		to++;
		/* and the folding white space before the name */
		while (from > (size_t)(v - raw) && raw[from - 1] != '\0' &&
		    strchr(" \t\r\n",
		    raw[from - 1]) != NULL)
			from--;
	}
	else {
		while (from > (size_t)(v - raw) && raw[from - 1] != ';')
			from--;
		if (from > (size_t)(v - raw))
			from--;		/* the ';' before the last tag */
	}
	buf_append(out, raw, from);
	buf_append(out, raw + to, len - to);
	return buf_ok(out);
whole:
	buf_append(out, raw, len);
	return buf_ok(out);
}
