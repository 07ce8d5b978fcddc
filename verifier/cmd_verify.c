/* SPDX-License-Identifier: ISC */
/*
 * cmd_verify: `fblscope verify`, results in input order whatever --jobs is.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "base/file.h"
#include "base/date.h"
#include "base/jobs.h"
#include "verifier/cli.h"
#include "verifier/commands.h"
#include "verifier/crypto.h"
#include "verifier/explain.h"
#include "verifier/render.h"
#include "verifier/verify.h"

enum verify_format { FMT_TEXT, FMT_JSON, FMT_AR };

struct verify_cmd {
	struct verify_opts	 vo;
	enum verify_format	 format;
	bool			 explain;
	const struct verify_unwrap *unwrap;	/* NULL: no report finder */
	const char		*authserv_id;
	char			**files;
	size_t			 nfiles;
	int			 status;	/* worst exit status so far */
	struct verify_out	*out;		/* a slot per message in hand */
	struct buf		*raw;		/* a read buffer per worker */
};

struct verify_out {
	struct buf	 text;
	int		 status;	/* 0 pass, 1 not pass, 2 error */
};

static const char verify_usage[] =
"usage: fblscope verify [options] FILE...|-\n"
"\n"
"Verify every DKIM-Signature of each message against DNS (or zone files);\n"
"of a feedback report (ARF, or a complaint that attaches the mail), those of\n"
"the original it carries.\n"
"\n"
CLI_KEYS_USAGE
"  --at TIME            verify as of TIME (epoch, YYYY-MM-DD[THH:MM[:SS]][Z],\n"
"                       or an RFC 5322 date) instead of now, for t= and x=\n"
CLI_JOBS_USAGE
"  --format FMT         text (default), json (JSON Lines) or ar (an RFC 8601\n"
"                       Authentication-Results header)\n"
"  --authserv-id ID     authserv-id of the ar format (default: host name)\n"
"  --explain            show every step and diagnose failures\n"
"  -h, --help           this text\n"
"\n"
"Exit status: 0 every signature of every message passed; 1 some signature\n"
"did not pass or a message has no signature; 2 usage or I/O error.\n";

enum {
	OPT_FORMAT = CLI_OPT_FIRST_FREE, OPT_EXPLAIN, OPT_AUTHSERV, OPT_NO_ARF,
};

static const struct option verify_longopts[] = {
	CLI_KEYS_LONGOPTS,
	CLI_AT_LONGOPT,
	CLI_JOBS_LONGOPT,
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	{ "authserv-id", required_argument, NULL, OPT_AUTHSERV },
	{ "no-arf", no_argument, NULL, OPT_NO_ARF },
	CLI_HELP_LONGOPT_END,
};

/* One message out in the format asked: one diagnosis for every format. */
static bool
verify_render(struct verify_cmd *vc, struct buf *out, const char *file,
    const struct verify_result *vr, struct render_extra *ex_inner)
{
	struct diagnosis	 dg;
	struct render_extra	 ex = *ex_inner;

	memset(&dg, 0, sizeof(dg));
	if (vc->explain) {
		if (!diagnosis_make(&dg, vr)) {
			diagnosis_free(&dg);
			return false;
		}
		ex.dg = &dg;
	}
	if (vc->format == FMT_JSON)
		render_json(out, file, vr, &ex);
	else if (vc->format == FMT_AR)
		render_ar(out, vc->authserv_id, file, vr, &ex);
	else if (vc->explain)
		explain_render(out, file, vr, &ex);
	else
		render_text(out, file, vr, &ex);
	diagnosis_free(&dg);
	return true;
}

/* raw is the caller's read buffer, reused from message to message. */
static void
verify_one(struct verify_cmd *vc, size_t idx, struct verify_out *vo,
    struct buf *raw_buf)
{
	struct buf		*raw = raw_buf, err = BUF_INIT;
	struct verify_result	 vr;
	struct verify_inner	 in;
	struct render_extra	 ex;
	const char		*file = vc->files[idx];
	int			 found = 0;

	vo->status = 2;
	memset(&ex, 0, sizeof(ex));
	memset(&in, 0, sizeof(in));
	if (!file_read(file, CLI_MAX_MESSAGE, raw, &err)) {
		buf_printf(&vo->text, "fblscope verify: %s\n", buf_cstr(&err));
		goto out;
	}
	if (vc->unwrap != NULL &&
	    (found = vc->unwrap->find(raw->data, raw->len, &in)) < 0) {
		buf_printf(&vo->text, "fblscope verify: %s: out of memory\n",
		    file);
		goto out;
	}
	if (found) {
		ex.inner_kind = in.kind;
		ex.inner_form = in.form;
	}
	if (!dkim_verify(&vc->vo, found ? in.raw : raw->data, found ? in.len :
	    raw->len, &vr) || !verify_render(vc, &vo->text, file, &vr, &ex)) {
		buf_printf(&vo->text, "fblscope verify: %s: %s\n", file,
		    vr.msg_status != MESSAGE_OK ?
		    message_status_str(vr.msg_status) : "out of memory");
		verify_result_free(&vr);
		goto out;
	}
	vo->status = verify_all_pass(&vr) ? 0 : 1;
	verify_result_free(&vr);
out:
	if (found > 0)
		vc->unwrap->release(&in);
	buf_free(&err);
}

