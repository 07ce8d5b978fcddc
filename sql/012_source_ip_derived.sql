-- SPDX-License-Identifier: ISC
-- fblscope schema 12: where a report's Source-IP came from.
--
-- A complaint whose report gives no Source-IP (Microsoft JMRP) gets one
-- derived from its provider's documented places (fbl/feedback/
-- arf_source_ip.c, docs/arf.md): 'subject' (JMRP's "complaint about
-- message from IP"), 'received' (the provider's own Received field of the
-- original).  NULL when source_ip is the report's own field, or absent.
-- Rows stored before this migration keep NULL: they had no derived
-- address.

ALTER TABLE report
    ADD COLUMN source_ip_derived text
        CHECK (source_ip_derived IN ('subject', 'received'));
