/* SPDX-License-Identifier: ISC */
/*
 * mailsource_local: the insides of a mail source, shared by the files of
 * fbl/source/ that read one (mailsource.c) and that move its messages
 * after their batch (maildir_move.c).  Not for use outside fbl/source/.
 */
#ifndef FBL_SOURCE_MAILSOURCE_LOCAL_H
#define FBL_SOURCE_MAILSOURCE_LOCAL_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "fbl/source/mailsource.h"

struct mbox;
struct imap_source;

/* Maildir passes; a directory source uses PASS_NEW for its one pass. */
enum pass {
	PASS_NEW,
	PASS_CUR,
	PASS_DONE,
};

struct name_list {
	char		**v;
	size_t		 n;
	size_t		 cap;
	size_t		 next;
	bool		 listed;
	bool		 truncated;
};

/* An mbox being split: the spec itself, a file of a directory, stdin. */
struct mbox_file {
	struct mbox	*mbox;
	int		 fd;
	bool		 own_fd;
	char		*name;		/* for origins and errors */
	uint64_t	 size;		/* 0: unknown */
	uint64_t	 pos;		/* offset of the last message */
};

struct mail_source {
	enum mail_source_kind kind;
	unsigned	 flags;
	size_t		 max;
	char		*spec;
	int		 fd;		/* FILE/MBOX: the file; STDIN: 0 */
	bool		 own_fd;	/* fd is ours to close (not stdin) */
	uint64_t	 size;		/* FILE/MBOX: its size */
	bool		 regular;	/* FILE: a regular file */
	int		 dirfd;		/* DIR: the directory; MAILDIR: new/ */
	int		 curfd;		/* MAILDIR: cur/ */
	enum pass	 pass;
	struct name_list names;
	struct name_list cur_names;	/* MAILDIR: cur/, listed with new/ */
	struct mbox_file mf;		/* mf.mbox != NULL while splitting */
	bool		 done;		/* FILE/MBOX/STDIN: read */
	uint64_t	 count;		/* items handed out */
	char		*quarantine;	/* MAILDIR: its folder; NULL: default */
	int		 qfd;		/* its cur/, open after the first move */
	struct imap_source *imap;	/* IMAP: the connection and folder */
	pthread_t	 owner;		/* the thread that opened it */
	bool		 refused;	/* next() was called off it: ended */
};

/*
 * Is the calling thread the one that opened src (mailsource.h, Threads)?
 * If not, false with the reason in err, naming call.
 */
bool	 source_owner_calls(const struct mail_source *, const char *call,
	    struct buf *err);

/* A new string "a" "b" "c" (any may be ""), or NULL. */
char	*source_concat3(const char *a, const char *b, const char *c);

/* imap.c: the IMAP kind, behind the functions of mailsource.h. */
bool	 imap_open(struct mail_source *, const struct mail_source_net *,
	    struct buf *err);
void	 imap_close(struct imap_source *);
int	 imap_next(struct mail_source *, struct mail_item *, struct buf *err);
bool	 imap_commit(struct mail_source *, struct mail_item *,
	    struct buf *err);
bool	 imap_settle(struct mail_source *, struct buf *err);
int	 imap_quarantine(struct mail_source *, struct mail_item *,
	    const char *why, struct buf *err);
void	 imap_progress(const struct mail_source *, uint64_t *done,
	    uint64_t *total);
bool	 imap_spec(const char *spec);

#endif
