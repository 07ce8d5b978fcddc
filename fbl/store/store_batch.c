/* store_batch: one batch, one transaction; see store_batch.h. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "fbl/store/store_batch.h"
#include "base/hex.h"

#define MAX_TRIES	5	/* of a batch ended by a deadlock */
#define COPY_CHUNK	(1u << 20)	/* bytes sent per PQputCopyData */

/*
 * Staging tables, private to the session and emptied at every COMMIT.  The
 * arrival time travels as epoch seconds and becomes a timestamptz in SQL.
 */
static const char stage_sql[] =
    "SET LOCAL client_min_messages = warning;"
    "CREATE TEMP TABLE IF NOT EXISTS stage_report ("
    " msg_day date, fingerprint bytea, kind text, complaint boolean,"
    " source text, feedback_type text, reporter text, user_agent text,"
    " arf_version text, arrival bigint, source_ip text,"
    " source_ip_in_esp boolean, original_mail_from text,"
    " original_form text, reported_domain text[], recipient_hmac bytea[],"
    " original_message_id text, original_from_domain text,"
    " deviations text[], cfbl_feedback_id text, feedback_id text,"
    " cfbl_signed boolean, reporter_verified_dkim boolean, decided text,"
    " customer_id text, customer_token text, esp_state text,"
    " customer_state text, authenticity text, archived_pass boolean,"
    " redacted boolean)"
    " ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE IF NOT EXISTS stage_signature ("
    " msg_day date, fingerprint bytea, idx smallint, d text, s text,"
    " a text, c text, l numeric(20, 0), t bigint, x bigint,"
    " key_bits integer, key_testing boolean, result text, reason text,"
    " header_verified boolean, body_verified boolean, role text,"
    " customer_id text, selector_year smallint, selector_month smallint,"
    " archived_verdict text, archived_key bytea)"
    " ON COMMIT DELETE ROWS;"
    "CREATE TEMP TABLE IF NOT EXISTS stage_facts ("
    " msg_day date, fingerprint bytea, idx smallint, field bytea,"
    " header_digest bytea, has_body boolean, body_verified boolean,"
    " l_exceeds boolean, canon_len bigint, n_from smallint,"
    " redacted boolean, verified_at bigint, skew integer)"
    " ON COMMIT DELETE ROWS";

static const char copy_report_sql[] = "COPY stage_report (msg_day,"
    " fingerprint, kind, complaint, source, feedback_type, reporter,"
    " user_agent, arf_version, arrival, source_ip, source_ip_in_esp,"
    " original_mail_from, original_form, reported_domain, recipient_hmac,"
    " original_message_id, original_from_domain, deviations,"
    " cfbl_feedback_id, feedback_id, cfbl_signed, reporter_verified_dkim,"
    " decided, customer_id, customer_token) FROM STDIN";
static const char copy_sig_sql[] = "COPY stage_signature FROM STDIN";
static const char copy_facts_sql[] = "COPY stage_facts FROM STDIN";

/*
 * Each staged report's standing, from its staged signatures, by the
 * functions of sql/003_standing.sql (reverify uses them too).
 */
static const char standing_sql[] =
    "UPDATE stage_report r SET esp_state = x.esp_state,"
    " customer_state = x.customer_state, archived_pass = x.archived_pass,"
    " redacted = x.redacted"
    " FROM (SELECT msg_day, fingerprint,"
    " fbl_best_state(array_agg(fbl_sig_state(result, header_verified))"
    " FILTER (WHERE role = 'esp')) AS esp_state,"
    " fbl_best_state(array_agg(fbl_sig_state(result, header_verified))"
    " FILTER (WHERE role = 'customer')) AS customer_state,"
    " bool_or(archived_verdict = 'pass') AS archived_pass,"
    " bool_or(reason = 'redacted') AS redacted"
    " FROM stage_signature GROUP BY 1, 2) x"
    " WHERE r.msg_day = x.msg_day AND r.fingerprint = x.fingerprint;"
    "UPDATE stage_report SET esp_state = coalesce(esp_state, 'none'),"
    " customer_state = coalesce(customer_state, 'none'),"
    " authenticity = CASE WHEN complaint THEN fbl_authenticity("
    " coalesce(esp_state, 'none'), coalesce(customer_state, 'none'),"
    " coalesce(archived_pass, false), coalesce(redacted, false),"
    " customer_id IS NOT NULL, source_ip_in_esp,"
    " coalesce(reporter_verified_dkim, false)) END";

