/* SPDX-License-Identifier: ISC */
/*
 * cmd_keys_audit: `fblscope keys audit`, the check of the ESP's DKIM
 * nameservers, delegations and keys (keyaudit.h), printed as text or JSON
 * and, with --db, stored for the nightly report (keyaudit_store.h).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/date.h"
#include "fbl/commands.h"
#include "fbl/config.h"
#include "fbl/keys/dnsview.h"
#include "fbl/keys/keyaudit.h"
#include "fbl/keys/keyaudit_store.h"
#include "fbl/keys/keyimport.h"
#include "base/json.h"
#include "verifier/cli.h"

#define AUDIT_EXIT_TEMP		75	/* EX_TEMPFAIL: try again later */

static const char audit_usage[] =
"usage: fblscope keys audit [--config FILE] [--resolver IP[@PORT]]...\n"
"           [--port N] [--timeout MS] [--private-keys DIR] [--db CONNINFO]\n"
"           [--at YYYY-MM-DD] [--format text|json] [DOMAIN...]\n"
"\n"
"Check that the ESP's DKIM nameservers serve what they should, for each\n"
"DOMAIN, or for every esp-domain and exact customer domain of the\n"
"configuration: the delegation of <esp-id>._domainkey.<domain> at its\n"
"parent (or the customer's CNAMEs), lame servers, SOA serials, each\n"
"selector's key record on each server, identical records, key sizes, t=y,\n"
"h=, revoked keys, private keys against published keys, the current\n"
"selector of the <mon><yyyy>.<esp-id> convention and old selectors past\n"
"rotation-grace-days.  One row per check: OK, WARN, FAIL or TEMP (the\n"
"question could not be asked or answered: timeout, connection-refused,\n"
"servfail ...).  docs/keys.md lists every check.\n"
"\n"
"  --config FILE        fblscope.conf(5) (default $FBLSCOPE_CONFIG, else\n"
"                       " CONFIG_DEFAULT_PATH ")\n"
"  --resolver IP[@PORT] the recursive resolver that stands for the public\n"
"                       DNS, repeatable (default: /etc/resolv.conf); the\n"
"                       servers asked directly are asked on its PORT too,\n"
"                       when every --resolver names the same one\n"
"  --port N             port of the servers asked directly (default: that\n"
"                       of the --resolver options, else 53)\n"
CLI_TIMEOUT_USAGE
"                       (2 tries per question)\n"
"  --private-keys DIR   private keys SELECTOR.DOMAIN.pem to match\n"
"                       (default: the private-key-dir of the config)\n"
"  --db CONNINFO        store the results (one row per domain and check)\n"
"                       and look up selectors still signing in complaints\n"
"  --at YYYY-MM-DD      judge rotation as of this day (default today, UTC;\n"
"                       --date is a deprecated alias)\n"
"  --format text|json   output (default text)\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 no FAIL and no TEMP (WARN allowed); 1 some FAIL; 75 some\n"
"TEMP and no FAIL (ask again later); 2 could not run (usage, configuration,\n"
"resolver, database).\n";

/*
 * --resolver and --timeout are read as every command reads them (cli.h),
 * but the resolver stands for the public DNS (dnsview.h), not a key source.
 */
enum {
	OPT_PORT = CLI_OPT_FIRST_FREE, OPT_PRIVATE, OPT_FORMAT,
};

static const struct option audit_longopts[] = {
	CLI_CONFIG_LONGOPT,
	CLI_RESOLVER_LONGOPT,
	{ "port", required_argument, NULL, OPT_PORT },
	CLI_TIMEOUT_LONGOPT,
	{ "private-keys", required_argument, NULL, OPT_PRIVATE },
	CLI_DB_LONGOPT,
	CLI_AT_LONGOPT,
	CLI_AT_DATE_ALIAS_LONGOPT,
	{ "format", required_argument, NULL, OPT_FORMAT },
	CLI_HELP_LONGOPT_END,
};

struct audit_cli {
	const char	*config;
	struct cli_keys	 dns;		/* --resolver, --timeout */
	unsigned	 port;		/* 0: direct_port() decides */
	const char	*private_dir;
	const char	*conninfo;
	int		 year, month, day;
	bool		 json;
	char		**domains;
	size_t		 ndomains;
};

