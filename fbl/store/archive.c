/* SPDX-License-Identifier: ISC */
/* archive: second verdicts under archived keys; see archive.h. */
#include <stdlib.h>
#include <string.h>


#include "base/digest.h"
#include "base/vec.h"
#include "fbl/store/archive.h"
#include "fbl/keys/keyarchive.h"

/* The archived keys of one name, parsed. */
struct archived_name {
	char			*name;
	struct key_archive_entry *e;
	struct key_record	*keys;	/* parsed e[i].record */
	bool			*usable;
	size_t			 n;
};

struct archive_cache {
	struct archived_name	*names;		/* looked up */
	size_t			 nnames;
	size_t			 capnames;
	unsigned char		(*seen)[DIGEST_SHA256_LEN];	/* archived */
	size_t			 nseen;		/* sorted */
	size_t			 capseen;
};

struct archive_cache *
archive_cache_new(void)
{
	return calloc(1, sizeof(struct archive_cache));
}

static void
archived_name_free(struct archived_name *an)
{
	size_t	 i;

	for (i = 0; i < an->n; i++)
		key_record_free(&an->keys[i]);
	free(an->keys);
	free(an->usable);
	keyarchive_entries_free(an->e, an->n);
	free(an->name);
}

void
archive_cache_free(struct archive_cache *c)
{
	size_t	 i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nnames; i++)
		archived_name_free(&c->names[i]);
	free(c->names);
	free(c->seen);
	free(c);
}

bool
archive_sig_facts(const struct record_sig *rs, struct sig_facts *f)
{
	const struct record_facts *rf = &rs->facts;

	if (!rf->present)
		return false;
	memset(f, 0, sizeof(*f));
	f->field = rf->field;
	f->field_len = rf->field_len;
	memcpy(f->hdigest, rf->digest, rf->digest_len);
	f->hdigest_len = (unsigned)rf->digest_len;
	f->has_body = rf->has_body;
	f->body_verified = rf->body_verified;
	f->l_exceeds = rf->l_exceeds;
	f->l = rs->l;
	f->canon_len = rf->canon_len;
	f->n_from = rf->n_from;
	f->redacted = rf->redacted;
	f->now = rf->verified_at;
	f->skew = rf->skew;
	return true;
}

/* The archived keys of name, from the cache or the database. */
static struct archived_name *
lookup(struct archive_cache *c, struct store *st, const char *name,
    struct buf *err)
{
	struct archived_name	*an;
	struct buf		 why = BUF_INIT;
	size_t			 i;

	for (i = 0; i < c->nnames; i++)
		if (strcmp(c->names[i].name, name) == 0)
			return &c->names[i];
	if (!vec_reserve(&c->names, &c->capnames, c->nnames + 1,
	    sizeof(*c->names)))
		goto nomem;
	an = &c->names[c->nnames];
	memset(an, 0, sizeof(*an));
	if ((an->name = strdup(name)) == NULL)
		goto nomem;
	if (!keyarchive_lookup(st, name, &an->e, &an->n, err)) {
		free(an->name);
		return NULL;
	}
	an->keys = calloc(an->n ? an->n : 1, sizeof(*an->keys));
	an->usable = calloc(an->n ? an->n : 1, sizeof(*an->usable));
	if (an->keys == NULL || an->usable == NULL) {
		archived_name_free(an);
		goto nomem;
	}
	for (i = 0; i < an->n; i++) {
		buf_reset(&why);
		an->usable[i] = key_record_parse(&an->keys[i], an->e[i].record,
		    strlen(an->e[i].record), &why) == REASON_OK;
	}
	buf_free(&why);
	c->nnames++;
	return an;
nomem:
	buf_puts(err, "out of memory");
	return NULL;
}

bool
archive_judge(struct archive_cache *c, struct store *st,
    struct record_sig *rs, struct buf *err)
{
	struct archived_name	*an;
	struct sig_facts	 f;
	struct buf		 name = BUF_INIT;
	size_t			 i;

	rs->archived = ARCHIVED_NONE;
	if (!record_archive_applies(rs->reason) || rs->d == NULL ||
	    rs->s == NULL || !archive_sig_facts(rs, &f))
		return true;
	buf_printf(&name, "%s._domainkey.%s", rs->s, rs->d);
	for (i = 0; i < name.len; i++)
		if (name.data[i] >= 'A' && name.data[i] <= 'Z')
			name.data[i] = (char)(name.data[i] - 'A' + 'a');
	if (!buf_ok(&name)) {
		buf_puts(err, "out of memory");
		return false;
	}
	an = lookup(c, st, buf_cstr(&name), err);
	buf_free(&name);
	if (an == NULL)
		return false;
	if (an->n == 0)
		return true;
	rs->archived = ARCHIVED_FAIL;
	for (i = 0; i < an->n; i++) {
		if (an->usable[i] &&
		    verify_facts_under_key(&f, &an->keys[i], NULL)) {
			rs->archived = ARCHIVED_PASS;
			memcpy(rs->archived_key, an->e[i].fp,
			    sizeof(rs->archived_key));
			break;
		}
	}
	return true;
}

