/* SPDX-License-Identifier: ISC */
/* jobs: work in parallel, results in order; see jobs.h. */
#include <pthread.h>
#include <stdbool.h>
#include <stdlib.h>

#include "base/jobs.h"

struct queue {
	const struct jobs	*j;
	pthread_mutex_t		 mu;
	pthread_cond_t		 cv;
	size_t			 next;		/* next item to take */
	size_t			 handed;	/* items handed on */
	size_t			 waiting;	/* workers waiting for the window */
	bool			*ready;		/* per slot: done, not handed */
};

struct worker {
	struct queue	*q;
	unsigned	 id;
};

/*
 * Hand on, in item order, every done item from the first one not yet
 * handed on.  Called with the lock held by whichever thread finished an
 * item: no thread waits to hand on, and nobody is woken per item.
 */
static void
hand_on(struct queue *q)
{
	const struct jobs	*j = q->j;
	size_t			 slot;
	bool			 advanced = false;

	while (q->handed < j->n && q->ready[slot = q->handed % j->window]) {
		q->ready[slot] = false;
		if (j->done != NULL)
			j->done(j->arg, q->handed, slot);
		q->handed++;
		advanced = true;
	}
	if (advanced && q->waiting > 0)
		pthread_cond_broadcast(&q->cv);
}

static void *
work_loop(void *arg)
{
	struct worker		*w = arg;
	struct queue		*q = w->q;
	const struct jobs	*j = q->j;
	size_t			 idx;

	pthread_mutex_lock(&q->mu);
	for (;;) {
		while (q->next < j->n && q->next >= q->handed + j->window) {
			q->waiting++;
			pthread_cond_wait(&q->cv, &q->mu);
			q->waiting--;
		}
		if (q->next >= j->n)
			break;
		idx = q->next++;
		pthread_mutex_unlock(&q->mu);
		j->work(j->arg, idx, idx % j->window, w->id);
		pthread_mutex_lock(&q->mu);
		q->ready[idx % j->window] = true;
		hand_on(q);
	}
	pthread_mutex_unlock(&q->mu);
	return NULL;
}

static void
run_serial(const struct jobs *j)
{
	size_t	 i;

	for (i = 0; i < j->n; i++) {
		j->work(j->arg, i, i % j->window, 0);
		if (j->done != NULL)
			j->done(j->arg, i, i % j->window);
	}
}

void
jobs_run(const struct jobs *j)
{
	pthread_t	 th[JOBS_MAX];
	struct worker	 w[JOBS_MAX];
	struct queue	 q;
	unsigned	 i, started = 0, n;

	n = j->threads > JOBS_MAX ? JOBS_MAX : j->threads;
	if (n > j->window)
		n = (unsigned)j->window;
	if (n <= 1 || j->n <= 1 ||
	    (q.ready = calloc(j->window, sizeof(*q.ready))) == NULL) {
		run_serial(j);
		return;
	}
	q.j = j;
	q.next = q.handed = q.waiting = 0;
	pthread_mutex_init(&q.mu, NULL);
	pthread_cond_init(&q.cv, NULL);
	for (i = 0; i < n; i++) {
		w[i].q = &q;
		w[i].id = i;
	}
	for (i = 1; i < n; i++)
		if (pthread_create(&th[started], NULL, work_loop,
		    &w[started + 1]) == 0)
			started++;
	work_loop(&w[0]);
	for (i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	pthread_mutex_destroy(&q.mu);
	pthread_cond_destroy(&q.cv);
	free(q.ready);
}
