/* SPDX-License-Identifier: ISC */
/*
 * keyaudit_probe: the selectors to ask about (the convention's months,
 * private keys, selectors seen signing), each asked of every configured
 * server, and for a customer without delegation, whether CNAMEs stand in
 * for it.
 */
#include <stdlib.h>
#include <string.h>

#include "fbl/classify.h"
#include "fbl/keys/keyaudit_local.h"
#include "fbl/keys/keyimport.h"
#include "verifier/key_record.h"

#define MAX_TXT		16	/* TXT records read at one name */

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

void
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
const char *
keyname_domain(const char *name, size_t *sellen)
{
	const char	*k = strstr(name, "._domainkey.");

	if (k == NULL)
		return NULL;
	*sellen = (size_t)(k - name);
	return k + strlen("._domainkey.");
}

/* The selectors to ask about: the convention's months, keys, signing. */
void
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
	if (r->status != DV_ANSWER) {
		s->state = r->status == DV_REFUSED ? SRV_REFUSED :
		    r->status == DV_NOADDR ? SRV_NOADDR : SRV_UNKNOWN;
		s->why = r->status == DV_HOSTUNKNOWN ? r->cause : r->status;
		s->detail = xstrdup(a, buf_cstr(&r->detail));
		return;
	}
	if (rcode(r) == LDNS_RCODE_NXDOMAIN)
		s->state = SRV_NXDOMAIN;
	else if (dv_rrs(r->pkt, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_TXT,
	    p->keyname, &rr, 1) == 1) {
		srv_take_txt(a, s, r->pkt, p->keyname);
		return;
	} else
		s->state = ldns_pkt_aa(r->pkt) ? SRV_NODATA : SRV_REFUSED;
	s->detail = join3(a, dns_rcode_name(rcode(r)), s->state ==
	    SRV_REFUSED ? " without authority (a referral: not its zone)" :
	    "", "");
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
	p->cname_status = r->status;
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
void
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
			if (p->srv[k].state != SRV_UNKNOWN &&
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

int
probe_unknown(const struct audit *a, const struct probe *p)
{
	size_t	 k;

	for (k = 0; k < a->nns; k++)
		if (p->srv[k].state == SRV_UNKNOWN)
			return (int)k;
	return -1;
}

/*
 * A customer without delegation: do CNAMEs stand in for it?  When the
 * delegation or a CNAME could not be looked up and none was found, the
 * mode is unknown, and so is whether the customer publishes anything.
 */
void
audit_mode(struct audit *a, enum deleg res)
{
	struct dv_reply		 r;
	const struct probe	*unknown = NULL;
	size_t			 i;
	char			*pub;

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
		else if (unknown == NULL &&
		    public_unknown(a->p[i].cname_status))
			unknown = &a->p[i];
		free(pub);
	}
	dv_reply_free(&r);
	if (a->d->mode == MODE_CNAME)
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_OK, "cname",
		    "not delegated; the selectors are CNAMEs into the ESP's "
		    "zone");
	else if (res == DELEG_TEMP)
		a->d->mode = MODE_UNKNOWN;	/* its TEMP row is made */
	else if (res == DELEG_NONE && unknown != NULL) {
		a->d->mode = MODE_UNKNOWN;
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_TEMP,
		    dv_status_str(unknown->cname_status), "the parent zone "
		    "has no NS for %s; whether %s._domainkey.%s is a CNAME "
		    "could not be looked up: %s", a->zone, unknown->selector,
		    a->d->domain, dv_status_str(unknown->cname_status));
	} else if (res == DELEG_NONE)
		row_add(a, CHK_DELEGATION, a->zone, NULL, AUDIT_FAIL,
		    "missing", "the parent zone has no NS for %s and no "
		    "selector of the convention is a CNAME", a->zone);
}
