/* SPDX-License-Identifier: ISC */
/*
 * fuzz_verify: the whole of `fblscope verify` on a hostile message:
 * dkim_verify() with keys from a fixed zone (real RSA and ed25519 test keys,
 * so signed seeds reach the crypto, the body hashes and the diagnosis), then
 * every rendering, each checked for what its reader relies on:
 * - render_json: one line of valid JSON (RFC 8259, strings valid UTF-8),
 *   no negative number (all are counts, lengths and times);
 * - render_ar: an Authentication-Results field whose only line breaks are
 *   folds (LF then TAB), no other control byte: a hostile tag value must not
 *   add a header line;
 * - render_text: every line starts with "FILE: " and holds no control byte:
 *   a hostile value must not forge a result line;
 * - explain_render: no control byte but LF and TAB.
 *
 * FUZZ_MAX_LEN: 65536
 * FUZZ_SEEDS: dkim-cases
 * FUZZ_DICT: "DKIM-Signature: v=1; a=rsa-sha256; d=example.com; s=sel; "
 * FUZZ_DICT: "s=ed; a=ed25519-sha256; "
 * FUZZ_DICT: "s=cn; "
 * FUZZ_DICT: "s=strict; "
 * FUZZ_DICT: "s=small; "
 * FUZZ_DICT: "s=multi; "
 * FUZZ_DICT: "i=@example.com; "
 * FUZZ_DICT: "i=a=0A=1B@sub.example.com; "
 * FUZZ_DICT: "h=from:to:subject; "
 * FUZZ_DICT: "l=10; "
 * FUZZ_DICT: "l=9999999999999999999; "
 * FUZZ_DICT: "t=999999999999; "
 * FUZZ_DICT: "z=From:=20a|To:=20b; "
 * FUZZ_DICT: "From: a@example.com\x0d\x0a"
 * FUZZ_DICT: "\x0d\x0a\x0d\x0a"
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/err.h>

#include "base/buf.h"
#include "verifier/explain.h"
#include "verifier/keyfetch.h"
#include "verifier/render.h"
#include "verifier/verify.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define FILE_NAME	"msg.eml"
#define NOW		2000000000	/* 2033: after every seed's t= */

/* Throwaway test keys made for these seeds; nothing else uses them. */
#define RSA1024	"MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDosfUyF75/WGJ8RUIHTx/" \
	"TgCKmSh8Ekvy9lyEaXhbea1OdvPsM8kkpx7IvCyCU+/l76VXfE8LdwJEmePILZ3E" \
	"RbWEykGctM4fOu22Rv+hLzRpKo9Ok5kINw7QS0A1ZhYIfy6Nfh/8eSg8ngqlmF46" \
	"alqQYLZhzhK9mlExVoFBkLQIDAQAB"
#define RSA512	"MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBANUApCVf6CiibH9M5dBJDrXF7+jPBz" \
	"FhrdHcPWVcp2bkPScCvkz8Uo9irYNileR7IF5cwUOsUDesI+PGqtdO74kCAwEAAQ=="
#define ED25519	"5LZ+aBx4vp+knJRcDMsXpo0Q8s5JhJ0EHU5urg5pP5A="

static const char zone[] =
    "$TTL 300\n"
    "example.com. IN SOA ns.example.com. host.example.com. 1 3600 600 "
    "86400 60\n"
    "sel._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p=" RSA1024 "\"\n"
    "ed._domainkey.example.com. IN TXT \"v=DKIM1; k=ed25519; p=" ED25519
    "\"\n"
    "revoked._domainkey.example.com. IN TXT \"v=DKIM1; p=\"\n"
    "cn._domainkey.example.com. IN CNAME sel._domainkey.example.com.\n"
    "small._domainkey.example.com. IN TXT \"v=DKIM1; p=" RSA512 "\"\n"
    "strict._domainkey.example.com. IN TXT \"v=DKIM1; t=s:y; p=" RSA1024
    "\"\n"
    "sha1._domainkey.example.com. IN TXT \"v=DKIM1; h=sha1; p=" RSA1024
    "\"\n"
    "chat._domainkey.example.com. IN TXT \"v=DKIM1; s=chat; p=" RSA1024
    "\"\n"
    "kind._domainkey.example.com. IN TXT \"v=DKIM1; k=ed25519; p=" RSA1024
    "\"\n"
    "multi._domainkey.example.com. IN TXT \"v=DKIM1; k=rsa; p=" RSA1024
    "\"\n"
    "multi._domainkey.example.com. IN TXT \"v=DKIM1; n=bad\\010\\027"
    "note; k=x; p=AAAA\"\n"
    "junk._domainkey.example.com. IN TXT \"k=\\027[31m; p=\"\n";

