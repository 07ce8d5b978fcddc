/* SPDX-License-Identifier: ISC */
/*
 * keyfetch_cache: the answers of the key source, by name, for their TTL
 * (keyfetch.h): a hash table and an LRU list, at most cache_max names.
 * The callers hold ks->mu, but for cache_init and cache_free.
 */
#include <stdlib.h>
#include <string.h>

#include "verifier/keyfetch_local.h"

static uint32_t
name_hash(const char *s)
{
	uint32_t	 h = 2166136261u;

	while (*s != '\0')
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

static struct centry **
cache_slot(struct key_source *ks, const char *name, uint32_t h)
{
	struct centry	**pp;

	pp = &ks->buckets[h & (ks->nbuckets - 1)];
	for (; *pp != NULL; pp = &(*pp)->hnext)
		if ((*pp)->hash == h && strcmp((*pp)->box->a.name, name) == 0)
			break;
	return pp;
}

static void
lru_unlink(struct key_source *ks, struct centry *e)
{
	if (e->prev != NULL)
		e->prev->next = e->next;
	else
		ks->lru_head = e->next;
	if (e->next != NULL)
		e->next->prev = e->prev;
	else
		ks->lru_tail = e->prev;
	e->prev = e->next = NULL;
}

static void
lru_push(struct key_source *ks, struct centry *e)
{
	e->prev = NULL;
	e->next = ks->lru_head;
	if (ks->lru_head != NULL)
		ks->lru_head->prev = e;
	ks->lru_head = e;
	if (ks->lru_tail == NULL)
		ks->lru_tail = e;
}

/* Drop the entry *pp points at; the answer lives on while referenced. */
static void
cache_drop(struct key_source *ks, struct centry **pp)
{
	struct centry	*e = *pp;

	*pp = e->hnext;
	lru_unlink(ks, e);
	key_answer_release(&e->box->a);
	free(e);
	ks->ncached--;
}

static uint32_t
cache_ttl(const struct key_answer *a)
{
	uint32_t	 lo = KEYFETCH_MIN_TTL, hi = KEYFETCH_MAX_TTL;

	switch (a->status) {
	case KEYFETCH_OK:
	case KEYFETCH_NXDOMAIN:
	case KEYFETCH_NODATA:
		return a->ttl < lo ? lo : a->ttl > hi ? hi : a->ttl;
	default:
		return KEYFETCH_FAIL_TTL;
	}
}

/* Called with the mutex held.  The cache takes a reference of its own. */
void
cache_put(struct key_source *ks, struct answer_box *b, int64_t now)
{
	struct centry	**pp, *e;
	uint32_t	  h = name_hash(b->a.name);

	if (b->a.status == KEYFETCH_NOMEM || cache_ttl(&b->a) == 0)
		return;
	if (*(pp = cache_slot(ks, b->a.name, h)) != NULL)
		cache_drop(ks, pp);
	while (ks->ncached >= ks->cache_max && ks->lru_tail != NULL) {
		e = ks->lru_tail;
		cache_drop(ks, cache_slot(ks, e->box->a.name, e->hash));
	}
	if ((e = calloc(1, sizeof(*e))) == NULL)
		return;		/* not cached is fine */
	e->hash = h;
	e->expires = now + (int64_t)cache_ttl(&b->a) * 1000;
	e->box = b;
	atomic_fetch_add(&b->refs, 1);
	pp = &ks->buckets[h & (ks->nbuckets - 1)];
	e->hnext = *pp;
	*pp = e;
	lru_push(ks, e);
	ks->ncached++;
}

/* Called with the mutex held; a referenced answer or NULL. */
struct answer_box *
cache_get(struct key_source *ks, const char *name, int64_t now)
{
	struct centry	**pp;

	pp = cache_slot(ks, name, name_hash(name));
	if (*pp == NULL)
		return NULL;
	if ((*pp)->expires <= now) {
		cache_drop(ks, pp);
		return NULL;
	}
	lru_unlink(ks, *pp);
	lru_push(ks, *pp);
	atomic_fetch_add(&(*pp)->box->refs, 1);
	return (*pp)->box;
}

bool
cache_init(struct key_source *ks, size_t max)
{
	size_t	 nb = 64;

	ks->cache_max = max;
	while (nb < max && nb < KF_MAX_BUCKETS)
		nb *= 2;
	ks->nbuckets = nb;
	if ((ks->buckets = calloc(nb, sizeof(*ks->buckets))) == NULL)
		return false;
	return pthread_mutex_init(&ks->mu, NULL) == 0;
}

void
cache_free(struct key_source *ks)
{
	while (ks->lru_tail != NULL)
		cache_drop(ks, cache_slot(ks, ks->lru_tail->box->a.name,
		    ks->lru_tail->hash));
	free(ks->buckets);
	pthread_mutex_destroy(&ks->mu);
}
