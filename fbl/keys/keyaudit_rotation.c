/* SPDX-License-Identifier: ISC */
/*
 * keyaudit_rotation: the rotation of the <mon><yyyy>.<esp-id> convention:
 * the current selector ("current"), older ones past their grace period
 * ("grace"), and superseded selectors mail is still signed with
 * ("signing").
 */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "fbl/keys/keyaudit_local.h"
#include "verifier/key_record.h"

/* The newest published selector of the convention, not after the date. */
const struct probe *
current_probe(const struct audit *a)
{
	const struct probe	*best = NULL;
	size_t			 i;

	for (i = 0; i < a->np; i++)
		if (a->p[i].published && a->p[i].mindex >= 0 &&
		    a->p[i].mindex <= a->today &&
		    (best == NULL || a->p[i].mindex > best->mindex))
			best = &a->p[i];
	return best;
}

/*
 * The published selector of the convention that took over from p: the
 * oldest one newer than p, not after the date.  A key is superseded on the
 * first day of its successor's month.
 */
static const struct probe *
successor(const struct audit *a, const struct probe *p)
{
	const struct probe	*best = NULL;
	size_t			 i;

	for (i = 0; i < a->np; i++)
		if (a->p[i].published && a->p[i].mindex > p->mindex &&
		    a->p[i].mindex <= a->today &&
		    (best == NULL || a->p[i].mindex < best->mindex))
			best = &a->p[i];
	return best;
}

/* Days from the first day of next's month to the date. */
static int64_t
superseded_days(const struct audit *a, const struct probe *next)
{
	return a->day - date_days_from_civil(next->mindex / 12,
	    next->mindex % 12 + 1, 1);
}

/* Is the record a selector serves a revoked key (empty p=)? */
static bool
probe_revoked(const struct probe *p)
{
	struct key_record	 k;
	struct buf		 why = BUF_INIT;
	bool			 revoked = false;

	if (p->record != NULL) {
		if (key_record_parse(&k, p->record, strlen(p->record), &why) ==
		    REASON_OK)
			revoked = k.revoked;
		key_record_free(&k);
	}
	buf_free(&why);
	return revoked;
}

/*
 * No selector of the convention is published on the servers that
 * answered: is some server of which that could not be asked?  Then the
 * current selector is unknown (a TEMP row, true), not missing.
 */
static bool
current_unknown(struct audit *a, struct buf *b)
{
	const struct probe	*p;
	size_t			 i;
	int			 k;

	for (i = 0; i < a->np; i++) {
		p = &a->p[i];
		if (p->mindex < 0 || p->mindex > a->today ||
		    (k = probe_unknown(a, p)) < 0)
			continue;
		keyaudit_selector(b, a->espid, a->today / 12,
		    a->today % 12 + 1);
		row_add(a, CHK_CURRENT, buf_cstr(b), NULL, AUDIT_TEMP,
		    dv_status_str(p->srv[k].why), "%s: the selectors could "
		    "not be looked up on %s: %s", a->heard ? "none of the "
		    "convention is published on the servers that answered" :
		    "no configured nameserver answered", a->ns[k],
		    p->srv[k].detail != NULL ? p->srv[k].detail : "");
		buf_free(b);
		return true;
	}
	return false;
}

void
audit_rotation(struct audit *a)
{
	const struct probe	*cur = current_probe(a), *p, *next;
	struct buf		 b = BUF_INIT;
	int64_t			 since, grace;
	size_t			 i;
	int			 age;

	grace = a->o->cfg->rotation_grace_days;
	if (cur == NULL && current_unknown(a, &b))
		return;
	if (cur == NULL) {
		keyaudit_selector(&b, a->espid, a->today / 12,
		    a->today % 12 + 1);
		row_add(a, CHK_CURRENT, buf_cstr(&b), NULL, AUDIT_FAIL,
		    "missing", "no selector of the <mon><yyyy>.%s convention "
		    "is published", a->espid);
		buf_free(&b);
		return;
	}
	age = a->today - cur->mindex;
	if (age < (int)a->o->cfg->rotation_months)
		row_add(a, CHK_CURRENT, cur->selector, NULL, AUDIT_OK,
		    "published", "%d month%s old (rotation every %u)", age,
		    age == 1 ? "" : "s", a->o->cfg->rotation_months);
	else
		row_add(a, CHK_CURRENT, cur->selector, NULL, AUDIT_WARN,
		    "overdue", "%d months old: rotation is due every %u",
		    age, a->o->cfg->rotation_months);
	for (i = 0; i < a->np; i++) {
		p = &a->p[i];
		if (!p->published || p->mindex < 0 || p->mindex >= cur->mindex)
			continue;
		next = successor(a, p);
		since = superseded_days(a, next);
		if (since <= grace)
			row_add(a, CHK_GRACE, p->selector, NULL, AUDIT_OK,
			    "in-grace", "superseded by %s %lld days ago, grace "
			    "%lld days", next->selector, (long long)since,
			    (long long)grace);
		else if (probe_revoked(p))
			row_add(a, CHK_GRACE, p->selector, NULL, AUDIT_OK,
			    "revoked", "superseded by %s %lld days ago, key "
			    "revoked", next->selector, (long long)since);
		else
			row_add(a, CHK_GRACE, p->selector, NULL, AUDIT_WARN,
			    "past-grace", "superseded by %s %lld days ago, "
			    "still published %lld days after the grace of "
			    "%lld", next->selector, (long long)since,
			    (long long)(since - grace), (long long)grace);
	}
	buf_free(&b);
}

/* Selectors past their grace that mail is still signed with (the store). */
void
audit_signing(struct audit *a)
{
	const struct audit_signing	*s;
	const struct probe		*cur = current_probe(a), *p, *next;
	int64_t				 since;
	size_t				 i, j;
	int				 y, m, dd;

	if (cur == NULL)
		return;
	for (i = 0; i < a->o->nsigning; i++) {
		s = &a->o->signing[i];
		if (strcmp(s->domain, a->d->domain) != 0)
			continue;
		for (p = NULL, j = 0; j < a->np; j++)
			if (strcmp(a->p[j].selector, s->selector) == 0)
				p = &a->p[j];
		if (p == NULL || p->mindex < 0 || p->mindex >= cur->mindex ||
		    (next = successor(a, p)) == NULL)
			continue;
		since = superseded_days(a, next);
		/* mail that arrived after the grace was signed after it too */
		if (sscanf(s->last, "%4d-%2d-%2d", &y, &m, &dd) != 3 ||
		    date_days_from_civil(y, m, dd) - (a->day - since) <=
		    (int64_t)a->o->cfg->rotation_grace_days)
			continue;
		row_add(a, CHK_SIGNING, s->selector, NULL, AUDIT_WARN,
		    "still-signing", "%lld signatures in complaints of the last "
		    "%u days, the last arrived %s; superseded by %s %lld days "
		    "ago", (long long)s->count,
		    a->o->cfg->rotation_grace_days, s->last, next->selector,
		    (long long)since);
	}
}
