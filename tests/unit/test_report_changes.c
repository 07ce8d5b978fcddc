/* SPDX-License-Identifier: ISC */
/*
 * test_report_changes: the report's first panel (report/changes.h) from
 * model rows: each rule at its threshold and just below it, the order by
 * severity, the sentence, and the cap.  Report day 2026-11-21, flag 0.1 %,
 * alarm 0.3 %.
 */
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "report/changes.h"
#include "report/model.h"

static bool
begin(struct report_model *m)
{
	struct report_params	 p;
	struct buf		 err = BUF_INIT;
	bool			 ok;

	memset(&p, 0, sizeof(p));
	snprintf(p.day, sizeof(p.day), "2026-11-21");
	p.days = 30;
	p.flag_rate = 0.001;
	p.alarm_rate = 0.003;
	p.rotation_months = 3;
	p.timezone = "UTC";
	p.silent_days = 3;
	ok = report_model_begin(m, &p, &err);
	buf_free(&err);
	return ok;
}

/* Customer id's complaints n on day off of volume vol (all reporters). */
static bool
add(struct report_model *m, const char *id, int off, int64_t n, int64_t vol)
{
	struct report_day_row	 d;

	memset(&d, 0, sizeof(d));
	d.reporter = "*";
	d.off = off;
	d.cls[FC_COMPLAINT] = n;
	d.has_volume = true;
	d.volume = vol;
	return report_model_customer_day(m, id, &d);
}

/* A customer with a volume of 1000 on each of the 8 last days. */
static bool
quiet(struct report_model *m, const char *id)
{
	int	 off;

	for (off = -7; off <= 0; off++)
		if (!add(m, id, off, 0, 1000))
			return false;
	return true;
}

/* The ESP token's complaints of reporter on day off. */
static bool
esp(struct report_model *m, const char *reporter, int off, int64_t total)
{
	struct report_day_row	 d;

	memset(&d, 0, sizeof(d));
	d.reporter = reporter;
	d.off = off;
	d.total = total;
	return report_model_esp_day(m, &d);
}

static const struct report_change *
find(const struct report_model *m, enum report_change_kind k,
    const char *subject)
{
	size_t	 i;

	for (i = 0; i < m->nchanges; i++)
		if (m->changes[i].kind == k &&
		    strcmp(m->changes[i].subject, subject) == 0)
			return &m->changes[i];
	return NULL;
}

static void
test_customers(void)
{
	struct report_model	 m;
	bool			 ok;

	ok = begin(&m) &&
	    /* a: 3/1000 today, nothing before: newly alarmed */
	    add(&m, "a", -1, 0, 1000) && add(&m, "a", 0, 3, 1000) &&
	    /* f: 1/1000 today, 0 the day before: newly flagged */
	    add(&m, "f", -1, 0, 1000) && add(&m, "f", 0, 1, 1000) &&
	    /* r: alarmed 7 days ago only: alarmed yesterday, not today */
	    add(&m, "r", -7, 5, 1000) && add(&m, "r", -1, 0, 1000) &&
	    add(&m, "r", 0, 0, 1000) &&
	    /* s: alarmed 2 days ago: alarmed both days, no change */
	    add(&m, "s", -2, 5, 1000) && add(&m, "s", 0, 0, 1000) &&
	    quiet(&m, "x") && quiet(&m, "y") && quiet(&m, "z");
	CHECK_TRUE("changes/customers-added", ok);
	/* forgery spikes: x 3 today, 7 in the week (mean 1): 3 >= 3 x 1 */
	report_model_auth_day(&m, "x", AU_FORGED, 0, 3);
	report_model_auth_day(&m, "x", AU_FORGED, -3, 7);
	/* y: 3 today, 8 in the week: below three times the mean */
	report_model_auth_day(&m, "y", AU_REPLAYED, 0, 3);
	report_model_auth_day(&m, "y", AU_FORGED, -7, 8);
	/* z: 2 today, none before: under the minimum of 3 */
	report_model_auth_day(&m, "z", AU_FORGED, 0, 2);
	report_model_finish(&m);
	CHECK_TRUE("changes/a-alarmed", find(&m, RC_ALARMED, "a") != NULL);
	CHECK_TRUE("changes/f-flagged", find(&m, RC_FLAGGED, "f") != NULL);
	CHECK_TRUE("changes/r-recovered", find(&m, RC_RECOVERED, "r") !=
	    NULL);
	CHECK_TRUE("changes/s-steady", find(&m, RC_ALARMED, "s") == NULL &&
	    find(&m, RC_RECOVERED, "s") == NULL);
	CHECK_TRUE("changes/x-spike", find(&m, RC_FORGERY_SPIKE, "x") !=
	    NULL && find(&m, RC_FORGERY_SPIKE, "x")->count == 3 &&
	    find(&m, RC_FORGERY_SPIKE, "x")->before == 7);
	CHECK_TRUE("changes/y-no-spike", find(&m, RC_FORGERY_SPIKE, "y") ==
	    NULL);
	CHECK_TRUE("changes/z-no-spike", find(&m, RC_FORGERY_SPIKE, "z") ==
	    NULL);
	CHECK_INT("changes/customers-count", m.nchanges, 4);
	/* most severe first: the alarms, then warn, then info */
	CHECK_TRUE("changes/order", m.nchanges == 4 &&
	    m.changes[0].kind == RC_ALARMED &&
	    m.changes[1].kind == RC_FORGERY_SPIKE &&
	    m.changes[2].kind == RC_FLAGGED &&
	    m.changes[3].kind == RC_RECOVERED);
	report_model_free(&m);
}

