/*
 * keyaudit: the checks of `fblscope keys audit`; see keyaudit.h and
 * docs/keys.md.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "fbl/classify.h"
#include "fbl/keys/keyaudit.h"
#include "fbl/keys/keyarchive.h"
#include "fbl/keys/keyimport.h"
#include "base/hex.h"
#include "verifier/key_record.h"

#define MAX_TXT		16	/* TXT records read at one name */
#define MAX_NSSET	32	/* NS records read in a delegation */
#define FP_SHOWN	4	/* fingerprint bytes in details */

static const char *const check_names[CHK_COUNT] = {
	"delegation", "lame", "serial", "record", "consistency", "key",
	"cname", "private", "current", "grace", "signing",
};

static const char *const month_abbr[12] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec",
};

enum srv_state {
	SRV_PRESENT,
	SRV_NXDOMAIN,
	SRV_NODATA,
	SRV_REFUSED,		/* REFUSED, NOTAUTH: not its zone */
	SRV_SERVFAIL,
	SRV_TIMEOUT,
	SRV_NOADDR,
	SRV_MALFORMED,
};

/* What one configured server said about one key name. */
struct srv_answer {
	enum srv_state	 state;
	char		*txt;		/* the TXT records joined, sorted, "\n" */
	char		*record;	/* the one judged: first that parses */
	char		*detail;
};

/* One selector asked of every configured server. */
struct probe {
	char		*selector;
	int		 mindex;	/* year * 12 + month - 1, or -1 */
	char		*keyname;	/* asked of the ESP's servers */
	char		*cname;		/* public CNAME at the customer */
	bool		 cname_asked;	/* the public view was asked */
	bool		 cname_resolves;
	bool		 published;
	const char	*record;	/* first server's record, or NULL */
	struct srv_answer srv[KEYAUDIT_MAX_NS];
};

struct audit {
	const struct audit_opts	*o;
	struct audit_domain	*d;
	const char		*espid;
	char			*zone;		/* Z, or the ESP's zone cut */
	char			**ns;		/* configured servers */
	size_t			 nns;
	struct probe		*p;
	size_t			 np;
	bool			 heard;		/* a configured server answered */
	int			 today;		/* month index of the date */
	int64_t			 day;		/* days since 1970 */
	bool			 oom;
};

const char *
audit_status_name(enum audit_status s)
{
	switch (s) {
	case AUDIT_OK:
		return "OK";
	case AUDIT_WARN:
		return "WARN";
	case AUDIT_TEMP:
		return "TEMP";
	case AUDIT_FAIL:
		return "FAIL";
	}
	return "?";
}

const char *
audit_check_name(enum audit_check c)
{
	return c < CHK_COUNT ? check_names[c] : "?";
}

const char *
audit_mode_name(enum audit_mode m)
{
	switch (m) {
	case MODE_NONE:
		return "none";
	case MODE_DELEGATED:
		return "delegated";
	case MODE_CNAME:
		return "cname";
	case MODE_ESP:
		return "esp";
	}
	return "?";
}

void
keyaudit_selector(struct buf *b, const char *esp_id, int year, int month)
{
	buf_reset(b);
	buf_printf(b, "%s%04d.%s", month_abbr[(month - 1) % 12], year, esp_id);
}

/* ---- rows --------------------------------------------------------------- */

static char *
xstrdup(struct audit *a, const char *s)
{
	char	*c;

	if (s == NULL)
		return NULL;
	if ((c = strdup(s)) == NULL)
		a->oom = true;
	return c;
}

static void
row_add(struct audit *a, enum audit_check c, const char *subject,
    const char *server, enum audit_status st, const char *reason,
    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

static void
row_add(struct audit *a, enum audit_check c, const char *subject,
    const char *server, enum audit_status st, const char *reason,
    const char *fmt, ...)
{
	struct audit_domain	*d = a->d;
	struct audit_row	*r, *nv;
	struct buf		 b = BUF_INIT;
	va_list			 ap;
	size_t			 cap;

	if (d->nrows == d->caprows) {
		cap = d->caprows == 0 ? 32 : d->caprows * 2;
		if ((nv = realloc(d->rows, cap * sizeof(*nv))) == NULL) {
			a->oom = true;
			return;
		}
		d->rows = nv;
		d->caprows = cap;
	}
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r = &d->rows[d->nrows];
	memset(r, 0, sizeof(*r));
	r->check = c;
	r->status = st;
	r->reason = reason;
	r->subject = xstrdup(a, subject);
	r->server = xstrdup(a, server);
	if (!buf_ok(&b) || (r->detail = buf_steal(&b)) == NULL) {
		r->detail = xstrdup(a, "");
		a->oom = true;
	}
	buf_free(&b);
	d->nrows++;
	if (st > d->status)
		d->status = st;
}

static int
strcmp_null(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
}

static int
row_cmp(const void *pa, const void *pb)
{
	const struct audit_row	*x = pa, *y = pb;
	int			 c;

	if (x->check != y->check)
		return x->check < y->check ? -1 : 1;
	if ((c = strcmp_null(x->subject, y->subject)) != 0)
		return c;
	return strcmp_null(x->server, y->server);
}

void
keyaudit_domain_free(struct audit_domain *d)
{
	size_t	 i;

	for (i = 0; i < d->nrows; i++) {
		free(d->rows[i].subject);
		free(d->rows[i].server);
		free(d->rows[i].detail);
	}
	for (i = 0; i < d->nselectors; i++)
		free(d->selectors[i]);
	free(d->selectors);
	free(d->rows);
	free(d->domain);
	memset(d, 0, sizeof(*d));
}

/* ---- names and zones ---------------------------------------------------- */

static char *
join3(struct audit *a, const char *x, const char *y, const char *z)
{
	struct buf	 b = BUF_INIT;
	char		*s;

	buf_printf(&b, "%s%s%s", x, y, z);
	if (!buf_ok(&b) || (s = buf_steal(&b)) == NULL) {
		buf_free(&b);
		a->oom = true;
		return NULL;
	}
	return s;
}

/* The name one label up, or NULL at a top-level label. */
static const char *
parent_name(const char *name)
{
	const char	*dot = strchr(name, '.');

	return dot != NULL && dot[1] != '\0' ? dot + 1 : NULL;
}

static ldns_pkt_rcode
rcode(const struct dv_reply *r)
{
	return ldns_pkt_get_rcode(r->pkt);
}

static bool
answered(const struct dv_reply *r)
{
	return r->status == DV_ANSWER && (rcode(r) == LDNS_RCODE_NOERROR ||
	    rcode(r) == LDNS_RCODE_NXDOMAIN);
}

/*
 * The zone holding name, in the public view: the owner of the SOA that an
 * SOA question for name brings.  NULL with why on failure.
 */
static char *
zone_of(struct audit *a, const char *name, struct dv_reply *r, bool *temp)
{
	const ldns_rr	*soa;
	char		*z;

	*temp = false;
	dnsview_public(a->o->view, name, LDNS_RR_TYPE_SOA, r);
	if (!answered(r)) {
		*temp = r->status == DV_TIMEOUT || r->status == DV_ANSWER;
		if (r->status == DV_ANSWER)
			buf_printf(&r->detail, "%s from the resolver for %s SOA",
			    dns_rcode_name(rcode(r)), name);
		return NULL;
	}
	if ((soa = dv_soa(r->pkt)) == NULL || (z = dv_owner(soa)) == NULL) {
		buf_printf(&r->detail, "no SOA in the answer for %s", name);
		return NULL;
	}
	return z;
}

struct nsset {
	char	*v[MAX_NSSET];
	size_t	 n;
};

static void
nsset_free(struct nsset *s)
{
	while (s->n > 0)
		free(s->v[--s->n]);
}

static bool
nsset_has(const struct nsset *s, const char *name)
{
	size_t	 i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->v[i], name) == 0)
			return true;
	return false;
}

