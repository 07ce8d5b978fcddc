/* SPDX-License-Identifier: ISC */
/*
 * odkim: a small driver over libopendkim (OpenDKIM 2.11), an implementation
 * of DKIM independent of fblscope, for the interop tests and the benchmark.
 *
 *   odkim sign -d DOMAIN -s SELECTOR -k KEY.pem [-a ALG] [-c HDR/BODY]
 *       [-h NAME:NAME...] [-o NAME:NAME...] [-l] [-m MARGIN] [FILE]
 *	Prints the message with a DKIM-Signature field prepended.  ALG is
 *	rsa-sha256 (default), ed25519-sha256 or rsa-sha1; -c defaults to
 *	relaxed/simple; -h lists the fields to sign (default: the library's
 *	list), -o those to over-sign; -l adds l=; -m sets the column at which
 *	the DKIM-Signature is folded (0: not folded; default: the library's,
 *	except 0 for ed25519-sha256 with simple header canonicalization,
 *	which libopendkim 2.11 folds inconsistently).
 *
 *   odkim verify (-z ZONEFILE | -K KEYFILE) [-v] [FILE]
 *	Verifies every DKIM-Signature, taking key records from a master-format
 *	zone file (read with ldns) or from a file of "NAME RECORD" lines (the
 *	format of libopendkim's DKIM_QUERY_FILE method), never from DNS.
 *	Prints one line per signature: "pass d=D s=S bits=N" or
 *	"fail d=D s=S: why".  -v reports what libopendkim returned.
 *
 *   odkim features
 *	Prints the optional features of this libopendkim ("ed25519 yes").
 *
 * Exit status: 0 when signing worked or every signature passed (and there
 * was at least one), 1 when a signature did not pass, 2 on a usage, I/O or
 * library error.
 *
 * The message is read whole (at most ODKIM_MAX_MSG bytes); bare LF line
 * ends are turned into CRLF first, as an MTA would hand the message over.
 *
 * Build: cc -std=c11 -D_DEFAULT_SOURCE odkim.c \
 *	$(pkg-config --cflags --libs opendkim ldns) -lcrypto
 */

#include <sys/types.h>

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <dkim.h>
#include <ldns/ldns.h>

#define ODKIM_MAX_MSG		(64u * 1024 * 1024)
#define ODKIM_MAX_KEY		(64u * 1024)
#define ODKIM_MAX_HDRNAMES	64

struct msgbuf {
	unsigned char	*p;
	size_t		 len;
	size_t		 cap;
};

static const char *progname = "odkim";

static void	usage(void);
static int	buf_put(struct msgbuf *, const void *, size_t);
static int	read_all(FILE *, struct msgbuf *, size_t);
static int	read_message(const char *, struct msgbuf *);
static int	feed(DKIM *, const struct msgbuf *);
static int	split_names(char *, const char **, size_t);
static int	set_canon(const char *, dkim_canon_t *, dkim_canon_t *);
static int	parse_margin(const char *, const char **);
static int	zone_to_keyfile(const char *, char *, size_t);
static int	cmd_sign(int, char **);
static int	cmd_verify(int, char **);
static int	cmd_features(void);

static void
usage(void)
{
	fprintf(stderr,
	    "usage: %s sign -d DOMAIN -s SELECTOR -k KEY.pem [-a ALG] "
	    "[-c HDR/BODY]\n"
	    "           [-h NAMES] [-o NAMES] [-l] [-m MARGIN] [FILE]\n"
	    "       %s verify (-z ZONEFILE | -K KEYFILE) [-v] [FILE]\n"
	    "       %s features\n", progname, progname, progname);
	exit(2);
}

static int
buf_put(struct msgbuf *b, const void *p, size_t n)
{
	unsigned char	*np;
	size_t		 ncap;

	if (n > ODKIM_MAX_MSG || b->len > ODKIM_MAX_MSG - n)
		return -1;
	if (b->len + n > b->cap) {
		ncap = b->cap ? b->cap : 65536;
		while (ncap < b->len + n)
			ncap *= 2;
		if ((np = realloc(b->p, ncap)) == NULL)
			return -1;
		b->p = np;
		b->cap = ncap;
	}
	memcpy(b->p + b->len, p, n);
	b->len += n;
	return 0;
}

