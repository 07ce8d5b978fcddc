/* SPDX-License-Identifier: ISC */
/*
 * test_keyzone: the zone plan of `fblscope keys zone` (fbl/keys/keyzone.h): the
 * cname zone of a template, key names split, where each key goes, the
 * printed form, a zone file and its serial.
 *
 * Expected texts are written here by hand.  ED25519 is the key of RFC 8463
 * appendix A.2; RSA_P is 400 octets of base64-looking text (a record of 418
 * octets: strings of 255 and 163), which the plan never parses (it only
 * places records that keyimport already checked).
 */
#include <stdlib.h>

#include "fbl/config.h"
#include "fbl/keys/keyzone.h"
#include "tests/unit/unit.h"

#define ED25519 "11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define ED_REC	"v=DKIM1; k=ed25519; p=" ED25519

static const char conf[] =
"esp-id myesp\n"
"esp-domain fbl.myesp.example\n"
"nameserver dkim1.myesp.example 192.0.2.53 dkim2.myesp.example\n"
"selector-pattern '^(?<mon>[a-z]{3})(?<year>\\d{4})\\.myesp$'\n"
"cname-target {selector}.{domain}.dkimhack.myesp.example\n"
"customer cust-001 customer.example\n";

static void
test_cname_zone(void)
{
	struct buf	 b = BUF_INIT;

	CHECK_TRUE("cname-zone/demo", keyzone_cname_zone(
	    "{selector}.{domain}.dkimhack.myesp.example", &b) &&
	    strcmp(buf_cstr(&b), "dkimhack.myesp.example") == 0);
	CHECK_TRUE("cname-zone/order-and-case", keyzone_cname_zone(
	    "{domain}.{selector}.Keys.ESP.example.", &b) &&
	    strcmp(buf_cstr(&b), "keys.esp.example") == 0);
	/* a placeholder inside a label: the zone starts at the next label */
	CHECK_TRUE("cname-zone/mid-label", keyzone_cname_zone(
	    "{selector}.{domain}-dk.hack.example", &b) &&
	    strcmp(buf_cstr(&b), "hack.example") == 0);
	CHECK_TRUE("cname-zone/none-after", !keyzone_cname_zone(
	    "x.{selector}.{domain}", &b));
	CHECK_TRUE("cname-zone/only-dot", !keyzone_cname_zone(
	    "{selector}.{domain}.", &b));
	buf_free(&b);
}

static void
test_split_name(void)
{
	struct buf	 s = BUF_INIT, d = BUF_INIT;

	CHECK_TRUE("split/dotted-selector", keyzone_split_name(
	    "nov2026.myesp._domainkey.customer.example", &s, &d) &&
	    strcmp(buf_cstr(&s), "nov2026.myesp") == 0 &&
	    strcmp(buf_cstr(&d), "customer.example") == 0);
	CHECK_TRUE("split/first-domainkey", keyzone_split_name(
	    "a._domainkey._domainkey.b.example", &s, &d) &&
	    strcmp(buf_cstr(&s), "a") == 0 &&
	    strcmp(buf_cstr(&d), "_domainkey.b.example") == 0);
	CHECK_TRUE("split/no-selector",
	    !keyzone_split_name("._domainkey.b.example", &s, &d));
	CHECK_TRUE("split/no-domain", !keyzone_split_name("a._domainkey.", &s,
	    &d));
	CHECK_TRUE("split/none", !keyzone_split_name("a.b.example", &s, &d));
	buf_free(&s);
	buf_free(&d);
}

static void
test_serial(void)
{
	uint32_t	 v = 0;
	const char	 good[] = "$TTL 1\n@ IN SOA a. b. (\n\t2026112305\t; serial"
	    "\n\t1\t; refresh\n";
	const char	 bad[] = "@ IN SOA a. b. (\n\t20261123x5\t; serial\n";

	CHECK_TRUE("serial/read", keyzone_file_serial(good, strlen(good), &v) &&
	    v == 2026112305);
	CHECK_TRUE("serial/junk", !keyzone_file_serial(bad, strlen(bad), &v));
	CHECK_TRUE("serial/none", !keyzone_file_serial("x\n", 2, &v));
	CHECK_INT("serial/first", keyzone_next_serial(20261123, false, 0),
	    2026112300);
	CHECK_INT("serial/older-file", keyzone_next_serial(20261123, true,
	    2026112207), 2026112300);
	CHECK_INT("serial/same-day", keyzone_next_serial(20261123, true,
	    2026112300), 2026112301);
	CHECK_INT("serial/ahead", keyzone_next_serial(20261123, true,
	    2026112499), 2026112500);
}

