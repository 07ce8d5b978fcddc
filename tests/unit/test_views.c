/* SPDX-License-Identifier: ISC */
/*
 * test_views: the report's views by sending network, by campaign and of
 * token health over time (report/views.h), from hand-made rows: each list
 * keeps at most its cap however many rows come (more than the cap are
 * fed), counts what it left out, orders its entries, sums the windows and
 * the daily series, and goes with a customer --only leaves out; and the
 * four renderers on names from mail.  A network's or a campaign's row is
 * made of one day's counts (report_window_add); a second row of the same
 * adds to it.  Expected values are worked out by hand in the comments.
 */
#include <stdlib.h>

#include "report/model.h"
#include "report/render.h"
#include "report/rules.h"
#include "report/views.h"
#include "tests/unit/unit.h"

/* A model of 2026-11-21, 30 days, and its customers (volume 1000/day). */
static bool
begin(struct report_model *m, unsigned only, const char *const *ids,
    const int64_t *complaints, size_t n)
{
	struct report_params	 p;
	struct report_day_row	 d;
	struct buf		 err = BUF_INIT;
	size_t			 i;
	bool			 ok;

	memset(&p, 0, sizeof(p));
	snprintf(p.day, sizeof(p.day), "2026-11-21");
	p.days = 30;
	p.flag_rate = 0.001;
	p.alarm_rate = 0.003;
	p.timezone = "UTC";
	p.only = only;
	ok = report_model_begin(m, &p, &err);
	buf_free(&err);
	for (i = 0; ok && i < n; i++) {
		memset(&d, 0, sizeof(d));
		d.reporter = "*";
		d.off = -3;
		d.cls[FC_COMPLAINT] = complaints[i];
		d.has_volume = true;
		d.volume = 1000;
		ok = report_model_customer_day(m, ids[i], &d);
	}
	return ok;
}

/* A network's row of complaints of day off (its counts per window). */
static bool
network(struct report_model *m, const char *customer, const char *net,
    size_t total, int off, int64_t complaints, int64_t attributed)
{
	struct report_network_row	 r;

	memset(&r, 0, sizeof(r));
	r.customer_id = customer;
	r.network = net;
	r.sending = "192.0.2.0/23";
	r.total = total;
	report_window_add(m, r.complaints, off, complaints);
	report_window_add(m, r.attributed, off, attributed);
	return report_views_network_row(m, &r);
}

/*
 * 15 networks of the ESP's list, with 1 to 15 complaints on day -10
 * (the long window only) and the 15th on the report day too: ten kept,
 * five left out, most first.
 */
static void
test_network_cap(void)
{
	static const char *const ids[] = { "cust-a" };
	static const int64_t	 n[] = { 1 };
	struct report_model	 m;
	const struct report_views *v;
	char			 net[32];
	bool			 ok;
	int			 i;

	ok = begin(&m, 0, ids, n, 1);
	for (i = 1; ok && i <= REPORT_NETWORKS_MAX + 5; i++) {
		snprintf(net, sizeof(net), "10.0.%d.0/24", i);
		ok = network(&m, NULL, net, REPORT_NETWORKS_MAX + 5, -10, i, 1);
	}
	ok = ok && network(&m, NULL, "10.0.15.0/24", 15, 0, 4, 4);
	/* cust-a: two networks of 3, one of them twice: 3 + 2 */
	ok = ok && network(&m, "cust-a", "outside", 2, -1, 3, 0) &&
	    network(&m, "cust-a", "192.0.2.0/24", 2, 0, 2, 2) &&
	    network(&m, "cust-a", "192.0.2.0/24", 2, -6, 3, 3);
	/* a customer the model does not show: its list goes */
	ok = ok && network(&m, "cust-z", "outside", 1, 0, 9, 0);
	CHECK_TRUE("views/network-rows", ok);
	report_model_finish(&m);
	v = report_views_of(&m);
	CHECK_INT("views/network-cap", v->esp_networks.n, REPORT_NETWORKS_MAX);
	CHECK_INT("views/network-left-out", v->esp_networks.more, 5);
	/* 1 to 10 came first: kept; the 15th (4 + 15 = 19) came after */
	CHECK_STR("views/network-most-first", v->esp_networks.v[0].network,
	    "10.0.10.0/24");
	CHECK_INT("views/network-long",
	    v->esp_networks.v[0].complaints[RW_LONG], 10);
	CHECK_INT("views/network-day",
	    v->esp_networks.v[0].complaints[RW_DAY], 0);
	CHECK_STR("views/network-sending", v->esp_networks.v[0].sending,
	    "192.0.2.0/23");
	CHECK_INT("views/network-customers", v->nnetworks, 1);
	CHECK_STR("views/network-list-of", v->networks[0].customer_id,
	    "cust-a");
	/* 192.0.2.0/24: 2 on the day, 3 six days back: day 2, 7d 5, 30d 5 */
	CHECK_STR("views/network-sorted", v->networks[0].v[0].network,
	    "192.0.2.0/24");
	CHECK_INT("views/network-sum-day",
	    v->networks[0].v[0].complaints[RW_DAY], 2);
	CHECK_INT("views/network-sum-short",
	    v->networks[0].v[0].complaints[RW_SHORT], 5);
	CHECK_INT("views/network-attributed",
	    v->networks[0].v[1].attributed[RW_LONG], 0);
	CHECK_TRUE("views/network-lookup",
	    report_views_networks(&m, "cust-a") == &v->networks[0] &&
	    report_views_networks(&m, "cust-z") == NULL);
	report_model_free(&m);
}

