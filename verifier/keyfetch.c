/*
 * keyfetch: DKIM key records from DNS or zone files, cached; see keyfetch.h.
 *
 * ldns encodes nothing here but parses every answer (ldns_wire2pkt) and every
 * zone file.  The exchange itself is done on our own sockets rather than with
 * ldns_resolver: a resolver object is not thread safe, carries one port for
 * all its servers, and counts timeouts in whole seconds.  A lookup owns its
 * sockets and buffers, so concurrent lookups share nothing but the cache and
 * never wait on each other's slow server.
 */
#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "verifier/dnsquery.h"
#include "verifier/keyfetch.h"
#include "verifier/zonefile.h"

#define KF_MAX_SERVERS		16
#define KF_MAX_RETRIES		16
#define KF_MAX_TIMEOUT_MS	600000
#define KF_DEFAULT_TIMEOUT_MS	3000
#define KF_DEFAULT_CACHE	65536
#define KF_MAX_BUCKETS		((size_t)1 << 20)
#define KF_TXT_BUDGET		65536	/* joined TXT bytes accepted per name */
#define KF_MAX_CANDIDATES	4096	/* TXT records considered per name */
#define KF_ZONE_MAX_RR		((size_t)1 << 22)

/* One owner name of a zone file, lower-cased wire form, or an ancestor. */
struct zentry {
	const uint8_t	*owner;
	size_t		 olen;
	ldns_rr		*rr;		/* NULL: an empty non-terminal */
	size_t		 file;
	size_t		 seq;		/* zone order among equal owners */
};

struct answer_box {
	struct key_answer	 a;	/* first: release casts back */
	atomic_uint		 refs;
};

struct centry {
	struct centry		*hnext;
	struct centry		*prev;	/* LRU list, most recent first */
	struct centry		*next;
	uint32_t		 hash;
	int64_t			 expires;	/* monotonic ms */
	struct answer_box	*box;
};

struct key_source {
	struct dns_server		 servers[KF_MAX_SERVERS];
	size_t			 nservers;
	unsigned		 timeout_ms;
	unsigned		 attempts;

	char			**zone_files;
	ldns_rr_list		**zones;	/* one list per file */
	size_t			 nzones;
	struct zentry		*zidx;
	size_t			 nzidx;
	uint8_t			*owner_arena;

	pthread_mutex_t		 mu;
	struct centry		**buckets;
	size_t			 nbuckets;
	struct centry		*lru_head;
	struct centry		*lru_tail;
	size_t			 ncached;
	size_t			 cache_max;

	atomic_ulong		 lookups;
	atomic_ulong		 hits;
	atomic_ulong		 queries;
};

/* What one question to one source (a server, or the zone index) gave. */
struct step {
	enum keyfetch_status	 status;	/* OK: the fields below hold */
	bool			 nxdomain;
	const ldns_rr		**rrs;		/* answer RRs to walk */
	size_t			 nrrs;
	ldns_pkt		*pkt;		/* DNS mode */
	char			 server[80];
};

/* TXT records gathered for the final name, before sorting. */
struct cands {
	struct key_txt		*v;
	size_t			 n;
	size_t			 cap;
	size_t			 bytes;
	size_t			 dropped;
	bool			 oom;
};

static char nomem_name[] = "";
static char nomem_detail[] = "out of memory";
static struct answer_box nomem_box = {
	.a = {
		.status = KEYFETCH_NOMEM,
		.name = nomem_name,
		.detail = nomem_detail,
	},
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
	case KEYFETCH_NOMEM:
		return "nomem";
	}
	return "unknown";
}

/* ---- answers ---------------------------------------------------------- */

static struct answer_box *
box_of(const struct key_answer *a)
{
	return (struct answer_box *)(uintptr_t)a;
}

static void
box_free(struct answer_box *b)
{
	size_t	 i;

	if (b == NULL || b == &nomem_box)
		return;
	free(b->a.name);
	for (i = 0; i < b->a.ncnames; i++)
		free(b->a.cnames[i]);
	for (i = 0; i < b->a.ntxt; i++) {
		free(b->a.txt[i].data);
		free(b->a.txt[i].parse_detail);
		key_record_free(&b->a.txt[i].key);
	}
	free(b->a.txt);
	free(b->a.detail);
	free(b);
}

void
key_answer_release(const struct key_answer *a)
{
	struct answer_box	*b;

	if (a == NULL)
		return;
	b = box_of(a);
	if (b == &nomem_box)
		return;
	if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
		box_free(b);
}

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
static void
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
static bool
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

