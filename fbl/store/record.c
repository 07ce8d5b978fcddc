/* SPDX-License-Identifier: ISC */
/* record: the rows of one message; see record.h. */
#include <ctype.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>


#include "base/digest.h"
#include "base/date.h"
#include "base/hex.h"
#include "fbl/cidr.h"
#include "fbl/classify.h"
#include "fbl/feedback/complaint.h"
#include "fbl/store/record.h"


/* Length of the valid UTF-8 sequence at s (1..4), or 0. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	size_t		 need, i;
	unsigned	 cp;

	if (s[0] < 0x80)
		return s[0] != 0;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		need = 2, cp = s[0] & 0x1f;
	else if (s[0] >= 0xe0 && s[0] <= 0xef)
		need = 3, cp = s[0] & 0x0f;
	else if (s[0] >= 0xf0 && s[0] <= 0xf4)
		need = 4, cp = s[0] & 0x07;
	else
		return 0;
	if (n < need)
		return 0;
	for (i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

char *
record_text(const char *s, size_t len)
{
	struct buf	 b = BUF_INIT;
	const unsigned char *u = (const unsigned char *)s;
	size_t		 i = 0, k;

	while (i < len && b.len + 4 <= RECORD_MAX_TEXT) {
		if ((k = utf8_len(u + i, len - i)) == 0) {
			buf_puts(&b, "\xef\xbf\xbd");	/* U+FFFD */
			i++;
			continue;
		}
		buf_append(&b, u + i, k);
		i += k;
	}
	if (!buf_ok(&b)) {
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* A copy of an optional C string; *ok goes false when memory ran out. */
static char *opt_text(const char *, bool *);

/* A lower-case copy (domain names), or NULL for NULL. */
static char *
lower_text(const char *s, bool *ok)
{
	char	*t = opt_text(s, ok);
	size_t	 i;

	for (i = 0; t != NULL && t[i] != '\0'; i++)
		t[i] = (char)tolower((unsigned char)t[i]);
	return t;
}

static char *
opt_text(const char *s, bool *ok)
{
	char	*t;

	if (s == NULL)
		return NULL;
	if ((t = record_text(s, strlen(s))) == NULL)
		*ok = false;
	return t;
}

void
record_array(struct buf *b, const char *const *v, size_t n)
{
	const char	*p;
	size_t		 i;

	buf_putc(b, '{');
	for (i = 0; i < n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		buf_putc(b, '"');
		for (p = v[i]; *p != '\0'; p++) {
			if (*p == '"' || *p == '\\')
				buf_putc(b, '\\');
			buf_putc(b, *p);
		}
		buf_putc(b, '"');
	}
	buf_putc(b, '}');
}

/* The array literal of a list (texts made safe first), NULL when empty. */
static char *
list_array(const struct arf_list *l, bool *ok)
{
	char		*v[ARF_MAX_LIST];
	struct buf	 b = BUF_INIT;
	size_t		 i, n = 0;

	if (l->n == 0)
		return NULL;
	for (i = 0; i < l->n && i < ARF_MAX_LIST; i++)
		if ((v[n] = opt_text(l->v[i], ok)) != NULL)
			n++;
	record_array(&b, (const char *const *)v, n);
	for (i = 0; i < n; i++)
		free(v[i]);
	if (!buf_ok(&b)) {
		*ok = false;
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

/* Trimmed value of the first field name of m, made safe; NULL if none. */
static char *
field_text(const struct message *m, const char *name, bool *ok)
{
	const char	*s;
	size_t		 n;
	long		 i;
	char		*t;

	if (m == NULL || (i = message_find_field(m, name)) < 0)
		return NULL;
	s = m->fields[i].value;
	n = m->fields[i].value_len;
	while (n > 0 && isspace((unsigned char)*s))
		s++, n--;
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	if ((t = record_text(s, n)) == NULL)
		*ok = false;
	else
		for (n = 0; t[n] != '\0'; n++)
			if (t[n] == '\r' || t[n] == '\n' || t[n] == '\t')
				t[n] = ' ';
	return t;
}

/* The domain after the last '@' of a From value, lower case. */
static char *
from_domain(const struct message *m, bool *ok)
{
	char	*v, *at, *e, *d = NULL;

	if ((v = field_text(m, "From", ok)) == NULL)
		return NULL;
	if ((at = strrchr(v, '@')) != NULL) {
		at++;
		e = at + strcspn(at, " >)\";,<");
		*e = '\0';
		for (e = at; *e != '\0'; e++)
			*e = (char)tolower((unsigned char)*e);
		if (*at != '\0' && strlen(at) <= CONFIG_DOMAIN_MAX &&
		    (d = strdup(at)) == NULL)
			*ok = false;
	}
	free(v);
	return d;
}

bool
record_hmac_recipient(const struct buf *secret, const char *addr,
    unsigned char out[RECORD_HMAC_LEN])
{
	char		 a[RECORD_MAX_TEXT];
	size_t		 n = 0;
	const char	*p = addr;

	while (*p == ' ' || *p == '\t' || *p == '<')
		p++;
	for (; *p != '\0' && *p != '>' && n < sizeof(a); p++)
		a[n++] = (char)tolower((unsigned char)*p);
	while (n > 0 && (a[n - 1] == ' ' || a[n - 1] == '\t'))
		n--;
	if (secret == NULL)
		return false;
	return digest_hmac_sha256(secret->data, secret->len, a, n, out);
}

/* {"\\x<hex>",...} of the recipients' HMACs; NULL without a secret. */
static char *
recipients(const struct record_input *in, size_t *count, bool *ok)
{
	const struct arf_list *l = &in->report->original_rcpt_to;
	unsigned char	 mac[RECORD_HMAC_LEN];
	struct buf	 b = BUF_INIT;
	size_t		 i;

	*count = 0;
	if (in->secret == NULL || in->secret->len == 0 || l->n == 0)
		return NULL;
	buf_putc(&b, '{');
	for (i = 0; i < l->n && i < ARF_MAX_LIST; i++) {
		if (!record_hmac_recipient(in->secret, l->v[i], mac))
			continue;
		buf_puts(&b, *count > 0 ? ",\"\\\\x" : "\"\\\\x");
		buf_put_hex(&b, mac, sizeof(mac));
		buf_putc(&b, '"');
		(*count)++;
	}
	buf_putc(&b, '}');
	if (!buf_ok(&b) || *count == 0) {
		if (!buf_ok(&b))
			*ok = false;
		buf_free(&b);
		return NULL;
	}
	return buf_steal(&b);
}

static int
tri(bool known, bool v)
{
	return known ? (v ? 1 : 0) : -1;
}

static void
sig_build(struct record_sig *rs, const struct sig_result *sr,
    const struct fbl_config *cfg, size_t idx, bool *ok)
{
	const struct dkim_sig *g = &sr->sig;

	rs->idx = (int)idx;
	rs->d = opt_text(g->d, ok);
	rs->s = opt_text(g->s, ok);
	rs->a = opt_text(g->a, ok);
	rs->c = opt_text(g->c, ok);
	rs->has_l = g->has_l;
	rs->l = g->l;
	rs->has_t = g->has_t && g->t <= (uint64_t)INT64_MAX;
	rs->t = rs->has_t ? (int64_t)g->t : 0;
	rs->has_x = g->has_x && g->x <= (uint64_t)INT64_MAX;
	rs->x = rs->has_x ? (int64_t)g->x : 0;
	rs->key_bits = sr->key != NULL && sr->key->parse == REASON_OK ?
	    (int)sr->key->key.bits : -1;
	rs->key_testing = sr->key != NULL && sr->key->parse == REASON_OK ?
	    sr->key->key.testing : -1;
	rs->result = sr->result;
	rs->reason = sr->reason;
	rs->header_verified = tri(sr->header_checked, sr->header_verified);
	rs->body_verified = tri(sr->body != NULL, sr->body_verified);
	if (g->s == NULL ||
	    !classify_selector(cfg, g->s, &rs->sel_year, &rs->sel_month))
		rs->sel_year = rs->sel_month = 0;
}

bool
record_reporter_verified_dkim(const char *reporter)
{
	return reporter != NULL && strcmp(reporter, "yahoo") == 0;
}

/* a and b equal, or one a subdomain of the other (case-insensitive). */
static bool
domains_aligned(const char *a, size_t alen, const char *b, size_t blen)
{
	const char	*ls, *sh;
	size_t		 ll, sl;

	if (alen >= blen) {
		ls = a, ll = alen, sh = b, sl = blen;
	} else {
		ls = b, ll = blen, sh = a, sl = alen;
	}
	if (sl == 0 || strncasecmp(ls + ll - sl, sh, sl) != 0)
		return false;
	return ll == sl || ls[ll - sl - 1] == '.';
}

/* The domain of CFBL-Address ("fbl@esp.example; report=arf"), or NULL. */
static const char *
cfbl_address_domain(const struct message *m, size_t *len)
{
	const char	*v, *at, *end;
	long		 i;

	if ((i = message_find_field(m, "CFBL-Address")) < 0)
		return NULL;
	v = m->fields[i].value;
	end = v + m->fields[i].value_len;
	if ((at = memchr(v, '@', (size_t)(end - v))) == NULL)
		return NULL;
	at++;
	*len = 0;
	while (at + *len < end && strchr("; \t\r\n>", at[*len]) == NULL)
		(*len)++;
	return at;
}

/* sr's h= covers the CFBL-Feedback-ID, its d= aligned with CFBL-Address. */
static bool
covers_cfbl(const struct message *m, const struct sig_result *sr)
{
	const char	*dom;
	size_t		 dlen = 0;

	if (sr->sig.d == NULL || message_find_field(m, "CFBL-Feedback-ID") < 0 ||
	    dkim_sig_signs(&sr->sig, "cfbl-feedback-id") == 0)
		return false;
	dom = cfbl_address_domain(m, &dlen);
	return dom == NULL || domains_aligned(sr->sig.d, strlen(sr->sig.d),
	    dom, dlen);
}

int
record_cfbl_signed(const struct message *m, const struct verify_result *vr)
{
	size_t	 i;

	if (m == NULL || vr == NULL ||
	    message_find_field(m, "CFBL-Feedback-ID") < 0)
		return -1;
	for (i = 0; i < vr->nsigs; i++)
		if (vr->sigs[i].result == DKIM_RESULT_PASS &&
		    covers_cfbl(m, &vr->sigs[i]))
			return 1;
	return 0;
}

void
record_sig_covers(const struct message *m, const struct sig_result *sr,
    bool *feedback_id, bool *cfbl)
{
	*feedback_id = m != NULL && message_find_field(m, "Feedback-ID") >= 0 &&
	    dkim_sig_signs(&sr->sig, "feedback-id") > 0;
	*cfbl = m != NULL && covers_cfbl(m, sr);
}

/* The network a Source-IP is counted by (RECORD_PREFIX_V4/V6), or NULL. */
static char *
source_prefix(const char *ip, bool *ok)
{
	struct ip_addr	 a;
	struct cidr	 c;
	struct buf	 b = BUF_INIT;
	char		*t = NULL;

	if (ip == NULL || !ip_parse(&a, ip, strnlen(ip, IP_TEXT_MAX + 1)))
		return NULL;
	cidr_of(&c, &a, a.v4 ? RECORD_PREFIX_V4 : RECORD_PREFIX_V6);
	cidr_format(&b, &c);
	if (!buf_ok(&b) || (t = strdup(buf_cstr(&b))) == NULL)
		*ok = false;
	buf_free(&b);
	return t;
}

bool
record_archive_applies(enum dkim_reason reason)
{
	switch (reason) {
	case REASON_KEY_NOT_FOUND:
	case REASON_KEY_REVOKED:
	case REASON_SIGNATURE_MISMATCH:
	case REASON_KEY_SYNTAX:
	case REASON_KEY_TOO_LARGE:
	case REASON_KEY_EXPONENT:
		return true;
	default:
		return false;
	}
}

bool
record_verdict_open(enum dkim_result result, enum dkim_reason reason)
{
	return result == DKIM_RESULT_TEMPERROR ||
	    record_archive_applies(reason);
}

const char *
record_archived_name(enum record_archived a)
{
	switch (a) {
	case ARCHIVED_PASS:
		return "pass";
	case ARCHIVED_FAIL:
		return "fail";
	case ARCHIVED_NONE:
	default:
		return NULL;
	}
}

/* Keep the key-independent facts of a signature whose verdict is open. */
static void
facts_build(struct record_facts *rf, const struct verify_result *vr,
    size_t i, bool *ok)
{
	struct sig_facts f;
	struct buf	 noz = BUF_INIT;

	if (!verify_facts(vr, i, &f) || f.hdigest_len > RECORD_MAX_DIGEST)
		return;
	/* z= may copy a recipient's address: never stored */
	if (!dkim_field_without_z(f.field, f.field_len, &noz) ||
	    (rf->field = malloc(noz.len ? noz.len : 1)) == NULL) {
		buf_free(&noz);
		*ok = false;
		return;
	}
	if (noz.len > 0)
		memcpy(rf->field, noz.data, noz.len);
	rf->field_len = noz.len;
	buf_free(&noz);
	memcpy(rf->digest, f.hdigest, f.hdigest_len);
	rf->digest_len = f.hdigest_len;
	rf->has_body = f.has_body;
	rf->body_verified = f.body_verified;
	rf->l_exceeds = f.l_exceeds;
	rf->canon_len = f.canon_len;
	rf->n_from = f.n_from > UINT_MAX ? UINT_MAX : (unsigned)f.n_from;
	rf->redacted = f.redacted;
	rf->verified_at = f.now;
	rf->skew = f.skew;
	rf->present = true;
}

/* The key record the signature was checked with, for the key archive. */
static void
key_build(struct record_sig *rs, const struct sig_result *sr, bool *ok)
{
	const struct key_answer *a = sr->answer;

	if (a == NULL || sr->key == NULL || a->status != KEYFETCH_OK)
		return;
	rs->key_name = opt_text(a->name, ok);
	/* whole, not cut at RECORD_MAX_TEXT: the archive checks it */
	if ((rs->key_record = malloc(sr->key->len + 1)) == NULL) {
		*ok = false;
		return;
	}
	memcpy(rs->key_record, sr->key->data, sr->key->len);
	rs->key_record[sr->key->len] = '\0';
	rs->key_record_len = sr->key->len;
	rs->key_seen = (int64_t)a->fetched;
	rs->key_from_zone = strncmp(a->server, "zone ", 5) == 0;
}

static bool
sigs_build(struct record *rec, const struct record_input *in)
{
	const struct verify_result *vr = in->vr;
	bool	 ok = true;
	size_t	 i;

	if (vr == NULL || vr->nsigs == 0)
		return true;
	if ((rec->sigs = calloc(vr->nsigs, sizeof(*rec->sigs))) == NULL)
		return false;
	rec->nsigs = vr->nsigs;
	for (i = 0; i < vr->nsigs; i++) {
		sig_build(&rec->sigs[i], &vr->sigs[i], in->config, i + 1, &ok);
		key_build(&rec->sigs[i], &vr->sigs[i], &ok);
		if (record_verdict_open(rec->sigs[i].result,
		    rec->sigs[i].reason))
			facts_build(&rec->sigs[i].facts, vr, i, &ok);
		diag_class_make(&rec->sigs[i].diag, &vr->sigs[i],
		    in->diag != NULL && i < in->diag->nsigs ?
		    &in->diag->sigs[i] : NULL, in->diag != NULL &&
		    in->diag->cut, rec->reporter_verified_dkim == 1);
		record_sig_covers(in->original, &vr->sigs[i],
		    &rec->sigs[i].covers_feedback_id,
		    &rec->sigs[i].covers_cfbl);
	}
	return ok;
}

/*
 * The envelope sender as stored.  Its local part is often VERP, which
 * encodes the recipient (bounce-123-jane=example.net@esp.example): it is
 * kept only as a keyed hash, in hex, with the site secret, or dropped
 * without one; the domain stays as written (which bounce domain the mail
 * left from).  "<>" (a null sender) stays as it is.
 */
char *
record_mail_from(const char *v, const struct buf *secret)
{
	unsigned char	 mac[RECORD_HMAC_LEN];
	const char	*p, *at, *end;
	struct buf	 b = BUF_INIT;
	char		*t;

	if (v == NULL)
		return NULL;
	if ((p = strchr(v, '<')) != NULL)
		p++;		/* a display name before it is no address */
	else
		for (p = v; *p == ' ' || *p == '\t'; p++)
			;
	for (end = p; *end != '\0' && *end != '>'; end++)
		;
	while (end > p && (end[-1] == ' ' || end[-1] == '\t'))
		end--;
	if (end == p)
		return record_text("<>", 2);
	for (at = end; at > p && at[-1] != '@'; at--)
		;
	if (at > p) {
		at--;		/* the last '@' */
		buf_putc(&b, '@');
		buf_append(&b, at + 1, (size_t)(end - at - 1));
	} else
		at = end;	/* no domain: all of it is the local part */
	if (secret != NULL && secret->len > 0 && at > p) {
		struct buf	 local = BUF_INIT, mixed = BUF_INIT;

		buf_append(&local, p, (size_t)(at - p));
		if (buf_ok(&local) && record_hmac_recipient(secret,
		    buf_cstr(&local), mac)) {
			hex_put(&mixed, mac, sizeof(mac));
			buf_append(&mixed, b.data, b.len);
			buf_free(&b);
			b = mixed;
		} else
			buf_free(&mixed);
		buf_free(&local);
	}
	if (!buf_ok(&b) || b.len == 0) {
		buf_free(&b);
		return NULL;
	}
	t = record_text(b.data, b.len);
	buf_free(&b);
	return t;
}

static void
fields_build(struct record *rec, const struct record_input *in, bool *ok)
{
	const struct arf_report *r = in->report;

	rec->feedback_type = opt_text(r->feedback_type, ok);
	rec->reporter = opt_text(r->reporter, ok);
	rec->user_agent = opt_text(r->user_agent, ok);
	rec->arf_version = opt_text(r->version, ok);
	rec->has_arrival = r->arrival_date != NULL &&
	    date_parse_time(r->arrival_date, &rec->arrival);
	rec->source_ip = opt_text(r->source_ip, ok);
	rec->source_ip_derived = opt_text(r->source_ip_derived, ok);
	rec->source_prefix = source_prefix(rec->source_ip, ok);
	if (r->original_mail_from != NULL && (rec->original_mail_from =
	    record_mail_from(r->original_mail_from, in->secret)) == NULL &&
	    strchr(r->original_mail_from, '@') != NULL)
		*ok = false;	/* a domain to keep: only memory can fail */
	rec->has_original = r->original != NULL && r->complaint;
	rec->original_form = r->original_form;
	rec->reported_domain = list_array(&r->reported_domain, ok);
	rec->deviations = list_array(&r->deviations, ok);
	rec->recipient_hmac = recipients(in, &rec->nrecipients, ok);
	rec->original_message_id = field_text(in->original, "Message-ID", ok);
	rec->original_from_domain = from_domain(in->original, ok);
	rec->cfbl_feedback_id = field_text(in->original, "CFBL-Feedback-ID",
	    ok);
	rec->feedback_id = field_text(in->original, "Feedback-ID", ok);
	rec->cfbl_signed = record_cfbl_signed(in->original, in->vr);
	if (r->complaint)
		rec->reporter_verified_dkim =
		    record_reporter_verified_dkim(r->reporter);
}

/*
 * The customer the message claims: its first customer-role signature
 * (whatever its verdict: a forgery claims too), else the customer its From
 * domain maps to.  The report's standing (sql/003_standing.sql) and the
 * report's per-customer counts rest on it.
 */
static void
claim_build(struct record *rec, const struct fbl_config *cfg, bool *ok)
{
	const char	*cust = NULL;
	size_t		 i;

	for (i = 0; i < rec->nsigs; i++) {
		if (rec->sigs[i].role != ROLE_CUSTOMER ||
		    rec->sigs[i].d == NULL)
			continue;
		rec->customer_id = opt_text(rec->sigs[i].customer_id, ok);
		rec->customer_token = lower_text(rec->sigs[i].d, ok);
		return;
	}
	if (rec->original_from_domain != NULL &&
	    classify_domain(cfg, rec->original_from_domain, &cust) ==
	    ROLE_CUSTOMER) {
		rec->customer_id = opt_text(cust, ok);
		rec->customer_token = opt_text(rec->original_from_domain, ok);
	}
}

bool
record_attribute(struct record *rec, const struct fbl_config *cfg)
{
	struct record_sig	*rs;
	const char		*cust;
	size_t			 i;
	int			 ip;
	bool			 ok = true;

	for (i = 0; i < rec->nsigs; i++) {
		rs = &rec->sigs[i];
		free(rs->customer_id);
		rs->role = classify_domain(cfg, rs->d, &cust);
		rs->customer_id = opt_text(cust, &ok);
	}
	free(rec->customer_id);
	free(rec->customer_token);
	rec->customer_id = rec->customer_token = NULL;
	claim_build(rec, cfg, &ok);
	ip = rec->source_ip != NULL ?
	    classify_source_ip(cfg, rec->source_ip) : -1;
	rec->source_ip_in_esp = ip < 0 ? -1 : ip;
	return ok;
}

bool
record_build(struct record *rec, const struct record_input *in)
{
	const char	*from;
	int64_t		 t;
	bool		 ok = true;

	memset(rec, 0, sizeof(*rec));
	if (in->fingerprint != NULL)
		memcpy(rec->fingerprint, in->fingerprint, RECORD_FP_LEN);
	else
		(void)digest_sha256(in->raw, in->len, rec->fingerprint);
	if (complaint_clock(in->report, in->original, &t, &from))
		date_day_of(t, rec->msg_day);
	else
		memcpy(rec->msg_day, "1970-01-01", 11);
	rec->kind = in->report->kind;
	rec->complaint = in->report->complaint;
	rec->source = opt_text(in->source != NULL ? in->source : "?", &ok);
	rec->decided = opt_text(in->decided != NULL ? in->decided :
	    in->report->decided, &ok);
	rec->source_ip_in_esp = -1;
	rec->cfbl_signed = -1;
	rec->reporter_verified_dkim = -1;
	if (in->report->kind != ARF_KIND_UNPARSEABLE) {
		fields_build(rec, in, &ok);
		if (!sigs_build(rec, in) || !record_attribute(rec, in->config))
			ok = false;
	}
	if (!ok)
		record_free(rec);
	return ok;
}

void
record_free(struct record *rec)
{
	size_t	 i;

	for (i = 0; i < rec->nsigs; i++) {
		free(rec->sigs[i].d);
		free(rec->sigs[i].s);
		free(rec->sigs[i].a);
		free(rec->sigs[i].c);
		free(rec->sigs[i].customer_id);
		free(rec->sigs[i].facts.field);
		free(rec->sigs[i].key_name);
		free(rec->sigs[i].key_record);
	}
	free(rec->sigs);
	free(rec->source);
	free(rec->decided);
	free(rec->customer_id);
	free(rec->customer_token);
	free(rec->feedback_type);
	free(rec->reporter);
	free(rec->user_agent);
	free(rec->arf_version);
	free(rec->source_ip);
	free(rec->source_ip_derived);
	free(rec->original_mail_from);
	free(rec->reported_domain);
	free(rec->recipient_hmac);
	free(rec->deviations);
	free(rec->original_message_id);
	free(rec->original_from_domain);
	free(rec->cfbl_feedback_id);
	free(rec->feedback_id);
	free(rec->source_prefix);
	memset(rec, 0, sizeof(*rec));
}
