import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import { recordCodingHistory } from '@winnow/extraction';
import { joinedByReviewer } from '@winnow/ingest';
import {
  addRecordNote,
  getRecordPage,
  NOTE_MAX_CHARS,
  recordPrismaBoxes,
  recordSplitHistory,
} from '@winnow/screening';
import { currentReview, currentUser, currentViewer } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import { titled } from '../../http/validation-message.ts';
import { PRISMA_ROLES } from './prisma.routes.ts';

export const recordPageRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/records/:recordId',
    tag: 'records',
    summary:
      'One record: every normalised field, each duplicate in its group with its import, search and raw export text, where it stands at each stage, its history newest first (votes and resolutions as blinding allows; codings of its study as the coding pages allow) and its notes',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const viewer = currentViewer(req);
      const recordId = String(req.params.recordId);
      const page = await getRecordPage(rt.db, viewer, recordId);
      if (!page) throw new WinnowError('NOT_FOUND', 'There is no such record in this review');
      const codings = await recordCodingHistory(rt.db, viewer, recordId);
      const splits = await recordSplitHistory(rt.db, viewer.reviewId, recordId, page.group?.id ?? null);
      const history = [...page.history, ...codings, ...splits].sort(
        (a, b) => b.at.getTime() - a.at.getTime(),
      );
      // A record a reviewer joined to its group links with the certain tier: said as the reviewer's.
      const group = page.group && { ...page.group, byReviewer: joinedByReviewer(page.group.reason) };
      return { ...page, group, history };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/records/:recordId/prisma-box',
    tag: 'records',
    summary:
      'The PRISMA 2020 boxes the record and its report count in, in words, each hidden when it would tell an outcome blind screening keeps from the caller (the reason of a full-text exclusion too); placed from that record alone (its search, marks, outcomes, report and retrieval), as the whole flow places it',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      const viewer = currentViewer(req);
      const boxes = await recordPrismaBoxes(rt.db, viewer, String(req.params.recordId));
      if (!boxes) throw new WinnowError('NOT_FOUND', 'There is no such record in this review');
      // The box lists are the PRISMA page's: only its roles get a link there.
      return { ...boxes, canOpenBoxes: PRISMA_ROLES.some((r) => viewer.roles.includes(r)) };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/records/:recordId/notes',
    tag: 'records',
    summary: 'Add a note to a record (any member); the note is an event shown with its author and time',
    access: ANY_MEMBER,
    body: titled(z.object({ text: z.string().max(NOTE_MAX_CHARS) }), { text: 'The note' }),
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
