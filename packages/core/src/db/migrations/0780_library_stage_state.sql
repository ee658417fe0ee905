-- The records library (issue 16) counts every record of a review by its state on each request. Read
-- from stage_records (outcome JSON), dedup_members and the full-text retrievals, that was three more
-- joins over the whole review before the viewer's own rows, most of a request's 600 ms at 100,000
-- records. These are the same derivations, kept on each record's library row by the database in the
-- statement that changes their sources (statement triggers over the changed rows), and filled here:
--   <stage>_state: the state anyone who may see the whole outcome sees ('not-in-stage',
--     'unscreened', 'awaiting-second-vote', 'conflict', 'maybe', 'included', 'excluded'); the
--     library narrows it per viewer (blinding) with the viewer's own rows;
--   <stage>_reasons: the exclusion reasons of the stage's outcome; <stage>_updated: its last change;
--   kept: the record is the one kept of its duplicate group; has_full_text: a file is attached;
--   <stage>_assigned / _open / _voters / _adjudicators: who screens the record (assignments not
--     revoked; those still open), whose screening vote stands (current_votes, not retracted) and
--     who adjudicated it (an adjudicator's vote or a resolution). A record has two or three of each,
--     so the library tells a viewer's own part with `viewer = ANY(…)` on the row it already reads,
--     with no join to the viewer's rows (at 100,000 records those joins were half of a request).
-- The sources stay the truth: rebuild_library_state() derives every column again.

ALTER TABLE library_records
  ADD COLUMN ta_state text NOT NULL DEFAULT 'not-in-stage',
  ADD COLUMN ta_reasons text[] NOT NULL DEFAULT '{}',
  ADD COLUMN ta_updated timestamptz,
  ADD COLUMN ft_state text NOT NULL DEFAULT 'not-in-stage',
  ADD COLUMN ft_reasons text[] NOT NULL DEFAULT '{}',
  ADD COLUMN ft_updated timestamptz,
  ADD COLUMN ta_assigned uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN ta_open uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN ta_voters uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN ta_adjudicators uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN ft_assigned uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN ft_open uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN ft_voters uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN ft_adjudicators uuid[] NOT NULL DEFAULT '{}',
  ADD COLUMN kept boolean NOT NULL DEFAULT false,
  ADD COLUMN has_full_text boolean NOT NULL DEFAULT false;
-- The title as sorted: without case, compared byte by byte (COLLATE "C" in the library's ORDER BY;
-- a locale's comparison costs twice as much on 100,000 titles).
ALTER TABLE library_records ADD COLUMN title_key text GENERATED ALWAYS AS (lower(title)) STORED;
-- A vote rewrites its record's row; room on each page lets that be a heap-only update in place.
ALTER TABLE library_records SET (fillfactor = 70);

-- A stage row's state as the whole outcome reads: the one definition the triggers and the rebuild use.
-- No row (a NULL status: the column is NOT NULL) is 'not-in-stage'.
CREATE FUNCTION library_stage_state(status text, outcome jsonb, vote_count integer) RETURNS text AS $$
  SELECT CASE
    WHEN status IS NULL THEN 'not-in-stage'
    ELSE CASE status
    WHEN 'advanced' THEN 'included'
    WHEN 'excluded' THEN 'excluded'
    WHEN 'conflict' THEN CASE WHEN outcome->>'kind' = 'maybe' THEN 'maybe' ELSE 'conflict' END
    ELSE CASE WHEN vote_count = 0 THEN 'unscreened' ELSE 'awaiting-second-vote' END END END
$$ LANGUAGE sql IMMUTABLE;

CREATE FUNCTION library_stage_reasons(outcome jsonb) RETURNS text[] AS $$
  SELECT coalesce(ARRAY(SELECT jsonb_array_elements_text(
    CASE WHEN jsonb_typeof(outcome->'reasons') = 'array' THEN outcome->'reasons' ELSE '[]'::jsonb END)), '{}')
$$ LANGUAGE sql IMMUTABLE;

-- Each stage's columns again for the given records, from their stage rows now (absent: not in
-- stage). Rows whose columns already hold those values are not written.
CREATE FUNCTION library_stage_refresh(ids uuid[]) RETURNS void AS $$
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;
  UPDATE library_records l
     SET ta_state = s.ta_state, ta_reasons = s.ta_reasons, ta_updated = s.ta_updated,
         ft_state = s.ft_state, ft_reasons = s.ft_reasons, ft_updated = s.ft_updated
    FROM (SELECT x.id,
                 library_stage_state(ta.status, ta.outcome, ta.vote_count) AS ta_state,
                 coalesce(library_stage_reasons(ta.outcome), '{}') AS ta_reasons, ta.updated_at AS ta_updated,
                 library_stage_state(ft.status, ft.outcome, ft.vote_count) AS ft_state,
                 coalesce(library_stage_reasons(ft.outcome), '{}') AS ft_reasons, ft.updated_at AS ft_updated
            FROM unnest(ids) AS x(id)
            LEFT JOIN stage_records ta ON ta.record_id = x.id AND ta.stage = 'title-abstract'
            LEFT JOIN stage_records ft ON ft.record_id = x.id AND ft.stage = 'full-text') s
   WHERE l.record_id = s.id
     AND (l.ta_state, l.ta_reasons, l.ta_updated, l.ft_state, l.ft_reasons, l.ft_updated)
         IS DISTINCT FROM (s.ta_state, s.ta_reasons, s.ta_updated, s.ft_state, s.ft_reasons, s.ft_updated);
END;
$$ LANGUAGE plpgsql;

CREATE FUNCTION library_stage_added() RETURNS trigger AS $$
BEGIN
  PERFORM library_stage_refresh(ARRAY(SELECT DISTINCT record_id FROM added));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION library_stage_removed() RETURNS trigger AS $$
BEGIN
  PERFORM library_stage_refresh(ARRAY(SELECT DISTINCT record_id FROM removed));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER stage_records_library_added AFTER INSERT ON stage_records
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_stage_added();
CREATE TRIGGER stage_records_library_changed AFTER UPDATE ON stage_records
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_stage_added();
CREATE TRIGGER stage_records_library_removed AFTER DELETE ON stage_records
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION library_stage_removed();

-- Kept of its duplicate group: again for the given records, from dedup_members now.
CREATE FUNCTION library_kept_refresh(ids uuid[]) RETURNS void AS $$
BEGIN
  UPDATE library_records l
     SET kept = s.kept
    FROM (SELECT x.id, EXISTS (SELECT 1 FROM dedup_members d WHERE d.record_id = x.id AND d.kept) AS kept
            FROM unnest(ids) AS x(id)) s
   WHERE l.record_id = s.id AND l.kept IS DISTINCT FROM s.kept;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION library_kept_added() RETURNS trigger AS $$
BEGIN
  PERFORM library_kept_refresh(ARRAY(SELECT record_id FROM added));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION library_kept_removed() RETURNS trigger AS $$
BEGIN
  PERFORM library_kept_refresh(ARRAY(SELECT record_id FROM removed));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER dedup_members_library_added AFTER INSERT ON dedup_members
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_kept_added();
CREATE TRIGGER dedup_members_library_changed AFTER UPDATE ON dedup_members
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION library_kept_removed();
CREATE TRIGGER dedup_members_library_changed_to AFTER UPDATE ON dedup_members
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_kept_added();
CREATE TRIGGER dedup_members_library_removed AFTER DELETE ON dedup_members
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION library_kept_removed();

-- A file attached to the record's report and not withdrawn (retrievals are append-only; a
-- withdrawal is a new row pointing at the one it withdraws, and is no file itself): again for the
-- records of the given reports.
-- The withdrawal of a retrieval, found by the row it withdraws.
CREATE INDEX report_retrievals_withdraws ON report_retrievals (withdraws) WHERE withdraws IS NOT NULL;

