import type { SessionUser } from '../session.tsx';
import { SignInForm } from '../SignInForm.tsx';

export function SignInPage({ onSignedIn }: { onSignedIn: (user: SessionUser) => void }) {
  return (
    <main style={{ maxWidth: 420 }}>
      <div className="card">
        <h1>Sign in to Winnow</h1>
        <SignInForm onSignedIn={onSignedIn} />
      </div>
    </main>
  );
}
