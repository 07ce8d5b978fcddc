/* SPDX-License-Identifier: ISC */
/*
 * test_file: base/file's atomic write: modes, replace or not, symbolic
 * links never followed, no temporary file left behind.  (file_read is
 * tested by test_cli, where it used to live.)
 */
#include <sys/stat.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/file.h"
#include "tests/unit/unit.h"

static char	 dir[] = "/tmp/test_file.XXXXXX";

static size_t
entries(void)
{
	DIR		*d = opendir(dir);
	struct dirent	*e;
	size_t		 n = 0;

	if (d == NULL)
		exit(2);
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			n++;
	closedir(d);
	return n;
}

static const char *
content(const char *path)
{
	static struct buf b = BUF_INIT;
	struct buf	 err = BUF_INIT;

	if (!file_read(path, 1000, &b, &err))
		buf_puts(&b, "(unreadable)");
	buf_free(&err);
	return buf_cstr(&b);
}

int
main(void)
{
	struct buf	 err = BUF_INIT;
	struct stat	 st;
	char		 p[128], target[128];

	if (mkdtemp(dir) == NULL)
		return 2;
	umask(022);
	snprintf(p, sizeof(p), "%s/key.pem", dir);
	CHECK_TRUE("file/write-new", file_write(p, "one", 3, 0600, 0, &err));
	CHECK_STR("file/write-new-content", content(p), "one");
	CHECK_TRUE("file/write-new-mode", stat(p, &st) == 0 &&
	    (st.st_mode & 07777) == 0600);
	/* no FILE_REPLACE: an existing file stays as it was */
	CHECK_TRUE("file/no-replace", !file_write(p, "two", 3, 0600, 0, &err));
	CHECK_TRUE("file/no-replace-says", strstr(buf_cstr(&err),
	    "key.pem: exists (not replaced)") != NULL);
	CHECK_STR("file/no-replace-content", content(p), "one");
	buf_reset(&err);
	/* a world-readable file replaced: the new one has the new mode */
	CHECK_TRUE("file/chmod-old", chmod(p, 0644) == 0);
	CHECK_TRUE("file/replace", file_write(p, "three", 5, 0600,
	    FILE_REPLACE, &err));
	CHECK_STR("file/replace-content", content(p), "three");
	CHECK_TRUE("file/replace-mode", stat(p, &st) == 0 &&
	    (st.st_mode & 07777) == 0600);
	/* a planted symbolic link is never followed */
	snprintf(target, sizeof(target), "%s/target", dir);
	snprintf(p, sizeof(p), "%s/link.pem", dir);
	CHECK_TRUE("file/plant", symlink(target, p) == 0);
	CHECK_TRUE("file/link-no-replace", !file_write(p, "x", 1, 0600, 0,
	    &err));
	CHECK_TRUE("file/link-target-not-made", access(target, F_OK) != 0);
	buf_reset(&err);
	CHECK_TRUE("file/link-replace", file_write(p, "y", 1, 0600,
	    FILE_REPLACE, &err));
	CHECK_TRUE("file/link-replaced-by-file", lstat(p, &st) == 0 &&
	    S_ISREG(st.st_mode));
	CHECK_TRUE("file/link-target-still-not-made", access(target, F_OK) !=
	    0);
	/* key.pem and link.pem: no temporary file left */
	CHECK_INT("file/no-temporaries", entries(), 2);
	/* a directory that does not exist: an error naming the file */
	buf_reset(&err);
	CHECK_TRUE("file/no-dir", !file_write("/nonexistent/x", "z", 1, 0600,
	    0, &err) && strstr(buf_cstr(&err), "/nonexistent/x") != NULL);
	unlink(p);
	snprintf(p, sizeof(p), "%s/key.pem", dir);
	unlink(p);
	rmdir(dir);
	buf_free(&err);
	return UNIT_DONE();
}
