/* SPDX-License-Identifier: ISC */
/*
 * test_report: the pure rules of the report (report/rules.h): rates, the
 * daily flag and alarm rules with the 7-day recovery, selector ages, day
 * arithmetic; and the text renderer's width on a made-up model.  Expected
 * values are worked out by hand; test_report_rules.c builds whole models.
 */
#include <stdlib.h>

#include "base/date.h"
#include "report/model.h"
#include "report/render.h"
#include "report/rules.h"
#include "tests/unit/unit.h"

static void
test_rates(void)
{
	struct report_fig	 f;

	CHECK_TRUE("rate/plain", report_rate(3, 1000, true) == 0.003);
	CHECK_TRUE("rate/unknown", report_rate(3, 1000, false) < 0);
	CHECK_TRUE("rate/zero-volume", report_rate(3, 0, true) < 0);
	CHECK_TRUE("rate/zero-complaints", report_rate(0, 10, true) == 0);
	memset(&f, 0, sizeof(f));
	f.rated = 2;
	f.volume = 1000;
	f.has_volume = true;
	CHECK_TRUE("rate/fig", report_fig_rate(&f, false) == 0.002);
	CHECK_TRUE("rate/fig-prev-unknown", report_fig_rate(&f, true) < 0);
}

static void
test_recovery(void)
{
	double	 r1[7] = { 0, 0, 0, 0, 0, 0, 0.004 };
	double	 r2[7] = { 0, 0, 0.003, 0, -1, 0.001, 0.002 };
	double	 r3[7] = { 0.01, 0, 0, 0, 0, 0, 0 };
	double	 r4[7] = { 0.002, 0.001, -1, -1, 0, 0.0029, 0.0001 };
	double	 r5[7] = { 0.003, 0.003, 0.003, 0.003, 0.003, 0.003, 0.003 };

	CHECK_INT("recovery/alarm-today", report_recovery_days(r1, 7, 0.003,
	    7), 7);
	/* at the alarm rate (>=) four days ago: four days below since */
	CHECK_INT("recovery/four-below", report_recovery_days(r2, 7, 0.003,
	    7), 3);
	CHECK_INT("recovery/six-below", report_recovery_days(r3, 7, 0.003,
	    7), 1);
	CHECK_INT("recovery/never", report_recovery_days(r4, 7, 0.003, 7), 0);
	CHECK_INT("recovery/every-day", report_recovery_days(r5, 7, 0.003,
	    7), 7);
	CHECK_INT("recovery/short-history", report_recovery_days(r1 + 5, 2,
	    0.003, 7), 7);
	CHECK_INT("level/alarmed", report_level_of(0, 3, 0.001),
	    LEVEL_ALARMED);
	CHECK_INT("level/flagged-at", report_level_of(0.001, 0, 0.001),
	    LEVEL_FLAGGED);
	CHECK_INT("level/below", report_level_of(0.000999, 0, 0.001),
	    LEVEL_OK);
	CHECK_INT("level/unknown", report_level_of(-1, 0, 0.001), LEVEL_OK);
	CHECK_STR("level/names", report_level_names[LEVEL_ALARMED], "alarmed");
}

static void
test_days(void)
{
	char	 d[11];

	CHECK_TRUE("day/back", date_day_add("2026-03-01", -1, d) &&
	    strcmp(d, "2026-02-28") == 0);
	CHECK_TRUE("day/leap", date_day_add("2024-03-01", -1, d) &&
	    strcmp(d, "2024-02-29") == 0);
	CHECK_TRUE("day/year", date_day_add("2026-12-31", 1, d) &&
	    strcmp(d, "2027-01-01") == 0);
	CHECK_TRUE("day/window", date_day_add("2026-11-21", -29, d) &&
	    strcmp(d, "2026-10-23") == 0);
	CHECK_TRUE("day/bad", !date_day_add("2026-1-01", 0, d));
	CHECK_TRUE("day/before-1970", !date_day_add("1970-01-01", -1, d));
	CHECK_INT("age/same-month", report_age_months(2026, 11, "2026-11-21"),
	    0);
	CHECK_INT("age/over-year", report_age_months(2025, 12, "2026-02-01"),
	    2);
	CHECK_INT("age/unknown", report_age_months(0, 0, "2026-02-01"), -1);
}

