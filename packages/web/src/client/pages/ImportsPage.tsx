import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, upload } from '../api.ts';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';
import { useAccess } from '../access.tsx';
import { AddRecordForm } from './AddRecordForm.tsx';
import { ImportSearchForm, SearchFields, type SearchOfImport } from './ImportSearchForm.tsx';
import { FORMAT_OPTIONS, formatName } from '../import-words.ts';

interface ImportItem {
  importId: string;
  fileName: string;
  format: string | null;
  /** A record added by hand: no file was uploaded (its format is the server's own). */
  byHand: boolean;
  status: 'pending' | 'complete' | 'failed';
  records: number;
  warnings: string[];
  errors: string[];
  warningCount: number;
  errorCount: number;
  /** Damaged records in the file: skipped, and kept with what could be read of them. */
  recordsSkipped: number;
  recordsRepaired: number;
  sourceName: string | null;
  searchedOn: string | null;
  recordsReported: number | null;
  searchId: string | null;
  search: SearchOfImport['search'] | null;
}
interface Job {
  state: string;
  progress: number;
  message: string | null;
  error: string | null;
}

/** An import's status as a person reads it. */
const STATUS_WORDS: Record<ImportItem['status'], string> = {
  pending: 'Importing…',
  complete: 'Imported',
  failed: 'Failed',
};

/** `2 damaged records skipped, 1 repaired` */
function damageWords(i: ImportItem): string {
  const n = (k: number): string => `${k} damaged record${k === 1 ? '' : 's'}`;
  const parts: string[] = [];
  if (i.recordsSkipped) parts.push(`${n(i.recordsSkipped)} skipped`);
  if (i.recordsRepaired)
    parts.push(parts.length ? `${i.recordsRepaired} repaired` : `${n(i.recordsRepaired)} repaired`);
  return parts.join(', ');
}

/** The job's state while the import row is still pending (the queue's words are not for people). */
function jobWords(j: Job): string {
  const what =
    j.state === 'waiting' || j.state === 'delayed' || j.state === 'prioritized'
      ? 'Waiting to start'
      : // An ended job waits for the list to be read again: the row, not the job, says how it went.
        'Importing';
  return j.message ? `${what}: ${j.message}` : what;
}

/** An import's error without the file name it starts with, for a sentence that names the file already. */
function withoutFileName(error: string, fileName: string): string {
  return error.startsWith(`${fileName}: `) ? error.slice(fileName.length + 2) : error;
}

const EMPTY_FORM = {
  source: '',
  kind: 'database',
  platform: '',
  searched: '',
  reported: '',
  limits: '',
  strategy: '',
  format: 'auto',
  force: false,
};

