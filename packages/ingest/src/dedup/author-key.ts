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
  /**
   * The family name with `?` where an export lost a character (`Ta?a?aj` for `Tałałaj`): databases
   * and reference managers that cannot encode a letter write `?` or U+FFFD in its place.
   */
  lost?: string;
  /** German umlauts transliterated (`Müller` -> `mueller`), as some databases index them. */
  transliterated?: string;
}

const LOST_CHARACTER = /[?\uFFFD]+/g;

/** `MÃ¼ller`: UTF-8 read as Latin-1 by one export; read back when that is what happened. */
function repairMojibake(text: string): string {
  if (!/[\u00C2-\u00C5][\u0080-\u00BF]/.test(text) || [...text].some((ch) => ch.charCodeAt(0) > 0xff))
    return text;
  const repaired = Buffer.from(text, 'latin1').toString('utf8');
  return repaired.includes('\uFFFD') ? text : repaired;
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
  const family = repairMojibake(split.family);
  const folded = foldText(family.replace(LOST_CHARACTER, ''));
  const key: AuthorKey = {
    family: folded.replace(/ /g, ''),
    familyTokens: folded.split(' ').filter((t) => t.length > 0),
    initials: initialsOf(repairMojibake(split.given)),
  };
  if (LOST_CHARACTER.test(family)) {
    key.lost = family
      .split(LOST_CHARACTER)
      .map((part) => foldText(part).replace(/ /g, ''))
      .join('?');
  }
  LOST_CHARACTER.lastIndex = 0;
  if (/[äöüÄÖÜ]/.test(family))
    key.transliterated = foldText(family.replace(/[äöüÄÖÜ]/g, (ch) => `${ch.normalize('NFD')[0]}e`)).replace(
      / /g,
      '',
    );
  return key;
}

/** `ta?a?aj` matches `talalaj`: each `?` stands for at most two letters, the rest as written. */
function matchesLost(lost: string, family: string): boolean {
  const known = lost.replace(/\?/g, '');
  if (known.length < 3 || known.length * 2 < lost.length) return false;
  const pattern = lost
    .split('?')
    .map((p) => p.replace(/[^a-z0-9]/g, ''))
    .join('[a-z]{0,2}');
  return new RegExp(`^${pattern}$`).test(family);
}

function sameFamily(a: AuthorKey, b: AuthorKey): boolean {
  if (a.lost !== undefined || b.lost !== undefined) {
    if (a.lost !== undefined && b.lost !== undefined) return a.lost === b.lost;
    return a.lost !== undefined ? matchesLost(a.lost, b.family) : matchesLost(b.lost!, a.family);
  }
  if (a.family === b.family) return a.family.length > 0;
  if (a.transliterated === b.family || b.transliterated === a.family) return true;
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
