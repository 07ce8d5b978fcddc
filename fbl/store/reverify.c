/* reverify: open verdicts judged again from their facts; see reverify.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fbl/store/archive.h"
#include "fbl/store/record.h"
#include "fbl/store/reverify.h"
#include "base/hex.h"
#include "verifier/verify.h"

/* Rows after the key ($1, $2, $3), from day $4 on, at most $5. */
static const char select_sql[] =
    "SELECT to_char(s.msg_day, 'YYYY-MM-DD'), encode(s.fingerprint, 'hex'),"
    " s.idx, s.d, s.s, s.l, s.result, s.reason, s.archived_verdict,"
    " encode(f.field, 'hex'), encode(f.header_digest, 'hex'), f.has_body,"
    " f.body_verified, f.l_exceeds, f.canon_len, f.n_from, f.redacted,"
    " f.verified_at, f.skew, coalesce(s.key_bits, -1),"
    " coalesce(s.key_testing, false), s.header_verified"
    " FROM signature s JOIN signature_facts f"
    " USING (msg_day, fingerprint, idx)"
    " WHERE (s.msg_day, s.fingerprint, s.idx) >"
    " ($1::date, decode($2, 'hex'), $3::smallint)"
    " AND s.msg_day >= $4::date"
    " AND (s.result = 'temperror' OR (s.archived_verdict IS NULL AND"
    " s.reason IN ('key-not-found', 'key-revoked', 'signature-mismatch',"
    " 'key-syntax', 'key-too-large', 'key-bad-exponent')))"
    " ORDER BY s.msg_day, s.fingerprint, s.idx LIMIT $5::integer";

/*
 * One row's new verdict.  The update takes effect only if the row still
 * holds the verdict read ($4, $5, $6); then, when the result or reason
 * changed ($10), its daily_signature and daily_verification counts move
 * from the old to the new.
 */
static const char update_sql[] =
    "WITH u AS (UPDATE signature SET result = $7, reason = $8,"
    " archived_verdict = $9, archived_key = decode($11, 'hex'),"
    " header_verified = $12::boolean, key_bits = nullif($13::integer, -1),"
    " key_testing = CASE WHEN $13::integer = -1 THEN NULL"
    " ELSE $14::boolean END"
    " WHERE msg_day = $1::date AND fingerprint = decode($2, 'hex')"
    " AND idx = $3::smallint AND result = $4 AND reason = $5"
    " AND archived_verdict IS NOT DISTINCT FROM $6"
    " RETURNING msg_day, fingerprint, d, s, a, role, customer_id),"
    " r AS (SELECT u.msg_day, rp.kind, lower(coalesce(u.d, '')) AS token,"
    " u.role, coalesce(u.customer_id, '') AS customer_id,"
    " coalesce(u.s, '') AS selector, coalesce(rp.reporter, '') AS reporter,"
    " coalesce(rp.feedback_type, '') AS feedback_type,"
    " coalesce(u.a, '') AS algorithm"
    " FROM u JOIN report rp USING (msg_day, fingerprint)),"
    " kdec AS (UPDATE daily_key t SET count = t.count - 1 FROM r"
    " WHERE $15::boolean AND t.day = r.msg_day AND t.kind = r.kind"
    " AND t.token = r.token AND t.role = r.role"
    " AND t.customer_id = r.customer_id AND t.selector = r.selector"
    " AND t.algorithm = r.algorithm AND t.key_bits = $16::integer"
    " AND t.key_testing = $17::boolean),"
    " kinc AS (INSERT INTO daily_key AS t (day, kind, token, role,"
    " customer_id, selector, algorithm, key_bits, key_testing, count)"
    " SELECT msg_day, kind, token, role, customer_id, selector, algorithm,"
    " $13::integer, $14::boolean, 1 FROM r WHERE $15::boolean"
    " ON CONFLICT (day, kind, token, role, customer_id, selector, algorithm,"
    " key_bits, key_testing) DO UPDATE SET count = t.count + 1),"
    " vdec AS (UPDATE daily_verification t SET count = t.count - 1 FROM r"
    " WHERE $10::boolean AND t.day = r.msg_day AND t.kind = r.kind"
    " AND t.token = r.token AND t.role = r.role"
    " AND t.customer_id = r.customer_id AND t.result = $4"
    " AND t.reason = $5),"
    " vinc AS (INSERT INTO daily_verification AS t (day, kind, token, role,"
    " customer_id, result, reason, count)"
    " SELECT msg_day, kind, token, role, customer_id, $7, $8, 1 FROM r"
    " WHERE $10::boolean"
    " ON CONFLICT (day, kind, token, role, customer_id, result, reason)"
    " DO UPDATE SET count = t.count + 1),"
    " dec AS (UPDATE daily_signature t SET count = t.count - 1 FROM r"
    " WHERE $10::boolean AND t.day = r.msg_day AND t.kind = r.kind"
    " AND t.token = r.token AND t.role = r.role"
    " AND t.customer_id = r.customer_id AND t.selector = r.selector"
    " AND t.reporter = r.reporter AND t.feedback_type = r.feedback_type"
    " AND t.result = $4 AND t.reason = $5),"
    " inc AS (INSERT INTO daily_signature AS t (day, kind, token, role,"
    " customer_id, selector, reporter, feedback_type, result, reason,"
    " count)"
    " SELECT msg_day, kind, token, role, customer_id, selector, reporter,"
    " feedback_type, $7, $8, 1 FROM r WHERE $10::boolean"
    " ON CONFLICT (day, kind, token, role, customer_id, selector, reporter,"
    " feedback_type, result, reason)"
    " DO UPDATE SET count = t.count + 1)"
    " SELECT count(*) FROM u";

