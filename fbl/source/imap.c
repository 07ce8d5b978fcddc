/* SPDX-License-Identifier: ISC */
/*
 * imap: a folder on an IMAP server as a mail source (mailsource.h), through
 * libcurl's IMAP (docs/sources.md says why libcurl, and what it cannot do).
 *
 * libcurl speaks the protocol: TLS or STARTTLS, certificate checks, login,
 * SELECT with the UIDVALIDITY check (";UIDVALIDITY=" in the URL), and the
 * FETCH of one message by UID with its literal read to the byte.  Other
 * commands go as CUSTOMREQUEST; libcurl hands their untagged replies over
 * line by line, and only replies with no literal in them are asked for
 * here (STATUS, CAPABILITY, UID FETCH of UID and RFC822.SIZE, the moves),
 * so a line is always a whole reply.  Lines are read as they come and
 * never kept beyond IMAP_MAX_LINE bytes.
 *
 * libcurl (7.88) also counts the lines of such a reply as response headers,
 * and refuses a reply once they add up to 300 KB, counted so that a reply
 * of some 130 short lines is already refused ("Too large response
 * headers").  Hence the small windows (MAIL_SOURCE_IMAP_WINDOW UIDs
 * listed, and moved, by one command): a reply of at most that many lines.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <curl/curl.h>

#include "fbl/source/mailsource.h"
#include "fbl/source/mailsource_local.h"
#include "fbl/source/imap_local.h"

#define IMAP_MAX_LINE	1024	/* a reply line kept; longer: ignored */
#define IMAP_MAX_SPAN	(1u << 24)	/* UIDs asked at once where the
					   folder is sparse */
#define IMAP_SET_MAX	MAIL_SOURCE_IMAP_WINDOW	/* UIDs a move names */

struct imap_msg {
	uint32_t	 uid;
	uint32_t	 size;
};

struct imap_source {
	CURL		*curl;
	char		 errbuf[CURL_ERROR_SIZE];
	char		 said[160];	/* the server's last line, for errors */
	char		*base;		/* scheme://host[:port]/ */
	char		*shown;		/* scheme://user@host[:port]/folder */
	char		*folder;
	char		*folder_url;	/* base, folder escaped, UIDVALIDITY */
	char		*processed;
	char		*quarantine;
	bool		 made_processed;
	bool		 made_quarantine;
	bool		 has_move;
	bool		 has_uidplus;
	uint32_t	 uidvalidity;
	uint32_t	 uidnext;	/* at the open: the end of this pass */
	uint32_t	 messages;
	uint32_t	 lo;		/* the next UID to list; 0: done */
	uint32_t	 span;
	struct imap_msg	 win[MAIL_SOURCE_IMAP_WINDOW];
	size_t		 nwin;
	size_t		 next;
	uint32_t	*pending;	/* committed, to be moved */
	size_t		 npending;
	size_t		 cap;
	uint64_t	 handed;
	bool		 failed;
};

/* --- replies, line by line --- */

struct lines {
	struct buf	 line;
	bool		 overlong;
	void		(*each)(void *, const char *, size_t);
	void		*arg;
};

static void
lines_end(struct lines *l)
{
	if (l->line.len > 0 && !l->overlong && buf_ok(&l->line))
		l->each(l->arg, l->line.data, l->line.len);
	buf_reset(&l->line);
	l->overlong = false;
}

static size_t
lines_write(char *p, size_t size, size_t n, void *arg)
{
	struct lines	*l = arg;
	size_t		 len = size * n, i;

	for (i = 0; i < len; i++) {
		if (p[i] == '\n')
			lines_end(l);
		else if (p[i] != '\r' && l->line.len >= IMAP_MAX_LINE)
			l->overlong = true;
		else if (p[i] != '\r')
			buf_putc(&l->line, p[i]);
	}
	return buf_ok(&l->line) ? len : 0;
}

static void
ignore_line(void *arg, const char *s, size_t len)
{
	(void)arg;
	(void)s;
	(void)len;
}

/*
 * Every reply line passes here: the first tagged NO or BAD names what went
 * wrong (libcurl logs out after a failed command: that line must not hide
 * it).
 */
