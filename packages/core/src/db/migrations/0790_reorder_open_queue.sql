-- A retrain puts each reviewer's open queue in its model's order. That took six round trips a
-- reviewer (begin, the review's retrain lock, the latest model's id, the queue locked and read, the
-- new positions written, commit): 300 statements a retrain with 50 reviewers, a retrain every few
-- settled records. This function does the write side in one statement, which is its own transaction:
-- the lock, the check that no newer model was saved meanwhile (a statement of a PL/pgSQL function
-- sees what committed before it ran, so it sees a model saved while it waited for the lock), and the
-- queue's new positions, given by assignment id as the caller read the queue. An assignment no longer
-- open (voted meanwhile) or no longer this reviewer's (moved by load balancing) is skipped; one that
-- routing appended since keeps its place after the others, one moved in keeps the position it came
-- with, until the next retrain. Only positions that change are written. Returns the number of
-- positions given, or NULL when it gave way to a newer model.
-- The update is planned for the positions it is given (a custom plan) and finds its rows by their
-- primary key: the generic plan PL/pgSQL switches to after five calls guessed ten positions and, with
-- the reviewer as a condition an index could take, read the reviewer's queue once (guessing one row)
-- and all the positions again for each of its rows: 100 million comparisons for a queue of 10,000
-- (25 s). The reviewer is checked on each row found (IS TRUE keeps it out of any index condition).
CREATE FUNCTION reorder_open_queue(lock_key text, model bigint, review uuid, stage_name text,
                                   reviewer uuid, ids uuid[], positions integer[]) RETURNS integer
SET plan_cache_mode = force_custom_plan AS $$
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(lock_key));
  IF (SELECT max(id) FROM prioritisation_models WHERE review_id = review AND stage = stage_name)
     IS DISTINCT FROM model THEN
    RETURN NULL;
  END IF;
  UPDATE assignments a SET position = v.position
    FROM unnest(ids, positions) AS v(id, position)
   WHERE a.id = v.id AND a.state = 'open' AND (a.reviewer_id = reviewer) IS TRUE
     AND a.position IS DISTINCT FROM v.position;
  RETURN cardinality(ids);
END;
$$ LANGUAGE plpgsql;
