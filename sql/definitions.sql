-- SPDX-License-Identifier: ISC
-- fblscope's views and functions: the one definition of each.
--
-- The numbered files beside this one hold tables and data changes, each
-- applied once.  This file is applied by `fblscope db migrate` on every
-- run, in the migration transaction, after the migrations it applied (and
-- when there was none): whatever an older schema defined, the live views
-- and functions are those below.  Everything here is therefore written to
-- be applied again and again: CREATE OR REPLACE.  A change CREATE OR
-- REPLACE refuses (a view losing or renaming a column, a function changing
-- its result type or its parameters) puts a DROP ... IF EXISTS before the
-- new definition; an object taken out of this file leaves a DROP ... IF
-- EXISTS behind; tests/integration/db.sh checks that a database holds
-- exactly the objects defined here.
--
-- The functions, up to the views' heading below, are also applied before
-- the pending migrations, with their bodies unchecked (the tables they read
-- may not exist yet): a migration's data change may call them.  So no
-- function's parameters or result may name a table's row type.

-- ---- Partitions ---------------------------------------------------------

-- The month partitions of report, signature and signature_facts holding
-- day, made when missing.  The advisory lock is taken only when a
-- partition is missing, so concurrent ingests do not wait for each
-- other's transactions once a month exists.
CREATE OR REPLACE FUNCTION fbl_ensure_month(day date) RETURNS void
LANGUAGE plpgsql AS $$
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

-- ---- The standing of a complaint ----------------------------------------

-- A report's standing is derived from its signature rows by the functions
-- below, in SQL only, so that ingest (from its staging tables) and
-- reverify (after a verdict changed) compute it the same way.

-- One signature, as the standing sees it: 'pass'; 'headers-ok' (a
-- headers-only copy whose header signature verifies: bh= is signed);
-- 'temperror' (not judged yet); 'fail' (anything else).
CREATE OR REPLACE FUNCTION fbl_sig_state(result text,
    header_verified boolean)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN result = 'pass' THEN 'pass'
        WHEN result = 'neutral' AND header_verified THEN 'headers-ok'
        WHEN result = 'temperror' THEN 'temperror'
        ELSE 'fail'
    END
$$;

-- The best of several states; 'none' for no signature.
CREATE OR REPLACE FUNCTION fbl_best_state(states text[]) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE
        WHEN 'pass' = ANY (states) THEN 'pass'
        WHEN 'headers-ok' = ANY (states) THEN 'headers-ok'
        WHEN 'temperror' = ANY (states) THEN 'temperror'
        WHEN 'fail' = ANY (states) THEN 'fail'
        ELSE 'none'
    END
$$;

-- What a complaint is, in this order:
--   authentic  an ESP-token signature verifies (headers at least), and the
--              Source-IP is not outside the ESP's networks;
--   replayed   ... but the Source-IP is outside them: a valid message sent
--              again by someone else;
--   rotated    no live verification, but a signature verifies under a key
--              archived for its name: signed with the key published then;
--   redacted   a signature fails because the reporter altered a signed
--              header (redaction): not evidence either way;
--   pending    a signature still waits for DNS (temperror);
--   damaged    signed, and the reporter forwards only mail whose DKIM
--              verified on arrival (Yahoo): a failure here is rotation or
--              damage;
--   forged     claims a customer (signature or From) without any of the
--              above;
--   unknown    claims no customer: not the ESP's mail as far as we know.
CREATE OR REPLACE FUNCTION fbl_authenticity(esp_state text,
    customer_state text, archived_pass boolean, redacted boolean,
    claims_customer boolean, source_ip_in_esp boolean,
    reporter_verified boolean)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
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

-- The standing of one stored report from its stored rows: the best state
-- of its ESP-token signatures and of its customer signatures, and its
-- authenticity (NULL when it is no complaint), as ingest computes them
-- from its staging tables.  Reverify (fbl_report_standing) and reattribute
-- (fbl_reattribute) call it after they changed the rows.
CREATE OR REPLACE FUNCTION fbl_standing(p_day date, p_fp bytea)
RETURNS TABLE (esp_state text, customer_state text, authenticity text)
LANGUAGE sql STABLE AS $$
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

-- What the report makes of a report's kind: 'complaint' (an ARF report or
-- another complaint format), 'sample', else 'other'.
CREATE OR REPLACE FUNCTION fbl_report_use(kind text) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN kind IN ('arf', 'complaint') THEN 'complaint'
                WHEN kind = 'sample' THEN 'sample'
                ELSE 'other' END
$$;

-- ---- Daily counts per customer ------------------------------------------

-- A feedback report's class, as report_complaint has it:
-- 'complaint' (abuse, fraud, virus, and the non-ARF complaint formats),
-- 'opt-out', 'not-spam', 'auth-failure', else 'other'.
CREATE OR REPLACE FUNCTION fbl_feedback_class(kind text,
    feedback_type text)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN feedback_type IN ('abuse', 'fraud', 'virus')
                    THEN 'complaint'
                WHEN feedback_type IN ('opt-out', 'not-spam', 'auth-failure')
                    THEN feedback_type
                WHEN kind = 'complaint' THEN 'complaint'
                ELSE 'other'
           END
$$;

-- What one complaint adds to each count column of daily_customer (0 or 1
-- each): ingest sums these, reverify adds the new standing's and takes away
-- the old one's, migration 008's backfill multiplied them by
-- daily_complaint's counts.  One definition, so they cannot disagree.
--   complaints      feedback class 'complaint'
--   attributed      ... of mail the ESP plausibly sent (counts in a rate)
--   carried         ... with an ESP-token signature (esp_state <> 'none')
--   esp_verified    ... whose ESP-token signature verified
--   opt_out .. other  the other classes
--   unsigned        any class, no customer signature (customer_state
--                   'none'): the From domain stands for the customer
--   authentic .. unknown  any class, by authenticity; a value this schema
--                   does not know counts as unknown, as the report reads it
CREATE OR REPLACE FUNCTION fbl_customer_counts(kind text,
    feedback_type text, esp_state text, customer_state text,
    authenticity text)
RETURNS TABLE (complaints int, attributed int, carried int,
    esp_verified int, opt_out int, not_spam int, auth_failure int,
    other int, unsigned int, authentic int, replayed int, forged int,
    rotated int, redacted int, damaged int, pending int, unknown int)
LANGUAGE sql IMMUTABLE AS $$
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

-- ---- Daily counts by sending network and by campaign (schema 16) --------