CREATE FUNCTION library_files_refresh(ids uuid[]) RETURNS void AS $$
BEGIN
  UPDATE library_records l
     SET has_full_text = s.has_file
    FROM (SELECT x.id, EXISTS (
            SELECT 1 FROM reports rp JOIN report_retrievals rr ON rr.report_id = rp.id AND rr.kind = 'file'
             WHERE rp.record_id = x.id AND rr.withdraws IS NULL
               AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = rr.id)) AS has_file
            FROM unnest(ids) AS x(id)) s
   WHERE l.record_id = s.id AND l.has_full_text IS DISTINCT FROM s.has_file;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION library_files_retrieval() RETURNS trigger AS $$
BEGIN
  PERFORM library_files_refresh(ARRAY(
    SELECT rp.record_id FROM reports rp WHERE rp.record_id IS NOT NULL
       AND rp.id IN (SELECT report_id FROM added)));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION library_files_report_added() RETURNS trigger AS $$
BEGIN
  PERFORM library_files_refresh(ARRAY(SELECT record_id FROM added WHERE record_id IS NOT NULL));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION library_files_report_removed() RETURNS trigger AS $$
BEGIN
  PERFORM library_files_refresh(ARRAY(SELECT record_id FROM removed WHERE record_id IS NOT NULL));
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER report_retrievals_library AFTER INSERT ON report_retrievals
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_files_retrieval();
CREATE TRIGGER reports_library_added AFTER INSERT ON reports
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_files_report_added();
CREATE TRIGGER reports_library_changed_from AFTER UPDATE ON reports
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION library_files_report_removed();
CREATE TRIGGER reports_library_changed_to AFTER UPDATE ON reports
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_files_report_added();
CREATE TRIGGER reports_library_removed AFTER DELETE ON reports
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION library_files_report_removed();

