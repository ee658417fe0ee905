import { useEffect, useState, type FormEvent } from 'react';
import { api, apiDownload, ApiError } from '../api.ts';
import { useAccess } from '../access.tsx';
import { errorText } from '../error-text.ts';
import { tagResultWords } from '../tag-result-words.ts';
import { Link } from '../router.tsx';
import { useApi } from '../use-api.ts';
import { DUPLICATE_STATUS_WORDS, RECORD_STATE_WORDS } from '@winnow/screening/words';

type Stage = 'title-abstract' | 'full-text';
interface Facet {
  value: string;
  label: string;
  count: number;
}
interface Item {
  recordId: string;
  title: string;
  authors: string[];
  year: number | null;
  journal: string | null;
  source: { importId: string; label: string };
  duplicate: 'unique' | 'kept' | 'removed';
  hasFullText: boolean;
  matchedInFullText: boolean;
  tags: string[];
  states: Record<Stage, string>;
  reasons: Record<Stage, string[]>;
}
interface LibraryPage {
  total: number;
  items: Item[];
  facets: Record<'state' | 'reason' | 'source' | 'duplicate' | 'fullText' | 'year' | 'tag', Facet[]>;
}

/** What the page asks for: the URL's query string, so a search can be bookmarked and shared. */
interface Filters {
  q: string;
  stage: Stage;
  state: string;
  reason: string;
  tag: string;
  source: string;
  duplicate: string;
  fullText: string;
  yearFrom: string;
  yearTo: string;
  sort: string;
  offset: number;
}
const EMPTY: Filters = {
  q: '',
  stage: 'title-abstract',
  state: '',
  reason: '',
  tag: '',
  source: '',
  duplicate: '',
  fullText: '',
  yearFrom: '',
  yearTo: '',
  sort: 'relevance',
  offset: 0,
};
const PAGE_SIZE = 50;

const STATE_WORDS: Record<string, string> = RECORD_STATE_WORDS;
const DUPLICATE_WORDS: Record<string, string> = DUPLICATE_STATUS_WORDS;
const FULLTEXT_WORDS: Record<string, string> = { true: 'Full text attached', false: 'No full text' };
const STAGE_WORDS: Record<Stage, string> = { 'title-abstract': 'Title/abstract', 'full-text': 'Full text' };
const SORT_WORDS: Record<string, string> = {
  relevance: 'Relevance',
  year: 'Year (newest first)',
  title: 'Title (A–Z)',
  activity: 'Last screening activity',
  score: 'Prioritisation score',
};

function readFilters(): Filters {
  const p = new URLSearchParams(window.location.search);
  const f = { ...EMPTY };
  for (const key of Object.keys(EMPTY) as (keyof Filters)[]) {
    const v = p.get(key);
    if (v === null) continue;
    if (key === 'offset') f.offset = Math.max(0, Number(v) || 0);
    else if (key === 'stage') f.stage = v === 'full-text' ? 'full-text' : 'title-abstract';
    else f[key] = v;
  }
  return f;
}

