/* SPDX-License-Identifier: ISC */
/*
 * keyaudit: are the ESP's DKIM nameservers serving what the practice says?
 *
 * For one domain (a customer's, or one of the ESP's feedback-loop tokens):
 * the delegation of <esp-id>._domainkey.<domain> as its parent zone serves
 * it (or the customer's CNAMEs), each delegated server answering with
 * authority, each configured server's SOA serial and key records for every
 * selector in use, the keys themselves, the private keys that should match
 * them, and rotation (the current selector of the <mon><yyyy>.<esp-id>
 * convention, old selectors past their grace period, still signing).
 *
 * The result is a list of rows, (check, subject, server) -> status, reason,
 * detail; docs/keys.md lists every check and reason.  Rows are sorted by
 * check (in enum order), subject, server (none first).  A question that
 * could not be asked or answered (a timeout, nothing listening, SERVFAIL,
 * garbage ...) makes TEMP rows, whose reason names the cause, for what
 * needed it, and never a FAIL: FAIL is for what an answer says.  The other
 * checks still run.
 */
#ifndef FBL_KEYAUDIT_H
#define FBL_KEYAUDIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/config.h"
#include "fbl/keys/dnsview.h"
#include "base/buf.h"

struct key_import;	/* keyimport.h */

#define KEYAUDIT_MONTHS_BACK	24	/* convention selectors probed */
#define KEYAUDIT_MONTHS_AHEAD	1
#define KEYAUDIT_MAX_NS		16	/* configured nameservers used */

/* In order of severity: a domain's status is its worst row's. */
enum audit_status {
	AUDIT_OK = 0,
	AUDIT_WARN,
	AUDIT_TEMP,
	AUDIT_FAIL,
};

enum audit_check {
	CHK_DELEGATION = 0,
	CHK_LAME,
	CHK_SERIAL,
	CHK_RECORD,
	CHK_CONSISTENCY,
	CHK_KEY,
	CHK_CNAME,
	CHK_PRIVATE,
	CHK_CURRENT,
	CHK_GRACE,
	CHK_SIGNING,
	CHK_COUNT,
};

enum audit_mode {
	MODE_NONE = 0,		/* neither delegated nor CNAMEd */
	MODE_DELEGATED,
	MODE_CNAME,
	MODE_ESP,		/* an ESP token: the ESP's own zone */
	MODE_UNKNOWN,		/* the public view could not tell */
};

struct audit_row {
	enum audit_check	 check;
	char			*subject;	/* zone or selector */
	char			*server;	/* host name, or NULL */
	enum audit_status	 status;
	const char		*reason;	/* static: "missing", ... */
	char			*detail;	/* one line, never NULL */
};

struct audit_domain {
	char			*domain;
	const char		*customer_id;	/* the config's, or NULL */
	bool			 esp;
	enum audit_mode		 mode;
	enum audit_status	 status;
	char			**selectors;	/* published, newest first */
	size_t			 nselectors;
	struct audit_row	*rows;
	size_t			 nrows;
	size_t			 caprows;
};

/* A selector seen signing (from the store), for the "signing" check. */
struct audit_signing {
	const char	*domain;
	const char	*selector;
	int64_t		 count;		/* signatures in the window */
	char		 last[11];	/* last day seen, YYYY-MM-DD */
};

struct audit_opts {
	const struct fbl_config	*cfg;		/* esp-id and nameserver set */
	struct dnsview		*view;
	int			 year, month, day;	/* as of */
	const struct key_import	*private_keys;	/* or NULL */
	const struct audit_signing *signing;	/* or NULL (no --db) */
	size_t			 nsigning;
};

/*
 * Audit one domain into d (zeroed by the call; free with
 * keyaudit_domain_free).  False only when out of memory.
 */
bool		 keyaudit_domain(const struct audit_opts *, const char *domain,
		    struct audit_domain *d);
void		 keyaudit_domain_free(struct audit_domain *);

const char	*audit_status_name(enum audit_status);	/* "OK", ... */
const char	*audit_check_name(enum audit_check);	/* "delegation" */
const char	*audit_mode_name(enum audit_mode);	/* "delegated" */

/* The convention selector of a month: "nov2026.myesp". */
void		 keyaudit_selector(struct buf *, const char *esp_id, int year,
		    int month);

#endif
