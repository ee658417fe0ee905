import type { Review } from '@winnow/core';
import { ROUTE_JOB, saveStageConfig, type StageConfigInput } from '@winnow/screening';
import type { Runtime } from '../app/runtime.ts';

/**
 * Eligibility as the seed REA describes its method (section 2): reviews and systematic reviews of
 * the academic literature, plus grey literature, about learning from the process of doing quality
 * improvement in healthcare; improvement of productivity or of the social determinants of health
 * was out of scope.
 */
const CRITERIA = [
  'Include:',
  '- reviews or systematic reviews (academic literature), or grey literature from organisations active in quality improvement;',
  '- about the process of doing quality improvement in healthcare: what helps or hinders it, and what was learned.',
  'Exclude:',
  '- primary studies in the academic literature (the REA read reviews only);',
  '- improvement of productivity or efficiency alone, or of the social determinants of health;',
  '- settings outside healthcare.',
].join('\n');

const REASONS = [
  { code: 'not-review', label: 'Primary study, not a review' },
  { code: 'not-qi-process', label: 'Not about the process of quality improvement' },
  { code: 'productivity', label: 'Productivity or social determinants only' },
  { code: 'not-healthcare', label: 'Not a healthcare setting' },
];

const STAGES: Array<{ stage: 'title-abstract' | 'full-text'; config: StageConfigInput }> = [
  {
    stage: 'title-abstract',
    config: {
      criteria: CRITERIA,
      exclusionReasons: REASONS,
      highlight: {
        include: ['quality improvement', 'systematic review', 'review', 'leadership', 'learning'],
        exclude: ['productivity', 'randomised controlled trial', 'randomized controlled trial'],
      },
    },
  },
  { stage: 'full-text', config: { criteria: CRITERIA, exclusionReasons: REASONS } },
];

/**
 * Configures both screening stages the way the REA's team would and queues title/abstract
 * routing, so the demo reviewers find records waiting for them.
 */
export async function openDemoScreening(rt: Runtime, review: Review, leadId: string): Promise<void> {
  for (const { stage, config } of STAGES)
    await saveStageConfig(rt.db, { reviewId: review.id, stage, config, actorId: leadId });
  const { jobId } = await rt.queue.enqueue(ROUTE_JOB, {
    reviewId: review.id,
    stage: 'title-abstract',
    trigger: 'demo',
  });
  if (rt.workers) await rt.queue.waitFor(jobId);
}
