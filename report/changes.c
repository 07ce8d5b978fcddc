/* SPDX-License-Identifier: ISC */
#include <stdlib.h>
#include <string.h>

#include "base/date.h"
#include "report/changes.h"
#include "report/render.h"
#include "report/rules.h"

const char *const report_change_names[RC_N] = {
	"alarmed", "forgery-spike", "dns-new", "dns-open", "isp-silent",
	"flagged", "recovered", "incomplete"
};

const char *const report_change_labels[RC_N] = {
	"newly alarmed", "forgery spike", "new DNS problem",
	"open DNS problem", "ISP silent", "newly flagged", "no longer alarmed",
	"incomplete day"
};

const char *const report_severity_names[SEV_N] = {
	"alarm", "warn", "info"
};

static struct report_change *
change_add(struct report_model *m, enum report_change_kind kind,
    enum report_severity sev, const char *subject, bool *ok)
{
	struct report_change	*c, *v;

	if (!*ok)
		return NULL;
	if (m->nchanges == REPORT_MAX_CHANGES) {
		m->changes_left++;
		return NULL;
	}
	if ((v = reallocarray(m->changes, m->nchanges + 1, sizeof(*v))) ==
	    NULL) {
		*ok = false;
		return NULL;
	}
	m->changes = v;
	c = &v[m->nchanges];
	memset(c, 0, sizeof(*c));
	c->kind = kind;
	c->severity = sev;
	if ((c->subject = strdup(subject)) == NULL ||
	    (c->detail = strdup("")) == NULL) {
		free(c->subject);
		*ok = false;
		return NULL;
	}
	m->nchanges++;
	return c;
}

static void
customer_changes(struct report_model *m, const struct report_customer *c,
    bool *ok)
{
	struct report_change	*x;
	int64_t			 before = 0;
	int			 k;

	if (c->level == LEVEL_ALARMED && c->prev_level != LEVEL_ALARMED)
		(void)change_add(m, RC_ALARMED, SEV_ALARM, c->id, ok);
	else if (c->level == LEVEL_FLAGGED && c->prev_level == LEVEL_OK)
		(void)change_add(m, RC_FLAGGED, SEV_WARN, c->id, ok);
	else if (c->level != LEVEL_ALARMED && c->prev_level == LEVEL_ALARMED)
		(void)change_add(m, RC_RECOVERED, SEV_INFO, c->id, ok);
	for (k = 1; k <= REPORT_RECOVERY_DAYS; k++)
		before += c->day_suspected[k];
	/* today >= FACTOR x (before / 7), in integers */
	if (c->day_suspected[0] >= REPORT_SPIKE_MIN &&
	    c->day_suspected[0] * REPORT_RECOVERY_DAYS >=
	    REPORT_SPIKE_FACTOR * before &&
	    (x = change_add(m, RC_FORGERY_SPIKE, SEV_ALARM, c->id, ok)) !=
	    NULL) {
		x->count = c->day_suspected[0];
		x->before = before;
	}
}

static void
dns_changes(struct report_model *m, bool *ok)
{
	const struct report_dns_problem	*p;
	struct report_change		*x;
	struct buf			 d = BUF_INIT;
	size_t				 i;

	for (i = 0; i < m->ndns_problems && *ok; i++) {
		p = &m->dns_problems[i];
		if ((x = change_add(m, p->days_open == 0 ? RC_DNS_NEW :
		    RC_DNS_OPEN, strcmp(p->status, "FAIL") == 0 ? SEV_ALARM :
		    SEV_WARN, p->domain, ok)) == NULL)
			continue;
		x->days = p->days_open;
		buf_reset(&d);
		buf_printf(&d, "%s %s %s: %s", p->status, p->check, p->subject,
		    p->reason);
		if (p->server[0] != '\0')
			buf_printf(&d, " at %s", p->server);
		free(x->detail);
		if ((x->detail = buf_ok(&d) ? strdup(buf_cstr(&d)) : NULL) ==
		    NULL)
			*ok = false;
	}
	buf_free(&d);
}

