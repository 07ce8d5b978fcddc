/* volume: sending volumes from CSV into PostgreSQL; see volume.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "fbl/volume.h"

#define NCOLS_MAX	5

/* One line cut into fields: pointers into the data, explicit lengths. */
struct fields {
	const char	*p[NCOLS_MAX + 1];
	size_t		 len[NCOLS_MAX + 1];
	size_t		 n;		/* NCOLS_MAX + 1: too many */
};

struct parser {
	struct volume_set	*set;
	const char		*file;
	unsigned		 line;
	size_t			 ncols;		/* 0: no header yet */
	struct buf		*err;
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
		buf_printf(ps->err, "%s:%u: ", ps->file, ps->line);
		va_start(ap, fmt);
		buf_vprintf(ps->err, fmt, ap);
		va_end(ap);
		buf_putc(ps->err, '\n');
	}
	return false;
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static void
split(const char *s, size_t len, struct fields *f)
{
	size_t	 i, start = 0;

	f->n = 0;
	for (i = 0; i <= len; i++) {
		if (i < len && s[i] != ',')
			continue;
		if (f->n == NCOLS_MAX + 1)
			return;
		f->p[f->n] = s + start;
		f->len[f->n] = i - start;
		while (f->len[f->n] > 0 && is_blank(*f->p[f->n])) {
			f->p[f->n]++;
			f->len[f->n]--;
		}
		while (f->len[f->n] > 0 &&
		    is_blank(f->p[f->n][f->len[f->n] - 1]))
			f->len[f->n]--;
		f->n++;
		start = i + 1;
	}
}

static bool
field_is(const struct fields *f, size_t i, const char *name)
{
	size_t	 k, n = strlen(name);

	if (f->len[i] != n)
		return false;
	for (k = 0; k < n; k++)
		if ((f->p[i][k] | 0x20) != name[k])
			return false;
	return true;
}

static bool
header(struct parser *ps, const struct fields *f)
{
	static const char *const names[] = {
		"day", "token", "isp", "sent", "delivered"
	};
	size_t	 i;

	if (f->n < 4 || f->n > NCOLS_MAX)
		return problem(ps, "want the header \"day,token,isp,sent"
		    "[,delivered]\"");
	for (i = 0; i < f->n; i++)
		if (!field_is(f, i, names[i]))
			return problem(ps, "header column %zu must be \"%s\"",
			    i + 1, names[i]);
	ps->ncols = f->n;
	return true;
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
row_counts(struct parser *ps, const struct fields *f, struct volume_row *r)
{
	const char	*why;

	if ((why = count_value(f->p[3], f->len[3], &r->sent)) != NULL)
		return problem(ps, "sent \"%.*s\" %s", (int)f->len[3], f->p[3],
		    why);
	r->delivered = -1;
	if (f->n == 5 && f->len[4] > 0) {
		if ((why = count_value(f->p[4], f->len[4], &r->delivered)) !=
		    NULL)
			return problem(ps, "delivered \"%.*s\" %s",
			    (int)f->len[4], f->p[4], why);
		if (r->delivered > r->sent)
			return problem(ps, "delivered %lld exceeds sent %lld",
			    (long long)r->delivered, (long long)r->sent);
	}
	return true;
}

static bool
row(struct parser *ps, const struct fields *f)
{
	struct volume_row	 r;
	const char		*why;

	memset(&r, 0, sizeof(r));
	if (f->n != ps->ncols)
		return problem(ps, "%s", f->n < ps->ncols ?
		    "missing column: want day,token,isp,sent[,delivered] as "
		    "in the header" : "more columns than the header has");
	if (!date_parse_day(f->p[0], f->len[0], NULL, NULL, NULL, NULL))
		return problem(ps, "day \"%.*s\" is not a date YYYY-MM-DD",
		    (int)f->len[0], f->p[0]);
	memcpy(r.day, f->p[0], 10);
	r.day[10] = '\0';
	if (!row_counts(ps, f, &r))
		return false;
	if ((r.token = token_value(f->p[1], f->len[1], &why)) == NULL)
		return problem(ps, "token \"%.*s\" %s", (int)f->len[1], f->p[1],
		    why != NULL ? why : "(out of memory)");
	if ((r.isp = isp_value(f->p[2], f->len[2])) == NULL) {
		free(r.token);
		return problem(ps, "isp \"%.*s\" is not a reporter name "
		    "(yahoo, microsoft, ...) or *", (int)f->len[2], f->p[2]);
	}
	r.file = ps->file;
	r.line = ps->line;
	return append_row(ps, &r);
}

static void
line(struct parser *ps, const char *s, size_t len)
{
	struct fields	 f;
	size_t		 i;

	if (len > 0 && s[len - 1] == '\r')
		len--;
	for (i = 0; i < len && is_blank(s[i]); i++)
		;
	if (i == len)
		return;
	if (memchr(s, '"', len) != NULL) {
		problem(ps, "quoted fields are not supported");
		return;
	}
	split(s, len, &f);
	if (ps->ncols == 0)
		header(ps, &f);
	else
		row(ps, &f);
}

bool
volume_parse(struct volume_set *set, const char *file, const char *data,
    size_t len, struct buf *err)
{
	struct parser	 ps;
	const char	*nl;
	size_t		 off = 0;
	unsigned	 before = set->nerrors;

	memset(&ps, 0, sizeof(ps));
	ps.set = set;
	ps.file = file;
	ps.err = err;
	if (memchr(data, '\0', len) != NULL) {
		ps.line = 1;
		return problem(&ps, "holds a NUL byte: not a CSV file");
	}
	while (off < len) {
		ps.line++;
		nl = memchr(data + off, '\n', len - off);
		line(&ps, data + off, nl != NULL ? (size_t)(nl - data - off) :
		    len - off);
		off = nl != NULL ? (size_t)(nl - data) + 1 : len;
	}
	if (ps.ncols == 0 && set->nerrors == before) {
		ps.line = ps.line == 0 ? 1 : ps.line;
		problem(&ps, "no header line \"day,token,isp,sent"
		    "[,delivered]\"");
	}
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
