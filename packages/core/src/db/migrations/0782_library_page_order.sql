-- The records library reads a page of 50 in the order asked for. Sorting every record of the review
-- to find it cost a fifth of a request at 100,000 records (and, by score, a hash of every score).
-- These indexes hand the page its records in order, so the query stops once it has them:
--   title: as the library sorts titles (lower case, byte by byte; title_key COLLATE "C");
--   year: newest first, records without a year last, then by title;
--   a ranking's scores: highest first.
-- None holds a column a vote changes, so a vote's rewrite of its record's library row stays a
-- heap-only update.
CREATE INDEX library_records_title ON library_records (review_id, (title_key COLLATE "C"), record_id);
CREATE INDEX library_records_year ON library_records (review_id, year DESC NULLS LAST, (title_key COLLATE "C"), record_id);
CREATE INDEX library_scores_order ON library_scores (model_id, score DESC, record_id);
