import { useEffect, useState } from 'react';
import { api } from './api.ts';
import { InvitePage } from './pages/InvitePage.tsx';
import { SetupPage } from './pages/SetupPage.tsx';
import { SignInPage } from './pages/SignInPage.tsx';
import { matchPath } from './router.tsx';
import type { SessionUser } from './session.tsx';

/**
 * What a signed-out visitor sees: an invitation link opens its own page; a fresh install with no
 * account offers setup; otherwise the sign-in page.
 */
export function SignedOut({ path, onSignedIn }: { path: string; onSignedIn(user: SessionUser): void }) {
  const token = matchPath('/invite/:token', path)?.token;
  const [setupNeeded, setSetupNeeded] = useState<boolean | undefined>(token ? false : undefined);
  useEffect(() => {
    if (token) return;
    api<{ needed: boolean }>('GET', '/setup')
      .then((r) => setSetupNeeded(r.needed))
      .catch(() => setSetupNeeded(false));
  }, [token]);
  if (token) return <InvitePage token={token} onSignedIn={onSignedIn} />;
  if (setupNeeded === undefined) return <main className="muted">Loading…</main>;
  if (setupNeeded) return <SetupPage onSignedIn={onSignedIn} onAlreadySetUp={() => setSetupNeeded(false)} />;
  return <SignInPage onSignedIn={onSignedIn} />;
}
