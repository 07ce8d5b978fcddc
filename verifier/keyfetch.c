/*
 * keyfetch: DKIM key records from DNS or zone files, cached; see keyfetch.h.
 *
 * ldns encodes nothing here but parses every answer (ldns_wire2pkt) and every
 * zone file.  The exchange itself is done on our own sockets rather than with
 * ldns_resolver: a resolver object is not thread safe, carries one port for
 * all its servers, and counts timeouts in whole seconds.  A lookup owns its
 * sockets and buffers, so concurrent lookups share nothing but the cache and
 * never wait on each other's slow server.
 */
#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "verifier/keyfetch.h"

#define KF_MAX_SERVERS		16
#define KF_MAX_RETRIES		16
#define KF_MAX_TIMEOUT_MS	600000
#define KF_DEFAULT_TIMEOUT_MS	3000
#define KF_DEFAULT_CACHE	65536
#define KF_MAX_BUCKETS		((size_t)1 << 20)
#define KF_TXT_BUDGET		65536	/* joined TXT bytes accepted per name */
#define KF_MAX_CANDIDATES	4096	/* TXT records considered per name */
#define KF_EDNS_SIZE		1232	/* no fragments (DNS flag day 2020) */
#define KF_MSG_MAX		65535
#define KF_ZONE_MAX_RR		((size_t)1 << 22)
#define KF_WIRE_MAX		255
#define KF_NAME_MAX		253

struct server {
	struct sockaddr_storage	 ss;
	socklen_t		 sslen;
	char			 label[INET6_ADDRSTRLEN + 8];	/* IP@PORT */
};

/* One owner name of a zone file, lower-cased wire form, or an ancestor. */
struct zentry {
	const uint8_t	*owner;
	size_t		 olen;
	ldns_rr		*rr;		/* NULL: an empty non-terminal */
	size_t		 file;
	size_t		 seq;		/* zone order among equal owners */
};

struct answer_box {
	struct key_answer	 a;	/* first: release casts back */
	atomic_uint		 refs;
};

struct centry {
	struct centry		*hnext;
	struct centry		*prev;	/* LRU list, most recent first */
	struct centry		*next;
	uint32_t		 hash;
	int64_t			 expires;	/* monotonic ms */
	struct answer_box	*box;
};

struct key_source {
	struct server		 servers[KF_MAX_SERVERS];
	size_t			 nservers;
	unsigned		 timeout_ms;
	unsigned		 attempts;

	char			**zone_files;
	ldns_rr_list		**zones;	/* one list per file */
	size_t			 nzones;
	struct zentry		*zidx;
	size_t			 nzidx;
	uint8_t			*owner_arena;

	pthread_mutex_t		 mu;
	struct centry		**buckets;
	size_t			 nbuckets;
	struct centry		*lru_head;
	struct centry		*lru_tail;
	size_t			 ncached;
	size_t			 cache_max;

	atomic_ulong		 lookups;
	atomic_ulong		 hits;
	atomic_ulong		 queries;
};

/* What one question to one source (a server, or the zone index) gave. */
struct step {
	enum keyfetch_status	 status;	/* OK: the fields below hold */
	bool			 nxdomain;
	const ldns_rr		**rrs;		/* answer RRs to walk */
	size_t			 nrrs;
	ldns_pkt		*pkt;		/* DNS mode */
	char			 server[80];
};

/* TXT records gathered for the final name, before sorting. */
struct cands {
	struct key_txt		*v;
	size_t			 n;
	size_t			 cap;
	size_t			 bytes;
	size_t			 dropped;
	bool			 oom;
};

static char nomem_name[] = "";
static char nomem_detail[] = "out of memory";
static struct answer_box nomem_box = {
	.a = {
		.status = KEYFETCH_NOMEM,
		.name = nomem_name,
		.detail = nomem_detail,
	},
};

const char *
keyfetch_status_str(enum keyfetch_status s)
{
	switch (s) {
	case KEYFETCH_OK:
		return "ok";
	case KEYFETCH_NXDOMAIN:
		return "nxdomain";
	case KEYFETCH_NODATA:
		return "nodata";
	case KEYFETCH_TIMEOUT:
		return "timeout";
	case KEYFETCH_SERVFAIL:
		return "servfail";
	case KEYFETCH_MALFORMED:
		return "malformed";
	case KEYFETCH_NOMEM:
		return "nomem";
	}
	return "unknown";
}