/* NS records of owner in a section, into s (names, no duplicates). */
static void
nsset_take(struct nsset *s, const ldns_pkt *p, ldns_pkt_section sec,
    const char *owner)
{
	const ldns_rr	*rrs[MAX_NSSET];
	size_t		 i, n;
	char		*t;

	n = dv_rrs(p, sec, LDNS_RR_TYPE_NS, owner, rrs, MAX_NSSET);
	for (i = 0; i < n && s->n < MAX_NSSET; i++) {
		/* not a name (a hostile answer): skipped */
		if ((t = dv_rdata_name(rrs[i], 0)) == NULL)
			continue;
		if (nsset_has(s, t))
			free(t);
		else
			s->v[s->n++] = t;
	}
}

enum deleg {
	DELEG_FOUND,		/* s holds the NS set */
	DELEG_NONE,		/* the parent has none */
	DELEG_TEMP,		/* nobody answered */
	DELEG_ERROR,		/* the parent zone could not be found */
};

/*
 * The NS set of child as its parent zone's own servers serve it (asked
 * directly: a resolver would answer with the child's apex set, or from its
 * cache).  why says what went wrong.
 */
static enum deleg
parent_nsset(struct audit *a, const char *child, struct nsset *s,
    struct buf *why)
{
	struct dv_reply	 r;
	struct nsset	 pns = { .n = 0 };
	const char	*up;
	char		*pzone;
	enum deleg	 res = DELEG_TEMP;
	bool		 temp = false;
	size_t		 i;

	dv_reply_init(&r);
	if ((up = parent_name(child)) == NULL ||
	    (pzone = zone_of(a, up, &r, &temp)) == NULL) {
		buf_printf(why, "the zone above %s: %s", child,
		    buf_cstr(&r.detail));
		dv_reply_free(&r);
		return temp ? DELEG_TEMP : DELEG_ERROR;
	}
	dnsview_public(a->o->view, pzone, LDNS_RR_TYPE_NS, &r);
	if (answered(&r))
		nsset_take(&pns, r.pkt, LDNS_SECTION_ANSWER, pzone);
	if (pns.n == 0) {
		buf_printf(why, "no NS for the parent zone %s in the public "
		    "DNS", pzone);
		res = r.status == DV_TIMEOUT ? DELEG_TEMP : DELEG_ERROR;
	}
	for (i = 0; i < pns.n; i++) {
		dnsview_direct(a->o->view, pns.v[i], child, LDNS_RR_TYPE_NS,
		    &r);
		if (!answered(&r)) {
			buf_reset(why);
			buf_printf(why, "parent %s: %s", pns.v[i],
			    r.status == DV_ANSWER ? dns_rcode_name(rcode(&r)) :
			    buf_cstr(&r.detail));
			continue;
		}
		nsset_take(s, r.pkt, LDNS_SECTION_ANSWER, child);
		nsset_take(s, r.pkt, LDNS_SECTION_AUTHORITY, child);
		buf_reset(why);
		buf_printf(why, "%s (zone %s) at %s", pns.v[i], pzone,
		    r.server);
		res = s->n > 0 ? DELEG_FOUND : DELEG_NONE;
		break;
	}
	nsset_free(&pns);
	free(pzone);
	dv_reply_free(&r);
	return res;
}

/* ---- delegation and lame servers ----------------------------------------- */

static void
list_names(struct buf *b, char *const *v, size_t n, const struct nsset *not)
{
	size_t	 i;
	bool	 first = true;

	for (i = 0; i < n; i++) {
		if (not != NULL && nsset_has(not, v[i]))
			continue;
		buf_printf(b, "%s%s", first ? "" : " ", v[i]);
		first = false;
	}
}

