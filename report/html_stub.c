/*
 * html_stub: the place of the HTML renderer (one self-contained page with
 * inline SVG charts) until report/html.c replaces this file.
 */
#include "report/render.h"

bool
report_render_html(struct buf *out, const struct report_model *m)
{
	(void)m;
	buf_reset(out);
	buf_puts(out, "HTML output is not yet implemented in this build; use "
	    "--format text, csv or json");
	return false;
}