-- The network a complaint is counted under in daily_ip: the /24 (IPv4) or
-- /48 (IPv6) its Source-IP lies in (report.source_prefix, written by
-- ingest: fbl/store/record.h) when that address is inside the
-- configuration's sending networks; 'outside' when it is outside them (a
-- replay or a forgery: an address anyone may write, never split further);
-- '' when it is not known (no Source-IP, no sending network configured, an
-- address stored before schema 16 that PostgreSQL does not read).  So the
-- rows of a day and customer are bounded by the /24s and /48s of the
-- ESP's own networks, plus two.
CREATE OR REPLACE FUNCTION fbl_source_network(source_prefix text,
    source_ip_in_esp boolean)
RETURNS text LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN source_ip_in_esp THEN coalesce(source_prefix, '')
                WHEN NOT source_ip_in_esp THEN 'outside'
                ELSE '' END
$$;

-- The longest campaign id kept (characters): a longer one is counted
-- under its first ones.
CREATE OR REPLACE FUNCTION fbl_campaign_max() RETURNS integer
LANGUAGE sql IMMUTABLE AS $$
    SELECT 100
$$;

-- A signature that vouches for the campaign ids it covers: the ESP
-- token's or a customer's (role), and verified: it passed, a headers-only
-- copy's header hash verified (fbl_sig_state 'pass', 'headers-ok'), or it
-- passes under the key archived for its name.  Another domain's signature
-- vouches for nothing: anyone may add one, over a field added too.
CREATE OR REPLACE FUNCTION fbl_sig_vouches(role text, result text,
    header_verified boolean, archived_verdict text)
RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
    SELECT role IN ('esp', 'customer') AND
           (fbl_sig_state(result, header_verified) IN ('pass', 'headers-ok')
            OR archived_verdict IS NOT DISTINCT FROM 'pass')
$$;

-- Whether a stored report's campaign ids are vouched for, from its
-- signature rows as they stand (as fbl_standing, and with it: ingest's
-- merge computes the same from its staging tables, reverify after a
-- verdict changed, reattribute after a role changed): a signature covering
-- the Feedback-ID, resp. the CFBL-Feedback-ID (covers_feedback_id,
-- covers_cfbl: ingest, by h= and CFBL-Address, fbl/store/record.h),
-- vouches (fbl_sig_vouches).
-- NULL when the report has no such id, or its signatures were stored
-- before schema 16 (what they covered is not known).
CREATE OR REPLACE FUNCTION fbl_campaign_verified(p_day date, p_fp bytea)
RETURNS TABLE (feedback_id_verified boolean, cfbl_verified boolean)
LANGUAGE sql STABLE AS $$
    SELECT CASE WHEN r.feedback_id IS NULL
                  OR NOT coalesce(bool_or(s.covers_feedback_id IS NOT NULL),
                                  true) THEN NULL
                ELSE coalesce(bool_or(s.covers_feedback_id AND
                    fbl_sig_vouches(s.role, s.result, s.header_verified,
                                    s.archived_verdict)), false) END,
           CASE WHEN r.cfbl_feedback_id IS NULL
                  OR NOT coalesce(bool_or(s.covers_cfbl IS NOT NULL),
                                  true) THEN NULL
                ELSE coalesce(bool_or(s.covers_cfbl AND
                    fbl_sig_vouches(s.role, s.result, s.header_verified,
                                    s.archived_verdict)), false) END
      FROM report r
      LEFT JOIN signature s ON s.msg_day = r.msg_day
                           AND s.fingerprint = r.fingerprint
     WHERE r.msg_day = p_day AND r.fingerprint = p_fp
     GROUP BY r.feedback_id, r.cfbl_feedback_id
$$;

