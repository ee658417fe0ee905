import { byline } from './record-byline.ts';
import { appendEvent, WinnowError, type Db, type Role, type Sql } from '@winnow/core';
import { redactVotes, visibility } from '../stages/blinding.policy.ts';
import { checkDecision } from '../stages/decision.schema.ts';
import { mayAdjudicate } from '../stages/stage-config.schema.ts';
import { getStageConfig } from '../stages/stage-config.repository.ts';
import { highlightSegments, type Segment } from '../stages/highlight.ts';
import type { Stage } from '../stages/stage.types.ts';
import { loadRecordVotes } from './decisions.repository.ts';
import { reconcileWithin, type ReconcileResult } from './reconcile.repository.ts';
import { currentVotes } from './vote-events.ts';

export interface ConflictView {
  id: string;
  recordId: string;
  stage: Stage;
  kind: string;
  status: string;
  title: string;
  /** "Baker T, Chan L, et al. (2020) · BMJ Qual Saf": who, when and where, to tell records apart. */
  byline: string;
  createdAt: Date;
  /** The record's report (sought at full text), whose attached text the card can show. */
  reportId: string | null;
  /** Empty until the viewer may see votes (an adjudicator after their own vote). */
  votes: {
    reviewerId: string;
    reviewerName: string;
    vote: string;
    reasons: readonly string[];
    note?: string | undefined;
  }[];
  votesHidden: boolean;
  visibilityReason: string;
  /** The whole record for the adjudicator: abstract and title with the stage's highlight terms marked. */
  record: ConflictRecord;
}

export interface ConflictRecord {
  abstract: string;
  authors: string[];
  keywords: string[];
  year: number | null;
  journal: string | null;
  doi: string | null;
  pmid: string | null;
  url: string | null;
  highlight: { title: Segment[]; abstract: Segment[] };
}

function conflictRecord(
  title: string,
  data: unknown,
  lists: { include: string[]; exclude: string[] },
): ConflictRecord {
  const d = (data ?? {}) as {
    abstract?: string;
    authors?: { asWritten?: string }[];
    keywords?: string[];
    year?: number;
    journal?: string;
    doi?: string;
    pmid?: string;
    url?: string;
  };
  const abstract = d.abstract ?? '';
  return {
    abstract,
    authors: (d.authors ?? []).map((a) => a.asWritten ?? '').filter((a) => a !== ''),
    keywords: d.keywords ?? [],
    year: d.year ?? null,
    journal: d.journal ?? null,
    doi: d.doi ?? null,
    pmid: d.pmid ?? null,
    url: d.url && /^https?:\/\//i.test(d.url) ? d.url : null,
    highlight: { title: highlightSegments(title, lists), abstract: highlightSegments(abstract, lists) },
  };
}

export async function assignedReviewers(db: Sql, recordId: string, stage: Stage): Promise<string[]> {
  const { rows } = await db.query<{ id: string }>(
    `SELECT reviewer_id AS id FROM assignments WHERE record_id = $1 AND stage = $2 AND state <> 'revoked'`,
    [recordId, stage],
  );
  return rows.map((r) => r.id);
}

