/* SPDX-License-Identifier: ISC */
/* reporter: the table from domains and User-Agents to reporters. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "fbl/feedback/reporter.h"

struct domain_entry {
	const char	*domain;	/* matches itself and its subdomains */
	const char	*name;
};

/*
 * Mailbox providers and the services that run feedback loops for them.
 * Sorted by name; a domain appears once.
 */
static const struct domain_entry domains[] = {
	{ "126.com", "126.com" },
	{ "163.com", "163.com" },
	{ "188.com", "188.com" },
	{ "yeah.net", "yeah.net" },
	{ "netease.com", "netease" },
	{ "abusix.com", "abusix" },
	{ "abusix.org", "abusix" },
	{ "abusix.ai", "abusix" },
	{ "amazonses.com", "amazonses" },
	{ "aol.com", "aol" },
	{ "aol.net", "aol" },
	{ "aim.com", "aol" },
	{ "apple.com", "apple" },
	{ "icloud.com", "apple" },
	{ "me.com", "apple" },
	{ "mac.com", "apple" },
	{ "att.net", "att" },
	{ "sbcglobal.net", "att" },
	{ "bellsouth.net", "att" },
	{ "bluetie.com", "bluetie" },
	{ "btinternet.com", "bt" },
	{ "charter.net", "charter" },
	{ "cloudmark.com", "cloudmark" },
	{ "comcast.net", "comcast" },
	{ "comcast.com", "comcast" },
	{ "cox.net", "cox" },
	{ "cox.com", "cox" },
	{ "earthlink.net", "earthlink" },
	{ "fastmail.com", "fastmail" },
	{ "fastmail.fm", "fastmail" },
	{ "messagingengine.com", "fastmail" },
	{ "free.fr", "free" },
	{ "gmx.net", "gmx" },
	{ "gmx.de", "gmx" },
	{ "gmx.com", "gmx" },
	{ "google.com", "google" },
	{ "gmail.com", "google" },
	{ "googlemail.com", "google" },
	{ "interia.pl", "interia" },
	{ "juno.com", "unitedonline" },
	{ "netzero.net", "unitedonline" },
	{ "netzero.com", "unitedonline" },
	{ "laposte.net", "laposte" },
	{ "libero.it", "libero" },
	{ "linkedin.com", "linkedin" },
	{ "mail.ru", "mailru" },
	{ "hotmail.com", "microsoft" },
	{ "hotmail.co.uk", "microsoft" },
	{ "hotmail.fr", "microsoft" },
	{ "outlook.com", "microsoft" },
	{ "live.com", "microsoft" },
	{ "msn.com", "microsoft" },
	{ "microsoft.com", "microsoft" },
	{ "naver.com", "naver" },
	{ "onet.pl", "onet" },
	{ "hostedemail.com", "opensrs" },
	{ "opensrs.com", "opensrs" },
	{ "opensrs.net", "opensrs" },
	{ "optonline.net", "optimum" },
	{ "optimum.net", "optimum" },
	{ "orange.fr", "orange" },
	{ "wanadoo.fr", "orange" },
	{ "qq.com", "qq" },
	{ "rackspace.com", "rackspace" },
	{ "emailsrvr.com", "rackspace" },
	{ "returnpath.com", "returnpath" },
	{ "returnpath.net", "returnpath" },
	{ "senderscore.net", "returnpath" },
	{ "validity.com", "returnpath" },
	{ "rr.com", "roadrunner" },
	{ "twc.com", "roadrunner" },
	{ "rogers.com", "rogers" },
	{ "seznam.cz", "seznam" },
	{ "sfr.fr", "sfr" },
	{ "shaw.ca", "shaw" },
	{ "sina.com", "sina" },
	{ "sohu.com", "sohu" },
	{ "spamexperts.com", "spamexperts" },
	{ "synacor.com", "synacor" },
	{ "t-online.de", "t-online" },
	{ "telstra.com", "telstra" },
	{ "bigpond.com", "telstra" },
	{ "telus.net", "telus" },
	{ "terra.com", "terra" },
	{ "terra.com.br", "terra" },
	{ "usa.net", "usa.net" },
	{ "verizon.net", "verizon" },
	{ "virginmedia.com", "virginmedia" },
	{ "web.de", "web.de" },
	{ "wp.pl", "wp" },
	{ "xs4all.nl", "xs4all" },
	{ "yahoo.com", "yahoo" },
	{ "yahoo.net", "yahoo" },
	{ "yahoo-inc.com", "yahoo" },
	{ "yahoodns.net", "yahoo" },
	{ "yandex.ru", "yandex" },
	{ "yandex.net", "yandex" },
	{ "yandex.com", "yandex" },
	{ "ziggo.nl", "ziggo" },
	{ "zoho.com", "zoho" },
	{ "zoho.eu", "zoho" },
	{ "zohomail.com", "zoho" },
};

