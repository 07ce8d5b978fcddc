/* SPDX-License-Identifier: ISC */
/*
 * commands: the subcommands of the fblscope binary.  Each takes the argv
 * after the command name (argv[0] is the command), prints, and returns the
 * process exit status.
 */
#ifndef FBL_COMMANDS_H
#define FBL_COMMANDS_H

#include <stddef.h>


/*
 * The message to verify inside the one given: the original a feedback
 * report carries.  verifier/ knows no report format (fbl/ is the room
 * above it), so the command level hands cmd_verify_with() a finder
 * (fbl/feedback/complaint.h); with NULL it has none (and --no-arf sets
 * none).
 */
struct verify_inner {
	const char	*raw;		/* the message verified instead */
	size_t		 len;
	const char	*kind;		/* "ARF", "complaint" */
	const char	*form;		/* how it is carried: "rfc822", ... */
	void		*owner;		/* what release() frees */
};

struct verify_unwrap {
	/* 1 found (release it), 0 verify raw itself, -1 out of memory */
	int	 (*find)(const char *raw, size_t len, struct verify_inner *);
	void	 (*release)(struct verify_inner *);
};

int	 cmd_verify_with(int, char **, const struct verify_unwrap *);
int	 cmd_sign(int, char **);
int	 cmd_keygen(int, char **);

#endif
