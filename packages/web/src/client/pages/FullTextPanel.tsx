import { useState } from 'react';
import { api, upload } from '../api.ts';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';

interface Report {
  report: {
    reportId: string;
    state: 'awaiting' | 'retrieved' | 'not-retrieved';
    sources: (
      { kind: 'file'; blobId: string; fileName: string; mediaType: string } | { kind: 'url'; url: string }
    )[];
    studyLabel: string | null;
    otherReports: { reportId: string; title: string }[];
  };
}

/** The report's full text beside the form: attached file (PDF inline), URL, or "not retrieved". */
export function FullTextPanel({ review, reportId }: { review: string; reportId: string }) {
  const path = `/reviews/${review}/reports/${reportId}`;
  const { data, reload } = useApi<Report>(path);
  const [url, setUrl] = useState('');
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string | null>(null);
  const run = async (p: Promise<unknown>) => {
    try {
      setError(null);
      await p;
      reload();
    } catch (e) {
      setError(errorText(e));
    }
  };
  const file = data?.report.sources.find((s) => s.kind === 'file');
  const link = data?.report.sources.find((s) => s.kind === 'url');
  return (
    <div className="fulltext" data-testid="fulltext-panel">
      <p className="muted">
        Report retrieval: <strong data-testid="retrieval-state">{data?.report.state ?? '…'}</strong>
        {data?.report.studyLabel ? ` · study: ${data.report.studyLabel}` : ''}
        {data && data.report.otherReports.length > 0
          ? ` · ${data.report.otherReports.length} other report(s) of this study`
          : ''}
      </p>
      {file &&
        file.kind === 'file' &&
        // Only a checked PDF is shown inline; a file stored before uploads were limited to PDFs
        // is offered as a download (the server sends it as one anyway).
        (file.mediaType === 'application/pdf' ? (
          <iframe className="fulltext-pdf" title={file.fileName} src={`/api${path}/files/${file.blobId}`} />
        ) : (
          <p>
            <a href={`/api${path}/files/${file.blobId}`} download>
              Download {file.fileName}
            </a>
          </p>
        ))}
      {link && link.kind === 'url' && (
        <p>
          <a href={link.url} target="_blank" rel="noreferrer noopener">
            {link.url}
          </a>
        </p>
      )}
      {error && <p className="error">{error}</p>}
      <div className="fulltext-actions">
        <label>
          Attach PDF{' '}
          <input
            type="file"
            accept=".pdf,application/pdf"
            onChange={(e) => {
              const f = e.target.files?.[0];
              if (f) void run(upload(`${path}/file?fileName=${encodeURIComponent(f.name)}`, f));
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
            placeholder="https://… (where the full text is)"
            value={url}
            onChange={(e) => setUrl(e.target.value)}
          />
          <button type="submit">Record URL</button>
        </form>
        <form
          onSubmit={(e) => {
            e.preventDefault();
            void run(api('POST', `${path}/not-retrieved`, { reason }));
          }}
        >
          <input
            placeholder="Why it could not be retrieved"
            value={reason}
            onChange={(e) => setReason(e.target.value)}
          />
          <button type="submit">Not retrieved</button>
        </form>
      </div>
    </div>
  );
}
