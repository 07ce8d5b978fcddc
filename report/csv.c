/* SPDX-License-Identifier: ISC */
/*
 * csv: the report as CSV sections (RFC 4180, CRLF-free: LF line ends).
 * Each section is a header line whose first field is "section", then rows
 * whose first field is the section's name, then one blank line; so
 * `grep '^customer,'` gives a section's rows.  docs/fblscope.1 lists them.
 * Unknown values (a rate without volume) are empty fields.  A text cell
 * that a spreadsheet would take for a formula starts with an apostrophe.
 */
#include <stdbool.h>
#include <string.h>

#include "report/changes.h"
#include "report/csv.h"
#include "report/render.h"

/*
 * A cell a spreadsheet would run as a formula: one that begins with = + -
 * or @, or with a TAB or CR before them.  Names in the report (tokens,
 * reporters, selectors, DNS details) come from mail and DNS that anyone
 * writes, so such a cell gets a leading apostrophe (OWASP's advice), which
 * the spreadsheet shows as text.
 */
static bool
formula_like(const char *s)
{
	return s[0] != '\0' && strchr("=+-@\t\r", s[0]) != NULL;
}

static void
field(struct buf *b, const char *s)
{
	size_t	 i;
	bool	 formula = formula_like(s);

	buf_putc(b, ',');
	if (!formula && strpbrk(s, ",\"\r\n") == NULL) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '"');
	if (formula)
		buf_putc(b, '\'');
	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '"')
			buf_putc(b, '"');
		buf_putc(b, s[i]);
	}
	buf_putc(b, '"');
}

/* The n text fields of v, in order: the names a row starts with. */
static void
fields(struct buf *b, const char *const *v, size_t n)
{
	size_t	 i;

	for (i = 0; i < n; i++)
		field(b, v[i]);
}

static void
num(struct buf *b, int64_t n)
{
	buf_printf(b, ",%lld", (long long)n);
}

static void
rate(struct buf *b, double r)
{
	if (r >= 0)
		buf_printf(b, ",%.9g", r);
	else
		buf_putc(b, ',');
}

/* The helpers above, for csv_views.c (csv.h). */
void
report_csv_field(struct buf *b, const char *s)
{
	field(b, s);
}

void
report_csv_num(struct buf *b, int64_t n)
{
	num(b, n);
}

void
report_csv_rate(struct buf *b, double r)
{
	rate(b, r);
}

static void
meta(struct buf *b, const struct report_model *m)
{
	struct buf	 o = BUF_INIT;

	buf_puts(b, "section,day,timezone,customer,short_start,long_start,"
	    "long_days,flag_rate,alarm_rate,recovery_days,rotation_months,"
	    "volume_known,only,customers_hidden\nreport");
	field(b, m->p.day);
	field(b, m->p.timezone);
	field(b, m->p.customer != NULL ? m->p.customer : "");
	field(b, m->start[RW_SHORT]);
	field(b, m->start[RW_LONG]);
	num(b, m->len[RW_LONG]);
	rate(b, m->p.flag_rate);
	rate(b, m->p.alarm_rate);
	num(b, REPORT_RECOVERY_DAYS);
	num(b, m->p.rotation_months);
	buf_puts(b, m->volume_known ? ",yes" : ",no");
	report_only_names(m->p.only, &o);
	field(b, buf_cstr(&o));
	num(b, (int64_t)m->nhidden);
	buf_puts(b, "\n\n");
	if (!buf_ok(&o))
		b->oom = true;
	buf_free(&o);
}

/* ",window,complaints,...\n": the figures of window k. */
static void
fig_cols(struct buf *b, int k, const struct report_fig *f)
{
	int	 c;

	field(b, report_window_names[k]);
	num(b, f->complaints);
	if (f->prev_known)	/* else the period before is not known */
		num(b, f->prev);
	else
		buf_putc(b, ',');
	num(b, f->rated);
	if (f->has_volume)
		num(b, f->volume);
	else
		buf_putc(b, ',');
	rate(b, report_fig_rate(f, false));
	rate(b, report_fig_rate(f, true));
	for (c = 1; c < FC_N; c++)
		num(b, f->cls[c]);
	buf_putc(b, '\n');
}

