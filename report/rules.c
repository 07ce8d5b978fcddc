/* SPDX-License-Identifier: ISC */
/* rules: the report's rules, pure functions of its figures; see rules.h. */
#include <stdio.h>
#include <string.h>

#include "base/date.h"
#include "report/rules.h"

bool
report_windows(struct report_model *m, struct buf *err)
{
	int	 k;

	m->len[RW_DAY] = 1;
	m->len[RW_SHORT] = REPORT_SHORT_DAYS;
	m->len[RW_LONG] = m->p.days;
	for (k = 0; k < RW_N; k++)
		if (!date_day_add(m->p.day, 1 - m->len[k], m->start[k]) ||
		    !date_day_add(m->p.day, 1 - 2 * m->len[k],
		    m->prev_start[k]) ||
		    !date_day_add(m->p.day, -m->len[k], m->prev_end[k])) {
			buf_printf(err, "report day %s: not a day from 1970 "
			    "to 9999", m->p.day);
			return false;
		}
	return true;
}

/* The longer of the periods the rates compare: the long or 7-day window's. */
int
report_lookback(const struct report_model *m)
{
	int	 back = 2 * m->p.days;

	if (back < 2 * REPORT_SHORT_DAYS)
		back = 2 * REPORT_SHORT_DAYS;
	return back - 1;
}

bool
report_in_window(const struct report_model *m, enum report_window k, int off)
{
	return off > -m->len[k];
}

bool
report_day_of(const struct report_model *m, int off, char out[11])
{
	out[0] = '\0';
	return date_day_add(m->p.day, off, out);
}

void
report_fig_add(const struct report_model *m, struct report_fig *w, int off,
    const int64_t cls[FC_N], bool has_volume, int64_t volume)
{
	int	 k, c;

	for (k = 0; k < RW_N; k++) {
		if (report_in_window(m, k, off)) {
			w[k].complaints += cls[FC_COMPLAINT];
			for (c = 0; c < FC_N; c++)
				w[k].cls[c] += cls[c];
			if (has_volume) {
				w[k].rated += cls[FC_COMPLAINT];
				w[k].volume += volume;
				w[k].has_volume = true;
			}
		} else if (off > -2 * m->len[k]) {
			w[k].prev += cls[FC_COMPLAINT];
			if (has_volume) {
				w[k].prev_rated += cls[FC_COMPLAINT];
				w[k].prev_volume += volume;
				w[k].prev_has_volume = true;
			}
		}
	}
}

void
report_window_add(const struct report_model *m, int64_t *v, int off,
    int64_t n)
{
	int	 k;

	for (k = 0; k < RW_N; k++)
		if (report_in_window(m, k, off))
			v[k] += n;
}

void
report_auth_add(const struct report_model *m, struct report_customer *c,
    enum report_auth a, int off, int64_t n)
{
	int	 k;

	for (k = 0; k < RW_N; k++)
		if (report_in_window(m, k, off))
			c->auth[k][a] += n;
}

void
report_customer_series(const struct report_model *m,
    struct report_customer *c, int off, int64_t complaints, bool has_volume,
    int64_t volume)
{
	double	 rate;
	int	 i = m->len[RW_LONG] - 1 + off;
	bool	 recent = off > -REPORT_RECOVERY_DAYS;
	bool	 series = i >= 0 && i < REPORT_MAX_DAYS;

	if (off == -REPORT_RECOVERY_DAYS)	/* the day before the rule's */
		c->rate_before = report_rate(complaints, volume, has_volume);
	if (off > 0 || (!recent && !series))
		return;
	rate = report_rate(complaints, volume, has_volume);
	if (recent)
		c->recent_rates[REPORT_RECOVERY_DAYS - 1 + off] = rate;
	if (series) {
		c->day_complaints[i] = complaints;
		c->day_rates[i] = rate;
	}
}

void
report_customer_level(struct report_model *m, struct report_customer *c)
{
	double	 prev[REPORT_RECOVERY_DAYS];

	c->day_rate = c->recent_rates[REPORT_RECOVERY_DAYS - 1];
	c->recover_days = report_recovery_days(c->recent_rates,
	    REPORT_RECOVERY_DAYS, m->p.alarm_rate, REPORT_RECOVERY_DAYS);
	c->level = report_level_of(c->day_rate, c->recover_days,
	    m->p.flag_rate);
	/* the same rules for the day before (the first panel's changes) */
	prev[0] = c->rate_before;
	memcpy(prev + 1, c->recent_rates, (REPORT_RECOVERY_DAYS - 1) *
	    sizeof(prev[0]));
	c->prev_level = report_level_of(prev[REPORT_RECOVERY_DAYS - 1],
	    report_recovery_days(prev, REPORT_RECOVERY_DAYS, m->p.alarm_rate,
	    REPORT_RECOVERY_DAYS), m->p.flag_rate);
	if (c->w[RW_LONG].has_volume || c->w[RW_SHORT].has_volume)
		m->volume_known = true;
}

