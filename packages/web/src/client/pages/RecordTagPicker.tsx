import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';

/**
 * Tags one record (the one on screen when T was pressed: the tag names it, never "the current
 * one" at the time of the answer). The review's tags are offered; a new one can be typed.
 */
export function RecordTagPicker(props: {
  review: string;
  recordId: string;
  title: string;
  onClose: () => void;
}) {
  const { data } = useApi<{ tags: { name: string }[] }>(`/reviews/${props.review}/tags`);
  // The tags the record has already, so a reviewer sees what it carries before adding one.
  const own = useApi<{ tags: string[] }>(`/reviews/${props.review}/records/${props.recordId}/tags`);
  const [tag, setTag] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const name = tag.trim();
    if (!name) return setMessage('Type or choose a tag.');
    try {
      await api('POST', `/reviews/${props.review}/records/tags`, {
        recordIds: [props.recordId],
        tag: name,
        on: true,
      });
      // The picker closes when another record takes the screen: the record is the one shown, so
      // the message names the tag only (a long title made it run below the fold).
      setMessage(`Tagged with “${name}”.`);
      own.reload();
      setTag('');
      (document.activeElement as HTMLElement | null)?.blur();
    } catch (err) {
      setMessage(errorText(err));
    }
  };
  return (
    <form className="record-tag-picker" onSubmit={(e) => void submit(e)} data-record-id={props.recordId}>
      <label>
        Tag this record{' '}
        <input
          list="record-tag-options"
          value={tag}
          autoFocus
          onChange={(e) => setTag(e.target.value)}
          size={16}
        />
      </label>
      <datalist id="record-tag-options">
        {data?.tags.map((t) => (
          <option key={t.name} value={t.name} />
        ))}
      </datalist>
      <button type="submit">Tag</button>
      <button type="button" onClick={props.onClose}>
        Close
      </button>
      {own.data && (
        <p className="small muted" data-testid="record-own-tags">
          {own.data.tags.length === 0 ? 'No tags yet.' : `Its tags: ${own.data.tags.join(', ')}.`}
        </p>
      )}
      {message && (
        <p role="status" className="small" data-testid="tag-message">
          {message}
        </p>
      )}
    </form>
  );
}
