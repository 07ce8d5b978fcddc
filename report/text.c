/* SPDX-License-Identifier: ISC */
/*
 * text: the report as plain text for a mail body, no line longer than
 * REPORT_TEXT_WIDTH columns (names are cut, lists wrapped).  Names from
 * the database are printed with controls and non-ASCII bytes as '?', so
 * that no stored value can start a line of its own.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "report/changes.h"
#include "report/render.h"
#include "report/text.h"

#define NAME_W	18

void
report_put_rate(struct buf *b, double rate)
{
	if (rate < 0)
		buf_putc(b, '-');
	else if (rate >= 10)
		buf_puts(b, ">999%");
	else
		buf_printf(b, "%.3f%%", rate * 100);
}

bool
report_render_end(struct buf *b)
{
	if (buf_ok(b))
		return true;
	buf_reset(b);
	buf_puts(b, "out of memory");
	return false;
}

/* s cut to at most w columns, padded to w when pad. */
static void
put_cut(struct buf *b, const char *s, size_t w, bool pad)
{
	size_t	 i, n = strlen(s);

	if (n > w)
		n = w;
	for (i = 0; i < n; i++)
		buf_putc(b, (unsigned char)s[i] < 0x20 ||
		    (unsigned char)s[i] >= 0x7f ? '?' : s[i]);
	for (; pad && i < w; i++)
		buf_putc(b, ' ');
}

/* s cut or padded to exactly w columns. */
static void
put_name(struct buf *b, const char *s, size_t w)
{
	put_cut(b, s, w, true);
}

/* A column of a table row: s in w columns, then the space between. */
static void
put_col(struct buf *b, const char *s, size_t w)
{
	put_name(b, s, w);
	buf_putc(b, ' ');
}

#define WRAP_INDENT	6
#define WRAP_MORE	" ..."

/*
 * s written from column col at word boundaries (spaces), onto lines
 * indented by WRAP_INDENT, at most nlines in all: what does not fit ends
 * in " ..." after the last whole word, so a date or a name is never cut in
 * two.  Only a word wider than a whole line is cut (at the width).  Every
 * byte is written as put_cut writes it.
 */
static void
put_wrapped(struct buf *b, const char *s, size_t col, int nlines)
{
	const size_t	 more = sizeof(WRAP_MORE) - 1;
	const char	*w, *e;
	size_t		 n, used, room;
	bool		 sep = false, last;
	int		 line = 1;

	for (w = s; ; w = e) {
		while (*w == ' ')
			w++;
		if (*w == '\0')
			return;
		for (e = w; *e != '\0' && *e != ' '; e++)
			;
		n = (size_t)(e - w);
		last = e[strspn(e, " ")] == '\0';
		/* the last line keeps room for the " ..." it may need */
		used = col + (sep ? 1 : 0) +
		    (line == nlines && !last ? more : 0);
		room = used < REPORT_TEXT_WIDTH ? REPORT_TEXT_WIDTH - used : 0;
		if (n > room) {
			if (col > WRAP_INDENT && line < nlines) {
				buf_printf(b, "\n%*s", WRAP_INDENT, "");
				col = WRAP_INDENT;
				line++;
				sep = false;
				e = w;	/* this word again, on the new line */
				continue;
			}
			if (col > WRAP_INDENT || line == nlines) {
				if (col + more <= REPORT_TEXT_WIDTH)
					buf_puts(b, WRAP_MORE);
				return;
			}
			n = room;	/* wider than a line: cut */
		}
		if (sep)
			buf_putc(b, ' ');
		put_cut(b, w, n, false);
		col += (sep ? 1 : 0) + n;
		sep = true;
	}
}

/* A list of items, wrapped at the width with an indent of 6. */
struct list {
	size_t	 col;		/* where the line stands */
	bool	 first;
};

/*
 * The next item of l.  An item shows at most the width less the indent
 * and wraps alike at any length past that, so its text may be cut to a
 * fixed buffer first.
 */
