/* SPDX-License-Identifier: ISC */
/*
 * test_keyfetch: key records from zone files, from a real NSD started with
 * tests/lib/nsd.sh (keyfetch_nsd.c), and from a fake server that answers
 * badly on purpose (keyfetch_fake.c).  Run from the repository root, or
 * with FBL_ROOT set (the NSD part needs tests/lib/nsd.sh).
 */
#include <stdlib.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "tests/unit/keyfetch_test.h"

char		 tmpdir[] = "/tmp/test_keyfetch.XXXXXX";

static const char *
tmp_path(const char *name)
{
	static char	 path[32][300];
	static int	 n;

	/* each path stays valid: tests keep them for their sources */
	if (n == 32) {
		fprintf(stderr, "tmp_path: too many paths\n");
		exit(2);
	}
	snprintf(path[n], sizeof(path[n]), "%s/%s", tmpdir, name);
	return path[n++];
}

const char *
write_file(const char *name, const char *text)
{
	const char	*p = tmp_path(name);
	FILE		*fp;

	if ((fp = fopen(p, "w")) == NULL || fputs(text, fp) == EOF ||
	    fclose(fp) != 0) {
		fprintf(stderr, "cannot write %s\n", p);
		exit(2);
	}
	return p;
}

long
ms_since(const struct timespec *t0)
{
	struct timespec	 t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 +
	    (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

bool
has(const char *s, const char *sub)
{
	return s != NULL && strstr(s, sub) != NULL;
}

static struct key_source *
zone_source(const char *const *zones, size_t n, size_t cache_max)
{
	struct key_source_opts	 o;
	struct buf		 err = BUF_INIT;
	struct key_source	*ks;

	memset(&o, 0, sizeof(o));
	o.zones = zones;
	o.nzones = n;
	o.cache_max = cache_max;
	if ((ks = key_source_new(&o, &err)) == NULL) {
		printf("not ok zone_source: %s\n", buf_cstr(&err));
		exit(1);
	}
	buf_free(&err);
	return ks;
}

struct key_source *
dns_source(const char *const *servers, size_t n, unsigned timeout_ms,
    size_t cache_max)
{
	struct key_source_opts	 o;
	struct buf		 err = BUF_INIT;
	struct key_source	*ks;

	memset(&o, 0, sizeof(o));
	o.resolvers = servers;
	o.nresolvers = n;
	o.timeout_ms = timeout_ms;
	o.retries = -1;		/* the default: one retry */
	o.cache_max = cache_max;
	if ((ks = key_source_new(&o, &err)) == NULL) {
		printf("not ok dns_source: %s\n", buf_cstr(&err));
		exit(1);
	}
	buf_free(&err);
	return ks;
}

/* ---- zone files ------------------------------------------------------- */

static const char zone_a[] =
    "; no $ORIGIN: absolute names, as in the corpus\n"
    "a.test. 3600 IN SOA ns.a.test. host.a.test. 1 3600 600 86400 120\n"
    "a.test. 300 IN NS ns.a.test.\n"
    "ns.a.test. 300 IN A 127.0.0.2\n"
    "split._domainkey.a.test. 300 IN TXT \"v=DKIM1; k=ed25519; \" \"p="
    ED_P "\"\n"
    "multi._domainkey.a.test. 300 IN TXT \"zzz\"\n"
    "multi._domainkey.a.test. 300 IN TXT \"" ED_KEY "\"\n"
    "multi._domainkey.a.test. 300 IN TXT \"abc\"\n"
    "multi._domainkey.a.test. 300 IN TXT \"ab\"\n"
    "notkey._domainkey.a.test. 300 IN TXT \"hello world\"\n"
    "UPPER._domainkey.A.TEST. 300 IN TXT \"" ED_KEY "\"\n"
    "cn1._domainkey.a.test. 100 IN CNAME cn2.a.test.\n"
    "cn2.a.test. 200 IN CNAME key.b.test.\n"
    "loop1.a.test. 300 IN CNAME loop2.a.test.\n"
    "loop2.a.test. 300 IN CNAME LOOP1.a.test.\n"
    "self.a.test. 300 IN CNAME self.a.test.\n"
    "dangling.a.test. 300 IN CNAME nowhere.b.test.\n"
    "l0.a.test. 300 IN CNAME l1.a.test.\n"
    "l1.a.test. 300 IN CNAME l2.a.test.\n"
    "l2.a.test. 300 IN CNAME l3.a.test.\n"
    "l3.a.test. 300 IN CNAME l4.a.test.\n"
    "l4.a.test. 300 IN CNAME l5.a.test.\n"
    "l5.a.test. 300 IN CNAME l6.a.test.\n"
    "l6.a.test. 300 IN CNAME l7.a.test.\n"
    "l7.a.test. 300 IN CNAME l8.a.test.\n"
    "l8.a.test. 300 IN CNAME l9.a.test.\n"
    "l9.a.test. 300 IN TXT \"" ED_KEY "\"\n";

static const char zone_b[] =
    "$ORIGIN b.test.\n"
    "$TTL 300\n"
    "key IN TXT \"" ED_KEY "\"\n";

static void
test_zone_basic(struct key_source *ks)
{
	const struct key_answer	*a;
	bool			 fc;

	a = key_source_lookup(ks, "split._domainkey.a.test", &fc);
	CHECK_INT("zone split status", a->status, KEYFETCH_OK);
	CHECK_INT("zone split ntxt", a->ntxt, 1);
	if (a->ntxt == 1) {
		CHECK_MEM("zone split joined", a->txt[0].data, a->txt[0].len,
		    ED_KEY, strlen(ED_KEY));
		CHECK_INT("zone split parsed", a->txt[0].parse, REASON_OK);
		CHECK_INT("zone split key type", a->txt[0].key.type,
		    KEY_TYPE_ED25519);
		CHECK_TRUE("zone split no detail",
		    a->txt[0].parse_detail == NULL);
	}
	CHECK_STR("zone split name", a->name, "split._domainkey.a.test");
	CHECK_INT("zone split ttl", a->ttl, 300);
	CHECK_INT("zone split no cname", a->ncnames, 0);
	CHECK_TRUE("zone split server", has(a->server, "zone ") &&
	    has(a->server, "a.zone"));
	CHECK_TRUE("zone split fresh", !fc);
	CHECK_TRUE("zone split no detail", a->detail == NULL);
	key_answer_release(a);

	a = key_source_lookup(ks, "SPLIT._DomainKey.A.Test.", &fc);
	CHECK_INT("zone case and dot status", a->status, KEYFETCH_OK);
	CHECK_STR("zone case and dot name", a->name,
	    "split._domainkey.a.test");
	CHECK_TRUE("zone case and dot cached", fc);
	key_answer_release(a);

	a = key_source_lookup(ks, "upper._domainkey.a.test", NULL);
	CHECK_INT("zone upper-case owner", a->status, KEYFETCH_OK);
	key_answer_release(a);

	a = key_source_lookup(ks, "nx._domainkey.a.test", NULL);
	CHECK_INT("zone missing status", a->status, KEYFETCH_NXDOMAIN);
	CHECK_INT("zone missing ntxt", a->ntxt, 0);
	/* RFC 2308: min(SOA TTL 3600, SOA MINIMUM 120) */
	CHECK_INT("zone missing negative ttl", a->ttl, 120);
	key_answer_release(a);

	a = key_source_lookup(ks, "nx.b.test", NULL);
	CHECK_INT("zone missing no soa", a->status, KEYFETCH_NXDOMAIN);
	CHECK_INT("zone missing no soa ttl", a->ttl, KEYFETCH_NEG_TTL);
	key_answer_release(a);

	a = key_source_lookup(ks, "_domainkey.a.test", NULL);
	CHECK_INT("zone empty non-terminal", a->status, KEYFETCH_NODATA);
	key_answer_release(a);
	a = key_source_lookup(ks, "ns.a.test", NULL);
	CHECK_INT("zone name without txt", a->status, KEYFETCH_NODATA);
	CHECK_INT("zone name without txt ttl", a->ttl, 120);
	key_answer_release(a);

	a = key_source_lookup(ks, "notkey._domainkey.a.test", NULL);
	CHECK_INT("zone not a key status", a->status, KEYFETCH_OK);
	CHECK_INT("zone not a key ntxt", a->ntxt, 1);
	if (a->ntxt == 1) {
		CHECK_INT("zone not a key parse", a->txt[0].parse,
		    REASON_KEY_SYNTAX);
		CHECK_TRUE("zone not a key detail",
		    a->txt[0].parse_detail != NULL &&
		    a->txt[0].parse_detail[0] != '\0');
		CHECK_STR("zone not a key data", a->txt[0].data,
		    "hello world");
	}
	key_answer_release(a);
}

static void
test_zone_sorted(struct key_source *ks)
{
	const struct key_answer	*a;
	static const char *const want[] = { "ab", "abc", ED_KEY, "zzz" };
	size_t			 i;
	char			 name[64];

	a = key_source_lookup(ks, "multi._domainkey.a.test", NULL);
	CHECK_INT("zone several status", a->status, KEYFETCH_OK);
	CHECK_INT("zone several ntxt", a->ntxt, 4);
	CHECK_INT("zone several dropped", a->ntxt_dropped, 0);
	for (i = 0; i < a->ntxt && i < 4; i++) {
		snprintf(name, sizeof(name), "zone several sorted %zu", i);
		CHECK_STR(name, a->txt[i].data, want[i]);
	}
	if (a->ntxt == 4) {
		CHECK_INT("zone several ab bad", a->txt[0].parse,
		    REASON_KEY_SYNTAX);
		CHECK_INT("zone several key good", a->txt[2].parse,
		    REASON_OK);
	}
	key_answer_release(a);
}

static void
test_zone_many(void)
{
	struct buf		 z = BUF_INIT;
	const char		*zones[1];
	struct key_source	*ks;
	const struct key_answer	*a;
	int			 i;

	/* written in descending order so that sorting has work to do */
	for (i = 19; i >= 0; i--)
		buf_printf(&z, "many.m.test. 300 IN TXT \"k%02d\"\n", i);
	zones[0] = write_file("many.zone", buf_cstr(&z));
	buf_free(&z);
	ks = zone_source(zones, 1, 0);
	a = key_source_lookup(ks, "many.m.test", NULL);
	CHECK_INT("zone many status", a->status, KEYFETCH_OK);
	CHECK_INT("zone many kept", a->ntxt, KEYFETCH_MAX_TXT);
	CHECK_INT("zone many dropped", a->ntxt_dropped, 4);
	if (a->ntxt == KEYFETCH_MAX_TXT) {
		CHECK_STR("zone many first", a->txt[0].data, "k00");
		CHECK_STR("zone many last", a->txt[15].data, "k15");
	}
	key_answer_release(a);
	key_source_free(ks);
}

static void
test_zone_cname(struct key_source *ks)
{
	const struct key_answer	*a;

	a = key_source_lookup(ks, "cn1._domainkey.a.test", NULL);
	CHECK_INT("zone cname status", a->status, KEYFETCH_OK);
	CHECK_INT("zone cname links", a->ncnames, 2);
	if (a->ncnames == 2) {
		CHECK_STR("zone cname first", a->cnames[0], "cn2.a.test");
		CHECK_STR("zone cname second", a->cnames[1], "key.b.test");
	}
	CHECK_INT("zone cname ttl is the chain minimum", a->ttl, 100);
	CHECK_TRUE("zone cname server is the zone holding the key",
	    has(a->server, "b.zone"));
	if (a->ntxt == 1)
		CHECK_STR("zone cname data", a->txt[0].data, ED_KEY);
	CHECK_STR("zone cname name", a->name, "cn1._domainkey.a.test");
	key_answer_release(a);

	a = key_source_lookup(ks, "loop1.a.test", NULL);
	CHECK_INT("zone cname loop", a->status, KEYFETCH_CHAIN);
	CHECK_TRUE("zone cname loop detail", has(a->detail, "loop"));
	key_answer_release(a);
	a = key_source_lookup(ks, "self.a.test", NULL);
	CHECK_INT("zone cname to itself", a->status, KEYFETCH_CHAIN);
	key_answer_release(a);

	a = key_source_lookup(ks, "l1.a.test", NULL);
	CHECK_INT("zone chain of 8 links", a->status, KEYFETCH_OK);
	CHECK_INT("zone chain of 8 links count", a->ncnames, 8);
	if (a->ncnames == 8)
		CHECK_STR("zone chain of 8 links end", a->cnames[7],
		    "l9.a.test");
	key_answer_release(a);
	a = key_source_lookup(ks, "l0.a.test", NULL);
	CHECK_INT("zone chain of 9 links", a->status, KEYFETCH_CHAIN);
	CHECK_TRUE("zone chain of 9 links detail", has(a->detail, "longer"));
	key_answer_release(a);

	a = key_source_lookup(ks, "dangling.a.test", NULL);
	CHECK_INT("zone dangling cname", a->status, KEYFETCH_NXDOMAIN);
	CHECK_INT("zone dangling cname links", a->ncnames, 1);
	if (a->ncnames == 1)
		CHECK_STR("zone dangling cname target", a->cnames[0],
		    "nowhere.b.test");
	key_answer_release(a);
}

static void
test_zone_bad(void)
{
	struct key_source_opts	 o;
	struct buf		 err = BUF_INIT;
	const char		*zones[2];
	struct key_source	*ks;

	memset(&o, 0, sizeof(o));
	zones[0] = write_file("good.zone", zone_b);
	zones[1] = write_file("broken.zone",
	    "x.test. 300 IN TXT \"fine\"\n"
	    "\n"
	    "y.test. 300 IN A 999.1.1.1\n");
	o.zones = zones;
	o.nzones = 2;
	ks = key_source_new(&o, &err);
	CHECK_TRUE("bad zone refused", ks == NULL);
	CHECK_TRUE("bad zone names file and line", has(buf_cstr(&err),
	    "broken.zone:3:"));
	key_source_free(ks);

	buf_reset(&err);
	zones[1] = write_file("broken2.zone",
	    "x.test. 300 IN TXT \"fine\"\n"
	    "y.test. 300 IN BOGUSTYPE 1 2 3");
	ks = key_source_new(&o, &err);
	CHECK_TRUE("bad type refused", ks == NULL);
	CHECK_TRUE("bad type names file and line", has(buf_cstr(&err),
	    "broken2.zone:2"));
	key_source_free(ks);

	buf_reset(&err);
	zones[1] = tmp_path("absent.zone");
	ks = key_source_new(&o, &err);
	CHECK_TRUE("missing zone refused", ks == NULL);
	CHECK_TRUE("missing zone named", has(buf_cstr(&err), "absent.zone"));
	key_source_free(ks);
	buf_free(&err);
}

static void
test_resolver_strings(void)
{
	static const char *const bad[] = {
		"", "127.0.0.1@", "127.0.0.1@0", "127.0.0.1@65536",
		"127.0.0.1@53x", "256.0.0.1", "example.com", "::1@@53",
		"1.2.3.4@99999999999999999999",
	};
	static const char *const good[] = {
		"127.0.0.1", "127.0.0.2@5353", "::1@5353", "2001:db8::1",
	};
	const char		*many[17];
	struct key_source_opts	 o;
	struct buf		 err = BUF_INIT;
	struct key_source	*ks;
	char			 name[80];
	size_t			 i;

	memset(&o, 0, sizeof(o));
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		buf_reset(&err);
		o.resolvers = &bad[i];
		o.nresolvers = 1;
		ks = key_source_new(&o, &err);
		snprintf(name, sizeof(name), "bad resolver \"%s\"", bad[i]);
		CHECK_TRUE(name, ks == NULL && has(buf_cstr(&err), "resolver"));
		key_source_free(ks);
	}
	o.resolvers = good;
	o.nresolvers = sizeof(good) / sizeof(good[0]);
	ks = key_source_new(&o, &err);
	CHECK_TRUE("good resolvers accepted", ks != NULL);
	key_source_free(ks);

	for (i = 0; i < 17; i++)
		many[i] = "127.0.0.1";
	o.resolvers = many;
	o.nresolvers = 17;
	buf_reset(&err);
	ks = key_source_new(&o, &err);
	CHECK_TRUE("17 resolvers refused", ks == NULL &&
	    has(buf_cstr(&err), "17"));
	key_source_free(ks);
	buf_free(&err);
}

/* Whether /etc/resolv.conf names a server, as ldns reads it. */
static bool
resolv_conf_has_server(void)
{
	FILE	*fp;
	char	 line[512];
	bool	 found = false;

	if ((fp = fopen("/etc/resolv.conf", "r")) == NULL)
		return false;
	while (!found && fgets(line, sizeof(line), fp) != NULL)
		found = strncmp(line, "nameserver", 10) == 0;
	fclose(fp);
	return found;
}

static void
test_system_resolver(void)
{
	struct buf		 err = BUF_INIT;
	struct key_source	*ks;
	const struct key_answer	*a;

	if (!resolv_conf_has_server()) {
		printf("skip system resolver: no nameserver in "
		    "/etc/resolv.conf\n");
		return;
	}
	ks = key_source_new(NULL, &err);
	CHECK_TRUE("system resolver read", ks != NULL);
	if (ks != NULL) {
		/* no query leaves: the name is refused first */
		a = key_source_lookup(ks, "bad..name", NULL);
		CHECK_INT("system resolver invalid name", a->status,
		    KEYFETCH_MALFORMED);
		key_answer_release(a);
	}
	key_source_free(ks);
	buf_free(&err);
}

static void
test_invalid_names(struct key_source *ks)
{
	static const char *const bad[] = {
		"", ".", "a..b", ".a.test", "a.test..", "a b.test",
		"a\tb.test", "caf\xc3\xa9.test", "a\x7f.test",
	};
	struct key_source_stats	 st0, st1;
	const struct key_answer	*a;
	char			 name[80], big[600];
	size_t			 i;

	key_source_stats(ks, &st0);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		a = key_source_lookup(ks, bad[i], NULL);
		snprintf(name, sizeof(name), "invalid name %zu", i);
		CHECK_INT(name, a->status, KEYFETCH_MALFORMED);
		snprintf(name, sizeof(name), "invalid name %zu detail", i);
		CHECK_TRUE(name, has(a->detail, "invalid name"));
		key_answer_release(a);
	}
	/* a 64-byte label, then 63 (valid) */
	memset(big, 'x', 64);
	strcpy(big + 64, ".a.test");
	a = key_source_lookup(ks, big, NULL);
	CHECK_INT("label of 64 bytes", a->status, KEYFETCH_MALFORMED);
	key_answer_release(a);
	a = key_source_lookup(ks, big + 1, NULL);
	CHECK_INT("label of 63 bytes", a->status, KEYFETCH_NXDOMAIN);
	key_answer_release(a);

	/* three labels of 63 and one of 61: 253 bytes, the most allowed */
	for (i = 0; i < 3; i++) {
		memset(big + i * 64, 'a' + (int)i, 63);
		big[i * 64 + 63] = '.';
	}
	memset(big + 192, 'd', 61);
	big[253] = '\0';
	a = key_source_lookup(ks, big, NULL);
	CHECK_INT("name of 253 bytes", a->status, KEYFETCH_NXDOMAIN);
	key_answer_release(a);
	strcpy(big + 253, ".");
	a = key_source_lookup(ks, big, NULL);
	CHECK_INT("name of 253 bytes and the root dot", a->status,
	    KEYFETCH_NXDOMAIN);
	key_answer_release(a);
	strcpy(big + 253, "d");
	a = key_source_lookup(ks, big, NULL);
	CHECK_INT("name of 254 bytes", a->status, KEYFETCH_MALFORMED);
	CHECK_TRUE("name of 254 bytes detail", has(a->detail, "253"));
	key_answer_release(a);
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	a = key_source_lookup(ks, big, NULL);
	CHECK_INT("name of 599 bytes", a->status, KEYFETCH_MALFORMED);
	CHECK_TRUE("name of 599 bytes shown bounded",
	    a->name != NULL && strlen(a->name) < 300);
	key_answer_release(a);
	a = key_source_lookup(ks, NULL, NULL);
	CHECK_INT("NULL name", a->status, KEYFETCH_MALFORMED);
	key_answer_release(a);
	key_source_stats(ks, &st1);
	/* the valid names above were searched (one from the cache) */
	CHECK_INT("invalid names not searched", st1.queries - st0.queries, 2);
}

