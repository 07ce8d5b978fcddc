/* SPDX-License-Identifier: ISC */
/*
 * gen_keys: the benchmark's keys, from the PRNG (cached in KEYDIR: making
 * 402 RSA keys is the slow part), and the zone that publishes them.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "gen.h"

static EVP_PKEY *
gen_ed(uint64_t seed, unsigned idx)
{
	struct rng	 r;
	unsigned char	 priv[32];
	EVP_PKEY	*pkey;

	rng_seed(&r, seed, 0x4544000000ULL + idx);
	rng_bytes(&r, priv, sizeof(priv));
	pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, NULL, priv,
	    sizeof(priv));
	if (pkey == NULL)
		die("EVP_PKEY_new_raw_private_key");
	return pkey;
}

static EVP_PKEY *
load_or_make(const char *keydir, const char *kind, unsigned idx,
    uint64_t seed, int *made)
{
	char		 path[4096], tmp[4096];
	FILE		*f;
	EVP_PKEY	*pkey;

	path_fmt(path, sizeof(path), "%s/%s-%03u.pem", keydir, kind, idx);
	if ((f = fopen(path, "r")) != NULL) {
		pkey = PEM_read_PrivateKey(f, NULL, NULL, NULL);
		fclose(f);
		if (pkey != NULL)
			return pkey;
		ERR_clear_error();
		fprintf(stderr, "gen: %s unreadable, making it again\n", path);
	}
	pkey = strcmp(kind, "rsa") == 0 ? gen_rsa(seed, 0x5253410000ULL + idx, 2048) :
	    gen_ed(seed, idx);
	path_fmt(tmp, sizeof(tmp), "%s.tmp", path);
	if ((f = fopen(tmp, "w")) == NULL)
		die("%s: %s", tmp, strerror(errno));
	if (!PEM_write_PrivateKey(f, pkey, NULL, NULL, 0, NULL, NULL))
		die("PEM_write_PrivateKey");
	if (fclose(f) != 0 || rename(tmp, path) != 0)
		die("%s: %s", path, strerror(errno));
	(*made)++;
	return pkey;
}

void
load_keys(struct keys *k, const char *keydir, uint64_t seed)
{
	unsigned char	*der, raw[32];
	size_t		 rawlen;
	unsigned	 i;
	int		 len, made = 0;
	struct sbuf	 b = { NULL, 0, 0 };
	time_t		 t0 = time(NULL);

	if (mkdir(keydir, 0755) != 0 && errno != EEXIST)
		die("%s: %s", keydir, strerror(errno));
	for (i = 0; i < NRSA; i++) {
		int before = made;

		k->rsa[i] = load_or_make(keydir, "rsa", i, seed, &made);
		der = NULL;
		if ((len = i2d_PUBKEY(k->rsa[i], &der)) <= 0)
			die("i2d_PUBKEY");
		sb_reset(&b);
		sb_b64(&b, der, (size_t)len);
		OPENSSL_free(der);
		if (b.len >= sizeof(k->rsa_pub[i]))
			die("public key too long");
		memcpy(k->rsa_pub[i], b.p, b.len + 1);
		if (made != before && made % 50 == 0 && i + 1 < NRSA)
			fprintf(stderr, "gen: %u/%u RSA keys (%lds)\n", i + 1,
			    NRSA, (long)(time(NULL) - t0));
	}
	for (i = 0; i < NED; i++) {
		k->ed[i] = load_or_make(keydir, "ed", i, seed, &made);
		rawlen = sizeof(raw);
		if (!EVP_PKEY_get_raw_public_key(k->ed[i], raw, &rawlen) ||
		    rawlen != 32)
			die("EVP_PKEY_get_raw_public_key");
		sb_reset(&b);
		sb_b64(&b, raw, rawlen);
		memcpy(k->ed_pub[i], b.p, b.len + 1);
	}
	if (made > 0)
		fprintf(stderr, "gen: made %d keys in %lds (cached in %s)\n",
		    made, (long)(time(NULL) - t0), keydir);
	free(b.p);
}

static void
zone_record(FILE *f, const char *owner, const char *txt)
{
	size_t	 n = strlen(txt), off;

	fprintf(f, "%s. %d IN TXT", owner, ZONE_TTL);
	for (off = 0; off < n; off += TXT_CHUNK)
		fprintf(f, " \"%.*s\"", (int)(n - off < TXT_CHUNK ? n - off :
		    TXT_CHUNK), txt + off);
	fputc('\n', f);
}

void
write_zone(const struct keys *k, const char *path, uint64_t seed)
{
	FILE		*f;
	char		 dom[128], owner[256], txt[600];
	unsigned	 c, s, e = 0;

	if ((f = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	fprintf(f, "; fblscope benchmark key records (tests/bench/gen.c "
	    "version %d, seed %llu)\n", GEN_VERSION, (unsigned long long)seed);
	fprintf(f, "; RFC 1035 master format: absolute owner names, TTL %d, "
	    "class IN, TXT data split into strings of at most %d "
	    "characters.\n", ZONE_TTL, TXT_CHUNK);
	for (s = 0; s < NESP_SEL; s++) {
		path_fmt(owner, sizeof(owner), "%s._domainkey.%s",
		    sel_names[s], ESP_DOMAIN);
		path_fmt(txt, sizeof(txt), "v=DKIM1; k=rsa; p=%s",
		    k->rsa_pub[NCUST * NCUST_SEL + s]);
		zone_record(f, owner, txt);
	}
	for (c = 0; c < NCUST; c++) {
		cust_domain(dom, sizeof(dom), c);
		for (s = 0; s < NCUST_SEL; s++) {
			path_fmt(owner, sizeof(owner), "%s._domainkey.%s",
			    sel_names[s], dom);
			path_fmt(txt, sizeof(txt), "v=DKIM1; k=rsa; p=%s",
			    k->rsa_pub[c * NCUST_SEL + s]);
			zone_record(f, owner, txt);
		}
		if (c % ED_EVERY == 3 && e < NED) {
			path_fmt(owner, sizeof(owner), "%s._domainkey.%s",
			    ED_SELECTOR, dom);
			path_fmt(txt, sizeof(txt), "v=DKIM1; k=ed25519; p=%s",
			    k->ed_pub[e]);
			zone_record(f, owner, txt);
			e++;
		}
	}
	if (fclose(f) != 0)
		die("%s: %s", path, strerror(errno));
}
