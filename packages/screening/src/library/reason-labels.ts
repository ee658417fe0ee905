import type { StageConfig } from '../stages/stage-config.schema.ts';
import { STAGES, type Stage } from '../stages/stage.types.ts';

/** An exclusion reason's code in the words people read, for a stage. */
export type ReasonLabel = (stage: Stage, code: string) => string;

/**
 * Votes store reason codes; people read labels. A code is read by its own stage's label (a retired
 * reason's too), else by the other stage's (a reason given at one stage read beside the other),
 * else as the code itself. `configs` are the stages' configs in STAGES order. The Records page, its
 * exports and the record page all read reasons through this one rule.
 */
export function reasonLabeller(configs: readonly Pick<StageConfig, 'exclusionReasons'>[]): ReasonLabel {
  const byStage = new Map<string, string>();
  const anyStage = new Map<string, string>();
  STAGES.forEach((stage, i) => {
    for (const r of configs[i]?.exclusionReasons ?? []) {
      byStage.set(`${stage}:${r.code}`, r.label);
      if (!anyStage.has(r.code)) anyStage.set(r.code, r.label);
    }
  });
  return (stage, code) => byStage.get(`${stage}:${code}`) ?? anyStage.get(code) ?? code;
}