static void __attribute__((format(printf, 3, 4)))
item(struct buf *b, struct list *l, const char *fmt, ...)
{
	char	 text[2 * REPORT_TEXT_WIDTH];
	va_list	 ap;
	size_t	 n;

	text[0] = '\0';
	va_start(ap, fmt);
	(void)vsnprintf(text, sizeof(text), fmt, ap);
	va_end(ap);
	n = strlen(text);
	if (l->col + 2 + n > REPORT_TEXT_WIDTH && l->col > 6) {
		buf_puts(b, l->first ? "\n      " : ",\n      ");
		l->col = 6;
	} else if (!l->first) {
		buf_puts(b, ", ");
		l->col += 2;
	} else if (l->col > 6) {
		buf_putc(b, ' ');
		l->col += 1;
	}
	l->first = false;
	put_cut(b, text, REPORT_TEXT_WIDTH - 6, false);
	l->col += n < REPORT_TEXT_WIDTH - 6 ? n : REPORT_TEXT_WIDTH - 6;
}

static void
rate_col(struct buf *b, double rate, int w)
{
	struct buf	 r = BUF_INIT;

	report_put_rate(&r, rate);
	buf_printf(b, "%*s", w, buf_cstr(&r));
	if (!buf_ok(&r))
		b->oom = true;
	buf_free(&r);
}

/* " " and n right-aligned in 6 columns, in k or M when it is wider. */
static void
count_col(struct buf *b, long long n, bool sign)
{
	static const char	 unit[] = " kMGTP";
	char			 t[32];
	int			 u;

	for (u = 0; u < 6; u++) {
		snprintf(t, sizeof(t), sign ? "%+lld%.*s" : "%lld%.*s", n,
		    u > 0, unit + u);
		if (strlen(t) <= 6)
			break;
		n /= 1000;
	}
	buf_printf(b, " %6s", t);
}

/*
 * The three windows' complaints, change ("-": the period before is not
 * known) and rate: 69 columns.
 */
static void
fig_cols(struct buf *b, const struct report_fig *w)
{
	int64_t	 change;
	int	 k;

	for (k = 0; k < RW_N; k++) {
		count_col(b, (long long)w[k].complaints, false);
		if (report_fig_change(&w[k], &change))
			count_col(b, (long long)change, true);
		else
			buf_printf(b, " %6s", "-");
		rate_col(b, report_fig_rate(&w[k], false), 9);
	}
}

static void
heading(struct buf *b, const struct report_model *m)
{
	buf_printf(b, "fblscope reputation report for %s (UTC days)\n",
	    m->p.day);
	buf_printf(b, "windows: the day; 7 days from %s; %d days from %s; "
	    "each compared with the\n", m->start[RW_SHORT], m->len[RW_LONG],
	    m->start[RW_LONG]);
	buf_puts(b, "period of the same length before it (chg).  Daily rules: "
	    "flagged at ");
	report_put_rate(b, m->p.flag_rate);
	buf_puts(b, ", alarmed at ");
	report_put_rate(b, m->p.alarm_rate);
	buf_printf(b, ",\nrecovered after %d days below.  report-timezone ",
	    REPORT_RECOVERY_DAYS);
	put_cut(b, m->p.timezone, 40, false);
	buf_putc(b, '\n');
	if (m->p.customer != NULL) {
		buf_puts(b, "customer: ");
		put_cut(b, m->p.customer, 80, false);
		buf_putc(b, '\n');
	}
	if (!m->volume_known)
		buf_puts(b, "no sending volumes known in these windows: no "
		    "rates (fblscope volume import)\n");
}

static void
fig_header(struct buf *b, const char *first, const struct report_model *m)
{
	char	 days[16];

	snprintf(days, sizeof(days), "%dd", m->len[RW_LONG]);
	buf_printf(b, "\n%-*s %-7s %6s %6s%9s %6s %6s%9s %6s %6s%9s rec\n",
	    NAME_W, first, "status", "day", "chg", "rate", "7d", "chg",
	    "rate", days, "chg", "rate");
}

/* One line of figures for each ISP, under a customer or the ESP token. */
static void
isp_rows(struct buf *b, const struct report_isp *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		buf_puts(b, "  ");
		put_name(b, v[i].reporter, NAME_W - 2);
		buf_puts(b, "        ");
		fig_cols(b, v[i].w);
		buf_putc(b, '\n');
	}
}

