-- Review-wide tags on records (issue 16): "background", "check later", "ask the lead" and the
-- team's own. The events record.tagged / record.untagged are the log; this table is the current
-- set, written in the same transaction.
CREATE TABLE review_tags (
  review_id uuid NOT NULL REFERENCES reviews(id),
  name text NOT NULL CHECK (length(name) BETWEEN 1 AND 60),
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (review_id, name)
);

CREATE TABLE record_tags (
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_id uuid NOT NULL REFERENCES records(id),
  name text NOT NULL,
  added_by uuid REFERENCES users(id),
  added_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (record_id, name)
);
CREATE INDEX record_tags_review ON record_tags (review_id, name);
