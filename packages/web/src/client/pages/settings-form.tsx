import { useState, type ReactNode } from 'react';
import { ApiError } from '../api.ts';
import { errorText } from '../error-text.ts';

/**
 * A settings section's save state: the last error (its message goes beside the field the server
 * named, or under the section when it named none) and a short note after a save.
 */
export function useSave() {
  const [error, setError] = useState<unknown>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const run = async (what: () => Promise<unknown>, done: string): Promise<boolean> => {
    setBusy(true);
    setSaved(null);
    try {
      await what();
      setError(null);
      setSaved(done);
      return true;
    } catch (e) {
      setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  /** The message for a field, when the error names it or a path under it (`exclusionReasons.2.label`). */
  const forField = (field: string): string | undefined => {
    if (!(error instanceof ApiError) || !error.field) return undefined;
    const f = error.field;
    return f === field || f.startsWith(`${field}.`) || f.startsWith(`${field}[`)
      ? errorText(error)
      : undefined;
  };
  /** The message when no field of the form shows it. */
  const general = (fields: readonly string[]): string | null => {
    if (!error) return null;
    if (error instanceof ApiError && error.status === 403)
      return 'Only a lead of this review can change its settings.';
    return fields.some((f) => forField(f)) ? null : errorText(error);
  };
  return { run, busy, saved, setSaved, error, setError, forField, general };
}

/** Props that mark an input invalid and tie it to its message. */
export function invalid(id: string, message: string | undefined) {
  return message ? { 'aria-invalid': true as const, 'aria-describedby': `${id}-error` } : {};
}

export function FieldMessage({ id, message }: { id: string; message: string | undefined }) {
  if (!message) return null;
  return (
    <span id={`${id}-error`} className="field-error" role="alert">
      {message}
    </span>
  );
}

export function SaveRow({
  busy,
  saved,
  general,
  label = 'Save',
  testId,
}: {
  busy: boolean;
  saved: string | null;
  general: string | null;
  label?: string;
  testId?: string;
}) {
  return (
    <div className="save-row">
      <button type="submit" className="primary" disabled={busy} data-testid={testId}>
        {busy ? 'Saving…' : label}
      </button>
      {saved && (
        <span className="muted" role="status">
          {saved}
        </span>
      )}
      {general && (
        <span className="error" role="alert">
          {general}
        </span>
      )}
    </div>
  );
}

export function Section({ title, children, id }: { title: string; children: ReactNode; id: string }) {
  return (
    <section className="card settings-section" aria-labelledby={`${id}-title`} data-testid={id}>
      <h2 id={`${id}-title`}>{title}</h2>
      {children}
    </section>
  );
}
