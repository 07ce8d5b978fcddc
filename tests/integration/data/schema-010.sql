-- SPDX-License-Identifier: ISC
-- A database as `fblscope db migrate` left it before sql/definitions.sql:
-- the ten migrations applied, every view and function defined by them.
-- Made with pg_dump --schema-only --no-owner --no-privileges (PostgreSQL
-- 15), and the schema_version rows; tests/integration/db.sh upgrades it.

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
-- Name: fbl_ensure_month(date); Type: FUNCTION; Schema: public; Owner: -
--

CREATE FUNCTION public.fbl_ensure_month(day date) RETURNS void
    LANGUAGE plpgsql
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
    CONSTRAINT key_archive_origin_check CHECK ((origin = ANY (ARRAY['dns'::text, 'import'::text])))
);


--
-- Name: COLUMN key_archive.fingerprint; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON COLUMN public.key_archive.fingerprint IS 'SHA-256 of the public key as published (the decoded p= value)';


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
    CONSTRAINT report_fingerprint_check CHECK ((octet_length(fingerprint) = 32)),
    CONSTRAINT report_kind_check CHECK ((kind = ANY (ARRAY['arf'::text, 'complaint'::text, 'sample'::text, 'not-arf'::text, 'unparseable'::text])))
)
PARTITION BY RANGE (msg_day);


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
            sum((((daily_customer.opt_out + daily_customer.not_spam) + daily_customer.auth_failure) + daily_customer.other)) AS other_feedback
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
        END AS rate
   FROM j;


--
-- Name: VIEW report_esp_day; Type: COMMENT; Schema: public; Owner: -
--

COMMENT ON VIEW public.report_esp_day IS 'per UTC day and reporter (''*'': all): complaints, attributed, carried an ESP-token signature, ESP signature verified, volume, rate';


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
    skew integer NOT NULL
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


INSERT INTO public.schema_version VALUES (1, 'init', '2026-01-01 00:00:00+00');
INSERT INTO public.schema_version VALUES (2, 'judgements', '2026-01-01 00:00:00+00');
INSERT INTO public.schema_version VALUES (3, 'standing', '2026-01-01 00:00:00+00');
INSERT INTO public.schema_version VALUES (4, 'report_views', '2026-01-01 00:00:00+00');
INSERT INTO public.schema_version VALUES (5, 'report_window', '2026-01-01 00:00:00+00');
INSERT INTO public.schema_version VALUES (6, 'customer_token', '2026-01-01 00:00:00+00');
INSERT INTO public.schema_version VALUES (7, 'window_once', '2026-01-01 00:00:00+00');
INSERT INTO public.schema_version VALUES (8, 'daily_customer', '2026-01-01 00:00:00+00');
INSERT INTO public.schema_version VALUES (9, 'key_audit', '2026-01-01 00:00:00+00');
INSERT INTO public.schema_version VALUES (10, 'key_audit_latest', '2026-01-01 00:00:00+00');
