// Simulated prioritised screening on every labelled set in ../shared/corpus/screening: a small grid of
// settings, chosen by leave-one-set-out cross-validation and compared with REFERENCE.md; the criteria
// text as a prior; and the time to retrain and rescore 10,000 records.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_TFIDF, fitTfidf } from '../src/prioritisation/tfidf.ts';
import { recordText } from '../src/prioritisation/tokenise.ts';
import { retrainAndScore, defaultClassifier } from '../src/prioritisation/prioritiser.ts';
import { rankUnlabelled } from '../src/prioritisation/ranking.ts';
import { permutation, seededRandom } from '../src/prioritisation/rng.ts';
import { chooseOnTraining, leaveOneSetOut } from '../src/prioritisation/leave-one-set-out.ts';
import { DEFAULT_PRIORITISATION_SETTINGS } from '../src/prioritisation/prioritisation-settings.schema.ts';
import { classifierFromSettings, modelKey, tfidfFor } from '../src/prioritisation/model-settings.ts';
import { parseLabelledCsv, type LabelledRecord } from '../src/simulation/labelled-csv.ts';
import type { SeedResult } from '../src/simulation/simulate.ts';
import { screenedBeforeFirstRelevant } from '../src/simulation/first-relevant.ts';
import { CANDIDATES, TUNED_HERE, runGrid, type Candidate, type SetRuns } from './prioritisation-grid.ts';
import { DEFAULT_SVM } from '../src/prioritisation/svm.ts';
import { fmt, fmtInterval, mean, tInterval } from './prioritisation-stats.ts';

const root = path.resolve(import.meta.dirname, '../../..');
const dir = path.resolve(root, '../shared/corpus/screening');
/** The reference's mean of the better of its two models per set (REFERENCE.md). */
const TARGET = 0.95;

type Ref = { svm: number; nb: number; r10svm: number };
function references(): Map<string, Ref> {
  const out = new Map<string, Ref>();
  const file = path.join(dir, 'REFERENCE.md');
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    const cells = line.split('|').map((c) => c.trim());
    const [name, , , w95s, w95n, r10s] = cells.slice(1);
    if (!name || Number.isNaN(Number(w95s))) continue;
    out.set(name, { svm: Number(w95s), nb: Number(w95n), r10svm: Number(r10s) });
  }
  return out;
}

const wss = (r: SeedResult) => r.wss95;
/** Share of the records a team does not screen when it stops by the rule (0 when the rule never fired). */
const notScreened = (records: number) => (r: SeedResult) =>
  r.stoppedAfter === null ? 0 : 1 - r.stoppedAfter / records;
const runsOf = (s: SetRuns, c: Candidate) => s.runs.get(c.key)!;
const meanWss = (s: SetRuns, c: Candidate) => mean(runsOf(s, c).map(wss));
const belowTarget = (rs: SeedResult[]) =>
  rs.filter((r) => r.recallAtStop !== null && r.recallAtStop < TARGET).length;
/** A set violates the stopping promise when more than 5% of its runs stopped below the target. */
const violates = (rs: SeedResult[]) => belowTarget(rs) > 0.05 * rs.length;

/** Topic words of a set, the only criteria-like text the labelled sets carry (their file names). */
export function topicOf(name: string): string | null {
  const m = /^Cohen_2006_(.+)$/.exec(name);
  if (!m) return null;
  return m[1]!.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2');
}

function criteriaPrior(name: string, records: readonly LabelledRecord[], seeds: number[]): string {
  const topic = topicOf(name);
  if (topic === null) return `| ${name} | (none) | not measured | not measured |`;
  const model = DEFAULT_PRIORITISATION_SETTINGS;
  const texts = [...records.map(recordText), topic];
  const x = fitTfidf(texts, tfidfFor(model)).matrix;
  const labels = records.map((r) => r.label);
  const batch = Math.max(1, Math.floor(records.length / 500));
  const classifier = classifierFromSettings(model);
  const run = (criteriaRow: number | null) =>
    tInterval(
      seeds.map((seed) => screenedBeforeFirstRelevant(x, labels, { seed, classifier, batch, criteriaRow })),
    );
  return `| ${name} | “${topic}” | ${fmtInterval(run(null), 1)} | ${fmtInterval(run(records.length), 1)} |`;
}