static size_t
said_write(char *p, size_t size, size_t n, void *arg)
{
	struct imap_source *im = arg;
	const char	*sp;
	size_t		 len = size * n, k = 0;

	if (im->said[0] != '\0' || len < 4 || p[0] == '*' || p[0] == '+' ||
	    (sp = memchr(p, ' ', len < 32 ? len : 32)) == NULL ||
	    (size_t)(p + len - sp) < 4 || (strncasecmp(sp + 1, "NO", 2) != 0 &&
	    strncasecmp(sp + 1, "BAD", 3) != 0))
		return len;
	while (k < len && k < sizeof(im->said) - 1 && p[k] != '\r' &&
	    p[k] != '\n') {
		im->said[k] = p[k] >= ' ' && p[k] < 0x7f ? p[k] : '?';
		k++;
	}
	im->said[k] = '\0';
	return len;
}

/* The next word of [*p, end): blanks and parentheses between words. */
static bool
next_word(const char **p, const char *end, const char **w, size_t *wlen)
{
	const char	*s = *p;

	while (s < end && (*s == ' ' || *s == '(' || *s == ')'))
		s++;
	*w = s;
	while (s < end && *s != ' ' && *s != '(' && *s != ')')
		s++;
	*wlen = (size_t)(s - *w);
	*p = s;
	return *wlen > 0;
}

static bool
word_is(const char *w, size_t wlen, const char *what)
{
	return wlen == strlen(what) && strncasecmp(w, what, wlen) == 0;
}

/* A UID, size or count: 0 to 2^32 - 1, decimal. */
static bool
word_u32(const char *w, size_t wlen, uint32_t *v)
{
	uint64_t	 x = 0;
	size_t		 i;

	if (wlen == 0 || wlen > 10)
		return false;
	for (i = 0; i < wlen; i++) {
		if (w[i] < '0' || w[i] > '9')
			return false;
		x = x * 10 + (uint64_t)(w[i] - '0');
	}
	if (x > UINT32_MAX)
		return false;
	*v = (uint32_t)x;
	return true;
}

/* After "* WORD " of an untagged reply, or NULL. */
static const char *
untagged(const char *s, size_t len, const char *word)
{
	size_t	 n = strlen(word);

	if (len < n + 3 || s[0] != '*' || s[1] != ' ' ||
	    strncasecmp(s + 2, word, n) != 0 || s[n + 2] != ' ')
		return NULL;
	return s + n + 3;
}

static void
capability_line(void *arg, const char *s, size_t len)
{
	struct imap_source *im = arg;
	const char	*p, *end = s + len, *w;
	size_t		 wl;

	if ((p = untagged(s, len, "CAPABILITY")) == NULL)
		return;
	while (next_word(&p, end, &w, &wl)) {
		if (word_is(w, wl, "MOVE"))
			im->has_move = true;
		else if (word_is(w, wl, "UIDPLUS"))
			im->has_uidplus = true;
	}
}

/* * STATUS folder (MESSAGES n UIDNEXT n UIDVALIDITY n) */
static void
status_line(void *arg, const char *s, size_t len)
{
	struct imap_source *im = arg;
	const char	*p, *end = s + len, *w, *v;
	size_t		 wl, vl;
	uint32_t	 n;

	if (untagged(s, len, "STATUS") == NULL ||
	    (p = memchr(s, '(', len)) == NULL)
		return;
	while (next_word(&p, end, &w, &wl) && next_word(&p, end, &v, &vl)) {
		if (!word_u32(v, vl, &n))
			continue;
		if (word_is(w, wl, "MESSAGES"))
			im->messages = n;
		else if (word_is(w, wl, "UIDNEXT"))
			im->uidnext = n;
		else if (word_is(w, wl, "UIDVALIDITY"))
			im->uidvalidity = n;
	}
}

/* A window being listed: UIDs lo to hi, at most WINDOW kept. */
struct listing {
	struct imap_source *im;
	uint32_t	 lo;
	uint32_t	 hi;
	uint32_t	 min_dropped;	/* 0: none dropped */
};

