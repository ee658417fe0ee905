import { useRef, useState } from 'react';
import { api } from '../api.ts';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';
import { useKeys } from '../use-keys.ts';
import { useAccess } from '../access.tsx';
import { Link } from '../router.tsx';
import { Highlighted, type Segment } from './Highlighted.tsx';
import { ReportFullText } from './FullTextViewer.tsx';
import { ConflictVoteList, DecidedConflict, type Decided } from './DecidedConflict.tsx';

interface Conflict {
  id: string;
  recordId: string;
  stage: string;
  kind: string;
  title: string;
  byline: string;
  reportId: string | null;
  votes: { reviewerName: string; vote: string; reasons: string[]; note?: string }[];
  votesHidden: boolean;
  record: {
    abstract: string;
    authors: string[];
    keywords: string[];
    year: number | null;
    journal: string | null;
    doi: string | null;
    pmid: string | null;
    url: string | null;
    highlight: { title: Segment[]; abstract: Segment[] };
  };
}
interface Agreement {
  overall: { n: number; kappa: number | null; percentAgreement: number | null; pabak: number | null };
  pairs: {
    reviewerA: string;
    reviewerB: string;
    n: number;
    kappa: number | null;
    percentAgreement: number | null;
    pabak: number | null;
  }[];
  reviewers: Record<string, string>;
}

const fmt = (x: number | null) => (x === null ? '—' : x.toFixed(2));

/** Open conflicts shown at once; decided ones make room for the next. */
const PAGE = 50;

