/* SPDX-License-Identifier: ISC */
/*
 * keyarchive: every DKIM key record fblscope has seen, kept in PostgreSQL
 * (table key_archive, sql/001_init.sql), so that a complaint arriving days
 * after its mail was sent can be judged under the key of its day even when
 * the ESP has rotated that key out of DNS since: "rotated away, but ours"
 * rather than "forged".
 *
 * Identity.  A key is (name, fingerprint): name is
 * selector._domainkey.domain in lower case without the trailing dot, and the
 * fingerprint is the SHA-256 of the public key bytes as published (the
 * base64-decoded p= value).  The record text is not part of the identity,
 * so one key fetched from DNS and imported from a zone file, whose texts may
 * differ in spacing, tag order or string splitting, is one row.  (The same
 * RSA key published once as SubjectPublicKeyInfo and once as a bare
 * RSAPublicKey has two fingerprints: those are two different p= values.)
 *
 * A fingerprint is shown in one form everywhere: lower-case hex, the 64
 * digits of the SHA-256, abbreviated to its first KEYARCHIVE_FP_ABBREV
 * bytes (16 digits, a prefix of the whole) where a line has no room;
 * keyarchive_fp_put() writes both.
 *
 * Only usable keys are archived: a revoked record (empty p=) or one that
 * key_record_parse() refuses is not, and the builder says why.
 *
 * Writing.  Rows are upserted in (name, fingerprint) order, whatever the
 * caller's order, so that two processes archiving overlapping sets lock the
 * rows in the same order and cannot deadlock.  On a key already archived:
 *   last_seen  = the later of the two;
 *   first_seen = the earlier of the two;
 *   record     = the text of the later sighting (the newest spelling);
 *   origin     = unchanged: a row keeps the origin it was first recorded
 *                with ('import' stays 'import' when DNS later serves the
 *                key, and the other way round).
 * Each row also keeps the key's size (key_bits, the entry's bits), filled
 * on a row archived before schema 12 when the key is archived again: the
 * report shows it through a view that may not show the key itself.
 *
 * Library code: nothing here prints; errors go to the caller's buf.
 */
#ifndef FBL_KEYARCHIVE_H
#define FBL_KEYARCHIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/store/store.h"
#include "base/buf.h"
#include "base/digest.h"
#include "verifier/key_record.h"

#define KEYARCHIVE_FP_LEN	DIGEST_SHA256_LEN
#define KEYARCHIVE_FP_ABBREV	8	/* bytes of the abbreviated form */
#define KEYARCHIVE_NAME_MAX	253	/* a domain name in text form */

struct key_archive_entry {
	char		*name;	/* selector._domainkey.domain, lower case,
				   no trailing dot */
	char		*record;	/* the record text, strings joined */
	unsigned char	 fp[KEYARCHIVE_FP_LEN];
	enum key_type	 type;		/* of the record's key */
	unsigned	 bits;		/* key size (256 for ed25519) */
	int64_t		 seen;		/* when observed (Unix time), for
					   store; 0 = the transaction's now() */
	/* Filled by keyarchive_lookup() only (NULL / 0 otherwise). */
	char		*origin;	/* "dns" or "import" */
	int64_t		 first_seen;	/* Unix time, whole seconds */
	int64_t		 last_seen;
};

/*
 * Build an entry from a key's name and its record text (len bytes, the TXT
 * strings already joined).  The name is folded to lower case and loses a
 * trailing dot; it must hold a "_domainkey" label with labels on both sides.
 * The record must parse with key_record_parse() and hold a key (not
 * revoked), and be printable ASCII (it goes into a text column and onto
 * terminals).  On false the entry is left zeroed (nothing to free) and why
 * says what was wrong, in a few words.
 */
bool	 keyarchive_entry_init(struct key_archive_entry *, const char *name,
	    const char *record, size_t len, struct buf *why);
/* A fingerprint in its one form, whole or abbreviated, appended to b. */
void	 keyarchive_fp_put(struct buf *b, const unsigned char *fp,
	    bool abbrev);
/* Free what an entry holds (not the entry itself); zeroes it. */
void	 keyarchive_entry_free(struct key_archive_entry *);
/* Free an array of n entries, as returned by keyarchive_lookup(). */
void	 keyarchive_entries_free(struct key_archive_entry *, size_t n);

/*
 * Fold a key name: lower case, no trailing dot, a "_domainkey" label inside,
 * letters, digits, '-' and '_' only.  out is replaced.  False with why.
 */
bool	 keyarchive_name(const char *name, struct buf *out, struct buf *why);

/*
 * Archive n entries with origin "dns" or "import", in ONE transaction of its
 * own (BEGIN ... COMMIT; rolled back on error).  Refuses to run inside a
 * transaction the caller opened: use keyarchive_store_in() there.
 */
bool	 keyarchive_store(struct store *, const struct key_archive_entry *,
	    size_t n, const char *origin, struct buf *err);

/*
 * The same inside the caller's open transaction (the ingest's batch): no
 * BEGIN, no COMMIT, nothing rolled back here.  On error the caller's
 * transaction is aborted and the caller must ROLLBACK.  Refuses to run
 * outside a transaction.
 */
bool	 keyarchive_store_in(struct store *, const struct key_archive_entry *,
	    size_t n, const char *origin, struct buf *err);

/*
 * Both of the above: in_tx chooses; is_new (n flags, in the caller's order,
 * may be NULL) tells which entries made a new row.  An entry given twice is
 * new the first time (in (name, fingerprint) order) only.
 */
bool	 keyarchive_upsert(struct store *, const struct key_archive_entry *,
	    size_t n, const char *origin, bool in_tx, bool *is_new,
	    struct buf *err);

/*
 * The archived keys of name (folded as keyarchive_name() does), oldest
 * first_seen first; every archived key, by name then first_seen, when name
 * is NULL.  *out is NULL and *n 0 when there are none.  Free the array with
 * keyarchive_entries_free().  An archived record that no longer parses
 * (written by hand) is still returned, with type KEY_TYPE_UNKNOWN and bits
 * 0.
 */
bool	 keyarchive_lookup(struct store *, const char *name,
	    struct key_archive_entry **out, size_t *n, struct buf *err);

#endif
