/* SPDX-License-Identifier: ISC */
/*
 * fblscope: the dispatcher.  One binary, one subcommand per job; every
 * command lives in the module of its room (verifier/, fbl/, report/).
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "fbl/commands.h"
#include "fbl/store/conninfo.h"
#include "report/commands.h"
#include "verifier/commands.h"

#define FBLSCOPE_VERSION "0.1.0"

struct command {
	const char	*name;
	int		(*run)(int, char **);
	const char	*summary;
};

static const struct command commands[] = {
	{ "verify", cmd_verify_reports, "verify the DKIM signatures of messages" },
	{ "sign", cmd_sign, "sign a message (for samples, tests, debugging)" },
	{ "keygen", cmd_keygen, "make a key pair and its DNS TXT record" },
	{ "arf", cmd_arf, "what a feedback report is and says (no database)" },
	{ "db", cmd_db, "apply or list the PostgreSQL schema migrations" },
	{ "ingest", cmd_ingest, "store feedback reports and samples in PostgreSQL" },
	{ "keys", cmd_keys, "the ESP's DKIM keys: audit, zone, import, list" },
	{ "reverify", cmd_reverify, "judge open verdicts again (DNS back, keys imported)" },
	{ "reattribute", cmd_reattribute, "attribute stored reports again after the customers changed" },
	{ "volume", cmd_volume, "import sending volumes (CSV) for complaint rates" },
	{ "report", cmd_report, "the reputation report (text, CSV, JSON, HTML)" },
};

/* Every command of the table: the help cannot forget one. */
static void
usage(void)
{
	size_t	 i;

	fputs("usage: fblscope COMMAND [options] [args]\n\ncommands:\n",
	    stdout);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		printf("  %-12s %s\n", commands[i].name, commands[i].summary);
	fputs("\n`fblscope COMMAND --help` describes each; see fblscope(1).\n",
	    stdout);
}

/*
 * Every command that opens the database takes --db; a password in it is
 * readable by every user of the machine.  Said once, here at the edge,
 * whatever the command.
 */
static void
warn_db_password(int argc, char **argv)
{
	const char	*v;
	int		 i;

	for (i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return;
		if (strcmp(argv[i], "--db") == 0 && i + 1 < argc)
			v = argv[++i];
		else if (strncmp(argv[i], "--db=", 5) == 0)
			v = argv[i] + 5;
		else
			continue;
		if (conninfo_has_password(v)) {
			fprintf(stderr, "fblscope: warning: the --db connection "
			    "string holds a password, which every user of this "
			    "machine can read (ps); put it in ~/.pgpass or in "
			    "the file PGPASSFILE names instead\n");
			return;
		}
	}
}

int
main(int argc, char **argv)
{
	size_t	 i;

	/* a command says what is wrong with its options once, itself */
	opterr = 0;
	if (argc < 2) {
		fputs("fblscope: no command given (see fblscope --help)\n",
		    stderr);
		return 2;
	}
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage();
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0 ||
	    strcmp(argv[1], "version") == 0) {
		printf("fblscope %s\n", FBLSCOPE_VERSION);
		return 0;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (strcmp(argv[1], commands[i].name) == 0) {
			warn_db_password(argc, argv);
			return commands[i].run(argc - 1, argv + 1);
		}
	fprintf(stderr, "fblscope: unknown command \"%.64s\" (see fblscope "
	    "--help)\n", argv[1]);
	return 2;
}
