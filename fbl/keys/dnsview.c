/* SPDX-License-Identifier: ISC */
/*
 * dnsview: the public and the authoritative views of the DNS; see dnsview.h.
 */
#include <arpa/inet.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/keys/dnsview.h"

#define DV_TRIES	2	/* per address and per resolver */

struct dnsview {
	struct dns_server	 resolvers[DNSVIEW_MAX_RESOLVERS];
	size_t			 nresolvers;
	/* DV_ANSWER, or how the resolver fell silent for the run */
	enum dv_status		 rsilent[DNSVIEW_MAX_RESOLVERS];
	unsigned		 port;
	unsigned		 timeout_ms;
	uint8_t			*resp;		/* DNS_MSG_MAX bytes */
	struct dv_host		 hosts[DNSVIEW_MAX_HOSTS];
	size_t			 nhosts;
};

bool
dv_status_temporary(enum dv_status s)
{
	switch (s) {
	case DV_ANSWER:
	case DV_REFUSED:
	case DV_NOADDR:
	case DV_BADNAME:
		return false;
	default:
		return true;
	}
}

const char *
dv_status_str(enum dv_status s)
{
	switch (s) {
	case DV_ANSWER:
		return "answer";
	case DV_REFUSED:
		return "refused";
	case DV_SERVFAIL:
		return "servfail";
	case DV_RCODE:
		return "error-rcode";
	case DV_TIMEOUT:
		return "timeout";
	case DV_CONNREFUSED:
		return "connection-refused";
	case DV_UNREACHABLE:
		return "unreachable";
	case DV_NETERR:
		return "network-error";
	case DV_TRUNCATED:
		return "truncated";
	case DV_MALFORMED:
		return "malformed";
	case DV_HOSTUNKNOWN:
		return "host-unknown";
	case DV_NOADDR:
		return "no-address";
	case DV_BADNAME:
		return "bad-name";
	case DV_NOMEM:
		return "nomem";
	}
	return "unknown";
}

const char *
dv_reply_reason(const struct dv_reply *r)
{
	return dv_status_str(r->status == DV_HOSTUNKNOWN ? r->cause :
	    r->status);
}

struct dnsview *
dnsview_new(const struct dnsview_opts *o, struct buf *err)
{
	struct dnsview	*v;
	size_t		 i;

	if (o->nresolvers > DNSVIEW_MAX_RESOLVERS) {
		buf_printf(err, "%zu resolvers given, at most %d", o->nresolvers,
		    DNSVIEW_MAX_RESOLVERS);
		return NULL;
	}
	if ((v = calloc(1, sizeof(*v))) == NULL ||
	    (v->resp = malloc(DNS_MSG_MAX)) == NULL) {
		free(v);
		buf_puts(err, "out of memory");
		return NULL;
	}
	v->port = o->port == 0 ? 53 : o->port;
	v->timeout_ms = o->timeout_ms == 0 ? DNS_DEFAULT_TIMEOUT_MS :
	    o->timeout_ms;
	for (i = 0; i < o->nresolvers; i++)
		if (!dns_server_parse(&v->resolvers[i], o->resolvers[i], 53,
		    err))
			goto fail;
	v->nresolvers = o->nresolvers;
	if (v->nresolvers == 0 && !dns_system_servers(v->resolvers,
	    DNSVIEW_MAX_RESOLVERS, &v->nresolvers, err))
		goto fail;
	return v;
fail:
	dnsview_free(v);
	return NULL;
}

void
dnsview_free(struct dnsview *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < v->nhosts; i++)
		free(v->hosts[i].name);
	free(v->resp);
	free(v);
}

void
dv_reply_init(struct dv_reply *r)
{
	memset(r, 0, sizeof(*r));
	buf_init(&r->detail);
}

void
dv_reply_free(struct dv_reply *r)
{
	if (r->pkt != NULL)
		ldns_pkt_free(r->pkt);
	buf_free(&r->detail);
	dv_reply_init(r);
}

static void
reply_reset(struct dv_reply *r)
{
	if (r->pkt != NULL)
		ldns_pkt_free(r->pkt);
	r->pkt = NULL;
	r->server[0] = '\0';
	buf_reset(&r->detail);
}

