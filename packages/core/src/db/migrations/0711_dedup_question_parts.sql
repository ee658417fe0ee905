-- A review question may link more than two groups (a title many records share, each pair of them
-- uncertain): `parts` lists every group of the question (an array of arrays of record ids), so one
-- answer can settle all of them. NULL when the question is about two groups only.
ALTER TABLE dedup_review_pairs ADD COLUMN parts jsonb;
