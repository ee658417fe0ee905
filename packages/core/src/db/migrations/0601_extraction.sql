-- Extraction (issue 8): codebooks (immutable versions), coding assignments, append-only codings,
-- emergent codes, consensus records. Every change also lands in events.

-- One row per codebook version; a version never changes once written (codings point at it).
CREATE TABLE codebooks (
  review_id uuid NOT NULL REFERENCES reviews(id),
  codebook_id text NOT NULL,
  version integer NOT NULL CHECK (version >= 1),
  definition jsonb NOT NULL,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (review_id, codebook_id, version)
);
CREATE TRIGGER codebooks_no_update BEFORE UPDATE OR DELETE ON codebooks
  FOR EACH ROW EXECUTE FUNCTION events_append_only();

-- Which codebook the review codes against (its latest version) and how many coders per study.
CREATE TABLE extraction_settings (
  review_id uuid PRIMARY KEY REFERENCES reviews(id),
  codebook_id text NOT NULL,
  coders_per_study integer NOT NULL DEFAULT 2 CHECK (coders_per_study IN (1, 2)),
  updated_at timestamptz NOT NULL DEFAULT now()
);

-- The unique key keeps a re-run assignment job from handing a study to the same coder twice.
CREATE TABLE coding_assignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  study_id uuid NOT NULL REFERENCES studies(id),
  coder_id uuid NOT NULL REFERENCES users(id),
  position integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (study_id, coder_id)
);
CREATE INDEX coding_assignments_queue ON coding_assignments (review_id, coder_id, position);

-- Every save is a new row; the latest per (study, coder) is the coder's current coding.
CREATE TABLE codings (
  id bigserial PRIMARY KEY,
  review_id uuid NOT NULL REFERENCES reviews(id),
  study_id uuid NOT NULL REFERENCES studies(id),
  coder_id uuid NOT NULL REFERENCES users(id),
  codebook_id text NOT NULL,
  codebook_version integer NOT NULL,
  field_values jsonb NOT NULL,
  status text NOT NULL CHECK (status IN ('draft', 'submitted')),
  -- Set when a migration to a newer codebook version produced this row: what could not be carried.
  migration_losses jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX codings_study ON codings (study_id, coder_id, id);
CREATE INDEX codings_review ON codings (review_id, id);
CREATE TRIGGER codings_no_update BEFORE UPDATE OR DELETE ON codings
  FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TABLE emergent_codes (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  codebook_id text NOT NULL,
  codebook_version integer NOT NULL,
  field_key text NOT NULL,
  parent_key text,
  key text NOT NULL,
  label text NOT NULL,
  description text,
  proposed_by uuid NOT NULL REFERENCES users(id),
  study_id uuid REFERENCES studies(id),
  status text NOT NULL DEFAULT 'proposed' CHECK (status IN ('proposed', 'approved', 'rejected')),
  approved_in_version integer,
  decided_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  decided_at timestamptz
);
CREATE UNIQUE INDEX emergent_codes_key ON emergent_codes (review_id, codebook_id, field_key, key)
  WHERE status <> 'rejected';

-- Finalised consensus per study; a re-finalisation is a new row, the latest is current.
CREATE TABLE consensus_records (
  id bigserial PRIMARY KEY,
  review_id uuid NOT NULL REFERENCES reviews(id),
  study_id uuid NOT NULL REFERENCES studies(id),
  codebook_id text NOT NULL,
  codebook_version integer NOT NULL,
  field_values jsonb NOT NULL,
  differences jsonb NOT NULL,
  resolved_fields jsonb NOT NULL,
  coders jsonb NOT NULL,
  finalised_by uuid NOT NULL REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX consensus_records_study ON consensus_records (study_id, id);
CREATE TRIGGER consensus_records_no_update BEFORE UPDATE OR DELETE ON consensus_records
  FOR EACH ROW EXECUTE FUNCTION events_append_only();
