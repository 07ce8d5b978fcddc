/* SPDX-License-Identifier: ISC */
/*
 * csv_views: the CSV sections of the views by sending network, by campaign
 * and of token health over time (views.h), after the report's others;
 * docs/fblscope.1 lists them.  A list is "*" for all customers, else a
 * customer id; each list's entries left out by its cap are a row of a
 * *_left_out section.
 */
#include <stdio.h>

#include "report/csv.h"
#include "report/rules.h"
#include "report/views.h"

static void
network_rows(struct buf *b, const char *list,
    const struct report_network_list *l)
{
	size_t	 i;
	int	 k;

	for (i = 0; i < l->n; i++)
		for (k = 0; k < RW_N; k++) {
			buf_puts(b, "network");
			report_csv_field(b, list);
			report_csv_field(b, l->v[i].network);
			report_csv_field(b, l->v[i].sending);
			report_csv_field(b, report_window_names[k]);
			report_csv_num(b, l->v[i].complaints[k]);
			report_csv_num(b, l->v[i].attributed[k]);
			buf_putc(b, '\n');
		}
}

static void
left_out(struct buf *b, const char *section, const char *list, size_t n)
{
	buf_puts(b, section);
	report_csv_field(b, list);
	report_csv_num(b, (int64_t)n);
	buf_putc(b, '\n');
}

static void
networks(struct buf *b, const struct report_model *m)
{
	const struct report_views	*v = report_views_of(m);
	size_t				 i;

	buf_puts(b, "\nsection,list,network,sending_network,window,"
	    "complaints,attributed\n");
	network_rows(b, "*", &v->esp_networks);
	for (i = 0; i < v->nnetworks; i++)
		network_rows(b, v->networks[i].customer_id, &v->networks[i]);
	buf_puts(b, "\nsection,list,left_out\n");
	left_out(b, "network_left_out", "*", v->esp_networks.more);
	for (i = 0; i < v->nnetworks; i++)
		left_out(b, "network_left_out", v->networks[i].customer_id,
		    v->networks[i].more);
}

static void
campaign_rows(struct buf *b, const char *list,
    const struct report_campaign_list *l)
{
	size_t	 i;
	int	 k;

	for (i = 0; i < l->n; i++)
		for (k = 0; k < RW_N; k++) {
			buf_puts(b, "campaign");
			report_csv_field(b, list);
			report_csv_field(b, l->v[i].customer_id);
			report_csv_field(b, l->v[i].source);
			report_csv_field(b, l->v[i].campaign);
			report_csv_field(b, report_window_names[k]);
			report_csv_num(b, l->v[i].complaints[k]);
			report_csv_rate(b, l->v[i].share);
			buf_putc(b, '\n');
		}
}

static void
campaigns(struct buf *b, const struct report_model *m)
{
	const struct report_views	*v = report_views_of(m);
	size_t				 i;

	buf_puts(b, "\nsection,list,customer,source,campaign,window,"
	    "complaints,share\n");
	campaign_rows(b, "*", &v->esp_campaigns);
	for (i = 0; i < v->ncampaigns; i++)
		campaign_rows(b, v->campaigns[i].customer_id,
		    &v->campaigns[i]);
	buf_puts(b, "\nsection,list,left_out\n");
	left_out(b, "campaign_left_out", "*", v->esp_campaigns.more);
	for (i = 0; i < v->ncampaigns; i++)
		left_out(b, "campaign_left_out", v->campaigns[i].customer_id,
		    v->campaigns[i].more);
}

/* The section's name and the token's names. */
static void
token_cols(struct buf *b, const char *section,
    const struct report_token_health *h)
{
	buf_puts(b, section);
	report_csv_field(b, h->token);
	report_csv_field(b, h->role);
	report_csv_field(b, h->customer_id);
}

static void
health(struct buf *b, const struct report_model *m)
{
	const struct report_views	*v = report_views_of(m);
	const struct report_token_health *h;
	char				 day[11];
	size_t				 i;
	int				 k, d;

	buf_puts(b, "\nsection,token,role,customer,window,signatures,verified,"
	    "share,worst_day,worst_share\n");
	for (i = 0; i < v->nhealth; i++)
		for (k = 0, h = &v->health[i]; k < RW_N; k++) {
			token_cols(b, "token_health", h);
			report_csv_field(b, report_window_names[k]);
			report_csv_num(b, h->signatures[k]);
			report_csv_num(b, h->verified[k]);
			report_csv_rate(b, h->share[k]);
			if (h->worst >= 0 && report_day_of(m, h->worst -
			    (m->len[RW_LONG] - 1), day)) {
				report_csv_field(b, day);
				report_csv_rate(b, h->day_share[h->worst]);
			} else
				buf_puts(b, ",,");
			buf_putc(b, '\n');
		}
	buf_puts(b, "\nsection,token,role,customer,day,signatures,verified,"
	    "share\n");
	for (i = 0; i < v->nhealth; i++)
		for (d = 0, h = &v->health[i]; d < m->len[RW_LONG]; d++) {
			if (h->day_signatures[d] == 0 || !report_day_of(m,
			    d - (m->len[RW_LONG] - 1), day))
				continue;
			token_cols(b, "token_health_day", h);
			report_csv_field(b, day);
			report_csv_num(b, h->day_signatures[d]);
			report_csv_num(b, h->day_verified[d]);
			report_csv_rate(b, h->day_share[d]);
			buf_putc(b, '\n');
		}
	buf_printf(b, "\nsection,left_out\ntoken_health_left_out,%zu\n",
	    v->health_more);
}

void
report_csv_views(struct buf *b, const struct report_model *m)
{
	networks(b, m);
	campaigns(b, m);
	health(b, m);
}
