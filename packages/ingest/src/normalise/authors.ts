import { collapseWhitespace } from './markup.ts';
import type { Author } from '../record.types.ts';

// Initials as written after a family name: `MA`, `M.A.`, `M. A.`, `M-A`, `J.-P.`.
const SUFFIX = /^(jr\.?|sr\.?|[2-9](?:nd|rd|th)|ii|iii|iv)$/i;
const INITIALS = /^(?:[A-Z]{1,4}|(?:[A-Z][a-z]?\.?[\s-]*){1,4})$/;
// Words that make a short name an organisation (`Care Quality Commission`, `The King's Fund`): split
// as a person's, it would be cited "Commission CQ".
const CORPORATE =
  /^(?:agency|alliance|association|authority|board|centre|center|college|commission|committee|consortium|council|department|federation|foundation|fund|institute|ministry|network|NHS|office|organi[sz]ation|partnership|service|services|society|trust|university)$/i;

/**
 * One author as written. Handles `Family, Given`, `Family MA` (MEDLINE/WoS/Scopus) and
 * `Given Family`; e-mail addresses in parentheses (Zoological Record) are dropped.
 */
export function parseAuthor(value: string): Author | undefined {
  const noEmail = value.indexOf('@') === -1 ? value : value.replace(/\([^)]*@[^)]*\)/g, '');
  const asWritten = collapseWhitespace(noEmail).replace(/[;,]$/, '').trim();
  if (!asWritten) return undefined;
  const comma = asWritten.indexOf(',');
  if (comma > 0) {
    const family = asWritten.slice(0, comma).trim();
    const given = asWritten.slice(comma + 1).trim();
    return given ? { family, given, asWritten } : { family, asWritten };
  }
  let words = asWritten.split(' ');
  // Not when initials end it: `Board JM` is a person whose family name is Board.
  if (words.length > 1 && words.some((w) => CORPORATE.test(w)) && !INITIALS.test(words[words.length - 1]!))
    return { family: asWritten, asWritten };
  // Generational suffixes (`Plunkett G 3rd`) belong with the given name, not in the family name.
  let suffix = '';
  if (words.length > 2 && SUFFIX.test(words[words.length - 1]!)) {
    suffix = ` ${words[words.length - 1]}`;
    words = words.slice(0, -1);
  }
  if (words.length === 1) return { family: asWritten, asWritten };
  const last = words[words.length - 1]!;
  if (INITIALS.test(last) && !/^[A-Z][a-z]{2,}$/.test(last)) {
    return { family: words.slice(0, -1).join(' '), given: last + suffix, asWritten };
  }
  // Corporate names (`World Health Organization Regional Office`) are not split.
  if (words.length > 3) return { family: asWritten, asWritten };
  return { family: last, given: words.slice(0, -1).join(' ') + suffix, asWritten };
}

/**
 * Split one field holding many authors. `;` separates where present (`Little, A.R.; Conner, L.M.`);
 * otherwise `,` does (old Scopus CSV: `Little A.R., Mike Conner L.`), and ` and ` does (BibTeX).
 */
export function splitAuthorList(value: string): string[] {
  const v = value.trim();
  if (!v) return [];
  if (v.includes(';'))
    return v
      .split(';')
      .map((s) => s.trim())
      .filter(Boolean);
  if (/\sand\s/.test(v))
    return v
      .split(/\s+and\s+/)
      .map((s) => s.trim())
      .filter(Boolean);
  const parts = v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // `Family, Given` alone is one author, not two.
  if (parts.length === 2 && !/\s/.test(parts[0]!)) return [v];
  return parts;
}

export function parseAuthors(values: string[]): Author[] {
  const out: Author[] = [];
  for (const v of values) {
    const a = parseAuthor(v);
    if (a) out.push(a);
  }
  return out;
}
