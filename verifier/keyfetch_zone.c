/* SPDX-License-Identifier: ISC */
/*
 * keyfetch_zone: the key source's zone files.  Read with zonefile.h (the
 * first bad line refuses the file), every owner name indexed, sorted, with
 * its ancestors as empty non-terminals; a step looks a name up there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/keyfetch_local.h"
#include "verifier/zonefile.h"

static int
zentry_cmp(const void *pa, const void *pb)
{
	const struct zentry	*a = pa, *b = pb;
	int			 r;

	if (a->olen != b->olen)
		return a->olen < b->olen ? -1 : 1;
	if ((r = memcmp(a->owner, b->owner, a->olen)) != 0)
		return r;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

/* The first index entry for name, or nzidx. */
static size_t
zone_find(const struct key_source *ks, const uint8_t *name, size_t nlen)
{
	struct zentry	 key;
	size_t		 lo = 0, hi = ks->nzidx, mid;

	key.owner = name;
	key.olen = nlen;
	key.seq = 0;
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (zentry_cmp(&ks->zidx[mid], &key) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < ks->nzidx && ks->zidx[lo].olen == nlen &&
	    memcmp(ks->zidx[lo].owner, name, nlen) == 0)
		return lo;
	return ks->nzidx;
}

static bool
zentry_at(const struct key_source *ks, size_t i, const uint8_t *name,
    size_t nlen)
{
	return i < ks->nzidx && ks->zidx[i].olen == nlen &&
	    memcmp(ks->zidx[i].owner, name, nlen) == 0;
}

static void
zone_label(const struct key_source *ks, size_t file, char *out, size_t n)
{
	const char	*f = ks->zone_files[file];
	size_t		 len = strlen(f);

	if (len + 5 < n)
		snprintf(out, n, "zone %s", f);
	else	/* keep the end of a long path: the file name tells most */
		snprintf(out, n, "zone ...%s", f + len - (n - 9));
}

/* The SOA of the closest enclosing zone in the files, if any. */
static const ldns_rr *
zone_soa(const struct key_source *ks, const uint8_t *name, size_t nlen,
    size_t *file)
{
	size_t	 off = 0, i;

	while (off < nlen) {
		i = zone_find(ks, name + off, nlen - off);
		for (; zentry_at(ks, i, name + off, nlen - off); i++) {
			if (ks->zidx[i].rr != NULL &&
			    ldns_rr_get_type(ks->zidx[i].rr) ==
			    LDNS_RR_TYPE_SOA &&
			    ldns_rr_rd_count(ks->zidx[i].rr) == 7) {
				*file = ks->zidx[i].file;
				return ks->zidx[i].rr;
			}
		}
		if (name[off] == 0)
			break;
		off += 1 + (size_t)name[off];
	}
	return NULL;
}

bool
zone_neg_ttl(const struct key_source *ks, const uint8_t *name, size_t nlen,
    uint32_t *ttl)
{
	const ldns_rr	*soa;
	const ldns_rdf	*min;
	size_t		 file;

	if ((soa = zone_soa(ks, name, nlen, &file)) == NULL)
		return false;
	min = ldns_rr_rdf(soa, 6);
	if (ldns_rdf_size(min) != 4)
		return false;
	*ttl = ldns_rdf2native_int32(min);
	if (ldns_rr_ttl(soa) < *ttl)
		*ttl = ldns_rr_ttl(soa);
	return true;
}

void
zone_step(struct key_source *ks, const uint8_t *name, size_t nlen,
    struct step *st)
{
	size_t	 first, i, n = 0, file = 0;

	atomic_fetch_add(&ks->queries, 1);
	st->status = KEYFETCH_OK;
	first = zone_find(ks, name, nlen);
	if (first == ks->nzidx) {
		st->nxdomain = true;
		(void)zone_soa(ks, name, nlen, &file);
		zone_label(ks, file, st->server, sizeof(st->server));
		return;
	}
	for (i = first; zentry_at(ks, i, name, nlen); i++)
		if (ks->zidx[i].rr != NULL)
			n++;
	if (n > 0 && (st->rrs = calloc(n, sizeof(*st->rrs))) == NULL) {
		st->status = KEYFETCH_NOMEM;
		return;
	}
	for (i = first; zentry_at(ks, i, name, nlen); i++) {
		if (ks->zidx[i].rr == NULL)
			continue;
		if (st->nrrs == 0)
			file = ks->zidx[i].file;
		st->rrs[st->nrrs++] = ks->zidx[i].rr;
	}
	if (n == 0)
		(void)zone_soa(ks, name, nlen, &file);
	zone_label(ks, file, st->server, sizeof(st->server));
}

static size_t
wire_labels(const uint8_t *w, size_t n)
{
	size_t	 off = 0, k = 0;

	while (off < n && w[off] != 0) {
		off += 1 + (size_t)w[off];
		k++;
	}
	return k;
}

static bool
zone_rr_ok(const ldns_rr *rr)
{
	return dns_rdf_is_name(ldns_rr_owner(rr)) &&
	    ldns_rr_get_class(rr) == LDNS_RR_CLASS_IN;
}

