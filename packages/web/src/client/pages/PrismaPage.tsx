import { useEffect, useState, type FormEvent, type MouseEvent } from 'react';
import { api, counted, upload } from '../api.ts';
import { Link, navigate } from '../router.tsx';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';

interface WarningItem {
  id: string;
  citation: string;
  /** The box whose list shows it. */
  box: string | null;
}
interface Warning {
  code: string;
  message: string;
  ids: string[];
  idKind: 'record' | 'report' | 'study' | 'search';
  items?: WarningItem[];
}
interface Waiting {
  awaitingRetrieval: number;
  awaitingAssessment: number;
}
interface Flow {
  counts: {
    previous?: { studies: number; reports: number };
    databaseTotal: number;
    registerTotal: number;
    screened: number;
    awaitingScreening: number;
    dbr: Waiting;
    other?: Waiting & { awaitingScreening: number };
  };
  inProgress: boolean;
  warnings: Warning[];
}

const KIND_WORDS: Record<Warning['idKind'], [string, string]> = {
  record: ['record', 'records'],
  report: ['report', 'reports'],
  study: ['study', 'studies'],
  search: ['search', 'searches'],
};
const count = (n: number, [one, many]: [string, string]): string =>
  `${n.toLocaleString('en-GB')} ${n === 1 ? one : many}`;

/** Polls the diagram as SVG; the server's renderer escapes every name, so the markup holds no user HTML. */
function useSvg(path: string, pollMs: number): string | null {
  const [svg, setSvg] = useState<string | null>(null);
  useEffect(() => {
    let timer: number | undefined;
    const ctrl = new AbortController();
    const load = async () => {
      try {
        const text = await counted(
          (async () => {
            const res = await fetch(`/api${path}`, { credentials: 'same-origin', signal: ctrl.signal });
            return res.ok && res.headers.get('content-type')?.startsWith('image/svg+xml') ? res.text() : null;
          })(),
        );
        if (text !== null) setSvg(text);
      } catch {
        /* keep the last diagram */
      }
      if (!ctrl.signal.aborted) timer = window.setTimeout(load, pollMs);
    };
    void load();
    return () => {
      ctrl.abort();
      window.clearTimeout(timer);
    };
  }, [path, pollMs]);
  return svg;
}

export function PrismaPage({ review }: { review: string }) {
  const base = `/reviews/${review}/prisma`;
  const svg = useSvg(`${base}?format=svg`, 5000);
  const { data: flow, error, reload } = useApi<Flow>(base, 5000);
  const { data: me } = useApi<{ roles: string[] }>(`/reviews/${review}`);
  const isLead = me?.roles.includes('lead') ?? false;
  // Box links inside the SVG are app paths: route them without a page load.
  const onDiagramClick = (e: MouseEvent<HTMLDivElement>) => {
    const a = (e.target as Element).closest('a');
    const href = a?.getAttribute('href');
    if (!href || e.metaKey || e.ctrlKey) return;
    e.preventDefault();
    navigate(href);
  };
  return (
    <main>
      <h1>PRISMA 2020 flow diagram</h1>
      <p className="muted">
        Every number is derived from the review's records, decisions and retrievals; click a box or a line to
        see what it counts. <Link to={`${base}/searches`}>PRISMA-S search summary</Link>
      </p>
      <p>
        Download:{' '}
        <a href={`/api${base}?format=svg`} download={`${review}-prisma.svg`}>
          SVG
        </a>{' '}
        ·{' '}
        <a href={`/api${base}?format=png&width=2400`} download={`${review}-prisma.png`}>
          PNG
        </a>{' '}
        · <a href={`/api${base}?format=csv`}>PRISMA2020 template CSV</a> ·{' '}
        <a href={`/api${base}?format=json`} download={`${review}-prisma.json`}>
          JSON
        </a>
      </p>
      {error && <p className="error">{errorText(error)}</p>}
      {flow && flow.warnings.length > 0 && (
        <section className="card" aria-label="Warnings">
          <h2 style={{ marginTop: 0 }}>Checks that do not hold</h2>
          <ul>
            {flow.warnings.map((w) => (
              <li key={w.code + w.message} data-warning={w.code}>
                {w.message}
                {w.ids.length > 0 && <WarningItems base={base} warning={w} />}
              </li>
            ))}
          </ul>
        </section>
      )}
      <div
        className="card prisma-diagram"
        onClick={onDiagramClick}
        style={{ overflowX: 'auto' }}
        // Our own renderer's output: all text is XML-escaped there (tested), no scripts or handlers.
        dangerouslySetInnerHTML={svg ? { __html: svg } : undefined}
      >
        {svg ? undefined : 'Loading diagram…'}
      </div>
      {/* After the diagram, which a lead opens this page for: at 1280x800 the card above it pushed
          the diagram below the fold. The diagram's own banner says it is in progress. */}
      {flow && <Progress base={base} flow={flow} />}
      {isLead && <PreviousForm review={review} hasPrevious={!!flow?.counts.previous} onSaved={reload} />}
      <TemplateCheck review={review} isLead={isLead} onSaved={reload} />
    </main>
  );
}

