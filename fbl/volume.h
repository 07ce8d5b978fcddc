/* SPDX-License-Identifier: ISC */
/*
 * volume: sending volumes from CSV into the volume table (sql/001_init.sql),
 * the denominators of the report's complaint rates.
 *
 * The CSV is RFC 4180 (base/csv.h: quoted fields with commas, doubled
 * quotes and line ends inside, LF or CR LF).  Its first record names the
 * columns, in any order, any case: day, token, isp and sent, and optionally
 * delivered; another name, a name twice or a missing one is a problem.
 * Then one row per UTC day, token (a d= domain or a customer id) and ISP (a
 * reporter name as fblscope stores it: yahoo, microsoft, ...; "*" for all
 * ISPs together).  sent and delivered are decimal counts; delivered may be
 * empty (unknown) and may not exceed sent.  Domains are compared in lower
 * case without a trailing dot; a token without a dot is a customer id, kept
 * as written.  Blank lines are skipped.
 *
 * Limits (docs/security.md): VOLUME_MAX_LINE bytes a record,
 * VOLUME_MAX_FIELDS fields a record, VOLUME_MAX_ROWS rows a file; a file
 * over the rows limit is not read further.
 *
 * Parsing checks every row and keeps the first VOLUME_MAX_ERRORS problems,
 * each "FILE:LINE: problem"; any problem means nothing may be stored.
 * volume_check_names() then looks up every ISP and token.
 */
#ifndef FBL_VOLUME_H
#define FBL_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/config.h"
#include "fbl/store/store.h"
#include "base/buf.h"

#define VOLUME_MAX_ERRORS	20	/* problems (and warnings) shown */
#define VOLUME_MAX_LINE		4096	/* bytes a record, line end aside */
#define VOLUME_MAX_FIELDS	16	/* fields a record */
#define VOLUME_MAX_ROWS		1000000	/* rows a file */
#define VOLUME_TOKEN_MAX	253
#define VOLUME_MAX_COUNT	999999999999999LL	/* 15 digits */

struct volume_row {
	char		 day[11];	/* YYYY-MM-DD */
	char		*token;
	char		*isp;
	int64_t		 sent;
	int64_t		 delivered;	/* -1: unknown */
	const char	*file;		/* as given to volume_parse */
	unsigned	 line;
};

struct volume_set {
	struct volume_row	*v;
	size_t			 n;
	size_t			 cap;
	unsigned		 nerrors;
	unsigned		 nwarnings;
};

void	 volume_set_free(struct volume_set *);

/*
 * Parse one CSV file's bytes, appending its rows to set.  Problems are
 * appended to err, one line each (at most VOLUME_MAX_ERRORS over all
 * files), and counted in set->nerrors.  false on a problem or out of
 * memory.
 */
bool	 volume_parse(struct volume_set *, const char *file, const char *data,
	    size_t len, struct buf *err);

/*
 * Every row's ISP must be "*" or a reporter fblscope knows
 * (reporter_is_known()), and, with a configuration, every token a customer
 * id, a customer domain or an ESP domain of it (classify.h).  Each unknown
 * name is a problem, like a parse error ("FILE:LINE: ..."), or, with
 * allow_unknown, a warning ("FILE:LINE: warning: ..."), counted in
 * set->nwarnings, VOLUME_MAX_ERRORS of them shown.  cfg NULL: tokens are not
 * checked.  false on a problem.
 */
bool	 volume_check_names(struct volume_set *, const struct fbl_config *,
	    bool allow_unknown, struct buf *err);

/*
 * Rows named twice (same day, token and ISP, in any file) are a problem:
 * reported like parse errors.  Sorts the set.
 */
bool	 volume_check_duplicates(struct volume_set *, struct buf *err);

/*
 * Upsert every row into the volume table in one transaction (ON CONFLICT
 * (day, token, reporter) DO UPDATE); on any failure nothing is stored.
 */
bool	 volume_store(struct store *, const struct volume_set *,
	    struct buf *err);

#endif
