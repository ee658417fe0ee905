import { useEffect, useRef, useState } from 'react';
import { api, ApiError, onSessionLost, sessionRefused, sessionResumed, setCsrfToken } from './api.ts';
import { AccessContext, useReviewAccess } from './access.tsx';
import { PAGE_CATALOG } from './pages/page-catalog.tsx';
import { Link, matchPath, usePath } from './router.tsx';
import { SessionContext, type SessionUser } from './session.tsx';
import { SessionEnded } from './SessionEnded.tsx';
import { SignedOut } from './SignedOut.tsx';

export function App() {
  const path = usePath();
  const [user, setUser] = useState<SessionUser | null | undefined>(undefined);
  useEffect(() => {
    api<{ user: SessionUser; csrfToken: string | null }>('GET', '/auth/me')
      .then((r) => {
        setCsrfToken(r.csrfToken);
        setUser(r.user);
      })
      .catch(() => setUser(null));
  }, []);
  if (user === undefined) return <main className="muted">Loading…</main>;
  if (user === null) return <SignedOut path={path} onSignedIn={setUser} />;

  const signOut = async () => {
    try {
      await api('POST', '/auth/logout');
    } catch (e) {
      // Signed in again in another tab: this page's token is stale; sign out with the current one.
      if (e instanceof ApiError && e.code === 'CSRF') {
        setCsrfToken((await api<{ csrfToken: string | null }>('GET', '/auth/me')).csrfToken);
        await api('POST', '/auth/logout');
      } else if (!sessionRefused(e)) throw e;
      // Otherwise already signed out (in another tab, or the session ended): nothing left to end.
    }
    setCsrfToken(null);
    setUser(null);
  };
  // Keyed by the person: someone else signed in (in another tab) never works in the previous one's page.
  return <SignedIn key={user.id} user={user} signOut={signOut} onUser={setUser} path={path} />;
}

/**
 * Whether the session is still this page's: a request refused for the session (signed out in
 * another tab, expired, or signed in again elsewhere) is checked against `/auth/me`. Still signed
 * in as the same person: the new sign-in's token is taken and the page goes on. Someone else: the
 * app starts over as them. Signed out: the page stays, under a sign-in form (SessionEnded); it is
 * checked again when the window gets focus, in case the person signed in in another tab.
 */
function useSessionWatch(user: SessionUser, onUser: (u: SessionUser) => void) {
  const [ended, setEnded] = useState(false);
  const endedRef = useRef(false);
  const resume = (u: SessionUser) => {
    if (u.id !== user.id) return onUser(u);
    if (!endedRef.current) return;
    endedRef.current = false;
    setEnded(false);
    sessionResumed();
  };
  const latestResume = useRef(resume);
  latestResume.current = resume;
  useEffect(() => {
    let checking = false;
    const check = async () => {
      if (checking) return;
      checking = true;
      try {
        const me = await api<{ user: SessionUser; csrfToken: string | null }>('GET', '/auth/me');
        setCsrfToken(me.csrfToken);
        latestResume.current(me.user);
      } catch (e) {
        if (sessionRefused(e)) {
          endedRef.current = true;
          setEnded(true);
        }
      } finally {
        checking = false;
      }
    };
    const onFocus = () => endedRef.current && void check();
    const off = onSessionLost(() => !endedRef.current && void check());
    window.addEventListener('focus', onFocus);
    return () => {
      off();
      window.removeEventListener('focus', onFocus);
    };
  }, []);
  return { ended, resume };
}

function SignedIn({
  user,
  signOut,
  onUser,
  path,
}: {
  user: SessionUser;
  signOut: () => Promise<void>;
  onUser: (user: SessionUser) => void;
  path: string;
}) {
  const session = useSessionWatch(user, onUser);
  let page = null;
  let params: Record<string, string> = {};
  for (const def of PAGE_CATALOG) {
    const m = matchPath(def.path, path);
    if (m) {
      page = def.render(m);
      params = m;
      break;
    }
  }
  const review = params.review;
  const access = useReviewAccess(review);
  return (
    <SessionContext.Provider value={{ user, signOut }}>
      <AccessContext.Provider value={access}>
        {session.ended && <SessionEnded user={user} onSignedIn={session.resume} />}
        {/* Kept as it was while signed out, out of reach until the person signs in again. */}
        <div className="shell" inert={session.ended}>
          <header className="top">
            <span className="brand">
              <Link to="/">Winnow</Link>
            </span>
            {review && !access.missing && (
              <nav aria-label="Review" data-loaded={access.loaded ? 'true' : 'false'}>
                {PAGE_CATALOG.filter(
                  (d) =>
                    d.nav &&
                    d.path.startsWith('/reviews/:review') &&
                    !d.path.includes(':', 17) &&
                    (!d.needs || access.can(d.needs)),
                ).map((d) => (
                  <Link key={d.path} to={d.path.replace(':review', review)}>
                    {d.nav}
                  </Link>
                ))}
              </nav>
            )}
            <span className="spacer" />
            <Link to="/account/password" className="account" title="Your account: change your password">
              {user.name}
            </Link>
            <button onClick={() => void signOut()}>Sign out</button>
          </header>
          {access.missing ? (
            // Removed from the review, never a member, or no such review: the server does not say which.
            <main data-testid="review-not-open">
              <h1>This review is not open to you</h1>
              <p>
                You are not a member of this review, or it does not exist. A lead of the review can invite
                you.
              </p>
              <Link to="/">Back to your reviews</Link>
            </main>
          ) : (
            (page ?? (
              <main>
                <h1>Not found</h1>
                <Link to="/">Back to your reviews</Link>
              </main>
            ))
          )}
        </div>
      </AccessContext.Provider>
    </SessionContext.Provider>
  );
}
