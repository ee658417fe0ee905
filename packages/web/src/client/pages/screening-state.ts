/**
 * The screening and full-text pages' state, in one pure reducer.
 *
 * Every action a person takes names the record it acts on: the record that was on screen (or the
 * vote that was last, for undo) when the key was pressed or the button clicked. An action whose
 * record is no longer the one the state would show is dropped, so a key press acts on the record
 * the reviewer saw, or on nothing.
 *
 * The server's answers (`…/next`) are snapshots taken at some moment while votes and undos are
 * still on their way. They never replace the record on screen and never bring back a record voted
 * in this session; a record undone here is already back at the head of the queue. Only a snapshot
 * taken while no write was pending and answered before the next one was sent describes what this
 * page has done, so only such a snapshot may reorder the queue or set "Your records"; otherwise
 * the count follows the votes and undos made here: it goes back only by an undo (or a refused vote).
 *
 * The reducer returns the effects to run (requests), never runs them: the page runs them and
 * reports their answers as further actions.
 */

export type Kind = 'include' | 'exclude' | null;
export interface Segment {
  text: string;
  kind: Kind;
}
export interface ScreenRecord {
  recordId: string;
  reportId: string | null;
  title: string;
  year: number | null;
  authors: string[];
  journal: string | null;
  doi: string | null;
  keywords: string[];
  mesh: string[];
  abstract: string;
  highlight: { title: Segment[]; abstract: Segment[] };
}
export interface Progress {
  /** Records the reviewer can screen now (done of total), and more that wait for a calibration pilot. */
  mine: { done: number; total: number; waiting: number };
  stage: { records: number; settled: number };
}
/** `GET …/next`: the first record, the ones after it, and progress; `null` for 204 (nothing left). */
export type NextAnswer = { record: ScreenRecord; upcoming: ScreenRecord[]; progress: Progress } | null;

export type Vote = 'include' | 'exclude' | 'maybe';
export interface Voted {
  record: ScreenRecord;
  vote: Vote;
  reasons: string[];
  note: string;
  /** The write that sent this vote (to drop the entry if the server refuses it). */
  write: number;
  /** The vote this one changed (voting again on a revisited record), back in place if it is refused. */
  replaces?: Voted;
}
/** Reasons and note being chosen, always for one named record. */
export interface Draft {
  recordId: string;
  reasons: string[];
  note: string;
}

export interface ScreenState {
  /** Records still to screen; the head is on screen unless the reviewer moved back. */
  queue: ScreenRecord[];
  /** Votes cast on this page, oldest first (one per record). */
  history: Voted[];
  /** How far back in history the reviewer has moved with ←; 0 is the queue head. */
  back: number;
  draft: Draft | null;
  progress: Progress | null;
  /** The latest answer said nothing is left to serve. */
  serverEmpty: boolean;
  /** At least one answer came. */
  loaded: boolean;
  /** Writes (votes, undos) sent, and answered (either way); they are sent one after another. */
  sent: number;
  answered: number;
  message: string | null;
  notice: string | null;
  /**
   * Reasons and notes written for records not on screen, taken up again when the record comes
   * back: a refused vote's, and the one a returning record pushed aside. Nothing written is lost.
   */
  kept: Draft[];
  /** Records back in the queue after a refused vote, oldest vote first (they lead the queue). */
  returned: string[];
  /** Undos on their way, with the vote each takes back (put back if the undo is refused unjudged). */
  undoing: { write: number; vote: Voted }[];
}

export const initialState: ScreenState = {
  queue: [],
  history: [],
  back: 0,
  draft: null,
  progress: null,
  serverEmpty: false,
  loaded: false,
  sent: 0,
  answered: 0,
  message: null,
  notice: null,
  kept: [],
  returned: [],
  undoing: [],
};

/** What a refill saw when it was sent, to tell afterwards whether its answer can be trusted. */
export interface Ticket {
  sent: number;
  answered: number;
}

