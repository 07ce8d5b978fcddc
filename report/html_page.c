/* SPDX-License-Identifier: ISC */
/* html_page: a self-contained HTML report page, see html_page.h. */
#include <string.h>

#include "report/html_page.h"
#include "report/svg.h"

/*
 * The page may load nothing: no script, no font, no image, no frame, no
 * form target.  Inline <style> and the style attribute are the only
 * exceptions.
 */
#define CSP	"default-src 'none'; style-src 'unsafe-inline'; " \
		"img-src 'none'; form-action 'none'; base-uri 'none'"

static const char css[] =
	":root{color-scheme:light}\n"
	"body{font-family:system-ui,-apple-system,'Segoe UI',Roboto,"
	"'Helvetica Neue',Arial,sans-serif;margin:0 auto;max-width:60rem;"
	"padding:1rem 1.5rem;color:#1a1a1a;background:#fff;line-height:1.45}\n"
	"h1{font-size:1.6rem;margin:.5rem 0 1rem}\n"
	"h2{font-size:1.2rem;margin:2rem 0 .5rem;padding-bottom:.2rem;"
	"border-bottom:1px solid #ccc}\n"
	/* A table wider than the screen (a phone's 390 px) scrolls in a box
	   of its own: the page keeps the screen's width. */
	".scroll{overflow-x:auto;margin:.5rem 0 1rem}\n"
	"table{border-collapse:collapse;font-size:.9rem;"
	"font-variant-numeric:tabular-nums}\n"
	/* A caption on one line where the page's width allows (a narrow
	   table widens to it), else wrapped at the screen's width and held
	   at its left edge, in view as the table scrolls (57rem: the page's
	   width; 4rem: its side padding and a scrollbar) */
	"caption{text-align:left;font-weight:600;padding:.3rem 0;"
	"position:sticky;left:0;width:max-content;"
	"max-width:min(57rem,100vw - 4rem)}\n"
	"th,td{padding:.25rem .6rem;border-bottom:1px solid #e2e2e2;"
	"vertical-align:top}\n"
	/* long names (zones, key names) break rather than widen the page */
	"td.w{overflow-wrap:anywhere;min-width:8rem}\n"
	"th{text-align:left;background:#f3f3f3}\n"
	"td.r,th.r{text-align:right}\n"
	"tbody tr:nth-child(even){background:#fafafa}\n"
	"tr.sev-alarm td{background:#fde2e1}tr.sev-warn td{background:#fff1cc}\n"
	"svg.chart{display:block;max-width:100%;height:auto;margin:.5rem 0}\n"
	/* 18rem: three to a row in the 60rem page, the small charts' fonts
	   at about their size */
	".multiples{display:grid;grid-template-columns:"
	"repeat(auto-fill,minmax(18rem,1fr));gap:0 1rem}\n"
	".multiples svg.chart{margin:.25rem 0}\n"
	".note{color:#555;font-size:.85rem}\n"
	/*
	 * A phone: the heading's date on one line, more room for tables.
	 * A table squeezed into the screen would wrap its text columns to
	 * their longest word, rows a dozen lines high: rows stay one line
	 * and the table scrolls instead.  Not a table with long names ('w'
	 * columns, the first panel's): it fits the screen by breaking them.
	 */
	"@media (max-width:30rem){body{padding:.75rem 1rem}"
	"h1{font-size:1.35rem}th,td{padding:.25rem .4rem}"
	".scroll:not(:has(td.w)) td{white-space:nowrap}}\n"
	"@media print{body{max-width:none;padding:0;font-size:10pt}"
	".scroll{overflow-x:visible}"
	"section{break-inside:avoid}h2{break-after:avoid}"
	"svg.chart{break-inside:avoid}"
	"tbody tr:nth-child(even){background:none}}\n";

static void
esc(struct buf *b, const char *s)
{
	if (s != NULL)
		svg_escape(b, s, strlen(s));
}

