/* SPDX-License-Identifier: ISC */
/* classify: token roles, selector convention, sending networks; classify.h */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <pcre2.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/classify.h"

#define GROUP_MAX	16	/* longest mon / year group text looked at */

static const char *const role_names[] = {
	[ROLE_UNKNOWN] = "unknown",
	[ROLE_CUSTOMER] = "customer",
	[ROLE_ESP] = "esp",
	[ROLE_THIRD_PARTY] = "third-party",
};
#define NROLES	(sizeof(role_names) / sizeof(role_names[0]))

const char *
token_role_name(enum token_role r)
{
	if ((size_t)r >= NROLES)
		return "unknown";
	return role_names[r];
}

bool
token_role_parse(const char *s, enum token_role *r)
{
	size_t	 i;

	for (i = 0; i < NROLES; i++) {
		if (strcmp(s, role_names[i]) == 0) {
			*r = (enum token_role)i;
			return true;
		}
	}
	return false;
}

/* Does the whole of subject[0..len) match re? */
static bool
re_matches(const struct fbl_config *cfg, const pcre2_code *re,
    const char *subject, size_t len)
{
	pcre2_match_data	*md;
	int			 rc;

	if ((md = pcre2_match_data_create(1, NULL)) == NULL)
		return false;
	rc = pcre2_match(re, (PCRE2_SPTR)subject, len, 0, 0, md,
	    cfg->match_ctx);
	pcre2_match_data_free(md);
	return rc >= 0;
}

static bool
is_esp(const struct fbl_config *cfg, const char *d, size_t dl)
{
	const char	*e;
	size_t		 i, el;

	for (i = 0; i < cfg->esp_domains.n; i++) {
		e = cfg->esp_domains.v[i];
		el = strlen(e);
		if (dl == el && memcmp(d, e, el) == 0)
			return true;
		if (dl > el && d[dl - el - 1] == '.' &&
		    memcmp(d + dl - el, e, el) == 0)
			return true;
	}
	return false;
}

static int
cmp_key(const void *key, const void *elem)
{
	const struct config_customer *c = elem;

	return strcmp(key, c->domain);
}

static const char *
customer_of(const struct fbl_config *cfg, const char *d, size_t dl)
{
	const struct config_customer	*c = NULL;
	size_t				 i;

	if (cfg->nexact > 0)
		c = bsearch(d, cfg->exact, cfg->nexact, sizeof(*cfg->exact),
		    cmp_key);
	if (c != NULL)
		return c->id;
	for (i = 0; i < cfg->nregex; i++)
		if (re_matches(cfg, cfg->regex[i].re, d, dl))
			return cfg->regex[i].id;
	return NULL;
}

enum token_role
classify_domain(const struct fbl_config *cfg, const char *d,
    const char **customer_id)
{
	char		 f[CONFIG_DOMAIN_MAX + 1];
	const char	*id;
	size_t		 fl;

	if (customer_id != NULL)
		*customer_id = NULL;
	if (!config_has_rules(cfg) || d == NULL || *d == '\0' ||
	    strcmp(d, ".") == 0)
		return ROLE_UNKNOWN;
	if (!config_domain_fold(d, strlen(d), f))
		return ROLE_THIRD_PARTY;
	fl = strlen(f);
	if (is_esp(cfg, f, fl))
		return ROLE_ESP;
	if ((id = customer_of(cfg, f, fl)) == NULL)
		return ROLE_THIRD_PARTY;
	if (customer_id != NULL)
		*customer_id = id;
	return ROLE_CUSTOMER;
}

/* 1..12 from a month name, its three-letter abbreviation, or a number. */
static int
month_of(const char *m, size_t len)
{
	static const char *const names[12] = {
		"january", "february", "march", "april", "may", "june",
		"july", "august", "september", "october", "november",
		"december",
	};
	int	 i, n;

	if ((len == 1 || len == 2) && m[0] >= '0' && m[0] <= '9' &&
	    (len == 1 || (m[1] >= '0' && m[1] <= '9'))) {
		n = len == 1 ? m[0] - '0' : (m[0] - '0') * 10 + m[1] - '0';
		return n >= 1 && n <= 12 ? n : 0;
	}
	for (i = 0; i < 12; i++) {
		if ((len == 3 || len == strlen(names[i])) &&
		    strncmp(m, names[i], len) == 0)
			return i + 1;
	}
	return 0;
}

