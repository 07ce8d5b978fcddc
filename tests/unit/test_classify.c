/* SPDX-License-Identifier: ISC */
/*
 * test_classify: token roles (fbl/classify.h), the selector convention, the
 * sending networks, and the address and network parser under them
 * (fbl/cidr.h).  Expected values are worked out by hand from the config
 * texts below.
 */
#include <stdlib.h>

#include "fbl/classify.h"
#include "tests/unit/unit.h"

static struct fbl_config	*cfg;
static struct buf		 err = BUF_INIT;

static void
load(const char *text)
{
	config_free(cfg);
	cfg = config_load_mem("c.conf", text, strlen(text), &err);
	if (cfg == NULL) {
		printf("not ok classify/load: %s\n", buf_cstr(&err));
		exit(1);
	}
}

static const char rules[] =
    "esp-id myesp\n"
    "esp-domain fbl.myesp.example\n"
    "selector-pattern '^(?<mon>[a-z]{3})(?<year>\\d{4})\\.myesp$'\n"
    "customer-regex cust-003 '(?:[a-z0-9-]+\\.)+brand\\.example'\n"
    "customer-regex cust-004 '.*\\.brand\\.example|shop\\.example'\n"
    "customer cust-001 customer.example\n"
    "customer cust-002 shop.example\n"
    "customer cust-009 special.brand.example\n"
    "sending-network 192.0.2.0/24 2001:db8::/32\n";

/* role and customer id of d as one string: "customer cust-001", "esp" */
static const char *
role(const char *d)
{
	static char	 out[128];
	const char	*id = "(unset)";
	enum token_role	 r;

	r = classify_domain(cfg, d, &id);
	snprintf(out, sizeof(out), "%s%s%s", token_role_name(r),
	    id != NULL ? " " : "", id != NULL ? id : "");
	return out;
}

static void
test_roles(void)
{
	char	 longd[300];
	size_t	 i;

	load(rules);
	CHECK_STR("classify/esp", role("fbl.myesp.example"), "esp");
	CHECK_STR("classify/esp-case", role("FBL.MyEsp.Example"), "esp");
	CHECK_STR("classify/esp-trailing-dot", role("fbl.myesp.example."),
	    "esp");
	CHECK_STR("classify/esp-subdomain", role("yahoo.fbl.myesp.example"),
	    "esp");
	CHECK_STR("classify/esp-deep-subdomain",
	    role("a.b.FBL.myesp.example."), "esp");
	CHECK_STR("classify/esp-suffix-not-label",
	    role("xfbl.myesp.example"), "third-party");
	CHECK_STR("classify/esp-parent", role("myesp.example"),
	    "third-party");
	CHECK_STR("classify/esp-longer", role("fbl.myesp.example.com"),
	    "third-party");

	CHECK_STR("classify/exact", role("customer.example"),
	    "customer cust-001");
	CHECK_STR("classify/exact-case", role("CUSTOMER.Example"),
	    "customer cust-001");
	CHECK_STR("classify/exact-trailing-dot", role("customer.example."),
	    "customer cust-001");
	CHECK_STR("classify/exact-two-dots", role("customer.example.."),
	    "third-party");
	CHECK_STR("classify/exact-no-subdomain", role("www.customer.example"),
	    "third-party");
	CHECK_STR("classify/exact-before-regex", role("shop.example"),
	    "customer cust-002");
	CHECK_STR("classify/exact-before-earlier-regex",
	    role("special.brand.example"), "customer cust-009");
	CHECK_STR("classify/regex", role("news.brand.example"),
	    "customer cust-003");
	CHECK_STR("classify/regex-case", role("News.Brand.Example."),
	    "customer cust-003");
	CHECK_STR("classify/regex-deep", role("a.b.brand.example"),
	    "customer cust-003");
	/* both regexes match: the first in file order wins */
	CHECK_STR("classify/regex-first-wins", role("x.brand.example"),
	    "customer cust-003");
	/* only the second matches (underscore) */
	CHECK_STR("classify/regex-second", role("a_b.brand.example"),
	    "customer cust-004");
	CHECK_STR("classify/regex-whole-name", role("brand.example"),
	    "third-party");
	CHECK_STR("classify/regex-anchored-end",
	    role("a.brand.example.evil.example"), "third-party");
	CHECK_STR("classify/regex-anchored-start",
	    role("evilshop.example"), "third-party");
	CHECK_STR("classify/third-party", role("gmail.com"), "third-party");
	CHECK_STR("classify/empty", role(""), "unknown");
	CHECK_STR("classify/dot", role("."), "unknown");
	CHECK_STR("classify/null", role(NULL), "unknown");
	for (i = 0; i + 1 < sizeof(longd); i++)
		longd[i] = i % 2 ? '.' : 'a';
	longd[sizeof(longd) - 1] = '\0';
	CHECK_STR("classify/overlong", role(longd), "third-party");
	memcpy(longd + sizeof(longd) - 19, ".fbl.myesp.example", 19);
	CHECK_STR("classify/overlong-esp", role(longd), "third-party");
	CHECK_INT("classify/null-id-pointer",
	    classify_domain(cfg, "customer.example", NULL), ROLE_CUSTOMER);

	load("customer c1 customer.example\n");
	CHECK_STR("classify/customers-only", role("other.example"),
	    "third-party");
	load("esp-domain fbl.myesp.example\n");
	CHECK_STR("classify/esp-only", role("customer.example"),
	    "third-party");
	load("sending-network 192.0.2.0/24\nesp-id myesp\n");
	CHECK_STR("classify/no-rules", role("customer.example"), "unknown");
	config_free(cfg);
	cfg = NULL;
	CHECK_STR("classify/no-config", role("customer.example"), "unknown");
	CHECK_STR("classify/no-config-esp", role("fbl.myesp.example"),
	    "unknown");
}

