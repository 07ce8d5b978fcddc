/*
 * gen: the benchmark's message generator (tests/bench/run.sh builds and runs
 * it; see tests/bench/README.md).
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
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "genlib.h"	/* samples/: shared with gen_mailbox */

#define GEN_VERSION	2

#define NCUST		200		/* customer domains */
#define NCUST_SEL	2		/* selectors per customer */
#define NESP_SEL	2		/* selectors of fbl.myesp.com */
#define NRSA		(NCUST * NCUST_SEL + NESP_SEL)
#define NED		20		/* customers with an ed25519 key */
#define ED_EVERY	(NCUST / NED)	/* customer i has one if i % this == 3 */
#define ESP_DOMAIN	"fbl.myesp.com"
#define ZONE_TTL	3600
#define TXT_CHUNK	250		/* characters per TXT string */

static const char *const sel_names[NCUST_SEL] = {
	"jan2025.myesp", "feb2025.myesp"
};
static const long sel_month_start[NCUST_SEL] = {
	1735689600L,			/* 2025-01-01T00:00:00Z */
	1738368000L,			/* 2025-02-01T00:00:00Z */
};
static const long sel_month_days[NCUST_SEL] = { 31, 28 };
#define ED_SELECTOR	"ed-feb2025.myesp"

static const char *const brands[] = {
	"acme", "globex", "initech", "umbrella", "hooli", "vandelay",
	"stark", "wayne", "wonka", "tyrell", "cyberdyne", "soylent",
	"oscorp", "nakatomi", "duff", "gringotts", "monarch", "aperture",
	"blackmesa", "contoso", "fabrikam", "northwind", "tailspin",
	"wideworld", "adventure",
};
#define NBRANDS	(sizeof(brands) / sizeof(brands[0]))

