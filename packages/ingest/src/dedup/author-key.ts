import { distance } from 'fastest-levenshtein';
import type { Author } from '../record.types.ts';
import { foldText, stripMarkup } from './text.ts';

/** An author reduced to what every database keeps: family name and initials. */
export interface AuthorKey {
  /** Folded family name without spaces (`koseoglueser`). */
  family: string;
  /** Folded family name tokens, for compound names that databases split differently. */
  familyTokens: string[];
  /** Lower-case initials of the given names (`ma`), possibly empty. */
  initials: string;
}

function initialsOf(given: string): string {
  const clean = stripMarkup(given).trim();
  // `MA` (Vancouver style) is initials already; `Mohammad Ali` and `M. A.` are not.
  if (/^\p{Lu}{1,4}$/u.test(clean)) return foldText(clean.split('').join(' ')).replace(/ /g, '');
  return foldText(clean)
    .split(' ')
    .filter((t) => t.length > 0)
    .map((t) => t[0])
    .join('');
}

/** Splits `Shahtalebi MA`, `Shahtalebi, Mohammad Ali`, `Shahtalebi, M. A.`, `Mohammad Ali Shahtalebi`. */
export function parseAuthorName(written: string): { family: string; given: string } {
  const text = stripMarkup(written).trim();
  const comma = text.indexOf(',');
  if (comma >= 0) return { family: text.slice(0, comma).trim(), given: text.slice(comma + 1).trim() };
  const tokens = text.split(/\s+/).filter((t) => t.length > 0);
  if (tokens.length < 2) return { family: text, given: '' };
  const last = tokens[tokens.length - 1]!;
  if (/^(?:\p{Lu}\.?-?){1,4}$/u.test(last)) return { family: tokens.slice(0, -1).join(' '), given: last };
  return { family: last, given: tokens.slice(0, -1).join(' ') };
}

export function authorKey(author: Author): AuthorKey {
  const parsed = author.family.trim()
    ? { family: author.family, given: author.given ?? '' }
    : parseAuthorName(author.asWritten);
  // A parser that kept `Shahtalebi MA` whole in `family` still needs splitting.
  const split = !parsed.given && /\s/.test(parsed.family.trim()) ? parseAuthorName(parsed.family) : parsed;
  const folded = foldText(split.family);
  return {
    family: folded.replace(/ /g, ''),
    familyTokens: folded.split(' ').filter((t) => t.length > 0),
    initials: initialsOf(split.given),
  };
}

function sameFamily(a: AuthorKey, b: AuthorKey): boolean {
  if (a.family === b.family) return a.family.length > 0;
  // Compound names (`Koseoglu Eser` vs `Eser`) share a long token.
  for (const t of a.familyTokens) if (t.length >= 3 && b.familyTokens.includes(t)) return true;
  // One typo or transliteration slip in a long name.
  const longest = Math.max(a.family.length, b.family.length);
  return longest >= 7 && distance(a.family, b.family) <= 1;
}

export interface AuthorComparison {
  /** Share of the shorter list (first 10 names) found in the other list. */
  overlap: number;
  firstSame: boolean;
  /** Compared names, for the reason shown to users. */
  compared: number;
}

const MAX_COMPARED = 10;

/** `null` when either side has no authors (group authors and anonymous reports). */
export function compareAuthors(a: AuthorKey[], b: AuthorKey[]): AuthorComparison | null {
  const left = a.filter((k) => k.family).slice(0, MAX_COMPARED);
  const right = b.filter((k) => k.family).slice(0, MAX_COMPARED);
  if (left.length === 0 || right.length === 0) return null;
  const [short, long] = left.length <= right.length ? [left, right] : [right, left];
  let found = 0;
  for (const s of short) if (long.some((l) => sameFamily(s, l))) found++;
  return {
    overlap: found / short.length,
    firstSame: sameFamily(left[0]!, right[0]!),
    compared: short.length,
  };
}
