/* SPDX-License-Identifier: ISC */
/* date: the one calendar of fblscope; see date.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "base/date.h"

/* H. Hinnant's days_from_civil: exact for every proleptic Gregorian date. */
int64_t
date_days_from_civil(int64_t y, int m, int d)
{
	int64_t	 era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void
date_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t	 era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp + (mp < 10 ? 3 : -9));
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

int
date_days_in_month(int y, int m)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	bool	 leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (m < 1 || m > 12)
		return 0;
	return m == 2 && leap ? 29 : mdays[m - 1];
}

bool
date_valid(int y, int m, int d)
{
	return y >= DATE_MIN_YEAR && y <= DATE_MAX_YEAR && m >= 1 && m <= 12 &&
	    d >= 1 && d <= date_days_in_month(y, m);
}

/* n decimal digits at s, no sign, no space. */
static bool
digits(const char *s, size_t n, int *out)
{
	size_t	 i;
	int	 v = 0;

	for (i = 0; i < n; i++) {
		if (!isdigit((unsigned char)s[i]))
			return false;
		v = v * 10 + (s[i] - '0');
	}
	*out = v;
	return true;
}

bool
date_parse_day(const char *s, size_t len, int64_t *days, int *py, int *pm,
    int *pd)
{
	int	 y, m, d;

	if (s == NULL || len != DATE_DAY_LEN || s[4] != '-' || s[7] != '-' ||
	    !digits(s, 4, &y) || !digits(s + 5, 2, &m) ||
	    !digits(s + 8, 2, &d) || !date_valid(y, m, d))
		return false;
	if (days != NULL)
		*days = date_days_from_civil(y, m, d);
	if (py != NULL)
		*py = y;
	if (pm != NULL)
		*pm = m;
	if (pd != NULL)
		*pd = d;
	return true;
}

void
date_format_day(int64_t days, char *out)
{
	int	 y, m, d;

	date_civil_from_days(days, &y, &m, &d);
	if (y < DATE_MIN_YEAR || y > DATE_MAX_YEAR) {
		memcpy(out, "1970-01-01", DATE_DAY_LEN + 1);
		return;
	}
	(void)snprintf(out, DATE_DAY_LEN + 1, "%04d-%02d-%02d", y, m, d);
}

void
date_day_of(int64_t t, char *out)
{
	if (t < 0 || t > DATE_MAX_EPOCH)
		t = 0;
	date_format_day(t / 86400, out);
}

bool
date_day_add(const char *day, int delta, char *out)
{
	int64_t	 days;
	int	 y, m, d;

	if (day == NULL || !date_parse_day(day, strlen(day), &days, NULL,
	    NULL, NULL))
		return false;
	date_civil_from_days(days + delta, &y, &m, &d);
	if (!date_valid(y, m, d))
		return false;
	date_format_day(days + delta, out);
	return true;
}

void
date_format_time(int64_t t, char *out)
{
	int64_t	 days, s;
	int	 y, m, d;

	if (t < 0 || t > DATE_MAX_EPOCH)
		t = 0;
	days = t / 86400;
	s = t % 86400;
	date_civil_from_days(days, &y, &m, &d);
	(void)snprintf(out, 21, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, d,
	    (int)(s / 3600), (int)(s / 60 % 60), (int)(s % 60));
}

/* --- the time parser --- */

static bool
valid_ymdhms(int y, int mo, int d, int h, int mi, int s)
{
	return date_valid(y, mo, d) && h >= 0 && h <= 23 && mi >= 0 &&
	    mi <= 59 && s >= 0 && s <= 60;
}

/* RFC 5322 section 4.3 obs-zone: UT, the US zones, military letters. */
static bool
obsolete_zone(const char *p, int64_t *off)
{
	static const struct {
		const char	*name;
		int		 hours;
	} zones[] = {
		{ "UT", 0 }, { "EST", -5 }, { "EDT", -4 }, { "CST", -6 },
		{ "CDT", -5 }, { "MST", -7 }, { "MDT", -6 }, { "PST", -8 },
		{ "PDT", -7 },
	};
	size_t	 i;

	for (i = 0; i < sizeof(zones) / sizeof(zones[0]); i++)
		if (strcasecmp(p, zones[i].name) == 0) {
			*off = zones[i].hours * 3600;
			return true;
		}
	/* military zones "SHOULD all be considered equivalent to -0000" */
	if (isalpha((unsigned char)p[0]) && p[1] == '\0' &&
	    p[0] != 'j' && p[0] != 'J') {
		*off = 0;
		return true;
	}
	return false;
}

