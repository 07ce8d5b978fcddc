/* SPDX-License-Identifier: ISC */
/*
 * fuzz_zone: a hostile zone file (as given with --zone) through
 * key_source_new(), then key_source_lookup() of fixed names and of the owner
 * names the input itself spells, twice each (the second from the cache);
 * every answer is checked against keyfetch.h and released, the source freed.
 *
 * The input goes to a private temporary file (in /dev/shm when writable;
 * ldns reads zone files through a FILE *), removed as soon as it has been
 * loaded.  No DNS is asked: a source with zone files never uses the network.
 *
 * FUZZ_MAX_LEN: 16384
 * FUZZ_SEEDS: dkim-zonefiles
 * FUZZ_DICT: "._domainkey.example.com. "
 * FUZZ_DICT: " IN TXT "
 * FUZZ_DICT: " IN CNAME "
 * FUZZ_DICT: " IN SOA "
 * FUZZ_DICT: " IN NS "
 * FUZZ_DICT: "$ORIGIN "
 * FUZZ_DICT: "$TTL "
 * FUZZ_DICT: "\"v=DKIM1; k=rsa; p=\""
 * FUZZ_DICT: "\"v=DKIM1; k=ed25519; p=11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=\""
 * FUZZ_DICT: "( "
 * FUZZ_DICT: " )"
 * FUZZ_DICT: "\\059"
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
#include "verifier/key_record.h"
#include "verifier/keyfetch.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

#define MAX_NAMES	12

static volatile size_t sink;
static char zone_path[256];

#define REQUIRE(cond) do {						\
	if (!(cond)) {							\
		fprintf(stderr, "fuzz_zone: invariant failed: %s "	\
		    "(%s:%d)\n", #cond, __FILE__, __LINE__);		\
		abort();						\
	}								\
} while (0)

/*
 * The input into a new private file; its path in zone_path.  The caller
 * unlinks it as soon as key_source_new() has read it.
 */
static bool
write_zone(const uint8_t *data, size_t size)
{
	const char	*tmp;
	size_t		 off = 0;
	ssize_t		 n;
	int		 fd;

	/* memory-backed when there is one: several times faster */
	if (access("/dev/shm", W_OK) == 0)
		tmp = "/dev/shm";
	else if ((tmp = getenv("TMPDIR")) == NULL || *tmp == '\0')
		tmp = "/tmp";
	snprintf(zone_path, sizeof(zone_path), "%s/fuzz_zone.XXXXXX", tmp);
	if ((fd = mkstemp(zone_path)) == -1) {
		fprintf(stderr, "fuzz_zone: mkstemp %s: %s\n", zone_path,
		    strerror(errno));
		abort();
	}
	while (off < size) {
		if ((n = write(fd, data + off, size - off)) <= 0) {
			close(fd);
			unlink(zone_path);
			return false;
		}
		off += (size_t)n;
	}
	close(fd);
	return true;
}

/* The asked name as keyfetch.h keeps it: lower case, no trailing dot. */
static bool
same_name(const char *got, const char *asked)
{
	size_t	 n = strlen(asked), i;

	if (n > 0 && asked[n - 1] == '.')
		n--;
	if (strlen(got) != n)
		return false;
	for (i = 0; i < n; i++) {
		char	 c = asked[i];

		if (c >= 'A' && c <= 'Z')
			c = c - 'A' + 'a';
		if (got[i] != c)
			return false;
	}
	return true;
}

