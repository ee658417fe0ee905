/** Pages as compared: the numeric part of the first page (`e115` -> 115, `083` -> 83, `S568` -> 568). */
export interface PagesKey {
  start?: number;
  end?: number;
  /** First pages of every range of a discontinuous article (`2001,2016-2019` -> 2001, 2016). */
  starts?: number[];
  /**
   * The first page had a letter prefix (`S321`, `e115`, `i428`, `A1`): supplement, e-locator or
   * section pagination, which another database may write without the prefix or with a digit for it.
   */
  prefix?: string;
  /**
   * The first page read with a roman-numeral supplement prefix taken as digits: Oxford journals
   * number supplement pages `i428`, `ii45`, and some exports turn the `i` into a `1` (`1428-1428`).
   */
  lookalike?: number;
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
  const firstWritten = (start ?? (joined ? text : first) ?? '').trim();
  const pre = /^([A-Za-z]+)-?\d/.exec(firstWritten)?.[1];
  const marks: Pick<PagesKey, 'prefix' | 'lookalike'> = {};
  if (pre) {
    marks.prefix = pre.toLowerCase();
    if (/^(?:i{1,3}|l)$/i.test(pre)) {
      const digits = /\d+/.exec(firstWritten)![0];
      marks.lookalike = Number('1'.repeat(pre.length) + digits);
    }
  }
  const rawEnd = end ?? (joined ? undefined : second);
  const endDigits = rawEnd ? /(\d+)/.exec(rawEnd)?.[1] : undefined;
  if (!endDigits) return { start: s, ...marks };
  const sDigits = String(s);
  const e =
    endDigits.length < sDigits.length
      ? Number(sDigits.slice(0, sDigits.length - endDigits.length) + endDigits)
      : Number(endDigits);
  return { start: s, end: e, ...marks };
}

/**
 * How databases write that a report sits in a supplement (field guides: MEDLINE `VI`/`IP` as
 * `62 Suppl 1` or `Suppl 1`; Embase issue `SUPPL. 1`; Web of Science `SU` field, written `Suppl. 1`
 * or `S1` when merged into the issue; Scopus and CINAHL `(Suppl. 1)`, `Suppl_1`, `Supplement 1`;
 * PsycINFO `Suppl`). The number may be missing (an unnumbered supplement).
 */
const SUPPLEMENT =
  /\(?\s*\b(?:suppl(?:ement(?:ary)?|ementum)?|supp|sup)(?![a-z])[\s_.:-]*(?:(?:no|number|issue)\.?\s*)?(\d+|[a-z](?![a-z]))?\s*\)?|\(?(?<![\p{L}\d])s[\s_-]?(\d+)(?![\p{L}\d])\)?/giu;

/** Volume or issue text split into its plain numbers and its supplement, if any. */
export interface NumberingKey {
  numbers: number[];
  /** Supplement number; 0 for a supplement without a number. */
  supplement?: number;
}

export function numberingKey(text: string | undefined, year?: number): NumberingKey {
  if (!text) return { numbers: [] };
  let supplement: number | undefined;
  const rest = text.replace(SUPPLEMENT, (_whole, n?: string, s?: string) => {
    const digits = s ?? n;
    supplement ??= digits !== undefined && /^\d+$/.test(digits) ? Number(digits) : 0;
    return ' ';
  });
  const numbers = [...rest.matchAll(/(?<![\p{L}\d])\d+(?![\p{L}\d])/gu)]
    .map((m) => Number(m[0]))
    .filter((v) => v !== year);
  return supplement === undefined ? { numbers } : { numbers, supplement };
}

/**
 * Numbers in a volume, without its supplement (`53 (Suppl 119)` -> 53, `1)` -> 1); ordinals
 * (`22nd FIGO congress`) and a volume equal to the year (Cochrane Library records use the year as
 * volume) are not volumes.
 */
export function volumeKey(volume: string | undefined, year?: number): number[] {
  return numberingKey(volume, year).numbers;
}
