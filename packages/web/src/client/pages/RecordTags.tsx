import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';

/**
 * One record's tags, shown and edited in place: each tag can be removed, and one of the review's
 * tags (or a new one typed) added. Each change is an event on the server; viewers read only (the
 * server refuses their changes and the refusal is shown in words).
 */
export function RecordTags(props: {
  review: string;
  recordId: string;
  /** After a change: the record page reads its history again, which now holds it. */
  onChanged?: () => void;
}) {
  const base = `/reviews/${props.review}`;
  const mine = useApi<{ tags: string[] }>(`${base}/records/${props.recordId}/tags`);
  const all = useApi<{ tags: { name: string }[] }>(`${base}/tags`);
  const [tag, setTag] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const change = async (name: string, on: boolean) => {
    setBusy(true);
    try {
      await api('POST', `${base}/records/tags`, { recordIds: [props.recordId], tag: name, on });
      setMessage(on ? `Tagged “${name}”.` : `Removed “${name}”.`);
      if (on) setTag('');
      mine.reload();
      all.reload();
      props.onChanged?.();
    } catch (err) {
      setMessage(errorText(err));
    } finally {
      setBusy(false);
    }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const name = tag.trim();
    if (!name) return setMessage('Type or choose a tag.');
    void change(name, true);
  };
  const listId = `record-tags-${props.recordId}`;
  return (
    <section className="record-tags" aria-labelledby={`${listId}-h`}>
      <h2 id={`${listId}-h`}>Tags</h2>
      {mine.error && <p className="error">{errorText(mine.error)}</p>}
      {mine.data &&
        (mine.data.tags.length === 0 ? (
          <p className="small">No tags yet.</p>
        ) : (
          <ul className="record-tag-list" aria-label="Tags of this record">
            {mine.data.tags.map((t) => (
              <li key={t}>
                <span className="tag record-tag">{t}</span>{' '}
                <button
                  type="button"
                  disabled={busy}
                  aria-label={`Remove the tag ${t}`}
                  onClick={() => void change(t, false)}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        ))}
      <form onSubmit={submit} className="records-tagbar">
        <label>
          Add a tag <input list={listId} value={tag} onChange={(e) => setTag(e.target.value)} size={16} />
        </label>
        <datalist id={listId}>
          {all.data?.tags.map((t) => (
            <option key={t.name} value={t.name} />
          ))}
        </datalist>
        <button type="submit" disabled={busy}>
          Add
        </button>
      </form>
      {message && (
        <p role="status" className="small" data-testid="record-tags-message">
          {message}
        </p>
      )}
    </section>
  );
}