/*
 * daily_customer's count columns (sql/008_daily_customer.sql): a batch's
 * sums (EXCLUDED) added to those of its day, customer, token and reporter.
 */
#define DAILY_CUSTOMER_ADD \
    " complaints = t.complaints + EXCLUDED.complaints," \
    " attributed = t.attributed + EXCLUDED.attributed," \
    " carried = t.carried + EXCLUDED.carried," \
    " esp_verified = t.esp_verified + EXCLUDED.esp_verified," \
    " opt_out = t.opt_out + EXCLUDED.opt_out," \
    " not_spam = t.not_spam + EXCLUDED.not_spam," \
    " auth_failure = t.auth_failure + EXCLUDED.auth_failure," \
    " other = t.other + EXCLUDED.other," \
    " unsigned = t.unsigned + EXCLUDED.unsigned," \
    " authentic = t.authentic + EXCLUDED.authentic," \
    " replayed = t.replayed + EXCLUDED.replayed," \
    " forged = t.forged + EXCLUDED.forged," \
    " rotated = t.rotated + EXCLUDED.rotated," \
    " redacted = t.redacted + EXCLUDED.redacted," \
    " damaged = t.damaged + EXCLUDED.damaged," \
    " pending = t.pending + EXCLUDED.pending," \
    " unknown = t.unknown + EXCLUDED.unknown"

/*
 * From the staging tables into the real ones.  Only the report rows that
 * were new (RETURNING) bring their signature rows, facts and counts, so a
 * duplicate adds nothing.  Rows are taken in key order so that two ingests
 * storing overlapping batches lock in the same order.
 */