static struct key_source	*keys;

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_verify: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

static void
fail_output(const char *what, const struct buf *out, size_t at)
{
	struct buf	 v = BUF_INIT;
	size_t		 from = at > 60 ? at - 60 : 0;
	size_t		 to = at + 60 < out->len ? at + 60 : out->len;

	buf_put_visible(&v, out->data + from, to - from);
	fprintf(stderr, "fuzz_verify: %s at byte %zu of the output:\n  ...%s"
	    "...\n", what, at, buf_cstr(&v));
	abort();
}

/* --- a strict JSON (RFC 8259) checker --- */

struct js {
	const unsigned char	*p;
	size_t			 n, i;
	int			 depth;
};

static void	js_value(struct js *);

static void
js_fail(struct js *j, const char *why)
{
	struct buf	 b = { (char *)(uintptr_t)j->p, j->n, j->n, false };

	fail_output(why, &b, j->i);
}

static void
js_ws(struct js *j)
{
	while (j->i < j->n && (j->p[j->i] == ' ' || j->p[j->i] == '\t' ||
	    j->p[j->i] == '\n' || j->p[j->i] == '\r'))
		j->i++;
}

static void
js_lit(struct js *j, const char *lit)
{
	size_t	 k = strlen(lit);

	if (j->n - j->i < k || memcmp(j->p + j->i, lit, k) != 0)
		js_fail(j, "JSON: bad literal");
	j->i += k;
}

static void
js_string(struct js *j)
{
	unsigned char	 c;
	size_t		 k, len;

	if (j->i >= j->n || j->p[j->i] != '"')
		js_fail(j, "JSON: string expected");
	j->i++;
	for (;;) {
		if (j->i >= j->n)
			js_fail(j, "JSON: unterminated string");
		c = j->p[j->i];
		if (c == '"') {
			j->i++;
			return;
		}
		if (c < 0x20)
			js_fail(j, "JSON: raw control byte in a string");
		if (c == '\\') {
			if (j->i + 1 >= j->n)
				js_fail(j, "JSON: bad escape");
			c = j->p[j->i + 1];
			if (strchr("\"\\/bfnrt", c) != NULL && c != '\0') {
				j->i += 2;
				continue;
			}
			if (c != 'u' || j->n - j->i < 6)
				js_fail(j, "JSON: bad escape");
			for (k = 2; k < 6; k++)
				if (strchr("0123456789abcdefABCDEF",
				    j->p[j->i + k]) == NULL ||
				    j->p[j->i + k] == '\0')
					js_fail(j, "JSON: bad \\u escape");
			j->i += 6;
			continue;
		}
		if (c < 0x80) {
			j->i++;
			continue;
		}
		/* UTF-8, RFC 3629 */
		if (c >= 0xc2 && c <= 0xdf)
			len = 2;
		else if (c >= 0xe0 && c <= 0xef)
			len = 3;
		else if (c >= 0xf0 && c <= 0xf4)
			len = 4;
		else
			js_fail(j, "JSON: invalid UTF-8 lead byte");
		if (j->n - j->i < len)
			js_fail(j, "JSON: truncated UTF-8");
		for (k = 1; k < len; k++)
			if ((j->p[j->i + k] & 0xc0) != 0x80)
				js_fail(j, "JSON: invalid UTF-8");
		if ((c == 0xe0 && j->p[j->i + 1] < 0xa0) ||
		    (c == 0xed && j->p[j->i + 1] > 0x9f) ||
		    (c == 0xf0 && j->p[j->i + 1] < 0x90) ||
		    (c == 0xf4 && j->p[j->i + 1] > 0x8f))
			js_fail(j, "JSON: overlong, surrogate or too big");
		j->i += len;
	}
}

