/* SPDX-License-Identifier: ISC */
/* near: edit distance between short names; see near.h. */
#include <string.h>

#include "base/near.h"

size_t
near_distance(const char *a, const char *b)
{
	size_t	 row[NEAR_MAX_LEN + 1];
	size_t	 la = strlen(a), lb = strlen(b), i, j, diag, up, best;

	if (la > NEAR_MAX_LEN || lb > NEAR_MAX_LEN)
		return NEAR_MAX_LEN + 1;
	/* one row of the Wagner-Fischer table, over b */
	for (j = 0; j <= lb; j++)
		row[j] = j;
	for (i = 1; i <= la; i++) {
		diag = row[0];
		row[0] = i;
		for (j = 1; j <= lb; j++) {
			up = row[j];
			best = diag + (a[i - 1] != b[j - 1]);
			if (up + 1 < best)
				best = up + 1;
			if (row[j - 1] + 1 < best)
				best = row[j - 1] + 1;
			row[j] = best;
			diag = up;
		}
	}
	return row[lb];
}

bool
near_close(const char *typed, const char *name, size_t *rank)
{
	size_t	 n = strlen(typed), d;

	if (n > 0 && strncmp(typed, name, n) == 0 && name[n] != '\0') {
		*rank = 0;
		return true;
	}
	d = near_distance(typed, name);
	*rank = d;
	return d > 0 && d <= (n >= 4 ? 2u : 1u);
}
