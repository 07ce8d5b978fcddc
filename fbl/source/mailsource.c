/* SPDX-License-Identifier: ISC */
/* mailsource: Maildir, mbox, files, directories and stdin; see mailsource.h. */
#include <sys/stat.h>
#include <sys/types.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/digest.h"
#include "fbl/source/mailsource.h"
#include "fbl/source/mailsource_local.h"
#include "fbl/source/mbox.h"
#include "verifier/cli.h"

_Static_assert(MAIL_SOURCE_MAX_MESSAGE == CLI_MAX_MESSAGE,
    "one message size limit for every command");

#define READ_CHUNK	65536

/* Result of looking at one directory entry. */
enum take {
	TAKE_ITEM = 1,		/* item filled */
	TAKE_ERROR = -1,	/* error item filled */
	TAKE_SKIP = 0,		/* nothing: go on */
	TAKE_MBOX = 2,		/* an mbox was opened: read from it */
};

static const char *const kind_names[] = {
	"maildir", "directory", "mbox", "file", "stdin", "imap"
};

const char *
mail_source_kind_name(enum mail_source_kind k)
{
	if ((size_t)k >= sizeof(kind_names) / sizeof(kind_names[0]))
		return "unknown";
	return kind_names[k];
}

enum mail_source_kind
mail_source_kind(const struct mail_source *src)
{
	return src->kind;
}

void
mail_source_progress(const struct mail_source *src, uint64_t *done,
    uint64_t *total)
{
	*done = *total = 0;
	if (src->kind == MAIL_SOURCE_IMAP)
		imap_progress(src, done, total);
	else if (src->kind == MAIL_SOURCE_MBOX && src->mf.mbox != NULL) {
		*done = src->mf.pos;
		*total = src->mf.size;
	} else if (src->kind == MAIL_SOURCE_MBOX || src->kind ==
	    MAIL_SOURCE_FILE) {
		*done = *total = src->done ? src->size : 0;
	} else if ((src->kind == MAIL_SOURCE_DIR ||
	    src->kind == MAIL_SOURCE_MAILDIR) && src->names.listed) {
		*done = src->names.next;
		*total = src->names.n;
	}
}

void
mail_source_set_max_message(struct mail_source *src, size_t max)
{
	src->max = max;
}

void
mail_item_free(struct mail_item *it)
{
	free(it->data);
	free(it->origin);
	free(it->id);
	free(it->envelope_from);
	free(it->envelope_date);
	free(it->path);
	memset(it, 0, sizeof(*it));
}

bool
source_owner_calls(const struct mail_source *src, const char *call,
    struct buf *err)
{
	if (pthread_equal(src->owner, pthread_self()))
		return true;
	buf_printf(err, "%s: %s() called off the thread that opened the "
	    "source: refused", src->spec, call);
	return false;
}

char *
source_concat3(const char *a, const char *b, const char *c)
{
	struct buf	 b3 = BUF_INIT;

	buf_puts(&b3, a);
	buf_puts(&b3, b);
	buf_puts(&b3, c);
	return buf_steal(&b3);
}

/* --- names --------------------------------------------------------------- */

static void
names_free(struct name_list *nl)
{
	size_t	 i;

	for (i = 0; i < nl->n; i++)
		free(nl->v[i]);
	free(nl->v);
	memset(nl, 0, sizeof(*nl));
}

