/* SPDX-License-Identifier: ISC */
/* keyzone: the zones the ESP's DKIM nameservers serve; keyzone.h */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "fbl/cidr.h"
#include "fbl/classify.h"
#include "fbl/keys/keyzone.h"
#include "verifier/key_record.h"

/* ---- names ------------------------------------------------------------ */

bool
keyzone_cname_zone(const char *tmpl, struct buf *out)
{
	const char	*p, *s, *d = NULL;
	size_t		 n;

	buf_reset(out);
	/* after the last placeholder, at the next dot */
	for (p = tmpl; (s = strchr(p, '}')) != NULL; p = s + 1)
		d = s + 1;
	if (d == NULL || (d = strchr(d, '.')) == NULL)
		return false;
	d++;
	n = strlen(d);
	if (n > 0 && d[n - 1] == '.')
		n--;
	if (n == 0 || memchr(d, '{', n) != NULL)
		return false;
	for (; n > 0; n--, d++)
		buf_putc(out, *d >= 'A' && *d <= 'Z' ? *d - 'A' + 'a' : *d);
	return buf_ok(out);
}

bool
keyzone_split_name(const char *name, struct buf *selector,
    struct buf *domain)
{
	const char	*p;

	buf_reset(selector);
	buf_reset(domain);
	for (p = name; (p = strchr(p, '.')) != NULL; p++) {
		if (strncasecmp(p, "._domainkey.", 12) != 0)
			continue;
		if (p == name || p[12] == '\0')
			return false;
		buf_append(selector, name, (size_t)(p - name));
		buf_puts(domain, p + 12);
		return buf_ok(selector) && buf_ok(domain);
	}
	return false;
}

void
keyzone_owner(const struct keyzone_zone *z, const struct keyzone_key *k,
    struct buf *out)
{
	if (z->kind == KEYZONE_CNAME)
		buf_puts(out, k->cname);
	else
		buf_printf(out, "%s._domainkey.%s", k->selector, k->domain);
}

/* ---- the plan --------------------------------------------------------- */

static void
key_free(struct keyzone_key *k)
{
	free(k->selector);
	free(k->domain);
	free(k->cname);
}

void
keyzone_plan_free(struct keyzone_plan *p)
{
	size_t	 i;

	for (i = 0; i < p->nkeys; i++)
		key_free(&p->keys[i]);
	for (i = 0; i < p->nzones; i++) {
		free(p->zones[i].name);
		free(p->zones[i].keys);
	}
	free(p->keys);
	free(p->zones);
	free(p->ns);
	free(p->cname_zone);
	memset(p, 0, sizeof(*p));
}

/* The nameservers usable as NS targets: host names, not addresses. */
static bool
plan_ns(struct keyzone_plan *p, const struct fbl_config *cfg,
    struct buf *notes, struct buf *err)
{
	struct ip_addr	 a;
	const char	*v;
	size_t		 i;

	if ((p->ns = calloc(cfg->nameservers.n + 1, sizeof(*p->ns))) ==
	    NULL) {
		buf_puts(err, "out of memory");
		return false;
	}
	for (i = 0; i < cfg->nameservers.n; i++) {
		v = cfg->nameservers.v[i];
		if (ip_parse(&a, v, strlen(v)))
			buf_printf(notes, "%s: nameserver %s: an address, not "
			    "a host name: no NS record names it\n", cfg->path,
			    v);
		else
			p->ns[p->nns++] = v;
	}
	if (p->nns == 0) {
		buf_printf(err, "%s: no nameserver host name: the zones need "
		    "their NS records", cfg->path);
		return false;
	}
	return true;
}

static bool
sel_delegated(const char *sel, const char *esp_id)
{
	size_t	 n = strlen(sel), m = strlen(esp_id);

	return strcmp(sel, esp_id) == 0 || (n > m + 1 &&
	    sel[n - m - 1] == '.' && strcmp(sel + n - m, esp_id) == 0);
}

/* One key of the directory: placed in *k; false (noted) when dropped. */
static bool
plan_key(struct keyzone_plan *p, const struct fbl_config *cfg,
    const struct key_archive_entry *e, const char *dir,
    struct keyzone_key *k, struct buf *notes, size_t *skipped)
{
	struct buf	 sel = BUF_INIT, dom = BUF_INIT, cn = BUF_INIT;
	const char	*id = NULL;

