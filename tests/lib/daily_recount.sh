# SPDX-License-Identifier: ISC
# daily_recount.sh: every daily table recounted from the report and
# signature rows it counts, written here without the schema's functions
# (fbl_daily_apply, fbl_customer_counts), so that a test compares the
# schema with an independent definition.  Source it after common.sh.
#
#   daily_recount CONNINFO   one line per daily table, "TABLE N": N rows
#                            differ between the table and its recount
#                            (both directions); all 0 when they agree
#
# Counts moved down to zero are pruned (fbl_daily_prune), so a table holds
# no row the recount has not.

# The recounts, each with the columns of its table in order.
DAILY_RECOUNT_REPORT="SELECT msg_day AS day, kind, coalesce(reporter, ''),
    coalesce(feedback_type, ''), count(*) FROM report GROUP BY 1, 2, 3, 4"
DAILY_RECOUNT_SIGNATURE="SELECT s.msg_day, r.kind, lower(coalesce(s.d, '')),
    s.role, coalesce(s.customer_id, ''), coalesce(s.s, ''),
    coalesce(r.reporter, ''), coalesce(r.feedback_type, ''), s.result,
    s.reason, count(*) FROM signature s JOIN report r USING (msg_day, fingerprint)
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9, 10"
# daily_verification also by the diagnosis class and its field (schema 14)
DAILY_RECOUNT_VERIFICATION="SELECT s.msg_day, r.kind, lower(coalesce(s.d, '')),
    s.role, coalesce(s.customer_id, ''), s.result, s.reason,
    coalesce(s.diagnosis, ''), coalesce(s.diagnosis_field, ''), count(*)
    FROM signature s JOIN report r USING (msg_day, fingerprint)
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
DAILY_RECOUNT_KEY="SELECT s.msg_day, r.kind, lower(coalesce(s.d, '')), s.role,
    coalesce(s.customer_id, ''), coalesce(s.s, ''), coalesce(s.a, ''),
    coalesce(s.key_bits, -1), coalesce(s.key_testing, false), count(*)
    FROM signature s JOIN report r USING (msg_day, fingerprint)
    GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
DAILY_RECOUNT_COMPLAINT="SELECT msg_day, kind, coalesce(reporter, ''),
    coalesce(feedback_type, ''), coalesce(customer_id, ''),
    coalesce(customer_token, ''), esp_state, customer_state, authenticity,
    count(*) FROM report WHERE complaint GROUP BY 1, 2, 3, 4, 5, 6, 7, 8, 9"
# daily_customer (schema 8): the feedback class, standing and authenticity
# of each complaint as count columns
DAILY_RECOUNT_CUSTOMER="WITH c AS (SELECT msg_day AS day,
        coalesce(customer_id, '') AS customer_id,
        coalesce(customer_token, '') AS token, coalesce(reporter, '') AS reporter,
        CASE WHEN feedback_type IN ('abuse', 'fraud', 'virus') THEN 'complaint'
             WHEN feedback_type IN ('opt-out', 'not-spam', 'auth-failure') THEN feedback_type
             WHEN kind = 'complaint' THEN 'complaint' ELSE 'other' END AS cls,
        esp_state, customer_state, authenticity FROM report WHERE complaint)
    SELECT day, customer_id, token, reporter,
        count(*) FILTER (WHERE cls = 'complaint'),
        count(*) FILTER (WHERE cls = 'complaint' AND authenticity NOT IN ('forged', 'replayed', 'unknown')),
        count(*) FILTER (WHERE cls = 'complaint' AND esp_state <> 'none'),
        count(*) FILTER (WHERE cls = 'complaint' AND esp_state IN ('pass', 'headers-ok')),
        count(*) FILTER (WHERE cls = 'opt-out'),
        count(*) FILTER (WHERE cls = 'not-spam'),
        count(*) FILTER (WHERE cls = 'auth-failure'),
        count(*) FILTER (WHERE cls = 'other'),
        count(*) FILTER (WHERE customer_state = 'none'),
        count(*) FILTER (WHERE authenticity = 'authentic'),
        count(*) FILTER (WHERE authenticity = 'replayed'),
        count(*) FILTER (WHERE authenticity = 'forged'),
        count(*) FILTER (WHERE authenticity = 'rotated'),
        count(*) FILTER (WHERE authenticity = 'redacted'),
        count(*) FILTER (WHERE authenticity = 'damaged'),
        count(*) FILTER (WHERE authenticity = 'pending'),
        count(*) FILTER (WHERE authenticity = 'unknown')
    FROM c GROUP BY 1, 2, 3, 4"