struct agent_entry {
	const char	*prefix;	/* of User-Agent, case-insensitive */
	const char	*name;		/* NULL: ask Source: (Return Path) */
};

static const struct agent_entry agents[] = {
	{ "Yahoo!-Mail-Feedback", "yahoo" },
	{ "AOL SComp", "aol" },
	{ "ReturnPathFBL", NULL },
	{ "Zoho Mail", "zoho" },
	{ "SpamExperts", "spamexperts" },
	{ "abusix", "abusix" },
	{ "comcast Feedback Loop", "comcast" },
	{ "Yandex", "yandex" },
	{ "Mail.Ru", "mailru" },
};

/* NetEase's mail brands, for its DMARC reporter (NtesDmarcReporter). */
static const struct domain_entry netease[] = {
	{ "163", "163.com" },
	{ "126", "126.com" },
	{ "188", "188.com" },
	{ "yeah", "yeah.net" },
};

/* Second-level labels under which a country's registrations live. */
static const char *const sld_generic[] = {
	"ac", "co", "com", "ed", "edu", "go", "gov", "gr", "lg", "ne",
	"net", "or", "org",
};

/* Registrable labels anonymisers use. */
static const char *const placeholder_labels[] = {
	"domain", "mydomain", "yourdomain", "ourdomain", "somedomain",
	"anydomain", "sendingdomain", "senderdomain", "receivingdomain",
	"company", "mycompany",
};

static const char *const placeholder_tlds[] = {
	"example", "invalid", "test", "localhost", "local", "localdomain",
	"tld", "lan", "internal", "home", "corp",
};

static bool
ends_with_label(const char *d, const char *suffix)
{
	size_t	 dl = strlen(d), sl = strlen(suffix);

	if (dl < sl || strcasecmp(d + dl - sl, suffix) != 0)
		return false;
	return dl == sl || d[dl - sl - 1] == '.';
}

const char *
reporter_for_domain(const char *domain)
{
	size_t	 i;

	if (domain == NULL)
		return NULL;
	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++)
		if (ends_with_label(domain, domains[i].domain))
			return domains[i].name;
	return NULL;
}

/* Does label [p, p+n) equal s (case-insensitively)? */
static bool
label_is(const char *p, size_t n, const char *s)
{
	return strlen(s) == n && strncasecmp(p, s, n) == 0;
}

