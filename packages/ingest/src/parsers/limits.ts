/**
 * How much of a file's text a parse keeps, in characters (UTF-16 code units: about bytes for the
 * ASCII most exports are). A bibliographic title is well under 1 KiB and an abstract a few KiB;
 * these limits are far above any real record and exist so one hostile or broken file cannot take
 * the worker's memory, or dedup's after it.
 */
export interface ParseLimits {
  titleChars: number;
  abstractChars: number;
  /** Any other field value (an author, a journal, a keyword cell). */
  fieldChars: number;
  /** A record's kept text in all (its raw source text bounds the rest). */
  recordChars: number;
  /** All records of one import together; the rest of the file is not imported. */
  totalChars: number;
}

export const DEFAULT_PARSE_LIMITS: ParseLimits = {
  titleChars: 64 * 1024,
  abstractChars: 1024 * 1024,
  fieldChars: 256 * 1024,
  recordChars: 4 * 1024 * 1024,
  totalChars: 1024 * 1024 * 1024,
};

export function parseLimits(overrides: Partial<ParseLimits> | undefined): ParseLimits {
  return { ...DEFAULT_PARSE_LIMITS, ...overrides };
}

/**
 * The most of one line, cell or text run a stream layer keeps before the parser sees it: the
 * longest field limit plus room for a tag. A value cut here is still over its field's limit, so the
 * field check that follows always reports it.
 */
export function streamCap(limits: Pick<ParseLimits, 'titleChars' | 'abstractChars' | 'fieldChars'>): number {
  return Math.max(limits.titleChars, limits.abstractChars, limits.fieldChars) + 64;
}

/** `65,536` */
export function describeChars(n: number): string {
  return n.toLocaleString('en-GB');
}

/**
 * Where to cut `text` to keep at most `limit` characters without splitting a surrogate pair or an
 * XML/HTML character reference (`&amp;` cut to `&am` would make its record unreadable).
 */
export function safeCut(text: string, limit: number): number {
  return text.length <= limit ? text.length : safeEnd(text, 0, limit);
}

/** `safeCut` for the span `text.slice(start, end)`: the end to cut it at, at most `end`. */
export function safeEnd(text: string, start: number, end: number): number {
  let cut = end;
  const c = text.charCodeAt(cut - 1);
  if (cut > start && c >= 0xd800 && c <= 0xdbff) cut--;
  const amp = text.lastIndexOf('&', cut - 1);
  if (amp >= start && cut - amp < 12) {
    const semi = text.indexOf(';', amp);
    if (semi === -1 || semi >= cut) cut = amp;
  }
  return cut;
}
