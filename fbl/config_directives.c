/* SPDX-License-Identifier: ISC */
/*
 * config_directives: the keys of the configuration file, what values each
 * takes and where they go (docs/fblscope.conf.5); domain names and the
 * cname-target template, folded and checked.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/config_local.h"

#define ID_MAX		64
#define TZ_MAX		64
#define PATH_MAX_LEN	4096

struct directive {
	const char	*name;
	size_t		 min;		/* values, the key aside */
	size_t		 max;
	bool		 single;	/* may be given once */
	bool		 (*fn)(struct loader *);
};

/* Grow *arr (of elsize-byte elements) to hold n + 1. */
static bool
grow(void **arr, size_t *cap, size_t n, size_t elsize)
{
	size_t	 ncap;
	void	*p;

	if (n < *cap)
		return true;
	ncap = *cap ? *cap * 2 : 8;
	if (ncap > SIZE_MAX / elsize)
		return false;
	if ((p = realloc(*arr, ncap * elsize)) == NULL)
		return false;
	*arr = p;
	*cap = ncap;
	return true;
}

static bool
strlist_add(struct config_strlist *l, const char *s)
{
	char	*d;

	if (!grow((void **)&l->v, &l->cap, l->n, sizeof(*l->v)))
		return false;
	if ((d = strdup(s)) == NULL)
		return false;
	l->v[l->n++] = d;
	return true;
}

static bool
strlist_has(const struct config_strlist *l, const char *s)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i], s) == 0)
			return true;
	return false;
}

/* Add s to l once; a repeat is an error. */
static bool
strlist_add_once(struct loader *ld, struct config_strlist *l,
    const char *key, const char *s)
{
	if (strlist_has(l, s))
		return lerr(ld, "%s %s given twice", key, s);
	if (!strlist_add(l, s))
		return oom(ld);
	return true;
}

static char
lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

bool
config_domain_fold(const char *in, size_t len, char *out)
{
	size_t	 i;

	if (len > 0 && in[len - 1] == '.')
		len--;
	if (len == 0 || len > CONFIG_DOMAIN_MAX)
		return false;
	for (i = 0; i < len; i++) {
		if (in[i] == '\0')
			return false;
		out[i] = lower(in[i]);
	}
	out[len] = '\0';
	return true;
}

static bool
is_ldh(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	    c == '_';
}

/* Syntax of a folded domain; NULL when fine, else the reason. */
static const char *
domain_syntax(const char *d)
{
	size_t	 i, label = 0;

	for (i = 0; d[i] != '\0'; i++) {
		if (d[i] == '.') {
			if (label == 0)
				return "empty label";
			label = 0;
			continue;
		}
		if (!is_ldh(d[i]))
			return "only letters, digits, '-' and '_' may "
			    "appear in a label";
		if (++label > 63)
			return "a label is longer than 63 octets";
	}
	if (label == 0)
		return "empty label";
	return NULL;
}

/* A domain value: folded and checked into out. */
static bool
get_domain(struct loader *ld, const char *key, const char *v, char *out)
{
	const char	*why;

	if (!config_domain_fold(v, strlen(v), out))
		return lerr(ld, "%s: \"%s\" is not a domain name (%s)", key, v,
		    *v == '\0' || strcmp(v, ".") == 0 ? "empty" :
		    "longer than 253 octets");
	if ((why = domain_syntax(out)) != NULL)
		return lerr(ld, "%s: \"%s\" is not a domain name (%s)", key, v,
		    why);
	return true;
}

static bool
get_id(struct loader *ld, const char *key, const char *v)
{
	size_t	 i, n = strlen(v);

	if (n == 0 || n > ID_MAX)
		return lerr(ld, "%s: customer id \"%s\" must have 1 to %d "
		    "characters", key, v, ID_MAX);
	for (i = 0; i < n; i++) {
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
		    (v[i] >= 'A' && v[i] <= 'Z') ||
		    (v[i] >= '0' && v[i] <= '9') ||
		    v[i] == '-' || v[i] == '_' || v[i] == '.'))
			return lerr(ld, "%s: customer id \"%s\": only letters, "
			    "digits, '-', '_' and '.' are allowed", key, v);
	}
	return true;
}

bool
set_string(struct loader *ld, char **field, const char *v)
{
	char	*d;

	if ((d = strdup(v)) == NULL)
		return oom(ld);
	free(*field);
	*field = d;
	return true;
}

/*
 * Compile a pattern matched against whole lower-case names
 * (anchored at both ends, caseless).
 */