/* An empty model of report day 2026-11-21 with the default settings. */
static void
day_model(struct report_model *m)
{
	memset(m, 0, sizeof(*m));
	snprintf(m->p.day, sizeof(m->p.day), "2026-11-21");
	m->p.days = 30;
	m->p.timezone = "UTC";
	m->p.flag_rate = 0.001;
	m->p.alarm_rate = 0.003;
	m->len[RW_DAY] = 1;
	m->len[RW_SHORT] = 7;
	m->len[RW_LONG] = 30;
}

/*
 * One audited domain d of the report day with one problem p in m (d and p
 * zeroed by the caller); role and mode empty.
 */
static void
dns_problem_model(struct report_model *m, struct report_dns_domain *d,
    struct report_dns_problem *p, char *domain, char *customer, char *check,
    char *subject, char *server, char *status, char *reason, char *detail)
{
	static char	 empty[] = "";

	d->domain = domain;
	d->customer_id = customer;
	d->role = d->mode = empty;
	d->status = status;
	snprintf(d->as_of, sizeof(d->as_of), "2026-11-21");
	p->domain = domain;
	p->customer_id = customer;
	p->check = check;
	p->subject = subject;
	p->server = server;
	p->status = status;
	p->reason = reason;
	p->detail = detail;
	m->dns = d;
	m->ndns = 1;
	m->dns_problems = p;
	m->ndns_problems = 1;
}

static void
test_text_width(void)
{
	struct report_model	 m;
	struct report_customer	 c;
	struct report_isp	 isp;
	struct report_verif	 v;
	struct report_reason	 rr[12];
	struct buf		 out = BUF_INIT;
	const char		*p, *nl;
	size_t			 i, widest = 0;
	char			 id[] =
	    "a-customer-id-that-is-far-too-long-to-fit";
	char			 rep[] = "yahoo", res[] = "fail";
	char			 reason[] = "signature-mismatch-and-more";
	char			 tok[] = "token.example";

	memset(&c, 0, sizeof(c));
	memset(&isp, 0, sizeof(isp));
	memset(&v, 0, sizeof(v));
	day_model(&m);
	c.id = id;
	c.level = LEVEL_ALARMED;
	c.recover_days = 7;
	c.w[RW_LONG].complaints = 999999;
	c.w[RW_LONG].prev = -999999;
	c.w[RW_LONG].rated = 999999;
	c.w[RW_LONG].volume = 1;
	c.w[RW_LONG].has_volume = true;
	isp.reporter = rep;
	c.isps = &isp;
	c.nisps = 1;
	m.customers = &c;
	m.ncustomers = 1;
	for (i = 0; i < 12; i++) {
		rr[i].result = res;
		rr[i].reason = reason;
		rr[i].n = 123456;
	}
	v.token = tok;
	v.role = rep;
	v.customer_id = rep;
	v.reasons = rr;
	v.nreasons = 12;
	m.verif = &v;
	m.nverif = 1;
	CHECK_TRUE("text/renders", report_render_text(&out, &m));
	for (p = buf_cstr(&out); (nl = strchr(p, '\n')) != NULL; p = nl + 1)
		if ((size_t)(nl - p) > widest)
			widest = (size_t)(nl - p);
	CHECK_TRUE("text/width", widest <= REPORT_TEXT_WIDTH);
	if (widest > REPORT_TEXT_WIDTH)
		printf("# %s", buf_cstr(&out));
	CHECK_TRUE("text/alarmed", strstr(buf_cstr(&out), "ALARMED") != NULL);
	buf_reset(&out);
	CHECK_TRUE("csv/renders", report_render_csv(&out, &m) &&
	    strstr(buf_cstr(&out), "customer,a-customer-id-that-is-far-too-"
	    "long-to-fit,*,alarmed,7,long,999999") != NULL);
	buf_free(&out);
}

