/* SPDX-License-Identifier: ISC */
/* mbox: streaming mailbox splitter, see mbox.h. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "base/ascii.h"
#include "fbl/source/mbox.h"

/* The message being assembled. */
struct mbox_cur {
	struct buf	 data;
	struct buf	 env;		/* From_ line after "From ", cut */
	uint64_t	 offset;
	uint64_t	 number;
	size_t		 unquoted;
	bool		 has_env;
	bool		 too_big;
	bool		 nomem;
};

struct mbox {
	mbox_read_fn	 rd;
	void		*ctx;
	char		*name;
	size_t		 max;
	char		*win;
	size_t		 cap;		/* window size */
	size_t		 pos;		/* next unread byte */
	size_t		 end;		/* bytes in the window */
	uint64_t	 win_off;	/* input offset of win[0] */
	uint64_t	 count;		/* messages started */
	size_t		 prev_blank;	/* length of the previous line if
					   it was blank (1 or 2), else 0 */
	bool		 eof;
	bool		 done;		/* nothing more to hand out */
	bool		 started;	/* a byte has been looked at */
	bool		 cont;		/* the next piece continues a line */
	bool		 in_env;	/* ... and that line is a From_ line */
	bool		 open;		/* cur holds a message */
	struct mbox_cur	 cur;
};

static const char *const weekdays[] = {
	"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"
};
static const char *const months[] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
	"Nov", "Dec"
};

/* Is p[i..i+3) one of the n words, standing alone (not inside a word)? */
static bool
word_at(const char *p, size_t len, size_t i, const char *const *words,
    size_t n)
{
	size_t	 k;

	if (i + 3 > len || (i > 0 && ascii_is_alpha(p[i - 1])) ||
	    (i + 3 < len && ascii_is_alpha(p[i + 3])))
		return false;
	for (k = 0; k < n; k++)
		if (memcmp(p + i, words[k], 3) == 0)
			return true;
	return false;
}

/* First i >= from with a word of the list at p[i], or len. */
static size_t
find_word(const char *p, size_t len, size_t from, const char *const *words,
    size_t n)
{
	size_t	 i;

	for (i = from; i + 3 <= len; i++)
		if (word_at(p, len, i, words, n))
			return i;
	return len;
}

/* Is there a time "H:MM" (one or two digits, colon, two digits) at or after
 * from? */
static bool
find_time(const char *p, size_t len, size_t from)
{
	size_t	 i;

	for (i = from; i + 3 < len; i++)
		if (ascii_is_digit(p[i]) && p[i + 1] == ':' &&
		    ascii_is_digit(p[i + 2]) && ascii_is_digit(p[i + 3]))
			return true;
	return false;
}

bool
mbox_starts_with_from(const char *line, size_t len)
{
	return len >= 5 && memcmp(line, "From ", 5) == 0;
}

bool
mbox_envelope_ok(const char *line, size_t len)
{
	const size_t	 nw = sizeof(weekdays) / sizeof(weekdays[0]);
	const size_t	 nm = sizeof(months) / sizeof(months[0]);
	size_t		 i, j;

	if (!mbox_starts_with_from(line, len))
		return false;
	if (len > MBOX_HEAD)
		len = MBOX_HEAD;
	/*
	 * The sender is at least one byte: the date starts at 6 or later.
	 * Some weekday, a month after it and a time after that exist exactly
	 * when they do after the first weekday and its first month: three
	 * scans, linear in the line (a line of "Mon Mon Mon ..." cost a scan
	 * per weekday).
	 */
	if ((i = find_word(line, len, 6, weekdays, nw)) >= len ||
	    (j = find_word(line, len, i + 3, months, nm)) >= len)
		return false;
	return find_time(line, len, j + 3);
}

/* Is a line of the input, starting a line, ">...>From " within the head? */
static bool
quoted_from(const char *p, size_t n)
{
	size_t	 k;

	if (n > MBOX_HEAD)
		n = MBOX_HEAD;
	for (k = 0; k < n && p[k] == '>'; k++)
		continue;
	return k > 0 && n - k >= 5 && memcmp(p + k, "From ", 5) == 0;
}

/* Is a whole line (with its end) blank: LF or CR LF? */
static size_t
blank_len(const char *p, size_t n)
{
	if ((n == 1 && p[0] == '\n') || (n == 2 && p[0] == '\r' &&
	    p[1] == '\n'))
		return n;
	return 0;
}

struct mbox *
mbox_new(mbox_read_fn rd, void *ctx, const char *name, size_t max_message,
    size_t window)
{
	struct mbox	*m;

	if ((m = calloc(1, sizeof(*m))) == NULL)
		return NULL;
	if (window == 0)
		window = MBOX_WINDOW;
	if (window < MBOX_WINDOW_MIN)
		window = MBOX_WINDOW_MIN;
	m->rd = rd;
	m->ctx = ctx;
	m->max = max_message > SIZE_MAX - 2 ? SIZE_MAX - 2 : max_message;
	m->cap = window;
	m->name = strdup(name != NULL ? name : "mbox");
	m->win = malloc(window);
	if (m->name == NULL || m->win == NULL) {
		mbox_free(m);
		return NULL;
	}
	return m;
}

