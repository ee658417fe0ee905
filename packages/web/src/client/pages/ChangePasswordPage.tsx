import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { passwordProblem, TextField, useFormErrors } from './account-form.tsx';

/** Everyone's own password. Changing it signs out every other browser and device. */
export function ChangePasswordPage() {
  const [currentPassword, setCurrent] = useState('');
  const [newPassword, setNew] = useState('');
  const [repeat, setRepeat] = useState('');
  const [done, setDone] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setDone(null);
    const ok = form.check({
      currentPassword: currentPassword ? undefined : 'Enter your current password.',
      newPassword: passwordProblem(newPassword),
      repeat: repeat === newPassword ? undefined : 'This does not match the new password.',
    });
    if (!ok) return;
    setBusy(true);
    try {
      const r = await api<{ endedSessions: number }>('POST', '/auth/password', {
        currentPassword,
        newPassword,
      });
      setCurrent('');
      setNew('');
      setRepeat('');
      setDone(
        r.endedSessions > 0
          ? `Password changed. You were signed out everywhere else (${r.endedSessions} other ${r.endedSessions === 1 ? 'session' : 'sessions'}).`
          : 'Password changed.',
      );
    } catch (err) {
      form.fromServer(err, ['currentPassword', 'newPassword']);
    } finally {
      setBusy(false);
    }
  };
  return (
    <main>
      <div className="card account-form">
        <h1>Change your password</h1>
        <p className="muted">
          You stay signed in here; every other browser or device signed in as you is signed out.
        </p>
        <form onSubmit={submit} noValidate>
          <TextField
            label="Current password"
            type="password"
            {...form.bind('currentPassword', currentPassword, setCurrent)}
            autoComplete="current-password"
          />
          <TextField
            label="New password"
            hint="(at least 8 characters)"
            type="password"
            {...form.bind('newPassword', newPassword, setNew)}
            autoComplete="new-password"
          />
          <TextField
            label="New password again"
            type="password"
            {...form.bind('repeat', repeat, setRepeat)}
            autoComplete="new-password"
          />
          {form.general && (
            <p className="error" role="alert">
              {form.general}
            </p>
          )}
          {done && <p role="status">{done}</p>}
          <button className="primary" type="submit" disabled={busy}>
            Change password
          </button>
        </form>
      </div>
    </main>
  );
}
