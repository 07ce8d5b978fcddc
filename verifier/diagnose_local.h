/* SPDX-License-Identifier: ISC */
/*
 * diagnose_local: what the diagnosis files share (diagnose.c, the header
 * hypotheses of hypo_header.c, the MIME body hypotheses of hypo_body.c);
 * not for other modules.
 */
#ifndef FBL_DIAGNOSE_LOCAL_H
#define FBL_DIAGNOSE_LOCAL_H

#include "verifier/diagnose.h"

/* May a trial over n bytes run?  Spends them when it may. */
bool	 diag_spend(struct diag_budget *, size_t n);
/* Keep the first DIAG_SHOW bytes of from in b, and its length. */
void	 diag_keep(struct buf *b, size_t *len, const struct buf *from);

/* Canonicalize body with canon and compare with bh= (l= if use_l). */
bool	 diag_body_matches(struct diag_budget *, const struct dkim_sig *,
	    enum dkim_canon, bool use_l, const char *body, size_t len);
/* Guesses at the original signed fields (RSA digest or Ed25519). */
void	 diag_header_hypotheses(struct diag_header *, struct diag_budget *,
	    const struct verify_result *, const struct sig_result *);
/* Guesses at the original MIME body, checked against bh=. */
bool	 diag_body_hypotheses(struct diag_body *, struct diag_budget *,
	    const struct verify_result *, const struct sig_result *);

#endif
