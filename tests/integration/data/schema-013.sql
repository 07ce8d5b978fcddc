-- SPDX-License-Identifier: ISC
-- A database as `fblscope db migrate` of schema 13 (the release before
-- schema 14) left it: its tables, and the views and functions its
-- sql/definitions.sql defined then (report_data_start read
-- daily_complaint).  Made with pg_dump --schema-only --no-owner
-- --no-privileges (PostgreSQL 15), and the schema_version rows;
-- tests/integration/db.sh upgrades it.

--
-- PostgreSQL database dump
--


-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Name: fbl_authenticity(text, text, boolean, boolean, boolean, boolean, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_authenticity(esp_state text, customer_state text, archived_pass boolean, redacted boolean, claims_customer boolean, source_ip_in_esp boolean, reporter_verified boolean) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE
        WHEN esp_state IN ('pass', 'headers-ok') THEN
            CASE WHEN source_ip_in_esp IS FALSE THEN 'replayed'
                 ELSE 'authentic' END
        WHEN archived_pass THEN 'rotated'
        WHEN redacted THEN 'redacted'
        WHEN esp_state = 'temperror' OR customer_state = 'temperror'
            THEN 'pending'
        WHEN reporter_verified AND (esp_state <> 'none'
                                    OR customer_state <> 'none')
            THEN 'damaged'
        WHEN claims_customer THEN 'forged'
        ELSE 'unknown'
    END
$$;


--
-- Name: fbl_best_state(text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_best_state(states text[]) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE
        WHEN 'pass' = ANY (states) THEN 'pass'
        WHEN 'headers-ok' = ANY (states) THEN 'headers-ok'
        WHEN 'temperror' = ANY (states) THEN 'temperror'
        WHEN 'fail' = ANY (states) THEN 'fail'
        ELSE 'none'
    END
$$;


--
-- Name: fbl_customer_counts(text, text, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_customer_counts(kind text, feedback_type text, esp_state text, customer_state text, authenticity text) RETURNS TABLE(complaints integer, attributed integer, carried integer, esp_verified integer, opt_out integer, not_spam integer, auth_failure integer, other integer, unsigned integer, authentic integer, replayed integer, forged integer, rotated integer, redacted integer, damaged integer, pending integer, unknown integer)
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT (c = 'complaint')::int,
           ((c = 'complaint' AND authenticity NOT IN ('forged', 'replayed',
                                                      'unknown')) IS TRUE)::int,
           ((c = 'complaint' AND esp_state <> 'none') IS TRUE)::int,
           ((c = 'complaint' AND esp_state IN ('pass', 'headers-ok'))
               IS TRUE)::int,
           (c = 'opt-out')::int, (c = 'not-spam')::int,
           (c = 'auth-failure')::int, (c = 'other')::int,
           ((customer_state = 'none') IS TRUE)::int,
           ((authenticity = 'authentic') IS TRUE)::int,
           ((authenticity = 'replayed') IS TRUE)::int,
           ((authenticity = 'forged') IS TRUE)::int,
           ((authenticity = 'rotated') IS TRUE)::int,
           ((authenticity = 'redacted') IS TRUE)::int,
           ((authenticity = 'damaged') IS TRUE)::int,
           ((authenticity = 'pending') IS TRUE)::int,
           ((authenticity IN ('authentic', 'replayed', 'forged', 'rotated',
                              'redacted', 'damaged', 'pending'))
               IS NOT TRUE)::int
      FROM (SELECT fbl_feedback_class(kind, feedback_type) AS c) x
$$;


--
-- Name: fbl_daily_apply(date[], bytea[], integer); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_daily_apply(p_day date[], p_fp bytea[], p_sign integer) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    WITH r AS (
        SELECT r.msg_day, r.fingerprint, r.kind, r.complaint,
               coalesce(r.reporter, '') AS reporter,
               coalesce(r.feedback_type, '') AS feedback_type,
               coalesce(r.customer_id, '') AS customer_id,
               coalesce(r.customer_token, '') AS token, r.esp_state,
               r.customer_state, r.authenticity
          FROM unnest(p_day, p_fp) k(msg_day, fingerprint)
          JOIN report r USING (msg_day, fingerprint)
    ), s AS (
        SELECT r.msg_day, r.kind, r.reporter, r.feedback_type,
               lower(coalesce(s.d, '')) AS token, s.role,
               coalesce(s.customer_id, '') AS customer_id,
               coalesce(s.s, '') AS selector, coalesce(s.a, '') AS algorithm,
               coalesce(s.key_bits, -1) AS key_bits,
               coalesce(s.key_testing, false) AS key_testing, s.result,
               s.reason
          FROM r JOIN signature s USING (msg_day, fingerprint)
    ), rp AS (
        SELECT msg_day, kind, reporter, feedback_type, count(*) AS n
          FROM r GROUP BY 1, 2, 3, 4
    ), rp_sub AS (
        UPDATE daily_report t SET count = t.count - rp.n FROM rp
         WHERE p_sign < 0 AND t.day = rp.msg_day AND t.kind = rp.kind
           AND t.reporter = rp.reporter
           AND t.feedback_type = rp.feedback_type
    ), rp_add AS (
        INSERT INTO daily_report AS t (day, kind, reporter, feedback_type,
               count)
        SELECT msg_day, kind, reporter, feedback_type, n
          FROM rp WHERE p_sign > 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, kind, reporter, feedback_type)
        DO UPDATE SET count = t.count + EXCLUDED.count
    ), c AS (
        SELECT msg_day, kind, reporter, feedback_type, customer_id, token,
               esp_state, customer_state, authenticity, count(*) AS n
          FROM r WHERE complaint GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ), c_sub AS (
        UPDATE daily_complaint t SET count = t.count - c.n FROM c
         WHERE p_sign < 0 AND t.day = c.msg_day AND t.kind = c.kind
           AND t.reporter = c.reporter AND t.feedback_type = c.feedback_type
           AND t.customer_id = c.customer_id AND t.token = c.token
           AND t.esp_state = c.esp_state
           AND t.customer_state = c.customer_state
           AND t.authenticity = c.authenticity
    ), c_add AS (
        INSERT INTO daily_complaint AS t (day, kind, reporter,
               feedback_type, customer_id, token, esp_state,
               customer_state, authenticity, count)
        SELECT msg_day, kind, reporter, feedback_type, customer_id, token,
               esp_state, customer_state, authenticity, n
          FROM c WHERE p_sign > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ON CONFLICT (day, kind, reporter, feedback_type, customer_id, token,
                     esp_state, customer_state, authenticity)
        DO UPDATE SET count = t.count + EXCLUDED.count
    ), cu AS (
        SELECT r.msg_day, r.customer_id, r.token, r.reporter,
               sum(n.complaints) AS complaints,
               sum(n.attributed) AS attributed, sum(n.carried) AS carried,
               sum(n.esp_verified) AS esp_verified,
               sum(n.opt_out) AS opt_out, sum(n.not_spam) AS not_spam,
               sum(n.auth_failure) AS auth_failure, sum(n.other) AS other,
               sum(n.unsigned) AS unsigned, sum(n.authentic) AS authentic,
               sum(n.replayed) AS replayed, sum(n.forged) AS forged,
               sum(n.rotated) AS rotated, sum(n.redacted) AS redacted,
               sum(n.damaged) AS damaged, sum(n.pending) AS pending,
               sum(n.unknown) AS unknown
          FROM r, LATERAL fbl_customer_counts(r.kind, r.feedback_type,
                   r.esp_state, r.customer_state, r.authenticity) n
         WHERE r.complaint
         GROUP BY 1, 2, 3, 4
    ), cu_sub AS (
        UPDATE daily_customer t SET
               complaints = t.complaints - cu.complaints,
               attributed = t.attributed - cu.attributed,
               carried = t.carried - cu.carried,
               esp_verified = t.esp_verified - cu.esp_verified,
               opt_out = t.opt_out - cu.opt_out,
               not_spam = t.not_spam - cu.not_spam,
               auth_failure = t.auth_failure - cu.auth_failure,
               other = t.other - cu.other,
               unsigned = t.unsigned - cu.unsigned,
               authentic = t.authentic - cu.authentic,
               replayed = t.replayed - cu.replayed,
               forged = t.forged - cu.forged,
               rotated = t.rotated - cu.rotated,
               redacted = t.redacted - cu.redacted,
               damaged = t.damaged - cu.damaged,
               pending = t.pending - cu.pending,
               unknown = t.unknown - cu.unknown
          FROM cu
         WHERE p_sign < 0 AND t.day = cu.msg_day
           AND t.customer_id = cu.customer_id AND t.token = cu.token
           AND t.reporter = cu.reporter
    ), cu_add AS (
        INSERT INTO daily_customer AS t (day, customer_id, token, reporter,
               complaints, attributed, carried, esp_verified, opt_out,
               not_spam, auth_failure, other, unsigned, authentic,
               replayed, forged, rotated, redacted, damaged, pending,
               unknown)
        SELECT * FROM cu WHERE p_sign > 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (day, customer_id, token, reporter) DO UPDATE SET
               complaints = t.complaints + EXCLUDED.complaints,
               attributed = t.attributed + EXCLUDED.attributed,
               carried = t.carried + EXCLUDED.carried,
               esp_verified = t.esp_verified + EXCLUDED.esp_verified,
               opt_out = t.opt_out + EXCLUDED.opt_out,
               not_spam = t.not_spam + EXCLUDED.not_spam,
               auth_failure = t.auth_failure + EXCLUDED.auth_failure,
               other = t.other + EXCLUDED.other,
               unsigned = t.unsigned + EXCLUDED.unsigned,
               authentic = t.authentic + EXCLUDED.authentic,
               replayed = t.replayed + EXCLUDED.replayed,
               forged = t.forged + EXCLUDED.forged,
               rotated = t.rotated + EXCLUDED.rotated,
               redacted = t.redacted + EXCLUDED.redacted,
               damaged = t.damaged + EXCLUDED.damaged,
               pending = t.pending + EXCLUDED.pending,
               unknown = t.unknown + EXCLUDED.unknown
    ), k AS (
        SELECT msg_day, kind, token, role, customer_id, selector, algorithm,
               key_bits, key_testing, count(*) AS n
          FROM s GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ), k_sub AS (
        UPDATE daily_key t SET count = t.count - k.n FROM k
         WHERE p_sign < 0 AND t.day = k.msg_day AND t.kind = k.kind
           AND t.token = k.token AND t.role = k.role
           AND t.customer_id = k.customer_id AND t.selector = k.selector
           AND t.algorithm = k.algorithm AND t.key_bits = k.key_bits
           AND t.key_testing = k.key_testing
    ), k_add AS (
        INSERT INTO daily_key AS t (day, kind, token, role, customer_id,
               selector, algorithm, key_bits, key_testing, count)
        SELECT * FROM k WHERE p_sign > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
        ON CONFLICT (day, kind, token, role, customer_id, selector,
                     algorithm, key_bits, key_testing)
        DO UPDATE SET count = t.count + EXCLUDED.count
    ), g AS (
        SELECT msg_day, kind, token, role, customer_id, selector, reporter,
               feedback_type, result, reason, count(*) AS n
          FROM s GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
    ), g_sub AS (
        UPDATE daily_signature t SET count = t.count - g.n FROM g
         WHERE p_sign < 0 AND t.day = g.msg_day AND t.kind = g.kind
           AND t.token = g.token AND t.role = g.role
           AND t.customer_id = g.customer_id AND t.selector = g.selector
           AND t.reporter = g.reporter
           AND t.feedback_type = g.feedback_type AND t.result = g.result
           AND t.reason = g.reason
    ), g_add AS (
        INSERT INTO daily_signature AS t (day, kind, token, role,
               customer_id, selector, reporter, feedback_type, result,
               reason, count)
        SELECT * FROM g WHERE p_sign > 0
         ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10
        ON CONFLICT (day, kind, token, role, customer_id, selector,
                     reporter, feedback_type, result, reason)
        DO UPDATE SET count = t.count + EXCLUDED.count
    ), v AS (
        SELECT msg_day, kind, token, role, customer_id, result, reason,
               count(*) AS n
          FROM s GROUP BY 1, 2, 3, 4, 5, 6, 7
    ), v_sub AS (
        UPDATE daily_verification t SET count = t.count - v.n FROM v
         WHERE p_sign < 0 AND t.day = v.msg_day AND t.kind = v.kind
           AND t.token = v.token AND t.role = v.role
           AND t.customer_id = v.customer_id AND t.result = v.result
           AND t.reason = v.reason
    )
    INSERT INTO daily_verification AS t (day, kind, token, role,
           customer_id, result, reason, count)
    SELECT * FROM v WHERE p_sign > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (day, kind, token, role, customer_id, result, reason)
    DO UPDATE SET count = t.count + EXCLUDED.count;
END;
$$;


--
-- Name: fbl_daily_prune(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_daily_prune() RETURNS void
    LANGUAGE sql
    AS $$
    DELETE FROM daily_report WHERE count = 0;
    DELETE FROM daily_customer
     WHERE complaints + opt_out + not_spam + auth_failure + other = 0;
    DELETE FROM daily_signature WHERE count = 0;
    DELETE FROM daily_verification WHERE count = 0;
    DELETE FROM daily_complaint WHERE count = 0;
    DELETE FROM daily_key WHERE count = 0;
$$;


--
-- Name: fbl_ensure_month(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_ensure_month(day date) RETURNS void
    LANGUAGE plpgsql SECURITY DEFINER
    SET search_path TO 'public', 'pg_temp'
    AS $$
DECLARE
    lo     date := date_trunc('month', day)::date;
    hi     date := (date_trunc('month', day) + interval '1 month')::date;
    tables text[] := ARRAY['report', 'signature', 'signature_facts'];
    part   text;
    tbl    text;
    locked boolean := false;
BEGIN
    FOREACH tbl IN ARRAY tables LOOP
        part := format('%s_%s', tbl, to_char(lo, 'YYYY_MM'));
        IF to_regclass(part) IS NULL THEN
            IF NOT locked THEN
                PERFORM pg_advisory_xact_lock(
                    hashtext('fblscope.partitions'));
                locked := true;
            END IF;
            -- The lookup above may have answered from a catalog cache
            -- made before another ingest committed the partition: the
            -- table itself says whether it exists now.
            BEGIN
                EXECUTE format('CREATE TABLE %I PARTITION OF %I '
                               'FOR VALUES FROM (%L) TO (%L)',
                               part, tbl, lo, hi);
            EXCEPTION WHEN duplicate_table THEN
                NULL;
            END;
        END IF;
    END LOOP;
END;
$$;


--
-- Name: fbl_feedback_class(text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_feedback_class(kind text, feedback_type text) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE WHEN feedback_type IN ('abuse', 'fraud', 'virus')
                    THEN 'complaint'
                WHEN feedback_type IN ('opt-out', 'not-spam', 'auth-failure')
                    THEN feedback_type
                WHEN kind = 'complaint' THEN 'complaint'
                ELSE 'other'
           END
$$;


--
-- Name: fbl_grant_roles(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_grant_roles() RETURNS void
    LANGUAGE plpgsql
    SET client_min_messages TO 'warning'
    AS $$
DECLARE
    s    text := current_schema();
    rel  record;
    r    text;
BEGIN
    EXECUTE format('ALTER FUNCTION fbl_ensure_month(date) SECURITY DEFINER '
                   'SET search_path = %I, pg_temp', s);
    EXECUTE 'REVOKE ALL ON FUNCTION fbl_ensure_month(date) FROM PUBLIC';
    FOREACH r IN ARRAY ARRAY['fbl_ingest', 'fbl_audit', 'fbl_report'] LOOP
        CONTINUE WHEN NOT EXISTS (SELECT 1 FROM pg_roles
                                   WHERE rolname = r);
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO %I', s, r);
        EXECUTE format('GRANT SELECT ON schema_version TO %I', r);
    END LOOP;
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fbl_ingest') THEN
        EXECUTE 'GRANT EXECUTE ON FUNCTION fbl_ensure_month(date) '
                'TO fbl_ingest';
    END IF;
    -- tables (partitioned parents, not their partitions), views, sequences
    FOR rel IN
        SELECT c.relname, c.relkind
          FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
         WHERE n.nspname = s AND c.relkind IN ('r', 'p', 'v', 'S')
           AND NOT c.relispartition AND c.relname <> 'schema_version'
    LOOP
        IF rel.relkind = 'S' THEN
            IF rel.relname LIKE 'key\_audit\_%' THEN
                PERFORM fbl_grant_to('fbl_audit', 'USAGE, SELECT',
                                     'SEQUENCE', rel.relname);
            ELSE
                PERFORM fbl_grant_to('fbl_ingest', 'USAGE, SELECT',
                                     'SEQUENCE', rel.relname);
            END IF;
        ELSIF rel.relkind = 'v' THEN
            PERFORM fbl_grant_to('fbl_report', 'SELECT', 'TABLE',
                                 rel.relname);
        ELSIF rel.relname LIKE 'key\_audit\_%' THEN
            PERFORM fbl_grant_to('fbl_audit',
                                 'SELECT, INSERT, UPDATE, DELETE', 'TABLE',
                                 rel.relname);
            PERFORM fbl_grant_to('fbl_report', 'SELECT', 'TABLE',
                                 rel.relname);
        ELSIF rel.relname LIKE 'daily\_%' THEN
            PERFORM fbl_grant_to('fbl_ingest',
                                 'SELECT, INSERT, UPDATE, DELETE', 'TABLE',
                                 rel.relname);
            PERFORM fbl_grant_to('fbl_audit', 'SELECT', 'TABLE',
                                 rel.relname);
            PERFORM fbl_grant_to('fbl_report', 'SELECT', 'TABLE',
                                 rel.relname);
        ELSIF rel.relname = 'volume' THEN
            PERFORM fbl_grant_to('fbl_ingest', 'SELECT, INSERT, UPDATE',
                                 'TABLE', rel.relname);
            PERFORM fbl_grant_to('fbl_report', 'SELECT', 'TABLE',
                                 rel.relname);
        ELSE
            -- report, signature, signature_facts, key_archive and any
            -- table to come: personal data or keys, ingest's alone
            PERFORM fbl_grant_to('fbl_ingest', 'SELECT, INSERT, UPDATE',
                                 'TABLE', rel.relname);
        END IF;
    END LOOP;
END;
$$;


--
-- Name: fbl_grant_to(text, text, text, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_grant_to(role text, what text, kind text, name text) RETURNS void
    LANGUAGE plpgsql
    AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role) THEN
        EXECUTE format('GRANT %s ON %s %I TO %I', what, kind, name, role);
    END IF;
END;
$$;


--
-- Name: fbl_key_audit_close(bigint); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_key_audit_close(run bigint) RETURNS void
    LANGUAGE sql
    AS $$
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
                          AND c.server = p.server AND c.status <> 'OK')
       AND NOT EXISTS (SELECT 1 FROM key_audit_check c
                        WHERE c.run_id = run AND c.domain = p.domain
                          AND c.status = 'TEMP');
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


--
-- Name: fbl_reattribute(date, text, text, text, boolean, text, text, boolean, smallint[], text[], text[], text[], text[]); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_reattribute(p_day date, p_fp text, p_old_customer text, p_old_token text, p_old_in_esp boolean, p_customer text, p_token text, p_in_esp boolean, p_idx smallint[], p_old_roles text[], p_old_customers text[], p_roles text[], p_customers text[]) RETURNS boolean
    LANGUAGE plpgsql
    AS $$
#variable_conflict use_column
DECLARE
    fp    bytea := decode(p_fp, 'hex');
    same  boolean;
BEGIN
    PERFORM 1 FROM signature
      WHERE msg_day = p_day AND fingerprint = fp ORDER BY idx FOR UPDATE;
    PERFORM 1 FROM report
      WHERE msg_day = p_day AND fingerprint = fp FOR UPDATE;
    IF NOT FOUND THEN
        RETURN false;
    END IF;
    -- a new statement: a new snapshot, with what the lock waited for
    SELECT count(*) FILTER (WHERE s.idx IS NULL OR o.idx IS NULL
                OR s.role <> o.role
                OR coalesce(s.customer_id, '') <> o.customer) = 0
      INTO same
      FROM (SELECT idx, role, customer_id FROM signature
             WHERE msg_day = p_day AND fingerprint = fp) s
      FULL JOIN unnest(p_idx, p_old_roles, p_old_customers)
           o(idx, role, customer) ON o.idx = s.idx;
    IF NOT same OR NOT EXISTS (SELECT 1 FROM report
         WHERE msg_day = p_day AND fingerprint = fp
           AND customer_id IS NOT DISTINCT FROM p_old_customer
           AND customer_token IS NOT DISTINCT FROM p_old_token
           AND source_ip_in_esp IS NOT DISTINCT FROM p_old_in_esp) THEN
        RETURN false;
    END IF;
    PERFORM fbl_daily_apply(ARRAY[p_day], ARRAY[fp], -1);
    UPDATE signature s SET role = n.role,
           customer_id = nullif(n.customer, '')
      FROM unnest(p_idx, p_roles, p_customers) n(idx, role, customer)
     WHERE s.msg_day = p_day AND s.fingerprint = fp AND s.idx = n.idx;
    UPDATE report SET customer_id = p_customer, customer_token = p_token,
           source_ip_in_esp = p_in_esp
     WHERE msg_day = p_day AND fingerprint = fp;
    UPDATE report r SET esp_state = x.esp_state,
           customer_state = x.customer_state, authenticity = x.authenticity
      FROM fbl_standing(p_day, fp) x
     WHERE r.msg_day = p_day AND r.fingerprint = fp;
    PERFORM fbl_daily_apply(ARRAY[p_day], ARRAY[fp], 1);
    RETURN true;
END;
$$;


--
-- Name: fbl_report_standing(date, text); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_report_standing(p_day date, p_fp text) RETURNS void
    LANGUAGE sql
    AS $$
    WITH n AS (
        SELECT r.msg_day, r.fingerprint, r.complaint, r.kind,
               coalesce(r.reporter, '') AS reporter,
               coalesce(r.feedback_type, '') AS feedback_type,
               coalesce(r.customer_id, '') AS customer_id,
               coalesce(r.customer_token, '') AS token,
               r.esp_state AS old_esp, r.customer_state AS old_customer,
               r.authenticity AS old_authenticity, x.esp_state,
               x.customer_state, x.authenticity
          FROM report r, fbl_standing(p_day, decode(p_fp, 'hex')) x
         WHERE r.msg_day = p_day AND r.fingerprint = decode(p_fp, 'hex')
    ), u AS (
        UPDATE report r SET esp_state = n.esp_state,
               customer_state = n.customer_state,
               authenticity = n.authenticity
          FROM n
         WHERE r.msg_day = n.msg_day AND r.fingerprint = n.fingerprint
           AND (r.esp_state, r.customer_state, r.authenticity)
               IS DISTINCT FROM (n.esp_state, n.customer_state,
                                 n.authenticity)
        RETURNING r.msg_day
    ), dec AS (
        UPDATE daily_complaint t SET count = t.count - 1 FROM n
         WHERE n.complaint AND EXISTS (SELECT 1 FROM u)
           AND t.day = n.msg_day AND t.kind = n.kind
           AND t.reporter = n.reporter
           AND t.feedback_type = n.feedback_type
           AND t.customer_id = n.customer_id AND t.token = n.token
           AND t.esp_state = n.old_esp
           AND t.customer_state = n.old_customer
           AND t.authenticity = n.old_authenticity
    ), mv AS (
        UPDATE daily_customer t SET
               complaints = t.complaints + a.complaints - o.complaints,
               attributed = t.attributed + a.attributed - o.attributed,
               carried = t.carried + a.carried - o.carried,
               esp_verified = t.esp_verified + a.esp_verified
                   - o.esp_verified,
               opt_out = t.opt_out + a.opt_out - o.opt_out,
               not_spam = t.not_spam + a.not_spam - o.not_spam,
               auth_failure = t.auth_failure + a.auth_failure
                   - o.auth_failure,
               other = t.other + a.other - o.other,
               unsigned = t.unsigned + a.unsigned - o.unsigned,
               authentic = t.authentic + a.authentic - o.authentic,
               replayed = t.replayed + a.replayed - o.replayed,
               forged = t.forged + a.forged - o.forged,
               rotated = t.rotated + a.rotated - o.rotated,
               redacted = t.redacted + a.redacted - o.redacted,
               damaged = t.damaged + a.damaged - o.damaged,
               pending = t.pending + a.pending - o.pending,
               unknown = t.unknown + a.unknown - o.unknown
          FROM n,
               LATERAL fbl_customer_counts(n.kind, n.feedback_type,
                   n.esp_state, n.customer_state, n.authenticity) a,
               LATERAL fbl_customer_counts(n.kind, n.feedback_type,
                   n.old_esp, n.old_customer, n.old_authenticity) o
         WHERE n.complaint AND EXISTS (SELECT 1 FROM u)
           AND t.day = n.msg_day AND t.customer_id = n.customer_id
           AND t.token = n.token AND t.reporter = n.reporter
    )
    INSERT INTO daily_complaint AS t (day, kind, reporter, feedback_type,
           customer_id, token, esp_state, customer_state, authenticity,
           count)
    SELECT msg_day, kind, reporter, feedback_type, customer_id, token,
           esp_state, customer_state, authenticity, 1
      FROM n
     WHERE n.complaint AND EXISTS (SELECT 1 FROM u)
    ON CONFLICT (day, kind, reporter, feedback_type, customer_id, token,
                 esp_state, customer_state, authenticity)
    DO UPDATE SET count = t.count + 1
$$;


--
-- Name: fbl_sig_state(text, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_sig_state(result text, header_verified boolean) RETURNS text
    LANGUAGE sql IMMUTABLE
    AS $$
    SELECT CASE
        WHEN result = 'pass' THEN 'pass'
        WHEN result = 'neutral' AND header_verified THEN 'headers-ok'
        WHEN result = 'temperror' THEN 'temperror'
        ELSE 'fail'
    END
$$;


--
-- Name: fbl_signature_verdict(date, text, smallint, text, text, text, text, text, text, text, boolean, integer, boolean, integer, boolean); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_signature_verdict(p_day date, p_fp text, p_idx smallint, p_old_result text, p_old_reason text, p_old_archived text, p_result text, p_reason text, p_archived text, p_archived_key text, p_header_verified boolean, p_key_bits integer, p_key_testing boolean, p_old_key_bits integer, p_old_key_testing boolean) RETURNS boolean
    LANGUAGE sql
    AS $$
    WITH u AS (
        UPDATE signature SET result = p_result, reason = p_reason,
               archived_verdict = p_archived,
               archived_key = decode(p_archived_key, 'hex'),
               header_verified = p_header_verified,
               key_bits = nullif(p_key_bits, -1),
               key_testing = CASE WHEN p_key_bits = -1 THEN NULL
                                  ELSE p_key_testing END
         WHERE msg_day = p_day AND fingerprint = decode(p_fp, 'hex')
           AND idx = p_idx AND result = p_old_result
           AND reason = p_old_reason
           AND archived_verdict IS NOT DISTINCT FROM p_old_archived
        RETURNING msg_day, fingerprint, d, s, a, role, customer_id
    ), m AS (
        SELECT p_result <> p_old_result OR p_reason <> p_old_reason
                   AS verdict,
               p_key_bits <> p_old_key_bits OR (p_key_bits >= 0 AND
                   p_key_testing <> p_old_key_testing) AS key
    ), r AS (
        SELECT u.msg_day, rp.kind, lower(coalesce(u.d, '')) AS token,
               u.role, coalesce(u.customer_id, '') AS customer_id,
               coalesce(u.s, '') AS selector,
               coalesce(rp.reporter, '') AS reporter,
               coalesce(rp.feedback_type, '') AS feedback_type,
               coalesce(u.a, '') AS algorithm, m.verdict, m.key
          FROM u JOIN report rp USING (msg_day, fingerprint), m
    ), kdec AS (
        UPDATE daily_key t SET count = t.count - 1 FROM r
         WHERE r.key AND t.day = r.msg_day AND t.kind = r.kind
           AND t.token = r.token AND t.role = r.role
           AND t.customer_id = r.customer_id AND t.selector = r.selector
           AND t.algorithm = r.algorithm AND t.key_bits = p_old_key_bits
           AND t.key_testing = p_old_key_testing
    ), kinc AS (
        INSERT INTO daily_key AS t (day, kind, token, role, customer_id,
               selector, algorithm, key_bits, key_testing, count)
        SELECT msg_day, kind, token, role, customer_id, selector, algorithm,
               p_key_bits, p_key_testing, 1
          FROM r WHERE r.key
        ON CONFLICT (day, kind, token, role, customer_id, selector,
                     algorithm, key_bits, key_testing)
        DO UPDATE SET count = t.count + 1
    ), vdec AS (
        UPDATE daily_verification t SET count = t.count - 1 FROM r
         WHERE r.verdict AND t.day = r.msg_day AND t.kind = r.kind
           AND t.token = r.token AND t.role = r.role
           AND t.customer_id = r.customer_id AND t.result = p_old_result
           AND t.reason = p_old_reason
    ), vinc AS (
        INSERT INTO daily_verification AS t (day, kind, token, role,
               customer_id, result, reason, count)
        SELECT msg_day, kind, token, role, customer_id, p_result, p_reason,
               1
          FROM r WHERE r.verdict
        ON CONFLICT (day, kind, token, role, customer_id, result, reason)
        DO UPDATE SET count = t.count + 1
    ), sdec AS (
        UPDATE daily_signature t SET count = t.count - 1 FROM r
         WHERE r.verdict AND t.day = r.msg_day AND t.kind = r.kind
           AND t.token = r.token AND t.role = r.role
           AND t.customer_id = r.customer_id AND t.selector = r.selector
           AND t.reporter = r.reporter
           AND t.feedback_type = r.feedback_type
           AND t.result = p_old_result AND t.reason = p_old_reason
    ), sinc AS (
        INSERT INTO daily_signature AS t (day, kind, token, role,
               customer_id, selector, reporter, feedback_type, result,
               reason, count)
        SELECT msg_day, kind, token, role, customer_id, selector, reporter,
               feedback_type, p_result, p_reason, 1
          FROM r WHERE r.verdict
        ON CONFLICT (day, kind, token, role, customer_id, selector,
                     reporter, feedback_type, result, reason)
        DO UPDATE SET count = t.count + 1
    )
    SELECT count(*) > 0 FROM u
$$;


--
-- Name: fbl_stage_merge(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_stage_merge() RETURNS TABLE(fingerprint text, msg_day text)
    LANGUAGE plpgsql
    AS $$
#variable_conflict use_column
DECLARE
    days date[];
    fps  bytea[];
BEGIN
    PERFORM fbl_ensure_month(m)
       FROM (SELECT DISTINCT date_trunc('month', msg_day)::date AS m
               FROM stage_report) x
      ORDER BY m;
    WITH g AS (
        SELECT msg_day, fingerprint,
               fbl_best_state(array_agg(fbl_sig_state(result,
                   header_verified)) FILTER (WHERE role = 'esp'))
                   AS esp_state,
               fbl_best_state(array_agg(fbl_sig_state(result,
                   header_verified)) FILTER (WHERE role = 'customer'))
                   AS customer_state,
               bool_or(archived_verdict = 'pass') AS archived_pass,
               bool_or(reason = 'redacted') AS redacted
          FROM stage_signature GROUP BY 1, 2
    ), st AS (
        SELECT r.*, coalesce(g.esp_state, 'none') AS esp_state,
               coalesce(g.customer_state, 'none') AS customer_state,
               CASE WHEN r.complaint THEN fbl_authenticity(
                   coalesce(g.esp_state, 'none'),
                   coalesce(g.customer_state, 'none'),
                   coalesce(g.archived_pass, false),
                   coalesce(g.redacted, false), r.customer_id IS NOT NULL,
                   r.source_ip_in_esp,
                   coalesce(r.reporter_verified_dkim, false)) END
                   AS authenticity
          FROM stage_report r LEFT JOIN g USING (msg_day, fingerprint)
    ), ins AS (
        INSERT INTO report (msg_day, fingerprint, kind, complaint, source,
               feedback_type, reporter, user_agent, arf_version,
               arrival_date, source_ip, source_ip_in_esp,
               original_mail_from, original_form, reported_domain,
               recipient_hmac, original_message_id, original_from_domain,
               deviations, cfbl_feedback_id, feedback_id, cfbl_signed,
               reporter_verified_dkim, decided, customer_id,
               customer_token, source_ip_derived, esp_state, customer_state,
               authenticity)
        SELECT msg_day, fingerprint, kind, complaint, source, feedback_type,
               reporter, user_agent, arf_version, to_timestamp(arrival),
               source_ip, source_ip_in_esp, original_mail_from,
               original_form, reported_domain, recipient_hmac,
               original_message_id, original_from_domain, deviations,
               cfbl_feedback_id, feedback_id, cfbl_signed,
               reporter_verified_dkim, decided, customer_id, customer_token,
               source_ip_derived, esp_state, customer_state, authenticity
          FROM st ORDER BY msg_day, fingerprint
        ON CONFLICT DO NOTHING
        RETURNING msg_day, fingerprint
    ), sig AS (
        INSERT INTO signature (msg_day, fingerprint, idx, d, s, a, c, l, t,
               x, key_bits, key_testing, result, reason, header_verified,
               body_verified, role, customer_id, selector_year,
               selector_month, archived_verdict, archived_key)
        SELECT g.msg_day, g.fingerprint, g.idx, g.d, g.s, g.a, g.c, g.l,
               g.t, g.x, g.key_bits, g.key_testing, g.result, g.reason,
               g.header_verified, g.body_verified, g.role, g.customer_id,
               g.selector_year, g.selector_month, g.archived_verdict,
               g.archived_key
          FROM stage_signature g JOIN ins USING (msg_day, fingerprint)
         ORDER BY g.msg_day, g.fingerprint, g.idx
    ), fx AS (
        INSERT INTO signature_facts
        SELECT f.msg_day, f.fingerprint, f.idx, f.field, f.header_digest,
               f.has_body, f.body_verified, f.l_exceeds, f.canon_len,
               f.n_from, f.redacted, f.verified_at, f.skew
          FROM stage_facts f JOIN ins USING (msg_day, fingerprint)
    )
    SELECT array_agg(ins.msg_day ORDER BY ins.msg_day, ins.fingerprint),
           array_agg(ins.fingerprint ORDER BY ins.msg_day, ins.fingerprint)
      INTO days, fps
      FROM ins;
    PERFORM fbl_daily_apply(days, fps, 1);
    RETURN QUERY
    SELECT encode(k.fp, 'hex'), to_char(k.day, 'YYYY-MM-DD')
      FROM unnest(days, fps) k(day, fp);
END;
$$;


--
-- Name: fbl_stage_open(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_stage_open() RETURNS void
    LANGUAGE plpgsql
    SET client_min_messages TO 'warning'
    AS $$
BEGIN
    CREATE TEMP TABLE IF NOT EXISTS stage_report (
        msg_day date, fingerprint bytea, kind text, complaint boolean,
        source text, feedback_type text, reporter text, user_agent text,
        arf_version text, arrival bigint, source_ip text,
        source_ip_in_esp boolean, original_mail_from text,
        original_form text, reported_domain text[], recipient_hmac bytea[],
        original_message_id text, original_from_domain text,
        deviations text[], cfbl_feedback_id text, feedback_id text,
        cfbl_signed boolean, reporter_verified_dkim boolean, decided text,
        customer_id text, customer_token text, source_ip_derived text)
        ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS stage_signature (
        msg_day date, fingerprint bytea, idx smallint, d text, s text,
        a text, c text, l numeric(20, 0), t bigint, x bigint,
        key_bits integer, key_testing boolean, result text, reason text,
        header_verified boolean, body_verified boolean, role text,
        customer_id text, selector_year smallint, selector_month smallint,
        archived_verdict text, archived_key bytea)
        ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS stage_facts (
        msg_day date, fingerprint bytea, idx smallint, field bytea,
        header_digest bytea, has_body boolean, body_verified boolean,
        l_exceeds boolean, canon_len bigint, n_from smallint,
        redacted boolean, verified_at bigint, skew integer)
        ON COMMIT DELETE ROWS;
END;
$$;


--
-- Name: fbl_standing(date, bytea); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_standing(p_day date, p_fp bytea) RETURNS TABLE(esp_state text, customer_state text, authenticity text)
    LANGUAGE sql STABLE
    AS $$
    WITH x AS (
        SELECT fbl_best_state(array_agg(fbl_sig_state(s.result,
                   s.header_verified)) FILTER (WHERE s.role = 'esp'))
                   AS esp_state,
               fbl_best_state(array_agg(fbl_sig_state(s.result,
                   s.header_verified)) FILTER (WHERE s.role = 'customer'))
                   AS customer_state,
               coalesce(bool_or(s.archived_verdict = 'pass'), false)
                   AS archived_pass,
               coalesce(bool_or(s.reason = 'redacted'), false) AS redacted
          FROM signature s
         WHERE s.msg_day = p_day AND s.fingerprint = p_fp
    )
    SELECT x.esp_state, x.customer_state,
           CASE WHEN r.complaint THEN fbl_authenticity(x.esp_state,
               x.customer_state, x.archived_pass, x.redacted,
               r.customer_id IS NOT NULL, r.source_ip_in_esp,
               coalesce(r.reporter_verified_dkim, false)) END
      FROM report r, x
     WHERE r.msg_day = p_day AND r.fingerprint = p_fp
$$;


--
-- Name: fbl_window_from(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_window_from() RETURNS date
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(nullif(current_setting('fblscope.window_from', true),
                           '')::date, '-infinity'::date)
$$;


--
-- Name: fbl_window_to(); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_window_to() RETURNS date
    LANGUAGE sql STABLE
    AS $$
    SELECT coalesce(nullif(current_setting('fblscope.window_to', true),
                           '')::date, 'infinity'::date)
$$;


--
-- Name: key_audit_latest(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.key_audit_latest(upto date) RETURNS TABLE(domain text, run_id bigint, as_of date)
    LANGUAGE sql STABLE
    AS $$
    SELECT DISTINCT ON (d.domain) d.domain, d.run_id, d.as_of
      FROM key_audit_domain_run d
     WHERE d.as_of <= upto
     ORDER BY d.domain, d.as_of DESC, d.run_id DESC
$$;


--
-- Name: report_key_audit_domain(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_key_audit_domain(upto date) RETURNS TABLE(domain text, customer_id text, role text, mode text, as_of date, status text, warn bigint, fail bigint, temp bigint)
    LANGUAGE sql STABLE
    AS $$
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


--
-- Name: report_key_audit_problem(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.report_key_audit_problem(upto date) RETURNS TABLE(domain text, customer_id text, check_name text, subject text, server text, status text, reason text, detail text, first_seen date, days_open integer)
    LANGUAGE sql STABLE
    AS $$
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


SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: daily_complaint; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.daily_complaint (
    day date NOT NULL,
    kind text NOT NULL,
    reporter text NOT NULL,
    feedback_type text NOT NULL,
    customer_id text NOT NULL,
    token text NOT NULL,
    esp_state text NOT NULL,
    customer_state text NOT NULL,
    authenticity text NOT NULL,
    count bigint NOT NULL,
    CONSTRAINT daily_complaint_count_check CHECK ((count >= 0))
);


--
-- Name: daily_customer; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.daily_customer (
    day date NOT NULL,
    customer_id text NOT NULL,
    token text NOT NULL,
    reporter text NOT NULL,
    complaints bigint DEFAULT 0 NOT NULL,
    attributed bigint DEFAULT 0 NOT NULL,
    carried bigint DEFAULT 0 NOT NULL,
    esp_verified bigint DEFAULT 0 NOT NULL,
    opt_out bigint DEFAULT 0 NOT NULL,
    not_spam bigint DEFAULT 0 NOT NULL,
    auth_failure bigint DEFAULT 0 NOT NULL,
    other bigint DEFAULT 0 NOT NULL,
    unsigned bigint DEFAULT 0 NOT NULL,
    authentic bigint DEFAULT 0 NOT NULL,
    replayed bigint DEFAULT 0 NOT NULL,
    forged bigint DEFAULT 0 NOT NULL,
    rotated bigint DEFAULT 0 NOT NULL,
    redacted bigint DEFAULT 0 NOT NULL,
    damaged bigint DEFAULT 0 NOT NULL,
    pending bigint DEFAULT 0 NOT NULL,
    unknown bigint DEFAULT 0 NOT NULL,
    CONSTRAINT daily_customer_check CHECK ((LEAST(complaints, attributed, carried, esp_verified, opt_out, not_spam, auth_failure, other, unsigned, authentic, replayed, forged, rotated, redacted, damaged, pending, unknown) >= 0))
);


--
-- Name: daily_key; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.daily_key (
    day date NOT NULL,
    kind text NOT NULL,
    token text NOT NULL,
    role text NOT NULL,
    customer_id text NOT NULL,
    selector text NOT NULL,
    algorithm text NOT NULL,
    key_bits integer NOT NULL,
    key_testing boolean NOT NULL,
    count bigint NOT NULL,
    CONSTRAINT daily_key_count_check CHECK ((count >= 0))
);


--
-- Name: daily_report; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.daily_report (
    day date NOT NULL,
    kind text NOT NULL,
    reporter text NOT NULL,
    feedback_type text NOT NULL,
    count bigint NOT NULL,
    CONSTRAINT daily_report_count_check CHECK ((count >= 0))
);


--
-- Name: daily_signature; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.daily_signature (
    day date NOT NULL,
    kind text NOT NULL,
    token text NOT NULL,
    role text NOT NULL,
    customer_id text NOT NULL,
    selector text NOT NULL,
    reporter text NOT NULL,
    feedback_type text NOT NULL,
    result text NOT NULL,
    reason text NOT NULL,
    count bigint NOT NULL,
    CONSTRAINT daily_signature_count_check CHECK ((count >= 0))
);


--
-- Name: daily_verification; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.daily_verification (
    day date NOT NULL,
    kind text NOT NULL,
    token text NOT NULL,
    role text NOT NULL,
    customer_id text NOT NULL,
    result text NOT NULL,
    reason text NOT NULL,
    count bigint NOT NULL,
    CONSTRAINT daily_verification_count_check CHECK ((count >= 0))
);


--
-- Name: key_archive; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.key_archive (
    name text NOT NULL,
    fingerprint bytea NOT NULL,
    record text NOT NULL,
    origin text NOT NULL,
    first_seen timestamp with time zone DEFAULT now() NOT NULL,
    last_seen timestamp with time zone DEFAULT now() NOT NULL,
    key_bits integer,
    CONSTRAINT key_archive_key_bits_check CHECK ((key_bits > 0)),
    CONSTRAINT key_archive_origin_check CHECK ((origin = ANY (ARRAY['dns'::text, 'import'::text])))
);


--
-- Name: COLUMN key_archive.fingerprint; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.key_archive.fingerprint IS 'SHA-256 of the public key as published (the decoded p= value)';


--
-- Name: COLUMN key_archive.key_bits; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.key_archive.key_bits IS 'the key''s size in bits (256 for ed25519); NULL: archived before schema 13';


--
-- Name: key_audit_check; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.key_audit_check (
    run_id bigint NOT NULL,
    domain text NOT NULL,
    customer_id text NOT NULL,
    role text NOT NULL,
    mode text NOT NULL,
    check_name text NOT NULL,
    subject text NOT NULL,
    server text NOT NULL,
    status text NOT NULL,
    reason text NOT NULL,
    detail text NOT NULL,
    CONSTRAINT key_audit_check_role_check CHECK ((role = ANY (ARRAY['customer'::text, 'esp'::text]))),
    CONSTRAINT key_audit_check_status_check CHECK ((status = ANY (ARRAY['OK'::text, 'WARN'::text, 'FAIL'::text, 'TEMP'::text])))
);


--
-- Name: key_audit_domain_run; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.key_audit_domain_run (
    domain text NOT NULL,
    run_id bigint NOT NULL,
    as_of date NOT NULL
);


--
-- Name: key_audit_problem; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.key_audit_problem (
    domain text NOT NULL,
    customer_id text NOT NULL,
    check_name text NOT NULL,
    subject text NOT NULL,
    server text NOT NULL,
    status text NOT NULL,
    reason text NOT NULL,
    detail text NOT NULL,
    first_seen date NOT NULL,
    last_seen date NOT NULL,
    last_run bigint NOT NULL,
    CONSTRAINT key_audit_problem_status_check CHECK ((status = ANY (ARRAY['WARN'::text, 'FAIL'::text, 'TEMP'::text])))
);


--
-- Name: key_audit_run; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.key_audit_run (
    run_id bigint NOT NULL,
    as_of date NOT NULL,
    run_at timestamp with time zone DEFAULT now() NOT NULL,
    domains integer NOT NULL,
    CONSTRAINT key_audit_run_domains_check CHECK ((domains >= 0))
);


--
-- Name: key_audit_run_run_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.key_audit_run_run_id_seq
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: key_audit_run_run_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.key_audit_run_run_id_seq OWNED BY public.key_audit_run.run_id;


--
-- Name: report; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.report (
    msg_day date NOT NULL,
    fingerprint bytea NOT NULL,
    kind text NOT NULL,
    complaint boolean NOT NULL,
    source text NOT NULL,
    ingested_at timestamp with time zone DEFAULT now() NOT NULL,
    feedback_type text,
    reporter text,
    user_agent text,
    arf_version text,
    arrival_date timestamp with time zone,
    source_ip text,
    source_ip_in_esp boolean,
    original_mail_from text,
    original_form text,
    reported_domain text[],
    recipient_hmac bytea[],
    original_message_id text,
    original_from_domain text,
    deviations text[],
    cfbl_feedback_id text,
    feedback_id text,
    cfbl_signed boolean,
    decided text,
    reporter_verified_dkim boolean,
    customer_id text,
    customer_token text,
    esp_state text,
    customer_state text,
    authenticity text,
    source_ip_derived text,
    CONSTRAINT report_fingerprint_check CHECK ((octet_length(fingerprint) = 32)),
    CONSTRAINT report_kind_check CHECK ((kind = ANY (ARRAY['arf'::text, 'complaint'::text, 'sample'::text, 'not-arf'::text, 'unparseable'::text]))),
    CONSTRAINT report_source_ip_derived_check CHECK ((source_ip_derived = ANY (ARRAY['subject'::text, 'received'::text])))
)
PARTITION BY RANGE (msg_day);


--
-- Name: report_archived_key; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_archived_key AS
 SELECT key_archive.name,
    count(*) AS keys,
    min(key_archive.key_bits) AS key_bits,
    max(key_archive.last_seen) AS last_seen
   FROM public.key_archive
  GROUP BY key_archive.name;


--
-- Name: VIEW report_archived_key; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_archived_key IS 'archived DKIM keys per name (selector._domainkey.domain): how many, the smallest key_bits, last seen; never the key';


--
-- Name: report_complaint; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_complaint AS
 SELECT daily_complaint.day,
    daily_complaint.kind,
    daily_complaint.reporter,
    daily_complaint.feedback_type,
    daily_complaint.customer_id,
    daily_complaint.token,
    daily_complaint.esp_state,
    daily_complaint.customer_state,
    daily_complaint.authenticity,
        CASE
            WHEN (daily_complaint.feedback_type = ANY (ARRAY['abuse'::text, 'fraud'::text, 'virus'::text])) THEN 'complaint'::text
            WHEN (daily_complaint.feedback_type = ANY (ARRAY['opt-out'::text, 'not-spam'::text, 'auth-failure'::text])) THEN daily_complaint.feedback_type
            WHEN (daily_complaint.kind = 'complaint'::text) THEN 'complaint'::text
            ELSE 'other'::text
        END AS feedback_class,
    (daily_complaint.authenticity <> ALL (ARRAY['forged'::text, 'replayed'::text, 'unknown'::text])) AS attributed,
    daily_complaint.count
   FROM public.daily_complaint
  WHERE ((daily_complaint.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (daily_complaint.day <= ( SELECT public.fbl_window_to() AS fbl_window_to)));


--
-- Name: VIEW report_complaint; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_complaint IS 'daily_complaint rows with feedback_class (complaint, opt-out, not-spam, auth-failure, other) and attributed (counts in a complaint rate)';


--
-- Name: report_customer_authenticity_day; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_customer_authenticity_day AS
 WITH s AS (
         SELECT daily_customer.day,
            daily_customer.customer_id,
            sum(daily_customer.authentic) AS authentic,
            sum(daily_customer.replayed) AS replayed,
            sum(daily_customer.forged) AS forged,
            sum(daily_customer.rotated) AS rotated,
            sum(daily_customer.redacted) AS redacted,
            sum(daily_customer.damaged) AS damaged,
            sum(daily_customer.pending) AS pending,
            sum(daily_customer.unknown) AS unknown
           FROM public.daily_customer
          WHERE ((daily_customer.customer_id <> ''::text) AND ((daily_customer.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (daily_customer.day <= ( SELECT public.fbl_window_to() AS fbl_window_to))))
          GROUP BY daily_customer.day, daily_customer.customer_id
        )
 SELECT s.day,
    s.customer_id,
    a.authenticity,
    (a.n)::bigint AS complaints
   FROM (s
     CROSS JOIN LATERAL ( VALUES ('authentic'::text,s.authentic), ('replayed'::text,s.replayed), ('forged'::text,s.forged), ('rotated'::text,s.rotated), ('redacted'::text,s.redacted), ('damaged'::text,s.damaged), ('pending'::text,s.pending), ('unknown'::text,s.unknown)) a(authenticity, n))
  WHERE (a.n > (0)::numeric);


--
-- Name: VIEW report_customer_authenticity_day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_customer_authenticity_day IS 'complaints (every feedback class) per UTC day, customer and authenticity';


--
-- Name: report_customer_token; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_customer_token AS
 SELECT DISTINCT daily_key.customer_id,
    daily_key.token
   FROM public.daily_key
  WHERE ((daily_key.role = 'customer'::text) AND (daily_key.customer_id <> ''::text) AND (daily_key.token <> ''::text) AND ((daily_key.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (daily_key.day <= ( SELECT public.fbl_window_to() AS fbl_window_to))))
UNION
 SELECT DISTINCT daily_customer.customer_id,
    daily_customer.token
   FROM public.daily_customer
  WHERE ((daily_customer.customer_id <> ''::text) AND (daily_customer.token <> ''::text) AND (daily_customer.unsigned > 0) AND ((daily_customer.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (daily_customer.day <= ( SELECT public.fbl_window_to() AS fbl_window_to))));


--
-- Name: VIEW report_customer_token; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_customer_token IS 'one row per customer id and a d= domain seen signing for it';


--
-- Name: volume; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.volume (
    day date NOT NULL,
    token text NOT NULL,
    reporter text DEFAULT '*'::text NOT NULL,
    sent bigint NOT NULL,
    delivered bigint,
    CONSTRAINT volume_delivered_check CHECK ((delivered >= 0)),
    CONSTRAINT volume_sent_check CHECK ((sent >= 0))
);


--
-- Name: report_customer_volume; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_customer_volume AS
 WITH t AS (
         SELECT report_customer_token.customer_id,
            report_customer_token.token
           FROM public.report_customer_token
        ), k AS (
         SELECT DISTINCT t.customer_id,
            t.customer_id AS key,
            true AS by_id
           FROM t
        UNION ALL
         SELECT t.customer_id,
            t.token,
            false
           FROM t
        ), m AS (
         SELECT v.day,
            k.customer_id,
            v.reporter,
            (
                CASE
                    WHEN bool_or(k.by_id) THEN sum(v.sent) FILTER (WHERE k.by_id)
                    ELSE sum(v.sent)
                END)::bigint AS sent,
            (
                CASE
                    WHEN bool_or(k.by_id) THEN sum(v.delivered) FILTER (WHERE k.by_id)
                    ELSE sum(v.delivered)
                END)::bigint AS delivered
           FROM (public.volume v
             JOIN k ON ((k.key = v.token)))
          WHERE ((v.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (v.day <= ( SELECT public.fbl_window_to() AS fbl_window_to)))
          GROUP BY v.day, k.customer_id, v.reporter
        )
 SELECT m.day,
    m.customer_id,
    m.reporter,
    m.sent,
    m.delivered
   FROM m
UNION ALL
 SELECT m.day,
    m.customer_id,
    '*'::text AS reporter,
    (sum(m.sent))::bigint AS sent,
    (sum(m.delivered))::bigint AS delivered
   FROM m
  GROUP BY m.day, m.customer_id
 HAVING (count(*) FILTER (WHERE (m.reporter = '*'::text)) = 0);


--
-- Name: VIEW report_customer_volume; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_customer_volume IS 'messages sent (and delivered to the inbox, where known) per customer, UTC day and reporter (''*'' for all ISPs)';


--
-- Name: report_customer_day; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_customer_day AS
 WITH c AS (
         SELECT daily_customer.day,
            daily_customer.customer_id,
                CASE
                    WHEN (GROUPING(daily_customer.reporter) = 1) THEN '*'::text
                    ELSE daily_customer.reporter
                END AS reporter,
            sum(daily_customer.attributed) AS complaints,
            sum(daily_customer.opt_out) AS opt_out,
            sum(daily_customer.not_spam) AS not_spam,
            sum(daily_customer.auth_failure) AS auth_failure,
            sum(daily_customer.other) AS other,
            sum((daily_customer.forged + daily_customer.replayed)) AS suspected_forgery
           FROM public.daily_customer
          WHERE ((daily_customer.customer_id <> ''::text) AND ((daily_customer.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (daily_customer.day <= ( SELECT public.fbl_window_to() AS fbl_window_to))))
          GROUP BY GROUPING SETS ((daily_customer.day, daily_customer.customer_id, daily_customer.reporter), (daily_customer.day, daily_customer.customer_id))
        ), j AS (
         SELECT day,
            customer_id,
            reporter,
            (COALESCE(c.complaints, (0)::numeric))::bigint AS complaints,
            (COALESCE(c.opt_out, (0)::numeric))::bigint AS opt_out,
            (COALESCE(c.not_spam, (0)::numeric))::bigint AS not_spam,
            (COALESCE(c.auth_failure, (0)::numeric))::bigint AS auth_failure,
            (COALESCE(c.other, (0)::numeric))::bigint AS other,
            (COALESCE(c.suspected_forgery, (0)::numeric))::bigint AS suspected_forgery,
            v.sent,
            v.delivered,
                CASE
                    WHEN ((reporter = 'yahoo'::text) AND (v.delivered IS NOT NULL)) THEN v.delivered
                    ELSE v.sent
                END AS denominator
           FROM (c
             FULL JOIN public.report_customer_volume v USING (day, customer_id, reporter))
        )
 SELECT j.day,
    j.customer_id,
    j.reporter,
    j.complaints,
    j.opt_out,
    j.not_spam,
    j.auth_failure,
    j.other,
    j.suspected_forgery,
    j.sent,
    j.delivered,
    j.denominator,
        CASE
            WHEN (j.denominator > 0) THEN ((j.complaints)::numeric / (j.denominator)::numeric)
            ELSE NULL::numeric
        END AS rate
   FROM j;


--
-- Name: VIEW report_customer_day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_customer_day IS 'per customer, UTC day and reporter (''*'': all): complaints by feedback class, suspected forgeries, volume, rate = complaints / denominator (Yahoo: delivered when known)';


--
-- Name: report_customer_id; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_customer_id AS
 SELECT DISTINCT daily_customer.customer_id
   FROM public.daily_customer
  WHERE (daily_customer.customer_id <> ''::text)
UNION
 SELECT DISTINCT volume.token AS customer_id
   FROM public.volume
  WHERE (strpos(volume.token, '.'::text) = 0);


--
-- Name: VIEW report_customer_id; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_customer_id IS 'the customer ids of the stored complaints and volume rows';


--
-- Name: report_customer_token_day; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_customer_token_day AS
 SELECT daily_customer.day,
    daily_customer.customer_id,
    daily_customer.token,
    (sum(daily_customer.attributed))::bigint AS complaints
   FROM public.daily_customer
  WHERE ((daily_customer.customer_id <> ''::text) AND ((daily_customer.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (daily_customer.day <= ( SELECT public.fbl_window_to() AS fbl_window_to))))
  GROUP BY daily_customer.day, daily_customer.customer_id, daily_customer.token
 HAVING (sum(daily_customer.attributed) > (0)::numeric);


--
-- Name: VIEW report_customer_token_day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_customer_token_day IS 'attributed complaints per UTC day, customer and token (d= or From domain)';


--
-- Name: report_data_start; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_data_start AS
 SELECT LEAST(( SELECT min(daily_complaint.day) AS min
           FROM public.daily_complaint), ( SELECT min(volume.day) AS min
           FROM public.volume)) AS day;


--
-- Name: VIEW report_data_start; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_data_start IS 'the first UTC day of any stored complaint or volume (NULL: none)';


--
-- Name: report_esp_volume; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_esp_volume AS
 WITH esp AS (
         SELECT DISTINCT daily_verification.token
           FROM public.daily_verification
          WHERE (daily_verification.role = 'esp'::text)
        ), v AS (
         SELECT volume.day,
            volume.reporter,
            (sum(volume.sent))::bigint AS sent,
            (sum(volume.delivered))::bigint AS delivered
           FROM public.volume
          WHERE (volume.token IN ( SELECT esp.token
                   FROM esp))
          GROUP BY volume.day, volume.reporter
        )
 SELECT v.day,
    v.reporter,
    v.sent,
    v.delivered
   FROM v
UNION ALL
 SELECT v.day,
    '*'::text AS reporter,
    (sum(v.sent))::bigint AS sent,
    (sum(v.delivered))::bigint AS delivered
   FROM v
  WHERE ((v.reporter <> '*'::text) AND (NOT (EXISTS ( SELECT 1
           FROM v s
          WHERE ((s.day = v.day) AND (s.reporter = '*'::text))))))
  GROUP BY v.day;


--
-- Name: VIEW report_esp_volume; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_esp_volume IS 'messages sent per UTC day and reporter under the ESP token domains';


--
-- Name: report_esp_day; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_esp_day AS
 WITH c AS (
         SELECT daily_customer.day,
                CASE
                    WHEN (GROUPING(daily_customer.reporter) = 1) THEN '*'::text
                    ELSE daily_customer.reporter
                END AS reporter,
            sum(daily_customer.complaints) AS complaints,
            sum(daily_customer.attributed) AS attributed,
            sum(daily_customer.carried) AS carried,
            sum(daily_customer.esp_verified) AS verified,
            sum((((daily_customer.opt_out + daily_customer.not_spam) + daily_customer.auth_failure) + daily_customer.other)) AS other_feedback,
            sum(daily_customer.complaints) FILTER (WHERE (daily_customer.customer_id = ''::text)) AS unattributed,
            sum(daily_customer.carried) FILTER (WHERE (daily_customer.customer_id = ''::text)) AS unattributed_carried,
            sum(daily_customer.esp_verified) FILTER (WHERE (daily_customer.customer_id = ''::text)) AS unattributed_verified
           FROM public.daily_customer
          WHERE ((daily_customer.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (daily_customer.day <= ( SELECT public.fbl_window_to() AS fbl_window_to)))
          GROUP BY GROUPING SETS ((daily_customer.day, daily_customer.reporter), (daily_customer.day))
        ), j AS (
         SELECT day,
            reporter,
            (COALESCE(c.complaints, (0)::numeric))::bigint AS complaints,
            (COALESCE(c.attributed, (0)::numeric))::bigint AS attributed,
            (COALESCE(c.carried, (0)::numeric))::bigint AS carried,
            (COALESCE(c.verified, (0)::numeric))::bigint AS verified,
            (COALESCE(c.other_feedback, (0)::numeric))::bigint AS other_feedback,
            (COALESCE(c.unattributed, (0)::numeric))::bigint AS unattributed,
            (COALESCE(c.unattributed_carried, (0)::numeric))::bigint AS unattributed_carried,
            (COALESCE(c.unattributed_verified, (0)::numeric))::bigint AS unattributed_verified,
            v.sent,
            v.delivered,
                CASE
                    WHEN ((reporter = 'yahoo'::text) AND (v.delivered IS NOT NULL)) THEN v.delivered
                    ELSE v.sent
                END AS denominator
           FROM (c
             FULL JOIN public.report_esp_volume v USING (day, reporter))
        )
 SELECT j.day,
    j.reporter,
    j.complaints,
    j.attributed,
    j.carried,
    j.verified,
    j.other_feedback,
    j.sent,
    j.delivered,
    j.denominator,
        CASE
            WHEN (j.denominator > 0) THEN ((j.attributed)::numeric / (j.denominator)::numeric)
            ELSE NULL::numeric
        END AS rate,
    j.unattributed,
    j.unattributed_carried,
    j.unattributed_verified
   FROM j;


--
-- Name: VIEW report_esp_day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_esp_day IS 'per UTC day and reporter (''*'': all): complaints, attributed, carried an ESP-token signature, ESP signature verified, volume, rate; unattributed: complaints that claim no customer, of them carried and verified';


--
-- Name: report_key_day; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_key_day AS
 SELECT daily_key.day,
    daily_key.token,
    daily_key.role,
    daily_key.customer_id,
    daily_key.selector,
    daily_key.algorithm,
    daily_key.key_bits,
    daily_key.key_testing,
    (sum(daily_key.count))::bigint AS signatures,
    (daily_key.algorithm = 'rsa-sha1'::text) AS sha1,
    ((daily_key.key_bits >= 0) AND (daily_key.key_bits < 2048) AND (daily_key.algorithm ~~ 'rsa-%'::text)) AS small_key,
    (daily_key.key_bits < 0) AS no_key
   FROM public.daily_key
  GROUP BY daily_key.day, daily_key.token, daily_key.role, daily_key.customer_id, daily_key.selector, daily_key.algorithm, daily_key.key_bits, daily_key.key_testing;


--
-- Name: VIEW report_key_day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_key_day IS 'keys used per UTC day, token and selector: algorithm, key_bits (-1: no key), t=y, signatures; flags sha1, small_key (RSA < 2048), no_key';


--
-- Name: report_unknown_token_day; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_unknown_token_day AS
 SELECT daily_verification.day,
    daily_verification.token,
    daily_verification.role,
    (sum(daily_verification.count))::bigint AS signatures,
    (COALESCE(sum(daily_verification.count) FILTER (WHERE (daily_verification.result = 'pass'::text)), (0)::numeric))::bigint AS verified
   FROM public.daily_verification
  WHERE ((daily_verification.role = ANY (ARRAY['unknown'::text, 'third-party'::text])) AND (daily_verification.kind = ANY (ARRAY['arf'::text, 'complaint'::text])) AND ((daily_verification.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (daily_verification.day <= ( SELECT public.fbl_window_to() AS fbl_window_to))))
  GROUP BY daily_verification.day, daily_verification.token, daily_verification.role;


--
-- Name: VIEW report_unknown_token_day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_unknown_token_day IS 'signatures of complaints per UTC day by d= domains no rule maps';


--
-- Name: report_verification_day; Type: VIEW; Schema: public; Owner: -
--

CREATE VIEW public.report_verification_day AS
 SELECT daily_verification.day,
        CASE
            WHEN (daily_verification.kind = ANY (ARRAY['arf'::text, 'complaint'::text])) THEN 'complaint'::text
            WHEN (daily_verification.kind = 'sample'::text) THEN 'sample'::text
            ELSE 'other'::text
        END AS use,
    daily_verification.token,
    daily_verification.role,
    daily_verification.customer_id,
    daily_verification.result,
    daily_verification.reason,
    (daily_verification.result = 'pass'::text) AS verified,
    ((daily_verification.result = 'neutral'::text) AND (daily_verification.reason = 'headers-only'::text)) AS headers_only,
    (sum(daily_verification.count))::bigint AS signatures
   FROM public.daily_verification
  WHERE ((daily_verification.day >= ( SELECT public.fbl_window_from() AS fbl_window_from)) AND (daily_verification.day <= ( SELECT public.fbl_window_to() AS fbl_window_to)))
  GROUP BY daily_verification.day,
        CASE
            WHEN (daily_verification.kind = ANY (ARRAY['arf'::text, 'complaint'::text])) THEN 'complaint'::text
            WHEN (daily_verification.kind = 'sample'::text) THEN 'sample'::text
            ELSE 'other'::text
        END, daily_verification.token, daily_verification.role, daily_verification.customer_id, daily_verification.result, daily_verification.reason;


--
-- Name: VIEW report_verification_day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_verification_day IS 'signatures per UTC day, use (complaint, sample, other), token, role, customer, result and reason';


--
-- Name: schema_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_version (
    version integer NOT NULL,
    name text NOT NULL,
    applied_at timestamp with time zone DEFAULT now() NOT NULL
);


--
-- Name: signature; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signature (
    msg_day date NOT NULL,
    fingerprint bytea NOT NULL,
    idx smallint NOT NULL,
    d text,
    s text,
    a text,
    c text,
    l numeric(20,0),
    t bigint,
    x bigint,
    key_bits integer,
    key_testing boolean,
    result text NOT NULL,
    reason text NOT NULL,
    header_verified boolean,
    body_verified boolean,
    role text NOT NULL,
    customer_id text,
    selector_year smallint,
    selector_month smallint,
    archived_verdict text,
    archived_key bytea,
    CONSTRAINT signature_role_check CHECK ((role = ANY (ARRAY['customer'::text, 'esp'::text, 'third-party'::text, 'unknown'::text])))
)
PARTITION BY RANGE (msg_day);


--
-- Name: signature_facts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.signature_facts (
    msg_day date NOT NULL,
    fingerprint bytea NOT NULL,
    idx smallint NOT NULL,
    field bytea NOT NULL,
    header_digest bytea NOT NULL,
    has_body boolean NOT NULL,
    body_verified boolean NOT NULL,
    l_exceeds boolean NOT NULL,
    canon_len bigint NOT NULL,
    n_from smallint NOT NULL,
    redacted boolean NOT NULL,
    verified_at bigint NOT NULL,
    skew integer NOT NULL,
    tries smallint DEFAULT 0 NOT NULL,
    next_try timestamp with time zone,
    CONSTRAINT signature_facts_tries_check CHECK ((tries >= 0))
)
PARTITION BY RANGE (msg_day);


--
-- Name: key_audit_run run_id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.key_audit_run ALTER COLUMN run_id SET DEFAULT nextval('public.key_audit_run_run_id_seq'::regclass);


--
-- Name: daily_complaint daily_complaint_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.daily_complaint
    ADD CONSTRAINT daily_complaint_pkey PRIMARY KEY (day, kind, reporter, feedback_type, customer_id, token, esp_state, customer_state, authenticity);


--
-- Name: daily_customer daily_customer_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.daily_customer
    ADD CONSTRAINT daily_customer_pkey PRIMARY KEY (day, customer_id, token, reporter);


--
-- Name: daily_key daily_key_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.daily_key
    ADD CONSTRAINT daily_key_pkey PRIMARY KEY (day, kind, token, role, customer_id, selector, algorithm, key_bits, key_testing);


--
-- Name: daily_report daily_report_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.daily_report
    ADD CONSTRAINT daily_report_pkey PRIMARY KEY (day, kind, reporter, feedback_type);


--
-- Name: daily_signature daily_signature_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.daily_signature
    ADD CONSTRAINT daily_signature_pkey PRIMARY KEY (day, kind, token, role, customer_id, selector, reporter, feedback_type, result, reason);


--
-- Name: daily_verification daily_verification_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.daily_verification
    ADD CONSTRAINT daily_verification_pkey PRIMARY KEY (day, kind, token, role, customer_id, result, reason);


--
-- Name: key_archive key_archive_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.key_archive
    ADD CONSTRAINT key_archive_pkey PRIMARY KEY (name, fingerprint);


--
-- Name: key_audit_check key_audit_check_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.key_audit_check
    ADD CONSTRAINT key_audit_check_pkey PRIMARY KEY (run_id, domain, check_name, subject, server);


--
-- Name: key_audit_domain_run key_audit_domain_run_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.key_audit_domain_run
    ADD CONSTRAINT key_audit_domain_run_pkey PRIMARY KEY (domain, run_id);


--
-- Name: key_audit_problem key_audit_problem_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.key_audit_problem
    ADD CONSTRAINT key_audit_problem_pkey PRIMARY KEY (domain, check_name, subject, server);


--
-- Name: key_audit_run key_audit_run_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.key_audit_run
    ADD CONSTRAINT key_audit_run_pkey PRIMARY KEY (run_id);


--
-- Name: report report_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.report
    ADD CONSTRAINT report_pkey PRIMARY KEY (msg_day, fingerprint);


--
-- Name: schema_version schema_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (version);


--
-- Name: signature_facts signature_facts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signature_facts
    ADD CONSTRAINT signature_facts_pkey PRIMARY KEY (msg_day, fingerprint, idx);


--
-- Name: signature signature_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.signature
    ADD CONSTRAINT signature_pkey PRIMARY KEY (msg_day, fingerprint, idx);


--
-- Name: volume volume_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.volume
    ADD CONSTRAINT volume_pkey PRIMARY KEY (day, token, reporter);


--
-- Name: daily_customer_unsigned; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX daily_customer_unsigned ON public.daily_customer USING btree (day) WHERE (unsigned > 0);


--
-- Name: key_audit_domain_run_latest; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX key_audit_domain_run_latest ON public.key_audit_domain_run USING btree (domain, as_of DESC, run_id DESC);


--
-- Name: key_audit_check key_audit_check_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.key_audit_check
    ADD CONSTRAINT key_audit_check_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.key_audit_run(run_id) ON DELETE CASCADE;


--
-- Name: key_audit_domain_run key_audit_domain_run_run_id_fkey; Type: FK CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.key_audit_domain_run
    ADD CONSTRAINT key_audit_domain_run_run_id_fkey FOREIGN KEY (run_id) REFERENCES public.key_audit_run(run_id) ON DELETE CASCADE;


--
-- PostgreSQL database dump complete
--



-- the migrations applied
INSERT INTO public.schema_version (version, name) VALUES (1, 'init');
INSERT INTO public.schema_version (version, name) VALUES (2, 'judgements');
INSERT INTO public.schema_version (version, name) VALUES (3, 'standing');
INSERT INTO public.schema_version (version, name) VALUES (4, 'report_views');
INSERT INTO public.schema_version (version, name) VALUES (5, 'report_window');
INSERT INTO public.schema_version (version, name) VALUES (6, 'customer_token');
INSERT INTO public.schema_version (version, name) VALUES (7, 'window_once');
INSERT INTO public.schema_version (version, name) VALUES (8, 'daily_customer');
INSERT INTO public.schema_version (version, name) VALUES (9, 'key_audit');
INSERT INTO public.schema_version (version, name) VALUES (10, 'key_audit_latest');
INSERT INTO public.schema_version (version, name) VALUES (11, 'reverify_backoff');
INSERT INTO public.schema_version (version, name) VALUES (12, 'source_ip_derived');
INSERT INTO public.schema_version (version, name) VALUES (13, 'key_archive_bits');
