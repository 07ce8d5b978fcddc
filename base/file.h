/* SPDX-License-Identifier: ISC */
/*
 * file: whole files in and out, with the bounds and the atomicity every
 * caller wants.
 *
 * file_read() reads a file ("-": standard input) whole, refusing more than
 * max bytes before reading them when the size is known; errors name the
 * file.  The buffer may be reused across calls: it is reset, not freed.
 *
 * file_write() writes data to a temporary file beside path (mkstemp: a
 * fresh name, never one an attacker planted), gives it mode, syncs it, and
 * then puts it at path in one step: rename(2) when FILE_REPLACE allows an
 * existing file to be replaced, link(2) otherwise, which fails with
 * "exists" rather than replace anything.  Neither follows a symbolic link
 * at path.  On any failure path is untouched and the temporary file gone.
 */
#ifndef FBL_BASE_FILE_H
#define FBL_BASE_FILE_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define FILE_REPLACE	0x01	/* an existing path may be replaced */

bool	 file_read(const char *path, size_t max, struct buf *out,
	    struct buf *err);
bool	 file_write(const char *path, const void *data, size_t len,
	    mode_t mode, unsigned flags, struct buf *err);

#endif
