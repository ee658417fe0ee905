import { buildRecord } from '../normalise/build-record.ts';
import { DEFAULT_PARSE_LIMITS, streamCap, type ParseLimits } from './limits.ts';
import { LineScanner, hasLineTerminator, internTag, isBlank, isTrimmable, sliceTrimmed } from './lines.ts';
import type { FormatReader, RecordSink } from './reader.types.ts';
import { TaggedRecord, tagLimits } from './tagged-record.ts';
import { wosFields } from './wos.fields.ts';

// `TI Title`, continuation lines indented three spaces; `ER` ends a record, `EF` the file. A tag
// line is `/^([A-Z][A-Z0-9])(?: (.*))?$/` once trailing spaces are trimmed, scanned by valueAt.
const LIST_TAGS = new Set(['AU', 'AF', 'CR', 'C1', 'C3', 'EM', 'RI', 'OI', 'FU', 'CA', 'BE', 'BA', 'BF']);
const HEADER_TAGS = new Set(['FN', 'VR', 'EF']);

/**
 * Where the value of the tag line `buf.slice(start, end)` (trailing spaces trimmed) starts, or -1
 * when it is no tag line.
 */
function valueAt(buf: string, start: number, end: number, checkTerminators: boolean): number {
  if (end - start < 2) return -1;
  const a = buf.charCodeAt(start);
  const b = buf.charCodeAt(start + 1);
  if (!(a >= 65 && a <= 90) || !((b >= 65 && b <= 90) || (b >= 48 && b <= 57))) return -1;
  if (end - start === 2) return end;
  if (buf.charCodeAt(start + 2) !== 32) return -1;
  if (checkTerminators && hasLineTerminator(buf, start + 3, end)) return -1;
  return start + 3;
}

export function createWosPlainReader(
  sink: RecordSink,
  limits: ParseLimits = DEFAULT_PARSE_LIMITS,
): FormatReader {
  const bounds = tagLimits(limits, ['TI'], ['AB']);
  let current: TaggedRecord | undefined;
  let index = 0;

  const close = (): void => {
    const r = current!;
    current = undefined;
    index++;
    r.report(sink, index);
    const fields = wosFields((tag) => r.values(tag));
    const { record, diagnostics } = buildRecord(fields, {
      format: 'wos-plain',
      raw: r.raw,
      index,
      line: r.startLine,
      limits,
    });
    for (const d of diagnostics) sink.diagnostic(d);
    sink.record({ record, index, line: r.startLine });
  };

  const scanner = new LineScanner((buf, start, end, lineNo, lineLength) => {
    const lost = lineLength - (end - start);
    if (isBlank(buf, start, end)) return;
    let trimmedEnd = end;
    while (isTrimmable(buf.charCodeAt(trimmedEnd - 1))) trimmedEnd--;
    const at = buf.charCodeAt(start) === 32 ? -1 : valueAt(buf, start, trimmedEnd, scanner.oddTerminators);
    if (at !== -1) {
      const tag = internTag(buf, start, start + 2);
      if (HEADER_TAGS.has(tag) && !current) return;
      if (tag === 'ER') {
        if (current) {
          current.addRaw(buf, start, end);
          close();
        }
        return;
      }
      if (!current) current = new TaggedRecord(lineNo, bounds);
      else if (tag === 'PT' && current.fields.size > 0) {
        sink.diagnostic({
          severity: 'warning',
          record: index + 1,
          line: current.startLine,
          message: `no ER before the next PT at line ${lineNo}; record closed there`,
          field: 'ER',
          damage: 'repaired',
        });
        close();
        current = new TaggedRecord(lineNo, bounds);
      }
      const value = at < trimmedEnd ? sliceTrimmed(buf, at, trimmedEnd) : '';
      current.add(tag, value, lineNo, value.length + lost);
      current.addRaw(buf, start, end);
      return;
    }
    if (!current) {
      sink.diagnostic({
        severity: 'warning',
        line: lineNo,
        message: 'untagged text outside a record ignored',
      });
      return;
    }
    current.addRaw(buf, start, end);
    const text = sliceTrimmed(buf, start, end);
    current.continue(text, LIST_TAGS.has(current.currentTag ?? ''), lineNo, text.length + lost);
  }, streamCap(limits));

  return {
    push: (text) => scanner.push(text),
    end: () => {
      scanner.end();
      if (current) {
        sink.diagnostic({
          severity: 'warning',
          record: index + 1,
          line: current.startLine,
          message:
            'the file ends inside this record (no ER line): it may have been cut short; the record is kept as far as it goes',
          field: 'ER',
          damage: 'repaired',
        });
        close();
      }
    },
  };
}
