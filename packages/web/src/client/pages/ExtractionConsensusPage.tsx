import { useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { useApi } from '../use-api.ts';
import {
  codeLabels,
  type CodeLabels,
  type Codebook,
  type EmergentCode,
  type FieldValue,
  type Quote,
  type Study,
  type Values,
} from './extraction-types.ts';
import { errorText } from '../error-text.ts';

interface Difference {
  field: string;
  label: string;
  values: Record<string, FieldValue | undefined>;
  /** Both coders' answers together, for fields that hold several. */
  combined?: FieldValue;
}
/** The choice that takes both coders' answers together (coder ids are UUIDs, never this). */
const BOTH = 'both';
interface ConsensusResponse {
  draft: { coders: string[]; values: Values; differences: Difference[] } | null;
  submitted: number;
  needed: number;
  final: { values: Values; resolvedFields: string[] } | null;
}

/**
 * A quotation with the report of a study of several it was taken from ("Report 2: Trial results"):
 * two coders may quote the same words from different reports, and the difference must show.
 */
const quoted = (q: Quote): string => `“${q.text}”${q.location ? ` from ${q.location}` : ''}`;

/** One coder's answer to `field` in words, each option or code by that field's own label. */
function describe(field: string, v: FieldValue | undefined, labels: CodeLabels): string {
  if (!v) return '(empty)';
  const label = (key: string) => labels(field, key) ?? key;
  switch (v.type) {
    case 'single_choice':
      return v.option === null ? '(none)' : label(v.option);
    case 'multi_choice':
      return v.options.map(label).join(', ') || '(none)';
    case 'text':
      return v.text || '(empty)';
    case 'number':
      return v.value === null ? '(empty)' : String(v.value);
    case 'quotation':
      return v.quotes.map(quoted).join('; ') || '(none)';
    case 'code_tree':
      // Each code with the quotations given for it: coders who agree on a code may quote differently.
      return (
        v.applications
          .map((a) => `${label(a.code)}${a.quotes.length ? ` (${a.quotes.map(quoted).join('; ')})` : ''}`)
          .join(', ') || '(none)'
      );
  }
}

/** A lead or adjudicator settles each difference by taking one coder's answer, then finalises. */
export function ExtractionConsensusPage({ review, study }: { review: string; study: string }) {
  const path = `/reviews/${review}/extraction/studies/${study}/consensus`;
  const { data, error, reload } = useApi<ConsensusResponse>(path);
  const { data: book } = useApi<{ codebook?: Codebook }>(`/reviews/${review}/extraction/codebook`);
  const { data: emergent } = useApi<{ codes: EmergentCode[] }>(
    `/reviews/${review}/extraction/emergent-codes`,
  );
  const { data: studyData } = useApi<{ study: Study }>(`/reviews/${review}/extraction/studies/${study}`);
  const labels = codeLabels(book?.codebook ? [book.codebook] : [], emergent?.codes ?? []);
  const [choice, setChoice] = useState<Record<string, string>>({});
  const [message, setMessage] = useState<string | null>(null);
  if (error && !data)
    return (
      <main>
        <p className="error">{errorText(error)}</p>
        <Link to={`/reviews/${review}/extraction`}>← Extraction</Link>
      </main>
    );
  if (!data)
    return (
      <main>
        <p>Loading…</p>
      </main>
    );
  const draft = data.draft;
  const anyCombined = !!draft?.differences.some((d) => d.combined);
  const finalise = async () => {
    if (!draft) return;
    const resolutions: Values = {};
    for (const d of draft.differences) {
      const coder = choice[d.field];
      const v = coder === BOTH ? d.combined : coder ? d.values[coder] : undefined;
      if (coder && v) resolutions[d.field] = v;
      else if (coder) resolutions[d.field] = emptyLike(d);
    }
    try {
      await api('POST', path, { resolutions });
      setMessage('Consensus finalised.');
      reload();
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  return (
    <main>
      <p>
        <Link to={`/reviews/${review}/extraction`}>← Extraction</Link>
      </p>
      <h1>Consensus</h1>
      {studyData && (
        <p className="study-citation" data-testid="consensus-study">
          Study {studyData.study.number}: {studyData.study.citation || studyData.study.label}
        </p>
      )}
      {!draft && (
        <p>
          {data.submitted} of {data.needed} {data.needed === 1 ? 'coding' : 'codings'} submitted; consensus
          waits for all.
        </p>
      )}
      {draft && (
        <>
          <p className="muted">
            {draft.differences.length === 0
              ? 'The coders agree on every field; finalising keeps their answers.'
              : `${draft.differences.length} ${draft.differences.length === 1 ? 'field differs' : 'fields differ'} between the coders: choose one answer for each${anyCombined ? ', or both coders’ answers together where a field holds several' : ''}. Agreed fields are carried over.`}
            {data.final ? ' A final record exists; finalising again replaces it (both stay in the log).' : ''}
          </p>
          {draft.differences.length > 0 && (
            <table>
              <thead>
                <tr>
                  <th>Field</th>
                  {draft.coders.map((c, i) => (
                    <th key={c}>Coder {i + 1}</th>
                  ))}
                  {anyCombined && <th>Both coders</th>}
                </tr>
              </thead>
              <tbody>
                {draft.differences.map((d) => (
                  <tr key={d.field} data-difference={d.field}>
                    <td>{d.label}</td>
                    {draft.coders.map((c) => (
                      <td key={c}>
                        <label>
                          <input
                            type="radio"
                            name={d.field}
                            checked={choice[d.field] === c}
                            onChange={() => setChoice((x) => ({ ...x, [d.field]: c }))}
                          />{' '}
                          {describe(d.field, d.values[c], labels)}
                        </label>
                      </td>
                    ))}
                    {anyCombined && (
                      <td>
                        {d.combined ? (
                          <label>
                            <input
                              type="radio"
                              name={d.field}
                              checked={choice[d.field] === BOTH}
                              onChange={() => setChoice((x) => ({ ...x, [d.field]: BOTH }))}
                            />{' '}
                            {describe(d.field, d.combined, labels)}
                          </label>
                        ) : (
                          <span className="muted">One answer only</span>
                        )}
                      </td>
                    )}
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <button type="button" onClick={() => void finalise()}>
            Finalise consensus
          </button>
        </>
      )}
      {message && <p role="status">{message}</p>}
    </main>
  );
}

function emptyLike(d: Difference): FieldValue {
  const any = Object.values(d.values).find(Boolean);
  switch (any?.type) {
    case 'multi_choice':
      return { type: 'multi_choice', options: [] };
    case 'text':
      return { type: 'text', text: '' };
    case 'number':
      return { type: 'number', value: null };
    case 'quotation':
      return { type: 'quotation', quotes: [] };
    case 'code_tree':
      return { type: 'code_tree', applications: [] };
    default:
      return { type: 'single_choice', option: null };
  }
}
