/* SPDX-License-Identifier: ISC */
/*
 * arf_source_ip: the sending IP of a complaint whose report gives no
 * Source-IP, taken from the places its provider documents, and marked as
 * derived (arf.h source_ip_derived, docs/arf.md):
 *
 * - "subject": Microsoft JMRP names it in the Subject, "complaint about
 *   message from IP" (a masked address such as 192.0.2.xxx is none);
 * - "received": the Received field the reporting provider's own edge
 *   added to the original, the one nearest the sender in the topmost run
 *   of fields whose "by" host belongs to the reporter (a known name of
 *   fbl/feedback/reporter.c): the provider's internal hops stand above it,
 *   the sender's own below.  The address is the one the receiver wrote in
 *   the "from" clause, never the HELO name the sender chose.
 */
#include <arpa/inet.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>

#include "fbl/feedback/arf_local.h"
#include "fbl/feedback/reporter.h"

#define RCVD_MAX_FIELDS	64	/* Received fields looked at */
#define RCVD_MAX_VALUE	2048	/* bytes of one unfolded value looked at */
#define RCVD_MAX_WORD	256

/*
 * word[0..n) as an address (without [], "IPv6:", a ":port" after "]")
 * into out; out is left alone when it is none.
 */
static bool
ip_word(const char *w, size_t n, char *out, size_t outlen)
{
	unsigned char	 a[16];
	char		 t[RCVD_MAX_WORD];
	const char	*rb;

	if (n > 0 && w[0] == '[') {
		if ((rb = memchr(w, ']', n)) == NULL)
			return false;
		n = (size_t)(rb - w) - 1;
		w++;
	}
	if (n > 5 && strncasecmp(w, "IPv6:", 5) == 0) {
		w += 5;
		n -= 5;
	}
	if (n == 0 || n >= outlen || n >= sizeof(t))
		return false;
	memcpy(t, w, n);
	t[n] = '\0';
	if (inet_pton(AF_INET, t, a) != 1 && inet_pton(AF_INET6, t, a) != 1)
		return false;
	memcpy(out, t, n + 1);
	return true;
}

enum rcvd_state { R_START, R_FROM, R_BY, R_DONE };

struct rcvd {
	char	 ip[RCVD_MAX_WORD];	/* "" when none */
	char	 by[RCVD_MAX_WORD];	/* "" when none */
};

/* One word of a Received value at depth (inside parentheses or not). */
static enum rcvd_state
rcvd_word(struct rcvd *rv, enum rcvd_state st, const char *w, size_t n,
    int depth, bool *helo)
{
	if (depth == 0 && n == 4 && strncasecmp(w, "from", 4) == 0 &&
	    st == R_START) {
		*helo = true;
		return R_FROM;
	}
	if (depth == 0 && n == 2 && strncasecmp(w, "by", 2) == 0 &&
	    st != R_BY)
		return R_BY;
	if (st == R_BY && depth == 0) {
		if (n < sizeof(rv->by)) {
			memcpy(rv->by, w, n);
			rv->by[n] = '\0';
		}
		return R_DONE;
	}
	if (st == R_FROM && depth == 0 && *helo) {
		*helo = false;
		return st;
	}
	if (st == R_FROM && rv->ip[0] == '\0')
		(void)ip_word(w, n, rv->ip, sizeof(rv->ip));
	return st;
}

/* The "from" address and the "by" host of an unfolded Received value. */
static void
rcvd_parse(const char *v, size_t len, struct rcvd *rv)
{
	enum rcvd_state	 st = R_START;
	size_t		 i = 0, w;
	int		 depth = 0;
	bool		 helo = false;

	rv->ip[0] = rv->by[0] = '\0';
	while (i < len && st != R_DONE) {
		if (v[i] == '(' || v[i] == ')') {
			depth += v[i] == '(' ? 1 : (depth > 0 ? -1 : 0);
			i++;
			continue;
		}
		if (v[i] == ';' && depth == 0)
			break;		/* the date follows */
		if (isspace((unsigned char)v[i]) || v[i] == ';') {
			i++;
			continue;
		}
		for (w = i; i < len && !isspace((unsigned char)v[i]) &&
		    v[i] != '(' && v[i] != ')' && v[i] != ';'; i++)
			;
		st = rcvd_word(rv, st, v + w, i - w, depth, &helo);
	}
}

/* The header block of the original, or false when there is none. */
static bool
original_header(struct ctx *c, const char **p, size_t *n)
{
	const struct arf_report *r = c->r;
	size_t		 boff;

	if (r->original_form == ARF_ORIG_INLINE) {
		*p = c->hdr;
		*n = c->hdr_len;
		return true;
	}
	if (r->original == NULL)
		return false;
	*p = r->original;
	(void)mime_split_header(r->original, r->original_len, n, &boff);
	return true;
}

static bool
reporters_host(const char *reporter, const char *host)
{
	const char	*name = reporter_for_domain(host);

	return host[0] != '\0' && name != NULL && strcmp(name, reporter) == 0;
}

/* The provider edge's "from" address into ip[RCVD_MAX_WORD], or false. */
static bool
from_received(struct ctx *c, char *ip)
{
	struct mime_hdr_iter it;
	struct mime_field f;
	struct rcvd	 rv;
	struct buf	 b = BUF_INIT;
	const char	*p;
	size_t		 n, seen = 0;
	bool		 in_run = false;

	if (!original_header(c, &p, &n))
		return false;
	ip[0] = '\0';
	mime_hdr_init(&it, p, n);
	while (mime_hdr_next(&it, &f) && seen < RCVD_MAX_FIELDS) {
		if (!mime_field_is(&f, "Received"))
			continue;
		seen++;
		buf_reset(&b);
		mime_unfold(&b, f.value, f.value_len > RCVD_MAX_VALUE ?
		    RCVD_MAX_VALUE : f.value_len);
		if (!buf_ok(&b)) {
			c->oom = true;
			break;
		}
		rcvd_parse(b.data != NULL ? b.data : "", b.len, &rv);
		if (!reporters_host(c->r->reporter, rv.by)) {
			if (in_run)
				break;
			continue;
		}
		in_run = true;
		memcpy(ip, rv.ip, sizeof(rv.ip));
	}
	buf_free(&b);
	return ip[0] != '\0';
}

/* JMRP's Subject: "complaint about message from IP". */
static bool
from_subject(const char *subject, char *ip)
{
	static const char mark[] = "complaint about message from";
	const char	*s;
	size_t		 n;

	if (subject == NULL)
		return false;
	for (s = subject; *s != '\0'; s++)
		if (strncasecmp(s, mark, sizeof(mark) - 1) == 0)
			break;
	if (*s == '\0')
		return false;
	for (s += sizeof(mark) - 1; isspace((unsigned char)*s); s++)
		;
	for (n = 0; s[n] != '\0' && !isspace((unsigned char)s[n]); n++)
		;
	return ip_word(s, n, ip, RCVD_MAX_WORD);
}

/* A complaint without Source-IP: derive it where its reporter says. */
void
derive_source_ip(struct ctx *c, const char *subject)
{
	struct arf_report *r = c->r;
	char		 ip[RCVD_MAX_WORD];
	const char	*how;

	if (!r->complaint || r->source_ip != NULL || r->reporter == NULL)
		return;
	if (strcmp(r->reporter, "microsoft") == 0 &&
	    from_subject(subject, ip))
		how = "subject";
	else if (from_received(c, ip))
		how = "received";
	else
		return;
	r->source_ip = keep_str(c, ip);
	r->source_ip_derived = keep_str(c, how);
}
