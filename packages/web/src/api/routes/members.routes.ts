import { z } from 'zod';
import { listMembers, removeFromReview, ROLES, setMemberRoles, type Role } from '@winnow/core';
import { CODING_ROLES, hasUnsubmittedCoding } from '@winnow/extraction';
import { ROUTE_JOB, STAGES } from '@winnow/screening';
import type { Runtime } from '../../app/runtime.ts';
import { currentReview, currentUser, param } from '../../http/request-context.ts';
import { route } from '../../http/route.ts';

// Adding members and invitations live in their own routes (reviews / invitations); these change
// and remove members who are already in the review.

const memberId = (raw: string) =>
  z.uuid({ message: 'That person is not a member of this review' }).parse(raw);

/**
 * A reviewer who joins or leaves changes who screens what: one routing run per stage hands a
 * leaver's open assignments to the others (votes already cast stay and count) and gives a joiner
 * a share. Keyed on the change, so a re-sent request queues nothing twice.
 */
async function rerouteAfter(rt: Runtime, reviewId: string, key: string): Promise<string[]> {
  const jobs = await Promise.all(
    STAGES.map((stage) => rt.queue.enqueue(ROUTE_JOB, { reviewId, stage, trigger: key })),
  );
  return jobs.map((j) => j.jobId);
}

/**
 * Someone who may no longer code leaves studies half-coded: one assignment run hands their
 * unsubmitted tasks to the other coders (a submitted coding stays and counts) and starts nothing new.
 */
async function handOnCodingAfter(
  rt: Runtime,
  reviewId: string,
  userId: string,
  key: string,
): Promise<string[]> {
  if (!(await hasUnsubmittedCoding(rt.db, reviewId, userId))) return [];
  const job = await rt.queue.enqueue('extraction.assign', { reviewId, basis: key, existingOnly: true });
  return [job.jobId];
}

export const memberRoutes = [
  route({
    method: 'put',
    path: '/reviews/:review/members/:userId',
    tag: 'reviews',
    summary:
      'Set a member’s roles (lead); a review keeps at least one lead; reviewer changes re-route open work',
    access: ['lead'],
    body: z.object({
      roles: z
        .array(z.enum(ROLES as [Role, ...Role[]]))
        .min(1)
        .max(4),
    }),
    handler: async ({ req, rt, body }) => {
      const review = currentReview(req);
      const userId = memberId(param(req, 'userId'));
      const change = await setMemberRoles(rt.db, {
        reviewId: review.id,
        userId,
        roles: body.roles,
        actorId: currentUser(req).id,
      });
      const key = `member-${userId}-${Date.now()}`;
      const touchesScreening = [...change.added, ...change.removed].includes('reviewer');
      const jobIds = touchesScreening ? await rerouteAfter(rt, review.id, key) : [];
      if (change.removed.some((r) => (CODING_ROLES as readonly Role[]).includes(r)))
        jobIds.push(...(await handOnCodingAfter(rt, review.id, userId, key)));
      const members = await listMembers(rt.db, review.id);
      return { member: members.find((m) => m.id === userId) ?? null, ...change, jobIds };
    },
  }),
  route({
    method: 'delete',
    path: '/reviews/:review/members/:userId',
    tag: 'reviews',
    summary:
      'Remove a member from the review (lead): their votes and submitted codings stay in the log and count; their open assignments and unsubmitted coding tasks go to others',
    access: ['lead'],
    handler: async ({ req, rt }) => {
      const review = currentReview(req);
      const userId = memberId(param(req, 'userId'));
      const { removed } = await removeFromReview(rt.db, {
        reviewId: review.id,
        userId,
        actorId: currentUser(req).id,
      });
      const key = `member-${userId}-${Date.now()}`;
      const jobIds = removed.includes('reviewer') ? await rerouteAfter(rt, review.id, key) : [];
      if (removed.some((r) => (CODING_ROLES as readonly Role[]).includes(r)))
        jobIds.push(...(await handOnCodingAfter(rt, review.id, userId, key)));
      return { removed, jobIds };
    },
  }),
];
