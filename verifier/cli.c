/* cli: shared option handling for the commands; see cli.h. */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "base/date.h"
#include "verifier/cli.h"

bool
cli_parse_uint(const char *s, unsigned long min, unsigned long max,
    unsigned long *out)
{
	char		*end;
	unsigned long	 v;

	if (s == NULL || !isdigit((unsigned char)*s))
		return false;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v < min || v > max)
		return false;
	*out = v;
	return true;
}

static bool
add_list(const char **list, size_t *n, const char *arg, const char *what,
    struct buf *err)
{
	if (*n == CLI_MAX_LIST) {
		buf_printf(err, "too many %s options (at most %d)", what,
		    CLI_MAX_LIST);
		return false;
	}
	list[(*n)++] = arg;
	return true;
}

void
cli_keys_init(struct cli_keys *k)
{
	memset(k, 0, sizeof(*k));
	k->retries = -1;
}

bool
cli_keys_option(struct cli_keys *k, int opt, const char *arg, struct buf *err)
{
	unsigned long	 v;

	switch (opt) {
	case CLI_OPT_RESOLVER:
		return add_list(k->resolvers, &k->nresolvers, arg,
		    "--resolver", err);
	case CLI_OPT_ZONE:
		return add_list(k->zones, &k->nzones, arg, "--zone", err);
	case CLI_OPT_TIMEOUT:
		if (!cli_parse_uint(arg, 1, 600000, &v)) {
			buf_printf(err, "--timeout %s: want milliseconds, "
			    "1 to 600000", arg);
			return false;
		}
		k->timeout_ms = (unsigned)v;
		return true;
	case CLI_OPT_RETRIES:
		if (!cli_parse_uint(arg, 0, 10, &v)) {
			buf_printf(err, "--retries %s: want 0 to 10", arg);
			return false;
		}
		k->retries = (int)v;
		return true;
	}
	return true;
}

bool
cli_shared_option(struct cli_keys *k, int64_t *now, int opt, const char *arg,
    struct buf *err)
{
	if (opt == '?') {
		buf_puts(err, "unknown option");
		return false;
	}
	if (opt == CLI_OPT_AT) {
		if (date_parse_time(arg, now))
			return true;
		buf_puts(err, "--at: unrecognised time");
		return false;
	}
	return cli_keys_option(k, opt, arg, err);
}

struct key_source *
cli_keys_open(const struct cli_keys *k, struct buf *err)
{
	struct key_source_opts o;

	memset(&o, 0, sizeof(o));
	o.resolvers = k->resolvers;
	o.nresolvers = k->nresolvers;
	o.zones = k->zones;
	o.nzones = k->nzones;
	o.timeout_ms = k->timeout_ms;
	o.retries = k->retries;
	return key_source_new(&o, err);
}

/* Read all of fd (a pipe, or a file whose size fstat gave as hint). */
static bool
read_fd(int fd, const char *path, size_t hint, size_t max, struct buf *out,
    struct buf *err)
{
	ssize_t	 n;
	size_t	 want;

	for (;;) {
		want = out->len < hint ? hint - out->len + 1 : 65536;
		if (!buf_reserve(out, want)) {
			buf_printf(err, "%s: out of memory", path);
			return false;
		}
		n = read(fd, out->data + out->len, want);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			buf_printf(err, "%s: read error: %s", path,
			    strerror(errno));
			return false;
		}
		out->len += (size_t)n;
		out->data[out->len] = '\0';
		if (out->len > max) {
			buf_printf(err, "%s: larger than %zu bytes", path, max);
			return false;
		}
		/* a regular file is done at its size: no extra read for EOF */
		if (n == 0 || (hint > 0 && out->len == hint))
			return true;
	}
}

/*
 * The buffer is reused from message to message by the callers (no realloc
 * and no fresh pages per message), and a regular file is read in one call
 * sized by fstat.
 */
bool
cli_read_file(const char *path, size_t max, struct buf *out, struct buf *err)
{
	struct stat	 st;
	int		 fd;
	bool		 ok;

	buf_reset(out);
	if (strcmp(path, "-") == 0)
		return read_fd(STDIN_FILENO, "standard input", 0, max, out, err);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) == -1 || S_ISDIR(st.st_mode)) {
		buf_printf(err, "%s: %s", path, S_ISDIR(st.st_mode) ?
		    "is a directory" : strerror(errno));
		close(fd);
		return false;
	}
	if (S_ISREG(st.st_mode) && (uint64_t)st.st_size > max) {
		buf_printf(err, "%s: larger than %zu bytes", path, max);
		close(fd);
		return false;
	}
	ok = read_fd(fd, path, S_ISREG(st.st_mode) ? (size_t)st.st_size : 0,
	    max, out, err);
	close(fd);
	return ok;
}
