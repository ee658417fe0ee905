import type { ReviewQueuePair } from '@winnow/ingest';
import { command } from '../command.ts';
import type { runDuplicatesQueue } from './duplicates-queue.run.ts';

type Queue = Awaited<ReturnType<typeof runDuplicatesQueue>>;

const side = (s: ReviewQueuePair['a']) => `${s.sourceFile} #${s.sourceIndex}`;

/** One line per question: the pair shown, what an answer covers, and why it is asked. */
function describe(q: ReviewQueuePair): string {
  const covers = `covers ${q.covers.records} records (${q.covers.pairs} record pairs)`;
  const all = q.all
    ? `; for all ${q.all.groups} linked groups: ${q.all.records} records (${q.all.pairs} record pairs)`
    : '';
  return `${side(q.a)} vs ${side(q.b)}, score ${q.score.toFixed(2)}: ${covers}${all}\n    ${q.a.record.title}\n    why: ${q.reason}`;
}

export const duplicatesQueueCommand = command({
  name: 'duplicates queue',
  summary:
    'The dedup questions awaiting an answer, best first: the pair shown, how many records and record pairs one answer covers, and why it is asked',
  options: { limit: { type: 'string', description: 'How many questions to list (default 50)' } },
  needs: 'runtime',
  run: async (ctx) => (await import('./duplicates-queue.run.ts')).runDuplicatesQueue(ctx),
  human: (r: Queue) =>
    [
      `${r.total} ${r.total === 1 ? 'question' : 'questions'} to answer, covering ${r.pendingPairs} compared record pairs`,
      ...r.pairs.map(describe),
    ].join('\n'),
});
