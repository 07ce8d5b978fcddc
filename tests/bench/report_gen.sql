-- SPDX-License-Identifier: ISC
-- tests/bench/report_gen.sql: one chunk of the report rows' data set
-- (tests/bench/report.sh), run by psql with the variables
--   day0  the first day of the 30 (YYYY-MM-DD)    d   the day, 0..29
--   lo hi rows lo, lo+30, ... <= hi go to day day0 + d
-- Row i is a complaint (kind arf) whose every attribute comes from the bytes
-- of sha256(i): deterministic, and a new i is a new fingerprint.  Its two
-- signature rows (role customer, role esp) are made from the same bytes.
-- The daily aggregates are then counted from the rows just inserted, as
-- fbl_daily_apply() (sql/definitions.sql) counts them: same keys, same
-- coalesce()s, ON CONFLICT adding to the counts (daily_complaint and
-- daily_signature are views of the rows since schema 15); daily_customer's
-- count columns from fbl_customer_counts() (sql/definitions.sql), as
-- ingest has them; daily_ip and daily_campaign (schema 16) by
-- fbl_source_network() and fbl_campaigns(), as fbl_views_apply() counts.
-- authenticity comes from the fbl_authenticity() of sql/definitions.sql,
-- as ingest computes it.
WITH g0 AS (
    SELECT i, sha256(int8send(i)) AS fp, (:'day0'::date + :d) AS msg_day
      FROM generate_series(:lo::bigint + :d, :hi::bigint, 30) i
), g1 AS (
    SELECT i, fp, msg_day,
           -- bigger customers complain more: u^2 over 200 customers
           1 + floor(200 * power((get_byte(fp, 0) * 256 + get_byte(fp, 1))
                                 / 65536.0, 2))::int AS cn,
           get_byte(fp, 2) AS br, get_byte(fp, 3) AS bf,
           get_byte(fp, 4) AS ba, get_byte(fp, 5) AS bx,
           get_byte(fp, 6) AS bt
      FROM g0
), g2 AS (
    SELECT i, fp, msg_day, cn, bx, bt,
           'cust-' || lpad(cn::text, 3, '0') AS customer_id,
           'customer' || lpad(cn::text, 3, '0') || '.example' AS ctoken,
           CASE WHEN br < 77 THEN 'yahoo' WHEN br < 128 THEN 'outlook'
                WHEN br < 154 THEN 'aol' WHEN br < 174 THEN 'comcast'
                WHEN br < 192 THEN 'att' WHEN br < 207 THEN 'gmx'
                WHEN br < 220 THEN 'web.de' WHEN br < 233 THEN 'yandex'
                WHEN br < 246 THEN 'mail.ru' ELSE 'cox' END AS reporter,
           CASE WHEN bf < 230 THEN 'abuse' WHEN bf < 240 THEN 'opt-out'
                WHEN bf < 250 THEN 'not-spam' ELSE 'fraud' END
               AS feedback_type,
           -- what the signatures will say: 85 % authentic, 4 % redacted,
           -- 4 % rotated, 5 % forged, 2 % replayed
           CASE WHEN ba < 218 THEN 'ok' WHEN ba < 228 THEN 'redacted'
                WHEN ba < 238 THEN 'rotated' WHEN ba < 250 THEN 'forged'
                ELSE 'replayed' END AS truth,
           lower(to_char(msg_day, 'Mon')) || to_char(msg_day, 'YYYY')
               || '.myesp' AS month_sel
      FROM g1
), g AS (
    SELECT g2.*,
           -- per signature: result, reason, header_verified, archived
           CASE truth WHEN 'redacted' THEN 'fail' WHEN 'rotated' THEN 'permerror'
                WHEN 'forged' THEN 'fail'
                ELSE CASE WHEN bx < 5 THEN 'fail' ELSE 'pass' END END AS c_result,
           CASE truth WHEN 'redacted' THEN 'redacted'
                WHEN 'rotated' THEN 'key-revoked'
                WHEN 'forged' THEN 'signature-mismatch'
                ELSE CASE WHEN bx < 5 THEN 'body-hash-mismatch' ELSE 'ok' END
           END AS c_reason,
           CASE truth WHEN 'redacted' THEN 'fail' WHEN 'rotated' THEN 'permerror'
                WHEN 'forged' THEN 'fail' ELSE 'pass' END AS e_result,
           CASE truth WHEN 'redacted' THEN 'redacted'
                WHEN 'rotated' THEN 'key-revoked'
                WHEN 'forged' THEN 'body-hash-mismatch' ELSE 'ok' END
               AS e_reason,
           truth <> 'replayed' AS in_esp,
           -- one customer in 20 still signs with a 2025 key, one in 25
           -- with a 1024-bit key
           CASE WHEN cn % 20 = 0 THEN 'jan2025.myesp' ELSE month_sel END
               AS c_sel,
           CASE WHEN cn % 25 = 0 THEN 1024 ELSE 2048 END AS c_bits
      FROM g2
), s AS (
    SELECT g.*,
           fbl_sig_state(e_result, e_result = 'pass') AS esp_state,
           fbl_sig_state(c_result, c_result = 'pass') AS customer_state
      FROM g
), ins AS (
    INSERT INTO report (msg_day, fingerprint, kind, complaint, source,
        feedback_type, reporter, user_agent, arf_version, arrival_date,
        source_ip, source_ip_in_esp, original_mail_from, original_form,
        reported_domain, recipient_hmac, original_message_id,
        original_from_domain, deviations, cfbl_feedback_id, feedback_id,
        cfbl_signed, reporter_verified_dkim, decided, customer_id,
        customer_token, esp_state, customer_state, authenticity,
        source_prefix, feedback_id_verified)
    SELECT msg_day, fp, 'arf', true, 'bench/report.sh', feedback_type,
           reporter, reporter || '-fbl/1.0', '1',
           msg_day + make_interval(secs => (bt * 337 + bx) % 86400),
           CASE WHEN in_esp THEN '192.0.2.' ELSE '203.0.113.' END
               || (1 + bt % 250),
           in_esp, 'bounce-' || i || '@' || ctoken, 'full',
           ARRAY[ctoken], ARRAY[sha256(int8send(-i))],
           '<' || i || '.' || cn || '@' || ctoken || '>', ctoken, NULL,
           NULL, customer_id || ':' || (i % 97), NULL, false,
           'multipart/report with a feedback-report part', customer_id,
           ctoken, esp_state, customer_state,
           fbl_authenticity(esp_state, customer_state, truth = 'rotated',
               truth = 'redacted', true, in_esp, false),
           CASE WHEN in_esp THEN '192.0.2.0/24' ELSE '203.0.113.0/24' END,
           -- the ESP signature covers the Feedback-ID: it vouches when it
           -- passes, live or under its archived key (fbl_sig_vouches)
           e_result = 'pass' OR truth = 'rotated'
      FROM s ORDER BY msg_day, fp
    ON CONFLICT DO NOTHING
    RETURNING msg_day, fingerprint, kind, reporter, feedback_type,
              complaint, customer_id, customer_token, esp_state,
              customer_state, authenticity, source_prefix, source_ip_in_esp,
              feedback_id, feedback_id_verified, cfbl_feedback_id,
              cfbl_verified, cfbl_signed
), du AS (
    INSERT INTO daily_customer AS t (day, customer_id, token, reporter,
        complaints, attributed, carried, esp_verified, opt_out, not_spam,
        auth_failure, other, unsigned, authentic, replayed, forged, rotated,
        redacted, damaged, pending, unknown)
    SELECT i.msg_day, coalesce(i.customer_id, ''),
           coalesce(i.customer_token, ''), coalesce(i.reporter, ''),
           sum(c.complaints), sum(c.attributed), sum(c.carried),
           sum(c.esp_verified), sum(c.opt_out), sum(c.not_spam),
           sum(c.auth_failure), sum(c.other), sum(c.unsigned),
           sum(c.authentic), sum(c.replayed), sum(c.forged), sum(c.rotated),
           sum(c.redacted), sum(c.damaged), sum(c.pending), sum(c.unknown)
      FROM ins i, LATERAL fbl_customer_counts(i.kind, i.feedback_type,
               i.esp_state, i.customer_state, i.authenticity) c
     WHERE i.complaint
     GROUP BY 1, 2, 3, 4
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
), cl AS (
    -- daily_ip and daily_campaign (schema 16) as fbl_views_apply counts
    SELECT i.*, c.attributed
      FROM ins i, LATERAL fbl_customer_counts(i.kind,
               coalesce(i.feedback_type, ''), i.esp_state, i.customer_state,
               i.authenticity) c
     WHERE i.complaint AND c.complaints = 1
), dip AS (
    INSERT INTO daily_ip AS t (day, customer_id, network, complaints,
        attributed)
    SELECT msg_day, coalesce(customer_id, ''),
           fbl_source_network(source_prefix, source_ip_in_esp), count(*),
           sum(attributed)
      FROM cl GROUP BY 1, 2, 3
    ON CONFLICT (day, customer_id, network) DO UPDATE SET
        complaints = t.complaints + EXCLUDED.complaints,
        attributed = t.attributed + EXCLUDED.attributed
), dcp AS (
    INSERT INTO daily_campaign AS t (day, customer_id, source, campaign,
        complaints)
    SELECT cl.msg_day, coalesce(cl.customer_id, ''), p.source, p.campaign,
           count(*)
      FROM cl, LATERAL fbl_campaigns(coalesce(cl.customer_id, ''),
               cl.attributed, cl.feedback_id, cl.feedback_id_verified,
               cl.esp_state, cl.cfbl_feedback_id, cl.cfbl_verified,
               cl.cfbl_signed) p
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, customer_id, source, campaign)
    DO UPDATE SET complaints = t.complaints + EXCLUDED.complaints
), dr AS (
    INSERT INTO daily_report AS t (day, kind, reporter, feedback_type, count)
    SELECT msg_day, kind, coalesce(reporter, ''),
           coalesce(feedback_type, ''), count(*) FROM ins
     GROUP BY 1, 2, 3, 4
    ON CONFLICT (day, kind, reporter, feedback_type)
    DO UPDATE SET count = t.count + EXCLUDED.count
), sig AS (
    INSERT INTO signature (msg_day, fingerprint, idx, d, s, a, c, l, t, x,
        key_bits, key_testing, result, reason, header_verified,
        body_verified, role, customer_id, selector_year, selector_month,
        archived_verdict, archived_key, covers_feedback_id, covers_cfbl)
    SELECT s.msg_day, s.fp, k.idx,
           CASE k.idx WHEN 1 THEN s.ctoken ELSE 'fbl.myesp.example' END,
           CASE k.idx WHEN 1 THEN s.c_sel ELSE s.month_sel END,
           'rsa-sha256', 'relaxed/relaxed', NULL,
           extract(epoch FROM s.msg_day)::bigint - 3600, NULL,
           CASE k.idx WHEN 1 THEN s.c_bits ELSE 2048 END, false,
           CASE k.idx WHEN 1 THEN s.c_result ELSE s.e_result END,
           CASE k.idx WHEN 1 THEN s.c_reason ELSE s.e_reason END,
           CASE k.idx WHEN 1 THEN s.c_result ELSE s.e_result END = 'pass',
           CASE k.idx WHEN 1 THEN s.c_result ELSE s.e_result END = 'pass',
           CASE k.idx WHEN 1 THEN 'customer' ELSE 'esp' END,
           CASE k.idx WHEN 1 THEN s.customer_id END,
           CASE WHEN k.idx = 1 AND s.cn % 20 = 0 THEN 2025
                ELSE extract(year FROM s.msg_day)::int END,
           CASE WHEN k.idx = 1 AND s.cn % 20 = 0 THEN 1
                ELSE extract(month FROM s.msg_day)::int END,
           CASE WHEN s.truth = 'rotated' THEN 'pass' END,
           CASE WHEN s.truth = 'rotated' THEN sha256(convert_to(s.c_sel, 'UTF8')) END,
           k.idx = 2, false
      FROM s JOIN ins ON ins.msg_day = s.msg_day AND ins.fingerprint = s.fp
     CROSS JOIN (VALUES (1), (2)) k(idx)
     ORDER BY s.msg_day, s.fp, k.idx
    RETURNING msg_day, fingerprint, d, s, a, role, customer_id, result,
              reason, key_bits, key_testing
), dk AS (
    INSERT INTO daily_key AS t (day, kind, token, role, customer_id,
        selector, algorithm, key_bits, key_testing, count)
    SELECT sig.msg_day, ins.kind, lower(coalesce(sig.d, '')), sig.role,
           coalesce(sig.customer_id, ''), coalesce(sig.s, ''),
           coalesce(sig.a, ''), coalesce(sig.key_bits, -1),
           coalesce(sig.key_testing, false), count(*)
      FROM sig JOIN ins USING (msg_day, fingerprint)
     GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9
    ON CONFLICT (day, kind, token, role, customer_id, selector, algorithm,
                 key_bits, key_testing)
    DO UPDATE SET count = t.count + EXCLUDED.count
), dv AS (
    INSERT INTO daily_verification AS t (day, kind, token, role, customer_id,
        result, reason, count)
    SELECT sig.msg_day, ins.kind, lower(coalesce(sig.d, '')), sig.role,
           coalesce(sig.customer_id, ''), sig.result, sig.reason, count(*)
      FROM sig JOIN ins USING (msg_day, fingerprint)
     GROUP BY 1, 2, 3, 4, 5, 6, 7
    ON CONFLICT (day, kind, token, role, customer_id, result, reason,
                 diagnosis, diagnosis_field)
    DO UPDATE SET count = t.count + EXCLUDED.count
)
SELECT count(*) FROM ins;
