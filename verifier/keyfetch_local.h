/* SPDX-License-Identifier: ISC */
/*
 * keyfetch_local: what the parts of the key source share; private to
 * keyfetch.c (resolving, the interface), keyfetch_answer.c (the answers),
 * keyfetch_dns.c (asking servers), keyfetch_zone.c (the zone files) and
 * keyfetch_cache.c.
 */
#ifndef FBL_KEYFETCH_LOCAL_H
#define FBL_KEYFETCH_LOCAL_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "base/buf.h"
#include "verifier/dnsquery.h"
#include "verifier/keyfetch.h"

#define KF_MAX_SERVERS		16
#define KF_MAX_RETRIES		16
#define KF_MAX_TIMEOUT_MS	600000
#define KF_DEFAULT_CACHE	65536
#define KF_MAX_BUCKETS		((size_t)1 << 20)
#define KF_TXT_BUDGET		65536	/* joined TXT bytes accepted per name */
#define KF_MAX_CANDIDATES	4096	/* TXT records considered per name */
#define KF_ZONE_MAX_RR		((size_t)1 << 22)
#define KF_MAX_DEAD		1024	/* silent domains remembered */

struct dead_domain {
	char		 domain[DNS_NAME_MAX + 1];
	int64_t		 until;		/* monotonic ms */
};

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
	unsigned		 run_budget_ms;
	atomic_llong		 dns_spent_ms;	/* waiting for DNS, all threads */
	atomic_uint		 silent[KF_MAX_SERVERS];	/* in a row */
	atomic_llong		 down_until[KF_MAX_SERVERS];	/* monotonic ms */
	struct dead_domain	 dead[KF_MAX_DEAD];	/* under mu */
	size_t			 ndead;

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

/* keyfetch_answer.c: the refcounted answers */
extern struct answer_box keyfetch_nomem;	/* out of memory, shared */
struct answer_box *box_new(const char *name);
void		 box_free(struct answer_box *);

/* keyfetch_dns.c: ask the servers */
void		 dns_step(struct key_source *, const uint8_t *name,
		    size_t nlen, int64_t deadline, struct step *,
		    struct buf *detail);
bool		 dns_neg_ttl(const struct step *, const uint8_t *name,
		    size_t nlen, uint32_t *ttl);

/* keyfetch_zone.c: the zone files instead */
bool		 zones_open(struct key_source *, const struct key_source_opts *,
		    struct buf *err);
void		 zones_free(struct key_source *);
void		 zone_step(struct key_source *, const uint8_t *name,
		    size_t nlen, struct step *);
bool		 zone_neg_ttl(const struct key_source *, const uint8_t *name,
		    size_t nlen, uint32_t *ttl);

/* keyfetch_cache.c: called with ks->mu held, but for init and free */
bool		 cache_init(struct key_source *, size_t max);
void		 cache_free(struct key_source *);
void		 cache_put(struct key_source *, struct answer_box *,
		    int64_t now);
struct answer_box *cache_get(struct key_source *, const char *name,
		    int64_t now);

#endif