/** What is still under way, in words, each count linked to the list of what it counts. */
function Progress({ base, flow }: { base: string; flow: Flow }) {
  const c = flow.counts;
  const boxLink = (key: string, text: string) => (
    <Link to={`${base}/box/${encodeURIComponent(key)}`}>{text}</Link>
  );
  if (!flow.inProgress)
    return (
      <p className="prisma-progress" data-in-progress="false">
        {c.databaseTotal + c.registerTotal + (c.other ? 1 : 0) === 0
          ? 'No records yet: the diagram fills in as searches are imported.'
          : 'Complete: every record and report has an outcome.'}
      </p>
    );
  const o = c.other;
  // With an other-methods column its records and reports are counted apart, in the list as in the
  // diagram (its column and the line above it): the main column's are "from databases and registers".
  const dbr = o ? ' from databases and registers' : '';
  return (
    <section className="card prisma-progress" aria-labelledby="prisma-progress-h" data-in-progress="true">
      <h2 id="prisma-progress-h" style={{ marginTop: 0 }}>
        In progress
      </h2>
      <p>The diagram counts only what has happened so far. Still under way:</p>
      <ul>
        <li data-waiting="records_awaiting">
          {boxLink('records_awaiting', count(c.awaitingScreening, ['record', 'records']))}
          {dbr} awaiting title/abstract screening, those in conflict included (
          {c.screened.toLocaleString('en-GB')} screened so far)
        </li>
        <li data-waiting="dbr_awaiting_retrieval">
          {boxLink('dbr_awaiting_retrieval', count(c.dbr.awaitingRetrieval, ['report', 'reports']))}
          {dbr} awaiting retrieval
        </li>
        <li data-waiting="dbr_awaiting_assessment">
          {boxLink('dbr_awaiting_assessment', count(c.dbr.awaitingAssessment, ['report', 'reports']))}
          {dbr} awaiting full-text assessment
        </li>
        {o && o.awaitingScreening > 0 && (
          <li data-waiting="other_records_awaiting">
            {boxLink('other_records_awaiting', count(o.awaitingScreening, ['record', 'records']))} from other
            methods awaiting title/abstract screening
          </li>
        )}
        {o && o.awaitingRetrieval > 0 && (
          <li data-waiting="other_awaiting_retrieval">
            {boxLink('other_awaiting_retrieval', count(o.awaitingRetrieval, ['report', 'reports']))} from
            other methods awaiting retrieval
          </li>
        )}
        {o && o.awaitingAssessment > 0 && (
          <li data-waiting="other_awaiting_assessment">
            {boxLink('other_awaiting_assessment', count(o.awaitingAssessment, ['report', 'reports']))} from
            other methods awaiting full-text assessment
          </li>
        )}
      </ul>
    </section>
  );
}

