import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { errorText } from '../error-text.ts';
import { KIND_OPTIONS, kindName } from '../import-words.ts';

/** A search's PRISMA-S details as the imports list sends them. */
export interface SearchOfImport {
  searchId: string;
  sourceName: string | null;
  searchedOn: string | null;
  recordsReported: number | null;
  search: {
    sourceKind: string | null;
    platform: string | null;
    strategy: string | null;
    limits: string | null;
  };
}

const text = (v: string | null | undefined): string => v ?? '';
/** An empty field clears the stored value. */
const orNull = (v: string): string | null => (v.trim() === '' ? null : v.trim());

/**
 * Corrects the search an import belongs to (PRISMA-S: where, how and when it was run, its strategy
 * and limits, the count the database reported). Every file of the search shares it; PRISMA reads
 * it as it stands.
 */
export function ImportSearchForm({
  review,
  of,
  onSaved,
}: {
  review: string;
  of: SearchOfImport;
  onSaved: () => void;
}) {
  const [form, setForm] = useState({
    source: text(of.sourceName),
    kind: of.search.sourceKind ?? 'database',
    platform: text(of.search.platform),
    searched: text(of.searchedOn),
    reported: of.recordsReported === null ? '' : String(of.recordsReported),
    limits: text(of.search.limits),
    strategy: text(of.search.strategy),
  });
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const set = (k: keyof typeof form) => (e: { target: { value: string } }) => {
    setForm({ ...form, [k]: e.target.value });
    setMessage(null);
  };
  const save = async (e: FormEvent) => {
    e.preventDefault();
    const reported = form.reported.trim();
    if (reported !== '' && !/^\d+$/.test(reported)) {
      setMessage({ ok: false, text: 'Records reported: a whole number, or nothing' });
      return;
    }
    setSaving(true);
    try {
      await api('PATCH', `/reviews/${review}/searches/${of.searchId}`, {
        sourceName: form.source.trim(),
        sourceKind: form.kind,
        platform: orNull(form.platform),
        searchedOn: orNull(form.searched),
        recordsReported: reported === '' ? null : Number(reported),
        limits: orNull(form.limits),
        strategy: form.strategy.trim() === '' ? null : form.strategy,
      });
      setMessage({ ok: true, text: 'Saved the search’s details. PRISMA shows them now.' });
      onSaved();
    } catch (err) {
      setMessage({ ok: false, text: errorText(err) });
    } finally {
      setSaving(false);
    }
  };
  return (
    <form className="card import-search" aria-label="Search details" onSubmit={(e) => void save(e)}>
      <h3>Search details (PRISMA-S)</h3>
      <p className="muted">Shared by every file of this search; correct them here at any time.</p>
      <SearchFields values={form} set={set} required />
      <label className="import-strategy">
        Search strategy
        <textarea value={form.strategy} onChange={set('strategy')} rows={6} maxLength={100_000} />
      </label>
      <button type="submit" disabled={saving}>
        Save the search details
      </button>
      {message && (
        <p className={message.ok ? 'notice' : 'error'} role={message.ok ? 'status' : 'alert'}>
          {message.text}
        </p>
      )}
    </form>
  );
}

/** A search's fields, as the upload form and the search details form both ask for them. */
export interface SearchFieldValues {
  source: string;
  kind: string;
  platform: string;
  searched: string;
  reported: string;
  limits: string;
}

export function SearchFields({
  values,
  set,
  required = false,
}: {
  values: SearchFieldValues;
  set: (k: keyof SearchFieldValues) => (e: { target: { value: string } }) => void;
  /** The source's name must be given (the upload names it after the file when left empty). */
  required?: boolean;
}) {
  return (
    <>
      <label>
        Source{' '}
        <input
          value={values.source}
          onChange={set('source')}
          placeholder="e.g. MEDLINE"
          required={required}
          maxLength={200}
        />
      </label>
      <label>
        Kind{' '}
        <select value={values.kind} onChange={set('kind')}>
          {KIND_OPTIONS.map((k) => (
            <option key={k} value={k}>
              {kindName(k)}
            </option>
          ))}
        </select>
      </label>
      <label>
        Platform{' '}
        <input value={values.platform} onChange={set('platform')} placeholder="e.g. Ovid" maxLength={200} />
      </label>
      <label>
        Searched on <input type="date" value={values.searched} onChange={set('searched')} />
      </label>
      <label>
        Records reported <input inputMode="numeric" value={values.reported} onChange={set('reported')} />
      </label>
      <label>
        Limits <input value={values.limits} onChange={set('limits')} maxLength={2000} />
      </label>
    </>
  );
}
