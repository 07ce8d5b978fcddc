/* SPDX-License-Identifier: ISC */
/*
 * gen_mailbox_sign: DKIM signing (RFC 6376) with OpenSSL and the
 * generator's own canonicalization, never fblscope's, so that the mailbox
 * is independent evidence.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/evp.h>

#include "gen_mailbox.h"

/* ---- DKIM signing (RFC 6376, relaxed/relaxed only) ---- */

/* relaxed body hash; the body is CRLF lines */
static void
body_hash(unsigned char md[32], const char *body, size_t len)
{
	EVP_MD_CTX	*ctx;
	const char	*p = body, *end = body + len, *eol, *q, *last;
	size_t		 empty = 0, k;
	struct sbuf	 line = { NULL, 0, 0 };
	unsigned int	 mdlen;

	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		die("EVP_DigestInit_ex");
	sb_reset(&line);
	while (p < end) {
		if ((eol = memchr(p, '\n', (size_t)(end - p))) == NULL)
			die("body line without LF");
		last = eol;
		if (last > p && last[-1] == '\r')
			last--;
		sb_reset(&line);
		for (q = p; q < last; q++) {
			if (is_wsp((unsigned char)*q)) {
				while (q + 1 < last &&
				    is_wsp((unsigned char)q[1]))
					q++;
				if (q + 1 < last)
					sb_putc(&line, ' ');
				continue;
			}
			sb_putc(&line, *q);
		}
		if (line.len == 0)
			empty++;
		else {
			for (k = 0; k < empty; k++)
				EVP_DigestUpdate(ctx, "\r\n", 2);
			empty = 0;
			EVP_DigestUpdate(ctx, line.p, line.len);
			EVP_DigestUpdate(ctx, "\r\n", 2);
		}
		p = eol + 1;
	}
	if (!EVP_DigestFinal_ex(ctx, md, &mdlen))
		die("EVP_DigestFinal_ex");
	EVP_MD_CTX_free(ctx);
	free(line.p);
}

void
dkim_sign(const struct msg *m, const char *d, const char *s, const char *h,
    long t, unsigned k, struct sbuf *out)
{
	static struct sbuf	 hd, sig;
	unsigned char		 bh[32], sbin[512];
	const char		*p, *colon;
	size_t			 nlen, j, fl, siglen, col;
	EVP_MD_CTX		*ctx;

	body_hash(bh, m->body.p, m->body.len);
	sb_reset(out);
	sb_printf(out, "DKIM-Signature: v=1; a=rsa-sha256; c=relaxed/relaxed;"
	    " d=%s;\r\n\ts=%s; t=%ld; h=%s;\r\n\tbh=", d, s, t, h);
	sb_b64(out, bh, sizeof(bh));
	sb_puts(out, ";\r\n\tb=");

	sb_reset(&hd);
	for (p = h; *p != '\0'; p = colon + 1) {
		if ((colon = strchr(p, ':')) == NULL)
			colon = p + strlen(p);
		nlen = (size_t)(colon - p);
		for (j = 0; j < m->nf; j++) {
			fl = strcspn(m->f[j].p, ":");
			if (fl == nlen && strncasecmp(m->f[j].p, p, nlen) == 0)
				break;
		}
		if (j == m->nf)
			die("h= names a field the message lacks");
		canon_hdr_relaxed(&hd, m->f[j].p, m->f[j].len);
		sb_puts(&hd, "\r\n");
		if (*colon == '\0')
			break;
	}
	canon_hdr_relaxed(&hd, out->p, out->len);

	siglen = sizeof(sbin);
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, EVP_sha256(), NULL, keys[k]) <= 0 ||
	    EVP_DigestSign(ctx, sbin, &siglen, (const unsigned char *)hd.p,
	    hd.len) <= 0)
		die("rsa signing");
	EVP_MD_CTX_free(ctx);
	sb_reset(&sig);
	sb_b64(&sig, sbin, siglen);
	for (col = 0; col < sig.len; col += 70) {
		if (col > 0)
			sb_puts(out, "\r\n\t ");
		sb_add(out, sig.p + col, sig.len - col < 70 ? sig.len - col :
		    70);
	}
}
