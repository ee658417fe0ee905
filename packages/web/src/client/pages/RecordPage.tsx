import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { useApi } from '../use-api.ts';
import { useAccess } from '../access.tsx';
import { errorText } from '../error-text.ts';
import { Link } from '../router.tsx';
import { groupReasonWords } from '../group-reason-words.ts';
import { RECORD_STATE_WORDS } from '@winnow/screening/words';
import { languageWords } from '../language-words.ts';
import { publicationTypeWords } from '../publication-type-words.ts';
import { RecordTags } from './RecordTags.tsx';
import { RecordPrismaBox } from './RecordPrismaBox.tsx';
import { ReportFullText } from './FullTextViewer.tsx';
import { FullTextPanel } from './FullTextPanel.tsx';

interface Author {
  asWritten: string;
}
interface RecordData {
  title: string;
  abstract?: string;
  authors?: Author[];
  year?: number;
  journal?: string;
  journalAbbrev?: string;
  publisher?: string;
  volume?: string;
  issue?: string;
  pages?: { asWritten: string };
  doi?: string;
  pmid?: string;
  pmcid?: string;
  url?: string;
  language?: string;
  publicationType?: string;
  publicationTypesRaw?: string[];
  source?: { database?: string; platform?: string };
  keywords?: string[];
  mesh?: string[];
  issn?: string[];
  isbn?: string[];
}
interface Source {
  recordId: string;
  kept: boolean;
  fileName: string;
  importedAt: string;
  sourceName: string | null;
  sourceKind: string | null;
  database: string | null;
  raw: string;
}
interface Entry {
  at: string;
  kind: string;
  who: string | null;
  stage: string | null;
  text: string;
  note: string | null;
}
interface Page {
  id: string;
  data: RecordData;
  group: { id: string; tier: string; reason: string; byReviewer: boolean } | null;
  sources: Source[];
  stages: {
    stage: string;
    status: string;
    state: keyof typeof RECORD_STATE_WORDS | null;
    reasons: string[];
    blind: boolean;
    hiddenReason: string | null;
  }[];
  fullText: { reportId: string; kind: string | null } | null;
  history: Entry[];
  notes: { at: string; who: string | null; text: string }[];
}

const STAGE_WORDS: Record<string, string> = {
  'title-abstract': 'Title/abstract',
  'full-text': 'Full text',
  extraction: 'Extraction',
};
/** Said after the Records page's word for the state when blind screening hides part of it. */
const HIDDEN_WORDS: Record<string, string> = {
  hidden: 'other votes are hidden until you have voted, as screening is blind',
  'hidden-after-vote':
    'your vote is in; the outcome is hidden until the record is settled, as screening is blind',
  'hidden-until-settled': 'the outcome is hidden until the record is settled, as screening is blind',
  'hidden-until-decided':
    'the reviewers’ votes are hidden until you decide the conflict, on the Conflicts page, as adjudication is blind',
};
/** Where the Records page's state is not known (a stage it does not list). */
const STATUS_WORDS: Record<string, string> = {
  'awaiting-votes': 'Awaiting screening',
  advanced: 'Included at this stage',
  excluded: 'Excluded',
  conflict: 'In conflict, awaiting the adjudicator',
  maybe: 'Maybe (to resolve), awaiting the adjudicator',
  hidden: 'Not shown until you have voted (blind screening)',
  'hidden-after-vote':
    'Your vote is in; the outcome is not shown until the record is settled (blind screening)',
  'hidden-until-settled': 'Not shown until the record is settled (blind screening)',
  'hidden-until-decided': 'Not shown until you decide the conflict (blind adjudication)',
};
const KIND_WORDS: Record<string, string> = {
  database: 'database',
  register: 'register',
  website: 'website',
  organisation: 'organisation',
  citation: 'citation searching',
  other: 'other source',
};

const when = (iso: string) => new Date(iso).toLocaleString();

function Field({ label, value }: { label: string; value: string | number | undefined }) {
  if (value === undefined || value === '') return null;
  return (
    <>
      <dt>{label}</dt>
      <dd style={{ margin: 0 }}>{value}</dd>
    </>
  );
}

