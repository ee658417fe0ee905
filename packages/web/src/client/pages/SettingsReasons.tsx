import { useState } from 'react';
import { FieldMessage, invalid } from './settings-form.tsx';

/** A reason as edited: `code` is set once the server has made one from the label (never typed). */
export interface DraftReason {
  id: string;
  code?: string;
  label: string;
  retired?: boolean;
}

let nextId = 0;
export const draftId = () => `new-${++nextId}`;

/**
 * Add, rename, reorder and retire exclusion reasons. A saved reason is retired rather than deleted:
 * past votes keep its label, and reviewers are no longer offered it. A reason added since the last
 * save has no past and may simply be removed.
 */
export function SettingsReasons({
  stage,
  reasons,
  onChange,
  errorFor,
}: {
  stage: string;
  reasons: DraftReason[];
  onChange(next: DraftReason[]): void;
  errorFor(field: string): string | undefined;
}) {
  const [label, setLabel] = useState('');
  const [addError, setAddError] = useState<string | undefined>(undefined);
  const move = (i: number, by: number) => {
    const next = reasons.slice();
    const [r] = next.splice(i, 1);
    next.splice(i + by, 0, r!);
    onChange(next);
  };
  const set = (i: number, patch: Partial<DraftReason>) =>
    onChange(reasons.map((r, j) => (j === i ? { ...r, ...patch } : r)));
  const add = () => {
    const l = label.trim();
    if (!l) return setAddError('Type the reason as reviewers should read it.');
    if (reasons.some((r) => r.label.trim().toLowerCase() === l.toLowerCase()))
      return setAddError(`“${l}” is already in the list.`);
    onChange([...reasons, { id: draftId(), label: l }]);
    setLabel('');
    setAddError(undefined);
  };
  const listError =
    errorFor('exclusionReasons') && !reasons.some((_, i) => errorFor(`exclusionReasons.${i}`));
  const addId = `${stage}-reason-new`;
  return (
    <fieldset className="reasons-editor">
      <legend>Exclusion reasons</legend>
      <p className="muted small">
        Reviewers pick these with number keys, in this order. Retired reasons are no longer offered but keep
        their name wherever past votes show them.
      </p>
      {reasons.length === 0 && <p className="muted">No reasons yet.</p>}
      <ol className="reason-rows">
        {reasons.map((r, i) => {
          const id = `${stage}-reason-${i}`;
          const message = errorFor(`exclusionReasons.${i}`);
          return (
            <li key={r.id} className={r.retired ? 'retired' : undefined} data-testid="reason-row">
              <input
                id={id}
                aria-label={`Exclusion reason ${i + 1}`}
                value={r.label}
                onChange={(e) => set(i, { label: e.target.value })}
                {...invalid(id, message)}
              />
              {r.retired && <span className="tag">retired</span>}
              <button
                type="button"
                aria-label={`Move “${r.label}” up`}
                disabled={i === 0}
                onClick={() => move(i, -1)}
              >
                ↑
              </button>
              <button
                type="button"
                aria-label={`Move “${r.label}” down`}
                disabled={i === reasons.length - 1}
                onClick={() => move(i, 1)}
              >
                ↓
              </button>
              {r.code === undefined ? (
                <button type="button" onClick={() => onChange(reasons.filter((_, j) => j !== i))}>
                  Remove
                </button>
              ) : (
                <button type="button" onClick={() => set(i, { retired: !r.retired })}>
                  {r.retired ? 'Bring back' : 'Retire'}
                </button>
              )}
              <FieldMessage id={id} message={message} />
            </li>
          );
        })}
      </ol>
      {listError && (
        <p className="field-error" role="alert">
          {errorFor('exclusionReasons')}
        </p>
      )}
      <div className="add-row">
        <input
          id={addId}
          aria-label="New exclusion reason"
          placeholder="New reason, e.g. Not a healthcare setting"
          value={label}
          onChange={(e) => setLabel(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              add();
            }
          }}
          {...invalid(addId, addError)}
        />
        <button type="button" onClick={add}>
          Add reason
        </button>
        <FieldMessage id={addId} message={addError} />
      </div>
    </fieldset>
  );
}
