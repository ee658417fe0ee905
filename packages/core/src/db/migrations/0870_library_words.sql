-- Every word of each review's records, as the records library splits words (letters and digits,
-- lower case): what a search ending in `*` is widened to. The search vectors hold stems, and a
-- stem can be shorter than the beginning typed: `sustainability` is stored as `sustain`, so
-- `sustainab*` as a prefix of stems found nothing. The words beginning `sustainab` are looked up
-- here instead and searched as words, stemmed as the records were. Written by the import, in its
-- completing transaction; words of records removed later stay (a word that no longer occurs finds
-- nothing of its own). Byte order (C) so that the words beginning with a prefix are one range of
-- the key.
CREATE TABLE library_words (
  review_id uuid NOT NULL REFERENCES reviews(id),
  word text COLLATE "C" NOT NULL,
  PRIMARY KEY (review_id, word)
);

-- The records already stored, read with PostgreSQL's own word parser (its words, numbers and the
-- parts of hyphenated words: what the import's splitting gives).
INSERT INTO library_words (review_id, word)
SELECT DISTINCT r.review_id, lower(ltrim(p.token, '-+'))
  FROM records r,
       ts_parse('default', concat_ws(' ', r.title, r.data->>'abstract',
                 jsonb_path_query_array(r.data, '$.keywords[*]')::text,
                 jsonb_path_query_array(r.data, '$.mesh[*]')::text,
                 jsonb_path_query_array(r.data, '$.authors[*].asWritten')::text,
                 r.data->>'journal')) AS p
 WHERE p.tokid IN (1, 2, 3, 9, 10, 11, 21, 22) AND length(ltrim(p.token, '-+')) BETWEEN 1 AND 60
ON CONFLICT DO NOTHING;
