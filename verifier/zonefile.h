/* SPDX-License-Identifier: ISC */
/*
 * zonefile: the one reader of master-format zone files (RFC 1035 section
 * 5), for `--zone` (keyfetch) and `keys import` (keyimport).
 *
 * ldns parses the file record by record ($ORIGIN, $TTL, relative names,
 * parentheses, comments); the reader hands each record to the caller with
 * the file and line it came from.  Rather than ldns_zone_new_frm_fp_l(),
 * which leaks the records read so far when a later line is bad.
 *
 * What a bad entry (one ldns refuses) does is the caller's explicit choice:
 * - ZONEFILE_STOP: the read ends there and fails, err "FILE:LINE: why";
 * - ZONEFILE_SKIP: the caller's bad() hears of it ("why" in ldns' words)
 *   and reading goes on.  It ends, without failing, after max_bad bad
 *   entries, or at a bad entry that consumed nothing (it would only come
 *   back).
 * Either way a file that cannot be opened or read, or a memory error, fails
 * the read ("FILE: why", "FILE:LINE: why").
 *
 * Lines are those ldns counts: the line an entry ends on (ldns reads the
 * blank lines after a record with it); a last line without its newline
 * counts as a line.
 */
#ifndef FBL_ZONEFILE_H
#define FBL_ZONEFILE_H

#include <stdbool.h>
#include <stddef.h>

#include <ldns/ldns.h>

#include "base/buf.h"

enum zonefile_policy {
	ZONEFILE_STOP,		/* the first bad entry fails the read */
	ZONEFILE_SKIP,		/* bad entries go to bad(), reading goes on */
};

struct zonefile_reader {
	enum zonefile_policy	 policy;
	size_t			 max_bad;	/* SKIP: end after this many */
	/*
	 * A record read, now the callee's (to keep or ldns_rr_free).  False
	 * ends the read, failed, with the reason in err.
	 */
	bool			(*rr)(void *arg, const char *path, int line,
				    ldns_rr *rr, struct buf *err);
	/* SKIP: a bad entry; may be NULL */
	void			(*bad)(void *arg, const char *path, int line,
				    const char *why);
	void			*arg;
};

/*
 * Read path with zr.  True when it was read to its end (or, under
 * ZONEFILE_SKIP, to where bad entries ended it); false with the reason in
 * err.  *nrr (may be NULL) is the number of records handed to rr.
 */
bool	 zonefile_read(const char *path, const struct zonefile_reader *zr,
	    size_t *nrr, struct buf *err);

#endif
