/* SPDX-License-Identifier: ISC */
/*
 * cmd_arf: `fblscope arf`, the record ingest would store for each message,
 * without a database: what the message is and how that was decided, the
 * feedback-report fields, the deviations from RFC 5965, and the original's
 * DKIM signatures with their results and token roles.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/file.h"
#include "base/jobs.h"
#include "fbl/feedback/complaint.h"
#include "fbl/classify.h"
#include "fbl/commands.h"
#include "fbl/store/record.h"
#include "verifier/cli.h"
#include "verifier/commands.h"
#include "verifier/explain.h"
#include "base/date.h"
#include "base/json.h"
#include "verifier/render.h"
#include "verifier/verify.h"

enum arf_format { ARF_FMT_TEXT, ARF_FMT_JSON };

struct arf_cmd {
	struct verify_opts	 vo;
	enum arf_format		 format;
	bool			 explain;	/* --explain */
	bool			 have_at;	/* --at: one clock for all */
	const char		*config_path;	/* --config */
	struct fbl_config	*config;	/* NULL: every role unknown */
	unsigned		 jobs;		/* --jobs */
	char			**files;
	size_t			 nfiles;
	int			 status;	/* the worst so far */
	struct arf_out		*out;		/* a slot per message in hand */
	struct buf		*raw;		/* a read buffer per worker */
};

static const char arf_usage[] =
"usage: fblscope arf [options] FILE...|-\n"
"\n"
"Show, without a database, the record `fblscope ingest` would store for each\n"
"message: its kind (arf, complaint, sample, not-arf, unparseable) and how it\n"
"was decided, the feedback-report fields, what deviated from RFC 5965, and\n"
"the DKIM signatures of the original with their results and token roles.\n"
"The signatures are verified as of the report's Arrival-Date (else\n"
"Received-Date, else the report's Date, else the original's Date, else\n"
"now), the clock `fblscope ingest` uses.\n"
"\n"
"  --format FMT         text (default) or json (JSON Lines, docs/arf.md)\n"
"  --config FILE        the configuration (fblscope.conf(5)) that gives each\n"
"                       signature's token role (customer, esp, third-party);\n"
"                       (default $FBLSCOPE_CONFIG, else " CONFIG_DEFAULT_PATH "\n"
"                       if it exists); without one every role is \"unknown\"\n"
CLI_KEYS_USAGE
"  --at TIME            verify as of TIME instead of the report's dates\n"
"  --explain            after the record, the whole explanation of the\n"
"                       original's signatures (`fblscope verify --explain`);\n"
"                       with json, a trace and diagnosis object per signature\n"
CLI_JOBS_USAGE
"  -h, --help           this text\n"
"\n"
"Exit status: 0 every message was parsed (whatever its kind); 1 some message\n"
"is not a mail message at all (unparseable); 2 usage or I/O error.\n";

enum {
	OPT_FORMAT = CLI_OPT_FIRST_FREE,
	OPT_EXPLAIN,
};

static const struct option arf_longopts[] = {
	{ "format", required_argument, NULL, OPT_FORMAT },
	{ "explain", no_argument, NULL, OPT_EXPLAIN },
	CLI_CONFIG_LONGOPT,
	CLI_KEYS_LONGOPTS,
	CLI_AT_LONGOPT,
	CLI_JOBS_LONGOPT,
	CLI_HELP_LONGOPT_END,
};

/* --- JSON ----------------------------------------------------------------- */

static void
json_list(struct buf *b, const char *key, const struct arf_list *l,
    bool *first)
{
	size_t	 i;

	json_key(b, key, first);
	buf_putc(b, '[');
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			buf_putc(b, ',');
		json_cstr(b, l->v[i]);
	}
	buf_putc(b, ']');
}

static enum token_role
sig_role(const struct arf_cmd *ac, const struct sig_result *sr,
    const char **customer)
{
	*customer = NULL;
	return classify_domain(ac->config, sr->sig.d, customer);
}

