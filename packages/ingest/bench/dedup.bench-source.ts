// The generated collection read as a dedup run reads the database, and the generator's truth.
import type { DedupSource } from '../src/dedup/dedupe.ts';
import type { DedupInput, DedupResult } from '../src/dedup/dedupe.types.ts';
import { generateRecords, type GeneratorMark } from '../src/dedup/synthetic.ts';
import type { NormalisedRecord } from '../src/record.types.ts';

export const SEED = 42;

/** Position of a generated record from its id (`g1` is 0). */
export const positionOf = (id: string): number => Number(id.slice(1)) - 1;

/**
 * The generated collection as a dedup run reads the database (issue 18): every record once, in
 * batches that are dropped once read, then the whole records of grouped records, regenerated from
 * marks taken on the first pass (as the job reads them again by id). Time spent generating is
 * counted apart, as reading the database would be.
 */
export function generatedSource(n: number): {
  source: DedupSource;
  reportOf: Int32Array;
  generating: { wallMs: number; cpuMs: number };
} {
  const reportOf = new Int32Array(n);
  const marks: GeneratorMark[] = [];
  const generating = { wallMs: 0, cpuMs: 0 };
  const timed = <T>(f: () => T): T => {
    const t = performance.now();
    const cpu = process.cpuUsage();
    try {
      return f();
    } finally {
      const used = process.cpuUsage(cpu);
      generating.wallMs += performance.now() - t;
      generating.cpuMs += (used.user + used.system) / 1000;
    }
  };
  const source: DedupSource = {
    async *keys() {
      const records = generateRecords(n, SEED, undefined, (m) => {
        if (m.position >= (marks.at(-1)?.position ?? -Infinity) + 1000) marks.push(m);
      });
      for (;;) {
        const batch = timed(() => {
          const out: DedupInput[] = [];
          for (let r = records.next(); !r.done; r = records.next()) {
            reportOf[positionOf(r.value.input.id)] = r.value.report;
            if (out.push(r.value.input) === 2000) break;
          }
          return out;
        });
        if (batch.length === 0) return;
        yield batch;
      }
    },
    async records(ids) {
      return timed(() => {
        const wanted = ids.map(positionOf).sort((x, y) => x - y);
        const out = new Map<string, NormalisedRecord>();
        let cursor: Generator<{ input: DedupInput }> | undefined;
        let at = 0;
        for (const p of wanted) {
          if (!cursor || p < at || p - at > 5000) {
            let lo = 0;
            for (let hi = marks.length - 1; lo < hi;) {
              const mid = (lo + hi + 1) >> 1;
              if (marks[mid]!.position <= p) lo = mid;
              else hi = mid - 1;
            }
            cursor = generateRecords(n, SEED, marks[lo]);
            at = marks[lo]!.position;
          }
          for (; at <= p; at++) {
            const r = cursor.next();
            if (r.done) throw new Error(`generated collection ended before record ${p + 1}`);
            if (at === p) out.set(r.value.input.id, r.value.input.record);
          }
        }
        return out;
      });
    },
  };
  return { source, reportOf, generating };
}

/** Generator truth against the groups: records merged with another report, duplicates left out. */
export function truth(
  r: DedupResult,
  reportOf: Int32Array,
): { reports: number; falseMerged: number; missed: number; duplicates: number } {
  const n = reportOf.length;
  const groupOf = new Int32Array(n).fill(-1);
  let falseMerged = 0;
  r.groups.forEach((g, k) => {
    const counts = new Map<number, number>();
    for (const m of g.members) {
      const p = positionOf(m.recordId);
      groupOf[p] = k;
      counts.set(reportOf[p]!, (counts.get(reportOf[p]!) ?? 0) + 1);
    }
    falseMerged += g.members.length - Math.max(...counts.values());
  });
  // A report's records are generated one after another.
  let missed = 0;
  let duplicates = 0;
  let reports = 0;
  for (let from = 0; from < n;) {
    let to = from + 1;
    while (to < n && reportOf[to] === reportOf[from]) to++;
    reports++;
    if (to - from >= 2) {
      duplicates += to - from;
      const inGroup = new Map<number, number>();
      let best = 1;
      for (let p = from; p < to; p++)
        if (groupOf[p]! >= 0) {
          const c = (inGroup.get(groupOf[p]!) ?? 0) + 1;
          inGroup.set(groupOf[p]!, c);
          best = Math.max(best, c);
        }
      missed += to - from - best;
    }
    from = to;
  }
  return { reports, falseMerged, missed, duplicates };
}
