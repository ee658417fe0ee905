import { describe, expect, it } from 'vitest';
import { destinationWords, explanationWords, reviewersWords } from './explanation-words.ts';
import { reconcile } from './reconcile.ts';
import type { VoteEvent } from './vote-events.ts';

const v = (seq: number, reviewerId: string, vote: VoteEvent['vote'], reasons?: string[]): VoteEvent => ({
  seq,
  reviewerId,
  vote,
  ...(reasons ? { reasons } : {}),
});

/** Stage names and states as the code spells them: never in an explanation people read. */
const TOKENS = /full-text(?! assessment)|title-abstract|awaiting-votes|all [12] reviewers/;

describe('outcome explanations in words', () => {
  it('counts reviewers as people say it', () => {
    expect(reviewersWords(1)).toBe('the reviewer');
    expect(reviewersWords(2)).toBe('both reviewers');
    expect(reviewersWords(3)).toBe('all 3 reviewers');
  });

  it('says where an included record goes', () => {
    expect(destinationWords('full-text')).toBe('moves to full-text assessment');
    expect(destinationWords('included')).toBe('included in the review');
  });

  it('explains agreement, conflicts and resolutions without stage tokens', () => {
    const ta = { stage: 'title-abstract' as const, votesNeeded: 2 };
    const both = [v(1, 'a', 'include'), v(2, 'b', 'include')];
    expect(reconcile({ ...ta, votes: both }).explanation).toBe(
      'both reviewers voted include: moves to full-text assessment',
    );
    expect(reconcile({ ...ta, stage: 'full-text', votes: both }).explanation).toBe(
      'both reviewers voted include: included in the review',
    );
    expect(reconcile({ ...ta, votesNeeded: 3, votes: [...both, v(3, 'c', 'include')] }).explanation).toBe(
      'all 3 reviewers voted include: moves to full-text assessment',
    );
    expect(reconcile({ ...ta, votesNeeded: 1, votes: [v(1, 'a', 'exclude', ['design'])] }).explanation).toBe(
      'the reviewer voted exclude (design)',
    );
    const split = [v(1, 'a', 'include'), v(2, 'b', 'exclude')];
    const resolved = reconcile({
      ...ta,
      votes: split,
      resolutions: [{ seq: 3, adjudicatorId: 'c', vote: 'include' }],
    });
    expect(resolved.explanation).toBe(
      'conflict (exclude/include) resolved as include by an adjudicator: moves to full-text assessment',
    );
    for (const r of [resolved, reconcile({ ...ta, votes: split }), reconcile({ ...ta, votes: [both[0]!] })])
      expect(r.explanation).not.toMatch(TOKENS);
  });

  it('words an explanation stored in the old words, and leaves today’s as they are', () => {
    expect(explanationWords('all 2 reviewers voted include: moves to full-text')).toBe(
      'both reviewers voted include: moves to full-text assessment',
    );
    expect(explanationWords('re-opened: all 3 reviewers voted include: moves to included')).toBe(
      're-opened: all 3 reviewers voted include: included in the review',
    );
    expect(explanationWords('conflict (exclude/include) resolved as exclude by adjudicator (design)')).toBe(
      'conflict (exclude/include) resolved as exclude by an adjudicator (design)',
    );
    const today = 'both reviewers voted include: moves to full-text assessment';
    expect(explanationWords(today)).toBe(today);
  });
});
