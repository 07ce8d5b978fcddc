/* SPDX-License-Identifier: ISC */
/*
 * keyfetch: where DKIM key records come from, and the cache in front of it.
 *
 * A key_source answers "the TXT records at NAME" from one of:
 * - DNS through ldns: the system resolver (/etc/resolv.conf) by default, or
 *   the servers given as "IP[@PORT]" (tried in order), with a per-query
 *   timeout and a number of retries;
 * - one or more master-format zone files (zonefile.h; the first bad line
 *   refuses the file), in which case DNS is not used at all and a name
 *   absent from the zones is NXDOMAIN.
 *
 * CNAME chains are followed (at most KEYFETCH_MAX_CNAME links) and recorded,
 * since the "DKIM Core" practice publishes customer keys through CNAMEs into
 * the ESP's zone.  Each TXT record's character-strings are joined without a
 * separator (RFC 6376 section 3.6.2.2) and parsed once as a key record.
 * Records are kept in a deterministic order (sorted by their bytes) so that a
 * name holding several TXT records always yields the same verdict.
 *
 * Time is bounded (docs/security.md).  One question to a server has one
 * timeout, shared by its UDP try, the TCP retry after truncation and the
 * retry without EDNS.  A lookup may carry a deadline (the caller's budget,
 * e.g. a message's); once it has passed nothing more is asked and the
 * answer is KEYFETCH_BUDGET, not cached.  The source as a whole spends at
 * most run_budget_ms waiting for DNS, then answers KEYFETCH_BUDGET at
 * once.  A domain under which a name got no answer at all is not asked
 * again for KEYFETCH_DEAD_MS (its other selectors fail at once), and a
 * server silent for KEYFETCH_SILENT_STREAK questions in a row is left
 * aside for KEYFETCH_DEAD_MS while another server remains.  A CNAME loop or
 * a chain longer than KEYFETCH_MAX_CNAME is KEYFETCH_CHAIN: a fact about
 * the data, not the network.
 *
 * Answers are cached for their TTL (clamped to [KEYFETCH_MIN_TTL,
 * KEYFETCH_MAX_TTL]); NXDOMAIN and NODATA are cached per RFC 2308 (SOA
 * minimum, or KEYFETCH_NEG_TTL); timeouts and SERVFAIL for KEYFETCH_FAIL_TTL
 * only, so a dead server costs one timeout per name and short period, not one
 * per message.  The cache holds at most cache_max names.
 *
 * Thread safety: key_source_lookup() may be called from several threads at
 * once.  A returned answer is immutable and stays valid until released, even
 * if the cache drops it meanwhile.
 */
#ifndef FBL_KEYFETCH_H
#define FBL_KEYFETCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "base/buf.h"
#include "verifier/key_record.h"
#include "verifier/result.h"

#define KEYFETCH_MAX_CNAME	8
#define KEYFETCH_MAX_TXT	16	/* records kept per name */
#define KEYFETCH_MIN_TTL	0
#define KEYFETCH_MAX_TTL	86400
#define KEYFETCH_NEG_TTL	300
#define KEYFETCH_FAIL_TTL	30
#define KEYFETCH_RUN_BUDGET_MS	(900u * 1000)	/* DNS waiting per source */
#define KEYFETCH_DEAD_MS	60000	/* a silent domain or server */
#define KEYFETCH_SILENT_STREAK	3	/* questions a server may ignore */

enum keyfetch_status {
	KEYFETCH_OK = 0,	/* at least one TXT record */
	KEYFETCH_NXDOMAIN,
	KEYFETCH_NODATA,	/* name exists, no TXT */
	KEYFETCH_TIMEOUT,	/* no server answered */
	KEYFETCH_SERVFAIL,	/* SERVFAIL, REFUSED or another error rcode */
	KEYFETCH_MALFORMED,	/* answer could not be parsed */
	KEYFETCH_CHAIN,		/* CNAME loop, or a chain too long */
	KEYFETCH_BUDGET,	/* not asked: the time budget is spent */
	KEYFETCH_NOMEM,
};

struct key_txt {
	char			*data;		/* strings joined, NUL-terminated */
	size_t			 len;
	enum dkim_reason	 parse;		/* REASON_OK or a key error */
	char			*parse_detail;	/* why parse failed, or NULL */
	struct key_record	 key;		/* valid when parse == REASON_OK */
};

struct key_answer {
	enum keyfetch_status	 status;
	char			*name;		/* name asked, lower case */
	char			*cnames[KEYFETCH_MAX_CNAME]; /* chain followed */
	size_t			 ncnames;
	struct key_txt		*txt;		/* sorted by bytes */
	size_t			 ntxt;
	size_t			 ntxt_dropped;	/* beyond KEYFETCH_MAX_TXT */
	uint32_t		 ttl;		/* as served */
	char			 server[80];	/* "127.0.0.1@5353", "zone FILE" */
	char			*detail;	/* rcode name, error text, or NULL */
	time_t			 fetched;	/* when asked */
	unsigned		 query_ms;	/* how long the query took */
};

struct key_source_opts {
	const char *const	*resolvers;	/* "IP[@PORT]"; none = system */
	size_t			 nresolvers;
	const char *const	*zones;		/* zone files; any = no DNS */
	size_t			 nzones;
	unsigned		 timeout_ms;	/* per query; 0: DNS_DEFAULT_TIMEOUT_MS */
	int			 retries;	/* per server; < 0 = 1 */
	size_t			 cache_max;	/* 0 = 65536 names */
	unsigned		 run_budget_ms;	/* 0 = KEYFETCH_RUN_BUDGET_MS */
};

struct key_source;

/* NULL on error, with the reason (naming the file or server) in err. */
struct key_source	*key_source_new(const struct key_source_opts *,
			    struct buf *err);
void			 key_source_free(struct key_source *);

/*
 * The TXT records at name (e.g. "sel._domainkey.example.com").  Never NULL
 * unless out of memory; status says what happened.  *from_cache tells
 * whether the network was skipped.  Release with key_answer_release().
 */
const struct key_answer	*key_source_lookup(struct key_source *,
			    const char *name, bool *from_cache);
/* The same with a deadline (monotonic ms, dns_now_ms(); 0: none). */
const struct key_answer	*key_source_lookup_by(struct key_source *,
			    const char *name, int64_t deadline_ms,
			    bool *from_cache);
/*
 * An answer that was not asked for (KEYFETCH_BUDGET, with detail): what a
 * caller's own limit gives, so that every signature has an answer to show.
 * Release like any other.
 */
const struct key_answer	*key_answer_refused(const char *name,
			    const char *detail);
void			 key_answer_release(const struct key_answer *);

const char		*keyfetch_status_str(enum keyfetch_status);

/* Statistics for the benchmark and --explain. */
struct key_source_stats {
	unsigned long	 lookups;
	unsigned long	 hits;
	unsigned long	 queries;	/* sent to a server / zone searched */
};
void			 key_source_stats(struct key_source *,
			    struct key_source_stats *);

#endif
