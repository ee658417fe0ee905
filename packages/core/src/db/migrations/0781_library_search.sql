-- The records library's search vector moves from records (migration 0720's generated column) to the
-- record's library row. A search finds its matches through the GIN index and then visits each
-- match's heap row: on records that row carries the record's data and raw export text (157 MB at
-- 100,000 records), on library_records a few hundred bytes with the vector stored apart (TOAST).
-- A one-word search matching 43,765 of 100,000 records took 62 ms on records and 7 ms on such a
-- table (PostgreSQL, in-sample). The vector is computed once, as before, by the statement that
-- writes the records (their library trigger), from the same fields with the same weights:
-- title A, keywords and MeSH B, authors and journal C, abstract D, texts cut far above any real
-- record (a tsvector cannot exceed 1 MB and imports keep abstracts of 1 MiB).

CREATE FUNCTION library_search_vector(title text, data jsonb) RETURNS tsvector AS $$
  SELECT setweight(to_tsvector('english', left(coalesce(title, ''), 20000)), 'A') ||
    setweight(to_tsvector('english', left(
      coalesce(jsonb_path_query_array(data, '$.keywords[*]')::text, '') || ' ' ||
      coalesce(jsonb_path_query_array(data, '$.mesh[*]')::text, ''), 20000)), 'B') ||
    setweight(to_tsvector('english', left(
      coalesce(jsonb_path_query_array(data, '$.authors[*].asWritten')::text, '') || ' ' ||
      coalesce(data->>'journal', ''), 20000)), 'C') ||
    setweight(to_tsvector('english', left(coalesce(data->>'abstract', ''), 100000)), 'D')
$$ LANGUAGE sql IMMUTABLE;

ALTER TABLE library_records ADD COLUMN search_vector tsvector;
UPDATE library_records l SET search_vector = r.search_vector FROM records r WHERE r.id = l.record_id;
CREATE INDEX library_records_search ON library_records USING gin (search_vector);
ALTER TABLE records DROP COLUMN search_vector;

CREATE OR REPLACE FUNCTION library_records_added() RETURNS trigger AS $$
BEGIN
  INSERT INTO library_records (record_id, review_id, import_id, title, year, duplicate_of, created_at, search_vector)
  SELECT id, review_id, import_id, title, year, duplicate_of, created_at, library_search_vector(title, data)
    FROM added;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- A change of title or data computes the vector again; a change of anything else (a merge sets
-- duplicate_of on many records at once) leaves it.
CREATE OR REPLACE FUNCTION library_records_changed() RETURNS trigger AS $$
BEGIN
  UPDATE library_records l
     SET review_id = c.review_id, import_id = c.import_id, title = c.title, year = c.year,
         duplicate_of = c.duplicate_of, created_at = c.created_at,
         search_vector = CASE WHEN (b.title, b.data) IS DISTINCT FROM (c.title, c.data)
                              THEN library_search_vector(c.title, c.data) ELSE l.search_vector END
    FROM changed c JOIN before b ON b.id = c.id
   WHERE l.record_id = c.id
     AND ((l.review_id, l.import_id, l.title, l.year, l.duplicate_of, l.created_at)
          IS DISTINCT FROM (c.review_id, c.import_id, c.title, c.year, c.duplicate_of, c.created_at)
          OR (b.title, b.data) IS DISTINCT FROM (c.title, c.data));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
DROP TRIGGER records_library_changed ON records;
CREATE TRIGGER records_library_changed AFTER UPDATE ON records
  REFERENCING OLD TABLE AS before NEW TABLE AS changed
  FOR EACH STATEMENT EXECUTE FUNCTION library_records_changed();
