-- The records library's search reaches into full texts (issues 16 and 19): each page's text as a
-- tsvector kept by the database. A page is cut at 200,000 characters (a tsvector holds at most 1 MB).
ALTER TABLE fulltext_pages ADD COLUMN search_vector tsvector
  GENERATED ALWAYS AS (to_tsvector('english', left(text, 200000))) STORED;
CREATE INDEX fulltext_pages_search ON fulltext_pages USING gin (search_vector);