/* The status of an answer, by its rcode. */
static enum dv_status
rcode_status(const ldns_pkt *p)
{
	switch (ldns_pkt_get_rcode(p)) {
	case LDNS_RCODE_NOERROR:
	case LDNS_RCODE_NXDOMAIN:
		return DV_ANSWER;
	case LDNS_RCODE_REFUSED:
	case LDNS_RCODE_NOTAUTH:
		return DV_REFUSED;
	case LDNS_RCODE_SERVFAIL:
		return DV_SERVFAIL;
	default:
		return DV_RCODE;
	}
}

/* The view's name for what became of a question that got no answer. */
static enum dv_status
ask_status(enum dns_ask a)
{
	switch (a) {
	case DNS_ASK_TIMEOUT:
		return DV_TIMEOUT;
	case DNS_ASK_REFUSED:
		return DV_CONNREFUSED;
	case DNS_ASK_UNREACHABLE:
		return DV_UNREACHABLE;
	case DNS_ASK_NETERR:
		return DV_NETERR;
	case DNS_ASK_TRUNCATED:
		return DV_TRUNCATED;
	case DNS_ASK_NOMEM:
		return DV_NOMEM;
	default:
		return DV_MALFORMED;
	}
}

/*
 * A status after which the address is not asked again in the run: nothing
 * came back from it at all.  A truncated answer did come back; a smaller
 * one may still do.
 */
static bool
status_silent(enum dv_status s)
{
	return s == DV_TIMEOUT || s == DV_CONNREFUSED || s == DV_UNREACHABLE ||
	    s == DV_NETERR;
}

/*
 * One server, DV_TRIES times while nothing comes back.  True when
 * something came back (r->status says what); false when it stayed silent.
 */
static bool
ask_one(struct dnsview *v, const struct dns_server *sv, const uint8_t *w,
    size_t wlen, ldns_rr_type t, bool rd, struct dv_reply *r)
{
	struct buf	 why = BUF_INIT;
	ldns_pkt	*pkt = NULL;
	enum dns_ask	 a = DNS_ASK_TIMEOUT;
	int		 i;

	snprintf(r->server, sizeof(r->server), "%s", sv->label);
	for (i = 0; i < DV_TRIES && (i == 0 || (dns_ask_unanswered(a) &&
	    a != DNS_ASK_TRUNCATED)); i++) {
		buf_reset(&why);
		pkt = NULL;
		a = dns_ask(sv, w, wlen, t, rd, v->timeout_ms, v->resp, &pkt,
		    NULL, &why);
	}
	buf_reset(&r->detail);
	if (a == DNS_ASK_ANSWER) {
		r->pkt = pkt;
		if ((r->status = rcode_status(pkt)) != DV_ANSWER)
			buf_printf(&r->detail, "%s from %s",
			    dns_rcode_name(ldns_pkt_get_rcode(pkt)), sv->label);
	} else if (dns_ask_unanswered(a) && a != DNS_ASK_TRUNCATED) {
		r->status = ask_status(a);
		buf_printf(&r->detail, "no answer from %s (%d tries): %s",
		    sv->label, DV_TRIES, buf_cstr(&why));
	} else {
		r->status = ask_status(a);
		buf_printf(&r->detail, "%s: %s", sv->label, buf_cstr(&why));
	}
	buf_free(&why);
	return !status_silent(r->status);
}

static bool
name_wire(const char *name, uint8_t *w, size_t *wlen, struct dv_reply *r)
{
	char		 text[DNS_NAME_MAX + 1];
	const char	*bad;

	if ((bad = dns_name_wire(name, text, w, wlen)) == NULL)
		return true;
	r->status = DV_BADNAME;
	buf_printf(&r->detail, "bad name \"%.*s\": %s",
	    (int)strnlen(name, 80), name, bad);
	return false;
}

/*
 * The resolvers in turn, until one gives a usable answer.  An error rcode
 * (SERVFAIL and kin) is kept while the next resolver is asked, since it may
 * do better; failing that, the error answer is the reply, since it says
 * more than a silence.
 */
void
dnsview_public(struct dnsview *v, const char *name, ldns_rr_type t,
    struct dv_reply *r)
{
	struct dv_reply	 fallback;
	uint8_t		 w[DNS_WIRE_MAX];
	size_t		 wlen, i, tried = 0;

