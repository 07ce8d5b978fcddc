/* SPDX-License-Identifier: ISC */
/*
 * cmd_keys_zone: `fblscope keys zone`, the records the ESP's DKIM
 * nameservers serve for its private keys (keyzone.h), printed or written as
 * one zone file per zone.  Dispatched from cmd_keys.c.
 */
#include <sys/stat.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/file.h"
#include "base/date.h"
#include "fbl/commands.h"
#include "fbl/config.h"
#include "fbl/keys/keyimport.h"
#include "fbl/keys/keyzone.h"
#include "verifier/cli.h"

#define ZONE_MAX_FILE	(64u << 20)	/* an old zone file read back */

static const char zone_usage[] =
"usage: fblscope keys zone [--private-keys DIR] [--config FILE] [--ttl N]\n"
"           [--split OUTDIR]\n"
"\n"
"The DNS records the ESP's DKIM nameservers serve for every private key of\n"
"DIR (named SELECTOR.DOMAIN.pem, as `fblscope keygen` writes them; split as\n"
"`keys import` does): the TXT record `keygen` publishes, at\n"
"SELECTOR._domainkey.DOMAIN in the zone ESPID._domainkey.DOMAIN that a\n"
"customer delegates (or _domainkey.DOMAIN for an esp-domain token), and, with\n"
"cname-target, at the CNAME target in the ESP's cname zone.  Printed as\n"
"master-format records grouped per zone, then comment lines with what to send\n"
"each customer: the NS records of the delegation, or its CNAME records.\n"
"\n"
"  --private-keys DIR  the key directory (default: private-key-dir)\n"
"  --config FILE       fblscope.conf(5): esp-id, esp-domain, nameserver,\n"
"                      customer rules, selector-pattern, cname-target\n"
"                      (default $FBLSCOPE_CONFIG, else " CONFIG_DEFAULT_PATH ")\n"
"  --ttl N             TTL of the records (default 3600)\n"
"  --split OUTDIR      write one zone file per zone instead, OUTDIR/ZONE.zone\n"
"                      ($ORIGIN, $TTL, SOA with a YYYYMMDDnn serial, NS = the\n"
"                      nameservers, the records); a file whose records did\n"
"                      not change is left alone\n"
"  -h, --help          this text\n"
"\n"
"Exit status: 0 every key placed; 1 some key file was skipped (named on\n"
"standard error) or none was found; 2 could not run (usage, the\n"
"configuration, DIR, a zone file that cannot be written).\n";

enum { OPT_KEYS = CLI_OPT_FIRST_FREE, OPT_TTL, OPT_SPLIT };

static const struct option zone_longopts[] = {
	{ "private-keys", required_argument, NULL, OPT_KEYS },
	CLI_CONFIG_LONGOPT,
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "split", required_argument, NULL, OPT_SPLIT },
	CLI_HELP_LONGOPT_END,
};

struct zone_opts {
	const char	*dir;
	const char	*config;
	const char	*split;
	unsigned long	 ttl;
};

static int
zone_fail(const char *msg, bool usage)
{
	return cli_usage_error("keys zone", usage ? zone_usage : NULL, msg);
}

static bool
put_out(const struct buf *b)
{
	return fwrite(b->data != NULL ? b->data : "", 1, b->len, stdout) ==
	    b->len && fflush(stdout) == 0;
}

/* ---- --split ---------------------------------------------------------- */

/* Today (UTC) as YYYYMMDD. */
static uint32_t
today(void)
{
	int	 y, m, d;

	date_civil_from_days((int64_t)time(NULL) / 86400, &y, &m, &d);
	return (uint32_t)(y * 10000 + m * 100 + d);
}

/* The old file at path, if any: 1 read, 0 none, -1 error (err). */
static int
read_old(const char *path, struct buf *old, struct buf *err)
{
	struct stat	 sb;

	if (stat(path, &sb) == -1) {
		if (errno == ENOENT)
			return 0;
		buf_printf(err, "%s: %s", path, strerror(errno));
		return -1;
	}
	return file_read(path, ZONE_MAX_FILE, old, err) ? 1 : -1;
}

/* text to path, replacing it atomically (base/file.h). */
static bool
write_file(const char *path, const struct buf *text, struct buf *err)
{
	return file_write(path, text->data, text->len, 0644, FILE_REPLACE,
	    err);
}

/* Zone i into outdir; one line on stdout (in report). */
static bool
split_one(const struct keyzone_plan *p, size_t i, const char *outdir,
    struct buf *report, struct buf *err)
{
	struct buf	 path = BUF_INIT, old = BUF_INIT, text = BUF_INIT;
	uint32_t	 serial = 0;
	bool		 have = false, ok = false, same;
	int		 r;

