/* SPDX-License-Identifier: ISC */
/*
 * ceiling: what this core can do at best for the benchmark's work, timed
 * with OpenSSL's EVP calls, and the resulting messages per second for the
 * generated set.
 *
 *	ceiling [-t SECONDS] MANIFEST COUNT...
 *
 * Measures, on the calling thread (pin it with taskset), in CPU time and
 * in wall-clock time (each rate on both clocks over the same loop):
 *   - RSA-2048 PKCS#1 v1.5 verifications per second (EVP_PKEY_verify of a
 *     SHA-256 digest, context set up once, as `openssl speed rsa2048` does);
 *   - Ed25519 verifications per second (EVP_DigestVerify of a 32-byte
 *     digest, as ed25519-sha256 does, one EVP_DigestVerifyInit each);
 *   - SHA-256 throughput (EVP_DigestInit/Update/Final over 32 KB buffers).
 * Each is the best of three runs of SECONDS (default 0.5).
 *
 * Then, for the first COUNT messages of MANIFEST (gen.c's manifest.tsv),
 * the strict ceiling: the unavoidable work of message i is its signatures'
 * public-key operations and one SHA-256 pass over its bytes,
 *	t_i = rsa_i / rsa_rate + ed_i / ed_rate + bytes_i / sha_rate
 * and the ceiling is COUNT / sum(t_i) messages per second
 * (ceiling_strict_msgs_per_s, and _wall_ with the wall-clock rates).
 * Every signature's data is derived from the message, and no verifier can
 * hash less than the message once: a verifier that did nothing else would
 * reach it.
 *
 * The older definitions, kept for continuity: ceiling_msgs_per_s charges
 * hashed_bytes_i (canonical body plus canonical header bytes of each
 * signature, summed over its signatures) instead of bytes_i, and
 * ceiling_shared_msgs_per_s counts each message's body once per body
 * canonicalization instead of once per signature (two signatures with the
 * same c= body part and no l= have the same body hash).  Output is "key
 * value" words.
 */

#include <sys/types.h>

#include <errno.h>
#include <stdbool.h>
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

/* A rate on both clocks: operations (or bytes) per CPU and wall second. */
struct rate {
	double	 cpu;
	double	 wall;
};

static double
clock_now(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* One timed run: since c0/w0, n units of work; the best of each clock kept. */
struct timing {
	double	 c0, w0;
};

static void
timing_start(struct timing *t)
{
	t->c0 = clock_now(CLOCK_PROCESS_CPUTIME_ID);
	t->w0 = clock_now(CLOCK_MONOTONIC);
}

/* CPU seconds since the start; done once that reaches secs. */
static double
timing_cpu(const struct timing *t)
{
	return clock_now(CLOCK_PROCESS_CPUTIME_ID) - t->c0;
}

static void
timing_keep(const struct timing *t, double cpu, double work, struct rate *best)
{
	double	 wall = clock_now(CLOCK_MONOTONIC) - t->w0;

	if (cpu > 0 && work / cpu > best->cpu)
		best->cpu = work / cpu;
	if (wall > 0 && work / wall > best->wall)
		best->wall = work / wall;
}

static struct rate
rsa_rate(double secs)
{
	EVP_PKEY	*pkey;
	EVP_PKEY_CTX	*sctx, *vctx;
	unsigned char	 md[32], sig[256];
	size_t		 siglen = sizeof(sig);
	struct timing	 tm;
	struct rate	 best = { 0, 0 };
	double		 t;
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
		timing_start(&tm);
		n = 0;
		do {
			int k;

			for (k = 0; k < 64; k++, n++)
				if (EVP_PKEY_verify(vctx, sig, siglen, md,
				    sizeof(md)) != 1)
					die("RSA verify");
		} while ((t = timing_cpu(&tm)) < secs);
		timing_keep(&tm, t, (double)n, &best);
	}
	EVP_PKEY_CTX_free(sctx);
	EVP_PKEY_CTX_free(vctx);
	EVP_PKEY_free(pkey);
	return best;
}