/* * SEQ FETCH (UID n RFC822.SIZE n ...) */
static void
fetch_line(void *arg, const char *s, size_t len)
{
	struct listing	*ls = arg;
	struct imap_source *im = ls->im;
	const char	*p = s + 2, *end = s + len, *w, *v;
	size_t		 wl, vl;
	uint32_t	 uid = 0, size = 0, seq;
	bool		 have_uid = false, have_size = false;

	if (len < 2 || s[0] != '*' || s[1] != ' ' ||
	    !next_word(&p, end, &w, &wl) || !word_u32(w, wl, &seq) ||
	    !next_word(&p, end, &w, &wl) || !word_is(w, wl, "FETCH"))
		return;
	while (next_word(&p, end, &w, &wl)) {
		if (word_is(w, wl, "UID") && next_word(&p, end, &v, &vl))
			have_uid = word_u32(v, vl, &uid);
		else if (word_is(w, wl, "RFC822.SIZE") &&
		    next_word(&p, end, &v, &vl))
			have_size = word_u32(v, vl, &size);
	}
	if (!have_uid || !have_size || uid < ls->lo || uid > ls->hi)
		return;
	if (im->nwin == MAIL_SOURCE_IMAP_WINDOW) {
		if (ls->min_dropped == 0 || uid < ls->min_dropped)
			ls->min_dropped = uid;
		return;
	}
	im->win[im->nwin].uid = uid;
	im->win[im->nwin].size = size;
	im->nwin++;
}

/* --- requests --- */

/* One command (custom NULL: libcurl's own, a FETCH of url's UID). */
static CURLcode
request(struct imap_source *im, const char *url, const char *custom,
    curl_write_callback cb, void *arg)
{
	im->errbuf[0] = '\0';
	im->said[0] = '\0';
	if (curl_easy_setopt(im->curl, CURLOPT_URL, url) != CURLE_OK ||
	    curl_easy_setopt(im->curl, CURLOPT_CUSTOMREQUEST, custom) !=
	    CURLE_OK ||
	    curl_easy_setopt(im->curl, CURLOPT_WRITEFUNCTION, cb) != CURLE_OK ||
	    curl_easy_setopt(im->curl, CURLOPT_WRITEDATA, arg) != CURLE_OK)
		return CURLE_OUT_OF_MEMORY;
	return curl_easy_perform(im->curl);
}

/* A command whose reply goes line by line to each(arg, ...). */
static CURLcode
command(struct imap_source *im, const char *url, const char *custom,
    void (*each)(void *, const char *, size_t), void *arg)
{
	struct lines	 l;
	CURLcode	 rc;

	memset(&l, 0, sizeof(l));
	l.each = each;
	l.arg = arg;
	rc = request(im, url, custom, lines_write, &l);
	if (rc == CURLE_OK)
		lines_end(&l);
	buf_free(&l.line);
	return rc;
}

/* "URL: what: why (the server said: ...)" */
static void
request_error(const struct imap_source *im, CURLcode rc, const char *what,
    struct buf *err)
{
	buf_printf(err, "%s: %s: %s", im->shown, what, im->errbuf[0] != '\0' ?
	    im->errbuf : curl_easy_strerror(rc));
	if (im->said[0] != '\0')
		buf_printf(err, " (the server said: %s)", im->said);
}

/* A command on the folder, checked against its UIDVALIDITY. */
static bool
folder_command(struct imap_source *im, const char *custom, struct buf *err)
{
	CURLcode	 rc;

	rc = command(im, im->folder_url, custom, ignore_line, NULL);
	/*
	 * Another client expunged one of the messages meanwhile: a new session
	 * (libcurl has logged out) no longer sees it, and a UID command skips
	 * a UID that is not there.
	 */
	if (rc != CURLE_OK && strstr(im->said, "EXPUNGEISSUED") != NULL)
		rc = command(im, im->folder_url, custom, ignore_line, NULL);
	if (rc == CURLE_OK)
		return true;
	request_error(im, rc, custom, err);
	return false;
}

/* CREATE name once per run; "already there" is what is hoped for. */
static void
make_folder(struct imap_source *im, const char *name, bool *made)
{
	struct buf	 c = BUF_INIT;

	if (*made)
		return;
	buf_printf(&c, "CREATE \"%s\"", name);
	if (buf_ok(&c))
		(void)command(im, im->base, buf_cstr(&c), ignore_line, NULL);
	buf_free(&c);
	*made = true;
}

/* --- moves --- */

static int
uid_cmp(const void *a, const void *b)
{
	uint32_t	 x = *(const uint32_t *)a, y = *(const uint32_t *)b;

	return x < y ? -1 : x > y;
}