static void
customer(struct buf *b, const struct report_model *m,
    const struct report_customer *c)
{
	struct list	 l;
	size_t		 i;
	int		 k;

	put_name(b, c->id, NAME_W);
	buf_printf(b, " %-7s", c->level == LEVEL_ALARMED ? "ALARMED" :
	    c->level == LEVEL_FLAGGED ? "flagged" : "");
	fig_cols(b, c->w);
	if (c->recover_days > 0)
		buf_printf(b, " %3d", c->recover_days);
	buf_putc(b, '\n');
	if (!m->p.detail)
		return;
	isp_rows(b, c->isps, c->nisps);
	buf_printf(b, "    %dd:", m->len[RW_LONG]);
	l.col = 4 + (size_t)(m->len[RW_LONG] >= 100 ? 5 :
	    m->len[RW_LONG] >= 10 ? 4 : 3);
	l.first = true;
	for (k = FC_OPT_OUT; k < FC_N; k++)
		item(b, &l, "%s %lld", report_class_names[k],
		    (long long)c->w[RW_LONG].cls[k]);
	for (i = 0; c->ntokens > 1 && i < c->ntokens; i++)
		item(b, &l, "%s %lld", c->tokens[i].token,
		    (long long)c->tokens[i].complaints[RW_LONG]);
	buf_putc(b, '\n');
}

static void
customers(struct buf *b, const struct report_model *m)
{
	size_t	 i;

	buf_puts(b, "\nCUSTOMERS: complaints (abuse, fraud, virus, non-ARF), "
	    "suspected forgeries left out;\nrate = complaints / volume "
	    "(Yahoo: delivered); rec = days below the alarm still needed\n");
	if (!m->p.detail)
		buf_puts(b, "(per ISP and feedback type: --detail)\n");
	fig_header(b, "customer", m);
	if (m->ncustomers == 0)
		buf_puts(b, "(none)\n");
	for (i = 0; i < m->ncustomers; i++)
		customer(b, m, &m->customers[i]);
	if (m->p.only != 0) {
		buf_printf(b, "(%zu other customer%s not shown: --only ",
		    m->nhidden, m->nhidden == 1 ? "" : "s");
		report_only_names(m->p.only, b);
		buf_puts(b, ")\n");
	}
}

static const char *
window_label(int k)
{
	return k == RW_DAY ? "day" : k == RW_SHORT ? "7d" : "long";
}

static void
esp(struct buf *b, const struct report_model *m)
{
	const struct report_esp	*e = &m->esp;
	size_t			 i;
	int			 k;

	buf_puts(b, "\nESP TOKEN");
	for (i = 0; i < e->ntokens; i++) {
		buf_putc(b, ' ');
		put_cut(b, e->tokens[i], 60, false);
	}
	buf_puts(b, "\n");
	fig_header(b, "reporter", m);
	put_name(b, "all", NAME_W);
	buf_puts(b, "        ");
	fig_cols(b, e->w);
	buf_putc(b, '\n');
	isp_rows(b, e->isps, e->nisps);
	buf_puts(b, "complaints of any authenticity / carried the ESP token / "
	    "ESP signature verified:\n");
	for (k = 0; k < RW_N; k++)
		buf_printf(b, "  %-6s %lld / %lld / %lld\n", window_label(k),
		    (long long)e->total[k], (long long)e->carried[k],
		    (long long)e->verified[k]);
}

/* Complaints that claim no customer, by reason (model.h). */
static void
unattributed(struct buf *b, const struct report_model *m)
{
	const struct report_unattributed *u = &m->unattributed;
	int				 k;

	buf_puts(b, "\nUNATTRIBUTED: complaints that claim no customer (no "
	    "customer signature, From domain of\nno customer), by the ESP "
	    "token's signature: verified / did not verify / none\n");
	for (k = 0; k < RW_N; k++)
		buf_printf(b, "  %-6s %lld: %lld / %lld / %lld\n",
		    window_label(k), (long long)u->complaints[k],
		    (long long)u->reason[UR_ESP_VERIFIED][k],
		    (long long)u->reason[UR_ESP_FAILED][k],
		    (long long)u->reason[UR_NO_ESP][k]);
	if (u->reason[UR_ESP_VERIFIED][RW_LONG] > 0)
		buf_puts(b, "verified: the ESP's own mail, for a customer the "
		    "configuration does not name; add it,\nthen run `fblscope "
		    "reattribute`\n");
}

