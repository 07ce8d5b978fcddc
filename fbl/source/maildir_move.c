/* SPDX-License-Identifier: ISC */
/*
 * maildir_move: what happens to a Maildir message after its batch: moved
 * from new/ to cur/ with flag S once stored (mail_source_commit), or once
 * into the quarantine folder with its reason when it can never be stored
 * (mail_source_quarantine); see mailsource.h.
 */
#include <sys/stat.h>
#include <sys/types.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbl/source/mailsource.h"
#include "fbl/source/mailsource_local.h"

/* --- commit -------------------------------------------------------------- */

/*
 * The cur/ name of a new/ name: its unique part, ":2,", its flags with S
 * added, each once, in ASCII order.
 */
static char *
cur_name(const char *name)
{
	const char	*info = strstr(name, ":2,");
	struct buf	 b = BUF_INIT;
	bool		 flag[256] = { false };
	size_t		 base = info != NULL ? (size_t)(info - name) :
			    strlen(name), i;

	flag['S'] = true;
	if (info != NULL)
		for (i = 3; info[i] != '\0'; i++)
			flag[(unsigned char)info[i]] = true;
	buf_append(&b, name, base);
	buf_puts(&b, ":2,");
	for (i = 1; i < 256; i++)
		if (flag[i])
			buf_putc(&b, (int)i);
	return buf_steal(&b);
}

static const char *
base_name(const char *path)
{
	const char	*slash = strrchr(path, '/');

	return slash != NULL ? slash + 1 : path;
}

bool
mail_source_commit(struct mail_source *src, struct mail_item *it,
    struct buf *err)
{
	struct stat	 st;
	const char	*name;
	char		*to, *path;
	int		 e;

	if (!source_owner_calls(src, "commit", err))
		return false;
	if (src->kind == MAIL_SOURCE_IMAP)
		return imap_commit(src, it, err);
	if (!it->maildir || !it->in_new || (src->flags & MAIL_SOURCE_KEEP))
		return true;
	if (it->owner != src || it->path == NULL) {
		buf_printf(err, "%s: not an item of %s", it->origin != NULL ?
		    it->origin : "?", src->spec);
		return false;
	}
	name = base_name(it->path);
	if ((to = cur_name(name)) == NULL ||
	    (path = source_concat3(src->spec, "/cur/", to)) == NULL) {
		free(to);
		buf_printf(err, "%s: out of memory", it->path);
		return false;
	}
	/*
	 * rename(2) replaces a cur/ file of the same name: in a Maildir that
	 * can only be this very message (unique names), moved there before.
	 */
	if (renameat(src->dirfd, name, src->curfd, to) == -1) {
		e = errno;
		/* gone from new/: another reader moved it, which is fine */
		if (e == ENOENT && fstatat(src->dirfd, name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1 && errno == ENOENT) {
			it->in_new = false;
			free(to);
			free(path);
			return true;
		}
		buf_printf(err, "%s -> %s: %s", it->path, path, strerror(e));
		free(to);
		free(path);
		return false;
	}
	free(it->path);
	it->path = path;
	it->in_new = false;
	free(to);
	return true;
}

bool
mail_source_settle(struct mail_source *src, struct buf *err)
{
	if (!source_owner_calls(src, "settle", err))
		return false;
	/* a Maildir message moved in commit(): nothing is left to do */
	if (src->kind == MAIL_SOURCE_IMAP)
		return imap_settle(src, err);
	return true;
}

/* --- quarantine ---------------------------------------------------------- */

bool
mail_source_set_quarantine(struct mail_source *src, const char *dir)
{
	char	*d = NULL;

	if (dir != NULL && (d = strdup(dir)) == NULL)
		return false;
	free(src->quarantine);
	src->quarantine = d;
	return true;
}

/* The folder a source quarantines into, as shown and opened. */
static char *
quarantine_dir(const struct mail_source *src)
{
	if (src->quarantine != NULL)
		return strdup(src->quarantine);
	return source_concat3(src->spec, "/", MAIL_SOURCE_QUARANTINE);
}

/* Subdirectory name of dfd, made when missing, never through a link. */
static int
quarantine_subdir(int dfd, const char *name)
{
	if (mkdirat(dfd, name, 0700) == -1 && errno != EEXIST)
		return -1;
	return openat(dfd, name, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    O_NOFOLLOW);
}

/*
 * The quarantine's cur/, made with tmp/ and new/ on the first call.  The
 * default folder is inside the Maildir, where whoever delivers mail could
 * have put a link to a directory of theirs choosing: no link is followed
 * there.  A folder named by the administrator is opened as named.
 */
static int
quarantine_fd(struct mail_source *src, const char *dir, struct buf *err)
{
	int	 dfd, fd;

	if (src->qfd != -1)
		return src->qfd;
	if (mkdir(dir, 0700) == -1 && errno != EEXIST) {
		buf_printf(err, "quarantine %s: %s", dir, strerror(errno));
		return -1;
	}
	dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC |
	    (src->quarantine == NULL ? O_NOFOLLOW : 0));
	if (dfd == -1 || (fd = quarantine_subdir(dfd, "tmp")) == -1 ||
	    close(fd) == -1 || (fd = quarantine_subdir(dfd, "new")) == -1 ||
	    close(fd) == -1 || (fd = quarantine_subdir(dfd, "cur")) == -1) {
		buf_printf(err, "quarantine %s: %s", dir, strerror(errno));
		if (dfd != -1)
			close(dfd);
		return -1;
	}
	close(dfd);
	return src->qfd = fd;
}

