/* SPDX-License-Identifier: ISC */
/*
 * mbox_scan: split an mbox file with fbl/source/mbox.c and count its
 * messages, for the hostile-input rows of the benchmark (a file of
 * "From x Mon Mon Mon ..." lines against a plain one).  Prints
 * "messages N skipped N".
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fbl/source/mbox.h"

static ssize_t
rd(void *ctx, void *dst, size_t len)
{
	return read(*(int *)ctx, dst, len);
}

int
main(int argc, char **argv)
{
	struct mbox	*m;
	struct mbox_msg	 msg = { BUF_INIT, 0, 0, 0, 0, NULL, NULL };
	struct buf	 err = BUF_INIT;
	unsigned long	 n = 0, skipped = 0;
	int		 fd, r;

	if (argc != 2 || (fd = open(argv[1], O_RDONLY)) == -1) {
		fprintf(stderr, "usage: mbox_scan FILE\n");
		return 2;
	}
	if ((m = mbox_new(rd, &fd, argv[1], 64u << 20, 0)) == NULL)
		return 2;
	while ((r = mbox_next(m, &msg, &err)) != 0) {
		if (r == 1)
			n++;
		else
			skipped++;
		buf_reset(&err);
	}
	printf("messages %lu skipped %lu\n", n, skipped);
	mbox_msg_free(&msg);
	mbox_free(m);
	buf_free(&err);
	close(fd);
	return 0;
}
