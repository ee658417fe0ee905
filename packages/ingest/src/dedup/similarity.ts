import { distance } from 'fastest-levenshtein';
import { compareAuthors, type AuthorComparison } from './author-key.ts';
import { journalsMatch } from './journal-key.ts';
import type { MatchKeys } from './match-keys.ts';
import { kindConflict } from './report-kind.ts';

/** `same` / `different` when both records have the field, `missing` otherwise. */
export type Agreement = 'same' | 'different' | 'missing';

/** Field-by-field comparison of two records; the input to the scoring rule. */
export interface Comparison {
  /** 1 - Levenshtein distance / longer length, on compact title keys. */
  title: number;
  authors: AuthorComparison | null;
  /** Absolute difference in years, or null when a year is missing. */
  yearGap: number | null;
  doi: Agreement;
  pmid: Agreement;
  journal: Agreement;
  volume: Agreement;
  issue: Agreement;
  startPage: Agreement;
  endPage: Agreement;
  kindConflict: string | null;
  /** The shorter title (30+ characters) is the start or end of the longer: a database added a label or subject codes. */
  titleContained: boolean;
  /** Number of words in the shorter title: short generic titles (`Editorial`) prove little. */
  titleWords: number;
}

export function ratio(a: string, b: string): number {
  if (a === b) return 1;
  const longest = Math.max(a.length, b.length);
  if (longest === 0) return 1;
  // Levenshtein is at least the length difference: skip the O(n*m) work when that already fails.
  if (Math.abs(a.length - b.length) / longest > 0.5) return 1 - Math.abs(a.length - b.length) / longest;
  return 1 - distance(a, b) / longest;
}

function agree<T>(a: T | undefined, b: T | undefined): Agreement {
  if (a === undefined || b === undefined) return 'missing';
  return a === b ? 'same' : 'different';
}

function journalAgreement(a: MatchKeys, b: MatchKeys): Agreement {
  const left = [a.journal, a.journalAbbrev].filter((j) => j.length > 0);
  const right = [b.journal, b.journalAbbrev].filter((j) => j.length > 0);
  if (left.length === 0 || right.length === 0) return 'missing';
  for (const l of left) for (const r of right) if (journalsMatch(l, r)) return 'same';
  return 'different';
}

function titleContained(a: MatchKeys, b: MatchKeys): boolean {
  const [short, long] =
    a.compactTitle.length <= b.compactTitle.length
      ? [a.compactTitle, b.compactTitle]
      : [b.compactTitle, a.compactTitle];
  return short.length >= 30 && short.length < long.length && (long.startsWith(short) || long.endsWith(short));
}

function startPages(a: MatchKeys, b: MatchKeys): Agreement {
  if (a.pages.start === undefined || b.pages.start === undefined) return 'missing';
  const left = a.pages.starts ?? [a.pages.start];
  const right = b.pages.starts ?? [b.pages.start];
  return left.some((p) => right.includes(p)) ? 'same' : 'different';
}

function volumes(a: number[], b: number[]): Agreement {
  if (a.length === 0 || b.length === 0) return 'missing';
  return a.some((v) => b.includes(v)) ? 'same' : 'different';
}

export function compare(a: MatchKeys, b: MatchKeys): Comparison {
  return {
    title: ratio(a.compactTitle, b.compactTitle),
    titleContained: titleContained(a, b),
    authors: compareAuthors(a.authors, b.authors),
    yearGap: a.year !== undefined && b.year !== undefined ? Math.abs(a.year - b.year) : null,
    doi: agree(a.doi, b.doi),
    pmid: agree(a.pmid, b.pmid),
    journal: journalAgreement(a, b),
    volume: volumes(a.volume, b.volume),
    issue: agree(a.issue, b.issue),
    startPage: startPages(a, b),
    endPage: agree(a.pages.end, b.pages.end),
    kindConflict: kindConflict(a.kind, b.kind),
    titleWords: Math.min(a.titleWords, b.titleWords),
  };
}