static const char *const words[] = {
	"the", "of", "and", "to", "a", "in", "for", "is", "on", "that", "by",
	"this", "with", "you", "it", "not", "or", "be", "are", "from", "at",
	"as", "your", "all", "have", "new", "more", "an", "was", "we", "will",
	"home", "can", "us", "about", "if", "page", "my", "has", "search",
	"free", "but", "our", "one", "other", "do", "no", "information",
	"time", "they", "site", "he", "up", "may", "what", "which", "their",
	"news", "out", "use", "any", "there", "see", "only", "so", "his",
	"when", "contact", "here", "business", "who", "web", "also", "now",
	"help", "get", "view", "online", "first", "am", "been", "would",
	"how", "were", "me", "services", "some", "these", "click", "its",
	"like", "service", "than", "find", "price", "date", "back", "top",
	"people", "had", "list", "name", "just", "over", "state", "year",
	"day", "into", "email", "two", "health", "world", "next", "used",
	"go", "work", "last", "most", "products", "music", "buy", "data",
	"make", "them", "should", "product", "system", "post", "her", "city",
	"add", "policy", "number", "such", "please", "available", "copyright",
	"support", "message", "after", "best", "software", "then", "jan",
	"good", "video", "well", "where", "info", "rights", "public", "books",
	"high", "school", "through", "each", "links", "she", "review",
	"years", "order", "very", "privacy", "book", "items", "company",
	"read", "group", "need", "many", "user", "said", "does", "set",
	"under", "general", "research", "university", "january", "mail",
	"full", "map", "reviews", "program", "life", "know", "games", "way",
	"days", "management", "part", "could", "great", "united", "hotel",
	"real", "item", "international", "center", "ebay", "must", "store",
	"travel", "comments", "made", "development", "report", "off",
	"member", "details", "line", "terms", "before", "hotels", "did",
	"send", "right", "type", "because", "local", "those", "using",
	"results", "office", "education", "national", "car", "design",
	"take", "posted", "internet", "address", "community", "within",
	"states", "area", "want", "phone", "shipping", "reserved", "subject",
	"between", "forum", "family", "long", "based", "code", "show",
	"even", "black", "check", "special", "prices", "website", "index",
	"being", "women", "much", "sign", "file", "link", "open", "today",
	"technology", "south", "case", "project", "same", "pages", "uk",
	"version", "section", "own", "found", "sports", "house", "related",
	"security", "both", "county", "american", "photo", "game", "members",
	"power", "while", "care", "network", "down", "computer", "systems",
	"three", "total", "place", "end", "following", "download", "him",
	"without", "per", "access", "think", "north", "resources", "current",
	"posts", "big", "media", "law", "control", "water", "history",
	"pictures", "size", "art", "personal", "since", "including", "guide",
	"shop", "directory", "board", "location", "change", "white", "text",
	"small", "rating", "rate", "government", "children", "during", "usa",
	"return", "students", "shopping", "account", "times", "sites",
	"level", "digital", "profile", "previous", "form", "events", "love",
	"old", "john", "main", "call", "hours", "image", "department",
	"title", "description", "non", "insurance", "another", "why", "shall",
	"property", "class", "still", "money", "quality", "every", "listing",
	"content", "country", "private", "little", "visit", "save", "tools",
	"low", "reply", "customer", "december", "compare", "movies", "include",
	"college", "value", "article", "york", "man", "card", "jobs",
	"provide", "food", "source", "author", "different", "press", "learn",
	"sale", "around", "print", "course", "job", "canada", "process",
	"room", "stock", "training", "too", "credit", "point", "join",
	"science", "men", "categories", "advanced", "west", "sales", "look",
	"english", "left", "team", "estate", "box", "conditions", "select",
	"windows", "photos", "thread", "week", "category", "note",
	"live", "large", "gallery", "table", "register", "however", "june",
	"october", "november", "market", "library", "really", "action",
	"start", "series", "model", "features", "air", "industry", "plan",
	"human", "provided", "yes", "required", "second", "hot", "accessories",
	"cost", "movie", "forums", "march", "la", "september", "better",
	"say", "questions", "july", "yahoo", "going", "medical", "test",
	"friend", "come", "server", "study", "application", "cart", "staff",
	"articles", "san", "feedback", "again", "play", "looking", "issues",
	"april", "never", "users", "complete", "street", "topic", "comment",
	"financial", "things", "working", "against", "standard", "tax",
	"person", "below", "mobile", "less", "got", "blog", "party",
	"payment", "equipment", "login", "student", "let", "programs",
	"offers", "legal", "above", "recent", "park", "stores", "side", "act",
	"problem", "red", "give", "memory", "performance", "social", "august",
	"quote", "language", "story", "sell", "options", "experience",
	"rates", "create", "key", "body", "young", "america", "important",
	"field", "few", "east", "paper", "single", "age", "activities",
	"club", "example", "additional", "password", "latest",
	"something", "road", "gift", "question", "changes", "night", "hard",
	"texas", "oct", "pay", "four", "status", "browse", "issue",
	"range", "building", "seller", "court", "february", "always",
	"result", "audio", "light", "write", "war", "nov", "offer", "blue",
	"groups", "easy", "given", "files", "event", "release", "analysis",
	"request", "fax", "china", "making", "picture", "needs", "possible",
	"might", "professional", "yet", "month", "major", "star", "areas",
	"future", "space", "committee", "hand", "sun", "cards", "problems",
	"london", "washington", "meeting", "become", "interest", "id",
	"child", "keep", "enter", "california", "share", "similar", "garden",
	"schools", "million", "added", "reference", "companies", "listed",
	"baby", "learning", "energy", "run", "delivery", "net", "popular",
	"term", "film", "stories", "put", "computers", "journal", "reports",
	"try", "welcome", "central", "images", "president", "notice",
	"original", "head", "radio", "until", "cell", "color", "self",
	"council", "away", "includes", "track", "australia", "discussion",
	"archive", "once", "others", "entertainment", "agreement", "format",
	"least", "society", "months", "log", "safety", "friends", "sure",
	"faq", "trade", "edition", "cars", "messages", "marketing", "tell",
	"further", "updated", "association", "able", "having", "provides",
	"david", "fun", "already", "green", "studies", "close", "common",
	"drive", "specific", "several", "gold", "feb", "living", "sep",
	"collection", "called", "short", "arts", "lot", "ask", "display",
	"limited", "powered", "solutions", "means", "director", "daily",
	"beach", "past", "natural", "whether", "due", "electronics", "five",
	"upon", "period", "planning", "database", "says", "official",
	"weather", "mar", "land", "average", "done", "technical", "window",
	"france", "pro", "region", "island", "record", "direct", "microsoft",
	"conference", "environment", "records", "st", "district", "calendar",
	"costs", "style", "url", "front", "statement", "update", "parts",
	"aug", "ever", "downloads", "early", "miles", "sound", "resource",
	"present", "applications", "either", "ago", "document", "word",
	"works", "material", "bill", "apr", "written", "talk", "federal",
	"hosting", "rules", "final", "tickets", "thing", "centre",
	"requirements", "via", "cheap", "kids", "finance", "true", "minutes",
	"else", "mark", "third", "rock", "gifts", "europe", "reading",
	"topics", "bad", "individual", "tips", "plus", "auto", "cover",
	"usually", "edit", "together", "videos", "percent", "fast",
	"function", "fact", "unit", "getting", "global", "tech", "meet",
	"far", "economic", "en", "player", "projects", "lyrics", "often",
	"subscribe", "submit", "germany", "amount", "watch", "included",
	"feel", "though", "bank", "risk", "thanks", "everything", "deals",
	"various", "words", "linux", "jul", "production", "commercial",
};
#define NWORDS	(sizeof(words) / sizeof(words[0]))

