/* SPDX-License-Identifier: ISC */
/*
 * render: the ways a verify_result is shown.  Each appends to a buf; the
 * command writes it out.  JSON is one line per message (JSON Lines); its
 * fields are documented in docs/verify-json.md.
 */
#ifndef FBL_RENDER_H
#define FBL_RENDER_H

#include "base/buf.h"
#include "verifier/diagnose.h"
#include "verifier/verify.h"

/*
 * What the command knows beside the verify_result; NULL (or a NULL member)
 * adds nothing.  dg: the diagnosis (--explain), rendered as the JSON
 * "diagnosis" and "trace" objects and as an Authentication-Results comment.
 */
struct render_extra {
	const struct diagnosis	*dg;
	/* the message verified is the original a report carries */
	const char		*inner_kind;	/* "ARF", "complaint" */
	const char		*inner_form;	/* "rfc822", ... */
};

/*
 * "original of a feedback report (ARF), given as rfc822" between before
 * and after, when the message verified is one; the one wording of it.
 */
void	 render_inner(struct buf *, const char *before,
	    const struct render_extra *, const char *after);

/* Message-level word: none (no signature), pass (all passed), fail. */
const char	*verify_summary_word(const struct verify_result *);

void	 render_text(struct buf *, const char *file,
	    const struct verify_result *, const struct render_extra *);
void	 render_json(struct buf *, const char *file,
	    const struct verify_result *, const struct render_extra *);
/*
 * RFC 8601 Authentication-Results field, folded with LF and TAB, naming
 * file in a comment after the authserv-id.
 */
void	 render_ar(struct buf *, const char *authserv_id, const char *file,
	    const struct verify_result *, const struct render_extra *);
/*
 * before, "l= leaves N bytes of the body unsigned", after; when
 * sig_l_warns(): the one wording of the l= warning in every format.
 */
void	 render_l_warning(struct buf *, const char *before,
	    const struct sig_result *, const char *after);
/*
 * The signature object of the JSON form (shared with fbl/ renderers); sd,
 * when not NULL, adds its "trace" and "diagnosis" (render_diag.c).
 */
void	 render_json_sig(struct buf *, const struct sig_result *, size_t idx,
	    bool has_body, const struct sig_diag *sd);
void	 render_json_diag(struct buf *, const struct sig_result *,
	    const struct sig_diag *, bool *first);
/* " (diagnosis: CAUSE: SENTENCE)" for a signature sd diagnosed. */
void	 render_ar_diag(struct buf *, const struct sig_result *,
	    const struct sig_diag *);

#endif
