import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, setCsrfToken } from './api.ts';
import { errorText } from './error-text.ts';
import type { SessionUser } from './session.tsx';

/**
 * Email and password, signed in through `/auth/login`: the sign-in page's form, and the one shown
 * over a page whose session ended (then with the email filled in and the password focused).
 */
export function SignInForm({
  onSignedIn,
  email: initialEmail = '',
  submitLabel = 'Sign in',
}: {
  onSignedIn: (user: SessionUser) => void;
  email?: string;
  submitLabel?: string;
}) {
  const [email, setEmail] = useState(initialEmail);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const passwordField = useRef<HTMLInputElement>(null);
  useEffect(() => {
    if (initialEmail) passwordField.current?.focus();
  }, [initialEmail]);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
    setBusy(true);
    try {
      const r = await api<{ user: SessionUser; csrfToken: string }>('POST', '/auth/login', {
        email,
        password,
      });
      setCsrfToken(r.csrfToken);
      onSignedIn(r.user);
    } catch (err) {
      // A 401 here is a wrong email or password, not an ended session: the server says which.
      setError(err instanceof ApiError && err.status === 401 ? err.message : errorText(err));
      setBusy(false);
    }
  };
  return (
    <form onSubmit={submit}>
      <label>
        Email
        <br />
        <input
          name="email"
          type="email"
          autoComplete="username"
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          required
        />
      </label>
      <label>
        Password
        <br />
        <input
          ref={passwordField}
          name="password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          required
        />
      </label>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
      <button className="primary" type="submit" disabled={busy}>
        {submitLabel}
      </button>
    </form>
  );
}
