import { useState } from 'react';
import { api } from '../api.ts';
import { useApi } from '../use-api.ts';
import { errorText } from '../error-text.ts';
import { useAccess } from '../access.tsx';
import { timeAgo } from '../time-ago.ts';

interface Stopping {
  pValue: number;
  canStop: boolean;
  estimatedRecall: number;
  window: number;
  screened: number;
  relevantFound: number;
  total: number;
  targetRecall: number;
  confidence: number;
}
interface Status {
  settings: {
    retrainEvery: number;
    randomShare: number;
    targetRecall: number;
    confidence: number;
    classifier: string;
  };
  votes: number;
  settled: { labelled: number; included: number; excluded: number };
  settledSinceModel: number;
  model: {
    id: number;
    classifier: string;
    records: number;
    labelled: number;
    relevant: number;
    trainedAt: string;
    /** How long its retrain took (ms), when recorded. */
    busyMs: number | null;
    stopping: Stopping | null;
  } | null;
  stopped: { at: string; excluded: number } | null;
  /** The server's clock when it answered. */
  now: string;
  /** The stage's order of records (Settings): `prioritised` serves them in the model's order. */
  order: 'random' | 'prioritised';
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
const records = (n: number) => `${n} settled record${n === 1 ? '' : 's'}`;
const CLASSIFIERS: Record<string, string> = {
  svm: 'linear SVM',
  'naive-bayes': 'naive Bayes',
  ensemble: 'SVM, naive Bayes and logistic regression together',
};

/** Prioritisation dashboard: model state, the stopping test as screening goes, and the lead's "stop early". */
export function PrioritisationPage({ review }: { review: string }) {
  const stage = 'title-abstract';
  const path = `/reviews/${review}/prioritisation/${stage}`;
  const { data, error, reload } = useApi<Status>(path, 5000);
  const [message, setMessage] = useState<string | null>(null);
  const canStop = useAccess().can('POST /reviews/:review/prioritisation/:stage/stop');

  const stop = async (force: boolean) => {
    if (
      !window.confirm(
        force
          ? 'Stop although the test does not support it? Remaining unscreened records will be excluded as "automation".'
          : 'Exclude the remaining unscreened records as "automation"?',
      )
    )
      return;
    try {
      const r = await api<{ excluded: number }>('POST', `${path}/stop`, { force });
      setMessage(`${r.excluded} records excluded by the stopping rule.`);
      reload();
    } catch (e) {
      setMessage(errorText(e));
    }
  };

  if (error) return <p className="error">{errorText(error)}</p>;
  if (!data) return <p>Loading…</p>;
  const s = data.model?.stopping ?? null;
  return (
    <section>
      <h1>Prioritisation (title/abstract)</h1>
      <p data-testid="served-order">
        {data.order === 'prioritised' ? (
          'Records are served most likely relevant first. '
        ) : (
          <>
            Records are served in random order, as the review’s settings say (“Order of records”). The model
            still ranks them, for the stopping test below and the Records page’s “Prioritisation score”
            sort.{' '}
          </>
        )}
        The model ({CLASSIFIERS[data.settings.classifier] ?? 'model'}) retrains each time{' '}
        {data.settings.retrainEvery} more records are settled
        {data.model && <> ({data.settledSinceModel} so far since it last trained)</>}. It waits between
        retrains so that retraining takes no more than about a tenth of the time (this matters when many
        people vote at once, or when a large review takes long to retrain).
      </p>
      {data.model ? (
        <>
          <p data-testid="last-trained">
            Last trained{' '}
            <time dateTime={data.model.trainedAt} title={new Date(data.model.trainedAt).toLocaleString()}>
              {timeAgo(Date.parse(data.now) - Date.parse(data.model.trainedAt))}
            </time>{' '}
            on {records(data.model.labelled)} ({data.model.relevant} included,{' '}
            {data.model.labelled - data.model.relevant} excluded)
            {data.model.busyMs != null && <>; the retrain took {(data.model.busyMs / 1000).toFixed(1)} s</>}.
          </p>
          <table>
            <tbody>
              <tr>
                <th>Records ranked</th>
                <td>{data.model.records}</td>
              </tr>
              <tr>
                <th>Estimated recall</th>
                <td>{s ? pct(s.estimatedRecall) : '–'}</td>
              </tr>
              <tr>
                <th>
                  Chance of this few includes among the last records screened if fewer than{' '}
                  {pct(data.settings.targetRecall)} of all includes had been found (p-value)
                </th>
                <td data-testid="stopping-chance">{s ? s.pValue.toPrecision(3) : '–'}</td>
              </tr>
              <tr>
                <th>Safe to stop at {pct(data.settings.confidence)} confidence</th>
                <td data-testid="can-stop">
                  {s?.canStop
                    ? `Yes: that chance is below ${pct(1 - data.settings.confidence)}.`
                    : `Not yet: stopping needs that chance below ${pct(1 - data.settings.confidence)}${
                        s ? ` (it is ${pct(s.pValue)} now)` : ''
                      }. It falls as more records are screened without finding new includes.`}
                </td>
              </tr>
            </tbody>
          </table>
        </>
      ) : (
        <p data-testid="last-trained">
          No model yet: it trains as soon as at least one included and one excluded record are settled (so far{' '}
          {data.settled.included} included, {data.settled.excluded} excluded).
        </p>
      )}
      {data.stopped ? (
        <p>
          Screening stopped early on {new Date(data.stopped.at).toLocaleString()}: {data.stopped.excluded}{' '}
          records excluded by automation.
        </p>
      ) : (
        canStop && (
          <p>
            <button type="button" onClick={() => void stop(false)} disabled={!s?.canStop}>
              Stop early
            </button>{' '}
            <button type="button" onClick={() => void stop(true)}>
              Stop anyway
            </button>
          </p>
        )
      )}
      {message && <p role="status">{message}</p>}
    </section>
  );
}