static pcre2_code *
compile(struct loader *ld, const char *key, const char *pat)
{
	pcre2_code	*re;
	int		 ec;
	PCRE2_SIZE	 eo;
	PCRE2_UCHAR	 msg[256];

	if (*pat == '\0') {
		lerr(ld, "%s: empty pattern", key);
		return NULL;
	}
	re = pcre2_compile((PCRE2_SPTR)pat, PCRE2_ZERO_TERMINATED,
	    PCRE2_ANCHORED | PCRE2_ENDANCHORED | PCRE2_CASELESS |
	    PCRE2_NEVER_BACKSLASH_C, &ec, &eo, NULL);
	if (re == NULL) {
		if (pcre2_get_error_message(ec, msg, sizeof(msg)) < 0)
			strcpy((char *)msg, "unknown error");
		lerr(ld, "%s: bad regular expression at offset %zu: %s", key,
		    (size_t)eo, (const char *)msg);
	}
	return re;
}

static bool
d_esp_id(struct loader *ld)
{
	const char	*v = ld->argv[1];
	size_t		 i, n = strlen(v);

	if (n == 0 || n > 63 || v[0] == '-' || v[n - 1] == '-')
		return lerr(ld, "esp-id: \"%s\" is not a DNS label (1 to 63 "
		    "letters, digits or inner '-')", v);
	for (i = 0; i < n; i++)
		if (!is_ldh(lower(v[i])) || v[i] == '_')
			return lerr(ld, "esp-id: \"%s\" is not a DNS label "
			    "(1 to 63 letters, digits or inner '-')", v);
	if (!set_string(ld, &ld->cfg->esp_id, v))
		return false;
	for (i = 0; i < n; i++)
		ld->cfg->esp_id[i] = lower(ld->cfg->esp_id[i]);
	return true;
}

static bool
d_esp_domain(struct loader *ld)
{
	char	 d[CONFIG_DOMAIN_MAX + 1];
	size_t	 i;

	for (i = 1; i < ld->argc; i++) {
		if (!get_domain(ld, "esp-domain", ld->argv[i], d))
			return false;
		if (!strlist_add_once(ld, &ld->cfg->esp_domains, "esp-domain", d))
			return false;
	}
	return true;
}

static bool
d_nameserver(struct loader *ld)
{
	char		 d[CONFIG_DOMAIN_MAX + 1];
	struct ip_addr	 a;
	const char	*v;
	size_t		 i, k;

	for (i = 1; i < ld->argc; i++) {
		v = ld->argv[i];
		/* an address literal, written plainly */
		if (strspn(v, "0123456789abcdefABCDEF:.") == strlen(v) &&
		    ip_parse(&a, v, strlen(v))) {
			for (k = 0; v[k] != '\0'; k++)
				d[k] = lower(v[k]);
			d[k] = '\0';
		} else if (!get_domain(ld, "nameserver", v, d))
			return false;
		if (!strlist_add_once(ld, &ld->cfg->nameservers, "nameserver", d))
			return false;
	}
	return true;
}

static bool
d_selector_pattern(struct loader *ld)
{
	struct fbl_config	*cfg = ld->cfg;
	const char		*v = ld->argv[1];

	if ((cfg->selector_re = compile(ld, "selector-pattern", v)) == NULL)
		return false;
	if (pcre2_substring_number_from_name(cfg->selector_re,
	    (PCRE2_SPTR)"mon") == PCRE2_ERROR_NOSUBSTRING ||
	    pcre2_substring_number_from_name(cfg->selector_re,
	    (PCRE2_SPTR)"year") == PCRE2_ERROR_NOSUBSTRING)
		return lerr(ld, "selector-pattern: the pattern needs the "
		    "named groups (?<mon>...) and (?<year>...)");
	return set_string(ld, &cfg->selector_pattern, v);
}

static bool
add_customer(struct loader *ld, bool exact, const char *id, const char *dom,
    const char *pat, pcre2_code *re)
{
	struct fbl_config	*cfg = ld->cfg;
	struct config_customer	*c;
	bool			 ok;

	if (exact)
		ok = grow((void **)&cfg->exact, &ld->exact_cap, cfg->nexact,
		    sizeof(*cfg->exact));
	else
		ok = grow((void **)&cfg->regex, &ld->regex_cap, cfg->nregex,
		    sizeof(*cfg->regex));
	if (!ok) {
		pcre2_code_free(re);
		return oom(ld);
	}
	c = exact ? &cfg->exact[cfg->nexact++] : &cfg->regex[cfg->nregex++];
	memset(c, 0, sizeof(*c));
	c->line = ld->line;
	c->re = re;
	c->id = strdup(id);
	c->domain = dom != NULL ? strdup(dom) : NULL;
	c->pattern = pat != NULL ? strdup(pat) : NULL;
	if (c->id == NULL || (dom != NULL && c->domain == NULL) ||
	    (pat != NULL && c->pattern == NULL))
		return oom(ld);
	return true;
}

