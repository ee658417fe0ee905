import { useState } from 'react';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';
import { MembersPanel } from './MembersPanel.tsx';
import { SettingsCodebook } from './SettingsCodebook.tsx';
import { SettingsMembers, type Member } from './SettingsMembers.tsx';
import { SettingsPrioritisation } from './SettingsPrioritisation.tsx';
import { SettingsProtocol, type Protocol } from './SettingsProtocol.tsx';
import { SettingsStage } from './SettingsStage.tsx';

interface ReviewResponse {
  review: { slug: string; title: string; settings: { protocol?: Partial<Protocol> } };
  roles: string[];
}

const STAGES = [
  { stage: 'title-abstract', label: 'Title and abstract' },
  { stage: 'full-text', label: 'Full text' },
] as const;

/** The lead's settings for one review: protocol, members, each stage, prioritisation and the codebook. */
export function SettingsPage({ review }: { review: string }) {
  const base = `/reviews/${encodeURIComponent(review)}`;
  const { data, error, reload } = useApi<ReviewResponse>(base);
  const members = useApi<{ members: Member[] }>(data?.roles.includes('lead') ? `${base}/members` : null);
  const [stage, setStage] = useState<(typeof STAGES)[number]['stage']>('title-abstract');
  if (error) {
    return (
      <main>
        <h1>Review settings</h1>
        <p className="error">{errorText(error)}</p>
      </main>
    );
  }
  if (!data) return <main className="muted">Loading…</main>;
  if (!data.roles.includes('lead')) {
    return (
      <main>
        <h1>Review settings</h1>
        <p data-testid="settings-lead-only">
          Only a lead of this review can change its settings. Ask one of its leads if something here should
          change.
        </p>
      </main>
    );
  }
  const protocol: Protocol = {
    question: '',
    eligibility: '',
    registration: '',
    ...data.review.settings.protocol,
  };
  const people = members.data?.members ?? [];
  return (
    <main className="settings">
      <h1>Review settings</h1>
      <SettingsProtocol review={review} title={data.review.title} protocol={protocol} onSaved={reload} />
      {members.error && <p className="error">{errorText(members.error)}</p>}
      <SettingsMembers review={review} members={people} onChanged={members.reload} />
      {/* Inviting people is the invitations feature's own panel, embedded as it is. */}
      <MembersPanel review={review} />
      <div className="stage-tabs" role="tablist" aria-label="Stage">
        {STAGES.map((s) => (
          <button
            key={s.stage}
            role="tab"
            aria-selected={stage === s.stage}
            className={stage === s.stage ? 'primary' : undefined}
            onClick={() => setStage(s.stage)}
          >
            {s.label}
          </button>
        ))}
      </div>
      <SettingsStage key={stage} review={review} stage={stage} members={people} />
      <SettingsPrioritisation key={`prio-${stage}`} review={review} stage={stage} />
      <SettingsCodebook review={review} />
    </main>
  );
}
