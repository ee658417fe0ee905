import { nextDestination, type Destination, type Stage } from '../stages/stage.types.ts';
import { currentVotes, type CurrentVote, type VoteEvent } from './vote-events.ts';
import { destinationWords, reviewersWords } from './explanation-words.ts';

/** An adjudicator's (or lead's) decision on a conflict; also an append-only event. */
export interface ResolutionEvent {
  seq: number;
  adjudicatorId: string;
  vote: 'include' | 'exclude';
  reasons?: readonly string[];
}

export type Outcome =
  | { status: 'awaiting-votes'; have: number; need: number }
  | { status: 'advanced'; to: Destination; by: 'agreement' | 'adjudication' }
  | { status: 'excluded'; reasons: string[]; by: 'agreement' | 'adjudication' }
  | { status: 'conflict'; kind: 'disagreement' | 'maybe' };

export interface Reconciliation {
  outcome: Outcome;
  /** Plain words for the log and the UI. */
  explanation: string;
  /** Highest event seq the outcome rests on: the idempotency key for recording it exactly once. */
  basisSeq: number;
  votes: CurrentVote[];
  /** True when this outcome replaces a different, earlier settled outcome. */
  reopened: boolean;
}

export interface ReconcileInput {
  stage: Stage;
  votesNeeded: number;
  votes: readonly VoteEvent[];
  resolutions?: readonly ResolutionEvent[];
  /** The outcome recorded last time, to tell a re-opened record from a first reconciliation. */
  previous?: Outcome | null;
}

export function isSettled(o: Outcome): boolean {
  return o.status === 'advanced' || o.status === 'excluded';
}

/** Stable text for an outcome: key order does not matter (jsonb from the database reorders keys). */
export function outcomeText(o: Outcome): string {
  const sort = (v: unknown): unknown =>
    Array.isArray(v)
      ? v.map(sort)
      : v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v as Record<string, unknown>)
              .sort(([a], [b]) => a.localeCompare(b))
              .map(([k, x]) => [k, sort(x)]),
          )
        : v;
  return JSON.stringify(sort(o));
}

function sameOutcome(a: Outcome, b: Outcome): boolean {
  return outcomeText(a) === outcomeText(b);
}

function unionReasons(votes: readonly { reasons?: readonly string[] }[]): string[] {
  return [...new Set(votes.flatMap((v) => v.reasons ?? []))].sort();
}

/**
 * Decides a record's state from its current votes. Pure and deterministic: the same events give the
 * same outcome in any order, so a re-run job or a second worker reaches the same answer.
 * - fewer current votes than needed: awaiting votes;
 * - all include: advances to the next stage; all exclude: excluded with the union of reasons;
 * - any maybe or any disagreement: conflict, unless an adjudicator resolved it after the last vote
 *   changed. A vote cast after a resolution re-opens the record: the resolution no longer applies.
 */
export function reconcile(input: ReconcileInput): Reconciliation {
  const votes = currentVotes(input.votes);
  const lastVoteSeq = input.votes.reduce((m, v) => Math.max(m, v.seq), 0);
  const resolution = [...(input.resolutions ?? [])]
    .filter((r) => r.seq > lastVoteSeq)
    .sort((a, b) => b.seq - a.seq)[0];
  let outcome: Outcome;
  let explanation: string;
  let basisSeq = lastVoteSeq;
  if (votes.length < input.votesNeeded) {
    outcome = { status: 'awaiting-votes', have: votes.length, need: input.votesNeeded };
    explanation = `${votes.length} of ${input.votesNeeded} votes cast`;
  } else if (votes.every((v) => v.vote === 'include')) {
    const to = nextDestination(input.stage);
    outcome = { status: 'advanced', to, by: 'agreement' };
    explanation = `${reviewersWords(votes.length)} voted include: ${destinationWords(to)}`;
  } else if (votes.every((v) => v.vote === 'exclude')) {
    const reasons = unionReasons(votes);
    outcome = { status: 'excluded', reasons, by: 'agreement' };
    explanation = `${reviewersWords(votes.length)} voted exclude${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
  } else {
    const kind = votes.some((v) => v.vote === 'maybe') ? 'maybe' : 'disagreement';
    const tally = votes
      .map((v) => v.vote)
      .sort()
      .join('/');
    if (resolution) {
      basisSeq = resolution.seq;
      if (resolution.vote === 'include') {
        const to = nextDestination(input.stage);
        outcome = { status: 'advanced', to, by: 'adjudication' };
        explanation = `conflict (${tally}) resolved as include by an adjudicator: ${destinationWords(to)}`;
      } else {
        const reasons = unionReasons([resolution]);
        outcome = { status: 'excluded', reasons, by: 'adjudication' };
        explanation = `conflict (${tally}) resolved as exclude by an adjudicator${reasons.length ? ` (${reasons.join(', ')})` : ''}`;
      }
    } else {
      outcome = { status: 'conflict', kind };
      explanation =
        kind === 'maybe'
          ? `a reviewer voted maybe (${tally}): needs an adjudicator`
          : `reviewers disagree (${tally}): needs an adjudicator`;
      const staleResolution = (input.resolutions ?? []).some((r) => r.seq <= lastVoteSeq);
      if (staleResolution) explanation += '; a vote changed after the earlier resolution';
    }
  }
  const settledBefore =
    !!input.previous && isSettled(input.previous) && !sameOutcome(input.previous, outcome);
  // An adjudicator's later resolution on the same votes changes their own decision: said as such,
  // not as a record re-opened (which a changed vote does).
  const changedDecision =
    settledBefore &&
    resolution !== undefined &&
    basisSeq === resolution.seq &&
    !!input.previous &&
    'by' in input.previous &&
    input.previous.by === 'adjudication' &&
    (input.resolutions ?? []).some((r) => r.seq > lastVoteSeq && r.seq < resolution.seq);
  const reopened = settledBefore && !changedDecision;
  // Said before the reasons' brackets, which end the explanation (the record page labels them).
  if (changedDecision)
    explanation = explanation.replace(' by an adjudicator', ' by an adjudicator, who changed the decision');
  if (reopened) explanation = `re-opened: ${explanation}`;
  return { outcome, explanation, basisSeq, votes, reopened };
}