	buf_printf(&path, "%s%s%s.zone", outdir, outdir[strlen(outdir) - 1] ==
	    '/' ? "" : "/", p->zones[i].name);
	if (!buf_ok(&path) || (r = read_old(path.data, &old, err)) < 0)
		goto out;
	if (r > 0)
		have = keyzone_file_serial(old.data, old.len, &serial);
	if (have)
		keyzone_file(p, i, serial, &text);
	same = have && text.len == old.len &&
	    memcmp(text.data, old.data, old.len) == 0;
	if (!same) {
		serial = keyzone_next_serial(today(), have, serial);
		buf_reset(&text);
		keyzone_file(p, i, serial, &text);
		if (!buf_ok(&text)) {
			buf_puts(err, "out of memory");
			goto out;
		}
		if (!write_file(path.data, &text, err))
			goto out;
	}
	buf_printf(report, "%s: zone %s., %zu TXT, serial %lu, %s\n",
	    path.data, p->zones[i].name, p->zones[i].n,
	    (unsigned long)serial, same ? "unchanged" : "written");
	ok = true;
out:
	buf_free(&path);
	buf_free(&old);
	buf_free(&text);
	return ok;
}

static bool
split_all(const struct keyzone_plan *p, const char *outdir, struct buf *out,
    struct buf *err)
{
	size_t	 i;

	if (mkdir(outdir, 0755) == -1 && errno != EEXIST) {
		buf_printf(err, "%s: %s", outdir, strerror(errno));
		return false;
	}
	for (i = 0; i < p->nzones; i++)
		if (!split_one(p, i, outdir, out, err))
			return false;
	buf_putc(out, '\n');
	keyzone_print_delegations(p, out);
	return true;
}

/* ---- the command ------------------------------------------------------ */

/* The keys of the plan out: 0, 1 or 2 as the exit status. */
static int
zone_go(const struct zone_opts *o, const struct fbl_config *cfg,
    const char *dir)
{
	struct key_import ki;
	struct keyzone_plan p;
	struct buf	 err = BUF_INIT, out = BUF_INIT, notes = BUF_INIT;
	int		 status = 2;

	memset(&ki, 0, sizeof(ki));
	memset(&p, 0, sizeof(p));
	if (!keyimport_keydir(&ki, dir, cfg, &err))
		goto out;
	fputs(buf_cstr(&ki.notes), stderr);
	if (!keyzone_plan_build(&p, cfg, ki.v, ki.n, dir, (unsigned)o->ttl,
	    &notes, &ki.skipped, &err))
		goto out;
	fputs(buf_cstr(&notes), stderr);
	if (p.nkeys == 0) {
		fprintf(stderr, "fblscope keys zone: no key to serve in %s; "
		    "%zu skipped, %zu files ignored\n", dir, ki.skipped,
		    ki.ignored);
		status = 1;
		goto out;
	}
	if (o->split != NULL) {
		if (!split_all(&p, o->split, &out, &err))
			goto out;
	} else
		keyzone_print(&p, &out);
	if (!buf_ok(&out)) {
		buf_puts(&err, "out of memory");
		goto out;
	}
	if (!put_out(&out)) {
		buf_puts(&err, "write error on standard output");
		goto out;
	}
	fprintf(stderr, "fblscope keys zone: %zu key%s, %zu zone%s; %zu "
	    "skipped, %zu files ignored\n", p.nkeys, p.nkeys == 1 ? "" : "s",
	    p.nzones, p.nzones == 1 ? "" : "s", ki.skipped, ki.ignored);
	status = ki.skipped > 0 ? 1 : 0;
out:
	if (status == 2)
		fprintf(stderr, "fblscope keys zone: %s\n", buf_cstr(&err));
	keyzone_plan_free(&p);
	keyimport_free(&ki);
	buf_free(&err);
	buf_free(&out);
	buf_free(&notes);
	return status;
}

int
cmd_keys_zone(int argc, char **argv)
{
	struct zone_opts o;
	struct fbl_config *cfg;
	struct buf	 err = BUF_INIT;
	const char	*dir;
	int		 ch, status;

	memset(&o, 0, sizeof(o));
	o.ttl = KEYZONE_DEFAULT_TTL;
	optind = 1;
	while ((ch = cli_getopt(argc, argv, zone_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(zone_usage, stdout);
			return 0;
		case OPT_KEYS:
			o.dir = optarg;
			break;
		case CLI_OPT_CONFIG:
			o.config = optarg;
			break;
		case OPT_TTL:
			if (!cli_parse_uint(optarg, 0, 2147483647UL, &o.ttl))
				return zone_fail("--ttl: want seconds", true);
			break;
		case OPT_SPLIT:
			if (optarg[0] == '\0')
				return zone_fail("--split: empty directory "
				    "name", true);
			o.split = optarg;
			break;
		default:
			return zone_fail(cli_bad_option(), true);
		}
	}
	if (optind < argc)
		return zone_fail("unexpected argument (the keys are read from "
		    "--private-keys DIR)", true);
	if ((cfg = config_find(o.config, CONFIG_REQUIRED, &err)) == NULL)
		return cli_usage_fail("keys zone", NULL, &err);
	if ((dir = o.dir != NULL ? o.dir : cfg->private_key_dir) == NULL) {
		buf_printf(&err, "no --private-keys, and %s has no "
		    "private-key-dir", cfg->path);
		status = zone_fail(buf_cstr(&err), false);
	} else
		status = zone_go(&o, cfg, dir);
	config_free(cfg);
	buf_free(&err);
	return status;
}
