import type { Classifier, WarmStart } from './classifier.types.ts';
import type { CsrMatrix } from './sparse.ts';
import { classifierFromSettings, modelKey } from './model-settings.ts';
import type { PrioritisationSettings } from './prioritisation-settings.schema.ts';
import { retrainAndScore } from './prioritiser.ts';
import { logFactorials } from './hypergeometric.ts';
import { stoppingTest, type StoppingResult } from './stopping-rule.ts';
import { fitTfidf } from './tfidf.ts';
import { recordText, type RecordText } from './tokenise.ts';

export interface LiveTrainingData {
  /** Every record in the stage that is still a candidate (automation exclusions left out). */
  records: (RecordText & { id: string })[];
  /** Settled outcomes (1 advanced, 0 excluded by people), in the order they settled. */
  settled: { recordId: string; label: 0 | 1 }[];
  /** Each reviewer's latest include/exclude vote on records not yet settled. */
  votes: { recordId: string; reviewerId: string; label: 0 | 1 }[];
  /** Reviewers who get their own ranking (those with open assignments). */
  reviewers: string[];
}

export interface LiveRankings {
  classifier: string;
  labelled: number;
  relevant: number;
  /** Scores from settled labels only (routing uses these), or null when they cannot train a model. */
  shared: Map<string, number> | null;
  /** Settled labels plus the reviewer's own votes. */
  perReviewer: Map<string, Map<string, number>>;
  stopping: StoppingResult;
}

export type LiveModelSettings = Pick<
  PrioritisationSettings,
  'classifier' | 'drugClasses' | 'balance' | 'internalCv'
>;

export function classifierFor(settings: LiveModelSettings): Classifier {
  return classifierFromSettings(settings);
}

/**
 * The live review's retraining step: the same TF-IDF and retrainAndScore the simulation replays.
 * Pure; the retrain job loads the data and stores what this returns.
 */
export function computeLiveRankings(
  data: LiveTrainingData,
  settings: LiveModelSettings & Pick<PrioritisationSettings, 'targetRecall' | 'confidence'>,
  /** Reuse features and warm starts across retrains of the same review and stage in this process. */
  cacheKey?: string,
): LiveRankings {
  const classifier = classifierFor(settings);
  const row = new Map(data.records.map((r, i) => [r.id, i]));
  const cached = cacheKey ? cachedFeatures(cacheKey, data.records, classifier) : null;
  const matrix = cached?.matrix ?? fitTfidf(data.records.map(recordText), classifier.tfidf).matrix;
  const train = (who: string, labelled: { rows: number[]; labels: number[] }) => {
    const result = retrainAndScore(matrix, labelled, classifier, cached?.warm.get(who));
    if (cached) {
      if (result.warm) cached.warm.set(who, result.warm);
      else cached.warm.delete(who);
    }
    return result.scores;
  };
  const toScores = (scores: Float64Array | null) =>
    scores ? new Map(data.records.map((r, i) => [r.id, scores[i]!])) : null;

  const settled = data.settled.filter((s) => row.has(s.recordId));
  const sharedRows = settled.map((s) => row.get(s.recordId)!);
  const sharedLabels = settled.map((s) => s.label);
  const shared = toScores(train('', { rows: sharedRows, labels: sharedLabels }));

  const perReviewer = new Map<string, Map<string, number>>();
  const settledIds = new Set(settled.map((s) => s.recordId));
  for (const reviewerId of data.reviewers) {
    const own = data.votes.filter(
      (v) => v.reviewerId === reviewerId && row.has(v.recordId) && !settledIds.has(v.recordId),
    );
    const rows = [...sharedRows, ...own.map((v) => row.get(v.recordId)!)];
    const labels = [...sharedLabels, ...own.map((v) => v.label)];
    const scores = own.length === 0 ? shared : toScores(train(reviewerId, { rows, labels }));
    if (scores) perReviewer.set(reviewerId, scores);
  }
  const stopping = liveStoppingTest(data, settings);
  return {
    classifier: modelKey(settings),
    labelled: settled.length,
    relevant: sharedLabels.filter((l) => l === 1).length,
    shared,
    perReviewer,
    stopping,
  };
}

/** The stopping test on the settled records in the order they settled, out of every candidate record. */
export function liveStoppingTest(
  data: Pick<LiveTrainingData, 'records' | 'settled'>,
  settings: Pick<PrioritisationSettings, 'targetRecall' | 'confidence'>,
): StoppingResult {
  const ids = new Set(data.records.map((r) => r.id));
  const labels = data.settled.filter((s) => ids.has(s.recordId)).map((s) => s.label);
  const total = Math.max(data.records.length, labels.length);
  return stoppingTest(
    labels,
    total,
    { targetRecall: settings.targetRecall, confidence: settings.confidence },
    logFactorials(total),
  );
}

interface CachedFeatures {
  fingerprint: string;
  matrix: CsrMatrix;
  /** Warm starts by model ('' shared, else reviewer id). */
  warm: Map<string, WarmStart>;
}

const CACHE_SIZE = 8;
const featureCache = new Map<string, CachedFeatures>();

/**
 * A worker retrains the same review every few votes over the same records: fitting TF-IDF again
 * each time would cost more than the training. The fingerprint covers ids and texts, so any change
 * to the record set refits.
 */
function cachedFeatures(
  key: string,
  records: LiveTrainingData['records'],
  classifier: Classifier,
): CachedFeatures {
  const fingerprint = fingerprintOf(records, `${classifier.name}:${JSON.stringify(classifier.tfidf ?? {})}`);
  const hit = featureCache.get(key);
  if (hit && hit.fingerprint === fingerprint) {
    featureCache.delete(key);
    featureCache.set(key, hit);
    return hit;
  }
  const entry: CachedFeatures = {
    fingerprint,
    matrix: fitTfidf(records.map(recordText), classifier.tfidf).matrix,
    warm: new Map(),
  };
  featureCache.set(key, entry);
  while (featureCache.size > CACHE_SIZE) featureCache.delete(featureCache.keys().next().value!);
  return entry;
}

function fingerprintOf(records: LiveTrainingData['records'], classifierName: string): string {
  // FNV-1a over ids and texts: cheap next to tokenising, and collisions only cost a stale ranking.
  let h = 0x811c9dc5;
  const add = (s: string) => {
    for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  };
  add(classifierName);
  for (const r of records) {
    add(r.id);
    add(recordText(r));
  }
  return `${records.length}:${(h >>> 0).toString(16)}`;
}