static void
cur_clear(struct mbox_cur *c)
{
	buf_free(&c->data);
	buf_free(&c->env);
	memset(c, 0, sizeof(*c));
}

void
mbox_free(struct mbox *m)
{
	if (m == NULL)
		return;
	cur_clear(&m->cur);
	free(m->win);
	free(m->name);
	free(m);
}

void
mbox_msg_free(struct mbox_msg *msg)
{
	buf_free(&msg->data);
	free(msg->envelope_from);
	free(msg->envelope_date);
	memset(msg, 0, sizeof(*msg));
}

/* Move the unread bytes to the front and read once more. */
static bool
fill(struct mbox *m, struct buf *err)
{
	ssize_t	 n;

	if (m->pos > 0) {
		memmove(m->win, m->win + m->pos, m->end - m->pos);
		m->win_off += m->pos;
		m->end -= m->pos;
		m->pos = 0;
	}
	do
		n = m->rd(m->ctx, m->win + m->end, m->cap - m->end);
	while (n < 0 && errno == EINTR);
	if (n < 0 || (size_t)n > m->cap - m->end) {
		buf_printf(err, "%s: read error at offset %ju: %s", m->name,
		    (uintmax_t)(m->win_off + m->end),
		    n < 0 ? strerror(errno) : "reader overran its buffer");
		return false;
	}
	if (n == 0)
		m->eof = true;
	m->end += (size_t)n;
	return true;
}

/*
 * The next piece of input: a whole line with its LF, the last line without
 * one, or, for a line longer than the window, a full window of it
 * (*whole = false; the rest follows).  A piece that starts a line is
 * therefore either whole or at least cap >= MBOX_HEAD bytes long.
 * 1, 0 at end of input, -1 on read error.
 */
static int
next_piece(struct mbox *m, const char **p, size_t *n, bool *whole,
    struct buf *err)
{
	const char	*lf;
	size_t		 avail;

	for (;;) {
		avail = m->end - m->pos;
		*p = m->win + m->pos;
		if (avail > 0 && (lf = memchr(*p, '\n', avail)) != NULL) {
			*n = (size_t)(lf - *p) + 1;
			*whole = true;
			break;
		}
		if (m->eof && avail == 0)
			return 0;
		if (m->eof || (m->pos == 0 && m->end == m->cap)) {
			*n = avail;
			*whole = m->eof;
			break;
		}
		if (!fill(m, err))
			return -1;
	}
	m->pos += *n;
	return 1;
}

/* Keep up to MBOX_ENVELOPE_MAX bytes of the From_ line. */
static void
env_add(struct mbox_cur *c, const char *p, size_t n)
{
	if (c->env.len < MBOX_ENVELOPE_MAX) {
		if (n > MBOX_ENVELOPE_MAX - c->env.len)
			n = MBOX_ENVELOPE_MAX - c->env.len;
		buf_append(&c->env, p, n);
	}
}

static void
cur_begin(struct mbox *m, uint64_t off, bool has_env)
{
	cur_clear(&m->cur);
	m->cur.offset = off;
	m->cur.number = ++m->count;
	m->cur.has_env = has_env;
	m->open = true;
}

static void
cur_add(struct mbox *m, const char *p, size_t n, bool line_start)
{
	struct mbox_cur	*c = &m->cur;

	if (line_start && quoted_from(p, n)) {
		p++;
		n--;
		c->unquoted++;
	}
	if (c->too_big || c->nomem)
		return;
	/*
	 * Two bytes over the limit are allowed for now: a last blank line
	 * may turn out to be the separator's.  finish() checks again.
	 */
	if (n > m->max + 2 - c->data.len) {
		c->too_big = true;
		buf_free(&c->data);
		return;
	}
	buf_append(&c->data, p, n);
	if (!buf_ok(&c->data)) {
		c->nomem = true;
		buf_free(&c->data);
	}
}

