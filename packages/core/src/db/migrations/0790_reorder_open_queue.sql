-- A retrain puts each reviewer's open queue in its model's order. That took six round trips a
-- reviewer (begin, the review's retrain lock, the latest model's id, the queue locked and read, the
-- new positions written, commit): 300 statements a retrain with 50 reviewers, a retrain every few
-- settled records. This function does the write side in one statement, which is its own transaction:
-- the lock, the check that no newer model was saved meanwhile (a statement of a PL/pgSQL function
-- sees what committed before it ran, so it sees a model saved while it waited for the lock), and the
-- queue's positions. `ordered` is the queue's records in the new order, as read before the call; a
-- record that joined the queue since keeps its place after them, one that left it is skipped. Only
-- positions that change are written. Returns the number of records in the queue (0 for fewer than
-- two), or NULL when it gave way to a newer model.
CREATE FUNCTION reorder_open_queue(lock_key text, model bigint, review uuid, stage_name text,
                                   reviewer uuid, ordered uuid[]) RETURNS integer AS $$
DECLARE
  queued integer;
BEGIN
  PERFORM pg_advisory_xact_lock(hashtext(lock_key));
  IF (SELECT max(id) FROM prioritisation_models WHERE review_id = review AND stage = stage_name)
     IS DISTINCT FROM model THEN
    RETURN NULL;
  END IF;
  WITH queue AS MATERIALIZED (
         SELECT a.id, a.position, o.k
           FROM (SELECT id, record_id, position FROM assignments
                  WHERE review_id = review AND stage = stage_name AND reviewer_id = reviewer AND state = 'open'
                  FOR UPDATE) a
           LEFT JOIN unnest(ordered) WITH ORDINALITY AS o(record_id, k) ON o.record_id = a.record_id),
       wanted AS (
         SELECT id, min(position) OVER () + row_number() OVER (ORDER BY k NULLS LAST, position, id) - 1 AS position
           FROM queue),
       moved AS (
         UPDATE assignments a SET position = w.position FROM wanted w
          WHERE a.id = w.id AND a.position IS DISTINCT FROM w.position)
  SELECT count(*)::int INTO queued FROM queue;
  IF queued < 2 THEN
    RETURN 0;
  END IF;
  RETURN queued;
END;
$$ LANGUAGE plpgsql;