static int64_t
now_ms(void)
{
	struct timespec	 ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static const char *
errstr(int e, char *b, size_t n)
{
	if (strerror_r(e, b, n) != 0)
		snprintf(b, n, "error %d", e);
	return b;
}

static int
lower(int c)
{
	return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/* Label length bytes are at most 63, below 'A', so lower() spares them. */
static bool
wire_eq(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	size_t	 i;

	if (al != bl)
		return false;
	for (i = 0; i < al; i++)
		if (lower(a[i]) != lower(b[i]))
			return false;
	return true;
}

/* Whether anc is name itself or one of its ancestors. */
static bool
wire_under(const uint8_t *name, size_t nlen, const uint8_t *anc, size_t alen)
{
	size_t	 off = 0;

	while (off < nlen) {
		if (wire_eq(name + off, nlen - off, anc, alen))
			return true;
		if (name[off] == 0)
			break;
		off += 1 + (size_t)name[off];
	}
	return false;
}

static bool
rdf_is_name(const ldns_rdf *r)
{
	return r != NULL && ldns_rdf_get_type(r) == LDNS_RDF_TYPE_DNAME &&
	    ldns_rdf_size(r) >= 1 && ldns_rdf_size(r) <= KF_WIRE_MAX;
}

static bool
rr_owned_by(const ldns_rr *rr, const uint8_t *w, size_t wlen)
{
	const ldns_rdf	*o = ldns_rr_owner(rr);

	return rdf_is_name(o) && wire_eq(ldns_rdf_data(o), ldns_rdf_size(o),
	    w, wlen);
}

/*
 * Check a name given by the caller and turn it into lower-case text (one
 * trailing dot dropped) and wire form.  Returns NULL or why it is invalid.
 */
static const char *
name_check(const char *name, char *text, uint8_t *wire, size_t *wlen)
{
	size_t		 n, i, lab = 0, lenpos = 0, w = 1;
	unsigned char	 c;

	n = strnlen(name, KF_NAME_MAX + 2);
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0)
		return "empty name";
	if (n > KF_NAME_MAX)
		return "longer than 253 bytes";
	for (i = 0; i <= n; i++) {
		c = i < n ? (unsigned char)name[i] : '.';
		if (c != '.') {
			if (c < 0x21 || c > 0x7e)
				return "byte outside printable ASCII";
			text[i] = (char)lower(c);
			wire[w++] = (uint8_t)lower(c);
			continue;
		}
		if (i == lab)
			return "empty label";
		if (i - lab > 63)
			return "label longer than 63 bytes";
		wire[lenpos] = (uint8_t)(i - lab);
		lenpos = w++;
		lab = i + 1;
		if (i < n)
			text[i] = '.';
	}
	wire[lenpos] = 0;	/* the root label */
	text[n] = '\0';
	*wlen = w;
	return NULL;
}

/* Presentation form of a wire name: lower case, no trailing dot. */
static char *
name_text(const ldns_rdf *r)
{
	char	*s, *p;
	size_t	 n;

	if ((s = ldns_rdf2str(r)) == NULL)
		return NULL;
	for (p = s; *p != '\0'; p++)
		*p = (char)lower((unsigned char)*p);
	n = strlen(s);
	if (n > 1 && s[n - 1] == '.')
		s[n - 1] = '\0';
	return s;
}

static uint16_t
random_id(void)
{
	static atomic_uint	 fallback;
	uint16_t		 id;

	if (getrandom(&id, sizeof(id), GRND_NONBLOCK) == (ssize_t)sizeof(id))
		return id;
	return (uint16_t)(atomic_fetch_add(&fallback, 40503u) ^
	    (unsigned)now_ms());
}

/* ---- answers ---------------------------------------------------------- */

static struct answer_box *
box_of(const struct key_answer *a)
{
	return (struct answer_box *)(uintptr_t)a;
}

static void
box_free(struct answer_box *b)
{
	size_t	 i;

	if (b == NULL || b == &nomem_box)
		return;
	free(b->a.name);
	for (i = 0; i < b->a.ncnames; i++)
		free(b->a.cnames[i]);
	for (i = 0; i < b->a.ntxt; i++) {
		free(b->a.txt[i].data);
		free(b->a.txt[i].parse_detail);
		key_record_free(&b->a.txt[i].key);
	}
	free(b->a.txt);
	free(b->a.detail);
	free(b);
}

void
key_answer_release(const struct key_answer *a)
{
	struct answer_box	*b;

	if (a == NULL)
		return;
	b = box_of(a);
	if (b == &nomem_box)
		return;
	if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
		box_free(b);
}

static void
cands_free(struct cands *c)
{
	size_t	 i;

	for (i = 0; i < c->n; i++)
		free(c->v[i].data);
	free(c->v);
	memset(c, 0, sizeof(*c));
}

/* Join the character-strings of one TXT RR (RFC 6376 section 3.6.2.2). */
static void
cands_add(struct cands *c, const ldns_rr *rr)
{
	const ldns_rdf	*f;
	const uint8_t	*d;
	struct key_txt	*t;
	size_t		 i, len = 0, off = 0, ncap;
	char		*s;

	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		f = ldns_rr_rdf(rr, i);
		if (ldns_rdf_size(f) >= 1)
			len += ldns_rdf_size(f) - 1;
	}
	if (c->n >= KF_MAX_CANDIDATES || len > KF_TXT_BUDGET - c->bytes) {
		c->dropped++;
		return;
	}
	if (c->n == c->cap) {
		ncap = c->cap == 0 ? 4 : c->cap * 2;
		if ((t = reallocarray(c->v, ncap, sizeof(*t))) == NULL) {
			c->oom = true;
			return;
		}
		c->v = t;
		c->cap = ncap;
	}
	if ((s = malloc(len + 1)) == NULL) {
		c->oom = true;
		return;
	}
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		f = ldns_rr_rdf(rr, i);
		d = ldns_rdf_data(f);
		if (ldns_rdf_size(f) < 1)
			continue;
		/* ldns checked each string's length byte against the rdata */
		memcpy(s + off, d + 1, ldns_rdf_size(f) - 1);
		off += ldns_rdf_size(f) - 1;
	}
	s[len] = '\0';
	t = &c->v[c->n++];
	memset(t, 0, sizeof(*t));
	t->data = s;
	t->len = len;
	c->bytes += len;
}

static int
txt_cmp(const void *pa, const void *pb)
{
	const struct key_txt	*a = pa, *b = pb;
	size_t			 n = a->len < b->len ? a->len : b->len;
	int			 r;

	if (n > 0 && (r = memcmp(a->data, b->data, n)) != 0)
		return r;
	return (a->len > b->len) - (a->len < b->len);
}

/* Sort, keep KEYFETCH_MAX_TXT, parse each once.  False when out of memory. */
static bool
cands_finish(struct cands *c, struct key_answer *a)
{
	struct buf	 why = BUF_INIT;
	size_t		 i, keep;

	qsort(c->v, c->n, sizeof(c->v[0]), txt_cmp);
	keep = c->n < KEYFETCH_MAX_TXT ? c->n : KEYFETCH_MAX_TXT;
	for (i = keep; i < c->n; i++)
		free(c->v[i].data);
	a->ntxt_dropped = c->dropped + (c->n - keep);
	a->txt = c->v;
	a->ntxt = keep;
	c->v = NULL;
	c->n = c->cap = 0;
	for (i = 0; i < keep; i++) {
		buf_reset(&why);
		a->txt[i].parse = key_record_parse(&a->txt[i].key,
		    a->txt[i].data, a->txt[i].len, &why);
		if (a->txt[i].parse == REASON_OK)
			continue;
		if ((a->txt[i].parse_detail = buf_steal(&why)) == NULL)
			return false;
	}
	buf_free(&why);
	return true;
}

/* ---- transport -------------------------------------------------------- */

enum xfer {
	XFER_OK,
	XFER_NOANSWER,
	XFER_NOMEM,
};

static size_t
query_wire(uint8_t *q, uint16_t id, const uint8_t *name, size_t nlen,
    bool edns)
{
	size_t	 n = 0;

	q[n++] = (uint8_t)(id >> 8);
	q[n++] = (uint8_t)id;
	q[n++] = 0x01;			/* RD */
	q[n++] = 0x00;
	q[n++] = 0;
	q[n++] = 1;			/* QDCOUNT */
	memset(q + n, 0, 4);
	n += 4;
	q[n++] = 0;
	q[n++] = edns ? 1 : 0;		/* ARCOUNT */
	memcpy(q + n, name, nlen);
	n += nlen;
	q[n++] = 0;
	q[n++] = LDNS_RR_TYPE_TXT;
	q[n++] = 0;
	q[n++] = LDNS_RR_CLASS_IN;
	if (edns) {
		q[n++] = 0;		/* root owner */
		q[n++] = 0;
		q[n++] = LDNS_RR_TYPE_OPT;
		q[n++] = (uint8_t)(KF_EDNS_SIZE >> 8);
		q[n++] = (uint8_t)KF_EDNS_SIZE;
		memset(q + n, 0, 6);	/* ext. rcode, version, flags, rdlen */
		n += 6;
	}
	return n;
}

/* A reply to our question id, not a stray or spoofed datagram. */
static bool
reply_fits(const uint8_t *r, size_t n, uint16_t id)
{
	return n >= LDNS_HEADER_SIZE && r[0] == (uint8_t)(id >> 8) &&
	    r[1] == (uint8_t)id && (r[2] & 0x80) != 0 &&
	    ((r[2] >> 3) & 0x0f) == LDNS_PACKET_QUERY;
}

