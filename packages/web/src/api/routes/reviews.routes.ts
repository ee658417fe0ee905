import { z } from 'zod';
import {
  addMember,
  createReview,
  getJob,
  listEvents,
  listJobs,
  listMembers,
  listReviews,
  WinnowError,
} from '@winnow/core';
import { currentReview, currentRoles, currentUser, param } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import { screenedRecordVisibility } from '@winnow/screening';
import { screeningStatusFor } from '../../status/screening.status.ts';
import { reviewStatus } from '../../status/status-contributors.ts';

const slug = z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}$/, 'lower-case letters, digits and dashes');

export const reviewRoutes = [
  route({
    method: 'get',
    path: '/reviews',
    tag: 'reviews',
    summary: 'Reviews the caller is a member of',
    access: 'user',
    handler: async ({ req, rt }) => ({ reviews: await listReviews(rt.db, currentUser(req).id) }),
  }),
  route({
    method: 'post',
    path: '/reviews',
    tag: 'reviews',
    summary: 'Create a review; the caller becomes its lead',
    access: 'user',
    body: z.object({
      slug,
      title: z.string().min(1).max(500),
      description: z.string().max(10_000).optional(),
    }),
    handler: async ({ req, res, rt, body }) => {
      const user = currentUser(req);
      const review = await createReview(rt.db, { ...body, actorId: user.id });
      await addMember(rt.db, { reviewId: review.id, userId: user.id, role: 'lead', actorId: user.id });
      res.status(201);
      return { review };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review',
    tag: 'reviews',
    summary: 'One review and the caller’s roles in it',
    access: ANY_MEMBER,
    handler: ({ req }) => ({ review: currentReview(req), roles: currentRoles(req) }),
  }),
  route({
    method: 'get',
    path: '/reviews/:review/status',
    tag: 'reviews',
    summary: 'Counts per stage, derived from the database',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const review = currentReview(req);
      const viewer = { id: currentUser(req).id, roles: currentRoles(req) };
      return {
        review: review.slug,
        ...(await reviewStatus(rt.db, review.id)),
        ...(await screeningStatusFor(rt.db, review.id, viewer)),
      };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/members',
    tag: 'reviews',
    summary: 'Members and their roles',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => ({ members: await listMembers(rt.db, currentReview(req).id) }),
  }),
  route({
    method: 'get',
    path: '/reviews/:review/jobs',
    tag: 'jobs',
    summary: 'Recent jobs of the review with state and progress',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => ({ jobs: await listJobs(rt.db, currentReview(req).id) }),
  }),
  route({
    method: 'get',
    path: '/reviews/:review/jobs/:jobId',
    tag: 'jobs',
    summary: 'One job of the review',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const job = await getJob(rt.db, param(req, 'jobId'));
      if (!job || job.reviewId !== currentReview(req).id) throw new WinnowError('NOT_FOUND', 'No such job');
      return { job };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/events',
    tag: 'reviews',
    summary: 'The review’s event log (lead only: it holds every vote)',
    access: ['lead'],
    query: z.object({
      after: z.coerce.number().int().min(0).optional(),
      entityId: z.string().optional(),
      limit: z.coerce.number().int().min(1).max(10_000).optional(),
    }),
    handler: async ({ req, rt, query }) => {
      const reviewId = currentReview(req).id;
      // A lead who also screens is as blind as any reviewer: records they have still to vote on
      // leave the log (votes, who voted, conflicts, outcomes), as decisions.csv leaves them out.
      const screened = await screenedRecordVisibility(rt.db, {
        reviewId,
        viewerId: currentUser(req).id,
        roles: currentRoles(req),
      });
      return {
        events: await listEvents(rt.db, {
          reviewId,
          afterId: query.after,
          entityId: query.entityId,
          limit: query.limit ?? 1000,
          withoutRecordStages: screened.filter((s) => !s.visibility.otherVotes),
        }),
      };
    },
  }),
];
