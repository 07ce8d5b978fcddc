/* SPDX-License-Identifier: ISC */
/* cmd_sign: `fblscope sign` and `fblscope keygen`. */
#include <sys/stat.h>

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>


#include "base/date.h"
#include "base/file.h"
#include "verifier/cli.h"
#include "verifier/commands.h"
#include "verifier/crypto.h"
#include "verifier/key_record.h"
#include "verifier/sign.h"

static const char sign_usage[] =
"usage: fblscope sign --domain D --selector S --key KEY.pem [options] FILE|-\n"
"\n"
"Sign a message and write it, with the new DKIM-Signature on top, to\n"
"standard output.  The key type picks the algorithm: RSA -> rsa-sha256,\n"
"Ed25519 -> ed25519-sha256.\n"
"\n"
"  --domain D         d= (the signing domain)\n"
"  --selector S       s=\n"
"  --key FILE         PEM private key\n"
"  --canon H/B        header/body canonicalization (default relaxed/relaxed)\n"
"  --headers LIST     colon-separated fields to sign (default: the usual\n"
"                     fields present in the message, From always)\n"
"  --oversign         list each signed field once more, so none can be added\n"
"  --length           add l= (body length)\n"
"  --identity I       i= (the agent or user identifier)\n"
"  --timestamp EPOCH  t= (default: now); --no-timestamp for none\n"
"  --expire SECONDS   x= = t= + SECONDS\n"
"  -h, --help         this text\n";

static const char keygen_usage[] =
"usage: fblscope keygen --domain D --selector S --out PREFIX [options]\n"
"\n"
"Make a key pair: PREFIX.pem (PKCS#8 private key, mode 0600) and\n"
"PREFIX.zone (the TXT record to publish at S._domainkey.D).\n"
"\n"
"  --type rsa|ed25519  key type (default rsa)\n"
"  --bits N            RSA size (default 2048; 1024 to 8192)\n"
"  --ttl N             TTL of the zone line (default 3600)\n"
"  --testing           add t=y to the record\n"
"  --force             replace PREFIX.pem and PREFIX.zone if they exist\n"
"                      (without it keygen refuses, exit 2)\n"
"  -h, --help          this text\n";

enum {
	OPT_DOMAIN = CLI_OPT_FIRST_FREE, OPT_SELECTOR, OPT_KEY, OPT_CANON,
	OPT_HEADERS, OPT_OVERSIGN, OPT_LENGTH, OPT_IDENTITY, OPT_TIMESTAMP,
	OPT_NO_TIMESTAMP, OPT_EXPIRE, OPT_TYPE, OPT_BITS, OPT_OUT, OPT_TTL,
	OPT_TESTING, OPT_FORCE
};

static const struct option sign_longopts[] = {
	{ "domain", required_argument, NULL, OPT_DOMAIN },
	{ "selector", required_argument, NULL, OPT_SELECTOR },
	{ "key", required_argument, NULL, OPT_KEY },
	{ "canon", required_argument, NULL, OPT_CANON },
	{ "headers", required_argument, NULL, OPT_HEADERS },
	{ "oversign", no_argument, NULL, OPT_OVERSIGN },
	{ "length", no_argument, NULL, OPT_LENGTH },
	{ "identity", required_argument, NULL, OPT_IDENTITY },
	{ "timestamp", required_argument, NULL, OPT_TIMESTAMP },
	{ "no-timestamp", no_argument, NULL, OPT_NO_TIMESTAMP },
	{ "expire", required_argument, NULL, OPT_EXPIRE },
	CLI_HELP_LONGOPT_END,
};

static bool
parse_canon_pair(const char *s, struct sign_opts *o)
{
	char	 h[16], b[16];

	if (strcmp(s, "simple") == 0 || strcmp(s, "relaxed") == 0) {
		o->hcanon = s[0] == 'r' ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
		o->bcanon = DKIM_CANON_SIMPLE;	/* section 3.5, c= default */
		return true;
	}
	if (sscanf(s, "%15[a-z]/%15[a-z]", h, b) != 2 ||
	    (strcmp(h, "simple") != 0 && strcmp(h, "relaxed") != 0) ||
	    (strcmp(b, "simple") != 0 && strcmp(b, "relaxed") != 0))
		return false;
	o->hcanon = h[0] == 'r' ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
	o->bcanon = b[0] == 'r' ? DKIM_CANON_RELAXED : DKIM_CANON_SIMPLE;
	return true;
}

