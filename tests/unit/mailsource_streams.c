/* SPDX-License-Identifier: ISC */
/*
 * mailsource_streams: the part of test_mailsource for standard input (read
 * through a pipe fed by a child), the --pipe mode, every file of the shared
 * corpus as one message, and IMAP URLs refused before any connection.  See
 * mailsource_test.h.
 */
#define UNIT_PART
#include <sys/types.h>
#include <sys/wait.h>

#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "base/digest.h"
#include "fbl/source/mailsource.h"
#include "tests/unit/unit.h"
#include "tests/unit/mailsource_test.h"

/* --- stdin --------------------------------------------------------------- */

static size_t	 stdin_max;	/* bytes of a message; 0: the default */

/*
 * Run one stdin source over a pipe fed with in[0..len) (by a child process,
 * so that more than a pipe buffer can go through), collecting up to 4 items
 * and their errors.
 */
static size_t
stdin_items(const char *in, size_t len, unsigned flags, struct mail_item *it,
    int *rc, struct buf *err)
{
	struct mail_source *src;
	int		 p[2], saved, status;
	pid_t		 pid;
	size_t		 n = 0;

	if (pipe(p) == -1 || (saved = dup(STDIN_FILENO)) == -1)
		die("pipe");
	if ((pid = fork()) == -1)
		die("fork");
	if (pid == 0) {
		close(p[0]);
		if (write(p[1], in, len) != (ssize_t)len)
			_exit(1);
		_exit(0);
	}
	close(p[1]);
	if (dup2(p[0], STDIN_FILENO) == -1)
		die("dup2");
	close(p[0]);
	src = open_ok("stdin: open", "-", flags);
	if (stdin_max > 0)
		mail_source_set_max_message(src, stdin_max);
	/* the errors of all items add up in err */
	buf_reset(err);
	while (n < 4 && (rc[n] = mail_source_next(src, &it[n], err)) != 0)
		n++;
	mail_source_close(src);
	if (dup2(saved, STDIN_FILENO) == -1)
		die("dup2");
	close(saved);
	if (waitpid(pid, &status, 0) == -1 || !WIFEXITED(status) ||
	    WEXITSTATUS(status) != 0)
		die("writer child");
	return n;
}

void
test_stdin(void)
{
	static const char piped[] =
	    "From bounce@esp.example Mon Jan  1 00:00:00 2024\n"
	    "Subject: piped\n\n"
	    "\n"
	    "From what I saw, one message\n"
	    ">From not unquoted\n";
	struct mail_item it[4];
	struct buf	 err = BUF_INIT;
	int		 rc[4];
	size_t		 n, i, big = 300000;
	char		*b;

	memset(it, 0, sizeof(it));
	n = stdin_items("Subject: s\n\nhi\n", 15, 0, it, rc, &err);
	CHECK_INT("stdin: one item", n, 1);
	CHECK_INT("stdin: ok", rc[0], 1);
	CHECK_STR("stdin: bytes", bytes(&it[0]), "Subject: s\n\nhi\n");
	CHECK_STR("stdin: origin", it[0].origin, "-");
	mail_item_free(&it[0]);

	/* an MTA's From_ line is the envelope; the rest is one message */
	n = stdin_items(piped, strlen(piped), 0, it, rc, &err);
	CHECK_INT("stdin: From_ one item", n, 1);
	CHECK_STR("stdin: From_ removed, nothing else", bytes(&it[0]),
	    "Subject: piped\n\n\nFrom what I saw, one message\n"
	    ">From not unquoted\n");
	CHECK_STR("stdin: envelope", it[0].envelope_from,
	    "bounce@esp.example");
	mail_item_free(&it[0]);

	/* the same bytes as an mbox */
	n = stdin_items(two_mbox, strlen(two_mbox), MAIL_SOURCE_STDIN_MBOX,
	    it, rc, &err);
	CHECK_INT("stdin mbox: two items", n, 2);
	CHECK_STR("stdin mbox: origin", it[1].origin, "-@61 (message 2)");
	CHECK_STR("stdin mbox: unquoted", bytes(&it[0]),
	    "Subject: m1\n\nFrom quoted\n");
	for (i = 0; i < n; i++)
		mail_item_free(&it[i]);

	/* more than a pipe buffer */
	if ((b = malloc(big)) == NULL)
		die("malloc");
	memset(b, 'y', big);
	memcpy(b, "Subject: big\n\n", 14);
	n = stdin_items(b, big, 0, it, rc, &err);
	CHECK_INT("stdin: big", n, 1);
	CHECK_INT("stdin: big len", it[0].len, big);
	CHECK_TRUE("stdin: big bytes", it[0].data != NULL &&
	    memcmp(it[0].data, b, big) == 0);
	mail_item_free(&it[0]);
	free(b);

	n = stdin_items("", 0, 0, it, rc, &err);
	CHECK_INT("stdin: empty is an error item", n == 1 ? rc[0] : 0, -1);
	CHECK_TRUE("stdin: empty says so", strstr(buf_cstr(&err),
	    "-: empty") != NULL);
	mail_item_free(&it[0]);
	buf_free(&err);
}

/*
 * Pipe delivery: a message too large to keep is read to its end (the
 * writer, an MTA, must not meet a closed pipe: stdin_items fails when it
 * does) and counted by the SHA-256 of all its bytes.
 */
