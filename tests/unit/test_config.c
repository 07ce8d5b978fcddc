/* SPDX-License-Identifier: ISC */
/*
 * test_config: the configuration file (fbl/config.h, docs/fblscope.conf.5):
 * the line syntax, every key, the error messages (file:line: problem), the
 * sample config, relative paths and the hmac secret file's mode check.
 *
 * Texts are loaded from exact-size heap copies (config_load_mem) so that
 * the sanitizer build catches a read past the end; files go to a mkdtemp
 * directory.  Expected messages are written out by hand.
 */
#include <sys/stat.h>

#include <stdlib.h>
#include <unistd.h>

#include "fbl/config.h"
#include "tests/unit/unit.h"

static struct fbl_config	*cfg;
static struct buf		 err = BUF_INIT;
static char			 tmpdir[] = "/tmp/fbl-config-XXXXXX";

static struct fbl_config *
load_n(const char *text, size_t len)
{
	char	*copy;

	config_free(cfg);
	if ((copy = malloc(len ? len : 1)) == NULL) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	memcpy(copy, text, len);
	cfg = config_load_mem("t.conf", copy, len, &err);
	free(copy);
	return cfg;
}

static struct fbl_config *
load(const char *text)
{
	return load_n(text, strlen(text));
}

/* text must fail with exactly the message want */
static void
fails(const char *name, const char *text, const char *want)
{
	load(text);
	CHECK_STR(name, cfg == NULL ? buf_cstr(&err) : "(loaded)", want);
}

static void
test_empty(void)
{
	CHECK_TRUE("config/empty/loads", load("") != NULL);
	if (cfg == NULL)
		return;
	CHECK_STR("config/empty/path", cfg->path, "t.conf");
	CHECK_TRUE("config/empty/no-esp-id", cfg->esp_id == NULL);
	CHECK_INT("config/empty/esp-domains", cfg->esp_domains.n, 0);
	CHECK_INT("config/empty/customers", cfg->nexact + cfg->nregex, 0);
	CHECK_INT("config/empty/networks", cfg->nnetworks, 0);
	CHECK_TRUE("config/empty/no-selector", cfg->selector_re == NULL);
	CHECK_STR("config/empty/timezone", cfg->report_timezone, "UTC");
	CHECK_TRUE("config/empty/flag", cfg->flag_rate == 0.001);
	CHECK_TRUE("config/empty/alarm", cfg->alarm_rate == 0.003);
	CHECK_INT("config/empty/grace", cfg->rotation_grace_days, 30);
	CHECK_TRUE("config/empty/no-secret", cfg->hmac_secret_file == NULL);
	CHECK_TRUE("config/empty/no-keydir", cfg->private_key_dir == NULL);
	CHECK_TRUE("config/empty/no-quarantine", cfg->quarantine_dir == NULL);
	CHECK_TRUE("config/empty/no-rules", !config_has_rules(cfg));
	CHECK_TRUE("config/null/no-rules", !config_has_rules(NULL));

	CHECK_TRUE("config/comments-only",
	    load("# nothing\n\n   # indented\n\t\n") != NULL);
	CHECK_TRUE("config/no-final-newline", load("esp-id myesp") != NULL &&
	    strcmp(cfg->esp_id, "myesp") == 0);
}

static const char full[] =
    "# a full configuration\r\n"
    "esp-id MyESP\r\n"
    "esp-domain FBL.MyEsp.Example. fbl2.myesp.example\n"
    "nameserver dkim1.myesp.example dkim2.myesp.example # two\n"
    "nameserver 192.0.2.53 2001:DB8::53\n"
    "selector-pattern '^(?<mon>[a-z]{3})(?<year>\\d{4})\\.myesp$'\n"
    "customer cust-001 customer.example\n"
    "customer cust-002 Shop.Example. shop2.example\n"
    "customer-regex cust-003 \"(?:[a-z0-9-]+\\.)+brand\\.example\"\n"
    "sending-network 192.0.2.0/24 2001:db8::/32\n"
    "sending-network 198.51.100.7\n"
    "report-timezone Europe/Paris\n"
    "complaint-flag-rate 0.25%\n"
    "complaint-alarm-rate 1%\n"
    "rotation-grace-days 45\n"
    "hmac-secret-file /etc/fblscope/hmac.key\n"
    "private-key-dir keys\n"
    "quarantine-dir /var/mail/fbl/.quarantine\n"
    "cname-target {selector}.{domain}.dkimhack.myesp.example\n";

