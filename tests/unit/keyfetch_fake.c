/* SPDX-License-Identifier: ISC */
/*
 * keyfetch_fake: the part of test_keyfetch that asks a fake server, one
 * that answers badly on purpose (silent, stray ids, short or foreign
 * replies, SERVFAIL, no EDNS, truncated with nobody on TCP), and what
 * dns_ask() itself makes of these and of a port where nothing listens.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <unistd.h>

#define UNIT_PART
#include "tests/unit/unit.h"
#include "tests/unit/keyfetch_test.h"
#include "verifier/dnsquery.h"

enum fake_mode {
	FAKE_SILENT,
	FAKE_WRONG_ID_FIRST,	/* a stray reply, then the true NXDOMAIN */
	FAKE_SHORT,		/* our id, then garbage */
	FAKE_OTHER_QUESTION,
	FAKE_SERVFAIL,
	FAKE_NO_EDNS,		/* FORMERR to EDNS, NXDOMAIN without */
	FAKE_TC_NO_TCP,		/* truncated, and nobody on TCP */
};

static atomic_int	 fake_mode;
static atomic_bool	 fake_stop;
static int		 fake_fd = -1;
static int		 fake_port;

static void
fake_reply(const uint8_t *q, size_t n, struct sockaddr_storage *from,
    socklen_t flen)
{
	uint8_t	 r[600];
	size_t	 rn = n;
	int	 mode = atomic_load(&fake_mode);

	if (n < 12 || n > sizeof(r) || mode == FAKE_SILENT)
		return;
	memcpy(r, q, n);
	r[2] |= 0x80;			/* QR */
	r[3] = 3;			/* NXDOMAIN */
	r[10] = r[11] = 0;		/* no OPT in the reply */
	rn = n - (q[11] == 1 ? 11 : 0);
	switch (mode) {
	case FAKE_WRONG_ID_FIRST:
		/* a SERVFAIL that must not be taken for the answer */
		r[0] ^= 0x55;
		r[3] = 2;
		sendto(fake_fd, r, rn, 0, (struct sockaddr *)from, flen);
		r[0] ^= 0x55;
		r[3] = 3;
		break;
	case FAKE_SHORT:
		rn = 14;
		break;
	case FAKE_OTHER_QUESTION:
		r[13] = r[13] == 'z' ? 'y' : 'z';
		break;
	case FAKE_SERVFAIL:
		r[3] = 2;
		break;
	case FAKE_NO_EDNS:
		if (q[11] == 1)
			r[3] = 1;	/* FORMERR */
		break;
	case FAKE_TC_NO_TCP:
		r[2] |= 0x02;
		break;
	}
	sendto(fake_fd, r, rn, 0, (struct sockaddr *)from, flen);
}

static void *
fake_server(void *arg)
{
	struct sockaddr_storage	 from;
	struct pollfd		 p;
	socklen_t		 flen;
	uint8_t			 q[600];
	ssize_t			 n;

	(void)arg;
	while (!atomic_load(&fake_stop)) {
		p.fd = fake_fd;
		p.events = POLLIN;
		if (poll(&p, 1, 50) <= 0)
			continue;
		flen = sizeof(from);
		n = recvfrom(fake_fd, q, sizeof(q), 0,
		    (struct sockaddr *)&from, &flen);
		if (n > 0)
			fake_reply(q, (size_t)n, &from, flen);
	}
	return NULL;
}

static bool
fake_start(pthread_t *t)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);

	if ((fake_fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return false;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fake_fd, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(fake_fd, (struct sockaddr *)&sin, &len) == -1)
		return false;
	fake_port = ntohs(sin.sin_port);
	return pthread_create(t, NULL, fake_server, NULL) == 0;
}

static const struct key_answer *
fake_ask_n(enum fake_mode mode, const char *name, size_t nservers, long *ms)
{
	struct key_source	*ks;
	const struct key_answer	*a;
	struct timespec		 t0;
	const char		*servers[2];
	char			 spec[40];

	snprintf(spec, sizeof(spec), "127.0.0.1@%d", fake_port);
	servers[0] = servers[1] = spec;
	ks = dns_source(servers, nservers, 300, 0);
	atomic_store(&fake_mode, mode);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	a = key_source_lookup(ks, name, NULL);
	*ms = ms_since(&t0);
	key_source_free(ks);
	return a;
}

