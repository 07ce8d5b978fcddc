/* SPDX-License-Identifier: ISC */
/*
 * complaint: the one step from a message's raw bytes to what `fblscope
 * arf` shows and `fblscope ingest` stores: the report (arf.h), the
 * original it carries parsed as a message, the clock its signatures are
 * verified at, and their verification (verify.h).
 *
 * The clock is the message's own (complaint_clock(): the report's
 * Arrival-Date or Received-Date, else its Date, else the original's Date),
 * so that `arf` and `ingest` give one verdict and a re-ingested message the
 * same; vo->now when the message has none, or always when the caller fixes
 * the clock (`arf --at`).  Where it came from is said in clock:
 * "arrival-date", "report-date", "original-date", "now" or "option".
 *
 * The original is verified when the report gives one (not empty) and the
 * message is not not-arf or unparseable; a verification that fails for
 * want of memory leaves it unverified.
 */
#ifndef FBL_COMPLAINT_H
#define FBL_COMPLAINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/feedback/arf.h"
#include "verifier/commands.h"
#include "verifier/message.h"
#include "verifier/verify.h"

struct complaint {
	struct arf_report	 report;
	struct message		 original;	/* parsed; see have_original */
	bool			 have_original;
	int64_t			 now;		/* the verification clock */
	const char		*clock;		/* where now came from */
	struct verify_result	 vr;		/* see verified */
	bool			 verified;
};

/*
 * Take raw[0..len) apart and verify its original with vo (keys, skew; now
 * the fallback clock, or the clock when fixed_clock).  False only when out
 * of memory, with nothing left to free.
 */
bool	 complaint_make(struct complaint *, const struct verify_opts *vo,
	    bool fixed_clock, const char *raw, size_t len);
void	 complaint_free(struct complaint *);

/*
 * The finder `fblscope verify` is given (verifier/commands.h): for a
 * feedback report or complaint that carries the mail complained about (not
 * inline: then the message is its own original), the original; 0 for
 * anything else, which verify takes as it is.
 */
int	 complaint_find_original(const char *raw, size_t len,
	    struct verify_inner *);
void	 complaint_release_original(struct verify_inner *);
extern const struct verify_unwrap complaint_unwrap;

#define COMPLAINT_MAX_DATE	256	/* bytes of a Date value looked at */

/*
 * The time the message arrived: the report's Arrival-Date (or
 * Received-Date), else the report's Date, else the original's Date;
 * *from names the rule ("arrival-date", "report-date", "original-date").
 * False when none parses (*from "none").
 */
bool	 complaint_clock(const struct arf_report *,
	    const struct message *original, int64_t *t, const char **from);

#endif
