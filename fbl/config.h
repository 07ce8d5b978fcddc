/* SPDX-License-Identifier: ISC */
/*
 * config: the fblscope configuration file (docs/fblscope.conf.5).
 *
 * A line-oriented file: one directive per line, "KEY VALUE...", words
 * separated by blanks, "#" at the start of a word begins a comment, a value
 * with blanks is quoted ('single': literal; "double": \" and \\ escapes).
 * Unknown keys, a missing or extra value, a bad domain, regex, network or
 * number, a duplicate, and a single-valued key given twice are errors; the
 * message names the file, the line and the problem ("FILE:LINE: ...").
 *
 * Everything is optional: an empty file is a valid configuration (with no
 * rules, classification answers "unknown").  Names (domains, nameservers,
 * esp-id) are stored in lower case without a trailing dot.  Relative paths
 * are resolved against the directory of the config file.
 *
 * A loaded configuration is immutable: any number of threads may read it and
 * call the classify functions (classify.h) on it at the same time.
 */
#ifndef FBL_CONFIG_H
#define FBL_CONFIG_H

#include <stdbool.h>
#include <stddef.h>

#include "fbl/cidr.h"
#include "base/buf.h"

#ifndef CONFIG_DEFAULT_PATH	/* the Makefile's SYSCONFDIR sets it */
#define CONFIG_DEFAULT_PATH	"/etc/fblscope.conf"
#endif
#define CONFIG_ENV		"FBLSCOPE_CONFIG"
#define CONFIG_MAX_BYTES	(1024 * 1024)	/* bigger files: an error */
#define CONFIG_MAX_LINE		4096	/* bytes a line, CR LF aside */
#define CONFIG_MAX_WORDS	256	/* words a line */
#define CONFIG_DOMAIN_MAX	253	/* without the trailing dot */

/* Defaults of the keys that have one. */
#define CONFIG_DEFAULT_TIMEZONE		"UTC"
#define CONFIG_DEFAULT_FLAG_RATE	0.001	/* 0.1 % */
#define CONFIG_DEFAULT_ALARM_RATE	0.003	/* 0.3 % */
#define CONFIG_DEFAULT_GRACE_DAYS	30
#define CONFIG_MAX_GRACE_DAYS		3650
#define CONFIG_DEFAULT_ROTATION_MONTHS	3
#define CONFIG_MAX_ROTATION_MONTHS	120
#define CONFIG_DEFAULT_WATCH_INTERVAL	60	/* seconds */
#define CONFIG_MAX_WATCH_INTERVAL	86400

/* pcre2_code (8-bit), without making every includer include pcre2.h. */
struct pcre2_real_code_8;
struct pcre2_real_match_context_8;

struct config_strlist {
	char		**v;
	size_t		  n;
	size_t		  cap;
};

/* One customer rule: an exact domain, or a PCRE2 pattern over domains. */
struct config_customer {
	char		*id;
	char		*domain;	/* exact rule; NULL for a regex */
	char		*pattern;	/* regex rule: the source text */
	struct pcre2_real_code_8 *re;	/* regex rule: compiled */
	unsigned	 line;		/* where it was defined */
};

struct config_network {
	struct cidr	 cidr;
	unsigned	 line;
};

struct fbl_config {
	char		*path;		/* as given to config_load */

	char		*esp_id;		/* esp-id, or NULL */
	struct config_strlist esp_domains;	/* esp-domain */
	struct config_strlist nameservers;	/* nameserver */

	/* selector-pattern: with named groups "mon" and "year"; or NULL */
	char		*selector_pattern;
	struct pcre2_real_code_8 *selector_re;

	/* customer: sorted by domain (bsearch); customer-regex: file order */
	struct config_customer	*exact;
	size_t			 nexact;
	struct config_customer	*regex;
	size_t			 nregex;

	struct config_network	*networks;	/* sending-network */
	size_t			 nnetworks;

	char		*report_timezone;	/* default "UTC" */
	double		 flag_rate;		/* 0.001 is 0.1 % */
	double		 alarm_rate;
	unsigned	 rotation_grace_days;
	unsigned	 rotation_months;	/* selectors older: reported */
	char		*hmac_secret_file;	/* path, or NULL */
	char		*private_key_dir;	/* path, or NULL */
	char		*quarantine_dir;	/* path, or NULL */
	char		*cname_target;		/* template or NULL */

	/* the IMAP source (fbl/source/mailsource.h); NULL: not set */
	char		*imap_password_file;	/* path */
	char		*imap_ca_file;		/* path */
	char		*imap_processed_folder;
	char		*imap_quarantine_folder;
	unsigned	 watch_interval;	/* seconds; 0: not set */

	/* limits for every pcre2_match on this configuration */
	struct pcre2_real_match_context_8 *match_ctx;
};

/*
 * Load and check a configuration file.  NULL on error, with one message in
 * err ("FILE:LINE: problem", or "FILE: problem" for an unreadable file).
 */
struct fbl_config *config_load(const char *path, struct buf *err);
/* The same from memory; name is used in messages and for relative paths. */
struct fbl_config *config_load_mem(const char *name, const char *text,
		    size_t len, struct buf *err);
void		 config_free(struct fbl_config *);

/*
 * The configuration in force, by one rule for every command: the file
 * given with --config (path, or NULL), else the one $FBLSCOPE_CONFIG
 * names, else CONFIG_DEFAULT_PATH when it exists.  A file named by the
 * option or the variable must load; so must the default one when it
 * exists.  With none of the three, a command that needs the configuration
 * (customers, the ESP token, the domains to audit) gets an error naming
 * the three places, and one that does not gets NULL with err empty.  The
 * file used is cfg->path.
 */
enum config_need {
	CONFIG_OPTIONAL,
	CONFIG_REQUIRED
};
struct fbl_config *config_find(const char *path, enum config_need,
		    struct buf *err);

/* Does the configuration say anything about tokens (ESP or customers)? */
bool		 config_has_rules(const struct fbl_config *);

/*
 * A domain as compared: lower case, one trailing dot dropped, NUL-terminated
 * into out (at least CONFIG_DOMAIN_MAX + 1 bytes).  False when empty, too
 * long, or holding a NUL.  No syntax check: hostile names simply match
 * nothing.
 */
bool		 config_domain_fold(const char *in, size_t len, char *out);

/*
 * The CNAME target for a customer that cannot delegate: cname-target with
 * "{selector}" and "{domain}" replaced (lower case).  False when no
 * cname-target is configured.
 */
bool		 config_cname_target(const struct fbl_config *,
		    const char *selector, const char *domain, struct buf *out);

/*
 * Read the recipient-hashing secret from hmac-secret-file into secret
 * (replacing its contents).  The file must be a regular file owned by the
 * effective user with no group or other permission bits, or owned by root
 * with at most group read (0640); it holds 16 to 4096 bytes once trailing
 * CR and LF are removed.  Returns false with a message in err.
 */
bool		 config_read_secret(const struct fbl_config *,
		    struct buf *secret, struct buf *err);

/*
 * The same rules for any private file (an IMAP password file): its
 * contents, trailing CR and LF removed, min to max bytes, into secret; key
 * names the file in messages.
 */
bool		 config_read_private(const char *path, const char *key,
		    size_t min, size_t max, struct buf *secret, struct buf *err);

#endif
