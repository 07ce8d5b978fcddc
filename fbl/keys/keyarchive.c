/* SPDX-License-Identifier: ISC */
/* keyarchive: archived DKIM key records in PostgreSQL; see keyarchive.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/digest.h"
#include "fbl/keys/keyarchive.h"
#include "base/b64.h"
#include "verifier/tagvalue.h"

#define NUPSERT_PARAMS	6

/*
 * One statement per key: a multi-row INSERT ... ON CONFLICT DO UPDATE
 * refuses to touch one row twice, and a batch may name a key twice (a zone
 * file and a key directory holding the same key).  (xmax = 0) is true only
 * for a row this statement inserted: an updated row carries our xid there.
 */
static const char upsert_sql[] =
    "INSERT INTO key_archive (name, fingerprint, record, origin,"
    " first_seen, last_seen, key_bits)"
    " VALUES ($1, decode($2, 'hex'), $3, $4,"
    " coalesce(to_timestamp($5::bigint), now()),"
    " coalesce(to_timestamp($5::bigint), now()), $6::integer)"
    " ON CONFLICT (name, fingerprint) DO UPDATE SET"
    " key_bits = coalesce(EXCLUDED.key_bits, key_archive.key_bits),"
    " record = CASE WHEN EXCLUDED.last_seen >= key_archive.last_seen"
    " THEN EXCLUDED.record ELSE key_archive.record END,"
    " first_seen = least(key_archive.first_seen, EXCLUDED.first_seen),"
    " last_seen = greatest(key_archive.last_seen, EXCLUDED.last_seen)"
    " RETURNING (xmax = 0)";

static const char lookup_sql[] =
    "SELECT name, encode(fingerprint, 'hex'), record, origin,"
    " floor(extract(epoch FROM first_seen))::bigint,"
    " floor(extract(epoch FROM last_seen))::bigint"
    " FROM key_archive WHERE $1::text IS NULL OR name = $1"
    " ORDER BY name, first_seen, fingerprint";

enum {
	COL_NAME = 0, COL_FP, COL_RECORD, COL_ORIGIN, COL_FIRST, COL_LAST,
	NCOLS
};

/* ---- entries ---------------------------------------------------------- */

static bool
label_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
	    c == '_';
}

/* Labels of the folded name in out: sane, with "_domainkey" inside. */
static bool
name_labels_ok(const char *s, size_t len, struct buf *why)
{
	size_t	 i, start = 0, label = 0, dk = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != '.') {
			if (!label_char((unsigned char)s[i])) {
				buf_puts(why, "name holds a character other "
				    "than a letter, digit, '-' or '_'");
				return false;
			}
			continue;
		}
		if (i == start || i - start > 63) {
			buf_puts(why, "name has an empty or overlong label");
			return false;
		}
		if (dk == 0 && i - start == 10 &&
		    memcmp(s + start, "_domainkey", 10) == 0)
			dk = label;
		label++;
		start = i + 1;
	}
	if (dk == 0 || dk + 1 >= label) {
		buf_puts(why, "name is not selector._domainkey.domain");
		return false;
	}
	return true;
}

