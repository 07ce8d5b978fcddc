/* SPDX-License-Identifier: ISC */
/*
 * imap_local: what the two files of the IMAP source share: imap.c (the
 * protocol through libcurl) and imap_url.c (what an IMAP source spec is:
 * its URL, split and checked, and its folder names).  Not for use outside
 * fbl/source/.
 */
#ifndef FBL_SOURCE_IMAP_LOCAL_H
#define FBL_SOURCE_IMAP_LOCAL_H

#include <stdbool.h>

#include "base/buf.h"

#define IMAP_MAX_FOLDER	200	/* bytes of a folder name */

/* The parts of the URL (libcurl's CURLU), each freed with curl_free. */
struct url_parts {
	char	*scheme, *user, *password, *host, *port, *path, *rawpath;
	char	*query, *fragment, *options;
};

/* Split spec; false with err when it is not what is taken. */
bool	 imap_url_split(const char *spec, struct url_parts *, struct buf *err);
void	 imap_url_free(struct url_parts *);
/*
 * Folder names are sent quoted, and read back in replies parsed as words:
 * printable ASCII without quotes, backslashes, parentheses, wildcards or
 * '&' (the start of modified UTF-7).
 */
bool	 imap_folder_ok(const char *);

#endif
