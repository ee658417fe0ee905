import type { Request } from 'express';
import { z } from 'zod';
import {
  acceptInvitation,
  checkEmail,
  checkNewPassword,
  createInvitation,
  findInvitation,
  hashPassword,
  invitationProblem,
  listPendingInvitations,
  revokeInvitation,
  ROLES,
  WinnowError,
  type Role,
} from '@winnow/core';
import { ROUTE_JOB, STAGES } from '@winnow/screening';
import type { Runtime } from '../../app/runtime.ts';
import { INVITATION_LINKS, takeAttempt } from '../../auth/attempt-limits.ts';
import { refundAttempt } from '../../auth/sessions.repository.ts';
import { startSession } from '../../auth/sign-in.ts';
import { currentReview, currentUser, param } from '../../http/request-context.ts';
import { route, type RouteDef } from '../../http/route.ts';
import { titled } from '../../http/validation-message.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
// Titled as the invitation form labels them, so a refused value is named in its words.
const INVITE_BODY = titled(
  z.object({
    email: z.string().max(1000),
    role: z.enum(ROLES as [Role, ...Role[]], { message: 'must be one of the roles offered' }),
  }),
  { email: 'The email address', role: 'The role' },
);

/** The page a person opens to accept: the client routes `/invite/:token`. */
function linkFor(req: Request, token: string): string {
  return `${req.protocol}://${req.get('host') ?? 'localhost'}/invite/${token}`;
}

/**
 * Invites an email to the review. The answer is the same whether or not the email has an account
 * (nobody is looked up), so a lead learns nothing about who uses this install.
 */
const invite: RouteDef<z.infer<typeof INVITE_BODY>>['handler'] = async ({ req, res, rt, body }) => {
  const { invitation, token } = await createInvitation(rt.db, {
    reviewId: currentReview(req).id,
    email: checkEmail(body.email),
    role: body.role,
    actorId: currentUser(req).id,
  });
  res.status(201);
  return { invitation: { ...invitation, link: linkFor(req, token) } };
};

/**
 * Counts a look at a link against the client address before the lookup, and gives the attempt
 * back when the link is real: only guessing adds up to a refusal.
 */
async function lookUp(req: Request, db: Parameters<typeof findInvitation>[0]) {
  const key = `invite:${req.ip}`;
  await takeAttempt(db, [key], INVITATION_LINKS);
  const token = param(req, 'token');
  const found = await findInvitation(db, token);
  if (!found) throw new WinnowError('NOT_FOUND', invitationProblem(null)!);
  await refundAttempt(db, key);
  return { token, found };
}

/**
 * A reviewer who joins gets a share of the open records at once: one routing run per stage, keyed
 * on the invitation so a re-sent request queues nothing twice. The membership is already
 * committed, so a queue that is down must not turn the accept into an error (the link is used up):
 * the next routing run (after an import or a vote) hands out the share instead.
 */
async function routeNewReviewer(
  rt: Runtime,
  accepted: { reviewId: string; role: Role; invitationId: string },
) {
  if (accepted.role !== 'reviewer') return;
  try {
    for (const stage of STAGES) {
      await rt.queue.enqueue(ROUTE_JOB, {
        reviewId: accepted.reviewId,
        stage,
        trigger: `joined-${accepted.invitationId}`,
      });
    }
  } catch (error) {
    rt.log.error('could not queue routing for a reviewer who joined', { error: String(error) });
  }
}

export const invitationRoutes = [
  route({
    method: 'post',
    path: '/reviews/:review/invitations',
    tag: 'reviews',
    summary: 'Invite someone by email with a role; returns a one-time link valid 7 days (lead only)',
    access: ['lead'],
    body: INVITE_BODY,
    handler: invite,
  }),
  route({
    method: 'post',
    path: '/reviews/:review/members',
    tag: 'reviews',
    summary:
      'Add a member by email (lead only): the same as an invitation, so the answer never tells whether the email has an account',
    access: ['lead'],
    body: INVITE_BODY,
    handler: invite,
  }),
  route({
    method: 'get',
    path: '/reviews/:review/invitations',
    tag: 'reviews',
    summary: 'Invitations not yet accepted, revoked or expired (lead only; links are not stored)',
    access: ['lead'],
    handler: async ({ req, rt }) => ({
      invitations: await listPendingInvitations(rt.db, currentReview(req).id),
    }),
  }),
  route({
    method: 'delete',
    path: '/reviews/:review/invitations/:id',
    tag: 'reviews',
    summary: 'Withdraw a pending invitation; its link stops working at once (lead only)',
    access: ['lead'],
    handler: async ({ req, res, rt }) => {
      const id = param(req, 'id');
      const ok =
        UUID.test(id) &&
        (await revokeInvitation(rt.db, {
          reviewId: currentReview(req).id,
          id,
          actorId: currentUser(req).id,
        }));
      if (!ok) throw new WinnowError('NOT_FOUND', 'No pending invitation with this id in this review');
      res.status(204).end();
      return undefined;
    },
  }),
  route({
    method: 'get',
    path: '/invitations/:token',
    tag: 'auth',
    summary: 'What an invitation link offers: the review title, the role and the invited email',
    access: 'public',
    handler: async ({ req, rt }) => {
      const { found } = await lookUp(req, rt.db);
      const problem = invitationProblem(found.state);
      if (problem) throw new WinnowError('NOT_FOUND', problem);
      return { invitation: found };
    },
  }),
  route({
    method: 'post',
    path: '/invitations/:token/accept',
    tag: 'auth',
    summary:
      'Accept an invitation: signed in, adds the role to your account; otherwise creates the account from a name and password and signs in',
    access: 'public',
    body: titled(
      z.object({ name: z.string().max(200).optional(), password: z.string().max(1024).optional() }),
      { name: 'Your name', password: 'The password' },
    ),
    handler: async ({ req, res, rt, body }) => {
      const { token, found } = await lookUp(req, rt.db);
      // Said before any password hashing; acceptInvitation checks again under its row lock.
      const problem = invitationProblem(found.state);
      if (problem) throw new WinnowError('NOT_FOUND', problem);
      if (req.user) {
        const accepted = await acceptInvitation(rt.db, token, { userId: req.user.id });
        await routeNewReviewer(rt, accepted);
        return { user: req.user, review: accepted.reviewSlug };
      }
      const name = body.name?.trim() ?? '';
      if (!name) throw new WinnowError('VALIDATION', 'Enter your name', { location: { field: 'name' } });
      checkNewPassword(body.password ?? '');
      const passwordHash = await hashPassword(body.password ?? '');
      const accepted = await acceptInvitation(rt.db, token, { name, passwordHash });
      await routeNewReviewer(rt, accepted);
      res.status(201);
      return { ...(await startSession(rt.db, req, res, accepted.user!)), review: accepted.reviewSlug };
    },
  }),
];
