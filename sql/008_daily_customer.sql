-- SPDX-License-Identifier: ISC
-- fblscope schema 8: daily tables whose size is set by customers, days and
-- ISPs, not by the number of complaints.
--
-- daily_complaint is keyed by every dimension a complaint has, the three
-- standing columns included, so it grows with the complaints (222,000 rows
-- at a million complaints, 617,000 at ten million in docs/bench.md's data
-- set), and so does the report, which read it whole; daily_signature (keyed
-- by selector, reporter and feedback type too) likewise for the
-- verification sections.  Two tables now carry what the report reads:
--
--   daily_customer      one row per day, customer, token and reporter; the
--                       feedback classes, the standing and the authenticity
--                       are count COLUMNS, not key values;
--   daily_verification  daily_signature without the selector, reporter and
--                       feedback type the report never splits by.
--
-- Both are kept in the same transaction as the rows they count: by ingest's
-- merge (fbl_stage_merge) and by reverify (fbl_report_standing), which
-- moves counts between columns when a standing changes (both in
-- sql/definitions.sql).  The older daily tables are kept as before:
-- dashboards and report_complaint read them.

-- Complaints per UTC day, customer ('' : none claimed), token
-- (report.customer_token) and reporter.  Every complaint is in exactly one
-- class column and one authenticity column.
CREATE TABLE daily_customer (
    day          date   NOT NULL,
    customer_id  text   NOT NULL,
    token        text   NOT NULL,
    reporter     text   NOT NULL,
    complaints   bigint NOT NULL DEFAULT 0,
    attributed   bigint NOT NULL DEFAULT 0,
    carried      bigint NOT NULL DEFAULT 0,
    esp_verified bigint NOT NULL DEFAULT 0,
    opt_out      bigint NOT NULL DEFAULT 0,
    not_spam     bigint NOT NULL DEFAULT 0,
    auth_failure bigint NOT NULL DEFAULT 0,
    other        bigint NOT NULL DEFAULT 0,
    unsigned     bigint NOT NULL DEFAULT 0,
    authentic    bigint NOT NULL DEFAULT 0,
    replayed     bigint NOT NULL DEFAULT 0,
    forged       bigint NOT NULL DEFAULT 0,
    rotated      bigint NOT NULL DEFAULT 0,
    redacted     bigint NOT NULL DEFAULT 0,
    damaged      bigint NOT NULL DEFAULT 0,
    pending      bigint NOT NULL DEFAULT 0,
    unknown      bigint NOT NULL DEFAULT 0,
    CHECK (least(complaints, attributed, carried, esp_verified, opt_out,
                 not_spam, auth_failure, other, unsigned, authentic,
                 replayed, forged, rotated, redacted, damaged, pending,
                 unknown) >= 0),
    PRIMARY KEY (day, customer_id, token, reporter)
);

-- Signatures per UTC day, kind, d= token, role, customer, result and
-- reason: what report_verification_day and report_unknown_token_day read.
CREATE TABLE daily_verification (
    day          date   NOT NULL,
    kind         text   NOT NULL,
    token        text   NOT NULL,
    role         text   NOT NULL,
    customer_id  text   NOT NULL,
    result       text   NOT NULL,
    reason       text   NOT NULL,
    count        bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (day, kind, token, role, customer_id, result, reason)
);

-- An existing database: both from the daily tables they summarise (which
-- count the same rows), not from the report and signature rows;
-- fbl_customer_counts (sql/definitions.sql) says what a complaint adds to
-- each column.
INSERT INTO daily_customer (day, customer_id, token, reporter, complaints,
    attributed, carried, esp_verified, opt_out, not_spam, auth_failure,
    other, unsigned, authentic, replayed, forged, rotated, redacted,
    damaged, pending, unknown)
SELECT d.day, d.customer_id, d.token, d.reporter, sum(c.complaints * d.count),
       sum(c.attributed * d.count), sum(c.carried * d.count),
       sum(c.esp_verified * d.count), sum(c.opt_out * d.count),
       sum(c.not_spam * d.count), sum(c.auth_failure * d.count),
       sum(c.other * d.count), sum(c.unsigned * d.count),
       sum(c.authentic * d.count), sum(c.replayed * d.count),
       sum(c.forged * d.count), sum(c.rotated * d.count),
       sum(c.redacted * d.count), sum(c.damaged * d.count),
       sum(c.pending * d.count), sum(c.unknown * d.count)
  FROM daily_complaint d,
       LATERAL fbl_customer_counts(d.kind, d.feedback_type, d.esp_state,
                                   d.customer_state, d.authenticity) c
 WHERE d.count > 0
 GROUP BY 1, 2, 3, 4;

INSERT INTO daily_verification (day, kind, token, role, customer_id, result,
    reason, count)
SELECT day, kind, token, role, customer_id, result, reason, sum(count)
  FROM daily_signature WHERE count > 0
 GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- Few complaints come without a customer signature: report_customer_token
-- finds their rows without reading the table.
CREATE INDEX daily_customer_unsigned ON daily_customer (day)
 WHERE unsigned > 0;

-- The views of schemas 4 to 7 read the new tables since, with the same
-- columns and numbers, and two views were added for the report's per-token
-- and per-authenticity sections (sql/definitions.sql).
