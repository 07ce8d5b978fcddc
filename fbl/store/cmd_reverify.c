/* SPDX-License-Identifier: ISC */
/*
 * cmd_reverify: `fblscope reverify`, stored signatures whose verdict may
 * still change, judged again (reverify.h).
 */
#include <ctype.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "base/stop.h"
#include "base/date.h"
#include "fbl/commands.h"
#include "fbl/store/reverify.h"
#include "verifier/cli.h"

static const char reverify_usage[] =
"usage: fblscope reverify [options]\n"
"\n"
"Judge again the stored signatures whose verdict may still change, from\n"
"the facts kept at ingest (the messages themselves are not stored):\n"
"a temperror (DNS failed during the ingest) is verified again as of the\n"
"message's arrival, and its row and daily count take the new verdict; a\n"
"key gone or replaced (key-not-found, key-revoked, key-syntax,\n"
"key-too-large, key-bad-exponent, signature-mismatch) gets its second\n"
"verdict under the keys of the key archive (`fblscope keys import`),\n"
"once there are keys for its name.\n"
"Rows another run changed meanwhile are left alone.  A temperror that\n"
"stays one waits for its next try (15 minutes, doubling up to a day);\n"
"one of a message stored more than --max-age days ago is no longer\n"
"retried.\n"
"\n"
CLI_DB_USAGE
"  --since YYYY-MM-DD   only messages of that day (UTC) and later\n"
CLI_KEYS_USAGE_BRIEF
"  --batch N            rows per transaction (default 500, at most 10000)\n"
"  --jobs N             verify N temperrors of a batch at once (1 to "
	CLI_STR(CLI_MAX_JOBS) ",\n"
"                       default 1); what is stored is that of --jobs 1\n"
"  --max-age DAYS       retry temperrors of messages stored in the last\n"
"                       DAYS days only (default 14)\n"
"  --retry-all          retry them now, whatever their next try (after\n"
"                       a DNS outage is mended)\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 done and no temperror left; 1 done, but some signatures\n"
"are still temperror (DNS still failing); 2 could not run (usage, the\n"
"database): the failed batch is rolled back; 3 stopped by SIGTERM or\n"
"SIGINT after the page in flight was stored.\n";

enum {
	OPT_SINCE = CLI_OPT_FIRST_FREE,
	OPT_BATCH,
	OPT_MAX_AGE,
	OPT_RETRY_ALL,
};

static const struct option reverify_longopts[] = {
	CLI_DB_LONGOPT,
	{ "since", required_argument, NULL, OPT_SINCE },
	CLI_KEYS_LONGOPTS,
	{ "batch", required_argument, NULL, OPT_BATCH },
	CLI_JOBS_LONGOPT,
	{ "max-age", required_argument, NULL, OPT_MAX_AGE },
	{ "retry-all", no_argument, NULL, OPT_RETRY_ALL },
	CLI_HELP_LONGOPT_END,
};

static int
reverify_usage_error(const char *msg)
{
	return cli_usage_error("reverify", reverify_usage, msg);
}

/* Options; -1 to go on, else the exit status. */
static int
reverify_options(int argc, char **argv, const char **conninfo,
    struct reverify_opts *ro, struct cli_keys *keys)
{
	struct buf	 err = BUF_INIT;
	unsigned long	 n;
	int		 ch;

