import { useEffect, useState, type FormEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';
import { FieldMessage, invalid, SaveRow, Section, useSave } from './settings-form.tsx';
import { SettingsCalibration } from './SettingsCalibration.tsx';
import { SettingsReasons, type DraftReason } from './SettingsReasons.tsx';
import type { Member } from './SettingsMembers.tsx';

type AdjudicatorRole = 'lead' | 'adjudicator';
/** The stage configuration as the server sends it; keys this form does not edit are sent back as they were. */
interface StageConfig {
  votesNeeded: number;
  blind: boolean;
  criteria: string;
  exclusionReasons: { code: string; label: string; retired?: boolean }[];
  highlight: { include: string[]; exclude: string[] };
  order: 'random' | 'prioritised';
  /** Undefined: the stage's default (optional at title/abstract, required at full text). */
  reasonsRequired?: boolean;
  adjudication?: { roles: AdjudicatorRole[]; userIds: string[] };
  [key: string]: unknown;
}

interface Draft {
  criteria: string;
  reasons: DraftReason[];
  include: string;
  exclude: string;
  votesNeeded: string;
  blind: boolean;
  reasonsRequired: boolean;
  order: 'random' | 'prioritised';
  roles: AdjudicatorRole[];
  userIds: string[];
}

const STAGE_TITLES: Record<string, string> = {
  'title-abstract': 'Title and abstract screening',
  'full-text': 'Full-text assessment',
};

function toDraft(c: StageConfig, stage: string): Draft {
  return {
    criteria: c.criteria,
    reasons: c.exclusionReasons.map((r) => ({ ...r, id: r.code })),
    include: c.highlight.include.join('\n'),
    exclude: c.highlight.exclude.join('\n'),
    votesNeeded: String(c.votesNeeded),
    blind: c.blind,
    reasonsRequired: c.reasonsRequired ?? stage === 'full-text',
    order: c.order,
    roles: c.adjudication?.roles ?? ['lead', 'adjudicator'],
    userIds: c.adjudication?.userIds ?? [],
  };
}

const terms = (text: string) =>
  text
    .split(/[\n,]/)
    .map((t) => t.trim())
    .filter(Boolean);

function fromDraft(base: StageConfig, d: Draft): StageConfig {
  const { adjudication: _drop, ...rest } = base;
  void _drop;
  const everyone = d.roles.length === 2 && d.userIds.length === 0;
  return {
    ...rest,
    criteria: d.criteria,
    exclusionReasons: d.reasons.map(({ id: _id, ...r }) => {
      void _id;
      return { ...r, label: r.label.trim() } as StageConfig['exclusionReasons'][number];
    }),
    highlight: { include: terms(d.include), exclude: terms(d.exclude) },
    votesNeeded: Number(d.votesNeeded),
    blind: d.blind,
    reasonsRequired: d.reasonsRequired,
    order: d.order,
    ...(everyone ? {} : { adjudication: { roles: d.roles, userIds: d.userIds } }),
  };
}

function StageForm({
  review,
  stage,
  config,
  members,
  notice,
  onSaved,
}: {
  review: string;
  stage: string;
  config: StageConfig;
  members: Member[];
  /** The last save's note: the form is made afresh from the saved settings after each save. */
  notice: string | null;
  /** `config`: the settings as the server stored them (the save's answer). */
  onSaved(note: string, config: StageConfig): void;
}) {
  const [draft, setDraft] = useState<Draft>(() => toDraft(config, stage));
  const save = useSave();
  // Functional updates: two quick changes (a tick, then another) must not lose the first.
  const set = (patch: Partial<Draft> | ((d: Draft) => Partial<Draft>)) =>
    setDraft((d) => ({ ...d, ...(typeof patch === 'function' ? patch(d) : patch) }));
  const id = (f: string) => `${stage}-${f}`;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const blank = draft.reasons.findIndex((r) => r.label.trim() === '');
    if (blank >= 0) {
      const message = 'Give this reason a name, or remove it.';
      save.setError(new ApiError(422, 'VALIDATION', message, `exclusionReasons.${blank}.label`));
      return;
    }
    let stored: StageConfig | null = null;
    const ok = await save.run(async () => {
      const r = await api<{ config: StageConfig }>(
        'PUT',
        `/reviews/${encodeURIComponent(review)}/stages/${stage}/config`,
        fromDraft(config, draft),
      );
      stored = r.config;
    }, 'Saved.');
    if (ok && stored) onSaved('Saved. Reviewers see the new settings on their next record.', stored);
  };
  const adjudicators = members.filter((m) => m.roles.includes('lead') || m.roles.includes('adjudicator'));
  const toggleRole = (r: AdjudicatorRole) =>
    set((d) => ({ roles: d.roles.includes(r) ? d.roles.filter((x) => x !== r) : [...d.roles, r] }));
  const toggleUser = (u: string) =>
    set((d) => ({ userIds: d.userIds.includes(u) ? d.userIds.filter((x) => x !== u) : [...d.userIds, u] }));
  const nobody = draft.roles.length === 0 && draft.userIds.length === 0;
  const fields = [
    'criteria',
    'exclusionReasons',
    'highlight',
    'votesNeeded',
    'adjudication',
    'blind',
    'reasonsRequired',
    'order',
  ];
  // Required with none to choose: every exclude vote would be refused.
  const noReasonToGive = draft.reasonsRequired && !draft.reasons.some((r) => !r.retired);
  return (
    <form onSubmit={submit} className="settings-form" noValidate>
      <label htmlFor={id('criteria')}>
        Criteria reviewers screen against
        <textarea
          id={id('criteria')}
          name="criteria"
          rows={6}
          value={draft.criteria}
          onChange={(e) => set({ criteria: e.target.value })}
          {...invalid(id('criteria'), save.forField('criteria'))}
        />
        <FieldMessage id={id('criteria')} message={save.forField('criteria')} />
      </label>
      <SettingsReasons
        stage={stage}
        reasons={draft.reasons}
        onChange={(reasons) => set({ reasons })}
        errorFor={save.forField}
      />
      <div className="two-columns">
        <label htmlFor={id('include')}>
          Highlight as relevant
          <span className="muted hint"> one term per line; * matches any ending</span>
          <textarea
            id={id('include')}
            name="highlight-include"
            rows={4}
            value={draft.include}
            onChange={(e) => set({ include: e.target.value })}
            {...invalid(id('include'), save.forField('highlight.include'))}
          />
          <FieldMessage id={id('include')} message={save.forField('highlight.include')} />
        </label>
        <label htmlFor={id('exclude')}>
          Highlight as a reason to exclude
          <span className="muted hint"> one term per line</span>
          <textarea
            id={id('exclude')}
            name="highlight-exclude"
            rows={4}
            value={draft.exclude}
            onChange={(e) => set({ exclude: e.target.value })}
            {...invalid(id('exclude'), save.forField('highlight.exclude'))}
          />
          <FieldMessage id={id('exclude')} message={save.forField('highlight.exclude')} />
        </label>
      </div>
      <div className="inline-form">
        <label htmlFor={id('votes')}>
          Votes needed per record
          <input
            id={id('votes')}
            name="votesNeeded"
            type="number"
            min={1}
            max={5}
            value={draft.votesNeeded}
            onChange={(e) => set({ votesNeeded: e.target.value })}
            {...invalid(id('votes'), save.forField('votesNeeded'))}
          />
          <FieldMessage id={id('votes')} message={save.forField('votesNeeded')} />
        </label>
        <label>
          <input
            type="checkbox"
            name="blind"
            checked={draft.blind}
            onChange={(e) => set({ blind: e.target.checked })}
          />{' '}
          Blind mode: reviewers see no one else’s vote until they have voted
        </label>
        <label>
          <input
            type="checkbox"
            name="reasonsRequired"
            checked={draft.reasonsRequired}
            aria-describedby={noReasonToGive ? id('reasons-required-warning') : undefined}
            onChange={(e) => set({ reasonsRequired: e.target.checked })}
          />{' '}
          Reviewers must give an exclusion reason to exclude
        </label>
        <label htmlFor={id('order')}>
          Order of records
          <select
            id={id('order')}
            value={draft.order}
            onChange={(e) => set({ order: e.target.value as Draft['order'] })}
          >
            <option value="random">Random</option>
            <option value="prioritised">Most likely relevant first (prioritised)</option>
          </select>
        </label>
      </div>
      {noReasonToGive && (
        <p
          className="error"
          id={id('reasons-required-warning')}
          data-testid={`reasons-required-warning-${stage}`}
        >
          Reviewers cannot exclude at this stage until it has an exclusion reason: add one above, or untick
          “Reviewers must give an exclusion reason to exclude”.
        </p>
      )}
      <fieldset
        className="inline-options"
        aria-describedby={nobody || save.forField('adjudication') ? `${id('adjudication')}-error` : undefined}
        aria-invalid={nobody || !!save.forField('adjudication') || undefined}
      >
        <legend>Who may resolve conflicts</legend>
        <label>
          <input type="checkbox" checked={draft.roles.includes('lead')} onChange={() => toggleRole('lead')} />{' '}
          Any lead
        </label>
        <label>
          <input
            type="checkbox"
            checked={draft.roles.includes('adjudicator')}
            onChange={() => toggleRole('adjudicator')}
          />{' '}
          Any adjudicator
        </label>
        {adjudicators.map((m) => (
          <label key={m.id}>
            <input type="checkbox" checked={draft.userIds.includes(m.id)} onChange={() => toggleUser(m.id)} />{' '}
            {m.name}
          </label>
        ))}
        <FieldMessage
          id={id('adjudication')}
          message={
            nobody
              ? 'Nobody could resolve conflicts: tick a role or a person.'
              : save.forField('adjudication')
          }
        />
      </fieldset>
      <SaveRow
        busy={save.busy}
        saved={save.error ? null : (save.saved ?? notice)}
        general={save.general(fields)}
        label="Save stage settings"
        testId={`save-stage-${stage}`}
      />
    </form>
  );
}