static int
wait_fd(int fd, short ev, int64_t deadline)
{
	struct pollfd	 p;
	int64_t		 left;
	int		 r;

	for (;;) {
		if ((left = deadline - now_ms()) <= 0)
			return 0;
		p.fd = fd;
		p.events = ev;
		p.revents = 0;
		r = poll(&p, 1, left > INT_MAX ? INT_MAX : (int)left);
		if (r < 0 && errno == EINTR)
			continue;
		return r;
	}
}

static enum xfer
udp_ask(const struct server *sv, const uint8_t *q, size_t qlen, uint16_t id,
    unsigned timeout_ms, uint8_t *resp, size_t *rlen, struct buf *why)
{
	int64_t		 deadline = now_ms() + timeout_ms;
	ssize_t		 r;
	int		 fd, e;
	char		 eb[128];

	fd = socket(sv->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		buf_printf(why, "socket: %s", errstr(errno, eb, sizeof(eb)));
		return XFER_NOANSWER;
	}
	/* connected, so only the server's own datagrams reach us */
	if (connect(fd, (const struct sockaddr *)&sv->ss, sv->sslen) == -1 ||
	    send(fd, q, qlen, 0) != (ssize_t)qlen) {
		e = errno;
		goto neterr;
	}
	for (;;) {
		if ((r = wait_fd(fd, POLLIN, deadline)) <= 0) {
			if (r < 0) {
				e = errno;
				goto neterr;
			}
			buf_printf(why, "timed out after %u ms", timeout_ms);
			close(fd);
			return XFER_NOANSWER;
		}
		r = recv(fd, resp, KF_MSG_MAX, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0) {
			e = errno;
			goto neterr;
		}
		if (reply_fits(resp, (size_t)r, id))
			break;
	}
	close(fd);
	*rlen = (size_t)r;
	return XFER_OK;
neterr:
	buf_puts(why, errstr(e, eb, sizeof(eb)));
	close(fd);
	return XFER_NOANSWER;
}

static bool
tcp_io(int fd, uint8_t *p, size_t n, bool out, int64_t deadline)
{
	ssize_t	 r;
	size_t	 done = 0;

	while (done < n) {
		if (wait_fd(fd, out ? POLLOUT : POLLIN, deadline) <= 0) {
			errno = ETIMEDOUT;
			return false;
		}
		r = out ? send(fd, p + done, n - done, MSG_NOSIGNAL) :
		    recv(fd, p + done, n - done, 0);
		if (r < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (r < 0)
			return false;
		if (r == 0) {
			errno = ECONNRESET;
			return false;
		}
		done += (size_t)r;
	}
	return true;
}

/* RFC 7766: the same question again over TCP, two-byte length prefixed. */
static enum xfer
tcp_ask(const struct server *sv, const uint8_t *q, size_t qlen, uint16_t id,
    unsigned timeout_ms, uint8_t *resp, size_t *rlen, struct buf *why)
{
	int64_t		 deadline = now_ms() + timeout_ms;
	uint8_t		 out[2 + 512];
	int		 fd, err = 0;
	socklen_t	 elen = sizeof(err);
	size_t		 n;
	char		 eb[128];

	fd = socket(sv->ss.ss_family, SOCK_STREAM | SOCK_NONBLOCK |
	    SOCK_CLOEXEC, 0);
	if (fd == -1)
		goto neterr;
	if (connect(fd, (const struct sockaddr *)&sv->ss, sv->sslen) == -1) {
		if (errno != EINPROGRESS)
			goto neterr;
		if (wait_fd(fd, POLLOUT, deadline) <= 0) {
			errno = ETIMEDOUT;
			goto neterr;
		}
		if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &err, &elen) == -1)
			goto neterr;
		if (err != 0) {
			errno = err;
			goto neterr;
		}
	}
	out[0] = (uint8_t)(qlen >> 8);
	out[1] = (uint8_t)qlen;
	memcpy(out + 2, q, qlen);
	if (!tcp_io(fd, out, qlen + 2, true, deadline) ||
	    !tcp_io(fd, resp, 2, false, deadline))
		goto neterr;
	n = (size_t)resp[0] << 8 | resp[1];
	if (!tcp_io(fd, resp, n, false, deadline))
		goto neterr;
	close(fd);
	if (!reply_fits(resp, n, id)) {
		buf_puts(why, "TCP answer does not match the query id");
		return XFER_NOANSWER;
	}
	*rlen = n;
	return XFER_OK;
neterr:
	buf_printf(why, "TCP: %s", errstr(errno, eb, sizeof(eb)));
	if (fd != -1)
		close(fd);
	return XFER_NOANSWER;
}

enum ask {
	ASK_ANSWER,
	ASK_NOANSWER,
	ASK_MALFORMED,
	ASK_NOMEM,
};

static bool
question_fits(const ldns_pkt *p, const uint8_t *name, size_t nlen)
{
	const ldns_rr_list	*qs = ldns_pkt_question(p);
	const ldns_rr		*q;
	ldns_pkt_rcode		 rc = ldns_pkt_get_rcode(p);

	/* error replies may come without the question */
	if (ldns_rr_list_rr_count(qs) == 0)
		return rc != LDNS_RCODE_NOERROR && rc != LDNS_RCODE_NXDOMAIN;
	if (ldns_rr_list_rr_count(qs) != 1)
		return false;
	q = ldns_rr_list_rr(qs, 0);
	return rr_owned_by(q, name, nlen) &&
	    ldns_rr_get_type(q) == LDNS_RR_TYPE_TXT &&
	    ldns_rr_get_class(q) == LDNS_RR_CLASS_IN;
}

/*
 * One attempt at one server: UDP, TCP when the answer is truncated, and
 * again without EDNS when the server says it does not know EDNS.
 */
static enum ask
ask_server(struct key_source *ks, const struct server *sv,
    const uint8_t *name, size_t nlen, uint8_t *resp, ldns_pkt **out,
    struct buf *why)
{
	uint8_t		 q[LDNS_HEADER_SIZE + KF_WIRE_MAX + 4 + 11];
	size_t		 qlen, rlen = 0;
	uint16_t	 id;
	ldns_status	 s;
	ldns_pkt_rcode	 rc;
	bool		 edns = true;
	int		 tries;

	for (tries = 0; tries < 2; tries++) {
		id = random_id();
		qlen = query_wire(q, id, name, nlen, edns);
		atomic_fetch_add(&ks->queries, 1);
		if (udp_ask(sv, q, qlen, id, ks->timeout_ms, resp, &rlen,
		    why) != XFER_OK)
			return ASK_NOANSWER;
		if ((resp[2] & 0x02) != 0 && tcp_ask(sv, q, qlen, id,
		    ks->timeout_ms, resp, &rlen, why) != XFER_OK)
			return ASK_NOANSWER;
		if ((s = ldns_wire2pkt(out, resp, rlen)) != LDNS_STATUS_OK) {
			if (s == LDNS_STATUS_MEM_ERR)
				return ASK_NOMEM;
			buf_printf(why, "unparsable answer: %s",
			    ldns_get_errorstr_by_id(s));
			return ASK_MALFORMED;
		}
		if (!question_fits(*out, name, nlen)) {
			ldns_pkt_free(*out);
			*out = NULL;
			buf_puts(why, "answer is not for the question asked");
			return ASK_MALFORMED;
		}
		rc = ldns_pkt_get_rcode(*out);
		if (!edns || (rc != LDNS_RCODE_FORMERR &&
		    rc != LDNS_RCODE_NOTIMPL))
			return ASK_ANSWER;
		ldns_pkt_free(*out);
		*out = NULL;
		edns = false;
	}
	return ASK_ANSWER;	/* not reached: the second try returns */
}

