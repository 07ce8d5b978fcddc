/* SPDX-License-Identifier: ISC */
/*
 * fuzz_dkim_sig: message_parse() of the input, then dkim_sig_parse() of every
 * DKIM-Signature field (of the first field when there is none, so that the
 * tag parsing is reached without the fuzzer having to find the name first),
 * then the accessors, the clock checks and dkim_sig_free().
 *
 * The struct is filled with garbage before each parse: dkim_sig_parse() must
 * initialise all of it.
 *
 * FUZZ_MAX_LEN: 65536
 * FUZZ_SEEDS: dkim-cases
 * FUZZ_DICT: "DKIM-Signature:"
 * FUZZ_DICT: "v=1;"
 * FUZZ_DICT: "a=rsa-sha256;"
 * FUZZ_DICT: "a=rsa-sha1;"
 * FUZZ_DICT: "a=ed25519-sha256;"
 * FUZZ_DICT: "c=relaxed/simple;"
 * FUZZ_DICT: "c=simple/relaxed;"
 * FUZZ_DICT: "d=example.com;"
 * FUZZ_DICT: "s=sel;"
 * FUZZ_DICT: "i=@example.com;"
 * FUZZ_DICT: "i=user=40sub.example.com;"
 * FUZZ_DICT: "=00"
 * FUZZ_DICT: "h=From:To:Subject;"
 * FUZZ_DICT: "l=18446744073709551616;"
 * FUZZ_DICT: "t=1700000000;"
 * FUZZ_DICT: "x=99999999999999999999;"
 * FUZZ_DICT: "q=dns/txt;"
 * FUZZ_DICT: "z=From:=20a|To:b;"
 * FUZZ_DICT: "bh=47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=;"
 * FUZZ_DICT: "b=dGVzdA==;"
 * FUZZ_DICT: "\x0d\x0a\x09"
 * FUZZ_DICT: "\x0d\x0a\x0d\x0a"
 */
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "verifier/dkim_sig.h"
#include "base/hex.h"
#include "verifier/message.h"
#include "verifier/result.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

/* at most this many signatures per input, to keep the exec rate up */
#define MAX_SIGS	16

static volatile size_t sink;

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_dkim_sig: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

static void
read_str(const char *s)
{
	if (s != NULL)
		sink += strlen(s);
}

/*
 * Does the i= value, dkim-quoted-printable decoded, hold a NUL?  Then a
 * C string cannot carry it: a signature that parses cleanly would report
 * a shorter identity than the one signed.
 */
static bool
qp_has_nul(const struct tag *t)
{
	size_t	 k;

	for (k = 0; k + 2 < t->value_len; k++)
		if (t->value[k] == '=' && hex_digit(t->value[k + 1]) == 0 &&
		    hex_digit(t->value[k + 2]) == 0)
			return true;
	return false;
}

static void
check_sig(const struct message *m, size_t idx)
{
	static const int64_t	 clocks[] = { 0, 1700000000, 4102444800 };
	static const char *const names[] = {
		"from", "From", "to", "subject", "dkim-signature", "",
	};
	struct dkim_sig		*sig;
	const struct tag	*t;
	struct buf		 why = BUF_INIT;
	const struct header_field *f = &m->fields[idx];
	enum dkim_reason	 r;
	size_t			 i, n;

	/* on the heap, so ASan sees overruns of its arrays */
	if ((sig = malloc(sizeof(*sig))) == NULL)
		return;
	memset(sig, 0xa5, sizeof(*sig));
	dkim_sig_parse(sig, m, idx);

	REQUIRE(sig->field_index == idx);
	REQUIRE(sig->field == f);
	REQUIRE(dkim_reason_name(sig->err) != NULL);
	REQUIRE(buf_ok(&sig->err_detail));
	read_str(buf_cstr(&sig->err_detail));
	read_str(sig->v);
	read_str(sig->a);
	read_str(sig->c);
	read_str(sig->d);
	read_str(sig->s);
	read_str(sig->i);
	read_str(sig->q);
	read_str(sig->z);
	read_str(dkim_alg_name(sig->alg));
	read_str(dkim_canon_name(sig->hcanon));
	read_str(dkim_canon_name(sig->bcanon));
	REQUIRE(sig->tags.ntags <= TAG_LIST_MAX);

	/* h= names point into the field */
	REQUIRE(sig->nh <= DKIM_SIG_MAX_H);
	for (i = 0; i < sig->nh; i++) {
		REQUIRE(sig->h[i].name >= f->raw);
		REQUIRE(sig->h[i].name <= f->raw + f->raw_len);
		REQUIRE(sig->h[i].len <= (size_t)(f->raw + f->raw_len -
		    sig->h[i].name));
		sink += sig->h[i].len;
	}
	for (i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		n = dkim_sig_signs(sig, names[i]);
		REQUIRE(n <= sig->nh);
	}
	REQUIRE(buf_ok(&sig->b) && buf_ok(&sig->bh));
	sink += sig->b.len + sig->bh.len;

	if (sig->err == REASON_OK || sig->err == REASON_ALGORITHM_FORBIDDEN) {
		/* a well-formed signature has what section 3.5 requires */
		REQUIRE(sig->tags_ok);
		REQUIRE(sig->alg != DKIM_ALG_UNKNOWN);
		REQUIRE(sig->d != NULL && sig->s != NULL);
		REQUIRE(sig->nh > 0);
		REQUIRE(sig->b.len > 0 && sig->bh.len > 0);
		REQUIRE(sig->b_value_off <= sig->b_value_end);
		REQUIRE(sig->b_value_end <= f->raw_len);
		REQUIRE(dkim_sig_signs(sig, "from") > 0);
		if (sig->err == REASON_ALGORITHM_FORBIDDEN)
			REQUIRE(sig->alg == DKIM_ALG_RSA_SHA1);
		/* i= is decoded whole, or refused */
		if ((t = tag_list_get(&sig->tags, "i")) != NULL &&
		    qp_has_nul(t)) {
			fprintf(stderr, "fuzz_dkim_sig: i= decodes to a NUL "
			    "but parses cleanly as \"%s\"\n", sig->i);
			abort();
		}
	}

	for (i = 0; i < sizeof(clocks) / sizeof(clocks[0]); i++) {
		r = dkim_sig_check_time(sig, clocks[i], 300, &why);
		REQUIRE(dkim_reason_name(r) != NULL);
		REQUIRE(r == REASON_OK || r == REASON_EXPIRED ||
		    r == REASON_FUTURE_TIMESTAMP);
		REQUIRE(buf_ok(&why));
		buf_reset(&why);
	}
	buf_free(&why);
	dkim_sig_free(sig);
	free(sig);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct message	 m;
	size_t		 i, nsig = 0;

	if (message_parse(&m, (const char *)data, size) == MESSAGE_OK) {
		for (i = 0; i < m.nfields && nsig < MAX_SIGS; i++) {
			if (!header_name_is(&m.fields[i], "DKIM-Signature",
			    14))
				continue;
			check_sig(&m, i);
			nsig++;
		}
		if (nsig == 0 && m.nfields > 0)
			check_sig(&m, 0);
	}
	message_free(&m);
	return 0;
}
