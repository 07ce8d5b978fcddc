/* SPDX-License-Identifier: ISC */
/*
 * fuzz_message: message_parse() on hostile bytes, then every field and every
 * body line is walked and checked against the contract of message.h.
 *
 * Any broken invariant is reported on stderr and abort()s, so libFuzzer saves
 * the input as a crash artifact.
 *
 * FUZZ_MAX_LEN: 65536
 * FUZZ_SEEDS: dkim-cases
 * FUZZ_DICT: "DKIM-Signature:"
 * FUZZ_DICT: "From:"
 * FUZZ_DICT: "\x0d\x0a"
 * FUZZ_DICT: "\x0d\x0a\x0d\x0a"
 * FUZZ_DICT: "\x0a\x0a"
 * FUZZ_DICT: "\x0d\x0a\x09"
 * FUZZ_DICT: "\x0a "
 * FUZZ_DICT: "\x0d"
 * FUZZ_DICT: "\xef\xbb\xbf"
 * FUZZ_DICT: "From "
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "verifier/message.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static volatile unsigned sink;

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_message: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

/* Is [p, p + n) inside [lo, lo + len)? */
static bool
inside(const char *p, size_t n, const char *lo, size_t len)
{
	if (n > 0 && p == NULL)
		return false;
	if (p < lo || p > lo + len)
		return false;
	return n <= (size_t)(lo + len - p);
}

/* Read every byte so ASan sees any out-of-bounds span. */
static void
touch(const char *p, size_t n)
{
	unsigned	 s = 0;
	size_t		 i;

	for (i = 0; i < n; i++)
		s += (unsigned char)p[i];
	sink += s;
}

/*
 * Walk the lines of [p, p + len): every line must lie inside the range, the
 * iterator must make progress, and the lines plus their terminators must add
 * up to the range exactly.
 */
static size_t
walk_lines(const char *p, size_t len)
{
	struct line_iter	 it;
	const char		*line, *expect = p;
	size_t			 line_len, n = 0, term;
	bool			 eol;

	line_iter_init(&it, p, len);
	while (line_iter_next(&it, &line, &line_len, &eol)) {
		REQUIRE(line == expect);
		REQUIRE(inside(line, line_len, p, len));
		touch(line, line_len);
		if (eol) {
			/* terminator: LF, or CR LF */
			term = (size_t)(it.p - (line + line_len));
			REQUIRE(term == 1 || term == 2);
			REQUIRE(it.p[-1] == '\n');
			if (term == 2)
				REQUIRE(line[line_len] == '\r');
			REQUIRE(memchr(line, '\n', line_len) == NULL);
		} else {
			REQUIRE(line + line_len == p + len);
			REQUIRE(memchr(line, '\n', line_len) == NULL);
		}
		REQUIRE(it.p > expect);
		expect = it.p;
		n++;
	}
	REQUIRE(expect == p + len);
	/* an exhausted iterator stays exhausted */
	REQUIRE(!line_iter_next(&it, &line, &line_len, &eol));
	return n;
}

#define BYTE_CLASSES	(MSG_F_BARE_LF | MSG_F_CRLF | MSG_F_STRAY_CR | \
			    MSG_F_NUL | MSG_F_8BIT)

/* The flags message.h defines by the bytes alone, computed plainly. */
static unsigned
ref_flags(const char *p, size_t len)
{
	unsigned	 f = 0;
	size_t		 i;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)p[i];

		if (c == '\n' && i > 0 && p[i - 1] == '\r')
			f |= MSG_F_CRLF;
		else if (c == '\n')
			f |= MSG_F_BARE_LF;
		else if (c == '\r' && (i + 1 == len || p[i + 1] != '\n'))
			f |= MSG_F_STRAY_CR;
		else if (c == 0)
			f |= MSG_F_NUL;
		else if (c >= 0x80)
			f |= MSG_F_8BIT;
	}
	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		f |= MSG_F_BOM;
	if (len > 0 && p[len - 1] != '\n')
		f |= MSG_F_NO_FINAL_EOL;
	return f;
}