static void
check_answer(const struct key_answer *a, const char *asked)
{
	const struct key_txt	*t;
	size_t			 i, n;

	REQUIRE(a != NULL);
	REQUIRE(keyfetch_status_str(a->status) != NULL);
	REQUIRE(a->name != NULL);
	REQUIRE(memchr(a->server, '\0', sizeof(a->server)) != NULL);
	sink += strlen(a->server);
	if (a->detail != NULL)
		sink += strlen(a->detail);
	if (a->status == KEYFETCH_NOMEM)
		return;
	if (a->status != KEYFETCH_MALFORMED || a->ncnames > 0)
		REQUIRE(same_name(a->name, asked));
	REQUIRE(a->ncnames <= KEYFETCH_MAX_CNAME);
	for (i = 0; i < a->ncnames; i++) {
		REQUIRE(a->cnames[i] != NULL);
		sink += strlen(a->cnames[i]);
	}
	REQUIRE(a->ntxt <= KEYFETCH_MAX_TXT);
	if (a->status != KEYFETCH_OK) {
		REQUIRE(a->ntxt == 0);
		return;
	}
	REQUIRE(a->ntxt > 0 || a->ntxt_dropped > 0);
	for (i = 0; i < a->ntxt; i++) {
		t = &a->txt[i];
		REQUIRE(t->data != NULL);
		REQUIRE(t->data[t->len] == '\0');
		/* sorted by their bytes */
		if (i > 0) {
			const struct key_txt *p = &a->txt[i - 1];

			n = p->len < t->len ? p->len : t->len;
			REQUIRE(memcmp(p->data, t->data, n) < 0 ||
			    (memcmp(p->data, t->data, n) == 0 &&
			    p->len <= t->len));
		}
		if (t->parse == REASON_OK) {
			REQUIRE(t->key.revoked || t->key.pkey != NULL);
		} else {
			REQUIRE(t->parse_detail != NULL);
			sink += strlen(t->parse_detail);
		}
	}
}

/* Owner names the input spells: the first word of up to MAX_NAMES lines. */
static size_t
input_names(const uint8_t *data, size_t size, char names[][256], size_t max)
{
	size_t	 i = 0, j, n = 0;

	while (i < size && n < max) {
		j = i;
		while (j < size && data[j] != '\n' && data[j] != ' ' &&
		    data[j] != '\t' && data[j] != '\0')
			j++;
		if (j > i && j - i < 256 && data[i] != ';' && data[i] != '$') {
			memcpy(names[n], data + i, j - i);
			names[n][j - i] = '\0';
			n++;
		}
		while (j < size && data[j] != '\n')
			j++;
		i = j + 1;
	}
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const fixed[] = {
		"sel._domainkey.example.com",
		"SEL._DOMAINKEY.EXAMPLE.COM.",
		"_domainkey.example.com",
		"example.com",
		"a.b.c.example.com",
	};
	static char		 names[MAX_NAMES][256];
	struct key_source_opts	 o;
	struct key_source	*ks;
	struct buf		 err = BUF_INIT;
	const struct key_answer	*a, *b;
	const char		*zones[1];
	const char		*name;
	size_t			 i, n, nfixed;
	bool			 cached;
	int			 round;

	if (!write_zone(data, size))
		return 0;
	memset(&o, 0, sizeof(o));
	zones[0] = zone_path;
	o.zones = zones;
	o.nzones = 1;
	o.cache_max = 4;	/* small: eviction is exercised too */
	ks = key_source_new(&o, &err);
	unlink(zone_path);	/* read in full: no longer needed */
	if (ks == NULL) {
		REQUIRE(err.len > 0);
		goto out;
	}
	REQUIRE(err.len == 0);

	nfixed = sizeof(fixed) / sizeof(fixed[0]);
	n = input_names(data, size, names, MAX_NAMES);
	for (round = 0; round < 2; round++) {
		for (i = 0; i < nfixed + n; i++) {
			name = i < nfixed ? fixed[i] : names[i - nfixed];
			a = key_source_lookup(ks, name, &cached);
			check_answer(a, name);
			/* asked again at once: the same verdict */
			b = key_source_lookup(ks, name, &cached);
			check_answer(b, name);
			REQUIRE(a->status == b->status);
			REQUIRE(a->ntxt == b->ntxt);
			key_answer_release(b);
			key_answer_release(a);
		}
	}
	key_source_free(ks);
out:
	buf_free(&err);
	ERR_clear_error();
	return 0;
}
