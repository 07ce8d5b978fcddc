/* SPDX-License-Identifier: ISC */
/*
 * record: what `fblscope ingest` stores for one message: exactly the values
 * of its report row and of its signature rows (sql/001_init.sql), built
 * from the parsed report (arf.h), the verification of its original
 * (verify.h) and the token roles (classify.h).
 *
 * Every text is a private copy, valid UTF-8 (an invalid byte becomes
 * U+FFFD), without NUL, at most RECORD_MAX_TEXT bytes: a hostile header
 * cannot make the database refuse a batch.  Arrays are PostgreSQL array
 * literals ("{...}"), NULL when empty.  Verdicts, roles and kinds are
 * enums, compared as such; they become the words the database stores only
 * where a row is encoded (encode.h) or a statement takes them.
 *
 * The day of a message (msg_day, UTC) and the clock its signatures are
 * verified at come from the message itself, so that a re-ingested message
 * lands on the same row:
 *   1. the report's Arrival-Date (or Received-Date);
 *   2. else the report's own Date;
 *   3. else the original's Date (for a plain sample: its Date);
 *   4. else msg_day is 1970-01-01 and the signatures are verified as of
 *      the time of the run (complaint_clock() returns false).
 *
 * The envelope sender (Original-Mail-From) keeps its domain; its local
 * part, often VERP (the recipient encoded), is stored as a keyed hash in
 * hex (record_mail_from()), or dropped without a secret.
 *
 * Recipients (Original-Rcpt-To) are stored only as HMAC-SHA256 with the
 * site secret, over the address in lower case without angle brackets and
 * surrounding blanks; without a secret no recipient is stored at all.
 */
#ifndef FBL_RECORD_H
#define FBL_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/classify.h"
#include "fbl/feedback/arf.h"
#include "fbl/config.h"
#include "fbl/store/diag_class.h"
#include "base/buf.h"
#include "base/digest.h"
#include "verifier/message.h"
#include "verifier/verify.h"

#define RECORD_MAX_TEXT		2048	/* bytes kept of a text value */
#define RECORD_FP_LEN		DIGEST_SHA256_LEN
#define RECORD_HMAC_LEN		DIGEST_SHA256_LEN	/* HMAC-SHA-256 */
#define RECORD_MAX_DIGEST	64	/* = EVP_MAX_MD_SIZE */
/*
 * A Source-IP is counted by its network (the report's sending-network
 * view, sql/016_daily_views.sql): IPv4 by the /24, IPv6 by the /48 it
 * lies in, so that a report's address, which anyone may write, adds at
 * most one network of the ESP's own ranges to the daily counts.
 */
#define RECORD_PREFIX_V4	24
#define RECORD_PREFIX_V6	48

/*
 * The key-independent facts of a signature whose verdict may still change
 * (a DNS failure, a key gone or replaced): a signature_facts row
 * (sql/002_judgements.sql).  present false: none kept.
 */
struct record_facts {
	bool		 present;
	char		*field;		/* the DKIM-Signature field, raw */
	size_t		 field_len;
	unsigned char	 digest[RECORD_MAX_DIGEST];	/* signed headers */
	size_t		 digest_len;
	bool		 has_body;
	bool		 body_verified;
	bool		 l_exceeds;
	uint64_t	 canon_len;
	unsigned	 n_from;
	bool		 redacted;
	int64_t		 verified_at;	/* the clock of the verdict */
	int64_t		 skew;
};

/* A signature's second verdict, under the archived keys (archive.h). */
enum record_archived {
	ARCHIVED_NONE = 0,	/* no key archived for its name: NULL */
	ARCHIVED_PASS,		/* an archived key verifies it */
	ARCHIVED_FAIL,		/* keys archived, none verifies it */
};

/* One signature row.  Tri-state booleans: -1 NULL, 0 false, 1 true. */
struct record_sig {
	int		 idx;		/* 1-based, header order */
	char		*d, *s, *a, *c;
	bool		 has_l, has_t, has_x;
	uint64_t	 l;
	int64_t		 t, x;		/* has_t/x false when > INT64_MAX */
	int		 key_bits;	/* -1: no key */
	int		 key_testing;
	enum dkim_result result;
	enum dkim_reason reason;
	int		 header_verified;
	int		 body_verified;
	enum token_role	 role;
	char		*customer_id;
	int		 sel_year;	/* 0: selector convention not met */
	int		 sel_month;
	struct record_facts facts;
	/* The key record used (for the key archive), or NULLs. */
	char		*key_name;	/* selector._domainkey.domain */
	char		*key_record;	/* the TXT strings joined */
	size_t		 key_record_len;
	int64_t		 key_seen;	/* when it was fetched */
	bool		 key_from_zone;	/* a --zone file, not DNS */
	/* Under the archived keys of the name (keyarchive.h). */
	enum record_archived archived;
	unsigned char	 archived_key[32];	/* the key that passed */
	/* Why it failed (diag_class.h): stored as diag_class_final(). */
	struct sig_class diag;
	/* h= covers the campaign ids (record_sig_covers) */
	bool		 covers_feedback_id;
	bool		 covers_cfbl;
};

