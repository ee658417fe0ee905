import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { useApi } from '../use-api.ts';
import { codingAssignmentWords, type CodingAssignmentOutcome } from '../coding-assignment-words.ts';
import { codeLabels, type Codebook, type EmergentCode, type Study } from './extraction-types.ts';
import { errorText } from '../error-text.ts';
import { codingStatusWords } from '../coding-status-words.ts';
import { StudyReports } from './StudyReports.tsx';

interface Agreement {
  version: number;
  fields: Array<{
    field: string;
    label: string;
    method: string;
    studies: number;
    exactMatch: number;
    kappa: number | null;
  }>;
}

const pct = (x: number) => `${Math.round(x * 100)}%`;

/** Where an emergent code was proposed, by the codebook's labels: "Influences › Leadership". */
function placeOf(book: Codebook | undefined, code: EmergentCode): string {
  const field = book?.fields.find((f) => f.key === code.fieldKey)?.label ?? 'a field of an earlier codebook';
  if (!code.parentKey) return field;
  return `${field} › ${(book && codeLabels([book])(code.fieldKey, code.parentKey)) ?? 'a code of its own'}`;
}

/** Coding queue for coders; for leads also assignment, agreement, emergent codes and exports. */
export function ExtractionPage({ review }: { review: string }) {
  const base = `/reviews/${review}/extraction`;
  const { data: info } = useApi<{ roles: string[] }>(`/reviews/${review}`);
  const isLead = info?.roles.includes('lead') ?? false;
  const canSeeAll = isLead || (info?.roles.includes('adjudicator') ?? false);
  const { data, reload } = useApi<{ studies: Study[] }>(`${base}/studies`, 5000);
  const { data: book } = useApi<{
    codebook: Codebook;
    settings: { codersPerStudy: number };
  }>(`${base}/codebook`);
  const { data: agreement } = useApi<Agreement>(canSeeAll ? `${base}/agreement` : null);
  const { data: emergent, reload: reloadEmergent } = useApi<{ codes: EmergentCode[] }>(
    `${base}/emergent-codes`,
  );
  const [message, setMessage] = useState<string | null>(null);
  // What joining or separating did, said in the row the lead will look at next.
  const [rowNote, setRowNote] = useState<{ studyId: string; text: string } | null>(null);
  const [assignJob, setAssignJob] = useState<string | null>(null);
  const { data: job } = useApi<{
    job: { state: string; failedReason?: string | null; result?: CodingAssignmentOutcome | null };
  }>(assignJob ? `/reviews/${review}/jobs/${assignJob}` : null, 1000);
  const jobState = job?.job.state;
  const jobResult = job?.job.result;
  useEffect(() => {
    if (jobState === 'completed') {
      setAssignJob(null);
      setMessage(jobResult ? codingAssignmentWords(jobResult) : 'Assigning studies to coders finished.');
      reload();
    } else if (jobState === 'failed') {
      setAssignJob(null);
      setMessage(
        'Assigning studies failed. Try again; if it keeps failing, see Recent jobs on the dashboard.',
      );
    }
  }, [jobState, jobResult, reload]);
  const [multi, setMulti] = useState<'binary' | 'joined'>('binary');

  const run = async (f: () => Promise<string>) => {
    try {
      setMessage(await f());
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  const assign = () =>
    run(async () => {
      const { jobId } = await api<{ jobId: string }>('POST', `${base}/assign`);
      setAssignJob(jobId);
      return 'Assigning included studies to coders…';
    });
  const makeStudies = () =>
    run(async () => {
      const { newStudies } = await api<{ newStudies: number }>('POST', `${base}/studies`);
      reload();
      return newStudies === 0
        ? 'No new studies: every report included at full text is already part of a study.'
        : `${newStudies} new ${newStudies === 1 ? 'study' : 'studies'}, not yet given to coders. Join the reports of one study (“Same study as…”) before you assign them.`;
    });
  const decide = (id: string, approve: boolean) =>
    run(async () => {
      const r = await api<{ version: number }>(
        'POST',
        `${base}/emergent-codes/decide`,
        approve ? { approve: [id] } : { reject: [id] },
      );
      reloadEmergent();
      return approve ? `Approved into codebook version ${r.version}` : 'Rejected';
    });

  const exportHref = (format: string, table: string) =>
    `/api${base}/export?format=${format}&table=${table}&multi=${multi}`;
  return (
    <main className="extraction">
      <h1>Extraction</h1>
      {book && (
        <p className="muted">
          Codebook “{book.codebook.name}” v{book.codebook.version} · {book.settings.codersPerStudy}{' '}
          {book.settings.codersPerStudy === 1 ? 'coder' : 'coders'} per study ·{' '}
          <a href={`/api${base}/codebook.json`}>codebook JSON</a>
        </p>
      )}
      {message && <p role="status">{message}</p>}
      {isLead && (
        <section className="card">
          <button type="button" onClick={assign}>
            Assign included studies to coders
          </button>{' '}
          <button type="button" onClick={makeStudies}>
            Make studies of included reports
          </button>
          <p className="muted">
            A study can have several reports (a protocol and its results, say). Make the studies first, join
            the reports of one study, then assign them, so no one codes one study twice.
          </p>
        </section>
      )}
      <section className="card">
        <h2>{canSeeAll ? 'Included studies' : 'Your coding queue'}</h2>
        <table className="studies" aria-busy={data === undefined} data-loaded={data ? 'true' : 'false'}>
          <thead>
            <tr>
              <th>#</th>
              <th>Study</th>
              <th>{canSeeAll ? 'Coded' : 'Status'}</th>
              {canSeeAll && <th>Consensus</th>}
            </tr>
          </thead>
          <tbody>
            {data?.studies.map((s) => (
              <tr key={s.id} data-study={s.number}>
                <td>{s.number}</td>
                <td>
                  <Link to={`/reviews/${review}/extraction/${s.id}`}>{s.citation || s.label}</Link>
                  {/* A coder reads each report of the study: the queue says there are several. */}
                  {!isLead && s.reports.length > 1 && (
                    <span className="muted"> · {s.reports.length} reports</span>
                  )}
                  {isLead && data && (
                    <StudyReports
                      review={review}
                      study={s}
                      studies={data.studies}
                      note={rowNote?.studyId === s.id ? rowNote.text : null}
                      onChanged={(text, studyId) => {
                        setMessage(null);
                        setRowNote({ studyId, text });
                        reload();
                      }}
                    />
                  )}
                </td>
                <td>
                  {canSeeAll
                    ? `${s.progress?.submitted ?? 0}/${s.progress?.assigned ?? 0}`
                    : codingStatusWords(s.myStatus)}
                </td>
                {canSeeAll && (
                  <td>
                    <Link to={`/reviews/${review}/extraction/${s.id}/consensus`}>
                      {s.progress?.consensus ? 'final' : 'open'}
                    </Link>
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
        {data?.studies.length === 0 && (
          <p className="muted" data-testid="no-studies">
            {isLead
              ? // Records included at full text become studies when the lead makes them or assigns them.
                'No studies yet. Records included at full text become studies when you make studies of included reports or assign included studies to coders.'
              : canSeeAll
                ? 'No studies yet: records included at full text become studies when the lead makes studies of them or assigns them to coders.'
                : 'Nothing in your coding queue yet.'}
          </p>
        )}
      </section>
      {emergent && emergent.codes.length > 0 && (
        <section className="card">
          <h2>Emergent codes</h2>
          <ul>
            {emergent.codes.map((c) => (
              <li key={c.id} data-emergent={c.key}>
                {c.label}{' '}
                <span className="muted">
                  ({placeOf(book?.codebook, c)}) · {c.status}
                </span>
                {isLead && c.status === 'proposed' && (
                  <>
                    {' '}
                    <button type="button" onClick={() => decide(c.id, true)}>
                      Approve
                    </button>{' '}
                    <button type="button" onClick={() => decide(c.id, false)}>
                      Reject
                    </button>
                  </>
                )}
              </li>
            ))}
          </ul>
        </section>
      )}
      {agreement && agreement.fields.some((f) => f.studies > 0) && (
        <section className="card">
          <h2>Agreement between coders</h2>
          <table>
            <thead>
              <tr>
                <th>Field</th>
                <th>Studies</th>
                <th>Exact match</th>
                <th>Kappa</th>
              </tr>
            </thead>
            <tbody>
              {agreement.fields.map((f) => (
                <tr key={f.field}>
                  <td>{f.label}</td>
                  <td>{f.studies}</td>
                  <td>{pct(f.exactMatch)}</td>
                  <td>{f.kappa === null ? '–' : f.kappa.toFixed(2)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
      {canSeeAll && (
        <section className="card">
          <h2>Export</h2>
          <label>
            Multi-choice fields as{' '}
            <select value={multi} onChange={(e) => setMulti(e.target.value as 'binary' | 'joined')}>
              <option value="binary">0/1 columns</option>
              <option value="joined">joined labels</option>
            </select>
          </label>
          <p>
            <a href={exportHref('xlsx', 'all')} download data-export="xlsx">
              All tables (XLSX)
            </a>{' '}
            · <a href={exportHref('csv', 'wide')}>Wide (CSV)</a> ·{' '}
            <a href={exportHref('csv', 'long')}>Long (CSV)</a> ·{' '}
            <a href={exportHref('csv', 'profile')}>Profile tables (CSV)</a> ·{' '}
            <a href={exportHref('json', 'all')}>JSON</a>
          </p>
        </section>
      )}
    </main>
  );
}
