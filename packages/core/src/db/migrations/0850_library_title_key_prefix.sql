-- The library sorts titles by the first 500 characters of their lower case. The key was the whole
-- title, and the two indexes that hand pages their records in title order (migration 0782) hold it:
-- an index entry must fit in a page, so a record whose title ran to some thousands of characters (a
-- malformed export with an abstract in the title field; imports accept titles of 64 KiB) failed its
-- whole import ("index row requires 17376 bytes, maximum size is 8191", or the btree's 2704-byte
-- limit below that). 500 characters are at most 2,000 bytes of UTF-8, under that limit with the
-- review and record ids beside them; two titles sort apart on their first 500 characters unless
-- they share them all, and then by record id, as any tie.

CREATE OR REPLACE FUNCTION library_records_added() RETURNS trigger AS $$
BEGIN
  INSERT INTO library_records (record_id, review_id, import_id, title_key, year, duplicate_of, created_at)
  SELECT id, review_id, import_id, lower(left(title, 500)), year, duplicate_of, created_at FROM added;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION library_records_changed() RETURNS trigger AS $$
BEGIN
  UPDATE library_records l
     SET review_id = c.review_id, import_id = c.import_id, title_key = lower(left(c.title, 500)), year = c.year,
         duplicate_of = c.duplicate_of, created_at = c.created_at
    FROM changed c
   WHERE l.record_id = c.id
     AND (l.review_id, l.import_id, l.title_key, l.year, l.duplicate_of, l.created_at)
         IS DISTINCT FROM (c.review_id, c.import_id, lower(left(c.title, 500)), c.year, c.duplicate_of, c.created_at);
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

-- Titles stored before this (those short enough to have been indexed) get the same key.
UPDATE library_records l SET title_key = lower(left(r.title, 500))
  FROM records r
 WHERE r.id = l.record_id AND length(r.title) > 500;
