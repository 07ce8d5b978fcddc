/* SPDX-License-Identifier: ISC */
/*
 * text_views: the text report's views by sending network, by campaign and
 * of token health over time (views.h), after its other sections.  They are
 * a second look, so without --detail each shows its first VIEWS_BRIEF rows
 * only (the lists of all customers; the ESP's tokens, then the lowest
 * shares); with it, every row the model keeps, each customer's lists and
 * each token's days.
 */
#include <stdio.h>
#include <string.h>

#include "report/render.h"
#include "report/text.h"
#include "report/views.h"

#define NET_W		31	/* a network: "2001:db8:ffff::/48" fits */
#define SOURCE_W	11	/* "feedback-id" */
#define CAMPAIGN_W	34
#define TOKEN_W		30
#define VIEWS_BRIEF	3	/* rows of each without --detail */

/* Whether row shown (0-based) of a view is written. */
static bool
views_shows(const struct report_model *m, size_t shown)
{
	return m->p.detail || shown < VIEWS_BRIEF;
}

/* What a view left out: by --detail's absence, and by the model's cap. */
static void
views_more(struct buf *b, const struct report_model *m, size_t shown,
    size_t n, size_t capped, const char *what)
{
	size_t	 left = n - shown;

	if (left > 0 && !m->p.detail)
		buf_printf(b, "(%zu more %s, and each customer's: --detail)\n",
		    left + capped, what);
	else if (capped > 0)
		buf_printf(b, "(%zu more %s, fewer complaints)\n", capped,
		    what);
	else if (!m->p.detail)
		buf_puts(b, "(each customer's: --detail)\n");
}

static const char *
network_name(const char *network)
{
	return network[0] != '\0' ? network : "(not known)";
}

static void
counts(struct buf *b, const int64_t *v)
{
	int	 k;

	for (k = 0; k < RW_N; k++)
		report_text_count(b, (long long)v[k], false);
}

/*
 * A view's list of all customers (customer NULL), then with --detail each
 * shown customer's under its id: list writes one, with its "more" line.
 */
typedef void	(*list_fn)(struct buf *, const struct report_model *,
		    const char *customer);

static void
lists(struct buf *b, const struct report_model *m, list_fn list)
{
	size_t	 i;

	list(b, m, NULL);
	for (i = 0; m->p.detail && i < m->ncustomers; i++)
		list(b, m, m->customers[i].id);
}

/* The customer's id over its list; "(none)" for an empty list of all. */
static void
list_head(struct buf *b, const char *customer, size_t n)
{
	if (customer != NULL) {
		report_text_cut(b, customer, 80, false);
		buf_putc(b, '\n');
	} else if (n == 0)
		buf_puts(b, "  (none)\n");
}

static void
network_list(struct buf *b, const struct report_model *m,
    const char *customer)
{
	const struct report_network_list	*l;
	const struct report_network		*e;
	size_t					 i;

	l = customer == NULL ? &report_views_of(m)->esp_networks :
	    report_views_networks(m, customer);
	if (l == NULL)
		return;
	list_head(b, customer, l->n);
	for (i = 0; i < l->n && views_shows(m, i); i++) {
		e = &l->v[i];
		buf_puts(b, "  ");
		report_text_cut(b, network_name(e->network), NET_W, true);
		buf_putc(b, ' ');
		report_text_cut(b, e->sending[0] != '\0' ? e->sending : "-",
		    NET_W, true);
		counts(b, e->complaints);
		report_text_count(b, (long long)e->attributed[RW_LONG], false);
		buf_putc(b, '\n');
	}
	views_more(b, m, i, l->n, l->more, "networks");
}

static void
networks(struct buf *b, const struct report_model *m)
{
	char	 days[16];

	snprintf(days, sizeof(days), "%dd", m->len[RW_LONG]);
	buf_printf(b, "\nSENDING NETWORKS (%d days): complaints by the /24 or "
	    "/48 of their Source-IP in the sending\nnetworks, or outside "
	    "them; attr: of them in a rate.  No rate: volumes are per token\n"
	    "\n", m->len[RW_LONG]);
	buf_printf(b, "%-*s %-*s %6s %6s %6s %6s\n", NET_W + 2,
	    "network (all customers)", NET_W, "sending network", "day", "7d",
	    days, "attr");
	lists(b, m, network_list);
}

