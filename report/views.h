/* SPDX-License-Identifier: ISC */
/*
 * views: the report's views by sending network, by campaign and of the
 * authentication health of each token over time, as data (part of the
 * model, model.h), from the daily counts of schema 16 (daily_ip,
 * daily_campaign: report_ip_day, report_campaign_day) and of
 * daily_verification (report_verification_day).  The views an ESP works by
 * (Google Postmaster Tools, Microsoft SNDS), but per customer.
 *
 * Sending networks: the complaints (feedback class complaint, any
 * authenticity) of each network a Source-IP is counted by: its /24
 * (IPv4) or /48 (IPv6) when inside the configuration's sending networks,
 * labelled with the sending network it lies in (or that lies in it);
 * "outside" when outside them (replays and forgeries, not split: anyone
 * writes a report's Source-IP); "" when not known.  Of them the
 * attributed ones, those a rate counts.  No rate: volumes are known per
 * token, not per network.
 *
 * Campaigns: the attributed complaints of each Feedback-ID and
 * CFBL-Feedback-ID that a verified signature of the ESP token or of a
 * customer covers (fbl_campaigns in sql/definitions.sql), and their share of the customer's attributed
 * complaints (of the ESP's, for the ESP's list).  No rate: volumes are not
 * known per campaign (fblscope volume import has no campaign column).
 *
 * Health over time: per customer and ESP token (d=) of the complaint
 * signatures, each day of the long window its signatures and of them the
 * verified ones (pass), and the share, as the verification table has it
 * (report_verif_share).
 *
 * Every list has a cap: the entries with the most complaints (the
 * tokens: the ESP's first, then the lowest share) are kept, the others
 * counted in `more` (the loader ranks them in SQL, the model keeps at most
 * the cap whatever it is given).  Windows as model.h: the day, 7 days and
 * the long window, counted over the long window only (no period before).
 */
#ifndef FBL_REPORT_VIEWS_H
#define FBL_REPORT_VIEWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "report/model.h"

#define REPORT_NETWORKS_MAX	10	/* networks per customer, and the
					   ESP's */
#define REPORT_CAMPAIGNS_MAX	10	/* campaigns per customer, and the
					   ESP's */
#define REPORT_HEALTH_MAX	48	/* tokens with a daily series */

struct report_network {
	char		*network;	/* "192.0.2.0/24", "outside", "" */
	char		*sending;	/* the sending network it belongs to
					   (configuration), or "" */
	int64_t		 complaints[RW_N];
	int64_t		 attributed[RW_N];
};

/* The networks of one customer ("" : the ESP's, every customer). */
struct report_network_list {
	char			*customer_id;
	struct report_network	 v[REPORT_NETWORKS_MAX];	/* most
							   complaints first */
	size_t			 n;
	size_t			 more;	/* left out by the cap */
};

struct report_campaign {
	char		*customer_id;	/* whose campaign */
	char		*source;	/* "feedback-id", "cfbl" */
	char		*campaign;	/* the id */
	int64_t		 complaints[RW_N];
	double		 share;		/* of the attributed complaints of
					   the long window; < 0: none */
};

struct report_campaign_list {
	char			*customer_id;	/* "" : the ESP's */
	struct report_campaign	 v[REPORT_CAMPAIGNS_MAX];	/* most
							   complaints first */
	size_t			 n;
	size_t			 more;	/* left out by the cap */
};

/* The complaint signatures of one token, per window and per day. */
struct report_token_health {
	char		*token;
	char		*role;		/* "esp", "customer" */
	char		*customer_id;	/* "" for the ESP */
	int64_t		 signatures[RW_N];
	int64_t		 verified[RW_N];
	double		 share[RW_N];	/* verified / signatures, < 0: none */
	/*
	 * Each day of the long window, oldest first (index len[RW_LONG] - 1
	 * is the report day), as the customers' series in model.h.
	 */
	int64_t		 day_signatures[REPORT_MAX_DAYS];
	int64_t		 day_verified[REPORT_MAX_DAYS];
	double		 day_share[REPORT_MAX_DAYS];	/* < 0: none */
	int		 worst;		/* the day of the lowest share (an
					   index of the series), -1: none */
};

struct report_views {
	struct report_network_list	 esp_networks;
	struct report_network_list	*networks;	/* per customer, id
							   order */
	size_t				 nnetworks;
	size_t				 networks_cap;
	struct report_campaign_list	 esp_campaigns;
	struct report_campaign_list	*campaigns;
	size_t				 ncampaigns;
	size_t				 campaigns_cap;
	struct report_token_health	*health;	/* the ESP's first,
							   then lowest share */
	size_t				 nhealth;	/* at most
							   REPORT_HEALTH_MAX */
	size_t				 health_more;	/* past the cap */
};

/*
 * Rows as the loader reads them.  A network or a campaign comes once, with
 * its counts per window (RW_*), the entries of a list in their rank (most
 * complaints of the long window first), each with the number of entries
 * its list has in all (total); a token comes once per day (off <= 0 from
 * the report day).  customer_id NULL: the ESP's list.  false: out of
 * memory.
 */
struct report_network_row {
	const char	*customer_id;
	const char	*network;
	const char	*sending;	/* "" : none */
	size_t		 total;
	int64_t		 complaints[RW_N];
	int64_t		 attributed[RW_N];
};

struct report_campaign_row {
	const char	*customer_id;	/* the list's; NULL: the ESP's */
	const char	*owner;		/* the campaign's customer */
	const char	*source;
	const char	*campaign;
	size_t		 total;
	int64_t		 complaints[RW_N];
};

struct report_health_row {
	const char	*token;
	const char	*role;
	const char	*customer_id;
	size_t		 total;
	int		 off;
	int64_t		 signatures;
	int64_t		 verified;
};

bool	 report_views_network_row(struct report_model *,
	    const struct report_network_row *);
bool	 report_views_campaign_row(struct report_model *,
	    const struct report_campaign_row *);
bool	 report_views_health_row(struct report_model *,
	    const struct report_health_row *);
/*
 * After the customers are final (report_model_finish): the lists of the
 * customers --only left out go, the shares and the order are set.
 */
void	 report_views_finish(struct report_model *);
void	 report_views_free(struct report_views *);

/* m's views; an empty one when m has none. */
const struct report_views *report_views_of(const struct report_model *);
/* The list of a customer shown, or NULL: none. */
const struct report_network_list *report_views_networks(
	    const struct report_model *, const char *customer_id);
const struct report_campaign_list *report_views_campaigns(
	    const struct report_model *, const char *customer_id);

#endif
