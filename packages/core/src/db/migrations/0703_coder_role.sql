-- A coder codes included studies (extraction) and does not screen: the role a review team gives
-- someone who joins for data extraction only.
ALTER TABLE members DROP CONSTRAINT members_role_check;
ALTER TABLE members ADD CONSTRAINT members_role_check
  CHECK (role IN ('lead', 'reviewer', 'adjudicator', 'viewer', 'coder'));
ALTER TABLE invitations DROP CONSTRAINT invitations_role_check;
ALTER TABLE invitations ADD CONSTRAINT invitations_role_check
  CHECK (role IN ('lead', 'reviewer', 'adjudicator', 'viewer', 'coder'));
