import { useEffect, useState } from 'react';
import { api, setCsrfToken } from './api.ts';
import { AccessContext, useReviewAccess } from './access.tsx';
import { PAGE_CATALOG } from './pages/page-catalog.tsx';
import { Link, matchPath, usePath } from './router.tsx';
import { SessionContext, type SessionUser } from './session.tsx';
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
    await api('POST', '/auth/logout');
    setCsrfToken(null);
    setUser(null);
  };
  return <SignedIn user={user} signOut={signOut} path={path} />;
}

function SignedIn({
  user,
  signOut,
  path,
}: {
  user: SessionUser;
  signOut: () => Promise<void>;
  path: string;
}) {
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
              You are not a member of this review, or it does not exist. A lead of the review can invite you.
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
      </AccessContext.Provider>
    </SessionContext.Provider>
  );
}
