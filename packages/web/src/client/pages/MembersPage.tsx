import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';
import { MembersPanel } from './MembersPanel.tsx';

interface Member {
  id: string;
  email: string;
  name: string;
  roles: string[];
}

/** Who works on the review; leads also invite people here. */
export function MembersPage({ review }: { review: string }) {
  const path = `/reviews/${encodeURIComponent(review)}`;
  const me = useApi<{ review: { title: string }; roles: string[] }>(path);
  const members = useApi<{ members: Member[] }>(`${path}/members`);
  const isLead = me.data?.roles.includes('lead') ?? false;
  return (
    <main>
      <h1>Members{me.data ? ` of ${me.data.review.title}` : ''}</h1>
      {members.error && <p className="error">{errorText(members.error)}</p>}
      <div className="card">
        <table>
          <thead>
            <tr>
              <th>Name</th>
              <th>Email</th>
              <th>Roles</th>
            </tr>
          </thead>
          <tbody>
            {members.data?.members.map((m) => (
              <tr key={m.id} data-testid="member-row">
                <td>{m.name}</td>
                <td>{m.email}</td>
                <td>{m.roles.map((r) => r.charAt(0).toUpperCase() + r.slice(1)).join(', ')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {isLead && <MembersPanel review={review} />}
    </main>
  );
}