static bool
campaign(struct report_model *m, const char *list, const char *owner,
    const char *id, size_t total, int off, int64_t n)
{
	struct report_campaign_row	 r;

	memset(&r, 0, sizeof(r));
	r.customer_id = list;
	r.owner = owner;
	r.source = "feedback-id";
	r.campaign = id;
	r.total = total;
	report_window_add(m, r.complaints, off, n);
	return report_views_campaign_row(m, &r);
}

/*
 * 12 campaigns of cust-a (40 attributed complaints in the window), 1 to 12
 * complaints each: ten kept, two out; shares over the customer's 40.  An
 * --only that leaves cust-b out takes its list away.
 */
static void
test_campaign_cap(void)
{
	static const char *const ids[] = { "cust-a", "cust-b" };
	static const int64_t	 n[] = { 40, 0 };
	struct report_model	 m;
	const struct report_views *v;
	char			 id[32];
	bool			 ok;
	int			 i;

	ok = begin(&m, 1u << LEVEL_ALARMED, ids, n, 2);
	for (i = 1; ok && i <= REPORT_CAMPAIGNS_MAX + 2; i++) {
		snprintf(id, sizeof(id), "c%02d", i);
		ok = campaign(&m, "cust-a", "cust-a", id, 12, -2, i);
	}
	ok = ok && campaign(&m, "cust-b", "cust-b", "x", 1, 0, 1) &&
	    campaign(&m, NULL, "cust-b", "x", 2, 0, 1) &&
	    campaign(&m, NULL, "cust-a", "c01", 2, 0, 6);
	CHECK_TRUE("views/campaign-rows", ok);
	report_model_finish(&m);
	v = report_views_of(&m);
	/* cust-a: 40 in 1000 a day is 4 %: alarmed; cust-b: ok, not shown */
	CHECK_INT("views/campaign-only", m.ncustomers, 1);
	CHECK_INT("views/campaign-lists", v->ncampaigns, 1);
	CHECK_INT("views/campaign-cap", v->campaigns[0].n,
	    REPORT_CAMPAIGNS_MAX);
	CHECK_INT("views/campaign-left-out", v->campaigns[0].more, 2);
	CHECK_STR("views/campaign-most-first", v->campaigns[0].v[0].campaign,
	    "c10");
	/* 10 of the customer's 40 */
	CHECK_TRUE("views/campaign-share", v->campaigns[0].v[0].share == 0.25);
	/* the ESP's list keeps every customer's: c01 of cust-a (6), x */
	CHECK_INT("views/campaign-esp", v->esp_campaigns.n, 2);
	CHECK_STR("views/campaign-esp-owner", v->esp_campaigns.v[0].customer_id,
	    "cust-a");
	/* no attributed complaint of the ESP token: no share */
	CHECK_TRUE("views/campaign-esp-share", v->esp_campaigns.v[0].share < 0);
	report_model_free(&m);
}

static bool
health(struct report_model *m, const char *token, const char *role,
    size_t total, int off, int64_t sigs, int64_t verified)
{
	struct report_health_row	 r = { token, role, role[0] == 'e' ?
	    "" : "cust-a", total, off, sigs, verified };

	return report_views_health_row(m, &r);
}

/*
 * REPORT_HEALTH_MAX + 3 tokens: the cap kept, three left out; the ESP's
 * token first whatever its share, then the lowest share.
 */
