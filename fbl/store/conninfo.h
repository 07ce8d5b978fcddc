/* SPDX-License-Identifier: ISC */
/*
 * conninfo: what a libpq connection string (key=value pairs or a
 * postgresql:// URI) says about its secrets.  A password given on the
 * command line can be read by every user of the machine (ps(1),
 * /proc/PID/cmdline) and stays in shell histories and cron mail; libpq
 * reads it from ~/.pgpass or the file PGPASSFILE names instead.
 */
#ifndef FBL_CONNINFO_H
#define FBL_CONNINFO_H

#include <stdbool.h>

/* Does conninfo carry a non-empty password? */
bool	 conninfo_has_password(const char *conninfo);

#endif
