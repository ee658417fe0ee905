import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import {
  assertRecordsInReview,
  dedupStateKey,
  duplicatePairsCsv,
  duplicatesCsv,
  listDuplicatePairRows,
  listDuplicateRows,
  countGroups,
  listGroups,
  listReviewQueue,
  recordManualDecision,
} from '@winnow/ingest';
import { currentReview, currentUser, param } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import type { Runtime } from '../../app/runtime.ts';
import { sendDownload } from '../../http/user-file.ts';

const DECIDERS = ['lead', 'reviewer', 'adjudicator'] as const;

/** Re-derives the groups after a decision; the state key makes a re-sent run a no-op. */
async function enqueueRun(rt: Runtime, reviewId: string): Promise<string> {
  const trigger = await dedupStateKey(rt.db, reviewId);
  return (await rt.queue.enqueue('dedup.run', { reviewId, trigger })).jobId;
}

export const dedupRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/duplicates/queue',
    tag: 'dedup',
    summary:
      'Questions awaiting a same/different answer, one per set of groups linked by uncertain matches, best first: its best pair in full, how many records and record pairs one answer covers, and the other groups when more than two',
    access: ANY_MEMBER,
    query: z.object({ limit: z.coerce.number().int().min(1).max(500).default(50) }),
    handler: async ({ req, rt, query }) => listReviewQueue(rt.db, currentReview(req).id, query.limit),
  }),
  route({
    method: 'post',
    path: '/reviews/:review/duplicates/decisions',
    tag: 'dedup',
    summary:
      'Answer a question: the same report (merge) or different reports; settles every record pair across the two groups shown, or with all: true across every group of the question; survives re-runs',
    access: DECIDERS,
    body: z.object({
      a: z.string().uuid(),
      b: z.string().uuid(),
      same: z.boolean(),
      /** For every group of the question, not only the pair shown ("all one report" / "all different reports"). */
      all: z.boolean().optional(),
    }),
    handler: async ({ req, res, rt, body }) => {
      const reviewId = currentReview(req).id;
      if (body.a === body.b)
        throw new WinnowError('VALIDATION', 'a and b must be two different records', {
          location: { field: 'b' },
        });
      if (!(await assertRecordsInReview(rt.db, reviewId, [body.a, body.b])))
        throw new WinnowError('NOT_FOUND', 'No such records in this review');
      await rt.db.transaction((tx) =>
        recordManualDecision(tx, reviewId, currentUser(req).id, {
          kind: body.same ? 'same' : 'different',
          a: body.a,
          b: body.b,
          ...(body.all ? { all: true } : {}),
        }),
      );
      res.status(202);
      return { jobId: await enqueueRun(rt, reviewId) };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/duplicates/groups',
    tag: 'dedup',
    summary:
      'Duplicate groups, a page at a time, and how many there are: members with tier, score and reason, the canonical record with provenance, per-source counts',
    access: ANY_MEMBER,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(1000).default(100),
      offset: z.coerce.number().int().min(0).default(0),
    }),
    handler: async ({ req, rt, query }) => ({
      groups: await listGroups(rt.db, currentReview(req).id, query),
      total: await countGroups(rt.db, currentReview(req).id),
    }),
  }),
  route({
    method: 'post',
    path: '/reviews/:review/duplicates/groups/:group/split',
    tag: 'dedup',
    summary:
      'Undo a merge (lead only): split the group into the given parts, default every record on its own',
    access: ['lead'],
    body: z.object({ parts: z.array(z.array(z.string().uuid()).min(1)).min(2).optional() }),
    handler: async ({ req, res, rt, body }) => {
      const reviewId = currentReview(req).id;
      const groupId = param(req, 'group');
      const [group] = await listGroups(rt.db, reviewId, { groupId });
      if (!group)
        throw new WinnowError(
          'NOT_FOUND',
          'This duplicate group no longer exists (a later dedup run may have replaced it)',
        );
      const members = new Set(group.members.map((m) => m.recordId));
      const parts = body.parts ?? group.members.map((m) => [m.recordId]);
      const named = parts.flat();
      if (named.some((id) => !members.has(id)) || new Set(named).size !== named.length)
        throw new WinnowError('VALIDATION', 'parts must name distinct records of this group', {
          location: { field: 'parts' },
        });
      await rt.db.transaction((tx) =>
        recordManualDecision(tx, reviewId, currentUser(req).id, { kind: 'split', groupId, parts }),
      );
      res.status(202);
      return { jobId: await enqueueRun(rt, reviewId) };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/duplicates/run',
    tag: 'dedup',
    summary: 'Re-run deduplication now (it also runs after every import)',
    access: ['lead'],
    handler: async ({ req, res, rt }) => {
      res.status(202);
      return { jobId: await enqueueRun(rt, currentReview(req).id) };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/duplicates.csv',
    tag: 'dedup',
    summary: 'One row per record: group_id, record_id, source_file, source_index, kept, tier, score, reason',
    access: ANY_MEMBER,
    handler: async ({ req, res, rt }) => {
      const review = currentReview(req);
      sendDownload(res, {
        fileName: `${review.slug}-duplicates.csv`,
        mediaType: 'text/csv; charset=utf-8',
        body: duplicatesCsv(await listDuplicateRows(rt.db, review.id)),
      });
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/duplicates/pairs.csv',
    tag: 'dedup',
    summary:
      'One row per candidate pair kept after blocking and scoring: record_a, record_b, source_file_a, source_index_a, source_file_b, source_index_b, status (auto-merged, pending, same, different), score, reason (lead)',
    access: ['lead'],
    handler: async ({ req, res, rt }) => {
      const review = currentReview(req);
      sendDownload(res, {
        fileName: `${review.slug}-duplicate-pairs.csv`,
        mediaType: 'text/csv; charset=utf-8',
        body: duplicatePairsCsv(await listDuplicatePairRows(rt.db, review.id)),
      });
      return undefined;
    },
  }),
];
