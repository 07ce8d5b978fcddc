/* SPDX-License-Identifier: ISC */
/* tagvalue: RFC 6376 section 3.2 tag lists; see tagvalue.h. */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/ascii.h"
#include "verifier/tagvalue.h"

static bool
is_valchar(char c)
{
	unsigned char u = (unsigned char)c;

	return u >= 0x21 && u <= 0x7e && u != ';';
}

/*
 * Skip FWS at *i: WSP, or a line break (CRLF or LF) that is followed by WSP.
 * A line break not followed by WSP is not FWS and stops the skip.
 */
static void
skip_fws(const char *p, size_t len, size_t *i)
{
	size_t	 j;

	while (*i < len) {
		if (ascii_is_wsp(p[*i])) {
			(*i)++;
			continue;
		}
		j = *i;
		if (p[j] == '\r')
			j++;
		if (j < len && p[j] == '\n' && j + 1 < len &&
		    ascii_is_wsp(p[j + 1])) {
			*i = j + 1;
			continue;
		}
		break;
	}
}

char *
tag_value_dup(const struct tag *t)
{
	char	*s;

	if ((s = malloc(t->value_len + 1)) == NULL)
		return NULL;
	memcpy(s, t->value, t->value_len);
	s[t->value_len] = '\0';
	return s;
}

bool
tag_value_items(const struct tag *t,
    bool (*fn)(const char *item, size_t len, void *arg), void *arg)
{
	const char	*p = t->value, *end = t->value + t->value_len, *q;
	size_t		 n;

	for (;;) {
		q = memchr(p, ':', (size_t)(end - p));
		if (q == NULL)
			q = end;
		while (p < q && strchr(" \t\r\n", *p) != NULL)
			p++;
		n = (size_t)(q - p);
		while (n > 0 && strchr(" \t\r\n", p[n - 1]) != NULL)
			n--;
		if (!fn(p, n, arg))
			return false;
		if (q == end)
			return true;
		p = q + 1;
	}
}

enum tag_status
tag_list_parse(struct tag_list *tl, const char *p, size_t len, size_t *err_off)
{
	size_t		 i = 0, k, vend;
	struct tag	*t;

	tl->ntags = 0;
	*err_off = 0;
	for (;;) {
		skip_fws(p, len, &i);
		if (i >= len)	/* empty list, or after a trailing ';' */
			return TAG_OK;
		if (!ascii_is_alpha(p[i])) {
			*err_off = i;
			return TAG_SYNTAX;
		}
		if (tl->ntags == TAG_LIST_MAX) {
			*err_off = i;
			return TAG_TOO_MANY;
		}
		t = &tl->tags[tl->ntags];
		t->name = p + i;
		while (i < len && (ascii_is_alpha(p[i]) ||
		    ascii_is_digit(p[i]) || p[i] == '_'))
			i++;
		t->name_len = (size_t)(p + i - t->name);
		skip_fws(p, len, &i);
		if (i >= len || p[i] != '=') {
			*err_off = i;
			return TAG_SYNTAX;
		}
		i++;
		t->raw_value_off = i;
		skip_fws(p, len, &i);
		t->value = p + i;
		vend = i;
		while (i < len && p[i] != ';') {
			if (is_valchar(p[i])) {
				i++;
				vend = i;
				continue;
			}
			k = i;
			skip_fws(p, len, &i);
			if (i == k) {
				*err_off = i;
				return TAG_SYNTAX;
			}
		}
		t->value_len = (size_t)(p + vend - t->value);
		t->raw_value_end = i;
		for (k = 0; k < tl->ntags; k++) {
			if (tl->tags[k].name_len == t->name_len &&
			    memcmp(tl->tags[k].name, t->name, t->name_len) == 0) {
				*err_off = (size_t)(t->name - p);
				return TAG_DUPLICATE;
			}
		}
		tl->ntags++;
		if (i >= len)
			return TAG_OK;
		i++;	/* the ';' */
		k = i;
		skip_fws(p, len, &k);
		if (k < len && p[k] == ';') {
			*err_off = k;
			return TAG_SYNTAX;
		}
	}
}

const struct tag *
tag_list_get(const struct tag_list *tl, const char *name)
{
	size_t	 i, n = strlen(name);

	/* tag names are case-sensitive (section 3.2) */
	for (i = 0; i < tl->ntags; i++)
		if (tl->tags[i].name_len == n &&
		    memcmp(tl->tags[i].name, name, n) == 0)
			return &tl->tags[i];
	return NULL;
}

bool
tag_value_is(const struct tag *t, const char *s)
{
	size_t	 n = strlen(s);

	return t->value_len == n && strncasecmp(t->value, s, n) == 0;
}

const char *
tag_status_str(enum tag_status st)
{
	switch (st) {
	case TAG_OK:
		return "ok";
	case TAG_SYNTAX:
		return "syntax error in tag list";
	case TAG_DUPLICATE:
		return "duplicate tag";
	case TAG_TOO_MANY:
		return "too many tags";
	}
	return "unknown";
}