/* Read f to its end into b; at most max bytes. */
static int
read_all(FILE *f, struct msgbuf *b, size_t max)
{
	unsigned char	chunk[65536];
	size_t		n;

	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (b->len + n > max || buf_put(b, chunk, n) == -1)
			return -1;
	}
	return ferror(f) ? -1 : 0;
}

/* Read the message, turning bare LF into CRLF. */
static int
read_message(const char *path, struct msgbuf *m)
{
	struct msgbuf	 raw = { NULL, 0, 0 };
	FILE		*f = stdin;
	size_t		 i;
	int		 rc = -1;

	if (path != NULL && strcmp(path, "-") != 0 &&
	    (f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, path,
		    strerror(errno));
		return -1;
	}
	if (read_all(f, &raw, ODKIM_MAX_MSG) == -1) {
		fprintf(stderr, "%s: %s: read error or message too large\n",
		    progname, path ? path : "stdin");
		goto out;
	}
	for (i = 0; i < raw.len; i++) {
		if (raw.p[i] == '\n' && (i == 0 || raw.p[i - 1] != '\r')) {
			if (buf_put(m, "\r\n", 2) == -1)
				goto out;
		} else if (buf_put(m, raw.p + i, 1) == -1)
			goto out;
	}
	rc = 0;
 out:
	if (f != stdin)
		fclose(f);
	free(raw.p);
	return rc;
}

/*
 * Hand the message to libopendkim: each header field (with its folding, but
 * without its final CRLF) through dkim_header(), then dkim_eoh(), the body
 * through dkim_body(), and dkim_eom() is left to the caller.
 */
static int
feed(DKIM *dkim, const struct msgbuf *m)
{
	static const unsigned char	 empty[1];
	const unsigned char		*p, *end, *field, *eol;
	DKIM_STAT			 st;

	p = m->len > 0 ? m->p : empty;
	end = p + m->len;

	while (p < end) {
		if (end - p >= 2 && p[0] == '\r' && p[1] == '\n') {
			p += 2;			/* the empty line */
			break;
		}
		field = p;
		for (;;) {
			eol = memchr(p, '\n', end - p);
			p = eol ? eol + 1 : end;
			if (p >= end || (*p != ' ' && *p != '\t'))
				break;
		}
		/* Drop the CRLF that ends the field. */
		eol = p;
		if (eol > field && eol[-1] == '\n')
			eol--;
		if (eol > field && eol[-1] == '\r')
			eol--;
		st = dkim_header(dkim, (u_char *)field, eol - field);
		if (st != DKIM_STAT_OK) {
			fprintf(stderr, "%s: dkim_header: %s\n", progname,
			    dkim_getresultstr(st));
			return -1;
		}
	}
	st = dkim_eoh(dkim);
	if (st != DKIM_STAT_OK && st != DKIM_STAT_NOSIG) {
		fprintf(stderr, "%s: dkim_eoh: %s (%s)\n", progname,
		    dkim_getresultstr(st), dkim_geterror(dkim) ?
		    dkim_geterror(dkim) : "");
		return -1;
	}
	if (st == DKIM_STAT_NOSIG)
		return 1;
	if (p < end) {
		st = dkim_body(dkim, (u_char *)p, end - p);
		if (st != DKIM_STAT_OK) {
			fprintf(stderr, "%s: dkim_body: %s\n", progname,
			    dkim_getresultstr(st));
			return -1;
		}
	}
	return 0;
}

/* Split "a:b:c" in place into at most max names, NULL-terminated. */
static int
split_names(char *s, const char **names, size_t max)
{
	size_t	 n = 0;
	char	*tok;

	for (tok = strtok(s, ":"); tok != NULL; tok = strtok(NULL, ":")) {
		if (n + 1 >= max)
			return -1;
		names[n++] = tok;
	}
	names[n] = NULL;
	return n > 0 ? 0 : -1;
}