static void
test_isps_days(void)
{
	struct report_model	 m;
	const struct report_change *c;
	struct buf		 t = BUF_INIT;
	bool			 ok;

	ok = begin(&m) &&
	    /* aol: 7 complaints 5 days ago, none in the last 3: silent */
	    esp(&m, "aol", -5, 7) && esp(&m, "aol", 0, 0) &&
	    /* gmx: 6 before: too few to say */
	    esp(&m, "gmx", -5, 6) &&
	    /* cox: one yesterday: not silent */
	    esp(&m, "cox", -9, 20) && esp(&m, "cox", -1, 1) &&
	    /* yahoo: its 7 are 17 days ago, before the 14 days looked at */
	    esp(&m, "yahoo", -17, 7);
	CHECK_TRUE("changes/esp-added", ok);
	report_model_data_end(&m, "2026-11-22");
	report_model_finish(&m);
	c = find(&m, RC_ISP_SILENT, "aol");
	CHECK_TRUE("changes/aol-silent", c != NULL && c->days == 3 &&
	    c->before == 7);
	CHECK_TRUE("changes/gmx-too-few", find(&m, RC_ISP_SILENT, "gmx") ==
	    NULL);
	CHECK_TRUE("changes/cox-not-silent", find(&m, RC_ISP_SILENT, "cox") ==
	    NULL);
	CHECK_TRUE("changes/yahoo-too-old", find(&m, RC_ISP_SILENT, "yahoo") ==
	    NULL);
	/* stored up to the 22nd: the 20th and 21st may still grow */
	CHECK_TRUE("changes/incomplete-20", find(&m, RC_INCOMPLETE,
	    "2026-11-20") != NULL);
	CHECK_TRUE("changes/incomplete-21", find(&m, RC_INCOMPLETE,
	    "2026-11-21") != NULL);
	CHECK_TRUE("changes/complete-19", find(&m, RC_INCOMPLETE,
	    "2026-11-19") == NULL);
	CHECK_INT("changes/isps-days-count", m.nchanges, 3);
	if (c != NULL) {
		report_change_text(&t, &m, c);
		CHECK_STR("changes/silent-text", buf_cstr(&t),
		    "aol: no complaints for 3 days (7 in the 14 days before)");
	}
	buf_free(&t);
	report_model_free(&m);
}

static void
test_dns_and_cap(void)
{
	struct report_model	 m;
	struct report_dns_problem p;
	const struct report_change *c;
	struct buf		 t = BUF_INIT;
	char			 dom[32];
	int			 i;
	bool			 ok;

	ok = begin(&m);
	memset(&p, 0, sizeof(p));
	p.customer_id = (char *)"shop";
	p.check = (char *)"record";
	p.subject = (char *)"nov2026.myesp";
	p.server = (char *)"dkim2.myesp.example";
	p.reason = (char *)"missing";
	p.detail = (char *)"NXDOMAIN";
	/* 250 problems: the first FAIL and new, the others WARN, 4 days */
	for (i = 0; i < 250 && ok; i++) {
		snprintf(dom, sizeof(dom), "d%03d.example", i);
		p.domain = dom;
		p.status = (char *)(i == 0 ? "FAIL" : "WARN");
		p.days_open = i == 0 ? 0 : 4;
		ok = report_model_dns_problem_add(&m, &p);
	}
	CHECK_TRUE("changes/dns-added", ok);
	report_model_finish(&m);
	CHECK_INT("changes/cap", m.nchanges, REPORT_MAX_CHANGES);
	CHECK_INT("changes/cap-left", m.changes_left,
	    250 - REPORT_MAX_CHANGES);
	c = find(&m, RC_DNS_NEW, "d000.example");
	CHECK_TRUE("changes/dns-new-first", c != NULL && c == &m.changes[0] &&
	    c->severity == SEV_ALARM);
	if (c != NULL) {
		report_change_text(&t, &m, c);
		CHECK_STR("changes/dns-new-text", buf_cstr(&t),
		    "d000.example: FAIL record nov2026.myesp: missing at "
		    "dkim2.myesp.example (new)");
	}
	c = find(&m, RC_DNS_OPEN, "d001.example");
	CHECK_TRUE("changes/dns-open", c != NULL && c->days == 4 &&
	    c->severity == SEV_WARN);
	buf_free(&t);
	report_model_free(&m);
}

int
main(void)
{
	test_customers();
	test_isps_days();
	test_dns_and_cap();
	return UNIT_DONE();
}
