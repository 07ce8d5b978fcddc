/* SPDX-License-Identifier: ISC */
/*
 * config: the configuration file; see config.h and docs/fblscope.conf.5.
 * This file reads it (lines, words, quotes), checks what spans keys, loads
 * and frees it, and reads the site secret; config_directives.c knows each
 * key and its values.
 */
#define PCRE2_CODE_UNIT_WIDTH 8

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <pcre2.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/file.h"
#include "fbl/config_local.h"

#define SECRET_MIN	16
#define SECRET_MAX	4096

/* pcre2_match limits: names are short, patterns come from the operator */
#define MATCH_LIMIT	100000
#define DEPTH_LIMIT	1000
#define HEAP_LIMIT_KIB	1024

bool
lerr(struct loader *ld, const char *fmt, ...)
{
	va_list	 ap;

	buf_reset(ld->err);
	if (ld->line > 0)
		buf_printf(ld->err, "%s:%u: ", ld->name, ld->line);
	else
		buf_printf(ld->err, "%s: ", ld->name);
	va_start(ap, fmt);
	buf_vprintf(ld->err, fmt, ap);
	va_end(ap);
	return false;
}

bool
oom(struct loader *ld)
{
	return lerr(ld, "out of memory");
}

static bool
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/* One quoted word from p[*i] (the opening quote) into ld->scratch at *o. */
static bool
quoted_word(struct loader *ld, const char *p, size_t len, size_t *i,
    size_t *o)
{
	char	 q = p[(*i)++];

	for (;;) {
		if (*i >= len)
			return lerr(ld, "unterminated %s quote",
			    q == '\'' ? "single" : "double");
		if (p[*i] == q)
			break;
		if (q == '"' && p[*i] == '\\' && *i + 1 < len &&
		    (p[*i + 1] == '"' || p[*i + 1] == '\\'))
			(*i)++;
		ld->scratch[(*o)++] = p[(*i)++];
	}
	(*i)++;
	if (*i < len && !is_blank(p[*i]))
		return lerr(ld, "text right after a closing quote");
	return true;
}

/* Split the line into ld->argv; a '#' starting a word ends the line. */
static bool
split_words(struct loader *ld, const char *p, size_t len)
{
	size_t	 i = 0, o = 0;

	ld->argc = 0;
	for (;;) {
		while (i < len && is_blank(p[i]))
			i++;
		if (i >= len || p[i] == '#')
			return true;
		if (ld->argc == CONFIG_MAX_WORDS)
			return lerr(ld, "more than %d words on a line",
			    CONFIG_MAX_WORDS);
		ld->argv[ld->argc++] = ld->scratch + o;
		if (p[i] == '\'' || p[i] == '"') {
			if (!quoted_word(ld, p, len, &i, &o))
				return false;
		} else {
			for (; i < len && !is_blank(p[i]); i++) {
				if (p[i] == '\'' || p[i] == '"')
					return lerr(ld, "quote character "
					    "inside a word (quote the whole "
					    "value)");
				ld->scratch[o++] = p[i];
			}
		}
		ld->scratch[o++] = '\0';
	}
}

static bool
parse_line(struct loader *ld, const char *p, size_t len)
{
	size_t	 i;

	if (len > 0 && p[len - 1] == '\r')
		len--;
	if (len > CONFIG_MAX_LINE)
		return lerr(ld, "line longer than %d bytes", CONFIG_MAX_LINE);
	for (i = 0; i < len; i++) {
		if (((unsigned char)p[i] < 0x20 && p[i] != '\t') ||
		    p[i] == 0x7f)
			return lerr(ld, "control character 0x%02x in column "
			    "%zu", (unsigned char)p[i], i + 1);
	}
	if (!split_words(ld, p, len))
		return false;
	return ld->argc == 0 || run_directive(ld);
}

