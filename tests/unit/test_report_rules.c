/* SPDX-License-Identifier: ISC */
/*
 * test_report_rules: the report's rules (report/rules.h) and the model
 * built from hand-made rows of the views (report/model.h), without a
 * database: the windows and the periods before them, figures added up,
 * rates with and without volume, the flag and alarm thresholds with the
 * recovery days, the customers' order, tokens, authenticity, the ESP
 * token, verification, selector ages and the rotation rule.  Expected
 * values are worked out by hand in the comments.
 */
#include <stdlib.h>

#include "report/model.h"
#include "report/rules.h"
#include "tests/unit/unit.h"

/* Flagged at 0.1 %, alarmed at 0.3 %, rotation after 3 months. */
static bool
begin_on(struct report_model *m, const char *on, int days, struct buf *err)
{
	struct report_params	 p;

	memset(&p, 0, sizeof(p));
	snprintf(p.day, sizeof(p.day), "%s", on);
	p.days = days;
	p.flag_rate = 0.001;
	p.alarm_rate = 0.003;
	p.rotation_months = 3;
	p.timezone = "UTC";
	return report_model_begin(m, &p, err);
}

/* The report day of these tests: 2026-11-21. */
static bool
begin(struct report_model *m, int days, struct buf *err)
{
	return begin_on(m, "2026-11-21", days, err);
}

/* A "*" row (or reporter's) of complaints n on day off, volume vol. */
static struct report_day_row
day(const char *reporter, int off, int64_t n, int64_t vol)
{
	struct report_day_row	 d;

	memset(&d, 0, sizeof(d));
	d.reporter = reporter;
	d.off = off;
	d.cls[FC_COMPLAINT] = n;
	d.has_volume = vol >= 0;
	d.volume = vol >= 0 ? vol : 0;
	return d;
}

static bool
add(struct report_model *m, const char *id, const char *reporter, int off,
    int64_t n, int64_t vol)
{
	struct report_day_row	 d = day(reporter, off, n, vol);

	return report_model_customer_day(m, id, &d);
}

