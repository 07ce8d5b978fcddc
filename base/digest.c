/* SPDX-License-Identifier: ISC */
/* digest: SHA-256 and HMAC-SHA-256; see digest.h. */
#include <stdlib.h>
#include <string.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "base/digest.h"

bool
digest_sha256_pieces(const struct digest_piece *v, size_t n,
    unsigned char out[DIGEST_SHA256_LEN])
{
	EVP_MD_CTX	*ctx;
	unsigned int	 olen = 0;
	size_t		 i;
	bool		 ok;

	ok = (ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestInit_ex(ctx, EVP_sha256(), NULL) == 1;
	for (i = 0; ok && i < n; i++)
		ok = EVP_DigestUpdate(ctx, v[i].p, v[i].len) == 1;
	ok = ok && EVP_DigestFinal_ex(ctx, out, &olen) == 1 &&
	    olen == DIGEST_SHA256_LEN;
	EVP_MD_CTX_free(ctx);
	if (!ok)
		memset(out, 0, DIGEST_SHA256_LEN);
	return ok;
}

bool
digest_sha256(const void *p, size_t len, unsigned char out[DIGEST_SHA256_LEN])
{
	unsigned int	 olen = 0;

	if (EVP_Digest(p, len, out, &olen, EVP_sha256(), NULL) == 1 &&
	    olen == DIGEST_SHA256_LEN)
		return true;
	memset(out, 0, DIGEST_SHA256_LEN);
	return false;
}

struct digest_stream {
	EVP_MD_CTX	*ctx;
	bool		 ok;
};

struct digest_stream *
digest_stream_new(void)
{
	struct digest_stream *ds;

	if ((ds = calloc(1, sizeof(*ds))) == NULL)
		return NULL;
	ds->ok = (ds->ctx = EVP_MD_CTX_new()) != NULL &&
	    EVP_DigestInit_ex(ds->ctx, EVP_sha256(), NULL) == 1;
	return ds;
}

bool
digest_stream_add(struct digest_stream *ds, const void *p, size_t len)
{
	if (ds->ok && len > 0)
		ds->ok = EVP_DigestUpdate(ds->ctx, p, len) == 1;
	return ds->ok;
}

bool
digest_stream_end(struct digest_stream *ds,
    unsigned char out[DIGEST_SHA256_LEN])
{
	unsigned int	 olen = 0;
	bool		 ok;

	ok = ds != NULL && ds->ok &&
	    EVP_DigestFinal_ex(ds->ctx, out, &olen) == 1 &&
	    olen == DIGEST_SHA256_LEN;
	if (!ok)
		memset(out, 0, DIGEST_SHA256_LEN);
	if (ds != NULL) {
		EVP_MD_CTX_free(ds->ctx);
		free(ds);
	}
	return ok;
}

bool
digest_hmac_sha256(const void *key, size_t keylen, const void *p, size_t len,
    unsigned char out[DIGEST_SHA256_LEN])
{
	unsigned int	 olen = 0;

	if (keylen > 0 && keylen <= DIGEST_HMAC_KEY_MAX &&
	    HMAC(EVP_sha256(), key, (int)keylen, p, len, out, &olen) != NULL &&
	    olen == DIGEST_SHA256_LEN)
		return true;
	memset(out, 0, DIGEST_SHA256_LEN);
	return false;
}
