/* SPDX-License-Identifier: ISC */
/*
 * classify: what a signature's token is to the ESP, from the configuration
 * (config.h, docs/fblscope.conf.5).
 *
 * Domains (the d= of a signature) are compared in lower case with one
 * trailing dot dropped.  In this order:
 * 1. equal to an esp-domain, or a subdomain of one (the ESP owns the whole
 *    zone under its token domain): ROLE_ESP;
 * 2. equal to a domain of a "customer" line: ROLE_CUSTOMER (exact domains
 *    only; a customer's subdomains need their own line or a regex);
 * 3. matched as a whole by a "customer-regex" pattern, the first in file
 *    order: ROLE_CUSTOMER;
 * 4. anything else: ROLE_THIRD_PARTY when the configuration has any
 *    esp-domain or customer rule, ROLE_UNKNOWN when it has none (or there
 *    is no configuration, cfg == NULL).
 * A NULL or empty domain (or ".") is ROLE_UNKNOWN; one longer than 253
 * octets or holding bytes no domain has simply matches no rule.
 *
 * Every function only reads the configuration: safe from many threads.
 */
#ifndef FBL_CLASSIFY_H
#define FBL_CLASSIFY_H

#include <stdbool.h>

#include "fbl/config.h"

enum token_role {
	ROLE_UNKNOWN = 0,
	ROLE_CUSTOMER,
	ROLE_ESP,
	ROLE_THIRD_PARTY,
};

/* "unknown", "customer", "esp", "third-party" (as stored). */
const char	*token_role_name(enum token_role);
/* The reverse of token_role_name; false for any other word. */
bool		 token_role_parse(const char *, enum token_role *);

/*
 * The role of d; for ROLE_CUSTOMER *customer_id is the customer's id (owned
 * by the configuration), otherwise NULL.  customer_id may be NULL.
 */
enum token_role	 classify_domain(const struct fbl_config *, const char *,
		    const char **customer_id);

/*
 * Is id the id of a customer or customer-regex line?  Ids are compared as
 * written.  False without a configuration.
 */
bool		 classify_customer_id(const struct fbl_config *,
		    const char *id);

/*
 * Does selector s follow the selector-pattern?  On a match, *month is 1-12
 * and *year the full year, from the named groups:
 *   mon:  jan..dec or january..december (any case), or 1..12 / 01..12;
 *   year: four digits (1970 or later), or two (20yy).
 * False without a pattern, when the pattern does not match the whole
 * selector (lower-cased, at most 253 octets), or when a group's text is
 * none of the above.  year or month may be NULL.
 */
bool		 classify_selector(const struct fbl_config *, const char *s,
		    int *year, int *month);

/*
 * Is the Source-IP of a report inside the sending networks?  1 inside, 0
 * outside, -1 unknown: no configuration, no sending-network, or ip is not
 * an address (ip_parse in cidr.h: junk, a host name, a port).
 */
int		 classify_source_ip(const struct fbl_config *, const char *);

/*
 * The sending-network that a network of the report (CIDR text, "192.0.2.0/24":
 * the /24 or /48 a Source-IP is counted by) lies in, else the first, in
 * the file's order, that lies in it; NULL when none, or network is not a
 * network (cidr_parse).
 */
const struct cidr *classify_sending_network(const struct fbl_config *,
		    const char *network);

#endif