static void
test_windows(void)
{
	struct report_model	 m;
	struct buf		 err = BUF_INIT;
	char			 d[11];

	CHECK_TRUE("rules/windows/begin", begin(&m, 30, &err));
	CHECK_INT("rules/windows/len-day", m.len[RW_DAY], 1);
	CHECK_INT("rules/windows/len-short", m.len[RW_SHORT], 7);
	CHECK_INT("rules/windows/len-long", m.len[RW_LONG], 30);
	/* the day: 11-21, before it 11-20 */
	CHECK_STR("rules/windows/day-start", m.start[RW_DAY], "2026-11-21");
	CHECK_STR("rules/windows/day-prev-start", m.prev_start[RW_DAY],
	    "2026-11-20");
	CHECK_STR("rules/windows/day-prev-end", m.prev_end[RW_DAY],
	    "2026-11-20");
	/* 7 days: 11-15 .. 11-21; before: 11-08 .. 11-14 */
	CHECK_STR("rules/windows/short-start", m.start[RW_SHORT], "2026-11-15");
	CHECK_STR("rules/windows/short-prev-start", m.prev_start[RW_SHORT],
	    "2026-11-08");
	CHECK_STR("rules/windows/short-prev-end", m.prev_end[RW_SHORT],
	    "2026-11-14");
	/* 30 days: 10-23 .. 11-21; before: 09-23 .. 10-22 */
	CHECK_STR("rules/windows/long-start", m.start[RW_LONG], "2026-10-23");
	CHECK_STR("rules/windows/long-prev-start", m.prev_start[RW_LONG],
	    "2026-09-23");
	CHECK_STR("rules/windows/long-prev-end", m.prev_end[RW_LONG],
	    "2026-10-22");
	/* the rates read both periods of the longer window: 59 days back */
	CHECK_INT("rules/lookback/30", report_lookback(&m), 59);
	CHECK_TRUE("rules/in-window/day", report_in_window(&m, RW_DAY, 0) &&
	    !report_in_window(&m, RW_DAY, -1));
	CHECK_TRUE("rules/in-window/short", report_in_window(&m, RW_SHORT,
	    -6) && !report_in_window(&m, RW_SHORT, -7));
	CHECK_TRUE("rules/in-window/long", report_in_window(&m, RW_LONG,
	    -29) && !report_in_window(&m, RW_LONG, -30));
	CHECK_TRUE("rules/day-of", report_day_of(&m, -29, d) &&
	    strcmp(d, "2026-10-23") == 0);
	report_model_free(&m);
	/* a short long window: the 7 days and the 7 before still count */
	CHECK_TRUE("rules/lookback/3-begin", begin(&m, 3, &err));
	CHECK_INT("rules/lookback/3", report_lookback(&m), 13);
	report_model_free(&m);
	CHECK_TRUE("rules/lookback/10-begin", begin(&m, 10, &err));
	CHECK_INT("rules/lookback/10", report_lookback(&m), 19);
	report_model_free(&m);
	CHECK_TRUE("rules/windows/zero-days", !begin(&m, 0, &err));
	CHECK_STR("rules/windows/zero-days-why", buf_cstr(&err),
	    "window of 0 days: want 1 to 366");
	report_model_free(&m);
	buf_reset(&err);
	CHECK_TRUE("rules/windows/too-many-days", !begin(&m, 367, &err));
	report_model_free(&m);
	/* the long window's period before would start before 1970 */
	buf_reset(&err);
	CHECK_TRUE("rules/windows/before-1970", !begin_on(&m, "1970-01-05",
	    30, &err));
	CHECK_STR("rules/windows/before-1970-why", buf_cstr(&err),
	    "report day 1970-01-05: not a day from 1970 to 9999");
	report_model_free(&m);
	buf_free(&err);
}

/*
 * One customer's days, 30-day window:
 *   off   0: 3 complaints (1 opt-out), volume 1000
 *   off  -3: 2, volume unknown
 *   off  -7: 4, volume 500     (7-day window's period before)
 *   off -10: 5, volume 2000
 *   off -40: 7, volume 3000    (long window's period before)
 *   off -60: 100               (before every period: not counted)
 */
