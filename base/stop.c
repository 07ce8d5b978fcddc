/* SPDX-License-Identifier: ISC */
/* stop: SIGTERM and SIGINT asked politely; see stop.h. */
#include <signal.h>
#include <string.h>

#include "base/stop.h"

static volatile sig_atomic_t	 stop_sig;

static void
on_stop(int sig)
{
	stop_sig = sig;
	(void)signal(sig, SIG_DFL);	/* a second one ends it at once */
}

void
stop_catch(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_stop;
	sigemptyset(&sa.sa_mask);
	sa.sa_flags = SA_RESTART;	/* libpq and reads go on as they were */
	(void)sigaction(SIGTERM, &sa, NULL);
	(void)sigaction(SIGINT, &sa, NULL);
}

bool
stop_requested(void)
{
	return stop_sig != 0;
}

int
stop_signal(void)
{
	return stop_sig;
}