static void
test_cache(const char *const *zones)
{
	struct key_source	*ks;
	struct key_source_stats	 st;
	const struct key_answer	*a, *b, *held;
	bool			 fc;

	ks = zone_source(zones, 2, 2);
	a = key_source_lookup(ks, "split._domainkey.a.test", &fc);
	CHECK_TRUE("cache first lookup fresh", !fc);
	b = key_source_lookup(ks, "split._domainkey.a.test", &fc);
	CHECK_TRUE("cache second lookup cached", fc);
	CHECK_TRUE("cache second lookup same answer", a == b);
	key_answer_release(b);
	key_source_stats(ks, &st);
	CHECK_INT("cache stats lookups", st.lookups, 2);
	CHECK_INT("cache stats hits", st.hits, 1);
	CHECK_INT("cache stats queries", st.queries, 1);

	/* negative answers are cached too */
	b = key_source_lookup(ks, "nx.a.test", &fc);
	key_answer_release(b);
	b = key_source_lookup(ks, "nx.a.test", &fc);
	CHECK_TRUE("cache negative answer", fc && b->status ==
	    KEYFETCH_NXDOMAIN);
	key_answer_release(b);

	/* cache_max 2: a third name evicts the least recently used */
	held = a;
	b = key_source_lookup(ks, "multi._domainkey.a.test", &fc);
	key_answer_release(b);
	b = key_source_lookup(ks, "split._domainkey.a.test", &fc);
	CHECK_TRUE("cache evicts beyond cache_max", !fc);
	CHECK_TRUE("cache evicted answer is a new one", b != held);
	key_answer_release(b);
	/* the evicted answer stays readable until released */
	CHECK_STR("cache evicted answer still valid", held->txt[0].data,
	    ED_KEY);
	key_answer_release(held);
	key_source_stats(ks, &st);
	CHECK_INT("cache stats after eviction", st.queries, 4);

	/* answers outlive their source */
	a = key_source_lookup(ks, "cn1._domainkey.a.test", NULL);
	key_source_free(ks);
	CHECK_STR("answer outlives source", a->cnames[0], "cn2.a.test");
	key_answer_release(a);
	key_answer_release(NULL);
}

