/* SPDX-License-Identifier: ISC */
/*
 * json: the small JSON writer the renderers share.  Strings are written as
 * valid JSON whatever the input bytes: controls escaped, valid UTF-8 kept,
 * every invalid byte replaced by U+FFFD.
 */
#ifndef FBL_JSON_H
#define FBL_JSON_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/buf.h"

void	 json_str(struct buf *, const char *, size_t);
void	 json_cstr(struct buf *, const char *);		/* NULL -> null */
/* ,"key": prefixes; first says whether to omit the comma */
void	 json_key(struct buf *, const char *key, bool *first);
void	 json_kv_str(struct buf *, const char *key, const char *, bool *first);
void	 json_kv_int(struct buf *, const char *key, int64_t, bool *first);
void	 json_kv_uint(struct buf *, const char *key, uint64_t, bool *first);
void	 json_kv_bool(struct buf *, const char *key, bool, bool *first);
void	 json_kv_null(struct buf *, const char *key, bool *first);

#endif
