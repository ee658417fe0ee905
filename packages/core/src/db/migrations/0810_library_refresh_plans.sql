-- The library row's derived columns follow a vote through four refresh functions (migration 0780),
-- about five calls a vote. Each took 0.7-1.1 ms of PostgreSQL's time, of which its update ran for
-- 0.1-0.3 ms: the rest was planning. A PL/pgSQL statement whose parameter is an array is planned
-- again at every call (a custom plan), because the plan made once for any array (the generic plan)
-- looked costlier than the plan for one id. That generic plan was also the wrong one to keep: it
-- joined the stage rows by hashing every row of the stage (all full-text rows, for a one-record vote).
--
-- Written again here so that every row they read is found from the given ids by a key: the
-- records by `record_id = ANY(ids)` (the library row's key), their sources by correlated subqueries
-- on each source's key (LATERAL with LIMIT 1 is never flattened into a join the planner could hash).
-- The one generic plan is kept for the session (plan_cache_mode, for these functions only), so a
-- vote no longer plans them. That plan is made once, at a session's first call, guessing ten ids:
-- on a small table (a new review; PGlite, which has no autovacuum to analyze and re-plan) a scan of
-- the whole library could look cheaper, and kept, would read every row against every id of a later
-- bulk call. So these functions plan with scans and hash or merge joins off: every row is found by
-- its key, for one id or fifty thousand. What they compute is unchanged: the same columns from the
-- same sources, and rows already right are not written.
CREATE OR REPLACE FUNCTION library_stage_refresh(ids uuid[]) RETURNS void
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_hashjoin = off
SET enable_mergejoin = off AS $$
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;
  UPDATE library_records l
     SET ta_state = s.ta_state, ta_reasons = s.ta_reasons, ta_updated = s.ta_updated,
         ft_state = s.ft_state, ft_reasons = s.ft_reasons, ft_updated = s.ft_updated
    FROM (SELECT r.record_id AS id,
                 library_stage_state(ta.status, ta.outcome, ta.vote_count) AS ta_state,
                 coalesce(library_stage_reasons(ta.outcome), '{}') AS ta_reasons, ta.updated_at AS ta_updated,
                 library_stage_state(ft.status, ft.outcome, ft.vote_count) AS ft_state,
                 coalesce(library_stage_reasons(ft.outcome), '{}') AS ft_reasons, ft.updated_at AS ft_updated
            FROM library_records r
            LEFT JOIN LATERAL (
              SELECT g.status, g.outcome, g.vote_count, g.updated_at FROM stage_records g
               WHERE g.record_id = r.record_id AND g.stage = 'title-abstract' LIMIT 1) ta ON true
            LEFT JOIN LATERAL (
              SELECT g.status, g.outcome, g.vote_count, g.updated_at FROM stage_records g
               WHERE g.record_id = r.record_id AND g.stage = 'full-text' LIMIT 1) ft ON true
           WHERE r.record_id = ANY(ids)) s
   WHERE l.record_id = s.id
     AND (l.ta_state, l.ta_reasons, l.ta_updated, l.ft_state, l.ft_reasons, l.ft_updated)
         IS DISTINCT FROM (s.ta_state, s.ta_reasons, s.ta_updated, s.ft_state, s.ft_reasons, s.ft_updated);
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION library_kept_refresh(ids uuid[]) RETURNS void
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_hashjoin = off
SET enable_mergejoin = off AS $$
BEGIN
  UPDATE library_records l
     SET kept = s.kept
    FROM (SELECT r.record_id AS id,
                 EXISTS (SELECT 1 FROM dedup_members d WHERE d.record_id = r.record_id AND d.kept) AS kept
            FROM library_records r WHERE r.record_id = ANY(ids)) s
   WHERE l.record_id = s.id AND l.kept IS DISTINCT FROM s.kept;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION library_files_refresh(ids uuid[]) RETURNS void
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_hashjoin = off
SET enable_mergejoin = off AS $$
BEGIN
  UPDATE library_records l
     SET has_full_text = s.has_file
    FROM (SELECT r.record_id AS id, EXISTS (
            SELECT 1 FROM reports rp JOIN report_retrievals rr ON rr.report_id = rp.id AND rr.kind = 'file'
             WHERE rp.record_id = r.record_id AND rr.withdraws IS NULL
               AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = rr.id)) AS has_file
            FROM library_records r WHERE r.record_id = ANY(ids)) s
   WHERE l.record_id = s.id AND l.has_full_text IS DISTINCT FROM s.has_file;
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION library_people_refresh(ids uuid[], stage_name text) RETURNS void
SET plan_cache_mode = force_generic_plan SET enable_seqscan = off SET enable_hashjoin = off
SET enable_mergejoin = off AS $$
BEGIN
  IF cardinality(ids) = 0 THEN RETURN; END IF;
  IF stage_name = 'title-abstract' THEN
    UPDATE library_records l
       SET ta_assigned = s.assigned, ta_open = s.open, ta_voters = s.voters, ta_adjudicators = s.adjudicators
      FROM (SELECT r.record_id AS id,
                   ARRAY(SELECT g.reviewer_id FROM assignments g
                          WHERE g.record_id = r.record_id AND g.stage = 'title-abstract' AND g.state <> 'revoked' ORDER BY 1) AS assigned,
                   ARRAY(SELECT g.reviewer_id FROM assignments g
                          WHERE g.record_id = r.record_id AND g.stage = 'title-abstract' AND g.state = 'open' ORDER BY 1) AS open,
                   ARRAY(SELECT c.reviewer_id FROM current_votes c
                          WHERE c.record_id = r.record_id AND c.stage = 'title-abstract' AND c.role = 'reviewer' AND c.vote <> 'retract'
                          ORDER BY 1) AS voters,
                   ARRAY(SELECT c.reviewer_id FROM current_votes c
                          WHERE c.record_id = r.record_id AND c.stage = 'title-abstract' AND c.role = 'adjudicator'
                         UNION SELECT z.adjudicator_id FROM resolutions z WHERE z.record_id = r.record_id AND z.stage = 'title-abstract'
                         ORDER BY 1) AS adjudicators
              FROM library_records r WHERE r.record_id = ANY(ids)) s
     WHERE l.record_id = s.id
       AND (l.ta_assigned, l.ta_open, l.ta_voters, l.ta_adjudicators)
           IS DISTINCT FROM (s.assigned, s.open, s.voters, s.adjudicators);
  ELSE
    UPDATE library_records l
       SET ft_assigned = s.assigned, ft_open = s.open, ft_voters = s.voters, ft_adjudicators = s.adjudicators
      FROM (SELECT r.record_id AS id,
                   ARRAY(SELECT g.reviewer_id FROM assignments g
                          WHERE g.record_id = r.record_id AND g.stage = 'full-text' AND g.state <> 'revoked' ORDER BY 1) AS assigned,
                   ARRAY(SELECT g.reviewer_id FROM assignments g
                          WHERE g.record_id = r.record_id AND g.stage = 'full-text' AND g.state = 'open' ORDER BY 1) AS open,
                   ARRAY(SELECT c.reviewer_id FROM current_votes c
                          WHERE c.record_id = r.record_id AND c.stage = 'full-text' AND c.role = 'reviewer' AND c.vote <> 'retract'
                          ORDER BY 1) AS voters,
                   ARRAY(SELECT c.reviewer_id FROM current_votes c
                          WHERE c.record_id = r.record_id AND c.stage = 'full-text' AND c.role = 'adjudicator'
                         UNION SELECT z.adjudicator_id FROM resolutions z WHERE z.record_id = r.record_id AND z.stage = 'full-text'
                         ORDER BY 1) AS adjudicators
              FROM library_records r WHERE r.record_id = ANY(ids)) s
     WHERE l.record_id = s.id
       AND (l.ft_assigned, l.ft_open, l.ft_voters, l.ft_adjudicators)
           IS DISTINCT FROM (s.assigned, s.open, s.voters, s.adjudicators);
  END IF;
END;
$$ LANGUAGE plpgsql;