	memset(k, 0, sizeof(*k));
	if (!keyzone_split_name(e->name, &sel, &dom)) {
		buf_free(&sel);
		buf_free(&dom);
		return false;	/* keyimport makes no such names */
	}
	k->selector = buf_steal(&sel);
	k->domain = buf_steal(&dom);
	k->record = e->record;
	k->esp = classify_domain(cfg, k->domain, &id) == ROLE_ESP;
	k->customer = id;
	if (!k->esp) {
		k->delegated = sel_delegated(k->selector, p->esp_id);
		if (config_cname_target(cfg, k->selector, k->domain, &cn)) {
			if (cn.len <= CONFIG_DOMAIN_MAX)
				k->cname = buf_steal(&cn);
			else
				buf_printf(notes, "%s._domainkey.%s: its CNAME "
				    "target would be longer than %d octets: "
				    "none\n", k->selector, k->domain,
				    CONFIG_DOMAIN_MAX);
		}
		buf_free(&cn);
	}
	if (k->esp || k->delegated)
		return k->selector != NULL && k->domain != NULL;
	buf_printf(notes, "%s%s%s.%s.pem: selector %s is outside %s._domainkey."
	    "%s, the zone the customer delegates", dir, dir[0] != '\0' &&
	    dir[strlen(dir) - 1] == '/' ? "" : "/", k->selector, k->domain,
	    k->selector, p->esp_id, k->domain);
	if (k->cname != NULL) {
		buf_puts(notes, ": served at its CNAME target only\n");
		return true;
	}
	buf_puts(notes, ", and no cname-target is configured: skipped\n");
	(*skipped)++;
	key_free(k);
	return false;
}

static int
key_cmp(const void *a, const void *b)
{
	const struct keyzone_key *x = a, *y = b;
	int	 c;

	if (x->esp != y->esp)
		return x->esp ? 1 : -1;
	if ((c = strcmp(x->domain, y->domain)) != 0)
		return c;
	return strcmp(x->selector, y->selector);
}

static struct keyzone_zone *
zone_add(struct keyzone_plan *p, enum keyzone_kind kind, char *name,
    const struct keyzone_key *first)
{
	struct keyzone_zone *z;

	if (name == NULL)
		return NULL;
	z = &p->zones[p->nzones];
	memset(z, 0, sizeof(*z));
	if ((z->keys = calloc(p->nkeys, sizeof(*z->keys))) == NULL) {
		free(name);
		return NULL;
	}
	z->name = name;
	z->kind = kind;
	z->first = first;
	p->nzones++;
	return z;
}

/* The zones, from the sorted keys. */
static bool
plan_zones(struct keyzone_plan *p)
{
	struct keyzone_zone *z = NULL, *cz = NULL;
	struct keyzone_key *k;
	struct buf	 name = BUF_INIT;
	size_t		 i;

	/* at most one a key, and the cname zone */
	if ((p->zones = calloc(p->nkeys + 1, sizeof(*p->zones))) == NULL)
		return false;
	for (i = 0; i < p->nkeys; i++) {
		k = &p->keys[i];
		if (!k->esp && !k->delegated)
			continue;
		if (z == NULL || strcmp(z->first->domain, k->domain) != 0 ||
		    z->first->esp != k->esp) {
			buf_reset(&name);
			if (k->esp)
				buf_printf(&name, "_domainkey.%s", k->domain);
			else
				buf_printf(&name, "%s._domainkey.%s",
				    p->esp_id, k->domain);
			if ((z = zone_add(p, k->esp ? KEYZONE_ESP :
			    KEYZONE_CUSTOMER, buf_steal(&name), k)) == NULL)
				break;
		}
		z->keys[z->n++] = i;
	}
	buf_free(&name);
	if (i < p->nkeys)
		return false;
	for (i = 0; i < p->nkeys; i++) {
		if (p->keys[i].cname == NULL)
			continue;
		if (cz == NULL && (cz = zone_add(p, KEYZONE_CNAME,
		    strdup(p->cname_zone), NULL)) == NULL)
			return false;
		cz->keys[cz->n++] = i;
	}
	return true;
}

/* Domains no customer rule names: one note each (keys sorted). */
static void
note_strangers(const struct keyzone_plan *p, const char *config,
    struct buf *notes)
{
	const struct keyzone_key *k;
	size_t		 i;

	for (i = 0; i < p->nkeys; i++) {
		k = &p->keys[i];
		if (k->esp || k->customer != NULL || (i > 0 &&
		    strcmp(p->keys[i - 1].domain, k->domain) == 0))
			continue;
		buf_printf(notes, "%s: no customer rule of %s names it: its "
		    "keys are served as a customer's\n", k->domain, config);
	}
}

