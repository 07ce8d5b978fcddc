/* SPDX-License-Identifier: ISC */
/* svg: inline SVG charts, see svg.h. */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "report/svg.h"

/* Okabe-Ito, ordered so the first lines are the most distinct; yellow is
 * last because a thin yellow line on white is hard to see. */
static const char *const palette[SVG_PALETTE_N] = {
	"#0072B2", "#E69F00", "#009E73", "#CC79A7",
	"#56B4E9", "#D55E00", "#000000", "#F0E442",
};
/* Text drawn on a part of that colour. */
static const char *const on_palette[SVG_PALETTE_N] = {
	"#fff", "#000", "#fff", "#000", "#000", "#fff", "#fff", "#000",
};

#define W		SVG_WIDTH
#define FONT		"system-ui, -apple-system, 'Segoe UI', Roboto, " \
			"'Helvetica Neue', Arial, sans-serif"

/* ---- text --------------------------------------------------------- */

/* Length of the UTF-8 sequence at s (at most len bytes) and its code
 * point, or 0 when it is not valid (overlong, surrogate, too large). */
static size_t
utf8_decode(const unsigned char *s, size_t len, uint32_t *cp)
{
	size_t		 n, i;
	uint32_t	 c, min;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2, c = s[0] & 0x1f, min = 0x80;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3, c = s[0] & 0x0f, min = 0x800;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4, c = s[0] & 0x07, min = 0x10000;
	} else
		return 0;
	if (n > len)
		return 0;
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3f);
	}
	if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return n;
}

/* XML 1.0 refuses most controls and U+FFFE/U+FFFF even as references. */
static bool
xml_char_ok(uint32_t c)
{
	if (c < 0x20 || c == 0x7f)
		return false;
	if (c >= 0x80 && c < 0xa0)
		return false;
	return c != 0xfffe && c != 0xffff;
}

/* Escape at most maxcp characters of s, then an ellipsis if any are left:
 * names from mail can be of any length. */
static void
escape_clip(struct buf *b, const char *s, size_t len, size_t maxcp)
{
	const unsigned char	*p = (const unsigned char *)s;
	size_t			 i = 0, n, ncp = 0;
	uint32_t		 c;

	while (i < len) {
		if (ncp++ == maxcp) {
			buf_puts(b, "\xe2\x80\xa6");
			return;
		}
		if ((n = utf8_decode(p + i, len - i, &c)) == 0) {
			buf_puts(b, "\xef\xbf\xbd");
			i++;
			continue;
		}
		switch (c) {
		case '&': buf_puts(b, "&amp;"); break;
		case '<': buf_puts(b, "&lt;"); break;
		case '>': buf_puts(b, "&gt;"); break;
		case '"': buf_puts(b, "&quot;"); break;
		case '\'': buf_puts(b, "&#39;"); break;
		case '\t': case '\n': case '\r': buf_putc(b, ' '); break;
		default:
			if (xml_char_ok(c))
				buf_append(b, p + i, n);
			else
				buf_puts(b, "\xef\xbf\xbd");
		}
		i += n;
	}
}

void
svg_escape(struct buf *b, const char *s, size_t len)
{
	if (s != NULL)
		escape_clip(b, s, len, SIZE_MAX);
}

static void
esc(struct buf *b, const char *s)
{
	if (s != NULL)
		escape_clip(b, s, strlen(s), SIZE_MAX);
}

static void
esc_label(struct buf *b, const char *s, size_t maxcp)
{
	if (s != NULL)
		escape_clip(b, s, strlen(s), maxcp);
}

/*
 * v with decimals digits and thousands separators; beyond what "%.0f"
 * shows readably, three significant digits.
 */
