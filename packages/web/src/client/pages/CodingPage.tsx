import { useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { Link } from '../router.tsx';
import { useApi } from '../use-api.ts';
import {
  optionDepth,
  type CodeApplication,
  type CodeNode,
  type Codebook,
  type EmergentCode,
  type Field,
  type FieldValue,
  type Quote,
  type Study,
  type Values,
  quoteWhere,
  titleInSentence,
} from './extraction-types.ts';
import { errorText, fieldErrors } from '../error-text.ts';

interface StudyResponse {
  study: Study;
  coding: { values: Values; status: string; codebookVersion: number } | null;
  codebook: Codebook;
}

/**
 * The last text the coder selected in the source panes, with the page it sits on when it was
 * taken from the PDF's text: what "Add selected text" quotes.
 */
function useSelectedText(): React.RefObject<{ text: string; page?: number; report?: string }> {
  const selected = useRef<{ text: string; page?: number; report?: string }>({ text: '' });
  useEffect(() => {
    const onChange = () => {
      const sel = document.getSelection();
      const text = sel?.toString().trim() ?? '';
      const node = sel?.anchorNode ?? null;
      const el = node instanceof Element ? node : (node?.parentElement ?? null);
      if (!text || !el?.closest('.source')) return;
      const page = Number(el.closest('[data-page]')?.getAttribute('data-page'));
      // The report the text is of, in a study of several (the source shows one at a time).
      const report = el.closest('[data-report]')?.getAttribute('data-report') ?? undefined;
      selected.current = {
        text,
        ...(Number.isInteger(page) && page > 0 ? { page } : {}),
        ...(report ? { report } : {}),
      };
    };
    document.addEventListener('selectionchange', onChange);
    return () => document.removeEventListener('selectionchange', onChange);
  }, []);
  return selected;
}

function QuoteList({ quotes, onChange }: { quotes: Quote[]; onChange: (q: Quote[]) => void }) {
  return (
    <ul className="quotes">
      {quotes.map((q, i) => (
        <li key={i} data-quote={q.text}>
          “{q.text}”{quoteWhere(q) ? ` (${quoteWhere(q)})` : ''}{' '}
          <button
            type="button"
            aria-label="Remove quotation"
            onClick={() => onChange(quotes.filter((_, j) => j !== i))}
          >
            ×
          </button>
        </li>
      ))}
    </ul>
  );
}

interface PdfTextResponse {
  status: 'read' | 'no-text-layer' | 'failed' | 'pending';
  message: string | null;
  pages: Array<{ page: number; text: string }>;
}

/** Coding form for one study, with its full text beside it. */
export function CodingPage({ review, study }: { review: string; study: string }) {
  const base = `/reviews/${review}/extraction`;
  const { data, error } = useApi<StudyResponse>(`${base}/studies/${study}`);
  const [values, setValues] = useState<Values>({});
  const [extraCodes, setExtraCodes] = useState<
    Record<string, { key: string; label: string; parentKey: string | null }[]>
  >({});
  // Emergent codes already proposed (a coder's own; a lead's: all), so a coding that applies one
  // still shows it after a reload, before a lead approves it into the codebook.
  const { data: emergent } = useApi<{ codes: EmergentCode[] }>(`${base}/emergent-codes`);
  const [page, setPage] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const selected = useSelectedText();
  // A study of several reports: the coder reads one at a time (first: the one with a file, as before).
  const [reportId, setReportId] = useState<string | null>(null);
  const reports = data?.study.reports ?? [];
  const shown = reports.find((r) => r.id === reportId) ?? reports.find((r) => r.fullText) ?? reports[0];
  const fileUrl = shown ? `${base}/studies/${study}/fulltext?report=${shown.id}` : '';
  const { data: pdfText, reload: reloadText } = useApi<PdfTextResponse>(
    shown?.fullText ? `${base}/studies/${study}/fulltext/text?report=${shown.id}` : null,
  );
  // The text is read by a job after upload: ask again while it is being read.
  useEffect(() => {
    if (pdfText?.status !== 'pending') return;
    const t = window.setTimeout(reloadText, 1000);
    return () => window.clearTimeout(t);
  }, [pdfText, reloadText]);

  useEffect(() => {
    if (data?.coding) setValues(data.coding.values);
  }, [data]);

  if (error)
    return (
      <main>
        <p className="error">{errorText(error)}</p>
      </main>
    );
  if (!data)
    return (
      <main>
        <p>Loading…</p>
      </main>
    );
  const { codebook } = data;

  const set = (key: string, v: FieldValue) => setValues((old) => ({ ...old, [key]: v }));
  /** A code tree's codes with the emergent ones proposed for it, each once, under the theme chosen. */
  const withEmergent = (field: Extract<Field, { type: 'code_tree' }>): CodeNode[] => {
    const proposed = [
      ...(emergent?.codes ?? []).filter((c) => c.fieldKey === field.key && c.status === 'proposed'),
      ...(extraCodes[field.key] ?? []),
    ];
    const tree = structuredClone(field.codes);
    const find = (nodes: CodeNode[], key: string): CodeNode | undefined => {
      for (const n of nodes) {
        const hit = n.key === key ? n : find(n.children ?? [], key);
        if (hit) return hit;
      }
      return undefined;
    };
    for (const c of proposed) {
      if (find(tree, c.key)) continue;
      const node: CodeNode = { key: c.key, label: c.label, inductive: true };
      const parent = c.parentKey ? find(tree, c.parentKey) : undefined;
      if (parent) (parent.children ??= []).push(node);
      else tree.push(node);
    }
    return tree;
  };
  const takeQuote = (): Quote | null => {
    const { text, page: fromPdf, report } = selected.current;
    if (!text) {
      setMessage('Select text in the full text or abstract first.');
      return null;
    }
    // A page typed by the coder wins over the page the text was found on.
    const n = page.trim() ? Number(page) : (fromPdf ?? NaN);
    // In a study of several reports, which report the page is of.
    const at = reports.findIndex((r) => r.id === report);
    const where =
      reports.length > 1 && at >= 0
        ? { location: `Report ${at + 1}: ${titleInSentence(reports[at]!.title)}` }
        : {};
    return Number.isInteger(n) && n > 0 ? { text, page: n, ...where } : { text, ...where };
  };

  const save = async (submit: boolean) => {
    try {
      await api('PUT', `${base}/studies/${study}/coding`, { values, submit });
      setInvalid({});
      setMessage(submit ? 'Submitted.' : 'Draft saved.');
    } catch (e) {
      const byField = fieldErrors(e);
      setInvalid(byField);
      setMessage(
        Object.keys(byField).length > 0
          ? `The coding was not ${submit ? 'submitted' : 'saved'}: fix the highlighted fields.`
          : errorText(e),
      );
      const first = Object.keys(byField)[0];
      if (first)
        document.querySelector(`[data-field="${CSS.escape(first)}"]`)?.scrollIntoView({ block: 'center' });
    }
  };

  const renderTree = (
    field: Field & { type: 'code_tree' },
    nodes: CodeNode[],
    depth: number,
  ): React.ReactNode => {
    const v = values[field.key];
    const apps: CodeApplication[] = v?.type === 'code_tree' ? v.applications : [];
    const setApps = (a: CodeApplication[]) => set(field.key, { type: 'code_tree', applications: a });
    return (
      <ul className="code-tree" style={{ paddingLeft: depth ? 18 : 0 }}>
        {nodes.map((n) => {
          const app = apps.find((a) => a.code === n.key);
          return (
            <li key={n.key}>
              <label>
                <input
                  type="checkbox"
                  name={`${field.key}:${n.key}`}
                  checked={!!app}
                  onChange={(e) =>
                    setApps(
                      e.target.checked
                        ? [...apps, { code: n.key, quotes: [], ...(n.inductive ? { inductive: true } : {}) }]
                        : apps.filter((a) => a.code !== n.key),
                    )
                  }
                />{' '}
                {n.label}
                {n.inductive && <span className="muted"> (emergent)</span>}
              </label>
              {app && (
                <>
                  {' '}
                  <button
                    type="button"
                    data-quote-for={n.key}
                    onClick={() => {
                      const q = takeQuote();
                      if (q)
                        setApps(apps.map((a) => (a.code === n.key ? { ...a, quotes: [...a.quotes, q] } : a)));
                    }}
                  >
                    Add selected text
                  </button>
                  <QuoteList
                    quotes={app.quotes}
                    onChange={(quotes) => setApps(apps.map((a) => (a.code === n.key ? { ...a, quotes } : a)))}
                  />
                </>
              )}
              {n.children && renderTree(field, n.children, depth + 1)}
            </li>
          );
        })}
      </ul>
    );
  };

  const renderField = (field: Field) => {
    const v = values[field.key];
    switch (field.type) {
      case 'single_choice':
        return (
          <select
            name={field.key}
            aria-label={field.label}
            value={v?.type === 'single_choice' ? (v.option ?? '') : ''}
            onChange={(e) => set(field.key, { type: 'single_choice', option: e.target.value || null })}
          >
            <option value="">—</option>
            {field.options.map((o) => (
              <option key={o.key} value={o.key}>
                {'\u00a0\u00a0'.repeat(optionDepth(field.options, o.key))}
                {o.label}
              </option>
            ))}
          </select>
        );
      case 'multi_choice': {
        const chosen = v?.type === 'multi_choice' ? v.options : [];
        return (
          <div className="choices">
            {field.options.map((o) => (
              <label key={o.key}>
                <input
                  type="checkbox"
                  name={`${field.key}:${o.key}`}
                  checked={chosen.includes(o.key)}
                  onChange={(e) =>
                    set(field.key, {
                      type: 'multi_choice',
                      options: e.target.checked ? [...chosen, o.key] : chosen.filter((k) => k !== o.key),
                    })
                  }
                />{' '}
                {o.label}
              </label>
            ))}
          </div>
        );
      }
      case 'text':
        return (
          <textarea
            name={field.key}
            aria-label={field.label}
            value={v?.type === 'text' ? v.text : ''}
            onChange={(e) => set(field.key, { type: 'text', text: e.target.value })}
          />
        );
      case 'number':
        return (
          <input
            type="number"
            name={field.key}
            aria-label={field.label}
            value={v?.type === 'number' && v.value !== null ? v.value : ''}
            onChange={(e) =>
              set(field.key, { type: 'number', value: e.target.value === '' ? null : Number(e.target.value) })
            }
          />
        );
      case 'quotation': {
        const quotes = v?.type === 'quotation' ? v.quotes : [];
        return (
          <>
            <button
              type="button"
              data-quote-for={field.key}
              onClick={() => {
                const q = takeQuote();
                if (q) set(field.key, { type: 'quotation', quotes: [...quotes, q] });
              }}
            >
              Add selected text
            </button>
            <QuoteList quotes={quotes} onChange={(q) => set(field.key, { type: 'quotation', quotes: q })} />
          </>
        );
      }
      case 'code_tree':
        return (
          <>
            {renderTree(field, withEmergent(field), 0)}
            <EmergentForm
              field={field}
              onAdd={async (label, parentKey) => {
                const apps = v?.type === 'code_tree' ? v.applications : [];
                const { code } = await api<{ code: { key: string; label: string } }>(
                  'POST',
                  `${base}/emergent-codes`,
                  {
                    fieldKey: field.key,
                    parentKey: parentKey || null,
                    label,
                    studyId: study,
                  },
                );
                setExtraCodes((x) => ({
                  ...x,
                  [field.key]: [
                    ...(x[field.key] ?? []).filter((c) => c.key !== code.key),
                    { key: code.key, label: code.label, parentKey: parentKey || null },
                  ],
                }));
                // The same code proposed again (its name typed twice) is the one already applied.
                if (apps.some((a) => a.code === code.key)) {
                  setMessage(`“${code.label}” is already applied to this study.`);
                  return;
                }
                set(field.key, {
                  type: 'code_tree',
                  applications: [...apps, { code: code.key, quotes: [], inductive: true }],
                });
                setMessage(
                  `Emergent code “${code.label}” proposed; a lead approves it into the next codebook version.`,
                );
              }}
            />
          </>
        );
    }
  };

  const s = data.study;
  const abstract = shown ? shown.abstract : s.abstract;
  return (
    <main className="coding">
      <p>
        <Link to={`/reviews/${review}/extraction`}>← Extraction</Link>
      </p>
      <h1>
        Study {s.number}: {s.citation || s.label}
      </h1>
      <div className="coding-layout">
        <section className="source" aria-label="Full text" data-report={shown?.id}>
          {reports.length > 1 && (
            <nav className="study-report-tabs" aria-label="Reports of this study">
              {reports.map((r, i) => (
                <button
                  key={r.id}
                  type="button"
                  aria-pressed={r.id === shown?.id}
                  onClick={() => setReportId(r.id)}
                  title={r.title}
                >
                  Report {i + 1} of {reports.length}
                  {r.fullText ? '' : ' (no file)'}
                </button>
              ))}
            </nav>
          )}
          {shown?.fullText?.mediaType === 'application/pdf' ? (
            <iframe key={shown.id} title="Full text" src={`/api${fileUrl}`} className="fulltext" />
          ) : shown?.fullText ? (
            <p>
              <a href={`/api${fileUrl}`} download>
                Download the full text
              </a>
            </p>
          ) : (
            <p className="muted">
              {reports.length > 1 ? 'No full text attached to this report.' : 'No full text attached.'}
            </p>
          )}
          <div className="source-text">
            <h2>{shown?.title ?? s.title}</h2>
            {abstract && <p>{abstract}</p>}
            {pdfText && pdfText.status !== 'read' && pdfText.message && (
              <p className="muted" data-testid="text-status" data-status={pdfText.status}>
                {pdfText.message}
              </p>
            )}
            {pdfText?.status === 'read' && pdfText.message && <p className="muted">{pdfText.message}</p>}
            {pdfText?.pages.map((p) => (
              <section key={p.page} data-page={p.page} className="pdf-page">
                <h3>Page {p.page}</h3>
                <p>{p.text}</p>
              </section>
            ))}
          </div>
        </section>
        <form
          className="coding-form"
          onSubmit={(e) => {
            e.preventDefault();
            void save(true);
          }}
        >
          <p className="muted">
            Codebook {codebook.name} v{codebook.version}
            {data.coding ? ` · your coding: ${data.coding.status}` : ''}
          </p>
          <label>
            Page of selected text{' '}
            <input name="quote-page" size={4} value={page} onChange={(e) => setPage(e.target.value)} />
          </label>
          {codebook.fields.map((f) => (
            <fieldset
              key={f.key}
              data-field={f.key}
              className={invalid[f.key] ? 'invalid' : undefined}
              aria-invalid={invalid[f.key] ? true : undefined}
              aria-describedby={invalid[f.key] ? `error-${f.key}` : undefined}
            >
              <legend>
                {f.label}
                {f.required ? ' *' : ''}
              </legend>
              {invalid[f.key] && (
                <p className="field-error" id={`error-${f.key}`}>
                  {sentence(invalid[f.key] ?? '')}
                </p>
              )}
              {f.description && <p className="muted">{f.description}</p>}
              {renderField(f)}
            </fieldset>
          ))}
          {message && <p role="status">{message}</p>}
          <button type="button" onClick={() => void save(false)}>
            Save draft
          </button>{' '}
          <button type="submit">Submit coding</button>
        </form>
      </div>
    </main>
  );
}

function EmergentForm({
  field,
  onAdd,
}: {
  field: Field & { type: 'code_tree' };
  onAdd: (label: string, parent: string) => Promise<void>;
}) {
  const [label, setLabel] = useState('');
  const [parent, setParent] = useState('');
  const [error, setError] = useState<string | null>(null);
  return (
    <div className="emergent">
      <input
        name={`emergent-label:${field.key}`}
        aria-label={`New emergent code for ${field.label}`}
        placeholder="New emergent code"
        value={label}
        onChange={(e) => setLabel(e.target.value)}
      />{' '}
      <select
        name={`emergent-parent:${field.key}`}
        aria-label="Theme the new code belongs to"
        value={parent}
        onChange={(e) => setParent(e.target.value)}
      >
        <option value="">(new theme)</option>
        {field.codes.map((c) => (
          <option key={c.key} value={c.key}>
            under {c.label}
          </option>
        ))}
      </select>{' '}
      <button
        type="button"
        onClick={async () => {
          try {
            await onAdd(label, parent);
            setLabel('');
            setError(null);
          } catch (e) {
            setError(errorText(e));
          }
        }}
      >
        Add emergent code
      </button>
      {error && <span className="error"> {error}</span>}
    </div>
  );
}

/** A server message shown on its own under a field starts with a capital letter. */
function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
