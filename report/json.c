/* SPDX-License-Identifier: ISC */
/*
 * json: the report as one JSON document (docs/report-json.md, validated
 * by docs/report.schema.json).  Unknown rates are null, never NaN.
 */
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "report/changes.h"
#include "report/json.h"
#include "report/render.h"

#define REPORT_JSON_VERSION	1

static void
kv_rate(struct buf *b, const char *key, double rate, bool *first)
{
	if (rate < 0) {
		json_kv_null(b, key, first);
		return;
	}
	json_key(b, key, first);
	buf_printf(b, "%.9g", rate);
}

static void
fig(struct buf *b, const struct report_fig *f)
{
	int64_t	 change;
	bool	 first = true, cf = true;
	int	 c;

	buf_putc(b, '{');
	json_kv_int(b, "complaints", f->complaints, &first);
	if (report_fig_change(f, &change)) {
		json_kv_int(b, "previous", f->prev, &first);
		json_kv_int(b, "change", change, &first);
	} else {
		json_kv_null(b, "previous", &first);
		json_kv_null(b, "change", &first);
	}
	json_kv_int(b, "rated", f->rated, &first);
	if (f->has_volume)
		json_kv_int(b, "volume", f->volume, &first);
	else
		json_kv_null(b, "volume", &first);
	kv_rate(b, "rate", report_fig_rate(f, false), &first);
	kv_rate(b, "previous_rate", report_fig_rate(f, true), &first);
	json_key(b, "classes", &first);
	buf_putc(b, '{');
	for (c = 0; c < FC_N; c++)
		json_kv_int(b, report_class_names[c], f->cls[c], &cf);
	buf_puts(b, "}}");
}

static void
figs(struct buf *b, const char *key, const struct report_fig *w, bool *first)
{
	bool	 wf = true;
	int	 k;

	json_key(b, key, first);
	buf_putc(b, '{');
	for (k = 0; k < RW_N; k++) {
		json_key(b, report_window_names[k], &wf);
		fig(b, &w[k]);
	}
	buf_putc(b, '}');
}

static void
counts(struct buf *b, const char *key, const int64_t *v, bool *first)
{
	bool	 wf = true;
	int	 k;

	json_key(b, key, first);
	buf_putc(b, '{');
	for (k = 0; k < RW_N; k++)
		json_kv_int(b, report_window_names[k], v[k], &wf);
	buf_putc(b, '}');
}

/* The helpers above, for json_views.c (json.h). */
void
report_json_rate(struct buf *b, const char *key, double rate, bool *first)
{
	kv_rate(b, key, rate, first);
}

void
report_json_counts(struct buf *b, const char *key, const int64_t *v,
    bool *first)
{
	counts(b, key, v, first);
}

