import type { NormalisedRecord } from '../record.types.ts';
import { authorKey, type AuthorKey } from './author-key.ts';
import { doiKey, pmidKey } from './identifiers.ts';
import { journalTokens } from './journal-key.ts';
import { numberingKey, pagesKey, type PagesKey } from './pages-key.ts';
import { reportKind, type ReportKind } from './report-kind.ts';
import { compactTitle, stripTitleAnnotations, titleKey } from './title-key.ts';

/**
 * The fields of a record its match keys are computed from: all a dedup run reads of every record
 * (issue 18: the database sends only these, not abstracts or the source text).
 */
export const MATCH_FIELDS = [
  'title',
  'authors',
  'year',
  'journal',
  'journalAbbrev',
  'volume',
  'issue',
  'pages',
  'doi',
  'pmid',
  'publicationType',
  'publicationTypesRaw',
] as const satisfies readonly (keyof NormalisedRecord)[];

export type MatchFields = Pick<NormalisedRecord, (typeof MATCH_FIELDS)[number]>;

/** Everything matching needs from one record, computed once. */
export interface MatchKeys {
  compactTitle: string;
  titleWords: number;
  authors: AuthorKey[];
  year?: number;
  journal: string[];
  journalAbbrev: string[];
  /** Numbers in the volume field; two records agree when they share one. */
  volume: number[];
  issue?: number;
  /** Supplement number from the volume or issue (0: a supplement without a number). */
  supplement?: number;
  /** The record sits in a supplement: said in the volume, the issue or by `S`/`i`-prefixed pages. */
  inSupplement: boolean;
  pages: PagesKey;
  doi?: string;
  /** Set by `dedupe` when the DOI is carried by records of different reports in the same import. */
  doiShared?: number;
  pmid?: string;
  kind: ReportKind;
}

/**
 * Shares equal key parts between the records of one run (issue 18): authors, journals and
 * numbering repeat across a collection, and a million records' keys held one copy per record
 * were most of a run's memory. Keys are never modified, so sharing is invisible to matching.
 * One pool per run, dropped with the run.
 */
export class KeyPool {
  private readonly strings = new Map<string, string>();
  private readonly lists = new Map<string, readonly (string | number)[]>();
  /** Authors by family name: a key of their own would be one more string per author. */
  private readonly authors = new Map<string, AuthorKey[]>();

  str(s: string): string {
    const had = this.strings.get(s);
    if (had !== undefined) return had;
    this.strings.set(s, s);
    return s;
  }

  list<T extends string | number>(xs: T[]): T[] {
    if (xs.length === 0) return EMPTY as T[];
    const id = xs.join('\u0001');
    const had = this.lists.get(id);
    if (had) return had as T[];
    const own = xs.map((x) => (typeof x === 'string' ? this.str(x) : x)) as T[];
    this.lists.set(id, own);
    return own;
  }

  author(a: AuthorKey): AuthorKey {
    if (a.lost !== undefined || a.transliterated !== undefined) return a;
    const same = this.authors.get(a.family);
    const had = same?.find(
      (b) =>
        b.initials === a.initials &&
        b.familyTokens.length === a.familyTokens.length &&
        b.familyTokens.every((t, k) => t === a.familyTokens[k]),
    );
    if (had) return had;
    const own: AuthorKey = {
      family: this.str(a.family),
      familyTokens: this.list(a.familyTokens),
      initials: this.str(a.initials),
    };
    if (same) same.push(own);
    else this.authors.set(own.family, [own]);
    return own;
  }
}

const EMPTY: never[] = [];

/** `matchKeys` with the parts shared through a run's pool. */
export function pooledMatchKeys(record: MatchFields, pool: KeyPool): MatchKeys {
  const keys = matchKeys(record);
  keys.authors = keys.authors.map((a) => pool.author(a));
  keys.journal = pool.list(keys.journal);
  keys.journalAbbrev = pool.list(keys.journalAbbrev);
  keys.volume = pool.list(keys.volume);
  return keys;
}

export function matchKeys(record: MatchFields): MatchKeys {
  const title = titleKey(record.title);
  const doi = doiKey(record.doi);
  const pmid = pmidKey(record.pmid);
  const volume = numberingKey(record.volume, record.year);
  const issue = numberingKey(record.issue);
  const supplement = volume.supplement ?? issue.supplement;
  const pages = pagesKey(record.pages?.asWritten, record.pages?.start, record.pages?.end);
  return {
    compactTitle: compactTitle(title),
    titleWords: title ? title.split(' ').length : 0,
    // Only the first ten names are ever compared; keeping fewer matters at a million records.
    authors: record.authors.slice(0, 10).map(authorKey),
    ...(record.year !== undefined ? { year: record.year } : {}),
    journal: journalTokens(record.journal ?? ''),
    journalAbbrev: journalTokens(record.journalAbbrev ?? ''),
    volume: volume.numbers,
    ...(issue.numbers[0] !== undefined ? { issue: issue.numbers[0] } : {}),
    ...(supplement !== undefined ? { supplement } : {}),
    inSupplement: supplement !== undefined || pages.prefix === 's' || pages.lookalike !== undefined,
    pages,
    ...(doi ? { doi } : {}),
    ...(pmid ? { pmid } : {}),
    kind: reportKind(record, doi, stripTitleAnnotations(record.title)),
  };
}
