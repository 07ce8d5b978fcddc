/* SPDX-License-Identifier: ISC */
/* key_record: RFC 6376 section 3.6.1 key records; see key_record.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "base/b64.h"
#include "verifier/crypto.h"
#include "verifier/key_record.h"
#include "verifier/tagvalue.h"

const char *
key_type_name(enum key_type t)
{
	switch (t) {
	case KEY_TYPE_RSA:
		return "rsa";
	case KEY_TYPE_ED25519:
		return "ed25519";
	case KEY_TYPE_UNKNOWN:
		break;
	}
	return "unknown";
}

struct list_match {
	bool	(*match)(const char *, size_t, void *);
	void	*arg;
	bool	 found;
};

/* Every item goes to match: hash_item gathers them all. */
static bool
match_item(const char *p, size_t n, void *arg)
{
	struct list_match	*lm = arg;

	if (lm->match(p, n, lm->arg))
		lm->found = true;
	return true;
}

/*
 * Walk a colon-separated list (tagvalue.h), calling match() on each item;
 * returns true when any item matched.
 */
static bool
list_has(const struct tag *t, bool (*match)(const char *, size_t, void *),
    void *arg)
{
	struct list_match	 lm;

	lm.match = match;
	lm.arg = arg;
	lm.found = false;
	tag_value_items(t, match_item, &lm);
	return lm.found;
}

static bool
item_is(const char *p, size_t n, void *arg)
{
	const char *want = arg;

	return n == strlen(want) && strncasecmp(p, want, n) == 0;
}

static bool
hash_item(const char *p, size_t n, void *arg)
{
	unsigned *mask = arg;

	if (item_is(p, n, "sha1"))
		*mask |= KEY_HASH_SHA1;
	else if (item_is(p, n, "sha256"))
		*mask |= KEY_HASH_SHA256;
	return false;
}

/*
 * A key outside crypto_key_check's bounds is never kept: no RSA operation
 * is ever done with it.  bits stays set so that the explain view can say
 * what was refused.
 */
static enum dkim_reason
key_bounds(struct key_record *k, struct buf *why)
{
	enum dkim_reason r;

	switch (crypto_key_check(k->pkey, why)) {
	case CRYPTO_KEY_OK:
		return REASON_OK;
	case CRYPTO_KEY_TOO_LARGE:
		r = REASON_KEY_TOO_LARGE;
		break;
	case CRYPTO_KEY_EXPONENT:
		r = REASON_KEY_EXPONENT;
		break;
	default:
		r = REASON_KEY_SYNTAX;
		break;
	}
	EVP_PKEY_free(k->pkey);
	k->pkey = NULL;
	return r;
}

static enum dkim_reason
load_public_key(struct key_record *k, const struct tag *p, struct buf *why)
{
	struct buf	 der = BUF_INIT;
	enum dkim_reason r = REASON_OK;

	if (!b64_decode(&der, p->value, p->value_len)) {
		buf_puts(why, "p= is not valid base64");
		r = REASON_KEY_SYNTAX;
		goto out;
	}
	if (k->type == KEY_TYPE_ED25519) {
		if (der.len != 32) {
			buf_printf(why, "ed25519 p= holds %zu bytes, not 32",
			    der.len);
			r = REASON_KEY_SYNTAX;
			goto out;
		}
		k->pkey = crypto_ed25519_public(
		    (const unsigned char *)der.data, der.len);
		k->bits = 256;
	} else {
		k->pkey = crypto_rsa_public((const unsigned char *)der.data,
		    der.len);
		if (k->pkey != NULL)
			k->bits = crypto_key_bits(k->pkey);
		if (k->pkey != NULL && (r = key_bounds(k, why)) != REASON_OK)
			goto out;
	}
	if (k->pkey == NULL) {
		buf_printf(why, "p= does not hold a valid %s public key",
		    key_type_name(k->type));
		r = REASON_KEY_SYNTAX;
	}
out:
	buf_free(&der);
	return r;
}

