/* SPDX-License-Identifier: ISC */
/*
 * mbox: a streaming splitter for Unix mailbox files (RFC 4155), hostile-safe.
 *
 * The input is pulled through a read callback into a bounded window
 * (MBOX_WINDOW bytes by default), so a 10 GB mailbox never sits in memory:
 * at any time the splitter holds the window and the one message it is
 * assembling, which is capped (max_message).  The callback makes the module
 * easy to fuzz (any chunking of the same bytes must give the same messages).
 *
 * The rules, chosen because the files come from many writers and none of
 * them can be trusted:
 *
 * - Separator.  A message starts at a "From " line (the envelope, or From_
 *   line) that is the first line of the input, or that follows a blank line
 *   (LF or CR LF) and carries an asctime-like date: a weekday, then a month
 *   name, then a time "H:MM" (mbox_envelope_ok()).  Every writer puts that
 *   date there; requiring it keeps an unquoted body line such as "From what
 *   I saw..." after a blank line (mboxo, mboxcl) from splitting a message.
 *   Content-Length: is never looked at (mboxcl/mboxcl2 lengths lie after
 *   any edit).
 * - Envelope.  The From_ line is not part of the message: it is removed and
 *   kept, cut to MBOX_ENVELOPE_MAX bytes, with control bytes shown as '?',
 *   as envelope_from (its first word) and envelope_date (the rest).
 * - Blank line.  The blank line before a separator belongs to the
 *   separator, not to the message before it, and so does the final blank
 *   line of the input when the message had a From_ line: writers add one
 *   after every message.  Removing it gives back the bytes the writer
 *   received.  (DKIM ignores trailing empty lines either way.)
 * - Quoting.  Every file is read as mboxrd, the reversible variant: a line
 *   ">From ", ">>From ", ... loses exactly one '>'.  For mboxrd this is
 *   exact.  For mboxo (which quoted only "From " and left ">From " alone)
 *   it is right for every line the writer quoted and wrong, by one '>', for
 *   a line that already read ">From " in the original: mboxo is ambiguous
 *   and this is the usual choice.  A "From " line that is not a separator
 *   (no blank line before it, or no date) is kept as it is.
 * - Line ends.  LF or CR LF, mixed freely; a CR alone is data.  Bytes are
 *   never converted.
 * - Long lines.  A line may be of any length (it passes through the window
 *   in pieces), but only its first MBOX_HEAD bytes are looked at: a From_
 *   line whose date starts later, or a line of more than MBOX_HEAD - 5 '>'
 *   before "From ", is an ordinary line.  The result never depends on the
 *   window size or on how the callback chunks the input.
 * - Limits.  A message longer than max_message bytes is skipped and
 *   reported (mbox_next() returns -1 with its number and offset), and so is
 *   an empty one; the splitter goes on with the next message.  Nothing is
 *   dropped silently.  A read error ends the input after one error.
 *
 * The message bytes handed out are the message as delivered to the mailbox
 * writer: From_ line removed, quoting undone, nothing else changed.  That is
 * what the original sender signed; the quoted file bytes are not kept
 * (msg.unquoted says how many lines lost a '>').
 */
#ifndef FBL_MBOX_H
#define FBL_MBOX_H

#include <sys/types.h>

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define MBOX_WINDOW		(256u << 10)	/* default read window */
#define MBOX_WINDOW_MIN		(2u * MBOX_HEAD)
#define MBOX_HEAD		1024		/* bytes of a line looked at */
#define MBOX_ENVELOPE_MAX	512		/* bytes of a From_ line kept */

/*
 * Read up to len bytes into dst: the count, 0 at end of input, -1 with
 * errno on error (EINTR is retried).
 */
typedef ssize_t (*mbox_read_fn)(void *ctx, void *dst, size_t len);

/* One message, or the facts about a skipped one. */
struct mbox_msg {
	struct buf	 data;		/* the message bytes (see above) */
	uint64_t	 offset;	/* of its From_ line (or first byte) */
	uint64_t	 length;	/* bytes it takes in the input, From_
					   line and separating blank included */
	uint64_t	 number;	/* 1-based, skipped messages counted */
	size_t		 unquoted;	/* lines that lost one '>' */
	char		*envelope_from;	/* NULL without a From_ line */
	char		*envelope_date;	/* NULL without a From_ line */
};

struct mbox;

/*
 * A splitter reading through rd(ctx).  name (copied) starts every error
 * message; window 0 means MBOX_WINDOW, and smaller values are raised to
 * MBOX_WINDOW_MIN.  NULL only when out of memory.
 */
struct mbox	*mbox_new(mbox_read_fn rd, void *ctx, const char *name,
		    size_t max_message, size_t window);
void		 mbox_free(struct mbox *);

/*
 * The next message into *msg, whose previous contents are freed first.
 * 1: a message.  0: end of input.  -1: this message was skipped (too
 * large, empty, out of memory, read error): err says why, naming the
 * input, the message number and offset; msg holds offset, length, number
 * and envelope but no data (data.len == 0).  Call again to go on.
 */
int		 mbox_next(struct mbox *, struct mbox_msg *msg,
		    struct buf *err);

/* A zeroed mbox_msg is empty; this frees one and leaves it empty. */
void		 mbox_msg_free(struct mbox_msg *);

/*
 * Is line[0..len) (without the need for a line end) a From_ line that may
 * separate messages: "From ", then within MBOX_HEAD bytes a weekday, a
 * month name after it and a time "H:MM" after that?
 */
bool		 mbox_envelope_ok(const char *line, size_t len);

/* Does line[0..len) start with "From " (an mbox's first line)? */
bool		 mbox_starts_with_from(const char *line, size_t len);

/*
 * The words of a From_ line, given what follows "From " (rest[0..len), a
 * line end allowed): the first MBOX_ENVELOPE_MAX bytes, line end removed,
 * control bytes as '?', split into the sender (first word) and the rest
 * (the date, "" when absent), new strings.  false only when out of memory
 * (both NULL then).
 */
bool		 mbox_envelope_words(const char *rest, size_t len, char **from,
		    char **date);

#endif
