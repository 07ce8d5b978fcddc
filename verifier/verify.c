/* SPDX-License-Identifier: ISC */
/* verify: facts, then verdicts, for every signature; see verify.h. */
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "verifier/crypto.h"
#include "verifier/dnsquery.h"
#include "verifier/verify.h"

static void
set_verdict(struct sig_result *sr, enum dkim_result res, enum dkim_reason why,
    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

static void
set_verdict(struct sig_result *sr, enum dkim_result res, enum dkim_reason why,
    const char *fmt, ...)
{
	va_list	 ap;

	sr->result = res;
	sr->reason = why;
	buf_reset(&sr->detail);
	va_start(ap, fmt);
	buf_vprintf(&sr->detail, fmt, ap);
	va_end(ap);
}

/* --- keys --- */

/* One message's DNS: its deadline and the key names it asked for. */
struct key_plan {
	int64_t			 deadline;	/* monotonic ms */
	unsigned		 budget_ms;
	char			*names[VERIFY_MAX_KEY_NAMES];
	size_t			 nnames;
};

static void
key_plan_init(struct key_plan *kp, const struct verify_opts *o)
{
	unsigned	 ms = o->dns_budget_ms != 0 ? o->dns_budget_ms :
			    VERIFY_DNS_BUDGET_MS;

	memset(kp, 0, sizeof(*kp));
	kp->deadline = dns_now_ms() + ms;
	kp->budget_ms = ms;
}

static void
key_plan_free(struct key_plan *kp)
{
	size_t	 i;

	for (i = 0; i < kp->nnames; i++)
		free(kp->names[i]);
	kp->nnames = 0;
}

/*
 * May the message ask for name?  Its names are counted: at most
 * VERIFY_MAX_KEY_NAMES distinct ones (a name asked again is free).
 */
static bool
plan_name(struct key_plan *kp, const char *name)
{
	size_t	 i;

	for (i = 0; i < kp->nnames; i++)
		if (strcasecmp(kp->names[i], name) == 0)
			return true;
	if (kp->nnames == VERIFY_MAX_KEY_NAMES ||
	    (kp->names[kp->nnames] = strdup(name)) == NULL)
		return false;
	kp->nnames++;
	return true;
}

static void
fetch_key(const struct verify_opts *o, struct key_plan *kp,
    struct sig_result *sr)
{
	struct buf	 name = BUF_INIT, why = BUF_INIT;
	bool		 cached;

	if (o->keys == NULL || sr->sig.d == NULL || sr->sig.s == NULL)
		return;
	buf_printf(&name, "%s._domainkey.%s", sr->sig.s, sr->sig.d);
	if (!buf_ok(&name))
		goto out;
	if (!plan_name(kp, name.data)) {
		buf_printf(&why, "not asked: the message names more than %d "
		    "distinct key records", VERIFY_MAX_KEY_NAMES);
		sr->answer = key_answer_refused(name.data, buf_cstr(&why));
	} else
		sr->answer = key_source_lookup_by(o->keys, name.data,
		    kp->deadline, &cached);
out:
	buf_free(&name);
	buf_free(&why);
}

/* The first record that parses as a key (records are sorted by bytes). */
static void
choose_key(struct sig_result *sr)
{
	size_t	 i;

	if (sr->answer == NULL || sr->answer->status != KEYFETCH_OK)
		return;
	for (i = 0; i < sr->answer->ntxt; i++) {
		if (sr->answer->txt[i].parse == REASON_OK) {
			sr->key = &sr->answer->txt[i];
			sr->key_index = i;
			return;
		}
	}
}

/* i= domain equal to d= (for t=s keys) */
static bool
identity_exact(const struct dkim_sig *sig)
{
	const char *at;

	if (sig->i == NULL)
		return true;
	at = strrchr(sig->i, '@');
	return at != NULL && strcasecmp(at + 1, sig->d) == 0;
}

/* Why key k may not be used for this signature (section 6.1.2). */
static enum dkim_reason
key_refusal(const struct dkim_sig *sig, const struct key_record *k,
    struct buf *why)
{
	unsigned	 need;

	if (k->revoked) {
		buf_puts(why, "the key record has an empty p=: key revoked");
		return REASON_KEY_REVOKED;
	}
	if ((sig->alg == DKIM_ALG_ED25519_SHA256) !=
	    (k->type == KEY_TYPE_ED25519)) {
		buf_printf(why, "a=%s but the key is k=%s", sig->a,
		    key_type_name(k->type));
		return REASON_KEY_TYPE_MISMATCH;
	}
	need = sig->hash == DKIM_HASH_SHA1 ? KEY_HASH_SHA1 : KEY_HASH_SHA256;
	if ((k->hash_mask & need) == 0) {
		buf_printf(why, "the key's h= does not allow %s",
		    sig->hash == DKIM_HASH_SHA1 ? "sha1" : "sha256");
		return REASON_KEY_HASH_NOT_ALLOWED;
	}
	if (!k->service_ok) {
		buf_puts(why, "the key's s= does not include email");
		return REASON_KEY_SERVICE;
	}
	if (k->strict && !identity_exact(sig)) {
		buf_printf(why, "the key has t=s but i=%s is in a subdomain of "
		    "d=%s", sig->i, sig->d);
		return REASON_KEY_STRICT_IDENTITY;
	}
	if (k->type == KEY_TYPE_RSA && k->bits < KEY_RSA_MIN_BITS) {
		buf_printf(why, "RSA key of %u bits; RFC 8301 requires at "
		    "least %d", k->bits, KEY_RSA_MIN_BITS);
		return REASON_KEY_TOO_SMALL;
	}
	return REASON_OK;
}

/* --- headers --- */

/*
 * The digest of the signed header block: needs the message, not the key,
 * so it is kept for a later verification (sig_facts).
 */
static void
hash_header(const struct message *m, struct sig_result *sr)
{
	struct dkim_sig	*sig = &sr->sig;

	buf_reset(&sr->canon_headers);
	/* section 3.7: the signed fields, then this field with b= empty */
	if (!canon_signed_fields(&sr->canon_headers, m, sig->h, sig->nh,
	    sig->hcanon, (long)sig->field_index))
		return;
	canon_sig_header(&sr->canon_headers, sig->hcanon, sig->field->raw,
	    sig->field->raw_len, sig->b_value_off, sig->b_value_end);
	if (!buf_ok(&sr->canon_headers))
		return;
	sr->canon_headers_len = sr->canon_headers.len;
	if (!crypto_digest(sig->hash, sr->canon_headers.data,
	    sr->canon_headers.len, sr->hdigest, &sr->hdigest_len))
		sr->hdigest_len = 0;
}

/* Does b= verify over the header digest with key k? */
static bool
header_verifies(const struct dkim_sig *sig, const unsigned char *hdigest,
    size_t hdigest_len, const struct key_record *k)
{
	return crypto_verify(k->pkey, sig->alg, hdigest, hdigest_len,
	    (const unsigned char *)sig->b.data, sig->b.len) == CRYPTO_GOOD;
}

/* --- bodies --- */

static bool
same_body_hash(const struct body_hash *h, const struct dkim_sig *sig)
{
	return h->canon == sig->bcanon && h->hash == sig->hash &&
	    h->has_l == sig->has_l && (!h->has_l || h->l == sig->l);
}

/* One body_hash per distinct (canon, hash, l=) among usable signatures. */
static bool
plan_bodies(struct verify_result *vr)
{
	size_t	 i, j;

	if ((vr->bodies = calloc(vr->nsigs ? vr->nsigs : 1,
	    sizeof(*vr->bodies))) == NULL)
		return false;
	for (i = 0; i < vr->nsigs; i++) {
		struct dkim_sig *sig = &vr->sigs[i].sig;

		if (!sig->tags_ok || sig->alg == DKIM_ALG_UNKNOWN ||
		    sig->bh.len == 0)
			continue;
		for (j = 0; j < vr->nbodies; j++)
			if (same_body_hash(&vr->bodies[j], sig))
				break;
		if (j == vr->nbodies) {
			vr->bodies[j].canon = sig->bcanon;
			vr->bodies[j].hash = sig->hash;
			vr->bodies[j].has_l = sig->has_l;
			vr->bodies[j].l = sig->l;
			vr->nbodies++;
		}
		vr->sigs[i].body = &vr->bodies[j];
	}
	return true;
}

/* --- verdicts --- */

static bool
is_redaction_mark(const char *p, size_t len)
{
	size_t	 i, run = 0;

	for (i = 0; i + 8 <= len; i++)
		if (strncasecmp(p + i, "redacted", 8) == 0)
			return true;
	for (i = 0; i < len; i++) {
		run = (p[i] == 'x' || p[i] == 'X' || p[i] == '*') ? run + 1 : 0;
		if (run >= 4)
			return true;
	}
	return false;
}

/* Did the reporter redact a signed recipient header (To, Cc)? */
static bool
signed_header_redacted(const struct message *m, const struct dkim_sig *sig)
{
	static const char *const names[] = { "to", "cc" };
	size_t	 i, k;

	for (k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
		if (dkim_sig_signs(sig, names[k]) == 0)
			continue;
		for (i = 0; i < m->nfields; i++)
			if (header_name_is(&m->fields[i], names[k],
			    strlen(names[k])) &&
			    is_redaction_mark(m->fields[i].value,
			    m->fields[i].value_len))
				return true;
	}
	return false;
}

static bool
key_verdict(struct sig_result *sr)
{
	const struct key_answer *a = sr->answer;
	const char	*name = a ? a->name : "?";

	if (a == NULL) {
		set_verdict(sr, DKIM_RESULT_TEMPERROR, REASON_INTERNAL,
		    "no key source");
		return true;
	}
	switch (a->status) {
	case KEYFETCH_OK:
		break;
	case KEYFETCH_NXDOMAIN:
		set_verdict(sr, DKIM_RESULT_PERMERROR, REASON_KEY_NOT_FOUND,
		    "no key record: %s does not exist (NXDOMAIN)", name);
		return true;
	case KEYFETCH_NODATA:
		set_verdict(sr, DKIM_RESULT_PERMERROR, REASON_KEY_NOT_FOUND,
		    "no key record: %s has no TXT record", name);
		return true;
	case KEYFETCH_TIMEOUT:
		set_verdict(sr, DKIM_RESULT_TEMPERROR, REASON_DNS_TIMEOUT,
		    "no DNS answer for %s (%s)", name,
		    a->detail ? a->detail : "timeout");
		return true;
	case KEYFETCH_SERVFAIL:
		set_verdict(sr, DKIM_RESULT_TEMPERROR, REASON_DNS_SERVFAIL,
		    "DNS error for %s: %s", name,
		    a->detail ? a->detail : "SERVFAIL");
		return true;
	case KEYFETCH_CHAIN:
		/* the domain's own data: no key can ever be found there */
		set_verdict(sr, DKIM_RESULT_PERMERROR, REASON_KEY_NOT_FOUND,
		    "no key record: %s: %s", name,
		    a->detail ? a->detail : "bad CNAME chain");
		return true;
	case KEYFETCH_BUDGET:
		set_verdict(sr, DKIM_RESULT_TEMPERROR, REASON_DNS_TIMEOUT,
		    "%s: %s", name, a->detail ? a->detail : "not asked");
		return true;
	case KEYFETCH_MALFORMED:
	case KEYFETCH_NOMEM:
		set_verdict(sr, DKIM_RESULT_TEMPERROR, REASON_DNS_MALFORMED,
		    "unusable DNS answer for %s: %s", name,
		    a->detail ? a->detail : "malformed");
		return true;
	}
	if (sr->key == NULL) {
		set_verdict(sr, DKIM_RESULT_PERMERROR, a->ntxt ?
		    a->txt[0].parse : REASON_KEY_NOT_FOUND,
		    "%s: no TXT record there is a valid DKIM key (%s)", name,
		    a->ntxt && a->txt[0].parse_detail ?
		    a->txt[0].parse_detail : "no record");
		return true;
	}
	return false;
}

/*
 * The one verdict function, of dkim_verify() and verify_replay() alike: the
 * facts of the message (f) and of the key (sr), in RFC 6376 section 6.1
 * order.
 */
static void
decide(const struct sig_facts *f, struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	struct buf	 why = BUF_INIT;

	if (sig->err != REASON_OK && sig->err != REASON_ALGORITHM_FORBIDDEN) {
		set_verdict(sr, DKIM_RESULT_PERMERROR, sig->err, "%s",
		    buf_cstr(&sig->err_detail));
		return;
	}
	if (sr->time_problem != REASON_OK && sig->err == REASON_OK) {
		dkim_sig_check_time(sig, f->now, f->skew, &why);
		set_verdict(sr, DKIM_RESULT_PERMERROR, sr->time_problem, "%s",
		    buf_cstr(&why));
		buf_free(&why);
		return;
	}
	if (key_verdict(sr))
		return;
	if (sr->key_problem != REASON_OK) {
		key_refusal(sig, &sr->key->key, &why);
		set_verdict(sr, DKIM_RESULT_PERMERROR, sr->key_problem, "%s",
		    buf_cstr(&why));
		buf_free(&why);
		return;
	}
	if (sig->err == REASON_ALGORITHM_FORBIDDEN) {
		set_verdict(sr, DKIM_RESULT_PERMERROR, sig->err,
		    "rsa-sha1 is refused (RFC 8301); otherwise the signature "
		    "would %s", sr->would_pass ? "verify" : "NOT verify either");
		return;
	}
	if (f->l_exceeds) {
		set_verdict(sr, DKIM_RESULT_PERMERROR, REASON_L_EXCEEDS_BODY,
		    "l=%llu but the canonical body has only %llu bytes: the "
		    "body was truncated", (unsigned long long)f->l,
		    (unsigned long long)f->canon_len);
		return;
	}
	if (!f->has_body) {
		set_verdict(sr, DKIM_RESULT_NEUTRAL, REASON_HEADERS_ONLY,
		    "no body in this copy; the header signature %s",
		    sr->header_verified ? "verifies (bh= is signed)" :
		    "does NOT verify");
		return;
	}
	if (!sr->body_verified) {
		set_verdict(sr, DKIM_RESULT_FAIL, REASON_BODY_HASH_MISMATCH,
		    "body hash mismatch; the header signature %s",
		    sr->header_verified ? "verifies: the body changed after "
		    "signing" : "does not verify either");
		return;
	}
	if (!sr->header_verified) {
		if (f->redacted)
			set_verdict(sr, DKIM_RESULT_FAIL, REASON_REDACTED,
			    "signature mismatch; a signed recipient header "
			    "carries redaction marks");
		else
			set_verdict(sr, DKIM_RESULT_FAIL,
			    REASON_SIGNATURE_MISMATCH, "body hash matches but "
			    "the signature does not verify over the signed "
			    "headers");
		return;
	}
	if (f->n_from > dkim_sig_signs(sig, "from")) {
		set_verdict(sr, DKIM_RESULT_POLICY, REASON_FROM_DUPLICATED,
		    "the message has %zu From fields but h= signs %zu: an "
		    "unsigned From was added (RFC 6376 section 8.15)",
		    f->n_from, dkim_sig_signs(sig, "from"));
		return;
	}
	set_verdict(sr, DKIM_RESULT_PASS, REASON_OK, "signature verified");
}

/* --- driver --- */

/* Tags parsed well enough for the key to be asked (section 6.1.1). */
static bool
sig_usable(const struct dkim_sig *sig)
{
	return sig->err == REASON_OK || sig->err == REASON_ALGORITHM_FORBIDDEN;
}

/* The facts that need the message but not the key. */
static void
message_side(const struct verify_result *vr, struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;

	hash_header(&vr->msg, sr);
	if (sr->body != NULL && sr->body->ok)
		sr->body_verified = sr->body->digest_len == sig->bh.len &&
		    memcmp(sr->body->digest, sig->bh.data, sig->bh.len) == 0;
}

/* The message facts of sr, as kept by verify_facts(). */
static void
message_facts(const struct verify_result *vr, const struct sig_result *sr,
    struct sig_facts *f)
{
	const struct body_hash *h = sr->body;

	memset(f, 0, sizeof(*f));
	f->field = sr->sig.field->raw;
	f->field_len = sr->sig.field->raw_len;
	memcpy(f->hdigest, sr->hdigest, sr->hdigest_len);
	f->hdigest_len = sr->hdigest_len;
	f->has_body = vr->msg.has_body;
	f->body_verified = sr->body_verified;
	if (h != NULL) {
		f->l = h->l;
		f->canon_len = h->canon_len;
		f->l_exceeds = h->has_l && h->l > h->canon_len;
	}
	f->n_from = vr->n_from;
	f->redacted = signed_header_redacted(&vr->msg, &sr->sig);
	f->now = vr->now;
	f->skew = vr->skew;
}

/*
 * The facts that need the key: the clock, the key and whether it may be
 * used, and the signature over the header digest (sr->hdigest).  Shared by
 * dkim_verify() and verify_replay().
 */
static void
key_side(const struct verify_opts *o, struct key_plan *kp,
    const struct sig_facts *f, struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	struct buf	 why = BUF_INIT;

	sr->time_problem = dkim_sig_check_time(sig, f->now, f->skew, &why);
	buf_free(&why);
	fetch_key(o, kp, sr);
	choose_key(sr);
	if (sr->key == NULL)
		return;
	sr->key_problem = key_refusal(sig, &sr->key->key, &why);
	buf_free(&why);
	if (sr->key->key.pkey == NULL || sr->hdigest_len == 0)
		return;
	sr->header_checked = true;
	sr->header_verified = header_verifies(sig, sr->hdigest,
	    sr->hdigest_len, &sr->key->key);
	sr->would_pass = sr->header_verified &&
	    (sr->body_verified || !f->has_body);
}

/* Keep the first VERIFY_TRACE_MAX bytes, in memory of that size. */
static void
trace_trim(struct buf *b)
{
	struct buf	 keep = BUF_INIT;

	if (b->len <= VERIFY_TRACE_MAX)
		return;
	buf_append(&keep, b->data, VERIFY_TRACE_MAX);
	buf_free(b);
	*b = keep;
}

/* Facts (message side, then key side), then the verdict. */
static void
judge(const struct verify_opts *o, struct key_plan *kp,
    const struct verify_result *vr, struct sig_result *sr)
{
	struct sig_facts f;

	if (sig_usable(&sr->sig))
		message_side(vr, sr);
	message_facts(vr, sr, &f);
	if (sig_usable(&sr->sig))
		key_side(o, kp, &f, sr);
	/* the trace shows the block only where a key was tried over it */
	if (!o->keep_trace || !sr->header_checked)
		buf_free(&sr->canon_headers);
	else
		trace_trim(&sr->canon_headers);
	decide(&f, sr);
}

static bool
collect_sigs(struct verify_result *vr)
{
	size_t	 i, n = 0;

	for (i = 0; i < vr->msg.nfields; i++)
		if (header_name_is(&vr->msg.fields[i], "dkim-signature", 14))
			n++;
	vr->nsigs_total = n;
	if (n > VERIFY_MAX_SIGS)
		n = VERIFY_MAX_SIGS;
	if ((vr->sigs = calloc(n ? n : 1, sizeof(*vr->sigs))) == NULL)
		return false;
	for (i = 0; i < vr->msg.nfields && vr->nsigs < n; i++)
		if (header_name_is(&vr->msg.fields[i], "dkim-signature", 14))
			dkim_sig_parse(&vr->sigs[vr->nsigs++].sig, &vr->msg, i);
	return true;
}

bool
dkim_verify(const struct verify_opts *o, const char *raw, size_t len,
    struct verify_result *vr)
{
	struct key_plan	 kp;
	size_t		 i;

	memset(vr, 0, sizeof(*vr));
	vr->now = o->now;
	vr->skew = o->skew;
	vr->msg_status = message_parse(&vr->msg, raw, len);
	if (vr->msg_status != MESSAGE_OK && vr->msg_status != MESSAGE_EMPTY)
		return false;
	vr->n_from = message_count_fields(&vr->msg, "from", 4);
	if (!collect_sigs(vr) || !plan_bodies(vr))
		return false;
	if (vr->msg.has_body && vr->nbodies > 0 &&
	    !body_hash_compute(vr->bodies, vr->nbodies, vr->msg.body,
	    vr->msg.body_len, NULL))
		return false;
	key_plan_init(&kp, o);
	for (i = 0; i < vr->nsigs; i++) {
		if (!vr->msg.has_body)
			vr->sigs[i].body = NULL;
		judge(o, &kp, vr, &vr->sigs[i]);
	}
	key_plan_free(&kp);
	return true;
}

void
verify_result_free(struct verify_result *vr)
{
	size_t	 i;

	for (i = 0; i < vr->nsigs; i++)
		sig_result_free(&vr->sigs[i]);
	free(vr->sigs);
	free(vr->bodies);
	message_free(&vr->msg);
	memset(vr, 0, sizeof(*vr));
}

bool
verify_all_pass(const struct verify_result *vr)
{
	size_t	 i;

	if (vr->nsigs == 0 || vr->nsigs_total > vr->nsigs)
		return false;
	for (i = 0; i < vr->nsigs; i++)
		if (vr->sigs[i].result != DKIM_RESULT_PASS)
			return false;
	return true;
}

bool
sig_l_unsigned(const struct sig_result *sr, uint64_t *n)
{
	const struct body_hash *h = sr->body;

	*n = 0;
	if (!sr->sig.has_l || h == NULL || !h->ok)
		return false;
	if (h->canon_len > sr->sig.l)
		*n = h->canon_len - sr->sig.l;
	return true;
}

bool
sig_l_warns(const struct sig_result *sr, uint64_t *n)
{
	return sig_l_unsigned(sr, n) && *n > 0 &&
	    (sr->result == DKIM_RESULT_PASS || sr->would_pass);
}

/* --- replay: the verdict again, from the facts --- */

/* A private copy of a DKIM-Signature field, parsed as a message of one. */
struct replay_copy {
	struct message	 msg;
	char		 raw[];		/* the field, then CRLF CRLF */
};

/*
 * Parse sr->sig from a copy of field, owned by sr->replay.  The copy is a
 * message of that one field, so the tag offsets and errors are those the
 * signature had in the original message.
 */
static bool
parse_field(const char *field, size_t len, struct sig_result *sr)
{
	struct replay_copy *rc;

	if (field == NULL || len == 0 || len > SIZE_MAX - sizeof(*rc) - 4)
		return false;
	if ((rc = malloc(sizeof(*rc) + len + 4)) == NULL)
		return false;
	memcpy(rc->raw, field, len);
	memcpy(rc->raw + len, "\r\n\r\n", 4);
	sr->replay = rc;
	if (message_parse(&rc->msg, rc->raw, len + 4) != MESSAGE_OK ||
	    rc->msg.nfields != 1 ||
	    !header_name_is(&rc->msg.fields[0], "dkim-signature", 14))
		return false;
	dkim_sig_parse(&sr->sig, &rc->msg, 0);
	return true;
}

bool
verify_facts(const struct verify_result *vr, size_t i, struct sig_facts *f)
{
	const struct sig_result *sr;

	if (i >= vr->nsigs)
		return false;
	sr = &vr->sigs[i];
	if (!sig_usable(&sr->sig) || sr->hdigest_len == 0)
		return false;
	message_facts(vr, sr, f);
	return true;
}

bool
verify_replay(const struct verify_opts *o, const struct sig_facts *facts,
    struct sig_result *sr)
{
	struct sig_facts f = *facts;
	struct key_plan	 kp;

	memset(sr, 0, sizeof(*sr));
	if (f.hdigest_len > sizeof(sr->hdigest) ||
	    !parse_field(f.field, f.field_len, sr))
		return false;
	f.now = o->now;
	f.skew = o->skew;
	memcpy(sr->hdigest, f.hdigest, f.hdigest_len);
	sr->hdigest_len = f.hdigest_len;
	sr->body_verified = f.body_verified;
	if (sig_usable(&sr->sig)) {
		key_plan_init(&kp, o);
		key_side(o, &kp, &f, sr);
		key_plan_free(&kp);
	}
	decide(&f, sr);
	return buf_ok(&sr->detail);
}

void
sig_result_free(struct sig_result *sr)
{
	dkim_sig_free(&sr->sig);
	buf_free(&sr->detail);
	buf_free(&sr->canon_headers);
	if (sr->answer != NULL)
		key_answer_release(sr->answer);
	if (sr->replay != NULL) {
		message_free(&sr->replay->msg);
		free(sr->replay);
	}
	memset(sr, 0, sizeof(*sr));
}

static bool
authentic(const struct sig_facts *f, const struct dkim_sig *sig,
    const struct key_record *k, struct buf *why)
{
	if (!sig_usable(sig)) {
		buf_printf(why, "the signature is malformed: %s",
		    buf_cstr(&sig->err_detail));
		return false;
	}
	if (key_refusal(sig, k, why) != REASON_OK)
		return false;
	if (k->pkey == NULL) {
		buf_puts(why, "the key record holds no usable public key");
		return false;
	}
	if (f->hdigest_len == 0) {
		buf_puts(why, "no header digest was computed for this copy");
		return false;
	}
	if (!header_verifies(sig, f->hdigest, f->hdigest_len, k)) {
		buf_puts(why, "the signature does not verify over the signed "
		    "headers with this key");
		return false;
	}
	if (f->has_body && !f->body_verified) {
		buf_puts(why, "the body hash did not match: the body changed "
		    "after signing");
		return false;
	}
	return true;
}

bool
verify_facts_under_key(const struct sig_facts *f, const struct key_record *k,
    struct buf *why)
{
	struct sig_result sr;
	struct buf	 scratch = BUF_INIT;
	bool		 ok;

	if (why == NULL)
		why = &scratch;
	memset(&sr, 0, sizeof(sr));
	if (!parse_field(f->field, f->field_len, &sr)) {
		buf_puts(why, "the facts do not hold one DKIM-Signature field");
		ok = false;
	} else
		ok = authentic(f, &sr.sig, k, why);
	sig_result_free(&sr);
	buf_free(&scratch);
	return ok;
}
