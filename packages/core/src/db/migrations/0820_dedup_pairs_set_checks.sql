-- Every dedup run writes the review's candidate pairs again, one row each (migration 0710): on the
-- import bench's 54,642 records (each with 41 exact copies) 458,020 rows. Each row's three foreign
-- keys were checked row by row, a lookup and a row lock apiece: 8.6 s of the run's 21 s, 3.7 s
-- without them (PostgreSQL, in-sample). The pairs are derived data, written in one transaction by
-- the run that has just read those records of that review, and rebuilt by the next; what the keys
-- guarded is kept here instead: records are only ever deleted when an import fails, and a record
-- deleted takes its pairs with it (a statement trigger, one pass over the review's pairs), where
-- the key would have refused the delete.
ALTER TABLE dedup_pairs DROP CONSTRAINT IF EXISTS dedup_pairs_record_a_fkey;
ALTER TABLE dedup_pairs DROP CONSTRAINT IF EXISTS dedup_pairs_record_b_fkey;
ALTER TABLE dedup_pairs DROP CONSTRAINT IF EXISTS dedup_pairs_review_id_fkey;

CREATE FUNCTION dedup_pairs_records_removed() RETURNS trigger AS $$
BEGIN
  DELETE FROM dedup_pairs p
   WHERE p.review_id IN (SELECT DISTINCT review_id FROM removed)
     AND (p.record_a IN (SELECT id FROM removed) OR p.record_b IN (SELECT id FROM removed));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER records_dedup_pairs_removed AFTER DELETE ON records
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION dedup_pairs_records_removed();
