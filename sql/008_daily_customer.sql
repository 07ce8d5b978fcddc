-- fblscope schema 8: daily tables whose size is set by customers, days and
-- ISPs, not by the number of complaints.
--
-- daily_complaint is keyed by every dimension a complaint has, the three
-- standing columns included, so it grows with the complaints (222,000 rows
-- at a million complaints, 617,000 at ten million in docs/bench.md's data
-- set), and so does the report, which read it whole; daily_signature (keyed
-- by selector, reporter and feedback type too) likewise for the
-- verification sections.  Two tables now carry what the report reads:
--
--   daily_customer      one row per day, customer, token and reporter; the
--                       feedback classes, the standing and the authenticity
--                       are count COLUMNS, not key values;
--   daily_verification  daily_signature without the selector, reporter and
--                       feedback type the report never splits by.
--
-- Both are kept in the same transaction as the rows they count: by ingest's
-- merge statement (fbl/store/store_batch.c) and by reverify (fbl/store/reverify.c),
-- which moves counts between columns when a standing changes.  The older
-- daily tables are kept as before: dashboards and report_complaint read
-- them.

-- A feedback report's class, as schema 4's report_complaint has it:
-- 'complaint' (abuse, fraud, virus, and the non-ARF complaint formats),
-- 'opt-out', 'not-spam', 'auth-failure', else 'other'.
CREATE FUNCTION fbl_feedback_class(kind text, feedback_type text)
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
-- the old one's, the backfill below multiplies them by daily_complaint's
-- counts.  One definition, so the three cannot disagree.
--   complaints      feedback class 'complaint'
--   attributed      ... of mail the ESP plausibly sent (counts in a rate)
--   carried         ... with an ESP-token signature (esp_state <> 'none')
--   esp_verified    ... whose ESP-token signature verified
--   opt_out .. other  the other classes
--   unsigned        any class, no customer signature (customer_state
--                   'none'): the From domain stands for the customer
--   authentic .. unknown  any class, by authenticity; a value this schema
--                   does not know counts as unknown, as the report reads it
CREATE FUNCTION fbl_customer_counts(kind text, feedback_type text,
    esp_state text, customer_state text, authenticity text)
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

-- Complaints per UTC day, customer ('' : none claimed), token
-- (report.customer_token) and reporter.  Every complaint is in exactly one
-- class column and one authenticity column.
CREATE TABLE daily_customer (
    day          date   NOT NULL,
    customer_id  text   NOT NULL,
    token        text   NOT NULL,
    reporter     text   NOT NULL,
    complaints   bigint NOT NULL DEFAULT 0,
    attributed   bigint NOT NULL DEFAULT 0,
    carried      bigint NOT NULL DEFAULT 0,
    esp_verified bigint NOT NULL DEFAULT 0,
    opt_out      bigint NOT NULL DEFAULT 0,
    not_spam     bigint NOT NULL DEFAULT 0,
    auth_failure bigint NOT NULL DEFAULT 0,
    other        bigint NOT NULL DEFAULT 0,
    unsigned     bigint NOT NULL DEFAULT 0,
    authentic    bigint NOT NULL DEFAULT 0,
    replayed     bigint NOT NULL DEFAULT 0,
    forged       bigint NOT NULL DEFAULT 0,
    rotated      bigint NOT NULL DEFAULT 0,
    redacted     bigint NOT NULL DEFAULT 0,
    damaged      bigint NOT NULL DEFAULT 0,
    pending      bigint NOT NULL DEFAULT 0,
    unknown      bigint NOT NULL DEFAULT 0,
    CHECK (least(complaints, attributed, carried, esp_verified, opt_out,
                 not_spam, auth_failure, other, unsigned, authentic,
                 replayed, forged, rotated, redacted, damaged, pending,
                 unknown) >= 0),
    PRIMARY KEY (day, customer_id, token, reporter)
);

-- Signatures per UTC day, kind, d= token, role, customer, result and
-- reason: what report_verification_day and report_unknown_token_day read.
CREATE TABLE daily_verification (
    day          date   NOT NULL,
    kind         text   NOT NULL,
    token        text   NOT NULL,
    role         text   NOT NULL,
    customer_id  text   NOT NULL,
    result       text   NOT NULL,
    reason       text   NOT NULL,
    count        bigint NOT NULL CHECK (count >= 0),
    PRIMARY KEY (day, kind, token, role, customer_id, result, reason)
);

-- An existing database: both from the daily tables they summarise (which
-- count the same rows), not from the report and signature rows.
INSERT INTO daily_customer (day, customer_id, token, reporter, complaints,
    attributed, carried, esp_verified, opt_out, not_spam, auth_failure,
    other, unsigned, authentic, replayed, forged, rotated, redacted,
    damaged, pending, unknown)
