/* SPDX-License-Identifier: ISC */
/*
 * cmd_ingest: `fblscope ingest`, feedback mailboxes and samples into
 * PostgreSQL (ingest.h), with a summary on standard error.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <sysexits.h>
#include <time.h>
#include <unistd.h>

#include "base/stop.h"
#include "fbl/classify.h"
#include "fbl/commands.h"
#include "fbl/store/ingest.h"
#include "fbl/source/mailsource.h"
#include "verifier/cli.h"

#define LOG_SHOWN	10	/* problem lines shown without --verbose */

static const char ingest_usage[] =
"usage: fblscope ingest [options] SOURCE...\n"
"       fblscope ingest --pipe [options] < MESSAGE\n"
"\n"
"Read feedback reports and mail samples from each SOURCE (a Maildir, a\n"
"directory of message files, an mbox, a file, - for standard input, or\n"
"a folder on an IMAP server: imaps://USER@HOST[:PORT]/FOLDER, or imap://\n"
"for STARTTLS; its messages move to imap-processed-folder once stored),\n"
"verify the DKIM signatures of each original as of the message's arrival\n"
"(Arrival-Date, else the report's Date, else the original's Date), and\n"
"store one report row per message and one signature row per signature,\n"
"with the daily counts, in PostgreSQL.  One transaction per batch; a\n"
"message already stored (same SHA-256 of its bytes) is counted once only.\n"
"Maildir messages move from new/ to cur/ (flag S) once their batch is\n"
"stored; only new/ is read.  A Maildir file that can never be stored\n"
"(empty, unreadable, too large, not mail) is moved once to the quarantine\n"
"folder, its reason in its name (NAME,why=REASON:2,).  Recipients are\n"
"stored only as HMAC-SHA256 with the secret of hmac-secret-file, and not\n"
"at all without one.  On a terminal, a progress line shows messages, rate\n"
"and, for a file or folder of known size, the time left.\n"
"\n"
CLI_DB_USAGE
"  --config FILE        the configuration (fblscope.conf(5)): token roles,\n"
"                       sending networks, hmac-secret-file (default\n"
"                       $FBLSCOPE_CONFIG, else " CONFIG_DEFAULT_PATH ");\n"
"                       ingest refuses to run without one\n"
CLI_KEYS_USAGE_BRIEF
"  --batch N            messages per transaction (default 500, at most\n"
"                       10000)\n"
"  --jobs N             verify with N worker threads while this one reads\n"
"                       and stores (default 1: all in one thread; at most\n"
"                       " CLI_STR(CLI_MAX_JOBS) "); what is stored is that of --jobs 1\n"
"  --diagnose-budget MIB\n"
"                       how much the diagnoses of failed signatures may\n"
"                       hash in one run (default " CLI_STR(INGEST_DEFAULT_DIAGNOSE_MIB) " MiB; 0: none): each\n"
"                       failure is stored with why it failed (a class of\n"
"                       docs/verify-json.md); past it, a failure whose\n"
"                       class needs a diagnosis is stored without one\n"
"  --no-progress        no progress line, even on a terminal\n"
"  --verbose            list every message that could not be read (the\n"
"                       first 10 otherwise)\n"
"  --keep               leave Maildir messages in new/, quarantine nothing\n"
"  --include-cur        read a Maildir's cur/ too, after new/ (what a mail\n"
"                       client moved there unread by fblscope)\n"
"  --new-only           the default; accepted for old scripts\n"
"  --quarantine-dir DIR where Maildir files that can never be stored go\n"
"                       (a Maildir, made when missing, on the same file\n"
"                       system; default quarantine-dir of the\n"
"                       configuration, else MAILDIR/.quarantine)\n"
"  --pipe               one message on standard input from an MTA's pipe\n"
"                       transport (Postfix pipe(8), Exim): no SOURCE, exit\n"
"                       statuses of sysexits.h (below)\n"
"  --imap-password-file FILE\n"
"                       the password of the IMAP sources (default\n"
"                       imap-password-file of the configuration); never\n"
"                       in the URL\n"
"  --imap-ca-file FILE  the CAs (PEM) that vouch for the IMAP server\n"
"                       (default imap-ca-file, else the system's)\n"
"  --watch[=SECONDS]    read the sources again every SECONDS (default\n"
"                       watch-interval of the configuration, else 60)\n"
"                       until SIGTERM or SIGINT\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 done; 1 done, but some message was unparseable, could not\n"
"be read or was quarantined by this run; 2 the run could not complete\n"
"(usage, configuration, a source that cannot be opened or broke off, the\n"
"database): the failed batch is rolled back and its Maildir messages stay\n"
"in new/ (IMAP: in the folder);\n"
"3 stopped by SIGTERM or SIGINT: what was read is stored, the rest is left\n"
"for the next run (a second signal ends it at once; the open batch is\n"
"then rolled back).\n"
"\n"
"With --pipe: 0 (EX_OK) only once the message is committed (stored, or\n"
"already there: a delivery retried counts once); what can never be\n"
"stored (not mail, empty, over 64 MiB) is stored as unparseable and is\n"
"0 too, never a bounce; 75 (EX_TEMPFAIL) when it could not be stored\n"
"(database down, a read error, a signal): the MTA keeps it and retries;\n"
"78 (EX_CONFIG) for the configuration, the secret or the keys, which the\n"
"MTA defers too; 64 (EX_USAGE) for the command line.  A DNS failure is\n"
"no reason to defer: the message is stored with a temperror verdict,\n"
"which fblscope reverify judges again.\n";