#define FIG_COLS "window,complaints,previous,rated,volume,rate," \
	"previous_rate,opt_out,not_spam,auth_failure,other\n"

static void
customers(struct buf *b, const struct report_model *m)
{
	const struct report_customer	*c;
	struct buf			 extra = BUF_INIT;
	size_t				 i, j;
	int				 k;

	buf_puts(b, "section,customer,reporter,level,recover_days," FIG_COLS);
	for (i = 0; i < m->ncustomers; i++) {
		c = &m->customers[i];
		buf_reset(&extra);
		buf_printf(&extra, ",%s,%d", report_level_names[c->level],
		    c->recover_days);
		for (j = 0; j <= c->nisps; j++)
			for (k = 0; k < RW_N; k++) {
				buf_puts(b, "customer");
				field(b, c->id);
				field(b, j == 0 ? "*" :
				    c->isps[j - 1].reporter);
				buf_puts(b, buf_cstr(&extra));
				fig_cols(b, k, j == 0 ? &c->w[k] :
				    &c->isps[j - 1].w[k]);
			}
	}
	if (!buf_ok(&extra))
		b->oom = true;
	buf_free(&extra);
	buf_putc(b, '\n');
}

static void
tokens_auth(struct buf *b, const struct report_model *m)
{
	const struct report_customer	*c;
	size_t				 i, j;
	int				 k, a;

	buf_puts(b, "section,customer,token,window,complaints\n");
	for (i = 0; i < m->ncustomers; i++) {
		c = &m->customers[i];
		for (j = 0; j < c->ntokens; j++)
			for (k = 0; k < RW_N; k++) {
				buf_puts(b, "customer_token");
				field(b, c->id);
				field(b, c->tokens[j].token);
				field(b, report_window_names[k]);
				num(b, c->tokens[j].complaints[k]);
				buf_putc(b, '\n');
			}
	}
	buf_puts(b, "\nsection,customer,window");
	for (a = 0; a < AU_N; a++)
		field(b, report_auth_names[a]);
	buf_putc(b, '\n');
	for (i = 0; i < m->ncustomers; i++)
		for (k = 0; k < RW_N; k++) {
			buf_puts(b, "authenticity");
			field(b, m->customers[i].id);
			field(b, report_window_names[k]);
			for (a = 0; a < AU_N; a++)
				num(b, m->customers[i].auth[k][a]);
			buf_putc(b, '\n');
		}
	buf_putc(b, '\n');
}

static void
esp(struct buf *b, const struct report_model *m)
{
	const struct report_esp	*e = &m->esp;
	struct buf		 extra = BUF_INIT;
	size_t			 i;
	int			 k;

	buf_puts(b, "section,tokens,reporter,all_complaints,carried,verified,"
	    FIG_COLS);
	for (i = 0; i < e->ntokens; i++)
		buf_printf(&extra, "%s%s", i > 0 ? " " : "", e->tokens[i]);
	for (k = 0; k < RW_N; k++) {
		buf_puts(b, "esp");
		field(b, buf_cstr(&extra));
		field(b, "*");
		num(b, e->total[k]);
		num(b, e->carried[k]);
		num(b, e->verified[k]);
		fig_cols(b, k, &e->w[k]);
	}
	for (i = 0; i < e->nisps; i++)
		for (k = 0; k < RW_N; k++) {
			buf_puts(b, "esp");
			field(b, buf_cstr(&extra));
			field(b, e->isps[i].reporter);
			buf_puts(b, ",,,");
			fig_cols(b, k, &e->isps[i].w[k]);
		}
	if (!buf_ok(&extra))
		b->oom = true;
	buf_free(&extra);
	buf_putc(b, '\n');
}