static void
test_full(void)
{
	struct buf	 b = BUF_INIT;

	load(full);
	CHECK_STR("config/full/loads", cfg == NULL ? buf_cstr(&err) : "", "");
	if (cfg == NULL)
		return;
	CHECK_STR("config/full/esp-id-lower", cfg->esp_id, "myesp");
	CHECK_INT("config/full/esp-domains", cfg->esp_domains.n, 2);
	CHECK_STR("config/full/esp-domain-folded", cfg->esp_domains.v[0],
	    "fbl.myesp.example");
	CHECK_STR("config/full/esp-domain-2", cfg->esp_domains.v[1],
	    "fbl2.myesp.example");
	CHECK_INT("config/full/nameservers", cfg->nameservers.n, 4);
	CHECK_STR("config/full/ns1", cfg->nameservers.v[0],
	    "dkim1.myesp.example");
	CHECK_STR("config/full/ns2", cfg->nameservers.v[1],
	    "dkim2.myesp.example");
	CHECK_STR("config/full/ns-ipv4", cfg->nameservers.v[2], "192.0.2.53");
	CHECK_STR("config/full/ns-ipv6", cfg->nameservers.v[3],
	    "2001:db8::53");
	CHECK_STR("config/full/selector-text", cfg->selector_pattern,
	    "^(?<mon>[a-z]{3})(?<year>\\d{4})\\.myesp$");
	CHECK_TRUE("config/full/selector-compiled", cfg->selector_re != NULL);
	CHECK_INT("config/full/exact", cfg->nexact, 3);
	/* sorted by domain */
	if (cfg->nexact == 3) {
		CHECK_STR("config/full/exact-0", cfg->exact[0].domain,
		    "customer.example");
		CHECK_STR("config/full/exact-0-id", cfg->exact[0].id,
		    "cust-001");
		CHECK_INT("config/full/exact-0-line", cfg->exact[0].line, 7);
		CHECK_STR("config/full/exact-1", cfg->exact[1].domain,
		    "shop.example");
		CHECK_STR("config/full/exact-2", cfg->exact[2].domain,
		    "shop2.example");
		CHECK_STR("config/full/exact-2-id", cfg->exact[2].id,
		    "cust-002");
	}
	CHECK_INT("config/full/regex", cfg->nregex, 1);
	if (cfg->nregex == 1) {
		CHECK_STR("config/full/regex-id", cfg->regex[0].id, "cust-003");
		CHECK_STR("config/full/regex-text", cfg->regex[0].pattern,
		    "(?:[a-z0-9-]+\\.)+brand\\.example");
		CHECK_INT("config/full/regex-line", cfg->regex[0].line, 9);
	}
	CHECK_INT("config/full/networks", cfg->nnetworks, 3);
	if (cfg->nnetworks == 3) {
		cidr_format(&b, &cfg->networks[0].cidr);
		buf_putc(&b, ' ');
		cidr_format(&b, &cfg->networks[1].cidr);
		buf_putc(&b, ' ');
		cidr_format(&b, &cfg->networks[2].cidr);
		CHECK_STR("config/full/network-text", buf_cstr(&b),
		    "192.0.2.0/24 2001:db8::/32 198.51.100.7/32");
		CHECK_INT("config/full/network-line", cfg->networks[2].line,
		    11);
	}
	CHECK_STR("config/full/timezone", cfg->report_timezone,
	    "Europe/Paris");
	CHECK_TRUE("config/full/flag", cfg->flag_rate == 0.0025);
	CHECK_TRUE("config/full/alarm", cfg->alarm_rate == 0.01);
	CHECK_INT("config/full/grace", cfg->rotation_grace_days, 45);
	CHECK_STR("config/full/secret", cfg->hmac_secret_file,
	    "/etc/fblscope/hmac.key");
	CHECK_STR("config/full/keydir-relative", cfg->private_key_dir,
	    "./keys");
	CHECK_STR("config/full/quarantine", cfg->quarantine_dir,
	    "/var/mail/fbl/.quarantine");
	CHECK_STR("config/full/cname-template", cfg->cname_target,
	    "{selector}.{domain}.dkimhack.myesp.example");
	CHECK_TRUE("config/full/has-rules", config_has_rules(cfg));

	CHECK_TRUE("config/cname/expand", config_cname_target(cfg,
	    "Feb2009.MyEsp", "Customer.COM.", &b));
	CHECK_STR("config/cname/text", buf_cstr(&b),
	    "feb2009.myesp.customer.com.dkimhack.myesp.example");
	CHECK_TRUE("config/cname/bad-domain",
	    !config_cname_target(cfg, "s", "", &b));
	buf_free(&b);
	load("");
	CHECK_TRUE("config/cname/unset",
	    !config_cname_target(cfg, "feb2009.myesp", "customer.com", &b));
	buf_free(&b);
}

