/* SPDX-License-Identifier: ISC */
/*
 * keyzone: the DNS data the ESP's DKIM nameservers serve, from its private
 * keys, for `fblscope keys zone` (docs/fblscope.1).
 *
 * The keys come from keyimport_keydir() (the SELECTOR.DOMAIN.pem directory,
 * split there); each key's public record is the one `fblscope keygen`
 * publishes, and each TXT line is written by key_record_zone_line() (strings
 * of at most 255 octets).  The configuration says where each key goes:
 *
 * - a customer's key (classify_domain(): ROLE_CUSTOMER, and domains no rule
 *   names, which are noted): in the zone ESPID._domainkey.DOMAIN that the
 *   customer delegates to the ESP's nameservers, at
 *   SELECTOR._domainkey.DOMAIN, when the selector ends in ".ESPID" (or is
 *   ESPID); and, when cname-target is configured, at the CNAME target
 *   (config_cname_target()) in the ESP's cname zone.  A selector outside
 *   the delegated zone is served through the CNAME target only (noted);
 *   without a cname-target it cannot be served at all: noted and skipped.
 * - an ESP token's key (ROLE_ESP): in the zone _domainkey.DOMAIN.
 * - the cname zone: the fixed tail of the cname-target template, the labels
 *   after the last placeholder ("{selector}.{domain}.dkimhack.myesp.example"
 *   gives dkimhack.myesp.example).
 *
 * The plan needs esp-id and at least one nameserver that is a host name
 * (address literals cannot be NS targets: noted and left out).  Zones come
 * in a fixed order: customers' by domain, the ESP's by domain, the cname
 * zone last; the keys of a zone by domain, then selector.
 *
 * Library code: notes go to a buffer, one line each; nothing prints.
 */
#ifndef FBL_KEYZONE_H
#define FBL_KEYZONE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/config.h"
#include "fbl/keys/keyarchive.h"
#include "base/buf.h"

#define KEYZONE_DEFAULT_TTL	3600
/* The SOA timers of a --split zone file. */
#define KEYZONE_SOA_REFRESH	3600
#define KEYZONE_SOA_RETRY	900
#define KEYZONE_SOA_EXPIRE	1209600		/* 14 days */
#define KEYZONE_SOA_MINIMUM	300		/* negative caching */

enum keyzone_kind {
	KEYZONE_CUSTOMER,	/* ESPID._domainkey.DOMAIN, delegated */
	KEYZONE_ESP,		/* _domainkey.TOKEN */
	KEYZONE_CNAME,		/* the cname-target zone */
};

struct keyzone_key {
	char		*selector;	/* lower case */
	char		*domain;	/* lower case, no trailing dot */
	const char	*record;	/* the TXT data (the entry's) */
	bool		 esp;		/* an ESP token's key */
	const char	*customer;	/* customer id, or NULL */
	char		*cname;		/* the CNAME target, or NULL */
	bool		 delegated;	/* inside ESPID._domainkey.DOMAIN */
};

struct keyzone_zone {
	char		*name;		/* no trailing dot */
	enum keyzone_kind kind;
	const struct keyzone_key *first; /* KEYZONE_CUSTOMER, _ESP: its domain,
					   customer id (first key's) */
	size_t		*keys;		/* indexes into plan->keys */
	size_t		 n;
};

struct keyzone_plan {
	struct keyzone_key *keys;	/* sorted: customers', ESP's; domain,
					   selector */
	size_t		 nkeys;
	struct keyzone_zone *zones;
	size_t		 nzones;
	const char	*esp_id;	/* the configuration's */
	const char	**ns;		/* nameservers that are host names */
	size_t		 nns;
	char		*cname_zone;	/* or NULL */
	unsigned	 ttl;
};

/*
 * The zone of a cname-target template: the labels after the last
 * placeholder, lower case, no trailing dot.  False when no whole label
 * follows it.
 */
bool	 keyzone_cname_zone(const char *tmpl, struct buf *out);

/*
 * Split a key name SELECTOR._domainkey.DOMAIN at its first "_domainkey"
 * label.  False when there is none with labels on both sides.
 */
bool	 keyzone_split_name(const char *name, struct buf *selector,
	    struct buf *domain);

/*
 * Plan the zones of n keys (from keyimport_keydir() on dir, which only
 * names key files in notes).  False with err when the configuration cannot
 * name the zones (no esp-id, no nameserver host name, a cname-target with
 * no zone) or out of memory.  Keys that cannot be served are noted and
 * counted in *skipped.  The plan points into cfg and v: keep both.
 */
bool	 keyzone_plan_build(struct keyzone_plan *, const struct fbl_config *,
	    const struct key_archive_entry *v, size_t n, const char *dir,
	    unsigned ttl, struct buf *notes, size_t *skipped, struct buf *err);
void	 keyzone_plan_free(struct keyzone_plan *);

/* The owner name of key k in zone z (absolute, no trailing dot). */
void	 keyzone_owner(const struct keyzone_zone *z,
	    const struct keyzone_key *k, struct buf *out);

/*
 * The records of every zone, each zone headed by a comment line, then the
 * comment lines with what to send each customer (the NS lines of its
 * delegation, or its CNAME lines) and the delegations of the ESP's own
 * zones: the standard-output form of `keys zone`.
 */
void	 keyzone_print(const struct keyzone_plan *, struct buf *out);

/* Only the closing comment lines of keyzone_print(). */
void	 keyzone_print_delegations(const struct keyzone_plan *,
	    struct buf *out);

/*
 * A complete zone file for zone i: $ORIGIN, $TTL, SOA (primary: the first
 * nameserver; contact: hostmaster at its parent domain) with serial, NS,
 * the TXT records.
 */
void	 keyzone_file(const struct keyzone_plan *, size_t i, uint32_t serial,
	    struct buf *out);

/* The serial of a zone file keyzone_file() wrote; false when none. */
bool	 keyzone_file_serial(const char *text, size_t len, uint32_t *serial);

/*
 * The next serial, YYYYMMDDnn: today's first (date * 100) unless the old
 * one (when have_old) is already at or past it, then the old one plus one.
 */
uint32_t keyzone_next_serial(uint32_t yyyymmdd, bool have_old, uint32_t old);

#endif