static void
judge_nsset(struct audit *a, const struct nsset *s, const char *where)
{
	struct nsset	 cfg = { .n = 0 };
	struct buf	 miss = BUF_INIT, extra = BUF_INIT, all = BUF_INIT;
	size_t		 i, nmiss = 0, nextra = 0;

	for (i = 0; i < a->nns && i < MAX_NSSET; i++)
		cfg.v[cfg.n++] = a->ns[i];
	for (i = 0; i < a->nns; i++)
		nmiss += !nsset_has(s, a->ns[i]);
	for (i = 0; i < s->n; i++)
		nextra += !nsset_has(&cfg, s->v[i]);
	list_names(&miss, a->ns, a->nns, s);
	list_names(&extra, s->v, s->n, &cfg);
	list_names(&all, s->v, s->n, NULL);
	if (nmiss == a->nns)
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_FAIL,
		    "foreign", "NS %s: none of the ESP's servers (%s)",
		    buf_cstr(&all), where);
	else if (nmiss > 0)
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_WARN,
		    "partial", "NS %s: %s not listed%s%s (%s)",
		    buf_cstr(&all), buf_cstr(&miss),
		    nextra > 0 ? "; not ours: " : "", buf_cstr(&extra), where);
	else if (nextra > 0)
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_WARN,
		    "extra", "NS %s: not ours: %s (%s)", buf_cstr(&all),
		    buf_cstr(&extra), where);
	else
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_OK, "ok",
		    "NS %s (%s)", buf_cstr(&all), where);
	buf_free(&miss);
	buf_free(&extra);
	buf_free(&all);
}

/* Does host serve zone with authority? */
static void
check_lame(struct audit *a, const char *host)
{
	struct dv_reply	 r;
	const ldns_rr	*soa[1];

	dv_reply_init(&r);
	dnsview_direct(a->o->view, host, a->zone, LDNS_RR_TYPE_SOA, &r);
	if (r.status == DV_TIMEOUT)
		row_add(a, CHK_LAME, a->zone, host, AUDIT_TEMP, "timeout",
		    "%s", buf_cstr(&r.detail));
	else if (r.status == DV_NOADDR)
		row_add(a, CHK_LAME, a->zone, host, AUDIT_FAIL, "no-address",
		    "%s", buf_cstr(&r.detail));
	else if (r.status != DV_ANSWER)
		row_add(a, CHK_LAME, a->zone, host, AUDIT_FAIL, "lame", "%s",
		    buf_cstr(&r.detail));
	else if (rcode(&r) == LDNS_RCODE_NOERROR && ldns_pkt_aa(r.pkt) &&
	    dv_rrs(r.pkt, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_SOA, a->zone, soa,
	    1) == 1)
		row_add(a, CHK_LAME, a->zone, host, AUDIT_OK, "authoritative",
		    "SOA serial %u from %s", dv_soa_serial(soa[0]), r.server);
	else
		row_add(a, CHK_LAME, a->zone, host, AUDIT_FAIL, "lame",
		    "%s answers %s %s for %s SOA", r.server,
		    dns_rcode_name(rcode(&r)), ldns_pkt_aa(r.pkt) ?
		    "with authority but no SOA of that zone" :
		    "without authority", a->zone);
	dv_reply_free(&r);
}

/* The delegation check: what the parent zone's servers said. */
static enum deleg
audit_delegation(struct audit *a)
{
	struct nsset	 s = { .n = 0 };
	struct buf	 why = BUF_INIT;
	struct dv_reply	 r;
	enum deleg	 res;
	bool		 temp;
	size_t		 i;
	char		*cut;

	if (a->d->esp) {
		/* the ESP's own zone: wherever the cut above Z is */
		dv_reply_init(&r);
		cut = zone_of(a, a->zone, &r, &temp);
		if (cut == NULL) {
			row_add(a, CHK_DELEGATION, a->zone, NULL, temp ?
			    AUDIT_TEMP : AUDIT_FAIL, temp ? "timeout" :
			    "missing", "%s", buf_cstr(&r.detail));
			dv_reply_free(&r);
			return DELEG_ERROR;
		}
		dv_reply_free(&r);
		free(a->zone);
		a->zone = cut;
	}
	res = parent_nsset(a, a->zone, &s, &why);
	switch (res) {
	case DELEG_FOUND:
		judge_nsset(a, &s, buf_cstr(&why));
		for (i = 0; i < s.n; i++)
			check_lame(a, s.v[i]);
		break;
	case DELEG_NONE:
		/* a customer may publish CNAMEs instead: judged later */
		if (a->d->esp)
			row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_FAIL,
			    "missing", "no NS for %s at %s", a->zone,
			    buf_cstr(&why));
		break;
	case DELEG_TEMP:
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_TEMP,
		    "timeout", "%s", buf_cstr(&why));
		break;
	case DELEG_ERROR:
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_FAIL,
		    "missing", "%s", buf_cstr(&why));
		break;
	}
	nsset_free(&s);
	buf_free(&why);
	return res;
}

/* ---- probes ------------------------------------------------------------- */

static struct probe *
probe_add(struct audit *a, const char *selector)
{
	struct probe	*p, *nv;
	size_t		 i;
	int		 y, m;

	for (i = 0; i < a->np; i++)
		if (strcmp(a->p[i].selector, selector) == 0)
			return &a->p[i];
	if ((nv = realloc(a->p, (a->np + 1) * sizeof(*nv))) == NULL) {
		a->oom = true;
		return NULL;
	}
	a->p = nv;
	p = &a->p[a->np];
	memset(p, 0, sizeof(*p));
	if ((p->selector = xstrdup(a, selector)) == NULL)
		return NULL;
	a->np++;
	p->mindex = -1;
	if (classify_selector(a->o->cfg, selector, &y, &m))
		p->mindex = y * 12 + m - 1;
	return p;
}

static void
probe_free(struct probe *p, size_t nns)
{
	size_t	 i;

	for (i = 0; i < nns; i++) {
		free(p->srv[i].txt);
		free(p->srv[i].record);
		free(p->srv[i].detail);
	}
	free(p->selector);
	free(p->keyname);
	free(p->cname);
}