/** The records a warning names, by short citation, each linked to the box page that lists it. */
function WarningItems({ base, warning: w }: { base: string; warning: Warning }) {
  const items = w.items ?? [];
  const more = w.ids.length - items.length;
  return (
    <span className="muted">
      {' '}
      —{' '}
      {items.length === 0
        ? count(w.ids.length, KIND_WORDS[w.idKind])
        : items.map((it, i) => (
            <span key={it.id}>
              {i > 0 && '; '}
              <Link
                to={
                  it.box
                    ? `${base}/box/${encodeURIComponent(it.box)}?item=${encodeURIComponent(it.id)}`
                    : `${base}/item/${encodeURIComponent(it.id)}`
                }
              >
                {it.citation}
              </Link>
            </span>
          ))}
      {items.length > 0 && more > 0 && `; and ${count(more, KIND_WORDS[w.idKind])} more`}
    </span>
  );
}

function PreviousForm({
  review,
  hasPrevious,
  onSaved,
}: {
  review: string;
  hasPrevious: boolean;
  onSaved: () => void;
}) {
  const [studies, setStudies] = useState('');
  const [reports, setReports] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const save = async (e: FormEvent, clear = false) => {
    e.preventDefault();
    try {
      await api('PUT', `/reviews/${review}/prisma/previous`, {
        previous: clear ? null : { studies: Number(studies), reports: Number(reports) },
      });
      setMessage(clear ? 'Cleared' : 'Saved');
      onSaved();
    } catch (err) {
      setMessage(errorText(err));
    }
  };
  return (
    <section className="card">
      <h2 style={{ marginTop: 0 }}>Updated review</h2>
      <form onSubmit={(e) => void save(e)}>
        <label>
          Studies included in the previous version{' '}
          <input
            type="number"
            min={0}
            required
            value={studies}
            onChange={(e) => setStudies(e.target.value)}
          />
        </label>{' '}
        <label>
          Reports of those studies{' '}
          <input
            type="number"
            min={0}
            required
            value={reports}
            onChange={(e) => setReports(e.target.value)}
          />
        </label>{' '}
        <button type="submit">Save</button>{' '}
        {hasPrevious && (
          <button type="button" onClick={(e) => void save(e, true)}>
            Not an update
          </button>
        )}
        {message && <span className="muted"> {message}</span>}
      </form>
    </section>
  );
}

function TemplateCheck({
  review,
  isLead,
  onSaved,
}: {
  review: string;
  isLead: boolean;
  onSaved: () => void;
}) {
  const [asPrevious, setAsPrevious] = useState(false);
  const [result, setResult] = useState<{ warnings: Warning[]; svg: string } | null>(null);
  const [error, setError] = useState<string | null>(null);
  const onFile = async (file: File | undefined) => {
    if (!file) return;
    setError(null);
    setResult(null);
    try {
      setResult(
        await upload(
          `/reviews/${review}/prisma/template-check?asPrevious=${asPrevious ? 1 : 0}&fileName=${encodeURIComponent(file.name)}`,
          file,
        ),
      );
      if (asPrevious) onSaved();
    } catch (err) {
      setError(errorText(err));
    }
  };
  return (
    <section className="card">
      <h2 style={{ marginTop: 0 }}>Check a PRISMA2020 template CSV</h2>
      <p className="muted">Counts from work done outside Winnow: problems are named by row and column.</p>
      {isLead && (
        <label>
          <input type="checkbox" checked={asPrevious} onChange={(e) => setAsPrevious(e.target.checked)} /> Use
          its total studies and reports as the previous version of this updated review
        </label>
      )}{' '}
      <label>
        Template CSV{' '}
        <input type="file" accept=".csv,text/csv" onChange={(e) => void onFile(e.target.files?.[0])} />
      </label>
      {error && <p className="error">{error}</p>}
      {result && (
        <>
          <p>{result.warnings.length === 0 ? 'Valid; the arithmetic holds.' : 'Valid, but:'}</p>
          <ul>
            {result.warnings.map((w) => (
              <li key={w.message}>{w.message}</li>
            ))}
          </ul>
          <div style={{ overflowX: 'auto' }} dangerouslySetInnerHTML={{ __html: result.svg }} />
        </>
      )}
    </section>
  );
}
