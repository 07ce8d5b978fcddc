/* SPDX-License-Identifier: ISC */
/*
 * vec: the one growable array.  Any T *v with a size_t cap beside it:
 *
 *	if (!vec_reserve(&v, &cap, n + 1, sizeof(*v)))
 *		return nomem;
 *	v[n++] = x;
 *
 * vec_reserve() makes room for need elements, doubling (from VEC_MIN) so
 * that n appends cost O(n), and refuses a byte count that would overflow
 * size_t.  On failure *v and *cap are unchanged and still valid.
 */
#ifndef FBL_BASE_VEC_H
#define FBL_BASE_VEC_H

#include <stdbool.h>
#include <stddef.h>

#define VEC_MIN	16

/* vp: the address of the array pointer (a T **). */
bool	 vec_reserve(void *vp, size_t *cap, size_t need, size_t elsize);

#endif
