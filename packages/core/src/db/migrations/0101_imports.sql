-- Ingest: an import reads its uploaded file from a blob, so any worker on any machine can run it;
-- the requested format / column mapping are kept for retries; diagnostics are counted in full
-- (the warnings/errors lists keep only the first ones).
ALTER TABLE imports ADD COLUMN blob_id uuid REFERENCES blobs(id);
ALTER TABLE imports ADD COLUMN requested_format text;
ALTER TABLE imports ADD COLUMN column_mapping jsonb;
ALTER TABLE imports ADD COLUMN forced boolean NOT NULL DEFAULT false;
ALTER TABLE imports ADD COLUMN warning_count integer NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN error_count integer NOT NULL DEFAULT 0;
CREATE INDEX records_import ON records (import_id, source_index);