static bool
names_add(struct name_list *nl, const char *name)
{
	char	**v;
	size_t	 ncap;

	if (nl->n == nl->cap) {
		ncap = nl->cap ? nl->cap * 2 : 64;
		if ((v = reallocarray(nl->v, ncap, sizeof(*v))) == NULL)
			return false;
		nl->v = v;
		nl->cap = ncap;
	}
	if ((nl->v[nl->n] = strdup(name)) == NULL)
		return false;
	nl->n++;
	return true;
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
ends_with_ci(const char *s, size_t n, const char *suffix)
{
	size_t	 k = strlen(suffix);

	return n >= k && strcasecmp(s + n - k, suffix) == 0;
}

/* Maildir unique names start with the delivery time: digits, then '.'. */
static bool
maildir_like(const char *s)
{
	size_t	 i;

	for (i = 0; s[i] >= '0' && s[i] <= '9'; i++)
		continue;
	return i > 0 && s[i] == '.';
}

/* The name filter of a directory source (mailsource.h). */
static bool
dir_takes(const char *name)
{
	size_t	 n = strlen(name);

	if (n == 0 || name[0] == '.' || name[n - 1] == '~')
		return false;
	return strchr(name, '.') == NULL || ends_with_ci(name, n, ".eml") ||
	    ends_with_ci(name, n, ".mbox") || maildir_like(name);
}

/*
 * List directory dfd (never changed: a fresh descriptor of it is read),
 * sorted.  false with err on failure.
 */
static bool
list_dir(int dfd, const char *what, bool maildir, struct name_list *nl,
    struct buf *err)
{
	struct dirent	*de;
	DIR		*d;
	int		 fd;
	bool		 ok = true;

	names_free(nl);
	nl->listed = true;
	fd = openat(dfd, ".", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (fd == -1 || (d = fdopendir(fd)) == NULL) {
		buf_printf(err, "%s: cannot list: %s", what, strerror(errno));
		if (fd != -1)
			close(fd);
		return false;
	}
	for (;;) {
		errno = 0;
		if ((de = readdir(d)) == NULL) {
			if (errno != 0) {
				buf_printf(err, "%s: cannot list: %s", what,
				    strerror(errno));
				ok = false;
			}
			break;
		}
		if (maildir ? de->d_name[0] == '.' : !dir_takes(de->d_name))
			continue;
		if (nl->n == MAIL_SOURCE_MAX_FILES) {
			nl->truncated = true;
			break;
		}
		if (!names_add(nl, de->d_name)) {
			buf_printf(err, "%s: out of memory", what);
			ok = false;
			break;
		}
	}
	closedir(d);
	if (ok && nl->n > 1)
		qsort(nl->v, nl->n, sizeof(nl->v[0]), name_cmp);
	return ok;
}

/* --- items --------------------------------------------------------------- */

/* Origin and id of an item; false when out of memory. */
static bool
item_names(struct mail_item *it, const struct mail_source *src,
    const char *origin, const char *id)
{
	struct buf	 shown = BUF_INIT;

	/*
	 * origin is printed and stored: a file name holding ESC sequences or
	 * bidi overrides must reach neither a terminal nor the database raw.
	 */
	buf_put_visible(&shown, origin, strlen(origin));
	it->owner = src;
	it->origin = buf_ok(&shown) ? buf_steal(&shown) : NULL;
	it->id = strdup(id);
	buf_free(&shown);
	return it->origin != NULL && it->id != NULL;
}

/* Give the bytes of b to the item. */
static bool
item_take(struct mail_item *it, struct buf *b)
{
	size_t	 len = b->len;

	if ((it->data = buf_steal(b)) == NULL)
		return false;
	it->len = len;
	return true;
}

/* A From_ line at the start of a single message is its envelope. */
static bool
strip_envelope(struct buf *b, struct mail_item *it)
{
	const char	*lf;
	size_t		 n;

	if (!mbox_starts_with_from(b->data, b->len))
		return true;
	lf = memchr(b->data, '\n', b->len);
	n = lf != NULL ? (size_t)(lf - b->data) + 1 : b->len;
	if (!mbox_envelope_words(b->data + 5, n - 5, &it->envelope_from,
	    &it->envelope_date))
		return false;
	memmove(b->data, b->data + n, b->len - n);
	b->len -= n;
	b->data[b->len] = '\0';
	return true;
}

/*
 * Read all of fd (hint: its size when known, else 0) into out, at most max
 * bytes.  -1 with err (naming what) on error or when larger.
 */
static int
read_all(int fd, const char *what, uint64_t hint, size_t max,
    struct buf *out, const char **never, struct buf *err)
{
	ssize_t	 n;
	size_t	 want;

	if (hint > max) {
		buf_printf(err, "%s: too large (over %zu bytes), skipped", what,
		    max);
		*never = "too-large";
		return -1;
	}
	for (;;) {
		want = out->len < hint ? (size_t)hint - out->len + 1 :
		    READ_CHUNK;
		if (!buf_reserve(out, want)) {
			buf_printf(err, "%s: out of memory", what);
			return -1;
		}
		n = read(fd, out->data + out->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_printf(err, "%s: read error: %s", what,
			    strerror(errno));
			return -1;
		}
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (out->len > max) {
			buf_printf(err, "%s: too large (over %zu bytes), "
			    "skipped", what, max);
			*never = "too-large";
			return -1;
		}
		/* a regular file is done at its size: no extra read for EOF */
		if (n == 0 || (hint > 0 && out->len == hint))
			return 0;
	}
}

/*
 * Pipe delivery: the rest of a message too large to keep (head holds what
 * was read of it) is read to its end and counted by its SHA-256 into it.
 * false, with err, on a read error or out of memory: a later delivery may
 * then read it (never is cleared).
 */
static bool
drain_digest(int fd, const char *what, size_t max, const struct buf *head,
    struct mail_item *it, struct buf *err)
{
	struct digest_stream *ds = NULL;
	char		*chunk;
	ssize_t		 n = 0;
	uint64_t	 total = head->len;
	bool		 ok;

	chunk = malloc(READ_CHUNK);
	ok = chunk != NULL && (ds = digest_stream_new()) != NULL &&
	    digest_stream_add(ds, head->data, head->len);
	while (ok) {
		if ((n = read(fd, chunk, READ_CHUNK)) < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		total += (uint64_t)n;
		ok = digest_stream_add(ds, chunk, (size_t)n);
	}
	buf_reset(err);
	if (n < 0)
		buf_printf(err, "%s: read error: %s", what, strerror(errno));
	ok = digest_stream_end(ds, it->digest) && ok && n == 0;
	free(chunk);
	if (!ok) {
		if (n == 0)
			buf_printf(err, "%s: out of memory", what);
		it->never = NULL;
		return false;
	}
	it->has_digest = true;
	it->stream_len = total;
	buf_printf(err, "%s: too large (%llu bytes, over %zu)", what,
	    (unsigned long long)total, max);
	return true;
}

/*
 * One message from fd into it: read, From_ line taken off, empty refused.
 * what names it in errors.
 */
static int
read_single(struct mail_source *src, int fd, const char *what,
    uint64_t hint, struct mail_item *it, struct buf *err)
{
	struct buf	 b = BUF_INIT;
	int		 rc = TAKE_ERROR;

	if (read_all(fd, what, hint, src->max, &b, &it->never, err) < 0) {
		if (it->never != NULL && strcmp(it->never, "too-large") == 0 &&
		    (src->flags & MAIL_SOURCE_PIPE))
			(void)drain_digest(fd, what, src->max, &b, it,
			    err);
		goto out;
	}
	if (!strip_envelope(&b, it)) {
		buf_printf(err, "%s: out of memory", what);
		goto out;
	}
	if (b.len == 0) {
		buf_printf(err, "%s: empty%s, skipped", what,
		    it->envelope_from != NULL ? " (a From_ line only)" : "");
		it->never = "empty";
		goto out;
	}
	if (!item_take(it, &b))
		buf_printf(err, "%s: out of memory", what);
	else
		rc = TAKE_ITEM;
out:
	buf_free(&b);
	return rc;
}

/* --- mbox files ---------------------------------------------------------- */

static ssize_t
fd_read(void *ctx, void *dst, size_t len)
{
	const int	*fd = ctx;

	return read(*fd, dst, len);
}

static void
mbox_file_close(struct mbox_file *mf)
{
	mbox_free(mf->mbox);
	if (mf->own_fd && mf->fd != -1)
		close(mf->fd);
	free(mf->name);
	memset(mf, 0, sizeof(*mf));
	mf->fd = -1;
}

/* Split fd (taken over when own_fd) as an mbox called name. */
static bool
mbox_file_open(struct mail_source *src, int fd, bool own_fd,
    const char *name, uint64_t size, struct buf *err)
{
	struct mbox_file *mf = &src->mf;

	mbox_file_close(mf);
	mf->fd = fd;
	mf->own_fd = own_fd;
	mf->size = size;
	mf->name = strdup(name);
	if (mf->name != NULL)
		mf->mbox = mbox_new(fd_read, &mf->fd, name, src->max, 0);
	if (mf->mbox == NULL) {
		buf_printf(err, "%s: out of memory", name);
		mbox_file_close(mf);
		return false;
	}
	return true;
}

/* The next message of the open mbox: 1, -1 (error item), 0 (its end). */
static int
mbox_file_next(struct mail_source *src, struct mail_item *it,
    struct buf *err)
{
	struct mbox_file *mf = &src->mf;
	struct mbox_msg	 msg;
	struct buf	 o = BUF_INIT, id = BUF_INIT;
	int		 r;

	memset(&msg, 0, sizeof(msg));
	if ((r = mbox_next(mf->mbox, &msg, err)) == 0) {
		mbox_file_close(mf);
		return 0;
	}
	buf_printf(&o, "%s@%ju (message %ju)", mf->name,
	    (uintmax_t)msg.offset, (uintmax_t)msg.number);
	buf_printf(&id, "%s@%ju", mf->name, (uintmax_t)msg.offset);
	if (!buf_ok(&o) || !buf_ok(&id) ||
	    !item_names(it, src, buf_cstr(&o), buf_cstr(&id)) ||
	    (r == 1 && !item_take(it, &msg.data))) {
		if (r == 1)
			buf_printf(err, "%s: out of memory", buf_cstr(&o));
		r = -1;
	}
	it->offset = msg.offset;
	it->file_size = mf->size;
	mf->pos = msg.offset;
	it->unquoted = msg.unquoted;
	it->envelope_from = msg.envelope_from;
	it->envelope_date = msg.envelope_date;
	msg.envelope_from = msg.envelope_date = NULL;
	mbox_msg_free(&msg);
	buf_free(&o);
	buf_free(&id);
	return r;
}

/* --- directories and Maildirs --------------------------------------------- */

/* The directory a pass reads, and how it is shown ("spec/new/"). */
static int
pass_fd(const struct mail_source *src, const char **prefix)
{
	if (src->kind == MAIL_SOURCE_DIR) {
		*prefix = "/";
		return src->dirfd;
	}
	*prefix = src->pass == PASS_NEW ? "/new/" : "/cur/";
	return src->pass == PASS_NEW ? src->dirfd : src->curfd;
}

/* A Maildir id: the unique part of the name, before the info. */
static char *
maildir_id(const char *name)
{
	const char	*colon = strchr(name, ':');

	return strndup(name, colon != NULL ? (size_t)(colon - name) :
	    strlen(name));
}

/* Open name in the pass's directory; TAKE_SKIP/TAKE_ERROR or TAKE_ITEM. */
static int
open_entry(struct mail_source *src, int dfd, const char *name,
    const char *path, int *fd, struct stat *st, struct mail_item *it,
    struct buf *err)
{
	bool	 maildir = src->kind == MAIL_SOURCE_MAILDIR;
	int	 e;

	*fd = -1;
	/*
	 * Look before opening: opening a device or FIFO can have effects.
	 * A symbolic link is never followed (issue 11: a link to the HMAC
	 * secret was read and its digest stored): reported, left where it is.
	 */
	if (fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    S_ISLNK(st->st_mode)) {
		buf_printf(err, "%s: a symbolic link, not followed, left alone",
		    path);
		return TAKE_ERROR;
	}
	if (fstatat(dfd, name, st, AT_SYMLINK_NOFOLLOW) == 0 &&
	    !S_ISREG(st->st_mode)) {
		if (!maildir)
			return TAKE_SKIP;
		buf_printf(err, "%s: not a regular file, skipped", path);
		return TAKE_ERROR;
	}
	*fd = openat(dfd, name, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY |
	    O_NOFOLLOW);
	if (*fd == -1 || fstat(*fd, st) == -1) {
		e = errno;
		it->vanished = e == ENOENT;
		/* permissions stay as they are; EIO, EMFILE ... may pass */
		if (e == EACCES || e == EPERM)
			it->never = "unreadable";
		buf_printf(err, "%s: %s%s, skipped", path, it->vanished ?
		    "vanished before it was read (moved by another reader?): "
		    : "", strerror(e));
		return TAKE_ERROR;
	}
	if (!S_ISREG(st->st_mode)) {
		if (!maildir)
			return TAKE_SKIP;
		buf_printf(err, "%s: not a regular file, skipped", path);
		return TAKE_ERROR;
	}
	return TAKE_ITEM;
}

/* Does fd start with "From "?  (pread: the file offset stays at 0.) */
static bool
file_is_mbox(int fd)
{
	char	 head[5];
	ssize_t	 n;

	do
		n = pread(fd, head, sizeof(head), 0);
	while (n < 0 && errno == EINTR);
	return n == 5 && mbox_starts_with_from(head, 5);
}

/* The item of one directory entry. */
static int
take_entry(struct mail_source *src, const char *name, struct mail_item *it,
    struct buf *err)
{
	const char	*prefix;
	struct stat	 st;
	char		*path, *id;
	int		 dfd = pass_fd(src, &prefix), fd = -1, rc;
	bool		 maildir = src->kind == MAIL_SOURCE_MAILDIR;

	path = source_concat3(src->spec, prefix, name);
	id = maildir ? maildir_id(name) : source_concat3(src->spec, prefix, name);
	if (path == NULL || id == NULL || !item_names(it, src, path, id)) {
		buf_printf(err, "%s%s%s: out of memory", src->spec, prefix,
		    name);
		rc = TAKE_ERROR;
		goto out;
	}
	if (maildir) {
		/* error items too: they may be quarantined */
		it->in_new = src->pass == PASS_NEW;
		if ((it->path = strdup(path)) == NULL) {
			buf_printf(err, "%s: out of memory", path);
			rc = TAKE_ERROR;
			goto out;
		}
	}
	rc = open_entry(src, dfd, name, path, &fd, &st, it, err);
	if (rc != TAKE_ITEM)
		goto out;
	it->file_size = (uint64_t)st.st_size;
	if (!maildir && file_is_mbox(fd)) {
		rc = mbox_file_open(src, fd, true, path, (uint64_t)st.st_size,
		    err) ? TAKE_MBOX : TAKE_ERROR;
		fd = -1;
		goto out;
	}
	rc = read_single(src, fd, path, (uint64_t)st.st_size, it, err);
	if (rc == TAKE_ITEM && maildir)
		it->maildir = true;
out:
	if (fd != -1)
		close(fd);
	free(path);
	free(id);
	return rc;
}

/* The pass after this one. */
static void
next_pass(struct mail_source *src)
{
	names_free(&src->names);
	if (src->kind == MAIL_SOURCE_MAILDIR && src->pass == PASS_NEW &&
	    (src->flags & MAIL_SOURCE_WITH_CUR)) {
		src->pass = PASS_CUR;
		src->names = src->cur_names;	/* listed before any move */
		memset(&src->cur_names, 0, sizeof(src->cur_names));
	} else
		src->pass = PASS_DONE;
}

static int	 list_pass(struct mail_source *, struct mail_item *,
		    struct buf *);

/*
 * A Maildir's cur/ is listed right after new/, before this run moves
 * anything there: what it moves itself is not read again, and a message
 * another reader moves meanwhile is in one of the two lists (or vanished
 * from new/: the other reader has it).
 */
static int
list_cur(struct mail_source *src, struct mail_item *it, struct buf *err)
{
	struct name_list new_names = src->names;
	int		 rc;

	memset(&src->names, 0, sizeof(src->names));
	src->pass = PASS_CUR;
	rc = list_pass(src, it, err);
	src->cur_names = src->names;
	src->names = new_names;
	src->pass = PASS_NEW;
	return rc;
}

/* List the current pass; an error item when that fails or is cut short. */
static int
list_pass(struct mail_source *src, struct mail_item *it, struct buf *err)
{
	const char	*prefix;
	char		*what;
	int		 dfd = pass_fd(src, &prefix), rc = TAKE_SKIP;

	if ((what = source_concat3(src->spec, src->kind == MAIL_SOURCE_DIR ? "" :
	    prefix, "")) == NULL) {
		buf_printf(err, "%s: out of memory", src->spec);
		return TAKE_ERROR;
	}
	if (!list_dir(dfd, what, src->kind == MAIL_SOURCE_MAILDIR,
	    &src->names, err))
		rc = TAKE_ERROR;
	else if (src->names.truncated) {
		buf_printf(err, "%s: more than %u files: the first %u found "
		    "are read, the rest is left for the next run", what,
		    MAIL_SOURCE_MAX_FILES, MAIL_SOURCE_MAX_FILES);
		rc = TAKE_ERROR;
	}
	if (rc == TAKE_ERROR && !item_names(it, src, what, what))
		buf_puts(err, " (and out of memory)");
	free(what);
	if (rc == TAKE_SKIP && src->kind == MAIL_SOURCE_MAILDIR &&
	    src->pass == PASS_NEW && (src->flags & MAIL_SOURCE_WITH_CUR))
		rc = list_cur(src, it, err);
	return rc;
}

/* The next entry of a directory or Maildir: TAKE_ITEM/ERROR/MBOX, or 0. */
static int
dir_next(struct mail_source *src, struct mail_item *it, struct buf *err)
{
	int	 rc;

	while (src->pass != PASS_DONE) {
		if (!src->names.listed) {
			if ((rc = list_pass(src, it, err)) != TAKE_SKIP)
				return rc;
			continue;
		}
		if (src->names.next == src->names.n) {
			next_pass(src);
			continue;
		}
		rc = take_entry(src, src->names.v[src->names.next++], it, err);
		if (rc != TAKE_SKIP)
			return rc;
		mail_item_free(it);
	}
	return 0;
}

/* --- the source ---------------------------------------------------------- */

/* The first (or only) read of a FILE, MBOX or STDIN source. */
static int
stream_next(struct mail_source *src, struct mail_item *it, struct buf *err)
{
	const char	*name;

	name = src->kind == MAIL_SOURCE_STDIN ? "-" : src->spec;
	if (src->done)
		return 0;
	src->done = true;
	if (src->kind == MAIL_SOURCE_MBOX)
		return mbox_file_open(src, src->fd, false, name, src->size,
		    err) ? TAKE_MBOX : TAKE_ERROR;
	if (!item_names(it, src, name, name)) {
		buf_printf(err, "%s: out of memory", name);
		return TAKE_ERROR;
	}
	it->file_size = src->size;
	return read_single(src, src->fd, name, src->regular ? src->size : 0,
	    it, err);
}

int
mail_source_next(struct mail_source *src, struct mail_item *it,
    struct buf *err)
{
	int	 rc;

	memset(it, 0, sizeof(*it));
	if (src->refused)
		return 0;
	if (!source_owner_calls(src, "next", err)) {
		/* a source driven from two threads: its one error, then its end */
		src->refused = true;
		it->origin = strdup(src->spec);
		it->failed = true;
		return TAKE_ERROR;
	}
	for (;;) {
		if (src->kind == MAIL_SOURCE_IMAP) {
			rc = imap_next(src, it, err);
			break;
		}
		if (src->mf.mbox != NULL) {
			if ((rc = mbox_file_next(src, it, err)) != 0)
				break;
			mail_item_free(it);
		}
		if (src->kind == MAIL_SOURCE_DIR ||
		    src->kind == MAIL_SOURCE_MAILDIR)
			rc = dir_next(src, it, err);
		else
			rc = stream_next(src, it, err);
		if (rc != TAKE_MBOX)
			break;
		/* an mbox was opened: its first message comes round the loop */
		mail_item_free(it);
	}
	if (rc != 0)
		it->number = ++src->count;
	if (rc == TAKE_ERROR) {
		free(it->data);
		it->data = NULL;
		it->len = 0;
	}
	return rc;
}

/* --- open / close -------------------------------------------------------- */

static struct mail_source *
source_new(const char *spec, unsigned flags)
{
	struct mail_source *src;
	size_t		 n;

	if ((src = calloc(1, sizeof(*src))) == NULL)
		return NULL;
	src->flags = flags;
	src->max = MAIL_SOURCE_MAX_MESSAGE;
	src->owner = pthread_self();
	src->fd = src->dirfd = src->curfd = src->mf.fd = src->qfd = -1;
	if ((src->spec = strdup(spec)) == NULL) {
		free(src);
		return NULL;
	}
	/* "dir/" shows its files as "dir/x.eml" */
	for (n = strlen(src->spec); n > 1 && src->spec[n - 1] == '/'; n--)
		src->spec[n - 1] = '\0';
	return src;
}

void
mail_source_close(struct mail_source *src)
{
	if (src == NULL)
		return;
	mbox_file_close(&src->mf);
	names_free(&src->names);
	names_free(&src->cur_names);
	if (src->own_fd && src->fd != -1)
		close(src->fd);
	if (src->dirfd != -1)
		close(src->dirfd);
	if (src->curfd != -1)
		close(src->curfd);
	if (src->qfd != -1)
		close(src->qfd);
	imap_close(src->imap);
	free(src->quarantine);
	free(src->spec);
	free(src);
}

/* Is name a directory under dfd?  Its descriptor, or -1. */
static int
open_subdir(int dfd, const char *name)
{
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
}

/* A directory: a Maildir when new/ and cur/ are there. */
static void
open_directory(struct mail_source *src, int fd)
{
	int	 nfd, cfd;

	nfd = open_subdir(fd, "new");
	cfd = nfd != -1 ? open_subdir(fd, "cur") : -1;
	if (nfd != -1 && cfd != -1) {
		src->kind = MAIL_SOURCE_MAILDIR;
		src->dirfd = nfd;
		src->curfd = cfd;
		close(fd);
		return;
	}
	if (nfd != -1)
		close(nfd);
	src->kind = MAIL_SOURCE_DIR;
	src->dirfd = fd;
}

static bool
open_path(struct mail_source *src, struct buf *err)
{
	struct stat	 st;
	int		 fd;

	/* no O_NONBLOCK: a FIFO given by name is waited for, as asked */
	fd = open(src->spec, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd == -1 || fstat(fd, &st) == -1) {
		buf_printf(err, "%s: %s", src->spec, strerror(errno));
		if (fd != -1)
			close(fd);
		return false;
	}
	if (S_ISDIR(st.st_mode)) {
		open_directory(src, fd);
		return true;
	}
	src->fd = fd;
	src->own_fd = true;
	src->regular = S_ISREG(st.st_mode);
	src->size = src->regular ? (uint64_t)st.st_size : 0;
	src->kind = src->regular && file_is_mbox(fd) ? MAIL_SOURCE_MBOX :
	    MAIL_SOURCE_FILE;
	return true;
}

struct mail_source *
mail_source_open(const char *spec, unsigned flags, struct buf *err)
{
	return mail_source_open_net(spec, flags, NULL, err);
}

struct mail_source *
mail_source_open_net(const char *spec, unsigned flags,
    const struct mail_source_net *net, struct buf *err)
{
	struct mail_source *src;

	if ((src = source_new(spec, flags)) == NULL) {
		buf_printf(err, "%s: out of memory", spec);
		return NULL;
	}
	if (imap_spec(spec)) {
		src->kind = MAIL_SOURCE_IMAP;
		if (!imap_open(src, net, err)) {
			mail_source_close(src);
			return NULL;
		}
		return src;
	}
	if (strcmp(spec, "-") == 0) {
		src->kind = (flags & MAIL_SOURCE_STDIN_MBOX) ?
		    MAIL_SOURCE_MBOX : MAIL_SOURCE_STDIN;
		src->fd = STDIN_FILENO;
		return src;
	}
	if (!open_path(src, err)) {
		mail_source_close(src);
		return NULL;
	}
	return src;
}