static void
test_health_cap(void)
{
	static const char *const ids[] = { "cust-a" };
	static const int64_t	 n[] = { 1 };
	struct report_model	 m;
	const struct report_views *v;
	const struct report_token_health *e;
	char			 tok[32];
	bool			 ok;
	int			 i;

	ok = begin(&m, 0, ids, n, 1);
	/* the ESP: 10 of 10 on the day, 1 of 4 two days back */
	ok = ok && health(&m, "esp.example", "esp", REPORT_HEALTH_MAX + 3, 0,
	    10, 10) && health(&m, "esp.example", "esp",
	    REPORT_HEALTH_MAX + 3, -2, 4, 1);
	for (i = 0; ok && i < REPORT_HEALTH_MAX + 2; i++) {
		snprintf(tok, sizeof(tok), "t%02d.example", i);
		/* t00: 0 of 5, the lowest; the others 5 of 5 */
		ok = health(&m, tok, "customer", REPORT_HEALTH_MAX + 3, -1, 5,
		    i == 0 ? 0 : 5);
	}
	CHECK_TRUE("views/health-rows", ok);
	report_model_finish(&m);
	v = report_views_of(&m);
	CHECK_INT("views/health-cap", v->nhealth, REPORT_HEALTH_MAX);
	CHECK_INT("views/health-left-out", v->health_more, 3);
	e = &v->health[0];
	CHECK_STR("views/health-esp-first", e->token, "esp.example");
	/* 11 of 14 over the long window; the day 100 %, 11-19 25 % */
	CHECK_INT("views/health-signatures", e->signatures[RW_LONG], 14);
	CHECK_TRUE("views/health-share", e->share[RW_DAY] == 1 &&
	    e->share[RW_LONG] == 11.0 / 14);
	CHECK_INT("views/health-worst", e->worst, 27);
	CHECK_TRUE("views/health-day-share", e->day_share[27] == 0.25 &&
	    e->day_share[28] < 0 && e->day_signatures[29] == 10);
	CHECK_STR("views/health-lowest-next", v->health[1].token,
	    "t00.example");
	report_model_free(&m);
}

/*
 * Names from mail in every format: a campaign id that a spreadsheet would
 * run gets its apostrophe, a control byte never reaches the text, which
 * keeps to its width, and the JSON keys are there.
 */
static void
test_render(void)
{
	static const char *const ids[] = { "cust-a" };
	static const int64_t	 n[] = { 5 };
	static const char	 evil[] = "=HYPERLINK(\"x\")\x1b[2J-and-a-"
	    "very-long-campaign-id-that-goes-on-and-on";
	struct report_model	 m;
	struct buf		 out = BUF_INIT;
	const char		*p, *nl;
	size_t			 widest = 0;
	bool			 ok;

	ok = begin(&m, 0, ids, n, 1) &&
	    campaign(&m, "cust-a", "cust-a", evil, 1, 0, 5) &&
	    campaign(&m, NULL, "cust-a", evil, 1, 0, 5) &&
	    network(&m, NULL, "2001:db8:ffff:ffff::/48", 1, 0, 5, 5) &&
	    health(&m, "a-token-far-too-long-for-its-column.example",
	    "customer", 1, 0, 3, 2);
	CHECK_TRUE("views/render-rows", ok);
	report_model_finish(&m);
	m.p.detail = true;
	CHECK_TRUE("views/render-text", report_render_text(&out, &m));
	for (p = buf_cstr(&out); (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if ((size_t)(nl - p) > widest)
			widest = (size_t)(nl - p);
	CHECK_TRUE("views/render-text-width", widest <= REPORT_TEXT_WIDTH);
	CHECK_TRUE("views/render-text-no-escape",
	    strchr(buf_cstr(&out), '\x1b') == NULL &&
	    strstr(buf_cstr(&out), "=HYPERLINK(\"x\")?[2J") != NULL);
	buf_reset(&out);
	CHECK_TRUE("views/render-csv", report_render_csv(&out, &m) &&
	    strstr(buf_cstr(&out), "campaign,cust-a,cust-a,feedback-id,"
	    "\"'=HYPERLINK(\"\"x\"\")") != NULL);
	buf_reset(&out);
	CHECK_TRUE("views/render-json", report_render_json(&out, &m) &&
	    strstr(buf_cstr(&out), "\"sending_networks\":{\"all\":"
	    "{\"networks\":[{\"network\":\"2001:db8:ffff:ffff::/48\"") !=
	    NULL && strstr(buf_cstr(&out), "\"token_health\":{\"tokens\":[") !=
	    NULL);
	buf_reset(&out);
	CHECK_TRUE("views/render-html", report_render_html(&out, &m) &&
	    strstr(buf_cstr(&out), "=HYPERLINK(&quot;x&quot;)") != NULL &&
	    strchr(buf_cstr(&out), '\x1b') == NULL);
	buf_free(&out);
	report_model_free(&m);
}

int
main(void)
{
	test_network_cap();
	test_campaign_cap();
	test_health_cap();
	test_render();
	return UNIT_DONE();
}
