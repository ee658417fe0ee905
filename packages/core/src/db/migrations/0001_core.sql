-- Core model shared by every package. Feature migrations use their own number ranges:
-- 01xx ingest, 02xx dedup, 03xx screening, 04xx prioritisation, 05xx prisma, 06xx extraction, 07xx accounts.

CREATE TABLE reviews (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
  title text NOT NULL,
  description text NOT NULL DEFAULT '',
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE users (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  email text NOT NULL UNIQUE,
  name text NOT NULL,
  password_hash text,
  created_at timestamptz NOT NULL DEFAULT now(),
  disabled_at timestamptz
);

CREATE TABLE members (
  review_id uuid NOT NULL REFERENCES reviews(id),
  user_id uuid NOT NULL REFERENCES users(id),
  role text NOT NULL CHECK (role IN ('lead', 'reviewer', 'adjudicator', 'viewer')),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (review_id, user_id, role)
);

-- A search (PRISMA-S): one source searched on one date with one strategy; imports belong to it.
CREATE TABLE searches (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  source_name text NOT NULL,
  source_kind text NOT NULL DEFAULT 'database'
    CHECK (source_kind IN ('database', 'register', 'website', 'organisation', 'citation', 'other')),
  platform text,
  searched_on date,
  strategy text,
  limits text,
  records_reported integer,
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE imports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  search_id uuid REFERENCES searches(id),
  file_name text NOT NULL,
  content_hash text NOT NULL,
  format text,
  status text NOT NULL DEFAULT 'pending' CHECK (status IN ('pending', 'complete', 'failed')),
  record_count integer NOT NULL DEFAULT 0,
  warnings jsonb NOT NULL DEFAULT '[]'::jsonb,
  errors jsonb NOT NULL DEFAULT '[]'::jsonb,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  completed_at timestamptz
);
CREATE INDEX imports_review_hash ON imports (review_id, content_hash);

-- One title/abstract entry as it came from one source export.
CREATE TABLE records (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  import_id uuid NOT NULL REFERENCES imports(id),
  source_index integer NOT NULL,
  source_line integer,
  title text NOT NULL DEFAULT '',
  year integer,
  doi text,
  pmid text,
  data jsonb NOT NULL,
  raw text NOT NULL,
  -- Maintained from merge events by dedup: the record this one duplicates (null: kept/unique).
  duplicate_of uuid REFERENCES records(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (import_id, source_index)
);
CREATE INDEX records_review ON records (review_id);
CREATE INDEX records_doi ON records (review_id, doi) WHERE doi IS NOT NULL;
CREATE INDEX records_pmid ON records (review_id, pmid) WHERE pmid IS NOT NULL;

-- What is included; one study can have several reports.
CREATE TABLE studies (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  label text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);

-- One document; sought and assessed at full text. record_id: the screened record it came from.
CREATE TABLE reports (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_id uuid REFERENCES records(id),
  study_id uuid REFERENCES studies(id),
  title text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX reports_review ON reports (review_id);
CREATE UNIQUE INDEX reports_record ON reports (record_id) WHERE record_id IS NOT NULL;

-- The append-only log: every decision, merge and import. Counts are derived from it.
CREATE TABLE events (
  id bigserial PRIMARY KEY,
  review_id uuid REFERENCES reviews(id),
  type text NOT NULL,
  actor_id uuid REFERENCES users(id),
  entity_type text NOT NULL,
  entity_id text NOT NULL,
  data jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Makes a retried job's writes idempotent: the same key is written once.
  idempotency_key text UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX events_review_type ON events (review_id, type);
CREATE INDEX events_entity ON events (entity_type, entity_id);

CREATE FUNCTION events_append_only() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'events is append-only: % refused', TG_OP;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON events
  FOR EACH ROW EXECUTE FUNCTION events_append_only();

-- Mirror of queued work for dashboards and access control; Redis holds only work in flight.
CREATE TABLE jobs (
  id text PRIMARY KEY,
  review_id uuid REFERENCES reviews(id),
  name text NOT NULL,
  state text NOT NULL DEFAULT 'queued'
    CHECK (state IN ('queued', 'active', 'completed', 'failed', 'retrying')),
  progress real NOT NULL DEFAULT 0,
  message text,
  payload jsonb NOT NULL DEFAULT '{}'::jsonb,
  result jsonb,
  error text,
  attempts integer NOT NULL DEFAULT 0,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX jobs_review ON jobs (review_id, created_at);
