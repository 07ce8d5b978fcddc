/* SPDX-License-Identifier: ISC */
/*
 * genlib: what the two deterministic generators share (samples/gen_mailbox.c,
 * the sample feedback mailbox; tests/bench/gen.c, the benchmark's messages):
 * a small PRNG, a growable byte string, and RSA keys derived from the PRNG so
 * that every machine makes the same ones.  Nothing here is cryptographic:
 * the keys are throwaway test keys.  See genlib.h.
 */
#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>

#include "genlib.h"

const char	*die_prog = "gen";

void
die(const char *fmt, ...)
{
	va_list	ap;

	fprintf(stderr, "%s: ", die_prog);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	ERR_print_errors_fp(stderr);
	exit(1);
}

/* ---- PRNG: xoshiro256** seeded with splitmix64 (not cryptographic) ---- */

static uint64_t
splitmix64(uint64_t *x)
{
	uint64_t z;

	z = (*x += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

void
rng_seed(struct rng *r, uint64_t seed, uint64_t stream)
{
	uint64_t x;
	int	 i;

	x = seed ^ (stream * 0xd1342543de82ef95ULL);
	for (i = 0; i < 4; i++)
		r->s[i] = splitmix64(&x);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t res, t;

	res = rotl(r->s[1] * 5, 7) * 9;
	t = r->s[1] << 17;
	r->s[2] ^= r->s[0];
	r->s[3] ^= r->s[1];
	r->s[1] ^= r->s[2];
	r->s[0] ^= r->s[3];
	r->s[2] ^= t;
	r->s[3] = rotl(r->s[3], 45);
	return res;
}

/* Uniform in [0, n), n > 0. */
uint32_t
rng_below(struct rng *r, uint32_t n)
{
	return (uint32_t)(((rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

double
rng_unit(struct rng *r)
{
	return (double)(rng_next(r) >> 11) / 9007199254740992.0;
}

void
rng_bytes(struct rng *r, unsigned char *p, size_t n)
{
	uint64_t v = 0;
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (i % 8 == 0)
			v = rng_next(r);
		p[i] = (unsigned char)(v >> (8 * (i % 8)));
	}
}

void
token(struct rng *r, char *dst, size_t n)
{
	static const char alnum[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
	size_t i;

	for (i = 0; i + 1 < n; i++)
		dst[i] = alnum[rng_below(r, sizeof(alnum) - 1)];
	dst[n - 1] = '\0';
}

/* ---- growable string ---- */

void
sb_reserve(struct sbuf *b, size_t extra)
{
	size_t	 ncap;
	char	*np;

	if (b->p != NULL && extra < b->cap - b->len)
		return;
	ncap = b->cap ? b->cap : 4096;
	while (ncap - b->len <= extra) {
		if (ncap > SIZE_MAX / 2)
			die("out of memory");
		ncap *= 2;
	}
	if ((np = realloc(b->p, ncap)) == NULL)
		die("out of memory");
	b->p = np;
	b->cap = ncap;
}

void
sb_add(struct sbuf *b, const void *p, size_t n)
{
	sb_reserve(b, n);
	if (n > 0)
		memcpy(b->p + b->len, p, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void
sb_puts(struct sbuf *b, const char *s)
{
	sb_add(b, s, strlen(s));
}

void
sb_putc(struct sbuf *b, int c)
{
	char ch = (char)c;

	sb_add(b, &ch, 1);
}

void
sb_printf(struct sbuf *b, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		die("vsnprintf");
	sb_reserve(b, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

void
sb_reset(struct sbuf *b)
{
	sb_reserve(b, 1);
	b->len = 0;
	b->p[0] = '\0';
}

void
sb_b64(struct sbuf *b, const unsigned char *p, size_t n)
{
	size_t	 olen = 4 * ((n + 2) / 3);

	if (n > INT32_MAX)
		die("base64 input too large");
	sb_reserve(b, olen);
	EVP_EncodeBlock((unsigned char *)b->p + b->len, p, (int)n);
	b->len += olen;
	b->p[b->len] = '\0';
}

void
path_fmt(char *dst, size_t dstlen, const char *fmt, ...)
{
	va_list	ap;
	int	n;

	va_start(ap, fmt);
	n = vsnprintf(dst, dstlen, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= dstlen)
		die("name too long");
}

/* ---- canonicalization (RFC 6376 section 3.4.2), the signers' own ---- */

int
is_wsp(int c)
{
	return c == ' ' || c == '\t';
}

void
canon_hdr_relaxed(struct sbuf *out, const char *f, size_t len)
{
	const char	*colon, *p, *end = f + len;
	size_t		 nlen;
	int		 started = 0, space = 0;

	if ((colon = memchr(f, ':', len)) == NULL)
		die("field without colon");
	nlen = (size_t)(colon - f);
	while (nlen > 0 && is_wsp((unsigned char)f[nlen - 1]))
		nlen--;
	for (p = f; p < f + nlen; p++)
		sb_putc(out, tolower((unsigned char)*p));
	sb_putc(out, ':');
	for (p = colon + 1; p < end; p++) {
		if (*p == '\r' || *p == '\n')
			continue;
		if (is_wsp((unsigned char)*p)) {
			space = 1;
			continue;
		}
		if (space && started)
			sb_putc(out, ' ');
		sb_putc(out, *p);
		started = 1;
		space = 0;
	}
}

/* ---- keys ---- */

/* A prime of bits / 2 bits whose top two bits are set. */
static BIGNUM *
gen_prime(struct rng *r, BN_CTX *ctx, unsigned bits)
{
	unsigned char	 b[GEN_RSA_MAX_BITS / 16];
	size_t		 len = bits / 16;
	BIGNUM		*p;
	int		 ok;

	if ((p = BN_new()) == NULL)
		die("BN_new");
	for (;;) {
		rng_bytes(r, b, len);
		b[0] |= 0xc0;		/* so that p * q has all its bits */
		b[len - 1] |= 1;
		if (BN_bin2bn(b, (int)len, p) == NULL)
			die("BN_bin2bn");
		if (BN_mod_word(p, 65537) == 1)	/* e must not divide p - 1 */
			continue;
		if ((ok = BN_check_prime(p, ctx, NULL)) < 0)
			die("BN_check_prime");
		if (ok == 1)
			return p;
	}
}

EVP_PKEY *
gen_rsa(uint64_t seed, uint64_t stream, unsigned bits)
{
	struct rng	 r;
	BN_CTX		*ctx;
	BIGNUM		*p, *q, *n, *e, *d, *p1, *q1, *phi, *g, *lcm;
	BIGNUM		*dmp1, *dmq1, *iqmp;
	OSSL_PARAM_BLD	*bld;
	OSSL_PARAM	*params;
	EVP_PKEY_CTX	*pctx;
	EVP_PKEY	*pkey = NULL;

	if (bits < 512 || bits > GEN_RSA_MAX_BITS || bits % 16 != 0)
		die("RSA keys of %u bits are not made here", bits);
	rng_seed(&r, seed, stream);
	if ((ctx = BN_CTX_new()) == NULL)
		die("BN_CTX_new");
	p = gen_prime(&r, ctx, bits);
	for (;;) {
		q = gen_prime(&r, ctx, bits);
		if (BN_cmp(p, q) != 0)
			break;
		BN_free(q);
	}
	n = BN_new(); e = BN_new(); d = BN_new(); p1 = BN_new();
	q1 = BN_new(); phi = BN_new(); g = BN_new(); lcm = BN_new();
	dmp1 = BN_new(); dmq1 = BN_new(); iqmp = BN_new();
	if (n == NULL || e == NULL || d == NULL || p1 == NULL || q1 == NULL ||
	    phi == NULL || g == NULL || lcm == NULL || dmp1 == NULL ||
	    dmq1 == NULL || iqmp == NULL)
		die("BN_new");
	if (!BN_set_word(e, 65537) || !BN_mul(n, p, q, ctx) ||
	    !BN_sub(p1, p, BN_value_one()) || !BN_sub(q1, q, BN_value_one()) ||
	    !BN_mul(phi, p1, q1, ctx) || !BN_gcd(g, p1, q1, ctx) ||
	    !BN_div(lcm, NULL, phi, g, ctx) ||
	    BN_mod_inverse(d, e, lcm, ctx) == NULL ||
	    !BN_mod(dmp1, d, p1, ctx) || !BN_mod(dmq1, d, q1, ctx) ||
	    BN_mod_inverse(iqmp, q, p, ctx) == NULL)
		die("RSA key arithmetic");
	if (BN_num_bits(n) != (int)bits)
		die("RSA modulus of %d bits", BN_num_bits(n));
	if ((bld = OSSL_PARAM_BLD_new()) == NULL)
		die("OSSL_PARAM_BLD_new");
	if (!OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_N, n) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_E, e) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_D, d) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR1, p) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_FACTOR2, q) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1) ||
	    !OSSL_PARAM_BLD_push_BN(bld, OSSL_PKEY_PARAM_RSA_COEFFICIENT1,
	    iqmp))
		die("OSSL_PARAM_BLD_push_BN");
	if ((params = OSSL_PARAM_BLD_to_param(bld)) == NULL)
		die("OSSL_PARAM_BLD_to_param");
	if ((pctx = EVP_PKEY_CTX_new_from_name(NULL, "RSA", NULL)) == NULL ||
	    EVP_PKEY_fromdata_init(pctx) <= 0 ||
	    EVP_PKEY_fromdata(pctx, &pkey, EVP_PKEY_KEYPAIR, params) <= 0)
		die("EVP_PKEY_fromdata");
	EVP_PKEY_CTX_free(pctx);
	OSSL_PARAM_free(params);
	OSSL_PARAM_BLD_free(bld);
	BN_free(p); BN_free(q); BN_free(n); BN_free(e); BN_clear_free(d);
	BN_free(p1); BN_free(q1); BN_free(phi); BN_free(g); BN_free(lcm);
	BN_clear_free(dmp1); BN_clear_free(dmq1); BN_clear_free(iqmp);
	BN_CTX_free(ctx);
	return pkey;
}

