-- The bulky values an import writes are compressed with LZ4 where the server has it: the uploaded
-- file's chunks, and each record's data and raw export text. PostgreSQL's default (pglz) compressed
-- the 101 MB of real RIS exports of the import bench in 2.1 s of the server's time, LZ4 in 0.6 s to
-- the same size (48 MB; PostgreSQL 15, in-sample), and 20,000 of their records' data and raw text in
-- 0.8-1.0 s against 0.54-0.56 s. LZ4 also reads back faster (the dedup run reads every record's
-- data). Values already stored keep their compression; both read the same. Embedded PGlite is built
-- without LZ4 (pglz only), as may be a PostgreSQL server: there nothing changes.
DO $$
BEGIN
  IF 'lz4' = ANY ((SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression')::text[]) THEN
    ALTER TABLE blob_chunks ALTER COLUMN data SET COMPRESSION lz4;
    ALTER TABLE records ALTER COLUMN data SET COMPRESSION lz4, ALTER COLUMN raw SET COMPRESSION lz4;
  END IF;
END $$;