/*
 * daily_customer's count columns (sql/008_daily_customer.sql), each moved
 * from the old standing's contribution (o) to the new one's (a): the row's
 * key (day, customer, token, reporter) does not depend on the standing.
 */
#define DAILY_CUSTOMER_MOVE \
    " complaints = t.complaints + a.complaints - o.complaints," \
    " attributed = t.attributed + a.attributed - o.attributed," \
    " carried = t.carried + a.carried - o.carried," \
    " esp_verified = t.esp_verified + a.esp_verified - o.esp_verified," \
    " opt_out = t.opt_out + a.opt_out - o.opt_out," \
    " not_spam = t.not_spam + a.not_spam - o.not_spam," \
    " auth_failure = t.auth_failure + a.auth_failure - o.auth_failure," \
    " other = t.other + a.other - o.other," \
    " unsigned = t.unsigned + a.unsigned - o.unsigned," \
    " authentic = t.authentic + a.authentic - o.authentic," \
    " replayed = t.replayed + a.replayed - o.replayed," \
    " forged = t.forged + a.forged - o.forged," \
    " rotated = t.rotated + a.rotated - o.rotated," \
    " redacted = t.redacted + a.redacted - o.redacted," \
    " damaged = t.damaged + a.damaged - o.damaged," \
    " pending = t.pending + a.pending - o.pending," \
    " unknown = t.unknown + a.unknown - o.unknown"

/*
 * The standing of the report of row ($1, $2) again (sql/003_standing.sql),
 * after one of its verdicts changed; when it changed, its daily_complaint
 * count moves from the old standing to the new one, and its daily_customer
 * counts from the old standing's columns to the new one's.
 */