static void
unattributed(struct buf *b, const struct report_model *m)
{
	const struct report_unattributed *u = &m->unattributed;
	int				 k, r;

	buf_puts(b, "section,window,complaints");
	for (r = 0; r < UR_N; r++)
		field(b, report_unattributed_names[r]);
	buf_putc(b, '\n');
	for (k = 0; k < RW_N; k++) {
		buf_puts(b, "unattributed");
		field(b, report_window_names[k]);
		num(b, u->complaints[k]);
		for (r = 0; r < UR_N; r++)
			num(b, u->reason[r][k]);
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

static void
verifs(struct buf *b, const char *section, const struct report_verif *v,
    size_t n)
{
	size_t	 i, k;

	buf_puts(b, "section,token,role,customer,signatures,verified,"
	    "headers_only,share,result,reason,count\n");
	for (i = 0; i < n; i++) {
		buf_puts(b, section);
		field(b, v[i].token);
		field(b, v[i].role);
		field(b, v[i].customer_id);
		num(b, v[i].signatures);
		num(b, v[i].verified);
		num(b, v[i].headers_only);
		rate(b, report_verif_share(&v[i]));
		buf_printf(b, ",pass,ok,%lld\n", (long long)v[i].verified);
		for (k = 0; k < v[i].nreasons; k++) {
			buf_puts(b, section);
			field(b, v[i].token);
			field(b, v[i].role);
			field(b, v[i].customer_id);
			buf_puts(b, ",,,,");
			field(b, v[i].reasons[k].result);
			field(b, v[i].reasons[k].reason);
			num(b, v[i].reasons[k].n);
			buf_putc(b, '\n');
		}
	}
	buf_putc(b, '\n');
}

/* The health groups of the complaint signatures, and the failure rate. */
static void
health(struct buf *b, const struct report_model *m)
{
	int	 k;

	buf_puts(b, "section,group,signatures\n");
	for (k = 0; k < RH_N; k++) {
		buf_puts(b, "verification_health");
		field(b, report_health_names[k]);
		num(b, m->health[k]);
		buf_putc(b, '\n');
	}
	buf_puts(b, "\nsection,failure_rate\nverification_failure_rate");
	rate(b, report_health_failure_rate(m->health));
	buf_puts(b, "\n\n");
}

/* Why failed signatures failed: one row per token and cause. */
static void
causes(struct buf *b, const char *section, const struct report_verif *v,
    size_t n)
{
	size_t	 i, k;

	buf_puts(b, "section,token,role,customer,class,field,count\n");
	for (i = 0; i < n; i++)
		for (k = 0; k < v[i].ncauses; k++) {
			buf_puts(b, section);
			field(b, v[i].token);
			field(b, v[i].role);
			field(b, v[i].customer_id);
			field(b, v[i].causes[k].diagnosis);
			field(b, v[i].causes[k].field);
			num(b, v[i].causes[k].n);
			buf_putc(b, '\n');
		}
	buf_putc(b, '\n');
}

/* The classes of the complaint signatures (report_verif_class). */
static void
verif_mix(struct buf *b, const struct report_model *m)
{
	int	 k;

	buf_puts(b, "section,class,signatures\n");
	for (k = 0; k < VC_N; k++) {
		buf_puts(b, "verification_mix");
		field(b, report_verif_class_names[k]);
		num(b, m->verif_mix[k]);
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

static void
key_row(struct buf *b, const struct report_key *k)
{
	const char *const names[] = { k->token, k->role, k->customer_id,
	    k->selector, k->algorithm };

	buf_puts(b, "key");
	fields(b, names, sizeof(names) / sizeof(names[0]));
	buf_printf(b, ",%s,%d,%s", report_key_source_names[k->source],
	    k->key_bits, k->testing ? "yes" : "no");
	num(b, k->signatures);
	field(b, k->first_day);
	field(b, k->last_day);
	if (k->age_months >= 0)
		buf_printf(b, ",%04d-%02d,%d", k->sel_year, k->sel_month,
		    k->age_months);
	else
		buf_puts(b, ",,");
	buf_printf(b, ",%s,%s,%s\n", k->past_rotation ? "yes" : "no",
	    k->sha1 ? "yes" : "no", k->small_key ? "yes" : "no");
}

static void
keys(struct buf *b, const struct report_model *m)
{
	size_t	 i;

	buf_puts(b, "section,token,role,customer,selector,algorithm,"
	    "key_source,key_bits,testing,signatures,first_day,last_day,"
	    "selector_month,age_months,past_rotation,sha1,small_key\n");
	for (i = 0; i < m->nkeys; i++)
		key_row(b, &m->keys[i]);
	buf_putc(b, '\n');
}

static void
unknown(struct buf *b, const struct report_model *m)
{
	size_t	 i;

	buf_puts(b, "section,token,role,signatures,verified,last_day\n");
	for (i = 0; i < m->nunknown; i++) {
		buf_puts(b, "unknown_token");
		field(b, m->unknown[i].token);
		field(b, m->unknown[i].role);
		num(b, m->unknown[i].signatures);
		num(b, m->unknown[i].verified);
		field(b, m->unknown[i].last_day);
		buf_putc(b, '\n');
	}
}

static void
dns_domain_row(struct buf *b, const struct report_dns_domain *d)
{
	const char *const names[] = { d->domain, d->customer_id, d->role,
	    d->mode, d->as_of, d->status };

	buf_puts(b, "dns_domain");
	fields(b, names, sizeof(names) / sizeof(names[0]));
	num(b, d->warn);
	num(b, d->fail);
	num(b, d->temp);
	buf_putc(b, '\n');
}

static void
dns_problem_row(struct buf *b, const struct report_dns_problem *p)
{
	const char *const names[] = { p->domain, p->customer_id, p->check,
	    p->subject, p->server, p->status, p->reason, p->detail,
	    p->first_seen };

	buf_puts(b, "dns_problem");
	fields(b, names, sizeof(names) / sizeof(names[0]));
	num(b, p->days_open);
	buf_putc(b, '\n');
}

static void
dns(struct buf *b, const struct report_model *m)
{
	size_t	 i;

	buf_puts(b, "\nsection,domain,customer_id,role,mode,audited,status,"
	    "warn,fail,temp\n");
	for (i = 0; i < m->ndns; i++)
		dns_domain_row(b, &m->dns[i]);
	buf_puts(b, "\nsection,domain,customer_id,check,subject,server,status,"
	    "reason,detail,first_seen,days_open\n");
	for (i = 0; i < m->ndns_problems; i++)
		dns_problem_row(b, &m->dns_problems[i]);
}

/* The first panel (report/changes.h), most severe first. */
static void
changes(struct buf *b, const struct report_model *m)
{
	const struct report_change *c;
	size_t	 i;

	buf_puts(b, "section,kind,severity,subject,detail,count,before,"
	    "days\n");
	for (i = 0; i < m->nchanges; i++) {
		c = &m->changes[i];
		buf_puts(b, "change");
		field(b, report_change_names[c->kind]);
		field(b, report_severity_names[c->severity]);
		field(b, c->subject);
		field(b, c->detail);
		num(b, c->count);
		num(b, c->before);
		num(b, c->days);
		buf_putc(b, '\n');
	}
	buf_putc(b, '\n');
}

bool
report_render_csv(struct buf *b, const struct report_model *m)
{
	meta(b, m);
	changes(b, m);
	customers(b, m);
	tokens_auth(b, m);
	esp(b, m);
	unattributed(b, m);
	verifs(b, "verification", m->verif, m->nverif);
	causes(b, "failure_cause", m->verif, m->nverif);
	verif_mix(b, m);
	health(b, m);
	verifs(b, "sample", m->samples, m->nsamples);
	causes(b, "sample_failure_cause", m->samples, m->nsamples);
	keys(b, m);
	unknown(b, m);
	dns(b, m);
	report_csv_views(b, m);
	return report_render_end(b);
}
