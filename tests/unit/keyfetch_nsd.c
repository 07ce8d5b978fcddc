/* SPDX-License-Identifier: ISC */
/*
 * keyfetch_nsd: the part of test_keyfetch that asks a real NSD, started
 * with tests/lib/nsd.sh on two loopback addresses (run from the repository
 * root, or with FBL_ROOT set).
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>

#define UNIT_PART
#include "tests/unit/unit.h"
#include "tests/unit/keyfetch_test.h"

static char	 nsd1[300], nsd2[300];
static bool	 nsd1_up, nsd2_up;

static bool
port_free(const char *ip, int port)
{
	struct sockaddr_in	 sin;
	int			 u, t, one = 1;
	bool			 ok;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_port = htons((uint16_t)port);
	inet_pton(AF_INET, ip, &sin.sin_addr);
	u = socket(AF_INET, SOCK_DGRAM, 0);
	t = socket(AF_INET, SOCK_STREAM, 0);
	setsockopt(t, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	ok = u != -1 && t != -1 &&
	    bind(u, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    bind(t, (struct sockaddr *)&sin, sizeof(sin)) == 0;
	close(u);
	close(t);
	return ok;
}

static int
pick_port(const char *ip, int from)
{
	int	 p;

	for (p = from; p < from + 50; p++)
		if (port_free(ip, p))
			return p;
	return -1;
}

static const char *
nsd_script(void)
{
	static char	 path[400];
	const char	*root = getenv("FBL_ROOT");

	snprintf(path, sizeof(path), "%s%stests/lib/nsd.sh",
	    root != NULL ? root : "", root != NULL ? "/" : "");
	return path;
}

static void
nsd_stop_one(const char *state, bool *up)
{
	char	 cmd[800];

	if (!*up)
		return;
	snprintf(cmd, sizeof(cmd), "sh '%s' stop '%s'", nsd_script(), state);
	if (system(cmd) != 0)
		fprintf(stderr, "nsd.sh stop %s failed\n", state);
	*up = false;
}

void
nsd_stop(void)
{
	nsd_stop_one(nsd1, &nsd1_up);
	nsd_stop_one(nsd2, &nsd2_up);
}

/*
 * Start one NSD on a port free a moment ago; another test may take it
 * before nsd binds, so try a few.
 */
static bool
nsd_run(const char *state, const char *addr, const char *zones, int *port,
    bool *up)
{
	char	 cmd[1500];
	int	 tries, from = 5300 + (int)(getpid() % 150);

	for (tries = 0; tries < 3; tries++) {
		if ((*port = pick_port(addr, from)) == -1)
			break;
		snprintf(cmd, sizeof(cmd), "sh '%s' start '%s' %s %d %s",
		    nsd_script(), state, addr, *port, zones);
		if (system(cmd) == 0) {
			*up = true;
			return true;
		}
		from = *port + 1;
	}
	printf("not ok nsd start on %s: %s\n", addr, zones);
	unit_failed++;
	return false;
}

/* Three TXT of 520 bytes at one name: 1.5 KB, more than our EDNS size. */
static void
big_records(struct buf *z)
{
	int	 i, j;

	for (i = 2; i >= 0; i--) {
		buf_puts(z, "big._domainkey IN TXT \"v=DKIM1; k=ed25519; n=");
		for (j = 0; j < 450; j++) {
			if (j == 200 || j == 400)
				buf_puts(z, "\" \"");
			buf_putc(z, 'a' + i);
		}
		buf_puts(z, "; p=" ED_P "\"\n");
	}
}

static const char zone_ex[] =
    "$ORIGIN example.test.\n"
    "$TTL 300\n"
    "@ 3600 IN SOA ns host 1 3600 600 86400 120\n"
    "@ IN NS ns\n"
    "ns IN A 127.0.0.2\n"
    "sel._domainkey 250 IN TXT \"v=DKIM1; k=ed25519; \" \"p=" ED_P "\"\n"
    "cn._domainkey 60 IN CNAME key.other.test.\n"
    "far._domainkey 300 IN CNAME key.root-only.test.\n";

static const char zone_other[] =
    "other.test. 300 IN SOA ns.example.test. host.example.test. "
    "1 3600 600 86400 90\n"
    "other.test. 300 IN NS ns.example.test.\n"
    "key.other.test. 200 IN TXT \"" ED_KEY "\"\n";

static const char zone_root[] =
    ". 300 IN SOA ns.root-only.test. host.root-only.test. "
    "1 3600 600 86400 60\n"
    ". 300 IN NS ns.root-only.test.\n"
    "ns.root-only.test. 300 IN A 127.0.0.3\n"
    "key.root-only.test. 300 IN TXT \"" ED_KEY "\"\n";

