/*
 * volume: sending volumes from CSV into the volume table (sql/001_init.sql),
 * the denominators of the report's complaint rates.
 *
 * The CSV (RFC 4180 without quoting: no field needs it) has a header line
 * "day,token,isp,sent" or "day,token,isp,sent,delivered", then one row per
 * UTC day, token (a d= domain or a customer id) and ISP (a reporter name as
 * fblscope stores it: yahoo, microsoft, ...; "*" for all ISPs together).
 * sent and delivered are decimal counts; delivered may be empty (unknown)
 * and may not exceed sent.  Domains are compared in lower case without a
 * trailing dot; a token without a dot is a customer id, kept as written.
 * Blank lines are skipped; CR LF line ends are accepted.
 *
 * Parsing checks every row and keeps the first VOLUME_MAX_ERRORS problems,
 * each "FILE:LINE: problem"; any problem means nothing may be stored.
 */
#ifndef FBL_VOLUME_H
#define FBL_VOLUME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/store/store.h"
#include "base/buf.h"

#define VOLUME_MAX_ERRORS	20
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
