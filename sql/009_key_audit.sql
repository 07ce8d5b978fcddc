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

-- After a run's rows are in: the domains it audited lose the problems it
-- did not see again; the ones it saw are added or brought up to date (a
-- problem keeps its first_seen while runs keep seeing it).
CREATE FUNCTION fbl_key_audit_close(run bigint) RETURNS void
LANGUAGE sql AS $$
    DELETE FROM key_audit_problem p
     WHERE p.domain IN (SELECT c.domain FROM key_audit_check c
                         WHERE c.run_id = run)
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

-- Each domain's latest audit on or before a day: its worst status and
-- counts.  Dashboards: SELECT * FROM report_key_audit_domain(current_date).
CREATE FUNCTION report_key_audit_domain(upto date)
RETURNS TABLE (domain text, customer_id text, role text, mode text,
               as_of date, status text, warn bigint, fail bigint,
               temp bigint)
LANGUAGE sql STABLE AS $$
    WITH latest AS (
        SELECT DISTINCT ON (c.domain) c.domain, c.run_id, r.as_of
          FROM key_audit_check c JOIN key_audit_run r USING (run_id)
         WHERE r.as_of <= upto
         ORDER BY c.domain, r.as_of DESC, c.run_id DESC
    )
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

-- The problems of those latest audits, with the days they have been open.
CREATE FUNCTION report_key_audit_problem(upto date)
RETURNS TABLE (domain text, customer_id text, check_name text,
               subject text, server text, status text, reason text,
               detail text, first_seen date, days_open integer)
LANGUAGE sql STABLE AS $$
    WITH latest AS (
        SELECT DISTINCT ON (c.domain) c.domain, c.run_id, r.as_of
          FROM key_audit_check c JOIN key_audit_run r USING (run_id)
         WHERE r.as_of <= upto
         ORDER BY c.domain, r.as_of DESC, c.run_id DESC
    )
    SELECT c.domain, c.customer_id, c.check_name, c.subject, c.server,
           c.status, c.reason, c.detail,
           coalesce(p.first_seen, l.as_of),
           l.as_of - coalesce(p.first_seen, l.as_of)
      FROM latest l
      JOIN key_audit_check c ON c.run_id = l.run_id AND c.domain = l.domain
      LEFT JOIN key_audit_problem p
           ON p.domain = c.domain AND p.check_name = c.check_name
          AND p.subject = c.subject AND p.server = c.server
     WHERE c.status <> 'OK'
$$;
