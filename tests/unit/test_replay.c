/* SPDX-License-Identifier: ISC */
/*
 * test_replay: the facts of a signature, kept without the message, give the
 * verdict again (verify_replay) and tell whether an archived key made the
 * signature (verify_facts_under_key).
 *
 * Every replayed verdict is compared with the verdict dkim_verify() gives
 * the whole message, and both with the verdict expected, so that two wrong
 * paths cannot pass by agreeing.  The message is overwritten before the
 * replay: the facts must be enough.  Run from the repository root, or with
 * FBL_ROOT set.
 */
#include <sys/socket.h>
#include <netinet/in.h>
#include <arpa/inet.h>

#include <stdlib.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "verifier/crypto.h"
#include "verifier/sign.h"
#include "verifier/verify.h"

#define SAMPLE_T	1795251600	/* t= of the samples */
#define NOW		(SAMPLE_T + 86400)
#define DEMO_ZONE	"samples/zones/demo.zone"
#define RFC8463_ZONE	"tests/integration/data/rfc8463-a3.zone"
#define FBL_NAME	"nov2026.myesp._domainkey.fbl.myesp.example"

static struct key_source *zones;	/* the demo and RFC 8463 zones */
static struct key_source *dead;		/* a DNS server that never answers */

static void
slurp(const char *path, struct buf *b)
{
	char	 chunk[4096];
	size_t	 n;
	FILE	*fp;

	buf_reset(b);
	if ((fp = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(b, chunk, n);
	if (ferror(fp) || !buf_ok(b)) {
		fprintf(stderr, "cannot read %s\n", path);
		exit(2);
	}
	fclose(fp);
}

static struct key_source *
source(const char *const *zone, size_t nzone, const char *const *server,
    size_t nserver)
{
	struct key_source_opts	 o;
	struct buf		 err = BUF_INIT;
	struct key_source	*ks;

	memset(&o, 0, sizeof(o));
	o.zones = zone;
	o.nzones = nzone;
	o.resolvers = server;
	o.nresolvers = nserver;
	o.timeout_ms = 200;
	o.retries = 0;
	if ((ks = key_source_new(&o, &err)) == NULL) {
		fprintf(stderr, "key source: %s\n", buf_cstr(&err));
		exit(2);
	}
	buf_free(&err);
	return ks;
}

/* The key record published at name in zone, parsed from its text. */
static void
load_key(const char *zone, const char *name, struct key_record *k)
{
	struct key_source	*ks = source(&zone, 1, NULL, 0);
	const struct key_answer	*a;
	struct buf		 why = BUF_INIT;
	bool			 cached;

	a = key_source_lookup(ks, name, &cached);
	if (a == NULL || a->status != KEYFETCH_OK || a->ntxt == 0 ||
	    key_record_parse(k, a->txt[0].data, a->txt[0].len, &why) !=
	    REASON_OK) {
		fprintf(stderr, "no key %s in %s: %s\n", name, zone,
		    buf_cstr(&why));
		exit(2);
	}
	key_answer_release(a);
	key_source_free(ks);
	buf_free(&why);
}

static void
verdict_str(char *out, size_t len, enum dkim_result r, enum dkim_reason why)
{
	snprintf(out, len, "%s %s", dkim_result_name(r), dkim_reason_name(why));
}

static void
verify_at(struct verify_result *vr, struct key_source *ks, int64_t now,
    const struct buf *raw)
{
	struct verify_opts	 o;

	memset(&o, 0, sizeof(o));
	o.keys = ks;
	o.now = now;
	o.skew = VERIFY_DEFAULT_SKEW;
	if (!dkim_verify(&o, raw->data, raw->len, vr)) {
		fprintf(stderr, "dkim_verify failed\n");
		exit(2);
	}
}

/* What dkim_verify() said of one signature, kept after the message. */
struct expected {
	char		 verdict[80];
	char		*detail;
};

/* The facts of every signature, with their own copy of the field. */
static size_t
keep_facts(const char *name, struct verify_result *vr, struct sig_facts *f)
{
	char	 cname[160], *field;
	size_t	 i;

	memset(f, 0, VERIFY_MAX_SIGS * sizeof(*f));
	for (i = 0; i < vr->nsigs; i++) {
		snprintf(cname, sizeof(cname), "%s/sig%zu/facts", name, i + 1);
		CHECK_TRUE(cname, verify_facts(vr, i, &f[i]));
		if ((field = malloc(f[i].field_len + 1)) == NULL)
			exit(2);
		memcpy(field, f[i].field, f[i].field_len);
		f[i].field = field;
	}
	return vr->nsigs;
}

static void
replay_one(const char *name, size_t i, const struct sig_facts *f,
    struct key_source *ks, int64_t now, const struct expected *e,
    const char *want)
{
	struct verify_opts	 o;
	struct sig_result	 sr;
	char			 cname[160], got[80];

	memset(&o, 0, sizeof(o));
	o.keys = ks;
	o.now = now;
	o.skew = VERIFY_DEFAULT_SKEW;
	snprintf(cname, sizeof(cname), "%s/sig%zu/verify", name, i + 1);
	CHECK_STR(cname, e->verdict, want);
	snprintf(cname, sizeof(cname), "%s/sig%zu/replay", name, i + 1);
	CHECK_TRUE(cname, verify_replay(&o, f, &sr));
	verdict_str(got, sizeof(got), sr.result, sr.reason);
	snprintf(cname, sizeof(cname), "%s/sig%zu/replay-verdict", name, i + 1);
	CHECK_STR(cname, got, want);
	snprintf(cname, sizeof(cname), "%s/sig%zu/replay-detail", name, i + 1);
	CHECK_STR(cname, buf_cstr(&sr.detail), e->detail);
	sig_result_free(&sr);
}

/*
 * Gather facts with key source first at clock now, forget the message, and
 * replay them with key source again at clock then: each verdict must be
 * want[i], and be what dkim_verify() says with again at then.
 */
static void
check_replay(const char *name, struct buf *raw, struct key_source *first,
    int64_t now, struct key_source *again, int64_t then,
    const char *const *want, size_t nwant)
{
	struct verify_result	 vr;
	struct sig_facts	 f[VERIFY_MAX_SIGS];
	struct expected		 e[VERIFY_MAX_SIGS];
	char			 cname[160];
	size_t			 i, n;

	verify_at(&vr, first, now, raw);
	n = keep_facts(name, &vr, f);
	verify_result_free(&vr);
	verify_at(&vr, again, then, raw);
	for (i = 0; i < n; i++) {
		verdict_str(e[i].verdict, sizeof(e[i].verdict),
		    vr.sigs[i].result, vr.sigs[i].reason);
		e[i].detail = strdup(buf_cstr(&vr.sigs[i].detail));
	}
	verify_result_free(&vr);
	memset(raw->data, 'X', raw->len);
	snprintf(cname, sizeof(cname), "%s/signatures", name);
	CHECK_INT(cname, n, nwant);
	for (i = 0; i < n && i < nwant; i++)
		replay_one(name, i, &f[i], again, then, &e[i], want[i]);
	for (i = 0; i < n; i++) {
		free((char *)f[i].field);
		free(e[i].detail);
	}
}

#define NWANT(w)	(sizeof(w) / sizeof((w)[0]))

static void
check_file(const char *path, const char *const *want, size_t nwant)
{
	struct buf	 raw = BUF_INIT;

	slurp(path, &raw);
	check_replay(path, &raw, zones, NOW, zones, NOW, want, nwant);
	buf_free(&raw);
}

static void
test_samples(void)
{
	static const char *const pass2[] = { "pass ok", "pass ok" };
	static const char *const body2[] = { "fail body-hash-mismatch",
	    "fail body-hash-mismatch" };
	static const char *const hdr2[] = { "fail signature-mismatch",
	    "fail signature-mismatch" };
	static const char *const ws[] = { "pass ok",
	    "fail body-hash-mismatch" };
	static const char *const honly[] = { "neutral headers-only",
	    "neutral headers-only" };
	static const char *const revoked[] = { "permerror key-revoked" };
	static const char *const forged[] = { "fail signature-mismatch" };

	check_file("samples/mail/01-good.eml", pass2, NWANT(pass2));
	check_file("samples/mail/02-good-ed25519.eml", pass2, NWANT(pass2));
	check_file("samples/mail/03-body-changed.eml", body2, NWANT(body2));
	check_file("samples/mail/04-crcrlf.eml", body2, NWANT(body2));
	check_file("samples/mail/05-whitespace-stripped.eml", ws, NWANT(ws));
	check_file("samples/mail/06-subject-changed.eml", hdr2, NWANT(hdr2));
	check_file("samples/mail/07-footer-added.eml", body2, NWANT(body2));
	check_file("samples/mail/08-headers-only.eml", honly, NWANT(honly));
	check_file("samples/mail/09-rotated-key.eml", revoked, NWANT(revoked));
	check_file("samples/mail/10-forged.eml", forged, NWANT(forged));
	/* ed25519-sha256 and rsa-sha256 of RFC 8463 appendix A */
	check_file("tests/integration/data/rfc8463-a2.eml", pass2,
	    NWANT(pass2));
}

/* Replace the first old by new in b. */
static void
edit(struct buf *b, const char *old, const char *new)
{
	struct buf	 out = BUF_INIT;
	const char	*p = mem_find(b->data, b->len, old, strlen(old));
	size_t		 off;

	if (p == NULL) {
		fprintf(stderr, "edit: \"%s\" not found\n", old);
		exit(2);
	}
	off = (size_t)(p - b->data);
	buf_append(&out, b->data, off);
	buf_puts(&out, new);
	buf_append(&out, p + strlen(old), b->len - off - strlen(old));
	buf_free(b);
	*b = out;
}

static void
check_altered(const char *name, const char *old, const char *new,
    const char *const *want, size_t nwant)
{
	struct buf	 raw = BUF_INIT;

	slurp("samples/mail/01-good.eml", &raw);
	edit(&raw, old, new);
	check_replay(name, &raw, zones, NOW, zones, NOW, want, nwant);
	buf_free(&raw);
}

static void
test_altered(void)
{
	static const char *const body2[] = { "fail body-hash-mismatch",
	    "fail body-hash-mismatch" };
	static const char *const hdr2[] = { "fail signature-mismatch",
	    "fail signature-mismatch" };
	static const char *const from2[] = { "policy from-duplicated",
	    "policy from-duplicated" };
	static const char *const redact2[] = { "fail redacted",
	    "fail redacted" };
	static const char *const gone[] = { "permerror key-not-found",
	    "pass ok" };
	static const char *const honly[] = { "neutral headers-only",
	    "neutral headers-only" };
	struct buf	 raw = BUF_INIT;
	const char	*blank;

	check_altered("altered-body", "\r\n\r\n", "\r\n\r\nP.S. added\r\n",
	    body2, NWANT(body2));
	check_altered("altered-subject", "Subject: November",
	    "Subject: December", hdr2, NWANT(hdr2));
	check_altered("from-added-above", "DKIM-Signature:",
	    "From: Mallory <m@evil.example>\r\nDKIM-Signature:", from2,
	    NWANT(from2));
	check_altered("redacted-to", "To: reader@isp.example",
	    "To: [REDACTED]", redact2, NWANT(redact2));
	check_altered("selector-absent", "s=nov2026.myesp;",
	    "s=gone2026.myesp;", gone, NWANT(gone));

	slurp("samples/mail/01-good.eml", &raw);
	if ((blank = mem_find(raw.data, raw.len, "\r\n\r\n", 4)) == NULL)
		exit(2);
	raw.len = (size_t)(blank - raw.data) + 2;
	check_replay("headers-only-cut", &raw, zones, NOW, zones, NOW, honly,
	    NWANT(honly));
	buf_free(&raw);
}

static const char plain[] =
    "From: News <news@fbl.myesp.example>\r\n"
    "To: reader@isp.example\r\n"
    "Subject: replay\r\n"
    "Date: Sun, 22 Nov 2026 09:00:00 +0000\r\n"
    "\r\n"
    "First line.\r\n"
    "Second line.\r\n";

/* plain, signed with the fbl.myesp.example key of the demo zone. */
static void
sign_plain(struct buf *out, bool length, int64_t expire)
{
	struct sign_opts	 so;
	struct buf		 err = BUF_INIT;
	EVP_PKEY		*key;

	key = crypto_load_private("samples/keys/nov2026.myesp.fbl.myesp."
	    "example.pem", &err);
	memset(&so, 0, sizeof(so));
	so.domain = "fbl.myesp.example";
	so.selector = "nov2026.myesp";
	so.key = key;
	so.hcanon = so.bcanon = DKIM_CANON_RELAXED;
	so.length = length;
	so.timestamp = SAMPLE_T;
	so.expire = expire;
	buf_reset(out);
	if (key == NULL ||
	    !dkim_sign(&so, plain, sizeof(plain) - 1, out, &err)) {
		fprintf(stderr, "sign: %s\n", buf_cstr(&err));
		exit(2);
	}
	buf_puts(out, plain);
	EVP_PKEY_free(key);
	buf_free(&err);
}

static void
test_signed_here(void)
{
	static const char *const pass1[] = { "pass ok" };
	static const char *const expired[] = { "permerror expired" };
	static const char *const cut[] = { "permerror l-exceeds-body" };
	struct buf	 raw = BUF_INIT;

	sign_plain(&raw, false, 3600);
	check_replay("x=-before", &raw, zones, SAMPLE_T + 60, zones,
	    SAMPLE_T + 60, pass1, NWANT(pass1));
	sign_plain(&raw, false, 3600);
	check_replay("x=-after", &raw, zones, NOW, zones, NOW, expired,
	    NWANT(expired));
	/* facts of the expired copy, judged as of arrival: the opts clock */
	sign_plain(&raw, false, 3600);
	check_replay("x=-then-arrival", &raw, zones, NOW, zones,
	    SAMPLE_T + 60, pass1, NWANT(pass1));
	sign_plain(&raw, true, 0);
	check_replay("l=-whole", &raw, zones, NOW, zones, NOW, pass1,
	    NWANT(pass1));
	sign_plain(&raw, true, 0);
	edit(&raw, "Second line.\r\n", "");
	check_replay("l=-truncated", &raw, zones, NOW, zones, NOW, cut,
	    NWANT(cut));
	buf_free(&raw);
}

/* A resolver at a bound UDP port that never answers: every query times out. */
static int
dead_server(char *addr, size_t len)
{
	struct sockaddr_in	 sin;
	socklen_t		 sl = sizeof(sin);
	int			 s;

	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;
	sin.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if ((s = socket(AF_INET, SOCK_DGRAM, 0)) == -1 ||
	    bind(s, (struct sockaddr *)&sin, sizeof(sin)) == -1 ||
	    getsockname(s, (struct sockaddr *)&sin, &sl) == -1) {
		perror("dead_server");
		exit(2);
	}
	snprintf(addr, len, "127.0.0.1@%u", (unsigned)ntohs(sin.sin_port));
	return s;
}

static void
test_temperror(void)
{
	static const char *const temp2[] = { "temperror dns-timeout",
	    "temperror dns-timeout" };
	static const char *const pass2[] = { "pass ok", "pass ok" };
	struct buf	 raw = BUF_INIT;

	slurp("samples/mail/01-good.eml", &raw);
	check_replay("dns-down", &raw, dead, NOW, dead, NOW, temp2,
	    NWANT(temp2));
	slurp("samples/mail/01-good.eml", &raw);
	check_replay("dns-down-then-back", &raw, dead, NOW, zones, NOW,
	    pass2, NWANT(pass2));
	buf_free(&raw);
}

/* The facts of signature i of a sample, gathered with no key source. */
static void
facts_of(const char *path, size_t i, struct verify_result *vr,
    struct buf *raw, struct sig_facts *f)
{
	slurp(path, raw);
	verify_at(vr, NULL, NOW, raw);
	if (!verify_facts(vr, i, f)) {
		fprintf(stderr, "no facts for %s signature %zu\n", path, i);
		exit(2);
	}
}

static void
check_under(const char *name, const char *path, size_t i,
    const struct key_record *k, bool want, const char *why_has)
{
	struct verify_result	 vr;
	struct sig_facts	 f;
	struct buf		 raw = BUF_INIT, why = BUF_INIT;
	char			 cname[160];

	facts_of(path, i, &vr, &raw, &f);
	snprintf(cname, sizeof(cname), "under-key/%s", name);
	CHECK_INT(cname, verify_facts_under_key(&f, k, &why), want);
	snprintf(cname, sizeof(cname), "under-key/%s/why", name);
	if (want)
		CHECK_INT(cname, why.len, 0);
	else
		UNIT_REPORT(why.len > 0 && strchr(why.data, '\n') == NULL &&
		    strstr(why.data, why_has) != NULL, cname,
		    "why \"%s\" lacks \"%s\" or is not one line",
		    buf_cstr(&why), why_has);
	verify_result_free(&vr);
	buf_free(&raw);
	buf_free(&why);
}

static void
test_under_key(void)
{
	struct key_record	 fbl, old, cust, shop;

	load_key("samples/keys/nov2026.myesp.fbl.myesp.example.zone",
	    FBL_NAME, &fbl);
	load_key("samples/keys/oct2026.myesp.fbl.myesp.example.zone",
	    "oct2026.myesp._domainkey.fbl.myesp.example", &old);
	load_key(DEMO_ZONE, "nov2026.myesp._domainkey.customer.example",
	    &cust);
	load_key(DEMO_ZONE, "nov2026.myesp._domainkey.shop.example", &shop);
	check_under("good-own-key", "samples/mail/01-good.eml", 0, &fbl,
	    true, NULL);
	check_under("good-other-key", "samples/mail/01-good.eml", 0, &cust,
	    false, "does not verify");
	check_under("good-ed25519-key", "samples/mail/01-good.eml", 0, &shop,
	    false, "k=ed25519");
	check_under("rotated-archived-key", "samples/mail/09-rotated-key.eml",
	    0, &old, true, NULL);
	check_under("rotated-current-key", "samples/mail/09-rotated-key.eml",
	    0, &fbl, false, "does not verify");
	check_under("body-changed", "samples/mail/03-body-changed.eml", 0,
	    &fbl, false, "body");
	check_under("headers-only", "samples/mail/08-headers-only.eml", 0,
	    &fbl, true, NULL);
	check_under("forged", "samples/mail/10-forged.eml", 0, &cust, false,
	    "does not verify");
	key_record_free(&fbl);
	key_record_free(&old);
	key_record_free(&cust);
	key_record_free(&shop);
}

/* A signature whose tags do not parse keeps no facts. */
static void
test_no_facts(void)
{
	static const char msg[] =
	    "DKIM-Signature: v=1; a=rsa-sha256; d=example.test\r\n"
	    "From: a@example.test\r\n\r\nbody\r\n";
	struct buf		 raw = BUF_INIT;
	struct verify_result	 vr;
	struct sig_facts	 f;

	buf_puts(&raw, msg);
	verify_at(&vr, zones, NOW, &raw);
	CHECK_STR("no-facts/verdict", dkim_reason_name(vr.sigs[0].reason),
	    "tag-missing");
	CHECK_TRUE("no-facts/malformed", !verify_facts(&vr, 0, &f));
	CHECK_TRUE("no-facts/out-of-range", !verify_facts(&vr, 1, &f));
	verify_result_free(&vr);
	buf_free(&raw);
}

int
main(void)
{
	const char	*root = getenv("FBL_ROOT");
	const char	*zone[] = { DEMO_ZONE, RFC8463_ZONE };
	const char	*server[1];
	char		 addr[64];
	int		 s;

	if (root != NULL && chdir(root) == -1) {
		perror(root);
		return 2;
	}
	zones = source(zone, 2, NULL, 0);
	s = dead_server(addr, sizeof(addr));
	server[0] = addr;
	dead = source(NULL, 0, server, 1);
	test_samples();
	test_altered();
	test_signed_here();
	test_temperror();
	test_under_key();
	test_no_facts();
	key_source_free(dead);
	key_source_free(zones);
	close(s);
	return UNIT_DONE();
}
