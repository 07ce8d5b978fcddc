/* SPDX-License-Identifier: ISC */
/*
 * imap_url: what an IMAP source spec is (imap_local.h): the URL split by
 * libcurl's parser and checked (no password in it, a folder), the folder
 * names fblscope will send, the key two runs of one folder share.
 */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <curl/curl.h>

#include "fbl/source/mailsource.h"
#include "fbl/source/mailsource_local.h"
#include "fbl/source/imap_local.h"

bool
mail_source_is_imap(const char *spec)
{
	return imap_spec(spec);
}

bool
imap_spec(const char *spec)
{
	return strncasecmp(spec, "imap://", 7) == 0 ||
	    strncasecmp(spec, "imaps://", 8) == 0;
}

/*
 * Folder names are sent quoted, and read back in replies parsed as words:
 * printable ASCII without quotes, backslashes, parentheses, wildcards or
 * '&' (the start of modified UTF-7).
 */
bool
imap_folder_ok(const char *f)
{
	size_t	 i;

	for (i = 0; f[i] != '\0'; i++)
		if (f[i] < ' ' || f[i] > '~' || strchr("\"\\()%*&{}", f[i]))
			return false;
	return i > 0 && i <= IMAP_MAX_FOLDER && f[0] != ' ' &&
	    f[i - 1] != ' ';
}


void
imap_url_free(struct url_parts *u)
{
	curl_free(u->scheme);
	curl_free(u->user);
	curl_free(u->password);
	curl_free(u->host);
	curl_free(u->port);
	curl_free(u->path);
	curl_free(u->rawpath);
	curl_free(u->query);
	curl_free(u->fragment);
	curl_free(u->options);
}

bool
imap_url_split(const char *spec, struct url_parts *u, struct buf *err)
{
	CURLU		*h;
	const char	*why = NULL;

	memset(u, 0, sizeof(*u));
	if ((h = curl_url()) == NULL ||
	    curl_url_set(h, CURLUPART_URL, spec, 0) != CURLUE_OK) {
		curl_url_cleanup(h);
		buf_printf(err, "%s: not a URL", spec);
		return false;
	}
	(void)curl_url_get(h, CURLUPART_SCHEME, &u->scheme, 0);
	(void)curl_url_get(h, CURLUPART_USER, &u->user, CURLU_URLDECODE);
	(void)curl_url_get(h, CURLUPART_PASSWORD, &u->password, 0);
	(void)curl_url_get(h, CURLUPART_OPTIONS, &u->options, 0);
	(void)curl_url_get(h, CURLUPART_HOST, &u->host, 0);
	(void)curl_url_get(h, CURLUPART_PORT, &u->port, 0);
	(void)curl_url_get(h, CURLUPART_PATH, &u->path, CURLU_URLDECODE);
	(void)curl_url_get(h, CURLUPART_PATH, &u->rawpath, 0);
	(void)curl_url_get(h, CURLUPART_QUERY, &u->query, 0);
	(void)curl_url_get(h, CURLUPART_FRAGMENT, &u->fragment, 0);
	curl_url_cleanup(h);
	if (u->password != NULL)
		why = "a password in the URL is readable by every user of this "
		    "machine (ps): put it in the file imap-password-file or "
		    "--imap-password-file names instead";
	else if (u->user == NULL || u->user[0] == '\0')
		why = "no user: imaps://USER@HOST/FOLDER";
	else if (u->host == NULL || u->host[0] == '\0')
		why = "no host";
	else if (u->query != NULL || u->fragment != NULL ||
	    u->options != NULL || u->rawpath == NULL ||
	    strchr(u->rawpath, ';') != NULL)
		why = "only imaps://USER@HOST[:PORT]/FOLDER is taken (no "
		    "options, ;UID=, ?query or #fragment)";
	else if (u->path == NULL || !imap_folder_ok(u->path + 1))
		why = "no folder, or a folder name with other than printable "
		    "ASCII, or with \" \\ ( ) % * & { }";
	if (why == NULL)
		return true;
	/* the spec may hold the password: never repeated */
	buf_printf(err, "%s://%s: %s", u->scheme != NULL ? u->scheme : "imap",
	    u->host != NULL ? u->host : "?", why);
	imap_url_free(u);
	return false;
}

bool
mail_source_claim_key(const char *spec, struct buf *key)
{
	struct url_parts u;
	struct buf	 ignore = BUF_INIT;

	if (!imap_spec(spec) || !imap_url_split(spec, &u, &ignore)) {
		buf_free(&ignore);
		return false;
	}
	/* imaps:// and imap:// to one server name one folder */
	buf_printf(key, "imap %s@%s:%s/%s", u.user, u.host, u.port != NULL ?
	    u.port : strcasecmp(u.scheme, "imaps") == 0 ? "993" : "143",
	    u.path + 1);
	imap_url_free(&u);
	return true;
}
