/* SPDX-License-Identifier: ISC */
/*
 * commands: the subcommands that live in report/ (see fbl/commands.h).
 */
#ifndef FBL_REPORT_COMMANDS_H
#define FBL_REPORT_COMMANDS_H

int	 cmd_report(int, char **);

#endif