-- The campaigns one complaint counts for in daily_campaign: a row
-- ('feedback-id', id) for its original's Feedback-ID, ('cfbl', id) for
-- its CFBL-Feedback-ID, each only when
--   the complaint counts against a customer (attributed 1: feedback class
--   complaint, authenticity not forged, replayed or unknown; customer_id
--   not ''), and
--   a signature of the ESP token or of a customer that verified covers
--   the field (feedback_id_verified, cfbl_verified: fbl_campaign_verified;
--   a CFBL-Feedback-ID's signature aligned with CFBL-Address, RFC 9477
--   section 3.2).  A report stored
--   before schema 16 does not say: its Feedback-ID counts when the ESP
--   token's signature verified, its CFBL-Feedback-ID by cfbl_signed
--   (ingest's verdict by RFC 9477, since schema 2).
-- So an id is the signer's own: a report cannot bring in a campaign the
-- customer did not sign, and the rows of a day and customer are bounded by
-- the campaigns it sent, whatever the reports say.  Ids are cut to
-- fbl_campaign_max() characters.
CREATE OR REPLACE FUNCTION fbl_campaigns(customer_id text,
    attributed integer, feedback_id text, feedback_id_verified boolean,
    esp_state text, cfbl_feedback_id text, cfbl_verified boolean,
    cfbl_signed boolean)
RETURNS TABLE (source text, campaign text)
LANGUAGE sql IMMUTABLE AS $$
    SELECT 'feedback-id', left(feedback_id, fbl_campaign_max())
     WHERE customer_id <> '' AND attributed = 1 AND feedback_id <> ''
       AND coalesce(feedback_id_verified,
                    esp_state IN ('pass', 'headers-ok')) IS TRUE
    UNION ALL
    SELECT 'cfbl', left(cfbl_feedback_id, fbl_campaign_max())
     WHERE customer_id <> '' AND attributed = 1 AND cfbl_feedback_id <> ''
       AND coalesce(cfbl_verified, cfbl_signed) IS TRUE
$$;

-- What the stored reports of the keys (p_day[i], p_fp[i]) count in
-- daily_ip and daily_campaign, as their rows stand now: added (p_sign 1)
-- or taken away (p_sign -1).  Called by fbl_daily_apply (ingest,
-- reattribute) and around a change of standing (fbl_report_standing, as
-- both tables count by it).  Complaints of feedback class 'complaint'
-- only: a rate's complaints, and the suspected forgeries beside them.
CREATE OR REPLACE FUNCTION fbl_views_apply(p_day date[], p_fp bytea[],
    p_sign integer)
RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    WITH r AS (
        SELECT r.msg_day, coalesce(r.customer_id, '') AS customer_id,
               fbl_source_network(r.source_prefix, r.source_ip_in_esp)
                   AS network,
               r.feedback_id, r.feedback_id_verified, r.esp_state,
               r.cfbl_feedback_id, r.cfbl_verified, r.cfbl_signed,
               n.attributed
          FROM unnest(p_day, p_fp) k(msg_day, fingerprint)
          JOIN report r USING (msg_day, fingerprint),
               LATERAL fbl_customer_counts(r.kind,
                   coalesce(r.feedback_type, ''), r.esp_state,
                   r.customer_state, r.authenticity) n
         WHERE r.complaint AND n.complaints = 1
    ), ip AS (
        SELECT msg_day, customer_id, network, count(*) AS complaints,
               sum(attributed) AS attributed
          FROM r GROUP BY 1, 2, 3
    ), ip_sub AS (
        UPDATE daily_ip t SET complaints = t.complaints - ip.complaints,
               attributed = t.attributed - ip.attributed
          FROM ip
         WHERE p_sign < 0 AND t.day = ip.msg_day
           AND t.customer_id = ip.customer_id AND t.network = ip.network
    ), ip_add AS (
        INSERT INTO daily_ip AS t (day, customer_id, network, complaints,
               attributed)
        SELECT * FROM ip WHERE p_sign > 0 ORDER BY 1, 2, 3
        ON CONFLICT (day, customer_id, network) DO UPDATE SET
               complaints = t.complaints + EXCLUDED.complaints,
               attributed = t.attributed + EXCLUDED.attributed
    ), cp AS (
        SELECT r.msg_day, r.customer_id, c.source, c.campaign,
               count(*) AS complaints
          FROM r, LATERAL fbl_campaigns(r.customer_id, r.attributed,
                   r.feedback_id, r.feedback_id_verified, r.esp_state,
                   r.cfbl_feedback_id, r.cfbl_verified, r.cfbl_signed) c
         GROUP BY 1, 2, 3, 4
    ), cp_sub AS (
        UPDATE daily_campaign t SET complaints = t.complaints - cp.complaints
          FROM cp
         WHERE p_sign < 0 AND t.day = cp.msg_day
           AND t.customer_id = cp.customer_id AND t.source = cp.source
           AND t.campaign = cp.campaign
    )
    INSERT INTO daily_campaign AS t (day, customer_id, source, campaign,
           complaints)
    SELECT * FROM cp WHERE p_sign > 0 ORDER BY 1, 2, 3, 4
    ON CONFLICT (day, customer_id, source, campaign)
    DO UPDATE SET complaints = t.complaints + EXCLUDED.complaints;
END;
$$;

-- ---- What a stored report counts ---------------------------------------

-- What the stored reports of the keys (p_day[i], p_fp[i]) count in every
-- daily table, as their report and signature rows stand now: added
-- (p_sign 1) or taken away (p_sign -1).  The one place that says what a
-- stored report contributes: ingest adds the reports it stored
-- (fbl_stage_merge), reattribute takes a report's counts away and adds
-- them back around a change of its rows (fbl_reattribute);
-- tests/lib/daily_recount.sh recounts every daily table from the rows
-- without it.  Taken away, a count only goes down (an upsert would
-- meet the tables' CHECK (count >= 0) before its conflict); the rows are
-- taken in key order, as ingest takes them.
CREATE OR REPLACE FUNCTION fbl_daily_apply(p_day date[], p_fp bytea[],
    p_sign integer)
RETURNS void LANGUAGE plpgsql AS $$
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
        SELECT r.msg_day, r.kind, lower(coalesce(s.d, '')) AS token, s.role,
               coalesce(s.customer_id, '') AS customer_id,
               coalesce(s.s, '') AS selector, coalesce(s.a, '') AS algorithm,
               coalesce(s.key_bits, -1) AS key_bits,
               coalesce(s.key_testing, false) AS key_testing, s.result,
               s.reason, coalesce(s.diagnosis, '') AS diagnosis,
               coalesce(s.diagnosis_field, '') AS diagnosis_field
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
    ), v AS (
        SELECT msg_day, kind, token, role, customer_id, result, reason,
               diagnosis, diagnosis_field, count(*) AS n
          FROM s GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ), v_sub AS (
        UPDATE daily_verification t SET count = t.count - v.n FROM v
         WHERE p_sign < 0 AND t.day = v.msg_day AND t.kind = v.kind
           AND t.token = v.token AND t.role = v.role
           AND t.customer_id = v.customer_id AND t.result = v.result
           AND t.reason = v.reason AND t.diagnosis = v.diagnosis
           AND t.diagnosis_field = v.diagnosis_field
    )
    INSERT INTO daily_verification AS t (day, kind, token, role,
           customer_id, result, reason, diagnosis, diagnosis_field, count)
    SELECT * FROM v WHERE p_sign > 0 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (day, kind, token, role, customer_id, result, reason,
                 diagnosis, diagnosis_field)
    DO UPDATE SET count = t.count + EXCLUDED.count;
    PERFORM fbl_views_apply(p_day, p_fp, p_sign);
END;
$$;

-- ---- Ingest: the batch (fbl/store/store_batch.c) ------------------------

-- The staging tables of one batch, private to the session and emptied at
-- every COMMIT.  The batch's rows are COPYed into them as the encoder
-- (fbl/store/encode.c) writes them, column for column in this order: a
-- value ingest newly stores is a column here and a line there.  The
-- arrival time travels as epoch seconds.
CREATE OR REPLACE FUNCTION fbl_stage_open() RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning AS $$
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
        customer_id text, customer_token text, source_ip_derived text,
        source_prefix text)
        ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS stage_signature (
        msg_day date, fingerprint bytea, idx smallint, d text, s text,
        a text, c text, l numeric(20, 0), t bigint, x bigint,
        key_bits integer, key_testing boolean, result text, reason text,
        header_verified boolean, body_verified boolean, role text,
        customer_id text, selector_year smallint, selector_month smallint,
        archived_verdict text, archived_key bytea, diagnosis text,
        diagnosis_field text, diagnosis_detail text,
        covers_feedback_id boolean, covers_cfbl boolean)
        ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE IF NOT EXISTS stage_facts (
        msg_day date, fingerprint bytea, idx smallint, field bytea,
        header_digest bytea, has_body boolean, body_verified boolean,
        l_exceeds boolean, canon_len bigint, n_from smallint,
        redacted boolean, verified_at bigint, skew integer)
        ON COMMIT DELETE ROWS;
END;
$$;

