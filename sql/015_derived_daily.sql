-- SPDX-License-Identifier: ISC
-- fblscope schema 15: daily_complaint and daily_signature derived from the
-- rows, no longer kept by every ingest.
--
-- Since schema 8 the report reads daily_customer, daily_verification and
-- daily_key; daily_complaint and daily_signature, which grow with the
-- complaints, were read by no command any more, yet every ingest upserted
-- both (two of the six daily upserts per complaint, a third of the
-- database's time storing a batch: docs/bench.md), and reverify and
-- reattribute moved their counts.  The tables go; sql/definitions.sql
-- defines views of the same names and columns, counted from the report and
-- signature rows when read, for dashboards and report_complaint (a
-- dashboard filtering on day reads that day's rows only).  A view has no
-- row counting zero, as the tables had none after fbl_daily_prune().
--
-- fblscope's own views over either table go first, in one statement
-- (report_complaint; report_data_start as schemas 13 and 14 defined it;
-- whatever an older sql/definitions.sql made): sql/definitions.sql makes
-- them again, over the new views.  A dashboard's own view over either
-- table stops this migration (no CASCADE): drop it, then migrate, then
-- make it again.

DO $$
DECLARE
    views text;
BEGIN
    SELECT string_agg(DISTINCT format('%I', c.relname), ', ')
      INTO views
      FROM pg_depend d
      JOIN pg_rewrite r ON r.oid = d.objid
      JOIN pg_class c ON c.oid = r.ev_class
      JOIN pg_class t ON t.oid = d.refobjid
     WHERE t.relname IN ('daily_complaint', 'daily_signature')
       AND c.relkind = 'v' AND c.relname LIKE 'report\_%'
       AND c.relnamespace = t.relnamespace;
    IF views IS NOT NULL THEN
        EXECUTE 'DROP VIEW ' || views;
    END IF;
END
$$;
DROP TABLE daily_complaint;
DROP TABLE daily_signature;