function retrainTiming(sets: string[]): string {
  // 10,000 real records: the corpus sets pooled and shuffled, so labels and vocabulary are realistic.
  const pooled = sets.flatMap((name) =>
    parseLabelledCsv(readFileSync(path.join(dir, `${name}.csv`), 'utf8'), { file: name }),
  );
  const order = permutation(pooled.length, seededRandom(7));
  const records = Array.from(order.slice(0, 10_000), (i) => pooled[i]!);
  const classifier = defaultClassifier();
  const tfidf = classifier.tfidf ?? {};
  let t = performance.now();
  const { matrix } = fitTfidf(records.map(recordText), tfidf);
  const fitMs = performance.now() - t;
  const labels = records.map((r) => r.label);
  const lines = [
    '| labelled records | retrain + rescore 10,000 (cold) ms | after 20 more labels (warm start) ms | rank next 20 ms |',
    '|---|---|---|---|',
  ];
  for (const labelled of [500, 2_000, 5_000, 9_980]) {
    const rows = Array.from({ length: labelled }, (_, i) => i);
    const mask = new Uint8Array(records.length);
    rows.forEach((i) => (mask[i] = 1));
    t = performance.now();
    const cold = retrainAndScore(matrix, { rows, labels: rows.map((i) => labels[i]!) }, classifier);
    const coldMs = performance.now() - t;
    const more = Array.from({ length: labelled + 20 }, (_, i) => i);
    t = performance.now();
    const warm = retrainAndScore(
      matrix,
      { rows: more, labels: more.map((i) => labels[i]!) },
      classifier,
      cold.warm,
    );
    const warmMs = performance.now() - t;
    t = performance.now();
    rankUnlabelled(warm.scores!, mask, 20);
    const rankMs = performance.now() - t;
    lines.push(`| ${labelled} | ${coldMs.toFixed(0)} | ${warmMs.toFixed(0)} | ${rankMs.toFixed(1)} |`);
  }
  return `${lines.join('\n')}\n\nClassifier: the default settings (${modelKey(DEFAULT_PRIORITISATION_SETTINGS)}). TF-IDF fit (word 1-2 grams, sublinear tf, max_df ${tfidf.maxDf ?? DEFAULT_TFIDF.maxDf}) on the 10,000 records: ${fitMs.toFixed(0)} ms, ${matrix.cols} terms, ${matrix.indices.length} non-zeros. One Node thread.`;
}

export interface BenchOptions {
  seeds: number;
  /** Set names to run (all when absent); fewer sets make a quicker development run. */
  sets?: string[];
  candidates?: Candidate[];
  timing?: boolean;
  /** Wall-clock budget for the grid; candidates or sets not reached by then are reported as not measured. */
  budgetSeconds?: number;
}

