/* SPDX-License-Identifier: ISC */
/*
 * keyfetch_answer: the answers the key source hands out: refcounted,
 * immutable once made, freed by the last release (the cache holds one
 * reference of its own).  The bottom of keyfetch; see keyfetch_local.h.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "verifier/keyfetch_local.h"

static char nomem_name[] = "";
static char nomem_detail[] = "out of memory";
struct answer_box keyfetch_nomem = {
	.a = {
		.status = KEYFETCH_NOMEM,
		.name = nomem_name,
		.detail = nomem_detail,
	},
};

struct answer_box *
box_new(const char *name)
{
	struct answer_box	*b;

	if ((b = calloc(1, sizeof(*b))) == NULL)
		return NULL;
	atomic_init(&b->refs, 1);
	if ((b->a.name = strdup(name)) == NULL) {
		free(b);
		return NULL;
	}
	b->a.fetched = time(NULL);
	return b;
}

static struct answer_box *
box_of(const struct key_answer *a)
{
	return (struct answer_box *)(uintptr_t)a;
}

void
box_free(struct answer_box *b)
{
	size_t	 i;

	if (b == NULL || b == &keyfetch_nomem)
		return;
	free(b->a.name);
	for (i = 0; i < b->a.ncnames; i++)
		free(b->a.cnames[i]);
	for (i = 0; i < b->a.ntxt; i++) {
		free(b->a.txt[i].data);
		free(b->a.txt[i].parse_detail);
		key_record_free(&b->a.txt[i].key);
	}
	free(b->a.txt);
	free(b->a.detail);
	free(b);
}

void
key_answer_release(const struct key_answer *a)
{
	struct answer_box	*b;

	if (a == NULL)
		return;
	b = box_of(a);
	if (b == &keyfetch_nomem)
		return;
	if (atomic_fetch_sub_explicit(&b->refs, 1, memory_order_acq_rel) == 1)
		box_free(b);
}