/*
 * The sequence set of v[0..n) (sorted) into set, at most IMAP_SET_MAX UIDs
 * ("4:9,12,15:16"); how many were taken.
 */
static size_t
uid_set(const uint32_t *v, size_t n, struct buf *set)
{
	size_t	 i = 0, j;

	buf_reset(set);
	while (i < n && i < IMAP_SET_MAX) {
		for (j = i; j + 1 < n && j + 1 < IMAP_SET_MAX &&
		    v[j + 1] <= v[j] + 1; j++)
			continue;
		buf_printf(set, "%s%" PRIu32, set->len > 0 ? "," : "", v[i]);
		if (v[j] != v[i])
			buf_printf(set, ":%" PRIu32, v[j]);
		i = j + 1;
	}
	return i;
}

/* Move the messages of set into folder, as the server can. */
static bool
move_set(struct imap_source *im, const char *set, const char *folder,
    struct buf *err)
{
	struct buf	 c = BUF_INIT;
	bool		 ok;

	if (im->has_move) {
		buf_printf(&c, "UID MOVE %s \"%s\"", set, folder);
		ok = buf_ok(&c) && folder_command(im, buf_cstr(&c), err);
		buf_free(&c);
		return ok;
	}
	buf_printf(&c, "UID COPY %s \"%s\"", set, folder);
	ok = buf_ok(&c) && folder_command(im, buf_cstr(&c), err);
	buf_reset(&c);
	buf_printf(&c, "UID STORE %s +FLAGS.SILENT (\\Deleted)", set);
	ok = ok && buf_ok(&c) && folder_command(im, buf_cstr(&c), err);
	buf_reset(&c);
	/* without UIDPLUS, EXPUNGE also removes what others marked deleted */
	if (im->has_uidplus)
		buf_printf(&c, "UID EXPUNGE %s", set);
	else
		buf_puts(&c, "EXPUNGE");
	ok = ok && buf_ok(&c) && folder_command(im, buf_cstr(&c), err);
	buf_free(&c);
	return ok;
}

bool
imap_commit(struct mail_source *src, struct mail_item *it, struct buf *err)
{
	struct imap_source *im = src->imap;
	uint32_t	*v;
	size_t		 ncap;

	if (!it->imap || (src->flags & MAIL_SOURCE_KEEP))
		return true;
	if (im->npending == im->cap) {
		ncap = im->cap > 0 ? im->cap * 2 : 256;
		if ((v = reallocarray(im->pending, ncap, sizeof(*v))) == NULL) {
			buf_printf(err, "%s: out of memory", it->origin);
			return false;
		}
		im->pending = v;
		im->cap = ncap;
	}
	im->pending[im->npending++] = it->uid;
	it->imap = false;	/* committed once */
	return true;
}

bool
imap_settle(struct mail_source *src, struct buf *err)
{
	struct imap_source *im = src->imap;
	struct buf	 set = BUF_INIT;
	size_t		 i, k;
	bool		 ok = true;

	if (im->npending == 0)
		return true;
	qsort(im->pending, im->npending, sizeof(im->pending[0]), uid_cmp);
	make_folder(im, im->processed, &im->made_processed);
	for (i = 0; ok && i < im->npending; i += k) {
		k = uid_set(im->pending + i, im->npending - i, &set);
		if (!buf_ok(&set)) {
			buf_printf(err, "%s: out of memory", im->shown);
			ok = false;
		} else
			ok = move_set(im, buf_cstr(&set), im->processed, err);
	}
	if (!ok)
		buf_printf(err, "; the messages not moved stay in %s: the next "
		    "run finds them stored and moves them", im->folder);
	im->npending = 0;
	buf_free(&set);
	return ok;
}

