/*
 * model: the nightly report as data (DESIGN section 6), read from the
 * views of sql/004_report_views.sql (daily aggregates only), for the
 * renderers of render.h.
 *
 * Days are UTC days (the day of a report's Arrival-Date).  Three windows
 * end on the report day: the day itself, 7 days, and the long window
 * (--days, default 30); each is compared with the period of the same length
 * just before it.  Complaint rates count the feedback class "complaint"
 * (abuse, fraud, virus, non-ARF complaints) of mail the ESP plausibly sent
 * (authenticity not forged, replayed or unknown), over the volume of the
 * days whose volume is known.  The rules are daily: a customer is alarmed
 * while any of the last REPORT_RECOVERY_DAYS days had a rate at or above
 * the alarm rate, flagged when the report day's rate is at or above the
 * flag rate.
 *
 * The model owns every string in it; report_model_free() releases it.
 */
#ifndef FBL_REPORT_MODEL_H
#define FBL_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <libpq-fe.h>

#include "fbl/config.h"
#include "base/buf.h"

#define REPORT_SHORT_DAYS	7
#define REPORT_DEFAULT_DAYS	30
#define REPORT_MAX_DAYS		366
#define REPORT_RECOVERY_DAYS	7	/* consecutive days below the alarm */

enum report_window { RW_DAY, RW_SHORT, RW_LONG, RW_N };

/* Feedback classes (report_complaint.feedback_class). */
enum report_class {
	FC_COMPLAINT, FC_OPT_OUT, FC_NOT_SPAM, FC_AUTH_FAILURE, FC_OTHER,
	FC_N
};

/* report.authenticity values (sql/003_standing.sql). */
enum report_auth {
	AU_AUTHENTIC, AU_REPLAYED, AU_FORGED, AU_ROTATED, AU_REDACTED,
	AU_DAMAGED, AU_PENDING, AU_UNKNOWN, AU_N
};

enum report_level { LEVEL_OK, LEVEL_FLAGGED, LEVEL_ALARMED };

/* Complaint figures of one window and of the period before it. */
struct report_fig {
	int64_t		 complaints;	/* attributed, class complaint */
	int64_t		 prev;		/* the same, previous period */
	int64_t		 rated;		/* complaints on days with volume */
	int64_t		 volume;	/* the denominator over those days */
	int64_t		 prev_rated;
	int64_t		 prev_volume;
	bool		 has_volume;	/* some day of the window has one */
	bool		 prev_has_volume;
	int64_t		 cls[FC_N];	/* every class; FC_COMPLAINT counts
					   forged ones too */
};

struct report_isp {
	char			*reporter;	/* "yahoo", ...; never "*" */
	struct report_fig	 w[RW_N];
};

struct report_token_count {
	char		*token;
	int64_t		 complaints[RW_N];
};

struct report_customer {
	char			*id;
	enum report_level	 level;
	int			 recover_days;	/* alarmed: days still needed */
	double			 day_rate;	/* < 0: unknown */
	struct report_fig	 w[RW_N];
	struct report_isp	*isps;
	size_t			 nisps;
	struct report_token_count *tokens;
	size_t			 ntokens;
	int64_t			 auth[RW_N][AU_N];	/* all classes */
	/*
	 * Per day of the long window, oldest first (index len[RW_LONG] - 1 is
	 * the report day), all ISPs: attributed complaints and the rate
	 * (< 0: unknown).  For the charts of the HTML page.
	 */
	int64_t			 day_complaints[REPORT_MAX_DAYS];
	double			 day_rates[REPORT_MAX_DAYS];
};

struct report_esp {
	char			**tokens;	/* the config's esp-domain */
	size_t			 ntokens;
	struct report_fig	 w[RW_N];	/* all customers */
	int64_t			 total[RW_N];	/* class complaint, any
						   authenticity */
	int64_t			 carried[RW_N];	/* esp_state <> 'none' */
	int64_t			 verified[RW_N]; /* pass or headers-ok */
	struct report_isp	*isps;
	size_t			 nisps;
};

struct report_reason {
	char		*result;
	char		*reason;
	int64_t		 n;
};