static void
js_number(struct js *j)
{
	size_t	 start = j->i;

	/* every number of render_json is a count, a length or a time */
	if (j->i < j->n && j->p[j->i] == '-')
		js_fail(j, "JSON: a negative number");
	if (j->i < j->n && j->p[j->i] == '0')
		j->i++;
	else if (j->i < j->n && j->p[j->i] >= '1' && j->p[j->i] <= '9')
		while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
			j->i++;
	else
		js_fail(j, "JSON: bad number");
	if (j->i < j->n && j->p[j->i] == '.') {
		j->i++;
		if (j->i >= j->n || j->p[j->i] < '0' || j->p[j->i] > '9')
			js_fail(j, "JSON: bad fraction");
		while (j->i < j->n && j->p[j->i] >= '0' && j->p[j->i] <= '9')
			j->i++;
	}
	REQUIRE(j->i > start);
}

static void
js_value(struct js *j)
{
	if (++j->depth > 64)
		js_fail(j, "JSON: nested too deep");
	js_ws(j);
	if (j->i >= j->n)
		js_fail(j, "JSON: value expected");
	switch (j->p[j->i]) {
	case '{':
		j->i++;
		js_ws(j);
		if (j->i < j->n && j->p[j->i] == '}') {
			j->i++;
			break;
		}
		for (;;) {
			js_ws(j);
			js_string(j);
			js_ws(j);
			if (j->i >= j->n || j->p[j->i] != ':')
				js_fail(j, "JSON: ':' expected");
			j->i++;
			js_value(j);
			js_ws(j);
			if (j->i < j->n && j->p[j->i] == ',') {
				j->i++;
				continue;
			}
			if (j->i < j->n && j->p[j->i] == '}') {
				j->i++;
				break;
			}
			js_fail(j, "JSON: ',' or '}' expected");
		}
		break;
	case '[':
		j->i++;
		js_ws(j);
		if (j->i < j->n && j->p[j->i] == ']') {
			j->i++;
			break;
		}
		for (;;) {
			js_value(j);
			js_ws(j);
			if (j->i < j->n && j->p[j->i] == ',') {
				j->i++;
				continue;
			}
			if (j->i < j->n && j->p[j->i] == ']') {
				j->i++;
				break;
			}
			js_fail(j, "JSON: ',' or ']' expected");
		}
		break;
	case '"':
		js_string(j);
		break;
	case 't':
		js_lit(j, "true");
		break;
	case 'f':
		js_lit(j, "false");
		break;
	case 'n':
		js_lit(j, "null");
		break;
	default:
		js_number(j);
	}
	j->depth--;
}

static void
check_json(const struct buf *out)
{
	struct js	 j;

	REQUIRE(buf_ok(out));
	REQUIRE(out->len >= 2 && out->data[out->len - 1] == '\n');
	/* JSON Lines: exactly one line */
	if (memchr(out->data, '\n', out->len - 1) != NULL)
		fail_output("JSON: a line break inside the record", out,
		    (size_t)((char *)memchr(out->data, '\n', out->len - 1) -
		    out->data));
	j.p = (const unsigned char *)out->data;
	j.n = out->len - 1;
	j.i = 0;
	j.depth = 0;
	js_value(&j);
	js_ws(&j);
	if (j.i != j.n)
		js_fail(&j, "JSON: bytes after the value");
}

/* --- the other renderings --- */

static void
check_ar(const struct buf *out)
{
	static const char head[] = "Authentication-Results: ";
	size_t		 i;
	unsigned char	 c;

	REQUIRE(buf_ok(out));
	REQUIRE(out->len > sizeof(head) && memcmp(out->data, head,
	    sizeof(head) - 1) == 0);
	REQUIRE(out->data[out->len - 1] == '\n');
	for (i = 0; i < out->len - 1; i++) {
		c = (unsigned char)out->data[i];
		if (c == '\n' && out->data[i + 1] != '\t')
			fail_output("AR: a line break that is not a fold",
			    out, i);
		if ((c < 0x20 && c != '\n' && c != '\t') || c >= 0x7f)
			fail_output("AR: a control or 8-bit byte", out, i);
	}
}

