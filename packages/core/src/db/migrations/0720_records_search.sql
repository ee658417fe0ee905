-- The records library's full-text search (issue 16): one weighted vector per record, kept by the
-- database itself (a generated column), so every insert path is covered and nothing can drift.
-- Title A, keywords and MeSH B, authors and journal C, abstract D. Texts are cut to a length far
-- above any real record, because a tsvector cannot exceed 1 MB and imports keep abstracts of 1 MiB.
ALTER TABLE records ADD COLUMN search_vector tsvector GENERATED ALWAYS AS (
  setweight(to_tsvector('english', left(coalesce(title, ''), 20000)), 'A') ||
  setweight(to_tsvector('english', left(
    coalesce(jsonb_path_query_array(data, '$.keywords[*]')::text, '') || ' ' ||
    coalesce(jsonb_path_query_array(data, '$.mesh[*]')::text, ''), 20000)), 'B') ||
  setweight(to_tsvector('english', left(
    coalesce(jsonb_path_query_array(data, '$.authors[*].asWritten')::text, '') || ' ' ||
    coalesce(data->>'journal', ''), 20000)), 'C') ||
  setweight(to_tsvector('english', left(coalesce(data->>'abstract', ''), 100000)), 'D')
) STORED;
CREATE INDEX records_search ON records USING gin (search_vector);
