-- Dedup asks each question once (issue 15): a review question is about two groups (a group may
-- be one record), named here as they were when it was asked, so one answer settles every record
-- pair across them. The answer event names the same groups.
ALTER TABLE dedup_review_pairs ADD COLUMN covers_a uuid[] NOT NULL DEFAULT '{}';
ALTER TABLE dedup_review_pairs ADD COLUMN covers_b uuid[] NOT NULL DEFAULT '{}';

-- Every candidate pair kept after blocking and scoring by the latest run, with what became of it,
-- for the pair export. Rebuilt by each dedup.run; a person's answer updates the pairs it covers.
CREATE TABLE dedup_pairs (
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_a uuid NOT NULL REFERENCES records(id),
  record_b uuid NOT NULL REFERENCES records(id),
  status text NOT NULL CHECK (status IN ('auto-merged', 'pending', 'same', 'different')),
  score real NOT NULL,
  reason text NOT NULL,
  PRIMARY KEY (review_id, record_a, record_b)
);
