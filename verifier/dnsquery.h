/* SPDX-License-Identifier: ISC */
/*
 * dnsquery: one DNS question to one server, on our own sockets.
 *
 * UDP first (EDNS0, 1232 bytes), TCP when the answer is truncated, and once
 * more without EDNS when the server says it does not know EDNS.  ldns parses
 * every answer (ldns_wire2pkt); nothing else of ldns_resolver is used, since
 * a resolver object is not thread safe, carries one port for all its servers
 * and counts timeouts in whole seconds.  A query owns its sockets, so
 * concurrent queries share nothing.
 *
 * Used by keyfetch (TXT lookups through resolvers, with recursion desired)
 * and by the key audit (any type, straight to an authoritative server, with
 * recursion not desired, reading the flags and every section).
 */
#ifndef FBL_DNSQUERY_H
#define FBL_DNSQUERY_H

#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <ldns/ldns.h>

#include "base/buf.h"

#define DNS_MSG_MAX		65535	/* bytes of an answer buffer */
#define DNS_WIRE_MAX		255	/* bytes of a wire-form name */
#define DNS_NAME_MAX		253	/* bytes of a text name, no final dot */
#define DNS_MAX_SYSTEM_SERVERS	16
/*
 * Milliseconds one question waits, by default, whoever asks (key lookups,
 * the key audit): one number for every command's --timeout.
 */
#define DNS_DEFAULT_TIMEOUT_MS	3000
/*
 * The shape of an answer that any question fblscope asks can need: a key
 * record of the largest key (8,192 bits) is a few TXT strings, a NS set a
 * few dozen records.  An answer beyond these is refused before ldns parses
 * it: ldns allocates per character-string, and 60,000 empty strings in one
 * TXT answer cost ~700 MB (issue 11, item 2).
 */
#define DNS_MAX_RRS		100	/* records in all sections */
#define DNS_MAX_STRINGS		512	/* TXT character-strings */

struct dns_server {
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	char			 label[INET6_ADDRSTRLEN + 8];	/* IP@PORT */
};

/*
 * What became of one question.  The reasons a question got no answer are
 * kept apart, since a caller must tell "nothing listens there" from "it
 * did not answer in time" from "no route to it": each is a different fault
 * to mend, and none says anything about the zone asked about.
 */
enum dns_ask {
	DNS_ASK_ANSWER,		/* *out holds the parsed answer */
	DNS_ASK_TIMEOUT,	/* nothing came back in time */
	DNS_ASK_REFUSED,	/* nothing listens: ICMP port unreachable, RST */
	DNS_ASK_UNREACHABLE,	/* no route: network or host unreachable */
	DNS_ASK_NETERR,		/* another socket error */
	DNS_ASK_TRUNCATED,	/* truncated over UDP, and TCP failed */
	DNS_ASK_MALFORMED,	/* unparsable, or not for our question */
	DNS_ASK_NOMEM,
};

/* A server at af/addr (4 or 16 bytes) and port. */
bool		 dns_server_set(struct dns_server *, int af, const void *addr,
		    unsigned port);
/*
 * "IP[@PORT]", IPv4 or IPv6; port defaults to default_port.  False with
 * the reason in err ("bad resolver ...", naming the text given).
 */
bool		 dns_server_parse(struct dns_server *, const char *spec,
		    unsigned default_port, struct buf *err);
/*
 * The nameservers of /etc/resolv.conf, at most max of them.  False with
 * the reason in err when there is none.
 */
bool		 dns_system_servers(struct dns_server *, size_t max,
		    size_t *n, struct buf *err);

/*
 * Check a name and turn it into lower-case text (one trailing dot dropped;
 * text has room for DNS_NAME_MAX + 1 bytes) and wire form (DNS_WIRE_MAX
 * bytes).  Returns NULL, or why the name is invalid.
 */
const char	*dns_name_wire(const char *name, char *text, uint8_t *wire,
		    size_t *wlen);
/* Copy n bytes of a wire name, in lower case. */
void		 dns_wire_lower(uint8_t *dst, const uint8_t *src, size_t n);
/* Equal wire names, ASCII case ignored. */
bool		 dns_wire_eq(const uint8_t *, size_t, const uint8_t *, size_t);
/* Whether anc is name itself or one of its ancestors. */
bool		 dns_wire_under(const uint8_t *name, size_t nlen,
		    const uint8_t *anc, size_t alen);
/* Whether rr is owned by the wire name w. */
bool		 dns_rr_owned_by(const ldns_rr *, const uint8_t *w, size_t wlen);
/* A DNAME rdf of a sane size. */
bool		 dns_rdf_is_name(const ldns_rdf *);
/*
 * The character-strings of a TXT record joined without a separator (RFC
 * 6376 section 3.6.2.2) into out (replaced).  False when out of memory.
 */
bool		 dns_txt_join(const ldns_rr *, struct buf *out);
/* Presentation form of a name rdf: lower case, no trailing dot; free(). */
char		*dns_name_text(const ldns_rdf *);
const char	*dns_rcode_name(ldns_pkt_rcode);

/*
 * Ask sv for name (wire form) type qtype, class IN, with or without the RD
 * flag.  resp is a caller's buffer of DNS_MSG_MAX bytes (so a thread reuses
 * one).  On DNS_ASK_ANSWER *out is the answer, whatever its rcode, with the
 * question checked against ours; otherwise why says what happened.  *sent
 * (may be NULL) is increased by the number of questions sent.
 */
enum dns_ask	 dns_ask(const struct dns_server *sv, const uint8_t *name,
		    size_t nlen, ldns_rr_type qtype, bool rd,
		    unsigned timeout_ms, uint8_t *resp, ldns_pkt **out,
		    unsigned *sent, struct buf *why);

/*
 * Does the answer in wire form stay within DNS_MAX_RRS and DNS_MAX_STRINGS?
 * false with why when not.  An answer it cannot walk is left to ldns to
 * refuse (true).
 */
bool		 dns_answer_shape_ok(const uint8_t *resp, size_t len,
		    struct buf *why);

/*
 * Whether no answer came back that could be read (TIMEOUT to TRUNCATED):
 * the server may do better when asked again.
 */
bool		 dns_ask_unanswered(enum dns_ask);
/* "timeout", "connection-refused", ... for details and reasons. */
const char	*dns_ask_name(enum dns_ask);

/* Monotonic milliseconds. */
int64_t		 dns_now_ms(void);

#endif