static void
check_text(const struct buf *out)
{
	static const char prefix[] = FILE_NAME ": ";
	size_t		 i, bol = 0;
	unsigned char	 c;

	REQUIRE(buf_ok(out));
	REQUIRE(out->len > 0 && out->data[out->len - 1] == '\n');
	for (i = 0; i < out->len; i++) {
		if (i == bol && (out->len - i < sizeof(prefix) - 1 ||
		    memcmp(out->data + i, prefix, sizeof(prefix) - 1) != 0))
			fail_output("text: a line without the file prefix",
			    out, i);
		c = (unsigned char)out->data[i];
		if (c == '\n') {
			bol = i + 1;
			continue;
		}
		if (c < 0x20 || c == 0x7f)
			fail_output("text: a control byte", out, i);
	}
}

static void
check_explain(const struct buf *out)
{
	size_t		 i;
	unsigned char	 c;

	REQUIRE(buf_ok(out));
	for (i = 0; i < out->len; i++) {
		c = (unsigned char)out->data[i];
		if ((c < 0x20 && c != '\n' && c != '\t') || c == 0x7f)
			fail_output("explain: a control byte", out, i);
	}
}

/* The fixed zone, loaded once. */
static void
init_keys(void)
{
	struct key_source_opts	 o;
	struct buf		 err = BUF_INIT;
	const char		*zones[1];
	char			 path[256];
	const char		*tmp;
	int			 fd;

	if (access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	else if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(path, sizeof(path), "%s/fuzz_verify.XXXXXX", tmp);
	if ((fd = mkstemp(path)) == -1) {
		fprintf(stderr, "fuzz_verify: mkstemp %s: %s\n", path,
		    strerror(errno));
		abort();
	}
	REQUIRE(write(fd, zone, sizeof(zone) - 1) == (ssize_t)sizeof(zone) - 1);
	close(fd);
	memset(&o, 0, sizeof(o));
	zones[0] = path;
	o.zones = zones;
	o.nzones = 1;
	keys = key_source_new(&o, &err);
	unlink(path);
	if (keys == NULL) {
		fprintf(stderr, "fuzz_verify: the test zone: %s\n",
		    buf_cstr(&err));
		abort();
	}
	buf_free(&err);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct verify_opts	 o;
	struct verify_result	 vr;
	struct buf		 out = BUF_INIT;
	struct diagnosis	 dg;
	struct render_extra	 ex;
	size_t			 i;

	if (keys == NULL)
		init_keys();
	memset(&o, 0, sizeof(o));
	o.keys = keys;
	o.now = NOW;
	o.skew = VERIFY_DEFAULT_SKEW;
	o.keep_trace = true;
	/* false: not a message at all (or out of memory); free it anyway */
	if (!dkim_verify(&o, (const char *)data, size, &vr))
		goto out;
	REQUIRE(vr.nsigs <= VERIFY_MAX_SIGS && vr.nsigs <= vr.nsigs_total);
	for (i = 0; i < vr.nsigs; i++) {
		const struct sig_result *sr = &vr.sigs[i];

		REQUIRE(dkim_result_name(sr->result) != NULL);
		if (sr->result == DKIM_RESULT_PASS)
			REQUIRE(sr->reason == REASON_OK && sr->would_pass);
		if (sr->key != NULL)
			REQUIRE(sr->answer != NULL &&
			    sr->key == &sr->answer->txt[sr->key_index]);
	}
	(void)verify_all_pass(&vr);
	(void)verify_summary_word(&vr);

	render_json(&out, FILE_NAME, &vr, NULL);
	check_json(&out);
	buf_reset(&out);
	render_ar(&out, "mx.example.net", "(fuzz)\\in\tput", &vr, NULL);
	check_ar(&out);
	buf_reset(&out);
	render_text(&out, FILE_NAME, &vr, NULL);
	check_text(&out);
	buf_reset(&out);
	REQUIRE(diagnosis_make(&dg, &vr));
	memset(&ex, 0, sizeof(ex));
	ex.dg = &dg;
	explain_render(&out, FILE_NAME, &vr, &ex);
	check_explain(&out);
	/* the diagnosis in the other formats: the same checks hold */
	buf_reset(&out);
	render_json(&out, FILE_NAME, &vr, &ex);
	check_json(&out);
	buf_reset(&out);
	render_ar(&out, "mx.example.net", FILE_NAME, &vr, &ex);
	check_ar(&out);
	diagnosis_free(&dg);
out:
	verify_result_free(&vr);
	buf_free(&out);
	ERR_clear_error();
	return 0;
}
