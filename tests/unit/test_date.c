/* SPDX-License-Identifier: ISC */
/*
 * test_date: base/date, the one calendar.  Expected day counts are from
 * `date -u -d YYYY-MM-DD +%s` / 86400; the rest from the Gregorian rules
 * (2000 leap, 2100 not, 2024 leap).
 */
#include <stdlib.h>

#include "base/date.h"
#include "tests/unit/unit.h"

static void
test_civil(void)
{
	int	 y, m, d;

	CHECK_INT("date/civil-epoch", date_days_from_civil(1970, 1, 1), 0);
	CHECK_INT("date/civil-2026-11-21", date_days_from_civil(2026, 11, 21),
	    20778);
	CHECK_INT("date/civil-2000-03-01", date_days_from_civil(2000, 3, 1),
	    11017);
	date_civil_from_days(20778, &y, &m, &d);
	CHECK_TRUE("date/civil-back", y == 2026 && m == 11 && d == 21);
	date_civil_from_days(11016, &y, &m, &d);
	CHECK_TRUE("date/civil-leap-day", y == 2000 && m == 2 && d == 29);
	CHECK_INT("date/month-feb-2024", date_days_in_month(2024, 2), 29);
	CHECK_INT("date/month-feb-2100", date_days_in_month(2100, 2), 28);
	CHECK_INT("date/month-feb-2000", date_days_in_month(2000, 2), 29);
	CHECK_INT("date/month-bad", date_days_in_month(2000, 13), 0);
}

static void
test_day(void)
{
	int64_t	 n = -1;
	int	 y = 0, m = 0, d = 0;
	char	 out[DATE_DAY_LEN + 1];

	CHECK_TRUE("date/day-ok", date_parse_day("2026-11-21", 10, &n, &y, &m,
	    &d) && n == 20778 && y == 2026 && m == 11 && d == 21);
	/* a date that does not exist is refused by every entry point */
	CHECK_TRUE("date/day-feb-31", !date_parse_day("2026-02-31", 10, NULL,
	    NULL, NULL, NULL));
	CHECK_TRUE("date/day-add-feb-31", !date_day_add("2026-02-31", 0, out));
	CHECK_TRUE("date/time-feb-31", !date_parse_time("2026-02-31", &n));
	CHECK_TRUE("date/day-2100-02-29", !date_parse_day("2100-02-29", 10,
	    NULL, NULL, NULL, NULL));
	CHECK_TRUE("date/day-2000-02-29", date_parse_day("2000-02-29", 10,
	    NULL, NULL, NULL, NULL));
	CHECK_TRUE("date/day-before-1970", !date_parse_day("1969-12-31", 10,
	    NULL, NULL, NULL, NULL));
	CHECK_TRUE("date/day-month-00", !date_parse_day("2026-00-10", 10, NULL,
	    NULL, NULL, NULL));
	CHECK_TRUE("date/day-short", !date_parse_day("2026-1-01", 9, NULL, NULL,
	    NULL, NULL));
	/* exactly len bytes: a longer string is not a day */
	CHECK_TRUE("date/day-long", !date_parse_day("2026-04-301", 11, NULL,
	    NULL, NULL, NULL));
	CHECK_TRUE("date/day-sign", !date_parse_day("+026-04-30", 10, NULL,
	    NULL, NULL, NULL));
	CHECK_TRUE("date/day-add-back", date_day_add("2026-03-01", -1, out));
	CHECK_STR("date/day-add-back-value", out, "2026-02-28");
	CHECK_TRUE("date/day-add-year", date_day_add("2026-12-31", 1, out));
	CHECK_STR("date/day-add-year-value", out, "2027-01-01");
	CHECK_TRUE("date/day-add-before-1970", !date_day_add("1970-01-01", -1,
	    out));
	date_day_of(1763769599, out);	/* 2025-11-21T23:59:59Z */
	CHECK_STR("date/day-of-last-second", out, "2025-11-21");
	date_day_of(-5, out);
	CHECK_STR("date/day-of-negative", out, "1970-01-01");
	date_format_day(20778, out);
	CHECK_STR("date/format-day", out, "2026-11-21");
}

static void
test_time(void)
{
	int64_t	 t = 0;
	char	 out[21];

	CHECK_TRUE("date/time-epoch", date_parse_time("1795251600", &t) &&
	    t == 1795251600);
	CHECK_TRUE("date/time-epoch-max", date_parse_time("253402300799", &t));
	CHECK_TRUE("date/time-epoch-over", !date_parse_time("253402300800",
	    &t));
	CHECK_TRUE("date/time-iso", date_parse_time("2026-11-21T08:00Z", &t) &&
	    t == 20778LL * 86400 + 8 * 3600);
	CHECK_TRUE("date/time-iso-offset", date_parse_time(
	    "2026-11-21T10:00:00+02:00", &t) && t == 20778LL * 86400 +
	    8 * 3600);
	CHECK_TRUE("date/time-rfc5322", date_parse_time(
	    "Sat, 21 Nov 2026 08:00:00 +0000", &t) && t == 20778LL * 86400 +
	    8 * 3600);
	CHECK_TRUE("date/time-rfc5322-feb-30", !date_parse_time(
	    "Mon, 30 Feb 2026 08:00:00 +0000", &t));
	CHECK_TRUE("date/time-garbage", !date_parse_time("yesterday", &t));
	CHECK_TRUE("date/time-null", !date_parse_time(NULL, &t));
	date_format_time(20778LL * 86400 + 8 * 3600 + 61, out);
	CHECK_STR("date/format-time", out, "2026-11-21T08:01:01Z");
}

int
main(void)
{
	test_civil();
	test_day();
	test_time();
	return UNIT_DONE();
}