static int64_t
sum_auth(const int64_t *v)
{
	int64_t	 n = 0;
	int	 a;

	for (a = 0; a < AU_N; a++)
		n += v[a];
	return n;
}

/*
 * Without --detail, a table shows its rows with a problem first, at most
 * TEXT_BRIEF_ROWS, and says how many it left out: the text of 50
 * customers stays well under 200 lines.
 */
#define TEXT_BRIEF_ROWS	8

/* Whether row i of n is shown: all with --detail, else the first few. */
static bool
brief_shows(const struct report_model *m, size_t shown)
{
	return m->p.detail || shown < TEXT_BRIEF_ROWS;
}

static void
brief_more(struct buf *b, const struct report_model *m, size_t left,
    const char *what)
{
	if (left > 0 && !m->p.detail)
		buf_printf(b, "(%zu more %s: --detail)\n", left, what);
}

/* The helpers above, for text_views.c (text.h). */
void
report_text_cut(struct buf *b, const char *s, size_t w, bool pad)
{
	put_cut(b, s, w, pad);
}

void
report_text_count(struct buf *b, long long n, bool sign)
{
	count_col(b, n, sign);
}

void
report_text_rate(struct buf *b, double rate, int w)
{
	rate_col(b, rate, w);
}

void
report_text_item(struct buf *b, struct text_list *tl, const char *text)
{
	struct list	 l = { tl->col, tl->first };

	item(b, &l, "%s", text);
	tl->col = l.col;
	tl->first = l.first;
}

static void
forgery(struct buf *b, const struct report_model *m)
{
	const struct report_customer	*c;
	size_t				 i, n = 0;
	int				 a;

	buf_printf(b, "\nSUSPECTED FORGERY (%d days; all feedback types): "
	    "forged and replayed, apart from\nrotated (archived key), "
	    "redacted, damaged (Yahoo), pending (DNS)\n\n", m->len[RW_LONG]);
	buf_printf(b, "%-*s", NAME_W, "customer");
	for (a = AU_REPLAYED; a < AU_UNKNOWN; a++)
		buf_printf(b, " %9s", report_auth_names[a]);
	buf_printf(b, " %9s %9s\n", "authentic", "forged/d");
	for (i = 0; i < m->ncustomers; i++) {
		c = &m->customers[i];
		a = AU_AUTHENTIC;
		if (sum_auth(c->auth[RW_LONG]) == c->auth[RW_LONG][a] +
		    c->auth[RW_LONG][AU_UNKNOWN])
			continue;
		/* without --detail: suspected forgeries only */
		if (!m->p.detail && report_suspected(c->auth[RW_LONG]) == 0)
			continue;
		if (!brief_shows(m, n++))
			continue;
		put_name(b, c->id, NAME_W);
		for (a = AU_REPLAYED; a < AU_UNKNOWN; a++)
			buf_printf(b, " %9lld", (long long)c->auth[RW_LONG][a]);
		buf_printf(b, " %9lld %9lld\n",
		    (long long)c->auth[RW_LONG][AU_AUTHENTIC],
		    (long long)report_suspected(c->auth[RW_DAY]));
	}
	if (n == 0)
		buf_puts(b, "(none)\n");
	brief_more(b, m, n > TEXT_BRIEF_ROWS ? n - TEXT_BRIEF_ROWS : 0,
	    "customers");
}

/* "      why: redacted 40, forged 3, ...": the causes of v's failures. */
static void
causes_line(struct buf *b, const struct report_verif *v)
{
	struct buf	 label = BUF_INIT;
	struct list	 l;
	size_t		 k;

	if (v->ncauses == 0)
		return;
	buf_puts(b, "      why:");
	l.col = 10;
	l.first = true;
	for (k = 0; k < v->ncauses; k++) {
		buf_reset(&label);
		report_cause_label(&label, &v->causes[k]);
		item(b, &l, "%s %lld", buf_cstr(&label),
		    (long long)v->causes[k].n);
	}
	buf_putc(b, '\n');
	buf_free(&label);
}