/* quoting, comments, line ends */
static void
test_syntax(void)
{
	load("customer-regex c1 \"a\\\"b\\\\.c\\d\"\n");
	CHECK_STR("config/quote/double-escapes",
	    cfg != NULL && cfg->nregex == 1 ? cfg->regex[0].pattern : "",
	    "a\"b\\.c\\d");
	load("customer-regex c1 'x y\\.z'\n");
	CHECK_STR("config/quote/single-literal",
	    cfg != NULL && cfg->nregex == 1 ? cfg->regex[0].pattern : "",
	    "x y\\.z");
	load("customer c1 a.example#not-a-comment.example\n");
	CHECK_STR("config/hash-inside-word",
	    cfg == NULL ? buf_cstr(&err) : "(loaded)",
	    "t.conf:1: customer: \"a.example#not-a-comment.example\" is not "
	    "a domain name (only letters, digits, '-' and '_' may appear in "
	    "a label)");
	load("esp-id myesp\t# the id\n");
	CHECK_STR("config/comment-after-value", cfg ? cfg->esp_id : "",
	    "myesp");
	load("'esp-id' \"myesp\"\n");
	CHECK_STR("config/quoted-key", cfg ? cfg->esp_id : "", "myesp");
	load("\xef\xbb\xbf" "esp-id myesp\n");
	CHECK_STR("config/utf8-bom", cfg ? cfg->esp_id : "", "myesp");
	load("esp-id myesp\r\n\r\nesp-domain fbl.myesp.example\r\n");
	CHECK_TRUE("config/crlf", cfg != NULL && cfg->esp_domains.n == 1);

	fails("config/err/unterminated-single",
	    "esp-id myesp\ncustomer-regex c1 'abc\n",
	    "t.conf:2: unterminated single quote");
	fails("config/err/unterminated-double", "esp-id \"myesp\\\"\n",
	    "t.conf:1: unterminated double quote");
	fails("config/err/quote-inside-word", "esp-id my'esp'\n",
	    "t.conf:1: quote character inside a word (quote the whole value)");
	fails("config/err/text-after-quote", "esp-id 'my'esp\n",
	    "t.conf:1: text right after a closing quote");
	fails("config/err/control", "esp-id \x01myesp\n",
	    "t.conf:1: control character 0x01 in column 8");
	fails("config/err/cr-inside", "esp-id my\resp\n",
	    "t.conf:1: control character 0x0d in column 10");
	load_n("esp-id myesp\n\nesp-id\0x\n", 23);
	CHECK_STR("config/err/nul", cfg == NULL ? buf_cstr(&err) : "(loaded)",
	    "t.conf:3: control character 0x00 in column 7");
}

static void
test_long_line(void)
{
	char	*t;
	size_t	 n = 4100;

	if ((t = malloc(n + 2)) == NULL)
		exit(2);
	memset(t, ' ', n);
	memcpy(t, "# ", 2);
	t[n] = '\n';
	t[n + 1] = '\0';
	/* 4096 bytes are fine, 4097 are not */
	t[4096] = '\n';
	load_n(t, 4097);
	CHECK_TRUE("config/line/4096-ok", cfg != NULL);
	t[4096] = ' ';
	load_n(t, 4097);
	CHECK_STR("config/line/4097-too-long",
	    cfg == NULL ? buf_cstr(&err) : "(loaded)",
	    "t.conf:1: line longer than 4096 bytes");
	free(t);
}