static void
put_num(struct buf *b, double v, int decimals)
{
	char	 tmp[64];
	size_t	 i, start, intlen;
	int	 n;

	if (!isfinite(v) || v >= 1e15 || v <= -1e15) {
		buf_printf(b, "%.3g", v);
		return;
	}
	if (v == 0)
		v = 0;		/* no "-0" */
	n = snprintf(tmp, sizeof(tmp), "%.*f", decimals, v);
	if (n < 0 || (size_t)n >= sizeof(tmp))
		return;
	start = tmp[0] == '-';
	for (intlen = start; tmp[intlen] >= '0' && tmp[intlen] <= '9'; intlen++)
		;
	intlen -= start;
	buf_append(b, tmp, start);
	for (i = 0; i < intlen; i++) {
		if (i > 0 && (intlen - i) % 3 == 0)
			buf_putc(b, ',');
		buf_putc(b, tmp[start + i]);
	}
	buf_puts(b, tmp + start + intlen);
}

static void
put_value(struct buf *b, double v, int decimals, const char *unit)
{
	put_num(b, v, decimals);
	if (unit != NULL && *unit != '\0') {
		buf_putc(b, ' ');
		esc(b, unit);
	}
}

/* Decimals that show v exactly enough: integers none, else two. */
static int
value_decimals(double v)
{
	if (v >= 1e15 || v <= -1e15)
		return 0;	/* also keeps the cast below defined */
	return v == (double)(int64_t)v ? 0 : 2;
}

/* ---- axis --------------------------------------------------------- */

/* 10^k for 0 <= k, by multiplication: exact up to 10^22. */
static double
ten(int k)
{
	double	 p = 1;

	while (k-- > 0)
		p *= 10;
	return p;
}

/* The smallest integer >= x, for 0 <= x < 2^53, forgiving the rounding
 * error of a division (0.7 / 0.1 = 6.999...). */
static double
ceil_tol(double x)
{
	double	 c;

	x -= 1e-9;
	if (x <= 0)
		return 0;
	c = (double)(uint64_t)x;
	return c < x ? c + 1 : c;
}

bool
svg_axis_scale(double lo, double hi, unsigned max_intervals, bool integral,
    struct svg_axis *ax)
{
	static const int	 mult[] = { 1, 2, 5 };
	double			 raw, step, up, down;
	int			 e, m;

	if (!isfinite(lo) || !isfinite(hi))
		return false;
	if (max_intervals == 0)
		max_intervals = 1;
	if (lo > 0)
		lo = 0;
	if (hi < 0)
		hi = 0;
	/* Halves first: hi - lo may overflow. */
	raw = (hi / 2 - lo / 2) / max_intervals * 2;
	if (raw < 1e-300) {
		hi = 1;
		raw = (hi - lo) / max_intervals;
	}
	if (integral && raw < 1)
		raw = 1;
	for (e = 0; ten(e + 1) <= raw && e < 400; e++)
		;
	while (e > -300 && (e >= 0 ? ten(e) : 1 / ten(-e)) > raw)
		e--;
	for (m = 0;; ) {
		step = e >= 0 ? mult[m] * ten(e) : mult[m] / ten(-e);
		up = ceil_tol(hi / step);
		down = ceil_tol(-lo / step);
		if (step >= raw && up + down <= max_intervals)
			break;
		if (++m == 3) {
			m = 0;
			e++;
		}
	}
	ax->step = step;
	ax->hi = up * step;
	ax->lo = -down * step;
	ax->intervals = (unsigned)(up + down);
	ax->decimals = e < 0 ? -e : 0;
	if (!isfinite(ax->hi) || !isfinite(ax->lo)) {
		/* Near DBL_MAX no nice bound exists: use the data's. */
		ax->hi = hi;
		ax->lo = lo;
		ax->intervals = max_intervals;
		ax->step = hi / max_intervals - lo / max_intervals;
		ax->decimals = 0;
	}
	return true;
}

/* Where v lies between the axis ends, 0 to 1, without overflow. */
static double
axis_frac(const struct svg_axis *ax, double v)
{
	double	 span = ax->hi / 2 - ax->lo / 2;

	return span > 0 ? (v / 2 - ax->lo / 2) / span : 0;
}

