import { useCallback, useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { inWords } from '../token-words.ts';
import { publicationTypeWords } from '../publication-type-words.ts';
import { useApi } from '../use-api.ts';
import { useKeys } from '../use-keys.ts';
import { errorText } from '../error-text.ts';

interface Author {
  family: string;
  given?: string;
  asWritten: string;
}
interface Rec {
  title: string;
  abstract?: string;
  authors: Author[];
  year?: number;
  journal?: string;
  journalAbbrev?: string;
  publisher?: string;
  volume?: string;
  issue?: string;
  pages?: { asWritten: string };
  doi?: string;
  pmid?: string;
  publicationType?: string;
  publicationTypesRaw?: string[];
}
interface Side {
  id: string;
  sourceFile: string;
  sourceIndex: number;
  record: Rec;
}
interface Pair {
  a: Side;
  b: Side;
  score: number;
  reason: string;
  covers: { aRecords: number; bRecords: number; records: number; pairs: number };
  all?: {
    groups: number;
    records: number;
    pairs: number;
    others: {
      id: string;
      sourceFile: string;
      sourceIndex: number;
      groupRecords: number;
      title: string;
      year?: number;
      journal?: string;
      volume?: string;
      pages?: string;
    }[];
  };
}

const records = (n: number) => `${n} ${n === 1 ? 'record' : 'records'}`;

const side = (n: number, which: string) =>
  n === 1 ? `the ${which} record alone` : `the ${which} record's group of ${n}`;

/** What one answer settles, in words: the question is about two groups, not two records. */
/** The other records a question links, so one answer can settle all of them. */
function OthersView({ all }: { all: NonNullable<Pair['all']> }) {
  return (
    <div className="card" aria-label="Other records of this question">
      <p style={{ marginTop: 0 }}>
        These two are part of {all.records} records in {all.groups} groups that may be one report. The others:
      </p>
      <ul>
        {all.others.map((o) => (
          <li key={o.id}>
            {o.title}{' '}
            <span className="muted">
              {[o.journal, o.year, o.volume && `vol. ${o.volume}`, o.pages && `pp. ${o.pages}`]
                .filter(Boolean)
                .join(', ')}{' '}
              ({o.sourceFile} #{o.sourceIndex}
              {o.groupRecords > 1 ? `, with ${o.groupRecords - 1} already grouped with it` : ''})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function coversText(c: Pair['covers']): string {
  if (c.records <= 2) return 'This answer covers these 2 records.';
  return `This answer covers ${records(c.records)}: ${side(c.aRecords, 'left')} and ${side(c.bRecords, 'right')} (${c.pairs} record pairs).`;
}

interface Group {
  id: string;
  keptId: string;
  sources: Record<string, number>;
  canonical: Rec;
  members: {
    recordId: string;
    kept: boolean;
    tier: string;
    score: number;
    reason: string;
    byReviewer: boolean;
    sourceFile: string;
    sourceIndex: number;
  }[];
}

/** How sure the match of a grouped record to the kept one is, in words. */
const TIER_WORDS: Record<string, string> = {
  certain: 'certain duplicate',
  uncertain: 'likely duplicate',
};

const FIELDS: [string, (r: Rec) => string][] = [
  ['Title', (r) => r.title],
  ['Authors', (r) => r.authors.map((a) => a.asWritten).join('; ')],
  ['Year', (r) => (r.year === undefined ? '' : String(r.year))],
  ['Journal', (r) => [r.journal, r.journalAbbrev].filter(Boolean).join(' / ')],
  ['Publisher', (r) => r.publisher ?? ''],
  ['Volume', (r) => r.volume ?? ''],
  ['Issue', (r) => r.issue ?? ''],
  ['Pages', (r) => r.pages?.asWritten ?? ''],
  ['DOI', (r) => r.doi ?? ''],
  ['PMID', (r) => r.pmid ?? ''],
  [
    'Type',
    (r) =>
      [r.publicationType && publicationTypeWords(r.publicationType), ...(r.publicationTypesRaw ?? [])]
        .filter(Boolean)
        .join('; '),
  ],
  ['Abstract', (r) => r.abstract ?? ''],
];

// Differences that matter to a reader: case, spacing and punctuation are not highlighted.
const comparable = (s: string) =>
  s
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

function PairView({ pair }: { pair: Pair }) {
  return (
    <table className="dedup-pair" aria-label="Record pair side by side">
      <thead>
        <tr>
          <th />
          <th>
            {pair.a.sourceFile} #{pair.a.sourceIndex}
          </th>
          <th>
            {pair.b.sourceFile} #{pair.b.sourceIndex}
          </th>
        </tr>
      </thead>
      <tbody>
        {FIELDS.map(([label, get]) => {
          const x = get(pair.a.record);
          const y = get(pair.b.record);
          const differs = comparable(x) !== comparable(y);
          return (
            <tr
              key={label}
              className={differs ? 'dedup-differs' : undefined}
              data-field={label}
              data-differs={differs}
            >
              <th scope="row">{label}</th>
              <td>{x || <span className="muted">—</span>}</td>
              <td>{y || <span className="muted">—</span>}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

/** Groups shown a page at a time. */
const GROUPS_PAGE = 50;

export function DuplicatesPage({ review }: { review: string }) {
  const { data: info } = useApi<{ roles: string[] }>(`/reviews/${review}`);
  const { data: queue, reload: reloadQueue } = useApi<{ total: number; pendingPairs: number; pairs: Pair[] }>(
    `/reviews/${review}/duplicates/queue?limit=20`,
    5000,
  );
  const [groupsFrom, setGroupsFrom] = useState(0);
  const { data: groups, reload: reloadGroups } = useApi<{ groups: Group[]; total: number }>(
    `/reviews/${review}/duplicates/groups?limit=${GROUPS_PAGE}&offset=${groupsFrom}`,
    10000,
  );
  const [skipped, setSkipped] = useState<Set<string>>(new Set());
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  const isLead = info?.roles.includes('lead') ?? false;
  const canDecide = info?.roles.some((r) => r === 'lead' || r === 'reviewer' || r === 'adjudicator') ?? false;
  const pending = (queue?.pairs ?? []).filter((p) => !skipped.has(`${p.a.id}|${p.b.id}`));
  const current = pending[0];

  const decide = useCallback(
    async (same: boolean, all = false) => {
      if (!current || busy || !canDecide) return;
      setBusy(true);
      try {
        await api('POST', `/reviews/${review}/duplicates/decisions`, {
          a: current.a.id,
          b: current.b.id,
          same,
          ...(all ? { all: true } : {}),
        });
        setSkipped((s) => new Set(s).add(`${current.a.id}|${current.b.id}`));
        const n = all && current.all ? current.all.records : current.covers.records;
        const covered = n > 2 ? ` (${records(n)})` : '';
        setMessage(
          all
            ? same
              ? `Marked all one report${covered}: merging.`
              : `Marked all different reports${covered}.`
            : same
              ? `Marked the same report${covered}: merging.`
              : `Marked different reports${covered}.`,
        );
        reloadQueue();
        reloadGroups();
      } catch (e) {
        setMessage(errorText(e));
      } finally {
        setBusy(false);
      }
    },
    [current, busy, canDecide, review, reloadQueue, reloadGroups],
  );

  useKeys((e) => {
    if (e.key === 's') void decide(true);
    else if (e.key === 'd') void decide(false);
    else if (e.key === 'n' && current) setSkipped((s) => new Set(s).add(`${current.a.id}|${current.b.id}`));
    else return false;
  });

  const split = async (g: Group) => {
    // Named by its kept record's title, as in the table (its id is for scripts and the CSV).
    const name = `“${g.canonical.title}”`;
    if (!window.confirm(`Split the group ${name} into ${g.members.length} separate records?`)) return;
    try {
      await api('POST', `/reviews/${review}/duplicates/groups/${encodeURIComponent(g.id)}/split`, {});
      setMessage(`Split the group ${name}: re-running deduplication.`);
      reloadGroups();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  return (
    <main>
      <h1>Duplicates</h1>
      <p className="muted">
        Certain duplicates are merged automatically; uncertain matches wait here for a decision, asked once
        for all the groups of records they would join. Every record is kept and counted per source.{' '}
        <a href={`/api/reviews/${review}/duplicates.csv`}>Export CSV</a>
        {isLead && (
          <>
            {' · '}
            <a href={`/api/reviews/${review}/duplicates/pairs.csv`} download>
              Export compared pairs (CSV)
            </a>
            {' · '}
            <button
              type="button"
              onClick={() =>
                // A refusal (the job queue unreachable, the session ended) is said, not swallowed.
                void api('POST', `/reviews/${review}/duplicates/run`).then(
                  () => setMessage('Deduplication queued.'),
                  (e: unknown) => setMessage(errorText(e)),
                )
              }
            >
              Re-run now
            </button>
          </>
        )}
      </p>
      {message && (
        <p role="status" className="muted">
          {message}
        </p>
      )}
      <section className="card" aria-label="Review queue">
        <h2 style={{ marginTop: 0 }}>
          To review: {queue ? `${queue.total} ${queue.total === 1 ? 'question' : 'questions'}` : '…'}
        </h2>
        {queue && queue.total > 0 && (
          <p className="muted" data-testid="pending-pairs">
            They cover {queue.pendingPairs} compared record {queue.pendingPairs === 1 ? 'pair' : 'pairs'}.
          </p>
        )}
        {current ? (
          <>
            <p>
              <strong>Why:</strong> {current.reason}{' '}
              <span className="muted">(score {current.score.toFixed(2)})</span>
            </p>
            <p data-testid="covers">{coversText(current.covers)}</p>
            {current.all && (
              <p data-testid="covers-all">
                This match is one of {current.all.groups} linked groups, {records(current.all.records)} in all
                ({current.all.pairs} record pairs): the others are listed under the pair, and one answer can
                settle them all.
              </p>
            )}
            <PairView pair={current} />
            {current.all && <OthersView all={current.all} />}
            {canDecide && (
              <p>
                <button type="button" className="primary" disabled={busy} onClick={() => void decide(true)}>
                  Same report <kbd>s</kbd>
                </button>{' '}
                <button type="button" disabled={busy} onClick={() => void decide(false)}>
                  Different <kbd>d</kbd>
                </button>{' '}
                <button
                  type="button"
                  onClick={() => setSkipped((s) => new Set(s).add(`${current.a.id}|${current.b.id}`))}
                >
                  Skip <kbd>n</kbd>
                </button>
                {current.all && (
                  <>
                    {' · For all '}
                    {current.all.records}
                    {' records: '}
                    <button type="button" disabled={busy} onClick={() => void decide(true, true)}>
                      All one report
                    </button>{' '}
                    <button type="button" disabled={busy} onClick={() => void decide(false, true)}>
                      All different reports
                    </button>
                  </>
                )}
              </p>
            )}
          </>
        ) : queue ? (
          <p className="muted">Nothing to review.</p>
        ) : (
          // Not "nothing to review" before the queue has been read.
          <p className="muted">Reading the queue…</p>
        )}
      </section>
      <section className="card" aria-label="Duplicate groups">
        <h2 style={{ marginTop: 0 }}>Groups{groups ? ` (${groups.total.toLocaleString('en')})` : ''}</h2>
        {groups && groups.total > GROUPS_PAGE && (
          <nav className="records-pager" aria-label="Pages of groups">
            <button
              type="button"
              disabled={groupsFrom === 0}
              onClick={() => setGroupsFrom((f) => Math.max(0, f - GROUPS_PAGE))}
            >
              Previous
            </button>
            <span>
              {groupsFrom + 1}–{groupsFrom + groups.groups.length} of {groups.total.toLocaleString('en')}
            </span>
            <button
              type="button"
              disabled={groupsFrom + GROUPS_PAGE >= groups.total}
              onClick={() => setGroupsFrom((f) => f + GROUPS_PAGE)}
            >
              Next
            </button>
          </nav>
        )}
        <table>
          <thead>
            <tr>
              <th>Title (canonical)</th>
              <th>Records</th>
              <th>Sources</th>
              {isLead && <th />}
            </tr>
          </thead>
          <tbody>
            {(groups?.groups ?? []).map((g) => (
              <tr key={g.id}>
                {/* A group is named by its kept record's title (its id is for scripts and the CSV). */}
                <td>
                  <Link to={`/reviews/${review}/records/${g.keptId}`}>{g.canonical.title}</Link>
                </td>
                <td>
                  {g.members.map((m) => (
                    <div key={m.recordId} title={m.reason}>
                      {m.kept ? (
                        <strong>kept</strong>
                      ) : m.byReviewer ? (
                        'joined by a reviewer'
                      ) : (
                        inWords(TIER_WORDS, m.tier)
                      )}{' '}
                      · {m.sourceFile} #{m.sourceIndex}
                    </div>
                  ))}
                </td>
                <td>
                  {Object.entries(g.sources)
                    .map(([s, n]) => `${s}: ${n}`)
                    .join(', ')}
                </td>
                {isLead && (
                  <td>
                    <button type="button" onClick={() => void split(g)}>
                      Split
                    </button>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </main>
  );
}
