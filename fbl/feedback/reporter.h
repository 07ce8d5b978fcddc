/* SPDX-License-Identifier: ISC */
/*
 * reporter: which organisation sent a feedback report.
 *
 * The name is a short lower-case word ("yahoo", "aol", "microsoft",
 * "comcast", "amazonses", "returnpath", "usa.net", "163.com" ...), the
 * corpus's `reporter` column.  It is decided, in this order (docs/arf.md):
 *
 * 1. the report's From domain, when it is not a placeholder: the name of the
 *    known organisation it belongs to (a suffix match on the table in
 *    reporter.c; Return Path's <isp>fbl.senderscore.net hosts and its
 *    Source: field name the ISP it runs the loop for), else the domain's
 *    registrable part ("foo.example.co.uk" -> no: placeholder; "mx.foo.com"
 *    -> "foo.com");
 * 2. the User-Agent of the machine-readable part, when it names a known
 *    reporter (Yahoo!-Mail-Feedback, AOL SComp, ReturnPathFBL + Source:,
 *    Zoho Mail, SpamExperts, abusix, NtesDmarcReporter ...);
 * 3. Return Path's Source: field alone;
 * 4. the Reporting-MTA host, when it belongs to a known organisation.
 * Software names (OpenDMARC-Filter, Lua, SomeGenerator) name nobody.
 *
 * The set of names is closed (the sender writes every input above): a
 * name from the tables, else a registrable domain of [a-z0-9.-], else
 * REPORTER_OTHER.
 *
 * Placeholder domains (RFC 2606/6761 names: example.*, *.example, *.test,
 * *.invalid, *.localhost; anonymisers' domain.tld, domainN.tld, mydomain.*,
 * ourdomain.* ...) never name a reporter.
 */
#ifndef FBL_REPORTER_H
#define FBL_REPORTER_H

#include <stdbool.h>
#include <stddef.h>

#define REPORTER_NAME_MAX	64	/* bytes, NUL included */
#define REPORTER_OTHER		"other"	/* a name outside the closed set */

struct reporter_input {
	const char	*from_domain;	/* the report's From, or NULL */
	const char	*user_agent;	/* the report's User-Agent, or NULL */
	const char	*source;	/* Return Path's Source:, or NULL */
	const char	*reporting_mta;	/* "dns; host" or a host, or NULL */
};

/* The reporter's name into out[REPORTER_NAME_MAX]; false when unknown. */
bool	 reporter_name(const struct reporter_input *, char *out,
	    size_t outlen);
/* The known organisation a domain belongs to, or NULL (table only). */
const char *reporter_for_domain(const char *domain);
/*
 * Is name (lower case) a reporter as reporter_name() gives them: a name of
 * the tables ("yahoo", "microsoft", "usa.net" ...), or the registrable
 * domain of an organisation outside them ("foo.com", not a placeholder)?
 * When it is not, *instead is the name fblscope gives what it probably
 * means ("hotmail", "hotmail.com" -> "microsoft"), or NULL.
 */
bool	 reporter_is_known(const char *name, const char **instead);
/* A documentation / anonymisation placeholder domain? */
bool	 reporter_domain_is_placeholder(const char *domain);
/* Does this reporter redact the complainant's address (AOL, Microsoft)? */
bool	 reporter_redacts(const char *name);

#endif
