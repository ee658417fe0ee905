-- Studies are numbered in the order they were made (Study 1, 2, … in codings, exports and the
-- report). That order was read from created_at, taken with clock_timestamp() so the studies of one
-- assignment run keep their inclusion order; but the embedded database's clock advances in
-- milliseconds, so studies made within one took their order from their random ids. A counter
-- taken at insert keeps the order. Studies already made keep the numbers they had.
ALTER TABLE studies ADD COLUMN seq bigint;
UPDATE studies s SET seq = o.n
  FROM (SELECT id, row_number() OVER (ORDER BY created_at, id) AS n FROM studies) o
 WHERE o.id = s.id;
CREATE SEQUENCE studies_seq_seq OWNED BY studies.seq;
SELECT setval('studies_seq_seq', coalesce((SELECT max(seq) FROM studies), 0) + 1, false);
ALTER TABLE studies ALTER COLUMN seq SET DEFAULT nextval('studies_seq_seq');
ALTER TABLE studies ALTER COLUMN seq SET NOT NULL;
