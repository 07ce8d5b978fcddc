/* SPDX-License-Identifier: ISC */
/* model: the report as data, built from the views' rows; see model.h. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/changes.h"
#include "report/model.h"
#include "report/rules.h"
#include "report/views.h"

const char *const report_class_names[FC_N] = {
	"complaint", "opt-out", "not-spam", "auth-failure", "other"
};
const char *const report_auth_names[AU_N] = {
	"authentic", "replayed", "forged", "rotated", "redacted", "damaged",
	"pending", "unknown"
};
const char *const report_unattributed_names[UR_N] = {
	"esp_verified", "esp_not_verified", "no_esp_signature"
};
const char *const report_level_names[LEVEL_N] = {
	"ok", "flagged", "alarmed"
};
const char *const report_window_names[RW_N] = { "day", "short", "long" };
const char *const report_key_source_names[KS_N] = {
	"dns", "archive", "none"
};
const char *const report_verif_class_names[VC_N] = {
	"pass", "headers-verified", "fail", "permerror", "temperror", "policy",
	"neutral", "other"
};

const char *const report_health_names[RH_N] = {
	"verified", "headers-only", "altered-by-reporter", "transport-damage",
	"key-problem", "mismatch", "suspected-forgery", "pending",
	"not-diagnosed", "other"
};

const char *const report_health_labels[RH_N] = {
	"verified", "headers only", "altered by the reporter",
	"transport damage", "key problems", "real mismatches",
	"suspected forgeries", "pending (DNS)", "not diagnosed", "other"
};

/* The class of a result that is not pass (report_verif_class). */
static enum report_verif_class
verif_class(const struct report_verif_row *r)
{
	enum report_verif_class	 k;

	if (r->headers_only)
		return VC_HEADERS;
	for (k = VC_FAIL; k < VC_OTHER; k++)
		if (strcmp(r->result, report_verif_class_names[k]) == 0)
			return k;
	return VC_OTHER;
}

void
report_only_names(unsigned only, struct buf *b)
{
	int	 l;
	bool	 first = true;

	for (l = LEVEL_N - 1; l >= 0; l--)
		if (only & (1u << l)) {
			buf_printf(b, "%s%s", first ? "" : ",",
			    report_level_names[l]);
			first = false;
		}
}

bool
report_only_parse(const char *list, unsigned *only)
{
	const char	*p = list, *e;
	size_t		 n;
	int		 l;

	*only = 0;
	while (*p != '\0') {
		e = strchr(p, ',');
		n = e != NULL ? (size_t)(e - p) : strlen(p);
		for (l = 0; l < LEVEL_N; l++)
			if (strlen(report_level_names[l]) == n &&
			    strncmp(p, report_level_names[l], n) == 0)
				break;
		if (l == LEVEL_N)
			return false;
		*only |= 1u << l;
		p += n + (e != NULL);
	}
	return *only != 0;
}

enum report_auth
report_auth_of(const char *s)
{
	int	 a;

	for (a = 0; a < AU_N; a++)
		if (strcmp(s, report_auth_names[a]) == 0)
			return a;
	return AU_UNKNOWN;
}

/*
 * Room for element n of an array of n: capacities are 16, 32, 64..., so
 * they follow from n and need no field of their own.  New room is zeroed.
 */
static bool
grow(void **p, size_t n, size_t size)
{
	void	*np;
	size_t	 cap;

	if (n != 0 && (n < 16 || (n & (n - 1)) != 0))
		return true;
	cap = n == 0 ? 16 : n * 2;
	if ((np = realloc(*p, cap * size)) == NULL)
		return false;
	memset((char *)np + n * size, 0, (cap - n) * size);
	*p = np;
	return true;
}

static char *
dup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

/*
 * The string fields of the records that hold several, listed once for
 * copying them in and for freeing them.
 */
#define MAX_STRINGS	8

static size_t
key_strings(void *p, char **f[MAX_STRINGS])
{
	struct report_key	*k = p;

	f[0] = &k->token;
	f[1] = &k->role;
	f[2] = &k->customer_id;
	f[3] = &k->selector;
	f[4] = &k->algorithm;
	return 5;
}

static size_t
unknown_strings(void *p, char **f[MAX_STRINGS])
{
	struct report_unknown	*u = p;

	f[0] = &u->token;
	f[1] = &u->role;
	return 2;
}

