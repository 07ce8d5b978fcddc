/* SPDX-License-Identifier: ISC */
/*
 * views: the report by sending network, by campaign and the health of each
 * token over time, built from the loader's rows; see views.h.
 */
#include <stdlib.h>
#include <string.h>

#include "base/vec.h"
#include "report/rules.h"
#include "report/views.h"

static const struct report_views no_views;

const struct report_views *
report_views_of(const struct report_model *m)
{
	return m->views != NULL ? m->views : &no_views;
}

/* m's views, made at the first row; NULL: out of memory. */
static struct report_views *
views_get(struct report_model *m)
{
	if (m->views == NULL)
		m->views = calloc(1, sizeof(*m->views));
	return m->views;
}

static char *
dup(const char *s)
{
	return strdup(s != NULL ? s : "");
}

/* The index of day off in the daily series; -1 outside the long window. */
static int
series_at(const struct report_model *m, int off)
{
	int	 i = m->len[RW_LONG] - 1 + off;

	return i >= 0 && i < m->len[RW_LONG] ? i : -1;
}

/* Per window, a += b and c += d (c NULL: none). */
static void
counts_add(int64_t *a, const int64_t *b, int64_t *c, const int64_t *d)
{
	int	 k;

	for (k = 0; k < RW_N; k++) {
		a[k] += b[k];
		if (c != NULL)
			c[k] += d[k];
	}
}

/* left out of a list of n kept, of total in all */
static size_t
left_out(size_t total, size_t n)
{
	return total > n ? total - n : 0;
}

/*
 * The list of customer id at the end of the array v of *n (the rows come
 * in customer order), or a new one there.  Lists are arrays of structs
 * starting with their customer id (struct report_network_list,
 * struct report_campaign_list).
 */
static void *
list_get(void **v, size_t *n, size_t *cap, size_t size, const char *id)
{
	char	*last, **name;

	if (*n > 0) {
		last = (char *)*v + (*n - 1) * size;
		if (strcmp(*(char **)(void *)last, id) == 0)
			return last;
	}
	if (!vec_reserve(v, cap, *n + 1, size))
		return NULL;
	last = (char *)*v + *n * size;
	memset(last, 0, size);
	name = (char **)(void *)last;
	if ((*name = dup(id)) == NULL)
		return NULL;
	(*n)++;
	return last;
}

/*
 * The entry of r's network in l: found, added, or NULL when l is full (the
 * cap: r's counts are left out).  *ok false: out of memory.
 */
static struct report_network *
network_get(struct report_network_list *l, const struct report_network_row *r,
    bool *ok)
{
	struct report_network	*e;
	size_t			 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].network, r->network) == 0)
			return &l->v[i];
	if (l->n == REPORT_NETWORKS_MAX)
		return NULL;
	e = &l->v[l->n];
	e->network = dup(r->network);
	e->sending = dup(r->sending);
	if (e->network == NULL || e->sending == NULL) {
		free(e->network);
		free(e->sending);
		memset(e, 0, sizeof(*e));
		*ok = false;
		return NULL;
	}
	l->n++;
	return e;
}

bool
report_views_network_row(struct report_model *m,
    const struct report_network_row *r)
{
	struct report_views		*v;
	struct report_network_list	*l;
	struct report_network		*e;
	bool				 ok = true;

	if ((v = views_get(m)) == NULL)
		return false;
	if (r->customer_id == NULL)
		l = &v->esp_networks;
	else if ((l = list_get((void **)&v->networks, &v->nnetworks,
	    &v->networks_cap, sizeof(*l), r->customer_id)) == NULL)
		return false;
	if ((e = network_get(l, r, &ok)) != NULL)
		counts_add(e->complaints, r->complaints, e->attributed,
		    r->attributed);
	l->more = left_out(r->total, l->n);
	return ok;
}

/* The entry of r's campaign in l, as network_get. */
static struct report_campaign *
campaign_get(struct report_campaign_list *l,
    const struct report_campaign_row *r, bool *ok)
{
	struct report_campaign	*e;
	size_t			 i;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].customer_id, r->owner) == 0 &&
		    strcmp(l->v[i].source, r->source) == 0 &&
		    strcmp(l->v[i].campaign, r->campaign) == 0)
			return &l->v[i];
	if (l->n == REPORT_CAMPAIGNS_MAX)
		return NULL;
	e = &l->v[l->n];
	e->customer_id = dup(r->owner);
	e->source = dup(r->source);
	e->campaign = dup(r->campaign);
	if (e->customer_id == NULL || e->source == NULL ||
	    e->campaign == NULL) {
		free(e->customer_id);
		free(e->source);
		free(e->campaign);
		memset(e, 0, sizeof(*e));
		*ok = false;
		return NULL;
	}
	l->n++;
	return e;
}

