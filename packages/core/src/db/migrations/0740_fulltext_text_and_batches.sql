-- Text of each attached full text, read by the fulltext.extract job (issue 19): a status per file
-- and the text per page. Derived from the blob's bytes, so it can be rebuilt at any time; a file
-- with no text layer (a scan) is 'no-text-layer', never an empty 'read'.
CREATE TABLE fulltext_texts (
  blob_id uuid PRIMARY KEY REFERENCES blobs(id) ON DELETE CASCADE,
  review_id uuid NOT NULL REFERENCES reviews(id),
  status text NOT NULL CHECK (status IN ('read', 'no-text-layer', 'failed')),
  page_count integer,
  pages_read integer,
  message text,
  read_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE fulltext_pages (
  blob_id uuid NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
  page integer NOT NULL CHECK (page >= 1),
  text text NOT NULL,
  PRIMARY KEY (blob_id, page)
);

-- Bulk uploads of full texts: one batch per drop (or CLI run), one row per PDF in it (a zip adds
-- one row per PDF inside). The fulltext.match job fills in each file's outcome.
CREATE TABLE fulltext_batches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'matching', 'done')),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX fulltext_batches_review ON fulltext_batches (review_id, created_at);
CREATE TABLE fulltext_batch_files (
  batch_id uuid NOT NULL REFERENCES fulltext_batches(id) ON DELETE CASCADE,
  position integer NOT NULL,
  file_name text NOT NULL,
  blob_id uuid REFERENCES blobs(id) ON DELETE SET NULL,
  sha256 text,
  outcome text NOT NULL DEFAULT 'pending'
    CHECK (outcome IN ('pending', 'attached', 'ambiguous', 'unmatched', 'duplicate', 'failed')),
  matched_by text,
  report_id uuid REFERENCES reports(id),
  candidates jsonb NOT NULL DEFAULT '[]',
  message text,
  PRIMARY KEY (batch_id, position)
);
