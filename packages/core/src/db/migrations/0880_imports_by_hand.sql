-- A record added by hand is imported as a one-record RIS file the server writes (so it is stored,
-- deduplicated and counted like any record), and the imports list named its format "RIS": the lead
-- uploaded no file. The import now says it was added by hand. Earlier ones are known by the name
-- the server gave them ("Added by hand - <title>", no file extension) and their RIS format.
ALTER TABLE imports ADD COLUMN by_hand boolean NOT NULL DEFAULT false;
UPDATE imports SET by_hand = true WHERE file_name LIKE 'Added by hand - %' AND requested_format = 'ris';
