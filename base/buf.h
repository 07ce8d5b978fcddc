/* SPDX-License-Identifier: ISC */
/*
 * buf: the one growable byte string used everywhere in fblscope.
 *
 * Contract:
 * - data is always NUL-terminated (when non-NULL) so it can be handed to
 *   printf-style consumers, but len is the truth: the bytes may hold NULs.
 * - Allocation failure is sticky: once an append fails, buf->oom is set,
 *   further appends are no-ops, and buf_ok() returns false.  Callers check
 *   once, at the end of a sequence of appends, instead of after every call.
 * - A zeroed struct buf is a valid empty buffer (BUF_INIT).
 */
#ifndef FBL_BUF_H
#define FBL_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

struct buf {
	char	*data;
	size_t	 len;
	size_t	 cap;
	bool	 oom;
};

#define BUF_INIT { NULL, 0, 0, false }

void	 buf_init(struct buf *);
void	 buf_free(struct buf *);
void	 buf_reset(struct buf *);		/* len = 0, keeps memory */
bool	 buf_reserve(struct buf *, size_t extra);
void	 buf_append(struct buf *, const void *, size_t);
void	 buf_puts(struct buf *, const char *);
void	 buf_putc(struct buf *, int);
void	 buf_printf(struct buf *, const char *, ...)
	    __attribute__((format(printf, 2, 3)));
void	 buf_vprintf(struct buf *, const char *, va_list)
	    __attribute__((format(printf, 2, 0)));
/*
 * Bytes made safe for a terminal and for one line of text: CR, LF, TAB,
 * backslash and the other C0 controls and DEL escaped ("\r", "\x1b"),
 * bytes that are not valid UTF-8 as "\xHH", and the C1 controls and the
 * bidirectional formatting characters as "\u202e"; other UTF-8 is kept.
 */
void	 buf_put_visible(struct buf *, const void *, size_t);
/*
 * A NUL-terminated string from the message or the network, made visible the
 * same way (NULL shows as "?"): text output must never let a header value
 * start a line of its own.
 */
void	 buf_put_safe(struct buf *, const char *);
/* Lower-case hex of the bytes. */
void	 buf_put_hex(struct buf *, const void *, size_t);
const char *buf_cstr(const struct buf *);	/* "" for an empty buffer */
bool	 buf_ok(const struct buf *);
/* First occurrence of needle in hay (memmem without _GNU_SOURCE), or NULL. */
const char *mem_find(const char *hay, size_t hay_len, const char *needle,
	    size_t needle_len);
/* Detach the storage: the caller owns the returned string (never NULL
 * unless out of memory); the buffer is left empty. */
char	*buf_steal(struct buf *);

#endif
