import type { NormalisedRecord } from '../record.types.ts';

type Pages = NonNullable<NormalisedRecord['pages']>;

// Placeholders some exports write instead of pages (Ovid writes `SP - No` / `EP - Specified`).
const PLACEHOLDER = /^(no[\s-]*specified|not[\s-]*specified|n\/?a|-+)$/i;

/**
 * Pages from a single value (`245-59`, `e1234`, `S12--S19`) or a start/end pair.
 * The end is expanded from its abbreviated form (`245-59` -> 259); article numbers stay in `start`.
 */
export function normalisePages(value?: string, endValue?: string): Pages | undefined {
  let start = value?.trim() ?? '';
  let end = endValue?.trim() ?? '';
  const joined = start && end ? `${start}-${end}` : start || end;
  if (!joined) return undefined;
  // A placeholder starts with `n` or `-` (and `${start} ${end}` starts like `joined` or with a space).
  const c = joined.charCodeAt(0);
  if (
    (c === 110 || c === 78 || c === 45) &&
    (PLACEHOLDER.test(joined) || PLACEHOLDER.test(`${start} ${end}`))
  )
    return undefined;
  if (!end && (start.indexOf('-') !== -1 || start.indexOf('–') !== -1 || start.indexOf('—') !== -1)) {
    const m = /^(.+?)\s*(?:--?|–|—)\s*(.+)$/.exec(start);
    if (m) {
      start = m[1]!.trim();
      end = m[2]!.trim();
    }
  }
  const asWritten = end ? `${start}-${end}` : start;
  if (!end) return { asWritten, start };
  return { asWritten, start, end: expandEnd(start, end) };
}

function expandEnd(start: string, end: string): string {
  const s = /^([A-Za-z]*)(\d+)$/.exec(start);
  const e = /^([A-Za-z]*)(\d+)$/.exec(end);
  if (!s || !e) return end;
  const [, prefix, sDigits] = s;
  const [, ePrefix, eDigits] = e;
  if (ePrefix && ePrefix !== prefix) return end;
  if (eDigits!.length >= sDigits!.length) return `${prefix}${eDigits}`;
  const expanded = sDigits!.slice(0, sDigits!.length - eDigits!.length) + eDigits!;
  // `245-59` means 259; `245-3` would go backwards, so it is not an abbreviation: keep as written.
  if (Number(expanded) < Number(sDigits)) return end;
  return `${prefix}${expanded}`;
}