/* Tick i's value: lo + i * step, the last exactly hi. */
static double
axis_tick(const struct svg_axis *ax, unsigned i)
{
	if (i == ax->intervals)
		return ax->hi;
	return ax->lo + i * ax->step;
}

/* ---- frame -------------------------------------------------------- */

static int
chart_width(const struct svg_chart *c)
{
	return c->small ? SVG_SMALL_WIDTH : W;
}

static void
chart_begin(struct buf *b, const struct svg_chart *c, int h,
    const struct buf *autodesc)
{
	int	 w = chart_width(c);

	buf_printf(b, "<svg role=\"img\" viewBox=\"0 0 %d %d\" width=\"100%%\" "
	    "preserveAspectRatio=\"xMinYMin meet\" font-family=\"%s\" "
	    "font-size=\"12\" class=\"chart\">\n<title>", w, h, FONT);
	esc(b, c->title);
	buf_puts(b, "</title>\n<desc>");
	if (c->desc != NULL)
		esc(b, c->desc);
	else
		svg_escape(b, buf_cstr(autodesc), autodesc->len);
	buf_puts(b, "</desc>\n");
	buf_printf(b, "<rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" "
	    "fill=\"#fff\"/>\n", w, h);
	buf_printf(b, "<text x=\"12\" y=\"%d\" font-size=\"%d\" "
	    "font-weight=\"bold\">", c->small ? 20 : 22, c->small ? 14 : 15);
	/* About the characters of that size the width holds. */
	esc_label(b, c->title, c->small ? 34 : 90);
	buf_puts(b, "</text>\n");
}

static bool
chart_end(struct buf *b)
{
	buf_puts(b, "</svg>\n");
	return buf_ok(b);
}

static bool
no_data(struct buf *b, const struct svg_chart *c)
{
	struct buf	 d = BUF_INIT;

	buf_puts(&d, "No data.");
	chart_begin(b, c, 90, &d);
	buf_free(&d);
	buf_printf(b, "<text x=\"%d\" y=\"60\" text-anchor=\"middle\" "
	    "fill=\"#555\" font-size=\"14\">No data</text>\n",
	    chart_width(c) / 2);
	return chart_end(b);
}

static bool
parts_ok(const struct svg_part *p, size_t n)
{
	size_t	 i;

	if (n > SVG_MAX_SERIES)
		return false;
	for (i = 0; i < n; i++)
		if (!isfinite(p[i].value) || p[i].value < 0 ||
		    p[i].colour > SVG_PALETTE_N)
			return false;
	return true;
}

static size_t
part_colour(const struct svg_part *p, size_t i)
{
	return p->colour > 0 ? p->colour - 1 : i % SVG_PALETTE_N;
}

/* ---- line chart --------------------------------------------------- */

/* The geometry of a line chart, full width or one of small multiples. */
struct line_layout {
	int		 left;		/* the plot's left edge */
	int		 top;
	int		 height;	/* of the plot */
	unsigned	 ticks;		/* value axis: at most so many steps */
	size_t		 xlabels;	/* day labels: about this many */
	size_t		 name_max;	/* characters of a direct label */
	double		 marker_gap;	/* markers while points are this far
					   apart */
};

static const struct line_layout line_full = { 72, 56, 240, 6, 8, 20, 10 };
static const struct line_layout line_small = { 50, 52, 110, 4, 4, 12, 8 };

#define CHAR_W		7	/* a character at 12 units, about */
#define LABEL_GAP	13	/* between the baselines of direct labels */
#define THR_COLOUR	"#B00"
/* Around a threshold's label: readable where a line crosses it. */
#define HALO		"stroke=\"#fff\" stroke-width=\"3\" " \
			"paint-order=\"stroke\""

struct line_frame {
	const struct line_layout *l;
	struct svg_axis	 ax;
	double		 right;		/* plot area's right edge */
	size_t		 nx;
	const char	*unit;
};

static double
line_x(const struct line_frame *f, size_t i)
{
	double	 pw = f->right - f->l->left;

	if (f->nx < 2)
		return f->l->left + pw / 2;
	return f->l->left + pw * (double)i / (double)(f->nx - 1);
}

