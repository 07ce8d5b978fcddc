/* verify: facts, then verdicts, for every signature; see verify.h. */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "verifier/crypto.h"
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

static void
fetch_key(const struct verify_opts *o, struct sig_result *sr)
{
	struct buf	 name = BUF_INIT;
	bool		 cached;

	if (o->keys == NULL || sr->sig.d == NULL || sr->sig.s == NULL)
		return;
	buf_printf(&name, "%s._domainkey.%s", sr->sig.s, sr->sig.d);
	if (buf_ok(&name))
		sr->answer = key_source_lookup(o->keys, name.data, &cached);
	buf_free(&name);
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

/* Why the chosen key may not be used for this signature (section 6.1.2). */
static enum dkim_reason
key_refusal(const struct sig_result *sr, struct buf *why)
{
	const struct key_record *k = &sr->key->key;
	const struct dkim_sig *sig = &sr->sig;
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

static void
check_header(const struct message *m, struct sig_result *sr)
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
	if (!crypto_digest(sig->hash, sr->canon_headers.data,
	    sr->canon_headers.len, sr->hdigest, &sr->hdigest_len))
		return;
	sr->header_checked = true;
	sr->header_verified = crypto_verify(sr->key->key.pkey, sig->alg,
	    sr->hdigest, sr->hdigest_len, (unsigned char *)sig->b.data,
	    sig->b.len) == CRYPTO_GOOD;
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

static void
decide(const struct verify_result *vr, struct sig_result *sr)
{
	const struct dkim_sig *sig = &sr->sig;
	struct buf	 why = BUF_INIT;

	if (sig->err != REASON_OK && sig->err != REASON_ALGORITHM_FORBIDDEN) {
		set_verdict(sr, DKIM_RESULT_PERMERROR, sig->err, "%s",
		    buf_cstr(&sig->err_detail));
		return;
	}
	if (sr->time_problem != REASON_OK && sig->err == REASON_OK) {
		dkim_sig_check_time(sig, vr->now, vr->skew, &why);
		set_verdict(sr, DKIM_RESULT_PERMERROR, sr->time_problem, "%s",
		    buf_cstr(&why));
		buf_free(&why);
		return;
	}
	if (key_verdict(sr))
		return;
	if (sr->key_problem != REASON_OK) {
		key_refusal(sr, &why);
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
	if (sr->body != NULL && sr->body->has_l &&
	    sr->body->l > sr->body->canon_len) {
		set_verdict(sr, DKIM_RESULT_PERMERROR, REASON_L_EXCEEDS_BODY,
		    "l=%llu but the canonical body has only %llu bytes: the "
		    "body was truncated", (unsigned long long)sr->body->l,
		    (unsigned long long)sr->body->canon_len);
		return;
	}
	if (!vr->msg.has_body) {
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
		if (signed_header_redacted(&vr->msg, sig))
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
	if (vr->n_from > dkim_sig_signs(sig, "from")) {
		set_verdict(sr, DKIM_RESULT_POLICY, REASON_FROM_DUPLICATED,
		    "the message has %zu From fields but h= signs %zu: an "
		    "unsigned From was added (RFC 6376 section 8.15)",
		    vr->n_from, dkim_sig_signs(sig, "from"));
		return;
	}
	set_verdict(sr, DKIM_RESULT_PASS, REASON_OK, "signature verified");
}

/* --- driver --- */

static void
gather_facts(const struct verify_opts *o, struct verify_result *vr,
    struct sig_result *sr)
{
	struct dkim_sig	*sig = &sr->sig;
	struct buf	 why = BUF_INIT;

	if (sig->err != REASON_OK && sig->err != REASON_ALGORITHM_FORBIDDEN)
		return;
	sr->time_problem = dkim_sig_check_time(sig, o->now, o->skew, &why);
	buf_free(&why);
	fetch_key(o, sr);
	choose_key(sr);
	if (sr->key == NULL)
		return;
	sr->key_problem = key_refusal(sr, &why);
	buf_free(&why);
	if (sr->key->key.pkey == NULL)
		return;
	if (sr->body != NULL && sr->body->ok)
		sr->body_verified = sr->body->digest_len == sig->bh.len &&
		    memcmp(sr->body->digest, sig->bh.data, sig->bh.len) == 0;
	check_header(&vr->msg, sr);
	sr->would_pass = sr->header_verified &&
	    (sr->body_verified || !vr->msg.has_body);
	if (!o->keep_trace)
		buf_free(&sr->canon_headers);
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
	size_t	 i;

	memset(vr, 0, sizeof(*vr));
	vr->now = o->now;
	vr->skew = o->skew;
	vr->msg_status = message_parse(&vr->msg, raw, len);
	if (vr->msg_status != MESSAGE_OK && vr->msg_status != MESSAGE_EMPTY)
		return false;
	vr->n_from = message_count_fields(&vr->msg, "from");
	if (!collect_sigs(vr) || !plan_bodies(vr))
		return false;
	if (vr->msg.has_body && vr->nbodies > 0 &&
	    !body_hash_compute(vr->bodies, vr->nbodies, vr->msg.body,
	    vr->msg.body_len, NULL))
		return false;
	for (i = 0; i < vr->nsigs; i++) {
		if (!vr->msg.has_body)
			vr->sigs[i].body = NULL;
		gather_facts(o, vr, &vr->sigs[i]);
		decide(vr, &vr->sigs[i]);
	}
	return true;
}

void
verify_result_free(struct verify_result *vr)
{
	size_t	 i;

	for (i = 0; i < vr->nsigs; i++) {
		dkim_sig_free(&vr->sigs[i].sig);
		buf_free(&vr->sigs[i].detail);
		buf_free(&vr->sigs[i].canon_headers);
		if (vr->sigs[i].answer != NULL)
			key_answer_release(vr->sigs[i].answer);
	}
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
