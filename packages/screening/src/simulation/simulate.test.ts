import { describe, expect, it } from 'vitest';
import { fitTfidf } from '../prioritisation/tfidf.ts';
import { simulate } from './simulate.ts';

// 200 records written for this test: 20 relevant about one topic, 180 about others, interleaved.
function corpus() {
  const topics = [
    'soil nitrogen wheat yield',
    'bridge steel fatigue load',
    'coral reef bleaching heat',
    'galaxy redshift survey',
  ];
  const texts: string[] = [];
  const labels: number[] = [];
  for (let i = 0; i < 200; i++) {
    const relevant = i % 10 === 3;
    texts.push(
      relevant ? `ward leadership quality improvement hospital staff ${i}` : `${topics[i % 4]} study ${i}`,
    );
    labels.push(relevant ? 1 : 0);
  }
  return { texts, labels };
}

describe('simulate', () => {
  const { texts, labels } = corpus();
  const { matrix } = fitTfidf(texts);
  const summary = simulate(matrix, labels, { seeds: [0, 1, 2] });

  it('finds separable relevant records first', () => {
    // All 20 relevant among the first 20 + 2 seeds: WSS@100 = (200 - 22)/200 at worst.
    for (const s of summary.seeds) expect(s.wss100).toBeGreaterThanOrEqual((200 - 22) / 200);
    expect(summary.mean.recallAt10.mean).toBeGreaterThan(0.9);
  });

  it('stops only after reaching the target recall, and reports per seed', () => {
    expect(summary.seeds).toHaveLength(3);
    for (const s of summary.seeds) {
      expect(s.stoppedAfter).not.toBeNull();
      expect(s.recallAtStop).toBeGreaterThanOrEqual(0.95);
    }
    expect(summary.stopsBelowTarget).toBe(0);
  });

  it('replays exactly from a seed', () => {
    const again = simulate(matrix, labels, { seeds: [1] });
    expect(again.seeds[0]!.wss95).toBe(summary.seeds[1]!.wss95);
    expect(again.seeds[0]!.stoppedAfter).toBe(summary.seeds[1]!.stoppedAfter);
  });
});
