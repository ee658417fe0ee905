import { safeEnd } from './limits.ts';

const QUOTE = 34;
const NEWLINE = 10;

/**
 * Cuts every CSV cell at `maxCell` characters before csv-parse sees it, following the quoting as
 * csv-parse reads it (a cell is quoted when it starts with `"`; `""` inside is one quote; relaxed
 * quotes elsewhere are text), so a 200 MiB cell costs its first megabyte and the rest of the file
 * still parses. The field check after parsing reports and truncates what was cut. Newlines dropped
 * with a cut are counted, so csv-parse's line numbers can be mapped back to the file's.
 */
export class CsvCellCapper {
  private cellLength = 0;
  private atCellStart = true;
  private quoted = false;
  /** The last character was a `"` inside a quoted cell: `""` (a quote) or the closing quote. */
  private quotePending = false;
  private dropping = false;
  /** Output lines after which more newlines had been dropped: [output line, dropped so far]. */
  private readonly shifts: Array<[number, number]> = [];
  private outputLines = 1;
  private droppedLines = 0;

  constructor(
    private readonly delimiter: number,
    private readonly quotes: boolean,
    private readonly maxCell: number,
  ) {}

  push(text: string): string {
    const out: string[] = [];
    let keepFrom = this.dropping ? -1 : 0;
    const resume = (at: number): void => {
      keepFrom = at;
      this.dropping = false;
      if (this.droppedLines !== (this.shifts.at(-1)?.[1] ?? 0))
        this.shifts.push([this.outputLines, this.droppedLines]);
    };
    // Next quote, delimiter and newline at or after i (-1: none), found once per position passed,
    // so plain runs are skipped with indexOf instead of looked at a character at a time.
    let nextQuote = -2;
    let nextDelimiter = -2;
    let nextNewline = -2;
    const next = (ch: number, cached: number, from: number): number =>
      cached === -1 || cached >= from ? cached : text.indexOf(String.fromCharCode(ch), from);
    for (let i = 0; i < text.length; i++) {
      if (!this.dropping && !this.quotePending && !this.atCellStart) {
        let stop: number;
        if (this.quoted) stop = nextQuote = next(QUOTE, nextQuote, i);
        else {
          nextDelimiter = next(this.delimiter, nextDelimiter, i);
          nextNewline = next(NEWLINE, nextNewline, i);
          stop =
            nextDelimiter === -1
              ? nextNewline
              : nextNewline === -1
                ? nextDelimiter
                : Math.min(nextDelimiter, nextNewline);
        }
        if (stop === -1) stop = text.length;
        if (stop > i && this.cellLength + (stop - i) <= this.maxCell) {
          this.cellLength += stop - i;
          if (this.quoted) {
            nextNewline = next(NEWLINE, nextNewline, i);
            if (nextNewline !== -1 && nextNewline < stop) this.outputLines += countNewlines(text, i, stop);
          }
          i = stop - 1;
          continue;
        }
      }
      const c = text.charCodeAt(i);
      if (this.quotePending) {
        this.quotePending = false;
        if (c === QUOTE) {
          this.cellLength += 2;
          // A `""` is kept or dropped whole: cut after it once the cell is over the limit.
          if (!this.dropping && this.cellLength > this.maxCell) {
            out.push(text.slice(keepFrom, i + 1));
            keepFrom = -1;
            this.dropping = true;
          }
          continue;
        }
        // The pending quote closed the cell; if it was dropped with the text, it still goes through.
        this.quoted = false;
        if (this.dropping) {
          out.push('"');
          resume(i);
        }
      }
      if (this.atCellStart) {
        this.atCellStart = false;
        if (this.quotes && c === QUOTE) {
          this.quoted = true;
          this.cellLength = 0;
          continue;
        }
      }
      if (this.quoted) {
        if (c === QUOTE) {
          this.quotePending = true;
          continue;
        }
      } else if (c === this.delimiter || c === NEWLINE) {
        if (this.dropping) resume(i);
        if (c === NEWLINE) this.outputLines++;
        this.cellLength = 0;
        this.atCellStart = true;
        continue;
      }
      this.cellLength++;
      if (!this.dropping && this.cellLength > this.maxCell) {
        out.push(text.slice(keepFrom, safeEnd(text, keepFrom, i)));
        keepFrom = -1;
        this.dropping = true;
      }
      if (c === NEWLINE) {
        if (this.dropping) this.droppedLines++;
        else this.outputLines++;
      }
    }
    if (keepFrom === 0 && out.length === 0) return text;
    if (keepFrom >= 0) out.push(text.slice(keepFrom));
    return out.join('');
  }

  /** What is still owed at the end of the input: the closing quote of a cell cut before it. */
  end(): string {
    return this.dropping && this.quotePending ? '"' : '';
  }

  /** The file's line number for a line number csv-parse reports. */
  fileLine(outputLine: number): number {
    let dropped = 0;
    for (const [line, total] of this.shifts) {
      if (line > outputLine) break;
      dropped = total;
    }
    return outputLine + dropped;
  }
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i !== -1 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}