export function RecordPage({ review, recordId }: { review: string; recordId: string }) {
  const { data, error, reload } = useApi<Page>(`/reviews/${review}/records/${recordId}`);
  const [note, setNote] = useState('');
  const [noteError, setNoteError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const { data: info } = useApi<{ roles: string[] }>(`/reviews/${review}`);
  const isLead = info?.roles.includes('lead') ?? false;
  // Whoever the server lets attach a full text may record where it is, from any record.
  const mayRetrieve = useAccess().can('POST /reviews/:review/reports/:reportId/file');
  /**
   * Bumped when the record's place in PRISMA may have changed here (a split, a full text recorded):
   * the box is asked apart from the page, so it is asked again.
   */
  const [boxVersion, setBoxVersion] = useState(0);
  const [splitting, setSplitting] = useState<string | null>(null);
  const [splitMessage, setSplitMessage] = useState<string | null>(null);

  /** Takes one record out of its duplicate group (the Duplicates page's split), then waits for the dedup run. */
  const splitOut = async (recordId: string, label: string, groupId: string, members: string[]) => {
    const rest = members.filter((id) => id !== recordId);
    if (rest.length === 0) return;
    setSplitting(recordId);
    setSplitMessage(null);
    try {
      const { jobId } = await api<{ jobId: string }>(
        'POST',
        `/reviews/${review}/duplicates/groups/${encodeURIComponent(groupId)}/split`,
        { parts: [[recordId], rest] },
      );
      for (let i = 0; i < 300; i++) {
        const { job } = await api<{ job: { state: string } }>('GET', `/reviews/${review}/jobs/${jobId}`);
        if (job.state === 'failed') throw new Error('Deduplication could not run again after the split.');
        if (job.state === 'completed') break;
        await new Promise((r) => setTimeout(r, 200));
      }
      setSplitMessage(`${label} was split out of the group: it now counts as a report of its own.`);
      setBoxVersion((n) => n + 1);
      reload();
    } catch (err) {
      setSplitMessage(errorText(err));
    } finally {
      setSplitting(null);
    }
  };

  const addNote = async (e: FormEvent) => {
    e.preventDefault();
    setSaving(true);
    try {
      await api('POST', `/reviews/${review}/records/${recordId}/notes`, { text: note });
      setNote('');
      setNoteError(null);
      reload();
    } catch (err) {
      setNoteError(errorText(err));
    } finally {
      setSaving(false);
    }
  };

  if (error)
    return (
      <main>
        <p role="alert">{errorText(error)}</p>
      </main>
    );
  if (!data)
    return (
      <main>
        <p>Loading the record…</p>
      </main>
    );
  const d = data.data;
  const grouped = data.group !== null && data.sources.length > 1;
  // A duplicate removed before screening is never screened itself: its kept record is.
  const removedDuplicate = grouped && data.sources.some((s) => s.recordId === data.id && !s.kept);
  return (
    <main className="record-page">
      <p>
        <Link to={`/reviews/${review}/records`}>← All records</Link>
      </p>
      <h1>{d.title || '(no title)'}</h1>
      <section aria-labelledby="rec-fields">
        <h2 id="rec-fields">Record</h2>
        <dl
          className="record-fields"
          style={{ display: 'grid', gridTemplateColumns: '11rem 1fr', gap: '0.25rem 1rem' }}
        >
          <Field label="Authors" value={(d.authors ?? []).map((a) => a.asWritten).join('; ')} />
          <Field label="Year" value={d.year} />
          <Field label="Journal" value={d.journal} />
          <Field label="Journal abbreviation" value={d.journalAbbrev} />
          <Field label="Publisher" value={d.publisher} />
          <Field label="Volume" value={d.volume} />
          <Field label="Issue" value={d.issue} />
          <Field label="Pages" value={d.pages?.asWritten} />
          <Field label="Type" value={d.publicationType && publicationTypeWords(d.publicationType)} />
          <Field label="Type as exported" value={(d.publicationTypesRaw ?? []).join('; ')} />
          <Field label="Language" value={d.language && languageWords(d.language)} />
          {d.doi && (
            <>
              <dt>DOI</dt>
              <dd style={{ margin: 0 }}>
                <a href={`https://doi.org/${d.doi}`} rel="noreferrer noopener" target="_blank">
                  {d.doi}
                </a>
              </dd>
            </>
          )}
          {d.pmid && (
            <>
              <dt>PubMed</dt>
              <dd style={{ margin: 0 }}>
                <a
                  href={`https://pubmed.ncbi.nlm.nih.gov/${d.pmid}/`}
                  rel="noreferrer noopener"
                  target="_blank"
                >
                  {d.pmid}
                </a>
              </dd>
            </>
          )}
          <Field label="PMC" value={d.pmcid} />
          {d.url && /^https?:\/\//i.test(d.url) && (
            <>
              <dt>Link</dt>
              <dd style={{ margin: 0 }}>
                <a href={d.url} rel="noreferrer noopener" target="_blank">
                  {d.url}
                </a>
              </dd>
            </>
          )}
          <Field label="ISSN" value={d.issn?.join(', ')} />
          <Field label="ISBN" value={d.isbn?.join(', ')} />
          <Field label="Keywords" value={(d.keywords ?? []).join('; ')} />
          <Field label="Subject headings" value={(d.mesh ?? []).join('; ')} />
          <Field label="Database" value={d.source?.database} />
          <Field label="Platform" value={d.source?.platform} />
        </dl>
        {d.abstract && (
          <>
            <h3>Abstract</h3>
            <p className="abstract">{d.abstract}</p>
          </>
        )}
      </section>

      <section aria-labelledby="rec-stages">
        <h2 id="rec-stages">Where it stands</h2>
        {data.stages.length === 0 ? (
          <p>
            {removedDuplicate
              ? 'Not screened: removed as a duplicate. The kept record of this report is screened instead.'
              : 'Not yet in screening.'}
          </p>
        ) : (
          <ul>
            {data.stages.map((s) => (
              <li key={s.stage}>
                {STAGE_WORDS[s.stage] ?? s.stage}:{' '}
                {/* The Records page's words, so a record reads the same in the list and here. */}
                {s.state ? RECORD_STATE_WORDS[s.state] : (STATUS_WORDS[s.status] ?? s.status)}
                {s.reasons.length > 0 && ` (${s.reasons.join('; ')})`}
                {s.state && HIDDEN_WORDS[s.status] ? ` (${HIDDEN_WORDS[s.status]})` : ''}
              </li>
            ))}
          </ul>
        )}
        <RecordPrismaBox key={boxVersion} review={review} recordId={recordId} />
        {data.fullText && !mayRetrieve && data.fullText.kind !== 'file' && data.fullText.kind !== 'url' && (
          <p>
            Full text:{' '}
            {data.fullText.kind === 'not-retrieved' ? 'sought but not retrieved' : 'not attached yet'}
          </p>
        )}
      </section>

      {data.fullText && mayRetrieve ? (
        <section aria-labelledby="rec-fulltext">
          <h2 id="rec-fulltext">Full text</h2>
          <FullTextPanel
            key={data.fullText.reportId}
            review={review}
            reportId={data.fullText.reportId}
            shortcutKeys={false}
            onNotRetrieved={() => undefined}
            onChanged={() => {
              reload();
              setBoxVersion((n) => n + 1);
            }}
          />
        </section>
      ) : (
        data.fullText &&
        (data.fullText.kind === 'file' || data.fullText.kind === 'url') && (
          <section aria-labelledby="rec-fulltext">
            <h2 id="rec-fulltext">Full text</h2>
            <ReportFullText review={review} reportId={data.fullText.reportId} shortcutKeys={false} />
          </section>
        )
      )}

      <section aria-labelledby="rec-sources">
        <h2 id="rec-sources">
          {data.sources.length > 1 ? `Duplicates (${data.sources.length} records of this report)` : 'Source'}
        </h2>
        {data.group && data.sources.length > 1 && (
          <p>
            {data.group.byReviewer ? (
              'A reviewer marked this record the same report as the others. '
            ) : (
              <>
                Grouped as {data.group.tier === 'certain' ? 'certain duplicates' : 'likely duplicates'}:{' '}
                {groupReasonWords(data.group.reason)}.{' '}
              </>
            )}
            {/* Nothing about splitting until the viewer's roles are known: a lead would read "a lead can". */}
            {info &&
              (isLead
                ? 'If a record here is a different report, split it out of the group. '
                : 'A lead can split a record out of the group. ')}
            All groups are on the <Link to={`/reviews/${review}/duplicates`}>Duplicates page</Link>.
          </p>
        )}
        {splitMessage && (
          <p className="notice" role="status">
            {splitMessage}
          </p>
        )}
        <ul className="record-sources">
          {data.sources.map((s) => (
            <li key={s.recordId}>
              <p>
                {s.recordId === data.id ? (
                  <strong>This record</strong>
                ) : (
                  <Link to={`/reviews/${review}/records/${s.recordId}`}>Duplicate</Link>
                )}
                {grouped ? (s.kept ? ' (kept)' : ' (removed as a duplicate)') : ''}: from {s.fileName}
                {s.sourceName ? `, ${s.sourceName}` : ''}
                {s.sourceKind ? ` (${KIND_WORDS[s.sourceKind] ?? s.sourceKind})` : ''}
                {s.database && s.database !== s.sourceName ? `, ${s.database}` : ''}, imported{' '}
                {when(s.importedAt)}
                {isLead && data.group && data.sources.length > 1 && (
                  <>
                    {' '}
                    <button
                      type="button"
                      aria-label={`Split ${s.recordId === data.id ? 'this record' : `the duplicate from ${s.fileName}`} out of the group`}
                      disabled={splitting !== null}
                      onClick={() =>
                        void splitOut(
                          s.recordId,
                          s.recordId === data.id ? 'This record' : `The record from ${s.fileName}`,
                          data.group!.id,
                          data.sources.map((x) => x.recordId),
                        )
                      }
                    >
                      {splitting === s.recordId ? 'Splitting…' : 'Split out of the group'}
                    </button>
                  </>
                )}
              </p>
              <details>
                <summary>Export text as imported</summary>
                <pre className="raw-record">{s.raw || '(none: added by hand)'}</pre>
              </details>
            </li>
          ))}
        </ul>
      </section>

      <RecordTags review={review} recordId={recordId} onChanged={reload} />
      <section aria-labelledby="rec-notes">
        <h2 id="rec-notes">Notes</h2>
        <form onSubmit={addNote}>
          <label htmlFor="rec-note">Add a note</label>
          <textarea id="rec-note" value={note} onChange={(e) => setNote(e.target.value)} rows={3} />
          {noteError && <p role="alert">{noteError}</p>}
          <button type="submit" disabled={saving}>
            Save note
          </button>
        </form>
        {data.notes.length === 0 ? (
          <p>No notes yet.</p>
        ) : (
          <ul>
            {data.notes.map((n, i) => (
              <li key={i}>
                <strong>{n.who ?? 'Someone'}</strong>, {when(n.at)}: {n.text}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="rec-history">
        <h2 id="rec-history">History</h2>
        {data.stages.some((s) => s.hiddenReason) && <p>Some votes are not shown: screening is blind.</p>}
        <ol className="record-history">
          {data.history.map((h, i) => (
            <li key={i}>
              <time dateTime={h.at}>{when(h.at)}</time> · {h.who ?? 'Winnow'}
              {h.stage ? ` · ${STAGE_WORDS[h.stage] ?? h.stage}` : ''} · {h.text}
              {h.note && h.kind !== 'record.noted' ? ` (note: ${h.note})` : ''}
              {h.kind === 'record.noted' && h.note ? `: ${h.note}` : ''}
            </li>
          ))}
        </ol>
      </section>
    </main>
  );
}
