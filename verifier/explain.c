/* explain: placeholder until the full trace lands. */
#include "verifier/explain.h"
#include "verifier/render.h"

void
explain_render(struct buf *b, const char *file, const struct verify_result *vr)
{
	render_text(b, file, vr);
}