/** Conflicts for adjudication: the votes stay hidden until the adjudicator has decided. */
export function ConflictsPage({ review }: { review: string }) {
  const [stage, setStage] = useState<'title-abstract' | 'full-text'>('title-abstract');
  // The oldest open conflicts, a page at a time: asked for again every few seconds, a review's
  // hundreds of conflicts with their abstracts were sent whole each time.
  const {
    data: answer,
    fresh,
    reload,
    error,
  } = useApi<{ conflicts: Conflict[]; total: number }>(
    `/reviews/${review}/conflicts?stage=${stage}&limit=${PAGE}`,
    3000,
  );
  // How many are open at the other stage (a count only), so an empty stage can point to them.
  const other = stage === 'title-abstract' ? 'full-text' : 'title-abstract';
  const { data: elsewhere } = useApi<{ total: number }>(
    `/reviews/${review}/conflicts?stage=${other}&limit=0`,
    10000,
  );
  // Agreement is the lead's (it shows who voted how): asked for only by a member who may read it.
  const access = useAccess();
  const { data: agreement } = useApi<Agreement>(
    access.can('GET /reviews/:review/agreement') ? `/reviews/${review}/agreement?stage=${stage}` : null,
    5000,
  );
  const {
    data: cfgAnswer,
    fresh: cfgFresh,
    error: cfgError,
  } = useApi<{
    config: { exclusionReasons: { code: string; label: string; retired?: boolean }[] };
  }>(`/reviews/${review}/stages/${stage}/config`);
  // Just after the stage changes, both answers are still the other stage's: its conflicts would show
  // under this stage's name, and its reason labels would leave this stage's codes unnamed. The cards
  // wait for this stage's conflicts and reasons both.
  const cfg = cfgFresh ? cfgAnswer : undefined;
  const data = fresh && cfg ? answer : undefined;
  const [reason, setReason] = useState<Record<string, string>>({});
  /** The adjudicator's note on each decision, kept with the resolution. */
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  // Conflicts resolved from this page leave it at once, before the next poll: a second click on a
  // card already decided would only be refused.
  const [resolved, setResolved] = useState<ReadonlySet<string>>(new Set());
  // Decided here, newest first: their cards stay, with both votes once the server sends them.
  const [decided, setDecided] = useState<readonly Decided[]>([]);
  const [showText, setShowText] = useState<ReadonlySet<string>>(new Set());
  const reasonLabel = (code: string) =>
    cfg?.config.exclusionReasons.find((r) => r.code === code)?.label ?? code;
  // A decision being sent: its card is marked at once and a second click is ignored (read from a
  // ref, so even two clicks in the same event-loop turn send one decision).
  const sending = useRef(new Set<string>());
  const [pending, setPending] = useState<ReadonlySet<string>>(new Set());
  const resolve = async (c: Conflict, vote: 'include' | 'exclude') => {
    if (sending.current.has(c.id)) return;
    sending.current.add(c.id);
    setPending(new Set(sending.current));
    try {
      const r = reason[c.id];
      const note = notes[c.id]?.trim() ?? '';
      await api('POST', `/reviews/${review}/conflicts/${c.id}/resolve`, {
        vote,
        ...(vote === 'exclude' && r ? { reasons: [r] } : {}),
        ...(note ? { note } : {}),
      });
      setResolved((done) => new Set(done).add(c.id));
      setDecided((list) => [
        {
          id: c.id,
          title: c.title,
          vote,
          reason: vote === 'exclude' ? r : undefined,
          note: note || undefined,
        },
        ...list,
      ]);
      // The list sits after the open conflicts, so the next one stays at the top: say where.
      setMessage(
        `Resolved “${c.title}”: ${vote === 'include' ? 'included' : 'excluded'}. Both votes are shown under “Decided just now”, after the open conflicts.`,
      );
      reload();
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      sending.current.delete(c.id);
      setPending(new Set(sending.current));
    }
  };
  // A card leaves as soon as its decision is sent; it comes back only if the server refuses it.
  const visible = data?.conflicts.filter((c) => !resolved.has(c.id) && !pending.has(c.id));
  const reasons = cfg?.config.exclusionReasons.filter((r) => !r.retired) ?? [];
  // Keys act on the first conflict on screen, as on the screening page: I include, E excludes,
  // 1-9 pick the exclusion reason.
  const first = visible?.[0];
  useKeys((e) => {
    if (!first) return false;
    const k = e.key.toLowerCase();
    if (k === 'i') void resolve(first, 'include');
    else if (k === 'e') void resolve(first, 'exclude');
    else if (/^[1-9]$/.test(e.key)) {
      const r = reasons[Number(e.key) - 1];
      if (r) setReason((prev) => ({ ...prev, [first.id]: r.code }));
    } else return false;
  });
  return (
    <main>
      <h1>Conflicts</h1>
      <p>
        <label>
          Stage{' '}
          <select
            value={stage}
            onChange={(e) => {
              setStage(e.target.value as typeof stage);
              // Decided cards name reasons by the stage's labels: they belong to the stage they were decided at.
              // So does the message about the last one, which points to them.
              setDecided([]);
              setMessage(null);
            }}
          >
            <option value="title-abstract">Title/abstract</option>
            <option value="full-text">Full text</option>
          </select>
        </label>
      </p>
      {error && <p className="error">{errorText(error)}</p>}
      {cfgError && !cfg && <p className="error">{errorText(cfgError)}</p>}
      {!data && !error && !cfgError && <p className="muted">Loading the open conflicts…</p>}
      {message && (
        <p className="notice" role="status">
          {message}
        </p>
      )}
      {visible && visible.length > 0 && (
        <p className="muted">
          Keys: I include and E excludes the first conflict; 1–9 pick its exclusion reason.
        </p>
      )}
      {/* All of them on screen: how many, counted from the cards themselves. */}
      {data && visible && visible.length > 0 && data.total <= data.conflicts.length && (
        <p data-testid="conflicts-open">
          {visible.length === 1 ? 'One open conflict' : `${visible.length} open conflicts`} at this stage.
        </p>
      )}
      {data && data.total > data.conflicts.length && (
        <p data-testid="conflicts-shown">
          {data.total} open conflicts at this stage: the {data.conflicts.length} oldest are shown, and each
          one you decide makes room for the next.
        </p>
      )}
      {visible && visible.length === 0 && (
        <p data-testid="no-conflicts">
          No open conflicts at this stage.
          {elsewhere && elsewhere.total > 0 && (
            <>
              {' '}
              {elsewhere.total === 1 ? 'One is' : `${elsewhere.total} are`} open at{' '}
              {other === 'full-text' ? 'full text' : 'title/abstract'}:{' '}
              <button
                type="button"
                data-testid="other-stage-conflicts"
                onClick={() => {
                  setStage(other);
                  setDecided([]);
                  setMessage(null);
                }}
              >
                Show {elsewhere.total === 1 ? 'it' : 'them'}
              </button>
            </>
          )}
        </p>
      )}
      {visible?.map((c) => (
        <section className="card conflict" key={c.id} data-testid="conflict" data-record-id={c.recordId}>
          <h2 style={{ marginTop: 0 }}>
            <Highlighted segments={c.record.highlight.title} fallback={c.title} />
          </h2>
          {c.byline && <p className="byline">{c.byline}</p>}
          {/* The byline names three authors; the whole list only where it has more. */}
          {c.record.authors.length > 3 && <p className="conflict-authors">{c.record.authors.join('; ')}</p>}
          <p className="conflict-abstract">
            {c.record.abstract ? (
              <Highlighted segments={c.record.highlight.abstract} fallback={c.record.abstract} />
            ) : (
              <span className="muted">No abstract.</span>
            )}
          </p>
          {c.record.keywords.length > 0 && <p className="muted">Keywords: {c.record.keywords.join('; ')}</p>}
          <p className="conflict-links">
            {c.record.doi && (
              <a href={`https://doi.org/${c.record.doi}`} target="_blank" rel="noreferrer noopener">
                DOI {c.record.doi}
              </a>
            )}{' '}
            {c.record.pmid && (
              <a
                href={`https://pubmed.ncbi.nlm.nih.gov/${c.record.pmid}/`}
                target="_blank"
                rel="noreferrer noopener"
              >
                PubMed {c.record.pmid}
              </a>
            )}{' '}
            {c.record.url && (
              <a href={c.record.url} target="_blank" rel="noreferrer noopener">
                Link
              </a>
            )}{' '}
            <Link to={`/reviews/${review}/records/${c.recordId}`}>Whole record and history</Link>
          </p>
          {c.stage === 'full-text' &&
            c.reportId &&
            (showText.has(c.id) ? (
              <ReportFullText review={review} reportId={c.reportId} />
            ) : (
              <p>
                <button
                  type="button"
                  onClick={() => setShowText((open) => new Set(open).add(c.id))}
                  data-testid="show-fulltext"
                >
                  Show the full text
                </button>
              </p>
            ))}
          <p className="muted">{c.kind === 'maybe' ? 'A reviewer voted maybe' : 'Reviewers disagree'}</p>
          {c.votesHidden ? (
            <p className="muted">Votes are hidden until you decide (blind adjudication).</p>
          ) : (
            <ConflictVoteList votes={c.votes} reasonLabel={reasonLabel} />
          )}
          <div className="vote-buttons">
            <button data-testid="resolve-include" onClick={() => void resolve(c, 'include')}>
              Include
            </button>
            <select
              aria-label="Exclusion reason"
              value={reason[c.id] ?? ''}
              onChange={(e) => setReason({ ...reason, [c.id]: e.target.value })}
            >
              <option value="">reason…</option>
              {reasons.map((r, i) => (
                <option key={r.code} value={r.code}>
                  {i < 9 ? `${i + 1}. ` : ''}
                  {r.label}
                </option>
              ))}
            </select>
            <button data-testid="resolve-exclude" onClick={() => void resolve(c, 'exclude')}>
              Exclude
            </button>
          </div>
          <label className="conflict-note">
            Note on your decision (optional, kept in the record’s history){' '}
            <input
              value={notes[c.id] ?? ''}
              onChange={(e) => setNotes((n) => ({ ...n, [c.id]: e.target.value }))}
              maxLength={5000}
            />
          </label>
        </section>
      ))}
      {decided.length > 0 && (
        <section aria-labelledby="decided-now">
          <h2 id="decided-now">Decided just now</h2>
          {decided.map((d) => (
            <DecidedConflict
              key={d.id}
              review={review}
              decided={d}
              reasonLabel={reasonLabel}
              reasons={reasons}
              onChanged={(now) => {
                setDecided((list) => list.map((x) => (x.id === now.id ? now : x)));
                setMessage(
                  `Changed your decision on “${now.title}”: ${now.vote === 'include' ? 'included' : 'excluded'}.`,
                );
              }}
            />
          ))}
        </section>
      )}
      {agreement && (
        <section className="card" aria-label="Agreement">
          <h2 style={{ marginTop: 0 }}>Agreement</h2>
          <table>
            <thead>
              <tr>
                <th>Pair</th>
                <th>Records</th>
                <th>Agreement</th>
                <th>Cohen’s κ</th>
                <th>PABAK</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <td>All pairs (pooled)</td>
                <td>{agreement.overall.n}</td>
                <td>{fmt(agreement.overall.percentAgreement)}</td>
                <td>{fmt(agreement.overall.kappa)}</td>
                <td>{fmt(agreement.overall.pabak)}</td>
              </tr>
              {agreement.pairs.map((p) => (
                <tr key={`${p.reviewerA}-${p.reviewerB}`}>
                  <td>
                    {agreement.reviewers[p.reviewerA] ?? p.reviewerA} /{' '}
                    {agreement.reviewers[p.reviewerB] ?? p.reviewerB}
                  </td>
                  <td>{p.n}</td>
                  <td>{fmt(p.percentAgreement)}</td>
                  <td>{fmt(p.kappa)}</td>
                  <td>{fmt(p.pabak)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}