static void
test_status_str(void)
{
	CHECK_STR("status str ok", keyfetch_status_str(KEYFETCH_OK), "ok");
	CHECK_STR("status str timeout",
	    keyfetch_status_str(KEYFETCH_TIMEOUT), "timeout");
	CHECK_STR("status str servfail",
	    keyfetch_status_str(KEYFETCH_SERVFAIL), "servfail");
	CHECK_STR("status str out of range",
	    keyfetch_status_str((enum keyfetch_status)99), "unknown");
}

static void
cleanup(void)
{
	char	 cmd[400];

	nsd_stop();
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	if (system(cmd) != 0)
		fprintf(stderr, "cannot remove %s\n", tmpdir);
}

int
main(void)
{
	const char		*zones[2];
	struct key_source	*ks;

	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	atexit(cleanup);
	zones[0] = write_file("a.zone", zone_a);
	zones[1] = write_file("b.zone", zone_b);
	ks = zone_source(zones, 2, 0);
	test_zone_basic(ks);
	test_zone_sorted(ks);
	test_zone_cname(ks);
	test_invalid_names(ks);
	key_source_free(ks);
	test_zone_many();
	test_zone_bad();
	test_cache(zones);
	test_resolver_strings();
	test_system_resolver();
	test_status_str();
	test_fake();
	test_nsd();
	return UNIT_DONE();
}