static void
test_figures(void)
{
	struct report_model		 m;
	struct report_day_row		 d = day("*", 0, 3, 1000);
	const struct report_fig		*w;
	struct buf			 err = BUF_INIT;
	int64_t				 change;
	bool				 ok;

	begin(&m, 30, &err);
	report_model_data_start(&m, "2026-09-22");	/* off -60 */
	d.cls[FC_OPT_OUT] = 1;
	ok = report_model_customer_day(&m, "c", &d) &&
	    add(&m, "c", "*", -3, 2, -1) && add(&m, "c", "*", -7, 4, 500) &&
	    add(&m, "c", "*", -10, 5, 2000) &&
	    add(&m, "c", "*", -40, 7, 3000) && add(&m, "c", "*", -60, 100, -1);
	CHECK_TRUE("rules/figures/added", ok && m.ncustomers == 1);
	report_model_finish(&m);
	w = m.customers[0].w;
	/* the day: 3 over 1000; nothing the day before */
	CHECK_INT("rules/figures/day", w[RW_DAY].complaints, 3);
	CHECK_INT("rules/figures/day-prev", w[RW_DAY].prev, 0);
	CHECK_INT("rules/figures/day-opt-out", w[RW_DAY].cls[FC_OPT_OUT], 1);
	CHECK_TRUE("rules/figures/day-rate", report_fig_rate(&w[RW_DAY],
	    false) == 0.003);
	CHECK_TRUE("rules/figures/day-prev-rate-unknown",
	    report_fig_rate(&w[RW_DAY], true) < 0);
	/* 7 days: 3 + 2, rated 3 over 1000; before: 4 + 5 over 2500 */
	CHECK_INT("rules/figures/short", w[RW_SHORT].complaints, 5);
	CHECK_INT("rules/figures/short-rated", w[RW_SHORT].rated, 3);
	CHECK_INT("rules/figures/short-volume", w[RW_SHORT].volume, 1000);
	CHECK_INT("rules/figures/short-prev", w[RW_SHORT].prev, 9);
	CHECK_INT("rules/figures/short-prev-volume", w[RW_SHORT].prev_volume,
	    2500);
	CHECK_TRUE("rules/figures/short-prev-rate",
	    report_fig_rate(&w[RW_SHORT], true) == 0.0036);
	CHECK_TRUE("rules/figures/short-change", report_fig_change(
	    &w[RW_SHORT], &change) && change == -4);
	/* 30 days: 3 + 2 + 4 + 5, rated 12 over 3500; before: 7 over 3000 */
	CHECK_INT("rules/figures/long", w[RW_LONG].complaints, 14);
	CHECK_INT("rules/figures/long-rated", w[RW_LONG].rated, 12);
	CHECK_INT("rules/figures/long-volume", w[RW_LONG].volume, 3500);
	CHECK_TRUE("rules/figures/long-rate", report_fig_rate(&w[RW_LONG],
	    false) == 12.0 / 3500.0);
	CHECK_INT("rules/figures/long-prev", w[RW_LONG].prev, 7);
	CHECK_TRUE("rules/figures/long-prev-rate",
	    report_fig_rate(&w[RW_LONG], true) == 7.0 / 3000.0);
	CHECK_TRUE("rules/figures/long-change", report_fig_change(
	    &w[RW_LONG], &change) && change == 7);
	/* the daily series of the long window: index 29 is the report day */
	CHECK_INT("rules/series/today", m.customers[0].day_complaints[29], 3);
	CHECK_TRUE("rules/series/today-rate",
	    m.customers[0].day_rates[29] == 0.003);
	CHECK_TRUE("rules/series/no-volume", m.customers[0].day_rates[26] < 0 &&
	    m.customers[0].day_complaints[26] == 2);
	CHECK_TRUE("rules/series/no-row", m.customers[0].day_rates[28] < 0);
	CHECK_TRUE("rules/volume-known", m.volume_known);
	report_model_free(&m);
	buf_free(&err);
}

/*
 * The period before a window is known when it starts on or after the
 * first stored day.  Data from 2026-11-01, report day 2026-11-21: the day
 * before (11-20) and the 7 days before (from 11-08) are known, the 30 days
 * before (from 09-23) are not: no change, however many complaints.
 */
static void
test_previous_known(void)
{
	static const struct {
		const char	*name, *start;
		bool		 day, shrt, lng;
	} t[] = {
		{ "rules/prev/three-weeks", "2026-11-01", true, true, false },
		{ "rules/prev/on-start", "2026-09-23", true, true, true },
		{ "rules/prev/day-after", "2026-09-24", true, true, false },
		{ "rules/prev/from-today", "2026-11-21", false, false, false },
		{ "rules/prev/nothing-stored", NULL, false, false, false },
	};
	struct report_model	 m;
	struct buf		 err = BUF_INIT;
	int64_t			 change;
	size_t			 i;
	bool			 ok;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		begin(&m, 30, &err);
		report_model_data_start(&m, t[i].start);
		CHECK_TRUE(t[i].name, m.prev_known[RW_DAY] == t[i].day &&
		    m.prev_known[RW_SHORT] == t[i].shrt &&
		    m.prev_known[RW_LONG] == t[i].lng);
		report_model_free(&m);
	}
	begin(&m, 30, &err);
	report_model_data_start(&m, "2026-11-01");
	ok = add(&m, "c", "*", 0, 3, -1) && add(&m, "c", "yahoo", -20, 2077,
	    -1) && add(&m, "c", "*", -20, 2077, -1);
	report_model_finish(&m);
	CHECK_TRUE("rules/prev/long-unknown", ok && m.ncustomers == 1 &&
	    !report_fig_change(&m.customers[0].w[RW_LONG], &change) &&
	    change == 0 && m.customers[0].w[RW_LONG].complaints == 2080);
	CHECK_TRUE("rules/prev/isp-unknown", m.customers[0].nisps == 1 &&
	    !report_fig_change(&m.customers[0].isps[0].w[RW_LONG], &change));
	CHECK_TRUE("rules/prev/day-known", report_fig_change(
	    &m.customers[0].w[RW_DAY], &change) && change == 3);
	report_model_free(&m);
	buf_free(&err);
}

