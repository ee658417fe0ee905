import { describe, expect, it } from 'vitest';
import { calibrationConfigSchema, calibrationStatus, selectPilotSet } from './calibration.ts';
import type { RatedVote } from '../agreement/stage-agreement.ts';
import type { Vote } from '../stages/stage.types.ts';

const pilot = ['p0', 'p1', 'p2', 'p3'];
const rate = (reviewerId: string, list: Vote[]): RatedVote[] =>
  list.map((vote, i) => ({ recordId: `p${i}`, reviewerId, vote }));
const config = calibrationConfigSchema.parse({ threshold: 0.6 });

describe('selectPilotSet', () => {
  it('is a seeded sample of distinct records, independent of input order', () => {
    const ids = Array.from({ length: 50 }, (_, i) => `r${i}`);
    const a = selectPilotSet(ids, 10, 42);
    expect(new Set(a).size).toBe(10);
    expect(selectPilotSet([...ids].reverse(), 10, 42)).toEqual(a);
    expect(selectPilotSet(ids, 10, 43)).not.toEqual(a);
  });
});

describe('calibrationStatus', () => {
  it('stays closed until every reviewer has voted on every pilot record', () => {
    const s = calibrationStatus({
      pilotRecordIds: pilot,
      reviewerIds: ['a', 'b'],
      votes: rate('a', ['include', 'exclude']),
      config,
    });
    expect(s.open).toBe(false);
    expect(s.remaining).toEqual({ a: 2, b: 4 });
    expect(s.reason).toBe('6 pilot votes still to cast');
  });

  it('opens when kappa reaches the threshold and not before', () => {
    const agree = [
      ...rate('a', ['include', 'exclude', 'exclude', 'include']),
      ...rate('b', ['include', 'exclude', 'exclude', 'include']),
    ];
    const s = calibrationStatus({ pilotRecordIds: pilot, reviewerIds: ['a', 'b'], votes: agree, config });
    expect(s).toMatchObject({ complete: true, kappa: 1, open: true });
    // One disagreement: po .75, pe .5 -> kappa .5 < .6
    const split = [
      ...rate('a', ['include', 'exclude', 'exclude', 'include']),
      ...rate('b', ['include', 'exclude', 'include', 'include']),
    ];
    const t = calibrationStatus({ pilotRecordIds: pilot, reviewerIds: ['a', 'b'], votes: split, config });
    expect(t.kappa).toBeCloseTo(0.5, 10);
    expect(t.open).toBe(false);
    expect(t.reason).toMatch(/0\.500 < threshold 0\.6/);
    expect(
      calibrationStatus({
        pilotRecordIds: pilot,
        reviewerIds: ['a', 'b'],
        votes: split,
        config: { ...config, threshold: 0.5 },
      }).open,
    ).toBe(true);
  });

  it('every-pair rule is held back by the weakest pair; pooled is not', () => {
    const votes = [
      ...rate('a', ['include', 'exclude', 'exclude', 'include']),
      ...rate('b', ['include', 'exclude', 'exclude', 'include']),
      ...rate('c', ['include', 'exclude', 'include', 'include']),
    ];
    const strict = calibrationStatus({ pilotRecordIds: pilot, reviewerIds: ['a', 'b', 'c'], votes, config });
    const pooled = calibrationStatus({
      pilotRecordIds: pilot,
      reviewerIds: ['a', 'b', 'c'],
      votes,
      config: { ...config, rule: 'pooled' },
    });
    expect(strict.kappa).toBeCloseTo(0.5, 10);
    expect(pooled.kappa!).toBeGreaterThan(strict.kappa!);
  });

  it('explains an undefined kappa and needs two reviewers', () => {
    const same = [
      ...rate('a', ['exclude', 'exclude', 'exclude', 'exclude']),
      ...rate('b', ['exclude', 'exclude', 'exclude', 'exclude']),
    ];
    expect(
      calibrationStatus({ pilotRecordIds: pilot, reviewerIds: ['a', 'b'], votes: same, config }).reason,
    ).toMatch(/undefined/);
    expect(
      calibrationStatus({ pilotRecordIds: pilot, reviewerIds: ['a'], votes: [], config }).reason,
    ).toMatch(/two reviewers/);
  });
});