static const char standing_sql[] =
    "WITH x AS (SELECT"
    " fbl_best_state(array_agg(fbl_sig_state(result, header_verified))"
    " FILTER (WHERE role = 'esp')) AS esp_state,"
    " fbl_best_state(array_agg(fbl_sig_state(result, header_verified))"
    " FILTER (WHERE role = 'customer')) AS customer_state,"
    " coalesce(bool_or(archived_verdict = 'pass'), false) AS archived_pass,"
    " coalesce(bool_or(reason = 'redacted'), false) AS redacted"
    " FROM signature WHERE msg_day = $1::date"
    " AND fingerprint = decode($2, 'hex')),"
    " n AS (SELECT r.msg_day, r.fingerprint, r.complaint, r.kind,"
    " coalesce(r.reporter, '') AS reporter,"
    " coalesce(r.feedback_type, '') AS feedback_type,"
    " coalesce(r.customer_id, '') AS customer_id,"
    " coalesce(r.customer_token, '') AS token,"
    " r.esp_state AS old_esp, r.customer_state AS old_customer,"
    " r.authenticity AS old_authenticity, x.esp_state, x.customer_state,"
    " CASE WHEN r.complaint THEN fbl_authenticity(x.esp_state,"
    " x.customer_state, x.archived_pass, x.redacted,"
    " r.customer_id IS NOT NULL, r.source_ip_in_esp,"
    " coalesce(r.reporter_verified_dkim, false)) END AS authenticity"
    " FROM report r, x WHERE r.msg_day = $1::date"
    " AND r.fingerprint = decode($2, 'hex')),"
    " u AS (UPDATE report r SET esp_state = n.esp_state,"
    " customer_state = n.customer_state, authenticity = n.authenticity"
    " FROM n WHERE r.msg_day = n.msg_day AND r.fingerprint = n.fingerprint"
    " AND (r.esp_state, r.customer_state, r.authenticity) IS DISTINCT FROM"
    " (n.esp_state, n.customer_state, n.authenticity)"
    " RETURNING r.msg_day),"
    " dec AS (UPDATE daily_complaint t SET count = t.count - 1 FROM n"
    " WHERE n.complaint AND EXISTS (SELECT 1 FROM u)"
    " AND t.day = n.msg_day AND t.kind = n.kind"
    " AND t.reporter = n.reporter AND t.feedback_type = n.feedback_type"
    " AND t.customer_id = n.customer_id AND t.token = n.token"
    " AND t.esp_state = n.old_esp AND t.customer_state = n.old_customer"
    " AND t.authenticity = n.old_authenticity),"
    " mv AS (UPDATE daily_customer t SET" DAILY_CUSTOMER_MOVE
    " FROM n, LATERAL fbl_customer_counts(n.kind, n.feedback_type,"
    " n.esp_state, n.customer_state, n.authenticity) a,"
    " LATERAL fbl_customer_counts(n.kind, n.feedback_type, n.old_esp,"
    " n.old_customer, n.old_authenticity) o"
    " WHERE n.complaint AND EXISTS (SELECT 1 FROM u)"
    " AND t.day = n.msg_day AND t.customer_id = n.customer_id"
    " AND t.token = n.token AND t.reporter = n.reporter)"
    " INSERT INTO daily_complaint AS t (day, kind, reporter, feedback_type,"
    " customer_id, token, esp_state, customer_state, authenticity, count)"
    " SELECT msg_day, kind, reporter, feedback_type, customer_id, token,"
    " esp_state, customer_state, authenticity, 1 FROM n"
    " WHERE n.complaint AND EXISTS (SELECT 1 FROM u)"
    " ON CONFLICT (day, kind, reporter, feedback_type, customer_id, token,"
    " esp_state, customer_state, authenticity)"
    " DO UPDATE SET count = t.count + 1";

enum col {
	C_DAY, C_FP, C_IDX, C_D, C_S, C_L, C_RESULT, C_REASON, C_ARCHIVED,
	C_FIELD, C_DIGEST, C_HAS_BODY, C_BODY_OK, C_L_EXCEEDS, C_CANON_LEN,
	C_N_FROM, C_REDACTED, C_VERIFIED_AT, C_SKEW, C_KEY_BITS,
	C_KEY_TESTING, C_HEADER_VERIFIED, C__COUNT
};

/* One row read, judged again. */
struct open_sig {
	char		 day[11];
	char		 fp[2 * RECORD_FP_LEN + 1];
	char		 idx[8];
	char		*old_result, *old_reason;
	const char	*old_archived;	/* NULL, "pass", "fail" */
	struct record_sig rs;		/* what is judged and written */
	char		 result[32], reason[48];	/* the new verdict */
	int		 old_bits, old_testing, old_header;	/* -1: NULL */
	char		 bits[16], testing[8], header[8];	/* new, or "" */
};

static bool
is_true(const PGresult *res, int row, int col)
{
	return strcmp(PQgetvalue(res, row, col), "t") == 0;
}

/* Hex text into a new buffer of *len bytes; NULL on bad input or memory. */
static unsigned char *
unhex(const char *s, size_t *len)
{
	size_t		 n = strlen(s), i;
	unsigned char	*p;
	int		 hi, lo;

	if (n % 2 != 0 || (p = malloc(n / 2 + 1)) == NULL)
		return NULL;
	for (i = 0; i < n / 2; i++) {
		if ((hi = hex_digit(s[2 * i])) < 0 ||
		    (lo = hex_digit(s[2 * i + 1])) < 0) {
			free(p);
			return NULL;
		}
		p[i] = (unsigned char)(hi << 4 | lo);
	}
	*len = n / 2;
	return p;
}

