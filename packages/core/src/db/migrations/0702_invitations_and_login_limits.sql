-- Accounts (issues 13 and 21): the first account is an administrator; people join a review through
-- a one-time invitation link; sign-in attempts are counted atomically per key.

ALTER TABLE users ADD COLUMN admin boolean NOT NULL DEFAULT false;

-- Emails are stored in one normal form (NFKC, lower case, no white space around): earlier versions
-- only trimmed and lower-cased. A row whose normal form another row already holds is left as it is
-- rather than failing the migration (two accounts that were always meant to be one person).
UPDATE users SET email = lower(normalize(email, NFKC))
WHERE email <> lower(normalize(email, NFKC))
  AND NOT EXISTS (SELECT 1 FROM users u2 WHERE u2.email = lower(normalize(users.email, NFKC)));

-- One row per key (an email or a client address) counting attempts in a window that starts with
-- the first attempt: an upsert increments and returns the count in one statement, so parallel
-- attempts cannot all read "under the limit" before any of them is counted.
CREATE TABLE login_counters (
  key text PRIMARY KEY,
  attempts integer NOT NULL,
  window_started_at timestamptz NOT NULL DEFAULT now()
);

-- A lead's invitation to a review: only a SHA-256 of the link's token is stored.
CREATE TABLE invitations (
  id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  review_id uuid NOT NULL REFERENCES reviews(id),
  email text NOT NULL,
  role text NOT NULL CHECK (role IN ('lead', 'reviewer', 'adjudicator', 'viewer')),
  token_hash text NOT NULL UNIQUE,
  created_by uuid REFERENCES users(id),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  accepted_at timestamptz,
  accepted_by uuid REFERENCES users(id),
  revoked_at timestamptz
);
CREATE INDEX invitations_review ON invitations (review_id, created_at);

-- Replaced by login_counters: counting rows, then inserting one, was not atomic.
DROP TABLE login_attempts;