	reply_reset(r);
	if (!name_wire(name, w, &wlen, r))
		return;
	dv_reply_init(&fallback);
	for (i = 0; i < v->nresolvers; i++) {
		if (v->rsilent[i] != DV_ANSWER)
			continue;
		tried++;
		reply_reset(r);
		if (!ask_one(v, &v->resolvers[i], w, wlen, t, true, r)) {
			v->rsilent[i] = r->status;
			continue;
		}
		if (r->status == DV_ANSWER)
			break;
		if (r->pkt == NULL)
			continue;
		dv_reply_free(&fallback);
		fallback = *r;
		dv_reply_init(r);
		r->status = fallback.status;
	}
	if (tried == 0) {
		/* every resolver fell silent earlier: say how the first did */
		r->status = v->rsilent[0];
		snprintf(r->server, sizeof(r->server), "%s",
		    v->resolvers[0].label);
		buf_printf(&r->detail, "resolver %s did not answer earlier in "
		    "this run: %s", v->resolvers[0].label,
		    dv_status_str(v->rsilent[0]));
	}
	if (r->status != DV_ANSWER && fallback.pkt != NULL) {
		dv_reply_free(r);
		*r = fallback;
	} else
		dv_reply_free(&fallback);
}

/* Address records of host through the public view, into h. */
static void
host_addresses(struct dnsview *v, struct dv_host *h)
{
	static const ldns_rr_type types[] = { LDNS_RR_TYPE_A,
	    LDNS_RR_TYPE_AAAA };
	const ldns_rr	*rrs[DNSVIEW_MAX_ADDRS];
	const ldns_rdf	*rd;
	struct dv_reply	 r;
	size_t		 i, k, n;

	dv_reply_init(&r);
	h->unknown = DV_ANSWER;
	for (i = 0; i < 2; i++) {
		dnsview_public(v, h->name, types[i], &r);
		if (r.status != DV_ANSWER) {
			if (h->unknown == DV_ANSWER)
				h->unknown = r.status;
			continue;
		}
		n = dv_rrs(r.pkt, LDNS_SECTION_ANSWER, types[i], NULL, rrs,
		    DNSVIEW_MAX_ADDRS);
		for (k = 0; k < n && h->naddr < DNSVIEW_MAX_ADDRS; k++) {
			rd = ldns_rr_rdf(rrs[k], 0);
			if (rd == NULL || ldns_rdf_size(rd) != (i == 0 ? 4 :
			    16))
				continue;
			if (dns_server_set(&h->addr[h->naddr], i == 0 ?
			    AF_INET : AF_INET6, ldns_rdf_data(rd), v->port))
				h->naddr++;
		}
	}
	dv_reply_free(&r);
	/* "no address" is a fact only when both questions were answered */
	h->state = h->naddr > 0 ? DV_HOST_OK : h->unknown == DV_ANSWER ?
	    DV_HOST_NOADDR : DV_HOST_UNKNOWN;
}

const struct dv_host *
dnsview_host(struct dnsview *v, const char *host)
{
	struct dv_host	*h;
	unsigned char	 a[sizeof(struct in6_addr)];
	size_t		 i;

	for (i = 0; i < v->nhosts; i++)
		if (strcmp(v->hosts[i].name, host) == 0)
			return &v->hosts[i];
	if (v->nhosts == DNSVIEW_MAX_HOSTS)
		return NULL;
	h = &v->hosts[v->nhosts];
	memset(h, 0, sizeof(*h));
	if ((h->name = strdup(host)) == NULL)
		return NULL;
	v->nhosts++;
	if (inet_pton(AF_INET, host, a) == 1) {
		if (dns_server_set(&h->addr[0], AF_INET, a, v->port))
			h->naddr = 1;
	} else if (inet_pton(AF_INET6, host, a) == 1) {
		if (dns_server_set(&h->addr[0], AF_INET6, a, v->port))
			h->naddr = 1;
	} else
		host_addresses(v, h);
	if (h->naddr > 0)
		h->state = DV_HOST_OK;
	return h;
}

const struct dv_host *
dnsview_hosts(const struct dnsview *v, size_t *n)
{
	*n = v->nhosts;
	return v->hosts;
}

