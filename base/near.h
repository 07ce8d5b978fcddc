/* SPDX-License-Identifier: ISC */
/*
 * near: how close a name someone typed is to the names that exist, for an
 * error that says "did you mean ...".  Bytes are compared as they are (no
 * case folding, no locale).  Names longer than NEAR_MAX_LEN bytes are
 * never close: the work stays bounded whatever the input.
 */
#ifndef FBL_NEAR_H
#define FBL_NEAR_H

#include <stdbool.h>
#include <stddef.h>

#define NEAR_MAX_LEN	64

/*
 * The edit distance (insertions, deletions, substitutions of one byte)
 * between a and b, or NEAR_MAX_LEN + 1 when either is longer than
 * NEAR_MAX_LEN.
 */
size_t	 near_distance(const char *a, const char *b);

/*
 * Is name close to typed: typed is a prefix of name, or the two are at
 * most 1 edit apart (2 when typed has 4 bytes or more)?  *rank orders the
 * close names: 0 for a prefix, else the distance.
 */
bool	 near_close(const char *typed, const char *name, size_t *rank);

#endif
