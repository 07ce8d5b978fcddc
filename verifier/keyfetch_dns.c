/* SPDX-License-Identifier: ISC */
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
 * The time one question may take: the source's timeout, cut to what is
 * left of the caller's deadline and of the run's budget; 0 when nothing
 * is left (why says which).
 */
static unsigned
question_time(struct key_source *ks, int64_t deadline, struct buf *why)
{
	int64_t	 left = ks->timeout_ms, now = dns_now_ms();
	long long spent = atomic_load(&ks->dns_spent_ms);

	if (spent >= (long long)ks->run_budget_ms) {
		buf_printf(why, "not asked: this run has waited %u s for DNS, "
		    "its budget", ks->run_budget_ms / 1000);
		return 0;
	}
	if ((long long)ks->run_budget_ms - spent < left)
		left = (long long)ks->run_budget_ms - spent;
	if (deadline > 0 && deadline - now < left)
		left = deadline - now;
	if (left <= 0) {
		buf_puts(why, "not asked: the DNS time budget of this message "
		    "is spent");
		return 0;
	}
	return (unsigned)left;
}

/* Is server i left aside (silent too often), while another one is not? */
static bool
server_aside(struct key_source *ks, size_t i, int64_t now)
{
	size_t	 k;

	if (atomic_load(&ks->down_until[i]) <= now)
		return false;
	for (k = 0; k < ks->nservers; k++)
		if (atomic_load(&ks->down_until[k]) <= now)
			return true;
	return false;	/* all are down: ask anyway */
}

static void
server_silent(struct key_source *ks, size_t i, int64_t now)
{
	if (atomic_fetch_add(&ks->silent[i], 1) + 1 >= KEYFETCH_SILENT_STREAK)
		atomic_store(&ks->down_until[i], now + KEYFETCH_DEAD_MS);
}

/*
 * Ask the servers, each in turn, for (retries + 1) rounds.  A server that
 * answered with an error rcode or garbage is not asked again; one that did
 * not answer is, in the next round.  Every question has one timeout for
 * all its tries (dns_ask), cut to the deadline and the run's budget.
 */
void
dns_step(struct key_source *ks, const uint8_t *name, size_t nlen,
    int64_t deadline, struct step *st, struct buf *detail)
{
	bool		 done[KF_MAX_SERVERS] = { false };
	struct buf	 why = BUF_INIT;
	uint8_t		*resp;
	ldns_pkt	*pkt = NULL;
	ldns_pkt_rcode	 rc;
	unsigned	 round, t;
	size_t		 i, silent = 0;
	enum dns_ask	 r;
	unsigned	 sent;
	int64_t		 t0;

	st->status = KEYFETCH_TIMEOUT;
	if ((resp = malloc(DNS_MSG_MAX)) == NULL) {
		st->status = KEYFETCH_NOMEM;
		return;
	}
	for (round = 0; round < ks->attempts; round++) {
		for (i = 0; i < ks->nservers; i++) {
			if (done[i] || server_aside(ks, i, dns_now_ms()))
				continue;
			buf_reset(&why);
			if ((t = question_time(ks, deadline, &why)) == 0) {
				st->status = KEYFETCH_BUDGET;
				buf_reset(detail);
				buf_puts(detail, buf_cstr(&why));
				goto out;
			}
			pkt = NULL;
			snprintf(st->server, sizeof(st->server), "%s",
			    ks->servers[i].label);
			sent = 0;
			t0 = dns_now_ms();
			r = dns_ask(&ks->servers[i], name, nlen,
			    LDNS_RR_TYPE_TXT, true, t, resp, &pkt, &sent, &why);
			atomic_fetch_add(&ks->dns_spent_ms, dns_now_ms() - t0);
			atomic_fetch_add(&ks->queries, sent);
			if (r == DNS_ASK_NOMEM) {
				st->status = KEYFETCH_NOMEM;
				goto out;
			}
			if (dns_ask_unanswered(r)) {
				server_silent(ks, i, dns_now_ms());
				silent++;
				continue;
			}
			atomic_store(&ks->silent[i], 0);
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
		if (silent == 0)
			buf_puts(detail, "not asked: every server was silent "
			    "for its last questions (asked again in a minute)");
		else
			buf_printf(detail, "no answer (%zu attempt%s); last, "
			    "%s: %s", silent, silent == 1 ? "" : "s",
			    st->server, buf_cstr(&why));
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