bool
keyarchive_name(const char *name, struct buf *out, struct buf *why)
{
	size_t	 len = strlen(name), i;
	char	 c;

	buf_reset(out);
	if (len > 0 && name[len - 1] == '.')
		len--;
	if (len == 0 || len > KEYARCHIVE_NAME_MAX) {
		buf_puts(why, len == 0 ? "empty name" : "name too long");
		return false;
	}
	for (i = 0; i < len; i++) {
		c = name[i];
		buf_putc(out, c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
	}
	if (!buf_ok(out)) {
		buf_puts(why, "out of memory");
		return false;
	}
	return name_labels_ok(out->data, out->len, why);
}

/* Printable ASCII, plus the folding white space a TXT record may carry. */
static bool
record_text_ok(const char *r, size_t len, struct buf *why)
{
	size_t	 i;
	unsigned char c;

	for (i = 0; i < len; i++) {
		c = (unsigned char)r[i];
		if ((c < 0x20 || c > 0x7e) && c != '\t' && c != '\r' &&
		    c != '\n') {
			buf_printf(why, "record holds byte 0x%02x at offset "
			    "%zu", c, i);
			return false;
		}
	}
	return true;
}

/* SHA-256 of the base64-decoded p= value (the record already parsed). */
static bool
record_fp(const char *r, size_t len, unsigned char fp[KEYARCHIVE_FP_LEN],
    struct buf *why)
{
	struct tag_list	 tl;
	const struct tag *p;
	struct buf	 der = BUF_INIT;
	size_t		 off;
	bool		 ok;

	if (tag_list_parse(&tl, r, len, &off) != TAG_OK ||
	    (p = tag_list_get(&tl, "p")) == NULL ||
	    !b64_decode(&der, p->value, p->value_len) || !buf_ok(&der)) {
		buf_free(&der);
		buf_puts(why, "p= cannot be decoded");
		return false;
	}
	ok = digest_sha256(der.data, der.len, fp);
	buf_free(&der);
	if (!ok)
		buf_puts(why, "SHA-256 failed");
	return ok;
}

/* Parse the record: a usable key, its type and size. */
static bool
record_key(struct key_archive_entry *e, const char *r, size_t len,
    struct buf *why)
{
	struct key_record k;
	enum dkim_reason rs;
	bool		 ok = false;

	rs = key_record_parse(&k, r, len, why);
	if (rs == REASON_OK && k.revoked)
		buf_puts(why, "revoked key (empty p=)");
	else if (rs == REASON_OK) {
		e->type = k.type;
		e->bits = k.bits;
		ok = true;
	}
	key_record_free(&k);
	return ok;
}

bool
keyarchive_entry_init(struct key_archive_entry *e, const char *name,
    const char *record, size_t len, struct buf *why)
{
	struct buf	 n = BUF_INIT;

	memset(e, 0, sizeof(*e));
	if (!keyarchive_name(name, &n, why) ||
	    !record_text_ok(record, len, why) ||
	    !record_key(e, record, len, why) ||
	    !record_fp(record, len, e->fp, why))
		goto fail;
	if ((e->record = malloc(len + 1)) == NULL) {
		buf_puts(why, "out of memory");
		goto fail;
	}
	memcpy(e->record, record, len);
	e->record[len] = '\0';
	if ((e->name = buf_steal(&n)) == NULL) {
		buf_puts(why, "out of memory");
		goto fail;
	}
	return true;
fail:
	buf_free(&n);
	keyarchive_entry_free(e);
	return false;
}

void
keyarchive_fp_put(struct buf *b, const unsigned char *fp, bool abbrev)
{
	buf_put_hex(b, fp, abbrev ? KEYARCHIVE_FP_ABBREV : KEYARCHIVE_FP_LEN);
}

void
keyarchive_entry_free(struct key_archive_entry *e)
{
	free(e->name);
	free(e->record);
	free(e->origin);
	memset(e, 0, sizeof(*e));
}

void
keyarchive_entries_free(struct key_archive_entry *v, size_t n)
{
	size_t	 i;

	if (v == NULL)
		return;
	for (i = 0; i < n; i++)
		keyarchive_entry_free(&v[i]);
	free(v);
}

/* ---- store ------------------------------------------------------------ */

static int
entry_cmp(const void *pa, const void *pb)
{
	const struct key_archive_entry *a = *(const struct key_archive_entry
	    *const *)pa;
	const struct key_archive_entry *b = *(const struct key_archive_entry
	    *const *)pb;
	int	 c;

	if ((c = strcmp(a->name, b->name)) != 0)
		return c;
	return memcmp(a->fp, b->fp, KEYARCHIVE_FP_LEN);
}

static bool
upsert_one(struct db *db, const struct key_archive_entry *e,
    const char *origin, bool *is_new, struct buf *err)
{
	char		 hex[2 * KEYARCHIVE_FP_LEN + 1], seen[24], bits[12];
	const char	*p[NUPSERT_PARAMS];
	struct buf	 why = BUF_INIT;
	struct db_rows	*res;
	size_t		 i;
	bool		 ok;

	for (i = 0; i < KEYARCHIVE_FP_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", e->fp[i]);
	snprintf(seen, sizeof(seen), "%" PRId64, e->seen);
	snprintf(bits, sizeof(bits), "%u", e->bits);
	p[0] = e->name;
	p[1] = hex;
	p[2] = e->record;
	p[3] = origin;
	p[4] = e->seen > 0 ? seen : NULL;
	p[5] = e->bits > 0 ? bits : NULL;	/* the report's key hygiene */
	res = db_query(db, upsert_sql, NUPSERT_PARAMS, p, &why);
	if ((ok = res != NULL && db_nrows(res) == 1))
		*is_new = db_bool(res, 0, 0);
	else
		buf_printf(err, "archiving %s: %s", e->name, res != NULL ?
		    "no row returned" : buf_cstr(&why));
	db_rows_free(res);
	buf_free(&why);
	return ok;
}

/* The transaction state the caller promised. */
static bool
tx_state_ok(struct db *db, bool in_tx, struct buf *err)
{
	enum db_state	 t = db_state(db);

	if (in_tx && t != DB_IN_TX) {
		buf_puts(err, t == DB_IN_FAILED_TX ? "the enclosing "
		    "transaction has failed" : "not inside a transaction");
		return false;
	}
	if (!in_tx && t != DB_IDLE) {
		buf_puts(err, "a transaction is already open (use "
		    "keyarchive_store_in)");
		return false;
	}
	return true;
}

/* The upserts, in (name, fingerprint) order. */
struct upsert {
	const struct key_archive_entry *e;
	size_t		 n;
	const char	*origin;
	bool		*is_new;
};

static bool
upsert_sorted(struct db *db, void *arg, struct buf *err)
{
	const struct upsert *u = arg;
	const struct key_archive_entry **ord;
	size_t		 i, at;
	bool		 fresh, ok = true;

	for (i = 0; u->is_new != NULL && i < u->n; i++)
		u->is_new[i] = false;
	if (u->n == 0)
		return true;
	if ((ord = calloc(u->n, sizeof(*ord))) == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	for (i = 0; i < u->n; i++)
		ord[i] = &u->e[i];
	qsort(ord, u->n, sizeof(*ord), entry_cmp);
	for (i = 0; ok && i < u->n; i++) {
		at = (size_t)(ord[i] - u->e);
		ok = upsert_one(db, ord[i], u->origin, &fresh, err);
		if (ok && u->is_new != NULL)
			u->is_new[at] = fresh;
	}
	free(ord);
	return ok;
}

bool
keyarchive_upsert(struct store *st, const struct key_archive_entry *e,
    size_t n, const char *origin, bool in_tx, bool *is_new, struct buf *err)
{
	struct db	*db = store_db(st);
	struct upsert	 u = { e, n, origin, is_new };
	size_t		 i;
	bool		 ok;

	for (i = 0; is_new != NULL && i < n; i++)
		is_new[i] = false;
	if (strcmp(origin, "dns") != 0 && strcmp(origin, "import") != 0) {
		buf_printf(err, "key origin \"%s\" is not dns or import",
		    origin);
		return false;
	}
	if (!tx_state_ok(db, in_tx, err))
		return false;
	if (in_tx)
		return upsert_sorted(db, &u, err);
	ok = db_tx(db, DB_TX_WRITE, upsert_sorted, &u, err);
	for (i = 0; !ok && is_new != NULL && i < n; i++)
		is_new[i] = false;
	return ok;
}

bool
keyarchive_store(struct store *st, const struct key_archive_entry *e,
    size_t n, const char *origin, struct buf *err)
{
	return keyarchive_upsert(st, e, n, origin, false, NULL, err);
}

bool
keyarchive_store_in(struct store *st, const struct key_archive_entry *e,
    size_t n, const char *origin, struct buf *err)
{
	return keyarchive_upsert(st, e, n, origin, true, NULL, err);
}

/* ---- lookup ----------------------------------------------------------- */

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

static bool
fp_from_hex(const char *h, unsigned char fp[KEYARCHIVE_FP_LEN])
{
	size_t	 i;
	int	 hi, lo;

	if (strlen(h) != 2 * KEYARCHIVE_FP_LEN)
		return false;
	for (i = 0; i < KEYARCHIVE_FP_LEN; i++) {
		if ((hi = hexval(h[2 * i])) < 0 ||
		    (lo = hexval(h[2 * i + 1])) < 0)
			return false;
		fp[i] = (unsigned char)(hi << 4 | lo);
	}
	return true;
}

/* One row into e; the key type from the record when it still parses. */
static bool
row_entry(const struct db_rows *res, size_t row, struct key_archive_entry *e,
    struct buf *err)
{
	struct buf	 why = BUF_INIT;

	memset(e, 0, sizeof(*e));
	e->name = strdup(db_get(res, row, COL_NAME));
	e->record = strdup(db_get(res, row, COL_RECORD));
	e->origin = strdup(db_get(res, row, COL_ORIGIN));
	if (e->name == NULL || e->record == NULL || e->origin == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	if (!fp_from_hex(db_get(res, row, COL_FP), e->fp)) {
		buf_printf(err, "key_archive row %s: fingerprint is not 32 "
		    "bytes", e->name);
		return false;
	}
	e->first_seen = strtoll(db_get(res, row, COL_FIRST), NULL, 10);
	e->last_seen = strtoll(db_get(res, row, COL_LAST), NULL, 10);
	if (!record_key(e, e->record, strlen(e->record), &why)) {
		e->type = KEY_TYPE_UNKNOWN;
		e->bits = 0;
	}
	buf_free(&why);
	return true;
}

static bool
rows_entries(const struct db_rows *res, struct key_archive_entry **out,
    size_t *n, struct buf *err)
{
	struct key_archive_entry *v;
	size_t		 i, rows = db_nrows(res);

	if (rows == 0)
		return true;
	if ((v = calloc(rows, sizeof(*v))) == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	for (i = 0; i < rows; i++) {
		if (!row_entry(res, i, &v[i], err)) {
			keyarchive_entries_free(v, i + 1);
			return false;
		}
	}
	*out = v;
	*n = rows;
	return true;
}

bool
keyarchive_lookup(struct store *st, const char *name,
    struct key_archive_entry **out, size_t *n, struct buf *err)
{
	struct buf	 folded = BUF_INIT;
	const char	*p[1] = { NULL };
	struct db_rows	*res;
	bool		 ok;

	*out = NULL;
	*n = 0;
	if (name != NULL) {
		if (!keyarchive_name(name, &folded, err)) {
			buf_printf(err, " (%s)", name);
			buf_free(&folded);
			return false;
		}
		p[0] = folded.data;
	}
	res = db_query(store_db(st), lookup_sql, 1, p, err);
	if ((ok = res != NULL && db_ncols(res) == NCOLS))
		ok = rows_entries(res, out, n, err);
	else if (res != NULL)
		buf_puts(err, "key_archive: unexpected columns");
	db_rows_free(res);
	buf_free(&folded);
	return ok;
}
