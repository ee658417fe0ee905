import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WinnowError } from '@winnow/core';
import {
  classifierFromSettings,
  DEFAULT_PRIORITISATION_SETTINGS,
  modelKey,
  simulateCsv,
  type ModelSettings,
  type SimulationStage,
} from '@winnow/screening';
import type { CommandContext } from '../command.ts';
import { numberOption, oneOf } from '../option-value.ts';

const ON_OFF = ['on', 'off'] as const;

/**
 * The model the options describe, from the same settings a lead picks on the Prioritisation page
 * (the review's defaults unless an option says otherwise), so a simulation replays what a review runs.
 */
export function simulationSettings(opts: Record<string, unknown>): ModelSettings {
  const d = DEFAULT_PRIORITISATION_SETTINGS;
  const onOff = (name: string, fallback: boolean) =>
    oneOf(opts[name], ON_OFF, fallback ? 'on' : 'off', name) === 'on';
  return {
    classifier: oneOf(
      opts.classifier,
      ['svm', 'naive-bayes', 'ensemble'] as const,
      d.classifier,
      'classifier',
    ),
    drugClasses: onOff('drug-classes', d.drugClasses),
    balance: oneOf(opts.balance, ['weights', 'dynamic-resampling'] as const, d.balance, 'balance'),
    internalCv: onOff('internal-cv', d.internalCv),
  };
}

export async function runSimulate({ args, opts }: CommandContext) {
  const file = args[0];
  if (!file)
    throw new WinnowError(
      'BAD_REQUEST',
      'usage: winnow simulate <labelled.csv> [--seeds N] [--stage title-abstract]',
    );
  const seeds = numberOption(opts.seeds, { whole: true, from: 1, to: 1000 }, 5, 'seeds');
  const stageOpt = opts.stage;
  let stage: SimulationStage = 'included';
  if (stageOpt === 'title-abstract') stage = 'title-abstract';
  else if (stageOpt !== undefined && stageOpt !== 'included' && stageOpt !== 'full-text') {
    throw new WinnowError(
      'BAD_REQUEST',
      `--stage must be title-abstract or full-text, got "${String(stageOpt)}"`,
    );
  }
  const settings = simulationSettings(opts);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new WinnowError('NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, {
      location: { file },
    });
  }
  const summary = simulateCsv(text, {
    file: path.basename(file),
    stage,
    seeds,
    classifier: classifierFromSettings(settings),
    stopping: {
      targetRecall: numberOption(opts['target-recall'], { above: 0, to: 1 }, 0.95, 'target-recall'),
      confidence: numberOption(opts.confidence, { above: 0, below: 1 }, 0.95, 'confidence'),
    },
  });
  return { ...summary, classifier: modelKey(settings) };
}