/* A token with real mismatches or suspected forgeries: shown first. */
static bool
verif_problem(const struct report_verif *v)
{
	return v->health[RH_MISMATCH] > 0 || v->health[RH_FORGED] > 0;
}

/* A token's row, its results and reasons (--detail), and its causes. */
static void
verif_row(struct buf *b, const struct report_model *m,
    const struct report_verif *v)
{
	struct list	 l;
	size_t		 k;

	put_col(b, v->token, 30);
	put_name(b, v->role, 11);
	buf_printf(b, " %8lld %8lld ", (long long)v->signatures,
	    (long long)v->verified);
	rate_col(b, report_verif_share(v), 7);
	buf_putc(b, '\n');
	if (v->nreasons == 0 || (!m->p.detail && v->ncauses > 0)) {
		causes_line(b, v);
		return;
	}
	buf_puts(b, "      ");
	l.col = 6;
	l.first = true;
	for (k = 0; k < v->nreasons; k++)
		item(b, &l, "%s/%s %lld", v->reasons[k].result,
		    v->reasons[k].reason, (long long)v->reasons[k].n);
	buf_putc(b, '\n');
	causes_line(b, v);
}

static void
verifs(struct buf *b, const struct report_model *m, const char *title,
    const struct report_verif *v, size_t nv)
{
	size_t	 i, shown = 0;
	int	 pass;

	if (nv == 0 && !m->p.detail) {
		buf_printf(b, "\n%s (%d days): none\n", title, m->len[RW_LONG]);
		return;
	}
	buf_printf(b, "\n%s (%d days): signatures, verified (pass), "
	    "share; why the others did not\n\n", title, m->len[RW_LONG]);
	buf_printf(b, "%-30s %-11s %8s %8s %7s\n", "token", "role",
	    "sigs", "verified", "share");
	if (nv == 0)
		buf_puts(b, "(none)\n");
	/* --detail: in order; else those with a problem, then the rest */
	for (pass = m->p.detail ? 1 : 0; pass < 2; pass++)
		for (i = 0; i < nv; i++) {
			if (!m->p.detail && verif_problem(&v[i]) != (pass == 0))
				continue;
			if (brief_shows(m, shown))
				verif_row(b, m, &v[i]);
			shown++;
		}
	brief_more(b, m, nv > TEXT_BRIEF_ROWS ? nv - TEXT_BRIEF_ROWS : 0,
	    "tokens");
}

#define KEY_FLAGS_COL	81	/* where a key's flags start */

/*
 * " OLD SHA1 small t=y" and the key's source (" archived", " nokey") as
 * they apply, then the line end.  An archived key is never t=y (that is
 * DNS's record), so at most 19 columns; cut at the width all the same.
 */
static void
key_flags(struct buf *b, const struct report_key *k)
{
	char	 f[48];

	snprintf(f, sizeof(f), "%s%s%s%s%s", k->past_rotation ? " OLD" : "",
	    k->sha1 ? " SHA1" : "", k->small_key ? " small" : "",
	    k->testing ? " t=y" : "", k->source == KS_ARCHIVE ? " archived" :
	    k->source == KS_NONE ? " nokey" : "");
	put_cut(b, f, REPORT_TEXT_WIDTH - KEY_FLAGS_COL, false);
	buf_putc(b, '\n');
}

/* A key flagged OLD, SHA1, small, t=y or nokey. */
static bool
key_problem(const struct report_key *k)
{
	return k->past_rotation || k->sha1 || k->small_key || k->testing ||
	    k->source == KS_NONE;
}

static void
key_row(struct buf *b, const struct report_key *k)
{
	put_col(b, k->token, 24);
	put_col(b, k->selector, 16);
	put_name(b, k->algorithm, 10);
	if (k->key_bits < 0)
		buf_printf(b, " %5s", k->source == KS_NONE ? "none" : "?");
	else
		buf_printf(b, " %5d", k->key_bits);
	buf_printf(b, " %7lld", (long long)k->signatures);
	if (k->age_months >= 0)
		buf_printf(b, " %3d", k->age_months);
	else
		buf_printf(b, " %3s", "?");
	buf_putc(b, ' ');
	put_cut(b, k->last_day, 10, false);
	key_flags(b, k);
}

