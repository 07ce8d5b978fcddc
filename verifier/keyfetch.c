/* SPDX-License-Identifier: ISC */
/*
 * keyfetch: DKIM key records from DNS or zone files, cached; see keyfetch.h.
 * This file holds the walk along CNAME chains and the interface;
 * keyfetch_answer.c makes and releases the answers, keyfetch_dns.c asks the
 * servers, keyfetch_zone.c searches the zone files instead, keyfetch_cache.c
 * keeps the answers (keyfetch_local.h).
 *
 * ldns encodes nothing here but parses every answer (ldns_wire2pkt) and every
 * zone file.  The exchange itself is done on our own sockets rather than with
 * ldns_resolver: a resolver object is not thread safe, carries one port for
 * all its servers, and counts timeouts in whole seconds.  A lookup owns its
 * sockets and buffers, so concurrent lookups share nothing but the cache and
 * never wait on each other's slow server.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verifier/keyfetch_local.h"

/* TXT records gathered for the final name, before sorting. */
struct cands {
	struct key_txt		*v;
	size_t			 n;
	size_t			 cap;
	size_t			 bytes;
	size_t			 dropped;
	bool			 oom;
};

const char *
keyfetch_status_str(enum keyfetch_status s)
{
	switch (s) {
	case KEYFETCH_OK:
		return "ok";
	case KEYFETCH_NXDOMAIN:
		return "nxdomain";
	case KEYFETCH_NODATA:
		return "nodata";
	case KEYFETCH_TIMEOUT:
		return "timeout";
	case KEYFETCH_SERVFAIL:
		return "servfail";
	case KEYFETCH_MALFORMED:
		return "malformed";
	case KEYFETCH_CHAIN:
		return "bad-cname-chain";
	case KEYFETCH_BUDGET:
		return "budget-spent";
	case KEYFETCH_NOMEM:
		return "nomem";
	}
	return "unknown";
}

/* ---- answers ---------------------------------------------------------- */

static void
cands_free(struct cands *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].data);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* Join the character-strings of one TXT RR (RFC 6376 section 3.6.2.2). */
static void
cands_add(struct cands *c, const ldns_rr *rr)
{
	struct key_txt	*t;
	struct buf	 s = BUF_INIT;
	size_t		 len, ncap;

	if (!dns_txt_join(rr, &s)) {
		c->oom = true;
		return;
	}
	len = s.len;
	if (c->n >= KF_MAX_CANDIDATES || len > KF_TXT_BUDGET - c->bytes) {
		buf_free(&s);
		c->dropped++;
		return;
	}
	if (c->n == c->cap) {
		ncap = c->cap == 0 ? 4 : c->cap * 2;
		if ((t = reallocarray(c->v, ncap, sizeof(*t))) == NULL) {
			buf_free(&s);
			c->oom = true;
			return;
		}
		c->v = t;
		c->cap = ncap;
	}
	t = &c->v[c->n];
	memset(t, 0, sizeof(*t));
	if ((t->data = buf_steal(&s)) == NULL) {
		c->oom = true;
		return;
	}
	t->len = len;
	c->n++;
	c->bytes += len;
}

static int
txt_cmp(const void *pa, const void *pb)
{
	const struct key_txt	*a = pa, *b = pb;
	size_t			 n = a->len < b->len ? a->len : b->len;
	int			 r;

	if (n > 0 && (r = memcmp(a->data, b->data, n)) != 0)
		return r;
	return (a->len > b->len) - (a->len < b->len);
}