/* 256 words on a line are fine (a customer with 254 domains), 257 not */
static void
test_many_words(void)
{
	struct buf	 t = BUF_INIT;
	int		 i;

	buf_puts(&t, "customer c1");
	for (i = 0; i < 254; i++)
		buf_printf(&t, " d%d.example", i);
	load_n(t.data, t.len);
	CHECK_INT("config/words/256", cfg != NULL ? cfg->nexact : 0, 254);
	buf_puts(&t, " d254.example\n");
	load_n(t.data, t.len);
	CHECK_STR("config/words/257", cfg == NULL ? buf_cstr(&err) :
	    "(loaded)", "t.conf:1: more than 256 words on a line");
	buf_free(&t);
}

static void
test_key_errors(void)
{
	fails("config/err/unknown-key", "esp-id myesp\n\nesp-idd myesp\n",
	    "t.conf:3: unknown key \"esp-idd\"");
	fails("config/err/key-case", "ESP-ID myesp\n",
	    "t.conf:1: unknown key \"ESP-ID\"");
	fails("config/err/missing-value", "# x\nesp-id\n",
	    "t.conf:2: esp-id: missing value (one expected)");
	fails("config/err/missing-value-comment", "esp-domain # none\n",
	    "t.conf:1: esp-domain: missing value (one or more expected)");
	fails("config/err/missing-network", "sending-network\n",
	    "t.conf:1: sending-network: missing value (one or more "
	    "expected)");
	fails("config/err/customer-no-domain", "customer cust-001\n",
	    "t.conf:1: customer: missing value (an id and a value expected)");
	fails("config/err/regex-no-pattern", "customer-regex cust-001\n",
	    "t.conf:1: customer-regex: missing value (an id and a value "
	    "expected)");
	fails("config/err/too-many", "esp-id myesp other\n",
	    "t.conf:1: esp-id: too many values (2 given, 1 expected)");
	fails("config/err/regex-too-many", "customer-regex c1 a b\n",
	    "t.conf:1: customer-regex: too many values (3 given, 2 "
	    "expected)");
	fails("config/err/twice", "esp-id myesp\n# again\nesp-id myesp\n",
	    "t.conf:3: esp-id given twice (first on line 1)");
	fails("config/err/esp-id-underscore", "esp-id my_esp\n",
	    "t.conf:1: esp-id: \"my_esp\" is not a DNS label (1 to 63 "
	    "letters, digits or inner '-')");
	fails("config/err/esp-id-hyphen", "esp-id -myesp\n",
	    "t.conf:1: esp-id: \"-myesp\" is not a DNS label (1 to 63 "
	    "letters, digits or inner '-')");
	fails("config/err/empty-domain", "esp-domain ''\n",
	    "t.conf:1: esp-domain: \"\" is not a domain name (empty)");
	fails("config/err/domain-empty-label", "esp-domain a..example\n",
	    "t.conf:1: esp-domain: \"a..example\" is not a domain name "
	    "(empty label)");
	fails("config/err/domain-leading-dot", "customer c1 .example\n",
	    "t.conf:1: customer: \".example\" is not a domain name "
	    "(empty label)");
	fails("config/err/domain-label-64", "customer c1 "
	    "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    ".example\n",
	    "t.conf:1: customer: \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	    "aaaaaaaaaaaaaaaaaaaaa.example\" is not a domain name (a label is "
	    "longer than 63 octets)");
	fails("config/err/esp-domain-twice",
	    "esp-domain fbl.myesp.example\nesp-domain FBL.myesp.example.\n",
	    "t.conf:2: esp-domain fbl.myesp.example given twice");
	fails("config/err/nameserver-twice",
	    "nameserver dkim1.myesp.example dkim1.myesp.example\n",
	    "t.conf:1: nameserver dkim1.myesp.example given twice");
	fails("config/err/customer-id", "customer 'cust 1' a.example\n",
	    "t.conf:1: customer: customer id \"cust 1\": only letters, "
	    "digits, '-', '_' and '.' are allowed");
	fails("config/err/rate-no-percent", "complaint-flag-rate 0.1\n",
	    "t.conf:1: complaint-flag-rate: \"0.1\" is not a percentage above "
	    "0 and at most 100, such as 0.1%");
	fails("config/err/rate-zero", "complaint-alarm-rate 0%\n",
	    "t.conf:1: complaint-alarm-rate: \"0%\" is not a percentage above "
	    "0 and at most 100, such as 0.1%");
	fails("config/err/rate-over", "complaint-alarm-rate 100.5%\n",
	    "t.conf:1: complaint-alarm-rate: \"100.5%\" is not a percentage "
	    "above 0 and at most 100, such as 0.1%");
	fails("config/err/flag-above-alarm",
	    "complaint-flag-rate 0.5%\n# x\n",
	    "t.conf:1: complaint-flag-rate (0.5%) is above "
	    "complaint-alarm-rate (0.3%)");
	fails("config/err/alarm-below-flag",
	    "complaint-flag-rate 0.2%\ncomplaint-alarm-rate 0.15%\n",
	    "t.conf:2: complaint-flag-rate (0.2%) is above "
	    "complaint-alarm-rate (0.15%)");
	fails("config/err/grace-big", "rotation-grace-days 3651\n",
	    "t.conf:1: rotation-grace-days: \"3651\" is not a number of days "
	    "from 0 to 3650");
	fails("config/err/grace-sign", "rotation-grace-days -1\n",
	    "t.conf:1: rotation-grace-days: \"-1\" is not a number of days "
	    "from 0 to 3650");
	fails("config/err/timezone-dotdot", "report-timezone ../etc/passwd\n",
	    "t.conf:1: report-timezone: \"../etc/passwd\" is not a time zone "
	    "name such as UTC or Europe/Paris");
	fails("config/err/cname-no-domain",
	    "cname-target {selector}.dkimhack.myesp.example\n",
	    "t.conf:1: cname-target: \"{selector}.dkimhack.myesp.example\" "
	    "must contain {selector} and {domain}");
	fails("config/err/cname-bad-char",
	    "cname-target {selector}.{domain}.dkim*hack.example\n",
	    "t.conf:1: cname-target: \"{selector}.{domain}.dkim*hack.example\" "
	    "is not a domain name template (only letters, digits, '-' and '_' "
	    "may appear in a label)");
	fails("config/err/empty-path", "private-key-dir ''\n",
	    "t.conf:1: private-key-dir: empty or overlong path");
	fails("config/err/watch-zero", "watch-interval 0\n",
	    "t.conf:1: watch-interval: \"0\" is not a number of seconds "
	    "from 1 to 86400");
	fails("config/err/watch-big", "watch-interval 86401\n",
	    "t.conf:1: watch-interval: \"86401\" is not a number of seconds "
	    "from 1 to 86400");
	fails("config/err/imap-folder-empty", "imap-processed-folder ''\n",
	    "t.conf:1: imap-processed-folder: empty folder name");
	fails("config/err/imap-password-twice",
	    "imap-password-file a\nimap-password-file b\n",
	    "t.conf:2: imap-password-file given twice (first on line 1)");
}

