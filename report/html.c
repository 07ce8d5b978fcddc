/* SPDX-License-Identifier: ISC */
/*
 * html: the report as one self-contained page for people (html_page.h),
 * with inline SVG charts (svg.h): a small chart of the complaint rate per
 * day for each alarmed and flagged customer (charts.h) against the flag
 * and alarm lines, complaints per day of the top customers, the
 * verification result mix, and complaints by ISP; then the tables of the
 * text report.  Nothing is fetched: no script, no URL.  Every figure a
 * chart shows is the model's, written as the tables write it.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "report/changes.h"
#include "report/charts.h"
#include "report/html.h"
#include "report/html_page.h"
#include "report/render.h"
#include "report/svg.h"

#define TOP_CUSTOMERS	6	/* lines in the complaints-per-day chart */
#define MAX_BARS	12	/* ISPs, result kinds */
#define CELL		48	/* bytes of a formatted number */

_Static_assert(TOP_CUSTOMERS <= MAX_BARS, "struct top holds MAX_BARS");

/* Text cells of one table row, formatted into fixed slots. */
struct row {
	char		 cell[12][CELL];
	const char	*p[12];
	size_t		 n;
};

static void
row_reset(struct row *r)
{
	r->n = 0;
}

static void
row_str(struct row *r, const char *s)
{
	if (r->n < 12)
		r->p[r->n++] = s;
}

/* A cell formatted into its slot. */
static void __attribute__((format(printf, 2, 3)))
row_printf(struct row *r, const char *fmt, ...)
{
	va_list	 ap;

	if (r->n >= 12)
		return;
	va_start(ap, fmt);
	vsnprintf(r->cell[r->n], CELL, fmt, ap);
	va_end(ap);
	r->p[r->n] = r->cell[r->n];
	r->n++;
}

static void
row_num(struct row *r, long long v)
{
	row_printf(r, "%lld", v);
}

static void
row_rate(struct row *r, double rate)
{
	struct buf	 b = BUF_INIT;

	report_put_rate(&b, rate);
	row_printf(r, "%s", buf_ok(&b) ? buf_cstr(&b) : "?");
	buf_free(&b);
}

/* The change of f's window, "-" when the period before is not known. */
static void
row_change(struct row *r, const struct report_fig *f)
{
	int64_t	 change;

	if (report_fig_change(f, &change))
		row_printf(r, "%+lld", (long long)change);
	else
		row_str(r, "-");
}

/* --- charts --- */

/* The indexes of the largest values seen, largest first (top_add). */
struct top {
	size_t	 idx[MAX_BARS];
	int64_t	 v[MAX_BARS];
	size_t	 n;
	size_t	 max;		/* at most MAX_BARS */
};

/* Index i of value v into t, when it is among the largest; ties: first. */
static void
top_add(struct top *t, size_t i, int64_t v)
{
	size_t	 j;

	for (j = t->n; j > 0 && t->v[j - 1] < v; j--)
		if (j < t->max) {
			t->idx[j] = t->idx[j - 1];
			t->v[j] = t->v[j - 1];
		}
	if (j < t->max) {
		t->idx[j] = i;
		t->v[j] = v;
		if (t->n < t->max)
			t->n++;
	}
}

/* Into t: the customers with the most complaints in the long window. */
static void
top_customers(const struct report_model *m, struct top *t)
{
	size_t	 i;

	for (i = 0; i < m->ncustomers; i++)
		top_add(t, i, m->customers[i].w[RW_LONG].complaints);
}

/* The x labels of the long window: "MM-DD" of each day. */
static bool
day_labels(const struct report_model *m, char (*lab)[6], const char **p,
    size_t n)
{
	char	 day[11];
	size_t	 i;

	for (i = 0; i < n; i++) {
		if (!date_day_add(m->p.day, (int)i - (int)(n - 1), day))
			return false;
		memcpy(lab[i], day + 5, 5);
		lab[i][5] = '\0';
		p[i] = lab[i];
	}
	return true;
}

