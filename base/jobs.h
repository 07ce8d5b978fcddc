/* SPDX-License-Identifier: ISC */
/*
 * jobs: items 0..n-1 done by up to `threads` threads, the calling thread
 * among them, and handed on in item order, so that a command run with
 * --jobs N prints what it prints with --jobs 1.  At most `window` items are
 * done or in hand ahead of the first one not yet handed on: the results a
 * caller holds (one slot each, slot = idx % window) stay bounded whatever
 * n is.  Fewer threads than asked (none can be started, no memory) only
 * make the run slower; jobs_run() itself cannot fail.
 */
#ifndef FBL_BASE_JOBS_H
#define FBL_BASE_JOBS_H

#include <stddef.h>

#define JOBS_MAX	64	/* threads */

struct jobs {
	size_t		 n;		/* items */
	unsigned	 threads;	/* 1 to JOBS_MAX */
	size_t		 window;	/* >= threads: result slots */
	void		*arg;
	/*
	 * Do item idx into result slot `slot`; worker (0 .. threads-1) tells
	 * the caller's per-thread scratch apart.  Called concurrently.
	 */
	void		(*work)(void *arg, size_t idx, size_t slot,
			    unsigned worker);
	/* Item idx is done, and every item before it was handed on: one call
	   at a time, in item order; the slot may be reused after it.  NULL:
	   nothing to hand on (the results stay in the caller's slots). */
	void		(*done)(void *arg, size_t idx, size_t slot);
};

void	 jobs_run(const struct jobs *);

#endif
