/*
 * keyfetch_dns: the key source's questions to DNS servers, each in turn
 * (dnsquery.h), and the negative TTL of their answers.
 */
#include <stdio.h>
#include <stdlib.h>

#include "verifier/keyfetch_local.h"

static bool
step_rrs(struct step *st, const ldns_rr_list *l)
{
	size_t	 i, n = ldns_rr_list_rr_count(l);

	if (n == 0)
		return true;
	if ((st->rrs = calloc(n, sizeof(*st->rrs))) == NULL)
		return false;
	for (i = 0; i < n; i++)
		st->rrs[i] = ldns_rr_list_rr(l, i);
	st->nrrs = n;
	return true;
}

/*
 * Ask the servers, each in turn, for (retries + 1) rounds.  A server that
 * answered with an error rcode or garbage is not asked again; one that did
 * not answer is, in the next round.
 */
void
dns_step(struct key_source *ks, const uint8_t *name, size_t nlen,
    struct step *st, struct buf *detail)
{
	bool		 done[KF_MAX_SERVERS] = { false };
	struct buf	 why = BUF_INIT;
	uint8_t		*resp;
	ldns_pkt	*pkt = NULL;
	ldns_pkt_rcode	 rc;
	unsigned	 round;
	size_t		 i, silent = 0;
	enum dns_ask	 r;
	unsigned	 sent;

	st->status = KEYFETCH_TIMEOUT;
	if ((resp = malloc(DNS_MSG_MAX)) == NULL) {
		st->status = KEYFETCH_NOMEM;
		return;
	}
	for (round = 0; round < ks->attempts; round++) {
		for (i = 0; i < ks->nservers; i++) {
			if (done[i])
				continue;
			buf_reset(&why);
			pkt = NULL;
			snprintf(st->server, sizeof(st->server), "%s",
			    ks->servers[i].label);
			sent = 0;
			r = dns_ask(&ks->servers[i], name, nlen,
			    LDNS_RR_TYPE_TXT, true, ks->timeout_ms, resp, &pkt,
			    &sent, &why);
			atomic_fetch_add(&ks->queries, sent);
			if (r == DNS_ASK_NOMEM) {
				st->status = KEYFETCH_NOMEM;
				goto out;
			}
			if (r == DNS_ASK_NOANSWER) {
				silent++;
				continue;
			}
			done[i] = true;
			buf_reset(detail);
			if (r == DNS_ASK_MALFORMED) {
				st->status = KEYFETCH_MALFORMED;
				buf_printf(detail, "%s from %s", buf_cstr(&why),
				    ks->servers[i].label);
				continue;
			}
			rc = ldns_pkt_get_rcode(pkt);
			if (rc == LDNS_RCODE_NOERROR ||
			    rc == LDNS_RCODE_NXDOMAIN) {
				st->status = KEYFETCH_OK;
				st->nxdomain = rc == LDNS_RCODE_NXDOMAIN;
				st->pkt = pkt;
				if (!step_rrs(st, ldns_pkt_answer(pkt)))
					st->status = KEYFETCH_NOMEM;
				goto out;
			}
			st->status = KEYFETCH_SERVFAIL;
			buf_printf(detail, "%s from %s", dns_rcode_name(rc),
			    ks->servers[i].label);
			ldns_pkt_free(pkt);
			pkt = NULL;
		}
	}
	if (st->status == KEYFETCH_TIMEOUT) {
		buf_reset(detail);
		buf_printf(detail, "no answer (%zu attempt%s); last, %s: %s",
		    silent, silent == 1 ? "" : "s", st->server,
		    buf_cstr(&why));
	}
out:
	buf_free(&why);
	free(resp);
}

/* RFC 2308 section 5: min(SOA TTL, SOA MINIMUM) of the zone holding name. */
bool
dns_neg_ttl(const struct step *st, const uint8_t *name, size_t nlen,
    uint32_t *ttl)
{
	const ldns_rr_list	*l = ldns_pkt_authority(st->pkt);
	const ldns_rr		*rr;
	const ldns_rdf		*o, *min;
	size_t			 i;

	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		rr = ldns_rr_list_rr(l, i);
		o = ldns_rr_owner(rr);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
		    ldns_rr_rd_count(rr) != 7 || !dns_rdf_is_name(o) ||
		    !dns_wire_under(name, nlen, ldns_rdf_data(o),
		    ldns_rdf_size(o)))
			continue;
		min = ldns_rr_rdf(rr, 6);
		if (ldns_rdf_size(min) != 4)
			continue;
		*ttl = ldns_rdf2native_int32(min);
		if (ldns_rr_ttl(rr) < *ttl)
			*ttl = ldns_rr_ttl(rr);
		return true;
	}
	return false;
}