	optind = 1;
	while ((ch = cli_getopt(argc, argv, reverify_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(reverify_usage, stdout);
			return 0;
		case CLI_OPT_DB:
			*conninfo = optarg;
			break;
		case OPT_SINCE:
			if (!date_parse_day(optarg, strlen(optarg), NULL, NULL,
			    NULL, NULL))
				return reverify_usage_error("--since: want "
				    "YYYY-MM-DD");
			ro->since = optarg;
			break;
		case OPT_BATCH:
			if (!cli_parse_uint(optarg, 1, REVERIFY_MAX_BATCH, &n))
				return reverify_usage_error("--batch: want 1 "
				    "to 10000");
			ro->batch = n;
			break;
		case OPT_MAX_AGE:
			if (!cli_parse_uint(optarg, 1, 3650, &n))
				return reverify_usage_error("--max-age: want "
				    "days, 1 to 3650");
			ro->max_age_days = (unsigned)n;
			break;
		case OPT_RETRY_ALL:
			ro->retry_all = true;
			break;
		case CLI_OPT_JOBS:
			if (!cli_jobs_option(optarg, &ro->jobs, &err))
				return cli_usage_fail("reverify",
				    reverify_usage, &err);
			break;
		default:
			if (!cli_shared_option(keys, NULL, ch, optarg, &err))
				return cli_usage_fail("reverify",
				    reverify_usage, &err);
		}
	}
	if (optind < argc)
		return reverify_usage_error("no arguments expected");
	return -1;
}

static void
reverify_summary(const struct reverify_stats *s)
{
	fprintf(stderr, "fblscope reverify: %" PRIu64 " open signatures "
	    "examined; %" PRIu64 " temperror verified again: %" PRIu64
	    " now judged (%" PRIu64 " pass), %" PRIu64 " still temperror; "
	    "archived keys: %" PRIu64 " authentic, %" PRIu64 " not; %" PRIu64
	    " changed meanwhile by another run; %" PRIu64 " batches\n",
	    s->examined, s->temperror, s->resolved, s->pass, s->still,
	    s->archived_pass, s->archived_fail, s->skipped, s->batches);
	if (s->waiting > 0 || s->too_old > 0)
		fprintf(stderr, "fblscope reverify: temperrors left alone: %"
		    PRIu64 " wait for their next try (backoff), %" PRIu64
		    " are of messages stored longer ago than --max-age and "
		    "are no longer retried\n", s->waiting, s->too_old);
	/* the same figures for a machine (the nightly run, monitoring) */
	fprintf(stderr, "fblscope reverify: summary examined=%" PRIu64
	    " temperror=%" PRIu64 " resolved=%" PRIu64 " pass=%" PRIu64
	    " still_temperror=%" PRIu64 " archived_pass=%" PRIu64
	    " archived_fail=%" PRIu64 " skipped=%" PRIu64 " waiting=%" PRIu64
	    " too_old=%" PRIu64 " batches=%" PRIu64 "\n", s->examined,
	    s->temperror, s->resolved, s->pass, s->still, s->archived_pass,
	    s->archived_fail, s->skipped, s->waiting, s->too_old, s->batches);
}

int
cmd_reverify(int argc, char **argv)
{
	struct reverify_opts	 ro;
	struct reverify_stats	 s;
	struct cli_keys		 keys;
	struct store		*st = NULL;
	struct buf		 err = BUF_INIT;
	const char		*conninfo = NULL;
	int			 status;

	memset(&ro, 0, sizeof(ro));
	memset(&s, 0, sizeof(s));
	ro.batch = REVERIFY_DEFAULT_BATCH;
	cli_keys_init(&keys);
	if ((status = reverify_options(argc, argv, &conninfo, &ro, &keys)) >= 0)
		return status;
	ro.dns_budget_ms = keys.dns_budget_ms;
	ro.stop = stop_requested;
	stop_catch();
	if ((ro.keys = cli_keys_open(&keys, &err)) == NULL ||
	    (st = store_open(conninfo, &err)) == NULL) {
		fprintf(stderr, "fblscope reverify: %s\n", buf_cstr(&err));
		status = 2;
	} else if (!reverify_run(st, &ro, &s, &err)) {
		reverify_summary(&s);
		fprintf(stderr, "fblscope reverify: batch not stored, run "
		    "stopped: %s\n", buf_cstr(&err));
		status = 2;
	} else {
		reverify_summary(&s);
		status = s.interrupted ? STOP_EXIT : s.still > 0 ? 1 : 0;
		if (s.interrupted)
			fprintf(stderr, "fblscope reverify: stopped by signal "
			    "%d: every page judged is stored; run again to go "
			    "on\n", stop_signal());
	}
	store_close(st);
	key_source_free(ro.keys);
	buf_free(&err);
	return status;
}