static void
keys(struct buf *b, const struct report_model *m)
{
	const struct report_key	*k;
	size_t			 i, shown = 0;
	int			 pass;

	buf_printf(b, "\nKEY HYGIENE (%d days; rotation-months %u): "
	    "age from the selector's month\n\n", m->len[RW_LONG],
	    m->p.rotation_months);
	buf_printf(b, "%-24s %-16s %-10s %5s %7s %3s %-10s %s\n", "token",
	    "selector", "algorithm", "bits", "sigs", "age", "last seen",
	    "flags");
	if (m->nkeys > 0)
		buf_puts(b, "(OLD: older than rotation-months; small: RSA "
		    "under 2048 bits; t=y: testing; nokey: no key)\n"
		    "(archived: not in DNS, the archive's key, rotated away; "
		    "bits ? when archived before schema 13)\n");
	if (m->nkeys == 0)
		buf_puts(b, "(none)\n");
	/* --detail: in order; else those with a flag, then the rest */
	for (pass = m->p.detail ? 1 : 0; pass < 2; pass++)
		for (i = 0; i < m->nkeys; i++) {
			k = &m->keys[i];
			if (!m->p.detail && key_problem(k) != (pass == 0))
				continue;
			if (brief_shows(m, shown))
				key_row(b, k);
			shown++;
		}
	brief_more(b, m, m->nkeys > TEXT_BRIEF_ROWS ?
	    m->nkeys - TEXT_BRIEF_ROWS : 0, "keys");
}

static void
unknown(struct buf *b, const struct report_model *m)
{
	size_t	 i;

	if (m->nunknown == 0 && !m->p.detail) {
		buf_printf(b, "\nUNKNOWN TOKENS (%d days): none\n",
		    m->len[RW_LONG]);
		return;
	}
	buf_printf(b, "\nUNKNOWN TOKENS (%d days): d= domains of complaints "
	    "that no customer rule maps\n\n", m->len[RW_LONG]);
	buf_printf(b, "%-40s %-11s %8s %8s %s\n", "token", "role", "sigs",
	    "verified", "last seen");
	if (m->nunknown == 0)
		buf_puts(b, "(none)\n");
	for (i = 0; i < m->nunknown && brief_shows(m, i); i++) {
		put_col(b, m->unknown[i].token, 40);
		put_name(b, m->unknown[i].role, 11);
		buf_printf(b, " %8lld %8lld ",
		    (long long)m->unknown[i].signatures,
		    (long long)m->unknown[i].verified);
		put_cut(b, m->unknown[i].last_day, 10, false);
		buf_putc(b, '\n');
	}
	brief_more(b, m, m->nunknown - i, "tokens");
}

#define DNS_DETAIL_LINES	3	/* a problem's reason and detail */

static void
dns(struct buf *b, const struct report_model *m)
{
	const struct report_dns_problem	*p;
	size_t				 i, count[4] = { 0 };
	static const char *const	 st[4] = { "OK", "WARN", "FAIL",
					    "TEMP" };
	long long			 warn = 0, fail = 0, temp = 0;
	size_t				 k, line;

	buf_puts(b, "\nDNS AND KEYS: the latest `fblscope keys audit --db` of "
	    "each domain\n\n");
	if (m->ndns == 0) {
		buf_puts(b, "(no key audit stored up to this day)\n");
		return;
	}
	for (i = 0; i < m->ndns; i++) {
		for (k = 0; k < 4; k++)
			count[k] += strcmp(m->dns[i].status, st[k]) == 0;
		warn += m->dns[i].warn;
		fail += m->dns[i].fail;
		temp += m->dns[i].temp;
	}
	buf_printf(b, "%zu domain%s audited (latest ", m->ndns,
	    m->ndns == 1 ? "" : "s");
	put_cut(b, m->dns[0].as_of, 32, false);
	/* rows too: a FAIL domain's TEMP rows are not hidden */
	buf_printf(b, "): %zu OK, %zu WARN, %zu FAIL, %zu TEMP\n"
	    "rows checked: %lld WARN, %lld FAIL, %lld TEMP\n", count[0],
	    count[1], count[2], count[3], warn, fail, temp);
	if (m->ndns_problems == 0)
		return;
	buf_printf(b, "\n%-4s %-24s %-11s %-30s %s\n      %s\n", "",
	    "domain", "check", "subject", "server",
	    "reason, days open: detail");
	for (i = 0; i < m->ndns_problems; i++) {
		p = &m->dns_problems[i];
		put_col(b, p->status, 4);
		put_col(b, p->domain, 24);
		put_col(b, p->check, 11);
		put_col(b, p->subject, 30);
		put_cut(b, p->server[0] != '\0' ? p->server : "-", 27, false);
		buf_puts(b, "\n      ");
		line = b->len;
		put_cut(b, p->reason, 40, false);
		buf_printf(b, ", %d day%s: ", p->days_open,
		    p->days_open == 1 ? "" : "s");
		put_wrapped(b, p->detail, WRAP_INDENT + b->len - line,
		    DNS_DETAIL_LINES);
		buf_putc(b, '\n');
	}
}

