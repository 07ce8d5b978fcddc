/*
 * dnsview: the DNS as the key audit sees it.
 *
 * Two views of one name: the public one, through recursive resolvers (the
 * system's, or those given), and each authoritative server's own, asked
 * directly with recursion not desired.  A server host is a name whose
 * addresses come from the public view (A and AAAA, cached for the run) and
 * whose port is the view's port (53 in production; tests run servers on a
 * high port).
 *
 * A run must end, whatever the servers do: every question has a timeout and
 * two tries, and an address that never answered is remembered as silent and
 * not asked again in this run, so a dead server costs one timeout, not one
 * per question.  Answers are ldns packets; their rcode and AA flag are the
 * caller's to judge.
 *
 * Not thread safe: one view per thread.
 */
#ifndef FBL_DNSVIEW_H
#define FBL_DNSVIEW_H

#include <stdbool.h>
#include <stddef.h>

#include <ldns/ldns.h>

#include "base/buf.h"
#include "verifier/dnsquery.h"

#define DNSVIEW_MAX_RESOLVERS	8
#define DNSVIEW_MAX_ADDRS	8	/* addresses kept per host */
#define DNSVIEW_MAX_HOSTS	256	/* hosts kept per run */
#define DNSVIEW_DEFAULT_TIMEOUT	2000	/* ms per question */

struct dnsview_opts {
	const char *const	*resolvers;	/* "IP[@PORT]"; none: system */
	size_t			 nresolvers;
	unsigned		 port;		/* direct questions; 0: 53 */
	unsigned		 timeout_ms;	/* 0: the default */
};

enum dv_status {
	DV_ANSWER,		/* pkt holds the answer, whatever its rcode */
	DV_TIMEOUT,		/* no server answered */
	DV_MALFORMED,		/* garbage, or not for our question */
	DV_NOADDR,		/* direct: the host has no address */
	DV_BADNAME,		/* the name asked is not a valid name */
	DV_NOMEM,
};

struct dv_reply {
	enum dv_status	 status;
	ldns_pkt	*pkt;		/* DV_ANSWER only */
	char		 server[INET6_ADDRSTRLEN + 8];	/* who answered */
	struct buf	 detail;	/* why, when not DV_ANSWER */
};

enum dv_host_state {
	DV_HOST_OK,		/* has addresses */
	DV_HOST_NOADDR,		/* neither A nor AAAA */
	DV_HOST_UNKNOWN,	/* the resolvers did not answer */
};

struct dv_host {
	char			*name;
	enum dv_host_state	 state;
	struct dns_server	 addr[DNSVIEW_MAX_ADDRS];
	size_t			 naddr;
	bool			 silent[DNSVIEW_MAX_ADDRS];
	bool			 answered;	/* some direct answer came */
	bool			 timed_out;	/* some direct question did not */
};

struct dnsview;

struct dnsview	*dnsview_new(const struct dnsview_opts *, struct buf *err);
void		 dnsview_free(struct dnsview *);

/* A zeroed reply; free what it holds with dv_reply_free(). */
void		 dv_reply_init(struct dv_reply *);
void		 dv_reply_free(struct dv_reply *);

/* The public view: the resolvers in turn, recursion desired. */
void		 dnsview_public(struct dnsview *, const char *name,
		    ldns_rr_type, struct dv_reply *);
/* Straight to host (a name, or an address literal), no recursion. */
void		 dnsview_direct(struct dnsview *, const char *host,
		    const char *name, ldns_rr_type, struct dv_reply *);
/* The host's addresses, looked up once per run (NULL: out of memory). */
const struct dv_host *dnsview_host(struct dnsview *, const char *host);
/* Every host met so far, in order of first use. */
const struct dv_host *dnsview_hosts(const struct dnsview *, size_t *n);

/* ---- reading answers ---------------------------------------------------- */

/*
 * The records of type t in a section of pkt whose owner is name (any owner
 * when name is NULL), at most max, into out.  Returns how many.
 */
size_t		 dv_rrs(const ldns_pkt *, ldns_pkt_section, ldns_rr_type t,
		    const char *name, const ldns_rr **out, size_t max);
/* The owner of rr as text: lower case, no trailing dot; free(). */
char		*dv_owner(const ldns_rr *);
/* The first rdata field of rr as a name (NS, CNAME targets); free(). */
char		*dv_rdata_name(const ldns_rr *, size_t field);
/* The SOA record in the answer or, failing that, the authority section. */
const ldns_rr	*dv_soa(const ldns_pkt *);
/* The SOA serial of rr. */
uint32_t	 dv_soa_serial(const ldns_rr *);
const char	*dv_status_str(enum dv_status);

#endif
