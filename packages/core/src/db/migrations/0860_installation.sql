-- One row: this installation's identity. BullMQ's queues in a shared Redis are kept apart by it
-- (unless WINNOW_QUEUE_PREFIX names a prefix, the prefix is winnow-<the id's first 12 hex digits>),
-- so two installations on one Redis never take each other's jobs, while every process on the same
-- database (web and worker processes scaled out) shares one queue without being told.
CREATE TABLE installation (
  one boolean PRIMARY KEY DEFAULT true CHECK (one),
  id uuid NOT NULL DEFAULT gen_random_uuid(),
  created_at timestamptz NOT NULL DEFAULT now()
);
INSERT INTO installation DEFAULT VALUES;
