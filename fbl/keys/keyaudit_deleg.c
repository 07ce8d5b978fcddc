/* SPDX-License-Identifier: ISC */
/*
 * keyaudit_deleg: the zone of <esp-id>._domainkey.<domain>, whether its
 * parent delegates it to the ESP's nameservers (check "delegation"), and
 * whether each delegated server answers for it with authority ("lame").
 */
#include <stdlib.h>
#include <string.h>

#include "fbl/keys/keyaudit_local.h"

#define MAX_NSSET	32	/* NS records read in a delegation */

/* ---- names and zones ---------------------------------------------------- */

char *
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

ldns_pkt_rcode
rcode(const struct dv_reply *r)
{
	return ldns_pkt_get_rcode(r->pkt);
}

bool
answered(const struct dv_reply *r)
{
	return r->status == DV_ANSWER;
}

bool
public_unknown(enum dv_status s)
{
	return s != DV_ANSWER && s != DV_BADNAME;
}

/*
 * The zone holding name, in the public view: the owner of the SOA that an
 * SOA question for name brings.  NULL with why in r->detail on failure,
 * and *temp the reason when the question could not be answered.
 */
static char *
zone_of(struct audit *a, const char *name, struct dv_reply *r,
    const char **temp)
{
	const ldns_rr	*soa;
	char		*z;

	*temp = NULL;
	dnsview_public(a->o->view, name, LDNS_RR_TYPE_SOA, r);
	if (!answered(r)) {
		if (public_unknown(r->status))
			*temp = dv_reply_reason(r);
		buf_printf(&r->detail, ", asking %s SOA", name);
		return NULL;
	}
	if ((soa = dv_soa(r->pkt)) == NULL || (z = dv_owner(soa)) == NULL) {
		/* a resolver's answer that tells no zone is no answer */
		*temp = dv_status_str(DV_MALFORMED);
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

/*
 * The NS set of child as its parent zone's own servers serve it (asked
 * directly: a resolver would answer with the child's apex set, or from its
 * cache).  why says what went wrong; *temp is the reason when DELEG_TEMP.
 */
static enum deleg
parent_nsset(struct audit *a, const char *child, struct nsset *s,
    struct buf *why, const char **temp)
{
	struct dv_reply	 r;
	struct nsset	 pns = { .n = 0 };
	const char	*up;
	char		*pzone;
	enum deleg	 res = DELEG_TEMP;
	size_t		 i;

	*temp = NULL;
	dv_reply_init(&r);
	if ((up = parent_name(child)) == NULL ||
	    (pzone = zone_of(a, up, &r, temp)) == NULL) {
		buf_printf(why, "the zone above %s: %s", child,
		    buf_cstr(&r.detail));
		dv_reply_free(&r);
		return *temp != NULL ? DELEG_TEMP : DELEG_ERROR;
	}
	dnsview_public(a->o->view, pzone, LDNS_RR_TYPE_NS, &r);
	if (answered(&r))
		nsset_take(&pns, r.pkt, LDNS_SECTION_ANSWER, pzone);
	if (pns.n == 0) {
		buf_printf(why, "no NS for the parent zone %s in the public "
		    "DNS%s%s", pzone, answered(&r) ? "" : ": ",
		    answered(&r) ? "" : buf_cstr(&r.detail));
		if (public_unknown(r.status))
			*temp = dv_reply_reason(&r);
		res = *temp != NULL ? DELEG_TEMP : DELEG_ERROR;
	}
	for (i = 0; i < pns.n; i++) {
		dnsview_direct(a->o->view, pns.v[i], child, LDNS_RR_TYPE_NS,
		    &r);
		if (!answered(&r)) {
			/* a parent server that cannot tell: ask the next */
			buf_reset(why);
			buf_printf(why, "parent %s: %s", pns.v[i],
			    buf_cstr(&r.detail));
			*temp = dv_reply_reason(&r);
			continue;
		}
		nsset_take(s, r.pkt, LDNS_SECTION_ANSWER, child);
		nsset_take(s, r.pkt, LDNS_SECTION_AUTHORITY, child);
		buf_reset(why);
		buf_printf(why, "%s (zone %s) at %s", pns.v[i], pzone,
		    r.server);
		*temp = NULL;
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
	if (r.status == DV_NOADDR)
		row_add(a, CHK_LAME, a->zone, host, AUDIT_FAIL, "no-address",
		    "%s", buf_cstr(&r.detail));
	else if (dv_status_temporary(r.status))
		row_add(a, CHK_LAME, a->zone, host, AUDIT_TEMP,
		    dv_reply_reason(&r), "%s", buf_cstr(&r.detail));
	else if (r.status == DV_ANSWER && rcode(&r) == LDNS_RCODE_NOERROR &&
	    ldns_pkt_aa(r.pkt) && dv_rrs(r.pkt, LDNS_SECTION_ANSWER,
	    LDNS_RR_TYPE_SOA, a->zone, soa, 1) == 1)
		row_add(a, CHK_LAME, a->zone, host, AUDIT_OK, "authoritative",
		    "SOA serial %u from %s", dv_soa_serial(soa[0]), r.server);
	else if (r.pkt != NULL)		/* an answer, or REFUSED */
		row_add(a, CHK_LAME, a->zone, host, AUDIT_FAIL, "lame",
		    "%s answers %s %s for %s SOA", r.server,
		    dns_rcode_name(rcode(&r)), ldns_pkt_aa(r.pkt) ?
		    "with authority but no SOA of that zone" :
		    "without authority", a->zone);
	else
		row_add(a, CHK_LAME, a->zone, host, AUDIT_FAIL, "lame", "%s",
		    buf_cstr(&r.detail));
	dv_reply_free(&r);
}

/* The delegation check: what the parent zone's servers said. */
enum deleg
audit_delegation(struct audit *a)
{
	struct nsset	 s = { .n = 0 };
	struct buf	 why = BUF_INIT;
	struct dv_reply	 r;
	enum deleg	 res;
	const char	*temp;
	size_t		 i;
	char		*cut;

	if (a->d->esp) {
		/* the ESP's own zone: wherever the cut above Z is */
		dv_reply_init(&r);
		cut = zone_of(a, a->zone, &r, &temp);
		if (cut == NULL) {
			row_add(a, CHK_DELEGATION, a->zone, NULL, temp !=
			    NULL ? AUDIT_TEMP : AUDIT_FAIL, temp != NULL ?
			    temp : "missing", "%s", buf_cstr(&r.detail));
			dv_reply_free(&r);
			return temp != NULL ? DELEG_TEMP : DELEG_ERROR;
		}
		dv_reply_free(&r);
		free(a->zone);
		a->zone = cut;
	}
	res = parent_nsset(a, a->zone, &s, &why, &temp);
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
		a->deleg_temp = temp;
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_TEMP, temp,
		    "%s", buf_cstr(&why));
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
