/* SPDX-License-Identifier: ISC */
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
 * two tries, and an address (a resolver's too) that never answered is
 * remembered as silent, with why, and not asked again in this run, so a dead server costs one
 * timeout, not one per question.  Answers are ldns packets; the view sorts
 * them by rcode (dv_status), their AA flag and records are the caller's to
 * judge.  Why a question got no usable answer is kept as a status, never
 * only as text, so that the audit can say "could not ask" apart from "the
 * zone says no".
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

struct dnsview_opts {
	const char *const	*resolvers;	/* "IP[@PORT]"; none: system */
	size_t			 nresolvers;
	unsigned		 port;		/* direct questions; 0: 53 */
	unsigned		 timeout_ms;	/* 0: DNS_DEFAULT_TIMEOUT_MS */
};

/*
 * What one question to the view came to.  Only DV_ANSWER says something
 * about the DNS; DV_REFUSED says something about the server asked (a
 * server asked directly does not serve the zone; a resolver will not
 * answer us); the others say only that the question could not be asked or
 * answered, and why (dv_status_temporary).
 */
enum dv_status {
	DV_ANSWER,		/* pkt: NOERROR or NXDOMAIN */
	DV_REFUSED,		/* pkt: REFUSED or NOTAUTH */
	DV_SERVFAIL,		/* pkt: SERVFAIL */
	DV_RCODE,		/* pkt: another error rcode (FORMERR, ...) */
	DV_TIMEOUT,		/* nothing came back in time */
	DV_CONNREFUSED,		/* nothing listens there */
	DV_UNREACHABLE,		/* no route to the server */
	DV_NETERR,		/* another socket error */
	DV_TRUNCATED,		/* truncated over UDP, and TCP failed */
	DV_MALFORMED,		/* garbage, or not for our question */
	DV_HOSTUNKNOWN,		/* direct: the host's address could not be
				   looked up; cause says why */
	DV_NOADDR,		/* direct: the host has no address */
	DV_BADNAME,		/* the name asked is not a valid name */
	DV_NOMEM,
};

struct dv_reply {
	enum dv_status	 status;
	enum dv_status	 cause;		/* DV_HOSTUNKNOWN: the public view's */
	ldns_pkt	*pkt;		/* DV_ANSWER to DV_RCODE */
	char		 server[INET6_ADDRSTRLEN + 8];	/* who was asked */
	struct buf	 detail;	/* why, when not DV_ANSWER */
};

enum dv_host_state {
	DV_HOST_OK,		/* has addresses */
	DV_HOST_NOADDR,		/* neither A nor AAAA */
	DV_HOST_UNKNOWN,	/* the resolvers did not answer: unknown says
				   how */
};

struct dv_host {
	char			*name;
	enum dv_host_state	 state;
	enum dv_status		 unknown;	/* DV_HOST_UNKNOWN: why */
	struct dns_server	 addr[DNSVIEW_MAX_ADDRS];
	size_t			 naddr;
	/* DV_ANSWER, or how the address fell silent for the run */
	enum dv_status		 silent[DNSVIEW_MAX_ADDRS];
	bool			 answered;	/* some direct answer came */
	enum dv_status		 failed;	/* the last silence, or DV_ANSWER */
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
/*
 * Whether a status says only that the question could not be asked or
 * answered (DV_SERVFAIL, DV_RCODE, DV_TIMEOUT to DV_HOSTUNKNOWN, DV_NOMEM):
 * nothing about the zone, nor about whether the server serves it.
 */
bool		 dv_status_temporary(enum dv_status);
/* "answer", "refused", "servfail", "timeout", "connection-refused", ... */
const char	*dv_status_str(enum dv_status);
/* The name of why a reply is what it is: its status, or for
   DV_HOSTUNKNOWN the cause. */
const char	*dv_reply_reason(const struct dv_reply *);

#endif
