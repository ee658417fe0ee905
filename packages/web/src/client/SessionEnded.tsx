import { useEffect, useRef, useState, type FormEvent } from 'react';
import { api, ApiError, setCsrfToken } from './api.ts';
import { errorText } from './error-text.ts';
import type { SessionUser } from './session.tsx';

/**
 * Shown over the page when the session ends while it is open (signed out in another tab or
 * window, or expired): the page stays as it was underneath, so signing in again here goes on where
 * the person was, with what they had written.
 */
export function SessionEnded({
  user,
  onSignedIn,
}: {
  user: SessionUser;
  onSignedIn(user: SessionUser): void;
}) {
  const [email, setEmail] = useState(user.email);
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const field = useRef<HTMLInputElement>(null);
  useEffect(() => field.current?.focus(), []);
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
    <div className="session-ended">
      <div
        className="card"
        role="dialog"
        aria-modal="true"
        aria-labelledby="session-ended-title"
        data-testid="session-ended"
      >
        <h2 id="session-ended-title">You were signed out</h2>
        <p>
          You may have signed out in another tab or window, or your session ended. Sign in again to go on from
          here: this page stays as it is, and anything that was not saved is still here for you to send again.
        </p>
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
              ref={field}
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
            Sign in again
          </button>
        </form>
      </div>
    </div>
  );
}
