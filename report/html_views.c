/* SPDX-License-Identifier: ISC */
/*
 * html_views: the page's sections of the views by sending network, by
 * campaign and of token health over time (views.h): tables of every list
 * the model keeps, and a line chart of the verified share per day of the
 * ESP's tokens and of the customer tokens with the lowest share.  Every
 * figure is the model's, written as the text report writes it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report/html.h"
#include "report/html_page.h"
#include "report/render.h"
#include "report/svg.h"
#include "report/views.h"

#define HEALTH_LINES	6	/* tokens in the chart */
#define NUM		24	/* bytes of a formatted count or rate */

_Static_assert(HEALTH_LINES <= SVG_MAX_SERIES, "a line per series");

static const char *
network_name(const char *network)
{
	return network[0] != '\0' ? network : "(not known)";
}

static void
count_text(char out[NUM], int64_t n)
{
	snprintf(out, NUM, "%lld", (long long)n);
}

static void
rate_text(char out[NUM], double rate)
{
	struct buf	 b = BUF_INIT;

	report_put_rate(&b, rate);
	snprintf(out, NUM, "%s", buf_ok(&b) ? buf_cstr(&b) : "?");
	buf_free(&b);
}

/* "(3 more networks of cust-01 left out ...)" for a list cut by its cap. */
static void
left_out_note(struct buf *b, size_t more, const char *what,
    const char *list, int cap)
{
	struct buf	 t = BUF_INIT;

	if (more == 0)
		return;
	buf_printf(&t, "%zu more %s of %s left out: at most %d, those with "
	    "the most complaints.", more, what, list, cap);
	html_note(b, buf_cstr(&t));
	if (!buf_ok(&t))
		b->oom = true;
	buf_free(&t);
}

/* The cells of one table row: names, and the figures formatted. */
struct cells {
	const char	*p[9];
	char		 num[6][NUM];
};

/* Counts per window into cells at, at + 1, at + 2. */
static void
window_cells(struct cells *c, size_t at, const int64_t *v)
{
	int	 k;

	for (k = 0; k < RW_N; k++) {
		count_text(c->num[k], v[k]);
		c->p[at + (size_t)k] = c->num[k];
	}
}

static const char *
list_name(const char *customer_id)
{
	return customer_id != NULL ? customer_id : "all customers";
}

#define NETWORK_ALIGN	"lllrrrr"

static size_t
network_cells(struct cells *c, const char *list,
    const struct report_network *e)
{
	c->p[0] = list;
	c->p[1] = network_name(e->network);
	c->p[2] = e->sending;
	window_cells(c, 3, e->complaints);
	count_text(c->num[3], e->attributed[RW_LONG]);
	c->p[6] = c->num[3];
	return 7;
}

/* The ESP's list (i 0), then each customer's. */
static const struct report_network_list *
network_list(const struct report_views *v, size_t i)
{
	return i == 0 ? &v->esp_networks : &v->networks[i - 1];
}

static void
networks_table(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "list", "network",
	    "sending network", "day", "7 days", "long", "attributed" };
	const struct report_views		*v = report_views_of(m);
	const struct report_network_list	*l;
	struct cells				 c;
	size_t					 i, j;

	html_para(b, "Complaints (abuse, fraud, virus, non-ARF; any "
	    "authenticity) by the network of their Source-IP: the /24 "
	    "(IPv4) or /48 (IPv6) it lies in when inside the sending "
	    "networks, with the sending-network of the configuration it "
	    "belongs to; outside: the sending networks do not hold it "
	    "(replays and forgeries); attributed: those a complaint rate "
	    "counts. No rate: volumes are known per token, not per "
	    "network.");
	html_table_begin(b, "Complaints by sending network (long window "
	    "for attributed)", head, 7, NETWORK_ALIGN);
	for (i = 0; i <= v->nnetworks; i++)
		for (l = network_list(v, i), j = 0; j < l->n; j++)
			html_table_row(b, c.p, network_cells(&c,
			    list_name(l->customer_id), &l->v[j]),
			    NETWORK_ALIGN);
	html_table_end(b);
	for (i = 0; i <= v->nnetworks; i++) {
		l = network_list(v, i);
		left_out_note(b, l->more, "networks",
		    list_name(l->customer_id), REPORT_NETWORKS_MAX);
	}
}

#define CAMPAIGN_ALIGN	"lllwrrrr"

static size_t
campaign_cells(struct cells *c, const char *list,
    const struct report_campaign *e)
{
	c->p[0] = list;
	c->p[1] = e->customer_id;
	c->p[2] = e->source;
	c->p[3] = e->campaign;
	window_cells(c, 4, e->complaints);
	rate_text(c->num[3], e->share);
	c->p[7] = c->num[3];
	return 8;
}

