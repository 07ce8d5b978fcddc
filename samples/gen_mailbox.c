/* SPDX-License-Identifier: ISC */
/*
 * gen_mailbox: a generated feedback-loop mailbox (samples/mailbox.sh builds
 * and runs it; samples/README.md describes the output).
 *
 *	gen_mailbox -o OUTDIR [-n COUNT] [-s SEED]
 *
 * Writes, deterministically from SEED (default 1):
 *   OUTDIR/keycache/rsa-SEED-NNN.pem	private keys (RSA 1024, kept: a cache)
 *   OUTDIR/keys.zone			the published keys (oct2026, nov2026)
 *   OUTDIR/archived-keys.zone		the rotated-away keys (sep2026)
 *   OUTDIR/fblscope.conf		a configuration fragment for them
 *   OUTDIR/Maildir/{new,cur,tmp}/	COUNT messages, one file each
 *   OUTDIR/mailbox.mbox		the same messages, mboxrd
 *   OUTDIR/manifest.tsv		one row per message: what it is and
 *					what verifying it must give
 *
 * The mail is the "DKIM Core for an ESP" practice of the design: each
 * original is signed by its customer (d=customerNN.example) and by the ESP's
 * feedback-loop token (d=fbl.myesp.example), same selector <mon>2026.myesp.
 * The reports are RFC 5965 feedback reports from several ISPs about those
 * originals; some are damaged or forged the way real ones are (see the
 * categories in samples/README.md).  Signing is done here with OpenSSL, never with
 * fblscope, and the manifest is written from what was generated, so the
 * set is independent evidence.  Message i depends only on SEED, COUNT
 * and i.
 *
 * This file makes the reports and holds main; gen_mailbox.h names the other
 * parts.
 */

#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "gen_mailbox.h"

const char *const sel_names[NSEL] = {
	"sep2026.myesp", "oct2026.myesp", "nov2026.myesp"
};

struct isp {
	const char	*from;		/* report From address */
	const char	*domain;	/* recipients' domain */
	const char	*agent;		/* User-Agent */
	const char	*reporter;	/* what fblscope's table calls it */
	int		 redacts;	/* To / Original-Rcpt-To redacted */
	unsigned	 weight;
};

static const struct isp isps[] = {
	{ "\"Yahoo! Mail AntiSpam Feedback\" <feedback@arf.mail.yahoo.com>",
	    "yahoo.com", "Yahoo!-Mail-Feedback/2.0", "yahoo", 0, 30 },
	{ "<scomp@aol.com>", "aol.com", "AOL SComp", "aol", 1, 12 },
	{ "\"Outlook.com Feedback\" <staff@hotmail.com>", "hotmail.com",
	    "Microsoft JMRP/1.0", "microsoft", 1, 10 },
	{ "<jmrp@outlook.com>", "outlook.com", "Microsoft JMRP/1.0",
	    "microsoft", 1, 6 },
	{ "<feedbackloop@comcast.net>", "comcast.net",
	    "comcast Feedback Loop (V0.01)", "comcast", 0, 12 },
	{ "<abuse-report@cox.net>", "cox.net", "Cox-FBL/1.0", "cox", 0, 8 },
	{ "<abuse_rpt@att.net>", "att.net", "ATT-FBL/1.0", "att", 0, 8 },
	{ "<fblrelay@earthlink.net>", "earthlink.net", "Earthlink-FBL/1.0",
	    "earthlink", 0, 6 },
	{ "<fbl@gmx.net>", "gmx.net", "GMX-FBL/1.0", "gmx", 0, 8 },
};
#define NISPS	(sizeof(isps) / sizeof(isps[0]))

static const char *const words[] = {
	"winter", "offer", "sale", "news", "your", "order", "new", "season",
	"collection", "free", "shipping", "today", "only", "last", "chance",
	"members", "exclusive", "deals", "week", "catalogue", "back", "stock",
	"discover", "save", "more", "gift", "ideas", "for", "the", "and",
	"our", "best", "picks", "limited", "time", "update", "account",
	"newsletter", "november", "event",
};
#define NWORDS	(sizeof(words) / sizeof(words[0]))

