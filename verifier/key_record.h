/* SPDX-License-Identifier: ISC */
/*
 * key_record: the DKIM public key record of RFC 6376 section 3.6.1, as found
 * in a TXT record (several character-strings already joined), parsed once
 * and kept with its EVP_PKEY so that a million messages signed with one key
 * cost one parse.
 *
 * p= is accepted as a SubjectPublicKeyInfo (what RFC 6376 means and every
 * signer publishes) or as a bare RSAPublicKey (erratum 3017, used in the
 * wild); for k=ed25519 it is the raw 32-byte key (RFC 8463).
 */
#ifndef FBL_KEY_RECORD_H
#define FBL_KEY_RECORD_H

#include <stdbool.h>
#include <stddef.h>

#include <openssl/evp.h>

#include "base/buf.h"
#include "verifier/result.h"

enum key_type {
	KEY_TYPE_RSA = 0,
	KEY_TYPE_ED25519,
	KEY_TYPE_UNKNOWN,
};

#define KEY_HASH_SHA1	0x01
#define KEY_HASH_SHA256	0x02
#define KEY_HASH_ANY	0xff	/* no h= tag */

#define KEY_RSA_MIN_BITS	1024	/* RFC 8301 section 3.2 */

struct key_record {
	enum key_type	 type;
	bool		 revoked;	/* p= empty */
	bool		 testing;	/* t=y */
	bool		 strict;	/* t=s: i= must equal d= */
	bool		 service_ok;	/* s= absent, "*" or holds "email" */
	unsigned	 hash_mask;	/* KEY_HASH_* allowed by h= */
	unsigned	 bits;		/* key size; 256 for ed25519 */
	EVP_PKEY	*pkey;		/* NULL when revoked or invalid */
	char		*notes;		/* n=, or NULL */
	char		*flags;		/* t= as written, or NULL */
};

/*
 * Parse one TXT record.  Returns REASON_OK, or REASON_KEY_SYNTAX with a
 * human detail in why.  A revoked key (empty p=) parses fine: revoked is set
 * and the verifier decides.  Keys under KEY_RSA_MIN_BITS also parse (bits
 * says the size) so the explain view can show them.  RSA keys outside
 * crypto_key_check()'s bounds return REASON_KEY_TOO_LARGE or
 * REASON_KEY_EXPONENT, with bits set and no pkey.  Call key_record_free()
 * after every key_record_parse(), whatever it returned.
 */
enum dkim_reason key_record_parse(struct key_record *, const char *txt,
		    size_t len, struct buf *why);
void		 key_record_free(struct key_record *);
const char	*key_type_name(enum key_type);
/*
 * A master-format TXT line for a key record, split into quoted strings of at
 * most 255 octets (RFC 6376 section 3.6.2.2):
 *   owner. TTL IN TXT ( "v=DKIM1; k=rsa; p=..." "..." )
 */
void		 key_record_zone_line(struct buf *, const char *owner,
		    unsigned ttl, const char *record);

#endif
