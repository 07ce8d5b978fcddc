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
"usage: fblscope volume import [--db CONNINFO] FILE.csv...\n"
"\n"
"Store sending volumes, the denominators of the report's complaint rates.\n"
"Each FILE (- for standard input) is CSV with the header\n"
"  day,token,isp,sent[,delivered]\n"
"then one row per UTC day (YYYY-MM-DD), token (a d= domain or a customer\n"
"id), ISP (a reporter name as fblscope stores it: yahoo, microsoft,\n"
"comcast, ...; * for all ISPs together), messages sent and, optionally,\n"
"delivered to the inbox (empty: unknown; at most sent).  A row already\n"
"stored for the same day, token and ISP is replaced.  Every row of every\n"
"file is checked first; any problem (named FILE:LINE) and nothing is\n"
"stored.  All rows go in one transaction.\n"
"\n"
CLI_DB_USAGE
"  -h, --help           this text\n"
"\n"
"Exit status: 0 stored; 1 the input has problems (a bad row, a file that\n"
"cannot be read): nothing stored; 2 could not run (usage, the database):\n"
"nothing stored.\n";

static const struct option volume_longopts[] = {
	CLI_DB_LONGOPT,
	CLI_HELP_LONGOPT_END,
};

static int
volume_usage_error(const char *msg)
{
	return cli_usage_error("volume", volume_usage, msg);
}

/* Read and parse every file; false when any has a problem. */
static bool
volume_read_all(int argc, char **argv, struct volume_set *set,
    struct buf *err)
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
	if (ok && !volume_check_duplicates(set, err))
		ok = false;
	buf_free(&data);
	buf_free(&rerr);
	return ok;
}

static int
volume_import(const char *conninfo, int argc, char **argv)
{
	struct volume_set	 set;
	struct store		*st;
	struct buf		 err = BUF_INIT;
	int			 status = 0;

	memset(&set, 0, sizeof(set));
	if (!volume_read_all(argc, argv, &set, &err)) {
		fputs(buf_cstr(&err), stderr);
		if (set.nerrors > VOLUME_MAX_ERRORS)
			fprintf(stderr, "fblscope volume: ... %u problems in "
			    "all\n", set.nerrors);
		fputs("fblscope volume: nothing stored\n", stderr);
		status = 1;
	} else if ((st = store_open(conninfo, &err)) == NULL) {
		fprintf(stderr, "fblscope volume: %s\n", buf_cstr(&err));
		status = 2;
	} else {
		if (!volume_store(st, &set, &err)) {
			fprintf(stderr, "fblscope volume: nothing stored: %s\n",
			    buf_cstr(&err));
			status = 2;
		} else
			fprintf(stderr, "fblscope volume: %zu rows stored\n",
			    set.n);
		store_close(st);
	}
	volume_set_free(&set);
	buf_free(&err);
	return status;
}

int
cmd_volume(int argc, char **argv)
{
	const char	*conninfo = NULL;
	int		 ch;

	if (argc >= 2 && (strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "--help") == 0)) {
		fputs(volume_usage, stdout);
		return 0;
	}
	if (argc < 2 || strcmp(argv[1], "import") != 0)
		return volume_usage_error(argc < 2 ? "want a subcommand: "
		    "import" : "unknown subcommand (want import)");
	argc--;
	argv++;
	optind = 1;
	while ((ch = getopt_long(argc, argv, "h", volume_longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'h':
			fputs(volume_usage, stdout);
			return 0;
		case CLI_OPT_DB:
			conninfo = optarg;
			break;
		default:
			return volume_usage_error("unknown option");
		}
	}
	if (optind >= argc)
		return volume_usage_error("want at least one FILE.csv");
	return volume_import(conninfo, argc - optind, argv + optind);
}
