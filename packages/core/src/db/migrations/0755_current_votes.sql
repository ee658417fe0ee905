-- The records library (issue 16) reads each record's state for every request: how many current
-- votes a record has at a stage, and whether the viewer's own latest vote stands. Derived from the
-- decisions log on each request, that is a sort of every decision of the review. These are the same
-- derivations, kept by the database in the transaction that appends the decision (a trigger, so
-- every writer is covered: the vote path, undo, seeds and any later one), and filled here for the
-- reviews that exist. The log stays the source of truth: rebuild_current_votes() derives both again.

-- Each person's latest decision per record, stage and role (a retraction included, as 'retract').
CREATE TABLE current_votes (
  review_id uuid NOT NULL REFERENCES reviews(id),
  record_id uuid NOT NULL REFERENCES records(id),
  stage text NOT NULL CHECK (stage IN ('title-abstract', 'full-text')),
  reviewer_id uuid NOT NULL REFERENCES users(id),
  role text NOT NULL CHECK (role IN ('reviewer', 'adjudicator')),
  vote text NOT NULL CHECK (vote IN ('include', 'exclude', 'maybe', 'retract')),
  decision_id bigint NOT NULL,
  PRIMARY KEY (record_id, stage, reviewer_id, role)
);
-- One viewer's own votes (the library joins them to tell "awaiting my vote" from "being screened").
CREATE INDEX current_votes_viewer ON current_votes (review_id, reviewer_id, stage, record_id);

-- Reviewers whose latest screening vote on the record at this stage stands (not retracted).
ALTER TABLE stage_records ADD COLUMN vote_count integer NOT NULL DEFAULT 0;

-- What one adjudicator resolved (the library's "adjudicated by me").
CREATE INDEX resolutions_adjudicator ON resolutions (review_id, adjudicator_id, stage);

CREATE FUNCTION current_votes_follow() RETURNS trigger AS $$
BEGIN
  INSERT INTO current_votes (review_id, record_id, stage, reviewer_id, role, vote, decision_id)
  VALUES (NEW.review_id, NEW.record_id, NEW.stage, NEW.reviewer_id, NEW.role, NEW.vote, NEW.id)
  ON CONFLICT (record_id, stage, reviewer_id, role) DO UPDATE
    SET vote = EXCLUDED.vote, decision_id = EXCLUDED.decision_id
    WHERE current_votes.decision_id < EXCLUDED.decision_id;
  IF NEW.role = 'reviewer' THEN
    -- Lock the stage row first, then count in a new statement: a concurrent vote by another
    -- reviewer on the same record has committed by then, so the count includes it.
    PERFORM 1 FROM stage_records WHERE record_id = NEW.record_id AND stage = NEW.stage FOR UPDATE;
    UPDATE stage_records SET vote_count = (
      SELECT count(*) FROM current_votes c
       WHERE c.record_id = NEW.record_id AND c.stage = NEW.stage AND c.role = 'reviewer' AND c.vote <> 'retract')
     WHERE record_id = NEW.record_id AND stage = NEW.stage;
  END IF;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER decisions_current_votes AFTER INSERT ON decisions
  FOR EACH ROW EXECUTE FUNCTION current_votes_follow();

-- A record entering a stage after votes on it exist (not a path today) still starts with its count.
CREATE FUNCTION stage_records_vote_count() RETURNS trigger AS $$
BEGIN
  NEW.vote_count := (SELECT count(*) FROM current_votes c
                      WHERE c.record_id = NEW.record_id AND c.stage = NEW.stage AND c.role = 'reviewer'
                        AND c.vote <> 'retract');
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER stage_records_vote_count BEFORE INSERT ON stage_records
  FOR EACH ROW EXECUTE FUNCTION stage_records_vote_count();

-- Derives both from the decisions log for one review (or all, with NULL): the migration's fill, and
-- the repair if a row were ever in doubt.
CREATE FUNCTION rebuild_current_votes(review uuid) RETURNS void AS $$
BEGIN
  DELETE FROM current_votes WHERE review IS NULL OR review_id = review;
  INSERT INTO current_votes (review_id, record_id, stage, reviewer_id, role, vote, decision_id)
  SELECT DISTINCT ON (record_id, stage, reviewer_id, role) review_id, record_id, stage, reviewer_id, role, vote, id
    FROM decisions WHERE review IS NULL OR review_id = review
   ORDER BY record_id, stage, reviewer_id, role, id DESC;
  UPDATE stage_records s SET vote_count = (
    SELECT count(*) FROM current_votes c
     WHERE c.record_id = s.record_id AND c.stage = s.stage AND c.role = 'reviewer' AND c.vote <> 'retract')
   WHERE review IS NULL OR s.review_id = review;
END;
$$ LANGUAGE plpgsql;

SELECT rebuild_current_votes(NULL);
