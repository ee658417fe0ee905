import { Link } from '../router.tsx';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';
import { kindName } from '../import-words.ts';

interface SearchRow {
  searchId: string;
  source: string;
  kind: string;
  platform: string;
  date: string;
  strategy: string;
  limits: string;
  recordsReported: number | null;
  recordsImported: number;
}

/** PRISMA-S: what was searched, where, when and how, and how many records each search gave. */
export function PrismaSearchesPage({ review }: { review: string }) {
  const { data, error } = useApi<{ searches: SearchRow[] }>(`/reviews/${review}/prisma/searches`);
  return (
    <main>
      <p>
        <Link to={`/reviews/${review}/prisma`}>← PRISMA diagram</Link>
      </p>
      <h1>Search summary (PRISMA-S)</h1>
      <p>
        <a href={`/api/reviews/${review}/prisma/searches?format=csv`}>Download CSV</a>
      </p>
      {error && <p className="error">{errorText(error)}</p>}
      <table>
        <thead>
          <tr>
            <th>Source</th>
            <th>Kind</th>
            <th>Platform</th>
            <th>Date searched</th>
            <th>Search strategy</th>
            <th>Limits</th>
            <th>Records reported</th>
            <th>Records imported</th>
          </tr>
        </thead>
        <tbody>
          {data?.searches.map((s) => (
            <tr key={s.searchId}>
              <td>{s.source}</td>
              <td>{kindName(s.kind)}</td>
              <td>{s.platform}</td>
              <td>{s.date}</td>
              <td>
                <pre style={{ whiteSpace: 'pre-wrap', margin: 0 }}>{s.strategy}</pre>
              </td>
              <td>{s.limits}</td>
              <td
                className={
                  s.recordsReported !== null && s.recordsReported !== s.recordsImported ? 'error' : ''
                }
              >
                {s.recordsReported ?? '–'}
              </td>
              <td>{s.recordsImported}</td>
            </tr>
          ))}
          {data && data.searches.length === 0 && (
            <tr>
              <td colSpan={8} className="muted">
                No searches yet.
              </td>
            </tr>
          )}
        </tbody>
      </table>
    </main>
  );
}