static int
sign_message(struct sign_opts *o, const char *keyfile, const char *file)
{
	struct buf	 raw = BUF_INIT, field = BUF_INIT, err = BUF_INIT;
	int		 status = 2;

	if ((o->key = crypto_load_private(keyfile, &err)) == NULL)
		goto out;
	if (!file_read(file, CLI_MAX_MESSAGE, &raw, &err))
		goto out;
	if (!dkim_sign(o, raw.data, raw.len, &field, &err)) {
		buf_printf(&err, " (%s)", file);
		goto out;
	}
	if (fwrite(field.data, 1, field.len, stdout) != field.len ||
	    fwrite(raw.data, 1, raw.len, stdout) != raw.len ||
	    fflush(stdout) != 0) {
		buf_puts(&err, "write error on standard output");
		goto out;
	}
	status = 0;
out:
	if (status != 0)
		fprintf(stderr, "fblscope sign: %s\n", buf_cstr(&err));
	EVP_PKEY_free(o->key);
	buf_free(&raw);
	buf_free(&field);
	buf_free(&err);
	return status;
}

int
cmd_sign(int argc, char **argv)
{
	struct sign_opts o;
	const char	*keyfile = NULL;
	unsigned long	 v;
	int64_t		 t;
	int		 ch;

	memset(&o, 0, sizeof(o));
	o.hcanon = o.bcanon = DKIM_CANON_RELAXED;
	o.timestamp = (int64_t)time(NULL);
	optind = 1;
	while ((ch = cli_getopt(argc, argv, sign_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(sign_usage, stdout);
			return 0;
		case OPT_DOMAIN:
			o.domain = optarg;
			break;
		case OPT_SELECTOR:
			o.selector = optarg;
			break;
		case OPT_KEY:
			keyfile = optarg;
			break;
		case OPT_CANON:
			if (!parse_canon_pair(optarg, &o))
				return cli_usage_error("sign", sign_usage,
				    "--canon: want simple|relaxed[/simple|"
				    "relaxed]");
			break;
		case OPT_HEADERS:
			o.headers = optarg;
			break;
		case OPT_OVERSIGN:
			o.oversign = true;
			break;
		case OPT_LENGTH:
			o.length = true;
			break;
		case OPT_IDENTITY:
			o.identity = optarg;
			break;
		case OPT_TIMESTAMP:
			if (!date_parse_time(optarg, &t))
				return cli_usage_error("sign", sign_usage,
				    "--timestamp: unrecognised time");
			o.timestamp = t;
			break;
		case OPT_NO_TIMESTAMP:
			o.timestamp = -1;
			break;
		case OPT_EXPIRE:
			if (!cli_parse_uint(optarg, 1, 1UL << 40, &v))
				return cli_usage_error("sign", sign_usage,
				    "--expire: want seconds");
			o.expire = (int64_t)v;
			break;
		default:
			return cli_usage_error("sign", sign_usage,
			    cli_bad_option());
		}
	}
	if (o.domain == NULL || o.selector == NULL || keyfile == NULL)
		return cli_usage_error("sign", sign_usage,
		    "--domain, --selector and --key are required");
	if (o.expire > 0 && o.timestamp < 0)
		return cli_usage_error("sign", sign_usage,
		    "--expire needs a timestamp");
	if (argc - optind != 1)
		return cli_usage_error("sign", sign_usage,
		    "give one message (or -)");
	return sign_message(&o, keyfile, argv[optind]);
}

/* --- keygen --- */

static const struct option keygen_longopts[] = {
	{ "domain", required_argument, NULL, OPT_DOMAIN },
	{ "selector", required_argument, NULL, OPT_SELECTOR },
	{ "type", required_argument, NULL, OPT_TYPE },
	{ "bits", required_argument, NULL, OPT_BITS },
	{ "out", required_argument, NULL, OPT_OUT },
	{ "ttl", required_argument, NULL, OPT_TTL },
	{ "testing", no_argument, NULL, OPT_TESTING },
	{ "force", no_argument, NULL, OPT_FORCE },
	CLI_HELP_LONGOPT_END,
};

struct keygen_opts {
	const char	*domain;
	const char	*selector;
	const char	*out;
	bool		 ed25519;
	unsigned long	 bits;
	unsigned long	 ttl;
	bool		 testing;
	bool		 force;		/* replace existing files */
};

/*
 * Both files through base/file.h: a fresh temporary file with its final
 * mode (the private key is 0600 whatever was at PREFIX.pem before), then
 * linked into place, which never replaces an existing file (perhaps a
 * published key) nor follows a planted symbolic link; --force renames
 * over instead.
 */
static bool
write_private(EVP_PKEY *pk, const char *path, unsigned flags,
    struct buf *err)
{
	struct buf	 pem = BUF_INIT;
	bool		 ok;

	if (!crypto_private_pem(pk, &pem)) {
		buf_puts(err, "cannot encode the private key");
		buf_free(&pem);
		return false;
	}
	ok = file_write(path, pem.data, pem.len, 0600, flags, err);
	explicit_bzero(pem.data, pem.len);
	buf_free(&pem);
	return ok;
}

static bool
write_zone(EVP_PKEY *pk, const struct keygen_opts *k, const char *path,
    unsigned flags, struct buf *err)
{
	struct buf	 rec = BUF_INIT, line = BUF_INIT, owner = BUF_INIT;
	bool		 ok = false;

	if (!sign_key_record(pk, k->testing, &rec)) {
		buf_puts(err, "cannot encode the public key");
		goto out;
	}
	buf_printf(&owner, "%s._domainkey.%s", k->selector, k->domain);
	key_record_zone_line(&line, owner.data, (unsigned)k->ttl, rec.data);
	ok = buf_ok(&line) && file_write(path, line.data, line.len, 0644,
	    flags, err);
out:
	buf_free(&rec);
	buf_free(&line);
	buf_free(&owner);
	return ok;
}

/* Without --force, neither file may exist (checked before the work). */
static bool
free_to_write(const char *pem, const char *zone, struct buf *err)
{
	struct stat	 sb;
	const char	*p = lstat(pem, &sb) == 0 ? pem :
	    lstat(zone, &sb) == 0 ? zone : NULL;

	if (p == NULL)
		return true;
	buf_printf(err, "%s exists: not replaced (--force replaces it)", p);
	return false;
}

static int
keygen_run(const struct keygen_opts *k)
{
	struct buf	 pem = BUF_INIT, zone = BUF_INIT, err = BUF_INIT;
	EVP_PKEY	*pk = NULL;
	unsigned	 flags = k->force ? FILE_REPLACE : 0;
	int		 status = 2;

	buf_printf(&pem, "%s.pem", k->out);
	buf_printf(&zone, "%s.zone", k->out);
	if (!buf_ok(&pem) || !buf_ok(&zone)) {
		buf_puts(&err, "out of memory");
		goto out;
	}
	if ((!k->force && !free_to_write(pem.data, zone.data, &err)) ||
	    (pk = crypto_keygen(k->ed25519, (unsigned)k->bits, &err)) == NULL ||
	    !write_private(pk, pem.data, flags, &err))
		goto out;
	if (!write_zone(pk, k, zone.data, flags, &err)) {
		if (!k->force)
			(void)unlink(pem.data);	/* ours: made just now */
		goto out;
	}
	status = 0;
out:
	if (status != 0)
		fprintf(stderr, "fblscope keygen: %s\n", buf_cstr(&err));
	EVP_PKEY_free(pk);
	buf_free(&pem);
	buf_free(&zone);
	buf_free(&err);
	return status;
}

int
cmd_keygen(int argc, char **argv)
{
	struct keygen_opts k;
	int		 ch;

	memset(&k, 0, sizeof(k));
	k.bits = 2048;
	k.ttl = 3600;
	optind = 1;
	while ((ch = cli_getopt(argc, argv, keygen_longopts)) != -1) {
		switch (ch) {
		case 'h':
			fputs(keygen_usage, stdout);
			return 0;
		case OPT_DOMAIN:
			k.domain = optarg;
			break;
		case OPT_SELECTOR:
			k.selector = optarg;
			break;
		case OPT_OUT:
			k.out = optarg;
			break;
		case OPT_TYPE:
			if (strcmp(optarg, "rsa") != 0 &&
			    strcmp(optarg, "ed25519") != 0)
				return cli_usage_error("keygen", keygen_usage,
				    "--type: want rsa or ed25519");
			k.ed25519 = optarg[0] == 'e';
			break;
		case OPT_BITS:
			if (!cli_parse_uint(optarg, 1024, 8192, &k.bits))
				return cli_usage_error("keygen", keygen_usage,
				    "--bits: want 1024 to 8192");
			break;
		case OPT_TTL:
			if (!cli_parse_uint(optarg, 0, 2147483647UL, &k.ttl))
				return cli_usage_error("keygen", keygen_usage,
				    "--ttl: want seconds");
			break;
		case OPT_TESTING:
			k.testing = true;
			break;
		case OPT_FORCE:
			k.force = true;
			break;
		default:
			return cli_usage_error("keygen", keygen_usage,
			    cli_bad_option());
		}
	}
	if (k.domain == NULL || k.selector == NULL || k.out == NULL)
		return cli_usage_error("keygen", keygen_usage,
		    "--domain, --selector and --out are required");
	if (optind != argc)
		return cli_usage_error("keygen", keygen_usage,
		    "unexpected argument");
	return keygen_run(&k);
}