static void
isps(struct buf *b, const struct report_isp *v, size_t n, bool *first)
{
	size_t	 i;
	bool	 f;

	json_key(b, "isps", first);
	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		f = true;
		buf_puts(b, i > 0 ? ",{" : "{");
		json_kv_str(b, "reporter", v[i].reporter, &f);
		figs(b, "windows", v[i].w, &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

/* "only": the levels --only kept, or null; "customers_hidden": the rest. */
static void
only(struct buf *b, const struct report_model *m, bool *first)
{
	int	 l;
	bool	 f = true;

	json_key(b, "only", first);
	if (m->p.only == 0)
		buf_puts(b, "null");
	else {
		buf_putc(b, '[');
		for (l = LEVEL_N - 1; l >= 0; l--)
			if (m->p.only & (1u << l)) {
				if (!f)
					buf_putc(b, ',');
				json_str(b, report_level_names[l],
				    strlen(report_level_names[l]));
				f = false;
			}
		buf_putc(b, ']');
	}
	json_kv_uint(b, "customers_hidden", m->nhidden, first);
}

static void
meta(struct buf *b, const struct report_model *m, bool *first)
{
	bool	 f = true, wf;
	int	 k;

	json_kv_str(b, "generator", "fblscope", first);
	json_kv_int(b, "version", REPORT_JSON_VERSION, first);
	json_kv_str(b, "day", m->p.day, first);
	json_kv_str(b, "timezone", m->p.timezone, first);
	if (m->p.customer != NULL)
		json_kv_str(b, "customer", m->p.customer, first);
	else
		json_kv_null(b, "customer", first);
	only(b, m, first);
	json_key(b, "windows", first);
	buf_putc(b, '{');
	for (k = 0; k < RW_N; k++) {
		wf = true;
		json_key(b, report_window_names[k], &f);
		buf_putc(b, '{');
		json_kv_int(b, "days", m->len[k], &wf);
		json_kv_str(b, "start", m->start[k], &wf);
		json_kv_str(b, "end", m->p.day, &wf);
		json_kv_str(b, "previous_start", m->prev_start[k], &wf);
		json_kv_str(b, "previous_end", m->prev_end[k], &wf);
		buf_putc(b, '}');
	}
	buf_putc(b, '}');
	json_key(b, "thresholds", first);
	f = true;
	buf_putc(b, '{');
	kv_rate(b, "flag_rate", m->p.flag_rate, &f);
	kv_rate(b, "alarm_rate", m->p.alarm_rate, &f);
	json_kv_int(b, "recovery_days", REPORT_RECOVERY_DAYS, &f);
	json_kv_int(b, "rotation_months", m->p.rotation_months, &f);
	buf_putc(b, '}');
	json_kv_bool(b, "volume_known", m->volume_known, first);
}

static void
customer(struct buf *b, const struct report_customer *c)
{
	bool	 f = true, tf, af;
	size_t	 i;
	int	 k, a;

	buf_putc(b, '{');
	json_kv_str(b, "id", c->id, &f);
	json_kv_str(b, "level", report_level_names[c->level], &f);
	json_kv_int(b, "recover_days", c->recover_days, &f);
	kv_rate(b, "day_rate", c->day_rate, &f);
	figs(b, "windows", c->w, &f);
	isps(b, c->isps, c->nisps, &f);
	json_key(b, "tokens", &f);
	buf_putc(b, '[');
	for (i = 0; i < c->ntokens; i++) {
		tf = true;
		buf_puts(b, i > 0 ? ",{" : "{");
		json_kv_str(b, "token", c->tokens[i].token, &tf);
		counts(b, "complaints", c->tokens[i].complaints, &tf);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_key(b, "authenticity", &f);
	tf = true;
	buf_putc(b, '{');
	for (k = 0; k < RW_N; k++) {
		json_key(b, report_window_names[k], &tf);
		af = true;
		buf_putc(b, '{');
		for (a = 0; a < AU_N; a++)
			json_kv_int(b, report_auth_names[a], c->auth[k][a],
			    &af);
		buf_putc(b, '}');
	}
	buf_puts(b, "}}");
}

static void
esp(struct buf *b, const struct report_esp *e, bool *first)
{
	bool	 f = true;
	size_t	 i;

	json_key(b, "esp", first);
	buf_putc(b, '{');
	json_key(b, "tokens", &f);
	buf_putc(b, '[');
	for (i = 0; i < e->ntokens; i++) {
		if (i > 0)
			buf_putc(b, ',');
		json_cstr(b, e->tokens[i]);
	}
	buf_putc(b, ']');
	figs(b, "windows", e->w, &f);
	counts(b, "all_complaints", e->total, &f);
	counts(b, "carried", e->carried, &f);
	counts(b, "verified", e->verified, &f);
	isps(b, e->isps, e->nisps, &f);
	buf_putc(b, '}');
}

static void
unattributed(struct buf *b, const struct report_unattributed *u,
    bool *first)
{
	bool	 f = true, rf = true;
	int	 k;

	json_key(b, "unattributed", first);
	buf_putc(b, '{');
	counts(b, "complaints", u->complaints, &f);
	json_key(b, "reasons", &f);
	buf_putc(b, '{');
	for (k = 0; k < UR_N; k++)
		counts(b, report_unattributed_names[k], u->reason[k], &rf);
	buf_puts(b, "}}");
}

/* "verification_mix": {"pass": N, ...}, the classes of report_verif_class. */
static void
verif_mix(struct buf *b, const struct report_model *m, bool *first)
{
	bool	 f = true;
	int	 k;

	json_key(b, "verification_mix", first);
	buf_putc(b, '{');
	for (k = 0; k < VC_N; k++)
		json_kv_int(b, report_verif_class_names[k], m->verif_mix[k], &f);
	buf_putc(b, '}');
}

/* {"verified": N, ..., "failure_rate": r}: the groups of report_health. */
static void
health(struct buf *b, const char *key, const int64_t h[RH_N], bool *first)
{
	bool	 f = true;
	int	 k;

	json_key(b, key, first);
	buf_putc(b, '{');
	for (k = 0; k < RH_N; k++)
		json_kv_int(b, report_health_names[k], h[k], &f);
	kv_rate(b, "failure_rate", report_health_failure_rate(h), &f);
	buf_putc(b, '}');
}

/* "causes": [{"class": "redacted", "field": null, "count": N}, ...] */
static void
causes(struct buf *b, const struct report_verif *v, bool *first)
{
	const struct report_cause *c;
	bool	 f;
	size_t	 k;

	json_kv_int(b, "failed", v->failed, first);
	json_key(b, "causes", first);
	buf_putc(b, '[');
	for (k = 0; k < v->ncauses; k++) {
		c = &v->causes[k];
		f = true;
		buf_puts(b, k > 0 ? ",{" : "{");
		if (c->diagnosis[0] != '\0')
			json_kv_str(b, "class", c->diagnosis, &f);
		else
			json_kv_null(b, "class", &f);
		if (c->field[0] != '\0')
			json_kv_str(b, "field", c->field, &f);
		else
			json_kv_null(b, "field", &f);
		json_kv_int(b, "count", c->n, &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static void
verifs(struct buf *b, const char *key, const struct report_verif *v,
    size_t n, bool *first)
{
	bool	 f, rf;
	size_t	 i, k;

	json_key(b, key, first);
	buf_putc(b, '[');
	for (i = 0; i < n; i++) {
		f = true;
		buf_puts(b, i > 0 ? ",{" : "{");
		json_kv_str(b, "token", v[i].token, &f);
		json_kv_str(b, "role", v[i].role, &f);
		json_kv_str(b, "customer", v[i].customer_id, &f);
		json_kv_int(b, "signatures", v[i].signatures, &f);
		json_kv_int(b, "verified", v[i].verified, &f);
		json_kv_int(b, "headers_only", v[i].headers_only, &f);
		kv_rate(b, "share", report_verif_share(&v[i]), &f);
		json_key(b, "reasons", &f);
		buf_putc(b, '[');
		for (k = 0; k < v[i].nreasons; k++) {
			rf = true;
			buf_puts(b, k > 0 ? ",{" : "{");
			json_kv_str(b, "result", v[i].reasons[k].result, &rf);
			json_kv_str(b, "reason", v[i].reasons[k].reason, &rf);
			json_kv_int(b, "count", v[i].reasons[k].n, &rf);
			buf_putc(b, '}');
		}
		buf_putc(b, ']');
		causes(b, &v[i], &f);
		health(b, "health", v[i].health, &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static void
key(struct buf *b, const struct report_key *k)
{
	bool	 f = true;

	buf_putc(b, '{');
	json_kv_str(b, "token", k->token, &f);
	json_kv_str(b, "role", k->role, &f);
	json_kv_str(b, "customer", k->customer_id, &f);
	json_kv_str(b, "selector", k->selector, &f);
	json_kv_str(b, "algorithm", k->algorithm, &f);
	json_kv_str(b, "key_source", report_key_source_names[k->source], &f);
	json_kv_int(b, "key_bits", k->key_bits, &f);
	json_kv_bool(b, "testing", k->testing, &f);
	json_kv_int(b, "signatures", k->signatures, &f);
	json_kv_str(b, "first_day", k->first_day, &f);
	json_kv_str(b, "last_day", k->last_day, &f);
	if (k->age_months >= 0) {
		json_key(b, "selector_month", &f);
		buf_printf(b, "\"%04d-%02d\"", k->sel_year, k->sel_month);
		json_kv_int(b, "age_months", k->age_months, &f);
	} else {
		json_kv_null(b, "selector_month", &f);
		json_kv_null(b, "age_months", &f);
	}
	json_kv_bool(b, "past_rotation", k->past_rotation, &f);
	json_kv_bool(b, "sha1", k->sha1, &f);
	json_kv_bool(b, "small_key", k->small_key, &f);
	buf_putc(b, '}');
}

static void
unknown(struct buf *b, const struct report_model *m, bool *first)
{
	bool	 f;
	size_t	 i;

	json_key(b, "unknown_tokens", first);
	buf_putc(b, '[');
	for (i = 0; i < m->nunknown; i++) {
		f = true;
		buf_puts(b, i > 0 ? ",{" : "{");
		json_kv_str(b, "token", m->unknown[i].token, &f);
		json_kv_str(b, "role", m->unknown[i].role, &f);
		json_kv_int(b, "signatures", m->unknown[i].signatures, &f);
		json_kv_int(b, "verified", m->unknown[i].verified, &f);
		json_kv_str(b, "last_day", m->unknown[i].last_day, &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
}

static void
dns(struct buf *b, const struct report_model *m, bool *first)
{
	const struct report_dns_domain	*d;
	const struct report_dns_problem	*p;
	bool				 f, g = true;
	size_t				 i;

	json_key(b, "dns", first);
	buf_putc(b, '{');
	json_key(b, "domains", &g);
	buf_putc(b, '[');
	for (i = 0; i < m->ndns; i++) {
		d = &m->dns[i];
		f = true;
		buf_puts(b, i > 0 ? ",{" : "{");
		json_kv_str(b, "domain", d->domain, &f);
		json_kv_str(b, "customer_id", d->customer_id, &f);
		json_kv_str(b, "role", d->role, &f);
		json_kv_str(b, "mode", d->mode, &f);
		json_kv_str(b, "audited", d->as_of, &f);
		json_kv_str(b, "status", d->status, &f);
		json_kv_int(b, "warn", d->warn, &f);
		json_kv_int(b, "fail", d->fail, &f);
		json_kv_int(b, "temp", d->temp, &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_key(b, "problems", &g);
	buf_putc(b, '[');
	for (i = 0; i < m->ndns_problems; i++) {
		p = &m->dns_problems[i];
		f = true;
		buf_puts(b, i > 0 ? ",{" : "{");
		json_kv_str(b, "domain", p->domain, &f);
		json_kv_str(b, "customer_id", p->customer_id, &f);
		json_kv_str(b, "check", p->check, &f);
		json_kv_str(b, "subject", p->subject, &f);
		json_kv_str(b, "server", p->server, &f);
		json_kv_str(b, "status", p->status, &f);
		json_kv_str(b, "reason", p->reason, &f);
		json_kv_str(b, "detail", p->detail, &f);
		json_kv_str(b, "first_seen", p->first_seen, &f);
		json_kv_int(b, "days_open", p->days_open, &f);
		buf_putc(b, '}');
	}
	buf_puts(b, "]}");
}

/* "changes": the first panel, most severe first (report/changes.h). */
static void
changes(struct buf *b, const struct report_model *m, bool *first)
{
	const struct report_change *c;
	bool	 f;
	size_t	 i;

	json_key(b, "changes", first);
	buf_putc(b, '[');
	for (i = 0; i < m->nchanges; i++) {
		c = &m->changes[i];
		f = true;
		buf_puts(b, i > 0 ? ",{" : "{");
		json_kv_str(b, "kind", report_change_names[c->kind], &f);
		json_kv_str(b, "severity", report_severity_names[c->severity],
		    &f);
		json_kv_str(b, "subject", c->subject, &f);
		json_kv_str(b, "detail", c->detail, &f);
		json_kv_int(b, "count", c->count, &f);
		json_kv_int(b, "before", c->before, &f);
		json_kv_int(b, "days", c->days, &f);
		buf_putc(b, '}');
	}
	buf_putc(b, ']');
	json_kv_uint(b, "changes_left", m->changes_left, first);
}

bool
report_render_json(struct buf *b, const struct report_model *m)
{
	bool	 first = true;
	size_t	 i;

	buf_putc(b, '{');
	meta(b, m, &first);
	changes(b, m, &first);
	json_key(b, "customers", &first);
	buf_putc(b, '[');
	for (i = 0; i < m->ncustomers; i++) {
		if (i > 0)
			buf_putc(b, ',');
		customer(b, &m->customers[i]);
	}
	buf_putc(b, ']');
	esp(b, &m->esp, &first);
	unattributed(b, &m->unattributed, &first);
	verifs(b, "verification", m->verif, m->nverif, &first);
	verif_mix(b, m, &first);
	health(b, "verification_health", m->health, &first);
	verifs(b, "samples", m->samples, m->nsamples, &first);
	json_key(b, "keys", &first);
	buf_putc(b, '[');
	for (i = 0; i < m->nkeys; i++) {
		if (i > 0)
			buf_putc(b, ',');
		key(b, &m->keys[i]);
	}
	buf_putc(b, ']');
	unknown(b, m, &first);
	dns(b, m, &first);
	report_json_views(b, m, &first);
	buf_puts(b, "}\n");
	return report_render_end(b);
}
