/* SPDX-License-Identifier: ISC */
/*
 * fuzz_tagvalue: tag_list_parse() on hostile bytes; every parsed tag is
 * checked against the grammar of tagvalue.h and looked up again by name.
 *
 * FUZZ_MAX_LEN: 8192
 * FUZZ_DICT: "v=1"
 * FUZZ_DICT: "a=rsa-sha256"
 * FUZZ_DICT: "bh="
 * FUZZ_DICT: "b="
 * FUZZ_DICT: "h=from:to"
 * FUZZ_DICT: "; "
 * FUZZ_DICT: "\x0d\x0a\x09"
 * FUZZ_DICT: "\x0a "
 * FUZZ_DICT: "p="
 * FUZZ_DICT: "k=ed25519"
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/tagvalue.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile unsigned sink;

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_tagvalue: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

static bool
is_wsp_or_eol(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

static bool
is_name_char(char c, bool first)
{
	if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
		return true;
	return !first && ((c >= '0' && c <= '9') || c == '_');
}

static void
check_tag(const struct tag_list *tl, const struct tag *t, const char *p,
    size_t len)
{
	const struct tag	*g;
	char			 name[64];
	size_t			 i, voff;
	unsigned		 s = 0;

	/* the name: ALPHA *(ALPHA / DIGIT / "_"), inside the input */
	REQUIRE(t->name_len > 0);
	REQUIRE(t->name >= p && t->name <= p + len);
	REQUIRE(t->name_len <= (size_t)(p + len - t->name));
	for (i = 0; i < t->name_len; i++)
		REQUIRE(is_name_char(t->name[i], i == 0));

	/* the value: inside [raw_value_off, raw_value_end), trimmed */
	REQUIRE(t->raw_value_off <= t->raw_value_end);
	REQUIRE(t->raw_value_end <= len);
	REQUIRE(t->raw_value_off > 0 && p[t->raw_value_off - 1] == '=');
	REQUIRE(t->raw_value_end == len || p[t->raw_value_end] == ';');
	REQUIRE(t->value >= p + t->raw_value_off);
	voff = (size_t)(t->value - p);
	REQUIRE(voff <= t->raw_value_end);
	REQUIRE(t->value_len <= t->raw_value_end - voff);
	REQUIRE(t->name + t->name_len < p + t->raw_value_off);
	for (i = 0; i < t->value_len; i++) {
		s += (unsigned char)t->value[i];
		REQUIRE(t->value[i] != ';');
		REQUIRE(t->value[i] != '\0');
	}
	sink += s;
	if (t->value_len > 0) {
		REQUIRE(!is_wsp_or_eol(t->value[0]));
		REQUIRE(!is_wsp_or_eol(t->value[t->value_len - 1]));
	}

	/* the tag is found again by its name (case-sensitively) */
	if (t->name_len < sizeof(name)) {
		memcpy(name, t->name, t->name_len);
		name[t->name_len] = '\0';
		g = tag_list_get(tl, name);
		REQUIRE(g == t);
		/* swap the case of the first letter: another name */
		name[0] ^= 0x20;
		g = tag_list_get(tl, name);
		REQUIRE(g == NULL || g != t);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {
		"v", "a", "b", "bh", "c", "d", "h", "i", "l", "q", "s", "t",
		"x", "z", "k", "p", "n", "", "V", "b_", "zz9",
	};
	const char		*p = (const char *)data;
	struct tag_list		 tl;
	const struct tag	*t;
	enum tag_status		 st;
	size_t			 i, j, err_off = (size_t)-1;

	st = tag_list_parse(&tl, p, size, &err_off);
	REQUIRE(tag_status_str(st) != NULL);
	REQUIRE(tl.ntags <= TAG_LIST_MAX);
	switch (st) {
	case TAG_OK:
		REQUIRE(err_off == 0);
		for (i = 0; i < tl.ntags; i++) {
			check_tag(&tl, &tl.tags[i], p, size);
			/* no duplicates survive, tags are in input order */
			for (j = 0; j < i; j++) {
				REQUIRE(tl.tags[j].name_len !=
				    tl.tags[i].name_len ||
				    memcmp(tl.tags[j].name, tl.tags[i].name,
				    tl.tags[i].name_len) != 0);
				REQUIRE(tl.tags[j].raw_value_end <
				    (size_t)(tl.tags[i].name - p));
			}
		}
		for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
			t = tag_list_get(&tl, names[i]);
			if (t == NULL)
				continue;
			REQUIRE(t >= tl.tags && t < tl.tags + tl.ntags);
			REQUIRE(t->name_len == strlen(names[i]));
			REQUIRE(memcmp(t->name, names[i], t->name_len) == 0);
			(void)tag_value_is(t, "rsa-sha256");
			(void)tag_value_is(t, "");
		}
		break;
	case TAG_SYNTAX:
	case TAG_DUPLICATE:
	case TAG_TOO_MANY:
		REQUIRE(err_off <= size);
		break;
	default:
		REQUIRE(!"unknown tag_status");
	}
	if (st == TAG_DUPLICATE)
		REQUIRE(err_off < size);
	return 0;
}
