import { describe, expect, it } from 'vitest';
import { defaultClassifier } from '../prioritisation/prioritiser.ts';
import { fitTfidf } from '../prioritisation/tfidf.ts';
import { screenedBeforeFirstRelevant, similarityTo } from './first-relevant.ts';

// 200 records, 4 relevant ones about hospital leadership among records on wheat and soil.
const texts = Array.from({ length: 200 }, (_, i) =>
  i % 50 === 7 ? `hospital leadership for quality improvement ${i}` : `wheat soil nitrogen trial plot ${i}`,
);
const labels = texts.map((_, i) => (i % 50 === 7 ? 1 : 0));
const x = fitTfidf([...texts, 'leadership in hospital quality improvement']).matrix;

describe('similarityTo', () => {
  it('is 1 for the row itself and higher for records sharing its words', () => {
    const s = similarityTo(x, 200);
    expect(s[200]!).toBeCloseTo(1, 12);
    expect(s[7]!).toBeGreaterThan(s[8]!);
  });
});

describe('screenedBeforeFirstRelevant', () => {
  const run = (criteriaRow: number | null, seed: number) =>
    screenedBeforeFirstRelevant(x, labels, { seed, classifier: defaultClassifier(), batch: 1, criteriaRow });

  it('finds a relevant record first with a criteria document that names the topic', () => {
    for (const seed of [0, 1, 2]) expect(run(200, seed)).toBe(0);
  });

  it('screens in random order without one (on average about N / (relevant + 1) records first)', () => {
    const counts = Array.from({ length: 20 }, (_, seed) => run(null, seed));
    const mean = counts.reduce((a, b) => a + b, 0) / counts.length;
    expect(mean).toBeGreaterThan(10);
    expect(new Set(counts).size).toBeGreaterThan(5);
  });
});
