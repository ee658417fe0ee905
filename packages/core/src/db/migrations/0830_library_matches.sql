-- The records a search matches, found through the GIN index of their search vectors, never by
-- reading every vector. The planner prices a scan of library_search by its heap (a few dozen bytes
-- a row) and does not know that testing a row reads its vector from TOAST: for a word in most of a
-- review's records it chose to scan the table, which reads every vector (a query matching 90,897
-- of 100,000 records: 315 ms), where the index finds the same records without reading one (20-26
-- ms; PostgreSQL, in-sample). The index is the only way here: the function plans its one query
-- without sequential scans. PL/pgSQL, so that PostgreSQL may still run the query with parallel
-- workers (a phrase's matches are checked against their vectors: 16,847 in 52-63 ms this way).
CREATE FUNCTION library_matches(review uuid, query tsquery) RETURNS SETOF uuid AS $$
BEGIN
  RETURN QUERY SELECT s.record_id FROM library_search s
                WHERE s.review_id = review AND s.search_vector @@ query;
END;
$$ LANGUAGE plpgsql STABLE SET enable_seqscan = off;
