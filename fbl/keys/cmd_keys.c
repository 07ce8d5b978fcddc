/* SPDX-License-Identifier: ISC */
/*
 * cmd_keys: `fblscope keys`: the key archive (keyarchive.h) and a small
 * dispatcher of its own; the audit is in cmd_keys_audit.c.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "fbl/commands.h"
#include "fbl/config.h"
#include "fbl/keys/keyarchive.h"
#include "fbl/keys/keyimport.h"
#include "verifier/cli.h"

#define FP_ABBREV_USAGE							\
"  --abbrev       abbreviate fingerprints to their first 16 hex digits\n"

static const char keys_usage[] =
"usage: fblscope keys SUBCOMMAND [options] [args]\n"
"\n"
"The ESP's DKIM keys: the audit of the nameservers that publish them, and\n"
"the key archive (every key record seen in DNS or imported, kept in\n"
"PostgreSQL so that old mail can be judged under the key of its day).\n"
"\n"
"subcommands:\n"
"  audit      check the DKIM nameservers, delegations and keys\n"
"  import     archive the keys of zone files and private key directories\n"
"  list       show archived keys\n"
"  zone       the DNS records the ESP's nameservers serve for its keys\n"
"\n"
"`fblscope keys SUBCOMMAND --help` describes each; see fblscope(1).\n";

static const char import_usage[] =
"usage: fblscope keys import [--db CONNINFO] [--config FILE] [--abbrev]\n"
"           FILE|DIR...\n"
"\n"
"Archive DKIM public keys, origin \"import\", in one transaction.\n"
"FILE is a master-format zone file: every TXT record whose owner has a\n"
"_domainkey label and that holds a usable key is archived; revoked or\n"
"unparseable ones are reported and skipped.  DIR holds private keys named\n"
"SELECTOR.DOMAIN.pem (RSA or Ed25519, unencrypted PEM): the public record\n"
"`fblscope keygen` would publish is archived at SELECTOR._domainkey.DOMAIN;\n"
"the name splits at its first dot unless the selector-pattern of --config\n"
"matches more labels.  Nothing private is printed or stored.\n"
"\n"
"One line per key on standard output: name, type/bits, fingerprint (the\n"
"SHA-256 of the p= bytes, hex, as `keys list` shows it), new or known.\n"
"\n"
"  --db CONNINFO  libpq connection string or URI (default: the PG*\n"
"                 environment variables and the service file)\n"
"  --config FILE  take the selector-pattern from fblscope.conf(5) (default\n"
"                 $FBLSCOPE_CONFIG, else " CONFIG_DEFAULT_PATH " if it exists)\n"
FP_ABBREV_USAGE
"  -h, --help     this text\n"
"\n"
"Exit status: 0 every candidate archived; 1 some record or key file was\n"
"skipped, or nothing was found; 2 could not run (usage, a FILE or DIR that\n"
"cannot be read, the database): nothing is stored.\n";

static const char list_usage[] =
"usage: fblscope keys list [--db CONNINFO] [--abbrev] [NAME...]\n"
"\n"
"Show the archived keys, all of them or those of each NAME\n"
"(selector._domainkey.domain), one per line, tab-separated: name,\n"
"type/bits, fingerprint (SHA-256 of the p= bytes, hex), origin (dns or\n"
"import), first seen, last seen (UTC).\n"
"\n"
"  --db CONNINFO  libpq connection string or URI\n"
FP_ABBREV_USAGE
"  -h, --help     this text\n"
"\n"
"Exit status: 0 shown; 1 some NAME has no archived key; 2 could not run.\n";

enum { OPT_ABBREV = CLI_OPT_FIRST_FREE };

static const struct option keys_longopts[] = {
	CLI_DB_LONGOPT,
	CLI_CONFIG_LONGOPT,
	{ "abbrev", no_argument, NULL, OPT_ABBREV },
	CLI_HELP_LONGOPT_END,
};

struct keys_opts {
	const char	*conninfo;
	const char	*config;
	bool		 abbrev;	/* fingerprints abbreviated */
};

