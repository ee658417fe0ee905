-- Search vectors stay on their row up to 8 KB instead of moving to TOAST past 2 KB. A phrase is
-- checked against the vector of every record holding its words, and a search sorted by relevance
-- ranks its records by their vectors: from TOAST each of those reads was a lookup in the TOAST
-- index and two chunk reads (8 buffer reads where the row itself is one). On the records library
-- bench's 100,000 records (vectors 2.2 KB on average: nearly all were in TOAST), PostgreSQL,
-- in-sample, old and new storage interleaved: a phrase in 20,000 records p50 429 -> 277 ms, four
-- words OR-ed 590 -> 442 ms, the issue's example query 241 -> 206 ms. What it costs: the table's
-- heap holds the vectors (33,000 pages instead of 1,100), so a word the index finds in most records
-- visits more pages to read their ids (a word in 43,765 records with a rarer filter: +80 ms; a tag
-- filter now tests the tagged records' vectors instead, records-library.repository.ts).
ALTER TABLE library_search SET (toast_tuple_target = 8160);
-- Rewrites the table, so the vectors already in TOAST come back to their rows.
CLUSTER library_search USING library_search_pkey;