/* Sort, keep KEYFETCH_MAX_TXT, parse each once.  False when out of memory. */
static bool
cands_finish(struct cands *c, struct key_answer *a)
{
	struct buf	 why = BUF_INIT;
	size_t		 i, keep;

	qsort(c->v, c->n, sizeof(c->v[0]), txt_cmp);
	keep = c->n < KEYFETCH_MAX_TXT ? c->n : KEYFETCH_MAX_TXT;
	for (i = keep; i < c->n; i++)
		free(c->v[i].data);
	a->ntxt_dropped = c->dropped + (c->n - keep);
	a->txt = c->v;
	a->ntxt = keep;
	c->v = NULL;
	c->n = c->cap = 0;
	for (i = 0; i < keep; i++) {
		buf_reset(&why);
		a->txt[i].parse = key_record_parse(&a->txt[i].key,
		    a->txt[i].data, a->txt[i].len, &why);
		if (a->txt[i].parse == REASON_OK)
			continue;
		if ((a->txt[i].parse_detail = buf_steal(&why)) == NULL)
			return false;
	}
	buf_free(&why);
	return true;
}

/* ---- resolving -------------------------------------------------------- */

static void
step_free(struct step *st)
{
	free(st->rrs);
	if (st->pkt != NULL)
		ldns_pkt_free(st->pkt);
	memset(st, 0, sizeof(*st));
}

static const ldns_rr *
step_find(const struct step *st, ldns_rr_type t, const uint8_t *name,
    size_t nlen)
{
	size_t	 i;

	for (i = 0; i < st->nrrs; i++)
		if (ldns_rr_get_type(st->rrs[i]) == t &&
		    ldns_rr_get_class(st->rrs[i]) == LDNS_RR_CLASS_IN &&
		    dns_rr_owned_by(st->rrs[i], name, nlen))
			return st->rrs[i];
	return NULL;
}

/* The chain so far, as wire names; [0] is the name asked. */
struct chain {
	uint8_t		 w[KEYFETCH_MAX_CNAME + 1][DNS_WIRE_MAX];
	size_t		 len[KEYFETCH_MAX_CNAME + 1];
	size_t		 n;
	uint32_t	 ttl;
};

static uint32_t
min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Follow one CNAME.  Returns false (status set) when the chain is bad. */
static bool
chain_add(struct chain *ch, struct key_answer *a, const ldns_rr *cn,
    struct buf *detail)
{
	const ldns_rdf	*t = ldns_rr_rdf(cn, 0);
	char		*text;
	size_t		 i;

	if (ldns_rr_rd_count(cn) != 1 || !dns_rdf_is_name(t)) {
		a->status = KEYFETCH_MALFORMED;
		buf_puts(detail, "CNAME without a valid target");
		return false;
	}
	if (ch->n > KEYFETCH_MAX_CNAME) {
		a->status = KEYFETCH_CHAIN;
		buf_printf(detail, "CNAME chain longer than %d links",
		    KEYFETCH_MAX_CNAME);
		return false;
	}
	if ((text = dns_name_text(t)) == NULL) {
		a->status = KEYFETCH_NOMEM;
		return false;
	}
	for (i = 0; i < ch->n; i++) {
		if (!dns_wire_eq(ch->w[i], ch->len[i], ldns_rdf_data(t),
		    ldns_rdf_size(t)))
			continue;
		a->status = KEYFETCH_CHAIN;
		buf_printf(detail, "CNAME loop at %s", text);
		free(text);
		return false;
	}
	a->cnames[a->ncnames++] = text;
	dns_wire_lower(ch->w[ch->n], ldns_rdf_data(t), ldns_rdf_size(t));
	ch->len[ch->n++] = ldns_rdf_size(t);
	ch->ttl = min32(ch->ttl, ldns_rr_ttl(cn));
	return true;
}

static void
gather_txt(const struct step *st, const uint8_t *name, size_t nlen,
    struct cands *c, uint32_t *ttl)
{
	const ldns_rr	*rr;
	size_t		 i;

	for (i = 0; i < st->nrrs; i++) {
		rr = st->rrs[i];
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT ||
		    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
		    !dns_rr_owned_by(rr, name, nlen))
			continue;
		*ttl = min32(*ttl, ldns_rr_ttl(rr));
		cands_add(c, rr);
	}
}

