import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { WinnowError } from '@winnow/core';
import {
  naiveBayesClassifier,
  simulateCsv,
  svmClassifier,
  type SimulationStage,
  type SimulationSummary,
} from '@winnow/screening';
import { command } from '../command.ts';

const pct = (x: number) => (Number.isNaN(x) ? '–' : `${(100 * x).toFixed(1)}%`);

export const simulateCommand = command({
  name: 'simulate',
  summary:
    'Replay prioritised screening on a labelled CSV (title, abstract, label_included) and report WSS, recall and the stopping rule',
  usage: '<labelled.csv>',
  options: {
    seeds: {
      type: 'string',
      description: 'Number of seeds (one random relevant + one random irrelevant record each), default 5',
    },
    stage: {
      type: 'string',
      description: '"title-abstract" scores against label_abstract_screening; default label_included',
    },
    classifier: { type: 'string', description: '"svm" (default) or "naive-bayes"' },
    'target-recall': { type: 'string', description: 'Stopping rule target recall, default 0.95' },
    confidence: { type: 'string', description: 'Stopping rule confidence, default 0.95' },
  },
  needs: 'none',
  async run({ args, opts }) {
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
  },
  human(result: SimulationSummary & { file: string }) {
    const lines = [
      `${result.file}: ${result.records} records, ${result.relevant} relevant, classifier ${result.classifier}`,
      'seed  WSS@95  WSS@100  recall@10%  ATD    stopped after  recall at stop',
    ];
    for (const s of result.seeds) {
      lines.push(
        `${String(s.seed).padEnd(5)} ${pct(s.wss95).padStart(6)}  ${pct(s.wss100).padStart(7)}  ${pct(s.recallAt10).padStart(10)}  ${s.atd.toFixed(3)}  ${String(s.stoppedAfter ?? 'never').padStart(13)}  ${s.recallAtStop === null ? '–' : pct(s.recallAtStop)}`,
      );
    }
    const m = result.mean;
    lines.push(
      `mean  ${pct(m.wss95.mean)} ± ${pct(m.wss95.sd)} WSS@95, ${pct(m.wss100.mean)} WSS@100, ${pct(m.recallAt10.mean)} recall@10%, ATD ${m.atd.mean.toFixed(3)}, stop after ${m.stoppedAfter.mean.toFixed(0)} records at ${pct(m.recallAtStop.mean)} recall (${result.stopsBelowTarget} stops below target)`,
    );
    return lines.join('\n');
  },
});
