/* SPDX-License-Identifier: ISC */
/*
 * keyaudit_records: what the configured servers serve: one SOA serial
 * ("serial"), each selector's record on each server ("record"), the same
 * on all ("consistency"), a usable key ("key"), the customer's CNAMEs
 * ("cname"), and the private keys that should match ("private").
 */
#include <stdlib.h>
#include <string.h>

#include "fbl/keys/keyaudit_local.h"
#include "fbl/keys/keyarchive.h"
#include "fbl/keys/keyimport.h"
#include "verifier/key_record.h"


/* One SOA serial per configured server; name the servers behind. */
void
audit_serial(struct audit *a)
{
	struct dv_reply	 r;
	const ldns_rr	*soa;
	uint32_t	 serial[KEYAUDIT_MAX_NS], max = 0;
	bool		 have[KEYAUDIT_MAX_NS] = { false };
	struct buf	 behind = BUF_INIT;
	const char	*name;
	char		*zone = NULL;
	size_t		 k, n = 0;

	name = a->d->mode == MODE_CNAME && a->np > 0 ? a->p[0].keyname :
	    a->zone;
	dv_reply_init(&r);
	for (k = 0; k < a->nns; k++) {
		dnsview_direct(a->o->view, a->ns[k], name, LDNS_RR_TYPE_SOA,
		    &r);
		if (!answered(&r) || !ldns_pkt_aa(r.pkt) ||
		    (soa = dv_soa(r.pkt)) == NULL)
			continue;
		if (zone == NULL)
			zone = dv_owner(soa);
		serial[k] = dv_soa_serial(soa);
		have[k] = true;
		if (n++ == 0 || serial[k] > max)
			max = serial[k];
	}
	dv_reply_free(&r);
	if (zone == NULL)	/* the SOA's owner was no name */
		zone = xstrdup(a, a->zone);
	if (n >= 2) {
		for (k = 0; k < a->nns; k++)
			if (have[k] && serial[k] != max)
				buf_printf(&behind, "%s%s has %u", behind.len >
				    0 ? ", " : "", a->ns[k], serial[k]);
		if (behind.len > 0)
			row_add(a, CHK_SERIAL, zone, NULL, AUDIT_WARN,
			    "lagging", "%s, others %u", buf_cstr(&behind),
			    max);
		else
			row_add(a, CHK_SERIAL, zone, NULL, AUDIT_OK, "same",
			    "serial %u on %zu servers", max, n);
	}
	buf_free(&behind);
	free(zone);
}

void
audit_records(struct audit *a, const struct probe *p)
{
	const struct srv_answer	*s;
	size_t			 k;

	for (k = 0; k < a->nns; k++) {
		s = &p->srv[k];
		switch (s->state) {
		case SRV_PRESENT:
			if (s->record != NULL)
				row_add(a, CHK_RECORD, p->selector, a->ns[k],
				    AUDIT_OK, "present", "%s", p->keyname);
			else
				row_add(a, CHK_RECORD, p->selector, a->ns[k],
				    AUDIT_FAIL, "unparseable", "%s: %s",
				    p->keyname, s->detail != NULL ?
				    s->detail : "");
			break;
		case SRV_NXDOMAIN:
		case SRV_NODATA:
			row_add(a, CHK_RECORD, p->selector, a->ns[k],
			    AUDIT_FAIL, "missing", "%s: %s", p->keyname,
			    s->state == SRV_NXDOMAIN ? "NXDOMAIN" :
			    "no TXT (NODATA)");
			break;
		case SRV_REFUSED:
			row_add(a, CHK_RECORD, p->selector, a->ns[k],
			    AUDIT_FAIL, "refused", "%s: %s (the server does "
			    "not serve this zone)", p->keyname, s->detail);
			break;
		case SRV_UNKNOWN:
			row_add(a, CHK_RECORD, p->selector, a->ns[k],
			    AUDIT_TEMP, dv_status_str(s->why), "%s: %s",
			    p->keyname, s->detail);
			break;
		case SRV_NOADDR:
			row_add(a, CHK_RECORD, p->selector, a->ns[k],
			    AUDIT_FAIL, "no-address", "%s", s->detail);
			break;
		}
	}
}

