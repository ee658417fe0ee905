-- The records library (issue 16) counts and sorts every record of a review on each request, but
-- reads only a few of its columns; the records table carries each record's data, raw export text
-- and search vector (some 1.7 kB a row, 170 MB at 100,000 records), so a scan of it is mostly
-- bytes the library never reads. This is the same rows' narrow columns (about 200 bytes a row),
-- kept by the database in the statement that writes the records (statement triggers over the
-- changed rows, so a batch insert is one more insert, not one per row), and filled here.

CREATE TABLE library_records (
  record_id uuid PRIMARY KEY,
  review_id uuid NOT NULL,
  import_id uuid NOT NULL,
  title text NOT NULL,
  year integer,
  duplicate_of uuid,
  created_at timestamptz NOT NULL
);
CREATE INDEX library_records_review ON library_records (review_id);

CREATE FUNCTION library_records_added() RETURNS trigger AS $$
BEGIN
  INSERT INTO library_records (record_id, review_id, import_id, title, year, duplicate_of, created_at)
  SELECT id, review_id, import_id, title, year, duplicate_of, created_at FROM added;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION library_records_changed() RETURNS trigger AS $$
BEGIN
  UPDATE library_records l
     SET review_id = c.review_id, import_id = c.import_id, title = c.title, year = c.year,
         duplicate_of = c.duplicate_of, created_at = c.created_at
    FROM changed c
   WHERE l.record_id = c.id
     AND (l.review_id, l.import_id, l.title, l.year, l.duplicate_of, l.created_at)
         IS DISTINCT FROM (c.review_id, c.import_id, c.title, c.year, c.duplicate_of, c.created_at);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION library_records_removed() RETURNS trigger AS $$
BEGIN
  DELETE FROM library_records l USING removed r WHERE l.record_id = r.id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER records_library_added AFTER INSERT ON records
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_records_added();
CREATE TRIGGER records_library_changed AFTER UPDATE ON records
  REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION library_records_changed();
CREATE TRIGGER records_library_removed AFTER DELETE ON records
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION library_records_removed();

INSERT INTO library_records (record_id, review_id, import_id, title, year, duplicate_of, created_at)
SELECT id, review_id, import_id, title, year, duplicate_of, created_at FROM records;