static void
test_role_names(void)
{
	enum token_role	 r = ROLE_UNKNOWN;

	CHECK_STR("role/unknown", token_role_name(ROLE_UNKNOWN), "unknown");
	CHECK_STR("role/customer", token_role_name(ROLE_CUSTOMER), "customer");
	CHECK_STR("role/esp", token_role_name(ROLE_ESP), "esp");
	CHECK_STR("role/third-party", token_role_name(ROLE_THIRD_PARTY),
	    "third-party");
	CHECK_STR("role/out-of-range", token_role_name((enum token_role)9),
	    "unknown");
	CHECK_TRUE("role/parse", token_role_parse("third-party", &r) &&
	    r == ROLE_THIRD_PARTY);
	CHECK_TRUE("role/parse-esp", token_role_parse("esp", &r) &&
	    r == ROLE_ESP);
	CHECK_TRUE("role/parse-bad", !token_role_parse("ESP", &r) &&
	    !token_role_parse("", &r));
}

/* "YYYY-MM" of a selector, or "no" */
static const char *
sel(const char *s)
{
	static char	 out[32];
	int		 y = -1, m = -1;

	if (!classify_selector(cfg, s, &y, &m))
		return "no";
	snprintf(out, sizeof(out), "%04d-%02d", y, m);
	return out;
}