-- From the staging tables into the real ones, in one statement after the
-- batch's month partitions are made, then the new reports' daily counts
-- (fbl_daily_apply).  Each staged report gets its standing from its staged
-- signatures (fbl_sig_state, fbl_best_state, fbl_authenticity, as
-- fbl_standing computes it from the stored rows).  Only the report rows
-- that were new (ON CONFLICT DO NOTHING ... RETURNING) bring their
-- signature rows, facts and daily counts, so a message counts once.  Rows
-- are taken in key order so that two ingests storing overlapping batches
-- lock in the same order.  Returns the new rows' keys (fingerprint in hex,
-- day).
CREATE OR REPLACE FUNCTION fbl_stage_merge()
RETURNS TABLE (fingerprint text, msg_day text)
LANGUAGE plpgsql AS $$
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
               bool_or(reason = 'redacted') AS redacted,
               bool_or(covers_feedback_id AND fbl_sig_vouches(role,
                   result, header_verified, archived_verdict))
                   AS fbid_verified,
               bool_or(covers_cfbl AND fbl_sig_vouches(role, result,
                   header_verified, archived_verdict)) AS cfbl_verified
          FROM stage_signature GROUP BY 1, 2
    ), st AS (
        SELECT r.*, coalesce(g.esp_state, 'none') AS esp_state,
               CASE WHEN r.feedback_id IS NOT NULL
                    THEN coalesce(g.fbid_verified, false) END
                   AS feedback_id_verified,
               CASE WHEN r.cfbl_feedback_id IS NOT NULL
                    THEN coalesce(g.cfbl_verified, false) END
                   AS cfbl_verified,
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
               authenticity, source_prefix, feedback_id_verified,
               cfbl_verified)
        SELECT msg_day, fingerprint, kind, complaint, source, feedback_type,
               reporter, user_agent, arf_version, to_timestamp(arrival),
               source_ip, source_ip_in_esp, original_mail_from,
               original_form, reported_domain, recipient_hmac,
               original_message_id, original_from_domain, deviations,
               cfbl_feedback_id, feedback_id, cfbl_signed,
               reporter_verified_dkim, decided, customer_id, customer_token,
               source_ip_derived, esp_state, customer_state, authenticity,
               source_prefix, feedback_id_verified, cfbl_verified
          FROM st ORDER BY msg_day, fingerprint
        ON CONFLICT DO NOTHING
        RETURNING msg_day, fingerprint
    ), sig AS (
        INSERT INTO signature (msg_day, fingerprint, idx, d, s, a, c, l, t,
               x, key_bits, key_testing, result, reason, header_verified,
               body_verified, role, customer_id, selector_year,
               selector_month, archived_verdict, archived_key, diagnosis,
               diagnosis_field, diagnosis_detail, covers_feedback_id,
               covers_cfbl)
        SELECT g.msg_day, g.fingerprint, g.idx, g.d, g.s, g.a, g.c, g.l,
               g.t, g.x, g.key_bits, g.key_testing, g.result, g.reason,
               g.header_verified, g.body_verified, g.role, g.customer_id,
               g.selector_year, g.selector_month, g.archived_verdict,
               g.archived_key, g.diagnosis, g.diagnosis_field,
               g.diagnosis_detail, g.covers_feedback_id, g.covers_cfbl
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

-- ---- Reverify: a verdict judged again (fbl/store/reverify.c) ------------

-- A signature's new verdict, written only if the row still holds the
-- verdict that was read (p_old_*): two runs at once, or a run beside an
-- ingest, change each row and count once.  When the result or reason
-- changed, or its diagnosis class (p_diag*, as fbl/store/reverify.c
-- decides it), its daily_verification count moves from the old to the new;
-- when the key changed (size, t=y), its daily_key count.  True when the
-- row was updated.
DROP FUNCTION IF EXISTS fbl_signature_verdict(date, text, smallint, text,
    text, text, text, text, text, text, boolean, integer, boolean, integer,
    boolean);
CREATE OR REPLACE FUNCTION fbl_signature_verdict(p_day date, p_fp text,
    p_idx smallint, p_old_result text, p_old_reason text,
    p_old_archived text, p_result text, p_reason text, p_archived text,
    p_archived_key text, p_header_verified boolean, p_key_bits integer,
    p_key_testing boolean, p_old_key_bits integer,
    p_old_key_testing boolean, p_diagnosis text, p_diagnosis_field text,
    p_diagnosis_detail text)
RETURNS boolean LANGUAGE sql AS $$
    WITH o AS (
        SELECT coalesce(diagnosis, '') AS diagnosis,
               coalesce(diagnosis_field, '') AS diagnosis_field
          FROM signature
         WHERE msg_day = p_day AND fingerprint = decode(p_fp, 'hex')
           AND idx = p_idx
    ), u AS (
        UPDATE signature SET result = p_result, reason = p_reason,
               diagnosis = p_diagnosis, diagnosis_field = p_diagnosis_field,
               diagnosis_detail = p_diagnosis_detail,
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
        SELECT p_result <> p_old_result OR p_reason <> p_old_reason OR
                   o.diagnosis <> coalesce(p_diagnosis, '') OR
                   o.diagnosis_field <> coalesce(p_diagnosis_field, '')
                   AS verif,
               o.diagnosis AS old_diagnosis,
               o.diagnosis_field AS old_diagnosis_field,
               p_key_bits <> p_old_key_bits OR (p_key_bits >= 0 AND
                   p_key_testing <> p_old_key_testing) AS key
          FROM o
    ), r AS (
        SELECT u.msg_day, rp.kind, lower(coalesce(u.d, '')) AS token,
               u.role, coalesce(u.customer_id, '') AS customer_id,
               coalesce(u.s, '') AS selector,
               coalesce(u.a, '') AS algorithm, m.verif, m.old_diagnosis,
               m.old_diagnosis_field, m.key
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
         WHERE r.verif AND t.day = r.msg_day AND t.kind = r.kind
           AND t.token = r.token AND t.role = r.role
           AND t.customer_id = r.customer_id AND t.result = p_old_result
           AND t.reason = p_old_reason AND t.diagnosis = r.old_diagnosis
           AND t.diagnosis_field = r.old_diagnosis_field
    ), vinc AS (
        INSERT INTO daily_verification AS t (day, kind, token, role,
               customer_id, result, reason, diagnosis, diagnosis_field,
               count)
        SELECT msg_day, kind, token, role, customer_id, p_result, p_reason,
               coalesce(p_diagnosis, ''), coalesce(p_diagnosis_field, ''), 1
          FROM r WHERE r.verif
        ON CONFLICT (day, kind, token, role, customer_id, result, reason,
                     diagnosis, diagnosis_field)
        DO UPDATE SET count = t.count + 1
    )
    SELECT count(*) > 0 FROM u
$$;

-- The standing of a report again (fbl_standing, as ingest computes it),
-- and whether its campaign ids are vouched for (fbl_campaign_verified),
-- after one of its verdicts changed.  When either changed, its
-- daily_customer counts move from the old standing's columns to the new
-- one's (fbl_customer_counts): the row's key (day, customer, token,
-- reporter) does not depend on the standing; its daily_ip and
-- daily_campaign counts, which do, are taken away and added back
-- (fbl_views_apply).  The report row is locked first (after its signature
-- rows, as reattribute takes them), so that a second run at once finds it
-- moved and moves nothing.
CREATE OR REPLACE FUNCTION fbl_report_standing(p_day date, p_fp text)
RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    fp  bytea := decode(p_fp, 'hex');
BEGIN
    PERFORM 1 FROM report
      WHERE msg_day = p_day AND fingerprint = fp FOR UPDATE;
    IF NOT EXISTS (SELECT 1 FROM report r, fbl_standing(p_day, fp) x,
                          fbl_campaign_verified(p_day, fp) c
         WHERE r.msg_day = p_day AND r.fingerprint = fp
           AND (r.esp_state, r.customer_state, r.authenticity,
                r.feedback_id_verified, r.cfbl_verified)
               IS DISTINCT FROM (x.esp_state, x.customer_state,
                                 x.authenticity, c.feedback_id_verified,
                                 c.cfbl_verified)) THEN
        RETURN;
    END IF;
    PERFORM fbl_views_apply(ARRAY[p_day], ARRAY[fp], -1);
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
               authenticity = n.authenticity,
               feedback_id_verified = c.feedback_id_verified,
               cfbl_verified = c.cfbl_verified
          FROM n, fbl_campaign_verified(p_day, fp) c
         WHERE r.msg_day = n.msg_day AND r.fingerprint = n.fingerprint
        RETURNING r.msg_day
    )
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
       AND t.token = n.token AND t.reporter = n.reporter;
    PERFORM fbl_views_apply(ARRAY[p_day], ARRAY[fp], 1);
