/* SPDX-License-Identifier: ISC */
/*
 * ceiling: what this core can do at best for the benchmark's work, timed
 * with OpenSSL's EVP calls, and the resulting messages per second for the
 * generated set.
 *
 *	ceiling [-t SECONDS] MANIFEST COUNT...
 *
 * Measures, on the calling thread (pin it with taskset), in CPU time:
 *   - RSA-2048 PKCS#1 v1.5 verifications per second (EVP_PKEY_verify of a
 *     SHA-256 digest, context set up once, as `openssl speed rsa2048` does);
 *   - Ed25519 verifications per second (EVP_DigestVerify of a 32-byte
 *     digest, as ed25519-sha256 does, one EVP_DigestVerifyInit each);
 *   - SHA-256 throughput (EVP_DigestInit/Update/Final over 32 KB buffers).
 * Each is the best of three runs of SECONDS (default 0.5).
 *
 * Then, for the first COUNT messages of MANIFEST (gen.c's manifest.tsv),
 * the ideal cost of message i is
 *	t_i = rsa_i / rsa_rate + ed_i / ed_rate + hashed_bytes_i / sha_rate
 * (hashed_bytes: canonical body plus canonical header bytes of each
 * signature, summed over its signatures), and the ceiling is
 *	COUNT / sum(t_i)
 * messages per second: a verifier that did nothing but the cryptography.
 * A second figure, ceiling_shared_msgs_per_s, counts each message's body
 * once per body canonicalization instead of once per signature (two
 * signatures with the same c= body part and no l= have the same body hash,
 * and a verifier may compute it once).  Output is "key value" words.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

static void
die(const char *what)
{
	fprintf(stderr, "ceiling: %s\n", what);
	ERR_print_errors_fp(stderr);
	exit(1);
}

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double
rsa_rate(double secs)
{
	EVP_PKEY	*pkey;
	EVP_PKEY_CTX	*sctx, *vctx;
	unsigned char	 md[32], sig[256];
	size_t		 siglen = sizeof(sig);
	double		 t0, t, best = 0;
	unsigned long	 n;
	int		 run;

	memset(md, 0x5a, sizeof(md));
	if ((pkey = EVP_RSA_gen(2048)) == NULL)
		die("EVP_RSA_gen");
	if ((sctx = EVP_PKEY_CTX_new(pkey, NULL)) == NULL ||
	    EVP_PKEY_sign_init(sctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(sctx, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(sctx, EVP_sha256()) <= 0 ||
	    EVP_PKEY_sign(sctx, sig, &siglen, md, sizeof(md)) <= 0)
		die("RSA sign");
	if ((vctx = EVP_PKEY_CTX_new(pkey, NULL)) == NULL ||
	    EVP_PKEY_verify_init(vctx) <= 0 ||
	    EVP_PKEY_CTX_set_rsa_padding(vctx, RSA_PKCS1_PADDING) <= 0 ||
	    EVP_PKEY_CTX_set_signature_md(vctx, EVP_sha256()) <= 0)
		die("RSA verify init");
	for (run = 0; run < 3; run++) {
		t0 = cpu_now();
		n = 0;
		do {
			int k;

			for (k = 0; k < 64; k++, n++)
				if (EVP_PKEY_verify(vctx, sig, siglen, md,
				    sizeof(md)) != 1)
					die("RSA verify");
		} while ((t = cpu_now() - t0) < secs);
		if ((double)n / t > best)
			best = (double)n / t;
	}
	EVP_PKEY_CTX_free(sctx);
	EVP_PKEY_CTX_free(vctx);
	EVP_PKEY_free(pkey);
	return best;
}

static double
ed_rate(double secs)
{
	EVP_PKEY	*pkey;
	EVP_MD_CTX	*ctx;
	unsigned char	 md[32], sig[64];
	size_t		 siglen = sizeof(sig);
	double		 t0, t, best = 0;
	unsigned long	 n;
	int		 run;

	memset(md, 0xa5, sizeof(md));
	if ((pkey = EVP_PKEY_Q_keygen(NULL, NULL, "ED25519")) == NULL)
		die("ED25519 keygen");
	if ((ctx = EVP_MD_CTX_new()) == NULL ||
	    EVP_DigestSignInit(ctx, NULL, NULL, NULL, pkey) <= 0 ||
	    EVP_DigestSign(ctx, sig, &siglen, md, sizeof(md)) <= 0)
		die("ED25519 sign");
	for (run = 0; run < 3; run++) {
		t0 = cpu_now();
		n = 0;
		do {
			int k;

			for (k = 0; k < 64; k++, n++) {
				EVP_MD_CTX_reset(ctx);
				if (EVP_DigestVerifyInit(ctx, NULL, NULL, NULL,
				    pkey) <= 0 ||
				    EVP_DigestVerify(ctx, sig, siglen, md,
				    sizeof(md)) != 1)
					die("ED25519 verify");
			}
		} while ((t = cpu_now() - t0) < secs);
		if ((double)n / t > best)
			best = (double)n / t;
	}
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return best;
}

static double
sha_rate(double secs)
{
	static unsigned char	 buf[32768];
	EVP_MD_CTX		*ctx;
	unsigned char		 md[32];
	unsigned int		 mdlen;
	double			 t0, t, best = 0;
	unsigned long		 n;
	size_t			 i;
	int			 run;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		die("EVP_MD_CTX_new");
	for (run = 0; run < 3; run++) {
		t0 = cpu_now();
		n = 0;
		do {
			int k;

			for (k = 0; k < 64; k++, n++)
				if (!EVP_DigestInit_ex(ctx, EVP_sha256(),
				    NULL) ||
				    !EVP_DigestUpdate(ctx, buf, sizeof(buf)) ||
				    !EVP_DigestFinal_ex(ctx, md, &mdlen))
					die("SHA-256");
		} while ((t = cpu_now() - t0) < secs);
		if ((double)n * sizeof(buf) / t > best)
			best = (double)n * sizeof(buf) / t;
	}
	EVP_MD_CTX_free(ctx);
	return best;
}

static void
usage(void)
{
	fprintf(stderr, "usage: ceiling [-t SECONDS] MANIFEST COUNT...\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	double		 secs = 0.5, rsa, ed, sha, cost, cost_sh, bytes;
	unsigned long	 want, n, nrsa, ned, b, h, hs;
	char		 line[4096], file[1024], *end;
	FILE		*f;
	int		 ch, a;

	while ((ch = getopt(argc, argv, "t:")) != -1) {
		switch (ch) {
		case 't':
			secs = strtod(optarg, &end);
			if (*end != '\0' || secs <= 0 || secs > 60)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 2)
		usage();

	rsa = rsa_rate(secs);
	ed = ed_rate(secs);
	sha = sha_rate(secs);
	printf("rsa2048_verify_per_s %.0f\n", rsa);
	printf("ed25519_verify_per_s %.0f\n", ed);
	printf("sha256_bytes_per_s %.0f\n", sha);

	for (a = 1; a < argc; a++) {
		want = strtoul(argv[a], &end, 10);
		if (*end != '\0' || want == 0)
			usage();
		if ((f = fopen(argv[0], "r")) == NULL)
			die("cannot open the manifest");
		n = nrsa = ned = 0;
		cost = cost_sh = bytes = 0;
		if (fgets(line, sizeof(line), f) == NULL)	/* header */
			die("empty manifest");
		while (n < want && fgets(line, sizeof(line), f) != NULL) {
			unsigned long r, e;

			if (sscanf(line, "%1023s %lu %lu %lu %lu %lu", file, &b,
			    &r, &e, &h, &hs) != 6)
				die("bad manifest line");
			cost += (double)r / rsa + (double)e / ed +
			    (double)h / sha;
			cost_sh += (double)r / rsa + (double)e / ed +
			    (double)hs / sha;
			bytes += (double)b;
			nrsa += r;
			ned += e;
			n++;
		}
		fclose(f);
		if (n < want)
			die("manifest shorter than COUNT");
		printf("set %lu messages %lu avg_bytes %.0f rsa_sigs %lu "
		    "ed25519_sigs %lu ceiling_msgs_per_s %.1f "
		    "ceiling_shared_msgs_per_s %.1f\n", want, n,
		    bytes / (double)n, nrsa, ned, (double)n / cost,
		    (double)n / cost_sh);
	}
	return 0;
}
