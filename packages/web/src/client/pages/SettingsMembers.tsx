import { useState } from 'react';
import { api } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useSession } from '../session.tsx';
import { Section } from './settings-form.tsx';

import { ROLE_HELP, ROLE_LABELS, ROLES, type Role } from '../roles.ts';

export interface Member {
  id: string;
  email: string;
  name: string;
  roles: Role[];
}

type Notice = { text: string; error: boolean } | null;

function MemberRow({
  review,
  member,
  onChanged,
  onNotice,
}: {
  review: string;
  member: Member;
  onChanged(): void;
  onNotice(n: Notice): void;
}) {
  const { user } = useSession();
  const [roles, setRoles] = useState<Role[]>(member.roles);
  const [confirming, setConfirming] = useState(false);
  const path = `/reviews/${encodeURIComponent(review)}/members/${member.id}`;
  const changed = roles.slice().sort().join() !== member.roles.slice().sort().join();
  const act = async (what: () => Promise<unknown>, done: string) => {
    try {
      await what();
      onNotice({ text: done, error: false });
      setConfirming(false);
      onChanged();
    } catch (e) {
      onNotice({ text: errorText(e), error: true });
    }
  };
  const toggle = (r: Role) => setRoles((rs) => (rs.includes(r) ? rs.filter((x) => x !== r) : [...rs, r]));
  const noRole = roles.length === 0;
  return (
    <tr data-testid="member" data-email={member.email}>
      <td>
        <strong>{member.name}</strong>
        {member.id === user.id && <span className="muted"> (you)</span>}
        <div className="muted small">{member.email}</div>
      </td>
      <td>
        <fieldset className="inline-options" aria-label={`Roles of ${member.name}`}>
          {ROLES.map((r) => (
            <label key={r}>
              <input
                type="checkbox"
                name={`role-${r}`}
                checked={roles.includes(r)}
                onChange={() => toggle(r)}
              />{' '}
              {ROLE_LABELS[r]}
            </label>
          ))}
        </fieldset>
        {noRole && <span className="field-error">Keep at least one role, or remove the member.</span>}
      </td>
      <td className="member-actions">
        <button
          disabled={!changed || noRole}
          onClick={() => void act(() => api('PUT', path, { roles }), `Roles of ${member.name} saved.`)}
        >
          Save roles
        </button>
        {confirming ? (
          <span className="confirm">
            Remove {member.name}? Their votes and submitted codings stay and count; their unfinished records
            and studies go to others.{' '}
            <button
              className="danger"
              onClick={() => void act(() => api('DELETE', path), `${member.name} was removed.`)}
            >
              Remove
            </button>{' '}
            <button onClick={() => setConfirming(false)}>Cancel</button>
          </span>
        ) : (
          <button onClick={() => setConfirming(true)}>Remove…</button>
        )}
      </td>
    </tr>
  );
}

/** Members and their roles; adding people (invitations) is a panel of its own. */
export function SettingsMembers({
  review,
  members,
  onChanged,
}: {
  review: string;
  members: Member[];
  onChanged(): void;
}) {
  const [notice, setNotice] = useState<Notice>(null);
  return (
    <Section title="Members" id="settings-members">
      <p className="muted">
        {ROLE_HELP} Removing someone keeps their votes and submitted codings; the records and studies they had
        not finished go to the other reviewers and coders.
      </p>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>Member</th>
              <th>Roles</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <MemberRow key={m.id} review={review} member={m} onChanged={onChanged} onNotice={setNotice} />
            ))}
          </tbody>
        </table>
      </div>
      {notice && (
        <p className={notice.error ? 'error' : 'muted'} role={notice.error ? 'alert' : 'status'}>
          {notice.text}
        </p>
      )}
    </Section>
  );
}
