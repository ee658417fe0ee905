import { useState } from 'react';
import { api } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';

type Stage = 'title-abstract' | 'full-text';

const STAGE_NAMES: Record<Stage, string> = {
  'title-abstract': 'Title/abstract screening',
  'full-text': 'Full-text assessment',
};

/** Where a stage's records come from, in the words of the "open" line. */
const STAGE_INFLOW: Record<Stage, string> = {
  'title-abstract': 'new records go to reviewers as soon as they are imported and deduplicated.',
  'full-text': 'records included at title/abstract go to reviewers as soon as their outcome is settled.',
};

function StageHoldRow({ review, stage }: { review: string; stage: Stage }) {
  const path = `/reviews/${review}/stages/${stage}`;
  const { data, reload } = useApi<{ held?: boolean; open?: boolean; shortOfReviewers?: number }>(
    `${path}/config`,
    5000,
  );
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<string | null>(null);
  if (!data) return null;
  const held = data.held === true;
  // Closed without a hold: a calibration pilot runs, and only its records are served.
  const piloting = !held && data.open === false;
  const short = data.shortOfReviewers ?? 0;
  const toggle = async () => {
    setBusy(true);
    setMessage(null);
    try {
      await api('PUT', `${path}/hold`, { held: !held });
      reload();
    } catch (e) {
      setMessage(errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="stage-hold" data-testid={`stage-hold-${stage}`} style={{ marginBottom: '0.6rem' }}>
      <strong>{STAGE_NAMES[stage]}</strong>{' '}
      <span className="muted">
        {held
          ? 'on hold: new records wait here and reviewers see none until you open it.'
          : piloting
            ? 'calibration pilot running: reviewers screen only the pilot records until they agree well enough or you stop the pilot (Settings).'
            : `open: ${STAGE_INFLOW[stage]}`}
      </span>{' '}
      <button type="button" disabled={busy} onClick={() => void toggle()}>
        {held ? 'Open it' : 'Put on hold'}
      </button>
      {short > 0 && (
        <p className="error" data-testid={`short-of-reviewers-${stage}`}>
          {short === 1 ? '1 record still needs' : `${short} records still need`} a vote that no reviewer is
          left to give: fewer people have the reviewer role than the votes each record needs, counting those
          who have already voted on it. Give a member the reviewer role or invite a reviewer (Settings,
          Members), or lower the votes needed per record (Settings).
        </p>
      )}
      {message && (
        <p className="error" role="alert">
          {message}
        </p>
      )}
    </div>
  );
}

/** The lead's switch for each screening stage: open (records flow to reviewers) or on hold. */
export function StageHoldCard({ review }: { review: string }) {
  return (
    <section className="card" aria-label="Screening stages">
      <h2 style={{ marginTop: 0 }}>Screening stages</h2>
      <StageHoldRow review={review} stage="title-abstract" />
      <StageHoldRow review={review} stage="full-text" />
    </section>
  );
}