/* The usage error of a bad value: "--port \"x\": want 1 to 65535". */
static int
audit_bad_value(const char *opt, const char *arg, const char *want)
{
	struct buf	 b = BUF_INIT;

	buf_printf(&b, "%s \"%.64s\": %s", opt, arg, want);
	return cli_usage_fail("keys audit", audit_usage, &b);
}

static void
today(int *y, int *m, int *d)
{
	date_civil_from_days((int64_t)time(NULL) / 86400, y, m, d);
}

/*
 * The port of the servers asked directly: --port, else the one every
 * --resolver names (a test lab runs all its servers on one port), else 53.
 */
static unsigned
direct_port(const struct audit_cli *c)
{
	const char	*at;
	unsigned long	 port = 0, p;
	size_t		 i;

	if (c->port != 0)
		return c->port;
	for (i = 0; i < c->dns.nresolvers; i++) {
		if ((at = strrchr(c->dns.resolvers[i], '@')) == NULL ||
		    !cli_parse_uint(at + 1, 1, 65535, &p) ||
		    (port != 0 && p != port))
			return 53;
		port = p;
	}
	return port != 0 ? (unsigned)port : 53;
}

static int
audit_option(struct audit_cli *c, int ch)
{
	struct buf	 err = BUF_INIT;
	unsigned long	 v;

	switch (ch) {
	case CLI_OPT_CONFIG:
		c->config = optarg;
		break;
	case OPT_PORT:
		if (!cli_parse_uint(optarg, 1, 65535, &v))
			return audit_bad_value("--port", optarg,
			    "want 1 to 65535");
		c->port = (unsigned)v;
		break;
	case OPT_PRIVATE:
		c->private_dir = optarg;
		break;
	case CLI_OPT_DB:
		c->conninfo = optarg;
		break;
	case CLI_OPT_AT:
		if (!date_parse_day(optarg, strlen(optarg), NULL, &c->year,
		    &c->month, &c->day))
			return audit_bad_value("--at", optarg,
			    "want YYYY-MM-DD");
		break;
	case OPT_FORMAT:
		if (strcmp(optarg, "json") == 0)
			c->json = true;
		else if (strcmp(optarg, "text") != 0)
			return audit_bad_value("--format", optarg,
			    "want text or json");
		break;
	case CLI_OPT_RESOLVER:
		if (c->dns.nresolvers == DNSVIEW_MAX_RESOLVERS)
			return cli_usage_error("keys audit", audit_usage,
			    "too many --resolver options (at most "
			    CLI_STR(DNSVIEW_MAX_RESOLVERS) ")");
		/* FALLTHROUGH */
	default:
		if (!cli_shared_option(&c->dns, NULL, ch, optarg, &err))
			return cli_usage_fail("keys audit", audit_usage, &err);
	}
	buf_free(&err);
	return -1;
}

/* -1 to go on, else the exit status. */
static int
audit_options(int argc, char **argv, struct audit_cli *c)
{
	int	 ch, st;

	memset(c, 0, sizeof(*c));
	cli_keys_init(&c->dns);
	today(&c->year, &c->month, &c->day);
	optind = 1;
	while ((ch = cli_getopt(argc, argv, audit_longopts)) != -1) {
		if (ch == 'h') {
			fputs(audit_usage, stdout);
			return 0;
		}
		if ((st = audit_option(c, ch)) >= 0)
			return st;
	}
	c->domains = argv + optind;
	c->ndomains = (size_t)(argc - optind);
	return -1;
}

/* ---- output ------------------------------------------------------------- */

/* Domains by their status, and every row by its status. */
struct tally {
	size_t	 domains[AUDIT_FAIL + 1];
	size_t	 rows[AUDIT_FAIL + 1];
};

static void
tally(struct tally *t, const struct audit_domain *d, size_t n)
{
	size_t	 i, j;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < n; i++) {
		t->domains[d[i].status]++;
		for (j = 0; j < d[i].nrows; j++)
			t->rows[d[i].rows[j].status]++;
	}
}

