/** Pages as compared: the numeric part of the first page (`e115` -> 115, `083` -> 83, `S568` -> 568). */
export interface PagesKey {
  start?: number;
  end?: number;
  /** First pages of every range of a discontinuous article (`2001,2016-2019` -> 2001, 2016). */
  starts?: number[];
}

function numberIn(text: string | undefined): number | undefined {
  const m = text ? /(\d+)/.exec(text) : null;
  return m ? Number(m[1]) : undefined;
}

/** `245-59` -> 245..259, `1202-7` -> 1202..1207, `e115-e118`, `S-1252`, `A1‐A18`. */
export function pagesKey(asWritten: string | undefined, start?: string, end?: string): PagesKey {
  // Discontinuous pages: databases list the ranges in different orders (`2001,2016-2019` / `2016-2019, 2001`).
  const ranges = (asWritten ?? '').split(/[,;]/).filter((r) => /\d/.test(r));
  if (ranges.length > 1) {
    const keys = ranges.map((r) => rangeKey(r));
    const starts = keys.map((k) => k.start).filter((n): n is number => n !== undefined);
    return { ...keys[0]!, starts };
  }
  return rangeKey(asWritten, start, end);
}

function rangeKey(asWritten: string | undefined, start?: string, end?: string): PagesKey {
  const text = (asWritten ?? '').replace(/[‐‑‒–—−]/g, '-');
  const [first, second] = text.split(/-(?=\s*[A-Za-z]*\d)/, 2).map((s) => s.trim());
  // `S-1252`: a section letter joined by a hyphen, not a range.
  const joined = /^[A-Za-z]+-\d+$/.test(text.trim());
  const s = numberIn(start) ?? numberIn(joined ? text : first);
  if (s === undefined) return {};
  const rawEnd = end ?? (joined ? undefined : second);
  const endDigits = rawEnd ? /(\d+)/.exec(rawEnd)?.[1] : undefined;
  if (!endDigits) return { start: s };
  const sDigits = String(s);
  const e =
    endDigits.length < sDigits.length
      ? Number(sDigits.slice(0, sDigits.length - endDigits.length) + endDigits)
      : Number(endDigits);
  return { start: s, end: e };
}

/**
 * Numbers in a volume (`53 (Suppl 119)` -> 53, 119); ordinals (`22nd FIGO congress`) and a volume
 * equal to the year (Cochrane Library records use the year as volume) are not volumes.
 */
export function volumeKey(volume: string | undefined, year?: number): number[] {
  if (!volume) return [];
  return [...volume.matchAll(/(?<![\p{L}\d])\d+(?![\p{L}\d])/gu)]
    .map((m) => Number(m[0]))
    .filter((v) => v !== year);
}
