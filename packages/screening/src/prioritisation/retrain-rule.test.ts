import { describe, expect, it } from 'vitest';
import { modelKey } from './model-settings.ts';
import {
  changedSinceModel,
  RETRAIN_MAX_WAIT_MS,
  RETRAIN_PACE,
  retrainDue,
  retrainNotBefore,
  retrainWaitMs,
} from './prioritisation.job.ts';
import { DEFAULT_PRIORITISATION_SETTINGS } from './prioritisation-settings.schema.ts';
import type { PrioritisationModel, RetrainState, SettledLabels } from './prioritisation.repository.ts';

const settings = { ...DEFAULT_PRIORITISATION_SETTINGS, retrainEvery: 5 };

function model(labelled: number, labelsKey: string): PrioritisationModel & { labelsKey: string } {
  return {
    id: 1,
    basisSeq: 0,
    classifier: modelKey(settings),
    records: 100,
    labelled,
    relevant: 2,
    trainedAt: new Date(0),
    busyMs: null,
    stopping: null,
    labelsKey,
  };
}

function state(
  labelled: number,
  latest: ReturnType<typeof model> | null,
  key = 'k-now',
): RetrainState<SettledLabels> {
  return {
    settings,
    labels: { labelled, included: 1, excluded: labelled - 1, key },
    model: latest,
    stopped: null,
    nowMs: 0,
  };
}

describe('the retrain rule after a vote (counts only)', () => {
  it('trains the first model once one included and one excluded record are settled', () => {
    expect(retrainDue(state(2, null))).toEqual({ due: true });
    const none = { ...state(2, null), labels: { labelled: 2, included: 2, excluded: 0 } };
    expect(retrainDue(none).due).toBe(false);
  });

  it('waits for retrainEvery more settled records than the latest model used, whatever the key', () => {
    expect(retrainDue(state(14, model(10, 'k-model')))).toMatchObject({ due: false });
    expect(retrainDue(state(15, model(10, 'k-model')))).toEqual({ due: true });
    // Fewer settled records than the model used (outcomes reopened): not due.
    expect(retrainDue(state(8, model(10, 'k-model')))).toMatchObject({ due: false });
  });

  it('needs no key: the same verdicts from counts alone', () => {
    // Even a key equal to the model's cannot hold back a retrain the counts make due.
    expect(retrainDue(state(15, model(10, 'k-model'), 'k-model'))).toEqual({ due: true });
    for (const labelled of [8, 10, 14, 15, 40]) {
      const keyed = state(labelled, model(10, 'k-model'), 'k-model');
      const { key: _key, ...counts } = keyed.labels;
      expect(retrainDue({ ...keyed, labels: counts })).toEqual(retrainDue(keyed));
    }
  });

  it('stops retraining once screening stopped early', () => {
    expect(retrainDue({ ...state(40, model(10, 'k')), stopped: { at: new Date(0), excluded: 3 } })).toEqual({
      due: false,
      reason: 'screening stopped early',
    });
  });
});

describe('a manual retrain (keyed)', () => {
  it('runs when the settled labels changed though their count did not', () => {
    expect(changedSinceModel(state(10, model(10, 'k-model'), 'k-other'))).toEqual({ due: true });
    expect(changedSinceModel(state(10, model(10, 'k-model'), 'k-model'))).toMatchObject({ due: false });
  });
});

describe('the pace of retraining (retrainWaitMs)', () => {
  const trainedAt = new Date(1_000_000);
  it('waits until the latest model is RETRAIN_PACE times as old as its retrain took', () => {
    const latest = { trainedAt, busyMs: 200 };
    expect(RETRAIN_PACE).toBe(10);
    expect(retrainNotBefore(latest)).toBe(1_002_000);
    expect(retrainWaitMs(latest, 1_000_000)).toBe(2_000);
    expect(retrainWaitMs(latest, 1_000_500)).toBe(1_500);
    expect(retrainWaitMs(latest, 1_001_999)).toBe(1);
    expect(retrainWaitMs(latest, 1_002_000)).toBe(0);
    expect(retrainWaitMs(latest, 1_050_000)).toBe(0);
  });

  it('waits at most RETRAIN_MAX_WAIT_MS after the model, however long its retrain took', () => {
    const slow = { trainedAt, busyMs: 30_000 };
    expect(RETRAIN_MAX_WAIT_MS).toBe(60_000);
    expect(retrainNotBefore(slow)).toBe(1_060_000);
    expect(retrainWaitMs(slow, 1_000_000)).toBe(60_000);
    expect(retrainWaitMs(slow, 1_070_000)).toBe(0);
  });

  it('never waits for the first model, or after one whose time is not recorded', () => {
    expect(retrainWaitMs(null, 1_000_000)).toBe(0);
    expect(retrainWaitMs({ trainedAt, busyMs: null }, 1_000_000)).toBe(0);
    expect(retrainWaitMs({ trainedAt, busyMs: 0 }, 1_000_000)).toBe(0);
  });
});