/*
 * Names from mail and DNS reach the outputs: a CSV cell that a spreadsheet
 * would run is neutralised with a leading apostrophe, and the text report
 * shows no control, C1 or bidi byte of a stored value.
 */
static void
test_hostile_names(void)
{
	struct report_model		 m;
	struct report_customer		 c;
	struct report_isp		 isp;
	struct report_dns_domain	 d;
	struct report_dns_problem	 p;
	struct buf			 out = BUF_INIT;
	const unsigned char		*s;
	size_t				 i, bad = 0;
	char	 id[] = "=cmd|' /C calc'!A0";
	char	 rep[] = "@SUM(1+1)*cmd";
	char	 dom[] = "+x.example", srv[] = "-2+3", st[] = "FAIL";
	char	 chk[] = "\tkey", sub[] = "\rsel";
	char	 reason[] = "unpublished\x1b[2J\x9b\xe2\x80\xae";
	char	 detail[] = "txt.exe\xe2\x80\xae\xc2\x9b\r\ninjected";

	memset(&c, 0, sizeof(c));
	memset(&isp, 0, sizeof(isp));
	memset(&d, 0, sizeof(d));
	memset(&p, 0, sizeof(p));
	day_model(&m);
	c.id = id;
	isp.reporter = rep;
	c.isps = &isp;
	c.nisps = 1;
	m.customers = &c;
	m.ncustomers = 1;
	dns_problem_model(&m, &d, &p, dom, id, chk, sub, srv, st, reason,
	    detail);

	CHECK_TRUE("names/csv-renders", report_render_csv(&out, &m));
	CHECK_TRUE("names/csv-customer", strstr(buf_cstr(&out),
	    "\ncustomer,\"'=cmd|' /C calc'!A0\",") != NULL);
	CHECK_TRUE("names/csv-domain", strstr(buf_cstr(&out),
	    ",\"'+x.example\",\"'=cmd|' /C calc'!A0\",\"'\tkey\","
	    "\"'\rsel\",\"'-2+3\",FAIL,") != NULL);
	CHECK_TRUE("names/csv-no-bare-formula", strstr(buf_cstr(&out),
	    ",=") == NULL && strstr(buf_cstr(&out), ",+") == NULL &&
	    strstr(buf_cstr(&out), ",@") == NULL);
	buf_reset(&out);

	CHECK_TRUE("names/text-renders", report_render_text(&out, &m));
	s = (const unsigned char *)buf_cstr(&out);
	for (i = 0; i < out.len; i++)
		if ((s[i] < 0x20 && s[i] != '\n') || s[i] >= 0x7f)
			bad++;
	CHECK_INT("names/text-no-controls", (long long)bad, 0);
	/* 3 bytes of U+202E, 2 of U+009B, CR, LF: seven '?' */
	CHECK_TRUE("names/text-reason", strstr(buf_cstr(&out),
	    "unpublished?[2J????, 0 days: txt.exe???????injected") != NULL);
	buf_free(&out);
}

/* A line of out holding needle, or NULL; copied into line. */
static const char *
line_with(const char *out, const char *needle, char *line, size_t len)
{
	const char	*p = strstr(out, needle), *a, *z;

	if (p == NULL)
		return NULL;
	for (a = p; a > out && a[-1] != '\n'; a--)
		;
	if ((z = strchr(p, '\n')) == NULL)
		z = p + strlen(p);
	snprintf(line, len, "%.*s", (int)(z - a), a);
	return line;
}

/*
 * A key of customer01.example with selector sel (a literal: the model
 * copies what it keeps), 13 signatures, last seen on the report day.
 */