void
dnsview_direct(struct dnsview *v, const char *host, const char *name,
    ldns_rr_type t, struct dv_reply *r)
{
	struct dv_host	*h;
	uint8_t		 w[DNS_WIRE_MAX];
	size_t		 wlen, i, tried = 0;

	reply_reset(r);
	if (!name_wire(name, w, &wlen, r))
		return;
	if ((h = (struct dv_host *)(uintptr_t)dnsview_host(v, host)) ==
	    NULL) {
		r->status = DV_NOMEM;
		buf_puts(&r->detail, "out of memory");
		return;
	}
	if (h->naddr == 0) {
		if (h->state == DV_HOST_UNKNOWN) {
			r->status = DV_HOSTUNKNOWN;
			r->cause = h->unknown;
			buf_printf(&r->detail, "the resolvers gave no address "
			    "for %s: %s", host, dv_status_str(h->unknown));
		} else {
			r->status = DV_NOADDR;
			buf_printf(&r->detail, "%s has no address (A or AAAA) "
			    "in the public DNS", host);
		}
		return;
	}
	for (i = 0; i < h->naddr; i++) {
		if (h->silent[i] != DV_ANSWER)
			continue;
		tried++;
		if (ask_one(v, &h->addr[i], w, wlen, t, false, r)) {
			h->answered = true;
			return;
		}
		h->silent[i] = h->failed = r->status;
	}
	if (tried == 0) {
		r->status = h->failed;
		buf_reset(&r->detail);
		buf_printf(&r->detail, "%s (%s) did not answer earlier in this "
		    "run: %s", host, h->addr[0].label, dv_status_str(h->failed));
	}
}

/* ---- reading answers ---------------------------------------------------- */

static const ldns_rr_list *
section(const ldns_pkt *p, ldns_pkt_section s)
{
	switch (s) {
	case LDNS_SECTION_ANSWER:
		return ldns_pkt_answer(p);
	case LDNS_SECTION_AUTHORITY:
		return ldns_pkt_authority(p);
	case LDNS_SECTION_ADDITIONAL:
		return ldns_pkt_additional(p);
	default:
		return NULL;
	}
}

char *
dv_owner(const ldns_rr *rr)
{
	const ldns_rdf	*o = ldns_rr_owner(rr);

	return dns_rdf_is_name(o) ? dns_name_text(o) : NULL;
}

char *
dv_rdata_name(const ldns_rr *rr, size_t field)
{
	const ldns_rdf	*d;

	if (field >= ldns_rr_rd_count(rr))
		return NULL;
	d = ldns_rr_rdf(rr, field);
	return dns_rdf_is_name(d) ? dns_name_text(d) : NULL;
}

static bool
owner_is(const ldns_rr *rr, const char *name)
{
	char	*o;
	bool	 eq;

	if (name == NULL)
		return true;
	if ((o = dv_owner(rr)) == NULL)
		return false;
	eq = strcmp(o, name) == 0;
	free(o);
	return eq;
}

size_t
dv_rrs(const ldns_pkt *p, ldns_pkt_section s, ldns_rr_type t,
    const char *name, const ldns_rr **out, size_t max)
{
	const ldns_rr_list	*l = section(p, s);
	const ldns_rr		*rr;
	size_t			 i, n = 0;

	if (l == NULL)
		return 0;
	for (i = 0; i < ldns_rr_list_rr_count(l) && n < max; i++) {
		rr = ldns_rr_list_rr(l, i);
		if (ldns_rr_get_type(rr) == t &&
		    ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN &&
		    owner_is(rr, name))
			out[n++] = rr;
	}
	return n;
}

const ldns_rr *
dv_soa(const ldns_pkt *p)
{
	const ldns_rr	*rr;

	if (dv_rrs(p, LDNS_SECTION_ANSWER, LDNS_RR_TYPE_SOA, NULL, &rr, 1) ==
	    1 || dv_rrs(p, LDNS_SECTION_AUTHORITY, LDNS_RR_TYPE_SOA, NULL,
	    &rr, 1) == 1)
		return ldns_rr_rd_count(rr) == 7 ? rr : NULL;
	return NULL;
}

uint32_t
dv_soa_serial(const ldns_rr *rr)
{
	const ldns_rdf	*d = ldns_rr_rdf(rr, 2);

	return d != NULL && ldns_rdf_size(d) == 4 ?
	    ldns_rdf2native_int32(d) : 0;
}