SELECT d.day, d.customer_id, d.token, d.reporter, sum(c.complaints * d.count),
       sum(c.attributed * d.count), sum(c.carried * d.count),
       sum(c.esp_verified * d.count), sum(c.opt_out * d.count),
       sum(c.not_spam * d.count), sum(c.auth_failure * d.count),
       sum(c.other * d.count), sum(c.unsigned * d.count),
       sum(c.authentic * d.count), sum(c.replayed * d.count),
       sum(c.forged * d.count), sum(c.rotated * d.count),
       sum(c.redacted * d.count), sum(c.damaged * d.count),
       sum(c.pending * d.count), sum(c.unknown * d.count)
  FROM daily_complaint d,
       LATERAL fbl_customer_counts(d.kind, d.feedback_type, d.esp_state,
                                   d.customer_state, d.authenticity) c
 WHERE d.count > 0
 GROUP BY 1, 2, 3, 4;

INSERT INTO daily_verification (day, kind, token, role, customer_id, result,
    reason, count)
SELECT day, kind, token, role, customer_id, result, reason, sum(count)
  FROM daily_signature WHERE count > 0
 GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- Few complaints come without a customer signature: report_customer_token
-- finds their rows without reading the table.
CREATE INDEX daily_customer_unsigned ON daily_customer (day)
 WHERE unsigned > 0;

-- The views of schemas 4 to 7, reading the new tables; same columns, same
-- numbers.  The window (fbl_window_from/to, schema 5) as scalar subqueries,
-- evaluated once per query (schema 7).

-- Customers whose mail came unsigned are known by their From domain.
CREATE OR REPLACE VIEW report_customer_token AS
SELECT DISTINCT customer_id, token FROM daily_key
 WHERE role = 'customer' AND customer_id <> '' AND token <> ''
   AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
UNION
SELECT DISTINCT customer_id, token FROM daily_customer
 WHERE customer_id <> '' AND token <> '' AND unsigned > 0
   AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to());

-- Schema 4's volume rules in one pass over volume: a customer's rows are
-- those keyed by its id (by_id) when there is one for the day and
-- reporter, else the sum of its tokens' rows; a missing '*' row is the
-- sum of the reporters' rows.  Schema 4 joined volume twice and listed the
-- customers' tokens twice (two scans of the complaint table each).
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

CREATE OR REPLACE VIEW report_esp_day AS
WITH c AS (
    SELECT day,
           CASE WHEN grouping(reporter) = 1 THEN '*' ELSE reporter END
               AS reporter,
           sum(complaints) AS complaints, sum(attributed) AS attributed,
           sum(carried) AS carried, sum(esp_verified) AS verified,
           sum(opt_out + not_spam + auth_failure + other) AS other_feedback
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
           v.sent, v.delivered,
           CASE WHEN reporter = 'yahoo' AND v.delivered IS NOT NULL
                THEN v.delivered ELSE v.sent END AS denominator
      FROM c FULL JOIN report_esp_volume v USING (day, reporter)
)
SELECT j.*,
       CASE WHEN denominator > 0
            THEN attributed::numeric / denominator END AS rate
  FROM j;

CREATE OR REPLACE VIEW report_verification_day AS
SELECT day,
       CASE WHEN kind IN ('arf', 'complaint') THEN 'complaint'
            WHEN kind = 'sample' THEN 'sample'
            ELSE 'other' END AS use,
       token, role, customer_id, result, reason,
       result = 'pass' AS verified,
       result = 'neutral' AND reason = 'headers-only' AS headers_only,
       sum(count)::bigint AS signatures
  FROM daily_verification
 WHERE day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
 GROUP BY 1, 2, 3, 4, 5, 6, 7;

-- The ESP token's volume: the d= domains seen with role 'esp', from the
-- small table.
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

CREATE OR REPLACE VIEW report_unknown_token_day AS
SELECT day, token, role, sum(count)::bigint AS signatures,
       coalesce(sum(count) FILTER (WHERE result = 'pass'), 0)::bigint
           AS verified
  FROM daily_verification
 WHERE role IN ('unknown', 'third-party') AND kind IN ('arf', 'complaint')
   AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
 GROUP BY day, token, role;

-- The report's per-token and per-authenticity sections, which read
-- report_complaint (daily_complaint) before.

-- A row: one UTC day, customer and token with its attributed complaints
-- (feedback class 'complaint', authenticity not forged, replayed or
-- unknown); days without any have no row.
CREATE VIEW report_customer_token_day AS
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
CREATE VIEW report_customer_authenticity_day AS
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
