import { describe, expect, it } from 'vitest';
import { loadMarkdown, runLoad } from '../bench/load.bench.ts';

/**
 * The load run of `pnpm bench load`, at the size: 50 reviewers voting over loopback while a
 * 100k-record import and its dedup run. No request may fail and no job may stall.
 */
describe('50 concurrent reviewers during a 100k-record import and dedup', () => {
  it(
    'answers every request, and import and dedup finish without stalling',
    { timeout: 900_000 },
    async () => {
      const r = await runLoad({
        reviewers: 50,
        importRecords: 100_000,
        screenRecords: 20_000,
        maxSeconds: 600,
      });
      console.log(loadMarkdown(r));
      expect(r.errorSamples).toEqual([]);
      expect(r.errors).toBe(0);
      expect(r.votes).toBeGreaterThan(0);
      expect(r.importSeconds).not.toBeNull();
      expect(r.dedupSeconds).not.toBeNull();
      expect(r.stalled).toEqual([]);
    },
  );
});