static const char *const wday[] = {
	"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"
};
static const char *const mon[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

FILE *
open_out(const char *out, const char *name)
{
	char	 path[4200];
	FILE	*f;

	path_fmt(path, sizeof(path), "%s/%s", out, name);
	if ((f = fopen(path, "w")) == NULL)
		die("%s: %s", path, strerror(errno));
	return f;
}

void
close_out(FILE *f, const char *name)
{
	if (ferror(f) || fclose(f) != 0)
		die("%s: write error", name);
}

/* ---- the mailbox ---- */

static const char *const cat_names[] = {
	"complaint", "headers-only", "redacted", "rotated", "forged",
	"garbage"
};

static const char *const ftypes[] = {
	"abuse", "opt-out", "not-spam", "fraud", "virus", "auth-failure"
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

void
day_str(char *dst, size_t len, long t)
{
	time_t		 tt = (time_t)t;
	struct tm	 tm;

	if (gmtime_r(&tt, &tm) == NULL)
		die("gmtime_r");
	path_fmt(dst, len, "%04d-%02d-%02d", tm.tm_year + 1900, tm.tm_mon + 1,
	    tm.tm_mday);
}

static const struct isp *
pick_isp(struct rng *r, int redacting)
{
	unsigned	 total = 0, x, i;

	for (i = 0; i < NISPS; i++)
		if (isps[i].redacts == redacting)
			total += isps[i].weight;
	x = rng_below(r, total);
	for (i = 0; i < NISPS; i++) {
		if (isps[i].redacts != redacting)
			continue;
		if (x < isps[i].weight)
			return &isps[i];
		x -= isps[i].weight;
	}
	die("pick_isp");
}

#define H_CUST	"from:to:subject:date:message-id:mime-version:content-type"
#define H_ESP	"from:to:subject:date:message-id:feedback-id"
#define H_CFBL	H_ESP ":cfbl-address:cfbl-feedback-id"

/*
 * The campaign of message i, by i alone (no draw of the PRNG): 1 for half
 * the messages, 2 for three in ten, 3 and 4 for one in ten each; its
 * Feedback-ID "cN:cust-NN:myesp", and for a customer whose number is a
 * multiple of CFBL_EVERY a CFBL-Feedback-ID "cust-NN/cN" too (else "-").
 */
static void
campaign_ids(unsigned long i, unsigned cust, char fbid[48], char cfbl[48])
{
	unsigned	 k = (unsigned)(i % 10);
	unsigned	 c = k < 5 ? 1 : k < 8 ? 2 : k < 9 ? 3 : 4;

	path_fmt(fbid, 48, "c%u:cust-%02u:myesp", c, cust);
	if (cust % CFBL_EVERY == 0)
		path_fmt(cfbl, 48, "cust-%02u/c%u", cust, c);
	else
		strcpy(cfbl, "-");
}

/*
 * Build the original (header block + CRLF + body) into orig.  sigs: 0 none,
 * 1 customer only, 2 both.  ckey/ekey: the keys used.
 */
static void
make_original(struct rng *r, unsigned long i, unsigned cust, unsigned s,
    long sent, const struct isp *isp, int sigs, unsigned ckey, unsigned ekey,
    struct sbuf *orig, char rcpt[96], char mailfrom[128], struct row *w)
{
	static struct msg	 m;
	static struct sbuf	 csig, esig;
	char			 dom[64], date[64], tok[24];
	unsigned		 j, nw, user;

	path_fmt(dom, sizeof(dom), "customer%02u.example", cust);
	rfc5322_date(date, sizeof(date), sent);
	token(r, tok, sizeof(tok));
	user = rng_below(r, 1000000);
	path_fmt(rcpt, 96, "user%06u@%s", user, isp->domain);
	path_fmt(mailfrom, 128, "bounces+%lu-%s@em.myesp.example", i, tok);

	m.nf = 0;
	sb_reset(&m.f[m.nf]);
	sb_printf(&m.f[m.nf++], "From: \"Customer %02u News\" <news@%s>",
	    cust, dom);
	sb_reset(&m.f[m.nf]);
	sb_printf(&m.f[m.nf++], "To: <%s>", rcpt);
	sb_reset(&m.f[m.nf]);
	sb_puts(&m.f[m.nf], "Subject:");
	nw = 3 + rng_below(r, 6);
	for (j = 0; j < nw; j++)
		sb_printf(&m.f[m.nf], " %s", words[rng_below(r, NWORDS)]);
	m.nf++;
	sb_reset(&m.f[m.nf]);
	sb_printf(&m.f[m.nf++], "Date: %s", date);
	sb_reset(&m.f[m.nf]);
	sb_printf(&m.f[m.nf++], "Message-ID: <%lu.%s@mta.myesp.example>",
	    i, tok);
	sb_reset(&m.f[m.nf]);
	sb_puts(&m.f[m.nf++], "MIME-Version: 1.0");
	sb_reset(&m.f[m.nf]);
	sb_puts(&m.f[m.nf++], "Content-Type: text/plain; charset=utf-8");
	campaign_ids(i, cust, w->fbid, w->cfbl);
	sb_reset(&m.f[m.nf]);
	sb_printf(&m.f[m.nf++], "Feedback-ID: %s", w->fbid);
	if (w->cfbl[0] != '-') {
		sb_reset(&m.f[m.nf]);
		sb_puts(&m.f[m.nf++], "CFBL-Address: fbl@myesp.example; "
		    "report=arf");
		sb_reset(&m.f[m.nf]);
		sb_printf(&m.f[m.nf++], "CFBL-Feedback-ID: %s", w->cfbl);
	}

	sb_reset(&m.body);
	sb_printf(&m.body, "Dear reader,\r\n\r\nOur %s %s  %s are here.\r\n",
	    words[rng_below(r, NWORDS)], words[rng_below(r, NWORDS)],
	    words[rng_below(r, NWORDS)]);
	sb_printf(&m.body, "Read more at https://click.myesp.example/%s \r\n"
	    "\r\n-- \r\nCustomer %02u\r\n", tok, cust);

	if (sigs >= 1)
		dkim_sign(&m, dom, sel_names[s], H_CUST, sent, ckey, &csig);
	if (sigs >= 2)
		dkim_sign(&m, ESP_DOMAIN, sel_names[s], w->cfbl[0] != '-' ?
		    H_CFBL : H_ESP, sent + 1, ekey, &esig);

	sb_reset(orig);
	sb_printf(orig, "Return-Path: <%s>\r\n", mailfrom);
	sb_printf(orig, "Received: from mta%u.myesp.example (mta%u.myesp."
	    "example [192.0.2.%u])\r\n\tby mx.%s; %s\r\n", 1 + (user % 20),
	    1 + (user % 20), 10 + (user % 20), isp->domain, date);
	if (isp->redacts && strcmp(isp->reporter, "microsoft") == 0)
		sb_printf(orig, "X-HmXmrOriginalRecipient: <redacted@%s>\r\n",
		    isp->domain);
	if (sigs >= 2)
		sb_printf(orig, "%s\r\n", esig.p);
	if (sigs >= 1)
		sb_printf(orig, "%s\r\n", csig.p);
	for (j = 0; j < m.nf; j++) {
		if (isp->redacts && strncmp(m.f[j].p, "To:", 3) == 0)
			sb_printf(orig, "To: <redacted@%s>\r\n", isp->domain);
		else
			sb_printf(orig, "%s\r\n", m.f[j].p);
	}
	sb_puts(orig, "\r\n");
	sb_add(orig, m.body.p, m.body.len);
}

static void
make_garbage(struct rng *r, struct row *w, struct sbuf *out)
{
	unsigned char	 b[64];
	unsigned	 v = rng_below(r, 3), n, k;

	sb_reset(out);
	w->kind = "unparseable";
	if (v == 0) {
		w->variant = "empty";
		return;
	}
	if (v == 1) {
		w->variant = "random-bytes";
		n = 200 + rng_below(r, 2000);
		for (k = 0; k < n; k += sizeof(b)) {
			rng_bytes(r, b, sizeof(b));
			sb_add(out, b, n - k < sizeof(b) ? n - k : sizeof(b));
		}
		return;
	}
	w->variant = "truncated-mime";
	w->kind = "not-arf";
}

static void
write_row(FILE *f, const char *name, const struct row *w)
{
	char	 sd[16], ad[16];

	if (w->sent != 0)
		day_str(sd, sizeof(sd), w->sent);
	else
		strcpy(sd, "-");
	if (w->arrival != 0)
		day_str(ad, sizeof(ad), w->arrival);
	else
		strcpy(ad, "-");
	fprintf(f, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t", name, cat_names[w->cat],
	    w->variant, w->kind, w->ftype, w->reporter, w->form);
	if (w->cust != 0)
		fprintf(f, "cust-%02u\tcustomer%02u.example\t", w->cust,
		    w->cust);
	else
		fputs("-\t-\t", f);
	fprintf(f, "%s\t%s\t%s\t%ld\t%s\t%s\t%s\t%s\t%s\t", w->sel, sd, ad,
	    w->arrival, w->ours < 0 ? "-" : w->ours ? "yes" : "no",
	    w->cres, w->creason, w->eres, w->ereason);
	/* with archived-keys.zone too, the rotated-away keys are found */
	if (w->cat == CAT_ROTATED)
		fputs("pass\tok\tpass\tok", f);
	else
		fprintf(f, "%s\t%s\t%s\t%s", w->cres, w->creason, w->eres,
		    w->ereason);
	fprintf(f, "\t%s\t%s\t%s\n", w->srcip, w->fbid, w->cfbl);
}

/* mboxrd: every line ">*From " gets one more '>' */
static void
mbox_write(FILE *f, const struct sbuf *m, long when)
{
	char		 date[64];
	time_t		 tt = (time_t)when;
	struct tm	 tm;
	const char	*p = m->p, *end = m->p + m->len, *eol, *q;

	if (gmtime_r(&tt, &tm) == NULL)
		die("gmtime_r");
	strftime(date, sizeof(date), "%a %b %e %H:%M:%S %Y", &tm);
	fprintf(f, "From fbl-reports@myesp.example %s\n", date);
	while (p < end) {
		eol = memchr(p, '\n', (size_t)(end - p));
		eol = eol == NULL ? end : eol + 1;
		for (q = p; q < eol && *q == '>'; q++)
			;
		if (eol - q >= 5 && memcmp(q, "From ", 5) == 0)
			fputc('>', f);
		fwrite(p, 1, (size_t)(eol - p), f);
		p = eol;
	}
	if (m->len > 0 && m->p[m->len - 1] != '\n')
		fputc('\n', f);
	fputc('\n', f);
}

/*
 * Exact shares: of n messages, n * pct / 100 (rounded down) are of each
 * category but the complaints, which take the rest.  Message i takes the
 * rank (i * step + seed) mod n, step coprime to n, so the categories are
 * spread evenly and deterministically over the mailbox.
 */
static const unsigned cat_pct[] = {
	0,	/* complaint: the rest */
	12,	/* headers-only */
	20,	/* redacted */
	4,	/* rotated */
	4,	/* forged */
	5,	/* garbage */
};

static unsigned long
gcd(unsigned long a, unsigned long b)
{
	while (b != 0) {
		unsigned long t = a % b;

		a = b;
		b = t;
	}
	return a;
}

static enum category
category_of(unsigned long i, unsigned long n, uint64_t seed)
{
	unsigned long		 step, rank, lo = 0, q;
	unsigned		 c;

	step = n / 2 + n / 9 + 1;
	while (gcd(step, n) != 1)
		step++;
	rank = (unsigned long)(((unsigned long long)i * step + seed) % n);
	for (c = 1; c < sizeof(cat_pct) / sizeof(cat_pct[0]); c++) {
		q = (unsigned long)((unsigned long long)n * cat_pct[c] / 100);
		if (rank < lo + q)
			return (enum category)c;
		lo += q;
	}
	return CAT_COMPLAINT;
}

static void
gen_report(uint64_t seed, unsigned long i, unsigned long n, struct sbuf *out,
    struct row *w)
{
	static struct sbuf	 orig;
	struct rng		 r;
	const struct isp	*isp;
	unsigned		 x, s, ckey, ekey, k, ip;
	int			 sigs = 2;
	long			 delay;
	char			 bound[32], tok[16], adate[64], rdate[64];
	char			 srcip[32], rcpt[96], mailfrom[128];
	size_t			 cut = 0;
	double			 u;

	rng_seed(&r, seed, 0x4642520000000000ULL + i);
	memset(w, 0, sizeof(*w));
	w->variant = "-";
	w->ftype = w->reporter = w->form = w->sel = "-";
	strcpy(w->srcip, "-");
	strcpy(w->fbid, "-");
	strcpy(w->cfbl, "-");
	w->cres = w->creason = w->eres = w->ereason = "-";
	w->ours = -1;

	w->cat = category_of(i, n, seed);
	if (w->cat == CAT_GARBAGE) {
		make_garbage(&r, w, out);
		if (strcmp(w->variant, "truncated-mime") != 0)
			return;
		/* a real report, cut after its human-readable part */
		w->cat = CAT_COMPLAINT;
	}

	isp = pick_isp(&r, w->cat == CAT_REDACTED);
	w->reporter = isp->reporter;
	u = (double)rng_below(&r, 1U << 20) / (double)(1U << 20);
	w->cust = 1 + (unsigned)(u * u * NCUST);
	if (w->cat == CAT_ROTATED)
		s = SEL_ARCHIVED;
	else
		s = rng_below(&r, 10) < 3 ? 1 : 2;
	w->sel = sel_names[s];
	w->sent = NOV1_2026 + (long)rng_below(&r, 21 * DAY);
	delay = 3600 + (long)rng_below(&r, 5 * DAY);
	w->arrival = w->sent + delay;
	x = rng_below(&r, 100);
	w->ftype = x < 80 ? ftypes[0] : x < 88 ? ftypes[1] : x < 93 ?
	    ftypes[2] : x < 96 ? ftypes[3] : x < 98 ? ftypes[4] : ftypes[5];
	w->kind = "arf";
	w->form = w->cat == CAT_HEADERS_ONLY ? "headers" : "rfc822";

	ckey = (w->cust - 1) * NSEL + s;
	ekey = ESP_KEY0 + s;
	if (w->cat == CAT_FORGED) {
		k = rng_below(&r, 3);
		ckey = FORGER_KEY0;
		ekey = FORGER_KEY0 + 1;
		if (k == 0) {
			w->variant = "forged-both-sigs";
		} else if (k == 1) {
			w->variant = "forged-customer-sig-only";
			sigs = 1;
		} else {
			w->variant = "unsigned";
			sigs = 0;
		}
	}
	make_original(&r, i, w->cust, s, w->sent, isp, sigs, ckey, ekey,
	    &orig, rcpt, mailfrom, w);

	switch (w->cat) {
	case CAT_COMPLAINT:
		w->cres = w->eres = "pass";
		w->creason = w->ereason = "ok";
		break;
	case CAT_HEADERS_ONLY:
		w->cres = w->eres = "neutral";
		w->creason = w->ereason = "headers-only";
		break;
	case CAT_REDACTED:
		w->cres = w->eres = "fail";
		w->creason = w->ereason = "redacted";
		break;
	case CAT_ROTATED:
		w->cres = w->eres = "permerror";
		w->creason = w->ereason = "key-not-found";
		break;
	case CAT_FORGED:
		w->cres = w->eres = "none";
		w->creason = w->ereason = "absent";
		if (sigs >= 1) {
			w->cres = "fail";
			w->creason = "signature-mismatch";
		}
		if (sigs >= 2) {
			w->eres = "fail";
			w->ereason = "signature-mismatch";
		}
		break;
	case CAT_GARBAGE:
		break;
	}

	/* the report */
	token(&r, bound, sizeof(bound));
	token(&r, tok, sizeof(tok));
	rfc5322_date(adate, sizeof(adate), w->arrival);
	rfc5322_date(rdate, sizeof(rdate), w->arrival + 60 +
	    (long)rng_below(&r, 3000));
	if (w->cat == CAT_FORGED) {
		w->ours = 0;
		path_fmt(srcip, sizeof(srcip), "198.51.100.%u",
		    1 + rng_below(&r, 254));
	} else {
		/* the pools of SENDING_NETWORKS: 60, 20 (four /24s), 20 % */
		w->ours = 1;
		ip = 10 + rng_below(&r, 20);
		if (ip < 22)
			path_fmt(srcip, sizeof(srcip), "192.0.2.%u", ip);
		else if (ip < 26)
			path_fmt(srcip, sizeof(srcip), "198.18.%u.%u",
			    ip - 20, ip);
		else
			path_fmt(srcip, sizeof(srcip), "2001:db8:5:%x::1",
			    ip);
	}
	snprintf(w->srcip, sizeof(w->srcip), "%s", srcip);
	sb_reset(out);
	sb_printf(out, "Return-Path: <>\r\nFrom: %s\r\n"
	    "To: fbl-reports@" ESP_DOMAIN "\r\nSubject: %s\r\nDate: %s\r\n"
	    "Message-ID: <fbl.%lu.%s@%s>\r\nMIME-Version: 1.0\r\n"
	    "Content-Type: multipart/report; report-type=feedback-report;\r\n"
	    "\tboundary=\"%s\"\r\n\r\n"
	    "This is a multi-part message in MIME format.\r\n\r\n",
	    isp->from, strcmp(isp->reporter, "microsoft") == 0 ?
	    "complaint about message from 192.0.2.0/24" : "FW: Email report",
	    rdate, i, tok, isp->domain, bound);
	sb_printf(out, "--%s\r\nContent-Type: text/plain; charset=us-ascii\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n\r\n"
	    "This is an email abuse report for an email message received "
	    "from IP\r\n%s on %s.\r\nFor more information about this format "
	    "please see RFC 5965.\r\n\r\n", bound, srcip, adate);
	if (strcmp(w->variant, "truncated-mime") == 0) {
		/* cut inside the human-readable part: nothing machine-readable */
		cut = out->len - 2 - rng_below(&r, 40);
		out->len = cut;
		out->p[cut] = '\0';
		w->cat = CAT_GARBAGE;
		w->kind = "not-arf";
		w->ftype = w->form = w->reporter = "-";
		w->cust = 0;
		w->sel = "-";
		w->sent = 0;
		w->ours = -1;
		w->cres = w->creason = w->eres = w->ereason = "-";
		strcpy(w->srcip, "-");
		strcpy(w->fbid, "-");
		strcpy(w->cfbl, "-");
		return;
	}
	sb_printf(out, "--%s\r\nContent-Type: message/feedback-report\r\n\r\n"
	    "Feedback-Type: %s\r\nUser-Agent: %s\r\nVersion: 1\r\n"
	    "Original-Mail-From: <%s>\r\n", bound, w->ftype, isp->agent,
	    mailfrom);
	if (isp->redacts)
		sb_printf(out, "Original-Rcpt-To: <redacted@%s>\r\n",
		    isp->domain);
	else
		sb_printf(out, "Original-Rcpt-To: <%s>\r\n", rcpt);
	sb_printf(out, "Arrival-Date: %s\r\nReporting-MTA: dns; mx.%s\r\n"
	    "Source-IP: %s\r\nReported-Domain: customer%02u.example\r\n",
	    adate, isp->domain, srcip, w->cust);
	if (strcmp(w->ftype, "auth-failure") == 0)
		sb_puts(out, "Auth-Failure: signature\r\n");
	sb_puts(out, "\r\n");
	if (w->cat == CAT_HEADERS_ONLY) {
		size_t hlen = strstr(orig.p, "\r\n\r\n") - orig.p + 2;

		sb_printf(out, "--%s\r\nContent-Type: text/rfc822-headers\r\n"
		    "\r\n", bound);
		sb_add(out, orig.p, hlen);
	} else {
		sb_printf(out, "--%s\r\nContent-Type: message/rfc822\r\n"
		    "Content-Disposition: inline\r\n\r\n", bound);
		sb_add(out, orig.p, orig.len);
	}
	sb_printf(out, "\r\n--%s--\r\n", bound);
}

static void
mkdir_p(const char *a, const char *b)
{
	char	 path[4200];

	path_fmt(path, sizeof(path), "%s%s", a, b);
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		die("%s: %s", path, strerror(errno));
}

static void
usage(void)
{
	fprintf(stderr, "usage: gen_mailbox -o OUTDIR [-n COUNT] "
	    "[-s SEED]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	struct sbuf	 msg = { NULL, 0, 0 };
	struct row	 w;
	const char	*out = NULL;
	unsigned long	 n = 10000, i;
	unsigned long	 counts[6] = { 0 };
	uint64_t	 seed = 1;
	char		 name[128], path[4400], tmp[4400], *end;
	FILE		*man, *mbox, *f;
	int		 ch;

	die_prog = "gen_mailbox";
	while ((ch = getopt(argc, argv, "n:o:s:")) != -1) {
		switch (ch) {
		case 'n':
			n = strtoul(optarg, &end, 10);
			if (*end != '\0' || n == 0)
				usage();
			break;
		case 'o':
			out = optarg;
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
	if (out == NULL || optind != argc)
		usage();

	mkdir_p(out, "");
	mkdir_p(out, "/Maildir");
	mkdir_p(out, "/Maildir/new");
	mkdir_p(out, "/Maildir/cur");
	mkdir_p(out, "/Maildir/tmp");
	load_keys(out, seed);
	write_zone(out, "keys.zone", 0, seed);
	write_zone(out, "archived-keys.zone", 1, seed);
	write_conf(out);

	man = open_out(out, "manifest.tsv");
	mbox = open_out(out, "mailbox.mbox");
	fprintf(man, "file\tcategory\tvariant\tkind\tfeedback_type\treporter"
	    "\toriginal_form\tcustomer\tcustomer_domain\tselector\tsent_day"
	    "\tarrival_day\tarrival_epoch\tsource_ip_ours\tcust_result"
	    "\tcust_reason\tesp_result\tesp_reason\tcust_result_archived"
	    "\tcust_reason_archived\tesp_result_archived\tesp_reason_archived"
	    "\tsource_ip\tfeedback_id\tcfbl_feedback_id\n");
	for (i = 0; i < n; i++) {
		gen_report(seed, i, n, &msg, &w);
		counts[w.cat]++;
		path_fmt(name, sizeof(name), "%010lu.M%06luP1.fblgen",
		    1795000000UL + i, i);
		path_fmt(path, sizeof(path), "%s/Maildir/new/%s", out, name);
		path_fmt(tmp, sizeof(tmp), "%s/Maildir/tmp/%s", out, name);
		if ((f = fopen(tmp, "wb")) == NULL)
			die("%s: %s", tmp, strerror(errno));
		if (msg.len > 0)
			fwrite(msg.p, 1, msg.len, f);
		if (ferror(f) || fclose(f) != 0 || rename(tmp, path) != 0)
			die("%s: %s", path, strerror(errno));
		mbox_write(mbox, &msg, w.arrival != 0 ? w.arrival :
		    NOV1_2026 + 26 * DAY);
		write_row(man, name, &w);
		vol_count(&w);
	}
	close_out(man, "manifest.tsv");
	close_out(mbox, "mailbox.mbox");
	write_volumes(out);
	fprintf(stderr, "gen_mailbox: %lu messages in %s:", n, out);
	for (i = 0; i < 6; i++)
		fprintf(stderr, " %s %lu", cat_names[i], counts[i]);
	fputc('\n', stderr);
	free(msg.p);
	return 0;
}
