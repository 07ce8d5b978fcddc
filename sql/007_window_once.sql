-- fblscope schema 7: the report window evaluated once per query.
--
-- Schema 5 compared every row's day with fbl_window_from() and
-- fbl_window_to(), and a sequential scan called them (current_setting and
-- a cast) for every row: at 10 million complaints that cost more than the
-- window saved (docs/bench.md, the report rows).  As scalar subqueries they
-- become init plans, evaluated once per query; the views are otherwise
-- those of schemas 5 and 6.

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

CREATE OR REPLACE VIEW report_customer_volume AS
WITH by_id AS (
    SELECT v.day, v.token AS customer_id, v.reporter, v.sent, v.delivered
      FROM volume v
     WHERE v.token IN (SELECT customer_id FROM report_customer_token)
       AND v.day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
), by_token AS (
    SELECT v.day, t.customer_id, v.reporter, sum(v.sent)::bigint AS sent,
           sum(v.delivered)::bigint AS delivered
      FROM volume v JOIN report_customer_token t ON t.token = v.token
     WHERE v.day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
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

CREATE OR REPLACE VIEW report_customer_token AS
SELECT DISTINCT customer_id, token FROM daily_key
 WHERE role = 'customer' AND customer_id <> '' AND token <> ''
   AND day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to())
UNION
SELECT DISTINCT c.customer_id, c.token FROM daily_complaint c
 WHERE c.customer_id <> '' AND c.token <> '' AND c.customer_state = 'none'
   AND c.day BETWEEN (SELECT fbl_window_from()) AND (SELECT fbl_window_to());
