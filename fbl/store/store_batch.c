/* SPDX-License-Identifier: ISC */
/* store_batch: one batch, one transaction; see store_batch.h. */
#include <stdlib.h>
#include <string.h>

#include "base/hex.h"
#include "fbl/store/encode.h"
#include "fbl/store/store_batch.h"

/* A record's place in the batch, ordered by (fingerprint, day). */
struct slot {
	const struct record	*rec;
	size_t			 i;
};

/* One batch: its records, their order, and what each attempt fills in. */
struct batch {
	struct record *const	*recs;
	size_t			 n;
	const struct slot	*sl;
	const bool		*dup;	/* a later copy of a message */
	bool			*inserted;
	void			(*encode)(struct buf *, const struct record *);
	size_t			 next;	/* the record COPY takes next */
};

static int
slot_cmp(const void *a, const void *b)
{
	const struct record *x = ((const struct slot *)a)->rec;
	const struct record *y = ((const struct slot *)b)->rec;
	int	 c;

	if ((c = memcmp(x->fingerprint, y->fingerprint, RECORD_FP_LEN)) != 0)
		return c;
	return strcmp(x->msg_day, y->msg_day);
}

/* Records of the batch sorted; later copies of one message marked dup. */
static struct slot *
sort_batch(struct record *const *recs, size_t n, bool *dup)
{
	struct slot	*sl;
	size_t		 i;

	if ((sl = calloc(n ? n : 1, sizeof(*sl))) == NULL)
		return NULL;
	for (i = 0; i < n; i++) {
		sl[i].rec = recs[i];
		sl[i].i = i;
		dup[i] = false;
	}
	qsort(sl, n, sizeof(*sl), slot_cmp);
	for (i = 1; i < n; i++)
		if (slot_cmp(&sl[i - 1], &sl[i]) == 0)
			dup[sl[i].i] = true;
	return sl;
}

/* Mark inserted[] from the returned (fingerprint hex, day) rows. */
static bool
mark_inserted(const struct db_rows *res, const struct slot *sl, size_t n,
    bool *inserted, struct buf *err)
{
	struct record	 key;
	struct slot	 k, *hit;
	const char	*hex, *day;
	size_t		 row, j;
	int		 hi, lo;

	k.rec = &key;
	for (row = 0; row < db_nrows(res); row++) {
		hex = db_get(res, row, 0);
		day = db_get(res, row, 1);
		if (strlen(hex) != 2 * RECORD_FP_LEN || strlen(day) != 10)
			goto bad;
		for (j = 0; j < RECORD_FP_LEN; j++) {
			if ((hi = hex_digit(hex[2 * j])) < 0 ||
			    (lo = hex_digit(hex[2 * j + 1])) < 0)
				goto bad;
			key.fingerprint[j] = (unsigned char)(hi << 4 | lo);
		}
		memcpy(key.msg_day, day, 11);
		if ((hit = bsearch(&k, sl, n, sizeof(*sl), slot_cmp)) == NULL)
			goto bad;
		while (hit > sl && slot_cmp(hit - 1, hit) == 0)
			hit--;	/* the first copy is the one staged */
		inserted[hit->i] = true;
	}
	return true;
bad:
	buf_puts(err, "the database returned a row not in the batch");
	return false;
}

/* The rows of the next record staged (not a duplicate); false at the end. */
static bool
fill(struct buf *b, void *arg)
{
	struct batch	*bt = arg;

	while (bt->next < bt->n && bt->dup[bt->next])
		bt->next++;
	if (bt->next == bt->n)
		return false;
	bt->encode(b, bt->recs[bt->next++]);
	return bt->next < bt->n;
}

static bool
stage(struct db *db, struct batch *bt, const char *sql,
    void (*encode)(struct buf *, const struct record *), struct buf *err)
{
	bt->encode = encode;
	bt->next = 0;
	return db_copy(db, sql, fill, bt, err);
}

/* A step's failure, said once: "what: why". */
static bool
step(bool ok, const char *what, struct buf *why, struct buf *err)
{
	if (!ok)
		buf_printf(err, "%s: %s", what, buf_cstr(why));
	buf_reset(why);
	return ok;
}

static bool
merge(struct db *db, struct batch *bt, struct buf *err)
{
	struct db_rows	*res;
	bool		 ok;

	if ((res = db_query(db, "SELECT fingerprint, msg_day"
	    " FROM fbl_stage_merge()", 0, NULL, err)) == NULL)
		return false;
	ok = mark_inserted(res, bt->sl, bt->n, bt->inserted, err);
	db_rows_free(res);
	return ok;
}

/* One attempt at the transaction (db_tx may make several). */
static bool
attempt(struct db *db, void *arg, struct buf *err)
{
	struct batch	*bt = arg;
	struct buf	 why = BUF_INIT;
	size_t		 i;
	bool		 ok;

	for (i = 0; i < bt->n; i++)
		bt->inserted[i] = false;
	ok = step(db_exec(db, "SELECT fbl_stage_open()", 0, NULL, &why),
	    "staging tables", &why, err) &&
	    stage(db, bt, "COPY stage_report FROM STDIN", encode_report, err) &&
	    stage(db, bt, "COPY stage_signature FROM STDIN", encode_signatures,
	    err) &&
	    stage(db, bt, "COPY stage_facts FROM STDIN", encode_facts, err) &&
	    step(merge(db, bt, &why), "storing the batch", &why, err);
	buf_free(&why);
	return ok;
}

bool
store_write_batch(struct store *st, struct record *const *recs, size_t n,
    bool *inserted, struct buf *err)
{
	struct batch	 bt;
	struct slot	*sl;
	bool		*dup;
	bool		 ok;

	dup = calloc(n ? n : 1, sizeof(*dup));
	sl = dup != NULL ? sort_batch(recs, n, dup) : NULL;
	if (sl == NULL) {
		free(dup);
		buf_puts(err, "out of memory");
		return false;
	}
	memset(&bt, 0, sizeof(bt));
	bt.recs = recs;
	bt.n = n;
	bt.sl = sl;
	bt.dup = dup;
	bt.inserted = inserted;
	if (!(ok = db_tx(store_db(st), DB_TX_WRITE, attempt, &bt, err)))
		memset(inserted, 0, n * sizeof(*inserted));
	free(sl);
	free(dup);
	return ok;
}
