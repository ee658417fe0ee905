import { describe, expect, it } from 'vitest';
import {
  initialState,
  isDone,
  onScreen,
  quoted,
  reduce,
  viewing,
  type Action,
  type Effect,
  type NextAnswer,
  type ScreenRecord,
  type ScreenState,
  type Ticket,
} from './screening-state.ts';

const rec = (id: string): ScreenRecord => ({
  recordId: id,
  reportId: null,
  title: `Record ${id}`,
  year: 2020,
  authors: [],
  journal: null,
  doi: null,
  keywords: [],
  mesh: [],
  abstract: '',
  highlight: { title: [], abstract: [] },
});

const answer = (ids: string[], done: number, total = 20): NextAnswer =>
  ids.length === 0
    ? null
    : {
        record: rec(ids[0]!),
        upcoming: ids.slice(1).map(rec),
        progress: { mine: { done, total, waiting: 0 }, stage: { records: 40, settled: 0 } },
      };

/** Runs actions in order, collecting effects. */
function run(s: ScreenState, ...actions: Action[]): [ScreenState, Effect[]] {
  const all: Effect[] = [];
  for (const a of actions) {
    const [next, effects] = reduce(s, a);
    s = next;
    all.push(...effects);
  }
  return [s, all];
}

const shownId = (s: ScreenState) => onScreen(s)?.recordId ?? null;
const ticketOf = (s: ScreenState): Ticket => ({ sent: s.sent, answered: s.answered });

/** A page that has loaded records a..e with 3 of 20 done. */
function loaded(ids = ['a', 'b', 'c', 'd', 'e'], done = 3): ScreenState {
  return run(initialState, {
    type: 'refilled',
    ticket: { sent: 0, answered: 0 },
    answer: answer(ids, done),
  })[0];
}

const vote = (s: ScreenState, v: 'include' | 'exclude' | 'maybe' = 'include'): Action => ({
  type: 'vote',
  recordId: shownId(s),
  vote: v,
  reasonsRequired: false,
});
const undo = (s: ScreenState): Action => ({
  type: 'undo',
  recordId: s.history[s.history.length - 1]?.record.recordId ?? null,
});

describe('screening state: a reason ticked just after a bare exclude', () => {
  const tick = (id: string, code = 'wrong-population'): Action => ({
    type: 'toggle-reason',
    recordId: id,
    code,
  });

  it('ticks it for the record on screen and says the excluded one went without a reason', () => {
    let s = loaded();
    [s] = run(s, vote(s, 'exclude'));
    expect(shownId(s)).toBe('b');
    [s] = run(s, tick('b'));
    expect(s.draft).toMatchObject({ recordId: 'b', reasons: ['wrong-population'] });
    expect(s.notice).toBe(
      'The reason you ticked is for this record. “Record a” was excluded without a reason: ← goes back to it. Tick reasons before pressing E.',
    );
  });

  it('says nothing after an exclude with reasons, an include, or once something else was done', () => {
    let s = loaded();
    [s] = run(s, tick('a'), vote(s, 'exclude'));
    [s] = run(s, tick('b'));
    expect(s.notice).toBeNull();
    s = loaded();
    [s] = run(s, vote(s, 'include'));
    [s] = run(s, tick('b'));
    expect(s.notice).toBeNull();
    // Bare exclude, then undo and vote again: the last write is no longer that exclude.
    s = loaded();
    [s] = run(s, vote(s, 'exclude'));
    [s] = run(s, undo(s));
    [s] = run(s, vote(s, 'include'));
    [s] = run(s, tick('b'));
    expect(s.notice).toBeNull();
    // Revisiting the bare exclude (←) and ticking there is the way to mend it: nothing to say.
    s = loaded();
    [s] = run(s, vote(s, 'exclude'));
    [s] = run(s, { type: 'back', recordId: shownId(s) });
    expect(shownId(s)).toBe('a');
    [s] = run(s, tick('a'));
    expect(s.notice).toBeNull();
  });
});