static const char merge_sql[] =
    "WITH ins AS (INSERT INTO report (msg_day, fingerprint, kind,"
    " complaint, source, feedback_type, reporter, user_agent, arf_version,"
    " arrival_date, source_ip, source_ip_in_esp, original_mail_from,"
    " original_form, reported_domain, recipient_hmac,"
    " original_message_id, original_from_domain, deviations,"
    " cfbl_feedback_id, feedback_id, cfbl_signed, reporter_verified_dkim,"
    " decided, customer_id, customer_token, esp_state, customer_state,"
    " authenticity)"
    " SELECT msg_day, fingerprint, kind, complaint, source, feedback_type,"
    " reporter, user_agent, arf_version, to_timestamp(arrival), source_ip,"
    " source_ip_in_esp, original_mail_from, original_form,"
    " reported_domain, recipient_hmac, original_message_id,"
    " original_from_domain, deviations, cfbl_feedback_id, feedback_id,"
    " cfbl_signed, reporter_verified_dkim, decided, customer_id,"
    " customer_token, esp_state, customer_state, authenticity"
    " FROM stage_report ORDER BY msg_day, fingerprint"
    " ON CONFLICT DO NOTHING"
    " RETURNING msg_day, fingerprint, kind, reporter, feedback_type,"
    " complaint, customer_id, customer_token, esp_state, customer_state,"
    " authenticity),"
    " dc AS (INSERT INTO daily_complaint AS t (day, kind, reporter,"
    " feedback_type, customer_id, token, esp_state, customer_state,"
    " authenticity, count)"
    " SELECT msg_day, kind, coalesce(reporter, ''),"
    " coalesce(feedback_type, ''), coalesce(customer_id, ''),"
    " coalesce(customer_token, ''), esp_state, customer_state,"
    " authenticity, count(*) FROM ins WHERE complaint"
    " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
    " ON CONFLICT (day, kind, reporter, feedback_type, customer_id, token,"
    " esp_state, customer_state, authenticity)"
    " DO UPDATE SET count = t.count + EXCLUDED.count),"
    " du AS (INSERT INTO daily_customer AS t (day, customer_id, token,"
    " reporter, complaints, attributed, carried, esp_verified, opt_out,"
    " not_spam, auth_failure, other, unsigned, authentic, replayed, forged,"
    " rotated, redacted, damaged, pending, unknown)"
    " SELECT i.msg_day, coalesce(i.customer_id, ''),"
    " coalesce(i.customer_token, ''), coalesce(i.reporter, ''),"
    " sum(c.complaints), sum(c.attributed), sum(c.carried),"
    " sum(c.esp_verified), sum(c.opt_out), sum(c.not_spam),"
    " sum(c.auth_failure), sum(c.other), sum(c.unsigned),"
    " sum(c.authentic), sum(c.replayed), sum(c.forged), sum(c.rotated),"
    " sum(c.redacted), sum(c.damaged), sum(c.pending), sum(c.unknown)"
    " FROM ins i, LATERAL fbl_customer_counts(i.kind, i.feedback_type,"
    " i.esp_state, i.customer_state, i.authenticity) c WHERE i.complaint"
    " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    " ON CONFLICT (day, customer_id, token, reporter) DO UPDATE SET"
    DAILY_CUSTOMER_ADD "),"
    " dr AS (INSERT INTO daily_report AS t (day, kind, reporter,"
    " feedback_type, count)"
    " SELECT msg_day, kind, coalesce(reporter, ''),"
    " coalesce(feedback_type, ''), count(*) FROM ins"
    " GROUP BY 1, 2, 3, 4 ORDER BY 1, 2, 3, 4"
    " ON CONFLICT (day, kind, reporter, feedback_type)"
    " DO UPDATE SET count = t.count + EXCLUDED.count),"
    " sig AS (INSERT INTO signature (msg_day, fingerprint, idx, d, s, a,"
    " c, l, t, x, key_bits, key_testing, result, reason, header_verified,"
    " body_verified, role, customer_id, selector_year, selector_month,"
    " archived_verdict, archived_key)"
    " SELECT g.msg_day, g.fingerprint, g.idx, g.d, g.s, g.a, g.c, g.l,"
    " g.t, g.x, g.key_bits, g.key_testing, g.result, g.reason,"
    " g.header_verified, g.body_verified, g.role, g.customer_id,"
    " g.selector_year, g.selector_month, g.archived_verdict,"
    " g.archived_key"
    " FROM stage_signature g JOIN ins USING (msg_day, fingerprint)"
    " ORDER BY g.msg_day, g.fingerprint, g.idx"
    " RETURNING msg_day, fingerprint, d, s, a, role, customer_id, result,"
    " reason, key_bits, key_testing),"
    " dk AS (INSERT INTO daily_key AS t (day, kind, token, role,"
    " customer_id, selector, algorithm, key_bits, key_testing, count)"
    " SELECT sig.msg_day, ins.kind, lower(coalesce(sig.d, '')), sig.role,"
    " coalesce(sig.customer_id, ''), coalesce(sig.s, ''),"
    " coalesce(sig.a, ''), coalesce(sig.key_bits, -1),"
    " coalesce(sig.key_testing, false), count(*)"
    " FROM sig JOIN ins USING (msg_day, fingerprint)"
    " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
    " ON CONFLICT (day, kind, token, role, customer_id, selector, algorithm,"
    " key_bits, key_testing) DO UPDATE SET count = t.count + EXCLUDED.count),"
    " ds AS (INSERT INTO daily_signature AS t (day, kind, token, role,"
    " customer_id, selector, reporter, feedback_type, result, reason,"
    " count)"
    " SELECT sig.msg_day, ins.kind, lower(coalesce(sig.d, '')), sig.role,"
    " coalesce(sig.customer_id, ''), coalesce(sig.s, ''),"
    " coalesce(ins.reporter, ''), coalesce(ins.feedback_type, ''),"
    " sig.result, sig.reason, count(*)"
    " FROM sig JOIN ins USING (msg_day, fingerprint)"
    " GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
    " ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
    " ON CONFLICT (day, kind, token, role, customer_id, selector, reporter,"
    " feedback_type, result, reason)"
    " DO UPDATE SET count = t.count + EXCLUDED.count),"
    " dv AS (INSERT INTO daily_verification AS t (day, kind, token, role,"
    " customer_id, result, reason, count)"
    " SELECT sig.msg_day, ins.kind, lower(coalesce(sig.d, '')), sig.role,"
    " coalesce(sig.customer_id, ''), sig.result, sig.reason, count(*)"
    " FROM sig JOIN ins USING (msg_day, fingerprint)"
    " GROUP BY 1, 2, 3, 4, 5, 6, 7 ORDER BY 1, 2, 3, 4, 5, 6, 7"
    " ON CONFLICT (day, kind, token, role, customer_id, result, reason)"
    " DO UPDATE SET count = t.count + EXCLUDED.count),"
    " fx AS (INSERT INTO signature_facts SELECT f.msg_day, f.fingerprint,"
    " f.idx, f.field, f.header_digest, f.has_body, f.body_verified,"
    " f.l_exceeds, f.canon_len, f.n_from, f.redacted, f.verified_at,"
    " f.skew FROM stage_facts f JOIN ins USING (msg_day, fingerprint))"
    " SELECT encode(fingerprint, 'hex'), to_char(msg_day, 'YYYY-MM-DD')"
    " FROM ins";

