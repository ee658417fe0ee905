import type { ParseDiagnostic } from '../record.types.ts';
import { describeChars, safeCut, type ParseLimits } from './limits.ts';
import type { RecordSink } from './reader.types.ts';

/** The limits of one tagged format: which tags hold the title and the abstract. */
export interface TagLimits {
  of(tag: string): { chars: number; field: string };
  /** The smallest of the limits: a value this short needs no look-up (nearly every value). */
  within: number;
  recordChars: number;
}

export function tagLimits(limits: ParseLimits, titleTags: string[], abstractTags: string[]): TagLimits {
  const titles = new Set(titleTags);
  const abstracts = new Set(abstractTags);
  const title = { chars: limits.titleChars, field: 'title' };
  const abstract = { chars: limits.abstractChars, field: 'abstract' };
  return {
    of: (tag) =>
      titles.has(tag) ? title : abstracts.has(tag) ? abstract : { chars: limits.fieldChars, field: tag },
    within: Math.min(limits.titleChars, limits.abstractChars, limits.fieldChars),
    recordChars: limits.recordChars,
  };
}

/** One record of a tagged text format (RIS, MEDLINE, WoS plain) while it is being read. */
export class TaggedRecord {
  /** Values per tag: a tag's one value as a string (most tags occur once), several as an array. */
  readonly fields = new Map<string, string | string[]>();
  private lastTag: string | undefined;
  // The record's lines verbatim, joined by `\n`. Consecutive lines of one input buffer are kept as
  // one span and sliced once: no string per line, and the raw text is flat rather than a rope.
  private rawDone = '';
  private spanBuf: string | undefined;
  private spanStart = 0;
  private spanEnd = 0;

  private rawSize = 0;
  /** Past the record limit: further lines are neither kept nor read. */
  private full = false;
  /** Tags whose last value was cut: their continuation lines are dropped. */
  private cut: Set<string> | undefined;
  /** Truncation warnings, sent with the record's number when it closes. */
  private notes: ParseDiagnostic[] | undefined;

  constructor(
    readonly startLine: number,
    private readonly limits?: TagLimits,
  ) {}

  /** Sends the record's truncation warnings, now that its number is known. */
  report(sink: RecordSink, record: number): void {
    for (const n of this.notes ?? []) sink.diagnostic({ ...n, record });
  }

  private note(line: number | undefined, field: string, message: string): void {
    (this.notes ??= []).push({ severity: 'warning', line: line ?? this.startLine, field, message });
  }

  /** `value` within its tag's limit (`length`: its length in the file, if a line was cut before). */
  private bounded(tag: string, value: string, line: number | undefined, length: number): string {
    if (!this.limits) return value;
    if (length <= this.limits.within && value.length <= this.limits.within) {
      this.cut?.delete(tag);
      return value;
    }
    const { chars, field } = this.limits.of(tag);
    if (length <= chars && value.length <= chars) {
      this.cut?.delete(tag);
      return value;
    }
    (this.cut ??= new Set()).add(tag);
    this.note(
      line,
      field,
      `${field} (${tag}) is ${describeChars(Math.max(length, value.length))} characters long, over the limit of ${describeChars(chars)}; truncated`,
    );
    return value.slice(0, safeCut(value, chars));
  }

  /** Add the line `buf.slice(start, end)` to the raw text. */
  addRaw(buf: string, start: number, end: number): void {
    if (this.full) return;
    this.rawSize += end - start + 1;
    if (this.limits && this.rawSize > this.limits.recordChars) {
      this.full = true;
      this.note(
        undefined,
        'record',
        `record is longer than ${describeChars(this.limits.recordChars)} characters; its lines after that were not read`,
      );
      return;
    }
    if (buf === this.spanBuf && start === this.spanEnd + 1) {
      this.spanEnd = end;
      return;
    }
    this.flushRaw();
    this.spanBuf = buf;
    this.spanStart = start;
    this.spanEnd = end;
  }

  private flushRaw(): void {
    if (this.spanBuf === undefined) return;
    const span = this.spanBuf.slice(this.spanStart, this.spanEnd);
    this.spanBuf = undefined;
    this.rawDone = this.rawDone ? `${this.rawDone}\n${span}` : span;
  }

  /** The record's lines verbatim. */
  get raw(): string {
    this.flushRaw();
    return this.rawDone;
  }

  /**
   * A tag's value; `line` and `length` (the value's length in the file, when the line reader cut
   * it) are for the warning when the value is over its limit.
   */
  add(tag: string, value: string, line?: number, length = value.length): void {
    if (this.full) return;
    value = this.bounded(tag, value, line, length);
    const v = this.fields.get(tag);
    if (v === undefined) this.fields.set(tag, value);
    else if (typeof v === 'string') this.fields.set(tag, [v, value]);
    else v.push(value);
    this.lastTag = tag;
  }

  /** A continuation line: a new value for list-like tags, otherwise appended to the last value. */
  continue(text: string, asNewValue: boolean, line?: number, length = text.length): boolean {
    const tag = this.lastTag;
    if (!tag) return false;
    if (this.full) return true;
    const v = this.fields.get(tag)!;
    if (asNewValue) {
      const value = this.bounded(tag, text, line, length);
      if (typeof v === 'string') this.fields.set(tag, [v, value]);
      else v.push(value);
      return true;
    }
    // The rest of a value already cut is dropped, so a value spread over many lines stays bounded.
    if (this.cut?.has(tag)) return true;
    const last = typeof v === 'string' ? v : v[v.length - 1];
    const joined = last ? `${last} ${text}` : text;
    const value = this.bounded(tag, joined, line, joined.length - text.length + length);
    if (typeof v === 'string') this.fields.set(tag, value);
    else if (v.length === 0) v.push(value);
    else v[v.length - 1] = value;
    return true;
  }

  get currentTag(): string | undefined {
    return this.lastTag;
  }

  /** Every value of one tag, empty ones included. */
  values(tag: string): string[] {
    const v = this.fields.get(tag);
    return v === undefined ? [] : typeof v === 'string' ? [v] : v;
  }

  /** The non-empty values of the tags, tag by tag. */
  all(...tags: string[]): string[] {
    const out: string[] = [];
    for (const t of tags) {
      const v = this.fields.get(t);
      if (v === undefined) continue;
      if (typeof v === 'string') {
        if (v) out.push(v);
      } else for (const x of v) if (x) out.push(x);
    }
    return out;
  }

  one(...tags: string[]): string | undefined {
    for (const t of tags) {
      const v = this.fields.get(t);
      if (v === undefined) continue;
      if (typeof v === 'string') {
        if (v.trim()) return v;
      } else for (const x of v) if (x.trim()) return x;
    }
    return undefined;
  }
}
