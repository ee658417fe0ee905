import { isOtherSpace } from '../normalise/markup.ts';
/**
 * Splits `\n`-terminated text arriving in chunks into lines with 1-based numbers. A line is passed
 * as offsets into a buffer (`buf.slice(start, end)` is the line without its `\n`), so readers take
 * only the substrings they keep: the tag-line values and the record's raw text as whole spans.
 */
export class LineScanner {
  private partial = '';
  /** The carried-over line's full length; it may be longer than what `partial` keeps. */
  private partialLength = 0;
  private lineNo = 0;
  /**
   * Whether the current buffer holds `\r`, U+2028 or U+2029 anywhere (characters a regex `.` does
   * not match): readers check a line for them only then.
   */
  oddTerminators = false;

  /**
   * @param onLine gets each line as `buf.slice(start, end)`, at most `maxLine` characters of it,
   *   and the line's full length (larger than `end - start` when the line was cut).
   * @param maxLine how much of a line is kept: an over-long line costs its first `maxLine`
   *   characters of memory, never its length (a 200 MiB title line is never built as a string).
   */
  constructor(
    private readonly onLine: (
      buf: string,
      start: number,
      end: number,
      lineNo: number,
      length: number,
    ) => void,
    private readonly maxLine = Infinity,
  ) {}

  push(text: string): void {
    let pos = 0;
    if (this.partialLength > 0) {
      // The line carried over from the last chunk is completed on its own, so the chunk itself is
      // scanned in place (no copy of the whole chunk to prepend a few characters).
      const nl = text.indexOf('\n');
      const upTo = nl === -1 ? text.length : nl;
      if (this.partial.length < this.maxLine)
        this.partial += text.slice(0, Math.min(upTo, this.maxLine - this.partial.length));
      this.partialLength += upTo;
      if (nl === -1) return;
      const line = this.partial;
      const length = this.partialLength;
      this.partial = '';
      this.partialLength = 0;
      this.oddTerminators = hasOddTerminators(line);
      this.onLine(line, 0, line.length, ++this.lineNo, length);
      pos = nl + 1;
    }
    this.oddTerminators = hasOddTerminators(text);
    for (;;) {
      const nl = text.indexOf('\n', pos);
      if (nl === -1) break;
      this.onLine(text, pos, Math.min(nl, pos + this.maxLine), ++this.lineNo, nl - pos);
      pos = nl + 1;
    }
    if (pos < text.length) {
      this.partial = text.slice(pos, Math.min(text.length, pos + this.maxLine));
      this.partialLength = text.length - pos;
    }
  }

  end(): void {
    const rest = this.partial;
    const length = this.partialLength;
    this.partial = '';
    this.partialLength = 0;
    if (!length) return;
    this.oddTerminators = hasOddTerminators(rest);
    this.onLine(rest, 0, rest.length, ++this.lineNo, length);
  }
}

function hasOddTerminators(buf: string): boolean {
  return buf.indexOf('\r') !== -1 || buf.indexOf('\u2028') !== -1 || buf.indexOf('\u2029') !== -1;
}

/** The characters `String.prototype.trim` removes (WhiteSpace and LineTerminator). */
export function isTrimmable(c: number): boolean {
  return c <= 32 ? c === 32 || (c >= 9 && c <= 13) : c >= 0xa0 && isOtherSpace(c);
}

/** `buf.slice(start, end).trim()` with one substring instead of two when there is something to trim. */
export function sliceTrimmed(buf: string, start: number, end: number): string {
  while (start < end && isTrimmable(buf.charCodeAt(start))) start++;
  while (end > start && isTrimmable(buf.charCodeAt(end - 1))) end--;
  return buf.slice(start, end);
}

/** Whether `buf.slice(start, end).trim()` is empty. */
export function isBlank(buf: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) if (!isTrimmable(buf.charCodeAt(i))) return false;
  return true;
}

/** Whether a line holds a character `.` in a regex does not match (`\r`, U+2028, U+2029). */
export function hasLineTerminator(buf: string, start: number, end: number): boolean {
  for (let i = start; i < end; i++) {
    const c = buf.charCodeAt(i);
    if (c === 13 || c === 0x2028 || c === 0x2029) return true;
  }
  return false;
}

// Tags are two to four characters; one string per distinct tag, so field maps hash and compare
// the same string object every time instead of a new two-character slice per line.
const TAGS = new Map<number, string>();

/** `buf.slice(start, end)` for a tag of `[A-Z0-9]` characters, as one shared string per tag. */
export function internTag(buf: string, start: number, end: number): string {
  let key = end - start;
  for (let i = start; i < end; i++) key = key * 64 + (buf.charCodeAt(i) - 47);
  let tag = TAGS.get(key);
  if (tag === undefined) {
    tag = buf.slice(start, end);
    // Bounded: a file of made-up tags cannot grow the table without limit.
    if (TAGS.size < 4096) {
      // A property name is internalised: the same string object as the literal `'TI'` in code,
      // so map lookups by literal compare pointers.
      tag = Object.keys({ [tag]: 0 })[0]!;
      TAGS.set(key, tag);
    }
  }
  return tag;
}
