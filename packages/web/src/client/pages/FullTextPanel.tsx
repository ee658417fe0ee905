import { useState } from 'react';
import { api, ApiError, upload } from '../api.ts';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';
import { FullTextViewer, type FullTextSource } from './FullTextViewer.tsx';

type Source = FullTextSource;
interface Report {
  report: {
    reportId: string;
    state: 'awaiting' | 'retrieved' | 'not-retrieved';
    notRetrievedReason?: string | null;
    sources: Source[];
    studyLabel: string | null;
    otherReports: { reportId: string; title: string }[];
  };
}

/** Where the report's full text stands, in words (never the stored state's code). */
export function retrievalWords(report: Report['report']): string {
  if (report.state === 'not-retrieved')
    return report.notRetrievedReason ? `Not retrieved: ${report.notRetrievedReason}` : 'Not retrieved';
  if (report.state === 'awaiting') return 'Not found yet';
  const file = report.sources.some((s) => s.kind === 'file');
  const link = report.sources.some((s) => s.kind === 'url');
  return file && link ? 'PDF attached and link recorded' : file ? 'PDF attached' : 'Link recorded';
}

/**
 * The report's full text beside the form: attached file (PDF inline), URL, or "not retrieved".
 * The page renders one panel per report (keyed by its id), so a new record starts with an empty
 * form; answers are used only when they are about this panel's report.
 */
export function FullTextPanel({
  review,
  reportId,
  onNotRetrieved,
  onChanged,
  shortcutKeys = true,
}: {
  review: string;
  reportId: string;
  /** The report was marked not retrieved from here (with this reason). */
  onNotRetrieved: (reason: string) => void;
  /** A PDF or link was recorded, or the report marked not retrieved, from here. */
  onChanged?: () => void;
  /** The page has shortcut keys (screening): the viewer says they stay with it. */
  shortcutKeys?: boolean;
}) {
  const path = `/reviews/${review}/reports/${reportId}`;
  const { data: fetched, reload } = useApi<Report>(path);
  const data = fetched?.report.reportId === reportId ? fetched.report : undefined;
  const [url, setUrl] = useState('');
  const [reason, setReason] = useState('');
  /** Marking not retrieved would set this attached PDF aside: asked first. */
  const [confirming, setConfirming] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const run = async (p: Promise<unknown>) => {
    try {
      setError(null);
      await p;
      reload();
      onChanged?.();
      return true;
    } catch (e) {
      setError(errorText(e));
      return false;
    }
  };
  const markNotRetrieved = async (confirm: boolean) => {
    const why = reason.trim();
    try {
      setError(null);
      await api('POST', `${path}/not-retrieved`, { reason: why, ...(confirm ? { confirm: true } : {}) });
      setConfirming(null);
      onNotRetrieved(why);
      onChanged?.();
      // Still on screen when the record is a vote being revisited: it then reads "Not retrieved".
      reload();
    } catch (e) {
      // A PDF attached meanwhile by someone else: ask, as for one shown here.
      if (e instanceof ApiError && e.status === 409 && !confirm) reload();
      setError(errorText(e));
    }
  };
  const file = data?.sources.find((s) => s.kind === 'file');
  return (
    <div className="fulltext" data-testid="fulltext-panel" data-report-id={reportId}>
      <p className="muted">
        Full text: <strong data-testid="retrieval-state">{data ? retrievalWords(data) : 'Loading…'}</strong>
        {data?.studyLabel ? ` · study: ${data.studyLabel}` : ''}
        {data && data.otherReports.length > 0
          ? ` · ${data.otherReports.length} other report${data.otherReports.length === 1 ? '' : 's'} of this study`
          : ''}
      </p>
      <FullTextViewer
        review={review}
        reportId={reportId}
        sources={data?.sources ?? []}
        shortcutKeys={shortcutKeys}
      />
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <div className="fulltext-actions">
        <label>
          Attach PDF{' '}
          <input
            type="file"
            accept=".pdf,application/pdf"
            onChange={(e) => {
              const input = e.target;
              const f = input.files?.[0];
              if (!f) return;
              void run(upload(`${path}/file?fileName=${encodeURIComponent(f.name)}`, f)).then((ok) => {
                // Attached: the form is ready for another file (the report shows this one).
                if (ok) input.value = '';
              });
            }}
          />
        </label>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(api('POST', `${path}/url`, { url }));
          }}
        >
          <input
            aria-label="Where the full text is"
            placeholder="https://… (where the full text is)"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
          <button type="submit">Record URL</button>
        </form>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            if (!reason.trim()) {
              setError('Say why the full text could not be retrieved.');
              return;
            }
            if (file && file.kind === 'file') setConfirming(file.fileName);
            else void markNotRetrieved(false);
          }}
        >
          <input
            aria-label="Why it could not be retrieved"
            placeholder="Why it could not be retrieved"
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              setConfirming(null);
            }}
          />
          <button type="submit">Not retrieved</button>
        </form>
        {confirming && (
          <div
            className="notice"
            role="alertdialog"
            aria-label="Mark not retrieved?"
            data-testid="confirm-not-retrieved"
          >
            <p>
              {confirming} is attached to this report. Marking the report not retrieved sets that PDF aside
              and takes the record out of full-text assessment for every reviewer. Mark it not retrieved
              anyway?
            </p>
            <button type="button" onClick={() => void markNotRetrieved(true)}>
              Mark not retrieved
            </button>{' '}
            <button type="button" onClick={() => setConfirming(null)}>
              Keep the PDF
            </button>
          </div>
        )}
      </div>
    </div>
  );
}