/* key_archive_entry as keyimport_keydir() would give (name and record). */
static void
entry(struct key_archive_entry *e, const char *name, const char *rec)
{
	memset(e, 0, sizeof(*e));
	e->name = (char *)name;
	e->record = (char *)rec;
}

static void
test_plan(void)
{
	static const char first[] =
	    "; zone myesp._domainkey.customer.example. (customer cust-001, "
	    "customer.example: the zone it delegates to the ESP)\n"
	    "myesp._domainkey.customer.example. 600 IN TXT ( \"" ED_REC
	    "\" )\n";
	struct fbl_config *cfg;
	struct keyzone_plan p;
	struct key_archive_entry v[5];
	struct buf	 err = BUF_INIT, notes = BUF_INIT, out = BUF_INIT,
			 rsa = BUF_INIT, line = BUF_INIT;
	size_t		 skipped = 0, i;
	bool		 ok;

	buf_puts(&rsa, "v=DKIM1; k=rsa; p=");
	for (i = 0; i < 400; i++)
		buf_putc(&rsa, 'A' + (int)(i % 26));
	cfg = config_load_mem("k.conf", conf, strlen(conf), &err);
	CHECK_TRUE("plan/config", cfg != NULL);
	if (cfg == NULL)
		return;
	entry(&v[0], "nov2026.myesp._domainkey.fbl.myesp.example", ED_REC);
	entry(&v[1], "nov2026.myesp._domainkey.customer.example", rsa.data);
	entry(&v[2], "s1._domainkey.customer.example", ED_REC);
	entry(&v[3], "dec2026.myesp._domainkey.stranger.example", ED_REC);
	entry(&v[4], "myesp._domainkey.customer.example", ED_REC);
	ok = keyzone_plan_build(&p, cfg, v, 5, "keys/", 600, &notes, &skipped,
	    &err);
	CHECK_TRUE("plan/built", ok);
	if (!ok) {
		config_free(cfg);
		return;
	}
	CHECK_INT("plan/keys", p.nkeys, 5);
	CHECK_INT("plan/skipped", skipped, 0);
	CHECK_INT("plan/ns-hosts", p.nns, 2);
	CHECK_STR("plan/notes", buf_cstr(&notes),
	    "k.conf: nameserver 192.0.2.53: an address, not a host name: no NS "
	    "record names it\n"
	    "keys/s1.customer.example.pem: selector s1 is outside "
	    "myesp._domainkey.customer.example, the zone the customer "
	    "delegates: served at its CNAME target only\n"
	    "stranger.example: no customer rule of k.conf names it: its keys "
	    "are served as a customer's\n");
	CHECK_INT("plan/zones", p.nzones, 4);
	if (p.nzones == 4) {
		CHECK_STR("plan/zone-0", p.zones[0].name,
		    "myesp._domainkey.customer.example");
		CHECK_INT("plan/zone-0-keys", p.zones[0].n, 2);
		CHECK_STR("plan/zone-1", p.zones[1].name,
		    "myesp._domainkey.stranger.example");
		CHECK_STR("plan/zone-2", p.zones[2].name,
		    "_domainkey.fbl.myesp.example");
		CHECK_STR("plan/zone-3", p.zones[3].name,
		    "dkimhack.myesp.example");
		CHECK_INT("plan/zone-3-keys", p.zones[3].n, 4);
	}

	keyzone_print(&p, &out);
	buf_printf(&line, "nov2026.myesp._domainkey.customer.example. 600 IN "
	    "TXT ( \"%.255s\" \"%s\" )\n", rsa.data, rsa.data + 255);
	CHECK_TRUE("print/split-255", strstr(buf_cstr(&out), line.data) !=
	    NULL);
	CHECK_TRUE("print/zone-comment", strncmp(buf_cstr(&out), first,
	    strlen(first)) == 0);
	CHECK_TRUE("print/stranger", strstr(buf_cstr(&out),
	    "; zone myesp._domainkey.stranger.example. (customer (no customer "
	    "rule), stranger.example:") != NULL);
	CHECK_TRUE("print/token", strstr(buf_cstr(&out),
	    "; zone _domainkey.fbl.myesp.example. (the ESP's token "
	    "fbl.myesp.example)\n"
	    "nov2026.myesp._domainkey.fbl.myesp.example. 600 IN TXT ( \""
	    ED_REC "\" )\n\n") != NULL);
	CHECK_TRUE("print/cname-target", strstr(buf_cstr(&out),
	    "; customer cust-001, customer.example\n"
	    "myesp.customer.example.dkimhack.myesp.example. 600 IN TXT") !=
	    NULL);
	CHECK_TRUE("print/delegation", strstr(buf_cstr(&out),
	    ";   myesp._domainkey.customer.example. IN NS dkim1.myesp.example.\n"
	    ";   myesp._domainkey.customer.example. IN NS dkim2.myesp.example.\n"
	    "; customer cust-001, customer.example: or, if it cannot delegate, "
	    "one CNAME per selector:\n"
	    ";   myesp._domainkey.customer.example. IN CNAME "
	    "myesp.customer.example.dkimhack.myesp.example.\n"
	    ";   nov2026.myesp._domainkey.customer.example. IN CNAME "
	    "nov2026.myesp.customer.example.dkimhack.myesp.example.\n"
	    ";   s1._domainkey.customer.example. IN CNAME "
	    "s1.customer.example.dkimhack.myesp.example.\n") != NULL);
	CHECK_TRUE("print/no-address-ns", strstr(buf_cstr(&out), "192.0.2.53")
	    == NULL);
	CHECK_TRUE("print/no-token-cname", strstr(buf_cstr(&out),
	    "fbl.myesp.example.dkimhack") == NULL);

	buf_reset(&out);
	keyzone_file(&p, 2, 2026112301, &out);
	CHECK_STR("file/token", buf_cstr(&out),
	    "; _domainkey.fbl.myesp.example: the ESP's token fbl.myesp.example\n"
	    "; written by fblscope keys zone\n"
	    "$ORIGIN _domainkey.fbl.myesp.example.\n"
	    "$TTL 600\n"
	    "@ IN SOA dkim1.myesp.example. hostmaster.myesp.example. (\n"
	    "\t2026112301\t; serial\n"
	    "\t3600\t; refresh\n"
	    "\t900\t; retry\n"
	    "\t1209600\t; expire\n"
	    "\t300 )\t; negative caching\n"
	    "_domainkey.fbl.myesp.example. IN NS dkim1.myesp.example.\n"
	    "_domainkey.fbl.myesp.example. IN NS dkim2.myesp.example.\n"
	    "\n"
	    "nov2026.myesp._domainkey.fbl.myesp.example. 600 IN TXT ( \""
	    ED_REC "\" )\n");
	CHECK_TRUE("file/serial-read-back", keyzone_file_serial(out.data,
	    out.len, &(uint32_t){ 0 }));

	keyzone_plan_free(&p);
	config_free(cfg);
	buf_free(&err);
	buf_free(&notes);
	buf_free(&out);
	buf_free(&rsa);
	buf_free(&line);
}