/* For html_views.c (html.h). */
bool
report_html_day_labels(const struct report_model *m, char (*lab)[6],
    const char **p, size_t n)
{
	return day_labels(m, lab, p, n);
}

#define DAY_AXIS	REPORT_HTML_DAY_AXIS

/* Complaints per day of the customers with the most: an overview. */
static void
complaints_chart(struct buf *b, const struct report_model *m,
    const char *const *xl, size_t nd)
{
	struct svg_series	 s[TOP_CUSTOMERS];
	struct svg_chart	 c = { .title = "Complaints per day, top "
	    "customers", .x_title = DAY_AXIS, .y_title = "complaints" };
	struct top		 top = { .max = TOP_CUSTOMERS };
	double			*v;
	size_t			 i, k;

	top_customers(m, &top);
	if ((v = calloc(TOP_CUSTOMERS * nd, sizeof(*v))) == NULL) {
		b->oom = true;
		return;
	}
	for (i = 0; i < top.n; i++) {
		const struct report_customer *cu = &m->customers[top.idx[i]];

		for (k = 0; k < nd; k++)
			v[i * nd + k] = (double)cu->day_complaints[k];
		s[i] = (struct svg_series){ cu->id, v + i * nd, nd };
	}
	svg_line_chart(b, &c, xl, nd, s, top.n, NULL, 0);
	free(v);
}

/* "flag 0.100%": the threshold as the tables write rates. */
static void
threshold_label(struct buf *b, const char *name, double rate)
{
	buf_printf(b, "%s ", name);
	report_put_rate(b, rate);
}

/* What the small rate charts are, and who has one. */
static void
rate_charts_intro(struct buf *b, const struct report_model *m,
    const struct report_charted *ch)
{
	struct buf	 t = BUF_INIT;

	if (ch->problems > 0)
		buf_puts(&t, "Complaint rate per day of each alarmed and "
		    "flagged customer, in the order of the table below");
	else if (ch->n > 0)
		buf_printf(&t, "No customer is alarmed or flagged. The "
		    "complaint rate per day of the %zu with the most "
		    "complaints", ch->n);
	else
		buf_puts(&t, "No customer is alarmed or flagged, and none "
		    "had complaints on days with a known volume");
	if (ch->n > 0)
		buf_printf(&t, ", over the %d days from %s. A gap in a line "
		    "is a day without sending volume: its rate is not known. "
		    "Dashed lines: the flag and alarm rates", m->len[RW_LONG],
		    m->start[RW_LONG]);
	buf_putc(&t, '.');
	html_para(b, buf_cstr(&t));
	if (!buf_ok(&t))
		b->oom = true;
	buf_free(&t);
}

/*
 * One small chart of the complaint rate per day for each customer
 * report_charted_customers() chooses, the flag and alarm rates as lines.
 */
static void
rate_charts(struct buf *b, const struct report_model *m,
    const char *const *xl, size_t nd)
{
	struct report_charted	 ch;
	struct buf		 flag = BUF_INIT, alarm = BUF_INIT;
	struct buf		 title = BUF_INIT, more = BUF_INIT;
	struct svg_threshold	 t[2];
	struct svg_series	 s;
	struct svg_chart	 c = { .unit = "%", .x_title = DAY_AXIS,
	    .y_title = "complaint rate", .small = true };
	double			 pct[REPORT_MAX_DAYS];
	size_t			 i;

	report_charted_customers(m, &ch);
	rate_charts_intro(b, m, &ch);
	threshold_label(&flag, "flag", m->p.flag_rate);
	threshold_label(&alarm, "alarm", m->p.alarm_rate);
	t[0] = (struct svg_threshold){ buf_cstr(&flag), m->p.flag_rate * 100 };
	t[1] = (struct svg_threshold){ buf_cstr(&alarm),
	    m->p.alarm_rate * 100 };
	if (ch.n > 0)
		html_multiples_begin(b);
	for (i = 0; i < ch.n; i++) {
		const struct report_customer *cu = &m->customers[ch.idx[i]];

		report_chart_rates(cu, nd, pct);
		s = (struct svg_series){ cu->id, pct, nd };
		buf_reset(&title);
		buf_printf(&title, "%s (%s)", cu->id,
		    report_level_names[cu->level]);
		c.title = buf_cstr(&title);
		svg_line_chart(b, &c, xl, nd, &s, 1, t, 2);
	}
	if (ch.n > 0)
		html_multiples_end(b);
	if (ch.more > 0) {
		buf_printf(&more, "And %zu more alarmed or flagged customer%s, "
		    "not charted (at most %d charts): see the table below.",
		    ch.more, ch.more == 1 ? "" : "s", REPORT_CHARTS_MAX);
		html_note(b, buf_cstr(&more));
	}
	if (!buf_ok(&flag) || !buf_ok(&alarm) || !buf_ok(&title) ||
	    !buf_ok(&more))
		b->oom = true;
	buf_free(&flag);
	buf_free(&alarm);
	buf_free(&title);
	buf_free(&more);
}

