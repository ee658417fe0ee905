import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import {
  getPrioritisationSettings,
  liveStoppingTest,
  loadLiveTrainingData,
  prioritisationSettingsSchema,
  prioritisationStatus,
  RETRAIN_JOB,
  setPrioritisationSettings,
  STAGES,
  stopScreeningEarly,
  type Stage,
} from '@winnow/screening';
import { currentReview, currentUser, param } from '../../http/request-context.ts';
import { ANY_MEMBER, route } from '../../http/route.ts';
import { titled } from '../../http/validation-message.ts';
import type { Request } from 'express';

function stageOf(req: Request): Stage {
  const s = param(req, 'stage');
  if (!(STAGES as readonly string[]).includes(s))
    throw new WinnowError('NOT_FOUND', `no stage "${s}" (stages: ${STAGES.join(', ')})`);
  return s as Stage;
}

export const prioritisationRoutes = [
  route({
    method: 'get',
    path: '/reviews/:review/prioritisation/:stage',
    tag: 'prioritisation',
    summary:
      'Latest model (when it trained, on how many settled records), settled records now, estimated recall and stopping-test p-value; read only',
    access: ANY_MEMBER,
    handler: async ({ req, rt }) => {
      // Settled labels only feed these numbers, so they reveal no one's unsettled vote. Reading
      // queues nothing: retrains follow settled records (the reconciliation job queues them).
      const status = await prioritisationStatus(rt.db, currentReview(req).id, stageOf(req));
      // The server's clock, so the page can say how long ago the model trained whatever the browser's says.
      return { ...status, now: new Date() };
    },
  }),
  route({
    method: 'put',
    path: '/reviews/:review/prioritisation/:stage/settings',
    tag: 'prioritisation',
    summary:
      'Retrain cadence (settled records), random share, classifier, stopping target recall and confidence',
    access: ['lead'],
    // Titled as the settings page labels them, so a refused value is named in its words.
    body: titled(prioritisationSettingsSchema.partial(), {
      retrainEvery: 'Retrain after this many more settled records',
      randomShare: 'Share of records served at random',
      targetRecall: 'The recall to reach (stopping rule)',
      confidence: 'The confidence (stopping rule)',
      classifier: 'Model',
    }),
    handler: async ({ req, rt, body }) => {
      // A partial schema still fills in each field's default: only the settings the request names
      // change, so a script saving one of them does not put the others back to their defaults.
      const sent = (req.body ?? {}) as Record<string, unknown>;
      const named = Object.fromEntries(Object.entries(body).filter(([key]) => Object.hasOwn(sent, key)));
      return {
        settings: await setPrioritisationSettings(rt.db, {
          reviewId: currentReview(req).id,
          stage: stageOf(req),
          settings: named,
          actorId: currentUser(req).id,
        }),
      };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/prioritisation/:stage/retrain',
    tag: 'prioritisation',
    summary:
      'Queue a retrain now (skipped when the latest model rests on the same settled records and classifier)',
    access: ['lead'],
    handler: async ({ req, res, rt }) => {
      const review = currentReview(req);
      const { jobId } = await rt.queue.enqueue(RETRAIN_JOB, {
        reviewId: review.id,
        stage: stageOf(req),
        trigger: `manual-${Date.now()}`,
      });
      res.status(202);
      return { jobId };
    },
  }),
  route({
    method: 'post',
    path: '/reviews/:review/prioritisation/:stage/stop',
    tag: 'prioritisation',
    summary:
      'Stop screening early: exclude the records nobody has voted on as "automation", recording the stopping test',
    access: ['lead'],
    body: z.object({
      /** Stop even though the test does not reject "recall < target" (recorded as forced). */
      force: z.boolean().default(false),
    }),
    handler: async ({ req, rt, body }) => {
      const review = currentReview(req);
      const stage = stageOf(req);
      const settings = await getPrioritisationSettings(rt.db, review.id, stage);
      // The test is recomputed on the labels as they are now, not taken from the last model.
      const test = liveStoppingTest(await loadLiveTrainingData(rt.db, review.id, stage), settings);
      if (!test.canStop && !body.force) {
        throw new WinnowError(
          'CONFLICT',
          `the stopping test does not yet support stopping: p = ${test.pValue.toPrecision(3)} for recall < ${settings.targetRecall} (needs < ${(1 - settings.confidence).toFixed(3)}); send force: true to stop anyway`,
          { test },
        );
      }
      const status = await prioritisationStatus(rt.db, review.id, stage);
      const { excluded } = await stopScreeningEarly(rt.db, {
        reviewId: review.id,
        stage,
        actorId: currentUser(req).id,
        test,
        forced: !test.canStop,
        modelId: status.model?.id ?? null,
      });
      return { excluded: excluded.length, test, forced: !test.canStop };
    },
  }),
];