static int
cmp_exact(const void *a, const void *b)
{
	const struct config_customer *x = a, *y = b;
	int	 c;

	if ((c = strcmp(x->domain, y->domain)) != 0)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

/* Is d equal to, or a subdomain of, parent? (both folded) */
static bool
under(const char *d, const char *parent)
{
	size_t	 dl = strlen(d), pl = strlen(parent);

	if (dl == pl)
		return strcmp(d, parent) == 0;
	return dl > pl && d[dl - pl - 1] == '.' &&
	    strcmp(d + dl - pl, parent) == 0;
}

/* Sort the exact rules; report the earliest repeated domain. */
static bool
check_exact(struct loader *ld)
{
	struct fbl_config	*cfg = ld->cfg;
	const struct config_customer *dup = NULL, *c;
	size_t			 i, j;

	if (cfg->nexact > 1)
		qsort(cfg->exact, cfg->nexact, sizeof(*cfg->exact), cmp_exact);
	for (i = 1; i < cfg->nexact; i++) {
		if (strcmp(cfg->exact[i].domain, cfg->exact[i - 1].domain) == 0
		    && (dup == NULL || cfg->exact[i].line < dup->line))
			dup = &cfg->exact[i];
	}
	if (dup != NULL) {
		ld->line = dup->line;
		return lerr(ld, "customer domain %s given twice (first on "
		    "line %u)", dup->domain, (dup - 1)->line);
	}
	for (i = 0; i < cfg->nexact; i++) {
		c = &cfg->exact[i];
		for (j = 0; j < cfg->esp_domains.n; j++) {
			if (!under(c->domain, cfg->esp_domains.v[j]))
				continue;
			ld->line = c->line;
			return lerr(ld, "customer domain %s is within the "
			    "esp-domain %s", c->domain, cfg->esp_domains.v[j]);
		}
	}
	return true;
}

static bool
finish(struct loader *ld)
{
	struct fbl_config	*cfg = ld->cfg;

	if (!check_exact(ld))
		return false;
	if (cfg->flag_rate > cfg->alarm_rate) {
		ld->line = ld->flag_line > ld->alarm_line ? ld->flag_line :
		    ld->alarm_line;
		return lerr(ld, "complaint-flag-rate (%g%%) is above "
		    "complaint-alarm-rate (%g%%)", cfg->flag_rate * 100,
		    cfg->alarm_rate * 100);
	}
	if (cfg->report_timezone == NULL &&
	    !set_string(ld, &cfg->report_timezone, CONFIG_DEFAULT_TIMEZONE))
		return false;
	if ((cfg->match_ctx = pcre2_match_context_create(NULL)) == NULL)
		return oom(ld);
	pcre2_set_match_limit(cfg->match_ctx, MATCH_LIMIT);
	pcre2_set_depth_limit(cfg->match_ctx, DEPTH_LIMIT);
	pcre2_set_heap_limit(cfg->match_ctx, HEAP_LIMIT_KIB);
	return true;
}

static bool
parse_text(struct loader *ld, const char *p, size_t len)
{
	const char	*nl;
	size_t		 off = 0, n;

	if (len >= 3 && memcmp(p, "\xef\xbb\xbf", 3) == 0)
		off = 3;	/* a UTF-8 byte order mark */
	while (off < len) {
		ld->line++;
		nl = memchr(p + off, '\n', len - off);
		n = nl != NULL ? (size_t)(nl - (p + off)) : len - off;
		if (!parse_line(ld, p + off, n))
			return false;
		off += n + (nl != NULL);
	}
	ld->line = 0;
	return finish(ld);
}

static char *
dir_of(const char *name)
{
	const char	*slash = strrchr(name, '/');
	char		*d;
	size_t		 n;

	if (slash == NULL)
		return strdup(".");
	n = slash == name ? 1 : (size_t)(slash - name);
	if ((d = malloc(n + 1)) == NULL)
		return NULL;
	memcpy(d, name, n);
	d[n] = '\0';
	return d;
}

struct fbl_config *
config_load_mem(const char *name, const char *text, size_t len,
    struct buf *err)
{
	struct loader	*ld;
	struct fbl_config *cfg;
	bool		 ok;

	buf_reset(err);
	if ((ld = calloc(1, sizeof(*ld))) == NULL ||
	    (cfg = calloc(1, sizeof(*cfg))) == NULL) {
		free(ld);
		buf_printf(err, "%s: out of memory", name);
		return NULL;
	}
	cfg->flag_rate = CONFIG_DEFAULT_FLAG_RATE;
	cfg->alarm_rate = CONFIG_DEFAULT_ALARM_RATE;
	cfg->rotation_grace_days = CONFIG_DEFAULT_GRACE_DAYS;
	cfg->rotation_months = CONFIG_DEFAULT_ROTATION_MONTHS;
	ld->cfg = cfg;
	ld->name = name;
	ld->err = err;
	if ((cfg->path = strdup(name)) == NULL ||
	    (ld->dir = dir_of(name)) == NULL) {
		buf_printf(err, "%s: out of memory", name);
		ok = false;
	} else if (len > CONFIG_MAX_BYTES) {
		buf_printf(err, "%s: larger than %d bytes", name,
		    CONFIG_MAX_BYTES);
		ok = false;
	} else
		ok = parse_text(ld, text, len);
	free(ld->dir);
	free(ld);
	if (!ok) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

struct fbl_config *
config_load(const char *path, struct buf *err)
{
	struct buf		 text = BUF_INIT;
	struct fbl_config	*cfg = NULL;

	buf_reset(err);
	if (file_read(path, CONFIG_MAX_BYTES, &text, err))
		cfg = config_load_mem(path, text.data != NULL ? text.data : "",
		    text.len, err);
	buf_free(&text);
	return cfg;
}

struct fbl_config *
config_find(const char *path, enum config_need need, struct buf *err)
{
	const char	*env;

	buf_reset(err);
	if (path != NULL)
		return config_load(path, err);
	if ((env = getenv(CONFIG_ENV)) != NULL && env[0] != '\0')
		return config_load(env, err);
	if (access(CONFIG_DEFAULT_PATH, F_OK) == 0 || errno != ENOENT)
		return config_load(CONFIG_DEFAULT_PATH, err);
	if (need == CONFIG_REQUIRED)
		buf_printf(err, "no configuration: give --config FILE, set %s, "
		    "or create %s (see fblscope.conf(5))", CONFIG_ENV,
		    CONFIG_DEFAULT_PATH);
	return NULL;
}

static void
strlist_free(struct config_strlist *l)
{
	size_t	 i;

	for (i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
}

static void
customers_free(struct config_customer *c, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++) {
		free(c[i].id);
		free(c[i].domain);
		free(c[i].pattern);
		pcre2_code_free(c[i].re);
	}
	free(c);
}

void
config_free(struct fbl_config *cfg)
{
	if (cfg == NULL)
		return;
	free(cfg->path);
	free(cfg->esp_id);
	strlist_free(&cfg->esp_domains);
	strlist_free(&cfg->nameservers);
	free(cfg->selector_pattern);
	pcre2_code_free(cfg->selector_re);
	customers_free(cfg->exact, cfg->nexact);
	customers_free(cfg->regex, cfg->nregex);
	free(cfg->networks);
	free(cfg->report_timezone);
	free(cfg->hmac_secret_file);
	free(cfg->private_key_dir);
	free(cfg->quarantine_dir);
	free(cfg->cname_target);
	free(cfg->imap_password_file);
	free(cfg->imap_ca_file);
	free(cfg->imap_processed_folder);
	free(cfg->imap_quarantine_folder);
	pcre2_match_context_free(cfg->match_ctx);
	free(cfg);
}

bool
config_has_rules(const struct fbl_config *cfg)
{
	return cfg != NULL && (cfg->esp_domains.n > 0 || cfg->nexact > 0 ||
	    cfg->nregex > 0);
}

/* PostgreSQL's rule for key files: 0600 by us, or 0640 by root. */
static bool
secret_mode_ok(const struct stat *st)
{
	if (st->st_uid == geteuid() && (st->st_mode & 077) == 0)
		return true;
	return st->st_uid == 0 && (st->st_mode & 037) == 0;
}

static bool
secret_check(const char *path, const char *key, size_t max, int fd,
    struct stat *st, struct buf *err)
{
	if (fstat(fd, st) == -1) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		return false;
	}
	if (!S_ISREG(st->st_mode)) {
		buf_printf(err, "%s: %s is not a regular file", path, key);
		return false;
	}
	if (!secret_mode_ok(st)) {
		buf_printf(err, "%s: %s has mode %04o and owner uid %ld: it "
		    "must be 0600 (or stricter) and owned by the user running "
		    "fblscope, or 0640 and owned by root", path, key,
		    (unsigned)(st->st_mode & 07777), (long)st->st_uid);
		return false;
	}
	if ((uint64_t)st->st_size > (uint64_t)max + 2) {
		buf_printf(err, "%s: %s is larger than %zu bytes", path, key,
		    max);
		return false;
	}
	return true;
}

static bool
secret_read(const char *path, const char *key, size_t min, size_t max,
    int fd, struct buf *secret, struct buf *err)
{
	char	 chunk[512];
	ssize_t	 n;

	/* one allocation: no stale copies of the secret left behind */
	buf_reserve(secret, max + 2 + sizeof(chunk));
	while (secret->len <= max + 2 && buf_ok(secret)) {
		if ((n = read(fd, chunk, sizeof(chunk))) == -1 &&
		    errno == EINTR)
			continue;
		if (n == -1) {
			buf_printf(err, "%s: %s", path, strerror(errno));
			return false;
		}
		if (n == 0)
			break;
		buf_append(secret, chunk, (size_t)n);
	}
	explicit_bzero(chunk, sizeof(chunk));
	while (secret->len > 0 && (secret->data[secret->len - 1] == '\n' ||
	    secret->data[secret->len - 1] == '\r'))
		secret->data[--secret->len] = '\0';
	if (!buf_ok(secret))
		buf_printf(err, "%s: out of memory", path);
	else if (secret->len < min || secret->len > max)
		buf_printf(err, "%s: %s must hold %zu to %zu bytes (it holds "
		    "%zu)", path, key, min, max, secret->len);
	else
		return true;
	return false;
}

bool
config_read_private(const char *path, const char *key, size_t min,
    size_t max, struct buf *secret, struct buf *err)
{
	struct stat	 st;
	bool		 ok;
	int		 fd;

	buf_reset(err);
	if (secret->data != NULL)
		explicit_bzero(secret->data, secret->len);
	buf_reset(secret);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) == -1) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		return false;
	}
	ok = secret_check(path, key, max, fd, &st, err) &&
	    secret_read(path, key, min, max, fd, secret, err);
	close(fd);
	if (!ok) {
		if (secret->data != NULL)
			explicit_bzero(secret->data, secret->cap);
		buf_reset(secret);
	}
	return ok;
}

bool
config_read_secret(const struct fbl_config *cfg, struct buf *secret,
    struct buf *err)
{
	if (cfg == NULL || cfg->hmac_secret_file == NULL) {
		buf_reset(err);
		buf_printf(err, "%s: no hmac-secret-file configured",
		    cfg != NULL ? cfg->path : CONFIG_DEFAULT_PATH);
		return false;
	}
	return config_read_private(cfg->hmac_secret_file, "hmac-secret-file",
	    SECRET_MIN, SECRET_MAX, secret, err);
}