/* Rates with and without volume, of windows and of verification. */
static void
test_rates(void)
{
	struct report_model		 m;
	struct buf			 err = BUF_INIT;
	struct report_verif		 v;

	begin(&m, 30, &err);
	add(&m, "novol", "*", 0, 50, -1);
	add(&m, "novol", "*", -8, 5, -1);
	report_model_finish(&m);
	CHECK_TRUE("rules/rate/no-volume-day",
	    report_fig_rate(&m.customers[0].w[RW_DAY], false) < 0 &&
	    m.customers[0].day_rate < 0);
	CHECK_TRUE("rules/rate/no-volume-prev",
	    report_fig_rate(&m.customers[0].w[RW_SHORT], true) < 0);
	CHECK_INT("rules/rate/no-volume-counts",
	    m.customers[0].w[RW_LONG].complaints, 55);
	CHECK_INT("rules/rate/no-volume-level", m.customers[0].level,
	    LEVEL_OK);
	CHECK_TRUE("rules/rate/volume-unknown", !m.volume_known);
	report_model_free(&m);
	/* a volume of 0 rates nothing either */
	CHECK_TRUE("rules/rate/zero-volume", report_rate(1, 0, true) < 0);
	CHECK_TRUE("rules/rate/negative-volume", report_rate(1, -5, true) < 0);
	memset(&v, 0, sizeof(v));
	v.signatures = 10;
	v.verified = 6;
	v.headers_only = 2;
	CHECK_TRUE("rules/share/verified", report_verif_share(&v) == 0.6);
	v.signatures = 0;
	CHECK_TRUE("rules/share/none", report_verif_share(&v) < 0);
	buf_free(&err);
}

/*
 * Flagged at 0.001, alarmed at 0.003, 7 days to recover:
 *   a: 3/1000 today, at the alarm rate        alarmed, 7 to go
 *   b: 1/1000 today, at the flag rate         flagged
 *   c: 0.9/1000 today                         ok
 *   d: 5/1000 3 days ago, 0 since             alarmed, 4 to go
 *   e: 10/1000 7 days ago, 0.5/1000 today     ok (past the 7 days)
 *   f: 50 today, no volume                    ok, rate unknown
 *   g: 4/1000 6 days ago, 0 today             alarmed, 1 to go
 * Order: alarmed (by the day's rate, then long complaints: a, d, g),
 * flagged (b), the rest by the day's rate (c, e, f).
 */