static double
line_y(const struct line_frame *f, double v)
{
	return f->l->top + f->l->height * (1 - axis_frac(&f->ax, v));
}

static int
line_bottom(const struct line_frame *f)
{
	return f->l->top + f->l->height;
}

/* Characters of s (UTF-8), at most max. */
static size_t
label_chars(const char *s, size_t max)
{
	size_t	 n = 0;

	for (; s != NULL && *s != '\0' && n < max; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return n;
}

static void
line_grid(struct buf *b, const struct line_frame *f,
    const struct svg_chart *c, const char *const *xlabels)
{
	const struct line_layout *l = f->l;
	unsigned	 i;
	size_t		 x, every;
	double		 y;

	for (i = 0; i <= f->ax.intervals; i++) {
		y = line_y(f, axis_tick(&f->ax, i));
		buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"#ddd\"/>\n", l->left, y, f->right, y);
		buf_printf(b, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" "
		    "fill=\"#333\">", l->left - 6, y + 4);
		put_value(b, axis_tick(&f->ax, i), f->ax.decimals, f->unit);
		buf_puts(b, "</text>\n");
	}
	/*
	 * A few labels under the axis (30 days would collide), counted from
	 * the last: the report day is always named.
	 */
	every = (f->nx + l->xlabels - 1) / l->xlabels;
	for (x = (f->nx - 1) % every; x < f->nx; x += every) {
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
		    "fill=\"#333\">", line_x(f, x), line_bottom(f) + 16);
		esc_label(b, xlabels != NULL ? xlabels[x] : NULL, 12);
		buf_puts(b, "</text>\n");
	}
	buf_printf(b, "<line x1=\"%d\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" "
	    "stroke=\"#333\"/>\n", l->left, line_bottom(f), f->right,
	    line_bottom(f));
	if (c->y_title != NULL) {
		buf_printf(b, "<text x=\"12\" y=\"%d\" fill=\"#333\">",
		    l->top - 16);
		esc_label(b, c->y_title, c->small ? 40 : 90);
		buf_puts(b, "</text>\n");
	}
	if (c->x_title != NULL) {
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
		    "fill=\"#333\">", (l->left + f->right) / 2,
		    line_bottom(f) + 34);
		esc_label(b, c->x_title, c->small ? 40 : 90);
		buf_puts(b, "</text>\n");
	}
}

/*
 * The thresholds, each label on its line at the left of the plot; a label
 * that would touch the one of the threshold above goes under its line.
 */
static void
line_thresholds(struct buf *b, const struct line_frame *f,
    const struct svg_threshold *t, size_t nt)
{
	size_t	 order[SVG_MAX_THRESHOLDS], i, j, k;
	double	 y, ly, prev = -1e9;

	for (i = 0; i < nt; i++) {
		for (j = i; j > 0 && t[order[j - 1]].value < t[i].value; j--)
			order[j] = order[j - 1];
		order[j] = i;
	}
	for (i = 0; i < nt; i++) {
		k = order[i];
		y = line_y(f, t[k].value);
		ly = y - 5;
		if (ly - prev < LABEL_GAP)
			ly = y + 14;
		prev = ly;
		buf_printf(b, "<line x1=\"%d\" y1=\"%.1f\" x2=\"%.1f\" "
		    "y2=\"%.1f\" stroke=\"" THR_COLOUR "\" "
		    "stroke-width=\"1.5\" stroke-dasharray=\"6 4\"/>\n",
		    f->l->left, y, f->right, y);
		buf_printf(b, "<text x=\"%d\" y=\"%.1f\" fill=\"" THR_COLOUR
		    "\" " HALO ">", f->l->left + 6, ly);
		esc_label(b, t[k].label, 24);
		buf_puts(b, "</text>\n");
	}
}

static bool
known(const struct svg_series *s, size_t i)
{
	return i < s->n && !isnan(s->v[i]);
}