/* Options of subcommand cmd ("keys list"); -1 to go on, else the status. */
static int
keys_options(int argc, char **argv, const char *cmd, const char *usage,
    bool config_ok, struct keys_opts *o)
{
	int	 ch;

	memset(o, 0, sizeof(*o));
	optind = 1;
	while ((ch = cli_getopt(argc, argv, keys_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(usage, stdout);
			return 0;
		case CLI_OPT_DB:
			o->conninfo = optarg;
			break;
		case CLI_OPT_CONFIG:
			if (!config_ok)
				return cli_usage_error(cmd, usage,
				    "unrecognized option \"--config\"");
			o->config = optarg;
			break;
		case OPT_ABBREV:
			o->abbrev = true;
			break;
		default:
			return cli_usage_error(cmd, usage, cli_bad_option());
		}
	}
	return -1;
}

/* ---- import ----------------------------------------------------------- */

/* Read every path; false when one cannot be read (each said once). */
static bool
import_read(struct key_import *ki, char **paths, size_t n,
    const struct fbl_config *cfg)
{
	struct buf	 err = BUF_INIT;
	size_t		 i;
	bool		 ok = true;

	for (i = 0; i < n; i++) {
		if (keyimport_path(ki, paths[i], cfg, &err))
			continue;
		fprintf(stderr, "fblscope keys import: %s\n", buf_cstr(&err));
		buf_reset(&err);
		ok = false;
	}
	buf_free(&err);
	return ok;
}

static void
import_print(const struct key_import *ki, const bool *is_new, bool abbrev)
{
	const struct key_archive_entry *e;
	struct buf	 fp = BUF_INIT;
	size_t		 i;

	for (i = 0; i < ki->n; i++) {
		e = &ki->v[i];
		buf_reset(&fp);
		keyarchive_fp_put(&fp, e->fp, abbrev);
		printf("%s\t%s/%u\t%s\t%s\n", e->name, key_type_name(e->type),
		    e->bits, buf_cstr(&fp), is_new[i] ? "new" : "known");
	}
	buf_free(&fp);
}

static int
import_store(const struct keys_opts *o, const struct key_import *ki)
{
	struct store	*st;
	struct buf	 err = BUF_INIT;
	bool		*is_new;
	size_t		 i, nnew = 0;
	int		 status = 2;

	if ((is_new = calloc(ki->n, sizeof(*is_new))) == NULL) {
		fputs("fblscope keys import: out of memory\n", stderr);
		return 2;
	}
	if ((st = store_open(o->conninfo, &err)) != NULL &&
	    keyarchive_upsert(st, ki->v, ki->n, "import", false, is_new,
	    &err)) {
		import_print(ki, is_new, o->abbrev);
		for (i = 0; i < ki->n; i++)
			nnew += is_new[i];
		fprintf(stderr, "fblscope keys import: %zu key%s, %zu new, "
		    "%zu already known; %zu skipped, %zu files ignored\n",
		    ki->n, ki->n == 1 ? "" : "s", nnew, ki->n - nnew,
		    ki->skipped, ki->ignored);
		status = ki->skipped > 0 ? 1 : 0;
	} else
		fprintf(stderr, "fblscope keys import: nothing stored: %s\n",
		    buf_cstr(&err));
	store_close(st);
	free(is_new);
	buf_free(&err);
	return status;
}

static int
import_go(const struct keys_opts *o, char **paths, size_t n)
{
	struct key_import ki;
	struct fbl_config *cfg = NULL;
	struct buf	 err = BUF_INIT;
	int		 status = 2;

	memset(&ki, 0, sizeof(ki));
	if ((cfg = config_find(o->config, CONFIG_OPTIONAL, &err)) == NULL &&
	    err.len > 0)
		fprintf(stderr, "fblscope keys import: %s\n", buf_cstr(&err));
	else if (import_read(&ki, paths, n, cfg)) {
		fputs(buf_cstr(&ki.notes), stderr);
		if (ki.n > 0)
			status = import_store(o, &ki);
		else {
			fprintf(stderr, "fblscope keys import: no key found; "
			    "%zu skipped, %zu files ignored\n", ki.skipped,
			    ki.ignored);
			status = 1;
		}
	} else
		fputs("fblscope keys import: nothing stored\n", stderr);
	keyimport_free(&ki);
	config_free(cfg);
	buf_free(&err);
	return status;
}

static int
keys_import(int argc, char **argv)
{
	struct keys_opts o;
	int		 st;

	if ((st = keys_options(argc, argv, "keys import", import_usage, true,
	    &o)) >= 0)
		return st;
	if (optind >= argc)
		return cli_usage_error("keys import", import_usage,
		    "no FILE or DIR given");
	return import_go(&o, argv + optind, (size_t)(argc - optind));
}

/* ---- list ------------------------------------------------------------- */

static void
utc(int64_t t, char out[32])
{
	date_format_time(t, out);
}

static void
list_print(const struct key_archive_entry *v, size_t n, bool abbrev)
{
	struct buf	 fp = BUF_INIT;
	char		 first[32], last[32];
	size_t		 i;

	for (i = 0; i < n; i++) {
		buf_reset(&fp);
		keyarchive_fp_put(&fp, v[i].fp, abbrev);
		utc(v[i].first_seen, first);
		utc(v[i].last_seen, last);
		printf("%s\t%s/%u\t%s\t%s\t%s\t%s\n", v[i].name,
		    key_type_name(v[i].type), v[i].bits, buf_cstr(&fp),
		    v[i].origin, first, last);
	}
	buf_free(&fp);
}

/* One NAME (or all for NULL): 0 shown, 1 none archived, 2 error. */
static int
list_one(struct store *st, const char *name, bool abbrev)
{
	struct key_archive_entry *v;
	struct buf	 err = BUF_INIT, folded = BUF_INIT;
	size_t		 n;
	int		 status = 0;

	v = NULL;
	n = 0;
	/* a name that cannot be a key name has no key: not a failure */
	if (name != NULL && !keyarchive_name(name, &folded, &err)) {
		fprintf(stderr, "fblscope keys list: %s: %s\n", name,
		    buf_cstr(&err));
		status = 1;
	} else if (!keyarchive_lookup(st, name, &v, &n, &err)) {
		fprintf(stderr, "fblscope keys list: %s\n", buf_cstr(&err));
		status = 2;
	} else if (n == 0 && name != NULL) {
		fprintf(stderr, "fblscope keys list: %s: no archived key\n",
		    name);
		status = 1;
	} else
		list_print(v, n, abbrev);
	keyarchive_entries_free(v, n);
	buf_free(&folded);
	buf_free(&err);
	return status;
}

static int
keys_list(int argc, char **argv)
{
	struct keys_opts o;
	struct store	*st;
	struct buf	 err = BUF_INIT;
	int		 i, r, status;

	if ((status = keys_options(argc, argv, "keys list", list_usage, false,
	    &o)) >= 0)
		return status;
	if ((st = store_open(o.conninfo, &err)) == NULL) {
		fprintf(stderr, "fblscope keys list: %s\n", buf_cstr(&err));
		buf_free(&err);
		return 2;
	}
	status = optind >= argc ? list_one(st, NULL, o.abbrev) : 0;
	for (i = optind; i < argc && status < 2; i++)
		if ((r = list_one(st, argv[i], o.abbrev)) > status)
			status = r;
	store_close(st);
	buf_free(&err);
	return status;
}

/* ---- the dispatcher --------------------------------------------------- */

static const struct {
	const char	*name;
	int		(*run)(int, char **);
} keys_subs[] = {
	{ "audit", cmd_keys_audit },
	{ "import", keys_import },
	{ "list", keys_list },
	{ "zone", cmd_keys_zone },
};

int
cmd_keys(int argc, char **argv)
{
	struct buf	 err = BUF_INIT;
	size_t		 i;

	if (argc < 2)
		return cli_usage_error("keys", keys_usage,
		    "no subcommand given");
	if (strcmp(argv[1], "-h") == 0 || strcmp(argv[1], "--help") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		fputs(keys_usage, stdout);
		return 0;
	}
	for (i = 0; i < sizeof(keys_subs) / sizeof(keys_subs[0]); i++)
		if (strcmp(argv[1], keys_subs[i].name) == 0)
			return keys_subs[i].run(argc - 1, argv + 1);
	buf_printf(&err, "unknown subcommand \"%.64s\"", argv[1]);
	return cli_usage_fail("keys", keys_usage, &err);
}
