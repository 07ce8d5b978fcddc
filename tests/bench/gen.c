/* SPDX-License-Identifier: ISC */
/*
 * gen: the benchmark's message generator (tests/bench/run.sh builds and runs
 * it; see tests/bench/README.md).  This file is the model and main; gen.h
 * names the other parts.
 *
 *	gen -k KEYDIR -o SETDIR -n COUNT [-s SEED]
 *
 * Writes, deterministically from SEED:
 *   KEYDIR/rsa-NNN.pem, KEYDIR/ed-NN.pem	private keys (kept: a cache)
 *   SETDIR/msg/NNNNNN.eml			COUNT messages, CRLF line ends
 *   SETDIR/keys.zone				every public key, master format
 *   SETDIR/list.txt				the message files, in order
 *   SETDIR/manifest.tsv			per message: size, signatures,
 *						bytes a verifier must hash
 *						(body hashed per signature, and
 *						once per body canonicalization)
 *
 * The model is the "DKIM Core for an ESP" practice of the design: each
 * message is signed rsa-sha256 (2048 bits) by its customer (d=<customer>,
 * s=<mon><yyyy>.myesp, two selectors per customer for rotation) and by the
 * ESP's feedback-loop token (d=fbl.myesp.com, two selectors); the customers
 * that opted in to RFC 8463 add an ed25519-sha256 signature.  Bodies mix
 * text/plain, multipart/alternative (quoted-printable HTML) and
 * multipart/mixed with base64 attachments, 2 to 60 KB in all.
 *
 * Signing is done here with OpenSSL, never with fblscope, so the set is
 * independent evidence.  Keys are derived from a small non-cryptographic
 * PRNG (they are throwaway benchmark keys) so that every machine builds the
 * very same set; generating them is slow, hence the key cache.  Message i
 * depends only on SEED and i, so a smaller set is a prefix of a larger one.
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "gen.h"

const char *const sel_names[NCUST_SEL] = {
	"jan2025.myesp", "feb2025.myesp"
};
static const long sel_month_start[NCUST_SEL] = {
	1735689600L,			/* 2025-01-01T00:00:00Z */
	1738368000L,			/* 2025-02-01T00:00:00Z */
};
static const long sel_month_days[NCUST_SEL] = { 31, 28 };

static const char *const brands[] = {
	"acme", "globex", "initech", "umbrella", "hooli", "vandelay",
	"stark", "wayne", "wonka", "tyrell", "cyberdyne", "soylent",
	"oscorp", "nakatomi", "duff", "gringotts", "monarch", "aperture",
	"blackmesa", "contoso", "fabrikam", "northwind", "tailspin",
	"wideworld", "adventure",
};
#define NBRANDS	(sizeof(brands) / sizeof(brands[0]))

void
cust_domain(char *dst, size_t len, unsigned c)
{
	path_fmt(dst, len, "%s-%03u.example", brands[c % NBRANDS], c);
}

/* ---- message model ---- */

static struct sbuf *
msg_field(struct msg *m)
{
	if (m->nf == MAX_FIELDS)
		die("too many fields");
	sb_reset(&m->f[m->nf]);
	return &m->f[m->nf++];
}

enum kind { K_TEXT, K_ALT, K_MIXED };

static const char *const wday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const mon[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

static void
rfc5322_date(char *dst, size_t len, long t)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL)
		die("gmtime_r");
	path_fmt(dst, len, "%s, %d %s %d %02d:%02d:%02d +0000",
	    wday[tm.tm_wday], tm.tm_mday, mon[tm.tm_mon], tm.tm_year + 1900,
	    tm.tm_hour, tm.tm_min, tm.tm_sec);
}

struct stats {
	unsigned long long	 bytes, rsa, ed, kinds[3];
};

#define H_CUST	"from:to:subject:date:message-id:mime-version:content-type:" \
		"list-unsubscribe:list-unsubscribe-post"
#define H_ESP	"from:from:to:subject:date:message-id:content-type:" \
		"feedback-id:list-unsubscribe"
#define H_ED	"from:to:subject:date:message-id:mime-version:content-type"

