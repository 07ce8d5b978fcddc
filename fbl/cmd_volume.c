/* SPDX-License-Identifier: ISC */
/*
 * cmd_volume: `fblscope volume import`, sending volumes from CSV into
 * PostgreSQL (volume.h), the denominators of the report's complaint rates.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "base/file.h"
#include "fbl/commands.h"
#include "fbl/volume.h"
#include "verifier/cli.h"

#define VOLUME_MAX_FILE	(256UL * 1024 * 1024)

static const char volume_usage[] =
"usage: fblscope volume import [--db CONNINFO] [--config FILE]\n"
"                              [--allow-unknown] FILE.csv...\n"
"\n"
"Store sending volumes, the denominators of the report's complaint rates.\n"
"Each FILE (- for standard input) is CSV (RFC 4180: quoted fields, LF or\n"
"CR LF) whose first line names the columns, in any order:\n"
"  day,token,isp,sent[,delivered]\n"
"then one row per UTC day (YYYY-MM-DD), token (a d= domain or a customer\n"
"id), ISP (a reporter name as fblscope stores it: yahoo, microsoft,\n"
"comcast, ...; * for all ISPs together), messages sent and, optionally,\n"
"delivered to the inbox (empty: unknown; at most sent).  A row already\n"
"stored for the same day, token and ISP is replaced.  Every row of every\n"
"file is checked first; any problem (named FILE:LINE; the first 20, then\n"
"how many more) and nothing is stored.  All rows go in one transaction.\n"
"\n"
CLI_DB_USAGE
"  --config FILE        the configuration (fblscope.conf(5)): every token\n"
"                       must be a customer id, customer domain or ESP\n"
"                       domain of it (default $FBLSCOPE_CONFIG, else\n"
"                       " CONFIG_DEFAULT_PATH "; one is needed)\n"
"  --allow-unknown      store rows whose ISP or token is unknown, with a\n"
"                       warning each\n"
"  -h, --help           this text\n"
"\n"
"Limits: 4096 bytes and 16 fields a line, 1,000,000 rows and 256 MiB a\n"
"file.\n"
"\n"
"Exit status: 0 stored (warnings aside); 2 nothing stored: the input has\n"
"problems (a bad or unknown row, a file that cannot be read), or usage,\n"
"the configuration, the database.\n";

enum {
	OPT_ALLOW_UNKNOWN = CLI_OPT_FIRST_FREE,
};

static const struct option volume_longopts[] = {
	CLI_DB_LONGOPT,
	CLI_CONFIG_LONGOPT,
	{ "allow-unknown", no_argument, NULL, OPT_ALLOW_UNKNOWN },
	CLI_HELP_LONGOPT_END,
};

static int
volume_usage_error(const char *msg)
{
	return cli_usage_error("volume import", volume_usage, msg);
}

struct volume_cmd {
	const char		*conninfo;
	const char		*config_path;
	struct fbl_config	*config;
	bool			 allow_unknown;
};

/* Read and parse every file, check the names; false on a problem. */
static bool
volume_read_all(const struct volume_cmd *vc, int argc, char **argv,
    struct volume_set *set, struct buf *err)
{
	struct buf	 data = BUF_INIT, rerr = BUF_INIT;
	bool		 ok = true;
	int		 i;

	for (i = 0; i < argc; i++) {
		buf_reset(&rerr);
		if (!file_read(argv[i], VOLUME_MAX_FILE, &data, &rerr)) {
			buf_printf(err, "%s\n", buf_cstr(&rerr));
			set->nerrors++;
			ok = false;
			continue;
		}
		if (!volume_parse(set, argv[i], data.data != NULL ?
		    data.data : "", data.len, err))
			ok = false;
	}
	/* the rows that parsed are looked at too: every problem at once */
	if (!volume_check_names(set, vc->config, vc->allow_unknown, err))
		ok = false;
	if (!volume_check_duplicates(set, err))
		ok = false;
	buf_free(&data);
	buf_free(&rerr);
	return ok;
}

/* The problems and warnings, with how many were not shown. */
static void
volume_problems(const struct volume_set *set, const struct buf *err)
{
	fputs(buf_cstr(err), stderr);
	if (set->nerrors > VOLUME_MAX_ERRORS)
		fprintf(stderr, "fblscope volume: ... and %u more problems "
		    "(%u in all)\n", set->nerrors - VOLUME_MAX_ERRORS,
		    set->nerrors);
	if (set->nwarnings > VOLUME_MAX_ERRORS)
		fprintf(stderr, "fblscope volume: ... and %u more warnings "
		    "(%u in all)\n", set->nwarnings - VOLUME_MAX_ERRORS,
		    set->nwarnings);
}

static int
volume_import(const struct volume_cmd *vc, int argc, char **argv)
{
	struct volume_set	 set;
	struct store		*st = NULL;
	struct buf		 err = BUF_INIT;
	int			 status = 2;

	memset(&set, 0, sizeof(set));
	if (!volume_read_all(vc, argc, argv, &set, &err)) {
		volume_problems(&set, &err);
		fputs("fblscope volume: nothing stored\n", stderr);
		goto out;
	}
	volume_problems(&set, &err);	/* the warnings */
	buf_reset(&err);
	if ((st = store_open(vc->conninfo, &err)) == NULL)
		fprintf(stderr, "fblscope volume: %s\n", buf_cstr(&err));
	else if (!volume_store(st, &set, &err))
		fprintf(stderr, "fblscope volume: nothing stored: %s\n",
		    buf_cstr(&err));
	else {
		fprintf(stderr, "fblscope volume: %zu rows stored", set.n);
		if (set.nwarnings > 0)
			fprintf(stderr, "; %u unknown name%s allowed "
			    "(--allow-unknown)", set.nwarnings,
			    set.nwarnings == 1 ? "" : "s");
		fputc('\n', stderr);
		status = 0;
	}
out:
	/* the same figures for a machine (the nightly run, monitoring) */
	fprintf(stderr, "fblscope volume: summary files=%d rows=%zu "
	    "stored=%zu problems=%u unknown_allowed=%u\n", argc, set.n,
	    status == 0 ? set.n : 0, set.nerrors, set.nwarnings);
	store_close(st);
	volume_set_free(&set);
	buf_free(&err);
	return status;
}

int
cmd_volume(int argc, char **argv)
{
	struct volume_cmd vc;
	struct buf	 err = BUF_INIT;
	int		 ch, st;

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		fputs(volume_usage, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "import") != 0)
		return cli_usage_error("volume", volume_usage, argc < 2 ?
		    "want a subcommand: import" :
		    "unknown subcommand (want import)");
	argc--;
	argv++;
	memset(&vc, 0, sizeof(vc));
	optind = 1;
	while ((ch = cli_getopt(argc, argv, volume_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(volume_usage, stdout);
			return 0;
		case CLI_OPT_DB:
			vc.conninfo = optarg;
			break;
		case CLI_OPT_CONFIG:
			vc.config_path = optarg;
			break;
		case OPT_ALLOW_UNKNOWN:
			vc.allow_unknown = true;
			break;
		default:
			return volume_usage_error(cli_bad_option());
		}
	}
	if (optind >= argc)
		return volume_usage_error("want at least one FILE.csv");
	if ((vc.config = config_find(vc.config_path, CONFIG_REQUIRED,
	    &err)) == NULL) {
		fprintf(stderr, "fblscope volume: %s\n", buf_cstr(&err));
		buf_free(&err);
		return 2;
	}
	st = volume_import(&vc, argc - optind, argv + optind);
	config_free(vc.config);
	buf_free(&err);
	return st;
}
