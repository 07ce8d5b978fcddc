-- fblscope schema 5: the report's views read only the days asked for.
--
-- Schema 4's views read every day of the daily tables whatever the query
-- asked, because a day condition on a FULL JOIN of complaints and volumes
-- cannot reach the tables below it: a database keeping a year of daily
-- rows would pay for the whole year on every report.  The views now take a
-- window from two settings, which `fblscope report` sets for its
-- transaction (fblscope.window_from / fblscope.window_to, set_config(...,
-- true)); a dashboard that sets neither sees every day, as before.

CREATE FUNCTION fbl_window_from() RETURNS date LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('fblscope.window_from', true),
                           '')::date, '-infinity'::date)
$$;

CREATE FUNCTION fbl_window_to() RETURNS date LANGUAGE sql STABLE AS $$
    SELECT coalesce(nullif(current_setting('fblscope.window_to', true),
                           '')::date, 'infinity'::date)
$$;

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
 WHERE day BETWEEN fbl_window_from() AND fbl_window_to();

CREATE OR REPLACE VIEW report_customer_token AS
SELECT DISTINCT customer_id, token FROM daily_complaint
 WHERE customer_id <> '' AND token <> ''
   AND day BETWEEN fbl_window_from() AND fbl_window_to()
UNION
SELECT DISTINCT customer_id, token FROM daily_signature
 WHERE role = 'customer' AND customer_id <> '' AND token <> ''
   AND day BETWEEN fbl_window_from() AND fbl_window_to();

CREATE OR REPLACE VIEW report_customer_volume AS
WITH by_id AS (
    SELECT v.day, v.token AS customer_id, v.reporter, v.sent, v.delivered
      FROM volume v
     WHERE v.token IN (SELECT customer_id FROM report_customer_token)
       AND v.day BETWEEN fbl_window_from() AND fbl_window_to()
), by_token AS (
    SELECT v.day, t.customer_id, v.reporter, sum(v.sent)::bigint AS sent,
           sum(v.delivered)::bigint AS delivered
      FROM volume v JOIN report_customer_token t ON t.token = v.token
     WHERE v.day BETWEEN fbl_window_from() AND fbl_window_to()
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