/* ---- zone files ------------------------------------------------------- */

static int
zentry_cmp(const void *pa, const void *pb)
{
	const struct zentry	*a = pa, *b = pb;
	int			 r;

	if (a->olen != b->olen)
		return a->olen < b->olen ? -1 : 1;
	if ((r = memcmp(a->owner, b->owner, a->olen)) != 0)
		return r;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The first index entry for name, or nzidx. */
static size_t
zone_find(const struct key_source *ks, const uint8_t *name, size_t nlen)
{
	struct zentry	 key;
	size_t		 lo = 0, hi = ks->nzidx, mid;

	key.owner = name;
	key.olen = nlen;
	key.seq = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (zentry_cmp(&ks->zidx[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ks->nzidx && ks->zidx[lo].olen == nlen &&
	    memcmp(ks->zidx[lo].owner, name, nlen) == 0)
		return lo;
	return ks->nzidx;
}

static bool
zentry_at(const struct key_source *ks, size_t i, const uint8_t *name,
    size_t nlen)
{
	return i < ks->nzidx && ks->zidx[i].olen == nlen &&
	    memcmp(ks->zidx[i].owner, name, nlen) == 0;
}

static void
zone_label(const struct key_source *ks, size_t file, char *out, size_t n)
{
	const char	*f = ks->zone_files[file];
	size_t		 len = strlen(f);

	if (len + 5 < n)
		snprintf(out, n, "zone %s", f);
	else	/* keep the end of a long path: the file name tells most */
		snprintf(out, n, "zone ...%s", f + len - (n - 9));
}

/* The SOA of the closest enclosing zone in the files, if any. */
static const ldns_rr *
zone_soa(const struct key_source *ks, const uint8_t *name, size_t nlen,
    size_t *file)
{
	size_t	 off = 0, i;

	while (off < nlen) {
		i = zone_find(ks, name + off, nlen - off);
		for (; zentry_at(ks, i, name + off, nlen - off); i++) {
			if (ks->zidx[i].rr != NULL &&
			    ldns_rr_get_type(ks->zidx[i].rr) ==
			    LDNS_RR_TYPE_SOA &&
			    ldns_rr_rd_count(ks->zidx[i].rr) == 7) {
				*file = ks->zidx[i].file;
				return ks->zidx[i].rr;
			}
		}
		if (name[off] == 0)
			break;
		off += 1 + (size_t)name[off];
	}
	return NULL;
}

static bool
zone_neg_ttl(const struct key_source *ks, const uint8_t *name, size_t nlen,
    uint32_t *ttl)
{
	const ldns_rr	*soa;
	const ldns_rdf	*min;
	size_t		 file;

	if ((soa = zone_soa(ks, name, nlen, &file)) == NULL)
		return false;
	min = ldns_rr_rdf(soa, 6);
	if (ldns_rdf_size(min) != 4)
		return false;
	*ttl = ldns_rdf2native_int32(min);
	if (ldns_rr_ttl(soa) < *ttl)
		*ttl = ldns_rr_ttl(soa);
	return true;
}

static void
zone_step(struct key_source *ks, const uint8_t *name, size_t nlen,
    struct step *st)
{
	size_t	 first, i, n = 0, file = 0;

	atomic_fetch_add(&ks->queries, 1);
	st->status = KEYFETCH_OK;
	first = zone_find(ks, name, nlen);
	if (first == ks->nzidx) {
		st->nxdomain = true;
		(void)zone_soa(ks, name, nlen, &file);
		zone_label(ks, file, st->server, sizeof(st->server));
		return;
	}
	for (i = first; zentry_at(ks, i, name, nlen); i++)
		if (ks->zidx[i].rr != NULL)
			n++;
	if (n > 0 && (st->rrs = calloc(n, sizeof(*st->rrs))) == NULL) {
		st->status = KEYFETCH_NOMEM;
		return;
	}
	for (i = first; zentry_at(ks, i, name, nlen); i++) {
		if (ks->zidx[i].rr == NULL)
			continue;
		if (st->nrrs == 0)
			file = ks->zidx[i].file;
		st->rrs[st->nrrs++] = ks->zidx[i].rr;
	}
	if (n == 0)
		(void)zone_soa(ks, name, nlen, &file);
	zone_label(ks, file, st->server, sizeof(st->server));
}

static size_t
wire_labels(const uint8_t *w, size_t n)
{
	size_t	 off = 0, k = 0;

	while (off < n && w[off] != 0) {
		off += 1 + (size_t)w[off];
		k++;
	}
	return k;
}

static bool
zone_rr_ok(const ldns_rr *rr)
{
	return dns_rdf_is_name(ldns_rr_owner(rr)) &&
	    ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN;
}

/*
 * Index every owner name of every zone, plus each of its ancestors as an
 * empty non-terminal, so that a name with nothing but children below it is
 * NODATA rather than NXDOMAIN (RFC 8020).
 */
static bool
zone_index(struct key_source *ks, struct buf *err)
{
	const ldns_rr_list	*l;
	ldns_rr			*rr;
	const ldns_rdf		*o;
	size_t			 z, i, n = 0, bytes = 0, e = 0, at = 0, off;
	size_t			 seq = 0;

	for (z = 0; z < ks->nzones; z++) {
		l = ks->zones[z];
		for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
			rr = ldns_rr_list_rr(l, i);
			if (!zone_rr_ok(rr))
				continue;
			o = ldns_rr_owner(rr);
			n += 1 + wire_labels(ldns_rdf_data(o),
			    ldns_rdf_size(o));
			bytes += ldns_rdf_size(o);
		}
	}
	if (n == 0)
		return true;
	ks->owner_arena = malloc(bytes);
	ks->zidx = calloc(n, sizeof(*ks->zidx));
	if (ks->owner_arena == NULL || ks->zidx == NULL) {
		buf_puts(err, "out of memory indexing the zone files");
		return false;
	}
	for (z = 0; z < ks->nzones; z++) {
		l = ks->zones[z];
		for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
			rr = ldns_rr_list_rr(l, i);
			if (!zone_rr_ok(rr))
				continue;
			o = ldns_rr_owner(rr);
			dns_wire_lower(ks->owner_arena + at,
			    ldns_rdf_data(o), ldns_rdf_size(o));
			for (off = 0; off < ldns_rdf_size(o);
			    off += 1 + ks->owner_arena[at + off]) {
				ks->zidx[e].owner = ks->owner_arena + at + off;
				ks->zidx[e].olen = ldns_rdf_size(o) - off;
				ks->zidx[e].rr = off == 0 ? rr : NULL;
				ks->zidx[e].file = z;
				ks->zidx[e].seq = seq++;
				e++;
				if (ks->owner_arena[at + off] == 0)
					break;
			}
			at += ldns_rdf_size(o);
		}
	}
	ks->nzidx = e;
	qsort(ks->zidx, ks->nzidx, sizeof(*ks->zidx), zentry_cmp);
	return true;
}

/* What zone_load() reads one file with. */
struct zone_load {
	ldns_rr_list	*list;
	size_t		*nrr;		/* records of all the files so far */
};

static bool
zone_load_rr(void *arg, const char *path, int line, ldns_rr *rr,
    struct buf *err)
{
	struct zone_load *zl = arg;

	if (++*zl->nrr > KF_ZONE_MAX_RR) {
		ldns_rr_free(rr);
		buf_printf(err, "%s:%d: more than %zu records in the zone "
		    "files", path, line, KF_ZONE_MAX_RR);
		return false;
	}
	if (!ldns_rr_list_push_rr(zl->list, rr)) {
		ldns_rr_free(rr);
		buf_printf(err, "%s:%d: %s", path, line,
		    ldns_get_errorstr_by_id(LDNS_STATUS_MEM_ERR));
		return false;
	}
	return true;
}

/* One file; the first bad line refuses it (zonefile.h). */
static bool
zone_load(struct key_source *ks, size_t z, size_t *nrr, struct buf *err)
{
	struct zonefile_reader	 zr;
	struct zone_load	 zl;

	if ((ks->zones[z] = ldns_rr_list_new()) == NULL) {
		buf_printf(err, "%s: %s", ks->zone_files[z],
		    ldns_get_errorstr_by_id(LDNS_STATUS_MEM_ERR));
		return false;
	}
	zl.list = ks->zones[z];
	zl.nrr = nrr;
	memset(&zr, 0, sizeof(zr));
	zr.policy = ZONEFILE_STOP;
	zr.rr = zone_load_rr;
	zr.arg = &zl;
	return zonefile_read(ks->zone_files[z], &zr, NULL, err);
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
		a->status = KEYFETCH_MALFORMED;
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
		a->status = KEYFETCH_MALFORMED;
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
    struct cands *c, struct buf *detail)
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
			dns_step(ks, cur, curlen, &st, detail);
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
	a->status = KEYFETCH_MALFORMED;
	buf_puts(detail, "CNAME chain not resolved");
out:
	step_free(&st);
}