/* One attempt's connection and the reason it failed. */
struct txn {
	PGconn		*c;
	struct buf	*err;
	char		 state[6];	/* SQLSTATE of the failure, or "" */
};

/* A record's place in the batch, ordered by (fingerprint, day). */
struct slot {
	const struct record	*rec;
	size_t			 i;
};

static bool
result_ok(struct txn *tx, PGresult *res, const char *what)
{
	const char	*st;
	bool		 ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
			    PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok) {
		st = PQresultErrorField(res, PG_DIAG_SQLSTATE);
		snprintf(tx->state, sizeof(tx->state), "%s", st ? st : "");
		buf_printf(tx->err, "%s: ", what);
		store_error(tx->err, tx->c, res);
	}
	return ok;
}

static bool
exec_cmd(struct txn *tx, const char *sql, const char *what)
{
	PGresult	*res = PQexec(tx->c, sql);
	bool		 ok = result_ok(tx, res, what);

	PQclear(res);
	return ok;
}

/* --- COPY text format --- */

static void
copy_sep(struct buf *b, bool last)
{
	buf_putc(b, last ? '\n' : '\t');
}

static void
copy_null(struct buf *b, bool last)
{
	buf_puts(b, "\\N");
	copy_sep(b, last);
}

/* A text value; backslash, tab, LF and CR escaped (record texts: no NUL). */
static void
copy_text(struct buf *b, const char *s, bool last)
{
	const char	*p;

	if (s == NULL) {
		copy_null(b, last);
		return;
	}
	for (p = s; *p != '\0'; p++) {
		switch (*p) {
		case '\\':
			buf_puts(b, "\\\\");
			break;
		case '\t':
			buf_puts(b, "\\t");
			break;
		case '\n':
			buf_puts(b, "\\n");
			break;
		case '\r':
			buf_puts(b, "\\r");
			break;
		default:
			buf_putc(b, *p);
		}
	}
	copy_sep(b, last);
}

/* A bytea value in hex form ("\x..." with its backslash escaped). */
static void
copy_bytea(struct buf *b, const unsigned char *p, size_t len, bool last)
{
	buf_puts(b, "\\\\x");
	hex_put(b, p, len);
	copy_sep(b, last);
}

