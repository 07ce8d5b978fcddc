/* SPDX-License-Identifier: ISC */
/*
 * cli: pieces shared by the commands: the key-source options every command
 * that verifies takes, the options several commands take with one meaning
 * (--db, --config, --at, --jobs, --help), option parsing with one message
 * per refused option, and the one-line usage error.  One option, one name,
 * one default, one range, whichever command takes it: the conventions of
 * fblscope(1) live here.  Times given on the command line (--at) are read
 * by base/date.h.
 */
#ifndef FBL_CLI_H
#define FBL_CLI_H

#include <getopt.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "base/jobs.h"
#include "verifier/dnsquery.h"
#include "verifier/keyfetch.h"

#define CLI_MAX_LIST		16		/* --resolver / --zone each */
#define CLI_MAX_MESSAGE		(64u << 20)	/* bytes per message */
#define CLI_MAX_JOBS		JOBS_MAX	/* --jobs */
#define CLI_MAX_TIMEOUT_MS	600000		/* --timeout */

/* A number macro as a string literal, for the usage texts. */
#define CLI_STR(x)	CLI_STR_(x)
#define CLI_STR_(x)	#x

struct cli_keys {
	const char	*resolvers[CLI_MAX_LIST];
	size_t		 nresolvers;
	const char	*zones[CLI_MAX_LIST];
	size_t		 nzones;
	unsigned	 timeout_ms;
	int		 retries;	/* < 0: keyfetch's default */
	unsigned	 dns_budget_ms;	/* per message; 0: the default */
	unsigned	 run_budget_ms;	/* per run; 0: the default */
};

/* getopt_long option values shared by the commands */
enum cli_opt {
	CLI_OPT_RESOLVER = 1000,
	CLI_OPT_ZONE,
	CLI_OPT_TIMEOUT,
	CLI_OPT_RETRIES,
	CLI_OPT_DNS_BUDGET,
	CLI_OPT_DNS_RUN_BUDGET,
	CLI_OPT_AT,
	CLI_OPT_DB,
	CLI_OPT_CONFIG,
	CLI_OPT_JOBS,
	CLI_OPT_FIRST_FREE,
};

/* The getopt_long entries of the shared options, for a command's table. */
#define CLI_RESOLVER_LONGOPT						\
	{ "resolver", required_argument, NULL, CLI_OPT_RESOLVER }
#define CLI_TIMEOUT_LONGOPT						\
	{ "timeout", required_argument, NULL, CLI_OPT_TIMEOUT }
#define CLI_KEYS_LONGOPTS						\
	{ "zone", required_argument, NULL, CLI_OPT_ZONE },		\
	CLI_RESOLVER_LONGOPT,						\
	CLI_TIMEOUT_LONGOPT,						\
	{ "retries", required_argument, NULL, CLI_OPT_RETRIES },	\
	{ "dns-budget", required_argument, NULL, CLI_OPT_DNS_BUDGET },	\
	{ "dns-run-budget", required_argument, NULL,			\
	    CLI_OPT_DNS_RUN_BUDGET }
/*
 * --at: as of when a command judges (fblscope(1), Conventions).  --date,
 * its old name in report and keys audit, stays there as a deprecated
 * alias: the same option, the same value.
 */
#define CLI_AT_LONGOPT	{ "at", required_argument, NULL, CLI_OPT_AT }
#define CLI_AT_DATE_ALIAS_LONGOPT					\
	{ "date", required_argument, NULL, CLI_OPT_AT }
/* --jobs N: N threads do the work, the output is that of --jobs 1 */
#define CLI_JOBS_LONGOPT						\
	{ "jobs", required_argument, NULL, CLI_OPT_JOBS }
/* --db CONNINFO and --config FILE; each command says what it does with them */
#define CLI_DB_LONGOPT	{ "db", required_argument, NULL, CLI_OPT_DB }
#define CLI_CONFIG_LONGOPT						\
	{ "config", required_argument, NULL, CLI_OPT_CONFIG }
/* -h, --help (getopt_long gives 'h') and the end: last in every table */
#define CLI_HELP_LONGOPT_END						\
	{ "help", no_argument, NULL, 'h' },				\
	{ NULL, 0, NULL, 0 }