/* "domain7", "domain12": AbuseIO's numbered placeholders. */
static bool
numbered_domain(const char *p, size_t n)
{
	size_t	 i;

	if (n <= 6 || strncasecmp(p, "domain", 6) != 0)
		return false;
	for (i = 6; i < n; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	return true;
}

static bool
label_is_placeholder(const char *p, size_t n)
{
	size_t	 i;

	if (label_is(p, n, "example") || numbered_domain(p, n))
		return true;
	for (i = 0; i < sizeof(placeholder_labels) /
	    sizeof(placeholder_labels[0]); i++)
		if (label_is(p, n, placeholder_labels[i]))
			return true;
	return false;
}

bool
reporter_domain_is_placeholder(const char *d)
{
	const char	*p, *dot, *tld;
	size_t		 i;

	if (d == NULL || *d == '\0' || strchr(d, '.') == NULL)
		return true;
	tld = strrchr(d, '.') + 1;
	for (i = 0; i < sizeof(placeholder_tlds) /
	    sizeof(placeholder_tlds[0]); i++)
		if (strcasecmp(tld, placeholder_tlds[i]) == 0)
			return true;
	for (p = d; p < tld; p = dot + 1) {
		dot = strchr(p, '.');
		if (label_is(p, (size_t)(dot - p), "example"))
			return true;
		/* domain.tld, mydomain.com: the label before the suffix */
		if (label_is_placeholder(p, (size_t)(dot - p)) &&
		    (dot + 1 == tld || strchr(dot + 1, '.') + 1 == tld))
			return true;
	}
	return false;
}

/* The registrable part: the last two labels, three under co.uk & co. */
static const char *
registrable(const char *d)
{
	const char	*tld, *sld, *p;
	size_t		 i;

	if ((tld = strrchr(d, '.')) == NULL)
		return d;
	for (sld = tld; sld > d && sld[-1] != '.'; sld--)
		;
	if (sld == d)
		return d;
	p = sld - 1;		/* the dot before the second-level label */
	if (strlen(tld + 1) == 2)
		for (i = 0; i < sizeof(sld_generic) / sizeof(sld_generic[0]);
		    i++)
			if (label_is(sld, (size_t)(tld - sld),
			    sld_generic[i])) {
				while (p > d && p[-1] != '.')
					p--;
				return p;
			}
	return sld;
}

static void
copy_name(char *out, size_t outlen, const char *s, size_t n)
{
	size_t	 i, k = 0;

	for (i = 0; i < n && k + 1 < outlen; i++) {
		if (isspace((unsigned char)s[i]))
			continue;
		out[k++] = (char)tolower((unsigned char)s[i]);
	}
	out[k] = '\0';
}

static bool
put(char *out, size_t outlen, const char *name)
{
	copy_name(out, outlen, name, strlen(name));
	return out[0] != '\0';
}

/* Return Path's Source: "Comcast" -> "comcast" (a known name kept). */
static bool
from_source(const char *source, char *out, size_t outlen)
{
	size_t	 n;

	if (source == NULL)
		return false;
	for (n = 0; source[n] != '\0' && source[n] != ';' &&
	    source[n] != '('; n++)
		;
	while (n > 0 && isspace((unsigned char)source[n - 1]))
		n--;
	copy_name(out, outlen, source, n);
	return out[0] != '\0';
}

/* comcastfbl.senderscore.net: Return Path runs Comcast's loop. */
static bool
from_senderscore(const char *d, char *out, size_t outlen)
{
	const char	*dot;
	size_t		 n;

	if (!ends_with_label(d, "senderscore.net"))
		return false;
	for (; (dot = strchr(d, '.')) != NULL; d = dot + 1) {
		n = (size_t)(dot - d);
		if (n > 3 && strncasecmp(dot - 3, "fbl", 3) == 0) {
			copy_name(out, outlen, d, n - 3);
			return out[0] != '\0';
		}
	}
	return false;
}

static bool
from_domain(const struct reporter_input *in, char *out, size_t outlen)
{
	const char	*d = in->from_domain, *name;

	if (d == NULL || reporter_domain_is_placeholder(d))
		return false;
	if (ends_with_label(d, "senderscore.net") &&
	    (from_source(in->source, out, outlen) ||
	    from_senderscore(d, out, outlen)))
		return true;
	if ((name = reporter_for_domain(d)) != NULL)
		return put(out, outlen, name);
	return put(out, outlen, registrable(d));
}

/* NetEase: the brand whose label the From domain carries. */
static bool
from_netease(const char *d, char *out, size_t outlen)
{
	const char	*p, *dot;
	size_t		 i;

	for (p = d; p != NULL && *p != '\0'; p = dot ? dot + 1 : NULL) {
		dot = strchr(p, '.');
		for (i = 0; i < sizeof(netease) / sizeof(netease[0]); i++)
			if (label_is(p, dot ? (size_t)(dot - p) : strlen(p),
			    netease[i].domain))
				return put(out, outlen, netease[i].name);
	}
	return put(out, outlen, "netease");
}

static bool
from_agent(const struct reporter_input *in, char *out, size_t outlen)
{
	const char	*ua = in->user_agent;
	size_t		 i, n;

	if (ua == NULL)
		return false;
	if (strncasecmp(ua, "NtesDmarcReporter", 17) == 0)
		return from_netease(in->from_domain != NULL ?
		    in->from_domain : "", out, outlen);
	for (i = 0; i < sizeof(agents) / sizeof(agents[0]); i++) {
		n = strlen(agents[i].prefix);
		if (strncasecmp(ua, agents[i].prefix, n) != 0)
			continue;
		if (agents[i].name != NULL)
			return put(out, outlen, agents[i].name);
		return from_source(in->source, out, outlen) ||
		    put(out, outlen, "returnpath");
	}
	return false;
}

/* "dns; mx.example.net" -> the host, looked up in the table only. */
static bool
from_mta(const char *mta, char *out, size_t outlen)
{
	char		 host[256];
	const char	*p, *name;
	size_t		 n = 0;

	if (mta == NULL)
		return false;
	p = strchr(mta, ';') != NULL ? strchr(mta, ';') + 1 : mta;
	while (isspace((unsigned char)*p))
		p++;
	while (p[n] != '\0' && !isspace((unsigned char)p[n]) &&
	    p[n] != '(' && p[n] != ';' && n + 1 < sizeof(host)) {
		host[n] = (char)tolower((unsigned char)p[n]);
		n++;
	}
	host[n] = '\0';
	while (n > 0 && host[n - 1] == '.')
		host[--n] = '\0';
	if (reporter_domain_is_placeholder(host) ||
	    (name = reporter_for_domain(host)) == NULL)
		return false;
	return put(out, outlen, name);
}

/* One of the organisations the tables above name? */
static bool
known_name(const char *name)
{
	size_t	 i;

	for (i = 0; i < sizeof(domains) / sizeof(domains[0]); i++)
		if (strcmp(domains[i].name, name) == 0)
			return true;
	for (i = 0; i < sizeof(agents) / sizeof(agents[0]); i++)
		if (agents[i].name != NULL && strcmp(agents[i].name, name) == 0)
			return true;
	for (i = 0; i < sizeof(netease) / sizeof(netease[0]); i++)
		if (strcmp(netease[i].name, name) == 0)
			return true;
	return strcmp(name, "netease") == 0;
}

/* A host name of letters, digits, dots and hyphens, with two labels. */
static bool
plain_domain(const char *s)
{
	size_t	 i, label = 0, labels = 1;

	for (i = 0; s[i] != '\0'; i++) {
		if (s[i] == '.') {
			if (label == 0 || s[i - 1] == '-')
				return false;
			labels++;
			label = 0;
			continue;
		}
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' &&
		    s[i] <= '9') || (s[i] == '-' && label > 0)))
			return false;
		label++;
	}
	return labels >= 2 && label > 0 && s[i - 1] != '-';
}