int
imap_quarantine(struct mail_source *src, struct mail_item *it,
    const char *why, struct buf *err)
{
	struct imap_source *im = src->imap;
	struct buf	 c = BUF_INIT;
	bool		 ok;

	if (!it->imap || (src->flags & MAIL_SOURCE_KEEP))
		return 0;
	make_folder(im, im->quarantine, &im->made_quarantine);
	/* the reason as a keyword, where the server keeps keywords */
	buf_printf(&c, "UID STORE %" PRIu32 " +FLAGS.SILENT (fblscope-%s)",
	    it->uid, why);
	if (buf_ok(&c))
		(void)command(im, im->folder_url, buf_cstr(&c), ignore_line,
		    NULL);
	buf_reset(&c);
	buf_printf(&c, "%" PRIu32, it->uid);
	ok = buf_ok(&c) && move_set(im, buf_cstr(&c), im->quarantine, err);
	buf_reset(&c);
	/* where it went, as the ingest log says it (NAME,why= in a Maildir) */
	buf_printf(&c, "%s (folder %s, keyword fblscope-%s)", it->origin,
	    im->quarantine, why);
	if (ok && buf_ok(&c)) {
		free(it->path);
		it->path = buf_steal(&c);
	}
	buf_free(&c);
	if (!ok)
		return -1;
	it->imap = false;
	return 1;
}

/* --- reading --- */

/* Ask for the UIDs of [lo, lo + span) with their sizes. */
static CURLcode
list_uids(struct imap_source *im, struct listing *ls, struct buf *c)
{
	uint64_t	 hi;

	hi = (uint64_t)im->lo + im->span - 1;
	if (hi > (uint64_t)im->uidnext - 1)
		hi = (uint64_t)im->uidnext - 1;
	memset(ls, 0, sizeof(*ls));
	ls->im = im;
	ls->lo = im->lo;
	ls->hi = (uint32_t)hi;
	im->nwin = im->next = 0;
	buf_reset(c);
	buf_printf(c, "UID FETCH %" PRIu32 ":%" PRIu32 " (UID RFC822.SIZE)",
	    ls->lo, ls->hi);
	if (!buf_ok(c))
		return CURLE_OUT_OF_MEMORY;
	return command(im, im->folder_url, buf_cstr(c), fetch_line, ls);
}

/*
 * List the next window of the folder; false when the request failed.
 * UIDs can be sparse (what was moved away leaves gaps), so an empty
 * window makes the next one 16 times wider.  A wide one that meets many
 * messages is more than libcurl takes in one reply (see the top): it is
 * asked again at the usual width.
 */
static bool
list_window(struct imap_source *im, struct buf *err)
{
	struct listing	 ls;
	struct buf	 c = BUF_INIT;
	CURLcode	 rc;
	size_t		 i, k;

	rc = list_uids(im, &ls, &c);
	if (rc != CURLE_OK && rc != CURLE_OUT_OF_MEMORY &&
	    im->span > MAIL_SOURCE_IMAP_WINDOW) {
		im->span = MAIL_SOURCE_IMAP_WINDOW;
		rc = list_uids(im, &ls, &c);
	}
	if (rc != CURLE_OK) {
		request_error(im, rc, buf_cstr(&c), err);
		buf_free(&c);
		im->nwin = 0;
		return false;
	}
	buf_free(&c);
	qsort(im->win, im->nwin, sizeof(im->win[0]), uid_cmp);
	/* a full window: what is above a dropped UID is listed again */
	for (i = k = 0; i < im->nwin; i++)
		if ((ls.min_dropped == 0 || im->win[i].uid < ls.min_dropped) &&
		    (k == 0 || im->win[i].uid != im->win[k - 1].uid))
			im->win[k++] = im->win[i];
	im->nwin = k;
	im->lo = ls.min_dropped != 0 ? ls.min_dropped : ls.hi + 1;
	if (ls.hi == UINT32_MAX && ls.min_dropped == 0)
		im->lo = 0;
	if (im->nwin == 0 && im->span < IMAP_MAX_SPAN)
		im->span *= 16;
	else if (im->nwin > 0)
		im->span = MAIL_SOURCE_IMAP_WINDOW;
	return true;
}

struct body {
	struct buf	 b;
	size_t		 max;
	bool		 too_large;
};

static size_t
body_write(char *p, size_t size, size_t n, void *arg)
{
	struct body	*bd = arg;
	size_t		 len = size * n;

	if (len > bd->max - bd->b.len) {
		bd->too_large = true;
		return 0;
	}
	buf_append(&bd->b, p, len);
	return buf_ok(&bd->b) ? len : 0;
}