static void
test_levels(void)
{
	static const char *const order[] = { "a", "d", "g", "b", "c", "e",
	    "f" };
	static const int	 level[] = { LEVEL_ALARMED, LEVEL_ALARMED,
	    LEVEL_ALARMED, LEVEL_FLAGGED, LEVEL_OK, LEVEL_OK, LEVEL_OK };
	static const int	 rec[] = { 7, 4, 1, 0, 0, 0, 0 };
	struct report_model	 m;
	struct buf		 err = BUF_INIT;
	char			 name[64];
	size_t			 i;
	bool			 ok;

	begin(&m, 30, &err);
	ok = add(&m, "a", "*", 0, 3, 1000) &&
	    add(&m, "a", "yahoo", 0, 2, 900) &&
	    add(&m, "b", "*", 0, 1, 1000) &&
	    add(&m, "c", "*", 0, 9, 10000) &&
	    add(&m, "d", "*", -3, 5, 1000) && add(&m, "d", "*", 0, 0, 1000) &&
	    add(&m, "e", "*", -7, 10, 1000) && add(&m, "e", "*", 0, 1, 2000) &&
	    add(&m, "f", "*", 0, 50, -1) &&
	    add(&m, "g", "*", -6, 4, 1000) && add(&m, "g", "*", 0, 0, 1000);
	CHECK_TRUE("rules/levels/added", ok && m.ncustomers == 7);
	report_model_finish(&m);
	for (i = 0; i < 7 && m.ncustomers == 7; i++) {
		snprintf(name, sizeof(name), "rules/levels/%zu-%s", i,
		    order[i]);
		CHECK_STR(name, m.customers[i].id, order[i]);
		snprintf(name, sizeof(name), "rules/levels/%s-level",
		    order[i]);
		CHECK_STR(name, report_level_names[m.customers[i].level],
		    report_level_names[level[i]]);
		snprintf(name, sizeof(name), "rules/levels/%s-recover",
		    order[i]);
		CHECK_INT(name, m.customers[i].recover_days, rec[i]);
	}
	/* the ISP's figures stay apart from the customer's */
	CHECK_TRUE("rules/levels/isp", m.customers[0].nisps == 1 &&
	    strcmp(m.customers[0].isps[0].reporter, "yahoo") == 0 &&
	    m.customers[0].isps[0].w[RW_DAY].complaints == 2 &&
	    m.customers[0].w[RW_DAY].complaints == 3);
	CHECK_TRUE("rules/levels/day-rate", m.customers[0].day_rate == 0.003);
	report_model_free(&m);
	buf_free(&err);
}

/* The recovery rule on its own: unknown days count as below. */
static void
test_recovery(void)
{
	double	 r1[7] = { 0, 0, 0.005, -1, -1, -1, 0 };
	double	 r2[7] = { 0.0029999, 0.001, 0, 0, 0, 0, 0.0029 };
	double	 r3[3] = { 0.01, 0, 0 };

	/* at -4, then four days below (three unknown) */
	CHECK_INT("rules/recovery/unknown-below", report_recovery_days(r1, 7,
	    0.003, 7), 3);
	CHECK_INT("rules/recovery/just-below", report_recovery_days(r2, 7,
	    0.003, 7), 0);
	/* two days of history after an alarm: 5 more to go */
	CHECK_INT("rules/recovery/short-history", report_recovery_days(r3, 3,
	    0.003, 7), 5);
	CHECK_INT("rules/level/alarmed-below-flag", report_level_of(0.0001, 1,
	    0.001), LEVEL_ALARMED);
	CHECK_INT("rules/level/flagged-above", report_level_of(0.0025, 0,
	    0.001), LEVEL_FLAGGED);
}