function queryString(f: Filters, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(f)) {
    const d = EMPTY[k as keyof Filters];
    if (v !== '' && v !== d) p.set(k, String(v));
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

/** The filters the server refused, by the field it named: the page shows that message on the field. */
const YEAR_FIELDS = ['yearFrom', 'yearTo'];
const refusedField = (e: unknown) => (e instanceof ApiError && e.status === 422 ? (e.field ?? '') : '');

export function RecordsPage({ review }: { review: string }) {
  const [filters, setFilters] = useState<Filters>(readFilters);
  const [draft, setDraft] = useState(filters.q);
  // The year filter's own refusal (a year that is not four digits, a reversed range) once applied.
  const [yearsRefused, setYearsRefused] = useState(false);
  const qs = queryString(filters, { limit: String(PAGE_SIZE) });
  const { data: answer, fresh, error, reload } = useApi<LibraryPage>(`/reviews/${review}/records?${qs}`);
  // Sorted by a ranking that does not exist yet, the list is in title order: said, not left to guess.
  const ranking = useApi<{ model: unknown }>(
    filters.sort === 'score' ? `/reviews/${review}/prioritisation/title-abstract` : null,
  );
  const unranked = filters.sort === 'score' && ranking.data !== undefined && ranking.data.model === null;
  const refused = refusedField(error);
  const searchError = refused === 'q' ? errorText(error) : null;
  const yearsError = YEAR_FIELDS.includes(refused) ? errorText(error) : null;
  // A refused request has no results: what the last good answer showed would be stale.
  const data = error || yearsRefused ? undefined : answer;
  // The records and their count are those of the filters on screen only: while the next answer
  // loads, the last one's records (page 1's, under "Page 2") would be numbered and counted as its.
  const results = fresh ? data : undefined;
  // The filters stay usable while the search or the years are refused: their values come from the
  // same request without the refused part (no counts: those would not be of this search).
  const withoutRefused =
    refused === 'q'
      ? { ...filters, q: '', offset: 0 }
      : YEAR_FIELDS.includes(refused)
        ? { ...filters, yearFrom: '', yearTo: '', offset: 0 }
        : null;
  const fallback = useApi<LibraryPage>(
    withoutRefused ? `/reviews/${review}/records?${queryString(withoutRefused, { limit: '1' })}` : null,
  );
  // Years refused before sending keep the values of the filters as applied.
  const facets =
    data?.facets ??
    (withoutRefused ? fallback.data?.facets : yearsRefused && !error ? answer?.facets : undefined);
  const counts = data !== undefined;
  const status = searchError
    ? 'No results: correct the search above.'
    : yearsError || yearsRefused
      ? 'No results: correct the years.'
      : error
        ? 'No results to show.'
        : answer === undefined || !fresh
          ? 'Searching…'
          : answer.total === 0
            ? 'No records match.'
            : answer.items.length === 0
              ? 'Searching…'
              : answer.total === 1
                ? '1 record'
                : `${filters.offset + 1}–${filters.offset + answer.items.length} of ${answer.total} records`;
  // A page past the last one (an old link, or records that left the filter, such as the last ones
  // untagged under a tag filter) shows the last page instead of "501–500 of 59 records".
  useEffect(() => {
    if (fresh && answer && answer.items.length === 0 && answer.total > 0 && filters.offset >= answer.total)
      setFilters((f) => ({ ...f, offset: Math.floor((answer.total - 1) / PAGE_SIZE) * PAGE_SIZE }));
  }, [fresh, answer, filters.offset]);
  const [selected, setSelected] = useState<ReadonlySet<string>>(new Set());
  const [exportError, setExportError] = useState<string | null>(null);
  // A selection names records of the page on screen: a new page or filter starts empty.
  useEffect(() => setSelected(new Set()), [qs]);
  useEffect(() => {
    const s = queryString(filters);
    window.history.replaceState(null, '', `${window.location.pathname}${s ? `?${s}` : ''}`);
  }, [filters]);
  // A new filter starts at the first page; paging keeps the filters.
  const set = (patch: Partial<Filters>) => setFilters((f) => ({ ...f, offset: 0, ...patch }));
  const search = (e: FormEvent) => {
    e.preventDefault();
    set({ q: draft, sort: draft.trim() ? 'relevance' : filters.sort });
  };
  const exportHref = (format: 'ris' | 'csv') =>
    `/api/reviews/${review}/records?${queryString({ ...filters, offset: 0 }, { format })}`;

  return (
    <main className="records-page">
      <h1>Records</h1>
      <form className="records-search" role="search" onSubmit={search}>
        <label htmlFor="records-q">
          Search titles, abstracts, authors, keywords, journals and full texts
        </label>
        <div className="records-search-row">
          <input
            id="records-q"
            type="search"
            value={draft}
            onChange={(e) => setDraft(e.target.value)}
            placeholder={'"quality improvement" AND (lean OR "six sigma") NOT pediatric*'}
            {...(searchError ? { 'aria-invalid': true, 'aria-describedby': 'records-q-error' } : {})}
          />
          <button className="primary" type="submit">
            Search
          </button>
          {(filters.q || draft) && (
            <button
              type="button"
              onClick={() => {
                setDraft('');
                set({ q: '' });
              }}
            >
              Clear
            </button>
          )}
        </div>
        {searchError && (
          <p id="records-q-error" className="field-error" role="alert">
            {searchError}
          </p>
        )}
        <p className="hint small">
          Words are all required; use "quotes" for a phrase, a star for word beginnings (pediatric*), AND, OR,
          NOT in capitals, and brackets.
        </p>
      </form>
      {error && !searchError && !yearsError && (
        <p className="error" role="alert">
          {errorText(error)}
        </p>
      )}
      <div className="records-layout">
        <aside className="records-filters" aria-label="Filters">
          <label>
            Stage
            <select
              value={filters.stage}
              onChange={(e) => set({ stage: e.target.value as Stage, state: '', reason: '' })}
            >
              {(Object.keys(STAGE_WORDS) as Stage[]).map((s) => (
                <option key={s} value={s}>
                  {STAGE_WORDS[s]}
                </option>
              ))}
            </select>
          </label>
          <FacetList
            title="State"
            facets={facets?.state}
            counts={counts}
            words={STATE_WORDS}
            selected={filters.state}
            onSelect={(state) => set({ state })}
          />
          <FacetList
            title="Exclusion reason"
            facets={facets?.reason}
            counts={counts}
            selected={filters.reason}
            onSelect={(reason) => set({ reason })}
          />
          <FacetList
            title="Tag"
            facets={facets?.tag}
            counts={counts}
            selected={filters.tag}
            onSelect={(tag) => set({ tag })}
          />
          <FacetList
            title="Source"
            facets={facets?.source}
            counts={counts}
            selected={filters.source}
            onSelect={(source) => set({ source })}
          />
          <FacetList
            title="Duplicates"
            facets={facets?.duplicate}
            counts={counts}
            words={DUPLICATE_WORDS}
            selected={filters.duplicate}
            onSelect={(duplicate) => set({ duplicate })}
          />
          <FacetList
            title="Full text"
            facets={facets?.fullText}
            counts={counts}
            words={FULLTEXT_WORDS}
            selected={filters.fullText}
            onSelect={(fullText) => set({ fullText })}
          />
          <fieldset>
            <legend>Years</legend>
            <YearRange
              // A year picked from the counts below is shown in the boxes: a new range, a new form.
              key={`${filters.yearFrom}-${filters.yearTo}`}
              from={filters.yearFrom}
              to={filters.yearTo}
              serverError={yearsError}
              serverField={refused}
              onRefused={setYearsRefused}
              onChange={(yearFrom, yearTo) => set({ yearFrom, yearTo })}
            />
            {counts && facets?.year && facets.year.length > 0 && (
              <YearCounts years={facets.year} onPick={(year) => set({ yearFrom: year, yearTo: year })} />
            )}
          </fieldset>
        </aside>
        <section className="records-results" aria-label="Results" aria-busy={!fresh && !error}>
          <div className="records-toolbar">
            <span role="status">{status}</span>
            <span className="spacer" />
            <label>
              Sort by{' '}
              <select value={filters.sort} onChange={(e) => set({ sort: e.target.value })}>
                {Object.entries(SORT_WORDS).map(([v, w]) => (
                  <option key={v} value={v}>
                    {w}
                  </option>
                ))}
              </select>
            </label>
            {/* Ticked records are what a person means to export; with none ticked, the whole selection.
                Only a selection the server could read can be exported: a refused one would fail. */}
            {selected.size > 0 ? (
              <>
                {(['ris', 'csv'] as const).map((format) => (
                  <button
                    key={format}
                    type="button"
                    onClick={() =>
                      void apiDownload(
                        `/reviews/${review}/records/selection`,
                        { recordIds: [...selected], format },
                        `${review}-records-selected.${format}`,
                      ).then(
                        () => setExportError(null),
                        (e: unknown) => setExportError(errorText(e)),
                      )
                    }
                  >
                    Export {selected.size} selected ({format.toUpperCase()})
                  </button>
                ))}
              </>
            ) : (
              data && (
                <>
                  <a className="button" href={exportHref('ris')} download>
                    Export RIS
                  </a>
                  <a className="button" href={exportHref('csv')} download>
                    Export CSV
                  </a>
                </>
              )
            )}
          </div>
          {exportError && (
            <p className="error" role="alert">
              {exportError}
            </p>
          )}
          {unranked && (
            <p className="notice" data-testid="no-ranking">
              There is no prioritisation ranking yet: it is trained once enough records are settled at
              title/abstract. Until then these records are in title order.
            </p>
          )}
          <TagBar
            review={review}
            selected={selected}
            onDone={() => {
              setSelected(new Set());
              reload();
            }}
          />
          <ol className="records-list" start={filters.offset + 1}>
            {results?.items.map((item) => (
              <RecordRow
                key={item.recordId}
                review={review}
                item={item}
                checked={selected.has(item.recordId)}
                onCheck={(on) =>
                  setSelected((sel) => {
                    const next = new Set(sel);
                    if (on) next.add(item.recordId);
                    else next.delete(item.recordId);
                    return next;
                  })
                }
              />
            ))}
          </ol>
          {results && results.total > PAGE_SIZE && (
            <nav className="records-pager" aria-label="Pages">
              <button
                disabled={filters.offset === 0}
                onClick={() => setFilters((f) => ({ ...f, offset: Math.max(0, f.offset - PAGE_SIZE) }))}
              >
                Previous
              </button>
              <span>
                Page {Math.floor(filters.offset / PAGE_SIZE) + 1} of {Math.ceil(results.total / PAGE_SIZE)}
              </span>
              <button
                disabled={filters.offset + PAGE_SIZE >= results.total}
                onClick={() => setFilters((f) => ({ ...f, offset: f.offset + PAGE_SIZE }))}
              >
                Next
              </button>
            </nav>
          )}
        </section>
      </div>
    </main>
  );
}

function FacetList(props: {
  title: string;
  facets: Facet[] | undefined;
  /** False when the values are shown without their counts (the search itself was refused). */
  counts: boolean;
  words?: Record<string, string>;
  selected: string;
  onSelect: (value: string) => void;
}) {
  const { facets, selected } = props;
  if (!facets || (facets.length === 0 && !selected)) return null;
  return (
    <fieldset>
      <legend>{props.title}</legend>
      <ul className="facet-list">
        <li>
          <label>
            <input type="radio" checked={selected === ''} onChange={() => props.onSelect('')} /> Any
          </label>
        </li>
        {facets.map((f) => (
          <li key={f.value}>
            <label>
              <input type="radio" checked={selected === f.value} onChange={() => props.onSelect(f.value)} />{' '}
              {props.words?.[f.value] ?? (f.label || 'No year')}
              {props.counts && <span className="muted"> ({f.count})</span>}
            </label>
          </li>
        ))}
      </ul>
    </fieldset>
  );
}

/** What is wrong with a year range as typed, or null: each year four digits, the first not after the last. */
function yearProblem(from: string, to: string): { message: string; fields: ('from' | 'to')[] } | null {
  const bad = (['from', 'to'] as const).filter((k) => {
    const y = k === 'from' ? from : to;
    return y !== '' && !/^\d{4}$/u.test(y);
  });
  if (bad.length > 0) return { message: 'A year has four digits, like 2015.', fields: bad };
  if (from !== '' && to !== '' && Number(from) > Number(to))
    return { message: `The “to” year (${to}) comes before the “from” year (${from}).`, fields: ['to'] };
  return null;
}

/**
 * How many records each year holds, with the other filters applied: the year facet's counts,
 * newest first. A year picks itself as the range; records with no year can only be counted.
 */
function YearCounts(props: { years: Facet[]; onPick: (year: string) => void }) {
  const years = [...props.years].sort((a, b) => (b.value || '0').localeCompare(a.value || '0'));
  return (
    <details className="year-counts">
      <summary>
        Records by year ({years.length} {years.length === 1 ? 'year' : 'years'})
      </summary>
      <ul className="facet-list">
        {years.map((f) => (
          <li key={f.value || 'none'}>
            {f.value ? (
              <button type="button" className="year-pick" onClick={() => props.onPick(f.value)}>
                {f.value}
              </button>
            ) : (
              'No year'
            )}
            <span className="muted"> ({f.count})</span>
          </li>
        ))}
      </ul>
    </details>
  );
}

function YearRange(props: {
  from: string;
  to: string;
  /** The server's refusal of the years the page asked for (from a shared link), and the field it named. */
  serverError: string | null;
  serverField: string;
  /** Told whether the years are refused once applied, so the page shows no results meanwhile. */
  onRefused: (refused: boolean) => void;
  onChange: (from: string, to: string) => void;
}) {
  const { onRefused } = props;
  const [from, setFrom] = useState(props.from);
  const [to, setTo] = useState(props.to);
  const [tried, setTried] = useState(false);
  const problem = yearProblem(from, to);
  const refusedNow = tried && problem !== null;
  useEffect(() => onRefused(refusedNow), [refusedNow, onRefused]);
  // Checked as typed; the server's message stands for the years it was sent until they change.
  const shown =
    problem ??
    (props.serverError && from === props.from && to === props.to
      ? { message: props.serverError, fields: [props.serverField === 'yearFrom' ? 'from' : 'to'] }
      : null);
  const marked = (k: 'from' | 'to') =>
    shown?.fields.includes(k)
      ? { 'aria-invalid': true as const, 'aria-describedby': 'records-years-error' }
      : {};
  return (
    <form
      className="year-range"
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        setTried(problem !== null);
        if (!problem) props.onChange(from, to);
      }}
    >
      <label>
        From{' '}
        <input
          id="records-year-from"
          inputMode="numeric"
          size={5}
          value={from}
          onChange={(e) => setFrom(e.target.value.trim())}
          {...marked('from')}
        />
      </label>
      <label>
        to{' '}
        <input
          id="records-year-to"
          inputMode="numeric"
          size={5}
          value={to}
          onChange={(e) => setTo(e.target.value.trim())}
          {...marked('to')}
        />
      </label>
      <button type="submit">Apply</button>
      {shown && (
        <p id="records-years-error" className="field-error" role="alert">
          {shown.message}
        </p>
      )}
    </form>
  );
}