static size_t
dns_strings(void *p, char **f[MAX_STRINGS])
{
	struct report_dns_domain	*d = p;

	f[0] = &d->domain;
	f[1] = &d->customer_id;
	f[2] = &d->role;
	f[3] = &d->mode;
	f[4] = &d->status;
	return 5;
}

static size_t
problem_strings(void *v, char **f[MAX_STRINGS])
{
	struct report_dns_problem	*p = v;

	f[0] = &p->domain;
	f[1] = &p->customer_id;
	f[2] = &p->check;
	f[3] = &p->subject;
	f[4] = &p->server;
	f[5] = &p->status;
	f[6] = &p->reason;
	f[7] = &p->detail;
	return 8;
}

typedef size_t	(*strings_fn)(void *, char **[MAX_STRINGS]);

/*
 * Append a copy of the record in (of size bytes) to the array *v of *n,
 * its strings (listed by strings) copied too.  false: out of memory; what
 * was copied is freed with the array (records_free).
 */
static bool
record_add(void **v, size_t *n, size_t size, const void *in,
    strings_fn strings)
{
	char	**f[MAX_STRINGS];
	void	 *x;
	size_t	  i, nf;
	bool	  ok = true;

	if (!grow(v, *n, size))
		return false;
	x = (char *)*v + (*n)++ * size;
	memcpy(x, in, size);
	nf = strings(x, f);
	for (i = 0; i < nf; i++)
		if ((*f[i] = dup(*f[i])) == NULL)
			ok = false;
	return ok;
}

static void
records_free(void *v, size_t n, size_t size, strings_fn strings)
{
	char	**f[MAX_STRINGS];
	size_t	  i, k, nf;

	for (i = 0; i < n; i++) {
		nf = strings((char *)v + i * size, f);
		for (k = 0; k < nf; k++)
			free(*f[k]);
	}
	free(v);
}

bool
report_model_begin(struct report_model *m, const struct report_params *p,
    struct buf *err)
{
	memset(m, 0, sizeof(*m));
	m->p = *p;
	if (m->p.days < 1 || m->p.days > REPORT_MAX_DAYS) {
		buf_printf(err, "window of %d days: want 1 to %d", m->p.days,
		    REPORT_MAX_DAYS);
		return false;
	}
	return report_windows(m, err);
}

void
report_model_data_start(struct report_model *m, const char *day)
{
	snprintf(m->data_start, sizeof(m->data_start), "%s",
	    day != NULL ? day : "");
	report_prev_known(m);
}

void
report_model_data_end(struct report_model *m, const char *day)
{
	snprintf(m->data_end, sizeof(m->data_end), "%s",
	    day != NULL ? day : "");
}

bool
report_model_esp_tokens(struct report_model *m, char *const *tokens,
    size_t n)
{
	struct report_esp	*e = &m->esp;
	size_t			 i;

	if (n == 0)
		return true;
	if ((e->tokens = calloc(n, sizeof(*e->tokens))) == NULL)
		return false;
	for (i = 0; i < n; i++, e->ntokens++)
		if ((e->tokens[i] = dup(tokens[i])) == NULL)
			return false;
	return true;
}

static struct report_isp *
isp_get(struct report_isp **v, size_t *n, const char *reporter)
{
	struct report_isp	*x;
	size_t			 i;

	for (i = 0; i < *n; i++)
		if (strcmp((*v)[i].reporter, reporter) == 0)
			return &(*v)[i];
	if (!grow((void **)v, *n, sizeof(**v)))
		return NULL;
	x = &(*v)[*n];
	memset(x, 0, sizeof(*x));
	if ((x->reporter = dup(reporter)) == NULL)
		return NULL;
	(*n)++;
	return x;
}

/* The figures of a reporter: all for "*", else its own among v. */
static struct report_fig *
figs_of(struct report_fig *all, struct report_isp **v, size_t *n,
    const char *reporter)
{
	struct report_isp	*x;

	if (strcmp(reporter, "*") == 0)
		return all;
	return (x = isp_get(v, n, reporter)) != NULL ? x->w : NULL;
}

/* An ISP's complaints of day off, any authenticity (report_isp.days). */
static void
isp_day_add(struct report_isp *v, size_t n, const struct report_day_row *d)
{
	if (n == 0 || d->off > 0 || d->off <= -REPORT_ISP_DAYS)
		return;
	/* figs_of() just made or found it: the last one, or found again */
	while (n > 0 && strcmp(v[n - 1].reporter, d->reporter) != 0)
		n--;
	if (n == 0)
		return;
	v[n - 1].days[-d->off] += d->total;
}