/** Upload exports (one search per upload, PRISMA-S fields), follow the import job, read its diagnostics. */
export function ImportsPage({ review }: { review: string }) {
  const list = useApi<{ imports: ImportItem[] }>(`/reviews/${review}/imports`, 3000);
  const [file, setFile] = useState<File | null>(null);
  const [form, setForm] = useState(EMPTY_FORM);
  const fileInput = useRef<HTMLInputElement>(null);
  const [sent, setSent] = useState(0);
  const [jobId, setJobId] = useState<string | null>(null);
  const [importId, setImportId] = useState<string | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const job = useApi<{ job: Job }>(jobId ? `/reviews/${review}/jobs/${jobId}` : null, 1000);
  const [open, setOpen] = useState<string | null>(null);
  const toggle = (id: string) => setOpen((was) => (was === id ? null : id));
  const canImport = useAccess().can('POST /reviews/:review/imports');
  const canAddRecord = useAccess().can('POST /reviews/:review/records');
  const canEditSearch = useAccess().can('PATCH /reviews/:review/searches/:searchId');
  // An import's details open under the table: brought to the top of the window (its warnings, then
  // its search's details under them), or the click seems to do nothing.
  useEffect(() => {
    if (open) document.getElementById(`diagnostics-${open}`)?.scrollIntoView({ block: 'start' });
  }, [open]);

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (!file) return;
    setMessage(null);
    setJobId(null);
    setImportId(null);
    const q = new URLSearchParams({ fileName: file.name, kind: form.kind });
    for (const k of ['source', 'platform', 'searched', 'reported', 'limits'] as const)
      if (form[k].trim()) q.set(k, form[k].trim());
    if (form.format !== 'auto') q.set('format', form.format);
    if (form.force) q.set('force', 'true');
    try {
      const r = await upload<{ importId: string; jobId: string; searchId: string | null }>(
        `/reviews/${review}/imports?${q}`,
        file,
        setSent,
      );
      setJobId(r.jobId);
      setImportId(r.importId);
      // The strategy goes in the request's body, not its address: one can run to pages.
      const strategy = form.strategy.trim();
      if (strategy && r.searchId)
        await api('PATCH', `/reviews/${review}/searches/${r.searchId}`, { strategy }).catch((err: unknown) =>
          setMessage(`The file is importing, but its search strategy was not saved: ${errorText(err)}`),
        );
      list.reload();
      // The next upload is another search: nothing of this one's file or details carries over.
      setForm(EMPTY_FORM);
      setFile(null);
      if (fileInput.current) fileInput.current.value = '';
    } catch (err) {
      const again =
        err instanceof ApiError && err.code === 'DUPLICATE_IMPORT'
          ? ' Tick “Import again even if already imported” to import it anyway.'
          : '';
      const said = errorText(err);
      setMessage(again && !/[.!?]$/.test(said) ? `${said}.${again}` : said + again);
    } finally {
      setSent(0);
    }
  };

  // The last upload's job, not an earlier one: a refused upload has none (useApi keeps what it read
  // last when its path goes), and the page said "Importing" beside the refusal.
  const j = jobId ? job.data?.job : undefined;
  // Once the job ends, the list is read again at once, and the status line follows the list's row:
  // the two never disagree (the row said "pending" while the line said "completed").
  const jobEnded = j?.state === 'completed' || j?.state === 'failed';
  const { reload: reloadList } = list;
  useEffect(() => {
    if (jobEnded) reloadList();
  }, [jobEnded, reloadList]);
  const row = list.data?.imports.find((i) => i.importId === importId);
  const progress = sent > 0 && sent < 1 ? sent : row && row.status !== 'pending' ? 1 : j ? j.progress : 0;
  const statusLine =
    row && row.status !== 'pending'
      ? row.status === 'complete'
        ? `Imported ${row.fileName}: ${row.records} ${row.records === 1 ? 'record' : 'records'}`
        : `${row.fileName} could not be imported: ${row.errors[0] ? withoutFileName(row.errors[0], row.fileName) : 'see its errors below'}`
      : j
        ? jobWords(j)
        : '';
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });

  return (
    <section className="imports">
      <h2>Imports</h2>
      {canImport && (
        <form onSubmit={(e) => void submit(e)} className="import-form" aria-label="Upload an export">
          <label>
            Export file{' '}
            <input
              ref={fileInput}
              type="file"
              onChange={(e) => setFile(e.target.files?.[0] ?? null)}
              required
            />
          </label>
          <SearchFields values={form} set={set} />
          <label className="import-strategy">
            Search strategy (optional){' '}
            <textarea value={form.strategy} onChange={set('strategy')} rows={3} maxLength={100_000} />
          </label>
          <label>
            Format{' '}
            <select value={form.format} onChange={set('format')}>
              {FORMAT_OPTIONS.map((f) => (
                <option key={f} value={f}>
                  {formatName(f)}
                </option>
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
      {canAddRecord && <AddRecordForm review={review} />}
      {(sent > 0 || j) && (
        <div className="import-progress">
          {/* A failed import has no progress to show: only its message. */}
          {row?.status !== 'failed' && (
            <progress max={1} value={progress} aria-label="Import progress" />
          )}{' '}
          <span data-testid="import-status">
            {sent > 0 && sent < 1 ? `Uploading ${Math.round(sent * 100)}%` : statusLine}
          </span>
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
            // The whole row opens the import's diagnostics for the mouse; the file name is the button
            // the keyboard reaches (its click toggles once: it does not reach the row).
            <tr key={i.importId} onClick={() => toggle(i.importId)}>
              <td>
                <button
                  type="button"
                  className="import-file"
                  aria-expanded={open === i.importId}
                  aria-controls={open === i.importId ? `diagnostics-${i.importId}` : undefined}
                  title={`Show the warnings and errors of ${i.fileName}`}
                  onClick={(e) => {
                    e.stopPropagation();
                    toggle(i.importId);
                  }}
                >
                  {i.fileName}
                </button>
              </td>
              <td>{i.sourceName ?? ''}</td>
              <td className="nowrap">{i.searchedOn ?? ''}</td>
              <td>{i.byHand ? 'Added by hand' : formatName(i.format)}</td>
              <td data-status={i.status}>
                {i.status === 'complete' && i.recordsSkipped + i.recordsRepaired > 0 ? (
                  <>
                    Imported with warnings
                    <br />
                    <small data-testid="import-damage">{damageWords(i)}</small>
                  </>
                ) : (
                  STATUS_WORDS[i.status]
                )}
              </td>
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
            <ul
              key={i.importId}
              id={`diagnostics-${i.importId}`}
              className="diagnostics"
              aria-label={`Diagnostics of ${i.fileName}`}
            >
              {[...i.errors, ...i.warnings].map((d, k) => (
                <li key={k}>{d}</li>
              ))}
              {i.errors.length + i.warnings.length === 0 && (
                <li>No warnings or errors{i.status === 'complete' ? '' : ' so far'}.</li>
              )}
              {i.warningCount + i.errorCount > i.warnings.length + i.errors.length && (
                <li>… and more (first {i.warnings.length + i.errors.length} shown)</li>
              )}
            </ul>
          ))}
      {open &&
        canEditSearch &&
        list.data?.imports
          .filter((i) => i.importId === open && i.searchId && i.search)
          .map((i) => (
            <ImportSearchForm
              // A fresh form per import: nothing typed for one carries over to another.
              key={i.importId}
              review={review}
              of={{ ...i, searchId: i.searchId!, search: i.search! }}
              onSaved={list.reload}
            />
          ))}
    </section>
  );
}