static char *
dup_value(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? NULL :
	    strdup(PQgetvalue(res, row, col));
}

static void
open_sig_free(struct open_sig *o)
{
	free(o->old_result);
	free(o->old_reason);
	free(o->rs.d);
	free(o->rs.s);
	free(o->rs.facts.field);
	memset(o, 0, sizeof(*o));
}

/* The facts of one row; false when the row is unusable or memory ran out. */
static bool
read_facts(const PGresult *res, int row, struct record_facts *f)
{
	unsigned char	*digest;
	size_t		 dlen;

	if ((f->field = (char *)unhex(PQgetvalue(res, row, C_FIELD),
	    &f->field_len)) == NULL)
		return false;
	if ((digest = unhex(PQgetvalue(res, row, C_DIGEST), &dlen)) == NULL ||
	    dlen > sizeof(f->digest)) {
		free(digest);
		return false;
	}
	memcpy(f->digest, digest, dlen);
	f->digest_len = dlen;
	free(digest);
	f->has_body = is_true(res, row, C_HAS_BODY);
	f->body_verified = is_true(res, row, C_BODY_OK);
	f->l_exceeds = is_true(res, row, C_L_EXCEEDS);
	f->canon_len = strtoull(PQgetvalue(res, row, C_CANON_LEN), NULL, 10);
	f->n_from = (unsigned)strtoul(PQgetvalue(res, row, C_N_FROM), NULL,
	    10);
	f->redacted = is_true(res, row, C_REDACTED);
	f->verified_at = strtoll(PQgetvalue(res, row, C_VERIFIED_AT), NULL, 10);
	f->skew = strtoll(PQgetvalue(res, row, C_SKEW), NULL, 10);
	f->present = true;
	return true;
}

static const char *
archived_word(const PGresult *res, int row)
{
	const char *v = PQgetvalue(res, row, C_ARCHIVED);

	if (PQgetisnull(res, row, C_ARCHIVED))
		return NULL;
	return strcmp(v, "pass") == 0 ? "pass" : "fail";
}

static bool
read_row(const PGresult *res, int row, struct open_sig *o)
{
	memset(o, 0, sizeof(*o));
	snprintf(o->day, sizeof(o->day), "%s", PQgetvalue(res, row, C_DAY));
	snprintf(o->fp, sizeof(o->fp), "%s", PQgetvalue(res, row, C_FP));
	snprintf(o->idx, sizeof(o->idx), "%s", PQgetvalue(res, row, C_IDX));
	o->old_result = dup_value(res, row, C_RESULT);
	o->old_reason = dup_value(res, row, C_REASON);
	o->old_archived = archived_word(res, row);
	o->rs.d = dup_value(res, row, C_D);
	o->rs.s = dup_value(res, row, C_S);
	o->rs.has_l = !PQgetisnull(res, row, C_L);
	o->rs.l = o->rs.has_l ? strtoull(PQgetvalue(res, row, C_L), NULL, 10) :
	    0;
	if (o->old_result == NULL || o->old_reason == NULL ||
	    !read_facts(res, row, &o->rs.facts))
		return false;
	o->old_bits = atoi(PQgetvalue(res, row, C_KEY_BITS));
	o->old_testing = is_true(res, row, C_KEY_TESTING);
	o->old_header = PQgetisnull(res, row, C_HEADER_VERIFIED) ? -1 :
	    is_true(res, row, C_HEADER_VERIFIED);
	o->rs.key_bits = o->old_bits;
	o->rs.key_testing = o->old_testing;
	o->rs.header_verified = o->old_header;
	snprintf(o->result, sizeof(o->result), "%s", o->old_result);
	snprintf(o->reason, sizeof(o->reason), "%s", o->old_reason);
	o->rs.result = o->result;
	o->rs.reason = o->reason;
	return true;
}

/* A temperror verified again, as of the clock of its first verification. */
static void
replay(const struct reverify_opts *ro, struct open_sig *o,
    struct reverify_stats *st)
{
	struct verify_opts	 vo;
	struct sig_facts	 f;
	struct sig_result	 sr;