/* --- keys met by a batch --- */

static int
digest_cmp(const void *a, const void *b)
{
	return memcmp(a, b, DIGEST_SHA256_LEN);
}

/*
 * The identity of (name, record text) in this run's set: taken before the
 * record is parsed, so a key met again costs a hash, not a key decoding.
 */
static void
seen_id(const char *name, const char *record, size_t len,
    unsigned char out[DIGEST_SHA256_LEN])
{
	struct digest_piece v[2] = {
		{ name, strlen(name) + 1 },	/* the NUL ends the name */
		{ record, len },
	};

	/* a failure gives zeros, which never match */
	(void)digest_sha256_pieces(v, 2, out);
}

static bool
seen_has(const struct archive_cache *c, const unsigned char *id)
{
	return c->nseen > 0 && bsearch(id, c->seen, c->nseen,
	    sizeof(*c->seen), digest_cmp) != NULL;
}

static bool
seen_add(struct archive_cache *c, const unsigned char *id)
{
	size_t		 i;

	if (!vec_reserve(&c->seen, &c->capseen, c->nseen + 1,
	    sizeof(*c->seen)))
		return false;
	for (i = c->nseen; i > 0 && memcmp(c->seen[i - 1], id,
	    DIGEST_SHA256_LEN) > 0; i--)
		memcpy(c->seen[i], c->seen[i - 1], DIGEST_SHA256_LEN);
	memcpy(c->seen[i], id, DIGEST_SHA256_LEN);
	c->nseen++;
	return true;
}

/* Entries for the keys of recs not archived in this run, from zone or not. */
static bool
collect(struct archive_cache *c, struct record *const *recs, size_t n,
    bool zone, struct key_archive_entry **out, size_t *nout)
{
	struct key_archive_entry *v = NULL, e;
	struct buf	 why = BUF_INIT;
	unsigned char	 id[DIGEST_SHA256_LEN];
	size_t		 i, j, cnt = 0, cap = 0;
	bool		 ok = true;

	for (i = 0; ok && i < n; i++) {
		for (j = 0; ok && j < recs[i]->nsigs; j++) {
			const struct record_sig *rs = &recs[i]->sigs[j];

			if (rs->key_record == NULL || rs->key_name == NULL ||
			    rs->key_from_zone != zone)
				continue;
			seen_id(rs->key_name, rs->key_record,
			    rs->key_record_len, id);
			if (seen_has(c, id))
				continue;
			if (!seen_add(c, id)) {
				ok = false;
				continue;
			}
			buf_reset(&why);
			if (!keyarchive_entry_init(&e, rs->key_name,
			    rs->key_record, rs->key_record_len, &why))
				continue;	/* revoked, not a key */
			e.seen = rs->key_seen;
			if (!vec_reserve(&v, &cap, cnt + 1, sizeof(*v))) {
				keyarchive_entry_free(&e);
				ok = false;
				continue;
			}
			v[cnt++] = e;
		}
	}
	buf_free(&why);
	*out = v;
	*nout = cnt;
	return ok;
}

/* A name whose archive just grew is looked up again when next judged. */
static void
forget(struct archive_cache *c, const char *name)
{
	size_t	 i;

	for (i = 0; i < c->nnames; i++) {
		if (strcmp(c->names[i].name, name) != 0)
			continue;
		archived_name_free(&c->names[i]);
		c->names[i] = c->names[--c->nnames];
		return;
	}
}

bool
archive_keys_seen(struct archive_cache *c, struct store *st,
    struct record *const *recs, size_t n, struct buf *err)
{
	struct key_archive_entry *v;
	size_t	 nv, i;
	int	 zone;
	bool	 ok = true;

	for (zone = 0; ok && zone < 2; zone++) {
		if (!collect(c, recs, n, zone == 1, &v, &nv)) {
			buf_puts(err, "out of memory");
			ok = false;
		} else if (nv > 0)
			ok = keyarchive_store(st, v, nv, zone ? "import" :
			    "dns", err);
		for (i = 0; i < nv; i++)
			forget(c, v[i].name);
		keyarchive_entries_free(v, nv);
	}
	return ok;
}
