/* SPDX-License-Identifier: ISC */
/*
 * test_zonefile: the one zone-file reader, under both policies for bad
 * entries, and the lines it gives.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "unit.h"
#include "verifier/zonefile.h"

static char	 tmpdir[] = "/tmp/test_zonefile.XXXXXX";
static char	 path[300];

/* What the callbacks heard, one "LINE rr|bad OWNER-or-why" per line. */
struct heard {
	struct buf	 log;
	size_t		 keep_until;	/* rr returns false after this many */
	size_t		 nrr;
};

static bool
on_rr(void *arg, const char *p, int line, ldns_rr *rr, struct buf *err)
{
	struct heard	*h = arg;
	char		*owner = ldns_rdf2str(ldns_rr_owner(rr));

	(void)p;
	buf_printf(&h->log, "%d rr %s\n", line, owner != NULL ? owner : "?");
	free(owner);
	ldns_rr_free(rr);
	if (h->keep_until > 0 && ++h->nrr >= h->keep_until) {
		buf_puts(err, "enough");
		return false;
	}
	return true;
}

static void
on_bad(void *arg, const char *p, int line, const char *why)
{
	struct heard	*h = arg;

	(void)p;
	(void)why;
	buf_printf(&h->log, "%d bad\n", line);
}

static const char *
write_zone(const char *text)
{
	FILE	*fp;

	snprintf(path, sizeof(path), "%s/t.zone", tmpdir);
	if ((fp = fopen(path, "w")) == NULL || fputs(text, fp) == EOF ||
	    fclose(fp) != 0) {
		fprintf(stderr, "cannot write %s\n", path);
		exit(2);
	}
	return path;
}

/* Read text under a policy; the log, and err after "|" when it failed. */
static void
run(const char *name, const char *text, enum zonefile_policy pol,
    size_t max_bad, size_t keep_until, const char *want, size_t want_nrr)
{
	struct zonefile_reader	 zr;
	struct heard		 h;
	struct buf		 err = BUF_INIT;
	char			 label[128];
	size_t			 nrr = 99;
	const char		*p = write_zone(text);

	memset(&h, 0, sizeof(h));
	h.keep_until = keep_until;
	memset(&zr, 0, sizeof(zr));
	zr.policy = pol;
	zr.max_bad = max_bad;
	zr.rr = on_rr;
	zr.bad = on_bad;
	zr.arg = &h;
	if (!zonefile_read(p, &zr, &nrr, &err)) {
		buf_puts(&h.log, "|");
		/* the path is the test's temporary one: keep what follows */
		buf_puts(&h.log, strncmp(buf_cstr(&err), p, strlen(p)) == 0 ?
		    buf_cstr(&err) + strlen(p) : buf_cstr(&err));
	}
	snprintf(label, sizeof(label), "zonefile/%s", name);
	CHECK_STR(label, buf_cstr(&h.log), want);
	snprintf(label, sizeof(label), "zonefile/%s-nrr", name);
	CHECK_INT(label, nrr, want_nrr);
	buf_free(&h.log);
	buf_free(&err);
}

static const char two_bad[] =
    "$ORIGIN t.test.\n"
    "$TTL 300\n"
    "a IN TXT \"one\"\n"
    "b IN A 999.1.1.1\n"
    "c IN TXT \"two\"\n"
    "d IN BOGUSTYPE 1\n"
    "e IN TXT ( \"three\"\n"
    "   \"four\" )\n";

static void
test_policies(void)
{
	run("stop", two_bad, ZONEFILE_STOP, 0, 0,
	    "3 rr a.t.test.\n"
	    "|:4: Syntax error, could not parse the RR's rdata", 1);
	run("skip", two_bad, ZONEFILE_SKIP, 100, 0,
	    "3 rr a.t.test.\n4 bad\n5 rr c.t.test.\n6 bad\n8 rr e.t.test.\n",
	    3);
	run("skip-max-bad", two_bad, ZONEFILE_SKIP, 1, 0,
	    "3 rr a.t.test.\n4 bad\n", 1);
	run("rr-refuses", two_bad, ZONEFILE_SKIP, 100, 2,
	    "3 rr a.t.test.\n4 bad\n5 rr c.t.test.\n|enough", 2);
	run("empty", "; nothing\n\n", ZONEFILE_STOP, 0, 0, "", 0);
}

/* ldns counts newlines; a last line without one is still a line. */
static void
test_lines(void)
{
	run("last-bad-newline", "x.test. 1 IN TXT \"a\"\n"
	    "y.test. 1 IN A 999.1.1.1\n",
	    ZONEFILE_SKIP, 100, 0, "1 rr x.test.\n2 bad\n", 1);
	run("last-bad-no-newline", "x.test. 1 IN TXT \"a\"\n"
	    "y.test. 1 IN A 999.1.1.1",
	    ZONEFILE_STOP, 0, 0, "1 rr x.test.\n|:2: Syntax error, could not "
	    "parse the RR's rdata", 1);
	run("last-rr-no-newline", "x.test. 1 IN TXT \"a\"\ny.test. 1 IN TXT "
	    "\"b\"", ZONEFILE_STOP, 0, 0, "1 rr x.test.\n2 rr y.test.\n", 2);
}

static void
test_missing(void)
{
	struct zonefile_reader	 zr;
	struct buf		 err = BUF_INIT;
	char			 p[320];

	memset(&zr, 0, sizeof(zr));
	zr.rr = on_rr;
	snprintf(p, sizeof(p), "%s/absent.zone", tmpdir);
	CHECK_TRUE("zonefile/missing-fails",
	    !zonefile_read(p, &zr, NULL, &err));
	CHECK_TRUE("zonefile/missing-named", strstr(buf_cstr(&err),
	    "absent.zone: No such file") != NULL);
	buf_free(&err);
}

static void
cleanup(void)
{
	char	 p[320];

	snprintf(p, sizeof(p), "%s/t.zone", tmpdir);
	unlink(p);
	rmdir(tmpdir);
}

int
main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	if (mkdtemp(tmpdir) == NULL) {
		perror("mkdtemp");
		return 2;
	}
	atexit(cleanup);
	test_policies();
	test_lines();
	test_missing();
	return UNIT_DONE();
}
