/* store_batch: one batch, one transaction; see store_batch.h. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "fbl/store_batch.h"

#define NREPORT_PARAMS	21
#define NSIG_PARAMS	23
#define MAX_MONTHS	64	/* distinct months remembered per batch */

static const char report_sql[] =
    "WITH ins AS (INSERT INTO report (msg_day, fingerprint, kind,"
    " complaint, source, feedback_type, reporter, user_agent, arf_version,"
    " arrival_date, source_ip, source_ip_in_esp, original_mail_from,"
    " original_form, reported_domain, recipient_hmac,"
    " original_message_id, original_from_domain, deviations,"
    " cfbl_feedback_id, feedback_id)"
    " VALUES ($1::date, decode($2, 'hex'), $3, $4::boolean, $5, $6, $7,"
    " $8, $9, to_timestamp($10::bigint), $11, $12::boolean, $13, $14,"
    " $15::text[], $16::bytea[], $17, $18, $19::text[], $20, $21)"
    " ON CONFLICT DO NOTHING"
    " RETURNING msg_day, kind, reporter, feedback_type)"
    " INSERT INTO daily_report AS dr (day, kind, reporter, feedback_type,"
    " count)"
    " SELECT msg_day, kind, coalesce(reporter, ''),"
    " coalesce(feedback_type, ''), 1 FROM ins"
    " ON CONFLICT (day, kind, reporter, feedback_type)"
    " DO UPDATE SET count = dr.count + EXCLUDED.count"
    " RETURNING 1";

static const char sig_sql[] =
    "WITH ins AS (INSERT INTO signature (msg_day, fingerprint, idx, d, s,"
    " a, c, l, t, x, key_bits, key_testing, result, reason,"
    " header_verified, body_verified, role, customer_id, selector_year,"
    " selector_month)"
    " VALUES ($1::date, decode($2, 'hex'), $3::smallint, $4, $5, $6, $7,"
    " $8::numeric, $9::bigint, $10::bigint, $11::integer, $12::boolean,"
    " $13, $14, $15::boolean, $16::boolean, $17, $18, $19::smallint,"
    " $20::smallint)"
    " RETURNING msg_day, d, s, role, customer_id, result, reason)"
    " INSERT INTO daily_signature AS ds (day, kind, token, role,"
    " customer_id, selector, reporter, feedback_type, result, reason,"
    " count)"
    " SELECT msg_day, $21::text, lower(coalesce(d, '')), role,"
    " coalesce(customer_id, ''), coalesce(s, ''), coalesce($22::text, ''),"
    " coalesce($23::text, ''), result, reason, 1 FROM ins"
    " ON CONFLICT (day, kind, token, role, customer_id, selector, reporter,"
    " feedback_type, result, reason)"
    " DO UPDATE SET count = ds.count + EXCLUDED.count";

/* Text of a number parameter. */
struct numbuf {
	char	 s[32];
};

static const char *
tri_param(int v)
{
	return v < 0 ? NULL : v ? "true" : "false";
}

static void
fp_hex(const struct record *r, char hex[2 * RECORD_FP_LEN + 1])
{
	size_t	 i;

	for (i = 0; i < RECORD_FP_LEN; i++)
		snprintf(hex + 2 * i, 3, "%02x", r->fingerprint[i]);
}

static bool
exec_cmd(PGconn *c, const char *sql, struct buf *err)
{
	PGresult	*res = PQexec(c, sql);
	bool		 ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
			    PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok) {
		buf_printf(err, "%s: ", sql);
		store_error(err, c, res);
	}
	PQclear(res);
	return ok;
}

/* Run a parameterised statement; rows returned in *rows (may be NULL). */
static bool
exec_params(PGconn *c, const char *sql, int n, const char *const *p,
    int *rows, struct buf *err)
{
	PGresult	*res = PQexecParams(c, sql, n, NULL, p, NULL, NULL, 0);
	bool		 ok = PQresultStatus(res) == PGRES_COMMAND_OK ||
			    PQresultStatus(res) == PGRES_TUPLES_OK;

	if (!ok)
		store_error(err, c, res);
	else if (rows != NULL)
		*rows = PQntuples(res);
	PQclear(res);
	return ok;
}

/* fbl_ensure_month() once for every distinct month of the batch. */
static bool
ensure_months(PGconn *c, struct record *const *recs, size_t n,
    struct buf *err)
{
	char		 seen[MAX_MONTHS][8];
	const char	*p[1];
	size_t		 i, j, nseen = 0;

	for (i = 0; i < n; i++) {
		for (j = 0; j < nseen; j++)
			if (memcmp(seen[j], recs[i]->msg_day, 7) == 0)
				break;
		if (j < nseen)
			continue;
		if (nseen < MAX_MONTHS) {
			memcpy(seen[nseen], recs[i]->msg_day, 7);
			seen[nseen++][7] = '\0';
		}
		p[0] = recs[i]->msg_day;
		if (!exec_params(c, "SELECT fbl_ensure_month($1::date)", 1, p,
		    NULL, err))
			return false;
	}
	return true;
}