/* The index of the last known value of s within nx, or nx if none. */
static size_t
last_known(const struct svg_series *s, size_t nx)
{
	size_t	 i = s->n < nx ? s->n : nx;

	while (i-- > 0)
		if (!isnan(s->v[i]))
			return i;
	return nx;
}

/*
 * The baselines of the direct labels (ly[k], for the series with a known
 * value): at their last value, pushed apart LABEL_GAP from each other and
 * kept above the bottom of the plot.
 */
static void
label_places(const struct line_frame *f, const struct svg_series *s,
    size_t ns, double *ly)
{
	size_t	 order[SVG_MAX_SERIES], n = 0, i, j, k;
	double	 limit = line_bottom(f) + 4;

	for (k = 0; k < ns; k++) {
		if ((i = last_known(&s[k], f->nx)) == f->nx)
			continue;
		ly[k] = line_y(f, s[k].v[i]) + 4;
		for (j = n++; j > 0 && ly[order[j - 1]] > ly[k]; j--)
			order[j] = order[j - 1];
		order[j] = k;
	}
	for (i = 1; i < n; i++)
		if (ly[order[i]] < ly[order[i - 1]] + LABEL_GAP)
			ly[order[i]] = ly[order[i - 1]] + LABEL_GAP;
	if (n == 0 || ly[order[n - 1]] <= limit)
		return;
	ly[order[n - 1]] = limit;
	for (i = n - 1; i-- > 0; )
		if (ly[order[i]] > ly[order[i + 1]] - LABEL_GAP)
			ly[order[i]] = ly[order[i + 1]] - LABEL_GAP;
}

/* One subpath ("M") for each run of known values. */
static void
line_path(struct buf *b, const struct line_frame *f,
    const struct svg_series *s, const char *col, bool dashed)
{
	size_t	 i;
	bool	 drawing = false;

	buf_printf(b, "<path fill=\"none\" stroke=\"%s\" stroke-width=\"2\" "
	    "stroke-linejoin=\"round\"%s d=\"", col,
	    dashed ? " stroke-dasharray=\"5 3\"" : "");
	for (i = 0; i < f->nx; i++) {
		if (!known(s, i)) {
			drawing = false;
			continue;
		}
		buf_printf(b, "%s%.1f,%.1f", drawing ? " L" : i ? " M" : "M",
		    line_x(f, i), line_y(f, s->v[i]));
		drawing = true;
	}
	buf_puts(b, "\"/>\n");
}

/* Markers while they stay apart; a point between gaps always has one. */
static void
line_markers(struct buf *b, const struct line_frame *f,
    const struct svg_series *s, const char *col)
{
	size_t	 i;
	bool	 apart;

	apart = f->nx < 2 || (f->right - f->l->left) / (double)(f->nx - 1) >=
	    f->l->marker_gap;
	for (i = 0; i < f->nx; i++)
		if (known(s, i) && (apart || ((i == 0 || !known(s, i - 1)) &&
		    !known(s, i + 1))))
			buf_printf(b, "<circle cx=\"%.1f\" cy=\"%.1f\" "
			    "r=\"2.5\" fill=\"%s\"/>\n", line_x(f, i),
			    line_y(f, s->v[i]), col);
}

/* The name right of the plot, a swatch, a dotted leader to the line. */
static void
direct_label(struct buf *b, const struct line_frame *f,
    const struct svg_series *s, const char *col, bool dashed, double ly)
{
	size_t	 i = last_known(s, f->nx);
	double	 x = f->right + 6;

	buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\" stroke-dasharray=\"1 2\"/>\n", line_x(f, i) + 3,
	    line_y(f, s->v[i]), x, ly - 4, col);
	buf_printf(b, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" "
	    "stroke=\"%s\" stroke-width=\"3\"%s/>\n", x, ly - 4, x + 10,
	    ly - 4, col, dashed ? " stroke-dasharray=\"5 3\"" : "");
	buf_printf(b, "<text x=\"%.1f\" y=\"%.1f\" class=\"series\">", x + 14,
	    ly);
	esc_label(b, s->name, f->l->name_max);
	buf_puts(b, "</text>\n");
}

