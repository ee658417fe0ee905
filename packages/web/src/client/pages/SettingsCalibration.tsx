import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';
import { FieldMessage, invalid, useSave } from './settings-form.tsx';
import type { Member } from './SettingsMembers.tsx';

interface Calibration {
  status: 'running' | 'passed' | 'cancelled' | string;
  config: { size: number; threshold: number };
  records: number;
  remaining: Record<string, number>;
  complete: boolean;
  kappa: number | null;
}

const STATUS_TEXT: Record<string, string> = {
  running:
    'Pilot running: the stage opens when every reviewer has screened the pilot and kappa reaches the threshold.',
  passed: 'Pilot passed: the stage is open.',
  cancelled: 'Pilot stopped early: the stage is open.',
};

/** Where the pilot stands; a running pilot that cannot open the stage by itself says why and what to do. */
function statusText(cal: Calibration): string {
  if (cal.status !== 'running') return STATUS_TEXT[cal.status] ?? 'Pilot finished.';
  const next =
    'Talk the pilot records through with the reviewers (the Conflicts page lists those they disagreed on), then open the stage with the button below; you can start a new pilot after that.';
  if (Object.keys(cal.remaining).length < 2)
    return `The pilot needs at least two reviewers to measure agreement, so the stage stays closed. Give a second member the reviewer role, or open the stage with the button below.`;
  if (!cal.complete) return STATUS_TEXT.running!;
  if (cal.kappa === null)
    return `Every reviewer has screened the pilot, but kappa cannot be worked out (every vote fell in one category), so the stage stays closed. ${next}`;
  return `Every reviewer has screened the pilot, but agreement (kappa ${cal.kappa.toFixed(2)}) is below the threshold of ${cal.config.threshold}, so the stage stays closed. ${next}`;
}

const asNumber = (text: string): number | null => (text.trim() === '' ? null : Number(text));

/** Start or stop a calibration pilot; shows its kappa while it runs (polled). */
export function SettingsCalibration({
  review,
  stage,
  members,
}: {
  review: string;
  stage: string;
  members: Member[];
}) {
  const base = `/reviews/${encodeURIComponent(review)}/stages/${stage}/calibration`;
  const { data, error, reload } = useApi<{ calibration: Calibration | null }>(base, 5_000);
  const [size, setSize] = useState('30');
  const [threshold, setThreshold] = useState('0.6');
  const save = useSave();
  const cal = data?.calibration ?? null;
  const name = (id: string) => members.find((m) => m.id === id)?.name ?? 'A former member';
  const start = async (e: FormEvent) => {
    e.preventDefault();
    await save.run(
      // An empty box is sent as no number (the server says what it must be), not as 0.
      () => api('POST', base, { size: asNumber(size), threshold: asNumber(threshold) }),
      'Pilot started: every reviewer now screens the pilot records first.',
    );
    reload();
  };
  const cancel = async () => {
    await save.run(() => api('POST', `${base}/cancel`), 'Pilot stopped; the stage is open.');
    reload();
  };
  const sizeId = `${stage}-cal-size`;
  const thresholdId = `${stage}-cal-threshold`;
  return (
    <fieldset className="calibration" data-testid={`calibration-${stage}`}>
      <legend>Calibration pilot</legend>
      {error && <p className="error">{errorText(error)}</p>}
      {cal ? (
        <div>
          <p data-testid="calibration-status">{statusText(cal)}</p>
          <p>
            Kappa:{' '}
            <strong data-testid="calibration-kappa">
              {cal.kappa === null
                ? cal.status === 'running'
                  ? 'not yet'
                  : 'not measured'
                : cal.kappa.toFixed(2)}
            </strong>{' '}
            (threshold {cal.config.threshold}, {cal.records} pilot records)
          </p>
          {cal.status === 'running' && (
            <ul className="small">
              {Object.entries(cal.remaining).map(([id, n]) => (
                <li key={id}>
                  {name(id)}: {n === 0 ? 'done' : `${n} still to screen`}
                </li>
              ))}
            </ul>
          )}
        </div>
      ) : (
        <p className="muted">
          No pilot. A pilot has every reviewer screen the same records first, and opens the stage once they
          agree well enough.
        </p>
      )}
      {cal?.status === 'running' ? (
        <button type="button" onClick={() => void cancel()} disabled={save.busy}>
          Stop the pilot and open the stage
        </button>
      ) : (
        <form onSubmit={start} className="inline-form" noValidate>
          <label htmlFor={sizeId}>
            Pilot records
            <input
              id={sizeId}
              type="number"
              min={2}
              max={500}
              value={size}
              onChange={(e) => setSize(e.target.value)}
              {...invalid(sizeId, save.forField('size'))}
            />
            <FieldMessage id={sizeId} message={save.forField('size')} />
          </label>
          <label htmlFor={thresholdId}>
            Kappa threshold
            <input
              id={thresholdId}
              type="number"
              step={0.05}
              min={-1}
              max={1}
              value={threshold}
              onChange={(e) => setThreshold(e.target.value)}
              {...invalid(thresholdId, save.forField('threshold'))}
            />
            <FieldMessage id={thresholdId} message={save.forField('threshold')} />
          </label>
          <button type="submit" disabled={save.busy}>
            Start a pilot
          </button>
        </form>
      )}
      {save.saved && (
        <p className="muted" role="status">
          {save.saved}
        </p>
      )}
      {save.general(['size', 'threshold']) && (
        <p className="error" role="alert">
          {save.general(['size', 'threshold'])}
        </p>
      )}
    </fieldset>
  );
}