static bool
nsd_start(int *port1, int *port2)
{
	struct buf	 z = BUF_INIT;
	char		 zones[700];
	const char	*ex, *other, *root;

	buf_puts(&z, zone_ex);
	big_records(&z);
	ex = write_file("example.test.zone", buf_cstr(&z));
	buf_free(&z);
	other = write_file("other.test.zone", zone_other);
	root = write_file("root.zone", zone_root);
	snprintf(nsd1, sizeof(nsd1), "%s/nsd1", tmpdir);
	snprintf(nsd2, sizeof(nsd2), "%s/nsd2", tmpdir);
	snprintf(zones, sizeof(zones), "example.test='%s' other.test='%s'",
	    ex, other);
	if (!nsd_run(nsd1, "127.0.0.2", zones, port1, &nsd1_up))
		return false;
	snprintf(zones, sizeof(zones), ".='%s'", root);
	return nsd_run(nsd2, "127.0.0.3", zones, port2, &nsd2_up);
}

static void
test_nsd_answers(const char *server, int port)
{
	const char *const	 servers[] = { server };
	struct key_source	*ks;
	struct key_source_stats	 st;
	const struct key_answer	*a;
	char			 want[40];
	bool			 fc;
	size_t			 i;

	ks = dns_source(servers, 1, 1000, 0);
	a = key_source_lookup(ks, "sel._domainkey.example.test", &fc);
	CHECK_INT("nsd ok status", a->status, KEYFETCH_OK);
	snprintf(want, sizeof(want), "127.0.0.2@%d", port);
	CHECK_STR("nsd ok server", a->server, want);
	CHECK_INT("nsd ok ttl", a->ttl, 250);
	CHECK_INT("nsd ok ntxt", a->ntxt, 1);
	if (a->ntxt == 1) {
		CHECK_MEM("nsd ok joined", a->txt[0].data, a->txt[0].len,
		    ED_KEY, strlen(ED_KEY));
		CHECK_INT("nsd ok parsed", a->txt[0].parse, REASON_OK);
	}
	CHECK_TRUE("nsd ok fetched", a->fetched > 0);
	key_answer_release(a);
	a = key_source_lookup(ks, "SEL._domainkey.example.test.", &fc);
	CHECK_TRUE("nsd second lookup cached", fc && a->status == KEYFETCH_OK);
	key_answer_release(a);
	key_source_stats(ks, &st);
	CHECK_INT("nsd cached lookup sent nothing", st.queries, 1);

	a = key_source_lookup(ks, "nx._domainkey.example.test", NULL);
	CHECK_INT("nsd nxdomain", a->status, KEYFETCH_NXDOMAIN);
	CHECK_INT("nsd nxdomain negative ttl", a->ttl, 120);
	key_answer_release(a);

	a = key_source_lookup(ks, "ns.example.test", NULL);
	CHECK_INT("nsd nodata", a->status, KEYFETCH_NODATA);
	CHECK_INT("nsd nodata negative ttl", a->ttl, 120);
	key_answer_release(a);

	a = key_source_lookup(ks, "sel._domainkey.unserved.test", NULL);
	CHECK_INT("nsd refused", a->status, KEYFETCH_SERVFAIL);
	CHECK_TRUE("nsd refused detail", has(a->detail, "REFUSED"));
	key_answer_release(a);
	a = key_source_lookup(ks, "sel._domainkey.unserved.test", &fc);
	CHECK_TRUE("nsd refused cached briefly", fc);
	key_answer_release(a);

	a = key_source_lookup(ks, "cn._domainkey.example.test", NULL);
	CHECK_INT("nsd cname across zones", a->status, KEYFETCH_OK);
	CHECK_INT("nsd cname across zones links", a->ncnames, 1);
	if (a->ncnames == 1)
		CHECK_STR("nsd cname target", a->cnames[0], "key.other.test");
	CHECK_INT("nsd cname ttl", a->ttl, 60);
	key_answer_release(a);

	/* the answer stops at a CNAME into a zone this server lacks */
	a = key_source_lookup(ks, "far._domainkey.example.test", NULL);
	CHECK_INT("nsd cname out of the server", a->status,
	    KEYFETCH_SERVFAIL);
	CHECK_INT("nsd cname out of the server links", a->ncnames, 1);
	key_answer_release(a);

	a = key_source_lookup(ks, "big._domainkey.example.test", NULL);
	CHECK_INT("nsd truncated then tcp", a->status, KEYFETCH_OK);
	CHECK_INT("nsd truncated then tcp ntxt", a->ntxt, 3);
	for (i = 0; i < a->ntxt && i < 3; i++) {
		CHECK_INT("nsd tcp record length", a->txt[i].len, 520);
		CHECK_INT("nsd tcp record sorted", a->txt[i].data[22],
		    'a' + (int)i);
		CHECK_INT("nsd tcp record parsed", a->txt[i].parse,
		    REASON_OK);
	}
	key_answer_release(a);
	key_source_free(ks);
}