static void
print_text(const struct audit_domain *d, size_t n)
{
	const struct audit_row	*r;
	struct tally		 t;
	size_t			 i, j;

	tally(&t, d, n);
	for (i = 0; i < n; i++) {
		printf("%s (%s) %s %s\n", d[i].domain,
		    d[i].customer_id != NULL ? d[i].customer_id : "-",
		    audit_mode_name(d[i].mode), audit_status_name(d[i].status));
		for (j = 0; j < d[i].nrows; j++) {
			r = &d[i].rows[j];
			printf("  %-4s  %-11s  %s%s%s  %s: %s\n",
			    audit_status_name(r->status),
			    audit_check_name(r->check),
			    r->subject != NULL ? r->subject : "-",
			    r->server != NULL ? "  @" : "",
			    r->server != NULL ? r->server : "", r->reason,
			    r->detail);
		}
	}
	/* a FAIL domain's TEMP rows are counted too: they are not hidden */
	printf("%zu domain%s: %zu OK, %zu WARN, %zu FAIL, %zu TEMP; rows: "
	    "%zu WARN, %zu FAIL, %zu TEMP\n", n, n == 1 ? "" : "s",
	    t.domains[AUDIT_OK], t.domains[AUDIT_WARN],
	    t.domains[AUDIT_FAIL], t.domains[AUDIT_TEMP], t.rows[AUDIT_WARN],
	    t.rows[AUDIT_FAIL], t.rows[AUDIT_TEMP]);
}

static void
json_row(struct buf *b, const struct audit_row *r)
{
	bool	 f = true;

	buf_putc(b, '{');
	json_kv_str(b, "check", audit_check_name(r->check), &f);
	json_key(b, "subject", &f);
	json_cstr(b, r->subject);
	json_key(b, "server", &f);
	json_cstr(b, r->server);
	json_kv_str(b, "status", audit_status_name(r->status), &f);
	json_kv_str(b, "reason", r->reason, &f);
	json_kv_str(b, "detail", r->detail, &f);
	buf_putc(b, '}');
}

static void
json_domain(struct buf *b, const struct audit_domain *d)
{
	size_t	 i;
	bool	 f = true;

	buf_puts(b, "\n    {");
	json_kv_str(b, "domain", d->domain, &f);
	json_key(b, "customer_id", &f);
	json_cstr(b, d->customer_id);
	json_kv_str(b, "role", d->esp ? "esp" : "customer", &f);
	json_kv_str(b, "mode", audit_mode_name(d->mode), &f);
	json_kv_str(b, "status", audit_status_name(d->status), &f);
	json_key(b, "selectors", &f);
	buf_putc(b, '[');
	for (i = 0; i < d->nselectors; i++) {
		if (i > 0)
			buf_putc(b, ',');
		json_cstr(b, d->selectors[i]);
	}
	buf_putc(b, ']');
	json_key(b, "checks", &f);
	buf_putc(b, '[');
	for (i = 0; i < d->nrows; i++) {
		buf_puts(b, i > 0 ? ",\n      " : "\n      ");
		json_row(b, &d->rows[i]);
	}
	buf_puts(b, "]}");
}

/* "ok", "no-address", or why it could not be asked: "timeout", ... */
static const char *
host_status(const struct dv_host *h)
{
	if (h == NULL)
		return dv_status_str(DV_NOMEM);
	if (h->state == DV_HOST_UNKNOWN)
		return dv_status_str(h->unknown);
	if (h->state == DV_HOST_NOADDR)
		return "no-address";
	return h->failed != DV_ANSWER && !h->answered ?
	    dv_status_str(h->failed) : "ok";
}

static void
json_nameservers(struct buf *b, const struct fbl_config *cfg,
    struct dnsview *v)
{
	const struct dv_host	*h;
	size_t			 i, k;
	bool			 f;

	buf_puts(b, "[");
	for (i = 0; i < cfg->nameservers.n; i++) {
		h = dnsview_host(v, cfg->nameservers.v[i]);
		f = true;
		buf_puts(b, i > 0 ? ",\n    {" : "\n    {");
		json_kv_str(b, "name", cfg->nameservers.v[i], &f);
		json_key(b, "addresses", &f);
		buf_putc(b, '[');
		for (k = 0; h != NULL && k < h->naddr; k++) {
			if (k > 0)
				buf_putc(b, ',');
			/* the label is IP@PORT: the address alone */
			json_str(b, h->addr[k].label,
			    strcspn(h->addr[k].label, "@"));
		}
		buf_putc(b, ']');
		json_kv_str(b, "status", host_status(h), &f);
		buf_putc(b, '}');
	}
	buf_puts(b, "]");
}