/** One stage's screening settings and its calibration pilot. */
export function SettingsStage({
  review,
  stage,
  members,
}: {
  review: string;
  stage: string;
  members: Member[];
}) {
  const { data, error, reload } = useApi<{ config: StageConfig }>(
    `/reviews/${encodeURIComponent(review)}/stages/${stage}/config`,
  );
  const [version, setVersion] = useState(0);
  const [notice, setNotice] = useState<string | null>(null);
  // After a save the form is made afresh from what the server stored (its answer to the save), not
  // from the settings loaded before it: made from those, it showed the old settings until the
  // reload came back and was then made again, dropping whatever was typed in between.
  const [stored, setStored] = useState<StageConfig | null>(null);
  useEffect(() => setStored(null), [data]);
  const config = stored ?? data?.config;
  return (
    <Section title={STAGE_TITLES[stage] ?? stage} id={`settings-stage-${stage}`}>
      {error && <p className="error">{errorText(error)}</p>}
      {config && (
        <StageForm
          key={`${stage}-${version}-${JSON.stringify(config)}`}
          review={review}
          stage={stage}
          config={config}
          members={members}
          notice={notice}
          onSaved={(note, saved) => {
            setNotice(note);
            setStored(saved);
            setVersion((v) => v + 1);
            reload();
          }}
        />
      )}
      <SettingsCalibration review={review} stage={stage} members={members} />
    </Section>
  );
}
