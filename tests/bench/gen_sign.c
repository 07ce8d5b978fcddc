/* SPDX-License-Identifier: ISC */
/*
 * gen_sign: DKIM signing (RFC 6376) with OpenSSL and the generator's own
 * canonicalization, never fblscope's, so that the set is independent
 * evidence.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "gen.h"

/* ---- canonicalization (RFC 6376 section 3.4) ---- */

static void
hash_update(EVP_MD_CTX *ctx, size_t *len, const void *p, size_t n)
{
	if (n > 0 && !EVP_DigestUpdate(ctx, p, n))
		die("EVP_DigestUpdate");
	*len += n;
}

static void
body_hash(struct body_hash *bh, const char *body, size_t len, int relaxed)
{
	EVP_MD_CTX	*ctx;
	const char	*p = body, *end = body + len, *eol, *q, *last;
	size_t		 empty = 0, k;
	struct sbuf	 line = { NULL, 0, 0 };
	unsigned int	 mdlen;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		die("EVP_DigestInit_ex");
	bh->len = 0;
	while (p < end) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			die("body line without LF");
		last = eol;
		if (last > p && last[-1] == '\r')
			last--;
		sb_reset(&line);
		if (relaxed) {
			int space = 0;

			for (q = p; q < last; q++) {
				if (is_wsp((unsigned char)*q)) {
					space = 1;
					continue;
				}
				if (space)
					sb_putc(&line, ' ');
				sb_putc(&line, *q);
				space = 0;
			}
		} else
			sb_add(&line, p, (size_t)(last - p));
		if (line.len == 0)
			empty++;
		else {
			for (k = 0; k < empty; k++)
				hash_update(ctx, &bh->len, "\r\n", 2);
			empty = 0;
			hash_update(ctx, &bh->len, line.p, line.len);
			hash_update(ctx, &bh->len, "\r\n", 2);
		}
		p = eol + 1;
	}
	if (!relaxed && bh->len == 0)
		hash_update(ctx, &bh->len, "\r\n", 2);
	if (!EVP_DigestFinal_ex(ctx, bh->md, &mdlen))
		die("EVP_DigestFinal_ex");
	EVP_MD_CTX_free(ctx);
	free(line.p);
}

/* field instances used so far, for bottom-up selection */
struct hsel {
	char	 name[32];
	size_t	 used;
};

void
sign(struct msg *m, const struct sigspec *sp, struct sbuf *out,
    size_t *hdr_hashed, struct body_hash *bhr, struct body_hash *bhs)
{
	struct sbuf	 hd = { NULL, 0, 0 }, sig = { NULL, 0, 0 };
	struct body_hash *bh = sp->brelaxed ? bhr : bhs;
	struct hsel	 sel[32];
	size_t		 nsel = 0, k, nlen, found, j;
	const char	*h, *comma;
	char		 name[32];
	unsigned char	 md[32], sbin[512];
	size_t		 siglen;
	unsigned int	 mdlen;
	EVP_MD_CTX	*ctx;

	if (bh->len == (size_t)-1)
		body_hash(bh, m->body.p, m->body.len, sp->brelaxed);

	/* the field without b= value */
	sb_reset(out);
	sb_printf(out, "DKIM-Signature: v=1; a=%s; c=%s/%s; d=%s;\r\n"
	    "\ts=%s; t=%ld; bh=",
	    sp->ed ? "ed25519-sha256" : "rsa-sha256",
	    sp->hrelaxed ? "relaxed" : "simple",
	    sp->brelaxed ? "relaxed" : "simple", sp->d, sp->s, sp->t);
	sb_b64(out, bh->md, sizeof(bh->md));
	sb_puts(out, ";\r\n\th=");
	/* fold h= at colons near 70 columns */
	for (h = sp->h, k = 3; *h != '\0'; h = comma + 1) {
		if ((comma = strchr(h, ':')) == NULL)
			comma = h + strlen(h);
		nlen = (size_t)(comma - h);
		if (k + nlen + 1 > 70) {
			sb_puts(out, "\r\n\t ");
			k = 1;
		}
		sb_add(out, h, nlen);
		k += nlen;
		if (*comma == '\0')
			break;
		sb_putc(out, ':');
		k++;
	}
	sb_puts(out, ";\r\n\tb=");

	/* header hash input */
	for (h = sp->h; *h != '\0'; h = comma + 1) {
		if ((comma = strchr(h, ':')) == NULL)
			comma = h + strlen(h);
		nlen = (size_t)(comma - h);
		if (nlen >= sizeof(name))
			die("h= name too long");
		memcpy(name, h, nlen);
		name[nlen] = '\0';
		for (k = 0; k < nsel; k++)
			if (strcasecmp(sel[k].name, name) == 0)
				break;
		if (k == nsel) {
			if (nsel == sizeof(sel) / sizeof(sel[0]))
				die("too many h= names");
			memcpy(sel[k].name, name, nlen + 1);
			sel[k].used = 0;
			nsel++;
		}
		/* the (used+1)-th instance from the bottom */
		found = 0;
		for (j = m->nf; j-- > 0;) {
			const char *fp = m->f[j].p;
			size_t fl = strcspn(fp, ":");

			while (fl > 0 && is_wsp((unsigned char)fp[fl - 1]))
				fl--;
			if (fl == nlen && strncasecmp(fp, name, nlen) == 0 &&
			    found++ == sel[k].used) {
				if (sp->hrelaxed)
					canon_hdr_relaxed(&hd, fp,
					    m->f[j].len);
				else
					sb_add(&hd, fp, m->f[j].len);
				sb_puts(&hd, "\r\n");
				break;
			}
		}
		sel[k].used++;
		if (*comma == '\0')
			break;
	}
	if (sp->hrelaxed)
		canon_hdr_relaxed(&hd, out->p, out->len);
	else
		sb_add(&hd, out->p, out->len);
	*hdr_hashed = hd.len;

	if ((ctx = EVP_MD_CTX_new()) == NULL)
		die("EVP_MD_CTX_new");
	siglen = sizeof(sbin);
	if (sp->ed) {
		if (!EVP_Digest(hd.p, hd.len, md, &mdlen, EVP_sha256(), NULL) ||
		    EVP_DigestSignInit(ctx, NULL, NULL, NULL, sp->key) <= 0 ||
		    EVP_DigestSign(ctx, sbin, &siglen, md, mdlen) <= 0)
			die("ed25519 signing");
	} else {
		if (EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL,
		    sp->key) <= 0 ||
		    EVP_DigestSign(ctx, sbin, &siglen,
		    (const unsigned char *)hd.p, hd.len) <= 0)
			die("rsa signing");
	}
	EVP_MD_CTX_free(ctx);

	/* b= folded in 72-character pieces */
	sb_b64(&sig, sbin, siglen);
	for (k = 0; k < sig.len; k += 72) {
		if (k > 0)
			sb_puts(out, "\r\n\t ");
		sb_add(out, sig.p + k, sig.len - k < 72 ? sig.len - k : 72);
	}
	free(hd.p);
	free(sig.p);
}
