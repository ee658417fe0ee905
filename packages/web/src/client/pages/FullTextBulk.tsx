import { useEffect, useState } from 'react';
import { useAccess } from '../access.tsx';
import { api, upload } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';

interface ReportRef {
  reportId: string;
  title: string;
  year: number | null;
}
interface BatchFile {
  position: number;
  fileName: string;
  outcome: 'pending' | 'attached' | 'ambiguous' | 'unmatched' | 'duplicate' | 'failed';
  matchedBy: 'doi' | 'pmid' | 'title' | 'lead' | null;
  report: ReportRef | null;
  candidates: (ReportRef & { matchedBy: string; score: number })[];
  message: string | null;
}
interface Batch {
  batchId: string;
  status: 'open' | 'matching' | 'done';
  files: BatchFile[];
}
interface Job {
  job: { state: string; progress: number; message: string | null; error: string | null };
}

const BY: Record<string, string> = {
  doi: 'by DOI',
  pmid: 'by PubMed id',
  title: 'by title and year',
  lead: 'picked by hand',
};

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Bulk upload of full texts on the full-text page: drop PDFs (or a zip), they are matched to the
 * reports sought for retrieval by a queued job, and the files it could not place wait in a
 * "match these" list with their candidate reports side by side for the lead to pick.
 */