static void
json_sigs(struct buf *b, const struct arf_cmd *ac, const struct complaint *c,
    const struct diagnosis *dg, bool *first)
{
	enum token_role	 role;
	const char	*customer;
	size_t		 i;
	bool		 f;

	json_kv_int(b, "signature_count", c->verified ?
	    (int64_t)c->vr.nsigs_total : 0, first);
	json_key(b, "signatures", first);
	buf_putc(b, '[');
	for (i = 0; c->verified && i < c->vr.nsigs; i++) {
		if (i > 0)
			buf_putc(b, ',');
		render_json_sig(b, &c->vr.sigs[i], i + 1,
		    c->vr.msg.has_body, i < dg->nsigs ? &dg->sigs[i] : NULL);
		/* the object's closing brace gives way to the role */
		if (b->len > 0 && b->data[b->len - 1] == '}')
			b->data[--b->len] = '\0';
		role = sig_role(ac, &c->vr.sigs[i], &customer);
		f = false;
		json_kv_str(b, "role", token_role_name(role), &f);
		json_kv_str(b, "customer", customer, &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static void
json_fields(struct buf *b, const struct arf_report *r, bool *first)
{
	json_kv_str(b, "user_agent", r->user_agent, first);
	json_kv_str(b, "version", r->version, first);
	json_kv_str(b, "arrival_date", r->arrival_date, first);
	json_kv_str(b, "source_ip", r->source_ip, first);
	json_kv_str(b, "source_ip_derived", r->source_ip_derived, first);
	json_kv_str(b, "original_mail_from", r->original_mail_from, first);
	json_list(b, "original_rcpt_to", &r->original_rcpt_to, first);
	json_list(b, "reported_uri", &r->reported_uri, first);
	json_kv_str(b, "reporting_mta", r->reporting_mta, first);
	json_kv_str(b, "incidents", r->incidents, first);
	json_kv_str(b, "original_envelope_id", r->original_envelope_id,
	    first);
	json_kv_str(b, "authentication_results", r->authentication_results,
	    first);
	json_kv_str(b, "auth_failure", r->auth_failure, first);
	json_kv_str(b, "delivery_result", r->delivery_result, first);
	json_kv_str(b, "dkim_domain", r->dkim_domain, first);
	json_kv_str(b, "dkim_identity", r->dkim_identity, first);
	json_kv_str(b, "dkim_selector", r->dkim_selector, first);
	json_kv_str(b, "dkim_canonicalized_header",
	    r->dkim_canonicalized_header, first);
	json_kv_str(b, "dkim_canonicalized_body", r->dkim_canonicalized_body,
	    first);
	json_kv_str(b, "identity_alignment", r->identity_alignment, first);
	json_kv_str(b, "source", r->source, first);
	json_kv_bool(b, "recipient_redacted", r->recipient_redacted, first);
	json_kv_str(b, "report_from_domain", r->report_from_domain, first);
	json_kv_str(b, "report_date", r->report_date, first);
}

/* A yes (1), no (0) or unknown (< 0, null) answer. */
static void
json_kv_maybe(struct buf *b, const char *key, int v, bool *first)
{
	if (v < 0)
		json_kv_null(b, key, first);
	else
		json_kv_bool(b, key, v == 1, first);
}

static void
render_arf_json(struct buf *b, const struct arf_cmd *ac, const char *file,
    const struct complaint *c, const struct diagnosis *dg)
{
	const struct arf_report *r = &c->report;
	bool	 first = true;

	buf_putc(b, '{');
	json_kv_str(b, "file", file, &first);
	json_kv_str(b, "kind", arf_kind_name(r->kind), &first);
	json_kv_bool(b, "complaint", r->complaint, &first);
	json_kv_str(b, "decided", r->decided, &first);
	json_list(b, "deviations", &r->deviations, &first);
	json_kv_str(b, "feedback_type", r->feedback_type, &first);
	json_kv_str(b, "reporter", r->reporter, &first);
	json_kv_str(b, "original", r->complaint ?
	    arf_original_name(r->original_form) : NULL, &first);
	json_kv_maybe(b, "original_has_dkim", r->complaint ?
	    r->original_has_dkim : -1, &first);
	json_kv_maybe(b, "original_has_body", r->complaint ?
	    r->original_has_body : -1, &first);
	json_kv_int(b, "original_bytes", (int64_t)r->original_len, &first);
	json_list(b, "reported_domain", &r->reported_domain, &first);
	json_fields(b, r, &first);
	json_kv_int(b, "verified_at", c->now, &first);
	json_kv_str(b, "clock", c->clock, &first);
	/* is the Source-IP one of the ESP's sending networks? */
	json_kv_maybe(b, "source_ip_ours", r->source_ip != NULL ?
	    classify_source_ip(ac->config, r->source_ip) : -1, &first);
	/* RFC 9477: is the CFBL-Feedback-ID under a valid signature? */
	json_kv_maybe(b, "cfbl_signed", c->verified ?
	    record_cfbl_signed(&c->vr.msg, &c->vr) : -1, &first);
	json_kv_maybe(b, "reporter_verified_dkim", r->complaint ?
	    record_reporter_verified_dkim(r->reporter) : -1, &first);
	json_sigs(b, ac, c, dg, &first);
	if (ac->explain)
		json_kv_bool(b, "diagnosis_cut", dg->cut, &first);
	buf_puts(b, "}\n");
}

/* --- text ----------------------------------------------------------------- */

static void
text_kv(struct buf *b, const char *key, const char *v)
{
	if (v == NULL)
		return;
	buf_printf(b, "  %s: ", key);
	buf_put_safe(b, v);
	buf_putc(b, '\n');
}

static void
text_list(struct buf *b, const char *key, const struct arf_list *l)
{
	size_t	 i;

	if (l->n == 0)
		return;
	buf_printf(b, "  %s: ", key);
	for (i = 0; i < l->n; i++) {
		if (i > 0)
			buf_puts(b, ", ");
		buf_put_safe(b, l->v[i]);
	}
	buf_putc(b, '\n');
}

static void
text_fields(struct buf *b, const struct arf_report *r)
{
	text_kv(b, "User-Agent", r->user_agent);
	text_kv(b, "Version", r->version);
	text_kv(b, "Arrival-Date", r->arrival_date);
	text_kv(b, "Source-IP", r->source_ip);
	text_kv(b, "Source-IP derived from", r->source_ip_derived);
	text_kv(b, "Original-Mail-From", r->original_mail_from);
	text_list(b, "Original-Rcpt-To", &r->original_rcpt_to);
	text_list(b, "Reported-Domain", &r->reported_domain);
	text_list(b, "Reported-URI", &r->reported_uri);
	text_kv(b, "Reporting-MTA", r->reporting_mta);
	text_kv(b, "Incidents", r->incidents);
	text_kv(b, "Original-Envelope-Id", r->original_envelope_id);
	text_kv(b, "Authentication-Results", r->authentication_results);
	text_kv(b, "Auth-Failure", r->auth_failure);
	text_kv(b, "Delivery-Result", r->delivery_result);
	text_kv(b, "DKIM-Domain", r->dkim_domain);
	text_kv(b, "DKIM-Identity", r->dkim_identity);
	text_kv(b, "DKIM-Selector", r->dkim_selector);
	text_kv(b, "Source", r->source);
}

static void
text_sigs(struct buf *b, const struct arf_cmd *ac, const struct complaint *c)
{
	const char	*customer;
	size_t		 i;

	if (!c->verified)
		return;
	if (c->vr.nsigs_total == 0)
		buf_puts(b, "  signatures: none\n");
	for (i = 0; i < c->vr.nsigs; i++) {
		const struct sig_result *sr = &c->vr.sigs[i];

		buf_printf(b, "  signature %zu: d=", i + 1);
		buf_put_safe(b, sr->sig.d);
		buf_puts(b, " s=");
		buf_put_safe(b, sr->sig.s);
		buf_printf(b, ": %s (%s) ", dkim_result_name(sr->result),
		    dkim_reason_name(sr->reason));
		buf_put_safe(b, buf_cstr(&sr->detail));
		buf_printf(b, "; role %s", token_role_name(sig_role(ac, sr,
		    &customer)));
		if (customer != NULL) {
			buf_puts(b, " (");
			buf_put_safe(b, customer);
			buf_putc(b, ')');
		}
		buf_putc(b, '\n');
	}
	if (c->vr.nsigs_total > c->vr.nsigs)
		buf_printf(b, "  %zu more signatures not verified\n",
		    c->vr.nsigs_total - c->vr.nsigs);
}

/* What the reporter and the sender's own marks add to the verdicts. */
static void
text_notes(struct buf *b, const struct complaint *c)
{
	const struct arf_report *r = &c->report;
	size_t	 i;
	int	 cfbl;

	if (!c->verified)
		return;
	if ((cfbl = record_cfbl_signed(&c->vr.msg, &c->vr)) >= 0)
		buf_printf(b, "  CFBL-Feedback-ID: %s\n", cfbl ? "covered by a "
		    "valid aligned signature (RFC 9477)" : "NOT covered by a "
		    "valid aligned signature: not to be trusted (RFC 9477)");
	if (!r->complaint || !record_reporter_verified_dkim(r->reporter))
		return;
	for (i = 0; i < c->vr.nsigs; i++) {
		if (c->vr.sigs[i].result == DKIM_RESULT_FAIL ||
		    c->vr.sigs[i].result == DKIM_RESULT_PERMERROR) {
			buf_puts(b, "  note: this reporter forwards only mail "
			    "whose DKIM verified on arrival: a failure here is "
			    "a rotated key or damage, not a forgery\n");
			return;
		}
	}
}

static void
render_arf_text(struct buf *b, const struct arf_cmd *ac, const char *file,
    const struct complaint *c)
{
	const struct arf_report *r = &c->report;
	size_t	 i;
	char	 at[21];

	buf_put_safe(b, file);
	buf_printf(b, ": %s%s", arf_kind_name(r->kind),
	    r->complaint ? " (complaint)" : "");
	if (r->feedback_type != NULL) {
		buf_puts(b, ", Feedback-Type ");
		buf_put_safe(b, r->feedback_type);
	}
	if (r->complaint) {
		buf_puts(b, ", reporter ");
		buf_put_safe(b, r->reporter != NULL ? r->reporter : "unknown");
	}
	buf_puts(b, "\n  decided: ");
	buf_put_safe(b, r->decided);
	buf_putc(b, '\n');
	if (r->deviations.n > 0) {
		buf_puts(b, "  deviations:");
		for (i = 0; i < r->deviations.n; i++) {
			buf_putc(b, ' ');
			buf_put_safe(b, r->deviations.v[i]);
		}
		buf_putc(b, '\n');
	}
	text_fields(b, r);
	if (r->complaint)
		buf_printf(b, "  original: %s, %zu bytes%s%s\n",
		    arf_original_name(r->original_form), r->original_len,
		    r->original_has_dkim ? ", has DKIM-Signature" : "",
		    r->recipient_redacted ? ", recipient redacted" : "");
	if (c->verified) {
		date_format_time(c->now, at);
		buf_printf(b, "  verified as of %s (%s)\n", at, c->clock);
	}
	text_sigs(b, ac, c);
	text_notes(b, c);
}

/* --- the command ---------------------------------------------------------- */

/*
 * The record, then with --explain the explanation of the original's
 * signatures: one diagnosis, said by the text or in the JSON objects.
 */
static bool
arf_render(const struct arf_cmd *ac, struct buf *out, const char *file,
    const struct complaint *c)
{
	struct diagnosis	 dg;
	struct render_extra	 ex;

	memset(&dg, 0, sizeof(dg));
	memset(&ex, 0, sizeof(ex));
	if (ac->explain && c->verified && !diagnosis_make(&dg, &c->vr)) {
		diagnosis_free(&dg);
		return false;
	}
	if (ac->format == ARF_FMT_JSON)
		render_arf_json(out, ac, file, c, &dg);
	else
		render_arf_text(out, ac, file, c);
	if (ac->explain && c->verified && ac->format == ARF_FMT_TEXT) {
		ex.dg = &dg;
		ex.inner_kind = c->report.kind == ARF_KIND_ARF ? "ARF" :
		    c->report.complaint ? "complaint" : NULL;
		ex.inner_form = arf_original_name(c->report.original_form);
		buf_putc(out, '\n');
		explain_render(out, file, &c->vr, &ex);
	}
	diagnosis_free(&dg);
	return true;
}

/* One message's output, held until the messages before it are out. */
struct arf_out {
	struct buf	 text;		/* standard output */
	struct buf	 err;		/* standard error */
	int		 status;
};

static void
arf_file(const struct arf_cmd *ac, const char *file, struct buf *raw,
    struct arf_out *o)
{
	struct complaint c;

	o->status = 2;
	if (!file_read(file, CLI_MAX_MESSAGE, raw, &o->err)) {
		buf_putc(&o->err, '\n');
		return;
	}
	if (!complaint_make(&c, &ac->vo, ac->have_at, raw->data, raw->len)) {
		buf_printf(&o->err, "%s: out of memory\n", file);
		return;
	}
	o->status = c.report.kind == ARF_KIND_UNPARSEABLE ? 1 : 0;
	if (!arf_render(ac, &o->text, file, &c) || !buf_ok(&o->text)) {
		buf_printf(&o->err, "%s: out of memory\n", file);
		o->status = 2;
	}
	complaint_free(&c);
}

static void
arf_work(void *arg, size_t idx, size_t slot, unsigned worker)
{
	struct arf_cmd	*ac = arg;

	arf_file(ac, ac->files[idx], &ac->raw[worker], &ac->out[slot]);
}

static void
arf_done(void *arg, size_t idx, size_t slot)
{
	struct arf_cmd	*ac = arg;
	struct arf_out	*o = &ac->out[slot];

	(void)idx;
	if (o->status < 2)
		fwrite(o->text.data, 1, o->text.len, stdout);
	if (o->err.len > 0)
		fprintf(stderr, "fblscope arf: %s", buf_cstr(&o->err));
	if (o->status > ac->status)
		ac->status = o->status;
	buf_free(&o->text);
	buf_free(&o->err);
}

/* Every message, --jobs at a time (base/jobs.h), out in input order. */
static int
arf_run(struct arf_cmd *ac)
{
	struct jobs	 j;
	unsigned	 i;

	memset(&j, 0, sizeof(j));
	j.n = ac->nfiles;
	j.threads = ac->jobs;
	j.window = (size_t)ac->jobs * 16;
	j.arg = ac;
	j.work = arf_work;
	j.done = arf_done;
	if ((ac->out = calloc(j.window, sizeof(*ac->out))) == NULL ||
	    (ac->raw = calloc(ac->jobs, sizeof(*ac->raw))) == NULL) {
		free(ac->out);
		fputs("fblscope arf: out of memory\n", stderr);
		return 2;
	}
	jobs_run(&j);
	for (i = 0; i < ac->jobs; i++)
		buf_free(&ac->raw[i]);
	free(ac->raw);
	free(ac->out);
	return ac->status;
}

static int
arf_usage_error(const char *msg)
{
	return cli_usage_error("arf", arf_usage, msg);
}

/* Options; returns -1 to go on, else the exit status. */
static int
arf_options(int argc, char **argv, struct arf_cmd *ac, struct cli_keys *keys)
{
	struct buf	 err = BUF_INIT;
	int		 ch;

	optind = 1;
	while ((ch = cli_getopt(argc, argv, arf_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(arf_usage, stdout);
			return 0;
		case OPT_FORMAT:
			if (strcmp(optarg, "json") == 0)
				ac->format = ARF_FMT_JSON;
			else if (strcmp(optarg, "text") == 0)
				ac->format = ARF_FMT_TEXT;
			else
				return arf_usage_error("--format: want text "
				    "or json");
			break;
		case CLI_OPT_CONFIG:
			ac->config_path = optarg;
			break;
		case CLI_OPT_JOBS:
			if (!cli_jobs_option(optarg, &ac->jobs, &err))
				return cli_usage_fail("arf", arf_usage, &err);
			break;
		case OPT_EXPLAIN:
			ac->explain = true;
			ac->vo.keep_trace = true;
			break;
		default:
			if (!cli_shared_option(keys, &ac->vo.now, ch, optarg,
			    &err))
				return cli_usage_fail("arf", arf_usage, &err);
			/* --at: one clock for every message */
			if (ch == CLI_OPT_AT)
				ac->have_at = true;
		}
	}
	if (optind >= argc)
		return arf_usage_error("no message given (a file, or - for "
		    "standard input)");
	return -1;
}

int
cmd_arf(int argc, char **argv)
{
	struct arf_cmd	 ac;
	struct cli_keys	 keys;
	struct buf	 err = BUF_INIT;
	int		 st, status;

	memset(&ac, 0, sizeof(ac));
	ac.jobs = 1;
	cli_keys_init(&keys);
	ac.vo.now = (int64_t)time(NULL);
	ac.vo.skew = VERIFY_DEFAULT_SKEW;
	if ((st = arf_options(argc, argv, &ac, &keys)) >= 0)
		return st;
	if ((ac.config = config_find(ac.config_path, CONFIG_OPTIONAL,
	    &err)) == NULL && err.len > 0) {
		fprintf(stderr, "fblscope arf: %s\n", buf_cstr(&err));
		buf_free(&err);
		return 2;
	}
	ac.vo.dns_budget_ms = keys.dns_budget_ms;
	if ((ac.vo.keys = cli_keys_open(&keys, &err)) == NULL) {
		fprintf(stderr, "fblscope arf: %s\n", buf_cstr(&err));
		buf_free(&err);
		config_free(ac.config);
		return 2;
	}
	ac.files = argv + optind;
	ac.nfiles = (size_t)(argc - optind);
	status = arf_run(&ac);
	fflush(stdout);
	key_source_free(ac.vo.keys);
	config_free(ac.config);
	buf_free(&err);
	return status;
}

int
cmd_verify_reports(int argc, char **argv)
{
	return cmd_verify_with(argc, argv, &complaint_unwrap);
}