enum {
	OPT_BATCH = CLI_OPT_FIRST_FREE,
	OPT_KEEP,
	OPT_NO_PROGRESS,
	OPT_NEW_ONLY,
	OPT_INCLUDE_CUR,
	OPT_QUARANTINE_DIR,
	OPT_VERBOSE,
	OPT_PIPE,
	OPT_IMAP_PASSWORD_FILE,
	OPT_IMAP_CA_FILE,
	OPT_WATCH,
	OPT_DIAGNOSE_BUDGET,
};

static const struct option ingest_longopts[] = {
	CLI_DB_LONGOPT,
	CLI_CONFIG_LONGOPT,
	CLI_KEYS_LONGOPTS,
	{ "batch", required_argument, NULL, OPT_BATCH },
	{ "keep", no_argument, NULL, OPT_KEEP },
	CLI_JOBS_LONGOPT,
	{ "no-progress", no_argument, NULL, OPT_NO_PROGRESS },
	{ "new-only", no_argument, NULL, OPT_NEW_ONLY },
	{ "include-cur", no_argument, NULL, OPT_INCLUDE_CUR },
	{ "quarantine-dir", required_argument, NULL, OPT_QUARANTINE_DIR },
	{ "verbose", no_argument, NULL, OPT_VERBOSE },
	{ "pipe", no_argument, NULL, OPT_PIPE },
	{ "imap-password-file", required_argument, NULL,
	    OPT_IMAP_PASSWORD_FILE },
	{ "imap-ca-file", required_argument, NULL, OPT_IMAP_CA_FILE },
	{ "watch", optional_argument, NULL, OPT_WATCH },
	{ "diagnose-budget", required_argument, NULL, OPT_DIAGNOSE_BUDGET },
	CLI_HELP_LONGOPT_END,
};

/* The progress line: where the current source started, for its ETA. */
struct progress_line {
	double		 src_start;
	uint64_t	 last_done;
	uint64_t	 last_total;
	bool		 shown;
};

struct ingest_cmd {
	const char		*conninfo;
	bool			 no_progress;
	bool			 verbose;
	bool			 pipe;		/* --pipe: sysexits.h */
	struct progress_line	 pl;
	const char		*config_path;
	struct fbl_config	*config;
	struct buf		 secret;
	struct ingest_opts	 io;
	/* IMAP and watch */
	const char		*imap_password_file;
	struct buf		 imap_password;
	struct mail_source_net	 net;
	bool			 watch;
	unsigned long		 watch_seconds;	/* 0: the configuration's */
	uint64_t		 shown_seen;	/* watch: read when last said */
};

static int
ingest_usage_error(const char *msg)
{
	return cli_usage_error("ingest", ingest_usage, msg);
}

/* Options; -1 to go on, else the exit status. */
static int
ingest_options(int argc, char **argv, struct ingest_cmd *ic,
    struct cli_keys *keys)
{
	struct buf	 err = BUF_INIT;
	unsigned long	 n;
	int		 ch;

