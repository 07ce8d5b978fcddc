-- SPDX-License-Identifier: ISC
-- fblscope schema 11: reverify backs off a temperror that stays one.
--
-- A DNS failure is retried by `fblscope reverify`, but not at every run
-- for ever: tries counts the retries that still met a temperror, and
-- next_try is when the next one may run (15 minutes, doubling up to a day,
-- fbl/store/reverify.c).  A message older than reverify's --max-age (14
-- days by default) is not retried at all; its summary says how many.

ALTER TABLE signature_facts
    ADD COLUMN tries smallint NOT NULL DEFAULT 0 CHECK (tries >= 0),
    ADD COLUMN next_try timestamptz;
