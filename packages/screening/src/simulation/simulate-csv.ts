import type { Classifier } from '../prioritisation/classifier.types.ts';
import { defaultClassifier } from '../prioritisation/prioritiser.ts';
import { fitTfidf, type TfidfOptions } from '../prioritisation/tfidf.ts';
import { recordText } from '../prioritisation/tokenise.ts';
import type { StoppingOptions } from '../prioritisation/stopping-rule.ts';
import { parseLabelledCsv, type SimulationStage } from './labelled-csv.ts';
import { simulate, type SimulationSummary } from './simulate.ts';

export interface SimulateCsvOptions {
  file?: string;
  stage?: SimulationStage;
  /** Number of seeds (0..seeds-1) or explicit seeds. */
  seeds?: number | number[];
  classifier?: Classifier;
  tfidf?: Partial<TfidfOptions>;
  stopping?: Partial<StoppingOptions>;
  randomShare?: number;
  /** Labels between retrainings (see SimulationOptions.batch). */
  batch?: number;
}

/** CSV text -> features -> simulation: what `winnow simulate` and the benchmark run. */
export function simulateCsv(
  text: string,
  options: SimulateCsvOptions = {},
): SimulationSummary & { file: string; stage: SimulationStage } {
  const stage = options.stage ?? 'included';
  const file = options.file ?? 'input';
  const records = parseLabelledCsv(text, { file, stage });
  const classifier = options.classifier ?? defaultClassifier();
  // The classifier's own feature settings, then any the caller overrides.
  const { matrix } = fitTfidf(records.map(recordText), { ...classifier.tfidf, ...options.tfidf });
  const seeds =
    typeof options.seeds === 'number'
      ? Array.from({ length: options.seeds }, (_, i) => i)
      : (options.seeds ?? [0, 1, 2, 3, 4]);
  const summary = simulate(
    matrix,
    records.map((r) => r.label),
    {
      seeds,
      classifier,
      ...(options.stopping ? { stopping: options.stopping } : {}),
      ...(options.randomShare !== undefined ? { randomShare: options.randomShare } : {}),
      ...(options.batch !== undefined ? { batch: options.batch } : {}),
    },
  );
  return { file, stage, ...summary };
}
