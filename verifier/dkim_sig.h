/* SPDX-License-Identifier: ISC */
/*
 * dkim_sig: one DKIM-Signature header field, parsed and checked against the
 * syntax and semantics of RFC 6376 section 3.5 (plus RFC 8301, RFC 8463).
 *
 * dkim_sig_parse() never stops at the first problem when it can go on: it
 * fills in every tag it could read (for the explain view) and records the
 * first error, by RFC 6376 section 6.1.1 order, in err / err_detail.  A
 * signature with err != REASON_OK is a permerror; rsa-sha1 is parsed fully and
 * flagged (err = REASON_ALGORITHM_FORBIDDEN) so the verifier can still say
 * whether it would have verified.
 */
#ifndef FBL_DKIM_SIG_H
#define FBL_DKIM_SIG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "verifier/message.h"
#include "verifier/result.h"
#include "verifier/tagvalue.h"

#define DKIM_SIG_MAX_H		256	/* names in h= */

enum dkim_alg {
	DKIM_ALG_UNKNOWN = 0,
	DKIM_ALG_RSA_SHA256,
	DKIM_ALG_RSA_SHA1,
	DKIM_ALG_ED25519_SHA256,
};

enum dkim_canon {
	DKIM_CANON_SIMPLE = 0,
	DKIM_CANON_RELAXED,
};

enum dkim_hash {
	DKIM_HASH_SHA256 = 0,
	DKIM_HASH_SHA1,
};

struct dkim_hname {
	const char	*name;		/* points into the field */
	size_t		 len;
};

struct dkim_sig {
	size_t			 field_index;	/* in message fields */
	const struct header_field *field;
	struct tag_list		 tags;
	bool			 tags_ok;	/* the tag list parsed */

	enum dkim_reason	 err;		/* REASON_OK when well-formed */
	struct buf		 err_detail;

	char			*v;		/* tag values as written, or NULL */
	char			*a;
	char			*c;
	char			*d;
	char			*s;
	char			*i;		/* dkim-quoted-printable decoded */
	char			*q;
	char			*z;		/* raw, for explain */

	enum dkim_alg		 alg;
	enum dkim_hash		 hash;
	enum dkim_canon		 hcanon;
	enum dkim_canon		 bcanon;

	struct dkim_hname	 h[DKIM_SIG_MAX_H];
	size_t			 nh;

	bool			 has_l;
	uint64_t		 l;
	bool			 has_t;
	uint64_t		 t;
	bool			 has_x;
	uint64_t		 x;

	struct buf		 b;		/* decoded signature */
	struct buf		 bh;		/* decoded body hash */
	size_t			 b_value_off;	/* b= value span in the field */
	size_t			 b_value_end;	/* (offsets into field->raw) */
};

/* Parse field (the message's field_index-th field). */
void		 dkim_sig_parse(struct dkim_sig *, const struct message *,
		    size_t field_index);
void		 dkim_sig_free(struct dkim_sig *);

/*
 * Checks that depend on the verification clock: x= passed (expired), t= in
 * the future beyond skew.  Returns REASON_OK or the reason, detail in why.
 */
enum dkim_reason dkim_sig_check_time(const struct dkim_sig *, int64_t now,
		    int64_t skew, struct buf *why);

const char	*dkim_alg_name(enum dkim_alg);
const char	*dkim_canon_name(enum dkim_canon);
/* Does h= name this field (case-insensitively)? How many times? */
size_t		 dkim_sig_signs(const struct dkim_sig *, const char *name);

/*
 * The raw field (name, colon, tag list) appended to out without its z=
 * tag: z= copies header values such as To:, a recipient's address, which
 * must not be stored (docs/security.md).  The verdict needs no z=: the
 * digest of the signed header block is kept beside the field.  A field
 * whose tag list does not parse is copied as it is (no z= was read from
 * it).  False when out of memory.
 */
bool		 dkim_field_without_z(const char *raw, size_t len,
		    struct buf *out);

#endif