void
test_stdin_pipe(void)
{
	struct mail_item it[4];
	struct buf	 err = BUF_INIT;
	unsigned char	 want[DIGEST_SHA256_LEN];
	int		 rc[4];
	size_t		 n, big = 300000;
	char		*b;

	memset(it, 0, sizeof(it));
	if ((b = malloc(big)) == NULL)
		die("malloc");
	memset(b, 'z', big);
	memcpy(b, "From bounce@esp.example Mon Jan  1 00:00:00 2024\n"
	    "Subject: huge\n\n", 64);
	(void)digest_sha256(b, big, want);
	stdin_max = 1000;
	n = stdin_items(b, big, MAIL_SOURCE_PIPE, it, rc, &err);
	CHECK_INT("stdin pipe: too large is an error item", n == 1 ? rc[0] :
	    0, -1);
	CHECK_STR("stdin pipe: never", it[0].never, "too-large");
	CHECK_TRUE("stdin pipe: read to the end", it[0].has_digest &&
	    it[0].stream_len == big);
	CHECK_MEM("stdin pipe: SHA-256 of every byte", it[0].digest,
	    sizeof(it[0].digest), want, sizeof(want));
	CHECK_TRUE("stdin pipe: says the size", strstr(buf_cstr(&err),
	    "-: too large (300000 bytes, over 1000)") != NULL);
	mail_item_free(&it[0]);

	/* without the flag (and within a pipe buffer): no digest */
	n = stdin_items(b, 2000, 0, it, rc, &err);
	CHECK_TRUE("stdin: too large, no digest", n == 1 && rc[0] == -1 &&
	    !it[0].has_digest && it[0].never != NULL);
	mail_item_free(&it[0]);
	stdin_max = 0;

	n = stdin_items("Subject: s\n\nhi\n", 15, MAIL_SOURCE_PIPE, it, rc,
	    &err);
	CHECK_TRUE("stdin pipe: a message as ever", n == 1 && rc[0] == 1 &&
	    !it[0].has_digest && strcmp(bytes(&it[0]),
	    "Subject: s\n\nhi\n") == 0);
	mail_item_free(&it[0]);
	free(b);
	buf_free(&err);
}

/* --- the shared corpus --------------------------------------------------- */

/* Every file of corpus/arf is one message, From_ line or not. */
void
test_corpus(void)
{
	struct mail_source *src;
	struct mail_item it;
	struct buf	 err = BUF_INIT;
	const char	*c = getenv("FBL_CORPUS");
	char		 dir[4096];
	size_t		 ok = 0, bad = 0;
	int		 rc;

	snprintf(dir, sizeof(dir), "%s/arf", c != NULL ? c :
	    "../shared/corpus");
	if ((src = mail_source_open(dir, 0, &err)) == NULL) {
		printf("skip mailsource: corpus: %s\n", buf_cstr(&err));
		buf_free(&err);
		return;
	}
	memset(&it, 0, sizeof(it));
	while ((rc = next(src, &it, &err)) != 0) {
		if (rc == 1 && strstr(it.origin, "(message 2)") == NULL)
			ok++;
		else
			bad++;
		mail_item_free(&it);
	}
	/* 62 reports (corpus README), 15 of them with a From_ line */
	CHECK_INT("corpus: arf/ messages", ok, 62);
	CHECK_INT("corpus: arf/ none split or failed", bad, 0);
	mail_source_close(src);
	buf_free(&err);
}

/*
 * IMAP URLs refused before any connection is tried: each error says why and
 * never repeats a password.
 */
static void
imap_refused(const char *name, const char *url,
    const struct mail_source_net *net, const char *want)
{
	struct mail_source *src;
	struct buf	 err = BUF_INIT;
	char		 what[128];

	src = mail_source_open_net(url, 0, net, &err);
	snprintf(what, sizeof(what), "imap url: %s refused", name);
	CHECK_TRUE(what, src == NULL);
	snprintf(what, sizeof(what), "imap url: %s says why", name);
	CHECK_TRUE(what, strstr(buf_cstr(&err), want) != NULL);
	snprintf(what, sizeof(what), "imap url: %s hides the password", name);
	CHECK_TRUE(what, strstr(buf_cstr(&err), "s3cret") == NULL);
	mail_source_close(src);
	buf_free(&err);
}

void
test_imap_urls(void)
{
	struct mail_source_net net = { "pw", NULL, NULL, NULL };
	struct mail_source_net same = { "pw", NULL, "Feedback", NULL };

	CHECK_TRUE("imap url: imaps", mail_source_is_imap("imaps://u@h/F"));
	CHECK_TRUE("imap url: IMAP", mail_source_is_imap("IMAP://u@h/F"));
	CHECK_TRUE("imap url: a path", !mail_source_is_imap("imap/F"));
	imap_refused("password", "imaps://fbl:s3cret@127.0.0.1:1/Feedback",
	    &net, "a password in the URL");
	imap_refused("no user", "imaps://127.0.0.1:1/Feedback", &net,
	    "no user");
	imap_refused("uid", "imaps://fbl@127.0.0.1:1/Feedback;UID=3", &net,
	    "only imaps://");
	imap_refused("query", "imaps://fbl@127.0.0.1:1/Feedback?ALL", &net,
	    "only imaps://");
	imap_refused("no folder", "imaps://fbl@127.0.0.1:1/", &net,
	    "no folder");
	imap_refused("quote", "imaps://fbl@127.0.0.1:1/a%22b", &net,
	    "no folder");
	imap_refused("no password", "imaps://fbl@127.0.0.1:1/Feedback", NULL,
	    "no password");
	imap_refused("processed is read", "imaps://fbl@127.0.0.1:1/Feedback",
	    &same, "must be other folders");
	imap_refused("not a url", "imaps://fbl@[nope/Feedback", &net,
	    "not a URL");
}

