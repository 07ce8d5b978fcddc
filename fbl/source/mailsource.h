/* SPDX-License-Identifier: ISC */
/*
 * mailsource: where `fblscope ingest` gets messages from.
 *
 * One interface over six kinds of source, picked from the spec by
 * mail_source_open():
 *
 *   "-"                       standard input: one message (an MTA pipes one
 *                             in); MAIL_SOURCE_STDIN_MBOX reads it as an
 *                             mbox instead.
 *   a directory holding new/  a Maildir: new/, and cur/ after it with
 *   and cur/                  MAIL_SOURCE_WITH_CUR (tmp/ is where
 *                             deliveries are still being written: never
 *                             read).
 *   another directory         a directory of message files, one level deep
 *                             (subdirectories are not entered).
 *   a file starting "From "   an mbox (fbl/source/mbox.h: mboxrd rules, no
 *                             Content-Length trust, streaming).
 *   another file              one message.  So is a FIFO or a device.
 *   imaps://USER@HOST[:PORT]/FOLDER
 *   imap://USER@HOST[:PORT]/FOLDER
 *                             a folder on an IMAP server (imap.c, through
 *                             libcurl): TLS from the first byte (imaps,
 *                             port 993) or STARTTLS, required (imap, port
 *                             143); never in clear.  The settings come
 *                             from mail_source_open_net(): the password
 *                             (never in the URL: refused there), the CAs.
 *
 * IMAP.  The folder is read by UID: its UIDVALIDITY, UIDNEXT and MESSAGES
 * (STATUS) when it is opened, then windows of at most MAIL_SOURCE_IMAP_WINDOW
 * messages listed with their sizes (UID FETCH lo:hi (UID RFC822.SIZE)),
 * then each message of the window fetched alone (libcurl's UID FETCH
 * BODY[]: the server marks it \Seen, which nothing here relies on).  So
 * at most one window of UIDs and one message are held, whatever the size
 * of the folder, and what arrives after the open waits for the next run
 * (or watch pass).  Every request after the first names the UIDVALIDITY
 * the source began with: when the folder was re-created meanwhile
 * (another UIDVALIDITY), nothing is read or moved under the old UIDs; the
 * error item says so (failed set) and the source ends.  No UID is kept
 * between runs: the next run reads the new folder from its start, and a
 * message already stored is a duplicate, counted once.
 *
 * Two readers of one folder at once would both move its messages, and a
 * server may then copy a message into the processed folder twice (Dovecot
 * does: a MOVE is a copy, then an expunge).  So the pipeline lets one
 * reader at a time have a folder (mail_source_claim_key()).
 *
 * IMAP moves.  mail_source_commit() only notes the UID; mail_source_settle(),
 * called after the batch's commits, moves the noted messages into the
 * processed folder (UID MOVE where the server has MOVE, else UID COPY,
 * STORE +FLAGS \Deleted and UID EXPUNGE with UIDPLUS, plain EXPUNGE
 * without it), made when missing.  A failed move leaves the messages in
 * the folder: the next run finds them stored (duplicates) and moves them.
 * mail_source_quarantine() moves a message at once into the quarantine
 * folder, with the keyword fblscope-REASON where the server keeps
 * keywords.
 *
 * Which files a directory source takes: names not starting with '.' nor
 * ending in '~', that end in ".eml" or ".mbox" (any case), or have no '.'
 * at all (MH folders: 1, 2, 3...), or look like Maildir names (digits then
 * a '.', as in 1700000000.M1P2.host:2,S, so a Maildir's new/ or cur/ can be
 * given directly).  Everything else (README.md, expected.tsv, ...) is
 * skipped quietly, as are subdirectories and anything not a regular file.
 * Each taken file is itself a single message or, when it starts with
 * "From ", an mbox.  In a Maildir, every name not starting with '.' is a
 * message.
 *
 * Order: names are read in bytewise order (determinism: two runs over the
 * same folder give the same order).  A Maildir's cur/, when read, is
 * listed right after its new/, before this source moves anything: the
 * messages a run moves are not read again by it, and a message another
 * reader moves from new/ to cur/ meanwhile is in one list or has vanished
 * from new/ (the other reader has it).  At most MAIL_SOURCE_MAX_FILES names are
 * taken from one directory; beyond that an error item says so and the rest
 * waits for the next run.
 *
 * Envelope: a single message (a file, a Maildir file, stdin) that starts
 * with an mbox From_ line (Postfix pipe(8) flag F, procmail, a saved mbox)
 * has that line removed and kept as envelope_from / envelope_date; nothing
 * else in it is changed.  The bytes of an item are otherwise exactly the
 * file's, except for mbox messages, whose ">From " quoting is undone
 * (mbox.h): the message as it was delivered, which is what was signed.
 *
 * Exactly once.  The database counts each message once by the SHA-256 of
 * its bytes; the sources make sure nothing is lost and nothing is moved
 * before it is stored:
 * - mail_source_commit() is called by the pipeline only after the batch
 *   holding the item has committed.  Only then does a Maildir message move
 *   from new/ to cur/ (with the S flag).  A crash between the database
 *   commit and the rename leaves the message in new/: the next run stores
 *   nothing new for it (same fingerprint) and moves it.  No fsync is needed
 *   for the same reason.
 * - Two ingests of one Maildir at the same time: both may read a message;
 *   the database keeps one; the second rename fails with ENOENT, which
 *   commit treats as done.  A file moved away between listing and reading
 *   is an error item with vanished = true (the pipeline may count those
 *   apart: the other reader has it, or it will be met in cur/).
 * - Other sources are never changed: commit is a no-op for them, and for
 *   everything under MAIL_SOURCE_KEEP.
 *
 * Quarantine.  A Maildir message that can never be stored (item->never:
 * empty, unreadable for lack of permission, too large; the pipeline adds
 * "not-mail" for bytes that are no message at all) would otherwise stay in
 * new/ and be reported on every run.  mail_source_quarantine() moves it,
 * once, into the cur/ of a Maildir-style quarantine folder (default
 * MAIL_SOURCE_QUARANTINE inside the Maildir, a Maildir++ subfolder a mail
 * client shows; mail_source_set_quarantine() names another), its reason in
 * the new name: UNIQUE,why=REASON:2,FLAGS (1234.h -> 1234.h,why=empty:2,).
 * The folder and its tmp/ new/ cur/ are made (0700) on the first move;
 * symbolic links are not followed into or inside the default folder (it
 * is in the mailbox writer's territory).  It must be on the Maildir's file
 * system (rename(2)).  Symbolic links, FIFOs, devices and directories are
 * never quarantined: they are reported and left alone.  Moving a
 * quarantined file back into new/ makes the next run try it again.
 *
 * Errors: mail_source_open() fails only when the spec itself cannot be
 * used.  Everything after that is per item: mail_source_next() returns -1
 * for a message it could not read (vanished, too large, empty, not a
 * regular file in a Maildir, unreadable, a directory listing that failed)
 * with err naming the file and, for mbox, the message number and offset;
 * the item still carries the origin (and, in a Maildir, its path, so that
 * it can be quarantined).  The source goes on with the next
 * one.  Nothing is skipped without an error item, except what the name
 * filter above leaves out of a directory source.
 *
 * Pipe delivery (MAIL_SOURCE_PIPE, standard input only): one message from
 * an MTA's pipe transport.  A message too large to keep is still read to
 * its end, so that the MTA's writes never meet a closed pipe, and its
 * error item carries the SHA-256 of every byte read (has_digest, digest)
 * and their count (stream_len): the pipeline stores it by that
 * fingerprint, and a retry of the same delivery is the same message.
 *
 * Threads: a source is driven by the thread that opened it, alone:
 * next(), commit(), settle(), quarantine() and close() are for that
 * thread (an IMAP source's all use the connection next() uses;
 * quarantine() may make a Maildir's folder).  Items own their memory, so a
 * batch of them can be held and handed to other threads (workers, a
 * storer) between next() and commit().  A call from another thread is
 * refused, the reason in err: commit() and settle() false, quarantine()
 * -1, next() an error item with failed set, then the end of the source.
 */
