-- Dedup state for each review, rebuilt by every dedup.run from the records and the manual
-- decision events (dedup.merged / dedup.marked-distinct / dedup.split with data.manual = true).
-- Only the events are the source of truth for reviewers' and leads' decisions; these tables are
-- the current result, for the review queue, the groups page and the duplicates export.

CREATE TABLE dedup_groups (
  review_id uuid NOT NULL REFERENCES reviews(id),
  group_id text NOT NULL,
  kept_id uuid NOT NULL REFERENCES records(id),
  canonical jsonb NOT NULL,
  provenance jsonb NOT NULL,
  sources jsonb NOT NULL,
  PRIMARY KEY (review_id, group_id)
);

CREATE TABLE dedup_members (
  record_id uuid PRIMARY KEY REFERENCES records(id),
  review_id uuid NOT NULL REFERENCES reviews(id),
  group_id text NOT NULL,
  kept boolean NOT NULL,
  tier text NOT NULL CHECK (tier IN ('certain', 'uncertain', 'distinct')),
  score real NOT NULL,
  reason text NOT NULL
);
CREATE INDEX dedup_members_group ON dedup_members (review_id, group_id);

CREATE TABLE dedup_review_pairs (
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_a uuid NOT NULL REFERENCES records(id),
  record_b uuid NOT NULL REFERENCES records(id),
  score real NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (review_id, record_a, record_b)
);

CREATE TABLE dedup_runs (
  id bigserial PRIMARY KEY,
  review_id uuid NOT NULL REFERENCES reviews(id),
  job_id text,
  stats jsonb NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX dedup_runs_review ON dedup_runs (review_id, id);
