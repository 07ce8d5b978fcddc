/* SPDX-License-Identifier: ISC */
/*
 * arf_local: what the parts of the report parser share; private to arf.c
 * (the decision, memory, helpers), arf_standard.c (RFC 5965 reports),
 * arf_original.c (the original they carry), arf_provider.c (SES, JMRP),
 * arf_nearmiss.c (bounces, auto-replies ...) and arf_source_ip.c (a
 * Source-IP the report did not give).
 *
 * Every string a step keeps lives as long as the report (keep()); a step
 * that runs out of memory sets ctx.oom and goes on, and arf_parse() fails.
 */
#ifndef FBL_ARF_LOCAL_H
#define FBL_ARF_LOCAL_H

#include <stdbool.h>
#include <stddef.h>

#include "base/buf.h"
#include "fbl/feedback/arf.h"
#include "verifier/mime.h"
#include "verifier/message.h"

struct chunk {
	struct chunk	*next;
	char		 data[];
};

struct arf_mem {
	struct message	 msg;
	struct mime_tree tree;
	struct chunk	*chunks;
};

struct ctx {
	struct arf_report *r;
	struct arf_mem	*m;
	const char	*hdr;		/* the message's header block */
	size_t		 hdr_len;
	bool		 oom;
	size_t		 nfields;	/* report fields looked at */
	bool		 seen_arrival;	/* Arrival-Date (not Received-Date) */
	bool		 attached_only;	/* arf_find_attached(): see arf.h */
};

/* arf.c: memory, the verdict, helpers */
char		*keep(struct ctx *, const char *p, size_t n);
char		*keep_str(struct ctx *, const char *);
char		*keep_buf(struct ctx *, struct buf *);
void		 list_add(struct arf_list *, char *);
void		 deviate(struct ctx *, const char *code);
void		 decide(struct ctx *, enum arf_kind, const char *fmt, ...)
		    __attribute__((format(printf, 3, 4)));
char		*top_field(struct ctx *, const char *name);
bool		 has_top_field(struct ctx *, const char *name);
bool		 ci_contains(const char *hay, const char *needle);
bool		 ci_prefix(const char *, const char *prefix);
char		*address_domain(struct ctx *, const char *from);
bool		 local_part_is(const char *from, const char *want);
bool		 decoded(struct ctx *, const struct mime_part *,
		    const char **out, size_t *out_len);
bool		 skip_mbox_line(const char **p, size_t *n);
bool		 skip_envelope(const char **p, size_t *n, bool *blank);
bool		 blank_only(const char *p, size_t n);
bool		 starts_with_field(const char *p, size_t n);
bool		 has_message_field(const char *p, size_t n);

/* arf_standard.c: step 3 */
bool		 try_arf(struct ctx *, const char *top_rt);
const char	*report_type_of(const struct mime_part *, char *buf,
		    size_t len);
bool		 other_report_type(const char *rt);
void		 top_deviations(struct ctx *);
void		 boundary_deviations(struct ctx *);

/* arf_original.c */
bool		 take_message(struct ctx *, const char *p, size_t n,
		    enum arf_original full);
void		 take_inline(struct ctx *);
const char	*encoding_deviation(enum mime_cte);
void		 find_original(struct ctx *, size_t ri);

/* arf_provider.c: step 4 */
bool		 try_ses(struct ctx *);
bool		 try_jmrp_attached(struct ctx *, const char *subject);
bool		 try_jmrp_inline(struct ctx *);

/* arf_source_ip.c: after the decision */
void		 derive_source_ip(struct ctx *, const char *subject);

/* arf_nearmiss.c: step 5 */
bool		 any_part(struct ctx *, const char *type, const char *subtype);
bool		 try_not_arf(struct ctx *, const char *top_rt,
		    const char *subject);

#endif
