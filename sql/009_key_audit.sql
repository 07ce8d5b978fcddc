-- SPDX-License-Identifier: ISC
-- Schema 9: the key and delegation audit, `fblscope keys audit --db`
-- (fbl/keys/keyaudit_store.c, docs/keys.md).
--
-- Every run is kept (key_audit_run, key_audit_check: one row per domain
-- and check); key_audit_problem holds the problems open now, each with the
-- day it was first seen, so the nightly report can say how long a problem
-- has been open.  Columns that may be empty are '' rather than NULL so that
-- they can be part of a key.

CREATE TABLE key_audit_run (
    run_id   bigserial   PRIMARY KEY,
    as_of    date        NOT NULL,          -- the day judged (--date)
    run_at   timestamptz NOT NULL DEFAULT now(),
    domains  integer     NOT NULL CHECK (domains >= 0)
);

CREATE TABLE key_audit_check (
    run_id      bigint NOT NULL REFERENCES key_audit_run ON DELETE CASCADE,
    domain      text   NOT NULL,
    customer_id text   NOT NULL,            -- '' when no rule maps it
    role        text   NOT NULL CHECK (role IN ('customer', 'esp')),
    mode        text   NOT NULL,            -- delegated, cname, none, esp
    check_name  text   NOT NULL,            -- delegation, lame, record, ...
    subject     text   NOT NULL,            -- a zone or a selector
    server      text   NOT NULL,            -- '' when not about one server
    status      text   NOT NULL
                CHECK (status IN ('OK', 'WARN', 'FAIL', 'TEMP')),
    reason      text   NOT NULL,
    detail      text   NOT NULL,
    PRIMARY KEY (run_id, domain, check_name, subject, server)
);

CREATE TABLE key_audit_problem (
    domain      text   NOT NULL,
    customer_id text   NOT NULL,
    check_name  text   NOT NULL,
    subject     text   NOT NULL,
    server      text   NOT NULL,
    status      text   NOT NULL CHECK (status IN ('WARN', 'FAIL', 'TEMP')),
    reason      text   NOT NULL,
    detail      text   NOT NULL,
    first_seen  date   NOT NULL,            -- as_of of the first run
    last_seen   date   NOT NULL,
    last_run    bigint NOT NULL,
    PRIMARY KEY (domain, check_name, subject, server)
);

-- fbl_key_audit_close() brings key_audit_problem up to date after a run;
-- report_key_audit_domain() and report_key_audit_problem() read the latest
-- audits (sql/definitions.sql).
