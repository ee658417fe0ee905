-- The library's people columns follow an UPDATE of assignments only for rows whose state or
-- reviewer changed (a retrain rewrites positions alone). Migration 0780 found them by joining the
-- statement's old and new rows on id. A PL/pgSQL function keeps its plan for the session, and the
-- plan made for a vote's one-row update joined by comparing every new row with every old one: a
-- retrain then rewriting a queue of 10,000 positions compared 100 million pairs (7 s a reviewer,
-- with that reviewer's queue locked). The rows that changed are now the difference of the two
-- images as sets, which PostgreSQL computes by hashing or sorting whatever its estimate: a row
-- whose state or reviewer changed is in one image and not the other; one whose position alone
-- changed is in both.
CREATE OR REPLACE FUNCTION library_people_assignments_changed() RETURNS trigger AS $$
DECLARE
  ta uuid[];
  ft uuid[];
BEGIN
  WITH changed AS (
    (SELECT record_id, stage, state, reviewer_id FROM added
     EXCEPT SELECT record_id, stage, state, reviewer_id FROM removed)
    UNION
    (SELECT record_id, stage, state, reviewer_id FROM removed
     EXCEPT SELECT record_id, stage, state, reviewer_id FROM added))
  SELECT coalesce(array_agg(DISTINCT record_id) FILTER (WHERE stage = 'title-abstract'), '{}'),
         coalesce(array_agg(DISTINCT record_id) FILTER (WHERE stage = 'full-text'), '{}')
    INTO ta, ft
    FROM changed;
  PERFORM library_people_refresh(ta, 'title-abstract');
  PERFORM library_people_refresh(ft, 'full-text');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
