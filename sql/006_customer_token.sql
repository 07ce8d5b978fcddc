-- fblscope schema 6: the customer/token mapping read from the small table.
--
-- report_customer_token listed the (customer, d=) pairs by scanning
-- daily_complaint and daily_signature whole, twice per report (both grow
-- with the complaints: 430,000 rows at a million).  daily_key holds the
-- same pairs for every signature checked (role 'customer'), in a few
-- thousand rows; daily_complaint adds the From domains of customers whose
-- mail came unsigned, read only over the report's window and only where
-- no signature names the customer.

CREATE OR REPLACE VIEW report_customer_token AS
SELECT DISTINCT customer_id, token FROM daily_key
 WHERE role = 'customer' AND customer_id <> '' AND token <> ''
   AND day BETWEEN fbl_window_from() AND fbl_window_to()
UNION
SELECT DISTINCT c.customer_id, c.token FROM daily_complaint c
 WHERE c.customer_id <> '' AND c.token <> '' AND c.customer_state = 'none'
   AND c.day BETWEEN fbl_window_from() AND fbl_window_to();
