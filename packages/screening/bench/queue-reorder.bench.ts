// What a retrain's save costs as a review grows (issue 18, the vote path): saveRankings stores the
// model and its shared ranking, then puts each reviewer's open queue in the new order. Two
// reviewers, every record routed to both, so each queue holds every record of the review. Each
// retrain scores the records afresh (random scores), so nearly every position changes: the most a
// reorder can write. Reproduce: `nice -n 5 pnpm bench queue-reorder`.
import os from 'node:os';
import { createTestDatabase, type Engine } from '@winnow/core/testing';
import { saveRankings, stoppingTest, type LiveRankings } from '../src/index.ts';
import { seedRoutedReview } from '../test/screening-fixtures.ts';
import { seededRandom } from '../src/prioritisation/rng.ts';

const SIZES = [1_000, 3_000, 10_000];
// More than five: PL/pgSQL plans a statement afresh for its first five calls, then may keep a
// generic plan, which is where a plan that grows with the square of the queue showed.
const RETRAINS = 8;

async function measure(engine: Engine, n: number): Promise<string> {
  const t = await createTestDatabase(engine);
  try {
    const { reviewId, ann, bob, recordIds } = await seedRoutedReview(t.db, `reorder-${n}`, n);
    const random = seededRandom(n);
    const scores = () => new Map(recordIds.map((id) => [id, random()]));
    const times: number[] = [];
    let after: number | null = null;
    for (let k = 0; k < RETRAINS; k++) {
      const shared = scores();
      const rankings: LiveRankings = {
        classifier: 'svm',
        labelled: 2,
        relevant: 1,
        shared,
        perReviewer: new Map([
          [ann, shared],
          [bob, scores()],
        ]),
        stopping: stoppingTest([1, 0], n),
      };
      const started = performance.now();
      const saved = await saveRankings(t.db, {
        reviewId,
        stage: 'title-abstract',
        basisSeq: k + 1,
        labelsKey: `bench-${k}`,
        after,
        records: n,
        rankings,
        randomShare: 0,
        busyMs: 0,
      });
      times.push(performance.now() - started);
      if (!saved || saved.reordered !== 2 * n) throw new Error(`retrain ${k} reordered ${saved?.reordered}`);
      after = saved.modelId;
    }
    const sorted = [...times].sort((a, b) => a - b);
    const median = sorted[Math.floor(sorted.length / 2)]!;
    return `| ${engine} | ${n.toLocaleString('en-GB')} | ${(2 * n).toLocaleString('en-GB')} | ${Math.round(median)} | ${Math.round(sorted[sorted.length - 1]!)} |`;
  } finally {
    await t.drop();
  }
}

export default async function (): Promise<string> {
  const load = os.loadavg()[0]!.toFixed(1);
  const rows: string[] = [];
  for (const engine of ['postgres', 'pglite'] as const)
    for (const n of SIZES) {
      process.stderr.write(`queue reorder: ${engine}, ${n} records\n`);
      rows.push(await measure(engine, n));
    }
  return `## Screening: a retrain's save and queue reorders as the review grows (issue 18)

\`saveRankings\` after a retrain: the model and its shared ranking in one transaction, then each reviewer's open
queue put in the new order by one statement (\`reorder_open_queue\`, migration 0790). Two reviewers, every record
routed to both, so each queue holds every record; each of ${RETRAINS} retrains scores the records afresh, so nearly
every position changes (the most a reorder writes). A reviewer's queue is locked against their votes only during
their own reorder. Load average (1 min) at the start: ${load}, ${os.cpus().length} cores.

| engine | records | queued assignments | median ms per retrain | max ms |
|---|---:|---:|---:|---:|
${rows.join('\n')}

Before (commit 150dea7), measured the same way by a one-off script (four retrains, PostgreSQL): 10.2-12.3 s a
retrain at 10,000 records. The trigger that keeps the library's people columns joined an update's old and new rows
with the plan kept from a one-row vote, comparing every new row with every old one (fixed by migration 0791). The
reorder as first written in this change showed the same kind of plan once PL/pgSQL kept a generic one (25 s at
10,000); it now finds each row by its primary key, planned for the positions it is given.

Reproduce: \`nice -n 5 pnpm bench queue-reorder\` (needs PostgreSQL on 127.0.0.1:5432).
`;
}