/*
 * Walk from the name asked to its TXT records.  Each step asks the source
 * once, then follows the CNAMEs its answer holds; an answer that stops at a
 * CNAME (the target lies in a zone the server does not serve, or in another
 * place of the zone files) costs one more step.  Each further step follows
 * at least one more link, so the loop ends within KEYFETCH_MAX_CNAME + 1.
 */
static void
resolve(struct key_source *ks, struct key_answer *a, struct chain *ch,
    struct cands *c, int64_t deadline, struct buf *detail)
{
	struct step	 st;
	const ldns_rr	*cn;
	const uint8_t	*cur;
	size_t		 curlen, nstep;
	uint32_t	 neg, txt_ttl;
	bool		 linked, have_neg;

	memset(&st, 0, sizeof(st));
	for (nstep = 0; nstep <= KEYFETCH_MAX_CNAME; nstep++) {
		cur = ch->w[ch->n - 1];
		curlen = ch->len[ch->n - 1];
		if (ks->nzones > 0)
			zone_step(ks, cur, curlen, &st);
		else
			dns_step(ks, cur, curlen, deadline, &st, detail);
		memcpy(a->server, st.server, sizeof(a->server));
		if (st.status != KEYFETCH_OK) {
			a->status = st.status;
			goto out;
		}
		linked = false;
		for (;;) {
			txt_ttl = UINT32_MAX;
			gather_txt(&st, cur, curlen, c, &txt_ttl);
			if (c->oom) {
				a->status = KEYFETCH_NOMEM;
				goto out;
			}
			if (c->n > 0 || c->dropped > 0) {
				a->status = KEYFETCH_OK;
				a->ttl = min32(ch->ttl, txt_ttl);
				goto out;
			}
			if ((cn = step_find(&st, LDNS_RR_TYPE_CNAME, cur,
			    curlen)) == NULL)
				break;
			if (!chain_add(ch, a, cn, detail))
				goto out;
			cur = ch->w[ch->n - 1];
			curlen = ch->len[ch->n - 1];
			linked = true;
		}
		if (!st.nxdomain && linked) {
			step_free(&st);
			continue;
		}
		if (ks->nzones > 0)
			have_neg = zone_neg_ttl(ks, cur, curlen, &neg);
		else
			have_neg = dns_neg_ttl(&st, cur, curlen, &neg);
		if (!have_neg)
			neg = KEYFETCH_NEG_TTL;
		a->ttl = min32(ch->ttl, neg);
		a->status = st.nxdomain ? KEYFETCH_NXDOMAIN : KEYFETCH_NODATA;
		buf_puts(detail, st.nxdomain ? "NXDOMAIN" : "no TXT record");
		goto out;
	}
	a->status = KEYFETCH_CHAIN;
	buf_puts(detail, "CNAME chain not resolved");
out:
	step_free(&st);
}

/* ---- the interface ---------------------------------------------------- */

/*
 * The domain a key name belongs to, for the negative cache of silent
 * domains: what follows "._domainkey.", else the name itself.
 */
static const char *
key_domain(const char *name)
{
	const char	*p = strstr(name, "._domainkey.");

	return p != NULL ? p + 12 : name;
}

/* Called with ks->mu held. */
static struct dead_domain *
dead_find(struct key_source *ks, const char *domain)
{
	size_t	 i;

	for (i = 0; i < ks->ndead; i++)
		if (strcmp(ks->dead[i].domain, domain) == 0)
			return &ks->dead[i];
	return NULL;
}

/* Did a name under text's domain get no answer a short while ago? */
static bool
dead_domain(struct key_source *ks, const char *text, int64_t now,
    struct buf *why)
{
	const char		*d = key_domain(text);
	struct dead_domain	*e;
	bool			 dead;

	pthread_mutex_lock(&ks->mu);
	e = dead_find(ks, d);
	dead = e != NULL && e->until > now;
	pthread_mutex_unlock(&ks->mu);
	if (dead)
		buf_printf(why, "not asked: a name under %s got no DNS answer "
		    "in the last %d s", d, KEYFETCH_DEAD_MS / 1000);
	return dead;
}