	if (strcmp(o->old_result, "temperror") != 0 ||
	    !archive_sig_facts(&o->rs, &f))
		return;
	st->temperror++;
	memset(&vo, 0, sizeof(vo));
	vo.keys = ro->keys;
	vo.now = f.now;
	vo.skew = f.skew;
	memset(&sr, 0, sizeof(sr));
	if (verify_replay(&vo, &f, &sr)) {
		snprintf(o->result, sizeof(o->result), "%s",
		    dkim_result_name(sr.result));
		snprintf(o->reason, sizeof(o->reason), "%s",
		    dkim_reason_name(sr.reason));
		if (sr.key != NULL && sr.key->parse == REASON_OK) {
			o->rs.key_bits = (int)sr.key->key.bits;
			o->rs.key_testing = sr.key->key.testing;
		}
		o->rs.header_verified = sr.header_checked ?
		    sr.header_verified : -1;
	}
	sig_result_free(&sr);
	if (strcmp(o->result, "temperror") == 0)
		st->still++;
}

static bool
write_row(PGconn *c, struct open_sig *o, bool *applied, struct buf *err)
{
	char		 key[2 * sizeof(o->rs.archived_key) + 1] = "";
	struct buf	 hex = BUF_INIT;
	const char	*p[17];
	char		 nbits[16], obits[16];
	bool		 key_changed;
	PGresult	*res;
	bool		 changed, ok;

	changed = strcmp(o->result, o->old_result) != 0 ||
	    strcmp(o->reason, o->old_reason) != 0;
	if (o->rs.archived_verdict != NULL &&
	    strcmp(o->rs.archived_verdict, "pass") == 0) {
		hex_put(&hex, o->rs.archived_key, sizeof(o->rs.archived_key));
		snprintf(key, sizeof(key), "%s", buf_cstr(&hex));
	}
	buf_free(&hex);
	p[0] = o->day;
	p[1] = o->fp;
	p[2] = o->idx;
	p[3] = o->old_result;
	p[4] = o->old_reason;
	p[5] = o->old_archived;
	p[6] = o->result;
	p[7] = o->reason;
	p[8] = o->rs.archived_verdict;
	p[9] = changed ? "true" : "false";
	p[10] = key[0] != '\0' ? key : NULL;
	key_changed = o->rs.key_bits != o->old_bits ||
	    (o->rs.key_bits >= 0 && o->rs.key_testing != o->old_testing);
	snprintf(nbits, sizeof(nbits), "%d", o->rs.key_bits);
	snprintf(obits, sizeof(obits), "%d", o->old_bits);
	p[11] = o->rs.header_verified < 0 ? NULL :
	    o->rs.header_verified ? "true" : "false";
	p[12] = nbits;
	p[13] = o->rs.key_testing > 0 ? "true" : "false";
	p[14] = key_changed ? "true" : "false";
	p[15] = obits;
	p[16] = o->old_testing ? "true" : "false";
	res = PQexecParams(c, update_sql, 17, NULL, p, NULL, NULL, 0);
	ok = PQresultStatus(res) == PGRES_TUPLES_OK;
	if (!ok)
		store_error(err, c, res);
	else
		*applied = strcmp(PQgetvalue(res, 0, 0), "0") != 0;
	PQclear(res);
	if (!ok || !*applied)
		return ok;
	res = PQexecParams(c, standing_sql, 2, NULL, p, NULL, NULL, 0);
	if (!(ok = PQresultStatus(res) == PGRES_COMMAND_OK))
		store_error(err, c, res);
	PQclear(res);
	return ok;
}

static bool
exec_simple(PGconn *c, const char *sql, struct buf *err)
{
	PGresult	*res = PQexec(c, sql);
	bool		 ok = PQresultStatus(res) == PGRES_COMMAND_OK;

	if (!ok)
		store_error(err, c, res);
	PQclear(res);
	return ok;
}

static void
count_row(const struct open_sig *o, struct reverify_stats *st)
{
	if (strcmp(o->old_result, "temperror") == 0 &&
	    strcmp(o->result, "temperror") != 0) {
		st->resolved++;
		if (strcmp(o->result, "pass") == 0)
			st->pass++;
	}
	if (o->rs.archived_verdict != NULL && o->old_archived == NULL) {
		if (strcmp(o->rs.archived_verdict, "pass") == 0)
			st->archived_pass++;
		else
			st->archived_fail++;
	}
}