describe('screening state: every action names its record', () => {
  it('a vote acts on the record on screen and sends it with its reasons and note', () => {
    let s = loaded();
    [s] = run(
      s,
      { type: 'toggle-reason', recordId: 'a', code: 'wrong-population' },
      { type: 'note', recordId: 'a', note: 'Adults only' },
    );
    const [after, effects] = reduce(s, {
      type: 'vote',
      recordId: 'a',
      vote: 'exclude',
      reasonsRequired: true,
    });
    expect(shownId(after)).toBe('b');
    expect(after.progress?.mine.done).toBe(4);
    expect(effects).toEqual([
      {
        kind: 'write',
        write: 1,
        recordId: 'a',
        what: 'vote',
        path: 'decisions',
        body: { recordId: 'a', vote: 'exclude', reasons: ['wrong-population'], note: 'Adults only' },
      },
    ]);
    // The next record starts with nothing chosen.
    expect(after.draft).toEqual({ recordId: 'b', reasons: [], note: '' });
  });

  it('including with reasons ticked sends none and says they were not kept', () => {
    let s = loaded();
    [s] = run(s, { type: 'toggle-reason', recordId: 'a', code: 'wrong-population' });
    const [after, effects] = run(s, vote(s, 'include'));
    expect(effects).toContainEqual(
      expect.objectContaining({ kind: 'write', body: { recordId: 'a', vote: 'include' } }),
    );
    expect(after.notice).toMatch(/^Included: the exclusion reason you ticked was not kept/);
    // A plain include says nothing.
    const [plain] = run(after, vote(after, 'include'));
    expect(plain.notice).toBeNull();
  });

  it('a key pressed for a record no longer on screen does nothing', () => {
    const s = loaded();
    for (const a of [
      { type: 'vote', recordId: 'b', vote: 'include', reasonsRequired: false },
      { type: 'vote', recordId: null, vote: 'include', reasonsRequired: false },
      { type: 'toggle-reason', recordId: 'b', code: 'x' },
      { type: 'note', recordId: 'b', note: 'x' },
      { type: 'back', recordId: 'b' },
      { type: 'undo', recordId: 'a' },
    ] satisfies Action[]) {
      const [after, effects] = reduce(s, a);
      expect(after).toBe(s);
      expect(effects).toEqual([]);
    }
  });

  it('undo names the vote it takes back: a second press meant for the same vote does nothing', () => {
    let s = loaded();
    [s] = run(s, vote(s));
    [s] = run(s, vote(s)); // a, b voted
    const u = undo(s);
    const [after, effects] = run(s, u, u);
    expect(shownId(after)).toBe('b');
    expect(effects.filter((e) => e.kind === 'write')).toHaveLength(1);
    expect(after.history.map((x) => x.record.recordId)).toEqual(['a']);
  });

  it('an undone vote comes back with its reasons and note, and the draft of the record it replaces is kept', () => {
    let s = loaded();
    [s] = run(
      s,
      { type: 'toggle-reason', recordId: 'a', code: 'wrong-population' },
      { type: 'note', recordId: 'a', note: 'Adults only' },
    );
    [s] = run(s, vote(s, 'exclude'));
    [s] = run(s, { type: 'note', recordId: 'b', note: 'Half written' });
    [s] = run(s, undo(s));
    expect(shownId(s)).toBe('a');
    expect(s.draft).toEqual({ recordId: 'a', reasons: ['wrong-population'], note: 'Adults only' });
    // Voted again with what came back, then b shows its own note.
    const [after, effects] = run(s, vote(s, 'exclude'));
    expect(effects).toContainEqual(
      expect.objectContaining({
        body: { recordId: 'a', vote: 'exclude', reasons: ['wrong-population'], note: 'Adults only' },
      }),
    );
    expect(after.draft).toEqual({ recordId: 'b', reasons: [], note: 'Half written' });
  });

  it('excluding without a reason where one is required says so and sends nothing', () => {
    const s = loaded();
    const [after, effects] = reduce(s, {
      type: 'vote',
      recordId: 'a',
      vote: 'exclude',
      reasonsRequired: true,
    });
    expect(effects).toEqual([]);
    expect(shownId(after)).toBe('a');
    expect(after.message).toMatch(/Choose at least one exclusion reason/);
  });
});