static int
set_canon(const char *c, dkim_canon_t *hc, dkim_canon_t *bc)
{
	const char	*slash = strchr(c, '/');
	const char	*b = slash ? slash + 1 : "simple";
	size_t		 hl = slash ? (size_t)(slash - c) : strlen(c);

	if (hl == 6 && strncmp(c, "simple", 6) == 0)
		*hc = DKIM_CANON_SIMPLE;
	else if (hl == 7 && strncmp(c, "relaxed", 7) == 0)
		*hc = DKIM_CANON_RELAXED;
	else
		return -1;
	if (strcmp(b, "simple") == 0)
		*bc = DKIM_CANON_SIMPLE;
	else if (strcmp(b, "relaxed") == 0)
		*bc = DKIM_CANON_RELAXED;
	else
		return -1;
	return 0;
}

static int
parse_margin(const char *s, const char **errstr)
{
	char	*end;
	long	 v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (errno != 0 || end == s || *end != '\0' || v < 0 || v > 10000) {
		*errstr = "not a number in 0..10000";
		return -1;
	}
	*errstr = NULL;
	return (int)v;
}

static int
cmd_sign(int argc, char **argv)
{
	const char	*domain = NULL, *selector = NULL, *keypath = NULL;
	const char	*alg = "rsa-sha256", *canon = "relaxed/simple";
	char		*hdrs = NULL, *over = NULL;
	const char	*hnames[ODKIM_MAX_HDRNAMES], *onames[ODKIM_MAX_HDRNAMES];
	bool		 with_l = false;
	struct msgbuf	 msg = { NULL, 0, 0 }, key = { NULL, 0, 0 };
	dkim_canon_t	 hc, bc;
	dkim_alg_t	 sa;
	DKIM_LIB	*lib = NULL;
	DKIM		*dkim = NULL;
	DKIM_STAT	 st;
	FILE		*kf;
	u_char		*sighdr = NULL, *q;
	size_t		 siglen = 0;
	u_int		 flags;
	int		 ch, margin = -1, rc = 2;
	const char	*errstr = NULL;

	while ((ch = getopt(argc, argv, "a:c:d:h:k:lm:o:s:")) != -1) {
		switch (ch) {
		case 'a':
			alg = optarg;
			break;
		case 'c':
			canon = optarg;
			break;
		case 'd':
			domain = optarg;
			break;
		case 'h':
			hdrs = optarg;
			break;
		case 'k':
			keypath = optarg;
			break;
		case 'l':
			with_l = true;
			break;
		case 'm':
			margin = parse_margin(optarg, &errstr);
			if (errstr != NULL) {
				fprintf(stderr, "%s: margin %s: %s\n",
				    progname, optarg, errstr);
				return 2;
			}
			break;
		case 'o':
			over = optarg;
			break;
		case 's':
			selector = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (domain == NULL || selector == NULL || keypath == NULL ||
	    argc > 1)
		usage();
	if (set_canon(canon, &hc, &bc) == -1) {
		fprintf(stderr, "%s: bad canonicalization %s\n", progname,
		    canon);
		return 2;
	}
	if (strcmp(alg, "rsa-sha256") == 0)
		sa = DKIM_SIGN_RSASHA256;
	else if (strcmp(alg, "ed25519-sha256") == 0)
		sa = DKIM_SIGN_ED25519SHA256;
	else if (strcmp(alg, "rsa-sha1") == 0)
		sa = DKIM_SIGN_RSASHA1;
	else {
		fprintf(stderr, "%s: unknown algorithm %s\n", progname, alg);
		return 2;
	}
	if ((hdrs != NULL && split_names(hdrs, hnames,
	    ODKIM_MAX_HDRNAMES) == -1) || (over != NULL && split_names(over,
	    onames, ODKIM_MAX_HDRNAMES) == -1)) {
		fprintf(stderr, "%s: bad header name list\n", progname);
		return 2;
	}

	if ((kf = fopen(keypath, "rb")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, keypath,
		    strerror(errno));
		return 2;
	}
	if (read_all(kf, &key, ODKIM_MAX_KEY) == -1 ||
	    buf_put(&key, "", 1) == -1) {
		fprintf(stderr, "%s: %s: cannot read key\n", progname,
		    keypath);
		fclose(kf);
		goto out;
	}
	fclose(kf);
	if (read_message(argc == 1 ? argv[0] : NULL, &msg) == -1)
		goto out;

	if ((lib = dkim_init(NULL, NULL)) == NULL) {
		fprintf(stderr, "%s: dkim_init failed\n", progname);
		goto out;
	}
	if (sa == DKIM_SIGN_ED25519SHA256 &&
	    !dkim_libfeature(lib, DKIM_FEATURE_ED25519)) {
		fprintf(stderr, "%s: this libopendkim cannot do ed25519\n",
		    progname);
		goto out;
	}
	if (with_l) {
		if (dkim_options(lib, DKIM_OP_GETOPT, DKIM_OPTS_FLAGS, &flags,
		    sizeof(flags)) != DKIM_STAT_OK)
			goto liberr;
		flags |= DKIM_LIBFLAGS_SIGNLEN;
		if (dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_FLAGS, &flags,
		    sizeof(flags)) != DKIM_STAT_OK)
			goto liberr;
	}
	if (hdrs != NULL && dkim_options(lib, DKIM_OP_SETOPT,
	    DKIM_OPTS_SIGNHDRS, hnames, sizeof(char **)) != DKIM_STAT_OK)
		goto liberr;
	if (over != NULL && dkim_options(lib, DKIM_OP_SETOPT,
	    DKIM_OPTS_OVERSIGNHDRS, onames, sizeof(char **)) != DKIM_STAT_OK)
		goto liberr;

	dkim = dkim_sign(lib, (const u_char *)"odkim", NULL, key.p,
	    (const u_char *)selector, (const u_char *)domain, hc, bc, sa, -1,
	    &st);
	if (dkim == NULL) {
		fprintf(stderr, "%s: dkim_sign: %s\n", progname,
		    dkim_getresultstr(st));
		goto out;
	}
	/*
	 * libopendkim 2.11.0~beta2 folds an ed25519-sha256 DKIM-Signature
	 * one way when it hashes it (b= empty) and another way when it hands
	 * it out (b= filled in), which only simple header canonicalization
	 * sees: the signature never verifies, in dkimpy, fblscope or
	 * libopendkim itself.  Unfolded (margin 0), both are the same.
	 */
	if (margin < 0 && sa == DKIM_SIGN_ED25519SHA256 &&
	    hc == DKIM_CANON_SIMPLE)
		margin = 0;
	if (margin >= 0 && dkim_set_margin(dkim, margin) != DKIM_STAT_OK) {
		fprintf(stderr, "%s: dkim_set_margin %d failed\n", progname,
		    margin);
		goto out;
	}
	if (feed(dkim, &msg) == -1)
		goto out;
	st = dkim_eom(dkim, NULL);
	if (st != DKIM_STAT_OK) {
		fprintf(stderr, "%s: dkim_eom: %s (%s)\n", progname,
		    dkim_getresultstr(st), dkim_geterror(dkim) ?
		    dkim_geterror(dkim) : "");
		goto out;
	}
	st = dkim_getsighdr_d(dkim, strlen(DKIM_SIGNHEADER) + 2, &sighdr,
	    &siglen);
	if (st != DKIM_STAT_OK) {
		fprintf(stderr, "%s: dkim_getsighdr_d: %s\n", progname,
		    dkim_getresultstr(st));
		goto out;
	}
	/* The library folds with a bare LF; the message uses CRLF. */
	fputs(DKIM_SIGNHEADER ": ", stdout);
	for (q = sighdr; q < sighdr + siglen && *q != '\0'; q++) {
		if (*q == '\n' && (q == sighdr || q[-1] != '\r'))
			putchar('\r');
		putchar(*q);
	}
	fputs("\r\n", stdout);
	if (fwrite(msg.p, 1, msg.len, stdout) != msg.len ||
	    fflush(stdout) == EOF) {
		fprintf(stderr, "%s: write error\n", progname);
		goto out;
	}
	rc = 0;
	goto out;
 liberr:
	fprintf(stderr, "%s: dkim_options failed\n", progname);
 out:
	if (dkim != NULL)
		dkim_free(dkim);
	if (lib != NULL)
		dkim_close(lib);
	if (key.p != NULL)
		explicit_bzero(key.p, key.cap);
	free(key.p);
	free(msg.p);
	return rc;
}

/*
 * Write the TXT records of a master-format zone file as the "NAME RECORD"
 * lines libopendkim's file query method reads (NAME without the final dot,
 * the record's character-strings joined) into a new temporary file, whose
 * path goes to path.
 */
static int
zone_to_keyfile(const char *zone, char *path, size_t pathsz)
{
	ldns_zone	*z = NULL;
	ldns_rr_list	*rrs;
	ldns_rr		*rr;
	ldns_rdf	*rdf;
	ldns_status	 s;
	FILE		*in, *out = NULL;
	const char	*tmp;
	char		*owner;
	size_t		 i, j, olen;
	int		 fd, line = 0, rc = -1;

	if ((in = fopen(zone, "r")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, zone,
		    strerror(errno));
		return -1;
	}
	s = ldns_zone_new_frm_fp_l(&z, in, NULL, 300, LDNS_RR_CLASS_IN,
	    &line);
	fclose(in);
	if (s != LDNS_STATUS_OK) {
		fprintf(stderr, "%s: %s:%d: %s\n", progname, zone, line,
		    ldns_get_errorstr_by_id(s));
		return -1;
	}
	if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	if ((size_t)snprintf(path, pathsz, "%s/odkim-keys.XXXXXX", tmp) >=
	    pathsz)
		goto out;
	if ((fd = mkstemp(path)) == -1 || (out = fdopen(fd, "w")) == NULL) {
		fprintf(stderr, "%s: %s: %s\n", progname, path,
		    strerror(errno));
		if (fd != -1) {
			close(fd);
			unlink(path);
		}
		goto out;
	}
	rrs = ldns_zone_rrs(z);
	for (i = 0; i < ldns_rr_list_rr_count(rrs); i++) {
		rr = ldns_rr_list_rr(rrs, i);
		if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT)
			continue;
		if ((owner = ldns_rdf2str(ldns_rr_owner(rr))) == NULL)
			goto out;
		olen = strlen(owner);
		if (olen > 1 && owner[olen - 1] == '.')
			owner[olen - 1] = '\0';
		fprintf(out, "%s ", owner);
		free(owner);
		for (j = 0; j < ldns_rr_rd_count(rr); j++) {
			rdf = ldns_rr_rdf(rr, j);
			/* A character-string: a length byte, then data. */
			if (ldns_rdf_size(rdf) < 1)
				continue;
			fwrite(ldns_rdf_data(rdf) + 1, 1,
			    ldns_rdf_size(rdf) - 1, out);
		}
		fputc('\n', out);
	}
	if (fflush(out) == EOF || ferror(out)) {
		fprintf(stderr, "%s: %s: write error\n", progname, path);
		goto out;
	}
	rc = 0;
 out:
	if (out != NULL)
		fclose(out);
	if (rc == -1 && out != NULL)
		unlink(path);
	ldns_zone_deep_free(z);
	return rc;
}

