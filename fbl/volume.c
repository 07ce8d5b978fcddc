/* SPDX-License-Identifier: ISC */
/* volume: sending volumes from CSV into PostgreSQL; see volume.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/csv.h"
#include "base/date.h"
#include "fbl/classify.h"
#include "fbl/feedback/reporter.h"
#include "fbl/volume.h"

#define SHOWN_MAX	80	/* bytes of a bad value quoted in a problem */

enum column {
	COL_DAY,
	COL_TOKEN,
	COL_ISP,
	COL_SENT,
	COL_DELIVERED,		/* the only optional one: last */
	NCOLS,
};

static const char *const column_names[NCOLS] = {
	"day", "token", "isp", "sent", "delivered"
};

#define COLUMNS_WANTED	"day, token, isp, sent and, optionally, delivered"

struct parser {
	struct volume_set	*set;
	const char		*file;
	unsigned long		 line;
	struct csv		 csv;
	bool			 have_header;
	size_t			 ncols;		/* fields a row has */
	int			 col[NCOLS];	/* its field; -1: absent */
	size_t			 rows;
	struct buf		*err;
	struct buf		 shown[2];
};

void
volume_set_free(struct volume_set *set)
{
	size_t	 i;

	for (i = 0; i < set->n; i++) {
		free(set->v[i].token);
		free(set->v[i].isp);
	}
	free(set->v);
	memset(set, 0, sizeof(*set));
}

static bool problem(struct parser *, const char *, ...)
    __attribute__((format(printf, 2, 3)));

/* One "FILE:LINE: problem" line; always false. */
static bool
problem(struct parser *ps, const char *fmt, ...)
{
	va_list	 ap;

	if (ps->set->nerrors++ < VOLUME_MAX_ERRORS) {
		buf_printf(ps->err, "%s:%lu: ", ps->file, ps->line);
		va_start(ap, fmt);
		buf_vprintf(ps->err, fmt, ap);
		va_end(ap);
		buf_putc(ps->err, '\n');
	}
	return false;
}

/*
 * A value of the file as quoted in a problem (k: 0 or 1, two per
 * message): its first SHOWN_MAX bytes, made visible: the file is whoever
 * exported it.
 */
static const char *
shown(struct parser *ps, int k, const char *s, size_t len)
{
	struct buf	*b = &ps->shown[k];

	buf_reset(b);
	buf_put_visible(b, s, len > SHOWN_MAX ? SHOWN_MAX : len);
	if (len > SHOWN_MAX)
		buf_puts(b, "...");
	return buf_cstr(b);
}

/* The text of column k in the current row ("" when absent). */
static const char *
field(const struct parser *ps, enum column k, size_t *len)
{
	if (ps->col[k] < 0) {
		*len = 0;
		return "";
	}
	return csv_field(&ps->csv, (size_t)ps->col[k], len);
}

static int
column_of(const char *name, size_t len)
{
	int	 k;

	for (k = 0; k < NCOLS; k++)
		if (strlen(column_names[k]) == len &&
		    strncasecmp(name, column_names[k], len) == 0)
			return k;
	return -1;
}

/* Where each column is; false when the file cannot be read on. */
static bool
header(struct parser *ps)
{
	struct buf	 missing = BUF_INIT;
	const char	*f;
	size_t		 i, len, known = 0;
	int		 k;
	bool		 ok = true;

	for (k = 0; k < NCOLS; k++)
		ps->col[k] = -1;
	ps->ncols = csv_nfields(&ps->csv);
	for (i = 0; i < ps->ncols; i++) {
		f = csv_field(&ps->csv, i, &len);
		if (column_of(f, len) >= 0)
			known++;
	}
	if (known == 0)
		return problem(ps, "no header: the first line must name the "
		    "columns (" COLUMNS_WANTED ", in any order)");
	for (i = 0; i < ps->ncols; i++) {
		f = csv_field(&ps->csv, i, &len);
		if ((k = column_of(f, len)) < 0)
			ok = problem(ps, "unknown column \"%s\" (want "
			    COLUMNS_WANTED ")", shown(ps, 0, f, len));
		else if (ps->col[k] >= 0)
			ok = problem(ps, "column \"%s\" given twice",
			    column_names[k]);
		else
			ps->col[k] = (int)i;
	}
	for (k = 0; k < COL_DELIVERED; k++)
		if (ps->col[k] < 0)
			buf_printf(&missing, "%s%s", missing.len > 0 ? ", " :
			    "", column_names[k]);
	if (missing.len > 0)
		ok = problem(ps, "the header lacks the column%s %s (want "
		    COLUMNS_WANTED ", in any order)", strchr(buf_cstr(&missing),
		    ',') != NULL ? "s" : "", buf_cstr(&missing));
	buf_free(&missing);
	return ok;
}

