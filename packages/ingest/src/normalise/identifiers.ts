// ISSN, ISBN, PMID and PMCID: sources mix them in one field (`SN - 03064530 (ISSN)`,
// `1939-1676 0891-6640`, `IS - 1879-1026 (Electronic)`), so each is recognised by shape.

const ISSN = /(?<![\dX-])(\d{4})-?(\d{3}[\dX])(?![\dX-])/gi;
const ISBN = /(?<![\dX])(97[89][\d-]{10,14}|\d[\d-]{8,12}[\dX])(?![\dX])/gi;

function checkIssn(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < 7; i++) sum += Number(digits[i]) * (8 - i);
  const c = (11 - (sum % 11)) % 11;
  return (c === 10 ? 'X' : String(c)) === digits[7]!.toUpperCase();
}

/** ISSNs in a value, formatted `1234-567X`, valid check digit only. */
export function findIssns(value: string | undefined): string[] {
  if (!value) return [];
  const out: string[] = [];
  for (const m of value.matchAll(ISSN)) {
    const digits = `${m[1]}${m[2]}`.toUpperCase();
    if (checkIssn(digits)) out.push(`${digits.slice(0, 4)}-${digits.slice(4)}`);
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