/*
 * The rates of the customers to look at (when any volume is known: else
 * there are none), then the complaints per day of the top customers.
 */
static void
customer_charts(struct buf *b, const struct report_model *m)
{
	static char		 lab[REPORT_MAX_DAYS][6];
	static const char	*xl[REPORT_MAX_DAYS];
	size_t			 nd;

	nd = (size_t)m->len[RW_LONG];
	if (nd == 0 || nd > REPORT_MAX_DAYS || !day_labels(m, lab, xl, nd))
		return;
	if (m->volume_known)
		rate_charts(b, m, xl, nd);
	complaints_chart(b, m, xl, nd);
}

/*
 * The results of every complaint signature of the long window: the
 * model's classes (report_verif_class), each signature in one.
 */
static void
result_chart(struct buf *b, const struct report_model *m)
{
	struct svg_part	 p[VC_N];
	struct svg_chart c;
	size_t		 np = 0;
	int		 k;

	for (k = 0; k < VC_N; k++)
		if (m->verif_mix[k] > 0)
			p[np++] = (struct svg_part){ report_verif_class_names[k],
			    (double)m->verif_mix[k], (unsigned)k + 1 };
	c = (struct svg_chart){ .title = "Verification results of "
	    "complaint signatures (long window)" };
	svg_stacked_bar(b, &c, p, np);
}

/* Attributed complaints of the long window by ISP, most first. */
static void
isp_chart(struct buf *b, const struct report_model *m)
{
	const struct report_isp	*isp = m->esp.isps;
	struct svg_part		 p[MAX_BARS];
	struct svg_chart	 c;
	struct top		 top = { .max = MAX_BARS };
	size_t			 i;

	for (i = 0; i < m->esp.nisps; i++)
		top_add(&top, i, isp[i].w[RW_LONG].complaints);
	for (i = 0; i < top.n; i++)
		p[i] = (struct svg_part){ isp[top.idx[i]].reporter,
		    (double)isp[top.idx[i]].w[RW_LONG].complaints, 0 };
	c = (struct svg_chart){ .title = "Complaints by ISP (long window)" };
	svg_bar_chart(b, &c, p, top.n);
}

/* --- tables --- */

static void
heading(struct buf *b, const struct report_model *m)
{
	struct buf	 t = BUF_INIT;

	buf_printf(&t, "Report day %s (UTC days); windows: the day, %d days "
	    "from %s, %d days from %s, each against the period before. "
	    "Rates at or above %.1f %% are flagged, at or above %.1f %% "
	    "alarmed; an alarmed customer recovers after %d days below.",
	    m->p.day, m->len[RW_SHORT], m->start[RW_SHORT], m->len[RW_LONG],
	    m->start[RW_LONG], m->p.flag_rate * 100, m->p.alarm_rate * 100,
	    REPORT_RECOVERY_DAYS);
	html_para(b, buf_cstr(&t));
	if (!m->volume_known)
		html_note(b, "No sending volume is known for these days "
		    "(fblscope volume import): rates are not shown.");
	if (m->p.only != 0) {
		buf_reset(&t);
		buf_puts(&t, "Only the customers of these levels are shown "
		    "(--only ");
		report_only_names(m->p.only, &t);
		buf_printf(&t, "): %zu other%s not.", m->nhidden,
		    m->nhidden == 1 ? " is" : "s are");
		html_note(b, buf_cstr(&t));
	}
	buf_free(&t);
}