/* ---- cache ------------------------------------------------------------ */

static uint32_t
name_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static struct centry **
cache_slot(struct key_source *ks, const char *name, uint32_t h)
{
	struct centry	**pp;

	pp = &ks->buckets[h & (ks->nbuckets - 1)];
	for (; *pp != NULL; pp = &(*pp)->hnext)
		if ((*pp)->hash == h && strcmp((*pp)->box->a.name, name) == 0)
			break;
	return pp;
}

static void
lru_unlink(struct key_source *ks, struct centry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		ks->lru_head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		ks->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_push(struct key_source *ks, struct centry *e)
{
	e->prev = NULL;
	e->next = ks->lru_head;
	if (ks->lru_head != NULL)
		ks->lru_head->prev = e;
	ks->lru_head = e;
	if (ks->lru_tail == NULL)
		ks->lru_tail = e;
}

/* Drop the entry *pp points at; the answer lives on while referenced. */
static void
cache_drop(struct key_source *ks, struct centry **pp)
{
	struct centry	*e = *pp;

	*pp = e->hnext;
	lru_unlink(ks, e);
	key_answer_release(&e->box->a);
	free(e);
	ks->ncached--;
}

static uint32_t
cache_ttl(const struct key_answer *a)
{
	uint32_t	 lo = KEYFETCH_MIN_TTL, hi = KEYFETCH_MAX_TTL;

	switch (a->status) {
	case KEYFETCH_OK:
	case KEYFETCH_NXDOMAIN:
	case KEYFETCH_NODATA:
		return a->ttl < lo ? lo : a->ttl > hi ? hi : a->ttl;
	default:
		return KEYFETCH_FAIL_TTL;
	}
}

/* Called with the mutex held.  The cache takes a reference of its own. */
static void
cache_put(struct key_source *ks, struct answer_box *b, int64_t now)
{
	struct centry	**pp, *e;
	uint32_t	  h = name_hash(b->a.name);

	if (b->a.status == KEYFETCH_NOMEM || cache_ttl(&b->a) == 0)
		return;
	if (*(pp = cache_slot(ks, b->a.name, h)) != NULL)
		cache_drop(ks, pp);
	while (ks->ncached >= ks->cache_max && ks->lru_tail != NULL) {
		e = ks->lru_tail;
		cache_drop(ks, cache_slot(ks, e->box->a.name, e->hash));
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;		/* not cached is fine */
	e->hash = h;
	e->expires = now + (int64_t)cache_ttl(&b->a) * 1000;
	e->box = b;
	atomic_fetch_add(&b->refs, 1);
	pp = &ks->buckets[h & (ks->nbuckets - 1)];
	e->hnext = *pp;
	*pp = e;
	lru_push(ks, e);
	ks->ncached++;
}

/* Called with the mutex held; a referenced answer or NULL. */
static struct answer_box *
cache_get(struct key_source *ks, const char *name, int64_t now)
{
	struct centry	**pp;

	pp = cache_slot(ks, name, name_hash(name));
	if (*pp == NULL)
		return NULL;
	if ((*pp)->expires <= now) {
		cache_drop(ks, pp);
		return NULL;
	}
	lru_unlink(ks, *pp);
	lru_push(ks, *pp);
	atomic_fetch_add(&(*pp)->box->refs, 1);
	return (*pp)->box;
}

/* ---- the interface ---------------------------------------------------- */

static struct answer_box *
box_new(const char *name)
{
	struct answer_box	*b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	atomic_init(&b->refs, 1);
	if ((b->a.name = strdup(name)) == NULL) {
		free(b);
		return NULL;
	}
	b->a.fetched = time(NULL);
	return b;
}

static const struct key_answer *
invalid_name(const char *name, const char *why)
{
	struct answer_box	*b;
	struct buf		 vis = BUF_INIT, d = BUF_INIT;
	size_t			 n = strnlen(name, 256);

	buf_put_visible(&vis, name, n);
	if (n == 256)
		buf_puts(&vis, "...");
	buf_printf(&d, "invalid name: %s", why);
	if (!buf_ok(&vis) || !buf_ok(&d) ||
	    (b = box_new(buf_cstr(&vis))) == NULL) {
		buf_free(&vis);
		buf_free(&d);
		return &nomem_box.a;
	}
	buf_free(&vis);
	b->a.status = KEYFETCH_MALFORMED;
	if ((b->a.detail = buf_steal(&d)) == NULL) {
		box_free(b);
		return &nomem_box.a;
	}
	return &b->a;
}

static const struct key_answer *
fetch(struct key_source *ks, const char *text, const uint8_t *wire,
    size_t wlen)
{
	struct answer_box	*b;
	struct chain		*ch;
	struct cands		 c;
	struct buf		 detail = BUF_INIT;
	int64_t			 t0 = dns_now_ms(), t1;
	bool			 ok;

	memset(&c, 0, sizeof(c));
	if ((b = box_new(text)) == NULL)
		return &nomem_box.a;
	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		box_free(b);
		return &nomem_box.a;
	}
	memcpy(ch->w[0], wire, wlen);
	ch->len[0] = wlen;
	ch->n = 1;
	ch->ttl = UINT32_MAX;
	resolve(ks, &b->a, ch, &c, &detail);
	free(ch);
	ok = b->a.status != KEYFETCH_NOMEM;
	if (ok && b->a.status == KEYFETCH_OK)
		ok = cands_finish(&c, &b->a);
	cands_free(&c);
	if (ok && detail.len > 0)
		ok = (b->a.detail = buf_steal(&detail)) != NULL;
	buf_free(&detail);
	if (!ok) {
		box_free(b);
		return &nomem_box.a;
	}
	t1 = dns_now_ms();
	b->a.query_ms = (unsigned)(t1 - t0);
	pthread_mutex_lock(&ks->mu);
	cache_put(ks, b, t1);
	pthread_mutex_unlock(&ks->mu);
	return &b->a;
}

const struct key_answer *
key_source_lookup(struct key_source *ks, const char *name, bool *from_cache)
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
	return fetch(ks, text, wire, wlen);
}