void
html_page_begin(struct buf *b, const char *title)
{
	buf_puts(b, "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n"
	    "<meta charset=\"utf-8\">\n"
	    "<meta name=\"viewport\" content=\"width=device-width, "
	    "initial-scale=1\">\n"
	    "<meta http-equiv=\"Content-Security-Policy\" content=\"" CSP
	    "\">\n<title>");
	esc(b, title);
	buf_puts(b, "</title>\n<style>\n");
	buf_puts(b, css);
	buf_puts(b, "</style>\n</head>\n<body>\n<h1>");
	esc(b, title);
	buf_puts(b, "</h1>\n");
}

void
html_section_begin(struct buf *b, const char *id, const char *heading)
{
	buf_puts(b, "<section");
	if (id != NULL) {
		/* An id is a fragment name: keep only what needs no escape. */
		buf_puts(b, " id=\"");
		for (; *id != '\0'; id++)
			if ((*id >= 'a' && *id <= 'z') ||
			    (*id >= 'A' && *id <= 'Z') ||
			    (*id >= '0' && *id <= '9') || *id == '-')
				buf_putc(b, *id);
		buf_putc(b, '"');
	}
	buf_puts(b, ">\n<h2>");
	esc(b, heading);
	buf_puts(b, "</h2>\n");
}

void
html_section_end(struct buf *b)
{
	buf_puts(b, "</section>\n");
}

void
html_para(struct buf *b, const char *text)
{
	buf_puts(b, "<p>");
	esc(b, text);
	buf_puts(b, "</p>\n");
}

void
html_details_begin(struct buf *b, const char *summary)
{
	buf_puts(b, "<details><summary>");
	esc(b, summary);
	buf_puts(b, "</summary>\n");
}

void
html_details_end(struct buf *b)
{
	buf_puts(b, "</details>\n");
}

void
html_note(struct buf *b, const char *text)
{
	buf_puts(b, "<p class=\"note\">");
	esc(b, text);
	buf_puts(b, "</p>\n");
}

static void
cells_in(struct buf *b, const char *row_class, const char *tag,
    const char *const *c, size_t n, const char *align)
{
	size_t	 i, alen = align != NULL ? strlen(align) : 0;

	if (row_class != NULL)
		buf_printf(b, "<tr class=\"%s\">", row_class);
	else
		buf_puts(b, "<tr>");
	for (i = 0; i < n; i++) {
		buf_printf(b, "<%s%s>", tag,
		    i < alen && align[i] == 'r' ? " class=\"r\"" :
		    i < alen && align[i] == 'w' ? " class=\"w\"" : "");
		esc(b, c != NULL ? c[i] : NULL);
		buf_printf(b, "</%s>", tag);
	}
	buf_puts(b, "</tr>\n");
}

static void
cells(struct buf *b, const char *tag, const char *const *c, size_t n,
    const char *align)
{
	cells_in(b, NULL, tag, c, n, align);
}

void
html_table_begin(struct buf *b, const char *caption, const char *const *head,
    size_t n, const char *align)
{
	buf_puts(b, "<div class=\"scroll\"><table>\n");
	if (caption != NULL) {
		buf_puts(b, "<caption>");
		esc(b, caption);
		buf_puts(b, "</caption>\n");
	}
	buf_puts(b, "<thead>");
	cells(b, "th", head, n, align);
	buf_puts(b, "</thead>\n<tbody>\n");
}

void
html_table_row(struct buf *b, const char *const *c, size_t n,
    const char *align)
{
	cells(b, "td", c, n, align);
}

void
html_table_row_class(struct buf *b, const char *row_class,
    const char *const *c, size_t n, const char *align)
{
	cells_in(b, row_class, "td", c, n, align);
}

void
html_table_end(struct buf *b)
{
	buf_puts(b, "</tbody>\n</table></div>\n");
}

void
html_multiples_begin(struct buf *b)
{
	buf_puts(b, "<div class=\"multiples\">\n");
}

void
html_multiples_end(struct buf *b)
{
	buf_puts(b, "</div>\n");
}

void
html_page_end(struct buf *b)
{
	buf_puts(b, "</body>\n</html>\n");
}