static void
copy_bool(struct buf *b, bool v, bool last)
{
	buf_putc(b, v ? 't' : 'f');
	copy_sep(b, last);
}

static void
copy_tri(struct buf *b, int v, bool last)
{
	if (v < 0)
		copy_null(b, last);
	else
		copy_bool(b, v != 0, last);
}

static void
copy_int(struct buf *b, int64_t v, bool present, bool last)
{
	if (!present) {
		copy_null(b, last);
		return;
	}
	buf_printf(b, "%" PRId64, v);
	copy_sep(b, last);
}

static void
copy_report(struct buf *b, const struct record *r)
{
	copy_text(b, r->msg_day, false);
	copy_bytea(b, r->fingerprint, RECORD_FP_LEN, false);
	copy_text(b, r->kind, false);
	copy_bool(b, r->complaint, false);
	copy_text(b, r->source, false);
	copy_text(b, r->feedback_type, false);
	copy_text(b, r->reporter, false);
	copy_text(b, r->user_agent, false);
	copy_text(b, r->arf_version, false);
	copy_int(b, r->arrival, r->has_arrival, false);
	copy_text(b, r->source_ip, false);
	copy_tri(b, r->source_ip_in_esp, false);
	copy_text(b, r->original_mail_from, false);
	copy_text(b, r->original_form, false);
	copy_text(b, r->reported_domain, false);
	copy_text(b, r->recipient_hmac, false);
	copy_text(b, r->original_message_id, false);
	copy_text(b, r->original_from_domain, false);
	copy_text(b, r->deviations, false);
	copy_text(b, r->cfbl_feedback_id, false);
	copy_text(b, r->feedback_id, false);
	copy_tri(b, r->cfbl_signed, false);
	copy_tri(b, r->reporter_verified_dkim, false);
	copy_text(b, r->decided, false);
	copy_text(b, r->customer_id, false);
	copy_text(b, r->customer_token, true);
}

static void
copy_sig(struct buf *b, const struct record *r, const struct record_sig *s)
{
	copy_text(b, r->msg_day, false);
	copy_bytea(b, r->fingerprint, RECORD_FP_LEN, false);
	copy_int(b, s->idx, true, false);
	copy_text(b, s->d, false);
	copy_text(b, s->s, false);
	copy_text(b, s->a, false);
	copy_text(b, s->c, false);
	if (s->has_l) {
		buf_printf(b, "%" PRIu64, s->l);
		copy_sep(b, false);
	} else
		copy_null(b, false);
	copy_int(b, s->t, s->has_t, false);
	copy_int(b, s->x, s->has_x, false);
	copy_int(b, s->key_bits, s->key_bits >= 0, false);
	copy_tri(b, s->key_testing, false);
	copy_text(b, s->result, false);
	copy_text(b, s->reason, false);
	copy_tri(b, s->header_verified, false);
	copy_tri(b, s->body_verified, false);
	copy_text(b, s->role, false);
	copy_text(b, s->customer_id, false);
	copy_int(b, s->sel_year, s->sel_year > 0, false);
	copy_int(b, s->sel_month, s->sel_year > 0, false);
	copy_text(b, s->archived_verdict, false);
	if (s->archived_verdict != NULL && strcmp(s->archived_verdict,
	    "pass") == 0)
		copy_bytea(b, s->archived_key, sizeof(s->archived_key), true);
	else
		copy_null(b, true);
}

