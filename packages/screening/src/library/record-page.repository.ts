import { appendEvent, WinnowError, type Role, type Sql } from '@winnow/core';
import type { Visibility } from '../stages/blinding.policy.ts';
import { getStageConfigs, type StoredStageConfig } from '../stages/stage-config.repository.ts';
import { isStage, STAGES, type Stage } from '../stages/stage.types.ts';
import { historyEventText } from './record-history-text.ts';
import { reasonLabeller } from './reason-labels.ts';
import type { RecordState } from './records-library.repository.ts';
import { selectionColumns } from './selection-columns.repository.ts';
import { explanationWords } from '../reconciliation/explanation-words.ts';
import { recordStageVisibility, type RecordStageSight } from '../stages/record-visibility.repository.ts';

export interface RecordPageViewer {
  reviewId: string;
  userId: string;
  roles: readonly Role[];
}

export interface RecordSource {
  recordId: string;
  kept: boolean;
  importId: string;
  fileName: string;
  importedAt: Date;
  /** The search the import belongs to (database, website, organisation, citation searching). */
  sourceName: string | null;
  sourceKind: string | null;
  database: string | null;
  title: string;
  raw: string;
}

export interface HistoryEntry {
  at: Date;
  kind: string;
  /** Who did it (name), or null for the system. */
  who: string | null;
  stage: string | null;
  /** What happened, in words (a vote with its reasons, a merge, an import...). */
  text: string;
  note: string | null;
}

export interface RecordPage {
  id: string;
  data: Record<string, unknown>;
  group: { id: string; tier: string; reason: string } | null;
  sources: RecordSource[];
  stages: {
    stage: Stage;
    status: string;
    /** The state the Records page shows this viewer for the stage, in its words (the same rules). */
    state: RecordState | null;
    /** Its exclusion reasons' labels where the Records page shows them. */
    reasons: string[];
    blind: boolean;
    hiddenReason: string | null;
  }[];
  fullText: { reportId: string; kind: string | null } | null;
  history: HistoryEntry[];
  notes: { at: Date; who: string | null; text: string }[];
}

/**
 * Why the viewer does not see a stage's outcome yet: `hidden` until they vote (they screen the
 * record), `hidden-after-vote` once they have, `hidden-until-decided` until they decide its
 * conflict (they adjudicate it: they never vote on it), `hidden-until-settled` when they take no
 * part in it.
 */
function hiddenStatus(sight: RecordStageSight, roles: readonly Role[]): string {
  if (sight.voted) return 'hidden-after-vote';
  if (sight.screens) return 'hidden';
  return roles.includes('adjudicator') && sight.status === 'conflict'
    ? 'hidden-until-decided'
    : 'hidden-until-settled';
}

const VOTE_WORDS: Record<string, string> = {
  include: 'Include',
  exclude: 'Exclude',
  maybe: 'Maybe',
  retract: 'Took back their vote',
};

const OUTCOME_WORDS: Record<string, string> = {
  advanced: 'included at this stage',
  excluded: 'excluded',
  conflict: 'in conflict',
  'awaiting-votes': 'awaiting screening again',
};

/** Votes store reason codes; people read the labels their stage gives them (reason-labels.ts). */
function reasonLabels(configs: readonly StoredStageConfig[]): (stage: string, code: string) => string {
  const label = reasonLabeller(configs.map((c) => c.config));
  return (stage, code) => (isStage(stage) ? label(stage, code) : code);
}

function withReasons(head: string, reasons: readonly string[], label: (code: string) => string): string {
  return reasons.length > 0 ? `${head}: ${reasons.map(label).join('; ')}` : head;
}

/** An outcome's explanation ends with its reason codes in brackets ("… voted exclude (setting)"). */
export function explanationInWords(text: string, label: (code: string) => string): string {
  // Explanations stored before they were worded ("all 2 reviewers … moves to full-text") read as today's.
  return explanationWords(text).replace(/\(([^()]*)\)$/u, (whole, inner: string) => {
    const codes = inner.split(/,\s*/u);
    return codes.every((c) => label(c) !== c) ? `(${codes.map(label).join('; ')})` : whole;
  });
}

/**
 * One record as its page shows it: every normalised field; each duplicate in its group with the
 * import and search it came from and its raw export text; where it stands at each stage; its
 * history newest first with who and when, votes and resolutions only as blinding.policy lets the
 * viewer see them at that stage; and its notes. Null when the record is not in the review.
 */