static void
test_selectors(void)
{
	static const char *const mon[12] = { "jan", "feb", "mar", "apr",
	    "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec" };
	char	 s[64], name[64], want[16];
	size_t	 i;
	int	 y = 0;

	load(rules);
	for (i = 0; i < 12; i++) {
		snprintf(s, sizeof(s), "%s2009.myesp", mon[i]);
		snprintf(name, sizeof(name), "selector/month-%s", mon[i]);
		snprintf(want, sizeof(want), "2009-%02zu", i + 1);
		CHECK_STR(name, sel(s), want);
	}
	CHECK_STR("selector/upper-case", sel("NOV2026.MyEsp"), "2026-11");
	CHECK_STR("selector/bad-month", sel("foo2009.myesp"), "no");
	CHECK_STR("selector/full-month-name", sel("june2009.myesp"), "no");
	CHECK_STR("selector/other-esp", sel("feb2009.other"), "no");
	CHECK_STR("selector/suffix", sel("feb2009.myesp.x"), "no");
	CHECK_STR("selector/prefix", sel("xfeb2009.myesp"), "no");
	CHECK_STR("selector/two-digit-year", sel("feb09.myesp"), "no");
	CHECK_STR("selector/year-1969", sel("dec1969.myesp"), "no");
	CHECK_STR("selector/year-1970", sel("jan1970.myesp"), "1970-01");
	CHECK_STR("selector/empty", sel(""), "no");
	CHECK_STR("selector/null", sel(NULL), "no");
	CHECK_TRUE("selector/null-outputs",
	    classify_selector(cfg, "mar2011.myesp", NULL, NULL));
	CHECK_TRUE("selector/year-only",
	    classify_selector(cfg, "mar2011.myesp", &y, NULL) && y == 2011);

	load("selector-pattern 's(?<year>\\d\\d)(?<mon>\\d\\d)'\n");
	CHECK_STR("selector/numeric", sel("s2611"), "2026-11");
	CHECK_STR("selector/numeric-01", sel("s0901"), "2009-01");
	CHECK_STR("selector/numeric-00", sel("s2600"), "no");
	CHECK_STR("selector/numeric-13", sel("s2613"), "no");
	load("selector-pattern '(?<mon>[a-z]+)-(?<year>\\d+)'\n");
	CHECK_STR("selector/long-name", sel("september-2026"), "2026-09");
	CHECK_STR("selector/abbrev", sel("sep-2026"), "2026-09");
	CHECK_STR("selector/4-letters", sel("sept-2026"), "no");
	CHECK_STR("selector/5-digit-year", sel("may-20261"), "no");
	CHECK_STR("selector/overlong-group",
	    sel("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa-2026"), "no");
	/* a group that did not take part in the match */
	load("selector-pattern '(?:(?<mon>[a-z]{3})|x)(?<year>\\d{4})'\n");
	CHECK_STR("selector/unset-group", sel("x2026"), "no");
	CHECK_STR("selector/set-group", sel("oct2026"), "2026-10");
	load("esp-domain fbl.myesp.example\n");
	CHECK_STR("selector/no-pattern", sel("feb2009.myesp"), "no");
	config_free(cfg);
	cfg = NULL;
	CHECK_STR("selector/no-config", sel("feb2009.myesp"), "no");
}

/* a backtracking bomb stops at the match limit and does not match */
static void
test_regex_limits(void)
{
	char	 d[64];

	load("customer-regex c1 '(a+)+b'\n");
	memset(d, 'a', 40);
	memcpy(d + 40, "c.b", 4);
	CHECK_STR("classify/regex-match-limit", role(d), "third-party");
}

static void
test_source_ip(void)
{
	char	 junk[200];

	load(rules);
	CHECK_INT("ip/v4-first", classify_source_ip(cfg, "192.0.2.0"), 1);
	CHECK_INT("ip/v4-last", classify_source_ip(cfg, "192.0.2.255"), 1);
	CHECK_INT("ip/v4-after", classify_source_ip(cfg, "192.0.3.0"), 0);
	CHECK_INT("ip/v4-before", classify_source_ip(cfg, "192.0.1.255"), 0);
	CHECK_INT("ip/v4-bracketed", classify_source_ip(cfg, " [192.0.2.7]\t"),
	    1);
	CHECK_INT("ip/v4-mapped", classify_source_ip(cfg, "::ffff:192.0.2.7"),
	    1);
	CHECK_INT("ip/v4-mapped-outside",
	    classify_source_ip(cfg, "::ffff:198.51.100.1"), 0);
	CHECK_INT("ip/v6-inside", classify_source_ip(cfg, "2001:db8::1"), 1);
	CHECK_INT("ip/v6-upper", classify_source_ip(cfg,
	    "2001:DB8:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF"), 1);
	CHECK_INT("ip/v6-outside", classify_source_ip(cfg, "2001:db9::1"), 0);
	CHECK_INT("ip/v6-literal", classify_source_ip(cfg,
	    "[IPv6:2001:db8::25]"), 1);
	CHECK_INT("ip/v4-compat-not-mapped",
	    classify_source_ip(cfg, "::192.0.2.7"), 0);
	CHECK_INT("ip/elsewhere", classify_source_ip(cfg, "203.0.113.9"), 0);

	CHECK_INT("ip/junk-empty", classify_source_ip(cfg, ""), -1);
	CHECK_INT("ip/junk-blank", classify_source_ip(cfg, "   "), -1);
	CHECK_INT("ip/junk-word", classify_source_ip(cfg, "unknown"), -1);
	CHECK_INT("ip/junk-short", classify_source_ip(cfg, "192.0.2"), -1);
	CHECK_INT("ip/junk-five", classify_source_ip(cfg, "192.0.2.1.5"), -1);
	CHECK_INT("ip/junk-leading-zero", classify_source_ip(cfg,
	    "192.0.2.01"), -1);
	CHECK_INT("ip/junk-octet", classify_source_ip(cfg, "192.0.2.256"), -1);
	CHECK_INT("ip/junk-port", classify_source_ip(cfg, "192.0.2.1:25"),
	    -1);
	CHECK_INT("ip/junk-prefix", classify_source_ip(cfg, "192.0.2.1/32"),
	    -1);
	CHECK_INT("ip/junk-zone", classify_source_ip(cfg, "fe80::1%eth0"), -1);
	CHECK_INT("ip/junk-hostname", classify_source_ip(cfg,
	    "mx.customer.example"), -1);
	CHECK_INT("ip/junk-two", classify_source_ip(cfg,
	    "192.0.2.1 192.0.2.2"), -1);
	CHECK_INT("ip/junk-bracket", classify_source_ip(cfg, "[192.0.2.1"),
	    -1);
	CHECK_INT("ip/junk-v6-triple", classify_source_ip(cfg,
	    "2001:db8:::1"), -1);
	memset(junk, ' ', sizeof(junk) - 10);
	memcpy(junk + sizeof(junk) - 10, "192.0.2.1", 10);
	CHECK_INT("ip/junk-long", classify_source_ip(cfg, junk), -1);
	CHECK_INT("ip/null", classify_source_ip(cfg, NULL), -1);

	load("esp-domain fbl.myesp.example\n");
	CHECK_INT("ip/no-networks", classify_source_ip(cfg, "192.0.2.1"), -1);
	config_free(cfg);
	cfg = NULL;
	CHECK_INT("ip/no-config", classify_source_ip(NULL, "192.0.2.1"), -1);
}

