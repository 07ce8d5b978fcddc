/* SPDX-License-Identifier: ISC */
/* keyimport: keys from zone files and private key directories; keyimport.h */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <ldns/ldns.h>

#include "fbl/classify.h"
#include "fbl/keys/keyimport.h"
#include "base/pkey.h"
#include "verifier/crypto.h"
#include "verifier/dnsquery.h"
#include "verifier/sign.h"
#include "verifier/zonefile.h"

#define KI_MAX_ERRORS	100	/* bad entries noted per zone file */
#define KI_MAX_LABELS	127

/* ---- entries ---------------------------------------------------------- */

static bool
push_entry(struct key_import *ki, struct key_archive_entry *e,
    struct buf *err)
{
	struct key_archive_entry *v;
	size_t	 ncap;

	if (ki->n == ki->cap) {
		ncap = ki->cap == 0 ? 16 : ki->cap * 2;
		if ((v = reallocarray(ki->v, ncap, sizeof(*v))) == NULL) {
			buf_puts(err, "out of memory");
			keyarchive_entry_free(e);
			return false;
		}
		ki->v = v;
		ki->cap = ncap;
	}
	ki->v[ki->n++] = *e;
	return true;
}

/* An entry from name and record, or a note on why not. */
static bool
candidate(struct key_import *ki, const char *where, const char *name,
    const char *rec, size_t len, struct buf *err)
{
	struct key_archive_entry e;
	struct buf	 why = BUF_INIT;
	bool		 ok = true;

	if (keyarchive_entry_init(&e, name, rec, len, &why))
		ok = push_entry(ki, &e, err);
	else {
		buf_printf(&ki->notes, "%s: ", where);
		buf_put_safe(&ki->notes, name);
		buf_puts(&ki->notes, ": skipped: ");
		buf_put_safe(&ki->notes, buf_cstr(&why));
		buf_putc(&ki->notes, '\n');
		ki->skipped++;
	}
	buf_free(&why);
	return ok;
}

void
keyimport_free(struct key_import *ki)
{
	keyarchive_entries_free(ki->v, ki->n);
	buf_free(&ki->notes);
	memset(ki, 0, sizeof(*ki));
}

/* ---- zone files ------------------------------------------------------- */

/* Does the owner (text, any case) have a "_domainkey" label? */
static bool
dk_owner(const char *s)
{
	size_t	 n;

	for (;;) {
		n = strcspn(s, ".");
		if (n == 10 && strncasecmp(s, "_domainkey", 10) == 0)
			return true;
		if (s[n] == '\0')
			return false;
		s += n + 1;
	}
}

/* What keyimport_zone() reads one file with. */
struct zone_import {
	struct key_import *ki;
	struct buf	 first_error;	/* the first bad entry's */
};

static bool
zone_rr(void *arg, const char *path, int line, ldns_rr *rr, struct buf *err)
{
	struct zone_import *zi = arg;
	struct buf	 txt = BUF_INIT, where = BUF_INIT;
	char		*owner = NULL;
	bool		 ok = true;

	if (ldns_rr_get_type(rr) != LDNS_RR_TYPE_TXT)
		goto out;
	if ((owner = ldns_rdf2str(ldns_rr_owner(rr))) == NULL) {
		buf_puts(err, "out of memory");
		ok = false;
		goto out;
	}
	if (dk_owner(owner)) {
		buf_printf(&where, "%s:%d", path, line);
		if (!dns_txt_join(rr, &txt) || !buf_ok(&where)) {
			buf_puts(err, "out of memory");
			ok = false;
		} else
			ok = candidate(zi->ki, where.data, owner,
			    buf_cstr(&txt), txt.len, err);
	}
out:
	free(owner);
	buf_free(&txt);
	buf_free(&where);
	ldns_rr_free(rr);
	return ok;
}

/* A bad entry: noted, and reading goes on (zonefile.h). */
static void
zone_bad(void *arg, const char *path, int line, const char *why)
{
	struct zone_import *zi = arg;

	if (zi->first_error.len == 0)
		buf_printf(&zi->first_error, "%s:%d: %s", path, line, why);
	buf_printf(&zi->ki->notes, "%s:%d: skipped: %s\n", path, line, why);
}

