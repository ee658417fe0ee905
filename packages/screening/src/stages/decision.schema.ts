import { z } from 'zod';
import { WinnowError } from '@winnow/core';
import { VOTES, type Stage } from './stage.types.ts';
import { reasonsRequired, type StageConfig } from './stage-config.schema.ts';

export const decisionInputSchema = z.object({
  recordId: z.string().min(1).max(100),
  vote: z.enum(VOTES),
  reasons: z.array(z.string().min(1).max(48)).max(20).optional(),
  labels: z.array(z.string().min(1).max(60)).max(20).optional(),
  note: z.string().max(5_000).optional(),
});
export type DecisionInput = z.infer<typeof decisionInputSchema>;

/**
 * Checks a vote against the stage's rules: reasons belong to the shared list, go only with an
 * exclude, and are mandatory where the stage says so. Returns the input with reasons de-duplicated.
 */
export function checkDecision(stage: Stage, cfg: StageConfig, input: DecisionInput): DecisionInput {
  const reasons = [...new Set(input.reasons ?? [])];
  const known = new Set(cfg.exclusionReasons.map((r) => r.code));
  for (const code of reasons) {
    const retired = cfg.exclusionReasons.find((r) => r.code === code && r.retired);
    if (retired) {
      throw new WinnowError(
        'VALIDATION',
        `The exclusion reason “${retired.label}” has been retired; choose another reason`,
        { location: { field: 'reasons' } },
      );
    }
    if (!known.has(code)) {
      throw new WinnowError(
        'VALIDATION',
        `Unknown exclusion reason "${code}" for stage ${stage}; known: ${[...known].join(', ') || 'none'}`,
        {
          location: { field: 'reasons' },
        },
      );
    }
  }
  if (reasons.length > 0 && input.vote !== 'exclude') {
    throw new WinnowError(
      'VALIDATION',
      `Exclusion reasons go only with an exclude vote, not "${input.vote}"`,
      {
        location: { field: 'reasons' },
      },
    );
  }
  if (input.vote === 'exclude' && reasons.length === 0 && reasonsRequired(stage, cfg)) {
    throw new WinnowError('VALIDATION', `An exclude vote at ${stage} needs at least one exclusion reason`, {
      location: { field: 'reasons' },
    });
  }
  const labels = input.labels ? [...new Set(input.labels)] : undefined;
  if (labels) {
    const allowed = new Set(cfg.labels);
    const bad = labels.find((l) => !allowed.has(l));
    if (bad)
      throw new WinnowError('VALIDATION', `Unknown label "${bad}" for stage ${stage}`, {
        location: { field: 'labels' },
      });
  }
  if (input.note && !cfg.notesEnabled) {
    throw new WinnowError('VALIDATION', `Notes are switched off for stage ${stage}`, {
      location: { field: 'note' },
    });
  }
  return { ...input, reasons, ...(labels ? { labels } : {}) };
}
