import { jobLabel, jobState } from '../job-words.ts';
import { useApi } from '../use-api.ts';
import { StageHoldCard } from './StageHoldCard.tsx';

interface Job {
  id: string;
  name: string;
  state: string;
  progress: number;
  message: string | null;
  error: string | null;
  createdAt: string;
}

type Status = { review: string } & Record<string, unknown>;

/** Headings for the groups of GET /status; a group without one falls back to its key in words. */
const GROUP_TITLES: Record<string, string> = {
  identification: 'Identification',
  duplicates: 'Duplicates',
  screeningTitleAbstract: 'Title/abstract screening',
  screeningFullText: 'Full-text assessment',
  extraction: 'Extraction',
};

function words(key: string): string {
  return key
    .replace(/([A-Z])/g, ' $1')
    .replace(/-/g, ' ')
    .toLowerCase();
}

function StatGroup({ group, values }: { group: string; values: Record<string, unknown> }) {
  const title = GROUP_TITLES[group] ?? words(group);
  const entries = Object.entries(values).filter(([, v]) => typeof v === 'number');
  if (entries.length === 0) return null;
  return (
    <section className="card">
      <h2 style={{ marginTop: 0 }}>{title}</h2>
      <div className="grid">
        {entries.map(([k, v]) => (
          <div className="stat" key={k} data-stat={`${group}.${k}`}>
            <div className="n">{String(v)}</div>
            <div className="label">{words(k)}</div>
          </div>
        ))}
      </div>
    </section>
  );
}

export function DashboardPage({ review }: { review: string }) {
  const { data: info } = useApi<{ review: { title: string; description: string }; roles: string[] }>(
    `/reviews/${review}`,
  );
  const { data: status } = useApi<Status>(`/reviews/${review}/status`, 3000);
  const { data: jobs } = useApi<{ jobs: Job[] }>(`/reviews/${review}/jobs`, 1000);
  const running =
    jobs?.jobs.filter((j) => j.state === 'active' || j.state === 'queued' || j.state === 'retrying') ?? [];
  const recent = jobs?.jobs.slice(0, 8) ?? [];
  return (
    <main>
      <h1>{info?.review.title ?? review}</h1>
      <p className="muted">
        {info?.review.description}
        {info?.review.description && ' · '}
        {info && <>your roles: {info.roles.join(', ')}</>}
      </p>
      {running.length > 0 && (
        <section className="card" aria-label="Running jobs">
          <h2 style={{ marginTop: 0 }}>Running</h2>
          {running.map((j) => (
            <div key={j.id} style={{ marginBottom: '0.6rem' }}>
              <div>
                {jobLabel(j.name)} <span className="muted">{j.message ?? jobState(j.state)}</span>
              </div>
              <div
                className="progress"
                role="progressbar"
                aria-label={jobLabel(j.name)}
                aria-valuenow={Math.round(j.progress * 100)}
                aria-valuemin={0}
                aria-valuemax={100}
              >
                <div style={{ width: `${Math.round(j.progress * 100)}%` }} />
              </div>
            </div>
          ))}
        </section>
      )}
      {info?.roles.includes('lead') && <StageHoldCard review={review} />}
      {status &&
        Object.entries(status)
          .filter(([, v]) => v && typeof v === 'object' && !Array.isArray(v))
          .map(([k, v]) => <StatGroup key={k} group={k} values={v as Record<string, unknown>} />)}
      <section className="card">
        <h2 style={{ marginTop: 0 }}>Recent jobs</h2>
        <table>
          <tbody>
            {recent.map((j) => (
              <tr key={j.id}>
                <td>{jobLabel(j.name)}</td>
                <td>{jobState(j.state)}</td>
                <td className="muted">{j.error ?? j.message ?? ''}</td>
                <td className="muted">{new Date(j.createdAt).toLocaleString()}</td>
              </tr>
            ))}
            {recent.length === 0 && (
              <tr>
                <td className="muted">No jobs yet.</td>
              </tr>
            )}
          </tbody>
        </table>
      </section>
    </main>
  );
}