/* The domain part of a key name "sel._domainkey.domain", or NULL. */
static const char *
keyname_domain(const char *name, size_t *sellen)
{
	const char	*k = strstr(name, "._domainkey.");

	if (k == NULL)
		return NULL;
	*sellen = (size_t)(k - name);
	return k + strlen("._domainkey.");
}

/* The selectors to ask about: the convention's months, keys, signing. */
static void
probes_collect(struct audit *a)
{
	const struct key_import	*ki = a->o->private_keys;
	struct buf		 b = BUF_INIT;
	const char		*dom;
	size_t			 i, sl;
	int			 m;

	for (m = a->today + KEYAUDIT_MONTHS_AHEAD;
	    m >= a->today - KEYAUDIT_MONTHS_BACK; m--) {
		keyaudit_selector(&b, a->espid, m / 12, m % 12 + 1);
		if (probe_add(a, buf_cstr(&b)) != NULL)
			a->p[a->np - 1].mindex = m;
	}
	for (i = 0; ki != NULL && i < ki->n; i++) {
		dom = keyname_domain(ki->v[i].name, &sl);
		if (dom == NULL || strcmp(dom, a->d->domain) != 0)
			continue;
		buf_reset(&b);
		buf_append(&b, ki->v[i].name, sl);
		(void)probe_add(a, buf_cstr(&b));
	}
	for (i = 0; i < a->o->nsigning; i++)
		if (strcmp(a->o->signing[i].domain, a->d->domain) == 0)
			(void)probe_add(a, a->o->signing[i].selector);
	buf_free(&b);
}

static int
txt_cmp(const void *x, const void *y)
{
	return strcmp(*(char *const *)x, *(char *const *)y);
}

/* Read the TXT records of an answer into one server's slot. */
static void
srv_take_txt(struct audit *a, struct srv_answer *s, const ldns_pkt *p,
    const char *name)
{
	const ldns_rr		*rrs[MAX_TXT];
	char			*v[MAX_TXT];
	struct key_record	 k;
	struct buf		 b = BUF_INIT, all = BUF_INIT, why = BUF_INIT;
	size_t			 i, n, nv = 0;

	n = dv_rrs(p, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_TXT, name, rrs,
	    MAX_TXT);
	for (i = 0; i < n; i++) {
		if (!dns_txt_join(rrs[i], &b)) {
			a->oom = true;
			continue;
		}
		/* an empty record leaves an empty buffer: no string to steal */
		if ((v[nv] = buf_steal(&b)) == NULL &&
		    (v[nv] = strdup("")) == NULL) {
			a->oom = true;
			continue;
		}
		nv++;
	}
	qsort(v, nv, sizeof(v[0]), txt_cmp);
	for (i = 0; i < nv; i++) {
		buf_printf(&all, "%s%s", i > 0 ? "\n" : "", v[i]);
		buf_reset(&why);
		if (s->record == NULL) {
			if (key_record_parse(&k, v[i], strlen(v[i]), &why) ==
			    REASON_OK) {
				s->record = v[i];
				v[i] = NULL;
			}
			key_record_free(&k);
		}
		free(v[i]);
	}
	s->state = SRV_PRESENT;
	if (!buf_ok(&all) || (s->txt = buf_steal(&all)) == NULL)
		s->txt = xstrdup(a, "");
	if (s->record == NULL)
		s->detail = xstrdup(a, buf_cstr(&why));
	buf_free(&b);
	buf_free(&all);
	buf_free(&why);
}

/* Ask one configured server for one key name. */
static void
probe_server(struct audit *a, struct probe *p, size_t k,
    struct dv_reply *r)
{
	struct srv_answer	*s = &p->srv[k];
	const ldns_rr		*rr;

	dnsview_direct(a->o->view, a->ns[k], p->keyname, LDNS_RR_TYPE_TXT, r);
	switch (r->status) {
	case DV_ANSWER:
		break;
	case DV_TIMEOUT:
		s->state = SRV_TIMEOUT;
		s->detail = xstrdup(a, buf_cstr(&r->detail));
		return;
	case DV_NOADDR:
		s->state = SRV_NOADDR;
		s->detail = xstrdup(a, buf_cstr(&r->detail));
		return;
	default:
		s->state = SRV_MALFORMED;
		s->detail = xstrdup(a, buf_cstr(&r->detail));
		return;
	}
	switch (rcode(r)) {
	case LDNS_RCODE_NOERROR:
		if (dv_rrs(r->pkt, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_TXT,
		    p->keyname, &rr, 1) == 1) {
			srv_take_txt(a, s, r->pkt, p->keyname);
			return;
		}
		s->state = ldns_pkt_aa(r->pkt) ? SRV_NODATA : SRV_REFUSED;
		break;
	case LDNS_RCODE_NXDOMAIN:
		s->state = SRV_NXDOMAIN;
		break;
	case LDNS_RCODE_REFUSED:
	case LDNS_RCODE_NOTAUTH:
		s->state = SRV_REFUSED;
		break;
	default:
		s->state = SRV_SERVFAIL;
		break;
	}
	s->detail = join3(a, dns_rcode_name(rcode(r)), s->state ==
	    SRV_REFUSED && rcode(r) == LDNS_RCODE_NOERROR ?
	    " without authority (a referral: not its zone)" : "", "");
}

/*
 * The customer's CNAME at selector._domainkey.domain in the public view,
 * and whether it leads to a TXT record.
 */
static void
probe_cname(struct audit *a, struct probe *p, const char *pubname,
    struct dv_reply *r)
{
	const ldns_rr	*rr[1];
	size_t		 n;

