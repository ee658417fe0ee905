import { useState, type ChangeEvent, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';
import type { Codebook, Field } from './extraction-types.ts';
import { FieldMessage, invalid, SaveRow, Section, useSave } from './settings-form.tsx';

interface CodebookResponse {
  codebook?: Codebook & { changeNote?: string };
  versions: { version: number; changeNote: string | null }[];
}

const TYPE_LABELS: Record<Field['type'], string> = {
  single_choice: 'One choice',
  multi_choice: 'Several choices',
  text: 'Text',
  number: 'Number',
  quotation: 'Quotations',
  code_tree: 'Themes (code tree)',
};

/** A key made from a label, as codebook keys allow (a person types labels, never keys). */
function keyFrom(label: string, taken: readonly string[]): string {
  const base =
    label
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '')
      .slice(0, 60) || 'item';
  let key = base;
  for (let n = 2; taken.includes(key); n++) key = `${base}_${n}`;
  return key;
}

/** The path of the first name left empty, as the server would name it (`fields[2].options[0].label`). */
function firstBlankLabel(book: Codebook): string | null {
  if (!book.name.trim()) return 'name';
  for (const [i, f] of book.fields.entries()) {
    if (!f.label.trim()) return `fields[${i}].label`;
    const items = 'options' in f ? f.options : 'codes' in f ? f.codes : [];
    const list = 'options' in f ? 'options' : 'codes';
    const j = items.findIndex((x) => !x.label.trim());
    if (j >= 0) return `fields[${i}].${list}[${j}]`;
  }
  return null;
}

/** The editable parts of a codebook: names, descriptions, required, options and top-level codes. */
function EditForm({ review, book, onSaved }: { review: string; book: Codebook; onSaved(): void }) {
  const [draft, setDraft] = useState<Codebook>(() => structuredClone(book));
  const [newField, setNewField] = useState({ label: '', type: 'single_choice' as Field['type'] });
  const save = useSave();
  const setField = (i: number, f: Field) =>
    setDraft({ ...draft, fields: draft.fields.map((x, j) => (j === i ? f : x)) });
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const blank = firstBlankLabel(draft);
    if (blank) {
      save.setError(new ApiError(422, 'VALIDATION', 'Give this a name.', blank));
      return;
    }
    const ok = await save.run(
      () =>
        api('POST', `/reviews/${encodeURIComponent(review)}/extraction/codebook`, {
          ...draft,
          changeNote: 'Edited on the settings page',
        }),
      'Saved as a new version.',
    );
    if (ok) onSaved();
  };
  const addField = () => {
    const label = newField.label.trim();
    if (!label) return;
    const key = keyFrom(
      label,
      draft.fields.map((f) => f.key),
    );
    const base = { key, label };
    const field: Field =
      newField.type === 'single_choice' || newField.type === 'multi_choice'
        ? { ...base, type: newField.type, options: [] }
        : newField.type === 'code_tree'
          ? { ...base, type: 'code_tree', codes: [] }
          : newField.type === 'number'
            ? { ...base, type: 'number' }
            : { ...base, type: newField.type };
    setDraft({ ...draft, fields: [...draft.fields, field] });
    setNewField({ ...newField, label: '' });
  };
  const input = (path: string, label: string, value: string, onChange: (v: string) => void) => {
    const id = `cb-${path}`;
    const message = save.forField(path);
    return (
      <label htmlFor={id}>
        {label}
        <input id={id} value={value} onChange={(e) => onChange(e.target.value)} {...invalid(id, message)} />
        <FieldMessage id={id} message={message} />
      </label>
    );
  };
  return (
    <form onSubmit={submit} className="settings-form codebook-form" noValidate>
      {input('name', 'Codebook name', draft.name, (name) => setDraft({ ...draft, name }))}
      {draft.fields.map((f, i) => {
        const p = `fields[${i}]`;
        const hasError = !!save.forField(p);
        return (
          <details
            key={f.key}
            className="codebook-field"
            open={hasError || undefined}
            data-testid="codebook-field"
          >
            <summary>
              {f.label} <span className="muted small">{TYPE_LABELS[f.type]}</span>
              {hasError && <span className="field-error"> — needs attention</span>}
            </summary>
            {input(`${p}.label`, 'Label', f.label, (label) => setField(i, { ...f, label }))}
            {input(`${p}.description`, 'Guidance for coders', f.description ?? '', (description) =>
              setField(i, { ...f, description }),
            )}
            <label>
              <input
                type="checkbox"
                checked={!!f.required}
                onChange={(e) => setField(i, { ...f, required: e.target.checked })}
              />{' '}
              Required
            </label>
            {(f.type === 'single_choice' || f.type === 'multi_choice') && (
              <ItemList
                title="Options"
                base={`${p}.options`}
                items={f.options}
                errorFor={save.forField}
                onChange={(options) => setField(i, { ...f, options })}
              />
            )}
            {f.type === 'code_tree' && (
              <ItemList
                title="Themes"
                base={`${p}.codes`}
                items={f.codes}
                errorFor={save.forField}
                onChange={(codes) => setField(i, { ...f, codes })}
              />
            )}
          </details>
        );
      })}
      <div className="add-row">
        <input
          aria-label="New field"
          placeholder="New field, e.g. Country"
          value={newField.label}
          onChange={(e) => setNewField({ ...newField, label: e.target.value })}
        />
        <select
          aria-label="Type of the new field"
          value={newField.type}
          onChange={(e) => setNewField({ ...newField, type: e.target.value as Field['type'] })}
        >
          {Object.entries(TYPE_LABELS).map(([t, l]) => (
            <option key={t} value={t}>
              {l}
            </option>
          ))}
        </select>
        <button type="button" onClick={addField}>
          Add field
        </button>
      </div>
      <SaveRow
        busy={save.busy}
        saved={save.saved}
        general={save.general(['name', 'fields'])}
        label="Save as a new version"
      />
    </form>
  );
}

