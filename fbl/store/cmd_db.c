/* SPDX-License-Identifier: ISC */
/* cmd_db: `fblscope db migrate` and `fblscope db status`. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "fbl/commands.h"
#include "fbl/store/store.h"
#include "verifier/cli.h"

static const char db_usage[] =
"usage: fblscope db migrate|status [--db CONNINFO]\n"
"\n"
"  migrate        apply the schema migrations the database lacks, then\n"
"                 every view and function again, in one transaction\n"
"                 (safe to run twice or from two places at once)\n"
"  status         list the migrations and whether each is applied;\n"
"                 exit 1 when some are pending\n"
"  --db CONNINFO  libpq connection string or URI (default: the PG*\n"
"                 environment variables and the service file); keep\n"
"                 passwords in ~/.pgpass or PGPASSFILE, not here\n"
"  -h, --help     this text\n";

static const struct option db_longopts[] = {
	CLI_DB_LONGOPT,
	CLI_HELP_LONGOPT_END,
};

static int
db_run(const char *what, const char *conninfo)
{
	struct store	*st;
	struct buf	 out = BUF_INIT, err = BUF_INIT;
	int		 n = 0, status = 2;

	if ((st = store_open(conninfo, &err)) == NULL)
		goto out;
	if (strcmp(what, "migrate") == 0) {
		if (!store_migrate(st, &n, &out, &err))
			goto out;
		buf_printf(&out, "%d migration%s applied\n", n, n == 1 ? "" :
		    "s");
		status = 0;
	} else {
		if (!store_status(st, &out, &n, &err))
			goto out;
		status = n > 0 ? 1 : 0;
	}
out:
	fwrite(buf_cstr(&out), 1, out.len, stdout);
	if (status == 2)
		fprintf(stderr, "fblscope db %s: %s\n", what, buf_cstr(&err));
	store_close(st);
	buf_free(&out);
	buf_free(&err);
	return status;
}

int
cmd_db(int argc, char **argv)
{
	const char	*conninfo = NULL;
	int		 ch;

	optind = 1;
	while ((ch = cli_getopt(argc, argv, db_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(db_usage, stdout);
			return 0;
		case CLI_OPT_DB:
			conninfo = optarg;
			break;
		default:
			return cli_usage_error("db", db_usage,
			    cli_bad_option());
		}
	}
	if (argc - optind != 1 || (strcmp(argv[optind], "migrate") != 0 &&
	    strcmp(argv[optind], "status") != 0))
		return cli_usage_error("db", db_usage,
		    "say migrate or status");
	return db_run(argv[optind], conninfo);
}
