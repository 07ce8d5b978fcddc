/* SPDX-License-Identifier: ISC */
/*
 * genlib: what the deterministic generators share: samples/gen_mailbox.c
 * (the sample feedback mailbox) and tests/bench/gen.c (the benchmark's
 * messages).  Each is a standalone program built with this file beside it.
 *
 * The PRNG is xoshiro256** seeded through splitmix64: not cryptographic, but
 * the same numbers on every machine, so a seed names a data set.  RSA keys
 * made by gen_rsa() come from it too (throwaway test keys).  Errors end the
 * program through die(), which names die_prog.
 */
#ifndef FBL_GENLIB_H
#define FBL_GENLIB_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#define GEN_RSA_MAX_BITS	4096

extern const char	*die_prog;	/* "gen", "gen_mailbox" */

void	 die(const char *, ...)
	    __attribute__((format(printf, 1, 2), noreturn));

struct rng {
	uint64_t	 s[4];
};

/* One independent stream per (seed, stream). */
void	 rng_seed(struct rng *, uint64_t seed, uint64_t stream);
uint64_t rng_next(struct rng *);
/* Uniform in [0, n), n > 0. */
uint32_t rng_below(struct rng *, uint32_t n);
/* Uniform in [0, 1). */
double	 rng_unit(struct rng *);
void	 rng_bytes(struct rng *, unsigned char *, size_t);
/* n - 1 random letters and digits, then NUL. */
void	 token(struct rng *, char *dst, size_t n);

/* A growable byte string, NUL-terminated; out of memory ends the program. */
struct sbuf {
	char	*p;
	size_t	 len;
	size_t	 cap;
};

void	 sb_reserve(struct sbuf *, size_t extra);
void	 sb_add(struct sbuf *, const void *, size_t);
void	 sb_puts(struct sbuf *, const char *);
void	 sb_putc(struct sbuf *, int);
void	 sb_printf(struct sbuf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 sb_reset(struct sbuf *);
/* Append p[0..n) in base64, no line breaks. */
void	 sb_b64(struct sbuf *, const unsigned char *, size_t);

/* Space or horizontal tab (RFC 5234 WSP). */
int	 is_wsp(int);
/*
 * The relaxed canonical form (RFC 6376 section 3.4.2) of one header field of
 * len bytes, without its line end: the generators sign with their own
 * canonicalization, never fblscope's.
 */
void	 canon_hdr_relaxed(struct sbuf *, const char *field, size_t len);

/* snprintf into dst, or die when it does not fit. */
void	 path_fmt(char *dst, size_t dstlen, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

/* An RSA key of bits bits (a multiple of 16) from the PRNG (seed, stream). */
EVP_PKEY *gen_rsa(uint64_t seed, uint64_t stream, unsigned bits);

#endif
