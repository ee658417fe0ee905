import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';
import { emailProblem, TextField, useFormErrors } from './account-form.tsx';

import { ROLE_LABELS, ROLES, type Role } from '../roles.ts';

interface Invitation {
  id: string;
  email: string;
  role: Role;
  expiresAt: string;
}

function CopyLink({ link }: { link: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link);
      setCopied(true);
    } catch {
      // No clipboard access (plain http, or permission refused): the link is selected to copy by hand.
      (document.getElementById('invite-link') as HTMLInputElement | null)?.select();
    }
  };
  return (
    <div className="invite-link">
      <input
        id="invite-link"
        aria-label="Invitation link"
        readOnly
        value={link}
        onFocus={(e) => e.target.select()}
      />
      <button type="button" onClick={() => void copy()}>
        {copied ? 'Copied' : 'Copy link'}
      </button>
    </div>
  );
}

/**
 * Inviting people to a review (lead): a one-time link to pass on by any channel (no mail server is
 * needed), and the invitations nobody has used yet, which a lead can withdraw. A settings page may
 * embed this panel as it is.
 */
export function MembersPanel({ review }: { review: string }) {
  const base = `/reviews/${encodeURIComponent(review)}/invitations`;
  const pending = useApi<{ invitations: Invitation[] }>(base);
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('reviewer');
  const [made, setMade] = useState<{ email: string; role: Role; link: string } | null>(null);
  const [listError, setListError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const form = useFormErrors();

  const invite = async (e: FormEvent) => {
    e.preventDefault();
    setMade(null);
    if (!form.check({ email: emailProblem(email) })) return;
    setBusy(true);
    try {
      const r = await api<{ invitation: { email: string; role: Role; link: string } }>('POST', base, {
        email,
        role,
      });
      setMade(r.invitation);
      setEmail('');
      pending.reload();
    } catch (err) {
      form.fromServer(err, ['email', 'role']);
    } finally {
      setBusy(false);
    }
  };
  const withdraw = async (inv: Invitation) => {
    setListError(null);
    try {
      await api('DELETE', `${base}/${inv.id}`);
      pending.reload();
    } catch (err) {
      setListError(errorText(err));
    }
  };

  return (
    <section className="card" aria-labelledby="invite-heading">
      <h2 id="invite-heading">Invite people</h2>
      <p className="muted">
        Winnow makes a link that works once, for 7 days. Send it to the person yourself (email, chat); opening
        it lets them create their account, or add the role to the account they have.
      </p>
      <form className="invite-form" onSubmit={invite} noValidate>
        <TextField label="Email" type="email" {...form.bind('email', email, setEmail)} />
        <label htmlFor="invite-role">
          Role
          <br />
          <select id="invite-role" name="role" value={role} onChange={(e) => setRole(e.target.value as Role)}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {ROLE_LABELS[r]}
              </option>
            ))}
          </select>
        </label>
        {/* Not a label: a label round the button would name it with the spacer (a blank name). */}
        <div className="invite-submit">
          <span aria-hidden="true">&nbsp;</span>
          <br />
          <button className="primary" type="submit" disabled={busy}>
            Create invitation link
          </button>
        </div>
      </form>
      {form.general && (
        <p className="error" role="alert">
          {form.general}
        </p>
      )}
      {made && (
        <div role="status" data-testid="new-invitation">
          <p>
            Invitation for <strong>{made.email}</strong> as {ROLE_LABELS[made.role]}. Copy the link now: it is
            not shown again.
          </p>
          <CopyLink link={made.link} />
        </div>
      )}
      <h3>Waiting to be accepted</h3>
      {pending.error && <p className="error">{errorText(pending.error)}</p>}
      {listError && (
        <p className="error" role="alert">
          {listError}
        </p>
      )}
      {pending.data?.invitations.length === 0 && <p className="muted">No open invitations.</p>}
      {!!pending.data?.invitations.length && (
        <table>
          <thead>
            <tr>
              <th>Email</th>
              <th>Role</th>
              <th>Link works until</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {pending.data.invitations.map((inv) => (
              <tr key={inv.id} data-testid="pending-invitation">
                <td>{inv.email}</td>
                <td>{ROLE_LABELS[inv.role]}</td>
                <td>{new Date(inv.expiresAt).toLocaleDateString(undefined, { dateStyle: 'long' })}</td>
                <td>
                  <button type="button" onClick={() => void withdraw(inv)}>
                    Withdraw
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
