-- SPDX-License-Identifier: ISC
-- Schema 10: which runs audited which domain, kept small and indexed, so
-- that the report finds each domain's latest audit without reading every
-- stored row of every run (a year of nightly audits of 200 domains is
-- about 4 million key_audit_check rows, but 73,000 of these).

CREATE TABLE key_audit_domain_run (
    domain  text   NOT NULL,
    run_id  bigint NOT NULL REFERENCES key_audit_run ON DELETE CASCADE,
    as_of   date   NOT NULL,
    PRIMARY KEY (domain, run_id)
);
CREATE INDEX key_audit_domain_run_latest
    ON key_audit_domain_run (domain, as_of DESC, run_id DESC);

INSERT INTO key_audit_domain_run (domain, run_id, as_of)
SELECT DISTINCT c.domain, c.run_id, r.as_of
  FROM key_audit_check c JOIN key_audit_run r USING (run_id);

-- fbl_key_audit_close() records each run's domains here, and
-- key_audit_latest() reads them (sql/definitions.sql).