bool
keyzone_plan_build(struct keyzone_plan *p, const struct fbl_config *cfg,
    const struct key_archive_entry *v, size_t n, const char *dir,
    unsigned ttl, struct buf *notes, size_t *skipped, struct buf *err)
{
	struct buf	 cz = BUF_INIT;
	size_t		 i;

	memset(p, 0, sizeof(*p));
	p->ttl = ttl;
	if ((p->esp_id = cfg->esp_id) == NULL) {
		buf_printf(err, "%s: no esp-id: it names the zones customers "
		    "delegate (ESPID._domainkey.DOMAIN)", cfg->path);
		return false;
	}
	if (!plan_ns(p, cfg, notes, err))
		goto fail;
	if (cfg->cname_target != NULL) {
		if (!keyzone_cname_zone(cfg->cname_target, &cz)) {
			buf_printf(err, "%s: cname-target %s: no zone follows "
			    "its placeholders", cfg->path, cfg->cname_target);
			buf_free(&cz);
			goto fail;
		}
		p->cname_zone = buf_steal(&cz);
	}
	if ((p->keys = calloc(n + 1, sizeof(*p->keys))) == NULL)
		goto nomem;
	for (i = 0; i < n; i++)
		if (plan_key(p, cfg, &v[i], dir, &p->keys[p->nkeys], notes,
		    skipped))
			p->nkeys++;
	if (p->nkeys > 0)
		qsort(p->keys, p->nkeys, sizeof(*p->keys), key_cmp);
	note_strangers(p, cfg->path, notes);
	if (!plan_zones(p))
		goto nomem;
	return true;
nomem:
	buf_puts(err, "out of memory");
fail:
	keyzone_plan_free(p);
	return false;
}

/* ---- writing ---------------------------------------------------------- */

static const char *
customer_name(const struct keyzone_key *k)
{
	return k->customer != NULL ? k->customer : "(no customer rule)";
}

/* The TXT records of zone z, with a comment line per customer (cname). */
static void
zone_records(const struct keyzone_plan *p, const struct keyzone_zone *z,
    struct buf *out)
{
	const struct keyzone_key *k, *prev = NULL;
	struct buf	 owner = BUF_INIT;
	size_t		 i;

	for (i = 0; i < z->n; i++) {
		k = &p->keys[z->keys[i]];
		if (z->kind == KEYZONE_CNAME && (prev == NULL ||
		    strcmp(prev->domain, k->domain) != 0))
			buf_printf(out, "; customer %s, %s\n",
			    customer_name(k), k->domain);
		prev = k;
		buf_reset(&owner);
		keyzone_owner(z, k, &owner);
		key_record_zone_line(out, buf_cstr(&owner), p->ttl, k->record);
	}
	buf_free(&owner);
}

/* What zone z is, for its comment line. */
static void
zone_what(const struct keyzone_zone *z, struct buf *out)
{
	switch (z->kind) {
	case KEYZONE_CUSTOMER:
		buf_printf(out, "customer %s, %s: the zone it delegates to "
		    "the ESP", customer_name(z->first), z->first->domain);
		break;
	case KEYZONE_ESP:
		buf_printf(out, "the ESP's token %s", z->first->domain);
		break;
	case KEYZONE_CNAME:
		buf_puts(out, "the CNAME targets, for customers that cannot "
		    "delegate");
		break;
	}
}

static void
ns_lines(const struct keyzone_plan *p, const char *prefix, const char *owner,
    struct buf *out)
{
	size_t	 i;

	for (i = 0; i < p->nns; i++)
		buf_printf(out, "%s%s. IN NS %s.\n", prefix, owner, p->ns[i]);
}

/* What to send the customer of keys [from, to) (one domain). */
static void
customer_lines(const struct keyzone_plan *p, size_t from, size_t to,
    struct buf *out)
{
	const struct keyzone_key *k = &p->keys[from];
	struct buf	 zone = BUF_INIT;
	size_t		 i, ndel = 0, ncname = 0;