function RecordRow(props: { review: string; item: Item; checked: boolean; onCheck: (on: boolean) => void }) {
  const { review, item } = props;
  // Semicolons between people: names are written "Family, Given", so commas would run them together.
  // The server sends the first three and "et al." when there are more.
  const named = item.authors.filter((a) => a !== 'et al.');
  const people = named.join('; ') + (named.length < item.authors.length ? ' et al.' : '');
  const byline = [people, item.year, item.journal].filter(Boolean).join(' · ');
  return (
    <li className="records-item">
      <input
        type="checkbox"
        aria-label={`Select “${item.title}”`}
        checked={props.checked}
        onChange={(e) => props.onCheck(e.target.checked)}
      />{' '}
      <Link to={`/reviews/${review}/records/${item.recordId}`}>{item.title || '(no title)'}</Link>
      <div className="small muted">{byline}</div>
      <div className="small">
        {(Object.keys(STAGE_WORDS) as Stage[])
          .filter((s) => item.states[s] !== 'not-in-stage')
          .map((s) => (
            <span key={s} className={`tag state-${item.states[s]}`}>
              {STAGE_WORDS[s]}: {STATE_WORDS[item.states[s]] ?? item.states[s]}
              {item.reasons[s].length > 0 && ` (${item.reasons[s].join('; ')})`}
            </span>
          ))}
        {item.duplicate === 'removed' && <span className="tag">Duplicate removed</span>}
        {item.hasFullText && (
          <span className="tag">{item.matchedInFullText ? 'Found in the full text' : 'Full text'}</span>
        )}
        {item.tags.map((t) => (
          <span key={t} className="tag record-tag">
            #{t}
          </span>
        ))}
        <span className="muted"> From {item.source.label}</span>
      </div>
    </li>
  );
}

