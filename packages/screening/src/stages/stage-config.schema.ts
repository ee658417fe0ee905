import { z } from 'zod';
import type { Stage } from './stage.types.ts';

const keywordList = z.array(z.string().trim().min(1).max(200)).max(500).default([]);

export const exclusionReasonSchema = z.object({
  /** Stable key stored with each vote, so renaming a label keeps old votes meaningful. */
  code: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'use lower-case letters, digits and dashes (at most 48)'),
  label: z.string().trim().min(1).max(200),
});
export type ExclusionReason = z.infer<typeof exclusionReasonSchema>;

export const stageConfigSchema = z
  .object({
    /** Independent votes each record needs before it is reconciled (Cochrane MECIR C39: two). */
    votesNeeded: z.number().int().min(1).max(5).default(2),
    /** Blind mode hides other reviewers' votes until the viewer has voted (see blinding.policy.ts). */
    blind: z.boolean().default(true),
    criteria: z.string().max(20_000).default(''),
    /** One list for the whole team, so reasons are comparable across reviewers (PRISMA item 16a). */
    exclusionReasons: z.array(exclusionReasonSchema).max(50).default([]),
    /** Undefined means the stage default: optional at title/abstract, mandatory at full text. */
    reasonsRequired: z.boolean().optional(),
    labels: z.array(z.string().trim().min(1).max(60)).max(100).default([]),
    notesEnabled: z.boolean().default(true),
    highlight: z.object({ include: keywordList, exclude: keywordList }).default({ include: [], exclude: [] }),
    order: z.enum(['random', 'prioritised']).default('random'),
    /** Seed for the random order, so a routing run can be replayed exactly. */
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 31 - 1)
      .default(1),
  })
  .superRefine((cfg, ctx) => {
    const seen = new Set<string>();
    cfg.exclusionReasons.forEach((r, i) => {
      if (seen.has(r.code)) {
        ctx.addIssue({
          code: 'custom',
          path: ['exclusionReasons', i, 'code'],
          message: `duplicate reason code "${r.code}"`,
        });
      }
      seen.add(r.code);
    });
  });
export type StageConfigInput = z.input<typeof stageConfigSchema>;
export type StageConfig = z.output<typeof stageConfigSchema>;

export const screeningConfigSchema = z.object({
  'title-abstract': stageConfigSchema.default(stageConfigSchema.parse({})),
  'full-text': stageConfigSchema.default(stageConfigSchema.parse({})),
});
export type ScreeningConfig = z.output<typeof screeningConfigSchema>;

export function defaultStageConfig(): StageConfig {
  return stageConfigSchema.parse({});
}

/** Whether an exclude vote at this stage must carry at least one reason. */
export function reasonsRequired(stage: Stage, cfg: StageConfig): boolean {
  return cfg.reasonsRequired ?? stage === 'full-text';
}