static bool
write_sig(PGconn *c, const struct record *r, const char *fp,
    const struct record_sig *s, struct buf *err)
{
	struct numbuf	 idx, l, t, x, bits, year, mon;
	const char	*p[NSIG_PARAMS];

	snprintf(idx.s, sizeof(idx.s), "%d", s->idx);
	snprintf(l.s, sizeof(l.s), "%" PRIu64, s->l);
	snprintf(t.s, sizeof(t.s), "%" PRId64, s->t);
	snprintf(x.s, sizeof(x.s), "%" PRId64, s->x);
	snprintf(bits.s, sizeof(bits.s), "%d", s->key_bits);
	snprintf(year.s, sizeof(year.s), "%d", s->sel_year);
	snprintf(mon.s, sizeof(mon.s), "%d", s->sel_month);
	p[0] = r->msg_day;
	p[1] = fp;
	p[2] = idx.s;
	p[3] = s->d;
	p[4] = s->s;
	p[5] = s->a;
	p[6] = s->c;
	p[7] = s->has_l ? l.s : NULL;
	p[8] = s->has_t ? t.s : NULL;
	p[9] = s->has_x ? x.s : NULL;
	p[10] = s->key_bits >= 0 ? bits.s : NULL;
	p[11] = tri_param(s->key_testing);
	p[12] = s->result;
	p[13] = s->reason;
	p[14] = tri_param(s->header_verified);
	p[15] = tri_param(s->body_verified);
	p[16] = s->role;
	p[17] = s->customer_id;
	p[18] = s->sel_year > 0 ? year.s : NULL;
	p[19] = s->sel_year > 0 ? mon.s : NULL;
	p[20] = r->kind;
	p[21] = r->reporter;
	p[22] = r->feedback_type;
	return exec_params(c, sig_sql, NSIG_PARAMS, p, NULL, err);
}

/* The report row; *inserted false for a duplicate. */
static bool
write_report(PGconn *c, const struct record *r, const char *fp,
    bool *inserted, struct buf *err)
{
	struct numbuf	 arr;
	const char	*p[NREPORT_PARAMS];
	int		 rows = 0;

	snprintf(arr.s, sizeof(arr.s), "%" PRId64, r->arrival);
	p[0] = r->msg_day;
	p[1] = fp;
	p[2] = r->kind;
	p[3] = r->complaint ? "true" : "false";
	p[4] = r->source;
	p[5] = r->feedback_type;
	p[6] = r->reporter;
	p[7] = r->user_agent;
	p[8] = r->arf_version;
	p[9] = r->has_arrival ? arr.s : NULL;
	p[10] = r->source_ip;
	p[11] = tri_param(r->source_ip_in_esp);
	p[12] = r->original_mail_from;
	p[13] = r->original_form;
	p[14] = r->reported_domain;
	p[15] = r->recipient_hmac;
	p[16] = r->original_message_id;
	p[17] = r->original_from_domain;
	p[18] = r->deviations;
	p[19] = r->cfbl_feedback_id;
	p[20] = r->feedback_id;
	if (!exec_params(c, report_sql, NREPORT_PARAMS, p, &rows, err))
		return false;
	*inserted = rows > 0;
	return true;
}

static bool
write_one(PGconn *c, const struct record *r, bool *inserted,
    struct buf *err)
{
	char	 fp[2 * RECORD_FP_LEN + 1];
	size_t	 i;

	fp_hex(r, fp);
	if (!write_report(c, r, fp, inserted, err))
		return false;
	for (i = 0; *inserted && i < r->nsigs; i++)
		if (!write_sig(c, r, fp, &r->sigs[i], err))
			return false;
	return true;
}

bool
store_write_batch(struct store *st, struct record *const *recs, size_t n,
    bool *inserted, struct buf *err)
{
	PGconn		*c = store_conn(st);
	struct buf	 ignore = BUF_INIT;
	size_t		 i;

	if (!exec_cmd(c, "BEGIN", err))
		return false;
	if (!ensure_months(c, recs, n, err))
		goto fail;
	for (i = 0; i < n; i++) {
		inserted[i] = false;
		if (!write_one(c, recs[i], &inserted[i], err))
			goto fail;
	}
	if (!exec_cmd(c, "COMMIT", err))
		goto fail;
	return true;
fail:
	if (PQstatus(c) == CONNECTION_OK)
		exec_cmd(c, "ROLLBACK", &ignore);
	buf_free(&ignore);
	for (i = 0; i < n; i++)
		inserted[i] = false;
	return false;
}