/* Tokens and authenticity, read after the customers. */
static void
test_tokens_auth(void)
{
	struct report_model		 m;
	struct report_customer		*c;
	struct buf			 err = BUF_INIT;
	bool				 ok;

	begin(&m, 30, &err);
	ok = add(&m, "a", "*", 0, 1, -1) && add(&m, "b", "*", 0, 1, -1) &&
	    report_model_token_day(&m, "a", "t1", 0, 2) &&
	    report_model_token_day(&m, "a", "t1", -10, 3) &&
	    report_model_token_day(&m, "a", "t2", -3, 1) &&
	    report_model_token_day(&m, "zz", "t9", 0, 9);
	report_model_auth_day(&m, "a", AU_FORGED, 0, 1);
	report_model_auth_day(&m, "a", AU_REPLAYED, -5, 2);
	report_model_auth_day(&m, "a", AU_AUTHENTIC, -20, 4);
	report_model_auth_day(&m, "zz", AU_FORGED, 0, 9);
	report_model_finish(&m);
	c = &m.customers[0];
	CHECK_TRUE("rules/tokens/added", ok && m.ncustomers == 2 &&
	    strcmp(c->id, "a") == 0 && c->ntokens == 2);
	/* t1: 2 today, 3 ten days ago; t2: 1 three days ago */
	CHECK_TRUE("rules/tokens/t1", c->ntokens == 2 &&
	    strcmp(c->tokens[0].token, "t1") == 0 &&
	    c->tokens[0].complaints[RW_DAY] == 2 &&
	    c->tokens[0].complaints[RW_SHORT] == 2 &&
	    c->tokens[0].complaints[RW_LONG] == 5);
	CHECK_TRUE("rules/tokens/t2", c->ntokens == 2 &&
	    c->tokens[1].complaints[RW_DAY] == 0 &&
	    c->tokens[1].complaints[RW_SHORT] == 1 &&
	    c->tokens[1].complaints[RW_LONG] == 1);
	CHECK_INT("rules/auth/forged-day", c->auth[RW_DAY][AU_FORGED], 1);
	CHECK_INT("rules/auth/replayed-short", c->auth[RW_SHORT][AU_REPLAYED],
	    2);
	CHECK_INT("rules/auth/authentic-short",
	    c->auth[RW_SHORT][AU_AUTHENTIC], 0);
	CHECK_INT("rules/auth/authentic-long", c->auth[RW_LONG][AU_AUTHENTIC],
	    4);
	/* forged and replayed: 1 today, 1 + 2 over the long window */
	CHECK_INT("rules/suspected/day", report_suspected(c->auth[RW_DAY]), 1);
	CHECK_INT("rules/suspected/long", report_suspected(c->auth[RW_LONG]),
	    3);
	CHECK_INT("rules/auth/of", report_auth_of("rotated"), AU_ROTATED);
	CHECK_INT("rules/auth/of-other", report_auth_of("bogus"), AU_UNKNOWN);
	report_model_free(&m);
	buf_free(&err);
}

/* The ESP token: attributed complaints rated, and the "*" counts. */
static void
test_esp(void)
{
	struct report_model	 m;
	struct report_day_row	 d = day("*", 0, 4, 2000);
	struct buf		 err = BUF_INIT;
	char			*tokens[] = { "fbl.myesp.example" };
	bool			 ok;

	begin(&m, 30, &err);
	d.total = 10;
	d.carried = 8;
	d.verified = 6;
	ok = report_model_esp_tokens(&m, tokens, 1) &&
	    report_model_esp_day(&m, &d);
	d = day("gmail", -1, 1, -1);
	d.total = 99;	/* only "*" rows carry these */
	ok = ok && report_model_esp_day(&m, &d);
	report_model_finish(&m);
	CHECK_TRUE("rules/esp/added", ok && m.esp.ntokens == 1 &&
	    strcmp(m.esp.tokens[0], "fbl.myesp.example") == 0);
	CHECK_INT("rules/esp/day", m.esp.w[RW_DAY].complaints, 4);
	CHECK_TRUE("rules/esp/day-rate", report_fig_rate(&m.esp.w[RW_DAY],
	    false) == 0.002);
	CHECK_TRUE("rules/esp/counts", m.esp.total[RW_LONG] == 10 &&
	    m.esp.carried[RW_SHORT] == 8 && m.esp.verified[RW_DAY] == 6);
	CHECK_TRUE("rules/esp/isp", m.esp.nisps == 1 &&
	    m.esp.isps[0].w[RW_DAY].complaints == 0 &&
	    m.esp.isps[0].w[RW_DAY].prev == 1 &&
	    m.esp.isps[0].w[RW_SHORT].complaints == 1 &&
	    report_fig_rate(&m.esp.isps[0].w[RW_SHORT], false) < 0);
	report_model_free(&m);
	buf_free(&err);
}

