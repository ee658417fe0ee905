-- Damaged records in an import's file (an unbalanced brace, a missing end tag, a cut-off line):
-- how many the parser skipped and how many it kept with what could be read, counted from the parse.
-- An import with either above zero is complete with warnings.
ALTER TABLE imports ADD COLUMN records_skipped integer NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN records_repaired integer NOT NULL DEFAULT 0;
