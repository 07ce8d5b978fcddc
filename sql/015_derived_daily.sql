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
-- report_complaint reads daily_complaint: it goes first, and
-- sql/definitions.sql makes it again over the view.  A dashboard's own
-- view over either table stops this migration (no CASCADE): drop it, then
-- migrate, then make it again.

DROP VIEW IF EXISTS report_complaint;
DROP TABLE daily_complaint;
DROP TABLE daily_signature;
