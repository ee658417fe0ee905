-- A file whose import failed may be uploaded again (renamed, or with its format chosen): the import
-- request's check skips failed imports for that. The index that backs the check (0701) still
-- counted them, so the retry reached the database and was refused there: the lead saw "something
-- went wrong on the server". It now holds only the imports the check counts.
DROP INDEX imports_one_per_content;
CREATE UNIQUE INDEX imports_one_per_content ON imports (review_id, content_hash) WHERE NOT forced AND status <> 'failed';