static void
isp_changes(struct report_model *m, bool *ok)
{
	const struct report_isp	*s;
	struct report_change	*x;
	int64_t			 quiet, before;
	int			 n = m->p.silent_days, k;
	size_t			 i;

	if (n < 1 || n > REPORT_MAX_SILENT_DAYS)
		n = REPORT_DEFAULT_SILENT_DAYS;
	for (i = 0; i < m->esp.nisps; i++) {
		s = &m->esp.isps[i];
		quiet = before = 0;
		for (k = 0; k < n; k++)
			quiet += s->days[k];
		for (k = n; k < n + REPORT_SILENT_BEFORE; k++)
			before += s->days[k];
		if (quiet > 0 || before < REPORT_SILENT_MIN ||
		    (x = change_add(m, RC_ISP_SILENT, SEV_WARN, s->reporter,
		    ok)) == NULL)
			continue;
		x->days = n;
		x->before = before;
	}
}

static void
incomplete_changes(struct report_model *m, bool *ok)
{
	char	 day[11];
	int64_t	 end, d;
	int	 off;

	if (m->data_end[0] == '\0' ||
	    !date_parse_day(m->data_end, strlen(m->data_end), &end, NULL,
	    NULL, NULL))
		return;
	for (off = 1 - REPORT_SHORT_DAYS; off <= 0; off++)
		if (report_day_of(m, off, day) &&
		    date_parse_day(day, strlen(day), &d, NULL, NULL, NULL) &&
		    end - d < REPORT_LATE_DAYS)
			(void)change_add(m, RC_INCOMPLETE, SEV_INFO, day, ok);
}

static int
change_cmp(const void *a, const void *b)
{
	const struct report_change	*x = a, *y = b;

	if (x->severity != y->severity)
		return x->severity < y->severity ? -1 : 1;
	if (x->kind != y->kind)
		return x->kind < y->kind ? -1 : 1;
	return strcmp(x->subject, y->subject);
}

bool
report_changes_make(struct report_model *m)
{
	size_t	 i;
	bool	 ok = true;

	for (i = 0; i < m->ncustomers; i++)
		customer_changes(m, &m->customers[i], &ok);
	dns_changes(m, &ok);
	isp_changes(m, &ok);
	incomplete_changes(m, &ok);
	if (m->nchanges > 1)
		qsort(m->changes, m->nchanges, sizeof(*m->changes),
		    change_cmp);
	return ok;
}

void
report_change_text(struct buf *b, const struct report_model *m,
    const struct report_change *c)
{
	switch (c->kind) {
	case RC_ALARMED:
		buf_printf(b, "%s is newly alarmed", c->subject);
		break;
	case RC_FLAGGED:
		buf_printf(b, "%s is newly flagged", c->subject);
		break;
	case RC_RECOVERED:
		buf_printf(b, "%s is no longer alarmed", c->subject);
		break;
	case RC_FORGERY_SPIKE:
		buf_printf(b, "%s: %lld suspected forgeries today, %lld in the "
		    "%d days before", c->subject, (long long)c->count,
		    (long long)c->before, REPORT_RECOVERY_DAYS);
		break;
	case RC_DNS_NEW:
		buf_printf(b, "%s: %s (new)", c->subject, c->detail);
		break;
	case RC_DNS_OPEN:
		buf_printf(b, "%s: %s (open %d day%s)", c->subject, c->detail,
		    c->days, c->days == 1 ? "" : "s");
		break;
	case RC_ISP_SILENT:
		buf_printf(b, "%s: no complaints for %d days (%lld in the %d "
		    "days before)", c->subject, c->days,
		    (long long)c->before, REPORT_SILENT_BEFORE);
		break;
	case RC_INCOMPLETE:
		buf_printf(b, "%s: reports still arriving (stored up to %s)",
		    c->subject, m->data_end);
		break;
	case RC_N:
		break;
	}
}

void
report_changes_free(struct report_model *m)
{
	size_t	 i;

	for (i = 0; i < m->nchanges; i++) {
		free(m->changes[i].subject);
		free(m->changes[i].detail);
	}
	free(m->changes);
	m->changes = NULL;
	m->nchanges = 0;
}