	p->cname_asked = true;
	dnsview_public(a->o->view, pubname, LDNS_RR_TYPE_TXT, r);
	if (!answered(r))
		return;
	n = dv_rrs(r->pkt, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_CNAME, pubname,
	    rr, 1);
	if (n == 0)
		return;
	if ((p->cname = dv_rdata_name(rr[0], 0)) == NULL)
		return;		/* not a name: no usable CNAME */
	p->cname_resolves = rcode(r) == LDNS_RCODE_NOERROR &&
	    dv_rrs(r->pkt, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_TXT, NULL, rr,
	    1) == 1;
}

/* Ask every configured server about every selector. */
static void
probes_run(struct audit *a)
{
	struct dv_reply	 r;
	struct buf	 b = BUF_INIT;
	struct probe	*p;
	size_t		 i, k;
	char		*pub;

	dv_reply_init(&r);
	for (i = 0; i < a->np && !a->oom; i++) {
		p = &a->p[i];
		pub = join3(a, p->selector, "._domainkey.", a->d->domain);
		if (pub == NULL)
			break;
		if (a->d->mode == MODE_CNAME && !p->cname_asked)
			probe_cname(a, p, pub, &r);
		if (a->d->mode == MODE_CNAME && config_cname_target(a->o->cfg,
		    p->selector, a->d->domain, &b)) {
			p->keyname = xstrdup(a, buf_cstr(&b));
			free(pub);
		} else if (a->d->mode == MODE_CNAME && p->cname != NULL) {
			p->keyname = xstrdup(a, p->cname);
			free(pub);
		} else
			p->keyname = pub;
		if (p->keyname == NULL)
			break;
		for (k = 0; k < a->nns; k++) {
			probe_server(a, p, k, &r);
			if (p->srv[k].state != SRV_TIMEOUT &&
			    p->srv[k].state != SRV_NOADDR)
				a->heard = true;
			if (p->srv[k].state != SRV_PRESENT)
				continue;
			p->published = true;
			if (p->record == NULL)
				p->record = p->srv[k].record;
		}
	}
	dv_reply_free(&r);
	buf_free(&b);
}

/* A customer without delegation: do CNAMEs stand in for it? */
static void
audit_mode(struct audit *a, enum deleg res)
{
	struct dv_reply	 r;
	size_t		 i;
	char		*pub;

	if (a->d->esp) {
		a->d->mode = MODE_ESP;
		return;
	}
	if (res == DELEG_FOUND) {
		a->d->mode = MODE_DELEGATED;
		return;
	}
	dv_reply_init(&r);
	for (i = 0; i < a->np && a->d->mode == MODE_NONE; i++) {
		if ((pub = join3(a, a->p[i].selector, "._domainkey.",
		    a->d->domain)) == NULL)
			break;
		/* kept for the cname check: the probes do not ask again */
		probe_cname(a, &a->p[i], pub, &r);
		if (a->p[i].cname != NULL)
			a->d->mode = MODE_CNAME;
		free(pub);
	}
	dv_reply_free(&r);
	if (a->d->mode == MODE_CNAME)
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_OK, "cname",
		    "not delegated; the selectors are CNAMEs into the ESP's "
		    "zone");
	else if (res == DELEG_NONE)
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_FAIL,
		    "missing", "the parent zone has no NS for %s and no "
		    "selector of the convention is a CNAME", a->zone);
}

/* ---- what the servers serve ---------------------------------------------- */

/* One SOA serial per configured server; name the servers behind. */
static void
audit_serial(struct audit *a)
{
	struct dv_reply	 r;
	const ldns_rr	*soa;
	uint32_t	 serial[KEYAUDIT_MAX_NS], max = 0;
	bool		 have[KEYAUDIT_MAX_NS] = { false };
	struct buf	 behind = BUF_INIT;
	const char	*name;
	char		*zone = NULL;
	size_t		 k, n = 0;

	name = a->d->mode == MODE_CNAME && a->np > 0 ? a->p[0].keyname :
	    a->zone;
	dv_reply_init(&r);
	for (k = 0; k < a->nns; k++) {
		dnsview_direct(a->o->view, a->ns[k], name, LDNS_RR_TYPE_SOA,
		    &r);
		if (!answered(&r) || !ldns_pkt_aa(r.pkt) ||
		    (soa = dv_soa(r.pkt)) == NULL)
			continue;
		if (zone == NULL)
			zone = dv_owner(soa);
		serial[k] = dv_soa_serial(soa);
		have[k] = true;
		if (n++ == 0 || serial[k] > max)
			max = serial[k];
	}
	dv_reply_free(&r);
	if (zone == NULL)	/* the SOA's owner was no name */
		zone = xstrdup(a, a->zone);
	if (n >= 2) {
		for (k = 0; k < a->nns; k++)
			if (have[k] && serial[k] != max)
				buf_printf(&behind, "%s%s has %u", behind.len >
				    0 ? ", " : "", a->ns[k], serial[k]);
		if (behind.len > 0)
			row_add(a, CHK_SERIAL, zone, NULL, AUDIT_WARN,
			    "lagging", "%s, others %u", buf_cstr(&behind),
			    max);
		else
			row_add(a, CHK_SERIAL, zone, NULL, AUDIT_OK, "same",
			    "serial %u on %zu servers", max, n);
	}
	buf_free(&behind);
	free(zone);
}