static void
demo_key(struct report_key *k, const char *sel, enum report_key_source src,
    int bits)
{
	static char	 tok[] = "customer01.example", role[] = "customer";
	static char	 cid[] = "cust-01", alg[] = "rsa-sha256";

	memset(k, 0, sizeof(*k));
	k->token = tok;
	k->role = role;
	k->customer_id = cid;
	k->selector = (char *)sel;
	k->algorithm = alg;
	k->source = src;
	k->key_bits = bits;
	k->signatures = 13;
	k->age_months = -1;
	snprintf(k->last_day, sizeof(k->last_day), "2026-11-21");
}

/*
 * A selector whose key was found neither in DNS nor in the archive: -1 in
 * JSON and CSV (docs/report-json.md), "none" and the flag nokey where
 * people read it, never "-1".
 */
static void
test_key_not_found(void)
{
	struct report_model	 m;
	struct report_key	 k;
	struct buf		 out = BUF_INIT;
	char			 line[256];

	day_model(&m);
	demo_key(&k, "gone.myesp", KS_NONE, -1);
	m.keys = &k;
	m.nkeys = 1;
	CHECK_TRUE("nokey/text", report_render_text(&out, &m) &&
	    line_with(buf_cstr(&out), "gone.myesp", line, sizeof(line)));
	CHECK_STR("nokey/text-row", line, "customer01.example       "
	    "gone.myesp       rsa-sha256  none      13   ? 2026-11-21 nokey");
	buf_reset(&out);
	CHECK_TRUE("nokey/html", report_render_html(&out, &m) &&
	    strstr(buf_cstr(&out), "<td>rsa-sha256</td><td class=\"r\">"
	    "none</td>") != NULL && strstr(buf_cstr(&out), ">-1<") == NULL);
	buf_reset(&out);
	CHECK_TRUE("nokey/json", report_render_json(&out, &m) &&
	    strstr(buf_cstr(&out), "\"algorithm\":\"rsa-sha256\","
	    "\"key_source\":\"none\",\"key_bits\":-1,") != NULL);
	buf_reset(&out);
	CHECK_TRUE("nokey/csv", report_render_csv(&out, &m) &&
	    line_with(buf_cstr(&out), "gone.myesp", line, sizeof(line)));
	CHECK_STR("nokey/csv-row", line, "key,customer01.example,customer,"
	    "cust-01,gone.myesp,rsa-sha256,none,-1,no,13,,2026-11-21,,,no,no,"
	    "no");
	buf_free(&out);
}

/*
 * A selector DNS no longer serves whose key the archive holds (keys
 * import): the archive's size, flagged archived (and small: 1024 bits),
 * never nokey.
 */
static void
test_key_archived(void)
{
	struct report_model	 m;
	struct report_key	 k;
	struct buf		 out = BUF_INIT;
	char			 line[256];

	day_model(&m);
	m.p.rotation_months = 1;
	demo_key(&k, "sep2026.myesp", KS_ARCHIVE, 1024);
	k.sel_year = 2026;
	k.sel_month = 9;
	CHECK_TRUE("archived/add", report_model_key_add(&m, &k) &&
	    m.nkeys == 1 && m.keys[0].small_key && m.keys[0].age_months == 2);
	CHECK_TRUE("archived/text", report_render_text(&out, &m) &&
	    line_with(buf_cstr(&out), "sep2026.myesp", line, sizeof(line)));
	CHECK_STR("archived/text-row", line, "customer01.example       "
	    "sep2026.myesp    rsa-sha256  1024      13   2 2026-11-21 OLD "
	    "small archived");
	CHECK_INT("archived/text-width", strlen(line), REPORT_TEXT_WIDTH);
	buf_reset(&out);
	CHECK_TRUE("archived/html", report_render_html(&out, &m) &&
	    strstr(buf_cstr(&out), "past rotation RSA under 2048 archived "
	    "(not in DNS)") != NULL);
	buf_reset(&out);
	CHECK_TRUE("archived/json", report_render_json(&out, &m) &&
	    strstr(buf_cstr(&out), "\"key_source\":\"archive\","
	    "\"key_bits\":1024,") != NULL);
	buf_reset(&out);
	CHECK_TRUE("archived/csv", report_render_csv(&out, &m) &&
	    strstr(buf_cstr(&out), ",sep2026.myesp,rsa-sha256,archive,1024,"
	    "no,13,") != NULL);
	/* the size of a key archived before schema 13 is not known */
	m.keys[0].key_bits = -1;
	report_key_age(&m.keys[0], &m.p);
	buf_reset(&out);
	CHECK_TRUE("archived/no-size", report_render_text(&out, &m) &&
	    line_with(buf_cstr(&out), "sep2026.myesp", line, sizeof(line)));
	CHECK_STR("archived/no-size-row", line, "customer01.example       "
	    "sep2026.myesp    rsa-sha256     ?      13   2 2026-11-21 OLD "
	    "archived");
	report_model_free(&m);
	buf_free(&out);
}

