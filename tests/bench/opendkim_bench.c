/* SPDX-License-Identifier: ISC */
/*
 * opendkim_bench: benchmark harness driving libopendkim (Debian's
 * libopendkim-dev) over the listed messages, keys from a zone file.
 *
 *	opendkim_bench [-q mem|file] ZONE LIST [COUNT]
 *
 * LIST holds one message file name a line (relative to the current
 * directory); only the first COUNT are verified when COUNT is given.  Each
 * message is read whole, split into header fields and body, and fed to
 * dkim_header() / dkim_eoh() / dkim_body() / dkim_eom() as a milter would.
 * A signature counts as passed when DKIM_SIG_CHECK() holds (signature and
 * body hash both good).  Prints one line:
 *	opendkim messages N signatures S passed P seconds T query Q
 * where T is the CPU time of the loop (zone loading excluded).
 *
 * Key lookups (-q):
 *   mem	(default) libopendkim's DNS query method, with the resolver
 *		hooks (dkim_dns_set_query_start() and friends) answering from
 *		the zone in memory: a hash lookup and a wire-format reply
 *		built in the caller's buffer.  This is what a production
 *		verifier with a warm DNS cache costs, like fblscope --zone.
 *   file	DKIM_QUERY_FILE (DKIM_OPTS_QUERYMETHOD / DKIM_OPTS_QUERYINFO),
 *		the library's test method: it opens the key file and scans it
 *		line by line on every lookup, so it mostly measures that scan.
 */

#include <sys/types.h>

#include <ctype.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <opendkim/dkim.h>

#define MAX_TXT		1024	/* joined TXT record */
#define MAX_NAME	256
#define TABSIZE		4096	/* hash slots, a power of two */

struct rec {
	char	 name[MAX_NAME];	/* lower case, no final dot */
	char	 txt[MAX_TXT];
	size_t	 txtlen;
	int	 used;
};

static struct rec	*tab;

static void
die(const char *what)
{
	fprintf(stderr, "opendkim_bench: %s\n", what);
	exit(1);
}

static uint32_t
hash_name(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)tolower((unsigned char)*s)) *
		    16777619u;
	return h;
}

static struct rec *
lookup(const char *name)
{
	uint32_t	 i;

	for (i = hash_name(name) & (TABSIZE - 1); tab[i].used;
	    i = (i + 1) & (TABSIZE - 1))
		if (strcasecmp(tab[i].name, name) == 0)
			return &tab[i];
	return NULL;
}

/* Read the master-format subset gen.c writes: NAME TTL IN TXT "s" "s"... */
static size_t
load_zone(const char *path)
{
	FILE		*f;
	char		 line[4096], name[MAX_NAME], *p, *q;
	size_t		 n = 0, len;
	uint32_t	 i;
	struct rec	*r;

	if ((tab = calloc(TABSIZE, sizeof(*tab))) == NULL)
		die("out of memory");
	if ((f = fopen(path, "r")) == NULL)
		die("cannot open the zone");
	while (fgets(line, sizeof(line), f) != NULL) {
		for (p = line; *p == ' ' || *p == '\t'; p++)
			;
		if (*p == ';' || *p == '\n' || *p == '\0')
			continue;
		len = strcspn(p, " \t");
		if (len == 0 || len >= sizeof(name))
			die("bad zone line");
		memcpy(name, p, len);
		name[len] = '\0';
		if (len > 1 && name[len - 1] == '.')
			name[len - 1] = '\0';
		if ((p = strstr(p + len, " TXT ")) == NULL)
			die("zone line without TXT");
		if (lookup(name) != NULL)
			continue;		/* first record wins */
		if (n + 1 >= TABSIZE / 2)
			die("zone too large");
		for (i = hash_name(name) & (TABSIZE - 1); tab[i].used;
		    i = (i + 1) & (TABSIZE - 1))
			;
		r = &tab[i];
		r->used = 1;
		for (len = 0; name[len] != '\0'; len++)
			r->name[len] = (char)tolower((unsigned char)name[len]);
		r->txtlen = 0;
		for (p += 5; (p = strchr(p, '"')) != NULL; p = q + 1) {
			for (q = p + 1; *q != '"'; q++) {
				if (*q == '\0' || *q == '\n')
					die("unterminated string");
				if (*q == '\\')
					q++;
				if (r->txtlen + 1 >= sizeof(r->txt))
					die("TXT record too long");
				r->txt[r->txtlen++] = *q;
			}
		}
		n++;
	}
	fclose(f);
	return n;
}

/* ---- the in-memory resolver behind libopendkim's DNS hooks ---- */

struct query {
	size_t	 len;
};

