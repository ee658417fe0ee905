/** Splits `\n`-terminated text arriving in chunks into lines with 1-based numbers. */
export class LineSplitter {
  private partial = '';
  private lineNo = 0;

  constructor(private readonly onLine: (line: string, lineNo: number) => void) {}

  push(text: string): void {
    const parts = (this.partial + text).split('\n');
    this.partial = parts.pop() ?? '';
    for (const line of parts) this.onLine(line, ++this.lineNo);
  }

  end(): void {
    if (this.partial) this.onLine(this.partial, ++this.lineNo);
    this.partial = '';
  }
}