static struct rate
ed_rate(double secs)
{
	EVP_PKEY	*pkey;
	EVP_MD_CTX	*ctx;
	unsigned char	 md[32], sig[64];
	size_t		 siglen = sizeof(sig);
	struct timing	 tm;
	struct rate	 best = { 0, 0 };
	double		 t;
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
		timing_start(&tm);
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
		} while ((t = timing_cpu(&tm)) < secs);
		timing_keep(&tm, t, (double)n, &best);
	}
	EVP_MD_CTX_free(ctx);
	EVP_PKEY_free(pkey);
	return best;
}

static struct rate
sha_rate(double secs)
{
	static unsigned char	 buf[32768];
	EVP_MD_CTX		*ctx;
	unsigned char		 md[32];
	unsigned int		 mdlen;
	struct timing		 tm;
	struct rate		 best = { 0, 0 };
	double			 t;
	unsigned long		 n;
	size_t			 i;
	int			 run;

	for (i = 0; i < sizeof(buf); i++)
		buf[i] = (unsigned char)(i * 131 + 7);
	if ((ctx = EVP_MD_CTX_new()) == NULL)
		die("EVP_MD_CTX_new");
	for (run = 0; run < 3; run++) {
		timing_start(&tm);
		n = 0;
		do {
			int k;

			for (k = 0; k < 64; k++, n++)
				if (!EVP_DigestInit_ex(ctx, EVP_sha256(),
				    NULL) ||
				    !EVP_DigestUpdate(ctx, buf, sizeof(buf)) ||
				    !EVP_DigestFinal_ex(ctx, md, &mdlen))
					die("SHA-256");
		} while ((t = timing_cpu(&tm)) < secs);
		timing_keep(&tm, t, (double)n * sizeof(buf), &best);
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

/* Seconds of the ideal work for counts of operations and bytes. */
static double
cost_of(const struct rate *rsa, const struct rate *ed, const struct rate *sha,
    bool wall, double r, double e, double bytes)
{
	if (wall)
		return r / rsa->wall + e / ed->wall + bytes / sha->wall;
	return r / rsa->cpu + e / ed->cpu + bytes / sha->cpu;
}

int
main(int argc, char *argv[])
{
	struct rate	 rsa, ed, sha;
	double		 secs = 0.5, cost, cost_sh, cost_st, cost_stw, bytes;
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
	printf("rsa2048_verify_per_s %.0f\n", rsa.cpu);
	printf("ed25519_verify_per_s %.0f\n", ed.cpu);
	printf("sha256_bytes_per_s %.0f\n", sha.cpu);
	printf("rsa2048_verify_per_wall_s %.0f\n", rsa.wall);
	printf("ed25519_verify_per_wall_s %.0f\n", ed.wall);
	printf("sha256_bytes_per_wall_s %.0f\n", sha.wall);

	for (a = 1; a < argc; a++) {
		want = strtoul(argv[a], &end, 10);
		if (*end != '\0' || want == 0)
			usage();
		if ((f = fopen(argv[0], "r")) == NULL)
			die("cannot open the manifest");
		n = nrsa = ned = 0;
		cost = cost_sh = cost_st = cost_stw = bytes = 0;
		if (fgets(line, sizeof(line), f) == NULL)	/* header */
			die("empty manifest");
		while (n < want && fgets(line, sizeof(line), f) != NULL) {
			unsigned long r, e;

			if (sscanf(line, "%1023s %lu %lu %lu %lu %lu", file, &b,
			    &r, &e, &h, &hs) != 6)
				die("bad manifest line");
			cost += cost_of(&rsa, &ed, &sha, false, r, e, h);
			cost_sh += cost_of(&rsa, &ed, &sha, false, r, e, hs);
			cost_st += cost_of(&rsa, &ed, &sha, false, r, e, b);
			cost_stw += cost_of(&rsa, &ed, &sha, true, r, e, b);
			bytes += (double)b;
			nrsa += r;
			ned += e;
			n++;
		}
		fclose(f);
		if (n < want)
			die("manifest shorter than COUNT");
		printf("set %lu messages %lu avg_bytes %.0f rsa_sigs %lu "
		    "ed25519_sigs %lu ceiling_strict_msgs_per_s %.1f "
		    "ceiling_strict_wall_msgs_per_s %.1f "
		    "ceiling_msgs_per_s %.1f ceiling_shared_msgs_per_s %.1f\n",
		    want, n, bytes / (double)n, nrsa, ned,
		    (double)n / cost_st, (double)n / cost_stw,
		    (double)n / cost, (double)n / cost_sh);
	}
	return 0;
}
