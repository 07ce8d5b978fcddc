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

-- As in schema 9, and the run's domains recorded first.
CREATE OR REPLACE FUNCTION fbl_key_audit_close(run bigint) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO key_audit_domain_run (domain, run_id, as_of)
    SELECT DISTINCT c.domain, c.run_id, r.as_of
      FROM key_audit_check c JOIN key_audit_run r USING (run_id)
     WHERE c.run_id = run
    ON CONFLICT DO NOTHING;
    DELETE FROM key_audit_problem p
     WHERE p.domain IN (SELECT d.domain FROM key_audit_domain_run d
                         WHERE d.run_id = run)
       AND NOT EXISTS (SELECT 1 FROM key_audit_check c
                        WHERE c.run_id = run AND c.domain = p.domain
                          AND c.check_name = p.check_name
                          AND c.subject = p.subject
                          AND c.server = p.server AND c.status <> 'OK');
    INSERT INTO key_audit_problem AS p (domain, customer_id, check_name,
           subject, server, status, reason, detail, first_seen, last_seen,
           last_run)
    SELECT c.domain, c.customer_id, c.check_name, c.subject, c.server,
           c.status, c.reason, c.detail, r.as_of, r.as_of, r.run_id
      FROM key_audit_check c JOIN key_audit_run r USING (run_id)
     WHERE c.run_id = run AND c.status <> 'OK'
    ON CONFLICT (domain, check_name, subject, server) DO UPDATE
       SET customer_id = EXCLUDED.customer_id, status = EXCLUDED.status,
           reason = EXCLUDED.reason, detail = EXCLUDED.detail,
           first_seen = least(p.first_seen, EXCLUDED.first_seen),
           last_seen = greatest(p.last_seen, EXCLUDED.last_seen),
           last_run = EXCLUDED.last_run;
$$;

-- Each domain's latest run on or before a day.
CREATE FUNCTION key_audit_latest(upto date)
RETURNS TABLE (domain text, run_id bigint, as_of date)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT ON (d.domain) d.domain, d.run_id, d.as_of
      FROM key_audit_domain_run d
     WHERE d.as_of <= upto
     ORDER BY d.domain, d.as_of DESC, d.run_id DESC
$$;

CREATE OR REPLACE FUNCTION report_key_audit_domain(upto date)
RETURNS TABLE (domain text, customer_id text, role text, mode text,
               as_of date, status text, warn bigint, fail bigint,
               temp bigint)
LANGUAGE sql STABLE AS $$
    WITH latest AS (SELECT * FROM key_audit_latest(upto))
    SELECT c.domain, min(c.customer_id), min(c.role), min(c.mode), l.as_of,
           CASE WHEN bool_or(c.status = 'FAIL') THEN 'FAIL'
                WHEN bool_or(c.status = 'TEMP') THEN 'TEMP'
                WHEN bool_or(c.status = 'WARN') THEN 'WARN'
                ELSE 'OK' END,
           count(*) FILTER (WHERE c.status = 'WARN'),
           count(*) FILTER (WHERE c.status = 'FAIL'),
           count(*) FILTER (WHERE c.status = 'TEMP')
      FROM latest l JOIN key_audit_check c
           ON c.run_id = l.run_id AND c.domain = l.domain
     GROUP BY c.domain, l.as_of
$$;

CREATE OR REPLACE FUNCTION report_key_audit_problem(upto date)
RETURNS TABLE (domain text, customer_id text, check_name text,
               subject text, server text, status text, reason text,
               detail text, first_seen date, days_open integer)
LANGUAGE sql STABLE AS $$
    WITH latest AS (SELECT * FROM key_audit_latest(upto))
    SELECT c.domain, c.customer_id, c.check_name, c.subject, c.server,
           c.status, c.reason, c.detail,
           -- a problem whose open streak began after that audit (the
           -- report of an earlier day): its start is not known, say 0 days
           least(coalesce(p.first_seen, l.as_of), l.as_of),
           l.as_of - least(coalesce(p.first_seen, l.as_of), l.as_of)
      FROM latest l
      JOIN key_audit_check c ON c.run_id = l.run_id AND c.domain = l.domain
      LEFT JOIN key_audit_problem p
           ON p.domain = c.domain AND p.check_name = c.check_name
          AND p.subject = c.subject AND p.server = c.server
     WHERE c.status <> 'OK'
$$;
