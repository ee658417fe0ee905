import { useState, type FormEvent } from 'react';
import { api, ApiError, setCsrfToken } from '../api.ts';
import type { SessionUser } from '../session.tsx';
import { errorText } from '../error-text.ts';

export function SignInPage({ onSignedIn }: { onSignedIn: (user: SessionUser) => void }) {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setError(null);
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
    }
  };
  return (
    <main style={{ maxWidth: 420 }}>
      <div className="card">
        <h1>Sign in to Winnow</h1>
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
          <button className="primary" type="submit">
            Sign in
          </button>
        </form>
      </div>
    </main>
  );
}