static void
copy_facts(struct buf *b, const struct record *r, const struct record_sig *s)
{
	const struct record_facts *f = &s->facts;

	copy_text(b, r->msg_day, false);
	copy_bytea(b, r->fingerprint, RECORD_FP_LEN, false);
	copy_int(b, s->idx, true, false);
	copy_bytea(b, (const unsigned char *)f->field, f->field_len, false);
	copy_bytea(b, f->digest, f->digest_len, false);
	copy_bool(b, f->has_body, false);
	copy_bool(b, f->body_verified, false);
	copy_bool(b, f->l_exceeds, false);
	copy_int(b, (int64_t)(f->canon_len > INT64_MAX ? INT64_MAX :
	    f->canon_len), true, false);
	copy_int(b, f->n_from > INT16_MAX ? INT16_MAX : f->n_from, true,
	    false);
	copy_bool(b, f->redacted, false);
	copy_int(b, f->verified_at, true, false);
	copy_int(b, f->skew > INT32_MAX ? INT32_MAX : f->skew, true, true);
}

/* --- the transaction --- */

static bool
copy_send(struct txn *tx, struct buf *b, bool end)
{
	if (!buf_ok(b)) {
		buf_puts(tx->err, "out of memory");
		return false;
	}
	if (b->len > 0 && PQputCopyData(tx->c, b->data, (int)b->len) != 1) {
		buf_puts(tx->err, "COPY: ");
		store_error(tx->err, tx->c, NULL);
		return false;
	}
	buf_reset(b);
	if (end && PQputCopyEnd(tx->c, NULL) != 1) {
		buf_puts(tx->err, "COPY: ");
		store_error(tx->err, tx->c, NULL);
		return false;
	}
	return true;
}

/* The rows of kind 0 (report), 1 (signature) or 2 (facts). */
static void
copy_rows(struct buf *b, const struct record *r, int what)
{
	size_t	 i;

	if (what == 0) {
		copy_report(b, r);
		return;
	}
	for (i = 0; i < r->nsigs; i++) {
		if (what == 1)
			copy_sig(b, r, &r->sigs[i]);
		else if (r->sigs[i].facts.present)
			copy_facts(b, r, &r->sigs[i]);
	}
}

/* COPY the staged records (dup[i] false) into one staging table. */
static bool
copy_table(struct txn *tx, const char *sql, struct record *const *recs,
    size_t n, const bool *dup, int what)
{
	struct buf	 b = BUF_INIT;
	PGresult	*res;
	size_t		 i;
	bool		 ok = true;

	res = PQexec(tx->c, sql);
	if (PQresultStatus(res) != PGRES_COPY_IN) {
		result_ok(tx, res, sql);
		PQclear(res);
		return false;
	}
	PQclear(res);
	for (i = 0; ok && i < n; i++) {
		if (dup[i])
			continue;
		copy_rows(&b, recs[i], what);
		if (b.len >= COPY_CHUNK)
			ok = copy_send(tx, &b, false);
	}
	if (ok)
		ok = copy_send(tx, &b, true);
	else
		PQputCopyEnd(tx->c, "fblscope: batch abandoned");
	buf_free(&b);
	while ((res = PQgetResult(tx->c)) != NULL) {
		if (ok)
			ok = result_ok(tx, res, sql);
		PQclear(res);
	}
	return ok;
}

static int
month_cmp(const void *a, const void *b)
{
	return memcmp(a, b, 7);
}

