/* SPDX-License-Identifier: ISC */
/*
 * gen_mailbox.h: what the parts of the sample mailbox's generator share.
 * gen_mailbox.c makes the reports and holds main; the keys, their zones and
 * the configuration fragment are in gen_mailbox_keys.c, the DKIM signing in
 * gen_mailbox_sign.c, volumes.csv in gen_mailbox_volumes.c.  genlib.h has
 * the PRNG and buffers.
 */
#ifndef FBL_GEN_MAILBOX_H
#define FBL_GEN_MAILBOX_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <openssl/evp.h>

#include "genlib.h"

#define NCUST		50
#define NSEL		3		/* sep2026 (archived), oct2026, nov2026 */
#define SEL_ARCHIVED	0
#define ESP_KEY0	(NCUST * NSEL)	/* ESP keys follow the customers' */
#define FORGER_KEY0	(ESP_KEY0 + NSEL)
#define NKEYS		(FORGER_KEY0 + 2)
#define RSA_BITS	1024
#define ESP_DOMAIN	"fbl.myesp.example"
#define ZONE_TTL	300
#define TXT_CHUNK	100		/* characters per TXT string */
#define NOV1_2026	1793491200L	/* 2026-11-01T00:00:00Z */
/* The ESP's pools: Source-IPs of its mail are in these (gen_mailbox.c). */
#define SENDING_NETWORKS "192.0.2.0/24 198.18.0.0/15 2001:db8::/32"
#define CFBL_EVERY	5	/* customers k % 5 == 0 send CFBL */
#define DAY		86400L

extern const char *const sel_names[NSEL];

/* The customers' keys (c * NSEL + s), then ESP_KEY0's and FORGER_KEY0's. */
extern EVP_PKEY	*keys[NKEYS];

void	 load_keys(const char *out, uint64_t seed);
/* The published keys (archived 0) or the rotated-away ones (archived 1). */
void	 write_zone(const char *out, const char *name, int archived,
	    uint64_t seed);
void	 write_conf(const char *out);

#define MAX_FIELDS	16

struct msg {
	struct sbuf	 f[MAX_FIELDS];	/* signed-candidate fields, no CRLF */
	size_t		 nf;
	struct sbuf	 body;
};

/*
 * Make the DKIM-Signature field (no terminator) in out, signing the fields
 * named in h (each present once in m) with key k.
 */
void	 dkim_sign(const struct msg *, const char *d, const char *s,
	    const char *h, long t, unsigned k, struct sbuf *out);

enum category {
	CAT_COMPLAINT, CAT_HEADERS_ONLY, CAT_REDACTED, CAT_ROTATED,
	CAT_FORGED, CAT_GARBAGE
};

struct row {
	enum category	 cat;
	const char	*variant;
	const char	*kind;
	const char	*ftype;
	const char	*reporter;
	const char	*form;
	unsigned	 cust;		/* 1..NCUST, 0 none */
	const char	*sel;
	long		 sent, arrival;
	int		 ours;		/* Source-IP in SENDING_NETWORKS; -1
					   none */
	char		 srcip[48];	/* the report's Source-IP, or "-" */
	char		 fbid[48];	/* the original's Feedback-ID, "-" */
	char		 cfbl[48];	/* its CFBL-Feedback-ID, or "-" */
	const char	*cres, *creason, *eres, *ereason;
};

/* out/name opened for writing; any failure ends the program. */
FILE	*open_out(const char *out, const char *name);
void	 close_out(FILE *, const char *name);
/* The UTC day of t, YYYY-MM-DD. */
void	 day_str(char *dst, size_t len, long t);

/* Count w towards the complaints behind the sending volumes. */
void	 vol_count(const struct row *);
void	 write_volumes(const char *out);

#endif
