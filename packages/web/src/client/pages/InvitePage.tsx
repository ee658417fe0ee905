import { ROLE_WORDS, type Role } from '../roles.ts';
import { useContext, useEffect, useState, type FormEvent } from 'react';
import { api, setCsrfToken } from '../api.ts';
import { errorText } from '../error-text.ts';
import { navigate } from '../router.tsx';
import { SessionContext, type SessionUser } from '../session.tsx';
import { passwordProblem, TextField, useFormErrors } from './account-form.tsx';
import { SignInPage } from './SignInPage.tsx';

interface InvitationView {
  reviewTitle: string;
  email: string;
  role: Role;
  expiresAt: string;
}

/**
 * The page an invitation link opens (`/invite/:token`). Signed out: create an account for the
 * invited email, or sign in to an existing one first. Signed in: accept with one click.
 */
export function InvitePage({ token, onSignedIn }: { token: string; onSignedIn?(user: SessionUser): void }) {
  const session = useContext(SessionContext);
  const [invitation, setInvitation] = useState<InvitationView | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [signingIn, setSigningIn] = useState(false);
  const [name, setName] = useState('');
  const [password, setPassword] = useState('');
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();
  const path = `/invitations/${encodeURIComponent(token)}`;

  useEffect(() => {
    api<{ invitation: InvitationView }>('GET', path)
      .then((r) => setInvitation(r.invitation))
      .catch((e: unknown) => setLoadError(errorText(e)));
  }, [path]);

  const accept = async (e: FormEvent) => {
    e.preventDefault();
    if (!session) {
      const ok = form.check({
        name: name.trim() ? undefined : 'Enter your name.',
        password: passwordProblem(password),
      });
      if (!ok) return;
    }
    setBusy(true);
    try {
      const r = await api<{ user: SessionUser; csrfToken?: string; review: string }>(
        'POST',
        `${path}/accept`,
        session ? {} : { name, password },
      );
      if (r.csrfToken) setCsrfToken(r.csrfToken);
      navigate(`/reviews/${encodeURIComponent(r.review)}`);
      if (!session) onSignedIn?.(r.user);
    } catch (err) {
      form.fromServer(err, ['name', 'password']);
    } finally {
      setBusy(false);
    }
  };

  if (signingIn && !session) return <SignInPage onSignedIn={(u) => onSignedIn?.(u)} />;
  return (
    <main>
      <div className="card account-form">
        <h1>Join a review</h1>
        {loadError && (
          <p className="error" role="alert">
            {loadError}
          </p>
        )}
        {!invitation && !loadError && <p className="muted">Loading the invitation…</p>}
        {invitation && (
          <>
            <p data-testid="invitation">
              You are invited to join <strong>{invitation.reviewTitle}</strong> as{' '}
              {ROLE_WORDS[invitation.role]}.
            </p>
            <p className="muted">
              Invitation for {invitation.email}, valid until{' '}
              {new Date(invitation.expiresAt).toLocaleDateString(undefined, { dateStyle: 'long' })}.
            </p>
            <form onSubmit={accept} noValidate>
              {session ? (
                <p>
                  You are signed in as <strong>{session.user.name}</strong> ({session.user.email}). The role
                  will be added to this account.
                </p>
              ) : (
                <>
                  <TextField label="Your name" {...form.bind('name', name, setName)} autoComplete="name" />
                  <TextField
                    label="Choose a password"
                    hint="(at least 8 characters)"
                    type="password"
                    {...form.bind('password', password, setPassword)}
                    autoComplete="new-password"
                  />
                </>
              )}
              {form.general && (
                <p className="error" role="alert">
                  {form.general}
                </p>
              )}
              <button className="primary" type="submit" disabled={busy}>
                {session ? 'Accept the invitation' : 'Create account and join'}
              </button>
            </form>
            {!session && (
              <p className="muted">
                Already have an account?{' '}
                <button type="button" onClick={() => setSigningIn(true)}>
                  Sign in first
                </button>
              </p>
            )}
          </>
        )}
      </div>
    </main>
  );
}
