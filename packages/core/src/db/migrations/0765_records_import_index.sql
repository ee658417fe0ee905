-- records_import duplicated the index of UNIQUE (import_id, source_index): same columns, same order.
-- Every inserted record paid for both; the unique one serves the same look-ups.
DROP INDEX IF EXISTS records_import;