static bool
d_customer(struct loader *ld)
{
	char	 d[CONFIG_DOMAIN_MAX + 1];
	size_t	 i;

	if (!get_id(ld, "customer", ld->argv[1]))
		return false;
	for (i = 2; i < ld->argc; i++) {
		if (!get_domain(ld, "customer", ld->argv[i], d))
			return false;
		if (!add_customer(ld, true, ld->argv[1], d, NULL, NULL))
			return false;
	}
	return true;
}

static bool
d_customer_regex(struct loader *ld)
{
	pcre2_code	*re;

	if (!get_id(ld, "customer-regex", ld->argv[1]))
		return false;
	if ((re = compile(ld, "customer-regex", ld->argv[2])) == NULL)
		return false;
	return add_customer(ld, false, ld->argv[1], NULL, ld->argv[2], re);
}

static bool
d_sending_network(struct loader *ld)
{
	struct fbl_config	*cfg = ld->cfg;
	struct cidr		 c;
	enum cidr_status	 st;
	struct buf		 m = BUF_INIT;
	const char		*v;
	size_t			 i;

	for (i = 1; i < ld->argc; i++) {
		v = ld->argv[i];
		if ((st = cidr_parse(&c, v, strlen(v))) == CIDR_HOST_BITS) {
			cidr_mask(&c);
			cidr_format(&m, &c);
			lerr(ld, "sending-network \"%s\": %s (the network "
			    "would be %s)", v, cidr_status_str(st),
			    buf_cstr(&m));
			buf_free(&m);
			return false;
		}
		if (st != CIDR_OK)
			return lerr(ld, "sending-network \"%s\": %s", v,
			    cidr_status_str(st));
		if (!grow((void **)&cfg->networks, &ld->net_cap,
		    cfg->nnetworks, sizeof(*cfg->networks)))
			return oom(ld);
		cfg->networks[cfg->nnetworks].cidr = c;
		cfg->networks[cfg->nnetworks++].line = ld->line;
	}
	return true;
}

static bool
d_report_timezone(struct loader *ld)
{
	const char	*v = ld->argv[1], *ok = "+-_/.:,<>";
	size_t		 i, n = strlen(v);

	if (n == 0 || n > TZ_MAX || v[0] == '/' || strstr(v, "..") != NULL)
		return lerr(ld, "report-timezone: \"%s\" is not a time zone "
		    "name such as UTC or Europe/Paris", v);
	for (i = 0; i < n; i++) {
		if (!((v[i] >= 'a' && v[i] <= 'z') ||
		    (v[i] >= 'A' && v[i] <= 'Z') ||
		    (v[i] >= '0' && v[i] <= '9') || strchr(ok, v[i]) != NULL))
			return lerr(ld, "report-timezone: \"%s\" is not a "
			    "time zone name such as UTC or Europe/Paris", v);
	}
	return set_string(ld, &ld->cfg->report_timezone, v);
}

/* "0.1%" as a fraction (0.001): at most 3 + 6 digits, above 0, <= 100 %. */
static bool
parse_percent(const char *v, double *out)
{
	unsigned long	 micro = 0;	/* millionths of a percent */
	size_t		 i = 0, nint = 0, nfrac = 0;

	for (; v[i] >= '0' && v[i] <= '9' && nint < 3; i++, nint++)
		micro = micro * 10 + (unsigned long)(v[i] - '0');
	if (nint == 0)
		return false;
	if (v[i] == '.') {
		for (i++; v[i] >= '0' && v[i] <= '9' && nfrac < 6;
		    i++, nfrac++)
			micro = micro * 10 + (unsigned long)(v[i] - '0');
		if (nfrac == 0)
			return false;
	}
	for (; nfrac < 6; nfrac++)
		micro *= 10;
	if (v[i] != '%' || v[i + 1] != '\0')
		return false;
	if (micro == 0 || micro > 100000000UL)
		return false;
	*out = (double)micro / 1e8;
	return true;
}

static bool
d_rate(struct loader *ld, double *field, unsigned *line)
{
	if (!parse_percent(ld->argv[1], field))
		return lerr(ld, "%s: \"%s\" is not a percentage above 0 and at "
		    "most 100, such as 0.1%%", ld->argv[0], ld->argv[1]);
	*line = ld->line;
	return true;
}