static void
test_values(void)
{
	CHECK_TRUE("config/rate/100", load("complaint-flag-rate 100%\n"
	    "complaint-alarm-rate 100%\n") != NULL && cfg->flag_rate == 1.0);
	CHECK_TRUE("config/rate/small",
	    load("complaint-flag-rate 0.000001%\n") != NULL &&
	    cfg->flag_rate == 0.00000001);
	CHECK_TRUE("config/rate/equal", load("complaint-flag-rate 0.3%\n")
	    != NULL && cfg->flag_rate == cfg->alarm_rate);
	CHECK_TRUE("config/grace/0", load("rotation-grace-days 0\n") != NULL &&
	    cfg->rotation_grace_days == 0);
	CHECK_TRUE("config/grace/3650", load("rotation-grace-days 3650\n")
	    != NULL && cfg->rotation_grace_days == 3650);
	CHECK_TRUE("config/watch/86400", load("watch-interval 86400\n")
	    != NULL && cfg->watch_interval == 86400);
	CHECK_TRUE("config/imap/keys", load("imap-password-file pw\n"
	    "imap-ca-file /etc/ca.pem\nimap-processed-folder 'Feedback/Done'\n"
	    "imap-quarantine-folder Junk\n") != NULL &&
	    strcmp(cfg->imap_ca_file, "/etc/ca.pem") == 0 &&
	    strcmp(cfg->imap_processed_folder, "Feedback/Done") == 0 &&
	    strcmp(cfg->imap_quarantine_folder, "Junk") == 0 &&
	    strlen(cfg->imap_password_file) > 3 &&
	    strcmp(cfg->imap_password_file + strlen(cfg->imap_password_file) -
	    3, "/pw") == 0);
	CHECK_TRUE("config/timezone/posix", load("report-timezone EST5EDT\n")
	    != NULL && strcmp(cfg->report_timezone, "EST5EDT") == 0);
	CHECK_TRUE("config/customer/same-id-twice", load(
	    "customer c1 a.example\ncustomer c1 b.example\n") != NULL &&
	    cfg->nexact == 2);
	CHECK_TRUE("config/customer/underscore-domain",
	    load("customer c1 _dmarc.example\n") != NULL);
}

