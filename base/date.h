/* SPDX-License-Identifier: ISC */
/*
 * date: the one calendar of fblscope.  Days are counted from 1970-01-01 in
 * the proleptic Gregorian calendar (UTC); times are seconds since the epoch.
 * One parser for every time a user or a message writes, one validator for
 * YYYY-MM-DD, one civil-day arithmetic: a date that does not exist
 * (2026-02-31) is refused everywhere, not by some commands only.
 *
 * Years run from 1970 to 9999: what a message can carry and what
 * PostgreSQL, gmtime_r and the report's formats all agree on.
 */
#ifndef FBL_BASE_DATE_H
#define FBL_BASE_DATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define DATE_MIN_YEAR	1970
#define DATE_MAX_YEAR	9999
#define DATE_MAX_EPOCH	253402300799LL	/* 9999-12-31T23:59:59Z */
#define DATE_DAY_LEN	10		/* "YYYY-MM-DD" */

/* Days since 1970-01-01 of y-m-d (any y, m 1-12, d 1-31; not checked). */
int64_t		 date_days_from_civil(int64_t y, int m, int d);
/* The civil date of a day count. */
void		 date_civil_from_days(int64_t days, int *y, int *m, int *d);
int		 date_days_in_month(int y, int m);
/* Does y-m-d exist, within DATE_MIN_YEAR..DATE_MAX_YEAR? */
bool		 date_valid(int y, int m, int d);

/*
 * Exactly "YYYY-MM-DD" (len bytes, no more), a date that exists: its day
 * count, and its parts when y, m, d are not NULL.
 */
bool		 date_parse_day(const char *s, size_t len, int64_t *days,
		    int *y, int *m, int *d);
/* "YYYY-MM-DD" of a day count; out holds DATE_DAY_LEN + 1 bytes. */
void		 date_format_day(int64_t days, char *out);
/* The UTC day of an epoch time; out as date_format_day.  Out of range
 * (negative, past DATE_MAX_EPOCH) gives "1970-01-01". */
void		 date_day_of(int64_t t, char *out);
/* "YYYY-MM-DD" + delta days into out; false when day is not a date. */
bool		 date_day_add(const char *day, int delta, char *out);

/*
 * A time as users and messages write it, into epoch seconds:
 *   1795251600                   seconds since the epoch
 *   2026-11-21                   midnight UTC
 *   2026-11-21T08:00[:00[.fff]][Z|+hh[:]mm|-hh[:]mm|UTC|GMT]
 *   Sat, 21 Nov 2026 08:00:00 +0000   (RFC 5322, obsolete zones and
 *                                      two- and three-digit years too)
 */
bool		 date_parse_time(const char *s, int64_t *t);
/* "YYYY-MM-DDTHH:MM:SSZ" of an epoch time; out holds 21 bytes. */
void		 date_format_time(int64_t t, char *out);

#endif
