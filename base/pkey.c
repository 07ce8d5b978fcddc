/* SPDX-License-Identifier: ISC */
/* pkey: the one private-key loader; see pkey.h. */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include <openssl/bio.h>
#include <openssl/err.h>
#include <openssl/pem.h>

#include "base/pkey.h"

/* Called when the key is encrypted: refuse, and remember that it was. */
static int
no_passphrase(char *b, int size, int rw, void *asked)
{
	(void)b;
	(void)size;
	(void)rw;
	*(bool *)asked = true;
	return -1;
}

EVP_PKEY *
pkey_load_private(const char *path, struct buf *err)
{
	BIO		*bio;
	EVP_PKEY	*pk;
	unsigned long	 e;
	char		 msg[256];
	bool		 asked = false;

	if ((bio = BIO_new_file(path, "r")) == NULL) {
		buf_printf(err, "cannot open: %s", strerror(errno));
		ERR_clear_error();
		return NULL;
	}
	pk = PEM_read_bio_PrivateKey(bio, NULL, no_passphrase, &asked);
	BIO_free(bio);
	if (pk != NULL)
		return pk;
	if (asked)
		buf_puts(err, "an encrypted private key (fblscope never asks "
		    "for a passphrase: decrypt it with openssl pkey)");
	else if ((e = ERR_peek_last_error()) != 0) {
		ERR_error_string_n(e, msg, sizeof(msg));
		buf_printf(err, "not a PEM private key (%s)", msg);
	} else
		buf_puts(err, "not a PEM private key");
	ERR_clear_error();
	return NULL;
}
