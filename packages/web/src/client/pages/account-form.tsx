import { useState, type ReactNode } from 'react';
import { ApiError } from '../api.ts';
import { errorText } from '../error-text.ts';
import './account-forms.css';

export type FieldErrors = Record<string, string | undefined>;

/**
 * A form's problems: one message per field (shown under it, the field outlined) and one for the
 * form as a whole. A server error that names a field lands on that field.
 */
export function useFormErrors() {
  const [fields, setFields] = useState<FieldErrors>({});
  const [general, setGeneral] = useState<string | null>(null);
  const clear = () => {
    setFields({});
    setGeneral(null);
  };
  /** Shows the first problem found before sending; true when there was none. */
  const check = (problems: FieldErrors): boolean => {
    const found = Object.fromEntries(Object.entries(problems).filter(([, m]) => m));
    setFields(found);
    setGeneral(null);
    return Object.keys(found).length === 0;
  };
  const fromServer = (e: unknown, known: readonly string[]) => {
    if (e instanceof ApiError && e.field && known.includes(e.field)) {
      setFields({ [e.field]: errorText(e) });
      setGeneral(null);
    } else {
      setFields({});
      setGeneral(errorText(e));
    }
  };
  /** A field's props: editing it takes its message away, so what is left on screen is still true. */
  const bind = (name: string, value: string, set: (v: string) => void) => ({
    name,
    value,
    error: fields[name],
    onChange(v: string) {
      set(v);
      if (fields[name]) setFields((f) => ({ ...f, [name]: undefined }));
    },
  });
  return { fields, general, clear, check, fromServer, bind };
}

export function TextField({
  name,
  label,
  value,
  onChange,
  error,
  type = 'text',
  autoComplete,
  hint,
}: {
  name: string;
  label: string;
  value: string;
  onChange(v: string): void;
  error: string | undefined;
  type?: 'text' | 'email' | 'password';
  autoComplete?: string;
  hint?: ReactNode;
}) {
  const id = `field-${name}`;
  return (
    <label htmlFor={id}>
      {label}
      {hint && <span className="muted"> {hint}</span>}
      <br />
      <input
        id={id}
        name={name}
        type={type}
        autoComplete={autoComplete}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-message` : undefined}
      />
      {error && (
        <span id={`${id}-message`} className="field-message" role="alert">
          {error}
        </span>
      )}
    </label>
  );
}

/** The rules the server enforces, said before sending so a person sees them on the field. */
export function passwordProblem(password: string): string | undefined {
  return password.length < 8 ? 'Passwords need at least 8 characters.' : undefined;
}

export function emailProblem(email: string): string | undefined {
  return /^[^@\s]+@[^@\s]+$/.test(email.trim())
    ? undefined
    : 'Enter an email address, like name@example.org.';
}