static void
campaigns_table(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "list", "customer", "source",
	    "campaign", "day", "7 days", "long", "share" };
	const struct report_views		*v = report_views_of(m);
	const struct report_campaign_list	*l;
	struct cells				 c;
	size_t					 i, j;

	html_para(b, "Attributed complaints by campaign: the Feedback-ID or "
	    "CFBL-Feedback-ID of the original, counted only when a "
	    "signature of the ESP token or of a customer covers it and "
	    "verified. Share: of the customer's "
	    "attributed complaints of the long window (all customers: of "
	    "all). No rate: volumes are not known per campaign.");
	html_table_begin(b, "Complaints by campaign", head, 8, CAMPAIGN_ALIGN);
	for (i = 0; i <= v->ncampaigns; i++) {
		l = i == 0 ? &v->esp_campaigns : &v->campaigns[i - 1];
		for (j = 0; j < l->n; j++)
			html_table_row(b, c.p, campaign_cells(&c,
			    list_name(l->customer_id), &l->v[j]),
			    CAMPAIGN_ALIGN);
	}
	html_table_end(b);
	for (i = 0; i <= v->ncampaigns; i++) {
		l = i == 0 ? &v->esp_campaigns : &v->campaigns[i - 1];
		left_out_note(b, l->more, "campaigns",
		    list_name(l->customer_id), REPORT_CAMPAIGNS_MAX);
	}
}

void
report_html_networks(struct buf *b, const struct report_model *m)
{
	networks_table(b, m);
	campaigns_table(b, m);
}

/*
 * The verified share per day, in per cent, of the first tokens of the
 * model's order (the ESP's, then the lowest share): a gap where a day had
 * no signature.
 */
static void
health_chart(struct buf *b, const struct report_model *m)
{
	static char			 lab[REPORT_MAX_DAYS][6];
	static const char		*xl[REPORT_MAX_DAYS];
	const struct report_views	*v = report_views_of(m);
	struct svg_series		 s[HEALTH_LINES];
	struct svg_chart		 c = { .title = "Verified share of "
	    "complaint signatures per day", .unit = "%",
	    .x_title = REPORT_HTML_DAY_AXIS, .y_title = "verified (pass)" };
	double				*pct;
	size_t				 nd, ns, i, d;

	nd = (size_t)m->len[RW_LONG];
	if (v->nhealth == 0 || nd == 0 || nd > REPORT_MAX_DAYS ||
	    !report_html_day_labels(m, lab, xl, nd))
		return;
	ns = v->nhealth < HEALTH_LINES ? v->nhealth : HEALTH_LINES;
	if ((pct = calloc(HEALTH_LINES * nd, sizeof(*pct))) == NULL) {
		b->oom = true;
		return;
	}
	for (i = 0; i < ns; i++) {
		for (d = 0; d < nd; d++)
			pct[i * nd + d] = v->health[i].day_share[d] < 0 ?
			    SVG_UNKNOWN : v->health[i].day_share[d] * 100;
		s[i] = (struct svg_series){ v->health[i].token, pct + i * nd,
		    nd };
	}
	svg_line_chart(b, &c, xl, nd, s, ns, NULL, 0);
	free(pct);
}

static void
health_row(struct buf *b, const struct report_model *m,
    const struct report_token_health *h)
{
	struct cells	 c;
	char		 day[11] = "";
	int		 k;

	c.p[0] = h->token;
	c.p[1] = h->role;
	c.p[2] = h->customer_id;
	count_text(c.num[0], h->signatures[RW_LONG]);
	c.p[3] = c.num[0];
	for (k = 0; k < RW_N; k++) {
		rate_text(c.num[1 + k], h->share[k]);
		c.p[4 + k] = c.num[1 + k];
	}
	c.num[4][0] = '\0';
	if (h->worst >= 0 &&
	    report_day_of(m, h->worst - (m->len[RW_LONG] - 1), day))
		rate_text(c.num[4], h->day_share[h->worst]);
	c.p[7] = day;
	c.p[8] = c.num[4];
	html_table_row(b, c.p, 9, "lllrrrrlr");
}

void
report_html_health(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "token", "role", "customer",
	    "signatures", "share day", "share 7 days", "share long",
	    "worst day", "worst share" };
	const struct report_views	*v = report_views_of(m);
	struct buf			 t = BUF_INIT;
	size_t				 i;

	html_para(b, "The complaint signatures of the ESP's and the "
	    "customers' tokens each day of the long window: the share that "
	    "verified (pass), the ESP's tokens first, then the tokens with "
	    "the lowest share. The chart draws the first of them; a gap is "
	    "a day without a signature.");
	health_chart(b, m);
	html_table_begin(b, "Token health (signatures: long window)", head,
	    9, "lllrrrrlr");
	for (i = 0; i < v->nhealth; i++)
		health_row(b, m, &v->health[i]);
	html_table_end(b);
	if (v->health_more > 0) {
		buf_printf(&t, "%zu more tokens left out: at most %d, the "
		    "ESP's and the lowest shares first.", v->health_more,
		    REPORT_HEALTH_MAX);
		html_note(b, buf_cstr(&t));
	}
	if (!buf_ok(&t))
		b->oom = true;
	buf_free(&t);
}
