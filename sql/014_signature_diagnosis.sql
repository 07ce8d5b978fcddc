-- SPDX-License-Identifier: ISC
-- fblscope schema 14: why a failed signature failed.
--
-- Ingest diagnoses each signature that fails (fail, permerror, policy)
-- within a per-run budget, and stores the class of the cause: one word of
-- a closed set (fbl/store/diag_class.h, docs/verify-json.md), the header
-- field of header-changed (from a fixed list, else 'other') and a detail
-- for people (the transform, the MIME part).  NULL: no class (a pass, a
-- neutral, a temperror; or a failure no diagnosis was run for).  Rows
-- stored before this schema have none.
--
-- daily_verification counts by class and field too, so that the report
-- says why signatures fail per customer from the daily counts alone; ''
-- is "no class" there (rows before this schema, and the verdicts above).

ALTER TABLE signature
    ADD COLUMN diagnosis text CHECK (diagnosis IN ('line-endings',
        'whitespace', 'appended-text', 'part-added', 're-encoded',
        'charset-converted', 'mime-structure', 'body-changed',
        'header-changed', 'redacted', 'truncated', 'key-rotated',
        'not-signing-key', 'forged', 'key-missing', 'key-revoked',
        'key-unusable', 'expired', 'signer-error', 'unknown')),
    ADD COLUMN diagnosis_field text CHECK (length(diagnosis_field) <= 32),
    ADD COLUMN diagnosis_detail text
        CHECK (length(diagnosis_detail) <= 200);
COMMENT ON COLUMN signature.diagnosis IS
    'why it failed: a class of docs/verify-json.md; NULL: none (passed, '
    'neutral, temperror, or not diagnosed)';
COMMENT ON COLUMN signature.diagnosis_field IS
    'header-changed: the field (from a fixed list, else other)';
COMMENT ON COLUMN signature.diagnosis_detail IS
    'the transform or MIME part the diagnosis found, for people';

ALTER TABLE daily_verification
    ADD COLUMN diagnosis text NOT NULL DEFAULT '',
    ADD COLUMN diagnosis_field text NOT NULL DEFAULT '';
ALTER TABLE daily_verification DROP CONSTRAINT daily_verification_pkey;
ALTER TABLE daily_verification ADD PRIMARY KEY (day, kind, token, role,
    customer_id, result, reason, diagnosis, diagnosis_field);
