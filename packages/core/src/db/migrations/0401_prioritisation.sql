-- Prioritisation (issue 6): per-review settings, trained models with the stopping test at that
-- point, and the rankings they produced (one shared, one per reviewer).

CREATE TABLE prioritisation_settings (
  review_id uuid NOT NULL REFERENCES reviews(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  settings jsonb NOT NULL DEFAULT '{}'::jsonb,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (review_id, stage)
);

-- One row per retraining. basis_seq is the highest decision/resolution id the labels were read up
-- to: a retrain job that runs twice on the same votes writes one row.
CREATE TABLE prioritisation_models (
  id bigserial PRIMARY KEY,
  review_id uuid NOT NULL REFERENCES reviews(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  basis_seq bigint NOT NULL,
  classifier text NOT NULL,
  records integer NOT NULL,
  labelled integer NOT NULL,
  relevant integer NOT NULL,
  -- The Callaghan & Mueller-Hansen test on the settled records in screening order.
  stopping jsonb,
  created_at timestamptz NOT NULL DEFAULT now(),
  UNIQUE (review_id, stage, basis_seq)
);
CREATE INDEX prioritisation_models_latest ON prioritisation_models (review_id, stage, id);

-- Scores per record as one JSON object ({recordId: score}). reviewer_id null: the shared ranking
-- from settled labels only; otherwise settled labels plus that reviewer's own votes, so one
-- reviewer's ranking never reflects another's unsettled votes (blinding).
CREATE TABLE prioritisation_rankings (
  model_id bigint NOT NULL REFERENCES prioritisation_models(id),
  reviewer_id uuid REFERENCES users(id),
  scores jsonb NOT NULL
);
CREATE UNIQUE INDEX prioritisation_rankings_key ON prioritisation_rankings (model_id, (coalesce(reviewer_id, '00000000-0000-0000-0000-000000000000'::uuid)));
