-- Uploaded files (exports, PDFs) live in the database, in chunks, so that workers on any machine
-- can read them and a backup of the database is a backup of everything.
CREATE TABLE blobs (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid REFERENCES reviews(id),
  file_name text NOT NULL,
  media_type text NOT NULL DEFAULT 'application/octet-stream',
  bytes bigint NOT NULL DEFAULT 0,
  sha256 text,
  complete boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE blob_chunks (
  blob_id uuid NOT NULL REFERENCES blobs(id) ON DELETE CASCADE,
  seq integer NOT NULL,
  data bytea NOT NULL,
  PRIMARY KEY (blob_id, seq)
);
