import { useState, type FormEvent } from 'react';
import { ApiError, upload } from '../api.ts';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';
import { useAccess } from '../access.tsx';

interface ImportItem {
  importId: string;
  fileName: string;
  format: string | null;
  status: 'pending' | 'complete' | 'failed';
  records: number;
  warnings: string[];
  errors: string[];
  warningCount: number;
  errorCount: number;
  sourceName: string | null;
  searchedOn: string | null;
  recordsReported: number | null;
}
interface Job {
  state: string;
  progress: number;
  message: string | null;
  error: string | null;
}

const KINDS = ['database', 'register', 'website', 'organisation', 'citation', 'other'];
const FORMATS = [
  'auto',
  'ris',
  'medline',
  'pubmed-xml',
  'endnote-xml',
  'wos-plain',
  'wos-tab',
  'csv',
  'bibtex',
];

/** Upload exports (one search per upload, PRISMA-S fields), follow the import job, read its diagnostics. */
export function ImportsPage({ review }: { review: string }) {
  const list = useApi<{ imports: ImportItem[] }>(`/reviews/${review}/imports`, 3000);
  const [file, setFile] = useState<File | null>(null);
  const [form, setForm] = useState({
    source: '',
    kind: 'database',
    platform: '',
    searched: '',
    reported: '',
    limits: '',
    format: 'auto',
    force: false,
  });
  const [sent, setSent] = useState(0);
  const [jobId, setJobId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const job = useApi<{ job: Job }>(jobId ? `/reviews/${review}/jobs/${jobId}` : null, 1000);
  const [open, setOpen] = useState<string | null>(null);
  const canImport = useAccess().can('POST /reviews/:review/imports');

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setMessage(null);
    setJobId(null);
    const q = new URLSearchParams({ fileName: file.name, kind: form.kind });
    for (const k of ['source', 'platform', 'searched', 'reported', 'limits'] as const)
      if (form[k].trim()) q.set(k, form[k].trim());
    if (form.format !== 'auto') q.set('format', form.format);
    if (form.force) q.set('force', 'true');
    try {
      const r = await upload<{ importId: string; jobId: string }>(
        `/reviews/${review}/imports?${q}`,
        file,
        setSent,
      );
      setJobId(r.jobId);
      list.reload();
    } catch (err) {
      const again =
        err instanceof ApiError && err.code === 'DUPLICATE_IMPORT'
          ? ' Tick “Import again even if already imported” to import it anyway.'
          : '';
      setMessage(errorText(err) + again);
    } finally {
      setSent(0);
    }
  };

  const j = job.data?.job;
  const progress = sent > 0 && sent < 1 ? sent : j ? j.progress : 0;
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });

  return (
    <section className="imports">
      <h2>Imports</h2>
      {canImport && (
        <form onSubmit={(e) => void submit(e)} className="import-form" aria-label="Upload an export">
          <label>
            Export file <input type="file" onChange={(e) => setFile(e.target.files?.[0] ?? null)} required />
          </label>
          <label>
            Source <input value={form.source} onChange={set('source')} placeholder="e.g. MEDLINE" />
          </label>
          <label>
            Kind{' '}
            <select value={form.kind} onChange={set('kind')}>
              {KINDS.map((k) => (
                <option key={k}>{k}</option>
              ))}
            </select>
          </label>
          <label>
            Platform <input value={form.platform} onChange={set('platform')} placeholder="e.g. Ovid" />
          </label>
          <label>
            Searched on <input type="date" value={form.searched} onChange={set('searched')} />
          </label>
          <label>
            Records reported <input inputMode="numeric" value={form.reported} onChange={set('reported')} />
          </label>
          <label>
            Limits <input value={form.limits} onChange={set('limits')} />
          </label>
          <label>
            Format{' '}
            <select value={form.format} onChange={set('format')}>
              {FORMATS.map((f) => (
                <option key={f}>{f}</option>
              ))}
            </select>
          </label>
          <label>
            <input
              type="checkbox"
              checked={form.force}
              onChange={(e) => setForm({ ...form, force: e.target.checked })}
            />{' '}
            Import again even if already imported
          </label>
          <button type="submit" disabled={!file}>
            Upload and import
          </button>
        </form>
      )}
      {(sent > 0 || j) && (
        <div className="import-progress">
          <progress max={1} value={progress} aria-label="Import progress" />{' '}
          {sent > 0 && sent < 1
            ? `uploading ${Math.round(sent * 100)}%`
            : j
              ? `${j.state}${j.message ? `: ${j.message}` : ''}`
              : ''}
          {j?.error && <p role="alert">{j.error}</p>}
        </div>
      )}
      {message && <p role="alert">{message}</p>}
      <p>
        Export all records: <a href={`/api/reviews/${review}/records/export?format=ris`}>RIS</a> ·{' '}
        <a href={`/api/reviews/${review}/records/export?format=csv`}>CSV</a>
      </p>
      <table>
        <thead>
          <tr>
            <th>File</th>
            <th>Source</th>
            <th>Searched</th>
            <th>Format</th>
            <th>Status</th>
            <th>Records</th>
            <th>Reported</th>
            <th>Warnings</th>
            <th>Errors</th>
          </tr>
        </thead>
        <tbody>
          {list.data?.imports.map((i) => (
            <tr key={i.importId} onClick={() => setOpen(open === i.importId ? null : i.importId)}>
              <td>{i.fileName}</td>
              <td>{i.sourceName ?? ''}</td>
              <td>{i.searchedOn ?? ''}</td>
              <td>{i.format ?? ''}</td>
              <td>{i.status}</td>
              <td>{i.records}</td>
              <td>{i.recordsReported ?? ''}</td>
              <td>{i.warningCount}</td>
              <td>{i.errorCount}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {open &&
        list.data?.imports
          .filter((i) => i.importId === open)
          .map((i) => (
            <ul key={i.importId} className="diagnostics" aria-label={`Diagnostics of ${i.fileName}`}>
              {[...i.errors, ...i.warnings].map((d, k) => (
                <li key={k}>{d}</li>
              ))}
              {i.warningCount + i.errorCount > i.warnings.length + i.errors.length && (
                <li>… and more (first {i.warnings.length + i.errors.length} shown)</li>
              )}
            </ul>
          ))}
    </section>
  );
}
