/* SPDX-License-Identifier: ISC */
/*
 * gen.h: what the parts of the benchmark's message generator share.  gen.c
 * holds the model (customers, selectors, the messages and main); the keys
 * and their zone are in gen_keys.c, the bodies in gen_body.c, the DKIM
 * signing in gen_sign.c.  samples/genlib.h has the PRNG and buffers.
 */
#ifndef FBL_BENCH_GEN_H
#define FBL_BENCH_GEN_H

#include <stddef.h>
#include <stdint.h>

#include <openssl/evp.h>

#include "genlib.h"	/* samples/: shared with gen_mailbox */

/* Bump on any change to what gen writes: tests/bench/run.sh reads it. */
#define GEN_VERSION	2

#define NCUST		200		/* customer domains */
#define NCUST_SEL	2		/* selectors per customer */
#define NESP_SEL	2		/* selectors of fbl.myesp.com */
#define NRSA		(NCUST * NCUST_SEL + NESP_SEL)
#define NED		20		/* customers with an ed25519 key */
#define ED_EVERY	(NCUST / NED)	/* customer i has one if i % this == 3 */
#define ESP_DOMAIN	"fbl.myesp.com"
#define ZONE_TTL	3600
#define TXT_CHUNK	250		/* characters per TXT string */
#define ED_SELECTOR	"ed-feb2025.myesp"

extern const char *const sel_names[NCUST_SEL];

struct keys {
	EVP_PKEY	*rsa[NRSA];
	EVP_PKEY	*ed[NED];
	char		 rsa_pub[NRSA][512];	/* base64 SubjectPublicKeyInfo */
	char		 ed_pub[NED][64];	/* base64 raw key */
};

void	 load_keys(struct keys *, const char *keydir, uint64_t seed);
void	 write_zone(const struct keys *, const char *path, uint64_t seed);
/* The domain of customer c. */
void	 cust_domain(char *dst, size_t len, unsigned c);

#define MAX_FIELDS	32

struct msg {
	struct sbuf	 f[MAX_FIELDS];	/* header fields, no terminator */
	size_t		 nf;
	size_t		 sig_at;	/* signatures go before field sig_at */
	struct sbuf	 body;
};

struct body_hash {
	unsigned char	 md[32];
	size_t		 len;		/* canonical bytes hashed */
};

struct sigspec {
	int		 ed;		/* ed25519-sha256, else rsa-sha256 */
	int		 hrelaxed, brelaxed;
	const char	*d, *s, *h;
	EVP_PKEY	*key;
	long		 t;
};

/*
 * Make the DKIM-Signature field (no terminator) in out; a body hash not yet
 * made (len (size_t)-1) is made and kept for the next signature.
 */
void	 sign(struct msg *, const struct sigspec *, struct sbuf *out,
	    size_t *hdr_hashed, struct body_hash *bhr, struct body_hash *bhs);

/* A word of the bodies' vocabulary, common ones more often. */
const char *word(struct rng *);
void	 gen_text(struct sbuf *, struct rng *, size_t n, const char *url);
void	 gen_base64(struct sbuf *, struct rng *, size_t nbytes);
void	 gen_alternative(struct sbuf *, struct rng *, size_t n,
	    const char *bound, const char *brand, const char *url);

#endif
