/* SPDX-License-Identifier: ISC */
/*
 * model: the nightly report as data (DESIGN section 6), for the renderers
 * of render.h.  The rules that make its figures are in rules.h, the SQL
 * that reads them in load.h; this module builds the model in memory from
 * the rows of the views (sql/004_report_views.sql, daily aggregates only),
 * one row at a time, so that the model can be made without a database.
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
 * The period before a window is known when it starts on or after the
 * first day of stored data (data_start: the earliest day of any stored
 * complaint or volume row).  Before that the database cannot say what the
 * period held, so its complaints (prev) and the change are unknown rather
 * than zero: a report of a database 3 weeks old shows no "+2077".
 *
 * The model owns every string in it; report_model_free() releases it.
 */
#ifndef FBL_REPORT_MODEL_H
#define FBL_REPORT_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define REPORT_SHORT_DAYS	7
#define REPORT_DEFAULT_DAYS	30
#define REPORT_MAX_DAYS		366
#define REPORT_RECOVERY_DAYS	7	/* consecutive days below the alarm */
#define REPORT_ISP_DAYS		31	/* an ISP's days kept: the report day
					   and the 30 before */

enum report_window { RW_DAY, RW_SHORT, RW_LONG, RW_N };

struct report_views;

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

enum report_level { LEVEL_OK, LEVEL_FLAGGED, LEVEL_ALARMED, LEVEL_N };

/*
 * The results of the complaint signatures of the long window, each
 * signature in one class: pass; headers verified (a headers-only copy whose
 * header signature verifies, neutral/headers-only); the other results by
 * name; neutral for the other neutrals.  Their sum is the signatures.
 */
enum report_verif_class {
	VC_PASS, VC_HEADERS, VC_FAIL, VC_PERMERROR, VC_TEMPERROR, VC_POLICY,
	VC_NEUTRAL, VC_OTHER, VC_N
};

/*
 * The verification health of signatures: each in one group, by its result
 * and, for a failure, the class ingest's diagnosis stored (docs/
 * verify-json.md): verified; headers only (no body in the copy); altered by
 * the reporter (redacted, truncated); transport damage (line ends,
 * whitespace, footers, parts added or re-encoded, charsets); key problems
 * (missing, revoked, unusable, rotated away, replaced); real mismatches
 * (the content changed, a signer's error, expired, unknown); suspected
 * forgeries; pending (a DNS temperror); failures not diagnosed; other (the
 * other neutrals).  The failure rate a manager reads counts the real
 * mismatches only (report_health_failure_rate()).
 */
enum report_health {
	RH_VERIFIED, RH_HEADERS_ONLY, RH_REPORTER, RH_TRANSPORT, RH_KEY,
	RH_MISMATCH, RH_FORGED, RH_PENDING, RH_UNDIAGNOSED, RH_OTHER, RH_N
};

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
	bool		 prev_known;	/* the model's prev_known[window] */
	int64_t		 cls[FC_N];	/* every class; FC_COMPLAINT counts
					   forged ones too */
};