static void
audit_records(struct audit *a, const struct probe *p)
{
	const struct srv_answer	*s;
	size_t			 k;

	for (k = 0; k < a->nns; k++) {
		s = &p->srv[k];
		switch (s->state) {
		case SRV_PRESENT:
			if (s->record != NULL)
				row_add(a, CHK_RECORD, p->selector, a->ns[k],
				    AUDIT_OK, "present", "%s", p->keyname);
			else
				row_add(a, CHK_RECORD, p->selector, a->ns[k],
				    AUDIT_FAIL, "unparseable", "%s: %s",
				    p->keyname, s->detail != NULL ?
				    s->detail : "");
			break;
		case SRV_NXDOMAIN:
		case SRV_NODATA:
			row_add(a, CHK_RECORD, p->selector, a->ns[k],
			    AUDIT_FAIL, "missing", "%s: %s", p->keyname,
			    s->state == SRV_NXDOMAIN ? "NXDOMAIN" :
			    "no TXT (NODATA)");
			break;
		case SRV_REFUSED:
			row_add(a, CHK_RECORD, p->selector, a->ns[k],
			    AUDIT_FAIL, "refused", "%s: %s (the server does "
			    "not serve this zone)", p->keyname, s->detail);
			break;
		case SRV_SERVFAIL:
		case SRV_MALFORMED:
			row_add(a, CHK_RECORD, p->selector, a->ns[k],
			    AUDIT_TEMP, "servfail", "%s: %s", p->keyname,
			    s->detail);
			break;
		case SRV_TIMEOUT:
			row_add(a, CHK_RECORD, p->selector, a->ns[k],
			    AUDIT_TEMP, "timeout", "%s", s->detail);
			break;
		case SRV_NOADDR:
			row_add(a, CHK_RECORD, p->selector, a->ns[k],
			    AUDIT_FAIL, "no-address", "%s", s->detail);
			break;
		}
	}
}

/* "rsa 2048 3f2a9c01" for a record, or why it has no key. */
static void
describe_key(struct buf *b, const char *record)
{
	struct key_archive_entry e;
	struct buf		 why = BUF_INIT;

	if (record == NULL) {
		buf_puts(b, "no key record");
		return;
	}
	/* the archive's fingerprint, so that keys read alike everywhere;
	   the entry's name is not used here */
	if (!keyarchive_entry_init(&e, "x._domainkey.x", record,
	    strlen(record), &why)) {
		buf_puts(b, buf_cstr(&why));
		buf_free(&why);
		return;
	}
	buf_printf(b, "%s %u ", key_type_name(e.type), e.bits);
	buf_put_hex(b, e.fp, FP_SHOWN);
	keyarchive_entry_free(&e);
	buf_free(&why);
}

static void
audit_consistency(struct audit *a, const struct probe *p)
{
	const char	*first = NULL;
	struct buf	 b = BUF_INIT;
	size_t		 k, n = 0;
	bool		 same = true;

	for (k = 0; k < a->nns; k++) {
		if (p->srv[k].state != SRV_PRESENT)
			continue;
		n++;
		if (first == NULL)
			first = p->srv[k].txt;
		else if (strcmp(first, p->srv[k].txt) != 0)
			same = false;
	}
	if (n < 2)
		return;
	if (same) {
		row_add(a, CHK_CONSISTENCY, p->selector, NULL, AUDIT_OK,
		    "identical", "the same record on %zu servers", n);
		return;
	}
	for (k = 0; k < a->nns; k++) {
		if (p->srv[k].state != SRV_PRESENT)
			continue;
		buf_printf(&b, "%s%s: ", b.len > 0 ? "; " : "", a->ns[k]);
		describe_key(&b, p->srv[k].record);
	}
	row_add(a, CHK_CONSISTENCY, p->selector, NULL, AUDIT_FAIL, "differs",
	    "%s", buf_cstr(&b));
	buf_free(&b);
}

/* The newest published selector of the convention, not after the date. */
static const struct probe *
current_probe(const struct audit *a)
{
	const struct probe	*best = NULL;
	size_t			 i;

	for (i = 0; i < a->np; i++)
		if (a->p[i].published && a->p[i].mindex >= 0 &&
		    a->p[i].mindex <= a->today &&
		    (best == NULL || a->p[i].mindex > best->mindex))
			best = &a->p[i];
	return best;
}

static void
audit_key(struct audit *a, const struct probe *p, bool current)
{
	struct key_record	 k;
	struct buf		 why = BUF_INIT, all = BUF_INIT;
	enum audit_status	 st = AUDIT_OK;
	const char		*reason = "ok";

	if (p->record == NULL)
		return;		/* unparseable: said by the record rows */
	if (key_record_parse(&k, p->record, strlen(p->record), &why) !=
	    REASON_OK) {
		key_record_free(&k);
		buf_free(&why);
		return;
	}
#define PROBLEM(s, r, ...) do {						\
	buf_printf(&all, "%s", all.len > 0 ? ", " : "");		\
	buf_printf(&all, __VA_ARGS__);					\
	if ((s) > st) {							\
		st = (s);						\
		reason = (r);						\
	}								\
} while (0)
	if (k.revoked) {
		if (current)
			PROBLEM(AUDIT_FAIL, "revoked", "revoked (empty p=) "
			    "but the current selector");
		else
			PROBLEM(AUDIT_OK, "revoked", "revoked (empty p=)");
	} else if (k.type == KEY_TYPE_RSA && k.bits < 1024)
		PROBLEM(AUDIT_FAIL, "too-small", "rsa %u: below 1024 bits, "
		    "refused by verifiers (RFC 8301)", k.bits);
	else if (k.type == KEY_TYPE_RSA && k.bits < 2048)
		PROBLEM(AUDIT_WARN, "small", "rsa %u: below 2048 bits",
		    k.bits);
	else
		buf_printf(&all, "%s %u", key_type_name(k.type), k.bits);
	if ((k.hash_mask & KEY_HASH_SHA256) == 0)
		PROBLEM(AUDIT_FAIL, "sha1-only", "h= allows no sha256");
	if (k.testing)
		PROBLEM(AUDIT_WARN, "testing", "t=y (testing mode)");
#undef PROBLEM
	row_add(a, CHK_KEY, p->selector, NULL, st, reason, "%s",
	    buf_cstr(&all));
	key_record_free(&k);
	buf_free(&why);
	buf_free(&all);
}

