/* SPDX-License-Identifier: ISC */
/*
 * base_alone: linked by the Makefile with base/'s objects and libcrypto
 * only, so that the build fails when base/ comes to depend on anything
 * else.  It runs nothing.
 */
#include "base/date.h"

int
main(void)
{
	return date_valid(2026, 2, 31) ? 1 : 0;
}