static void
customers_table(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "customer", "level", "day",
	    "rate", "7 days", "rate", "change", "long", "rate", "change",
	    "recovers in" };
	struct row	 r;
	size_t		 i;

	html_table_begin(b, "Customers, alarmed and flagged first", head, 11,
	    "llrrrrrrrrr");
	for (i = 0; i < m->ncustomers; i++) {
		const struct report_customer *c = &m->customers[i];

		row_reset(&r);
		row_str(&r, c->id);
		row_str(&r, report_level_names[c->level]);
		row_num(&r, c->w[RW_DAY].complaints);
		row_rate(&r, c->day_rate);
		row_num(&r, c->w[RW_SHORT].complaints);
		row_rate(&r, report_fig_rate(&c->w[RW_SHORT], false));
		row_change(&r, &c->w[RW_SHORT]);
		row_num(&r, c->w[RW_LONG].complaints);
		row_rate(&r, report_fig_rate(&c->w[RW_LONG], false));
		row_change(&r, &c->w[RW_LONG]);
		if (c->level == LEVEL_ALARMED)
			row_num(&r, c->recover_days);
		else
			row_str(&r, "");
		html_table_row(b, r.p, r.n, "llrrrrrrrrr");
	}
	html_table_end(b);
}

/*
 * Each customer's figures per ISP and its other feedback, folded: the
 * page's first screen stays the summary.  One table per customer, its id
 * in every row (the text report's per-ISP lines, with --detail).
 */
static void
customer_details(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "customer", "ISP", "day",
	    "rate", "7 days", "rate", "change", "long", "rate", "change" };
	const struct report_customer *c;
	struct buf	 s = BUF_INIT;
	struct row	 r;
	size_t		 i, k;
	int		 f;

	for (i = 0; i < m->ncustomers; i++) {
		c = &m->customers[i];
		buf_reset(&s);
		buf_printf(&s, "%s (%s): per ISP;", c->id,
		    report_level_names[c->level]);
		for (f = FC_OPT_OUT; f < FC_N; f++)
			buf_printf(&s, " %s %lld", report_class_names[f],
			    (long long)c->w[RW_LONG].cls[f]);
		html_details_begin(b, buf_cstr(&s));
		html_table_begin(b, NULL, head, 10, "llrrrrrrrr");
		for (k = 0; k < c->nisps; k++) {
			const struct report_fig *w = c->isps[k].w;

			row_reset(&r);
			row_str(&r, c->id);
			row_str(&r, c->isps[k].reporter);
			row_num(&r, w[RW_DAY].complaints);
			row_rate(&r, report_fig_rate(&w[RW_DAY], false));
			row_num(&r, w[RW_SHORT].complaints);
			row_rate(&r, report_fig_rate(&w[RW_SHORT], false));
			row_change(&r, &w[RW_SHORT]);
			row_num(&r, w[RW_LONG].complaints);
			row_rate(&r, report_fig_rate(&w[RW_LONG], false));
			row_change(&r, &w[RW_LONG]);
			html_table_row(b, r.p, r.n, "llrrrrrrrr");
		}
		html_table_end(b);
		html_details_end(b);
	}
	if (!buf_ok(&s))
		b->oom = true;
	buf_free(&s);
}