static struct query	 the_query;

static int
mem_start(void *srv, int type, unsigned char *qname, unsigned char *buf,
    size_t buflen, void **qh)
{
	struct rec	*r;
	const char	*label, *dot;
	size_t		 o = 0, ll, k, take;

	(void)srv;
	r = lookup((const char *)qname);
	if (buflen < 512)
		return DKIM_DNS_ERROR;
	/* header: id 0, QR AA RD RA, rcode NOERROR or NXDOMAIN */
	buf[o++] = 0;
	buf[o++] = 0;
	buf[o++] = 0x85;
	buf[o++] = r != NULL ? 0x80 : 0x83;
	buf[o++] = 0;
	buf[o++] = 1;				/* qdcount */
	buf[o++] = 0;
	buf[o++] = r != NULL && type == 16;	/* ancount */
	memset(buf + o, 0, 4);
	o += 4;
	for (label = (const char *)qname; *label != '\0'; label = dot + 1) {
		if ((dot = strchr(label, '.')) == NULL)
			dot = label + strlen(label);
		ll = (size_t)(dot - label);
		if (ll == 0 || ll > 63 || o + ll + 1 >= 300)
			return DKIM_DNS_ERROR;
		buf[o++] = (unsigned char)ll;
		memcpy(buf + o, label, ll);
		o += ll;
		if (*dot == '\0')
			break;
	}
	buf[o++] = 0;
	buf[o++] = 0;
	buf[o++] = (unsigned char)type;
	buf[o++] = 0;
	buf[o++] = 1;				/* class IN */
	if (r != NULL && type == 16) {
		size_t rdlen = r->txtlen + (r->txtlen + 254) / 255;

		if (o + 12 + rdlen > buflen)
			return DKIM_DNS_ERROR;
		buf[o++] = 0xc0;		/* name: pointer to the question */
		buf[o++] = 12;
		buf[o++] = 0;
		buf[o++] = 16;			/* TXT */
		buf[o++] = 0;
		buf[o++] = 1;
		buf[o++] = 0;			/* TTL 3600 */
		buf[o++] = 0;
		buf[o++] = 0x0e;
		buf[o++] = 0x10;
		buf[o++] = (unsigned char)(rdlen >> 8);
		buf[o++] = (unsigned char)rdlen;
		for (k = 0; k < r->txtlen; k += take) {
			take = r->txtlen - k > 255 ? 255 : r->txtlen - k;
			buf[o++] = (unsigned char)take;
			memcpy(buf + o, r->txt + k, take);
			o += take;
		}
	}
	the_query.len = o;
	*qh = &the_query;
	return DKIM_DNS_SUCCESS;
}

static int
mem_cancel(void *srv, void *qh)
{
	(void)srv;
	(void)qh;
	return DKIM_DNS_SUCCESS;
}

static int
mem_waitreply(void *srv, void *qh, struct timeval *to, size_t *bytes,
    int *error, int *dnssec)
{
	(void)srv;
	(void)to;
	*bytes = ((struct query *)qh)->len;
	if (error != NULL)
		*error = 0;
	if (dnssec != NULL)
		*dnssec = DKIM_DNSSEC_UNKNOWN;
	return DKIM_DNS_SUCCESS;
}

static void
mem_close(void *srv)
{
	(void)srv;			/* the table is ours to free */
}

static char *
write_keyfile(void)
{
	static char	 path[] = "/tmp/opendkim_bench.XXXXXX";
	FILE		*f;
	int		 fd;
	size_t		 i;

	if ((fd = mkstemp(path)) == -1 || (f = fdopen(fd, "w")) == NULL)
		die("cannot create the key file");
	for (i = 0; i < TABSIZE; i++)
		if (tab[i].used)
			fprintf(f, "%s %.*s\n", tab[i].name,
			    (int)tab[i].txtlen, tab[i].txt);
	if (fclose(f) != 0)
		die("cannot write the key file");
	return path;
}

static double
cpu_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void
usage(void)
{
	fprintf(stderr, "usage: opendkim_bench [-q mem|file] ZONE LIST "
	    "[COUNT]\n");
	exit(2);
}

