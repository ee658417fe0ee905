import { useCallback, useEffect, useLayoutEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { useApi } from '../use-api.ts';
import { useKeys } from '../use-keys.ts';
import { FullTextPanel } from './FullTextPanel.tsx';
import { errorText } from '../error-text.ts';

type Kind = 'include' | 'exclude' | null;
interface Segment {
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
interface NextResponse {
  record: ScreenRecord;
  upcoming: ScreenRecord[];
  progress: { mine: { done: number; total: number }; stage: { records: number; settled: number } };
}
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
type Vote = 'include' | 'exclude' | 'maybe';
interface Voted {
  record: ScreenRecord;
  vote: Vote;
  reasons: string[];
}

function Highlighted({ segments, fallback }: { segments: Segment[]; fallback: string }) {
  if (segments.length === 0) return <>{fallback}</>;
  return (
    <>
      {segments.map((s, i) =>
        s.kind ? (
          <mark key={i} className={`hl-${s.kind}`}>
            {s.text}
          </mark>
        ) : (
          <span key={i}>{s.text}</span>
        ),
      )}
    </>
  );
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
 * the last vote, ← back to votes already cast (voting again records a change), → forward.
 * The next records are prefetched, so a vote shows the next record at once while the vote is sent.
 */
export function ScreeningPage({ review, stage }: { review: string; stage: 'title-abstract' | 'full-text' }) {
  const base = `/reviews/${review}/stages/${stage}`;
  // Polled, so a lead holding or opening the stage shows here without a reload.
  const { data: cfg } = useApi<StageConfig>(`${base}/config`, 5000);
  const [queue, setQueue] = useState<ScreenRecord[]>([]);
  const [progress, setProgress] = useState<NextResponse['progress'] | null>(null);
  const [done, setDone] = useState(false);
  const [history, setHistory] = useState<Voted[]>([]);
  /** How far back in history the reviewer has moved with ←; 0 is the queue head. */
  const [back, setBack] = useState(0);
  const [reasons, setReasons] = useState<string[]>([]);
  const [note, setNote] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const pending = useRef(new Set<string>());
  const inflight = useRef<Promise<unknown>>(Promise.resolve());

  const refills = useRef(0);

  const refill = useCallback(async () => {
    // Only the newest refill's answer counts: an older one, computed before a later vote landed,
    // would put that record back in the queue (and say there is more to screen). Every vote that
    // lands starts a refill, so "newest" is checked again when React applies the update: the
    // updater runs at render time, possibly after the vote landed and the next refill began.
    const seq = ++refills.current;
    const stale = () => seq !== refills.current;
    try {
      const res = await api<NextResponse | undefined>('GET', `${base}/next?prefetch=4`);
      if (stale()) return;
      if (!res) {
        setQueue((q) => (stale() ? q : q.filter((r) => !pending.current.has(r.recordId))));
        setDone((d) => (stale() ? d : true));
        return;
      }
      setProgress((p) => (stale() ? p : res.progress));
      setDone((d) => (stale() ? d : false));
      setQueue((q) => {
        if (stale()) return q;
        const seen = new Set(q.map((r) => r.recordId));
        const fresh = [res.record, ...res.upcoming].filter(
          (r) => !seen.has(r.recordId) && !pending.current.has(r.recordId),
        );
        return [...q.filter((r) => !pending.current.has(r.recordId)), ...fresh];
      });
    } catch (e) {
      if (!stale()) setMessage(errorText(e));
    }
  }, [base]);

  useEffect(() => {
    void refill();
  }, [refill]);

  // Records reach the queue on their own (after an import, or when a held stage opens): while the
  // queue is empty, look again every few seconds so they show up with no reload.
  useEffect(() => {
    if (!done) return;
    const timer = window.setInterval(() => void refill(), 3000);
    return () => window.clearInterval(timer);
  }, [done, refill]);

  const viewing: Voted | null = back > 0 ? (history[history.length - back] ?? null) : null;
  // A record is shown only with its stage's criteria and reasons, so a number key always has
  // the reason list it refers to.
  const current: ScreenRecord | null = !cfg ? null : viewing ? viewing.record : (queue[0] ?? null);
  // Retired reasons are not offered: they only label votes cast before they were retired.
  const reasonList = (cfg?.config.exclusionReasons ?? []).filter((r) => !r.retired);
  const reasonsRequired = cfg?.config.reasonsRequired ?? stage === 'full-text';

  // In a layout effect, i.e. before the next key can arrive: a plain effect runs after paint and
  // could wipe a reason chosen for the record that is already on screen.
  useLayoutEffect(() => {
    setReasons(viewing ? viewing.reasons : []);
    setNote('');
  }, [current?.recordId, viewing]);

  const vote = useCallback(
    (v: Vote) => {
      if (!current) return;
      const chosen = v === 'exclude' ? reasons : [];
      if (v === 'exclude' && reasonsRequired && chosen.length === 0) {
        setMessage('Choose at least one exclusion reason (number keys) before excluding at this stage.');
        return;
      }
      setMessage(null);
      const record = current;
      pending.current.add(record.recordId);
      const entry: Voted = { record, vote: v, reasons: chosen };
      if (viewing) {
        setHistory((h) => h.map((x) => (x.record.recordId === record.recordId ? entry : x)));
        setBack((b) => Math.max(0, b - 1));
      } else {
        setHistory((h) => [...h.filter((x) => x.record.recordId !== record.recordId), entry]);
        setQueue((q) => q.filter((r) => r.recordId !== record.recordId));
        setProgress((p) => (p ? { ...p, mine: { ...p.mine, done: p.mine.done + 1 } } : p));
      }
      const body = {
        recordId: record.recordId,
        vote: v,
        ...(chosen.length ? { reasons: chosen } : {}),
        ...(note ? { note } : {}),
      };
      inflight.current = inflight.current
        .then(() => api('POST', `${base}/decisions`, body))
        .catch((e: unknown) => setMessage(errorText(e)))
        .finally(() => {
          pending.current.delete(record.recordId);
          void refill();
        });
    },
    [current, reasons, reasonsRequired, viewing, note, base, refill],
  );

  const undo = useCallback(() => {
    const last = history[history.length - 1];
    if (!last) return;
    setHistory((h) => h.slice(0, -1));
    setBack(0);
    setQueue((q) => [last.record, ...q.filter((r) => r.recordId !== last.record.recordId)]);
    setProgress((p) => (p ? { ...p, mine: { ...p.mine, done: Math.max(0, p.mine.done - 1) } } : p));
    inflight.current = inflight.current
      .then(() => api('POST', `${base}/decisions/undo`, { recordId: last.record.recordId }))
      .catch((e: unknown) => setMessage(errorText(e)));
  }, [history, base]);

  useKeys((e) => {
    const k = e.key.toLowerCase();
    if (k === 'i') vote('include');
    else if (k === 'e') vote('exclude');
    else if (k === 'm') vote('maybe');
    else if (k === 'u') undo();
    else if (e.key === 'ArrowLeft') setBack((b) => Math.min(history.length, b + 1));
    else if (e.key === 'ArrowRight') setBack((b) => Math.max(0, b - 1));
    else if (/^[1-9]$/.test(e.key)) {
      const r = reasonList[Number(e.key) - 1];
      if (r) setReasons((rs) => (rs.includes(r.code) ? rs.filter((x) => x !== r.code) : [...rs, r.code]));
    } else return false;
  });

  return (
    <main className={`screening ${stage === 'full-text' ? 'screening-fulltext' : ''}`}>
      <div className="screening-head">
        <h1>{stage === 'title-abstract' ? 'Title/abstract screening' : 'Full-text assessment'}</h1>
        {progress && (
          <div className="screening-bars">
            <Bar label="Your records" done={progress.mine.done} total={progress.mine.total} />
            <Bar label="Stage settled" done={progress.stage.settled} total={progress.stage.records} />
          </div>
        )}
      </div>
      {cfg?.held && (
        <p className="notice" data-testid="stage-held">
          {stage === 'title-abstract' ? 'Title/abstract screening' : 'Full-text assessment'} is on hold: the
          lead has paused it. Records are waiting and will appear here as soon as the lead opens it again.
        </p>
      )}
      {cfg && !cfg.open && (
        <p className="notice">
          A calibration pilot is running: you see pilot records only until agreement reaches the lead’s
          threshold.
        </p>
      )}
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
      <div className="screening-body">
        <section
          className="card screening-record"
          data-testid="screening-record"
          data-record-id={current?.recordId ?? ''}
        >
          {!current && (
            <p data-testid="screening-done" data-done={done ? 'true' : 'false'}>
              {!done
                ? 'Loading…'
                : cfg?.held
                  ? 'Nothing to screen while this stage is on hold.'
                  : 'Nothing left in your queue at this stage.'}
            </p>
          )}
          {current && (
            <>
              {viewing && (
                <p className="notice" data-testid="screening-revisit">
                  Your vote: <strong>{viewing.vote}</strong> — press I, E or M to change it (logged), → to go
                  forward.
                </p>
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
                <FullTextPanel review={review} reportId={current.reportId} />
              )}
            </>
          )}
        </section>
        <aside className="card screening-side">
          <h2>Criteria</h2>
          <p className="criteria">{cfg?.config.criteria || 'No criteria set yet.'}</p>
          <h2>Exclusion reasons {reasonsRequired ? '(required to exclude)' : '(optional)'}</h2>
          <ol className="reasons">
            {reasonList.map((r, i) => (
              <li key={r.code}>
                <label>
                  <input
                    type="checkbox"
                    checked={reasons.includes(r.code)}
                    onChange={() =>
                      setReasons((rs) =>
                        rs.includes(r.code) ? rs.filter((x) => x !== r.code) : [...rs, r.code],
                      )
                    }
                  />{' '}
                  <kbd>{i + 1}</kbd> {r.label}
                </label>
              </li>
            ))}
          </ol>
          <textarea
            placeholder="Note (optional)"
            value={note}
            onChange={(e) => setNote(e.target.value)}
            rows={2}
          />
          <div className="vote-buttons">
            <button onClick={() => vote('include')} disabled={!current}>
              <kbd>I</kbd> Include
            </button>
            <button onClick={() => vote('exclude')} disabled={!current}>
              <kbd>E</kbd> Exclude
            </button>
            <button onClick={() => vote('maybe')} disabled={!current}>
              <kbd>M</kbd> Maybe
            </button>
            <button onClick={undo} disabled={history.length === 0}>
              <kbd>U</kbd> Undo
            </button>
          </div>
          <p className="muted">← → move between your votes and the queue.</p>
        </aside>
      </div>
    </main>
  );
}

export function ScreeningStagePage({ review }: { review: string }) {
  return <ScreeningPage review={review} stage="title-abstract" />;
}