static int
write_out(struct verify_out *vo)
{
	int	 st = vo->status;

	if (!buf_ok(&vo->text)) {
		fputs("fblscope verify: out of memory\n", stderr);
		st = 2;
	} else if (vo->status == 2 && vo->text.len > 0)
		fwrite(vo->text.data, 1, vo->text.len, stderr);
	else
		fwrite(vo->text.data ? vo->text.data : "", 1, vo->text.len,
		    stdout);
	buf_free(&vo->text);
	return st;
}

static int
merge_status(int all, int one)
{
	return one > all ? one : all;
}

static void
verify_work(void *arg, size_t idx, size_t slot, unsigned worker)
{
	struct verify_cmd	*vc = arg;

	verify_one(vc, idx, &vc->out[slot], &vc->raw[worker]);
}

static void
verify_done(void *arg, size_t idx, size_t slot)
{
	struct verify_cmd	*vc = arg;

	(void)idx;
	vc->status = merge_status(vc->status, write_out(&vc->out[slot]));
}

/* Every message, jobs at a time (base/jobs.h), written in input order. */
static int
verify_run(struct verify_cmd *vc, unsigned jobs)
{
	struct jobs	 j;
	unsigned	 i;

	memset(&j, 0, sizeof(j));
	j.n = vc->nfiles;
	j.threads = jobs;
	/* the window bounds the results held for in-order output */
	j.window = jobs > 1 ? (size_t)jobs * 64 : 1;
	j.arg = vc;
	j.work = verify_work;
	j.done = verify_done;
	if ((vc->out = calloc(j.window, sizeof(*vc->out))) == NULL ||
	    (vc->raw = calloc(jobs, sizeof(*vc->raw))) == NULL) {
		free(vc->out);
		fputs("fblscope verify: out of memory\n", stderr);
		return 2;
	}
	jobs_run(&j);
	crypto_thread_done();	/* this thread's cached key contexts */
	for (i = 0; i < jobs; i++)
		buf_free(&vc->raw[i]);
	free(vc->raw);
	free(vc->out);
	return vc->status;
}

static bool
parse_format(const char *s, enum verify_format *f)
{
	if (strcmp(s, "text") == 0)
		*f = FMT_TEXT;
	else if (strcmp(s, "json") == 0)
		*f = FMT_JSON;
	else if (strcmp(s, "ar") == 0)
		*f = FMT_AR;
	else
		return false;
	return true;
}

static int
usage_error(const char *msg)
{
	return cli_usage_error("verify", verify_usage, msg);
}

int
cmd_verify_with(int argc, char **argv, const struct verify_unwrap *unwrap)
{
	struct verify_cmd	 vc;
	struct cli_keys		 keys;
	struct buf		 err = BUF_INIT;
	unsigned		 jobs = 1;
	char			 host[256];
	int			 ch, status;

	memset(&vc, 0, sizeof(vc));
	vc.unwrap = unwrap;
	cli_keys_init(&keys);
	vc.vo.now = (int64_t)time(NULL);
	vc.vo.skew = VERIFY_DEFAULT_SKEW;
	optind = 1;
	while ((ch = cli_getopt(argc, argv, verify_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(verify_usage, stdout);
			return 0;
		case CLI_OPT_JOBS:
			if (!cli_jobs_option(optarg, &jobs, &err))
				return cli_usage_fail("verify", verify_usage,
				    &err);
			break;
		case OPT_FORMAT:
			if (!parse_format(optarg, &vc.format))
				return usage_error("--format: want text, json "
				    "or ar");
			break;
		case OPT_EXPLAIN:
			vc.explain = true;
			vc.vo.keep_trace = true;
			break;
		case OPT_AUTHSERV:
			vc.authserv_id = optarg;
			break;
		case OPT_NO_ARF:
			vc.unwrap = NULL;
			break;
		default:
			if (!cli_shared_option(&keys, &vc.vo.now, ch, optarg,
			    &err))
				return cli_usage_fail("verify", verify_usage,
				    &err);
		}
	}
	if (optind >= argc)
		return usage_error("no message given (a file, or - for "
		    "standard input)");
	if (vc.authserv_id == NULL) {
		if (gethostname(host, sizeof(host)) != 0)
			strcpy(host, "localhost");
		host[sizeof(host) - 1] = '\0';
		vc.authserv_id = host;
	}
	vc.vo.dns_budget_ms = keys.dns_budget_ms;
	if ((vc.vo.keys = cli_keys_open(&keys, &err)) == NULL) {
		fprintf(stderr, "fblscope verify: %s\n", buf_cstr(&err));
		buf_free(&err);
		return 2;
	}
	vc.files = argv + optind;
	vc.nfiles = (size_t)(argc - optind);
	status = verify_run(&vc, jobs);
	key_source_free(vc.vo.keys);
	buf_free(&err);
	return status;
}