static void
check_message(const struct message *m)
{
	const struct header_field	*f, *prev = NULL;
	const char			*end = m->raw + m->raw_len;
	size_t				 i, j, ndkim = 0, nfrom = 0;
	long				 idx;

	REQUIRE(m->raw != NULL);
	REQUIRE(m->nfields <= MESSAGE_MAX_FIELDS);
	REQUIRE(m->nfields == 0 || m->fields != NULL);
	if (m->flags & MSG_F_CR_ONLY) {
		REQUIRE(m->owned != NULL);
		REQUIRE(m->raw == m->owned);
	}
	touch(m->raw, m->raw_len);
	/*
	 * message_parse() sets the structural flags; the byte classes come
	 * from message_byte_flags() (message.h).
	 */
	REQUIRE((m->flags & BYTE_CLASSES) == 0);
	REQUIRE((message_byte_flags(m) & ~BYTE_CLASSES) == 0);
	REQUIRE(((m->flags & ~(MSG_F_CR_ONLY | MSG_F_NO_COLON |
	    MSG_F_LEADING_WSP)) | message_byte_flags(m)) ==
	    ref_flags(m->raw, m->raw_len));

	for (i = 0; i < m->nfields; i++) {
		f = &m->fields[i];
		REQUIRE(inside(f->raw, f->raw_len, m->raw, m->raw_len));
		REQUIRE(inside(f->name, f->name_len, m->raw, m->raw_len));
		REQUIRE(inside(f->value, f->value_len, m->raw, m->raw_len));
		touch(f->raw, f->raw_len);
		touch(f->name, f->name_len);
		touch(f->value, f->value_len);
		/* fields are in order and do not overlap */
		if (prev != NULL)
			REQUIRE(f->raw >= prev->raw + prev->raw_len);
		prev = f;
		/* name, then value, both inside the field */
		REQUIRE(f->name == f->raw);
		REQUIRE(inside(f->value, f->value_len, f->raw, f->raw_len));
		REQUIRE(f->value + f->value_len == f->raw + f->raw_len);
		/* only the first field may start with WSP, and is nameless */
		if (f->raw_len > 0 && (f->raw[0] == ' ' || f->raw[0] == '\t')) {
			REQUIRE(i == 0);
			REQUIRE(f->name_len == 0);
			REQUIRE(m->flags & MSG_F_LEADING_WSP);
		}
		if (f->name_len == 0)
			REQUIRE(m->flags & MSG_F_NO_COLON);
		if (f->name_len > 0) {
			REQUIRE(memchr(f->name, ':', f->name_len) == NULL);
			for (j = 0; j < f->name_len; j++) {
				unsigned char c = (unsigned char)f->name[j];

				REQUIRE(c > 32 && c < 127);
			}
			REQUIRE(f->value[-1] == ':');
		}
		/* raw_len leaves the line terminator out */
		if (f->raw + f->raw_len < end)
			REQUIRE(f->raw[f->raw_len] == '\n' ||
			    f->raw[f->raw_len] == '\r');
		if (f->raw_len > 0)
			REQUIRE(f->raw[f->raw_len - 1] != '\n');
		if (header_name_is(f, "DKIM-Signature", 14))
			ndkim++;
		if (header_name_is(f, "from", 4))
			nfrom++;
		/* an empty name never matches, not even an empty one */
		REQUIRE(!header_name_is(f, "", 0));
		walk_lines(f->raw, f->raw_len);
	}
	REQUIRE(message_count_fields(m, "dkim-signature", 14) == ndkim);
	REQUIRE(message_count_fields(m, "From", 4) == nfrom);
	idx = message_find_field(m, "FROM");
	if (nfrom == 0)
		REQUIRE(idx == -1);
	else {
		REQUIRE(idx >= 0 && (size_t)idx < m->nfields);
		REQUIRE(header_name_is(&m->fields[idx], "from", 4));
		for (i = 0; i < (size_t)idx; i++)
			REQUIRE(!header_name_is(&m->fields[i], "From", 4));
	}

	if (m->has_body) {
		REQUIRE(inside(m->body, m->body_len, m->raw, m->raw_len));
		REQUIRE(m->body + m->body_len == end);
		/* the blank line ends just before the body */
		REQUIRE(m->body > m->raw && m->body[-1] == '\n');
		if (prev != NULL)
			REQUIRE(m->body > prev->raw + prev->raw_len);
		touch(m->body, m->body_len);
		walk_lines(m->body, m->body_len);
	} else
		REQUIRE(m->body_len == 0);
	walk_lines(m->raw, m->raw_len);
	(void)message_status_str(MESSAGE_OK);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct message		 m;
	enum message_status	 st;

	st = message_parse(&m, (const char *)data, size);
	REQUIRE(message_status_str(st) != NULL);
	switch (st) {
	case MESSAGE_OK:
		check_message(&m);
		break;
	case MESSAGE_EMPTY:
	case MESSAGE_NOMEM:
	case MESSAGE_TOO_MANY_FIELDS:
		break;
	default:
		REQUIRE(!"unknown message_status");
	}
	/* message_free() after any status: leaks are findings */
	message_free(&m);
	return 0;
}
