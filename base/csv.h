/* SPDX-License-Identifier: ISC */
/*
 * csv: records of an RFC 4180 text, one at a time, from a buffer.
 *
 * Fields are separated by ',' and records by LF or CR LF.  A field may be
 * quoted with '"': inside the quotes ',', CR and LF are data and "" is one
 * '"'.  Blanks (space, tab) around a field are dropped, around its quotes
 * too; blanks inside quotes are kept.  A CR that does not end a line is
 * data.  An empty line is a record of one empty field (csv_blank()).
 *
 * Malformed, each an error record: a '"' inside an unquoted field, text
 * after a closing quote, a quote still open at the end of the text, a
 * record longer than max_record bytes (its line end aside), more than
 * max_fields fields.  The reader then skips to the end of the line where
 * the problem was found and goes on: one bad line, one error.  Nothing is
 * read past len; memory is bounded by max_record and max_fields.
 *
 * Lines are counted from 1 and include the line ends inside quotes, so a
 * record's line is where it starts in an editor.
 */
#ifndef BASE_CSV_H
#define BASE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

struct csv {
	const char	*data;
	size_t		 len;
	size_t		 off;
	unsigned long	 line;		/* of data[off] */
	size_t		 max_record;
	size_t		 max_fields;
	/* the last record */
	unsigned long	 rec_line;
	struct buf	 text;		/* its fields, each NUL-terminated */
	size_t		*start;		/* [max_fields]: offsets in text */
	size_t		*flen;
	bool		*quoted;
	size_t		 n;
};

/* Read data[0..len); false when out of memory. */
bool		 csv_init(struct csv *, const char *data, size_t len,
		    size_t max_record, size_t max_fields);
void		 csv_free(struct csv *);

/*
 * The next record.  1: a record (csv_field ...).  0: the end of the text.
 * -1: a malformed record, what is wrong with it in err (without the line:
 * csv_line() has it); call again to go on.
 */
int		 csv_next(struct csv *, struct buf *err);

/* The line the last record (or error) started on. */
unsigned long	 csv_line(const struct csv *);
size_t		 csv_nfields(const struct csv *);
/* Field i of the last record, NUL-terminated; *len (may hold NULs). */
const char	*csv_field(const struct csv *, size_t i, size_t *len);
/* Was the last record an empty line (one unquoted field, empty)? */
bool		 csv_blank(const struct csv *);

#endif
