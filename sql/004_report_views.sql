-- fblscope schema 4: views for the nightly report (DESIGN section 6) and
-- for dashboards (Grafana, Metabase).
--
-- Every view reads the daily aggregates only (daily_complaint,
-- daily_signature, daily_key, volume), never the report or signature rows:
-- they stay cheap however many messages are stored, and carry no message
-- data.  Days are UTC days (msg_day: the report's Arrival-Date, else its
-- Date); a dashboard filters on the day column.
--
-- Which complaints count in a complaint rate: the feedback class
-- 'complaint' (Feedback-Type abuse, fraud or virus, and the non-ARF
-- complaint formats, kind 'complaint') of mail the ESP plausibly sent
-- (authenticity not 'forged', 'replayed' or 'unknown': those are reported
-- as suspected forgery, not held against the customer).  opt-out, not-spam,
-- auth-failure and any other type are counted in their own columns, never
-- in a rate.

-- A row: one daily_complaint row with its feedback class and whether it
-- counts against the customer ("attributed").
CREATE VIEW report_complaint AS
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
  FROM daily_complaint;
COMMENT ON VIEW report_complaint IS
    'daily_complaint rows with feedback_class (complaint, opt-out, not-spam, '
    'auth-failure, other) and attributed (counts in a complaint rate)';

-- The tokens (d= domains) each customer signs with, as the data shows.
-- A row: one (customer_id, token) pair seen in a complaint or signature.
CREATE VIEW report_customer_token AS
SELECT DISTINCT customer_id, token FROM daily_complaint
 WHERE customer_id <> '' AND token <> ''
UNION
SELECT DISTINCT customer_id, token FROM daily_signature
 WHERE role = 'customer' AND customer_id <> '' AND token <> '';
COMMENT ON VIEW report_customer_token IS
    'one row per customer id and a d= domain seen signing for it';

-- Sending volume per customer, day and reporter ('*': all ISPs).  volume
-- rows keyed by the customer id win; otherwise the rows of the customer's
-- tokens are summed.  A missing '*' row is the sum of the ISP rows.
CREATE VIEW report_customer_volume AS
WITH by_id AS (
    SELECT v.day, v.token AS customer_id, v.reporter, v.sent, v.delivered
      FROM volume v
     WHERE v.token IN (SELECT customer_id FROM report_customer_token)
), by_token AS (
    SELECT v.day, t.customer_id, v.reporter, sum(v.sent)::bigint AS sent,
           sum(v.delivered)::bigint AS delivered
      FROM volume v JOIN report_customer_token t ON t.token = v.token
     GROUP BY 1, 2, 3
), merged AS (
    SELECT * FROM by_id
    UNION ALL
    SELECT b.* FROM by_token b
     WHERE NOT EXISTS (SELECT 1 FROM by_id i
                        WHERE i.day = b.day
                          AND i.customer_id = b.customer_id
                          AND i.reporter = b.reporter)
)
SELECT * FROM merged
UNION ALL
SELECT day, customer_id, '*', sum(sent)::bigint, sum(delivered)::bigint
  FROM merged m
 WHERE reporter <> '*'
   AND NOT EXISTS (SELECT 1 FROM merged s
                    WHERE s.day = m.day AND s.customer_id = m.customer_id
                      AND s.reporter = '*')
 GROUP BY day, customer_id;
COMMENT ON VIEW report_customer_volume IS
    'messages sent (and delivered to the inbox, where known) per customer, '
    'UTC day and reporter (''*'' for all ISPs)';

-- A row: one customer, UTC day and reporter ('*': all ISPs together) with
-- its complaints by feedback class, suspected forgeries, the volume and the
-- complaint rate.  The rate's denominator is the reporter's own volume:
-- for Yahoo the mail delivered to the inbox when known, else sent.  A day
-- with volume but no complaint has a row (rate 0); one with complaints but
-- no volume has rate NULL.
CREATE VIEW report_customer_day AS
WITH c AS (
    SELECT day, customer_id,
           CASE WHEN grouping(reporter) = 1 THEN '*' ELSE reporter END
               AS reporter,
           sum(count) FILTER (WHERE feedback_class = 'complaint'
                              AND attributed) AS complaints,
           sum(count) FILTER (WHERE feedback_class = 'opt-out') AS opt_out,
           sum(count) FILTER (WHERE feedback_class = 'not-spam')
               AS not_spam,
           sum(count) FILTER (WHERE feedback_class = 'auth-failure')
               AS auth_failure,
           sum(count) FILTER (WHERE feedback_class = 'other') AS other,
           sum(count) FILTER (WHERE authenticity IN ('forged', 'replayed'))
               AS suspected_forgery
      FROM report_complaint
     WHERE customer_id <> ''
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
-- 'esp'.  A row: one UTC day and reporter.
CREATE VIEW report_esp_volume AS
WITH esp AS (
    SELECT DISTINCT token FROM daily_signature WHERE role = 'esp'
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
-- token's volume.
CREATE VIEW report_esp_day AS
WITH c AS (
    SELECT day,
           CASE WHEN grouping(reporter) = 1 THEN '*' ELSE reporter END
               AS reporter,
           sum(count) FILTER (WHERE feedback_class = 'complaint')
               AS complaints,
           sum(count) FILTER (WHERE feedback_class = 'complaint'
                              AND attributed) AS attributed,
           sum(count) FILTER (WHERE feedback_class = 'complaint'
                              AND esp_state <> 'none') AS carried,
           sum(count) FILTER (WHERE feedback_class = 'complaint'
                              AND esp_state IN ('pass', 'headers-ok'))
               AS verified,
           sum(count) FILTER (WHERE feedback_class <> 'complaint')
               AS other_feedback
      FROM report_complaint
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
COMMENT ON VIEW report_esp_day IS
    'per UTC day and reporter (''*'': all): complaints, attributed, carried '
    'an ESP-token signature, ESP signature verified, volume, rate';

-- A row: one UTC day, use ('complaint': ARF and non-ARF complaint reports;
-- 'sample': mail samples; 'other'), d= token, role, customer, result and
-- reason, with the number of signatures.  verified: the signature passed;
-- headers_only: a headers-only copy whose header signature verified.
CREATE VIEW report_verification_day AS
SELECT day,
       CASE WHEN kind IN ('arf', 'complaint') THEN 'complaint'
            WHEN kind = 'sample' THEN 'sample'
            ELSE 'other' END AS use,
       token, role, customer_id, result, reason,
       result = 'pass' AS verified,
       result = 'neutral' AND reason = 'headers-only' AS headers_only,
       sum(count)::bigint AS signatures
  FROM daily_signature
 GROUP BY 1, 2, 3, 4, 5, 6, 7;
COMMENT ON VIEW report_verification_day IS
    'signatures per UTC day, use (complaint, sample, other), token, role, '
    'customer, result and reason';

-- A row: one UTC day, d= token, selector and key as checked (algorithm,
-- size, t=y), with the signatures that used it and the hygiene flags.
CREATE VIEW report_key_day AS
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

-- A row: one UTC day and d= domain that no rule maps (role 'unknown' or
-- 'third-party'), with the signatures of complaints and how many verified.
CREATE VIEW report_unknown_token_day AS
SELECT day, token, role, sum(count)::bigint AS signatures,
       coalesce(sum(count) FILTER (WHERE result = 'pass'), 0)::bigint
           AS verified
  FROM daily_signature
 WHERE role IN ('unknown', 'third-party') AND kind IN ('arf', 'complaint')
 GROUP BY day, token, role;
COMMENT ON VIEW report_unknown_token_day IS
    'signatures of complaints per UTC day by d= domains no rule maps';