/* ---- keys ---- */

struct keys {
	EVP_PKEY	*rsa[NRSA];
	EVP_PKEY	*ed[NED];
	char		 rsa_pub[NRSA][512];	/* base64 SubjectPublicKeyInfo */
	char		 ed_pub[NED][64];	/* base64 raw key */
};

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

static void
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
cust_domain(char *dst, size_t len, unsigned c)
{
	path_fmt(dst, len, "%s-%03u.example", brands[c % NBRANDS], c);
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

static void
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

/* ---- canonicalization (RFC 6376 section 3.4) ---- */

struct body_hash {
	unsigned char	 md[32];
	size_t		 len;		/* canonical bytes hashed */
};

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

/* ---- message model ---- */

#define MAX_FIELDS	32

struct msg {
	struct sbuf	 f[MAX_FIELDS];	/* header fields, no terminator */
	size_t		 nf;
	size_t		 sig_at;	/* signatures go before field sig_at */
	struct sbuf	 body;
};

static struct sbuf *
msg_field(struct msg *m)
{
	if (m->nf == MAX_FIELDS)
		die("too many fields");
	sb_reset(&m->f[m->nf]);
	return &m->f[m->nf++];
}

static const char *
word(struct rng *r)
{
	/* a mild Zipf-like skew: common words are more common */
	double u = rng_unit(r);

	return words[(size_t)(u * u * (double)NWORDS)];
}

/* Plain text paragraphs, lines at most 72 characters, about n bytes. */
static void
gen_text(struct sbuf *b, struct rng *r, size_t n, const char *url)
{
	size_t	 start = b->len, col = 0, wl, sentence = 0;
	char	 w[64];

	while (b->len - start < n) {
		if (sentence == 0) {
			path_fmt(w, sizeof(w), "%s", word(r));
			w[0] = (char)toupper((unsigned char)w[0]);
			sentence = 6 + rng_below(r, 14);
		} else
			path_fmt(w, sizeof(w), "%s", word(r));
		wl = strlen(w);
		if (--sentence == 0 && wl + 1 < sizeof(w)) {
			w[wl++] = rng_below(r, 5) == 0 ? '!' : '.';
			w[wl] = '\0';
		}
		if (col > 0 && col + 1 + wl > 72) {
			sb_puts(b, "\r\n");
			col = 0;
			if (rng_below(r, 6) == 0) {
				sb_puts(b, "\r\n");
				if (url != NULL && rng_below(r, 3) == 0) {
					sb_printf(b, "%s%u\r\n\r\n", url,
					    rng_below(r, 100000));
				}
			}
		}
		if (col > 0) {
			sb_putc(b, ' ');
			col++;
		}
		sb_add(b, w, wl);
		col += wl;
	}
	sb_puts(b, "\r\n");
}

/* Append s quoted-printable encoded; *col is the output column. */
static void
qp_add(struct sbuf *b, const char *s, size_t *col)
{
	char	 tok[4];
	size_t	 tl;

	for (; *s != '\0'; s++) {
		if (*s == '\n') {
			sb_puts(b, "\r\n");
			*col = 0;
			continue;
		}
		if (*s == '=' || (unsigned char)*s >= 0x7f) {
			snprintf(tok, sizeof(tok), "=%02X", (unsigned char)*s);
			tl = 3;
		} else {
			tok[0] = *s;
			tok[1] = '\0';
			tl = 1;
		}
		if (*col + tl > 75) {
			sb_puts(b, "=\r\n");
			*col = 0;
		}
		sb_add(b, tok, tl);
		*col += tl;
	}
}

/* An HTML newsletter, quoted-printable, about n bytes. */
static void
gen_html(struct sbuf *b, struct rng *r, size_t n, const char *brand)
{
	struct sbuf	 raw = { NULL, 0, 0 };
	size_t		 start = b->len, col = 0, k, nw;
	char		 tok[72];

	qp_add(b, "<!DOCTYPE html>\n<html><head><meta http-equiv=\"Content-Type"
	    "\" content=\"text/html; charset=utf-8\">\n<style>body{margin:0;"
	    "padding:0;font-family:Helvetica,Arial,sans-serif}"
	    "td{font-size:14px;line-height:20px;color:#333333}</style>\n"
	    "</head><body>\n<table width=\"100%\" cellpadding=\"0\" "
	    "cellspacing=\"0\" border=\"0\">\n", &col);
	while (b->len - start < n) {
		sb_reset(&raw);
		token(r, tok, 48);
		sb_printf(&raw, "<tr><td style=\"padding:12px 24px\"><a href=\""
		    "https://click.myesp.com/ls/click?upn=%s\"><img src=\""
		    "https://img.myesp.com/%s/%u.png\" width=\"600\" alt=\"\">"
		    "</a></td></tr>\n<tr><td style=\"padding:0 24px\"><p>",
		    tok, brand, rng_below(r, 10000));
		nw = 20 + rng_below(r, 60);
		for (k = 0; k < nw; k++) {
			if (k > 0)
				sb_putc(&raw, k % 12 == 0 ? '\n' : ' ');
			sb_puts(&raw, word(r));
		}
		sb_puts(&raw, ".</p></td></tr>\n");
		qp_add(b, raw.p, &col);
	}
	token(r, tok, 40);
	sb_reset(&raw);
	sb_printf(&raw, "</table>\n<p style=\"font-size:11px\"><a href=\""
	    "https://unsub.myesp.com/u/%s\">Unsubscribe</a></p>\n"
	    "<img src=\"https://open.myesp.com/o/%s.gif\" width=\"1\" "
	    "height=\"1\">\n</body></html>\n", tok, tok);
	qp_add(b, raw.p, &col);
	if (col > 0)
		sb_puts(b, "\r\n");
	free(raw.p);
}

static void
gen_base64(struct sbuf *b, struct rng *r, size_t nbytes)
{
	unsigned char	 chunk[57];
	size_t		 k, take;

	for (k = 0; k < nbytes; k += take) {
		take = nbytes - k < sizeof(chunk) ? nbytes - k : sizeof(chunk);
		rng_bytes(r, chunk, take);
		sb_b64(b, chunk, take);
		sb_puts(b, "\r\n");
	}
}

static void
gen_alternative(struct sbuf *b, struct rng *r, size_t n, const char *bound,
    const char *brand, const char *url)
{
	sb_printf(b, "--%s\r\nContent-Type: text/plain; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: 7bit\r\n\r\n", bound);
	gen_text(b, r, n * 3 / 10, url);
	sb_printf(b, "\r\n--%s\r\nContent-Type: text/html; charset=utf-8\r\n"
	    "Content-Transfer-Encoding: quoted-printable\r\n\r\n", bound);
	gen_html(b, r, n * 7 / 10, brand);
	sb_printf(b, "\r\n--%s--\r\n", bound);
}

enum kind { K_TEXT, K_ALT, K_MIXED };

struct sigspec {
	int		 ed;		/* ed25519-sha256, else rsa-sha256 */
	int		 hrelaxed, brelaxed;
	const char	*d, *s, *h;
	EVP_PKEY	*key;
	long		 t;
};

/* field instances used so far, for bottom-up selection */
struct hsel {
	char	 name[32];
	size_t	 used;
};

static void
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
