/* SPDX-License-Identifier: ISC */
/*
 * rules: the report's rules (DESIGN section 6) as pure functions of the
 * model's figures, with no I/O: the windows, the figures added up per
 * window and per period before it, complaint rates, the daily flag and
 * alarm rules with the recovery days, selector ages and the rotation rule,
 * the order of the customers.  The model (model.h) calls them as it is
 * built; the renderers (render.h) for the figures they show.
 */
#ifndef FBL_REPORT_RULES_H
#define FBL_REPORT_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"
#include "report/model.h"

/*
 * The windows of m->p (the day, 7 days, m->p.days) and of the periods
 * before them: len, start, prev_start, prev_end.  false with the reason in
 * err when a day falls outside 1970 to 9999.
 */
bool	 report_windows(struct report_model *, struct buf *err);
/* Days before the report day that the rules read (the rates' periods). */
int	 report_lookback(const struct report_model *);
/* Does day off (<= 0 from the report day) fall in window k? */
bool	 report_in_window(const struct report_model *, enum report_window k,
	    int off);
/* "YYYY-MM-DD" of the report day + off into out; false: not a day. */
bool	 report_day_of(const struct report_model *, int off, char out[11]);

/*
 * Add one day's complaints (off <= 0 from the report day; cls by class)
 * to the windows w[RW_N] it falls in, or to the period before them; the
 * volume counts where it is known, with the complaints it rates.
 */
void	 report_fig_add(const struct report_model *, struct report_fig *w,
	    int off, const int64_t cls[FC_N], bool has_volume, int64_t volume);
/* Add n of day off to the counts v[RW_N] of the windows it falls in. */
void	 report_window_add(const struct report_model *, int64_t *v, int off,
	    int64_t n);
/* The same for c's complaints of authenticity a. */
void	 report_auth_add(const struct report_model *, struct report_customer *c,
	    enum report_auth a, int off, int64_t n);
/*
 * A day of all reporters of customer c: its daily series (the long window)
 * and the days of the alarm rule.  The customer's arrays start at -1.
 */
void	 report_customer_series(const struct report_model *,
	    struct report_customer *, int off, int64_t complaints,
	    bool has_volume, int64_t volume);
/* The day's rate, recovery days and level of c; m->volume_known. */
void	 report_customer_level(struct report_model *, struct report_customer *);
/* qsort order: alarmed, flagged, the rest; by the day's rate, complaints. */
int	 report_customer_cmp(const void *, const void *);
/*
 * k's age in months and past_rotation, from its sel_year and sel_month;
 * small_key: an RSA key of known size under 2048 bits, be it DNS's or the
 * archive's.
 */
void	 report_key_age(struct report_key *, const struct report_params *);

/* complaints / volume; < 0 when the volume is unknown or 0. */
double	 report_rate(int64_t complaints, int64_t volume, bool known);
/* The rate of a window (prev: of the period before it). */
double	 report_fig_rate(const struct report_fig *, bool prev);
/*
 * m->prev_known: is the period before each window known (on or after
 * m->data_start)?
 */
void	 report_prev_known(struct report_model *);
/*
 * Complaints of a window less those of the period before it into *change;
 * false (and 0) when that period is not known.
 */
bool	 report_fig_change(const struct report_fig *, int64_t *change);
/* Signatures verified (pass) / signatures; < 0 for none. */
double	 report_verif_share(const struct report_verif *);
/*
 * The health group of a signature by its result (report_health): RH_N for
 * a failure (fail, permerror, policy), whose group is its class's.
 */
enum report_health report_health_of_result(const char *result, bool verified,
	    bool headers_only);
/* The group of a failure's class (docs/verify-json.md); "" : none. */
enum report_health report_health_of_class(const char *diagnosis);
/* Real mismatches / all signatures of h; < 0 for none. */
double	 report_health_failure_rate(const int64_t h[RH_N]);
/*
 * A failure cause as the text and HTML show it: "redacted",
 * "header-changed (subject)", "not diagnosed" for a failure without class.
 */
void	 report_cause_label(struct buf *, const struct report_cause *);
/* Suspected forgeries among counts by authenticity: forged and replayed. */
int64_t	 report_suspected(const int64_t auth[AU_N]);
/*
 * Days still needed below the alarm rate: rate[n - 1] is the report day,
 * rate[0] the oldest (< 0: unknown, counted as below).  0 when none of the
 * last `need` days reached alarm, else need minus the consecutive days
 * below ending on the report day.
 */
int	 report_recovery_days(const double *rate, size_t n, double alarm,
	    int need);
enum report_level report_level_of(double day_rate, int recover_days,
	    double flag);
/* Whole months from the selector's month to the report day's month. */
int	 report_age_months(int sel_year, int sel_month, const char *day);

#endif
