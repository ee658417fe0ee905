import { useEffect, useRef, useState } from 'react';
import { Link } from '../router.tsx';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';

interface Item {
  id: string;
  kind: 'record' | 'report' | 'study';
  title: string;
  /** The record whose page tells the item's history in words. */
  recordId: string | null;
}

const KIND_WORDS: Record<Item['kind'], string> = { record: 'Record', report: 'Report', study: 'Study' };

const BOX_LABELS: Record<string, string> = {
  database_results: 'Records identified from databases',
  register_results: 'Records identified from registers',
  website_results: 'Records identified from websites',
  organisation_results: 'Records identified from organisations',
  citations_results: 'Records identified by citation searching',
  other_results: 'Records identified from other sources',
  other_identified: 'Records identified via other methods',
  other_duplicates: 'Other-methods records that duplicate records found elsewhere',
  other_screened_out: 'Other-methods records excluded at title/abstract',
  removed_before_screening: 'Records removed before screening',
  duplicates: 'Duplicate records removed',
  excluded_automatic: 'Records marked as ineligible by automation tools',
  excluded_other: 'Records removed for other reasons',
  records_screened: 'Records screened (with a title/abstract outcome)',
  records_awaiting: 'Records from databases and registers awaiting title/abstract screening (in progress)',
  records_included: 'Records included at title/abstract',
  other_records_awaiting: 'Other-methods records awaiting screening (in progress)',
  dbr_awaiting_retrieval: 'Reports from databases and registers awaiting retrieval (in progress)',
  dbr_awaiting_assessment: 'Reports from databases and registers awaiting full-text assessment (in progress)',
  other_awaiting_retrieval: 'Reports awaiting retrieval (other methods, in progress)',
  other_awaiting_assessment: 'Reports awaiting full-text assessment (other methods, in progress)',
  dbr_included: 'Reports included',
  other_included: 'Reports included (other methods)',
  records_excluded: 'Records excluded',
  records_excluded_human: 'Records excluded by a human',
  records_excluded_automation: 'Records excluded by automation tools',
  dbr_sought_reports: 'Reports sought for retrieval',
  dbr_notretrieved_reports: 'Reports not retrieved',
  dbr_assessed: 'Reports assessed for eligibility',
  dbr_excluded: 'Reports excluded',
  other_sought_reports: 'Reports sought for retrieval (other methods)',
  other_notretrieved_reports: 'Reports not retrieved (other methods)',
  other_assessed: 'Reports assessed for eligibility (other methods)',
  other_excluded: 'Reports excluded (other methods)',
  new_studies: 'New studies included in review',
  new_reports: 'Reports of new included studies',
  total_studies: 'Studies included (new; previous ones are counts only)',
  total_reports: 'Reports included (new; previous ones are counts only)',
};

/** "dbr_excluded:Wrong population" -> "Reports excluded: Wrong population". */
function boxLabel(key: string): string {
  const [head, ...rest] = key.split(':');
  const label = BOX_LABELS[head!] ?? head!.replace(/_/g, ' ');
  if (rest.length === 1 && rest[0] === 'net') return `${label}, going on to retrieval`;
  return rest.length ? `${label}: ${rest.join(':')}` : label;
}

/**
 * The records, reports or studies behind one box of the diagram, each with its events. `?item=<id>`
 * (a warning's link) opens the page that holds that item and marks its row.
 */
export function PrismaBoxPage({ review, box }: { review: string; box: string }) {
  const [focus] = useState(() => new URLSearchParams(window.location.search).get('item'));
  // null: the page that holds `focus` (or the first); a number once the user pages.
  const [paged, setPaged] = useState<number | null>(null);
  const page = paged === null && focus ? `around=${encodeURIComponent(focus)}` : `offset=${paged ?? 0}`;
  const { data, error } = useApi<{ key: string; count: number; offset: number; items: Item[] }>(
    `/reviews/${review}/prisma/boxes/${encodeURIComponent(box)}?${page}&limit=200`,
  );
  const offset = data?.offset ?? paged ?? 0;
  const setOffset = (n: number) => setPaged(n);
  return (
    <main>
      <p>
        <Link to={`/reviews/${review}/prisma`}>← PRISMA diagram</Link>
      </p>
      <h1>
        {/* A box the diagram does not have (an old or mistyped link): its key is not a name. */}
        {error ? 'PRISMA box' : boxLabel(box)} {data && <span className="muted">({data.count})</span>}
      </h1>
      {error && <p className="error">{errorText(error)}</p>}
      {!error && (
        <table>
          <thead>
            <tr>
              <th>Kind</th>
              <th>Title</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((it) => (
              <ItemRow key={it.id} review={review} item={it} focused={it.id === focus} />
            ))}
          </tbody>
        </table>
      )}
      {data && data.count > offset + 200 && <button onClick={() => setOffset(offset + 200)}>Next 200</button>}
      {offset > 0 && <button onClick={() => setOffset(Math.max(0, offset - 200))}>Previous 200</button>}
    </main>
  );
}

function ItemRow({ review, item, focused }: { review: string; item: Item; focused: boolean }) {
  const row = useRef<HTMLTableRowElement>(null);
  useEffect(() => {
    if (focused) row.current?.scrollIntoView({ block: 'center' });
  }, [focused]);
  const title = item.title || <span className="muted">Untitled {item.kind}</span>;
  return (
    <tr
      data-item={item.id}
      ref={row}
      aria-current={focused ? 'true' : undefined}
      style={focused ? { background: '#fff4cc', outline: '2px solid #b58100' } : undefined}
    >
      <td>{KIND_WORDS[item.kind]}</td>
      <td>
        {/* Its page holds its fields and its history in words. */}
        {item.recordId ? <Link to={`/reviews/${review}/records/${item.recordId}`}>{title}</Link> : title}
      </td>
    </tr>
  );
}
