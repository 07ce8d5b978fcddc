/* SPDX-License-Identifier: ISC */
/* zonefile: master-format zone files, record by record; see zonefile.h. */
#include <sys/stat.h>

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "verifier/zonefile.h"

struct zone_read {
	const struct zonefile_reader *zr;
	FILE		*fp;
	const char	*path;
	ldns_rdf	*origin;
	ldns_rdf	*prev;
	uint32_t	 ttl;
	int		 line;		/* ldns counts the newlines it read */
	size_t		 nbad;
	bool		 give_up;	/* SKIP: no more bad entries taken */
};

/*
 * The line of the entry just read.  At the end of the file, a last line
 * without its newline was not counted.  pread() leaves the stream alone;
 * where it cannot be used (a pipe) the count stays as ldns has it.
 */
static int
entry_line(const struct zone_read *z)
{
	struct stat	 sb;
	char		 c;

	if (feof(z->fp) && fstat(fileno(z->fp), &sb) == 0 &&
	    sb.st_size > 0 && pread(fileno(z->fp), &c, 1, sb.st_size - 1) ==
	    1 && c != '\n')
		return z->line + 1;
	return z->line;
}

/* A bad entry: true when reading goes on. */
static bool
bad_entry(struct zone_read *z, ldns_status s, long before, struct buf *err)
{
	const struct zonefile_reader *zr = z->zr;
	const char	*why = ldns_get_errorstr_by_id(s);

	if (zr->policy == ZONEFILE_STOP || s == LDNS_STATUS_MEM_ERR) {
		buf_printf(err, "%s:%d: %s", z->path, entry_line(z), why);
		return false;
	}
	if (zr->bad != NULL)
		zr->bad(zr->arg, z->path, entry_line(z), why);
	/* nothing consumed means no progress: stop rather than spin */
	if (++z->nbad >= zr->max_bad || ftell(z->fp) == before)
		z->give_up = true;
	return true;
}

static bool
read_loop(struct zone_read *z, size_t *nrr, struct buf *err)
{
	const struct zonefile_reader *zr = z->zr;
	ldns_rr		*rr;
	ldns_status	 s;
	long		 before;

	while (!feof(z->fp) && !z->give_up) {
		rr = NULL;
		before = ftell(z->fp);
		s = ldns_rr_new_frm_fp_l(&rr, z->fp, &z->ttl, &z->origin,
		    &z->prev, &z->line);
		if (s == LDNS_STATUS_SYNTAX_EMPTY ||
		    s == LDNS_STATUS_SYNTAX_TTL ||
		    s == LDNS_STATUS_SYNTAX_ORIGIN)
			continue;
		if (s != LDNS_STATUS_OK) {
			if (!bad_entry(z, s, before, err))
				return false;
			continue;
		}
		(*nrr)++;
		if (!zr->rr(zr->arg, z->path, entry_line(z), rr, err))
			return false;
	}
	return true;
}

bool
zonefile_read(const char *path, const struct zonefile_reader *zr,
    size_t *nrr, struct buf *err)
{
	struct zone_read z;
	size_t		 n = 0;
	bool		 ok;

	memset(&z, 0, sizeof(z));
	z.zr = zr;
	z.path = path;
	z.ttl = LDNS_DEFAULT_TTL;
	if ((z.fp = fopen(path, "r")) == NULL) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		return false;
	}
	ok = read_loop(&z, &n, err);
	if (ok && ferror(z.fp)) {
		buf_printf(err, "%s: read error", path);
		ok = false;
	}
	fclose(z.fp);
	ldns_rdf_deep_free(z.origin);
	ldns_rdf_deep_free(z.prev);
	if (nrr != NULL)
		*nrr = n;
	return ok;
}
