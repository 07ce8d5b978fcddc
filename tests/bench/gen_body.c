/* SPDX-License-Identifier: ISC */
/*
 * gen_body: the bodies of the benchmark's messages: text paragraphs,
 * quoted-printable HTML newsletters and base64 attachments, from the PRNG.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gen.h"

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

const char *
word(struct rng *r)
{
	/* a mild Zipf-like skew: common words are more common */
	double u = rng_unit(r);

	return words[(size_t)(u * u * (double)NWORDS)];
}

/* Plain text paragraphs, lines at most 72 characters, about n bytes. */
void
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

void
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

void
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
