/* SPDX-License-Identifier: ISC */
/*
 * mailsource_test.h: what the parts of test_mailsource share: the Maildir,
 * directory and file cases (test_mailsource.c, with main) and the streams,
 * the corpus and IMAP URLs (mailsource_streams.c).
 */
#ifndef FBL_MAILSOURCE_TEST_H
#define FBL_MAILSOURCE_TEST_H

#include "fbl/source/mailsource.h"

/* Say what failed, with errno, and end the test with status 2. */
void	 die(const char *what);
/* mail_source_open(), reported as check name; a failure ends the test. */
struct mail_source *open_ok(const char *name, const char *spec,
	    unsigned flags);
/* mail_source_next() into it, the error text into err (reset first). */
int	 next(struct mail_source *, struct mail_item *it, struct buf *err);
/* An item's bytes as a string, "(null)" for none. */
const char *bytes(const struct mail_item *);
/* Two messages as an mbox. */
extern const char two_mbox[];

/* mailsource_streams.c */
void	 test_stdin(void);
void	 test_stdin_pipe(void);
void	 test_corpus(void);
void	 test_imap_urls(void);

#endif
