/* SPDX-License-Identifier: ISC */
/*
 * keyaudit: the checks of `fblscope keys audit`; see keyaudit.h and
 * docs/keys.md.  This file runs them for one domain (keyaudit_domain) and
 * keeps their rows; the checks themselves are in keyaudit_deleg.c,
 * keyaudit_probe.c, keyaudit_records.c and keyaudit_rotation.c
 * (keyaudit_local.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "fbl/classify.h"
#include "fbl/keys/keyaudit_local.h"

static const char *const check_names[CHK_COUNT] = {
	"delegation", "lame", "serial", "record", "consistency", "key",
	"cname", "private", "current", "grace", "signing",
};

static const char *const month_abbr[12] = {
	"jan", "feb", "mar", "apr", "may", "jun",
	"jul", "aug", "sep", "oct", "nov", "dec",
};

const char *
audit_status_name(enum audit_status s)
{
	switch (s) {
	case AUDIT_OK:
		return "OK";
	case AUDIT_WARN:
		return "WARN";
	case AUDIT_TEMP:
		return "TEMP";
	case AUDIT_FAIL:
		return "FAIL";
	}
	return "?";
}

const char *
audit_check_name(enum audit_check c)
{
	return c < CHK_COUNT ? check_names[c] : "?";
}

const char *
audit_mode_name(enum audit_mode m)
{
	switch (m) {
	case MODE_NONE:
		return "none";
	case MODE_DELEGATED:
		return "delegated";
	case MODE_CNAME:
		return "cname";
	case MODE_ESP:
		return "esp";
	case MODE_UNKNOWN:
		return "unknown";
	}
	return "?";
}

void
keyaudit_selector(struct buf *b, const char *esp_id, int year, int month)
{
	buf_reset(b);
	buf_printf(b, "%s%04d.%s", month_abbr[(month - 1) % 12], year, esp_id);
}

/* ---- rows --------------------------------------------------------------- */

char *
xstrdup(struct audit *a, const char *s)
{
	char	*c;

	if (s == NULL)
		return NULL;
	if ((c = strdup(s)) == NULL)
		a->oom = true;
	return c;
}

void
row_add(struct audit *a, enum audit_check c, const char *subject,
    const char *server, enum audit_status st, const char *reason,
    const char *fmt, ...)
{
	struct audit_domain	*d = a->d;
	struct audit_row	*r, *nv;
	struct buf		 b = BUF_INIT;
	va_list			 ap;
	size_t			 cap;

	if (d->nrows == d->caprows) {
		cap = d->caprows == 0 ? 32 : d->caprows * 2;
		if ((nv = realloc(d->rows, cap * sizeof(*nv))) == NULL) {
			a->oom = true;
			return;
		}
		d->rows = nv;
		d->caprows = cap;
	}
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	r = &d->rows[d->nrows];
	memset(r, 0, sizeof(*r));
	r->check = c;
	r->status = st;
	r->reason = reason;
	r->subject = xstrdup(a, subject);
	r->server = xstrdup(a, server);
	if (!buf_ok(&b) || (r->detail = buf_steal(&b)) == NULL) {
		r->detail = xstrdup(a, "");
		a->oom = true;
	}
	buf_free(&b);
	d->nrows++;
	if (st > d->status)
		d->status = st;
}

static int
strcmp_null(const char *x, const char *y)
{
	if (x == NULL || y == NULL)
		return (x != NULL) - (y != NULL);
	return strcmp(x, y);
}

static int
row_cmp(const void *pa, const void *pb)
{
	const struct audit_row	*x = pa, *y = pb;
	int			 c;

	if (x->check != y->check)
		return x->check < y->check ? -1 : 1;
	if ((c = strcmp_null(x->subject, y->subject)) != 0)
		return c;
	return strcmp_null(x->server, y->server);
}

void
keyaudit_domain_free(struct audit_domain *d)
{
	size_t	 i;

	for (i = 0; i < d->nrows; i++) {
		free(d->rows[i].subject);
		free(d->rows[i].server);
		free(d->rows[i].detail);
	}
	for (i = 0; i < d->nselectors; i++)
		free(d->selectors[i]);
	free(d->selectors);
	free(d->rows);
	free(d->domain);
	memset(d, 0, sizeof(*d));
}

static int
selector_cmp(const void *x, const void *y)
{
	const struct probe	*p = *(const struct probe *const *)x;
	const struct probe	*q = *(const struct probe *const *)y;

	if (p->mindex != q->mindex)
		return p->mindex > q->mindex ? -1 : 1;
	return strcmp(p->selector, q->selector);
}

/* The published selectors, newest first, for the domain's summary. */
static void
list_selectors(struct audit *a)
{
	const struct probe	**v;
	size_t			  i, n = 0;

	if (a->np == 0)
		return;
	if ((v = calloc(a->np, sizeof(*v))) == NULL ||
	    (a->d->selectors = calloc(a->np, sizeof(char *))) == NULL) {
		free(v);
		a->oom = true;
		return;
	}
	for (i = 0; i < a->np; i++)
		if (a->p[i].published)
			v[n++] = &a->p[i];
	qsort(v, n, sizeof(*v), selector_cmp);
	for (i = 0; i < n; i++)
		if ((a->d->selectors[a->d->nselectors] =
		    xstrdup(a, v[i]->selector)) != NULL)
			a->d->nselectors++;
	free(v);
}

bool
keyaudit_domain(const struct audit_opts *o, const char *domain,
    struct audit_domain *d)
{
	struct audit		 a;
	const struct probe	*cur;
	enum token_role		 role;
	enum deleg		 res;
	size_t			 i;

	memset(d, 0, sizeof(*d));
	memset(&a, 0, sizeof(a));
	a.o = o;
	a.d = d;
	a.espid = o->cfg->esp_id;
	a.ns = o->cfg->nameservers.v;
	a.nns = o->cfg->nameservers.n < KEYAUDIT_MAX_NS ?
	    o->cfg->nameservers.n : KEYAUDIT_MAX_NS;
	a.today = o->year * 12 + o->month - 1;
	a.day = date_days_from_civil(o->year, o->month, o->day);
	if ((d->domain = xstrdup(&a, domain)) == NULL)
		return false;
	role = classify_domain(o->cfg, domain, &d->customer_id);
	d->esp = role == ROLE_ESP;
	if ((a.zone = join3(&a, a.espid, "._domainkey.", domain)) == NULL)
		goto out;
	probes_collect(&a);
	res = audit_delegation(&a);
	audit_mode(&a, res);
	probes_run(&a);
	audit_serial(&a);
	cur = current_probe(&a);
	for (i = 0; i < a.np; i++) {
		if (a.p[i].published) {
			audit_records(&a, &a.p[i]);
			audit_consistency(&a, &a.p[i]);
			audit_key(&a, &a.p[i], &a.p[i] == cur);
		}
		if (d->mode == MODE_CNAME)
			audit_cname(&a, &a.p[i]);
	}
	audit_private(&a);
	audit_rotation(&a);
	audit_signing(&a);
	list_selectors(&a);
	if (d->nrows > 1)
		qsort(d->rows, d->nrows, sizeof(*d->rows), row_cmp);
out:
	for (i = 0; i < a.np; i++)
		probe_free(&a.p[i], a.nns);
	free(a.p);
	free(a.zone);
	return !a.oom;
}