int
main(int argc, char *argv[])
{
	DKIM_LIB	*lib;
	DKIM		*dkim;
	DKIM_SIGINFO	**sigs;
	DKIM_STAT	 st;
	FILE		*lf, *mf;
	char		 fn[4096], *keyfile = NULL, *end;
	unsigned char	*msg = NULL, *p, *eom, *line, *field;
	size_t		 cap = 0, len, got, nmsg = 0, nsig = 0, npass = 0;
	size_t		 limit;
	size_t		 shown = 0;
	int		 ch, nsigs, i, use_file = 0;
	dkim_query_t	 qm;
	double		 t0, t;

	while ((ch = getopt(argc, argv, "q:")) != -1) {
		switch (ch) {
		case 'q':
			if (strcmp(optarg, "file") == 0)
				use_file = 1;
			else if (strcmp(optarg, "mem") != 0)
				usage();
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc != 2 && argc != 3)
		usage();
	limit = SIZE_MAX;
	if (argc == 3) {
		limit = strtoul(argv[2], &end, 10);
		if (*end != '\0')
			usage();
	}
	if (load_zone(argv[0]) == 0)
		die("no key records in the zone");

	if ((lib = dkim_init(NULL, NULL)) == NULL)
		die("dkim_init failed");
	/* default flags: no DKIM_LIBFLAGS_VERIFYONE, every signature */
	if (use_file) {
		keyfile = write_keyfile();
		qm = DKIM_QUERY_FILE;
		if (dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYMETHOD, &qm,
		    sizeof(qm)) != DKIM_STAT_OK ||
		    dkim_options(lib, DKIM_OP_SETOPT, DKIM_OPTS_QUERYINFO,
		    keyfile, strlen(keyfile)) != DKIM_STAT_OK)
			die("cannot set the file query method");
	} else {
		(void)dkim_dns_set_query_service(lib, tab);
		dkim_dns_set_query_start(lib, mem_start);
		dkim_dns_set_query_cancel(lib, mem_cancel);
		dkim_dns_set_query_waitreply(lib, mem_waitreply);
		dkim_dns_set_close(lib, mem_close);
	}

	if ((lf = fopen(argv[1], "r")) == NULL)
		die("cannot open the list");
	t0 = cpu_now();
	while (nmsg < limit && fgets(fn, sizeof(fn), lf) != NULL) {
		fn[strcspn(fn, "\r\n")] = '\0';
		if (fn[0] == '\0')
			continue;
		if ((mf = fopen(fn, "rb")) == NULL) {
			fprintf(stderr, "opendkim_bench: %s: %s\n", fn,
			    strerror(errno));
			exit(1);
		}
		len = 0;
		for (;;) {
			if (cap - len < 65536) {
				cap = cap ? cap * 2 : 262144;
				if ((msg = realloc(msg, cap)) == NULL)
					die("out of memory");
			}
			got = fread(msg + len, 1, cap - len - 1, mf);
			len += got;
			if (got == 0)
				break;
		}
		fclose(mf);
		eom = msg + len;
		nmsg++;

		dkim = dkim_verify(lib, (unsigned char *)fn, NULL, &st);
		if (dkim == NULL)
			die("dkim_verify failed");
		/* header fields: each with its folds, without the last CRLF */
		field = NULL;
		for (p = msg; p < eom;) {
			line = p;
			if ((p = memchr(p, '\n', (size_t)(eom - p))) == NULL)
				p = eom;
			else
				p++;
			if (*line != ' ' && *line != '\t' && field != NULL) {
				size_t fl = (size_t)(line - field);

				while (fl > 0 && (field[fl - 1] == '\n' ||
				    field[fl - 1] == '\r'))
					fl--;
				st = dkim_header(dkim, field, fl);
				field = NULL;
			}
			if (line + 2 <= eom && line[0] == '\r' &&
			    line[1] == '\n')
				break;		/* the blank line */
			if (field == NULL)
				field = line;
		}
		(void)dkim_eoh(dkim);
		if (p < eom)
			(void)dkim_body(dkim, p, (size_t)(eom - p));
		(void)dkim_eom(dkim, NULL);
		if (dkim_getsiglist(dkim, &sigs, &nsigs) == DKIM_STAT_OK) {
			for (i = 0; i < nsigs; i++) {
				nsig++;
				if (DKIM_SIG_CHECK(sigs[i]))
					npass++;
				else if (shown++ < 5)
					fprintf(stderr, "opendkim_bench: %s "
					    "signature %d (d=%s): %s\n", fn,
					    i + 1, dkim_sig_getdomain(sigs[i]),
					    dkim_sig_geterrorstr(
					    dkim_sig_geterror(sigs[i])));
			}
		}
		dkim_free(dkim);
	}
	t = cpu_now() - t0;
	fclose(lf);
	printf("opendkim messages %zu signatures %zu passed %zu seconds %.3f "
	    "query %s\n", nmsg, nsig, npass, t, use_file ? "file" : "mem");
	if (keyfile != NULL)
		unlink(keyfile);
	dkim_close(lib);
	free(msg);
	free(tab);
	return 0;
}
