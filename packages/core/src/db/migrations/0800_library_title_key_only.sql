-- The library row kept each record's title only to compute title_key (its lower case, the key the
-- library sorts titles by); pages read the title from records. Every facet count reads every
-- library row of the review, so the copy cost a scan about 100 of a row's some 500 bytes. The
-- sort key stays, now written by the triggers that keep the row; the copy of the title goes.
-- Like the other record columns of the row (review, import, year, duplicate_of), the key is a copy
-- kept by the records triggers; rebuild_library_state() derives the stage and people columns only,
-- as before. Rows written before this keep the dropped column's bytes until they are next updated
-- (every vote rewrites its record's row); VACUUM FULL library_records reclaims them at once.

ALTER TABLE library_records ALTER COLUMN title_key DROP EXPRESSION;

CREATE OR REPLACE FUNCTION library_records_added() RETURNS trigger AS $$
BEGIN
  INSERT INTO library_records (record_id, review_id, import_id, title_key, year, duplicate_of, created_at)
  SELECT id, review_id, import_id, lower(title), year, duplicate_of, created_at FROM added;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION library_records_changed() RETURNS trigger AS $$
BEGIN
  UPDATE library_records l
     SET review_id = c.review_id, import_id = c.import_id, title_key = lower(c.title), year = c.year,
         duplicate_of = c.duplicate_of, created_at = c.created_at
    FROM changed c
   WHERE l.record_id = c.id
     AND (l.review_id, l.import_id, l.title_key, l.year, l.duplicate_of, l.created_at)
         IS DISTINCT FROM (c.review_id, c.import_id, lower(c.title), c.year, c.duplicate_of, c.created_at);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

ALTER TABLE library_records DROP COLUMN title;