export async function getRecordPage(
  db: Sql,
  viewer: RecordPageViewer,
  recordId: string,
): Promise<RecordPage | null> {
  const { rows: recs } = await db.query<{
    id: string;
    data: Record<string, unknown>;
    reportId: string | null;
  }>(
    `SELECT r.id, r.data, (SELECT p.id FROM reports p WHERE p.record_id = r.id) AS "reportId"
       FROM records r WHERE r.review_id = $1 AND r.id = $2`,
    [viewer.reviewId, recordId],
  );
  const rec = recs[0];
  if (!rec) return null;

  const { rows: grp } = await db.query<{ groupId: string; tier: string; reason: string }>(
    `SELECT group_id AS "groupId", tier, reason FROM dedup_members WHERE record_id = $1 AND review_id = $2`,
    [recordId, viewer.reviewId],
  );
  const group = grp[0] ?? null;
  // The group's members by the group's index first: one query joining records to dedup_members on
  // "this record OR its group" read every record of the review (90 ms at 100,000 records).
  const memberIds = group
    ? (
        await db.query<{ id: string }>(
          `SELECT record_id::text AS id FROM dedup_members WHERE review_id = $1 AND group_id = $2`,
          [viewer.reviewId, group.groupId],
        )
      ).rows.map((m) => m.id)
    : [];
  const { rows: sources } = await db.query<RecordSource>(
    `SELECT r.id AS "recordId", coalesce(m.kept, r.id = $2) AS kept, i.id AS "importId", i.file_name AS "fileName",
            i.created_at AS "importedAt", s.source_name AS "sourceName", s.source_kind AS "sourceKind",
            r.data->'source'->>'database' AS database, r.title, r.raw
       FROM records r JOIN imports i ON i.id = r.import_id
       LEFT JOIN searches s ON s.id = i.search_id
       LEFT JOIN dedup_members m ON m.record_id = r.id
      WHERE r.review_id = $1 AND r.id = ANY($3::uuid[])
      ORDER BY coalesce(m.kept, false) DESC, i.created_at, r.source_index`,
    [viewer.reviewId, recordId, [...new Set([recordId, ...memberIds])]],
  );
  const recordIds = sources.map((s) => s.recordId);

  const stageVisibility = await recordStageVisibility(db, viewer, recordId);
  const configs = await getStageConfigs(db, viewer.reviewId);
  const listed = (await selectionColumns(db, viewer, [recordId], configs)).get(recordId);
  const stages: RecordPage['stages'] = [];
  const visByStage = new Map<string, Visibility>();
  for (const stage of STAGES) {
    const row = stageVisibility.get(stage);
    if (!row) continue;
    const { vis, blind } = row;
    visByStage.set(stage, vis);
    stages.push({
      stage,
      // A maybe is a conflict of its own kind: the records list calls it so too.
      status: vis.outcome ? (row.maybe ? 'maybe' : row.status) : hiddenStatus(row, viewer.roles),
      state: listed?.stages[stage].state ?? null,
      reasons: listed?.stages[stage].reasons ?? [],
      blind,
      hiddenReason: vis.otherVotes ? null : vis.reason,
    });
  }
  const sees = (stage: string) => visByStage.get(stage);

  const history: HistoryEntry[] = [];
  const labelOf = reasonLabels(configs);
  const { rows: votes } = await db.query<{
    at: Date;
    stage: string;
    reviewerId: string;
    who: string;
    role: string;
    vote: string;
    reasons: string[];
    note: string | null;
  }>(
    `SELECT d.created_at AS at, d.stage, d.reviewer_id AS "reviewerId", u.name AS who, d.role, d.vote, d.reasons, d.note
       FROM decisions d JOIN users u ON u.id = d.reviewer_id WHERE d.review_id = $1 AND d.record_id = $2`,
    [viewer.reviewId, recordId],
  );
  for (const v of votes) {
    const vis = sees(v.stage);
    if (!vis || !(v.reviewerId === viewer.userId ? vis.ownVote : vis.otherVotes)) continue;
    history.push({
      at: v.at,
      kind: v.vote === 'retract' ? 'retraction' : 'vote',
      who: v.who,
      stage: v.stage,
      text: withReasons(
        `${v.role === 'adjudicator' ? 'Adjudicator vote' : 'Vote'}: ${VOTE_WORDS[v.vote] ?? v.vote}`,
        v.reasons,
        (code) => labelOf(v.stage, code),
      ),
      note: v.note,
    });
  }
  const { rows: resolutions } = await db.query<{
    at: Date;
    stage: string;
    who: string;
    adjudicatorId: string;
    vote: string;
    reasons: string[];
    note: string | null;
  }>(
    `SELECT s.created_at AS at, s.stage, u.name AS who, s.adjudicator_id AS "adjudicatorId", s.vote, s.reasons, s.note
       FROM resolutions s JOIN users u ON u.id = s.adjudicator_id WHERE s.review_id = $1 AND s.record_id = $2`,
    [viewer.reviewId, recordId],
  );
  for (const s of resolutions) {
    const vis = sees(s.stage);
    if (!vis || !(vis.otherVotes || (s.adjudicatorId === viewer.userId && vis.ownVote))) continue;
    history.push({
      at: s.at,
      kind: 'resolution',
      who: s.who,
      stage: s.stage,
      text: withReasons(`Conflict resolved: ${VOTE_WORDS[s.vote] ?? s.vote}`, s.reasons, (code) =>
        labelOf(s.stage, code),
      ),
      note: s.note,
    });
  }
  const { rows: recon } = await db.query<{ at: Date; stage: string; status: string; explanation: string }>(
    `SELECT created_at AS at, stage, outcome->>'status' AS status, explanation
       FROM reconciliations WHERE review_id = $1 AND record_id = $2`,
    [viewer.reviewId, recordId],
  );
  for (const c of recon) {
    const vis = sees(c.stage);
    if (!vis?.outcome) continue;
    // The explanation counts and describes the votes: only for those who may see them.
    const text = vis.otherVotes
      ? explanationInWords(c.explanation, (code) => labelOf(c.stage, code))
      : `Outcome: ${OUTCOME_WORDS[c.status] ?? c.status}`;
    history.push({ at: c.at, kind: 'outcome', who: null, stage: c.stage, text, note: null });
  }

  // Everything else from the event log: about the record (or its duplicates), its group, its report, its import.
  const { rows: events } = await db.query<{
    at: Date;
    type: string;
    who: string | null;
    data: Record<string, unknown>;
    entityId: string;
  }>(
    `SELECT e.created_at AS at, e.type, u.name AS who, e.data, e.entity_id AS "entityId"
       FROM events e LEFT JOIN users u ON u.id = e.actor_id
      WHERE e.review_id = $1 AND (
            (e.entity_type = 'record' AND e.entity_id = ANY($2::text[]))
         OR (e.entity_type = 'dedup-group' AND e.entity_id = $3)
         OR (e.entity_type = 'record-pair' AND (split_part(e.entity_id, '|', 1) = $4 OR split_part(e.entity_id, '|', 2) = $4))
         OR (e.entity_type = 'report' AND e.entity_id = $5)
         OR (e.type = 'import.completed' AND e.entity_type = 'import' AND e.entity_id = ANY($6::text[])))
        AND e.type NOT LIKE 'decision.%' AND e.type NOT LIKE 'conflict.%'
        AND e.type NOT IN ('record.reconciled', 'record.reopened', 'assignment.created')`,
    [
      viewer.reviewId,
      recordIds,
      group?.groupId ?? '',
      recordId,
      rec.reportId ?? '',
      [...new Set(sources.map((s) => s.importId))],
    ],
  );
  const notes: RecordPage['notes'] = [];
  for (const e of events) {
    const stage = typeof e.data.stage === 'string' ? e.data.stage : null;
    // Who screens a record is part of what blinding hides (voteCount).
    if (e.type.startsWith('assignment.') && stage && !sees(stage)?.voteCount) continue;
    const note = e.type === 'record.noted' && typeof e.data.text === 'string' ? e.data.text : null;
    if (note !== null) notes.push({ at: e.at, who: e.who, text: note });
    const text = historyEventText(e.type, e.data, { pageRecordId: recordId, entityId: e.entityId });
    history.push({ at: e.at, kind: e.type, who: e.who, stage, text, note });
  }
  // Newest first. A vote and the outcome it settles are written in one transaction, at one time:
  // the outcome, their consequence, reads above the vote (and a resolution above the votes).
  const after = (kind: string) => (kind === 'outcome' ? 2 : kind === 'resolution' ? 1 : 0);
  history.sort((a, b) => b.at.getTime() - a.at.getTime() || after(b.kind) - after(a.kind));
  notes.sort((a, b) => b.at.getTime() - a.at.getTime());

  let fullText: RecordPage['fullText'] = null;
  if (rec.reportId) {
    const { rows: ret } = await db.query<{ kind: string }>(
      `SELECT kind FROM report_retrievals r WHERE r.report_id = $1
          AND NOT EXISTS (SELECT 1 FROM report_retrievals w WHERE w.withdraws = r.id)
          AND r.withdraws IS NULL ORDER BY id DESC LIMIT 1`,
      [rec.reportId],
    );
    fullText = { reportId: rec.reportId, kind: ret[0]?.kind ?? null };
  }
  return {
    id: rec.id,
    data: rec.data,
    group: group ? { id: group.groupId, tier: group.tier, reason: group.reason } : null,
    sources: sources.map((s) => ({ ...s, kept: s.kept })),
    stages,
    fullText,
    history,
    notes,
  };
}

/** The longest note on a record, in characters: the API's body limit says the same. */
export const NOTE_MAX_CHARS = 5_000;

/** A note on a record by any member: an event (record.noted), shown on the record's page. */
export async function addRecordNote(
  tx: Sql,
  input: { reviewId: string; actorId: string; recordId: string; text: string },
): Promise<void> {
  const text = input.text.trim();
  if (text.length === 0 || text.length > NOTE_MAX_CHARS)
    throw new WinnowError(
      'VALIDATION',
      text.length === 0
        ? 'The note is empty: write something first.'
        : `The note must be at most ${NOTE_MAX_CHARS} characters long.`,
      { location: { field: 'text' } },
    );
  const { rows } = await tx.query(`SELECT 1 FROM records WHERE review_id = $1 AND id = $2`, [
    input.reviewId,
    input.recordId,
  ]);
  if (rows.length === 0) throw new WinnowError('NOT_FOUND', 'There is no such record in this review');
  await appendEvent(tx, {
    reviewId: input.reviewId,
    type: 'record.noted',
    actorId: input.actorId,
    entityType: 'record',
    entityId: input.recordId,
    data: { text },
  });
}