bool
report_views_campaign_row(struct report_model *m,
    const struct report_campaign_row *r)
{
	struct report_views		*v;
	struct report_campaign_list	*l;
	struct report_campaign		*e;
	bool				 ok = true;

	if ((v = views_get(m)) == NULL)
		return false;
	if (r->customer_id == NULL)
		l = &v->esp_campaigns;
	else if ((l = list_get((void **)&v->campaigns, &v->ncampaigns,
	    &v->campaigns_cap, sizeof(*l), r->customer_id)) == NULL)
		return false;
	if ((e = campaign_get(l, r, &ok)) != NULL)
		counts_add(e->complaints, r->complaints, NULL, NULL);
	l->more = left_out(r->total, l->n);
	return ok;
}

/* The entry of r's token, as network_get. */
static struct report_token_health *
health_get(struct report_views *v, const struct report_health_row *r,
    bool *ok)
{
	struct report_token_health	*e;
	size_t				 i;

	for (i = v->nhealth; i > 0; i--) {
		e = &v->health[i - 1];
		if (strcmp(e->token, r->token) == 0 &&
		    strcmp(e->role, r->role) == 0 &&
		    strcmp(e->customer_id, r->customer_id) == 0)
			return e;
	}
	if (v->nhealth == REPORT_HEALTH_MAX)
		return NULL;
	if (v->health == NULL &&
	    (v->health = calloc(REPORT_HEALTH_MAX, sizeof(*e))) == NULL) {
		*ok = false;
		return NULL;
	}
	e = &v->health[v->nhealth];
	e->token = dup(r->token);
	e->role = dup(r->role);
	e->customer_id = dup(r->customer_id);
	if (e->token == NULL || e->role == NULL || e->customer_id == NULL) {
		free(e->token);
		free(e->role);
		free(e->customer_id);
		memset(e, 0, sizeof(*e));
		*ok = false;
		return NULL;
	}
	v->nhealth++;
	return e;
}

bool
report_views_health_row(struct report_model *m,
    const struct report_health_row *r)
{
	struct report_views		*v;
	struct report_token_health	*e;
	bool				 ok = true;
	int				 i;

	if ((v = views_get(m)) == NULL)
		return false;
	if ((e = health_get(v, r, &ok)) != NULL) {
		report_window_add(m, e->signatures, r->off, r->signatures);
		report_window_add(m, e->verified, r->off, r->verified);
		if ((i = series_at(m, r->off)) >= 0) {
			e->day_signatures[i] += r->signatures;
			e->day_verified[i] += r->verified;
		}
	}
	v->health_more = left_out(r->total, v->nhealth);
	return ok;
}

/* --- finish --- */

static bool
customer_shown(const struct report_model *m, const char *id)
{
	size_t	 i;

	for (i = 0; i < m->ncustomers; i++)
		if (strcmp(m->customers[i].id, id) == 0)
			return true;
	return false;
}

static const struct report_customer *
customer_of(const struct report_model *m, const char *id)
{
	size_t	 i;

	for (i = 0; i < m->ncustomers; i++)
		if (strcmp(m->customers[i].id, id) == 0)
			return &m->customers[i];
	return NULL;
}

static int
network_cmp(const void *a, const void *b)
{
	const struct report_network	*x = a, *y = b;

	if (x->complaints[RW_LONG] != y->complaints[RW_LONG])
		return x->complaints[RW_LONG] > y->complaints[RW_LONG] ? -1 : 1;
	return strcmp(x->network, y->network);
}

static int
campaign_cmp(const void *a, const void *b)
{
	const struct report_campaign	*x = a, *y = b;
	int				 c;

	if (x->complaints[RW_LONG] != y->complaints[RW_LONG])
		return x->complaints[RW_LONG] > y->complaints[RW_LONG] ? -1 : 1;
	if ((c = strcmp(x->customer_id, y->customer_id)) != 0)
		return c;
	if ((c = strcmp(x->source, y->source)) != 0)
		return c;
	return strcmp(x->campaign, y->campaign);
}

/* The ESP's tokens first, then the lowest share, the most signatures. */
static int
health_cmp(const void *a, const void *b)
{
	const struct report_token_health	*x = a, *y = b;
	bool					 ex, ey;
	int					 c;

	ex = strcmp(x->role, "esp") == 0;
	ey = strcmp(y->role, "esp") == 0;
	if (ex != ey)
		return ex ? -1 : 1;
	/* verified/signatures compared without rounding */
	if (x->verified[RW_LONG] * y->signatures[RW_LONG] !=
	    y->verified[RW_LONG] * x->signatures[RW_LONG])
		return x->verified[RW_LONG] * y->signatures[RW_LONG] <
		    y->verified[RW_LONG] * x->signatures[RW_LONG] ? -1 : 1;
	if (x->signatures[RW_LONG] != y->signatures[RW_LONG])
		return x->signatures[RW_LONG] > y->signatures[RW_LONG] ? -1 : 1;
	if ((c = strcmp(x->token, y->token)) != 0)
		return c;
	return strcmp(x->customer_id, y->customer_id);
}