/* Verification of one token's signatures over the long window. */
struct report_verif {
	char			*token;
	char			*role;
	char			*customer_id;	/* "" for none */
	int64_t			 signatures;
	int64_t			 verified;	/* pass */
	int64_t			 headers_only;	/* header signature ok */
	struct report_reason	*reasons;	/* the others, most first */
	size_t			 nreasons;
};

struct report_key {
	char		*token;
	char		*role;
	char		*customer_id;
	char		*selector;
	char		*algorithm;
	int		 key_bits;	/* -1: no key found */
	bool		 testing;	/* t=y */
	int64_t		 signatures;	/* over the long window */
	int		 first_day;	/* offsets from the report day (<= 0) */
	int		 last_day;
	int		 sel_year;	/* 0: not in the selector convention */
	int		 sel_month;
	int		 age_months;	/* -1: unknown */
	bool		 past_rotation;	/* age_months > rotation-months */
	bool		 sha1;
	bool		 small_key;	/* RSA under 2048 bits */
};

struct report_unknown {
	char		*token;
	char		*role;
	int64_t		 signatures;
	int64_t		 verified;
	int		 last_day;	/* offset from the report day */
};

/* A domain's latest key audit on or before the report day (keys audit). */
struct report_dns_domain {
	char		*domain;
	char		*customer_id;	/* "" for none */
	char		*role;		/* customer, esp */
	char		*mode;		/* delegated, cname, none, esp */
	char		 as_of[11];	/* the audit's day */
	char		*status;	/* OK, WARN, FAIL, TEMP */
	int64_t		 warn, fail, temp;	/* rows */
};

/* One problem (a row not OK) of those audits. */
struct report_dns_problem {
	char		*domain;
	char		*customer_id;
	char		*check;
	char		*subject;
	char		*server;	/* "" for none */
	char		*status;
	char		*reason;
	char		*detail;
	char		 first_seen[11];
	int		 days_open;	/* as_of - first_seen */
};

struct report_params {
	char		 day[11];	/* YYYY-MM-DD, the report day */
	int		 days;		/* the long window */
	const char	*customer;	/* only this customer, or NULL */
	double		 flag_rate;
	double		 alarm_rate;
	unsigned	 rotation_months;
	const char	*timezone;	/* for the record only */
};

struct report_model {
	struct report_params	 p;
	char			 start[RW_N][11];	/* first day of each */
	char			 prev_start[RW_N][11];
	int			 len[RW_N];		/* days in each */
	struct report_customer	*customers;	/* alarmed, flagged, rest */
	size_t			 ncustomers;
	struct report_esp	 esp;
	struct report_verif	*verif;		/* complaints */
	size_t			 nverif;
	struct report_verif	*samples;	/* kind 'sample' */
	size_t			 nsamples;
	struct report_key	*keys;
	size_t			 nkeys;
	struct report_unknown	*unknown;
	size_t			 nunknown;
	bool			 volume_known;	/* any volume in the windows */
	struct report_dns_domain *dns;		/* "DNS and keys": domains */
	size_t			 ndns;
	struct report_dns_problem *dns_problems; /* FAIL, TEMP, WARN */
	size_t			 ndns_problems;
};

/*
 * Fill the model for p from the connection (schema 4 or later), with the
 * configuration's esp-domain and selector-pattern (cfg may be NULL).
 * false with the reason in err.
 */
bool	 report_model_load(struct report_model *, PGconn *,
	    const struct report_params *, const struct fbl_config *,
	    struct buf *err);
void	 report_model_free(struct report_model *);
/*
 * The "DNS and keys" part (report/model_dns.c, schema 9): each domain's
 * latest key audit on or before the day, and its open problems, worst and
 * oldest first.  Called by report_model_load inside its snapshot.
 */
bool	 report_model_dns_load(struct report_model *, PGconn *,
	    struct buf *err);
void	 report_model_dns_free(struct report_model *);

/* The pure rules, for the model and its tests. */
/* complaints / volume; < 0 when the volume is unknown or 0. */
double	 report_rate(int64_t complaints, int64_t volume, bool known);
/* The rate of a window (prev: of the period before it). */
double	 report_fig_rate(const struct report_fig *, bool prev);
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

const char	*report_level_name(enum report_level);
const char	*report_class_name(enum report_class);
const char	*report_auth_name(enum report_auth);
const char	*report_window_name(enum report_window);

#endif