/*
 * The usage lines of the shared options, beside their parsing so that the
 * defaults and ranges they state stay those of cli.c.  CLI_KEYS_USAGE is
 * the whole of CLI_KEYS_LONGOPTS; the commands that store (ingest,
 * reverify) word --zone and --resolver shorter (CLI_KEYS_USAGE_BRIEF).
 */
#define CLI_TIMEOUT_USAGE						\
"  --timeout MS         per-query DNS timeout (default "			\
	CLI_STR(DNS_DEFAULT_TIMEOUT_MS) ")\n"
#define CLI_KEYS_USAGE_LIMITS						\
	CLI_TIMEOUT_USAGE						\
"  --retries N          DNS retries per server (default 1)\n"		\
"  --dns-budget MS      DNS time one message may spend in all (default\n"	\
"                       5000); later lookups are temperror, not asked\n"	\
"  --dns-run-budget S   DNS time the whole run may spend (default 900)\n"
#define CLI_KEYS_USAGE							\
"  --zone FILE          take key records from a master-format zone file\n"	\
"                       instead of DNS (repeatable)\n"			\
"  --resolver IP[@PORT] ask this DNS server (repeatable; default: the\n"	\
"                       servers of /etc/resolv.conf)\n"			\
	CLI_KEYS_USAGE_LIMITS
#define CLI_KEYS_USAGE_BRIEF						\
"  --zone FILE          take key records from a zone file instead of DNS\n"	\
"                       (repeatable)\n"					\
"  --resolver IP[@PORT] ask this DNS server (repeatable)\n"		\
	CLI_KEYS_USAGE_LIMITS
#define CLI_JOBS_USAGE							\
"  --jobs N             work on N messages at once (1 to "		\
	CLI_STR(CLI_MAX_JOBS) ", default 1); the\n"			\
"                       output is that of --jobs 1, in input order\n"
#define CLI_DB_USAGE							\
"  --db CONNINFO        libpq connection string or URI (default: the PG*\n"	\
"                       environment variables and the service file)\n"

/*
 * Take one shared option; false (with the reason in err) on a bad value.
 * Returns true without doing anything for options it does not know.
 */
/* Defaults: the system resolver, default timeout and retries. */
void	 cli_keys_init(struct cli_keys *);
bool	 cli_keys_option(struct cli_keys *, int opt, const char *arg,
	    struct buf *err);
/*
 * Take an option that is not the command's own: a key-source option, --at
 * (into *now; now is NULL for a command without --at), or a refused one
 * ('?' from cli_getopt, said by cli_bad_option()).  False with the reason
 * in err, for the command's usage message.
 */
bool	 cli_shared_option(struct cli_keys *, int64_t *now, int opt,
	    const char *arg, struct buf *err);
struct key_source *cli_keys_open(const struct cli_keys *, struct buf *err);

/* --jobs N, 1 to CLI_MAX_JOBS; false with the reason in err. */
bool	 cli_jobs_option(const char *arg, unsigned *jobs, struct buf *err);

/*
 * getopt_long over a command's table (short options: -h only) with
 * getopt's own messages off: an option it refuses (unknown, ambiguous, a
 * value missing or not allowed) comes back as '?', and cli_bad_option()
 * says which and why, for the command's usage error, so that the problem
 * is said once.
 */
int	 cli_getopt(int argc, char **argv, const struct option *longopts);
const char *cli_bad_option(void);

/*
 * The error of command cmd ("keys zone") on standard error, one line, and
 * 2, the exit status.  With usage (the command's --help text) it is a
 * usage error: "fblscope CMD: MSG (see fblscope CMD --help)"; the text
 * itself is not printed.  Without, "fblscope CMD: MSG".  cli_usage_fail
 * does the same with err's text, and frees err.
 */
int	 cli_usage_error(const char *cmd, const char *usage, const char *msg);
int	 cli_usage_fail(const char *cmd, const char *usage, struct buf *err);

/* Parse a decimal in [min, max]. */
bool	 cli_parse_uint(const char *, unsigned long min, unsigned long max,
	    unsigned long *out);

#endif
