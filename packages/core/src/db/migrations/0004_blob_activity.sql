-- A blob left incomplete by a crash mid-upload is swept once it has seen no chunk for a while
-- (issue 21). The age is counted from the last chunk written, not from the start, so a slow upload
-- still in progress is never taken for an abandoned one.
ALTER TABLE blobs ADD COLUMN touched_at timestamptz NOT NULL DEFAULT now();
CREATE INDEX blobs_incomplete_touched ON blobs (touched_at) WHERE NOT complete;
