import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { outcomeText, reconcile, type Outcome, type ResolutionEvent } from './reconcile.ts';
import { currentVotes, type VoteEvent } from './vote-events.ts';

const v = (seq: number, reviewerId: string, vote: VoteEvent['vote'], reasons?: string[]): VoteEvent => ({
  seq,
  reviewerId,
  vote,
  ...(reasons ? { reasons } : {}),
});

describe('currentVotes', () => {
  it('keeps the latest event per reviewer and drops retractions', () => {
    const cur = currentVotes([
      v(3, 'a', 'exclude'),
      v(1, 'a', 'include'),
      v(2, 'b', 'include'),
      v(4, 'b', 'retract'),
    ]);
    expect(cur.map((c) => `${c.reviewerId}:${c.vote}`)).toEqual(['a:exclude']);
  });
});

describe('reconcile', () => {
  const base = { stage: 'title-abstract' as const, votesNeeded: 2 };

  it('says an adjudicator changed their decision, and a changed vote re-opens the record', () => {
    const votes = [v(1, 'a', 'include'), v(2, 'b', 'exclude')];
    const first: ResolutionEvent = { seq: 3, adjudicatorId: 'c', vote: 'include', reasons: [] };
    const decided = reconcile({ ...base, votes, resolutions: [first] });
    expect(decided.outcome).toMatchObject({ status: 'advanced', by: 'adjudication' });
    const second: ResolutionEvent = { seq: 4, adjudicatorId: 'c', vote: 'exclude', reasons: ['setting'] };
    const changed = reconcile({ ...base, votes, resolutions: [first, second], previous: decided.outcome });
    expect(changed.outcome).toEqual({ status: 'excluded', reasons: ['setting'], by: 'adjudication' });
    expect(changed.reopened).toBe(false);
    expect(changed.explanation).toBe(
      'conflict (exclude/include) resolved as exclude by an adjudicator, who changed the decision (setting)',
    );
    // A vote changed after the decision: the record is re-opened, in conflict no more.
    const revoted = reconcile({
      ...base,
      votes: [...votes, v(5, 'b', 'include')],
      resolutions: [first],
      previous: decided.outcome,
    });
    expect(revoted.reopened).toBe(true);
    expect(revoted.explanation).toMatch(/^re-opened: /);
  });

  it('waits for the votes it needs', () => {
    const r = reconcile({ ...base, votes: [v(1, 'a', 'include')] });
    expect(r.outcome).toEqual({ status: 'awaiting-votes', have: 1, need: 2 });
    expect(r.explanation).toBe('1 of 2 votes cast');
  });

  it('advances a record everyone included to full text, and to included at full text', () => {
    const votes = [v(1, 'a', 'include'), v(2, 'b', 'include')];
    expect(reconcile({ ...base, votes }).outcome).toEqual({
      status: 'advanced',
      to: 'full-text',
      by: 'agreement',
    });
    expect(reconcile({ ...base, stage: 'full-text', votes }).outcome).toEqual({
      status: 'advanced',
      to: 'included',
      by: 'agreement',
    });
  });

  it('excludes with the union of reasons', () => {
    const r = reconcile({
      ...base,
      votes: [
        v(1, 'a', 'exclude', ['wrong-design']),
        v(2, 'b', 'exclude', ['wrong-population', 'wrong-design']),
      ],
    });
    expect(r.outcome).toEqual({
      status: 'excluded',
      reasons: ['wrong-design', 'wrong-population'],
      by: 'agreement',
    });
    expect(r.basisSeq).toBe(2);
  });

  it('sends disagreement and maybe to an adjudicator, saying which', () => {
    expect(reconcile({ ...base, votes: [v(1, 'a', 'include'), v(2, 'b', 'exclude')] }).outcome).toEqual({
      status: 'conflict',
      kind: 'disagreement',
    });
    const m = reconcile({ ...base, votes: [v(1, 'a', 'maybe'), v(2, 'b', 'maybe')] });
    expect(m.outcome).toEqual({ status: 'conflict', kind: 'maybe' });
    expect(m.explanation).toMatch(/maybe/);
  });

  it('applies an adjudicator resolution made after the last vote', () => {
    const votes = [v(1, 'a', 'include'), v(2, 'b', 'exclude')];
    const resolutions: ResolutionEvent[] = [
      { seq: 3, adjudicatorId: 'c', vote: 'exclude', reasons: ['not-a-review'] },
    ];
    const r = reconcile({ ...base, votes, resolutions });
    expect(r.outcome).toEqual({ status: 'excluded', reasons: ['not-a-review'], by: 'adjudication' });
    expect(r.basisSeq).toBe(3);
    const inc = reconcile({
      ...base,
      votes,
      resolutions: [...resolutions, { seq: 4, adjudicatorId: 'c', vote: 'include' }],
    });
    expect(inc.outcome).toEqual({ status: 'advanced', to: 'full-text', by: 'adjudication' });
  });

  it('re-opens a settled record when a vote changes afterwards', () => {
    const first = reconcile({ ...base, votes: [v(1, 'a', 'include'), v(2, 'b', 'include')] });
    expect(first.reopened).toBe(false);
    const changed = reconcile({
      ...base,
      votes: [v(1, 'a', 'include'), v(2, 'b', 'include'), v(5, 'b', 'exclude')],
      previous: first.outcome,
    });
    expect(changed.outcome.status).toBe('conflict');
    expect(changed.reopened).toBe(true);
    expect(changed.explanation).toMatch(/^re-opened/);
  });

  it('drops a resolution once a vote changes after it', () => {
    const votes = [v(1, 'a', 'include'), v(2, 'b', 'exclude')];
    const resolutions: ResolutionEvent[] = [{ seq: 3, adjudicatorId: 'c', vote: 'include' }];
    const settled = reconcile({ ...base, votes, resolutions });
    const after = reconcile({
      ...base,
      votes: [...votes, v(4, 'a', 'maybe')],
      resolutions,
      previous: settled.outcome,
    });
    expect(after.outcome).toEqual({ status: 'conflict', kind: 'maybe' });
    expect(after.reopened).toBe(true);
    expect(after.explanation).toMatch(/changed after the earlier resolution/);
  });

  it('an undo after settling re-opens the record as awaiting votes', () => {
    const settled = reconcile({ ...base, votes: [v(1, 'a', 'exclude'), v(2, 'b', 'exclude')] });
    const undone = reconcile({
      ...base,
      votes: [v(1, 'a', 'exclude'), v(2, 'b', 'exclude'), v(3, 'b', 'retract')],
      previous: settled.outcome,
    });
    expect(undone.outcome.status).toBe('awaiting-votes');
    expect(undone.reopened).toBe(true);
  });

  it('does not call a record re-opened when the stored outcome only differs in key order (jsonb)', () => {
    const votes = [v(1, 'a', 'include'), v(2, 'b', 'include')];
    const fromDb = JSON.parse('{"by":"agreement","to":"full-text","status":"advanced"}') as Outcome;
    expect(outcomeText(fromDb)).toBe(outcomeText({ status: 'advanced', to: 'full-text', by: 'agreement' }));
    expect(reconcile({ ...base, votes, previous: fromDb }).reopened).toBe(false);
  });

  it('is independent of event order (property)', () => {
    const arbVote = fc.record({
      reviewerId: fc.constantFrom('a', 'b', 'c'),
      vote: fc.constantFrom('include', 'exclude', 'maybe', 'retract') as fc.Arbitrary<VoteEvent['vote']>,
      reasons: fc.subarray(['x', 'y', 'z']),
    });
    fc.assert(
      fc.property(fc.array(arbVote, { maxLength: 12 }), fc.integer(), (raw, seed) => {
        const events = raw.map((e, i) => ({ ...e, seq: i + 1 }));
        const shuffled = [...events].sort(
          (x, y) => ((x.seq * 7919 + seed) % 13) - ((y.seq * 7919 + seed) % 13),
        );
        expect(reconcile({ ...base, votes: shuffled })).toEqual(reconcile({ ...base, votes: events }));
      }),
      { numRuns: 200 },
    );
  });
});
