/* SPDX-License-Identifier: ISC */
/*
 * dnsquery: one DNS question to one server; see dnsquery.h.
 */
#include <sys/types.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <errno.h>
#include <limits.h>
#include <poll.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <ldns/ldns.h>

#include "base/ascii.h"
#include "verifier/dnsquery.h"

#define DNS_EDNS_SIZE		1232	/* no fragments (DNS flag day 2020) */

int64_t
dns_now_ms(void)
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

/* Copy a wire name in lower case (length bytes are below 'A'). */
void
dns_wire_lower(uint8_t *dst, const uint8_t *src, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		dst[i] = (uint8_t)ascii_lower(src[i]);
}

/* Label length bytes are at most 63, below 'A': ascii_lower() spares them. */
bool
dns_wire_eq(const uint8_t *a, size_t al, const uint8_t *b, size_t bl)
{
	size_t	 i;

	if (al != bl)
		return false;
	for (i = 0; i < al; i++)
		if (ascii_lower(a[i]) != ascii_lower(b[i]))
			return false;
	return true;
}

/* Whether anc is name itself or one of its ancestors. */
bool
dns_wire_under(const uint8_t *name, size_t nlen, const uint8_t *anc, size_t alen)
{
	size_t	 off = 0;

	while (off < nlen) {
		if (dns_wire_eq(name + off, nlen - off, anc, alen))
			return true;
		if (name[off] == 0)
			break;
		off += 1 + (size_t)name[off];
	}
	return false;
}

bool
dns_rdf_is_name(const ldns_rdf *r)
{
	return r != NULL && ldns_rdf_get_type(r) == LDNS_RDF_TYPE_DNAME &&
	    ldns_rdf_size(r) >= 1 && ldns_rdf_size(r) <= DNS_WIRE_MAX;
}

bool
dns_rr_owned_by(const ldns_rr *rr, const uint8_t *w, size_t wlen)
{
	const ldns_rdf	*o = ldns_rr_owner(rr);

	return dns_rdf_is_name(o) && dns_wire_eq(ldns_rdf_data(o), ldns_rdf_size(o),
	    w, wlen);
}

/*
 * Check a name given by the caller and turn it into lower-case text (one
 * trailing dot dropped) and wire form.  Returns NULL or why it is invalid.
 */
