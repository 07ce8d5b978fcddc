/* SPDX-License-Identifier: ISC */
/* csv: RFC 4180 records from a buffer; see csv.h. */
#include <stdlib.h>
#include <string.h>

#include "base/csv.h"

bool
csv_init(struct csv *c, const char *data, size_t len, size_t max_record,
    size_t max_fields)
{
	memset(c, 0, sizeof(*c));
	c->data = data;
	c->len = data != NULL ? len : 0;
	c->line = 1;
	c->max_record = max_record;
	c->max_fields = max_fields > 0 ? max_fields : 1;
	c->start = calloc(c->max_fields, sizeof(*c->start));
	c->flen = calloc(c->max_fields, sizeof(*c->flen));
	c->quoted = calloc(c->max_fields, sizeof(*c->quoted));
	return c->start != NULL && c->flen != NULL && c->quoted != NULL;
}

void
csv_free(struct csv *c)
{
	buf_free(&c->text);
	free(c->start);
	free(c->flen);
	free(c->quoted);
	memset(c, 0, sizeof(*c));
}

static bool
is_blank(char ch)
{
	return ch == ' ' || ch == '\t';
}

/* Does a line end (LF, CR LF, or a CR that ends the text) start at i? */
static bool
at_eol(const struct csv *c, size_t i)
{
	return c->data[i] == '\n' || (c->data[i] == '\r' &&
	    (i + 1 == c->len || c->data[i + 1] == '\n'));
}

/* Past the end of the line holding data[off]. */
static void
skip_line(struct csv *c)
{
	const char	*nl;

	nl = memchr(c->data + c->off, '\n', c->len - c->off);
	if (nl == NULL)
		c->off = c->len;
	else {
		c->off = (size_t)(nl - c->data) + 1;
		c->line++;
	}
}

/* The record is dropped with the rest of its line; always -1. */
static int
bad(struct csv *c, struct buf *err, const char *why)
{
	buf_puts(err, why);
	skip_line(c);
	c->n = 0;
	return -1;
}

static int
too_long(struct csv *c, struct buf *err)
{
	buf_printf(err, "a record longer than %zu bytes", c->max_record);
	skip_line(c);
	c->n = 0;
	return -1;
}

/* A quoted field, data[off] being its opening quote: 0, or -1 (err). */
static int
quoted_field(struct csv *c, size_t rec_start, struct buf *err)
{
	char	 ch;

	for (c->off++;; c->off++) {
		if (c->off == c->len) {
			buf_printf(err, "a quote opened on line %lu is not "
			    "closed", c->rec_line);
			c->n = 0;
			return -1;
		}
		if (c->off - rec_start > c->max_record)
			return too_long(c, err);
		if ((ch = c->data[c->off]) == '"') {
			if (c->off + 1 == c->len || c->data[c->off + 1] != '"')
				break;
			c->off++;	/* "" is one quote */
		} else if (ch == '\n')
			c->line++;
		buf_putc(&c->text, ch);
	}
	for (c->off++; c->off < c->len && is_blank(c->data[c->off]); c->off++)
		continue;
	if (c->off < c->len && c->data[c->off] != ',' && !at_eol(c, c->off))
		return bad(c, err, "text after a closing quote");
	return 0;
}

/* An unquoted field from data[off]: 0, or -1 (err). */
static int
plain_field(struct csv *c, size_t rec_start, struct buf *err)
{
	size_t	 i, end;

	for (i = c->off; i < c->len && c->data[i] != ',' && !at_eol(c, i);
	    i++) {
		if (c->data[i] == '"') {
			c->off = i;
			return bad(c, err, "a quote inside an unquoted field "
			    "(quote the whole field, doubling the quote)");
		}
		if (i - rec_start >= c->max_record) {
			c->off = i;
			return too_long(c, err);
		}
	}
	for (end = i; end > c->off && is_blank(c->data[end - 1]); end--)
		continue;
	buf_append(&c->text, c->data + c->off, end - c->off);
	c->off = i;
	return 0;
}

int
csv_next(struct csv *c, struct buf *err)
{
	size_t	 rec_start;
	bool	 quoted;
	int	 rc;

	c->n = 0;
	buf_reset(&c->text);
	if (c->off >= c->len)
		return 0;
	c->rec_line = c->line;
	rec_start = c->off;
	for (;;) {
		while (c->off < c->len && is_blank(c->data[c->off]))
			c->off++;
		if (c->n == c->max_fields) {
			buf_printf(err, "more than %zu fields", c->max_fields);
			skip_line(c);
			c->n = 0;
			return -1;
		}
		c->start[c->n] = c->text.len;
		quoted = c->off < c->len && c->data[c->off] == '"';
		rc = quoted ? quoted_field(c, rec_start, err) :
		    plain_field(c, rec_start, err);
		if (rc != 0)
			return rc;
		c->flen[c->n] = c->text.len - c->start[c->n];
		c->quoted[c->n++] = quoted;
		buf_putc(&c->text, '\0');
		if (!buf_ok(&c->text))
			return bad(c, err, "out of memory");
		if (c->off == c->len)
			return 1;
		if (c->data[c->off++] == ',')
			continue;
		/* a line end: LF, or CR and maybe LF */
		if (c->data[c->off - 1] == '\r' && c->off < c->len)
			c->off++;
		c->line++;
		return 1;
	}
}

unsigned long
csv_line(const struct csv *c)
{
	return c->rec_line;
}

size_t
csv_nfields(const struct csv *c)
{
	return c->n;
}

const char *
csv_field(const struct csv *c, size_t i, size_t *len)
{
	if (i >= c->n) {
		*len = 0;
		return "";
	}
	*len = c->flen[i];
	return c->text.data + c->start[i];
}

bool
csv_blank(const struct csv *c)
{
	return c->n == 1 && c->flen[0] == 0 && !c->quoted[0];
}
