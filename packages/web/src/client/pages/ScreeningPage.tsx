import { useEffect, useRef, useState, useSyncExternalStore } from 'react';
import { api, onSessionResumed, sessionRefused } from '../api.ts';
import { useApi } from '../use-api.ts';
import { releaseAfterClick, useKeys } from '../use-keys.ts';
import { useAccess } from '../access.tsx';
import { Highlighted } from './Highlighted.tsx';
import { FullTextPanel } from './FullTextPanel.tsx';
import { RecordTagPicker } from './RecordTagPicker.tsx';
import { errorText } from '../error-text.ts';
import {
  initialState,
  isDone,
  onScreen,
  reduce,
  viewing,
  type Action,
  type Effect,
  type NextAnswer,
  type ScreenRecord,
  type ScreenState,
  type Vote,
} from './screening-state.ts';

interface StageConfig {
  config: {
    criteria: string;
    exclusionReasons: { code: string; label: string; retired?: boolean }[];
    reasonsRequired?: boolean;
    blind: boolean;
  };
  open: boolean;
  /** A lead holds the stage closed: records wait and nobody is served. */
  held?: boolean;
}

const VOTE_WORDS: Record<Vote, string> = { include: 'Include', exclude: 'Exclude', maybe: 'Maybe' };
/** How many earlier votes ← can reach when the page opens. */
const PAST_VOTES = 50;

/**
 * The page's one state (screening-state.ts) and the requests its actions call for. Writes on one
 * record go out one after another, in the order they were made (a vote, its undo, a vote again);
 * writes on different records go at once, so a slow answer for one record never holds back the
 * votes cast after it (behind one slow request, a reviewer keying at a normal pace had eleven votes
 * waiting, lost when the tab was reloaded). Refills go out at once. Answers come back as actions,
 * so the reducer alone decides what they may change.
 */
function createScreenStore(base: string) {
  let state: ScreenState = initialState;
  let open = false;
  /** Each record's last write still on its way: the next write on that record waits for it. */
  const writes = new Map<string, Promise<unknown>>();
  /** Votes and undos made on screen whose answer has not come back yet. */
  let unsaved = 0;
  const listeners = new Set<() => void>();
  const notify = (): void => {
    for (const l of listeners) l();
  };
  const dispatch = (a: Action): void => {
    if (!open) return;
    const [next, effects] = reduce(state, a);
    if (next !== state) {
      state = next;
      notify();
    }
    for (const e of effects) send(e);
  };
  const send = (e: Effect): void => {
    if (e.kind === 'fetch') {
      api<NextAnswer | undefined>('GET', `${base}/next?prefetch=10`).then(
        (answer) => dispatch({ type: 'refilled', ticket: e.ticket, answer: answer ?? null }),
        (err: unknown) => dispatch({ type: 'refill-failed', message: errorText(err) }),
      );
      return;
    }
    unsaved++;
    notify();
    const after = writes.get(e.recordId) ?? Promise.resolve();
    const write: Promise<unknown> = after
      // keepalive: a request already under way finishes even if the tab is closed meanwhile.
      .then(() => api('POST', `${base}/${e.path}`, e.body, { keepalive: true }))
      .then(
        () => dispatch({ type: 'written', write: e.write }),
        (err: unknown) =>
          dispatch({
            type: 'write-failed',
            write: e.write,
            recordId: e.recordId,
            kind: e.what,
            message: errorText(err),
            // Signed out, or signed in again elsewhere: the vote or undo can be sent again.
            unjudged: sessionRefused(err),
          }),
      )
      .finally(() => {
        if (writes.get(e.recordId) === write) writes.delete(e.recordId);
        unsaved--;
        notify();
      });
    writes.set(e.recordId, write);
  };
  return {
    dispatch,
    getState: () => state,
    getUnsaved: () => unsaved,
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    /** Answers that come after the page closed are dropped. */
    setOpen(v: boolean) {
      open = v;
    },
  };
}

function Bar({ label, done, total }: { label: string; done: number; total: number }) {
  const pct = total ? Math.round((100 * done) / total) : 0;
  return (
    <div className="screen-progress" aria-label={label}>
      <div className="muted">
        {label}: {done} / {total}
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-label={label}
        aria-valuenow={pct}
        aria-valuemin={0}
        aria-valuemax={100}
      >
        <div style={{ width: `${pct}%` }} />
      </div>
    </div>
  );
}