export async function prioritisationBench(options: BenchOptions): Promise<string> {
  if (!existsSync(dir)) {
    console.warn(`prioritisation bench: ${dir} not found, nothing measured`);
    return '## Prioritisation\n\nSkipped: ../shared/corpus/screening not found.';
  }
  const loadBefore = os.loadavg();
  const started = performance.now();
  const candidates = options.candidates ?? CANDIDATES;
  const names = (
    options.sets ??
    readdirSync(dir)
      .filter((n) => n.endsWith('.csv'))
      .map((n) => n.slice(0, -4))
  ).sort();
  const seeds = Array.from({ length: options.seeds }, (_, i) => i);
  const refs = references();
  const data = names.map((name) => {
    const file = path.join(dir, `${name}.csv`);
    return { name, file, records: parseLabelledCsv(readFileSync(file, 'utf8'), { file: name }) };
  });
  const budget = options.budgetSeconds ?? Number.POSITIVE_INFINITY;
  const all = await runGrid(data, candidates, seeds, Date.now() + budget * 1000, (l) =>
    process.stderr.write(`  ${l}\n`),
  );
  const priorRows = data.map((d) => criteriaPrior(d.name, d.records, seeds));
  const sets: SetRuns[] = all;
  // Only candidates measured on every set take part in the choice and the summaries.
  const measured = candidates.filter((c) => sets.every((s) => s.runs.has(c.key)));
  const unmeasured = candidates.filter((c) => !measured.includes(c));
  const refBest = (name: string) => {
    const r = refs.get(name);
    return r ? Math.max(r.svm, r.nb) : Number.NaN;
  };
  const defaultKey = modelKey(DEFAULT_PRIORITISATION_SETTINGS);
  const defaultCandidate =
    measured.find((c) => !c.uncertainty && modelKey(c.model) === defaultKey && !c.model.svm) ?? measured[0]!;
  // The default's SVM with drug-class terms switched the other way, beside it: what the switch
  // does per set. Undefined when the budget did not reach every set.
  const switched = measured.find(
    (c) => !c.uncertainty && c.key === (defaultCandidate.model.drugClasses ? 'svm' : 'svm+drug'),
  );
  const switchedWss = (s: SetRuns) => (switched ? meanWss(s, switched) : Number.NaN);
  const switchedLabel = `drug-class terms ${defaultCandidate.model.drugClasses ? 'off' : 'on'}`;

  // Leave one set out: the setting is chosen on the other sets' mean WSS@95, then scored on the held-out set.
  // Settings tuned on these sets are never chosen: through the tuning, the choice would have seen the held-out set.
  const choosable = measured.filter((c) => !c.tunedOnTheseSets);
  const foldsAmong = (grid: readonly Candidate[]) =>
    leaveOneSetOut(sets).map(({ heldOut, training }) => ({
      set: heldOut,
      chosen: chooseOnTraining(grid, training, (c, s) => meanWss(s, c)),
    }));
  const folds = foldsAmong(choosable);
  // What the same procedure would report had the tuned settings been candidates too.
  const leakyFolds = foldsAmong(measured);
  const leakyMeans = leakyFolds.map((f) => meanWss(f.set, f.chosen));
  const leakyBelow = leakyFolds.filter((f, i) => leakyMeans[i]! - refBest(f.set.name) < -0.03);
  const tunedLine = measured.some((c) => c.tunedOnTheseSets)
    ? `- **Tuned on these sets, not candidates:** the SVM with the C and ratio these sets chose earlier (C ${TUNED_HERE.c}, ratio ${TUNED_HERE.relevantRatio}),
  shown in the grid for comparison. Had they been candidates, the same procedure would report a CV mean of
  ${fmt(mean(leakyMeans))} with ${leakyBelow.length ? leakyBelow.map((f) => f.set.name).join(', ') : 'no set'} more than 0.03 below its reference; that figure has seen
  every held-out set through the tuning.`
    : '- **Tuned on these sets, not candidates:** the SVM with the C and ratio these sets chose earlier was not measured on every set within the time budget.';
  const inSample = chooseOnTraining(measured, sets, (c, s) => meanWss(s, c));
  const cvRuns = folds.map((f) => runsOf(f.set, f.chosen));
  const cvMeans = folds.map((f) => meanWss(f.set, f.chosen));
  const cvMean = mean(cvMeans);
  // Seed k's mean over the sets, for an interval over seeds (set-to-set spread is not in it).
  const seedMeans = (pick: (s: SetRuns) => SeedResult[]) =>
    seeds.map((_, k) => mean(sets.map((s) => wss(pick(s)[k]!))));
  const cvBySet = new Map(folds.map((f) => [f.set.name, f.chosen]));
  const cvInterval = tInterval(seedMeans((s) => runsOf(s, cvBySet.get(s.name)!)));
  const refMean = mean(sets.map((s) => refBest(s.name)));
  const refSvmMean = mean(sets.map((s) => refs.get(s.name)?.svm ?? Number.NaN));

  const rows = folds.map((f, i) => {
    const s = f.set;
    const runs = cvRuns[i]!;
    const ref = refs.get(s.name);
    const gap = cvMeans[i]! - refBest(s.name);
    return `| ${s.name} | ${s.records} / ${s.relevant} | ${f.chosen.key} | **${fmtInterval(tInterval(runs.map(wss)))}** | ${fmt(meanWss(s, inSample))} | ${fmt(meanWss(s, defaultCandidate))} | ${fmt(switchedWss(s))} | ${fmt(ref?.svm ?? NaN)} / ${fmt(ref?.nb ?? NaN)} | ${gap >= 0 ? '+' : ''}${fmt(gap)}${gap < -0.03 ? ' (more than 0.03 below)' : ''} | ${fmtInterval(tInterval(runs.map((r) => r.recallAt10)))} | ${fmtInterval(tInterval(runs.map(notScreened(s.records))))} | ${fmt(mean(runs.map((r) => r.recallAtStop ?? Number.NaN)))} | ${belowTarget(runs)}/${runs.length} |`;
  });
  const farBelow = folds.filter((f, i) => cvMeans[i]! - refBest(f.set.name) < -0.03).map((f) => f.set.name);
  const stopViolations = folds.filter((_, i) => violates(cvRuns[i]!)).map((f) => f.set.name);

  const grid = measured.map((c) => {
    const perSet = sets.map((s) => meanWss(s, c));
    const chosenIn = c.tunedOnTheseSets
      ? 'tuned on these sets: not a candidate'
      : `${folds.filter((f) => f.chosen === c).length}/${folds.length}`;
    const allRuns = sets.flatMap((s) => runsOf(s, c));
    const violating = sets.filter((s) => violates(runsOf(s, c))).map((s) => s.name);
    return `| ${c.key} | ${c.label} | **${fmtInterval(tInterval(seedMeans((s) => runsOf(s, c))))}** | ${perSet.map((v) => fmt(v)).join(' | ')} | ${fmt(mean(sets.map((s) => mean(runsOf(s, c).map((r) => r.recallAt10)))))} | ${fmt(mean(sets.map((s) => mean(runsOf(s, c).map(notScreened(s.records))))))} | ${belowTarget(allRuns)}/${allRuns.length}${violating.length ? ` (over 5% on ${violating.join(', ')})` : ''} | ${chosenIn} |`;
  });
  const partial = unmeasured.map((c) => {
    const done = sets.filter((s) => s.runs.has(c.key));
    return `| ${c.key} | ${c.label} | not measured on every set within the time budget | ${sets.map((s) => (s.runs.has(c.key) ? fmt(meanWss(s, c)) : '–')).join(' | ')} | ${done.length ? fmt(mean(done.map((s) => mean(runsOf(s, c).map((r) => r.recallAt10))))) : '–'} | ${done.length ? fmt(mean(done.map((s) => mean(runsOf(s, c).map(notScreened(s.records)))))) : '–'} | ${done.length ? `${belowTarget(done.flatMap((s) => runsOf(s, c)))}/${done.length * seeds.length}` : '–'} | not a candidate |`;
  });
  const short = (n: string) => n.replace('Cohen_2006_', '');
  const svmKey = measured.find((c) => c.key === 'svm');
  const uncertain = measured.find((c) => c.uncertainty);
  const drugOn = measured.find((c) => c.key === 'svm+drug');
  const cost = (a?: Candidate, b?: Candidate) =>
    a && b ? fmt(mean(sets.map((s) => meanWss(s, a))) - mean(sets.map((s) => meanWss(s, b)))) : '–';
  const nonDrug = sets.filter((s) => topicOf(s.name) === null);
  const took = ((performance.now() - started) / 1000).toFixed(0);
  const loadAfter = os.loadavg();
  const timing = options.timing === false ? 'not measured in this run' : retrainTiming(names);

  return `## Prioritisation: cross-validated settings, simulated screening and retraining time

Simulated prioritised screening (\`simulate\`, the retrain/rank code the live review runs) on every labelled set in
\`../shared/corpus/screening\` (${sets.length} sets), ${seeds.length} seeds per set and setting (seed k: one random
relevant + one random irrelevant record, the same for every setting), retraining after every max(1, N/500) labels,
labels \`label_included\`. WSS@95, recall@10% and ATD follow DESIGN.md (every record counts, the two seed records
included). Reference: REFERENCE.md (scikit-learn, 3 seeds), "best" = the better of its svm and nb columns per set.
Intervals are t-based 95% intervals over the seeds (per set: the seeds' values on that set; for a mean over sets:
each seed's mean over the sets, so they show seed-to-seed spread, not how much another collection of reviews would
differ). The stopping rule (Callaghan & Müller-Hansen 2020, target recall 95%, confidence 95%) is tested after every
batch; "not screened at stop" is the share of the records the team does not screen when it stops by the rule.

### Which figures are cross-validated

- **Cross-validated (leave one set out):** for each set, the candidate with the best mean WSS@95 on the other
  ${sets.length - 1} sets (ties to the earlier listed) is scored on it. This is the figure that estimates a review
  the settings were not chosen on. The candidates' SVM takes its C (${DEFAULT_SVM.c}) and relevant-weight ratio (${DEFAULT_SVM.relevantRatio}) from
  the reference configuration (ASReview's published default), fixed without these sets. Presuming
  ${DEFAULT_SVM.presumedIrrelevant} unlabelled records irrelevant at each retrain or none is a choice of the grid, but the count
  ${DEFAULT_SVM.presumedIrrelevant} was chosen on these sets earlier (2026-12-01/03), as were the TF-IDF settings (word 1-2 grams,
  sublinear tf and max_df 0.95, as the reference's; the title counted twice): those are the in-sample part left.
${tunedLine}
- **In-sample:** the one setting with the best mean over all ${sets.length} sets (${inSample.key}), scored on the same sets.

### Cross-validated WSS@95 per held-out set

| held-out set | records / relevant | chosen on the other sets | **CV WSS@95** [95% CI] | in-sample best (${inSample.key}) | default (${defaultCandidate.key}) | ${switchedLabel} (${switched ? switched.key : 'not measured'}) | ref svm / nb | CV − ref best | recall@10% (CV) | not screened at stop (CV) | recall at stop (CV) | stops below 95% recall |
|---|---|---|---|---|---|---|---|---|---|---|---|---|
${rows.join('\n')}

${choosable.length === 1 ? `Only ${choosable[0]!.key} was measured on every set within the budget, so every fold chooses it: the cross-validated figures in the table above are that fixed setting's figures, which no choice among the grid has seen.\n\n` : ''}**CV mean WSS@95 ${fmt(cvMean)}** (seed interval ${fmtInterval(cvInterval)}) against the reference's best-of-two mean
${fmt(refMean)} (its svm alone: ${fmt(refSvmMean)}); in-sample best ${fmt(mean(sets.map((s) => meanWss(s, inSample))))},
default ${fmt(mean(sets.map((s) => meanWss(s, defaultCandidate))))}, ${switchedLabel} ${fmt(mean(sets.map(switchedWss)))}.
Done-criterion on the visible sets (CV mean >= ${fmt(refMean)} and no set more than 0.03 below its reference best):
mean ${cvMean >= refMean ? 'holds' : 'does not hold'}; sets more than 0.03 below: ${farBelow.length ? farBelow.join(', ') : 'none'}.
Stopping: sets where more than 5% of the CV setting's runs stopped below 95% recall: ${stopViolations.length ? stopViolations.join(', ') : 'none'}
(${cvRuns.reduce((a, r) => a + belowTarget(r), 0)} of ${cvRuns.reduce((a, r) => a + r.length, 0)} runs stopped below the target).

### The grid: each setting on every set (mean WSS@95 over ${seeds.length} seeds)

| setting | what it is | mean over sets [95% CI over seeds] | ${sets.map((s) => short(s.name)).join(' | ')} | recall@10% | not screened at stop | stops < 95% recall | chosen in folds |
|---|---|---|${sets.map(() => '---|').join('')}---|---|---|---|
${[...grid, ...partial].join('\n')}
${unmeasured.length ? `\nNot measured on every set within the ${fmt(budget / 60, 0)}-minute budget (left out of the choice): ${unmeasured.map((c) => c.key).join(', ')}.\n` : ''}
What the approaches cost or gain against the plain SVM (mean over the sets, WSS@95): drug-class terms ${cost(drugOn, svmKey)}
(on the non-drug set${nonDrug.length === 1 ? '' : 's'} ${nonDrug.map((s) => s.name).join(', ') || '–'}: ${
    drugOn && svmKey ? nonDrug.map((s) => fmt(meanWss(s, drugOn) - meanWss(s, svmKey))).join(', ') : '–'
  }); ${DEFAULT_SVM.presumedIrrelevant} records presumed irrelevant, against the SVM without them ${cost(
    svmKey,
    measured.find((c) => c.key === 'svm-nopresumed'),
  )} (with drug-class terms ${cost(
    drugOn,
    measured.find((c) => c.key === 'svm+drug-nopresumed'),
  )}); uncertainty picks ${cost(uncertain, svmKey)}; the ensemble ${cost(
    measured.find((c) => c.model.classifier === 'ensemble' && !c.model.internalCv),
    svmKey,
  )}; dynamic resampling ${cost(
    measured.find((c) => c.model.balance === 'dynamic-resampling'),
    svmKey,
  )}; internal CV ${cost(
    measured.find((c) => c.model.internalCv),
    svmKey,
  )}.

### Criteria text as a prior: records screened before the first relevant one

Starting from no labels (no seed records), mean over ${seeds.length} seeds [95% CI]. Without a prior: random order until the
first relevant record. With one: the criteria document ranks by similarity until a record is labelled irrelevant, then
the default model trains on it (as a relevant record) and the irrelevant labels so far. The labelled sets carry no criteria
text or highlight terms; the only topic text is the review name in the file name (Cohen's drug-class reviews), used
here as the criteria document. Kitchenham_2010's name carries no topic, so it is not measured.

| set | criteria document | without a prior | with the criteria document |
|---|---|---|---|
${priorRows.join('\n')}

### Retrain and rescore time, 10,000 records

${timing}

Run: ${took} s for the simulations and timing; load average (1/5/15 min) ${loadBefore.map((l) => l.toFixed(1)).join('/')} before,
${loadAfter.map((l) => l.toFixed(1)).join('/')} after, on ${os.cpus().length} cores shared with other work${
    loadBefore[0]! > os.cpus().length || loadAfter[0]! > os.cpus().length
      ? ' (a busy machine: times are longer than on an idle one)'
      : ''
  }. Reproduce: \`nice -n 5 pnpm bench prioritisation\``;
}

export default async function (): Promise<string> {
  // The whole grid takes about an hour and a half of one idle core (35 minutes on two); on a shared machine the budget decides how far
  // it gets, and the text names what it did not reach.
  return prioritisationBench({ seeds: 10, budgetSeconds: 65 * 60 });
}