/* "rsa 2048 3f2a9c01" for a record, or why it has no key. */
static void
describe_key(struct buf *b, const char *record)
{
	struct key_archive_entry e;
	struct buf		 why = BUF_INIT;

	if (record == NULL) {
		buf_puts(b, "no key record");
		return;
	}
	/* the archive's fingerprint, so that keys read alike everywhere;
	   the entry's name is not used here */
	if (!keyarchive_entry_init(&e, "x._domainkey.x", record,
	    strlen(record), &why)) {
		buf_puts(b, buf_cstr(&why));
		buf_free(&why);
		return;
	}
	buf_printf(b, "%s %u ", key_type_name(e.type), e.bits);
	keyarchive_fp_put(b, e.fp, true);
	keyarchive_entry_free(&e);
	buf_free(&why);
}

void
audit_consistency(struct audit *a, const struct probe *p)
{
	const char	*first = NULL;
	struct buf	 b = BUF_INIT;
	size_t		 k, n = 0;
	bool		 same = true;

	for (k = 0; k < a->nns; k++) {
		if (p->srv[k].state != SRV_PRESENT)
			continue;
		n++;
		if (first == NULL)
			first = p->srv[k].txt;
		else if (strcmp(first, p->srv[k].txt) != 0)
			same = false;
	}
	if (n < 2)
		return;
	if (same) {
		row_add(a, CHK_CONSISTENCY, p->selector, NULL, AUDIT_OK,
		    "identical", "the same record on %zu servers", n);
		return;
	}
	for (k = 0; k < a->nns; k++) {
		if (p->srv[k].state != SRV_PRESENT)
			continue;
		buf_printf(&b, "%s%s: ", b.len > 0 ? "; " : "", a->ns[k]);
		describe_key(&b, p->srv[k].record);
	}
	row_add(a, CHK_CONSISTENCY, p->selector, NULL, AUDIT_FAIL, "differs",
	    "%s", buf_cstr(&b));
	buf_free(&b);
}

void
audit_key(struct audit *a, const struct probe *p, bool current)
{
	struct key_record	 k;
	struct buf		 why = BUF_INIT, all = BUF_INIT;
	enum audit_status	 st = AUDIT_OK;
	const char		*reason = "ok";

	if (p->record == NULL)
		return;		/* unparseable: said by the record rows */
	if (key_record_parse(&k, p->record, strlen(p->record), &why) !=
	    REASON_OK) {
		key_record_free(&k);
		buf_free(&why);
		return;
	}
#define PROBLEM(s, r, ...) do {						\
	buf_printf(&all, "%s", all.len > 0 ? ", " : "");		\
	buf_printf(&all, __VA_ARGS__);					\
	if ((s) > st) {							\
		st = (s);						\
		reason = (r);						\
	}								\
} while (0)
	if (k.revoked) {
		if (current)
			PROBLEM(AUDIT_FAIL, "revoked", "revoked (empty p=) "
			    "but the current selector");
		else
			PROBLEM(AUDIT_OK, "revoked", "revoked (empty p=)");
	} else if (k.type == KEY_TYPE_RSA && k.bits < 1024)
		PROBLEM(AUDIT_FAIL, "too-small", "rsa %u: below 1024 bits, "
		    "refused by verifiers (RFC 8301)", k.bits);
	else if (k.type == KEY_TYPE_RSA && k.bits < 2048)
		PROBLEM(AUDIT_WARN, "small", "rsa %u: below 2048 bits",
		    k.bits);
	else
		buf_printf(&all, "%s %u", key_type_name(k.type), k.bits);
	if ((k.hash_mask & KEY_HASH_SHA256) == 0)
		PROBLEM(AUDIT_FAIL, "sha1-only", "h= allows no sha256");
	if (k.testing)
		PROBLEM(AUDIT_WARN, "testing", "t=y (testing mode)");
#undef PROBLEM
	row_add(a, CHK_KEY, p->selector, NULL, st, reason, "%s",
	    buf_cstr(&all));
	key_record_free(&k);
	buf_free(&why);
	buf_free(&all);
}