static const char *
rcode_name(ldns_pkt_rcode rc)
{
	const ldns_lookup_table	*t;

	t = ldns_lookup_by_id(ldns_rcodes, (int)rc);
	return t != NULL ? t->name : "unknown rcode";
}

static bool
step_rrs(struct step *st, const ldns_rr_list *l)
{
	size_t	 i, n = ldns_rr_list_rr_count(l);

	if (n == 0)
		return true;
	if ((st->rrs = calloc(n, sizeof(*st->rrs))) == NULL)
		return false;
	for (i = 0; i < n; i++)
		st->rrs[i] = ldns_rr_list_rr(l, i);
	st->nrrs = n;
	return true;
}

/*
 * Ask the servers, each in turn, for (retries + 1) rounds.  A server that
 * answered with an error rcode or garbage is not asked again; one that did
 * not answer is, in the next round.
 */
static void
dns_step(struct key_source *ks, const uint8_t *name, size_t nlen,
    struct step *st, struct buf *detail)
{
	bool		 done[KF_MAX_SERVERS] = { false };
	struct buf	 why = BUF_INIT;
	uint8_t		*resp;
	ldns_pkt	*pkt = NULL;
	ldns_pkt_rcode	 rc;
	unsigned	 round;
	size_t		 i, silent = 0;
	enum ask	 r;

	st->status = KEYFETCH_TIMEOUT;
	if ((resp = malloc(KF_MSG_MAX)) == NULL) {
		st->status = KEYFETCH_NOMEM;
		return;
	}
	for (round = 0; round < ks->attempts; round++) {
		for (i = 0; i < ks->nservers; i++) {
			if (done[i])
				continue;
			buf_reset(&why);
			pkt = NULL;
			snprintf(st->server, sizeof(st->server), "%s",
			    ks->servers[i].label);
			r = ask_server(ks, &ks->servers[i], name, nlen, resp,
			    &pkt, &why);
			if (r == ASK_NOMEM) {
				st->status = KEYFETCH_NOMEM;
				goto out;
			}
			if (r == ASK_NOANSWER) {
				silent++;
				continue;
			}
			done[i] = true;
			buf_reset(detail);
			if (r == ASK_MALFORMED) {
				st->status = KEYFETCH_MALFORMED;
				buf_printf(detail, "%s from %s", buf_cstr(&why),
				    ks->servers[i].label);
				continue;
			}
			rc = ldns_pkt_get_rcode(pkt);
			if (rc == LDNS_RCODE_NOERROR ||
			    rc == LDNS_RCODE_NXDOMAIN) {
				st->status = KEYFETCH_OK;
				st->nxdomain = rc == LDNS_RCODE_NXDOMAIN;
				st->pkt = pkt;
				if (!step_rrs(st, ldns_pkt_answer(pkt)))
					st->status = KEYFETCH_NOMEM;
				goto out;
			}
			st->status = KEYFETCH_SERVFAIL;
			buf_printf(detail, "%s from %s", rcode_name(rc),
			    ks->servers[i].label);
			ldns_pkt_free(pkt);
			pkt = NULL;
		}
	}
	if (st->status == KEYFETCH_TIMEOUT) {
		buf_reset(detail);
		buf_printf(detail, "no answer (%zu attempt%s); last, %s: %s",
		    silent, silent == 1 ? "" : "s", st->server,
		    buf_cstr(&why));
	}
out:
	buf_free(&why);
	free(resp);
}

/* RFC 2308 section 5: min(SOA TTL, SOA MINIMUM) of the zone holding name. */
static bool
dns_neg_ttl(const struct step *st, const uint8_t *name, size_t nlen,
    uint32_t *ttl)
{
	const ldns_rr_list	*l = ldns_pkt_authority(st->pkt);
	const ldns_rr		*rr;
	const ldns_rdf		*o, *min;
	size_t			 i;

	for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
		rr = ldns_rr_list_rr(l, i);
		o = ldns_rr_owner(rr);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_SOA ||
		    ldns_rr_rd_count(rr) != 7 || !rdf_is_name(o) ||
		    !wire_under(name, nlen, ldns_rdf_data(o),
		    ldns_rdf_size(o)))
			continue;
		min = ldns_rr_rdf(rr, 6);
		if (ldns_rdf_size(min) != 4)
			continue;
		*ttl = ldns_rdf2native_int32(min);
		if (ldns_rr_ttl(rr) < *ttl)
			*ttl = ldns_rr_ttl(rr);
		return true;
	}
	return false;
}

/* ---- zone files ------------------------------------------------------- */

