/* SPDX-License-Identifier: ISC */
/*
 * message: split raw message bytes into header fields and body, without
 * copying or rewriting them.
 *
 * Line endings.  DKIM is defined over the CRLF wire form.  Messages at rest
 * (Maildir, mbox, .eml) often use bare LF.  Throughout the verifier a line
 * ends at LF, with an immediately preceding CR counted as part of the
 * terminator; canonicalization emits CRLF for either.  A CR elsewhere is
 * data (so a gateway's CR CR LF stays visible as a stray CR).  A message that
 * holds no LF at all but does hold CR (old Mac files) is the exception: there
 * CR is the terminator, and message_parse() makes a private CRLF copy.
 *
 * Defined behaviour on hostile input:
 * - NUL and 8-bit bytes are data; they are counted in flags, never trusted.
 * - A header line that is not a field (no colon, or a name holding space or
 *   control bytes, such as an mbox "From " envelope line) is kept as a field
 *   with an empty name, so it never matches an h= name, and MSG_F_NO_COLON
 *   is set; the header block goes on until the blank line.
 * - A continuation line before any field is kept as a field with an empty
 *   name (MSG_F_LEADING_WSP); it never matches an h= name.
 * - No blank line after the header block: has_body is false (a header-only
 *   copy); an empty body after the blank line is a real, empty body.
 * - At most MESSAGE_MAX_FIELDS fields are indexed; beyond that parsing stops
 *   with MESSAGE_TOO_MANY_FIELDS.
 */
#ifndef FBL_MESSAGE_H
#define FBL_MESSAGE_H

#include <stdbool.h>
#include <stddef.h>

#define MESSAGE_MAX_FIELDS	10000

struct header_field {
	const char	*raw;		/* whole field: name, colon, value, folds */
	size_t		 raw_len;	/* ... without the final line terminator */
	const char	*name;		/* field name, trailing WSP before ':' cut */
	size_t		 name_len;
	const char	*value;		/* after the colon, folds included */
	size_t		 value_len;
};

/*
 * Flags describing what the splitter saw.  The byte classes (BARE_LF, CRLF,
 * STRAY_CR, NUL, 8BIT) cost a pass over the whole message, which the
 * verification hot path does not need: message_parse() leaves them out and
 * message_byte_flags() computes them for the views that show them.
 */
#define MSG_F_BARE_LF		0x0001	/* a line ended in LF without CR */
#define MSG_F_CRLF		0x0002	/* a line ended in CRLF */
#define MSG_F_CR_ONLY		0x0004	/* CR-terminated file, converted */
#define MSG_F_STRAY_CR		0x0008	/* a CR not before LF */
#define MSG_F_NUL		0x0010
#define MSG_F_8BIT		0x0020
#define MSG_F_NO_COLON		0x0040	/* header line without a colon */
#define MSG_F_LEADING_WSP	0x0080	/* continuation before the first field */
#define MSG_F_NO_FINAL_EOL	0x0100	/* last line has no terminator */
#define MSG_F_BOM		0x0200	/* UTF-8 BOM before the first field */

enum message_status {
	MESSAGE_OK = 0,
	MESSAGE_NOMEM,
	MESSAGE_TOO_MANY_FIELDS,
	MESSAGE_EMPTY,
};

struct message {
	const char		*raw;		/* bytes verified (maybe a copy) */
	size_t			 raw_len;
	struct header_field	*fields;
	size_t			 nfields;
	const char		*body;		/* after the blank line */
	size_t			 body_len;
	bool			 has_body;	/* false: header-only copy */
	unsigned		 flags;
	char			*owned;		/* private CRLF copy, or NULL */
};

/* Call message_free() after every message_parse(), whatever its status. */
enum message_status message_parse(struct message *, const char *raw,
		    size_t len);
void		 message_free(struct message *);
/* The byte-class flags of the message's bytes (see above). */
unsigned	 message_byte_flags(const struct message *);
const char	*message_status_str(enum message_status);

/* Case-insensitive field name comparison. */
bool		 header_name_is(const struct header_field *, const char *name,
		    size_t name_len);
/* Number of fields with that name. */
size_t		 message_count_fields(const struct message *, const char *name,
		    size_t name_len);
/* Index of the first (topmost) field with that name, or -1. */
long		 message_find_field(const struct message *, const char *name);

/*
 * The fields by name, for lookups that would otherwise scan the header
 * once per question (a diagnosis asks once per h= name or z= entry, and an
 * attacker chooses how many): sorted once, O(log n) a lookup.
 */
struct field_index {
	struct field_ref {
		const char	*name;
		size_t		 name_len;
		size_t		 pos;		/* index into fields */
	}		*v;
	size_t		 n;
};
bool		 field_index_build(struct field_index *, const struct message *);
/* The first entry (topmost field) named so, or -1; entries of one name
 * follow it in header order. */
long		 field_index_find(const struct field_index *, const char *name,
		    size_t len);
void		 field_index_free(struct field_index *);

/*
 * Iterate the lines of a byte range by the rule above.  Returns false at the
 * end.  The line is the content without terminator, *has_eol whether a
 * terminator followed.
 */
struct line_iter {
	const char	*p;
	const char	*end;
};
void	 line_iter_init(struct line_iter *, const char *, size_t);
bool	 line_iter_next(struct line_iter *, const char **line, size_t *line_len,
	    bool *has_eol);

#endif
