// ISSN, ISBN, PMID and PMCID: sources mix them in one field (`SN - 03064530 (ISSN)`,
// `1939-1676 0891-6640`, `IS - 1879-1026 (Electronic)`), so each is recognised by shape.

const ISBN = /(?<![\dX])(97[89][\d-]{10,14}|\d[\d-]{8,12}[\dX])(?![\dX])/gi;

function checkIssn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(digits[i]) * (8 - i);
  const c = (11 - (sum % 11)) % 11;
  return (c === 10 ? 'X' : String(c)) === digits[7]!.toUpperCase();
}

const isDigit = (c: number): boolean => c >= 48 && c <= 57;
const isDigitOrX = (c: number): boolean => (c >= 48 && c <= 57) || c === 88 || c === 120;

/**
 * Where an ISSN that starts at `p` ends, or -1: `/(?<![\dX-])(\d{4})-?(\d{3}[\dX])(?![\dX-])/gi` as
 * a character scan (this runs for every record), so not preceded or followed by a digit, X or `-`.
 */
function issnEnd(v: string, p: number): number {
  const n = v.length;
  if (p > 0 && (isDigitOrX(v.charCodeAt(p - 1)) || v.charCodeAt(p - 1) === 45)) return -1;
  for (let i = p; i < p + 4; i++) if (!isDigit(v.charCodeAt(i))) return -1;
  const rest = v.charCodeAt(p + 4) === 45 ? p + 5 : p + 4;
  if (rest + 4 > n) return -1;
  for (let i = rest; i < rest + 3; i++) if (!isDigit(v.charCodeAt(i))) return -1;
  if (!isDigitOrX(v.charCodeAt(rest + 3))) return -1;
  const after = v.charCodeAt(rest + 4);
  if (rest + 4 < n && (isDigitOrX(after) || after === 45)) return -1;
  return rest + 4;
}

/** ISSNs in a value, formatted `1234-567X`, valid check digit only. */
export function findIssns(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  const n = value.length;
  let p = 0;
  while (p + 8 <= n) {
    if (!isDigit(value.charCodeAt(p))) {
      p++;
      continue;
    }
    const end = issnEnd(value, p);
    if (end === -1) {
      p++;
      continue;
    }
    const digits = (
      end - p === 9 ? value.slice(p, p + 4) + value.slice(p + 5, end) : value.slice(p, end)
    ).toUpperCase();
    if (checkIssn(digits)) out.push(`${digits.slice(0, 4)}-${digits.slice(4)}`);
    p = end;
  }
  return out;
}

function validIsbn(d: string): boolean {
  if (d.length === 10) {
    let sum = 0;
    for (let i = 0; i < 10; i++) sum += (d[i] === 'X' ? 10 : Number(d[i])) * (10 - i);
    return sum % 11 === 0;
  }
  if (d.length === 13 && /^\d+$/.test(d)) {
    let sum = 0;
    for (let i = 0; i < 13; i++) sum += Number(d[i]) * (i % 2 === 0 ? 1 : 3);
    return sum % 10 === 0;
  }
  return false;
}

/** ISBNs in a value, hyphens removed, valid check digit only. */
export function findIsbns(value: string | undefined): string[] {
  if (!value) return [];
  // A valid ISBN has ten or thirteen digits (or X): fewer in the whole value cannot give one.
  let digits = 0;
  for (let i = 0; i < value.length && digits < 10; i++) if (isDigitOrX(value.charCodeAt(i))) digits++;
  if (digits < 10) return [];
  const out: string[] = [];
  for (const m of value.matchAll(ISBN)) {
    const digits = m[1]!.replace(/-/g, '').toUpperCase();
    if (validIsbn(digits)) out.push(digits);
  }
  return out;
}

/** A PMID from `31690499`, `PMID: 31690499`, `31690499 [pmid]`. */
export function normalisePmid(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /^\s*(?:pmid:?\s*)?(\d{1,9})\s*(?:\[pmid\])?\s*$/i.exec(value);
  return m ? String(Number(m[1])) : undefined;
}

/** A PMCID anywhere in a value, upper-case `PMC` prefix. */
export function findPmcid(value: string | undefined): string | undefined {
  if (!value) return undefined;
  const m = /\bPMC\s?(\d{3,10})\b/i.exec(value);
  return m ? `PMC${m[1]}` : undefined;
}

export function unique<T>(values: T[]): T[] {
  return [...new Set(values)];
}