export type Action =
  | { type: 'vote'; recordId: string | null; vote: Vote; reasonsRequired: boolean }
  /** Undo the last vote, named by its record. */
  | { type: 'undo'; recordId: string | null }
  | { type: 'back'; recordId: string | null }
  | { type: 'forward'; recordId: string | null }
  | { type: 'toggle-reason'; recordId: string | null; code: string }
  | { type: 'note'; recordId: string | null; note: string }
  | { type: 'refill' }
  | { type: 'refilled'; ticket: Ticket; answer: NextAnswer }
  | { type: 'refill-failed'; message: string }
  | { type: 'written'; write: number }
  /**
   * `unjudged`: the server refused the write without judging it (signed out, or signed in again
   * elsewhere): the reviewer may send it again, so nothing of it is lost.
   */
  | {
      type: 'write-failed';
      write: number;
      recordId: string;
      kind: 'vote' | 'undo';
      message: string;
      unjudged?: boolean;
    }
  /** Signed in again after the session ended: the queue is asked for again. */
  | { type: 'signed-in' }
  /** The record left assessment (its report was marked not retrieved from this page). */
  | { type: 'set-aside'; recordId: string; notice: string }
  /**
   * Votes the reviewer cast before this page opened (another visit, a reload), oldest first: ←
   * reaches them as it reaches votes cast here.
   */
  | { type: 'past'; votes: Omit<Voted, 'write'>[] };

export type Effect =
  | {
      kind: 'write';
      write: number;
      recordId: string;
      what: 'vote' | 'undo';
      path: 'decisions' | 'decisions/undo';
      body: Record<string, unknown>;
    }
  | { kind: 'fetch'; ticket: Ticket };

/** The vote being revisited with ←, if any. */
export function viewing(s: ScreenState): Voted | null {
  return s.back > 0 ? (s.history[s.history.length - s.back] ?? null) : null;
}

/** The record the state shows. */
export function onScreen(s: ScreenState): ScreenRecord | null {
  return viewing(s)?.record ?? s.queue[0] ?? null;
}

/** Nothing is left: the server said so and nothing waits here. */
export function isDone(s: ScreenState): boolean {
  return s.serverEmpty && s.queue.length === 0 && s.back === 0;
}

/** Progress with the reviewer's own count of records done moved by `by` (never below 0). */
const done = (p: Progress | null, by: number): Progress | null =>
  p && { ...p, mine: { ...p.mine, done: Math.max(0, p.mine.done + by) } };

/** Whether a draft holds anything the reviewer wrote or chose (worth keeping for its record). */
const hasWriting = (d: Draft): boolean => d.reasons.length > 0 || d.note.trim() !== '';

/**
 * The draft always belongs to the record on screen: a revisited vote brings its own reasons and
 * note, and a record with a kept draft gets it back. A draft with something written in it that
 * leaves the screen unsent is kept while its record is still to screen here.
 */
function withDraft(s: ScreenState): ScreenState {
  const shown = onScreen(s);
  if (s.draft && s.draft.recordId !== shown?.recordId) {
    const d = s.draft;
    const queued = s.queue.some((r) => r.recordId === d.recordId);
    if (hasWriting(d) && queued) s = { ...s, kept: [...s.kept.filter((k) => k.recordId !== d.recordId), d] };
  }
  if (!shown) return s.draft ? { ...s, draft: null } : s;
  if (s.draft?.recordId === shown.recordId) return s;
  const kept = s.kept.find((k) => k.recordId === shown.recordId);
  if (kept) return { ...s, draft: kept, kept: s.kept.filter((k) => k !== kept) };
  const v = viewing(s);
  return {
    ...s,
    draft: { recordId: shown.recordId, reasons: v ? [...v.reasons] : [], note: v ? v.note : '' },
  };
}