/* One report row and its signature rows. */
struct record {
	unsigned char	 fingerprint[RECORD_FP_LEN];
	char		 msg_day[11];	/* YYYY-MM-DD */
	enum arf_kind	 kind;
	char		*decided;	/* how the parser decided it */
	bool		 complaint;
	char		*source;
	char		*feedback_type;
	char		*reporter;
	char		*user_agent;
	char		*arf_version;
	bool		 has_arrival;
	int64_t		 arrival;	/* epoch s */
	char		*source_ip;
	int		 source_ip_in_esp;	/* tri-state */
	char		*source_ip_derived;	/* NULL, "subject", "received" */
	char		*source_prefix;	/* its network: RECORD_PREFIX_V4/V6 */
	char		*original_mail_from;
	bool		 has_original;	/* a complaint's original stored */
	enum arf_original original_form;
	char		*reported_domain;	/* array literals or NULL */
	char		*recipient_hmac;
	char		*deviations;
	char		*original_message_id;
	char		*original_from_domain;
	char		*cfbl_feedback_id;
	char		*feedback_id;
	char		*customer_id;	/* the customer it claims, or NULL: */
	char		*customer_token;	/* its signature's d=, else From */
	int		 cfbl_signed;		/* tri-state */
	int		 reporter_verified_dkim;	/* tri-state */
	struct record_sig *sigs;
	size_t		 nsigs;
	size_t		 nrecipients;	/* hashed and stored */
};

/* What a record is built from; vr NULL when nothing was verified. */
struct record_input {
	const char		*raw;		/* the item's bytes */
	size_t			 len;
	const char		*source;	/* where it came from */
	const struct arf_report	*report;
	const struct message	*original;	/* parsed original, or NULL */
	const struct verify_result *vr;
	/* The diagnosis of vr's failed signatures, or NULL: none run. */
	const struct diagnosis	*diag;
	const struct fbl_config	*config;	/* NULL: roles unknown */
	const struct buf	*secret;	/* NULL/empty: no recipients */
	/*
	 * A message that could not be kept (too large) is stored as
	 * unparseable by the SHA-256 of all its bytes and why: NULL for
	 * SHA-256 of raw and the report's decided.
	 */
	const unsigned char	*fingerprint;	/* RECORD_FP_LEN bytes */
	const char		*decided;
};

/* YYYY-MM-DD (UTC) of t; 1970-01-01 when out of range. */

/*
 * RFC 9477 section 3.2: a CFBL-Feedback-ID counts only when a signature
 * that verified (pass) covers the field (h=) and its d= aligns with the
 * domain of CFBL-Address (equal, or one a subdomain of the other; any d=
 * without a CFBL-Address).  1 yes, 0 no, -1 the original has no
 * CFBL-Feedback-ID (or was not verified).
 */
int		 record_cfbl_signed(const struct message *original,
		    const struct verify_result *);
/*
 * The campaign ids sr's h= covers (record_sig): the original's Feedback-ID;
 * its CFBL-Feedback-ID when also its d= aligns with CFBL-Address, as
 * record_cfbl_signed() asks.  Whether the signature verified is not
 * asked: the database counts a campaign by the verdict the signature has
 * now (fbl_campaign_verified in sql/definitions.sql), so reverify and the
 * key archive move it too.
 */
void		 record_sig_covers(const struct message *original,
		    const struct sig_result *, bool *feedback_id, bool *cfbl);
/*
 * Whether the reporting ISP forwards only mail whose DKIM verified on
 * arrival, unaltered (Yahoo's Complaint Feedback Loop): a failure on
 * re-verification is then a rotated key or damage on the sender's side,
 * never a forgery.  reporter as arf.h names it.
 */
bool		 record_reporter_verified_dkim(const char *reporter);

/*
 * Whether a verdict may still change and the signature's facts are kept: a
 * DNS failure (reverify), or a key gone or replaced (the key archive).
 */
bool		 record_verdict_open(enum dkim_result, enum dkim_reason);
/* Whether a verdict is one the archived keys can reverse. */
bool		 record_archive_applies(enum dkim_reason);
/* The word stored for a second verdict: "pass", "fail", or NULL. */
const char	*record_archived_name(enum record_archived);

/*
 * The attribution of rec under cfg (NULL: none), from the values a row
 * keeps, so that the stored rows can be attributed again exactly as
 * ingest attributed them (reattribute.h): each signature's role and
 * customer id from its d= (classify_domain), the customer the message
 * claims and its token (its first customer-role signature's id and d= in
 * lower case, else the customer its From domain maps to, with that
 * domain), and whether its Source-IP is inside the sending networks
 * (classify_source_ip).  The values held before are replaced.  Reads
 * sigs[].d, original_from_domain and source_ip; false only when memory ran
 * out (rec stays valid for record_free).
 */
bool		 record_attribute(struct record *, const struct fbl_config *);

/* Build rec from in; false only when memory ran out (rec is then freed). */
bool		 record_build(struct record *, const struct record_input *);
void		 record_free(struct record *);

/* Copy s[0..len) as valid UTF-8 without NUL, at most RECORD_MAX_TEXT. */
char		*record_text(const char *s, size_t len);
/* A PostgreSQL array literal of n strings, each quoted and escaped. */
void		 record_array(struct buf *, const char *const *v, size_t n);
/* HMAC-SHA256 of a recipient address, normalised as described above. */
/* The envelope sender as stored (see above); a new string, or NULL. */
char		*record_mail_from(const char *, const struct buf *secret);
bool		 record_hmac_recipient(const struct buf *secret,
		    const char *addr, unsigned char out[RECORD_HMAC_LEN]);

#endif