/*
 * UNIQUE,why=WHY:2,FLAGS from a new/ or cur/ name; a reason a former
 * quarantine gave (the file was moved back to be tried again) is replaced.
 */
static char *
quarantine_name(const char *name, const char *why)
{
	const char	*info = strstr(name, ":2,"), *colon, *old;
	struct buf	 b = BUF_INIT;
	size_t		 base;

	colon = strchr(name, ':');
	base = colon != NULL ? (size_t)(colon - name) : strlen(name);
	if ((old = strstr(name, ",why=")) != NULL && old < name + base)
		base = (size_t)(old - name);
	buf_append(&b, name, base);
	buf_printf(&b, ",why=%s:2,%s", why, info != NULL ? info + 3 : "");
	return buf_steal(&b);
}

static bool
reason_ok(const char *why)
{
	size_t	 i;

	for (i = 0; why[i] != '\0'; i++)
		if (!((why[i] >= 'a' && why[i] <= 'z') ||
		    (why[i] >= '0' && why[i] <= '9') || why[i] == '-'))
			return false;
	return i > 0 && i <= 32;
}

int
mail_source_quarantine(struct mail_source *src, struct mail_item *it,
    const char *why, struct buf *err)
{
	struct stat	 st;
	const char	*name;
	char		*dir = NULL, *to = NULL, *path = NULL;
	int		 from, qfd, e, rc = -1;

	if (!source_owner_calls(src, "quarantine", err))
		return -1;
	if (src->kind == MAIL_SOURCE_IMAP && !reason_ok(why)) {
		buf_printf(err, "%s: quarantine: bad reason", it->origin);
		return -1;
	}
	if (src->kind == MAIL_SOURCE_IMAP)
		return imap_quarantine(src, it, why, err);
	if (src->kind != MAIL_SOURCE_MAILDIR || (src->flags &
	    MAIL_SOURCE_KEEP) || it->owner != src || it->path == NULL)
		return 0;
	if (!reason_ok(why)) {
		buf_printf(err, "%s: quarantine: bad reason", it->path);
		return -1;
	}
	name = base_name(it->path);
	from = it->in_new ? src->dirfd : src->curfd;
	if ((dir = quarantine_dir(src)) == NULL ||
	    (to = quarantine_name(name, why)) == NULL ||
	    (path = source_concat3(dir, "/cur/", to)) == NULL) {
		buf_printf(err, "%s: out of memory", it->path);
		goto out;
	}
	if ((qfd = quarantine_fd(src, dir, err)) == -1)
		goto out;
	if (renameat(from, name, qfd, to) == -1) {
		e = errno;
		if (e == ENOENT && fstatat(from, name, &st,
		    AT_SYMLINK_NOFOLLOW) == -1 && errno == ENOENT) {
			it->vanished = true;	/* another reader has it */
			rc = 0;
			goto out;
		}
		buf_printf(err, "%s -> %s: %s%s", it->path, path, strerror(e),
		    e == EXDEV ? " (the quarantine must be on the Maildir's "
		    "file system)" : "");
		goto out;
	}
	free(it->path);
	it->path = path;
	path = NULL;
	it->in_new = false;
	it->maildir = false;
	rc = 1;
out:
	free(dir);
	free(to);
	free(path);
	return rc;
}
