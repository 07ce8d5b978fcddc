/* SPDX-License-Identifier: ISC */
/*
 * stop: SIGTERM and SIGINT asked politely.  A long command (ingest,
 * reverify) calls stop_catch() once; the first signal only sets a flag,
 * which the work checks between batches, so the batch in flight is
 * finished (or rolled back) and nothing is half-stored.  The handler then
 * gives the signal back its default action: a second one ends the process
 * at once, and PostgreSQL rolls back the open transaction.
 */
#ifndef FBL_BASE_STOP_H
#define FBL_BASE_STOP_H

#include <stdbool.h>

#define STOP_EXIT	3	/* the status of a command that was stopped */

void	 stop_catch(void);
bool	 stop_requested(void);
/* The signal that asked (SIGTERM, SIGINT), 0 when none. */
int	 stop_signal(void);

#endif
