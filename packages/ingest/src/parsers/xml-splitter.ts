import { DEFAULT_PARSE_LIMITS, streamCap, safeEnd, type ParseLimits } from './limits.ts';
import type { RecordSink } from './reader.types.ts';

/**
 * The largest record element held in memory, in characters (UTF-16 code units, about bytes for
 * the ASCII most exports are): the per-record limit. A bibliographic record is kilobytes (the
 * largest in the corpus is under 100 KiB); anything near this is not a record, and holding it would
 * let one hostile file take the worker's memory.
 */
export const MAX_XML_ELEMENT_CHARS = DEFAULT_PARSE_LIMITS.recordChars;

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
    /** Inside markup (`<...>`) rather than text, at the end of what was fed so far. */
    inTag: boolean;
    /** Length of the text run (characters between two tags) the element ends with so far. */
    run: number;
    /** Newlines in text dropped from over-long runs, so later line numbers stay right. */
    droppedLines: number;
    /** Characters fed so far (its own start tag is at 0). */
    fed: number;
  } | null = null;
  private readonly maxElement: number;
  private readonly maxRun: number;
  /** Characters kept from the end of one part, where a start or end tag may straddle two parts. */
  private readonly tailLength: number;

  constructor(
    private readonly names: string[],
    private readonly sink: RecordSink,
    /** `cutOff`: the element was not closed before the next record element (or the file) ended. */
    private readonly onElement: (xml: string, line: number, cutOff: boolean) => void,
    limits: Pick<
      ParseLimits,
      'recordChars' | 'titleChars' | 'abstractChars' | 'fieldChars'
    > = DEFAULT_PARSE_LIMITS,
  ) {
    this.open = new RegExp(`<(${names.join('|')})(?=[\\s>])`, 'g');
    this.tailLength = Math.max(...names.map((n) => n.length)) + 3;
    this.maxElement = limits.recordChars;
    this.maxRun = streamCap(limits);
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
        inTag: true,
        run: 0,
        droppedLines: 0,
        fed: 0,
      };
      input = this.buffer;
      this.buffer = '';
    }
  }

  end(): void {
    const el = this.element;
    if (el) {
      if (el.skipping)
        this.sink.diagnostic({
          severity: 'error',
          line: el.line,
          message: `<${el.close.slice(2, -1)}> element is not closed before the end of the file; skipped`,
          damage: 'skipped',
        });
      else {
        // Damaged: kept with what can be read of it.
        this.seenRecord = true;
        this.onElement(el.parts.join(''), el.line, true);
      }
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
    // The next record's start tag before this one's end tag: this one is damaged (its end tag is
    // missing or cut off) and ends there; the next one is read on its own.
    // (Its own start tag is at 0: the window starts `el.fed - el.tail.length` into the element.)
    this.open.lastIndex = Math.max(0, 1 - (el.fed - el.tail.length));
    const next = this.open.exec(window);
    const nextAt = next ? next.index : -1;
    el.fed += part.length;
    if (nextAt >= 0 && (at < 0 || nextAt < at)) return this.cutOff(part, nextAt - el.tail.length);
    if (at < 0) {
      el.tail = window.slice(-Math.max(el.close.length - 1, this.tailLength));
      if (el.skipping) this.lineOfBuffer += countLines(part);
      else {
        const kept = this.capRuns(part);
        el.size += kept.length;
        el.parts.push(kept);
      }
      if (!el.skipping && el.size > this.maxElement) {
        // Pass over the rest of it; its text so far goes now.
        el.skipping = true;
        for (const p of el.parts) this.lineOfBuffer += countLines(p);
        el.parts = [];
      }
      return '';
    }
    const cut = at - el.tail.length + el.close.length;
    const last = el.skipping ? part.slice(0, cut) : this.capRuns(part.slice(0, cut));
    this.element = null;
    this.lineOfBuffer += el.droppedLines;
    if (el.skipping) {
      this.lineOfBuffer += countLines(last);
      this.sink.diagnostic({
        severity: 'error',
        line: el.line,
        message: `${el.close.slice(2, -1)} element longer than ${describeLimit(this.maxElement)}; skipped`,
        damage: 'skipped',
      });
    } else {
      el.parts.push(last);
      const xml = el.parts.join('');
      this.seenRecord = true;
      this.onElement(xml, el.line, false);
      this.lineOfBuffer += countLines(xml);
    }
    return part.slice(cut);
  }

  /** The open element ends without its end tag at `cut` in `part`, where the next record starts. */
  private cutOff(part: string, cut: number): string {
    const el = this.element!;
    // A start tag straddling two parts begins in the text already kept: take it back.
    const before = cut < 0 ? -cut : 0;
    const last = el.skipping ? '' : this.capRuns(part.slice(0, Math.max(0, cut)));
    this.element = null;
    this.lineOfBuffer += el.droppedLines;
    if (el.skipping) {
      this.lineOfBuffer += countLines(part.slice(0, Math.max(0, cut)));
      this.sink.diagnostic({
        severity: 'error',
        line: el.line,
        message: `${el.close.slice(2, -1)} element longer than ${describeLimit(this.maxElement)} and not closed before the next one; skipped`,
        damage: 'skipped',
      });
      return (before ? el.tail.slice(el.tail.length - before) : '') + part.slice(Math.max(0, cut));
    }
    el.parts.push(last);
    let xml = el.parts.join('');
    if (before) xml = xml.slice(0, xml.length - before);
    this.seenRecord = true;
    this.onElement(xml, el.line, true);
    this.lineOfBuffer += countLines(xml);
    return (before ? el.tail.slice(el.tail.length - before) : '') + part.slice(Math.max(0, cut));
  }

  /**
   * `part` with every text run cut at the stream cap: a 200 MiB title costs its first megabyte, and
   * the field check after parsing reports and truncates it. Runs are cut where no character
   * reference or surrogate pair is split, so the element stays well-formed.
   */
  private capRuns(part: string): string {
    const el = this.element!;
    let out: string[] | undefined;
    let keepFrom = 0;
    let i = 0;
    while (i < part.length) {
      if (el.inTag) {
        const gt = part.indexOf('>', i);
        if (gt === -1) break;
        el.inTag = false;
        el.run = 0;
        i = gt + 1;
        continue;
      }
      const lt = part.indexOf('<', i);
      const stop = lt === -1 ? part.length : lt;
      const room = this.maxRun - el.run;
      el.run += stop - i;
      if (stop - i > room) {
        const end = room > 0 ? safeEnd(part, i, i + room) : i;
        (out ??= []).push(part.slice(keepFrom, end));
        // A reference begun in an earlier part (`&am` there, `p;` here) must not be left open.
        if (end - i < 12) dropOpenReference(el.parts, out);
        el.droppedLines += countLinesIn(part, end, stop);
        keepFrom = stop;
      }
      if (lt === -1) break;
      el.inTag = true;
      i = lt + 1;
    }
    if (!out) return part;
    out.push(part.slice(keepFrom));
    return out.join('');
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

/** Drops an unterminated `&...` from the end of the kept text (`earlier` then `current` pieces). */
function dropOpenReference(earlier: string[], current: string[]): void {
  const pieces = [...earlier, ...current];
  let tail = '';
  for (let k = pieces.length - 1; k >= 0 && tail.length < 12; k--) tail = pieces[k]! + tail;
  const open = /&[^;<>&\s]{0,10}$/.exec(tail.slice(-12));
  if (!open) return;
  let drop = open[0].length;
  for (const list of [current, earlier]) {
    while (drop > 0 && list.length) {
      const last = list[list.length - 1]!;
      const cut = Math.min(drop, last.length);
      list[list.length - 1] = last.slice(0, last.length - cut);
      drop -= cut;
      if (drop > 0) list.pop();
    }
  }
}

function describeLimit(chars: number): string {
  return chars >= 2 ** 20 ? `${Math.round(chars / 2 ** 20)} Mi characters` : `${chars} characters`;
}

function countLines(s: string): number {
  return countLinesIn(s, 0, s.length);
}

function countLinesIn(s: string, from: number, to: number): number {
  let n = 0;
  for (let i = s.indexOf('\n', from); i >= 0 && i < to; i = s.indexOf('\n', i + 1)) n++;
  return n;
}