static void
line_series(struct buf *b, const struct line_frame *f,
    const struct svg_series *s, size_t k, double ly)
{
	const char	*col = palette[k % SVG_PALETTE_N];
	bool		 dashed = k >= SVG_PALETTE_N;

	buf_puts(b, "<g><title>");
	esc(b, s->name);
	buf_puts(b, "</title>\n");
	line_path(b, f, s, col, dashed);
	line_markers(b, f, s, col);
	if (last_known(s, f->nx) < f->nx)
		direct_label(b, f, s, col, dashed, ly);
	buf_puts(b, "</g>\n");
}

/* The summary for screen readers: extent, highest value, gaps, lines. */
static void
line_desc(struct buf *d, const struct line_frame *f,
    const char *const *xlabels, const struct svg_series *s, size_t ns,
    const struct svg_threshold *t, size_t nt)
{
	size_t	 i, j, best = 0, unknown = 0, nx = f->nx;
	double	 max = 0;
	bool	 any = false;

	buf_printf(d, "Line chart of %zu series over %zu points", ns, nx);
	if (xlabels != NULL && xlabels[0] != NULL && xlabels[nx - 1] != NULL)
		buf_printf(d, ", %s to %s", xlabels[0], xlabels[nx - 1]);
	for (i = 0; i < ns; i++)
		for (j = 0; j < nx; j++) {
			if (!known(&s[i], j))
				unknown++;
			else if (!any || s[i].v[j] > max) {
				any = true;
				max = s[i].v[j];
				best = i;
			}
		}
	buf_puts(d, "; highest ");
	put_value(d, max, value_decimals(max), f->unit);
	buf_printf(d, " (%s)", s[best].name ? s[best].name : "");
	if (unknown > 0)
		buf_printf(d, "; %zu values not known, gaps in the lines",
		    unknown);
	for (i = 0; i < nt; i++)
		buf_printf(d, "%s%s", i ? ", " : "; lines at ",
		    t[i].label ? t[i].label : "");
	buf_putc(d, '.');
}

/* The widest direct label, swatch, gap and a clipped name's "..." in. */
static double
labels_width(const struct line_layout *l, const struct svg_series *s,
    size_t ns)
{
	size_t	 i, n, widest = 0;

	for (i = 0; i < ns; i++)
		if ((n = label_chars(s[i].name, l->name_max + 1)) > widest)
			widest = n;
	return widest > 0 ? 24 + CHAR_W * (double)widest : 0;
}

/* The extent of the known values and thresholds; false on an infinity. */
static bool
line_extent(const struct svg_series *s, size_t ns, size_t nx,
    const struct svg_threshold *t, size_t nt, double *lo, double *hi,
    bool *integral, size_t *points)
{
	size_t	 i, j;
	double	 v;

	for (i = 0; i < nt; i++) {
		if (!isfinite(t[i].value))
			return false;
		*lo = t[i].value < *lo ? t[i].value : *lo;
		*hi = t[i].value > *hi ? t[i].value : *hi;
		*integral = *integral && value_decimals(t[i].value) == 0;
	}
	for (i = 0; i < ns; i++)
		for (j = 0; j < s[i].n; j++) {
			if (isnan(v = s[i].v[j]))
				continue;
			if (!isfinite(v))
				return false;
			if (j >= nx)
				continue;
			(*points)++;
			*lo = v < *lo ? v : *lo;
			*hi = v > *hi ? v : *hi;
			*integral = *integral && value_decimals(v) == 0;
		}
	return true;
}

