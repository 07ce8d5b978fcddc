/* SPDX-License-Identifier: ISC */
/*
 * gen_mailbox_keys: the mailbox's keys, from the PRNG (cached under
 * OUTDIR/keycache), the zones that publish them and the configuration
 * fragment that names them.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "gen_mailbox.h"

/* ---- keys: RSA 1024 from the PRNG, so every machine makes the same ---- */

EVP_PKEY	*keys[NKEYS];
static char	 key_pub[NKEYS][400];	/* base64 SubjectPublicKeyInfo */

void
load_keys(const char *out, uint64_t seed)
{
	char		 dir[4096], path[4200], tmp[4300];
	unsigned char	*der;
	struct sbuf	 b = { NULL, 0, 0 };
	FILE		*f;
	unsigned	 i;
	int		 len, made = 0;

	path_fmt(dir, sizeof(dir), "%s/keycache", out);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST)
		die("%s: %s", dir, strerror(errno));
	for (i = 0; i < NKEYS; i++) {
		path_fmt(path, sizeof(path), "%s/rsa-%llu-%03u.pem", dir,
		    (unsigned long long)seed, i);
		keys[i] = NULL;
		if ((f = fopen(path, "r")) != NULL) {
			keys[i] = PEM_read_PrivateKey(f, NULL, NULL, NULL);
			fclose(f);
			ERR_clear_error();
		}
		if (keys[i] == NULL) {
			keys[i] = gen_rsa(seed, 0x4d424f5800ULL + i, RSA_BITS);
			path_fmt(tmp, sizeof(tmp), "%s.tmp", path);
			if ((f = fopen(tmp, "w")) == NULL)
				die("%s: %s", tmp, strerror(errno));
			if (!PEM_write_PrivateKey(f, keys[i], NULL, NULL, 0,
			    NULL, NULL))
				die("PEM_write_PrivateKey");
			if (fclose(f) != 0 || rename(tmp, path) != 0)
				die("%s: %s", path, strerror(errno));
			made++;
		}
		der = NULL;
		if ((len = i2d_PUBKEY(keys[i], &der)) <= 0)
			die("i2d_PUBKEY");
		sb_reset(&b);
		sb_b64(&b, der, (size_t)len);
		OPENSSL_free(der);
		if (b.len >= sizeof(key_pub[i]))
			die("public key too long");
		memcpy(key_pub[i], b.p, b.len + 1);
	}
	if (made > 0)
		fprintf(stderr, "gen_mailbox: made %d keys (cached in %s)\n",
		    made, dir);
	free(b.p);
}

static void
zone_record(FILE *f, const char *sel, const char *dom, unsigned k)
{
	char	 txt[512];
	size_t	 n, off;

	path_fmt(txt, sizeof(txt), "v=DKIM1; k=rsa; p=%s", key_pub[k]);
	n = strlen(txt);
	fprintf(f, "%s._domainkey.%s. %d IN TXT (", sel, dom, ZONE_TTL);
	for (off = 0; off < n; off += TXT_CHUNK)
		fprintf(f, " \"%.*s\"", (int)(n - off < TXT_CHUNK ? n - off :
		    TXT_CHUNK), txt + off);
	fputs(" )\n", f);
}

void
write_zone(const char *out, const char *name, int archived, uint64_t seed)
{
	FILE		*f = open_out(out, name);
	char		 dom[64];
	unsigned	 c, s;

	fprintf(f, "; %s: %s DKIM keys of the generated mailbox\n"
	    "; (samples/gen_mailbox.c, seed %llu); serve it with NSD or pass "
	    "it to --zone.\n", name, archived ? "rotated-away (archived)" :
	    "published", (unsigned long long)seed);
	fprintf(f, "$ORIGIN .\n$TTL %d\n", ZONE_TTL);
	fprintf(f, ". %d IN SOA ns.invalid. hostmaster.invalid. 1 3600 600 "
	    "86400 %d\n", ZONE_TTL, ZONE_TTL);
	fprintf(f, ". %d IN NS ns.invalid.\n", ZONE_TTL);
	for (s = 0; s < NSEL; s++) {
		if ((s == SEL_ARCHIVED) != (archived != 0))
			continue;
		zone_record(f, sel_names[s], ESP_DOMAIN, ESP_KEY0 + s);
		for (c = 0; c < NCUST; c++) {
			path_fmt(dom, sizeof(dom), "customer%02u.example",
			    c + 1);
			zone_record(f, sel_names[s], dom, c * NSEL + s);
		}
	}
	close_out(f, name);
}

void
write_conf(const char *out)
{
	FILE		*f = open_out(out, "fblscope.conf");
	unsigned	 c;

	fputs("# fblscope.conf fragment for the generated mailbox "
	    "(samples/gen_mailbox.c)\n"
	    "esp-id\t\t\tmyesp\n"
	    "esp-domain\t\t" ESP_DOMAIN "\n"
	    "selector-pattern\t'^(?<mon>[a-z]{3})(?<year>\\d{4})\\.myesp$'\n"
	    "sending-network\t\t" SENDING_NETWORKS "\n", f);
	for (c = 1; c <= NCUST; c++)
		fprintf(f, "customer\t\tcust-%02u customer%02u.example\n", c, c);
	close_out(f, "fblscope.conf");
}