/*
 * A DNS problem's detail goes on at word boundaries (indent 6, up to three
 * lines), and what does not fit ends in " ..." after a whole word: never
 * "the last arrived 2026".
 */
static void
test_dns_detail(void)
{
	struct report_model		 m;
	struct report_dns_domain	 d;
	struct report_dns_problem	 p;
	struct buf			 out = BUF_INIT;
	const char			*t, *nl;
	size_t				 widest = 0;
	char	 dom[] = "customer01.example", cid[] = "cust-01";
	char	 st[] = "WARN", chk[] = "signing", sub[] = "oct2026.myesp";
	char	 empty[] = "", reason[] = "still-signing";
	char	 detail[] = "41 signatures in complaints of the last 7 days, "
	    "the last arrived 2026-11-19; superseded by nov2026.myesp 12 "
	    "days ago";
	char	 longer[400];

	memset(&d, 0, sizeof(d));
	memset(&p, 0, sizeof(p));
	day_model(&m);
	dns_problem_model(&m, &d, &p, dom, cid, chk, sub, empty, st, reason,
	    detail);
	p.days_open = 3;
	CHECK_TRUE("dns-detail/renders", report_render_text(&out, &m));
	t = strstr(buf_cstr(&out), "      still-signing");
	CHECK_STR("dns-detail/wrapped", t, "      still-signing, 3 days: 41 "
	    "signatures in complaints of the last 7 days, the last arrived\n"
	    "      2026-11-19; superseded by nov2026.myesp 12 days ago\n");
	/* far too long: three lines, the last ending in " ..." */
	snprintf(longer, sizeof(longer), "%s %s %s", detail, detail, detail);
	p.detail = longer;
	buf_reset(&out);
	CHECK_TRUE("dns-detail/long-renders", report_render_text(&out, &m));
	t = strstr(buf_cstr(&out), "      still-signing");
	CHECK_STR("dns-detail/long", t, "      still-signing, 3 days: 41 "
	    "signatures in complaints of the last 7 days, the last arrived\n"
	    "      2026-11-19; superseded by nov2026.myesp 12 days ago 41 "
	    "signatures in complaints of the last 7\n      days, the last "
	    "arrived 2026-11-19; superseded by nov2026.myesp 12 days ago 41 "
	    "signatures ...\n");
	for (t = buf_cstr(&out); (nl = strchr(t, '\n')) != NULL; t = nl + 1)
		if ((size_t)(nl - t) > widest)
			widest = (size_t)(nl - t);
	CHECK_TRUE("dns-detail/width", widest <= REPORT_TEXT_WIDTH);
	buf_free(&out);
}

int
main(void)
{
	test_rates();
	test_recovery();
	test_days();
	test_text_width();
	test_hostile_names();
	test_key_not_found();
	test_key_archived();
	test_dns_detail();
	return UNIT_DONE();
}
