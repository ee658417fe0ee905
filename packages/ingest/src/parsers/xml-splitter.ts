import type { RecordSink } from './reader.types.ts';

/**
 * Cuts streamed XML into complete record elements so each can be parsed alone and memory stays
 * bounded. The prologue (and any DTD in it) is never parsed; entity declarations are reported
 * and ignored, never expanded.
 */
export class XmlRecordSplitter {
  private buffer = '';
  private lineOfBuffer = 1;
  private seenRecord = false;
  private warnedEntities = false;
  private readonly open: RegExp;

  constructor(
    private readonly names: string[],
    private readonly sink: RecordSink,
    private readonly onElement: (xml: string, line: number) => void,
  ) {
    this.open = new RegExp(`<(${names.join('|')})(?=[\\s>])`, 'g');
  }

  push(text: string): void {
    this.buffer += text;
    for (;;) {
      this.open.lastIndex = 0;
      const m = this.open.exec(this.buffer);
      if (!m) {
        // Keep only a tail that could hold the start of an opening tag.
        const keep = Math.max(0, this.buffer.length - 64);
        this.consume(keep);
        return;
      }
      this.checkSkipped(this.buffer.slice(0, m.index));
      this.consume(m.index);
      const close = `</${m[1]}>`;
      const end = this.buffer.indexOf(close);
      if (end < 0) return;
      const stop = end + close.length;
      const element = this.buffer.slice(0, stop);
      this.seenRecord = true;
      this.onElement(element, this.lineOfBuffer);
      this.consume(stop);
    }
  }

  end(): void {
    this.open.lastIndex = 0;
    const m = this.open.exec(this.buffer);
    if (m) {
      this.sink.diagnostic({
        severity: 'error',
        line: this.lineOfBuffer + countLines(this.buffer.slice(0, m.index)),
        message: `<${m[1]}> element is not closed before the end of the file; skipped`,
      });
    }
    this.buffer = '';
  }

  get foundAny(): boolean {
    return this.seenRecord;
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

  private consume(n: number): void {
    if (n <= 0) return;
    this.checkSkipped(this.buffer.slice(0, n));
    this.lineOfBuffer += countLines(this.buffer.slice(0, n));
    this.buffer = this.buffer.slice(n);
  }
}

function countLines(s: string): number {
  let n = 0;
  for (let i = s.indexOf('\n'); i >= 0; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
