/*
 * render: the ways a verify_result is shown.  Each appends to a buf; the
 * command writes it out.  JSON is one line per message (JSON Lines); its
 * fields are documented in docs/verify-json.md.
 */
#ifndef FBL_RENDER_H
#define FBL_RENDER_H

#include "base/buf.h"
#include "verifier/verify.h"

/* Message-level word: none (no signature), pass (all passed), fail. */
const char	*verify_summary_word(const struct verify_result *);

void	 render_text(struct buf *, const char *file,
	    const struct verify_result *);
void	 render_json(struct buf *, const char *file,
	    const struct verify_result *);
/*
 * RFC 8601 Authentication-Results field, folded with LF and TAB, naming
 * file in a comment after the authserv-id.
 */
void	 render_ar(struct buf *, const char *authserv_id, const char *file,
	    const struct verify_result *);
/* The signature object of the JSON form (shared with fbl/ renderers). */
void	 render_json_sig(struct buf *, const struct sig_result *, size_t idx,
	    bool has_body);

#endif
