/* SPDX-License-Identifier: ISC */
/*
 * fuzz_dns: hostile DNS answers through key_source_lookup() and through the
 * key audit (keyaudit_domain(): dnsview.c and the answer readers of
 * keyaudit*.c, which ask for SOA, NS, A, AAAA and TXT with and without RD).
 *
 * A server thread of this process listens on 127.0.0.1 (UDP and TCP, one
 * ephemeral port) and answers every query with the input, so the fuzzed
 * bytes reach the real transport and parsing code of keyfetch*.c (reply
 * checks, truncation and the TCP retry, ldns_wire2pkt, the question check,
 * rcodes, CNAME chains, TXT joining, negative TTLs, the cache).  Every
 * answer is accepted at the transport level (the query id is copied in and
 * QR set), so no lookup waits for a timeout.
 *
 * Input: byte 0 chooses the layout and the consumer.
 *   bit 6 set:   the key audit of one domain reads every answer (bit 5
 *                chooses an ESP token or a customer domain); else keyfetch;
 *   bit 7 set:   the rest is the whole reply (id and QR patched in, padded
 *                to a header);
 *   bit 7 clear: bytes 1-2 are the header flags, 3-5 the answer, authority
 *                and additional counts; the query's own question follows,
 *                then bytes 6.. (the records; 0xc00c names the question).
 *
 * FUZZ_SOURCES: fbl/keys/dnsview.c fbl/keys/keyarchive.c fbl/keys/keyimport.c
 * FUZZ_SOURCES: fbl/keys/keyaudit.c fbl/keys/keyaudit_deleg.c
 * FUZZ_SOURCES: fbl/keys/keyaudit_probe.c fbl/keys/keyaudit_records.c
 * FUZZ_SOURCES: fbl/keys/keyaudit_rotation.c
 * FUZZ_SOURCES: fbl/config.c fbl/config_directives.c fbl/classify.c
 * FUZZ_SOURCES: fbl/cidr.c fbl/store/store.c fbl/store/db.c
 * FUZZ_SOURCES: build/release/gen/migrations.c
 * FUZZ_PKGS: libpq libpcre2-8
 * FUZZ_MAX_LEN: 4096
 * FUZZ_DICT: "\xc0\x0c\x00\x10\x00\x01\x00\x00\x01\x2c"
 * FUZZ_DICT: "\xc0\x0c\x00\x05\x00\x01\x00\x00\x01\x2c"
 * FUZZ_DICT: "\xc0\x0c\x00\x06\x00\x01\x00\x00\x01\x2c"
 * FUZZ_DICT: "\x00\x10\x00\x01"
 * FUZZ_DICT: "\x00\x05\x00\x01"
 * FUZZ_DICT: "\x0ev=DKIM1; k=rsa"
 * FUZZ_DICT: "\x03sel\x0a_domainkey\x07example\x03com\x00"
 * FUZZ_DICT: "\x07example\x03com\x00"
 * FUZZ_DICT: "\xc0\x0c"
 * FUZZ_DICT: "\xc0\x1d"
 */
#include <sys/types.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "fbl/config.h"
#include "fbl/keys/dnsview.h"
#include "fbl/keys/keyaudit.h"
#include "base/buf.h"
#include "verifier/key_record.h"
#include "verifier/keyfetch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MSG_MAX		65535
#define HDR		12

static volatile size_t sink;

/* The answer to give, set by the fuzzing thread for each input. */
static pthread_mutex_t	 mu = PTHREAD_MUTEX_INITIALIZER;
static uint8_t		 input[MSG_MAX];
static size_t		 input_len;
static int		 udp_fd = -1, tcp_fd = -1;
static char		 resolver[64];
static unsigned		 server_port;

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_dns: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

/* End of the question of a query (name, type, class), or 0. */
static size_t
question_end(const uint8_t *q, size_t qlen)
{
	size_t	 off = HDR;

	while (off < qlen && q[off] != 0) {
		if (q[off] > 63)
			return 0;
		off += 1 + q[off];
	}
	off += 1 + 4;
	return off <= qlen ? off : 0;
}

/* The reply to query q from the current input, into r; its length. */
static size_t
make_reply(const uint8_t *q, size_t qlen, uint8_t *r)
{
	size_t	 n = 0, qe, len;

	if (qlen < HDR)
		return 0;
	pthread_mutex_lock(&mu);
	len = input_len;
	if (len > 0 && (input[0] & 0x80)) {
		n = len - 1;
		memcpy(r, input + 1, n);
		if (n < HDR) {
			memset(r + n, 0, HDR - n);
			n = HDR;
		}
	} else {
		memset(r, 0, HDR);
		if (len > 1)
			r[2] = input[1];
		if (len > 2)
			r[3] = input[2];
		r[5] = 1;			/* QDCOUNT */
		if (len > 3)
			r[7] = input[3];	/* ANCOUNT */
		if (len > 4)
			r[9] = input[4];	/* NSCOUNT */
		if (len > 5)
			r[11] = input[5];	/* ARCOUNT */
		n = HDR;
		if ((qe = question_end(q, qlen)) != 0) {
			memcpy(r + n, q + HDR, qe - HDR);
			n += qe - HDR;
		}
		if (len > 6 && len - 6 <= MSG_MAX - n) {
			memcpy(r + n, input + 6, len - 6);
			n += len - 6;
		}
	}
	pthread_mutex_unlock(&mu);
	r[0] = q[0];			/* the query's id */
	r[1] = q[1];
	r[2] = (uint8_t)((r[2] | 0x80) & ~0x78);	/* QR, opcode QUERY */
	return n;
}