static void
esp_table(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "window", "complaints",
	    "carried the ESP token", "verified", "attributed", "rate" };
	struct row	 r;
	int		 w;

	html_table_begin(b, "The ESP token", head, 6, "lrrrrr");
	for (w = 0; w < RW_N; w++) {
		row_reset(&r);
		row_str(&r, report_window_names[w]);
		row_num(&r, m->esp.total[w]);
		row_num(&r, m->esp.carried[w]);
		row_num(&r, m->esp.verified[w]);
		row_num(&r, m->esp.w[w].complaints);
		row_rate(&r, report_fig_rate(&m->esp.w[w], false));
		html_table_row(b, r.p, r.n, "lrrrrr");
	}
	html_table_end(b);
}

static void
unattributed_table(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "window", "complaints",
	    "ESP token verified", "ESP token failed", "no ESP token" };
	const struct report_unattributed *u = &m->unattributed;
	struct row	 r;
	int		 w, k;

	html_table_begin(b, "Complaints that claim no customer (no customer "
	    "signature, From domain of no customer)", head, 5, "lrrrr");
	for (w = 0; w < RW_N; w++) {
		row_reset(&r);
		row_str(&r, report_window_names[w]);
		row_num(&r, u->complaints[w]);
		for (k = 0; k < UR_N; k++)
			row_num(&r, u->reason[k][w]);
		html_table_row(b, r.p, r.n, "lrrrr");
	}
	html_table_end(b);
}

static void
forgery_table(struct buf *b, const struct report_model *m)
{
	static const enum report_auth cols[] = { AU_FORGED, AU_REPLAYED,
	    AU_ROTATED, AU_REDACTED, AU_DAMAGED, AU_PENDING, AU_AUTHENTIC };
	const char	*head[8];
	struct row	 r;
	size_t		 i, k, nc = sizeof(cols) / sizeof(cols[0]);

	head[0] = "customer";
	for (k = 0; k < nc; k++)
		head[k + 1] = report_auth_names[cols[k]];
	html_table_begin(b, "Suspected forgery (forged, replayed) and the "
	    "rest, long window", head, nc + 1, "lrrrrrrr");
	for (i = 0; i < m->ncustomers; i++) {
		const struct report_customer *c = &m->customers[i];

		if (report_suspected(c->auth[RW_LONG]) == 0)
			continue;
		row_reset(&r);
		row_str(&r, c->id);
		for (k = 0; k < nc; k++)
			row_num(&r, c->auth[RW_LONG][cols[k]]);
		html_table_row(b, r.p, r.n, "lrrrrrrr");
	}
	html_table_end(b);
}

static void
verif_table(struct buf *b, const char *caption,
    const struct report_verif *v, size_t n)
{
	static const char *const head[] = { "token", "role", "signatures",
	    "verified", "headers only", "share", "the others",
	    "why they failed" };
	struct buf	 why = BUF_INIT, cause = BUF_INIT;
	struct row	 r;
	size_t		 i, j;

	html_table_begin(b, caption, head, 8, "llrrrrll");
	for (i = 0; i < n; i++) {
		buf_reset(&why);
		for (j = 0; j < v[i].nreasons && j < 4; j++)
			buf_printf(&why, "%s%s %s %lld", j ? ", " : "",
			    v[i].reasons[j].result, v[i].reasons[j].reason,
			    (long long)v[i].reasons[j].n);
		buf_reset(&cause);
		for (j = 0; j < v[i].ncauses && j < 4; j++) {
			buf_puts(&cause, j ? ", " : "");
			report_cause_label(&cause, &v[i].causes[j]);
			buf_printf(&cause, " %lld", (long long)v[i].causes[j].n);
		}
		row_reset(&r);
		row_str(&r, v[i].token);
		row_str(&r, v[i].role);
		row_num(&r, v[i].signatures);
		row_num(&r, v[i].verified);
		row_num(&r, v[i].headers_only);
		row_rate(&r, report_verif_share(&v[i]));
		row_str(&r, buf_cstr(&why));
		row_str(&r, buf_cstr(&cause));
		html_table_row(b, r.p, r.n, "llrrrrll");
	}
	html_table_end(b);
	if (!buf_ok(&why) || !buf_ok(&cause))
		b->oom = true;
	buf_free(&why);
	buf_free(&cause);
}