/* The next record to index from (*z, *i) on, or NULL; *z is its file. */
static ldns_rr *
zone_next(const struct key_source *ks, size_t *z, size_t *i)
{
	ldns_rr	*rr;

	for (; *z < ks->nzones; (*z)++, *i = 0) {
		while (*i < ldns_rr_list_rr_count(ks->zones[*z])) {
			rr = ldns_rr_list_rr(ks->zones[*z], (*i)++);
			if (zone_rr_ok(rr))
				return rr;
		}
	}
	return NULL;
}

/*
 * Index every owner name of every zone, plus each of its ancestors as an
 * empty non-terminal, so that a name with nothing but children below it is
 * NODATA rather than NXDOMAIN (RFC 8020).
 */
static bool
zone_index(struct key_source *ks, struct buf *err)
{
	ldns_rr			*rr;
	const ldns_rdf		*o;
	size_t			 z, i, n = 0, bytes = 0, e = 0, at = 0, off;
	size_t			 seq = 0;

	for (z = i = 0; (rr = zone_next(ks, &z, &i)) != NULL;) {
		o = ldns_rr_owner(rr);
		n += 1 + wire_labels(ldns_rdf_data(o), ldns_rdf_size(o));
		bytes += ldns_rdf_size(o);
	}
	if (n == 0)
		return true;
	ks->owner_arena = malloc(bytes);
	ks->zidx = calloc(n, sizeof(*ks->zidx));
	if (ks->owner_arena == NULL || ks->zidx == NULL) {
		buf_puts(err, "out of memory indexing the zone files");
		return false;
	}
	for (z = i = 0; (rr = zone_next(ks, &z, &i)) != NULL;) {
		o = ldns_rr_owner(rr);
		dns_wire_lower(ks->owner_arena + at, ldns_rdf_data(o),
		    ldns_rdf_size(o));
		for (off = 0; off < ldns_rdf_size(o);
		    off += 1 + ks->owner_arena[at + off]) {
			ks->zidx[e].owner = ks->owner_arena + at + off;
			ks->zidx[e].olen = ldns_rdf_size(o) - off;
			ks->zidx[e].rr = off == 0 ? rr : NULL;
			ks->zidx[e].file = z;
			ks->zidx[e].seq = seq++;
			e++;
			if (ks->owner_arena[at + off] == 0)
				break;
		}
		at += ldns_rdf_size(o);
	}
	ks->nzidx = e;
	qsort(ks->zidx, ks->nzidx, sizeof(*ks->zidx), zentry_cmp);
	return true;
}

/* What zone_load() reads one file with. */
struct zone_load {
	ldns_rr_list	*list;
	size_t		*nrr;		/* records of all the files so far */
};

static bool
zone_load_rr(void *arg, const char *path, int line, ldns_rr *rr,
    struct buf *err)
{
	struct zone_load *zl = arg;

	if (++*zl->nrr > KF_ZONE_MAX_RR) {
		ldns_rr_free(rr);
		buf_printf(err, "%s:%d: more than %zu records in the zone "
		    "files", path, line, KF_ZONE_MAX_RR);
		return false;
	}
	if (!ldns_rr_list_push_rr(zl->list, rr)) {
		ldns_rr_free(rr);
		buf_printf(err, "%s:%d: %s", path, line,
		    ldns_get_errorstr_by_id(LDNS_STATUS_MEM_ERR));
		return false;
	}
	return true;
}

/* One file; the first bad line refuses it (zonefile.h). */
static bool
zone_load(struct key_source *ks, size_t z, size_t *nrr, struct buf *err)
{
	struct zonefile_reader	 zr;
	struct zone_load	 zl;

	if ((ks->zones[z] = ldns_rr_list_new()) == NULL) {
		buf_printf(err, "%s: %s", ks->zone_files[z],
		    ldns_get_errorstr_by_id(LDNS_STATUS_MEM_ERR));
		return false;
	}
	zl.list = ks->zones[z];
	zl.nrr = nrr;
	memset(&zr, 0, sizeof(zr));
	zr.policy = ZONEFILE_STOP;
	zr.rr = zone_load_rr;
	zr.arg = &zl;
	return zonefile_read(ks->zone_files[z], &zr, NULL, err);
}

bool
zones_open(struct key_source *ks, const struct key_source_opts *o,
    struct buf *err)
{
	size_t	 i, nrr = 0;

	ks->zone_files = calloc(o->nzones, sizeof(*ks->zone_files));
	ks->zones = calloc(o->nzones, sizeof(*ks->zones));
	if (ks->zone_files == NULL || ks->zones == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	ks->nzones = o->nzones;
	for (i = 0; i < o->nzones; i++) {
		if (o->zones[i] == NULL ||
		    (ks->zone_files[i] = strdup(o->zones[i])) == NULL) {
			buf_puts(err, o->zones[i] == NULL ? "zone file NULL" :
			    "out of memory");
			return false;
		}
		if (!zone_load(ks, i, &nrr, err))
			return false;
	}
	return zone_index(ks, err);
}

void
zones_free(struct key_source *ks)
{
	size_t	 i;

	for (i = 0; i < ks->nzones; i++) {
		if (ks->zones[i] != NULL)
			ldns_rr_list_deep_free(ks->zones[i]);
		free(ks->zone_files[i]);
	}
	free(ks->zones);
	free(ks->zone_files);
	free(ks->zidx);
	free(ks->owner_arena);
}
