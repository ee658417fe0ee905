import type { Role } from '@winnow/core';

/**
 * What one user may see of the votes on one record at one stage.
 *
 * The rules follow what blinded dual screening needs (Cochrane MECIR C39/C40; Rayyan's blind mode;
 * Covidence hides the other vote until a conflict is resolved):
 * - Blind mode off: every member sees every vote.
 * - Anyone assigned to the record, or who voted on it, is a screener of it. Until a screener has
 *   voted they see nothing of other votes: not the votes, not who voted, not how many votes exist.
 *   That holds for leads too: a lead who screens is as blind as any reviewer.
 * - A screener who has voted sees their own vote and, once the record is settled, the outcome;
 *   other votes stay hidden while blind mode is on (they could otherwise change their vote to
 *   match, which re-opens the record and is logged, but is still anchoring).
 * - An adjudicator sees who voted and how only after casting their own vote on the record
 *   (the blind adjudicator vote, then resolve), so the third opinion is independent too.
 * - A lead who is not screening the record sees everything: leads run the review and resolve
 *   disputes. A viewer sees settled outcomes and counts, never individual votes while blind.
 */
export interface BlindingContext {
  blind: boolean;
  viewerId: string;
  roles: readonly Role[];
  /** Reviewers with an open or finished assignment on this record at this stage. */
  assignedReviewerIds: readonly string[];
  /** Users whose latest vote on this record at this stage is a vote (not retracted). */
  voterIds: readonly string[];
  /** The adjudicators who have voted or resolved on this record. */
  adjudicatorVoterIds?: readonly string[];
  settled: boolean;
}

export interface Visibility {
  ownVote: boolean;
  otherVotes: boolean;
  /** How many votes exist and who cast them (without how they voted). */
  voteCount: boolean;
  outcome: boolean;
  reason: string;
}

const ALL: Omit<Visibility, 'reason'> = { ownVote: true, otherVotes: true, voteCount: true, outcome: true };
const NOTHING: Omit<Visibility, 'reason'> = {
  ownVote: true,
  otherVotes: false,
  voteCount: false,
  outcome: false,
};

export function visibility(ctx: BlindingContext): Visibility {
  if (ctx.roles.length === 0) return { ...NOTHING, ownVote: false, reason: 'not a member of the review' };
  if (!ctx.blind) return { ...ALL, reason: 'blind mode is off' };
  const voted = ctx.voterIds.includes(ctx.viewerId) || (ctx.adjudicatorVoterIds ?? []).includes(ctx.viewerId);
  const screening = ctx.assignedReviewerIds.includes(ctx.viewerId) || ctx.voterIds.includes(ctx.viewerId);
  if (screening && !voted) return { ...NOTHING, reason: 'you screen this record and have not voted yet' };
  if (ctx.roles.includes('lead'))
    return { ...ALL, reason: screening ? 'lead, after voting' : 'lead, not screening this record' };
  if (ctx.roles.includes('adjudicator')) {
    return voted
      ? { ...ALL, reason: 'adjudicator, after casting their own vote' }
      : { ...NOTHING, outcome: ctx.settled, reason: 'adjudicator who has not voted on this record yet' };
  }
  if (screening)
    return {
      ...NOTHING,
      outcome: ctx.settled,
      reason: 'screener after voting: own vote and settled outcome only',
    };
  if (ctx.roles.some((r) => r === 'viewer' || r === 'reviewer' || r === 'coder')) {
    return {
      ownVote: false,
      otherVotes: false,
      voteCount: ctx.settled,
      outcome: ctx.settled,
      reason: 'not screening this record: settled outcome only',
    };
  }
  return { ...NOTHING, ownVote: false, reason: 'no role that may see votes' };
}

export interface VisibleVote {
  reviewerId: string;
  vote: string;
  reasons: readonly string[];
  note?: string | undefined;
}

/** Applies a visibility to a vote list: the only way votes should reach a response or export. */
export function redactVotes<V extends VisibleVote>(
  vis: Visibility,
  viewerId: string,
  votes: readonly V[],
): V[] {
  return votes.filter((v) => (v.reviewerId === viewerId ? vis.ownVote : vis.otherVotes));
}
