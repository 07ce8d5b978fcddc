/* cli: shared option handling for the commands; see cli.h. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "verifier/cli.h"

bool
cli_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char		*end;
	unsigned long	 v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool
add_list(const char **list, size_t *n, const char *arg, const char *what,
    struct buf *err)
{
	if (*n == CLI_MAX_LIST) {
		buf_printf(err, "too many %s options (at most %d)", what,
		    CLI_MAX_LIST);
		return false;
	}
	list[(*n)++] = arg;
	return true;
}

void
cli_keys_init(struct cli_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->retries = -1;
}

bool
cli_keys_option(struct cli_keys *k, int opt, const char *arg, struct buf *err)
{
	unsigned long	 v;

	switch (opt) {
	case CLI_OPT_RESOLVER:
		return add_list(k->resolvers, &k->nresolvers, arg,
		    "--resolver", err);
	case CLI_OPT_ZONE:
		return add_list(k->zones, &k->nzones, arg, "--zone", err);
	case CLI_OPT_TIMEOUT:
		if (!cli_parse_uint(arg, 1, 600000, &v)) {
			buf_printf(err, "--timeout %s: want milliseconds, "
			    "1 to 600000", arg);
			return false;
		}
		k->timeout_ms = (unsigned)v;
		return true;
	case CLI_OPT_RETRIES:
		if (!cli_parse_uint(arg, 0, 10, &v)) {
			buf_printf(err, "--retries %s: want 0 to 10", arg);
			return false;
		}
		k->retries = (int)v;
		return true;
	}
	return true;
}

struct key_source *
cli_keys_open(const struct cli_keys *k, struct buf *err)
{
	struct key_source_opts o;

	memset(&o, 0, sizeof(o));
	o.resolvers = k->resolvers;
	o.nresolvers = k->nresolvers;
	o.zones = k->zones;
	o.nzones = k->nzones;
	o.timeout_ms = k->timeout_ms;
	o.retries = k->retries;
	return key_source_new(&o, err);
}

/* days since 1970-01-01 of a proleptic Gregorian date */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t		 era;
	unsigned	 yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int
days_in_month(int y, int mo)
{
	static const int mdays[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31,
	    30, 31 };
	bool	 leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	return mo == 2 && leap ? 29 : mdays[mo - 1];
}

static bool
valid_ymdhms(int y, int mo, int d, int h, int mi, int s)
{
	return y >= 1970 && y <= 9999 && mo >= 1 && mo <= 12 && d >= 1 &&
	    d <= days_in_month(y, mo) && h >= 0 && h <= 23 && mi >= 0 &&
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
	*out = days_from_civil(y, (unsigned)mo, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec - off;
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
	*out = days_from_civil(y, (unsigned)m + 1, (unsigned)d) * 86400 +
	    h * 3600 + mi * 60 + sec - off;
	return true;
}

bool
cli_parse_time(const char *s, int64_t *out)
{
	unsigned long	 v;

	if (cli_parse_uint(s, 0, 253402300799UL, &v)) {
		*out = (int64_t)v;
		return true;
	}
	return parse_iso(s, out) || parse_rfc5322(s, out);
}

/* Read all of fd (a pipe, or a file whose size fstat gave as hint). */
static bool
read_fd(int fd, const char *path, size_t hint, size_t max, struct buf *out,
    struct buf *err)
{
	ssize_t	 n;
	size_t	 want;

	for (;;) {
		want = out->len < hint ? hint - out->len + 1 : 65536;
		if (!buf_reserve(out, want)) {
			buf_printf(err, "%s: out of memory", path);
			return false;
		}
		n = read(fd, out->data + out->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_printf(err, "%s: read error: %s", path,
			    strerror(errno));
			return false;
		}
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (out->len > max) {
			buf_printf(err, "%s: larger than %zu bytes", path, max);
			return false;
		}
		/* a regular file is done at its size: no extra read for EOF */
		if (n == 0 || (hint > 0 && out->len == hint))
			return true;
	}
}

/*
 * The buffer is reused from message to message by the callers (no realloc
 * and no fresh pages per message), and a regular file is read in one call
 * sized by fstat.
 */
bool
cli_read_file(const char *path, size_t max, struct buf *out, struct buf *err)
{
	struct stat	 st;
	int		 fd;
	bool		 ok;

	buf_reset(out);
	if (strcmp(path, "-") == 0)
		return read_fd(STDIN_FILENO, "standard input", 0, max, out, err);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		buf_printf(err, "%s: %s", path, S_ISDIR(st.st_mode) ?
		    "is a directory" : strerror(errno));
		close(fd);
		return false;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		buf_printf(err, "%s: larger than %zu bytes", path, max);
		close(fd);
		return false;
	}
	ok = read_fd(fd, path, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
	    max, out, err);
	close(fd);
	return ok;
}