void
key_source_stats(struct key_source *ks, struct key_source_stats *s)
{
	s->lookups = atomic_load(&ks->lookups);
	s->hits = atomic_load(&ks->hits);
	s->queries = atomic_load(&ks->queries);
}

static bool
zones_open(struct key_source *ks, const struct key_source_opts *o,
    struct buf *err)
{
	size_t	 i, nrr = 0;

	ks->zone_files = calloc(o->nzones, sizeof(*ks->zone_files));
	ks->zones = calloc(o->nzones, sizeof(*ks->zones));
	if (ks->zone_files == NULL || ks->zones == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	ks->nzones = o->nzones;
	for (i = 0; i < o->nzones; i++) {
		if (o->zones[i] == NULL ||
		    (ks->zone_files[i] = strdup(o->zones[i])) == NULL) {
			buf_puts(err, o->zones[i] == NULL ? "zone file NULL" :
			    "out of memory");
			return false;
		}
		if (!zone_load(ks, i, &nrr, err))
			return false;
	}
	return zone_index(ks, err);
}

static bool
cache_init(struct key_source *ks, size_t max)
{
	size_t	 nb = 64;

	ks->cache_max = max;
	while (nb < max && nb < KF_MAX_BUCKETS)
		nb *= 2;
	ks->nbuckets = nb;
	if ((ks->buckets = calloc(nb, sizeof(*ks->buckets))) == NULL)
		return false;
	return pthread_mutex_init(&ks->mu, NULL) == 0;
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
	ks->timeout_ms = o->timeout_ms == 0 ? KF_DEFAULT_TIMEOUT_MS :
	    o->timeout_ms > KF_MAX_TIMEOUT_MS ? KF_MAX_TIMEOUT_MS :
	    o->timeout_ms;
	ks->attempts = 1 + (o->retries < 0 ? 1 : o->retries > KF_MAX_RETRIES ?
	    KF_MAX_RETRIES : (unsigned)o->retries);
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
	size_t	 i;

	if (ks == NULL)
		return;
	while (ks->lru_tail != NULL)
		cache_drop(ks, cache_slot(ks, ks->lru_tail->box->a.name,
		    ks->lru_tail->hash));
	free(ks->buckets);
	pthread_mutex_destroy(&ks->mu);
	for (i = 0; i < ks->nzones; i++) {
		if (ks->zones[i] != NULL)
			ldns_rr_list_deep_free(ks->zones[i]);
		free(ks->zone_files[i]);
	}
	free(ks->zones);
	free(ks->zone_files);
	free(ks->zidx);
	free(ks->owner_arena);
	free(ks);
}
