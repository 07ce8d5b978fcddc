/* SPDX-License-Identifier: ISC */
/*
 * test_vec: base/vec's growable array: growth by doubling from VEC_MIN,
 * the overflow refusal, and nothing changed on failure.
 */
#include <stdint.h>
#include <stdlib.h>

#include "base/vec.h"
#include "tests/unit/unit.h"

int
main(void)
{
	int	*v = NULL, *keep;
	size_t	 cap = 0, i;
	bool	 ok = true;

	CHECK_TRUE("vec/first", vec_reserve(&v, &cap, 1, sizeof(*v)));
	CHECK_INT("vec/first-cap", cap, VEC_MIN);
	for (i = 0; i < 1000 && ok; i++) {
		ok = vec_reserve(&v, &cap, i + 1, sizeof(*v));
		if (ok)
			v[i] = (int)i;
	}
	CHECK_TRUE("vec/thousand", ok && v[999] == 999 && v[0] == 0);
	CHECK_INT("vec/thousand-cap", cap, 1024);
	CHECK_TRUE("vec/enough-already", vec_reserve(&v, &cap, 1000,
	    sizeof(*v)) && cap == 1024);
	/* a byte count past SIZE_MAX: refused, v and cap as they were */
	keep = v;
	CHECK_TRUE("vec/overflow", !vec_reserve(&v, &cap, SIZE_MAX / 2,
	    sizeof(*v)));
	CHECK_TRUE("vec/overflow-unchanged", v == keep && cap == 1024 &&
	    v[999] == 999);
	CHECK_TRUE("vec/zero-size", !vec_reserve(&v, &cap, 2000, 0));
	free(v);
	return UNIT_DONE();
}