describe('screening state: late answers never change the record on screen', () => {
  it('an undone record stays on screen when an answer asked for before the undo arrives', () => {
    // Ten fast votes, then U: the answers to refills sent while the votes were on their way
    // arrive after the undo, and none of them may take the undone record off the screen.
    let s = loaded(['r0', 'r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8', 'r9', 'r10', 'r11']);
    const tickets: Ticket[] = [];
    for (let i = 0; i < 10; i++) {
      [s] = run(s, vote(s), { type: 'refill' });
      tickets.push(ticketOf(s));
    }
    expect(shownId(s)).toBe('r10');
    [s] = run(s, undo(s));
    expect(shownId(s)).toBe('r9');
    // The server had taken r0..r6 when one refill was answered: it serves r7.. (r9 still voted).
    [s] = run(s, {
      type: 'refilled',
      ticket: tickets[6]!,
      answer: answer(['r7', 'r8', 'r10', 'r11', 'r12'], 10),
    });
    expect(shownId(s)).toBe('r9');
    // Voted records are not served again, and the next key acts on r9.
    expect(s.queue.map((r) => r.recordId)).toEqual(['r9', 'r10', 'r11', 'r12']);
    const [after, effects] = reduce(s, vote(s, 'maybe'));
    expect(effects[0]).toMatchObject({ recordId: 'r9', body: { vote: 'maybe' } });
    expect(shownId(after)).toBe('r10');
  });

  it('a consistent answer reorders what comes next but keeps the head', () => {
    let s = loaded(['a', 'b', 'c']);
    [s] = run(s, { type: 'refilled', ticket: ticketOf(s), answer: answer(['c', 'x', 'a'], 3) });
    expect(s.queue.map((r) => r.recordId)).toEqual(['a', 'c', 'x']);
  });

  it('an empty answer ends the queue only when nothing waits here', () => {
    let s = loaded(['a']);
    [s] = run(s, vote(s));
    const t = ticketOf(s);
    [s] = run(s, undo(s));
    // Asked for before the undo: "nothing left" while the undone record is back on screen.
    [s] = run(s, { type: 'refilled', ticket: t, answer: null });
    expect(shownId(s)).toBe('a');
    expect(isDone(s)).toBe(false);
    [s] = run(s, vote(s), { type: 'written', write: 1 }, { type: 'written', write: 2 });
    [s] = run(s, { type: 'written', write: 3 }, { type: 'refilled', ticket: ticketOf(s), answer: null });
    expect(isDone(s)).toBe(true);
  });
});

describe('screening state: progress', () => {
  it('"Your records" goes back only by an undo, whatever order the answers come in', () => {
    let s = loaded(['a', 'b', 'c', 'd'], 3);
    const t0 = ticketOf(s);
    [s] = run(s, vote(s));
    [s] = run(s, vote(s));
    expect(s.progress?.mine.done).toBe(5);
    // An answer taken before the votes landed says 3 done: not shown.
    [s] = run(s, { type: 'refilled', ticket: t0, answer: answer(['c', 'd'], 3) });
    expect(s.progress?.mine.done).toBe(5);
    [s] = run(s, undo(s));
    expect(s.progress?.mine.done).toBe(4);
    // Once every write is answered, the server's count is the truth.
    [s] = run(s, { type: 'written', write: 1 }, { type: 'written', write: 2 }, { type: 'written', write: 3 });
    [s] = run(s, { type: 'refilled', ticket: ticketOf(s), answer: answer(['b', 'c', 'd'], 4) });
    expect(s.progress?.mine.done).toBe(4);
  });

  it('a refused vote is dropped and says why', () => {
    let s = loaded(['a', 'b']);
    [s] = run(s, vote(s));
    [s] = run(s, {
      type: 'write-failed',
      write: 1,
      recordId: 'a',
      kind: 'vote',
      message: 'This record’s report was marked not retrieved, so it cannot be assessed.',
    });
    expect(s.history).toEqual([]);
    expect(s.message).toMatch(/not retrieved/);
    expect(shownId(s)).toBe('b');
  });
});