static void
test_regex_errors(void)
{
	fails("config/err/bad-regex", "esp-id myesp\ncustomer-regex c1 (abc\n",
	    "t.conf:2: customer-regex: bad regular expression at offset 4: "
	    "missing closing parenthesis");
	fails("config/err/empty-regex", "customer-regex c1 ''\n",
	    "t.conf:1: customer-regex: empty pattern");
	fails("config/err/selector-bad-regex", "selector-pattern a[b\n",
	    "t.conf:1: selector-pattern: bad regular expression at offset 3: "
	    "missing terminating ] for character class");
	fails("config/err/selector-no-year",
	    "selector-pattern '(?<mon>[a-z]{3})\\d{4}'\n",
	    "t.conf:1: selector-pattern: the pattern needs the named groups "
	    "(?<mon>...) and (?<year>...)");
	fails("config/err/selector-no-groups", "selector-pattern abc\n",
	    "t.conf:1: selector-pattern: the pattern needs the named groups "
	    "(?<mon>...) and (?<year>...)");
	fails("config/err/selector-twice",
	    "selector-pattern '(?<mon>\\d\\d)(?<year>\\d{4})'\n"
	    "selector-pattern '(?<mon>\\d\\d)(?<year>\\d{4})'\n",
	    "t.conf:2: selector-pattern given twice (first on line 1)");
}

static void
test_cidr_errors(void)
{
	fails("config/err/cidr-host-bits", "sending-network 192.0.2.1/24\n",
	    "t.conf:1: sending-network \"192.0.2.1/24\": bits are set after "
	    "the prefix length (the network would be 192.0.2.0/24)");
	fails("config/err/cidr-host-bits-v6",
	    "sending-network 2001:db8::/32 2001:db8:1::/16\n",
	    "t.conf:1: sending-network \"2001:db8:1::/16\": bits are set after "
	    "the prefix length (the network would be 2001::/16)");
	fails("config/err/cidr-prefix-33", "sending-network 192.0.2.0/33\n",
	    "t.conf:1: sending-network \"192.0.2.0/33\": prefix length is not "
	    "a number from 0 to 32 (IPv4) or 128 (IPv6)");
	fails("config/err/cidr-prefix-129", "sending-network 2001:db8::/129\n",
	    "t.conf:1: sending-network \"2001:db8::/129\": prefix length is "
	    "not a number from 0 to 32 (IPv4) or 128 (IPv6)");
	fails("config/err/cidr-empty-prefix", "sending-network 10.0.0.0/\n",
	    "t.conf:1: sending-network \"10.0.0.0/\": prefix length is not "
	    "a number from 0 to 32 (IPv4) or 128 (IPv6)");
	fails("config/err/cidr-short-v4", "sending-network 192.0.2/24\n",
	    "t.conf:1: sending-network \"192.0.2/24\": not an IPv4 or IPv6 "
	    "address");
	fails("config/err/cidr-hostname", "sending-network mx.example\n",
	    "t.conf:1: sending-network \"mx.example\": not an IPv4 or IPv6 "
	    "address");
}

static void
test_customer_checks(void)
{
	fails("config/err/duplicate-customer",
	    "esp-id myesp\n"
	    "customer cust-001 customer.example\n"
	    "customer cust-002 shop.example\n"
	    "customer cust-009 customer.example\n",
	    "t.conf:4: customer domain customer.example given twice (first on "
	    "line 2)");
	fails("config/err/duplicate-customer-case",
	    "customer c1 Customer.Example\ncustomer c2 other.example "
	    "customer.example.\n",
	    "t.conf:2: customer domain customer.example given twice (first on "
	    "line 1)");
	fails("config/err/duplicate-customer-earliest",
	    "customer c1 b.example\ncustomer c1 a.example\n"
	    "customer c1 a.example\ncustomer c1 b.example\n",
	    "t.conf:3: customer domain a.example given twice (first on "
	    "line 2)");
	fails("config/err/customer-is-esp",
	    "customer c1 fbl.myesp.example\nesp-domain fbl.myesp.example\n",
	    "t.conf:1: customer domain fbl.myesp.example is within the "
	    "esp-domain fbl.myesp.example");
	fails("config/err/customer-under-esp",
	    "esp-domain fbl.myesp.example\ncustomer c1 a.FBL.myesp.example\n",
	    "t.conf:2: customer domain a.fbl.myesp.example is within the "
	    "esp-domain fbl.myesp.example");
	CHECK_TRUE("config/customer/parent-of-esp-ok",
	    load("esp-domain fbl.myesp.example\ncustomer c1 myesp.example\n"
	    "customer c2 xfbl.myesp.example\n") != NULL);
}

