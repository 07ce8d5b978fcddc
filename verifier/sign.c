/* SPDX-License-Identifier: ISC */
/* sign: build a DKIM-Signature field; see sign.h. */
#include <string.h>
#include <strings.h>

#include "base/b64.h"
#include "verifier/canon.h"
#include "verifier/crypto.h"
#include "verifier/message.h"
#include "verifier/sign.h"

const char sign_default_headers[] =
    "from:sender:reply-to:subject:date:message-id:to:cc:mime-version:"
    "content-type:content-transfer-encoding:in-reply-to:references:"
    "list-id:list-unsubscribe:list-unsubscribe-post:feedback-id:"
    "cfbl-address:cfbl-feedback-id";

#define FOLD_WIDTH	72

/* Split a colon list into names (pointers into list). */
static size_t
split_names(const char *list, struct dkim_hname *h, size_t max)
{
	const char	*p = list, *q;
	size_t		 n = 0;

	while (*p != '\0' && n < max) {
		q = strchr(p, ':');
		if (q == NULL)
			q = p + strlen(p);
		if (q > p) {
			h[n].name = p;
			h[n].len = (size_t)(q - p);
			n++;
		}
		p = *q ? q + 1 : q;
	}
	return n;
}

/* The h= list: the requested names present in the message, From always. */
static size_t
choose_headers(const struct sign_opts *o, const struct message *m,
    struct dkim_hname *h, size_t max)
{
	struct dkim_hname	 want[DKIM_SIG_MAX_H];
	size_t			 nwant, n = 0, i, j, present;
	bool			 explicit = o->headers != NULL;

	nwant = split_names(explicit ? o->headers : sign_default_headers,
	    want, DKIM_SIG_MAX_H);
	for (i = 0; i < nwant && n < max; i++) {
		present = 0;
		for (j = 0; j < m->nfields; j++)
			if (header_name_is(&m->fields[j], want[i].name,
			    want[i].len))
				present++;
		if (present == 0 && !explicit &&
		    !(want[i].len == 4 && strncasecmp(want[i].name, "from",
		    4) == 0))
			continue;
		/* a name listed n times signs n fields, bottom-up */
		if (present == 0)
			present = 1;
		for (j = 0; j < (explicit ? 1 : present) && n < max; j++)
			h[n++] = want[i];
		if (o->oversign && n < max)
			h[n++] = want[i];
	}
	return n;
}

static void
put_h(struct buf *b, const struct dkim_hname *h, size_t nh)
{
	size_t	 i;

	for (i = 0; i < nh; i++) {
		if (i > 0)
			buf_putc(b, ':');
		buf_append(b, h[i].name, h[i].len);
	}
}

/* Append base64 in FOLD_WIDTH-character pieces, each on its own line. */
static void
put_folded_b64(struct buf *b, const struct buf *raw, const char *eol)
{
	struct buf	 enc = BUF_INIT;
	size_t		 i, n;

	b64_encode(&enc, raw->data, raw->len);
	for (i = 0; i < enc.len; i += n) {
		n = enc.len - i > FOLD_WIDTH ? FOLD_WIDTH : enc.len - i;
		if (i > 0)
			buf_printf(b, "%s\t ", eol);
		buf_append(b, enc.data + i, n);
	}
	if (!buf_ok(&enc))
		b->oom = true;
	buf_free(&enc);
}

static bool
body_digest(const struct sign_opts *o, const struct message *m,
    enum dkim_hash hash, struct body_hash *bh)
{
	memset(bh, 0, sizeof(*bh));
	bh->canon = o->bcanon;
	bh->hash = hash;
	return body_hash_compute(bh, 1, m->has_body ? m->body : "",
	    m->has_body ? m->body_len : 0, NULL);
}