describe('screening state: signed out while screening', () => {
  const signedOut = (write: number, recordId: string, kind: 'vote' | 'undo' = 'vote'): Action => ({
    type: 'write-failed',
    write,
    recordId,
    kind,
    message: 'You were signed out. Sign in again to go on.',
    unjudged: true,
  });

  it('a vote refused unjudged never looks cast: its record is back on screen with its reasons and note', () => {
    let s = loaded(['a', 'b', 'c'], 3);
    [s] = run(
      s,
      { type: 'toggle-reason', recordId: 'a', code: 'r1' },
      { type: 'note', recordId: 'a', note: 'half-written' },
    );
    [s] = run(s, vote(s, 'exclude'));
    // Typing on b while the vote on a is on its way.
    [s] = run(s, { type: 'note', recordId: 'b', note: 'about b' });
    expect(s.progress?.mine.done).toBe(4);
    const [after, effects] = run(s, signedOut(1, 'a'));
    s = after;
    expect(shownId(s)).toBe('a');
    expect(s.history).toEqual([]);
    expect(s.draft).toEqual({ recordId: 'a', reasons: ['r1'], note: 'half-written' });
    expect(s.progress?.mine.done).toBe(3);
    expect(s.message).toMatch(/signed out.*not saved/);
    // The queue is asked for once signed in again, not while signed out.
    expect(effects).toEqual([]);
    // b's note waits for b.
    [s] = run(s, vote(s, 'exclude'), { type: 'written', write: 2 });
    expect(shownId(s)).toBe('b');
    expect(s.draft?.note).toBe('about b');
    const [, resumed] = run(s, { type: 'signed-in' });
    expect(resumed.map((e) => e.kind)).toEqual(['fetch']);
  });

  it('several refused votes come back in the order they were cast', () => {
    let s = loaded(['a', 'b', 'c', 'd'], 0);
    [s] = run(s, vote(s), vote(s), vote(s));
    [s] = run(s, signedOut(1, 'a'), signedOut(2, 'b'), signedOut(3, 'c'));
    expect(s.queue.map((r) => r.recordId)).toEqual(['a', 'b', 'c', 'd']);
    expect(s.progress?.mine.done).toBe(0);
  });

  it('a changed vote refused unjudged leaves the vote it changed in place', () => {
    let s = loaded(['a', 'b'], 0);
    [s] = run(s, vote(s, 'include'), { type: 'written', write: 1 }, { type: 'back', recordId: 'b' });
    [s] = run(s, { type: 'note', recordId: 'a', note: 'second thoughts' }, vote(s, 'exclude'));
    [s] = run(s, signedOut(2, 'a'));
    expect(s.history.map((x) => [x.record.recordId, x.vote])).toEqual([['a', 'include']]);
    expect(shownId(s)).toBe('b');
    // Back to it: the unsaved note is there to send again.
    [s] = run(s, { type: 'back', recordId: 'b' });
    expect(s.draft?.note).toBe('second thoughts');
  });

  it('an undo refused unjudged leaves the vote standing', () => {
    let s = loaded(['a', 'b'], 3);
    [s] = run(s, vote(s), { type: 'written', write: 1 });
    [s] = run(s, undo(s));
    expect(shownId(s)).toBe('a');
    [s] = run(s, signedOut(2, 'a', 'undo'));
    expect(s.history.map((x) => x.record.recordId)).toEqual(['a']);
    expect(shownId(s)).toBe('b');
    expect(s.progress?.mine.done).toBe(4);
    expect(s.message).toMatch(/undo was not saved/);
  });

  it('an undo the server refuses (full text has begun) leaves the vote standing and says why', () => {
    let s = loaded(['a', 'b'], 3);
    [s] = run(s, vote(s), { type: 'written', write: 1 });
    [s] = run(s, undo(s));
    const why = 'This record is already in full-text assessment.';
    const [refused, effects] = run(s, {
      type: 'write-failed',
      write: 2,
      recordId: 'a',
      kind: 'undo',
      message: why,
      unjudged: false,
    });
    s = refused;
    expect(s.history.map((x) => [x.record.recordId, x.vote])).toEqual([['a', 'include']]);
    expect(shownId(s)).toBe('b');
    expect(s.progress?.mine.done).toBe(4);
    expect(s.message).toBe(`${why} Your undo was not saved: your vote on “Record a” stands.`);
    // The queue is asked for again (the refusal was judged: the session is fine).
    expect(effects.map((e) => e.kind)).toEqual(['fetch']);
  });
});