static void
audit_cname(struct audit *a, const struct probe *p)
{
	struct buf	 want = BUF_INIT;
	bool		 expected;

	if (p->cname == NULL) {
		if (p->published)
			row_add(a, CHK_CNAME, p->selector, NULL, AUDIT_FAIL,
			    "missing", "%s is published, but %s._domainkey.%s "
			    "is no CNAME to it", p->keyname, p->selector,
			    a->d->domain);
		return;
	}
	expected = config_cname_target(a->o->cfg, p->selector, a->d->domain,
	    &want);
	if (!p->cname_resolves)
		row_add(a, CHK_CNAME, p->selector, NULL, AUDIT_FAIL,
		    "dangling", "CNAME %s leads to no TXT record%s%s",
		    p->cname, expected && strcmp(p->cname, buf_cstr(&want)) !=
		    0 ? "; expected " : "", expected && strcmp(p->cname,
		    buf_cstr(&want)) != 0 ? buf_cstr(&want) : "");
	else if (expected && strcmp(p->cname, buf_cstr(&want)) != 0)
		row_add(a, CHK_CNAME, p->selector, NULL, AUDIT_FAIL,
		    "wrong-target", "points at %s, expected %s", p->cname,
		    buf_cstr(&want));
	else
		row_add(a, CHK_CNAME, p->selector, NULL, AUDIT_OK, "ok",
		    "CNAME %s", p->cname);
	buf_free(&want);
}

static void
audit_private(struct audit *a)
{
	const struct key_import	*ki = a->o->private_keys;
	const struct probe	*p;
	struct key_archive_entry e;
	struct buf		 sel = BUF_INIT, why = BUF_INIT, d = BUF_INIT;
	const char		*dom;
	size_t			 i, j, sl;

	for (i = 0; ki != NULL && i < ki->n; i++) {
		dom = keyname_domain(ki->v[i].name, &sl);
		if (dom == NULL || strcmp(dom, a->d->domain) != 0)
			continue;
		buf_reset(&sel);
		buf_append(&sel, ki->v[i].name, sl);
		for (p = NULL, j = 0; j < a->np; j++)
			if (strcmp(a->p[j].selector, buf_cstr(&sel)) == 0)
				p = &a->p[j];
		if (p == NULL || !p->published) {
			row_add(a, CHK_PRIVATE, buf_cstr(&sel), NULL,
			    AUDIT_FAIL, "unpublished", "a private key, but no "
			    "server serves %s", p != NULL ? p->keyname :
			    ki->v[i].name);
			continue;
		}
		buf_reset(&why);
		if (p->record != NULL && keyarchive_entry_init(&e,
		    ki->v[i].name, p->record, strlen(p->record), &why)) {
			if (memcmp(e.fp, ki->v[i].fp, sizeof(e.fp)) == 0) {
				row_add(a, CHK_PRIVATE, buf_cstr(&sel), NULL,
				    AUDIT_OK, "match", "published key = "
				    "private key");
				keyarchive_entry_free(&e);
				continue;
			}
			keyarchive_entry_free(&e);
		}
		buf_reset(&d);
		buf_puts(&d, "published ");
		describe_key(&d, p->record);
		buf_puts(&d, ", private key's public half ");
		buf_put_hex(&d, ki->v[i].fp, FP_SHOWN);
		row_add(a, CHK_PRIVATE, buf_cstr(&sel), NULL, AUDIT_FAIL,
		    "mismatch", "%s", buf_cstr(&d));
	}
	buf_free(&sel);
	buf_free(&why);
	buf_free(&d);
}

/*
 * The published selector of the convention that took over from p: the
 * oldest one newer than p, not after the date.  A key is superseded on the
 * first day of its successor's month.
 */
static const struct probe *
successor(const struct audit *a, const struct probe *p)
{
	const struct probe	*best = NULL;
	size_t			 i;

	for (i = 0; i < a->np; i++)
		if (a->p[i].published && a->p[i].mindex > p->mindex &&
		    a->p[i].mindex <= a->today &&
		    (best == NULL || a->p[i].mindex < best->mindex))
			best = &a->p[i];
	return best;
}

/* Days from the first day of next's month to the date. */
static int64_t
superseded_days(const struct audit *a, const struct probe *next)
{
	return a->day - date_days_from_civil(next->mindex / 12,
	    next->mindex % 12 + 1, 1);
}

/* Is the record a selector serves a revoked key (empty p=)? */
static bool
probe_revoked(const struct probe *p)
{
	struct key_record	 k;
	struct buf		 why = BUF_INIT;
	bool			 revoked = false;

	if (p->record != NULL) {
		if (key_record_parse(&k, p->record, strlen(p->record), &why) ==
		    REASON_OK)
			revoked = k.revoked;
		key_record_free(&k);
	}
	buf_free(&why);
	return revoked;
}

static void
audit_rotation(struct audit *a)
{
	const struct probe	*cur = current_probe(a), *p, *next;
	struct buf		 b = BUF_INIT;
	int64_t			 since, grace;
	size_t			 i;
	int			 age;

	grace = a->o->cfg->rotation_grace_days;
	if (cur == NULL && !a->heard) {
		keyaudit_selector(&b, a->espid, a->today / 12,
		    a->today % 12 + 1);
		row_add(a, CHK_CURRENT, buf_cstr(&b), NULL, AUDIT_TEMP,
		    "timeout", "no configured nameserver answered: the "
		    "selectors could not be looked up");
		buf_free(&b);
		return;
	}
	if (cur == NULL) {
		keyaudit_selector(&b, a->espid, a->today / 12,
		    a->today % 12 + 1);
		row_add(a, CHK_CURRENT, buf_cstr(&b), NULL, AUDIT_FAIL,
		    "missing", "no selector of the <mon><yyyy>.%s convention "
		    "is published", a->espid);
		buf_free(&b);
		return;
	}
	age = a->today - cur->mindex;
	if (age < (int)a->o->cfg->rotation_months)
		row_add(a, CHK_CURRENT, cur->selector, NULL, AUDIT_OK,
		    "published", "%d month%s old (rotation every %u)", age,
		    age == 1 ? "" : "s", a->o->cfg->rotation_months);
	else
		row_add(a, CHK_CURRENT, cur->selector, NULL, AUDIT_WARN,
		    "overdue", "%d months old: rotation is due every %u",
		    age, a->o->cfg->rotation_months);
	for (i = 0; i < a->np; i++) {
		p = &a->p[i];
		if (!p->published || p->mindex < 0 || p->mindex >= cur->mindex)
			continue;
		next = successor(a, p);
		since = superseded_days(a, next);
		if (since <= grace)
			row_add(a, CHK_GRACE, p->selector, NULL, AUDIT_OK,
			    "in-grace", "superseded by %s %lld days ago, grace "
			    "%lld days", next->selector, (long long)since,
			    (long long)grace);
		else if (probe_revoked(p))
			row_add(a, CHK_GRACE, p->selector, NULL, AUDIT_OK,
			    "revoked", "superseded by %s %lld days ago, key "
			    "revoked", next->selector, (long long)since);
		else
			row_add(a, CHK_GRACE, p->selector, NULL, AUDIT_WARN,
			    "past-grace", "superseded by %s %lld days ago, "
			    "still published %lld days after the grace of "
			    "%lld", next->selector, (long long)since,
			    (long long)(since - grace), (long long)grace);
	}
	buf_free(&b);
}