/* Judge and write the rows of one page, in one transaction. */
static bool
write_page(struct store *s, struct open_sig *v, size_t n,
    struct reverify_stats *st, struct buf *err)
{
	PGconn		*c = store_conn(s);
	struct buf	 ignore = BUF_INIT;
	bool		 applied, ok;
	size_t		 i;

	if (!exec_simple(c, "BEGIN", err))
		return false;
	for (ok = true, i = 0; ok && i < n; i++) {
		if (strcmp(v[i].result, v[i].old_result) == 0 &&
		    strcmp(v[i].reason, v[i].old_reason) == 0 &&
		    (v[i].rs.archived_verdict == NULL ||
		    v[i].old_archived != NULL))
			continue;	/* nothing new */
		if ((ok = write_row(c, &v[i], &applied, err))) {
			if (applied)
				count_row(&v[i], st);
			else
				st->skipped++;
		}
	}
	if (ok)
		ok = exec_simple(c, "DELETE FROM daily_signature"
		    " WHERE count = 0; DELETE FROM daily_verification"
		    " WHERE count = 0; DELETE FROM daily_complaint"
		    " WHERE count = 0; DELETE FROM daily_key WHERE count = 0",
		    err) && exec_simple(c, "COMMIT", err);
	if (!ok && PQstatus(c) == CONNECTION_OK)
		exec_simple(c, "ROLLBACK", &ignore);
	buf_free(&ignore);
	if (ok)
		st->batches++;
	return ok;
}

/* Read, judge and write one page; *n rows read (0: done). */
static bool
page(struct store *s, const struct reverify_opts *ro,
    struct archive_cache *ac, char last[3][80], int *nread,
    struct reverify_stats *st, struct buf *err)
{
	PGconn		*c = store_conn(s);
	struct open_sig	*v = NULL;
	char		 lim[24];
	const char	*p[5];
	PGresult	*res;
	int		 i, n = 0;
	bool		 ok = true;

	snprintf(lim, sizeof(lim), "%zu", ro->batch);
	p[0] = last[0];
	p[1] = last[1];
	p[2] = last[2];
	p[3] = ro->since != NULL ? ro->since : "1970-01-01";
	p[4] = lim;
	res = PQexecParams(c, select_sql, 5, NULL, p, NULL, NULL, 0);
	if (PQresultStatus(res) != PGRES_TUPLES_OK) {
		store_error(err, c, res);
		PQclear(res);
		return false;
	}
	n = PQntuples(res);
	if (n > 0 && (v = calloc((size_t)n, sizeof(*v))) == NULL) {
		buf_puts(err, "out of memory");
		ok = false;
	}
	for (i = 0; ok && i < n; i++) {
		st->examined++;
		if (!read_row(res, i, &v[i])) {
			buf_printf(err, "signature %s/%s/%s: unreadable facts",
			    v[i].day, v[i].fp, v[i].idx);
			ok = false;
			break;
		}
		replay(ro, &v[i], st);
		ok = archive_judge(ac, s, &v[i].rs, err);
	}
	if (n > 0) {
		snprintf(last[0], 80, "%s", PQgetvalue(res, n - 1, C_DAY));
		snprintf(last[1], 80, "%s", PQgetvalue(res, n - 1, C_FP));
		snprintf(last[2], 80, "%s", PQgetvalue(res, n - 1, C_IDX));
	}
	PQclear(res);
	if (ok && n > 0)
		ok = write_page(s, v, (size_t)n, st, err);
	for (i = 0; v != NULL && i < n; i++)
		open_sig_free(&v[i]);
	free(v);
	*nread = n;
	return ok;
}

bool
reverify_run(struct store *s, const struct reverify_opts *ro,
    struct reverify_stats *st, struct buf *err)
{
	struct archive_cache	*ac;
	char			 last[3][80] = { "0001-01-01", "", "0" };
	int			 n;
	bool			 ok;

	if ((ac = archive_cache_new()) == NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	do {
		ok = page(s, ro, ac, last, &n, st, err);
	} while (ok && n > 0);
	archive_cache_free(ac);
	return ok;
}
