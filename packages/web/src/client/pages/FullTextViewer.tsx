import { useApi } from '../use-api.ts';

export type FullTextSource =
  { kind: 'file'; blobId: string; fileName: string; mediaType: string } | { kind: 'url'; url: string };

/**
 * A report's full text as the pages show it: an attached PDF in Chromium's viewer (the file route sends
 * it with a sandbox CSP), another file as a download, a recorded link. One viewer for the screening,
 * record and conflicts pages.
 */
export function FullTextViewer({
  review,
  reportId,
  sources,
  shortcutKeys = true,
}: {
  review: string;
  reportId: string;
  sources: readonly FullTextSource[];
  /** The page has shortcut keys (screening, conflicts): say they stay with it. */
  shortcutKeys?: boolean;
}) {
  const path = `/reviews/${review}/reports/${reportId}`;
  const file = sources.find((s) => s.kind === 'file');
  const link = sources.find((s) => s.kind === 'url');
  const pdf = file?.kind === 'file' && file.mediaType === 'application/pdf' ? file : undefined;
  const { data: text } = useApi<{ status: string; message: string | null }>(
    pdf ? `${path}/files/${pdf.blobId}/text?pages=false` : null,
  );
  return (
    <>
      {file &&
        file.kind === 'file' &&
        // Only a checked PDF is shown inline; a file stored before uploads were limited to PDFs
        // is offered as a download (the server sends it as one anyway).
        (file.mediaType === 'application/pdf' ? (
          <>
            <iframe className="fulltext-pdf" title={file.fileName} src={`/api${path}/files/${file.blobId}`} />
            {text && (text.status === 'no-text-layer' || text.status === 'failed') && (
              <p className="notice" data-testid="pdf-text-status" data-status={text.status}>
                {text.message}
              </p>
            )}
            <p className="muted small">
              {shortcutKeys ? 'The shortcut keys stay with the page while you scroll the PDF. ' : ''}
              <a href={`/api${path}/files/${file.blobId}`} target="_blank" rel="noreferrer noopener">
                Open {file.fileName} in a new tab
              </a>{' '}
              to search or copy its text.
            </p>
          </>
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
    </>
  );
}

/** The report's full text fetched by its id: where it stands in words, then the viewer. */
export function ReportFullText({
  review,
  reportId,
  shortcutKeys = true,
}: {
  review: string;
  reportId: string;
  shortcutKeys?: boolean;
}) {
  const { data, error } = useApi<{
    report: {
      reportId: string;
      state: 'awaiting' | 'retrieved' | 'not-retrieved';
      notRetrievedReason?: string | null;
      sources: FullTextSource[];
    };
  }>(`/reviews/${review}/reports/${reportId}`);
  const report = data?.report.reportId === reportId ? data.report : undefined;
  if (error) return <p className="error">The full text could not be loaded.</p>;
  if (!report) return <p className="muted">Loading the full text…</p>;
  if (report.state === 'not-retrieved')
    return (
      <p data-testid="fulltext-state">
        {report.notRetrievedReason
          ? `Not retrieved: ${report.notRetrievedReason}`
          : 'The full text was sought but not retrieved.'}
      </p>
    );
  if (report.sources.length === 0) return <p data-testid="fulltext-state">No full text attached yet.</p>;
  return (
    <div className="fulltext" data-testid="fulltext-viewer" data-report-id={reportId}>
      <FullTextViewer
        review={review}
        reportId={reportId}
        sources={report.sources}
        shortcutKeys={shortcutKeys}
      />
    </div>
  );
}