#ifndef FBL_MAILSOURCE_H
#define FBL_MAILSOURCE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

#define MAIL_SOURCE_KEEP	0x01u	/* never move or rename anything */
#define MAIL_SOURCE_WITH_CUR	0x02u	/* Maildir: cur/ too, after new/ */
#define MAIL_SOURCE_STDIN_MBOX	0x04u	/* "-" is an mbox */
#define MAIL_SOURCE_PIPE	0x08u	/* "-" is an MTA's pipe: see below */

#define MAIL_SOURCE_MAX_MESSAGE	(64u << 20)	/* = CLI_MAX_MESSAGE */
#define MAIL_SOURCE_MAX_FILES	(1u << 20)	/* names per directory */
#define MAIL_SOURCE_QUARANTINE	".quarantine"	/* in the Maildir */

#define MAIL_SOURCE_IMAP_PROCESSED	"Processed"	/* default folders */
#define MAIL_SOURCE_IMAP_QUARANTINE	"Quarantine"
#define MAIL_SOURCE_IMAP_WINDOW		64	/* UIDs listed, moved at once */
#define MAIL_SOURCE_IMAP_MAX_PASSWORD	1024	/* bytes */
/* Network waits (docs/security.md): each a cap, none configurable. */
#define MAIL_SOURCE_IMAP_CONNECT_S	30	/* TCP and TLS set-up */
#define MAIL_SOURCE_IMAP_RESPONSE_S	60	/* a reply to a command */
#define MAIL_SOURCE_IMAP_STALL_S	60	/* under 1 byte/s this long */
#define MAIL_SOURCE_IMAP_REQUEST_S	600	/* one command, whole */