static int
cmd_verify(int argc, char **argv)
{
	const char	*zone = NULL, *keyfile = NULL;
	char		 tmpkeys[4096] = "";
	bool		 verbose = false;
	struct msgbuf	 msg = { NULL, 0, 0 };
	DKIM_LIB	*lib = NULL;
	DKIM		*dkim = NULL;
	DKIM_SIGINFO	**sigs = NULL;
	DKIM_STAT	 st;
	dkim_query_t	 qm = DKIM_QUERY_FILE;
	unsigned int	 bits;
	int		 ch, i, nsigs = 0, r, rc = 2, failed = 0;
	int		 err, bh;
	const char	*dom, *sel, *why;

	while ((ch = getopt(argc, argv, "K:vz:")) != -1) {
		switch (ch) {
		case 'K':
			keyfile = optarg;
			break;
		case 'v':
			verbose = true;
			break;
		case 'z':
			zone = optarg;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((zone == NULL) == (keyfile == NULL) || argc > 1)
		usage();
	if (zone != NULL) {
		if (zone_to_keyfile(zone, tmpkeys, sizeof(tmpkeys)) == -1)
			return 2;
		keyfile = tmpkeys;
	}
	if (read_message(argc == 1 ? argv[0] : NULL, &msg) == -1)
		goto out;
	if ((lib = dkim_init(NULL, NULL)) == NULL) {
		fprintf(stderr, "%s: dkim_init failed\n", progname);
		goto out;
	}
	if (dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYMETHOD, &qm,
	    sizeof(qm)) != DKIM_STAT_OK ||
	    dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYINFO,
	    (void *)keyfile, strlen(keyfile)) != DKIM_STAT_OK) {
		fprintf(stderr, "%s: dkim_options failed\n", progname);
		goto out;
	}
	if ((dkim = dkim_verify(lib, (const u_char *)"odkim", NULL,
	    &st)) == NULL) {
		fprintf(stderr, "%s: dkim_verify: %s\n", progname,
		    dkim_getresultstr(st));
		goto out;
	}
	if ((r = feed(dkim, &msg)) == -1)
		goto out;
	if (r == 1) {
		printf("none: no DKIM-Signature\n");
		rc = 1;
		goto out;
	}
	st = dkim_eom(dkim, NULL);
	if (verbose)
		fprintf(stderr, "%s: dkim_eom: %s (%s)\n", progname,
		    dkim_getresultstr(st), dkim_geterror(dkim) ?
		    dkim_geterror(dkim) : "");
	if (dkim_getsiglist(dkim, &sigs, &nsigs) != DKIM_STAT_OK ||
	    nsigs == 0) {
		printf("none: no DKIM-Signature\n");
		rc = 1;
		goto out;
	}
	for (i = 0; i < nsigs; i++) {
		dom = (const char *)dkim_sig_getdomain(sigs[i]);
		sel = (const char *)dkim_sig_getselector(sigs[i]);
		dom = dom ? dom : "?";
		sel = sel ? sel : "?";
		if (DKIM_SIG_CHECK(sigs[i])) {
			if (dkim_sig_getkeysize(sigs[i], &bits) != DKIM_STAT_OK)
				bits = 0;
			printf("pass d=%s s=%s bits=%u\n", dom, sel, bits);
			continue;
		}
		failed++;
		err = dkim_sig_geterror(sigs[i]);
		bh = dkim_sig_getbh(sigs[i]);
		if (err != DKIM_SIGERROR_OK)
			why = dkim_sig_geterrorstr(err);
		else if (bh == DKIM_SIGBH_MISMATCH)
			why = "body hash mismatch";
		else if ((dkim_sig_getflags(sigs[i]) &
		    DKIM_SIGFLAG_PROCESSED) == 0)
			why = "not processed";
		else
			why = "signature did not verify";
		printf("fail d=%s s=%s: %s\n", dom, sel, why ? why : "?");
	}
	rc = failed ? 1 : 0;
 out:
	if (fflush(stdout) == EOF)
		rc = 2;
	if (dkim != NULL)
		dkim_free(dkim);
	if (lib != NULL)
		dkim_close(lib);
	if (tmpkeys[0] != '\0')
		unlink(tmpkeys);
	free(msg.p);
	return rc;
}

static int
cmd_features(void)
{
	DKIM_LIB	*lib;

	if ((lib = dkim_init(NULL, NULL)) == NULL)
		return 2;
	printf("ed25519 %s\n", dkim_libfeature(lib, DKIM_FEATURE_ED25519) ?
	    "yes" : "no");
	printf("sha256 %s\n", dkim_libfeature(lib, DKIM_FEATURE_SHA256) ?
	    "yes" : "no");
	printf("oversign %s\n", dkim_libfeature(lib, DKIM_FEATURE_OVERSIGN) ?
	    "yes" : "no");
	dkim_close(lib);
	return 0;
}

int
main(int argc, char *argv[])
{
	if (argc < 2)
		usage();
	if (strcmp(argv[1], "sign") == 0)
		return cmd_sign(argc - 1, argv + 1);
	if (strcmp(argv[1], "verify") == 0)
		return cmd_verify(argc - 1, argv + 1);
	if (strcmp(argv[1], "features") == 0)
		return cmd_features();
	usage();
	return 2;
}