enum dkim_reason
key_record_parse(struct key_record *k, const char *txt, size_t len,
    struct buf *why)
{
	struct tag_list	 tl;
	const struct tag *t;
	enum tag_status	 ts;
	size_t		 off;

	memset(k, 0, sizeof(*k));
	k->hash_mask = KEY_HASH_ANY;
	k->service_ok = true;
	ts = tag_list_parse(&tl, txt, len, &off);
	if (ts != TAG_OK) {
		buf_printf(why, "%s at offset %zu", tag_status_str(ts), off);
		return REASON_KEY_SYNTAX;
	}
	if ((t = tag_list_get(&tl, "v")) != NULL) {
		/* v= must be first and exactly DKIM1 (section 3.6.1) */
		if (t != &tl.tags[0] || t->value_len != 5 ||
		    memcmp(t->value, "DKIM1", 5) != 0) {
			buf_puts(why, "v= is not DKIM1 or not the first tag");
			return REASON_KEY_SYNTAX;
		}
	}
	if ((t = tag_list_get(&tl, "k")) == NULL || tag_value_is(t, "rsa"))
		k->type = KEY_TYPE_RSA;
	else if (tag_value_is(t, "ed25519"))
		k->type = KEY_TYPE_ED25519;
	else {
		k->type = KEY_TYPE_UNKNOWN;
		buf_printf(why, "unknown key type k=%.*s",
		    (int)(t->value_len > 32 ? 32 : t->value_len), t->value);
		return REASON_KEY_SYNTAX;
	}
	if ((t = tag_list_get(&tl, "h")) != NULL) {
		/* key-h-tag needs at least one name; unknown ones are ignored */
		if (t->value_len == 0) {
			buf_puts(why, "h= is empty");
			return REASON_KEY_SYNTAX;
		}
		k->hash_mask = 0;
		list_has(t, hash_item, &k->hash_mask);
	}
	if ((t = tag_list_get(&tl, "s")) != NULL)
		k->service_ok = list_has(t, item_is, "*") ||
		    list_has(t, item_is, "email");
	if ((t = tag_list_get(&tl, "t")) != NULL) {
		k->testing = list_has(t, item_is, "y");
		k->strict = list_has(t, item_is, "s");
		if ((k->flags = tag_value_dup(t)) == NULL)
			goto nomem;
	}
	if ((t = tag_list_get(&tl, "n")) != NULL &&
	    (k->notes = tag_value_dup(t)) == NULL)
		goto nomem;
	if ((t = tag_list_get(&tl, "p")) == NULL) {
		buf_puts(why, "no p= tag");
		return REASON_KEY_SYNTAX;
	}
	if (t->value_len == 0) {
		k->revoked = true;
		return REASON_OK;
	}
	return load_public_key(k, t, why);
nomem:
	buf_puts(why, "out of memory");
	return REASON_INTERNAL;
}

void
key_record_free(struct key_record *k)
{
	EVP_PKEY_free(k->pkey);
	free(k->notes);
	free(k->flags);
	memset(k, 0, sizeof(*k));
}

void
key_record_zone_line(struct buf *b, const char *owner, unsigned ttl,
    const char *record)
{
	size_t	 len = strlen(record), i, n, k;

	buf_printf(b, "%s%s %u IN TXT (", owner,
	    owner[0] && owner[strlen(owner) - 1] == '.' ? "" : ".", ttl);
	/* 255 octets of text per string; '"' and '\\' escaped (RFC 1035 5.1) */
	for (i = 0; i < len; i += n) {
		n = len - i > 255 ? 255 : len - i;
		buf_puts(b, " \"");
		for (k = i; k < i + n; k++) {
			if (record[k] == '"' || record[k] == '\\')
				buf_putc(b, '\\');
			buf_putc(b, record[k]);
		}
		buf_putc(b, '"');
	}
	buf_puts(b, " )\n");
}