static void
serve_tcp(int fd, uint8_t *q, uint8_t *r)
{
	struct pollfd	 p;
	size_t		 got = 0, need = 2, n, off;
	ssize_t		 k;

	/* read the two-byte length, then the query */
	while (got < need) {
		p.fd = fd;
		p.events = POLLIN;
		if (poll(&p, 1, 1000) <= 0)
			return;
		if ((k = recv(fd, q + got, need - got, 0)) <= 0)
			return;
		got += (size_t)k;
		if (got == 2 && need == 2)
			need = 2 + ((size_t)q[0] << 8 | q[1]);
	}
	if ((n = make_reply(q + 2, need - 2, r + 2)) == 0)
		return;
	r[0] = (uint8_t)(n >> 8);
	r[1] = (uint8_t)n;
	for (off = 0; off < n + 2; off += (size_t)k)
		if ((k = send(fd, r + off, n + 2 - off, MSG_NOSIGNAL)) <= 0)
			return;
}

static void *
server(void *unused)
{
	static uint8_t		 q[2 + MSG_MAX], r[2 + MSG_MAX];
	struct sockaddr_storage	 from;
	struct pollfd		 p[2];
	socklen_t		 flen;
	ssize_t			 k;
	size_t			 n;
	int			 c;

	(void)unused;
	for (;;) {
		p[0].fd = udp_fd;
		p[0].events = POLLIN;
		p[1].fd = tcp_fd;
		p[1].events = POLLIN;
		if (poll(p, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return NULL;
		}
		if (p[0].revents & POLLIN) {
			flen = sizeof(from);
			k = recvfrom(udp_fd, q, MSG_MAX, 0,
			    (struct sockaddr *)&from, &flen);
			if (k > 0 && (n = make_reply(q, (size_t)k, r)) > 0)
				(void)sendto(udp_fd, r, n, 0,
				    (struct sockaddr *)&from, flen);
		}
		if (p[1].revents & POLLIN) {
			if ((c = accept(tcp_fd, NULL, NULL)) >= 0) {
				serve_tcp(c, q, r);
				close(c);
			}
		}
	}
}

/* Sockets on one free port of 127.0.0.1, and the thread; once. */
static void
start_server(void)
{
	struct sockaddr_in	 sin;
	socklen_t		 slen = sizeof(sin);
	pthread_t		 t;
	int			 tries, one = 1;

	for (tries = 0; tries < 50; tries++) {
		udp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		tcp_fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
		REQUIRE(udp_fd >= 0 && tcp_fd >= 0);
		memset(&sin, 0, sizeof(sin));
		sin.sin_family = AF_INET;
		sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
		REQUIRE(bind(udp_fd, (struct sockaddr *)&sin,
		    sizeof(sin)) == 0);
		REQUIRE(getsockname(udp_fd, (struct sockaddr *)&sin,
		    &slen) == 0);
		(void)setsockopt(tcp_fd, SOL_SOCKET, SO_REUSEADDR, &one,
		    sizeof(one));
		if (bind(tcp_fd, (struct sockaddr *)&sin, sizeof(sin)) == 0 &&
		    listen(tcp_fd, 8) == 0)
			break;
		close(udp_fd);
		close(tcp_fd);
		udp_fd = tcp_fd = -1;
	}
	REQUIRE(udp_fd >= 0);
	server_port = ntohs(sin.sin_port);
	snprintf(resolver, sizeof(resolver), "127.0.0.1@%u", server_port);
	REQUIRE(pthread_create(&t, NULL, server, NULL) == 0);
	(void)pthread_detach(t);
}

static void
check_answer(const struct key_answer *a)
{
	const struct key_txt	*t;
	size_t			 i, n;

	REQUIRE(a != NULL);
	REQUIRE(keyfetch_status_str(a->status) != NULL);
	REQUIRE(a->name != NULL);
	REQUIRE(memchr(a->server, '\0', sizeof(a->server)) != NULL);
	sink += strlen(a->name) + strlen(a->server);
	if (a->detail != NULL)
		sink += strlen(a->detail);
	if (a->status == KEYFETCH_NOMEM)
		return;
	REQUIRE(strcmp(a->name, "sel._domainkey.example.com") == 0);
	REQUIRE(a->ncnames <= KEYFETCH_MAX_CNAME);
	for (i = 0; i < a->ncnames; i++) {
		REQUIRE(a->cnames[i] != NULL);
		sink += strlen(a->cnames[i]);
	}
	REQUIRE(a->ntxt <= KEYFETCH_MAX_TXT);
	if (a->status != KEYFETCH_OK) {
		REQUIRE(a->ntxt == 0);
		return;
	}
	REQUIRE(a->ntxt > 0 || a->ntxt_dropped > 0);
	for (i = 0; i < a->ntxt; i++) {
		t = &a->txt[i];
		REQUIRE(t->data != NULL);
		REQUIRE(t->data[t->len] == '\0');
		if (i > 0) {
			const struct key_txt *p = &a->txt[i - 1];

			n = p->len < t->len ? p->len : t->len;
			REQUIRE(memcmp(p->data, t->data, n) < 0 ||
			    (memcmp(p->data, t->data, n) == 0 &&
			    p->len <= t->len));
		}
		if (t->parse == REASON_OK)
			REQUIRE(t->key.revoked || t->key.pkey != NULL);
		else
			REQUIRE(t->parse_detail != NULL);
	}
}

/* Every row the audit made is whole: the readers kept to the answers. */
static void
check_audit(const struct audit_domain *d)
{
	size_t	 i;

	REQUIRE(d->status <= AUDIT_FAIL);
	for (i = 0; i < d->nrows; i++) {
		REQUIRE(d->rows[i].check < CHK_COUNT);
		REQUIRE(d->rows[i].status <= d->status);
		REQUIRE(d->rows[i].reason != NULL);
		REQUIRE(d->rows[i].detail != NULL);
		sink += strlen(d->rows[i].detail);
	}
	for (i = 0; i < d->nselectors; i++)
		sink += strlen(d->selectors[i]);
}

static void
fuzz_audit(bool esp)
{
	static const char conf[] =
	    "esp-id myesp\n"
	    "nameserver 127.0.0.1\n"
	    "esp-domain fbl.example.net\n"
	    "customer c1 example.com\n"
	    "cname-target {selector}.{domain}.hack.example.net\n";
	static struct fbl_config *cfg;
	struct dnsview_opts	 vo;
	struct audit_opts	 ao;
	struct audit_domain	 d;
	struct dnsview		*v;
	struct buf		 err = BUF_INIT;
	const char		*servers[1];

	if (cfg == NULL && (cfg = config_load_mem("fuzz.conf", conf,
	    sizeof(conf) - 1, &err)) == NULL) {
		fprintf(stderr, "fuzz_dns: config: %s\n", buf_cstr(&err));
		abort();
	}
	memset(&vo, 0, sizeof(vo));
	servers[0] = resolver;
	vo.resolvers = servers;
	vo.nresolvers = 1;
	vo.port = server_port;
	vo.timeout_ms = 300;
	REQUIRE((v = dnsview_new(&vo, &err)) != NULL);
	memset(&ao, 0, sizeof(ao));
	ao.cfg = cfg;
	ao.view = v;
	ao.year = 2026;
	ao.month = 11;
	ao.day = 23;
	REQUIRE(keyaudit_domain(&ao, esp ? "fbl.example.net" : "example.com",
	    &d));
	check_audit(&d);
	keyaudit_domain_free(&d);
	dnsview_free(v);
	buf_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct key_source_opts	 o;
	struct key_source	*ks;
	struct buf		 err = BUF_INIT;
	const struct key_answer	*a, *b;
	const char		*servers[1];
	bool			 cached;

	if (size > MSG_MAX)
		return 0;
	if (udp_fd == -1)
		start_server();
	pthread_mutex_lock(&mu);
	memcpy(input, data, size);
	input_len = size;
	pthread_mutex_unlock(&mu);

	if (size > 0 && (data[0] & 0x40)) {
		fuzz_audit((data[0] & 0x20) != 0);
		ERR_clear_error();
		return 0;
	}
	memset(&o, 0, sizeof(o));
	servers[0] = resolver;
	o.resolvers = servers;
	o.nresolvers = 1;
	o.timeout_ms = 300;
	o.retries = 0;
	o.cache_max = 4;
	if ((ks = key_source_new(&o, &err)) == NULL) {
		fprintf(stderr, "fuzz_dns: key_source_new: %s\n",
		    buf_cstr(&err));
		abort();
	}
	a = key_source_lookup(ks, "sel._domainkey.example.com.", &cached);
	REQUIRE(!cached);
	check_answer(a);
	/*
	 * Again: from the cache, or asked again.  The two need not agree: a
	 * compression pointer into the header makes the answer depend on the
	 * query id, which is random.
	 */
	b = key_source_lookup(ks, "Sel._DomainKey.Example.Com", &cached);
	check_answer(b);
	key_answer_release(b);
	key_answer_release(a);
	key_source_free(ks);
	buf_free(&err);
	ERR_clear_error();
	return 0;
}
