/* SPDX-License-Identifier: ISC */
/*
 * load: the report model (model.h) read from PostgreSQL, from the views of
 * sql/004_report_views.sql (load.c) and the key audits of
 * sql/009_key_audit.sql (load_dns.c), in one read-only snapshot.  The only
 * part of report/ that speaks SQL.
 */
#ifndef FBL_REPORT_LOAD_H
#define FBL_REPORT_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "fbl/store/db.h"
#include "report/model.h"

/*
 * What the report takes from the configuration, given by the command: the
 * esp-domain, and the dating of a selector by the selector-pattern (true
 * with its year and month), so that the model needs no classifier.
 */
struct report_config {
	char *const	*esp_domains;
	size_t		 nesp_domains;
	bool		(*date_selector)(const void *arg, const char *selector,
			    int *year, int *month);
	/*
	 * The sending-network of the configuration that a network of the
	 * report (a /24 or /48) lies in, or that lies in it, as written
	 * there, into out; false: none.  May be NULL.
	 */
	bool		(*sending_network)(const void *arg, const char *network,
			    struct buf *out);
	const void	*arg;		/* for date_selector, sending_network */
};

/*
 * Fill the model for p from the database (schema 9 or later); cfg may
 * be NULL.  false with the reason in err.  The model is to be freed
 * (report_model_free) either way.
 */
bool	 report_model_load(struct report_model *, struct db *,
	    const struct report_params *, const struct report_config *,
	    struct buf *err);
/*
 * The "DNS and keys" part (load_dns.c): each domain's latest key audit on
 * or before the day, and its open problems, worst and oldest first.
 * Called by report_model_load inside its snapshot.
 */
bool	 report_load_dns(struct report_model *, struct db *, struct buf *err);
/*
 * The views by sending network, by campaign and of token health over time
 * (load_views.c, views.h).  Called by report_model_load inside its
 * snapshot, after the customers and the ESP token.
 */
bool	 report_load_views(struct report_model *, struct db *,
	    const struct report_config *, struct buf *err);

/*
 * The values of a result row, for load.c and load_dns.c.  Text points into
 * the result: the model copies what it keeps.  A number is 0 for NULL.
 * load_texts fills the n fields given from the columns first, first + 1,
 * ..., in SELECT order.
 */
char	*load_text(const struct db_rows *, size_t row, int col);
int64_t	 load_num(const struct db_rows *, size_t row, int col);
void	 load_texts(const struct db_rows *, size_t row, int first,
	    char **const *fields, size_t n);

#endif