	for (i = from; i < to; i++) {
		ndel += p->keys[i].delegated;
		ncname += p->keys[i].cname != NULL;
	}
	buf_printf(&zone, "%s._domainkey.%s", p->esp_id, k->domain);
	if (ndel > 0) {
		buf_printf(out, "; customer %s, %s: delegate %s to the ESP's "
		    "nameservers:\n", customer_name(k), k->domain, zone.data);
		ns_lines(p, ";   ", buf_cstr(&zone), out);
	} else
		buf_printf(out, "; customer %s, %s: no selector under %s: a "
		    "delegation of %s would serve none of its keys\n",
		    customer_name(k), k->domain, p->esp_id, buf_cstr(&zone));
	if (ncname > 0) {
		buf_printf(out, "; customer %s, %s: %s one CNAME per "
		    "selector:\n", customer_name(k), k->domain,
		    ndel > 0 ? "or, if it cannot delegate," : "publish");
		for (i = from; i < to; i++)
			if (p->keys[i].cname != NULL)
				buf_printf(out, ";   %s._domainkey.%s. IN "
				    "CNAME %s.\n", p->keys[i].selector,
				    p->keys[i].domain, p->keys[i].cname);
	}
	buf_free(&zone);
}

void
keyzone_print_delegations(const struct keyzone_plan *p, struct buf *out)
{
	size_t	 i, j;
	bool	 own = false;

	buf_puts(out, "; ---- to send each customer: the NS records of its "
	    "delegation or, failing that, its CNAME records\n");
	for (i = 0; i < p->nkeys && !p->keys[i].esp; i = j) {
		for (j = i + 1; j < p->nkeys && !p->keys[j].esp &&
		    strcmp(p->keys[j].domain, p->keys[i].domain) == 0; j++)
			continue;
		customer_lines(p, i, j, out);
	}
	for (i = 0; i < p->nzones; i++) {
		if (p->zones[i].kind == KEYZONE_CUSTOMER)
			continue;
		if (!own)
			buf_puts(out, "; ---- the ESP's own zones: delegate "
			    "each from its parent zone\n");
		own = true;
		ns_lines(p, ";   ", p->zones[i].name, out);
	}
}

void
keyzone_print(const struct keyzone_plan *p, struct buf *out)
{
	size_t	 i;

	for (i = 0; i < p->nzones; i++) {
		buf_printf(out, "; zone %s. (", p->zones[i].name);
		zone_what(&p->zones[i], out);
		buf_puts(out, ")\n");
		zone_records(p, &p->zones[i], out);
		buf_putc(out, '\n');
	}
	keyzone_print_delegations(p, out);
}

void
keyzone_file(const struct keyzone_plan *p, size_t i, uint32_t serial,
    struct buf *out)
{
	const struct keyzone_zone *z = &p->zones[i];
	const char	*ns1 = p->ns[0], *dot = strchr(ns1, '.');

	buf_printf(out, "; %s: ", z->name);
	zone_what(z, out);
	buf_puts(out, "\n; written by fblscope keys zone\n");
	buf_printf(out, "$ORIGIN %s.\n$TTL %u\n", z->name, p->ttl);
	buf_printf(out, "@ IN SOA %s. hostmaster.%s. (\n", ns1,
	    dot != NULL ? dot + 1 : ns1);
	buf_printf(out, "\t%lu\t; serial\n", (unsigned long)serial);
	buf_printf(out, "\t%d\t; refresh\n\t%d\t; retry\n\t%d\t; expire\n"
	    "\t%d )\t; negative caching\n", KEYZONE_SOA_REFRESH,
	    KEYZONE_SOA_RETRY, KEYZONE_SOA_EXPIRE, KEYZONE_SOA_MINIMUM);
	ns_lines(p, "", z->name, out);
	buf_putc(out, '\n');
	zone_records(p, z, out);
}

bool
keyzone_file_serial(const char *text, size_t len, uint32_t *serial)
{
	const char	*line = text, *end = text + len, *nl, *s;
	unsigned long	 v;
	char		*e;

	for (; line < end; line = nl + 1) {
		if ((nl = memchr(line, '\n', (size_t)(end - line))) == NULL)
			return false;
		s = mem_find(line, (size_t)(nl - line), "\t; serial", 9);
		if (s == NULL || s + 9 != nl)
			continue;
		while (line < s && (*line == '\t' || *line == ' '))
			line++;
		if (line == s || *line < '0' || *line > '9')
			return false;
		v = strtoul(line, &e, 10);
		if (e != s || v > 0xffffffffUL)
			return false;
		*serial = (uint32_t)v;
		return true;
	}
	return false;
}

uint32_t
keyzone_next_serial(uint32_t yyyymmdd, bool have_old, uint32_t old)
{
	uint32_t	 base = yyyymmdd * 100;

	if (have_old && old >= base && old < 0xffffffffU)
		return old + 1;
	return base;
}
