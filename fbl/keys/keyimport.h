/* SPDX-License-Identifier: ISC */
/*
 * keyimport: where imported keys come from, for `fblscope keys import`.
 *
 * - A master-format zone file, read by the reader keyfetch reads --zone
 *   files with (zonefile.h: $ORIGIN, $TTL, relative names), its TXT strings
 *   joined without separator (dns_txt_join).  Every TXT record whose owner
 *   has a "_domainkey" label is a candidate; those that hold a usable key
 *   become entries, the others are noted (FILE:LINE: OWNER: why) and counted
 *   as skipped.  A bad entry is noted (FILE:LINE: skipped: why) and reading
 *   goes on (ZONEFILE_SKIP, at most 100 of them); the file is an error only
 *   when no record at all could be read from it.
 * - A directory of private keys named SELECTOR.DOMAIN.pem (PEM, RSA or
 *   Ed25519), as `fblscope keygen --out DIR/SELECTOR.DOMAIN` writes them: the
 *   entry is the public key record keygen publishes (sign_key_record()) at
 *   SELECTOR._domainkey.DOMAIN.  The private key is read, its public half
 *   taken, and freed: nothing private is kept, noted or returned.  A file
 *   name splits at its first dot, unless the configuration's
 *   selector-pattern matches a longer run of leading labels (the ESP's
 *   dotted selectors: "nov2026.myesp.customer.example.pem" is selector
 *   nov2026.myesp with the demo configuration).  DOMAIN needs two labels.
 *   Other files are noted and ignored (not counted as skipped; keygen's
 *   SELECTOR.DOMAIN.zone beside its .pem is ignored without a note); a .pem of
 *   the right name that cannot be used is noted and counted as skipped.
 *
 * Library code: notes go to a buffer, one line each, for the command.
 */
#ifndef FBL_KEYIMPORT_H
#define FBL_KEYIMPORT_H

#include <stdbool.h>
#include <stddef.h>

#include "fbl/config.h"
#include "fbl/keys/keyarchive.h"
#include "base/buf.h"

struct key_import {
	struct key_archive_entry *v;	/* the keys found, in reading order */
	size_t		 n;
	size_t		 cap;
	struct buf	 notes;		/* "WHERE: what\n" per note */
	size_t		 skipped;	/* candidates without a usable key */
	size_t		 ignored;	/* files of a directory not taken */
};

/*
 * Read one path: a directory is a key directory, anything else a zone file.
 * False, with err naming the path (and line), when it cannot be read at
 * all; cfg (may be NULL) gives the selector-pattern.
 */
bool	 keyimport_path(struct key_import *, const char *path,
	    const struct fbl_config *cfg, struct buf *err);
bool	 keyimport_zone(struct key_import *, const char *path,
	    struct buf *err);
bool	 keyimport_keydir(struct key_import *, const char *dir,
	    const struct fbl_config *cfg, struct buf *err);
void	 keyimport_free(struct key_import *);

#endif
