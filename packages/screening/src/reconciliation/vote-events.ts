import type { Vote } from '../stages/stage.types.ts';

/**
 * One vote event on one record at one stage. Votes are never updated in place: a changed vote is a
 * new event with a higher `seq`, an undo is a `retract` event. `seq` is the event log id, which
 * orders events across processes (timestamps can tie or drift between machines).
 */
export interface VoteEvent {
  seq: number;
  reviewerId: string;
  vote: Vote | 'retract';
  reasons?: readonly string[];
  note?: string | undefined;
}

export interface CurrentVote {
  seq: number;
  reviewerId: string;
  vote: Vote;
  reasons: readonly string[];
  note?: string | undefined;
}

/** The latest event per reviewer, dropping reviewers whose latest event is a retraction. */
export function currentVotes(events: readonly VoteEvent[]): CurrentVote[] {
  const latest = new Map<string, VoteEvent>();
  for (const e of events) {
    const prev = latest.get(e.reviewerId);
    if (!prev || e.seq > prev.seq) latest.set(e.reviewerId, e);
  }
  const out: CurrentVote[] = [];
  for (const e of latest.values()) {
    if (e.vote === 'retract') continue;
    out.push({
      seq: e.seq,
      reviewerId: e.reviewerId,
      vote: e.vote,
      reasons: [...(e.reasons ?? [])],
      note: e.note,
    });
  }
  return out.sort((a, b) => a.seq - b.seq);
}