function step(s: ScreenState, a: Action): [ScreenState, Effect[]] {
  const shown = onScreen(s);
  const isShown = (id: string | null) => id !== null && shown?.recordId === id;
  switch (a.type) {
    case 'vote': {
      if (!shown || !isShown(a.recordId)) return [s, []];
      const draft = s.draft?.recordId === shown.recordId ? s.draft : { reasons: [], note: '' };
      const reasons = a.vote === 'exclude' ? draft.reasons : [];
      if (a.vote === 'exclude' && a.reasonsRequired && reasons.length === 0)
        return [
          {
            ...s,
            message: 'Choose at least one exclusion reason (number keys) before excluding at this stage.',
          },
          [],
        ];
      const write = s.sent + 1;
      const revisit = viewing(s);
      const entry: Voted = {
        record: shown,
        vote: a.vote,
        reasons,
        note: draft.note,
        write,
        ...(revisit ? { replaces: revisit } : {}),
      };
      const next: ScreenState = revisit
        ? {
            ...s,
            history: s.history.map((x) => (x.record.recordId === shown.recordId ? entry : x)),
            back: Math.max(0, s.back - 1),
          }
        : {
            ...s,
            history: [...s.history.filter((x) => x.record.recordId !== shown.recordId), entry],
            queue: s.queue.slice(1),
            returned: s.returned.filter((id) => id !== shown.recordId),
            progress: done(s.progress, 1),
          };
      const body = {
        recordId: shown.recordId,
        vote: a.vote,
        ...(reasons.length ? { reasons } : {}),
        ...(draft.note.trim() ? { note: draft.note } : {}),
      };
      // Reasons go with an exclude only: ticked ones are let go with a word, never in silence
      // (undo brings the record back with them).
      const dropped = draft.reasons.length - reasons.length;
      const notice =
        dropped > 0
          ? `${a.vote === 'include' ? 'Included' : 'Marked maybe'}: the exclusion ${dropped === 1 ? 'reason' : 'reasons'} you ticked ${dropped === 1 ? 'was' : 'were'} not kept, as reasons go with an exclude only.`
          : null;
      return [
        { ...next, sent: write, message: null, notice },
        [{ kind: 'write', write, recordId: shown.recordId, what: 'vote', path: 'decisions', body }],
      ];
    }
    case 'undo': {
      const last = s.history[s.history.length - 1];
      if (!last || a.recordId !== last.record.recordId) return [s, []];
      const write = s.sent + 1;
      return [
        {
          ...s,
          history: s.history.slice(0, -1),
          back: 0,
          queue: [last.record, ...s.queue.filter((r) => r.recordId !== last.record.recordId)],
          // An undo is mostly a wrong key: the record comes back with the reasons and note it was
          // voted with, to vote again without typing the note anew.
          kept: [
            ...s.kept.filter((k) => k.recordId !== last.record.recordId),
            { recordId: last.record.recordId, reasons: [...last.reasons], note: last.note },
          ],
          undoing: [...s.undoing, { write, vote: last }],
          progress: done(s.progress, -1),
          sent: write,
          message: null,
          notice: null,
        },
        [
          {
            kind: 'write',
            write,
            recordId: last.record.recordId,
            what: 'undo',
            path: 'decisions/undo',
            body: { recordId: last.record.recordId },
          },
        ],
      ];
    }
    case 'back':
      if (!isShown(a.recordId) || s.back >= s.history.length) return [s, []];
      return [{ ...s, back: s.back + 1 }, []];
    case 'forward':
      if (!isShown(a.recordId) || s.back === 0) return [s, []];
      return [{ ...s, back: s.back - 1 }, []];
    case 'toggle-reason': {
      if (!shown || !isShown(a.recordId) || s.draft?.recordId !== shown.recordId) return [s, []];
      const rs = s.draft.reasons;
      const reasons = rs.includes(a.code) ? rs.filter((x) => x !== a.code) : [...rs, a.code];
      // E then a number (reasons read as if they followed the vote): the number ticks a reason for
      // the record now on screen, while the record just excluded went without one. Said at once,
      // with the way back to it.
      const last = s.history[s.history.length - 1];
      const afterBareExclude =
        rs.length === 0 &&
        reasons.length > 0 &&
        s.back === 0 &&
        last !== undefined &&
        last.write === s.sent &&
        last.vote === 'exclude' &&
        last.reasons.length === 0;
      return [
        {
          ...s,
          draft: { ...s.draft, reasons },
          ...(afterBareExclude
            ? {
                notice: `The reason you ticked is for this record. ${quoted(last.record.title)} was excluded without a reason: ← goes back to it. Tick reasons before pressing E.`,
              }
            : {}),
        },
        [],
      ];
    }
    case 'note':
      if (!shown || !isShown(a.recordId) || s.draft?.recordId !== shown.recordId) return [s, []];
      return [{ ...s, draft: { ...s.draft, note: a.note } }, []];
    case 'refill':
      return [s, [{ kind: 'fetch', ticket: { sent: s.sent, answered: s.answered } }]];
    case 'refilled': {
      // Nothing was on its way when it was asked for, and nothing was sent since: it tells the
      // truth about everything done here.
      const consistent = a.ticket.sent === a.ticket.answered && a.ticket.sent === s.sent;
      if (!a.answer) {
        // Nothing left on the server: a consistent answer also drops records it no longer has
        // (merged, set aside), except the one at the head, which stays until acted on.
        const queue = consistent ? s.queue.slice(0, 1) : s.queue;
        return [{ ...s, queue, serverEmpty: true, loaded: true }, []];
      }
      const voted = new Set(s.history.map((x) => x.record.recordId));
      const served = [a.answer.record, ...a.answer.upcoming].filter((r) => !voted.has(r.recordId));
      const head = s.queue[0];
      let queue: ScreenRecord[];
      if (consistent) {
        // The server's order, after the record already at the head (which stays where it is).
        queue = head ? [head, ...served.filter((r) => r.recordId !== head.recordId)] : served;
      } else {
        // Only records not seen yet are added, at the end.
        const have = new Set(s.queue.map((r) => r.recordId));
        queue = [...s.queue, ...served.filter((r) => !have.has(r.recordId))];
      }
      const progress: Progress =
        consistent || !s.progress
          ? a.answer.progress
          : {
              stage: a.answer.progress.stage,
              mine: { ...a.answer.progress.mine, done: s.progress.mine.done },
            };
      return [{ ...s, queue, progress, serverEmpty: false, loaded: true }, []];
    }
    case 'refill-failed':
      return [{ ...s, message: a.message }, []];
    case 'written':
      return [
        { ...s, answered: s.answered + 1, undoing: s.undoing.filter((u) => u.write !== a.write) },
        [{ kind: 'fetch', ticket: { sent: s.sent, answered: s.answered + 1 } }],
      ];
    case 'write-failed': {
      let next: ScreenState = { ...s, answered: s.answered + 1, message: a.message };
      // An undo refused (the record is being assessed at full text, the stage is on hold) leaves
      // the vote standing: it is put back as when the session ended, and the page says so.
      if (a.unjudged || a.kind === 'undo') next = unjudged(next, a.write, a.recordId, a.kind, a.message);
      else if (a.kind === 'vote') {
        // The vote was refused: it is no longer shown as cast (a refill brings the record back
        // if it is still the reviewer's to screen).
        // Progress is set right by the refill this sends once nothing else is on its way.
        const i = s.history.findIndex((x) => x.write === a.write);
        if (i >= 0) {
          // A vote at or after the one being revisited: the revisited one keeps its place.
          const atOrAfterShown = i >= s.history.length - s.back;
          next = {
            ...next,
            history: s.history.filter((_, j) => j !== i),
            back: atOrAfterShown ? Math.max(0, s.back - 1) : s.back,
          };
        }
      }
      next = { ...next, undoing: next.undoing.filter((u) => u.write !== a.write) };
      // Unjudged, a refill would be refused too (and its words would cover these): the queue is
      // asked for again once signed in ('signed-in').
      if (a.unjudged) return [next, []];
      return [next, [{ kind: 'fetch', ticket: { sent: next.sent, answered: next.answered } }]];
    }
    case 'signed-in':
      return [{ ...s, message: null }, [{ kind: 'fetch', ticket: { sent: s.sent, answered: s.answered } }]];
    case 'past': {
      // Votes cast here since are newer and stand; a record back in the queue (undone) is not a vote.
      const have = new Set(
        [...s.history, ...s.queue.map((record) => ({ record }))].map((x) => x.record.recordId),
      );
      const earlier = a.votes.filter((v) => !have.has(v.record.recordId)).map((v) => ({ ...v, write: 0 }));
      if (earlier.length === 0) return [s, []];
      // `back` counts from the newest vote, so what is on screen stays on screen.
      return [{ ...s, history: [...earlier, ...s.history] }, []];
    }
    case 'set-aside': {
      // Still to assess here, it leaves "Your records" too (the server counts it so); a record
      // already voted on stays counted as done.
      const queued = s.queue.some((r) => r.recordId === a.recordId);
      return [
        {
          ...s,
          queue: s.queue.filter((r) => r.recordId !== a.recordId),
          progress:
            queued && s.progress
              ? { ...s.progress, mine: { ...s.progress.mine, total: Math.max(0, s.progress.mine.total - 1) } }
              : s.progress,
          notice: a.notice,
          message: null,
        },
        [],
      ];
    }
  }
}

