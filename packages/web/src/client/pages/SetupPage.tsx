import { useState, type FormEvent } from 'react';
import { api, ApiError, setCsrfToken } from '../api.ts';
import type { SessionUser } from '../session.tsx';
import { emailProblem, passwordProblem, TextField, useFormErrors } from './account-form.tsx';

/** First run: no account exists yet, so the first person here creates one (an administrator). */
export function SetupPage({
  onSignedIn,
  onAlreadySetUp,
}: {
  onSignedIn(user: SessionUser): void;
  onAlreadySetUp(): void;
}) {
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = form.check({
      name: name.trim() ? undefined : 'Enter your name.',
      email: emailProblem(email),
      password: passwordProblem(password),
    });
    if (!ok) return;
    setBusy(true);
    try {
      const r = await api<{ user: SessionUser; csrfToken: string }>('POST', '/setup', {
        name,
        email,
        password,
      });
      setCsrfToken(r.csrfToken);
      onSignedIn(r.user);
    } catch (err) {
      // Someone else finished setup first: their account exists, so this one signs in instead.
      if (err instanceof ApiError && err.status === 409) onAlreadySetUp();
      else form.fromServer(err, ['name', 'email', 'password']);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <div className="card account-form">
        <h1>Set up Winnow</h1>
        <p className="muted">
          Nobody has an account here yet. Create the first one: you will be the administrator, and you can
          then create reviews and invite the people who work on them.
        </p>
        <form onSubmit={submit} noValidate>
          <TextField label="Your name" {...form.bind('name', name, setName)} autoComplete="name" />
          <TextField
            label="Email"
            type="email"
            {...form.bind('email', email, setEmail)}
            autoComplete="username"
          />
          <TextField
            label="Password"
            hint="(at least 8 characters)"
            type="password"
            {...form.bind('password', password, setPassword)}
            autoComplete="new-password"
          />
          {form.general && (
            <p className="error" role="alert">
              {form.general}
            </p>
          )}
          <button className="primary" type="submit" disabled={busy}>
            Create account and sign in
          </button>
        </form>
      </div>
    </main>
  );
}
