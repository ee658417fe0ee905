/** One record of a tagged text format (RIS, MEDLINE, WoS plain) while it is being read. */
export class TaggedRecord {
  readonly fields = new Map<string, string[]>();
  /** The record's lines verbatim (string concatenation is cheaper than an array join here). */
  raw = '';
  private lastTag: string | undefined;

  constructor(readonly startLine: number) {}

  addRaw(line: string): void {
    this.raw = this.raw ? `${this.raw}\n${line}` : line;
  }

  add(tag: string, value: string): void {
    const list = this.fields.get(tag);
    if (list) list.push(value);
    else this.fields.set(tag, [value]);
    this.lastTag = tag;
  }

  /** A continuation line: a new value for list-like tags, otherwise appended to the last value. */
  continue(text: string, asNewValue: boolean): boolean {
    if (!this.lastTag) return false;
    const list = this.fields.get(this.lastTag)!;
    if (asNewValue || list.length === 0) list.push(text);
    else list[list.length - 1] = list[list.length - 1] ? `${list[list.length - 1]} ${text}` : text;
    return true;
  }

  get currentTag(): string | undefined {
    return this.lastTag;
  }

  all(...tags: string[]): string[] {
    const out: string[] = [];
    for (const t of tags) {
      const v = this.fields.get(t);
      if (v) for (const x of v) if (x) out.push(x);
    }
    return out;
  }

  one(...tags: string[]): string | undefined {
    for (const t of tags) {
      const v = this.fields.get(t);
      if (v) for (const x of v) if (x.trim()) return x;
    }
    return undefined;
  }
}