END;
$$;

-- ---- Reattribute: the configuration's customers again -------------------
-- (fbl/store/reattribute.c)

-- A report attributed again under the configuration in force
-- (record_attribute() in fbl/store/record.c): its customer and token, the
-- Source-IP's place in the sending networks, and each signature's role and
-- customer (p_idx[i]: p_roles[i], p_customers[i], '' for none).  Written
-- only if the rows still hold the attribution that was read (p_old_*):
-- the signature rows, then the report row, are locked first (the order
-- reverify takes them in), and compared after the lock, so two runs at
-- once, or a run beside reverify, move each report once.  The report's
-- counts are taken away from every daily table as they stood, its rows
-- changed and its standing computed again (fbl_standing,
-- fbl_campaign_verified: the roles say whose signature vouches), and its
-- counts added back (fbl_daily_apply).  True when the report was changed.
CREATE OR REPLACE FUNCTION fbl_reattribute(p_day date, p_fp text,
    p_old_customer text, p_old_token text, p_old_in_esp boolean,
    p_customer text, p_token text, p_in_esp boolean, p_idx smallint[],
    p_old_roles text[], p_old_customers text[], p_roles text[],
    p_customers text[])
RETURNS boolean LANGUAGE plpgsql AS $$
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
           customer_state = x.customer_state, authenticity = x.authenticity,
           feedback_id_verified = c.feedback_id_verified,
           cfbl_verified = c.cfbl_verified
      FROM fbl_standing(p_day, fp) x, fbl_campaign_verified(p_day, fp) c
     WHERE r.msg_day = p_day AND r.fingerprint = fp;
    PERFORM fbl_daily_apply(ARRAY[p_day], ARRAY[fp], 1);
    RETURN true;
END;
$$;

-- Counts moved down to zero leave their rows; reverify and reattribute
-- drop them at the end of each batch.  A daily_customer row counts
-- nothing when its feedback classes, one of which every complaint is in,
-- are all zero.
CREATE OR REPLACE FUNCTION fbl_daily_prune() RETURNS void
LANGUAGE sql AS $$
    DELETE FROM daily_report WHERE count = 0;
    DELETE FROM daily_customer
     WHERE complaints + opt_out + not_spam + auth_failure + other = 0;
    DELETE FROM daily_verification WHERE count = 0;
    DELETE FROM daily_key WHERE count = 0;
    DELETE FROM daily_ip WHERE complaints = 0;
    DELETE FROM daily_campaign WHERE complaints = 0;
$$;

-- ---- The report's window ------------------------------------------------

-- The days the views read (see the views' heading): the settings
-- fblscope.window_from and fblscope.window_to, else every day.
CREATE OR REPLACE FUNCTION fbl_window_from() RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('fblscope.window_from', true),
                           '')::date, '-infinity'::date)
$$;

CREATE OR REPLACE FUNCTION fbl_window_to() RETURNS date
LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('fblscope.window_to', true),
                           '')::date, 'infinity'::date)
$$;

-- ---- The key audit (fbl/keys/keyaudit_store.c, docs/keys.md) ------------

-- After a run's rows are in (fbl/keys/keyaudit_store.c): the run's domains
-- recorded (key_audit_domain_run); the domains it audited lose the
-- problems it did not see again, unless the run could not check
-- everything of that domain (a TEMP row: a resolver down hides the record
-- rows, which is no repair); the ones it saw are added or brought up to
-- date (a problem keeps its first_seen while runs keep seeing it).
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

-- Each domain's latest run on or before a day.
CREATE OR REPLACE FUNCTION key_audit_latest(upto date)
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