/*
 * Complaints that claim no customer: each in one reason, by the ESP
 * token's signature; a day in the long window only, and one of today.
 */
static void
test_unattributed(void)
{
	const struct report_unattributed *u;
	struct report_model	 m;
	struct report_day_row	 d = day("*", -10, 0, -1);
	struct buf		 err = BUF_INIT;
	bool			 ok;

	begin(&m, 30, &err);
	d.unattributed = 16;
	d.unattributed_carried = 15;
	d.unattributed_verified = 13;
	ok = report_model_esp_day(&m, &d);
	d = day("*", 0, 0, -1);
	d.unattributed = 2;
	d.unattributed_carried = 0;
	ok = ok && report_model_esp_day(&m, &d);
	d = day("yahoo", 0, 0, -1);
	d.unattributed = 50;	/* only "*" rows carry these */
	ok = ok && report_model_esp_day(&m, &d);
	report_model_finish(&m);
	u = &m.unattributed;
	CHECK_TRUE("rules/unattributed/loaded", ok);
	CHECK_INT("rules/unattributed/day", u->complaints[RW_DAY], 2);
	CHECK_INT("rules/unattributed/short", u->complaints[RW_SHORT], 2);
	CHECK_INT("rules/unattributed/long", u->complaints[RW_LONG], 18);
	CHECK_INT("rules/unattributed/esp-verified",
	    u->reason[UR_ESP_VERIFIED][RW_LONG], 13);
	CHECK_INT("rules/unattributed/esp-failed",
	    u->reason[UR_ESP_FAILED][RW_LONG], 2);
	CHECK_INT("rules/unattributed/no-esp-long",
	    u->reason[UR_NO_ESP][RW_LONG], 3);
	CHECK_INT("rules/unattributed/no-esp-day",
	    u->reason[UR_NO_ESP][RW_DAY], 2);
	CHECK_STR("rules/unattributed/name",
	    report_unattributed_names[UR_NO_ESP], "no_esp_signature");
	report_model_free(&m);
	buf_free(&err);
}

/* Verification rows grouped per token; the pass rows are no reason. */
static void
test_verification(void)
{
	struct report_model	 m;
	struct report_verif_row	 r;
	struct buf		 err = BUF_INIT;
	bool			 ok;

	begin(&m, 30, &err);
	memset(&r, 0, sizeof(r));
	r.token = "a.example";
	r.role = "customer";
	r.customer_id = "a";
	r.result = "pass";
	r.reason = "ok";
	r.n = 6;
	r.verified = true;
	ok = report_model_verif_row(&m, &r);
	r.verified = false;
	r.result = "fail";
	r.reason = "body-hash";
	r.n = 3;
	ok = ok && report_model_verif_row(&m, &r);
	r.reason = "header-ok";
	r.n = 1;
	r.headers_only = true;
	ok = ok && report_model_verif_row(&m, &r);
	r.headers_only = false;
	r.result = "neutral";
	r.reason = "no-key-expected";
	r.n = 2;
	ok = ok && report_model_verif_row(&m, &r);
	r.result = "something-new";
	r.n = 1;
	ok = ok && report_model_verif_row(&m, &r);
	r.result = "fail";
	r.reason = "header-ok";
	r.headers_only = true;
	r.sample = true;
	ok = ok && report_model_verif_row(&m, &r);
	CHECK_TRUE("rules/verif/added", ok && m.nverif == 1 &&
	    m.nsamples == 1);
	CHECK_TRUE("rules/verif/counts", m.nverif == 1 &&
	    m.verif[0].signatures == 13 && m.verif[0].verified == 6 &&
	    m.verif[0].headers_only == 1 && m.verif[0].nreasons == 4);
	/*
	 * Each complaint signature in one class, the headers-only one only as
	 * headers-verified; the sample not at all: the classes sum to the
	 * complaint signatures (the HTML chart once counted it twice).
	 */
	CHECK_INT("rules/verif/mix-pass", m.verif_mix[VC_PASS], 6);
	CHECK_INT("rules/verif/mix-headers", m.verif_mix[VC_HEADERS], 1);
	CHECK_INT("rules/verif/mix-fail", m.verif_mix[VC_FAIL], 3);
	CHECK_INT("rules/verif/mix-neutral", m.verif_mix[VC_NEUTRAL], 2);
	CHECK_INT("rules/verif/mix-other", m.verif_mix[VC_OTHER], 1);
	CHECK_INT("rules/verif/mix-sum", m.verif_mix[VC_PASS] +
	    m.verif_mix[VC_HEADERS] + m.verif_mix[VC_FAIL] +
	    m.verif_mix[VC_PERMERROR] + m.verif_mix[VC_TEMPERROR] +
	    m.verif_mix[VC_POLICY] + m.verif_mix[VC_NEUTRAL] +
	    m.verif_mix[VC_OTHER], 13);
	CHECK_TRUE("rules/verif/reasons", m.nverif == 1 &&
	    m.verif[0].nreasons == 4 &&
	    strcmp(m.verif[0].reasons[0].reason, "body-hash") == 0 &&
	    m.verif[0].reasons[1].n == 1);
	CHECK_TRUE("rules/verif/share", m.nverif == 1 &&
	    report_verif_share(&m.verif[0]) == 6.0 / 13);
	report_model_free(&m);
	buf_free(&err);
}