static struct report_customer *
customer_add(struct report_model *m, const char *id)
{
	struct report_customer	*c;
	int			 k;

	if (!grow((void **)&m->customers, m->ncustomers, sizeof(*c)))
		return NULL;
	c = &m->customers[m->ncustomers++];
	if ((c->id = dup(id)) == NULL)
		return NULL;
	for (k = 0; k < REPORT_RECOVERY_DAYS; k++)
		c->recent_rates[k] = -1;
	c->rate_before = -1;
	for (k = 0; k < REPORT_MAX_DAYS; k++)
		c->day_rates[k] = -1;
	return c;
}

bool
report_model_customer_day(struct report_model *m, const char *customer,
    const struct report_day_row *d)
{
	struct report_customer	*c = NULL;
	struct report_fig	*w;

	if (m->ncustomers > 0)
		c = &m->customers[m->ncustomers - 1];
	if ((c == NULL || strcmp(c->id, customer) != 0) &&
	    (c = customer_add(m, customer)) == NULL)
		return false;
	if ((w = figs_of(c->w, &c->isps, &c->nisps, d->reporter)) == NULL)
		return false;
	if (w == c->w)
		report_customer_series(m, c, d->off, d->cls[FC_COMPLAINT],
		    d->has_volume, d->volume);
	report_fig_add(m, w, d->off, d->cls, d->has_volume, d->volume);
	return true;
}