	optind = 1;
	while ((ch = cli_getopt(argc, argv, ingest_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(ingest_usage, stdout);
			return 0;
		case CLI_OPT_DB:
			ic->conninfo = optarg;
			break;
		case CLI_OPT_CONFIG:
			ic->config_path = optarg;
			break;
		case OPT_BATCH:
			if (!cli_parse_uint(optarg, 1, INGEST_MAX_BATCH, &n))
				return ingest_usage_error("--batch: want 1 to "
				    "10000");
			ic->io.batch = n;
			break;
		case OPT_KEEP:
			ic->io.source_flags |= MAIL_SOURCE_KEEP;
			break;
		case OPT_DIAGNOSE_BUDGET:
			if (!cli_parse_uint(optarg, 0, INGEST_MAX_DIAGNOSE_MIB,
			    &n))
				return ingest_usage_error("--diagnose-budget: "
				    "want 0 to " CLI_STR(INGEST_MAX_DIAGNOSE_MIB)
				    " (MiB)");
			ic->io.diagnose_budget = (uint64_t)n << 20;
			break;
		case CLI_OPT_JOBS:
			if (!cli_jobs_option(optarg, &ic->io.jobs, &err))
				return cli_usage_fail("ingest", ingest_usage,
				    &err);
			break;
		case OPT_VERBOSE:
			ic->verbose = true;
			break;
		case OPT_NEW_ONLY:	/* the default since --include-cur */
			ic->io.source_flags &= ~MAIL_SOURCE_WITH_CUR;
			break;
		case OPT_INCLUDE_CUR:
			ic->io.source_flags |= MAIL_SOURCE_WITH_CUR;
			break;
		case OPT_QUARANTINE_DIR:
			if (*optarg == '\0')
				return ingest_usage_error("--quarantine-dir: "
				    "empty");
			ic->io.quarantine = optarg;
			break;
		case OPT_NO_PROGRESS:
			ic->no_progress = true;
			break;
		case OPT_PIPE:
			ic->pipe = true;
			break;
		case OPT_IMAP_PASSWORD_FILE:
			ic->imap_password_file = optarg;
			break;
		case OPT_IMAP_CA_FILE:
			ic->net.ca_file = optarg;
			break;
		case OPT_WATCH:
			ic->watch = true;
			if (optarg != NULL && !cli_parse_uint(optarg, 1,
			    CONFIG_MAX_WATCH_INTERVAL, &ic->watch_seconds))
				return ingest_usage_error("--watch: want 1 to "
				    "86400 seconds");
			break;
		default:
			if (!cli_shared_option(keys, NULL, ch, optarg, &err))
				return cli_usage_fail("ingest", ingest_usage,
				    &err);
		}
	}
	if (ic->pipe) {
		/* "-" alone is what --pipe reads anyway */
		if (optind < argc && !(optind + 1 == argc &&
		    strcmp(argv[optind], "-") == 0))
			return ingest_usage_error("--pipe reads standard "
			    "input: no SOURCE");
		return -1;
	}
	if (optind >= argc)
		return ingest_usage_error("no source given");
	return -1;
}

/*
 * Is --pipe among the options?  Looked for before they are parsed, so
 * that a usage error says EX_USAGE to the MTA, not 2.
 */
static bool
pipe_asked(int argc, char **argv)
{
	int	 i;

	for (i = 1; i < argc && strcmp(argv[i], "--") != 0; i++)
		if (strcmp(argv[i], "--pipe") == 0)
			return true;
	return false;
}

/*
 * The IMAP settings, the password read only when a source needs it; false
 * with the reason in err.
 */
static bool
imap_setup(struct ingest_cmd *ic, char **specs, size_t n, struct buf *err)
{
	const struct fbl_config *cfg = ic->config;
	const char	*pw = ic->imap_password_file;
	size_t		 i;

	ic->io.net = &ic->net;
	if (ic->net.ca_file == NULL)
		ic->net.ca_file = cfg->imap_ca_file;
	ic->net.processed = cfg->imap_processed_folder;
	ic->net.quarantine = cfg->imap_quarantine_folder;
	if (ic->watch)
		ic->io.watch = ic->watch_seconds > 0 ?
		    (unsigned)ic->watch_seconds : cfg->watch_interval > 0 ?
		    cfg->watch_interval : CONFIG_DEFAULT_WATCH_INTERVAL;
	for (i = 0; i < n && !mail_source_is_imap(specs[i]); i++)
		continue;
	if (i == n || (pw == NULL && (pw = cfg->imap_password_file) == NULL))
		return true;
	if (!config_read_private(pw, "imap-password-file", 1,
	    MAIL_SOURCE_IMAP_MAX_PASSWORD, &ic->imap_password, err))
		return false;
	if (memchr(ic->imap_password.data, '\0', ic->imap_password.len) ||
	    memchr(ic->imap_password.data, '\n', ic->imap_password.len) ||
	    memchr(ic->imap_password.data, '\r', ic->imap_password.len)) {
		buf_printf(err, "%s: imap-password-file holds more than one "
		    "line", pw);
		return false;
	}
	ic->net.password = ic->imap_password.data;
	return true;
}

/* Configuration and secret; false with the reason in err. */
static bool
ingest_setup(struct ingest_cmd *ic, char **specs, size_t n, struct buf *err)
{
	if ((ic->config = config_find(ic->config_path, CONFIG_REQUIRED,
	    err)) == NULL)
		return false;
	ic->io.config = ic->config;
	if (!imap_setup(ic, specs, n, err))
		return false;
	if (ic->io.quarantine == NULL)
		ic->io.quarantine = ic->config->quarantine_dir;
	if (ic->config->hmac_secret_file == NULL)
		return true;
	if (!config_read_secret(ic->config, &ic->secret, err))
		return false;
	ic->io.secret = &ic->secret;
	return true;
}

/* "\r  1234 messages  567/s  stored 1200  ...  ETA 0:42", on stderr. */
static void
show_progress(const struct ingest_progress *p, void *arg)
{
	struct progress_line	*pl = arg;
	const struct ingest_stats *s = p->stats;
	double			 rate, left;

	if (p->final) {
		if (pl->shown)
			fputs("\r\033[K", stderr);
		return;
	}
	if (p->total != pl->last_total || p->done < pl->last_done)
		pl->src_start = p->elapsed;	/* another source */
	pl->last_total = p->total;
	pl->last_done = p->done;
	rate = p->elapsed > 0 ? (double)s->seen / p->elapsed : 0;
	fprintf(stderr, "\r\033[K  %" PRIu64 " messages  %.0f/s  stored %"
	    PRIu64 "  duplicates %" PRIu64 "  unparseable %" PRIu64, s->seen,
	    rate, s->stored, s->duplicates, s->unparseable);
	if (p->total > 0 && p->done > 0 && p->done <= p->total &&
	    p->elapsed > pl->src_start) {
		left = (p->elapsed - pl->src_start) *
		    (double)(p->total - p->done) / (double)p->done;
		fprintf(stderr, "  %.0f%%  ETA %d:%02d",
		    100.0 * (double)p->done / (double)p->total,
		    (int)(left / 60), (int)left % 60);
	}
	fflush(stderr);
	pl->shown = true;
}

/* The per-message problems: the first LOG_SHOWN, or all when verbose. */
static void
log_lines(const struct buf *log, bool verbose)
{
	const char	*p = buf_cstr(log), *nl;
	struct buf	 line = BUF_INIT;
	size_t		 n = 0, more = 0;

	for (; *p != '\0'; p = nl + 1) {
		if ((nl = strchr(p, '\n')) == NULL)
			nl = p + strlen(p) - 1;
		if (verbose || n < LOG_SHOWN) {
			/* file names are the mailbox writer's: made visible */
			buf_reset(&line);
			buf_put_visible(&line, p, (size_t)(nl - p) +
			    (*nl != '\n'));
			buf_putc(&line, '\n');
			fputs(buf_cstr(&line), stderr);
			n++;
		} else
			more++;
	}
	buf_free(&line);
	if (more > 0)
		fprintf(stderr, "  ... and %zu more problems like these "
		    "(--verbose shows them all)\n", more);
}

static void
summary(const struct ingest_stats *s, const struct fbl_config *cfg,
    bool secret, bool verbose)
{
	int	 r, k;

	log_lines(&s->log, verbose);
	log_lines(&s->broke_off, true);	/* why the run failed: all of it */
	fprintf(stderr, "fblscope ingest: %" PRIu64 " messages read, %"
	    PRIu64 " stored (%" PRIu64 " complaints, %" PRIu64 " samples, %"
	    PRIu64 " not-arf), %" PRIu64 " unparseable, %" PRIu64
	    " duplicates skipped, %" PRIu64 " unreadable, %" PRIu64
	    " quarantined, %" PRIu64 " batches\n", s->seen, s->stored,
	    s->complaints, s->samples, s->not_arf, s->unparseable,
	    s->duplicates, s->read_errors, s->quarantined, s->batches);
	for (r = 0; r < INGEST_NROLES; r++) {
		uint64_t tot = 0;

		for (k = 0; k < INGEST_NRESULTS; k++)
			tot += s->sigs[r][k];
		if (tot == 0)
			continue;
		fprintf(stderr, "  signatures, role %s:",
		    token_role_name((enum token_role)r));
		for (k = 0; k < INGEST_NRESULTS; k++)
			if (s->sigs[r][k] > 0)
				fprintf(stderr, " %s %" PRIu64,
				    dkim_result_name((enum dkim_result)k),
				    s->sigs[r][k]);
		fputc('\n', stderr);
	}
	for (k = 0; k < (int)INGEST_MAX_WHY; k++)
		if (s->unparseable_why[k].n > 0)
			fprintf(stderr, "  unparseable: %" PRIu64 " %s\n",
			    s->unparseable_why[k].n, s->unparseable_why[k].text);
	fprintf(stderr, "  configuration %s%s\n", cfg->path,
	    config_has_rules(cfg) ? "" : " (names no customer and no ESP "
	    "token: every signature stored with role unknown)");
	if (!secret)
		fputs("  recipients not stored (no hmac-secret-file)\n",
		    stderr);
	if (s->classified + s->unclassified > 0)
		fprintf(stderr, "  failed signatures: %" PRIu64 " with why "
		    "they failed, %" PRIu64 " without%s\n", s->classified,
		    s->unclassified, s->unclassified > 0 ? " (not diagnosed: "
		    "the --diagnose-budget was spent)" : "");
	fprintf(stderr, "  %.2f s, of which %.2f s storing (%.0f %%), "
	    "%.2f s waited for (not overlapped)\n", s->elapsed, s->storing,
	    s->elapsed > 0 ? 100.0 * s->storing / s->elapsed : 0.0,
	    s->waiting);
	/* the same figures for a machine (the nightly run, monitoring) */
	fprintf(stderr, "fblscope ingest: summary read=%" PRIu64 " stored=%"
	    PRIu64 " complaints=%" PRIu64 " samples=%" PRIu64 " not_arf=%"
	    PRIu64 " unparseable=%" PRIu64 " duplicates=%" PRIu64
	    " unreadable=%" PRIu64 " batches=%" PRIu64 " seconds=%.2f"
	    " classified=%" PRIu64 " unclassified=%" PRIu64 "\n",
	    s->seen, s->stored, s->complaints, s->samples, s->not_arf,
	    s->unparseable, s->duplicates, s->read_errors, s->batches,
	    s->elapsed, s->classified, s->unclassified);
}

#define PIPE_DEFER	"; exit 75 (EX_TEMPFAIL): the MTA keeps the " \
			"message and retries"

/*
 * --pipe: the one message of standard input; EX_OK only when it is
 * committed (stored, or already there), else EX_TEMPFAIL.  The reason
 * comes first on standard error: the MTA quotes the start of it.
 */
static int
pipe_go(struct ingest_cmd *ic, struct store *st, char **specs, size_t n)
{
	struct ingest_stats	 s;
	struct buf		 err = BUF_INIT;
	bool			 ok, done;

	memset(&s, 0, sizeof(s));
	stop_catch();
	ic->io.stop = stop_requested;
	ok = ingest_run(st, &ic->io, specs, n, &s, &err);
	done = ok && s.seen == 1 && s.stored + s.duplicates == 1 &&
	    s.read_errors == 0 && s.source_errors == 0;
	if (!ok)
		fprintf(stderr, "fblscope ingest: not stored: %s%s\n",
		    buf_cstr(&err), PIPE_DEFER);
	else if (!done)
		fprintf(stderr, "fblscope ingest: not stored: %.*s%s\n",
		    (int)strcspn(buf_cstr(&s.log), "\n"), s.log.len > 0 ?
		    buf_cstr(&s.log) : s.interrupted ? "stopped by a signal" :
		    "nothing read", PIPE_DEFER);
	summary(&s, ic->config, ic->io.secret != NULL, ic->verbose);
	ingest_stats_free(&s);
	store_close(st);
	buf_free(&err);
	return done ? EX_OK : EX_TEMPFAIL;
}

/* Watch: what a pass met, said when it read something or went wrong. */
static void
pass_end(struct ingest_stats *s, void *arg)
{
	struct ingest_cmd	*ic = arg;

	if (s->seen == ic->shown_seen && s->log.len == 0 &&
	    s->broke_off.len == 0)
		return;
	if (ic->pl.shown)
		fputs("\r\033[K", stderr);
	log_lines(&s->log, ic->verbose);
	log_lines(&s->broke_off, true);
	buf_reset(&s->log);
	buf_reset(&s->broke_off);
	fprintf(stderr, "fblscope ingest: pass %" PRIu64 " read=%" PRIu64
	    " stored=%" PRIu64 " duplicates=%" PRIu64 " unparseable=%" PRIu64
	    " unreadable=%" PRIu64 " quarantined=%" PRIu64 "\n", s->passes,
	    s->seen, s->stored, s->duplicates, s->unparseable, s->read_errors,
	    s->quarantined);
	ic->shown_seen = s->seen;
}

static int
ingest_go(struct ingest_cmd *ic, char **specs, size_t n)
{
	struct ingest_stats	 s;
	struct store		*st;
	struct buf		 err = BUF_INIT;
	bool			 ok;
	int			 status;

	memset(&s, 0, sizeof(s));
	if ((st = store_open(ic->conninfo, &err)) == NULL) {
		fprintf(stderr, "fblscope ingest: %s%s\n", buf_cstr(&err),
		    ic->pipe ? PIPE_DEFER : "");
		buf_free(&err);
		return ic->pipe ? EX_TEMPFAIL : 2;
	}
	if (ic->pipe)
		return pipe_go(ic, st, specs, n);
	if (!ic->no_progress && isatty(STDERR_FILENO)) {
		ic->io.progress = show_progress;
		ic->io.progress_arg = &ic->pl;
	}
	stop_catch();
	ic->io.stop = stop_requested;
	ic->io.pass_end = pass_end;
	ic->io.pass_arg = ic;
	ok = ingest_run(st, &ic->io, specs, n, &s, &err);
	summary(&s, ic->config, ic->io.secret != NULL, ic->verbose);
	if (!ok)
		fprintf(stderr, "fblscope ingest: batch not stored, run "
		    "stopped: %s\n", buf_cstr(&err));
	status = !ok || s.source_errors > 0 ? 2 : s.interrupted ? STOP_EXIT :
	    s.unparseable > 0 || s.quarantined > 0 ||
	    s.read_errors > s.vanished ? 1 : 0;
	if (ok && s.interrupted)
		fprintf(stderr, "fblscope ingest: stopped by signal %d after "
		    "%" PRIu64 " messages: every batch read is stored; run "
		    "again to go on\n", stop_signal(), s.seen);
	ingest_stats_free(&s);
	store_close(st);
	buf_free(&err);
	return status;
}

static char	 stdin_spec[] = "-";
static char	*pipe_stdin[] = { stdin_spec };

int
cmd_ingest(int argc, char **argv)
{
	struct ingest_cmd	 ic;
	struct cli_keys		 keys;
	struct buf		 err = BUF_INIT;
	int			 st;

	memset(&ic, 0, sizeof(ic));
	cli_keys_init(&keys);
	ic.io.vo.now = (int64_t)time(NULL);
	ic.io.vo.skew = VERIFY_DEFAULT_SKEW;
	ic.io.batch = INGEST_DEFAULT_BATCH;
	ic.io.diagnose_budget = (uint64_t)INGEST_DEFAULT_DIAGNOSE_MIB << 20;
	if ((st = ingest_options(argc, argv, &ic, &keys)) >= 0)
		return st != 0 && pipe_asked(argc, argv) ? EX_USAGE : st;
	ic.io.vo.dns_budget_ms = keys.dns_budget_ms;
	if (ic.pipe) {
		ic.io.source_flags |= MAIL_SOURCE_PIPE;
		ic.io.store_never = true;
		ic.no_progress = true;
	}
	if (!ingest_setup(&ic, argv + optind, (size_t)(argc - optind), &err) ||
	    (ic.io.vo.keys = cli_keys_open(&keys, &err)) == NULL) {
		fprintf(stderr, "fblscope ingest: %s%s\n", buf_cstr(&err),
		    ic.pipe ? "; exit 78 (EX_CONFIG): the MTA keeps the "
		    "message" : "");
		st = ic.pipe ? EX_CONFIG : 2;
	} else if (ic.pipe)
		st = ingest_go(&ic, pipe_stdin, 1);
	else
		st = ingest_go(&ic, argv + optind, (size_t)(argc - optind));
	key_source_free(ic.io.vo.keys);
	config_free(ic.config);
	buf_free(&ic.secret);
	if (ic.imap_password.data != NULL)
		explicit_bzero(ic.imap_password.data, ic.imap_password.cap);
	buf_free(&ic.imap_password);
	buf_free(&err);
	return st;
}
