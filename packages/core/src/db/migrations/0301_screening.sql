-- Screening (issue 5): stage configuration, records in stages, assignments, append-only decisions,
-- reconciliations, conflicts and resolutions, full-text retrieval, calibration pilots.

-- Per review and stage; the JSON is validated by stageConfigSchema in @winnow/screening.
CREATE TABLE stage_configs (
  review_id uuid NOT NULL REFERENCES reviews(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  config jsonb NOT NULL DEFAULT '{}'::jsonb,
  -- Null while a calibration pilot holds the stage closed; routing only serves open stages' records.
  opened_at timestamptz DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (review_id, stage)
);

-- A record's place in a stage and its current (derived) state. The log of how it got there is in
-- decisions, resolutions and reconciliations; this row is the cache the queue pages read.
CREATE TABLE stage_records (
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_id uuid NOT NULL REFERENCES records(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  status text NOT NULL DEFAULT 'awaiting-votes'
    CHECK (status IN ('awaiting-votes', 'advanced', 'excluded', 'conflict')),
  outcome jsonb,
  basis_seq bigint NOT NULL DEFAULT 0,
  -- Pilot records need a vote from every reviewer; null means the stage's votesNeeded.
  votes_needed integer,
  pilot boolean NOT NULL DEFAULT false,
  entered_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (record_id, stage)
);
CREATE INDEX stage_records_review ON stage_records (review_id, stage, status);

-- The unique key is the routing invariant: one reviewer never gets the same record twice at a
-- stage, and a routing job that runs again after a crash inserts nothing new.
CREATE TABLE assignments (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_id uuid NOT NULL REFERENCES records(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  reviewer_id uuid NOT NULL REFERENCES users(id),
  position integer NOT NULL DEFAULT 0,
  state text NOT NULL DEFAULT 'open' CHECK (state IN ('open', 'done', 'revoked')),
  created_at timestamptz NOT NULL DEFAULT now(),
  done_at timestamptz,
  UNIQUE (record_id, stage, reviewer_id)
);
CREATE INDEX assignments_queue ON assignments (review_id, stage, reviewer_id, state, position);

-- One row per vote event; a change is a new row, an undo is a 'retract' row. id orders them.
CREATE TABLE decisions (
  id bigserial PRIMARY KEY,
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_id uuid NOT NULL REFERENCES records(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  reviewer_id uuid NOT NULL REFERENCES users(id),
  -- 'adjudicator': the third reviewer's own blind vote on a conflict; it does not count as a screening vote.
  role text NOT NULL DEFAULT 'reviewer' CHECK (role IN ('reviewer', 'adjudicator')),
  vote text NOT NULL CHECK (vote IN ('include', 'exclude', 'maybe', 'retract')),
  reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
  labels jsonb NOT NULL DEFAULT '[]'::jsonb,
  note text,
  previous_vote text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX decisions_record ON decisions (record_id, stage, id);
CREATE INDEX decisions_review ON decisions (review_id, stage, id);
CREATE TRIGGER decisions_no_update BEFORE UPDATE OR DELETE ON decisions
  FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TABLE conflicts (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_id uuid NOT NULL REFERENCES records(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  kind text NOT NULL CHECK (kind IN ('disagreement', 'maybe')),
  status text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'resolved', 'superseded')),
  opened_basis_seq bigint NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
-- At most one open conflict per record and stage, whatever number of workers reconcile it.
CREATE UNIQUE INDEX conflicts_one_open ON conflicts (record_id, stage) WHERE status = 'open';
CREATE INDEX conflicts_review ON conflicts (review_id, stage, status);

-- Resolutions share the decisions sequence, so "a vote after the resolution" is a plain comparison.
CREATE TABLE resolutions (
  id bigint PRIMARY KEY DEFAULT nextval('decisions_id_seq'),
  conflict_id uuid NOT NULL REFERENCES conflicts(id),
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_id uuid NOT NULL REFERENCES records(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  adjudicator_id uuid NOT NULL REFERENCES users(id),
  vote text NOT NULL CHECK (vote IN ('include', 'exclude')),
  reasons jsonb NOT NULL DEFAULT '[]'::jsonb,
  note text,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX resolutions_record ON resolutions (record_id, stage, id);
CREATE TRIGGER resolutions_no_update BEFORE UPDATE OR DELETE ON resolutions
  FOR EACH ROW EXECUTE FUNCTION events_append_only();

-- Every outcome change, once: the unique key makes concurrent reconcilers of the same votes write one row.
CREATE TABLE reconciliations (
  id bigserial PRIMARY KEY,
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_id uuid NOT NULL REFERENCES records(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  basis_seq bigint NOT NULL,
  outcome jsonb NOT NULL,
  explanation text NOT NULL,
  reopened boolean NOT NULL DEFAULT false,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (record_id, stage, basis_seq)
);
CREATE INDEX reconciliations_review ON reconciliations (review_id, stage, id);

-- Full text: attach a file (its bytes in core's blobs table), record a URL, or mark "not retrieved" (PRISMA "reports not retrieved").
CREATE TABLE report_retrievals (
  id bigserial PRIMARY KEY,
  review_id uuid NOT NULL REFERENCES reviews(id),
  report_id uuid NOT NULL REFERENCES reports(id),
  kind text NOT NULL CHECK (kind IN ('file', 'url', 'not-retrieved')),
  detail jsonb NOT NULL,
  -- Withdrawing a wrong attachment is a new row pointing at the old one.
  withdraws bigint REFERENCES report_retrievals(id),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX report_retrievals_report ON report_retrievals (report_id, id);
CREATE TRIGGER report_retrievals_no_update BEFORE UPDATE OR DELETE ON report_retrievals
  FOR EACH ROW EXECUTE FUNCTION events_append_only();

CREATE TABLE calibrations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  config jsonb NOT NULL,
  record_ids jsonb NOT NULL,
  status text NOT NULL DEFAULT 'running' CHECK (status IN ('running', 'passed', 'cancelled')),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  closed_at timestamptz
);
CREATE UNIQUE INDEX calibrations_one_running ON calibrations (review_id, stage) WHERE status = 'running';