static enum cidr_status
net(struct cidr *c, const char *s)
{
	return cidr_parse(c, s, strlen(s));
}

static bool
in(const struct cidr *c, const char *ip)
{
	struct ip_addr	 a;

	return ip_parse(&a, ip, strlen(ip)) && cidr_contains(c, &a);
}

static const char *
fmt(const struct cidr *c)
{
	static struct buf	 b;

	buf_reset(&b);
	cidr_format(&b, c);
	return buf_cstr(&b);
}

static void
test_cidr_edges(void)
{
	struct cidr	 c;

	CHECK_INT("cidr/v4-0", net(&c, "0.0.0.0/0"), CIDR_OK);
	CHECK_TRUE("cidr/v4-0-all", in(&c, "0.0.0.0") &&
	    in(&c, "255.255.255.255") && in(&c, "::ffff:10.1.2.3"));
	CHECK_TRUE("cidr/v4-0-no-v6", !in(&c, "2001:db8::1") && !in(&c, "::"));
	CHECK_STR("cidr/v4-0-text", fmt(&c), "0.0.0.0/0");
	CHECK_INT("cidr/v6-0", net(&c, "::/0"), CIDR_OK);
	CHECK_TRUE("cidr/v6-0-all", in(&c, "2001:db8::1") && in(&c, "::") &&
	    in(&c, "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
	CHECK_TRUE("cidr/v6-0-holds-v4", in(&c, "192.0.2.1"));
	CHECK_INT("cidr/v4-32", net(&c, "192.0.2.1/32"), CIDR_OK);
	CHECK_TRUE("cidr/v4-32-itself", in(&c, "192.0.2.1"));
	CHECK_TRUE("cidr/v4-32-neighbours", !in(&c, "192.0.2.0") &&
	    !in(&c, "192.0.2.2"));
	CHECK_INT("cidr/v4-bare", net(&c, "192.0.2.1"), CIDR_OK);
	CHECK_INT("cidr/v4-bare-prefix", c.prefix, 32);
	CHECK_STR("cidr/v4-bare-text", fmt(&c), "192.0.2.1/32");
	CHECK_INT("cidr/v6-128", net(&c, "2001:db8::1/128"), CIDR_OK);
	CHECK_TRUE("cidr/v6-128-itself", in(&c, "2001:db8:0:0:0:0:0:1"));
	CHECK_TRUE("cidr/v6-128-neighbours", !in(&c, "2001:db8::") &&
	    !in(&c, "2001:db8::2"));
	CHECK_INT("cidr/v6-bare", net(&c, "2001:DB8::1"), CIDR_OK);
	CHECK_STR("cidr/v6-bare-text", fmt(&c), "2001:db8::1/128");
	CHECK_INT("cidr/v4-25", net(&c, "192.0.2.128/25"), CIDR_OK);
	CHECK_TRUE("cidr/v4-25-in", in(&c, "192.0.2.128") &&
	    in(&c, "192.0.2.200") && in(&c, "192.0.2.255"));
	CHECK_TRUE("cidr/v4-25-out", !in(&c, "192.0.2.127") &&
	    !in(&c, "192.0.3.128"));
	CHECK_INT("cidr/v4-7", net(&c, "10.0.0.0/7"), CIDR_OK);
	CHECK_TRUE("cidr/v4-7-in", in(&c, "11.255.255.255") &&
	    !in(&c, "12.0.0.0") && !in(&c, "9.255.255.255"));
	CHECK_INT("cidr/v6-mapped-net", net(&c, "::ffff:192.0.2.0/120"),
	    CIDR_OK);
	CHECK_TRUE("cidr/v6-mapped-net-holds-v4", in(&c, "192.0.2.9") &&
	    !in(&c, "192.0.3.9"));
	CHECK_STR("cidr/v6-mapped-net-text", fmt(&c), "::ffff:192.0.2.0/120");
	CHECK_INT("cidr/v6-mapped-net-v4-prefix", net(&c,
	    "::ffff:192.0.2.0/24"), CIDR_HOST_BITS);

	CHECK_INT("cidr/host-bits-v4", net(&c, "192.0.2.1/24"),
	    CIDR_HOST_BITS);
	CHECK_INT("cidr/host-bits-v4-0", net(&c, "0.0.0.1/0"), CIDR_HOST_BITS);
	CHECK_INT("cidr/host-bits-v4-7", net(&c, "11.0.0.0/7"),
	    CIDR_HOST_BITS);
	CHECK_INT("cidr/host-bits-v4-31", net(&c, "192.0.2.1/31"),
	    CIDR_HOST_BITS);
	CHECK_INT("cidr/host-bits-v6", net(&c, "2001:db8::1/64"),
	    CIDR_HOST_BITS);
	CHECK_INT("cidr/host-bits-v6-127", net(&c, "2001:db8::1/127"),
	    CIDR_HOST_BITS);
	CHECK_INT("cidr/host-bits-v6-0", net(&c, "::1/0"), CIDR_HOST_BITS);
	CHECK_INT("cidr/prefix-33", net(&c, "192.0.2.0/33"), CIDR_BAD_PREFIX);
	CHECK_INT("cidr/prefix-129", net(&c, "::/129"), CIDR_BAD_PREFIX);
	CHECK_INT("cidr/prefix-1000", net(&c, "::/1000"), CIDR_BAD_PREFIX);
	CHECK_INT("cidr/prefix-leading-zero", net(&c, "10.0.0.0/08"),
	    CIDR_BAD_PREFIX);
	CHECK_INT("cidr/prefix-sign", net(&c, "10.0.0.0/+8"), CIDR_BAD_PREFIX);
	CHECK_INT("cidr/prefix-negative", net(&c, "10.0.0.0/-8"),
	    CIDR_BAD_PREFIX);
	CHECK_INT("cidr/prefix-empty", net(&c, "10.0.0.0/"), CIDR_BAD_PREFIX);
	CHECK_INT("cidr/prefix-two", net(&c, "10.0.0.0/8/8"),
	    CIDR_BAD_PREFIX);
	CHECK_INT("cidr/prefix-space", net(&c, "10.0.0.0/ 8"),
	    CIDR_BAD_PREFIX);
	CHECK_INT("cidr/no-address", net(&c, "/8"), CIDR_BAD_ADDRESS);
	CHECK_INT("cidr/empty", net(&c, ""), CIDR_BAD_ADDRESS);
	CHECK_INT("cidr/short-v4", net(&c, "10/8"), CIDR_BAD_ADDRESS);
	CHECK_INT("cidr/hostname", net(&c, "localhost/8"), CIDR_BAD_ADDRESS);
	CHECK_INT("cidr/exact-length-no-nul",
	    cidr_parse(&c, "10.0.0.0/8trailing", 10), CIDR_OK);
	CHECK_INT("cidr/exact-length-prefix", c.prefix, 8);
}

int
main(void)
{
	test_roles();
	test_role_names();
	test_selectors();
	test_regex_limits();
	test_source_ip();
	test_cidr_edges();
	config_free(cfg);
	buf_free(&err);
	return UNIT_DONE();
}