static void
print_json(const struct audit_cli *c, const struct fbl_config *cfg,
    struct dnsview *v, const struct audit_domain *d, size_t n)
{
	struct buf	 b = BUF_INIT;
	struct tally	 t;
	char		 date[16];
	size_t		 i;
	bool		 f = true;

	snprintf(date, sizeof(date), "%04d-%02d-%02d", c->year, c->month,
	    c->day);
	buf_puts(&b, "{");
	json_kv_int(&b, "version", 1, &f);
	json_kv_str(&b, "date", date, &f);
	json_kv_str(&b, "esp_id", cfg->esp_id, &f);
	buf_puts(&b, "\n  ");
	json_key(&b, "nameservers", &f);
	json_nameservers(&b, cfg, v);
	buf_puts(&b, "\n  ");
	json_key(&b, "domains", &f);
	buf_putc(&b, '[');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(&b, ',');
		json_domain(&b, &d[i]);
	}
	buf_puts(&b, "]\n  ");
	json_key(&b, "summary", &f);
	f = true;
	buf_putc(&b, '{');
	tally(&t, d, n);
	json_kv_uint(&b, "domains", n, &f);
	json_kv_uint(&b, "OK", t.domains[AUDIT_OK], &f);
	json_kv_uint(&b, "WARN", t.domains[AUDIT_WARN], &f);
	json_kv_uint(&b, "FAIL", t.domains[AUDIT_FAIL], &f);
	json_kv_uint(&b, "TEMP", t.domains[AUDIT_TEMP], &f);
	json_key(&b, "rows", &f);
	f = true;
	buf_putc(&b, '{');
	json_kv_uint(&b, "WARN", t.rows[AUDIT_WARN], &f);
	json_kv_uint(&b, "FAIL", t.rows[AUDIT_FAIL], &f);
	json_kv_uint(&b, "TEMP", t.rows[AUDIT_TEMP], &f);
	buf_puts(&b, "}}\n}\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_free(&b);
}

/* ---- the run ------------------------------------------------------------ */

/*
 * FAIL before TEMP: a FAIL is a fault to mend now, a TEMP only a question to
 * ask again; either makes a nightly job fail, in ways a script can tell.
 */
static int
audit_exit(const struct audit_domain *d, size_t n)
{
	struct tally	 t;

	tally(&t, d, n);
	/* the figures for a machine (the nightly run, monitoring) */
	fprintf(stderr, "fblscope keys audit: summary domains=%zu ok=%zu "
	    "warn=%zu fail=%zu temp=%zu rows_warn=%zu rows_fail=%zu "
	    "rows_temp=%zu\n", n, t.domains[AUDIT_OK], t.domains[AUDIT_WARN],
	    t.domains[AUDIT_FAIL], t.domains[AUDIT_TEMP], t.rows[AUDIT_WARN],
	    t.rows[AUDIT_FAIL], t.rows[AUDIT_TEMP]);
	if (t.rows[AUDIT_FAIL] > 0)
		return 1;
	return t.rows[AUDIT_TEMP] > 0 ? AUDIT_EXIT_TEMP : 0;
}

/* The domains of the config: ESP tokens, then exact customer domains. */
static bool
config_domains(const struct fbl_config *cfg, const char ***out, size_t *n)
{
	const char	**v;
	size_t		  i, k = 0;

	v = calloc(cfg->esp_domains.n + cfg->nexact + 1, sizeof(*v));
	if (v == NULL)
		return false;
	for (i = 0; i < cfg->esp_domains.n; i++)
		v[k++] = cfg->esp_domains.v[i];
	for (i = 0; i < cfg->nexact; i++)
		v[k++] = cfg->exact[i].domain;
	*out = v;
	*n = k;
	return true;
}

static bool
load_private(const struct audit_cli *c, const struct fbl_config *cfg,
    struct key_import *ki, bool *have)
{
	const char	*dir = c->private_dir != NULL ? c->private_dir :
			    cfg->private_key_dir;
	struct buf	 err = BUF_INIT;