/* Selector ages against the report day 2026-11-21, rotation 3 months. */
static void
test_keys(void)
{
	static const struct {
		const char	*name;
		int		 year, month;
		int		 age;
		bool		 past;
	} k[] = {
		{ "rules/key/same-month", 2026, 11, 0, false },
		{ "rules/key/at-rotation", 2026, 8, 3, false },
		{ "rules/key/past-rotation", 2026, 7, 4, true },
		{ "rules/key/over-year", 2025, 8, 15, true },
		{ "rules/key/future", 2027, 1, -2, false },
		{ "rules/key/not-dated", 0, 0, -1, false },
	};
	struct report_model	 m;
	struct report_key	 in;
	struct buf		 err = BUF_INIT;
	char			 tok[] = "a.example", role[] = "customer";
	char			 sel[] = "aug2026.myesp", alg[] = "rsa-sha256";
	char			 name[80];
	size_t			 i, n = sizeof(k) / sizeof(k[0]);

	begin(&m, 30, &err);
	memset(&in, 0, sizeof(in));
	in.token = tok;
	in.role = role;
	in.customer_id = tok;
	in.selector = sel;
	in.algorithm = alg;
	snprintf(in.last_day, sizeof(in.last_day), "2026-11-20");
	for (i = 0; i < n; i++) {
		in.sel_year = k[i].year;
		in.sel_month = k[i].month;
		if (!report_model_key_add(&m, &in))
			break;
	}
	CHECK_TRUE("rules/key/added", m.nkeys == n &&
	    m.keys[0].selector != sel &&
	    strcmp(m.keys[0].selector, sel) == 0 &&
	    strcmp(m.keys[0].last_day, "2026-11-20") == 0);
	for (i = 0; i < n && i < m.nkeys; i++) {
		CHECK_INT(k[i].name, m.keys[i].age_months, k[i].age);
		snprintf(name, sizeof(name), "%s-past", k[i].name);
		CHECK_INT(name, m.keys[i].past_rotation, k[i].past);
	}
	CHECK_INT("rules/age/direct", report_age_months(2025, 8,
	    "2026-11-21"), 15);
	report_model_free(&m);
	buf_free(&err);
}

int
main(void)
{
	test_windows();
	test_figures();
	test_previous_known();
	test_rates();
	test_levels();
	test_recovery();
	test_tokens_auth();
	test_esp();
	test_unattributed();
	test_verification();
	test_keys();
	return UNIT_DONE();
}
