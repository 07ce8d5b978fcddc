/* SPDX-License-Identifier: ISC */
/*
 * tagvalue: the tag=value list of RFC 6376 section 3.2, used by both the
 * DKIM-Signature field and the key record.
 *
 *   tag-list  = tag-spec *( ";" tag-spec ) [ ";" ]
 *   tag-spec  = [FWS] tag-name [FWS] "=" [FWS] tag-value [FWS]
 *   tag-name  = ALPHA *( ALPHA / DIGIT / "_" )
 *   tag-value = [ tval *( 1*(WSP / FWS) tval ) ],  tval = 1*(%x21-3A / %x3C-7E)
 *
 * FWS here accepts CRLF or bare LF before the WSP (messages at rest).  The
 * parser never copies: each tag points into the input.  A duplicate tag name
 * is an error (section 3.2: "MUST be treated as invalid"); unknown tags are
 * kept and ignored by the callers.  Empty tag-specs between two semicolons are
 * a syntax error; a single trailing semicolon is allowed.
 */
#ifndef FBL_TAGVALUE_H
#define FBL_TAGVALUE_H

#include <stdbool.h>
#include <stddef.h>

#define TAG_LIST_MAX	64

struct tag {
	const char	*name;
	size_t		 name_len;
	const char	*value;		/* FWS around the value trimmed */
	size_t		 value_len;
	size_t		 raw_value_off;	/* offset just after '=' */
	size_t		 raw_value_end;	/* offset of the ';' or end of input */
};

struct tag_list {
	struct tag	 tags[TAG_LIST_MAX];
	size_t		 ntags;
};

enum tag_status {
	TAG_OK = 0,
	TAG_SYNTAX,		/* *err_off says where */
	TAG_DUPLICATE,		/* *err_off is the second occurrence */
	TAG_TOO_MANY,
};

enum tag_status	 tag_list_parse(struct tag_list *, const char *, size_t,
		    size_t *err_off);
const struct tag *tag_list_get(const struct tag_list *, const char *name);
bool		 tag_value_is(const struct tag *, const char *s);
/* The value as a string of its own, to free(); NULL when out of memory. */
char		*tag_value_dup(const struct tag *);
/*
 * The items of a colon-separated value (the signature's h=, the key
 * record's h=, s= and t=), FWS around each trimmed, to fn in order until
 * it returns false; false when it did.  An empty value is one empty item.
 */
bool		 tag_value_items(const struct tag *,
		    bool (*fn)(const char *item, size_t len, void *arg),
		    void *arg);
const char	*tag_status_str(enum tag_status);

#endif