-- One stage's people again for the given records (ids at that stage), from the sources now: who
-- screens the record (assignments not revoked; those still open), whose screening vote stands and
-- who adjudicated it. Rows already right are not written. Written out per stage inside PL/pgSQL so
-- the statement's plan is kept between calls (a vote runs this once).
CREATE FUNCTION library_people_refresh(ids uuid[], stage_name text) RETURNS void AS $$
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;
  IF stage_name = 'title-abstract' THEN
    UPDATE library_records l
       SET ta_assigned = s.assigned, ta_open = s.open, ta_voters = s.voters, ta_adjudicators = s.adjudicators
      FROM (SELECT x.id,
                   ARRAY(SELECT g.reviewer_id FROM assignments g
                          WHERE g.record_id = x.id AND g.stage = 'title-abstract' AND g.state <> 'revoked' ORDER BY 1) AS assigned,
                   ARRAY(SELECT g.reviewer_id FROM assignments g
                          WHERE g.record_id = x.id AND g.stage = 'title-abstract' AND g.state = 'open' ORDER BY 1) AS open,
                   ARRAY(SELECT c.reviewer_id FROM current_votes c
                          WHERE c.record_id = x.id AND c.stage = 'title-abstract' AND c.role = 'reviewer' AND c.vote <> 'retract'
                          ORDER BY 1) AS voters,
                   ARRAY(SELECT c.reviewer_id FROM current_votes c
                          WHERE c.record_id = x.id AND c.stage = 'title-abstract' AND c.role = 'adjudicator'
                         UNION SELECT z.adjudicator_id FROM resolutions z WHERE z.record_id = x.id AND z.stage = 'title-abstract'
                         ORDER BY 1) AS adjudicators
              FROM (SELECT DISTINCT id FROM unnest(ids) AS u(id)) x) s
     WHERE l.record_id = s.id
       AND (l.ta_assigned, l.ta_open, l.ta_voters, l.ta_adjudicators)
           IS DISTINCT FROM (s.assigned, s.open, s.voters, s.adjudicators);
  ELSE
    UPDATE library_records l
       SET ft_assigned = s.assigned, ft_open = s.open, ft_voters = s.voters, ft_adjudicators = s.adjudicators
      FROM (SELECT x.id,
                   ARRAY(SELECT g.reviewer_id FROM assignments g
                          WHERE g.record_id = x.id AND g.stage = 'full-text' AND g.state <> 'revoked' ORDER BY 1) AS assigned,
                   ARRAY(SELECT g.reviewer_id FROM assignments g
                          WHERE g.record_id = x.id AND g.stage = 'full-text' AND g.state = 'open' ORDER BY 1) AS open,
                   ARRAY(SELECT c.reviewer_id FROM current_votes c
                          WHERE c.record_id = x.id AND c.stage = 'full-text' AND c.role = 'reviewer' AND c.vote <> 'retract'
                          ORDER BY 1) AS voters,
                   ARRAY(SELECT c.reviewer_id FROM current_votes c
                          WHERE c.record_id = x.id AND c.stage = 'full-text' AND c.role = 'adjudicator'
                         UNION SELECT z.adjudicator_id FROM resolutions z WHERE z.record_id = x.id AND z.stage = 'full-text'
                         ORDER BY 1) AS adjudicators
              FROM (SELECT DISTINCT id FROM unnest(ids) AS u(id)) x) s
     WHERE l.record_id = s.id
       AND (l.ft_assigned, l.ft_open, l.ft_voters, l.ft_adjudicators)
           IS DISTINCT FROM (s.assigned, s.open, s.voters, s.adjudicators);
  END IF;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION library_people_added() RETURNS trigger AS $$
BEGIN
  PERFORM library_people_refresh(ARRAY(SELECT record_id FROM added WHERE stage = 'title-abstract'), 'title-abstract');
  PERFORM library_people_refresh(ARRAY(SELECT record_id FROM added WHERE stage = 'full-text'), 'full-text');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION library_people_removed() RETURNS trigger AS $$