describe('screening state: a record set aside', () => {
  it('leaves the queue and "Your records" when it was still to assess; a voted one stays done', () => {
    let s = loaded(['a', 'b', 'c'], 3);
    const total = s.progress!.mine.total;
    [s] = run(s, { type: 'set-aside', recordId: 'a', notice: 'Set aside' });
    expect(shownId(s)).toBe('b');
    expect(s.progress?.mine).toEqual({ done: 3, total: total - 1, waiting: 0 });
    // Voted on b, then b set aside from a revisit: it stays counted as done and in the total.
    [s] = run(s, vote(s), { type: 'back', recordId: 'c' }, { type: 'set-aside', recordId: 'b', notice: 'x' });
    expect(s.progress?.mine).toEqual({ done: 4, total: total - 1, waiting: 0 });
  });
});

describe('screening state: revisiting votes', () => {
  it('← shows the vote with its reasons and note; voting again changes it and moves forward', () => {
    let s = loaded(['a', 'b', 'c']);
    [s] = run(
      s,
      { type: 'toggle-reason', recordId: 'a', code: 'not-health' },
      { type: 'note', recordId: 'a', note: 'Set in a school' },
      { type: 'vote', recordId: 'a', vote: 'exclude', reasonsRequired: true },
    );
    [s] = run(s, { type: 'back', recordId: 'b' });
    expect(shownId(s)).toBe('a');
    expect(viewing(s)).toMatchObject({ vote: 'exclude', reasons: ['not-health'], note: 'Set in a school' });
    expect(s.draft).toEqual({ recordId: 'a', reasons: ['not-health'], note: 'Set in a school' });
    const [after, effects] = reduce(s, {
      type: 'vote',
      recordId: 'a',
      vote: 'include',
      reasonsRequired: true,
    });
    expect(effects[0]).toMatchObject({ body: { recordId: 'a', vote: 'include', note: 'Set in a school' } });
    expect(shownId(after)).toBe('b');
    expect(after.progress?.mine.done).toBe(4); // changing a vote is not another record done
  });

  it('← reaches votes cast before the page opened; votes cast here stand over them', () => {
    let s = loaded(['c', 'd']);
    [s] = run(s, { type: 'vote', recordId: 'c', vote: 'include', reasonsRequired: false });
    // Earlier votes arrive after the page has voted on c: c's vote here is newer and stands.
    [s] = run(s, {
      type: 'past',
      votes: [
        { record: rec('a'), vote: 'exclude', reasons: ['not-health'], note: 'A school' },
        { record: rec('c'), vote: 'exclude', reasons: [], note: '' },
        { record: rec('d'), vote: 'include', reasons: [], note: '' },
      ],
    });
    // d is still in the queue (undone since): not a vote.
    expect(s.history.map((h) => [h.record.recordId, h.vote])).toEqual([
      ['a', 'exclude'],
      ['c', 'include'],
    ]);
    expect(shownId(s)).toBe('d');
    [s] = run(s, { type: 'back', recordId: 'd' }, { type: 'back', recordId: 'c' });
    expect(shownId(s)).toBe('a');
    expect(s.draft).toEqual({ recordId: 'a', reasons: ['not-health'], note: 'A school' });
    // Voting again on it changes it (a new vote, sent like any other).
    const [, effects] = reduce(s, { type: 'vote', recordId: 'a', vote: 'include', reasonsRequired: false });
    expect(effects[0]).toMatchObject({ kind: 'write', body: { recordId: 'a', vote: 'include' } });
  });
});