static void
gen_message(const struct keys *k, uint64_t seed, unsigned long i,
    const char *setdir, FILE *manifest, FILE *list, struct stats *st)
{
	static struct msg	 m;
	static struct sbuf	 sigs[3], subj;
	struct rng		 r;
	struct sigspec		 sp[3];
	struct body_hash	 bhr, bhs;
	enum kind		 kind;
	size_t			 target, budget, hashed[3], nsig = 0, j, total;
	size_t			 hashed_all = 0, hashed_shared, att, natt;
	size_t			 a, col;
	unsigned		 c, csel, esel, mta, nw, ed = 0, ned = 0;
	char			 dom[128], bound0[48], bound1[48], tok[40];
	char			 date[64], path[4096], url[160], brand[64];
	long			 t;
	FILE			*f;
	double			 u;
	const char		*cte;

	rng_seed(&r, seed, 0x4d53470000000000ULL + i);
	target = 2048 + rng_below(&r, 59 * 1024 + 1);
	u = rng_unit(&r);
	c = (unsigned)(u * u * NCUST);	/* big customers send more */
	cust_domain(dom, sizeof(dom), c);
	path_fmt(brand, sizeof(brand), "%s%u", brands[c % NBRANDS], c);
	csel = rng_below(&r, 10) < 3 ? 0 : 1;	/* rotation in progress */
	esel = rng_below(&r, 10) < 4 ? 0 : 1;
	t = sel_month_start[csel] + (long)rng_below(&r,
	    (uint32_t)(sel_month_days[csel] * 86400));
	mta = 1 + rng_below(&r, 64);
	rfc5322_date(date, sizeof(date), t);
	token(&r, bound0, 29);
	token(&r, bound1, 29);
	token(&r, tok, 24);
	path_fmt(url, sizeof(url), "https://click.myesp.com/ls/click?u=%s&n=",
	    tok);

	m.nf = 0;
	sb_reset(&m.body);
	sb_printf(msg_field(&m), "Return-Path: <bounces+%lu-%s-user%u="
	    "isp.example@em.myesp.com>", i, tok, rng_below(&r, 1000000));
	sb_printf(msg_field(&m), "Received: from mta%u.myesp.com "
	    "(mta%u.myesp.com [198.51.100.%u])\r\n\tby mx%u.isp.example "
	    "(Postfix) with ESMTPS id %.12s\r\n\tfor <user%u@isp.example>; %s",
	    mta, mta, mta, 1 + rng_below(&r, 8), tok, rng_below(&r, 1000000),
	    date);
	sb_printf(msg_field(&m), "Received: from app%u.myesp.internal "
	    "(app%u.myesp.internal [10.1.2.%u])\r\n\tby mta%u.myesp.com "
	    "(MyESP MTA) with ESMTP; %s", mta % 8, mta % 8, mta % 8, mta,
	    date);
	m.sig_at = m.nf;
	sb_printf(msg_field(&m), "From: \"%c%s News\" <news@%s>",
	    toupper((unsigned char)brands[c % NBRANDS][0]),
	    brands[c % NBRANDS] + 1, dom);
	if (rng_below(&r, 3) == 0)
		sb_printf(msg_field(&m), "Reply-To: <support@%s>", dom);
	sb_printf(msg_field(&m), "To: <user%u@isp.example>",
	    rng_below(&r, 1000000));
	sb_reset(&subj);
	nw = 4 + rng_below(&r, 14);
	for (j = 0, col = 9; j < nw; j++) {
		const char *w = word(&r);

		if (j > 0) {
			if (col + 1 + strlen(w) > 76) {
				sb_puts(&subj, "\r\n");
				col = 0;
			}
			sb_putc(&subj, ' ');
			col++;
		}
		sb_puts(&subj, w);
		col += strlen(w);
	}
	subj.p[0] = (char)toupper((unsigned char)subj.p[0]);
	sb_printf(msg_field(&m), "Subject: %s", subj.p);
	sb_printf(msg_field(&m), "Date: %s", date);
	sb_printf(msg_field(&m), "Message-ID: <%lu.%s@mta%u.myesp.com>", i,
	    tok, mta);
	sb_puts(msg_field(&m), "MIME-Version: 1.0");

	budget = target > 4096 ? target - 2600 : 1500;
	if (budget < 8192)
		kind = rng_below(&r, 10) < 3 ? K_TEXT : K_ALT;
	else {
		a = rng_below(&r, 20);
		kind = a < 2 ? K_TEXT : a < 13 ? K_ALT : K_MIXED;
	}
	st->kinds[kind]++;
	cte = NULL;
	switch (kind) {
	case K_TEXT:
		sb_puts(msg_field(&m), "Content-Type: text/plain; "
		    "charset=utf-8");
		cte = "7bit";
		gen_text(&m.body, &r, budget, url);
		break;
	case K_ALT:
		sb_printf(msg_field(&m), "Content-Type: multipart/alternative;"
		    "\r\n\tboundary=\"%s\"", bound1);
		sb_puts(&m.body, "This is a multi-part message in MIME "
		    "format.\r\n\r\n");
		gen_alternative(&m.body, &r, budget, bound1, brand, url);
		break;
	case K_MIXED:
		sb_printf(msg_field(&m), "Content-Type: multipart/mixed;"
		    "\r\n\tboundary=\"%s\"", bound0);
		att = budget * (40 + rng_below(&r, 36)) / 100;
		natt = 1 + rng_below(&r, 2);
		sb_printf(&m.body, "This is a multi-part message in MIME "
		    "format.\r\n\r\n--%s\r\nContent-Type: "
		    "multipart/alternative;\r\n\tboundary=\"%s\"\r\n\r\n",
		    bound0, bound1);
		gen_alternative(&m.body, &r, budget - att, bound1, brand, url);
		for (a = 0; a < natt; a++) {
			int pdf = rng_below(&r, 2) == 0;
			unsigned no = rng_below(&r, 100000);

			sb_printf(&m.body, "\r\n--%s\r\nContent-Type: %s;"
			    " name=\"%s-%05u.%s\"\r\nContent-Disposition: "
			    "attachment; filename=\"%s-%05u.%s\"\r\n"
			    "Content-Transfer-Encoding: base64\r\n\r\n",
			    bound0, pdf ? "application/pdf" : "image/png",
			    pdf ? "invoice" : "image", no, pdf ? "pdf" : "png",
			    pdf ? "invoice" : "image", no, pdf ? "pdf" : "png");
			gen_base64(&m.body, &r, att / natt * 3 / 4);
		}
		sb_printf(&m.body, "\r\n--%s--\r\n", bound0);
		break;
	}
	if (cte != NULL)
		sb_printf(msg_field(&m), "Content-Transfer-Encoding: %s", cte);
	token(&r, tok, 33);
	sb_printf(msg_field(&m), "List-Unsubscribe: "
	    "<https://unsub.myesp.com/u/%s>,\r\n <mailto:unsub-%s@"
	    "unsub.myesp.com>", tok, tok);
	sb_puts(msg_field(&m), "List-Unsubscribe-Post: "
	    "List-Unsubscribe=One-Click");
	sb_printf(msg_field(&m), "Feedback-ID: %u:%u:newsletter:myesp",
	    rng_below(&r, 100000), c);
	sb_puts(msg_field(&m), "X-Mailer: MyESP Mailer 3.2");

	/* signatures: customer first, ESP on top, ed25519 on top of that */
	memset(sp, 0, sizeof(sp));
	a = rng_below(&r, 20);
	sp[0].hrelaxed = a >= 1;		/* 5 % simple/simple */
	sp[0].brelaxed = a >= 3;		/* 10 % relaxed/simple */
	sp[0].d = dom;
	sp[0].s = sel_names[csel];
	sp[0].h = H_CUST;
	sp[0].key = k->rsa[c * NCUST_SEL + csel];
	sp[0].t = t;
	sp[1].hrelaxed = sp[1].brelaxed = 1;
	sp[1].d = ESP_DOMAIN;
	sp[1].s = sel_names[esel];
	sp[1].h = H_ESP;
	sp[1].key = k->rsa[NCUST * NCUST_SEL + esel];
	sp[1].t = t;
	nsig = 2;
	if (c % ED_EVERY == 3) {
		ed = c / ED_EVERY;
		if (ed < NED) {
			sp[2].ed = 1;
			sp[2].hrelaxed = sp[2].brelaxed = 1;
			sp[2].d = dom;
			sp[2].s = ED_SELECTOR;
			sp[2].h = H_ED;
			sp[2].key = k->ed[ed];
			sp[2].t = t;
			nsig = 3;
			ned = 1;
		}
	}
	bhr.len = bhs.len = (size_t)-1;
	hashed_shared = 0;
	for (j = 0; j < nsig; j++) {
		sign(&m, &sp[j], &sigs[j], &hashed[j], &bhr, &bhs);
		hashed_all += hashed[j] + (sp[j].brelaxed ? bhr.len : bhs.len);
		hashed_shared += hashed[j];
	}
	if (bhr.len != (size_t)-1)
		hashed_shared += bhr.len;
	if (bhs.len != (size_t)-1)
		hashed_shared += bhs.len;

	path_fmt(path, sizeof(path), "%s/msg/%06lu.eml", setdir, i);
	if ((f = fopen(path, "wb")) == NULL)
		die("%s: %s", path, strerror(errno));
	total = 0;
	for (j = 0; j < m.nf; j++) {
		if (j == m.sig_at) {
			size_t s;

			for (s = nsig; s-- > 0;) {
				fwrite(sigs[s].p, 1, sigs[s].len, f);
				fwrite("\r\n", 1, 2, f);
				total += sigs[s].len + 2;
			}
		}
		fwrite(m.f[j].p, 1, m.f[j].len, f);
		fwrite("\r\n", 1, 2, f);
		total += m.f[j].len + 2;
	}
	fwrite("\r\n", 1, 2, f);
	fwrite(m.body.p, 1, m.body.len, f);
	total += 2 + m.body.len;
	if (ferror(f) || fclose(f) != 0)
		die("%s: write error", path);

	fprintf(manifest, "msg/%06lu.eml\t%zu\t%zu\t%u\t%zu\t%zu\n", i,
	    total, nsig - ned, ned, hashed_all, hashed_shared);
	fprintf(list, "msg/%06lu.eml\n", i);
	st->bytes += total;
	st->rsa += nsig - ned;
	st->ed += ned;
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen -k KEYDIR -o SETDIR -n COUNT "
	    "[-s SEED]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	static struct keys	 k;
	const char		*keydir = NULL, *setdir = NULL;
	char			 path[4096];
	unsigned long		 n = 0, i;
	uint64_t		 seed = 20250211;
	FILE			*manifest, *list;
	struct stats		 st;
	int			 ch;
	time_t			 t0;
	char			*end;

	while ((ch = getopt(argc, argv, "k:n:o:s:")) != -1) {
		switch (ch) {
		case 'k':
			keydir = optarg;
			break;
		case 'n':
			n = strtoul(optarg, &end, 10);
			if (*end != '\0' || n == 0 || n > 999999)
				usage();
			break;
		case 'o':
			setdir = optarg;
			break;
		case 's':
			seed = strtoull(optarg, &end, 10);
			if (*end != '\0')
				usage();
			break;
		default:
			usage();
		}
	}
	if (keydir == NULL || setdir == NULL || n == 0 || optind != argc)
		usage();

	load_keys(&k, keydir, seed);
	if (mkdir(setdir, 0755) != 0 && errno != EEXIST)
		die("%s: %s", setdir, strerror(errno));
	path_fmt(path, sizeof(path), "%s/msg", setdir);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("%s: %s", path, strerror(errno));
	path_fmt(path, sizeof(path), "%s/keys.zone", setdir);
	write_zone(&k, path, seed);
	path_fmt(path, sizeof(path), "%s/manifest.tsv", setdir);
	if ((manifest = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	fprintf(manifest, "file\tbytes\trsa_sigs\ted25519_sigs\t"
	    "hashed_bytes\thashed_bytes_shared\n");
	path_fmt(path, sizeof(path), "%s/list.txt", setdir);
	if ((list = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));

	memset(&st, 0, sizeof(st));
	t0 = time(NULL);
	for (i = 0; i < n; i++) {
		gen_message(&k, seed, i, setdir, manifest, list, &st);
		if ((i + 1) % 5000 == 0 && i + 1 < n)
			fprintf(stderr, "gen: %lu/%lu messages (%lds)\n", i + 1,
			    n, (long)(time(NULL) - t0));
	}
	if (fclose(manifest) != 0 || fclose(list) != 0)
		die("manifest: write error");
	fprintf(stderr, "gen: %lu messages, %.1f MB, %llu rsa-sha256 + %llu "
	    "ed25519-sha256 signatures (text %llu, alternative %llu, "
	    "mixed %llu) in %lds\n", n, (double)st.bytes / 1e6, st.rsa, st.ed,
	    st.kinds[K_TEXT], st.kinds[K_ALT], st.kinds[K_MIXED],
	    (long)(time(NULL) - t0));
	for (i = 0; i < NRSA; i++)
		EVP_PKEY_free(k.rsa[i]);
	for (i = 0; i < NED; i++)
		EVP_PKEY_free(k.ed[i]);
	return 0;
}
