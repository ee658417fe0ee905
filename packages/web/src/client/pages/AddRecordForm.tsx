import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { errorText } from '../error-text.ts';
import { Link } from '../router.tsx';

const REPORT_TYPES: [string, string][] = [
  ['report', 'Report'],
  ['web-page', 'Web page'],
  ['guideline', 'Guideline'],
  ['policy-document', 'Policy document'],
  ['conference-paper', 'Conference paper'],
  ['thesis', 'Thesis'],
  ['journal-article', 'Journal article'],
  ['other', 'Other'],
];
const FOUND_VIA: [string, string][] = [
  ['website', 'Website search'],
  ['organisation', 'Organisation'],
  ['citation', 'Citation searching'],
];

/** The server names a refused field in the form's words ("Web address: …"); other errors as they come. */
function fieldMessage(e: unknown): string {
  if (!(e instanceof ApiError) && e instanceof Error) return e.message;
  return errorText(e);
}

const EMPTY = {
  title: '',
  authors: '',
  organisation: '',
  year: '',
  url: '',
  accessed: '',
  reportType: 'report',
  foundVia: 'website',
  foundIn: '',
};

/**
 * Add one record by hand (grey literature, a citation found in a reference list): the server logs it
 * as an import of its own under a search of the kind chosen, so PRISMA counts it in other methods.
 */
export function AddRecordForm({ review }: { review: string }) {
  const [open, setOpen] = useState(false);
  const [form, setForm] = useState(EMPTY);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [added, setAdded] = useState<{ title: string; recordId: string | null } | null>(null);
  // The answer is drawn under the form's last button, often below the fold: brought into view.
  const answer = useRef<HTMLParagraphElement>(null);
  useEffect(() => {
    const el = answer.current;
    if (!(added || error) || !el) return;
    // Only when it is not comfortably on screen already: a visible answer is not moved.
    const { top, bottom } = el.getBoundingClientRect();
    if (top < 0 || bottom > window.innerHeight - 48) el.scrollIntoView({ block: 'center' });
  }, [added, error]);
  const set = (k: keyof typeof EMPTY) => (e: { target: { value: string } }) =>
    setForm({ ...form, [k]: e.target.value });

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setAdded(null);
    try {
      const body = {
        title: form.title,
        authors: form.authors
          .split(/\n|;/)
          .map((a) => a.trim())
          .filter((a) => a !== ''),
        ...(form.organisation.trim() ? { organisation: form.organisation } : {}),
        ...(form.year.trim() ? { year: form.year.trim() } : {}),
        ...(form.url.trim() ? { url: form.url.trim() } : {}),
        ...(form.accessed ? { accessed: form.accessed } : {}),
        reportType: form.reportType,
        foundVia: form.foundVia,
        ...(form.foundIn.trim() ? { foundIn: form.foundIn } : {}),
      };
      const { importId } = await api<{ importId: string }>('POST', `/reviews/${review}/records`, body);
      // The import runs as a job; once it has, the record it made is found by its import.
      let recordId: string | null = null;
      for (let i = 0; i < 150 && recordId === null; i++) {
        const imp = await api<{ status: string }>('GET', `/reviews/${review}/imports/${importId}`);
        if (imp.status === 'failed') throw new Error('The record could not be imported.');
        if (imp.status.startsWith('complete')) {
          const found = await api<{ items: { recordId: string }[] }>(
            'GET',
            `/reviews/${review}/records?source=${importId}&limit=1`,
          );
          recordId = found.items[0]?.recordId ?? null;
          break;
        }
        await new Promise((r) => setTimeout(r, 200));
      }
      setAdded({ title: form.title, recordId });
      setForm(EMPTY);
    } catch (err) {
      setError(fieldMessage(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="card add-record" aria-label="Add a record by hand">
      {!open ? (
        <button type="button" onClick={() => setOpen(true)}>
          Add a record
        </button>
      ) : (
        <form onSubmit={(e) => void submit(e)} className="import-form" aria-label="Add a record">
          <h3 style={{ marginTop: 0 }}>Add a record by hand</h3>
          <p className="muted">
            For a report found on a website, at an organisation or in a reference list. It is logged as a
            search of its own and counted under other methods in PRISMA.
          </p>
          <label>
            Title <input value={form.title} onChange={set('title')} />
          </label>
          <label>
            Authors (one per line) <textarea rows={2} value={form.authors} onChange={set('authors')} />
          </label>
          <label>
            Organisation{' '}
            <input
              value={form.organisation}
              onChange={set('organisation')}
              placeholder="e.g. The King’s Fund"
            />
          </label>
          <label>
            Year <input inputMode="numeric" value={form.year} onChange={set('year')} />
          </label>
          <label>
            Web address <input value={form.url} onChange={set('url')} placeholder="https://" />
          </label>
          <label>
            Date accessed <input type="date" value={form.accessed} onChange={set('accessed')} />
          </label>
          <label>
            Report type{' '}
            <select value={form.reportType} onChange={set('reportType')}>
              {REPORT_TYPES.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label>
            Where it was found{' '}
            <select value={form.foundVia} onChange={set('foundVia')}>
              {FOUND_VIA.map(([v, l]) => (
                <option key={v} value={v}>
                  {l}
                </option>
              ))}
            </select>
          </label>
          <label>
            Found in{' '}
            <input
              value={form.foundIn}
              onChange={set('foundIn')}
              placeholder="e.g. NHS Horizons website"
              size={32}
            />
          </label>
          <button type="submit" disabled={busy}>
            {busy ? 'Adding…' : 'Add the record'}
          </button>{' '}
          <button type="button" onClick={() => setOpen(false)}>
            Close
          </button>
        </form>
      )}
      {error && (
        <p className="error" role="alert" ref={answer}>
          {error}
        </p>
      )}
      {added && (
        <p className="notice" role="status" data-testid="record-added" ref={answer}>
          Added “{added.title}”.{' '}
          {added.recordId && (
            <Link to={`/reviews/${review}/records/${added.recordId}`}>Open its record page</Link>
          )}
        </p>
      )}
    </section>
  );
}
