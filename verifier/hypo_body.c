/* SPDX-License-Identifier: ISC */
#include "verifier/diagnose_local.h"

bool
diag_body_hypotheses(struct diag_body *o, struct diag_budget *bg,
    const struct verify_result *vr, const struct sig_result *sr)
{
	(void)o; (void)bg; (void)vr; (void)sr;
	return false;
}
