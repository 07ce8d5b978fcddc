/* SPDX-License-Identifier: ISC */
/*
 * commands: the subcommands of the fblscope binary.  Each takes the argv
 * after the command name (argv[0] is the command), prints, and returns the
 * process exit status.
 */
#ifndef FBL_COMMANDS_H
#define FBL_COMMANDS_H

int	 cmd_verify(int, char **);
int	 cmd_sign(int, char **);
int	 cmd_keygen(int, char **);

#endif