static void
mark_dead_domain(struct key_source *ks, const char *text, int64_t now)
{
	const char		*d = key_domain(text);
	struct dead_domain	*e;
	size_t			 i, oldest = 0;

	if (strlen(d) >= sizeof(ks->dead[0].domain))
		return;
	pthread_mutex_lock(&ks->mu);
	if ((e = dead_find(ks, d)) == NULL) {
		if (ks->ndead < KF_MAX_DEAD)
			e = &ks->dead[ks->ndead++];
		else {
			for (i = 1; i < ks->ndead; i++)
				if (ks->dead[i].until < ks->dead[oldest].until)
					oldest = i;
			e = &ks->dead[oldest];
		}
		snprintf(e->domain, sizeof(e->domain), "%s", d);
	}
	e->until = now + KEYFETCH_DEAD_MS;
	pthread_mutex_unlock(&ks->mu);
}


/* An answer made here, not asked for; never cached. */
static const struct key_answer *
made_answer(const char *name, enum keyfetch_status st, const char *detail)
{
	struct answer_box	*b;
	struct buf		 vis = BUF_INIT;
	size_t			 n = strnlen(name, 256);

	buf_put_visible(&vis, name, n);
	if (n == 256)
		buf_puts(&vis, "...");
	if (!buf_ok(&vis) || (b = box_new(buf_cstr(&vis))) == NULL) {
		buf_free(&vis);
		return &keyfetch_nomem.a;
	}
	buf_free(&vis);
	b->a.status = st;
	if ((b->a.detail = strdup(detail)) == NULL) {
		box_free(b);
		return &keyfetch_nomem.a;
	}
	return &b->a;
}

static const struct key_answer *
invalid_name(const char *name, const char *why)
{
	struct buf		 d = BUF_INIT;
	const struct key_answer	*a;

	buf_printf(&d, "invalid name: %s", why);
	a = buf_ok(&d) ? made_answer(name, KEYFETCH_MALFORMED, d.data) :
	    &keyfetch_nomem.a;
	buf_free(&d);
	return a;
}

const struct key_answer *
key_answer_refused(const char *name, const char *detail)
{
	return made_answer(name != NULL ? name : "", KEYFETCH_BUDGET, detail);
}

static const struct key_answer *
refused_here(const char *text, struct buf *why)
{
	const struct key_answer	*a;

	a = buf_ok(why) ? made_answer(text, KEYFETCH_TIMEOUT, why->data) :
	    &keyfetch_nomem.a;
	buf_free(why);
	return a;
}

static const struct key_answer *
fetch(struct key_source *ks, const char *text, const uint8_t *wire,
    size_t wlen, int64_t deadline)
{
	struct answer_box	*b;
	struct chain		*ch;
	struct cands		 c;
	struct buf		 detail = BUF_INIT;
	int64_t			 t0 = dns_now_ms(), t1;
	bool			 ok;

	memset(&c, 0, sizeof(c));
	if (ks->nzones == 0 && dead_domain(ks, text, t0, &detail))
		return refused_here(text, &detail);
	if ((b = box_new(text)) == NULL)
		return &keyfetch_nomem.a;
	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		box_free(b);
		return &keyfetch_nomem.a;
	}
	memcpy(ch->w[0], wire, wlen);
	ch->len[0] = wlen;
	ch->n = 1;
	ch->ttl = UINT32_MAX;
	resolve(ks, &b->a, ch, &c, deadline, &detail);
	free(ch);
	if (b->a.status == KEYFETCH_TIMEOUT)
		mark_dead_domain(ks, text, dns_now_ms());
	ok = b->a.status != KEYFETCH_NOMEM;
	if (ok && b->a.status == KEYFETCH_OK)
		ok = cands_finish(&c, &b->a);
	cands_free(&c);
	if (ok && detail.len > 0)
		ok = (b->a.detail = buf_steal(&detail)) != NULL;
	buf_free(&detail);
	if (!ok) {
		box_free(b);
		return &keyfetch_nomem.a;
	}
	t1 = dns_now_ms();
	b->a.query_ms = (unsigned)(t1 - t0);
	if (b->a.status != KEYFETCH_BUDGET) {
		pthread_mutex_lock(&ks->mu);
		cache_put(ks, b, t1);
		pthread_mutex_unlock(&ks->mu);
	}
	return &b->a;
}

