import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import { addRecordNote, getRecordPage } from '@winnow/screening';
import { currentReview, currentRoles, currentUser } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';

export const recordPageRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/records/:recordId',
    tag: 'records',
    summary:
      'One record: every normalised field, each duplicate in its group with its import, search and raw export text, where it stands at each stage, its history newest first (votes and resolutions as blinding allows) and its notes',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const page = await getRecordPage(
        rt.db,
        { reviewId: currentReview(req).id, userId: currentUser(req).id, roles: currentRoles(req) },
        String(req.params.recordId),
      );
      if (!page) throw new WinnowError('NOT_FOUND', 'There is no such record in this review');
      return page;
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/records/:recordId/notes',
    tag: 'records',
    summary: 'Add a note to a record (any member); the note is an event shown with its author and time',
    access: ANY_MEMBER,
    body: z.object({ text: z.string().max(20_000) }),
    handler: async ({ req, res, rt, body }) => {
      await rt.db.transaction((tx) =>
        addRecordNote(tx, {
          reviewId: currentReview(req).id,
          actorId: currentUser(req).id,
          recordId: String(req.params.recordId),
          text: body.text,
        }),
      );
      res.status(201);
      return { ok: true };
    },
  }),
];