bool
svg_line_chart(struct buf *b, const struct svg_chart *c,
    const char *const *xlabels, size_t nx, const struct svg_series *s,
    size_t ns, const struct svg_threshold *t, size_t nt)
{
	struct line_frame	 f;
	struct buf		 d = BUF_INIT;
	double			 lo = 0, hi = 0, ly[SVG_MAX_SERIES];
	size_t			 i, points = 0;
	bool			 integral = true;

	if (ns > SVG_MAX_SERIES || nt > SVG_MAX_THRESHOLDS ||
	    !line_extent(s, ns, nx, t, nt, &lo, &hi, &integral, &points))
		return false;
	if (points == 0)
		return no_data(b, c);
	memset(&f, 0, sizeof(f));
	f.l = c->small ? &line_small : &line_full;
	f.nx = nx;
	f.unit = c->unit;
	f.right = chart_width(c) - 12 - labels_width(f.l, s, ns);
	if (!svg_axis_scale(lo, hi, f.l->ticks, integral, &f.ax))
		return false;
	line_desc(&d, &f, xlabels, s, ns, t, nt);
	chart_begin(b, c, line_bottom(&f) + (c->x_title != NULL ? 44 : 26),
	    &d);
	buf_free(&d);
	line_grid(b, &f, c, xlabels);
	line_thresholds(b, &f, t, nt);
	label_places(&f, s, ns, ly);
	for (i = 0; i < ns; i++)
		line_series(b, &f, &s[i], i, ly[i]);
	return chart_end(b);
}

/* ---- stacked bar -------------------------------------------------- */

#define S_LEFT		24
#define S_TOP		40
#define S_HEIGHT	36

static void
stacked_legend(struct buf *b, const struct svg_part *p, size_t n,
    double scaled_total)
{
	size_t	 i;
	int	 x, y;

	for (i = 0; i < n; i++) {
		x = S_LEFT + (int)(i % 3) * 230;
		y = S_TOP + S_HEIGHT + 28 + (int)(i / 3) * 20;
		buf_printf(b, "<rect x=\"%d\" y=\"%d\" width=\"12\" "
		    "height=\"12\" fill=\"%s\"/>\n", x, y - 10,
		    palette[part_colour(&p[i], i)]);
		buf_printf(b, "<text x=\"%d\" y=\"%d\">", x + 18, y);
		esc_label(b, p[i].name, 16);
		buf_putc(b, ' ');
		put_num(b, p[i].value, value_decimals(p[i].value));
		buf_puts(b, " (");
		put_num(b, p[i].value / (double)n / scaled_total * 100, 1);
		buf_puts(b, " %)</text>\n");
	}
}

bool
svg_stacked_bar(struct buf *b, const struct svg_chart *c,
    const struct svg_part *p, size_t n)
{
	struct buf	 d = BUF_INIT;
	double		 total = 0, x = S_LEFT, w, frac;
	const double	 bw = W - 2 * S_LEFT;
	size_t		 i, col;

	if (!parts_ok(p, n))
		return false;
	/* Each value over n first, so a sum of huge counts stays finite. */
	for (i = 0; i < n; i++)
		total += p[i].value / (double)n;
	if (n == 0 || total <= 0)
		return no_data(b, c);
	buf_puts(&d, "Stacked bar: ");
	for (i = 0; i < n; i++) {
		buf_printf(&d, "%s%s ", i ? ", " : "", p[i].name ? p[i].name :
		    "");
		put_num(&d, p[i].value, value_decimals(p[i].value));
		buf_puts(&d, " (");
		put_num(&d, p[i].value / (double)n / total * 100, 1);
		buf_puts(&d, " %)");
	}
	buf_putc(&d, '.');
	chart_begin(b, c, S_TOP + S_HEIGHT + 28 + (int)((n + 2) / 3) * 20, &d);
	buf_free(&d);
	for (i = 0; i < n; i++) {
		frac = p[i].value / (double)n / total;
		w = bw * frac;
		col = part_colour(&p[i], i);
		buf_printf(b, "<rect x=\"%.2f\" y=\"%d\" width=\"%.2f\" "
		    "height=\"%d\" fill=\"%s\"><title>", x, S_TOP, w, S_HEIGHT,
		    palette[col]);
		esc(b, p[i].name);
		buf_puts(b, ": ");
		put_num(b, p[i].value, value_decimals(p[i].value));
		buf_puts(b, " (");
		put_num(b, frac * 100, 1);
		buf_puts(b, " %)</title></rect>\n");
		/* A percentage inside the part only where it fits. */
		if (w >= 48) {
			buf_printf(b, "<text x=\"%.1f\" y=\"%d\" "
			    "text-anchor=\"middle\" fill=\"%s\">", x + w / 2,
			    S_TOP + S_HEIGHT / 2 + 4, on_palette[col]);
			put_num(b, frac * 100, 1);
			buf_puts(b, " %</text>\n");
		}
		x += w;
	}
	stacked_legend(b, p, n, total);
	return chart_end(b);
}