bool
keyimport_zone(struct key_import *ki, const char *path, struct buf *err)
{
	struct zonefile_reader	 zr;
	struct zone_import	 zi;
	size_t			 nrr;
	bool			 ok;

	zi.ki = ki;
	buf_init(&zi.first_error);
	memset(&zr, 0, sizeof(zr));
	zr.policy = ZONEFILE_SKIP;
	zr.max_bad = KI_MAX_ERRORS;
	zr.rr = zone_rr;
	zr.bad = zone_bad;
	zr.arg = &zi;
	ok = zonefile_read(path, &zr, &nrr, err);
	if (ok && nrr == 0) {
		if (zi.first_error.len > 0)
			buf_puts(err, buf_cstr(&zi.first_error));
		else
			buf_printf(err, "%s: no resource records", path);
		ok = false;
	}
	buf_free(&zi.first_error);
	return ok;
}

/* ---- private key directories ------------------------------------------ */

static bool
fname_char(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	    (c >= '0' && c <= '9') || c == '-' || c == '_';
}

/*
 * SELECTOR.DOMAIN from a file name (".pem" already cut, len bytes): the
 * offset of the dot ending the selector, or 0 when the name is not of that
 * form.
 */
static size_t
selector_end(const struct fbl_config *cfg, const char *base, size_t len)
{
	size_t	 dots[KI_MAX_LABELS], nd = 0, i, start = 0;
	char	 sel[KEYARCHIVE_NAME_MAX + 1];

	if (len == 0 || len > KEYARCHIVE_NAME_MAX)
		return 0;
	for (i = 0; i < len; i++) {
		if (base[i] == '.') {
			if (i == start || nd == KI_MAX_LABELS)
				return 0;
			dots[nd++] = i;
			start = i + 1;
		} else if (!fname_char((unsigned char)base[i]))
			return 0;
	}
	/* selector, then at least two labels of domain */
	if (start == len || nd < 2)
		return 0;
	for (i = 0; cfg != NULL && i + 1 < nd; i++) {
		memcpy(sel, base, dots[i]);
		sel[dots[i]] = '\0';
		if (classify_selector(cfg, sel, NULL, NULL))
			return dots[i];
	}
	return dots[0];
}

/* The public key record of a private key file; false with why. */
static bool
pem_record(const char *path, struct buf *rec, struct buf *why)
{
	EVP_PKEY	*pk;
	bool		 ok;

	if ((pk = pkey_load_private(path, why)) == NULL)
		return false;
	if (crypto_key_check(pk, why) != CRYPTO_KEY_OK) {
		EVP_PKEY_free(pk);
		return false;
	}
	ok = sign_key_record(pk, false, rec);
	if (!ok)
		buf_puts(why, "not an RSA or Ed25519 key");
	EVP_PKEY_free(pk);
	return ok;
}

/* A .pem file of the directory whose name has the right form. */
static bool
keydir_pem(struct key_import *ki, const char *path, const char *base,
    size_t selend, size_t baselen, struct buf *err)
{
	struct buf	 rec = BUF_INIT, name = BUF_INIT, why = BUF_INIT;
	bool		 ok = true;

	buf_printf(&name, "%.*s._domainkey.%.*s", (int)selend, base,
	    (int)(baselen - selend - 1), base + selend + 1);
	if (!pem_record(path, &rec, &why)) {
		buf_printf(&ki->notes, "%s: skipped: %s\n", path,
		    buf_cstr(&why));
		ki->skipped++;
	} else if (!buf_ok(&name) || !buf_ok(&rec)) {
		buf_puts(err, "out of memory");
		ok = false;
	} else
		ok = candidate(ki, path, name.data, rec.data, rec.len, err);
	buf_free(&rec);
	buf_free(&name);
	buf_free(&why);
	return ok;
}

static void
ignore_file(struct key_import *ki, const char *path, const char *why)
{
	buf_put_safe(&ki->notes, path);
	buf_printf(&ki->notes, ": ignored: %s\n", why);
	ki->ignored++;
}

