import type { SessionUser } from './session.tsx';
import { SignInForm } from './SignInForm.tsx';

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
        <SignInForm onSignedIn={onSignedIn} email={user.email} submitLabel="Sign in again" />
      </div>
    </div>
  );
}
