/* SPDX-License-Identifier: ISC */
/*
 * cmd_reattribute: `fblscope reattribute`, the stored reports attributed
 * again under the configuration in force (reattribute.h).
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "base/stop.h"
#include "fbl/commands.h"
#include "fbl/store/reattribute.h"
#include "verifier/cli.h"

static const char reattribute_usage[] =
"usage: fblscope reattribute [options]\n"
"\n"
"Attribute the stored reports again under the configuration in force,\n"
"after a customer, a customer's domain, the ESP token or a sending network\n"
"was added, changed or removed: each signature's role and customer, the\n"
"customer a report claims and its token, and whether its Source-IP is\n"
"inside the sending networks, as ingest would attribute them now.  A\n"
"report that changes moves its counts in every daily table with it, in\n"
"the transaction that changes its rows.  Running it again changes\n"
"nothing; reports another run changed meanwhile are left alone.\n"
"\n"
"  --db CONNINFO        libpq connection string or URI (default: the PG*\n"
"                       environment variables and the service file)\n"
"  --config FILE        the configuration (fblscope.conf(5)); default\n"
"                       $FBLSCOPE_CONFIG, else /etc/fblscope.conf\n"
"  --since YYYY-MM-DD   only messages of that day (UTC) and later\n"
"  --batch N            reports per transaction (default 1000, at most\n"
"                       10000)\n"
"  --dry-run            count what would change, change nothing\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 done; 2 could not run (usage, configuration, the\n"
"database): the failed batch is rolled back; 3 stopped by SIGTERM or\n"
"SIGINT after the batch in flight was stored.\n";

enum {
	OPT_SINCE = CLI_OPT_FIRST_FREE,
	OPT_BATCH,
	OPT_DRY_RUN,
};

static const struct option reattribute_longopts[] = {
	CLI_DB_LONGOPT,
	CLI_CONFIG_LONGOPT,
	{ "since", required_argument, NULL, OPT_SINCE },
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "dry-run", no_argument, NULL, OPT_DRY_RUN },
	CLI_HELP_LONGOPT_END,
};

static int
reattribute_usage_error(const char *msg)
{
	return cli_usage_error("reattribute", reattribute_usage, msg);
}

/* Options; -1 to go on, else the exit status. */
static int
reattribute_options(int argc, char **argv, const char **conninfo,
    const char **config, struct reattribute_opts *ro)
{
	unsigned long	 n;
	int		 ch;

	optind = 1;
	while ((ch = cli_getopt(argc, argv, reattribute_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(reattribute_usage, stdout);
			return 0;
		case CLI_OPT_DB:
			*conninfo = optarg;
			break;
		case CLI_OPT_CONFIG:
			*config = optarg;
			break;
		case OPT_SINCE:
			if (!date_parse_day(optarg, strlen(optarg), NULL, NULL,
			    NULL, NULL))
				return reattribute_usage_error("--since: want "
				    "YYYY-MM-DD");
			ro->since = optarg;
			break;
		case OPT_BATCH:
			if (!cli_parse_uint(optarg, 1, REATTRIBUTE_MAX_BATCH,
			    &n))
				return reattribute_usage_error("--batch: want "
				    "1 to 10000");
			ro->batch = n;
			break;
		case OPT_DRY_RUN:
			ro->dry_run = true;
			break;
		default:
			return reattribute_usage_error(cli_bad_option());
		}
	}
	if (optind < argc)
		return reattribute_usage_error("no arguments expected");
	return -1;
}

static void
reattribute_summary(const struct reattribute_opts *ro,
    const struct reattribute_stats *s)
{
	fprintf(stderr, "fblscope reattribute: %" PRIu64 " reports examined, "
	    "%" PRIu64 " %s (customer added %" PRIu64 ", removed %" PRIu64
	    ", changed %" PRIu64 "; signature roles %" PRIu64 "; sending "
	    "networks %" PRIu64 "); %" PRIu64 " changed meanwhile by another "
	    "run; %" PRIu64 " batches\n", s->examined, s->changed,
	    ro->dry_run ? "would be reattributed" : "reattributed", s->added,
	    s->removed, s->moved, s->roles, s->networks, s->skipped,
	    s->batches);
	fprintf(stderr, "fblscope reattribute: %" PRIu64 " complaints "
	    "unattributed (no customer signature, From domain no customer's): "
	    "%" PRIu64 " signed by the ESP token (%" PRIu64 " verified: a "
	    "customer missing from the configuration?), %" PRIu64 " not\n",
	    s->unattributed, s->unattributed_esp, s->unattributed_esp_verified,
	    s->unattributed - s->unattributed_esp);
	fprintf(stderr, "fblscope reattribute: configuration %s\n",
	    ro->config->path);
	/* the same figures for a machine (the nightly run, monitoring) */
	fprintf(stderr, "fblscope reattribute: summary examined=%" PRIu64
	    " reattributed=%" PRIu64 " dry_run=%d added=%" PRIu64 " removed=%"
	    PRIu64 " changed=%" PRIu64 " roles=%" PRIu64 " networks=%" PRIu64
	    " skipped=%" PRIu64 " unattributed=%" PRIu64 " unattributed_esp=%"
	    PRIu64 " unattributed_esp_verified=%" PRIu64 " batches=%" PRIu64
	    "\n", s->examined, s->changed, ro->dry_run ? 1 : 0, s->added,
	    s->removed, s->moved, s->roles, s->networks, s->skipped,
	    s->unattributed, s->unattributed_esp,
	    s->unattributed_esp_verified, s->batches);
}

int
cmd_reattribute(int argc, char **argv)
{
	struct reattribute_opts	 ro;
	struct reattribute_stats s;
	struct fbl_config	*cfg = NULL;
	struct store		*st = NULL;
	struct buf		 err = BUF_INIT;
	const char		*conninfo = NULL, *config = NULL;
	int			 status;

	memset(&ro, 0, sizeof(ro));
	memset(&s, 0, sizeof(s));
	ro.batch = REATTRIBUTE_DEFAULT_BATCH;
	if ((status = reattribute_options(argc, argv, &conninfo, &config,
	    &ro)) >= 0)
		return status;
	ro.stop = stop_requested;
	stop_catch();
	if ((cfg = config_find(config, CONFIG_REQUIRED, &err)) != NULL &&
	    !config_has_rules(cfg))
		buf_printf(&err, "%s names no customer and no ESP token: every "
		    "stored report would lose its customer; not run",
		    cfg->path);
	if (err.len > 0 || (st = store_open(conninfo, &err)) == NULL) {
		fprintf(stderr, "fblscope reattribute: %s\n", buf_cstr(&err));
		status = 2;
	} else if (ro.config = cfg, !reattribute_run(st, &ro, &s, &err)) {
		reattribute_summary(&ro, &s);
		fprintf(stderr, "fblscope reattribute: batch not stored, run "
		    "stopped: %s\n", buf_cstr(&err));
		status = 2;
	} else {
		reattribute_summary(&ro, &s);
		status = s.interrupted ? STOP_EXIT : 0;
		if (s.interrupted)
			fprintf(stderr, "fblscope reattribute: stopped by "
			    "signal %d: every batch written is stored; run "
			    "again to go on\n", stop_signal());
	}
	store_close(st);
	config_free(cfg);
	buf_free(&err);
	return status;
}