/* Selectors past their grace that mail is still signed with (the store). */
static void
audit_signing(struct audit *a)
{
	const struct audit_signing	*s;
	const struct probe		*cur = current_probe(a), *p, *next;
	int64_t				 since;
	size_t				 i, j;
	int				 y, m, dd;

	if (cur == NULL)
		return;
	for (i = 0; i < a->o->nsigning; i++) {
		s = &a->o->signing[i];
		if (strcmp(s->domain, a->d->domain) != 0)
			continue;
		for (p = NULL, j = 0; j < a->np; j++)
			if (strcmp(a->p[j].selector, s->selector) == 0)
				p = &a->p[j];
		if (p == NULL || p->mindex < 0 || p->mindex >= cur->mindex ||
		    (next = successor(a, p)) == NULL)
			continue;
		since = superseded_days(a, next);
		/* mail that arrived after the grace was signed after it too */
		if (sscanf(s->last, "%4d-%2d-%2d", &y, &m, &dd) != 3 ||
		    date_days_from_civil(y, m, dd) - (a->day - since) <=
		    (int64_t)a->o->cfg->rotation_grace_days)
			continue;
		row_add(a, CHK_SIGNING, s->selector, NULL, AUDIT_WARN,
		    "still-signing", "%lld signatures in complaints of the last "
		    "%u days, the last arrived %s; superseded by %s %lld days "
		    "ago", (long long)s->count,
		    a->o->cfg->rotation_grace_days, s->last, next->selector,
		    (long long)since);
	}
}

static int
selector_cmp(const void *x, const void *y)
{
	const struct probe	*p = *(const struct probe *const *)x;
	const struct probe	*q = *(const struct probe *const *)y;

	if (p->mindex != q->mindex)
		return p->mindex > q->mindex ? -1 : 1;
	return strcmp(p->selector, q->selector);
}

/* The published selectors, newest first, for the domain's summary. */
static void
list_selectors(struct audit *a)
{
	const struct probe	**v;
	size_t			  i, n = 0;

	if (a->np == 0)
		return;
	if ((v = calloc(a->np, sizeof(*v))) == NULL ||
	    (a->d->selectors = calloc(a->np, sizeof(char *))) == NULL) {
		free(v);
		a->oom = true;
		return;
	}
	for (i = 0; i < a->np; i++)
		if (a->p[i].published)
			v[n++] = &a->p[i];
	qsort(v, n, sizeof(*v), selector_cmp);
	for (i = 0; i < n; i++)
		if ((a->d->selectors[a->d->nselectors] =
		    xstrdup(a, v[i]->selector)) != NULL)
			a->d->nselectors++;
	free(v);
}

bool
keyaudit_domain(const struct audit_opts *o, const char *domain,
    struct audit_domain *d)
{
	struct audit		 a;
	const struct probe	*cur;
	enum token_role		 role;
	enum deleg		 res;
	size_t			 i;

	memset(d, 0, sizeof(*d));
	memset(&a, 0, sizeof(a));
	a.o = o;
	a.d = d;
	a.espid = o->cfg->esp_id;
	a.ns = o->cfg->nameservers.v;
	a.nns = o->cfg->nameservers.n < KEYAUDIT_MAX_NS ?
	    o->cfg->nameservers.n : KEYAUDIT_MAX_NS;
	a.today = o->year * 12 + o->month - 1;
	a.day = date_days_from_civil(o->year, o->month, o->day);
	if ((d->domain = xstrdup(&a, domain)) == NULL)
		return false;
	role = classify_domain(o->cfg, domain, &d->customer_id);
	d->esp = role == ROLE_ESP;
	if ((a.zone = join3(&a, a.espid, "._domainkey.", domain)) == NULL)
		goto out;
	probes_collect(&a);
	res = audit_delegation(&a);
	audit_mode(&a, res);
	probes_run(&a);
	audit_serial(&a);
	cur = current_probe(&a);
	for (i = 0; i < a.np; i++) {
		if (a.p[i].published) {
			audit_records(&a, &a.p[i]);
			audit_consistency(&a, &a.p[i]);
			audit_key(&a, &a.p[i], &a.p[i] == cur);
		}
		if (d->mode == MODE_CNAME)
			audit_cname(&a, &a.p[i]);
	}
	audit_private(&a);
	audit_rotation(&a);
	audit_signing(&a);
	list_selectors(&a);
	if (d->nrows > 1)
		qsort(d->rows, d->nrows, sizeof(*d->rows), row_cmp);
out:
	for (i = 0; i < a.np; i++)
		probe_free(&a.p[i], a.nns);
	free(a.p);
	free(a.zone);
	return !a.oom;
}
