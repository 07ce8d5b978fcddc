/* SPDX-License-Identifier: ISC */
/*
 * keyfetch_test.h: what the parts of test_keyfetch share.  The test is
 * split by the source its keys come from: zone files and the resolver
 * configuration (test_keyfetch.c, which holds main and these helpers), a
 * fake server answering badly (keyfetch_fake.c) and a real NSD
 * (keyfetch_nsd.c).
 */
#ifndef FBL_KEYFETCH_TEST_H
#define FBL_KEYFETCH_TEST_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "verifier/keyfetch.h"

/* RFC 8463 appendix A.3 public key. */
#define ED_P	"11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo="
#define ED_KEY	"v=DKIM1; k=ed25519; p=" ED_P

/* The scratch directory, made by main and removed at exit. */
extern char	 tmpdir[];

/* Write text to name under tmpdir; the path stays valid. */
const char	*write_file(const char *name, const char *text);
long		 ms_since(const struct timespec *t0);
bool		 has(const char *s, const char *sub);
/* A resolver source; a failure to make one ends the test. */
struct key_source *dns_source(const char *const *servers, size_t n,
		    unsigned timeout_ms, size_t cache_max);

void		 test_fake(void);
void		 test_nsd(void);
/* Stops the NSDs test_nsd started, if any; for the exit handler. */
void		 nsd_stop(void);

#endif
