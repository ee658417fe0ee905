-- A search's matches with their rank, computed where each match is found: the records library's
-- search with no filter, sorted by relevance, ranks every match, and a lookup of each match's
-- vector by its key (what a filtered search does, for the records that pass) read 90,897 vectors in
-- about 650 ms. Ranked in the index's own scan, which PostgreSQL may split among parallel workers,
-- the same matches took 238-256 ms (PostgreSQL, in-sample). The rank is the library's: ts_rank with
-- its default weights. As library_matches (0830), through the GIN index only.
CREATE FUNCTION library_ranked_matches(review uuid, query tsquery) RETURNS TABLE (id uuid, rank real) AS $$
BEGIN
  RETURN QUERY SELECT s.record_id, ts_rank(s.search_vector, query) FROM library_search s
                WHERE s.review_id = review AND s.search_vector @@ query;
END;
$$ LANGUAGE plpgsql STABLE SET enable_seqscan = off;