static void
keys_table(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "token", "selector", "algorithm",
	    "bits", "t=y", "signatures", "age (months)", "problems" };
	struct row	 r;
	char		 probs[64];
	size_t		 i;

	html_table_begin(b, "Key hygiene (long window)", head, 8, "lllrlrrl");
	for (i = 0; i < m->nkeys; i++) {
		const struct report_key *k = &m->keys[i];

		snprintf(probs, sizeof(probs), "%s%s%s%s",
		    k->past_rotation ? "past rotation " : "",
		    k->sha1 ? "rsa-sha1 " : "",
		    k->small_key ? "RSA under 2048 " : "",
		    k->source == KS_ARCHIVE ? "archived (not in DNS)" :
		    k->source == KS_NONE ? "no key found" : "");
		row_reset(&r);
		row_str(&r, k->token);
		row_str(&r, k->selector);
		row_str(&r, k->algorithm);
		if (k->key_bits < 0)	/* as the text report */
			row_str(&r, k->source == KS_NONE ? "none" : "?");
		else
			row_num(&r, k->key_bits);
		row_str(&r, k->testing ? "yes" : "");
		row_num(&r, k->signatures);
		if (k->age_months >= 0)
			row_num(&r, k->age_months);
		else
			row_str(&r, "");
		row_str(&r, probs);
		html_table_row(b, r.p, r.n, "lllrlrrl");
	}
	html_table_end(b);
}

static void
unknown_table(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "token", "role", "signatures",
	    "verified" };
	struct row	 r;
	size_t		 i;

	html_table_begin(b, "Tokens no customer rule maps", head, 4, "llrr");
	for (i = 0; i < m->nunknown; i++) {
		row_reset(&r);
		row_str(&r, m->unknown[i].token);
		row_str(&r, m->unknown[i].role);
		row_num(&r, m->unknown[i].signatures);
		row_num(&r, m->unknown[i].verified);
		html_table_row(b, r.p, r.n, "llrr");
	}
	html_table_end(b);
}

static void
dns_table(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "status", "domain", "check",
	    "subject", "server", "reason", "detail", "days open" };
	const struct report_dns_problem	*p;
	struct row			 r;
	size_t				 i, bad = 0;

	for (i = 0; i < m->ndns; i++)
		bad += strcmp(m->dns[i].status, "OK") != 0;
	buf_printf(b, "<p>%zu domain%s in the latest key audits, %zu with "
	    "problems.</p>\n", m->ndns, m->ndns == 1 ? "" : "s", bad);
	html_table_begin(b, "Open problems of the DNS and keys", head, 8,
	    "lllwwlwr");
	for (i = 0; i < m->ndns_problems; i++) {
		p = &m->dns_problems[i];
		row_reset(&r);
		row_str(&r, p->status);
		row_str(&r, p->domain);
		row_str(&r, p->check);
		row_str(&r, p->subject);
		row_str(&r, p->server);
		row_str(&r, p->reason);
		row_str(&r, p->detail);
		row_num(&r, p->days_open);
		html_table_row(b, r.p, r.n, "lllwwlwr");
	}
	html_table_end(b);
}

/* --- sections --- */

static void
customers_section(struct buf *b, const struct report_model *m)
{
	customer_charts(b, m);
	customers_table(b, m);
	customer_details(b, m);
}

static void
isps_section(struct buf *b, const struct report_model *m)
{
	isp_chart(b, m);
	esp_table(b, m);
	unattributed_table(b, m);
}