const char *
dns_name_wire(const char *name, char *text, uint8_t *wire, size_t *wlen)
{
	size_t		 n, i, lab = 0, lenpos = 0, w = 1;
	unsigned char	 c;

	n = strnlen(name, DNS_NAME_MAX + 2);
	if (n > 0 && name[n - 1] == '.')
		n--;
	if (n == 0)
		return "empty name";
	if (n > DNS_NAME_MAX)
		return "longer than 253 bytes";
	for (i = 0; i <= n; i++) {
		c = i < n ? (unsigned char)name[i] : '.';
		if (c != '.') {
			if (c < 0x21 || c > 0x7e)
				return "byte outside printable ASCII";
			text[i] = (char)ascii_lower(c);
			wire[w++] = (uint8_t)ascii_lower(c);
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

bool
dns_txt_join(const ldns_rr *rr, struct buf *out)
{
	const ldns_rdf	*f;
	size_t		 i;

	buf_reset(out);
	for (i = 0; i < ldns_rr_rd_count(rr); i++) {
		f = ldns_rr_rdf(rr, i);
		/* ldns checked each string's length byte against the rdata */
		if (ldns_rdf_size(f) >= 1)
			buf_append(out, ldns_rdf_data(f) + 1,
			    ldns_rdf_size(f) - 1);
	}
	return buf_ok(out);
}

/* Presentation form of a wire name: lower case, no trailing dot. */
char *
dns_name_text(const ldns_rdf *r)
{
	char	*s, *p;
	size_t	 n;

	if ((s = ldns_rdf2str(r)) == NULL)
		return NULL;
	for (p = s; *p != '\0'; p++)
		*p = (char)ascii_lower((unsigned char)*p);
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
	    (unsigned)dns_now_ms());
}

/* Why a socket call failed, as the caller must tell it apart. */
static enum dns_ask
neterr_kind(int e)
{
	switch (e) {
	case ETIMEDOUT:
		return DNS_ASK_TIMEOUT;
	case ECONNREFUSED:
	case ECONNRESET:
		return DNS_ASK_REFUSED;
	case ENETUNREACH:
	case EHOSTUNREACH:
	case ENETDOWN:
	case EHOSTDOWN:
	case EADDRNOTAVAIL:
	case EAFNOSUPPORT:
		return DNS_ASK_UNREACHABLE;
	default:
		return DNS_ASK_NETERR;
	}
}

bool
dns_ask_unanswered(enum dns_ask a)
{
	return a >= DNS_ASK_TIMEOUT && a <= DNS_ASK_TRUNCATED;
}

const char *
dns_ask_name(enum dns_ask a)
{
	switch (a) {
	case DNS_ASK_ANSWER:
		return "answer";
	case DNS_ASK_TIMEOUT:
		return "timeout";
	case DNS_ASK_REFUSED:
		return "connection-refused";
	case DNS_ASK_UNREACHABLE:
		return "unreachable";
	case DNS_ASK_NETERR:
		return "network-error";
	case DNS_ASK_TRUNCATED:
		return "truncated";
	case DNS_ASK_MALFORMED:
		return "malformed";
	case DNS_ASK_NOMEM:
		return "nomem";
	}
	return "unknown";
}

static size_t
query_wire(uint8_t *q, uint16_t id, const uint8_t *name, size_t nlen,
    ldns_rr_type qtype, bool rd, bool edns)
{
	size_t	 n = 0;

	q[n++] = (uint8_t)(id >> 8);
	q[n++] = (uint8_t)id;
	q[n++] = rd ? 0x01 : 0x00;	/* RD */
	q[n++] = 0x00;
	q[n++] = 0;
	q[n++] = 1;			/* QDCOUNT */
	memset(q + n, 0, 4);
	n += 4;
	q[n++] = 0;
	q[n++] = edns ? 1 : 0;		/* ARCOUNT */
	memcpy(q + n, name, nlen);
	n += nlen;
	q[n++] = (uint8_t)(qtype >> 8);
	q[n++] = (uint8_t)qtype;
	q[n++] = 0;
	q[n++] = LDNS_RR_CLASS_IN;
	if (edns) {
		q[n++] = 0;		/* root owner */
		q[n++] = 0;
		q[n++] = LDNS_RR_TYPE_OPT;
		q[n++] = (uint8_t)(DNS_EDNS_SIZE >> 8);
		q[n++] = (uint8_t)DNS_EDNS_SIZE;
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
		if ((left = deadline - dns_now_ms()) <= 0)
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

static enum dns_ask
udp_ask(const struct dns_server *sv, const uint8_t *q, size_t qlen, uint16_t id,
    unsigned timeout_ms, uint8_t *resp, size_t *rlen, struct buf *why)
{
	int64_t		 deadline = dns_now_ms() + timeout_ms;
	ssize_t		 r;
	int		 fd, e;
	char		 eb[128];

	fd = socket(sv->ss.ss_family, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd == -1) {
		e = errno;
		buf_printf(why, "socket: %s", errstr(e, eb, sizeof(eb)));
		return neterr_kind(e);
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
			return DNS_ASK_TIMEOUT;
		}
		r = recv(fd, resp, DNS_MSG_MAX, 0);
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
	return DNS_ASK_ANSWER;
neterr:
	buf_puts(why, errstr(e, eb, sizeof(eb)));
	close(fd);
	return neterr_kind(e);
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
static enum dns_ask
tcp_ask(const struct dns_server *sv, const uint8_t *q, size_t qlen, uint16_t id,
    unsigned timeout_ms, uint8_t *resp, size_t *rlen, struct buf *why)
{
	int64_t		 deadline = dns_now_ms() + timeout_ms;
	uint8_t		 out[2 + 512];
	int		 fd, err = 0, e;
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
		return DNS_ASK_MALFORMED;
	}
	*rlen = n;
	return DNS_ASK_ANSWER;
neterr:
	e = errno;
	buf_printf(why, "truncated over UDP, and TCP: %s",
	    errstr(e, eb, sizeof(eb)));
	if (fd != -1)
		close(fd);
	return DNS_ASK_TRUNCATED;
}


static bool
question_fits(const ldns_pkt *p, const uint8_t *name, size_t nlen,
    ldns_rr_type qtype)
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
	return dns_rr_owned_by(q, name, nlen) &&
	    ldns_rr_get_type(q) == qtype &&
	    ldns_rr_get_class(q) == LDNS_RR_CLASS_IN;
}

/* Milliseconds to the deadline, at least 1 (a try that sees 0 times out). */
static unsigned
time_left(int64_t deadline)
{
	int64_t	 left = deadline - dns_now_ms();

	return left > 1 ? (unsigned)left : 1;
}

/* Past the name at off; false when it runs off the message. */
static bool
skip_name(const uint8_t *m, size_t len, size_t *off)
{
	size_t	 o = *off, labels = 0;

	while (o < len && labels++ < 128) {
		if (m[o] == 0) {
			*off = o + 1;
			return true;
		}
		if ((m[o] & 0xc0) == 0xc0) {	/* a pointer ends the name */
			if (o + 2 > len)
				return false;
			*off = o + 2;
			return true;
		}
		if ((m[o] & 0xc0) != 0)
			return false;
		o += 1 + m[o];
	}
	return false;
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

bool
dns_answer_shape_ok(const uint8_t *m, size_t len, struct buf *why)
{
	size_t	 off = LDNS_HEADER_SIZE, nrr, i, end, strings = 0;
	uint16_t type, rdlen;

	if (len < LDNS_HEADER_SIZE)
		return true;
	nrr = (size_t)get16(m + 6) + get16(m + 8) + get16(m + 10);
	if (nrr > DNS_MAX_RRS) {
		buf_printf(why, "answer of %zu records, over the %d any "
		    "question of fblscope needs", nrr, DNS_MAX_RRS);
		return false;
	}
	for (i = get16(m + 4); i > 0; i--)
		if (!skip_name(m, len, &off) || (off += 4) > len)
			return true;
	for (i = 0; i < nrr; i++) {
		if (!skip_name(m, len, &off) || off + 10 > len)
			return true;
		type = get16(m + off);
		rdlen = get16(m + off + 8);
		off += 10;
		if ((end = off + rdlen) > len)
			return true;
		for (; type == LDNS_RR_TYPE_TXT && off < end; strings++)
			off += 1 + m[off];
		if (strings > DNS_MAX_STRINGS) {
			buf_printf(why, "answer of more than %d TXT strings, "
			    "more than any key record needs", DNS_MAX_STRINGS);
			return false;
		}
		off = end;
	}
	return true;
}

/*
 * One attempt at one server: UDP, TCP when the answer is truncated, and
 * again without EDNS when the server says it does not know EDNS.
 */
enum dns_ask
dns_ask(const struct dns_server *sv, const uint8_t *name, size_t nlen,
    ldns_rr_type qtype, bool rd, unsigned timeout_ms, uint8_t *resp,
    ldns_pkt **out, unsigned *sent, struct buf *why)
{
	uint8_t		 q[LDNS_HEADER_SIZE + DNS_WIRE_MAX + 4 + 11];
	size_t		 qlen, rlen = 0;
	uint16_t	 id;
	ldns_status	 s;
	ldns_pkt_rcode	 rc;
	enum dns_ask	 x;
	bool		 edns = true;
	int		 tries;
	int64_t		 deadline;

	/* one timeout for the question: UDP, TCP after TC, the retry */
	deadline = dns_now_ms() + timeout_ms;
	for (tries = 0; tries < 2; tries++) {
		id = random_id();
		qlen = query_wire(q, id, name, nlen, qtype, rd, edns);
		if (sent != NULL)
			(*sent)++;
		if ((x = udp_ask(sv, q, qlen, id, time_left(deadline), resp,
		    &rlen, why)) != DNS_ASK_ANSWER)
			return x;
		if ((resp[2] & 0x02) != 0 && (x = tcp_ask(sv, q, qlen, id,
		    time_left(deadline), resp, &rlen, why)) != DNS_ASK_ANSWER)
			return x;
		if (!dns_answer_shape_ok(resp, rlen, why))
			return DNS_ASK_MALFORMED;
		if ((s = ldns_wire2pkt(out, resp, rlen)) != LDNS_STATUS_OK) {
			if (s == LDNS_STATUS_MEM_ERR)
				return DNS_ASK_NOMEM;
			buf_printf(why, "unparsable answer: %s",
			    ldns_get_errorstr_by_id(s));
			return DNS_ASK_MALFORMED;
		}
		if (!question_fits(*out, name, nlen, qtype)) {
			ldns_pkt_free(*out);
			*out = NULL;
			buf_puts(why, "answer is not for the question asked");
			return DNS_ASK_MALFORMED;
		}
		rc = ldns_pkt_get_rcode(*out);
		if (!edns || (rc != LDNS_RCODE_FORMERR &&
		    rc != LDNS_RCODE_NOTIMPL))
			return DNS_ASK_ANSWER;
		ldns_pkt_free(*out);
		*out = NULL;
		edns = false;
	}
	return DNS_ASK_ANSWER;	/* not reached: the second try returns */
}

const char *
dns_rcode_name(ldns_pkt_rcode rc)
{
	const ldns_lookup_table	*t;

	t = ldns_lookup_by_id(ldns_rcodes, (int)rc);
	return t != NULL ? t->name : "unknown rcode";
}


bool
dns_server_set(struct dns_server *sv, int af, const void *addr, unsigned port)
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
bool
dns_server_parse(struct dns_server *sv, const char *spec,
    unsigned default_port, struct buf *err)
{
	char		 ip[INET6_ADDRSTRLEN];
	unsigned char	 addr[sizeof(struct in6_addr)];
	const char	*at, *p;
	unsigned long	 port = default_port;
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
	if (dns_server_set(sv, af, addr, (unsigned)port))
		return true;
bad:
	buf_puts(err, "bad resolver \"");
	buf_put_visible(err, spec, strnlen(spec, 128));
	buf_puts(err, "\": want IPv4 or IPv6 address, optionally @PORT");
	return false;
}

bool
dns_system_servers(struct dns_server *sv, size_t max, size_t *nsv,
    struct buf *err)
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
	*nsv = 0;
	for (i = 0; i < n && *nsv < max; i++) {
		if (ldns_rdf_get_type(ns[i]) == LDNS_RDF_TYPE_A &&
		    ldns_rdf_size(ns[i]) == 4)
			af = AF_INET;
		else if (ldns_rdf_get_type(ns[i]) == LDNS_RDF_TYPE_AAAA &&
		    ldns_rdf_size(ns[i]) == 16)
			af = AF_INET6;
		else
			continue;
		if (dns_server_set(&sv[*nsv], af, ldns_rdf_data(ns[i]),
		    ldns_resolver_port(r)))
			(*nsv)++;
	}
	ldns_resolver_deep_free(r);
	if (*nsv == 0) {
		buf_printf(err, "system resolver (%s): no nameserver",
		    LDNS_RESOLV_CONF);
		return false;
	}
	return true;
}
