import { z } from 'zod';
import { protocolOf, updateReview } from '@winnow/core';
import { loadDefaultCodebook } from '@winnow/extraction';
import { currentReview, currentUser } from '../../http/request-context.ts';
import { route } from '../../http/route.ts';

const text = (max: number) => z.string().max(max);

export const reviewSettingsRoutes = [
  route({
    method: 'patch',
    path: '/reviews/:review',
    tag: 'reviews',
    summary:
      'Change the title and protocol fields: review question, eligibility criteria, registration (lead; each change logged)',
    access: ['lead'],
    body: z
      .object({
        title: z.string().trim().min(1, 'the title cannot be empty').max(500),
        question: text(5_000),
        eligibility: text(20_000),
        registration: text(200),
      })
      .partial()
      .strict(),
    handler: async ({ req, rt, body }) => {
      const review = await updateReview(rt.db, {
        reviewId: currentReview(req).id,
        change: body,
        actorId: currentUser(req).id,
      });
      return { review, protocol: protocolOf(review) };
    },
  }),
  route({
    method: 'get',
    path: '/reviews/:review/extraction/codebook/default',
    tag: 'extraction',
    summary:
      'The default codebook shipped with Winnow (influences on improvement processes), to import as the next version (lead)',
    access: ['lead'],
    handler: () => ({ codebook: loadDefaultCodebook() }),
  }),
];
