import { z } from 'zod';
import type { Role } from '@winnow/core';
import type { Stage } from './stage.types.ts';

// Messages follow the field's name ("Criteria: at most 20,000 characters"), in the words of the form.
const keywordList = z
  .array(z.string().trim().min(1, 'a term cannot be empty').max(200, 'each term at most 200 characters'))
  .max(500, 'at most 500 terms')
  .default([]);

export const exclusionReasonSchema = z.object({
  // The label first: a reason with no name has no code either, and its name is what to fix.
  label: z.string().trim().min(1, 'give the reason a name').max(200, 'at most 200 characters'),
  /** Stable key stored with each vote, so renaming a label keeps old votes meaningful. */
  code: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,47}$/, 'use lower-case letters, digits and dashes (at most 48)'),
  /**
   * A retired reason is no longer offered for new votes, but stays in the list so the votes that
   * used it keep their label wherever they are shown and counted (deleting it would orphan them).
   */
  retired: z.boolean().optional(),
});
export type ExclusionReason = z.infer<typeof exclusionReasonSchema>;

export const stageConfigSchema = z
  .object({
    /** Independent votes each record needs before it is reconciled (Cochrane MECIR C39: two). */
    votesNeeded: z
      .number({ message: 'a whole number from 1 to 5' })
      .int('a whole number from 1 to 5')
      .min(1, 'at least 1')
      .max(5, 'at most 5')
      .default(2),
    /** Blind mode hides other reviewers' votes until the viewer has voted (see blinding.policy.ts). */
    blind: z.boolean().default(true),
    criteria: z.string().max(20_000, 'at most 20,000 characters').default(''),
    /** One list for the whole team, so reasons are comparable across reviewers (PRISMA item 16a). */
    exclusionReasons: z.array(exclusionReasonSchema).max(50, 'at most 50 reasons').default([]),
    /** Undefined means the stage default: optional at title/abstract, mandatory at full text. */
    reasonsRequired: z.boolean().optional(),
    labels: z
      .array(z.string().trim().min(1, 'a label cannot be empty').max(60, 'each label at most 60 characters'))
      .max(100, 'at most 100 labels')
      .default([]),
    notesEnabled: z.boolean().default(true),
    highlight: z.object({ include: keywordList, exclude: keywordList }).default({ include: [], exclude: [] }),
    order: z.enum(['random', 'prioritised']).default('random'),
    /**
     * Who may resolve this stage's conflicts: holders of these roles, plus these members by id.
     * Undefined: every lead and adjudicator (the route's own roles).
     */
    adjudication: z
      .object({
        roles: z.array(z.enum(['lead', 'adjudicator'])).max(2),
        userIds: z.array(z.uuid()).max(200),
      })
      .optional(),
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

/** The reasons a reviewer may choose for a new vote (retired ones only label past votes). */
export function activeReasons(cfg: StageConfig): readonly ExclusionReason[] {
  return cfg.exclusionReasons.filter((r) => !r.retired);
}

/**
 * Whether a member may resolve this stage's conflicts under the stage's adjudication setting.
 * Reviewers who screened the record are refused separately (a conflict needs a third person).
 */
export function mayAdjudicate(cfg: StageConfig, userId: string, roles: readonly Role[]): boolean {
  const rule = cfg.adjudication;
  if (!rule) return roles.includes('lead') || roles.includes('adjudicator');
  return rule.userIds.includes(userId) || roles.some((r) => (rule.roles as readonly Role[]).includes(r));
}

/**
 * A reason code made from its label, as the lead never types codes: lower-case ASCII words joined
 * by dashes, unique among `taken` (a numeric suffix when the slug is already used).
 */
export function reasonCode(label: string, taken: ReadonlySet<string>): string {
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40)
      .replace(/-+$/, '') || 'reason';
  let code = base;
  for (let n = 2; taken.has(code); n++) code = `${base}-${n}`;
  return code;
}

/**
 * Gives every exclusion reason sent without a code one made from its label, so a lead (or a
 * script) may send labels only; reasons that carry a code keep it, so past votes stay attached.
 */
export function withReasonCodes(raw: unknown): unknown {
  if (!raw || typeof raw !== 'object' || Array.isArray(raw)) return raw;
  const reasons = (raw as { exclusionReasons?: unknown }).exclusionReasons;
  if (!Array.isArray(reasons)) return raw;
  const hasCode = (r: unknown): r is { code: string } =>
    !!r &&
    typeof r === 'object' &&
    typeof (r as { code?: unknown }).code === 'string' &&
    (r as { code: string }).code !== '';
  const taken = new Set(reasons.filter(hasCode).map((r) => r.code));
  const filled = reasons.map((r: unknown) => {
    if (hasCode(r) || !r || typeof r !== 'object') return r;
    const label = (r as { label?: unknown }).label;
    if (typeof label !== 'string' || label.trim() === '') return r;
    const code = reasonCode(label, taken);
    taken.add(code);
    return { ...r, code };
  });
  return { ...raw, exclusionReasons: filled };
}

/** Whether an exclude vote at this stage must carry at least one reason. */
export function reasonsRequired(stage: Stage, cfg: StageConfig): boolean {
  return cfg.reasonsRequired ?? stage === 'full-text';
}