/* A four-digit year from 1970, or two digits for 2000..2099; else 0. */
static int
year_of(const char *y, size_t len)
{
	size_t	 i;
	int	 n = 0;

	if (len != 2 && len != 4)
		return 0;
	for (i = 0; i < len; i++) {
		if (y[i] < '0' || y[i] > '9')
			return 0;
		n = n * 10 + (y[i] - '0');
	}
	if (len == 2)
		return 2000 + n;
	return n >= 1970 ? n : 0;
}

/* The text of named group name into out (GROUP_MAX + 1 bytes). */
static bool
group(pcre2_match_data *md, const char *name, char *out, size_t *len)
{
	PCRE2_SIZE	 n = GROUP_MAX + 1;

	if (pcre2_substring_copy_byname(md, (PCRE2_SPTR)name,
	    (PCRE2_UCHAR *)out, &n) != 0)
		return false;
	*len = n;
	return true;
}

bool
classify_selector(const struct fbl_config *cfg, const char *s, int *year,
    int *month)
{
	char			 f[CONFIG_DOMAIN_MAX + 1];
	char			 mon[GROUP_MAX + 1], yr[GROUP_MAX + 1];
	pcre2_match_data	*md;
	size_t			 ml = 0, yl = 0;
	int			 rc, m = 0, y = 0;

	if (cfg == NULL || cfg->selector_re == NULL || s == NULL ||
	    !config_domain_fold(s, strlen(s), f) ||
	    (md = pcre2_match_data_create_from_pattern(cfg->selector_re,
	    NULL)) == NULL)
		return false;
	rc = pcre2_match(cfg->selector_re, (PCRE2_SPTR)f, strlen(f), 0, 0,
	    md, cfg->match_ctx);
	if (rc > 0 && group(md, "mon", mon, &ml) &&
	    group(md, "year", yr, &yl)) {
		m = month_of(mon, ml);
		y = year_of(yr, yl);
	}
	pcre2_match_data_free(md);
	if (m == 0 || y == 0)
		return false;
	if (month != NULL)
		*month = m;
	if (year != NULL)
		*year = y;
	return true;
}

int
classify_source_ip(const struct fbl_config *cfg, const char *ip)
{
	struct ip_addr	 a;
	size_t		 i;

	if (cfg == NULL || cfg->nnetworks == 0 || ip == NULL ||
	    !ip_parse(&a, ip, strnlen(ip, IP_TEXT_MAX + 1)))
		return -1;
	for (i = 0; i < cfg->nnetworks; i++)
		if (cidr_contains(&cfg->networks[i].cidr, &a))
			return 1;
	return 0;
}

const struct cidr *
classify_sending_network(const struct fbl_config *cfg, const char *network)
{
	const struct cidr	*c, *inside = NULL;
	struct cidr		 n;
	size_t			 i;
	unsigned		 nbits, cbits;

	if (cfg == NULL || network == NULL ||
	    cidr_parse(&n, network, strnlen(network, IP_TEXT_MAX + 5)) !=
	    CIDR_OK)
		return NULL;
	/* prefixes compared as in cidr_contains: IPv4 inside IPv6 */
	nbits = n.net.v4 ? n.prefix + 96 : n.prefix;
	for (i = 0; i < cfg->nnetworks; i++) {
		c = &cfg->networks[i].cidr;
		cbits = c->net.v4 ? c->prefix + 96 : c->prefix;
		if (cbits <= nbits && cidr_contains(c, &n.net))
			return c;
		if (inside == NULL && nbits <= cbits &&
		    cidr_contains(&n, &c->net))
			inside = c;
	}
	return inside;
}

bool
classify_customer_id(const struct fbl_config *cfg, const char *id)
{
	size_t	 i;

	if (cfg == NULL || id == NULL)
		return false;
	for (i = 0; i < cfg->nexact; i++)
		if (strcmp(cfg->exact[i].id, id) == 0)
			return true;
	for (i = 0; i < cfg->nregex; i++)
		if (strcmp(cfg->regex[i].id, id) == 0)
			return true;
	return false;
}
