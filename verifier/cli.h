/* SPDX-License-Identifier: ISC */
/*
 * cli: pieces shared by the commands: the key-source options every command
 * that verifies takes, the options several commands take with one meaning
 * (--db, --config, --help), the usage error, and reading a message file.
 * Times given on the command line (--at) are read by base/date.h.
 */
#ifndef FBL_CLI_H
#define FBL_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "verifier/keyfetch.h"

#define CLI_MAX_LIST		16		/* --resolver / --zone each */
#define CLI_MAX_MESSAGE		(64u << 20)	/* bytes per message */

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
	CLI_OPT_FIRST_FREE,
};

/* The getopt_long entries of the shared options, for a command's table. */
#define CLI_KEYS_LONGOPTS						\
	{ "zone", required_argument, NULL, CLI_OPT_ZONE },		\
	{ "resolver", required_argument, NULL, CLI_OPT_RESOLVER },	\
	{ "timeout", required_argument, NULL, CLI_OPT_TIMEOUT },	\
	{ "retries", required_argument, NULL, CLI_OPT_RETRIES },	\
	{ "dns-budget", required_argument, NULL, CLI_OPT_DNS_BUDGET },	\
	{ "dns-run-budget", required_argument, NULL,			\
	    CLI_OPT_DNS_RUN_BUDGET }
#define CLI_AT_LONGOPT	{ "at", required_argument, NULL, CLI_OPT_AT }
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
#define CLI_KEYS_USAGE_LIMITS						\
"  --timeout MS         per-query DNS timeout (default 3000)\n"		\
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
 * (into *now; now is NULL for a command without --at), or an unknown one
 * ('?' from getopt_long).  False with the reason in err, for the command's
 * usage message.
 */
bool	 cli_shared_option(struct cli_keys *, int64_t *now, int opt,
	    const char *arg, struct buf *err);
struct key_source *cli_keys_open(const struct cli_keys *, struct buf *err);

/*
 * The usage error of command cmd ("keys zone"): "fblscope CMD: MSG" on
 * standard error, then usage when not NULL.  Returns 2, the exit status.
 * cli_usage_fail does the same with err's text, and frees err.
 */
int	 cli_usage_error(const char *cmd, const char *usage, const char *msg);
int	 cli_usage_fail(const char *cmd, const char *usage, struct buf *err);

/* Parse a decimal in [min, max]. */
bool	 cli_parse_uint(const char *, unsigned long min, unsigned long max,
	    unsigned long *out);

#endif
