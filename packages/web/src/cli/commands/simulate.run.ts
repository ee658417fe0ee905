import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WinnowError } from '@winnow/core';
import { naiveBayesClassifier, simulateCsv, svmClassifier, type SimulationStage } from '@winnow/screening';
import type { CommandContext } from '../command.ts';

export async function runSimulate({ args, opts }: CommandContext) {
  const file = args[0];
  if (!file)
    throw new WinnowError(
      'BAD_REQUEST',
      'usage: winnow simulate <labelled.csv> [--seeds N] [--stage title-abstract]',
    );
  const num = (name: string, fallback: number, ok: (x: number) => boolean) => {
    const raw = opts[name];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!ok(v)) throw new WinnowError('BAD_REQUEST', `--${name}: bad value "${String(raw)}"`);
    return v;
  };
  const seeds = num('seeds', 5, (x) => Number.isInteger(x) && x >= 1 && x <= 1000);
  const stageOpt = opts.stage;
  let stage: SimulationStage = 'included';
  if (stageOpt === 'title-abstract') stage = 'title-abstract';
  else if (stageOpt !== undefined && stageOpt !== 'included' && stageOpt !== 'full-text') {
    throw new WinnowError(
      'BAD_REQUEST',
      `--stage must be title-abstract or full-text, got "${String(stageOpt)}"`,
    );
  }
  const which = opts.classifier ?? 'svm';
  if (which !== 'svm' && which !== 'naive-bayes')
    throw new WinnowError('BAD_REQUEST', `--classifier must be svm or naive-bayes, got "${String(which)}"`);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    throw new WinnowError('NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, {
      location: { file },
    });
  }
  return simulateCsv(text, {
    file: path.basename(file),
    stage,
    seeds,
    classifier: which === 'svm' ? svmClassifier() : naiveBayesClassifier(),
    stopping: {
      targetRecall: num('target-recall', 0.95, (x) => x > 0 && x <= 1),
      confidence: num('confidence', 0.95, (x) => x > 0 && x < 1),
    },
  });
}
