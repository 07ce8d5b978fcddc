/* SPDX-License-Identifier: ISC */
/*
 * keyaudit_local: what the parts of the key audit share; private to
 * keyaudit.c (the run, rows, names), keyaudit_deleg.c (zones, delegation,
 * lame servers), keyaudit_probe.c (asking the servers for each selector),
 * keyaudit_records.c (what they serve: serials, records, keys, CNAMEs,
 * private keys) and keyaudit_rotation.c (current selector, grace,
 * signing).
 */
#ifndef FBL_KEYAUDIT_LOCAL_H
#define FBL_KEYAUDIT_LOCAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "fbl/keys/dnsview.h"
#include "fbl/keys/keyaudit.h"

/*
 * What one configured server said about one key name.  All but
 * SRV_UNKNOWN are facts about what the server serves; SRV_UNKNOWN is a
 * question that could not be asked or answered, and why says why.
 */
enum srv_state {
	SRV_PRESENT,
	SRV_NXDOMAIN,
	SRV_NODATA,
	SRV_REFUSED,		/* REFUSED, NOTAUTH, a referral: not its zone */
	SRV_NOADDR,		/* the host has no address */
	SRV_UNKNOWN,		/* not asked or not answered: see why */
};

struct srv_answer {
	enum srv_state	 state;
	enum dv_status	 why;		/* SRV_UNKNOWN: timeout, servfail... */
	char		*txt;		/* the TXT records joined, sorted, "\n" */
	char		*record;	/* the one judged: first that parses */
	char		*detail;
};

/* One selector asked of every configured server. */
struct probe {
	char		*selector;
	int		 mindex;	/* year * 12 + month - 1, or -1 */
	char		*keyname;	/* asked of the ESP's servers */
	char		*cname;		/* public CNAME at the customer */
	bool		 cname_asked;	/* the public view was asked */
	enum dv_status	 cname_status;	/* what it said: DV_ANSWER, ... */
	bool		 cname_resolves;
	bool		 published;
	const char	*record;	/* first server's record, or NULL */
	struct srv_answer srv[KEYAUDIT_MAX_NS];
};

struct audit {
	const struct audit_opts	*o;
	struct audit_domain	*d;
	const char		*espid;
	char			*zone;		/* Z, or the ESP's zone cut */
	char			**ns;		/* configured servers */
	size_t			 nns;
	struct probe		*p;
	size_t			 np;
	bool			 heard;		/* a configured server answered */
	const char		*deleg_temp;	/* why the delegation is unknown */
	int			 today;		/* month index of the date */
	int64_t			 day;		/* days since 1970 */
	bool			 oom;
};

enum deleg {
	DELEG_FOUND,		/* s holds the NS set */
	DELEG_NONE,		/* the parent has none */
	DELEG_TEMP,		/* nobody answered */
	DELEG_ERROR,		/* the parent zone could not be found */
};

/* keyaudit.c: rows */
char		*xstrdup(struct audit *, const char *);
void		 row_add(struct audit *, enum audit_check, const char *subject,
		    const char *server, enum audit_status, const char *reason,
		    const char *fmt, ...) __attribute__((format(printf, 7, 8)));

/* keyaudit_deleg.c */
char		*join3(struct audit *, const char *, const char *,
		    const char *);
ldns_pkt_rcode	 rcode(const struct dv_reply *);
bool		 answered(const struct dv_reply *);
/*
 * Whether the public view could not answer: anything but an answer (a
 * resolver's REFUSED is its refusal to answer us, not a fact of the zone)
 * and a name that is no name.
 */
bool		 public_unknown(enum dv_status);
enum deleg	 audit_delegation(struct audit *);

/* keyaudit_probe.c */
void		 probes_collect(struct audit *);
void		 audit_mode(struct audit *, enum deleg);
void		 probes_run(struct audit *);
void		 probe_free(struct probe *, size_t nns);
const char	*keyname_domain(const char *name, size_t *sellen);
/* The first configured server that could not be asked about p, or -1. */
int		 probe_unknown(const struct audit *, const struct probe *);

/* keyaudit_records.c */
void		 audit_serial(struct audit *);
void		 audit_records(struct audit *, const struct probe *);
void		 audit_consistency(struct audit *, const struct probe *);
void		 audit_key(struct audit *, const struct probe *, bool current);
void		 audit_cname(struct audit *, const struct probe *);
void		 audit_private(struct audit *);

/* keyaudit_rotation.c */
const struct probe *current_probe(const struct audit *);
void		 audit_rotation(struct audit *);
void		 audit_signing(struct audit *);

#endif
