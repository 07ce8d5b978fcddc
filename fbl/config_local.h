/* SPDX-License-Identifier: ISC */
/*
 * config_local: what the two halves of the configuration reader share;
 * private to config.c (lines, words, loading, the checks across keys, the
 * secret) and config_directives.c (each key and its values).
 */
#ifndef FBL_CONFIG_LOCAL_H
#define FBL_CONFIG_LOCAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "fbl/config.h"

#define NKEYS_MAX	32

struct loader {
	struct fbl_config *cfg;
	const char	*name;		/* file name for messages */
	struct buf	*err;
	unsigned	 line;
	char		*dir;		/* for relative paths */
	size_t		 exact_cap;
	size_t		 regex_cap;
	size_t		 net_cap;
	unsigned	 seen[NKEYS_MAX];	/* line of a one-value key */
	unsigned	 flag_line;
	unsigned	 alarm_line;
	size_t		 argc;
	char		*argv[CONFIG_MAX_WORDS];
	char		 scratch[CONFIG_MAX_LINE + 2];
};

/* config.c: the error, "NAME:LINE: what" (always false) */
bool		 lerr(struct loader *, const char *fmt, ...)
		    __attribute__((format(printf, 2, 3)));
bool		 oom(struct loader *);

/* config_directives.c */
bool		 run_directive(struct loader *);
bool		 set_string(struct loader *, char **field, const char *);

#endif
