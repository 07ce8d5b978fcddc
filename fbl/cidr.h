/* SPDX-License-Identifier: ISC */
/*
 * cidr: IPv4 and IPv6 addresses and networks, for the ESP's sending networks
 * (the config file) and the Source-IP field of feedback reports (hostile).
 *
 * Addresses (ip_parse):
 * - IPv4 dotted quad as inet_pton(3) reads it (four decimal parts, no
 *   leading zeros, no shorthand such as "10.1");
 * - IPv6 text (RFC 4291 section 2.2, with "::" and an IPv4 tail);
 * - surrounding blanks (SP, HTAB), one pair of square brackets and an
 *   "IPv6:" prefix (the RFC 5321 address literal, any case) are ignored, so
 *   "[192.0.2.1]" and "[IPv6:2001:db8::1]" from a Received field parse;
 * - a zone index ("fe80::1%eth0"), a port, a prefix, or more than
 *   IP_TEXT_MAX bytes is not an address.
 * An IPv4-mapped IPv6 address (::ffff:192.0.2.1) is the IPv4 address.
 *
 * Networks (cidr_parse): ADDRESS/PREFIX with a decimal prefix length (no
 * sign, no leading zero) of at most 32 (IPv4) or 128 (IPv6), or a bare
 * ADDRESS meaning one host.  Bits set after the prefix ("192.0.2.1/24") are
 * an error, CIDR_HOST_BITS: the network is most likely mistyped.
 *
 * Containment is decided in the IPv6 space with IPv4 mapped into
 * ::ffff:0:0/96: an IPv4 network holds only IPv4 addresses, and an IPv6
 * network that covers ::ffff:0:0/96 (::/0, ::/64 ...) also holds every
 * IPv4 address it covers there.
 */
#ifndef FBL_CIDR_H
#define FBL_CIDR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define IP_TEXT_MAX	64	/* longest address text looked at */

struct ip_addr {
	uint8_t		 b[16];	/* IPv6; IPv4 as ::ffff:a.b.c.d */
	bool		 v4;	/* written as (or mapped from) IPv4 */
};

struct cidr {
	struct ip_addr	 net;		/* host bits are zero */
	unsigned	 prefix;	/* 0..32 for v4, 0..128 for v6 */
};

enum cidr_status {
	CIDR_OK = 0,
	CIDR_BAD_ADDRESS,		/* not an IPv4 or IPv6 address */
	CIDR_BAD_PREFIX,		/* not a decimal 0..32 / 0..128 */
	CIDR_HOST_BITS,			/* bits set after the prefix */
};

bool		 ip_parse(struct ip_addr *, const char *, size_t);
enum cidr_status cidr_parse(struct cidr *, const char *, size_t);
bool		 cidr_contains(const struct cidr *, const struct ip_addr *);
/* c with the bits after its prefix cleared: the network it lies in. */
void		 cidr_mask(struct cidr *c);
/*
 * The network of a's first prefix bits (at most 32 for IPv4, 128 for
 * IPv6): a /24 or /48 that a Source-IP is counted under (record.h).
 */
void		 cidr_of(struct cidr *, const struct ip_addr *a,
		    unsigned prefix);
/* "192.0.2.0/24", "2001:db8::/32"; a host keeps its prefix ("/32"). */
void		 cidr_format(struct buf *, const struct cidr *);
void		 ip_format(struct buf *, const struct ip_addr *);
const char	*cidr_status_str(enum cidr_status);

#endif