static int
zentry_cmp(const void *pa, const void *pb)
{
	const struct zentry	*a = pa, *b = pb;
	int			 r;

	if (a->olen != b->olen)
		return a->olen < b->olen ? -1 : 1;
	if ((r = memcmp(a->owner, b->owner, a->olen)) != 0)
		return r;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The first index entry for name, or nzidx. */
static size_t
zone_find(const struct key_source *ks, const uint8_t *name, size_t nlen)
{
	struct zentry	 key;
	size_t		 lo = 0, hi = ks->nzidx, mid;

	key.owner = name;
	key.olen = nlen;
	key.seq = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (zentry_cmp(&ks->zidx[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ks->nzidx && ks->zidx[lo].olen == nlen &&
	    memcmp(ks->zidx[lo].owner, name, nlen) == 0)
		return lo;
	return ks->nzidx;
}

static bool
zentry_at(const struct key_source *ks, size_t i, const uint8_t *name,
    size_t nlen)
{
	return i < ks->nzidx && ks->zidx[i].olen == nlen &&
	    memcmp(ks->zidx[i].owner, name, nlen) == 0;
}

static void
zone_label(const struct key_source *ks, size_t file, char *out, size_t n)
{
	const char	*f = ks->zone_files[file];
	size_t		 len = strlen(f);

	if (len + 5 < n)
		snprintf(out, n, "zone %s", f);
	else	/* keep the end of a long path: the file name tells most */
		snprintf(out, n, "zone ...%s", f + len - (n - 9));
}

/* The SOA of the closest enclosing zone in the files, if any. */
static const ldns_rr *
zone_soa(const struct key_source *ks, const uint8_t *name, size_t nlen,
    size_t *file)
{
	size_t	 off = 0, i;

	while (off < nlen) {
		i = zone_find(ks, name + off, nlen - off);
		for (; zentry_at(ks, i, name + off, nlen - off); i++) {
			if (ks->zidx[i].rr != NULL &&
			    ldns_rr_get_type(ks->zidx[i].rr) ==
			    LDNS_RR_TYPE_SOA &&
			    ldns_rr_rd_count(ks->zidx[i].rr) == 7) {
				*file = ks->zidx[i].file;
				return ks->zidx[i].rr;
			}
		}
		if (name[off] == 0)
			break;
		off += 1 + (size_t)name[off];
	}
	return NULL;
}

static bool
zone_neg_ttl(const struct key_source *ks, const uint8_t *name, size_t nlen,
    uint32_t *ttl)
{
	const ldns_rr	*soa;
	const ldns_rdf	*min;
	size_t		 file;

	if ((soa = zone_soa(ks, name, nlen, &file)) == NULL)
		return false;
	min = ldns_rr_rdf(soa, 6);
	if (ldns_rdf_size(min) != 4)
		return false;
	*ttl = ldns_rdf2native_int32(min);
	if (ldns_rr_ttl(soa) < *ttl)
		*ttl = ldns_rr_ttl(soa);
	return true;
}

static void
zone_step(struct key_source *ks, const uint8_t *name, size_t nlen,
    struct step *st)
{
	size_t	 first, i, n = 0, file = 0;

	atomic_fetch_add(&ks->queries, 1);
	st->status = KEYFETCH_OK;
	first = zone_find(ks, name, nlen);
	if (first == ks->nzidx) {
		st->nxdomain = true;
		(void)zone_soa(ks, name, nlen, &file);
		zone_label(ks, file, st->server, sizeof(st->server));
		return;
	}
	for (i = first; zentry_at(ks, i, name, nlen); i++)
		if (ks->zidx[i].rr != NULL)
			n++;
	if (n > 0 && (st->rrs = calloc(n, sizeof(*st->rrs))) == NULL) {
		st->status = KEYFETCH_NOMEM;
		return;
	}
	for (i = first; zentry_at(ks, i, name, nlen); i++) {
		if (ks->zidx[i].rr == NULL)
			continue;
		if (st->nrrs == 0)
			file = ks->zidx[i].file;
		st->rrs[st->nrrs++] = ks->zidx[i].rr;
	}
	if (n == 0)
		(void)zone_soa(ks, name, nlen, &file);
	zone_label(ks, file, st->server, sizeof(st->server));
}

static size_t
wire_labels(const uint8_t *w, size_t n)
{
	size_t	 off = 0, k = 0;

	while (off < n && w[off] != 0) {
		off += 1 + (size_t)w[off];
		k++;
	}
	return k;
}

static bool
zone_rr_ok(const ldns_rr *rr)
{
	return rdf_is_name(ldns_rr_owner(rr)) &&
	    ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN;
}

/*
 * Index every owner name of every zone, plus each of its ancestors as an
 * empty non-terminal, so that a name with nothing but children below it is
 * NODATA rather than NXDOMAIN (RFC 8020).
 */
static bool
zone_index(struct key_source *ks, struct buf *err)
{
	const ldns_rr_list	*l;
	ldns_rr			*rr;
	const ldns_rdf		*o;
	size_t			 z, i, k, n = 0, bytes = 0, e = 0, at = 0, off;
	size_t			 seq = 0;

	for (z = 0; z < ks->nzones; z++) {
		l = ks->zones[z];
		for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
			rr = ldns_rr_list_rr(l, i);
			if (!zone_rr_ok(rr))
				continue;
			o = ldns_rr_owner(rr);
			n += 1 + wire_labels(ldns_rdf_data(o),
			    ldns_rdf_size(o));
			bytes += ldns_rdf_size(o);
		}
	}
	if (n == 0)
		return true;
	ks->owner_arena = malloc(bytes);
	ks->zidx = calloc(n, sizeof(*ks->zidx));
	if (ks->owner_arena == NULL || ks->zidx == NULL) {
		buf_puts(err, "out of memory indexing the zone files");
		return false;
	}
	for (z = 0; z < ks->nzones; z++) {
		l = ks->zones[z];
		for (i = 0; i < ldns_rr_list_rr_count(l); i++) {
			rr = ldns_rr_list_rr(l, i);
			if (!zone_rr_ok(rr))
				continue;
			o = ldns_rr_owner(rr);
			for (k = 0; k < ldns_rdf_size(o); k++)
				ks->owner_arena[at + k] =
				    (uint8_t)lower(ldns_rdf_data(o)[k]);
			for (off = 0; off < ldns_rdf_size(o);
			    off += 1 + ks->owner_arena[at + off]) {
				ks->zidx[e].owner = ks->owner_arena + at + off;
				ks->zidx[e].olen = ldns_rdf_size(o) - off;
				ks->zidx[e].rr = off == 0 ? rr : NULL;
				ks->zidx[e].file = z;
				ks->zidx[e].seq = seq++;
				e++;
				if (ks->owner_arena[at + off] == 0)
					break;
			}
			at += ldns_rdf_size(o);
		}
	}
	ks->nzidx = e;
	qsort(ks->zidx, ks->nzidx, sizeof(*ks->zidx), zentry_cmp);
	return true;
}

/*
 * One file, record by record: ldns_zone_new_frm_fp_l() would do, but it
 * leaks the records read so far when a later line is bad.
 */
static bool
zone_load(struct key_source *ks, size_t z, size_t *nrr, struct buf *err)
{
	const char	*file = ks->zone_files[z];
	FILE		*fp;
	ldns_rr		*rr;
	ldns_rdf	*origin = NULL, *prev = NULL;
	ldns_status	 s = LDNS_STATUS_OK;
	uint32_t	 ttl = LDNS_DEFAULT_TTL;
	int		 line = 0;	/* ldns counts the newlines it read */
	char		 eb[128];

	if ((fp = fopen(file, "r")) == NULL) {
		buf_printf(err, "%s: %s", file, errstr(errno, eb, sizeof(eb)));
		return false;
	}
	if ((ks->zones[z] = ldns_rr_list_new()) == NULL)
		s = LDNS_STATUS_MEM_ERR;
	while (s == LDNS_STATUS_OK && !feof(fp)) {
		rr = NULL;
		s = ldns_rr_new_frm_fp_l(&rr, fp, &ttl, &origin, &prev, &line);
		if (s == LDNS_STATUS_SYNTAX_EMPTY ||
		    s == LDNS_STATUS_SYNTAX_TTL ||
		    s == LDNS_STATUS_SYNTAX_ORIGIN) {
			s = LDNS_STATUS_OK;
			continue;
		}
		if (s != LDNS_STATUS_OK)
			break;
		if (++*nrr > KF_ZONE_MAX_RR) {
			ldns_rr_free(rr);
			fclose(fp);
			buf_printf(err, "%s:%d: more than %zu records in the "
			    "zone files", file, line, KF_ZONE_MAX_RR);
			goto out;
		}
		if (!ldns_rr_list_push_rr(ks->zones[z], rr)) {
			ldns_rr_free(rr);
			s = LDNS_STATUS_MEM_ERR;
		}
	}
	/* a last line without its newline was not counted */
	if (s != LDNS_STATUS_OK && feof(fp) && fseek(fp, -1, SEEK_END) == 0 &&
	    fgetc(fp) != '\n')
		line++;
	fclose(fp);
	if (s != LDNS_STATUS_OK)
		buf_printf(err, "%s:%d: %s", file, line,
		    ldns_get_errorstr_by_id(s));
out:
	ldns_rdf_deep_free(origin);
	ldns_rdf_deep_free(prev);
	return buf_ok(err) && err->len == 0;
}

/* ---- resolving -------------------------------------------------------- */

static void
step_free(struct step *st)
{
	free(st->rrs);
	if (st->pkt != NULL)
		ldns_pkt_free(st->pkt);
	memset(st, 0, sizeof(*st));
}

static const ldns_rr *
step_find(const struct step *st, ldns_rr_type t, const uint8_t *name,
    size_t nlen)
{
	size_t	 i;

	for (i = 0; i < st->nrrs; i++)
		if (ldns_rr_get_type(st->rrs[i]) == t &&
		    ldns_rr_get_class(st->rrs[i]) == LDNS_RR_CLASS_IN &&
		    rr_owned_by(st->rrs[i], name, nlen))
			return st->rrs[i];
	return NULL;
}

/* The chain so far, as wire names; [0] is the name asked. */
struct chain {
	uint8_t		 w[KEYFETCH_MAX_CNAME + 1][KF_WIRE_MAX];
	size_t		 len[KEYFETCH_MAX_CNAME + 1];
	size_t		 n;
	uint32_t	 ttl;
};

static uint32_t
min32(uint32_t a, uint32_t b)
{
	return a < b ? a : b;
}

/* Follow one CNAME.  Returns false (status set) when the chain is bad. */
static bool
chain_add(struct chain *ch, struct key_answer *a, const ldns_rr *cn,
    struct buf *detail)
{
	const ldns_rdf	*t = ldns_rr_rdf(cn, 0);
	char		*text;
	size_t		 i;

	if (ldns_rr_rd_count(cn) != 1 || !rdf_is_name(t)) {
		a->status = KEYFETCH_MALFORMED;
		buf_puts(detail, "CNAME without a valid target");
		return false;
	}
	if (ch->n > KEYFETCH_MAX_CNAME) {
		a->status = KEYFETCH_MALFORMED;
		buf_printf(detail, "CNAME chain longer than %d links",
		    KEYFETCH_MAX_CNAME);
		return false;
	}
	if ((text = name_text(t)) == NULL) {
		a->status = KEYFETCH_NOMEM;
		return false;
	}
	for (i = 0; i < ch->n; i++) {
		if (!wire_eq(ch->w[i], ch->len[i], ldns_rdf_data(t),
		    ldns_rdf_size(t)))
			continue;
		a->status = KEYFETCH_MALFORMED;
		buf_printf(detail, "CNAME loop at %s", text);
		free(text);
		return false;
	}
	a->cnames[a->ncnames++] = text;
	for (i = 0; i < ldns_rdf_size(t); i++)
		ch->w[ch->n][i] = (uint8_t)lower(ldns_rdf_data(t)[i]);
	ch->len[ch->n++] = ldns_rdf_size(t);
	ch->ttl = min32(ch->ttl, ldns_rr_ttl(cn));
	return true;
}

static void
gather_txt(const struct step *st, const uint8_t *name, size_t nlen,
    struct cands *c, uint32_t *ttl)
{
	const ldns_rr	*rr;
	size_t		 i;

	for (i = 0; i < st->nrrs; i++) {
		rr = st->rrs[i];
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT ||
		    ldns_rr_get_class(rr) != LDNS_RR_CLASS_IN ||
		    !rr_owned_by(rr, name, nlen))
			continue;
		*ttl = min32(*ttl, ldns_rr_ttl(rr));
		cands_add(c, rr);
	}
}

/*
 * Walk from the name asked to its TXT records.  Each step asks the source
 * once, then follows the CNAMEs its answer holds; an answer that stops at a
 * CNAME (the target lies in a zone the server does not serve, or in another
 * place of the zone files) costs one more step.  Each further step follows
 * at least one more link, so the loop ends within KEYFETCH_MAX_CNAME + 1.
 */
static void
resolve(struct key_source *ks, struct key_answer *a, struct chain *ch,
    struct cands *c, struct buf *detail)
{
	struct step	 st;
	const ldns_rr	*cn;
	const uint8_t	*cur;
	size_t		 curlen, nstep;
	uint32_t	 neg, txt_ttl;
	bool		 linked, have_neg;

	memset(&st, 0, sizeof(st));
	for (nstep = 0; nstep <= KEYFETCH_MAX_CNAME; nstep++) {
		cur = ch->w[ch->n - 1];
		curlen = ch->len[ch->n - 1];
		if (ks->nzones > 0)
			zone_step(ks, cur, curlen, &st);
		else
			dns_step(ks, cur, curlen, &st, detail);
		memcpy(a->server, st.server, sizeof(a->server));
		if (st.status != KEYFETCH_OK) {
			a->status = st.status;
			goto out;
		}
		linked = false;
		for (;;) {
			txt_ttl = UINT32_MAX;
			gather_txt(&st, cur, curlen, c, &txt_ttl);
			if (c->oom) {
				a->status = KEYFETCH_NOMEM;
				goto out;
			}
			if (c->n > 0 || c->dropped > 0) {
				a->status = KEYFETCH_OK;
				a->ttl = min32(ch->ttl, txt_ttl);
				goto out;
			}
			if ((cn = step_find(&st, LDNS_RR_TYPE_CNAME, cur,
			    curlen)) == NULL)
				break;
			if (!chain_add(ch, a, cn, detail))
				goto out;
			cur = ch->w[ch->n - 1];
			curlen = ch->len[ch->n - 1];
			linked = true;
		}
		if (!st.nxdomain && linked) {
			step_free(&st);
			continue;
		}
		if (ks->nzones > 0)
			have_neg = zone_neg_ttl(ks, cur, curlen, &neg);
		else
			have_neg = dns_neg_ttl(&st, cur, curlen, &neg);
		if (!have_neg)
			neg = KEYFETCH_NEG_TTL;
		a->ttl = min32(ch->ttl, neg);
		a->status = st.nxdomain ? KEYFETCH_NXDOMAIN : KEYFETCH_NODATA;
		buf_puts(detail, st.nxdomain ? "NXDOMAIN" : "no TXT record");
		goto out;
	}
	a->status = KEYFETCH_MALFORMED;
	buf_puts(detail, "CNAME chain not resolved");
out:
	step_free(&st);
}

/* ---- cache ------------------------------------------------------------ */

static uint32_t
name_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static struct centry **
cache_slot(struct key_source *ks, const char *name, uint32_t h)
{
	struct centry	**pp;

	pp = &ks->buckets[h & (ks->nbuckets - 1)];
	for (; *pp != NULL; pp = &(*pp)->hnext)
		if ((*pp)->hash == h && strcmp((*pp)->box->a.name, name) == 0)
			break;
	return pp;
}

static void
lru_unlink(struct key_source *ks, struct centry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		ks->lru_head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		ks->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_push(struct key_source *ks, struct centry *e)
{
	e->prev = NULL;
	e->next = ks->lru_head;
	if (ks->lru_head != NULL)
		ks->lru_head->prev = e;
	ks->lru_head = e;
	if (ks->lru_tail == NULL)
		ks->lru_tail = e;
}

/* Drop the entry *pp points at; the answer lives on while referenced. */
static void
cache_drop(struct key_source *ks, struct centry **pp)
{
	struct centry	*e = *pp;

	*pp = e->hnext;
	lru_unlink(ks, e);
	key_answer_release(&e->box->a);
	free(e);
	ks->ncached--;
}

static uint32_t
cache_ttl(const struct key_answer *a)
{
	uint32_t	 lo = KEYFETCH_MIN_TTL, hi = KEYFETCH_MAX_TTL;

	switch (a->status) {
	case KEYFETCH_OK:
	case KEYFETCH_NXDOMAIN:
	case KEYFETCH_NODATA:
		return a->ttl < lo ? lo : a->ttl > hi ? hi : a->ttl;
	default:
		return KEYFETCH_FAIL_TTL;
	}
}

/* Called with the mutex held.  The cache takes a reference of its own. */
static void
cache_put(struct key_source *ks, struct answer_box *b, int64_t now)
{
	struct centry	**pp, *e;
	uint32_t	  h = name_hash(b->a.name);

	if (b->a.status == KEYFETCH_NOMEM || cache_ttl(&b->a) == 0)
		return;
	if (*(pp = cache_slot(ks, b->a.name, h)) != NULL)
		cache_drop(ks, pp);
	while (ks->ncached >= ks->cache_max && ks->lru_tail != NULL) {
		e = ks->lru_tail;
		cache_drop(ks, cache_slot(ks, e->box->a.name, e->hash));
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;		/* not cached is fine */
	e->hash = h;
	e->expires = now + (int64_t)cache_ttl(&b->a) * 1000;
	e->box = b;
	atomic_fetch_add(&b->refs, 1);
	pp = &ks->buckets[h & (ks->nbuckets - 1)];
	e->hnext = *pp;
	*pp = e;
	lru_push(ks, e);
	ks->ncached++;
}

/* Called with the mutex held; a referenced answer or NULL. */
static struct answer_box *
cache_get(struct key_source *ks, const char *name, int64_t now)
{
	struct centry	**pp;

	pp = cache_slot(ks, name, name_hash(name));
	if (*pp == NULL)
		return NULL;
	if ((*pp)->expires <= now) {
		cache_drop(ks, pp);
		return NULL;
	}
	lru_unlink(ks, *pp);
	lru_push(ks, *pp);
	atomic_fetch_add(&(*pp)->box->refs, 1);
	return (*pp)->box;
}

/* ---- the interface ---------------------------------------------------- */

static struct answer_box *
box_new(const char *name)
{
	struct answer_box	*b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	atomic_init(&b->refs, 1);
	if ((b->a.name = strdup(name)) == NULL) {
		free(b);
		return NULL;
	}
	b->a.fetched = time(NULL);
	return b;
}

static const struct key_answer *
invalid_name(const char *name, const char *why)
{
	struct answer_box	*b;
	struct buf		 vis = BUF_INIT, d = BUF_INIT;
	size_t			 n = strnlen(name, 256);

	buf_put_visible(&vis, name, n);
	if (n == 256)
		buf_puts(&vis, "...");
	buf_printf(&d, "invalid name: %s", why);
	if (!buf_ok(&vis) || !buf_ok(&d) ||
	    (b = box_new(buf_cstr(&vis))) == NULL) {
		buf_free(&vis);
		buf_free(&d);
		return &nomem_box.a;
	}
	buf_free(&vis);
	b->a.status = KEYFETCH_MALFORMED;
	if ((b->a.detail = buf_steal(&d)) == NULL) {
		box_free(b);
		return &nomem_box.a;
	}
	return &b->a;
}

static const struct key_answer *
fetch(struct key_source *ks, const char *text, const uint8_t *wire,
    size_t wlen)
{
	struct answer_box	*b;
	struct chain		*ch;
	struct cands		 c;
	struct buf		 detail = BUF_INIT;
	int64_t			 t0 = now_ms(), t1;
	bool			 ok;

	memset(&c, 0, sizeof(c));
	if ((b = box_new(text)) == NULL)
		return &nomem_box.a;
	if ((ch = calloc(1, sizeof(*ch))) == NULL) {
		box_free(b);
		return &nomem_box.a;
	}
	memcpy(ch->w[0], wire, wlen);
	ch->len[0] = wlen;
	ch->n = 1;
	ch->ttl = UINT32_MAX;
	resolve(ks, &b->a, ch, &c, &detail);
	free(ch);
	ok = b->a.status != KEYFETCH_NOMEM;
	if (ok && b->a.status == KEYFETCH_OK)
		ok = cands_finish(&c, &b->a);
	cands_free(&c);
	if (ok && detail.len > 0)
		ok = (b->a.detail = buf_steal(&detail)) != NULL;
	buf_free(&detail);
	if (!ok) {
		box_free(b);
		return &nomem_box.a;
	}
	t1 = now_ms();
	b->a.query_ms = (unsigned)(t1 - t0);
	pthread_mutex_lock(&ks->mu);
	cache_put(ks, b, t1);
	pthread_mutex_unlock(&ks->mu);
	return &b->a;
}

const struct key_answer *
key_source_lookup(struct key_source *ks, const char *name, bool *from_cache)
{
	struct answer_box	*b;
	char			 text[KF_NAME_MAX + 1];
	uint8_t			 wire[KF_WIRE_MAX];
	size_t			 wlen;
	const char		*why;

	if (from_cache != NULL)
		*from_cache = false;
	atomic_fetch_add(&ks->lookups, 1);
	if (name == NULL)
		name = "";
	if ((why = name_check(name, text, wire, &wlen)) != NULL)
		return invalid_name(name, why);
	pthread_mutex_lock(&ks->mu);
	b = cache_get(ks, text, now_ms());
	pthread_mutex_unlock(&ks->mu);
	if (b != NULL) {
		atomic_fetch_add(&ks->hits, 1);
		if (from_cache != NULL)
			*from_cache = true;
		return &b->a;
	}
	return fetch(ks, text, wire, wlen);
}

void
key_source_stats(struct key_source *ks, struct key_source_stats *s)
{
	s->lookups = atomic_load(&ks->lookups);
	s->hits = atomic_load(&ks->hits);
	s->queries = atomic_load(&ks->queries);
}

static bool
server_set(struct server *sv, int af, const void *addr, unsigned port)
{
	struct sockaddr_in	*s4 = (struct sockaddr_in *)&sv->ss;
	struct sockaddr_in6	*s6 = (struct sockaddr_in6 *)&sv->ss;
	char			 ip[INET6_ADDRSTRLEN];

	memset(&sv->ss, 0, sizeof(sv->ss));
	if (af == AF_INET) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons((uint16_t)port);
		memcpy(&s4->sin_addr, addr, sizeof(s4->sin_addr));
		sv->sslen = sizeof(*s4);
	} else {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons((uint16_t)port);
		memcpy(&s6->sin6_addr, addr, sizeof(s6->sin6_addr));
		sv->sslen = sizeof(*s6);
	}
	if (inet_ntop(af, addr, ip, sizeof(ip)) == NULL)
		return false;
	snprintf(sv->label, sizeof(sv->label), "%s@%u", ip, port);
	return true;
}

/* "IP[@PORT]", IPv4 or IPv6. */
static bool
server_parse(struct server *sv, const char *spec, struct buf *err)
{
	char		 ip[INET6_ADDRSTRLEN];
	unsigned char	 addr[sizeof(struct in6_addr)];
	const char	*at, *p;
	unsigned long	 port = 53;
	size_t		 n;
	int		 af;

	at = strrchr(spec, '@');
	n = at != NULL ? (size_t)(at - spec) : strlen(spec);
	if (n == 0 || n >= sizeof(ip))
		goto bad;
	memcpy(ip, spec, n);
	ip[n] = '\0';
	if (at != NULL) {
		port = 0;
		for (p = at + 1; *p >= '0' && *p <= '9' && port <= 65535; p++)
			port = port * 10 + (unsigned long)(*p - '0');
		if (*p != '\0' || p == at + 1 || port == 0 || port > 65535)
			goto bad;
	}
	if (inet_pton(AF_INET, ip, addr) == 1)
		af = AF_INET;
	else if (inet_pton(AF_INET6, ip, addr) == 1)
		af = AF_INET6;
	else
		goto bad;
	if (server_set(sv, af, addr, (unsigned)port))
		return true;
bad:
	buf_puts(err, "bad resolver \"");
	buf_put_visible(err, spec, strnlen(spec, 128));
	buf_puts(err, "\": want IPv4 or IPv6 address, optionally @PORT");
	return false;
}

static bool
system_servers(struct key_source *ks, struct buf *err)
{
	ldns_resolver	*r = NULL;
	ldns_rdf	**ns;
	ldns_status	 s;
	size_t		 i, n;
	int		 af;

	if ((s = ldns_resolver_new_frm_file(&r, NULL)) != LDNS_STATUS_OK) {
		buf_printf(err, "system resolver (%s): %s", LDNS_RESOLV_CONF,
		    ldns_get_errorstr_by_id(s));
		return false;
	}
	ns = ldns_resolver_nameservers(r);
	n = ldns_resolver_nameserver_count(r);
	for (i = 0; i < n && ks->nservers < KF_MAX_SERVERS; i++) {
		if (ldns_rdf_get_type(ns[i]) == LDNS_RDF_TYPE_A &&
		    ldns_rdf_size(ns[i]) == 4)
			af = AF_INET;
		else if (ldns_rdf_get_type(ns[i]) == LDNS_RDF_TYPE_AAAA &&
		    ldns_rdf_size(ns[i]) == 16)
			af = AF_INET6;
		else
			continue;
		if (server_set(&ks->servers[ks->nservers], af,
		    ldns_rdf_data(ns[i]), ldns_resolver_port(r)))
			ks->nservers++;
	}
	ldns_resolver_deep_free(r);
	if (ks->nservers == 0) {
		buf_printf(err, "system resolver (%s): no nameserver",
		    LDNS_RESOLV_CONF);
		return false;
	}
	return true;
}

static bool
zones_open(struct key_source *ks, const struct key_source_opts *o,
    struct buf *err)
{
	size_t	 i, nrr = 0;

	ks->zone_files = calloc(o->nzones, sizeof(*ks->zone_files));
	ks->zones = calloc(o->nzones, sizeof(*ks->zones));
	if (ks->zone_files == NULL || ks->zones == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	ks->nzones = o->nzones;
	for (i = 0; i < o->nzones; i++) {
		if (o->zones[i] == NULL ||
		    (ks->zone_files[i] = strdup(o->zones[i])) == NULL) {
			buf_puts(err, o->zones[i] == NULL ? "zone file NULL" :
			    "out of memory");
			return false;
		}
		if (!zone_load(ks, i, &nrr, err))
			return false;
	}
	return zone_index(ks, err);
}

static bool
cache_init(struct key_source *ks, size_t max)
{
	size_t	 nb = 64;

	ks->cache_max = max;
	while (nb < max && nb < KF_MAX_BUCKETS)
		nb *= 2;
	ks->nbuckets = nb;
	if ((ks->buckets = calloc(nb, sizeof(*ks->buckets))) == NULL)
		return false;
	return pthread_mutex_init(&ks->mu, NULL) == 0;
}

struct key_source *
key_source_new(const struct key_source_opts *o, struct buf *err)
{
	static const struct key_source_opts defaults;
	struct key_source	*ks;
	size_t			 i;

	if (o == NULL)
		o = &defaults;
	if ((ks = calloc(1, sizeof(*ks))) == NULL) {
		buf_puts(err, "out of memory");
		return NULL;
	}
	ks->timeout_ms = o->timeout_ms == 0 ? KF_DEFAULT_TIMEOUT_MS :
	    o->timeout_ms > KF_MAX_TIMEOUT_MS ? KF_MAX_TIMEOUT_MS :
	    o->timeout_ms;
	ks->attempts = 1 + (o->retries < 0 ? 1 : o->retries > KF_MAX_RETRIES ?
	    KF_MAX_RETRIES : (unsigned)o->retries);
	if (!cache_init(ks, o->cache_max == 0 ? KF_DEFAULT_CACHE :
	    o->cache_max)) {
		free(ks->buckets);
		free(ks);
		buf_puts(err, "out of memory");
		return NULL;
	}
	if (o->nzones > 0) {
		if (!zones_open(ks, o, err))
			goto fail;
	} else if (o->nresolvers > KF_MAX_SERVERS) {
		buf_printf(err, "%zu resolvers given, at most %d are used",
		    o->nresolvers, KF_MAX_SERVERS);
		goto fail;
	} else if (o->nresolvers > 0) {
		for (i = 0; i < o->nresolvers; i++) {
			if (o->resolvers[i] == NULL ||
			    !server_parse(&ks->servers[i], o->resolvers[i],
			    err))
				goto fail;
		}
		ks->nservers = o->nresolvers;
	} else if (!system_servers(ks, err))
		goto fail;
	return ks;
fail:
	key_source_free(ks);
	return NULL;
}

void
key_source_free(struct key_source *ks)
{
	size_t	 i;

	if (ks == NULL)
		return;
	while (ks->lru_tail != NULL)
		cache_drop(ks, cache_slot(ks, ks->lru_tail->box->a.name,
		    ks->lru_tail->hash));
	free(ks->buckets);
	pthread_mutex_destroy(&ks->mu);
	for (i = 0; i < ks->nzones; i++) {
		if (ks->zones[i] != NULL)
			ldns_rr_list_deep_free(ks->zones[i]);
		free(ks->zone_files[i]);
	}
	free(ks->zones);
	free(ks->zone_files);
	free(ks->zidx);
	free(ks->owner_arena);
	free(ks);
}