static struct report_customer *
customer_find(struct report_model *m, const char *id)
{
	size_t	 lo = 0, hi = m->ncustomers, mid;
	int	 c;

	/* still in id order: sorted by level only by report_model_finish */
	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if ((c = strcmp(m->customers[mid].id, id)) == 0)
			return &m->customers[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool
report_model_token_day(struct report_model *m, const char *customer,
    const char *token, int off, int64_t complaints)
{
	struct report_customer		*c;
	struct report_token_count	*t;

	if ((c = customer_find(m, customer)) == NULL)
		return true;
	t = c->ntokens > 0 ? &c->tokens[c->ntokens - 1] : NULL;
	if (t == NULL || strcmp(t->token, token) != 0) {
		if (!grow((void **)&c->tokens, c->ntokens, sizeof(*t)) ||
		    (c->tokens[c->ntokens].token = dup(token)) == NULL)
			return false;
		t = &c->tokens[c->ntokens++];
	}
	report_window_add(m, t->complaints, off, complaints);
	return true;
}

void
report_model_auth_day(struct report_model *m, const char *customer,
    enum report_auth a, int off, int64_t n)
{
	struct report_customer	*c;

	if ((c = customer_find(m, customer)) == NULL)
		return;
	report_auth_add(m, c, a, off, n);
	if ((a == AU_FORGED || a == AU_REPLAYED) && off <= 0 &&
	    off >= -REPORT_RECOVERY_DAYS)
		c->day_suspected[-off] += n;
}

/* The reasons of a day's complaints that claim no customer. */
static void
unattributed_add(struct report_model *m, const struct report_day_row *d)
{
	struct report_unattributed *u = &m->unattributed;

	report_window_add(m, u->complaints, d->off, d->unattributed);
	report_window_add(m, u->reason[UR_ESP_VERIFIED], d->off,
	    d->unattributed_verified);
	report_window_add(m, u->reason[UR_ESP_FAILED], d->off,
	    d->unattributed_carried - d->unattributed_verified);
	report_window_add(m, u->reason[UR_NO_ESP], d->off,
	    d->unattributed - d->unattributed_carried);
}

bool
report_model_esp_day(struct report_model *m, const struct report_day_row *d)
{
	struct report_esp	*e = &m->esp;
	struct report_fig	*w;

	if ((w = figs_of(e->w, &e->isps, &e->nisps, d->reporter)) == NULL)
		return false;
	if (w == e->w) {
		report_window_add(m, e->total, d->off, d->total);
		report_window_add(m, e->carried, d->off, d->carried);
		report_window_add(m, e->verified, d->off, d->verified);
		unattributed_add(m, d);
	} else
		isp_day_add(e->isps, e->nisps, d);
	report_fig_add(m, w, d->off, d->cls, d->has_volume, d->volume);
	return true;
}

/* The entry of r's token, role and customer: the last one, or a new one. */
static struct report_verif *
verif_get(struct report_verif **v, size_t *n, const struct report_verif_row *r)
{
	struct report_verif	*x = *n > 0 ? &(*v)[*n - 1] : NULL;

	if (x != NULL && strcmp(x->token, r->token) == 0 &&
	    strcmp(x->role, r->role) == 0 &&
	    strcmp(x->customer_id, r->customer_id) == 0)
		return x;
	if (!grow((void **)v, *n, sizeof(**v)))
		return NULL;
	x = &(*v)[(*n)++];
	memset(x, 0, sizeof(*x));
	if ((x->token = dup(r->token)) == NULL ||
	    (x->role = dup(r->role)) == NULL ||
	    (x->customer_id = dup(r->customer_id)) == NULL)
		return NULL;
	return x;
}

bool
report_model_verif_row(struct report_model *m,
    const struct report_verif_row *r)
{
	struct report_verif	*x;
	struct report_reason	*rr;
	enum report_health	 h;

	x = r->sample ? verif_get(&m->samples, &m->nsamples, r) :
	    verif_get(&m->verif, &m->nverif, r);
	if (x == NULL)
		return false;
	x->signatures += r->n;
	if (!r->sample)
		m->verif_mix[r->verified ? VC_PASS : verif_class(r)] += r->n;
	/* a failure's group comes with its cause (report_model_cause_row) */
	if ((h = report_health_of_result(r->result, r->verified,
	    r->headers_only)) < RH_N) {
		x->health[h] += r->n;
		if (!r->sample)
			m->health[h] += r->n;
	}
	if (r->verified) {
		x->verified += r->n;
		return true;
	}
	if (r->headers_only)
		x->headers_only += r->n;
	if (!grow((void **)&x->reasons, x->nreasons, sizeof(*rr)))
		return false;
	rr = &x->reasons[x->nreasons++];
	rr->n = r->n;
	return (rr->result = dup(r->result)) != NULL &&
	    (rr->reason = dup(r->reason)) != NULL;
}

/* The entry of r's token, role and customer at or after *at, or NULL. */
static struct report_verif *
verif_find(struct report_verif *v, size_t n, size_t *at,
    const struct report_cause_row *r)
{
	size_t	 i, k;

	for (k = 0; k < n; k++) {
		i = (*at + k) % n;	/* the rows come in the entries' order */
		if (strcmp(v[i].token, r->token) == 0 &&
		    strcmp(v[i].role, r->role) == 0 &&
		    strcmp(v[i].customer_id, r->customer_id) == 0) {
			*at = i;
			return &v[i];
		}
	}
	return NULL;
}

bool
report_model_cause_row(struct report_model *m,
    const struct report_cause_row *r)
{
	struct report_verif	*x;
	struct report_cause	*c;
	enum report_health	 h;

	x = r->sample ? verif_find(m->samples, m->nsamples, &m->cause_at[1],
	    r) : verif_find(m->verif, m->nverif, &m->cause_at[0], r);
	if (x == NULL)
		return true;
	x->failed += r->n;
	h = report_health_of_class(r->diagnosis);
	x->health[h] += r->n;
	if (!r->sample)
		m->health[h] += r->n;
	if (!grow((void **)&x->causes, x->ncauses, sizeof(*c)))
		return false;
	c = &x->causes[x->ncauses++];
	c->n = r->n;
	return (c->diagnosis = dup(r->diagnosis)) != NULL &&
	    (c->field = dup(r->field)) != NULL;
}

bool
report_model_key_add(struct report_model *m, const struct report_key *in)
{
	if (!record_add((void **)&m->keys, &m->nkeys, sizeof(*in), in,
	    key_strings))
		return false;
	report_key_age(&m->keys[m->nkeys - 1], &m->p);
	return true;
}

bool
report_model_unknown_add(struct report_model *m,
    const struct report_unknown *in)
{
	return record_add((void **)&m->unknown, &m->nunknown, sizeof(*in),
	    in, unknown_strings);
}

bool
report_model_dns_add(struct report_model *m,
    const struct report_dns_domain *in)
{
	return record_add((void **)&m->dns, &m->ndns, sizeof(*in), in,
	    dns_strings);
}

bool
report_model_dns_problem_add(struct report_model *m,
    const struct report_dns_problem *in)
{
	return record_add((void **)&m->dns_problems, &m->ndns_problems,
	    sizeof(*in), in, problem_strings);
}

bool
report_model_stored_id(struct report_model *m, const char *id)
{
	if (!grow((void **)&m->stored_ids, m->nstored_ids,
	    sizeof(*m->stored_ids)) ||
	    (m->stored_ids[m->nstored_ids] = dup(id)) == NULL)
		return false;
	m->nstored_ids++;
	return true;
}

/* Each window's figures learn whether the period before it is known. */
static void
figs_prev_known(const struct report_model *m, struct report_fig *w,
    struct report_isp *isps, size_t nisps)
{
	size_t	 i;
	int	 k;

	for (k = 0; k < RW_N; k++) {
		w[k].prev_known = m->prev_known[k];
		for (i = 0; i < nisps; i++)
			isps[i].w[k].prev_known = m->prev_known[k];
	}
}

static void	customer_free(struct report_customer *);

/*
 * --only: the customers of the levels asked for stay, the others are
 * counted (nhidden) and freed, so that no format shows them.
 */
static void
customers_only(struct report_model *m)
{
	size_t	 i, kept = 0;

	if (m->p.only == 0)
		return;
	for (i = 0; i < m->ncustomers; i++) {
		if (m->p.only & (1u << m->customers[i].level))
			m->customers[kept++] = m->customers[i];
		else {
			customer_free(&m->customers[i]);
			m->nhidden++;
		}
	}
	m->ncustomers = kept;
}

void
report_model_finish(struct report_model *m)
{
	size_t	 i;

	figs_prev_known(m, m->esp.w, m->esp.isps, m->esp.nisps);
	for (i = 0; i < m->ncustomers; i++) {
		figs_prev_known(m, m->customers[i].w, m->customers[i].isps,
		    m->customers[i].nisps);
		report_customer_level(m, &m->customers[i]);
	}
	/* before --only: the panel says what changed for every customer */
	if (!report_changes_make(m))
		m->oom = true;
	customers_only(m);
	if (m->ncustomers > 1)
		qsort(m->customers, m->ncustomers, sizeof(*m->customers),
		    report_customer_cmp);
	report_views_finish(m);
}

static void
isps_free(struct report_isp *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		free(v[i].reporter);
	free(v);
}

static void
verifs_free(struct report_verif *v, size_t n)
{
	size_t	 i, k;

	for (i = 0; i < n; i++) {
		free(v[i].token);
		free(v[i].role);
		free(v[i].customer_id);
		for (k = 0; k < v[i].nreasons; k++) {
			free(v[i].reasons[k].result);
			free(v[i].reasons[k].reason);
		}
		free(v[i].reasons);
		for (k = 0; k < v[i].ncauses; k++) {
			free(v[i].causes[k].diagnosis);
			free(v[i].causes[k].field);
		}
		free(v[i].causes);
	}
	free(v);
}

static void
customer_free(struct report_customer *c)
{
	size_t	 i;

	free(c->id);
	isps_free(c->isps, c->nisps);
	for (i = 0; i < c->ntokens; i++)
		free(c->tokens[i].token);
	free(c->tokens);
}

void
report_model_free(struct report_model *m)
{
	size_t	 i;

	for (i = 0; i < m->ncustomers; i++)
		customer_free(&m->customers[i]);
	free(m->customers);
	for (i = 0; i < m->esp.ntokens; i++)
		free(m->esp.tokens[i]);
	free(m->esp.tokens);
	isps_free(m->esp.isps, m->esp.nisps);
	report_changes_free(m);
	verifs_free(m->verif, m->nverif);
	verifs_free(m->samples, m->nsamples);
	records_free(m->keys, m->nkeys, sizeof(*m->keys), key_strings);
	records_free(m->unknown, m->nunknown, sizeof(*m->unknown),
	    unknown_strings);
	records_free(m->dns, m->ndns, sizeof(*m->dns), dns_strings);
	records_free(m->dns_problems, m->ndns_problems,
	    sizeof(*m->dns_problems), problem_strings);
	for (i = 0; i < m->nstored_ids; i++)
		free(m->stored_ids[i]);
	free(m->stored_ids);
	report_views_free(m->views);
	memset(m, 0, sizeof(*m));
}