int
report_customer_cmp(const void *a, const void *b)
{
	const struct report_customer	*x = a, *y = b;

	if (x->level != y->level)
		return x->level > y->level ? -1 : 1;
	if (x->day_rate != y->day_rate)
		return x->day_rate > y->day_rate ? -1 : 1;
	if (x->w[RW_LONG].complaints != y->w[RW_LONG].complaints)
		return x->w[RW_LONG].complaints > y->w[RW_LONG].complaints ?
		    -1 : 1;
	return strcmp(x->id, y->id);
}

void
report_key_age(struct report_key *k, const struct report_params *p)
{
	k->age_months = report_age_months(k->sel_year, k->sel_month, p->day);
	k->past_rotation = k->age_months > (int)p->rotation_months;
	k->small_key = k->key_bits >= 0 && k->key_bits < 2048 &&
	    strncmp(k->algorithm, "rsa-", 4) == 0;
}

double
report_rate(int64_t complaints, int64_t volume, bool known)
{
	if (!known || volume <= 0)
		return -1;
	return (double)complaints / (double)volume;
}

double
report_fig_rate(const struct report_fig *f, bool prev)
{
	if (prev)
		return report_rate(f->prev_rated, f->prev_volume,
		    f->prev_has_volume);
	return report_rate(f->rated, f->volume, f->has_volume);
}

void
report_prev_known(struct report_model *m)
{
	int	 k;

	/* YYYY-MM-DD compare as strings */
	for (k = 0; k < RW_N; k++)
		m->prev_known[k] = m->data_start[0] != '\0' &&
		    strcmp(m->prev_start[k], m->data_start) >= 0;
}

bool
report_fig_change(const struct report_fig *f, int64_t *change)
{
	*change = f->prev_known ? f->complaints - f->prev : 0;
	return f->prev_known;
}

double
report_verif_share(const struct report_verif *v)
{
	return report_rate(v->verified, v->signatures, true);
}

enum report_health
report_health_of_result(const char *result, bool verified, bool headers_only)
{
	if (verified)
		return RH_VERIFIED;
	if (headers_only)
		return RH_HEADERS_ONLY;
	if (strcmp(result, "temperror") == 0)
		return RH_PENDING;
	if (strcmp(result, "fail") == 0 || strcmp(result, "permerror") == 0 ||
	    strcmp(result, "policy") == 0)
		return RH_N;
	return RH_OTHER;
}

enum report_health
report_health_of_class(const char *diagnosis)
{
	static const struct {
		const char		*cls;
		enum report_health	 h;
	} groups[] = {
		{ "redacted", RH_REPORTER },
		{ "truncated", RH_REPORTER },
		{ "line-endings", RH_TRANSPORT },
		{ "whitespace", RH_TRANSPORT },
		{ "appended-text", RH_TRANSPORT },
		{ "part-added", RH_TRANSPORT },
		{ "re-encoded", RH_TRANSPORT },
		{ "charset-converted", RH_TRANSPORT },
		{ "mime-structure", RH_TRANSPORT },
		{ "key-rotated", RH_KEY },
		{ "key-missing", RH_KEY },
		{ "key-revoked", RH_KEY },
		{ "key-unusable", RH_KEY },
		{ "not-signing-key", RH_KEY },
		{ "forged", RH_FORGED },
		{ "body-changed", RH_MISMATCH },
		{ "header-changed", RH_MISMATCH },
		{ "signer-error", RH_MISMATCH },
		{ "expired", RH_MISMATCH },
		{ "unknown", RH_MISMATCH },
	};
	size_t	 i;

	for (i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
		if (strcmp(diagnosis, groups[i].cls) == 0)
			return groups[i].h;
	return RH_UNDIAGNOSED;
}

double
report_health_failure_rate(const int64_t h[RH_N])
{
	int64_t	 all = 0;
	int	 k;

	for (k = 0; k < RH_N; k++)
		all += h[k];
	return report_rate(h[RH_MISMATCH], all, true);
}

void
report_cause_label(struct buf *b, const struct report_cause *c)
{
	if (c->diagnosis[0] == '\0')
		buf_puts(b, "not diagnosed");
	else if (c->field[0] != '\0')
		buf_printf(b, "%s (%s)", c->diagnosis, c->field);
	else
		buf_puts(b, c->diagnosis);
}

int64_t
report_suspected(const int64_t auth[AU_N])
{
	return auth[AU_FORGED] + auth[AU_REPLAYED];
}

int
report_recovery_days(const double *rate, size_t n, double alarm, int need)
{
	size_t	 i, below = 0;
	bool	 above = false;

	for (i = n; i > 0 && below < (size_t)need; i--) {
		if (rate[i - 1] >= 0 && rate[i - 1] >= alarm) {
			above = true;
			break;
		}
		below++;
	}
	if (!above)
		return 0;
	return need - (int)below;
}

enum report_level
report_level_of(double day_rate, int recover_days, double flag)
{
	if (recover_days > 0)
		return LEVEL_ALARMED;
	if (day_rate >= 0 && day_rate >= flag)
		return LEVEL_FLAGGED;
	return LEVEL_OK;
}

int
report_age_months(int sel_year, int sel_month, const char *day)
{
	int	 y, m;

	if (sel_year <= 0 || sscanf(day, "%4d-%2d", &y, &m) != 2)
		return -1;
	return (y * 12 + m) - (sel_year * 12 + sel_month);
}