const struct key_answer *
key_source_lookup(struct key_source *ks, const char *name, bool *from_cache)
{
	return key_source_lookup_by(ks, name, 0, from_cache);
}

const struct key_answer *
key_source_lookup_by(struct key_source *ks, const char *name,
    int64_t deadline, bool *from_cache)
{
	struct answer_box	*b;
	char			 text[DNS_NAME_MAX + 1];
	uint8_t			 wire[DNS_WIRE_MAX];
	size_t			 wlen;
	const char		*why;

	if (from_cache != NULL)
		*from_cache = false;
	atomic_fetch_add(&ks->lookups, 1);
	if (name == NULL)
		name = "";
	if ((why = dns_name_wire(name, text, wire, &wlen)) != NULL)
		return invalid_name(name, why);
	pthread_mutex_lock(&ks->mu);
	b = cache_get(ks, text, dns_now_ms());
	pthread_mutex_unlock(&ks->mu);
	if (b != NULL) {
		atomic_fetch_add(&ks->hits, 1);
		if (from_cache != NULL)
			*from_cache = true;
		return &b->a;
	}
	return fetch(ks, text, wire, wlen, deadline);
}

void
key_source_stats(struct key_source *ks, struct key_source_stats *s)
{
	s->lookups = atomic_load(&ks->lookups);
	s->hits = atomic_load(&ks->hits);
	s->queries = atomic_load(&ks->queries);
}

struct key_source *
key_source_new(const struct key_source_opts *o, struct buf *err)
{
	static const struct key_source_opts defaults;
	struct key_source	*ks;
	size_t			 i;

	if (o == NULL)
		o = &defaults;
	if ((ks = calloc(1, sizeof(*ks))) == NULL) {
		buf_puts(err, "out of memory");
		return NULL;
	}
	ks->timeout_ms = o->timeout_ms == 0 ? DNS_DEFAULT_TIMEOUT_MS :
	    o->timeout_ms > KF_MAX_TIMEOUT_MS ? KF_MAX_TIMEOUT_MS :
	    o->timeout_ms;
	ks->attempts = 1 + (o->retries < 0 ? 1 : o->retries > KF_MAX_RETRIES ?
	    KF_MAX_RETRIES : (unsigned)o->retries);
	ks->run_budget_ms = o->run_budget_ms == 0 ? KEYFETCH_RUN_BUDGET_MS :
	    o->run_budget_ms;
	if (!cache_init(ks, o->cache_max == 0 ? KF_DEFAULT_CACHE :
	    o->cache_max)) {
		free(ks->buckets);
		free(ks);
		buf_puts(err, "out of memory");
		return NULL;
	}
	if (o->nzones > 0) {
		if (!zones_open(ks, o, err))
			goto fail;
	} else if (o->nresolvers > KF_MAX_SERVERS) {
		buf_printf(err, "%zu resolvers given, at most %d are used",
		    o->nresolvers, KF_MAX_SERVERS);
		goto fail;
	} else if (o->nresolvers > 0) {
		for (i = 0; i < o->nresolvers; i++) {
			if (o->resolvers[i] == NULL ||
			    !dns_server_parse(&ks->servers[i],
			    o->resolvers[i], 53, err))
				goto fail;
		}
		ks->nservers = o->nresolvers;
	} else if (!dns_system_servers(ks->servers, KF_MAX_SERVERS,
	    &ks->nservers, err))
		goto fail;
	return ks;
fail:
	key_source_free(ks);
	return NULL;
}

void
key_source_free(struct key_source *ks)
{
	if (ks == NULL)
		return;
	cache_free(ks);
	zones_free(ks);
	free(ks);
}
