/* SPDX-License-Identifier: ISC */
/*
 * unit.h: the unit-test protocol shared by every tests/unit/test_*.c.
 *
 * Each check prints one line: "ok NAME" or "not ok NAME: what differed".
 * tests/run.sh counts those lines from every test program (and from the
 * integration scripts, which print the same form), and ends the run with
 * "N passed, N failed, N skipped".  A program exits non-zero when any check
 * failed.
 */
#ifndef FBL_UNIT_H
#define FBL_UNIT_H

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

/*
 * One pair of counters per program, so that the checks of a test split over
 * several files all count toward its exit status: its main file defines
 * them, every other part defines UNIT_PART before including this.
 */
extern int unit_failed;
extern int unit_passed;
#ifndef UNIT_PART
int unit_failed;
int unit_passed;
#endif

#define UNIT_REPORT(ok, name, ...) do {					\
	if (ok) {							\
		unit_passed++;						\
		printf("ok %s\n", (name));				\
	} else {							\
		unit_failed++;						\
		printf("not ok %s: ", (name));				\
		printf(__VA_ARGS__);					\
		printf("\n");						\
	}								\
} while (0)

/* Integer equality. */
#define CHECK_INT(name, got, want) do {					\
	intmax_t g_ = (intmax_t)(got), w_ = (intmax_t)(want);		\
	UNIT_REPORT(g_ == w_, name, "got %jd, want %jd (%s:%d)",	\
	    g_, w_, __FILE__, __LINE__);				\
} while (0)

/* NUL-terminated string equality; NULL is shown as (null). */
#define CHECK_STR(name, got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int same_ = (g_ == NULL || w_ == NULL) ? g_ == w_ :		\
	    strcmp(g_, w_) == 0;					\
	UNIT_REPORT(same_, name, "got \"%s\", want \"%s\" (%s:%d)",	\
	    g_ ? g_ : "(null)", w_ ? w_ : "(null)", __FILE__, __LINE__);\
} while (0)

/* Byte-string equality with explicit lengths. */
#define CHECK_MEM(name, got, got_len, want, want_len) do {		\
	size_t gl_ = (got_len), wl_ = (want_len);			\
	UNIT_REPORT(gl_ == wl_ && memcmp((got), (want), gl_) == 0, name,\
	    "bytes differ: got %zu bytes, want %zu (%s:%d)", gl_, wl_,	\
	    __FILE__, __LINE__);					\
} while (0)

#define CHECK_TRUE(name, cond) \
	UNIT_REPORT((cond), name, "condition false: %s (%s:%d)", #cond,	\
	    __FILE__, __LINE__)

#define UNIT_DONE() (unit_failed ? 1 : 0)

#endif
