import type { RecordSink } from './reader.types.ts';

/**
 * The largest record element held in memory, in characters (UTF-16 code units, about bytes for
 * the ASCII most exports are). A bibliographic record is kilobytes (the largest in
 * the corpus is under 100 KiB); anything near this is not a record, and holding it would let one
 * hostile file take the worker's memory.
 */
export const MAX_XML_ELEMENT_CHARS = 16 * 1024 * 1024;

/**
 * Cuts streamed XML into complete record elements so each can be parsed alone and memory stays
 * bounded. The prologue (and any DTD in it) is never parsed; entity declarations are reported
 * and ignored, never expanded.
 *
 * Work is linear in the input: inside an element the chunks are kept as a list and each one is
 * searched once for the closing tag (with the few characters before it, where a tag may straddle
 * two chunks); they are joined only when the element is complete.
 */
export class XmlRecordSplitter {
  /** Text outside any record element not yet looked at (short: at most a chunk). */
  private buffer = '';
  private lineOfBuffer = 1;
  private seenRecord = false;
  private warnedEntities = false;
  private readonly open: RegExp;
  /** The open element: its closing tag, its text so far (unless it is being skipped) and size. */
  private element: {
    close: string;
    parts: string[];
    size: number;
    tail: string;
    line: number;
    skipping: boolean;
  } | null = null;

  constructor(
    private readonly names: string[],
    private readonly sink: RecordSink,
    private readonly onElement: (xml: string, line: number) => void,
    private readonly maxElement = MAX_XML_ELEMENT_CHARS,
  ) {
    this.open = new RegExp(`<(${names.join('|')})(?=[\\s>])`, 'g');
  }

  push(text: string): void {
    let input = text;
    while (input.length > 0) {
      if (this.element) {
        input = this.feedElement(input);
        continue;
      }
      this.buffer += input;
      input = '';
      this.open.lastIndex = 0;
      const m = this.open.exec(this.buffer);
      if (!m) {
        // Keep only a tail that could hold the start of an opening tag.
        this.consumeOutside(Math.max(0, this.buffer.length - 64));
        return;
      }
      this.consumeOutside(m.index);
      this.element = {
        close: `</${m[1]}>`,
        parts: [],
        size: 0,
        tail: '',
        line: this.lineOfBuffer,
        skipping: false,
      };
      input = this.buffer;
      this.buffer = '';
    }
  }

  end(): void {
    if (this.element) {
      this.sink.diagnostic({
        severity: 'error',
        line: this.element.line,
        message: `<${this.element.close.slice(2, -1)}> element is not closed before the end of the file; skipped`,
      });
    }
    this.buffer = '';
    this.element = null;
  }

  get foundAny(): boolean {
    return this.seenRecord;
  }

  /** Adds a chunk to the open element; returns the text after the element once it closes. */
  private feedElement(part: string): string {
    const el = this.element!;
    const window = el.tail + part;
    const at = window.indexOf(el.close);
    if (at < 0) {
      el.tail = window.slice(-(el.close.length - 1));
      el.size += part.length;
      if (el.skipping) this.lineOfBuffer += countLines(part);
      else el.parts.push(part);
      if (!el.skipping && el.size > this.maxElement) {
        // Pass over the rest of it; its text so far goes now.
        el.skipping = true;
        for (const p of el.parts) this.lineOfBuffer += countLines(p);
        el.parts = [];
      }
      return '';
    }
    const cut = at - el.tail.length + el.close.length;
    const last = part.slice(0, cut);
    this.element = null;
    if (el.skipping) {
      this.lineOfBuffer += countLines(last);
      this.sink.diagnostic({
        severity: 'error',
        line: el.line,
        message: `${el.close.slice(2, -1)} element longer than ${describeLimit(this.maxElement)}; skipped`,
      });
    } else {
      el.parts.push(last);
      const xml = el.parts.join('');
      this.seenRecord = true;
      this.onElement(xml, el.line);
      this.lineOfBuffer += countLines(xml);
    }
    return part.slice(cut);
  }

  private checkSkipped(text: string): void {
    if (!this.warnedEntities && /<!ENTITY/i.test(text)) {
      this.warnedEntities = true;
      this.sink.diagnostic({
        severity: 'warning',
        line: this.lineOfBuffer,
        message: 'entity declarations in the DTD are ignored, never expanded',
      });
    }
  }

  private consumeOutside(n: number): void {
    if (n <= 0) return;
    const gone = this.buffer.slice(0, n);
    this.checkSkipped(gone);
    this.lineOfBuffer += countLines(gone);
    this.buffer = this.buffer.slice(n);
  }
}

function describeLimit(chars: number): string {
  return chars >= 2 ** 20 ? `${Math.round(chars / 2 ** 20)} Mi characters` : `${chars} characters`;
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