bool
reporter_is_known(const char *name, const char **instead)
{
	char	 d[REPORTER_NAME_MAX + 8];

	*instead = NULL;
	if (name == NULL || *name == '\0')
		return false;
	if (known_name(name))
		return true;
	if ((*instead = reporter_for_domain(name)) != NULL)
		return false;
	if (plain_domain(name) && strlen(name) < REPORTER_NAME_MAX &&
	    !reporter_domain_is_placeholder(name) &&
	    strcmp(registrable(name), name) == 0)
		return true;
	/* a provider's name without its domain: "hotmail", "gmail" */
	if (strchr(name, '.') == NULL && strlen(name) < REPORTER_NAME_MAX) {
		snprintf(d, sizeof(d), "%s.com", name);
		*instead = reporter_for_domain(d);
	}
	return false;
}

/*
 * The name is the sender's choice (its From domain, its Source: field), and
 * it reaches CSV cells, the report's ISP split and one aggregate row per
 * name: the set is closed.  A known organisation, else a plain registrable
 * domain, else "other".
 */
bool
reporter_name(const struct reporter_input *in, char *out, size_t outlen)
{
	if (outlen == 0)
		return false;
	out[0] = '\0';
	if (!from_domain(in, out, outlen) && !from_agent(in, out, outlen) &&
	    !from_source(in->source, out, outlen) &&
	    !from_mta(in->reporting_mta, out, outlen))
		return false;
	if (!known_name(out) && !plain_domain(out))
		(void)put(out, outlen, REPORTER_OTHER);
	return true;
}

bool
reporter_redacts(const char *name)
{
	return name != NULL && (strcmp(name, "aol") == 0 ||
	    strcmp(name, "microsoft") == 0);
}