/** How many conflicts of a stage (or all stages) have this status: what a page of them is out of. */
export async function countConflicts(
  db: Sql,
  input: { reviewId: string; stage?: Stage | undefined; status?: string },
): Promise<number> {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM conflicts
      WHERE review_id = $1 AND ($2::text IS NULL OR stage = $2) AND status = $3`,
    [input.reviewId, input.stage ?? null, input.status ?? 'open'],
  );
  return rows[0]!.n;
}

/** Conflicts with the votes the viewer may see under the stage's blinding rules. */
export async function listConflicts(
  db: Sql,
  input: {
    reviewId: string;
    stage?: Stage | undefined;
    viewerId: string;
    roles: readonly Role[];
    status?: string;
    /** One conflict, whatever its status (the card of a conflict the viewer has just decided). */
    id?: string;
    /** The first so many, oldest first (at most 1000). */
    limit?: number;
  },
): Promise<ConflictView[]> {
  if (input.limit === 0) return [];
  const { rows: found } = await db.query<
    Omit<ConflictView, 'votes' | 'votesHidden' | 'visibilityReason' | 'byline' | 'record'> & { data: unknown }
  >(
    `SELECT c.id, c.record_id AS "recordId", c.stage, c.kind, c.status, r.title, r.data, c.created_at AS "createdAt",
            (SELECT p.id::text FROM reports p WHERE p.record_id = c.record_id) AS "reportId"
     FROM conflicts c JOIN records r ON r.id = c.record_id
     WHERE c.review_id = $1 AND ($2::text IS NULL OR c.stage = $2)
       AND ($4::uuid IS NULL AND c.status = $3 OR c.id = $4::uuid)
     ORDER BY c.created_at, c.id LIMIT $5`,
    [
      input.reviewId,
      input.stage ?? null,
      input.status ?? 'open',
      input.id ?? null,
      Math.min(input.limit ?? 1000, 1000),
    ],
  );
  const rows = found.map(({ data, ...c }) => ({ ...c, data, byline: byline(data) }));
  const { rows: names } = await db.query<{ id: string; name: string }>(
    `SELECT u.id, u.name FROM users u JOIN members m ON m.user_id = u.id WHERE m.review_id = $1`,
    [input.reviewId],
  );
  const nameOf = new Map(names.map((n) => [n.id, n.name]));
  // Someone who has left the review keeps their votes, and is named as the record page names them,
  // to whoever may see those votes.
  const formerName = async (ids: string[]): Promise<void> => {
    const missing = ids.filter((id) => !nameOf.has(id));
    if (missing.length === 0) return;
    const { rows: former } = await db.query<{ id: string; name: string }>(
      `SELECT id, name FROM users WHERE id = ANY($1::uuid[])`,
      [missing],
    );
    for (const id of missing) {
      const name = former.find((f) => f.id === id)?.name;
      nameOf.set(id, name ? `${name} (former member)` : 'A former member');
    }
  };
  const out: ConflictView[] = [];
  for (const { data, ...c } of rows) {
    const { config } = await getStageConfig(db, input.reviewId, c.stage);
    const rv = await loadRecordVotes(db, c.recordId, c.stage);
    const current = currentVotes(rv.votes);
    const vis = visibility({
      blind: config.blind,
      viewerId: input.viewerId,
      roles: input.roles,
      assignedReviewerIds: await assignedReviewers(db, c.recordId, c.stage),
      voterIds: current.map((v) => v.reviewerId),
      adjudicatorVoterIds: [
        ...currentVotes(rv.adjudicatorVotes).map((v) => v.reviewerId),
        ...rv.resolutions.map((r) => r.adjudicatorId),
      ],
      settled: c.status !== 'open',
    });
    const visible = redactVotes(vis, input.viewerId, current);
    await formerName(visible.map((v) => v.reviewerId));
    const votes = visible.map((v) => ({ ...v, reviewerName: nameOf.get(v.reviewerId)! }));
    out.push({
      ...c,
      votes,
      votesHidden: !vis.otherVotes,
      visibilityReason: vis.reason,
      record: conflictRecord(c.title, data, config.highlight),
    });
  }
  return out;
}

/** Why a decision that a later vote replaced cannot be changed. */
const NO_LONGER_STANDS =
  'A reviewer changed a vote after this conflict was decided: the decision no longer stands, so it cannot be changed';

/** A decision on a conflict as an adjudicator sends it (resolveConflict, changeResolution). */
interface AdjudicatorInput {
  reviewId: string;
  conflictId: string;
  userId: string;
  vote: 'include' | 'exclude';
  reasons?: string[];
  note?: string;
  /** The caller's roles: checked against the stage's "who may adjudicate" setting when given. */
  roles?: readonly Role[];
}

/** The conflict the input names, in its review. */
async function findConflict(
  db: Db,
  input: AdjudicatorInput,
): Promise<{ recordId: string; stage: Stage; status: string }> {
  const { rows } = await db.query<{ recordId: string; stage: Stage; status: string }>(
    `SELECT record_id AS "recordId", stage, status FROM conflicts WHERE id = $1 AND review_id = $2`,
    [input.conflictId, input.reviewId],
  );
  if (!rows[0]) throw new WinnowError('NOT_FOUND', 'This conflict does not exist');
  return rows[0];
}

/**
 * The caller may decide this conflict (not one of its screeners; one of those the stage lets
 * adjudicate, when roles are given), and their decision checked against the stage's settings.
 */
async function adjudicatorDecision(
  db: Db,
  c: { recordId: string; stage: Stage },
  input: AdjudicatorInput,
): Promise<ReturnType<typeof checkDecision>> {
  if ((await assignedReviewers(db, c.recordId, c.stage)).includes(input.userId))
    throw new WinnowError(
      'FORBIDDEN',
      'You screened this record; a conflict needs a third person to resolve it',
    );
  const { config } = await getStageConfig(db, input.reviewId, c.stage);
  if (input.roles && !mayAdjudicate(config, input.userId, input.roles))
    throw new WinnowError(
      'FORBIDDEN',
      'The review’s lead has chosen who resolves conflicts at this stage, and you are not one of them',
    );
  return checkDecision(c.stage, config, {
    recordId: c.recordId,
    vote: input.vote,
    reasons: input.reasons,
    note: input.note,
  });
}

/** Writes the resolution if the conflict is this review's and has `status` (no row otherwise). */
async function insertResolution(
  tx: Sql,
  c: { recordId: string; stage: Stage },
  input: AdjudicatorInput,
  d: ReturnType<typeof checkDecision>,
  status: 'open' | 'resolved',
): Promise<{ id: number }[]> {
  const { rows } = await tx.query<{ id: number }>(
    `INSERT INTO resolutions (conflict_id, review_id, record_id, stage, adjudicator_id, vote, reasons, note)
     SELECT $1, $2, $3, $4, $5, $6, $7, $8 FROM conflicts WHERE id = $1 AND review_id = $2 AND status = $9
     RETURNING id`,
    [
      input.conflictId,
      input.reviewId,
      c.recordId,
      c.stage,
      input.userId,
      d.vote,
      JSON.stringify(d.reasons ?? []),
      d.note ?? null,
      status,
    ],
  );
  return rows;
}

/** An adjudicator's (or lead's) decision on an open conflict: an append-only resolution row. */
export async function resolveConflict(
  db: Db,
  input: AdjudicatorInput,
): Promise<{ resolutionId: number; recordId: string; stage: Stage }> {
  const c = await findConflict(db, input);
  if (c.status !== 'open') throw new WinnowError('CONFLICT', `This conflict is already ${c.status}`);
  const d = await adjudicatorDecision(db, c, input);
  return db.transaction(async (tx) => {
    // The conflict is checked again in the write: this review's, and still open.
    const ins = await insertResolution(tx, c, input, d, 'open');
    if (!ins[0])
      throw new WinnowError(
        'CONFLICT',
        'This conflict is no longer open: it was resolved, or a vote changed, a moment ago',
      );
    const resolutionId = Number(ins[0].id);
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'conflict.resolution-cast',
      actorId: input.userId,
      entityType: 'record',
      entityId: c.recordId,
      data: { stage: c.stage, conflictId: input.conflictId, resolutionId, vote: d.vote, reasons: d.reasons },
    });
    return { resolutionId, recordId: c.recordId, stage: c.stage };
  });
}

/**
 * The adjudicator changes their decision on a conflict they resolved (a slip of I for E): a new
 * resolution, which the reconciler takes as the latest after the last vote, reconciled in the same
 * transaction. Allowed while the record's outcome still rests on an adjudication (no vote changed
 * since, no conflict open again). A title/abstract include changed to exclude takes the record back
 * out of full text; once full-text assessment has begun (or, at full text, once its report is in a
 * study), the change is refused and nothing is kept. Logged as `conflict.resolution-changed`.
 */
export async function changeResolution(
  db: Db,
  input: AdjudicatorInput & { roles: readonly Role[] },
): Promise<{ resolutionId: number; recordId: string; stage: Stage; reconciled: ReconcileResult }> {
  const c = await findConflict(db, input);
  if (c.status === 'open')
    throw new WinnowError(
      'CONFLICT',
      'This conflict is still open: decide it, there is nothing to change yet',
    );
  if (c.status !== 'resolved') throw new WinnowError('CONFLICT', NO_LONGER_STANDS);
  const d = await adjudicatorDecision(db, c, input);
  return db.transaction(async (tx) => {
    // The stage row first, as every vote and reconciler takes it.
    const { rows: stands } = await tx.query<{ stands: boolean; studied: boolean }>(
      `SELECT s.outcome->>'by' = 'adjudication'
              AND NOT EXISTS (SELECT 1 FROM conflicts o WHERE o.record_id = s.record_id AND o.stage = s.stage AND o.status = 'open')
              AND (SELECT o.id FROM conflicts o WHERE o.record_id = s.record_id AND o.stage = s.stage
                    ORDER BY o.opened_basis_seq DESC, o.created_at DESC LIMIT 1) = $4::uuid AS stands,
              EXISTS (SELECT 1 FROM reports rp WHERE rp.record_id = s.record_id AND rp.study_id IS NOT NULL) AS studied
         FROM stage_records s WHERE s.review_id = $1 AND s.record_id = $2 AND s.stage = $3 FOR UPDATE`,
      [input.reviewId, c.recordId, c.stage, input.conflictId],
    );
    if (!stands[0]?.stands) throw new WinnowError('CONFLICT', NO_LONGER_STANDS);
    if (c.stage === 'full-text' && stands[0].studied && d.vote === 'exclude')
      throw new WinnowError(
        'CONFLICT',
        'This record’s report is already in a study for extraction: the lead takes it out of the study before it can be excluded',
      );
    const ins = await insertResolution(tx, c, input, d, 'resolved');
    if (!ins[0]) throw new WinnowError('CONFLICT', NO_LONGER_STANDS);
    const resolutionId = Number(ins[0].id);
    await appendEvent(tx, {
      reviewId: input.reviewId,
      type: 'conflict.resolution-changed',
      actorId: input.userId,
      entityType: 'record',
      entityId: c.recordId,
      data: { stage: c.stage, conflictId: input.conflictId, resolutionId, vote: d.vote, reasons: d.reasons },
    });
    const reconciled = await reconcileWithin(tx, {
      reviewId: input.reviewId,
      recordId: c.recordId,
      stage: c.stage,
      locked: true,
      fullTextBegun: 'refuse',
    });
    return { resolutionId, recordId: c.recordId, stage: c.stage, reconciled };
  });
}
