-- SPDX-License-Identifier: ISC
-- fblscope schema 16: complaints by sending network and by campaign.
--
-- The views an ESP works by (Google Postmaster Tools and Microsoft SNDS
-- show some of them, without knowing which customer a complaint is of):
-- per customer and for the ESP, the complaints of each sending network
-- and of each campaign.  The report reads daily aggregates only, so two
-- more are kept, in the same transaction as the rows they count
-- (fbl_views_apply in sql/definitions.sql, called by fbl_daily_apply for
-- ingest and reattribute, and by fbl_report_standing for reverify, as both
-- count by the standing):
--
--   daily_ip        per day, customer and network: a Source-IP inside
--                   the sending networks by its /24 (IPv4) or /48 (IPv6),
--                   one outside them as 'outside', none as ''
--                   (fbl_source_network);
--   daily_campaign  per day, customer and campaign id: Feedback-ID and
--                   CFBL-Feedback-ID, of complaints attributed to a
--                   customer, an id only when a verified signature of the
--                   ESP token or of a customer covers it (fbl_campaigns).
--
-- A report's Source-IP and Feedback-ID are written by whoever sends it, so
-- neither is a key as it stands: an address outside the ESP's networks
-- adds no row of its own, and no id comes in that the customer did not
-- sign.  Both tables are therefore bounded by the ESP's networks and the
-- customers' campaigns, not by the reports (docs/security.md).
--
-- What a report row and its signature rows keep for them, written by
-- ingest (fbl/store/record.h): report.source_prefix, the /24 or /48 its
-- Source-IP lies in (a fact of the address; whether it is inside the
-- sending networks stays source_ip_in_esp's, which reattribute keeps up to
-- date); signature.covers_feedback_id and covers_cfbl, whether its h=
-- covers the original's Feedback-ID, resp. its CFBL-Feedback-ID with d=
-- aligned to CFBL-Address (facts of the signature); and, derived from
-- those and the verdicts as the standing is (fbl_campaign_verified, again
-- by reverify), report.feedback_id_verified and cfbl_verified: a signature
-- covering the id is verified.  Complaints stored before this schema get
-- their source_prefix here, from the address as PostgreSQL reads it (an
-- address it does not read, which the C parser might have, stays without:
-- counted under ''); what their signatures covered is not known, so their
-- Feedback-ID counts when the ESP token's signature verified, their
-- CFBL-Feedback-ID by cfbl_signed (fbl_campaigns).

ALTER TABLE report
    ADD COLUMN source_prefix text CHECK (length(source_prefix) <= 64),
    ADD COLUMN feedback_id_verified boolean,
    ADD COLUMN cfbl_verified boolean;
COMMENT ON COLUMN report.source_prefix IS
    'the /24 (IPv4) or /48 (IPv6) network of source_ip; NULL: none';
COMMENT ON COLUMN report.feedback_id_verified IS
    'a verified signature of the ESP token or a customer covers the '
    'original''s Feedback-ID; NULL: no Feedback-ID, or stored before '
    'schema 16';
COMMENT ON COLUMN report.cfbl_verified IS
    'a verified signature of the ESP token or a customer, aligned with '
    'CFBL-Address, covers the CFBL-Feedback-ID; NULL: none, or stored '
    'before schema 16';
ALTER TABLE signature
    ADD COLUMN covers_feedback_id boolean,
    ADD COLUMN covers_cfbl boolean;
COMMENT ON COLUMN signature.covers_feedback_id IS
    'h= covers the original''s Feedback-ID; NULL: stored before schema 16';
COMMENT ON COLUMN signature.covers_cfbl IS
    'h= covers the CFBL-Feedback-ID and d= aligns with CFBL-Address; NULL: '
    'stored before schema 16';

CREATE TABLE daily_ip (
    day          date   NOT NULL,
    customer_id  text   NOT NULL,           -- '' : none claimed
    network      text   NOT NULL,           -- fbl_source_network()
    complaints   bigint NOT NULL DEFAULT 0, -- class complaint
    attributed   bigint NOT NULL DEFAULT 0, -- ... counted in a rate
    CHECK (least(complaints, attributed) >= 0),
    PRIMARY KEY (day, customer_id, network)
);

CREATE TABLE daily_campaign (
    day          date   NOT NULL,
    customer_id  text   NOT NULL CHECK (customer_id <> ''),
    source       text   NOT NULL CHECK (source IN ('feedback-id', 'cfbl')),
    campaign     text   NOT NULL,
    complaints   bigint NOT NULL CHECK (complaints >= 0),
    PRIMARY KEY (day, customer_id, source, campaign)
);

-- The networks of the addresses stored, each address read once; the ones
-- PostgreSQL refuses (or that carry a prefix or a zone) stay without.
CREATE TEMP TABLE prefix_016 (source_ip text PRIMARY KEY,
    source_prefix text) ON COMMIT DROP;
DO $$
DECLARE
    ip   text;
    a    text;
    n    inet;
BEGIN
    FOR ip IN SELECT DISTINCT source_ip FROM report
               WHERE complaint AND source_ip IS NOT NULL LOOP
        a := btrim(ip, E' \t');
        IF a LIKE '[%]' THEN
            a := substr(a, 2, length(a) - 2);
        END IF;
        IF lower(a) LIKE 'ipv6:%' THEN
            a := substr(a, 6);
        END IF;
        n := NULL;
        IF a ~ '^[0-9A-Fa-f:.]{2,45}$' THEN
            BEGIN
                n := a::inet;
                -- an IPv4-mapped IPv6 address is the IPv4 address
                IF family(n) = 6 AND n << '::ffff:0:0/96'::inet THEN
                    n := substring(host(n) FROM '([0-9.]+)$')::inet;
                END IF;
                n := network(set_masklen(n,
                    CASE family(n) WHEN 4 THEN 24 ELSE 48 END));
            EXCEPTION WHEN data_exception THEN
                n := NULL;
            END;
        END IF;
        INSERT INTO prefix_016 VALUES (ip, n::cidr::text);
    END LOOP;
END;
$$;
UPDATE report r SET source_prefix = p.source_prefix
  FROM prefix_016 p
 WHERE r.complaint AND r.source_ip = p.source_ip
   AND p.source_prefix IS NOT NULL;

-- The complaints stored, counted as fbl_views_apply counts them.
INSERT INTO daily_ip (day, customer_id, network, complaints, attributed)
SELECT r.msg_day, coalesce(r.customer_id, ''),
       fbl_source_network(r.source_prefix, r.source_ip_in_esp), count(*),
       sum(n.attributed)
  FROM report r,
       LATERAL fbl_customer_counts(r.kind, coalesce(r.feedback_type, ''),
           r.esp_state, r.customer_state, r.authenticity) n
 WHERE r.complaint AND n.complaints = 1
 GROUP BY 1, 2, 3;

INSERT INTO daily_campaign (day, customer_id, source, campaign, complaints)
SELECT r.msg_day, coalesce(r.customer_id, ''), c.source, c.campaign,
       count(*)
  FROM report r,
       LATERAL fbl_customer_counts(r.kind, coalesce(r.feedback_type, ''),
           r.esp_state, r.customer_state, r.authenticity) n,
       LATERAL fbl_campaigns(coalesce(r.customer_id, ''), n.attributed,
           r.feedback_id, r.feedback_id_verified, r.esp_state,
           r.cfbl_feedback_id, r.cfbl_verified, r.cfbl_signed) c
 WHERE r.complaint AND n.complaints = 1
 GROUP BY 1, 2, 3, 4;
