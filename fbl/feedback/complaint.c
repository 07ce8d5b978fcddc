/* SPDX-License-Identifier: ISC */
/* complaint: raw bytes -> report, original, clock, verification. */
#include <stdlib.h>
#include <string.h>

#include "fbl/feedback/complaint.h"
#include "base/date.h"

/* The time in field name of m (first occurrence), as date_parse_time. */
static bool
field_time(const struct message *m, const char *name, int64_t *t)
{
	char	 v[COMPLAINT_MAX_DATE + 1];
	long	 i;
	size_t	 n, j, k = 0;
	const char *s;

	if (m == NULL || (i = message_find_field(m, name)) < 0)
		return false;
	s = m->fields[i].value;
	n = m->fields[i].value_len;
	for (j = 0; j < n && k < COMPLAINT_MAX_DATE; j++)
		v[k++] = (s[j] == '\r' || s[j] == '\n' || s[j] == '\t') ?
		    ' ' : s[j];
	v[k] = '\0';
	return date_parse_time(v, t);
}

bool
complaint_clock(const struct arf_report *r, const struct message *orig,
    int64_t *t, const char **from)
{
	if (r->arrival_date != NULL && date_parse_time(r->arrival_date, t)) {
		*from = "arrival-date";
		return true;
	}
	if (r->report_date != NULL && date_parse_time(r->report_date, t)) {
		*from = "report-date";
		return true;
	}
	if (field_time(orig, "Date", t)) {
		*from = "original-date";
		return true;
	}
	*from = "none";
	return false;
}

/* The verification clock: the message's own, else vo->now. */
static void
pick_clock(struct complaint *c, const struct verify_opts *vo,
    bool fixed_clock)
{
	const char	*from;
	int64_t		 t;

	c->now = vo->now;
	c->clock = fixed_clock ? "option" : "now";
	if (!fixed_clock && complaint_clock(&c->report, c->have_original ?
	    &c->original : NULL, &t, &from)) {
		c->now = t;
		c->clock = from;
	}
}

/* Verify what the report gives of the original (or a sample itself). */
static void
verify_original(struct complaint *c, const struct verify_opts *vo)
{
	const struct arf_report	*r = &c->report;
	struct verify_opts	 at = *vo;

	if (r->original == NULL || r->original_len == 0 ||
	    r->kind == ARF_KIND_NOT_ARF || r->kind == ARF_KIND_UNPARSEABLE)
		return;
	at.now = c->now;
	if (dkim_verify(&at, r->original, r->original_len, &c->vr))
		c->verified = true;
	else
		verify_result_free(&c->vr);
}

bool
complaint_make(struct complaint *c, const struct verify_opts *vo,
    bool fixed_clock, const char *raw, size_t len)
{
	const struct arf_report	*r = &c->report;

	memset(c, 0, sizeof(*c));
	if (!arf_parse(&c->report, raw, len)) {
		arf_report_free(&c->report);
		return false;
	}
	if (r->original != NULL && r->original_len > 0)
		c->have_original = message_parse(&c->original, r->original,
		    r->original_len) == MESSAGE_OK;
	pick_clock(c, vo, fixed_clock);
	verify_original(c, vo);
	return true;
}

void
complaint_free(struct complaint *c)
{
	if (c->verified)
		verify_result_free(&c->vr);
	message_free(&c->original);
	arf_report_free(&c->report);
	memset(c, 0, sizeof(*c));
}

int
complaint_find_original(const char *raw, size_t len, struct verify_inner *in)
{
	struct arf_report *r;

	memset(in, 0, sizeof(*in));
	if ((r = calloc(1, sizeof(*r))) == NULL)
		return -1;
	if (!arf_find_attached(r, raw, len)) {
		arf_report_free(r);
		free(r);
		return -1;
	}
	if (!r->complaint || r->original == NULL || r->original_len == 0 ||
	    r->original_form == ARF_ORIG_INLINE) {
		arf_report_free(r);
		free(r);
		return 0;
	}
	in->raw = r->original;
	in->len = r->original_len;
	in->kind = r->kind == ARF_KIND_ARF ? "ARF" : "complaint";
	in->form = arf_original_name(r->original_form);
	in->owner = r;
	return 1;
}

void
complaint_release_original(struct verify_inner *in)
{
	if (in->owner != NULL) {
		arf_report_free(in->owner);
		free(in->owner);
	}
	memset(in, 0, sizeof(*in));
}

const struct verify_unwrap complaint_unwrap = {
	complaint_find_original,
	complaint_release_original,
};
