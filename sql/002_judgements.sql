-- SPDX-License-Identifier: ISC
-- fblscope schema 2: what later judgements need, and partitions made
-- without serialising ingests.
--
-- signature_facts keeps, for the signatures whose verdict can still change
-- (a DNS failure, a key gone or replaced), the facts of verification that do
-- not depend on the key: the DKIM-Signature field itself, the SHA-256 (or
-- SHA-1) digest of the signed header block, whether the body hash matched,
-- and what the verdict reads from the message.  `fblscope reverify` and the
-- key archive re-judge a signature from these alone; the message, which
-- holds recipient addresses, is never stored.

CREATE TABLE signature_facts (
    msg_day       date     NOT NULL,
    fingerprint   bytea    NOT NULL,
    idx           smallint NOT NULL,
    field         bytea    NOT NULL,        -- the DKIM-Signature field, raw
    header_digest bytea    NOT NULL,        -- of the canonical signed headers
    has_body      boolean  NOT NULL,
    body_verified boolean  NOT NULL,
    l_exceeds     boolean  NOT NULL,        -- l= beyond the canonical body
    canon_len     bigint   NOT NULL,        -- canonical body length
    n_from        smallint NOT NULL,        -- From fields in the message
    redacted      boolean  NOT NULL,        -- a signed To/Cc is redacted
    verified_at   bigint   NOT NULL,        -- the clock of the verdict
    skew          integer  NOT NULL,
    PRIMARY KEY (msg_day, fingerprint, idx)
) PARTITION BY RANGE (msg_day);

-- The key an archived verdict was reached with (key_archive.fingerprint).
ALTER TABLE signature ADD COLUMN archived_key bytea;

-- RFC 9477: a CFBL-Feedback-ID counts only when a valid signature covers
-- it; NULL when the original has none.
ALTER TABLE report ADD COLUMN cfbl_signed boolean;

-- How the parser decided what the message is ("not a message: empty",
-- "multipart/report with a feedback-report part", ...), the reason an
-- unparseable message is counted under.
ALTER TABLE report ADD COLUMN decided text;

-- The reporter forwards only mail whose DKIM verified on arrival (Yahoo):
-- a failure on re-verification is then a rotated key or damage, never a
-- forgery.
ALTER TABLE report ADD COLUMN reporter_verified_dkim boolean;

COMMENT ON COLUMN key_archive.fingerprint IS
    'SHA-256 of the public key as published (the decoded p= value)';

-- Months made under schema 1 get their signature_facts partition
-- (fbl_ensure_month, sql/definitions.sql, makes the three).
SELECT fbl_ensure_month(to_date(substring(c.relname FROM 8), 'YYYY_MM'))
  FROM pg_class c
 WHERE c.relname ~ '^report_[0-9]{4}_[0-9]{2}$' AND c.relkind = 'r';