BEGIN
  PERFORM library_people_refresh(ARRAY(SELECT record_id FROM removed WHERE stage = 'title-abstract'), 'title-abstract');
  PERFORM library_people_refresh(ARRAY(SELECT record_id FROM removed WHERE stage = 'full-text'), 'full-text');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assignments_library_added AFTER INSERT ON assignments
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_people_added();
-- A retrain reorders every open queue (positions only): only a changed state or reviewer counts.
CREATE FUNCTION library_people_assignments_changed() RETURNS trigger AS $$
BEGIN
  PERFORM library_people_refresh(ARRAY(
    SELECT n.record_id FROM added n JOIN removed o ON o.id = n.id
     WHERE n.stage = 'title-abstract' AND (n.state, n.reviewer_id) IS DISTINCT FROM (o.state, o.reviewer_id)),
    'title-abstract');
  PERFORM library_people_refresh(ARRAY(
    SELECT n.record_id FROM added n JOIN removed o ON o.id = n.id
     WHERE n.stage = 'full-text' AND (n.state, n.reviewer_id) IS DISTINCT FROM (o.state, o.reviewer_id)),
    'full-text');
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER assignments_library_changed AFTER UPDATE ON assignments
  REFERENCING OLD TABLE AS removed NEW TABLE AS added
  FOR EACH STATEMENT EXECUTE FUNCTION library_people_assignments_changed();
CREATE TRIGGER assignments_library_removed AFTER DELETE ON assignments
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION library_people_removed();
CREATE TRIGGER current_votes_library_added AFTER INSERT ON current_votes
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_people_added();
CREATE TRIGGER current_votes_library_changed AFTER UPDATE ON current_votes
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_people_added();
CREATE TRIGGER current_votes_library_removed AFTER DELETE ON current_votes
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION library_people_removed();
CREATE TRIGGER resolutions_library_added AFTER INSERT ON resolutions
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_people_added();

-- The ranking's scores as rows (the shared ranking only: reviewer_id IS NULL), written with the
-- ranking and removed with it. Sorting by relevance read them out of the ranking's JSON on each
-- request: 55-100 ms at 100,000 records, more than the rest of a page.
CREATE TABLE library_scores (
  model_id bigint NOT NULL,
  record_id uuid NOT NULL,
  score double precision NOT NULL,
  PRIMARY KEY (model_id, record_id)
);
CREATE FUNCTION library_scores_added() RETURNS trigger AS $$
BEGIN
  INSERT INTO library_scores (model_id, record_id, score)
  SELECT a.model_id, s.key::uuid, s.value::float8 FROM added a, jsonb_each_text(a.scores) s
   WHERE a.reviewer_id IS NULL
  ON CONFLICT (model_id, record_id) DO UPDATE SET score = EXCLUDED.score;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE FUNCTION library_scores_removed() RETURNS trigger AS $$
BEGIN
  DELETE FROM library_scores l USING removed r WHERE r.reviewer_id IS NULL AND l.model_id = r.model_id;
  RETURN NULL;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER prioritisation_rankings_library_added AFTER INSERT ON prioritisation_rankings
  REFERENCING NEW TABLE AS added FOR EACH STATEMENT EXECUTE FUNCTION library_scores_added();
CREATE TRIGGER prioritisation_rankings_library_removed AFTER DELETE ON prioritisation_rankings
  REFERENCING OLD TABLE AS removed FOR EACH STATEMENT EXECUTE FUNCTION library_scores_removed();
INSERT INTO library_scores (model_id, record_id, score)
SELECT pr.model_id, s.key::uuid, s.value::float8 FROM prioritisation_rankings pr, jsonb_each_text(pr.scores) s
 WHERE pr.reviewer_id IS NULL;

-- Every column derived again for one review (or all, with NULL): the fill below, and the repair.
-- (A record's sources all reference it, so none exists before its library row: no insert trigger.)
CREATE FUNCTION rebuild_library_state(review uuid) RETURNS void AS $$
DECLARE ids uuid[] := ARRAY(SELECT record_id FROM library_records WHERE review IS NULL OR review_id = review);
BEGIN
  PERFORM library_stage_refresh(ids);
  PERFORM library_kept_refresh(ids);
  PERFORM library_files_refresh(ids);
  PERFORM library_people_refresh(ids, 'title-abstract');
  PERFORM library_people_refresh(ids, 'full-text');
END;
$$ LANGUAGE plpgsql;

SELECT rebuild_library_state(NULL);