/* One server, no retry. */
static const struct key_answer *
fake_ask_once(enum fake_mode mode, const char *name, long *ms)
{
	struct key_source_opts	 o;
	struct key_source	*ks;
	const struct key_answer	*a;
	struct timespec		 t0;
	const char		*servers[1];
	char			 spec[40];
	struct buf		 err = BUF_INIT;

	snprintf(spec, sizeof(spec), "127.0.0.1@%d", fake_port);
	servers[0] = spec;
	memset(&o, 0, sizeof(o));
	o.resolvers = servers;
	o.nresolvers = 1;
	o.timeout_ms = 300;
	o.retries = 0;
	if ((ks = key_source_new(&o, &err)) == NULL) {
		printf("not ok fake_ask_once: %s\n", buf_cstr(&err));
		exit(1);
	}
	buf_free(&err);
	atomic_store(&fake_mode, mode);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	a = key_source_lookup(ks, name, NULL);
	*ms = ms_since(&t0);
	key_source_free(ks);
	return a;
}

static const struct key_answer *
fake_ask(enum fake_mode mode, const char *name, long *ms)
{
	return fake_ask_n(mode, name, 1, ms);
}

static const struct key_answer *
fake_ask2(enum fake_mode mode, const char *name, long *ms)
{
	return fake_ask_n(mode, name, 2, ms);
}

/*
 * One dns_ask() of the fake server in a mode: what became of the question
 * (issue 13, item 7: the kinds of "no answer" kept apart).
 */
static enum dns_ask
fake_dns_ask(enum fake_mode mode, int port, ldns_pkt_rcode *rc,
    struct buf *why)
{
	struct dns_server	 sv;
	struct in_addr		 lo = { htonl(INADDR_LOOPBACK) };
	uint8_t			 wire[DNS_WIRE_MAX], *resp;
	char			 text[DNS_NAME_MAX + 1];
	size_t			 wlen;
	ldns_pkt		*pkt = NULL;
	enum dns_ask		 a;

	buf_reset(why);
	*rc = LDNS_RCODE_NOERROR;
	if (!dns_server_set(&sv, AF_INET, &lo, (unsigned)port) ||
	    dns_name_wire("x.fake.test", text, wire, &wlen) != NULL ||
	    (resp = malloc(DNS_MSG_MAX)) == NULL)
		return DNS_ASK_NOMEM;
	atomic_store(&fake_mode, mode);
	a = dns_ask(&sv, wire, wlen, LDNS_RR_TYPE_TXT, true, 300, resp, &pkt,
	    NULL, why);
	if (pkt != NULL) {
		*rc = ldns_pkt_get_rcode(pkt);
		ldns_pkt_free(pkt);
	}
	free(resp);
	return a;
}

/* A UDP port of 127.0.0.1 where nothing listens (bound, then closed). */
static int
closed_port(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 len = sizeof(sin);
	int			 fd, port = -1;

	if ((fd = socket(AF_INET, SOCK_DGRAM, 0)) == -1)
		return -1;
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
	    getsockname(fd, (struct sockaddr *)&sin, &len) == 0)
		port = ntohs(sin.sin_port);
	close(fd);
	return port;
}

static void
test_ask_kinds(void)
{
	struct buf	 why = BUF_INIT;
	ldns_pkt_rcode	 rc;
	struct timespec	 t0;
	int		 port;

	CHECK_INT("silent: timeout", fake_dns_ask(FAKE_SILENT, fake_port,
	    &rc, &why), DNS_ASK_TIMEOUT);
	CHECK_TRUE("timeout detail", has(buf_cstr(&why), "timed out"));
	CHECK_INT("servfail: an answer", fake_dns_ask(FAKE_SERVFAIL,
	    fake_port, &rc, &why), DNS_ASK_ANSWER);
	CHECK_INT("servfail rcode", rc, LDNS_RCODE_SERVFAIL);
	CHECK_INT("short: malformed", fake_dns_ask(FAKE_SHORT, fake_port,
	    &rc, &why), DNS_ASK_MALFORMED);
	/* the fake server has no TCP: refused there */
	CHECK_INT("TC and no TCP: truncated", fake_dns_ask(FAKE_TC_NO_TCP,
	    fake_port, &rc, &why), DNS_ASK_TRUNCATED);
	CHECK_TRUE("truncated detail", has(buf_cstr(&why), "TCP"));
	if ((port = closed_port()) > 0) {
		clock_gettime(CLOCK_MONOTONIC, &t0);
		CHECK_INT("nothing listens: refused, not timeout",
		    fake_dns_ask(FAKE_SILENT, port, &rc, &why),
		    DNS_ASK_REFUSED);
		CHECK_TRUE("refused at once", ms_since(&t0) < 250);
		CHECK_TRUE("refused detail", has(buf_cstr(&why), "refused"));
	}
	CHECK_TRUE("timeout unanswered", dns_ask_unanswered(DNS_ASK_TIMEOUT));
	CHECK_TRUE("refused unanswered", dns_ask_unanswered(DNS_ASK_REFUSED));
	CHECK_TRUE("truncated unanswered",
	    dns_ask_unanswered(DNS_ASK_TRUNCATED));
	CHECK_TRUE("malformed answered", !dns_ask_unanswered(DNS_ASK_MALFORMED));
	CHECK_TRUE("answer answered", !dns_ask_unanswered(DNS_ASK_ANSWER));
	CHECK_STR("refused name", dns_ask_name(DNS_ASK_REFUSED),
	    "connection-refused");
	CHECK_STR("unreachable name", dns_ask_name(DNS_ASK_UNREACHABLE),
	    "unreachable");
	buf_free(&why);
}