bool
mbox_envelope_words(const char *rest, size_t len, char **from, char **date)
{
	char	*s;
	size_t	 i, n, w;

	*from = *date = NULL;
	if (len > MBOX_ENVELOPE_MAX)
		len = MBOX_ENVELOPE_MAX;
	if ((s = malloc(len + 1)) == NULL)
		return false;
	/* up to the line end (LF, or CR LF), controls made visible */
	for (n = 0; n < len && rest[n] != '\n'; n++) {
		unsigned char ch = (unsigned char)rest[n];

		if (ch == '\r' && n + 1 < len && rest[n + 1] == '\n')
			break;
		s[n] = ch < 0x20 || ch == 0x7f ? '?' : (char)ch;
	}
	for (i = 0; i < n && s[i] == ' '; i++)
		continue;
	while (n > i && s[n - 1] == ' ')
		n--;
	for (w = i; w < n && s[w] != ' '; w++)
		continue;
	*from = strndup(s + i, w - i);
	while (w < n && s[w] == ' ')
		w++;
	*date = strndup(s + w, n - w);
	free(s);
	if (*from == NULL || *date == NULL) {
		free(*from);
		free(*date);
		*from = *date = NULL;
		return false;
	}
	return true;
}

/*
 * Hand the current message out.  end is the input offset where it ends;
 * strip says whether the last line, if blank, belongs to the separator.
 */
static int
finish(struct mbox *m, struct mbox_msg *msg, uint64_t end, bool strip,
    struct buf *err)
{
	struct mbox_cur	*c = &m->cur;
	int		 rc = 1;

	m->open = false;
	msg->offset = c->offset;
	msg->length = end - c->offset;
	msg->number = c->number;
	msg->unquoted = c->unquoted;
	if (strip && m->prev_blank > 0 && c->data.len >= m->prev_blank) {
		c->data.len -= m->prev_blank;
		c->data.data[c->data.len] = '\0';
	}
	if (c->data.len > m->max) {
		c->too_big = true;
		buf_free(&c->data);
	}
	if (!buf_ok(&c->env) || (c->has_env && !mbox_envelope_words(
	    buf_cstr(&c->env), c->env.len, &msg->envelope_from,
	    &msg->envelope_date)))
		c->nomem = true;
	if (c->too_big || c->nomem || c->data.len == 0) {
		buf_printf(err, "%s: message %ju at offset %ju: ", m->name,
		    (uintmax_t)c->number, (uintmax_t)c->offset);
		if (c->too_big)
			buf_printf(err, "too large (over %zu bytes)", m->max);
		else
			buf_puts(err, c->nomem ? "out of memory" : "empty");
		buf_puts(err, ", skipped");
		rc = -1;
	} else {
		msg->data = c->data;
		buf_init(&c->data);
	}
	cur_clear(c);
	return rc;
}

/* A read error: whatever was being assembled is reported as skipped. */
static int
read_failed(struct mbox *m, struct mbox_msg *msg)
{
	m->done = true;
	if (m->open) {
		msg->offset = m->cur.offset;
		msg->number = m->cur.number;
		msg->length = m->win_off + m->end - m->cur.offset;
	} else {
		msg->offset = m->win_off + m->end;
		msg->number = m->count + 1;
	}
	m->open = false;
	cur_clear(&m->cur);
	return -1;
}

/* Does this piece, starting a line, start a new message? */
static bool
is_separator(const struct mbox *m, const char *p, size_t n)
{
	if (!m->started)
		return mbox_starts_with_from(p, n);
	return m->prev_blank > 0 && mbox_envelope_ok(p, n);
}

/*
 * One piece: returns 1 or -1 when a message was handed out (the piece is
 * a separator after it), 0 to go on.
 */
static int
take_piece(struct mbox *m, struct mbox_msg *msg, const char *p, size_t n,
    bool whole, struct buf *err)
{
	uint64_t	 off = m->win_off + (uint64_t)(p - m->win);
	bool		 line_start = !m->cont;
	int		 rc = 0;

	m->cont = !whole;
	if (line_start && is_separator(m, p, n)) {
		if (m->open)
			rc = finish(m, msg, off, true, err);
		cur_begin(m, off, true);
		env_add(&m->cur, p + 5, n - 5);
		m->in_env = !whole;
		m->prev_blank = 0;
		m->started = true;
		return rc;
	}
	m->started = true;
	if (!line_start && m->in_env) {
		env_add(&m->cur, p, n);
		m->in_env = !whole;
		return 0;
	}
	m->in_env = false;
	if (!m->open)
		cur_begin(m, off, false);
	cur_add(m, p, n, line_start);
	m->prev_blank = line_start && whole ? blank_len(p, n) : 0;
	return 0;
}

int
mbox_next(struct mbox *m, struct mbox_msg *msg, struct buf *err)
{
	const char	*p;
	size_t		 n;
	bool		 whole;
	int		 r;

	mbox_msg_free(msg);
	while (!m->done) {
		r = next_piece(m, &p, &n, &whole, err);
		if (r < 0)
			return read_failed(m, msg);
		if (r == 0) {
			m->done = true;
			if (!m->open)
				return 0;
			return finish(m, msg, m->win_off + m->end,
			    m->cur.has_env, err);
		}
		if ((r = take_piece(m, msg, p, n, whole, err)) != 0)
			return r;
	}
	return 0;
}