/* The complaint signatures by health group; the failure rate below. */
static void
health_table(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "health", "signatures",
	    "share" };
	struct row	 r;
	int64_t		 all = 0;
	int		 k;

	for (k = 0; k < RH_N; k++)
		all += m->health[k];
	html_table_begin(b, "Verification health of complaint signatures "
	    "(long window); real failure rate: real mismatches / signatures",
	    head, 3, "lrr");
	for (k = 0; k < RH_N; k++) {
		row_reset(&r);
		row_str(&r, report_health_labels[k]);
		row_num(&r, m->health[k]);
		row_rate(&r, report_rate(m->health[k], all, true));
		html_table_row(b, r.p, r.n, "lrr");
	}
	row_reset(&r);
	row_str(&r, "real failure rate");
	row_str(&r, "");
	row_rate(&r, report_health_failure_rate(m->health));
	html_table_row(b, r.p, r.n, "lrr");
	html_table_end(b);
}

static void
verification_section(struct buf *b, const struct report_model *m)
{
	result_chart(b, m);
	health_table(b, m);
	verif_table(b, "Complaint signatures per token (long window); share: "
	    "verified (pass) / signatures",
	    m->verif, m->nverif);
	verif_table(b, "Mail samples per token (long window)", m->samples,
	    m->nsamples);
}

static void
keys_section(struct buf *b, const struct report_model *m)
{
	keys_table(b, m);
	unknown_table(b, m);
}

/*
 * The first panel (report/changes.h): one row per change, most severe
 * first, coloured by severity; the sentence is the text report's.
 */
static void
changes_section(struct buf *b, const struct report_model *m)
{
	static const char *const head[] = { "severity", "what", "change" };
	static const char *const cls[SEV_N] = { "sev-alarm", "sev-warn",
	    NULL };
	struct buf	 t = BUF_INIT, cap = BUF_INIT;
	char		 before[11];
	size_t		 i;

	if (!report_day_of(m, -1, before))
		snprintf(before, sizeof(before), "?");
	buf_printf(&cap, "Against %s, the day before; most severe first",
	    before);
	if (m->nchanges == 0)
		html_para(b, "Nothing changed that calls for action.");
	else
		html_table_begin(b, buf_cstr(&cap), head, 3, "llw");
	for (i = 0; i < m->nchanges; i++) {
		const char *row[3];

		buf_reset(&t);
		report_change_text(&t, m, &m->changes[i]);
		row[0] = report_severity_names[m->changes[i].severity];
		row[1] = report_change_labels[m->changes[i].kind];
		row[2] = buf_cstr(&t);
		html_table_row_class(b, cls[m->changes[i].severity], row, 3,
		    "llw");
	}
	if (m->nchanges > 0)
		html_table_end(b);
	if (m->changes_left > 0) {
		buf_reset(&t);
		buf_printf(&t, "And %zu more.", m->changes_left);
		html_note(b, buf_cstr(&t));
	}
	if (!buf_ok(&t) || !buf_ok(&cap))
		b->oom = true;
	buf_free(&t);
	buf_free(&cap);
}

/* The page after its heading, in order. */
static const struct section {
	const char	*id;
	const char	*heading;
	void		(*write)(struct buf *, const struct report_model *);
} sections[] = {
	{ "changes", "What changed", changes_section },
	{ "customers", "Customers", customers_section },
	{ "isps", "ISPs and the ESP token", isps_section },
	{ "verification", "Verification health", verification_section },
	{ "forgery", "Suspected forgery", forgery_table },
	{ "keys", "Keys", keys_section },
	{ "dns", "DNS and keys", dns_table },
	{ "networks", "Sending networks and campaigns", report_html_networks },
	{ "health", "Token health over time", report_html_health },
};

bool
report_render_html(struct buf *b, const struct report_model *m)
{
	struct buf	 title = BUF_INIT;
	size_t		 i;

	buf_printf(&title, "fblscope report %s", m->p.day);
	html_page_begin(b, buf_cstr(&title));
	buf_free(&title);
	heading(b, m);
	for (i = 0; i < sizeof(sections) / sizeof(sections[0]); i++) {
		html_section_begin(b, sections[i].id, sections[i].heading);
		sections[i].write(b, m);
		html_section_end(b);
	}
	html_page_end(b);
	return report_render_end(b);
}