static void
test_plan_refusals(void)
{
	struct fbl_config *cfg;
	struct keyzone_plan p;
	struct key_archive_entry v[1];
	struct buf	 err = BUF_INIT, notes = BUF_INIT;
	size_t		 skipped = 0;
	const char	 noid[] = "nameserver dkim1.myesp.example\n";
	const char	 nohost[] = "esp-id myesp\nnameserver 192.0.2.1\n";
	const char	 nocname[] = "esp-id myesp\nnameserver ns.example\n";

	entry(&v[0], "s1._domainkey.customer.example", ED_REC);
	cfg = config_load_mem("a.conf", noid, strlen(noid), &err);
	CHECK_TRUE("refuse/no-esp-id", cfg != NULL && !keyzone_plan_build(&p,
	    cfg, v, 1, "d", 3600, &notes, &skipped, &err) &&
	    strncmp(buf_cstr(&err), "a.conf: no esp-id", 17) == 0);
	config_free(cfg);
	buf_reset(&err);
	cfg = config_load_mem("b.conf", nohost, strlen(nohost), &err);
	CHECK_TRUE("refuse/no-ns-host", cfg != NULL && !keyzone_plan_build(&p,
	    cfg, v, 1, "d", 3600, &notes, &skipped, &err) &&
	    strncmp(buf_cstr(&err), "b.conf: no nameserver host name", 31) ==
	    0);
	config_free(cfg);
	buf_reset(&err);
	buf_reset(&notes);
	cfg = config_load_mem("c.conf", nocname, strlen(nocname), &err);
	CHECK_TRUE("refuse/outside-no-cname", cfg != NULL &&
	    keyzone_plan_build(&p, cfg, v, 1, "d", 3600, &notes, &skipped,
	    &err) && p.nkeys == 0 && p.nzones == 0 && skipped == 1 &&
	    strstr(buf_cstr(&notes), "d/s1.customer.example.pem: selector s1 "
	    "is outside") != NULL);
	if (cfg != NULL)
		keyzone_plan_free(&p);
	config_free(cfg);
	buf_free(&err);
	buf_free(&notes);
}

int
main(void)
{
	test_cname_zone();
	test_split_name();
	test_serial();
	test_plan();
	test_plan_refusals();
	return UNIT_DONE();
}
