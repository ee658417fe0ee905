// A child process of the prioritisation bench: it runs one (set, candidate) cell of the grid per
// message it receives and answers with the seeds' results, so the bench can use every core. Each
// set's records and features are read once per process and kept for the next cell.
import { readFileSync } from 'node:fs';
import { classifierFromSettings } from '../src/prioritisation/model-settings.ts';
import type { CsrMatrix } from '../src/prioritisation/sparse.ts';
import type { ModelSettings } from '../src/prioritisation/model-settings.ts';
import { parseLabelledCsv } from '../src/simulation/labelled-csv.ts';
import { simulate } from '../src/simulation/simulate.ts';
import { featuresFor, type Candidate, type GridCell, type GridCellResult } from './prioritisation-grid.ts';

const sets = new Map<string, { labels: number[]; features: (m: ModelSettings) => CsrMatrix }>();

function setOf(file: string) {
  let s = sets.get(file);
  if (!s) {
    const records = parseLabelledCsv(readFileSync(file, 'utf8'), { file });
    s = { labels: records.map((r) => r.label), features: featuresFor(records) };
    sets.set(file, s);
  }
  return s;
}

function run(c: Candidate, file: string, seeds: number[]) {
  const set = setOf(file);
  return simulate(set.features(c.model), set.labels, {
    seeds,
    classifier: classifierFromSettings(c.model),
    ...(c.uncertainty ? { uncertainty: c.uncertainty } : {}),
  });
}

process.on('message', (cell: GridCell) => {
  const started = performance.now();
  const s = run(cell.candidate, cell.file, cell.seeds);
  const reply: GridCellResult = {
    id: cell.id,
    seeds: s.seeds,
    meanWss: s.mean.wss95.mean,
    seconds: (performance.now() - started) / 1000,
  };
  process.send!(reply);
});
