/* SPDX-License-Identifier: ISC */
/*
 * mime: the small MIME layer the report parser needs (RFC 2045, 2046, 2231).
 *
 * Everything works on byte ranges of the caller's buffer, with explicit
 * lengths; nothing is copied except decoded content, which is appended to a
 * caller's buf.  A line ends at LF, a CR right before it belongs to the line
 * end (the verifier's rule, message.h).
 *
 * Hostile-input behaviour:
 * - header blocks: a line without a colon is a field with an empty name
 *   (callers skip it); a continuation line folds into the field above.
 * - Content-Type: parsed leniently (comments, blanks around "=", a missing
 *   or trailing ";"); unknown syntax leaves type/subtype empty.  At most
 *   MIME_MAX_PARAMS parameters are kept; a value longer than
 *   MIME_MAX_VALUE - 1 bytes is cut and flagged.  RFC 2231 continuations
 *   (name*0, name*1*, ...) are joined by mime_ct_param().
 * - multipart: a delimiter is "--" boundary at the start of a line followed
 *   by nothing but blanks, or by "--" (close).  A missing closing delimiter
 *   lets the last part run to the end; an opening delimiter with nothing
 *   after it makes no part; both are flagged.  A multipart without a usable
 *   boundary parameter takes the first "--" line of its body as boundary
 *   (flagged).  At most MIME_MAX_PARTS entities and MIME_MAX_DEPTH levels of
 *   nesting; message/rfc822 parts are never entered (their content is the
 *   caller's business).
 * - decoding: base64 skips every byte outside the alphabet and stops at
 *   "="; quoted-printable keeps a malformed "=" as it is.  Neither fails
 *   except for memory.
 */
#ifndef FBL_MIME_H
#define FBL_MIME_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"

#define MIME_MAX_PARTS		64	/* entities in a tree, top included */
#define MIME_MAX_DEPTH		8	/* multipart nesting followed */
#define MIME_MAX_PARAMS		16	/* Content-Type parameters kept */
#define MIME_MAX_NAME		48	/* parameter name, NUL included */
#define MIME_MAX_VALUE		256	/* parameter value, NUL included */
#define MIME_MAX_TOKEN		64	/* type or subtype, NUL included */

/* --- header blocks ------------------------------------------------------ */

struct mime_field {
	const char	*name;		/* name_len 0: a line without a colon */
	size_t		 name_len;
	const char	*value;		/* after the colon, folds included */
	size_t		 value_len;
};

struct mime_hdr_iter {
	const char	*p;
	const char	*end;
	bool		 done;
};

/* Iterate the fields of a header block; stops at the blank line. */
void	 mime_hdr_init(struct mime_hdr_iter *, const char *, size_t);
bool	 mime_hdr_next(struct mime_hdr_iter *, struct mime_field *);
/* Case-insensitive name test. */
bool	 mime_field_is(const struct mime_field *, const char *name);
/* First field of that name in the block, or false. */
bool	 mime_hdr_find(const char *, size_t, const char *name,
	    struct mime_field *);
/*
 * Append the value unfolded (line ends inside removed), blanks at both ends
 * trimmed, NUL bytes dropped.
 */
void	 mime_unfold(struct buf *, const char *, size_t);

/*
 * Split an entity at its blank line: *hdr_len is the header block with the
 * terminator of its last line, *body_off where the body starts (len when
 * there is no blank line).  Returns whether there was a blank line.
 */
bool	 mime_split_header(const char *, size_t, size_t *hdr_len,
	    size_t *body_off);

/* --- Content-Type --------------------------------------------------------- */

#define MIME_CT_BAD		0x01	/* no type/subtype found */
#define MIME_CT_TRUNCATED	0x02	/* a value or name was cut */
#define MIME_CT_TOO_MANY	0x04	/* parameters beyond MIME_MAX_PARAMS */

struct mime_param {
	char		 name[MIME_MAX_NAME];	/* lower case, "*n" kept */
	char		 value[MIME_MAX_VALUE];
	bool		 quoted;
	bool		 truncated;
};