void
test_fake(void)
{
	const struct key_answer	*a;
	pthread_t		 t;
	long			 ms;

	if (!fake_start(&t)) {
		printf("skip fake server: cannot bind 127.0.0.1\n");
		return;
	}
	a = fake_ask(FAKE_SILENT, "x.fake.test", &ms);
	CHECK_INT("silent server", a->status, KEYFETCH_TIMEOUT);
	/* 300 ms, one retry: two attempts */
	CHECK_TRUE("silent server waits both attempts", ms >= 550);
	CHECK_TRUE("silent server bounded", ms < 2000);
	CHECK_TRUE("silent server detail", has(a->detail, "timed out"));
	key_answer_release(a);

	a = fake_ask_once(FAKE_SILENT, "y.fake.test", &ms);
	CHECK_INT("silent server, retries 0", a->status, KEYFETCH_TIMEOUT);
	/* retries 0 means exactly one 300 ms attempt (--retries 0) */
	CHECK_TRUE("retries 0 waits one attempt", ms >= 250 && ms < 550);
	key_answer_release(a);

	a = fake_ask2(FAKE_SILENT, "x.fake.test", &ms);
	CHECK_INT("two silent servers", a->status, KEYFETCH_TIMEOUT);
	/* 300 ms x (1 retry + 1) x 2 servers */
	CHECK_TRUE("two silent servers wait all attempts", ms >= 1150);
	CHECK_TRUE("two silent servers bounded", ms < 2500);
	CHECK_TRUE("two silent servers detail", has(a->detail, "4 attempts"));
	key_answer_release(a);

	a = fake_ask(FAKE_WRONG_ID_FIRST, "x.fake.test", &ms);
	CHECK_INT("stray reply ignored", a->status, KEYFETCH_NXDOMAIN);
	CHECK_TRUE("stray reply no wait", ms < 250);
	key_answer_release(a);

	a = fake_ask(FAKE_SHORT, "x.fake.test", &ms);
	CHECK_INT("short reply", a->status, KEYFETCH_MALFORMED);
	key_answer_release(a);

	a = fake_ask(FAKE_OTHER_QUESTION, "x.fake.test", &ms);
	CHECK_INT("reply to another question", a->status,
	    KEYFETCH_MALFORMED);
	key_answer_release(a);

	a = fake_ask(FAKE_SERVFAIL, "x.fake.test", &ms);
	CHECK_INT("servfail", a->status, KEYFETCH_SERVFAIL);
	CHECK_TRUE("servfail detail", has(a->detail, "SERVFAIL"));
	key_answer_release(a);

	a = fake_ask(FAKE_NO_EDNS, "x.fake.test", &ms);
	CHECK_INT("server without EDNS", a->status, KEYFETCH_NXDOMAIN);
	key_answer_release(a);

	a = fake_ask(FAKE_TC_NO_TCP, "x.fake.test", &ms);
	CHECK_INT("truncated and no TCP", a->status, KEYFETCH_TIMEOUT);
	CHECK_TRUE("truncated and no TCP detail", has(a->detail, "TCP"));
	key_answer_release(a);

	test_ask_kinds();

	atomic_store(&fake_stop, true);
	pthread_join(t, NULL);
	close(fake_fd);
}