static void
test_nsd_servers(int port1, int port2)
{
	struct key_source	*ks;
	const struct key_answer	*a;
	char			 dead[40], s1[40], s2[40];
	const char		*servers[3];
	struct timespec		 t0;
	long			 ms;
	int			 dport;

	if ((dport = pick_port("127.0.0.1", 5300)) == -1)
		return;
	snprintf(dead, sizeof(dead), "127.0.0.1@%d", dport);
	snprintf(s1, sizeof(s1), "127.0.0.2@%d", port1);
	snprintf(s2, sizeof(s2), "127.0.0.3@%d", port2);

	servers[0] = dead;
	ks = dns_source(servers, 1, 300, 0);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	a = key_source_lookup(ks, "sel._domainkey.example.test", NULL);
	ms = ms_since(&t0);
	CHECK_INT("nobody listening", a->status, KEYFETCH_TIMEOUT);
	CHECK_TRUE("nobody listening quick", ms < 2000);
	key_answer_release(a);
	key_source_free(ks);

	/* in order: the dead one, then the root-zone server */
	servers[1] = s2;
	ks = dns_source(servers, 2, 300, 0);
	a = key_source_lookup(ks, "key.root-only.test", NULL);
	CHECK_INT("second server answers", a->status, KEYFETCH_OK);
	CHECK_STR("second server named", a->server, s2);
	key_answer_release(a);
	key_source_free(ks);

	/* the first server refuses, the second serves the root zone */
	servers[0] = s1;
	servers[1] = s2;
	ks = dns_source(servers, 2, 300, 0);
	a = key_source_lookup(ks, "far._domainkey.example.test", NULL);
	CHECK_INT("cname followed on another server", a->status, KEYFETCH_OK);
	CHECK_STR("cname followed server", a->server, s2);
	key_answer_release(a);
	key_source_free(ks);
}

struct worker {
	struct key_source	*ks;
	int			 id;
	int			 bad;
};

static const struct {
	const char		*name;
	enum keyfetch_status	 status;
	size_t			 ntxt;
} work[] = {
	{ "sel._domainkey.example.test", KEYFETCH_OK, 1 },
	{ "cn._domainkey.example.test", KEYFETCH_OK, 1 },
	{ "big._domainkey.example.test", KEYFETCH_OK, 3 },
	{ "nx._domainkey.example.test", KEYFETCH_NXDOMAIN, 0 },
	{ "ns.example.test", KEYFETCH_NODATA, 0 },
	{ "key.other.test", KEYFETCH_OK, 1 },
	{ "x.unserved.test", KEYFETCH_SERVFAIL, 0 },
};

static void *
worker_run(void *arg)
{
	struct worker		*w = arg;
	const struct key_answer	*a;
	size_t			 i, k, n = sizeof(work) / sizeof(work[0]);

	for (i = 0; i < 60; i++) {
		k = (i + (size_t)w->id * 3) % n;
		a = key_source_lookup(w->ks, work[k].name, NULL);
		if (a->status != work[k].status || a->ntxt != work[k].ntxt ||
		    strcmp(a->name, work[k].name) != 0)
			w->bad++;
		key_answer_release(a);
	}
	return NULL;
}

static void
test_nsd_threads(const char *server)
{
	const char *const	 servers[] = { server };
	struct worker		 w[4];
	pthread_t		 t[4];
	struct key_source	*ks;
	int			 i, bad = 0, started = 0;

	/* a cache smaller than the names keeps eviction racing lookups */
	ks = dns_source(servers, 1, 1000, 3);
	for (i = 0; i < 4; i++) {
		w[i].ks = ks;
		w[i].id = i;
		w[i].bad = 0;
		if (pthread_create(&t[i], NULL, worker_run, &w[i]) == 0)
			started++;
	}
	for (i = 0; i < started; i++) {
		pthread_join(t[i], NULL);
		bad += w[i].bad;
	}
	CHECK_INT("threads started", started, 4);
	CHECK_INT("threads consistent answers", bad, 0);
	key_source_free(ks);
}

void
test_nsd(void)
{
	char	 s1[40];
	int	 port1, port2;

	if (access("/usr/sbin/nsd", X_OK) != 0 &&
	    system("command -v nsd >/dev/null 2>&1") != 0) {
		printf("skip nsd: nsd is not installed\n");
		return;
	}
	if (access(nsd_script(), R_OK) != 0) {
		printf("skip nsd: no %s (run from the repository root, "
		    "or set FBL_ROOT)\n", nsd_script());
		return;
	}
	if (!nsd_start(&port1, &port2)) {
		nsd_stop();
		return;
	}
	snprintf(s1, sizeof(s1), "127.0.0.2@%d", port1);
	test_nsd_answers(s1, port1);
	test_nsd_servers(port1, port2);
	test_nsd_threads(s1);
	nsd_stop();
}
