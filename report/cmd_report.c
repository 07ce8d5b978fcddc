/* SPDX-License-Identifier: ISC */
/*
 * cmd_report: `fblscope report`, the nightly reputation report (model.h)
 * as text, CSV, JSON or HTML (render.h).
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/file.h"
#include "base/date.h"
#include "base/near.h"
#include "fbl/classify.h"
#include "fbl/config.h"
#include "fbl/store/store.h"
#include "report/changes.h"
#include "report/commands.h"
#include "report/load.h"
#include "report/render.h"
#include "verifier/cli.h"

static const char report_usage[] =
"usage: fblscope report [options]\n"
"\n"
"The reputation report of one day: per customer the complaints of the\n"
"day, of 7 days and of the long window, with complaint rates where\n"
"volumes are known (fblscope volume import), split by ISP and feedback\n"
"type, flagged and alarmed customers first; the ESP token; suspected\n"
"forgery; verification health of complaints and of mail samples; key\n"
"hygiene; unknown tokens; complaints by sending network and by campaign;\n"
"each token's verified share per day.  Days are UTC days (a report's\n"
"Arrival-Date).\n"
"\n"
CLI_DB_USAGE
"  --config FILE        the configuration (fblscope.conf(5)): ESP token,\n"
"                       selector-pattern, report-timezone, complaint rates,\n"
"                       rotation-months (default $FBLSCOPE_CONFIG, else\n"
"                       " CONFIG_DEFAULT_PATH " if it exists)\n"
"  --at DAY             the report day: YYYY-MM-DD, today or yesterday\n"
"                       (default yesterday, in report-timezone; --date is\n"
"                       a deprecated alias)\n"
"  --days N             the long window, 1 to 366 days (default 30)\n"
"  --customer ID        only this customer: an id of the configuration or\n"
"                       of the stored data\n"
"  --only LEVELS        only the customers of these levels, a list of\n"
"                       alarmed, flagged, ok (e.g. alarmed,flagged); the\n"
"                       others are counted, not shown\n"
"  --format FORMAT      text (default), csv, json or html\n"
"  --silent-days N     the first panel names an ISP that sent no complaint\n"
"                       for N days (1 to 14, default 3) after at least 7\n"
"                       in the 14 days before\n"
"  --detail             text: every row (per-ISP lines of each customer,\n"
"                       every token and key, each customer's networks and\n"
"                       campaigns, each token's days); by default the text\n"
"                       fits a morning: one line per customer, the tokens\n"
"                       and keys with a problem first, at most 8 of each\n"
"                       (5 of the networks, campaigns and token health)\n"
"  --out FILE           write there (replaced once complete) instead of\n"
"                       standard output\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 report produced; 2 could not (usage, configuration, the\n"
"database, the output, a --customer neither knows: the close ids named).\n";

enum {
	OPT_DAYS = CLI_OPT_FIRST_FREE,
	OPT_CUSTOMER,
	OPT_FORMAT,
	OPT_OUT,
	OPT_ONLY,
	OPT_DETAIL,
	OPT_SILENT_DAYS,
};

static const struct option report_longopts[] = {
	CLI_DB_LONGOPT,
	CLI_CONFIG_LONGOPT,
	CLI_AT_LONGOPT,
	CLI_AT_DATE_ALIAS_LONGOPT,
	{ "days", required_argument, NULL, OPT_DAYS },
	{ "customer", required_argument, NULL, OPT_CUSTOMER },
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "only", required_argument, NULL, OPT_ONLY },
	{ "detail", no_argument, NULL, OPT_DETAIL },
	{ "silent-days", required_argument, NULL, OPT_SILENT_DAYS },
	CLI_HELP_LONGOPT_END,
};

typedef bool (*renderer)(struct buf *, const struct report_model *);

struct report_cmd {
	const char	*conninfo;
	const char	*config_path;
	const char	*date;
	const char	*out;
	const char	*format;
	renderer	 render;
	struct report_params p;
};

static int
report_usage_error(const char *msg)
{
	return cli_usage_error("report", report_usage, msg);
}

static renderer
renderer_of(const char *name)
{
	if (strcmp(name, "text") == 0)
		return report_render_text;
	if (strcmp(name, "csv") == 0)
		return report_render_csv;
	if (strcmp(name, "json") == 0)
		return report_render_json;
	if (strcmp(name, "html") == 0)
		return report_render_html;
	return NULL;
}

/* Options; -1 to go on, else the exit status. */
static int
report_options(int argc, char **argv, struct report_cmd *rc)
{
	unsigned long	 n;
	int		 ch;

	optind = 1;
	while ((ch = cli_getopt(argc, argv, report_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(report_usage, stdout);
			return 0;
		case CLI_OPT_DB:
			rc->conninfo = optarg;
			break;
		case CLI_OPT_CONFIG:
			rc->config_path = optarg;
			break;
		case CLI_OPT_AT:
			if (strcmp(optarg, "today") != 0 &&
			    strcmp(optarg, "yesterday") != 0 &&
			    !date_parse_day(optarg, strlen(optarg), NULL, NULL,
			    NULL, NULL))
				return report_usage_error("--at: want "
				    "YYYY-MM-DD, today or yesterday");
			rc->date = optarg;
			break;
		case OPT_DAYS:
			if (!cli_parse_uint(optarg, 1, REPORT_MAX_DAYS, &n))
				return report_usage_error("--days: want 1 to "
				    "366");
			rc->p.days = (int)n;
			break;
		case OPT_SILENT_DAYS:
			if (!cli_parse_uint(optarg, 1, REPORT_MAX_SILENT_DAYS,
			    &n))
				return report_usage_error("--silent-days: "
				    "want 1 to 14");
			rc->p.silent_days = (int)n;
			break;
		case OPT_CUSTOMER:
			if (*optarg == '\0')
				return report_usage_error("--customer: empty");
			rc->p.customer = optarg;
			break;
		case OPT_FORMAT:
			if ((rc->render = renderer_of(optarg)) == NULL)
				return report_usage_error("--format: want "
				    "text, csv, json or html");
			rc->format = optarg;
			break;
		case OPT_ONLY:
			if (!report_only_parse(optarg, &rc->p.only))
				return report_usage_error("--only: a list of "
				    "alarmed, flagged, ok");
			break;
		case OPT_OUT:
			rc->out = optarg;
			break;
		case OPT_DETAIL:
			rc->p.detail = true;
			break;
		default:
			return report_usage_error(cli_bad_option());
		}
	}
	if (optind < argc)
		return report_usage_error("no arguments expected");
	return -1;
}

/*
 * The report day: as given, or today / yesterday in the time zone.  The
 * zone only chooses the calendar day; the data's days stay UTC days.
 */
static bool
report_day(const char *date, const char *tz, char *out, struct buf *err)
{
	struct tm	 tm;
	time_t		 now = time(NULL);
	char		 today[11];

	if (date != NULL && strcmp(date, "today") != 0 &&
	    strcmp(date, "yesterday") != 0) {
		memcpy(out, date, 11);	/* report_options() checked it */
		return true;
	}
	if (setenv("TZ", tz, 1) != 0) {
		buf_printf(err, "report-timezone %s: %s", tz, strerror(errno));
		return false;
	}
	tzset();
	if (localtime_r(&now, &tm) == NULL ||
	    strftime(today, sizeof(today), "%Y-%m-%d", &tm) != 10) {
		buf_printf(err, "report-timezone %s: no local time", tz);
		return false;
	}
	if (date != NULL && strcmp(date, "today") == 0) {
		memcpy(out, today, 11);
		return true;
	}
	return date_day_add(today, -1, out) ||
	    (buf_printf(err, "no day before %s", today), false);
}

/* Write all of b to path (atomically, base/file.h), or to stdout. */
static bool
report_write(const char *path, const struct buf *b, struct buf *err)
{
	if (path != NULL)
		return file_write(path, b->data != NULL ? b->data : "",
		    b->len, 0644, FILE_REPLACE, err);
	if (fwrite(b->data != NULL ? b->data : "", 1, b->len, stdout) !=
	    b->len || fflush(stdout) != 0) {
		buf_printf(err, "standard output: %s", strerror(errno));
		return false;
	}
	return true;
}

/* The key hygiene's selector age: the selector-pattern of the config. */
static bool
date_selector(const void *cfg, const char *selector, int *year, int *month)
{
	return classify_selector(cfg, selector, year, month);
}

/* The sending-network of the config a network of the report belongs to. */
static bool
sending_network(const void *cfg, const char *network, struct buf *out)
{
	const struct cidr	*c;

	if ((c = classify_sending_network(cfg, network)) == NULL)
		return false;
	cidr_format(out, c);
	return true;
}

#define CLOSE_MAX	5	/* close ids named for an unknown --customer */

/* The ids closest to what was typed, best first (near_close's rank). */
struct close {
	const char	*id[CLOSE_MAX];
	size_t		 rank[CLOSE_MAX];
	size_t		 n;
};

static void
close_add(struct close *c, const char *typed, const char *id)
{
	size_t	 rank, i;

	if (!near_close(typed, id, &rank))
		return;
	for (i = 0; i < c->n; i++)
		if (strcmp(c->id[i], id) == 0)
			return;
	for (i = c->n; i > 0 && (c->rank[i - 1] > rank || (c->rank[i - 1] ==
	    rank && strcmp(c->id[i - 1], id) > 0)); i--)
		;
	if (i >= CLOSE_MAX)
		return;
	if (c->n < CLOSE_MAX)
		c->n++;
	memmove(&c->id[i + 1], &c->id[i], (c->n - 1 - i) * sizeof(c->id[0]));
	memmove(&c->rank[i + 1], &c->rank[i], (c->n - 1 - i) *
	    sizeof(c->rank[0]));
	c->id[i] = id;
	c->rank[i] = rank;
}

/*
 * Is --customer an id of the configuration or of the stored data?  A
 * report of an id neither knows would be empty and look like good news;
 * false with the reason, and the ids close to it, in err.
 */
static bool
customer_known(const struct report_model *m, const struct fbl_config *cfg,
    struct buf *err)
{
	const char	*id = m->p.customer;
	struct close	 c;
	size_t		 i;

	if (id == NULL || m->ncustomers > 0 || classify_customer_id(cfg, id))
		return true;
	for (i = 0; i < m->nstored_ids; i++)
		if (strcmp(m->stored_ids[i], id) == 0)
			return true;
	memset(&c, 0, sizeof(c));
	for (i = 0; cfg != NULL && i < cfg->nexact; i++)
		close_add(&c, id, cfg->exact[i].id);
	for (i = 0; cfg != NULL && i < cfg->nregex; i++)
		close_add(&c, id, cfg->regex[i].id);
	for (i = 0; i < m->nstored_ids; i++)
		close_add(&c, id, m->stored_ids[i]);
	buf_printf(err, "--customer \"%s\": no customer of that id in the "
	    "configuration or the stored data", id);
	for (i = 0; i < c.n; i++)
		buf_printf(err, "%s%s", i == 0 ? "; close: " : ", ", c.id[i]);
	return false;
}

/* Load, render, write; false with the reason in err. */
static bool
report_run(struct report_cmd *rc, const struct fbl_config *cfg,
    struct buf *err)
{
	struct report_config	 rcfg;
	struct report_model	 m;
	struct store		*st;
	struct buf		 out = BUF_INIT;
	bool			 ok;

	memset(&rcfg, 0, sizeof(rcfg));
	if (cfg != NULL) {
		rcfg.esp_domains = cfg->esp_domains.v;
		rcfg.nesp_domains = cfg->esp_domains.n;
	}
	rcfg.date_selector = date_selector;
	rcfg.sending_network = sending_network;
	rcfg.arg = cfg;
	if ((st = store_open(rc->conninfo, err)) == NULL)
		return false;
	ok = report_model_load(&m, store_db(st), &rc->p, &rcfg, err) &&
	    customer_known(&m, cfg, err);
	store_close(st);
	if (ok && !(ok = rc->render(&out, &m)))
		buf_printf(err, "%s output: %s", rc->format,
		    out.len > 0 && buf_ok(&out) ? buf_cstr(&out) :
		    "out of memory");
	if (ok)
		ok = report_write(rc->out, &out, err);
	report_model_free(&m);
	buf_free(&out);
	return ok;
}

static void
report_defaults(struct report_cmd *rc, const struct fbl_config *cfg)
{
	rc->p.timezone = cfg != NULL ? cfg->report_timezone :
	    CONFIG_DEFAULT_TIMEZONE;
	rc->p.flag_rate = cfg != NULL ? cfg->flag_rate :
	    CONFIG_DEFAULT_FLAG_RATE;
	rc->p.alarm_rate = cfg != NULL ? cfg->alarm_rate :
	    CONFIG_DEFAULT_ALARM_RATE;
	rc->p.rotation_months = cfg != NULL ? cfg->rotation_months :
	    CONFIG_DEFAULT_ROTATION_MONTHS;
}

int
cmd_report(int argc, char **argv)
{
	struct report_cmd	 rc;
	struct fbl_config	*cfg = NULL;
	struct buf		 err = BUF_INIT;
	int			 status;

	memset(&rc, 0, sizeof(rc));
	rc.p.days = REPORT_DEFAULT_DAYS;
	rc.p.silent_days = REPORT_DEFAULT_SILENT_DAYS;
	rc.render = report_render_text;
	rc.format = "text";
	if ((status = report_options(argc, argv, &rc)) >= 0)
		return status;
	status = 0;
	if ((cfg = config_find(rc.config_path, CONFIG_OPTIONAL, &err)) ==
	    NULL && err.len > 0)
		status = 2;
	if (status == 0) {
		report_defaults(&rc, cfg);
		if (!report_day(rc.date, rc.p.timezone, rc.p.day, &err) ||
		    !report_run(&rc, cfg, &err))
			status = 2;
	}
	if (status != 0)
		fprintf(stderr, "fblscope report: %s\n", buf_cstr(&err));
	config_free(cfg);
	buf_free(&err);
	return status;
}