/* ---- bar chart ---------------------------------------------------- */

#define B_LEFT		216
#define B_RIGHT		(W - 90)
#define B_TOP		52
#define B_ROW		28
#define B_BAR		20

static double
bar_x(const struct svg_axis *ax, double v)
{
	return B_LEFT + (B_RIGHT - B_LEFT) * axis_frac(ax, v);
}

static void
bar_grid(struct buf *b, const struct svg_axis *ax, int bottom,
    const char *unit)
{
	unsigned	 i;
	double		 x;

	for (i = 0; i <= ax->intervals; i++) {
		x = bar_x(ax, axis_tick(ax, i));
		buf_printf(b, "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" "
		    "y2=\"%d\" stroke=\"#ddd\"/>\n", x, B_TOP - 8, x, bottom);
		buf_printf(b, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" "
		    "fill=\"#333\">", x, B_TOP - 14);
		put_value(b, axis_tick(ax, i), ax->decimals, unit);
		buf_puts(b, "</text>\n");
	}
}

bool
svg_bar_chart(struct buf *b, const struct svg_chart *c,
    const struct svg_part *p, size_t n)
{
	struct svg_axis	 ax;
	struct buf	 d = BUF_INIT;
	double		 hi = 0;
	size_t		 i;
	bool		 integral = true;
	int		 y, bottom;

	if (!parts_ok(p, n))
		return false;
	if (n == 0)
		return no_data(b, c);
	buf_printf(&d, "Bar chart of %zu categories: ", n);
	for (i = 0; i < n; i++) {
		hi = p[i].value > hi ? p[i].value : hi;
		integral = integral && value_decimals(p[i].value) == 0;
		buf_printf(&d, "%s%s ", i ? ", " : "", p[i].name ? p[i].name :
		    "");
		put_num(&d, p[i].value, value_decimals(p[i].value));
	}
	buf_putc(&d, '.');
	if (!svg_axis_scale(0, hi, 5, integral, &ax)) {
		buf_free(&d);
		return false;
	}
	bottom = B_TOP + (int)n * B_ROW;
	chart_begin(b, c, bottom + 12, &d);
	buf_free(&d);
	bar_grid(b, &ax, bottom, c->unit);
	for (i = 0; i < n; i++) {
		y = B_TOP + (int)i * B_ROW;
		buf_printf(b, "<text x=\"%d\" y=\"%d\" text-anchor=\"end\">",
		    B_LEFT - 8, y + 15);
		esc_label(b, p[i].name, 28);
		buf_printf(b, "</text>\n<rect x=\"%d\" y=\"%d\" width=\"%.2f\" "
		    "height=\"%d\" fill=\"%s\"><title>", B_LEFT, y,
		    bar_x(&ax, p[i].value) - B_LEFT, B_BAR,
		    palette[p[i].colour > 0 ? p[i].colour - 1 : 0]);
		esc(b, p[i].name);
		buf_puts(b, ": ");
		put_num(b, p[i].value, value_decimals(p[i].value));
		buf_printf(b, "</title></rect>\n<text x=\"%.1f\" y=\"%d\">",
		    bar_x(&ax, p[i].value) + 6, y + 15);
		put_value(b, p[i].value, value_decimals(p[i].value), c->unit);
		buf_puts(b, "</text>\n");
	}
	return chart_end(b);
}
