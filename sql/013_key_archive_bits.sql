-- SPDX-License-Identifier: ISC
-- fblscope schema 13: the size of each archived key.
--
-- The report's key hygiene shows the size of a key that DNS no longer
-- serves but the archive holds (rotated away), through a view that may not
-- show the key itself (fbl_report reads no key): so the size is kept
-- beside the record, as the verifier's parser reads it when the key is
-- archived (fbl/keys/keyarchive.c).  Keys archived before this schema have
-- none until they are archived again (`fblscope keys import` of the same
-- zone, or the ingest meeting the key in DNS): SQL cannot parse a key.

ALTER TABLE key_archive ADD COLUMN key_bits integer CHECK (key_bits > 0);
COMMENT ON COLUMN key_archive.key_bits IS
    'the key''s size in bits (256 for ed25519); NULL: archived before '
    'schema 13';
