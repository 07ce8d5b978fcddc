-- SPDX-License-Identifier: ISC
-- fblscope schema 1: reports, signatures, daily counts, archived keys,
-- sending volumes.  DESIGN section 5.  Applied by `fblscope db migrate` in
-- one transaction, together with its schema_version row.
--
-- The large tables are range-partitioned by month on msg_day, a day taken
-- from the message itself (the report's Arrival-Date, else its Date), so a
-- re-ingested message lands in the same partition and the primary key
-- (msg_day, fingerprint) keeps ingestion idempotent.  Retention is DROP of a
-- month's partitions.  Partitions are made on demand by fbl_ensure_month()
-- (sql/definitions.sql).

CREATE TABLE report (
    msg_day              date        NOT NULL,
    fingerprint          bytea       NOT NULL
                         CHECK (octet_length(fingerprint) = 32),
    kind                 text        NOT NULL
                         CHECK (kind IN ('arf', 'complaint', 'sample',
                                         'not-arf', 'unparseable')),
    complaint            boolean     NOT NULL,
    source               text        NOT NULL,
    ingested_at          timestamptz NOT NULL DEFAULT now(),
    feedback_type        text,
    reporter             text,
    user_agent           text,
    arf_version          text,
    arrival_date         timestamptz,
    source_ip            text,
    source_ip_in_esp     boolean,
    original_mail_from   text,
    original_form        text,
    reported_domain      text[],
    recipient_hmac       bytea[],      -- HMAC-SHA256 with the site secret
    original_message_id  text,
    original_from_domain text,
    deviations           text[],
    cfbl_feedback_id     text,
    feedback_id          text,
    PRIMARY KEY (msg_day, fingerprint)
) PARTITION BY RANGE (msg_day);

CREATE TABLE signature (
    msg_day          date     NOT NULL,
    fingerprint      bytea    NOT NULL,
    idx              smallint NOT NULL,      -- 1-based, header order
    d                text,
    s                text,
    a                text,
    c                text,
    l                numeric(20, 0),
    t                bigint,
    x                bigint,
    key_bits         integer,
    key_testing      boolean,
    result           text     NOT NULL,
    reason           text     NOT NULL,
    header_verified  boolean,
    body_verified    boolean,
    role             text     NOT NULL
                     CHECK (role IN ('customer', 'esp', 'third-party',
                                     'unknown')),
    customer_id      text,
    selector_year    smallint,
    selector_month   smallint,
    archived_verdict text,                  -- under the key published then
    PRIMARY KEY (msg_day, fingerprint, idx)
) PARTITION BY RANGE (msg_day);

-- Daily aggregates, written in the same transaction as the rows they count.
-- Empty strings stand for "none" so that the key has no NULLs.
CREATE TABLE daily_report (
    day           date   NOT NULL,
    kind          text   NOT NULL,
    reporter      text   NOT NULL,
    feedback_type text   NOT NULL,
    count         bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (day, kind, reporter, feedback_type)
);

CREATE TABLE daily_signature (
    day           date   NOT NULL,
    kind          text   NOT NULL,
    token         text   NOT NULL,           -- d=
    role          text   NOT NULL,
    customer_id   text   NOT NULL,
    selector      text   NOT NULL,
    reporter      text   NOT NULL,
    feedback_type text   NOT NULL,
    result        text   NOT NULL,
    reason        text   NOT NULL,
    count         bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (day, kind, token, role, customer_id, selector, reporter,
                 feedback_type, result, reason)
);

-- Every key record fetched or imported, so that a signature whose key has
-- since been rotated away can still be judged under the key of its day.
CREATE TABLE key_archive (
    name        text        NOT NULL,        -- selector._domainkey.domain
    fingerprint bytea       NOT NULL,        -- SHA-256 of the record text
    record      text        NOT NULL,
    origin      text        NOT NULL CHECK (origin IN ('dns', 'import')),
    first_seen  timestamptz NOT NULL DEFAULT now(),
    last_seen   timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (name, fingerprint)
);

-- Sending volumes, imported from CSV, for complaint rates.
CREATE TABLE volume (
    day       date   NOT NULL,
    token     text   NOT NULL,               -- d= or a customer id
    reporter  text   NOT NULL DEFAULT '*',   -- one ISP, or '*' for all
    sent      bigint NOT NULL CHECK (sent >= 0),
    delivered bigint CHECK (delivered >= 0), -- to the inbox, where known
    PRIMARY KEY (day, token, reporter)
);