/**
 * A write the server refused unjudged (the session ended), or an undo it refused: the page goes
 * back to what it was before it, so nothing looks saved that was not, and nothing written is lost.
 * - A vote from the queue: its record comes back to the head of the queue (after records of
 *   earlier refused votes), with its reasons and note, and "Your records" goes back by one.
 * - A changed vote (after ←): the vote it changed is back in its place; the change's reasons and
 *   note come back when the record is shown again.
 * - An undo: the vote is back (the last one), and its record leaves the queue.
 */
function unjudged(
  s: ScreenState,
  write: number,
  recordId: string,
  kind: 'vote' | 'undo',
  reason: string,
): ScreenState {
  if (kind === 'undo') {
    const vote = s.undoing.find((u) => u.write === write)?.vote;
    // Voted on again since (that vote's own answer decides), or no longer here: nothing to put back.
    const queued = s.queue.some((r) => r.recordId === recordId);
    if (!vote || !queued || s.history.some((x) => x.record.recordId === recordId)) return s;
    // Reasons or a note written for it since the undo are kept for when ← shows it.
    const d = s.draft?.recordId === recordId ? s.draft : null;
    const written = d && hasWriting(d);
    return {
      ...s,
      history: [...s.history, vote],
      back: s.back > 0 ? s.back + 1 : 0,
      queue: s.queue.filter((r) => r.recordId !== recordId),
      returned: s.returned.filter((id) => id !== recordId),
      kept: written ? [...s.kept.filter((k) => k.recordId !== recordId), d] : s.kept,
      progress: done(s.progress, 1),
      message: `${reason} Your undo was not saved: your vote on ${quoted(vote.record.title)} stands.`,
    };
  }
  const i = s.history.findIndex((x) => x.write === write);
  const entry = s.history[i];
  if (!entry) return s;
  const kept: Draft = { recordId: entry.record.recordId, reasons: entry.reasons, note: entry.note };
  const message = `${reason} Your vote on ${quoted(entry.record.title)} was not saved: it is back, with its reasons and note, for you to vote again.`;
  const base = { ...s, kept: [...s.kept.filter((k) => k.recordId !== kept.recordId), kept], message };
  if (entry.replaces) {
    return { ...base, history: s.history.map((x, j) => (j === i ? entry.replaces! : x)) };
  }
  const atOrAfterShown = i >= s.history.length - s.back;
  const lead = s.queue.findIndex((r) => !s.returned.includes(r.recordId));
  const at = lead < 0 ? s.queue.length : lead;
  return {
    ...base,
    history: s.history.filter((_, j) => j !== i),
    back: atOrAfterShown ? Math.max(0, s.back - 1) : s.back,
    queue: [
      ...s.queue.slice(0, at),
      entry.record,
      ...s.queue.slice(at).filter((r) => r.recordId !== recordId),
    ],
    returned: [...s.returned, entry.record.recordId],
    progress: done(s.progress, -1),
  };
}

/**
 * A title in quotation marks: a title that is a quotation as a whole loses its own marks, and a
 * quotation inside one takes single marks, so the marks never double up (““Many miles…””).
 */
export function quoted(title: string): string {
  let t = title.trim();
  const whole = /^["“]([^"“”]*)["”]$/u.exec(t);
  if (whole) t = whole[1]!;
  return `“${t.replace(/["“]([^"“”]*)["”]/gu, '‘$1’')}”`;
}

/** Applies one action; returns the new state and the requests to send. */
export function reduce(s: ScreenState, a: Action): [ScreenState, Effect[]] {
  const [next, effects] = step(s, a);
  return [next === s ? s : withDraft(next), effects];
}
