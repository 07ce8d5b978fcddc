/* SPDX-License-Identifier: ISC */
/*
 * commands: the subcommands that live in fbl/.  Each takes the argv after
 * the command name (argv[0] is the command), prints, and returns the process
 * exit status.  (verifier/commands.h holds the verifier's.)
 */
#ifndef FBL_FBL_COMMANDS_H
#define FBL_FBL_COMMANDS_H

int	 cmd_arf(int, char **);
/* `verify`, which verifies the original of a feedback report (cmd_arf.c) */
int	 cmd_verify_reports(int, char **);
int	 cmd_db(int, char **);
int	 cmd_ingest(int, char **);
int	 cmd_keys(int, char **);
int	 cmd_reattribute(int, char **);
int	 cmd_reverify(int, char **);
int	 cmd_volume(int, char **);

/* `keys` subcommands in files of their own (cmd_keys.c dispatches) */
int	 cmd_keys_audit(int, char **);
int	 cmd_keys_zone(int, char **);

#endif