enum mail_source_kind {
	MAIL_SOURCE_MAILDIR,
	MAIL_SOURCE_DIR,
	MAIL_SOURCE_MBOX,
	MAIL_SOURCE_FILE,
	MAIL_SOURCE_STDIN,
	MAIL_SOURCE_IMAP,
};

/* What a network source needs beyond its URL; the same for every one. */
struct mail_source_net {
	const char	*password;	/* NUL-terminated; NULL: none */
	const char	*ca_file;	/* PEM CAs; NULL: the system's */
	const char	*processed;	/* IMAP folders; NULL: the defaults */
	const char	*quarantine;
};

/*
 * One message.  Every pointer is owned by the item, freed by
 * mail_item_free(); a zeroed item is empty.
 */
struct mail_item {
	char		*data;		/* the message, NUL after the last
					   byte; NULL on an error item */
	size_t		 len;
	char		*origin;	/* for humans: "Maildir/new/1234.h",
					   "box.mbox@102400 (message 17)",
					   "-" */
	char		*id;		/* stable for logs: a Maildir message
					   keeps its id in new/ and cur/ */
	uint64_t	 number;	/* 1-based, in the whole source */
	uint64_t	 offset;	/* in the file: of its From_ line */
	uint64_t	 file_size;	/* of that file (0: unknown), for
					   progress with offset */
	char		*envelope_from;	/* From_ line, NULL without one */
	char		*envelope_date;
	size_t		 unquoted;	/* mbox lines that lost a '>' */
	bool		 vanished;	/* error item: the file went away */
	const char	*never;		/* error item: why it can never be
					   stored ("empty", "unreadable",
					   "too-large"); NULL when a later
					   run may read it */
	bool		 has_digest;	/* pipe, too large: read whole, */
	unsigned char	 digest[32];	/* its SHA-256 */
	uint64_t	 stream_len;	/* and its bytes */

	/* Maildir (path and in_new on error items too) */
	char		*path;		/* current path of the file */
	bool		 in_new;	/* still in new/ (commit moves it) */
	bool		 maildir;	/* a message commit may move */

	/* IMAP (error items too: they may be quarantined) */
	uint32_t	 uid;
	bool		 imap;		/* uid is set */
	bool		 failed;	/* error item: the source itself
					   failed (connection, UIDVALIDITY);
					   nothing more comes from it */

	const void	*owner;		/* the source that made it */
};

struct mail_source;

