-- SPDX-License-Identifier: ISC
-- fblscope schema 3: the standing of each complaint, and the keys seen, as
-- daily counts for the nightly report (DESIGN section 6).
--
-- A report's standing is derived from its signature rows by functions in
-- SQL only (fbl_sig_state, fbl_best_state, fbl_authenticity in
-- sql/definitions.sql), so that ingest (from its staging tables) and
-- reverify (after a verdict changed) compute it the same way.

-- The customer a message claims: its customer-role signature, else the
-- customer its From domain maps to (classify.h); and that d= or domain.
ALTER TABLE report ADD COLUMN customer_id text;
ALTER TABLE report ADD COLUMN customer_token text;
-- The best state of the message's ESP-token and customer signatures
-- (fbl_sig_state), and what that makes of the message (fbl_authenticity).
ALTER TABLE report ADD COLUMN esp_state text;
ALTER TABLE report ADD COLUMN customer_state text;
ALTER TABLE report ADD COLUMN authenticity text;

-- Complaint-level daily counts: one row per day and every dimension the
-- report splits by.  Empty strings stand for "none".
CREATE TABLE daily_complaint (
    day            date   NOT NULL,
    kind           text   NOT NULL,
    reporter       text   NOT NULL,
    feedback_type  text   NOT NULL,
    customer_id    text   NOT NULL,
    token          text   NOT NULL,        -- report.customer_token
    esp_state      text   NOT NULL,
    customer_state text   NOT NULL,
    authenticity   text   NOT NULL,
    count          bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (day, kind, reporter, feedback_type, customer_id, token,
                 esp_state, customer_state, authenticity)
);

-- The keys signatures were checked with, per day: key hygiene (sizes,
-- rsa-sha1, t=y, selector age) without reading the signature rows.
CREATE TABLE daily_key (
    day          date    NOT NULL,
    kind         text    NOT NULL,
    token        text    NOT NULL,         -- d=, lower case
    role         text    NOT NULL,
    customer_id  text    NOT NULL,
    selector     text    NOT NULL,
    algorithm    text    NOT NULL,         -- a=
    key_bits     integer NOT NULL,         -- -1: no key found
    key_testing  boolean NOT NULL,
    count        bigint  NOT NULL CHECK (count >= 0),
    PRIMARY KEY (day, kind, token, role, customer_id, selector, algorithm,
                 key_bits, key_testing)
);

-- Rows stored under schema 2 get their standing and counts.
UPDATE report r SET
    customer_id = x.customer_id,
    customer_token = x.customer_token,
    esp_state = x.esp_state,
    customer_state = x.customer_state
FROM (SELECT msg_day, fingerprint,
             min(customer_id) FILTER (WHERE role = 'customer')
                 AS customer_id,
             min(lower(d)) FILTER (WHERE role = 'customer')
                 AS customer_token,
             fbl_best_state(array_agg(fbl_sig_state(result, header_verified))
                 FILTER (WHERE role = 'esp')) AS esp_state,
             fbl_best_state(array_agg(fbl_sig_state(result, header_verified))
                 FILTER (WHERE role = 'customer')) AS customer_state
        FROM signature GROUP BY 1, 2) x
WHERE r.msg_day = x.msg_day AND r.fingerprint = x.fingerprint;

UPDATE report SET
    esp_state = coalesce(esp_state, 'none'),
    customer_state = coalesce(customer_state, 'none');

UPDATE report r SET authenticity = fbl_authenticity(r.esp_state,
        r.customer_state,
        coalesce((SELECT bool_or(s.archived_verdict = 'pass') FROM signature s
                   WHERE s.msg_day = r.msg_day
                     AND s.fingerprint = r.fingerprint), false),
        coalesce((SELECT bool_or(s.reason = 'redacted') FROM signature s
                   WHERE s.msg_day = r.msg_day
                     AND s.fingerprint = r.fingerprint), false),
        r.customer_id IS NOT NULL, r.source_ip_in_esp,
        coalesce(r.reporter_verified_dkim, false))
WHERE r.complaint;

INSERT INTO daily_complaint (day, kind, reporter, feedback_type,
    customer_id, token, esp_state, customer_state, authenticity, count)
SELECT msg_day, kind, coalesce(reporter, ''), coalesce(feedback_type, ''),
       coalesce(customer_id, ''), coalesce(customer_token, ''), esp_state,
       customer_state, authenticity, count(*)
  FROM report WHERE complaint GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;

INSERT INTO daily_key (day, kind, token, role, customer_id, selector,
    algorithm, key_bits, key_testing, count)
SELECT s.msg_day, r.kind, lower(coalesce(s.d, '')), s.role,
       coalesce(s.customer_id, ''), coalesce(s.s, ''), coalesce(s.a, ''),
       coalesce(s.key_bits, -1), coalesce(s.key_testing, false), count(*)
  FROM signature s JOIN report r USING (msg_day, fingerprint)
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
