/* SPDX-License-Identifier: ISC */
/* vec: the one growable array; see vec.h. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"

bool
vec_reserve(void *vp, size_t *cap, size_t need, size_t elsize)
{
	void	*p, *np;
	size_t	 ncap;

	if (need <= *cap)
		return true;
	if (elsize == 0 || need > SIZE_MAX / elsize)
		return false;
	ncap = *cap < VEC_MIN ? VEC_MIN : *cap;
	while (ncap < need)
		ncap = ncap <= SIZE_MAX / 2 ? ncap * 2 : need;
	if (ncap > SIZE_MAX / elsize)
		ncap = need;
	/* the pointer is read and written as bytes: vp may be any T ** */
	memcpy(&p, vp, sizeof(p));
	if ((np = realloc(p, ncap * elsize)) == NULL)
		return false;
	memcpy(vp, &np, sizeof(np));
	*cap = ncap;
	return true;
}
