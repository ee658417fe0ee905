import { z } from 'zod';
import { seededRandom, shuffled } from '../routing/seeded-random.ts';
import { stageAgreement, type MaybeAs, type RatedVote } from '../agreement/stage-agreement.ts';

export const calibrationConfigSchema = z.object({
  /** Pilot size; 20-50 records is common practice for a title/abstract pilot. */
  size: z.number().int().min(2).max(500).default(30),
  /** Landis & Koch call 0.61-0.80 "substantial"; many protocols ask for >= 0.6 before splitting work. */
  threshold: z.number().min(-1).max(1).default(0.6),
  /** every-pair: the weakest pair must reach the threshold; pooled: the pooled kappa must. */
  rule: z.enum(['every-pair', 'pooled']).default('every-pair'),
  maybeAs: z.enum(['include', 'category']).default('include'),
  seed: z.number().int().min(0).default(1),
});
export type CalibrationConfig = z.output<typeof calibrationConfigSchema>;

export function selectPilotSet(recordIds: readonly string[], size: number, seed: number): string[] {
  return shuffled([...new Set(recordIds)].sort(), seededRandom(seed)).slice(0, size);
}

export interface CalibrationStatus {
  /** Pilot records each reviewer still has to vote on. */
  remaining: Record<string, number>;
  complete: boolean;
  kappa: number | null;
  open: boolean;
  reason: string;
}

/**
 * Whether a stage may open after its pilot: every reviewer has voted on every pilot record and the
 * kappa the lead chose reaches the threshold. Until then, routing keeps the stage closed.
 */
export function calibrationStatus(input: {
  pilotRecordIds: readonly string[];
  reviewerIds: readonly string[];
  votes: readonly RatedVote[];
  config: Pick<CalibrationConfig, 'threshold' | 'rule' | 'maybeAs'>;
}): CalibrationStatus {
  const pilot = new Set(input.pilotRecordIds);
  const reviewers = [...new Set(input.reviewerIds)].sort();
  const inPilot = input.votes.filter((v) => pilot.has(v.recordId) && reviewers.includes(v.reviewerId));
  const remaining: Record<string, number> = {};
  for (const r of reviewers) {
    const done = new Set(inPilot.filter((v) => v.reviewerId === r).map((v) => v.recordId));
    remaining[r] = pilot.size - done.size;
  }
  const complete = pilot.size > 0 && reviewers.length >= 2 && Object.values(remaining).every((n) => n === 0);
  const agreement = stageAgreement(inPilot, input.config.maybeAs as MaybeAs);
  let kappa: number | null;
  if (input.config.rule === 'pooled') kappa = agreement.overall.kappa;
  else {
    const ks = agreement.pairs.map((p) => p.kappa);
    kappa = ks.length === 0 || ks.some((k) => k === null) ? null : Math.min(...(ks as number[]));
  }
  const label = input.config.rule === 'pooled' ? 'pooled kappa' : 'lowest pairwise kappa';
  if (reviewers.length < 2)
    return { remaining, complete, kappa, open: false, reason: 'calibration needs at least two reviewers' };
  if (!complete) {
    const left = Object.values(remaining).reduce((a, b) => a + b, 0);
    return { remaining, complete, kappa, open: false, reason: `${left} pilot votes still to cast` };
  }
  if (kappa === null) {
    return {
      remaining,
      complete,
      kappa,
      open: false,
      reason: `${label} is undefined (every vote in one category): widen the pilot set`,
    };
  }
  const open = kappa >= input.config.threshold;
  return {
    remaining,
    complete,
    kappa,
    open,
    reason: `${label} ${kappa.toFixed(3)} ${open ? '>=' : '<'} threshold ${input.config.threshold}`,
  };
}
