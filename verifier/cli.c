/* SPDX-License-Identifier: ISC */
/* cli: shared option handling for the commands; see cli.h. */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
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

/*
 * For the commands only: library code never prints.  One line: a usage
 * error is read in a terminal or a cron mail, where pages of help would
 * bury it; --help is one command away.
 */
int
cli_usage_error(const char *cmd, const char *usage, const char *msg)
{
	if (usage != NULL)
		fprintf(stderr, "fblscope %s: %s (see fblscope %s --help)\n",
		    cmd, msg, cmd);
	else
		fprintf(stderr, "fblscope %s: %s\n", cmd, msg);
	return 2;
}

int
cli_usage_fail(const char *cmd, const char *usage, struct buf *err)
{
	int	 st;

	st = cli_usage_error(cmd, usage, buf_cstr(err));
	buf_free(err);
	return st;
}

/* What cli_getopt refused last, for the usage error. */
static char	 bad_option[160];

static const struct option *
find_long(const struct option *lo, const char *name, size_t len,
    size_t *nprefix)
{
	const struct option	*hit = NULL;

	*nprefix = 0;
	for (; lo->name != NULL; lo++) {
		if (strncmp(lo->name, name, len) != 0)
			continue;
		if (lo->name[len] == '\0')
			return lo;
		/* an alias of an option already counted is no ambiguity */
		if (hit == NULL || hit->val != lo->val)
			(*nprefix)++;
		hit = lo;
	}
	return *nprefix == 1 ? hit : NULL;
}

/*
 * Why getopt_long returned '?'.  It leaves optind past a long option it
 * refused; a short one is in optopt.
 */
static void
note_bad_option(char **argv, const struct option *lo)
{
	const struct option	*o;
	const char		*arg = optind > 0 ? argv[optind - 1] : NULL;
	size_t			 len, nprefix;

	if (arg == NULL || strncmp(arg, "--", 2) != 0 ||
	    (optopt != 0 && optopt < 256 && optopt != 'h')) {
		snprintf(bad_option, sizeof(bad_option),
		    "unrecognized option \"-%c\"", isprint(optopt) ? optopt :
		    '?');
		return;
	}
	len = strcspn(arg + 2, "=");
	o = find_long(lo, arg + 2, len, &nprefix);
	if (o == NULL && nprefix > 1)
		snprintf(bad_option, sizeof(bad_option),
		    "ambiguous option \"--%.*s\"", (int)(len > 64 ? 64 : len),
		    arg + 2);
	else if (o == NULL)
		snprintf(bad_option, sizeof(bad_option),
		    "unrecognized option \"--%.*s\"",
		    (int)(len > 64 ? 64 : len), arg + 2);
	else if (o->has_arg == no_argument)
		snprintf(bad_option, sizeof(bad_option),
		    "option \"--%s\" takes no value", o->name);
	else
		snprintf(bad_option, sizeof(bad_option),
		    "option \"--%s\" needs a value", o->name);
}

int
cli_getopt(int argc, char **argv, const struct option *longopts)
{
	int	 ch;

	opterr = 0;
	bad_option[0] = '\0';
	if ((ch = getopt_long(argc, argv, "h", longopts, NULL)) == '?')
		note_bad_option(argv, longopts);
	return ch;
}

const char *
cli_bad_option(void)
{
	return bad_option[0] != '\0' ? bad_option : "unknown option";
}

bool
cli_jobs_option(const char *arg, unsigned *jobs, struct buf *err)
{
	unsigned long	 v;

	if (!cli_parse_uint(arg, 1, CLI_MAX_JOBS, &v)) {
		buf_printf(err, "--jobs: want 1 to %d", CLI_MAX_JOBS);
		return false;
	}
	*jobs = (unsigned)v;
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
		if (!cli_parse_uint(arg, 1, CLI_MAX_TIMEOUT_MS, &v)) {
			buf_printf(err, "--timeout %s: want milliseconds, "
			    "1 to %d", arg, CLI_MAX_TIMEOUT_MS);
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
	case CLI_OPT_DNS_BUDGET:
		if (!cli_parse_uint(arg, 1, 600000, &v)) {
			buf_printf(err, "--dns-budget %s: want milliseconds, "
			    "1 to 600000", arg);
			return false;
		}
		k->dns_budget_ms = (unsigned)v;
		return true;
	case CLI_OPT_DNS_RUN_BUDGET:
		if (!cli_parse_uint(arg, 1, 86400, &v)) {
			buf_printf(err, "--dns-run-budget %s: want seconds, "
			    "1 to 86400", arg);
			return false;
		}
		k->run_budget_ms = (unsigned)v * 1000;
		return true;
	}
	return true;
}

bool
cli_shared_option(struct cli_keys *k, int64_t *now, int opt, const char *arg,
    struct buf *err)
{
	if (opt == '?') {
		buf_puts(err, cli_bad_option());
		return false;
	}
	if (opt == CLI_OPT_AT && now != NULL) {
		if (date_parse_time(arg, now))
			return true;
		buf_puts(err, "--at: unrecognised time");
		return false;
	}
	return cli_keys_option(k, opt, arg, err);
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
	o.run_budget_ms = k->run_budget_ms;
	return key_source_new(&o, err);
}

