import { describe, expect, it } from 'vitest';
import { redactVotes, visibility, type BlindingContext } from './blinding.policy.ts';

const ctx = (over: Partial<BlindingContext>): BlindingContext => ({
  blind: true,
  viewerId: 'me',
  roles: ['reviewer'],
  assignedReviewerIds: ['me', 'other'],
  voterIds: ['other'],
  settled: false,
  ...over,
});

const votes = [
  { reviewerId: 'me', vote: 'include', reasons: [] },
  { reviewerId: 'other', vote: 'exclude', reasons: ['x'] },
];

describe('visibility', () => {
  it('hides everything from an assigned reviewer who has not voted, even the vote count', () => {
    const vis = visibility(ctx({}));
    expect(vis).toMatchObject({ otherVotes: false, voteCount: false, outcome: false });
    expect(redactVotes(vis, 'me', votes.slice(1))).toEqual([]);
  });

  it('after voting, a reviewer sees their own vote and the settled outcome, not the other vote', () => {
    const vis = visibility(ctx({ voterIds: ['me', 'other'], settled: true }));
    expect(vis).toMatchObject({ ownVote: true, otherVotes: false, outcome: true });
    expect(redactVotes(vis, 'me', votes).map((v) => v.reviewerId)).toEqual(['me']);
  });

  it('keeps a screening lead blind until they vote, then shows all', () => {
    expect(visibility(ctx({ roles: ['lead', 'reviewer'] })).otherVotes).toBe(false);
    expect(visibility(ctx({ roles: ['lead', 'reviewer'], voterIds: ['me', 'other'] })).otherVotes).toBe(true);
    expect(
      visibility(ctx({ roles: ['lead'], assignedReviewerIds: ['a', 'b'], voterIds: ['a', 'b'] })).otherVotes,
    ).toBe(true);
  });

  it('shows an adjudicator the votes only after their own vote', () => {
    const before = visibility(
      ctx({ roles: ['adjudicator'], assignedReviewerIds: ['a', 'b'], voterIds: ['a', 'b'] }),
    );
    expect(before.otherVotes).toBe(false);
    expect(before.voteCount).toBe(false);
    const after = visibility(
      ctx({
        roles: ['adjudicator'],
        assignedReviewerIds: ['a', 'b'],
        voterIds: ['a', 'b'],
        adjudicatorVoterIds: ['me'],
      }),
    );
    expect(after.otherVotes).toBe(true);
  });

  it('gives viewers and unassigned reviewers settled outcomes only', () => {
    const vis = visibility(
      ctx({ roles: ['viewer'], assignedReviewerIds: ['a', 'b'], voterIds: ['a', 'b'], settled: true }),
    );
    expect(vis).toMatchObject({ otherVotes: false, outcome: true });
    expect(
      visibility(ctx({ roles: ['reviewer'], assignedReviewerIds: ['a', 'b'], voterIds: ['a'] })).outcome,
    ).toBe(false);
  });

  it('opens everything when blind mode is off, and nothing to non-members', () => {
    expect(visibility(ctx({ blind: false })).otherVotes).toBe(true);
    expect(visibility(ctx({ roles: [] }))).toMatchObject({ ownVote: false, otherVotes: false });
  });
});
