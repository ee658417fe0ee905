// One seeded generator (mulberry32) for routing, calibration, simulations and test corpora.
export { seededRandom } from '../routing/seeded-random.ts';

/** A random permutation of 0..n-1 (Fisher-Yates). */
export function permutation(n: number, random: () => number): Int32Array {
  const p = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const t = p[i]!;
    p[i] = p[j]!;
    p[j] = t;
  }
  return p;
}