-- ---- Views --------------------------------------------------------------
-- @views: sql/embed.sh splits the file at this line; what is above it is
-- applied before the pending migrations as well.
--
-- Views for the nightly report (DESIGN section 6) and for dashboards
-- (Grafana, Metabase).  The report_* views read the daily aggregates only
-- (daily_customer, daily_verification, daily_key, daily_ip,
-- daily_campaign, volume; report_archived_key the names and sizes of key_archive), never the
-- report or signature rows: they stay cheap however many messages are
-- stored, and carry no message data.  daily_complaint and daily_signature
-- (tables up to schema 15) are the exception, and no command reads them:
-- counts of the rows, made when read, for dashboards and report_complaint.
-- Days are UTC days (msg_day: the report's Arrival-Date, else its Date); a
-- dashboard filters on the day column.
--
-- The views read only the days of a window, from two settings which
-- `fblscope report` sets for its transaction (fblscope.window_from,
-- fblscope.window_to: fbl_window_from(), fbl_window_to()); a dashboard that
-- sets neither sees every day.  The window is compared as scalar
-- subqueries, evaluated once per query, not once per row.
--
-- Which complaints count in a complaint rate: the feedback class
-- 'complaint' (Feedback-Type abuse, fraud or virus, and the non-ARF
-- complaint formats, kind 'complaint') of mail the ESP plausibly sent
-- (authenticity not 'forged', 'replayed' or 'unknown': those are reported
-- as suspected forgery, not held against the customer).  opt-out,
-- not-spam, auth-failure and any other type are counted in their own
-- columns, never in a rate.

-- One row: the first UTC day of stored data, that of any complaint or
-- volume row (NULL: none).  A period before it is not known: the report
-- shows no change against it (docs/report-json.md).  Read through the
-- primary keys' first column, whatever the window.
CREATE OR REPLACE VIEW report_data_start AS
SELECT least((SELECT min(day) FROM daily_customer),
             (SELECT min(day) FROM volume)) AS day;
COMMENT ON VIEW report_data_start IS
    'the first UTC day of any stored complaint or volume (NULL: none)';

-- One row: the last UTC day with a stored complaint (NULL: none).  Reports
-- of a day keep arriving for some days after it: the report marks the
-- days just before this one as still incomplete (report/changes.c).
CREATE OR REPLACE VIEW report_data_end AS
SELECT max(day) AS day FROM daily_customer;
COMMENT ON VIEW report_data_end IS
    'the last UTC day of any stored complaint (NULL: none)';

-- A row: one customer id the stored data knows, of its complaints or of
-- volume rows keyed by a customer id (a token without a dot), whatever the
-- window: `fblscope report --customer` tells an id it has never seen from
-- one without rows in the window, and names the close ones.
CREATE OR REPLACE VIEW report_customer_id AS
SELECT DISTINCT customer_id FROM daily_customer WHERE customer_id <> ''
UNION
SELECT DISTINCT token FROM volume WHERE strpos(token, '.') = 0;
COMMENT ON VIEW report_customer_id IS
    'the customer ids of the stored complaints and volume rows';

-- Complaints per UTC day and every dimension a complaint has: kind,
-- reporter, feedback type, customer, token (report.customer_token) and its
-- standing.  Counted from the report rows when read (schema 15), with the
-- keys fbl_daily_apply gave the table: a day's rows for a query on day.
CREATE OR REPLACE VIEW daily_complaint AS
SELECT msg_day AS day, kind, coalesce(reporter, '') AS reporter,
       coalesce(feedback_type, '') AS feedback_type,
       coalesce(customer_id, '') AS customer_id,
       coalesce(customer_token, '') AS token, esp_state, customer_state,
       authenticity, count(*) AS count
  FROM report
 WHERE complaint
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9;
COMMENT ON VIEW daily_complaint IS
    'complaints per UTC day, kind, reporter, feedback type, customer, token '
    'and standing, counted from the report rows';

-- Signatures per UTC day, kind, d= token, role, customer, selector,
-- reporter, feedback type, result and reason.  Counted from the signature
-- and report rows when read (schema 15), as daily_complaint.
CREATE OR REPLACE VIEW daily_signature AS
SELECT s.msg_day AS day, r.kind, lower(coalesce(s.d, '')) AS token, s.role,
       coalesce(s.customer_id, '') AS customer_id,
       coalesce(s.s, '') AS selector, coalesce(r.reporter, '') AS reporter,
       coalesce(r.feedback_type, '') AS feedback_type, s.result, s.reason,
       count(*) AS count
  FROM signature s JOIN report r USING (msg_day, fingerprint)
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10;
COMMENT ON VIEW daily_signature IS
    'signatures per UTC day, kind, token, role, customer, selector, '
    'reporter, feedback type, result and reason, counted from the rows';

-- A row: one daily_complaint row with its feedback class and whether it
-- counts against the customer ("attributed").
CREATE OR REPLACE VIEW report_complaint AS
SELECT day, kind, reporter, feedback_type, customer_id, token, esp_state,
       customer_state, authenticity,
       CASE WHEN feedback_type IN ('abuse', 'fraud', 'virus')
                THEN 'complaint'
            WHEN feedback_type IN ('opt-out', 'not-spam', 'auth-failure')
                THEN feedback_type
            WHEN kind = 'complaint' THEN 'complaint'
            ELSE 'other'
       END AS feedback_class,
       authenticity NOT IN ('forged', 'replayed', 'unknown') AS attributed,
       count
  FROM daily_complaint
 WHERE day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to());
COMMENT ON VIEW report_complaint IS
    'daily_complaint rows with feedback_class (complaint, opt-out, not-spam, '
    'auth-failure, other) and attributed (counts in a complaint rate)';

-- The tokens each customer is known by, as the data shows: the d= domains
-- of its signatures (daily_key), and the From domains of its complaints
-- that came without a customer signature.  A row: one (customer_id,
-- token) pair.
CREATE OR REPLACE VIEW report_customer_token AS
SELECT DISTINCT customer_id, token FROM daily_key
 WHERE role = 'customer' AND customer_id <> '' AND token <> ''
   AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
UNION
SELECT DISTINCT customer_id, token FROM daily_customer
 WHERE customer_id <> '' AND token <> '' AND unsigned > 0
   AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to());
COMMENT ON VIEW report_customer_token IS
    'one row per customer id and a d= domain seen signing for it';

-- Sending volume per customer, day and reporter ('*': all ISPs), in one
-- pass over volume: volume rows keyed by the customer id win; otherwise
-- the rows of the customer's tokens are summed.  A missing '*' row is the
-- sum of the ISP rows.
CREATE OR REPLACE VIEW report_customer_volume AS
WITH t AS (
    SELECT customer_id, token FROM report_customer_token
), k AS (
    SELECT DISTINCT customer_id, customer_id AS key, true AS by_id FROM t
    UNION ALL
    SELECT customer_id, token, false FROM t
), m AS (
    SELECT v.day, k.customer_id, v.reporter,
           (CASE WHEN bool_or(k.by_id)
                 THEN sum(v.sent) FILTER (WHERE k.by_id)
                 ELSE sum(v.sent) END)::bigint AS sent,
           (CASE WHEN bool_or(k.by_id)
                 THEN sum(v.delivered) FILTER (WHERE k.by_id)
                 ELSE sum(v.delivered) END)::bigint AS delivered
      FROM volume v JOIN k ON k.key = v.token
     WHERE v.day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
     GROUP BY v.day, k.customer_id, v.reporter
)
SELECT * FROM m
UNION ALL
SELECT day, customer_id, '*', sum(sent)::bigint, sum(delivered)::bigint
  FROM m
 GROUP BY day, customer_id
HAVING count(*) FILTER (WHERE reporter = '*') = 0;
COMMENT ON VIEW report_customer_volume IS
    'messages sent (and delivered to the inbox, where known) per customer, '
    'UTC day and reporter (''*'' for all ISPs)';

