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

  constructor(readonly startLine: number) {}

  /** Add the line `buf.slice(start, end)` to the raw text. */
  addRaw(buf: string, start: number, end: number): void {
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

  add(tag: string, value: string): void {
    const v = this.fields.get(tag);
    if (v === undefined) this.fields.set(tag, value);
    else if (typeof v === 'string') this.fields.set(tag, [v, value]);
    else v.push(value);
    this.lastTag = tag;
  }

  /** A continuation line: a new value for list-like tags, otherwise appended to the last value. */
  continue(text: string, asNewValue: boolean): boolean {
    if (!this.lastTag) return false;
    const v = this.fields.get(this.lastTag)!;
    if (typeof v === 'string')
      this.fields.set(this.lastTag, asNewValue ? [v, text] : v ? `${v} ${text}` : text);
    else if (asNewValue || v.length === 0) v.push(text);
    else v[v.length - 1] = v[v.length - 1] ? `${v[v.length - 1]} ${text}` : text;
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