/*
 * Open spec ("-" or a path) with MAIL_SOURCE_* flags.  NULL with the
 * reason in err (naming spec) when it does not exist, cannot be read, or
 * memory ran out.
 */
struct mail_source *mail_source_open(const char *spec, unsigned flags,
		    struct buf *err);
/*
 * The same with the settings of network sources (net may be NULL).  An
 * IMAP source connects, logs in and asks STATUS here: NULL with the reason
 * when the URL, the certificate, the password or the folder is wrong.
 */
struct mail_source *mail_source_open_net(const char *spec, unsigned flags,
		    const struct mail_source_net *net, struct buf *err);
void		 mail_source_close(struct mail_source *);

/*
 * What names the source of spec for a lock that keeps two readers apart,
 * appended to key (IMAP: "imap USER@HOST:PORT/FOLDER", whatever the
 * scheme): false for sources that need none (a Maildir's renames already
 * settle who has a message) and for a URL that open will refuse.  Known
 * without connecting, so a second reader does not even log in.
 */
bool		 mail_source_claim_key(const char *spec, struct buf *key);

/* Is spec an IMAP URL (imap:// or imaps://, any case)? */
bool		 mail_source_is_imap(const char *spec);

/* Bytes per message (default MAIL_SOURCE_MAX_MESSAGE); before next(). */
void		 mail_source_set_max_message(struct mail_source *, size_t);

/*
 * How far reading has come, for a progress line: *done of *total bytes of
 * an mbox or file, or names of the directory (or Maildir folder) being
 * read.  *total is 0 when unknown (standard input, a listing not made).
 */
void		 mail_source_progress(const struct mail_source *,
		    uint64_t *done, uint64_t *total);

enum mail_source_kind mail_source_kind(const struct mail_source *);
/* "maildir", "directory", "mbox", "file", "stdin", "imap" */
const char	*mail_source_kind_name(enum mail_source_kind);

/*
 * The next message into *item, which is overwritten: it must be empty
 * (zeroed, or freed with mail_item_free()).  1: a message.  0: no more.
 * -1: an error item (see above): err holds the reason; item->origin and
 * item->id are set, item->data is NULL.  Call again to go on.
 */
int		 mail_source_next(struct mail_source *, struct mail_item *item,
		    struct buf *err);

/*
 * The item's batch has committed: a Maildir message still in new/ moves to
 * cur/ with ":2," info holding the flags it had plus S, in ASCII order
 * (1234.h -> 1234.h:2,S; 1234.h:2,F -> 1234.h:2,FS).  item->path and
 * item->in_new follow.  true when done, when there was nothing to do
 * (another source, cur/, KEEP, already committed) and when the file had
 * already gone from new/ (another reader moved it).  false, with the
 * reason in err, when the rename failed otherwise; the message then stays
 * in new/ and a later run retries.
 */
bool		 mail_source_commit(struct mail_source *, struct mail_item *,
		    struct buf *err);

/*
 * After the commits of a batch: carry out what they noted (IMAP: move the
 * messages into the processed folder).  true when done or nothing to do;
 * false with the reason in err (the messages stay where they were).
 */
bool		 mail_source_settle(struct mail_source *, struct buf *err);

/*
 * The quarantine folder of a Maildir source (see above; NULL: the default
 * SPEC/.quarantine); before next().  false when out of memory.
 */
bool		 mail_source_set_quarantine(struct mail_source *,
		    const char *dir);

/*
 * Move a Maildir item (a message, or an error item with its path) that can
 * never be stored into the quarantine folder, why ([a-z0-9-], e.g.
 * item->never or "not-mail") in its new name.  1: moved, item->path is the
 * new path and commit() has nothing more to do.  0: nothing to do (another
 * kind of source, MAIL_SOURCE_KEEP, no path, or the file had already gone:
 * item->vanished is then set).  -1 with the reason in err (the folder
 * cannot be made, another file system ...): the file stays where it was.
 */
int		 mail_source_quarantine(struct mail_source *, struct mail_item *,
		    const char *why, struct buf *err);

void		 mail_item_free(struct mail_item *);

#endif