	*have = false;
	if (dir == NULL)
		return true;
	if (!keyimport_keydir(ki, dir, cfg, &err)) {
		fprintf(stderr, "fblscope keys audit: %s\n", buf_cstr(&err));
		buf_free(&err);
		return false;
	}
	fputs(buf_cstr(&ki->notes), stderr);
	*have = true;
	buf_free(&err);
	return true;
}

static int
audit_run(const struct audit_cli *c, const struct fbl_config *cfg,
    const struct key_import *ki, struct keyaudit_db *db)
{
	struct dnsview_opts	 vo;
	struct audit_opts	 ao;
	struct audit_domain	*d = NULL;
	struct dnsview		*v;
	struct buf		 err = BUF_INIT;
	const char		**names = NULL;
	size_t			 n = 0, i;
	int			 status = 2;

	memset(&vo, 0, sizeof(vo));
	vo.resolvers = c->dns.resolvers;
	vo.nresolvers = c->dns.nresolvers;
	vo.port = direct_port(c);
	vo.timeout_ms = c->dns.timeout_ms;
	if ((v = dnsview_new(&vo, &err)) == NULL) {
		fprintf(stderr, "fblscope keys audit: %s\n", buf_cstr(&err));
		buf_free(&err);
		return 2;
	}
	memset(&ao, 0, sizeof(ao));
	ao.cfg = cfg;
	ao.view = v;
	ao.year = c->year;
	ao.month = c->month;
	ao.day = c->day;
	ao.private_keys = ki;
	if (db != NULL)
		keyaudit_db_signing(db, &ao.signing, &ao.nsigning);
	if (c->ndomains > 0) {
		names = (const char **)c->domains;
		n = c->ndomains;
	} else if (!config_domains(cfg, &names, &n))
		goto nomem;
	if (n > 0 && (d = calloc(n, sizeof(*d))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		if (!keyaudit_domain(&ao, names[i], &d[i]))
			goto nomem;
	if (c->json)
		print_json(c, cfg, v, d, n);
	else
		print_text(d, n);
	status = audit_exit(d, n);
	if (db != NULL && !keyaudit_db_store(db, d, n, &err)) {
		fprintf(stderr, "fblscope keys audit: not stored: %s\n",
		    buf_cstr(&err));
		status = 2;
	}
	goto out;
nomem:
	fputs("fblscope keys audit: out of memory\n", stderr);
out:
	for (i = 0; d != NULL && i < n; i++)
		keyaudit_domain_free(&d[i]);
	free(d);
	if (c->ndomains == 0)
		free(names);
	dnsview_free(v);
	buf_free(&err);
	return status;
}

int
cmd_keys_audit(int argc, char **argv)
{
	struct audit_cli	 c;
	struct fbl_config	*cfg;
	struct key_import	 ki;
	struct keyaudit_db	*db = NULL;
	struct buf		 err = BUF_INIT;
	bool			 have_keys;
	int			 st;
	char			 date[16];

	if ((st = audit_options(argc, argv, &c)) >= 0)
		return st;
	if ((cfg = config_find(c.config, CONFIG_REQUIRED, &err)) == NULL) {
		fprintf(stderr, "fblscope keys audit: %s\n", buf_cstr(&err));
		buf_free(&err);
		return 2;
	}
	memset(&ki, 0, sizeof(ki));
	st = 2;
	if (cfg->esp_id == NULL || cfg->nameservers.n == 0)
		fprintf(stderr, "fblscope keys audit: %s: esp-id and "
		    "nameserver are needed\n", cfg->path);
	else if (load_private(&c, cfg, &ki, &have_keys)) {
		snprintf(date, sizeof(date), "%04d-%02d-%02d", c.year,
		    c.month, c.day);
		if (c.conninfo != NULL && (db = keyaudit_db_open(c.conninfo,
		    cfg, date, &err)) == NULL)
			fprintf(stderr, "fblscope keys audit: %s\n",
			    buf_cstr(&err));
		else
			st = audit_run(&c, cfg, have_keys ? &ki : NULL, db);
	}
	keyaudit_db_close(db);
	keyimport_free(&ki);
	config_free(cfg);
	buf_free(&err);
	return st;
}