/* Everything up to and including "b=", folded, with the message's EOL. */
static void
field_head(struct buf *f, const struct sign_opts *o, enum dkim_alg alg,
    const struct dkim_hname *h, size_t nh, const struct body_hash *bh,
    const char *eol)
{
	struct buf	 raw = BUF_INIT;

	buf_printf(f, "DKIM-Signature: v=1; a=%s; c=%s/%s; d=%s; s=%s;%s\t",
	    dkim_alg_name(alg), dkim_canon_name(o->hcanon),
	    dkim_canon_name(o->bcanon), o->domain, o->selector, eol);
	if (o->identity != NULL)
		buf_printf(f, "i=%s; ", o->identity);
	if (o->timestamp >= 0)
		buf_printf(f, "t=%lld; ", (long long)o->timestamp);
	if (o->timestamp >= 0 && o->expire > 0)
		buf_printf(f, "x=%lld; ", (long long)(o->timestamp + o->expire));
	if (o->length)
		buf_printf(f, "l=%llu; ", (unsigned long long)bh->canon_len);
	buf_puts(f, "h=");
	put_h(f, h, nh);
	buf_printf(f, ";%s\tbh=", eol);
	buf_append(&raw, bh->digest, bh->digest_len);
	b64_encode(f, raw.data, raw.len);
	buf_printf(f, ";%s\tb=", eol);
	buf_free(&raw);
}

bool
dkim_sign(const struct sign_opts *o, const char *raw, size_t len,
    struct buf *field, struct buf *err)
{
	struct message		 m;
	struct dkim_hname	 h[DKIM_SIG_MAX_H];
	struct body_hash	 bh;
	struct buf		 hb = BUF_INIT, sig = BUF_INIT;
	unsigned char		 digest[EVP_MAX_MD_SIZE];
	unsigned int		 dlen;
	enum dkim_alg		 alg;
	enum message_status	 st;
	const char		*eol;
	size_t			 nh, head;
	unsigned		 bytes;
	bool			 ok = false;

	alg = EVP_PKEY_get_base_id(o->key) == EVP_PKEY_ED25519 ?
	    DKIM_ALG_ED25519_SHA256 : DKIM_ALG_RSA_SHA256;
	if ((st = message_parse(&m, raw, len)) != MESSAGE_OK) {
		buf_printf(err, "cannot split the message: %s",
		    message_status_str(st));
		message_free(&m);
		return false;
	}
	bytes = message_byte_flags(&m);
	eol = (bytes & MSG_F_CRLF) || !(bytes & MSG_F_BARE_LF) ? "\r\n" : "\n";
	nh = choose_headers(o, &m, h, DKIM_SIG_MAX_H);
	if (!body_digest(o, &m, DKIM_HASH_SHA256, &bh)) {
		buf_puts(err, "body hash failed");
		goto out;
	}
	head = field->len;
	field_head(field, o, alg, h, nh, &bh, eol);
	canon_signed_fields(&hb, &m, h, nh, o->hcanon, -1);
	canon_sig_header(&hb, o->hcanon, field->data + head, field->len - head,
	    field->len - head, field->len - head);
	if (!buf_ok(&hb) || !buf_ok(field) ||
	    !crypto_digest(DKIM_HASH_SHA256, hb.data, hb.len, digest, &dlen)) {
		buf_puts(err, "out of memory");
		goto out;
	}
	if (!crypto_sign(o->key, alg, digest, dlen, &sig, err))
		goto out;
	put_folded_b64(field, &sig, eol);
	buf_puts(field, eol);
	ok = buf_ok(field);
out:
	buf_free(&hb);
	buf_free(&sig);
	message_free(&m);
	return ok;
}

bool
sign_key_record(EVP_PKEY *pk, bool testing, struct buf *rec)
{
	const char	*k;

	switch (EVP_PKEY_get_base_id(pk)) {
	case EVP_PKEY_RSA:
		k = "rsa";
		break;
	case EVP_PKEY_ED25519:
		k = "ed25519";
		break;
	default:
		return false;
	}
	buf_printf(rec, "v=DKIM1; k=%s; %sp=", k, testing ? "t=y; " : "");
	return crypto_public_b64(pk, rec) && buf_ok(rec);
}