describe('screening state: any interleaving of keys and answers', () => {
  // A small seeded generator, so a failure can be replayed.
  function rng(seed: number) {
    return () => {
      seed = (seed * 1103515245 + 12345) & 0x7fffffff;
      return seed / 0x7fffffff;
    };
  }

  it('the screen changes only by a key, and progress goes back only by an undo', () => {
    for (let seed = 1; seed <= 200; seed++) {
      const rand = rng(seed);
      const ids = Array.from({ length: 30 }, (_, i) => `r${i}`);
      let s = loaded(ids.slice(0, 5), 0);
      /** Tickets of refills in flight, answered later in any order. */
      const pending: Ticket[] = [];
      let writes = 0;
      for (let i = 0; i < 120; i++) {
        const before = s;
        const roll = rand();
        let action: Action;
        let byKey = true;
        if (roll < 0.35) action = vote(s, rand() < 0.5 ? 'include' : 'maybe');
        else if (roll < 0.45) action = undo(s);
        else if (roll < 0.5) action = { type: rand() < 0.5 ? 'back' : 'forward', recordId: shownId(s) };
        else if (roll < 0.6 && writes < s.sent) {
          writes++;
          action = { type: 'written', write: writes };
          byKey = false;
        } else if (roll < 0.75) {
          action = { type: 'refill' };
          byKey = false;
        } else if (pending.length > 0) {
          const t = pending.splice(Math.floor(rand() * pending.length), 1)[0]!;
          // The server's queue at that moment: anything not yet voted there, from r0.
          const start = Math.floor(rand() * 10);
          action = { type: 'refilled', ticket: t, answer: answer(ids.slice(start, start + 5), start) };
          byKey = false;
        } else continue;
        const [after, effects] = reduce(s, action);
        for (const e of effects) if (e.kind === 'fetch') pending.push(e.ticket);
        s = after;
        if (!byKey && onScreen(before)) expect(shownId(s), `seed ${seed} step ${i}`).toBe(shownId(before));
        const d0 = before.progress?.mine.done ?? 0;
        const d1 = s.progress?.mine.done ?? 0;
        if (d1 < d0) expect(action.type, `seed ${seed} step ${i}`).toMatch(/undo|refilled/);
        if (d1 < d0 && action.type === 'refilled') {
          // Only an answer that saw every write may lower it: it lowers it to the truth.
          expect(action.ticket.sent).toBe(action.ticket.answered);
          expect(action.ticket.sent).toBe(s.sent);
        }
        // A record voted here is never served again while its vote stands.
        const voted = new Set(s.history.map((x) => x.record.recordId));
        expect(s.queue.some((r) => voted.has(r.recordId))).toBe(false);
        // The draft is always the record on screen's.
        expect(s.draft?.recordId ?? null).toBe(shownId(s));
      }
    }
  });
});

describe('quoted', () => {
  it('puts a title in quotation marks once, even a title that is a quotation', () => {
    expect(quoted('Lean on the wards')).toBe('“Lean on the wards”');
    expect(quoted('"Many miles to go": access to care')).toBe('“‘Many miles to go’: access to care”');
    expect(quoted('“It takes a village”')).toBe('“It takes a village”');
  });
});