/* The complaint signatures by class (report_verif_class), wrapped. */
static void
verif_mix(struct buf *b, const struct report_model *m)
{
	struct list	 l = { 0, true };
	char		 head[80];
	int64_t		 all = 0;
	int		 k;

	for (k = 0; k < VC_N; k++)
		all += m->verif_mix[k];
	snprintf(head, sizeof(head), "\nall complaint signatures (%d days): "
	    "%lld:", m->len[RW_LONG], (long long)all);
	buf_puts(b, head);
	l.col = strlen(head) - 1;
	for (k = 0; k < VC_N; k++)
		if (m->verif_mix[k] > 0)
			item(b, &l, "%s %lld", report_verif_class_names[k],
			    (long long)m->verif_mix[k]);
	buf_putc(b, '\n');
}

/*
 * The complaint signatures by health group, wrapped, then the failure rate
 * of real mismatches only.
 */
static void
health(struct buf *b, const struct report_model *m)
{
	struct list	 l = { 0, true };
	const char	*head = "health:";
	int		 k;

	buf_puts(b, head);
	l.col = strlen(head);
	for (k = 0; k < RH_N; k++)
		if (m->health[k] > 0)
			item(b, &l, "%s %lld", report_health_labels[k],
			    (long long)m->health[k]);
	buf_puts(b, "\nreal failure rate (mismatches only): ");
	report_put_rate(b, report_health_failure_rate(m->health));
	buf_putc(b, '\n');
}

#define CHANGE_LINES	3	/* lines of one change, wrapped */

/* The first panel: what changed, most severe first (report/changes.h). */
static void
changes(struct buf *b, const struct report_model *m)
{
	static const char *const sev[SEV_N] = { "ALARM", "warn", "info" };
	struct buf	 t = BUF_INIT;
	size_t		 i;
	char		 before[11];

	if (!report_day_of(m, -1, before))
		snprintf(before, sizeof(before), "?");
	buf_printf(b, "\nWHAT CHANGED (against %s, the day before): %zu\n",
	    before, m->nchanges + m->changes_left);
	if (m->nchanges == 0)
		buf_puts(b, "(nothing)\n");
	for (i = 0; i < m->nchanges; i++) {
		buf_printf(b, "%-6s", sev[m->changes[i].severity]);
		buf_reset(&t);
		report_change_text(&t, m, &m->changes[i]);
		put_wrapped(b, buf_cstr(&t), 6, CHANGE_LINES);
		buf_putc(b, '\n');
	}
	if (!buf_ok(&t))
		b->oom = true;
	buf_free(&t);
	if (m->changes_left > 0)
		buf_printf(b, "(%zu more)\n", m->changes_left);
}

bool
report_render_text(struct buf *b, const struct report_model *m)
{
	heading(b, m);
	changes(b, m);
	customers(b, m);
	esp(b, m);
	unattributed(b, m);
	forgery(b, m);
	verifs(b, m, "VERIFICATION HEALTH", m->verif, m->nverif);
	verif_mix(b, m);
	health(b, m);
	verifs(b, m, "MAIL SAMPLES", m->samples, m->nsamples);
	keys(b, m);
	unknown(b, m);
	report_text_views(b, m);
	dns(b, m);
	return report_render_end(b);
}
