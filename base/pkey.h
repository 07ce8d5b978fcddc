/* SPDX-License-Identifier: ISC */
/*
 * pkey: the one private-key loader.  fblscope runs unattended (nightly
 * jobs, key audits), so it never asks for a passphrase: an encrypted key
 * is an error that says so, not a prompt on the terminal.
 */
#ifndef FBL_BASE_PKEY_H
#define FBL_BASE_PKEY_H

#include <openssl/evp.h>

#include "base/buf.h"

/* A PEM private key from path, or NULL with the reason (the caller
 * names the file). */
EVP_PKEY	*pkey_load_private(const char *path, struct buf *err);

#endif