struct mime_ct {
	char		 type[MIME_MAX_TOKEN];		/* lower case */
	char		 subtype[MIME_MAX_TOKEN];	/* lower case */
	struct mime_param params[MIME_MAX_PARAMS];
	size_t		 nparams;
	unsigned	 flags;
};

/* Parse a Content-Type value (unfolded or not). */
void	 mime_ct_parse(struct mime_ct *, const char *, size_t);
/* "type/subtype" equality, case-insensitive. */
bool	 mime_ct_is(const struct mime_ct *, const char *type,
	    const char *subtype);
/*
 * A parameter's value into out (NUL-terminated, cut to outlen - 1), with
 * RFC 2231 continuations joined and %XX of extended sections decoded.
 * *quoted (may be NULL) says whether the value (its first section) was a
 * quoted-string.  false when absent or cut.
 */
bool	 mime_ct_param(const struct mime_ct *, const char *name, char *out,
	    size_t outlen, bool *quoted);

/* --- transfer encodings --------------------------------------------------- */

enum mime_cte {
	MIME_CTE_NONE = 0,	/* absent: 7bit */
	MIME_CTE_7BIT,
	MIME_CTE_8BIT,
	MIME_CTE_BINARY,
	MIME_CTE_BASE64,
	MIME_CTE_QP,
	MIME_CTE_OTHER,		/* unknown token: left as it is */
};

enum mime_cte	 mime_cte_parse(const char *, size_t);
const char	*mime_cte_name(enum mime_cte);
/* Append the decoded bytes; false only when out of memory. */
bool	 mime_b64_decode(struct buf *, const char *, size_t);
bool	 mime_qp_decode(struct buf *, const char *, size_t);
/* Decode by cte (identity for the non-encodings). */
bool	 mime_decode(struct buf *, enum mime_cte, const char *, size_t);

/* --- the entity tree ------------------------------------------------------ */

/* per-entity flags */
#define MIME_F_NO_CLOSE		0x0001	/* multipart: no closing delimiter */
#define MIME_F_OPEN_AT_END	0x0002	/* ... it ends with an opening one */
#define MIME_F_NO_BOUNDARY	0x0004	/* no boundary parameter: guessed */
#define MIME_F_UNQUOTED_BOUNDARY 0x0008	/* boundary=token, not "quoted" */
#define MIME_F_NO_DELIMITER	0x0010	/* multipart without any delimiter */
#define MIME_F_TOO_DEEP		0x0020	/* nesting beyond MIME_MAX_DEPTH */
#define MIME_F_NO_HEADER	0x0040	/* part starts with its blank line */
#define MIME_F_NO_BLANK		0x0080	/* part has no blank line at all */
#define MIME_F_CT_BAD		0x0100	/* Content-Type unparseable */

struct mime_part {
	const char	*hdr;		/* header block (maybe empty) */
	size_t		 hdr_len;
	const char	*body;		/* content, still transfer-encoded */
	size_t		 body_len;
	char		 type[MIME_MAX_TOKEN];	/* "" when no Content-Type */
	char		 subtype[MIME_MAX_TOKEN];
	enum mime_cte	 cte;
	int		 parent;	/* index of the enclosing multipart */
	unsigned	 depth;		/* 0: the message itself */
	unsigned	 nchildren;
	unsigned	 flags;
};

struct mime_tree {
	struct mime_part parts[MIME_MAX_PARTS];
	size_t		 nparts;
	bool		 truncated;	/* more entities than MIME_MAX_PARTS */
};

/*
 * Build the tree of a message from its header block and body (body may be
 * NULL/0).  Children of a multipart follow it in document order (depth
 * first).  A part with no Content-Type is text/plain, or message/rfc822
 * inside multipart/digest, as RFC 2046 says; its type stays "" so callers
 * can tell.
 */
void	 mime_parse(struct mime_tree *, const char *hdr, size_t hdr_len,
	    const char *body, size_t body_len);
/* The Content-Type of a part, parsed again (for its parameters). */
void	 mime_part_ct(const struct mime_part *, struct mime_ct *);
bool	 mime_part_is(const struct mime_part *, const char *type,
	    const char *subtype);

#endif