-- A row: one customer, UTC day and reporter ('*': all ISPs together) with
-- its complaints by feedback class, suspected forgeries, the volume and the
-- complaint rate.  The rate's denominator is the reporter's own volume:
-- for Yahoo the mail delivered to the inbox when known, else sent.  A day
-- with volume but no complaint has a row (rate 0); one with complaints but
-- no volume has rate NULL.
CREATE OR REPLACE VIEW report_customer_day AS
WITH c AS (
    SELECT day, customer_id,
           CASE WHEN grouping(reporter) = 1 THEN '*' ELSE reporter END
               AS reporter,
           sum(attributed) AS complaints, sum(opt_out) AS opt_out,
           sum(not_spam) AS not_spam, sum(auth_failure) AS auth_failure,
           sum(other) AS other, sum(forged + replayed) AS suspected_forgery
      FROM daily_customer
     WHERE customer_id <> ''
       AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
     GROUP BY GROUPING SETS ((day, customer_id, reporter),
                             (day, customer_id))
), j AS (
    SELECT day, customer_id, reporter,
           coalesce(c.complaints, 0)::bigint AS complaints,
           coalesce(c.opt_out, 0)::bigint AS opt_out,
           coalesce(c.not_spam, 0)::bigint AS not_spam,
           coalesce(c.auth_failure, 0)::bigint AS auth_failure,
           coalesce(c.other, 0)::bigint AS other,
           coalesce(c.suspected_forgery, 0)::bigint AS suspected_forgery,
           v.sent, v.delivered,
           CASE WHEN reporter = 'yahoo' AND v.delivered IS NOT NULL
                THEN v.delivered ELSE v.sent END AS denominator
      FROM c FULL JOIN report_customer_volume v
           USING (day, customer_id, reporter)
)
SELECT j.*,
       CASE WHEN denominator > 0
            THEN complaints::numeric / denominator END AS rate
  FROM j;
COMMENT ON VIEW report_customer_day IS
    'per customer, UTC day and reporter (''*'': all): complaints by '
    'feedback class, suspected forgeries, volume, rate = complaints / '
    'denominator (Yahoo: delivered when known)';

-- The ESP token's volume: volume rows of the d= domains seen with role
-- 'esp' (daily_verification, the small table).  A row: one UTC day and
-- reporter.
CREATE OR REPLACE VIEW report_esp_volume AS
WITH esp AS (
    SELECT DISTINCT token FROM daily_verification WHERE role = 'esp'
), v AS (
    SELECT day, reporter, sum(sent)::bigint AS sent,
           sum(delivered)::bigint AS delivered
      FROM volume WHERE token IN (SELECT token FROM esp)
     GROUP BY 1, 2
)
SELECT * FROM v
UNION ALL
SELECT day, '*', sum(sent)::bigint, sum(delivered)::bigint
  FROM v WHERE reporter <> '*'
   AND NOT EXISTS (SELECT 1 FROM v s WHERE s.day = v.day
                                       AND s.reporter = '*')
 GROUP BY day;
COMMENT ON VIEW report_esp_volume IS
    'messages sent per UTC day and reporter under the ESP token domains';

-- A row: one UTC day and reporter ('*': all) for the ESP as a whole:
-- every complaint of the day, how many carried an ESP-token signature
-- (esp_state <> 'none') and how many verified, and the rate over the ESP
-- token's volume; then the complaints that claim no customer (customer_id
-- '': no customer signature, a From domain no customer rule maps), and of
-- them those that carried an ESP-token signature and those it verified
-- (columns added at the end: CREATE OR REPLACE keeps the view's grants).
CREATE OR REPLACE VIEW report_esp_day AS
WITH c AS (
    SELECT day,
           CASE WHEN grouping(reporter) = 1 THEN '*' ELSE reporter END
               AS reporter,
           sum(complaints) AS complaints, sum(attributed) AS attributed,
           sum(carried) AS carried, sum(esp_verified) AS verified,
           sum(opt_out + not_spam + auth_failure + other) AS other_feedback,
           sum(complaints) FILTER (WHERE customer_id = '')
               AS unattributed,
           sum(carried) FILTER (WHERE customer_id = '')
               AS unattributed_carried,
           sum(esp_verified) FILTER (WHERE customer_id = '')
               AS unattributed_verified
      FROM daily_customer
     WHERE day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
     GROUP BY GROUPING SETS ((day, reporter), (day))
), j AS (
    SELECT day, reporter,
           coalesce(c.complaints, 0)::bigint AS complaints,
           coalesce(c.attributed, 0)::bigint AS attributed,
           coalesce(c.carried, 0)::bigint AS carried,
           coalesce(c.verified, 0)::bigint AS verified,
           coalesce(c.other_feedback, 0)::bigint AS other_feedback,
           coalesce(c.unattributed, 0)::bigint AS unattributed,
           coalesce(c.unattributed_carried, 0)::bigint
               AS unattributed_carried,
           coalesce(c.unattributed_verified, 0)::bigint
               AS unattributed_verified,
           v.sent, v.delivered,
           CASE WHEN reporter = 'yahoo' AND v.delivered IS NOT NULL
                THEN v.delivered ELSE v.sent END AS denominator
      FROM c FULL JOIN report_esp_volume v USING (day, reporter)
)
SELECT j.day, j.reporter, j.complaints, j.attributed, j.carried,
       j.verified, j.other_feedback, j.sent, j.delivered, j.denominator,
       CASE WHEN denominator > 0
            THEN attributed::numeric / denominator END AS rate,
       j.unattributed, j.unattributed_carried, j.unattributed_verified
  FROM j;
COMMENT ON VIEW report_esp_day IS
    'per UTC day and reporter (''*'': all): complaints, attributed, carried '
    'an ESP-token signature, ESP signature verified, volume, rate; '
    'unattributed: complaints that claim no customer, of them carried and '
    'verified';

-- A row: one UTC day, use ('complaint': ARF and non-ARF complaint reports;
-- 'sample': mail samples; 'other'), d= token, role, customer, result and
-- reason, with the number of signatures.  verified: the signature passed;
-- headers_only: a headers-only copy whose header signature verified.
CREATE OR REPLACE VIEW report_verification_day AS
SELECT day,
       fbl_report_use(kind) AS use,
       token, role, customer_id, result, reason,
       result = 'pass' AS verified,
       result = 'neutral' AND reason = 'headers-only' AS headers_only,
       sum(count)::bigint AS signatures
  FROM daily_verification
 WHERE day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
COMMENT ON VIEW report_verification_day IS
    'signatures per UTC day, use (complaint, sample, other), token, role, '
    'customer, result and reason';

-- A row: one UTC day, use, token, role and customer, and the signatures
-- that failed (fail, permerror, policy) by the class of their diagnosis
-- and its header field ('' : none; a failure stored before schema 14 or
-- not diagnosed has no class).
CREATE OR REPLACE VIEW report_diagnosis_day AS
SELECT day,
       fbl_report_use(kind) AS use,
       token, role, customer_id, diagnosis, diagnosis_field,
       sum(count)::bigint AS signatures
  FROM daily_verification
 WHERE result IN ('fail', 'permerror', 'policy')
   AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
COMMENT ON VIEW report_diagnosis_day IS
    'failed signatures per UTC day, use, token, role, customer and '
    'diagnosis class with its header field (empty: none)';

-- A row: one UTC day, d= token, selector and key as checked (algorithm,
-- size, t=y), with the signatures that used it and the hygiene flags.
CREATE OR REPLACE VIEW report_key_day AS
SELECT day, token, role, customer_id, selector, algorithm, key_bits,
       key_testing, sum(count)::bigint AS signatures,
       algorithm = 'rsa-sha1' AS sha1,
       key_bits >= 0 AND key_bits < 2048 AND algorithm LIKE 'rsa-%'
           AS small_key,
       key_bits < 0 AS no_key
  FROM daily_key
 GROUP BY day, token, role, customer_id, selector, algorithm, key_bits,
          key_testing;
COMMENT ON VIEW report_key_day IS
    'keys used per UTC day, token and selector: algorithm, key_bits (-1: '
    'no key), t=y, signatures; flags sha1, small_key (RSA < 2048), no_key';

-- A row: one key name (selector._domainkey.domain) the archive holds keys
-- of, for the key hygiene of a selector DNS no longer serves (rotated
-- away): how many keys, the smallest size known (NULL: every one archived
-- before schema 13), when the name was last seen.  The only view over
-- key_archive; it shows no record and no fingerprint: fbl_report reads no
-- key (docs/operations.md).
CREATE OR REPLACE VIEW report_archived_key AS
SELECT name, count(*)::bigint AS keys, min(key_bits) AS key_bits,
       max(last_seen) AS last_seen
  FROM key_archive
 GROUP BY name;
COMMENT ON VIEW report_archived_key IS
    'archived DKIM keys per name (selector._domainkey.domain): how many, '
    'the smallest key_bits, last seen; never the key';

-- A row: one UTC day and d= domain that no rule maps (role 'unknown' or
-- 'third-party'), with the signatures of complaints and how many verified.
CREATE OR REPLACE VIEW report_unknown_token_day AS
SELECT day, token, role, sum(count)::bigint AS signatures,
       coalesce(sum(count) FILTER (WHERE result = 'pass'), 0)::bigint
           AS verified
  FROM daily_verification
 WHERE role IN ('unknown', 'third-party') AND kind IN ('arf', 'complaint')
   AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
 GROUP BY day, token, role;
COMMENT ON VIEW report_unknown_token_day IS
    'signatures of complaints per UTC day by d= domains no rule maps';

-- A row: one UTC day, customer and token with its attributed complaints
-- (feedback class 'complaint', authenticity not forged, replayed or
-- unknown); days without any have no row.
CREATE OR REPLACE VIEW report_customer_token_day AS
SELECT day, customer_id, token, sum(attributed)::bigint AS complaints
  FROM daily_customer
 WHERE customer_id <> ''
   AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
 GROUP BY day, customer_id, token
HAVING sum(attributed) > 0;
COMMENT ON VIEW report_customer_token_day IS
    'attributed complaints per UTC day, customer and token (d= or From '
    'domain)';

-- A row: one UTC day, customer and authenticity with its complaints of
-- every feedback class; none: no row.  Summed per day and customer first,
-- then turned into rows: eight times fewer rows to group.
CREATE OR REPLACE VIEW report_customer_authenticity_day AS
WITH s AS (
    SELECT day, customer_id, sum(authentic) AS authentic,
           sum(replayed) AS replayed, sum(forged) AS forged,
           sum(rotated) AS rotated, sum(redacted) AS redacted,
           sum(damaged) AS damaged, sum(pending) AS pending,
           sum(unknown) AS unknown
      FROM daily_customer
     WHERE customer_id <> ''
       AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
     GROUP BY day, customer_id
)
SELECT s.day, s.customer_id, a.authenticity, a.n::bigint AS complaints
  FROM s
 CROSS JOIN LATERAL (VALUES ('authentic', s.authentic),
                            ('replayed', s.replayed), ('forged', s.forged),
                            ('rotated', s.rotated), ('redacted', s.redacted),
                            ('damaged', s.damaged), ('pending', s.pending),
                            ('unknown', s.unknown)) a(authenticity, n)
 WHERE a.n > 0;
COMMENT ON VIEW report_customer_authenticity_day IS
    'complaints (every feedback class) per UTC day, customer and '
    'authenticity';

-- A row: one UTC day, customer ('' : none claimed) and sending network
-- (fbl_source_network: a /24 or /48 inside the sending networks,
-- 'outside', '' not known) with its complaints (feedback class complaint,
-- any authenticity) and of them the attributed ones (in a rate).  No rate:
-- volumes are known per token, not per network.
CREATE OR REPLACE VIEW report_ip_day AS
SELECT day, customer_id, network, complaints, attributed
  FROM daily_ip
 WHERE day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to());