void
audit_cname(struct audit *a, const struct probe *p)
{
	struct buf	 want = BUF_INIT;
	bool		 expected;

	if (p->cname == NULL) {
		if (p->published && public_unknown(p->cname_status))
			row_add(a, CHK_CNAME, p->selector, NULL, AUDIT_TEMP,
			    dv_status_str(p->cname_status), "%s is published; "
			    "whether %s._domainkey.%s is a CNAME to it could "
			    "not be looked up", p->keyname, p->selector,
			    a->d->domain);
		else if (p->published)
			row_add(a, CHK_CNAME, p->selector, NULL, AUDIT_FAIL,
			    "missing", "%s is published, but %s._domainkey.%s "
			    "is no CNAME to it", p->keyname, p->selector,
			    a->d->domain);
		return;
	}
	expected = config_cname_target(a->o->cfg, p->selector, a->d->domain,
	    &want);
	if (!p->cname_resolves)
		row_add(a, CHK_CNAME, p->selector, NULL, AUDIT_FAIL,
		    "dangling", "CNAME %s leads to no TXT record%s%s",
		    p->cname, expected && strcmp(p->cname, buf_cstr(&want)) !=
		    0 ? "; expected " : "", expected && strcmp(p->cname,
		    buf_cstr(&want)) != 0 ? buf_cstr(&want) : "");
	else if (expected && strcmp(p->cname, buf_cstr(&want)) != 0)
		row_add(a, CHK_CNAME, p->selector, NULL, AUDIT_FAIL,
		    "wrong-target", "points at %s, expected %s", p->cname,
		    buf_cstr(&want));
	else
		row_add(a, CHK_CNAME, p->selector, NULL, AUDIT_OK, "ok",
		    "CNAME %s", p->cname);
	buf_free(&want);
}

void
audit_private(struct audit *a)
{
	const struct key_import	*ki = a->o->private_keys;
	const struct probe	*p;
	struct key_archive_entry e;
	struct buf		 sel = BUF_INIT, why = BUF_INIT, d = BUF_INIT;
	const char		*dom;
	size_t			 i, j, sl;
	int			 k;

	for (i = 0; ki != NULL && i < ki->n; i++) {
		dom = keyname_domain(ki->v[i].name, &sl);
		if (dom == NULL || strcmp(dom, a->d->domain) != 0)
			continue;
		buf_reset(&sel);
		buf_append(&sel, ki->v[i].name, sl);
		for (p = NULL, j = 0; j < a->np; j++)
			if (strcmp(a->p[j].selector, buf_cstr(&sel)) == 0)
				p = &a->p[j];
		/* unpublished is a fact only when every server said so */
		if (p != NULL && !p->published &&
		    (k = probe_unknown(a, p)) >= 0) {
			row_add(a, CHK_PRIVATE, buf_cstr(&sel), NULL,
			    AUDIT_TEMP, dv_status_str(p->srv[k].why), "a "
			    "private key; whether %s is served is not known: "
			    "%s could not be asked: %s", p->keyname,
			    a->ns[k], p->srv[k].detail != NULL ?
			    p->srv[k].detail : "");
			continue;
		}
		if (p == NULL || !p->published) {
			row_add(a, CHK_PRIVATE, buf_cstr(&sel), NULL,
			    AUDIT_FAIL, "unpublished", "a private key, but no "
			    "server serves %s", p != NULL ? p->keyname :
			    ki->v[i].name);
			continue;
		}
		buf_reset(&why);
		if (p->record != NULL && keyarchive_entry_init(&e,
		    ki->v[i].name, p->record, strlen(p->record), &why)) {
			if (memcmp(e.fp, ki->v[i].fp, sizeof(e.fp)) == 0) {
				row_add(a, CHK_PRIVATE, buf_cstr(&sel), NULL,
				    AUDIT_OK, "match", "published key = "
				    "private key");
				keyarchive_entry_free(&e);
				continue;
			}
			keyarchive_entry_free(&e);
		}
		buf_reset(&d);
		buf_puts(&d, "published ");
		describe_key(&d, p->record);
		buf_puts(&d, ", private key's public half ");
		keyarchive_fp_put(&d, ki->v[i].fp, true);
		row_add(a, CHK_PRIVATE, buf_cstr(&sel), NULL, AUDIT_FAIL,
		    "mismatch", "%s", buf_cstr(&d));
	}
	buf_free(&sel);
	buf_free(&why);
	buf_free(&d);
}

