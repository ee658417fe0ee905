-- The same file uploaded twice at the same instant must give one import. The check in the import
-- request is read-then-insert, so two concurrent requests can both pass it; this index makes the
-- database refuse the second. Forced re-imports (`--force`) stay allowed.
CREATE UNIQUE INDEX imports_one_per_content ON imports (review_id, content_hash) WHERE NOT forced;