/* A count: decimal digits only; what is wrong with it, or NULL. */
static const char *
count_value(const char *s, size_t len, int64_t *out)
{
	size_t	 i;

	if (len == 0)
		return "is empty";
	if (s[0] == '-')
		return "is negative";
	*out = 0;
	for (i = 0; i < len; i++) {
		if (s[i] < '0' || s[i] > '9')
			return "is not a whole number";
		*out = *out * 10 + (s[i] - '0');
		if (*out > VOLUME_MAX_COUNT)
			return "is too large";
	}
	return NULL;
}

/* A token: a domain (folded) or a customer id; NULL when unusable. */
static char *
token_value(const char *s, size_t len, const char **why)
{
	char	*t;
	size_t	 i;
	bool	 domain = memchr(s, '.', len) != NULL;

	if (domain && len > 1 && s[len - 1] == '.')
		len--;
	*why = len == 0 ? "is empty" : len > VOLUME_TOKEN_MAX ? "is too long" :
	    NULL;
	for (i = 0; *why == NULL && i < len; i++)
		if ((unsigned char)s[i] <= ' ' || s[i] == '"' || s[i] == 0x7f)
			*why = "holds a blank, a quote or a control character";
	if (*why != NULL || (t = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		t[i] = domain && s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
	t[len] = '\0';
	return t;
}

/* "*" or a reporter name: lower-case letters, digits, '-', '.'. */
static char *
isp_value(const char *s, size_t len)
{
	char	*t;
	size_t	 i;

	if (len == 0 || len > 64)
		return NULL;
	if (!(len == 1 && s[0] == '*'))
		for (i = 0; i < len; i++)
			if (!((s[i] >= 'a' && s[i] <= 'z') ||
			    (s[i] >= 'A' && s[i] <= 'Z') ||
			    (s[i] >= '0' && s[i] <= '9') || s[i] == '-' ||
			    s[i] == '.'))
				return NULL;
	if ((t = malloc(len + 1)) == NULL)
		return NULL;
	for (i = 0; i < len; i++)
		t[i] = s[i] >= 'A' && s[i] <= 'Z' ? s[i] + 32 : s[i];
	t[len] = '\0';
	return t;
}

static bool
append_row(struct parser *ps, struct volume_row *r)
{
	struct volume_set	*set = ps->set;
	struct volume_row	*nv;
	size_t			 ncap;

	if (set->n == set->cap) {
		ncap = set->cap == 0 ? 64 : set->cap * 2;
		if ((nv = realloc(set->v, ncap * sizeof(*nv))) == NULL) {
			free(r->token);
			free(r->isp);
			return problem(ps, "out of memory");
		}
		set->v = nv;
		set->cap = ncap;
	}
	set->v[set->n++] = *r;
	return true;
}

/* The counts of a row; false (with the problem reported) when bad. */
static bool
row_counts(struct parser *ps, struct volume_row *r)
{
	const char	*f, *why;
	size_t		 len;

	f = field(ps, COL_SENT, &len);
	if ((why = count_value(f, len, &r->sent)) != NULL)
		return problem(ps, "sent \"%s\" %s", shown(ps, 0, f, len), why);
	r->delivered = -1;
	f = field(ps, COL_DELIVERED, &len);
	if (len > 0) {
		if ((why = count_value(f, len, &r->delivered)) != NULL)
			return problem(ps, "delivered \"%s\" %s",
			    shown(ps, 0, f, len), why);
		if (r->delivered > r->sent)
			return problem(ps, "delivered %lld exceeds sent %lld",
			    (long long)r->delivered, (long long)r->sent);
	}
	return true;
}

static bool
row(struct parser *ps)
{
	struct volume_row	 r;
	const char		*f, *why;
	size_t			 len, n = csv_nfields(&ps->csv);

	memset(&r, 0, sizeof(r));
	if (n != ps->ncols)
		return problem(ps, "%s: %zu fields, the header has %zu",
		    n < ps->ncols ? "missing column" :
		    "more columns than the header has", n, ps->ncols);
	f = field(ps, COL_DAY, &len);
	if (!date_parse_day(f, len, NULL, NULL, NULL, NULL))
		return problem(ps, "day \"%s\" is not a date YYYY-MM-DD",
		    shown(ps, 0, f, len));
	memcpy(r.day, f, 10);
	r.day[10] = '\0';
	if (!row_counts(ps, &r))
		return false;
	f = field(ps, COL_TOKEN, &len);
	if ((r.token = token_value(f, len, &why)) == NULL)
		return problem(ps, "token \"%s\" %s", shown(ps, 0, f, len),
		    why != NULL ? why : "(out of memory)");
	f = field(ps, COL_ISP, &len);
	if ((r.isp = isp_value(f, len)) == NULL) {
		free(r.token);
		return problem(ps, "isp \"%s\" is not a reporter name "
		    "(yahoo, microsoft, ...) or *", shown(ps, 0, f, len));
	}
	r.file = ps->file;
	r.line = (unsigned)ps->line;
	return append_row(ps, &r);
}

/* One record; false when the rest of the file cannot be read. */
static bool
record(struct parser *ps, int rc, const struct buf *cerr)
{
	if (rc < 0) {
		problem(ps, "%s", buf_cstr(cerr));
		return ps->have_header;	/* a header cut short: stop */
	}
	if (csv_blank(&ps->csv))
		return true;
	if (!ps->have_header) {
		ps->have_header = true;
		return header(ps);
	}
	if (ps->rows++ == VOLUME_MAX_ROWS)
		return problem(ps, "more than %u rows: split the file",
		    (unsigned)VOLUME_MAX_ROWS);
	row(ps);
	return true;
}

bool
volume_parse(struct volume_set *set, const char *file, const char *data,
    size_t len, struct buf *err)
{
	struct parser	 ps;
	struct buf	 cerr = BUF_INIT;
	unsigned	 before = set->nerrors;
	int		 rc;

	memset(&ps, 0, sizeof(ps));
	ps.set = set;
	ps.file = file;
	ps.err = err;
	ps.line = 1;
	if (memchr(data, '\0', len) != NULL)
		return problem(&ps, "holds a NUL byte: not a CSV file");
	if (!csv_init(&ps.csv, data, len, VOLUME_MAX_LINE, VOLUME_MAX_FIELDS))
		problem(&ps, "out of memory");
	else
		for (;;) {
			buf_reset(&cerr);
			if ((rc = csv_next(&ps.csv, &cerr)) == 0)
				break;
			ps.line = csv_line(&ps.csv);
			if (!record(&ps, rc, &cerr))
				break;
		}
	if (!ps.have_header && set->nerrors == before)
		problem(&ps, "no header line (" COLUMNS_WANTED ")");
	csv_free(&ps.csv);
	buf_free(&cerr);
	buf_free(&ps.shown[0]);
	buf_free(&ps.shown[1]);
	return set->nerrors == before && buf_ok(err);
}

/* --- names --------------------------------------------------------------- */

/* Is a token one the configuration has: a customer id, domain, ESP? */
static bool
token_known(const struct fbl_config *cfg, const char *token)
{
	enum token_role	 role;

	if (strchr(token, '.') == NULL)
		return classify_customer_id(cfg, token);
	role = classify_domain(cfg, token, NULL);
	return role == ROLE_CUSTOMER || role == ROLE_ESP;
}

/* An unknown name in row r: a problem, or a warning when allowed. */
static void
unknown(struct volume_set *set, const struct volume_row *r, bool allow,
    const char *what, struct buf *err)
{
	unsigned	*n = allow ? &set->nwarnings : &set->nerrors;

	if ((*n)++ < VOLUME_MAX_ERRORS)
		buf_printf(err, "%s:%u: %s%s\n", r->file, r->line,
		    allow ? "warning: " : "", what);
}

bool
volume_check_names(struct volume_set *set, const struct fbl_config *cfg,
    bool allow_unknown, struct buf *err)
{
	const struct volume_row	*r;
	const char		*instead;
	struct buf		 what = BUF_INIT;
	unsigned		 before = set->nerrors;
	size_t			 i;

	for (i = 0; i < set->n; i++) {
		r = &set->v[i];
		if (strcmp(r->isp, "*") != 0 &&
		    !reporter_is_known(r->isp, &instead)) {
			buf_reset(&what);
			buf_printf(&what, "isp \"%s\" is no reporter fblscope "
			    "knows", r->isp);
			if (instead != NULL)
				buf_printf(&what, " (did you mean %s?)",
				    instead);
			unknown(set, r, allow_unknown, buf_cstr(&what), err);
		}
		if (cfg != NULL && !token_known(cfg, r->token)) {
			buf_reset(&what);
			buf_printf(&what, "token \"%s\" is no %s of %s",
			    r->token, strchr(r->token, '.') == NULL ?
			    "customer id" : "customer or ESP domain",
			    cfg->path != NULL ? cfg->path :
			    "the configuration");
			unknown(set, r, allow_unknown, buf_cstr(&what), err);
		}
	}
	buf_free(&what);
	return set->nerrors == before && buf_ok(err);
}

static int
row_cmp(const void *a, const void *b)
{
	const struct volume_row	*x = a, *y = b;
	int			 c;

	if ((c = strcmp(x->day, y->day)) != 0)
		return c;
	if ((c = strcmp(x->token, y->token)) != 0)
		return c;
	if ((c = strcmp(x->isp, y->isp)) != 0)
		return c;
	if ((c = strcmp(x->file, y->file)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

bool
volume_check_duplicates(struct volume_set *set, struct buf *err)
{
	const struct volume_row	*a, *b;
	size_t			 i;
	unsigned		 before = set->nerrors;

	if (set->n > 1)
		qsort(set->v, set->n, sizeof(*set->v), row_cmp);
	for (i = 1; i < set->n; i++) {
		a = &set->v[i - 1];
		b = &set->v[i];
		if (strcmp(a->day, b->day) != 0 ||
		    strcmp(a->token, b->token) != 0 ||
		    strcmp(a->isp, b->isp) != 0)
			continue;
		if (set->nerrors++ < VOLUME_MAX_ERRORS)
			buf_printf(err, "%s:%u: %s %s %s is already given at "
			    "%s:%u\n", b->file, b->line, b->day, b->token,
			    b->isp, a->file, a->line);
	}
	return set->nerrors == before;
}

static const char upsert_sql[] =
    "INSERT INTO volume (day, token, reporter, sent, delivered) "
    "VALUES ($1::date, $2, $3, $4::bigint, $5::bigint) "
    "ON CONFLICT (day, token, reporter) DO UPDATE "
    "SET sent = EXCLUDED.sent, delivered = EXCLUDED.delivered";

static bool
upsert(struct db *db, const struct volume_row *r, struct buf *err)
{
	char		 sent[24], deliv[24];
	const char	*p[5];
	struct buf	 why = BUF_INIT;
	bool		 ok;

	snprintf(sent, sizeof(sent), "%lld", (long long)r->sent);
	snprintf(deliv, sizeof(deliv), "%lld", (long long)r->delivered);
	p[0] = r->day;
	p[1] = r->token;
	p[2] = r->isp;
	p[3] = sent;
	p[4] = r->delivered < 0 ? NULL : deliv;
	if (!(ok = db_exec_prepared(db, "volume_upsert", 5, p, &why)))
		buf_printf(err, "%s:%u: %s", r->file, r->line, buf_cstr(&why));
	buf_free(&why);
	return ok;
}

struct rows {
	const struct volume_set	*set;
};

static bool
store_rows(struct db *db, void *arg, struct buf *err)
{
	const struct volume_set *set = ((struct rows *)arg)->set;
	size_t		 i;

	if (!db_prepare(db, "volume_upsert", upsert_sql, 5, err))
		return false;
	for (i = 0; i < set->n; i++)
		if (!upsert(db, &set->v[i], err))
			return false;
	return true;
}

bool
volume_store(struct store *st, const struct volume_set *set, struct buf *err)
{
	struct rows	 r = { set };

	return db_tx(store_db(st), DB_TX_WRITE, store_rows, &r, err);
}