/** Tags the selected records, or takes a tag off them; a new tag can be typed in. */
function TagBar(props: { review: string; selected: ReadonlySet<string>; onDone: () => void }) {
  const access = useAccess();
  const { data } = useApi<{ tags: { name: string; records: number }[] }>(`/reviews/${props.review}/tags`);
  const [tag, setTag] = useState('');
  const [message, setMessage] = useState<string | null>(null);
  if (!access.can('POST /reviews/:review/records/tags')) return null;
  const n = props.selected.size;
  const apply = async (on: boolean) => {
    const name = tag.trim();
    if (!name) return setMessage('Choose or type a tag first.');
    try {
      const r = await api<{ changed: number }>('POST', `/reviews/${props.review}/records/tags`, {
        recordIds: [...props.selected],
        tag: name,
        on,
      });
      setMessage(tagResultWords(on, name, n, r.changed));
      props.onDone();
    } catch (e) {
      setMessage(errorText(e));
    }
  };
  return (
    <div className="records-tagbar">
      <label>
        {n === 0 ? 'Tick records to tag them: tag' : `Tag for the ${n} selected record${n === 1 ? '' : 's'}`}{' '}
        <input list="review-tags" value={tag} onChange={(e) => setTag(e.target.value)} size={16} />
      </label>
      <datalist id="review-tags">
        {data?.tags.map((t) => (
          <option key={t.name} value={t.name} />
        ))}
      </datalist>
      <button disabled={n === 0} onClick={() => void apply(true)}>
        Add tag
      </button>
      <button disabled={n === 0} onClick={() => void apply(false)}>
        Remove tag
      </button>
      {message && (
        <span role="status" className="small">
          {message}
        </span>
      )}
    </div>
  );
}
