/* SPDX-License-Identifier: ISC */
/*
 * gen_mailbox_volumes: volumes.csv, the sending volumes behind the
 * report's complaint rates.
 */
#include <stdio.h>
#include <string.h>

#include "gen_mailbox.h"

/*
 * Sending volumes for the complaint rates of the report: per customer and
 * arrival day (the day fblscope counts a complaint on), messages sent per
 * ISP and in all ("*").  Each customer has a target rate by its number:
 * k % 3 == 1 five per thousand (alarmed), k % 3 == 2 two per thousand
 * (flagged), the others 0.4 per thousand; on a day with n complaints
 * (abuse, fraud, virus; not the forged category) it sent n / target
 * messages, on a day without any a base volume.  The ISPs share a day's
 * volume by fixed weights; Yahoo's row also gives the mail delivered to
 * the inbox (85 %).  The ESP token's rows are the customers' sums.
 */
#define VOL_DAYS	26		/* 2026-11-01 ... 2026-11-26 */

static const char *const vol_isps[] = {
	"yahoo", "aol", "microsoft", "comcast", "cox", "att", "earthlink",
	"gmx"
};
#define VOL_NISPS	(sizeof(vol_isps) / sizeof(vol_isps[0]))
static const unsigned vol_weight[VOL_NISPS] = { 30, 12, 16, 12, 8, 8, 6, 8 };

static unsigned long vol_n[NCUST + 1][VOL_DAYS];

void
vol_count(const struct row *w)
{
	long	 d;

	if (w->cust == 0 || strcmp(w->kind, "arf") != 0 ||
	    w->cat == CAT_FORGED || w->arrival == 0)
		return;
	if (strcmp(w->ftype, "abuse") != 0 && strcmp(w->ftype, "fraud") != 0 &&
	    strcmp(w->ftype, "virus") != 0)
		return;
	d = (w->arrival - NOV1_2026) / DAY;
	if (d >= 0 && d < VOL_DAYS)
		vol_n[w->cust][d]++;
}

static unsigned long
vol_sent(unsigned cust, unsigned d)
{
	static const unsigned long per_complaint[3] = { 2500, 200, 500 };
	unsigned long	 n = vol_n[cust][d];

	if (n == 0)
		return 2000 + (cust * 7919UL + d * 104729UL) % 3000;
	return n * per_complaint[cust % 3];
}

static void
vol_rows(FILE *f, const char *day, const char *token, unsigned long sent,
    const unsigned long *isp_sent)
{
	unsigned	 k;

	fprintf(f, "%s,%s,*,%lu,\n", day, token, sent);
	for (k = 0; k < VOL_NISPS; k++) {
		fprintf(f, "%s,%s,%s,%lu,", day, token, vol_isps[k],
		    isp_sent[k]);
		if (k == 0)
			fprintf(f, "%lu", isp_sent[k] * 85 / 100);
		fputc('\n', f);
	}
}

void
write_volumes(const char *out)
{
	FILE		*f = open_out(out, "volumes.csv");
	unsigned long	 sent, isp[VOL_NISPS], esp, esp_isp[VOL_NISPS];
	unsigned	 c, d, k;
	char		 day[16], tok[32];

	fputs("day,token,isp,sent,delivered\n", f);
	for (d = 0; d < VOL_DAYS; d++) {
		day_str(day, sizeof(day), NOV1_2026 + (long)d * DAY);
		esp = 0;
		memset(esp_isp, 0, sizeof(esp_isp));
		for (c = 1; c <= NCUST; c++) {
			sent = vol_sent(c, d);
			for (k = 0; k < VOL_NISPS; k++) {
				isp[k] = sent * vol_weight[k] / 100;
				esp_isp[k] += isp[k];
			}
			esp += sent;
			snprintf(tok, sizeof(tok), "customer%02u.example", c);
			vol_rows(f, day, tok, sent, isp);
		}
		vol_rows(f, day, ESP_DOMAIN, esp, esp_isp);
	}
	close_out(f, "volumes.csv");
}
