/* SPDX-License-Identifier: ISC */
/*
 * html_page: one self-contained HTML5 document for people (DESIGN section
 * 6), written into a struct buf: inline CSS (system font stack, readable
 * tables, print-friendly, a phone's screen as wide as it needs: no
 * horizontal scrolling of the page), no script, no external resource, and a
 * Content-Security-Policy that forbids loading any (so a chart or a label
 * that slipped a URL through still fetches nothing).  Every text argument
 * is escaped (svg_escape); charts from svg.h go in between as they are.
 *
 * Calls nest as the document does:
 *   html_page_begin
 *     html_section_begin  html_para | html_table_* | svg_* |
 *         html_multiples_begin svg_* html_multiples_end  html_section_end
 *   html_page_end
 * Errors (out of memory) are sticky in the buffer: check buf_ok() at the end.
 */
#ifndef FBL_HTML_PAGE_H
#define FBL_HTML_PAGE_H

#include <stddef.h>

#include "base/buf.h"

/* Doctype, head (charset, viewport, CSP, style, <title>), <body>, <h1>. */
void	 html_page_begin(struct buf *, const char *title);
/* A <section> with an <h2>; id (letters, digits, '-') may be NULL. */
void	 html_section_begin(struct buf *, const char *id, const char *heading);
void	 html_section_end(struct buf *);
/* A paragraph of plain text; class "note" makes it small and grey. */
void	 html_para(struct buf *, const char *text);
void	 html_note(struct buf *, const char *text);
/* A part the reader opens (<details>): no script needed. */
void	 html_details_begin(struct buf *, const char *summary);
void	 html_details_end(struct buf *);
/*
 * A table: caption (may be NULL) and a header row of n cells.  align holds
 * one letter per column, 'l', 'r' (numbers) or 'w' (left, long names may
 * break anywhere), or is NULL for all left;
 * html_table_row takes the same align string.  A NULL cell is empty.
 * The table sits in a box of its own that scrolls sideways when the
 * screen is narrower than the table (a phone's), so the page never does.
 * On a phone its rows stay one line high, unless it has a 'w' column:
 * then its cells wrap and the long names break to fit the screen (the
 * first panel's table must fit it).
 */
void	 html_table_begin(struct buf *, const char *caption,
	    const char *const *head, size_t n, const char *align);
void	 html_table_row(struct buf *, const char *const *cells, size_t n,
	    const char *align);
/* A row with a class of the page's CSS: "sev-alarm", "sev-warn". */
void	 html_table_row_class(struct buf *, const char *row_class,
	    const char *const *cells, size_t n, const char *align);
void	 html_table_end(struct buf *);
/*
 * Small multiples: the small charts (svg.h, struct svg_chart small) in
 * between go in a grid, three in a row on a wide page, fewer on a narrow.
 */
void	 html_multiples_begin(struct buf *);
void	 html_multiples_end(struct buf *);
/* Closes <body> and <html>. */
void	 html_page_end(struct buf *);

#endif
