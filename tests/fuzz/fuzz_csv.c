/* SPDX-License-Identifier: ISC */
/*
 * fuzz_csv: csv_next() (base/csv.h, what `volume import` reads with) on
 * hostile bytes.  Every record keeps the limits, every field lies inside
 * the record's text, lines only grow, and each call moves on, so the
 * reader always reaches the end.
 *
 * FUZZ_MAX_LEN: 16384
 * FUZZ_DICT: "day,token,isp,sent,delivered\x0a"
 * FUZZ_DICT: "\"\""
 * FUZZ_DICT: "\",\""
 * FUZZ_DICT: "\x0d\x0a"
 * FUZZ_DICT: "2026-11-01"
 * FUZZ_DICT: "customer.example"
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "base/csv.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_csv: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

static void
records(const char *data, size_t len)
{
	struct csv	 c;
	struct buf	 err = BUF_INIT;
	const char	*f;
	size_t		 i, n, total, calls = 0;
	unsigned long	 last = 0;
	int		 rc;

	if (!csv_init(&c, data, len, 64, 8))
		return;
	while ((rc = csv_next(&c, &err)) != 0) {
		REQUIRE(++calls <= len + 1);	/* each call consumes bytes */
		REQUIRE(csv_line(&c) >= last && csv_line(&c) >= 1);
		last = csv_line(&c);
		if (rc < 0) {
			REQUIRE(err.len > 0 && csv_nfields(&c) == 0);
			buf_reset(&err);
			continue;
		}
		REQUIRE(csv_nfields(&c) >= 1 && csv_nfields(&c) <= 8);
		for (i = 0, total = 0; i < csv_nfields(&c); i++) {
			f = csv_field(&c, i, &n);
			REQUIRE(f[n] == '\0');
			total += n;
		}
		REQUIRE(total <= 64);
	}
	csv_free(&c);
	buf_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	records((const char *)data, len);
	return 0;
}