static bool
d_flag_rate(struct loader *ld)
{
	return d_rate(ld, &ld->cfg->flag_rate, &ld->flag_line);
}

static bool
d_alarm_rate(struct loader *ld)
{
	return d_rate(ld, &ld->cfg->alarm_rate, &ld->alarm_line);
}

/* A decimal number from min to max (at most 9 digits) into *n. */
static bool
parse_count(const char *v, unsigned min, unsigned max, unsigned *n)
{
	unsigned	 x = 0;
	size_t		 i;

	for (i = 0; v[i] >= '0' && v[i] <= '9' && i < 9; i++)
		x = x * 10 + (unsigned)(v[i] - '0');
	if (i == 0 || v[i] != '\0' || x < min || x > max)
		return false;
	*n = x;
	return true;
}

static bool
d_grace_days(struct loader *ld)
{
	if (!parse_count(ld->argv[1], 0, CONFIG_MAX_GRACE_DAYS,
	    &ld->cfg->rotation_grace_days))
		return lerr(ld, "rotation-grace-days: \"%s\" is not a number "
		    "of days from 0 to %d", ld->argv[1], CONFIG_MAX_GRACE_DAYS);
	return true;
}

static bool
d_rotation_months(struct loader *ld)
{
	if (!parse_count(ld->argv[1], 1, CONFIG_MAX_ROTATION_MONTHS,
	    &ld->cfg->rotation_months))
		return lerr(ld, "rotation-months: \"%s\" is not a number of "
		    "months from 1 to %d", ld->argv[1],
		    CONFIG_MAX_ROTATION_MONTHS);
	return true;
}

/* A path value, relative ones resolved against the config's directory. */
static bool
set_path(struct loader *ld, char **field)
{
	const char	*v = ld->argv[1];
	struct buf	 p = BUF_INIT;

	if (*v == '\0' || strlen(v) > PATH_MAX_LEN)
		return lerr(ld, "%s: empty or overlong path", ld->argv[0]);
	if (v[0] != '/') {
		buf_puts(&p, ld->dir);
		buf_putc(&p, '/');
	}
	buf_puts(&p, v);
	if (!buf_ok(&p)) {
		buf_free(&p);
		return oom(ld);
	}
	free(*field);
	*field = buf_steal(&p);
	return *field != NULL || oom(ld);
}

static bool
d_hmac_secret_file(struct loader *ld)
{
	return set_path(ld, &ld->cfg->hmac_secret_file);
}

static bool
d_private_key_dir(struct loader *ld)
{
	return set_path(ld, &ld->cfg->private_key_dir);
}

static bool
d_quarantine_dir(struct loader *ld)
{
	return set_path(ld, &ld->cfg->quarantine_dir);
}

static bool
d_cname_target(struct loader *ld)
{
	const char	*v = ld->argv[1], *why;
	struct buf	 t = BUF_INIT;
	size_t		 i, nsel = 0, ndom = 0;
	bool		 ok;

	for (i = 0; v[i] != '\0'; i++) {
		if (strncmp(v + i, "{selector}", 10) == 0) {
			buf_puts(&t, "s");
			nsel++;
			i += 9;
		} else if (strncmp(v + i, "{domain}", 8) == 0) {
			buf_puts(&t, "d.example");
			ndom++;
			i += 7;
		} else
			buf_putc(&t, lower(v[i]));
	}
	if (!buf_ok(&t)) {
		buf_free(&t);
		return oom(ld);
	}
	why = domain_syntax(buf_cstr(&t));
	ok = t.len <= CONFIG_DOMAIN_MAX;
	buf_free(&t);
	if (nsel == 0 || ndom == 0)
		return lerr(ld, "cname-target: \"%s\" must contain {selector} "
		    "and {domain}", v);
	if (why != NULL || !ok)
		return lerr(ld, "cname-target: \"%s\" is not a domain name "
		    "template (%s)", v, why != NULL ? why : "too long");
	return set_string(ld, &ld->cfg->cname_target, v);
}

static bool
d_imap_password_file(struct loader *ld)
{
	return set_path(ld, &ld->cfg->imap_password_file);
}

static bool
d_imap_ca_file(struct loader *ld)
{
	return set_path(ld, &ld->cfg->imap_ca_file);
}

/* A folder name; what the server accepts is checked when it is used. */
static bool
d_imap_folder(struct loader *ld, char **field)
{
	if (ld->argv[1][0] == '\0')
		return lerr(ld, "%s: empty folder name", ld->argv[0]);
	return set_string(ld, field, ld->argv[1]);
}