/* origin "imaps://user@host/folder;UID=n", id "folder;UIDVALIDITY=v;UID=n" */
static bool
item_names(struct imap_source *im, struct mail_item *it, uint32_t uid)
{
	struct buf	 o = BUF_INIT, id = BUF_INIT;

	buf_printf(&o, "%s;UID=%" PRIu32, im->shown, uid);
	buf_printf(&id, "%s;UIDVALIDITY=%" PRIu32 ";UID=%" PRIu32, im->folder,
	    im->uidvalidity, uid);
	it->origin = buf_ok(&o) ? buf_steal(&o) : NULL;
	it->id = buf_ok(&id) ? buf_steal(&id) : NULL;
	buf_free(&o);
	buf_free(&id);
	it->uid = uid;
	it->imap = uid != 0;
	return it->origin != NULL && it->id != NULL;
}

/* The source cannot go on: one error item says why, then the end. */
static int
source_failed(struct mail_source *src, struct mail_item *it,
    struct buf *err)
{
	struct imap_source *im = src->imap;

	im->failed = true;
	free(it->origin);
	free(it->id);
	it->origin = strdup(im->shown);
	it->id = strdup(im->shown);
	it->uid = 0;
	it->imap = false;
	it->failed = true;
	if (it->origin == NULL || it->id == NULL)
		buf_puts(err, " (and out of memory)");
	return -1;
}

/* Fetch message m into it: 1, or -1 with err. */
static int
fetch_message(struct mail_source *src, const struct imap_msg *m,
    struct mail_item *it, struct buf *err)
{
	struct imap_source *im = src->imap;
	struct body	 bd;
	struct buf	 url = BUF_INIT;
	CURLcode	 rc;

	memset(&bd, 0, sizeof(bd));
	bd.max = src->max;
	buf_printf(&url, "%s/;UID=%" PRIu32, im->folder_url, m->uid);
	buf_reserve(&bd.b, (size_t)m->size + 256);
	rc = buf_ok(&url) && buf_ok(&bd.b) ? request(im, buf_cstr(&url), NULL,
	    body_write, &bd) : CURLE_OUT_OF_MEMORY;
	buf_free(&url);
	if (rc == CURLE_OK && bd.b.len > 0) {
		it->len = bd.b.len;
		it->data = buf_steal(&bd.b);
		buf_free(&bd.b);
		return it->data != NULL ? 1 : -1;
	}
	buf_free(&bd.b);
	if (bd.too_large || (rc == CURLE_OK && bd.b.len == 0)) {
		it->never = bd.too_large ? "too-large" : "empty";
		buf_printf(err, "%s: %s, skipped", it->origin, bd.too_large ?
		    "too large" : "empty");
		return -1;
	}
	if (rc == CURLE_REMOTE_FILE_NOT_FOUND &&
	    strstr(im->errbuf, "UIDVALIDITY") == NULL) {
		it->vanished = true;
		buf_printf(err, "%s: vanished before it was read (moved by "
		    "another reader?), skipped", it->origin);
		return -1;
	}
	request_error(im, rc, "fetch", err);
	if (rc == CURLE_REMOTE_FILE_NOT_FOUND)
		buf_puts(err, ": the folder was re-created; run again to read "
		    "it anew");
	return source_failed(src, it, err);
}

int
imap_next(struct mail_source *src, struct mail_item *it, struct buf *err)
{
	struct imap_source *im = src->imap;
	const struct imap_msg *m;

	if (im->failed)
		return 0;
	while (im->next == im->nwin) {
		if (im->lo == 0 || im->lo >= im->uidnext)
			return 0;
		if (!list_window(im, err))
			return source_failed(src, it, err);
	}
	m = &im->win[im->next++];
	im->handed++;
	if (!item_names(im, it, m->uid)) {
		buf_printf(err, "%s: out of memory", im->shown);
		return -1;
	}
	if (m->size == 0 || m->size > src->max) {
		it->never = m->size == 0 ? "empty" : "too-large";
		buf_printf(err, "%s: %s (%" PRIu32 " bytes), skipped",
		    it->origin, m->size == 0 ? "empty" : "too large", m->size);
		return -1;
	}
	return fetch_message(src, m, it, err);
}

void
imap_progress(const struct mail_source *src, uint64_t *done,
    uint64_t *total)
{
	*done = src->imap != NULL ? src->imap->handed : 0;
	*total = src->imap != NULL ? src->imap->messages : 0;
}

/* --- open / close --- */

