import { getReviewBySlug, WinnowError } from '@winnow/core';
import { listReviewQueue, type ReviewQueuePair } from '@winnow/ingest';
import { command } from '../command.ts';

type Queue = Awaited<ReturnType<typeof listReviewQueue>>;

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
  async run({ rt, reviewSlug, opts }) {
    const limit = opts.limit === undefined ? 50 : Number(opts.limit);
    if (!Number.isInteger(limit) || limit < 1 || limit > 500)
      throw new WinnowError('VALIDATION', `--limit ${String(opts.limit)}: give a whole number from 1 to 500`);
    const review = await getReviewBySlug(rt.db, reviewSlug);
    return listReviewQueue(rt.db, review.id, limit);
  },
  human: (r: Queue) =>
    [
      `${r.total} ${r.total === 1 ? 'question' : 'questions'} to answer, covering ${r.pendingPairs} compared record pairs`,
      ...r.pairs.map(describe),
    ].join('\n'),
});
