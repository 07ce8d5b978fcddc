/* SPDX-License-Identifier: ISC */
/*
 * keyaudit_store: the key audit's side of PostgreSQL (sql/009_key_audit.sql).
 *
 * Before a run: the selectors each token signed with in the complaints of
 * the last rotation-grace-days days (daily_key), for the "signing" check.
 * After it: every row of every domain in one transaction (key_audit_run,
 * key_audit_check), then fbl_key_audit_close() brings the open problems
 * (key_audit_problem) up to date.  Values travel as one JSON parameter
 * (json_to_recordset), never as SQL text.
 */
#ifndef FBL_KEYAUDIT_STORE_H
#define FBL_KEYAUDIT_STORE_H

#include <stdbool.h>
#include <stddef.h>

#include "fbl/config.h"
#include "fbl/keys/keyaudit.h"
#include "base/buf.h"

struct keyaudit_db;

/* Connect and read the signing selectors as of date (YYYY-MM-DD). */
struct keyaudit_db *keyaudit_db_open(const char *conninfo,
		    const struct fbl_config *, const char *date,
		    struct buf *err);
void		 keyaudit_db_close(struct keyaudit_db *);
/* The selectors read at open; valid until close. */
void		 keyaudit_db_signing(struct keyaudit_db *,
		    const struct audit_signing **, size_t *n);
/* Store a run of n domains, all or nothing. */
bool		 keyaudit_db_store(struct keyaudit_db *,
		    const struct audit_domain *, size_t n, struct buf *err);

#endif