void
imap_close(struct imap_source *im)
{
	if (im == NULL)
		return;
	if (im->curl != NULL)
		curl_easy_cleanup(im->curl);
	free(im->base);
	free(im->shown);
	free(im->folder);
	free(im->folder_url);
	free(im->processed);
	free(im->quarantine);
	free(im->pending);
	free(im);
}

static pthread_once_t	 curl_once = PTHREAD_ONCE_INIT;
static CURLcode		 curl_init_rc = CURLE_FAILED_INIT;

static void
curl_start(void)
{
	curl_init_rc = curl_global_init(CURL_GLOBAL_DEFAULT);
}

/* base, shown, folder and folder_url from the parts. */
static bool
imap_names(struct imap_source *im, const struct url_parts *u)
{
	struct buf	 b = BUF_INIT, s = BUF_INIT;
	char		*esc;

	buf_printf(&b, "%s://%s%s%s/", u->scheme, u->host, u->port != NULL ?
	    ":" : "", u->port != NULL ? u->port : "");
	buf_printf(&s, "%s://", u->scheme);
	buf_put_visible(&s, u->user, strlen(u->user));
	buf_printf(&s, "@%s%s%s/%s", u->host, u->port != NULL ? ":" : "",
	    u->port != NULL ? u->port : "", u->path + 1);
	im->base = buf_ok(&b) ? buf_steal(&b) : NULL;
	im->shown = buf_ok(&s) ? buf_steal(&s) : NULL;
	im->folder = strdup(u->path + 1);
	buf_free(&b);
	buf_free(&s);
	if (im->base == NULL || im->folder == NULL ||
	    (esc = curl_easy_escape(NULL, im->folder, 0)) == NULL)
		return false;
	buf_printf(&b, "%s%s", im->base, esc);
	curl_free(esc);
	im->folder_url = buf_ok(&b) ? buf_steal(&b) : NULL;
	buf_free(&b);
	return im->shown != NULL && im->folder_url != NULL;
}

#define SETOPT(c, o, v)	(curl_easy_setopt((c), (o), (v)) == CURLE_OK)

/* TLS always (STARTTLS required on imap://), checked; every wait capped. */
static bool
imap_curl(struct imap_source *im, const struct mail_source_net *net,
    const char *user)
{
	CURL	*c;

	if ((im->curl = c = curl_easy_init()) == NULL)
		return false;
	return SETOPT(c, CURLOPT_ERRORBUFFER, im->errbuf) &&
	    SETOPT(c, CURLOPT_PROTOCOLS_STR, "imap,imaps") &&
	    SETOPT(c, CURLOPT_USE_SSL, (long)CURLUSESSL_ALL) &&
	    SETOPT(c, CURLOPT_SSLVERSION, (long)CURL_SSLVERSION_TLSv1_2) &&
	    SETOPT(c, CURLOPT_SSL_VERIFYPEER, 1L) &&
	    SETOPT(c, CURLOPT_SSL_VERIFYHOST, 2L) &&
	    (net->ca_file == NULL || SETOPT(c, CURLOPT_CAINFO, net->ca_file)) &&
	    SETOPT(c, CURLOPT_USERNAME, user) &&
	    SETOPT(c, CURLOPT_PASSWORD, net->password) &&
	    /* no proxy from the environment: the login goes where it says */
	    SETOPT(c, CURLOPT_PROXY, "") &&
	    SETOPT(c, CURLOPT_CONNECTTIMEOUT, (long)MAIL_SOURCE_IMAP_CONNECT_S) &&
	    SETOPT(c, CURLOPT_SERVER_RESPONSE_TIMEOUT,
	    (long)MAIL_SOURCE_IMAP_RESPONSE_S) &&
	    SETOPT(c, CURLOPT_LOW_SPEED_LIMIT, 1L) &&
	    SETOPT(c, CURLOPT_LOW_SPEED_TIME, (long)MAIL_SOURCE_IMAP_STALL_S) &&
	    SETOPT(c, CURLOPT_TIMEOUT, (long)MAIL_SOURCE_IMAP_REQUEST_S) &&
	    SETOPT(c, CURLOPT_TCP_KEEPALIVE, 1L) &&
	    SETOPT(c, CURLOPT_HEADERFUNCTION, said_write) &&
	    SETOPT(c, CURLOPT_HEADERDATA, im);
}

