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
  /**
   * Weak fields that disagree in a way databases are known to cause (supplement numbering, page
   * prefixes, a supplement-wide DOI, a supplement abstract labelled as an article): each lowers the
   * score and is named in the reason; none vetoes a pair.
   */
  weak: string[];
  /**
   * Either record is a conference abstract or sits in a supplement: hundreds of abstracts share
   * one journal volume (and often one DOI), so journal and volume say little about which one it is.
   */
  abstracts: boolean;
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

function startPages(a: MatchKeys, b: MatchKeys, weak: string[]): Agreement {
  if (a.pages.start === undefined || b.pages.start === undefined) return 'missing';
  const left = a.pages.starts ?? [a.pages.start];
  const right = b.pages.starts ?? [b.pages.start];
  if (left.some((p) => right.includes(p))) return 'same';
  // `i428` against `1428-1428`: the supplement's roman prefix read as a digit.
  if (
    (a.pages.lookalike !== undefined && right.includes(a.pages.lookalike)) ||
    (b.pages.lookalike !== undefined && left.includes(b.pages.lookalike))
  ) {
    weak.push('first pages written differently (supplement page prefix)');
    return 'same';
  }
  // A prefixed page (`S321`, `e115`) against a plain one numbers the report differently.
  if ((a.pages.prefix ?? '') !== (b.pages.prefix ?? '')) {
    weak.push('first pages numbered differently');
    return 'missing';
  }
  return 'different';
}

function volumes(a: MatchKeys, b: MatchKeys, weak: string[]): Agreement {
  if (a.volume.length === 0 || b.volume.length === 0) return 'missing';
  if (a.volume.some((v) => b.volume.includes(v))) return 'same';
  // One database files the supplement number as the volume (`62` + `SUPPL. 1` against `1)`), or
  // numbers a supplement on its own: within a supplement a volume that differs is weak evidence.
  if (a.inSupplement || b.inSupplement) {
    weak.push('volumes differ (supplement numbering)');
    return 'missing';
  }
  return 'different';
}

function dois(a: MatchKeys, b: MatchKeys, weak: string[]): Agreement {
  const d = agree(a.doi, b.doi);
  if (d === 'missing' || (a.doiShared === undefined && b.doiShared === undefined)) return d;
  // A DOI carried by several reports (a supplement's DOI) proves nothing either way.
  weak.push(`a DOI shared by ${Math.max(a.doiShared ?? 0, b.doiShared ?? 0)} records of different reports`);
  return 'missing';
}

function kinds(a: MatchKeys, b: MatchKeys, weak: string[]): string | null {
  const conflict = kindConflict(a.kind, b.kind);
  // Conference abstracts printed in a journal supplement: some databases type them as articles. The
  // record typed as an article must itself sit in a supplement: a full paper is not an abstract.
  const typedArticle = a.kind === 'article' ? a : b;
  if (conflict === 'conference abstract vs journal article' && typedArticle.inSupplement) {
    weak.push('one database types a supplement abstract as an article');
    return null;
  }
  return conflict;
}

export function compare(a: MatchKeys, b: MatchKeys): Comparison {
  const weak: string[] = [];
  return {
    title: ratio(a.compactTitle, b.compactTitle),
    titleContained: titleContained(a, b),
    authors: compareAuthors(a.authors, b.authors),
    yearGap: a.year !== undefined && b.year !== undefined ? Math.abs(a.year - b.year) : null,
    doi: dois(a, b, weak),
    pmid: agree(a.pmid, b.pmid),
    journal: journalAgreement(a, b),
    volume: volumes(a, b, weak),
    issue: agree(a.issue, b.issue),
    startPage: startPages(a, b, weak),
    endPage: agree(a.pages.end, b.pages.end),
    kindConflict: kinds(a, b, weak),
    titleWords: Math.min(a.titleWords, b.titleWords),
    weak,
    abstracts: a.inSupplement || b.inSupplement || a.kind === 'conference' || b.kind === 'conference',
  };
}