/* write name in tmpdir with mode (len 0: strlen); returns the path */
static const char *
put(const char *name, const char *text, size_t len, mode_t mode)
{
	static char	 path[300];
	FILE		*f;

	snprintf(path, sizeof(path), "%s/%s", tmpdir, name);
	if (len == 0)
		len = strlen(text);
	if ((f = fopen(path, "w")) == NULL || fwrite(text, 1, len, f) != len ||
	    fclose(f) != 0 || chmod(path, mode) != 0) {
		perror(path);
		exit(2);
	}
	return path;
}

static void
test_files(void)
{
	char		 want[400], path[300];
	const char	*p;
	char		*big;

	snprintf(path, sizeof(path), "%s/nope.conf", tmpdir);
	config_free(cfg);
	cfg = config_load(path, &err);
	snprintf(want, sizeof(want), "%s: No such file or directory", path);
	CHECK_STR("config/file/missing", cfg == NULL ? buf_cstr(&err) : "",
	    want);

	p = put("a.conf", "esp-id myesp\nhmac-secret-file secret.key\n"
	    "private-key-dir /var/lib/keys\nbogus 1\n", 0, 0644);
	snprintf(want, sizeof(want), "%s:4: unknown key \"bogus\"", p);
	cfg = config_load(p, &err);
	CHECK_STR("config/file/error-names-path", cfg == NULL ?
	    buf_cstr(&err) : "", want);

	p = put("b.conf", "hmac-secret-file secret.key\n"
	    "private-key-dir /var/lib/keys\n", 0, 0644);
	cfg = config_load(p, &err);
	snprintf(want, sizeof(want), "%s/secret.key", tmpdir);
	CHECK_STR("config/file/relative-path", cfg ? cfg->hmac_secret_file :
	    buf_cstr(&err), want);
	CHECK_STR("config/file/absolute-path", cfg ? cfg->private_key_dir :
	    "", "/var/lib/keys");
	CHECK_STR("config/file/path", cfg ? cfg->path : "", p);
	config_free(cfg);
	cfg = NULL;

	CHECK_TRUE("config/file/directory", config_load(tmpdir, &err) == NULL
	    && strstr(buf_cstr(&err), tmpdir) == buf_cstr(&err));

	if ((big = malloc(CONFIG_MAX_BYTES + 1)) == NULL)
		exit(2);
	memset(big, '\n', CONFIG_MAX_BYTES + 1);
	p = put("big.conf", big, CONFIG_MAX_BYTES, 0644);
	cfg = config_load(p, &err);
	CHECK_TRUE("config/file/1MiB-ok", cfg != NULL);
	config_free(cfg);
	p = put("big.conf", big, CONFIG_MAX_BYTES + 1, 0644);
	cfg = config_load(p, &err);
	snprintf(want, sizeof(want), "%s: larger than 1048576 bytes", p);
	CHECK_STR("config/file/too-big", cfg == NULL ? buf_cstr(&err) : "",
	    want);
	free(big);
}

static void
secret_case(const char *name, const char *content, mode_t mode, bool ok,
    const char *want)
{
	struct buf	 s = BUF_INIT;
	char		 conf[400], name2[200];
	const char	*p;
	bool		 got;

	p = put("hmac.key", content, 0, mode);
	snprintf(conf, sizeof(conf), "hmac-secret-file %s\n", p);
	load(conf);
	got = cfg != NULL && config_read_secret(cfg, &s, &err);
	UNIT_REPORT(got == ok, name, "got %s (%s), want %s", got ? "ok" :
	    "error", buf_cstr(&err), ok ? "ok" : "error");
	snprintf(name2, sizeof(name2), "%s/%s", name, ok ? "value" :
	    "message");
	if (ok && want != NULL)
		CHECK_STR(name2, buf_cstr(&s), want);
	if (!ok && want != NULL)
		CHECK_TRUE(name2, strstr(buf_cstr(&err), want) != NULL &&
		    strncmp(buf_cstr(&err), p, strlen(p)) == 0);
	buf_free(&s);
}