function ItemList<T extends { key: string; label: string }>({
  title,
  base,
  items,
  errorFor,
  onChange,
}: {
  title: string;
  base: string;
  items: T[];
  errorFor(field: string): string | undefined;
  onChange(items: T[]): void;
}) {
  const [label, setLabel] = useState('');
  const add = () => {
    const l = label.trim();
    if (!l) return;
    onChange([
      ...items,
      {
        key: keyFrom(
          l,
          items.map((x) => x.key),
        ),
        label: l,
      } as T,
    ]);
    setLabel('');
  };
  return (
    <fieldset className="item-list">
      <legend>{title}</legend>
      {items.map((it, j) => {
        const id = `cb-${base}[${j}]`;
        const message = errorFor(`${base}[${j}]`);
        return (
          <div key={it.key} className="item-row">
            <input
              id={id}
              aria-label={`${title}: ${it.label || 'unnamed'}`}
              value={it.label}
              onChange={(e) => onChange(items.map((x, k) => (k === j ? { ...x, label: e.target.value } : x)))}
              {...invalid(id, message)}
            />
            <FieldMessage id={id} message={message} />
          </div>
        );
      })}
      <div className="add-row">
        <input aria-label={`New item in ${title}`} value={label} onChange={(e) => setLabel(e.target.value)} />
        <button type="button" onClick={add}>
          Add
        </button>
      </div>
    </fieldset>
  );
}

/** Import a codebook (JSON), load the default framework, or edit the current one; each save is a new version. */
export function SettingsCodebook({ review }: { review: string }) {
  const path = `/reviews/${encodeURIComponent(review)}/extraction/codebook`;
  const { data, error, reload } = useApi<CodebookResponse>(path);
  const load = useSave();
  const [fileError, setFileError] = useState<string | undefined>(undefined);
  const importFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    let json: unknown;
    try {
      json = JSON.parse(await file.text());
    } catch {
      setFileError(`“${file.name}” is not a JSON file a codebook can be read from.`);
      return;
    }
    setFileError(undefined);
    if (await load.run(() => api('POST', path, json), `Imported “${file.name}” as a new version.`)) reload();
  };
  const loadDefault = async () => {
    const ok = await load.run(async () => {
      const { codebook } = await api<{ codebook: Codebook }>('GET', `${path}/default`);
      await api('POST', path, { ...codebook, changeNote: 'Default framework loaded on the settings page' });
    }, 'Loaded the default framework as a new version.');
    if (ok) reload();
  };
  const importMessage =
    fileError ??
    (load.error instanceof ApiError && load.error.status === 422 ? errorText(load.error) : undefined);
  const book = data?.codebook;
  return (
    <Section title="Codebook" id="settings-codebook">
      {error && <p className="error">{errorText(error)}</p>}
      {book && (
        <p data-testid="codebook-current">
          Current: <strong>{book.name}</strong>, version {book.version}, {book.fields.length} fields.
        </p>
      )}
      <div className="inline-form">
        <label htmlFor="codebook-file">
          Import a codebook (JSON)
          <input
            id="codebook-file"
            type="file"
            accept="application/json,.json"
            onChange={(e) => void importFile(e)}
            {...invalid('codebook-file', importMessage)}
          />
          <FieldMessage id="codebook-file" message={importMessage} />
        </label>
        <button
          type="button"
          onClick={() => void loadDefault()}
          disabled={load.busy}
          data-testid="load-default-codebook"
        >
          Load the default framework (influences on improvement)
        </button>
      </div>
      {load.saved && (
        <p className="muted" role="status">
          {load.saved}
        </p>
      )}
      {load.error !== null && !importMessage && (
        <p className="error" role="alert">
          {load.general([])}
        </p>
      )}
      {book && (
        <details className="codebook-edit">
          <summary>Edit fields and codes</summary>
          <EditForm key={`${book.id}-${book.version}`} review={review} book={book} onSaved={reload} />
        </details>
      )}
      {data && data.versions.length > 1 && (
        <p className="muted small">
          Versions:{' '}
          {data.versions.map((v) => `${v.version}${v.changeNote ? ` (${v.changeNote})` : ''}`).join('; ')}
        </p>
      )}
    </Section>
  );
}
