import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { errorText } from '../error-text.ts';
import { useApi } from '../use-api.ts';
import { FieldMessage, invalid, SaveRow, Section, useSave } from './settings-form.tsx';

interface Settings {
  retrainEvery: number;
  randomShare: number;
  targetRecall: number;
  confidence: number;
  classifier: 'svm' | 'naive-bayes' | 'ensemble';
  drugClasses: boolean;
  balance: 'weights' | 'dynamic-resampling';
  internalCv: boolean;
}
type NumberKey = 'retrainEvery' | 'randomShare' | 'targetRecall' | 'confidence';
type Draft = Record<NumberKey | 'classifier', string> &
  Pick<Settings, 'drugClasses' | 'internalCv'> & {
    resampling: boolean;
  };

/** Switches that change what the model sees or how it learns; drug-class terms are on by default, the others off. */
const SWITCHES: { key: 'drugClasses' | 'resampling' | 'internalCv'; label: string; hint: string }[] = [
  {
    key: 'drugClasses',
    label: 'Treat drugs of the same class as related',
    hint: '(enalapril and lisinopril both count as ACE inhibitors; meant for reviews of drugs)',
  },
  {
    key: 'resampling',
    label: 'Rebalance included and excluded records at each retrain',
    hint: '(dynamic resampling instead of fixed weights)',
  },
  {
    key: 'internalCv',
    label: 'Let this review choose its own model',
    hint: '(once 5 records are included, the model that best predicts this review’s own decisions is used)',
  },
];

const NUMBERS: { key: NumberKey; label: string; hint: string; step: string }[] = [
  { key: 'retrainEvery', label: 'Retrain after this many more settled records', hint: '', step: '1' },
  { key: 'randomShare', label: 'Share of records served at random', hint: '0 to 1', step: '0.05' },
  { key: 'targetRecall', label: 'Stopping rule: recall to reach', hint: 'e.g. 0.95', step: '0.01' },
  { key: 'confidence', label: 'Stopping rule: confidence', hint: 'e.g. 0.95', step: '0.01' },
];

const asNumber = (text: string): number | null => (text.trim() === '' ? null : Number(text));

function Form({
  review,
  stage,
  settings,
  onSaved,
}: {
  review: string;
  stage: string;
  settings: Settings;
  onSaved(): void;
}) {
  const [draft, setDraft] = useState<Draft>({
    retrainEvery: String(settings.retrainEvery),
    randomShare: String(settings.randomShare),
    targetRecall: String(settings.targetRecall),
    confidence: String(settings.confidence),
    classifier: settings.classifier,
    drugClasses: settings.drugClasses,
    resampling: settings.balance === 'dynamic-resampling',
    internalCv: settings.internalCv,
  });
  const save = useSave();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const body = {
      // An empty box is sent as no number (the server says what it must be), not as 0.
      ...Object.fromEntries(NUMBERS.map((n) => [n.key, asNumber(draft[n.key])])),
      classifier: draft.classifier,
      drugClasses: draft.drugClasses,
      balance: draft.resampling ? 'dynamic-resampling' : 'weights',
      internalCv: draft.internalCv,
    };
    const ok = await save.run(
      () => api('PUT', `/reviews/${encodeURIComponent(review)}/prioritisation/${stage}/settings`, body),
      'Saved.',
    );
    if (ok) onSaved();
  };
  return (
    <form onSubmit={submit} className="settings-form" noValidate>
      <div className="inline-form">
        {NUMBERS.map((n) => {
          const id = `prio-${stage}-${n.key}`;
          const message = save.forField(n.key);
          return (
            <label htmlFor={id} key={n.key}>
              {n.label}
              {n.hint && <span className="muted hint"> {n.hint}</span>}
              <input
                id={id}
                type="number"
                step={n.step}
                value={draft[n.key]}
                onChange={(e) => setDraft({ ...draft, [n.key]: e.target.value })}
                {...invalid(id, message)}
              />
              <FieldMessage id={id} message={message} />
            </label>
          );
        })}
        <label htmlFor={`prio-${stage}-classifier`}>
          Model
          <select
            id={`prio-${stage}-classifier`}
            value={draft.classifier}
            onChange={(e) => setDraft({ ...draft, classifier: e.target.value })}
          >
            <option value="svm">Linear SVM (default)</option>
            <option value="naive-bayes">Naive Bayes</option>
            <option value="ensemble">Three models</option>
          </select>
        </label>
      </div>
      <fieldset className="settings-switches">
        <legend>How the model learns</legend>
        {SWITCHES.map((sw) => {
          const id = `prio-${stage}-${sw.key}`;
          return (
            <label htmlFor={id} key={sw.key}>
              <input
                id={id}
                type="checkbox"
                checked={draft[sw.key]}
                onChange={(e) => setDraft({ ...draft, [sw.key]: e.target.checked })}
              />{' '}
              {sw.label} <span className="muted hint">{sw.hint}</span>
            </label>
          );
        })}
      </fieldset>
      <SaveRow
        busy={save.busy}
        saved={save.saved}
        general={save.general(NUMBERS.map((n) => n.key))}
        label="Save prioritisation"
      />
    </form>
  );
}

/** The model that orders records when a stage's order is "prioritised" (set in the stage's settings). */
export function SettingsPrioritisation({ review, stage }: { review: string; stage: string }) {
  const { data, error, reload } = useApi<{ settings: Settings }>(
    `/reviews/${encodeURIComponent(review)}/prioritisation/${stage}`,
  );
  return (
    <Section title="Prioritisation" id={`settings-prioritisation-${stage}`}>
      <p className="muted">
        Used when the stage serves records most-likely-relevant first. The model retrains as records are
        settled; the stopping rule says when the records left are unlikely to hold more relevant ones.
      </p>
      {error && <p className="error">{errorText(error)}</p>}
      {data && (
        // Not keyed by the settings: a save reloads them, and a fresh form would drop its "Saved.".
        <Form review={review} stage={stage} settings={data.settings} onSaved={reload} />
      )}
    </Section>
  );
}