/*
 * The folder's STATUS.  Dovecot answers UIDVALIDITY 0 and no messages
 * while another session is making the index of a new folder: asked again
 * a second later, and taken as empty for this run if still so.
 */
static bool
read_status(struct imap_source *im, struct buf *err)
{
	struct timespec	 second = { 1, 0 };
	struct buf	 c = BUF_INIT;
	CURLcode	 rc = CURLE_OUT_OF_MEMORY;
	int		 tries;

	buf_printf(&c, "STATUS \"%s\" (MESSAGES UIDNEXT UIDVALIDITY)",
	    im->folder);
	for (tries = 0; tries < 2 && buf_ok(&c); tries++) {
		if (tries > 0)
			(void)nanosleep(&second, NULL);
		im->uidvalidity = im->uidnext = im->messages = 0;
		rc = command(im, im->base, buf_cstr(&c), status_line, im);
		if (rc != CURLE_OK || im->uidvalidity != 0)
			break;
	}
	if (rc != CURLE_OK)
		request_error(im, rc, "cannot read the folder", err);
	buf_free(&c);
	if (rc != CURLE_OK)
		return false;
	if ((im->uidvalidity == 0 && im->messages > 0) ||
	    (im->uidvalidity != 0 && im->uidnext == 0)) {
		buf_printf(err, "%s: STATUS gave no UIDVALIDITY or UIDNEXT",
		    im->shown);
		return false;
	}
	return true;
}

/* Log in (CAPABILITY: what moves the server can do), then STATUS. */
static bool
imap_start(struct imap_source *im, struct buf *err)
{
	struct buf	 c = BUF_INIT;
	CURLcode	 rc;

	if ((rc = command(im, im->base, "CAPABILITY", capability_line, im)) !=
	    CURLE_OK) {
		request_error(im, rc, "cannot connect or log in", err);
		return false;
	}
	if (!read_status(im, err))
		return false;
	im->lo = im->uidvalidity != 0 ? 1 : 0;
	/* from here on, every request is for this UIDVALIDITY only */
	buf_printf(&c, "%s;UIDVALIDITY=%" PRIu32, im->folder_url,
	    im->uidvalidity);
	free(im->folder_url);
	im->folder_url = buf_ok(&c) ? buf_steal(&c) : NULL;
	buf_free(&c);
	if (im->folder_url == NULL)
		buf_printf(err, "%s: out of memory", im->shown);
	return im->folder_url != NULL;
}

bool
imap_open(struct mail_source *src, const struct mail_source_net *net,
    struct buf *err)
{
	struct imap_source *im;
	struct url_parts u;
	const char	*processed, *quarantine;
	bool		 ok;

	if (!imap_url_split(src->spec, &u, err))
		return false;
	processed = net != NULL && net->processed != NULL ? net->processed :
	    MAIL_SOURCE_IMAP_PROCESSED;
	quarantine = net != NULL && net->quarantine != NULL ? net->quarantine :
	    MAIL_SOURCE_IMAP_QUARANTINE;
	ok = false;
	if (net == NULL || net->password == NULL)
		buf_printf(err, "%s://%s: no password (imap-password-file in "
		    "the configuration, or --imap-password-file)", u.scheme,
		    u.host);
	else if (!imap_folder_ok(processed) || !imap_folder_ok(quarantine) ||
	    strcmp(processed, u.path + 1) == 0 ||
	    strcmp(quarantine, u.path + 1) == 0)
		buf_printf(err, "%s://%s: the processed and quarantine folders "
		    "must be other folders than the one read, with names as "
		    "for it", u.scheme, u.host);
	else if (pthread_once(&curl_once, curl_start) != 0 ||
	    curl_init_rc != CURLE_OK ||
	    (im = src->imap = calloc(1, sizeof(*im))) == NULL ||
	    !imap_names(im, &u) || (im->processed = strdup(processed)) ==
	    NULL || (im->quarantine = strdup(quarantine)) == NULL ||
	    !imap_curl(im, net, u.user))
		buf_printf(err, "%s://%s: out of memory, or libcurl would not "
		    "start", u.scheme, u.host);
	else {
		im->span = MAIL_SOURCE_IMAP_WINDOW;
		ok = imap_start(im, err);
	}
	imap_url_free(&u);
	return ok;
}