export function FullTextBulk({ review }: { review: string }) {
  const access = useAccess();
  const base = `/reviews/${review}/fulltext/batches`;
  const canUpload = access.can('POST /reviews/:review/fulltext/batches');
  const canPick = access.can('POST /reviews/:review/fulltext/batches/:batchId/files/:position/attach');
  const { data: latest } = useApi<{ batches: { batchId: string; waiting: number }[] }>(base);
  const [batchId, setBatchId] = useState<string | null>(null);
  const [jobId, setJobId] = useState<string | null>(null);
  const [sending, setSending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  // The latest upload whose files still wait for a match (or found none) is shown when the page opens.
  useEffect(() => {
    if (batchId || !latest) return;
    const waiting = latest.batches.find((b) => b.waiting > 0);
    if (waiting) setBatchId(waiting.batchId);
  }, [latest, batchId]);
  const { data: job } = useApi<Job>(jobId ? `/reviews/${review}/jobs/${jobId}` : null, 500);
  const running = !!jobId && !!job && job.job.state !== 'completed' && job.job.state !== 'failed';
  const { data: batchData, reload } = useApi<{ batch: Batch }>(
    batchId && !running ? `${base}/${batchId}` : null,
  );
  const batch = batchData?.batch.batchId === batchId ? batchData.batch : undefined;

  const send = async (files: File[]) => {
    if (files.length === 0) return;
    setError(null);
    try {
      const { batchId: id } = await api<{ batchId: string }>('POST', base);
      for (const [i, f] of files.entries()) {
        setSending(`Uploading ${f.name} (${i + 1} of ${files.length})…`);
        await upload(`${base}/${id}/files?fileName=${encodeURIComponent(f.name)}`, f);
      }
      setSending('Matching the files to reports…');
      const { jobId: j } = await api<{ jobId: string }>('POST', `${base}/${id}/match`);
      setBatchId(id);
      setJobId(j);
    } catch (e) {
      setError(errorText(e));
    } finally {
      setSending(null);
    }
  };
  const pick = async (file: BatchFile, reportId: string) => {
    setError(null);
    try {
      await api('POST', `${base}/${batchId}/files/${file.position}/attach`, { reportId });
      reload();
    } catch (e) {
      setError(errorText(e));
    }
  };

  const of = (o: BatchFile['outcome']) => batch?.files.filter((f) => f.outcome === o) ?? [];
  const [attached, ambiguous, unmatched, duplicates, failed] = (
    ['attached', 'ambiguous', 'unmatched', 'duplicate', 'failed'] as const
  ).map(of) as [BatchFile[], BatchFile[], BatchFile[], BatchFile[], BatchFile[]];

  if (!canUpload && !batch) return null;
  return (
    <section className="card fulltext-bulk" aria-labelledby="bulk-head" data-testid="fulltext-bulk">
      <h2 id="bulk-head">Full texts in bulk</h2>
      {canUpload && (
        <label
          className={`drop-zone${dragging ? ' dragging' : ''}`}
          data-testid="drop-zone"
          onDragOver={(e) => {
            e.preventDefault();
            setDragging(true);
          }}
          onDragLeave={() => setDragging(false)}
          onDrop={(e) => {
            e.preventDefault();
            setDragging(false);
            void send([...e.dataTransfer.files]);
          }}
        >
          Drop PDFs or a zip of PDFs here, or choose them:{' '}
          <input
            type="file"
            name="bulk-files"
            multiple
            accept=".pdf,.zip,application/pdf,application/zip"
            disabled={!!sending || running}
            onChange={(e) => {
              const input = e.target;
              void send([...(input.files ?? [])]).then(() => (input.value = ''));
            }}
          />
          <span className="muted small">
            Each file is matched to a report waiting for its full text: by DOI, then PubMed id, then title and
            year.
          </span>
        </label>
      )}
      {sending && <p role="status">{sending}</p>}
      {running && job && (
        <p role="status" data-testid="bulk-progress">
          Matching: {job.job.message ?? 'waiting to start'} ({Math.round(job.job.progress * 100)}%)
        </p>
      )}
      {job?.job.state === 'failed' && (
        <p className="error" role="alert">
          Matching stopped: {job.job.error}
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      {batch && (
        <div data-testid="bulk-result" data-status={batch.status}>
          <p data-testid="bulk-summary">
            {plural(attached.length, 'file')} attached · {ambiguous.length} to match · {unmatched.length}{' '}
            unmatched · {plural(duplicates.length, 'duplicate')} · {failed.length} could not be read
          </p>
          {ambiguous.length > 0 && (
            <>
              <h3>Match these</h3>
              <ul className="match-list">
                {ambiguous.map((f) => (
                  <li key={f.position} data-testid="match-file" data-file={f.fileName}>
                    <p>
                      <strong>{f.fileName}</strong> {f.message && <span className="muted">{f.message}</span>}
                    </p>
                    <div className="candidates">
                      {f.candidates.map((c) => (
                        <div key={c.reportId} className="candidate" data-testid="candidate">
                          <p>{c.title}</p>
                          <p className="muted small">
                            {c.year ?? 'no year'} ·{' '}
                            {c.matchedBy === 'title'
                              ? `title ${Math.round(c.score * 100)}% alike`
                              : BY[c.matchedBy]}
                          </p>
                          {canPick && (
                            <button type="button" onClick={() => void pick(f, c.reportId)}>
                              Attach to this report
                            </button>
                          )}
                        </div>
                      ))}
                    </div>
                  </li>
                ))}
              </ul>
              {access.loaded && !canPick && (
                <p className="muted">The lead picks the report for each of these files.</p>
              )}
            </>
          )}
          {unmatched.length > 0 && (
            <>
              <h3>No report found for</h3>
              <p className="muted small">
                Attach each of these from its record&rsquo;s page (Full text) or the full-text screening page;
                a file that is no report of this review can be left here.
              </p>
              <ul data-testid="unmatched">
                {unmatched.map((f) => (
                  <li key={f.position}>{f.fileName}</li>
                ))}
              </ul>
            </>
          )}
          {duplicates.length > 0 && (
            <>
              <h3>Already attached (same file)</h3>
              <ul data-testid="duplicates">
                {duplicates.map((f) => (
                  <li key={f.position}>{f.fileName}</li>
                ))}
              </ul>
            </>
          )}
          {failed.length > 0 && (
            <>
              <h3>Could not be read</h3>
              <ul data-testid="failed">
                {failed.map((f) => (
                  <li key={f.position}>
                    {f.fileName}: {f.message}
                  </li>
                ))}
              </ul>
            </>
          )}
          {attached.length > 0 && (
            <details>
              <summary>Attached ({attached.length})</summary>
              <ul data-testid="attached">
                {attached.map((f) => (
                  <li key={f.position}>
                    {f.fileName} → {f.report?.title} ({f.matchedBy ? BY[f.matchedBy] : ''})
                  </li>
                ))}
              </ul>
            </details>
          )}
        </div>
      )}
    </section>
  );
}