COMMENT ON VIEW report_ip_day IS
    'complaints per UTC day, customer and sending network (a /24 or /48 '
    'of the sending networks, outside, or empty: not known), and of them '
    'attributed';

-- A row: one UTC day, customer, source ('feedback-id', 'cfbl') and
-- campaign id with its attributed complaints whose id a verified signature
-- covers (fbl_campaigns).  No rate: volumes are not known per campaign.
CREATE OR REPLACE VIEW report_campaign_day AS
SELECT day, customer_id, source, campaign, complaints
  FROM daily_campaign
 WHERE day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to());
COMMENT ON VIEW report_campaign_day IS
    'attributed complaints per UTC day, customer and signed campaign id '
    '(Feedback-ID, CFBL-Feedback-ID)';

-- ---- Privileges ---------------------------------------------------------

-- The three roles of docs/operations.md get their rights here, on every
-- `fblscope db migrate`, from the catalog rather than from a list: a table
-- a new migration adds is covered by the rule its name falls under, and a
-- grant cannot be forgotten.  A role that does not exist is skipped (a
-- single-user set-up needs none).  The roles may be group roles (NOLOGIN)
-- whose members log in.
--   fbl_ingest  ingest, reverify, keys import, volume import: reads and
--               writes the stored rows, moves and prunes daily counts,
--               makes month partitions only through fbl_ensure_month;
--   fbl_audit   keys audit --db: writes the key_audit_* tables, reads the
--               daily counts (the selectors mail was signed with);
--   fbl_report  report: the daily counts, volumes, key audits and the
--               report views; never a message, a recipient hash or a key.
-- fbl_ensure_month runs with its owner's rights (only the owner of a
-- partitioned table may add a partition), with a search_path fixed to this
-- schema and pg_temp last, so a caller's temporary table cannot stand in.
-- CREATE OR REPLACE above resets SECURITY DEFINER; this puts it back on
-- every run.
CREATE OR REPLACE FUNCTION fbl_grant_roles() RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning AS $$
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

-- GRANT what ON kind name TO role, when role exists.
CREATE OR REPLACE FUNCTION fbl_grant_to(role text, what text, kind text,
    name text) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = role) THEN
        EXECUTE format('GRANT %s ON %s %I TO %I', what, kind, name, role);
    END IF;
END;
$$;

SELECT fbl_grant_roles();