/* fbl_ensure_month() once for every distinct month of the batch. */
static bool
ensure_months(struct txn *tx, struct record *const *recs, size_t n)
{
	struct buf	 arr = BUF_INIT;
	const char	*p[1];
	PGresult	*res;
	char		(*m)[8];
	size_t		 i;
	bool		 ok;

	if (n == 0)
		return true;
	if ((m = calloc(n, sizeof(*m))) == NULL) {
		buf_puts(tx->err, "out of memory");
		return false;
	}
	for (i = 0; i < n; i++)
		memcpy(m[i], recs[i]->msg_day, 7);	/* "YYYY-MM" */
	qsort(m, n, sizeof(*m), month_cmp);
	buf_putc(&arr, '{');
	for (i = 0; i < n; i++)
		if (i == 0 || memcmp(m[i - 1], m[i], 7) != 0)
			buf_printf(&arr, "%s%s-01", i ? "," : "", m[i]);
	buf_putc(&arr, '}');
	free(m);
	p[0] = buf_cstr(&arr);
	res = PQexecParams(tx->c, "SELECT fbl_ensure_month(m)"
	    " FROM unnest($1::date[]) AS m ORDER BY m", 1, NULL, p, NULL, NULL,
	    0);
	ok = result_ok(tx, res, "fbl_ensure_month");
	PQclear(res);
	buf_free(&arr);
	return ok;
}

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
mark_inserted(struct txn *tx, PGresult *res, const struct slot *sl,
    size_t n, bool *inserted)
{
	struct record	 key;
	struct slot	 k, *hit;
	const char	*hex, *day;
	int		 row, hi, lo;
	size_t		 j;

	k.rec = &key;
	for (row = 0; row < PQntuples(res); row++) {
		hex = PQgetvalue(res, row, 0);
		day = PQgetvalue(res, row, 1);
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
	buf_puts(tx->err, "the database returned a row not in the batch");
	return false;
}

static bool
merge(struct txn *tx, const struct slot *sl, size_t n, bool *inserted)
{
	PGresult	*res = PQexec(tx->c, merge_sql);
	bool		 ok = result_ok(tx, res, "storing the batch");

	if (ok)
		ok = mark_inserted(tx, res, sl, n, inserted);
	PQclear(res);
	return ok;
}

/* One attempt at the whole transaction. */
static bool
attempt(struct txn *tx, struct record *const *recs, size_t n,
    const struct slot *sl, const bool *dup, bool *inserted)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		inserted[i] = false;
	if (!exec_cmd(tx, "BEGIN", "BEGIN"))
		return false;
	if (!exec_cmd(tx, stage_sql, "staging tables") ||
	    !ensure_months(tx, recs, n) ||
	    !copy_table(tx, copy_report_sql, recs, n, dup, 0) ||
	    !copy_table(tx, copy_sig_sql, recs, n, dup, 1) ||
	    !copy_table(tx, copy_facts_sql, recs, n, dup, 2) ||
	    !exec_cmd(tx, standing_sql, "the standing of the batch") ||
	    !merge(tx, sl, n, inserted) ||
	    !exec_cmd(tx, "COMMIT", "COMMIT"))
		return false;
	return true;
}

/* Deadlocks and serialization failures end a transaction, not the run. */
static bool
retryable(const struct txn *tx)
{
	return strcmp(tx->state, "40P01") == 0 ||
	    strcmp(tx->state, "40001") == 0;
}

bool
store_write_batch(struct store *st, struct record *const *recs, size_t n,
    bool *inserted, struct buf *err)
{
	struct txn	 tx;
	struct buf	 ignore = BUF_INIT;
	struct slot	*sl;
	bool		*dup;
	int		 tries;
	bool		 ok = false;

	memset(&tx, 0, sizeof(tx));
	tx.c = store_conn(st);
	tx.err = err;
	dup = calloc(n ? n : 1, sizeof(*dup));
	sl = dup != NULL ? sort_batch(recs, n, dup) : NULL;
	if (sl == NULL) {
		free(dup);
		buf_puts(err, "out of memory");
		return false;
	}
	for (tries = 1; !ok && tries <= MAX_TRIES; tries++) {
		buf_reset(err);
		tx.state[0] = '\0';
		if ((ok = attempt(&tx, recs, n, sl, dup, inserted)))
			break;
		if (PQstatus(tx.c) == CONNECTION_OK)
			exec_cmd(&(struct txn){ tx.c, &ignore, "" },
			    "ROLLBACK", "ROLLBACK");
		if (!retryable(&tx))
			break;
		nanosleep(&(struct timespec){ 0, 20000000L * tries }, NULL);
	}
	if (!ok)
		memset(inserted, 0, n * sizeof(*inserted));
	buf_free(&ignore);
	free(sl);
	free(dup);
	return ok;
}
