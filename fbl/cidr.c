/* SPDX-License-Identifier: ISC */
/* cidr: IPv4 / IPv6 addresses and networks; see cidr.h. */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <string.h>
#include <strings.h>

#include "fbl/cidr.h"

static const uint8_t v4_mapped[12] = {
	0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff
};

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The address text inside s[0..len): blanks, one pair of brackets and an
 * "IPv6:" prefix removed, copied NUL-terminated into out (IP_TEXT_MAX + 1
 * bytes).  False when nothing plausible is left.
 */
static bool
ip_text(const char *s, size_t len, char *out)
{
	while (len > 0 && is_blank(s[0])) {
		s++;
		len--;
	}
	while (len > 0 && is_blank(s[len - 1]))
		len--;
	if (len >= 2 && s[0] == '[' && s[len - 1] == ']') {
		s++;
		len -= 2;
	}
	if (len > 5 && strncasecmp(s, "IPv6:", 5) == 0) {
		s += 5;
		len -= 5;
	}
	if (len == 0 || len > IP_TEXT_MAX || memchr(s, '\0', len) != NULL)
		return false;
	memcpy(out, s, len);
	out[len] = '\0';
	return true;
}

bool
ip_parse(struct ip_addr *a, const char *s, size_t len)
{
	char		 t[IP_TEXT_MAX + 1];
	uint8_t		 b4[4];

	memset(a, 0, sizeof(*a));
	if (!ip_text(s, len, t))
		return false;
	if (inet_pton(AF_INET, t, b4) == 1) {
		memcpy(a->b, v4_mapped, sizeof(v4_mapped));
		memcpy(a->b + 12, b4, sizeof(b4));
		a->v4 = true;
		return true;
	}
	if (strchr(t, ':') == NULL || inet_pton(AF_INET6, t, a->b) != 1) {
		memset(a, 0, sizeof(*a));
		return false;
	}
	a->v4 = memcmp(a->b, v4_mapped, sizeof(v4_mapped)) == 0;
	return true;
}

/* A decimal 0..max without sign or leading zero. */
static bool
parse_prefix(const char *s, size_t len, unsigned max, unsigned *out)
{
	size_t		 i;
	unsigned	 v = 0;

	if (len == 0 || len > 3 || (len > 1 && s[0] == '0'))
		return false;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return false;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	if (v > max)
		return false;
	*out = v;
	return true;
}

/* Do a and b agree on their first bits bits (0..128)? */
static bool
same_prefix(const uint8_t *a, const uint8_t *b, unsigned bits)
{
	unsigned	 full = bits / 8, rest = bits % 8;
	uint8_t		 mask;

	if (memcmp(a, b, full) != 0)
		return false;
	if (rest == 0)
		return true;
	mask = (uint8_t)(0xff << (8 - rest));
	return (a[full] & mask) == (b[full] & mask);
}

/* Are all bits after the first bits zero? */
static bool
host_bits_zero(const uint8_t *a, unsigned bits)
{
	unsigned	 i;

	for (i = bits; i < 128; i++)
		if (a[i / 8] & (0x80 >> (i % 8)))
			return false;
	return true;
}

enum cidr_status
cidr_parse(struct cidr *c, const char *s, size_t len)
{
	const char	*slash;
	size_t		 alen;
	unsigned	 max, p;

	memset(c, 0, sizeof(*c));
	slash = memchr(s, '/', len);
	alen = slash != NULL ? (size_t)(slash - s) : len;
	if (!ip_parse(&c->net, s, alen))
		return CIDR_BAD_ADDRESS;
	/* "::ffff:192.0.2.0/120" is an IPv6 network with an IPv6 prefix */
	if (memchr(s, ':', alen) != NULL)
		c->net.v4 = false;
	max = c->net.v4 ? 32 : 128;
	if (slash == NULL)
		p = max;
	else if (!parse_prefix(slash + 1, len - alen - 1, max, &p))
		return CIDR_BAD_PREFIX;
	c->prefix = p;
	if (!host_bits_zero(c->net.b, c->net.v4 ? p + 96 : p))
		return CIDR_HOST_BITS;
	return CIDR_OK;
}

bool
cidr_contains(const struct cidr *c, const struct ip_addr *a)
{
	unsigned	 bits = c->net.v4 ? c->prefix + 96 : c->prefix;

	if (bits > 128)
		return false;
	return same_prefix(c->net.b, a->b, bits);
}

void
cidr_mask(struct cidr *c)
{
	unsigned	 i = c->net.v4 ? c->prefix + 96 : c->prefix;

	for (; i < 128; i++)
		c->net.b[i / 8] &= (uint8_t)~(0x80u >> (i % 8));
}

void
cidr_of(struct cidr *c, const struct ip_addr *a, unsigned prefix)
{
	unsigned	 max = a->v4 ? 32 : 128;

	c->net = *a;
	c->prefix = prefix < max ? prefix : max;
	cidr_mask(c);
}

void
ip_format(struct buf *out, const struct ip_addr *a)
{
	char	 t[INET6_ADDRSTRLEN];

	if (a->v4) {
		if (inet_ntop(AF_INET, a->b + 12, t, sizeof(t)) == NULL)
			return;
	} else if (inet_ntop(AF_INET6, a->b, t, sizeof(t)) == NULL)
		return;
	buf_puts(out, t);
}

void
cidr_format(struct buf *out, const struct cidr *c)
{
	ip_format(out, &c->net);
	buf_printf(out, "/%u", c->prefix);
}

const char *
cidr_status_str(enum cidr_status st)
{
	switch (st) {
	case CIDR_OK:
		return "ok";
	case CIDR_BAD_ADDRESS:
		return "not an IPv4 or IPv6 address";
	case CIDR_BAD_PREFIX:
		return "prefix length is not a number from 0 to 32 (IPv4) "
		    "or 128 (IPv6)";
	case CIDR_HOST_BITS:
		return "bits are set after the prefix length";
	}
	return "unknown status";
}