static void
networks_free(struct report_network_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].network);
		free(l->v[i].sending);
	}
	free(l->customer_id);
}

static void
campaigns_free(struct report_campaign_list *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].customer_id);
		free(l->v[i].source);
		free(l->v[i].campaign);
	}
	free(l->customer_id);
}

/* The lists of the customers shown stay, in id order; the others go. */
static void
networks_finish(const struct report_model *m, struct report_views *v)
{
	size_t	 i, kept = 0;

	for (i = 0; i < v->nnetworks; i++) {
		if (customer_shown(m, v->networks[i].customer_id))
			v->networks[kept++] = v->networks[i];
		else
			networks_free(&v->networks[i]);
	}
	v->nnetworks = kept;
	for (i = 0; i < v->nnetworks; i++)
		qsort(v->networks[i].v, v->networks[i].n,
		    sizeof(v->networks[i].v[0]), network_cmp);
	qsort(v->esp_networks.v, v->esp_networks.n,
	    sizeof(v->esp_networks.v[0]), network_cmp);
}

/* Each campaign's share of the attributed complaints it is one of. */
static void
campaign_shares(struct report_campaign_list *l, int64_t all)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		l->v[i].share = report_rate(l->v[i].complaints[RW_LONG], all,
		    true);
	qsort(l->v, l->n, sizeof(l->v[0]), campaign_cmp);
}

static void
campaigns_finish(const struct report_model *m, struct report_views *v)
{
	const struct report_customer	*c;
	size_t				 i, kept = 0;

	for (i = 0; i < v->ncampaigns; i++) {
		if ((c = customer_of(m, v->campaigns[i].customer_id)) != NULL) {
			campaign_shares(&v->campaigns[i],
			    c->w[RW_LONG].complaints);
			v->campaigns[kept++] = v->campaigns[i];
		} else
			campaigns_free(&v->campaigns[i]);
	}
	v->ncampaigns = kept;
	campaign_shares(&v->esp_campaigns, m->esp.w[RW_LONG].complaints);
}

static double
share(int64_t verified, int64_t signatures)
{
	return report_rate(verified, signatures, true);
}

static void
health_finish(const struct report_model *m, struct report_views *v)
{
	struct report_token_health	*e;
	size_t				 i;
	int				 k, d;

	for (i = 0; i < v->nhealth; i++) {
		e = &v->health[i];
		for (k = 0; k < RW_N; k++)
			e->share[k] = share(e->verified[k], e->signatures[k]);
		e->worst = -1;
		for (d = 0; d < m->len[RW_LONG]; d++) {
			e->day_share[d] = share(e->day_verified[d],
			    e->day_signatures[d]);
			if (e->day_share[d] >= 0 && (e->worst < 0 ||
			    e->day_share[d] < e->day_share[e->worst]))
				e->worst = d;
		}
	}
	if (v->nhealth > 1)
		qsort(v->health, v->nhealth, sizeof(*v->health), health_cmp);
}

void
report_views_finish(struct report_model *m)
{
	if (m->views == NULL)
		return;
	networks_finish(m, m->views);
	campaigns_finish(m, m->views);
	health_finish(m, m->views);
}

void
report_views_free(struct report_views *v)
{
	size_t	 i;

	if (v == NULL)
		return;
	networks_free(&v->esp_networks);
	for (i = 0; i < v->nnetworks; i++)
		networks_free(&v->networks[i]);
	free(v->networks);
	campaigns_free(&v->esp_campaigns);
	for (i = 0; i < v->ncampaigns; i++)
		campaigns_free(&v->campaigns[i]);
	free(v->campaigns);
	for (i = 0; i < v->nhealth; i++) {
		free(v->health[i].token);
		free(v->health[i].role);
		free(v->health[i].customer_id);
	}
	free(v->health);
	free(v);
}

/* The list of id in the array v of n lists in id order, or NULL. */
static const void *
list_find(const void *v, size_t n, size_t size, const char *id)
{
	size_t	 lo = 0, hi = n, mid;
	int	 c;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		c = strcmp(*(char *const *)(const void *)((const char *)v +
		    mid * size), id);
		if (c == 0)
			return (const char *)v + mid * size;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const struct report_network_list *
report_views_networks(const struct report_model *m, const char *customer_id)
{
	const struct report_views	*v = report_views_of(m);

	return list_find(v->networks, v->nnetworks, sizeof(*v->networks),
	    customer_id);
}

const struct report_campaign_list *
report_views_campaigns(const struct report_model *m, const char *customer_id)
{
	const struct report_views	*v = report_views_of(m);

	return list_find(v->campaigns, v->ncampaigns, sizeof(*v->campaigns),
	    customer_id);
}