static void
campaign_list(struct buf *b, const struct report_model *m,
    const char *customer)
{
	const struct report_campaign_list	*l;
	const struct report_campaign		*e;
	size_t					 i;

	l = customer == NULL ? &report_views_of(m)->esp_campaigns :
	    report_views_campaigns(m, customer);
	if (l == NULL)
		return;
	list_head(b, customer, l->n);
	for (i = 0; i < l->n && views_shows(m, i); i++) {
		e = &l->v[i];
		report_text_cut(b, e->customer_id, 18, true);
		buf_putc(b, ' ');
		report_text_cut(b, e->source, SOURCE_W, true);
		buf_putc(b, ' ');
		report_text_cut(b, e->campaign, CAMPAIGN_W, true);
		counts(b, e->complaints);
		report_text_rate(b, e->share, 9);
		buf_putc(b, '\n');
	}
	views_more(b, m, i, l->n, l->more, "campaigns");
}

static void
campaigns(struct buf *b, const struct report_model *m)
{
	char	 days[16];

	snprintf(days, sizeof(days), "%dd", m->len[RW_LONG]);
	buf_printf(b, "\nCAMPAIGNS (%d days): attributed complaints by the "
	    "Feedback-ID or CFBL-Feedback-ID a verified\nsignature covers; "
	    "share: of the customer's (all customers': of all).  No rate: "
	    "no volumes\n\n", m->len[RW_LONG]);
	buf_printf(b, "%-18s %-*s %-*s %6s %6s %6s %8s\n", "customer",
	    SOURCE_W, "source", CAMPAIGN_W, "campaign (all customers)", "day",
	    "7d", days, "share");
	lists(b, m, campaign_list);
}

/* "11-21 60.000% of 10" for each day of h with signatures. */
static void
health_days(struct buf *b, const struct report_model *m,
    const struct report_token_health *h)
{
	struct text_list	 l = { 6, true };
	struct buf		 it = BUF_INIT;
	char			 day[11];
	int			 d;

	buf_puts(b, "      ");
	for (d = 0; d < m->len[RW_LONG]; d++) {
		if (h->day_signatures[d] == 0 ||
		    !report_day_of(m, d - (m->len[RW_LONG] - 1), day))
			continue;
		buf_reset(&it);
		buf_printf(&it, "%s ", day + 5);
		report_put_rate(&it, h->day_share[d]);
		buf_printf(&it, " of %lld", (long long)h->day_signatures[d]);
		report_text_item(b, &l, buf_cstr(&it));
	}
	buf_putc(b, '\n');
	if (!buf_ok(&it))
		b->oom = true;
	buf_free(&it);
}

static void
health_row(struct buf *b, const struct report_model *m,
    const struct report_token_health *h)
{
	char	 day[11];
	int	 k;

	report_text_cut(b, h->token, TOKEN_W, true);
	buf_putc(b, ' ');
	report_text_cut(b, h->role, 8, true);
	report_text_count(b, (long long)h->signatures[RW_LONG], false);
	for (k = 0; k < RW_N; k++)
		report_text_rate(b, h->share[k], 9);
	if (h->worst >= 0 &&
	    report_day_of(m, h->worst - (m->len[RW_LONG] - 1), day)) {
		buf_printf(b, " %s", day + 5);
		report_text_rate(b, h->day_share[h->worst], 9);
	}
	buf_putc(b, '\n');
	if (m->p.detail)
		health_days(b, m, h);
}

static void
health(struct buf *b, const struct report_model *m)
{
	const struct report_views	*v = report_views_of(m);
	size_t				 i;

	buf_printf(b, "\nTOKEN HEALTH (%d days): complaint signatures of the "
	    "ESP and customer tokens, share verified\n(pass) per window and "
	    "the day of the lowest; the ESP's first, then the lowest share\n"
	    "\n", m->len[RW_LONG]);
	buf_printf(b, "%-*s %-8s %6s %8s %8s %8s %s\n", TOKEN_W, "token",
	    "role", "sigs", "day", "7d", "long", "worst day");
	if (v->nhealth == 0)
		buf_puts(b, "(none)\n");
	for (i = 0; i < v->nhealth && views_shows(m, i); i++)
		health_row(b, m, &v->health[i]);
	if (i < v->nhealth)
		buf_printf(b, "(%zu more tokens, and each token's days: "
		    "--detail)\n", v->nhealth - i);
	if (v->health_more > 0)
		buf_printf(b, "(%zu more tokens past the %d kept)\n",
		    v->health_more, REPORT_HEALTH_MAX);
}

void
report_text_views(struct buf *b, const struct report_model *m)
{
	networks(b, m);
	campaigns(b, m);
	health(b, m);
}