/**
 * Keyboard-first screening: I include, E exclude, M maybe, 1-9 toggle exclusion reasons, U undo
 * the last vote, ← back to votes already cast (voting again records a change), → forward; Esc
 * leaves the note field. The next records are prefetched, so a vote shows the next record at once
 * while the vote is sent. Every key names the record that was on screen when it was pressed
 * (screening-state.ts), so it acts on that record or on nothing.
 */
export function ScreeningPage({ review, stage }: { review: string; stage: 'title-abstract' | 'full-text' }) {
  // One state per review and stage: nothing carries over from another queue.
  return <Screening key={`${review}|${stage}`} review={review} stage={stage} />;
}

function Screening({ review, stage }: { review: string; stage: 'title-abstract' | 'full-text' }) {
  const base = `/reviews/${review}/stages/${stage}`;
  // Polled, so a lead holding or opening the stage shows here without a reload.
  const { data: cfg } = useApi<StageConfig>(`${base}/config`, 5000);
  const [store] = useState(() => createScreenStore(base));
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const unsaved = useSyncExternalStore(store.subscribe, store.getUnsaved);
  const { dispatch } = store;
  // A vote shows as cast at once and is sent behind the reviewer's back: while any has not been
  // saved, closing or reloading the tab asks first (the browser's own "leave site?" question). The
  // handler reads the store when asked, so it never lags a render behind the writes' answers.
  useEffect(() => {
    const ask = (e: BeforeUnloadEvent) => {
      if (store.getUnsaved() === 0) return;
      e.preventDefault();
      e.returnValue = '';
    };
    window.addEventListener('beforeunload', ask);
    return () => window.removeEventListener('beforeunload', ask);
  }, [store]);
  const done = isDone(state);
  const access = useAccess();
  const screener = access.roles.includes('reviewer');

  useEffect(() => {
    store.setOpen(true);
    dispatch({ type: 'refill' });
    // The reviewer's earlier votes, so ← reaches them after a reload or on another day too. Without
    // them the page still screens: ← then reaches the votes cast here.
    api<{ decisions: { record: ScreenRecord; vote: Vote; reasons: string[]; note: string | null }[] }>(
      'GET',
      `${base}/my-decisions?limit=${PAST_VOTES}`,
    ).then(
      ({ decisions }) =>
        dispatch({
          type: 'past',
          votes: decisions
            .filter((d) => d.vote === 'include' || d.vote === 'exclude' || d.vote === 'maybe')
            .map((d) => ({ record: d.record, vote: d.vote, reasons: d.reasons, note: d.note ?? '' }))
            .reverse(),
        }),
      () => undefined,
    );
    // Signed in again after the session ended: what was refused meanwhile is back on screen, and
    // the queue is asked for again.
    const off = onSessionResumed(() => dispatch({ type: 'signed-in' }));
    return () => {
      off();
      store.setOpen(false);
    };
  }, [store, dispatch, base]);

  // Records reach the queue on their own (after an import, or when a held stage opens): while the
  // queue is empty, look again every few seconds so they show up with no reload.
  useEffect(() => {
    if (!done) return;
    const timer = window.setInterval(() => dispatch({ type: 'refill' }), 3000);
    return () => window.clearInterval(timer);
  }, [done, dispatch]);

  const revisit = viewing(state);
  // A record is shown only with its stage's criteria and reasons, so a number key always has
  // the reason list it refers to. A held stage shows none, not even one already fetched: the
  // server refuses a reviewer's vote while the lead holds the stage.
  const current = cfg && !cfg.held ? onScreen(state) : null;
  const recordId = current?.recordId ?? null;
  const lastVoted = state.history[state.history.length - 1]?.record.recordId ?? null;
  const draft = current && state.draft?.recordId === current.recordId ? state.draft : null;
  // Retired reasons are not offered: they only label votes cast before they were retired.
  const allReasons = cfg?.config.exclusionReasons ?? [];
  const reasonList = allReasons.filter((r) => !r.retired);
  const reasonLabel = (code: string) => allReasons.find((r) => r.code === code)?.label ?? code;
  const reasonsRequired = cfg?.config.reasonsRequired ?? stage === 'full-text';
  const vote = (v: Vote) => dispatch({ type: 'vote', recordId, vote: v, reasonsRequired });
  const undo = () => dispatch({ type: 'undo', recordId: lastVoted });
  // T tags the record on screen; the picker closes when another record takes its place.
  const [tagFor, setTagFor] = useState<string | null>(null);
  // A vote clicked below the fold (or Space, which scrolls the page) leaves it scrolled down: the
  // next record is shown from the top of the page, its title and the page's notices (a reason not
  // kept, votes still being saved) in view, not from the middle of its abstract.
  const recordCard = useRef<HTMLElement>(null);
  useEffect(() => {
    const card = recordCard.current;
    if (!recordId || !card || card.getBoundingClientRect().top >= 0) return;
    // In a window too short for the page's head and the record's title together, the title wins.
    if (card.getBoundingClientRect().top + window.scrollY < window.innerHeight / 2)
      window.scrollTo({ top: 0 });
    else card.scrollIntoView({ block: 'start' });
  }, [recordId]);

  // This render's record: the handler is swapped in with the DOM it belongs to (useKeys).
  useKeys((e) => {
    const k = e.key.toLowerCase();
    if (k === 'i') vote('include');
    else if (k === 'e') vote('exclude');
    else if (k === 'm') vote('maybe');
    else if (k === 'u') undo();
    else if (k === 't' && recordId) setTagFor(recordId);
    else if (e.key === 'ArrowLeft') dispatch({ type: 'back', recordId });
    else if (e.key === 'ArrowRight') dispatch({ type: 'forward', recordId });
    else if (/^[1-9]$/.test(e.key)) {
      const r = reasonList[Number(e.key) - 1];
      if (r) dispatch({ type: 'toggle-reason', recordId, code: r.code });
    } else return false;
  });

  const progress = state.progress;
  return (
    <main className={`screening ${stage === 'full-text' ? 'screening-fulltext' : ''}`} data-unsaved={unsaved}>
      <div className="screening-head">
        <h1>{stage === 'title-abstract' ? 'Title/abstract screening' : 'Full-text assessment'}</h1>
        {progress && (
          <div className="screening-bars">
            <Bar
              label={cfg && !cfg.open ? 'Your pilot records' : 'Your records'}
              done={progress.mine.done}
              total={progress.mine.total}
            />
            <Bar label="Stage settled" done={progress.stage.settled} total={progress.stage.records} />
          </div>
        )}
        {/* One vote is saved before the next is made; a backlog (a slow network) is said. */}
        {unsaved > 1 && (
          <p className="muted small" role="status" data-testid="unsaved-votes">
            Saving your last {unsaved} votes…
          </p>
        )}
      </div>
      {cfg?.held && (
        <p className="notice" data-testid="stage-held">
          {stage === 'title-abstract' ? 'Title/abstract screening' : 'Full-text assessment'} is on hold: the
          lead has paused it. Records are waiting and will appear here as soon as the lead opens it again.
        </p>
      )}
      {cfg && !cfg.open && (
        <p className="notice" data-testid="pilot-notice">
          A calibration pilot is running: you see pilot records only until agreement reaches the lead’s
          threshold.
          {progress && progress.mine.waiting > 0 && (
            <>
              {' '}
              {progress.mine.waiting} more of your records {progress.mine.waiting === 1 ? 'waits' : 'wait'}{' '}
              until then.
            </>
          )}
        </p>
      )}
      {state.message && (
        <p className="error" role="alert">
          {state.message}
        </p>
      )}
      {state.notice && (
        <p className="notice" role="status" data-testid="screening-notice">
          {state.notice}
        </p>
      )}
      <div className="screening-body">
        <section
          ref={recordCard}
          className="card screening-record"
          data-testid="screening-record"
          data-record-id={recordId ?? ''}
          // How many votes ← can reach (cast here, or loaded from before the page opened).
          data-earlier-votes={state.history.length}
        >
          {!current && (
            <p data-testid="screening-done" data-done={done ? 'true' : 'false'}>
              {cfg?.held
                ? 'Nothing to screen while this stage is on hold.'
                : !done
                  ? 'Loading…'
                  : screener || !access.loaded
                    ? 'Nothing left in your queue at this stage.'
                    : // Records go to members with the reviewer role only: a lead or adjudicator who
                      // is not one never had a queue here.
                      'You do not screen at this stage: its records go to the review’s reviewers. The Records page shows where each record stands.'}
            </p>
          )}
          {current && (
            <>
              {revisit && (
                <div className="notice" data-testid="screening-revisit">
                  <p>
                    Your vote: <strong>{VOTE_WORDS[revisit.vote]}</strong>
                    {revisit.reasons.length > 0 && <> · {revisit.reasons.map(reasonLabel).join('; ')}</>}
                  </p>
                  {revisit.note && (
                    <p data-testid="screening-revisit-note">
                      Your note: <q>{revisit.note}</q>
                    </p>
                  )}
                  <p>Press I, E or M to change it (the change is logged), → to go forward.</p>
                </div>
              )}
              <h2 className="record-title">
                <Highlighted segments={current.highlight.title} fallback={current.title} />
              </h2>
              <p className="muted">
                {current.authors.join('; ')}
                {current.year ? ` · ${current.year}` : ''}
                {current.journal ? ` · ${current.journal}` : ''}
                {current.doi ? ` · doi:${current.doi}` : ''}
              </p>
              {(current.keywords.length > 0 || current.mesh.length > 0) && (
                <p className="keywords">
                  {[...current.keywords, ...current.mesh].map((k) => (
                    <span className="tag" key={k}>
                      {k}
                    </span>
                  ))}
                </p>
              )}
              <p className="abstract">
                <Highlighted
                  segments={current.highlight.abstract}
                  fallback={current.abstract || '(no abstract)'}
                />
              </p>
              {stage === 'full-text' && current.reportId && (
                // Keyed by report: a new record's panel starts empty (file input, answers) and
                // never shows what was fetched for the one before.
                <FullTextPanel
                  key={current.reportId}
                  review={review}
                  reportId={current.reportId}
                  onNotRetrieved={(reason) =>
                    dispatch({
                      type: 'set-aside',
                      recordId: current.recordId,
                      notice: `“${current.title}” is marked not retrieved (${reason}). It has left full-text assessment for every reviewer; attaching its PDF or a link brings it back.`,
                    })
                  }
                />
              )}
            </>
          )}
        </section>
        <aside className="card screening-side">
          {/* The votes first: a review's criteria and reasons pushed them below the fold at 1280x800,
              so a reviewer scrolled for every record. The criteria, read once and then referred to,
              come last. */}
          <div className="vote-buttons">
            <button
              onClick={(e) => {
                releaseAfterClick(e);
                vote('include');
              }}
              disabled={!current}
            >
              <kbd>I</kbd> Include
            </button>
            <button
              onClick={(e) => {
                releaseAfterClick(e);
                vote('exclude');
              }}
              disabled={!current}
            >
              <kbd>E</kbd> Exclude
            </button>
            <button
              onClick={(e) => {
                releaseAfterClick(e);
                vote('maybe');
              }}
              disabled={!current}
            >
              <kbd>M</kbd> Maybe
            </button>
            <button
              onClick={(e) => {
                releaseAfterClick(e);
                undo();
              }}
              disabled={!lastVoted}
            >
              <kbd>U</kbd> Undo
            </button>
          </div>
          {/* A stage with no reasons set shows no heading over an empty list. */}
          {reasonList.length > 0 && (
            <>
              <h2>Exclusion reasons {reasonsRequired ? '(required to exclude)' : '(optional)'}</h2>
              <p className="muted reasons-hint">Tick them before you press E: they go with the exclude.</p>
              <ol className="reasons">
                {reasonList.map((r, i) => (
                  <li key={r.code}>
                    <label>
                      <input
                        type="checkbox"
                        checked={draft?.reasons.includes(r.code) ?? false}
                        disabled={!current}
                        onChange={() => dispatch({ type: 'toggle-reason', recordId, code: r.code })}
                      />{' '}
                      <kbd>{i + 1}</kbd> {r.label}
                    </label>
                  </li>
                ))}
              </ol>
            </>
          )}
          <textarea
            aria-label="Note"
            placeholder="Note (optional; Esc to leave it)"
            value={draft?.note ?? ''}
            disabled={!current}
            onChange={(e) => dispatch({ type: 'note', recordId, note: e.target.value })}
            rows={2}
          />
          <p className="muted">
            ← → move between your votes and the queue. <kbd>T</kbd> tags the record.
          </p>
          {current && tagFor === current.recordId && (
            <RecordTagPicker
              key={current.recordId}
              review={review}
              recordId={current.recordId}
              title={current.title}
              onClose={() => setTagFor(null)}
            />
          )}
          <h2>Criteria</h2>
          {/* Until the stage's settings arrive, say so: "none set" would be a claim about the review. */}
          <p className="criteria">{cfg ? cfg.config.criteria || 'No criteria set yet.' : 'Loading…'}</p>
        </aside>
      </div>
    </main>
  );
}

export function ScreeningStagePage({ review }: { review: string }) {
  return <ScreeningPage review={review} stage="title-abstract" />;
}
