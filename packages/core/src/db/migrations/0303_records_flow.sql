-- Records flow into screening on their own (issue 13).

-- A lead can hold a screening stage closed: while held, records still enter the stage but nobody is
-- assigned and reviewers' queues serve nothing; opening it routes what waited. Kept apart from
-- opened_at, which a calibration pilot owns: passing a pilot must not open a stage a lead holds.
ALTER TABLE stage_configs ADD COLUMN held_at timestamptz;
ALTER TABLE stage_configs ADD COLUMN held_by uuid REFERENCES users(id);

-- Set when an import completes, cleared by the first dedup run that has read all its records:
-- until then its records may still be duplicates of queued ones, so routing leaves them out.
-- Imports that existed before are taken as deduplicated (they were routed by hand until now).
ALTER TABLE imports ADD COLUMN awaiting_dedup boolean NOT NULL DEFAULT false;
