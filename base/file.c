/* SPDX-License-Identifier: ISC */
/* file: whole files in and out; see file.h. */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"

/* Read all of fd (a pipe, or a file whose size fstat gave as hint). */
static bool
read_fd(int fd, const char *path, size_t hint, size_t max, struct buf *out,
    struct buf *err)
{
	ssize_t	 n;
	size_t	 want;

	for (;;) {
		want = out->len < hint ? hint - out->len + 1 : 65536;
		if (!buf_reserve(out, want)) {
			buf_printf(err, "%s: out of memory", path);
			return false;
		}
		n = read(fd, out->data + out->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_printf(err, "%s: read error: %s", path,
			    strerror(errno));
			return false;
		}
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (out->len > max) {
			buf_printf(err, "%s: larger than %zu bytes", path, max);
			return false;
		}
		/* a regular file is done at its size: no extra read for EOF */
		if (n == 0 || (hint > 0 && out->len == hint))
			return true;
	}
}

/*
 * The buffer is reused from message to message by the callers (no realloc
 * and no fresh pages per message), and a regular file is read in one call
 * sized by fstat.
 */
bool
file_read(const char *path, size_t max, struct buf *out, struct buf *err)
{
	struct stat	 st;
	int		 fd;
	bool		 ok;

	buf_reset(out);
	if (strcmp(path, "-") == 0)
		return read_fd(STDIN_FILENO, "standard input", 0, max, out, err);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		buf_printf(err, "%s: %s", path, S_ISDIR(st.st_mode) ?
		    "is a directory" : strerror(errno));
		close(fd);
		return false;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		buf_printf(err, "%s: larger than %zu bytes", path, max);
		close(fd);
		return false;
	}
	ok = read_fd(fd, path, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
	    max, out, err);
	close(fd);
	return ok;
}

/* All of len bytes to fd. */
static bool
write_all(int fd, const char *p, size_t len)
{
	ssize_t	 n;

	while (len > 0) {
		if ((n = write(fd, p, len)) == -1) {
			if (errno == EINTR)
				continue;
			return false;
		}
		p += n;
		len -= (size_t)n;
	}
	return true;
}

bool
file_write(const char *path, const void *data, size_t len, mode_t mode,
    unsigned flags, struct buf *err)
{
	struct buf	 tmp = BUF_INIT;
	int		 fd, saved;
	bool		 ok;

	buf_printf(&tmp, "%s.XXXXXX", path);
	if (!buf_ok(&tmp)) {
		buf_printf(err, "%s: out of memory", path);
		return false;
	}
	if ((fd = mkstemp(tmp.data)) == -1) {
		buf_printf(err, "%s: %s", tmp.data, strerror(errno));
		buf_free(&tmp);
		return false;
	}
	ok = fchmod(fd, mode) == 0 && write_all(fd, data, len) &&
	    fsync(fd) == 0;
	saved = errno;
	ok = close(fd) == 0 && ok;
	if (!ok)
		buf_printf(err, "%s: %s", tmp.data, strerror(saved));
	else if (flags & FILE_REPLACE) {
		if (rename(tmp.data, path) == -1) {
			buf_printf(err, "%s: %s", path, strerror(errno));
			ok = false;
		}
	} else if (link(tmp.data, path) == -1) {
		buf_printf(err, "%s: %s", path, errno == EEXIST ?
		    "exists (not replaced)" : strerror(errno));
		ok = false;
	}
	if (!ok || !(flags & FILE_REPLACE))
		(void)unlink(tmp.data);
	buf_free(&tmp);
	return ok;
}
