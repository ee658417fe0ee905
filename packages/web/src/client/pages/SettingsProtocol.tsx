import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { FieldMessage, invalid, SaveRow, Section, useSave } from './settings-form.tsx';

export interface Protocol {
  question: string;
  eligibility: string;
  registration: string;
}
interface Draft extends Protocol {
  title: string;
}
const FIELDS = ['title', 'question', 'eligibility', 'registration'] as const;

/**
 * Title and protocol fields; a save sends only what changed (each change is one logged event).
 * The draft outlives the reload after a save (it already holds what was saved), so the note stays.
 */
export function SettingsProtocol({
  review,
  title,
  protocol,
  onSaved,
}: {
  review: string;
  title: string;
  protocol: Protocol;
  onSaved(): void;
}) {
  const initial: Draft = { title, ...protocol };
  const [draft, setDraft] = useState<Draft>(initial);
  const save = useSave();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    if (draft.title.trim() === '') {
      save.setError(new ApiError(422, 'VALIDATION', 'Give the review a title.', 'title'));
      return;
    }
    const change = Object.fromEntries(
      FIELDS.filter((f) => draft[f] !== initial[f]).map((f) => [f, draft[f]]),
    );
    const ok = await save.run(
      () => api('PATCH', `/reviews/${encodeURIComponent(review)}`, change),
      Object.keys(change).length ? 'Saved.' : 'Nothing had changed.',
    );
    if (ok) onSaved();
  };
  const input = (field: (typeof FIELDS)[number], label: string, multiline: boolean, hint?: string) => {
    const id = `protocol-${field}`;
    const message = save.forField(field);
    return (
      <label htmlFor={id}>
        {label}
        {hint && <span className="muted hint"> {hint}</span>}
        {multiline ? (
          <textarea
            id={id}
            name={field}
            rows={field === 'eligibility' ? 5 : 2}
            value={draft[field]}
            onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
            {...invalid(id, message)}
          />
        ) : (
          <input
            id={id}
            name={field}
            value={draft[field]}
            onChange={(e) => setDraft({ ...draft, [field]: e.target.value })}
            {...invalid(id, message)}
          />
        )}
        <FieldMessage id={id} message={message} />
      </label>
    );
  };
  return (
    <Section title="Title and protocol" id="settings-protocol">
      <form onSubmit={submit} className="settings-form" noValidate>
        {input('title', 'Title', false)}
        {input('question', 'Review question', true)}
        {input(
          'eligibility',
          'Eligibility criteria (protocol)',
          true,
          'as registered; each screening stage has its own working criteria below',
        )}
        {input('registration', 'Registration', false, 'for example a PROSPERO id')}
        <SaveRow busy={save.busy} saved={save.saved} general={save.general(FIELDS)} testId="save-protocol" />
      </form>
    </Section>
  );
}