static void
test_secret(void)
{
	struct buf	 s = BUF_INIT;
	bool		 root = geteuid() == 0;

	secret_case("config/secret/0600", "0123456789abcdef0123\n", 0600,
	    true, "0123456789abcdef0123");
	secret_case("config/secret/crlf", "0123456789abcdefXY\r\n\n", 0400,
	    true, "0123456789abcdefXY");
	secret_case("config/secret/0644", "0123456789abcdef0123\n", 0644,
	    false, "mode 0644");
	secret_case("config/secret/0604", "0123456789abcdef0123\n", 0604,
	    false, "must be 0600");
	/* 0640 is fine only when root owns the file */
	secret_case("config/secret/0640", "0123456789abcdef0123\n", 0640,
	    root, NULL);
	secret_case("config/secret/short", "0123456789abcde\n", 0600,
	    false, "must hold 16 to 4096 bytes (it holds 15)");
	load("");
	CHECK_TRUE("config/secret/unset", cfg != NULL &&
	    !config_read_secret(cfg, &s, &err) &&
	    strcmp(buf_cstr(&err), "t.conf: no hmac-secret-file configured")
	    == 0);
	load("hmac-secret-file /nonexistent/fbl/hmac.key\n");
	CHECK_STR("config/secret/missing", cfg != NULL &&
	    !config_read_secret(cfg, &s, &err) ? buf_cstr(&err) : "",
	    "/nonexistent/fbl/hmac.key: No such file or directory");
	buf_free(&s);
}

/* samples/fblscope.conf: the demo config parses and says what generate.sh
 * needs */
static void
test_sample(void)
{
	const char	*root = getenv("FBL_ROOT");
	char		 path[400], want[450];

	snprintf(path, sizeof(path), "%s%ssamples/fblscope.conf",
	    root != NULL ? root : "", root != NULL ? "/" : "");
	config_free(cfg);
	cfg = config_load(path, &err);
	CHECK_STR("config/sample/loads", cfg == NULL ? buf_cstr(&err) : "",
	    "");
	if (cfg == NULL)
		return;
	CHECK_STR("config/sample/esp-id", cfg->esp_id, "myesp");
	CHECK_TRUE("config/sample/esp-domain", cfg->esp_domains.n == 1 &&
	    strcmp(cfg->esp_domains.v[0], "fbl.myesp.example") == 0);
	CHECK_TRUE("config/sample/nameservers", cfg->nameservers.n == 2 &&
	    strcmp(cfg->nameservers.v[0], "dkim1.myesp.example") == 0 &&
	    strcmp(cfg->nameservers.v[1], "dkim2.myesp.example") == 0);
	CHECK_TRUE("config/sample/customers", cfg->nexact == 2 &&
	    strcmp(cfg->exact[0].domain, "customer.example") == 0 &&
	    strcmp(cfg->exact[0].id, "cust-001") == 0 &&
	    strcmp(cfg->exact[1].domain, "shop.example") == 0 &&
	    strcmp(cfg->exact[1].id, "cust-002") == 0);
	CHECK_TRUE("config/sample/regex", cfg->nregex == 1 &&
	    strcmp(cfg->regex[0].id, "cust-003") == 0);
	CHECK_INT("config/sample/networks", cfg->nnetworks, 2);
	CHECK_TRUE("config/sample/no-secret", cfg->hmac_secret_file == NULL);
	snprintf(want, sizeof(want), "%s%ssamples/keys",
	    root != NULL ? root : "", root != NULL ? "/" : "");
	CHECK_STR("config/sample/keydir", cfg->private_key_dir, want);
}

int
main(void)
{
	char	 cmd[400];

	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	test_empty();
	test_full();
	test_syntax();
	test_long_line();
	test_many_words();
	test_key_errors();
	test_values();
	test_regex_errors();
	test_cidr_errors();
	test_customer_checks();
	test_files();
	test_secret();
	test_sample();
	config_free(cfg);
	buf_free(&err);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", tmpdir);
	return UNIT_DONE();
}
