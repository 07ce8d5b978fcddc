/* SPDX-License-Identifier: ISC */
/*
 * encode: the rows of a record (record.h) in PostgreSQL's COPY text
 * format, column for column in the order of the staging tables that
 * fbl_stage_open() makes (sql/definitions.sql).  The one place C spells
 * what ingest stores, and where the record's enums become the words
 * stored: a new stored value is a column there and a line here; what SQL
 * derives from the rows (the standing, the daily counts) needs nothing
 * here.
 */
#ifndef FBL_ENCODE_H
#define FBL_ENCODE_H

#include "base/buf.h"
#include "fbl/store/record.h"

/* One stage_report row. */
void	 encode_report(struct buf *, const struct record *);
/* One stage_signature row per signature. */
void	 encode_signatures(struct buf *, const struct record *);
/* One stage_facts row per signature whose facts were kept. */
void	 encode_facts(struct buf *, const struct record *);

#endif