static bool
parse_offset(const char *p, int64_t *off)
{
	int	 hh, mm, n = 0;

	if (*p == '\0' || strcmp(p, "Z") == 0 || strcmp(p, "z") == 0 ||
	    strcasecmp(p, "UTC") == 0 || strcasecmp(p, "GMT") == 0) {
		*off = 0;
		return true;
	}
	if ((*p == '+' || *p == '-') &&
	    (sscanf(p + 1, "%2d:%2d%n", &hh, &mm, &n) == 2 ||
	    sscanf(p + 1, "%2d%2d%n", &hh, &mm, &n) == 2) &&
	    p[1 + n] == '\0' && hh <= 23 && mm <= 59) {
		*off = (hh * 3600 + mm * 60) * (*p == '-' ? -1 : 1);
		return true;
	}
	return false;
}

static bool
parse_iso(const char *s, int64_t *out)
{
	int	 y, mo, d, h = 0, mi = 0, sec = 0, n = 0;
	int64_t	 off;

	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3)
		return false;
	s += n;
	if (*s == 'T' || *s == ' ') {
		n = 0;
		if (sscanf(s + 1, "%2d:%2d%n", &h, &mi, &n) != 2)
			return false;
		s += 1 + n;
		if (*s == ':') {
			n = 0;
			if (sscanf(s + 1, "%2d%n", &sec, &n) != 1)
				return false;
			s += 1 + n;
			/* fractions of a second (SES writes .000Z) are dropped */
			if (*s == '.' && isdigit((unsigned char)s[1]))
				for (s++; isdigit((unsigned char)*s); s++)
					;
		}
	}
	if (!valid_ymdhms(y, mo, d, h, mi, sec) || !parse_offset(s, &off))
		return false;
	*out = date_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 +
	    sec - off;
	return true;
}

/* RFC 5322 date-time: [day ","] d mon yyyy hh:mm[:ss] zone */
static bool
parse_rfc5322(const char *s, int64_t *out)
{
	static const char *const mons[] = { "jan", "feb", "mar", "apr",
	    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	char	 mon[4], zone[8];
	int	 d, y, h, mi, sec = 0, m;
	int64_t	 off;
	const char *comma = strchr(s, ',');

	if (comma != NULL)
		s = comma + 1;
	if (sscanf(s, "%d %3s %d %d:%d:%d %7s", &d, mon, &y, &h, &mi, &sec,
	    zone) != 7) {
		sec = 0;
		if (sscanf(s, "%d %3s %d %d:%d %7s", &d, mon, &y, &h, &mi,
		    zone) != 6)
			return false;
	}
	/* obs-year (section 4.3): two digits from 1950, three from 1900 */
	if (y >= 0 && y < 50)
		y += 2000;
	else if (y >= 50 && y < 1000)
		y += 1900;
	for (m = 0; m < 12; m++)
		if (strcasecmp(mon, mons[m]) == 0)
			break;
	if (m == 12 || !valid_ymdhms(y, m + 1, d, h, mi, sec) ||
	    (!parse_offset(zone, &off) && !obsolete_zone(zone, &off)))
		return false;
	*out = date_days_from_civil(y, m + 1, d) * 86400 + h * 3600 +
	    mi * 60 + sec - off;
	return true;
}

/* Only digits, at most DATE_MAX_EPOCH. */
static bool
parse_epoch(const char *s, int64_t *out)
{
	int64_t	 v = 0;

	if (!isdigit((unsigned char)*s))
		return false;
	for (; *s != '\0'; s++) {
		if (!isdigit((unsigned char)*s))
			return false;
		v = v * 10 + (*s - '0');
		if (v > DATE_MAX_EPOCH)
			return false;
	}
	*out = v;
	return true;
}

bool
date_parse_time(const char *s, int64_t *out)
{
	if (s == NULL)
		return false;
	return parse_epoch(s, out) || parse_iso(s, out) ||
	    parse_rfc5322(s, out);
}
