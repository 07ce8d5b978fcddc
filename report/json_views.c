/* SPDX-License-Identifier: ISC */
/*
 * json_views: the JSON keys of the views by sending network, by campaign
 * and of token health over time (views.h): sending_networks, campaigns and
 * token_health (docs/report-json.md, docs/report.schema.json).
 */
#include <string.h>

#include "base/json.h"
#include "report/json.h"
#include "report/rules.h"
#include "report/views.h"

static void
network(struct buf *b, const struct report_network *n)
{
	bool	 f = true;

	buf_putc(b, '{');
	json_kv_str(b, "network", n->network, &f);
	if (n->sending[0] != '\0')
		json_kv_str(b, "sending_network", n->sending, &f);
	else
		json_kv_null(b, "sending_network", &f);
	report_json_counts(b, "complaints", n->complaints, &f);
	report_json_counts(b, "attributed", n->attributed, &f);
	buf_putc(b, '}');
}

/* {"customer": ..., "networks": [...], "left_out": n}; customer NULL: all */
static void
network_list(struct buf *b, const char *customer,
    const struct report_network_list *l)
{
	size_t	 i;
	bool	 f = true;

	buf_putc(b, '{');
	if (customer != NULL)
		json_kv_str(b, "customer", customer, &f);
	json_key(b, "networks", &f);
	buf_putc(b, '[');
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		network(b, &l->v[i]);
	}
	buf_putc(b, ']');
	json_kv_uint(b, "left_out", l->more, &f);
	buf_putc(b, '}');
}

static void
networks(struct buf *b, const struct report_views *v, bool *first)
{
	size_t	 i;
	bool	 f = true;

	json_key(b, "sending_networks", first);
	buf_putc(b, '{');
	json_key(b, "all", &f);
	network_list(b, NULL, &v->esp_networks);
	json_key(b, "customers", &f);
	buf_putc(b, '[');
	for (i = 0; i < v->nnetworks; i++) {
		if (i > 0)
			buf_putc(b, ',');
		network_list(b, v->networks[i].customer_id, &v->networks[i]);
	}
	buf_puts(b, "]}");
}

static void
campaign(struct buf *b, const struct report_campaign *c)
{
	bool	 f = true;

	buf_putc(b, '{');
	json_kv_str(b, "customer", c->customer_id, &f);
	json_kv_str(b, "source", c->source, &f);
	json_kv_str(b, "campaign", c->campaign, &f);
	report_json_counts(b, "complaints", c->complaints, &f);
	report_json_rate(b, "share", c->share, &f);
	buf_putc(b, '}');
}

static void
campaign_list(struct buf *b, const char *customer,
    const struct report_campaign_list *l)
{
	size_t	 i;
	bool	 f = true;

	buf_putc(b, '{');
	if (customer != NULL)
		json_kv_str(b, "customer", customer, &f);
	json_key(b, "campaigns", &f);
	buf_putc(b, '[');
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		campaign(b, &l->v[i]);
	}
	buf_putc(b, ']');
	json_kv_uint(b, "left_out", l->more, &f);
	buf_putc(b, '}');
}

static void
campaigns(struct buf *b, const struct report_views *v, bool *first)
{
	size_t	 i;
	bool	 f = true;

	json_key(b, "campaigns", first);
	buf_putc(b, '{');
	json_key(b, "all", &f);
	campaign_list(b, NULL, &v->esp_campaigns);
	json_key(b, "customers", &f);
	buf_putc(b, '[');
	for (i = 0; i < v->ncampaigns; i++) {
		if (i > 0)
			buf_putc(b, ',');
		campaign_list(b, v->campaigns[i].customer_id,
		    &v->campaigns[i]);
	}
	buf_puts(b, "]}");
}

/* The days of h with signatures, oldest first. */
static void
health_days(struct buf *b, const struct report_model *m,
    const struct report_token_health *h, bool *first)
{
	char	 day[11];
	bool	 any = false, f;
	int	 d;

	json_key(b, "days", first);
	buf_putc(b, '[');
	for (d = 0; d < m->len[RW_LONG]; d++) {
		if (h->day_signatures[d] == 0 ||
		    !report_day_of(m, d - (m->len[RW_LONG] - 1), day))
			continue;
		buf_puts(b, any ? ",{" : "{");
		any = true;
		f = true;
		json_kv_str(b, "day", day, &f);
		json_kv_int(b, "signatures", h->day_signatures[d], &f);
		json_kv_int(b, "verified", h->day_verified[d], &f);
		report_json_rate(b, "share", h->day_share[d], &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static void
token(struct buf *b, const struct report_model *m,
    const struct report_token_health *h)
{
	char	 day[11];
	bool	 f = true, sf = true;
	int	 k;

	buf_putc(b, '{');
	json_kv_str(b, "token", h->token, &f);
	json_kv_str(b, "role", h->role, &f);
	json_kv_str(b, "customer", h->customer_id, &f);
	report_json_counts(b, "signatures", h->signatures, &f);
	report_json_counts(b, "verified", h->verified, &f);
	json_key(b, "share", &f);
	buf_putc(b, '{');
	for (k = 0; k < RW_N; k++)
		report_json_rate(b, report_window_names[k], h->share[k], &sf);
	buf_putc(b, '}');
	if (h->worst >= 0 &&
	    report_day_of(m, h->worst - (m->len[RW_LONG] - 1), day)) {
		json_kv_str(b, "worst_day", day, &f);
		report_json_rate(b, "worst_share", h->day_share[h->worst], &f);
	} else {
		json_kv_null(b, "worst_day", &f);
		json_kv_null(b, "worst_share", &f);
	}
	health_days(b, m, h, &f);
	buf_putc(b, '}');
}

static void
health(struct buf *b, const struct report_model *m,
    const struct report_views *v, bool *first)
{
	size_t	 i;
	bool	 f = true;

	json_key(b, "token_health", first);
	buf_putc(b, '{');
	json_key(b, "tokens", &f);
	buf_putc(b, '[');
	for (i = 0; i < v->nhealth; i++) {
		if (i > 0)
			buf_putc(b, ',');
		token(b, m, &v->health[i]);
	}
	buf_putc(b, ']');
	json_kv_uint(b, "left_out", v->health_more, &f);
	buf_putc(b, '}');
}

void
report_json_views(struct buf *b, const struct report_model *m, bool *first)
{
	const struct report_views	*v = report_views_of(m);

	networks(b, v, first);
	campaigns(b, v, first);
	health(b, m, v, first);
}