/*
 * keygen writes SELECTOR.DOMAIN.zone beside SELECTOR.DOMAIN.pem: such a
 * companion is left out without a note (it says nothing the .pem does not).
 */
static bool
keygen_companion(const char *path, size_t len)
{
	struct buf	 pem = BUF_INIT;
	struct stat	 sb;
	bool		 yes = false;

	if (len > 5 && strcmp(path + len - 5, ".zone") == 0) {
		buf_append(&pem, path, len - 5);
		buf_puts(&pem, ".pem");
		yes = buf_ok(&pem) && stat(pem.data, &sb) == 0 &&
		    S_ISREG(sb.st_mode);
	}
	buf_free(&pem);
	return yes;
}

static bool
keydir_file(struct key_import *ki, const char *dir, const char *fname,
    const struct fbl_config *cfg, struct buf *err)
{
	struct buf	 path = BUF_INIT;
	struct stat	 sb;
	size_t		 len = strlen(fname), selend = 0;
	bool		 ok = true;

	buf_printf(&path, "%s%s%s", dir, dir[0] != '\0' &&
	    dir[strlen(dir) - 1] == '/' ? "" : "/", fname);
	if (!buf_ok(&path)) {
		buf_puts(err, "out of memory");
		return false;
	}
	if (len > 4 && strcmp(fname + len - 4, ".pem") == 0)
		selend = selector_end(cfg, fname, len - 4);
	if (stat(path.data, &sb) == -1)
		ignore_file(ki, path.data, strerror(errno));
	else if (!S_ISREG(sb.st_mode))
		ignore_file(ki, path.data, "not a regular file");
	else if (selend == 0 && keygen_companion(path.data, path.len))
		ki->ignored++;
	else if (selend == 0)
		ignore_file(ki, path.data, "not named SELECTOR.DOMAIN.pem");
	else
		ok = keydir_pem(ki, path.data, fname, selend, len - 4, err);
	buf_free(&path);
	return ok;
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
names_free(char **v, size_t n)
{
	while (n > 0)
		free(v[--n]);
	free(v);
}

/* The directory's entry names, sorted (hidden ones left out). */
static bool
dir_names(const char *dir, char ***out, size_t *n, struct buf *err)
{
	DIR		*d;
	struct dirent	*de;
	char		**v = NULL, **nv;
	size_t		 cap = 0;

	*n = 0;
	if ((d = opendir(dir)) == NULL) {
		buf_printf(err, "%s: %s", dir, strerror(errno));
		return false;
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		if (*n == cap) {
			cap = cap == 0 ? 32 : cap * 2;
			if ((nv = reallocarray(v, cap, sizeof(*v))) == NULL)
				goto nomem;
			v = nv;
		}
		if ((v[*n] = strdup(de->d_name)) == NULL)
			goto nomem;
		(*n)++;
	}
	closedir(d);
	if (*n > 0)
		qsort(v, *n, sizeof(*v), str_cmp);
	*out = v;
	return true;
nomem:
	closedir(d);
	names_free(v, *n);
	buf_puts(err, "out of memory");
	return false;
}

bool
keyimport_keydir(struct key_import *ki, const char *dir,
    const struct fbl_config *cfg, struct buf *err)
{
	char	**names = NULL;
	size_t	  n, i;
	bool	  ok = true;

	if (!dir_names(dir, &names, &n, err))
		return false;
	for (i = 0; ok && i < n; i++)
		ok = keydir_file(ki, dir, names[i], cfg, err);
	names_free(names, n);
	return ok;
}

bool
keyimport_path(struct key_import *ki, const char *path,
    const struct fbl_config *cfg, struct buf *err)
{
	struct stat	 sb;

	if (stat(path, &sb) == -1) {
		buf_printf(err, "%s: %s", path, strerror(errno));
		return false;
	}
	if (S_ISDIR(sb.st_mode))
		return keyimport_keydir(ki, path, cfg, err);
	return keyimport_zone(ki, path, err);
}