struct report_isp {
	char			*reporter;	/* "yahoo", ...; never "*" */
	struct report_fig	 w[RW_N];
	/* the ESP's: complaints (class complaint, any authenticity) per
	   day, [0] the report day, [k] k days before (report/changes.c: an
	   ISP gone silent) */
	int64_t			 days[REPORT_ISP_DAYS];
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
	/* the rates of the alarm rule's days, oldest first (< 0: unknown) */
	double			 recent_rates[REPORT_RECOVERY_DAYS];
	double			 rate_before;	/* the day before them */
	enum report_level	 prev_level;	/* the level of the day before */
	/* suspected forgeries (forged, replayed) per day: [0] the report
	   day, [k] k days before */
	int64_t			 day_suspected[REPORT_RECOVERY_DAYS + 1];
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

/*
 * Why complaints (feedback class complaint) claim no customer: none of
 * their signatures is a customer's and their From domain maps to no
 * customer rule.  Each is in one reason, by the ESP token's signature it
 * carried, if any (report_esp_day, customer_id '').
 */
enum report_unattributed_reason {
	UR_ESP_VERIFIED,	/* it verified: the ESP's own mail, for a
				   customer the configuration lacks */
	UR_ESP_FAILED,		/* it did not verify */
	UR_NO_ESP,		/* none: not the ESP's mail, as far as the
				   configuration knows */
	UR_N
};

struct report_unattributed {
	int64_t		 complaints[RW_N];
	int64_t		 reason[UR_N][RW_N];
};

struct report_reason {
	char		*result;
	char		*reason;
	int64_t		 n;
};

/*
 * Why failed signatures failed: the class ingest's diagnosis stored
 * (fbl/store/diag_class.h, docs/verify-json.md) with its header field; ""
 * for a failure without a class (stored before schema 14, or not
 * diagnosed within ingest's budget).
 */
struct report_cause {
	char		*diagnosis;
	char		*field;		/* header-changed: the field, or "" */
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
	int64_t			 failed;	/* fail, permerror, policy */
	struct report_cause	*causes;	/* of those, most first */
	size_t			 ncauses;
	int64_t			 health[RH_N];	/* sums to signatures */
};

/*
 * Where the key of a selector was found when its signatures were checked:
 * in DNS; not in DNS, but the key archive holds keys of that name (a key
 * rotated away, judged under the archive: authenticity "rotated"); nowhere.
 */
enum report_key_source { KS_DNS, KS_ARCHIVE, KS_NONE, KS_N };

struct report_key {
	char		*token;
	char		*role;
	char		*customer_id;
	char		*selector;
	char		*algorithm;
	enum report_key_source source;
	int		 key_bits;	/* DNS's, else the smallest archived
					   one's; -1: no size known */
	bool		 testing;	/* t=y */
	int64_t		 signatures;	/* over the long window */
	char		 first_day[11];	/* YYYY-MM-DD */
	char		 last_day[11];
	int		 sel_year;	/* 0: not in the selector convention */
	int		 sel_month;
	int		 age_months;	/* -1: unknown */
	bool		 past_rotation;	/* age_months > rotation-months */
	bool		 sha1;
	bool		 small_key;	/* RSA under 2048 bits (the model's) */
};

struct report_unknown {
	char		*token;
	char		*role;
	int64_t		 signatures;
	int64_t		 verified;
	char		 last_day[11];	/* YYYY-MM-DD */
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
	unsigned	 only;		/* levels shown (1 << LEVEL_*), 0: all */
	double		 flag_rate;
	double		 alarm_rate;
	unsigned	 rotation_months;
	const char	*timezone;	/* for the record only */
	bool		 detail;	/* text: every row (--detail) */
	int		 silent_days;	/* an ISP silent this long is said
					   (--silent-days) */
};

/*
 * The first panel: what changed that calls for action this morning
 * (report/changes.h says how each is found), most severe first.
 */
enum report_change_kind {
	RC_ALARMED,		/* newly alarmed since the day before */
	RC_FORGERY_SPIKE,	/* suspected forgeries well above the week */
	RC_DNS_NEW,		/* a DNS or key problem first seen today */
	RC_DNS_OPEN,		/* ... still open since first_seen */
	RC_ISP_SILENT,		/* an ISP's feedback stopped */
	RC_FLAGGED,		/* newly flagged */
	RC_RECOVERED,		/* alarmed the day before, no longer */
	RC_INCOMPLETE,		/* a day whose reports still arrive */
	RC_N
};

enum report_severity { SEV_ALARM, SEV_WARN, SEV_INFO, SEV_N };

struct report_change {
	enum report_change_kind	 kind;
	enum report_severity	 severity;
	char			*subject;	/* customer, domain, ISP, day */
	char			*detail;	/* a DNS problem's check and
						   reason, else "" */
	int64_t			 count;		/* spike: suspected today */
	int64_t			 before;	/* spike: in the 7 days before;
						   silent: reports in the 14
						   days before the silence */
	int			 days;		/* open, silent; else 0 */
};

struct report_model {
	struct report_params	 p;
	char			 start[RW_N][11];	/* first day of each */
	char			 prev_start[RW_N][11];
	char			 prev_end[RW_N][11];	/* start - 1 */
	int			 len[RW_N];		/* days in each */
	char			 data_start[11];	/* "": nothing stored */
	bool			 prev_known[RW_N];	/* of the periods
							   before */
	struct report_customer	*customers;	/* alarmed, flagged, rest */
	size_t			 ncustomers;
	size_t			 nhidden;	/* left out by p.only */
	struct report_esp	 esp;
	struct report_unattributed unattributed;
	struct report_verif	*verif;		/* complaints */
	size_t			 nverif;
	int64_t			 verif_mix[VC_N];	/* of verif[] */
	int64_t			 health[RH_N];		/* of verif[] */
	size_t			 cause_at[2];	/* loading: the entry of verif[],
						   samples[] met last */
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
	char			 data_end[11];	/* the last day of stored
						   complaints; "": none */
	struct report_change	*changes;	/* the first panel */
	size_t			 nchanges;
	size_t			 changes_left;	/* past REPORT_MAX_CHANGES */
	bool			 oom;		/* finishing ran out of memory */
	/*
	 * The customer ids of the stored data, any day: read only when
	 * p.customer has no row in the windows (is it known at all?).
	 */
	char			**stored_ids;
	size_t			 nstored_ids;
	/* by sending network, by campaign, health over time (views.h) */
	struct report_views	*views;
};

/*
 * One row of a daily view (report_customer_day, report_esp_day): the
 * complaints of one day, of one reporter or of all of them ("*").
 */
struct report_day_row {
	int		 off;		/* the day - the report day (<= 0) */
	const char	*reporter;	/* "*": all reporters */
	int64_t		 cls[FC_N];	/* the ESP token's: FC_COMPLAINT only,
					   its attributed complaints */
	bool		 has_volume;	/* the day's denominator is known */
	int64_t		 volume;
	/* the ESP token's "*" rows: complaints of any authenticity, of them
	   those that carried the ESP token, and those it verified in */
	int64_t		 total;
	int64_t		 carried;
	int64_t		 verified;
	/* ... and of them those that claim no customer, of which those
	   that carried the ESP token, and those it verified in */
	int64_t		 unattributed;
	int64_t		 unattributed_carried;
	int64_t		 unattributed_verified;
};

/* One row of report_diagnosis_day: failed signatures of one cause. */
struct report_cause_row {
	bool		 sample;
	const char	*token;
	const char	*role;
	const char	*customer_id;
	const char	*diagnosis;	/* "" : none */
	const char	*field;
	int64_t		 n;
};

/* One row of report_verification_day: signatures of a result and reason. */
struct report_verif_row {
	bool		 sample;	/* of a mail sample, else a complaint */
	const char	*token;
	const char	*role;
	const char	*customer_id;
	const char	*result;
	const char	*reason;
	int64_t		 n;
	bool		 verified;	/* pass */
	bool		 headers_only;	/* the header signature verified */
};

/*
 * Building the model, for the loader (load.h) and the tests: begin, the
 * rows of each view in the order the loader reads them, then finish.
 * Strings are copied.  false: out of memory (begin: with the reason in err).
 */
/* An empty model for p; false when p's day or window is out of range. */
bool	 report_model_begin(struct report_model *, const struct report_params *,
	    struct buf *err);
/*
 * The first day of stored data (YYYY-MM-DD; NULL: none stored), before
 * any row: it says which periods before the windows are known.
 */
void	 report_model_data_start(struct report_model *, const char *day);
/* The last day of stored complaints (NULL: none), for the first panel. */
void	 report_model_data_end(struct report_model *, const char *day);
/* The configuration's esp-domain. */
bool	 report_model_esp_tokens(struct report_model *, char *const *tokens,
	    size_t n);
/* A customer's day of one reporter; customers in id order (strcmp). */
bool	 report_model_customer_day(struct report_model *, const char *customer,
	    const struct report_day_row *);
/*
 * After the customers and before finish (both look a customer up by id):
 * a token's complaints of day off, in customer and token order.  The rows
 * of a customer that was not loaded are skipped.
 */
bool	 report_model_token_day(struct report_model *, const char *customer,
	    const char *token, int off, int64_t complaints);
/* Likewise, a customer's complaints of one authenticity on day off. */
void	 report_model_auth_day(struct report_model *, const char *customer,
	    enum report_auth, int off, int64_t n);
bool	 report_model_esp_day(struct report_model *,
	    const struct report_day_row *);
/* Grouped by sample, token, role and customer; the others most first. */
bool	 report_model_verif_row(struct report_model *,
	    const struct report_verif_row *);
/*
 * After the verification rows, in their order (use, token, role,
 * customer), most first within each: the causes of a token's failures.
 * A row of no token loaded is skipped.
 */
bool	 report_model_cause_row(struct report_model *,
	    const struct report_cause_row *);
/*
 * A key as read, with sel_year and sel_month from the selector-pattern (0:
 * not dated); the age, the rotation rule and small_key follow.
 */
bool	 report_model_key_add(struct report_model *, const struct report_key *);
bool	 report_model_unknown_add(struct report_model *,
	    const struct report_unknown *);
bool	 report_model_dns_add(struct report_model *,
	    const struct report_dns_domain *);
bool	 report_model_dns_problem_add(struct report_model *,
	    const struct report_dns_problem *);
/* A customer id of the stored data (stored_ids). */
bool	 report_model_stored_id(struct report_model *, const char *id);
/*
 * The customers' levels, those --only leaves out taken away (nhidden), then
 * their order: alarmed, flagged, the rest.
 */
void	 report_model_finish(struct report_model *);
void	 report_model_free(struct report_model *);

/*
 * The levels of --only as given to it ("alarmed,flagged"), most severe
 * first, into b; "" for all.  parse: the bits of such a list, false on a
 * name that is no level.
 */
void	 report_only_names(unsigned only, struct buf *b);
bool	 report_only_parse(const char *list, unsigned *only);

/* The authenticity of a name of sql/003_standing.sql; AU_UNKNOWN if none. */
enum report_auth report_auth_of(const char *);

/* The names of the enums, as the views and the outputs spell them. */
extern const char *const report_class_names[FC_N];
extern const char *const report_auth_names[AU_N];
extern const char *const report_unattributed_names[UR_N];
extern const char *const report_level_names[LEVEL_N];
extern const char *const report_window_names[RW_N];
extern const char *const report_verif_class_names[VC_N];
extern const char *const report_health_names[RH_N];
extern const char *const report_change_names[RC_N];
extern const char *const report_change_labels[RC_N];	/* for people */
extern const char *const report_severity_names[SEV_N];
extern const char *const report_health_labels[RH_N];	/* for people */
extern const char *const report_key_source_names[KS_N];

#endif
