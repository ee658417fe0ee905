import type { SimulationSummary } from '@winnow/screening';
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
    classifier: {
      type: 'string',
      description:
        'svm (default), naive-bayes or ensemble (SVM, naive Bayes and logistic regression, ranks averaged)',
    },
    'drug-classes': { type: 'string', description: 'on (default) or off: drug-class terms from INN stems' },
    balance: { type: 'string', description: 'weights (default) or dynamic-resampling' },
    'internal-cv': {
      type: 'string',
      description: "on or off (default): choose the model from the review's own labels once 5 are relevant",
    },
    'target-recall': { type: 'string', description: 'Stopping rule target recall, default 0.95' },
    confidence: { type: 'string', description: 'Stopping rule confidence, default 0.95' },
  },
  needs: 'none',
  run: async (ctx) => (await import('./simulate.run.ts')).runSimulate(ctx),
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
