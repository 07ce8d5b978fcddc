/* SPDX-License-Identifier: ISC */
/*
 * svg: inline SVG charts for the self-contained HTML report (DESIGN
 * section 6), written into a struct buf.
 *
 * Contract:
 * - No script, no external font, image or style, no URL at all: the markup
 *   is meant to be inlined in an HTML5 page, where the SVG namespace is
 *   implied, so the root element carries no xmlns (a standalone .svg file
 *   needs xmlns="http://www.w3.org/2000/svg" added to it).
 * - Well-formed XML: every text (titles, labels, series names: customer
 *   names come from mail) goes through svg_escape().
 * - Accessible: <svg role="img">, <title> (the accessible name) and <desc>
 *   (a generated summary unless the caller gives one) as first children.
 * - Scales: sizes are user units inside a viewBox; width 100 %.
 * - Values must be finite and, except in line charts, not negative: a chart
 *   given NaN, an infinity or a refused negative is not drawn, the function
 *   returns false and leaves the buffer as it was.  The one exception: in a
 *   line chart NaN (SVG_UNKNOWN) is a value not known (a day without
 *   sending volume has no rate), drawn as a gap in its line, never as 0.
 *   No data (no known points, a zero total) draws a "no data" chart and
 *   returns true.
 * - Colours: a fixed colour-blind-safe palette (Okabe-Ito); series 9 to 12
 *   reuse it with dashed lines.  At most SVG_MAX_SERIES series or parts.
 * - Axes start at zero and end on a 1-2-5 "nice" number (svg_axis_scale):
 *   a truncated axis exaggerates.
 * - The functions return false also when the buffer is out of memory.
 */
#ifndef FBL_SVG_H
#define FBL_SVG_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define SVG_MAX_SERIES	12
#define SVG_MAX_THRESHOLDS 4
#define SVG_PALETTE_N	8
#define SVG_UNKNOWN	NAN	/* a line chart's value not known: a gap */
#define SVG_WIDTH	720	/* a chart's width in user units */
#define SVG_SMALL_WIDTH	300	/* ... a small one's: three to a row */

/* What every chart is given besides its data. */
struct svg_chart {
	const char	*title;		/* shown on top, and the <title> */
	const char	*desc;		/* the <desc>; NULL: a generated summary */
	const char	*unit;		/* after tick values: "%", or NULL */
	/* line charts: the axes' titles, under the x axis and above the
	   value axis ("day (UTC)", "complaint rate, %"); NULL: none */
	const char	*x_title;
	const char	*y_title;
	/* line charts: one of small multiples, SVG_SMALL_WIDTH wide (a page
	   sets three in a row), fewer ticks, names clipped shorter */
	bool		 small;
};

/*
 * One line: v[i] is the value at x label i (only min(n, nx) are drawn);
 * SVG_UNKNOWN where it is not known.
 */
struct svg_series {
	const char	*name;
	const double	*v;
	size_t		 n;
};

/*
 * A horizontal line across a chart at value, with its label written on it
 * as given: the caller puts the value in ("alarm 0.300%") so that it reads
 * as the rest of the report writes it.
 */
struct svg_threshold {
	const char	*label;
	double		 value;
};

/* One part of a stacked bar, or one bar of a bar chart. */
struct svg_part {
	const char	*name;
	double		 value;
	unsigned	 colour;	/* 1..SVG_PALETTE_N; 0: by position */
};

/* A value axis: lo (0 or below) to hi in intervals of step. */
struct svg_axis {
	double		 lo;
	double		 hi;
	double		 step;
	unsigned	 intervals;	/* (hi - lo) / step */
	int		 decimals;	/* digits after the point of a tick */
};

/*
 * The axis from min(0, lo) to max(0, hi) in at most max_intervals (>= 1)
 * steps of 1, 2 or 5 times a power of ten, the smallest that fits; integral:
 * the values are counts, so the step is at least 1.  An empty range becomes
 * 0..1.  False for a non-finite bound.
 */
bool	 svg_axis_scale(double lo, double hi, unsigned max_intervals,
	    bool integral, struct svg_axis *);

/*
 * Several series over the same x labels (days).  Each line is one <path>,
 * a subpath ("M") for each run of known values, with a marker at each
 * known point (while they stay apart; a point alone between gaps always
 * has one).  Lines are told apart by direct labels: each series' name
 * right of the plot, at the height of its last known value (labels pushed
 * apart so they do not overlap), joined to that point by a dotted leader;
 * no legend.  At most SVG_MAX_THRESHOLDS thresholds: dashed horizontal
 * lines with their label on the line at the left of the plot, and the axis
 * reaches them so they are always in view.
 */
bool	 svg_line_chart(struct buf *, const struct svg_chart *,
	    const char *const *xlabels, size_t nx,
	    const struct svg_series *, size_t ns,
	    const struct svg_threshold *, size_t nt);

/* One horizontal bar split into parts, with counts and percentages. */
bool	 svg_stacked_bar(struct buf *, const struct svg_chart *,
	    const struct svg_part *, size_t n);

/* Horizontal bars by category (complaints by ISP), value at each bar. */
bool	 svg_bar_chart(struct buf *, const struct svg_chart *,
	    const struct svg_part *, size_t n);

/*
 * len bytes of text made safe for XML/HTML text and double- or
 * single-quoted attributes: & < > " ' as entities; controls (TAB, CR, LF
 * as a space), invalid UTF-8 and the non-characters XML refuses as U+FFFD.
 */
void	 svg_escape(struct buf *, const char *, size_t);

#endif