# daily_ip and daily_campaign (schema 16): complaints (class complaint) by
# the network of their Source-IP, inside the sending networks (else
# 'outside', '' not known); attributed complaints by the campaign id that
# a signature of the ESP token or a customer covers and that verified
# (pass, a headers-only copy's verified header hash, or pass under an
# archived key); for signatures stored before schema 16, which do not say
# what they covered, a Feedback-ID counts when the ESP token's signature
# verified and a CFBL-Feedback-ID by cfbl_signed; ids cut to 100
# characters
DAILY_RECOUNT_CLASSED="SELECT *, cls = 'complaint' AND authenticity NOT IN
        ('forged', 'replayed', 'unknown') AS attr FROM (SELECT r.msg_day AS day,
        coalesce(r.customer_id, '') AS customer_id, r.source_prefix,
        r.source_ip_in_esp, r.feedback_id, r.cfbl_feedback_id, r.cfbl_signed,
        r.esp_state IN ('pass', 'headers-ok') AS esp_ok, r.authenticity,
        CASE WHEN r.feedback_type IN ('abuse', 'fraud', 'virus') THEN 'complaint'
             WHEN r.feedback_type IN ('opt-out', 'not-spam', 'auth-failure') THEN r.feedback_type
             WHEN r.kind = 'complaint' THEN 'complaint' ELSE 'other' END AS cls,
        (SELECT bool_or(s.covers_feedback_id IS NOT NULL) FROM signature s
          WHERE s.msg_day = r.msg_day AND s.fingerprint = r.fingerprint) AS known,
        EXISTS (SELECT 1 FROM signature s WHERE s.msg_day = r.msg_day
            AND s.fingerprint = r.fingerprint AND s.role IN ('esp', 'customer')
            AND (s.result = 'pass' OR (s.result = 'neutral' AND s.header_verified)
                 OR s.archived_verdict = 'pass')
            AND s.covers_feedback_id) AS fbid_ok,
        EXISTS (SELECT 1 FROM signature s WHERE s.msg_day = r.msg_day
            AND s.fingerprint = r.fingerprint AND s.role IN ('esp', 'customer')
            AND (s.result = 'pass' OR (s.result = 'neutral' AND s.header_verified)
                 OR s.archived_verdict = 'pass')
            AND s.covers_cfbl) AS cfbl_ok
        FROM report r WHERE r.complaint) c"
DAILY_RECOUNT_IP="WITH c AS ($DAILY_RECOUNT_CLASSED)
    SELECT day, customer_id, CASE source_ip_in_esp WHEN true THEN
        coalesce(source_prefix, '') WHEN false THEN 'outside' ELSE '' END,
        count(*), count(*) FILTER (WHERE attr)
    FROM c WHERE cls = 'complaint' GROUP BY 1, 2, 3"
DAILY_RECOUNT_CAMPAIGN="WITH c AS ($DAILY_RECOUNT_CLASSED)
    SELECT day, customer_id, source, left(id, 100), count(*) FROM (
        SELECT day, customer_id, 'feedback-id' AS source, feedback_id AS id
          FROM c WHERE attr AND customer_id <> '' AND feedback_id <> ''
           AND CASE WHEN known THEN fbid_ok ELSE esp_ok END
        UNION ALL
        SELECT day, customer_id, 'cfbl', cfbl_feedback_id
          FROM c WHERE attr AND customer_id <> '' AND cfbl_feedback_id <> ''
           AND CASE WHEN known THEN cfbl_ok ELSE cfbl_signed END) x
    GROUP BY 1, 2, 3, 4"

daily_recount() {	# conninfo
	for _t in report signature verification key complaint customer ip \
	    campaign; do
		case $_t in
		report) _q=$DAILY_RECOUNT_REPORT
			_d="day, kind, reporter, feedback_type, count" ;;
		signature) _q=$DAILY_RECOUNT_SIGNATURE
			_d="day, kind, token, role, customer_id, selector, reporter, feedback_type, result, reason, count" ;;
		verification) _q=$DAILY_RECOUNT_VERIFICATION
			_d="day, kind, token, role, customer_id, result, reason, diagnosis, diagnosis_field, count" ;;
		key) _q=$DAILY_RECOUNT_KEY
			_d="day, kind, token, role, customer_id, selector, algorithm, key_bits, key_testing, count" ;;
		complaint) _q=$DAILY_RECOUNT_COMPLAINT
			_d="day, kind, reporter, feedback_type, customer_id, token, esp_state, customer_state, authenticity, count" ;;
		customer) _q=$DAILY_RECOUNT_CUSTOMER
			_d="day, customer_id, token, reporter, complaints, attributed, carried, esp_verified, opt_out, not_spam, auth_failure, other, unsigned, authentic, replayed, forged, rotated, redacted, damaged, pending, unknown" ;;
		ip) _q=$DAILY_RECOUNT_IP
			_d="day, customer_id, network, complaints, attributed" ;;
		campaign) _q=$DAILY_RECOUNT_CAMPAIGN
			_d="day, customer_id, source, campaign, complaints" ;;
		esac
		printf 'daily_%s %s\n' "$_t" "$(psql "$1" -Atc "WITH r AS ($_q),
		    d AS (SELECT $_d FROM daily_$_t)
		    SELECT count(*) FROM ((SELECT * FROM r EXCEPT SELECT * FROM d)
		    UNION ALL (SELECT * FROM d EXCEPT SELECT * FROM r)) x")"
	done
}