static bool
d_imap_processed_folder(struct loader *ld)
{
	return d_imap_folder(ld, &ld->cfg->imap_processed_folder);
}

static bool
d_imap_quarantine_folder(struct loader *ld)
{
	return d_imap_folder(ld, &ld->cfg->imap_quarantine_folder);
}

static bool
d_watch_interval(struct loader *ld)
{
	if (!parse_count(ld->argv[1], 1, CONFIG_MAX_WATCH_INTERVAL,
	    &ld->cfg->watch_interval))
		return lerr(ld, "watch-interval: \"%s\" is not a number of "
		    "seconds from 1 to %d", ld->argv[1],
		    CONFIG_MAX_WATCH_INTERVAL);
	return true;
}

static const struct directive directives[] = {
	{ "esp-id",		1, 1, true, d_esp_id },
	{ "esp-domain",		1, 0, false, d_esp_domain },
	{ "nameserver",		1, 0, false, d_nameserver },
	{ "selector-pattern",	1, 1, true, d_selector_pattern },
	{ "customer",		2, 0, false, d_customer },
	{ "customer-regex",	2, 2, false, d_customer_regex },
	{ "sending-network",	1, 0, false, d_sending_network },
	{ "report-timezone",	1, 1, true, d_report_timezone },
	{ "complaint-flag-rate", 1, 1, true, d_flag_rate },
	{ "complaint-alarm-rate", 1, 1, true, d_alarm_rate },
	{ "rotation-grace-days", 1, 1, true, d_grace_days },
	{ "rotation-months",	1, 1, true, d_rotation_months },
	{ "hmac-secret-file",	1, 1, true, d_hmac_secret_file },
	{ "private-key-dir",	1, 1, true, d_private_key_dir },
	{ "quarantine-dir",	1, 1, true, d_quarantine_dir },
	{ "cname-target",	1, 1, true, d_cname_target },
	{ "imap-password-file",	1, 1, true, d_imap_password_file },
	{ "imap-ca-file",	1, 1, true, d_imap_ca_file },
	{ "imap-processed-folder", 1, 1, true, d_imap_processed_folder },
	{ "imap-quarantine-folder", 1, 1, true, d_imap_quarantine_folder },
	{ "watch-interval",	1, 1, true, d_watch_interval },
};
#define NDIRECTIVES	(sizeof(directives) / sizeof(directives[0]))
_Static_assert(NDIRECTIVES <= NKEYS_MAX, "loader.seen is too small");

static const struct directive *
find_directive(const char *name)
{
	size_t	 i;

	for (i = 0; i < NDIRECTIVES; i++)
		if (strcmp(directives[i].name, name) == 0)
			return &directives[i];
	return NULL;
}

bool
run_directive(struct loader *ld)
{
	const struct directive	*d;
	size_t			 nval = ld->argc - 1, k;

	if ((d = find_directive(ld->argv[0])) == NULL)
		return lerr(ld, "unknown key \"%s\"", ld->argv[0]);
	if (nval < d->min)
		return lerr(ld, "%s: missing value (%s)", d->name,
		    d->min == 2 ? "an id and a value expected" :
		    d->max == 1 ? "one expected" : "one or more expected");
	if (d->max != 0 && nval > d->max)
		return lerr(ld, "%s: too many values (%zu given, %zu expected)",
		    d->name, nval, d->max);
	k = (size_t)(d - directives);
	if (d->single && ld->seen[k] != 0)
		return lerr(ld, "%s given twice (first on line %u)", d->name,
		    ld->seen[k]);
	ld->seen[k] = ld->line;
	return d->fn(ld);
}

bool
config_cname_target(const struct fbl_config *cfg, const char *selector,
    const char *domain, struct buf *out)
{
	char		 d[CONFIG_DOMAIN_MAX + 1];
	const char	*t;
	size_t		 i;

	buf_reset(out);
	if (cfg == NULL || cfg->cname_target == NULL ||
	    !config_domain_fold(domain, strlen(domain), d))
		return false;
	t = cfg->cname_target;
	for (i = 0; t[i] != '\0'; i++) {
		if (strncmp(t + i, "{selector}", 10) == 0) {
			for (; *selector != '\0'; selector++)
				buf_putc(out, lower(*selector));
			i += 9;
		} else if (strncmp(t + i, "{domain}", 8) == 0) {
			buf_puts(out, d);
			i += 7;
		} else
			buf_putc(out, lower(t[i]));
	}
	return buf_ok(out);
}
